/* bench_stress: differential check of the whole Steiner pipeline
 * (reductions, heuristics, dual ascent, branch-and-cut; the subset DP off)
 * against the subset DP alone (dw.c, itself tested against brute force),
 * on many random graphs larger than brute force can handle: sparse and
 * dense, integral costs with many ties, real costs, zero-cost edges, grids.
 * Prints the instances checked, the mismatches (each one a bug) and the time.
 *
 * usage: bench_stress [COUNT [SEED]]   (default 2000 instances, seed 1) */
#include "dw.h"
#include "reduce.h"
#include "sgraph.h"
#include "steiner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

/* Edge cost by family: 0 integral 1..10, 1 integral 1..3 (many ties),
 * 2 real, 3 integral 0..4 (zero-cost edges). */
static double cost_of(unsigned *s, int fam)
{
    switch (fam) {
    case 0:
        return 1 + rnd(s) % 10;
    case 1:
        return 1 + rnd(s) % 3;
    case 2:
        return 0.25 + (rnd(s) % 100000) / 977.0;
    default:
        return rnd(s) % 5;
    }
}

static fp_sgraph *random_instance(unsigned *s, int *fam_out)
{
    fp_error err;
    int shape = (int)(rnd(s) % 3), fam = (int)(rnd(s) % 4);
    /* mostly small, one in four up to 200 nodes (where more than degree
     * tests are needed and the branch-and-cut branches) */
    int n = rnd(s) % 4 ? 15 + (int)(rnd(s) % 46) : 60 + (int)(rnd(s) % 141);
    fp_sgraph *g;
    if (shape == 2) { /* a grid with a few holes */
        int w = 4 + (int)(rnd(s) % 5), h = n / w > 2 ? n / w : 3;
        n = w * h;
        g = fp_sgraph_create(n);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (x + 1 < w && rnd(s) % 10)
                    fp_sgraph_add_edge(g, y * w + x, y * w + x + 1, cost_of(s, fam), &err);
                if (y + 1 < h && rnd(s) % 10)
                    fp_sgraph_add_edge(g, y * w + x, (y + 1) * w + x, cost_of(s, fam), &err);
            }
    } else { /* a random tree plus extra edges: sparse or dense */
        g = fp_sgraph_create(n);
        for (int v = 1; v < n; v++)
            fp_sgraph_add_edge(g, v, (int)(rnd(s) % (unsigned)v), cost_of(s, fam), &err);
        int extra = shape == 0 ? n / 2 + (int)(rnd(s) % (unsigned)n) : 3 * n + (int)(rnd(s) % (unsigned)(5 * n));
        for (int i = 0; i < extra; i++) {
            int u = (int)(rnd(s) % (unsigned)n), v = (int)(rnd(s) % (unsigned)n);
            if (u != v)
                fp_sgraph_add_edge(g, u, v, cost_of(s, fam), &err);
        }
    }
    int k = 2 + (int)(rnd(s) % 11);
    for (int i = 0; i < k; i++)
        g->term[rnd(s) % (unsigned)n] = 1;
    *fam_out = fam;
    return g;
}

/* The subset DP's optimum on g's terminal component; NAN if it cannot. */
static double dp_optimum(const fp_sgraph *g)
{
    fp_error err;
    double c = NAN;
    fp_rgraph *r = fp_rgraph_create(g);
    if (!r || fp_reduce_components(r, &err)) {
        fp_rgraph_free(r);
        return NAN;
    }
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    unsigned char *sol = cg ? calloc((size_t)cg->m + 1, 1) : NULL;
    if (sol && cg->n_terms >= 2 && fp_dw_solve(cg, 0, 1e9, sol, &c) != 0)
        c = NAN;
    free(sol);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    return c;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    unsigned seed = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 1;
    unsigned s = seed * 2654435761u + 7;
    int checked = 0, wrong = 0, invalid = 0, unproven = 0;
    clock_t t0 = clock();
    for (int it = 0; it < count; it++) {
        int fam;
        fp_sgraph *g = random_instance(&s, &fam);
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        double dp = dp_optimum(g);
        if (isnan(dp)) { /* terminals apart: nothing to compare */
            fp_sgraph_free(g);
            continue;
        }
        fp_steiner_opts o;
        fp_steiner_opts_default(&o);
        o.no_subset_dp = 1;
        o.seed = (unsigned)it + 1;
        fp_steiner_result res;
        fp_error err;
        if (fp_steiner_solve(g, &o, NULL, &res, &err) != 0) {
            printf("instance %d: error %s\n", it, err.msg);
            wrong++;
        } else {
            double chk;
            checked++;
            if (!fp_steiner_check(g, res.edge_in, &chk) || fabs(chk - res.cost) > 1e-6 * (1 + chk)) {
                printf("instance %d (costs %d, n %d, m %d): tree invalid or miscosted\n", it, fam,
                       g->n_nodes, g->n_edges);
                invalid++;
            }
            if (res.status != FP_ST_OPTIMAL)
                unproven++;
            else if (fabs(res.cost - dp) > 1e-6 * (1 + dp)) {
                printf("instance %d (costs %d, n %d, m %d, k %d): claimed optimal %.10g, DP %.10g\n",
                       it, fam, g->n_nodes, g->n_edges, fp_sgraph_n_terminals(g), res.cost, dp);
                wrong++;
            }
        }
        fp_steiner_result_free(&res);
        fp_sgraph_free(g);
    }
    printf("stress: %d instances checked, %d wrong optima, %d invalid trees, %d unproven, %.1f s\n",
           checked, wrong, invalid, unproven, (double)(clock() - t0) / CLOCKS_PER_SEC);
    return wrong || invalid ? 1 : 0;
}
