/* bench_reduce: the solver's first reduction phase (components, degree
 * tests, special-distance rounds as in fp_steiner_solve) on SteinLib / PACE
 * instances.
 *
 *   bench_reduce FILE...
 *
 * Prints, per instance, nodes / edges / terminals before and after, the
 * fixed cost and the time of the phase, then the totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reduce.h"
#include "stp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int live_edges(const fp_rgraph *r)
{
    int m = 0;
    for (int e = 0; e < r->m; e++)
        m += r->ealive[e];
    return m;
}

static int live_nodes(const fp_rgraph *r)
{
    int n = 0;
    for (int v = 0; v < r->n; v++)
        n += r->nalive[v] && (r->deg[v] > 0 || r->term[v]);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_reduce FILE...\n");
        return 2;
    }
    double ttot = 0;
    int effort = getenv("BR_EFFORT") ? atoi(getenv("BR_EFFORT")) : 60;
    long e0tot = 0, e1tot = 0;
    printf("%-14s %6s %7s %5s -> %6s %7s %5s %10s %8s\n", "instance", "nodes", "edges", "terms",
           "nodes", "edges", "terms", "fixed", "seconds");
    for (int a = 1; a < argc; a++) {
        fp_sgraph *g = NULL;
        fp_error err;
        if (fp_stp_read(argv[a], &g, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double t0 = now();
        fp_rgraph *r = fp_rgraph_create(g);
        int changed = 0;
        if (!r || fp_reduce_components(r, &err) || fp_reduce_degree(r, &changed, &err)) {
            fprintf(stderr, "%s: reduction failed\n", argv[a]);
            return 1;
        }
        for (int round = 0; round < 6 && r->n_terms > 1; round++) {
            int d = fp_reduce_sd(r, effort);
            if (d < 0 || fp_reduce_degree(r, &changed, &err)) {
                fprintf(stderr, "%s: reduction failed\n", argv[a]);
                return 1;
            }
            if (getenv("BR_VERBOSE"))
                fprintf(stderr, "  round %d: %d deleted, %d changed, %d edges, %.3f s\n", round, d,
                        changed, live_edges(r), now() - t0);
            if ((d == 0 && changed == 0) || d < live_edges(r) / 100)
                break;
        }
        double t = now() - t0;
        if (getenv("BR_VERBOSE")) {
            int hist[8] = {0};
            for (int v = 0; v < r->n; v++)
                if (r->nalive[v] && !r->term[v])
                    hist[r->deg[v] < 7 ? r->deg[v] : 7]++;
            fprintf(stderr, "  non-terminal degrees 0..6,7+: %d %d %d %d %d %d %d %d\n", hist[0],
                    hist[1], hist[2], hist[3], hist[4], hist[5], hist[6], hist[7]);
        }
        const char *base = strrchr(argv[a], '/');
        base = base ? base + 1 : argv[a];
        int m1 = live_edges(r);
        printf("%-14s %6d %7d %5d -> %6d %7d %5d %10g %8.3f\n", base, g->n_nodes, g->n_edges,
               fp_sgraph_n_terminals(g), live_nodes(r), m1, r->n_terms, r->fixed_cost, t);
        fflush(stdout);
        ttot += t;
        e0tot += g->n_edges;
        e1tot += m1;
        fp_rgraph_free(r);
        fp_sgraph_free(g);
    }
    printf("total: edges %ld -> %ld, %.3f s\n", e0tot, e1tot, ttot);
    return 0;
}
