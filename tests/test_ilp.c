/* test_ilp: exact optima against brute force on tiny random graphs, against
 * the known optima of SteinLib B (shared data) and vendored PACE files, and
 * the time-limit behaviour. */
#include "heur.h"
#include "ilp.h"
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
#include <unistd.h>

START_TEST(exact_matches_brute_force)
{
    unsigned s = 12345;
    for (int it = 0; it < 120; it++) {
        int n = 6 + (int)(tu_rnd(&s) % 7);
        fp_sgraph *g = tu_random_graph(&s, n, n + (int)(tu_rnd(&s) % (unsigned)(2 * n)),
                                    2 + (int)(tu_rnd(&s) % 4), it % 2);
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        double bf = tu_steiner_brute_force(g);
        /* as solved (few terminals: by the subset DP), then by the
         * reductions, bounds and branch-and-cut alone */
        for (int nodp = 0; nodp < 2; nodp++) {
            fp_steiner_opts o;
            fp_steiner_opts_default(&o);
            o.no_subset_dp = nodp;
            fp_steiner_result res;
            fp_error err;
            ck_assert_int_eq(fp_steiner_solve(g, &o, NULL, &res, &err), 0);
            ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
            ck_assert_msg(fabs(res.cost - bf) < 1e-7, "instance %d (dp %d): %g vs brute force %g",
                          it, !nodp, res.cost, bf);
            double chk;
            ck_assert(fp_steiner_check(g, res.edge_in, &chk));
            ck_assert_double_eq_tol(chk, res.cost, 1e-9);
            fp_steiner_result_free(&res);
        }
        fp_sgraph_free(g);
    }
}
END_TEST

/* A random instance for the branch-and-cut alone: its compact graph
 * without reductions, a heuristic handle, a zeroed tree, the root (the
 * first terminal) and the brute-force optimum. */
typedef struct bc_inst {
    fp_sgraph *g;
    fp_rgraph *r;
    fp_cgraph *cg;
    fp_heur *h;
    unsigned char *sol;
    int root;
    double bf;
} bc_inst;

/* RETURNS 0 (nothing to free) when the draw has fewer than 2 terminals. */
static int bc_next(unsigned *s, int n, int extra, int k, int integral, bc_inst *b)
{
    b->g = tu_random_graph(s, n, extra, k, integral);
    if (fp_sgraph_n_terminals(b->g) < 2) {
        fp_sgraph_free(b->g);
        return 0;
    }
    b->bf = tu_steiner_brute_force(b->g);
    b->r = fp_rgraph_create(b->g);
    b->cg = fp_cgraph_from_rgraph(b->r);
    b->h = fp_heur_create(b->cg);
    b->sol = calloc((size_t)b->cg->m, 1);
    ck_assert(b->r && b->cg && b->h && b->sol);
    b->root = 0;
    while (!b->cg->term[b->root])
        b->root++;
    return 1;
}

static void bc_free(bc_inst *b)
{
    free(b->sol);
    fp_heur_free(b->h);
    fp_cgraph_free(b->cg);
    fp_rgraph_free(b->r);
    fp_sgraph_free(b->g);
}

/* The branch-and-cut alone, without reductions, from a poor incumbent. */
START_TEST(branch_and_cut_without_reductions)
{
    unsigned s = 777;
    for (int it = 0; it < 40; it++) {
        int n = 8 + (int)(tu_rnd(&s) % 5);
        bc_inst b;
        if (!bc_next(&s, n, 2 * n, 3 + (int)(tu_rnd(&s) % 3), it % 2, &b))
            continue;
        fp_cgraph *cg = b.cg;
        unsigned char *sol = b.sol;
        double bf = b.bf, cost = fp_heur_sph(b.h, b.root, NULL, sol), lb = 0;
        int root = b.root;
        long long nodes = 0;
        int opt = 0;
        fp_ilp_opts o = {0, 0, it % 2, 0, -1, NULL, NULL, 0, NULL, NULL, 0};
        fp_error err;
        ck_assert_int_eq(fp_ilp_solve(cg, root, &o, sol, &cost, &lb, &nodes, &opt, &err), 0);
        ck_assert(opt);
        ck_assert_msg(fabs(cost - bf) < 1e-7, "instance %d: %g vs %g", it, cost, bf);
        ck_assert(fp_heur_check(cg, sol, NULL));
        ck_assert_double_le(lb, cost + 1e-9);
        bc_free(&b);
    }
}
END_TEST

/* Column pricing (forced on these small graphs; the solver turns it on by
 * itself on large ones): the root LP starts from two arcs into each vertex
 * and the incumbent's, prices the rest with the rows' duals and frees every
 * arc left before branching. Same optima as brute force and as the LP over
 * every arc, from a poor incumbent, from none, and from the optimum given
 * as cutoff (reduced-cost fixing then rules out the incumbent's own arcs,
 * which pricing relies on to keep the restricted LP feasible). */
START_TEST(pricing_matches_brute_force)
{
    unsigned s = 4711;
    for (int it = 0; it < 60; it++) {
        int n = 10 + (int)(tu_rnd(&s) % 7);
        bc_inst b;
        if (!bc_next(&s, n, 3 * n + (int)(tu_rnd(&s) % (unsigned)(2 * n)),
                     3 + (int)(tu_rnd(&s) % 4), it % 2, &b))
            continue;
        fp_cgraph *cg = b.cg;
        fp_heur *h = b.h;
        unsigned char *sol = b.sol;
        double bf = b.bf;
        int root = b.root;
        for (int mode = 0; mode < 5; mode++) {
            /* 0: pricing, SPH incumbent; 1: no pricing; 2: pricing, no
             * incumbent; 3: pricing, the optimum as incumbent and cutoff;
             * 4: the same without pricing (reduced-cost fixing then often
             * leaves the LP infeasible, which proves the incumbent) */
            double cost = -1, lb = 0, cutoff = -1;
            memset(sol, 0, (size_t)cg->m);
            if (mode < 2)
                cost = fp_heur_sph(h, root, NULL, sol);
            if (mode >= 3) {
                fp_ilp_opts o0 = {0, 0, it % 2, 0, -1, NULL, NULL, 0, NULL, NULL, -1};
                long long nd = 0;
                int op = 0;
                fp_error e0;
                cost = fp_heur_sph(h, root, NULL, sol);
                ck_assert_int_eq(fp_ilp_solve(cg, root, &o0, sol, &cost, &lb, &nd, &op, &e0), 0);
                ck_assert(op);
                cutoff = cost;
                lb = 0;
            }
            long long nodes = 0;
            int opt = 0;
            fp_ilp_opts o = {0, 0, it % 2, 0, cutoff, NULL, NULL, 0, NULL, NULL, mode == 1 || mode == 4 ? -1 : 1};
            fp_error err;
            ck_assert_int_eq(fp_ilp_solve(cg, root, &o, sol, &cost, &lb, &nodes, &opt, &err), 0);
            ck_assert_msg(opt, "instance %d mode %d: not proven (cost %g, lb %g, optimum %g)", it, mode,
                          cost, lb, bf);
            ck_assert_msg(fabs(cost - bf) < 1e-7, "instance %d mode %d: %g vs %g", it, mode, cost, bf);
            ck_assert(fp_heur_check(cg, sol, NULL));
            ck_assert_double_le(lb, cost + 1e-9);
            double lbr = it % 2 ? ceil(lb - 1e-6) : lb;
            ck_assert_msg(lbr >= bf - 1e-6, "instance %d mode %d: lb %g", it, mode, lb);
        }
        bc_free(&b);
    }
}
END_TEST

/* Many ties (costs 1..3) on mid-size graphs: the bound-based eliminations
 * drop everything that cannot beat the incumbent (by 1, costs being
 * integral), so they are most at risk of losing the optimum here. The
 * pipeline must still return the brute-force optimum; and branch-and-cut
 * handed the optimal tree as incumbent and cutoff (reduced-cost fixing then
 * removes every arc of cost-equal trees) must prove it, not lose it. */
START_TEST(ties_and_optimal_incumbent)
{
    unsigned s = 2024;
    for (int it = 0; it < 36; it++) {
        int n = 13 + (int)(tu_rnd(&s) % 6);
        fp_sgraph *g = fp_sgraph_create(n);
        fp_error err;
        for (int v = 1; v < n; v++)
            fp_sgraph_add_edge(g, v, (int)(tu_rnd(&s) % (unsigned)v), 1 + tu_rnd(&s) % 3, &err);
        for (int i = 0; i < 2 * n; i++) {
            int u = (int)(tu_rnd(&s) % (unsigned)n), v = (int)(tu_rnd(&s) % (unsigned)n);
            if (u != v)
                fp_sgraph_add_edge(g, u, v, 1 + tu_rnd(&s) % 3, &err);
        }
        int k = 3 + (int)(tu_rnd(&s) % 5);
        for (int i = 0; i < k; i++)
            g->term[tu_rnd(&s) % (unsigned)n] = 1;
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        double bf = tu_steiner_brute_force(g);
        fp_steiner_result res;
        fp_steiner_opts so;
        fp_steiner_opts_default(&so);
        so.no_subset_dp = 1; /* the pipeline, not the DP (exact_matches_brute_force has both) */
        ck_assert_int_eq(fp_steiner_solve(g, &so, NULL, &res, &err), 0);
        ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
        ck_assert_msg(fabs(res.cost - bf) < 1e-9, "instance %d: %g vs brute force %g", it,
                      res.cost, bf);
        ck_assert(fp_steiner_check(g, res.edge_in, NULL));
        fp_steiner_result_free(&res);

        fp_rgraph *r = fp_rgraph_create(g);
        fp_cgraph *cg = fp_cgraph_from_rgraph(r);
        unsigned char *sol = calloc((size_t)cg->m, 1);
        int root = 0;
        while (!cg->term[root])
            root++;
        double cost = -1, lb = 0;
        long long nodes = 0;
        int opt = 0;
        fp_ilp_opts o = {0, 0, 1, 0, -1, NULL, NULL, 0, NULL, NULL, 0};
        ck_assert_int_eq(fp_ilp_solve(cg, root, &o, sol, &cost, &lb, &nodes, &opt, &err), 0);
        ck_assert(opt);
        ck_assert_msg(fabs(cost - bf) < 1e-9, "instance %d: ilp %g vs %g", it, cost, bf);
        /* again, from the optimum: proven, the same cost, a valid bound */
        for (int integral = 0; integral < 2; integral++) {
            double c2 = cost, lb2 = 0;
            fp_ilp_opts o2 = {0, 0, integral, 0, cost, NULL, NULL, 0, NULL, NULL, 0};
            ck_assert_int_eq(fp_ilp_solve(cg, root, &o2, sol, &c2, &lb2, &nodes, &opt, &err), 0);
            ck_assert(opt);
            ck_assert(fp_heur_check(cg, sol, NULL));
            ck_assert_double_eq_tol(c2, bf, 1e-9);
            ck_assert_double_le(lb2, bf + 1e-9);
            /* the bound comes back unrounded: integral costs round it up */
            double lbr = integral ? ceil(lb2 - 1e-6) : lb2;
            ck_assert_msg(lbr >= bf - 1e-6, "instance %d: lb %g", it, lb2);
        }
        free(sol);
        fp_cgraph_free(cg);
        fp_rgraph_free(r);
        fp_sgraph_free(g);
    }
}
END_TEST

static void solve_file(const char *path, double expect, double time_limit)
{
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_msg(fp_stp_read(path, &g, &err) == 0, "%s", err.msg);
    fp_steiner_opts o;
    fp_steiner_opts_default(&o);
    o.time_limit = time_limit;
    fp_steiner_result res;
    ck_assert_int_eq(fp_steiner_solve(g, &o, NULL, &res, &err), 0);
    double chk;
    ck_assert(fp_steiner_check(g, res.edge_in, &chk));
    ck_assert_double_eq_tol(chk, res.cost, 1e-6);
    ck_assert_double_le(res.lower_bound, expect + 1e-6);
    ck_assert_double_ge(res.cost, expect - 1e-6);
    if (time_limit <= 0)
        ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
    if (res.status == FP_ST_OPTIMAL)
        ck_assert_msg(fabs(res.cost - expect) < 1e-6, "%s: %g vs %g", path, res.cost, expect);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}

START_TEST(steinlib_b_optima)
{
    static const struct {
        const char *name;
        double opt;
    } b[] = {{"b01", 82}, {"b04", 59}, {"b08", 104}, {"b11", 88}, {"b13", 165},
             {"b15", 318}, {"b17", 131}, {"b18", 218}};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/steinlib/B/%s.stp", FP_SHARED_DATA, b[i].name);
        if (access(path, R_OK) != 0)
            continue; /* shared data not present on this machine */
        solve_file(path, b[i].opt, 0);
    }
}
END_TEST

/* I080 instances whose branch-and-cut finds a better tree that lets the
 * root LP's reduced costs rule out many more arcs, so that it stops and
 * starts again without them (measured: 41 and 73 arcs): still optimal. */
START_TEST(steinlib_i080_branch_and_cut_again)
{
    static const struct {
        const char *name;
        double opt;
    } b[] = {{"i080-212", 3677}, {"i080-213", 3678}};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/steinlib/I080/%s.stp", FP_SHARED_DATA, b[i].name);
        if (access(path, R_OK) != 0)
            continue; /* shared data not present on this machine */
        solve_file(path, b[i].opt, 0);
    }
}
END_TEST

START_TEST(pace_optima)
{
    static const struct {
        const char *name;
        double opt;
    } p[] = {{"instance001", 503}, {"instance029", 245}, {"instance115", 210}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/pace/%s.gr", FP_TEST_DATA, p[i].name);
        solve_file(path, p[i].opt, 0);
    }
}
END_TEST

/* Cut short: a tree and a valid bound come back (status feasible unless
 * the bound already met the tree). Independent of the machine's speed. */
START_TEST(time_limit_gives_bound)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pace/instance011.gr", FP_TEST_DATA);
    solve_file(path, 23, 0.2);
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_int_eq(fp_stp_read(path, &g, &err), 0);
    fp_steiner_opts o;
    fp_steiner_opts_default(&o);
    o.heuristic_only = 1;
    fp_steiner_result res;
    ck_assert_int_eq(fp_steiner_solve(g, &o, NULL, &res, &err), 0);
    /* the dual-ascent bound (19) cannot prove the tree (>= 23) optimal */
    ck_assert_int_eq(res.status, FP_ST_FEASIBLE);
    ck_assert_double_le(res.lower_bound, 23);
    ck_assert_double_ge(res.cost, 23);
    ck_assert_double_gt(res.gap, 0);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}
END_TEST

/* A w x w grid with random integral costs and k random terminals: mid-size,
 * hard enough that no stage finishes in a blink. */
static fp_sgraph *grid_graph(unsigned *s, int w, int k)
{
    fp_error err;
    fp_sgraph *g = fp_sgraph_create(w * w);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++) {
            int v = y * w + x;
            if (x + 1 < w)
                ck_assert_int_ge(fp_sgraph_add_edge(g, v, v + 1, 1 + tu_rnd(s) % 50, &err), 0);
            if (y + 1 < w)
                ck_assert_int_ge(fp_sgraph_add_edge(g, v, v + w, 1 + tu_rnd(s) % 50, &err), 0);
        }
    for (int i = 0; i < k; i++)
        g->term[tu_rnd(s) % (unsigned)(w * w)] = 1;
    return g;
}

/* Whatever a tiny time limit cuts short (a limit of 1e-9 s has passed at
 * every check, whatever the machine's speed), the answer is a valid tree
 * with a bound below its cost. */
START_TEST(tiny_time_limit_valid)
{
    static const double limits[] = {1e-9, 0.05};
    unsigned s = 777;
    fp_sgraph *g = grid_graph(&s, 50, 150);
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        for (int ho = 0; ho < 2; ho++) {
            fp_steiner_opts o;
            fp_steiner_opts_default(&o);
            o.time_limit = limits[i];
            o.heuristic_only = ho;
            fp_steiner_result res;
            fp_error err;
            ck_assert_int_eq(fp_steiner_solve(g, &o, NULL, &res, &err), 0);
            ck_assert(res.status == FP_ST_FEASIBLE || res.status == FP_ST_OPTIMAL);
            double c = -1;
            ck_assert_int_eq(fp_steiner_check(g, res.edge_in, &c), 1);
            ck_assert_double_eq_tol(c, res.cost, 1e-9 * (1 + c));
            ck_assert_double_gt(res.cost, 0);
            ck_assert_double_ge(res.lower_bound, 0);
            ck_assert_double_le(res.lower_bound, res.cost);
            ck_assert(res.gap >= 0 && res.gap <= 1);
            if (res.status == FP_ST_OPTIMAL)
                ck_assert_double_eq(res.lower_bound, res.cost);
            fp_steiner_result_free(&res);
        }
    }
    fp_sgraph_free(g);
}
END_TEST

/* With its deadline long past, the heuristic still returns a valid tree:
 * the first root's, without local search; and local search leaves a tree
 * unchanged. */
START_TEST(heuristic_past_deadline_valid)
{
    unsigned s = 4242;
    fp_sgraph *sg = grid_graph(&s, 30, 60);
    fp_rgraph *r = fp_rgraph_create(sg);
    ck_assert_ptr_nonnull(r);
    fp_cgraph *cg = fp_cgraph_from_rgraph(r);
    ck_assert_ptr_nonnull(cg);
    fp_heur *h = fp_heur_create(cg);
    ck_assert_ptr_nonnull(h);
    unsigned char *sol = calloc((size_t)cg->m, 1), *sol2 = calloc((size_t)cg->m, 1);
    ck_assert(sol && sol2);
    double free_cost = fp_heur_run(h, 8, 1, sol);
    ck_assert_double_gt(free_cost, 0);
    fp_heur_set_deadline(h, 1e-3); /* the clock's origin is long gone */
    double c = fp_heur_run(h, 8, 1, sol2), chk = -1;
    ck_assert_double_gt(c, 0);
    ck_assert_int_eq(fp_heur_check(cg, sol2, &chk), 1);
    ck_assert_double_eq_tol(chk, c, 1e-9 * (1 + c));
    ck_assert_double_le(free_cost, c + 1e-9 * (1 + c)); /* more search, no worse */
    /* local search past the deadline stops at once: the tree is kept */
    memcpy(sol, sol2, (size_t)cg->m);
    ck_assert_double_eq_tol(fp_heur_improve(h, sol2, 0), c, 1e-9 * (1 + c));
    ck_assert_int_eq(memcmp(sol, sol2, (size_t)cg->m), 0);
    free(sol);
    free(sol2);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(sg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ilp");
    TCase *tc = tcase_create("ilp");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, exact_matches_brute_force);
    tcase_add_test(tc, branch_and_cut_without_reductions);
    tcase_add_test(tc, ties_and_optimal_incumbent);
    tcase_add_test(tc, pricing_matches_brute_force);
    tcase_add_test(tc, steinlib_b_optima);
    tcase_add_test(tc, steinlib_i080_branch_and_cut_again);
    tcase_add_test(tc, pace_optima);
    tcase_add_test(tc, time_limit_gives_bound);
    tcase_add_test(tc, tiny_time_limit_valid);
    tcase_add_test(tc, heuristic_past_deadline_valid);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
