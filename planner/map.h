/* map: the plan drawn with cairo as a PNG (streets, routes by kind and cable
 * size, buildings by status, central office, scale bar, legend). */
#ifndef FP_MAP_H
#define FP_MAP_H

#include "error.h"
#include "plan.h"

#include <cairo.h>
#include <stddef.h>

typedef struct fp_map_opts {
    int width, height;   /* pixels, e.g. 1600 x 1200 */
    const char *title;   /* top line of the legend panel, or NULL */
} fp_map_opts;

/* Renders the map of plan into a PNG held in *png (malloc'd, caller frees),
 * *len bytes. Returns 0, FP_ENOMEM or FP_EINTERNAL (cairo failure). */
int fp_map_png(const fp_plan *plan, const fp_map_opts *o, unsigned char **png, size_t *len,
               fp_error *err);

/* Encodes the drawing on sf (cr draws on it; both stay the caller's) as a PNG
 * in *png (malloc'd, caller frees), *len bytes; `what` ("map", "chart")
 * starts the error message. Returns 0, FP_ENOMEM or FP_EINTERNAL (cairo
 * failed while drawing or encoding). Shared by map and chart. */
int fp_map_encode_png(cairo_t *cr, cairo_surface_t *sf, const char *what, unsigned char **png,
                      size_t *len, fp_error *err);

/* Formats v rounded to an integer with thin-space-free grouping by spaces
 * ("1 234 567") into buf[n], "-" if v is NaN or infinite; returns buf.
 * Shared by map, chart, report and the CLI. */
char *fp_fmt_int(double v, char *buf, size_t n);

#endif
