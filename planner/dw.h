/* dw: exact Steiner trees for few terminals by dynamic programming over
 * terminal subsets (Dreyfus-Wagner in the Erickson-Monma-Veinott form):
 * O(3^k n + 2^k m log n) time and 2^k n memory for k terminals, whatever
 * the costs or the shape of the graph. Branch-and-cut struggles with some
 * small symmetric instances (hypercubes, "puzzle" graphs: large integrality
 * gaps) that this settles in a fraction of a second when k is small. */
#ifndef FP_DW_H
#define FP_DW_H

#include "reduce.h"

/* The DP's work on g in elementary steps (about a nanosecond each), or
 * INFINITY when it cannot be run (k > 31, or its tables over mem_limit
 * bytes). */
double fp_dw_work(const fp_cgraph *g, double mem_limit);

/* Solves g (connected, at least 2 terminals) exactly: sets sol[0..m-1] to a
 * minimum Steiner tree and *cost to its cost. deadline: fp_ilp_now() time
 * after which it gives up (0: none).
 * RETURNS 0 when solved, 1 when the deadline passed (sol untouched), -1 on
 * no memory or tables over mem_limit bytes. */
int fp_dw_solve(const fp_cgraph *g, double deadline, double mem_limit, unsigned char *sol,
                double *cost);

#endif
