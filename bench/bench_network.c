/* bench_network: time and peak memory of building the network model.
 *
 *   bench_network [SCENARIO...]   (default: scenarios/monaco.ini, run from
 *                                  the repo root)
 *
 * For each scenario: load (not timed in "build"), fp_network_build and
 * fp_network_to_sgraph. A scenario without a site gets one at the centre of
 * its extent so that the Steiner graph can be built. Then synthetic street
 * grids of growing size, each line broken in two with a 0.3 m digitising
 * gap, one building a block, a duct along every horizontal street: the
 * build time should grow as n log n
 * (FP_BENCH_GRID_MAX=200 adds a 200x200 grid).
 * Prints a table; never fails on timing. */
#include "load.h"
#include "network.h"
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of this process: the machine may be shared, so wall time
 * alone can mislead. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* Stage timings on stderr with FP_BENCH_STAGES=1. */
static void stage_cb(void *ud, const char *stage, double done, double total, const char *detail)
{
    (void)total;
    double *t0 = ud;
    if (getenv("FP_BENCH_STAGES"))
        fprintf(stderr, "  %s %.0f %-28s %.3f s\n", stage, done, detail ? detail : "",
                now() - *t0);
}

static void row(const char *name, const fp_dataset *ds, const fp_network *net,
                const fp_sgraph *g, double t_load, double t_build, double c_build, double t_sg)
{
    printf("%-22s %8zu %8zu %8zu %8zu %8zu %7zu %6d %7.2f %7.2f %7.2f %7.2f %8.1f\n", name,
           ds->n_streets, ds->n_buildings, net->n_nodes, net->n_edges,
           net->stats.n_terminals, net->n_unreachable, g ? g->n_nodes : 0, t_load, t_build,
           c_build, t_sg, peak_mb());
    fflush(stdout);
}

/* Builds ds's network (*net, caller frees) and its compact Steiner graph,
 * timing both, and prints the row (t_load: the load time, 0 if none).
 * Returns 0, or 1 with *err set. */
static int build_and_row(const char *name, const fp_dataset *ds, const fp_costs *c,
                         const fp_network_opts *no, double t_load, fp_network **net,
                         fp_error *err)
{
    fp_sgraph *g = NULL;
    int *off = NULL, *map = NULL, rc = 1;
    double t1 = now(), c1 = cpu();
    fp_log lg = {NULL, stage_cb, &t1};
    *net = fp_network_build(ds, c, no, &lg, err);
    if (!*net)
        return 1;
    double t2 = now(), c2 = cpu();
    if (fp_network_to_sgraph(*net, &g, &off, &map, err))
        goto out;
    double t3 = now();
    row(name, ds, *net, g, t_load, t2 - t1, c2 - c1, t3 - t2);
    rc = 0;
out:
    fp_sgraph_free(g);
    free(off);
    free(map);
    return rc;
}

static int run_scenario(const char *path)
{
    fp_error err;
    fp_error_clear(&err);
    fp_load_opts o;
    memset(&o, 0, sizeof o);
    fp_costs c;
    fp_network_opts no;
    fp_dataset *ds = NULL;
    fp_network *net = NULL;
    int rc = 1;
    fp_scenario *sc = fp_scenario_load(path, &err);
    if (!sc || fp_load_opts_from_scenario(sc, &o, &err) || fp_costs_from_scenario(sc, &c, &err) ||
        fp_network_opts_from_scenario(sc, &no, &err))
        goto out;
    double t0 = now();
    ds = fp_load(&o, NULL, &err);
    if (!ds)
        goto out;
    if (ds->n_sites == 0) {
        ds->sites = calloc(1, sizeof *ds->sites);
        if (!ds->sites)
            goto out;
        ds->n_sites = 1;
        ds->sites[0].fid = -1;
        snprintf(ds->sites[0].id, sizeof ds->sites[0].id, "centre");
        ds->sites[0].x = 0.5 * (ds->minx + ds->maxx);
        ds->sites[0].y = 0.5 * (ds->miny + ds->maxy);
    }
    rc = build_and_row(fp_scenario_name(sc), ds, &c, &no, now() - t0, &net, &err);
out:
    if (rc)
        fprintf(stderr, "bench_network: %s: %s\n", path, err.msg);
    fp_network_free(net);
    fp_dataset_free(ds);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return rc;
}

/* An n x n grid of 100 m blocks; every street line is cut in the middle
 * with a 0.3 m gap that snapping must close. */
static int run_grid(int n)
{
    fp_error err;
    fp_error_clear(&err);
    fp_dataset *ds = fp_dataset_create();
    fp_network *net = NULL;
    int rc = 1;
    if (!ds)
        return 1;
    GEOSContextHandle_t h = ds->geos;
    size_t ns = (size_t)2 * (size_t)(n + 1) * (size_t)n * 2, nb = (size_t)n * (size_t)n;
    ds->streets = calloc(ns, sizeof *ds->streets);
    ds->buildings = calloc(nb, sizeof *ds->buildings);
    ds->sites = calloc(1, sizeof *ds->sites);
    if (!ds->streets || !ds->buildings || !ds->sites)
        goto out;
    for (int i = 0; i <= n; i++)
        for (int j = 0; j < n; j++)
            for (int dir = 0; dir < 2; dir++)
                for (int half = 0; half < 2; half++) {
                    double a = 100.0 * j + (half ? 50.15 : 0), b = 100.0 * j + (half ? 100 : 49.85);
                    double xy[4];
                    if (dir == 0) {
                        xy[0] = a, xy[1] = 100.0 * i, xy[2] = b, xy[3] = 100.0 * i;
                    } else {
                        xy[0] = 100.0 * i, xy[1] = a, xy[2] = 100.0 * i, xy[3] = b;
                    }
                    GEOSCoordSequence *s = GEOSCoordSeq_copyFromBuffer_r(h, xy, 2, 0, 0);
                    fp_street *st = &ds->streets[ds->n_streets++];
                    st->fid = (long long)ds->n_streets;
                    st->geom = GEOSGeom_createLineString_r(h, s);
                    st->length = b - a;
                }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            fp_building *b = &ds->buildings[ds->n_buildings++];
            b->fid = (long long)ds->n_buildings;
            b->geom = GEOSGeom_createRectangle_r(h, 100.0 * i + 20, 100.0 * j + 10,
                                                 100.0 * i + 35, 100.0 * j + 25);
            b->area = 225;
            b->levels = 1;
            b->dwellings = 1;
        }
    /* a duct 1.5 m beside every horizontal street, in 100 m pieces */
    ds->infra = calloc((size_t)(n + 1) * (size_t)n, sizeof *ds->infra);
    if (!ds->infra)
        goto out;
    for (int i = 0; i <= n; i++)
        for (int j = 0; j < n; j++) {
            double xy[4] = {100.0 * j, 100.0 * i + 1.5, 100.0 * j + 100, 100.0 * i + 1.5};
            GEOSCoordSequence *s = GEOSCoordSeq_copyFromBuffer_r(h, xy, 2, 0, 0);
            fp_infra *f = &ds->infra[ds->n_infra++];
            f->fid = (long long)ds->n_infra;
            f->geom = GEOSGeom_createLineString_r(h, s);
            f->kind = FP_INFRA_DUCT;
        }
    ds->n_sites = 1;
    ds->sites[0].fid = -1;
    ds->sites[0].x = -10;
    ds->sites[0].y = -10;
    ds->maxx = ds->maxy = 100.0 * n;
    char name[64];
    snprintf(name, sizeof name, "grid %dx%d", n, n);
    if (build_and_row(name, ds, NULL, NULL, 0, &net, &err))
        goto out;
    if (net->stats.duct_m < 0.99 * 100.0 * n * (n + 1))
        fprintf(stderr, "bench_network: %s: only %.0f m of duct reuse\n", name, net->stats.duct_m);
    if (net->stats.n_components != 1)
        fprintf(stderr, "bench_network: %s: %zu components (gaps not closed)\n", name,
                net->stats.n_components);
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "bench_network: grid %d: %s\n", n, err.msg);
    fp_network_free(net);
    fp_dataset_free(ds);
    return rc;
}

int main(int argc, char **argv)
{
    printf("%-22s %8s %8s %8s %8s %8s %7s %6s %7s %7s %7s %7s %8s\n", "instance", "streets",
           "bldgs", "nodes", "edges", "terms", "unreach", "sg_n", "load_s", "build_s", "cpu_s",
           "sg_s", "peak_MB");
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            rc |= run_scenario(argv[i]);
    } else {
        rc |= run_scenario("scenarios/monaco.ini");
    }
    /* FP_BENCH_GRID_MAX=200 adds a 160,000-line grid */
    const char *gm = getenv("FP_BENCH_GRID_MAX");
    int grid_max = gm ? atoi(gm) : 100;
    for (int n = 25; n <= grid_max; n *= 2)
        rc |= run_grid(n);
    return rc ? 1 : 0;
}
