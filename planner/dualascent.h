/* dualascent: Wong's dual ascent on the bidirected cut formulation: a lower
 * bound and reduced costs for eliminating arcs and vertices. */
#ifndef FP_DUALASCENT_H
#define FP_DUALASCENT_H

#include "reduce.h"

/* Runs dual ascent rooted at terminal `root` of g. *lb receives the bound
 * (valid for every Steiner tree of g); if rc is not NULL it receives the
 * reduced cost of arc a in rc[2*g->m] (arc 2e: tail->head, 2e+1: back).
 * RETURNS 0 or -1 on no memory. */
int fp_da_run(const fp_cgraph *g, int root, double *lb, double *rc);

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

#endif
