/* test_dw: the subset dynamic programme against brute force on random
 * graphs, against the known optima of SteinLib b01, b02, b04, b05, b07 and
 * PACE instance011 (a hypercube-like puzzle the branch-and-cut cannot
 * prove within a minute), its deadline and its memory limit. */
#include "dw.h"
#include "heur.h"
#include "ilp.h"
#include "reduce.h"
#include "sgraph.h"
#include "steiner.h"
#include "stp.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

/* DW on g's graph as it is (no reductions); RETURNS its cost, checking the
 * tree spans the terminals and costs what is claimed. */
static double dw_cost(const fp_sgraph *g)
{
    fp_rgraph *r = fp_rgraph_create(g);
    ck_assert_ptr_nonnull(r);
    fp_error err;
    ck_assert_int_eq(fp_reduce_components(r, &err), 0);
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    ck_assert_ptr_nonnull(cg);
    ck_assert(isfinite(fp_dw_work(cg, 1e9)));
    unsigned char *sol = calloc((size_t)cg->m + 1, 1);
    double cost = -1, chk = -2;
    ck_assert_int_eq(fp_dw_solve(cg, 0, 1e9, sol, &cost), 0);
    ck_assert(fp_heur_check(cg, sol, &chk));
    ck_assert_double_eq_tol(chk, cost, 1e-9);
    free(sol);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    return cost;
}

START_TEST(matches_brute_force)
{
    unsigned s = 4242;
    int done = 0;
    for (int it = 0; it < 120; it++) {
        int n = 6 + (int)(tu_rnd(&s) % 9);
        fp_sgraph *g = tu_random_graph(&s, n, (int)(tu_rnd(&s) % (unsigned)(2 * n)),
                                       2 + (int)(tu_rnd(&s) % 6), it % 2);
        if (fp_sgraph_n_terminals(g) >= 2) {
            double bf = tu_steiner_brute_force(g), c = dw_cost(g);
            ck_assert_msg(fabs(c - bf) < 1e-7, "instance %d: dw %.10g, brute force %.10g", it, c,
                          bf);
            done++;
        }
        fp_sgraph_free(g);
    }
    ck_assert_int_ge(done, 100);
}
END_TEST

START_TEST(known_optima)
{
    static const struct {
        const char *path;
        double opt;
    } I[] = {{FP_SHARED_DATA "/steinlib/B/b01.stp", 82},  {FP_SHARED_DATA "/steinlib/B/b02.stp", 83},
             {FP_SHARED_DATA "/steinlib/B/b04.stp", 59},  {FP_SHARED_DATA "/steinlib/B/b05.stp", 61},
             {FP_SHARED_DATA "/steinlib/B/b07.stp", 111}, {FP_TEST_DATA "/pace/instance011.gr", 23}};
    for (size_t i = 0; i < sizeof I / sizeof I[0]; i++) {
        fp_sgraph *g = NULL;
        fp_error err;
        ck_assert_msg(fp_stp_read(I[i].path, &g, &err) == 0, "%s", err.msg);
        ck_assert_msg(dw_cost(g) == I[i].opt, "%s", I[i].path);
        fp_sgraph_free(g);
    }
}
END_TEST

/* A deadline already past gives up (1); tables over the memory limit are
 * refused (-1) and priced INFINITY. */
START_TEST(deadline_and_memory)
{
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_int_eq(fp_stp_read(FP_TEST_DATA "/pace/instance011.gr", &g, &err), 0);
    fp_rgraph *r = fp_rgraph_create(g);
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    unsigned char *sol = calloc((size_t)cg->m, 1);
    double cost = -1;
    ck_assert_int_eq(fp_dw_solve(cg, fp_ilp_now() - 1, 1e9, sol, &cost), 1);
    ck_assert_double_eq(cost, -1);
    ck_assert(isinf(fp_dw_work(cg, 1000)));
    ck_assert_int_eq(fp_dw_solve(cg, 0, 1000, sol, &cost), -1);
    for (int e = 0; e < cg->m; e++)
        ck_assert_int_eq(sol[e], 0);
    free(sol);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

/* Through the whole solver: instance011 (8 terminals on a 64-vertex
 * hypercube-like graph) ends in the subset DP, proven optimal at 23. */
START_TEST(solver_proves_puzzle)
{
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_int_eq(fp_stp_read(FP_TEST_DATA "/pace/instance011.gr", &g, &err), 0);
    fp_steiner_result res;
    ck_assert_msg(fp_steiner_solve(g, NULL, NULL, &res, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
    ck_assert_double_eq(res.cost, 23);
    double c;
    ck_assert(fp_steiner_check(g, res.edge_in, &c));
    ck_assert_double_eq(c, 23);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dw");
    TCase *tc = tcase_create("dw");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, matches_brute_force);
    tcase_add_test(tc, known_optima);
    tcase_add_test(tc, deadline_and_memory);
    tcase_add_test(tc, solver_proves_puzzle);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
