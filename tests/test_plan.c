/* test_plan: fibres, cables, BOM, costs and block status on the fixture
 * network, checked against a hand computation; tree validation. */
#include "fixture_net.h"
#include "plan.h"
#include "testutil.h"

#include <math.h>

/* Hand computation (spare 0.2, 0.05 EUR per fibre-metre, smart on):
 *  drops: B0 10 dw -> ceil(10 x 1.2) = 12 fibres (not 13: rounding);
 *         B1 3 dw -> 4; B2 1 dw -> 2
 *  e2 duct J1-J2: 3 dw -> 4 fibres -> 12-fibre cable, 100 m -> 60 EUR
 *  e3 aerial J1-J3: 1 dw -> 2 fibres -> 12, 100 m -> 60 EUR
 *  e1 trench J0-J1: 14 dw -> 16.8 -> 17 -> 24, 100 m -> 120 EUR
 *  e0 link: 14 dw -> 24, 10 m -> 12 EUR               cable = 252 EUR
 *  civil: link 500, trench 8000, duct 1500, aerial 1200,
 *         drops 3 x (1000 - 500) = 1500, connection points 3 x 500 = 1500
 *  network + cable = 14200 + 252 = 14452, all of it shared by the three
 *  connected buildings (each has kits)
 *  smart: kits 10 + (3 - 1) + 1 = 13 -> 2600, surcharge 0.1 x 14452 = 1445.2
 *  total = 14452 + 2600 + 1445.2 = 18497.2
 *  connected 14 dw, passed 14 + 2 (B3 on J2) = 16. */
START_TEST(bom_and_costs)
{
    fx f;
    fx_init(&f);
    fp_plan *p = fx_plan(&f, 1);
    ck_assert_uint_eq(p->n_edges, 7);
    /* Orientation: the first edge leaves the root. */
    ck_assert_int_eq(p->edges[0].edge, 0);
    ck_assert_int_eq(p->edges[0].from, 0);
    int fib[FX_NE], size[FX_NE];
    for (size_t k = 0; k < p->n_edges; k++) {
        fib[p->edges[k].edge] = p->edges[k].fibres;
        size[p->edges[k].edge] = p->edges[k].cable_size;
    }
    ck_assert_int_eq(fib[4], 12);
    ck_assert_int_eq(fib[5], 4);
    ck_assert_int_eq(fib[6], 2);
    ck_assert_int_eq(fib[2], 4);
    ck_assert_int_eq(fib[3], 2);
    ck_assert_int_eq(fib[1], 17);
    ck_assert_int_eq(fib[0], 17);
    ck_assert_int_eq(size[1], 24);
    ck_assert_int_eq(size[2], 12);
    const fp_bom *b = &p->bom;
    ck_assert_double_eq_tol(b->trench_m, 100, 1e-9);
    ck_assert_int_eq(b->n_classes, 1);
    ck_assert_str_eq(b->trench_class[0], "chemin");
    ck_assert_double_eq_tol(b->duct_m, 100, 1e-9);
    ck_assert_double_eq_tol(b->aerial_m, 100, 1e-9);
    ck_assert_double_eq_tol(b->link_m, 10, 1e-9);
    ck_assert_double_eq_tol(b->cable_m[0], 200, 1e-9); /* 12 fibres */
    ck_assert_double_eq_tol(b->cable_m[1], 110, 1e-9); /* 24 fibres */
    ck_assert_double_eq_tol(b->cable_total_m, 310, 1e-9);
    ck_assert_double_eq_tol(b->fibre_m, 5040, 1e-9);
    ck_assert_int_eq(b->drops, 3);
    ck_assert_double_eq_tol(b->drop_m, 60, 1e-9);
    ck_assert_int_eq(b->connection_points, 3);
    ck_assert_int_eq(b->smart_kits, 13);
    const fp_cost_breakdown *c = &p->cost;
    ck_assert_double_eq_tol(c->cable, 252, 1e-9);
    ck_assert_double_eq_tol(c->trench, 8000, 1e-9);
    ck_assert_double_eq_tol(c->duct_reuse, 1500, 1e-9);
    ck_assert_double_eq_tol(c->aerial, 1200, 1e-9);
    ck_assert_double_eq_tol(c->link, 500, 1e-9);
    ck_assert_double_eq_tol(c->drops, 1500, 1e-9);
    ck_assert_double_eq_tol(c->connection_points, 1500, 1e-9);
    ck_assert_double_eq_tol(c->smart, 4045.2, 1e-6);
    ck_assert_double_eq_tol(c->total, 18497.2, 1e-6);
    ck_assert_double_eq_tol(p->network_cost, 14200, 1e-9);
    ck_assert_int_eq(p->dwellings_connected, 14);
    ck_assert_int_eq(p->dwellings_passed, 16);
    ck_assert_int_eq(p->dwellings_target, 25);
    ck_assert_int_eq(p->buildings_connected, 3);
    ck_assert_int_eq(p->buildings_target, 6);
    ck_assert_double_eq_tol(c->per_dwelling_passed, 18497.2 / 16, 1e-6);
    ck_assert_double_eq_tol(c->per_dwelling_connected, 18497.2 / 14, 1e-6);
    /* Building statuses and cost shares (they add up to the total). */
    ck_assert_int_eq(p->buildings[0].status, FP_BST_CONNECTED);
    ck_assert_int_eq(p->buildings[3].status, FP_BST_PASSED);
    ck_assert_int_eq(p->buildings[4].status, FP_BST_NOT_CONNECTED);
    ck_assert_int_eq(p->buildings[5].status, FP_BST_UNREACHABLE);
    ck_assert_int_eq(p->buildings[6].status, FP_BST_NO_DWELLING);
    ck_assert_int_eq(p->buildings[0].attach_node, 2);
    ck_assert_double_eq_tol(p->buildings[0].drop_m, 20, 1e-9);
    ck_assert_int_eq(p->buildings[1].smart_kits, 2);
    /* B2 (1 dwelling): (512 + 8120)/14 + 1260 + 1000; smart apart: 0.1 x that + 200. */
    ck_assert_double_eq_tol(p->buildings[2].cost, 8632.0 / 14 + 1260 + 1000, 1e-6);
    ck_assert_double_eq_tol(p->buildings[2].smart_cost, (8632.0 / 14 + 2260) * 0.1 + 200, 1e-6);
    double sum = 0, smart = 0;
    for (int i = 0; i < 7; i++) {
        sum += p->buildings[i].cost;
        smart += p->buildings[i].smart_cost;
    }
    ck_assert_double_eq_tol(sum, c->total - c->smart, 1e-6);
    ck_assert_double_eq_tol(smart, c->smart, 1e-6);
    /* Blocks: B1 = {B0, B1, B3} partly, B2 = {B2} connected, B3 = {B4, B5} not. */
    ck_assert_int_eq(p->blocks[0].status, FP_BLOCK_PARTLY);
    ck_assert_int_eq(p->blocks[0].dwellings, 15);
    ck_assert_int_eq(p->blocks[0].dwellings_connected, 13);
    ck_assert_int_eq(p->blocks[1].status, FP_BLOCK_CONNECTED);
    ck_assert_int_eq(p->blocks[2].status, FP_BLOCK_NOT_CONNECTED);
    ck_assert_int_eq(p->blocks[2].dwellings, 9);
    ck_assert_double_eq_tol(p->blocks[1].cost, p->buildings[2].cost, 1e-9);
    fp_plan_free(p);
    fx_free(&f);
}
END_TEST

START_TEST(smart_off_and_per_size_prices)
{
    fx f;
    fx_init(&f);
    fp_plan_opts o;
    fp_plan_opts_default(&o);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_plan_parse_sizes("12:1.5, 24:2, 48", &o, &e), 0);
    ck_assert_int_eq(o.n_sizes, 3);
    fp_plan *p = fp_plan_build(f.net, f.in_tree, &o, NULL, &e);
    ck_assert_ptr_nonnull(p);
    /* 12-fibre: 200 m x 1.5; 24-fibre: 110 m x 2. */
    ck_assert_double_eq_tol(p->cost.cable, 300 + 220, 1e-9);
    ck_assert_double_eq(p->cost.smart, 0);
    ck_assert_int_eq(p->bom.smart_kits, 0);
    ck_assert_double_eq_tol(p->cost.total, 14200 + 520, 1e-6);
    fp_plan_free(p);
    fx_free(&f);
}
END_TEST

START_TEST(catalogue)
{
    fp_plan_opts o;
    fp_plan_opts_default(&o);
    int s, n, r;
    fp_plan_cable(&o, 1, &s, &n, &r);
    ck_assert(s == 12 && n == 1 && r == 0);
    fp_plan_cable(&o, 13, &s, &n, &r);
    ck_assert(s == 24 && n == 1 && r == 0);
    fp_plan_cable(&o, 720, &s, &n, &r);
    ck_assert(s == 720 && n == 1 && r == 0);
    fp_plan_cable(&o, 1500, &s, &n, &r); /* 2 x 720 + 60 -> 72 */
    ck_assert(s == 720 && n == 2 && r == 72);
    fp_plan_cable(&o, 1440, &s, &n, &r);
    ck_assert(s == 720 && n == 2 && r == 0);
    fp_plan_cable(&o, 0, &s, &n, &r);
    ck_assert(s == 0 && n == 0 && r == 0);
    ck_assert_int_eq(fp_plan_fibres(10, 0.2), 12);
    ck_assert_int_eq(fp_plan_fibres(5, 0.1), 6); /* 5.5 -> 6 */
    ck_assert_int_eq(fp_plan_fibres(100, 0.0), 100);
    ck_assert_int_eq(fp_plan_fibres(0, 0.2), 0);
    fp_error e;
    ck_assert_int_eq(fp_plan_parse_sizes("24,12", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(fp_plan_parse_sizes("12,x", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(fp_plan_parse_sizes("", &o, &e), FP_ESCENARIO);
    ck_assert_int_eq(o.n_sizes, 8); /* unchanged after errors */
}
END_TEST

START_TEST(rejects_non_trees)
{
    fx f;
    fx_init(&f);
    fp_plan_opts o;
    fp_plan_opts_default(&o);
    fp_error e;
    fp_error_clear(&e);
    /* A cycle J1-J2-J3. */
    f.in_tree[10] = 1;
    ck_assert_ptr_null(fp_plan_build(f.net, f.in_tree, &o, NULL, &e));
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "cycle"));
    /* An edge not connected to the root. */
    f.in_tree[10] = 0;
    f.in_tree[9] = 1;
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_plan_build(f.net, f.in_tree, &o, NULL, &e));
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "edge 9"));
    /* The empty selection: the root alone, nothing connected. */
    memset(f.in_tree, 0, sizeof f.in_tree);
    fp_plan *p = fp_plan_build(f.net, f.in_tree, &o, NULL, &e);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->dwellings_connected, 0);
    ck_assert_double_eq(p->cost.total, 0);
    ck_assert_int_eq(p->blocks[0].status, FP_BLOCK_NOT_CONNECTED);
    fp_plan_free(p);
    fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("plan");
    tcase_add_test(tc, bom_and_costs);
    tcase_add_test(tc, smart_off_and_per_size_prices);
    tcase_add_test(tc, catalogue);
    tcase_add_test(tc, rejects_non_trees);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
