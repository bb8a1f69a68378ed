/* test_heur: the Steiner heuristics' moves on graphs with known answers,
 * and their trees against brute force on random graphs. */
#include "heur.h"
#include "reduce.h"
#include "sgraph.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The compact graph of g without reductions: same nodes, one edge a pair
 * (the cheapest of parallel ones). */
static fp_cgraph *compact(const fp_sgraph *g, fp_rgraph **r)
{
    *r = fp_rgraph_create(g);
    ck_assert_ptr_nonnull(*r);
    fp_cgraph *cg = fp_cgraph_from_rgraph(*r);
    ck_assert_ptr_nonnull(cg);
    ck_assert_int_eq(cg->n, g->n_nodes);
    return cg;
}

/* Marks the compact edge joining a and b (compact numbering = original). */
static void use_edge(const fp_cgraph *cg, unsigned char *sol, int a, int b)
{
    for (int e = 0; e < cg->m; e++)
        if ((cg->tail[e] == a && cg->head[e] == b) || (cg->tail[e] == b && cg->head[e] == a)) {
            sol[e] = 1;
            return;
        }
    ck_abort_msg("no edge %d-%d", a, b);
}

/* Builds the graph, marks the start tree (its cost checked), lets
 * fp_heur_improve work on it and asserts the improved tree and its cost
 * (and, if to_is_optimal, that brute force finds no cheaper tree). */
static void improves(int n, const int (*e)[2], const double *c, int m, const int *t, int k,
                     const int (*tree)[2], int nt, double from, double to, int to_is_optimal)
{
    fp_sgraph *g = tu_graph(n, e, c, m, t, k);
    if (to_is_optimal)
        ck_assert_double_eq_tol(tu_steiner_brute_force(g), to, 1e-9);
    fp_rgraph *r;
    fp_cgraph *cg = compact(g, &r);
    fp_heur *h = fp_heur_create(cg);
    unsigned char *sol = calloc((size_t)cg->m, 1);
    for (int i = 0; i < nt; i++)
        use_edge(cg, sol, tree[i][0], tree[i][1]);
    double chk;
    ck_assert(fp_heur_check(cg, sol, &chk));
    ck_assert_double_eq_tol(chk, from, 1e-9);
    ck_assert_double_eq_tol(fp_heur_improve(h, sol, 0), to, 1e-9);
    ck_assert(fp_heur_check(cg, sol, &chk));
    ck_assert_double_eq_tol(chk, to, 1e-9);
    free(sol);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}

START_TEST(key_vertex_elimination_replaces_a_hub)
{
    /* Terminals 1, 2, 3 hang on the Steiner hub 0 (cost 3 each: 9). The
     * path 1-4-2-5-3 costs 8 and is the optimum. No single key path can be
     * replaced (each costs 3, the cheapest reconnection 4), inserting 4 or 5
     * alone costs more, and removing the hub alone disconnects: only
     * dropping the hub with its three key paths and joining the pieces by
     * the two cheapest paths (4 + 4) improves the star. */
    static const int e[][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 4}, {4, 2}, {2, 5}, {5, 3}};
    static const double c[] = {3, 3, 3, 2, 2, 2, 2};
    static const int t[] = {1, 2, 3};
    static const int tree[][2] = {{0, 1}, {0, 2}, {0, 3}};
    improves(6, e, c, 7, t, 3, tree, 3, 9, 8, 1);
}
END_TEST

START_TEST(key_path_exchange_takes_a_shortcut)
{
    /* Tree 0-1-2-3 (terminals 0 and 3, a key path of cost 9 through 1 and
     * 2); the path 0-4-5-3 costs 6 through two vertices off the tree,
     * neither of which alone helps an insertion. */
    static const int e[][2] = {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {4, 5}, {5, 3}};
    static const double c[] = {3, 3, 3, 2, 2, 2};
    static const int t[] = {0, 3};
    static const int tree[][2] = {{0, 1}, {1, 2}, {2, 3}};
    improves(6, e, c, 6, t, 2, tree, 3, 9, 6, 0);
}
END_TEST

START_TEST(key_path_exchange_through_a_freed_vertex)
{
    /* Tree 0-1-2-3 (terminals 0 and 3, cost 15). The cheaper way 0-4-5-2-3
     * (8) runs through 2, an inner vertex of the key path it replaces, and
     * through two vertices off the tree that insertion cannot add one at a
     * time (each has a single edge into the tree): only a key-path
     * exchange whose search crosses the freed path (the Voronoi repair of
     * the removed vertices' regions) finds it. */
    static const int e[][2] = {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {4, 5}, {5, 2}};
    static const double c[] = {5, 5, 5, 1, 1, 1};
    static const int t[] = {0, 3};
    static const int tree[][2] = {{0, 1}, {1, 2}, {2, 3}};
    improves(6, e, c, 6, t, 2, tree, 3, 15, 8, 1);
}
END_TEST

START_TEST(vertex_insertion_adds_a_centre)
{
    /* Terminals 0, 1, 2 joined pairwise by edges of cost 4 (tree: 8); the
     * Steiner vertex 3 reaches each at cost 2 (tree: 6). */
    static const int e[][2] = {{0, 1}, {1, 2}, {0, 2}, {3, 0}, {3, 1}, {3, 2}};
    static const double c[] = {4, 4, 4, 2, 2, 2};
    static const int t[] = {0, 1, 2};
    static const int tree[][2] = {{0, 1}, {1, 2}};
    improves(4, e, c, 6, t, 3, tree, 2, 8, 6, 0);
}
END_TEST

START_TEST(a_graph_with_cycles_becomes_a_tree)
{
    /* All edges chosen on a graph with zero-cost cycles (as the LP may
     * give): even with the least effort the result is a tree. */
    static const int e[][2] = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 2}};
    static const double c[] = {0, 0, 0, 1, 0, 0};
    static const int t[] = {0, 3};
    fp_sgraph *g = tu_graph(5, e, c, 6, t, 2);
    fp_rgraph *r;
    fp_cgraph *cg = compact(g, &r);
    fp_heur *h = fp_heur_create(cg);
    unsigned char *sol = malloc((size_t)cg->m);
    memset(sol, 1, (size_t)cg->m);
    ck_assert(!fp_heur_check(cg, sol, NULL));
    double c2 = fp_heur_improve(h, sol, 1), chk;
    ck_assert(fp_heur_check(cg, sol, &chk));
    ck_assert_double_eq_tol(c2, chk, 1e-12);
    ck_assert_double_eq_tol(chk, 0, 1e-12);
    free(sol);
    fp_heur_free(h);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    fp_sgraph_free(g);
}
END_TEST

/* A connected random graph on n nodes (a random spanning tree plus extra
 * edges), integral costs in 1..cmax (many ties), k terminals. */
static fp_sgraph *random_graph(unsigned *s, int n, int extra, int cmax, int k)
{
    fp_error err;
    fp_sgraph *g = fp_sgraph_create(n);
    for (int v = 1; v < n; v++)
        ck_assert_int_ge(fp_sgraph_add_edge(g, v, (int)(tu_rnd(s) % (unsigned)v),
                                            1 + (double)(tu_rnd(s) % (unsigned)cmax), &err),
                         0);
    for (int i = 0; i < extra; i++) {
        int a = (int)(tu_rnd(s) % (unsigned)n), b = (int)(tu_rnd(s) % (unsigned)n);
        if (a != b)
            ck_assert_int_ge(
                fp_sgraph_add_edge(g, a, b, 1 + (double)(tu_rnd(s) % (unsigned)cmax), &err), 0);
    }
    for (int placed = 0; placed < k;) {
        int v = (int)(tu_rnd(s) % (unsigned)n);
        if (!g->term[v]) {
            g->term[v] = 1;
            placed++;
        }
    }
    return g;
}

START_TEST(random_graphs_against_brute_force)
{
    /* Every tree is valid and never below the optimum; the full heuristic
     * is never worse than the best plain SPH tree and finds the optimum on
     * almost every small instance. */
    unsigned s = 20261129u;
    int runs = 0, optimal = 0;
    for (int it = 0; it < 120; it++) {
        int n = 8 + (int)(tu_rnd(&s) % 9u);          /* 8..16 nodes */
        int k = 2 + (int)(tu_rnd(&s) % (unsigned)(n / 2)); /* >= n/2 - 1 Steiner */
        int extra = n + (int)(tu_rnd(&s) % (unsigned)(2 * n));
        int cmax = it % 3 == 0 ? 1 : it % 3 == 1 ? 4 : 100;
        fp_sgraph *g = random_graph(&s, n, extra, cmax, k);
        double opt = tu_steiner_brute_force(g);
        fp_rgraph *r;
        fp_cgraph *cg = compact(g, &r);
        fp_heur *h = fp_heur_create(cg);
        unsigned char *sol = calloc((size_t)cg->m + 1, 1);
        double best_sph = DBL_MAX, chk;
        for (int v = 0; v < cg->n; v++) {
            if (!cg->term[v])
                continue;
            double c = fp_heur_sph(h, v, NULL, sol);
            ck_assert(fp_heur_check(cg, sol, &chk));
            ck_assert_double_eq_tol(chk, c, 1e-9);
            ck_assert_double_ge(c, opt - 1e-9);
            if (c < best_sph)
                best_sph = c;
            double c2 = fp_heur_improve(h, sol, 0);
            ck_assert(fp_heur_check(cg, sol, &chk));
            ck_assert_double_eq_tol(chk, c2, 1e-9);
            ck_assert_double_le(c2, c + 1e-9);
            ck_assert_double_ge(c2, opt - 1e-9);
        }
        double best = fp_heur_run(h, 64, (unsigned)it, sol);
        ck_assert(fp_heur_check(cg, sol, &chk));
        ck_assert_double_eq_tol(chk, best, 1e-9);
        ck_assert_double_ge(best, opt - 1e-9);
        ck_assert_double_le(best, best_sph + 1e-9);
        runs++;
        optimal += best <= opt + 1e-9;
        free(sol);
        fp_heur_free(h);
        fp_cgraph_free(cg);
        fp_rgraph_free(r);
        fp_sgraph_free(g);
    }
    ck_assert_int_eq(runs, 120);
    ck_assert_int_ge(optimal, 114); /* 120 today */
}
END_TEST

START_TEST(local_search_on_larger_random_graphs)
{
    /* Graphs too large for brute force (60..160 nodes, up to 40 terminals):
     * from every SPH tree the local search returns a valid tree never
     * dearer than its input, and a second search keeps it (no move left
     * that improves, and none that worsens); the full heuristic is never
     * worse than the best SPH tree. */
    unsigned s = 20261130u;
    for (int it = 0; it < 24; it++) {
        int n = 60 + (int)(tu_rnd(&s) % 101u);
        int k = 3 + (int)(tu_rnd(&s) % 38u);
        int extra = n + (int)(tu_rnd(&s) % (unsigned)(4 * n));
        int cmax = it % 3 == 0 ? 2 : it % 3 == 1 ? 10 : 1000;
        fp_sgraph *g = random_graph(&s, n, extra, cmax, k);
        fp_rgraph *r;
        fp_cgraph *cg = compact(g, &r);
        fp_heur *h = fp_heur_create(cg);
        unsigned char *sol = calloc((size_t)cg->m + 1, 1);
        double best_sph = DBL_MAX, chk;
        int tried = 0;
        for (int v = 0; v < cg->n && tried < 6; v++) {
            if (!cg->term[v])
                continue;
            tried++;
            double c = fp_heur_sph(h, v, NULL, sol);
            ck_assert(fp_heur_check(cg, sol, &chk));
            if (c < best_sph)
                best_sph = c;
            double c2 = fp_heur_improve(h, sol, 0);
            ck_assert(fp_heur_check(cg, sol, &chk));
            ck_assert_double_eq_tol(chk, c2, 1e-9 * (1 + c2));
            ck_assert_double_le(c2, c + 1e-9 * (1 + c));
            double c3 = fp_heur_improve(h, sol, 0);
            ck_assert(fp_heur_check(cg, sol, &chk));
            ck_assert_double_le(c3, c2 + 1e-9 * (1 + c2));
        }
        double best = fp_heur_run(h, 8, (unsigned)it, sol);
        ck_assert(fp_heur_check(cg, sol, &chk));
        ck_assert_double_eq_tol(chk, best, 1e-9 * (1 + best));
        ck_assert_double_le(best, best_sph + 1e-9 * (1 + best_sph));
        free(sol);
        fp_heur_free(h);
        fp_cgraph_free(cg);
        fp_rgraph_free(r);
        fp_sgraph_free(g);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("heur");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, key_vertex_elimination_replaces_a_hub);
    tcase_add_test(tc, key_path_exchange_takes_a_shortcut);
    tcase_add_test(tc, key_path_exchange_through_a_freed_vertex);
    tcase_add_test(tc, vertex_insertion_adds_a_centre);
    tcase_add_test(tc, a_graph_with_cycles_becomes_a_tree);
    tcase_add_test(tc, random_graphs_against_brute_force);
    tcase_add_test(tc, local_search_on_larger_random_graphs);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
