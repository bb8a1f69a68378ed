/* test_dualascent: the dual ascent's bounds against brute force on small
 * random graphs, from every terminal as the root: the bound of both orders
 * (plain and re-queued), and the extended reduced-cost bound of every edge
 * and vertex against the trees through it whose leaves are terminals (the
 * pruned minimum spanning trees of every vertex set); the cuts it records are
 * satisfied by an optimal tree; elimination keeps every cheaper tree. */
#include "dualascent.h"
#include "heur.h"
#include "reduce.h"
#include "sgraph.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* cg as an instance of its own: its optimum by brute force. */
static double opt_of(const fp_cgraph *cg)
{
    fp_sgraph *g = fp_sgraph_create(cg->n);
    fp_error err;
    for (int v = 0; v < cg->n; v++)
        g->term[v] = cg->term[v];
    for (int e = 0; e < cg->m; e++)
        ck_assert_int_ge(fp_sgraph_add_edge(g, cg->tail[e], cg->head[e], cg->cost[e], &err), 0);
    double c = tu_steiner_brute_force(g);
    fp_sgraph_free(g);
    return c;
}

/* The minimum spanning tree of the vertex set mask (bit v: vertex v of cg),
 * then pruned of non-terminal leaves: a tree whose leaves are terminals.
 * Writes it into t[cg->m]; RETURNS its cost, or -1 if mask's induced graph
 * is not connected. */
static double pruned_mst(const fp_cgraph *cg, unsigned mask, unsigned char *t)
{
    int n = cg->n, in[32] = {0}, deg[32] = {0}, first = -1;
    memset(t, 0, (size_t)cg->m);
    for (int v = 0; v < n; v++)
        if (mask >> v & 1u) {
            first = first < 0 ? v : first;
        }
    if (first < 0)
        return -1;
    in[first] = 1;
    for (;;) {
        int be = -1;
        for (int e = 0; e < cg->m; e++) {
            int a = cg->tail[e], b = cg->head[e];
            if (!(mask >> a & 1u) || !(mask >> b & 1u) || in[a] == in[b])
                continue;
            if (be < 0 || cg->cost[e] < cg->cost[be])
                be = e;
        }
        if (be < 0)
            break;
        t[be] = 1;
        in[cg->tail[be]] = in[cg->head[be]] = 1;
        deg[cg->tail[be]]++;
        deg[cg->head[be]]++;
    }
    for (int v = 0; v < n; v++)
        if ((mask >> v & 1u) && !in[v])
            return -1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int e = 0; e < cg->m; e++) {
            if (!t[e])
                continue;
            int a = cg->tail[e], b = cg->head[e];
            if ((deg[a] == 1 && !cg->term[a]) || (deg[b] == 1 && !cg->term[b])) {
                t[e] = 0;
                deg[a]--;
                deg[b]--;
                changed = 1;
            }
        }
    }
    double c = 0;
    for (int e = 0; e < cg->m; e++)
        c += t[e] ? cg->cost[e] : 0;
    return c;
}

/* An optimal tree of cg's instance: every edge whose deletion keeps the
 * optimum is deleted in turn. Writes it into sol[cg->m]. */
static void optimal_tree(const fp_cgraph *cg, double opt, unsigned char *sol)
{
    memset(sol, 1, (size_t)cg->m);
    for (int e = 0; e < cg->m; e++) {
        sol[e] = 0;
        int n = cg->n;
        fp_sgraph *g = fp_sgraph_create(n);
        fp_error err;
        for (int v = 0; v < n; v++)
            g->term[v] = cg->term[v];
        for (int f = 0; f < cg->m; f++)
            if (sol[f])
                fp_sgraph_add_edge(g, cg->tail[f], cg->head[f], cg->cost[f], &err);
        double c = tu_steiner_brute_force(g);
        fp_sgraph_free(g);
        if (!(c <= opt + 1e-9))
            sol[e] = 1; /* needed */
    }
    /* every edge left is needed: they form an optimal tree */
    double c;
    ck_assert(fp_heur_check(cg, sol, &c));
    ck_assert_double_eq_tol(c, opt, 1e-9);
}

START_TEST(bounds_hold_from_every_root)
{
    unsigned s = 4242;
    int cut_e = 0, cut_v = 0, better = 0, insts = 0;
    for (int it = 0; it < 60; it++) {
        int n = 7 + (int)(tu_rnd(&s) % 6);
        fp_sgraph *g = tu_random_graph(&s, n, n + (int)(tu_rnd(&s) % (unsigned)(2 * n)),
                                       2 + (int)(tu_rnd(&s) % 4), it % 2);
        if (fp_sgraph_n_terminals(g) < 2) {
            fp_sgraph_free(g);
            continue;
        }
        insts++;
        fp_rgraph *r = fp_rgraph_create(g);
        fp_error err;
        ck_assert_int_eq(fp_reduce_components(r, &err), 0);
        fp_cgraph *cg = fp_cgraph_from_rgraph(r);
        ck_assert_ptr_nonnull(cg);
        double opt = opt_of(cg);
        ck_assert(opt < DBL_MAX);
        /* trees whose leaves are terminals: the pruned minimum spanning
         * trees of the vertex sets holding the terminals */
        unsigned tmask = 0, nsets = 1u << cg->n;
        for (int v = 0; v < cg->n; v++)
            tmask |= cg->term[v] ? 1u << v : 0;
        unsigned char *trees = malloc((size_t)nsets * (size_t)cg->m);
        double *tcost = malloc((size_t)nsets * sizeof *tcost);
        for (unsigned S = 0; S < nsets; S++)
            tcost[S] = (S & tmask) == tmask ? pruned_mst(cg, S, trees + (size_t)S * (size_t)cg->m)
                                            : -1;
        unsigned char *ot = malloc((size_t)cg->m);
        optimal_tree(cg, opt, ot);
        double *rc = malloc(2 * (size_t)cg->m * sizeof *rc);
        double *eb = malloc((size_t)cg->m * sizeof *eb), *vb = malloc((size_t)cg->n * sizeof *vb);
        for (int root = 0; root < cg->n; root++) {
            if (!cg->term[root])
                continue;
            double lp = 0, lq = 0;
            fp_da_cuts cu = {0};
            ck_assert_int_eq(fp_da_run_cuts(cg, root, &lp, NULL, &cu), 0);
            ck_assert_double_le(lp, opt + 1e-9);
            /* every recorded cut x(delta-(S)) >= 1 holds for the optimal
             * tree directed away from the root: one of its arcs enters S */
            unsigned char *arcs = calloc(2 * (size_t)cg->m, 1);
            int *stk = malloc((size_t)cg->n * sizeof *stk), sp = 0;
            unsigned char *seen = calloc((size_t)cg->n, 1);
            stk[sp++] = root;
            seen[root] = 1;
            while (sp > 0) {
                int x = stk[--sp];
                for (int i = cg->adj_start[x]; i < cg->adj_start[x + 1]; i++) {
                    int e = cg->adj_edge[i], y = cg->tail[e] == x ? cg->head[e] : cg->tail[e];
                    if (!ot[e] || seen[y])
                        continue;
                    seen[y] = 1;
                    arcs[cg->tail[e] == x ? 2 * e : 2 * e + 1] = 1;
                    stk[sp++] = y;
                }
            }
            for (int i = 0; i < cu.n; i++) {
                int hit = 0;
                for (long k = cu.start[i]; k < cu.start[i + 1]; k++)
                    hit |= arcs[cu.arc[k]];
                ck_assert_msg(hit, "instance %d root %d: cut %d misses the optimal tree", it, root, i);
            }
            ck_assert_int_gt(cu.n, 0);
            free(arcs);
            free(stk);
            free(seen);
            fp_da_cuts_free(&cu);
            ck_assert_int_eq(fp_da_run(cg, root, &lq, rc), 0);
            ck_assert_double_le(lq, opt + 1e-9);
            better += lq > lp + 1e-9;
            for (int a = 0; a < 2 * cg->m; a++)
                ck_assert_double_ge(rc[a], 0);
            ck_assert_int_eq(fp_da_edge_bounds(cg, root, lq, rc, eb, vb), 0);
            /* no bound exceeds the cost of a tree through the edge or the
             * vertex (whose leaves are terminals: elimination may drop
             * what only trees with other leaves use) */
            for (unsigned S = 0; S < nsets; S++) {
                if (tcost[S] < 0)
                    continue;
                const unsigned char *t = trees + (size_t)S * (size_t)cg->m;
                for (int e = 0; e < cg->m; e++) {
                    if (!t[e])
                        continue;
                    ck_assert_msg(eb[e] <= tcost[S] + 1e-9,
                                  "instance %d root %d edge %d: bound %g above a tree of %g", it,
                                  root, e, eb[e], tcost[S]);
                    int ends[2] = {cg->tail[e], cg->head[e]};
                    for (int j = 0; j < 2; j++)
                        ck_assert_msg(vb[ends[j]] <= tcost[S] + 1e-9,
                                      "instance %d root %d vertex %d: bound %g above a tree of %g",
                                      it, root, ends[j], vb[ends[j]], tcost[S]);
                }
            }
            for (int e = 0; e < cg->m; e++)
                cut_e += eb[e] > opt + 1e-9;
            for (int v = 0; v < cg->n; v++)
                cut_v += vb[v] > opt + 1e-9;
            /* elimination against the optimum keeps an optimal tree */
            fp_rgraph *r2 = fp_rgraph_create(g);
            ck_assert_int_eq(fp_reduce_components(r2, &err), 0);
            fp_cgraph *cg2 = fp_cgraph_from_rgraph(r2);
            ck_assert_int_ge(fp_da_eliminate_bounds(r2, cg2, eb, vb, opt), 0);
            fp_cgraph_free(cg2);
            ck_assert_int_eq(fp_reduce_components(r2, &err), 0);
            cg2 = fp_cgraph_from_rgraph(r2);
            ck_assert_double_eq_tol(opt_of(cg2), opt, 1e-9);
            fp_cgraph_free(cg2);
            fp_rgraph_free(r2);
        }
        free(rc);
        free(eb);
        free(vb);
        free(trees);
        free(tcost);
        free(ot);
        fp_cgraph_free(cg);
        fp_rgraph_free(r);
        fp_sgraph_free(g);
    }
    ck_assert_int_gt(insts, 30);
    /* the bounds do rule out edges and vertices, and the re-queued order
     * sometimes beats the plain one */
    ck_assert_int_gt(cut_e, 0);
    ck_assert_int_gt(cut_v, 0);
    ck_assert_int_gt(better, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dualascent");
    TCase *tc = tcase_create("dualascent");
    tcase_add_test(tc, bounds_hold_from_every_root);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
