/* chart: the coverage curve (budget on x, dwellings connected on y) drawn
 * with cairo as a PNG. */
#ifndef FP_CHART_H
#define FP_CHART_H

#include "error.h"

#include <stddef.h>

/* One point of a coverage curve, as budget/curve modes produce it. */
typedef struct fp_curve_point {
    double budget;   /* EUR allowed */
    double cost;     /* EUR of the plan found */
    int dwellings;   /* (weighted) dwellings connected, rounded */
    double weight;   /* weighted dwellings covered (= dwellings with unit weights) */
    double bound;    /* proven upper bound on weight for that budget */
    double gap;      /* (bound - weight) / bound, 0 when proven optimal */
    int optimal;     /* 1 if proven optimal for that budget */
} fp_curve_point;

/* Renders pts[n] (any order; drawn sorted by budget) into a PNG in *png
 * (malloc'd, caller frees). Returns 0, FP_EINPUT (n == 0) or FP_EINTERNAL. */
int fp_chart_curve_png(const fp_curve_point *pts, size_t n, int width, int height,
                       const char *title, unsigned char **png, size_t *len, fp_error *err);

#endif
