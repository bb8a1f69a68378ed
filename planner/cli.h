/* cli: the subcommands of the fibreplan CLI. Each lives in cli_<name>.c,
 * parses its own arguments, calls the library, prints, and returns the
 * process exit status (see fp_error_exit_status). Only CLI code prints. */
#ifndef FP_CLI_H
#define FP_CLI_H

#include "log.h"

#include <stdio.h>

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

int fp_cli_inspect(fp_cli *cli, int argc, char **argv);
int fp_cli_network(fp_cli *cli, int argc, char **argv);
int fp_cli_stp(fp_cli *cli, int argc, char **argv);
int fp_cli_run(fp_cli *cli, int argc, char **argv);
int fp_cli_runs(fp_cli *cli, int argc, char **argv);
int fp_cli_compare(fp_cli *cli, int argc, char **argv);

#endif
