/* netout: the network as a GeoPackage (OGR) and as a SteinLib .stp file,
 * each written under a temporary name and renamed into place. */
#include "netout.h"
#include "fsutil.h"
#include "gdalutil.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <libgen.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *node_kind_name(fp_node_kind k)
{
    switch (k) {
    case FP_NODE_JUNCTION:
        return "junction";
    case FP_NODE_BUILDING:
        return "building";
    case FP_NODE_ROOT:
        return "root";
    }
    return "?";
}

static const char *edge_kind_name(fp_edge_kind k)
{
    switch (k) {
    case FP_EDGE_TRENCH:
        return "trench";
    case FP_EDGE_DUCT:
        return "duct";
    case FP_EDGE_AERIAL:
        return "aerial";
    case FP_EDGE_DROP:
        return "drop";
    case FP_EDGE_LINK:
        return "link";
    }
    return "?";
}

static const char *reason_name(fp_unreach_reason r)
{
    switch (r) {
    case FP_UNREACH_TOO_FAR:
        return "too_far";
    case FP_UNREACH_DISCONNECTED:
        return "disconnected";
    case FP_UNREACH_NO_STREET:
        return "no_street";
    }
    return "?";
}

typedef struct {
    const char *name;
    OGRFieldType type;
} fdef;

static OGRLayerH make_layer(GDALDatasetH ds, const char *name, OGRSpatialReferenceH srs,
                            OGRwkbGeometryType gt, const fdef *f, int nf)
{
    char *opts[] = {"SPATIAL_INDEX=YES", NULL};
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, srs, gt, opts);
    if (!l)
        return NULL;
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(f[i].name, f[i].type);
        OGRErr e = OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return NULL;
    }
    return l;
}

static OGRGeometryH polyline(const double *xy, int n)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    if (!g)
        return NULL;
    OGR_G_SetPointCount(g, n);
    for (int i = 0; i < n; i++)
        OGR_G_SetPoint_2D(g, i, xy[2 * i], xy[2 * i + 1]);
    return g;
}

static OGRGeometryH from_geos(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    size_t sz = 0;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    if (!w)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    unsigned char *wkb = GEOSWKBWriter_write_r(h, w, g, &sz);
    GEOSWKBWriter_destroy_r(h, w);
    if (!wkb)
        return NULL;
    OGRGeometryH o = NULL;
    if (OGR_G_CreateFromWkb(wkb, NULL, &o, (int)sz) != OGRERR_NONE)
        o = NULL;
    GEOSFree_r(h, wkb);
    return o;
}

/* Adds a feature with geometry g (taken, may be NULL). */
static int put(OGRLayerH l, OGRFeatureH f, OGRGeometryH g)
{
    if (g)
        OGR_F_SetGeometryDirectly(f, g);
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

int fp_netout_gpkg(const fp_network *net, const char *path, const fp_log *log, fp_error *err)
{
    int rc = FP_OK;
    const fp_dataset *ds = net->ds;
    GEOSContextHandle_t h = ds->geos;
    fp_gdal_errs ge;
    GDALDatasetH out = NULL;
    OGRSpatialReferenceH srs = NULL;
    long *blk_b = NULL, *blk_dw = NULL;
    char tmp[FP_FS_PATH_MAX], dir[FP_FS_PATH_MAX];
    if (fp_fs_temp_path(path, tmp, sizeof tmp, err))
        return err->code;
    /* temporaries a killed run left in that folder are removed first */
    snprintf(dir, sizeof dir, "%s", path);
    if (fp_fs_sweep(dirname(dir), NULL, err))
        return err->code;
    fp_gdal_begin(&ge, log);
    /* no timestamp in gpkg_contents: same inputs, same bytes */
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv) {
        rc = fp_error_set(err, FP_EGDAL, "%s: GDAL has no GPKG driver", path);
        goto out;
    }
    out = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
    if (!out) {
        rc = fp_error_set(err, FP_EIO, "%s: cannot create: %s", path, ge.last);
        goto out;
    }
    if (ds->epsg > 0) {
        srs = OSRNewSpatialReference(NULL);
        if (srs && OSRImportFromEPSG(srs, ds->epsg) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            srs = NULL;
        }
        if (srs)
            OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    if (GDALDatasetStartTransaction(out, FALSE) != OGRERR_NONE) {
        rc = fp_error_set(err, FP_EGDAL, "%s: cannot start a transaction: %s", path, ge.last);
        goto out;
    }

    static const fdef ef[] = {{"id", OFTInteger},      {"u", OFTInteger},
                              {"v", OFTInteger},       {"kind", OFTString},
                              {"class", OFTString},    {"street_fid", OFTInteger64},
                              {"length_m", OFTReal},   {"cost_eur", OFTReal},
                              {"reuse", OFTInteger}};
    static const fdef nf[] = {{"id", OFTInteger},
                              {"kind", OFTString},
                              {"building_id", OFTString},
                              {"component", OFTInteger}};
    static const fdef df[] = {{"building_id", OFTString},
                              {"building_fid", OFTInteger64},
                              {"dwellings", OFTInteger},
                              {"length_m", OFTReal},
                              {"cost_eur", OFTReal}};
    static const fdef bf[] = {{"id", OFTString}, {"buildings", OFTInteger}, {"dwellings", OFTInteger}};
    static const fdef uf[] = {{"building_id", OFTString},
                              {"building_fid", OFTInteger64},
                              {"dwellings", OFTInteger},
                              {"reason", OFTString},
                              {"distance_m", OFTReal}};
    OGRLayerH le = make_layer(out, "edges", srs, wkbLineString, ef, 9);
    OGRLayerH ln = le ? make_layer(out, "nodes", srs, wkbPoint, nf, 4) : NULL;
    OGRLayerH ld = ln ? make_layer(out, "drops", srs, wkbLineString, df, 5) : NULL;
    OGRLayerH lb = ld ? make_layer(out, "blocks", srs, wkbPolygon, bf, 3) : NULL;
    OGRLayerH lu = lb ? make_layer(out, "unreachable", srs, wkbMultiPolygon, uf, 5) : NULL;
    if (!lu) {
        rc = fp_error_set(err, FP_EGDAL, "%s: cannot create layers: %s", path, ge.last);
        goto out;
    }
    for (size_t i = 0; i < net->n_edges; i++) {
        const fp_net_edge *e = &net->edges[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(le));
        OGR_F_SetFieldInteger(f, 0, (int)i);
        OGR_F_SetFieldInteger(f, 1, e->u);
        OGR_F_SetFieldInteger(f, 2, e->v);
        OGR_F_SetFieldString(f, 3, edge_kind_name(e->kind));
        OGR_F_SetFieldString(f, 4, e->cls);
        if (e->street >= 0)
            OGR_F_SetFieldInteger64(f, 5, ds->streets[e->street].fid);
        else
            OGR_F_SetFieldNull(f, 5);
        OGR_F_SetFieldDouble(f, 6, e->length);
        OGR_F_SetFieldDouble(f, 7, e->cost);
        OGR_F_SetFieldInteger(f, 8, e->kind == FP_EDGE_DUCT || e->kind == FP_EDGE_AERIAL);
        if (put(le, f, polyline(e->xy, e->n_pts)))
            goto feat_fail;
        if (e->kind == FP_EDGE_DROP) {
            int bn = net->nodes[e->u].kind == FP_NODE_BUILDING ? e->u : e->v;
            const fp_building *b = &ds->buildings[net->nodes[bn].building];
            f = OGR_F_Create(OGR_L_GetLayerDefn(ld));
            OGR_F_SetFieldString(f, 0, b->id);
            OGR_F_SetFieldInteger64(f, 1, b->fid);
            OGR_F_SetFieldInteger(f, 2, b->dwellings);
            OGR_F_SetFieldDouble(f, 3, e->length);
            OGR_F_SetFieldDouble(f, 4, e->cost);
            if (put(ld, f, polyline(e->xy, e->n_pts)))
                goto feat_fail;
        }
    }
    for (size_t i = 0; i < net->n_nodes; i++) {
        const fp_net_node *nd = &net->nodes[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(ln));
        OGR_F_SetFieldInteger(f, 0, (int)i);
        OGR_F_SetFieldString(f, 1, node_kind_name(nd->kind));
        if (nd->kind == FP_NODE_BUILDING)
            OGR_F_SetFieldString(f, 2, ds->buildings[nd->building].id);
        else if (nd->kind == FP_NODE_ROOT && fp_network_site_index(net, (int)i) >= 0)
            OGR_F_SetFieldString(
                f, 2, fp_network_site_name(net, (size_t)fp_network_site_index(net, (int)i)));
        else
            OGR_F_SetFieldNull(f, 2);
        OGR_F_SetFieldInteger(f, 3, nd->component);
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        if (g)
            OGR_G_SetPoint_2D(g, 0, nd->x, nd->y);
        if (put(ln, f, g))
            goto feat_fail;
    }
    blk_b = calloc(net->n_blocks + 1, sizeof *blk_b);
    blk_dw = calloc(net->n_blocks + 1, sizeof *blk_dw);
    if (!blk_b || !blk_dw) {
        rc = fp_error_set(err, FP_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < ds->n_buildings; i++)
        if (net->building_block[i] >= 0) {
            blk_b[net->building_block[i]]++;
            blk_dw[net->building_block[i]] += ds->buildings[i].dwellings;
        }
    for (size_t i = 0; i < net->n_blocks; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lb));
        OGR_F_SetFieldString(f, 0, net->blocks[i].id);
        OGR_F_SetFieldInteger(f, 1, (int)blk_b[i]);
        OGR_F_SetFieldInteger(f, 2, (int)blk_dw[i]);
        OGRGeometryH g = net->blocks[i].geom ? from_geos(h, net->blocks[i].geom) : NULL;
        if (put(lb, f, g))
            goto feat_fail;
    }
    for (size_t i = 0; i < net->n_unreachable; i++) {
        const fp_unreachable *u = &net->unreachable[i];
        const fp_building *b = &ds->buildings[u->building];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lu));
        OGR_F_SetFieldString(f, 0, b->id);
        OGR_F_SetFieldInteger64(f, 1, b->fid);
        OGR_F_SetFieldInteger(f, 2, b->dwellings);
        OGR_F_SetFieldString(f, 3, reason_name(u->reason));
        OGR_F_SetFieldDouble(f, 4, u->distance);
        OGRGeometryH g = b->geom ? from_geos(h, b->geom) : NULL;
        if (g)
            g = OGR_G_ForceToMultiPolygon(g);
        if (put(lu, f, g))
            goto feat_fail;
    }
    if (GDALDatasetCommitTransaction(out) != OGRERR_NONE) {
        rc = fp_error_set(err, FP_EIO, "%s: cannot commit: %s", path, ge.last);
        goto out;
    }
    GDALClose(out);
    out = NULL;
    if (ge.n_fail) {
        rc = fp_error_set(err, FP_EIO, "%s: %s", path, ge.last);
        goto out;
    }
    rc = fp_fs_commit(tmp, path, err);
    goto out;
feat_fail:
    rc = fp_error_set(err, FP_EIO, "%s: cannot write a feature: %s", path, ge.last);
out:
    if (out)
        GDALClose(out);
    if (rc)
        unlink(tmp);
    if (srs)
        OSRDestroySpatialReference(srs);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    fp_gdal_end(&ge);
    free(blk_b);
    free(blk_dw);
    return rc;
}
