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
    fp_steiner_result res = {0};
    int status = 0;
    const fp_log *log = cli->quiet ? NULL : &cli->log;
    fp_log quietlog = {0};
    if (cli->quiet)
        log = &quietlog;
    int rc = fp_stp_read(file, &g, &err);
    if (!rc && (pmode || g->problem != FP_PROB_SPG)) {
        status = fp_cli_stp_prize(cli, g, pmode, plimit, &o, log, json, solpath);
        goto out;
    }
    if (!rc)
        rc = fp_steiner_solve(g, &o, log, &res, &err);
    fp_cli_progress_done(cli);
    if (rc) {
        fp_cli_error("%s", err.msg);
        status = fp_error_exit_status(rc);
        goto out;
    }
    if (solpath && res.status != FP_ST_INFEASIBLE) {
        rc = fp_cli_write_solution(solpath, g, res.edge_in, NULL, &err);
        if (rc) {
            fp_cli_error("%s", err.msg);
            status = fp_error_exit_status(rc);
            goto out;
        }
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "instance", g->name);
        cJSON_AddStringToObject(j, "problem", problem_name(g->problem));
        cJSON_AddNumberToObject(j, "nodes", g->n_nodes);
        cJSON_AddNumberToObject(j, "edges", g->n_edges);
        cJSON_AddNumberToObject(j, "terminals", fp_sgraph_n_terminals(g));
        if (isfinite(res.cost)) {
            cJSON_AddNumberToObject(j, "cost", res.cost);
            cJSON_AddNumberToObject(j, "lower_bound", res.lower_bound);
            cJSON_AddNumberToObject(j, "gap", res.gap);
        } else {
            cJSON_AddNullToObject(j, "cost");
            cJSON_AddNullToObject(j, "lower_bound");
            cJSON_AddNullToObject(j, "gap");
        }
        cJSON_AddStringToObject(j, "status", status_name(res.status));
        cJSON_AddNumberToObject(j, "seconds", res.seconds);
        cJSON_AddNumberToObject(j, "reduced_nodes", res.n_nodes_reduced);
        cJSON_AddNumberToObject(j, "reduced_edges", res.n_edges_reduced);
        cJSON_AddNumberToObject(j, "bb_nodes", (double)res.nodes_explored);
        char *s = cJSON_PrintUnformatted(j);
        if (s)
            printf("%s\n", s);
        free(s);
        cJSON_Delete(j);
    } else {
        char c[64], b[64];
        num(c, sizeof c, res.cost);
        num(b, sizeof b, res.lower_bound);
        printf("instance   %s (%s)\n", g->name, problem_name(g->problem));
        printf("graph      %d nodes, %d edges, %d terminals\n", g->n_nodes, g->n_edges,
               fp_sgraph_n_terminals(g));
        printf("reduced    %d nodes, %d edges\n", res.n_nodes_reduced, res.n_edges_reduced);
        printf("status     %s\n", status_name(res.status));
        printf("cost       %s\n", c);
        printf("bound      %s (gap %.4f%%)\n", b, 100 * res.gap);
        printf("b&b nodes  %lld\n", res.nodes_explored);
        printf("seconds    %.3f\n", res.seconds);
    }
    if (res.status == FP_ST_INFEASIBLE) {
        if (!json)
            fp_cli_error("%s: the terminals are not connected: no tree exists", file);
        status = 4;
    }
out:
    fp_steiner_result_free(&res);
    fp_sgraph_free(g);
    return status;
}
