/* cli_budget: prize-collecting, budget and quota solves of `fibreplan stp`. */
#include "cli_budget.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "error.h"
#include "pcstp.h"

void fp_cli_stp_outcome_free(fp_cli_stp_outcome *oc)
{
    if (!oc)
        return;
    free(oc->edge_in);
    free(oc->node_in);
    oc->edge_in = oc->node_in = NULL;
}

int fp_cli_stp_prize(const fp_sgraph *g, int mode, double limit, const fp_steiner_opts *o,
                     const fp_log *log, fp_cli_stp_outcome *oc, fp_error *err)
{
    memset(oc, 0, sizeof *oc);
    oc->mode = mode;
    oc->limit = limit;
    oc->prize = 1;
    int rc;
    double *w = NULL;
    if (mode == 0) {
        fp_steiner_result sr;
        memset(&sr, 0, sizeof sr);
        rc = fp_pcstp_solve(g, o, log, &sr, &oc->node_in, err);
        oc->edge_in = sr.edge_in;
        oc->status = sr.status;
        oc->cost = sr.cost;
        oc->bound = sr.lower_bound;
        oc->gap = sr.gap;
        oc->seconds = sr.seconds;
        oc->bb_nodes = sr.nodes_explored;
        oc->reduced_nodes = sr.n_nodes_reduced;
        oc->reduced_edges = sr.n_edges_reduced;
    } else {
        /* weights: the prizes, or 1 a terminal for a plain Steiner file */
        fp_budget_spec spec = {mode == 1 ? FP_BUDGET_COVER : FP_BUDGET_QUOTA, limit, NULL, NULL,
                               NULL};
        if (!g->prize) {
            w = calloc(g->n_nodes > 0 ? (size_t)g->n_nodes : 1, sizeof *w);
            if (!w)
                return fp_error_set(err, FP_ENOMEM, "out of memory");
            for (int v = 0; v < g->n_nodes; v++)
                w[v] = g->term[v] ? 1 : 0;
            spec.weight = w;
        }
        fp_budget_result br;
        memset(&br, 0, sizeof br);
        rc = fp_budget_solve(g, &spec, o, log, &br, err);
        oc->node_in = br.node_in;
        oc->edge_in = br.edge_in;
        br.node_in = NULL;
        br.edge_in = NULL;
        oc->status = br.status;
        oc->cost = br.cost;
        oc->bound = br.bound;
        oc->gap = br.gap;
        oc->seconds = br.seconds;
        oc->bb_nodes = br.bb_nodes;
        oc->reduced_nodes = br.n_nodes_reduced;
        oc->reduced_edges = br.n_edges_reduced;
        oc->covered = br.weight;
        fp_budget_result_free(&br);
        free(w);
    }
    if (rc)
        return rc;
    double prize_in = 0;
    for (int v = 0; v < g->n_nodes && g->prize && oc->node_in; v++)
        if (oc->node_in[v])
            prize_in += g->prize[v];
    for (int e = 0; e < g->n_edges && oc->edge_in; e++)
        if (oc->edge_in[e])
            oc->tree_cost += g->cost[e];
    if (mode == 0)
        oc->covered = prize_in;
    return FP_OK;
}
