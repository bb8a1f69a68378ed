/* bench_curve: the coverage curve of a real town.
 *
 *   bench_curve [SCENARIO] [--points N] [--gap G] [--smart] [--blocks]
 *               [--max-hull K] [--time-limit S] [--csv OUT] [--verbose]
 *   (time limit 60 s for the whole curve by default)
 *   (default scenarios/olemps.ini, run from the repo root; 20 points,
 *   gap 0.001 = 0.1 %)
 *
 * Loads the scenario, builds the network and its Steiner graph, weighs
 * every building by its dwellings (fp_budget_spec_from_network) and
 * computes the curve: hull breakpoints by parametric prize-collecting
 * trees, then N budget points from 0 to the cost of connecting everything.
 * Prints one row a point (budget, cost, dwellings covered, bound, gap,
 * status, hull) and the totals: points, worst gap, seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "budget.h"
#include "load.h"
#include "network.h"
#include "scenario.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void msg(void *ud, fp_log_level lv, const char *m)
{
    if (lv >= FP_LOG_INFO || *(int *)ud)
        fprintf(stderr, "  %s\n", m);
}

int main(int argc, char **argv)
{
    const char *path = "scenarios/olemps.ini", *csv = NULL;
    int points = 20, max_hull = 0, verbose = 0;
    double gap = 0.001, tlim = 60;
    fp_budget_params bp;
    fp_budget_params_default(&bp);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--points") == 0 && i + 1 < argc)
            points = atoi(argv[++i]);
        else if (strcmp(argv[i], "--gap") == 0 && i + 1 < argc)
            gap = atof(argv[++i]);
        else if (strcmp(argv[i], "--time-limit") == 0 && i + 1 < argc)
            tlim = atof(argv[++i]);
        else if (strcmp(argv[i], "--max-hull") == 0 && i + 1 < argc)
            max_hull = atoi(argv[++i]);
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
            csv = argv[++i];
        else if (strcmp(argv[i], "--smart") == 0)
            bp.smart = 1;
        else if (strcmp(argv[i], "--blocks") == 0)
            bp.blocks = 1;
        else
            path = argv[i];
    }
    fp_error err;
    fp_error_clear(&err);
    fp_load_opts o;
    memset(&o, 0, sizeof o);
    fp_costs c;
    fp_network_opts no;
    fp_dataset *ds = NULL;
    fp_network *net = NULL;
    fp_sgraph *g = NULL;
    int *off = NULL, *map = NULL, *grp = NULL, rc = 1;
    double *w = NULL, *k = NULL;
    fp_budget_point *pts = NULL;
    size_t np = 0;
    fp_scenario *sc = fp_scenario_load(path, &err);
    if (!sc || fp_load_opts_from_scenario(sc, &o, &err) || fp_costs_from_scenario(sc, &c, &err) ||
        fp_network_opts_from_scenario(sc, &no, &err))
        goto out;
    ds = fp_load(&o, NULL, &err);
    if (!ds)
        goto out;
    net = fp_network_build(ds, &c, &no, NULL, &err);
    if (!net || fp_network_to_sgraph(net, &g, &off, &map, &err))
        goto out;
    if (fp_budget_spec_from_network(net, g, &bp, &w, &k, &grp, &err))
        goto out;
    double tw = 0;
    for (int v = 0; v < g->n_nodes; v++)
        tw += w[v];
    printf("%s: graph %d nodes %d edges, %d terminals, %.0f dwellings%s%s\n",
           fp_scenario_name(sc), g->n_nodes, g->n_edges, fp_sgraph_n_terminals(g), tw,
           bp.smart ? ", smart costs" : "", bp.blocks ? ", blocks" : "");
    fp_budget_spec spec = {FP_BUDGET_COVER, 0, w, bp.smart ? k : NULL, grp};
    fp_curve_opts co;
    fp_curve_opts_default(&co);
    co.n_points = points;
    co.gap_limit = gap;
    co.time_limit = tlim;
    if (max_hull > 0)
        co.max_hull = max_hull;
    fp_log lg = {msg, NULL, &verbose};
    double t0 = now();
    if (fp_budget_curve(g, &spec, &co, &lg, &pts, &np, &err))
        goto out;
    double secs = now() - t0;
    printf("%14s %14s %10s %10s %8s %-10s %s\n", "budget", "cost", "dwellings", "bound",
           "gap%", "status", "hull");
    double worst = 0;
    int nhull = 0, within = 0;
    for (size_t i = 0; i < np; i++) {
        const fp_budget_point *q = &pts[i];
        printf("%14.2f %14.2f %10.1f %10.1f %8.4f %-10s %s\n", q->budget, q->cost, q->weight,
               q->bound, 100 * q->gap,
               q->status == FP_ST_OPTIMAL ? "optimal" : q->status == FP_ST_FEASIBLE ? "feasible"
                                                                                   : "infeasible",
               q->hull ? "hull" : "");
        if (q->gap > worst)
            worst = q->gap;
        nhull += q->hull;
        within += q->gap <= gap + 1e-12;
    }
    printf("points %zu (hull %d), within gap %d, worst gap %.4f%%, %.2f s\n", np, nhull, within,
           100 * worst, secs);
    if (csv && fp_budget_curve_csv(csv, pts, np, &err))
        goto out;
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "bench_curve: %s: %s\n", path, err.msg);
    free(pts);
    free(w);
    free(k);
    free(grp);
    fp_sgraph_free(g);
    free(off);
    free(map);
    fp_network_free(net);
    fp_dataset_free(ds);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return rc;
}
