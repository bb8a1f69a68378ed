/* bench_da: dual ascent on a SteinLib / PACE instance after the solver's
 * first reductions: bound, time and reduced-cost eliminations per root.
 *
 *   bench_da FILE [ROOTS] [UB]
 *
 * Prints, for ROOTS terminals (the highest-degree one first), the bound and
 * the time of the ascent, and how many vertices and edges the reduced-cost
 * tests would delete against UB (default: no elimination count). */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dualascent.h"
#include "heur.h"
#include "reduce.h"
#include "stp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_da FILE [ROOTS] [UB]\n");
        return 2;
    }
    int nroots = argc > 2 ? atoi(argv[2]) : 3;
    double ub = argc > 3 ? atof(argv[3]) : -1;
    fp_sgraph *g = NULL;
    fp_error err;
    if (fp_stp_read(argv[1], &g, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fp_rgraph *r = fp_rgraph_create(g);
    int changed = 0;
    if (!r || fp_reduce_components(r, &err) || fp_reduce_degree(r, &changed, &err)) {
        fprintf(stderr, "reduction failed\n");
        return 1;
    }
    for (int round = 0; round < 6; round++) {
        double ts = now();
        int d = fp_reduce_sd(r, 60);
        double td = now();
        fp_reduce_degree(r, &changed, &err);
        printf("sd round %d: %d deleted (%.3f s), degree %d (%.3f s)\n", round, d, td - ts, changed,
               now() - td);
        if (d <= 0)
            break;
    }
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    printf("%s: %d nodes %d edges %d terminals, fixed %g\n", argv[1], cg->n, cg->m, cg->n_terms,
           r->fixed_cost);
    double *rc = malloc(2 * (size_t)cg->m * sizeof *rc);
    double *eb = malloc((size_t)cg->m * sizeof *eb), *vb = malloc((size_t)cg->n * sizeof *vb);
    double *ebx = calloc((size_t)cg->m, sizeof *ebx), *vbx = calloc((size_t)cg->n, sizeof *vbx);
    double *w = malloc((size_t)cg->m * sizeof *w);
    unsigned char *ts = calloc((size_t)cg->m, 1);
    fp_heur *h = fp_heur_create(cg);
    int shown = 0, best_root = 0;
    for (int v = 0; v < cg->n; v++)
        if (cg->term[v] && cg->adj_start[v + 1] - cg->adj_start[v] >
                               cg->adj_start[best_root + 1] - cg->adj_start[best_root])
            best_root = v;
    double u = ub - r->fixed_cost, tda = 0;
    for (int v = -1; v < cg->n && shown < nroots; v++) {
        int root = v < 0 ? best_root : v;
        if (v >= 0 && (!cg->term[v] || v == best_root))
            continue;
        shown++;
        double lb = 0, lbp = 0, t0 = now();
        fp_da_run_cuts(cg, root, &lbp, rc, NULL);
        double t1 = now();
        fp_da_run(cg, root, &lb, rc);
        double t2 = now();
        tda += t2 - t1;
        printf("root %d: plain %g (%.3f s) requeued %g (%.3f s)", root, lbp + r->fixed_cost, t1 - t0,
               lb + r->fixed_cost, t2 - t1);
        if (ub >= 0) {
            fp_da_edge_bounds(cg, root, lb, rc, eb, vb);
            int de = 0, dv = 0, ue = 0, uv = 0;
            for (int e = 0; e < cg->m; e++) {
                de += eb[e] > u + 1e-9;
                if (eb[e] > ebx[e])
                    ebx[e] = eb[e];
                ue += ebx[e] > u + 1e-9;
            }
            for (int x = 0; x < cg->n; x++) {
                dv += vb[x] > u + 1e-9;
                if (vb[x] > vbx[x])
                    vbx[x] = vb[x];
                uv += vbx[x] > u + 1e-9;
            }
            printf(" elim %d edges %d nodes (union %d, %d) %.3f s", de, dv, ue, uv, now() - t2);
        }
        if (shown <= 3) {
            const char *mode = getenv("DA_W");
            for (int e = 0; e < cg->m; e++) {
                double a0 = rc[2 * e], a1 = rc[2 * e + 1], m0 = a0 < a1 ? a0 : a1;
                double c = cg->cost[e];
                if (!mode || mode[0] == 'a')
                    w[e] = m0 + 1e-9 * c;
                else if (mode[0] == 'b')
                    w[e] = m0 <= 1e-9 ? c : c + 1e6;
                else if (mode[0] == 'c')
                    w[e] = m0 + c;
                else
                    w[e] = mode[0] == 'z' ? c : m0 + atof(mode + 1) * c;
            }
            double t3 = now(), c = fp_heur_sph(h, root, w, ts), t4 = now();
            double c2 = fp_heur_improve(h, ts, fp_heur_effort(cg, 2000 + cg->n));
            printf(" guided %g (%.3f s) ls %g (%.3f s)", c + r->fixed_cost, t4 - t3,
                   c2 + r->fixed_cost, now() - t4);
        }
        printf("\n");
    }
    printf("ascent total %.3f s\n", tda);
    fp_heur_free(h);
    free(w);
    free(ts);
    free(eb);
    free(vb);
    free(ebx);
    free(vbx);
    free(rc);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
    return 0;
}
