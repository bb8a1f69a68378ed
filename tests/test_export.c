/* test_export: GeoPackage, GeoJSON, GraceTHD and PostGIS exports of the
 * fixture plan read back with OGR; privacy whitelist and suppression;
 * byte-identical reruns. */
#include "export.h"
#include "fixture_net.h"
#include "fsutil.h"
#include "testutil.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The fixture's plan (smart kits on) and export options for it: scenario
 * "fixture", the given formats. */
static fp_plan *mkplan(fx *f, fp_export_opts *o, unsigned formats)
{
    fx_init(f);
    fp_export_opts_default(o);
    o->scenario = "fixture";
    o->formats = formats;
    return fx_plan(f, 1);
}

static int field_idx(OGRLayerH l, const char *name)
{
    return OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), name);
}

/* Feature of layer l whose integer/string field `key` equals val. */
static OGRFeatureH find_feature(OGRLayerH l, const char *key, const char *val)
{
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    int i = field_idx(l, key);
    while ((f = OGR_L_GetNextFeature(l))) {
        if (!strcmp(OGR_F_GetFieldAsString(f, i), val))
            return f;
        OGR_F_Destroy(f);
    }
    return NULL;
}

START_TEST(gpkg_layers_styles_privacy)
{
    fx f;
    fp_export_opts o;
    fp_plan *p = mkplan(&f, &o, FP_EXPORT_GPKG);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_export_parse_fields("usage", &o, &e), 0);
    char *dir = tu_tmpdir();
    ck_assert_msg(fp_export_write(dir, p, &o, NULL, &e) == 0, "%s", e.msg);
    char path[600];
    snprintf(path, sizeof path, "%s/plan.gpkg", dir);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    OGRLayerH lb = GDALDatasetGetLayerByName(ds, "buildings");
    ck_assert_ptr_nonnull(lb);
    ck_assert_int_eq(OGR_L_GetFeatureCount(lb, TRUE), 7);
    ck_assert_int_ge(field_idx(lb, "usage"), 0);      /* whitelisted */
    ck_assert_int_lt(field_idx(lb, "source_fid"), 0); /* not whitelisted */
    ck_assert_int_lt(field_idx(lb, "source_id"), 0);
    ck_assert_int_lt(field_idx(lb, "elderly"), 0);
    ck_assert_int_lt(field_idx(lb, "smart_optout"), 0);
    OGRFeatureH ft = find_feature(lb, "building", "0");
    ck_assert_ptr_nonnull(ft);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(lb, "status")), "connected");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lb, "dwellings")), 10);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(lb, "usage")), "Résidentiel");
    ck_assert(wkbFlatten(OGR_G_GetGeometryType(OGR_F_GetGeometryRef(ft))) == wkbMultiPolygon);
    OGR_F_Destroy(ft);

    OGRLayerH lr = GDALDatasetGetLayerByName(ds, "routes");
    ck_assert_int_eq(OGR_L_GetFeatureCount(lr, TRUE), 7);
    ft = find_feature(lr, "edge", "1");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lr, "fibres")), 17);
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lr, "cable_size")), 24);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(lr, "kind")), "trench");
    ck_assert_double_eq_tol(OGR_F_GetFieldAsDouble(ft, field_idx(lr, "cable_eur")), 120, 1e-9);
    OGR_F_Destroy(ft);

    OGRLayerH ln = GDALDatasetGetLayerByName(ds, "nodes");
    ck_assert_int_eq(OGR_L_GetFeatureCount(ln, TRUE), 8); /* root + 7 tree nodes */
    ft = find_feature(ln, "node", "0");
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, 1), "central_office");
    OGR_F_Destroy(ft);
    ft = find_feature(ln, "node", "2");
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, 1), "connection_point");
    OGR_F_Destroy(ft);

    /* Blocks: 15 dwellings shown, 1 and 9 suppressed (NULL). */
    OGRLayerH lk = GDALDatasetGetLayerByName(ds, "blocks");
    ck_assert_int_eq(OGR_L_GetFeatureCount(lk, TRUE), 3);
    ft = find_feature(lk, "block", "B1");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lk, "dwellings")), 15);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(lk, "status")), "partly");
    OGR_F_Destroy(ft);
    ft = find_feature(lk, "block", "B2");
    ck_assert(OGR_F_IsFieldNull(ft, field_idx(lk, "dwellings")));
    ck_assert(OGR_F_IsFieldNull(ft, field_idx(lk, "dwellings_connected")));
    OGR_F_Destroy(ft);

    /* Styles QGIS applies on open, and the metadata. */
    OGRLayerH ls = GDALDatasetGetLayerByName(ds, "layer_styles");
    ck_assert_ptr_nonnull(ls);
    ck_assert_int_eq(OGR_L_GetFeatureCount(ls, TRUE), 5);
    ft = find_feature(ls, "f_table_name", "buildings");
    ck_assert_ptr_nonnull(ft);
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(ls, "useAsDefault")), 1);
    ck_assert_ptr_nonnull(strstr(OGR_F_GetFieldAsString(ft, field_idx(ls, "styleQML")),
                                 "categorizedSymbol"));
    OGR_F_Destroy(ft);
    OGRLayerH q = GDALDatasetExecuteSQL(ds, "SELECT count(*) FROM gpkg_metadata", NULL, NULL);
    ck_assert_ptr_nonnull(q);
    ft = OGR_L_GetNextFeature(q);
    ck_assert_int_ge(OGR_F_GetFieldAsInteger(ft, 0), 1);
    OGR_F_Destroy(ft);
    GDALDatasetReleaseResultSet(ds, q);
    OGRLayerH lsum = GDALDatasetGetLayerByName(ds, "summary");
    ft = find_feature(lsum, "key", "dwellings_connected");
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, 1), "14");
    OGR_F_Destroy(ft);
    GDALClose(ds);

    char *readme = tu_read_in(dir, "README.txt", NULL);
    ck_assert_ptr_nonnull(strstr(readme, "No personal"));
    ck_assert_ptr_nonnull(strstr(readme, "export_fields): usage."));
    free(readme);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q fptmp", dir);
    ck_assert_int_ne(system(cmd), 0);
    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(whitelist_rules)
{
    fp_export_opts o;
    fp_export_opts_default(&o);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_export_parse_fields("usage, levels ,id", &o, &e), 0);
    ck_assert_int_eq(o.n_fields, 3);
    ck_assert_int_eq(fp_export_parse_fields("usage,elderly", &o, &e), FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "never exported"));
    ck_assert_int_eq(o.n_fields, 3); /* unchanged */
    ck_assert_int_eq(fp_export_parse_fields("smart_optout", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(fp_export_parse_fields("colour", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(fp_export_parse_formats("gpkg, gracethd", &o, &e), 0);
    ck_assert_uint_eq(o.formats, FP_EXPORT_GPKG | FP_EXPORT_GRACETHD);
    ck_assert_int_eq(fp_export_parse_formats("kml", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(fp_export_parse_formats("none", &o, &e), 0);
    ck_assert_uint_eq(o.formats, 0);
}
END_TEST

/* The first gpkg_contents.last_change of a GeoPackage. */
static void gpkg_last_change(const char *path, char *out, size_t n)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    OGRLayerH q = GDALDatasetExecuteSQL(
        ds, "SELECT min(last_change), max(last_change) FROM gpkg_contents", NULL, NULL);
    ck_assert_ptr_nonnull(q);
    OGRFeatureH ft = OGR_L_GetNextFeature(q);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, 0), OGR_F_GetFieldAsString(ft, 1));
    snprintf(out, n, "%s", OGR_F_GetFieldAsString(ft, 0));
    OGR_F_Destroy(ft);
    GDALDatasetReleaseResultSet(ds, q);
    GDALClose(ds);
}

/* The GeoPackage is byte-identical from one export to the next: GDAL's
 * timestamps are pinned while it is written (and the option is restored
 * after); a date the user sets with OGR_CURRENT_DATE is kept. */
START_TEST(gpkg_deterministic)
{
    fx f;
    fp_export_opts o;
    fp_plan *p = mkplan(&f, &o, FP_EXPORT_GPKG);
    fp_error e;
    fp_error_clear(&e);
    char *d1 = tu_tmpdir(), *d2 = tu_tmpdir();
    char p1[700], p2[700], h1[65], h2[65], date[64];
    snprintf(p1, sizeof p1, "%s/plan.gpkg", d1);
    snprintf(p2, sizeof p2, "%s/plan.gpkg", d2);
    ck_assert_msg(fp_export_write(d1, p, &o, NULL, &e) == 0, "%s", e.msg);
    usleep(20000); /* a later clock: a timestamp would differ */
    ck_assert_msg(fp_export_write(d2, p, &o, NULL, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(fp_fs_sha256_file(p1, h1, NULL, &e), 0);
    ck_assert_int_eq(fp_fs_sha256_file(p2, h2, NULL, &e), 0);
    ck_assert_str_eq(h1, h2);
    gpkg_last_change(p1, date, sizeof date);
    ck_assert_str_eq(date, "2000-01-01T00:00:00.000Z");
    ck_assert_ptr_null(CPLGetConfigOption("OGR_CURRENT_DATE", NULL)); /* restored */

    CPLSetConfigOption("OGR_CURRENT_DATE", "2024-05-06T07:08:09.000Z");
    ck_assert_msg(fp_export_write(d2, p, &o, NULL, &e) == 0, "%s", e.msg);
    CPLSetConfigOption("OGR_CURRENT_DATE", NULL);
    gpkg_last_change(p2, date, sizeof date);
    ck_assert_str_eq(date, "2024-05-06T07:08:09.000Z");
    tu_rmtree(d1);
    tu_rmtree(d2);
    free(d1);
    free(d2);
    fp_plan_free(p);
    fx_free(&f);
}
END_TEST

START_TEST(geojson_and_gracethd_deterministic)
{
    fx f;
    fp_export_opts o;
    fp_plan *p = mkplan(&f, &o, FP_EXPORT_GEOJSON | FP_EXPORT_GRACETHD);
    fp_error e;
    fp_error_clear(&e);
    char *d1 = tu_tmpdir(), *d2 = tu_tmpdir();
    ck_assert_msg(fp_export_write(d1, p, &o, NULL, &e) == 0, "%s", e.msg);
    ck_assert_msg(fp_export_write(d2, p, &o, NULL, &e) == 0, "%s", e.msg);
    /* Again into d2: replaces the folders in place. */
    ck_assert_msg(fp_export_write(d2, p, &o, NULL, &e) == 0, "%s", e.msg);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "diff -r '%s/geojson' '%s/geojson' >/dev/null && "
                              "diff -r '%s/gracethd' '%s/gracethd' >/dev/null",
             d1, d2, d1, d2);
    ck_assert_int_eq(system(cmd), 0);

    /* GeoJSON: RFC 7946 (no crs member), WGS 84 near Olemps (2.21 E, 44.32 N),
     * at most 7 decimals. */
    char *gj = tu_read_in(d1, "geojson/routes.geojson", NULL);
    ck_assert_ptr_nonnull(gj);
    ck_assert_ptr_null(strstr(gj, "\"crs\""));
    ck_assert_ptr_nonnull(strstr(gj, "\"fibres\": 17"));
    char path[700];
    snprintf(path, sizeof path, "%s/geojson/nodes.geojson", d1);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH ft = find_feature(l, "node", "0");
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    double lon = OGR_G_GetX(g, 0), lat = OGR_G_GetY(g, 0);
    ck_assert_msg(lon > 2.1 && lon < 2.3 && lat > 44.2 && lat < 44.5, "lon %f lat %f", lon, lat);
    OGR_F_Destroy(ft);
    GDALClose(ds);
    for (char *s = strstr(gj, "\"coordinates\""); s && *s; s++) {
        if (*s == '.') {
            int n = 0;
            while (s[1 + n] >= '0' && s[1 + n] <= '9')
                n++;
            ck_assert_int_le(n, 7);
        }
        if (!strncmp(s, "\"properties\"", 12))
            s = strstr(s, "\"coordinates\"") ? strstr(s, "\"coordinates\"") : s + strlen(s) - 1;
    }
    free(gj);

    /* GraceTHD: tables present, keys consistent, codes from the value lists. */
    snprintf(path, sizeof path, "%s/gracethd/t_cheminement.shp", d1);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    l = GDALDatasetGetLayer(ds, 0);
    ck_assert_int_eq(OGR_L_GetFeatureCount(l, TRUE), 7);
    char *lav = tu_read_in(d1, "gracethd/l_avancement.csv", NULL);
    char *lst = tu_read_in(d1, "gracethd/l_statut.csv", NULL);
    char *lim = tu_read_in(d1, "gracethd/l_implantation_type.csv", NULL);
    char *lrt = tu_read_in(d1, "gracethd/l_reseau_type_log.csv", NULL);
    /* Node codes, "|"-joined, read back from t_noeud. */
    char *noeuds_dbf = calloc(1, 4096);
    {
        char np[700];
        snprintf(np, sizeof np, "%s/gracethd/t_noeud.shp", d1);
        GDALDatasetH dn = GDALOpenEx(np, GDAL_OF_VECTOR, NULL, NULL, NULL);
        ck_assert_ptr_nonnull(dn);
        OGRLayerH ln = GDALDatasetGetLayer(dn, 0);
        ck_assert_int_eq(OGR_L_GetFeatureCount(ln, TRUE), 8);
        OGRFeatureH fn;
        while ((fn = OGR_L_GetNextFeature(ln))) {
            strcat(noeuds_dbf, "|");
            strcat(noeuds_dbf, OGR_F_GetFieldAsString(fn, 0));
            OGR_F_Destroy(fn);
        }
        GDALClose(dn);
    }
    ck_assert(lav && lst && lim && lrt && noeuds_dbf);
    OGR_L_ResetReading(l);
    int n_existing = 0;
    while ((ft = OGR_L_GetNextFeature(l))) {
        char want[64];
        const char *st = OGR_F_GetFieldAsString(ft, field_idx(l, "cm_statut"));
        ck_assert_str_eq(st, "AVP");
        snprintf(want, sizeof want, "\n%s;", st);
        ck_assert_ptr_nonnull(strstr(lst, want));
        const char *av = OGR_F_GetFieldAsString(ft, field_idx(l, "cm_avct"));
        snprintf(want, sizeof want, "\n%s;", av);
        ck_assert_ptr_nonnull(strstr(lav, want));
        n_existing += !strcmp(av, "E");
        snprintf(want, sizeof want, "\n%s;",
                 OGR_F_GetFieldAsString(ft, field_idx(l, "cm_typ_imp")));
        ck_assert_ptr_nonnull(strstr(lim, want));
        snprintf(want, sizeof want, "\n%s;",
                 OGR_F_GetFieldAsString(ft, field_idx(l, "cm_typelog")));
        ck_assert_ptr_nonnull(strstr(lrt, want));
        /* Both ends are t_noeud codes. */
        ck_assert_ptr_nonnull(strstr(noeuds_dbf, OGR_F_GetFieldAsString(ft, field_idx(l, "cm_ndcode1"))));
        ck_assert_ptr_nonnull(strstr(noeuds_dbf, OGR_F_GetFieldAsString(ft, field_idx(l, "cm_ndcode2"))));
        ck_assert_int_eq(strlen(OGR_F_GetFieldAsString(ft, 0)), 14); /* CM + 12 digits */
        OGR_F_Destroy(ft);
    }
    ck_assert_int_eq(n_existing, 2); /* the duct and the aerial line */
    GDALClose(ds);
    free(lav);
    free(lst);
    free(lim);
    free(lrt);

    char *cab = tu_read_in(d1, "gracethd/t_cable.csv", NULL);
    ck_assert_ptr_nonnull(strstr(cab, "cb_code;cb_etiquet;cb_nd1;cb_nd2;"));
    int rows = 0;
    for (char *s = cab; (s = strchr(s, '\n')); s++)
        rows++;
    ck_assert_int_eq(rows, 8); /* header + 7 cables */
    ck_assert_ptr_nonnull(strstr(cab, ";OPT;C;DI;RF000000000002;24;17;100.00;route 1\n"));
    free(cab);
    /* Foreign keys: cables end on t_noeud nodes, every cable line names a
     * t_cable, PBOs sit on t_ptech points, points and the NRO on nodes. */
    {
        char *cabs = tu_read_in(d1, "gracethd/t_cable.csv", NULL);
        char *pts = tu_read_in(d1, "gracethd/t_ptech.csv", NULL);
        char *ebps = tu_read_in(d1, "gracethd/t_ebp.csv", NULL);
        char *sts = tu_read_in(d1, "gracethd/t_sitetech.csv", NULL);
        ck_assert(cabs && pts && ebps && sts);
        /* Field k (0-based) of every data row of a ';' CSV must be in `in`. */
        struct {
            const char *csv;
            int field;
            const char *in;
        } fk[] = {{cabs, 2, noeuds_dbf}, {cabs, 3, noeuds_dbf}, {pts, 2, noeuds_dbf},
                  {ebps, 2, pts},        {sts, 1, noeuds_dbf}};
        for (size_t k = 0; k < sizeof fk / sizeof fk[0]; k++) {
            const char *line = strchr(fk[k].csv, '\n') + 1;
            int rows_seen = 0;
            while (*line) {
                const char *fs = line;
                for (int j = 0; j < fk[k].field; j++)
                    fs = strchr(fs, ';') + 1;
                char code_[32];
                size_t n = strcspn(fs, ";\n");
                ck_assert_int_eq(n, 14);
                memcpy(code_, fs, n);
                code_[n] = '\0';
                ck_assert_msg(strstr(fk[k].in, code_) != NULL, "%s not found", code_);
                rows_seen++;
                line = strchr(line, '\n') + 1;
            }
            ck_assert_int_gt(rows_seen, 0);
        }
        snprintf(path, sizeof path, "%s/gracethd/t_cableline.shp", d1);
        GDALDatasetH dl = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
        OGRLayerH ll = GDALDatasetGetLayer(dl, 0);
        ck_assert_int_eq(OGR_L_GetFeatureCount(ll, TRUE), 7);
        OGRFeatureH fl;
        while ((fl = OGR_L_GetNextFeature(ll))) {
            ck_assert_ptr_nonnull(strstr(cabs, OGR_F_GetFieldAsString(fl, 1)));
            OGR_F_Destroy(fl);
        }
        GDALClose(dl);
        free(cabs);
        free(pts);
        free(ebps);
        free(sts);
    }
    char *ebp = tu_read_in(d1, "gracethd/t_ebp.csv", NULL);
    ck_assert_ptr_nonnull(strstr(ebp, "BP000000000001;BP000000000001;PT000000000001;"));
    ck_assert_ptr_nonnull(strstr(ebp, ";AVP;OK;C;PBO;building 0\n"));
    ck_assert_ptr_nonnull(strstr(ebp, ";PBO;"));
    free(ebp);
    char *st = tu_read_in(d1, "gracethd/t_sitetech.csv", NULL);
    ck_assert_ptr_nonnull(strstr(st, "ST000000000001;ND000000000001;NRO;"));
    free(st);
    free(noeuds_dbf);
    char *bpl = tu_read_in(d1, "gracethd/l_bp_type_log.csv", NULL);
    ck_assert_ptr_nonnull(strstr(bpl, "\nPBO;"));
    free(bpl);
    snprintf(path, sizeof path, "%s/gracethd/t_adresse.shp", d1);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    l = GDALDatasetGetLayer(ds, 0);
    ck_assert_int_eq(OGR_L_GetFeatureCount(l, TRUE), 3);
    ft = find_feature(l, "ad_code", "AD000000000001");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(l, "ad_nblhab")), 10);
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(l, "ad_batcode")), ""); /* not whitelisted */
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(l, "ad_itypeim")), "I"); /* 10 dwellings */
    OGR_F_Destroy(ft);
    GDALClose(ds);

    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(d1);
    tu_rmtree(d2);
    free(d1);
    free(d2);
}
END_TEST

START_TEST(postgis_roundtrip)
{
    const char *pg = getenv("FP_TEST_PG");
    if (!pg || !*pg) {
        const char *skip = getenv("FP_SKIP_PG");
        ck_assert_msg(skip && !strcmp(skip, "1"),
                      "FP_TEST_PG is not set: run scripts/postgis.sh (scripts/test.sh does) to "
                      "get a PostGIS database, or set FP_SKIP_PG=1 to skip this test on purpose");
        return;
    }
    fx f;
    fp_export_opts o;
    fp_plan *p = mkplan(&f, &o, FP_EXPORT_POSTGIS);
    o.pg_conn = pg;
    o.pg_prefix = "fptest_";
    fp_error e;
    fp_error_clear(&e);
    char *dir = tu_tmpdir();
    /* Twice: the second run replaces the tables. */
    for (int round = 0; round < 2; round++)
        ck_assert_msg(fp_export_write(dir, p, &o, NULL, &e) == 0, "%s", e.msg);
    GDALDatasetH ds = GDALOpenEx(pg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    OGRLayerH lb = GDALDatasetGetLayerByName(ds, "fptest_buildings");
    ck_assert_ptr_nonnull(lb);
    ck_assert_int_eq(OGR_L_GetFeatureCount(lb, TRUE), 7);
    OGRFeatureH ft = find_feature(lb, "building", "1");
    ck_assert_str_eq(OGR_F_GetFieldAsString(ft, field_idx(lb, "status")), "connected");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lb, "dwellings")), 3);
    OGR_F_Destroy(ft);
    OGRLayerH lr = GDALDatasetGetLayerByName(ds, "fptest_routes");
    ck_assert_int_eq(OGR_L_GetFeatureCount(lr, TRUE), 7);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lr);
    ck_assert_ptr_nonnull(srs);
    ck_assert_str_eq(OSRGetAuthorityCode(srs, NULL), "2154");
    ft = find_feature(lr, "edge", "1");
    ck_assert_int_eq(OGR_F_GetFieldAsInteger(ft, field_idx(lr, "fibres")), 17);
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    ck_assert_double_eq_tol(OGR_G_Length(g), 100, 1e-6);
    OGR_F_Destroy(ft);
    OGRLayerH lk = GDALDatasetGetLayerByName(ds, "fptest_blocks");
    ck_assert_int_eq(OGR_L_GetFeatureCount(lk, TRUE), 3);
    ft = find_feature(lk, "block", "B3");
    ck_assert(OGR_F_IsFieldNull(ft, field_idx(lk, "dwellings")));
    OGR_F_Destroy(ft);
    ck_assert_int_eq(OGR_L_GetFeatureCount(GDALDatasetGetLayerByName(ds, "fptest_nodes"), TRUE), 8);
    GDALClose(ds);
    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(postgis_bad_connection)
{
    fx f;
    fp_export_opts o;
    fp_plan *p = mkplan(&f, &o, FP_EXPORT_POSTGIS);
    o.pg_conn = "host=x"; /* not a PG: string */
    fp_error e;
    char *dir = tu_tmpdir();
    ck_assert_int_eq(fp_export_write(dir, p, &o, NULL, &e), FP_ESCENARIO);
    /* A server that is not there: an output error (exit status 3). */
    o.pg_conn = "PG:host=/nonexistent/fp port=1 dbname=none user=none connect_timeout=2";
    ck_assert_int_eq(fp_export_write(dir, p, &o, NULL, &e), FP_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "PostGIS"));
    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    GDALAllRegister();
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("export");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, gpkg_layers_styles_privacy);
    tcase_add_test(tc, whitelist_rules);
    tcase_add_test(tc, geojson_and_gracethd_deterministic);
    tcase_add_test(tc, gpkg_deterministic);
    tcase_add_test(tc, postgis_roundtrip);
    tcase_add_test(tc, postgis_bad_connection);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
