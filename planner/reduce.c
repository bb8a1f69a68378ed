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

static void adj_remove(fp_rgraph *r, int v, int e)
{
    for (int i = 0; i < r->deg[v]; i++)
        if (r->adj[v][i] == e) {
            r->adj[v][i] = r->adj[v][--r->deg[v]];
            return;
        }
}

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
    while (r->deg[v] > 0)
        fp_rgraph_delete_edge(r, r->adj[v][0]);
    if (r->term[v])
        r->n_terms--;
    r->term[v] = 0;
    r->nalive[v] = 0;
}

static int other(const fp_rgraph *r, int e, int v)
{
    return r->tail[e] == v ? r->head[e] : r->tail[e];
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
    r->term = calloc(nn, 1);
    r->nalive = malloc(nn);
    r->adj = calloc(nn, sizeof *r->adj);
    r->deg = calloc(nn, sizeof *r->deg);
    r->cadj = calloc(nn, sizeof *r->cadj);
    if (!r->term || !r->nalive || !r->adj || !r->deg || !r->cadj)
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

/* Fixes edge e=(a,b) into the solution and merges terminal a into b. */
static int contract(fp_rgraph *r, int e, int a, int b, int *work, int *wn)
{
    if (fix_push(r, e))
        return -1;
    fp_rgraph_delete_edge(r, e);
    while (r->deg[a] > 0) {
        int f = r->adj[a][0];
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
    if (r->term[b])
        r->n_terms--;
    r->term[b] = 1;
    r->term[a] = 0;
    r->nalive[a] = 0;
    r->last_term = b;
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

int fp_reduce_sd(fp_rgraph *r, int effort)
{
    int n = r->n, del = 0;
    double *key = malloc((n > 0 ? (size_t)n : 1) * sizeof *key);
    double *seg = malloc((n > 0 ? (size_t)n : 1) * sizeof *seg);
    int *touched = malloc((n > 0 ? (size_t)n : 1) * sizeof *touched);
    unsigned char *done = calloc(n > 0 ? (size_t)n : 1, 1);
    fp_pq *pq = fp_pq_create(n);
    if (!key || !seg || !touched || !done || !pq) {
        del = -1;
        goto out;
    }
    for (int v = 0; v < n; v++)
        key[v] = DBL_MAX;
    int m0 = r->m;
    for (int e = 0; e < m0; e++) {
        if (!r->ealive[e])
            continue;
        int u = r->tail[e], v = r->head[e];
        if (r->deg[u] > r->deg[v]) {
            int t = u;
            u = v;
            v = t;
        }
        double c = r->cost[e];
        int nt = 0, settled = 0, found = 0, scans = 0;
        key[u] = 0;
        seg[u] = 0;
        touched[nt++] = u;
        fp_pq_push(pq, u, 0);
        while (!fp_pq_empty(pq)) {
            int x = fp_pq_pop(pq);
            if (key[x] > c)
                break;
            if (x == v) {
                found = 1;
                break;
            }
            done[x] = 1;
            if (++settled > effort || scans > 8 * effort)
                break;
            scans += r->deg[x];
            for (int i = 0; i < r->deg[x]; i++) {
                int f = r->adj[x][i];
                if (f == e)
                    continue;
                int y = other(r, f, x);
                if (done[y])
                    continue;
                double s = seg[x] + r->cost[f];
                double k = s > key[x] ? s : key[x];
                if (k > c || k >= key[y])
                    continue;
                if (key[y] == DBL_MAX)
                    touched[nt++] = y;
                key[y] = k;
                seg[y] = r->term[y] ? 0 : s;
                fp_pq_push(pq, y, k);
            }
        }
        fp_pq_clear(pq);
        for (int i = 0; i < nt; i++) {
            key[touched[i]] = DBL_MAX;
            done[touched[i]] = 0;
        }
        if (found) {
            fp_rgraph_delete_edge(r, e);
            del++;
        }
    }
out:
    free(key);
    free(seg);
    free(touched);
    free(done);
    fp_pq_free(pq);
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
}
