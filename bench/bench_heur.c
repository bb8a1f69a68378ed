/* bench_heur: the Steiner heuristics on a SteinLib / PACE instance after
 * the solver's first reductions.
 *
 *   bench_heur FILE [STARTS]
 *
 * Prints, for the first few roots, the SPH tree cost and the cost after
 * the local search with their times, then fp_heur_run's cost and time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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
        fprintf(stderr, "usage: bench_heur FILE [STARTS]\n");
        return 2;
    }
    int starts = argc > 2 ? atoi(argv[2]) : 16;
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
        int d = fp_reduce_sd(r, 60);
        fp_reduce_degree(r, &changed, &err);
        if (d <= 0)
            break;
    }
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    fp_heur *h = fp_heur_create(cg);
    unsigned char *sol = calloc((size_t)cg->m + 1, 1);
    printf("%s: %d nodes %d edges %d terminals, fixed %g\n", argv[1], cg->n, cg->m, cg->n_terms,
           r->fixed_cost);
    int shown = 0;
    for (int v = 0; v < cg->n && shown < 3; v++) {
        if (!cg->term[v])
            continue;
        shown++;
        double t0 = now(), c = fp_heur_sph(h, v, NULL, sol), t1 = now();
        double c2 = fp_heur_improve(h, sol, 0), t2 = now();
        printf("root %d: sph %g (%.3f s) -> ls %g (%.3f s)%s\n", v, c + r->fixed_cost, t1 - t0,
               c2 + r->fixed_cost, t2 - t1, fp_heur_check(cg, sol, NULL) ? "" : " INVALID");
    }
    const char *load = getenv("BH_LOAD"), *dump = getenv("BH_DUMP");
    if (load) {
        FILE *f = fopen(load, "rb");
        if (!f || fread(sol, 1, (size_t)cg->m, f) != (size_t)cg->m)
            return 1;
        fclose(f);
        double c0 = 0;
        fp_heur_check(cg, sol, &c0);
        double tl = now(), cl = fp_heur_improve(h, sol, 0);
        printf("loaded %g -> ls %g (%.3f s)\n", c0 + r->fixed_cost, cl + r->fixed_cost, now() - tl);
        return 0;
    }
    double t0 = now(), c = fp_heur_run(h, starts, 1, sol), t1 = now();
    if (dump) {
        FILE *f = fopen(dump, "wb");
        if (f) {
            fwrite(sol, 1, (size_t)cg->m, f);
            fclose(f);
        }
    }
    printf("run(%d): %g (%.3f s)%s\n", starts, c + r->fixed_cost, t1 - t0,
           fp_heur_check(cg, sol, NULL) ? "" : " INVALID");
    free(sol);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
    return 0;
}
