/* ilp: exact Steiner trees by branch-and-cut with GLPK on the directed cut
 * formulation (bidirected arcs, root = a terminal, cuts x(delta-(S)) >= 1
 * separated by max-flow with nested back-cuts; arcs fixed at 0 by
 * root reduced costs against the incumbent). */
#ifndef FP_ILP_H
#define FP_ILP_H

#include "error.h"
#include "log.h"
#include "dualascent.h"
#include "reduce.h"

typedef struct fp_ilp_opts {
    double deadline;   /* CLOCK_MONOTONIC seconds; <= 0: none */
    double gap_limit;  /* relative gap at which to stop */
    int integral;      /* all costs integral: bounds may be rounded up */
    double offset;     /* added to costs in progress messages */
    double cutoff;     /* cost of a tree known elsewhere, < 0 if none */
    const fp_log *log;
    const fp_da_cuts *init_cuts; /* initial rows (dual ascent from the same
                                    root), may be NULL */
    /* Restart: when root reduced-cost fixing has ruled out at least this
     * share of the edges (0: never), the solve stops after the root (or as
     * soon as twice the share is reached) with *restart set, so that the
     * caller can shrink the graph and start again. */
    double restart_frac;
    int *restart;          /* out, may be NULL: 1 if stopped for a restart */
    unsigned char *elim;   /* out [g->m], may be NULL: 1 for an edge no tree
                              cheaper than the value to beat can use (both
                              arcs fixed at 0; the value to beat is at
                              least the returned *cost or the cutoff) */
    /* Column pricing in the root LP (only arcs of negative reduced cost
     * enter): 0 on graphs of at least 500 edges, 1 always, -1 never. */
    int pricing;
} fp_ilp_opts;

/* Solves the SPG on g rooted at terminal `root`. sol[g->m] holds on entry
 * the incumbent (a tree spanning the terminals) of cost *cost, and on
 * return the best tree found; *lb holds on entry a known lower bound (or 0:
 * the root LP does not stop tailing off below it) and receives a proven one;
 * *nodes receives the branch-and-bound nodes. *optimal is set to 1 when the tree is
 * proven optimal or no tree cheaper than o->cutoff exists (then *lb is
 * the smaller of the two). *lb is always a valid bound when the cutoff is
 * the cost of a real tree. GLPK errors are caught (error hook + longjmp).
 * RETURNS 0, FP_ENOMEM or FP_EGLPK. */
int fp_ilp_solve(const fp_cgraph *g, int root, const fp_ilp_opts *o, unsigned char *sol,
                 double *cost, double *lb, long long *nodes, int *optimal, fp_error *err);

/* Monotonic clock in seconds. */
double fp_ilp_now(void);

#endif
