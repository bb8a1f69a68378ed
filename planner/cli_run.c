/* cli_run: `fibreplan run SCENARIO...`: load -> network -> solve -> plan ->
 * report, exports and project database, for each scenario in turn, with a
 * one-screen summary at the end. */
#include "cli.h"
#include "error.h"
#include "export.h"
#include "fsutil.h"
#include "load.h"
#include "map.h"
#include "network.h"
#include "optimise.h"
#include "plan.h"
#include "report.h"
#include "scenario.h"
#include "steiner.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: fibreplan run SCENARIO... [--time-limit S] [--gap G] [--heuristic-only]\n"
            "                     [--report-dir DIR] [--db FILE] [--quiet]\n\n"
            "Runs each scenario end to end: loads its data, builds the fibre network,\n"
            "solves the routing exactly (Steiner tree: reductions, heuristics, GLPK\n"
            "branch-and-cut), derives the plan (fibres, cables, bill of materials, costs,\n"
            "blocks) and writes the report, the exports and a record in the project\n"
            "database. Outputs: <report_dir>/<scenario file name>/ (report.html, map.png,\n"
            "CSV tables, and the exports [output] formats asks for: plan.gpkg, geojson/,\n"
            "gracethd/, PostGIS), <report_dir>/project.sqlite.\n\n"
            "  --time-limit S    solver time limit in seconds (overrides [solver] time_limit)\n"
            "  --gap G           stop at a relative gap G, e.g. 0.01 (overrides [solver] gap)\n"
            "  --heuristic-only  no branch-and-cut: heuristics and a lower bound only\n"
            "  --report-dir DIR  overrides [output] report_dir (default reports)\n"
            "  --db FILE         overrides [output] project_db (default\n"
            "                    <report_dir>/project.sqlite; none: no record)\n"
            "  --quiet           no progress or information messages\n\n"
            "Exit status: 0 ok, 1 bad input, 2 bad command line, 3 output error,\n"
            "4 no solution (a run found no tree), 5 internal error; with several\n"
            "scenarios, the status of the first that failed.\n");
}

typedef struct {
    double time_limit, gap;
    int heuristic_only;
    const char *report_dir, *db;
} run_args;

/* The [output] section. */
typedef struct {
    const char *report_dir, *project_db;
    fp_export_opts ex;
    int map_width, map_height;
} out_opts;

static int read_output(fp_scenario *sc, const run_args *a, out_opts *oo, fp_error *err)
{
    const char *s = NULL;
    long v;
    int b;
    fp_export_opts_default(&oo->ex);
    if (fp_scenario_get_string(sc, "output", "report_dir", "reports", &oo->report_dir, err))
        return err->code;
    if (a->report_dir)
        oo->report_dir = a->report_dir;
    if (fp_scenario_get_string(sc, "output", "project_db", NULL, &oo->project_db, err))
        return err->code;
    if (a->db)
        oo->project_db = a->db;
    if (fp_scenario_get_string(sc, "output", "formats", "gpkg,geojson", &s, err) ||
        fp_export_parse_formats(s, &oo->ex, err))
        return fp_error_prefix(err, "%s:%d: [output] formats: ", fp_scenario_path(sc),
                               fp_scenario_line(sc, "output", "formats"));
    if (fp_scenario_get_string(sc, "output", "postgis", NULL, &oo->ex.pg_conn, err))
        return err->code;
    if (oo->ex.pg_conn)
        oo->ex.formats |= FP_EXPORT_POSTGIS;
    if ((oo->ex.formats & FP_EXPORT_POSTGIS) && !oo->ex.pg_conn)
        return fp_error_set(err, FP_ESCENARIO,
                            "%s: [output] formats has postgis but no postgis = \"PG:...\"",
                            fp_scenario_path(sc));
    if (fp_scenario_get_string(sc, "output", "postgis_prefix", NULL, &oo->ex.pg_prefix, err))
        return err->code;
    if (fp_scenario_get_bool(sc, "output", "gracethd", 0, &b, err))
        return err->code;
    if (b)
        oo->ex.formats |= FP_EXPORT_GRACETHD;
    static const char *const statuts[] = {"AVP", "PRE", NULL};
    int si = 0;
    if (fp_scenario_get_choice(sc, "output", "gracethd_statut", statuts, 0, &si, err))
        return err->code;
    oo->ex.gracethd_statut = statuts[si];
    if (fp_scenario_get_string(sc, "output", "organisation", NULL, &oo->ex.organisation, err))
        return err->code;
    if (fp_scenario_get_string(sc, "output", "export_fields", "", &s, err))
        return err->code;
    if (fp_export_parse_fields(s, &oo->ex, err))
        return fp_error_prefix(err, "%s:%d: [output] ", fp_scenario_path(sc),
                               fp_scenario_line(sc, "output", "export_fields"));
    if (fp_scenario_get_int(sc, "output", "privacy_threshold", FP_PRIVACY_DEFAULT, 0, 1000000, &v,
                            err))
        return err->code;
    oo->ex.privacy_threshold = (int)v;
    if (fp_scenario_get_int(sc, "output", "map_width", 1600, 400, 10000, &v, err))
        return err->code;
    oo->map_width = (int)v;
    if (fp_scenario_get_int(sc, "output", "map_height", 1200, 300, 10000, &v, err))
        return err->code;
    oo->map_height = (int)v;
    return FP_OK;
}

static int read_plan(fp_scenario *sc, fp_plan_opts *po, fp_error *err)
{
    const char *s = NULL;
    fp_plan_opts_default(po);
    if (fp_scenario_get_string(sc, "plan", "cable_sizes", NULL, &s, err))
        return err->code;
    if (s && fp_plan_parse_sizes(s, po, err))
        return fp_error_prefix(err, "%s:%d: [plan] ", fp_scenario_path(sc),
                               fp_scenario_line(sc, "plan", "cable_sizes"));
    return fp_scenario_get_bool(sc, "plan", "smart", 0, &po->smart, err);
}

static int read_solver(fp_scenario *sc, const run_args *a, fp_steiner_opts *so, fp_error *err)
{
    fp_steiner_opts_default(so);
    long seed;
    if (fp_scenario_get_double(sc, "solver", "time_limit", 600, 0, 1e7, &so->time_limit, err) ||
        fp_scenario_get_double(sc, "solver", "gap", 0, 0, 1, &so->gap_limit, err) ||
        fp_scenario_get_bool(sc, "solver", "heuristic_only", 0, &so->heuristic_only, err) ||
        fp_scenario_get_int(sc, "solver", "seed", 1, 0, 2147483647L, &seed, err))
        return err->code;
    so->seed = (unsigned)seed;
    if (a->time_limit >= 0)
        so->time_limit = a->time_limit;
    if (a->gap >= 0)
        so->gap_limit = a->gap;
    if (a->heuristic_only)
        so->heuristic_only = 1;
    return FP_OK;
}

static const char *status_name(fp_st_status s)
{
    switch (s) {
    case FP_ST_OPTIMAL: return "optimal";
    case FP_ST_FEASIBLE: return "feasible";
    case FP_ST_INFEASIBLE: return "infeasible";
    default: return "error";
    }
}

/* Files read by the run, for their hashes in the project database. */
static size_t input_files(const fp_load_opts *o, const char *scenario, const char **out)
{
    size_t n = 0;
    const char *cand[5] = {scenario, o->buildings.source, o->has_streets ? o->streets.source : NULL,
                           o->has_sites && !o->site_by_xy ? o->sites.source : NULL,
                           o->has_infra ? o->infra.source : NULL};
    for (int i = 0; i < 5; i++) {
        struct stat st;
        if (!cand[i] || stat(cand[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* connection strings, folders: not hashed */
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= !strcmp(out[j], cand[i]);
        if (!dup)
            out[n++] = cand[i];
    }
    return n;
}

static char *params_json(const fp_network *net, const fp_plan_opts *po, const fp_steiner_opts *so,
                         const out_opts *oo)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON *c = cJSON_AddObjectToObject(j, "costs");
    const fp_costs *k = &net->costs;
    cJSON_AddNumberToObject(c, "trench_default", k->trench_default);
    for (int i = 0; i < k->n_trench_classes; i++) {
        char key[64];
        snprintf(key, sizeof key, "trench.%s", k->trench_class[i]);
        cJSON_AddNumberToObject(c, key, k->trench_class_cost[i]);
    }
    cJSON_AddNumberToObject(c, "duct_reuse", k->duct_reuse);
    cJSON_AddNumberToObject(c, "aerial", k->aerial);
    cJSON_AddNumberToObject(c, "drop_fixed", k->drop_fixed);
    cJSON_AddNumberToObject(c, "drop_per_m", k->drop_per_m);
    cJSON_AddNumberToObject(c, "building_fixed", k->building_fixed);
    cJSON_AddNumberToObject(c, "cable_per_fibre_m", k->cable_per_fibre_m);
    cJSON_AddNumberToObject(c, "spare_ratio", k->spare_ratio);
    cJSON_AddNumberToObject(c, "smart_kit", k->smart_kit);
    cJSON_AddNumberToObject(c, "smart_surcharge", k->smart_surcharge);
    cJSON *p = cJSON_AddObjectToObject(j, "plan");
    cJSON *sz = cJSON_AddArrayToObject(p, "cable_sizes");
    for (int i = 0; i < po->n_sizes; i++)
        cJSON_AddItemToArray(sz, cJSON_CreateNumber(po->sizes[i]));
    cJSON_AddBoolToObject(p, "smart", po->smart);
    cJSON *s = cJSON_AddObjectToObject(j, "solver");
    cJSON_AddNumberToObject(s, "time_limit", so->time_limit);
    cJSON_AddNumberToObject(s, "gap", so->gap_limit);
    cJSON_AddBoolToObject(s, "heuristic_only", so->heuristic_only);
    cJSON_AddNumberToObject(s, "seed", so->seed);
    cJSON_AddNumberToObject(j, "privacy_threshold", oo->ex.privacy_threshold);
    char *txt = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return txt;
}

typedef struct {
    char name[128];
    int ok;
    char status[16];
    double cost, gap, seconds, per_dw;
    int dw, dw_target, bld;
    double trench_km;
    int n_sites, sites_used; /* sites given, and those feeding buildings */
    long long run_id;
    char dir[FP_FS_PATH_MAX];
    char error[256];
} run_summary;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* With --quiet after the command: warnings only, no progress. */
static void quiet_message(void *ud, fp_log_level level, const char *msg)
{
    const fp_log *inner = ud;
    if (level == FP_LOG_WARN && inner->message)
        inner->message(inner->ud, level, msg);
}

static int run_one(fp_cli *cli, const char *path, const run_args *a, run_summary *sum,
                   fp_error *err)
{
    fp_log quiet = {quiet_message, NULL, &cli->log};
    const fp_log *log = cli->quiet ? &quiet : &cli->log;
    fp_scenario *sc = NULL;
    fp_dataset *ds = NULL;
    fp_network *net = NULL;
    fp_sgraph *g = NULL;
    int *moff = NULL, *medges = NULL;
    fp_plan *plan = NULL;
    fp_store *st = NULL;
    char *params = NULL;
    fp_optimise_result res;
    memset(&res, 0, sizeof res);
    fp_optimise_opts oopt;
    fp_load_opts lo;
    memset(&lo, 0, sizeof lo);
    int rc;
    fp_costs costs;
    fp_network_opts nopts;
    fp_plan_opts po;
    fp_steiner_opts so;
    out_opts oo;

    if (!(sc = fp_scenario_load(path, err))) {
        rc = err->code;
        goto out;
    }
    snprintf(sum->name, sizeof sum->name, "%s", fp_scenario_name(sc));
    if ((rc = fp_load_opts_from_scenario(sc, &lo, err)) || (rc = fp_costs_from_scenario(sc, &costs, err)) ||
        (rc = fp_network_opts_from_scenario(sc, &nopts, err)) || (rc = read_plan(sc, &po, err)) ||
        (rc = fp_optimise_opts_from_scenario(sc, po.smart, &oopt, err)) ||
        (rc = read_solver(sc, a, &so, err)) || (rc = read_output(sc, a, &oo, err)) ||
        (rc = fp_scenario_check_unused(sc, err)))
        goto out;

    /* Output folder: <report_dir>/<scenario file name>, confined to report_dir. */
    char safe[128];
    fp_fs_safe_name(fp_scenario_name(sc), safe, sizeof safe);
    if ((rc = fp_fs_confine(oo.report_dir, safe, sum->dir, sizeof sum->dir, err)) ||
        (rc = fp_fs_mkdirs(sum->dir, err)))
        goto out;
    oo.ex.scenario = fp_scenario_name(sc);

    /* Stage times, printed with --verbose (bench/run reads them). */
    double t_load = now_s(), t_net = 0, t_solve = 0, t_plan = 0, t_report = 0, t_export = 0,
           t_store = 0;
    fp_log_msg(log, FP_LOG_INFO, "%s: loading", sum->name);
    if (!(ds = fp_load(&lo, log, err))) {
        rc = err->code;
        goto out;
    }
    t_net = now_s();
    fp_log_msg(log, FP_LOG_INFO, "%s: building the network (%zu buildings, %zu streets)",
               sum->name, ds->n_buildings, ds->n_streets);
    if (!(net = fp_network_build(ds, &costs, &nopts, log, err))) {
        rc = err->code;
        goto out;
    }
    if (net->root < 0) {
        rc = fp_error_set(err, FP_EINPUT, "%s: no central office: give a [sites] site", path);
        goto out;
    }
    if ((rc = fp_network_to_sgraph(net, &g, &moff, &medges, err)))
        goto out;
    snprintf(g->name, sizeof g->name, "%s", sum->name);
    t_solve = now_s();
    fp_log_msg(log, FP_LOG_INFO, "%s: solving, mode %s (%d nodes, %d edges, %d terminals)",
               sum->name, fp_optimise_mode_name(oopt.mode), g->n_nodes, g->n_edges,
               fp_sgraph_n_terminals(g));
    if ((rc = fp_optimise_run(net, g, moff, medges, &oopt, &so, log, &res, err)))
        goto out;
    fp_cli_progress_done(cli);
    t_plan = now_s();
    if (!(plan = fp_plan_build(net, res.in_tree, &po, log, err))) {
        rc = err->code;
        goto out;
    }

    fp_report_info info;
    fp_report_info_default(&info);
    info.scenario = sum->name;
    info.mode = fp_optimise_mode_name(oopt.mode);
    info.status = status_name(res.status);
    /* The report's bound is in EUR: meaningful for the cost-minimising modes. */
    info.lower_bound = (oopt.mode == FP_MODE_BUDGET || (oopt.mode == FP_MODE_CURVE && oopt.budget >= 0))
                           ? NAN
                           : res.bound;
    info.curve = res.curve;
    info.n_curve = res.n_curve;
    info.gap = res.gap;
    info.seconds = res.seconds;
    info.privacy_threshold = oo.ex.privacy_threshold;
    info.map_width = oo.map_width;
    info.map_height = oo.map_height;
    t_report = now_s();
    fp_log_msg(log, FP_LOG_INFO, "%s: writing the report in %s", sum->name, sum->dir);
    if ((rc = fp_report_write(sum->dir, plan, &info, log, err)))
        goto out;
    t_export = now_s();
    if (oo.ex.formats) {
        fp_log_msg(log, FP_LOG_INFO, "%s: exporting", sum->name);
        if ((rc = fp_export_write(sum->dir, plan, &oo.ex, log, err)))
            goto out;
    }
    fp_cli_progress_done(cli);

    t_store = now_s();
    char dbpath[FP_FS_PATH_MAX];
    if (oo.project_db && !strcmp(oo.project_db, "none"))
        dbpath[0] = '\0';
    else if (oo.project_db)
        snprintf(dbpath, sizeof dbpath, "%s", oo.project_db);
    else
        snprintf(dbpath, sizeof dbpath, "%s/project.sqlite", oo.report_dir);
    if (dbpath[0]) {
        if (!(st = fp_store_open(dbpath, err))) {
            rc = err->code;
            goto out;
        }
        const char *inputs[5];
        size_t ni = input_files(&lo, path, inputs);
        params = params_json(net, &po, &so, &oo);
        fp_run_record r = {sum->name, fp_scenario_text(sc), fp_optimise_mode_name(oopt.mode),
                           status_name(res.status), res.gap, info.lower_bound, res.seconds, params,
                           inputs, ni};
        if ((rc = fp_store_add_run(st, &r, plan, &sum->run_id, err)))
            goto out;
    }

    double t_end = now_s();
    fp_log_msg(log, FP_LOG_DEBUG,
               "%s: stage seconds: load %.2f network %.2f solve %.2f plan %.2f report %.2f "
               "export %.2f store %.2f total %.2f",
               sum->name, t_net - t_load, t_solve - t_net, t_plan - t_solve, t_report - t_plan,
               t_export - t_report, t_store - t_export, t_end - t_store, t_end - t_load);
    sum->ok = 1;
    snprintf(sum->status, sizeof sum->status, "%s", status_name(res.status));
    sum->cost = plan->cost.total;
    sum->gap = res.gap;
    sum->seconds = res.seconds;
    sum->per_dw = plan->cost.per_dwelling_connected;
    sum->dw = plan->dwellings_connected;
    sum->dw_target = plan->dwellings_target;
    sum->bld = plan->buildings_connected;
    sum->trench_km = plan->bom.trench_m / 1000;
    sum->n_sites = (int)plan->n_sites;
    for (size_t i = 0; i < plan->n_sites; i++)
        sum->sites_used += plan->sites[i].used;
out:
    fp_cli_progress_done(cli);
    fp_store_close(st);
    free(params);
    fp_plan_free(plan);
    fp_optimise_result_free(&res);
    free(moff);
    free(medges);
    fp_sgraph_free(g);
    fp_network_free(net);
    fp_dataset_free(ds);
    fp_load_opts_free(&lo);
    fp_scenario_free(sc);
    return rc;
}

int fp_cli_run(fp_cli *cli, int argc, char **argv)
{
    run_args a = {-1, -1, 0, NULL, NULL};
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int np = 0;
    if (!paths)
        return 5;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (fp_cli_is_help(s)) {
            help(stdout);
            free(paths);
            return 0;
        } else if (fp_cli_is_quiet(s)) {
            cli->quiet = 1;
            cli->tty = 0;
        } else if (!strcmp(s, "--heuristic-only")) {
            a.heuristic_only = 1;
        } else if ((!strcmp(s, "--time-limit") || !strcmp(s, "--gap") ||
                    !strcmp(s, "--report-dir") || !strcmp(s, "--db")) &&
                   i + 1 >= argc) {
            free(paths);
            return fp_cli_needs_value("run", s);
        } else if (!strcmp(s, "--time-limit") || !strcmp(s, "--gap")) {
            char *end;
            double v = strtod(argv[++i], &end);
            if (*end || !isfinite(v) || v < 0 || (s[2] == 'g' && v > 1)) {
                fp_cli_error("run: bad value '%s' for %s", argv[i], s);
                free(paths);
                return 2;
            }
            *(s[2] == 'g' ? &a.gap : &a.time_limit) = v;
        } else if (!strcmp(s, "--report-dir")) {
            a.report_dir = argv[++i];
        } else if (!strcmp(s, "--db")) {
            a.db = argv[++i];
        } else if (s[0] == '-' && s[1]) {
            fp_cli_error("run: unknown option '%s' (see fibreplan run --help)", s);
            free(paths);
            return 2;
        } else {
            paths[np++] = s;
        }
    }
    if (np == 0) {
        help(stderr);
        free(paths);
        return 2;
    }
    run_summary *sums = calloc((size_t)np, sizeof *sums);
    if (!sums) {
        free(paths);
        return 5;
    }
    int status = 0;
    for (int i = 0; i < np; i++) {
        fp_error err;
        fp_error_clear(&err);
        snprintf(sums[i].name, sizeof sums[i].name, "%s", paths[i]);
        int rc = run_one(cli, paths[i], &a, &sums[i], &err);
        if (rc) {
            fp_cli_error("%s", err.msg);
            snprintf(sums[i].error, sizeof sums[i].error, "%s", fp_error_text(rc));
            if (!status)
                status = fp_error_exit_status(rc);
        }
    }

    /* One screen: a line a scenario, then where things are. */
    printf("%-20s  %-10s  %14s  %15s  %10s  %9s  %7s  %8s\n", "scenario", "status", "cost EUR",
           "dwellings", "EUR/dw", "trench km", "gap", "solve s");
    for (int i = 0; i < np; i++) {
        run_summary *s = &sums[i];
        if (!s->ok) {
            printf("%-20.20s  %-10s  %s\n", s->name, "failed", s->error);
            continue;
        }
        char c[64], d1[32], d2[32], pd[64], dw[80], g[32];
        snprintf(dw, sizeof dw, "%s/%s", fp_fmt_int(s->dw, d1, sizeof d1),
                 fp_fmt_int(s->dw_target, d2, sizeof d2));
        if (isfinite(s->gap))
            snprintf(g, sizeof g, "%.2f%%", 100 * s->gap);
        else
            snprintf(g, sizeof g, "-");
        printf("%-20.20s  %-10s  %14s  %15s  %10s  %9.2f  %7s  %8.1f\n", s->name, s->status,
               fp_fmt_int(s->cost, c, sizeof c), dw, fp_fmt_int(s->per_dw, pd, sizeof pd),
               s->trench_km, g, s->seconds);
    }
    for (int i = 0; i < np; i++)
        if (sums[i].ok) {
            printf("%s: %s/report.html", sums[i].name, sums[i].dir);
            if (sums[i].run_id)
                printf(" (run %lld in the project database)", sums[i].run_id);
            printf("\n");
            if (sums[i].n_sites > 1)
                printf("%s: %d of %d sites feed buildings (%s/sites.csv)\n", sums[i].name,
                       sums[i].sites_used, sums[i].n_sites, sums[i].dir);
        }
    free(sums);
    free(paths);
    return status;
}
