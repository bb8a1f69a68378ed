/* optimise: the scenario's mode (connect all, budget, quota, curve) solved
 * on the compact Steiner graph and mapped back to network edges. */
#include "optimise.h"

#include "scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *const mode_names[] = {"connect_all", "budget", "quota", "curve", NULL};

const char *fp_optimise_mode_name(fp_opt_mode m)
{
    return (m >= FP_MODE_CONNECT_ALL && m <= FP_MODE_CURVE) ? mode_names[m] : "unknown";
}

void fp_optimise_opts_default(fp_optimise_opts *o)
{
    memset(o, 0, sizeof *o);
    o->mode = FP_MODE_CONNECT_ALL;
    o->budget = -1;
    o->quota = -1;
    fp_budget_params_default(&o->bp);
    o->elderly_factor = 1;
    o->curve_points = 20;
}

/* "500000, 1e6" into o->curve_budgets. */
static int parse_budgets(fp_scenario *sc, const char *s, fp_optimise_opts *o, fp_error *err)
{
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || v < 0 || (*end && *end != ',' && *end != ' '))
            return fp_error_set(err, FP_ESCENARIO,
                                "%s:%d: [optimise] curve_budgets: '%s' is not a list of "
                                "non-negative amounts in EUR",
                                fp_scenario_path(sc),
                                fp_scenario_line(sc, "optimise", "curve_budgets"), s);
        if (o->n_curve_budgets >= sizeof o->curve_budgets / sizeof o->curve_budgets[0])
            return fp_error_set(err, FP_ESCENARIO, "%s:%d: [optimise] curve_budgets: more than %zu",
                                fp_scenario_path(sc),
                                fp_scenario_line(sc, "optimise", "curve_budgets"),
                                sizeof o->curve_budgets / sizeof o->curve_budgets[0]);
        o->curve_budgets[o->n_curve_budgets++] = v;
        p = end;
    }
    return FP_OK;
}

int fp_optimise_opts_from_scenario(fp_scenario *sc, int smart, fp_optimise_opts *o, fp_error *err)
{
    fp_optimise_opts_default(o);
    int mode = 0;
    long pts = 0;
    const char *s = NULL;
    if (fp_scenario_get_choice(sc, "optimise", "mode", mode_names, 0, &mode, err) ||
        fp_scenario_get_double(sc, "optimise", "budget", -1, 0, 1e13, &o->budget, err) ||
        fp_scenario_get_double(sc, "optimise", "quota", -1, 0, 1e12, &o->quota, err) ||
        fp_scenario_get_bool(sc, "optimise", "blocks_all_or_nothing", 0, &o->bp.blocks, err) ||
        fp_scenario_get_double(sc, "optimise", "dwelling_weight", 1, 0, 1e6, &o->bp.dwelling_weight,
                               err) ||
        fp_scenario_get_double(sc, "optimise", "smart_weight", 0, 0, 1e6, &o->bp.smart_weight,
                               err) ||
        fp_scenario_get_double(sc, "optimise", "elderly_factor", 1, 0, 1e6, &o->elderly_factor,
                               err) ||
        fp_scenario_get_int(sc, "optimise", "curve_points", 20, 2, 1000, &pts, err) ||
        fp_scenario_get_string(sc, "optimise", "curve_budgets", "", &s, err) ||
        parse_budgets(sc, s, o, err))
        return err->code;
    o->mode = (fp_opt_mode)mode;
    o->curve_points = (int)pts;
    o->bp.smart = smart;
    if (o->mode == FP_MODE_BUDGET && o->budget < 0)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [optimise] mode = budget needs budget = EUR",
                            fp_scenario_path(sc), fp_scenario_line(sc, "optimise", "mode"));
    if (o->mode == FP_MODE_QUOTA && o->quota < 0)
        return fp_error_set(err, FP_ESCENARIO,
                            "%s:%d: [optimise] mode = quota needs quota = dwellings",
                            fp_scenario_path(sc), fp_scenario_line(sc, "optimise", "mode"));
    if (o->mode != FP_MODE_BUDGET && o->mode != FP_MODE_CURVE && o->budget >= 0)
        return fp_error_set(err, FP_ESCENARIO,
                            "%s:%d: [optimise] budget is used only with mode = budget or curve",
                            fp_scenario_path(sc), fp_scenario_line(sc, "optimise", "budget"));
    if (o->mode != FP_MODE_QUOTA && o->quota >= 0)
        return fp_error_set(err, FP_ESCENARIO,
                            "%s:%d: [optimise] quota is used only with mode = quota",
                            fp_scenario_path(sc), fp_scenario_line(sc, "optimise", "quota"));
    return FP_OK;
}

void fp_optimise_result_free(fp_optimise_result *res)
{
    if (!res)
        return;
    free(res->in_tree);
    free(res->curve);
    free(res->bcurve);
    memset(res, 0, sizeof *res);
}

/* Marks the network edges standing for the chosen sgraph edges. */
static void map_back(const fp_sgraph *g, const int *moff, const int *medges,
                     const unsigned char *edge_in, unsigned char *in_tree)
{
    for (int e = 0; e < g->n_edges; e++)
        if (edge_in && edge_in[e])
            for (int k = moff[e]; k < moff[e + 1]; k++)
                in_tree[medges[k]] = 1;
}

/* Weights, node costs and groups of the network's buildings, the elderly
 * factor applied on top of fp_budget_spec_from_network's rule. */
static int make_spec(const fp_network *net, const fp_sgraph *g, const fp_optimise_opts *o,
                     fp_budget_spec *spec, double **w, double **k, int **grp, fp_error *err)
{
    int rc = fp_budget_spec_from_network(net, g, &o->bp, w, k, grp, err);
    if (rc)
        return rc;
    if (o->elderly_factor != 1)
        for (int v = 0; v < g->n_nodes; v++) {
            long long id = g->ext_id[v];
            if (id < 0 || (size_t)id >= net->n_nodes)
                continue;
            long b = net->nodes[id].building;
            if (b >= 0 && net->ds->buildings[b].elderly)
                (*w)[v] *= o->elderly_factor;
        }
    memset(spec, 0, sizeof *spec);
    spec->weight = *w;
    spec->node_cost = *k;
    spec->group = *grp;
    return FP_OK;
}

static int solve_budget(const fp_sgraph *g, fp_budget_spec *spec, fp_budget_mode mode,
                        double limit, const fp_steiner_opts *so, const fp_log *log,
                        fp_budget_result *br, fp_error *err)
{
    spec->mode = mode;
    spec->limit = limit;
    return fp_budget_solve(g, spec, so, log, br, err);
}

int fp_optimise_run(const fp_network *net, const fp_sgraph *g, const int *moff,
                    const int *medges, const fp_optimise_opts *o, const fp_steiner_opts *so,
                    const fp_log *log, fp_optimise_result *res, fp_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = FP_OK;
    double *w = NULL, *k = NULL;
    int *grp = NULL;
    fp_budget_spec spec;
    fp_steiner_result sr;
    fp_budget_result br;
    memset(&sr, 0, sizeof sr);
    memset(&br, 0, sizeof br);
    fp_budget_point *pts = NULL;
    size_t npts = 0;
    unsigned char *plan_n = NULL, *plan_e = NULL;

    res->in_tree = calloc(net->n_edges + 1, 1);
    if (!res->in_tree) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    if (o->mode != FP_MODE_CONNECT_ALL &&
        (rc = make_spec(net, g, o, &spec, &w, &k, &grp, err)))
        goto out;

    /* Budget questions go through the coverage curve's machinery: the
     * convex hull's breakpoints (parametric prize-collecting trees) give
     * strong starting trees and bounds, then the budget is solved
     * warm-started between them. Budget mode asks for its one budget. */
    if (o->mode == FP_MODE_CURVE || o->mode == FP_MODE_BUDGET) {
        double budgets[66];
        size_t nb = 0;
        if (o->mode == FP_MODE_CURVE)
            for (size_t i = 0; i < o->n_curve_budgets && nb < 64; i++)
                budgets[nb++] = o->curve_budgets[i];
        if (o->budget >= 0)
            budgets[nb++] = o->budget;
        fp_curve_opts co;
        fp_curve_opts_default(&co);
        co.n_points = o->mode == FP_MODE_CURVE ? o->curve_points : 0;
        co.budgets = budgets;
        co.n_budgets = nb;
        co.time_limit = so ? so->time_limit : 0;
        co.gap_limit = so ? so->gap_limit : 0;
        co.plan_budget = o->budget;
        co.plan_node_in = &plan_n;
        co.plan_edge_in = &plan_e;
        if (o->mode == FP_MODE_CURVE && o->budget < 0)
            co.full = &sr; /* the plan: connect all, solved by the curve */
        spec.mode = FP_BUDGET_COVER;
        double t0 = now_s();
        if ((rc = fp_budget_curve(g, &spec, &co, log, &pts, &npts, err)))
            goto out;
        res->seconds = now_s() - t0;
        if (o->mode == FP_MODE_CURVE) {
            res->curve = calloc(npts + 1, sizeof *res->curve);
            if (!res->curve) {
                rc = fp_error_set(err, FP_ENOMEM, "out of memory");
                goto out;
            }
            for (size_t i = 0; i < npts; i++) {
                res->curve[i].budget = pts[i].budget;
                res->curve[i].cost = pts[i].cost;
                res->curve[i].dwellings = (int)lround(pts[i].weight);
                res->curve[i].weight = pts[i].weight;
                res->curve[i].bound = pts[i].bound;
                res->curve[i].gap = pts[i].gap;
                res->curve[i].optimal = pts[i].status == FP_ST_OPTIMAL;
            }
            res->n_curve = npts;
        }
        if (o->budget >= 0) {
            /* the plan: the best tree within the budget, with its point's bound */
            const fp_budget_point *bp = NULL;
            for (size_t i = 0; i < npts; i++)
                if (fabs(pts[i].budget - o->budget) <= 1e-9 * (1 + o->budget) &&
                    (!bp || pts[i].weight > bp->weight))
                    bp = &pts[i];
            if (!bp || bp->status == FP_ST_INFEASIBLE) {
                rc = fp_error_set(err, FP_EINFEASIBLE,
                                  "%s: the budget of %.0f EUR does not even cover the central "
                                  "office", g->name, o->budget);
                goto out;
            }
            map_back(g, moff, medges, plan_e, res->in_tree);
            double wt = 0;
            for (int v = 0; v < g->n_nodes; v++)
                if (plan_n[v])
                    wt += w[v];
            res->weight = wt;
            res->objective = wt;
            res->bound = bp->bound > wt ? bp->bound : wt;
            res->gap = res->bound > 0 ? (res->bound - wt) / res->bound : 0;
            res->status = res->bound - wt <= 1e-9 * (1 + res->bound) ? FP_ST_OPTIMAL
                                                                       : FP_ST_FEASIBLE;
            goto out;
        }
        res->bcurve = pts;
        pts = NULL;
    }

    if (o->mode == FP_MODE_CONNECT_ALL || (o->mode == FP_MODE_CURVE && o->budget < 0)) {
        if (!sr.edge_in || (sr.status != FP_ST_OPTIMAL && sr.status != FP_ST_FEASIBLE)) {
            /* connect all; after a curve, within what is left of the
             * time limit (at least a second: a heuristic tree) */
            fp_steiner_result_free(&sr);
            memset(&sr, 0, sizeof sr);
            fp_steiner_opts so2;
            fp_steiner_opts_default(&so2);
            if (so)
                so2 = *so;
            if (o->mode == FP_MODE_CURVE && so2.time_limit > 0) {
                so2.time_limit -= res->seconds;
                if (so2.time_limit < 1)
                    so2.time_limit = 1;
            }
            double t1 = now_s();
            if ((rc = fp_steiner_solve(g, &so2, log, &sr, err)))
                goto out;
            sr.seconds = now_s() - t1;
        } else {
            sr.seconds = 0; /* counted with the curve */
        }
        if (sr.status == FP_ST_INFEASIBLE) {
            rc = fp_error_set(err, FP_EINFEASIBLE, "%s: the buildings cannot all be connected",
                              g->name);
            goto out;
        }
        map_back(g, moff, medges, sr.edge_in, res->in_tree);
        res->status = sr.status;
        res->objective = sr.cost;
        res->bound = sr.lower_bound;
        res->gap = sr.gap;
        res->seconds += sr.seconds;
        res->weight = 0;
        for (int v = 0; v < g->n_nodes; v++)
            if (g->term[v] && v != g->root) {
                long long id = g->ext_id[v];
                long b = (id >= 0 && (size_t)id < net->n_nodes) ? net->nodes[id].building : -1;
                res->weight += b >= 0 ? net->ds->buildings[b].dwellings : 0;
            }
        if (w) { /* curve mode: weigh the full tree like the curve does */
            res->weight = 0;
            for (int v = 0; v < g->n_nodes; v++)
                if (g->term[v])
                    res->weight += w[v];
        }
        goto out;
    }

    fp_budget_mode bm = o->mode == FP_MODE_QUOTA ? FP_BUDGET_QUOTA : FP_BUDGET_COVER;
    double limit = o->mode == FP_MODE_QUOTA ? o->quota : o->budget;
    if ((rc = solve_budget(g, &spec, bm, limit, so, log, &br, err)))
        goto out;
    if (br.status == FP_ST_INFEASIBLE) {
        rc = bm == FP_BUDGET_QUOTA
                 ? fp_error_set(err, FP_EINFEASIBLE,
                                "%s: no network connects %g weighted dwellings", g->name, limit)
                 : fp_error_set(err, FP_EINFEASIBLE,
                                "%s: the budget of %.0f EUR does not even cover the central "
                                "office", g->name, limit);
        goto out;
    }
    map_back(g, moff, medges, br.edge_in, res->in_tree);
    res->status = br.status;
    res->objective = bm == FP_BUDGET_QUOTA ? br.cost : br.weight;
    res->bound = br.bound;
    res->gap = br.gap;
    res->seconds += br.seconds;
    res->weight = br.weight;
out:
    if (!rc && o->mode == FP_MODE_CURVE && !res->bcurve) {
        res->bcurve = pts; /* kept with the curve */
        pts = NULL;
    }
    free(pts);
    free(plan_n);
    free(plan_e);
    fp_steiner_result_free(&sr);
    fp_budget_result_free(&br);
    free(w);
    free(k);
    free(grp);
    if (rc)
        fp_optimise_result_free(res);
    return rc;
}
