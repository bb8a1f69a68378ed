/* scenario: an INI scenario file parsed with inih into a table of
 * (section, key, value, line, used) entries, read by typed getters.
 *
 * Dialect (Debian's libinih build, checked against the library):
 *   - `[section]` headers, `key = value` lines (`:` also separates);
 *   - whole-line comments start with `;` or `#`;
 *   - inline comments start with ` ;` (a semicolon preceded by white space);
 *     `#` inside a value is kept;
 *   - a line that starts with white space continues the previous key's value
 *     (the pieces are joined with one space);
 *   - lines are limited to the library's buffer (INI_MAX_LINE - 1 characters,
 *     199 in Debian's build); a longer line is an error, not a silent cut;
 *   - section and key names are matched case-insensitively; a key given twice
 *     in a section is an error. */
#include "scenario.h"
#include "fsutil.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct entry {
    char *section;
    char *key;
    char *value;
    int line;
    int used;
} entry;

typedef struct section_rec {
    char *name;
    int line;
    int used;
} section_rec;

struct fp_scenario {
    char *path;
    char *dir;
    char *name;
    char *text;
    entry *e;
    size_t n, cap;
    section_rec *s;
    size_t ns, caps;
};

/* Parser state: the reader counts lines so handler errors carry them. */
typedef struct parse_state {
    fp_scenario *sc;
    const char *pos;      /* next unread character of the text */
    int line;             /* number of the line last handed to inih */
    int raw_indented;     /* that line starts with white space */
    int line_too_long;    /* line number of an over-long line, or 0 */
    int max_line;         /* inih's buffer size, as passed to the reader */
    int err_line;         /* first handler error line, or 0 */
    char err_msg[FP_ERROR_MSG_MAX];
    char cur_section[256];
} parse_state;

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Hands inih one line at a time so that the line number is known. */
static char *reader(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    if (!*ps->pos || ps->line_too_long)
        return NULL;
    const char *nl = strchr(ps->pos, '\n');
    size_t len = nl ? (size_t)(nl - ps->pos) + 1 : strlen(ps->pos);
    ps->line++;
    ps->max_line = num;
    if (len + 1 > (size_t)num) {
        ps->line_too_long = ps->line;
        return NULL;
    }
    memcpy(str, ps->pos, len);
    str[len] = '\0';
    ps->raw_indented = (str[0] == ' ' || str[0] == '\t');
    ps->pos += len;
    return str;
}

static section_rec *find_section(const fp_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->ns; i++)
        if (strcasecmp(sc->s[i].name, name) == 0)
            return &sc->s[i];
    return NULL;
}

static entry *find_entry(const fp_scenario *sc, const char *section, const char *key)
{
    for (size_t i = 0; i < sc->n; i++)
        if (strcasecmp(sc->e[i].section, section) == 0 &&
            strcasecmp(sc->e[i].key, key) == 0)
            return &sc->e[i];
    return NULL;
}

static int add_section(fp_scenario *sc, const char *name, int line)
{
    if (find_section(sc, name))
        return 0; /* a section may be reopened; its keys still must be unique */
    if (sc->ns == sc->caps) {
        size_t nc = sc->caps ? 2 * sc->caps : 16;
        section_rec *ns = realloc(sc->s, nc * sizeof *ns);
        if (!ns)
            return -1;
        sc->s = ns;
        sc->caps = nc;
    }
    section_rec *r = &sc->s[sc->ns];
    r->name = dupstr(name);
    if (!r->name)
        return -1;
    r->line = line;
    r->used = 0;
    sc->ns++;
    return 0;
}

static int handler_fail(parse_state *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int handler_fail(parse_state *ps, const char *fmt, ...)
{
    if (!ps->err_line) {
        ps->err_line = ps->line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err_msg, sizeof ps->err_msg, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    fp_scenario *sc = ps->sc;
    if (!*section)
        return handler_fail(ps, "key '%s' outside any [section]", name);
    if (strcmp(ps->cur_section, section) != 0) {
        snprintf(ps->cur_section, sizeof ps->cur_section, "%s", section);
        /* inih reports the section with its first key; the header's own line
         * is not known here, the key's line is close enough for messages. */
        if (add_section(sc, section, ps->line) != 0)
            return handler_fail(ps, "out of memory");
    }
    entry *old = find_entry(sc, section, name);
    if (old) {
        if (ps->raw_indented && sc->n > 0 && old == &sc->e[sc->n - 1]) {
            size_t la = strlen(old->value), lb = strlen(value);
            char *nv = realloc(old->value, la + lb + 2);
            if (!nv)
                return handler_fail(ps, "out of memory");
            nv[la] = ' ';
            memcpy(nv + la + 1, value, lb + 1);
            old->value = nv;
            return 1;
        }
        return handler_fail(ps, "key '%s' given twice (first on line %d)", name, old->line);
    }
    if (sc->n == sc->cap) {
        size_t nc = sc->cap ? 2 * sc->cap : 32;
        entry *ne = realloc(sc->e, nc * sizeof *ne);
        if (!ne)
            return handler_fail(ps, "out of memory");
        sc->e = ne;
        sc->cap = nc;
    }
    entry *e = &sc->e[sc->n];
    e->section = dupstr(section);
    e->key = dupstr(name);
    e->value = dupstr(value);
    e->line = ps->line;
    e->used = 0;
    if (!e->section || !e->key || !e->value) {
        free(e->section);
        free(e->key);
        free(e->value);
        return handler_fail(ps, "out of memory");
    }
    sc->n++;
    return 1;
}

/* Records section headers that have no keys (inih only reports keys). */
static int scan_empty_sections(fp_scenario *sc)
{
    int line = 0;
    for (const char *p = sc->text; *p;) {
        line++;
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        /* an indented line after a key is a continuation for inih, not a
         * header: only unindented headers count here */
        if (*q == '[' && q == p) {
            const char *end = strchr(q, ']');
            const char *nl = strchr(q, '\n');
            if (end && (!nl || end < nl)) {
                char name[256];
                size_t len = (size_t)(end - q - 1);
                if (len >= sizeof name)
                    len = sizeof name - 1;
                memcpy(name, q + 1, len);
                name[len] = '\0';
                /* trim, as inih does */
                char *s = name;
                while (isspace((unsigned char)*s))
                    s++;
                size_t l = strlen(s);
                while (l && isspace((unsigned char)s[l - 1]))
                    s[--l] = '\0';
                section_rec *r = find_section(sc, s);
                if (r)
                    r->line = line;
                else if (add_section(sc, s, line) != 0)
                    return -1;
            }
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static int set_names(fp_scenario *sc, const char *path)
{
    sc->path = dupstr(path);
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t n = (size_t)(slash - path);
        sc->dir = malloc(n + 2);
        if (sc->dir) {
            if (n == 0) {
                strcpy(sc->dir, "/");
            } else {
                memcpy(sc->dir, path, n);
                sc->dir[n] = '\0';
            }
        }
    } else {
        sc->dir = dupstr(".");
    }
    const char *base = slash ? slash + 1 : path;
    sc->name = dupstr(base);
    if (sc->name) {
        char *dot = strrchr(sc->name, '.');
        if (dot && dot != sc->name)
            *dot = '\0';
    }
    return (sc->path && sc->dir && sc->name) ? 0 : -1;
}

fp_scenario *fp_scenario_parse(const char *text, const char *name, fp_error *err)
{
    fp_scenario *sc = calloc(1, sizeof *sc);
    parse_state *ps = NULL;
    if (!sc || !text || !name)
        goto nomem;
    if (set_names(sc, name) != 0)
        goto nomem;
    sc->text = dupstr(text);
    if (!sc->text)
        goto nomem;
    ps = calloc(1, sizeof *ps);
    if (!ps)
        goto nomem;
    ps->sc = sc;
    ps->pos = sc->text;
    int rc = ini_parse_stream(reader, ps, handler, ps);
    if (ps->line_too_long && (!ps->err_line || ps->line_too_long < ps->err_line) &&
        (rc <= 0 || ps->line_too_long <= rc)) {
        fp_error_set(err, FP_ESCENARIO, "%s:%d: line too long (at most %d characters)",
                     name, ps->line_too_long, ps->max_line - 2);
        goto fail;
    }
    if (rc < 0) {
        goto nomem;
    }
    if (ps->err_line && (rc == 0 || ps->err_line <= rc)) {
        fp_error_set(err, FP_ESCENARIO, "%s:%d: %s", name, ps->err_line, ps->err_msg);
        goto fail;
    }
    if (rc > 0) {
        fp_error_set(err, FP_ESCENARIO,
                     "%s:%d: syntax error (expected '[section]' or 'key = value')", name, rc);
        goto fail;
    }
    if (scan_empty_sections(sc) != 0)
        goto nomem;
    free(ps);
    return sc;
nomem:
    fp_error_set(err, FP_ENOMEM, "%s: out of memory while reading the scenario",
                 name ? name : "?");
fail:
    free(ps);
    fp_scenario_free(sc);
    return NULL;
}

fp_scenario *fp_scenario_load(const char *path, fp_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    int rc = fp_fs_read_file(path, (size_t)16 << 20, &buf, &n, err);
    if (rc) {
        if (rc == FP_ENOTFOUND)
            fp_error_set(err, FP_ENOTFOUND, "%s: cannot open scenario: %s", path,
                         strerror(errno));
        else if (rc == FP_EIO && err)
            err->code = FP_ESCENARIO; /* an input, not an output error (exit 1) */
        return NULL;
    }
    if (strlen(buf) != n) {
        free(buf);
        fp_error_set(err, FP_ESCENARIO, "%s: contains a NUL byte (not a text file)", path);
        return NULL;
    }
    fp_scenario *sc = fp_scenario_parse(buf, path, err);
    free(buf);
    return sc;
}

void fp_scenario_free(fp_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++) {
        free(sc->e[i].section);
        free(sc->e[i].key);
        free(sc->e[i].value);
    }
    for (size_t i = 0; i < sc->ns; i++)
        free(sc->s[i].name);
    free(sc->e);
    free(sc->s);
    free(sc->path);
    free(sc->dir);
    free(sc->name);
    free(sc->text);
    free(sc);
}

const char *fp_scenario_path(const fp_scenario *sc) { return sc->path; }
const char *fp_scenario_dir(const fp_scenario *sc) { return sc->dir; }
const char *fp_scenario_name(const fp_scenario *sc) { return sc->name; }
const char *fp_scenario_text(const fp_scenario *sc) { return sc->text; }

static void mark_section(fp_scenario *sc, const char *section)
{
    section_rec *r = find_section(sc, section);
    if (r)
        r->used = 1;
}

const char *fp_scenario_get(fp_scenario *sc, const char *section, const char *key)
{
    mark_section(sc, section);
    entry *e = find_entry(sc, section, key);
    if (!e)
        return NULL;
    e->used = 1;
    return e->value;
}

int fp_scenario_line(const fp_scenario *sc, const char *section, const char *key)
{
    const entry *e = find_entry(sc, section, key);
    return e ? e->line : 0;
}

int fp_scenario_has_section(const fp_scenario *sc, const char *section)
{
    return find_section(sc, section) != NULL;
}

void fp_scenario_skip_section(fp_scenario *sc, const char *section)
{
    mark_section(sc, section);
    for (size_t i = 0; i < sc->n; i++)
        if (strcasecmp(sc->e[i].section, section) == 0)
            sc->e[i].used = 1;
}

static int bad_value(const fp_scenario *sc, const char *section, const char *key,
                     const char *value, const char *what, fp_error *err)
{
    return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s = '%s': %s", sc->path,
                        fp_scenario_line(sc, section, key), section, key, value, what);
}

int fp_scenario_get_double(fp_scenario *sc, const char *section, const char *key,
                           double def, double min, double max, double *out,
                           fp_error *err)
{
    const char *v = fp_scenario_get(sc, section, key);
    if (!v) {
        *out = def;
        return FP_OK;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE)
        return bad_value(sc, section, key, v, "not a number", err);
    if (!isfinite(d))
        return bad_value(sc, section, key, v, "not a finite number", err);
    if (d < min || d > max) {
        char what[128];
        snprintf(what, sizeof what, "must be between %g and %g", min, max);
        return bad_value(sc, section, key, v, what, err);
    }
    *out = d;
    return FP_OK;
}

int fp_scenario_get_int(fp_scenario *sc, const char *section, const char *key,
                        long def, long min, long max, long *out, fp_error *err)
{
    const char *v = fp_scenario_get(sc, section, key);
    if (!v) {
        *out = def;
        return FP_OK;
    }
    char *end = NULL;
    errno = 0;
    long l = strtol(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE)
        return bad_value(sc, section, key, v, "not an integer", err);
    if (l < min || l > max) {
        char what[128];
        snprintf(what, sizeof what, "must be between %ld and %ld", min, max);
        return bad_value(sc, section, key, v, what, err);
    }
    *out = l;
    return FP_OK;
}

int fp_scenario_get_bool(fp_scenario *sc, const char *section, const char *key,
                         int def, int *out, fp_error *err)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    const char *v = fp_scenario_get(sc, section, key);
    if (!v) {
        *out = def;
        return FP_OK;
    }
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return FP_OK;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return FP_OK;
        }
    }
    return bad_value(sc, section, key, v, "expected true/false, yes/no, on/off or 1/0", err);
}

int fp_scenario_get_string(fp_scenario *sc, const char *section, const char *key,
                           const char *def, const char **out, fp_error *err)
{
    (void)err;
    const char *v = fp_scenario_get(sc, section, key);
    *out = v ? v : def;
    return FP_OK;
}

int fp_scenario_get_choice(fp_scenario *sc, const char *section, const char *key,
                           const char *const *choices, int def, int *out,
                           fp_error *err)
{
    const char *v = fp_scenario_get(sc, section, key);
    if (!v) {
        *out = def;
        return FP_OK;
    }
    char what[512] = "expected one of:";
    for (int i = 0; choices[i]; i++) {
        if (strcasecmp(v, choices[i]) == 0) {
            *out = i;
            return FP_OK;
        }
        size_t l = strlen(what);
        snprintf(what + l, sizeof what - l, "%s %s", i ? "," : "", choices[i]);
    }
    return bad_value(sc, section, key, v, what, err);
}

int fp_scenario_each(fp_scenario *sc, const char *section,
                     int (*fn)(void *ud, const char *key, const char *value,
                               int line, fp_error *err),
                     void *ud, fp_error *err)
{
    mark_section(sc, section);
    for (size_t i = 0; i < sc->n; i++) {
        if (strcasecmp(sc->e[i].section, section) != 0)
            continue;
        sc->e[i].used = 1;
        int rc = fn(ud, sc->e[i].key, sc->e[i].value, sc->e[i].line, err);
        if (rc)
            return rc;
    }
    return FP_OK;
}

int fp_scenario_check_unused(const fp_scenario *sc, fp_error *err)
{
    /* Keys first, in file order: a misspelt key is the usual mistake. */
    for (size_t i = 0; i < sc->n; i++) {
        const entry *e = &sc->e[i];
        if (e->used)
            continue;
        const section_rec *r = find_section(sc, e->section);
        if (r && !r->used)
            return fp_error_set(err, FP_ESCENARIO, "%s:%d: unknown section [%s]", sc->path,
                                r->line, r->name);
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: unknown key '%s' in [%s]", sc->path,
                            e->line, e->key, e->section);
    }
    for (size_t i = 0; i < sc->ns; i++)
        if (!sc->s[i].used)
            return fp_error_set(err, FP_ESCENARIO, "%s:%d: unknown section [%s]", sc->path,
                                sc->s[i].line, sc->s[i].name);
    return FP_OK;
}
