/* report: a run's human-readable outputs in one folder (reports/<scenario>/):
 *   report.html  self-contained (CSS inline, map and curve as base64 PNG)
 *   map.png      the plan map (1600 x 1200 by default)
 *   curve.png    the coverage curve (budget/curve modes)
 *   summary.csv, bom.csv, blocks.csv, buildings.csv, edges.csv, curve.csv
 * Every file is written atomically; the CSV files are deterministic (fixed
 * decimals, network order, no timestamps or timings). */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include "chart.h"
#include "error.h"
#include "log.h"
#include "plan.h"

#include <stddef.h>
#include <stdio.h>

#define FP_PRIVACY_DEFAULT 11

/* What the report says about the run besides the plan. */
typedef struct fp_report_info {
    const char *scenario;      /* run name */
    const char *mode;          /* "full", "budget", "quota", "curve", ... */
    const char *status;        /* "optimal", "feasible", ... */
    double lower_bound;        /* EUR, NaN if unknown */
    double gap;                /* relative, NaN if unknown */
    double seconds;            /* solve time, shown in HTML only */
    const fp_curve_point *curve; /* borrowed, may be NULL */
    size_t n_curve;
    int privacy_threshold;     /* counts of dwellings below it are written "<N"
                                  in blocks.csv / summary.csv; 0 = off */
    int map_width, map_height; /* 0 = 1600 x 1200 */
} fp_report_info;

/* Defaults: everything unknown, threshold FP_PRIVACY_DEFAULT. */
void fp_report_info_default(fp_report_info *info);

/* Writes the report into dir (created if missing). plan is borrowed.
 * Returns 0 or FP_EIO / FP_ENOMEM / FP_EINTERNAL with *err set. */
int fp_report_write(const char *dir, const fp_plan *plan, const fp_report_info *info,
                    const fp_log *log, fp_error *err);

/* One line of the bill of materials, as the report, the CSV and the project
 * database list it. */
typedef struct fp_bom_line {
    char item[96];      /* "new trench, street class chemin", "cable 24 fibres" */
    const char *unit;   /* "m", "count", "fibre-m" (static) */
    double qty;
    double cost;        /* EUR, NaN when priced in another line */
} fp_bom_line;

/* Fills out[cap] with the plan's BOM lines in a fixed order; returns the
 * count (at most cap). */
size_t fp_bom_lines(const fp_plan *plan, fp_bom_line *out, size_t cap);

/* A count as published under a privacy threshold: the number, or "<T" when
 * threshold > 0 and v < threshold. Writes into buf[n], returns buf. */
const char *fp_privacy_count(int v, int threshold, char *buf, size_t n);

/* Writes s as one CSV field separated by sep (',' here, ';' in GraceTHD):
 * quoted, with quotes doubled, when it holds sep, a quote or a line break
 * (RFC 4180). */
void fp_report_csv_field(FILE *f, const char *s, char sep);

#endif
