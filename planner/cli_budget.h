/* cli_budget: the prize side of `fibreplan stp`: prize-collecting files
 * (TP lines) and the --budget / --quota modes, solved into the outcome that
 * cli_stp.c prints for every kind of instance. */
#ifndef FP_CLI_BUDGET_H
#define FP_CLI_BUDGET_H

#include "cli.h"
#include "sgraph.h"
#include "steiner.h"

/* What one `fibreplan stp` solve found, for the summary or the JSON line. */
typedef struct fp_cli_stp_outcome {
    int mode;                 /* 0: as the file says, 1: --budget, 2: --quota */
    double limit;             /* the budget or quota */
    int prize;                /* prize side: covered prize and tree cost shown */
    fp_st_status status;
    double cost, bound, gap;  /* bound: on the covered prize in budget mode */
    double covered, tree_cost;
    double seconds;
    long long bb_nodes;
    int reduced_nodes, reduced_edges;
    unsigned char *edge_in;   /* owned, [n_edges]; NULL when infeasible */
    unsigned char *node_in;   /* owned, [n_nodes]; NULL for a plain tree */
} fp_cli_stp_outcome;

/* Frees the outcome's arrays (not the struct). */
void fp_cli_stp_outcome_free(fp_cli_stp_outcome *oc);

/* Solves g (borrowed) as a prize-collecting problem (mode 0), a budget
 * (1: maximise prize with edge cost <= limit) or a quota (2: cheapest tree
 * with prize >= limit) into *oc (caller frees with fp_cli_stp_outcome_free,
 * also on error). RETURNS 0 or an FP_E* code with *err set. */
int fp_cli_stp_prize(const fp_sgraph *g, int mode, double limit, const fp_steiner_opts *o,
                     const fp_log *log, fp_cli_stp_outcome *oc, fp_error *err);

#endif
