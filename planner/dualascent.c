/* dualascent: Wong's dual ascent, growing the smallest active cut first. */
#include "dualascent.h"

#include <float.h>
#include <math.h>
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

static int ascend(const fp_cgraph *g, int root, double *lb, double *rc_out, fp_da_cuts *cuts,
                  int requeue);

int fp_da_run(const fp_cgraph *g, int root, double *lb, double *rc_out)
{
    return ascend(g, root, lb, rc_out, NULL, 1);
}

int fp_da_run_cuts(const fp_cgraph *g, int root, double *lb, double *rc_out, fp_da_cuts *cuts)
{
    /* Wong's plain order (a cut is raised as found): the branch-and-cut
     * starts its LP from these cuts and stops cutting once its bound stalls
     * at the one handed in; from the re-queued ascent's cuts its LP sits at
     * that bound from the first round, stops before its reduced costs fix
     * much, and branches on the whole graph (d18: 23 s -> over 600 s) */
    return ascend(g, root, lb, rc_out, cuts, 0);
}

/* Dual ascent; requeue: a cut that grew since its terminal was queued goes
 * back to the queue when a smaller one waits (a better bound: d18 216 ->
 * 221 against the LP's 221.5). */
static int ascend(const fp_cgraph *g, int root, double *lb, double *rc_out, fp_da_cuts *cuts,
                  int requeue)
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
        /* the cut grew since t was queued: raise a smaller one first if
         * there is one (smaller cuts give better bounds per unit) */
        if (requeue && !fp_pq_empty(pq) && (double)nc > fp_pq_min(pq)) {
            fp_pq_push(pq, t, (double)nc);
            active[t] = 1;
            continue;
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

/* The two least values val over the neighbours of a vertex, with the
 * neighbour giving the least: the "extended" tests need the best value
 * avoiding one given neighbour. */
typedef struct best2 {
    double v1, v2;
    int a1;
} best2;

static void best2_add(best2 *b, double val, int nb)
{
    if (val < b->v1) {
        b->v2 = b->v1;
        b->v1 = val;
        b->a1 = nb;
    } else if (val < b->v2)
        b->v2 = val;
}

static double best2_not(const best2 *b, int nb)
{
    return b->a1 == nb ? b->v2 : b->v1;
}

static double add3(double a, double b, double c)
{
    return a == DBL_MAX || b == DBL_MAX || c == DBL_MAX ? DBL_MAX : a + b + c;
}

int fp_da_edge_bounds(const fp_cgraph *g, int root, double lb, const double *rc, double *eb,
                      double *vb)
{
    size_t nn = g->n > 0 ? (size_t)g->n : 1;
    double *dr = malloc(nn * sizeof *dr);
    double *dt = malloc(nn * sizeof *dt);
    best2 *bin = malloc(nn * sizeof *bin), *bout = malloc(nn * sizeof *bout);
    fp_pq *pq = fp_pq_create(g->n);
    int ret = -1;
    if (!dr || !dt || !pq || !bin || !bout)
        goto out;
    ret = 0;
    if (lb == DBL_MAX) {
        for (int e = 0; e < g->m; e++)
            eb[e] = DBL_MAX;
        for (int v = 0; vb && v < g->n; v++)
            vb[v] = DBL_MAX;
        goto out;
    }
    sp_rc(g, rc, root, root, 0, dr, pq);
    sp_rc(g, rc, -1, root, 1, dt, pq);
    /* In a tree rooted at root (every leaf a terminal) a vertex v other
     * than the root is entered by an arc y->v, and a non-terminal v leaves
     * by an arc v->x with x != y; the path root..y->v and the path v->x..
     * down to a terminal (not the root) are arc-disjoint parts of the tree,
     * so their reduced costs add up under the tree's. bin[v]: least
     * dr[y] + rc(y->v), bout[v]: least rc(v->x) + dt[x], each with the
     * best neighbour and the runner-up to exclude one neighbour. */
    for (int v = 0; v < g->n; v++) {
        bin[v] = (best2){DBL_MAX, DBL_MAX, -1};
        bout[v] = (best2){DBL_MAX, DBL_MAX, -1};
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            int y = g->tail[e] == v ? g->head[e] : g->tail[e];
            double in = g->tail[e] == y ? rc[2 * e] : rc[2 * e + 1];
            double outc = g->tail[e] == v ? rc[2 * e] : rc[2 * e + 1];
            if (dr[y] < DBL_MAX)
                best2_add(&bin[v], dr[y] + in, y);
            if (dt[y] < DBL_MAX && y != root)
                best2_add(&bout[v], outc + dt[y], y);
        }
    }
    for (int v = 0; vb && v < g->n; v++) {
        if (g->term[v]) {
            vb[v] = lb;
            continue;
        }
        /* in from y, out to x, y != x */
        double b = DBL_MAX;
        if (bin[v].a1 != bout[v].a1) {
            if (bin[v].v1 < DBL_MAX && bout[v].v1 < DBL_MAX)
                b = bin[v].v1 + bout[v].v1;
        } else {
            if (bin[v].v1 < DBL_MAX && bout[v].v2 < DBL_MAX)
                b = bin[v].v1 + bout[v].v2;
            if (bin[v].v2 < DBL_MAX && bout[v].v1 < DBL_MAX && bin[v].v2 + bout[v].v1 < b)
                b = bin[v].v2 + bout[v].v1;
        }
        vb[v] = b == DBL_MAX ? DBL_MAX : lb + b;
    }
    for (int e = 0; e < g->m; e++) {
        double b[2] = {DBL_MAX, DBL_MAX};
        for (int d = 0; d < 2; d++) {
            /* arc u->w: the root reaches u other than through w, and w
             * (not the root: no arc enters it) is a terminal or goes on
             * to a neighbour other than u */
            int u = d ? g->head[e] : g->tail[e], w = d ? g->tail[e] : g->head[e];
            if (w == root)
                continue;
            double pin = u == root ? 0 : best2_not(&bin[u], w);
            double pout = g->term[w] ? 0 : best2_not(&bout[w], u);
            b[d] = add3(pin, rc[2 * e + d], pout);
        }
        double bb = b[0] < b[1] ? b[0] : b[1];
        eb[e] = bb == DBL_MAX ? DBL_MAX : lb + bb;
    }
out:
    free(dr);
    free(dt);
    free(bin);
    free(bout);
    fp_pq_free(pq);
    return ret;
}

int fp_da_eliminate_bounds(fp_rgraph *r, const fp_cgraph *g, const double *eb, const double *vb,
                           double ub)
{
    int del = 0;
    double tol = 1e-9 * (1 + fabs(ub));
    for (int v = 0; vb && v < g->n; v++)
        if (!g->term[v] && r->nalive[g->rnode[v]] && vb[v] > ub + tol) {
            fp_rgraph_delete_node(r, g->rnode[v]);
            del++;
        }
    for (int e = 0; e < g->m; e++)
        if (r->ealive[g->redge[e]] && eb[e] > ub + tol) {
            fp_rgraph_delete_edge(r, g->redge[e]);
            del++;
        }
    return del;
}

int fp_da_eliminate_rc(fp_rgraph *r, const fp_cgraph *g, int root, double lb,
                       const double *rc, double ub)
{
    size_t nn = g->n > 0 ? (size_t)g->n : 1, mm = g->m > 0 ? (size_t)g->m : 1;
    double *vb = malloc(nn * sizeof *vb);
    double *eb = malloc(mm * sizeof *eb);
    int del = -1;
    if (vb && eb && fp_da_edge_bounds(g, root, lb, rc, eb, vb) == 0)
        del = lb == DBL_MAX ? 0 : fp_da_eliminate_bounds(r, g, eb, vb, ub);
    free(vb);
    free(eb);
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
