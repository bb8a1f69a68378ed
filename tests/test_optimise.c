/* test_optimise: the scenario modes (connect all, budget, quota, curve,
 * blocks, elderly weights) on the hand-made network of fixture_net.h, whose
 * answers are worked out by hand below. */
#include "fixture_net.h"
#include "optimise.h"
#include "scenario.h"
#include "testutil.h"

#include <math.h>

/* Edge costs (fixture_net.h): link 500, J0-J1 8000, J1-J2 1500 (duct),
 * J1-J3 1200 (aerial), J3-J2 100, J2-J4 10000; drops B0 1000 (10 dw),
 * B1 1000 (3 dw), B2 1000 (1 dw, elderly), B3 900 (2 dw), B4 1000 (5 dw).
 * Reaching J1 costs 8500; J2 and J3 together are cheapest through
 * J1-J3-J2 (1300). */

typedef struct {
    fx f;
    fp_sgraph *g;
    int *moff, *medges;
} env;

static void env_init(env *e)
{
    fx_init(&e->f);
    fp_error err;
    fp_error_clear(&err);
    ck_assert_int_eq(fp_network_to_sgraph(e->f.net, &e->g, &e->moff, &e->medges, &err), 0);
}

static void env_free(env *e)
{
    fp_sgraph_free(e->g);
    free(e->moff);
    free(e->medges);
    fx_free(&e->f);
}

/* Sum of the chosen network edges' costs and the dwellings of the buildings
 * whose drop is chosen. */
static double chosen(const env *e, const fp_optimise_result *r, int *dw)
{
    double c = 0;
    *dw = 0;
    for (size_t i = 0; i < e->f.net->n_edges; i++)
        if (r->in_tree[i]) {
            const fp_net_edge *ed = &e->f.net->edges[i];
            c += ed->cost;
            long b = e->f.net->nodes[ed->v].building;
            if (ed->kind == FP_EDGE_DROP && b >= 0)
                *dw += e->f.ds->buildings[b].dwellings;
        }
    return c;
}

static void run(env *e, fp_optimise_opts *o, fp_optimise_result *r)
{
    fp_error err;
    fp_error_clear(&err);
    fp_steiner_opts so;
    fp_steiner_opts_default(&so);
    int rc = fp_optimise_run(e->f.net, e->g, e->moff, e->medges, o, &so, NULL, r, &err);
    ck_assert_msg(rc == 0, "optimise: %s", err.msg);
}

START_TEST(connect_all_is_the_steiner_optimum)
{
    env e;
    env_init(&e);
    fp_optimise_opts o;
    fp_optimise_opts_default(&o);
    fp_optimise_result r;
    run(&e, &o, &r);
    int dw;
    ck_assert_int_eq(r.status, FP_ST_OPTIMAL);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 24700, 1e-6);
    ck_assert_double_eq_tol(r.objective, 24700, 1e-6);
    ck_assert_int_eq(dw, 21);
    ck_assert(r.in_tree[10] && r.in_tree[3] && !r.in_tree[2]);
    fp_optimise_result_free(&r);
    env_free(&e);
}
END_TEST

START_TEST(budget_covers_the_most_dwellings)
{
    env e;
    env_init(&e);
    fp_optimise_opts o;
    fp_optimise_opts_default(&o);
    o.mode = FP_MODE_BUDGET;
    fp_optimise_result r;
    int dw;
    /* 10000: only B0 (9500). */
    o.budget = 10000;
    run(&e, &o, &r);
    ck_assert_int_eq(r.status, FP_ST_OPTIMAL);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 9500, 1e-6);
    ck_assert_int_eq(dw, 10);
    fp_optimise_result_free(&r);
    /* 12000: B0 + B1 through J1-J3-J2 (11800, 13 dw) beats B0 + B3
     * (11700, 12 dw) and B0 + B2 (11700, 11 dw). */
    o.budget = 12000;
    run(&e, &o, &r);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 11800, 1e-6);
    ck_assert_int_eq(dw, 13);
    ck_assert_double_eq_tol(r.weight, 13, 1e-9);
    fp_optimise_result_free(&r);
    /* 8000: not even J1 is reached: an empty plan, no error. */
    o.budget = 8000;
    run(&e, &o, &r);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 0, 1e-6);
    ck_assert_int_eq(dw, 0);
    fp_optimise_result_free(&r);
    env_free(&e);
}
END_TEST

START_TEST(elderly_factor_and_blocks_change_the_answer)
{
    env e;
    env_init(&e);
    fp_optimise_opts o;
    fp_optimise_opts_default(&o);
    o.mode = FP_MODE_BUDGET;
    o.budget = 12000;
    o.elderly_factor = 10; /* B2 (1 dw, elderly) now weighs 10 */
    fp_optimise_result r;
    int dw;
    run(&e, &o, &r);
    ck_assert_double_eq_tol(r.weight, 20, 1e-9);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 11700, 1e-6);
    ck_assert_int_eq(dw, 11);
    fp_optimise_result_free(&r);
    /* Blocks all-or-nothing: block 0 (B0, B1, B3) costs 12700 > 12000, so
     * only block 1 (B2) fits. */
    o.elderly_factor = 1;
    o.bp.blocks = 1;
    run(&e, &o, &r);
    ck_assert_double_eq_tol(r.weight, 1, 1e-9);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 10700, 1e-6);
    fp_optimise_result_free(&r);
    env_free(&e);
}
END_TEST

START_TEST(quota_is_the_cheapest_cover)
{
    env e;
    env_init(&e);
    fp_optimise_opts o;
    fp_optimise_opts_default(&o);
    o.mode = FP_MODE_QUOTA;
    o.quota = 14; /* B0+B1+B3 (15 dw) costs 12700 < B0+B1+B2 (14 dw) 12800 */
    fp_optimise_result r;
    int dw;
    run(&e, &o, &r);
    ck_assert_int_eq(r.status, FP_ST_OPTIMAL);
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 12700, 1e-6);
    ck_assert_int_eq(dw, 15);
    fp_optimise_result_free(&r);
    /* More than the 21 dwellings on the graph: no solution. */
    o.quota = 22;
    fp_error err;
    fp_error_clear(&err);
    fp_steiner_opts so;
    fp_steiner_opts_default(&so);
    ck_assert_int_eq(fp_optimise_run(e.f.net, e.g, e.moff, e.medges, &o, &so, NULL, &r, &err),
                     FP_EINFEASIBLE);
    env_free(&e);
}
END_TEST

START_TEST(curve_is_monotone_and_reaches_everything)
{
    env e;
    env_init(&e);
    fp_optimise_opts o;
    fp_optimise_opts_default(&o);
    o.mode = FP_MODE_CURVE;
    o.curve_points = 10;
    o.curve_budgets[0] = 12000;
    o.n_curve_budgets = 1;
    fp_optimise_result r;
    run(&e, &o, &r);
    ck_assert_uint_ge(r.n_curve, 10);
    int saw12000 = 0;
    for (size_t i = 0; i < r.n_curve; i++) {
        ck_assert(r.curve[i].cost <= r.curve[i].budget + 1e-6);
        /* the proven bound is never below what the plan covers; optimal: equal */
        ck_assert(r.curve[i].bound >= r.curve[i].weight - 1e-6);
        ck_assert(!r.curve[i].optimal || r.curve[i].gap <= 1e-9);
        if (i)
            ck_assert_int_ge(r.curve[i].dwellings, r.curve[i - 1].dwellings);
        if (fabs(r.curve[i].budget - 12000) < 1e-6) {
            saw12000 = 1;
            ck_assert_int_eq(r.curve[i].dwellings, 13);
        }
        if (r.curve[i].budget >= 24700 - 1e-6)
            ck_assert_int_eq(r.curve[i].dwellings, 21);
    }
    ck_assert(saw12000);
    ck_assert_int_eq(r.curve[r.n_curve - 1].dwellings, 21);
    /* No budget given: the plan is the full connection. */
    int dw;
    ck_assert_double_eq_tol(chosen(&e, &r, &dw), 24700, 1e-6);
    fp_optimise_result_free(&r);
    env_free(&e);
}
END_TEST

START_TEST(scenario_keys_are_checked)
{
    fp_error err;
    fp_error_clear(&err);
    fp_optimise_opts o;
    fp_scenario *sc = fp_scenario_parse("[optimise]\nmode = budget\n", "t.ini", &err);
    ck_assert_ptr_nonnull(sc);
    ck_assert_int_eq(fp_optimise_opts_from_scenario(sc, 0, &o, &err), FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "t.ini:2"));
    fp_scenario_free(sc);
    sc = fp_scenario_parse("[optimise]\nmode = curve\nbudget = 2e6\ncurve_budgets = 1e5, 3e5\n",
                           "t.ini", &err);
    ck_assert_int_eq(fp_optimise_opts_from_scenario(sc, 1, &o, &err), 0);
    ck_assert_int_eq(o.mode, FP_MODE_CURVE);
    ck_assert_double_eq(o.budget, 2e6);
    ck_assert_uint_eq(o.n_curve_budgets, 2);
    ck_assert_double_eq(o.curve_budgets[1], 3e5);
    ck_assert_int_eq(o.bp.smart, 1);
    fp_scenario_free(sc);
    sc = fp_scenario_parse("[optimise]\nmode = everything\n", "t.ini", &err);
    ck_assert_int_eq(fp_optimise_opts_from_scenario(sc, 0, &o, &err), FP_ESCENARIO);
    fp_scenario_free(sc);
    sc = fp_scenario_parse("[optimise]\nmode = quota\nquota = -3\n", "t.ini", &err);
    ck_assert_int_eq(fp_optimise_opts_from_scenario(sc, 0, &o, &err), FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "t.ini:3"));
    fp_scenario_free(sc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("optimise");
    TCase *tc = tcase_create("optimise");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, connect_all_is_the_steiner_optimum);
    tcase_add_test(tc, budget_covers_the_most_dwellings);
    tcase_add_test(tc, elderly_factor_and_blocks_change_the_answer);
    tcase_add_test(tc, quota_is_the_cheapest_cover);
    tcase_add_test(tc, curve_is_monotone_and_reaches_everything);
    tcase_add_test(tc, scenario_keys_are_checked);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
