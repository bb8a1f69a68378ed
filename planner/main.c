/* main: the fibreplan command line: global options, dispatch, exit codes. */
#include "cli.h"
#include "error.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FP_VERSION "0.1.0"

typedef struct {
    const char *name;
    int (*fn)(fp_cli *, int, char **);
    const char *summary;
} command;

/* The commands that read or write GIS data (GDAL, PROJ, SpatiaLite, GEOS,
 * cairo) run in the companion binary fibreplan-gis, built from this file
 * with FP_CLI_GIS. Loading those 130-odd shared libraries costs about 90 ms
 * a start, which the solver command should not pay (a benchmark runs it on
 * thousands of files): this binary, linked without them, runs stp itself
 * and hands the others to fibreplan-gis by exec, so their output and exit
 * status are the command's own. */
#ifdef FP_CLI_GIS
#define GIS_CMD(fn) fn
#else
#define GIS_CMD(fn) NULL
#endif
#define FP_GIS_BINARY "fibreplan-gis"

static const command commands[] = {
    {"inspect", GIS_CMD(fp_cli_inspect), "load a scenario's data and summarise it"},
    {"network", GIS_CMD(fp_cli_network), "build the street graph with drops and costs; write it"},
    {"stp", fp_cli_stp, "solve a SteinLib .stp / PACE .gr Steiner instance"},
    {"run", GIS_CMD(fp_cli_run), "run scenarios end to end: plan, reports, exports"},
    {"runs", GIS_CMD(fp_cli_runs), "list the runs stored in a project database"},
    {"compare", GIS_CMD(fp_cli_compare), "compare two stored runs side by side"},
};

/* Replaces this process by fibreplan-gis (in this executable's folder) with
 * the same arguments. RETURNS only on failure: exit status 5 after the error. */
static int exec_gis(const char *cmd, char **argv)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || (size_t)n >= sizeof path - 1) {
        fp_cli_error("%s: cannot find this executable's folder to start %s", cmd, FP_GIS_BINARY);
        return 5;
    }
    path[n] = 0;
    char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    if (dir + sizeof FP_GIS_BINARY > sizeof path) {
        fp_cli_error("%s: path of %s too long", cmd, FP_GIS_BINARY);
        return 5;
    }
    memcpy(path + dir, FP_GIS_BINARY, sizeof FP_GIS_BINARY);
    fflush(NULL);
    execv(path, argv);
    fp_cli_error("%s: cannot start %s: %s (it is built and installed next to fibreplan)", cmd, path,
                 strerror(errno));
    return 5;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: fibreplan [--quiet] [--verbose] COMMAND [ARGS...]\n"
               "       fibreplan COMMAND --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit status: 0 ok, 1 bad input, 2 bad command line, 3 output error,\n"
               "             4 no solution exists, 5 internal error\n");
}

typedef struct {
    int quiet, verbose, tty;
    int line_open;
    struct timespec last;
} sink_state;

static void sink_message(void *ud, fp_log_level level, const char *msg)
{
    sink_state *s = ud;
    if (level == FP_LOG_DEBUG && !s->verbose)
        return;
    /* Info messages narrate progress: a terminal shows them, a pipe or a log
     * file stays quiet unless --verbose asked for them. */
    if (level == FP_LOG_INFO && (s->quiet || (!s->tty && !s->verbose)))
        return;
    if (s->line_open) {
        fputs("\r\033[K", stderr);
        s->line_open = 0;
    }
    fprintf(stderr, "fibreplan: %s%s\n", level == FP_LOG_WARN ? "warning: " : "", msg);
}

static void sink_progress(void *ud, const char *stage, double done, double total,
                          const char *detail)
{
    sink_state *s = ud;
    if (!s->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - s->last.tv_sec) + 1e-9 * (double)(now.tv_nsec - s->last.tv_nsec);
    if (s->line_open && dt < 0.1 && !(total > 0 && done >= total))
        return;
    s->last = now;
    if (total > 0)
        fprintf(stderr, "\r\033[K%s: %.0f/%.0f %s", stage, done, total, detail ? detail : "");
    else
        fprintf(stderr, "\r\033[K%s: %.0f %s", stage, done, detail ? detail : "");
    fflush(stderr);
    s->line_open = 1;
}


void fp_cli_error(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
    fprintf(stderr, "fibreplan: error: %s\n", buf);
}

void fp_cli_progress_done(fp_cli *cli)
{
    sink_state *s = cli->log.ud;
    if (s && s->line_open) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        s->line_open = 0;
    }
}

int fp_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int main(int argc, char **argv)
{
    sink_state sink = {0};
    fp_cli cli = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0)
            cli.quiet = 1;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            cli.verbose = 1;
        else if (strcmp(argv[i], "--version") == 0) {
            printf("fibreplan %s\n", FP_VERSION);
            return 0;
        } else if (fp_cli_is_help(argv[i])) {
            usage(stdout);
            return 0;
        } else {
            fp_cli_error("unknown option '%s' (see fibreplan --help)", argv[i]);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    /* --quiet may also follow the command: scan for it so every subcommand
     * honours it without parsing it itself. */
    for (int j = i + 1; j < argc; j++)
        if (strcmp(argv[j], "--quiet") == 0 || strcmp(argv[j], "-q") == 0)
            cli.quiet = 1;
    cli.tty = !cli.quiet && isatty(fileno(stderr));
    sink.quiet = cli.quiet;
    sink.verbose = cli.verbose;
    sink.tty = cli.tty;
    cli.log.message = sink_message;
    cli.log.progress = sink_progress;
    cli.log.ud = &sink;

    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(argv[i], commands[c].name) == 0) {
            if (!commands[c].fn)
                return exec_gis(argv[i], argv);
            int rc = commands[c].fn(&cli, argc - i, argv + i);
            fp_cli_progress_done(&cli);
            return rc;
        }
    fp_cli_error("unknown command '%s' (see fibreplan --help)", argv[i]);
    return 2;
}
