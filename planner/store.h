/* store: the SpatiaLite project database (default reports/project.sqlite)
 * keeping every run: scenario name and text, SHA-256 of its input files,
 * parameters, solver status, gap, costs, bill of materials, and the result
 * layers (connected buildings as points, routes as lines, SpatiaLite
 * geometries in the working CRS of the first run stored). Each run is
 * written in one transaction: the database holds a run completely or not at
 * all (SQLite's own atomicity; the file is not renamed). */
#ifndef FP_STORE_H
#define FP_STORE_H

#include "error.h"
#include "plan.h"

#include <stddef.h>

typedef struct fp_store fp_store;

/* Opens (creating if needed) the database at path. Returns NULL with *err
 * set (FP_ESQLITE). Caller closes with fp_store_close. */
fp_store *fp_store_open(const char *path, fp_error *err);

/* Closes; accepts NULL. */
void fp_store_close(fp_store *st);

/* What is stored about a run besides the plan. Strings are borrowed. */
typedef struct fp_run_record {
    const char *scenario;      /* run name */
    const char *scenario_text; /* the scenario file's text, may be NULL */
    const char *mode;          /* "full", "budget", ... */
    const char *status;        /* "optimal", "feasible", ... */
    double gap, lower_bound, seconds; /* NaN if unknown */
    const char *params;        /* parameters as text (e.g. JSON), may be NULL */
    const char *const *inputs; /* input files to hash, may be NULL */
    size_t n_inputs;
} fp_run_record;

/* Stores a run and its plan; *id receives the new run id. Input files that
 * cannot be read are an error (FP_EIO): a run's provenance is complete. */
int fp_store_add_run(fp_store *st, const fp_run_record *r, const fp_plan *plan, long long *id,
                     fp_error *err);

typedef struct fp_run_row {
    long long id;
    char time[32];        /* UTC, ISO 8601 */
    char scenario[128];
    char mode[32];
    char status[32];
    double cost;          /* total EUR */
    long long dwellings;  /* connected */
    double gap;           /* NaN if unknown */
} fp_run_row;

/* All runs, oldest first, in *rows (malloc'd, caller frees). */
int fp_store_list(fp_store *st, fp_run_row **rows, size_t *n, fp_error *err);

typedef struct fp_cmp_row {
    char item[96];
    char unit[16];
    double a, b;          /* NaN where the run lacks the item */
} fp_cmp_row;

/* Side-by-side figures of runs a and b (costs, dwellings, gap, every BOM
 * line of either, then, when either has several sites, each site's
 * dwellings, buildings, cost and trench) in *rows (malloc'd, caller frees). FP_ENOTFOUND if a
 * run does not exist. */
int fp_store_compare(fp_store *st, long long a, long long b, fp_cmp_row **rows, size_t *n,
                     fp_error *err);

#endif
