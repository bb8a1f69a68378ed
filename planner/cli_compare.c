/* cli_compare: `fibreplan compare RUN RUN [--db FILE]`: two stored runs side
 * by side (costs, dwellings, gap, bill of materials) with differences. */
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
    fprintf(f, "usage: fibreplan compare RUN RUN [--db FILE]\n\n"
               "Prints two runs of the project database (default " FP_CLI_DEFAULT_DB ") side by\n"
               "side: costs, dwellings, gap and every bill-of-materials line, with the\n"
               "difference (second minus first; '-' where a run has no such line),\n"
               "then per-site figures when either run has several sites.\n"
               "RUN is a run id from `fibreplan runs`.\n\n"
               "  --db FILE  the project database ([output] project_db or\n"
               "             <report_dir>/project.sqlite of the runs)\n"
               "  --help     this help\n");
}

static void fmt(double v, const char *unit, char *buf, size_t n)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else if (!strcmp(unit, "ratio"))
        snprintf(buf, n, "%.2f%%", 100 * v);
    else
        fp_fmt_int(v, buf, n);
}

/* The two run ids compare takes. */
typedef struct {
    long long ids[2];
    int n;
} run_ids;

static int run_id_arg(const char *arg, void *ud)
{
    run_ids *r = ud;
    char *end;
    long long v = strtoll(arg, &end, 10);
    if (*end || end == arg || v <= 0 || r->n == 2) {
        fp_cli_error("compare: bad argument '%s' (see fibreplan compare --help)", arg);
        return 2;
    }
    r->ids[r->n++] = v;
    return 0;
}

int fp_cli_compare(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *db = FP_CLI_DEFAULT_DB;
    run_ids r = {.n = 0};
    int status = fp_cli_db_args("compare", argc, argv, usage, run_id_arg, &r, &db);
    if (status >= 0)
        return status;
    if (r.n != 2) {
        fp_cli_error("compare: give two run ids (see fibreplan runs)");
        return 2;
    }
    const long long *ids = r.ids;
    fp_store *st = fp_cli_open_db(db, &status);
    if (!st)
        return status;
    fp_error err;
    fp_error_clear(&err);
    fp_cmp_row *rows = NULL;
    size_t n = 0;
    int rc = fp_store_compare(st, ids[0], ids[1], &rows, &n, &err);
    fp_store_close(st);
    if (rc)
        return fp_cli_fail(NULL, &err);
    char ha[32], hb[32];
    snprintf(ha, sizeof ha, "run %lld", ids[0]);
    snprintf(hb, sizeof hb, "run %lld", ids[1]);
    printf("%-48s  %-7s  %14s  %14s  %14s\n", "item", "unit", ha, hb, "difference");
    for (size_t i = 0; i < n; i++) {
        char a[64], b[64], d[80];
        fmt(rows[i].a, rows[i].unit, a, sizeof a);
        fmt(rows[i].b, rows[i].unit, b, sizeof b);
        double diff = (isfinite(rows[i].b) ? rows[i].b : 0) - (isfinite(rows[i].a) ? rows[i].a : 0);
        if (!isfinite(rows[i].a) && !isfinite(rows[i].b))
            snprintf(d, sizeof d, "-");
        else if (fabs(diff) < 0.005)
            snprintf(d, sizeof d, "=");
        else {
            char t[64];
            fmt(diff, rows[i].unit, t, sizeof t);
            snprintf(d, sizeof d, "%s%s", diff > 0 ? "+" : "", t);
        }
        printf("%-48s  %-7s  %14s  %14s  %14s\n", rows[i].item, rows[i].unit, a, b, d);
    }
    free(rows);
    return 0;
}
