/* test_pcstp: exact prize-collecting Steiner trees against brute force on
 * small random graphs, and DIMACS instances with known optima. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcstp.h"
#include "pcstp_int.h"
#include "sgraph.h"
#include "stp.h"
#include "testutil.h"

static unsigned rnd(unsigned *s)
{
    return (tu_rnd(s) >> 8) & 0x7fff;
}

/* Random arrays of a small prize-collecting network: m edges (costs
 * 1..9, self-loops possible), prizes (a third 0, else multiples of 0.75)
 * and, unless no_kc, node costs 0..2 (kc[] zero then). */
static void random_pc_arrays(unsigned *s, int n, int m, int no_kc, int *tail, int *head,
                             double *cost, double *pz, double *kc)
{
    for (int e = 0; e < m; e++) {
        tail[e] = (int)(rnd(s) % (unsigned)n);
        head[e] = (int)(rnd(s) % (unsigned)n);
        cost[e] = (double)(1 + rnd(s) % 9);
    }
    for (int v = 0; v < n; v++) {
        pz[v] = rnd(s) % 3 == 0 ? 0 : (double)(rnd(s) % 15) * 0.75;
        kc[v] = no_kc ? 0 : (double)(rnd(s) % 3);
    }
}

static double brute_pc(const fp_sgraph *g)
{
    int n = g->n_nodes;
    double best = INFINITY, tot = 0;
    for (int v = 0; v < n; v++)
        tot += g->prize[v];
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        if (g->root >= 0 && !((mask >> g->root) & 1))
            continue;
        double c = tu_mst_of(g, mask);
        if (!isfinite(c))
            continue;
        double out = 0;
        for (int v = 0; v < n; v++)
            if (!((mask >> v) & 1))
                out += g->prize[v];
        if (c + out < best)
            best = c + out;
    }
    (void)tot;
    return best;
}

static fp_sgraph *random_pc(unsigned seed, int n, int m, int rooted)
{
    unsigned s = seed * 7919u + 17u;
    fp_sgraph *g = fp_sgraph_create(n);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(fp_sgraph_enable_prizes(g, NULL), 0);
    for (int e = 0; e < m; e++) {
        int u = (int)(rnd(&s) % (unsigned)n), v = (int)(rnd(&s) % (unsigned)n);
        ck_assert_int_ge(fp_sgraph_add_edge(g, u, v, 1 + rnd(&s) % 10, NULL), 0);
    }
    for (int v = 0; v < n; v++)
        g->prize[v] = rnd(&s) % 3 == 0 ? 0 : (double)(rnd(&s) % 16);
    if (rooted) {
        g->root = 0;
        g->term[0] = 1;
        g->problem = FP_PROB_RPCSTP;
    } else {
        g->problem = FP_PROB_PCSTP;
    }
    snprintf(g->name, sizeof g->name, "rand%u", seed);
    return g;
}

static void check_random(int rooted)
{
    for (unsigned seed = 0; seed < 80; seed++) {
        int n = 5 + (int)(seed % 5), m = n + (int)(seed % 9);
        fp_sgraph *g = random_pc(seed, n, m, rooted);
        fp_steiner_result res;
        unsigned char *nin = NULL;
        fp_error err;
        fp_error_clear(&err);
        ck_assert_int_eq(fp_pcstp_solve(g, NULL, NULL, &res, &nin, &err), 0);
        double want = brute_pc(g);
        ck_assert_msg(res.status == FP_ST_OPTIMAL, "seed %u: not optimal", seed);
        ck_assert_msg(fabs(res.cost - want) < 1e-9, "seed %u rooted %d: got %g want %g", seed,
                      rooted, res.cost, want);
        ck_assert_double_eq_tol(res.lower_bound, res.cost, 1e-9);
        double chk;
        ck_assert(fp_pcstp_check(g, res.edge_in, nin, &chk));
        ck_assert_double_eq_tol(chk, want, 1e-9);
        if (rooted)
            ck_assert(nin[0]);
        free(nin);
        fp_steiner_result_free(&res);
        fp_sgraph_free(g);
    }
}

START_TEST(random_rooted_vs_brute_force)
{
    check_random(1);
}
END_TEST

START_TEST(random_unrooted_vs_brute_force)
{
    check_random(0);
}
END_TEST

/* Unrooted instances big enough for the dual ascent's fixing (nodes and
 * edges removed, a forced root, the root LP's tree fixing more), still
 * small enough for brute force; integral and fractional prizes. */
static void count_fixing(void *ud, fp_log_level level, const char *msg)
{
    (void)level;
    if (strncmp(msg, "bound fixing: ", 14) == 0 && strstr(msg, " of ") &&
        strncmp(msg, "bound fixing: 0 of", 18) != 0)
        ++*(int *)ud;
}

START_TEST(unrooted_fixing_vs_brute_force)
{
    int fixed = 0;
    fp_log log = {0};
    log.message = count_fixing;
    log.ud = &fixed;
    for (unsigned seed = 0; seed < 40; seed++) {
        int n = 11 + (int)(seed % 5), m = 2 * n + (int)(seed % 7);
        fp_sgraph *g = random_pc(seed + 1000, n, m, 0);
        if (seed % 2)
            for (int v = 0; v < n; v++)
                g->prize[v] *= 0.75;
        fp_steiner_result res;
        unsigned char *nin = NULL;
        fp_error err;
        fp_error_clear(&err);
        ck_assert_int_eq(fp_pcstp_solve(g, NULL, &log, &res, &nin, &err), 0);
        double want = brute_pc(g);
        ck_assert_msg(res.status == FP_ST_OPTIMAL, "seed %u: not optimal", seed);
        ck_assert_msg(fabs(res.cost - want) < 1e-9, "seed %u: got %g want %g", seed, res.cost,
                      want);
        ck_assert_double_eq_tol(res.lower_bound, res.cost, 1e-9);
        double chk;
        ck_assert(fp_pcstp_check(g, res.edge_in, nin, &chk));
        ck_assert_double_eq_tol(chk, want, 1e-9);
        free(nin);
        fp_steiner_result_free(&res);
        fp_sgraph_free(g);
    }
    /* the fixing did remove something on some of them */
    ck_assert_int_gt(fixed, 5);
}
END_TEST

/* A lone vertex can be the optimum of an unrooted problem even when the
 * reductions remove it from the graph (a leaf not worth its edge). */
START_TEST(single_vertex_optimum)
{
    fp_sgraph *g = fp_sgraph_create(3);
    fp_sgraph_enable_prizes(g, NULL);
    fp_sgraph_add_edge(g, 0, 1, 10, NULL);
    fp_sgraph_add_edge(g, 1, 2, 10, NULL);
    g->prize[0] = 5;
    g->prize[2] = 3;
    g->problem = FP_PROB_PCSTP;
    fp_steiner_result res;
    unsigned char *nin = NULL;
    ck_assert_int_eq(fp_pcstp_solve(g, NULL, NULL, &res, &nin, NULL), 0);
    ck_assert_double_eq(res.cost, 3); /* keep vertex 0 alone: lose 3 */
    ck_assert(nin[0] && !nin[1] && !nin[2]);
    ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
    free(nin);
    fp_steiner_result_free(&res);
    g->problem = FP_PROB_SPG;
    fp_error err;
    ck_assert_int_eq(fp_pcstp_solve(g, NULL, NULL, &res, NULL, &err), FP_EINPUT);
    fp_sgraph_free(g);
}
END_TEST

static void dimacs(const char *set, const char *name, double opt)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pcstp/%s/%s.stp", FP_SHARED_DATA, set, name);
    fp_sgraph *g = NULL;
    fp_error err;
    ck_assert_msg(fp_stp_read(path, &g, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(g->problem, FP_PROB_PCSTP);
    fp_steiner_result res;
    unsigned char *nin = NULL;
    ck_assert_int_eq(fp_pcstp_solve(g, NULL, NULL, &res, &nin, &err), 0);
    ck_assert_int_eq(res.status, FP_ST_OPTIMAL);
    ck_assert_double_eq_tol(res.cost, opt, 1e-6);
    double chk;
    ck_assert(fp_pcstp_check(g, res.edge_in, nin, &chk));
    ck_assert_double_eq_tol(chk, opt, 1e-6);
    free(nin);
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
}

START_TEST(dimacs_known_optima)
{
    dimacs("PUCNU", "cc3-4nu", 10);
    dimacs("PUCNU", "cc6-2nu", 15);
    dimacs("JMP", "K100.5", 119078);
    dimacs("CRR", "C01-A", 18);
    dimacs("CRR", "C03-A", 414);
}
END_TEST

/* The CLI on a prize file: JSON objective and a solution with V lines. */
START_TEST(cli_prize_file)
{
    char *dir = tu_tmpdir();
    char stp[512], sol[512], args[1400];
    snprintf(stp, sizeof stp, "%s/p.stp", dir);
    snprintf(sol, sizeof sol, "%s/p.sol", dir);
    ck_assert_int_eq(tu_write_file(stp, "33D32945 STP File, STP Format Version 1.0\n"
                                        "SECTION Graph\nNodes 4\nEdges 3\n"
                                        "E 1 2 1\nE 2 3 1\nE 3 4 20\nEND\n"
                                        "SECTION Terminals\nTerminals 3\n"
                                        "TP 1 5\nTP 3 6\nTP 4 2\nEND\nEOF\n"),
                     0);
    snprintf(args, sizeof args, "stp '%s' --json --quiet --solution '%s'", stp, sol);
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    /* best: 1-2-3 (cost 2, loses 2) = 4; 3 alone loses 7, all costs 22 */
    ck_assert_ptr_nonnull(strstr(out, "\"cost\":4,"));
    ck_assert_ptr_nonnull(strstr(out, "\"status\":\"optimal\""));
    char *s = tu_read_file(sol, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_nonnull(strstr(s, "E 1 2 1\n"));
    ck_assert_ptr_nonnull(strstr(s, "E 2 3 1\n"));
    ck_assert_ptr_nonnull(strstr(s, "V 3\n"));
    ck_assert_ptr_null(strstr(s, "V 4\n"));
    free(s);
    free(out);
    free(err);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Dual ascent bounds (fp_nw_da) against every tree of small random rooted
 * graphs: for each node set whose MST has only prized (or grouped) leaves,
 * its value is >= the global bound, >= the bound of each of its nodes and
 * >= the bound of each MST edge. */
static double mst_edges(const fp_nwprob *p, unsigned mask, unsigned char *ein, int *deg)
{
    int n = p->n, cnt = 0, comp[32], order[64];
    for (int v = 0; v < n; v++) {
        comp[v] = v;
        deg[v] = 0;
        cnt += (mask >> v) & 1;
    }
    for (int e = 0; e < p->m; e++) {
        order[e] = e;
        ein[e] = 0;
    }
    for (int i = 0; i < p->m; i++)
        for (int j = i + 1; j < p->m; j++)
            if (p->cost[order[j]] < p->cost[order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    double c = 0;
    int joined = 0;
    for (int i = 0; i < p->m; i++) {
        int e = order[i], a = p->tail[e], b = p->head[e];
        if (!((mask >> a) & 1) || !((mask >> b) & 1) || comp[a] == comp[b])
            continue;
        int rb = comp[b];
        for (int v = 0; v < n; v++)
            if (comp[v] == rb)
                comp[v] = comp[a];
        c += p->cost[e];
        ein[e] = 1;
        deg[a]++;
        deg[b]++;
        joined++;
    }
    return joined == cnt - 1 ? c : INFINITY;
}

START_TEST(dual_ascent_bounds_valid)
{
    for (unsigned seed = 0; seed < 150; seed++) {
        unsigned s = seed * 7919u + 11u;
        int n = 6 + (int)(seed % 7), m = n + 1 + (int)(rnd(&s) % (unsigned)(2 * n));
        int tail[64], head[64], grp[16];
        double cost[64], pz[16], kc[16], nb[16], eb[64], lb;
        random_pc_arrays(&s, n, m, seed % 2, tail, head, cost, pz, kc);
        for (int v = 0; v < n; v++)
            grp[v] = seed % 5 == 0 && v >= n - 2 ? 0 : -1;
        fp_nwprob p = {FP_NW_PC, n, m, tail, head, cost, pz, kc, seed % 5 == 0 ? grp : NULL,
                       (int)(seed % 3), 0};
        ck_assert_int_eq(fp_nw_da(&p, pz, 0, &lb, nb, eb, NULL), 0);
        unsigned char ein[64];
        int deg[16];
        for (unsigned mask = 0; mask < (1u << n); mask++) {
            if (!((mask >> p.root) & 1))
                continue;
            double c = mst_edges(&p, mask, ein, deg);
            if (!isfinite(c))
                continue;
            int ok = 1;
            double val = c;
            for (int v = 0; v < n; v++) {
                if ((mask >> v) & 1) {
                    val += kc[v];
                    if (v != p.root && deg[v] <= 1 && pz[v] <= 0 && grp[v] < 0)
                        ok = 0; /* a Steiner leaf: not covered */
                    if (v != p.root && deg[v] <= 1 && pz[v] <= 0 && !p.group)
                        ok = 0;
                } else {
                    val += pz[v];
                }
            }
            if (!ok)
                continue;
            double tol = 1e-7 * (1 + val);
            ck_assert_msg(lb <= val + tol, "seed %u mask %x: lb %g > %g", seed, mask, lb, val);
            for (int v = 0; v < n; v++)
                if ((mask >> v) & 1)
                    ck_assert_msg(nb[v] <= val + tol, "seed %u mask %x node %d: %g > %g", seed,
                                  mask, v, nb[v], val);
            for (int e = 0; e < m; e++)
                if (ein[e])
                    ck_assert_msg(eb[e] <= val + tol, "seed %u mask %x edge %d: %g > %g", seed,
                                  mask, e, eb[e], val);
        }
    }
}
END_TEST

/* The unrooted ascent (SCIP-Jack's transformation) against every tree of
 * small random graphs: every tree holding a prize node, its leaves all
 * prized, is worth >= lb, >= nb of its nodes, >= eb of its MST edges and
 * >= xb of every prize node it leaves out. The empty tree is apart. */
START_TEST(dual_ascent_unrooted_bounds_valid)
{
    int tight = 0;
    for (unsigned seed = 0; seed < 200; seed++) {
        unsigned s = seed * 104729u + 5u;
        int n = 5 + (int)(seed % 8), m = n + (int)(rnd(&s) % (unsigned)(2 * n));
        int tail[64], head[64];
        double cost[64], pz[16], kc[16], nb[16], eb[64], xb[16], lb;
        random_pc_arrays(&s, n, m, seed % 2, tail, head, cost, pz, kc);
        fp_nwprob p = {FP_NW_PC, n, m, tail, head, cost, pz, seed % 2 ? NULL : kc, NULL, -1, 0};
        ck_assert_int_eq(fp_nw_da(&p, pz, 0, &lb, nb, eb, xb), 0);
        unsigned char ein[64];
        int deg[16];
        double best = INFINITY;
        for (unsigned mask = 1; mask < (1u << n); mask++) {
            double c = mst_edges(&p, mask, ein, deg);
            if (!isfinite(c))
                continue;
            int ok = 1, prized = 0, cnt = 0;
            double val = c;
            for (int v = 0; v < n; v++)
                cnt += (mask >> v) & 1;
            for (int v = 0; v < n; v++) {
                if ((mask >> v) & 1) {
                    val += seed % 2 ? 0 : kc[v];
                    prized |= pz[v] > 0;
                    if (cnt > 1 && deg[v] <= 1 && pz[v] <= 0)
                        ok = 0; /* a Steiner leaf: not covered */
                } else {
                    val += pz[v];
                }
            }
            if (!ok || !prized)
                continue;
            if (val < best)
                best = val;
            double tol = 1e-7 * (1 + fabs(val));
            ck_assert_msg(lb <= val + tol, "seed %u mask %x: lb %g > %g", seed, mask, lb, val);
            for (int v = 0; v < n; v++) {
                if ((mask >> v) & 1)
                    ck_assert_msg(nb[v] <= val + tol, "seed %u mask %x node %d: %g > %g", seed,
                                  mask, v, nb[v], val);
                else if (pz[v] > 0)
                    ck_assert_msg(xb[v] <= val + tol, "seed %u mask %x out %d: %g > %g", seed,
                                  mask, v, xb[v], val);
            }
            for (int e = 0; e < m; e++)
                if (ein[e])
                    ck_assert_msg(eb[e] <= val + tol, "seed %u mask %x edge %d: %g > %g", seed,
                                  mask, e, eb[e], val);
        }
        if (isfinite(best) && lb >= best - 1e-9 * (1 + fabs(best)))
            tight++;
    }
    /* a bound near the optimum (not a collapse to the empty forest) */
    ck_assert_int_gt(tight, 20);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pcstp");
    TCase *tc = tcase_create("pcstp");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, random_rooted_vs_brute_force);
    tcase_add_test(tc, random_unrooted_vs_brute_force);
    tcase_add_test(tc, unrooted_fixing_vs_brute_force);
    tcase_add_test(tc, single_vertex_optimum);
    tcase_add_test(tc, dimacs_known_optima);
    tcase_add_test(tc, cli_prize_file);
    tcase_add_test(tc, dual_ascent_bounds_valid);
    tcase_add_test(tc, dual_ascent_unrooted_bounds_valid);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
