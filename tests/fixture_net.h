/* fixture_net: a small hand-made dataset + network + solution shared by the
 * plan, report, export and store suites (header-only: each suite is its own
 * executable). Coordinates are Lambert-93 (EPSG:2154) near Olemps.
 *
 *   root(0) -link 10m- J0(1) -trench "chemin" 100m- J1(2) -duct 100m- J2(3) -trench "route" 100m- J4(9)
 *                                                  |                |   \                          |
 *                                           aerial 100m         drop 20 drop 10                 drop 20
 *                                                  |                |     \                         |
 *                                               J3(4)            B1(6)   B3(8)                   B4(10)
 *                                                  | drop 20
 *                                               B2(7)          and B0(5) hangs on J1 by a 20 m drop.
 *
 * Solution: edges 0..6 (root, J0..J3, B0, B1, B2). B3 is passed (its street
 * point J2 is on the tree), B4 is not connected, B5 has no node
 * (unreachable), B6 is non-residential. Edge 10 (J3-J2) only serves the
 * cycle test. Costs: see test_plan.c for the hand computation. */
#ifndef FP_FIXTURE_NET_H
#define FP_FIXTURE_NET_H

#include "dataset.h"
#include "network.h"
#include "plan.h"

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FX_X0 637000.0
#define FX_Y0 6358000.0
#define FX_NE 11

typedef struct fx {
    fp_dataset *ds;
    fp_network *net;
    unsigned char in_tree[FX_NE];
} fx;

static inline GEOSGeometry *fx_wkt(fp_dataset *ds, const char *wkt)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ds->geos);
    GEOSGeometry *g = GEOSWKTReader_read_r(ds->geos, r, wkt);
    GEOSWKTReader_destroy_r(ds->geos, r);
    return g;
}

static inline GEOSGeometry *fx_square(fp_dataset *ds, double cx, double cy, double h)
{
    char w[512];
    double x = FX_X0 + cx, y = FX_Y0 + cy;
    snprintf(w, sizeof w, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x - h,
             y - h, x + h, y - h, x + h, y + h, x - h, y + h, x - h, y - h);
    return fx_wkt(ds, w);
}

static inline void fx_edge(fp_network *n, int i, int u, int v, fp_edge_kind k, const char *cls,
                           double len, double cost)
{
    fp_net_edge *e = &n->edges[i];
    e->u = u;
    e->v = v;
    e->kind = k;
    snprintf(e->cls, sizeof e->cls, "%s", cls);
    e->street = -1;
    e->length = len;
    e->cost = cost;
    e->n_pts = 2;
    e->xy = malloc(4 * sizeof(double));
    e->xy[0] = n->nodes[u].x;
    e->xy[1] = n->nodes[u].y;
    e->xy[2] = n->nodes[v].x;
    e->xy[3] = n->nodes[v].y;
}

static inline void fx_free(fx *f)
{
    if (f->net) {
        for (size_t i = 0; i < f->net->n_edges; i++)
            free(f->net->edges[i].xy);
        for (size_t i = 0; i < f->net->n_blocks; i++)
            if (f->net->blocks[i].geom)
                GEOSGeom_destroy_r(f->ds->geos, f->net->blocks[i].geom);
        free(f->net->nodes);
        free(f->net->edges);
        free(f->net->building_node);
        free(f->net->building_block);
        free(f->net->blocks);
        free(f->net->unreachable);
        free(f->net);
    }
    fp_dataset_free(f->ds);
    memset(f, 0, sizeof *f);
}

static inline void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    fp_dataset *ds = f->ds = fp_dataset_create();
    ds->epsg = 2154;
    snprintf(ds->crs_name, sizeof ds->crs_name, "RGF93 v1 / Lambert-93");
    /* Buildings B0..B6: centre, dwellings, opted-out, elderly. */
    static const double bc[7][2] = {{100, -30}, {200, -30}, {120, 110}, {220, 15},
                                    {300, 30},  {400, 200}, {-50, 60}};
    static const int dw[7] = {10, 3, 1, 2, 5, 4, 0};
    ds->n_buildings = 7;
    ds->buildings = calloc(7, sizeof *ds->buildings);
    for (int i = 0; i < 7; i++) {
        fp_building *b = &ds->buildings[i];
        b->fid = 100 + i;
        snprintf(b->id, sizeof b->id, "BATIMENT%04d", i);
        b->geom = fx_square(ds, bc[i][0], bc[i][1], i == 0 ? 9 : 5);
        b->area = i == 0 ? 324 : 100;
        b->levels = i == 0 ? 4 : 1;
        b->dwellings = dw[i];
        b->dw_source = i == 6 ? FP_DW_NONRES : (i == 4 ? FP_DW_ESTIMATED : FP_DW_GIVEN);
        snprintf(b->usage, sizeof b->usage, "%s", i == 6 ? "Commercial" : "Résidentiel");
        b->priority = 1;
        b->smart_optout = i == 1 ? 1 : 0;
        b->elderly = i == 2;
    }
    /* Streets along the network's street edges, plus one unused. */
    static const double st[5][4] = {{0, 0, 100, 0}, {100, 0, 200, 0}, {200, 0, 300, 0},
                                    {100, 0, 100, 100}, {300, 0, 400, 180}};
    ds->n_streets = 5;
    ds->streets = calloc(5, sizeof *ds->streets);
    for (int i = 0; i < 5; i++) {
        char w[256];
        snprintf(w, sizeof w, "LINESTRING(%.3f %.3f,%.3f %.3f)", FX_X0 + st[i][0],
                 FX_Y0 + st[i][1], FX_X0 + st[i][2], FX_Y0 + st[i][3]);
        ds->streets[i].fid = i + 1;
        ds->streets[i].geom = fx_wkt(ds, w);
        snprintf(ds->streets[i].cls, FP_CLASS_MAX, "%s", i == 0 ? "chemin" : "route");
    }
    ds->minx = FX_X0 - 60;
    ds->miny = FX_Y0 - 40;
    ds->maxx = FX_X0 + 410;
    ds->maxy = FX_Y0 + 210;

    fp_network *n = f->net = calloc(1, sizeof *n);
    n->ds = ds;
    memset(&n->costs, 0, sizeof n->costs);
    n->costs.trench_default = 80;
    n->costs.duct_reuse = 15;
    n->costs.aerial = 12;
    n->costs.drop_fixed = 300;
    n->costs.drop_per_m = 10;
    n->costs.building_fixed = 500;
    n->costs.cable_per_fibre_m = 0.05;
    n->costs.spare_ratio = 0.2;
    n->costs.smart_kit = 200;
    n->costs.smart_surcharge = 0.1;
    static const double nc[11][2] = {{-10, 0},   {0, 0},   {100, 0},  {200, 0},
                                     {100, 100}, {100, -30}, {200, -30}, {120, 110},
                                     {220, 15},  {300, 0},  {300, 30}};
    static const int nb[11] = {-1, -1, -1, -1, -1, 0, 1, 2, 3, -1, 4};
    n->n_nodes = 11;
    n->nodes = calloc(11, sizeof *n->nodes);
    for (int i = 0; i < 11; i++) {
        n->nodes[i].x = FX_X0 + nc[i][0];
        n->nodes[i].y = FX_Y0 + nc[i][1];
        n->nodes[i].kind = i == 0 ? FP_NODE_ROOT : nb[i] >= 0 ? FP_NODE_BUILDING : FP_NODE_JUNCTION;
        n->nodes[i].building = nb[i];
    }
    n->root = 0;
    n->n_edges = FX_NE;
    n->edges = calloc(FX_NE, sizeof *n->edges);
    fx_edge(n, 0, 0, 1, FP_EDGE_LINK, "", 10, 500);
    fx_edge(n, 1, 1, 2, FP_EDGE_TRENCH, "chemin", 100, 8000);
    fx_edge(n, 2, 2, 3, FP_EDGE_DUCT, "route", 100, 1500);
    fx_edge(n, 3, 2, 4, FP_EDGE_AERIAL, "route", 100, 1200);
    fx_edge(n, 4, 2, 5, FP_EDGE_DROP, "", 20, 1000);
    fx_edge(n, 5, 3, 6, FP_EDGE_DROP, "", 20, 1000);
    fx_edge(n, 6, 4, 7, FP_EDGE_DROP, "", 20, 1000);
    fx_edge(n, 7, 3, 8, FP_EDGE_DROP, "", 10, 900);
    fx_edge(n, 8, 3, 9, FP_EDGE_TRENCH, "route", 100, 10000);
    fx_edge(n, 9, 9, 10, FP_EDGE_DROP, "", 20, 1000);
    fx_edge(n, 10, 4, 3, FP_EDGE_TRENCH, "route", 141, 100);
    n->building_node = malloc(7 * sizeof(int));
    n->building_block = malloc(7 * sizeof(long));
    static const int bn[7] = {5, 6, 7, 8, 10, -1, -1};
    static const long bb[7] = {0, 0, 1, 0, 2, 2, -1};
    for (int i = 0; i < 7; i++) {
        n->building_node[i] = bn[i];
        n->building_block[i] = bb[i];
    }
    n->n_blocks = 3;
    n->blocks = calloc(3, sizeof *n->blocks);
    static const double bk[3][4] = {{60, -60, 260, -1}, {60, 1, 190, 160}, {261, -60, 460, 260}};
    for (int i = 0; i < 3; i++) {
        char w[512];
        double x0 = FX_X0 + bk[i][0], y0 = FX_Y0 + bk[i][1], x1 = FX_X0 + bk[i][2],
               y1 = FX_Y0 + bk[i][3];
        snprintf(w, sizeof w, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x0,
                 y0, x1, y0, x1, y1, x0, y1, x0, y0);
        snprintf(n->blocks[i].id, FP_ID_MAX, "B%d", i + 1);
        n->blocks[i].geom = fx_wkt(ds, w);
    }
    n->n_unreachable = 1;
    n->unreachable = calloc(1, sizeof *n->unreachable);
    n->unreachable[0].building = 5;
    n->unreachable[0].reason = FP_UNREACH_TOO_FAR;
    n->unreachable[0].distance = 212;
    for (int i = 0; i <= 6; i++)
        f->in_tree[i] = 1;
}

/* The plan of the fixture's solution with the default plan options, smart
 * kits on if smart; asserts it builds. Caller frees with fp_plan_free. */
static inline fp_plan *fx_plan(const fx *f, int smart)
{
    fp_plan_opts o;
    fp_plan_opts_default(&o);
    o.smart = smart;
    fp_error e;
    fp_error_clear(&e);
    fp_plan *p = fp_plan_build(f->net, f->in_tree, &o, NULL, &e);
    ck_assert_msg(p != NULL, "%s", e.msg);
    return p;
}

#endif
