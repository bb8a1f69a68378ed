/* test_load: loading from every supported format, reprojection, dwelling
 * counts and estimates, OSM tags, every bad input, and Olemps' totals.
 *
 * Fixtures are made by the test in a temporary folder: GeoJSON and OSM XML
 * written as text, the other formats translated from the GeoJSON with
 * GDALVectorTranslate (see tests/data/README.md). */
#include "dataset.h"
#include "load.h"
#include "scenario.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *tmp;

/* Six buildings in Lambert-93 with exact areas (see expectations below):
 *  1  10x10 m, no flats, 1 level, house      -> estimated 1 (100 m2 < 350)
 *  2  20x20 m, no flats, 2 levels, apartments -> estimated round(800*.75/65) = 9
 *  3  10x10 m, flats 4, house                -> given 4
 *  4  30x10 m, no flats, shop                -> non-residential 0
 *  5  bow-tie (self-intersecting), house     -> repaired, 2 triangles of 25 m2,
 *                                               estimated 1
 *  6  10x10 m 3-D, flats 2, house            -> given 2, flattened */
static const char *buildings_geojson =
    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
    "{\"name\":\"urn:ogc:def:crs:EPSG::2154\"}},\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b1\",\"flats\":null,\"levels\":1,"
    "\"usage\":\"house\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660000,6360000],[660010,6360000],[660010,6360010],[660000,6360010],[660000,6360000]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b2\",\"flats\":null,\"levels\":2,"
    "\"usage\":\"apartments\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660100,6360000],[660120,6360000],[660120,6360020],[660100,6360020],[660100,6360000]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b3\",\"flats\":4,\"levels\":null,"
    "\"usage\":\"house\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660200,6360000],[660210,6360000],[660210,6360010],[660200,6360010],[660200,6360000]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b4\",\"flats\":null,\"levels\":1,"
    "\"usage\":\"shop\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660300,6360000],[660330,6360000],[660330,6360010],[660300,6360010],[660300,6360000]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b5\",\"flats\":null,\"levels\":null,"
    "\"usage\":\"house\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660400,6360000],[660410,6360010],[660410,6360000],[660400,6360010],[660400,6360000]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"ref\":\"b6\",\"flats\":2,\"levels\":null,"
    "\"usage\":\"house\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
    "[[[660500,6360000,100],[660510,6360000,100],[660510,6360010,101],[660500,6360010,101],"
    "[660500,6360000,100]]]}}\n"
    "]}\n";

/* A 100 m residential street and a 50 m footway. */
static const char *streets_geojson =
    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
    "{\"name\":\"urn:ogc:def:crs:EPSG::2154\"}},\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"cls\":\"residential\"},\"geometry\":"
    "{\"type\":\"LineString\",\"coordinates\":[[660000,6359990],[660100,6359990]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"cls\":\"footway\"},\"geometry\":"
    "{\"type\":\"LineString\",\"coordinates\":[[660100,6359990],[660100,6359940]]}}\n"
    "]}\n";

/* A point in WGS84 (RFC 7946 GeoJSON has no crs member). */
static const char *site_geojson =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"CO\"},\"geometry\":"
    "{\"type\":\"Point\",\"coordinates\":[2.5,44.35]}}]}\n";

static const char *points_geojson =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
    "{\"type\":\"Point\",\"coordinates\":[2.5,44.35]}}]}\n";

/* Two OSM buildings (one with levels and flats tags, one building=yes with
 * levels only), a residential street, a footway and a stream. */
static const char *osm_xml =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<osm version='0.6' generator='fibreplan test'>\n"
    " <node id='1' lat='44.3500' lon='2.5000' version='1'/>\n"
    " <node id='2' lat='44.3500' lon='2.5003' version='1'/>\n"
    " <node id='3' lat='44.3502' lon='2.5003' version='1'/>\n"
    " <node id='4' lat='44.3502' lon='2.5000' version='1'/>\n"
    " <node id='5' lat='44.3510' lon='2.5000' version='1'/>\n"
    " <node id='6' lat='44.3510' lon='2.5002' version='1'/>\n"
    " <node id='7' lat='44.3512' lon='2.5002' version='1'/>\n"
    " <node id='8' lat='44.3512' lon='2.5000' version='1'/>\n"
    " <node id='9' lat='44.3490' lon='2.4990' version='1'/>\n"
    " <node id='10' lat='44.3490' lon='2.5020' version='1'/>\n"
    " <node id='11' lat='44.3480' lon='2.5020' version='1'/>\n"
    " <node id='12' lat='44.3470' lon='2.5030' version='1'/>\n"
    " <way id='100' version='1'><nd ref='1'/><nd ref='2'/><nd ref='3'/><nd ref='4'/>"
    "<nd ref='1'/><tag k='building' v='apartments'/><tag k='building:levels' v='3'/>"
    "<tag k='building:flats' v='12'/></way>\n"
    " <way id='101' version='1'><nd ref='5'/><nd ref='6'/><nd ref='7'/><nd ref='8'/>"
    "<nd ref='5'/><tag k='building' v='yes'/><tag k='building:levels' v='2'/></way>\n"
    " <way id='200' version='1'><nd ref='9'/><nd ref='10'/>"
    "<tag k='highway' v='residential'/><tag k='name' v='Rue A'/></way>\n"
    " <way id='201' version='1'><nd ref='10'/><nd ref='11'/><tag k='highway' v='footway'/></way>\n"
    " <way id='202' version='1'><nd ref='11'/><nd ref='12'/><tag k='waterway' v='stream'/></way>\n"
    "</osm>\n";

static void path_in_tmp(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmp, name);
}

/* ogr2ogr through the library: tmp/src -> tmp/dst in the given driver. */
static void translate(const char *src_name, const char *dst_name, const char *driver,
                      const char *extra)
{
    char src[600], dst[600];
    path_in_tmp(src, sizeof src, src_name);
    path_in_tmp(dst, sizeof dst, dst_name);
    char *argv[8] = {"-f", (char *)driver, NULL, NULL, NULL, NULL, NULL, NULL};
    if (extra) {
        /* SpatiaLite: one geometry type a column, so make every footprint 3-D */
        argv[2] = "-dsco";
        argv[3] = (char *)extra;
        argv[4] = "-dim";
        argv[5] = "XYZ";
    }
    GDALDatasetH in = GDALOpenEx(src, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(in);
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
    ck_assert_ptr_nonnull(o);
    int usage = 0;
    GDALDatasetH out = GDALVectorTranslate(dst, NULL, 1, &in, o, &usage);
    ck_assert_msg(out != NULL, "translate %s -> %s failed", src, dst);
    GDALClose(out);
    GDALVectorTranslateOptionsFree(o);
    GDALClose(in);
}

static void setup(void)
{
    GDALAllRegister();
    tmp = tu_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    char p[600], q[600];
    path_in_tmp(p, sizeof p, "b.geojson");
    ck_assert_int_eq(tu_write_file(p, buildings_geojson), 0);
    path_in_tmp(q, sizeof q, "s.geojson");
    ck_assert_int_eq(tu_write_file(q, streets_geojson), 0);
    path_in_tmp(q, sizeof q, "site.geojson");
    ck_assert_int_eq(tu_write_file(q, site_geojson), 0);
    path_in_tmp(q, sizeof q, "points.geojson");
    ck_assert_int_eq(tu_write_file(q, points_geojson), 0);
    path_in_tmp(q, sizeof q, "town.osm");
    ck_assert_int_eq(tu_write_file(q, osm_xml), 0);
}

static void teardown(void)
{
    tu_rmtree(tmp);
    free(tmp);
    tmp = NULL;
}

/* Parses an INI text as if it were <tmp>/s.ini and loads it. */
static fp_dataset *load_ini(const char *ini, fp_error *e)
{
    char name[600];
    path_in_tmp(name, sizeof name, "s.ini");
    fp_scenario *sc = fp_scenario_parse(ini, name, e);
    if (!sc)
        return NULL;
    fp_load_opts o;
    fp_dataset *ds = NULL;
    if (fp_load_opts_from_scenario(sc, &o, e) == 0 && fp_scenario_check_unused(sc, e) == 0)
        ds = fp_load(&o, NULL, e);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return ds;
}

/* load_ini that must succeed. */
static fp_dataset *load_ok(const char *ini)
{
    fp_error e;
    fp_error_clear(&e);
    fp_dataset *ds = load_ini(ini, &e);
    ck_assert_msg(ds != NULL, "%s", e.msg);
    return ds;
}

static const fp_building *by_id(const fp_dataset *ds, const char *id)
{
    for (size_t i = 0; i < ds->n_buildings; i++)
        if (strcmp(ds->buildings[i].id, id) == 0)
            return &ds->buildings[i];
    ck_abort_msg("building %s not loaded", id);
    return NULL;
}

/* The expectations of buildings_geojson, whatever format carried it. */
static void check_fixture(const fp_dataset *ds, const char *fmt)
{
    ck_assert_msg(ds->n_buildings == 6, "%s: %zu buildings", fmt, ds->n_buildings);
    ck_assert_int_eq(ds->epsg, 2154);
    ck_assert_int_eq(ds->st_buildings.read, 6);
    ck_assert_int_eq(ds->st_buildings.repaired, 1);
    ck_assert_int_eq(ds->st_buildings.rejected, 0);
    const fp_building *b = by_id(ds, "b1");
    ck_assert_double_eq_tol(b->area, 100, 1e-6);
    ck_assert_int_eq(b->dwellings, 1);
    ck_assert_int_eq(b->dw_source, FP_DW_ESTIMATED);
    b = by_id(ds, "b2");
    ck_assert_double_eq_tol(b->area, 400, 1e-6);
    ck_assert_double_eq(b->levels, 2);
    ck_assert_int_eq(b->dwellings, 9);
    ck_assert_int_eq(b->dw_source, FP_DW_ESTIMATED);
    b = by_id(ds, "b3");
    ck_assert_int_eq(b->dwellings, 4);
    ck_assert_int_eq(b->dw_source, FP_DW_GIVEN);
    b = by_id(ds, "b4");
    ck_assert_int_eq(b->dwellings, 0);
    ck_assert_int_eq(b->dw_source, FP_DW_NONRES);
    ck_assert_str_eq(b->usage, "shop");
    b = by_id(ds, "b5");
    ck_assert_int_eq(b->repaired, 1);
    ck_assert_double_eq_tol(b->area, 50, 1e-6);
    ck_assert_int_eq(b->dwellings, 1);
    b = by_id(ds, "b6");
    ck_assert_int_eq(b->dwellings, 2);
    ck_assert_int_eq(GEOSHasZ_r(ds->geos, b->geom), 0);
    int total = 0;
    for (size_t i = 0; i < ds->n_buildings; i++)
        total += ds->buildings[i].dwellings;
    ck_assert_int_eq(total, 17);
    /* streets: the footway is left out by default */
    ck_assert_int_eq(ds->n_streets, 1);
    ck_assert_double_eq_tol(ds->streets[0].length, 100, 1e-6);
    ck_assert_str_eq(ds->streets[0].cls, "residential");
    ck_assert_int_eq(ds->st_streets.filtered, 1);
}

#define FIXTURE_INI_FMT                                                                \
    "[buildings]\nsource = %s\n%s"                                                     \
    "id_field = ref\ndwellings_field = flats\nlevels_field = levels\n"                 \
    "usage_field = usage\nresidential_values = house, apartments\n"                    \
    "[streets]\nsource = %s\n%sclass_field = cls\n"

static void load_format(const char *bsrc, const char *blayer, const char *ssrc,
                        const char *slayer, const char *fmt)
{
    char ini[2048], bl[128] = "", sl[128] = "";
    if (blayer)
        snprintf(bl, sizeof bl, "layer = %s\n", blayer);
    if (slayer)
        snprintf(sl, sizeof sl, "layer = %s\n", slayer);
    snprintf(ini, sizeof ini, FIXTURE_INI_FMT, bsrc, bl, ssrc, sl);
    fp_error e;
    fp_error_clear(&e);
    fp_dataset *ds = load_ini(ini, &e);
    ck_assert_msg(ds != NULL, "%s: %s", fmt, e.msg);
    check_fixture(ds, fmt);
    ck_assert_str_eq(ds->st_buildings.crs, "EPSG:2154");
    fp_dataset_free(ds);
}

START_TEST(formats_geojson)
{
    load_format("b.geojson", NULL, "s.geojson", NULL, "GeoJSON");
}
END_TEST

START_TEST(formats_shapefile)
{
    translate("b.geojson", "b.shp", "ESRI Shapefile", NULL);
    translate("s.geojson", "s.shp", "ESRI Shapefile", NULL);
    load_format("b.shp", NULL, "s.shp", NULL, "Shapefile");
}
END_TEST

START_TEST(formats_geopackage)
{
    translate("b.geojson", "t.gpkg", "GPKG", NULL);
    translate("s.geojson", "u.gpkg", "GPKG", NULL);
    load_format("t.gpkg", "b", "u.gpkg", "s", "GeoPackage");
}
END_TEST

START_TEST(formats_spatialite)
{
    translate("b.geojson", "t.sqlite", "SQLite", "SPATIALITE=YES");
    translate("s.geojson", "u.sqlite", "SQLite", "SPATIALITE=YES");
    load_format("t.sqlite", "b", "u.sqlite", "s", "SpatiaLite");
}
END_TEST

START_TEST(osm_tags)
{
    fp_error e;
    fp_error_clear(&e);
    fp_dataset *ds = load_ini("[buildings]\nsource = town.osm\nid_field = osm_way_id\n"
                              "dwellings_field = building:flats\n"
                              "levels_field = building:levels\nusage_field = building\n"
                              "residential_values = yes, apartments, house\n"
                              "[streets]\nsource = town.osm\n",
                              &e);
    ck_assert_msg(ds != NULL, "%s", e.msg);
    ck_assert_str_eq(ds->st_buildings.driver, "OSM");
    ck_assert_str_eq(ds->st_buildings.layer, "multipolygons");
    ck_assert_int_eq(ds->n_buildings, 2);
    const fp_building *a = by_id(ds, "100"), *b = by_id(ds, "101");
    ck_assert_int_eq(a->dwellings, 12);
    ck_assert_int_eq(a->dw_source, FP_DW_GIVEN);
    ck_assert_double_eq(a->levels, 3);
    ck_assert_str_eq(a->usage, "apartments");
    ck_assert_int_eq(b->dw_source, FP_DW_ESTIMATED);
    ck_assert_double_eq(b->levels, 2);
    fp_dwelling_rule r = {350, 1, 0.75, 65, 1, 3, 0};
    ck_assert_int_eq(b->dwellings, fp_load_estimate_dwellings(&r, b->area, 2));
    /* 0.0002 x 0.0002 degrees at 44.35 N: about 15.9 m x 22.2 m */
    ck_assert(b->area > 300 && b->area < 400);
    /* highway ways only (not the stream); the footway is filtered out */
    ck_assert_int_eq(ds->st_streets.read, 2);
    ck_assert_int_eq(ds->st_streets.filtered, 1);
    ck_assert_int_eq(ds->n_streets, 1);
    ck_assert_str_eq(ds->streets[0].cls, "residential");
    ck_assert_int_eq(ds->epsg, 2154);
    fp_dataset_free(ds);

    ds = load_ok("[buildings]\nsource = town.osm\n[streets]\nsource = town.osm\n"
                 "include_footways = yes\n");
    ck_assert_int_eq(ds->n_streets, 2);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(dwelling_rule)
{
    fp_dwelling_rule r = {350, 1, 0.75, 65, 1, 3, 0};
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 100, 1), 1);
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 349, 1), 1);
    /* 350 m2 of floor: round(350 * 0.75 / 65) = round(4.04) = 4 */
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 175, 2), 4);
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 1000, 5), 58); /* 5000*.75/65 = 57.7 */
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 0, 5), 0);
    r.min_area = 30;
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 29, 1), 0);
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 31, 1), 1);
    /* levels unknown (0): the default levels apply */
    r.default_levels = 4;
    ck_assert_int_eq(fp_load_estimate_dwellings(&r, 100, 0), 5); /* 400*.75/65 = 4.6 */
}
END_TEST

START_TEST(height_gives_levels)
{
    char p[600];
    path_in_tmp(p, sizeof p, "h.geojson");
    ck_assert_int_eq(tu_write_file(p,
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::2154\"}},\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"h\":12.2},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[660000,6360000],[660020,6360000],[660020,6360010],[660000,6360010],"
        "[660000,6360000]]]}}]}\n"), 0);
    fp_dataset *ds = load_ok("[buildings]\nsource = h.geojson\nheight_field = h\n"
                             "[dwellings]\nefficiency = 0.5\narea_per_dwelling = 50\n");
    /* 12.2 m / 3 m = 4 levels; 200 m2 x 4 = 800 m2 x 0.5 / 50 = 8 */
    ck_assert_double_eq(ds->buildings[0].levels, 4);
    ck_assert_int_eq(ds->buildings[0].dwellings, 8);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(reprojection)
{
    /* WGS84 (lon 2.5, lat 44.35) in Lambert-93, computed once with PROJ 9:
     *   echo "44.35 2.5" | cs2cs -f %.4f EPSG:4326 EPSG:2154
     *   -> 660143.3983 6361344.9478 */
    const double X = 660143.3983, Y = 6361344.9478;
    fp_dataset *ds = load_ok("[scenario]\ncrs = EPSG:2154\n[buildings]\nsource = b.geojson\n"
                             "[sites]\nsource = site.geojson\nid_field = name\n");
    ck_assert_int_eq(ds->n_sites, 1);
    ck_assert_str_eq(ds->sites[0].id, "CO");
    ck_assert_double_eq_tol(ds->sites[0].x, X, 0.01);
    ck_assert_double_eq_tol(ds->sites[0].y, Y, 0.01);
    ck_assert_str_eq(ds->st_sites.crs, "EPSG:4326");
    fp_dataset_free(ds);
    /* the same point given by coordinates in the scenario */
    ds = load_ok("[buildings]\nsource = b.geojson\n"
                 "[sites]\nx = 2.5\ny = 44.35\ncrs = EPSG:4326\nid = NRO\n");
    ck_assert_str_eq(ds->sites[0].id, "NRO");
    ck_assert_int_eq(ds->sites[0].fid, -1);
    ck_assert_double_eq_tol(ds->sites[0].x, X, 0.01);
    ck_assert_double_eq_tol(ds->sites[0].y, Y, 0.01);
    fp_dataset_free(ds);
    /* an explicit UTM working CRS: echo "44.35 2.5" | cs2cs EPSG:4326 EPSG:32631
     * -> 460149.3375 4910869.3169 */
    ds = load_ok("[scenario]\ncrs = EPSG:32631\n[buildings]\nsource = b.geojson\n"
                 "[sites]\nx = 2.5\ny = 44.35\ncrs = EPSG:4326\n");
    ck_assert_int_eq(ds->epsg, 32631);
    ck_assert_double_eq_tol(ds->sites[0].x, 460149.3375, 0.01);
    ck_assert_double_eq_tol(ds->sites[0].y, 4910869.3169, 0.01);
    fp_dataset_free(ds);
}
END_TEST

/* Writes a WGS84 GeoJSON square centred on (lon, lat) and returns the
 * automatic working CRS. */
static int auto_crs_at(double lon, double lat)
{
    char p[600], text[1024];
    path_in_tmp(p, sizeof p, "w.geojson");
    double d = 0.0001;
    snprintf(text, sizeof text,
             "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
             "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],"
             "[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}}]}\n",
             lon - d, lat - d, lon + d, lat - d, lon + d, lat + d, lon - d, lat + d, lon - d,
             lat - d);
    ck_assert_int_eq(tu_write_file(p, text), 0);
    fp_dataset *ds = load_ok("[buildings]\nsource = w.geojson\n");
    int epsg = ds->epsg;
    ck_assert(ds->buildings[0].area > 200 && ds->buildings[0].area < 500);
    fp_dataset_free(ds);
    return epsg;
}

START_TEST(automatic_crs)
{
    ck_assert_int_eq(auto_crs_at(2.5, 44.35), 2154);     /* Aveyron */
    ck_assert_int_eq(auto_crs_at(7.42, 43.74), 2154);    /* Monaco, inside the box */
    ck_assert_int_eq(auto_crs_at(13.4, 52.5), 32633);    /* Berlin: UTM 33N */
    ck_assert_int_eq(auto_crs_at(151.2, -33.9), 32756);  /* Sydney: UTM 56S */
    ck_assert_int_eq(auto_crs_at(-61.0, 14.6), 32620);   /* Martinique: UTM 20N */
}
END_TEST

START_TEST(clip_and_classes)
{
    fp_error e;
    fp_error_clear(&e);
    /* buildings span y 6360000..6360010; with a 15 m margin the street at
     * y = 6359990 stays whole and the footway going south is cut to 5 m */
    fp_dataset *ds = load_ok("[buildings]\nsource = b.geojson\n[streets]\nsource = s.geojson\n"
                             "class_field = cls\ninclude_footways = on\nclip_margin = 15\n");
    ck_assert_int_eq(ds->n_streets, 2);
    double len = ds->streets[0].length + ds->streets[1].length;
    ck_assert_double_eq_tol(len, 105, 1e-6);
    ck_assert_double_eq_tol(ds->miny, 6359985, 1e-6);
    fp_dataset_free(ds);
    /* excluded classes */
    ds = load_ok("[buildings]\nsource = b.geojson\n[streets]\nsource = s.geojson\n"
                 "class_field = cls\ninclude_footways = on\nexclude_classes = Residential\n");
    ck_assert_int_eq(ds->n_streets, 1);
    ck_assert_str_eq(ds->streets[0].cls, "footway");
    fp_dataset_free(ds);
    /* a 5 m margin leaves no street: an error, not an empty network */
    ck_assert_ptr_null(load_ini("[buildings]\nsource = b.geojson\n[streets]\n"
                                "source = s.geojson\nclip_margin = 5\n", &e));
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "no usable street line"));
}
END_TEST

START_TEST(infra_kinds)
{
    char p[600];
    path_in_tmp(p, sizeof p, "infra.geojson");
    ck_assert_int_eq(tu_write_file(p,
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::2154\"}},\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"k\":\"fourreau\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[660000,6360000],[660050,6360000]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"k\":\"aérien\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[660050,6360000],[660090,6360000]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"k\":null},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[660090,6360000],[660095,6360000]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"k\":\"poteau\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[660050,6360001]}},"
        "{\"type\":\"Feature\",\"properties\":{\"k\":\"x\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}\n"), 0);
    fp_dataset *ds = load_ok("[buildings]\nsource = b.geojson\n[infra]\nsource = infra.geojson\n"
                             "kind_field = k\ndefault_kind = aerial\n");
    ck_assert_int_eq(ds->n_infra, 4);
    ck_assert_int_eq(ds->infra[0].kind, FP_INFRA_DUCT);
    ck_assert_int_eq(ds->infra[1].kind, FP_INFRA_AERIAL);
    ck_assert_int_eq(ds->infra[2].kind, FP_INFRA_AERIAL); /* default_kind */
    ck_assert_int_eq(ds->infra[3].kind, FP_INFRA_POLE);
    ck_assert_int_eq(ds->st_infra.rejected, 1);
    ck_assert_int_eq(ds->st_infra.rej_geomtype, 1);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(olemps_calibration)
{
    /* The data README's independent figure: on Olemps' 1,112 dwelling
     * buildings, the default rule gives 2,049 dwellings. */
    char ini[1024];
    snprintf(ini, sizeof ini, "[buildings]\nsource = %s/data/olemps.gpkg\nlayer = batiment\n"
             "where = NB_LOGTS > 0\nlevels_field = NB_ETAGES\n", FP_SOURCE_DIR);
    fp_dataset *ds = load_ok(ini);
    long total = 0;
    for (size_t i = 0; i < ds->n_buildings; i++) {
        ck_assert_int_eq(ds->buildings[i].dw_source, FP_DW_ESTIMATED);
        total += ds->buildings[i].dwellings;
    }
    ck_assert_int_eq(ds->n_buildings, 1112);
    ck_assert_int_eq(total, 2049);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(olemps_inspect_json)
{
    char args[1024], *out = NULL, *errs = NULL;
    snprintf(args, sizeof args, "--quiet inspect --json '%s/scenarios/olemps.ini'",
             FP_SOURCE_DIR);
    int rc = tu_run_cli(args, &out, &errs);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, errs ? errs : "");
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "buildings")->valueint, 2273);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "dwellings")->valueint, 1429);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "dwelling_buildings")->valueint, 1112);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "dwellings_given")->valueint, 1429);
    ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "crs"), "epsg")->valueint,
                     2154);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "sites")->valueint, 1);
    ck_assert(cJSON_GetObjectItem(j, "street_length_m")->valuedouble > 50000);
    cJSON_Delete(j);
    free(out);
    free(errs);
}
END_TEST

/* ------------------------------------------------------------ bad input */

/* Runs `fibreplan inspect` (and with all, `network` and `run` too: they
 * share the loading but are slower, so once a kind of error) on an INI text
 * written to <tmp>/bad.ini and checks for each exit status 1 and a one-line
 * error containing each of the needles. */
#define expect_cli_error(...) expect_error(0, __VA_ARGS__)
#define expect_all_error(...) expect_error(1, __VA_ARGS__)

static void expect_error(int all, const char *ini, const char *n1, const char *n2,
                         const char *n3)
{
    static const char *const cmds[] = {"inspect", "network", "run"};
    char p[600], args[1400];
    path_in_tmp(p, sizeof p, "bad.ini");
    ck_assert_int_eq(tu_write_file(p, ini), 0);
    for (int c = 0; c < (all ? 3 : 1); c++) {
        char *out = NULL, *errs = NULL;
        snprintf(args, sizeof args, "%s '%s'%s%s%s", cmds[c], p, c == 2 ? " --report-dir '" : "",
                 c == 2 ? tmp : "", c == 2 ? "/r'" : "");
        int rc = tu_run_cli(args, &out, &errs);
        ck_assert_msg(rc == 1, "%s: exit %d (expected 1): %s", args, rc, errs ? errs : "");
        ck_assert_ptr_nonnull(errs);
        const char *line = strstr(errs, "fibreplan: error: ");
        ck_assert_msg(line != NULL, "%s: no error line in: %s", args, errs);
        const char *nl = strchr(line, '\n');
        ck_assert_msg(nl && nl[1] == '\0', "%s: error is not one last line: %s", args, errs);
        const char *needles[] = {n1, n2, n3};
        for (int i = 0; i < 3; i++)
            ck_assert_msg(!needles[i] || strstr(line, needles[i]), "%s: '%s' not in: %s", args,
                          needles[i], line);
        free(out);
        free(errs);
    }
}

START_TEST(bad_missing_file)
{
    expect_all_error("[buildings]\nsource = nothere.gpkg\n", "nothere.gpkg", "not found", NULL);
}
END_TEST

START_TEST(bad_missing_layer)
{
    translate("b.geojson", "t.gpkg", "GPKG", NULL);
    expect_all_error("[buildings]\nsource = t.gpkg\nlayer = batiments\n", "t.gpkg",
                     "layer 'batiments' not found", "(layers: b)");
}
END_TEST

START_TEST(bad_missing_field)
{
    expect_cli_error("[buildings]\nsource = b.geojson\ndwellings_field = NB_LOGTZ\n",
                     "b.geojson", "layer b", "field 'NB_LOGTZ'");
}
END_TEST

/* A count field naming a text column: one error, not a warning a feature. */
START_TEST(bad_mistyped_field)
{
    expect_all_error("[buildings]\nsource = b.geojson\ndwellings_field = ref\n", "b.geojson",
                     "layer b: feature 0: field ref: value 'b1'", "dwelling count");
    expect_cli_error("[buildings]\nsource = b.geojson\nlevels_field = usage\n", "b.geojson",
                     "is not a number of levels, nor is any other", "levels_field in [buildings]");
}
END_TEST

/* GDAL's own warnings name the source they come from. */
START_TEST(gdal_warnings_name_the_source)
{
    char p[600], args[1400], *out = NULL, *errs = NULL;
    path_in_tmp(p, sizeof p, "unclosed.geojson");
    ck_assert_int_eq(tu_write_file(p, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                                      "\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                                      "\"Polygon\",\"coordinates\":[[[660000,6360000],[660010,"
                                      "6360000],[660010,6360010],[660000,6360010]]]}}]}\n"),
                     0);
    path_in_tmp(p, sizeof p, "w.ini");
    ck_assert_int_eq(tu_write_file(p, "[buildings]\nsource = unclosed.geojson\nsource_crs = "
                                      "EPSG:2154\n"),
                     0);
    snprintf(args, sizeof args, "inspect '%s'", p);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 0);
    ck_assert_msg(strstr(errs, "fibreplan: warning: GDAL: ") &&
                      strstr(errs, "/unclosed.geojson: Non closed ring"),
                  "%s", errs);
    free(out);
    free(errs);
}
END_TEST

START_TEST(bad_no_crs)
{
    char b[600];
    translate("b.geojson", "nocrs.shp", "ESRI Shapefile", NULL);
    path_in_tmp(b, sizeof b, "nocrs.prj");
    ck_assert_int_eq(unlink(b), 0);
    expect_cli_error("[buildings]\nsource = nocrs.shp\n", "nocrs.shp", "layer nocrs",
                     "no CRS");
    /* stating the CRS in the scenario makes it load */
    fp_dataset *ds = load_ok("[buildings]\nsource = nocrs.shp\nsource_crs = EPSG:2154\n");
    ck_assert_int_eq(ds->n_buildings, 6);
    ck_assert_int_eq(ds->epsg, 2154);
    fp_dataset_free(ds);
}
END_TEST

/* A GeoPackage layer written with the OGR API: a square, then (if bad) one
 * with a NaN or infinite coordinate. nfeat = 0 makes an empty layer. */
static void write_gpkg(const char *name, int nfeat, double bad)
{
    char p[600];
    path_in_tmp(p, sizeof p, name);
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = GDALCreate(drv, p, 0, 0, 0, GDT_Unknown, NULL);
    ck_assert_ptr_nonnull(ds);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 2154);
    OGRLayerH l = GDALDatasetCreateLayer(ds, "bati", srs, wkbPolygon, NULL);
    ck_assert_ptr_nonnull(l);
    for (int i = 0; i < nfeat; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        double x0 = 660000 + 100 * i, y0 = 6360000;
        OGR_G_AddPoint_2D(ring, x0, y0);
        OGR_G_AddPoint_2D(ring, i == nfeat - 1 && !isnan(bad) ? bad : x0 + 10, y0);
        OGR_G_AddPoint_2D(ring, i == nfeat - 1 && isnan(bad) ? bad : x0 + 10, y0 + 10);
        OGR_G_AddPoint_2D(ring, x0, y0 + 10);
        OGR_G_AddPoint_2D(ring, x0, y0);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(poly, ring);
        OGR_F_SetGeometryDirectly(f, poly);
        ck_assert_int_eq(OGR_L_CreateFeature(l, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

START_TEST(bad_nan_coordinates)
{
    write_gpkg("nan.gpkg", 3, NAN);
    expect_all_error("[buildings]\nsource = nan.gpkg\n", "nan.gpkg", "layer bati: feature 3",
                     "NaN or infinite");
    write_gpkg("inf.gpkg", 2, INFINITY);
    expect_cli_error("[buildings]\nsource = inf.gpkg\n", "inf.gpkg", "layer bati: feature 2",
                     "NaN or infinite");
}
END_TEST

START_TEST(bad_empty_layer)
{
    write_gpkg("empty.gpkg", 0, 0);
    expect_all_error("[buildings]\nsource = empty.gpkg\n", "empty.gpkg", "layer bati",
                     "no features");
    /* a where filter that matches nothing says so */
    expect_cli_error("[buildings]\nsource = b.geojson\nwhere = usage = 'castle'\n",
                     "b.geojson", "no features match", NULL);
}
END_TEST

START_TEST(bad_not_polygons)
{
    expect_all_error("[buildings]\nsource = points.geojson\n", "points.geojson",
                     "buildings must be polygons", "Point");
    /* streets that are polygons */
    expect_cli_error("[buildings]\nsource = b.geojson\n[streets]\nsource = b.geojson\n",
                     "b.geojson", "streets must be lines", NULL);
}
END_TEST

START_TEST(bad_corrupt_file)
{
    char p[600];
    path_in_tmp(p, sizeof p, "corrupt.gpkg");
    ck_assert_int_eq(tu_write_file(p, "SQLite format 3\nthis is not a database at all"), 0);
    expect_cli_error("[buildings]\nsource = corrupt.gpkg\n", "corrupt.gpkg", "cannot open",
                     NULL);
    path_in_tmp(p, sizeof p, "cut.geojson");
    ck_assert_int_eq(tu_write_file(p, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"),
                     0);
    expect_cli_error("[buildings]\nsource = cut.geojson\n", "cut.geojson", NULL, NULL);
}
END_TEST

START_TEST(bad_connection)
{
    /* a PostGIS connection string is taken as given (not as a path) and its
     * password never appears in messages */
    expect_cli_error("[buildings]\nsource = PG:password=s3cret dbname=none host=127.0.0.1 "
                     "port=1 connect_timeout=2\nlayer = bati\n",
                     "PG:password=*** dbname=none", "cannot open", NULL);
}
END_TEST

START_TEST(bad_scenario)
{
    expect_all_error("[buildings]\nsource = b.geojson\n\n[streets]\nsource = s.geojson\n"
                     "colour = red\n", "bad.ini:6:", "unknown key 'colour' in [streets]", NULL);
    expect_cli_error("[buildings]\nsource = b.geojson\n[dwellings]\nefficiency = 2\n",
                     "bad.ini:4:", "efficiency = '2'", "between");
    expect_cli_error("[scenario]\ncrs = EPSG:999999\n[buildings]\nsource = b.geojson\n",
                     "bad.ini:2:", "crs", NULL);
    expect_cli_error("[buildings]\nsource = b.geojson\n[sites]\nx = 1\ny = 2\n",
                     "bad.ini:4:", "crs", NULL);
    expect_cli_error("[streets]\nsource = s.geojson\n", "no [buildings] section", NULL, NULL);
    /* a geographic working CRS is refused */
    expect_cli_error("[scenario]\ncrs = EPSG:4326\n[buildings]\nsource = b.geojson\n",
                     "not a projected CRS in metres", NULL, NULL);
}
END_TEST

START_TEST(cli_usage)
{
    char *out = NULL, *errs = NULL;
    ck_assert_int_eq(tu_run_cli("inspect --help", &out, &errs), 0);
    ck_assert_ptr_nonnull(strstr(out, "--json"));
    free(out);
    free(errs);
    ck_assert_int_eq(tu_run_cli("inspect", NULL, NULL), 2);
    ck_assert_int_eq(tu_run_cli("inspect --bogus x.ini", NULL, NULL), 2);
    ck_assert_int_eq(tu_run_cli("inspect /nonexistent/s.ini", NULL, NULL), 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("load");
    TCase *t = tcase_create("formats");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, formats_geojson);
    tcase_add_test(t, formats_shapefile);
    tcase_add_test(t, formats_geopackage);
    tcase_add_test(t, formats_spatialite);
    tcase_add_test(t, osm_tags);
    tcase_add_test(t, dwelling_rule);
    tcase_add_test(t, height_gives_levels);
    tcase_add_test(t, reprojection);
    tcase_add_test(t, automatic_crs);
    tcase_add_test(t, clip_and_classes);
    tcase_add_test(t, infra_kinds);
    tcase_add_test(t, olemps_calibration);
    tcase_add_test(t, olemps_inspect_json);
    suite_add_tcase(s, t);
    TCase *b = tcase_create("bad input");
    tcase_add_checked_fixture(b, setup, teardown);
    tcase_set_timeout(b, 120);
    tcase_add_test(b, bad_missing_file);
    tcase_add_test(b, bad_missing_layer);
    tcase_add_test(b, bad_missing_field);
    tcase_add_test(b, bad_mistyped_field);
    tcase_add_test(b, gdal_warnings_name_the_source);
    tcase_add_test(b, bad_no_crs);
    tcase_add_test(b, bad_nan_coordinates);
    tcase_add_test(b, bad_empty_layer);
    tcase_add_test(b, bad_not_polygons);
    tcase_add_test(b, bad_corrupt_file);
    tcase_add_test(b, bad_connection);
    tcase_add_test(b, bad_scenario);
    tcase_add_test(b, cli_usage);
    suite_add_tcase(s, b);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
