/* steiner: the exact Steiner tree optimiser (facade): reductions, primal
 * heuristics, then GLPK branch-and-cut, with the answer mapped back to the
 * caller's graph. */
#ifndef FP_STEINER_H
#define FP_STEINER_H

#include "error.h"
#include "log.h"
#include "sgraph.h"

typedef enum { FP_ST_OPTIMAL, FP_ST_FEASIBLE, FP_ST_INFEASIBLE, FP_ST_ERROR } fp_st_status;

typedef struct fp_steiner_opts {
    double time_limit; /* s, <=0 none */
    double gap_limit;  /* relative, e.g. 0 */
    int heuristic_only;
    unsigned seed;
    int no_subset_dp; /* 1: never the subset DP (dw.h), even for few terminals:
                       * tests use it to exercise the other stages */
} fp_steiner_opts;

/* Defaults: no time limit, gap 0, exact, seed 1. */
void fp_steiner_opts_default(fp_steiner_opts *o);

typedef struct fp_steiner_result {
    fp_st_status status;
    double cost, lower_bound, gap, seconds;
    unsigned char *edge_in; /* [g->n_edges] owned, 1 if edge in the tree */
    long long nodes_explored;
    int n_nodes_reduced, n_edges_reduced;
} fp_steiner_result;

/* Solves the SPG g (g->root, if any, is just a terminal): the cheapest tree
 * spanning every terminal. On success res holds the status (optimal;
 * feasible when a time/gap limit or heuristic_only stopped the search, then
 * lower_bound <= cost is a proven bound; infeasible when the terminals are
 * not connected), the tree as edge_in (owned by res, free with
 * fp_steiner_result_free), its cost, the sizes after reductions and the
 * branch-and-bound nodes. Progress goes to log ("solve" stage).
 * Prize-collecting problems go to fp_pcstp_solve (pcstp.h).
 * RETURNS 0, or an error code with res->status FP_ST_ERROR. */
int fp_steiner_solve(const fp_sgraph *g, const fp_steiner_opts *opts, const fp_log *log,
                     fp_steiner_result *res, fp_error *err);

/* Frees edge_in; accepts a zeroed result. */
void fp_steiner_result_free(fp_steiner_result *res);

/* Checks that edge_in is a tree of g spanning all terminals (an empty
 * set when there are fewer than two); its cost goes to *cost.
 * RETURNS 1 if so, else 0. */
int fp_steiner_check(const fp_sgraph *g, const unsigned char *edge_in, double *cost);

#endif
