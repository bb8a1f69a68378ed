/* pcstp: exact prize-collecting Steiner trees (PCSTP, rooted RPCSTP).
 *
 * Objective: the cost of the tree's edges plus the prizes of the vertices
 * left out of it. Rooted: the tree must contain g->root. Unrooted: any
 * tree, a single vertex included. Solved by prize-aware reductions (degree
 * tests, leaves not worth their edge), a prize-aware shortest-path
 * heuristic with MST and strong pruning, then GLPK branch-and-cut on the
 * directed cut formulation with node variables (artificial root with the
 * first-vertex symmetry rows in the unrooted case); every incumbent is
 * checked before it is accepted. The engine also serves budget.h. */
#ifndef FP_PCSTP_H
#define FP_PCSTP_H

#include "error.h"
#include "log.h"
#include "sgraph.h"
#include "steiner.h"

/* Solves g, a FP_PROB_PCSTP or FP_PROB_RPCSTP instance (g->prize set, >= 0;
 * for RPCSTP g->root >= 0). Terminals other than the root (T lines) must
 * be in the tree: they are tied to the root (unrooted: one of them becomes
 * the root). opts as for fp_steiner_solve (NULL: defaults).
 * On success res->cost is the objective (edges + prizes left out),
 * res->lower_bound a proven bound, res->gap, res->status (optimal, or
 * feasible when a limit stopped the search), res->edge_in (owned by res,
 * free with fp_steiner_result_free) the tree's edges. If node_in is not
 * NULL, *node_in receives the tree's vertices ([g->n_nodes], caller frees;
 * a one-vertex tree has no edge). Progress goes to log ("solve").
 * RETURNS 0, or FP_EINPUT (not a prize problem, bad prizes), FP_ENOMEM,
 * FP_EGLPK, FP_EINTERNAL with res->status FP_ST_ERROR. */
int fp_pcstp_solve(const fp_sgraph *g, const fp_steiner_opts *opts, const fp_log *log,
                   fp_steiner_result *res, unsigned char **node_in, fp_error *err);

/* Objective of a PCSTP solution given by its edges (and vertices, or NULL:
 * the edges' ends, plus the root): checks it is a tree holding the root
 * and the fixed terminals. RETURNS 1 and the objective in *obj, or 0. */
int fp_pcstp_check(const fp_sgraph *g, const unsigned char *edge_in,
                   const unsigned char *node_in, double *obj);

#endif
