/* cli_budget: prize-collecting, budget and quota solves of `fibreplan stp`. */
#include "cli_budget.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "fsutil.h"
#include "error.h"
#include "pcstp.h"

static const char *status_name(fp_st_status s)
{
    switch (s) {
    case FP_ST_OPTIMAL:
        return "optimal";
    case FP_ST_FEASIBLE:
        return "feasible";
    case FP_ST_INFEASIBLE:
        return "infeasible";
    default:
        return "error";
    }
}

static const char *problem_name(fp_problem p)
{
    return p == FP_PROB_PCSTP ? "pcstp" : p == FP_PROB_RPCSTP ? "rpcstp" : "spg";
}

static void num(char *b, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(b, n, "inf");
    else if (x == floor(x) && fabs(x) < 1e15)
        snprintf(b, n, "%.0f", x);
    else
        snprintf(b, n, "%.10g", x);
}

/* "E u v cost" per tree edge, then "V v" per tree vertex (so a tree of one
 * vertex is written too), in the file's numbering; atomic. */
int fp_cli_write_solution(const char *path, const fp_sgraph *g, const unsigned char *ein,
                          const unsigned char *nin, fp_error *err)
{
    fp_afile *af = fp_afile_open(path, err);
    if (!af)
        return err ? err->code : FP_EIO;
    FILE *f = fp_afile_fp(af);
    char b[64];
    for (int e = 0; e < g->n_edges; e++)
        if (ein && ein[e]) {
            num(b, sizeof b, g->cost[e]);
            fprintf(f, "E %lld %lld %s\n", g->ext_id[g->tail[e]], g->ext_id[g->head[e]], b);
        }
    for (int v = 0; v < g->n_nodes; v++)
        if (nin && nin[v])
            fprintf(f, "V %lld\n", g->ext_id[v]);
    return fp_afile_commit(af, err);
}

static void jnum(cJSON *j, const char *k, double x)
{
    if (isfinite(x))
        cJSON_AddNumberToObject(j, k, x);
    else
        cJSON_AddNullToObject(j, k);
}

int fp_cli_stp_prize(fp_cli *cli, const fp_sgraph *g, int mode, double limit,
                     const fp_steiner_opts *o, const fp_log *log, int json,
                     const char *solpath)
{
    fp_error err;
    fp_error_clear(&err);
    int status = 0, rc;
    fp_steiner_result sr;
    fp_budget_result br;
    memset(&sr, 0, sizeof sr);
    memset(&br, 0, sizeof br);
    unsigned char *nin = NULL, *ein = NULL;
    double *w = NULL;
    fp_st_status st;
    double cost, bound, gap, seconds, covered = 0, tree_cost = 0;
    long long bb;
    int rn, rm;
    if (mode == 0) {
        rc = fp_pcstp_solve(g, o, log, &sr, &nin, &err);
        ein = sr.edge_in;
        st = sr.status;
        cost = sr.cost;
        bound = sr.lower_bound;
        gap = sr.gap;
        seconds = sr.seconds;
        bb = sr.nodes_explored;
        rn = sr.n_nodes_reduced;
        rm = sr.n_edges_reduced;
    } else {
        /* weights: the prizes, or 1 a terminal for a plain Steiner file */
        fp_budget_spec spec = {mode == 1 ? FP_BUDGET_COVER : FP_BUDGET_QUOTA, limit, NULL, NULL,
                               NULL};
        if (!g->prize) {
            w = calloc(g->n_nodes > 0 ? (size_t)g->n_nodes : 1, sizeof *w);
            if (!w) {
                fp_cli_error("out of memory");
                return 5;
            }
            for (int v = 0; v < g->n_nodes; v++)
                w[v] = g->term[v] ? 1 : 0;
            spec.weight = w;
        }
        rc = fp_budget_solve(g, &spec, o, log, &br, &err);
        nin = br.node_in;
        ein = br.edge_in;
        br.node_in = NULL;
        br.edge_in = NULL;
        st = br.status;
        cost = br.cost;
        bound = br.bound;
        gap = br.gap;
        seconds = br.seconds;
        bb = br.bb_nodes;
        rn = br.n_nodes_reduced;
        rm = br.n_edges_reduced;
        covered = br.weight;
    }
    fp_cli_progress_done(cli);
    if (rc) {
        fp_cli_error("%s", err.msg);
        status = fp_error_exit_status(rc);
        goto out;
    }
    double prize_in = 0, prize_all = 0;
    for (int v = 0; v < g->n_nodes && g->prize; v++) {
        prize_all += g->prize[v];
        if (nin && nin[v])
            prize_in += g->prize[v];
    }
    for (int e = 0; e < g->n_edges && ein; e++)
        if (ein[e])
            tree_cost += g->cost[e];
    if (mode == 0)
        covered = prize_in;
    if (solpath && st != FP_ST_INFEASIBLE) {
        rc = fp_cli_write_solution(solpath, g, ein, nin, &err);
        if (rc) {
            fp_cli_error("%s", err.msg);
            status = fp_error_exit_status(rc);
            goto out;
        }
    }
    const char *mname = mode == 1 ? "budget" : mode == 2 ? "quota" : "prize";
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "instance", g->name);
        cJSON_AddStringToObject(j, "problem", problem_name(g->problem));
        cJSON_AddStringToObject(j, "mode", mname);
        if (mode)
            cJSON_AddNumberToObject(j, mode == 1 ? "budget" : "quota", limit);
        cJSON_AddNumberToObject(j, "nodes", g->n_nodes);
        cJSON_AddNumberToObject(j, "edges", g->n_edges);
        cJSON_AddNumberToObject(j, "terminals", fp_sgraph_n_terminals(g));
        int infeas = st == FP_ST_INFEASIBLE;
        jnum(j, "cost", infeas ? NAN : cost);
        if (mode == 1) {
            jnum(j, "covered_bound", infeas ? NAN : bound);
        } else {
            jnum(j, "lower_bound", infeas ? NAN : bound);
        }
        jnum(j, "gap", infeas ? NAN : gap);
        jnum(j, "covered", infeas ? NAN : covered);
        jnum(j, "tree_cost", infeas ? NAN : tree_cost);
        cJSON_AddStringToObject(j, "status", status_name(st));
        cJSON_AddNumberToObject(j, "seconds", seconds);
        cJSON_AddNumberToObject(j, "reduced_nodes", rn);
        cJSON_AddNumberToObject(j, "reduced_edges", rm);
        cJSON_AddNumberToObject(j, "bb_nodes", (double)bb);
        char *s = cJSON_PrintUnformatted(j);
        if (s)
            printf("%s\n", s);
        free(s);
        cJSON_Delete(j);
    } else {
        char c[64], b[64], cv[64], tc[64];
        num(c, sizeof c, cost);
        num(b, sizeof b, bound);
        num(cv, sizeof cv, covered);
        num(tc, sizeof tc, tree_cost);
        printf("instance   %s (%s, %s)\n", g->name, problem_name(g->problem), mname);
        printf("graph      %d nodes, %d edges\n", g->n_nodes, g->n_edges);
        printf("reduced    %d nodes, %d edges\n", rn, rm);
        printf("status     %s\n", status_name(st));
        if (mode == 1) {
            printf("covered    %s (bound %s, gap %.4f%%)\n", cv, b, 100 * gap);
            printf("cost       %s\n", c);
        } else {
            printf("cost       %s\n", c);
            printf("bound      %s (gap %.4f%%)\n", b, 100 * gap);
            printf("covered    %s\n", cv);
        }
        printf("tree cost  %s\n", tc);
        printf("b&b nodes  %lld\n", bb);
        printf("seconds    %.3f\n", seconds);
    }
    if (st == FP_ST_INFEASIBLE) {
        if (!json)
            fp_cli_error("%s: no tree meets the %s", g->name,
                         mode == 2 ? "quota" : mode == 1 ? "budget" : "root");
        status = 4;
    }
out:
    if (mode == 0)
        fp_steiner_result_free(&sr);
    else
        free(ein);
    fp_budget_result_free(&br);
    free(nin);
    free(w);
    (void)prize_all;
    return status;
}
