/* cli_common: argument and set-up helpers shared by the subcommands (the
 * scenario opening of inspect and network, the project database of runs and
 * compare), so each behaves and words its errors the same way. */
#include "cli.h"
#include "error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int fp_cli_is_quiet(const char *arg)
{
    return strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0;
}

int fp_cli_needs_value(const char *cmd, const char *opt)
{
    fp_cli_error("%s: %s needs a value (see fibreplan %s --help)", cmd, opt, cmd);
    return 2;
}

int fp_cli_scenario_arg(const char *cmd, const char *arg, const char **path)
{
    if (arg[0] == '-' && arg[1]) {
        fp_cli_error("%s: unknown option '%s' (see fibreplan %s --help)", cmd, arg, cmd);
        return 2;
    }
    if (*path) {
        fp_cli_error("%s: one scenario at a time ('%s' is extra)", cmd, arg);
        return 2;
    }
    *path = arg;
    return 0;
}

int fp_cli_fail(fp_cli *cli, const fp_error *err)
{
    if (cli)
        fp_cli_progress_done(cli);
    fp_cli_error("%s", err->msg);
    return fp_error_exit_status(err->code);
}

int fp_cli_print_json(struct cJSON *j)
{
    char *text = j ? cJSON_Print(j) : NULL;
    cJSON_Delete(j);
    if (!text) {
        fp_cli_error("out of memory");
        return 5;
    }
    int status = 0;
    if (puts(text) < 0 || fflush(stdout) != 0) {
        fp_cli_error("cannot write to standard output");
        status = 3;
    }
    cJSON_free(text);
    return status;
}

int fp_cli_scenario_args(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                         int (*option)(int argc, char **argv, int *i, void *ud), void *ud,
                         const char **path, int *json)
{
    int took;
    for (int i = 1; i < argc; i++) {
        if (fp_cli_is_help(argv[i])) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            *json = 1;
        } else if (fp_cli_is_quiet(argv[i])) {
            /* handled by main.c */
        } else if (option && (took = option(argc, argv, &i, ud)) != 0) {
            if (took != 1)
                return took;
        } else if (fp_cli_scenario_arg(cmd, argv[i], path)) {
            return 2;
        }
    }
    if (!*path) {
        usage(stderr);
        return 2;
    }
    return -1;
}

int fp_cli_db_args(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                   int (*other)(const char *arg, void *ud), void *ud, const char **db)
{
    for (int i = 1; i < argc; i++) {
        if (fp_cli_is_help(argv[i])) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--db")) {
            if (i + 1 >= argc)
                return fp_cli_needs_value(cmd, "--db");
            *db = argv[++i];
        } else if (fp_cli_is_quiet(argv[i])) {
            /* handled by main.c */
        } else if (!other) {
            fp_cli_error("%s: unexpected argument '%s' (see fibreplan %s --help)", cmd, argv[i],
                         cmd);
            return 2;
        } else if (other(argv[i], ud)) {
            return 2;
        }
    }
    return -1;
}

fp_store *fp_cli_open_db(const char *db, int *status)
{
    fp_error err;
    fp_error_clear(&err);
    /* fp_store_open creates a missing database: listing one is a mistake */
    if (access(db, R_OK) != 0) {
        fp_cli_error("%s: no project database (run `fibreplan run` first, or give --db)", db);
        *status = 1;
        return NULL;
    }
    fp_store *st = fp_store_open(db, &err);
    if (!st)
        *status = fp_cli_fail(NULL, &err);
    return st;
}

int fp_cli_load(fp_cli *cli, const char *path, const char *const *skip, fp_cli_reader reader,
                void *ud, fp_scenario **sc, fp_load_opts *o, fp_dataset **ds, fp_error *err)
{
    int rc;
    memset(o, 0, sizeof *o);
    *ds = NULL;
    if (!(*sc = fp_scenario_load(path, err)))
        return err->code;
    if ((rc = fp_load_opts_from_scenario(*sc, o, err)) || (reader && (rc = reader(*sc, ud, err))))
        return rc;
    for (int i = 0; skip && skip[i]; i++)
        fp_scenario_skip_section(*sc, skip[i]);
    /* every key checked before the (slow) load: a typo fails at once */
    if ((rc = fp_scenario_check_unused(*sc, err)))
        return rc;
    if (!(*ds = fp_load(o, &cli->log, err)))
        return err->code;
    return FP_OK;
}
