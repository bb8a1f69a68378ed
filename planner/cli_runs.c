/* cli_runs: `fibreplan runs [--db FILE]`: the runs stored in a project
 * database, one a line. */
#include "cli.h"
#include "error.h"
#include "map.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: fibreplan runs [--db FILE]\n\n"
               "Lists the runs stored in the project database (default " FP_CLI_DEFAULT_DB "):\n"
               "id, time (UTC), scenario, mode, solver status, total cost, dwellings\n"
               "connected and optimality gap.\n\n"
               "  --db FILE  the project database ([output] project_db or\n"
               "             <report_dir>/project.sqlite of the runs)\n"
               "  --help     this help\n");
}

int fp_cli_runs(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *db = FP_CLI_DEFAULT_DB;
    int status = fp_cli_db_args("runs", argc, argv, usage, NULL, NULL, &db);
    if (status >= 0)
        return status;
    fp_store *st = fp_cli_open_db(db, &status);
    if (!st)
        return status;
    fp_error err;
    fp_error_clear(&err);
    fp_run_row *rows = NULL;
    size_t n = 0;
    int rc = fp_store_list(st, &rows, &n, &err);
    fp_store_close(st);
    if (rc)
        return fp_cli_fail(NULL, &err);
    printf("%5s  %-20s  %-20s  %-8s  %-10s  %14s  %9s  %8s\n", "id", "time (UTC)", "scenario",
           "mode", "status", "cost EUR", "dwellings", "gap");
    for (size_t i = 0; i < n; i++) {
        char c[64], d[64], g[32];
        if (isfinite(rows[i].gap))
            snprintf(g, sizeof g, "%.2f%%", 100 * rows[i].gap);
        else
            snprintf(g, sizeof g, "-");
        printf("%5lld  %-20s  %-20.20s  %-8.8s  %-10.10s  %14s  %9s  %8s\n", rows[i].id,
               rows[i].time, rows[i].scenario, rows[i].mode, rows[i].status,
               fp_fmt_int(rows[i].cost, c, sizeof c), fp_fmt_int((double)rows[i].dwellings, d, sizeof d),
               g);
    }
    if (n == 0)
        printf("(no runs)\n");
    free(rows);
    return 0;
}
