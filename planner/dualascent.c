/* dualascent: Wong's dual ascent, growing the smallest active cut first. */
#include "dualascent.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "pqueue.h"

static void record(fp_da_cuts *cu, const int *cut, int nc)
{
    if (!cu || cu->n < 0)
        return;
    long lim = cu->max_nnz > 0 ? cu->max_nnz : 2000000;
    if (cu->nnz + nc > lim)
        return;
    if (cu->n + 2 > cu->cap) {
        int c = 2 * cu->cap + 64;
        long *st = realloc(cu->start, (size_t)c * sizeof *st);
        if (!st) {
            cu->n = -1; /* out of memory: stop recording, keep the bound */
            return;
        }
        cu->start = st;
        cu->cap = c;
        if (cu->n == 0)
            cu->start[0] = 0;
    }
    if (cu->nnz + nc > cu->capnz) {
        long c = 2 * cu->capnz + nc + 1024;
        int *a = realloc(cu->arc, (size_t)c * sizeof *a);
        if (!a) {
            cu->n = -1;
            return;
        }
        cu->arc = a;
        cu->capnz = c;
    }
    memcpy(cu->arc + cu->nnz, cut, (size_t)nc * sizeof *cut);
    cu->nnz += nc;
    cu->n++;
    cu->start[cu->n] = cu->nnz;
}

void fp_da_cuts_free(fp_da_cuts *cu)
{
    if (!cu)
        return;
    free(cu->start);
    free(cu->arc);
    cu->start = NULL;
    cu->arc = NULL;
    cu->n = cu->cap = 0;
    cu->nnz = cu->capnz = 0;
}

int fp_da_run(const fp_cgraph *g, int root, double *lb, double *rc_out)
{
    return fp_da_run_cuts(g, root, lb, rc_out, NULL);
}

int fp_da_run_cuts(const fp_cgraph *g, int root, double *lb, double *rc_out, fp_da_cuts *cuts)
{
    int n = g->n, na = 2 * g->m, ret = -1;
    size_t nn = n > 0 ? (size_t)n : 1, aa = na > 0 ? (size_t)na : 1;
    double *rc = rc_out ? rc_out : malloc(aa * sizeof *rc);
    int *in_start = calloc(nn + 1, sizeof(int));
    int *in_arc = malloc(aa * sizeof(int));
    int *atail = malloc(aa * sizeof(int));
    int *mark = calloc(nn, sizeof(int));
    unsigned char *active = calloc(nn, 1);
    int *stack = malloc(nn * sizeof(int));
    int *cut = malloc(aa * sizeof(int));
    fp_pq *pq = fp_pq_create(n);
    double bound = 0;
    if (!rc || !in_start || !in_arc || !atail || !mark || !stack || !cut || !pq || !active)
        goto out;
    for (int e = 0; e < g->m; e++) {
        rc[2 * e] = rc[2 * e + 1] = g->cost[e];
        atail[2 * e] = g->tail[e];
        atail[2 * e + 1] = g->head[e];
        in_start[g->head[e] + 1]++;
        in_start[g->tail[e] + 1]++;
    }
    for (int v = 0; v < n; v++)
        in_start[v + 1] += in_start[v];
    {
        int *pos = malloc(nn * sizeof *pos);
        if (!pos)
            goto out;
        memcpy(pos, in_start, nn * sizeof *pos);
        for (int e = 0; e < g->m; e++) {
            in_arc[pos[g->head[e]]++] = 2 * e;
            in_arc[pos[g->tail[e]]++] = 2 * e + 1;
        }
        free(pos);
    }
    for (int v = 0; v < n; v++)
        if (g->term[v] && v != root) {
            fp_pq_push(pq, v, 0);
            active[v] = 1;
        }
    int stamp = 0;
    while (!fp_pq_empty(pq)) {
        int t = fp_pq_pop(pq);
        active[t] = 0;
        stamp++;
        int sp = 0, reached = 0;
        stack[sp++] = t;
        mark[t] = stamp;
        /* S: vertices reaching t on zero-reduced-cost arcs */
        int head = 0;
        while (head < sp) {
            int v = stack[head++];
            if (v == root || (v != t && active[v])) {
                /* connected to the root, or to an active terminal whose
                 * own component is grown first (Wong's root components) */
                reached = 1;
                break;
            }
            for (int i = in_start[v]; i < in_start[v + 1]; i++) {
                int a = in_arc[i];
                int u = atail[a];
                if (mark[u] != stamp && rc[a] <= 0) {
                    mark[u] = stamp;
                    stack[sp++] = u;
                }
            }
        }
        if (reached)
            continue; /* connected to the root: inactive */
        int nc = 0;
        double delta = DBL_MAX;
        for (int k = 0; k < sp; k++) {
            int v = stack[k];
            for (int i = in_start[v]; i < in_start[v + 1]; i++) {
                int a = in_arc[i];
                if (mark[atail[a]] == stamp)
                    continue;
                cut[nc++] = a;
                if (rc[a] < delta)
                    delta = rc[a];
            }
        }
        if (nc == 0) {
            bound = DBL_MAX; /* t cannot be reached: no tree */
            break;
        }
        bound += delta;
        record(cuts, cut, nc);
        for (int k = 0; k < nc; k++) {
            rc[cut[k]] -= delta;
            if (rc[cut[k]] < 0)
                rc[cut[k]] = 0;
        }
        fp_pq_push(pq, t, (double)nc);
        active[t] = 1;
    }
    *lb = bound;
    ret = 0;
out:
    if (!rc_out)
        free(rc);
    free(in_start);
    free(in_arc);
    free(atail);
    free(mark);
    free(active);
    free(stack);
    free(cut);
    fp_pq_free(pq);
    return ret;
}

int fp_da_bound(const fp_cgraph *g, int root, double *lb)
{
    return fp_da_run(g, root, lb, NULL);
}

/* Dijkstra on arc weights rc: forward from src (rev = 0) or backward to
 * the sources (rev = 1); sources are the terminals but root when src < 0. */
static void sp_rc(const fp_cgraph *g, const double *rc, int src, int root, int rev, double *d,
                  fp_pq *pq)
{
    for (int v = 0; v < g->n; v++) {
        d[v] = DBL_MAX;
        if ((src >= 0 && v == src) || (src < 0 && g->term[v] && v != root)) {
            d[v] = 0;
            fp_pq_push(pq, v, 0);
        }
    }
    while (!fp_pq_empty(pq)) {
        int x = fp_pq_pop(pq);
        for (int i = g->adj_start[x]; i < g->adj_start[x + 1]; i++) {
            int e = g->adj_edge[i];
            int y = g->tail[e] == x ? g->head[e] : g->tail[e];
            /* forward: arc x->y; backward: arc y->x */
            int a;
            if (!rev)
                a = g->tail[e] == x ? 2 * e : 2 * e + 1;
            else
                a = g->tail[e] == y ? 2 * e : 2 * e + 1;
            double nd = d[x] + rc[a];
            if (nd < d[y]) {
                d[y] = nd;
                fp_pq_push(pq, y, nd);
            }
        }
    }
}

int fp_da_eliminate_rc(fp_rgraph *r, const fp_cgraph *g, int root, double lb,
                       const double *rc, double ub)
{
    size_t nn = g->n > 0 ? (size_t)g->n : 1;
    double *dr = malloc(nn * sizeof *dr);
    double *dt = malloc(nn * sizeof *dt);
    fp_pq *pq = fp_pq_create(g->n);
    int del = -1;
    if (!dr || !dt || !pq)
        goto out;
    del = 0;
    if (lb == DBL_MAX)
        goto out;
    sp_rc(g, rc, root, root, 0, dr, pq);
    sp_rc(g, rc, -1, root, 1, dt, pq);
    double tol = 1e-9 * (1 + ub);
    for (int v = 0; v < g->n; v++) {
        if (g->term[v])
            continue;
        if (dr[v] == DBL_MAX || dt[v] == DBL_MAX || lb + dr[v] + dt[v] > ub + tol) {
            fp_rgraph_delete_node(r, g->rnode[v]);
            del++;
        }
    }
    for (int e = 0; e < g->m; e++) {
        int re = g->redge[e];
        if (!r->ealive[re])
            continue;
        int u = g->tail[e], w = g->head[e];
        double b1 = DBL_MAX, b2 = DBL_MAX;
        if (dr[u] < DBL_MAX && dt[w] < DBL_MAX && w != root)
            b1 = lb + dr[u] + rc[2 * e] + dt[w];
        if (dr[w] < DBL_MAX && dt[u] < DBL_MAX && u != root)
            b2 = lb + dr[w] + rc[2 * e + 1] + dt[u];
        if (b1 > ub + tol && b2 > ub + tol) {
            fp_rgraph_delete_edge(r, re);
            del++;
        }
    }
out:
    free(dr);
    free(dt);
    fp_pq_free(pq);
    return del;
}

int fp_da_eliminate(fp_rgraph *r, const fp_cgraph *g, int root, double ub, double *lb)
{
    size_t aa = g->m > 0 ? 2 * (size_t)g->m : 1;
    double *rc = malloc(aa * sizeof *rc);
    int del = -1;
    if (rc && fp_da_run(g, root, lb, rc) == 0)
        del = fp_da_eliminate_rc(r, g, root, *lb, rc, ub);
    free(rc);
    return del;
}
