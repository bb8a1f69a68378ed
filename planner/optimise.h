/* optimise: the scenario's optimisation stage, between network and plan.
 *
 * Reads the [optimise] section (mode, budget, quota, blocks, weights, curve
 * points) and answers the scenario's question on the compact Steiner graph:
 *   connect_all  the cheapest network reaching every reachable dwelling
 *                building (Steiner tree, steiner.h);
 *   budget       the most (weighted, smart) dwellings a budget connects;
 *   quota        the cheapest network connecting at least N weighted dwellings
 *                (both budget.h, exact with a proven gap);
 *   curve        the coverage curve from 0 to the cost of connecting
 *                everything, plus the plan at `budget` (or connect-all).
 * The answer is a selection of network edges for the plan module. */
#ifndef FP_OPTIMISE_H
#define FP_OPTIMISE_H

#include "budget.h"
#include "chart.h"
#include "error.h"
#include "log.h"
#include "network.h"
#include "sgraph.h"
#include "steiner.h"

#include <stddef.h>

typedef struct fp_scenario fp_scenario;

typedef enum {
    FP_MODE_CONNECT_ALL,
    FP_MODE_BUDGET,
    FP_MODE_QUOTA,
    FP_MODE_CURVE
} fp_opt_mode;

typedef struct fp_optimise_opts {
    fp_opt_mode mode;
    double budget;            /* EUR (budget mode; curve mode: the plan shown), < 0 unset */
    double quota;             /* weighted dwellings (quota mode), < 0 unset */
    fp_budget_params bp;      /* dwelling/smart weights, smart costs, blocks */
    double elderly_factor;    /* weight multiplier for buildings flagged elderly (1) */
    int curve_points;         /* budget points spread over the curve (20) */
    double curve_budgets[64]; /* extra budgets asked for */
    size_t n_curve_budgets;
} fp_optimise_opts;

/* Defaults: connect_all, weights 1 per dwelling, no smart, no blocks. */
void fp_optimise_opts_default(fp_optimise_opts *o);

/* Reads [optimise]; smart (kits as node costs) follows the plan's smart
 * flag, passed in. Errors name file, line and key (FP_ESCENARIO). */
int fp_optimise_opts_from_scenario(fp_scenario *sc, int smart, fp_optimise_opts *o,
                                   fp_error *err);

/* Name of a mode as written in scenarios and reports ("connect_all", ...). */
const char *fp_optimise_mode_name(fp_opt_mode m);

typedef struct fp_optimise_result {
    fp_st_status status;      /* of the plan's solve */
    double objective;         /* connect_all/quota: EUR; budget: weight covered */
    double bound;             /* proven bound on the objective */
    double gap;               /* relative */
    double seconds;           /* all solves */
    double weight;            /* weighted dwellings covered by the plan's tree */
    unsigned char *in_tree;   /* [net->n_edges] owned: the plan's network edges */
    fp_curve_point *curve;    /* [n_curve] owned, curve mode only */
    fp_budget_point *bcurve;  /* [n_curve] owned, the solver's figures */
    size_t n_curve;
} fp_optimise_result;

/* Runs the stage. g, moff, medges come from fp_network_to_sgraph(net).
 * so: solver limits (time, gap, heuristic only). On success res holds the
 * selection (free with fp_optimise_result_free). A budget below what any
 * building costs gives an empty selection (status optimal), not an error.
 * RETURNS 0, FP_EINFEASIBLE (connect_all: terminals not connected; quota
 * above what can be reached), or another error with *err set. */
int fp_optimise_run(const fp_network *net, const fp_sgraph *g, const int *moff,
                    const int *medges, const fp_optimise_opts *o, const fp_steiner_opts *so,
                    const fp_log *log, fp_optimise_result *res, fp_error *err);

void fp_optimise_result_free(fp_optimise_result *res);

#endif
