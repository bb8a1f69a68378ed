/* cli_stp: `fibreplan stp FILE`: solve a SteinLib / PACE Steiner instance. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_budget.h"
#include "error.h"
#include "fsutil.h"
#include "sgraph.h"
#include "steiner.h"
#include "stp.h"

static void help(FILE *f)
{
    fprintf(f,
            "usage: fibreplan stp FILE [--time-limit S] [--gap G] [--json]\n"
            "                      [--solution OUT] [--heuristic-only] [--seed N] [--quiet]\n"
            "                      [--budget B | --quota Q]\n"
            "\n"
            "Solves the Steiner tree instance in FILE (SteinLib .stp or PACE 2018 .gr):\n"
            "reductions, heuristics, then GLPK branch-and-cut to a proven optimum.\n"
            "\n"
            "  --time-limit S     stop after S seconds with the best tree and bound\n"
            "  --gap G            stop when (cost - bound) / cost <= G (e.g. 0.01)\n"
            "  --json             print one JSON object instead of a summary\n"
            "  --solution OUT     write the tree's edges to OUT, one 'E u v cost' line\n"
            "                     each, in the file's vertex numbering\n"
            "  --heuristic-only   heuristics only (no branch-and-cut)\n"
            "  --seed N           seed of the heuristics (default 1)\n"
            "  --budget B         maximise the prize (TP lines; else 1 a terminal)\n"
            "                     of a tree of edge cost <= B\n"
            "  --quota Q          cheapest tree collecting a prize >= Q\n"
            "  --quiet            no progress output\n"
            "\n"
            "exit status: 0 solved (optimal or limit reached), 1 bad input file,\n"
            "2 bad command line, 3 cannot write OUT, 4 terminals not connected, 5 internal\n");
}

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
static int write_solution(const char *path, const fp_sgraph *g, const unsigned char *ein,
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

/* One JSON object on a line: the keys of every solve, then, for the prize
 * side, the mode and what the tree covers. */
static void print_json(const fp_sgraph *g, const fp_cli_stp_outcome *oc)
{
    const char *mname = oc->mode == 1 ? "budget" : oc->mode == 2 ? "quota" : "prize";
    int infeas = oc->status == FP_ST_INFEASIBLE;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "instance", g->name);
    cJSON_AddStringToObject(j, "problem", problem_name(g->problem));
    if (oc->prize)
        cJSON_AddStringToObject(j, "mode", mname);
    if (oc->mode)
        cJSON_AddNumberToObject(j, mname, oc->limit);
    cJSON_AddNumberToObject(j, "nodes", g->n_nodes);
    cJSON_AddNumberToObject(j, "edges", g->n_edges);
    cJSON_AddNumberToObject(j, "terminals", fp_sgraph_n_terminals(g));
    jnum(j, "cost", infeas ? NAN : oc->cost);
    jnum(j, oc->mode == 1 ? "covered_bound" : "lower_bound", infeas ? NAN : oc->bound);
    jnum(j, "gap", infeas ? NAN : oc->gap);
    if (oc->prize) {
        jnum(j, "covered", infeas ? NAN : oc->covered);
        jnum(j, "tree_cost", infeas ? NAN : oc->tree_cost);
    }
    cJSON_AddStringToObject(j, "status", status_name(oc->status));
    cJSON_AddNumberToObject(j, "seconds", oc->seconds);
    cJSON_AddNumberToObject(j, "reduced_nodes", oc->reduced_nodes);
    cJSON_AddNumberToObject(j, "reduced_edges", oc->reduced_edges);
    cJSON_AddNumberToObject(j, "bb_nodes", (double)oc->bb_nodes);
    char *s = cJSON_PrintUnformatted(j);
    if (s)
        printf("%s\n", s);
    free(s);
    cJSON_Delete(j);
}

static void print_summary(const fp_sgraph *g, const fp_cli_stp_outcome *oc)
{
    const char *mname = oc->mode == 1 ? "budget" : oc->mode == 2 ? "quota" : "prize";
    char c[64], b[64], cv[64], tc[64];
    num(c, sizeof c, oc->cost);
    num(b, sizeof b, oc->bound);
    num(cv, sizeof cv, oc->covered);
    num(tc, sizeof tc, oc->tree_cost);
    if (oc->prize)
        printf("instance   %s (%s, %s)\n", g->name, problem_name(g->problem), mname);
    else
        printf("instance   %s (%s)\n", g->name, problem_name(g->problem));
    if (oc->prize) /* prizes, not terminals */
        printf("graph      %d nodes, %d edges\n", g->n_nodes, g->n_edges);
    else
        printf("graph      %d nodes, %d edges, %d terminals\n", g->n_nodes, g->n_edges,
               fp_sgraph_n_terminals(g));
    printf("reduced    %d nodes, %d edges\n", oc->reduced_nodes, oc->reduced_edges);
    printf("status     %s\n", status_name(oc->status));
    if (oc->mode == 1) {
        printf("covered    %s (bound %s, gap %.4f%%)\n", cv, b, 100 * oc->gap);
        printf("cost       %s\n", c);
    } else {
        printf("cost       %s\n", c);
        printf("bound      %s (gap %.4f%%)\n", b, 100 * oc->gap);
        if (oc->prize)
            printf("covered    %s\n", cv);
    }
    if (oc->prize)
        printf("tree cost  %s\n", tc);
    printf("b&b nodes  %lld\n", oc->bb_nodes);
    printf("seconds    %.3f\n", oc->seconds);
}

/* A plain Steiner solve into the outcome cli_budget.c fills for the rest. */
static int solve_spg(const fp_sgraph *g, const fp_steiner_opts *o, const fp_log *log,
                     fp_cli_stp_outcome *oc, fp_error *err)
{
    fp_steiner_result res;
    memset(&res, 0, sizeof res);
    memset(oc, 0, sizeof *oc);
    int rc = fp_steiner_solve(g, o, log, &res, err);
    oc->edge_in = res.edge_in;
    oc->status = res.status;
    oc->cost = res.cost;
    oc->bound = res.lower_bound;
    oc->gap = res.gap;
    oc->seconds = res.seconds;
    oc->bb_nodes = res.nodes_explored;
    oc->reduced_nodes = res.n_nodes_reduced;
    oc->reduced_edges = res.n_edges_reduced;
    return rc;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(x) || x < 0)
        return -1;
    *v = x;
    return 0;
}

int fp_cli_stp(fp_cli *cli, int argc, char **argv)
{
    const char *file = NULL, *solpath = NULL;
    int json = 0, pmode = 0;
    double plimit = 0;
    fp_steiner_opts o;
    fp_steiner_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (fp_cli_is_help(a)) {
            help(stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--heuristic-only") == 0) {
            o.heuristic_only = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            cli->quiet = 1;
            cli->tty = 0;
        } else if ((strcmp(a, "--time-limit") == 0 || strcmp(a, "--gap") == 0 ||
                    strcmp(a, "--solution") == 0 || strcmp(a, "--seed") == 0 ||
                    strcmp(a, "--budget") == 0 || strcmp(a, "--quota") == 0)) {
            if (i + 1 >= argc) {
                fp_cli_error("%s needs a value", a);
                return 2;
            }
            const char *v = argv[++i];
            double d;
            if (strcmp(a, "--solution") == 0) {
                solpath = v;
            } else if (parse_double(v, &d)) {
                fp_cli_error("%s: bad value '%s' (need a number >= 0)", a, v);
                return 2;
            } else if (strcmp(a, "--budget") == 0 || strcmp(a, "--quota") == 0) {
                pmode = a[2] == 'b' ? 1 : 2; /* prize modes: cli_budget.c */
                plimit = d;
            } else if (strcmp(a, "--time-limit") == 0) {
                o.time_limit = d;
            } else if (strcmp(a, "--gap") == 0) {
                o.gap_limit = d;
            } else {
                o.seed = (unsigned)d;
            }
        } else if (a[0] == '-' && a[1]) {
            fp_cli_error("stp: unknown option '%s' (see fibreplan stp --help)", a);
            return 2;
        } else if (!file) {
            file = a;
        } else {
            fp_cli_error("stp: one FILE only");
            return 2;
        }
    }
    if (!file) {
        help(stderr);
        return 2;
    }
    fp_error err;
    fp_error_clear(&err);
    fp_sgraph *g = NULL;
    fp_cli_stp_outcome oc;
    memset(&oc, 0, sizeof oc);
    int status = 0;
    fp_log quietlog = {0};
    const fp_log *log = cli->quiet ? &quietlog : &cli->log;
    int rc = fp_stp_read(file, &g, &err);
    if (!rc)
        rc = pmode || g->problem != FP_PROB_SPG
                 ? fp_cli_stp_prize(g, pmode, plimit, &o, log, &oc, &err)
                 : solve_spg(g, &o, log, &oc, &err);
    fp_cli_progress_done(cli);
    if (!rc && solpath && oc.status != FP_ST_INFEASIBLE)
        rc = write_solution(solpath, g, oc.edge_in, oc.node_in, &err);
    if (rc) {
        fp_cli_error("%s", err.msg);
        status = fp_error_exit_status(rc);
        goto out;
    }
    if (json)
        print_json(g, &oc);
    else
        print_summary(g, &oc);
    if (oc.status == FP_ST_INFEASIBLE) {
        if (!json) {
            if (oc.prize)
                fp_cli_error("%s: no tree meets the %s", g->name,
                             pmode == 2 ? "quota" : pmode == 1 ? "budget" : "root");
            else
                fp_cli_error("%s: the terminals are not connected: no tree exists", file);
        }
        status = 4;
    }
out:
    fp_cli_stp_outcome_free(&oc);
    fp_sgraph_free(g);
    return status;
}
