/* bench_heur: the Steiner heuristics on SteinLib / PACE instances after
 * the solver's first reductions (as fp_steiner_solve does them).
 *
 *   bench_heur [-s STARTS] [-v] FILE...
 *
 * Prints one line a file: the reduced graph, fp_heur_run's cost (fixed
 * cost included) and its CPU seconds, then a second run with 2 starts on
 * a fresh handle (as the last stage does). With -v it first shows, for
 * three roots, the SPH tree and the local search on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heur.h"
#include "reduce.h"
#include "stp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int one(const char *file, int starts, int verbose, double *tsum)
{
    fp_sgraph *g = NULL;
    fp_error err;
    if (fp_stp_read(file, &g, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fp_rgraph *r = fp_rgraph_create(g);
    int changed = 0;
    if (!r || fp_reduce_components(r, &err) || fp_reduce_degree(r, &changed, &err)) {
        fprintf(stderr, "%s: reduction failed\n", file);
        return 1;
    }
    for (int round = 0; round < 6 && r->n_terms > 1; round++) {
        int d = fp_reduce_sd(r, 60);
        fp_reduce_degree(r, &changed, &err);
        int live = 0;
        for (int e = 0; e < r->m; e++)
            live += r->ealive[e];
        if ((d == 0 && changed == 0) || d < live / 100)
            break;
    }
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    fp_heur *h = fp_heur_create(cg);
    unsigned char *sol = calloc((size_t)cg->m + 1, 1);
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    if (verbose) {
        int shown = 0;
        fp_heur *h2 = fp_heur_create(cg);
        for (int v = 0; v < cg->n && shown < 3; v++) {
            if (!cg->term[v])
                continue;
            shown++;
            double t0 = now(), c = fp_heur_sph(h2, v, NULL, sol), t1 = now();
            double c2 = fp_heur_improve(h2, sol, 0), t2 = now();
            printf("  root %d: sph %g (%.3f s) -> ls %g (%.3f s)%s\n", v, c + r->fixed_cost,
                   t1 - t0, c2 + r->fixed_cost, t2 - t1,
                   fp_heur_check(cg, sol, NULL) ? "" : " INVALID");
        }
        fp_heur_free(h2);
    }
    double t0 = now(), c = fp_heur_run(h, starts, 1, sol), t1 = now();
    int ok = fp_heur_check(cg, sol, NULL);
    fp_heur *h3 = fp_heur_create(cg);
    double t2 = now(), c3 = fp_heur_run(h3, 2, 4, sol), t3 = now();
    ok = ok && fp_heur_check(cg, sol, NULL);
    printf("%-10s %5d %6d %4d  run(%d) %10g %7.3f s   run(2) %10g %7.3f s%s\n", base, cg->n,
           cg->m, cg->n_terms, starts, c + r->fixed_cost, t1 - t0, c3 + r->fixed_cost, t3 - t2,
           ok ? "" : " INVALID");
    tsum[0] += t1 - t0;
    tsum[1] += t3 - t2;
    fflush(stdout);
    fp_heur_free(h3);
    free(sol);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
    return 0;
}

int main(int argc, char **argv)
{
    int starts = 16, verbose = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc)
            starts = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: bench_heur [-s STARTS] [-v] FILE...\n");
        return 2;
    }
    double tsum[2] = {0, 0};
    int bad = 0;
    for (; i < argc; i++)
        bad |= one(argv[i], starts, verbose, tsum);
    printf("total CPU s: run %.3f, run(2) %.3f\n", tsum[0], tsum[1]);
    return bad;
}
