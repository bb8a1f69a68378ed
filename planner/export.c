/* export: GeoPackage (with QGIS styles), GeoJSON, PostGIS and GraceTHD
 * outputs of a plan through OGR. */
#include "export.h"

#include "export_int.h"
#include "fsutil.h"
#include "gdalutil.h"
#include "gracethd.h"
#include "report.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared helpers (export_int.h) -------------------------------------- */

static void CPL_STDCALL gdal_handler(CPLErr cls, CPLErrorNum no, const char *msg)
{
    (void)no;
    fp_gdal_sink *s = CPLGetErrorHandlerUserData();
    if (!s)
        return;
    if (cls >= CE_Failure)
        snprintf(s->last, sizeof s->last, "%s", msg);
    else if (cls == CE_Warning)
        fp_log_msg(s->log, FP_LOG_WARN, "GDAL: %s", msg);
}

void fp_gdal_push(fp_gdal_sink *s, const fp_log *log)
{
    s->log = log;
    s->last[0] = '\0';
    CPLPushErrorHandlerEx(gdal_handler, s);
}

void fp_gdal_pop(void)
{
    CPLPopErrorHandler();
}

int fp_gdal_fail(fp_error *err, const fp_gdal_sink *s, const char *what)
{
    return fp_error_set(err, FP_EIO, "%s%s%s", what, s->last[0] ? ": " : "", s->last);
}

OGRSpatialReferenceH fp_srs_epsg(int epsg)
{
    char def[32];
    snprintf(def, sizeof def, "EPSG:%d", epsg);
    return fp_gdal_srs(def);
}

OGRGeometryH fp_geos_to_ogr(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    if (!g)
        return NULL;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    if (!w)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    size_t n = 0;
    unsigned char *wkb = GEOSWKBWriter_write_r(h, w, g, &n);
    GEOSWKBWriter_destroy_r(h, w);
    if (!wkb)
        return NULL;
    OGRGeometryH og = NULL;
    if (OGR_G_CreateFromWkb(wkb, NULL, &og, (int)n) != OGRERR_NONE)
        og = NULL;
    GEOSFree_r(h, wkb);
    return og;
}

OGRGeometryH fp_edge_line(const fp_net_edge *e)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    if (!g)
        return NULL;
    for (int i = 0; i < e->n_pts; i++)
        OGR_G_AddPoint_2D(g, e->xy[2 * i], e->xy[2 * i + 1]);
    return g;
}

double fp_round2(double v)
{
    if (!isfinite(v))
        return 0;
    double r = round(v * 100) / 100;
    return r == 0 ? 0 : r; /* no "-0" */
}

int fp_ogr_field(OGRLayerH l, const char *name, OGRFieldType t, int width, int prec)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    if (width)
        OGR_Fld_SetWidth(fd, width);
    if (prec)
        OGR_Fld_SetPrecision(fd, prec);
    int rc = OGR_L_CreateField(l, fd, TRUE) == OGRERR_NONE ? 0 : -1;
    OGR_Fld_Destroy(fd);
    return rc;
}

/* ---- options -------------------------------------------------------------- */

void fp_export_opts_default(fp_export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->formats = FP_EXPORT_GPKG | FP_EXPORT_GEOJSON;
    o->scenario = "scenario";
    o->privacy_threshold = FP_PRIVACY_DEFAULT;
    o->coord_precision = 7;
    o->gracethd_statut = "AVP";
}

/* Splits a comma list, calling fn on each trimmed, non-empty item. */
static int each_item(const char *text, int (*fn)(void *, const char *, fp_error *), void *ud,
                     fp_error *err)
{
    char item[64];
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != ',')
            n++;
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m) {
            if (m >= sizeof item)
                return fp_error_set(err, FP_ESCENARIO, "'%.*s': name too long", (int)m, p);
            memcpy(item, p, m);
            item[m] = '\0';
            int rc = fn(ud, item, err);
            if (rc)
                return rc;
        }
        p += n;
    }
    return FP_OK;
}

static int format_item(void *ud, const char *s, fp_error *err)
{
    fp_export_opts *o = ud;
    if (!strcmp(s, "gpkg") || !strcmp(s, "geopackage"))
        o->formats |= FP_EXPORT_GPKG;
    else if (!strcmp(s, "geojson"))
        o->formats |= FP_EXPORT_GEOJSON;
    else if (!strcmp(s, "postgis"))
        o->formats |= FP_EXPORT_POSTGIS;
    else if (!strcmp(s, "gracethd"))
        o->formats |= FP_EXPORT_GRACETHD;
    else if (strcmp(s, "none") != 0)
        return fp_error_set(err, FP_ESCENARIO,
                            "unknown export format '%s' (gpkg, geojson, postgis, gracethd, none)",
                            s);
    return FP_OK;
}

int fp_export_parse_formats(const char *text, fp_export_opts *o, fp_error *err)
{
    fp_export_opts t = *o;
    t.formats = 0;
    int rc = each_item(text, format_item, &t, err);
    if (rc == 0)
        o->formats = t.formats;
    return rc;
}

static const char *const source_fields[] = {"id", "fid", "usage", "levels", "area", "block", NULL};
static const char *const personal_fields[] = {"smart_optout", "optout", "elderly", "priority", NULL};

static int field_item(void *ud, const char *s, fp_error *err)
{
    fp_export_opts *o = ud;
    for (int i = 0; personal_fields[i]; i++)
        if (!strcmp(s, personal_fields[i]))
            return fp_error_set(err, FP_ESCENARIO,
                                "export_fields: '%s' is a per-household attribute and is never "
                                "exported",
                                s);
    int ok = 0;
    for (int i = 0; source_fields[i]; i++)
        ok |= !strcmp(s, source_fields[i]);
    if (!ok)
        return fp_error_set(err, FP_ESCENARIO,
                            "export_fields: unknown field '%s' (id, fid, usage, levels, area, block)",
                            s);
    for (int i = 0; i < o->n_fields; i++)
        if (!strcmp(o->fields[i], s))
            return FP_OK;
    if (o->n_fields == FP_EXPORT_MAX_FIELDS)
        return fp_error_set(err, FP_ELIMIT, "export_fields: too many fields");
    /* s is one of source_fields[], all far shorter than a slot. */
    size_t l = strnlen(s, sizeof o->fields[0] - 1);
    memcpy(o->fields[o->n_fields], s, l);
    o->fields[o->n_fields][l] = '\0';
    o->n_fields++;
    return FP_OK;
}

int fp_export_parse_fields(const char *text, fp_export_opts *o, fp_error *err)
{
    fp_export_opts t = *o;
    t.n_fields = 0;
    int rc = each_item(text, field_item, &t, err);
    if (rc == 0) {
        o->n_fields = t.n_fields;
        memcpy(o->fields, t.fields, sizeof o->fields);
    }
    return rc;
}

static int has_field(const fp_export_opts *o, const char *f)
{
    for (int i = 0; i < o->n_fields; i++)
        if (!strcmp(o->fields[i], f))
            return 1;
    return 0;
}

/* ---- layers --------------------------------------------------------------- */

enum { L_BUILDINGS = 1, L_ROUTES = 2, L_NODES = 4, L_BLOCKS = 8, L_SUMMARY = 16, L_SITES = 32 };

typedef struct {
    GDALDatasetH ds;
    const fp_plan *p;
    const fp_export_opts *o;
    OGRSpatialReferenceH srs;            /* layer SRS */
    OGRCoordinateTransformationH ct;     /* working CRS -> layer SRS, or NULL */
    char **lco;                          /* layer creation options */
    const char *prefix;                  /* layer name prefix */
    fp_gdal_sink *sink;
    fp_error *err;
} lctx;

static OGRLayerH mk_layer(lctx *c, const char *name, OGRwkbGeometryType gt)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s", c->prefix ? c->prefix : "", name);
    OGRLayerH l = GDALDatasetCreateLayer(c->ds, full, gt == wkbNone ? NULL : c->srs, gt, c->lco);
    if (!l) {
        char what[300];
        snprintf(what, sizeof what, "layer %s: cannot create", full);
        fp_gdal_fail(c->err, c->sink, what);
    }
    return l;
}

/* Sets geometry g (consumed) on f after transforming it; 0 or -1. */
static int put_geom(lctx *c, OGRFeatureH f, OGRGeometryH g)
{
    if (!g)
        return 0;
    if (c->ct && OGR_G_Transform(g, c->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return -1;
    }
    OGR_F_SetGeometryDirectly(f, g);
    return 0;
}

static int add_feature(lctx *c, OGRLayerH l, OGRFeatureH f, const char *layer)
{
    if (OGR_L_CreateFeature(l, f) != OGRERR_NONE) {
        char what[300];
        snprintf(what, sizeof what, "layer %s: cannot write a feature", layer);
        fp_gdal_fail(c->err, c->sink, what);
        OGR_F_Destroy(f);
        return -1;
    }
    OGR_F_Destroy(f);
    return 0;
}

/* A layer's attribute: name, OGR type, width and precision (0: default). */
typedef struct {
    const char *name;
    OGRFieldType type;
    int width, prec;
} field_def;

/* Adds the n fields of defs to layer l (named `layer` in the error).
 * Returns 0, or -1 with the error set. */
static int mk_fields(lctx *c, OGRLayerH l, const char *layer, const field_def *defs, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= fp_ogr_field(l, defs[i].name, defs[i].type, defs[i].width, defs[i].prec);
    if (bad) {
        char what[300];
        snprintf(what, sizeof what, "layer %s: cannot create fields", layer);
        return fp_gdal_fail(c->err, c->sink, what), -1;
    }
    return 0;
}

/* Sets g (consumed, may be NULL) on f (consumed) and writes f to layer l.
 * Returns 0, or -1 with the error set naming item i of `layer`. */
static int put_feature(lctx *c, OGRLayerH l, OGRFeatureH f, OGRGeometryH g, const char *layer,
                       const char *item, long long i)
{
    if (put_geom(c, f, g) != 0) {
        OGR_F_Destroy(f);
        return fp_error_set(c->err, FP_ECRS, "%s: %s %lld: reprojection failed", layer, item, i),
               -1;
    }
    return add_feature(c, l, f, layer);
}

/* OGR copy of a polygonal GEOS geometry as a MultiPolygon; NULL if none. */
static OGRGeometryH ogr_multipolygon(GEOSContextHandle_t h, const GEOSGeometry *geom)
{
    OGRGeometryH g = fp_geos_to_ogr(h, geom);
    if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon)
        g = OGR_G_ForceToMultiPolygon(g);
    return g;
}

static OGRGeometryH ogr_point(double x, double y)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, x, y);
    return g;
}

/* Sets a dwelling count, or NULL (never the small number) when it is below
 * the privacy threshold T (0: off). */
static void set_count(OGRFeatureH f, int i, int v, int T)
{
    if (T > 0 && v < T)
        OGR_F_SetFieldNull(f, i);
    else
        OGR_F_SetFieldInteger(f, i, v);
}

static const field_def building_fields[] = {
    {"building", OFTInteger, 0, 0},
    {"status", OFTString, 16, 0},
    {"dwellings", OFTInteger, 0, 0},
    {"dwellings_source", OFTString, 10, 0},
    {"block", OFTString, 64, 0},
    {"drop_m", OFTReal, 12, 2},
    {"fibres", OFTInteger, 0, 0},
    {"cost_eur", OFTReal, 14, 2},
    {"site", OFTString, 64, 0},
};

/* The source attributes export_fields may ask for, in this order. */
static const struct {
    const char *key;
    field_def f;
} source_defs[] = {
    {"id", {"source_id", OFTString, 64, 0}},
    {"fid", {"source_fid", OFTInteger64, 0, 0}},
    {"usage", {"usage", OFTString, 32, 0}},
    {"levels", {"levels", OFTReal, 8, 2}},
    {"area", {"area_m2", OFTReal, 12, 2}},
    {"block", {"source_block", OFTString, 64, 0}},
};

static int layer_buildings(lctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    const fp_dataset *ds = net->ds;
    const fp_export_opts *o = c->o;
    OGRLayerH l = mk_layer(c, "buildings", wkbMultiPolygon);
    if (!l)
        return -1;
    field_def defs[sizeof building_fields / sizeof building_fields[0] +
                   sizeof source_defs / sizeof source_defs[0]];
    size_t nd = sizeof building_fields / sizeof building_fields[0];
    memcpy(defs, building_fields, sizeof building_fields);
    for (size_t i = 0; i < sizeof source_defs / sizeof source_defs[0]; i++)
        if (has_field(o, source_defs[i].key))
            defs[nd++] = source_defs[i].f;
    if (mk_fields(c, l, "buildings", defs, nd))
        return -1;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    static const char *src[] = {"given", "estimated", "nonres"};
    for (size_t b = 0; b < ds->n_buildings; b++) {
        const fp_building *B = &ds->buildings[b];
        const fp_plan_building *pb = &p->buildings[b];
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(fd, "building"), (int)b);
        OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "status"), fp_bstatus_name(pb->status));
        OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(fd, "dwellings"), B->dwellings);
        OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "dwellings_source"),
                             src[B->dw_source <= FP_DW_NONRES ? B->dw_source : 0]);
        long blk = net->building_block ? net->building_block[b] : -1;
        if (blk >= 0 && (size_t)blk < net->n_blocks)
            OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "block"), net->blocks[blk].id);
        OGR_F_SetFieldDouble(f, OGR_FD_GetFieldIndex(fd, "drop_m"), fp_round2(pb->drop_m));
        OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(fd, "fibres"), pb->fibres);
        OGR_F_SetFieldDouble(f, OGR_FD_GetFieldIndex(fd, "cost_eur"), fp_round2(pb->cost));
        if (pb->site >= 0)
            OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "site"),
                                 fp_network_site_name(net, (size_t)pb->site));
        if (has_field(o, "id"))
            OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "source_id"), B->id);
        if (has_field(o, "fid"))
            OGR_F_SetFieldInteger64(f, OGR_FD_GetFieldIndex(fd, "source_fid"), B->fid);
        if (has_field(o, "usage"))
            OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "usage"), B->usage);
        if (has_field(o, "levels"))
            OGR_F_SetFieldDouble(f, OGR_FD_GetFieldIndex(fd, "levels"), fp_round2(B->levels));
        if (has_field(o, "area"))
            OGR_F_SetFieldDouble(f, OGR_FD_GetFieldIndex(fd, "area_m2"), fp_round2(B->area));
        if (has_field(o, "block"))
            OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fd, "source_block"), B->block);
        if (put_feature(c, l, f, ogr_multipolygon(ds->geos, B->geom), "buildings", "building",
                        (long long)b))
            return -1;
    }
    return 0;
}

static int layer_routes(lctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    OGRLayerH l = mk_layer(c, "routes", wkbLineString);
    if (!l)
        return -1;
    static const field_def defs[] = {
        {"edge", OFTInteger, 0, 0},
        {"kind", OFTString, 12, 0},
        {"class", OFTString, 32, 0},
        {"length_m", OFTReal, 12, 2},
        {"dwellings", OFTInteger, 0, 0},
        {"fibres", OFTInteger, 0, 0},
        {"cable_size", OFTInteger, 0, 0},
        {"n_cables", OFTInteger, 0, 0},
        {"extra_cable_size", OFTInteger, 0, 0},
        {"civil_eur", OFTReal, 14, 2},
        {"cable_eur", OFTReal, 14, 2},
        {"site", OFTString, 64, 0},
    };
    if (mk_fields(c, l, "routes", defs, sizeof defs / sizeof defs[0]))
        return -1;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    for (size_t k = 0; k < p->n_edges; k++) {
        const fp_plan_edge *pe = &p->edges[k];
        const fp_net_edge *E = &net->edges[pe->edge];
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldInteger(f, 0, pe->edge);
        OGR_F_SetFieldString(f, 1, fp_plan_edge_kind_name(E->kind));
        OGR_F_SetFieldString(f, 2, E->cls);
        OGR_F_SetFieldDouble(f, 3, fp_round2(pe->length));
        OGR_F_SetFieldInteger(f, 4, pe->dwellings);
        OGR_F_SetFieldInteger(f, 5, pe->fibres);
        OGR_F_SetFieldInteger(f, 6, pe->cable_size);
        OGR_F_SetFieldInteger(f, 7, pe->n_cables);
        OGR_F_SetFieldInteger(f, 8, pe->rem_size);
        OGR_F_SetFieldDouble(f, 9, fp_round2(pe->civil));
        OGR_F_SetFieldDouble(f, 10, fp_round2(pe->cable_cost));
        OGR_F_SetFieldString(f, 11, fp_network_site_name(net, (size_t)pe->site));
        if (put_feature(c, l, f, fp_edge_line(E), "routes", "edge", pe->edge))
            return -1;
    }
    return 0;
}

/* Node kinds for export: the trees' nodes and the sites only. */
static const char *node_kind(const fp_plan *p, int v, const unsigned char *attach)
{
    const fp_net_node *N = &p->net->nodes[v];
    if (N->kind == FP_NODE_ROOT || p->sites[p->node_site[v]].node == v)
        return "central_office";
    if (N->kind == FP_NODE_BUILDING)
        return "building";
    return attach[v] ? "connection_point" : "junction";
}

static int layer_nodes(lctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    OGRLayerH l = mk_layer(c, "nodes", wkbPoint);
    if (!l)
        return -1;
    static const field_def defs[] = {
        {"node", OFTInteger, 0, 0}, {"kind", OFTString, 16, 0}, {"site", OFTString, 64, 0}};
    if (mk_fields(c, l, "nodes", defs, sizeof defs / sizeof defs[0]))
        return -1;
    unsigned char *attach = calloc(net->n_nodes + 1, 1);
    if (!attach)
        return fp_error_set(c->err, FP_ENOMEM, "out of memory"), -1;
    for (size_t b = 0; b < net->ds->n_buildings; b++)
        if (p->buildings[b].status == FP_BST_CONNECTED && p->buildings[b].attach_node >= 0)
            attach[p->buildings[b].attach_node] = 1;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int rc = 0;
    for (size_t v = 0; v < net->n_nodes && rc == 0; v++) {
        if (p->node_site[v] < 0)
            continue; /* off the trees (every site is on its own) */
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldInteger(f, 0, (int)v);
        OGR_F_SetFieldString(f, 1, node_kind(p, (int)v, attach));
        OGR_F_SetFieldString(f, 2, fp_network_site_name(net, (size_t)p->node_site[v]));
        rc = put_feature(c, l, f, ogr_point(net->nodes[v].x, net->nodes[v].y), "nodes", "node",
                         (long long)v);
    }
    free(attach);
    return rc ? -1 : 0;
}

/* One point a site with what its tree feeds and costs. */
static int layer_sites(lctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    int T = c->o->privacy_threshold;
    OGRLayerH l = mk_layer(c, "sites", wkbPoint);
    if (!l)
        return -1;
    static const field_def defs[] = {
        {"site", OFTString, 64, 0},
        {"node", OFTInteger, 0, 0},
        {"used", OFTInteger, 0, 0},
        {"buildings_connected", OFTInteger, 0, 0},
        {"dwellings_connected", OFTInteger, 0, 0},
        {"fibres", OFTInteger, 0, 0},
        {"trench_m", OFTReal, 12, 2},
        {"civil_eur", OFTReal, 14, 2},
        {"cable_eur", OFTReal, 14, 2},
    };
    if (mk_fields(c, l, "sites", defs, sizeof defs / sizeof defs[0]))
        return -1;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    for (size_t i = 0; i < p->n_sites; i++) {
        const fp_plan_site *ps = &p->sites[i];
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldString(f, 0, fp_network_site_name(net, i));
        OGR_F_SetFieldInteger(f, 1, ps->node);
        OGR_F_SetFieldInteger(f, 2, ps->used);
        OGR_F_SetFieldInteger(f, 3, ps->buildings_connected);
        set_count(f, 4, ps->dwellings_connected, T);
        OGR_F_SetFieldInteger(f, 5, ps->fibres);
        OGR_F_SetFieldDouble(f, 6, fp_round2(ps->trench_m));
        OGR_F_SetFieldDouble(f, 7, fp_round2(ps->civil));
        OGR_F_SetFieldDouble(f, 8, fp_round2(ps->cable));
        if (put_feature(c, l, f, ogr_point(net->nodes[ps->node].x, net->nodes[ps->node].y),
                        "sites", "site", (long long)i))
            return -1;
    }
    return 0;
}

static int layer_blocks(lctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    int T = c->o->privacy_threshold;
    OGRLayerH l = mk_layer(c, "blocks", wkbMultiPolygon);
    if (!l)
        return -1;
    static const field_def defs[] = {
        {"block", OFTString, 64, 0},
        {"status", OFTString, 16, 0},
        {"buildings", OFTInteger, 0, 0},
        {"buildings_connected", OFTInteger, 0, 0},
        {"dwellings", OFTInteger, 0, 0},
        {"dwellings_connected", OFTInteger, 0, 0},
        {"cost_eur", OFTReal, 14, 2},
    };
    if (mk_fields(c, l, "blocks", defs, sizeof defs / sizeof defs[0]))
        return -1;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    for (size_t k = 0; k < net->n_blocks; k++) {
        const fp_plan_block *bk = &p->blocks[k];
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldString(f, 0, net->blocks[k].id);
        OGR_F_SetFieldString(f, 1, fp_block_status_name(bk->status));
        OGR_F_SetFieldInteger(f, 2, bk->buildings);
        OGR_F_SetFieldInteger(f, 3, bk->buildings_connected);
        set_count(f, 4, bk->dwellings, T);
        set_count(f, 5, bk->dwellings_connected, T);
        OGR_F_SetFieldDouble(f, 6, fp_round2(bk->cost));
        if (put_feature(c, l, f, ogr_multipolygon(net->ds->geos, net->blocks[k].geom), "blocks",
                        "block", (long long)k))
            return -1;
    }
    return 0;
}

static int layer_summary(lctx *c)
{
    const fp_plan *p = c->p;
    int T = c->o->privacy_threshold;
    OGRLayerH l = mk_layer(c, "summary", wkbNone);
    if (!l)
        return -1;
    static const field_def defs[] = {{"key", OFTString, 40, 0}, {"value", OFTString, 80, 0}};
    if (mk_fields(c, l, "summary", defs, 2))
        return -1;
    char v[10][64];
    const char *k[10] = {"scenario",          "total_cost_eur",      "network_cost_eur",
                         "buildings_target",  "buildings_connected", "dwellings_target",
                         "dwellings_connected", "dwellings_passed",   "cost_per_dwelling_eur",
                         "privacy_threshold"};
    snprintf(v[0], 64, "%s", c->o->scenario ? c->o->scenario : "");
    snprintf(v[1], 64, "%.2f", p->cost.total);
    snprintf(v[2], 64, "%.2f", p->network_cost);
    snprintf(v[3], 64, "%d", p->buildings_target);
    snprintf(v[4], 64, "%d", p->buildings_connected);
    fp_privacy_count(p->dwellings_target, T, v[5], 64);
    fp_privacy_count(p->dwellings_connected, T, v[6], 64);
    fp_privacy_count(p->dwellings_passed, T, v[7], 64);
    snprintf(v[8], 64, isfinite(p->cost.per_dwelling_connected) ? "%.2f" : "",
             p->cost.per_dwelling_connected);
    snprintf(v[9], 64, "%d", T);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < 10; i++) {
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldString(f, 0, k[i]);
        OGR_F_SetFieldString(f, 1, v[i]);
        if (add_feature(c, l, f, "summary"))
            return -1;
    }
    return 0;
}

static int write_layers(lctx *c, unsigned which)
{
    if ((which & L_BUILDINGS) && layer_buildings(c))
        return -1;
    if ((which & L_ROUTES) && layer_routes(c))
        return -1;
    if ((which & L_NODES) && layer_nodes(c))
        return -1;
    if ((which & L_BLOCKS) && layer_blocks(c))
        return -1;
    if ((which & L_SITES) && layer_sites(c))
        return -1;
    if ((which & L_SUMMARY) && layer_summary(c))
        return -1;
    return 0;
}

/* ---- QGIS styles ----------------------------------------------------------- */

static void qml_fill(char *out, size_t n, int idx, const char *fill, const char *line)
{
    snprintf(out, n,
             "<symbol type=\"fill\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
             "<layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">"
             "<prop k=\"color\" v=\"%s\"/><prop k=\"outline_color\" v=\"%s\"/>"
             "<prop k=\"outline_style\" v=\"solid\"/><prop k=\"outline_width\" v=\"0.26\"/>"
             "<prop k=\"outline_width_unit\" v=\"MM\"/><prop k=\"style\" v=\"solid\"/>"
             "</layer></symbol>",
             idx, fill, line);
}

static void qml_line(char *out, size_t n, int idx, const char *colour, const char *style,
                     int by_cable)
{
    char dd[600] = "";
    if (by_cable)
        snprintf(dd, sizeof dd,
                 "<data_defined_properties><Option type=\"Map\"><Option name=\"name\" "
                 "type=\"QString\" value=\"\"/><Option name=\"properties\" type=\"Map\">"
                 "<Option name=\"outlineWidth\" type=\"Map\"><Option name=\"active\" type=\"bool\" "
                 "value=\"true\"/><Option name=\"expression\" type=\"QString\" value=\"0.5 + 0.35 "
                 "* log(2, max(coalesce(&quot;cable_size&quot;, 12), 12) / 12)\"/><Option "
                 "name=\"type\" type=\"int\" value=\"3\"/></Option></Option><Option name=\"type\" "
                 "type=\"QString\" value=\"collection\"/></Option></data_defined_properties>");
    snprintf(out, n,
             "<symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
             "<layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">"
             "<prop k=\"line_color\" v=\"%s\"/><prop k=\"line_style\" v=\"%s\"/>"
             "<prop k=\"line_width\" v=\"%s\"/><prop k=\"line_width_unit\" v=\"MM\"/>"
             "<prop k=\"capstyle\" v=\"round\"/><prop k=\"joinstyle\" v=\"round\"/>%s"
             "</layer></symbol>",
             idx, colour, style, by_cable ? "0.6" : "0.3", dd);
}

static void qml_marker(char *out, size_t n, int idx, const char *shape, const char *colour,
                       const char *size)
{
    snprintf(out, n,
             "<symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
             "<layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">"
             "<prop k=\"name\" v=\"%s\"/><prop k=\"color\" v=\"%s\"/>"
             "<prop k=\"outline_color\" v=\"255,255,255,255\"/><prop k=\"outline_width\" v=\"0.3\"/>"
             "<prop k=\"size\" v=\"%s\"/><prop k=\"size_unit\" v=\"MM\"/></layer></symbol>",
             idx, shape, colour, size);
}

/* A categorized renderer QML over attr with cats[i] / syms[i]. */
static char *qml_categorized(const char *attr, const char *const *cats, const char *const *labels,
                             char syms[][1400], int n)
{
    size_t cap = 4096 + (size_t)n * 1600;
    char *q = malloc(cap);
    if (!q)
        return NULL;
    size_t len = (size_t)snprintf(q, cap,
                                  "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                                  "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">"
                                  "<renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" "
                                  "symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">"
                                  "<categories>",
                                  attr);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(q + len, cap - len,
                                "<category symbol=\"%d\" value=\"%s\" label=\"%s\" render=\"true\"/>",
                                i, cats[i], labels[i]);
    len += (size_t)snprintf(q + len, cap - len, "</categories><symbols>");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(q + len, cap - len, "%s", syms[i]);
    snprintf(q + len, cap - len, "</symbols></renderer-v2></qgis>\n");
    return q;
}

static char *style_for(const char *layer)
{
    char syms[6][1400];
    if (!strcmp(layer, "buildings")) {
        const char *cats[] = {"connected", "passed", "not_connected", "unreachable", "no_dwelling"};
        const char *labels[] = {"connected", "passed, not connected", "not connected",
                                "unreachable", "no dwelling"};
        qml_fill(syms[0], 1400, 0, "49,163,84,255", "0,109,44,255");
        qml_fill(syms[1], 1400, 1, "254,196,79,255", "176,122,0,255");
        qml_fill(syms[2], 1400, 2, "189,189,189,255", "203,24,29,255");
        qml_fill(syms[3], 1400, 3, "239,59,44,255", "103,0,13,255");
        qml_fill(syms[4], 1400, 4, "238,238,238,255", "187,187,187,255");
        return qml_categorized("status", cats, labels, syms, 5);
    }
    if (!strcmp(layer, "routes")) {
        const char *cats[] = {"trench", "duct_reuse", "aerial", "link", "drop"};
        const char *labels[] = {"new trench", "existing duct reused", "aerial (poles)",
                                "central office link", "drop"};
        qml_line(syms[0], 1400, 0, "215,48,31,255", "solid", 1);
        qml_line(syms[1], 1400, 1, "33,113,181,255", "solid", 1);
        qml_line(syms[2], 1400, 2, "136,86,167,255", "dash", 1);
        qml_line(syms[3], 1400, 3, "37,37,37,255", "solid", 1);
        qml_line(syms[4], 1400, 4, "27,120,55,255", "solid", 0);
        return qml_categorized("kind", cats, labels, syms, 5);
    }
    if (!strcmp(layer, "nodes")) {
        const char *cats[] = {"central_office", "connection_point", "junction", "building"};
        const char *labels[] = {"central office", "connection point", "junction",
                                "building terminal"};
        qml_marker(syms[0], 1400, 0, "square", "0,0,0,255", "5");
        qml_marker(syms[1], 1400, 1, "circle", "27,120,55,255", "1.8");
        qml_marker(syms[2], 1400, 2, "circle", "120,120,120,255", "1");
        qml_marker(syms[3], 1400, 3, "circle", "49,163,84,255", "1");
        return qml_categorized("kind", cats, labels, syms, 4);
    }
    if (!strcmp(layer, "sites")) {
        const char *cats[] = {"1", "0"};
        const char *labels[] = {"site (feeds buildings)", "site (unused)"};
        qml_marker(syms[0], 1400, 0, "square", "0,0,0,255", "5");
        qml_marker(syms[1], 1400, 1, "square", "150,150,150,255", "4");
        return qml_categorized("used", cats, labels, syms, 2);
    }
    if (!strcmp(layer, "blocks")) {
        const char *cats[] = {"connected", "partly", "not_connected"};
        const char *labels[] = {"all connected", "partly connected", "not connected"};
        qml_fill(syms[0], 1400, 0, "116,196,118,70", "116,196,118,255");
        qml_fill(syms[1], 1400, 1, "254,217,118,70", "230,170,40,255");
        qml_fill(syms[2], 1400, 2, "252,146,114,70", "222,45,38,255");
        return qml_categorized("status", cats, labels, syms, 3);
    }
    return NULL;
}

/* The QGIS layer_styles table (QGIS reads the default style from it when a
 * GeoPackage layer is opened). */
static int write_styles(lctx *c)
{
    char **opts = CSLSetNameValue(NULL, "FID", "id");
    OGRLayerH l = GDALDatasetCreateLayer(c->ds, "layer_styles", NULL, wkbNone, opts);
    CSLDestroy(opts);
    if (!l)
        return fp_gdal_fail(c->err, c->sink, "layer_styles: cannot create"), -1;
    static const char *cols[] = {"f_table_catalog", "f_table_schema", "f_table_name",
                                 "f_geometry_column", "styleName", "styleQML", "styleSLD",
                                 "useAsDefault", "description", "owner", "ui", "update_time"};
    for (int i = 0; i < 12; i++) {
        OGRFieldType t = i == 7 ? OFTInteger : i == 11 ? OFTDateTime : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(cols[i], t);
        if (i == 7)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    static const char *layers[] = {"buildings", "routes", "nodes", "blocks", "sites"};
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < 5; i++) {
        char *qml = style_for(layers[i]);
        if (!qml)
            return fp_error_set(c->err, FP_ENOMEM, "out of memory"), -1;
        OGRFeatureH f = OGR_F_Create(fd);
        OGR_F_SetFieldString(f, 0, "");
        OGR_F_SetFieldString(f, 1, "");
        OGR_F_SetFieldString(f, 2, layers[i]);
        OGR_F_SetFieldString(f, 3, "geom");
        OGR_F_SetFieldString(f, 4, layers[i]);
        OGR_F_SetFieldString(f, 5, qml);
        OGR_F_SetFieldString(f, 6, "");
        OGR_F_SetFieldInteger(f, 7, 1);
        OGR_F_SetFieldString(f, 8, "fibreplan default style");
        OGR_F_SetFieldString(f, 9, "");
        OGR_F_SetFieldString(f, 10, "");
        OGR_F_SetFieldDateTime(f, 11, 2000, 1, 1, 0, 0, 0, 100);
        free(qml);
        if (add_feature(c, l, f, "layer_styles"))
            return -1;
    }
    return 0;
}

/* ---- formats ----------------------------------------------------------------- */

static const char DESCRIPTION[] =
    "fibreplan FTTH plan. Layers: buildings (status connected / passed / not_connected / "
    "unreachable / no_dwelling, dwellings, cost share, the site feeding it), routes (tree edges: "
    "kind, street class, fibres, cable size, costs, site), nodes (central offices, connection "
    "points, junctions, site), blocks (status and dwellings; counts below the privacy threshold "
    "are NULL), sites (central offices / optical connection points with what each feeds and "
    "costs), summary. No personal "
    "data: per-household attributes (smart opt-outs, elderly tenants) are never exported; source "
    "attributes only when whitelisted (export_fields).";

/* The timestamp GDAL's GeoPackage driver writes (gpkg_contents.last_change,
 * gpkg_metadata_reference.timestamp) instead of the clock, so that the same
 * plan gives the same bytes (DESIGN.md: no timestamps inside compared
 * files). The run's date is in the project database. */
#define FP_GPKG_DATE "2000-01-01T00:00:00.000Z"

static int export_gpkg(const char *dir, const fp_plan *p, const fp_export_opts *o,
                       fp_gdal_sink *sink, fp_error *err)
{
    char final[FP_FS_PATH_MAX], tmp[FP_FS_PATH_MAX];
    snprintf(final, sizeof final, "%s/plan.gpkg", dir);
    if (fp_fs_temp_path(final, tmp, sizeof tmp, err) != 0)
        return err->code;
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv)
        return fp_error_set(err, FP_EINTERNAL, "GDAL has no GPKG driver");
    OGRSpatialReferenceH srs = fp_srs_epsg(p->net->ds->epsg);
    if (!srs)
        return fp_error_set(err, FP_ECRS, "EPSG:%d unknown to PROJ", p->net->ds->epsg);
    int rc = FP_OK;
    /* A fixed date while the file is written (this thread only, restored
     * below); a date the user set with OGR_CURRENT_DATE is kept. The rest
     * of the file is deterministic already: same statements in the same
     * order (features in plan order, styles, metadata) give the same pages. */
    char *saved_date = NULL;
    int set_date = CPLGetConfigOption("OGR_CURRENT_DATE", NULL) == NULL;
    if (set_date) {
        const char *tl = CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
        saved_date = tl ? CPLStrdup(tl) : NULL;
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", FP_GPKG_DATE);
    }
    GDALDatasetH ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) {
        rc = fp_gdal_fail(err, sink, final);
        goto out;
    }
    /* One transaction: the file is complete or absent (it only gets its
     * final name after the commit anyway). */
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        rc = fp_gdal_fail(err, sink, "plan.gpkg: cannot start a transaction");
        goto out;
    }
    char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
    lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "YES");
    lctx c = {ds, p, o, srs, NULL, lco, "", sink, err};
    if (write_layers(&c, L_BUILDINGS | L_ROUTES | L_NODES | L_BLOCKS | L_SITES | L_SUMMARY) != 0 ||
        write_styles(&c) != 0) {
        CSLDestroy(lco);
        GDALDatasetRollbackTransaction(ds);
        rc = err->code ? err->code : FP_EIO;
        goto out;
    }
    CSLDestroy(lco);
    GDALSetMetadataItem(ds, "DESCRIPTION", DESCRIPTION, NULL);
    GDALSetMetadataItem(ds, "TITLE", o->scenario ? o->scenario : "fibreplan", NULL);
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        rc = fp_gdal_fail(err, sink, "plan.gpkg: commit failed");
        goto out;
    }
out:
    if (ds)
        GDALClose(ds); /* writes the metadata: still under the fixed date */
    if (set_date) {
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", saved_date);
        CPLFree(saved_date);
    }
    OSRRelease(srs);
    if (rc == FP_OK)
        rc = fp_fs_commit(tmp, final, err);
    else
        unlink(tmp);
    return rc;
}

static int export_geojson(const char *dir, const fp_plan *p, const fp_export_opts *o,
                          fp_gdal_sink *sink, fp_error *err)
{
    char final[FP_FS_PATH_MAX], tmp[FP_FS_PATH_MAX], path[FP_FS_PATH_MAX + 64], prec[16];
    snprintf(final, sizeof final, "%s/geojson", dir);
    GDALDriverH drv = GDALGetDriverByName("GeoJSON");
    if (!drv)
        return fp_error_set(err, FP_EINTERNAL, "GDAL has no GeoJSON driver");
    OGRSpatialReferenceH src = fp_srs_epsg(p->net->ds->epsg), wgs = fp_srs_epsg(4326);
    OGRCoordinateTransformationH ct = src && wgs ? OCTNewCoordinateTransformation(src, wgs) : NULL;
    int rc = FP_OK;
    if (!ct) {
        rc = fp_error_set(err, FP_ECRS, "no transformation from EPSG:%d to EPSG:4326",
                          p->net->ds->epsg);
        goto out;
    }
    if ((rc = fp_fs_dir_begin(final, tmp, sizeof tmp, err)) != 0)
        goto out;
    static const struct {
        const char *name;
        unsigned bit;
    } L[] = {{"buildings", L_BUILDINGS}, {"routes", L_ROUTES}, {"nodes", L_NODES},
             {"blocks", L_BLOCKS}, {"sites", L_SITES}};
    snprintf(prec, sizeof prec, "%d", o->coord_precision > 0 ? o->coord_precision : 7);
    for (size_t i = 0; i < sizeof L / sizeof L[0] && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/%s.geojson", tmp, L[i].name);
        GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
        if (!ds) {
            rc = fp_gdal_fail(err, sink, path);
            break;
        }
        char **lco = CSLSetNameValue(NULL, "RFC7946", "YES");
        lco = CSLSetNameValue(lco, "COORDINATE_PRECISION", prec);
        lco = CSLSetNameValue(lco, "WRITE_BBOX", "NO");
        lctx c = {ds, p, o, wgs, ct, lco, "", sink, err};
        if (write_layers(&c, L[i].bit) != 0)
            rc = err->code ? err->code : FP_EIO;
        CSLDestroy(lco);
        GDALClose(ds);
    }
    if (rc == 0)
        rc = fp_fs_dir_commit(tmp, final, err);
    else
        fp_fs_rmtree(tmp);
out:
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (src)
        OSRRelease(src);
    if (wgs)
        OSRRelease(wgs);
    return rc;
}

static int export_postgis(const fp_plan *p, const fp_export_opts *o, fp_gdal_sink *sink,
                          fp_error *err)
{
    if (!o->pg_conn || strncmp(o->pg_conn, "PG:", 3) != 0)
        return fp_error_set(err, FP_ESCENARIO, "postgis export needs a \"PG:...\" connection string");
    char prefix[128];
    if (o->pg_prefix)
        snprintf(prefix, sizeof prefix, "%s", o->pg_prefix);
    else {
        char safe[96];
        fp_fs_safe_name(o->scenario ? o->scenario : "plan", safe, sizeof safe);
        for (char *s = safe; *s; s++)
            if (*s == '.' || *s == '-')
                *s = '_';
            else if (*s >= 'A' && *s <= 'Z')
                *s = (char)(*s - 'A' + 'a');
        snprintf(prefix, sizeof prefix, "fp_%s_", safe);
    }
    GDALDatasetH ds = GDALOpenEx(o->pg_conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    if (!ds)
        return fp_gdal_fail(err, sink, "PostGIS: cannot connect");
    OGRSpatialReferenceH srs = fp_srs_epsg(p->net->ds->epsg);
    int rc = FP_OK;
    if (!srs) {
        rc = fp_error_set(err, FP_ECRS, "EPSG:%d unknown to PROJ", p->net->ds->epsg);
        goto out;
    }
    /* One transaction: readers see the old tables or the new ones. */
    int tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    char **lco = CSLSetNameValue(NULL, "OVERWRITE", "YES");
    lco = CSLSetNameValue(lco, "GEOMETRY_NAME", "geom");
    lco = CSLSetNameValue(lco, "FID", "fid");
    lco = CSLSetNameValue(lco, "LAUNDER", "YES");
    lco = CSLSetNameValue(lco, "PRECISION", "NO");
    lctx c = {ds, p, o, srs, NULL, lco, prefix, sink, err};
    if (write_layers(&c, L_BUILDINGS | L_ROUTES | L_NODES | L_BLOCKS | L_SITES | L_SUMMARY) != 0) {
        if (tx)
            GDALDatasetRollbackTransaction(ds);
        rc = err->code ? err->code : FP_EIO;
    } else if (tx && GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        rc = fp_gdal_fail(err, sink, "PostGIS: commit failed");
    }
    CSLDestroy(lco);
out:
    if (srs)
        OSRRelease(srs);
    GDALClose(ds);
    return rc;
}

static int write_readme(const char *dir, const fp_plan *p, const fp_export_opts *o, fp_error *err)
{
    fp_afile *af = fp_afile_open_in(dir, "README.txt", err);
    if (!af)
        return err->code;
    FILE *f = fp_afile_fp(af);
    fprintf(f, "fibreplan export: %s\n\n", o->scenario ? o->scenario : "");
    fprintf(f, "Working CRS EPSG:%d. Buildings %zu, tree edges %zu, blocks %zu.\n\n",
            p->net->ds->epsg, p->net->ds->n_buildings, p->n_edges, p->net->n_blocks);
    fputs("Files\n", f);
    if (o->formats & FP_EXPORT_GPKG)
        fputs("  plan.gpkg        GeoPackage: buildings, routes, nodes, blocks, sites, summary; QGIS "
              "styles in layer_styles (default on open); description in gpkg_metadata.\n",
              f);
    if (o->formats & FP_EXPORT_GEOJSON)
        fprintf(f, "  geojson/*.geojson  one file per layer, RFC 7946, EPSG:4326, %d decimals.\n",
                o->coord_precision > 0 ? o->coord_precision : 7);
    if (o->formats & FP_EXPORT_GRACETHD)
        fputs("  gracethd/        GraceTHD-MCD v2 exchange: shapefiles (EPSG:2154) + CSV tables "
              "and l_* value lists; see gracethd/README.txt.\n",
              f);
    if (o->formats & FP_EXPORT_POSTGIS)
        fputs("  (PostGIS)        the same layers in the database given by postgis=, tables "
              "prefixed fp_<scenario>_ unless postgis_prefix is set.\n",
              f);
    fprintf(f, "\nLayers\n%s\n\nPrivacy\n  Counts of dwellings below %d are suppressed (NULL, or "
               "\"<%d\" in text) in the blocks and summary tables.\n",
            DESCRIPTION, o->privacy_threshold, o->privacy_threshold);
    fputs("  Source attributes exported (export_fields): ", f);
    if (!o->n_fields)
        fputs("none", f);
    for (int i = 0; i < o->n_fields; i++)
        fprintf(f, "%s%s", i ? ", " : "", o->fields[i]);
    fputs(".\n", f);
    return fp_afile_commit(af, err);
}

int fp_export_write(const char *dir, const fp_plan *plan, const fp_export_opts *o,
                    const fp_log *log, fp_error *err)
{
    int rc = fp_fs_mkdirs(dir, err);
    if (rc)
        return rc;
    if ((rc = fp_fs_sweep(dir, NULL, err)) != 0)
        return rc;
    GDALAllRegister();
    fp_gdal_sink sink;
    fp_gdal_push(&sink, log);
    if (o->formats & FP_EXPORT_GPKG) {
        fp_log_progress(log, "export", 0, 4, "GeoPackage");
        if ((rc = export_gpkg(dir, plan, o, &sink, err)) != 0)
            goto out;
    }
    if (o->formats & FP_EXPORT_GEOJSON) {
        fp_log_progress(log, "export", 1, 4, "GeoJSON");
        if ((rc = export_geojson(dir, plan, o, &sink, err)) != 0)
            goto out;
    }
    if (o->formats & FP_EXPORT_GRACETHD) {
        fp_log_progress(log, "export", 2, 4, "GraceTHD");
        char gdir[FP_FS_PATH_MAX];
        snprintf(gdir, sizeof gdir, "%s/gracethd", dir);
        if ((rc = fp_gracethd_write(gdir, plan, o, &sink, err)) != 0)
            goto out;
    }
    if (o->formats & FP_EXPORT_POSTGIS) {
        fp_log_progress(log, "export", 3, 4, "PostGIS");
        if ((rc = export_postgis(plan, o, &sink, err)) != 0)
            goto out;
    }
    rc = write_readme(dir, plan, o, err);
    fp_log_progress(log, "export", 4, 4, "done");
out:
    fp_gdal_pop();
    return rc;
}
