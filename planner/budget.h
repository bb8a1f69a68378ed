/* budget: coverage under a budget, the cost of a coverage quota, and the
 * coverage curve (best coverage for every budget), solved exactly.
 *
 * The question: "with EUR B, which buildings, and how many dwellings?"
 * (BUDGET), or "what is the cheapest way to cover Q dwellings?" (QUOTA).
 * Both are trees of the Steiner graph holding the root (g->root; the
 * central office), each node v carrying a weight w_v (what it covers) and
 * a node cost k_v (paid when it is connected, e.g. smart kits):
 *   BUDGET  maximise w(V(T))  s.t.  c(E(T)) + k(V(T)) <= B
 *   QUOTA   minimise c(E(T)) + k(V(T))  s.t.  w(V(T)) >= Q
 * optionally with all-or-nothing groups (blocks). Solved by the engine of
 * pcstp.h (reductions, heuristics, GLPK branch-and-cut on the cut
 * formulation with node variables and a knapsack / cover row), with a
 * proven bound and gap. Terminal flags (g->term) are ignored: what to
 * cover is the weights' business; only the root must be in the tree. A
 * graph without root (g->root < 0) gives an unrooted tree, possibly empty.
 *
 * Weights and node costs for a network (fp_budget_spec_from_network):
 *   w_v = priority x (dwelling_weight x dwellings
 *                     + smart_weight x (dwellings - smart_optout))
 *   k_v = smart ? smart_kit x (dwellings - smart_optout)
 *                 + smart_surcharge x cost of v's drop edge(s)   : 0
 * for a building node v (fp_building fields; dwellings - smart_optout is
 * clamped at 0, so opted-out dwellings never count as smart); every other
 * node has w = k = 0. Blocks on: group(v) = the building's block
 * (net->building_block), buildings without block stay free. */
#ifndef FP_BUDGET_H
#define FP_BUDGET_H

#include <stddef.h>

#include "error.h"
#include "log.h"
#include "network.h"
#include "sgraph.h"
#include "steiner.h"

typedef enum {
    FP_BUDGET_COVER, /* maximise weight within the budget */
    FP_BUDGET_QUOTA  /* minimise cost with weight >= quota */
} fp_budget_mode;

typedef struct fp_budget_spec {
    fp_budget_mode mode;
    double limit;            /* COVER: budget B (EUR); QUOTA: weight Q */
    const double *weight;    /* [g->n_nodes] >= 0, borrowed; NULL: g->prize */
    const double *node_cost; /* [g->n_nodes] >= 0, borrowed; NULL: none */
    const int *group;        /* [g->n_nodes] group id >= 0 or -1, borrowed; NULL */
} fp_budget_spec;

typedef struct fp_budget_result {
    fp_st_status status;     /* OPTIMAL, FEASIBLE (limit hit), INFEASIBLE */
    double weight;           /* covered by the tree */
    double cost;             /* its edges + node costs */
    double bound;            /* COVER: upper bound on the weight; QUOTA:
                                lower bound on the cost */
    double gap;              /* relative: |objective - bound| / objective */
    double seconds;
    long long bb_nodes;
    int n_nodes_reduced, n_edges_reduced;
    unsigned char *edge_in;  /* [g->n_edges] owned */
    unsigned char *node_in;  /* [g->n_nodes] owned */
} fp_budget_result;

/* Solves spec on g. opts (NULL: defaults) as for fp_steiner_solve: time
 * limit, gap, heuristic only. On success res holds the tree (owned by res,
 * free with fp_budget_result_free) and its figures; INFEASIBLE when no
 * tree meets the limit (the root's own node cost above the budget, a quota
 * above what can be reached), with no tree. Progress goes to log.
 * RETURNS 0, or FP_EINPUT (bad weights/costs/limit), FP_ENOMEM, FP_EGLPK,
 * FP_EINTERNAL, FP_ELIMIT (no tree meeting the limit found within the time
 * limit, and none proven impossible either) with res->status FP_ST_ERROR. */
int fp_budget_solve(const fp_sgraph *g, const fp_budget_spec *spec, const fp_steiner_opts *opts,
                    const fp_log *log, fp_budget_result *res, fp_error *err);

/* Frees the arrays of res; accepts a zeroed result. */
void fp_budget_result_free(fp_budget_result *res);

/* Checks a tree against spec (root, groups, limit) and recomputes its
 * weight and cost. RETURNS 1 if feasible, else 0. */
int fp_budget_check(const fp_sgraph *g, const fp_budget_spec *spec, const unsigned char *node_in,
                    const unsigned char *edge_in, double *weight, double *cost);

/* How a network's buildings turn into weights and node costs (see the
 * rule at the top of this file). */
typedef struct fp_budget_params {
    double dwelling_weight;  /* per dwelling (1) */
    double smart_weight;     /* extra per smart dwelling, opted-out excluded (0) */
    int smart;               /* 1: smart kits and surcharge are node costs */
    int blocks;              /* 1: blocks are all-or-nothing */
} fp_budget_params;

void fp_budget_params_default(fp_budget_params *p);

/* Fills *weight, *node_cost and *group ([g->n_nodes] each, caller frees;
 * *group NULL when blocks are off) for g built from net by
 * fp_network_to_sgraph (ext_id = network node index). RETURNS 0 or
 * FP_ENOMEM / FP_EINPUT (an ext_id outside the network). */
int fp_budget_spec_from_network(const fp_network *net, const fp_sgraph *g,
                                const fp_budget_params *p, double **weight,
                                double **node_cost, int **group, fp_error *err);


/* ---- coverage curve ---- */

typedef struct fp_budget_point {
    double budget;           /* EUR allowed */
    double cost;             /* EUR of the best plan found */
    double weight;           /* weight covered */
    double bound;            /* proven upper bound on the weight */
    double gap;              /* (bound - weight) / bound, 0 if optimal */
    fp_st_status status;     /* OPTIMAL or FEASIBLE */
    int hull;                /* 1: a breakpoint of the convex hull */
} fp_budget_point;

typedef struct fp_curve_opts {
    int n_points;            /* budget points spread over [0, full cost] (20) */
    const double *budgets;   /* extra budgets asked for, or NULL */
    size_t n_budgets;
    double time_limit;       /* s for the whole curve, <= 0 none */
    double gap_limit;        /* per point, relative (0: exact) */
    int max_hull;            /* cap on hull solves (256) */
    double plan_budget;      /* >= 0: hand back the best tree found within it */
    unsigned char **plan_node_in; /* out: [g->n_nodes] caller frees, or NULL */
    unsigned char **plan_edge_in; /* out: [g->n_edges] caller frees, or NULL */
    /* out, or NULL: the full-coverage tree as the plain Steiner solver
     * found it (status, cost, lower bound, edge_in), when its terminals
     * (the root, every weighted node it reaches, whole blocks) are
     * exactly g->term; else left zeroed (status FP_ST_ERROR). Caller
     * frees with fp_steiner_result_free. Spares a connect-all solve of
     * the same tree after the curve. */
    fp_steiner_result *full;
} fp_curve_opts;

void fp_curve_opts_default(fp_curve_opts *o);

/* The coverage curve of spec (mode ignored: COVER at every budget; weight,
 * node_cost, group used). First the convex hull's breakpoints exactly, by
 * parametric prize-collecting trees (prize = lambda x weight, lambda
 * bisected between hull points); then every requested budget between
 * them, warm-started from the best hull point below it and bounded by the
 * hull above (so bounds are monotone in the budget). *pts (caller frees)
 * receives the points sorted by budget, each a proven (weight, bound).
 * With co->plan_budget >= 0 and plan_node_in/plan_edge_in set, the best
 * tree found of cost <= plan_budget (list plan_budget among the budgets to
 * have it solved) is copied to *plan_node_in / *plan_edge_in.
 * RETURNS 0 or an error as fp_budget_solve. */
int fp_budget_curve(const fp_sgraph *g, const fp_budget_spec *spec, const fp_curve_opts *co,
                    const fp_log *log, fp_budget_point **pts, size_t *n_pts, fp_error *err);

/* Writes pts as CSV (budget,cost,weight,bound,gap,status,hull) to path,
 * atomically (temp file, fsync, rename). RETURNS 0 or FP_EIO. */
int fp_budget_curve_csv(const char *path, const fp_budget_point *pts, size_t n, fp_error *err);

#endif
