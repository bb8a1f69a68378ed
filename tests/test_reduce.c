/* test_reduce: reduction tests on small graphs with known results, the map
 * back to original edges, and the heuristics' feasibility. */
#include "dualascent.h"
#include "heur.h"
#include "reduce.h"
#include "sgraph.h"
#include "steiner.h"
#include "stp.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(degree_tests_contract_a_path)
{
    /* t0 - a - b - t3, plus a dangling non-terminal d on a */
    static const int e[][2] = {{0, 1}, {1, 2}, {2, 3}, {1, 4}};
    static const double c[] = {1, 2, 3, 5};
    static const int t[] = {0, 3};
    fp_sgraph *g = tu_graph(5, e, c, 4, t, 2);
    fp_rgraph *r = fp_rgraph_create(g);
    fp_error err;
    int changed = 0;
    ck_assert_int_eq(fp_reduce_components(r, &err), 0);
    ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
    ck_assert_int_gt(changed, 0);
    /* everything collapses: one terminal left, the path fixed */
    ck_assert_int_eq(r->n_terms, 1);
    ck_assert_double_eq(r->fixed_cost, 6);
    unsigned char out[4] = {0};
    fp_reduce_map_back(r, NULL, NULL, out);
    ck_assert(out[0] && out[1] && out[2] && !out[3]);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(parallel_edges_keep_the_cheaper)
{
    static const int e[][2] = {{0, 1}, {0, 1}, {1, 0}, {0, 2}, {1, 2}, {2, 3}, {3, 0}};
    static const double c[] = {5, 3, 4, 9, 9, 9, 9};
    static const int t[] = {0, 1, 2, 3};
    fp_sgraph *g = tu_graph(4, e, c, 7, t, 4);
    fp_rgraph *r = fp_rgraph_create(g);
    int live = 0;
    for (int i = 0; i < r->m; i++)
        if (r->ealive[i]) {
            live++;
            if ((r->tail[i] == 0 && r->head[i] == 1) || (r->tail[i] == 1 && r->head[i] == 0)) {
                ck_assert_double_eq(r->cost[i], 3);
                ck_assert_int_eq(r->anc[i][0], 1);
            }
        }
    ck_assert_int_eq(live, 5);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(sd_test_deletes_long_edge)
{
    /* a square of non-terminal corners around terminals: the diagonal
     * edge 1-3 (cost 10) is longer than the bottleneck distance via 0 */
    static const int e[][2] = {{0, 1}, {0, 3}, {1, 3}, {1, 2}, {3, 4}, {2, 4}};
    static const double c[] = {3, 3, 10, 2, 2, 1};
    static const int t[] = {0, 2, 4};
    fp_sgraph *g = tu_graph(5, e, c, 6, t, 3);
    fp_rgraph *r = fp_rgraph_create(g);
    int del = fp_reduce_sd(r, 100);
    ck_assert_int_ge(del, 1);
    ck_assert(!r->ealive[2]);
    fp_rgraph_free(r);
    /* and the long edge never shows up in the optimum (0-1-2-4: 3+2+1) */
    fp_steiner_result res;
    fp_error err;
    ck_assert_int_eq(fp_steiner_solve(g, NULL, NULL, &res, &err), 0);
    ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
    ck_assert_double_eq(res.cost, 6);
    ck_assert(!res.edge_in[2]);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(nearest_terminal_edge_fixed)
{
    /* terminal 0's cheapest edge leads to terminal 1: fixed */
    static const int e[][2] = {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {1, 3}};
    static const double c[] = {1, 4, 4, 1, 6};
    static const int t[] = {0, 1, 3};
    fp_sgraph *g = tu_graph(4, e, c, 5, t, 3);
    fp_rgraph *r = fp_rgraph_create(g);
    fp_error err;
    int changed;
    ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
    ck_assert_double_ge(r->fixed_cost, 1);
    unsigned char out[5] = {0};
    fp_reduce_map_back(r, NULL, NULL, out);
    ck_assert(out[0]);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(disconnected_terminals_are_infeasible)
{
    static const int e[][2] = {{0, 1}, {2, 3}};
    static const double c[] = {1, 1};
    static const int t[] = {0, 3};
    fp_sgraph *g = tu_graph(4, e, c, 2, t, 2);
    fp_steiner_result res;
    fp_error err;
    ck_assert_int_eq(fp_steiner_solve(g, NULL, NULL, &res, &err), 0);
    ck_assert_int_eq(res.status, FP_ST_INFEASIBLE);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(heuristic_trees_are_feasible)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pace/instance029.gr", FP_TEST_DATA);
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_int_eq(fp_stp_read(path, &g, &err), 0);
    fp_rgraph *r = fp_rgraph_create(g);
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    fp_heur *h = fp_heur_create(cg);
    unsigned char *sol = calloc((size_t)cg->m, 1);
    int roots = 0;
    for (int v = 0; v < cg->n && roots < 5; v++) {
        if (!cg->term[v])
            continue;
        roots++;
        double c = fp_heur_sph(h, v, NULL, sol), chk;
        ck_assert_double_ge(c, 245);
        ck_assert(fp_heur_check(cg, sol, &chk));
        ck_assert_double_eq_tol(chk, c, 1e-9);
        double c2 = fp_heur_improve(h, sol, 0);
        ck_assert(fp_heur_check(cg, sol, &chk));
        ck_assert_double_le(c2, c + 1e-9);
        ck_assert_double_ge(c2, 245);
    }
    double best = fp_heur_run(h, 10, 1, sol), chk;
    ck_assert(fp_heur_check(cg, sol, &chk));
    ck_assert_double_ge(best, 245);
    /* within 5% of the optimum on this road-like instance */
    ck_assert_double_le(best, 245 * 1.05);
    /* a cycle or a missing terminal is rejected by the checker */
    memset(sol, 1, (size_t)cg->m);
    ck_assert(!fp_heur_check(cg, sol, NULL));
    memset(sol, 0, (size_t)cg->m);
    ck_assert(!fp_heur_check(cg, sol, NULL));
    free(sol);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

/* The live part of a working graph as an instance of its own. */
static fp_sgraph *live_graph(const fp_rgraph *r)
{
    fp_error err;
    int map[32], n = 0;
    for (int v = 0; v < r->n; v++)
        map[v] = r->nalive[v] ? n++ : -1;
    fp_sgraph *g = fp_sgraph_create(n);
    for (int v = 0; v < r->n; v++)
        if (map[v] >= 0)
            g->term[map[v]] = r->term[v];
    for (int e = 0; e < r->m; e++)
        if (r->ealive[e])
            ck_assert_int_ge(fp_sgraph_add_edge(g, map[r->tail[e]], map[r->head[e]], r->cost[e], &err), 0);
    return g;
}

/* Randomised: the reductions (degree, special distance) and dual-ascent
 * elimination keep the optimum: fixed cost + optimum of what is left equals
 * the original optimum (both by enumeration). Elimination against a tree
 * of cost U keeps every tree cheaper than U even when told to drop what
 * costs U or more (ub = U - 1 + eps with integral costs); against the
 * optimum itself it may leave no tree at all, never a cheaper one. */
START_TEST(reductions_keep_the_optimum)
{
    unsigned s = 99;
    int strict_cut = 0;
    for (int it = 0; it < 150; it++) {
        int n = 8 + (int)(tu_rnd(&s) % 9);
        fp_error err;
        fp_sgraph *g = fp_sgraph_create(n);
        for (int v = 1; v < n; v++)
            fp_sgraph_add_edge(g, v, (int)(tu_rnd(&s) % (unsigned)v), 1 + tu_rnd(&s) % 4, &err);
        int extra = n + (int)(tu_rnd(&s) % (unsigned)n);
        for (int i = 0; i < extra; i++) {
            int u = (int)(tu_rnd(&s) % (unsigned)n), v = (int)(tu_rnd(&s) % (unsigned)n);
            if (u != v)
                fp_sgraph_add_edge(g, u, v, 1 + tu_rnd(&s) % 4, &err);
        }
        int k = 2 + (int)(tu_rnd(&s) % 4);
        for (int i = 0; i < k; i++)
            g->term[tu_rnd(&s) % (unsigned)n] = 1;
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        double bf = tu_steiner_brute_force(g);
        for (int mode = 0; mode < 3; mode++) {
            /* mode 0: ub = a heuristic tree's cost U, strict (U - 1);
             * mode 1: ub = the optimum, not strict; mode 2: strict */
            fp_rgraph *r = fp_rgraph_create(g);
            int changed;
            ck_assert_int_eq(fp_reduce_components(r, &err), 0);
            ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
            ck_assert_int_ge(fp_reduce_sd(r, 60), 0);
            ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
            fp_sgraph *h0 = live_graph(r);
            ck_assert_msg(fabs(r->fixed_cost + tu_steiner_brute_force(h0) - bf) < 1e-9,
                          "instance %d: degree/sd reductions changed the optimum", it);
            fp_sgraph_free(h0);
            if (r->n_terms > 1) {
                fp_cgraph *cg = fp_cgraph_from_rgraph(r);
                int root = 0;
                while (!cg->term[root])
                    root++;
                double *rc = malloc(2 * (size_t)cg->m * sizeof *rc), lb = 0;
                ck_assert_int_eq(fp_da_run(cg, root, &lb, rc), 0);
                ck_assert_double_le(lb + r->fixed_cost, bf + 1e-9);
                double u = bf - r->fixed_cost;
                if (mode == 0) {
                    fp_heur *hh = fp_heur_create(cg);
                    unsigned char *sol = calloc((size_t)cg->m, 1);
                    u = fp_heur_sph(hh, root, NULL, sol);
                    free(sol);
                    fp_heur_free(hh);
                }
                double ub = mode == 1 ? u : u - 1 + 1e-6;
                ck_assert_int_ge(fp_da_eliminate_rc(r, cg, root, lb, rc, ub), 0);
                free(rc);
                fp_cgraph_free(cg);
                int rcomp = fp_reduce_components(r, &err);
                double left = DBL_MAX;
                if (rcomp == 0) {
                    ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
                    fp_sgraph *h1 = live_graph(r);
                    left = r->fixed_cost + tu_steiner_brute_force(h1);
                    fp_sgraph_free(h1);
                } else {
                    ck_assert_int_eq(rcomp, FP_EINFEASIBLE);
                }
                if (mode == 1 || (mode == 0 && bf < u + r->fixed_cost - 0.5))
                    ck_assert_msg(fabs(left - bf) < 1e-9, "instance %d mode %d: %g vs %g", it,
                                  mode, left, bf);
                else
                    ck_assert_double_ge(left, bf - 1e-9);
                strict_cut += mode == 2 && left == DBL_MAX;
            }
            fp_rgraph_free(r);
        }
        fp_sgraph_free(g);
    }
    /* the strict test does prove some optima by leaving no tree */
    ck_assert_int_gt(strict_cut, 0);
}
END_TEST

/* The reductions up to their fixpoint, as the solver runs them. */
static void reduce_all(fp_rgraph *r, int effort)
{
    fp_error err;
    int changed;
    ck_assert_int_eq(fp_reduce_components(r, &err), 0);
    ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
    for (int round = 0; round < 4 && r->n_terms > 1; round++) {
        int d = fp_reduce_sd(r, effort);
        ck_assert_int_ge(d, 0);
        ck_assert_int_eq(fp_reduce_degree(r, &changed, &err), 0);
        if (d == 0 && changed == 0)
            break;
    }
}

/* Randomised, many instances: small cost ranges (many ties, the delicate
 * case of "no longer than"), zero-cost edges, few and many terminals,
 * short and long searches. The reductions keep the optimum (fixed cost +
 * optimum of what is left), the terminals stay connected, and the full
 * solver's tree mapped back costs the optimum. */
START_TEST(reductions_keep_the_optimum_on_ties_and_zeros)
{
    unsigned s = 4242;
    int solved = 0, shrunk = 0;
    for (int it = 0; it < 700; it++) {
        int n = 6 + (int)(tu_rnd(&s) % 11);
        int extra = (int)(tu_rnd(&s) % (unsigned)(2 * n + 1));
        int kind = it % 4;
        fp_sgraph *g = tu_random_graph(&s, n, extra, 1 + (int)(tu_rnd(&s) % (unsigned)(n - 2)),
                                       kind != 3);
        for (int e = 0; e < g->n_edges; e++) {
            if (kind == 1)
                g->cost[e] = 1 + fmod(g->cost[e], 3); /* 1..3: ties everywhere */
            else if (kind == 2 && tu_rnd(&s) % 5 == 0)
                g->cost[e] = 0;
        }
        while (fp_sgraph_n_terminals(g) < 2)
            g->term[tu_rnd(&s) % (unsigned)n] = 1;
        /* brute force wants few Steiner vertices */
        double bf = tu_steiner_brute_force(g);
        int effort = it % 2 ? 2 : 60;
        fp_rgraph *r = fp_rgraph_create(g);
        int m0 = r->m;
        reduce_all(r, effort);
        fp_sgraph *h = live_graph(r);
        double left = tu_steiner_brute_force(h);
        ck_assert_msg(left < DBL_MAX, "instance %d: terminals cut apart", it);
        ck_assert_msg(fabs(r->fixed_cost + left - bf) < 1e-9,
                      "instance %d (kind %d): %g + %g != %g", it, kind, r->fixed_cost, left, bf);
        shrunk += h->n_edges < m0;
        fp_sgraph_free(h);
        fp_rgraph_free(r);
        if (it % 7 == 0) {
            fp_steiner_result res;
            fp_error err;
            ck_assert_int_eq(fp_steiner_solve(g, NULL, NULL, &res, &err), 0);
            ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
            double c;
            ck_assert(fp_steiner_check(g, res.edge_in, &c));
            ck_assert_msg(fabs(c - bf) < 1e-9, "instance %d: solver %g, optimum %g", it, c, bf);
            fp_steiner_result_free(&res);
            solved++;
        }
        fp_sgraph_free(g);
    }
    ck_assert_int_gt(solved, 90);
    ck_assert_int_gt(shrunk, 500);
}
END_TEST

START_TEST(sd_ties_do_not_delete_each_other)
{
    /* u (node 0) joins terminal x (3) to terminals v (1) and w (2); the
     * three edges of the triangle u-v-w-u cost the same, so u-v is no longer
     * than u-w-v and u-w no longer than u-v-w: one of them may go, never
     * both. */
    static const int e[][2] = {{0, 1}, {0, 2}, {1, 2}, {0, 3}};
    static const double c[] = {5, 5, 5, 1};
    static const int t[] = {1, 2, 3};
    fp_sgraph *g = tu_graph(4, e, c, 4, t, 3);
    fp_rgraph *r = fp_rgraph_create(g);
    ck_assert_int_ge(fp_reduce_sd(r, 100), 1);
    /* had both gone, x and u would be cut off from v and w */
    fp_sgraph *h = live_graph(r);
    ck_assert_double_eq(r->fixed_cost + tu_steiner_brute_force(h), 11);
    fp_sgraph_free(h);
    reduce_all(r, 100);
    h = live_graph(r);
    ck_assert_double_eq(r->fixed_cost + tu_steiner_brute_force(h), 11);
    fp_sgraph_free(h);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(nearest_vertex_contracts_into_a_terminal)
{
    /* terminal 0: cheapest edge to non-terminal 1 (cost 1), next cheapest 5;
     * terminal 3 is 2 from node 1, within the gap of 4: 0-1 is fixed */
    static const int e[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 4}, {3, 4}, {1, 2}};
    static const double c[] = {1, 5, 2, 3, 6, 10};
    static const int t[] = {0, 3, 4};
    fp_sgraph *g = tu_graph(5, e, c, 6, t, 3);
    fp_rgraph *r = fp_rgraph_create(g);
    ck_assert_int_ge(fp_reduce_sd(r, 60), 2);
    ck_assert(!r->ealive[5]); /* 1-2 is longer than 1-0-2 (0 a terminal) */
    unsigned char out[6] = {0};
    fp_reduce_map_back(r, NULL, NULL, out);
    ck_assert(out[0]);
    fp_sgraph *h = live_graph(r);
    ck_assert_double_eq(r->fixed_cost + tu_steiner_brute_force(h), 9);
    fp_sgraph_free(h);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(bottleneck_degree_removes_a_star_centre)
{
    /* non-terminal 0 joins terminals 1, 2, 3 at cost 2 each; the path
     * 1-2-3 costs 6 too (special distances 3, 3, 3): node 0 goes, and no
     * replacement edge is needed (each pair's special distance <= 4) */
    static const int e[][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {2, 3}, {1, 3}};
    static const double c[] = {2, 2, 2, 3, 3, 10};
    static const int t[] = {1, 2, 3};
    fp_sgraph *g = tu_graph(4, e, c, 6, t, 3);
    fp_rgraph *r = fp_rgraph_create(g);
    ck_assert_int_ge(fp_reduce_sd(r, 60), 2);
    ck_assert(!r->nalive[0]);
    ck_assert(!r->ealive[5]);
    fp_sgraph *h = live_graph(r);
    ck_assert_double_eq(r->fixed_cost + tu_steiner_brute_force(h), 6);
    fp_sgraph_free(h);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reduce");
    TCase *tc = tcase_create("reduce");
    tcase_add_test(tc, degree_tests_contract_a_path);
    tcase_add_test(tc, parallel_edges_keep_the_cheaper);
    tcase_add_test(tc, sd_test_deletes_long_edge);
    tcase_add_test(tc, nearest_terminal_edge_fixed);
    tcase_add_test(tc, disconnected_terminals_are_infeasible);
    tcase_add_test(tc, heuristic_trees_are_feasible);
    tcase_add_test(tc, reductions_keep_the_optimum);
    tcase_add_test(tc, reductions_keep_the_optimum_on_ties_and_zeros);
    tcase_add_test(tc, sd_ties_do_not_delete_each_other);
    tcase_add_test(tc, nearest_vertex_contracts_into_a_terminal);
    tcase_add_test(tc, bottleneck_degree_removes_a_star_centre);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
