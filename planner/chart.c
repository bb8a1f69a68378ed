/* chart: coverage curve with cairo: axes with round ticks, a step line of
 * dwellings connected against budget, optimal points filled, others hollow. */
#include "chart.h"
#include "map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_budget(const void *a, const void *b)
{
    const fp_curve_point *x = a, *y = b;
    return (x->budget > y->budget) - (x->budget < y->budget);
}

/* A round tick step giving about `want` ticks over [0, max]. */
static double nice_step(double max, int want)
{
    double raw = max / want;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static void label(cairo_t *cr, double x, double y, double size, int bold, int align,
                  const char *s)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    double dx = align == 0 ? 0 : align == 1 ? -te.width / 2 : -te.width;
    cairo_move_to(cr, x + dx - te.x_bearing * (align != 0), y);
    cairo_show_text(cr, s);
    cairo_new_path(cr); /* no current point left for the next shape */
}

int fp_chart_curve_png(const fp_curve_point *pts, size_t n, int width, int height,
                       const char *title, unsigned char **png, size_t *len, fp_error *err)
{
    *png = NULL;
    *len = 0;
    if (n == 0)
        return fp_error_set(err, FP_EINPUT, "chart: no curve points");
    fp_curve_point *p = malloc(n * sizeof *p);
    if (!p)
        return fp_error_set(err, FP_ENOMEM, "chart: out of memory");
    memcpy(p, pts, n * sizeof *p);
    qsort(p, n, sizeof *p, cmp_budget);
    int W = width > 300 ? width : 300, H = height > 200 ? height : 200;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(sf);
    int rc = FP_OK;

    double xmax = 0, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(p[i].budget))
            xmax = fmax(xmax, p[i].budget);
        if (isfinite(p[i].cost))
            xmax = fmax(xmax, p[i].cost);
        ymax = fmax(ymax, p[i].dwellings);
    }
    if (xmax <= 0)
        xmax = 1;
    if (ymax <= 0)
        ymax = 1;
    double xs = nice_step(xmax, 6), ys = nice_step(ymax, 6);
    xmax = ceil(xmax / xs) * xs;
    ymax = ceil(ymax / ys) * ys;
    double L = 100, R = 60, T = 60, B = 80;
    double pw = W - L - R, ph = H - T - B;
#define PX(v) (L + (v) / xmax * pw)
#define PY(v) (T + ph - (v) / ymax * ph)

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    label(cr, L, 36, 20, 1, 0, title ? title : "Coverage curve");
    /* Grid and ticks. */
    char b[64], c[80];
    cairo_set_line_width(cr, 1);
    for (double v = 0; v <= xmax + xs / 2; v += xs) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, PX(v) + 0.5, T);
        cairo_line_to(cr, PX(v) + 0.5, T + ph);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        label(cr, PX(v), T + ph + 22, 14, 0, 1, fp_fmt_int(v, b, sizeof b));
    }
    for (double v = 0; v <= ymax + ys / 2; v += ys) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, L, PY(v) + 0.5);
        cairo_line_to(cr, L + pw, PY(v) + 0.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        label(cr, L - 10, PY(v) + 5, 14, 0, 2, fp_fmt_int(v, b, sizeof b));
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, L, T);
    cairo_line_to(cr, L, T + ph);
    cairo_line_to(cr, L + pw, T + ph);
    cairo_stroke(cr);
    label(cr, L + pw / 2, H - 24, 16, 0, 1, "budget (EUR)");
    cairo_save(cr);
    cairo_translate(cr, 28, T + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    label(cr, 0, 0, 16, 0, 1, "dwellings connected");
    cairo_restore(cr);

    /* The curve: a step line (coverage holds until the next budget). */
    cairo_set_source_rgb(cr, 0.13, 0.44, 0.71);
    cairo_set_line_width(cr, 2.5);
    for (size_t i = 0; i < n; i++) {
        double x = PX(p[i].budget), y = PY(p[i].dwellings);
        if (i == 0)
            cairo_move_to(cr, x, y);
        else {
            cairo_line_to(cr, x, PY(p[i - 1].dwellings));
            cairo_line_to(cr, x, y);
        }
    }
    cairo_stroke(cr);
    int any_opt = 0, any_feas = 0;
    for (size_t i = 0; i < n; i++) {
        cairo_new_path(cr);
        cairo_arc(cr, PX(p[i].budget), PY(p[i].dwellings), 6, 0, 2 * M_PI);
        if (p[i].optimal) {
            any_opt = 1;
            cairo_set_source_rgb(cr, 0.13, 0.44, 0.71);
            cairo_fill(cr);
        } else {
            any_feas = 1;
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.13, 0.44, 0.71);
            cairo_set_line_width(cr, 2);
            cairo_stroke(cr);
        }
    }
    /* Legend. */
    /* Bottom right: the curve rises to the top right, so it is free there. */
    double lx = L + pw - 250, ly = T + ph - 20 - 22 * (any_opt && any_feas);
    if (any_opt) {
        cairo_new_path(cr);
        cairo_arc(cr, lx, ly - 5, 6, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 0.13, 0.44, 0.71);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        label(cr, lx + 14, ly, 14, 0, 0, "proven optimal");
        ly += 22;
    }
    if (any_feas) {
        cairo_new_path(cr);
        cairo_arc(cr, lx, ly - 5, 6, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.13, 0.44, 0.71);
        cairo_set_line_width(cr, 2);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        label(cr, lx + 14, ly, 14, 0, 0, "feasible (gap not closed)");
    }
    snprintf(c, sizeof c, "%zu budgets", n);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    label(cr, L + pw, 36, 14, 0, 2, c);
#undef PX
#undef PY

    rc = fp_map_encode_png(cr, sf, "chart", png, len, err);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    free(p);
    return rc;
}
