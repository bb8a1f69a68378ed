/* test_network: the network model on small hand-made datasets (WKT):
 * noding, snapping, drops, duct reuse, unreachable buildings, blocks,
 * repairs of bad streets, and the compact Steiner graph. */
#include "fsutil.h"
#include "network.h"
#include "scenario.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <gdal.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- in-memory datasets ---- */

static GEOSGeometry *wkt(fp_dataset *ds, const char *text)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ds->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ds->geos, r, text);
    GEOSWKTReader_destroy_r(ds->geos, r);
    ck_assert_msg(g != NULL, "bad WKT %s", text);
    return g;
}

static void add_street(fp_dataset *ds, const char *text, const char *cls)
{
    ds->streets = realloc(ds->streets, (ds->n_streets + 1) * sizeof *ds->streets);
    fp_street *s = &ds->streets[ds->n_streets];
    memset(s, 0, sizeof *s);
    s->fid = (long long)ds->n_streets + 1;
    s->geom = wkt(ds, text);
    snprintf(s->cls, sizeof s->cls, "%s", cls ? cls : "");
    GEOSLength_r(ds->geos, s->geom, &s->length);
    ds->n_streets++;
}

static size_t add_building(fp_dataset *ds, const char *text, int dwellings, const char *block)
{
    ds->buildings = realloc(ds->buildings, (ds->n_buildings + 1) * sizeof *ds->buildings);
    fp_building *b = &ds->buildings[ds->n_buildings];
    memset(b, 0, sizeof *b);
    b->fid = (long long)ds->n_buildings + 1;
    b->geom = wkt(ds, text);
    GEOSArea_r(ds->geos, b->geom, &b->area);
    b->levels = 1;
    b->dwellings = dwellings;
    b->priority = 1;
    snprintf(b->block, sizeof b->block, "%s", block ? block : "");
    return ds->n_buildings++;
}

static void add_site(fp_dataset *ds, double x, double y)
{
    ds->sites = realloc(ds->sites, (ds->n_sites + 1) * sizeof *ds->sites);
    fp_site *s = &ds->sites[ds->n_sites++];
    memset(s, 0, sizeof *s);
    s->fid = -1;
    snprintf(s->id, sizeof s->id, "CO%zu", ds->n_sites);
    s->x = x;
    s->y = y;
}

static void add_infra(fp_dataset *ds, const char *text, fp_infra_kind kind)
{
    ds->infra = realloc(ds->infra, (ds->n_infra + 1) * sizeof *ds->infra);
    fp_infra *f = &ds->infra[ds->n_infra++];
    f->fid = (long long)ds->n_infra;
    f->geom = wkt(ds, text);
    f->kind = kind;
}

/* A diamond building whose lowest vertex is (x, y). */
static size_t add_diamond(fp_dataset *ds, double x, double y, int dwellings)
{
    char t[256];
    snprintf(t, sizeof t, "POLYGON((%g %g, %g %g, %g %g, %g %g, %g %g))", x, y, x + 3, y + 3,
             x, y + 6, x - 3, y + 3, x, y);
    return add_building(ds, t, dwellings, NULL);
}

static fp_network *build(const fp_dataset *ds, const fp_network_opts *o)
{
    fp_error e;
    fp_error_clear(&e);
    fp_costs c;
    fp_costs_default(&c);
    fp_network *net = fp_network_build(ds, &c, o, NULL, &e);
    ck_assert_msg(net != NULL, "build failed: %s", e.msg);
    return net;
}

static size_t count_kind(const fp_network *net, fp_edge_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < net->n_edges; i++)
        n += net->edges[i].kind == k;
    return n;
}

static int find_node(const fp_network *net, double x, double y)
{
    for (size_t i = 0; i < net->n_nodes; i++)
        if (fabs(net->nodes[i].x - x) < 1e-6 && fabs(net->nodes[i].y - y) < 1e-6)
            return (int)i;
    return -1;
}

static int has_edge(const fp_network *net, int u, int v, double len)
{
    for (size_t i = 0; i < net->n_edges; i++) {
        const fp_net_edge *e = &net->edges[i];
        if (((e->u == u && e->v == v) || (e->u == v && e->v == u)) && fabs(e->length - len) < 1e-6)
            return 1;
    }
    return 0;
}

/* The compact Steiner instance of net (*g) with its edge map (*off, *map),
 * as fp_network_to_sgraph gives them; asserts the conversion works. */
static void to_sgraph(const fp_network *net, fp_sgraph **g, int **off, int **map)
{
    fp_error e;
    fp_error_clear(&e);
    *g = NULL;
    *off = *map = NULL;
    ck_assert_msg(fp_network_to_sgraph(net, g, off, map, &e) == 0, "to_sgraph: %s", e.msg);
}

/* Frees what to_sgraph gave, then net and ds. */
static void free_all(fp_dataset *ds, fp_network *net, fp_sgraph *g, int *off, int *map)
{
    fp_sgraph_free(g);
    free(off);
    free(map);
    fp_network_free(net);
    fp_dataset_free(ds);
}

/* ---- tests ---- */

START_TEST(noding_crossing_and_touching)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "residential");
    add_street(ds, "LINESTRING(50 -50, 50 50)", "primary");
    add_street(ds, "LINESTRING(100 0, 100 40)", "residential"); /* touches at an end */
    add_street(ds, "LINESTRING(20 0, 20 -30)", "service");      /* T onto an interior */
    fp_network *net = build(ds, NULL);
    /* nodes: 0,0 20,0 50,0 100,0 | 50,-50 50,50 | 100,40 | 20,-30 */
    ck_assert_uint_eq(net->n_nodes, 8);
    ck_assert_uint_eq(net->n_edges, 7);
    ck_assert_uint_eq(net->stats.n_components, 1);
    int a = find_node(net, 20, 0), b = find_node(net, 50, 0), c = find_node(net, 100, 0);
    ck_assert(a >= 0 && b >= 0 && c >= 0);
    ck_assert(has_edge(net, a, b, 30));
    ck_assert(has_edge(net, b, c, 50));
    /* classes and costs per class follow the source line */
    for (size_t i = 0; i < net->n_edges; i++) {
        const fp_net_edge *e = &net->edges[i];
        ck_assert_int_eq(e->kind, FP_EDGE_TRENCH);
        if (e->u == find_node(net, 50, 50) || e->v == find_node(net, 50, 50)) {
            ck_assert_str_eq(e->cls, "primary");
            ck_assert_double_eq_tol(e->cost, 120.0 * 50, 1e-6);
        }
        if ((e->u == a && e->v == b) || (e->u == b && e->v == a)) {
            ck_assert_str_eq(e->cls, "residential");
            ck_assert_double_eq_tol(e->cost, 70.0 * 30, 1e-6);
        }
    }
    ck_assert_double_eq_tol(net->stats.street_m, 100 + 100 + 40 + 30, 1e-6);
    ck_assert_int_eq(net->root, -1);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

static fp_network *gap_net(double gap, fp_dataset **dsp)
{
    fp_dataset *ds = fp_dataset_create();
    char t[128];
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    snprintf(t, sizeof t, "LINESTRING(%g 0, 200 0)", 100 + gap);
    add_street(ds, t, "");
    *dsp = ds;
    return build(ds, NULL);
}

START_TEST(snapping_tolerance)
{
    fp_dataset *ds;
    fp_network *net = gap_net(0.3, &ds);
    ck_assert_uint_eq(net->n_nodes, 3);
    ck_assert_uint_eq(net->n_edges, 2);
    ck_assert_uint_eq(net->stats.n_components, 1);
    ck_assert_uint_eq(net->stats.snapped_endpoints, 1);
    fp_network_free(net);
    fp_dataset_free(ds);

    net = gap_net(0.8, &ds);
    ck_assert_uint_eq(net->n_nodes, 4);
    ck_assert_uint_eq(net->stats.n_components, 2);
    ck_assert_uint_eq(net->stats.snapped_endpoints, 0);
    fp_network_free(net);
    fp_dataset_free(ds);

    /* a larger tolerance merges the 0.8 m gap too */
    fp_network_opts o;
    fp_network_opts_default(&o);
    o.snap_tolerance = 1.0;
    ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    add_street(ds, "LINESTRING(100.8 0, 200 0)", "");
    net = build(ds, &o);
    ck_assert_uint_eq(net->stats.n_components, 1);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(snapping_undershoot_onto_line)
{
    static const struct {
        const char *wkt;
        size_t nodes, comps, snapped;
    } cases[] = {
        {"LINESTRING(50 0.3, 50 50)", 4, 1, 1},   /* undershoot closed */
        {"LINESTRING(50 50, 50 0.4)", 4, 1, 1},   /* either end */
        {"LINESTRING(50 0.8, 50 50)", 4, 2, 0},   /* too far: kept apart */
        {"LINESTRING(50 -0.3, 50 50)", 4, 1, 1},  /* overshoot: stub trimmed */
        {"LINESTRING(50 -0.8, 50 50)", 5, 1, 0},  /* long overshoot: noded */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fp_dataset *ds = fp_dataset_create();
        add_street(ds, "LINESTRING(0 0, 100 0)", "");
        add_street(ds, cases[i].wkt, "");
        fp_network *net = build(ds, NULL);
        ck_assert_msg(net->n_nodes == cases[i].nodes, "case %zu: %zu nodes", i, net->n_nodes);
        ck_assert_uint_eq(net->stats.n_components, cases[i].comps);
        ck_assert_uint_eq(net->stats.snapped_to_lines, cases[i].snapped);
        if (cases[i].snapped) {
            int j = find_node(net, 50, 0);
            ck_assert_int_ge(j, 0);
            ck_assert(has_edge(net, find_node(net, 0, 0), j, 50));
            ck_assert(has_edge(net, j, find_node(net, 50, 50), 50));
        }
        fp_network_free(net);
        fp_dataset_free(ds);
    }
}
END_TEST

START_TEST(building_drop_on_right_edge)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "residential");
    add_street(ds, "LINESTRING(50 -50, 50 50)", "residential");
    size_t b = add_diamond(ds, 75, 4, 3);  /* 4 m above (75,0) */
    size_t b2 = add_diamond(ds, 65, 9, 1); /* 9 m above (65,0), 12 m from x=50 */
    add_building(ds, "POLYGON((10 10, 20 10, 20 20, 10 20, 10 10))", 0, NULL); /* no dwellings */
    add_site(ds, 0, -2);
    fp_network *net = build(ds, NULL);
    int bn = net->building_node[b];
    ck_assert_int_ge(bn, 0);
    ck_assert_int_eq(net->nodes[bn].kind, FP_NODE_BUILDING);
    ck_assert_int_eq(net->nodes[bn].building, (long)b);
    ck_assert_int_eq(net->building_node[2], -1);
    ck_assert_uint_eq(net->stats.buildings_no_dwellings, 1);
    int j = find_node(net, 75, 0), j2 = find_node(net, 65, 0);
    ck_assert_int_ge(j, 0);
    ck_assert_int_ge(j2, 0);
    /* the edge 50..100 is split at 65 and 75, in order */
    ck_assert(has_edge(net, find_node(net, 50, 0), j2, 15));
    ck_assert(has_edge(net, j2, j, 10));
    ck_assert(has_edge(net, j, find_node(net, 100, 0), 25));
    int found = 0;
    for (size_t i = 0; i < net->n_edges; i++) {
        const fp_net_edge *e = &net->edges[i];
        if (e->kind == FP_EDGE_DROP && (e->u == bn || e->v == bn)) {
            found++;
            ck_assert(e->u == j || e->v == j);
            ck_assert_double_eq_tol(e->length, 4.0, 1e-9);
            ck_assert_double_eq_tol(e->cost, 400 + 15 * 4.0 + 200, 1e-9);
            ck_assert_int_eq(e->n_pts, 2);
            ck_assert_str_eq(e->cls, "");
        }
    }
    ck_assert_int_eq(found, 1);
    ck_assert_int_ge(net->building_node[b2], 0);
    ck_assert_uint_eq(net->stats.n_drops, 2);
    ck_assert_uint_eq(net->stats.n_terminals, 2);
    /* root: linked to (0,0), 2 m, priced as a default trench */
    ck_assert_int_ge(net->root, 0);
    ck_assert_int_eq(net->nodes[net->root].kind, FP_NODE_ROOT);
    ck_assert_uint_eq(count_kind(net, FP_EDGE_LINK), 1);
    ck_assert_double_eq_tol(net->stats.root_link_m, 2.0, 1e-9);
    ck_assert_uint_eq(net->n_unreachable, 0);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(duct_and_aerial_reuse)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "residential");
    add_street(ds, "LINESTRING(100 0, 200 0)", "residential");
    add_street(ds, "LINESTRING(200 0, 300 0)", "residential");
    add_infra(ds, "LINESTRING(0 1.5, 100 1.5)", FP_INFRA_DUCT);     /* full cover */
    add_infra(ds, "LINESTRING(100 -2, 150 -2)", FP_INFRA_DUCT);     /* half: no */
    add_infra(ds, "LINESTRING(195 1, 305 1)", FP_INFRA_AERIAL);     /* full cover */
    add_infra(ds, "LINESTRING(100 0, 100 80)", FP_INFRA_DUCT);      /* away: own edge */
    add_infra(ds, "POINT(5 5)", FP_INFRA_POLE);
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->stats.infra_lines_matched, 3);
    ck_assert_uint_eq(net->stats.infra_lines_added, 1);
    ck_assert_uint_eq(net->stats.infra_poles_ignored, 1);
    int n0 = find_node(net, 0, 0), n1 = find_node(net, 100, 0), n2 = find_node(net, 200, 0),
        n3 = find_node(net, 300, 0), n4 = find_node(net, 100, 80);
    ck_assert(n0 >= 0 && n1 >= 0 && n2 >= 0 && n3 >= 0 && n4 >= 0);
    for (size_t i = 0; i < net->n_edges; i++) {
        const fp_net_edge *e = &net->edges[i];
        int lo = e->u < e->v ? e->u : e->v, hi = e->u < e->v ? e->v : e->u;
        if (lo == (n0 < n1 ? n0 : n1) && hi == (n0 < n1 ? n1 : n0)) {
            ck_assert_int_eq(e->kind, FP_EDGE_DUCT);
            ck_assert_double_eq_tol(e->cost, 8.0 * 100, 1e-6);
        } else if ((e->u == n1 && e->v == n2) || (e->u == n2 && e->v == n1)) {
            ck_assert_int_eq(e->kind, FP_EDGE_TRENCH);
            ck_assert_double_eq_tol(e->cost, 70.0 * 100, 1e-6);
        } else if ((e->u == n2 && e->v == n3) || (e->u == n3 && e->v == n2)) {
            ck_assert_int_eq(e->kind, FP_EDGE_AERIAL);
            ck_assert_double_eq_tol(e->cost, 12.0 * 100, 1e-6);
        } else {
            ck_assert(e->u == n4 || e->v == n4);
            ck_assert_int_eq(e->kind, FP_EDGE_DUCT);
            ck_assert_int_eq(e->street, -1);
            ck_assert_double_eq_tol(e->length, 80, 1e-6);
        }
    }
    ck_assert_uint_eq(net->n_edges, 4);
    ck_assert_double_eq_tol(net->stats.duct_m, 180, 1e-6);
    ck_assert_double_eq_tol(net->stats.aerial_m, 100, 1e-6);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(pole_chains_make_aerial_edges)
{
    for (int off = 0; off < 2; off++) {
        fp_dataset *ds = fp_dataset_create();
        add_street(ds, "LINESTRING(0 0, 200 0)", "residential");
        add_street(ds, "LINESTRING(200 0, 400 0)", "residential");
        add_street(ds, "LINESTRING(400 0, 440 0)", "residential");
        char t[64];
        for (int x = 0; x <= 280; x += 40) { /* 0..200 every 40 m, then 240, 280 */
            snprintf(t, sizeof t, "POINT(%d 2)", x);
            add_infra(ds, t, FP_INFRA_POLE);
        }
        add_infra(ds, "POINT(395 2)", FP_INFRA_POLE);  /* span 50 m over the short edge */
        add_infra(ds, "POINT(445 2)", FP_INFRA_POLE);
        add_infra(ds, "POINT(100 50)", FP_INFRA_POLE); /* off the street */
        fp_network_opts o;
        fp_network_opts_default(&o);
        if (off)
            o.pole_span = 0;
        fp_network *net = build(ds, &o);
        int n0 = find_node(net, 0, 0), n1 = find_node(net, 200, 0), n2 = find_node(net, 400, 0),
            n3 = find_node(net, 440, 0);
        for (size_t i = 0; i < net->n_edges; i++) {
            const fp_net_edge *e = &net->edges[i];
            int first = (e->u == n0 || e->v == n0) && (e->u == n1 || e->v == n1);
            int last = (e->u == n2 || e->v == n2) && (e->u == n3 || e->v == n3);
            if (!off && (first || last)) {
                ck_assert_int_eq(e->kind, FP_EDGE_AERIAL);
                ck_assert_double_eq_tol(e->cost, 12.0 * e->length, 1e-9);
            } else {
                ck_assert_int_eq(e->kind, FP_EDGE_TRENCH); /* 40 % covered */
            }
        }
        ck_assert_uint_eq(net->stats.infra_poles_used, off ? 0 : 8);
        ck_assert_uint_eq(net->stats.infra_poles_ignored, off ? 11 : 3);
        ck_assert_double_eq_tol(net->stats.aerial_m, off ? 0 : 240, 1e-9);
        fp_network_free(net);
        fp_dataset_free(ds);
    }
}
END_TEST

START_TEST(unreachable_and_disconnected)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    add_street(ds, "LINESTRING(1000 0, 1100 0)", ""); /* an island */
    size_t near = add_diamond(ds, 50, 10, 2);
    size_t far = add_diamond(ds, 500, 200, 4);     /* 200 m from any street */
    size_t island = add_diamond(ds, 1050, 5, 1);
    add_site(ds, 10, -5);
    add_site(ds, 20, -5); /* a second site: linked too */
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->stats.sites_ignored, 0);
    ck_assert_uint_eq(net->stats.n_sites, 2);
    ck_assert_uint_eq(net->n_site_nodes, 2);
    ck_assert_int_eq(net->site_node[0], net->root);
    ck_assert_int_eq(net->nodes[net->site_node[1]].kind, FP_NODE_ROOT);
    ck_assert_int_ge(net->building_node[near], 0);
    ck_assert_int_eq(net->building_node[far], -1);
    ck_assert_int_ge(net->building_node[island], 0);
    ck_assert_uint_eq(net->n_unreachable, 2);
    /* sorted by building */
    ck_assert_uint_eq(net->unreachable[0].building, far);
    ck_assert_int_eq(net->unreachable[0].reason, FP_UNREACH_TOO_FAR);
    double dfar = 0;
    GEOSDistance_r(ds->geos, ds->buildings[far].geom, ds->streets[0].geom, &dfar);
    ck_assert_double_gt(dfar, 150);
    ck_assert_double_eq_tol(net->unreachable[0].distance, dfar, 1e-6);
    ck_assert_uint_eq(net->unreachable[1].building, island);
    ck_assert_int_eq(net->unreachable[1].reason, FP_UNREACH_DISCONNECTED);
    ck_assert_uint_eq(net->stats.n_terminals, 1);
    ck_assert_uint_eq(net->stats.n_components, 2);
    ck_assert_uint_eq(net->stats.unreach_too_far, 1);
    ck_assert_uint_eq(net->stats.unreach_disconnected, 1);
    fp_network_free(net);

    /* a larger max_drop reaches the far building */
    fp_network_opts o;
    fp_network_opts_default(&o);
    o.max_drop = 500;
    net = build(ds, &o);
    ck_assert_int_ge(net->building_node[far], 0);
    ck_assert_uint_eq(net->n_unreachable, 1);
    fp_network_free(net);
    fp_dataset_free(ds);

    /* no streets at all: every building listed, root refused */
    ds = fp_dataset_create();
    add_diamond(ds, 0, 0, 1);
    fp_network *n2 = build(ds, NULL);
    ck_assert_uint_eq(n2->n_unreachable, 1);
    ck_assert_int_eq(n2->unreachable[0].reason, FP_UNREACH_NO_STREET);
    fp_network_free(n2);
    add_site(ds, 0, 0);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_network_build(ds, NULL, NULL, NULL, &e));
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "no street"));
    fp_dataset_free(ds);
}
END_TEST

START_TEST(root_near_island_goes_to_main)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 500 0)", "");
    add_street(ds, "LINESTRING(0 20, 30 20)", ""); /* a short island, nearer the site */
    add_site(ds, 10, 15);
    size_t b = add_diamond(ds, 300, 5, 1);
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->n_unreachable, 0);
    ck_assert_double_eq_tol(net->stats.root_link_m, 15, 1e-9);
    ck_assert_int_eq(net->nodes[net->building_node[b]].component,
                     net->nodes[net->root].component);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(root_out_of_reach)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    add_site(ds, 50, 5000);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_network_build(ds, NULL, NULL, NULL, &e));
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "5000.0 m from the nearest street"));
    fp_dataset_free(ds);
}
END_TEST

START_TEST(blocks_from_faces_and_attribute)
{
    fp_dataset *ds = fp_dataset_create();
    /* a 2x2 grid of 100 m blocks */
    add_street(ds, "LINESTRING(0 0, 200 0)", "");
    add_street(ds, "LINESTRING(0 100, 200 100)", "");
    add_street(ds, "LINESTRING(0 200, 200 200)", "");
    add_street(ds, "LINESTRING(0 0, 0 200)", "");
    add_street(ds, "LINESTRING(100 0, 100 200)", "");
    add_street(ds, "LINESTRING(200 0, 200 200)", "");
    add_street(ds, "LINESTRING(200 200, 250 250)", ""); /* a dangle */
    size_t a = add_building(ds, "POLYGON((10 10, 20 10, 20 20, 10 20, 10 10))", 1, NULL);
    size_t b = add_building(ds, "POLYGON((30 30, 40 30, 40 40, 30 40, 30 30))", 1, NULL);
    size_t c = add_building(ds, "POLYGON((150 150, 160 150, 160 160, 150 160, 150 150))", 1, NULL);
    size_t d = add_building(ds, "POLYGON((300 300, 310 300, 310 310, 300 310, 300 300))", 0, NULL);
    size_t e = add_building(ds, "POLYGON((110 10, 120 10, 120 20, 110 20, 110 10))", 1, "Z9");
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->n_blocks, 1 + 4);
    ck_assert_str_eq(net->blocks[0].id, "Z9");
    ck_assert_ptr_null(net->blocks[0].geom);
    ck_assert_int_eq(net->building_block[e], 0);
    ck_assert_int_ge(net->building_block[a], 1);
    ck_assert_int_eq(net->building_block[a], net->building_block[b]);
    ck_assert_int_ge(net->building_block[c], 1);
    ck_assert_int_ne(net->building_block[a], net->building_block[c]);
    ck_assert_int_eq(net->building_block[d], -1);
    ck_assert_uint_eq(net->stats.blocks_unassigned, 1);
    double area = 0;
    GEOSArea_r(ds->geos, net->blocks[net->building_block[c]].geom, &area);
    ck_assert_double_eq_tol(area, 100 * 100, 1e-6);
    ck_assert_str_eq(net->blocks[1].id, "B1");
    fp_network_free(net);

    fp_network_opts o;
    fp_network_opts_default(&o);
    o.blocks_from_faces = 0;
    net = build(ds, &o);
    ck_assert_uint_eq(net->n_blocks, 1);
    ck_assert_int_eq(net->building_block[a], -1);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(bad_streets_repaired_and_counted)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 0 0)", "");               /* zero length */
    add_street(ds, "LINESTRING(0 0, 0 0, 10 0)", "");         /* repeated vertex */
    add_street(ds, "LINESTRING(10 0, 0 0)", "");              /* duplicate, reversed */
    add_street(ds, "LINESTRING(5 0, 20 0)", "");              /* overlaps 5..10 */
    add_street(ds, "LINESTRING(20 0, 40 0, 30 0)", "");       /* folds back on itself */
    add_street(ds, "LINESTRING EMPTY", "");
    add_street(ds, "POINT(3 3)", "");
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->stats.zero_len_lines, 1);
    ck_assert_uint_eq(net->stats.zero_len_segments, 2);
    ck_assert_uint_eq(net->stats.duplicate_lines, 1);
    ck_assert_uint_eq(net->stats.streets_empty, 2);
    ck_assert_double_eq_tol(net->stats.overlap_m, 5 + 10, 1e-9);
    /* a clean path 0-5-10-20-30-40 */
    ck_assert_uint_eq(net->n_nodes, 6);
    ck_assert_uint_eq(net->n_edges, 5);
    ck_assert_double_eq_tol(net->stats.street_m, 40, 1e-9);
    for (size_t i = 0; i < net->n_edges; i++)
        ck_assert_double_gt(net->edges[i].length, 0);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(compact_sgraph)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 10 0)", "");
    add_street(ds, "LINESTRING(10 0, 20 0)", "");
    add_street(ds, "LINESTRING(20 0, 30 0)", "");
    add_street(ds, "LINESTRING(10 0, 10 10, 10 20)", "");
    add_street(ds, "LINESTRING(500 0, 600 0)", ""); /* island: left out */
    size_t b1 = add_diamond(ds, 35, -3, 2);  /* its vertex (32,0) -> (30,0), 2 m */
    size_t b2 = add_diamond(ds, 10, 23, 1);  /* (10,23) -> (10,20), 3 m */
    add_diamond(ds, 550, 1, 1);              /* disconnected */
    add_site(ds, 0, -3);
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->stats.unreach_disconnected, 1);
    fp_sgraph *g;
    int *off, *map;
    to_sgraph(net, &g, &off, &map);
    /* root, b1, b2 and the junction (10,0) */
    ck_assert_int_eq(g->n_nodes, 4);
    ck_assert_int_eq(g->n_edges, 3);
    ck_assert_int_eq(fp_sgraph_n_terminals(g), 3);
    ck_assert_int_eq(g->ext_id[g->root], net->root);
    int j = find_node(net, 10, 0);
    double want_b1 = 20 * 80.0 + (400 + 15 * 2.0 + 200); /* (10,0)..(30,0) + drop */
    double want_b2 = 20 * 80.0 + (400 + 15 * 3.0 + 200);
    double want_r = 3 * 80.0 + 10 * 80.0;
    double total = 0;
    for (int k = 0; k < g->n_edges; k++) {
        int u = (int)g->ext_id[g->tail[k]], v = (int)g->ext_id[g->head[k]];
        ck_assert(u == j || v == j);
        int other = u == j ? v : u;
        double sum = 0;
        for (int m = off[k]; m < off[k + 1]; m++)
            sum += net->edges[map[m]].cost;
        ck_assert_double_eq_tol(sum, g->cost[k], 1e-9);
        if (other == net->building_node[b1]) {
            ck_assert_double_eq_tol(g->cost[k], want_b1, 1e-9);
            ck_assert_int_eq(off[k + 1] - off[k], 3);
        } else if (other == net->building_node[b2]) {
            ck_assert_double_eq_tol(g->cost[k], want_b2, 1e-9);
            ck_assert_int_eq(off[k + 1] - off[k], 2);
        } else {
            ck_assert_int_eq(other, net->root);
            ck_assert_double_eq_tol(g->cost[k], want_r, 1e-9);
            ck_assert_int_eq(off[k + 1] - off[k], 2);
        }
        total += g->cost[k];
    }
    ck_assert_double_eq_tol(total, want_b1 + want_b2 + want_r, 1e-9);
    free_all(ds, net, g, off, map);
}
END_TEST

/* Several sites: each is linked like the root, and the compact instance
 * gets one virtual root (last node, ext_id -1, terminal) joined to every
 * site node by a 0-cost edge that stands for no network edge; site nodes
 * are Steiner nodes. A building on a street no site reaches is
 * disconnected. */
START_TEST(compact_sgraph_several_sites)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    add_street(ds, "LINESTRING(100 0, 1000 0)", "");
    add_street(ds, "LINESTRING(1000 0, 1100 0)", "");
    add_street(ds, "LINESTRING(5000 0, 5100 0)", ""); /* no site here */
    add_diamond(ds, 50, 5, 2);
    add_diamond(ds, 1050, 5, 3);
    size_t lost = add_diamond(ds, 5050, 5, 1);
    add_site(ds, 0, -10);
    add_site(ds, 1100, -10);
    add_site(ds, 550, -10); /* between them: not worth using */
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->n_site_nodes, 3);
    ck_assert_uint_eq(net->stats.n_sites, 3);
    ck_assert_double_eq_tol(net->stats.root_link_m, 30, 1e-9);
    ck_assert_int_eq(net->root, net->site_node[0]);
    const int *sn = NULL;
    ck_assert_uint_eq(fp_network_site_nodes(net, &sn), 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(net->nodes[sn[i]].kind, FP_NODE_ROOT);
        ck_assert_int_eq(fp_network_site_index(net, sn[i]), i);
    }
    ck_assert_str_eq(fp_network_site_name(net, 1), "CO2");
    ck_assert_uint_eq(net->stats.n_terminals, 2);
    ck_assert_uint_eq(net->n_unreachable, 1);
    ck_assert_uint_eq(net->unreachable[0].building, lost);
    ck_assert_int_eq(net->unreachable[0].reason, FP_UNREACH_DISCONNECTED);

    fp_sgraph *g;
    int *off, *map;
    to_sgraph(net, &g, &off, &map);
    ck_assert_int_eq(g->root, g->n_nodes - 1);
    ck_assert_int_eq(g->ext_id[g->root], -1);
    ck_assert(g->term[g->root]);
    ck_assert_int_eq(fp_sgraph_n_terminals(g), 3); /* two buildings + the virtual root */
    int virt = 0;
    for (int k = 0; k < g->n_edges; k++) {
        int at_root = g->tail[k] == g->root || g->head[k] == g->root;
        if (!at_root) {
            ck_assert_int_gt(off[k + 1], off[k]);
            continue;
        }
        virt++;
        ck_assert_double_eq(g->cost[k], 0);
        ck_assert_int_eq(off[k + 1], off[k]); /* no network edge behind it */
        int other = g->tail[k] == g->root ? g->head[k] : g->tail[k];
        ck_assert_int_ge(fp_network_site_index(net, (int)g->ext_id[other]), 0);
        ck_assert(!g->term[other]); /* sites are Steiner nodes */
    }
    ck_assert_int_eq(virt, 3);
    free_all(ds, net, g, off, map);
}
END_TEST

/* A street network cut off from the first site's is no longer
 * disconnected once a site stands on it: both components go into the
 * compact instance (joined only through the virtual root). */
START_TEST(site_on_island_feeds_it)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "");
    add_street(ds, "LINESTRING(5000 0, 5100 0)", "");
    add_diamond(ds, 50, 5, 2);
    add_diamond(ds, 5050, 5, 1);
    add_site(ds, 0, -10);
    add_site(ds, 5100, -10);
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->n_unreachable, 0);
    ck_assert_uint_eq(net->stats.n_terminals, 2);
    ck_assert_uint_eq(net->stats.n_components, 2);
    fp_sgraph *g;
    int *off, *map;
    to_sgraph(net, &g, &off, &map);
    ck_assert_int_eq(fp_sgraph_n_terminals(g), 3);
    /* every network edge of both components is behind some sgraph edge */
    ck_assert_int_eq(off[g->n_edges], (int)net->n_edges);
    free_all(ds, net, g, off, map);
}
END_TEST

/* Deterministic pseudo-random numbers for the invariant test. */
static double rnd(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (double)((*state >> 8) & 0xFFFF) / 65536.0;
}

START_TEST(random_networks_keep_invariants)
{
    size_t snapped = 0, terminals = 0, strict_nearest = 0;
    double overlap = 0;
    for (unsigned seed = 1; seed <= 6; seed++) {
        unsigned st = seed;
        fp_dataset *ds = fp_dataset_create();
        char t[256];
        for (int i = 0; i < 60; i++) {
            /* segments on a coarse lattice so that ends often meet, touch
             * or overlap, some with sub-tolerance jitter */
            double x0 = 50.0 * (int)(rnd(&st) * 10), y0 = 50.0 * (int)(rnd(&st) * 10);
            double x1 = x0 + 50.0 * (int)(rnd(&st) * 5 - 2), y1 = y0 + 50.0 * (int)(rnd(&st) * 5 - 2);
            double j = rnd(&st) < 0.3 ? 0.4 * rnd(&st) : 0;
            snprintf(t, sizeof t, "LINESTRING(%.3f %.3f, %.3f %.3f, %.3f %.3f)", x0 + j, y0,
                     0.5 * (x0 + x1) + 7 * rnd(&st), 0.5 * (y0 + y1), x1, y1 + j);
            add_street(ds, t, rnd(&st) < 0.5 ? "residential" : "Chemin");
        }
        for (int i = 0; i < 40; i++)
            add_diamond(ds, 500 * rnd(&st), 500 * rnd(&st), 1 + (int)(3 * rnd(&st)));
        add_site(ds, 250, 250);
        fp_error e;
        fp_error_clear(&e);
        fp_network *net = fp_network_build(ds, NULL, NULL, NULL, &e);
        ck_assert_msg(net != NULL, "seed %u: %s", seed, e.msg);
        snapped += net->stats.snapped_endpoints + net->stats.snapped_to_lines;
        overlap += net->stats.overlap_m;
        terminals += net->stats.n_terminals;
        /* polylines end on their nodes; lengths and costs are sane */
        int *deg = calloc(net->n_nodes, sizeof *deg);
        for (size_t i = 0; i < net->n_edges; i++) {
            const fp_net_edge *ed = &net->edges[i];
            ck_assert_int_ge(ed->n_pts, 2);
            ck_assert_double_eq_tol(ed->xy[0], net->nodes[ed->u].x, 1e-6);
            ck_assert_double_eq_tol(ed->xy[1], net->nodes[ed->u].y, 1e-6);
            ck_assert_double_eq_tol(ed->xy[2 * ed->n_pts - 2], net->nodes[ed->v].x, 1e-6);
            ck_assert_double_eq_tol(ed->xy[2 * ed->n_pts - 1], net->nodes[ed->v].y, 1e-6);
            ck_assert(isfinite(ed->cost) && ed->cost >= 0);
            if (ed->kind == FP_EDGE_DROP)
                ck_assert_double_le(ed->length, 150 + 1e-9);
            else
                ck_assert_double_gt(ed->length, 0);
            deg[ed->u]++;
            deg[ed->v]++;
        }
        /* each building node hangs on exactly one drop */
        size_t nb = 0;
        for (size_t i = 0; i < net->n_nodes; i++)
            if (net->nodes[i].kind == FP_NODE_BUILDING) {
                ck_assert_int_eq(deg[i], 1);
                ck_assert_int_eq(net->building_node[net->nodes[i].building], (int)i);
                nb++;
            }
        ck_assert_uint_eq(nb, net->stats.n_drops);
        /* each drop is as short as the footprint's distance to the streets
         * (GEOS, on all street edges), or to the root's street network when
         * sent past an island */
        {
            GEOSContextHandle_t h = ds->geos;
            int rc0 = net->nodes[net->root].component;
            GEOSGeometry *coll[2];
            for (int w = 0; w < 2; w++) {
                size_t ns = 0;
                GEOSGeometry **lines = calloc(net->n_edges, sizeof *lines);
                for (size_t i = 0; i < net->n_edges; i++) {
                    const fp_net_edge *ed = &net->edges[i];
                    if (ed->kind == FP_EDGE_DROP || ed->kind == FP_EDGE_LINK ||
                        (w == 1 && net->nodes[ed->u].component != rc0))
                        continue;
                    GEOSCoordSequence *cs =
                        GEOSCoordSeq_copyFromBuffer_r(h, ed->xy, (unsigned)ed->n_pts, 0, 0);
                    lines[ns++] = GEOSGeom_createLineString_r(h, cs);
                }
                coll[w] = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines,
                                                      (unsigned)ns);
                free(lines);
            }
            for (size_t i = 0; i < net->n_edges; i++) {
                const fp_net_edge *ed = &net->edges[i];
                if (ed->kind != FP_EDGE_DROP)
                    continue;
                int bn = net->nodes[ed->u].kind == FP_NODE_BUILDING ? ed->u : ed->v;
                const GEOSGeometry *bg = ds->buildings[net->nodes[bn].building].geom;
                double d_all = -1, d_main = -1;
                GEOSDistance_r(h, bg, coll[0], &d_all);
                GEOSDistance_r(h, bg, coll[1], &d_main);
                int nearest = fabs(ed->length - d_all) < 1e-6;
                ck_assert_msg(nearest || fabs(ed->length - d_main) < 1e-6,
                              "seed %u: drop %.6f, nearest street %.6f, main %.6f", seed,
                              ed->length, d_all, d_main);
                strict_nearest += nearest && d_all < d_main - 1e-6;
            }
            GEOSGeom_destroy_r(h, coll[0]);
            GEOSGeom_destroy_r(h, coll[1]);
        }
        /* every dwelling building is on the graph or listed */
        size_t listed_off = 0;
        for (size_t i = 0; i < net->n_unreachable; i++)
            listed_off += net->building_node[net->unreachable[i].building] < 0;
        ck_assert_uint_eq(nb + listed_off, 40);
        /* no two junctions at one point */
        for (size_t i = 0; i < net->n_nodes; i++)
            for (size_t k = i + 1; k < net->n_nodes; k++)
                if (net->nodes[i].kind == FP_NODE_JUNCTION && net->nodes[k].kind == FP_NODE_JUNCTION)
                    ck_assert(hypot(net->nodes[i].x - net->nodes[k].x,
                                    net->nodes[i].y - net->nodes[k].y) > 1e-9);
        /* the Steiner graph: each network edge used at most once, costs add up */
        fp_sgraph *g;
        int *off, *map;
        to_sgraph(net, &g, &off, &map);
        ck_assert_int_eq(fp_sgraph_n_terminals(g), (int)net->stats.n_terminals + 1);
        unsigned char *used = calloc(net->n_edges, 1);
        for (int k = 0; k < g->n_edges; k++) {
            double sum = 0;
            for (int m = off[k]; m < off[k + 1]; m++) {
                ck_assert_int_eq(used[map[m]], 0);
                used[map[m]] = 1;
                sum += net->edges[map[m]].cost;
            }
            ck_assert_double_eq_tol(sum, g->cost[k], 1e-6 * (1 + sum));
            ck_assert_int_ne(g->tail[k], g->head[k]);
        }
        for (int v = 0; v < g->n_nodes; v++)
            if (g->term[v])
                ck_assert_int_ne(net->nodes[g->ext_id[v]].kind, FP_NODE_JUNCTION);
        free(used);
        free(deg);
        free_all(ds, net, g, off, map);
    }
    /* the data did exercise snapping, overlaps and drops */
    ck_assert_uint_gt(snapped, 0);
    ck_assert_double_gt(overlap, 0);
    ck_assert_uint_gt(terminals, 60);
    ck_assert_uint_gt(strict_nearest, 10); /* drops to an island's nearer street */
}
END_TEST

START_TEST(compact_sgraph_parallel_and_loop)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "residential");
    add_street(ds, "LINESTRING(0 0, 50 20, 100 0)", "primary");        /* dearer, parallel */
    add_street(ds, "LINESTRING(100 0, 120 30, 140 0, 100 0)", "");     /* a closed loop */
    add_street(ds, "LINESTRING(100 0, 100 -50)", "");                   /* a spur */
    size_t b = add_diamond(ds, 100, -58, 1); /* its top (100,-52) -> (100,-50) */
    add_site(ds, -3, 0);
    fp_network *net = build(ds, NULL);
    fp_sgraph *g;
    int *off, *map;
    to_sgraph(net, &g, &off, &map);
    ck_assert_int_eq(g->n_nodes, 4);
    ck_assert_int_eq(g->n_edges, 3);
    int j0 = find_node(net, 0, 0), j1 = find_node(net, 100, 0);
    int found = 0;
    for (int k = 0; k < g->n_edges; k++) {
        int u = (int)g->ext_id[g->tail[k]], v = (int)g->ext_id[g->head[k]];
        if ((u == j0 && v == j1) || (u == j1 && v == j0)) {
            ck_assert_int_eq(off[k + 1] - off[k], 1);
            ck_assert_str_eq(net->edges[map[off[k]]].cls, "residential");
            ck_assert_double_eq_tol(g->cost[k], 70.0 * 100, 1e-9);
            found = 1;
        } else {
            ck_assert(u == net->root || v == net->root || u == net->building_node[b] ||
                      v == net->building_node[b]);
        }
    }
    ck_assert(found);
    free_all(ds, net, g, off, map);
}
END_TEST

START_TEST(trench_cost_classes)
{
    fp_costs c;
    fp_costs_default(&c);
    ck_assert_double_eq(fp_costs_trench(&c, "Route à 2 chaussées"), 120);
    ck_assert_double_eq(fp_costs_trench(&c, "Chemin"), 35);
    ck_assert_double_eq(fp_costs_trench(&c, "CHEMIN"), 35);
    ck_assert_double_eq(fp_costs_trench(&c, "primary_link"), 120);
    ck_assert_double_eq(fp_costs_trench(&c, "footway"), 50);
    ck_assert_double_eq(fp_costs_trench(&c, "unknown thing"), c.trench_default);
    ck_assert_double_eq(fp_costs_trench(&c, ""), c.trench_default);
    ck_assert_double_eq(fp_costs_trench(&c, NULL), c.trench_default);
}
END_TEST

START_TEST(excluded_classes)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 100 0)", "Route à 1 chaussée");
    add_street(ds, "LINESTRING(100 0, 900 0)", "Bac ou liaison maritime");
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->stats.streets_excluded, 1);
    ck_assert_uint_eq(net->n_edges, 1);
    ck_assert_double_eq_tol(net->edges[0].cost, 90.0 * 100, 1e-9);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

START_TEST(drop_past_island_to_main)
{
    fp_dataset *ds = fp_dataset_create();
    add_street(ds, "LINESTRING(0 0, 300 0)", "");
    add_street(ds, "LINESTRING(0 60, 100 60)", "");  /* island, nearer */
    size_t b = add_diamond(ds, 50, 45, 1);           /* 9 m to the island, 45 m to main */
    add_site(ds, 0, -1);
    fp_network *net = build(ds, NULL);
    ck_assert_uint_eq(net->n_unreachable, 0);
    ck_assert_uint_eq(net->stats.attach_rerouted, 1);
    int bn = net->building_node[b];
    ck_assert_int_eq(net->nodes[bn].component, net->nodes[net->root].component);
    ck_assert_int_ge(find_node(net, 50, 0), 0);
    fp_network_free(net);
    fp_dataset_free(ds);
}
END_TEST

static int costs_from_text(const char *text, fp_costs *c, fp_network_opts *o, fp_error *e)
{
    fp_error_clear(e);
    fp_scenario *sc = fp_scenario_parse(text, "t.ini", e);
    ck_assert_msg(sc != NULL, "%s", e->msg);
    int rc = fp_costs_from_scenario(sc, c, e);
    if (!rc)
        rc = fp_network_opts_from_scenario(sc, o, e);
    fp_scenario_free(sc);
    return rc;
}

START_TEST(costs_and_options_from_scenario)
{
    fp_costs c;
    fp_network_opts o;
    fp_error e;
    ck_assert_int_eq(costs_from_text("[costs]\ntrench.CHEMIN = 20\nduct_reuse = 5.5\n"
                                     "trench.my class = 33\nbuilding_fixed=0\n"
                                     "trench.Route à 1 chaussée = 85\n"
                                     "[network]\nsnap_tolerance = 1.5\nmax_drop = 80\n"
                                     "blocks_from_faces = no\n",
                                     &c, &o, &e),
                     0);
    ck_assert_double_eq(fp_costs_trench(&c, "Chemin"), 20);
    ck_assert_double_eq(fp_costs_trench(&c, "my class"), 33);
    ck_assert_double_eq(fp_costs_trench(&c, "chemin"), 20);
    ck_assert_double_eq(fp_costs_trench(&c, "Route à 1 chaussée"), 85);
    ck_assert_double_eq(fp_costs_trench(&c, "Route à 2 chaussées"), 120);
    ck_assert_double_eq(fp_costs_trench(&c, "Sentier"), 40); /* default kept */
    ck_assert_double_eq(c.duct_reuse, 5.5);
    ck_assert_double_eq(c.building_fixed, 0);
    ck_assert_double_eq(c.drop_fixed, 400);
    ck_assert_double_eq(o.snap_tolerance, 1.5);
    ck_assert_double_eq(o.max_drop, 80);
    ck_assert_int_eq(o.blocks_from_faces, 0);

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"[costs]\naerial = 3\ndrop_fixed = -3\n", "t.ini:3: [costs] drop_fixed: -3 is negative"},
        {"[costs]\naerial = nan\n", "t.ini:2: [costs] aerial: 'nan' is not a finite number"},
        {"[costs]\naerial = inf\n", "t.ini:2: [costs] aerial"},
        {"[costs]\naerial = 12 EUR\n", "t.ini:2: [costs] aerial: '12 EUR' is not a number"},
        {"[costs]\ntrench.Chemin = -1\n", "t.ini:2: [costs] trench.Chemin: -1 is negative"},
        {"[costs]\ntrench_default = \n", "t.ini:2: [costs] trench_default"},
        {"[costs]\nfoo = 1\n", "t.ini:2: unknown key 'foo' in [costs]"},
        {"[costs]\nspare_ratio = 50\n", "spare_ratio: 50 is above the limit"},
        {"[network]\nsnap_tolerance = -1\n", "snap_tolerance"},
        {"[network]\nmax_drop = nan\n", "max_drop"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = costs_from_text(bad[i].text, &c, &o, &e);
        ck_assert_int_eq(rc, FP_ESCENARIO);
        ck_assert_msg(strstr(e.msg, bad[i].want) != NULL, "case %zu: got '%s'", i, e.msg);
    }
}
END_TEST

/* Runs the CLI with args, asserts it succeeds and prints JSON; returns the
 * JSON (caller deletes) and its stderr in *errout (caller frees). */
static cJSON *cli_json(const char *args, char **errout)
{
    char *out = NULL;
    int rc = tu_run_cli(args, &out, errout);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, *errout);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "not JSON: %s", out);
    free(out);
    return j;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    ck_assert_msg(cJSON_IsNumber(v), "no %s", k);
    return v->valuedouble;
}

START_TEST(cli_olemps)
{
    char *tmp = tu_tmpdir();
    char args[4096], gpkg[1024], stp[1024];
    snprintf(gpkg, sizeof gpkg, "%s/net.gpkg", tmp);
    snprintf(stp, sizeof stp, "%s/net.stp", tmp);
    snprintf(args, sizeof args, "network '%s/scenarios/olemps.ini' --json --out '%s' --stp '%s'",
             FP_SOURCE_DIR, gpkg, stp);
    char *errout = NULL;
    cJSON *j = cli_json(args, &errout);
    /* every one of Olemps' 1,112 dwelling buildings (BD TOPO NB_LOGTS) is a
     * terminal or listed as unreachable */
    ck_assert_double_eq(jnum(j, "terminals") + jnum(j, "unreachable"), 1112);
    ck_assert_double_eq(jnum(j, "drops"), jnum(j, "terminals") +
                        jnum(cJSON_GetObjectItem(j, "unreachable_by"), "disconnected"));
    ck_assert_double_ge(jnum(j, "terminals"), 1100);
    /* the same data as `inspect` sees */
    char *iout = NULL, *ierr = NULL;
    snprintf(args, sizeof args, "inspect '%s/scenarios/olemps.ini' --json", FP_SOURCE_DIR);
    ck_assert_int_eq(tu_run_cli(args, &iout, &ierr), 0);
    cJSON *ij = cJSON_Parse(iout);
    ck_assert_ptr_nonnull(ij);
    ck_assert_double_eq(jnum(j, "streets_read"), jnum(ij, "street_lines"));
    ck_assert_double_eq(jnum(j, "terminals") + jnum(j, "unreachable"),
                        jnum(ij, "dwelling_buildings"));
    cJSON_Delete(ij);
    free(iout);
    free(ierr);
    ck_assert_double_gt(jnum(j, "street_m"), 100000);
    ck_assert_double_gt(jnum(j, "blocks"), 100);
    const cJSON *st = cJSON_GetObjectItem(j, "steiner");
    ck_assert_double_eq(jnum(st, "terminals"), jnum(j, "terminals") + 1);
    ck_assert_double_lt(jnum(st, "nodes"), jnum(j, "nodes"));

    /* the GeoPackage: five layers, as many edges as counted */
    GDALAllRegister();
    GDALDatasetH g = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(GDALDatasetGetLayerCount(g), 5);
    OGRLayerH le = GDALDatasetGetLayerByName(g, "edges");
    ck_assert_ptr_nonnull(le);
    ck_assert_int_eq((int)OGR_L_GetFeatureCount(le, TRUE), (int)jnum(j, "edges"));
    OGRLayerH ld = GDALDatasetGetLayerByName(g, "drops");
    ck_assert_int_eq((int)OGR_L_GetFeatureCount(ld, TRUE), (int)jnum(j, "drops"));
    OGRLayerH lu = GDALDatasetGetLayerByName(g, "unreachable");
    ck_assert_int_eq((int)OGR_L_GetFeatureCount(lu, TRUE), (int)jnum(j, "unreachable"));
    GDALClose(g);

    /* the SteinLib file */
    char *text = tu_read_file(stp, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert(strncmp(text, "33D32945 STP File", 17) == 0);
    char want[64];
    snprintf(want, sizeof want, "Terminals %d\n", (int)jnum(st, "terminals"));
    ck_assert_ptr_nonnull(strstr(text, want));
    snprintf(want, sizeof want, "Edges %d\n", (int)jnum(st, "edges"));
    ck_assert_ptr_nonnull(strstr(text, want));
    ck_assert_ptr_nonnull(strstr(text, "\nEOF"));
    free(text);
    cJSON_Delete(j);
    free(errout);

    /* same again: byte-identical .stp */
    char stp2[1024], *out = NULL;
    snprintf(stp2, sizeof stp2, "%s/net2.stp", tmp);
    snprintf(args, sizeof args, "--quiet network '%s/scenarios/olemps.ini' --stp '%s'",
             FP_SOURCE_DIR, stp2);
    ck_assert_int_eq(tu_run_cli(args, &out, &errout), 0);
    ck_assert_ptr_nonnull(strstr(out, "terminals"));
    free(out);
    free(errout);
    char *a = tu_read_file(stp, NULL), *b = tu_read_file(stp2, NULL);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    tu_rmtree(tmp);
    free(tmp);
}
END_TEST

START_TEST(cli_bad_streets_fixture)
{
    char *tmp = tu_tmpdir();
    char args[4096], gpkg[1024];
    snprintf(gpkg, sizeof gpkg, "%s/bad.gpkg", tmp);
    /* a temporary left by a killed run (no such process) is swept */
    char stale[1100];
    snprintf(stale, sizeof stale, "%s/" FP_FS_TMP_PREFIX "999999999-1-bad.gpkg", tmp);
    ck_assert_int_eq(tu_write_file(stale, "junk"), 0);
    snprintf(args, sizeof args, "network '%s/network/bad_streets.ini' --json --out '%s'",
             FP_TEST_DATA, gpkg);
    char *out = NULL, *errout = NULL;
    cJSON *j = cli_json(args, &errout);
    /* the repairs are reported as warnings, with counts */
    ck_assert_int_ne(access(stale, F_OK), 0);
    ck_assert_ptr_nonnull(strstr(errout, "1 duplicate lines merged"));
    ck_assert_ptr_nonnull(strstr(errout, "50.0 m of overlapping lines merged"));
    /* each unreachable building is named: file, layer, feature id, why */
    ck_assert_ptr_nonnull(strstr(errout, "buildings.geojson: layer buildings: feature 1 'far' "
                                         "(1 dwellings): 410.0 m from the nearest street, not "
                                         "connected (too far)"));
    ck_assert_ptr_nonnull(strstr(errout, "feature 3 'island' (3 dwellings): not connected (its "
                                         "street reaches no site)"));
    const cJSON *rep = cJSON_GetObjectItem(j, "repairs");
    ck_assert_double_eq(jnum(rep, "duplicate_lines"), 1);
    ck_assert_double_eq(jnum(rep, "zero_length_segments"), 1);
    ck_assert_double_eq(jnum(rep, "snapped_endpoints"), 1);
    ck_assert_double_eq(jnum(rep, "overlap_m"), 50);
    ck_assert_double_eq(jnum(j, "street_m"), 600);
    /* near and end (through the snapped gap) reach the root */
    ck_assert_double_eq(jnum(j, "terminals"), 2);
    ck_assert_double_eq(jnum(j, "components"), 2);
    const cJSON *ub = cJSON_GetObjectItem(j, "unreachable_by");
    ck_assert_double_eq(jnum(ub, "too_far"), 1);
    ck_assert_double_eq(jnum(ub, "disconnected"), 1);
    ck_assert_double_eq(jnum(j, "buildings_without_dwellings"), 1);
    ck_assert_double_eq(jnum(j, "root_link_m"), 10);
    cJSON_Delete(j);
    free(errout);

    GDALAllRegister();
    GDALDatasetH g = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    OGRLayerH lu = GDALDatasetGetLayerByName(g, "unreachable");
    ck_assert_int_eq((int)OGR_L_GetFeatureCount(lu, TRUE), 2);
    OGR_L_ResetReading(lu);
    OGRFeatureH f;
    int seen = 0;
    while ((f = OGR_L_GetNextFeature(lu))) {
        const char *id = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "building_id"));
        const char *why = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "reason"));
        double d = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "distance_m"));
        if (strcmp(id, "far") == 0) {
            ck_assert_str_eq(why, "too_far");
            ck_assert_double_eq_tol(d, hypot(90, 400), 1e-6);
            seen |= 1;
        } else {
            ck_assert_str_eq(id, "island");
            ck_assert_str_eq(why, "disconnected");
            seen |= 2;
        }
        ck_assert_ptr_nonnull(OGR_F_GetGeometryRef(f));
        OGR_F_Destroy(f);
    }
    ck_assert_int_eq(seen, 3);
    GDALClose(g);

    /* the central office 2 km from any street: a clear error, no output */
    snprintf(gpkg, sizeof gpkg, "%s/far.gpkg", tmp);
    snprintf(args, sizeof args, "network '%s/network/root_far.ini' --out '%s'", FP_TEST_DATA,
             gpkg);
    ck_assert_int_eq(tu_run_cli(args, &out, &errout), 1);
    ck_assert_ptr_nonnull(strstr(errout, "[sites] x, y: site 'CO' is 2000.0 m from the nearest "
                                         "street, farther than [network] max_link = 1000 m"));
    ck_assert_int_ne(access(gpkg, F_OK), 0);
    free(out);
    free(errout);
    tu_rmtree(tmp);
    free(tmp);
}
END_TEST

START_TEST(cli_infra_fixture)
{
    char *tmp = tu_tmpdir();
    char args[4096], gpkg[1024];
    snprintf(gpkg, sizeof gpkg, "%s/infra.gpkg", tmp);
    snprintf(args, sizeof args, "network '%s/network/with_infra.ini' --json --out '%s'",
             FP_TEST_DATA, gpkg);
    char *errout = NULL;
    cJSON *j = cli_json(args, &errout);
    ck_assert_double_eq(jnum(j, "duct_reuse_m"), 200);
    ck_assert_double_eq(jnum(j, "aerial_m"), 180);
    ck_assert_double_eq(jnum(j, "street_m"), 600 + 180);
    const cJSON *inf = cJSON_GetObjectItem(j, "infra");
    ck_assert_double_eq(jnum(inf, "lines_matched"), 1);
    ck_assert_double_eq(jnum(inf, "lines_added"), 1);
    ck_assert_double_eq(jnum(inf, "poles_ignored"), 1);
    cJSON_Delete(j);
    free(errout);
    /* the edges' costs follow the scenario's prices */
    GDALAllRegister();
    GDALDatasetH g = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    OGRLayerH le = GDALDatasetGetLayerByName(g, "edges");
    OGRFeatureH f;
    double duct = 0, aerial = 0;
    int reuse = 0;
    while ((f = OGR_L_GetNextFeature(le))) {
        const char *kind = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind"));
        double cost = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "cost_eur"));
        if (strcmp(kind, "duct") == 0)
            duct += cost;
        if (strcmp(kind, "aerial") == 0)
            aerial += cost;
        reuse += OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "reuse"));
        OGR_F_Destroy(f);
    }
    ck_assert_double_eq_tol(duct, 6.0 * 200, 1e-6);
    ck_assert_double_eq_tol(aerial, 11.0 * 180, 1e-6);
    ck_assert_int_ge(reuse, 3);
    GDALClose(g);
    tu_rmtree(tmp);
    free(tmp);
}
END_TEST

START_TEST(cli_errors)
{
    char *out = NULL, *errout = NULL;
    ck_assert_int_eq(tu_run_cli("network", &out, &errout), 2);
    free(out);
    free(errout);
    ck_assert_int_eq(tu_run_cli("network x.ini --bogus", &out, &errout), 2);
    ck_assert_ptr_nonnull(strstr(errout, "--bogus"));
    free(out);
    free(errout);
    ck_assert_int_eq(tu_run_cli("network --help", &out, &errout), 0);
    ck_assert_ptr_nonnull(strstr(out, "--stp"));
    free(out);
    free(errout);
    char *tmp = tu_tmpdir();
    char ini[1024], text[2048], args[2048];
    snprintf(ini, sizeof ini, "%s/bad.ini", tmp);
    snprintf(text, sizeof text,
             "[buildings]\nsource = %s/data/olemps.gpkg\nlayer = batiment\n"
             "dwellings_field = NB_LOGTS\n[costs]\ndrop_fixed = -5\n",
             FP_SOURCE_DIR);
    ck_assert_int_eq(tu_write_file(ini, text), 0);
    snprintf(args, sizeof args, "network '%s'", ini);
    ck_assert_int_eq(tu_run_cli(args, &out, &errout), 1);
    ck_assert_ptr_nonnull(strstr(errout, "bad.ini:6: [costs] drop_fixed: -5 is negative"));
    free(out);
    free(errout);
    /* non-numeric and non-finite costs, through network and run: the error
     * comes before the (slow) load */
    static const char *const bad[][2] = {
        {"trench.residential = cheap", "bad.ini:6: [costs] trench.residential: 'cheap' is not a "
                                       "number"},
        {"aerial = nan", "bad.ini:6: [costs] aerial: 'nan' is not a finite number"},
        {"duct_reuse = inf", "bad.ini:6: [costs] duct_reuse: 'inf' is not a finite number"}};
    for (int i = 0; i < 3; i++) {
        snprintf(text, sizeof text,
                 "[buildings]\nsource = %s/data/olemps.gpkg\nlayer = batiment\n"
                 "dwellings_field = NB_LOGTS\n[costs]\n%s\n",
                 FP_SOURCE_DIR, bad[i][0]);
        ck_assert_int_eq(tu_write_file(ini, text), 0);
        snprintf(args, sizeof args, "%s '%s' --report-dir '%s/r'", i == 1 ? "run" : "network",
                 ini, tmp);
        if (i != 1)
            *strstr(args, " --report-dir") = '\0';
        ck_assert_int_eq(tu_run_cli(args, &out, &errout), 1);
        ck_assert_msg(strstr(errout, bad[i][1]), "%s", errout);
        ck_assert_msg(strchr(errout, '\n') == errout + strlen(errout) - 1, "not one line: %s",
                      errout);
        free(out);
        free(errout);
    }
    tu_rmtree(tmp);
    free(tmp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("network");
    tcase_set_timeout(tc, 300); /* the CLI tests load Olemps, slow under sanitizers */
    tcase_add_test(tc, noding_crossing_and_touching);
    tcase_add_test(tc, snapping_tolerance);
    tcase_add_test(tc, snapping_undershoot_onto_line);
    tcase_add_test(tc, building_drop_on_right_edge);
    tcase_add_test(tc, duct_and_aerial_reuse);
    tcase_add_test(tc, pole_chains_make_aerial_edges);
    tcase_add_test(tc, unreachable_and_disconnected);
    tcase_add_test(tc, root_out_of_reach);
    tcase_add_test(tc, root_near_island_goes_to_main);
    tcase_add_test(tc, blocks_from_faces_and_attribute);
    tcase_add_test(tc, bad_streets_repaired_and_counted);
    tcase_add_test(tc, compact_sgraph);
    tcase_add_test(tc, compact_sgraph_parallel_and_loop);
    tcase_add_test(tc, compact_sgraph_several_sites);
    tcase_add_test(tc, site_on_island_feeds_it);
    tcase_add_test(tc, random_networks_keep_invariants);
    tcase_add_test(tc, trench_cost_classes);
    tcase_add_test(tc, excluded_classes);
    tcase_add_test(tc, drop_past_island_to_main);
    tcase_add_test(tc, costs_and_options_from_scenario);
    tcase_add_test(tc, cli_olemps);
    tcase_add_test(tc, cli_bad_streets_fixture);
    tcase_add_test(tc, cli_infra_fixture);
    tcase_add_test(tc, cli_errors);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
