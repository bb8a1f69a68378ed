/* network: builds the fibre network model (street graph, drops, root, costs,
 * blocks, components) from a loaded dataset, and its compact Steiner form.
 *
 * Stages of fp_network_build, each O(n log n) through sorting or a GEOS
 * STRtree:
 *   1. street lines cleaned (repeated vertices, zero-length and excluded
 *      lines dropped, counted) and exact duplicates merged;
 *   2. ducts / aerial lines that do not follow streets added as lines;
 *   3. line ends closer than snap_tolerance merged (grid cells + sort), then
 *      dangling ends within snap_tolerance of another line moved onto it;
 *   4. all lines noded together (GEOSNode_r, which also dissolves overlaps)
 *      and pieces mapped back to their source line (class, street index);
 *   5. edges priced: trench by class, or duct reuse / aerial when an
 *      existing line or a chain of poles covers most of the edge;
 *   6. buildings and the sites attached to the nearest edge point (STRtree
 *      nearest), edges split at the attachment points, drops and link added;
 *   7. components (union-find), unreachable buildings, blocks (attribute, or
 *      polygonized street faces). */
#include "network.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Attachment points closer than this along an edge share one node. */
#define ATTACH_EPS 0.01
/* Unreachable buildings named one a line in the warnings (the rest are counted). */
#define FP_NETWORK_UNREACH_NAMED 5

/* A site for messages: its source, layer and feature when read from a
 * layer, else the scenario's [sites] x, y; then its name. */
static const char *site_name(const fp_dataset *ds, const fp_site *s, char *buf, size_t n)
{
    if (s->fid >= 0 && ds->st_sites.source[0])
        snprintf(buf, n, "%s: layer %s: feature %lld: site '%s'", ds->st_sites.source,
                 ds->st_sites.layer, s->fid, s->id);
    else
        snprintf(buf, n, "[sites] x, y: site '%s'", s->id);
    return buf;
}

/* ------------------------------------------------------------------ */
/* small helpers */

/* Euclidean length; coordinates are metres, far from overflow, and libm's
 * correctly rounded hypot() is several times slower. */
static inline double dist2d(double dx, double dy)
{
    return sqrt(dx * dx + dy * dy);
}

/* Three-way comparisons (-1, 0, 1) for the qsort comparators below, which
 * order by several keys in turn. ord_d puts NaN above everything. */
static inline int ord_d(double a, double b)
{
    return a != b ? (a < b ? -1 : 1) : 0;
}

static inline int ord_i(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* qsort that accepts an empty (NULL) array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static int grow(void **p, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elsize);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static double polyline_length(const double *xy, int n)
{
    double L = 0;
    for (int i = 0; i + 1 < n; i++)
        L += dist2d(xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
    return L;
}

/* Removes consecutive repeated vertices in place; returns how many. */
static int dedup_vertices(double *xy, int *n)
{
    int k = 0, removed = 0;
    for (int i = 0; i < *n; i++) {
        if (k > 0 && xy[2 * i] == xy[2 * (k - 1)] && xy[2 * i + 1] == xy[2 * (k - 1) + 1]) {
            removed++;
            continue;
        }
        xy[2 * k] = xy[2 * i];
        xy[2 * k + 1] = xy[2 * i + 1];
        k++;
    }
    *n = k;
    return removed;
}

/* Closest point (*x, *y) to (px,py) of the segment from (ax,ay) by
 * (dx,dy): its position *t in [0, 1] along the segment, and the distance. */
static double project_segment(double ax, double ay, double dx, double dy, double px, double py,
                              double *t, double *x, double *y)
{
    double L2 = dx * dx + dy * dy;
    double u = L2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / L2 : 0;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    *t = u;
    *x = ax + u * dx;
    *y = ay + u * dy;
    return dist2d(px - *x, py - *y);
}

/* Closest point of a polyline to (px,py): its arc-length position, the
 * point and the distance. */
static double project_polyline(const double *xy, int n, double px, double py, double *s_out,
                               double *qx, double *qy)
{
    double best = INFINITY, acc = 0, bs = 0, bx = xy[0], by = xy[1];
    for (int i = 0; i + 1 < n; i++) {
        double ax = xy[2 * i], ay = xy[2 * i + 1];
        double dx = xy[2 * i + 2] - ax, dy = xy[2 * i + 3] - ay;
        double L = sqrt(dx * dx + dy * dy), t, x, y;
        double d = project_segment(ax, ay, dx, dy, px, py, &t, &x, &y);
        if (d < best) {
            best = d;
            bs = acc + t * L;
            bx = x;
            by = y;
        }
        acc += L;
    }
    if (s_out)
        *s_out = bs;
    if (qx)
        *qx = bx;
    if (qy)
        *qy = by;
    return best;
}

/* Point at arc length s along a polyline (clamped). */
static void point_at(const double *xy, int n, double s, double *x, double *y)
{
    double acc = 0;
    for (int i = 0; i + 1 < n; i++) {
        double L = dist2d(xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
        if (s <= acc + L || i + 2 == n) {
            double t = L > 0 ? (s - acc) / L : 0;
            if (t < 0)
                t = 0;
            if (t > 1)
                t = 1;
            *x = xy[2 * i] + t * (xy[2 * i + 2] - xy[2 * i]);
            *y = xy[2 * i + 1] + t * (xy[2 * i + 3] - xy[2 * i + 1]);
            return;
        }
        acc += L;
    }
    *x = xy[0];
    *y = xy[1];
}

/* The part of a polyline between arc lengths s0 < s1, as a new array.
 * Returns NULL on allocation failure. */
static double *sub_polyline(const double *xy, int n, double s0, double s1, int *n_out)
{
    double *o = malloc((size_t)(n + 2) * 2 * sizeof *o);
    if (!o)
        return NULL;
    int k = 0;
    point_at(xy, n, s0, &o[0], &o[1]);
    k = 1;
    double acc = 0;
    for (int i = 1; i + 1 < n; i++) {
        acc += dist2d(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
        if (acc > s0 + 1e-9 && acc < s1 - 1e-9) {
            o[2 * k] = xy[2 * i];
            o[2 * k + 1] = xy[2 * i + 1];
            k++;
        }
    }
    point_at(xy, n, s1, &o[2 * k], &o[2 * k + 1]);
    k++;
    *n_out = k;
    return o;
}

static GEOSGeometry *make_line(GEOSContextHandle_t h, const double *xy, int n)
{
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
    if (!seq)
        return NULL;
    return GEOSGeom_createLineString_r(h, seq);
}

/* Copies a LineString's XY into a new array. */
static int line_xy(GEOSContextHandle_t h, const GEOSGeometry *g, double **xy, int *n)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, g);
    unsigned size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size))
        return -1;
    double *b = malloc((size_t)(size ? size : 1) * 2 * sizeof *b);
    if (!b)
        return -1;
    if (size && !GEOSCoordSeq_copyToBuffer_r(h, seq, b, 0, 0)) {
        free(b);
        return -1;
    }
    *xy = b;
    *n = (int)size;
    return 0;
}

/* Rectangle around an envelope grown by d. */
static GEOSGeometry *grown_box(GEOSContextHandle_t h, const GEOSGeometry *g, double d)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getXMin_r(h, g, &x0) || !GEOSGeom_getYMin_r(h, g, &y0) ||
        !GEOSGeom_getXMax_r(h, g, &x1) || !GEOSGeom_getYMax_r(h, g, &y1))
        return NULL;
    return GEOSGeom_createRectangle_r(h, x0 - d, y0 - d, x1 + d, y1 + d);
}

/* Collects STRtree query hits (int indices) into a growable array. */
typedef struct {
    int *v;
    size_t n, cap;
    int oom;
} hits;

static void hits_cb(void *item, void *ud)
{
    hits *hs = ud;
    if (grow((void **)&hs->v, &hs->cap, hs->n + 1, sizeof *hs->v)) {
        hs->oom = 1;
        return;
    }
    hs->v[hs->n++] = *(const int *)item;
}

static int cmp_int(const void *a, const void *b)
{
    return ord_i(*(const int *)a, *(const int *)b);
}

/* Union-find with path halving; the smaller index becomes the root so
 * representatives are deterministic. */
static int uf_find(int *p, int x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

static void uf_union(int *p, int a, int b)
{
    a = uf_find(p, a);
    b = uf_find(p, b);
    if (a == b)
        return;
    if (a < b)
        p[b] = a;
    else
        p[a] = b;
}

/* ------------------------------------------------------------------ */
/* working lines */

typedef struct {
    double *xy;     /* owned */
    int n;
    long street;    /* ds->streets index, or -1 */
    fp_edge_kind kind; /* TRENCH for streets, DUCT/AERIAL for infra lines */
    char cls[FP_CLASS_MAX];
    int dead;       /* dropped (duplicate, zero length) */
} wline;

typedef struct {
    wline *v;
    size_t n, cap;
} wlines;

static int class_excluded(const char *list, const char *cls)
{
    if (!*cls)
        return 0;
    size_t n = strlen(cls);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t l2 = len;
        while (l2 > 0 && p[l2 - 1] == ' ')
            l2--;
        if (l2 == n && strncmp(p, cls, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

static int add_line(wlines *L, double *xy, int n, long street, fp_edge_kind kind,
                    const char *cls)
{
    if (grow((void **)&L->v, &L->cap, L->n + 1, sizeof *L->v))
        return -1;
    wline *w = &L->v[L->n++];
    memset(w, 0, sizeof *w);
    w->xy = xy;
    w->n = n;
    w->street = street;
    w->kind = kind;
    snprintf(w->cls, sizeof w->cls, "%s", cls ? cls : "");
    return 0;
}

/* Adds each LineString of g (LineString or MultiLineString) as a line. */
static int add_geom_lines(GEOSContextHandle_t h, const GEOSGeometry *g, long street,
                          fp_edge_kind kind, const char *cls, wlines *L,
                          fp_network_stats *st, int *bad)
{
    *bad = 0;
    if (!g || GEOSisEmpty_r(h, g) != 0) {
        *bad = 1;
        return 0;
    }
    int type = GEOSGeomTypeId_r(h, g);
    int parts = 1;
    if (type == GEOS_MULTILINESTRING)
        parts = GEOSGetNumGeometries_r(h, g);
    else if (type != GEOS_LINESTRING && type != GEOS_LINEARRING) {
        *bad = 1;
        return 0;
    }
    for (int k = 0; k < parts; k++) {
        const GEOSGeometry *part = type == GEOS_MULTILINESTRING ? GEOSGetGeometryN_r(h, g, k) : g;
        double *xy = NULL;
        int n = 0;
        if (line_xy(h, part, &xy, &n))
            return -1;
        int finite = 1;
        for (int i = 0; i < 2 * n; i++)
            if (!isfinite(xy[i]))
                finite = 0;
        if (!finite) {
            free(xy);
            *bad = 2;
            continue;
        }
        if (st)
            st->zero_len_segments += (size_t)dedup_vertices(xy, &n);
        else
            dedup_vertices(xy, &n);
        if (n < 2) {
            free(xy);
            if (st)
                st->zero_len_lines++;
            continue;
        }
        if (add_line(L, xy, n, street, kind, cls)) {
            free(xy);
            return -1;
        }
    }
    return 0;
}

/* Orientation-free comparison of lines for duplicate detection. */
typedef struct {
    const wline *w;
    int rev;   /* read backwards */
    int idx;
} lref;

static double lref_c(const lref *r, int k)
{
    int n = r->w->n, i = k / 2, c = k % 2;
    return r->rev ? r->w->xy[2 * (n - 1 - i) + c] : r->w->xy[2 * i + c];
}

static int lref_cmp_seq(const lref *a, const lref *b)
{
    int c = ord_i(a->w->n, b->w->n);
    for (int k = 0; k < 2 * a->w->n && !c; k++)
        c = ord_d(lref_c(a, k), lref_c(b, k));
    return c;
}

static int cmp_lref(const void *pa, const void *pb)
{
    const lref *a = pa, *b = pb;
    int c = lref_cmp_seq(a, b);
    return c ? c : ord_i(a->idx, b->idx);
}

/* Marks lines equal (either direction) to a lower-numbered one as dead. */
static int merge_duplicate_lines(wlines *L, fp_network_stats *st)
{
    size_t m = 0;
    lref *r = malloc((L->n ? L->n : 1) * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < L->n; i++) {
        if (L->v[i].dead)
            continue;
        lref f = {&L->v[i], 0, (int)i}, b = {&L->v[i], 1, (int)i};
        r[m++] = lref_cmp_seq(&f, &b) <= 0 ? f : b;
    }
    sort_n(r, m, sizeof *r, cmp_lref);
    for (size_t i = 1; i < m; i++)
        if (lref_cmp_seq(&r[i - 1], &r[i]) == 0) {
            /* the sort puts the lowest index first in a run of equals */
            L->v[r[i].idx].dead = 1;
            st->duplicate_lines++;
            r[i] = r[i - 1];
        }
    free(r);
    return 0;
}

/* ------------------------------------------------------------------ */
/* endpoint snapping: grid cells of side tol, sorted; each endpoint looks in
 * its 3x3 neighbourhood (O(n log n)). Endpoints within tol are merged into
 * the lowest-numbered one of their cluster. */

typedef struct {
    long long cx, cy;
    int id;
} cellpt;

static int cmp_cell(const void *pa, const void *pb)
{
    const cellpt *a = pa, *b = pb;
    int c;
    if ((c = ord_i(a->cx, b->cx)) || (c = ord_i(a->cy, b->cy)))
        return c;
    return ord_i(a->id, b->id);
}

static size_t cell_lower(const cellpt *c, size_t n, long long cx, long long cy)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c[mid].cx < cx || (c[mid].cx == cx && c[mid].cy < cy))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int snap_endpoints(wlines *L, double tol, fp_network_stats *st)
{
    if (!(tol > 0) || L->n == 0)
        return 0;
    int rc = -1;
    size_t ne = 2 * L->n;
    double *ex = malloc(ne * 2 * sizeof *ex);
    cellpt *c = malloc(ne * sizeof *c);
    int *par = malloc(ne * sizeof *par);
    size_t m = 0;
    if (!ex || !c || !par)
        goto out;
    for (size_t i = 0; i < L->n; i++) {
        wline *w = &L->v[i];
        for (int e = 0; e < 2; e++) {
            size_t id = 2 * i + (size_t)e;
            int k = e ? w->n - 1 : 0;
            ex[2 * id] = w->xy[2 * k];
            ex[2 * id + 1] = w->xy[2 * k + 1];
            par[id] = (int)id;
            if (w->dead)
                continue;
            double fx = floor(ex[2 * id] / tol), fy = floor(ex[2 * id + 1] / tol);
            if (!(fabs(fx) < 4e18 && fabs(fy) < 4e18))
                continue;
            c[m].cx = (long long)fx;
            c[m].cy = (long long)fy;
            c[m].id = (int)id;
            m++;
        }
    }
    sort_n(c, m, sizeof *c, cmp_cell);
    for (size_t i = 0; i < m; i++) {
        int a = c[i].id;
        for (long long dx = -1; dx <= 1; dx++)
            for (long long dy = -1; dy <= 1; dy++) {
                size_t j = cell_lower(c, m, c[i].cx + dx, c[i].cy + dy);
                for (; j < m && c[j].cx == c[i].cx + dx && c[j].cy == c[i].cy + dy; j++) {
                    int b = c[j].id;
                    if (b <= a)
                        continue;
                    double d = dist2d(ex[2 * a] - ex[2 * b], ex[2 * a + 1] - ex[2 * b + 1]);
                    if (d <= tol)
                        uf_union(par, a, b);
                }
            }
    }
    for (size_t i = 0; i < L->n; i++) {
        wline *w = &L->v[i];
        if (w->dead)
            continue;
        for (int e = 0; e < 2; e++) {
            size_t id = 2 * i + (size_t)e;
            int r = uf_find(par, (int)id);
            int k = e ? w->n - 1 : 0;
            if (ex[2 * r] != w->xy[2 * k] || ex[2 * r + 1] != w->xy[2 * k + 1]) {
                w->xy[2 * k] = ex[2 * r];
                w->xy[2 * k + 1] = ex[2 * r + 1];
                st->snapped_endpoints++;
            }
        }
        /* moving an end may repeat a vertex or collapse a short line */
        st->zero_len_segments += (size_t)dedup_vertices(w->xy, &w->n);
        if (w->n < 2) {
            w->dead = 1;
            st->zero_len_lines++;
        }
    }
    rc = 0;
out:
    free(ex);
    free(c);
    free(par);
    return rc;
}

/* ------------------------------------------------------------------ */
/* the network under construction */

typedef struct {
    const fp_dataset *ds;
    GEOSContextHandle_t h;
    const fp_network_opts *opts;
    const fp_log *log;
    fp_network *net;
    size_t cap_nodes, cap_edges, cap_unreach;
    int limit_hit;   /* more nodes or edges than an int holds (sgraph indices) */
    wlines il;       /* the infra lines' parts (street = infra index) */
    size_t *il_off;  /* [n_infra+1]: parts of infra i are il.v[il_off[i]..il_off[i+1]) */
} builder;

static int add_node(builder *b, double x, double y, fp_node_kind kind, long building)
{
    fp_network *net = b->net;
    if (net->n_nodes >= (size_t)INT_MAX - 1) {
        b->limit_hit = 1;
        return -1;
    }
    if (grow((void **)&net->nodes, &b->cap_nodes, net->n_nodes + 1, sizeof *net->nodes))
        return -1;
    fp_net_node *nd = &net->nodes[net->n_nodes];
    nd->x = x;
    nd->y = y;
    nd->kind = kind;
    nd->building = building;
    nd->component = -1;
    return (int)net->n_nodes++;
}

/* Appends an edge taking ownership of xy (freed on failure). */
static int add_edge(builder *b, int u, int v, fp_edge_kind kind, const char *cls, long street,
                    double *xy, int n)
{
    fp_network *net = b->net;
    if (net->n_edges >= (size_t)INT_MAX - 1)
        b->limit_hit = 1;
    if (b->limit_hit ||
        grow((void **)&net->edges, &b->cap_edges, net->n_edges + 1, sizeof *net->edges)) {
        free(xy);
        return -1;
    }
    fp_net_edge *e = &net->edges[net->n_edges];
    memset(e, 0, sizeof *e);
    e->u = u;
    e->v = v;
    e->kind = kind;
    snprintf(e->cls, sizeof e->cls, "%s", cls ? cls : "");
    e->street = street;
    e->xy = xy;
    e->n_pts = n;
    e->length = polyline_length(xy, n);
    return (int)net->n_edges++;
}

static int add_unreach(builder *b, size_t building, fp_unreach_reason r, double d)
{
    fp_network *net = b->net;
    if (grow((void **)&net->unreachable, &b->cap_unreach, net->n_unreachable + 1,
             sizeof *net->unreachable))
        return -1;
    fp_unreachable *u = &net->unreachable[net->n_unreachable++];
    u->building = building;
    u->reason = r;
    u->distance = d;
    return 0;
}

static double edge_cost(const fp_costs *c, const fp_net_edge *e)
{
    switch (e->kind) {
    case FP_EDGE_TRENCH:
        return fp_costs_trench(c, e->cls) * e->length;
    case FP_EDGE_DUCT:
        return c->duct_reuse * e->length;
    case FP_EDGE_AERIAL:
        return c->aerial * e->length;
    case FP_EDGE_DROP:
        return c->drop_fixed + c->drop_per_m * e->length + c->building_fixed;
    case FP_EDGE_LINK:
        return c->trench_default * e->length;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* stage 3: ducts and aerial lines that do not follow a street become lines
 * of their own; the others are kept for matching edges (stage 5). */

/* Share of a polyline lying within buf of any of the candidate lines,
 * measured on samples at most 1 m apart (an edge is "mostly covered" or
 * not: a metre's precision is plenty, and unlike buffers and overlays this
 * costs no allocation). */
static double sample_share(const double *xy, int n, const wline *const *cand, size_t nc,
                           double buf)
{
    double len = polyline_length(xy, n);
    if (!(len > 0) || nc == 0)
        return 0;
    int k = (int)ceil(len);
    k = k < 8 ? 8 : k > 4000 ? 4000 : k;
    int covered = 0;
    for (int i = 0; i < k; i++) {
        double x, y;
        point_at(xy, n, len * (i + 0.5) / k, &x, &y);
        for (size_t c = 0; c < nc; c++)
            if (project_polyline(cand[c]->xy, cand[c]->n, x, y, NULL, NULL, NULL) <= buf) {
                covered++;
                break;
            }
    }
    return (double)covered / k;
}

/* Builds an STRtree over geoms (items: pointers into ids, which must live as
 * long as the tree). */
static GEOSSTRtree *build_tree(GEOSContextHandle_t h, GEOSGeometry *const *geoms, size_t n,
                               int *ids)
{
    GEOSSTRtree *t = GEOSSTRtree_create_r(h, 10);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        ids[i] = (int)i;
        if (geoms[i])
            GEOSSTRtree_insert_r(h, t, geoms[i], &ids[i]);
    }
    return t;
}

/* Candidates of tree intersecting g's envelope grown by d, sorted. */
static int query_grown(GEOSContextHandle_t h, GEOSSTRtree *t, const GEOSGeometry *g, double d,
                       hits *hs)
{
    hs->n = 0;
    hs->oom = 0;
    GEOSGeometry *box = grown_box(h, g, d);
    if (!box)
        return -1;
    GEOSSTRtree_query_r(h, t, box, hits_cb, hs);
    GEOSGeom_destroy_r(h, box);
    if (hs->oom)
        return -1;
    sort_n(hs->v, hs->n, sizeof *hs->v, cmp_int);
    return 0;
}

/* ------------------------------------------------------------------ */
/* undershoots: a dangling line end within tol of another line's interior is
 * moved onto it, and the point is inserted as a vertex of that line, so that
 * noding joins them exactly. */

/* A line or piece end: coordinates and id = 2 * line + (0 start, 1 end). */
typedef struct {
    double x, y;
    int id;
} endpt;

static int cmp_endpt(const void *pa, const void *pb)
{
    const endpt *a = pa, *b = pb;
    int c;
    if ((c = ord_d(a->x, b->x)) || (c = ord_d(a->y, b->y)))
        return c;
    return ord_i(a->id, b->id);
}

typedef struct {
    int line;   /* target line */
    int seg;    /* segment index in it */
    double t;   /* position along the segment */
    double x, y;
} insertion;

static int cmp_insertion(const void *pa, const void *pb)
{
    const insertion *a = pa, *b = pb;
    int c;
    if ((c = ord_i(a->line, b->line)) || (c = ord_i(a->seg, b->seg)))
        return c;
    return (a->t > b->t) - (a->t < b->t);
}

static int snap_to_lines(GEOSContextHandle_t h, wlines *L, double tol, fp_network_stats *st)
{
    if (!(tol > 0) || L->n == 0)
        return 0;
    int rc = -1;
    size_t n = L->n, ne = 2 * n;
    GEOSGeometry **g = calloc(n, sizeof *g);
    int *ids = malloc(n * sizeof *ids);
    endpt *ep = malloc(ne * sizeof *ep);
    unsigned char *dangling = calloc(ne, 1);
    insertion *ins = NULL;
    size_t n_ins = 0, cap_ins = 0, m = 0;
    GEOSSTRtree *tree = NULL;
    hits hs = {0};
    if (!g || !ids || !ep || !dangling)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (L->v[i].dead)
            continue;
        if (!(g[i] = make_line(h, L->v[i].xy, L->v[i].n)))
            goto out;
        for (int e = 0; e < 2; e++) {
            int k = e ? L->v[i].n - 1 : 0;
            ep[m].x = L->v[i].xy[2 * k];
            ep[m].y = L->v[i].xy[2 * k + 1];
            ep[m].id = (int)(2 * i) + e;
            m++;
        }
    }
    /* an end is dangling when no other end has its coordinates */
    sort_n(ep, m, sizeof *ep, cmp_endpt);
    for (size_t i = 0; i < m; i++) {
        int same_prev = i > 0 && ep[i - 1].x == ep[i].x && ep[i - 1].y == ep[i].y;
        int same_next = i + 1 < m && ep[i + 1].x == ep[i].x && ep[i + 1].y == ep[i].y;
        if (!same_prev && !same_next)
            dangling[ep[i].id] = 1;
    }
    if (!(tree = build_tree(h, g, n, ids)))
        goto out;
    for (size_t id = 0; id < ne; id++) {
        if (!dangling[id])
            continue;
        wline *w = &L->v[id / 2];
        int k = id % 2 ? w->n - 1 : 0;
        double px = w->xy[2 * k], py = w->xy[2 * k + 1];
        GEOSGeometry *box = GEOSGeom_createRectangle_r(h, px - tol, py - tol, px + tol, py + tol);
        if (!box)
            goto out;
        hs.n = 0;
        hs.oom = 0;
        GEOSSTRtree_query_r(h, tree, box, hits_cb, &hs);
        GEOSGeom_destroy_r(h, box);
        if (hs.oom)
            goto out;
        sort_n(hs.v, hs.n, sizeof *hs.v, cmp_int);
        double best = INFINITY, bx = 0, by = 0, bt = 0;
        int bl = -1, bseg = -1;
        for (size_t c = 0; c < hs.n; c++) {
            if ((size_t)hs.v[c] == id / 2)
                continue;
            const wline *o = &L->v[hs.v[c]];
            for (int sgi = 0; sgi + 1 < o->n; sgi++) {
                double ax = o->xy[2 * sgi], ay = o->xy[2 * sgi + 1], t, x, y;
                double d = project_segment(ax, ay, o->xy[2 * sgi + 2] - ax,
                                           o->xy[2 * sgi + 3] - ay, px, py, &t, &x, &y);
                if (d < best) {
                    best = d;
                    bx = x;
                    by = y;
                    bt = t;
                    bl = hs.v[c];
                    bseg = sgi;
                }
            }
        }
        /* 0: already on the line (the noder joins it); ends of the other
         * line were handled by endpoint snapping */
        if (bl < 0 || !(best > 0) || best > tol)
            continue;
        if (grow((void **)&ins, &cap_ins, n_ins + 1, sizeof *ins))
            goto out;
        ins[n_ins++] = (insertion){bl, bseg, bt, bx, by};
        w->xy[2 * k] = bx;
        w->xy[2 * k + 1] = by;
        st->snapped_to_lines++;
    }
    /* insert the points into their lines, in order along each */
    sort_n(ins, n_ins, sizeof *ins, cmp_insertion);
    for (size_t a = 0; a < n_ins;) {
        size_t b = a;
        while (b < n_ins && ins[b].line == ins[a].line)
            b++;
        wline *o = &L->v[ins[a].line];
        double *xy = malloc((size_t)(o->n + (int)(b - a)) * 2 * sizeof *xy);
        if (!xy)
            goto out;
        int k = 0;
        size_t q = a;
        for (int i = 0; i < o->n; i++) {
            xy[2 * k] = o->xy[2 * i];
            xy[2 * k + 1] = o->xy[2 * i + 1];
            k++;
            for (; q < b && ins[q].seg == i; q++) {
                xy[2 * k] = ins[q].x;
                xy[2 * k + 1] = ins[q].y;
                k++;
            }
        }
        free(o->xy);
        o->xy = xy;
        o->n = k;
        st->zero_len_segments += (size_t)dedup_vertices(o->xy, &o->n);
        a = b;
    }
    for (size_t i = 0; i < n; i++) {
        wline *w = &L->v[i];
        if (w->dead)
            continue;
        dedup_vertices(w->xy, &w->n);
        if (w->n < 2) {
            w->dead = 1;
            st->zero_len_lines++;
        }
    }
    rc = 0;
out:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (g) {
        for (size_t i = 0; i < n; i++)
            if (g[i])
                GEOSGeom_destroy_r(h, g[i]);
        free(g);
    }
    free(ids);
    free(ep);
    free(dangling);
    free(ins);
    free(hs.v);
    return rc;
}

/* ------------------------------------------------------------------ */
/* nearest edge search */

/* The distance from a footprint to an edge is computed here on coordinate
 * arrays (segment pairs pruned by bounding boxes, then a point-in-polygon
 * test for an edge lying inside the footprint), which is several times
 * faster than GEOSDistance for the many candidates a nearest search
 * visits; other query shapes (the root's point) go through GEOS. */
typedef struct {
    GEOSContextHandle_t h;
    GEOSGeometry **eg;       /* edge geometries */
    const fp_net_edge *edges;
    const GEOSGeometry *q;   /* query geometry */
    int sentinel;            /* its item address */
    /* the query footprint's rings, when shape_ok */
    int shape_ok;
    double *sxy;
    int *roff;               /* ring r is vertices roff[r]..roff[r+1]-1 */
    int nr;
    size_t cap_xy, cap_r;
    double bb[4];
} nn_ctx;

static int shape_add_ring(nn_ctx *c, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(c->h, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(c->h, seq, &n) || n < 2)
        return -1;
    size_t have = c->nr ? (size_t)c->roff[c->nr] : 0;
    if (grow((void **)&c->sxy, &c->cap_xy, 2 * (have + n), sizeof *c->sxy) ||
        grow((void **)&c->roff, &c->cap_r, (size_t)c->nr + 2, sizeof *c->roff))
        return -1;
    if (!GEOSCoordSeq_copyToBuffer_r(c->h, seq, c->sxy + 2 * have, 0, 0))
        return -1;
    c->roff[c->nr] = (int)have;
    c->roff[c->nr + 1] = (int)(have + n);
    c->nr++;
    return 0;
}

static int shape_add_polygon(nn_ctx *c, const GEOSGeometry *p)
{
    if (shape_add_ring(c, GEOSGetExteriorRing_r(c->h, p)))
        return -1;
    int ni = GEOSGetNumInteriorRings_r(c->h, p);
    for (int i = 0; i < ni; i++)
        if (shape_add_ring(c, GEOSGetInteriorRingN_r(c->h, p, i)))
            return -1;
    return 0;
}

/* Sets the query geometry; polygons get their rings copied for the fast
 * distance. */
static void nn_set_query(nn_ctx *c, const GEOSGeometry *g)
{
    c->q = g;
    c->nr = 0;
    c->shape_ok = 0;
    int t = GEOSGeomTypeId_r(c->h, g);
    int ok = 0;
    if (t == GEOS_POLYGON) {
        ok = shape_add_polygon(c, g) == 0;
    } else if (t == GEOS_MULTIPOLYGON) {
        int np = GEOSGetNumGeometries_r(c->h, g);
        ok = np > 0;
        for (int i = 0; i < np && ok; i++)
            ok = shape_add_polygon(c, GEOSGetGeometryN_r(c->h, g, i)) == 0;
    }
    if (!ok || c->nr == 0)
        return;
    c->bb[0] = c->bb[2] = c->sxy[0];
    c->bb[1] = c->bb[3] = c->sxy[1];
    for (int k = 0; k < c->roff[c->nr]; k++) {
        double x = c->sxy[2 * k], y = c->sxy[2 * k + 1];
        if (!isfinite(x) || !isfinite(y))
            return;
        c->bb[0] = fmin(c->bb[0], x);
        c->bb[1] = fmin(c->bb[1], y);
        c->bb[2] = fmax(c->bb[2], x);
        c->bb[3] = fmax(c->bb[3], y);
    }
    c->shape_ok = 1;
}

/* Squared distance from p to segment ab. */
static double pt_seg2(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, L2 = dx * dx + dy * dy;
    double t = L2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / L2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = px - ax - t * dx, ey = py - ay - t * dy;
    return ex * ex + ey * ey;
}

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static double min2(double a, double b)
{
    return a < b ? a : b;
}

/* Squared distance between segments ab and cd (0 if they cross). */
static double seg_seg2(const double *a, const double *b, const double *c, const double *d)
{
    double o1 = orient(a[0], a[1], b[0], b[1], c[0], c[1]);
    double o2 = orient(a[0], a[1], b[0], b[1], d[0], d[1]);
    double o3 = orient(c[0], c[1], d[0], d[1], a[0], a[1]);
    double o4 = orient(c[0], c[1], d[0], d[1], b[0], b[1]);
    if (((o1 < 0 && o2 > 0) || (o1 > 0 && o2 < 0)) && ((o3 < 0 && o4 > 0) || (o3 > 0 && o4 < 0)))
        return 0;
    double m = pt_seg2(a[0], a[1], c[0], c[1], d[0], d[1]);
    m = min2(m, pt_seg2(b[0], b[1], c[0], c[1], d[0], d[1]));
    m = min2(m, pt_seg2(c[0], c[1], a[0], a[1], b[0], b[1]));
    return min2(m, pt_seg2(d[0], d[1], a[0], a[1], b[0], b[1]));
}

/* Even-odd rule over every ring: inside the footprint, holes excluded. */
static int shape_contains(const nn_ctx *c, double px, double py)
{
    int in = 0;
    for (int r = 0; r < c->nr; r++)
        for (int k = c->roff[r]; k + 1 < c->roff[r + 1]; k++) {
            double ax = c->sxy[2 * k], ay = c->sxy[2 * k + 1];
            double bx = c->sxy[2 * k + 2], by = c->sxy[2 * k + 3];
            if ((ay > py) != (by > py) && px < ax + (py - ay) * (bx - ax) / (by - ay))
                in = !in;
        }
    return in;
}

/* Squared gap between two boxes (minx, miny, maxx, maxy). */
static double box_gap2(const double *a, const double *b)
{
    double dx = a[0] - b[2] > b[0] - a[2] ? a[0] - b[2] : b[0] - a[2];
    double dy = a[1] - b[3] > b[1] - a[3] ? a[1] - b[3] : b[1] - a[3];
    dx = dx > 0 ? dx : 0;
    dy = dy > 0 ? dy : 0;
    return dx * dx + dy * dy;
}

static double shape_edge_dist(const nn_ctx *c, int e)
{
    const fp_net_edge *ed = &c->edges[e];
    double best = INFINITY;
    for (int j = 0; j + 1 < ed->n_pts; j++) {
        const double *p = ed->xy + 2 * j, *q = p + 2;
        double sb[4] = {min2(p[0], q[0]), min2(p[1], q[1]), p[0] > q[0] ? p[0] : q[0],
                        p[1] > q[1] ? p[1] : q[1]};
        if (box_gap2(sb, c->bb) >= best)
            continue;
        for (int r = 0; r < c->nr; r++)
            for (int k = c->roff[r]; k + 1 < c->roff[r + 1]; k++) {
                double d = seg_seg2(c->sxy + 2 * k, c->sxy + 2 * k + 2, p, q);
                if (d < best) {
                    best = d;
                    if (best == 0)
                        return 0;
                }
            }
    }
    if (shape_contains(c, ed->xy[0], ed->xy[1]))
        return 0;
    return sqrt(best);
}

static int nn_dist(const void *a, const void *b, double *d, void *ud)
{
    nn_ctx *c = ud;
    const void *item = a == &c->sentinel ? b : a;
    int e = *(const int *)item;
    if (c->shape_ok) {
        *d = shape_edge_dist(c, e);
        return 1;
    }
    /* GEOS treats a zero return as failure (and throws). */
    return GEOSDistance_r(c->h, c->q, c->eg[e], d) == 1;
}

typedef struct {
    int edge;        /* edge index before splitting */
    double s;        /* arc length along it */
    long building;   /* ds index, or -1 for a site */
    double bx, by;   /* the point on the building (or the site) */
    size_t seq;      /* order of creation, for stable sorting */
    int site;        /* ds->sites index of a site's attachment, else -1 */
} attach;

static int cmp_attach(const void *pa, const void *pb)
{
    const attach *a = pa, *b = pb;
    int c;
    if ((c = ord_i(a->edge, b->edge)) || (c = ord_d(a->s, b->s)))
        return c;
    return ord_i((long long)a->seq, (long long)b->seq);
}

static int cmp_unreach(const void *pa, const void *pb)
{
    const fp_unreachable *a = pa, *b = pb;
    return ord_i((long long)a->building, (long long)b->building);
}

/* ------------------------------------------------------------------ */
typedef struct {
    double *xy;
    int n;
    int u, v;
    int src;     /* source line */
    int dead;
} piece;

typedef struct {
    const piece *p;
    int idx;
} pref;

static int pieces_equal(const piece *a, const piece *b)
{
    if (a->n != b->n)
        return 0;
    int fw = 1, bw = 1, n = a->n;
    for (int i = 0; i < n && (fw || bw); i++) {
        if (fabs(a->xy[2 * i] - b->xy[2 * i]) > 1e-7 ||
            fabs(a->xy[2 * i + 1] - b->xy[2 * i + 1]) > 1e-7)
            fw = 0;
        if (fabs(a->xy[2 * i] - b->xy[2 * (n - 1 - i)]) > 1e-7 ||
            fabs(a->xy[2 * i + 1] - b->xy[2 * (n - 1 - i) + 1]) > 1e-7)
            bw = 0;
    }
    return fw || bw;
}

static int cmp_pref(const void *pa, const void *pb)
{
    const pref *a = pa, *b = pb;
    int au = a->p->u < a->p->v ? a->p->u : a->p->v, av = a->p->u < a->p->v ? a->p->v : a->p->u;
    int bu = b->p->u < b->p->v ? b->p->u : b->p->v, bv = b->p->u < b->p->v ? b->p->v : b->p->u;
    int c;
    if ((c = ord_i(au, bu)) || (c = ord_i(av, bv)) || (c = ord_i(a->p->n, b->p->n)))
        return c;
    return ord_i(a->idx, b->idx);
}

/* ------------------------------------------------------------------ */

void fp_network_free(fp_network *net)
{
    if (!net)
        return;
    for (size_t i = 0; i < net->n_edges; i++)
        free(net->edges[i].xy);
    free(net->edges);
    free(net->nodes);
    free(net->building_node);
    free(net->building_block);
    free(net->site_node);
    if (net->ds)
        for (size_t i = 0; i < net->n_blocks; i++)
            if (net->blocks[i].geom)
                GEOSGeom_destroy_r(net->ds->geos, net->blocks[i].geom);
    free(net->blocks);
    free(net->unreachable);
    free(net);
}

/* Stage 1-4: lines, snapping, noding, graph of street edges. */
static int build_street_graph(builder *b, wlines *L, fp_error *err)
{
    const fp_dataset *ds = b->ds;
    GEOSContextHandle_t h = b->h;
    fp_network *net = b->net;
    fp_network_stats *st = &net->stats;
    int rc = FP_OK;
    GEOSGeometry **lg = NULL, *coll = NULL, *noded = NULL;
    GEOSGeometry **street_g = NULL;
    GEOSSTRtree *tree = NULL;
    int *ids = NULL, *lidx = NULL;
    piece *pc = NULL;
    size_t n_pc = 0, cap_pc = 0;
    endpt *ep = NULL;
    pref *pr = NULL;
    hits hs = {0};

    /* 1. streets */
    for (size_t i = 0; i < ds->n_streets; i++) {
        const fp_street *s = &ds->streets[i];
        if (class_excluded(b->opts->exclude_classes, s->cls)) {
            st->streets_excluded++;
            continue;
        }
        int bad = 0;
        if (add_geom_lines(h, s->geom, (long)i, FP_EDGE_TRENCH, s->cls, L, st, &bad)) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory reading streets");
            goto out;
        }
        if (bad == 1)
            st->streets_empty++;
        else if (bad == 2)
            st->streets_nonfinite++;
    }
    size_t n_street_lines = L->n;

    /* the infra lines' coordinates, once */
    b->il_off = calloc(ds->n_infra + 1, sizeof *b->il_off);
    if (!b->il_off) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    for (size_t i = 0; i < ds->n_infra; i++) {
        const fp_infra *in = &ds->infra[i];
        int bad = 0;
        if (in->kind != FP_INFRA_POLE &&
            add_geom_lines(h, in->geom, (long)i, FP_EDGE_DUCT, "", &b->il, NULL, &bad)) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory reading ducts");
            goto out;
        }
        b->il_off[i + 1] = b->il.n;
    }

    /* 2. infrastructure lines away from the streets become lines. */
    if (ds->n_infra > 0) {
        street_g = calloc(n_street_lines ? n_street_lines : 1, sizeof *street_g);
        ids = malloc((n_street_lines ? n_street_lines : 1) * sizeof *ids);
        if (!street_g || !ids) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        for (size_t i = 0; i < n_street_lines; i++)
            if (!(street_g[i] = make_line(h, L->v[i].xy, L->v[i].n))) {
                rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed building street %zu", i);
                goto out;
            }
        tree = build_tree(h, street_g, n_street_lines, ids);
        if (!tree) {
            rc = fp_error_set(err, FP_EGEOS, "network: GEOS STRtree failed");
            goto out;
        }
        const wline **cand = NULL;
        size_t cap_cand = 0;
        for (size_t i = 0; i < ds->n_infra; i++) {
            const fp_infra *in = &ds->infra[i];
            if (in->kind == FP_INFRA_POLE || b->il_off[i] == b->il_off[i + 1])
                continue; /* poles: stage 5 */
            if (query_grown(h, tree, in->geom, b->opts->infra_buffer, &hs) ||
                grow((void **)&cand, &cap_cand, hs.n + 1, sizeof *cand)) {
                free(cand);
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            for (size_t k = 0; k < hs.n; k++)
                cand[k] = &L->v[hs.v[k]];
            double tot = 0, cov = 0;
            for (size_t p = b->il_off[i]; p < b->il_off[i + 1]; p++) {
                const wline *w = &b->il.v[p];
                double lp = polyline_length(w->xy, w->n);
                tot += lp;
                cov += lp * sample_share(w->xy, w->n, cand, hs.n, b->opts->infra_buffer);
            }
            if (tot > 0 && cov / tot >= b->opts->infra_coverage) {
                st->infra_lines_matched++;
                continue;
            }
            fp_edge_kind k = in->kind == FP_INFRA_DUCT ? FP_EDGE_DUCT : FP_EDGE_AERIAL;
            for (size_t p = b->il_off[i]; p < b->il_off[i + 1]; p++) {
                const wline *w = &b->il.v[p];
                double *xy = malloc((size_t)w->n * 2 * sizeof *xy);
                if (!xy || add_line(L, xy, w->n, -1, k, "")) {
                    free(xy);
                    free(cand);
                    rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                    goto out;
                }
                memcpy(xy, w->xy, (size_t)w->n * 2 * sizeof *xy);
            }
            st->infra_lines_added++;
        }
        free(cand);
        GEOSSTRtree_destroy_r(h, tree);
        tree = NULL;
        for (size_t i = 0; i < n_street_lines; i++)
            GEOSGeom_destroy_r(h, street_g[i]);
        free(street_g);
        street_g = NULL;
        free(ids);
        ids = NULL;
    }

    /* 3. duplicates, then snapping of line ends */
    if (merge_duplicate_lines(L, st) || snap_endpoints(L, b->opts->snap_tolerance, st)) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory snapping endpoints");
        goto out;
    }
    if (snap_to_lines(h, L, b->opts->snap_tolerance, st)) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory snapping line ends");
        goto out;
    }
    /* snapping can make two lines equal */
    if (merge_duplicate_lines(L, st)) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }

    size_t n_live = 0;
    lidx = malloc((L->n ? L->n : 1) * sizeof *lidx);
    lg = malloc((L->n ? L->n : 1) * sizeof *lg);
    if (!lidx || !lg) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    for (size_t i = 0; i < L->n; i++) {
        if (L->v[i].dead)
            continue;
        if (L->v[i].street >= 0)
            st->streets_used++;
        lidx[n_live] = (int)i;
        lg[n_live] = make_line(h, L->v[i].xy, L->v[i].n);
        if (!lg[n_live]) {
            for (size_t k = 0; k < n_live; k++)
                GEOSGeom_destroy_r(h, lg[k]);
            rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed building a line");
            goto out;
        }
        n_live++;
    }
    if (n_live == 0)
        goto out;
    double in_len = 0, out_len = 0;
    for (size_t k = 0; k < n_live; k++)
        in_len += polyline_length(L->v[lidx[k]].xy, L->v[lidx[k]].n);
    coll = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lg, (unsigned)n_live);
    if (!coll) {
        for (size_t k = 0; k < n_live; k++)
            GEOSGeom_destroy_r(h, lg[k]);
        rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed collecting lines");
        goto out;
    }
    /* the collection owns the lines now; lg[k] stay valid as borrowed */
    for (size_t k = 0; k < n_live; k++)
        lg[k] = (GEOSGeometry *)GEOSGetGeometryN_r(h, coll, (int)k);

    /* 4. noding */
    noded = GEOSNode_r(h, coll);
    if (!noded) {
        fp_log_msg(b->log, FP_LOG_WARN, "network: noding failed, retrying with a union");
        noded = GEOSUnaryUnion_r(h, coll);
    }
    if (!noded) {
        rc = fp_error_set(err, FP_EGEOS, "network: GEOS could not node the street lines");
        goto out;
    }
    ids = malloc(n_live * sizeof *ids);
    if (!ids || !(tree = build_tree(h, lg, n_live, ids))) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    int np = GEOSGetNumGeometries_r(h, noded);
    for (int k = 0; k < np; k++) {
        const GEOSGeometry *g = GEOSGetGeometryN_r(h, noded, k);
        int t = GEOSGeomTypeId_r(h, g);
        if (t != GEOS_LINESTRING && t != GEOS_LINEARRING)
            continue;
        double *xy = NULL;
        int n = 0;
        if (line_xy(h, g, &xy, &n)) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        dedup_vertices(xy, &n);
        if (n < 2) {
            free(xy);
            continue;
        }
        /* source line: the nearest to the middle of the first segment */
        double mx = 0.5 * (xy[0] + xy[2]), my = 0.5 * (xy[1] + xy[3]);
        GEOSGeometry *box = GEOSGeom_createRectangle_r(h, mx - 1e-3, my - 1e-3, mx + 1e-3,
                                                       my + 1e-3);
        hs.n = 0;
        hs.oom = 0;
        if (box) {
            GEOSSTRtree_query_r(h, tree, box, hits_cb, &hs);
            GEOSGeom_destroy_r(h, box);
        }
        if (!box || hs.oom) {
            free(xy);
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        int best = -1;
        double bd = INFINITY;
        for (size_t c = 0; c < hs.n; c++) {
            const wline *w = &L->v[lidx[hs.v[c]]];
            double d = project_polyline(w->xy, w->n, mx, my, NULL, NULL, NULL);
            if (d < bd - 1e-12 || (fabs(d - bd) <= 1e-12 && hs.v[c] < best)) {
                bd = d;
                best = hs.v[c];
            }
        }
        /* best < 0 cannot happen for a piece of the input lines; should
         * the noder ever move a piece, it stays a classless trench */
        if (grow((void **)&pc, &cap_pc, n_pc + 1, sizeof *pc)) {
            free(xy);
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        pc[n_pc].xy = xy;
        pc[n_pc].n = n;
        pc[n_pc].src = best >= 0 ? lidx[best] : -1;
        pc[n_pc].dead = 0;
        n_pc++;
    }

    /* nodes: piece endpoints with equal coordinates */
    ep = malloc((n_pc ? 2 * n_pc : 1) * sizeof *ep);
    if (!ep) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_pc; i++)
        for (int e = 0; e < 2; e++) {
            int k = e ? pc[i].n - 1 : 0;
            ep[2 * i + (size_t)e].x = pc[i].xy[2 * k];
            ep[2 * i + (size_t)e].y = pc[i].xy[2 * k + 1];
            ep[2 * i + (size_t)e].id = (int)(2 * i) + e;
        }
    sort_n(ep, 2 * n_pc, sizeof *ep, cmp_endpt);
    for (size_t i = 0; i < 2 * n_pc; i++) {
        int node;
        if (i > 0 && ep[i].x == ep[i - 1].x && ep[i].y == ep[i - 1].y)
            node = (int)net->n_nodes - 1;
        else if ((node = add_node(b, ep[i].x, ep[i].y, FP_NODE_JUNCTION, -1)) < 0) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        piece *p = &pc[ep[i].id / 2];
        if (ep[i].id % 2)
            p->v = node;
        else
            p->u = node;
    }
    /* overlapping lines and self-overlaps leave equal pieces: keep one */
    pr = malloc((n_pc ? n_pc : 1) * sizeof *pr);
    if (!pr) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_pc; i++) {
        pr[i].p = &pc[i];
        pr[i].idx = (int)i;
    }
    sort_n(pr, n_pc, sizeof *pr, cmp_pref);
    for (size_t i = 0; i < n_pc; i++) {
        if (pc[pr[i].idx].dead)
            continue;
        for (size_t j = i + 1; j < n_pc && cmp_pref(&pr[i], &pr[j]) < 0; j++) {
            const piece *a = pr[i].p, *c = pr[j].p;
            int au = a->u < a->v ? a->u : a->v, av = a->u < a->v ? a->v : a->u;
            int cu = c->u < c->v ? c->u : c->v, cv = c->u < c->v ? c->v : c->u;
            if (au != cu || av != cv || a->n != c->n)
                break;
            if (!pc[pr[j].idx].dead && pieces_equal(a, c)) {
                pc[pr[j].idx].dead = 1;
                st->overlap_pieces++;
            }
        }
    }
    /* edges in piece order (the noder's order, deterministic) */
    for (size_t i = 0; i < n_pc; i++) {
        if (pc[i].dead) {
            free(pc[i].xy);
            pc[i].xy = NULL;
            continue;
        }
        const wline *w = pc[i].src >= 0 ? &L->v[pc[i].src] : NULL;
        out_len += polyline_length(pc[i].xy, pc[i].n);
        int e = add_edge(b, pc[i].u, pc[i].v, w ? w->kind : FP_EDGE_TRENCH, w ? w->cls : "",
                         w ? w->street : -1, pc[i].xy, pc[i].n);
        pc[i].xy = NULL;
        if (e < 0) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
    }
    /* the noder dissolves overlaps itself: measure what it merged */
    if (in_len - out_len > 1e-6 * (in_len > 1 ? in_len : 1))
        st->overlap_m = in_len - out_len;

out:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (street_g) {
        for (size_t i = 0; i < n_street_lines; i++)
            if (street_g[i])
                GEOSGeom_destroy_r(h, street_g[i]);
        free(street_g);
    }
    for (size_t i = 0; i < n_pc; i++)
        free(pc[i].xy);
    free(pc);
    free(ep);
    free(pr);
    free(hs.v);
    free(ids);
    free(lidx);
    free(lg);
    if (coll)
        GEOSGeom_destroy_r(h, coll);
    if (noded)
        GEOSGeom_destroy_r(h, noded);
    return rc;
}

typedef struct {
    double s, x, y;
    int idx;
} pole_at;

static int cmp_pole_at(const void *pa, const void *pb)
{
    const pole_at *a = pa, *b = pb;
    int c = ord_d(a->s, b->s);
    return c ? c : ord_i(a->idx, b->idx);
}

/* Share of an edge spanned by a chain of poles: poles beside the edge
 * (within buf) or beyond its ends (within span/2 of an end), sorted along
 * it; each gap between consecutive poles no longer than span counts as
 * covered. Marks the poles of covered gaps in used_now. */
static double pole_share(const fp_dataset *ds, GEOSContextHandle_t h, const fp_net_edge *ed,
                         const hits *cand, double buf, double span, pole_at **tmp,
                         size_t *cap, unsigned char *used_now)
{
    size_t m = 0;
    double len = ed->length;
    for (size_t k = 0; k < cand->n; k++) {
        double x, y, sx, qx, qy;
        const GEOSGeometry *g = ds->infra[cand->v[k]].geom;
        if (GEOSGeomGetX_r(h, g, &x) != 1 || GEOSGeomGetY_r(h, g, &y) != 1)
            continue;
        double d = project_polyline(ed->xy, ed->n_pts, x, y, &sx, &qx, &qy);
        int at_end = sx <= 1e-9 || sx >= len - 1e-9;
        if (d > (at_end ? 0.5 * span : buf))
            continue;
        if (grow((void **)tmp, cap, m + 1, sizeof **tmp))
            return -1;
        (*tmp)[m++] = (pole_at){sx, x, y, cand->v[k]};
    }
    sort_n(*tmp, m, sizeof **tmp, cmp_pole_at);
    double covered = 0;
    for (size_t k = 0; k + 1 < m; k++) {
        const pole_at *a = &(*tmp)[k], *c = &(*tmp)[k + 1];
        if (dist2d(a->x - c->x, a->y - c->y) <= span) {
            covered += c->s - a->s;
            used_now[a->idx] = used_now[c->idx] = 1;
        }
    }
    return len > 0 ? covered / len : 0;
}

/* Stage 5: an edge mostly covered by a duct (or aerial line, or a chain of
 * poles) reuses it; the cheapest way wins. */
static int match_infra(builder *b, fp_error *err)
{
    const fp_dataset *ds = b->ds;
    GEOSContextHandle_t h = b->h;
    fp_network *net = b->net;
    const fp_costs *c = &net->costs;
    int rc = FP_OK;
    GEOSGeometry **ig = NULL, **pg = NULL;
    int *ids = NULL, *pids = NULL;
    GEOSSTRtree *tree = NULL, *ptree = NULL;
    hits hs = {0};
    const wline **sel = NULL;
    size_t cap_sel = 0;
    pole_at *tmp = NULL;
    size_t cap_tmp = 0;
    unsigned char *used = NULL, *used_now = NULL;
    if (ds->n_infra == 0)
        return FP_OK;
    ig = calloc(ds->n_infra, sizeof *ig);
    pg = calloc(ds->n_infra, sizeof *pg);
    ids = malloc(ds->n_infra * sizeof *ids);
    pids = malloc(ds->n_infra * sizeof *pids);
    used = calloc(ds->n_infra, 1);
    used_now = calloc(ds->n_infra, 1);
    if (!ig || !pg || !ids || !pids || !used || !used_now) {
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    size_t n_lines = 0, n_poles = 0;
    for (size_t i = 0; i < ds->n_infra; i++) {
        const fp_infra *in = &ds->infra[i];
        if (!in->geom || GEOSisEmpty_r(h, in->geom) != 0)
            continue;
        if (in->kind != FP_INFRA_POLE) {
            ig[i] = in->geom;
            n_lines++;
        } else if (GEOSGeomTypeId_r(h, in->geom) == GEOS_POINT) {
            pg[i] = in->geom;
            n_poles++;
        }
    }
    double span = b->opts->pole_span;
    if (!(span > 0))
        n_poles = 0;
    if ((n_lines && !(tree = build_tree(h, ig, ds->n_infra, ids))) ||
        (n_poles && !(ptree = build_tree(h, pg, ds->n_infra, pids)))) {
        rc = fp_error_set(err, FP_EGEOS, "network: GEOS STRtree failed");
        goto out;
    }
    for (size_t e = 0; e < net->n_edges && (tree || ptree); e++) {
        fp_net_edge *ed = &net->edges[e];
        if (ed->kind != FP_EDGE_TRENCH || !(ed->length > 0))
            continue;
        GEOSGeometry *g = make_line(h, ed->xy, ed->n_pts);
        hs.n = 0;
        if (!g || (tree && query_grown(h, tree, g, b->opts->infra_buffer, &hs))) {
            if (g)
                GEOSGeom_destroy_r(h, g);
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        fp_edge_kind best = FP_EDGE_TRENCH;
        double best_rate = fp_costs_trench(c, ed->cls);
        for (int kind = 0; kind < 2 && hs.n > 0; kind++) {
            fp_infra_kind want = kind == 0 ? FP_INFRA_DUCT : FP_INFRA_AERIAL;
            size_t nsel = 0;
            for (size_t k = 0; k < hs.n; k++) {
                int i = hs.v[k];
                if (ds->infra[i].kind != want)
                    continue;
                for (size_t p = b->il_off[i]; p < b->il_off[i + 1]; p++) {
                    if (grow((void **)&sel, &cap_sel, nsel + 1, sizeof *sel)) {
                        GEOSGeom_destroy_r(h, g);
                        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                        goto out;
                    }
                    sel[nsel++] = &b->il.v[p];
                }
            }
            if (nsel == 0)
                continue;
            double share = sample_share(ed->xy, ed->n_pts, sel, nsel, b->opts->infra_buffer);
            double rate = kind == 0 ? c->duct_reuse : c->aerial;
            if (share >= b->opts->infra_coverage && rate < best_rate) {
                best_rate = rate;
                best = kind == 0 ? FP_EDGE_DUCT : FP_EDGE_AERIAL;
            }
        }
        if (ptree && c->aerial < best_rate) {
            if (query_grown(h, ptree, g, 0.5 * span, &hs)) {
                GEOSGeom_destroy_r(h, g);
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            for (size_t k = 0; k < hs.n; k++)
                used_now[hs.v[k]] = 0;
            double share = pole_share(ds, h, ed, &hs, b->opts->infra_buffer, span, &tmp,
                                      &cap_tmp, used_now);
            if (share < 0) {
                GEOSGeom_destroy_r(h, g);
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            if (share >= b->opts->infra_coverage) {
                best_rate = c->aerial;
                best = FP_EDGE_AERIAL;
                for (size_t k = 0; k < hs.n; k++)
                    used[hs.v[k]] |= used_now[hs.v[k]];
            }
        }
        GEOSGeom_destroy_r(h, g);
        ed->kind = best;
    }
    for (size_t i = 0; i < ds->n_infra; i++)
        if (ds->infra[i].kind == FP_INFRA_POLE) {
            if (used[i])
                net->stats.infra_poles_used++;
            else
                net->stats.infra_poles_ignored++;
        }
out:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (ptree)
        GEOSSTRtree_destroy_r(h, ptree);
    free(ig);
    free(pg);
    free(ids);
    free(pids);
    free(used);
    free(used_now);
    free(tmp);
    free(hs.v);
    free(sel);
    return rc;
}

/* Where a building's drop meets edge e: the footprint's nearest point
 * (px,py), the arc length s along the edge and the drop length d. */
static int drop_point(GEOSContextHandle_t h, const GEOSGeometry *bg, const GEOSGeometry *eg,
                      const fp_net_edge *e, double *px, double *py, double *s, double *d)
{
    GEOSCoordSequence *np = GEOSNearestPoints_r(h, bg, eg);
    double sx = 0, sy = 0;
    *px = *py = 0;
    int ok = np && GEOSCoordSeq_getXY_r(h, np, 0, px, py) &&
             GEOSCoordSeq_getXY_r(h, np, 1, &sx, &sy);
    if (np)
        GEOSCoordSeq_destroy_r(h, np);
    if (!ok)
        return -1;
    double qx, qy;
    project_polyline(e->xy, e->n_pts, sx, sy, s, &qx, &qy);
    *d = dist2d(*px - qx, *py - qy);
    return 0;
}

/* Stage 6: buildings and sites onto the nearest edge point; split edges. */
static int attach_all(builder *b, fp_error *err)
{
    const fp_dataset *ds = b->ds;
    GEOSContextHandle_t h = b->h;
    fp_network *net = b->net;
    fp_network_stats *st = &net->stats;
    int rc = FP_OK;
    size_t ne = net->n_edges;
    GEOSGeometry **eg = NULL;
    int *ids = NULL;
    GEOSSTRtree *tree = NULL;
    attach *at = NULL;
    size_t n_at = 0, cap_at = 0;
    fp_net_edge *old = NULL;
    GEOSSTRtree *tree_main = NULL;
    int *comp = NULL;
    unsigned char *site_comp = NULL; /* [street component]: a site is linked to it */
    nn_ctx nc;
    memset(&nc, 0, sizeof nc);

    if (ne > 0) {
        eg = calloc(ne, sizeof *eg);
        ids = malloc(ne * sizeof *ids);
        if (!eg || !ids) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        for (size_t e = 0; e < ne; e++)
            if (!(eg[e] = make_line(h, net->edges[e].xy, net->edges[e].n_pts))) {
                rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed building edge %zu", e);
                goto out;
            }
        if (!(tree = build_tree(h, eg, ne, ids))) {
            rc = fp_error_set(err, FP_EGEOS, "network: GEOS STRtree failed");
            goto out;
        }
    }
    nc.h = h;
    nc.eg = eg;
    nc.edges = net->edges;
    /* the sites first, so their attachments sort before buildings at one point */
    if (ds->n_sites > 0) {
        char where[800];
        if (!tree) {
            rc = fp_error_set(err, FP_EINPUT,
                              "network: %s: there is no street to connect it to",
                              site_name(ds, &ds->sites[0], where, sizeof where));
            goto out;
        }
        /* components of the street graph, and the longest one */
        comp = calloc(net->n_nodes ? net->n_nodes : 1, sizeof *comp);
        site_comp = calloc(net->n_nodes ? net->n_nodes : 1, 1);
        double *clen = calloc(net->n_nodes ? net->n_nodes : 1, sizeof *clen);
        if (!comp || !site_comp || !clen) {
            free(clen);
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        for (size_t k = 0; k < net->n_nodes; k++)
            comp[k] = (int)k;
        for (size_t k = 0; k < ne; k++)
            uf_union(comp, net->edges[k].u, net->edges[k].v);
        for (size_t k = 0; k < net->n_nodes; k++)
            comp[k] = uf_find(comp, (int)k);
        int big = -1;
        for (size_t k = 0; k < ne; k++) {
            int c = comp[net->edges[k].u];
            clen[c] += net->edges[k].length;
            if (big < 0 || clen[c] > clen[big] || (clen[c] == clen[big] && c < big))
                big = c;
        }
        free(clen);
        for (size_t i = 0; i < ds->n_sites; i++) {
            const fp_site *s = &ds->sites[i];
            if (!isfinite(s->x) || !isfinite(s->y)) {
                rc = fp_error_set(err, FP_EINPUT, "network: %s has no finite coordinates",
                                  site_name(ds, s, where, sizeof where));
                goto out;
            }
            GEOSGeometry *sitept = NULL;
            GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, 1, 2);
            if (seq && (!GEOSCoordSeq_setXY_r(h, seq, 0, s->x, s->y) ||
                        !(sitept = GEOSGeom_createPoint_r(h, seq)))) {
                GEOSCoordSeq_destroy_r(h, seq);
                seq = NULL;
            }
            if (!sitept) {
                rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed making a site's point");
                goto out;
            }
            nn_set_query(&nc, sitept);
            const void *it =
                GEOSSTRtree_nearest_generic_r(h, tree, &nc.sentinel, sitept, nn_dist, &nc);
            GEOSGeom_destroy_r(h, sitept);
            if (!it) {
                rc = fp_error_set(err, FP_EGEOS, "network: nearest street search failed");
                goto out;
            }
            int e = *(const int *)it;
            double sx, qx, qy;
            double d = project_polyline(net->edges[e].xy, net->edges[e].n_pts, s->x, s->y, &sx,
                                        &qx, &qy);
            if (comp[net->edges[e].u] != big) {
                /* the nearest street is an island: prefer the main (longest)
                 * network if it is within a drop's reach (max_drop) */
                int e2 = -1;
                double d2 = INFINITY, s2 = 0;
                for (size_t k = 0; k < ne; k++) {
                    if (comp[net->edges[k].u] != big)
                        continue;
                    double sk, dk = project_polyline(net->edges[k].xy, net->edges[k].n_pts,
                                                     s->x, s->y, &sk, &qx, &qy);
                    if (dk < d2) {
                        d2 = dk;
                        e2 = (int)k;
                        s2 = sk;
                    }
                }
                if (e2 >= 0 && d2 <= b->opts->max_drop && d2 <= b->opts->max_link) {
                    fp_log_msg(b->log, FP_LOG_WARN,
                               "network: site '%s': its nearest street (%.1f m) is cut off "
                               "from the main street network; linked to the main network "
                               "instead (%.1f m)",
                               s->id, d, d2);
                    e = e2;
                    d = d2;
                    sx = s2;
                }
            }
            if (d > b->opts->max_link) {
                rc = fp_error_set(err, FP_EINPUT,
                                  "network: %s is %.1f m from the nearest street, farther "
                                  "than [network] max_link = %g m",
                                  site_name(ds, s, where, sizeof where), d, b->opts->max_link);
                goto out;
            }
            if (grow((void **)&at, &cap_at, n_at + 1, sizeof *at)) {
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            at[n_at] = (attach){e, sx, -1, s->x, s->y, n_at, (int)i};
            n_at++;
            site_comp[comp[net->edges[e].u]] = 1;
        }
        /* the edges of the sites' components, for drops past islands */
        size_t n_main = 0;
        for (size_t k = 0; k < ne; k++)
            n_main += site_comp[comp[net->edges[k].u]];
        if (n_main < ne) {
            if (!(tree_main = GEOSSTRtree_create_r(h, 10))) {
                rc = fp_error_set(err, FP_EGEOS, "network: GEOS STRtree failed");
                goto out;
            }
            for (size_t k = 0; k < ne; k++)
                if (site_comp[comp[net->edges[k].u]])
                    GEOSSTRtree_insert_r(h, tree_main, eg[k], &ids[k]);
        }
    } else {
        fp_log_msg(b->log, FP_LOG_WARN,
                   "network: no site given: the network has no root (central office)");
    }

    for (size_t i = 0; i < ds->n_buildings; i++) {
        const fp_building *bd = &ds->buildings[i];
        if (bd->dwellings <= 0) {
            st->buildings_no_dwellings++;
            continue;
        }
        if (!bd->geom || GEOSisEmpty_r(h, bd->geom) != 0) {
            rc = fp_error_set(err, FP_EINPUT, "network: building %zu (fid %lld) has no geometry",
                              i, bd->fid);
            goto out;
        }
        if (!tree) {
            if (add_unreach(b, i, FP_UNREACH_NO_STREET, 0)) {
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            continue;
        }
        nn_set_query(&nc, bd->geom);
        const void *it = GEOSSTRtree_nearest_generic_r(h, tree, &nc.sentinel, bd->geom, nn_dist,
                                                       &nc);
        if (!it) {
            rc = fp_error_set(err, FP_EGEOS,
                              "network: nearest street search failed for building %zu (fid %lld)",
                              i, bd->fid);
            goto out;
        }
        int e = *(const int *)it;
        double px, py, s, d;
        if (drop_point(h, bd->geom, eg[e], &net->edges[e], &px, &py, &s, &d)) {
            rc = fp_error_set(err, FP_EGEOS,
                              "network: nearest points failed for building %zu (fid %lld)", i,
                              bd->fid);
            goto out;
        }
        if (tree_main && !site_comp[comp[net->edges[e].u]]) {
            /* the nearest street is an island: a site's network may
             * still be within reach */
            it = GEOSSTRtree_nearest_generic_r(h, tree_main, &nc.sentinel, bd->geom, nn_dist, &nc);
            double px2, py2, s2, d2;
            if (it && !drop_point(h, bd->geom, eg[*(const int *)it], &net->edges[*(const int *)it],
                                  &px2, &py2, &s2, &d2) &&
                d2 <= b->opts->max_drop) {
                e = *(const int *)it;
                px = px2;
                py = py2;
                s = s2;
                d = d2;
                st->attach_rerouted++;
            }
        }
        if (d > b->opts->max_drop) {
            if (add_unreach(b, i, FP_UNREACH_TOO_FAR, d)) {
                rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
                goto out;
            }
            continue;
        }
        if (grow((void **)&at, &cap_at, n_at + 1, sizeof *at)) {
            rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
            goto out;
        }
        at[n_at] = (attach){e, s, (long)i, px, py, n_at, -1};
        n_at++;
    }

    /* split edges at attachment points, in order along each edge */
    sort_n(at, n_at, sizeof *at, cmp_attach);
    old = net->edges;
    net->edges = NULL;
    net->n_edges = 0;
    b->cap_edges = 0;
    int *at_node = malloc((n_at ? n_at : 1) * sizeof *at_node);
    if (!at_node) {
        net->edges = old;
        net->n_edges = ne;
        old = NULL;
        rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
        goto out;
    }
    size_t a = 0;
    for (size_t e = 0; e < ne; e++) {
        fp_net_edge *oe = &old[e];
        if (a >= n_at || at[a].edge != (int)e) {
            int k = add_edge(b, oe->u, oe->v, oe->kind, oe->cls, oe->street, oe->xy, oe->n_pts);
            oe->xy = NULL;
            if (k < 0)
                goto oom_split;
            continue;
        }
        double prev_s = 0;
        int prev_node = oe->u;
        size_t a0 = a;
        while (a < n_at && at[a].edge == (int)e) {
            double s = at[a].s;
            int node;
            if (s <= ATTACH_EPS)
                node = oe->u;
            else if (s >= oe->length - ATTACH_EPS)
                node = oe->v;
            else if (a > a0 && s - at[a - 1].s < ATTACH_EPS && at_node[a - 1] != oe->u)
                node = at_node[a - 1];
            else {
                double x, y;
                point_at(oe->xy, oe->n_pts, s, &x, &y);
                if ((node = add_node(b, x, y, FP_NODE_JUNCTION, -1)) < 0)
                    goto oom_split;
                int n2 = 0;
                double *xy = sub_polyline(oe->xy, oe->n_pts, prev_s, s, &n2);
                if (!xy || add_edge(b, prev_node, node, oe->kind, oe->cls, oe->street, xy, n2) < 0)
                    goto oom_split;
                /* exact node coordinates at both ends of the piece */
                fp_net_edge *ne2 = &net->edges[net->n_edges - 1];
                ne2->xy[0] = net->nodes[prev_node].x;
                ne2->xy[1] = net->nodes[prev_node].y;
                ne2->xy[2 * n2 - 2] = x;
                ne2->xy[2 * n2 - 1] = y;
                prev_s = s;
                prev_node = node;
            }
            at_node[a] = node;
            a++;
        }
        /* the rest of the edge */
        if (prev_node == oe->u && prev_s == 0) {
            int k = add_edge(b, oe->u, oe->v, oe->kind, oe->cls, oe->street, oe->xy, oe->n_pts);
            oe->xy = NULL;
            if (k < 0)
                goto oom_split;
        } else {
            int n2 = 0;
            double *xy = sub_polyline(oe->xy, oe->n_pts, prev_s, oe->length, &n2);
            if (!xy || add_edge(b, prev_node, oe->v, oe->kind, oe->cls, oe->street, xy, n2) < 0)
                goto oom_split;
            fp_net_edge *ne2 = &net->edges[net->n_edges - 1];
            ne2->xy[0] = net->nodes[prev_node].x;
            ne2->xy[1] = net->nodes[prev_node].y;
            ne2->xy[2 * n2 - 2] = net->nodes[oe->v].x;
            ne2->xy[2 * n2 - 1] = net->nodes[oe->v].y;
        }
    }
    /* drops and the sites' links, in attachment creation order */
    {
        /* order by seq: sites (seq 0..) first, then buildings by index */
        size_t *ord = malloc((n_at ? n_at : 1) * sizeof *ord);
        if (!ord)
            goto oom_split;
        for (size_t k = 0; k < n_at; k++)
            ord[at[k].seq] = k;
        for (size_t q = 0; q < n_at; q++) {
            const attach *t = &at[ord[q]];
            int jn = at_node[ord[q]];
            int bn = add_node(b, t->bx, t->by, t->building < 0 ? FP_NODE_ROOT : FP_NODE_BUILDING,
                              t->building);
            double *xy = malloc(4 * sizeof *xy);
            if (bn < 0 || !xy) {
                free(xy);
                free(ord);
                goto oom_split;
            }
            xy[0] = t->bx;
            xy[1] = t->by;
            xy[2] = net->nodes[jn].x;
            xy[3] = net->nodes[jn].y;
            /* a building touching the street gets a zero-length drop */
            int k = add_edge(b, bn, jn, t->building < 0 ? FP_EDGE_LINK : FP_EDGE_DROP, "", -1, xy,
                             2);
            if (k < 0) {
                free(ord);
                goto oom_split;
            }
            if (t->building < 0) {
                net->site_node[t->site] = bn;
                if (t->site == 0)
                    net->root = bn;
                st->root_link_m += net->edges[k].length;
                st->n_sites++;
            } else {
                net->building_node[t->building] = bn;
                st->n_drops++;
            }
        }
        free(ord);
    }
    free(at_node);
    goto out;

oom_split:
    free(at_node);
    rc = fp_error_set(err, FP_ENOMEM, "network: out of memory splitting edges");
out:
    if (old) {
        for (size_t e = 0; e < ne; e++)
            free(old[e].xy);
        free(old);
    }
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (tree_main)
        GEOSSTRtree_destroy_r(h, tree_main);
    free(comp);
    if (eg) {
        for (size_t e = 0; e < ne; e++)
            if (eg[e])
                GEOSGeom_destroy_r(h, eg[e]);
        free(eg);
    }
    free(site_comp);
    free(nc.sxy);
    free(nc.roff);
    free(ids);
    free(at);
    return rc;
}

/* Stage 7a: components; buildings in no site's component are listed. */
static int components(builder *b, fp_error *err)
{
    fp_network *net = b->net;
    size_t nn = net->n_nodes ? net->n_nodes : 1;
    int *par = malloc(nn * sizeof *par);
    int *cid = malloc(nn * sizeof *cid);
    if (!par || !cid) {
        free(par);
        free(cid);
        return fp_error_set(err, FP_ENOMEM, "network: out of memory");
    }
    for (size_t i = 0; i < net->n_nodes; i++) {
        par[i] = (int)i;
        cid[i] = -1;
    }
    for (size_t e = 0; e < net->n_edges; e++)
        uf_union(par, net->edges[e].u, net->edges[e].v);
    int nc = 0;
    for (size_t i = 0; i < net->n_nodes; i++) {
        int r = uf_find(par, (int)i);
        if (cid[r] < 0)
            cid[r] = nc++;
        net->nodes[i].component = cid[r];
    }
    net->stats.n_components = (size_t)nc;
    free(par);
    free(cid);
    if (net->root < 0) {
        /* no root: every attached building counts as a terminal */
        net->stats.n_terminals = net->stats.n_drops;
        return FP_OK;
    }
    unsigned char *site_comp = calloc((size_t)nc + 1, 1);
    if (!site_comp)
        return fp_error_set(err, FP_ENOMEM, "network: out of memory");
    for (size_t i = 0; i < net->n_site_nodes; i++)
        site_comp[net->nodes[net->site_node[i]].component] = 1;
    for (size_t i = 0; i < b->ds->n_buildings; i++) {
        int bn = net->building_node[i];
        if (bn < 0)
            continue;
        if (!site_comp[net->nodes[bn].component]) {
            if (add_unreach(b, i, FP_UNREACH_DISCONNECTED, 0)) {
                free(site_comp);
                return fp_error_set(err, FP_ENOMEM, "network: out of memory");
            }
        } else {
            net->stats.n_terminals++;
        }
    }
    free(site_comp);
    return FP_OK;
}

typedef struct {
    const char *id;
    size_t building;
} idref;

static int cmp_idref(const void *pa, const void *pb)
{
    const idref *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    return c ? c : ord_i((long long)a->building, (long long)b->building);
}

static int add_block(builder *b, size_t *cap, const char *id, GEOSGeometry *g)
{
    fp_network *net = b->net;
    if (grow((void **)&net->blocks, cap, net->n_blocks + 1, sizeof *net->blocks))
        return -1;
    fp_block *bl = &net->blocks[net->n_blocks++];
    snprintf(bl->id, sizeof bl->id, "%s", id);
    bl->geom = g;
    return 0;
}

/* Stage 7b: blocks from the buildings' attribute, else from the faces of
 * the street graph (polygonized), found by a point on the footprint. */
static int blocks(builder *b, GEOSGeometry **street_geoms, size_t n_sg, fp_error *err)
{
    const fp_dataset *ds = b->ds;
    GEOSContextHandle_t h = b->h;
    fp_network *net = b->net;
    int rc = FP_OK;
    size_t cap = 0;
    idref *r = NULL;
    GEOSGeometry *faces = NULL;
    GEOSGeometry **fg = NULL;
    const GEOSPreparedGeometry **prep = NULL;
    size_t n_faces = 0;
    int *ids = NULL;
    GEOSSTRtree *tree = NULL;
    hits hs = {0};

    size_t m = 0;
    r = malloc((ds->n_buildings ? ds->n_buildings : 1) * sizeof *r);
    if (!r)
        goto oom;
    for (size_t i = 0; i < ds->n_buildings; i++)
        if (ds->buildings[i].block[0]) {
            r[m].id = ds->buildings[i].block;
            r[m].building = i;
            m++;
        }
    sort_n(r, m, sizeof *r, cmp_idref);
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || strcmp(r[i].id, r[i - 1].id) != 0)
            if (add_block(b, &cap, r[i].id, NULL))
                goto oom;
        net->building_block[r[i].building] = (long)net->n_blocks - 1;
    }
    if (!b->opts->blocks_from_faces || m == ds->n_buildings)
        goto out;
    if (n_sg == 0) {
        net->stats.blocks_unassigned = ds->n_buildings - m;
        goto out;
    }

    faces = GEOSPolygonize_r(h, (const GEOSGeometry *const *)street_geoms, (unsigned)n_sg);
    if (!faces) {
        rc = fp_error_set(err, FP_EGEOS, "network: GEOS could not polygonize the street faces");
        goto out;
    }
    int nf = GEOSGetNumGeometries_r(h, faces);
    size_t first = net->n_blocks;
    for (int k = 0; k < nf; k++) {
        GEOSGeometry *g = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, faces, k));
        char id[32];
        snprintf(id, sizeof id, "B%d", k + 1);
        if (!g || add_block(b, &cap, id, g)) {
            if (g)
                GEOSGeom_destroy_r(h, g);
            goto oom;
        }
    }
    n_faces = net->n_blocks - first;
    if (n_faces == 0) {
        for (size_t i = 0; i < ds->n_buildings; i++)
            net->stats.blocks_unassigned += net->building_block[i] < 0;
        goto out;
    }
    fg = malloc(n_faces * sizeof *fg);
    ids = malloc(n_faces * sizeof *ids);
    prep = calloc(n_faces, sizeof *prep);
    if (!fg || !ids || !prep)
        goto oom;
    for (size_t k = 0; k < n_faces; k++)
        fg[k] = net->blocks[first + k].geom;
    if (!(tree = build_tree(h, fg, n_faces, ids))) {
        rc = fp_error_set(err, FP_EGEOS, "network: GEOS STRtree failed");
        goto out;
    }
    for (size_t i = 0; i < ds->n_buildings; i++) {
        const fp_building *bd = &ds->buildings[i];
        if (net->building_block[i] >= 0 || !bd->geom || GEOSisEmpty_r(h, bd->geom) != 0)
            continue;
        GEOSGeometry *pt = GEOSPointOnSurface_r(h, bd->geom);
        if (!pt)
            continue;
        hs.n = 0;
        hs.oom = 0;
        GEOSSTRtree_query_r(h, tree, pt, hits_cb, &hs);
        if (hs.oom) {
            GEOSGeom_destroy_r(h, pt);
            goto oom;
        }
        sort_n(hs.v, hs.n, sizeof *hs.v, cmp_int);
        long found = -1;
        for (size_t c = 0; c < hs.n && found < 0; c++) {
            /* faces can have thousands of vertices: prepare on first use */
            if (!prep[hs.v[c]] && !(prep[hs.v[c]] = GEOSPrepare_r(h, fg[hs.v[c]]))) {
                GEOSGeom_destroy_r(h, pt);
                goto oom;
            }
            if (GEOSPreparedContains_r(h, prep[hs.v[c]], pt) == 1)
                found = hs.v[c];
        }
        for (size_t c = 0; c < hs.n && found < 0; c++)
            if (GEOSIntersects_r(h, fg[hs.v[c]], pt) == 1)
                found = hs.v[c];
        GEOSGeom_destroy_r(h, pt);
        if (found >= 0)
            net->building_block[i] = (long)first + found;
        else
            net->stats.blocks_unassigned++;
    }
    goto out;
oom:
    rc = fp_error_set(err, FP_ENOMEM, "network: out of memory building blocks");
out:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (prep)
        for (size_t k = 0; k < n_faces; k++)
            if (prep[k])
                GEOSPreparedGeom_destroy_r(h, prep[k]);
    free(prep);
    if (faces)
        GEOSGeom_destroy_r(h, faces);
    free(fg);
    free(ids);
    free(r);
    free(hs.v);
    return rc;
}

fp_network *fp_network_build(const fp_dataset *ds, const fp_costs *costs,
                             const fp_network_opts *opts, const fp_log *log, fp_error *err)
{
    fp_network *net = NULL;
    wlines L = {0};
    builder b = {0};
    fp_network_opts dopts;
    GEOSGeometry **sg = NULL;
    size_t n_sg = 0;
    int rc = FP_OK;
    if (!ds || !ds->geos) {
        fp_error_set(err, FP_EINTERNAL, "network: no dataset");
        return NULL;
    }
    if (!opts) {
        fp_network_opts_default(&dopts);
        opts = &dopts;
    }
    net = calloc(1, sizeof *net);
    if (!net)
        goto oom;
    net->ds = ds;
    net->root = -1;
    if (costs)
        net->costs = *costs;
    else
        fp_costs_default(&net->costs);
    net->stats.streets_read = ds->n_streets;
    size_t nb = ds->n_buildings ? ds->n_buildings : 1;
    net->building_node = malloc(nb * sizeof *net->building_node);
    net->building_block = malloc(nb * sizeof *net->building_block);
    net->site_node = malloc((ds->n_sites ? ds->n_sites : 1) * sizeof *net->site_node);
    if (!net->building_node || !net->building_block || !net->site_node)
        goto oom;
    for (size_t i = 0; i < ds->n_buildings; i++) {
        net->building_node[i] = -1;
        net->building_block[i] = -1;
    }
    /* every site gets its node in attach_all (or the build fails) */
    net->n_site_nodes = ds->n_sites;
    for (size_t i = 0; i < ds->n_sites; i++)
        net->site_node[i] = -1;
    b.ds = ds;
    b.h = ds->geos;
    b.opts = opts;
    b.log = log;
    b.net = net;

    fp_log_progress(log, "network", 0, 4, "noding %zu streets", ds->n_streets);
    if ((rc = build_street_graph(&b, &L, err)))
        goto fail;
    net->stats.n_junctions = net->n_nodes;
    fp_log_progress(log, "network", 1, 4, "matching existing ducts");
    if ((rc = match_infra(&b, err)))
        goto fail;
    /* the street lines (before splitting) for polygonizing faces */
    n_sg = net->n_edges;
    sg = calloc(n_sg ? n_sg : 1, sizeof *sg);
    if (!sg)
        goto oom;
    for (size_t e = 0; e < n_sg; e++)
        if (!(sg[e] = make_line(ds->geos, net->edges[e].xy, net->edges[e].n_pts))) {
            rc = fp_error_set(err, FP_EGEOS, "network: GEOS failed building edge %zu", e);
            goto fail;
        }
    fp_log_progress(log, "network", 2, 4, "attaching buildings");
    if ((rc = attach_all(&b, err)))
        goto fail;
    if ((rc = components(&b, err)))
        goto fail;
    fp_log_progress(log, "network", 3, 4, "blocks");
    if ((rc = blocks(&b, sg, n_sg, err)))
        goto fail;
    fp_log_progress(log, "network", 4, 4, "done");

    /* costs, totals */
    fp_network_stats *st = &net->stats;
    st->n_junctions = 0;
    for (size_t i = 0; i < net->n_nodes; i++)
        if (net->nodes[i].kind == FP_NODE_JUNCTION)
            st->n_junctions++;
    for (size_t e = 0; e < net->n_edges; e++) {
        fp_net_edge *ed = &net->edges[e];
        ed->cost = edge_cost(&net->costs, ed);
        if (ed->kind == FP_EDGE_TRENCH || ed->kind == FP_EDGE_DUCT || ed->kind == FP_EDGE_AERIAL)
            st->street_m += ed->length;
        if (ed->kind == FP_EDGE_DUCT)
            st->duct_m += ed->length;
        if (ed->kind == FP_EDGE_AERIAL)
            st->aerial_m += ed->length;
    }
    sort_n(net->unreachable, net->n_unreachable, sizeof *net->unreachable, cmp_unreach);
    for (size_t i = 0; i < net->n_unreachable; i++) {
        if (net->unreachable[i].reason == FP_UNREACH_TOO_FAR)
            st->unreach_too_far++;
        else if (net->unreachable[i].reason == FP_UNREACH_DISCONNECTED)
            st->unreach_disconnected++;
        else
            st->unreach_no_street++;
    }
    if (st->zero_len_segments || st->zero_len_lines || st->duplicate_lines ||
        st->overlap_pieces || st->overlap_m > 0)
        fp_log_msg(log, FP_LOG_WARN,
                   "network: streets repaired: %zu repeated vertices removed, %zu zero-length "
                   "lines dropped, %zu duplicate lines merged, %.1f m of overlapping lines "
                   "merged",
                   st->zero_len_segments, st->zero_len_lines, st->duplicate_lines,
                   st->overlap_m);
    if (st->streets_empty || st->streets_nonfinite)
        fp_log_msg(log, FP_LOG_WARN,
                   "network: %zu streets without a line geometry and %zu with non-finite "
                   "coordinates skipped",
                   st->streets_empty, st->streets_nonfinite);
    if (st->infra_poles_ignored)
        fp_log_msg(log, FP_LOG_WARN,
                   "network: %zu poles ignored (not in a chain along a street, spans up to "
                   "%g m)",
                   st->infra_poles_ignored, opts->pole_span);
    if (net->n_unreachable)
        fp_log_msg(log, FP_LOG_WARN,
                   "network: %zu buildings with dwellings cannot be connected: %zu farther than "
                   "%g m from a street, %zu on streets reaching no site, %zu with no street",
                   net->n_unreachable, st->unreach_too_far, opts->max_drop,
                   st->unreach_disconnected, st->unreach_no_street);
    /* Name the first few so the user can find them in the data (all are in
     * the `unreachable` layer of --out and in the run's buildings.csv). */
    for (size_t i = 0; i < net->n_unreachable && i < FP_NETWORK_UNREACH_NAMED; i++) {
        const fp_unreachable *u = &net->unreachable[i];
        const fp_building *bd = &ds->buildings[u->building];
        char dist[64] = "";
        if (u->reason == FP_UNREACH_TOO_FAR)
            snprintf(dist, sizeof dist, " %.1f m from the nearest street,", u->distance);
        fp_log_msg(log, FP_LOG_WARN, "network: %s: layer %s: feature %lld%s%s%s (%d dwellings):%s "
                   "not connected (%s)", ds->st_buildings.source, ds->st_buildings.layer,
                   bd->fid, bd->id[0] ? " '" : "", bd->id, bd->id[0] ? "'" : "", bd->dwellings,
                   dist, u->reason == FP_UNREACH_TOO_FAR ? "too far"
                   : u->reason == FP_UNREACH_DISCONNECTED ? "its street reaches no site"
                   : "no street");
    }
    if (net->n_unreachable > FP_NETWORK_UNREACH_NAMED)
        fp_log_msg(log, FP_LOG_WARN, "network: and %zu more unreachable buildings",
                   net->n_unreachable - FP_NETWORK_UNREACH_NAMED);
    goto done;

oom:
    rc = fp_error_set(err, FP_ENOMEM, "network: out of memory");
fail:
    if (rc && b.limit_hit)
        fp_error_set(err, FP_ELIMIT, "network: more than %d nodes or edges", INT_MAX - 1);
    fp_network_free(net);
    net = NULL;
done:
    for (size_t i = 0; i < L.n; i++)
        free(L.v[i].xy);
    free(L.v);
    for (size_t i = 0; i < b.il.n; i++)
        free(b.il.v[i].xy);
    free(b.il.v);
    free(b.il_off);
    if (sg) {
        for (size_t e = 0; e < n_sg; e++)
            if (sg[e])
                GEOSGeom_destroy_r(ds->geos, sg[e]);
        free(sg);
    }
    return net;
}

/* ------------------------------------------------------------------ */
/* compact Steiner instance */

typedef struct {
    int a, b;      /* sgraph nodes, a < b */
    double cost;
    int first;     /* first network edge (for stable order) */
    int off, len;  /* network edges in chain buffer */
} chain;

static int cmp_chain(const void *pa, const void *pb)
{
    const chain *x = pa, *y = pb;
    int c;
    if ((c = ord_i(x->a, y->a)) || (c = ord_i(x->b, y->b)) || (c = ord_d(x->cost, y->cost)))
        return c;
    return ord_i(x->first, y->first);
}

int fp_network_to_sgraph(const fp_network *net, fp_sgraph **gout, int **map_off,
                         int **map_edges, fp_error *err)
{
    int rc = FP_OK;
    fp_sgraph *g = NULL;
    int *deg = NULL, *adj_off = NULL, *adj = NULL, *newid = NULL, *buf = NULL;
    unsigned char *keep = NULL, *seen = NULL, *site_comp = NULL;
    chain *ch = NULL;
    int *moff = NULL, *medges = NULL;
    size_t n_ch = 0, cap_ch = 0, n_buf = 0, cap_buf = 0;
    *gout = NULL;
    *map_off = NULL;
    *map_edges = NULL;
    const int *sites = NULL;
    size_t n_sites = fp_network_site_nodes(net, &sites);
    if (n_sites == 0)
        return fp_error_set(err, FP_EINPUT, "network: no root (central office): give a site");
    size_t nn = net->n_nodes, ne = net->n_edges;
    deg = calloc(nn + 1, sizeof *deg);
    adj_off = calloc(nn + 1, sizeof *adj_off);
    adj = malloc((2 * ne + 1) * sizeof *adj);
    newid = malloc((nn + 1) * sizeof *newid);
    keep = calloc(nn + 1, 1);
    seen = calloc(ne + 1, 1);
    site_comp = calloc(nn + 1, 1);
    if (!deg || !adj_off || !adj || !newid || !keep || !seen || !site_comp)
        goto oom;
    /* the components holding a site (component ids are below n_nodes) */
    for (size_t i = 0; i < n_sites; i++) {
        int c = net->nodes[sites[i]].component;
        if (c >= 0 && (size_t)c < nn)
            site_comp[c] = 1;
    }
#define IN_SITE_COMP(v)                                                                         \
    (net->nodes[v].component >= 0 && (size_t)net->nodes[v].component < nn &&                  \
     site_comp[net->nodes[v].component])
    /* incidence lists of the sites' components, loops left out */
    for (size_t e = 0; e < ne; e++) {
        const fp_net_edge *ed = &net->edges[e];
        if (ed->u == ed->v || !IN_SITE_COMP(ed->u))
            continue;
        deg[ed->u]++;
        deg[ed->v]++;
    }
    for (size_t i = 0; i < nn; i++)
        adj_off[i + 1] = adj_off[i] + deg[i];
    memset(deg, 0, (nn + 1) * sizeof *deg);
    for (size_t e = 0; e < ne; e++) {
        const fp_net_edge *ed = &net->edges[e];
        if (ed->u == ed->v || !IN_SITE_COMP(ed->u))
            continue;
        adj[adj_off[ed->u] + deg[ed->u]++] = (int)e;
        adj[adj_off[ed->v] + deg[ed->v]++] = (int)e;
    }
    int n_keep = 0;
    for (size_t i = 0; i < nn; i++) {
        newid[i] = -1;
        if (!IN_SITE_COMP(i))
            continue;
        if (net->nodes[i].kind != FP_NODE_JUNCTION || deg[i] != 2) {
            keep[i] = 1;
            newid[i] = n_keep++;
        }
    }
    /* walk each chain from a kept node */
    for (size_t s = 0; s < nn; s++) {
        if (!keep[s])
            continue;
        for (int k = adj_off[s]; k < adj_off[s + 1]; k++) {
            int e = adj[k];
            if (seen[e])
                continue;
            size_t start = n_buf;
            double cost = 0;
            int cur = (int)s, prev_e = -1, first = e;
            while (1) {
                const fp_net_edge *ed = &net->edges[e];
                seen[e] = 1;
                cost += ed->cost;
                if (grow((void **)&buf, &cap_buf, n_buf + 1, sizeof *buf))
                    goto oom;
                buf[n_buf++] = e;
                if (e < first)
                    first = e;
                cur = ed->u == cur ? ed->v : ed->u;
                prev_e = e;
                if (keep[cur])
                    break;
                /* a degree-2 junction: take its other edge */
                int e0 = adj[adj_off[cur]], e1 = adj[adj_off[cur] + 1];
                e = e0 == prev_e ? e1 : e0;
                if (seen[e])
                    break; /* cannot happen: a chain ends at a kept node */
            }
            if (!keep[cur] || cur == (int)s) {
                n_buf = start; /* a loop back to s: useless for a tree */
                continue;
            }
            if (grow((void **)&ch, &cap_ch, n_ch + 1, sizeof *ch))
                goto oom;
            int a = newid[s], bb = newid[cur];
            ch[n_ch] = (chain){a < bb ? a : bb, a < bb ? bb : a, cost, first, (int)start,
                               (int)(n_buf - start)};
            n_ch++;
        }
    }
    /* of parallel chains only the cheapest can be in an optimal tree */
    sort_n(ch, n_ch, sizeof *ch, cmp_chain);
    /* several sites: one virtual root over them (see network.h) */
    int virt = n_sites > 1;
    g = fp_sgraph_create(n_keep + virt);
    moff = malloc((n_ch + n_sites + 1) * sizeof *moff);
    medges = malloc((n_buf + 1) * sizeof *medges);
    if (!g || !moff || !medges)
        goto oom;
    g->problem = FP_PROB_SPG;
    snprintf(g->name, sizeof g->name, "network");
    for (size_t i = 0; i < nn; i++)
        if (newid[i] >= 0) {
            g->ext_id[newid[i]] = (long long)i;
            if (net->nodes[i].kind == FP_NODE_BUILDING ||
                (!virt && net->nodes[i].kind != FP_NODE_JUNCTION))
                g->term[newid[i]] = 1;
        }
    if (virt) {
        g->root = n_keep;
        g->ext_id[n_keep] = -1;
        g->term[n_keep] = 1;
    } else {
        g->root = newid[sites[0]];
    }
    moff[0] = 0;
    for (size_t c = 0; c < n_ch; c++) {
        if (c > 0 && ch[c].a == ch[c - 1].a && ch[c].b == ch[c - 1].b)
            continue;
        if (fp_sgraph_add_edge(g, ch[c].a, ch[c].b, ch[c].cost, err) < 0) {
            rc = err ? err->code : FP_EINTERNAL;
            goto out;
        }
        /* network edges in walking order */
        for (int k = 0; k < ch[c].len; k++)
            medges[moff[g->n_edges - 1] + k] = buf[ch[c].off + k];
        moff[g->n_edges] = moff[g->n_edges - 1] + ch[c].len;
    }
    for (size_t i = 0; virt && i < n_sites; i++) {
        if (fp_sgraph_add_edge(g, g->root, newid[sites[i]], 0.0, err) < 0) {
            rc = err ? err->code : FP_EINTERNAL;
            goto out;
        }
        moff[g->n_edges] = moff[g->n_edges - 1]; /* stands for no network edge */
    }
#undef IN_SITE_COMP
    *gout = g;
    *map_off = moff;
    *map_edges = medges;
    g = NULL;
    moff = NULL;
    medges = NULL;
    goto out;
oom:
    rc = fp_error_set(err, FP_ENOMEM, "network: out of memory building the Steiner graph");
out:
    fp_sgraph_free(g);
    free(moff);
    free(medges);
    free(deg);
    free(adj_off);
    free(adj);
    free(newid);
    free(keep);
    free(seen);
    free(site_comp);
    free(ch);
    free(buf);
    return rc;
}

size_t fp_network_site_nodes(const fp_network *net, const int **nodes)
{
    *nodes = NULL;
    if (net->site_node && net->n_site_nodes > 0) {
        *nodes = net->site_node;
        return net->n_site_nodes;
    }
    if (net->root >= 0 && (size_t)net->root < net->n_nodes) {
        *nodes = &net->root;
        return 1;
    }
    return 0;
}

int fp_network_site_index(const fp_network *net, int v)
{
    const int *s = NULL;
    size_t n = fp_network_site_nodes(net, &s);
    for (size_t i = 0; i < n; i++)
        if (s[i] == v)
            return (int)i;
    return -1;
}

const char *fp_network_site_name(const fp_network *net, size_t i)
{
    if (net->ds && i < net->ds->n_sites && net->ds->sites[i].id[0])
        return net->ds->sites[i].id;
    return "site";
}
