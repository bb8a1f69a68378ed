/* pcstp: the node-weighted tree engine's pipeline (check, reductions,
 * heuristics, branch-and-cut, map back, verify) and the PCSTP front end. */
#include "pcstp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcstp_int.h"
#include "pqueue.h"

double fp_nw_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void fp_nw_opts_default(fp_nwopts *o)
{
    memset(o, 0, sizeof *o);
    o->bound_hint = -INFINITY;
    o->cutoff = INFINITY;
}

static inline double kc(const fp_nwprob *p, int v)
{
    return p->ncost ? p->ncost[v] : 0.0;
}

static inline int grp(const fp_nwprob *p, int v)
{
    return p->group ? p->group[v] : -1;
}

static int find(int *par, int a)
{
    while (par[a] != a)
        a = par[a] = par[par[a]];
    return a;
}

int fp_nw_eval(const fp_nwprob *p, const unsigned char *node_in,
               const unsigned char *edge_in, double *obj)
{
    int n = p->n, ok = 1, nn = 0, ne = 0;
    double c = 0, w = 0, out = 0;
    if (p->root >= 0 && (p->root >= n || !node_in[p->root]))
        return 0;
    int *par = malloc((size_t)(n > 0 ? n : 1) * sizeof *par);
    if (!par)
        return 0;
    for (int v = 0; v < n; v++)
        par[v] = v;
    for (int e = 0; e < p->m && ok; e++) {
        if (!edge_in[e])
            continue;
        int a = p->tail[e], b = p->head[e];
        if (!node_in[a] || !node_in[b]) {
            ok = 0;
            break;
        }
        ne++;
        c += p->cost[e];
        a = find(par, a);
        b = find(par, b);
        if (a == b)
            ok = 0; /* a cycle */
        else
            par[a] = b;
    }
    int comp = -1;
    for (int v = 0; v < n && ok; v++) {
        if (!node_in[v]) {
            out += p->prize[v];
            continue;
        }
        nn++;
        c += kc(p, v);
        w += p->prize[v];
        int r = find(par, v);
        if (comp < 0)
            comp = r;
        else if (r != comp)
            ok = 0; /* not connected */
    }
    if (ok && nn > 0 && ne != nn - 1)
        ok = 0;
    /* groups: all or nothing */
    if (ok && p->group) {
        int ng = 0;
        for (int v = 0; v < n; v++)
            if (p->group[v] >= ng)
                ng = p->group[v] + 1;
        signed char *st = calloc((size_t)ng + 1, 1);
        if (!st) {
            ok = 0;
        } else {
            for (int v = 0; v < n && ok; v++) {
                int g = p->group[v];
                if (g < 0)
                    continue;
                signed char want = node_in[v] ? 1 : -1;
                if (st[g] == 0)
                    st[g] = want;
                else if (st[g] != want)
                    ok = 0;
            }
            free(st);
        }
    }
    free(par);
    if (!ok)
        return 0;
    double val;
    switch (p->mode) {
    case FP_NW_PC:
        val = c + out;
        break;
    case FP_NW_BUDGET:
        if (c > p->limit + 1e-9 * (1 + fabs(p->limit)))
            return 0;
        val = -w;
        break;
    default:
        if (w < p->limit - 1e-9 * (1 + fabs(p->limit)))
            return 0;
        val = c;
        break;
    }
    if (obj)
        *obj = val;
    return 1;
}

int fp_nw_adj(const fp_nwprob *p, int **start, int **edge)
{
    int n = p->n, m = p->m;
    int *s = calloc((size_t)n + 2, sizeof *s);
    int *a = malloc((size_t)(2 * m > 0 ? 2 * m : 1) * sizeof *a);
    int *pos = malloc((size_t)(n > 0 ? n : 1) * sizeof *pos);
    if (!s || !a || !pos) {
        free(s);
        free(a);
        free(pos);
        return -1;
    }
    for (int e = 0; e < m; e++) {
        s[p->tail[e] + 1]++;
        s[p->head[e] + 1]++;
    }
    for (int v = 0; v < n; v++)
        s[v + 1] += s[v];
    memcpy(pos, s, (size_t)n * sizeof *pos);
    for (int e = 0; e < m; e++) {
        a[pos[p->tail[e]]++] = e;
        a[pos[p->head[e]]++] = e;
    }
    free(pos);
    *start = s;
    *edge = a;
    return 0;
}

/* ---------------------------------------------------------------------
 * Reductions. A node is "free" when nothing is attached to it: no prize
 * or weight, no node cost, no group, not the root. Valid for every mode:
 * free nodes of degree <= 1 go, free nodes of degree 2 are contracted
 * into one edge, of parallel edges the cheapest stays. PC: a leaf whose
 * prize does not pay for its edge and node cost goes (its prize joins the
 * constant). BUDGET (rooted): a node farther from the root than the budget
 * goes, with its group. Unrooted trees of one node are compared apart (see
 * fp_nw_solve), so these tests may drop a node that alone is the optimum.
 * --------------------------------------------------------------------- */

typedef struct wred {
    const fp_nwprob *p;
    int n, m, cap;
    int *t, *h;
    double *c;
    unsigned char *ealive, *nalive;
    int *afirst, *alast, *anext; /* ancestor lists (original edges) */
    int **adj;
    int *adjn, *adjc, *deg;
    int *stack, ns;
    unsigned char *instack;
    double offset;               /* PC: prizes of removed nodes */
    double *pz;                  /* [n] working prizes (PC leaves merge) */
    int *att_v, *att_u, *att_e;  /* leaf v joined u by working edge e */
    int natt;
} wred;

static int isfree(const wred *r, int v)
{
    const fp_nwprob *p = r->p;
    return r->pz[v] == 0 && kc(p, v) == 0 && grp(p, v) < 0 && v != p->root;
}

static void wred_free(wred *r)
{
    if (!r)
        return;
    free(r->t);
    free(r->h);
    free(r->c);
    free(r->ealive);
    free(r->nalive);
    free(r->afirst);
    free(r->alast);
    free(r->anext);
    if (r->adj)
        for (int v = 0; v < r->n; v++)
            free(r->adj[v]);
    free(r->adj);
    free(r->adjn);
    free(r->adjc);
    free(r->deg);
    free(r->stack);
    free(r->instack);
    free(r->pz);
    free(r->att_v);
    free(r->att_u);
    free(r->att_e);
    free(r);
}

static int adj_push(wred *r, int v, int e)
{
    if (r->adjn[v] == r->adjc[v]) {
        int c = r->adjc[v] ? 2 * r->adjc[v] : 4;
        int *a = realloc(r->adj[v], (size_t)c * sizeof *a);
        if (!a)
            return -1;
        r->adj[v] = a;
        r->adjc[v] = c;
    }
    r->adj[v][r->adjn[v]++] = e;
    r->deg[v]++;
    return 0;
}

static void push(wred *r, int v)
{
    if (!r->instack[v]) {
        r->instack[v] = 1;
        r->stack[r->ns++] = v;
    }
}

static void del_edge(wred *r, int e)
{
    if (!r->ealive[e])
        return;
    r->ealive[e] = 0;
    r->deg[r->t[e]]--;
    r->deg[r->h[e]]--;
    push(r, r->t[e]);
    push(r, r->h[e]);
}

/* Removes node v (and its edges); PC: its prize joins the constant. */
static void del_node(wred *r, int v)
{
    if (!r->nalive[v])
        return;
    r->nalive[v] = 0;
    for (int i = 0; i < r->adjn[v]; i++)
        del_edge(r, r->adj[v][i]);
    r->adjn[v] = 0;
    if (r->p->mode == FP_NW_PC)
        r->offset += r->pz[v];
}

/* Removes v and every member of its group (none can be in a tree). */
static void del_with_group(wred *r, int v)
{
    int g = grp(r->p, v);
    del_node(r, v);
    if (g < 0)
        return;
    for (int u = 0; u < r->n; u++)
        if (r->nalive[u] && grp(r->p, u) == g)
            del_node(r, u);
}

static int alive_edge(const wred *r, int v, int k)
{
    /* k-th alive edge of v (k = 0, 1) */
    for (int i = 0; i < r->adjn[v]; i++) {
        int e = r->adj[v][i];
        if (r->ealive[e] && k-- == 0)
            return e;
    }
    return -1;
}

static int other(const wred *r, int e, int v)
{
    return r->t[e] == v ? r->h[e] : r->t[e];
}

/* Compacts v's adjacency (drops dead edges) when it has grown stale. */
static void adj_clean(wred *r, int v)
{
    int k = 0;
    for (int i = 0; i < r->adjn[v]; i++)
        if (r->ealive[r->adj[v][i]])
            r->adj[v][k++] = r->adj[v][i];
    r->adjn[v] = k;
}

/* Keeps the cheapest of the parallel edges between a and b (a's view). */
static void merge_parallel(wred *r, int a, int b)
{
    int keep = -1;
    for (int i = 0; i < r->adjn[a]; i++) {
        int e = r->adj[a][i];
        if (!r->ealive[e] || other(r, e, a) != b)
            continue;
        if (keep < 0) {
            keep = e;
        } else if (r->c[e] < r->c[keep]) {
            del_edge(r, keep);
            keep = e;
        } else {
            del_edge(r, e);
        }
    }
}

static int wred_build(wred *r, const fp_nwprob *p)
{
    r->p = p;
    r->n = p->n;
    r->cap = 2 * p->m + 2;
    size_t n = p->n > 0 ? (size_t)p->n : 1, cap = (size_t)r->cap;
    r->t = malloc(cap * sizeof(int));
    r->h = malloc(cap * sizeof(int));
    r->c = malloc(cap * sizeof(double));
    r->ealive = calloc(cap, 1);
    r->nalive = malloc(n);
    r->afirst = malloc(cap * sizeof(int));
    r->alast = malloc(cap * sizeof(int));
    r->anext = malloc((p->m > 0 ? (size_t)p->m : 1) * sizeof(int));
    r->adj = calloc(n, sizeof(int *));
    r->adjn = calloc(n, sizeof(int));
    r->adjc = calloc(n, sizeof(int));
    r->deg = calloc(n, sizeof(int));
    r->stack = malloc(n * sizeof(int));
    r->instack = calloc(n, 1);
    r->pz = malloc(n * sizeof(double));
    r->att_v = malloc(n * sizeof(int));
    r->att_u = malloc(n * sizeof(int));
    r->att_e = malloc(n * sizeof(int));
    if (!r->pz || !r->att_v || !r->att_u || !r->att_e)
        return -1;
    for (int v = 0; v < p->n; v++)
        r->pz[v] = p->prize[v];
    if (!r->t || !r->h || !r->c || !r->ealive || !r->nalive || !r->afirst || !r->alast ||
        !r->anext || !r->adj || !r->adjn || !r->adjc || !r->deg || !r->stack || !r->instack)
        return -1;
    memset(r->nalive, 1, n);
    for (int e = 0; e < p->m; e++) {
        r->anext[e] = -1;
        if (p->tail[e] == p->head[e])
            continue; /* a loop is in no tree */
        int k = r->m++;
        r->t[k] = p->tail[e];
        r->h[k] = p->head[e];
        r->c[k] = p->cost[e];
        r->ealive[k] = 1;
        r->afirst[k] = r->alast[k] = e;
        if (adj_push(r, r->t[k], k) || adj_push(r, r->h[k], k))
            return -1;
    }
    for (int v = 0; v < p->n; v++)
        push(r, v);
    return 0;
}

/* Nodes not reachable from the root leave (with their groups). */
static int reduce_reach(wred *r)
{
    const fp_nwprob *p = r->p;
    if (p->root < 0)
        return 0;
    unsigned char *seen = calloc((size_t)r->n, 1);
    int *q = malloc((size_t)r->n * sizeof *q);
    if (!seen || !q) {
        free(seen);
        free(q);
        return -1;
    }
    int qh = 0, qt = 0;
    q[qt++] = p->root;
    seen[p->root] = 1;
    while (qh < qt) {
        int v = q[qh++];
        for (int i = 0; i < r->adjn[v]; i++) {
            int e = r->adj[v][i];
            if (!r->ealive[e])
                continue;
            int x = other(r, e, v);
            if (!seen[x]) {
                seen[x] = 1;
                q[qt++] = x;
            }
        }
    }
    for (int v = 0; v < r->n; v++)
        if (r->nalive[v] && !seen[v])
            del_with_group(r, v);
    free(seen);
    free(q);
    return 0;
}

/* BUDGET, rooted: nodes whose cheapest path from the root plus their own
 * node cost exceed the budget leave, with their groups. */
static int reduce_budget_dist(wred *r)
{
    const fp_nwprob *p = r->p;
    if (p->mode != FP_NW_BUDGET || p->root < 0)
        return 0;
    double *d = malloc((size_t)r->n * sizeof *d);
    fp_pq *q = fp_pq_create(r->n);
    if (!d || !q) {
        free(d);
        fp_pq_free(q);
        return -1;
    }
    for (int v = 0; v < r->n; v++)
        d[v] = INFINITY;
    d[p->root] = kc(p, p->root);
    fp_pq_push(q, p->root, d[p->root]);
    while (!fp_pq_empty(q)) {
        int v = fp_pq_pop(q);
        for (int i = 0; i < r->adjn[v]; i++) {
            int e = r->adj[v][i];
            if (!r->ealive[e])
                continue;
            int x = other(r, e, v);
            double nd = d[v] + r->c[e];
            if (nd < d[x]) {
                d[x] = nd;
                fp_pq_push(q, x, nd);
            }
        }
    }
    double lim = p->limit + 1e-9 * (1 + fabs(p->limit));
    for (int v = 0; v < r->n; v++)
        if (r->nalive[v] && v != p->root && d[v] + kc(p, v) > lim)
            del_with_group(r, v);
    free(d);
    fp_pq_free(q);
    return 0;
}

static int reduce_degree(wred *r)
{
    const fp_nwprob *p = r->p;
    while (r->ns > 0) {
        int v = r->stack[--r->ns];
        r->instack[v] = 0;
        if (!r->nalive[v])
            continue;
        if (r->adjn[v] > 2 * r->deg[v] + 4)
            adj_clean(r, v);
        int d = r->deg[v];
        if (isfree(r, v)) {
            if (d <= 1) {
                del_node(r, v);
            } else if (d == 2) {
                int e1 = alive_edge(r, v, 0), e2 = alive_edge(r, v, 1);
                int a = other(r, e1, v), b = other(r, e2, v);
                if (a == b) {
                    del_node(r, v);
                } else {
                    if (r->m >= r->cap) {
                        int nc = 2 * r->cap;
                        int *t = realloc(r->t, (size_t)nc * sizeof *t);
                        if (t) r->t = t;
                        int *h = realloc(r->h, (size_t)nc * sizeof *h);
                        if (h) r->h = h;
                        double *c = realloc(r->c, (size_t)nc * sizeof *c);
                        if (c) r->c = c;
                        unsigned char *al = realloc(r->ealive, (size_t)nc);
                        if (al) r->ealive = al;
                        int *af = realloc(r->afirst, (size_t)nc * sizeof *af);
                        if (af) r->afirst = af;
                        int *at = realloc(r->alast, (size_t)nc * sizeof *at);
                        if (at) r->alast = at;
                        if (!t || !h || !c || !al || !af || !at)
                            return -1;
                        r->cap = nc;
                    }
                    int k = r->m++;
                    r->t[k] = a;
                    r->h[k] = b;
                    r->c[k] = r->c[e1] + r->c[e2];
                    r->ealive[k] = 1;
                    r->afirst[k] = r->afirst[e1];
                    r->anext[r->alast[e1]] = r->afirst[e2];
                    r->alast[k] = r->alast[e2];
                    /* v leaves without its prize (it has none) */
                    r->nalive[v] = 0;
                    del_edge(r, e1);
                    del_edge(r, e2);
                    r->adjn[v] = 0;
                    if (adj_push(r, a, k) || adj_push(r, b, k))
                        return -1;
                    merge_parallel(r, a, b);
                    push(r, a);
                    push(r, b);
                }
            }
        } else if (p->mode == FP_NW_PC && v != p->root && grp(p, v) < 0 && d == 1) {
            int e = alive_edge(r, v, 0);
            int u = other(r, e, v);
            if (r->pz[v] <= r->c[e] + kc(p, v)) {
                del_node(r, v);
            } else if (p->root >= 0 && r->natt < r->n) {
                /* worth its edge: v is in every optimal tree holding u,
                 * and in none without, so it joins u: u's prize grows
                 * by what v nets, the constant by what v costs. Rooted
                 * only: unrooted, u with its joined leaves could later
                 * be dropped while alone it was the optimum */
                r->pz[u] += r->pz[v] - r->c[e] - kc(p, v);
                r->offset += r->c[e] + kc(p, v);
                r->att_v[r->natt] = v;
                r->att_u[r->natt] = u;
                r->att_e[r->natt++] = e;
                r->pz[v] = 0; /* no prize left to lose */
                r->nalive[v] = 0;
                del_edge(r, e);
                r->adjn[v] = 0;
                push(r, u);
            }
        } else if (p->root >= 0 && v != p->root && d == 0) {
            del_with_group(r, v);
        }
    }
    return 0;
}

/* Special-distance test for prizes. An edge e = (v,w) of cost c can go if
 * some other v-w path P has, for every pair of its "anchors" (v, w and the
 * prized nodes on it), length between them minus the prizes of the
 * anchors strictly between at most c. Proof: take a tree T with e, cut e;
 * from the last anchor of P in v's part to the next anchor in w's part,
 * the anchors between are outside T; adding that piece of P (and breaking
 * any cycle) instead of e costs at most c minus the prizes gained, so the
 * tree is no worse and its node set only grows. Found by a Dijkstra on the
 * running value g: at an anchor g restarts at max(0, g - prize); labels
 * above c are pruned. Node costs lengthen the path (prizes are net of
 * them); the root counts as an anchor of infinite prize (it is always in
 * T); group members are never inner nodes. BUDGET/QUOTA: no prize is
 * subtracted (a plain least-cost test). RETURNS the edges deleted, or -1. */
static int reduce_paths(wred *r)
{
    const fp_nwprob *p = r->p;
    double *d = malloc((size_t)r->n * sizeof *d);
    int *touched = malloc((size_t)r->n * sizeof *touched);
    fp_pq *q = fp_pq_create(r->n);
    int deleted = 0;
    if (!d || !touched || !q) {
        deleted = -1;
        goto out;
    }
    for (int v = 0; v < r->n; v++)
        d[v] = INFINITY;
    int m0 = r->m;
    for (int e = 0; e < m0; e++) {
        if (!r->ealive[e])
            continue;
        int u = r->t[e], w = r->h[e];
        double lim = r->c[e];
        int nt = 0, found = 0, settled = 0;
        fp_pq_clear(q);
        d[u] = 0;
        touched[nt++] = u;
        fp_pq_push(q, u, 0);
        while (!fp_pq_empty(q) && settled < 400) {
            int x = fp_pq_pop(q);
            settled++;
            if (x == w) {
                found = d[x] <= lim;
                break;
            }
            if (d[x] > lim)
                break;
            double gx = d[x];
            if (x != u) {
                if (grp(p, x) >= 0)
                    continue; /* an end only */
                if (x == p->root) {
                    gx = 0;
                } else if (p->mode == FP_NW_PC) {
                    double pe = r->pz[x] - kc(p, x);
                    if (pe > 0)
                        gx = gx - pe > 0 ? gx - pe : 0;
                }
            }
            for (int i = 0; i < r->adjn[x]; i++) {
                int f = r->adj[x][i];
                if (f == e || !r->ealive[f])
                    continue;
                int y = other(r, f, x);
                double ky = 0;
                if (y != w && y != p->root) {
                    double pe = r->pz[y] - kc(p, y);
                    /* an anchor's node cost is in its net prize */
                    if (!(p->mode == FP_NW_PC && pe > 0))
                        ky = kc(p, y);
                }
                double nd = gx + r->c[f] + ky;
                if (nd <= lim && nd < d[y]) {
                    if (d[y] == INFINITY)
                        touched[nt++] = y;
                    d[y] = nd;
                    fp_pq_push(q, y, nd);
                }
            }
        }
        for (int i = 0; i < nt; i++)
            d[touched[i]] = INFINITY;
        if (found) {
            del_edge(r, e);
            deleted++;
        }
    }
out:
    free(d);
    free(touched);
    fp_pq_free(q);
    return deleted;
}

/* The reduced problem and its maps. */
typedef struct nwred {
    fp_nwprob rp;
    int *t, *h, *grp, *node_orig, *node_red, *eoff, *eanc;
    int natt, *att_v, *att_u, *aoff, *aanc; /* joined leaves, their edges */
    double *c, *prize, *ncost;
    double offset;
} nwred;

static void nwred_free(nwred *x)
{
    free(x->t);
    free(x->h);
    free(x->grp);
    free(x->node_orig);
    free(x->node_red);
    free(x->eoff);
    free(x->eanc);
    free(x->c);
    free(x->prize);
    free(x->ncost);
    free(x->att_v);
    free(x->att_u);
    free(x->aoff);
    free(x->aanc);
    memset(x, 0, sizeof *x);
}

static int reduce_all(const fp_nwprob *p, nwred *out)
{
    memset(out, 0, sizeof *out);
    wred *r = calloc(1, sizeof *r);
    int rc = -1;
    if (!r || wred_build(r, p))
        goto out;
    /* parallel edges: merge around every node */
    {
        int *mark = malloc((size_t)(p->n > 0 ? p->n : 1) * sizeof *mark);
        int *me = malloc((size_t)(p->n > 0 ? p->n : 1) * sizeof *me);
        if (!mark || !me) {
            free(mark);
            free(me);
            goto out;
        }
        for (int v = 0; v < p->n; v++)
            mark[v] = -1;
        for (int v = 0; v < p->n; v++) {
            for (int i = 0; i < r->adjn[v]; i++) {
                int e = r->adj[v][i];
                if (!r->ealive[e])
                    continue;
                int x = other(r, e, v);
                if (mark[x] == v) {
                    int f = me[x];
                    if (r->c[e] < r->c[f]) {
                        del_edge(r, f);
                        me[x] = e;
                    } else {
                        del_edge(r, e);
                    }
                } else {
                    mark[x] = v;
                    me[x] = e;
                }
            }
        }
        free(mark);
        free(me);
    }
    if (reduce_reach(r) || reduce_budget_dist(r) || reduce_degree(r))
        goto out;
    for (int round = 0; round < 4; round++) {
        int d = reduce_paths(r);
        if (d < 0 || reduce_degree(r))
            goto out;
        if (d == 0)
            break;
    }
    /* compact */
    int n2 = 0, m2 = 0, na = 0;
    out->node_red = malloc((size_t)(p->n > 0 ? p->n : 1) * sizeof(int));
    if (!out->node_red)
        goto out;
    for (int v = 0; v < p->n; v++)
        out->node_red[v] = r->nalive[v] ? n2++ : -1;
    for (int e = 0; e < r->m; e++)
        if (r->ealive[e]) {
            m2++;
            for (int a = r->afirst[e]; a >= 0; a = r->anext[a]) {
                na++;
                if (a == r->alast[e])
                    break;
            }
        }
    size_t nn = n2 > 0 ? (size_t)n2 : 1, mm = m2 > 0 ? (size_t)m2 : 1;
    out->node_orig = malloc(nn * sizeof(int));
    out->prize = malloc(nn * sizeof(double));
    out->ncost = malloc(nn * sizeof(double));
    out->grp = malloc(nn * sizeof(int));
    out->t = malloc(mm * sizeof(int));
    out->h = malloc(mm * sizeof(int));
    out->c = malloc(mm * sizeof(double));
    out->eoff = malloc((mm + 1) * sizeof(int));
    out->eanc = malloc((na > 0 ? (size_t)na : 1) * sizeof(int));
    if (!out->node_orig || !out->prize || !out->ncost || !out->grp || !out->t || !out->h ||
        !out->c || !out->eoff || !out->eanc)
        goto out;
    for (int v = 0; v < p->n; v++) {
        int k = out->node_red[v];
        if (k < 0)
            continue;
        out->node_orig[k] = v;
        out->prize[k] = r->pz[v];
        out->ncost[k] = kc(p, v);
        out->grp[k] = grp(p, v);
    }
    int k = 0, ka = 0;
    out->eoff[0] = 0;
    for (int e = 0; e < r->m; e++) {
        if (!r->ealive[e])
            continue;
        out->t[k] = out->node_red[r->t[e]];
        out->h[k] = out->node_red[r->h[e]];
        out->c[k] = r->c[e];
        for (int a = r->afirst[e]; a >= 0; a = r->anext[a]) {
            out->eanc[ka++] = a;
            if (a == r->alast[e])
                break;
        }
        out->eoff[++k] = ka;
    }
    /* joined leaves with the original edges of their edge */
    int nat = r->natt, naa = 0;
    for (int i = 0; i < nat; i++)
        for (int a = r->afirst[r->att_e[i]]; a >= 0; a = r->anext[a]) {
            naa++;
            if (a == r->alast[r->att_e[i]])
                break;
        }
    out->natt = nat;
    out->att_v = malloc((nat > 0 ? (size_t)nat : 1) * sizeof(int));
    out->att_u = malloc((nat > 0 ? (size_t)nat : 1) * sizeof(int));
    out->aoff = malloc(((size_t)nat + 1) * sizeof(int));
    out->aanc = malloc((naa > 0 ? (size_t)naa : 1) * sizeof(int));
    if (!out->att_v || !out->att_u || !out->aoff || !out->aanc)
        goto out;
    out->aoff[0] = 0;
    for (int i = 0, ka2 = 0; i < nat; i++) {
        out->att_v[i] = r->att_v[i];
        out->att_u[i] = r->att_u[i];
        for (int a = r->afirst[r->att_e[i]]; a >= 0; a = r->anext[a]) {
            out->aanc[ka2++] = a;
            if (a == r->alast[r->att_e[i]])
                break;
        }
        out->aoff[i + 1] = ka2;
    }
    out->offset = r->offset;
    out->rp = *p;
    out->rp.n = n2;
    out->rp.m = m2;
    out->rp.tail = out->t;
    out->rp.head = out->h;
    out->rp.cost = out->c;
    out->rp.prize = out->prize;
    out->rp.ncost = out->ncost;
    out->rp.group = p->group ? out->grp : NULL;
    out->rp.root = p->root >= 0 ? out->node_red[p->root] : -1;
    rc = 0;
out:
    wred_free(r);
    if (rc)
        nwred_free(out);
    return rc;
}

/* Maps a reduced solution to the original graph. */
static void map_back(const fp_nwprob *p, const nwred *x, const unsigned char *rn,
                     const unsigned char *re, unsigned char *node_in, unsigned char *edge_in)
{
    memset(node_in, 0, (size_t)(p->n > 0 ? p->n : 1));
    memset(edge_in, 0, (size_t)(p->m > 0 ? p->m : 1));
    for (int k = 0; k < x->rp.n; k++)
        if (rn[k])
            node_in[x->node_orig[k]] = 1;
    for (int k = 0; k < x->rp.m; k++) {
        if (!re[k])
            continue;
        for (int i = x->eoff[k]; i < x->eoff[k + 1]; i++) {
            int e = x->eanc[i];
            edge_in[e] = 1;
            node_in[p->tail[e]] = node_in[p->head[e]] = 1;
        }
    }
    /* joined leaves follow their node, latest joins first */
    for (int i = x->natt - 1; i >= 0; i--) {
        if (!node_in[x->att_u[i]])
            continue;
        node_in[x->att_v[i]] = 1;
        for (int j = x->aoff[i]; j < x->aoff[i + 1]; j++) {
            int e = x->aanc[j];
            edge_in[e] = 1;
            node_in[p->tail[e]] = node_in[p->head[e]] = 1;
        }
    }
}

/* Maps an original solution to the reduced graph (an edge is in when all
 * its ancestors are). RETURNS 1 if the result is a feasible reduced tree. */
static int map_down(const nwred *x, const unsigned char *node_in, const unsigned char *edge_in,
                    unsigned char *rn, unsigned char *re, double *obj)
{
    for (int k = 0; k < x->rp.n; k++)
        rn[k] = node_in[x->node_orig[k]];
    for (int k = 0; k < x->rp.m; k++) {
        int all = x->eoff[k + 1] > x->eoff[k];
        for (int i = x->eoff[k]; i < x->eoff[k + 1] && all; i++)
            all = edge_in[x->eanc[i]] != 0;
        re[k] = (unsigned char)all;
    }
    return fp_nw_eval(&x->rp, rn, re, obj);
}

/* Unrooted: the best tree of a single node (reductions may drop it). */
static int best_single(const fp_nwprob *p, int *best, double *obj)
{
    if (p->root >= 0)
        return 0;
    double tot = 0;
    for (int v = 0; v < p->n; v++)
        tot += p->prize[v];
    int b = -1;
    double bo = INFINITY;
    int *gsize = NULL;
    if (p->group) {
        int ng = 0;
        for (int v = 0; v < p->n; v++)
            if (p->group[v] >= ng)
                ng = p->group[v] + 1;
        gsize = calloc((size_t)ng + 1, sizeof *gsize);
        if (!gsize)
            return 0;
        for (int v = 0; v < p->n; v++)
            if (p->group[v] >= 0)
                gsize[p->group[v]]++;
    }
    for (int v = 0; v < p->n; v++) {
        if (gsize && p->group[v] >= 0 && gsize[p->group[v]] > 1)
            continue;
        double o;
        if (p->mode == FP_NW_PC)
            o = tot - p->prize[v] + kc(p, v);
        else if (p->mode == FP_NW_BUDGET)
            o = kc(p, v) <= p->limit ? -p->prize[v] : INFINITY;
        else
            o = p->prize[v] >= p->limit ? kc(p, v) : INFINITY;
        if (o < bo) {
            bo = o;
            b = v;
        }
    }
    free(gsize);
    if (b < 0)
        return 0;
    *best = b;
    *obj = bo;
    return 1;
}

/* ---------------------------------------------------------------------
 * Bound-based fixing (PC, and rooted BUDGET). With an incumbent of value
 * z, only trees better than z matter (integral values: worth z - 1 at
 * most). PC: a node or edge whose dual ascent bound (fp_nw_da; unrooted:
 * on SCIP-Jack's transformation, the empty tree weighed apart) exceeds
 * that is in no such tree; a tree along the ascent's tight arcs may lower
 * z first. Unrooted, a prize node whose absence costs more is in every
 * such tree: the rest is rooted there (and fixed again, rooted). The
 * problem left gets its root LP first; a better tree from it lowers z and
 * fixes more before the whole search. BUDGET: for any
 * multiplier lambda > 0, a tree T within the budget B of weight >= t has
 * PC value c(T) + k(T) + lambda (W - w(T)) <= B + lambda (W - t) under
 * prizes lambda x w (W: all weight but the root's), so an element whose
 * bound exceeds that is in no tree of weight >= t; and the global bound
 * LB gives w(T) <= w_root + (B + lambda W - LB) / lambda for every tree.
 * t is the least weight that would improve on the incumbent by more than
 * the gap limit (integral weights: the next integer). The problem without
 * those elements is solved (nested, without fixing) and its answer
 * combined with the incumbent: trees outside it are no better than z (or
 * than t minus one step). Multipliers: the caller's, then a golden
 * section search on the weight bound.
 * --------------------------------------------------------------------- */

typedef struct bfix {
    const fp_nwprob *p;
    double *pz, *nb, *eb;
    double *xb;             /* [n] unrooted PC: bound on trees leaving v out */
    double empty;           /* unrooted PC: the empty tree's value */
    double dalb;            /* the last ascent's own bound */
    unsigned char *kill_e;  /* [m] 1: edge removed */
    unsigned char *kill_n;  /* [n] 1: node removed */
    double hint;            /* engine-sense lower bound on every tree */
    int nda;                /* ascents run */
    double W, wroot, target, deadline;
    int integral;
} bfix;

/* PC: 1 if every tree's value is an integer (integral costs, prizes). */
static int pc_integral(const fp_nwprob *p)
{
    for (int v = 0; v < p->n; v++) {
        if (p->prize[v] != floor(p->prize[v]) || p->prize[v] > 1e12)
            return 0;
        if (p->ncost && (p->ncost[v] != floor(p->ncost[v]) || p->ncost[v] > 1e12))
            return 0;
    }
    for (int e = 0; e < p->m; e++)
        if (p->cost[e] != floor(p->cost[e]) || p->cost[e] > 1e12)
            return 0;
    return 1;
}

/* Marks what the last ascent's bounds put above ub. */
static void bfix_kill(bfix *b, double ub)
{
    const fp_nwprob *p = b->p;
    double tol = 1e-7 * (1 + fabs(ub));
    for (int v = 0; v < p->n; v++)
        if (v != p->root && b->nb[v] > ub + tol)
            b->kill_n[v] = 1;
    for (int e = 0; e < p->m; e++)
        if (b->eb[e] > ub + tol || b->kill_n[p->tail[e]] || b->kill_n[p->head[e]])
            b->kill_e[e] = 1;
}

/* One multiplier: dual ascent, bound, fixing. RETURNS the weight bound
 * (BUDGET; PC: the lower bound), or NAN on no memory. */
static double bfix_try(bfix *b, double lambda)
{
    const fp_nwprob *p = b->p;
    for (int v = 0; v < p->n; v++)
        b->pz[v] = lambda * p->prize[v];
    double lb;
    b->nda++;
    if (fp_nw_da(p, b->pz, b->deadline, &lb, b->nb, b->eb, b->xb))
        return NAN;
    b->dalb = lb;
    double ub, ret;
    if (p->mode == FP_NW_PC) {
        /* unrooted: the ascent's bounds leave out the empty tree (and
         * trees without a prize, no better than it) */
        if (p->root < 0 && b->empty < lb)
            lb = b->empty;
        ub = b->target;
        if (lb > b->hint)
            b->hint = lb;
        ret = lb;
    } else {
        double wub = b->wroot + (p->limit + lambda * b->W - lb) / lambda;
        if (b->integral)
            wub = floor(wub + 1e-6);
        if (-wub > b->hint)
            b->hint = -wub;
        ub = p->limit + lambda * (b->W - (b->target - b->wroot));
        ret = wub;
    }
    bfix_kill(b, ub);
    return ret;
}

#define HEUR_STARTS 8

/* PC: a tree along the last ascent's tight arcs (SCIP-Jack's ascend and
 * prune): the nodes on zero reduced-cost paths from the root to a
 * terminal joined first, paths on reduced costs, then MST, pruning and a
 * local search on the true costs. RETURNS 1 with a tree better than *z
 * in rn/re and *z, 0 if none (or no memory). */
static int bfix_heur(const bfix *b, fp_nwh *h, unsigned char *rn, unsigned char *re, double *z)
{
    const fp_nwprob *p = b->p;
    int n = p->n, m = p->m, ok = 0;
    double *yv = malloc((n > 0 ? (size_t)n : 1) * sizeof *yv);
    double *w = malloc((m > 0 ? (size_t)m : 1) * sizeof *w);
    unsigned char *tn = malloc(n > 0 ? (size_t)n : 1), *te = malloc(m > 0 ? (size_t)m : 1);
    if (!yv || !w || !tn || !te)
        goto out;
    double tol = 1e-9 * (1 + fabs(b->dalb));
    /* starts (unrooted): the tight prize nodes of largest prize */
    int starts[HEUR_STARTS], ns = 0;
    for (int v = 0; v < n; v++) {
        yv[v] = b->nb[v] <= b->dalb + tol;
        if (p->root >= 0 || yv[v] <= 0 || p->prize[v] <= 0)
            continue;
        int k;
        if (ns < HEUR_STARTS) {
            k = ns++;
        } else {
            k = HEUR_STARTS - 1;
            if (p->prize[starts[k]] >= p->prize[v])
                continue;
        }
        for (; k > 0 && p->prize[starts[k - 1]] < p->prize[v]; k--)
            starts[k] = starts[k - 1];
        starts[k] = v;
    }
    if (p->root >= 0) {
        starts[0] = p->root;
        ns = 1;
    }
    for (int e = 0; e < m; e++) {
        double r = b->eb[e] - b->dalb;
        w[e] = (r > 0 ? (r < 1e15 ? r : 1e15) : 0) + 1e-9 * (1 + p->cost[e]);
    }
    for (int i = 0; i < 2 * ns; i++) {
        double o;
        if (!fp_nwh_build(h, starts[i / 2], w, i % 2 ? NULL : yv, tn, te, &o))
            continue;
        fp_nwh_improve(h, tn, te, &o, n < 500 ? 4L * n + 500 : 2500);
        if (o < *z - 1e-9 * (1 + fabs(*z))) {
            memcpy(rn, tn, (size_t)n);
            memcpy(re, te, (size_t)m);
            *z = o;
            ok = 1;
        }
    }
out:
    free(yv);
    free(w);
    free(tn);
    free(te);
    return ok;
}

/* Fixing on p (rooted PC or BUDGET) around the incumbent rn/re of value
 * *robj. *handled = 1 when it solved p (rr filled, rn/re the best tree).
 * RETURNS 0 or an error code. */
static int bound_fix(const fp_nwprob *p, const fp_nwopts *o, fp_nwh *h, unsigned char *rn,
                     unsigned char *re, double *robj, fp_nwres *rr, int *handled, fp_error *err)
{
    bfix b;
    memset(&b, 0, sizeof b);
    b.p = p;
    double t0 = fp_nw_now();
    int n = p->n, m = p->m, rc = FP_OK;
    size_t nn = n > 0 ? (size_t)n : 1, mm = m > 0 ? (size_t)m : 1;
    int *emap = NULL, *t2 = NULL, *h2 = NULL;
    double *c2 = NULL;
    unsigned char *e2 = NULL, *n2 = NULL;
    *handled = 0;
    b.pz = malloc(nn * sizeof(double));
    b.nb = malloc(nn * sizeof(double));
    if (p->root < 0)
        b.xb = malloc(nn * sizeof(double));
    b.eb = malloc(mm * sizeof(double));
    b.kill_e = calloc(mm, 1);
    b.kill_n = calloc(nn, 1);
    if (!b.pz || !b.nb || !b.eb || !b.kill_e || !b.kill_n || (p->root < 0 && !b.xb)) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    b.hint = -INFINITY;
    b.deadline = o->deadline;
    double z = *robj, out_bound; /* engine-sense bound on trees removed */
    if (p->mode == FP_NW_PC) {
        /* integral values: a better tree is worth z - 1 at most */
        b.integral = pc_integral(p);
        b.target = b.integral ? z - 1 : z;
        out_bound = z;
        for (int v = 0; v < n; v++)
            b.empty += p->prize[v];
        if (isnan(bfix_try(&b, 1.0)))
            goto nomem;
        if (h && bfix_heur(&b, h, rn, re, &z)) {
            /* a better incumbent: more to fix */
            fp_log_msg(o->log, FP_LOG_DEBUG, "bound fixing: ascent heuristic %.10g", z);
            out_bound = *robj = rr->obj = z;
            b.target = b.integral ? z - 1 : z;
            bfix_kill(&b, b.target);
        }
        if (b.integral)
            b.hint = ceil(b.hint - 1e-6 * (1 + fabs(b.hint)));
    } else {
        b.integral = 1;
        for (int v = 0; v < n; v++) {
            if (v == p->root)
                b.wroot = p->prize[v];
            else
                b.W += p->prize[v];
            if (p->prize[v] != floor(p->prize[v]) || p->prize[v] > 1e12)
                b.integral = 0;
        }
        double winc = -z, g = o->gap_limit > 0 && o->gap_limit < 0.5 ? o->gap_limit : 0;
        if (b.integral) {
            b.target = floor(winc / (1 - g) + 1e-9) + 1;
            if (b.target < winc + 1)
                b.target = winc + 1;
            out_bound = -(b.target - 1);
        } else {
            b.target = g > 0 ? winc / (1 - g) : winc + 1e-9 * (1 + fabs(winc));
            out_bound = -b.target;
        }
        if (b.W <= 0)
            goto out;
        double best = INFINITY, bl = 0;
        for (int i = 0; i < o->n_lambda; i++) {
            if (!(o->lambda[i] > 0) || !isfinite(o->lambda[i]))
                continue;
            double w = bfix_try(&b, o->lambda[i]);
            if (isnan(w))
                goto nomem;
            if (w < best) {
                best = w;
                bl = o->lambda[i];
            }
        }
        if (best > winc && o->n_lambda == 0) {
            /* no multiplier given (a hull's slopes are the best ones):
             * golden section on log lambda around the incumbent's price
             * of a unit of weight (or the best hint) */
            double l0 = bl > 0 ? bl : (p->limit > 0 ? p->limit : 1) / (winc > 1 ? winc : 1);
            double a = log(l0) - (bl > 0 ? 1.0 : 3.0), c = log(l0) + (bl > 0 ? 1.0 : 3.0);
            const double gr = 0.6180339887498949;
            double x1 = c - gr * (c - a), x2 = a + gr * (c - a);
            double f1 = bfix_try(&b, exp(x1)), f2 = bfix_try(&b, exp(x2));
            for (int it = 0; it < 10 && !isnan(f1) && !isnan(f2); it++) {
                if (-b.hint <= winc || (o->deadline > 0 && fp_nw_now() > o->deadline))
                    break;
                if (f1 <= f2) {
                    c = x2;
                    x2 = x1;
                    f2 = f1;
                    x1 = c - gr * (c - a);
                    f1 = bfix_try(&b, exp(x1));
                } else {
                    a = x1;
                    x1 = x2;
                    f1 = f2;
                    x2 = a + gr * (c - a);
                    f2 = bfix_try(&b, exp(x2));
                }
            }
            if (isnan(f1) || isnan(f2))
                goto nomem;
        }
    }
    int killed = 0, kn = 0;
    for (int e = 0; e < m; e++)
        killed += b.kill_e[e];
    for (int v = 0; v < n; v++)
        kn += b.kill_n[v];
    fp_log_msg(o->log, FP_LOG_DEBUG, "bound fixing: %d of %d edges, %d of %d nodes, bound %.10g, "
               "incumbent %.10g, %d ascents in %.3f s", killed, m, kn, n, b.hint, z, b.nda,
               fp_nw_now() - t0);
    double tol = 1e-9 * (1 + fabs(z));
    if (b.hint >= z - tol) {
        /* the incumbent is proven optimal */
        rr->has_sol = 1;
        rr->obj = z;
        rr->bound = z;
        rr->optimal = 1;
        *handled = 1;
        goto out;
    }
    /* unrooted PC: a prize node every tree better than z holds (the
     * empty tree being no better) roots the rest, where the rooted
     * fixing applies; the node whose absence costs most */
    int froot = -1;
    if (p->root < 0 && p->mode == FP_NW_PC && b.empty >= z - tol) {
        double bx = b.target + tol;
        for (int v = 0; v < n; v++)
            if (!b.kill_n[v] && b.xb[v] > bx) {
                bx = b.xb[v];
                froot = v;
            }
    }
    fp_log_msg(o->log, FP_LOG_DEBUG, "bound fixing: root %d", froot);
    /* the ILP starts from the ascent's bound if nothing is fixed */
    rr->bound = b.hint;
    if (killed == 0 && froot < 0)
        goto out;
    /* the problem without the removed edges (nodes left isolated go in
     * its reductions). PC: first its root LP only; a better tree from it
     * fixes more (the target drops), then the whole search */
    emap = malloc(mm * sizeof(int));
    t2 = malloc(mm * sizeof(int));
    h2 = malloc(mm * sizeof(int));
    c2 = malloc(mm * sizeof(double));
    e2 = calloc(mm, 1);
    n2 = malloc(nn);
    if (!emap || !t2 || !h2 || !c2 || !e2 || !n2)
        goto nomem;
    fp_nwres r2;
    double bound = -INFINITY;
    for (int pass = p->mode == FP_NW_PC ? 0 : 1; pass < 2; pass++) {
        int inc_ok = 1, k = 0;
        for (int e = 0; e < m; e++) {
            if (b.kill_e[e]) {
                if (re[e])
                    inc_ok = 0;
                continue;
            }
            emap[k] = e;
            t2[k] = p->tail[e];
            h2[k] = p->head[e];
            c2[k] = p->cost[e];
            e2[k] = re[e];
            k++;
        }
        int m2 = k;
        memcpy(n2, rn, nn);
        fp_nwprob q = *p;
        q.m = m2;
        q.tail = t2;
        q.head = h2;
        q.cost = c2;
        fp_nwopts o2 = *o;
        o2.no_fix = 1;
        o2.root_only = pass == 0;
        if (froot >= 0) {
            /* trees of p without froot are no better than z: the rest is
             * rooted there, with its own (rooted) fixing */
            q.root = froot;
            o2.no_fix = 0;
            inc_ok = inc_ok && rn[froot];
        }
        /* only trees reaching the target matter in there */
        o2.cutoff = p->mode == FP_NW_BUDGET ? -b.target : INFINITY;
        o2.n_hints = 0; /* hints index the caller's graph, not p */
        if (b.hint > o2.bound_hint)
            o2.bound_hint = b.hint;
        memset(&r2, 0, sizeof r2);
        r2.has_sol = inc_ok;
        if ((rc = fp_nw_solve(&q, &o2, n2, e2, &r2, err)))
            goto out;
        bound = r2.has_sol || r2.infeasible ? r2.bound : -INFINITY;
        if (r2.infeasible)
            bound = INFINITY;
        int better = r2.has_sol && r2.obj < z - tol;
        if (better) {
            memcpy(rn, n2, nn);
            memset(re, 0, mm);
            for (int j = 0; j < m2; j++)
                if (e2[j])
                    re[emap[j]] = 1;
            z = r2.obj;
        }
        if (pass == 0) {
            double bz = bound < z ? bound : z;
            if (bz >= z - tol || b.hint >= z - tol || (o->deadline > 0 && fp_nw_now() > o->deadline))
                break; /* proven (or out of time) */
            if (better) {
                out_bound = z;
                b.target = b.integral ? z - 1 : z;
                bfix_kill(&b, b.target);
                for (int v = 0; froot < 0 && p->root < 0 && v < n; v++)
                    if (!b.kill_n[v] && b.xb[v] > b.target + tol && b.empty >= z - tol)
                        froot = v;
                killed = 0;
                for (int e = 0; e < m; e++)
                    killed += b.kill_e[e];
                fp_log_msg(o->log, FP_LOG_DEBUG, "bound fixing: root LP tree %.10g: %d of %d "
                           "edges, root %d", z, killed, m, froot);
            }
        }
    }
    if (out_bound < bound)
        bound = out_bound;
    if (b.hint > bound)
        bound = b.hint;
    if (bound > z)
        bound = z;
    rr->has_sol = 1;
    rr->obj = z;
    rr->bound = bound;
    rr->optimal = bound >= z - tol;
    rr->bb_nodes = r2.bb_nodes;
    rr->red_n = r2.red_n;
    rr->red_m = r2.red_m;
    *robj = z;
    *handled = 1;
    goto out;
nomem:
    rc = fp_error_set(err, FP_ENOMEM, "out of memory");
out:
    free(b.pz);
    free(b.nb);
    free(b.eb);
    free(b.xb);
    free(b.kill_e);
    free(b.kill_n);
    free(emap);
    free(t2);
    free(h2);
    free(c2);
    free(e2);
    free(n2);
    return rc;
}

static int past(const fp_nwopts *o)
{
    return o->deadline > 0 && fp_nw_now() > o->deadline;
}

int fp_nw_solve(const fp_nwprob *p, const fp_nwopts *o, unsigned char *node_in,
                unsigned char *edge_in, fp_nwres *res, fp_error *err)
{
    double t_in = fp_nw_now();
    nwred x;
    memset(&x, 0, sizeof x);
    int *as = NULL, *ae = NULL, rc = FP_OK;
    fp_nwh *h = NULL;
    unsigned char *rn = NULL, *re = NULL, *tn = NULL, *te = NULL;
    int had = res->has_sol;
    double inc_obj = INFINITY;
    memset(res, 0, sizeof *res);
    res->bound = -INFINITY;
    size_t nn = p->n > 0 ? (size_t)p->n : 1, mm = p->m > 0 ? (size_t)p->m : 1;
    tn = calloc(nn, 1);
    te = calloc(mm, 1);
    if (!tn || !te) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    /* the caller's start, if valid */
    if (had && fp_nw_eval(p, node_in, edge_in, &inc_obj)) {
        res->has_sol = 1;
        res->obj = inc_obj;
    }
    int sb;
    double so;
    if (best_single(p, &sb, &so) && (!res->has_sol || so < res->obj)) {
        memset(tn, 0, nn);
        memset(te, 0, mm);
        tn[sb] = 1;
        if (fp_nw_eval(p, tn, te, &so)) {
            memcpy(node_in, tn, nn);
            memcpy(edge_in, te, mm);
            res->has_sol = 1;
            res->obj = so;
        }
    }
    double single_obj = INFINITY;
    if (p->root < 0 && best_single(p, &sb, &so))
        single_obj = so;
    if (reduce_all(p, &x)) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory in reductions");
        goto out;
    }
    res->red_n = x.rp.n;
    res->red_m = x.rp.m;
    fp_log_msg(o->log, FP_LOG_INFO, "reduced %d nodes %d edges to %d nodes %d edges (%.3f s)",
               p->n, p->m, x.rp.n, x.rp.m, fp_nw_now() - t_in);
    size_t rnn = x.rp.n > 0 ? (size_t)x.rp.n : 1, rmm = x.rp.m > 0 ? (size_t)x.rp.m : 1;
    rn = calloc(rnn, 1);
    re = calloc(rmm, 1);
    if (!rn || !re || fp_nw_adj(&x.rp, &as, &ae) || !(h = fp_nwh_create(&x.rp, as, ae))) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    fp_nwh_set_deadline(h, o->deadline);
    fp_nwres rr;
    memset(&rr, 0, sizeof rr);
    rr.bound = -INFINITY;
    double robj = INFINITY;
    int rhas = 0;
    if (res->has_sol && map_down(&x, node_in, edge_in, rn, re, &robj))
        rhas = 1;
    if (x.rp.n > 0 && !(x.rp.root >= 0 && x.rp.n == 1)) {
        /* the caller's start and hints, repaired and grown */
        unsigned char *hn = calloc(rnn, 1), *hn2 = calloc(rnn, 1), *he2 = calloc(rmm, 1);
        if (!hn || !hn2 || !he2) {
            free(hn);
            free(hn2);
            free(he2);
            rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            goto out;
        }
        for (int k = -1; k < o->n_hints && k < 2; k++) {
            if (k < 0 && !rhas)
                continue;
            for (int j = 0; j < x.rp.n; j++)
                hn[j] = k < 0 ? rn[j] : o->hint_n[k][x.node_orig[j]];
            if (x.rp.root >= 0)
                hn[x.rp.root] = 1;
            double ho = INFINITY;
            int ok = fp_nwh_repair(h, hn, NULL, hn2, he2, &ho);
            fp_log_msg(o->log, FP_LOG_DEBUG, "start %d: repaired %d, %.10g (had %.10g), %.3f s",
                       k, ok, ho, rhas ? robj : INFINITY, fp_nw_now() - t_in);
            if (ok && (!rhas || ho < robj)) {
                memcpy(rn, hn2, rnn);
                memcpy(re, he2, rmm);
                robj = ho;
                rhas = 1;
            }
            /* budget: the best part of a tree over the budget, exactly */
            if (k >= 0 && !(rhas && past(o)) && fp_nwh_knap(h, hn, hn2, he2, &ho) &&
                (!rhas || ho < robj)) {
                memcpy(rn, hn2, rnn);
                memcpy(re, he2, rmm);
                robj = ho;
                rhas = 1;
            }
        }
        if (x.rp.mode == FP_NW_BUDGET && x.rp.root >= 0 && !x.rp.group && !o->no_fix) {
            /* tree knapsack on the shortest-path tree and on the union
             * of the start and the hints */
            for (int pass = 0; pass < 2; pass++) {
                if (rhas && past(o))
                    break;
                if (pass == 1) {
                    for (int j = 0; j < x.rp.n; j++) {
                        hn[j] = rhas && rn[j];
                        for (int k = 0; k < o->n_hints && k < 2; k++)
                            hn[j] |= o->hint_n[k][x.node_orig[j]];
                    }
                }
                double ho = INFINITY;
                if (fp_nwh_knap(h, pass == 0 ? NULL : hn, hn2, he2, &ho) &&
                    (!rhas || ho < robj)) {
                    memcpy(rn, hn2, rnn);
                    memcpy(re, he2, rmm);
                    robj = ho;
                    rhas = 1;
                }
                fp_log_msg(o->log, FP_LOG_DEBUG, "tree knapsack %d: %.10g", pass, ho);
            }
        }
        free(hn);
        free(hn2);
        free(he2);
        double th = fp_nw_now();
        if (!rhas || (!had && o->n_hints == 0 && !past(o)))
            fp_nwh_run(h, x.rp.root >= 0 ? 6 : 12, 1, rn, re, &robj, &rhas);
        else if (!isfinite(o->cutoff) && !past(o))
            /* a (repaired) start: a short local search on it; the
             * nested budget solve has its start already improved */
            fp_nwh_improve(h, rn, re, &robj, x.rp.n < 500 ? 4L * x.rp.n + 500 : 2500);
        fp_log_msg(o->log, FP_LOG_DEBUG, "heuristics %.10g in %.3f s (%.3f s in all)", robj,
                   fp_nw_now() - th, fp_nw_now() - t_in);
        if (rhas)
            fp_log_progress(o->log, "solve", 0, 0, "heuristic %.10g", robj + x.offset);
        rr.has_sol = rhas;
        rr.obj = robj;
        fp_nwopts io = *o;
        if (isfinite(io.bound_hint))
            io.bound_hint -= x.offset;
        int handled = 0;
        /* out of time already (set-up is not cut by the deadline): the
         * start and the bound hint, no fixing, no ILP */
        int late = rhas && past(o);
        /* unrooted PC: the ascent on SCIP-Jack's transformation (groups
         * would need a root: none there) */
        int fixable = x.rp.root >= 0 ? (x.rp.mode == FP_NW_PC || x.rp.mode == FP_NW_BUDGET)
                                     : (x.rp.mode == FP_NW_PC && !x.rp.group);
        if (!o->heuristic_only && !late && !o->no_fix && rhas && fixable) {
            rc = bound_fix(&x.rp, &io, h, rn, re, &robj, &rr, &handled, err);
            if (rc)
                goto out;
            if (handled && rr.red_n + rr.red_m > 0) {
                res->red_n = rr.red_n;
                res->red_m = rr.red_m;
            }
        }
        if (!o->heuristic_only && !late && !handled) {
            if (rr.bound > io.bound_hint)
                io.bound_hint = rr.bound;
            rc = fp_nw_ilp(&x.rp, as, ae, &io, h, rn, re, &rr, err);
            if (rc)
                goto out;
        } else if (!handled) {
            rr.bound = isfinite(io.bound_hint) ? io.bound_hint : -INFINITY;
        }
    } else {
        /* nothing left: the empty tree or the root alone */
        memset(rn, 0, rnn);
        if (x.rp.root >= 0)
            rn[x.rp.root] = 1;
        rr.has_sol = fp_nw_eval(&x.rp, rn, re, &rr.obj);
        rr.bound = rr.has_sol ? rr.obj : INFINITY;
        rr.optimal = rr.has_sol;
        rr.infeasible = !rr.has_sol;
    }
    res->bb_nodes = rr.bb_nodes;
    fp_log_msg(o->log, FP_LOG_DEBUG, "solved the reduced problem after %.3f s", fp_nw_now() - t_in);
    if (rr.has_sol) {
        map_back(p, &x, rn, re, tn, te);
        fp_log_msg(o->log, FP_LOG_DEBUG, "mapped back after %.3f s", fp_nw_now() - t_in);
        double chk;
        if (!fp_nw_eval(p, tn, te, &chk)) {
            rc = fp_error_set(err, FP_EINTERNAL, "mapped-back tree fails its check");
            goto out;
        }
        if (!res->has_sol || chk < res->obj - 1e-9 * (1 + fabs(chk))) {
            memcpy(node_in, tn, nn);
            memcpy(edge_in, te, mm);
            res->obj = chk;
            res->has_sol = 1;
        }
    }
    /* optimum = min(reduced optimum + constant, best single node) */
    double b = rr.bound + x.offset;
    if (single_obj < b)
        b = single_obj;
    if (isfinite(o->bound_hint) && o->bound_hint > b)
        b = o->bound_hint;
    if (res->has_sol && b > res->obj)
        b = res->obj;
    res->bound = b;
    if (res->has_sol) {
        double tol = 1e-9 * (1 + fabs(res->obj));
        res->optimal = (rr.optimal && res->obj <= rr.obj + x.offset + tol) ||
                       res->bound >= res->obj - tol;
        if (res->optimal)
            res->bound = res->obj;
    } else {
        res->infeasible = rr.infeasible && !isfinite(single_obj);
    }
out:
    fp_nwh_free(h);
    free(as);
    free(ae);
    free(rn);
    free(re);
    free(tn);
    free(te);
    nwred_free(&x);
    return rc;
}

/* ---------------------------------------------------------------------
 * PCSTP front end.
 * --------------------------------------------------------------------- */

/* The engine's view of g: root, and fixed terminals tied to it. */
static int pc_prob(const fp_sgraph *g, fp_nwprob *p, int **group, fp_error *err)
{
    memset(p, 0, sizeof *p);
    *group = NULL;
    if (g->problem == FP_PROB_SPG || !g->prize)
        return fp_error_set(err, FP_EINPUT, "%s: not a prize-collecting instance", g->name);
    for (int v = 0; v < g->n_nodes; v++)
        if (!isfinite(g->prize[v]) || g->prize[v] < 0)
            return fp_error_set(err, FP_EINPUT, "%s: vertex %lld: prize %g is not finite and >= 0",
                                g->name, g->ext_id[v], g->prize[v]);
    int root = g->problem == FP_PROB_RPCSTP ? g->root : -1;
    if (g->problem == FP_PROB_RPCSTP && (root < 0 || root >= g->n_nodes))
        return fp_error_set(err, FP_EINPUT, "%s: rooted prize-collecting problem without a root",
                            g->name);
    int nfixed = 0;
    for (int v = 0; v < g->n_nodes; v++)
        if (g->term[v] && v != root) {
            if (root < 0)
                root = v;
            else
                nfixed++;
        }
    if (nfixed > 0) {
        *group = malloc((size_t)g->n_nodes * sizeof **group);
        if (!*group)
            return fp_error_set(err, FP_ENOMEM, "out of memory");
        for (int v = 0; v < g->n_nodes; v++)
            (*group)[v] = (g->term[v] || v == root) ? 0 : -1;
    }
    p->mode = FP_NW_PC;
    p->n = g->n_nodes;
    p->m = g->n_edges;
    p->tail = g->tail;
    p->head = g->head;
    p->cost = g->cost;
    p->prize = g->prize;
    p->group = *group;
    p->root = root;
    return FP_OK;
}

int fp_pcstp_check(const fp_sgraph *g, const unsigned char *edge_in,
                   const unsigned char *node_in, double *obj)
{
    fp_nwprob p;
    int *group = NULL, ok = 0;
    if (pc_prob(g, &p, &group, NULL))
        return 0;
    unsigned char *nin = calloc(g->n_nodes > 0 ? (size_t)g->n_nodes : 1, 1);
    if (nin) {
        if (node_in) {
            memcpy(nin, node_in, (size_t)g->n_nodes);
        } else {
            for (int e = 0; e < g->n_edges; e++)
                if (edge_in[e])
                    nin[g->tail[e]] = nin[g->head[e]] = 1;
            if (p.root >= 0)
                nin[p.root] = 1;
        }
        ok = fp_nw_eval(&p, nin, edge_in, obj);
    }
    free(nin);
    free(group);
    return ok;
}

int fp_pcstp_solve(const fp_sgraph *g, const fp_steiner_opts *opts, const fp_log *log,
                   fp_steiner_result *res, unsigned char **node_in, fp_error *err)
{
    fp_steiner_opts def;
    if (!opts) {
        fp_steiner_opts_default(&def);
        opts = &def;
    }
    double t0 = fp_nw_now();
    memset(res, 0, sizeof *res);
    res->status = FP_ST_ERROR;
    if (node_in)
        *node_in = NULL;
    fp_nwprob p;
    int *group = NULL;
    unsigned char *nin = NULL;
    int rc = pc_prob(g, &p, &group, err);
    if (rc)
        goto out;
    nin = calloc(g->n_nodes > 0 ? (size_t)g->n_nodes : 1, 1);
    res->edge_in = calloc(g->n_edges > 0 ? (size_t)g->n_edges : 1, 1);
    if (!nin || !res->edge_in) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    fp_nwopts o;
    fp_nw_opts_default(&o);
    o.deadline = opts->time_limit > 0 ? t0 + opts->time_limit : 0;
    o.gap_limit = opts->gap_limit;
    o.heuristic_only = opts->heuristic_only;
    o.log = log;
    fp_nwres r;
    memset(&r, 0, sizeof r);
    rc = fp_nw_solve(&p, &o, nin, res->edge_in, &r, err);
    if (rc)
        goto out;
    res->nodes_explored = r.bb_nodes;
    res->n_nodes_reduced = r.red_n;
    res->n_edges_reduced = r.red_m;
    if (!r.has_sol) {
        res->status = FP_ST_INFEASIBLE;
        res->cost = res->lower_bound = INFINITY;
        goto out;
    }
    res->cost = r.obj;
    res->lower_bound = r.bound;
    res->gap = r.obj > 0 ? (r.obj - r.bound) / r.obj : 0;
    if (res->gap < 0)
        res->gap = 0;
    res->status = r.optimal ? FP_ST_OPTIMAL : FP_ST_FEASIBLE;
    if (node_in) {
        *node_in = nin;
        nin = NULL;
    }
out:
    res->seconds = fp_nw_now() - t0;
    if (rc) {
        res->status = FP_ST_ERROR;
        free(res->edge_in);
        res->edge_in = NULL;
    }
    free(nin);
    free(group);
    return rc;
}
