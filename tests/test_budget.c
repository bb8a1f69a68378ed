/* test_budget: coverage under a budget, quota cost and the coverage curve
 * against brute-force enumeration on small random graphs; blocks, zero
 * weights, full coverage, the CLI. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "sgraph.h"
#include "testutil.h"

static unsigned rnd(unsigned *s)
{
    return (tu_rnd(s) >> 8) & 0x7fff;
}

typedef struct inst {
    fp_sgraph *g;
    double w[16], k[16];
    int grp[16];
} inst;

static void make(inst *x, unsigned seed, int n, int m, int rooted, int groups)
{
    unsigned s = seed * 104729u + 3u;
    x->g = fp_sgraph_create(n);
    ck_assert_ptr_nonnull(x->g);
    for (int e = 0; e < m; e++) {
        int u = (int)(rnd(&s) % (unsigned)n), v = (int)(rnd(&s) % (unsigned)n);
        ck_assert_int_ge(fp_sgraph_add_edge(x->g, u, v, 1 + rnd(&s) % 9, NULL), 0);
    }
    for (int v = 0; v < n; v++) {
        x->w[v] = rnd(&s) % 3 == 0 ? 0 : (double)(1 + rnd(&s) % 9);
        x->k[v] = rnd(&s) % 2 ? 0 : (double)(rnd(&s) % 4);
        x->grp[v] = -1;
    }
    if (groups) {
        /* two blocks of two or three nodes */
        x->grp[1] = x->grp[2] = 0;
        x->grp[3] = x->grp[4] = 1;
        if (n > 6)
            x->grp[6] = 1;
    }
    x->g->root = rooted ? 0 : -1;
    if (rooted)
        x->g->term[0] = 1;
}

static int groups_ok(const int *grp, int n, unsigned mask)
{
    for (int u = 0; u < n; u++)
        for (int v = 0; v < n; v++)
            if (grp[u] >= 0 && grp[u] == grp[v] && ((mask >> u) & 1) != ((mask >> v) & 1))
                return 0;
    return 1;
}

/* Best weight within budget B (COVER) or cheapest cost for quota Q. */
static double brute(const inst *x, fp_budget_mode mode, double lim, int use_groups)
{
    const fp_sgraph *g = x->g;
    int n = g->n_nodes;
    double best = mode == FP_BUDGET_COVER ? -1 : INFINITY;
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        if (g->root >= 0 && !((mask >> g->root) & 1))
            continue;
        if (use_groups && !groups_ok(x->grp, n, mask))
            continue;
        double c = tu_mst_of(g, mask);
        if (!isfinite(c))
            continue;
        double w = 0;
        for (int v = 0; v < n; v++)
            if ((mask >> v) & 1) {
                w += x->w[v];
                c += x->k[v];
            }
        if (mode == FP_BUDGET_COVER) {
            if (c <= lim + 1e-9 && w > best)
                best = w;
        } else if (w >= lim - 1e-9 && c < best) {
            best = c;
        }
    }
    return best;
}

static void run_random_n(fp_budget_mode mode, int rooted, int groups, unsigned seeds, int n0,
                         int frac)
{
    for (unsigned seed = 0; seed < seeds; seed++) {
        inst x;
        int n = n0 + (int)(seed % 4), m = n + 2 + (int)(seed % 7);
        make(&x, seed + 1000u * (unsigned)mode + 100u * (unsigned)groups + 7u * (unsigned)n0, n,
             m, rooted, groups);
        if (frac) /* weights off the integers: no rounding of bounds */
            for (int v = 0; v < n; v++)
                x.w[v] *= 0.37;
        double tw = 0, tc = 0;
        for (int v = 0; v < n; v++)
            tw += x.w[v];
        for (int e = 0; e < x.g->n_edges; e++)
            tc += x.g->cost[e];
        double lim = mode == FP_BUDGET_COVER ? (double)(seed % 7) * tc / 10 : tw * (seed % 5) / 5;
        fp_budget_spec spec = {mode, lim, x.w, x.k, groups ? x.grp : NULL};
        fp_budget_result r;
        fp_error err;
        ck_assert_msg(fp_budget_solve(x.g, &spec, NULL, NULL, &r, &err) == 0, "%s", err.msg);
        double want = brute(&x, mode, lim, groups);
        if (!isfinite(want) || want < 0) {
            ck_assert_msg(r.status == FP_ST_INFEASIBLE, "seed %u: expected infeasible", seed);
        } else {
            ck_assert_msg(r.status == FP_ST_OPTIMAL, "seed %u: status %d", seed, r.status);
            double got = mode == FP_BUDGET_COVER ? r.weight : r.cost;
            ck_assert_msg(fabs(got - want) < 1e-9, "seed %u mode %d rooted %d groups %d: %g vs %g",
                          seed, mode, rooted, groups, got, want);
            double w, c;
            ck_assert(fp_budget_check(x.g, &spec, r.node_in, r.edge_in, &w, &c));
            ck_assert_double_eq_tol(w, r.weight, 1e-9);
            ck_assert_double_eq_tol(c, r.cost, 1e-9);
            if (mode == FP_BUDGET_COVER)
                ck_assert(c <= lim + 1e-9);
            else
                ck_assert(w >= lim - 1e-9);
            if (groups) /* blocks all or nothing */
                for (int u = 0; u < n; u++)
                    for (int v = 0; v < n; v++)
                        if (x.grp[u] >= 0 && x.grp[u] == x.grp[v])
                            ck_assert_int_eq(r.node_in[u], r.node_in[v]);
        }
        fp_budget_result_free(&r);
        fp_sgraph_free(x.g);
    }
}

static void run_random(fp_budget_mode mode, int rooted, int groups)
{
    run_random_n(mode, rooted, groups, 60, 6, 0);
}

START_TEST(budget_vs_brute_force)
{
    run_random(FP_BUDGET_COVER, 1, 0);
    run_random(FP_BUDGET_COVER, 0, 0);
}
END_TEST

/* Larger graphs, where bound-based fixing (dual ascent under Lagrangian
 * multipliers of the budget row) and the nested solve do the work. */
START_TEST(budget_fixing_vs_brute_force)
{
    run_random_n(FP_BUDGET_COVER, 1, 0, 40, 12, 0);
    run_random_n(FP_BUDGET_COVER, 1, 0, 30, 12, 1);
    run_random_n(FP_BUDGET_COVER, 1, 1, 30, 11, 0);
}
END_TEST

START_TEST(quota_vs_brute_force)
{
    run_random(FP_BUDGET_QUOTA, 1, 0);
    run_random(FP_BUDGET_QUOTA, 0, 0);
}
END_TEST

START_TEST(blocks_all_or_nothing)
{
    run_random(FP_BUDGET_COVER, 1, 1);
    run_random(FP_BUDGET_QUOTA, 1, 1);
}
END_TEST

/* An opted-out (zero-weight) terminal next to the root never counts. */
START_TEST(zero_weight_never_counted)
{
    fp_sgraph *g = fp_sgraph_create(3);
    fp_sgraph_add_edge(g, 0, 1, 1, NULL);
    fp_sgraph_add_edge(g, 0, 2, 2, NULL);
    g->root = 0;
    g->term[0] = g->term[1] = g->term[2] = 1;
    double w[3] = {0, 0, 5};
    fp_budget_spec spec = {FP_BUDGET_COVER, 1, w, NULL, NULL};
    fp_budget_result r;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, NULL), 0);
    ck_assert_int_eq(r.status, FP_ST_OPTIMAL);
    ck_assert_double_eq(r.weight, 0);
    ck_assert_int_eq(r.node_in[1], 0); /* a leaf worth nothing is not built */
    fp_budget_result_free(&r);
    spec.limit = 3;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, NULL), 0);
    ck_assert_double_eq(r.weight, 5);
    ck_assert_double_eq(r.cost, 2);
    ck_assert_int_eq(r.node_in[1], 0);
    fp_budget_result_free(&r);
    /* quota: the zero-weight node cannot help reach 5 */
    spec.mode = FP_BUDGET_QUOTA;
    spec.limit = 5;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, NULL), 0);
    ck_assert_double_eq(r.cost, 2);
    fp_budget_result_free(&r);
    spec.limit = 6;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, NULL), 0);
    ck_assert_int_eq(r.status, FP_ST_INFEASIBLE);
    fp_budget_result_free(&r);
    fp_sgraph_free(g);
}
END_TEST

/* The cost of covering everything reachable, as a budget, covers it all. */
START_TEST(full_budget_covers_everything)
{
    for (unsigned seed = 0; seed < 30; seed++) {
        inst x;
        make(&x, seed + 77u, 8, 12, 1, 0);
        /* weight of the nodes reachable from the root */
        double reach = 0;
        for (unsigned mask = 0; mask < 256u; mask++)
            if ((mask & 1) && isfinite(tu_mst_of(x.g, mask))) {
                double w = 0;
                for (int v = 0; v < 8; v++)
                    if ((mask >> v) & 1)
                        w += x.w[v];
                if (w > reach)
                    reach = w;
            }
        fp_budget_spec spec = {FP_BUDGET_QUOTA, reach, x.w, x.k, NULL};
        fp_budget_result r;
        ck_assert_int_eq(fp_budget_solve(x.g, &spec, NULL, NULL, &r, NULL), 0);
        ck_assert_int_eq(r.status, FP_ST_OPTIMAL);
        double full = r.cost;
        fp_budget_result_free(&r);
        spec.mode = FP_BUDGET_COVER;
        spec.limit = full;
        ck_assert_int_eq(fp_budget_solve(x.g, &spec, NULL, NULL, &r, NULL), 0);
        ck_assert_double_eq_tol(r.weight, reach, 1e-9);
        fp_budget_result_free(&r);
        fp_sgraph_free(x.g);
    }
}
END_TEST

/* The curve: every point exact (brute force), more budget never covers
 * less, the last point covers everything reachable. */
START_TEST(curve_exact_and_monotone)
{
    for (unsigned seed = 0; seed < 12; seed++) {
        inst x;
        make(&x, seed + 500u, 9, 14, 1, seed % 3 == 0);
        fp_budget_spec spec = {FP_BUDGET_COVER, 0, x.w, x.k, seed % 3 == 0 ? x.grp : NULL};
        fp_curve_opts co;
        fp_curve_opts_default(&co);
        co.n_points = 10;
        double extra[2] = {3.5, 7};
        co.budgets = extra;
        co.n_budgets = 2;
        fp_budget_point *pts = NULL;
        size_t np = 0;
        fp_error err;
        ck_assert_msg(fp_budget_curve(x.g, &spec, &co, NULL, &pts, &np, &err) == 0, "%s",
                      err.msg);
        ck_assert_uint_ge(np, 13);
        double reach = brute(&x, FP_BUDGET_COVER, 1e9, seed % 3 == 0);
        for (size_t i = 0; i < np; i++) {
            double want = brute(&x, FP_BUDGET_COVER, pts[i].budget, seed % 3 == 0);
            if (want < 0) { /* below the root's own node cost */
                ck_assert_int_eq(pts[i].status, FP_ST_INFEASIBLE);
                continue;
            }
            ck_assert_int_eq(pts[i].status, FP_ST_OPTIMAL);
            ck_assert_msg(fabs(pts[i].weight - want) < 1e-9, "seed %u budget %g: %g vs %g", seed,
                          pts[i].budget, pts[i].weight, want);
            ck_assert(pts[i].cost <= pts[i].budget + 1e-9);
            ck_assert_double_eq_tol(pts[i].bound, pts[i].weight, 1e-9);
            if (i > 0) {
                ck_assert(pts[i].budget >= pts[i - 1].budget);
                ck_assert(pts[i].weight >= pts[i - 1].weight);
            }
        }
        ck_assert_double_eq_tol(pts[np - 1].weight, reach, 1e-9);
        char *dir = tu_tmpdir(), path[512];
        snprintf(path, sizeof path, "%s/curve.csv", dir);
        ck_assert_int_eq(fp_budget_curve_csv(path, pts, np, NULL), 0);
        char *csv = tu_read_file(path, NULL);
        ck_assert_ptr_nonnull(csv);
        ck_assert(strncmp(csv, "budget,cost,weight,bound,gap,status,hull\n", 41) == 0);
        size_t lines = 0;
        for (char *c = csv; *c; c++)
            lines += *c == '\n';
        ck_assert_uint_eq(lines, np + 1);
        free(csv);
        tu_rmtree(dir);
        free(dir);
        free(pts);
        fp_sgraph_free(x.g);
    }
}
END_TEST

/* A time limit already spent: no point gets a solve, yet every point
 * asked for comes back with a valid tree within its budget, a valid upper
 * bound and monotone coverage (nothing here depends on timing: the limit
 * is over before the first solve could start). */
START_TEST(curve_time_limit_spent)
{
    for (unsigned seed = 0; seed < 12; seed++) {
        inst x;
        int grp = seed % 3 == 0;
        make(&x, seed + 700u, 11, 18, 1, grp);
        fp_budget_spec spec = {FP_BUDGET_COVER, 0, x.w, x.k, grp ? x.grp : NULL};
        fp_curve_opts co;
        fp_curve_opts_default(&co);
        co.n_points = 8;
        co.time_limit = 1e-9;
        double extra[2] = {5, 12.5};
        co.budgets = extra;
        co.n_budgets = 2;
        co.plan_budget = 12.5;
        unsigned char *pn = NULL, *pe = NULL;
        co.plan_node_in = &pn;
        co.plan_edge_in = &pe;
        fp_budget_point *pts = NULL;
        size_t np = 0;
        fp_error err;
        ck_assert_msg(fp_budget_curve(x.g, &spec, &co, NULL, &pts, &np, &err) == 0, "%s",
                      err.msg);
        ck_assert_uint_ge(np, 11);
        size_t asked = 0;
        for (size_t i = 0; i < np; i++) {
            asked += pts[i].budget == 5 || pts[i].budget == 12.5;
            double want = brute(&x, FP_BUDGET_COVER, pts[i].budget, grp);
            if (want < 0) {
                ck_assert_int_eq(pts[i].status, FP_ST_INFEASIBLE);
                continue;
            }
            ck_assert(pts[i].status == FP_ST_OPTIMAL || pts[i].status == FP_ST_FEASIBLE);
            ck_assert(pts[i].cost <= pts[i].budget + 1e-9);
            ck_assert_msg(pts[i].weight <= want + 1e-9 && pts[i].bound >= want - 1e-9,
                          "seed %u budget %g: weight %g bound %g optimum %g", seed,
                          pts[i].budget, pts[i].weight, pts[i].bound, want);
            ck_assert(pts[i].gap >= 0 && pts[i].gap <= 1);
            if (pts[i].status == FP_ST_OPTIMAL)
                ck_assert_double_eq_tol(pts[i].weight, want, 1e-9);
            if (i > 0)
                ck_assert(pts[i].weight >= pts[i - 1].weight);
        }
        ck_assert_uint_ge(asked, 2);
        /* the plan: a valid tree within its budget */
        ck_assert_ptr_nonnull(pn);
        double w = 0, c = 0;
        spec.limit = 12.5;
        if (brute(&x, FP_BUDGET_COVER, 12.5, grp) >= 0) {
            ck_assert(fp_budget_check(x.g, &spec, pn, pe, &w, &c));
            ck_assert(c <= 12.5 + 1e-9);
        }
        free(pn);
        free(pe);
        free(pts);
        fp_sgraph_free(x.g);
    }
}
END_TEST

START_TEST(bad_input)
{
    fp_sgraph *g = fp_sgraph_create(2);
    fp_sgraph_add_edge(g, 0, 1, 1, NULL);
    g->root = 0;
    double w[2] = {0, -1};
    fp_budget_spec spec = {FP_BUDGET_COVER, 1, w, NULL, NULL};
    fp_budget_result r;
    fp_error err;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, &err), FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "weight"));
    w[1] = 1;
    spec.limit = NAN;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, &err), FP_EINPUT);
    /* the root's own node cost above the budget: infeasible */
    double k[2] = {5, 0};
    spec.limit = 1;
    spec.node_cost = k;
    ck_assert_int_eq(fp_budget_solve(g, &spec, NULL, NULL, &r, &err), 0);
    ck_assert_int_eq(r.status, FP_ST_INFEASIBLE);
    fp_budget_result_free(&r);
    fp_sgraph_free(g);
}
END_TEST

static cJSON *run_json(const char *args, int want_rc)
{
    char *out = NULL, *errs = NULL;
    int rc = tu_run_cli(args, &out, &errs);
    ck_assert_msg(rc == want_rc, "exit %d: %s", rc, errs ? errs : "");
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    free(out);
    free(errs);
    return j;
}

START_TEST(cli_budget_quota)
{
    char *dir = tu_tmpdir();
    char stp[512], args[1200];
    snprintf(stp, sizeof stp, "%s/b.stp", dir);
    /* root 1; 2 (prize 4) at 3; 3 (prize 10) at 8 behind 2; 4 (prize 5) at 6 */
    ck_assert_int_eq(tu_write_file(stp, "33D32945 STP File, STP Format Version 1.0\n"
                                        "SECTION Graph\nNodes 4\nEdges 3\n"
                                        "E 1 2 3\nE 2 3 5\nE 1 4 6\nEND\n"
                                        "SECTION Terminals\nTerminals 4\nRootP 1\n"
                                        "TP 2 4\nTP 3 10\nTP 4 5\nEND\nEOF\n"),
                     0);
    snprintf(args, sizeof args, "stp '%s' --json --quiet --budget 8", stp);
    cJSON *j = run_json(args, 0);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "covered")->valuedouble, 14);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "cost")->valuedouble, 8);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "optimal");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "mode")->valuestring, "budget");
    cJSON_Delete(j);
    snprintf(args, sizeof args, "stp '%s' --json --quiet --budget 7", stp);
    j = run_json(args, 0);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "covered")->valuedouble, 5);
    cJSON_Delete(j);
    snprintf(args, sizeof args, "stp '%s' --json --quiet --quota 15", stp);
    j = run_json(args, 0);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "cost")->valuedouble, 14);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "covered")->valuedouble, 19);
    cJSON_Delete(j);
    snprintf(args, sizeof args, "stp '%s' --json --quiet --quota 20", stp);
    j = run_json(args, 4);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "infeasible");
    cJSON_Delete(j);
    char *out = NULL, *errs = NULL;
    snprintf(args, sizeof args, "stp '%s' --budget -3", stp);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 2);
    free(out);
    free(errs);
    tu_rmtree(dir);
    free(dir);
}
END_TEST


int main(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, budget_vs_brute_force);
    tcase_add_test(tc, quota_vs_brute_force);
    tcase_add_test(tc, budget_fixing_vs_brute_force);
    tcase_add_test(tc, blocks_all_or_nothing);
    tcase_add_test(tc, zero_weight_never_counted);
    tcase_add_test(tc, full_budget_covers_everything);
    tcase_add_test(tc, curve_exact_and_monotone);
    tcase_add_test(tc, curve_time_limit_spent);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, cli_budget_quota);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
