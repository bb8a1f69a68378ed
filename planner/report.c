/* report: HTML + CSV + PNG outputs of a plan. */
#include "report.h"

#include "fsutil.h"
#include "map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fp_report_info_default(fp_report_info *info)
{
    memset(info, 0, sizeof *info);
    info->scenario = "scenario";
    info->mode = "full";
    info->status = "unknown";
    info->lower_bound = NAN;
    info->gap = NAN;
    info->seconds = NAN;
    info->privacy_threshold = FP_PRIVACY_DEFAULT;
}

const char *fp_privacy_count(int v, int threshold, char *buf, size_t n)
{
    if (threshold > 0 && v < threshold)
        snprintf(buf, n, "<%d", threshold);
    else
        snprintf(buf, n, "%d", v);
    return buf;
}

void fp_report_csv_field(FILE *f, const char *s, char sep)
{
    const char special[] = {sep, '"', '\r', '\n', '\0'};
    if (!strpbrk(s, special)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_str(FILE *f, const char *s)
{
    fp_report_csv_field(f, s, ',');
}

static void html_str(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* fp_privacy_count for HTML: a suppressed count "<11" written "&lt;11". */
static const char *html_count(int v, int threshold, char *buf, size_t n)
{
    char t[16]; /* an int, or "<" and an int */
    fp_privacy_count(v, threshold, t, sizeof t);
    snprintf(buf, n, "%s%s", t[0] == '<' ? "&lt;" : "", t[0] == '<' ? t + 1 : t);
    return buf;
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        fputc(t[v >> 18], f);
        fputc(t[(v >> 12) & 63], f);
        fputc(t[(v >> 6) & 63], f);
        fputc(t[v & 63], f);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        fputc(t[v >> 18], f);
        fputc(t[(v >> 12) & 63], f);
        fputc(i + 1 < n ? t[(v >> 6) & 63] : '=', f);
        fputc('=', f);
    }
}

size_t fp_bom_lines(const fp_plan *p, fp_bom_line *out, size_t cap)
{
    size_t n = 0;
    const fp_bom *b = &p->bom;
#define ADD(unit_, qty_, cost_, ...)                                                        \
    do {                                                                                    \
        if (n < cap) {                                                                      \
            snprintf(out[n].item, sizeof out[n].item, __VA_ARGS__);                         \
            out[n].unit = unit_;                                                            \
            out[n].qty = qty_;                                                              \
            out[n].cost = cost_;                                                            \
            n++;                                                                            \
        }                                                                                   \
    } while (0)
    for (int i = 0; i < b->n_classes; i++)
        ADD("m", b->trench_class_m[i], b->trench_class_cost[i], "new trench, street class %s",
            b->trench_class[i]);
    ADD("m", b->duct_m, p->cost.duct_reuse, "existing duct reused");
    ADD("m", b->aerial_m, p->cost.aerial, "aerial on existing poles");
    ADD("m", b->link_m, p->cost.link, "central office link");
    for (int i = 0; i < b->n_sizes; i++)
        if (b->cable_m[i] > 0)
            ADD("m", b->cable_m[i], NAN, "cable %d fibres", b->sizes[i]);
    ADD("m", b->cable_total_m, p->cost.cable, "cable, all sizes");
    ADD("fibre-m", b->fibre_m, NAN, "fibre length (cable size x metres)");
    ADD("count", b->drops, p->cost.drops, "drops");
    ADD("m", b->drop_m, NAN, "drop length");
    ADD("count", b->connection_points, p->cost.connection_points, "connection points");
    if (p->opts.smart)
        ADD("count", b->smart_kits, p->cost.smart, "smart dwelling kits");
#undef ADD
    return n;
}

/* Opens dir/name for an atomic write (*f its stream) and writes the
 * header line; NULL with err set on failure. */
static fp_afile *open_csv(const char *dir, const char *name, const char *header, FILE **f,
                          fp_error *err)
{
    fp_afile *af = fp_afile_open_in(dir, name, err);
    if (af) {
        *f = fp_afile_fp(af);
        fputs(header, *f);
    }
    return af;
}

static int write_bom_csv(const char *dir, const fp_plan *p, fp_error *err)
{
    FILE *f;
    fp_afile *af = open_csv(dir, "bom.csv", "item,unit,quantity,cost_eur\n", &f, err);
    if (!af)
        return err->code;
    fp_bom_line L[64];
    size_t n = fp_bom_lines(p, L, 64);
    for (size_t i = 0; i < n; i++) {
        csv_str(f, L[i].item);
        fprintf(f, ",%s,%.2f,", L[i].unit, L[i].qty);
        if (isfinite(L[i].cost))
            fprintf(f, "%.2f", L[i].cost);
        fputc('\n', f);
    }
    fprintf(f, "total,EUR,,%.2f\n", p->cost.total);
    return fp_afile_commit(af, err);
}

static void summary_rows(const fp_plan *p, const fp_report_info *in,
                         void (*row)(void *, const char *, const char *), void *ud)
{
    char b[64];
    int T = in->privacy_threshold;
    row(ud, "scenario", in->scenario);
    row(ud, "mode", in->mode);
    row(ud, "status", in->status);
    if (isfinite(in->gap))
        snprintf(b, sizeof b, "%.6f", in->gap);
    else
        b[0] = '\0';
    row(ud, "gap", b);
    if (isfinite(in->lower_bound))
        snprintf(b, sizeof b, "%.2f", in->lower_bound);
    else
        b[0] = '\0';
    row(ud, "lower_bound_eur", b);
    snprintf(b, sizeof b, "%.2f", p->network_cost);
    row(ud, "network_cost_eur", b);
    snprintf(b, sizeof b, "%.2f", p->cost.total);
    row(ud, "total_cost_eur", b);
    /* empty when there is no dwelling to divide by */
    snprintf(b, sizeof b, isfinite(p->cost.per_dwelling_passed) ? "%.2f" : "",
             p->cost.per_dwelling_passed);
    row(ud, "cost_per_dwelling_passed_eur", b);
    snprintf(b, sizeof b, isfinite(p->cost.per_dwelling_connected) ? "%.2f" : "",
             p->cost.per_dwelling_connected);
    row(ud, "cost_per_dwelling_connected_eur", b);
    snprintf(b, sizeof b, "%d", p->buildings_target);
    row(ud, "buildings_target", b);
    snprintf(b, sizeof b, "%d", p->buildings_connected);
    row(ud, "buildings_connected", b);
    row(ud, "dwellings_target", fp_privacy_count(p->dwellings_target, T, b, sizeof b));
    row(ud, "dwellings_connected", fp_privacy_count(p->dwellings_connected, T, b, sizeof b));
    row(ud, "dwellings_passed", fp_privacy_count(p->dwellings_passed, T, b, sizeof b));
    snprintf(b, sizeof b, "%zu", p->net->n_unreachable);
    row(ud, "buildings_unreachable", b);
}

static void csv_row(void *ud, const char *k, const char *v)
{
    FILE *f = ud;
    csv_str(f, k);
    fputc(',', f);
    csv_str(f, v);
    fputc('\n', f);
}

static int write_csvs(const char *dir, const fp_plan *p, const fp_report_info *in, fp_error *err)
{
    const fp_network *net = p->net;
    const fp_dataset *ds = net->ds;
    char b1[32], b2[32];
    fp_afile *af;
    FILE *f;
    int T = in->privacy_threshold;

    if (!(af = open_csv(dir, "summary.csv", "key,value\n", &f, err)))
        return err->code;
    summary_rows(p, in, csv_row, f);
    if (fp_afile_commit(af, err) != 0)
        return err->code;

    if (write_bom_csv(dir, p, err) != 0)
        return err->code;

    if (!(af = open_csv(dir, "blocks.csv",
                        "block,status,buildings,buildings_connected,dwellings,dwellings_connected,"
                        "cost_eur\n",
                        &f, err)))
        return err->code;
    for (size_t k = 0; k < net->n_blocks; k++) {
        const fp_plan_block *bk = &p->blocks[k];
        csv_str(f, net->blocks[k].id);
        fprintf(f, ",%s,%d,%d,%s,%s,%.2f\n", fp_block_status_name(bk->status), bk->buildings,
                bk->buildings_connected, fp_privacy_count(bk->dwellings, T, b1, sizeof b1),
                fp_privacy_count(bk->dwellings_connected, T, b2, sizeof b2), bk->cost);
    }
    if (fp_afile_commit(af, err) != 0)
        return err->code;

    if (!(af = open_csv(dir, "buildings.csv",
                        "building,source_fid,status,dwellings,dwellings_source,block,x,y,drop_m,fibres,"
                        "cost_eur,site\n",
                        &f, err)))
        return err->code;
    static const char *src[] = {"given", "estimated", "nonres"};
    for (size_t b = 0; b < ds->n_buildings; b++) {
        const fp_plan_building *pb = &p->buildings[b];
        const fp_building *B = &ds->buildings[b];
        double x = NAN, y = NAN;
        if (B->geom) {
            GEOSGeometry *pt = GEOSPointOnSurface_r(ds->geos, B->geom);
            if (pt) {
                GEOSGeomGetX_r(ds->geos, pt, &x);
                GEOSGeomGetY_r(ds->geos, pt, &y);
                GEOSGeom_destroy_r(ds->geos, pt);
            }
        }
        long blk = net->building_block ? net->building_block[b] : -1;
        fprintf(f, "%zu,%lld,%s,%d,%s,", b, B->fid, fp_bstatus_name(pb->status), B->dwellings,
                src[B->dw_source <= FP_DW_NONRES ? B->dw_source : 0]);
        if (blk >= 0 && (size_t)blk < net->n_blocks)
            csv_str(f, net->blocks[blk].id);
        if (isfinite(x))
            fprintf(f, ",%.2f,%.2f", x, y);
        else
            fputs(",,", f);
        fprintf(f, ",%.2f,%d,%.2f,", pb->drop_m, pb->fibres, pb->cost);
        if (pb->site >= 0)
            csv_str(f, fp_network_site_name(net, (size_t)pb->site));
        fputc('\n', f);
    }
    if (fp_afile_commit(af, err) != 0)
        return err->code;

    if (!(af = open_csv(dir, "edges.csv",
                        "edge,from_node,to_node,kind,class,length_m,dwellings,fibres,cable_size,"
                        "n_cables,extra_cable_size,civil_eur,cable_eur,site\n",
                        &f, err)))
        return err->code;
    for (size_t k = 0; k < p->n_edges; k++) {
        const fp_plan_edge *pe = &p->edges[k];
        const fp_net_edge *E = &net->edges[pe->edge];
        fprintf(f, "%d,%d,%d,%s,", pe->edge, pe->from, pe->to, fp_plan_edge_kind_name(E->kind));
        csv_str(f, E->cls);
        fprintf(f, ",%.2f,%d,%d,%d,%d,%d,%.2f,%.2f,", pe->length, pe->dwellings, pe->fibres,
                pe->cable_size, pe->n_cables, pe->rem_size, pe->civil, pe->cable_cost);
        csv_str(f, fp_network_site_name(net, (size_t)pe->site));
        fputc('\n', f);
    }
    if (fp_afile_commit(af, err) != 0)
        return err->code;

    /* Per site: what its tree feeds and costs (sums give the plan's network
     * and cable costs). */
    if (!(af = open_csv(dir, "sites.csv",
                        "site,x,y,used,edges,buildings_connected,dwellings_connected,fibres,trench_m,"
                        "civil_eur,cable_eur,cost_eur\n",
                        &f, err)))
        return err->code;
    for (size_t i = 0; i < p->n_sites; i++) {
        const fp_plan_site *ps = &p->sites[i];
        csv_str(f, fp_network_site_name(net, i));
        fprintf(f, ",%.2f,%.2f,%d,%d,%d,%s,%d,%.2f,%.2f,%.2f,%.2f\n", net->nodes[ps->node].x,
                net->nodes[ps->node].y, ps->used, ps->edges, ps->buildings_connected,
                fp_privacy_count(ps->dwellings_connected, T, b1, sizeof b1), ps->fibres,
                ps->trench_m, ps->civil, ps->cable, ps->civil + ps->cable);
    }
    if (fp_afile_commit(af, err) != 0)
        return err->code;

    if (in->curve && in->n_curve) {
        if (!(af = open_csv(dir, "curve.csv",
                            "budget_eur,cost_eur,dwellings_connected,bound,gap,optimal\n", &f,
                            err)))
            return err->code;
        /* dwellings_connected and bound are weighted dwellings (plain dwellings
         * with the default unit weights); the bound is what the solver proved
         * no plan within that budget can beat */
        for (size_t i = 0; i < in->n_curve; i++)
            fprintf(f, "%.2f,%.2f,%.6g,%.6g,%.6f,%d\n", in->curve[i].budget, in->curve[i].cost,
                    in->curve[i].weight, in->curve[i].bound, in->curve[i].gap,
                    in->curve[i].optimal ? 1 : 0);
        if (fp_afile_commit(af, err) != 0)
            return err->code;
    }
    return FP_OK;
}

static void html_row(void *ud, const char *k, const char *v)
{
    FILE *f = ud;
    fputs("<tr><th>", f);
    html_str(f, k);
    fputs("</th><td>", f);
    html_str(f, v);
    fputs("</td></tr>\n", f);
}

static const char CSS[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2em auto;max-width:1680px;"
    "color:#222;padding:0 1em}h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;"
    "padding-bottom:.2em;margin-top:1.6em}table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ddd;padding:.3em .7em;text-align:left}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}tr:nth-child(even) td{background:#fafafa}"
    ".kpi{display:flex;gap:1em;flex-wrap:wrap}.kpi div{background:#f3f6f9;border-radius:6px;"
    "padding:.8em 1.2em}.kpi b{display:block;font-size:1.6em}.bar{background:#4a90c2;height:.8em;"
    "display:inline-block}.note{color:#555;font-size:.9em}img{max-width:100%;border:1px solid #ccc}"
    ".st-connected{color:#1a7f37}.st-partly{color:#a66b00}.st-not_connected{color:#b00}";

static int write_html(const char *dir, const fp_plan *p, const fp_report_info *in,
                      const unsigned char *map, size_t map_len, const unsigned char *curve,
                      size_t curve_len, fp_error *err)
{
    char a[64], b[64];
    fp_afile *af = fp_afile_open_in(dir, "report.html", err);
    if (!af)
        return err->code;
    FILE *f = fp_afile_fp(af);
    const fp_network *net = p->net;
    int T = in->privacy_threshold;

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>fibreplan: ", f);
    html_str(f, in->scenario);
    fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>FTTH plan: ", CSS);
    html_str(f, in->scenario);
    fputs("</h1>\n<p class=\"note\">Mode ", f);
    html_str(f, in->mode);
    fputs(", solver status <b>", f);
    html_str(f, in->status);
    fputs("</b>", f);
    if (isfinite(in->gap))
        fprintf(f, ", gap %.3f %%", 100 * in->gap);
    if (isfinite(in->seconds))
        fprintf(f, ", solved in %.1f s", in->seconds);
    fputs(".</p>\n<div class=\"kpi\">", f);
    fprintf(f, "<div>total cost<b>%s &euro;</b></div>", fp_fmt_int(p->cost.total, a, sizeof a));
    fprintf(f, "<div>dwellings connected<b>%s / %s</b></div>",
            html_count(p->dwellings_connected, T, a, sizeof a),
            html_count(p->dwellings_target, T, b, sizeof b));
    fprintf(f, "<div>per dwelling connected<b>%s &euro;</b></div>",
            fp_fmt_int(p->cost.per_dwelling_connected, a, sizeof a));
    fprintf(f, "<div>per dwelling passed<b>%s &euro;</b></div>",
            fp_fmt_int(p->cost.per_dwelling_passed, a, sizeof a));
    fprintf(f, "<div>new trench<b>%.2f km</b></div>", p->bom.trench_m / 1000);
    fputs("</div>\n", f);

    fputs("<h2>Map</h2>\n", f);
    if (map && map_len) {
        fputs("<img alt=\"plan map\" src=\"data:image/png;base64,", f);
        base64(f, map, map_len);
        fputs("\">\n", f);
    }

    fputs("<h2>Summary</h2>\n<table>\n", f);
    summary_rows(p, in, html_row, f);
    fputs("</table>\n", f);

    fputs("<h2>Cost breakdown</h2>\n<table><tr><th>item</th><th>EUR</th><th>share</th></tr>\n", f);
    struct {
        const char *k;
        double v;
    } cb[] = {{"new trench", p->cost.trench},
              {"duct reuse", p->cost.duct_reuse},
              {"aerial", p->cost.aerial},
              {"central office link", p->cost.link},
              {"drops", p->cost.drops},
              {"connection points", p->cost.connection_points},
              {"cable", p->cost.cable},
              {"smart kits", p->cost.smart}};
    for (size_t i = 0; i < sizeof cb / sizeof cb[0]; i++) {
        double share = p->cost.total > 0 ? cb[i].v / p->cost.total : 0;
        fprintf(f, "<tr><td>%s</td><td class=\"n\">%s</td><td><span class=\"bar\" "
                   "style=\"width:%.0fpx\"></span> %.1f %%</td></tr>\n",
                cb[i].k, fp_fmt_int(cb[i].v, a, sizeof a), 300 * share, 100 * share);
    }
    fprintf(f, "<tr><th>total</th><th class=\"n\">%s</th><th></th></tr></table>\n",
            fp_fmt_int(p->cost.total, a, sizeof a));

    fputs("<h2>Bill of materials</h2>\n<table><tr><th>item</th><th>unit</th><th>quantity</th>"
          "<th>EUR</th></tr>\n",
          f);
    fp_bom_line L[64];
    size_t n = fp_bom_lines(p, L, 64);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        html_str(f, L[i].item);
        fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                L[i].unit, fp_fmt_int(L[i].qty, a, sizeof a),
                isfinite(L[i].cost) ? fp_fmt_int(L[i].cost, b, sizeof b) : "");
    }
    fputs("</table>\n", f);

    if (in->curve && in->n_curve) {
        fputs("<h2>Coverage curve</h2>\n", f);
        if (curve && curve_len) {
            fputs("<img alt=\"coverage curve\" src=\"data:image/png;base64,", f);
            base64(f, curve, curve_len);
            fputs("\">\n", f);
        }
        fputs("<table><tr><th>budget EUR</th><th>cost EUR</th><th>dwellings</th><th>optimal</th>"
              "</tr>\n",
              f);
        for (size_t i = 0; i < in->n_curve; i++)
            fprintf(f, "<tr><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%d</td>"
                       "<td>%s</td></tr>\n",
                    fp_fmt_int(in->curve[i].budget, a, sizeof a),
                    fp_fmt_int(in->curve[i].cost, b, sizeof b), in->curve[i].dwellings,
                    in->curve[i].optimal ? "yes" : "no");
        fputs("</table>\n", f);
    }

    if (p->n_sites > 1) {
        fputs("<h2>Sites</h2>\n<p class=\"note\">Each building is fed from the site whose tree "
              "reaches it (the cheapest overall network decides); a site feeding nothing is "
              "unused.</p>\n<table><tr><th>site</th><th>buildings connected</th>"
              "<th>dwellings connected</th><th>fibres out</th><th>new trench km</th>"
              "<th>civil EUR</th><th>cable EUR</th></tr>\n",
              f);
        for (size_t i = 0; i < p->n_sites; i++) {
            const fp_plan_site *ps = &p->sites[i];
            char c1[32];
            fputs("<tr><td>", f);
            html_str(f, fp_network_site_name(net, i));
            fprintf(f, "%s</td><td class=\"n\">%d</td><td class=\"n\">%s</td>"
                       "<td class=\"n\">%d</td><td class=\"n\">%.2f</td><td class=\"n\">%s</td>"
                       "<td class=\"n\">%s</td></tr>\n",
                    ps->used ? "" : " (unused)", ps->buildings_connected,
                    html_count(ps->dwellings_connected, T, c1, sizeof c1), ps->fibres,
                    ps->trench_m / 1000, fp_fmt_int(ps->civil, a, sizeof a),
                    fp_fmt_int(ps->cable, b, sizeof b));
        }
        fputs("</table>\n", f);
    }

    fputs("<h2>Blocks</h2>\n<table><tr><th>block</th><th>status</th><th>buildings</th>"
          "<th>connected</th><th>dwellings</th><th>dwellings connected</th><th>EUR</th></tr>\n",
          f);
    for (size_t k = 0; k < net->n_blocks; k++) {
        const fp_plan_block *bk = &p->blocks[k];
        char c1[32], c2[32];
        fputs("<tr><td>", f);
        html_str(f, net->blocks[k].id);
        fprintf(f, "</td><td class=\"st-%s\">%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                   "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                fp_block_status_name(bk->status), fp_block_status_name(bk->status), bk->buildings,
                bk->buildings_connected, html_count(bk->dwellings, T, c1, sizeof c1),
                html_count(bk->dwellings_connected, T, c2, sizeof c2),
                fp_fmt_int(bk->cost, a, sizeof a));
    }
    fputs("</table>\n", f);

    fputs("<h2>Notes</h2>\n<ul class=\"note\">\n"
          "<li>Civil works are the network's edge costs, exactly what the optimiser minimised; a "
          "drop's cost is split into the connection point (fixed per building) and the drop.</li>\n"
          "<li>Fibres on an edge = dwellings downstream &times; (1 + spare ratio), rounded up; the "
          "cable is the smallest catalogue size holding them (above the largest size: several "
          "cables).</li>\n"
          "<li>A building's cost is its drop and connection point plus a share of every edge "
          "upstream, split in proportion to dwellings; a block's cost is the sum of its "
          "buildings'. Smart kits count in the total only (per building they would reveal "
          "opt-outs).</li>\n",
          f);
    if (T > 0)
        fprintf(f, "<li>Privacy: counts of dwellings below %d are shown as &lt;%d in aggregated "
                   "tables; no per-household attribute (opt-outs, elderly tenants) is shown.</li>\n",
                T, T);
    fputs("<li>Tables as CSV: <a href=\"summary.csv\">summary</a>, <a href=\"bom.csv\">bill of "
          "materials</a>, <a href=\"blocks.csv\">blocks</a>, <a href=\"buildings.csv\">buildings"
          "</a>, <a href=\"edges.csv\">routes</a>, <a href=\"sites.csv\">sites</a>",
          f);
    if (in->curve && in->n_curve)
        fputs(", <a href=\"curve.csv\">curve</a>", f);
    fputs(".</li>\n</ul>\n</body></html>\n", f);
    return fp_afile_commit(af, err);
}

int fp_report_write(const char *dir, const fp_plan *p, const fp_report_info *in,
                    const fp_log *log, fp_error *err)
{
    unsigned char *map = NULL, *curve = NULL;
    size_t map_len = 0, curve_len = 0;
    int rc;
    char path[FP_FS_PATH_MAX];

    if ((rc = fp_fs_mkdirs(dir, err)) != 0)
        goto out;
    int swept = 0;
    if ((rc = fp_fs_sweep(dir, &swept, err)) != 0)
        goto out;
    if (swept)
        fp_log_msg(log, FP_LOG_INFO, "%s: removed %d stale temporary file(s)", dir, swept);
    fp_log_progress(log, "report", 0, 3, "map");
    fp_map_opts mo = {in->map_width ? in->map_width : 1600, in->map_height ? in->map_height : 1200,
                      in->scenario};
    if ((rc = fp_map_png(p, &mo, &map, &map_len, err)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/map.png", dir);
    if ((rc = fp_fs_write_atomic(path, map, map_len, err)) != 0)
        goto out;
    if (in->curve && in->n_curve) {
        if ((rc = fp_chart_curve_png(in->curve, in->n_curve, 1200, 700, "Coverage curve", &curve,
                                     &curve_len, err)) != 0)
            goto out;
        snprintf(path, sizeof path, "%s/curve.png", dir);
        if ((rc = fp_fs_write_atomic(path, curve, curve_len, err)) != 0)
            goto out;
    }
    fp_log_progress(log, "report", 1, 3, "tables");
    if ((rc = write_csvs(dir, p, in, err)) != 0)
        goto out;
    fp_log_progress(log, "report", 2, 3, "html");
    rc = write_html(dir, p, in, map, map_len, curve, curve_len, err);
    fp_log_progress(log, "report", 3, 3, "done");
out:
    free(map);
    free(curve);
    return rc;
}
