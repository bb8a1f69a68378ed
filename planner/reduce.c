/* reduce: degree, nearest-vertex and special-distance tests with a map back
 * to the original edges. */
#include "reduce.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "pqueue.h"

static int grow_edges(fp_rgraph *r)
{
    int cap = r->cap ? 2 * r->cap : 16;
#define GROW(p, sz)                                   \
    do {                                              \
        void *q = realloc(p, (size_t)cap * (sz));     \
        if (!q)                                       \
            return -1;                                \
        p = q;                                        \
    } while (0)
    GROW(r->tail, sizeof(int));
    GROW(r->head, sizeof(int));
    GROW(r->cost, sizeof(double));
    GROW(r->ealive, 1);
    GROW(r->anc, sizeof(int *));
    GROW(r->nanc, sizeof(int));
    GROW(r->canc, sizeof(int));
#undef GROW
    r->cap = cap;
    return 0;
}

static int adj_push(fp_rgraph *r, int v, int e)
{
    if (r->deg[v] == r->cadj[v]) {
        int c = r->cadj[v] ? 2 * r->cadj[v] : 4;
        int *a = realloc(r->adj[v], (size_t)c * sizeof *a);
        if (!a)
            return -1;
        r->adj[v] = a;
        r->cadj[v] = c;
    }
    r->adj[v][r->deg[v]++] = e;
    return 0;
}

/* Keeps the order of the others: the special-distance searches sort the
 * lists by cost and stop scanning one at the first edge too long. */
static void adj_remove(fp_rgraph *r, int v, int e)
{
    int *a = r->adj[v], d = r->deg[v];
    for (int i = 0; i < d; i++)
        if (a[i] == e) {
            memmove(a + i, a + i + 1, (size_t)(d - i - 1) * sizeof *a);
            r->deg[v]--;
            return;
        }
}

/* Bit of r->sdclean: the node's special-distance search ran to its end (no
 * search limit hit) or found nothing to delete at the largest limit; holds
 * until an edge or terminal appears next to the node. (Skipping the
 * bottleneck degree test likewise lost much of its effect: it gains from
 * terminals appearing further away.) */
enum { CLEAN_SD = 1 };

void fp_rgraph_delete_edge(fp_rgraph *r, int e)
{
    if (!r->ealive[e])
        return;
    r->ealive[e] = 0;
    adj_remove(r, r->tail[e], e);
    adj_remove(r, r->head[e], e);
    free(r->anc[e]);
    r->anc[e] = NULL;
    r->nanc[e] = r->canc[e] = 0;
}

void fp_rgraph_delete_node(fp_rgraph *r, int v)
{
    while (r->deg[v] > 0) /* from the back: no list shifts */
        fp_rgraph_delete_edge(r, r->adj[v][r->deg[v] - 1]);
    if (r->term[v])
        r->n_terms--;
    r->term[v] = 0;
    r->nalive[v] = 0;
}

static int other(const fp_rgraph *r, int e, int v)
{
    return r->tail[e] == v ? r->head[e] : r->tail[e];
}

/* v became a terminal: special distances near it may have shrunk. */
static void dirty_around(fp_rgraph *r, int v)
{
    r->sdclean[v] = 0;
    for (int i = 0; i < r->deg[v]; i++)
        r->sdclean[other(r, r->adj[v][i], v)] = 0;
}

/* Adds edge (u,v) owning anc[na] (cap ca); merges with a parallel edge,
 * keeping the cheaper. Returns the surviving edge id, -1 on no memory. */
static int add_edge(fp_rgraph *r, int u, int v, double c, int *anc, int na, int ca)
{
    int s = r->deg[u] <= r->deg[v] ? u : v, t = s == u ? v : u;
    for (int i = 0; i < r->deg[s]; i++) {
        int e = r->adj[s][i];
        if (other(r, e, s) == t) {
            if (r->cost[e] <= c) {
                free(anc);
                return e;
            }
            fp_rgraph_delete_edge(r, e);
            break;
        }
    }
    if (r->m == r->cap && grow_edges(r))
        goto fail;
    int e = r->m;
    if (adj_push(r, u, e))
        goto fail;
    if (adj_push(r, v, e)) {
        r->deg[u]--;
        goto fail;
    }
    r->m++;
    r->tail[e] = u;
    r->head[e] = v;
    r->cost[e] = c;
    r->ealive[e] = 1;
    r->sdclean[u] = r->sdclean[v] = 0;
    r->anc[e] = anc;
    r->nanc[e] = na;
    r->canc[e] = ca;
    return e;
fail:
    free(anc);
    return -1;
}

fp_rgraph *fp_rgraph_create(const fp_sgraph *g)
{
    fp_rgraph *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    int n = g->n_nodes;
    size_t nn = n > 0 ? (size_t)n : 1;
    r->n = n;
    r->orig = g;
    r->term = calloc(nn, 1);
    r->nalive = malloc(nn);
    r->adj = calloc(nn, sizeof *r->adj);
    r->deg = calloc(nn, sizeof *r->deg);
    r->cadj = calloc(nn, sizeof *r->cadj);
    r->sdclean = calloc(nn, 1);
    if (!r->term || !r->nalive || !r->adj || !r->deg || !r->cadj || !r->sdclean)
        goto fail;
    memset(r->nalive, 1, nn);
    r->last_term = -1;
    for (int v = 0; v < n; v++)
        if (g->term[v]) {
            r->term[v] = 1;
            r->n_terms++;
            r->last_term = v;
        }
    for (int e = 0; e < g->n_edges; e++) {
        if (g->tail[e] == g->head[e])
            continue;
        int *a = malloc(sizeof *a);
        if (!a)
            goto fail;
        a[0] = e;
        if (add_edge(r, g->tail[e], g->head[e], g->cost[e], a, 1, 1) < 0)
            goto fail;
    }
    return r;
fail:
    fp_rgraph_free(r);
    return NULL;
}

void fp_rgraph_free(fp_rgraph *r)
{
    if (!r)
        return;
    for (int e = 0; e < r->m; e++)
        free(r->anc[e]);
    if (r->adj)
        for (int v = 0; v < r->n; v++)
            free(r->adj[v]);
    free(r->tail);
    free(r->head);
    free(r->cost);
    free(r->ealive);
    free(r->anc);
    free(r->nanc);
    free(r->canc);
    free(r->term);
    free(r->nalive);
    free(r->adj);
    free(r->deg);
    free(r->cadj);
    free(r->sdclean);
    free(r->fixed);
    free(r);
}

int fp_reduce_components(fp_rgraph *r, fp_error *err)
{
    int t = -1;
    for (int v = 0; v < r->n; v++)
        if (r->nalive[v] && r->term[v]) {
            t = v;
            break;
        }
    if (t < 0) {
        for (int v = 0; v < r->n; v++)
            if (r->nalive[v])
                fp_rgraph_delete_node(r, v);
        return FP_OK;
    }
    int *stack = malloc((r->n > 0 ? (size_t)r->n : 1) * sizeof *stack);
    unsigned char *seen = calloc(r->n > 0 ? (size_t)r->n : 1, 1);
    if (!stack || !seen) {
        free(stack);
        free(seen);
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    }
    int sp = 0;
    stack[sp++] = t;
    seen[t] = 1;
    while (sp) {
        int v = stack[--sp];
        for (int i = 0; i < r->deg[v]; i++) {
            int w = other(r, r->adj[v][i], v);
            if (!seen[w]) {
                seen[w] = 1;
                stack[sp++] = w;
            }
        }
    }
    int rc = FP_OK;
    for (int v = 0; v < r->n; v++)
        if (r->nalive[v] && !seen[v]) {
            if (r->term[v]) {
                rc = fp_error_set(err, FP_EINFEASIBLE,
                                  "terminals are not connected (node %d unreachable from node %d)",
                                  v + 1, t + 1);
                break;
            }
            fp_rgraph_delete_node(r, v);
        }
    free(stack);
    free(seen);
    r->last_term = t;
    return rc;
}

static int fix_push(fp_rgraph *r, int e)
{
    if (r->n_fixed + r->nanc[e] > r->cap_fixed) {
        int c = 2 * (r->n_fixed + r->nanc[e]) + 16;
        int *f = realloc(r->fixed, (size_t)c * sizeof *f);
        if (!f)
            return -1;
        r->fixed = f;
        r->cap_fixed = c;
    }
    memcpy(r->fixed + r->n_fixed, r->anc[e], (size_t)r->nanc[e] * sizeof(int));
    r->n_fixed += r->nanc[e];
    r->fixed_cost += r->cost[e];
    return 0;
}

/* Fixes edge e=(a,b) into the solution and merges a into b, which is a
 * terminal from then on (a and b are in the tree). Pushes the nodes whose
 * neighbourhood changed on work (room for deg(a) + 1). */
static int contract(fp_rgraph *r, int e, int a, int b, int *work, int *wn)
{
    int dt = 1 - r->term[a] - r->term[b];
    if (fix_push(r, e))
        return -1;
    fp_rgraph_delete_edge(r, e);
    while (r->deg[a] > 0) {
        int f = r->adj[a][r->deg[a] - 1];
        int x = other(r, f, a);
        int *an = r->anc[f];
        int na = r->nanc[f], ca = r->canc[f];
        double c = r->cost[f];
        r->anc[f] = NULL; /* ownership moves to the new edge */
        r->nanc[f] = r->canc[f] = 0;
        fp_rgraph_delete_edge(r, f);
        if (add_edge(r, b, x, c, an, na, ca) < 0)
            return -1;
        work[(*wn)++] = x;
    }
    r->n_terms += dt;
    r->term[b] = 1;
    r->term[a] = 0;
    r->nalive[a] = 0;
    r->last_term = b;
    dirty_around(r, b);
    work[(*wn)++] = b;
    return 0;
}

int fp_reduce_degree(fp_rgraph *r, int *changed, fp_error *err)
{
    int n = r->n, cnt = 0;
    /* a worklist with room for every push: each elimination pushes a few
     * nodes, so grow on demand */
    int wcap = 2 * n + 64, wn = 0;
    int *work = malloc((size_t)wcap * sizeof *work);
    unsigned char *inq = calloc(n > 0 ? (size_t)n : 1, 1);
    if (!work || !inq)
        goto nomem;
    for (int v = n - 1; v >= 0; v--)
        if (r->nalive[v]) {
            work[wn++] = v;
            inq[v] = 1;
        }
    while (wn > 0) {
        int v = work[--wn];
        inq[v] = 0;
        if (!r->nalive[v])
            continue;
        if (wcap - wn < r->deg[v] + 8) {
            int c = 2 * wcap + r->deg[v] + 8;
            int *w = realloc(work, (size_t)c * sizeof *w);
            if (!w)
                goto nomem;
            work = w;
            wcap = c;
        }
        int base = wn;
        if (!r->term[v]) {
            if (r->deg[v] == 0) {
                fp_rgraph_delete_node(r, v);
                cnt++;
            } else if (r->deg[v] == 1) {
                int u = other(r, r->adj[v][0], v);
                fp_rgraph_delete_node(r, v);
                work[wn++] = u;
                cnt++;
            } else if (r->deg[v] == 2) {
                int e1 = r->adj[v][0], e2 = r->adj[v][1];
                int u = other(r, e1, v), w = other(r, e2, v);
                int na = r->nanc[e1] + r->nanc[e2];
                int *an = malloc((size_t)na * sizeof *an);
                if (!an)
                    goto nomem;
                memcpy(an, r->anc[e1], (size_t)r->nanc[e1] * sizeof *an);
                memcpy(an + r->nanc[e1], r->anc[e2], (size_t)r->nanc[e2] * sizeof *an);
                double c = r->cost[e1] + r->cost[e2];
                fp_rgraph_delete_node(r, v);
                if (add_edge(r, u, w, c, an, na, na) < 0)
                    goto nomem;
                work[wn++] = u;
                work[wn++] = w;
                cnt++;
            }
        } else if (r->n_terms > 1 && r->deg[v] >= 1) {
            /* cheapest edge at v; if it leads to a terminal, or v has
             * degree 1, it is in some optimal tree */
            int best = -1;
            for (int i = 0; i < r->deg[v]; i++) {
                int e = r->adj[v][i];
                if (best < 0 || r->cost[e] < r->cost[best])
                    best = e;
            }
            int u = other(r, best, v);
            if (r->deg[v] == 1 || r->term[u]) {
                if (r->deg[v] == 1) {
                    if (fix_push(r, best))
                        goto nomem;
                    fp_rgraph_delete_edge(r, best);
                    r->term[v] = 0;
                    r->nalive[v] = 0;
                    if (r->term[u])
                        r->n_terms--;
                    r->term[u] = 1;
                    r->last_term = u;
                    dirty_around(r, u);
                    work[wn++] = u;
                } else {
                    /* merge the smaller side into the larger one */
                    int a = v, b = u;
                    if (r->deg[a] > r->deg[b]) {
                        a = u;
                        b = v;
                    }
                    if (wcap - wn < r->deg[a] + 8) {
                        int c = 2 * wcap + r->deg[a] + 8;
                        int *w = realloc(work, (size_t)c * sizeof *w);
                        if (!w)
                            goto nomem;
                        work = w;
                        wcap = c;
                    }
                    if (contract(r, best, a, b, work, &wn))
                        goto nomem;
                }
                cnt++;
            }
        }
        /* keep each node at most once in the list */
        int k = base;
        for (int i = base; i < wn; i++) {
            int x = work[i];
            if (!inq[x] && r->nalive[x]) {
                inq[x] = 1;
                work[k++] = x;
            }
        }
        wn = k;
    }
    free(work);
    free(inq);
    if (changed)
        *changed = cnt;
    return FP_OK;
nomem:
    free(work);
    free(inq);
    return fp_error_set(err, FP_ENOMEM, "out of memory in reductions");
}

/* Scratch memory of the special-distance searches, reused from one root
 * to the next (only what a search touched is reset). */
typedef struct sd_ws {
    double *key;          /* [n] bottleneck of the best path found, DBL_MAX unset */
    double *seg;          /* [n] length of its last elementary segment */
    int *fh;              /* [n] first node after the root on that path */
    int *nbe;             /* [n] root edge to the node, -1 none, -2 deleted */
    int *touched;         /* [n] nodes with a key set */
    unsigned char *done;  /* [n] settled */
    fp_pq *pq;
} sd_ws;

static void sd_ws_free(sd_ws *w)
{
    free(w->key);
    free(w->seg);
    free(w->fh);
    free(w->nbe);
    free(w->touched);
    free(w->done);
    fp_pq_free(w->pq);
}

static int sd_ws_init(sd_ws *w, int n)
{
    size_t nn = n > 0 ? (size_t)n : 1;
    memset(w, 0, sizeof *w);
    w->key = malloc(nn * sizeof *w->key);
    w->seg = malloc(nn * sizeof *w->seg);
    w->fh = malloc(nn * sizeof *w->fh);
    w->nbe = malloc(nn * sizeof *w->nbe);
    w->touched = malloc(nn * sizeof *w->touched);
    w->done = calloc(nn, 1);
    w->pq = fp_pq_create(n);
    if (!w->key || !w->seg || !w->fh || !w->nbe || !w->touched || !w->done || !w->pq) {
        sd_ws_free(w);
        return -1;
    }
    for (int v = 0; v < n; v++) {
        w->key[v] = DBL_MAX;
        w->nbe[v] = -1;
    }
    return 0;
}

/* Clears what a search left in w (nt touched nodes). */
static void sd_ws_reset(sd_ws *w, int nt)
{
    fp_pq_clear(w->pq);
    for (int i = 0; i < nt; i++) {
        int v = w->touched[i];
        w->key[v] = DBL_MAX;
        w->done[v] = 0;
        w->nbe[v] = -1;
    }
}

static double max_incident(const fp_rgraph *r, int u)
{
    double c = -1;
    for (int i = 0; i < r->deg[u]; i++)
        if (r->cost[r->adj[u][i]] > c)
            c = r->cost[r->adj[u][i]];
    return c;
}

/* One bottleneck search from u that tests all of u's edges at once: edge
 * (u,v) goes when a path from u to v other than the edge itself has no
 * elementary segment (a stretch between terminals) longer than the edge.
 * Such a path is found when x -> v is relaxed with x reached from u
 * through another first node than v (fh[x] != v): its prefix up to the
 * first visit of v avoids (u,v) and has no longer segment. A path whose
 * first edge was deleted during this search no longer counts, or two
 * edges of equal cost could each be deleted on the strength of the other.
 * The search settles at most `limit` nodes and stops once the bottleneck
 * exceeds u's longest edge left. RETURNS the edges deleted. */
static int sd_search(fp_rgraph *r, sd_ws *w, int u, int limit, int *hit_limit)
{
    *hit_limit = 0;
    if (r->deg[u] == 0)
        return 0;
    double cmax = max_incident(r, u);
    int nt = 0, del = 0;
    for (int i = 0; i < r->deg[u]; i++) {
        int e = r->adj[u][i], v = other(r, e, u);
        w->nbe[v] = e;
    }
    w->done[u] = 1;
    w->key[u] = 0;
    w->touched[nt++] = u;
    for (int i = 0; i < r->deg[u]; i++) {
        int e = r->adj[u][i], v = other(r, e, u);
        double c = r->cost[e];
        w->key[v] = c;
        w->seg[v] = r->term[v] ? 0 : c;
        w->fh[v] = v;
        w->touched[nt++] = v;
        fp_pq_push(w->pq, v, c);
    }
    long scans = 0, scan_limit = 16L * limit;
    int settled = 0;
    while (!fp_pq_empty(w->pq)) {
        int x = fp_pq_pop(w->pq);
        double kx = w->key[x];
        if (kx > cmax)
            break;
        if (++settled > limit || scans > scan_limit) {
            *hit_limit = 1;
            break;
        }
        w->done[x] = 1;
        int fx = w->fh[x];
        int valid = w->nbe[fx] >= 0;
        scans += r->deg[x];
        for (int i = 0; i < r->deg[x]; i++) {
            int f = r->adj[x][i];
            int y = other(r, f, x);
            if (y == u)
                continue;
            double s = w->seg[x] + r->cost[f];
            if (s > cmax)
                break; /* the list is sorted by cost: the rest are longer */
            double k = s > kx ? s : kx;
            int ey = w->nbe[y];
            if (ey >= 0 && valid && fx != y && k <= r->cost[ey]) {
                /* only adj[u] and adj[y] change, not adj[x] */
                int rc = r->cost[ey] >= cmax;
                fp_rgraph_delete_edge(r, ey);
                w->nbe[y] = -2;
                del++;
                if (rc)
                    cmax = max_incident(r, u);
            }
            if (w->done[y] || k > cmax || k >= w->key[y])
                continue;
            if (w->key[y] == DBL_MAX)
                w->touched[nt++] = y;
            w->key[y] = k;
            w->seg[y] = r->term[y] ? 0 : s;
            w->fh[y] = fx;
            fp_pq_push(w->pq, y, k);
        }
    }
    sd_ws_reset(w, nt);
    return del;
}

/* True when a terminal other than z lies within distance bound of v (a
 * search of at most `limit` nodes that does not pass through z). */
static int terminal_within(fp_rgraph *r, sd_ws *w, int v, int z, double bound, int limit)
{
    int nt = 0, found = 0, settled = 0;
    w->key[v] = 0;
    w->touched[nt++] = v;
    fp_pq_push(w->pq, v, 0);
    while (!fp_pq_empty(w->pq)) {
        int x = fp_pq_pop(w->pq);
        double kx = w->key[x];
        if (kx > bound || ++settled > limit)
            break;
        if (r->term[x] && x != z) {
            found = 1;
            break;
        }
        w->done[x] = 1;
        for (int i = 0; i < r->deg[x]; i++) {
            int f = r->adj[x][i], y = other(r, f, x);
            double k = kx + r->cost[f];
            if (y == z || w->done[y] || k > bound || k >= w->key[y])
                continue;
            if (w->key[y] == DBL_MAX)
                w->touched[nt++] = y;
            w->key[y] = k;
            fp_pq_push(w->pq, y, k);
        }
    }
    sd_ws_reset(w, nt);
    return found;
}

/* Nearest-vertex test: terminal z with cheapest edge (z,v1) of cost c1 and
 * next cheapest c2; if another terminal is within c2 - c1 of v1, (z,v1) is
 * in some optimal tree (an optimal tree without it loses its edge at z
 * towards that terminal, of cost >= c2, for (z,v1) and the path, of cost
 * <= c2). Run on the current graph one terminal at a time, so each
 * contraction is justified on the graph it is made in. work: room for n+1.
 * RETURNS the contractions, -1 on no memory. */
static int nv_tests(fp_rgraph *r, sd_ws *w, int *work)
{
    int cnt = 0;
    for (int z = 0; z < r->n && r->n_terms > 1; z++) {
        if (!r->nalive[z] || !r->term[z] || r->deg[z] < 2)
            continue;
        int e1 = -1;
        double c1 = DBL_MAX, c2 = DBL_MAX;
        for (int i = 0; i < r->deg[z]; i++) {
            int e = r->adj[z][i];
            double c = r->cost[e];
            if (c < c1 || (c == c1 && e < e1)) {
                c2 = c1;
                c1 = c;
                e1 = e;
            } else if (c < c2) {
                c2 = c;
            }
        }
        int v1 = other(r, e1, z);
        if (!r->term[v1] && !terminal_within(r, w, v1, z, c2 - c1, 200))
            continue;
        int a = r->deg[z] <= r->deg[v1] ? z : v1, b = a == z ? v1 : z, wn = 0;
        if (contract(r, e1, a, b, work, &wn))
            return -1;
        cnt++;
    }
    return cnt;
}

/* Short-link test on the Voronoi regions of the terminals (every node goes
 * to its nearest terminal, base). For the region of z, let e = (x,y) leave
 * it with the least d(z,x) + c(e) + d(y,base(y)); if that is no more than
 * the cost of any other edge leaving the region, e is in some optimal
 * tree (an optimal tree without e crosses the region's boundary on its
 * way from z to base(y) by another edge; swapping that edge for the two
 * paths and e costs no more). The tests of regions that share no region
 * hold together in one optimal tree (no exchange removes an edge fixed by
 * another), so one Voronoi diagram serves a batch of such regions.
 * work: room for n+1. RETURNS the contractions, -1 on no memory. */
static int sl_test(fp_rgraph *r, sd_ws *w, int *work)
{
    int n = r->n, cnt = 0, nt = 0;
    size_t nn = n > 0 ? (size_t)n : 1;
    int *base = malloc(nn * sizeof *base), *e1 = malloc(nn * sizeof *e1);
    int *emin = malloc(nn * sizeof *emin);
    double *l1 = malloc(nn * sizeof *l1), *cmin = malloc(nn * sizeof *cmin);
    double *cmin2 = malloc(nn * sizeof *cmin2);
    unsigned char *used = calloc(nn, 1);
    if (!base || !e1 || !emin || !l1 || !cmin || !cmin2 || !used) {
        cnt = -1;
        goto out;
    }
    for (int v = 0; v < n; v++) {
        base[v] = e1[v] = emin[v] = -1;
        l1[v] = cmin[v] = cmin2[v] = DBL_MAX;
        if (r->nalive[v] && r->term[v]) {
            base[v] = v;
            w->key[v] = 0;
            w->touched[nt++] = v;
            fp_pq_push(w->pq, v, 0);
        }
    }
    while (!fp_pq_empty(w->pq)) {
        int x = fp_pq_pop(w->pq);
        double kx = w->key[x];
        w->done[x] = 1;
        for (int i = 0; i < r->deg[x]; i++) {
            int f = r->adj[x][i], y = other(r, f, x);
            double k = kx + r->cost[f];
            if (w->done[y] || k >= w->key[y])
                continue;
            if (w->key[y] == DBL_MAX)
                w->touched[nt++] = y;
            w->key[y] = k;
            base[y] = base[x];
            fp_pq_push(w->pq, y, k);
        }
    }
    for (int e = 0; e < r->m; e++) {
        if (!r->ealive[e])
            continue;
        int x = r->tail[e], y = r->head[e];
        if (base[x] < 0 || base[y] < 0 || base[x] == base[y])
            continue;
        double c = r->cost[e], l = w->key[x] + c + w->key[y];
        for (int side = 0; side < 2; side++) {
            int z = side ? base[y] : base[x];
            if (l < l1[z]) {
                l1[z] = l;
                e1[z] = e;
            }
            if (c < cmin[z]) {
                cmin2[z] = cmin[z];
                cmin[z] = c;
                emin[z] = e;
            } else if (c < cmin2[z]) {
                cmin2[z] = c;
            }
        }
    }
    for (int z = 0; z < n && r->n_terms > 1; z++) {
        int e = e1[z];
        if (e < 0 || used[z])
            continue;
        double second = emin[z] == e ? cmin2[z] : cmin[z];
        int x = r->tail[e], y = r->head[e];
        int zo = base[x] == z ? base[y] : base[x];
        if (!(l1[z] <= second) || used[zo] || !r->ealive[e])
            continue;
        used[z] = used[zo] = 1;
        int a = r->deg[x] <= r->deg[y] ? x : y, b = a == x ? y : x, wn = 0;
        if (contract(r, e, a, b, work, &wn)) {
            cnt = -1;
            goto out;
        }
        cnt++;
    }
out:
    sd_ws_reset(w, nt);
    free(base);
    free(e1);
    free(emin);
    free(l1);
    free(cmin);
    free(cmin2);
    free(used);
    return cnt;
}

/* Bottleneck search from src that never enters `avoid`: afterwards
 * w->key[x] is the longest elementary segment of a path from src to x
 * (DBL_MAX when none was found within `bound` and `limit` nodes). The
 * caller reads the keys, then calls sd_ws_reset(w, *nt). */
static void sd_from(fp_rgraph *r, sd_ws *w, int src, int avoid, double bound, int limit, int *nt)
{
    int settled = 0;
    w->key[src] = 0;
    w->seg[src] = 0;
    w->touched[(*nt)++] = src;
    w->done[avoid] = 1;
    w->touched[(*nt)++] = avoid;
    fp_pq_push(w->pq, src, 0);
    while (!fp_pq_empty(w->pq)) {
        int x = fp_pq_pop(w->pq);
        double kx = w->key[x];
        if (kx > bound || ++settled > limit)
            break;
        w->done[x] = 1;
        for (int i = 0; i < r->deg[x]; i++) {
            int f = r->adj[x][i], y = other(r, f, x);
            double sg = w->seg[x] + r->cost[f];
            double k = sg > kx ? sg : kx;
            if (w->done[y] || k > bound || k >= w->key[y])
                continue;
            if (w->key[y] == DBL_MAX)
                w->touched[(*nt)++] = y;
            w->key[y] = k;
            w->seg[y] = r->term[y] ? 0 : sg;
            fp_pq_push(w->pq, y, k);
        }
    }
    fp_pq_clear(w->pq);
}

/* Weight of a minimum spanning tree of the nodes `mask` (bits of 0..k-1)
 * under the distances d[k][k] (Prim). */
static double mst_subset(double d[4][4], int k, unsigned mask)
{
    double best[4], total = 0;
    int in[4] = {0}, first = -1;
    for (int i = 0; i < k; i++)
        if (mask >> i & 1) {
            first = i;
            break;
        }
    for (int i = 0; i < k; i++)
        best[i] = d[first][i];
    in[first] = 1;
    for (;;) {
        int b = -1;
        for (int i = 0; i < k; i++)
            if ((mask >> i & 1) && !in[i] && (b < 0 || best[i] < best[b]))
                b = i;
        if (b < 0)
            break;
        total += best[b];
        in[b] = 1;
        for (int i = 0; i < k; i++)
            if (d[b][i] < best[i])
                best[i] = d[b][i];
    }
    return total;
}

/* Bottleneck degree test with pseudo-elimination (NTD3/NTD4): a
 * non-terminal v of degree k <= 4 has degree at most 2 in some optimal
 * tree when, for every set S of at least three of its neighbours, a
 * spanning tree of S under the special distances (paths avoiding v) is no
 * longer than v's edges to S (an optimal tree where v has three or more
 * tree neighbours would be reconnected as cheaply without v). Then v is
 * replaced by an edge u_i-u_j of cost c_i + c_j for each pair of
 * neighbours whose special distance is longer, provided there are no more
 * of them than v had edges. The new edges' ancestors are both of v's edges.
 * RETURNS the eliminations, -1 on no memory. */
static int ntd_tests(fp_rgraph *r, sd_ws *w, int limit)
{
    int cnt = 0;
    for (int v = 0; v < r->n; v++) {
        if (!r->nalive[v] || r->term[v] || r->deg[v] < 3 || r->deg[v] > 4)
            continue;
        int k = r->deg[v], nb[4], ed[4];
        double c[4], d[4][4];
        double cm = 0;
        for (int i = 0; i < k; i++) {
            ed[i] = r->adj[v][i];
            nb[i] = other(r, ed[i], v);
            c[i] = r->cost[ed[i]];
            if (c[i] > cm)
                cm = c[i];
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                d[i][j] = i == j ? 0 : DBL_MAX;
        for (int i = 0; i + 1 < k; i++) {
            int nt = 0;
            sd_from(r, w, nb[i], v, 2 * cm, limit, &nt);
            for (int j = i + 1; j < k; j++)
                d[i][j] = d[j][i] = w->key[nb[j]];
            sd_ws_reset(w, nt);
        }
        int ok = 1;
        for (unsigned mask = 0; mask < (1u << k) && ok; mask++) {
            int bits = 0;
            double sum = 0;
            for (int i = 0; i < k; i++)
                if (mask >> i & 1) {
                    bits++;
                    sum += c[i];
                }
            if (bits >= 3 && !(mst_subset(d, k, mask) <= sum))
                ok = 0;
        }
        int nnew = 0;
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++)
                nnew += !(d[i][j] <= c[i] + c[j]);
        if (!ok || nnew > k)
            continue;
        /* new edges first (they copy the ancestors of v's edges) */
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++) {
                if (d[i][j] <= c[i] + c[j])
                    continue;
                int na = r->nanc[ed[i]] + r->nanc[ed[j]];
                int *an = malloc((size_t)na * sizeof *an);
                if (!an)
                    return -1;
                memcpy(an, r->anc[ed[i]], (size_t)r->nanc[ed[i]] * sizeof *an);
                memcpy(an + r->nanc[ed[i]], r->anc[ed[j]], (size_t)r->nanc[ed[j]] * sizeof *an);
                if (add_edge(r, nb[i], nb[j], c[i] + c[j], an, na, na) < 0)
                    return -1;
            }
        fp_rgraph_delete_node(r, v);
        r->n_pseudo++;
        cnt++;
    }
    return cnt;
}

typedef struct cost_id {
    double c;
    int e;
} cost_id;

static int cmp_cost_id(const void *pa, const void *pb)
{
    const cost_id *a = pa, *b = pb;
    if (a->c != b->c)
        return a->c < b->c ? -1 : 1;
    return (a->e > b->e) - (a->e < b->e);
}

/* Sorts every adjacency list by edge cost (ties by edge id): insertion
 * for short lists, qsort through buf (room for the longest) otherwise.
 * RETURNS 0, -1 on no memory. */
static int sort_adjacency(fp_rgraph *r)
{
    int dmax = 0;
    for (int v = 0; v < r->n; v++)
        if (r->deg[v] > dmax)
            dmax = r->deg[v];
    cost_id *buf = NULL;
    if (dmax > 32 && !(buf = malloc((size_t)dmax * sizeof *buf)))
        return -1;
    for (int v = 0; v < r->n; v++) {
        int *a = r->adj[v];
        if (r->deg[v] > 32) {
            for (int i = 0; i < r->deg[v]; i++) {
                buf[i].c = r->cost[a[i]];
                buf[i].e = a[i];
            }
            qsort(buf, (size_t)r->deg[v], sizeof *buf, cmp_cost_id);
            for (int i = 0; i < r->deg[v]; i++)
                a[i] = buf[i].e;
            continue;
        }
        for (int i = 1; i < r->deg[v]; i++) {
            int e = a[i], j = i;
            double c = r->cost[e];
            while (j > 0 && (r->cost[a[j - 1]] > c || (r->cost[a[j - 1]] == c && a[j - 1] > e))) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = e;
        }
    }
    free(buf);
    return 0;
}

int fp_reduce_sd(fp_rgraph *r, int effort)
{
    sd_ws w;
    if (sd_ws_init(&w, r->n))
        return -1;
    int del = 0;
    int *work = malloc(((size_t)r->n + 1) * sizeof *work);
    if (!work || sort_adjacency(r)) {
        del = -1;
        goto out;
    }
    /* short searches first: on a dense graph they remove most edges
     * cheaply, and the long ones then scan a sparse graph */
    int passes[3] = {effort / 3 > 4 ? effort / 3 : 4, effort, 8 * effort};
    int np = 3;
    for (int p = 0; p < np; p++) {
        for (int u = 0; u < r->n; u++)
            if (r->nalive[u] && !(r->sdclean[u] & CLEAN_SD)) {
                int hit;
                del += sd_search(r, &w, u, passes[p], &hit);
                if (!hit) /* a longer search would find no more */
                    r->sdclean[u] |= CLEAN_SD;
            }
        if (p == 0 && r->n_terms > 1) {
            /* the terminal tests, once the cheap searches thinned the graph:
             * new terminals shorten the special distances of the later passes */
            int a = nv_tests(r, &w, work), b = a < 0 ? -1 : sl_test(r, &w, work);
            if (a < 0 || b < 0) {
                del = -1;
                goto out;
            }
            del += a + b;
            if (sort_adjacency(r)) { /* contractions appended edges */
                del = -1;
                goto out;
            }
        }
    }
    for (int u = 0; u < r->n; u++)
        r->sdclean[u] |= CLEAN_SD;
    if (r->n_terms > 1) { /* its new edges make their ends unclean */
        int d = ntd_tests(r, &w, 2 * effort);
        if (d < 0) {
            del = -1;
            goto out;
        }
        del += d;
    }
out:
    free(work);
    sd_ws_free(&w);
    return del;
}

fp_cgraph *fp_cgraph_from_rgraph(const fp_rgraph *r)
{
    fp_cgraph *c = calloc(1, sizeof *c);
    int *map = malloc((r->n > 0 ? (size_t)r->n : 1) * sizeof *map);
    if (!c || !map)
        goto fail;
    int n = 0, m = 0;
    for (int v = 0; v < r->n; v++)
        map[v] = r->nalive[v] ? n++ : -1;
    for (int e = 0; e < r->m; e++)
        m += r->ealive[e];
    c->n = n;
    c->m = m;
    size_t nn = n > 0 ? (size_t)n : 1, mm = m > 0 ? (size_t)m : 1;
    c->tail = malloc(mm * sizeof(int));
    c->head = malloc(mm * sizeof(int));
    c->cost = malloc(mm * sizeof(double));
    c->redge = malloc(mm * sizeof(int));
    c->term = calloc(nn, 1);
    c->rnode = malloc(nn * sizeof(int));
    c->adj_start = calloc(nn + 1, sizeof(int));
    c->adj_edge = malloc(2 * mm * sizeof(int));
    if (!c->tail || !c->head || !c->cost || !c->redge || !c->term || !c->rnode ||
        !c->adj_start || !c->adj_edge)
        goto fail;
    for (int v = 0; v < r->n; v++)
        if (map[v] >= 0) {
            c->rnode[map[v]] = v;
            c->term[map[v]] = r->term[v];
            c->n_terms += r->term[v] != 0;
        }
    int k = 0;
    for (int e = 0; e < r->m; e++)
        if (r->ealive[e]) {
            c->tail[k] = map[r->tail[e]];
            c->head[k] = map[r->head[e]];
            c->cost[k] = r->cost[e];
            c->redge[k] = e;
            c->adj_start[c->tail[k] + 1]++;
            c->adj_start[c->head[k] + 1]++;
            k++;
        }
    for (int v = 0; v < n; v++)
        c->adj_start[v + 1] += c->adj_start[v];
    int *pos = malloc(nn * sizeof *pos);
    if (!pos)
        goto fail;
    memcpy(pos, c->adj_start, nn * sizeof *pos);
    for (int e = 0; e < m; e++) {
        c->adj_edge[pos[c->tail[e]]++] = e;
        c->adj_edge[pos[c->head[e]]++] = e;
    }
    free(pos);
    free(map);
    return c;
fail:
    free(map);
    fp_cgraph_free(c);
    return NULL;
}

void fp_cgraph_free(fp_cgraph *c)
{
    if (!c)
        return;
    free(c->tail);
    free(c->head);
    free(c->cost);
    free(c->term);
    free(c->adj_start);
    free(c->adj_edge);
    free(c->redge);
    free(c->rnode);
    free(c);
}

static int find_root(int *par, int a)
{
    while (par[a] != a)
        a = par[a] = par[par[a]];
    return a;
}

/* Replacement edges share the original edges of the node they replace, so
 * the union of a tree's ancestors, connected and no dearer than the tree,
 * may hold a cycle: keep a minimum spanning forest of the marked edges,
 * then drop non-terminal leaves. On no memory out is left as it was. */
static void make_tree(const fp_sgraph *g, unsigned char *out)
{
    int n = g->n_nodes, m = g->n_edges, k = 0;
    size_t nn = n > 0 ? (size_t)n : 1, mm = m > 0 ? (size_t)m : 1;
    cost_id *ed = malloc(mm * sizeof *ed);
    int *par = malloc(nn * sizeof *par), *deg = calloc(nn, sizeof *deg);
    int *stack = malloc(nn * sizeof *stack), *start = NULL, *inc = NULL;
    if (!ed || !par || !deg || !stack)
        goto out;
    for (int e = 0; e < m; e++)
        if (out[e]) {
            ed[k].c = g->cost[e];
            ed[k].e = e;
            k++;
        }
    qsort(ed, (size_t)k, sizeof *ed, cmp_cost_id);
    for (int v = 0; v < n; v++)
        par[v] = v;
    for (int i = 0; i < k; i++) {
        int e = ed[i].e;
        int a = find_root(par, g->tail[e]), b = find_root(par, g->head[e]);
        if (a == b) {
            out[e] = 0;
            continue;
        }
        par[a] = b;
        deg[g->tail[e]]++;
        deg[g->head[e]]++;
    }
    /* incidence lists of the forest (start reuses par) */
    start = calloc(nn + 1, sizeof *start);
    inc = malloc(2 * (k > 0 ? (size_t)k : 1) * sizeof *inc);
    if (!start || !inc)
        goto out;
    for (int v = 0; v < n; v++)
        start[v + 1] = start[v] + deg[v];
    for (int v = 0; v < n; v++)
        par[v] = start[v];
    for (int i = 0; i < k; i++) {
        int e = ed[i].e;
        if (!out[e])
            continue;
        inc[par[g->tail[e]]++] = e;
        inc[par[g->head[e]]++] = e;
    }
    int sp = 0;
    for (int v = 0; v < n; v++)
        if (deg[v] == 1 && !g->term[v])
            stack[sp++] = v;
    while (sp > 0) {
        int v = stack[--sp];
        for (int i = start[v]; i < start[v + 1] && deg[v] == 1; i++) {
            int e = inc[i];
            if (!out[e])
                continue;
            int u = g->tail[e] == v ? g->head[e] : g->tail[e];
            out[e] = 0;
            deg[v]--;
            if (--deg[u] == 1 && !g->term[u])
                stack[sp++] = u;
        }
    }
out:
    free(start);
    free(inc);
    free(ed);
    free(par);
    free(deg);
    free(stack);
}

void fp_reduce_map_back(const fp_rgraph *r, const fp_cgraph *c,
                        const unsigned char *in, unsigned char *out)
{
    for (int i = 0; i < r->n_fixed; i++)
        out[r->fixed[i]] = 1;
    if (!c || !in)
        return;
    for (int e = 0; e < c->m; e++)
        if (in[e]) {
            int re = c->redge[e];
            for (int i = 0; i < r->nanc[re]; i++)
                out[r->anc[re][i]] = 1;
        }
    if (r->n_pseudo > 0 && r->orig)
        make_tree(r->orig, out);
}
