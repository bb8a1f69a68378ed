/* cli_common: argument and printing helpers shared by the subcommands, so
 * each behaves and words its errors the same way. Nothing here touches the
 * GIS libraries: the solver-only binary links it (opening scenarios and
 * project databases is in cli_data.c). */
#include "cli.h"
#include "error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

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
