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

#endif
