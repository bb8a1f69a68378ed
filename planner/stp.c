/* stp: SteinLib .stp / PACE .gr reader and writer. */
#include "stp.h"
#include "fsutil.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Largest graph the reader accepts: beyond this int indices could overflow
 * in the solver's arc arrays (2 * edges). */
#define STP_MAX_NODES 50000000
#define STP_MAX_EDGES 200000000
#define STP_MAX_TOKENS 8

typedef struct {
    const char *name;
    int line;
    fp_error *err;
} pctx;

static int perr(pctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(pctx *c, int code, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fp_error_set(c->err, code, "%s:%d: %s", c->name, c->line, buf);
}

/* Splits a line in place into whitespace-separated tokens; quoted strings
 * ("...") are one token without the quotes. Returns the token count. */
static int tokenize(char *s, char **tok, int max)
{
    int n = 0;
    while (*s) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        if (n == max)
            return n + 1;
        if (*s == '"') {
            tok[n++] = ++s;
            while (*s && *s != '"')
                s++;
        } else {
            tok[n++] = s;
            while (*s && !isspace((unsigned char)*s))
                s++;
        }
        if (*s)
            *s++ = '\0';
    }
    return n;
}

static int parse_int(pctx *c, const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.40s", s);
        return perr(c, FP_EINPUT, "bad integer '%s' (or out of range)", buf);
    }
    *v = x;
    return FP_OK;
}

static int parse_cost(pctx *c, const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(x) || x < 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.40s", s);
        return perr(c, FP_EINPUT, "bad cost '%s' (need a finite number >= 0)", buf);
    }
    *v = x;
    return FP_OK;
}

enum { SEC_NONE, SEC_GRAPH, SEC_TERMINALS, SEC_COMMENT, SEC_OTHER };

int fp_stp_parse(const char *text, size_t len, const char *name, fp_sgraph **out,
                 fp_error *err)
{
    pctx c = {name ? name : "<stp>", 0, err};
    fp_sgraph *g = NULL;
    char *line = NULL;
    size_t cap = 0;
    int rc = FP_OK, sec = SEC_NONE, seen_eof = 0, seen_graph = 0;
    long root = -1;
    int rootp = 0;
    char iname[128] = "";
    *out = NULL;
    size_t pos = 0;
    while (pos < len && !seen_eof) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        size_t l = e - pos;
        if (l + 1 > cap) {
            cap = l + 64;
            char *nl = realloc(line, cap);
            if (!nl) {
                rc = fp_error_set(err, FP_ENOMEM, "%s: out of memory", c.name);
                goto out;
            }
            line = nl;
        }
        memcpy(line, text + pos, l);
        line[l] = '\0';
        for (size_t i = 0; i < l; i++)
            if (line[i] == '\0' || line[i] == '\r')
                line[i] = ' ';
        pos = e + 1;
        c.line++;
        char *tok[STP_MAX_TOKENS + 1];
        if (sec == SEC_COMMENT || sec == SEC_OTHER) {
            /* Comments may hold anything (non-ASCII, quotes): only END and
             * the instance name matter. */
            int nt = tokenize(line, tok, STP_MAX_TOKENS);
            if (nt >= 1 && strcasecmp(tok[0], "END") == 0) {
                sec = SEC_NONE;
            } else if (sec == SEC_COMMENT && nt >= 2 && strcasecmp(tok[0], "Name") == 0) {
                snprintf(iname, sizeof iname, "%s", tok[1]);
            }
            continue;
        }
        int nt = tokenize(line, tok, STP_MAX_TOKENS);
        if (nt == 0)
            continue;
        if (nt > STP_MAX_TOKENS)
            nt = STP_MAX_TOKENS;
        const char *k = tok[0];
        if (sec == SEC_NONE) {
            if (strcasecmp(k, "SECTION") == 0) {
                if (nt < 2) {
                    rc = perr(&c, FP_EINPUT, "SECTION without a name");
                    goto out;
                }
                if (strcasecmp(tok[1], "Graph") == 0) {
                    sec = SEC_GRAPH;
                    seen_graph = 1;
                } else if (strcasecmp(tok[1], "Terminals") == 0) {
                    sec = SEC_TERMINALS;
                } else if (strcasecmp(tok[1], "Comment") == 0 ||
                           strcasecmp(tok[1], "Comments") == 0) {
                    sec = SEC_COMMENT;
                } else {
                    sec = SEC_OTHER;
                }
            } else if (strcasecmp(k, "EOF") == 0) {
                seen_eof = 1;
            } else if (c.line == 1 && strcasecmp(k, "33D32945") == 0) {
                /* magic line, any case */
            } else {
                rc = perr(&c, FP_EINPUT, "unexpected '%.40s' outside a section", k);
                goto out;
            }
            continue;
        }
        if (strcasecmp(k, "END") == 0) {
            sec = SEC_NONE;
            continue;
        }
        if (sec == SEC_GRAPH) {
            if (strcasecmp(k, "Nodes") == 0) {
                long n = 0;
                if (nt < 2) {
                    rc = perr(&c, FP_EINPUT, "Nodes without a count");
                    goto out;
                }
                if ((rc = parse_int(&c, tok[1], 0, LONG_MAX, &n)))
                    goto out;
                if (g) {
                    rc = perr(&c, FP_EINPUT, "Nodes given twice");
                    goto out;
                }
                if (n > STP_MAX_NODES) {
                    rc = perr(&c, FP_ELIMIT, "too many nodes (limit %d)", STP_MAX_NODES);
                    goto out;
                }
                g = fp_sgraph_create((int)n);
                if (!g) {
                    rc = fp_error_set(err, FP_ENOMEM, "%s: out of memory", c.name);
                    goto out;
                }
            } else if (strcasecmp(k, "Edges") == 0 || strcasecmp(k, "Arcs") == 0) {
                /* the count is not trusted: E lines are counted */
            } else if (strcasecmp(k, "E") == 0) {
                long u = 0, v = 0;
                double w = 0;
                if (!g) {
                    rc = perr(&c, FP_EINPUT, "edge before the Nodes line");
                    goto out;
                }
                if (nt < 4) {
                    rc = perr(&c, FP_EINPUT, "edge line needs 'E u v cost'");
                    goto out;
                }
                if ((rc = parse_int(&c, tok[1], 1, g->n_nodes, &u)) ||
                    (rc = parse_int(&c, tok[2], 1, g->n_nodes, &v)) ||
                    (rc = parse_cost(&c, tok[3], &w)))
                    goto out;
                if (g->n_edges >= STP_MAX_EDGES) {
                    rc = perr(&c, FP_ELIMIT, "too many edges");
                    goto out;
                }
                if (fp_sgraph_add_edge(g, (int)u - 1, (int)v - 1, w, err) < 0) {
                    rc = fp_error_prefix(err, "%s:%d: ", c.name, c.line);
                    goto out;
                }
            } else if (strcasecmp(k, "A") == 0) {
                rc = perr(&c, FP_EINPUT,
                          "arc line: directed Steiner problems are not supported");
                goto out;
            } else {
                rc = perr(&c, FP_EINPUT, "unknown keyword '%.40s' in section Graph", k);
                goto out;
            }
        } else if (sec == SEC_TERMINALS) {
            if (strcasecmp(k, "Terminals") == 0) {
                /* count not trusted either */
            } else if (strcasecmp(k, "T") == 0 || strcasecmp(k, "TP") == 0 ||
                       strcasecmp(k, "Root") == 0 || strcasecmp(k, "RootP") == 0) {
                long v = 0;
                if (!g) {
                    rc = perr(&c, FP_EINPUT, "terminal before the Graph section");
                    goto out;
                }
                if (nt < 2) {
                    rc = perr(&c, FP_EINPUT, "'%s' needs a vertex", k);
                    goto out;
                }
                if ((rc = parse_int(&c, tok[1], 1, g->n_nodes, &v)))
                    goto out;
                if (strcasecmp(k, "T") == 0) {
                    g->term[v - 1] = 1;
                } else if (strcasecmp(k, "TP") == 0) {
                    double p = 0;
                    if (nt < 3) {
                        rc = perr(&c, FP_EINPUT, "TP line needs 'TP v prize'");
                        goto out;
                    }
                    if ((rc = parse_cost(&c, tok[2], &p)))
                        goto out;
                    if ((rc = fp_sgraph_enable_prizes(g, err)))
                        goto out;
                    g->prize[v - 1] = p;
                } else {
                    root = v - 1;
                    rootp = strcasecmp(k, "RootP") == 0;
                }
            } else {
                rc = perr(&c, FP_EINPUT, "unknown keyword '%.40s' in section Terminals", k);
                goto out;
            }
        }
    }
    if (sec != SEC_NONE) {
        rc = fp_error_set(err, FP_EINPUT, "%s:%d: file ends inside a section (no END)",
                          c.name, c.line);
        goto out;
    }
    if (!seen_graph || !g) {
        rc = fp_error_set(err, FP_EINPUT, "%s:%d: no Graph section with a Nodes line",
                          c.name, c.line);
        goto out;
    }
    g->root = (int)root;
    if (root >= 0 && !rootp)
        g->term[root] = 1;
    if (g->prize)
        g->problem = rootp || root >= 0 ? FP_PROB_RPCSTP : FP_PROB_PCSTP;
    else if (rootp)
        g->problem = FP_PROB_RPCSTP;
    if (g->problem == FP_PROB_RPCSTP && root >= 0)
        g->term[root] = 1;
    if (iname[0]) {
        snprintf(g->name, sizeof g->name, "%s", iname);
    } else {
        const char *b = strrchr(c.name, '/');
        b = b ? b + 1 : c.name;
        snprintf(g->name, sizeof g->name, "%s", b);
        char *dot = strrchr(g->name, '.');
        if (dot && dot != g->name)
            *dot = '\0';
    }
out:
    free(line);
    if (rc) {
        fp_sgraph_free(g);
        return rc;
    }
    *out = g;
    return FP_OK;
}

int fp_stp_read(const char *path, fp_sgraph **out, fp_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(err, errno == ENOENT ? FP_ENOTFOUND : FP_EIO, "%s: %s", path,
                            strerror(errno));
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    int rc = FP_OK;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf)
        rc = fp_error_set(err, FP_ENOMEM, "%s: out of memory", path);
    else if (ferror(f))
        rc = fp_error_set(err, FP_EIO, "%s: read error", path);
    fclose(f);
    if (!rc)
        rc = fp_stp_parse(buf, n, path, out, err);
    free(buf);
    return rc;
}

/* Shortest text that reads back as the same double. */
static void fmt_num(char *buf, size_t n, double x)
{
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, n, "%.0f", x);
        return;
    }
    for (int p = 6; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

int fp_stp_write(const char *path, const fp_sgraph *g, fp_error *err)
{
    fp_afile *af = fp_afile_open(path, err);
    if (!af)
        return err ? err->code : FP_EIO;
    FILE *f = fp_afile_fp(af);
    char a[64];
    fprintf(f, "33D32945 STP File, STP Format Version 1.0\n\nSECTION Comment\n");
    char nm[128];
    snprintf(nm, sizeof nm, "%s", g->name[0] ? g->name : "fibreplan");
    for (char *p = nm; *p; p++)
        if (*p == '"' || (unsigned char)*p < 32)
            *p = '_';
    fprintf(f, "Name    \"%s\"\nCreator \"fibreplan\"\n", nm);
    if (g->problem != FP_PROB_SPG)
        fprintf(f, "Problem \"%s\"\n", g->problem == FP_PROB_PCSTP
                                           ? "Prize-Collecting Steiner Problem in Graphs"
                                           : "Rooted Prize-Collecting Steiner Problem in Graphs");
    fprintf(f, "END\n\nSECTION Graph\nNodes %d\nEdges %d\n", g->n_nodes, g->n_edges);
    for (int e = 0; e < g->n_edges; e++) {
        fmt_num(a, sizeof a, g->cost[e]);
        fprintf(f, "E %d %d %s\n", g->tail[e] + 1, g->head[e] + 1, a);
    }
    int nt = 0;
    for (int v = 0; v < g->n_nodes; v++)
        nt += g->term[v] || (g->prize && g->prize[v] > 0);
    fprintf(f, "END\n\nSECTION Terminals\nTerminals %d\n", nt);
    if (g->root >= 0)
        fprintf(f, "%s %d\n", g->problem == FP_PROB_RPCSTP ? "RootP" : "Root", g->root + 1);
    for (int v = 0; v < g->n_nodes; v++) {
        if (g->prize && g->problem != FP_PROB_SPG && g->prize[v] > 0 && v != g->root) {
            fmt_num(a, sizeof a, g->prize[v]);
            fprintf(f, "TP %d %s\n", v + 1, a);
        } else if (g->term[v] && v != g->root) {
            fprintf(f, "T %d\n", v + 1);
        }
    }
    fprintf(f, "END\n\nEOF\n");
    return fp_afile_commit(af, err);
}
