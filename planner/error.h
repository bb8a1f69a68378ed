/* error: error values returned by every fallible fibreplan function. */
#ifndef FP_ERROR_H
#define FP_ERROR_H

#include <stddef.h>

/* One table holds every code, its name and its text (libuv's UV_ERRNO_MAP).
 * The CLI maps codes to exit statuses with fp_error_exit_status(). */
#define FP_ERRNO_MAP(X)                                                     \
    X(OK, "ok")                                                             \
    X(NOMEM, "out of memory")                                               \
    X(USAGE, "bad command line")                                            \
    X(SCENARIO, "bad scenario file")                                        \
    X(INPUT, "bad input data")                                              \
    X(NOTFOUND, "file or layer not found")                                  \
    X(CRS, "coordinate reference system problem")                           \
    X(LIMIT, "a size limit was exceeded")                                   \
    X(IO, "input/output error")                                             \
    X(GDAL, "GDAL/OGR error")                                               \
    X(PROJ, "PROJ error")                                                   \
    X(GEOS, "GEOS error")                                                   \
    X(SQLITE, "SQLite/SpatiaLite error")                                    \
    X(GLPK, "GLPK error")                                                   \
    X(INFEASIBLE, "the problem has no solution")                            \
    X(INTERNAL, "internal error")

typedef enum {
#define FP_ERR_ENUM(name, text) FP_E##name,
    FP_ERRNO_MAP(FP_ERR_ENUM)
#undef FP_ERR_ENUM
    FP_E_COUNT
} fp_errcode;

#define FP_OK FP_EOK
#define FP_ERROR_MSG_MAX 1024

/* A caller-owned error: code plus a one-line message naming file, layer,
 * feature and field where they apply. */
typedef struct fp_error {
    int code;
    char msg[FP_ERROR_MSG_MAX];
} fp_error;

/* Clears *err (err may be NULL). */
void fp_error_clear(fp_error *err);

/* Sets err->code and a printf-formatted message; returns code so callers can
 * write `return fp_error_set(err, FP_EINPUT, "...")`. err may be NULL. */
int fp_error_set(fp_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the current message with printf-formatted context
 * ("file.gpkg: " + old message). Returns err->code. */
int fp_error_prefix(fp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Short symbolic name of a code ("EINPUT"); static storage. */
const char *fp_error_name(int code);

/* Generic text of a code ("bad input data"); static storage. */
const char *fp_error_text(int code);

/* CLI exit status for a code: see README "Exit codes".
 *   0 ok, 1 bad input (scenario, data, CRS, not found, limits),
 *   2 bad command line, 3 output/I-O or database error,
 *   4 no solution exists (infeasible), 5 internal or library error. */
int fp_error_exit_status(int code);

#endif
