/* pcstp_int: the node-weighted tree engine shared by pcstp.c (prize-
 * collecting Steiner trees) and budget.c (coverage under a budget, cost of
 * a quota). Private to the optimiser: not part of the library's API.
 *
 * One model covers the three questions. A tree T of an undirected graph
 * (with node set V(T), edge set E(T)), containing `root` when root >= 0,
 * with all-or-nothing groups (every member of a group in T or none):
 *   PC      minimise c(E(T)) + k(V(T)) + p(V \ V(T))
 *   BUDGET  maximise w(V(T))  subject to  c(E(T)) + k(V(T)) <= limit
 *   QUOTA   minimise c(E(T)) + k(V(T))  subject to  w(V(T)) >= limit
 * where c = edge cost, k = node cost, and p = w = `prize` (the PC prize or
 * the coverage weight). Unrooted trees may be empty (no node at all).
 *
 * Internally the engine minimises: the BUDGET objective is -w(V(T)). */
#ifndef FP_PCSTP_INT_H
#define FP_PCSTP_INT_H

#include "error.h"
#include "log.h"

typedef enum { FP_NW_PC, FP_NW_BUDGET, FP_NW_QUOTA } fp_nw_mode;

typedef struct fp_nwprob {
    fp_nw_mode mode;
    int n, m;
    const int *tail, *head; /* [m] endpoints, borrowed */
    const double *cost;     /* [m] >= 0 finite, borrowed */
    const double *prize;    /* [n] >= 0 finite, borrowed (prize or weight) */
    const double *ncost;    /* [n] >= 0 finite, or NULL (all 0), borrowed */
    const int *group;       /* [n] group id >= 0, -1 none; or NULL, borrowed */
    int root;               /* node always in the tree, -1: unrooted */
    double limit;           /* BUDGET: B; QUOTA: Q; PC: unused */
} fp_nwprob;

typedef struct fp_nwopts {
    double deadline;        /* CLOCK_MONOTONIC s, <= 0 none */
    double gap_limit;       /* relative gap at which to stop, 0 = exact */
    int heuristic_only;
    const fp_log *log;
    /* Optional hint (engine sense, i.e. minimisation): a valid lower bound
     * known from elsewhere (e.g. the coverage curve's hull), -INFINITY if
     * none. The search stops once the incumbent reaches it. */
    double bound_hint;
    /* Optional trees (original graph, borrowed, may break the budget) to
     * repair into starts: shrunk within the budget, then grown. */
    const unsigned char *hint_n[2];
    int n_hints;
    /* BUDGET: Lagrangian multipliers of the budget row worth trying first
     * for bound-based fixing (e.g. the coverage curve's hull slopes next
     * to the budget), borrowed; may be NULL. */
    const double *lambda;
    int n_lambda;
    int no_fix;             /* internal: no bound-based fixing (nested solve) */
    int root_only;          /* internal: the ILP's root only, no branching */
    /* BUDGET, internal: only trees of objective <= cutoff are wanted (the
     * ILP gets the row w.y >= -cutoff); the bound and optimality it then
     * reports hold for those trees only. INFINITY: none. */
    double cutoff;
} fp_nwopts;

typedef struct fp_nwres {
    int has_sol;            /* 1 if node_in/edge_in hold a feasible tree */
    int optimal;            /* proven optimal (or gap 0) */
    int infeasible;         /* proven infeasible */
    double obj;             /* engine objective of the tree (min sense) */
    double bound;           /* proven lower bound (min sense) */
    long long bb_nodes;
    int red_n, red_m;       /* size after reductions */
} fp_nwres;

/* Default options: no deadline, exact, no hint. */
void fp_nw_opts_default(fp_nwopts *o);

/* Checks that node_in[n]/edge_in[m] is a tree of p meeting every side
 * constraint (root, groups, budget or quota; an edge needs both ends in).
 * RETURNS 1 and its engine objective in *obj, or 0. */
int fp_nw_eval(const fp_nwprob *p, const unsigned char *node_in,
               const unsigned char *edge_in, double *obj);

/* Solves p: reductions, heuristics, branch-and-cut. node_in[p->n] and
 * edge_in[p->m] (caller's) may hold on entry a starting tree when
 * res->has_sol is 1 (it is verified first), and hold the best tree on
 * return. RETURNS 0, FP_ENOMEM, FP_EGLPK or FP_EINTERNAL. */
int fp_nw_solve(const fp_nwprob *p, const fp_nwopts *o, unsigned char *node_in,
                unsigned char *edge_in, fp_nwres *res, fp_error *err);

/* Dual ascent lower bounds for the prize-collecting relaxation of p:
 * minimise c(E(T)) + k(V(T)) + pz(V \ V(T)) over trees holding the root
 * (p->root >= 0) or, unrooted (p->root < 0), over trees holding a node of
 * positive pz (the empty tree and trees without a prize are not covered),
 * with prizes pz[p->n] >= 0 (p's own prize, mode, limit ignored; groups
 * relaxed away). *lb receives a lower bound on every such tree's value;
 * nb[v] (nb may be NULL) one on every such tree holding v, eb[e] (may be
 * NULL) on every such tree holding e, for trees whose leaves all have a
 * prize or a group (pruning any tree to one never raises its value),
 * INFINITY if none; xb[v] (may be NULL) one on every such tree leaving
 * out v, for v of positive pz (-INFINITY for the others). Stops ascending
 * past deadline (CLOCK_MONOTONIC s, <= 0 none); the bounds stay valid.
 * RETURNS 0, or -1 (no memory or a root out of range). */
int fp_nw_da(const fp_nwprob *p, const double *pz, double deadline, double *lb, double *nb,
             double *eb, double *xb);

/* Monotonic clock, seconds. */
double fp_nw_now(void);

/* --- inside the engine (pcstp.c, pcstp_heur.c, pcstp_ilp.c) --- */

/* CSR adjacency of p: incident edges of v are edge[start[v]..start[v+1]-1].
 * RETURNS 0 or -1 on no memory (*start, *edge caller-freed). */
int fp_nw_adj(const fp_nwprob *p, int **start, int **edge);

/* Heuristic workspace bound to p and its adjacency (borrowed). */
typedef struct fp_nwh fp_nwh;
fp_nwh *fp_nwh_create(const fp_nwprob *p, const int *adj_start, const int *adj_edge);
void fp_nwh_free(fp_nwh *h);
/* Heuristics stop their loops past this CLOCK_MONOTONIC time (<= 0: none). */
void fp_nwh_set_deadline(fp_nwh *h, double deadline);

/* Builds one tree grown from `start` (p->root if rooted): paths chosen on
 * edge weights w[m] (NULL: true costs), nodes with yv[v] >= 0.5 (NULL:
 * none) connected first, then MST and pruning on the true costs.
 * RETURNS 1 with a feasible tree in node_in/edge_in and *obj, else 0. */
int fp_nwh_build(fp_nwh *h, int start, const double *w, const double *yv,
                 unsigned char *node_in, unsigned char *edge_in, double *obj);

/* Several starts / perturbations (deterministic from seed); keeps the best
 * in node_in/edge_in if better than *obj (when *has) . RETURNS 1 if it
 * improved or found a first tree. */
int fp_nwh_run(fp_nwh *h, int starts, unsigned seed, unsigned char *node_in,
               unsigned char *edge_in, double *obj, int *has);

/* Local search on a feasible tree: insert a node next to it or remove
 * one, then MST and pruning; first improvement, until no move helps or
 * `effort` moves were tried. RETURNS 1 if *obj improved. */
int fp_nwh_improve(fp_nwh *h, unsigned char *node_in, unsigned char *edge_in, double *obj,
                   long effort);

/* Makes a tree of node set node_in (edges ignored: MST), within the budget
 * by dropping the leaves paying least per euro, then grown with what is
 * left. RETURNS 1 with a feasible tree in out_n/out_e and *obj. */
int fp_nwh_repair(fp_nwh *h, const unsigned char *node_in, const unsigned char *edge_in,
                  unsigned char *out_n, unsigned char *out_e, double *obj);

/* BUDGET, rooted, without groups: the best subtree within the budget of a
 * spanning tree (by tree-knapsack dynamic programming over the weights),
 * grown with what is left of the budget. The spanning tree: an MST of the
 * nodes base_n[p->n] (plus the root), or with base_n NULL the shortest-
 * path tree of the whole graph. RETURNS 1 with a feasible tree in
 * out_n/out_e and *obj, else 0. */
int fp_nwh_knap(fp_nwh *h, const unsigned char *base_n, unsigned char *out_n,
                unsigned char *out_e, double *obj);

/* Branch-and-cut on p (after reductions). node_in/edge_in hold the
 * incumbent if res->has_sol; res gets the result. RETURNS 0 or an error. */
int fp_nw_ilp(const fp_nwprob *p, const int *adj_start, const int *adj_edge,
              const fp_nwopts *o, fp_nwh *h, unsigned char *node_in,
              unsigned char *edge_in, fp_nwres *res, fp_error *err);

#endif
