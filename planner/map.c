/* map: cairo rendering of a plan. Drawing order: blocks, streets, buildings,
 * routes (thick cables first), drops, central office; legend panel on the
 * right with totals, scale bar bottom left. */
#include "map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_W 330

typedef struct {
    double minx, maxy, s, ox, oy;
} xf;

typedef struct {
    unsigned char *buf;
    size_t len, cap;
    int oom;
} membuf;

static cairo_status_t write_mem(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (m->len + length > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 65536;
        while (cap < m->len + length)
            cap *= 2;
        unsigned char *nb = realloc(m->buf, cap);
        if (!nb) {
            m->oom = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, length);
    m->len += length;
    return CAIRO_STATUS_SUCCESS;
}

int fp_map_encode_png(cairo_t *cr, cairo_surface_t *sf, const char *what, unsigned char **png,
                      size_t *len, fp_error *err)
{
    membuf mb = {0};
    cairo_surface_flush(sf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return fp_error_set(err, FP_EINTERNAL, "%s: cairo: %s", what,
                            cairo_status_to_string(cairo_status(cr)));
    if (cairo_surface_write_to_png_stream(sf, write_mem, &mb) != CAIRO_STATUS_SUCCESS) {
        free(mb.buf);
        return mb.oom ? fp_error_set(err, FP_ENOMEM, "%s: out of memory", what)
                      : fp_error_set(err, FP_EINTERNAL, "%s: PNG encoding failed", what);
    }
    *png = mb.buf;
    *len = mb.len;
    return FP_OK;
}

char *fp_fmt_int(double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "-"); /* unknown or undefined (a cost per no dwelling) */
        return buf;
    }
    char tmp[64];
    double r = round(v);
    if (!isfinite(r) || fabs(r) > 1e18)
        r = 0;
    snprintf(tmp, sizeof tmp, "%.0f", fabs(r));
    size_t len = strlen(tmp), j = 0;
    char out[96];
    if (r < 0)
        out[j++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[j++] = ' ';
        out[j++] = tmp[i];
    }
    out[j] = '\0';
    snprintf(buf, n, "%s", out);
    return buf;
}

static void to_px(const xf *t, double x, double y, double *px, double *py)
{
    *px = t->ox + (x - t->minx) * t->s;
    *py = t->oy + (t->maxy - y) * t->s;
}

static void path_ring(cairo_t *cr, GEOSContextHandle_t h, const GEOSGeometry *ring, const xf *t)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 2)
        return;
    for (unsigned int i = 0; i < n; i++) {
        double x, y, px, py;
        GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
        to_px(t, x, y, &px, &py);
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
}

static void path_geom(cairo_t *cr, GEOSContextHandle_t h, const GEOSGeometry *g, const xf *t)
{
    if (!g)
        return;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        path_ring(cr, h, GEOSGetExteriorRing_r(h, g), t);
        cairo_close_path(cr);
        int ni = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < ni; i++) {
            path_ring(cr, h, GEOSGetInteriorRingN_r(h, g, i), t);
            cairo_close_path(cr);
        }
    } else if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        path_ring(cr, h, g, t);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING ||
               type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++)
            path_geom(cr, h, GEOSGetGeometryN_r(h, g, i), t);
    }
}

static void rgb(cairo_t *cr, unsigned hex, double a)
{
    cairo_set_source_rgba(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                          (hex & 255) / 255.0, a);
}

/* Route colours by edge kind. */
static unsigned kind_colour(fp_edge_kind k)
{
    switch (k) {
    case FP_EDGE_TRENCH: return 0xd7301f;
    case FP_EDGE_DUCT: return 0x2171b5;
    case FP_EDGE_AERIAL: return 0x8856a7;
    case FP_EDGE_DROP: return 0x1b7837;
    default: return 0x252525;
    }
}

static double cable_width(int size)
{
    if (size <= 0)
        return 2.0;
    return 3.0 + 1.4 * log2(size / 12.0 > 1 ? size / 12.0 : 1);
}

typedef struct {
    unsigned fill, line;
    const char *label;
} bstyle;

static bstyle building_style(fp_bstatus s)
{
    switch (s) {
    case FP_BST_CONNECTED: return (bstyle){0x31a354, 0x006d2c, "connected building"};
    case FP_BST_PASSED: return (bstyle){0xfec44f, 0xb07a00, "passed, not connected"};
    case FP_BST_NOT_CONNECTED: return (bstyle){0xbdbdbd, 0xcb181d, "not connected"};
    case FP_BST_UNREACHABLE: return (bstyle){0xef3b2c, 0x67000d, "unreachable (x)"};
    default: return (bstyle){0xeeeeee, 0xbbbbbb, "no dwelling"};
    }
}

static void text(cairo_t *cr, double x, double y, double size, int bold, const char *s)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

static void draw_co(cairo_t *cr, double px, double py, double r)
{
    /* A black square with a white ring: the central office stands out on any
     * background. */
    cairo_rectangle(cr, px - r, py - r, 2 * r, 2 * r);
    rgb(cr, 0x000000, 1);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 3);
    rgb(cr, 0xffffff, 1);
    cairo_stroke(cr);
    cairo_arc(cr, px, py, r * 0.45, 0, 2 * M_PI);
    rgb(cr, 0xffffff, 1);
    cairo_fill(cr);
}

static void draw_scale(cairo_t *cr, const xf *t, double x, double y, double map_w)
{
    double target_m = map_w / 5 / t->s;
    double p10 = pow(10, floor(log10(target_m)));
    double len_m = p10;
    if (p10 * 5 <= target_m)
        len_m = p10 * 5;
    else if (p10 * 2 <= target_m)
        len_m = p10 * 2;
    double w = len_m * t->s;
    rgb(cr, 0xffffff, 0.85);
    cairo_rectangle(cr, x - 8, y - 28, w + 90, 44);
    cairo_fill(cr);
    rgb(cr, 0x000000, 1);
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + i * w / 4, y, w / 4, 8);
        if (i % 2 == 0)
            cairo_fill_preserve(cr);
        cairo_stroke(cr);
    }
    char b[64];
    if (len_m >= 1000)
        snprintf(b, sizeof b, "%g km", len_m / 1000);
    else
        snprintf(b, sizeof b, "%g m", len_m);
    text(cr, x, y - 8, 15, 0, "0");
    text(cr, x + w - 10, y - 8, 15, 0, b);
}

static void legend_line(cairo_t *cr, double x, double y, unsigned col, double w, int dashed,
                        const char *label)
{
    rgb(cr, col, 1);
    cairo_set_line_width(cr, w);
    if (dashed) {
        double d[] = {8, 4};
        cairo_set_dash(cr, d, 2, 0);
    }
    cairo_move_to(cr, x, y - 5);
    cairo_line_to(cr, x + 40, y - 5);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    rgb(cr, 0x222222, 1);
    text(cr, x + 52, y, 15, 0, label);
}

/* A legend section's title at (x, *y); moves *y below it. */
static void legend_heading(cairo_t *cr, double x, double *y, const char *title)
{
    rgb(cr, 0x111111, 1);
    text(cr, x, *y, 16, 1, title);
    *y += 26;
}

static void legend_box(cairo_t *cr, double x, double y, unsigned fill, unsigned line,
                       const char *label, int cross)
{
    cairo_rectangle(cr, x + 8, y - 15, 24, 16);
    rgb(cr, fill, 1);
    cairo_fill_preserve(cr);
    rgb(cr, line, 1);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    if (cross) {
        cairo_move_to(cr, x + 12, y - 13);
        cairo_line_to(cr, x + 28, y - 1);
        cairo_move_to(cr, x + 28, y - 13);
        cairo_line_to(cr, x + 12, y - 1);
        cairo_set_line_width(cr, 2);
        rgb(cr, 0x000000, 1);
        cairo_stroke(cr);
    }
    rgb(cr, 0x222222, 1);
    text(cr, x + 52, y, 15, 0, label);
}

int fp_map_png(const fp_plan *plan, const fp_map_opts *o, unsigned char **png, size_t *len,
               fp_error *err)
{
    const fp_network *net = plan->net;
    const fp_dataset *ds = net->ds;
    GEOSContextHandle_t h = ds->geos;
    int W = o->width > 400 ? o->width : 400, H = o->height > 300 ? o->height : 300;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(sf);
    int rc = FP_OK;
    *png = NULL;
    *len = 0;

    /* Extent: network nodes and buildings (the dataset extent may include
     * far-away streets that would shrink the plan). */
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < net->n_nodes; i++) {
        minx = fmin(minx, net->nodes[i].x);
        maxx = fmax(maxx, net->nodes[i].x);
        miny = fmin(miny, net->nodes[i].y);
        maxy = fmax(maxy, net->nodes[i].y);
    }
    for (size_t b = 0; b < ds->n_buildings; b++) {
        double x0, y0, x1, y1;
        const GEOSGeometry *g = ds->buildings[b].geom;
        if (g && plan->buildings[b].status != FP_BST_NO_DWELLING &&
            GEOSGeom_getXMin_r(h, g, &x0) && GEOSGeom_getYMin_r(h, g, &y0) &&
            GEOSGeom_getXMax_r(h, g, &x1) && GEOSGeom_getYMax_r(h, g, &y1)) {
            minx = fmin(minx, x0);
            miny = fmin(miny, y0);
            maxx = fmax(maxx, x1);
            maxy = fmax(maxy, y1);
        }
    }
    if (!isfinite(minx)) {
        minx = ds->minx;
        miny = ds->miny;
        maxx = ds->maxx;
        maxy = ds->maxy;
    }
    if (!(maxx > minx))
        maxx = minx + 1;
    if (!(maxy > miny))
        maxy = miny + 1;
    double map_w = W - PANEL_W, margin = 30;
    double s = fmin((map_w - 2 * margin) / (maxx - minx), (H - 2 * margin) / (maxy - miny));
    xf t = {minx, maxy, s, margin + ((map_w - 2 * margin) - (maxx - minx) * s) / 2,
            margin + ((H - 2 * margin) - (maxy - miny) * s) / 2};

    rgb(cr, 0xfbfbf8, 1);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, map_w, H);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);

    /* Blocks, lightly tinted by status. */
    static const unsigned block_fill[3] = {0x74c476, 0xfed976, 0xfc9272};
    for (size_t k = 0; k < net->n_blocks; k++) {
        if (!net->blocks[k].geom || plan->blocks[k].buildings == 0)
            continue;
        cairo_new_path(cr);
        path_geom(cr, h, net->blocks[k].geom, &t);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        rgb(cr, block_fill[plan->blocks[k].status], 0.16);
        cairo_fill(cr);
    }
    /* Streets. */
    cairo_set_line_width(cr, 1.6);
    rgb(cr, 0xa0a0a0, 1);
    for (size_t i = 0; i < ds->n_streets; i++) {
        cairo_new_path(cr);
        path_geom(cr, h, ds->streets[i].geom, &t);
        cairo_stroke(cr);
    }
    /* Buildings. */
    for (size_t b = 0; b < ds->n_buildings; b++) {
        bstyle st = building_style(plan->buildings[b].status);
        cairo_new_path(cr);
        path_geom(cr, h, ds->buildings[b].geom, &t);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        rgb(cr, st.fill, 1);
        cairo_fill_preserve(cr);
        rgb(cr, st.line, 1);
        cairo_set_line_width(cr, plan->buildings[b].status == FP_BST_NOT_CONNECTED ? 1.4 : 0.8);
        cairo_stroke(cr);
    }
    /* Unreachable buildings get a cross, visible even when tiny. */
    for (size_t i = 0; i < net->n_unreachable; i++) {
        size_t b = net->unreachable[i].building;
        if (b >= ds->n_buildings || !ds->buildings[b].geom)
            continue;
        GEOSGeometry *c = GEOSGetCentroid_r(h, ds->buildings[b].geom);
        double x, y, px, py;
        if (c && GEOSGeomGetX_r(h, c, &x) && GEOSGeomGetY_r(h, c, &y)) {
            to_px(&t, x, y, &px, &py);
            cairo_move_to(cr, px - 6, py - 6);
            cairo_line_to(cr, px + 6, py + 6);
            cairo_move_to(cr, px + 6, py - 6);
            cairo_line_to(cr, px - 6, py + 6);
            rgb(cr, 0x67000d, 1);
            cairo_set_line_width(cr, 2.5);
            cairo_stroke(cr);
        }
        if (c)
            GEOSGeom_destroy_r(h, c);
    }
    /* Line widths shrink on wide areas (few pixels a metre) so that dense
     * networks stay readable; never below half. */
    double wk = sqrt(s / 0.5);
    wk = wk > 1 ? 1 : wk < 0.5 ? 0.5 : wk;
    /* Routes: two passes, street routes (thickest first) then drops. */
    for (int pass = 0; pass < 2; pass++) {
        for (int si = plan->opts.n_sizes; si >= -1; si--) {
            for (size_t k = 0; k < plan->n_edges; k++) {
                const fp_plan_edge *pe = &plan->edges[k];
                const fp_net_edge *E = &net->edges[pe->edge];
                int is_drop = E->kind == FP_EDGE_DROP;
                if (is_drop != pass)
                    continue;
                int idx = -1;
                for (int i = 0; i < plan->opts.n_sizes; i++)
                    if (plan->opts.sizes[i] == pe->cable_size)
                        idx = i;
                if (idx != si)
                    continue;
                cairo_new_path(cr);
                for (int i = 0; i < E->n_pts; i++) {
                    double px, py;
                    to_px(&t, E->xy[2 * i], E->xy[2 * i + 1], &px, &py);
                    if (i == 0)
                        cairo_move_to(cr, px, py);
                    else
                        cairo_line_to(cr, px, py);
                }
                double w = wk * (is_drop ? 1.6
                                         : cable_width(pe->cable_size) * (pe->n_cables > 1 ? 1.4 : 1));
                if (E->kind == FP_EDGE_AERIAL) {
                    double d[] = {10, 5};
                    cairo_set_dash(cr, d, 2, 0);
                }
                rgb(cr, kind_colour(E->kind), is_drop ? 1 : 0.9);
                cairo_set_line_width(cr, w);
                cairo_stroke(cr);
                cairo_set_dash(cr, NULL, 0, 0);
            }
        }
    }
    /* Central offices (every site; the plan's sites are the network's). */
    for (size_t i = 0; i < plan->n_sites; i++) {
        double px, py;
        const fp_net_node *N = &net->nodes[plan->sites[i].node];
        to_px(&t, N->x, N->y, &px, &py);
        double r = plan->sites[i].used || plan->n_sites == 1 ? 13 : 9;
        draw_co(cr, px, py, r);
        if (plan->n_sites > 1) {
            /* several sites: each named, on a white halo to stay legible */
            const char *name = fp_network_site_name(net, i);
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_BOLD);
            cairo_set_font_size(cr, 15);
            cairo_move_to(cr, px + r + 5, py + 5);
            cairo_text_path(cr, name);
            cairo_set_line_width(cr, 4);
            rgb(cr, 0xffffff, 1);
            cairo_stroke(cr);
            rgb(cr, 0x000000, 1);
            text(cr, px + r + 5, py + 5, 15, 1, name);
        }
    }
    draw_scale(cr, &t, 24, H - 24, map_w);
    cairo_restore(cr);

    /* Legend panel. */
    double x = map_w + 16, y = 36;
    rgb(cr, 0xffffff, 1);
    cairo_rectangle(cr, map_w, 0, PANEL_W, H);
    cairo_fill(cr);
    rgb(cr, 0xcccccc, 1);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, map_w + 0.5, 0);
    cairo_line_to(cr, map_w + 0.5, H);
    cairo_stroke(cr);
    rgb(cr, 0x111111, 1);
    text(cr, x, y, 20, 1, o->title ? o->title : "fibreplan");
    y += 30;
    char a[64], b2[64], line[160];
    snprintf(line, sizeof line, "Total cost: %s EUR", fp_fmt_int(plan->cost.total, a, sizeof a));
    text(cr, x, y, 16, 1, line);
    y += 22;
    snprintf(line, sizeof line, "Dwellings connected: %s / %s",
             fp_fmt_int(plan->dwellings_connected, a, sizeof a),
             fp_fmt_int(plan->dwellings_target, b2, sizeof b2));
    text(cr, x, y, 15, 0, line);
    y += 20;
    snprintf(line, sizeof line, "Per dwelling: %s EUR",
             fp_fmt_int(plan->cost.per_dwelling_connected, a, sizeof a));
    text(cr, x, y, 15, 0, line);
    y += 20;
    snprintf(line, sizeof line, "New trench %.2f km, reuse %.2f km",
             plan->bom.trench_m / 1000, (plan->bom.duct_m + plan->bom.aerial_m) / 1000);
    text(cr, x, y, 15, 0, line);
    y += 36;

    legend_heading(cr, x, &y, "Routes");
    legend_line(cr, x, y, kind_colour(FP_EDGE_TRENCH), 4, 0, "new trench");
    y += 24;
    legend_line(cr, x, y, kind_colour(FP_EDGE_DUCT), 4, 0, "existing duct reused");
    y += 24;
    legend_line(cr, x, y, kind_colour(FP_EDGE_AERIAL), 4, 1, "aerial (poles)");
    y += 24;
    legend_line(cr, x, y, kind_colour(FP_EDGE_LINK), 4, 0, "central office link");
    y += 24;
    legend_line(cr, x, y, kind_colour(FP_EDGE_DROP), 1.6, 0, "drop to building");
    y += 24;
    legend_line(cr, x, y, 0xa0a0a0, 1.6, 0, "street (unused)");
    y += 34;

    legend_heading(cr, x, &y, "Cable (line width)");
    int shown = 0;
    for (int i = 0; i < plan->bom.n_sizes && shown < 8; i++) {
        if (plan->bom.cable_m[i] <= 0)
            continue;
        snprintf(line, sizeof line, "%d fibres  (%s m)", plan->bom.sizes[i],
                 fp_fmt_int(plan->bom.cable_m[i], a, sizeof a));
        legend_line(cr, x, y, 0x555555, wk * cable_width(plan->bom.sizes[i]), 0, line);
        y += 24;
        shown++;
    }
    if (!shown) {
        rgb(cr, 0x555555, 1);
        text(cr, x, y, 15, 0, "(no cable)");
        y += 24;
    }
    y += 10;
    legend_heading(cr, x, &y, "Buildings");
    for (int s2 = FP_BST_CONNECTED; s2 <= FP_BST_NO_DWELLING; s2++) {
        bstyle st = building_style((fp_bstatus)s2);
        legend_box(cr, x, y, st.fill, st.line, st.label, s2 == FP_BST_UNREACHABLE);
        y += 24;
    }
    y += 10;
    legend_heading(cr, x, &y, "Blocks (tint)");
    static const char *bl[3] = {"all connected", "partly connected", "not connected"};
    for (int k = 0; k < 3; k++) {
        unsigned f = block_fill[k];
        /* The tint as it looks at 16 % over the background. */
        unsigned r = (unsigned)(251.0 + ((double)((f >> 16) & 255) - 251.0) * 0.16);
        unsigned g = (unsigned)(251.0 + ((double)((f >> 8) & 255) - 251.0) * 0.16);
        unsigned bb = (unsigned)(248.0 + ((double)(f & 255) - 248.0) * 0.16);
        legend_box(cr, x, y, r << 16 | g << 8 | bb, 0xcccccc, bl[k], 0);
        y += 24;
    }
    y += 10;
    draw_co(cr, x + 20, y, 10);
    rgb(cr, 0x222222, 1);
    text(cr, x + 52, y + 5, 15, 0, "central office");

    rc = fp_map_encode_png(cr, sf, "map", png, len, err);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    return rc;
}
