/* cli: the subcommands of the fibreplan CLI. Each lives in cli_<name>.c,
 * parses its own arguments, calls the library, prints, and returns the
 * process exit status (see fp_error_exit_status). Only CLI code prints. */
#ifndef FP_CLI_H
#define FP_CLI_H

#include "dataset.h"
#include "error.h"
#include "load.h"
#include "log.h"
#include "scenario.h"
#include "store.h"

#include <stdio.h>

struct cJSON;

/* The project database runs and compare read when no --db is given. */
#define FP_CLI_DEFAULT_DB "reports/project.sqlite"

/* Options common to every subcommand, parsed by main.c before the command. */
typedef struct fp_cli {
    int quiet;        /* --quiet: no progress, no info messages */
    int verbose;      /* --verbose: debug messages */
    int tty;          /* stderr is a terminal and not quiet: show progress */
    fp_log log;       /* sinks writing to stderr, set up by main.c */
} fp_cli;

/* Prints "fibreplan: error: <msg>" on one line to stderr. */
void fp_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Clears a progress line left on the terminal, if any. */
void fp_cli_progress_done(fp_cli *cli);

/* Returns 1 if argv[i] is -h or --help. */
int fp_cli_is_help(const char *arg);

/* Returns 1 if arg is --quiet or -q (main.c acts on it wherever it stands;
 * subcommands only skip it). */
int fp_cli_is_quiet(const char *arg);

/* Prints "<cmd>: <opt> needs a value" and returns exit status 2. */
int fp_cli_needs_value(const char *cmd, const char *opt);

/* The last case of a one-scenario command's argument loop: an unknown
 * option, or a second scenario when *path is already set, is printed as a
 * usage error and gives 2; else *path = arg and 0. */
int fp_cli_scenario_arg(const char *cmd, const char *arg, const char **path);

/* Prints err's message as an error (after clearing the progress line if cli
 * is not NULL) and returns its exit status. */
int fp_cli_fail(fp_cli *cli, const fp_error *err);

/* Prints j (consumed; NULL counts as out of memory) on stdout as formatted
 * JSON. Returns 0, or the exit status after printing the error: 5 out of
 * memory, 3 stdout not writable. */
int fp_cli_print_json(struct cJSON *j);

/* The argument loop of a one-scenario command (inspect, network): --help
 * prints usage to stdout, --json sets *json, --quiet is skipped (main.c acts
 * on it); option (may be NULL) is offered every other argument at argv[*i]
 * and returns 1 if it took it (moving *i past any value), 0 if not, or 2
 * after printing a usage error; what is left is the scenario, *path (as
 * fp_cli_scenario_arg). No scenario prints usage to stderr. Returns -1 to go
 * on, else the exit status to return (0 after --help, 2 on a usage error). */
int fp_cli_scenario_args(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                         int (*option)(int argc, char **argv, int *i, void *ud), void *ud,
                         const char **path, int *json);

/* The argument loop of a command on the project database (runs, compare):
 * --help prints usage to stdout, --db FILE sets *db (else left as given),
 * --quiet is skipped (main.c acts on it); any other argument goes to other
 * (may be NULL: then it is a usage error), which returns 0 or prints a usage
 * error and returns 2. Returns -1 to go on, else the exit status to return
 * (0 after --help, 2 after a usage error). */
int fp_cli_db_args(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                   int (*other)(const char *arg, void *ud), void *ud, const char **db);

/* Opens an existing project database at db for reading runs. Returns NULL
 * after printing the error, with *status the exit status (1 missing, 3 or 5
 * from SQLite). Caller closes with fp_store_close. */
fp_store *fp_cli_open_db(const char *db, int *status);

/* Reads the scenario keys a command needs beyond the load options. */
typedef int (*fp_cli_reader)(fp_scenario *sc, void *ud, fp_error *err);

/* The common start of inspect and network: parses the scenario at path into
 * *sc (caller frees with fp_scenario_free, also on failure), its load options
 * into *o (caller frees with fp_load_opts_free, also on failure), calls
 * reader (may be NULL) for the command's other keys, skips the sections in
 * the NULL-terminated skip list (read by other commands), refuses any other
 * unknown key or section, then loads the data into *ds (caller frees with
 * fp_dataset_free). Returns 0 or an error code with *err set. */
int fp_cli_load(fp_cli *cli, const char *path, const char *const *skip, fp_cli_reader reader,
                void *ud, fp_scenario **sc, fp_load_opts *o, fp_dataset **ds, fp_error *err);

int fp_cli_inspect(fp_cli *cli, int argc, char **argv);
int fp_cli_network(fp_cli *cli, int argc, char **argv);
int fp_cli_stp(fp_cli *cli, int argc, char **argv);
int fp_cli_run(fp_cli *cli, int argc, char **argv);
int fp_cli_runs(fp_cli *cli, int argc, char **argv);
int fp_cli_compare(fp_cli *cli, int argc, char **argv);

#endif
