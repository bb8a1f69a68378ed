/* load: OGR/PROJ/GEOS ingestion of buildings, streets, sites and existing
 * infrastructure into an fp_dataset; dwelling counts and their provenance. */
#include "load.h"

#include "gdalutil.h"

#include <ctype.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Limits: a refusal is a clear error, not an exhausted machine. */
#define FP_LOAD_MAX_FEATURES 20000000LL
#define FP_LOAD_MAX_WKB (64u << 20)
#define FP_LOAD_MAX_VALUE_WARNINGS 5

/* ---------------------------------------------------------------- options */

static char *dupstr(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void strlist_free(fp_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Splits "a, b ,c" on commas, trimming white space, dropping empty items. */
static int strlist_set(fp_strlist *l, const char *csv)
{
    strlist_free(l);
    if (!csv)
        return 0;
    size_t cap = 1;
    for (const char *p = csv; *p; p++)
        cap += *p == ',';
    l->v = calloc(cap, sizeof *l->v);
    if (!l->v)
        return -1;
    const char *p = csv;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a) {
            char *s = malloc((size_t)(b - a) + 1);
            if (!s)
                return -1;
            memcpy(s, a, (size_t)(b - a));
            s[b - a] = '\0';
            l->v[l->n++] = s;
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int strlist_has(const fp_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

static void layer_free(fp_load_layer *L)
{
    free(L->source);
    free(L->layer);
    free(L->where);
    free(L->source_crs);
    memset(L, 0, sizeof *L);
}

void fp_load_opts_free(fp_load_opts *o)
{
    if (!o)
        return;
    free(o->crs);
    free(o->scenario_path);
    free(o->title);
    free(o->description);
    layer_free(&o->buildings);
    char **strs[] = {&o->id_field, &o->dwellings_field, &o->levels_field, &o->height_field,
                     &o->usage_field, &o->block_field, &o->priority_field, &o->optout_field,
                     &o->elderly_field, &o->class_field, &o->site_id_field, &o->site_crs,
                     &o->site_id, &o->kind_field};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    strlist_free(&o->residential_values);
    layer_free(&o->streets);
    strlist_free(&o->footway_classes);
    strlist_free(&o->service_classes);
    strlist_free(&o->exclude_classes);
    layer_free(&o->sites);
    layer_free(&o->infra);
    strlist_free(&o->duct_values);
    strlist_free(&o->aerial_values);
    strlist_free(&o->pole_values);
    memset(o, 0, sizeof *o);
}

/* Defaults: see README "Scenario files". The footway and service class lists
 * cover OSM `highway` values and BD TOPO `NATURE` values. */
#define DEFAULT_FOOTWAYS "footway, path, pedestrian, steps, cycleway, bridleway, corridor, " \
                         "Sentier, Escalier, Piste cyclable, Escalier mécanique"
#define DEFAULT_SERVICE "service, track, Chemin"
#define DEFAULT_EXCLUDE "proposed, construction, abandoned, platform, raceway, elevator, " \
                        "bus_stop, rest_area, services, bus_guideway, escape, via_ferrata, " \
                        "Bac ou liaison maritime, Bac auto, Bac piéton"
#define DEFAULT_DUCTS "duct, conduite, fourreau, underground, souterrain, Souterrain"
#define DEFAULT_AERIAL "aerial, overhead, aérien, Aérien, facade, façade"
#define DEFAULT_POLES "pole, poteau, appui"

int fp_load_opts_init(fp_load_opts *o, fp_error *err)
{
    memset(o, 0, sizeof *o);
    o->estimate_missing = 1;
    o->rule.small_floor_area = 350;
    o->rule.small_dwellings = 1;
    o->rule.efficiency = 0.75;
    o->rule.area_per_dwelling = 65;
    o->rule.default_levels = 1;
    o->rule.level_height = 3;
    o->rule.min_area = 0;
    o->include_footways = 0;
    o->include_service = 1;
    o->clip_margin = -1;
    o->default_kind = FP_INFRA_DUCT;
    if (strlist_set(&o->footway_classes, DEFAULT_FOOTWAYS) ||
        strlist_set(&o->service_classes, DEFAULT_SERVICE) ||
        strlist_set(&o->exclude_classes, DEFAULT_EXCLUDE) ||
        strlist_set(&o->duct_values, DEFAULT_DUCTS) ||
        strlist_set(&o->aerial_values, DEFAULT_AERIAL) ||
        strlist_set(&o->pole_values, DEFAULT_POLES))
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    return FP_OK;
}

int fp_load_estimate_dwellings(const fp_dwelling_rule *r, double area, double levels)
{
    if (!(area > 0) || area < r->min_area)
        return 0;
    double floor_area = area * (levels > 0 ? levels : r->default_levels);
    if (floor_area < r->small_floor_area)
        return (int)lround(r->small_dwellings);
    double d = floor_area * r->efficiency / r->area_per_dwelling;
    if (d > 1e6)
        d = 1e6;
    long n = lround(d);
    return n < 1 ? 1 : (int)n;
}

/* A connection string ("PG:dbname=x", "GPKG:file:layer") or a GDAL virtual
 * path is taken as given; anything else is a file path. */
static int is_connection(const char *s)
{
    if (strncmp(s, "/vsi", 4) == 0)
        return 1;
    const char *c = strchr(s, ':');
    if (!c || c - s < 2)
        return 0; /* no prefix, or a one-letter drive */
    for (const char *p = s; p < c; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
    return 1;
}

typedef struct sources_map {
    char **names, **values;
    size_t n;
    const fp_scenario *sc;
} sources_map;

static int add_source(void *ud, const char *key, const char *value, int line, fp_error *err)
{
    sources_map *m = ud;
    char **nn = realloc(m->names, (m->n + 1) * sizeof *nn);
    if (!nn)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    m->names = nn;
    char **nv = realloc(m->values, (m->n + 1) * sizeof *nv);
    if (!nv)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    m->values = nv;
    m->names[m->n] = dupstr(key);
    m->values[m->n] = dupstr(value);
    m->n++;
    if (!m->names[m->n - 1] || !m->values[m->n - 1])
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    if (!*value)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [sources] %s: empty value",
                            fp_scenario_path(m->sc), line, key);
    return 0;
}

static void sources_free(sources_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->names[i]);
        free(m->values[i]);
    }
    free(m->names);
    free(m->values);
}

static char *resolve_path(const fp_scenario *sc, const char *v)
{
    if (v[0] == '/' || is_connection(v))
        return dupstr(v);
    const char *dir = fp_scenario_dir(sc);
    size_t n = strlen(dir) + strlen(v) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, v);
    return p;
}

/* Checks a CRS definition now, so that the error carries the line. */
static int check_crs(fp_scenario *sc, const char *section, const char *key,
                     const char *def, fp_error *err)
{
    if (!def)
        return FP_OK;
    OGRSpatialReferenceH s = fp_gdal_srs(def);
    if (!s)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s = '%s': not a CRS GDAL/PROJ "
                            "understands (e.g. EPSG:2154)", fp_scenario_path(sc),
                            fp_scenario_line(sc, section, key), section, key, def);
    OSRDestroySpatialReference(s);
    return FP_OK;
}

/* Reads source/layer/where/source_crs of one section. */
static int read_layer(fp_scenario *sc, const sources_map *m, const char *section,
                      fp_load_layer *L, int required, fp_error *err)
{
    const char *src = NULL, *lay = NULL, *where = NULL, *crs = NULL;
    fp_scenario_get_string(sc, section, "source", NULL, &src, err);
    fp_scenario_get_string(sc, section, "layer", NULL, &lay, err);
    fp_scenario_get_string(sc, section, "where", NULL, &where, err);
    fp_scenario_get_string(sc, section, "source_crs", NULL, &crs, err);
    if (!src || !*src) {
        if (required)
            return fp_error_set(err, FP_ESCENARIO, "%s: [%s] needs 'source = FILE' (or a "
                                "name from [sources])", fp_scenario_path(sc), section);
        return FP_OK;
    }
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->names[i], src) == 0) {
            src = m->values[i];
            break;
        }
    L->source = resolve_path(sc, src);
    L->layer = lay && *lay ? dupstr(lay) : NULL;
    L->where = where && *where ? dupstr(where) : NULL;
    L->source_crs = crs && *crs ? dupstr(crs) : NULL;
    if (!L->source)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    return check_crs(sc, section, "source_crs", L->source_crs, err);
}

static int get_field_name(fp_scenario *sc, const char *section, const char *key, char **out,
                          fp_error *err)
{
    const char *v = NULL;
    fp_scenario_get_string(sc, section, key, NULL, &v, err);
    free(*out);
    *out = NULL;
    if (v && *v) {
        *out = dupstr(v);
        if (!*out)
            return fp_error_set(err, FP_ENOMEM, "out of memory");
    }
    return FP_OK;
}

static int get_list(fp_scenario *sc, const char *section, const char *key, fp_strlist *l,
                    fp_error *err)
{
    const char *v = fp_scenario_get(sc, section, key);
    if (v && strlist_set(l, v) != 0)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    return FP_OK;
}

int fp_load_opts_from_scenario(fp_scenario *sc, fp_load_opts *o, fp_error *err)
{
    sources_map m = {0};
    m.sc = sc;
    int rc = fp_load_opts_init(o, err);
    if (rc)
        goto out;
    const char *path = fp_scenario_path(sc);
    o->scenario_path = dupstr(path);
    const char *v = NULL;
    fp_scenario_get_string(sc, "scenario", "name", NULL, &v, err);
    o->title = dupstr(v);
    fp_scenario_get_string(sc, "scenario", "description", NULL, &v, err);
    o->description = dupstr(v);
    fp_scenario_get_string(sc, "scenario", "crs", NULL, &v, err);
    if (v && *v && strcasecmp(v, "auto") != 0) {
        o->crs = dupstr(v);
        if ((rc = check_crs(sc, "scenario", "crs", v, err)))
            goto out;
    }
    if ((rc = fp_scenario_each(sc, "sources", add_source, &m, err)))
        goto out;

    /* [buildings] */
    if (!fp_scenario_has_section(sc, "buildings")) {
        rc = fp_error_set(err, FP_ESCENARIO, "%s: no [buildings] section", path);
        goto out;
    }
    if ((rc = read_layer(sc, &m, "buildings", &o->buildings, 1, err)))
        goto out;
    static const char *const bkeys[] = {"id_field", "dwellings_field", "levels_field",
                                        "height_field", "usage_field", "block_field",
                                        "priority_field", "optout_field", "elderly_field"};
    char **bdst[] = {&o->id_field, &o->dwellings_field, &o->levels_field, &o->height_field,
                     &o->usage_field, &o->block_field, &o->priority_field, &o->optout_field,
                     &o->elderly_field};
    for (size_t i = 0; i < sizeof bkeys / sizeof bkeys[0]; i++)
        if ((rc = get_field_name(sc, "buildings", bkeys[i], bdst[i], err)))
            goto out;
    if ((rc = get_list(sc, "buildings", "residential_values", &o->residential_values, err)))
        goto out;
    if (o->residential_values.n && !o->usage_field) {
        rc = fp_error_set(err, FP_ESCENARIO, "%s:%d: [buildings] residential_values needs "
                          "usage_field", path,
                          fp_scenario_line(sc, "buildings", "residential_values"));
        goto out;
    }

    /* [dwellings] */
    fp_dwelling_rule *r = &o->rule;
    if ((rc = fp_scenario_get_bool(sc, "dwellings", "estimate_missing", 1,
                                   &o->estimate_missing, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "small_floor_area", r->small_floor_area,
                                     0, 1e7, &r->small_floor_area, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "small_dwellings", r->small_dwellings,
                                     0, 1e4, &r->small_dwellings, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "efficiency", r->efficiency, 0.01, 1,
                                     &r->efficiency, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "area_per_dwelling",
                                     r->area_per_dwelling, 1, 1e5, &r->area_per_dwelling,
                                     err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "default_levels", r->default_levels,
                                     0.1, 500, &r->default_levels, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "level_height", r->level_height, 0.5,
                                     100, &r->level_height, err)) ||
        (rc = fp_scenario_get_double(sc, "dwellings", "min_area", r->min_area, 0, 1e7,
                                     &r->min_area, err)))
        goto out;

    /* [streets] */
    if (fp_scenario_has_section(sc, "streets")) {
        if ((rc = read_layer(sc, &m, "streets", &o->streets, 1, err)) ||
            (rc = get_field_name(sc, "streets", "class_field", &o->class_field, err)) ||
            (rc = fp_scenario_get_bool(sc, "streets", "include_footways", o->include_footways,
                                       &o->include_footways, err)) ||
            (rc = fp_scenario_get_bool(sc, "streets", "include_service", o->include_service,
                                       &o->include_service, err)) ||
            (rc = get_list(sc, "streets", "footway_classes", &o->footway_classes, err)) ||
            (rc = get_list(sc, "streets", "service_classes", &o->service_classes, err)) ||
            (rc = get_list(sc, "streets", "exclude_classes", &o->exclude_classes, err)) ||
            (rc = fp_scenario_get_double(sc, "streets", "clip_margin", -1, -1, 1e6,
                                         &o->clip_margin, err)))
            goto out;
        o->has_streets = 1;
    }

    /* [sites] */
    if (fp_scenario_has_section(sc, "sites")) {
        const char *x = fp_scenario_get(sc, "sites", "x");
        const char *y = fp_scenario_get(sc, "sites", "y");
        if ((rc = read_layer(sc, &m, "sites", &o->sites, !(x || y), err)) ||
            (rc = get_field_name(sc, "sites", "id_field", &o->site_id_field, err)) ||
            (rc = get_field_name(sc, "sites", "crs", &o->site_crs, err)) ||
            (rc = get_field_name(sc, "sites", "id", &o->site_id, err)))
            goto out;
        if (x || y) {
            if (o->sites.source) {
                rc = fp_error_set(err, FP_ESCENARIO, "%s:%d: [sites] give either source or "
                                  "x/y, not both", path, fp_scenario_line(sc, "sites", "x"));
                goto out;
            }
            if (!x || !y || !o->site_crs) {
                rc = fp_error_set(err, FP_ESCENARIO, "%s:%d: [sites] coordinates need x, y "
                                  "and crs (e.g. crs = EPSG:2154)", path,
                                  fp_scenario_line(sc, "sites", x ? "x" : "y"));
                goto out;
            }
            if ((rc = fp_scenario_get_double(sc, "sites", "x", 0, -1e9, 1e9, &o->site_x, err)) ||
                (rc = fp_scenario_get_double(sc, "sites", "y", 0, -1e9, 1e9, &o->site_y, err)) ||
                (rc = check_crs(sc, "sites", "crs", o->site_crs, err)))
                goto out;
            o->site_by_xy = 1;
        }
        o->has_sites = 1;
    }

    /* [infra] */
    if (fp_scenario_has_section(sc, "infra")) {
        static const char *const kinds[] = {"duct", "aerial", NULL};
        if ((rc = read_layer(sc, &m, "infra", &o->infra, 1, err)) ||
            (rc = get_field_name(sc, "infra", "kind_field", &o->kind_field, err)) ||
            (rc = get_list(sc, "infra", "duct_values", &o->duct_values, err)) ||
            (rc = get_list(sc, "infra", "aerial_values", &o->aerial_values, err)) ||
            (rc = get_list(sc, "infra", "pole_values", &o->pole_values, err)) ||
            (rc = fp_scenario_get_choice(sc, "infra", "default_kind", kinds, FP_INFRA_DUCT,
                                         &o->default_kind, err)))
            goto out;
        o->has_infra = 1;
    }
    if (!o->scenario_path)
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
out:
    sources_free(&m);
    return rc;
}

/* ---------------------------------------------------------------- reading */

/* How a configured attribute is found in a layer: a field, or (OSM) a tag
 * inside the other_tags hstore field. */
typedef struct fref {
    int idx;           /* field index, -1 if not configured */
    const char *tag;   /* tag name looked up in other_tags when idx == -2 */
    const char *key;   /* the scenario key naming it ("dwellings_field") */
    const char *name;  /* the field's name */
    /* Values met and values unreadable, with the first unreadable one: a
     * numeric field none of whose values reads is a mistyped field. */
    long long seen, bad, bad_fid;
    char bad_val[64];
} fref;

/* One open layer. */
typedef struct lctx {
    const char *what;          /* "buildings", "streets", ... */
    const fp_load_layer *L;
    GDALDatasetH ds;
    OGRLayerH lyr;
    int osm;                   /* OSM driver: read with GDALDatasetGetNextFeature */
    int other_tags;            /* index of other_tags, or -1 */
    OGRSpatialReferenceH srs;  /* owned */
    OGRCoordinateTransformationH ct; /* NULL: identity */
    fp_layer_stats *st;
    char lname[128];
    char shown[512];           /* the source for messages, password masked */
    char tagbuf[1024];
    long value_warnings;
    fp_gdal_errs *gerr;        /* the loader's, borrowed: its context names
                                  the layer being read */
} lctx;

typedef struct loader {
    const fp_load_opts *o;
    const fp_log *log;
    fp_error *err;
    fp_gdal_errs gerr;
    fp_dataset *ds;
    OGRSpatialReferenceH work;   /* owned */
    GEOSWKBReader *wkb;
    unsigned char *buf;
    size_t bufcap;
} loader;

static void lctx_close(lctx *c)
{
    if (c->ct)
        OCTDestroyCoordinateTransformation(c->ct);
    if (c->srs)
        OSRDestroySpatialReference(c->srs);
    if (c->ds)
        GDALClose(c->ds);
    c->ct = NULL;
    c->srs = NULL;
    c->ds = NULL;
    c->lyr = NULL;
}

static void copy_utf8(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        /* do not cut a UTF-8 sequence in half */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Copies a source for messages, hiding a connection string's password
 * ("PG:dbname=x password=secret" -> "PG:dbname=x password=***"). */
static void mask_password(const char *src, char *out, size_t cap)
{
    snprintf(out, cap, "%s", src);
    char *p = strstr(out, "password=");
    if (!p)
        return;
    char *v = p + strlen("password=");
    char *end = v;
    if (*end == '\'') {
        end++;
        while (*end && *end != '\'')
            end++;
        if (*end)
            end++;
    } else {
        while (*end && *end != ' ')
            end++;
    }
    size_t tail = strlen(end);
    if ((size_t)(v - out) + 3 + tail + 1 > cap)
        return;
    memmove(v + 3, end, tail + 1);
    memcpy(v, "***", 3);
}

/* Appends name, the i-th of a list, to the ", "-separated list in out[cap];
 * returns 0, or -1 once the list is full (", ..." ends it). */
static int list_add(char *out, size_t cap, int i, const char *name)
{
    size_t l = strlen(out);
    if (l + 8 >= cap) {
        snprintf(out + l, cap - l, ", ...");
        return -1;
    }
    snprintf(out + l, cap - l, "%s%s", i ? ", " : "", name);
    return 0;
}

static void list_layers(GDALDatasetH ds, char *out, size_t cap)
{
    out[0] = '\0';
    int n = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < n; i++)
        if (list_add(out, cap, i, OGR_L_GetName(GDALDatasetGetLayer(ds, i))))
            break;
}

static void list_fields(OGRLayerH lyr, char *out, size_t cap)
{
    out[0] = '\0';
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(lyr);
    int n = OGR_FD_GetFieldCount(fd);
    for (int i = 0; i < n; i++)
        if (list_add(out, cap, i, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i))))
            break;
}

/* Opens L (borrowed) read-only as the `what` layer c, counted in st
 * (borrowed), and finds the layer; sets c->srs (layer CRS, or the
 * scenario's source_crs, which wins). */
static int open_layer(loader *ld, lctx *c, const char *what, const fp_load_layer *L,
                      fp_layer_stats *st)
{
    c->what = what;
    c->L = L;
    c->st = st;
    fp_error *err = ld->err;
    char names[400];
    fp_gdal_reset(&ld->gerr);
    c->other_tags = -1;
    mask_password(L->source, c->shown, sizeof c->shown);
    snprintf(ld->gerr.context, sizeof ld->gerr.context, "%s", c->shown);
    c->ds = GDALOpenEx(L->source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!c->ds) {
        struct stat sb;
        if (!is_connection(L->source) && stat(L->source, &sb) != 0)
            return fp_error_set(err, FP_ENOTFOUND, "%s: %s source not found: %s", c->shown,
                                c->what, strerror(errno));
        return fp_error_set(err, FP_EINPUT, "%s: cannot open as a GDAL vector source%s%s",
                            c->shown, ld->gerr.last[0] ? ": " : "", ld->gerr.last);
    }
    GDALDriverH drv = GDALGetDatasetDriver(c->ds);
    const char *dname = drv ? GDALGetDriverShortName(drv) : "";
    c->osm = strcmp(dname, "OSM") == 0;
    snprintf(c->st->source, sizeof c->st->source, "%s", c->shown);
    snprintf(c->st->driver, sizeof c->st->driver, "%s", dname);
    const char *lname = L->layer;
    if (!lname && c->osm)
        lname = strcmp(c->what, "buildings") == 0 ? "multipolygons"
              : strcmp(c->what, "sites") == 0     ? "points"
                                                  : "lines";
    if (lname) {
        c->lyr = GDALDatasetGetLayerByName(c->ds, lname);
        if (!c->lyr) {
            list_layers(c->ds, names, sizeof names);
            return fp_error_set(err, FP_ENOTFOUND, "%s: layer '%s' not found (layers: %s)",
                                c->shown, lname, names);
        }
    } else {
        int n = GDALDatasetGetLayerCount(c->ds);
        if (n == 0)
            return fp_error_set(err, FP_EINPUT, "%s: no vector layer in this source",
                                c->shown);
        if (n > 1) {
            list_layers(c->ds, names, sizeof names);
            return fp_error_set(err, FP_ESCENARIO, "%s: %d layers (%s): say which one with "
                                "'layer =' in [%s]", c->shown, n, names, c->what);
        }
        c->lyr = GDALDatasetGetLayer(c->ds, 0);
    }
    snprintf(c->lname, sizeof c->lname, "%s", OGR_L_GetName(c->lyr));
    c->gerr = &ld->gerr;
    snprintf(ld->gerr.context, sizeof ld->gerr.context, "%s: layer %s", c->shown, c->lname);
    if (c->osm) {
        /* The OSM driver builds the features of every layer as it parses;
         * its "SET interest_layers" statement makes it build only ours. */
        char sql[200];
        snprintf(sql, sizeof sql, "SET interest_layers = %s", c->lname);
        OGRLayerH r = GDALDatasetExecuteSQL(c->ds, sql, NULL, NULL);
        if (r)
            GDALDatasetReleaseResultSet(c->ds, r);
    }
    snprintf(c->st->layer, sizeof c->st->layer, "%s", c->lname);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(c->lyr);
    if (c->osm)
        c->other_tags = OGR_FD_GetFieldIndex(fd, "other_tags");

    const char *where = L->where;
    if (!where && c->osm && strcmp(c->what, "buildings") == 0)
        where = "building IS NOT NULL";
    if (!where && c->osm && strcmp(c->what, "streets") == 0)
        where = "highway IS NOT NULL";
    if (where) {
        fp_gdal_reset(&ld->gerr);
        if (OGR_L_SetAttributeFilter(c->lyr, where) != OGRERR_NONE)
            return fp_error_set(err, FP_ESCENARIO, "%s: layer %s: bad where filter '%s': %s",
                                c->shown, c->lname, where, ld->gerr.last);
    }

    if (L->source_crs) {
        c->srs = fp_gdal_srs(L->source_crs);
        if (!c->srs)
            return fp_error_set(err, FP_ECRS, "%s: layer %s: bad source_crs '%s'", c->shown,
                                c->lname, L->source_crs);
    } else {
        OGRSpatialReferenceH s = OGR_L_GetSpatialRef(c->lyr);
        if (!s)
            return fp_error_set(err, FP_ECRS, "%s: layer %s: the data has no CRS; state it "
                                "with 'source_crs =' in [%s]", c->shown, c->lname, c->what);
        c->srs = OSRClone(s);
        if (!c->srs)
            return fp_error_set(err, FP_ENOMEM, "out of memory");
        OSRSetAxisMappingStrategy(c->srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    const char *crsname = OSRGetName(c->srs);
    int epsg = fp_gdal_srs_epsg(c->srs);
    if (epsg)
        snprintf(c->st->crs, sizeof c->st->crs, "EPSG:%d", epsg);
    else
        copy_utf8(c->st->crs, sizeof c->st->crs, crsname ? crsname : "?");
    return FP_OK;
}

/* Finds a configured attribute: a field of the layer or, for OSM, a tag in
 * other_tags. Missing fields are errors naming the fields that exist. */
static int find_field(loader *ld, lctx *c, const char *name, const char *key, fref *r)
{
    memset(r, 0, sizeof *r);
    r->idx = -1;
    r->key = key;
    r->name = name;
    if (!name)
        return FP_OK;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(c->lyr);
    r->idx = OGR_FD_GetFieldIndex(fd, name);
    if (r->idx >= 0)
        return FP_OK;
    if (c->other_tags >= 0) {
        r->idx = -2;
        r->tag = name;
        return FP_OK;
    }
    char names[400];
    list_fields(c->lyr, names, sizeof names);
    return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: field '%s' (%s in [%s]) not found "
                        "(fields: %s)", c->shown, c->lname, name, key, c->what, names);
}

/* Looks up key in an hstore text `"k"=>"v","k2"=>"v2"`; copies the value
 * into out. Returns 1 if found. */
static int hstore_get(const char *h, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    const char *p = h;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p != '"')
            return 0;
        p++;
        char kb[256];
        size_t kn = 0;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            if (kn + 1 < sizeof kb)
                kb[kn++] = *p;
            p++;
        }
        kb[kn] = '\0';
        if (*p != '"')
            return 0;
        p++;
        while (*p == ' ')
            p++;
        if (strncmp(p, "=>", 2) != 0)
            return 0;
        p += 2;
        while (*p == ' ')
            p++;
        if (*p != '"') {
            /* NULL value */
            while (*p && *p != ',')
                p++;
            continue;
        }
        p++;
        size_t vn = 0;
        int match = kn == klen && memcmp(kb, key, klen) == 0;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            if (match && vn + 1 < cap)
                out[vn++] = *p;
            p++;
        }
        if (*p == '"')
            p++;
        if (match) {
            out[vn] = '\0';
            return 1;
        }
    }
    return 0;
}

/* The value of an attribute as text, or NULL if unset/null/empty. Points
 * into the feature or into c->tagbuf. */
static const char *fval(lctx *c, OGRFeatureH f, const fref *r)
{
    if (r->idx == -1)
        return NULL;
    if (r->idx == -2) {
        if (!OGR_F_IsFieldSetAndNotNull(f, c->other_tags))
            return NULL;
        const char *h = OGR_F_GetFieldAsString(f, c->other_tags);
        if (!hstore_get(h, r->tag, c->tagbuf, sizeof c->tagbuf))
            return NULL;
        return c->tagbuf[0] ? c->tagbuf : NULL;
    }
    if (!OGR_F_IsFieldSetAndNotNull(f, r->idx))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(f, r->idx);
    return (s && *s) ? s : NULL;
}

/* A number at the start of a value ("3", "2.5", "3;4" -> 3); NaN if none. */
static double parse_num(const char *s)
{
    if (!s)
        return NAN;
    while (isspace((unsigned char)*s))
        s++;
    char *end = NULL;
    double d = strtod(s, &end);
    if (end == s || !isfinite(d))
        return NAN;
    while (isspace((unsigned char)*end))
        end++;
    if (*end && *end != ';' && *end != ',')
        return NAN; /* "3 floors", "yes": not a number we trust */
    return d;
}

static void value_warning(loader *ld, lctx *c, long long fid, fref *r, const char *value,
                          const char *what)
{
    c->st->bad_values++;
    if (r->bad++ == 0) {
        r->bad_fid = fid;
        copy_utf8(r->bad_val, sizeof r->bad_val, value);
    }
    if (++c->value_warnings <= FP_LOAD_MAX_VALUE_WARNINGS)
        fp_log_msg(ld->log, FP_LOG_WARN, "%s: layer %s: feature %lld: field %s: value '%s' %s",
                   c->shown, c->lname, fid, r->name, value, what);
}

/* A column (not an OSM tag, where "yes" is common) of which no value reads
 * as a number was surely named by mistake (dwellings_field = ID): an error,
 * not a warning per feature. */
static int check_mistyped(loader *ld, lctx *c, const fref *r, const char *what)
{
    if (r->idx < 0 || r->seen == 0 || r->bad < r->seen)
        return FP_OK;
    return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: feature %lld: field %s: value '%s' "
                        "is not %s, nor is any other of its %lld values (%s in [%s] names "
                        "the wrong field?)", c->shown, c->lname, r->bad_fid, r->name,
                        r->bad_val, what, r->seen, r->key, c->what);
}

/* Counts a rejected feature under its reason: 1 empty, 2 wrong geometry
 * type, 3 invalid (as set by to_geos and the layer readers), else other. */
static void count_rejected(fp_layer_stats *st, int reject)
{
    st->rejected++;
    if (reject == 1)
        st->rej_empty++;
    else if (reject == 2)
        st->rej_geomtype++;
    else if (reject == 3)
        st->rej_invalid++;
    else
        st->rej_other++;
}

static int geom_finite(OGRGeometryH g)
{
    int n = OGR_G_GetGeometryCount(g);
    if (n > 0) {
        for (int i = 0; i < n; i++)
            if (!geom_finite(OGR_G_GetGeometryRef(g, i)))
                return 0;
        return 1;
    }
    int np = OGR_G_GetPointCount(g);
    for (int i = 0; i < np; i++) {
        double x, y;
        x = OGR_G_GetX(g, i);
        y = OGR_G_GetY(g, i);
        if (!isfinite(x) || !isfinite(y))
            return 0;
    }
    return 1;
}

static int count_points(OGRGeometryH g)
{
    int n = OGR_G_GetGeometryCount(g), t = 0;
    if (n > 0) {
        for (int i = 0; i < n; i++)
            t += count_points(OGR_G_GetGeometryRef(g, i));
        return t;
    }
    return OGR_G_GetPointCount(g);
}

/* Converts a feature's geometry (borrowed) to a 2-D GEOS geometry in the
 * working CRS. Returns FP_OK with *out set, or FP_OK with *out NULL and
 * *reject set to a reason (1 empty, 3 invalid) for a geometry to skip, or an
 * error (non-finite coordinates, failed transformation). */
static int to_geos(loader *ld, lctx *c, OGRGeometryH src, long long fid, GEOSGeometry **out,
                   int *reject, int *fixed)
{
    *out = NULL;
    *reject = 0;
    *fixed = 0;
    int rc = FP_OK;
    OGRGeometryH g = NULL;
    if (OGR_G_IsEmpty(src)) {
        *reject = 1;
        return FP_OK;
    }
    if (OGR_G_HasCurveGeometry(src, TRUE))
        g = OGR_G_GetLinearGeometry(src, 0, NULL);
    else
        g = OGR_G_Clone(src);
    if (!g)
        return fp_error_set(ld->err, FP_ENOMEM, "out of memory");
    OGR_G_FlattenTo2D(g);
    OGRwkbGeometryType gt = wkbFlatten(OGR_G_GetGeometryType(g));
    if (gt == wkbPolygon || gt == wkbMultiPolygon) {
        /* GDAL accepts unclosed rings (e.g. OSM multipolygons cut by an
         * extract's edge); GEOS does not: close them and count a repair. */
        int before = count_points(g);
        OGR_G_CloseRings(g);
        *fixed = count_points(g) != before;
    }
    if (!geom_finite(g)) {
        rc = fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: feature %lld: NaN or infinite "
                          "coordinate", c->shown, c->lname, fid);
        goto out;
    }
    if (c->ct) {
        fp_gdal_reset(&ld->gerr);
        if (OGR_G_Transform(g, c->ct) != OGRERR_NONE || !geom_finite(g)) {
            rc = fp_error_set(ld->err, FP_EPROJ, "%s: layer %s: feature %lld: cannot "
                              "reproject from %s to the working CRS%s%s", c->shown,
                              c->lname, fid, c->st->crs, ld->gerr.last[0] ? ": " : "",
                              ld->gerr.last);
            goto out;
        }
    }
    size_t n = (size_t)OGR_G_WkbSizeEx(g);
    if (n > FP_LOAD_MAX_WKB) {
        rc = fp_error_set(ld->err, FP_ELIMIT, "%s: layer %s: feature %lld: geometry larger "
                          "than %u bytes", c->shown, c->lname, fid, FP_LOAD_MAX_WKB);
        goto out;
    }
    if (n > ld->bufcap) {
        unsigned char *nb = realloc(ld->buf, n);
        if (!nb) {
            rc = fp_error_set(ld->err, FP_ENOMEM, "out of memory");
            goto out;
        }
        ld->buf = nb;
        ld->bufcap = n;
    }
    OGR_G_ExportToIsoWkb(g, wkbNDR, ld->buf);
    *out = GEOSWKBReader_read_r(ld->ds->geos, ld->wkb, ld->buf, n);
    if (!*out)
        *reject = 3; /* e.g. a ring of fewer than 4 points */
out:
    OGR_G_DestroyGeometry(g);
    return rc;
}

/* Keeps the polygonal part of g (consumed): Polygon/MultiPolygon, or the
 * polygons of a collection; NULL if none. */
static GEOSGeometry *polygonal(GEOSContextHandle_t h, GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
        return g;
    /* a collection: count its polygons (also inside multipolygons) */
    int n = GEOSGetNumGeometries_r(h, g);
    size_t np = 0, k = 0;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        int pt = GEOSGeomTypeId_r(h, p);
        if (pt == GEOS_POLYGON)
            np++;
        else if (pt == GEOS_MULTIPOLYGON)
            np += (size_t)GEOSGetNumGeometries_r(h, p);
    }
    GEOSGeometry *res = NULL;
    GEOSGeometry **parts = np ? calloc(np, sizeof *parts) : NULL;
    if (!parts)
        goto out;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        int pt = GEOSGeomTypeId_r(h, p);
        if (pt == GEOS_POLYGON) {
            parts[k++] = GEOSGeom_clone_r(h, p);
        } else if (pt == GEOS_MULTIPOLYGON) {
            int m = GEOSGetNumGeometries_r(h, p);
            for (int j = 0; j < m; j++)
                parts[k++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, p, j));
        }
    }
    for (size_t i = 0; i < k; i++)
        if (!parts[i])
            goto out;
    if (k == 1) {
        res = parts[0];
        k = 0;
    } else {
        res = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)k);
        if (res)
            k = 0; /* the collection owns them */
    }
out:
    for (size_t i = 0; i < k; i++)
        if (parts[i])
            GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    GEOSGeom_destroy_r(h, g);
    return res;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *na = realloc(*arr, nc * size);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

static OGRFeatureH next_feature(lctx *c)
{
    if (!c->osm)
        return OGR_L_GetNextFeature(c->lyr);
    /* The OSM driver parses the file once for all layers: read through the
     * dataset and keep our layer's features (GDAL's documented way). */
    for (;;) {
        OGRLayerH l = NULL;
        OGRFeatureH f = GDALDatasetGetNextFeature(c->ds, &l, NULL, NULL, NULL);
        if (!f || l == c->lyr)
            return f;
        OGR_F_Destroy(f);
    }
}

/* Rewinds the layer; GDAL warnings from now on name it. */
static void reset_reading(lctx *c)
{
    if (c->gerr)
        snprintf(c->gerr->context, sizeof c->gerr->context, "%s: layer %s", c->shown,
                 c->lname);
    if (c->osm)
        GDALDatasetResetReading(c->ds);
    OGR_L_ResetReading(c->lyr);
}

/* Prepares the layer for reading: transformation to the working CRS. */
static int prepare(loader *ld, lctx *c)
{
    if (OSRIsSame(c->srs, ld->work) ||
        (ld->ds->epsg && fp_gdal_srs_epsg(c->srs) == ld->ds->epsg)) {
        c->ct = NULL;
        return FP_OK;
    }
    fp_gdal_reset(&ld->gerr);
    c->ct = OCTNewCoordinateTransformation(c->srs, ld->work);
    if (!c->ct)
        return fp_error_set(ld->err, FP_ECRS, "%s: layer %s: no transformation from %s to "
                            "EPSG:%d%s%s", c->shown, c->lname, c->st->crs, ld->ds->epsg,
                            ld->gerr.last[0] ? ": " : "", ld->gerr.last);
    return FP_OK;
}

static int check_read_error(loader *ld, lctx *c, long fails_before)
{
    if (ld->gerr.n_fail > fails_before)
        return fp_error_set(ld->err, FP_EGDAL, "%s: layer %s: read error: %s", c->shown,
                            c->lname, ld->gerr.last);
    if (c->st->read == 0)
        return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: no features%s (empty %s "
                            "layer)", c->shown, c->lname, c->L->where ? " match 'where'" : "",
                            c->what);
    if (c->st->read > FP_LOAD_MAX_FEATURES)
        return fp_error_set(ld->err, FP_ELIMIT, "%s: layer %s: more than %lld features",
                            c->shown, c->lname, FP_LOAD_MAX_FEATURES);
    return FP_OK;
}

static void progress(loader *ld, lctx *c, GIntBig total)
{
    if ((c->st->read & 1023) == 0)
        fp_log_progress(ld->log, c->what, (double)c->st->read, (double)total, "features");
}

/* ------------------------------------------------------ feature reading */

/* Handles one feature f (borrowed: the loop destroys it) of layer c; ud is
 * the layer reader's state. Returns FP_OK, or an error that stops the read. */
typedef int (*feature_fn)(loader *ld, lctx *c, OGRFeatureH f, long long fid, void *ud);

/* Reads every feature of c through fn, counting them in c->st->read (with
 * progress messages if show_progress), then fails on a GDAL read error, an
 * empty layer or too many features. Returns FP_OK or fn's first error. */
static int read_features(loader *ld, lctx *c, int show_progress, feature_fn fn, void *ud)
{
    GIntBig total = show_progress ? OGR_L_GetFeatureCount(c->lyr, FALSE) : 0;
    long fails = ld->gerr.n_fail;
    fp_gdal_reset(&ld->gerr);
    reset_reading(c);
    OGRFeatureH f;
    while ((f = next_feature(c)) != NULL) {
        c->st->read++;
        if (show_progress)
            progress(ld, c, total);
        int rc = fn(ld, c, f, (long long)OGR_F_GetFID(f), ud);
        OGR_F_Destroy(f);
        if (rc)
            return rc;
    }
    return check_read_error(ld, c, fails);
}

/* The geometry types a layer reader takes. */
typedef int (*geomtype_fn)(OGRwkbGeometryType t);

/* The geometry of feature f as GEOS in the working CRS (*g, owned by the
 * caller) if accept takes its type; else *g NULL and *reject set (1 empty or
 * missing, 2 wrong type, 3 invalid). fixed may be NULL. Errors as to_geos. */
static int feature_geos(loader *ld, lctx *c, OGRFeatureH f, long long fid, geomtype_fn accept,
                        GEOSGeometry **g, int *reject, int *fixed)
{
    OGRGeometryH og = OGR_F_GetGeometryRef(f);
    int unused;
    if (!fixed)
        fixed = &unused;
    *g = NULL;
    *fixed = 0;
    *reject = og ? 0 : 1;
    if (!og)
        return FP_OK;
    if (!accept(wkbFlatten(OGR_G_GetGeometryType(og)))) {
        *reject = 2;
        return FP_OK;
    }
    return to_geos(ld, c, og, fid, g, reject, fixed);
}

/* Counts a feature of which `added` parts were kept, else rejected under
 * reject (none given: nothing usable inside, counted as empty). */
static void count_parts(fp_layer_stats *st, int added, int reject)
{
    if (added)
        st->kept++;
    else
        count_rejected(st, reject ? reject : 1);
}

/* Adds one part p (borrowed) of feature fid; sets *kept to 1 if it kept it.
 * Returns FP_OK or an error. */
typedef int (*part_fn)(loader *ld, const GEOSGeometry *p, long long fid, void *ud, int *kept);

/* Reads feature f's geometry (of a type accept takes), hands each non-empty
 * part to add, and counts the feature kept (a part kept) or rejected. */
static int read_parts(loader *ld, lctx *c, OGRFeatureH f, long long fid, geomtype_fn accept,
                      part_fn add, void *ud)
{
    GEOSContextHandle_t h = ld->ds->geos;
    GEOSGeometry *g;
    int reject;
    int rc = feature_geos(ld, c, f, fid, accept, &g, &reject, NULL);
    if (rc)
        return rc;
    int added = 0;
    if (g) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n && !rc; i++) {
            const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
            int kept = 0;
            if (GEOSisEmpty_r(h, p) != 0)
                continue;
            rc = add(ld, p, fid, ud, &kept);
            added += kept;
        }
        GEOSGeom_destroy_r(h, g);
        if (rc)
            return rc;
    }
    count_parts(c->st, added, reject);
    return FP_OK;
}

/* ------------------------------------------------------------- buildings */

typedef struct buildings_rd {
    size_t cap;
    fref id, dw, lev, h, us, blk, pri, opt, eld;
} buildings_rd;

static int polygon_type(OGRwkbGeometryType t)
{
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface;
}

static int read_building(loader *ld, lctx *c, OGRFeatureH f, long long fid, void *ud)
{
    buildings_rd *r = ud;
    const fp_load_opts *o = ld->o;
    fp_dataset *ds = ld->ds;
    GEOSContextHandle_t h = ds->geos;
    fp_layer_stats *st = c->st;
    GEOSGeometry *g;
    int reject, repaired;
    int rc = feature_geos(ld, c, f, fid, polygon_type, &g, &reject, &repaired);
    if (rc)
        return rc;
    if (g && GEOSisValid_r(h, g) != 1) {
        GEOSGeometry *v = GEOSMakeValid_r(h, g);
        GEOSGeom_destroy_r(h, g);
        g = v ? polygonal(h, v) : NULL;
        if (g)
            repaired = 1;
        else
            reject = 3;
    }
    double area = 0;
    if (g && (GEOSArea_r(h, g, &area) != 1 || !(area > 0))) {
        GEOSGeom_destroy_r(h, g);
        g = NULL;
        reject = 3;
    }
    if (!g) {
        static const char *const why[] = {"", "empty geometry", "not a polygon",
                                          "invalid and not repairable"};
        fp_log_msg(ld->log, FP_LOG_DEBUG, "%s: layer %s: feature %lld rejected: %s",
                   c->shown, c->lname, fid, why[reject >= 0 && reject <= 3 ? reject : 0]);
        count_rejected(st, reject);
        return FP_OK;
    }
    if (grow((void **)&ds->buildings, &r->cap, ds->n_buildings, sizeof *ds->buildings)) {
        GEOSGeom_destroy_r(h, g);
        return fp_error_set(ld->err, FP_ENOMEM, "out of memory");
    }
    fp_building *b = &ds->buildings[ds->n_buildings++];
    memset(b, 0, sizeof *b);
    b->fid = fid;
    b->geom = g;
    b->area = area;
    b->repaired = repaired;
    b->priority = 1;
    st->kept++;
    st->repaired += repaired;
    const char *s;
    if ((s = fval(c, f, &r->id)))
        copy_utf8(b->id, sizeof b->id, s);
    if ((s = fval(c, f, &r->us)))
        copy_utf8(b->usage, sizeof b->usage, s);
    if ((s = fval(c, f, &r->blk)))
        copy_utf8(b->block, sizeof b->block, s);
    if ((s = fval(c, f, &r->pri))) {
        r->pri.seen++;
        double p = parse_num(s);
        if (isfinite(p) && p >= 0)
            b->priority = p;
        else
            value_warning(ld, c, fid, &r->pri, s, "is not a priority >= 0");
    }
    if ((s = fval(c, f, &r->eld)))
        b->elderly = !(strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0 ||
                       strcasecmp(s, "no") == 0 || strcasecmp(s, "non") == 0 ||
                       strcasecmp(s, "f") == 0 || strcasecmp(s, "n") == 0);
    /* levels: field, else height / level height, else the default */
    double lev = NAN;
    if ((s = fval(c, f, &r->lev))) {
        r->lev.seen++;
        lev = parse_num(s);
        if (!(isfinite(lev) && lev > 0)) {
            if (!(isfinite(lev) && lev == 0))
                value_warning(ld, c, fid, &r->lev, s, "is not a number of levels");
            lev = NAN;
        }
    }
    if (isnan(lev) && (s = fval(c, f, &r->h))) {
        r->h.seen++;
        double ht = parse_num(s);
        if (isfinite(ht) && ht > 0) {
            lev = round(ht / o->rule.level_height);
            if (lev < 1)
                lev = 1;
        } else if (!(isfinite(ht) && ht == 0)) {
            value_warning(ld, c, fid, &r->h, s, "is not a height in metres");
        }
    }
    if (isnan(lev))
        lev = o->rule.default_levels;
    b->levels = lev;
    /* dwellings: given, else estimated if residential, else 0 */
    int given = 0;
    if ((s = fval(c, f, &r->dw))) {
        r->dw.seen++;
        double d = parse_num(s);
        if (isfinite(d) && d >= 0 && d < 1e6) {
            b->dwellings = (int)lround(d);
            b->dw_source = FP_DW_GIVEN;
            given = 1;
        } else {
            value_warning(ld, c, fid, &r->dw, s, "is not a dwelling count");
        }
    }
    if (!given) {
        int residential = o->residential_values.n == 0 ||
                          (b->usage[0] && strlist_has(&o->residential_values, b->usage));
        if (residential && (!o->dwellings_field || o->estimate_missing)) {
            b->dwellings = fp_load_estimate_dwellings(&o->rule, area, lev);
            b->dw_source = FP_DW_ESTIMATED;
        } else {
            b->dwellings = 0;
            b->dw_source = FP_DW_NONRES;
        }
    }
    if ((s = fval(c, f, &r->opt))) {
        r->opt.seen++;
        double d = parse_num(s);
        if (isfinite(d) && d >= 0)
            b->smart_optout = d > b->dwellings ? b->dwellings : (int)lround(d);
        else
            value_warning(ld, c, fid, &r->opt, s, "is not a count");
    }
    return FP_OK;
}

static int load_buildings(loader *ld, lctx *c)
{
    const fp_load_opts *o = ld->o;
    fp_layer_stats *st = c->st;
    int rc;
    buildings_rd r = {0};
    if ((rc = find_field(ld, c, o->id_field, "id_field", &r.id)) ||
        (rc = find_field(ld, c, o->dwellings_field, "dwellings_field", &r.dw)) ||
        (rc = find_field(ld, c, o->levels_field, "levels_field", &r.lev)) ||
        (rc = find_field(ld, c, o->height_field, "height_field", &r.h)) ||
        (rc = find_field(ld, c, o->usage_field, "usage_field", &r.us)) ||
        (rc = find_field(ld, c, o->block_field, "block_field", &r.blk)) ||
        (rc = find_field(ld, c, o->priority_field, "priority_field", &r.pri)) ||
        (rc = find_field(ld, c, o->optout_field, "optout_field", &r.opt)) ||
        (rc = find_field(ld, c, o->elderly_field, "elderly_field", &r.eld)))
        return rc;
    OGRwkbGeometryType lt = wkbFlatten(OGR_L_GetGeomType(c->lyr));
    if (lt != wkbUnknown && lt != wkbPolygon && lt != wkbMultiPolygon &&
        lt != wkbCurvePolygon && lt != wkbMultiSurface && lt != wkbGeometryCollection)
        return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: buildings must be polygons, "
                            "this layer holds %s", c->shown, c->lname,
                            OGRGeometryTypeToName(lt));
    rc = read_features(ld, c, 1, read_building, &r);
    if (!rc && ((rc = check_mistyped(ld, c, &r.dw, "a dwelling count")) ||
                (rc = check_mistyped(ld, c, &r.lev, "a number of levels")) ||
                (rc = check_mistyped(ld, c, &r.h, "a height in metres")) ||
                (rc = check_mistyped(ld, c, &r.pri, "a priority >= 0")) ||
                (rc = check_mistyped(ld, c, &r.opt, "a count"))))
        return rc;
    if (!rc && st->kept == 0)
        rc = fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: none of the %lld features is a "
                          "usable polygon (%lld not polygons, %lld empty, %lld invalid)",
                          c->shown, c->lname, st->read, st->rej_geomtype, st->rej_empty,
                          st->rej_invalid);
    if (!rc && st->repaired)
        fp_log_msg(ld->log, FP_LOG_INFO, "%s: layer %s: %lld footprints repaired with "
                   "make-valid", c->shown, c->lname, st->repaired);
    return rc;
}

/* --------------------------------------------------------------- streets */

static int add_line(loader *ld, const GEOSGeometry *part, long long fid, const char *cls,
                    size_t *cap, int *added)
{
    GEOSContextHandle_t h = ld->ds->geos;
    double len = 0;
    if (GEOSLength_r(h, part, &len) != 1 || !(len > 0))
        return FP_OK;
    if (grow((void **)&ld->ds->streets, cap, ld->ds->n_streets, sizeof *ld->ds->streets))
        return fp_error_set(ld->err, FP_ENOMEM, "out of memory");
    GEOSGeometry *g = GEOSGeom_clone_r(h, part);
    if (!g)
        return fp_error_set(ld->err, FP_EGEOS, "GEOS: cannot copy a line");
    fp_street *s = &ld->ds->streets[ld->ds->n_streets++];
    memset(s, 0, sizeof *s);
    s->fid = fid;
    s->geom = g;
    s->length = len;
    copy_utf8(s->cls, sizeof s->cls, cls);
    (*added)++;
    return FP_OK;
}

/* Adds every LineString of g (borrowed). */
static int add_lines(loader *ld, const GEOSGeometry *g, long long fid, const char *cls,
                     size_t *cap, int *added)
{
    GEOSContextHandle_t h = ld->ds->geos;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_LINESTRING)
        return add_line(ld, g, fid, cls, cap, added);
    if (t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            int rc = add_lines(ld, GEOSGetGeometryN_r(h, g, i), fid, cls, cap, added);
            if (rc)
                return rc;
        }
    }
    return FP_OK;
}

typedef struct streets_rd {
    size_t cap;
    fref cls;
    int clip;                     /* clip to the box below */
    double cx0, cy0, cx1, cy1;
} streets_rd;

static int line_type(OGRwkbGeometryType t)
{
    return t == wkbLineString || t == wkbMultiLineString || t == wkbCircularString ||
           t == wkbCompoundCurve || t == wkbMultiCurve;
}

static int read_street(loader *ld, lctx *c, OGRFeatureH f, long long fid, void *ud)
{
    streets_rd *r = ud;
    const fp_load_opts *o = ld->o;
    GEOSContextHandle_t h = ld->ds->geos;
    fp_layer_stats *st = c->st;
    const char *cls = fval(c, f, &r->cls);
    char clsbuf[FP_CLASS_MAX];
    copy_utf8(clsbuf, sizeof clsbuf, cls ? cls : "");
    /* filtered before the geometry is read: a left-out class costs nothing */
    if (clsbuf[0] && (strlist_has(&o->exclude_classes, clsbuf) ||
                      (!o->include_footways && strlist_has(&o->footway_classes, clsbuf)) ||
                      (!o->include_service && strlist_has(&o->service_classes, clsbuf)))) {
        st->filtered++;
        return FP_OK;
    }
    GEOSGeometry *g;
    int reject;
    int rc = feature_geos(ld, c, f, fid, line_type, &g, &reject, NULL);
    if (rc)
        return rc;
    if (g && r->clip) {
        GEOSGeometry *cg = GEOSClipByRect_r(h, g, r->cx0, r->cy0, r->cx1, r->cy1);
        GEOSGeom_destroy_r(h, g);
        g = cg;
        if (g && GEOSisEmpty_r(h, g) == 1) {
            GEOSGeom_destroy_r(h, g);
            st->filtered++;
            return FP_OK;
        }
    }
    int added = 0;
    if (g) {
        rc = add_lines(ld, g, fid, clsbuf, &r->cap, &added);
        GEOSGeom_destroy_r(h, g);
        if (rc)
            return rc;
        if (!added)
            reject = 1; /* zero length */
    }
    count_parts(st, added, reject);
    return FP_OK;
}

static int load_streets(loader *ld, lctx *c)
{
    const fp_load_opts *o = ld->o;
    fp_dataset *ds = ld->ds;
    fp_layer_stats *st = c->st;
    int rc;
    streets_rd r = {0};
    const char *class_field = o->class_field;
    if (!class_field && c->osm)
        class_field = "highway";
    if ((rc = find_field(ld, c, class_field, "class_field", &r.cls)))
        return rc;
    OGRwkbGeometryType lt = wkbFlatten(OGR_L_GetGeomType(c->lyr));
    if (lt == wkbPoint || lt == wkbMultiPoint || lt == wkbPolygon || lt == wkbMultiPolygon)
        return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: streets must be lines, this "
                            "layer holds %s", c->shown, c->lname, OGRGeometryTypeToName(lt));
    r.clip = o->clip_margin >= 0 && ds->n_buildings > 0;
    r.cx0 = ds->minx - o->clip_margin;
    r.cy0 = ds->miny - o->clip_margin;
    r.cx1 = ds->maxx + o->clip_margin;
    r.cy1 = ds->maxy + o->clip_margin;
    rc = read_features(ld, c, 1, read_street, &r);
    if (!rc && st->kept == 0)
        rc = fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: no usable street line among %lld "
                          "features (%lld filtered out, %lld not lines)", c->shown,
                          c->lname, st->read, st->filtered, st->rej_geomtype);
    return rc;
}

/* ------------------------------------------------------ sites and infra */

static int add_site(loader *ld, size_t *cap, long long fid, const char *id, double x, double y)
{
    fp_dataset *ds = ld->ds;
    if (grow((void **)&ds->sites, cap, ds->n_sites, sizeof *ds->sites))
        return fp_error_set(ld->err, FP_ENOMEM, "out of memory");
    fp_site *s = &ds->sites[ds->n_sites++];
    memset(s, 0, sizeof *s);
    s->fid = fid;
    copy_utf8(s->id, sizeof s->id, id ? id : "");
    s->x = x;
    s->y = y;
    return FP_OK;
}

static int load_site_xy(loader *ld)
{
    const fp_load_opts *o = ld->o;
    fp_layer_stats *st = &ld->ds->st_sites;
    snprintf(st->source, sizeof st->source, "%s", o->scenario_path ? o->scenario_path : "");
    snprintf(st->layer, sizeof st->layer, "(coordinates)");
    st->read = 1;
    double x = o->site_x, y = o->site_y;
    OGRSpatialReferenceH s = fp_gdal_srs(o->site_crs);
    if (!s)
        return fp_error_set(ld->err, FP_ECRS, "[sites] bad crs '%s'", o->site_crs);
    int rc = FP_OK;
    if (!OSRIsSame(s, ld->work)) {
        fp_gdal_reset(&ld->gerr);
        OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(s, ld->work);
        if (!ct || !OCTTransform(ct, 1, &x, &y, NULL) || !isfinite(x) || !isfinite(y))
            rc = fp_error_set(ld->err, FP_EPROJ, "%s: [sites] cannot reproject (%g, %g) from "
                              "%s to EPSG:%d%s%s", o->scenario_path, o->site_x, o->site_y,
                              o->site_crs, ld->ds->epsg, ld->gerr.last[0] ? ": " : "",
                              ld->gerr.last);
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
    }
    OSRDestroySpatialReference(s);
    if (rc)
        return rc;
    size_t cap = 0;
    if ((rc = add_site(ld, &cap, -1, o->site_id ? o->site_id : "site", x, y)))
        return rc;
    st->kept = 1;
    return FP_OK;
}

typedef struct sites_rd {
    size_t cap;
    fref id;
    const char *cur_id;   /* the id of the feature being read */
    int part;             /* points of that feature kept so far */
} sites_rd;

static int point_type(OGRwkbGeometryType t)
{
    return t == wkbPoint || t == wkbMultiPoint;
}

static int site_part(loader *ld, const GEOSGeometry *p, long long fid, void *ud, int *kept)
{
    sites_rd *r = ud;
    GEOSContextHandle_t h = ld->ds->geos;
    double x, y;
    if (GEOSGeomGetX_r(h, p, &x) != 1 || GEOSGeomGetY_r(h, p, &y) != 1)
        return FP_OK;
    *kept = 1;
    /* each point of a multipoint is a site of its own: "id", "id.2", ... so
     * that per-site outputs (sites.csv, the sites layer) keep them apart */
    char idbuf[FP_ID_MAX + 16];
    if (r->part++ == 0)
        snprintf(idbuf, sizeof idbuf, "%s", r->cur_id);
    else
        snprintf(idbuf, sizeof idbuf, "%.*s.%d", FP_ID_MAX - 12, r->cur_id, r->part);
    return add_site(ld, &r->cap, fid, idbuf, x, y);
}

static int read_site(loader *ld, lctx *c, OGRFeatureH f, long long fid, void *ud)
{
    sites_rd *r = ud;
    char idbuf[FP_ID_MAX];
    r->cur_id = fval(c, f, &r->id);
    if (!r->cur_id) {
        snprintf(idbuf, sizeof idbuf, "%lld", fid);
        r->cur_id = idbuf;
    }
    r->part = 0;
    size_t first = ld->ds->n_sites;
    int rc = read_parts(ld, c, f, fid, point_type, site_part, r);
    r->cur_id = NULL;
    /* per-site results are keyed by id: two features with one id would
     * merge in sites.csv and the project database */
    for (size_t i = first; i < ld->ds->n_sites && !rc; i++)
        for (size_t j = 0; j < first; j++)
            if (strcmp(ld->ds->sites[i].id, ld->ds->sites[j].id) == 0) {
                rc = fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: feature %lld: field %s: "
                                  "site id '%s' is already used by feature %lld",
                                  c->shown, c->lname, fid, r->id.name ? r->id.name : "(fid)",
                                  ld->ds->sites[i].id, ld->ds->sites[j].fid);
                break;
            }
    return rc;
}

static int load_sites(loader *ld, lctx *c)
{
    sites_rd r = {0};
    int rc = find_field(ld, c, ld->o->site_id_field, "id_field", &r.id);
    if (!rc)
        rc = read_features(ld, c, 0, read_site, &r);
    if (!rc && c->st->kept == 0)
        rc = fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: no point among %lld features "
                          "(sites must be points)", c->shown, c->lname, c->st->read);
    return rc;
}

static int add_infra(loader *ld, size_t *cap, long long fid, const GEOSGeometry *g, int kind)
{
    fp_dataset *ds = ld->ds;
    if (grow((void **)&ds->infra, cap, ds->n_infra, sizeof *ds->infra))
        return fp_error_set(ld->err, FP_ENOMEM, "out of memory");
    GEOSGeometry *c = GEOSGeom_clone_r(ds->geos, g);
    if (!c)
        return fp_error_set(ld->err, FP_EGEOS, "GEOS: cannot copy a geometry");
    fp_infra *in = &ds->infra[ds->n_infra++];
    in->fid = fid;
    in->geom = c;
    in->kind = (fp_infra_kind)kind;
    return FP_OK;
}

typedef struct infra_rd {
    size_t cap;
    fref kind;
    int line_kind;   /* the kind of the lines of the feature being read */
} infra_rd;

/* Points (poles) and lines (ducts, aerial routes): anything not polygonal. */
static int infra_type(OGRwkbGeometryType t)
{
    return !(t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
             t == wkbMultiSurface || t == wkbGeometryCollection);
}

static int infra_part(loader *ld, const GEOSGeometry *p, long long fid, void *ud, int *kept)
{
    infra_rd *r = ud;
    int t = GEOSGeomTypeId_r(ld->ds->geos, p);
    if (t != GEOS_POINT && t != GEOS_LINESTRING)
        return FP_OK;
    *kept = 1;
    return add_infra(ld, &r->cap, fid, p, t == GEOS_POINT ? FP_INFRA_POLE : r->line_kind);
}

static int read_infra(loader *ld, lctx *c, OGRFeatureH f, long long fid, void *ud)
{
    infra_rd *r = ud;
    const fp_load_opts *o = ld->o;
    const char *kv = fval(c, f, &r->kind);
    r->line_kind = o->default_kind;
    if (kv && strlist_has(&o->aerial_values, kv))
        r->line_kind = FP_INFRA_AERIAL;
    else if (kv && strlist_has(&o->duct_values, kv))
        r->line_kind = FP_INFRA_DUCT;
    return read_parts(ld, c, f, fid, infra_type, infra_part, r);
}

static int load_infra(loader *ld, lctx *c)
{
    infra_rd r = {0};
    int rc = find_field(ld, c, ld->o->kind_field, "kind_field", &r.kind);
    if (!rc)
        rc = read_features(ld, c, 0, read_infra, &r);
    return rc;
}

/* ------------------------------------------------------------ the CRS */

/* Lambert-93 for data centred in metropolitan France (a box around the
 * mainland and Corsica, which also takes in Monaco and thin border strips
 * where Lambert-93 is still accurate), else the UTM zone of the centre. */
static int auto_epsg(double lon, double lat)
{
    if (lon >= -5.2 && lon <= 9.6 && lat >= 41.3 && lat <= 51.1)
        return 2154;
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone < 1)
        zone = 1;
    if (zone > 60)
        zone = 60;
    return (lat >= 0 ? 32600 : 32700) + zone;
}

/* The extent by reading the features (drivers such as OSM XML, whose files
 * carry no bounds, cannot give it otherwise). Returns 0 if no feature has a
 * geometry. */
static int scan_extent(lctx *c, OGREnvelope *env)
{
    int have = 0;
    OGRFeatureH f;
    reset_reading(c);
    while ((f = next_feature(c)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && !OGR_G_IsEmpty(g)) {
            OGREnvelope e;
            OGR_G_GetEnvelope(g, &e);
            if (!have) {
                *env = e;
                have = 1;
            } else {
                env->MinX = fmin(env->MinX, e.MinX);
                env->MinY = fmin(env->MinY, e.MinY);
                env->MaxX = fmax(env->MaxX, e.MaxX);
                env->MaxY = fmax(env->MaxY, e.MaxY);
            }
        }
        OGR_F_Destroy(f);
    }
    reset_reading(c);
    return have;
}

static int choose_crs(loader *ld, lctx *b)
{
    const fp_load_opts *o = ld->o;
    fp_dataset *ds = ld->ds;
    if (o->crs) {
        ld->work = fp_gdal_srs(o->crs);
        if (!ld->work)
            return fp_error_set(ld->err, FP_ECRS, "[scenario] crs '%s' is not understood",
                                o->crs);
    } else {
        OGREnvelope env;
        fp_gdal_reset(&ld->gerr);
        if (OGR_L_GetExtent(b->lyr, &env, FALSE) != OGRERR_NONE &&
            OGR_L_GetExtent(b->lyr, &env, TRUE) != OGRERR_NONE && !scan_extent(b, &env)) {
            if (ld->gerr.n_fail)
                return fp_error_set(ld->err, FP_EGDAL, "%s: layer %s: read error: %s",
                                    b->shown, b->lname, ld->gerr.last);
            return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: no features%s (empty "
                                "buildings layer)", b->shown, b->lname,
                                b->L->where ? " match 'where'" : "");
        }
        double x = (env.MinX + env.MaxX) / 2, y = (env.MinY + env.MaxY) / 2;
        if (!isfinite(x) || !isfinite(y))
            return fp_error_set(ld->err, FP_EINPUT, "%s: layer %s: non-finite extent",
                                b->shown, b->lname);
        OGRSpatialReferenceH wgs = fp_gdal_srs("EPSG:4326");
        OGRCoordinateTransformationH ct = wgs ? OCTNewCoordinateTransformation(b->srs, wgs)
                                              : NULL;
        int ok = ct && OCTTransform(ct, 1, &x, &y, NULL) && isfinite(x) && isfinite(y);
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
        if (wgs)
            OSRDestroySpatialReference(wgs);
        if (!ok)
            return fp_error_set(ld->err, FP_ECRS, "%s: layer %s: cannot find the data's "
                                "longitude/latitude to choose a working CRS; set crs in "
                                "[scenario]", b->shown, b->lname);
        char def[32];
        snprintf(def, sizeof def, "EPSG:%d", auto_epsg(x, y));
        ld->work = fp_gdal_srs(def);
        if (!ld->work)
            return fp_error_set(ld->err, FP_ECRS, "cannot create %s (PROJ database?)", def);
        fp_log_msg(ld->log, FP_LOG_INFO, "working CRS %s (data centred on %.4f, %.4f)", def,
                   x, y);
    }
    if (!OSRIsProjected(ld->work) || fabs(OSRGetLinearUnits(ld->work, NULL) - 1.0) > 1e-9)
        return fp_error_set(ld->err, FP_ECRS, "working CRS '%s' is not a projected CRS in "
                            "metres", o->crs ? o->crs : "?");
    ds->epsg = fp_gdal_srs_epsg(ld->work);
    const char *name = OSRGetName(ld->work);
    copy_utf8(ds->crs_name, sizeof ds->crs_name, name ? name : "");
    return FP_OK;
}

/* ------------------------------------------------------------- extent */

static void extend(fp_dataset *ds, int *have, double x0, double y0, double x1, double y1)
{
    if (!*have) {
        ds->minx = x0;
        ds->miny = y0;
        ds->maxx = x1;
        ds->maxy = y1;
        *have = 1;
        return;
    }
    ds->minx = fmin(ds->minx, x0);
    ds->miny = fmin(ds->miny, y0);
    ds->maxx = fmax(ds->maxx, x1);
    ds->maxy = fmax(ds->maxy, y1);
}

static void extend_geom(fp_dataset *ds, int *have, const GEOSGeometry *g)
{
    double x0, y0, x1, y1;
    if (GEOSGeom_getXMin_r(ds->geos, g, &x0) == 1 && GEOSGeom_getYMin_r(ds->geos, g, &y0) == 1 &&
        GEOSGeom_getXMax_r(ds->geos, g, &x1) == 1 && GEOSGeom_getYMax_r(ds->geos, g, &y1) == 1)
        extend(ds, have, x0, y0, x1, y1);
}

/* --------------------------------------------------------------- main */

fp_dataset *fp_load(const fp_load_opts *o, const fp_log *log, fp_error *err)
{
    loader ld = {0};
    lctx cb = {0}, cs = {0}, cx = {0}, ci = {0};
    int rc = FP_OK, have = 0;
    ld.o = o;
    ld.log = log;
    ld.err = err;
    fp_gdal_begin(&ld.gerr, log);
    ld.ds = fp_dataset_create();
    if (!ld.ds) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory (GEOS context)");
        goto out;
    }
    ld.wkb = GEOSWKBReader_create_r(ld.ds->geos);
    if (!ld.wkb) {
        rc = fp_error_set(err, FP_EGEOS, "GEOS: cannot create a WKB reader");
        goto out;
    }
    if (!o->buildings.source) {
        rc = fp_error_set(err, FP_ESCENARIO, "no buildings source");
        goto out;
    }
    /* Open every layer first: a missing file or field fails before any
     * long read. */
    if ((rc = open_layer(&ld, &cb, "buildings", &o->buildings, &ld.ds->st_buildings)))
        goto out;
    if (o->has_streets) {
        if ((rc = open_layer(&ld, &cs, "streets", &o->streets, &ld.ds->st_streets)))
            goto out;
    }
    if (o->has_sites && !o->site_by_xy) {
        if ((rc = open_layer(&ld, &cx, "sites", &o->sites, &ld.ds->st_sites)))
            goto out;
    }
    if (o->has_infra) {
        if ((rc = open_layer(&ld, &ci, "infra", &o->infra, &ld.ds->st_infra)))
            goto out;
    }
    if ((rc = choose_crs(&ld, &cb)) || (rc = prepare(&ld, &cb)))
        goto out;
    if ((rc = load_buildings(&ld, &cb)))
        goto out;
    for (size_t i = 0; i < ld.ds->n_buildings; i++)
        extend_geom(ld.ds, &have, ld.ds->buildings[i].geom);
    lctx_close(&cb);
    if (o->has_streets) {
        if ((rc = prepare(&ld, &cs)) || (rc = load_streets(&ld, &cs)))
            goto out;
        lctx_close(&cs);
    }
    if (o->has_sites) {
        if (o->site_by_xy)
            rc = load_site_xy(&ld);
        else if (!(rc = prepare(&ld, &cx)))
            rc = load_sites(&ld, &cx);
        if (rc)
            goto out;
        lctx_close(&cx);
    }
    if (o->has_infra) {
        if ((rc = prepare(&ld, &ci)) || (rc = load_infra(&ld, &ci)))
            goto out;
        lctx_close(&ci);
    }
    for (size_t i = 0; i < ld.ds->n_streets; i++)
        extend_geom(ld.ds, &have, ld.ds->streets[i].geom);
    for (size_t i = 0; i < ld.ds->n_sites; i++)
        extend(ld.ds, &have, ld.ds->sites[i].x, ld.ds->sites[i].y, ld.ds->sites[i].x,
               ld.ds->sites[i].y);
    for (size_t i = 0; i < ld.ds->n_infra; i++)
        extend_geom(ld.ds, &have, ld.ds->infra[i].geom);
    fp_log_progress(log, "load", 1, 1, "%zu buildings, %zu streets, %zu sites, %zu infra",
                    ld.ds->n_buildings, ld.ds->n_streets, ld.ds->n_sites, ld.ds->n_infra);
out:
    lctx_close(&cb);
    lctx_close(&cs);
    lctx_close(&cx);
    lctx_close(&ci);
    if (ld.wkb)
        GEOSWKBReader_destroy_r(ld.ds->geos, ld.wkb);
    free(ld.buf);
    if (ld.work)
        OSRDestroySpatialReference(ld.work);
    fp_gdal_end(&ld.gerr);
    if (rc) {
        fp_dataset_free(ld.ds);
        return NULL;
    }
    return ld.ds;
}
