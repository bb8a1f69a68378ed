/* steiner: the optimiser's pipeline: reduce, heuristics, branch-and-cut,
 * map back, verify. */
#include "steiner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dualascent.h"
#include "heur.h"
#include "ilp.h"
#include "pcstp.h"
#include "reduce.h"

void fp_steiner_opts_default(fp_steiner_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

void fp_steiner_result_free(fp_steiner_result *res)
{
    if (!res)
        return;
    free(res->edge_in);
    res->edge_in = NULL;
}

int fp_steiner_check(const fp_sgraph *g, const unsigned char *edge_in, double *cost)
{
    int n = g->n_nodes, ok = 1;
    double c = 0;
    int *par = malloc((n > 0 ? (size_t)n : 1) * sizeof *par);
    if (!par)
        return 0;
    for (int v = 0; v < n; v++)
        par[v] = v;
    for (int e = 0; e < g->n_edges; e++) {
        if (!edge_in[e])
            continue;
        c += g->cost[e];
        int a = g->tail[e], b = g->head[e];
        while (par[a] != a)
            a = par[a] = par[par[a]];
        while (par[b] != b)
            b = par[b] = par[par[b]];
        if (a == b)
            ok = 0;
        else
            par[a] = b;
    }
    int root = -1;
    for (int v = 0; v < n && ok; v++) {
        if (!g->term[v])
            continue;
        int a = v;
        while (par[a] != a)
            a = par[a];
        if (root < 0)
            root = a;
        else if (a != root)
            ok = 0;
    }
    for (int e = 0; e < g->n_edges && ok; e++) {
        if (!edge_in[e])
            continue;
        int a = g->tail[e];
        while (par[a] != a)
            a = par[a];
        if (root < 0 || a != root)
            ok = 0; /* an edge off the terminals' tree */
    }
    free(par);
    if (cost)
        *cost = c;
    return ok;
}

static int all_integral(const fp_sgraph *g)
{
    for (int e = 0; e < g->n_edges; e++)
        if (g->cost[e] != floor(g->cost[e]) || g->cost[e] > 1e15)
            return 0;
    return 1;
}

int fp_steiner_solve(const fp_sgraph *g, const fp_steiner_opts *opts, const fp_log *log,
                     fp_steiner_result *res, fp_error *err)
{
    if (g->problem != FP_PROB_SPG) /* prize-collecting: pcstp.c */
        return fp_pcstp_solve(g, opts, log, res, NULL, err);
    fp_steiner_opts def;
    if (!opts) {
        fp_steiner_opts_default(&def);
        opts = &def;
    }
    double t0 = fp_ilp_now();
    memset(res, 0, sizeof *res);
    res->status = FP_ST_ERROR;
    fp_rgraph *r = NULL;
    fp_cgraph *cg = NULL;
    fp_heur *h = NULL;
    unsigned char *sol = NULL;
    int rc = FP_OK;
    if (g->problem != FP_PROB_SPG) {
        rc = fp_error_set(err, FP_EINPUT, "%s: prize-collecting not supported yet", g->name);
        goto out;
    }
    res->edge_in = calloc(g->n_edges > 0 ? (size_t)g->n_edges : 1, 1);
    r = fp_rgraph_create(g);
    if (!res->edge_in || !r) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    double deadline = opts->time_limit > 0 ? t0 + opts->time_limit : 0;
    rc = fp_reduce_components(r, err);
    if (rc == FP_EINFEASIBLE) {
        fp_log_msg(log, FP_LOG_INFO, "%s", err->msg);
        fp_error_clear(err);
        rc = FP_OK;
        res->status = FP_ST_INFEASIBLE;
        res->cost = res->lower_bound = INFINITY;
        goto out;
    }
    if (rc)
        goto out;
    int changed;
    if ((rc = fp_reduce_degree(r, &changed, err)))
        goto out;
    for (int round = 0; round < 8 && r->n_terms > 1; round++) {
        int d = fp_reduce_sd(r, 200);
        if (d < 0) {
            rc = fp_error_set(err, FP_ENOMEM, "out of memory in reductions");
            goto out;
        }
        if ((rc = fp_reduce_degree(r, &changed, err)))
            goto out;
        if (d == 0 && changed == 0)
            break;
    }
    cg = fp_cgraph_from_rgraph(r);
    if (!cg) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    fp_log_msg(log, FP_LOG_INFO, "reduced %d nodes %d edges to %d nodes %d edges (%d terminals)",
               g->n_nodes, g->n_edges, cg->n, cg->m, cg->n_terms);
    sol = calloc(cg->m > 0 ? (size_t)cg->m : 1, 1);
    h = fp_heur_create(cg);
    if (!sol || !h) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    double cost = 0, lb = 0;
    int optimal = 0;
    if (cg->n_terms <= 1) {
        optimal = 1;
    } else {
        int starts = opts->heuristic_only ? 100 : 20;
        cost = fp_heur_run(h, starts, opts->seed, sol);
        if (cost < 0) {
            rc = fp_error_set(err, FP_EINTERNAL, "heuristic found no tree");
            goto out;
        }
        fp_log_progress(log, "solve", 0, 0, "heuristic %.10g", cost + r->fixed_cost);
        /* dual ascent: a lower bound and reduced-cost eliminations */
        double da_lb = 0;
        int root = 0;
        for (int v = 0; v < cg->n; v++)
            if (cg->term[v] && (!cg->term[root] ||
                                cg->adj_start[v + 1] - cg->adj_start[v] >
                                    cg->adj_start[root + 1] - cg->adj_start[root]))
                root = v;
        if (fp_da_bound(cg, root, &da_lb) == 0 && da_lb > lb)
            lb = da_lb;
        int integral = all_integral(g);
        double lbr = integral ? ceil(lb - 1e-6) : lb;
        if (lbr >= cost - 1e-7 * (1 + cost))
            optimal = 1;
        if (!optimal && !opts->heuristic_only) {
            fp_ilp_opts io = {deadline, opts->gap_limit, integral, r->fixed_cost, log};
            long long nodes = 0;
            rc = fp_ilp_solve(cg, root, &io, sol, &cost, &lb, &nodes, &optimal, err);
            res->nodes_explored = nodes;
            if (rc)
                goto out;
        }
    }
    double chk;
    if (!fp_heur_check(cg, sol, &chk) && cg->n_terms > 1) {
        rc = fp_error_set(err, FP_EINTERNAL, "solver produced an invalid tree");
        goto out;
    }
    fp_reduce_map_back(r, cg, sol, res->edge_in);
    double total;
    if (!fp_steiner_check(g, res->edge_in, &total)) {
        rc = fp_error_set(err, FP_EINTERNAL, "mapped-back solution is not a Steiner tree");
        goto out;
    }
    res->cost = total;
    res->lower_bound = optimal ? total : lb + r->fixed_cost;
    if (res->lower_bound > total)
        res->lower_bound = total;
    res->gap = total > 0 ? (total - res->lower_bound) / total : 0;
    res->status = optimal ? FP_ST_OPTIMAL : FP_ST_FEASIBLE;
    res->n_nodes_reduced = cg->n;
    res->n_edges_reduced = cg->m;
out:
    res->seconds = fp_ilp_now() - t0;
    if (rc) {
        res->status = FP_ST_ERROR;
        free(res->edge_in);
        res->edge_in = NULL;
    }
    fp_heur_free(h);
    free(sol);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    return rc;
}
