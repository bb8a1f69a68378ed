/* test_steiner: the whole pipeline (reductions, dual-ascent stages and
 * eliminations, last-stage tree, subset DP or branch-and-cut) against brute
 * force on random graphs large enough to reach the dual-ascent stages, with
 * several seeds; the log shows that the stages ran and eliminated. */
#include "sgraph.h"
#include "steiner.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Counts the dual-ascent stages that eliminated something. */
static void count_da(void *ud, fp_log_level level, const char *msg)
{
    (void)level;
    int *n = ud;
    const char *p = strstr(msg, "dual ascent bound");
    int del = 0;
    if (p && (p = strstr(p, "best")) && (p = strchr(p, ',')) && sscanf(p + 1, "%d", &del) == 1 &&
        del > 0)
        (*n)++;
}

START_TEST(pipeline_matches_brute_force)
{
    unsigned s = 777;
    int staged = 0;
    fp_log log = {count_da, NULL, &staged};
    for (int it = 0; it < 150; it++) {
        int n = 12 + (int)(tu_rnd(&s) % 7);
        /* dense enough that the reductions leave work for the stages */
        fp_sgraph *g = tu_random_graph(&s, n, 4 * n + (int)(tu_rnd(&s) % (unsigned)(3 * n)),
                                       4 + (int)(tu_rnd(&s) % 5), it % 2);
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        double bf = tu_steiner_brute_force(g);
        for (unsigned seed = 1; seed <= 2; seed++) {
            fp_steiner_opts o;
            fp_steiner_opts_default(&o);
            o.seed = seed;
            o.no_subset_dp = 1; /* the stages, not the DP (few terminals) */
            fp_steiner_result res;
            fp_error err;
            ck_assert_int_eq(fp_steiner_solve(g, &o, &log, &res, &err), 0);
            ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
            ck_assert_msg(fabs(res.cost - bf) < 1e-7, "instance %d seed %u: %g vs brute force %g",
                          it, seed, res.cost, bf);
            ck_assert_double_le(res.lower_bound, res.cost);
            double chk;
            ck_assert(fp_steiner_check(g, res.edge_in, &chk));
            ck_assert_double_eq_tol(chk, res.cost, 1e-9);
            fp_steiner_result_free(&res);
        }
        fp_sgraph_free(g);
    }
    /* some instances do reach the dual-ascent eliminations (the special-
     * distance, nearest-vertex and degree tests settle most of them first) */
    ck_assert_int_ge(staged, 10);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("steiner");
    TCase *tc = tcase_create("steiner");
    tcase_add_test(tc, pipeline_matches_brute_force);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
