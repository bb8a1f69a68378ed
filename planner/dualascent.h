/* dualascent: Wong's dual ascent on the bidirected cut formulation: a lower
 * bound and reduced costs for eliminating arcs and vertices. */
#ifndef FP_DUALASCENT_H
#define FP_DUALASCENT_H

#include "reduce.h"

/* Runs dual ascent rooted at terminal `root` of g, in the re-queued order
 * (a cut that grew since its terminal was queued waits behind a smaller
 * one: SteinLib d18 216 -> 221, about as fast). *lb receives the bound
 * (valid for every Steiner tree of g); if rc is not NULL it receives the
 * reduced cost of arc a in rc[2*g->m] (arc 2e: tail->head, 2e+1: back).
 * RETURNS 0 or -1 on no memory. */
int fp_da_run(const fp_cgraph *g, int root, double *lb, double *rc);

/* The cuts of a dual ascent run in CSR form: cut i is the arc set
 * arc[start[i] .. start[i+1]-1] (arc 2e: tail->head, 2e+1: back), each a
 * valid row x(delta-(S)) >= 1 of the directed cut formulation. */
typedef struct fp_da_cuts {
    int n, cap;        /* cuts */
    long nnz, capnz;   /* arcs */
    long *start;       /* [n+1] owned */
    int *arc;          /* [nnz] owned */
    long max_nnz;      /* stop recording beyond this many arcs */
} fp_da_cuts;

/* As fp_da_run, also recording every cut raised into *cuts (zeroed or
 * reused; set cuts->max_nnz first, 0 = 2,000,000), in Wong's plain order
 * (each cut raised as found: a weaker bound than fp_da_run's, but a better
 * start for the branch-and-cut's LP). RETURNS 0 or -1. */
int fp_da_run_cuts(const fp_cgraph *g, int root, double *lb, double *rc, fp_da_cuts *cuts);

/* Frees the arrays of cuts (not the struct); accepts a zeroed struct. */
void fp_da_cuts_free(fp_da_cuts *cuts);

/* Convenience: only the bound. RETURNS 0 or -1. */
int fp_da_bound(const fp_cgraph *g, int root, double *lb);

/* Dual ascent from `root`, then reduced-cost elimination against the upper
 * bound ub (the cost of a known tree of g): an edge or non-terminal vertex
 * every tree through which costs more than ub is deleted from the working
 * graph r (g must be compacted from r). *lb receives the dual bound.
 * RETURNS the number of deletions, or -1 on no memory. */
int fp_da_eliminate(fp_rgraph *r, const fp_cgraph *g, int root, double ub, double *lb);

/* The elimination step of fp_da_eliminate with a dual ascent already run
 * (bound lb, reduced costs rc from fp_da_run with the same root). */
int fp_da_eliminate_rc(fp_rgraph *r, const fp_cgraph *g, int root, double lb,
                       const double *rc, double ub);

/* Reduced-cost bounds of a dual ascent (lb, rc from fp_da_run rooted at
 * root): eb[e] (e < g->m) receives a lower bound on the cost of every tree
 * of g using edge e whose leaves are terminals, and vb[v] (if vb is not
 * NULL) on every such tree through vertex v (lb for terminals); DBL_MAX: no
 * such tree. (A tree with other leaves prunes to a cheaper one of these, so
 * what a bound above ub rules out is in no tree cheaper than ub.) RETURNS 0 or -1 on
 * no memory. */
int fp_da_edge_bounds(const fp_cgraph *g, int root, double lb, const double *rc, double *eb,
                      double *vb);

/* Deletes from the working graph r (g compacted from it) every non-terminal
 * vertex v with vb[v] > ub and every edge e with eb[e] > ub (bounds as
 * from fp_da_edge_bounds, possibly the best of several roots; vb may be
 * NULL). RETURNS the number of deletions. */
int fp_da_eliminate_bounds(fp_rgraph *r, const fp_cgraph *g, const double *eb, const double *vb,
                           double ub);

#endif
