/* pcstp_da: dual ascent bounds for rooted node-weighted prize-collecting
 * trees, used to fix nodes and edges no good tree can hold.
 *
 * The rooted problem "minimise c(E(T)) + k(V(T)) + pz(V \ V(T))" is a
 * Steiner arborescence problem (SAP) on a directed graph: both arcs of
 * every edge, the node cost of an arc's head added to it; for every node t
 * of positive prize a new terminal t' with arcs t->t' (cost 0) and
 * root->t' (cost pz_t). A tree T maps to the arborescence of T's arcs
 * (away from the root), t->t' for t in T and root->t' for t left out, of
 * cost exactly the PC value minus k(root). Wong's dual ascent on the cut
 * formulation of that SAP gives a lower bound LB and reduced arc costs
 * rc >= 0 with cost(A) >= LB + rc(A) for every arborescence A. A node v
 * in a tree whose every leaf is a prize or group node lies on a root->v
 * path and a v->leaf->leaf' path, disjoint: PC(T) >= LB + dr(v) + dt(v)
 * (dr: rc-distance from the root, dt: rc-distance to a leaf's terminal).
 * Edges alike with the arc's own reduced cost between. Groups and budget
 * rows are ignored (a relaxation); group nodes count as leaves.
 *
 * Unrooted (as SCIP-Jack's PC-to-SAP transformation): an artificial root
 * R with arcs R->t of cost M + k(t) to every prize node t, and a hub H
 * with arcs t->H (0) and H->t' (pz_t) in place of root->t'. A tree T
 * holding a prize node s maps to R->s, T's arcs away from s, t->t' for t
 * in T, one s->H and H->t' for t left out: cost PC(T) + M. So LB - M
 * bounds every such tree, whatever M >= 0; M = pz(V) + 1 makes a second
 * root arc never pay, which keeps the bound from collapsing to a forest
 * of single prize nodes. The empty tree is no arborescence (the hub needs
 * a tree node): the caller weighs it apart. A tree leaving t out holds
 * H->t' and an R->u->H path: LB - M + d(R,H) + rc(H->t') bounds it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pcstp_int.h"
#include "pqueue.h"

typedef struct dag {
    int nn, na;          /* nodes (n originals + terminals'), arcs */
    int *tail, *head;
    double *rc;
    int *in_start, *in_arc, *out_start, *out_arc;
} dag;

static void dag_free(dag *g)
{
    free(g->tail);
    free(g->head);
    free(g->rc);
    free(g->in_start);
    free(g->in_arc);
    free(g->out_start);
    free(g->out_arc);
}

static int csr(int nn, int na, const int *key, int **start, int **arc)
{
    int *s = calloc((size_t)nn + 2, sizeof *s), *a = malloc((size_t)(na > 0 ? na : 1) * sizeof *a);
    int *pos = malloc((size_t)(nn > 0 ? nn : 1) * sizeof *pos);
    if (!s || !a || !pos) {
        free(s);
        free(a);
        free(pos);
        return -1;
    }
    for (int i = 0; i < na; i++)
        s[key[i] + 1]++;
    for (int v = 0; v < nn; v++)
        s[v + 1] += s[v];
    memcpy(pos, s, (size_t)nn * sizeof *pos);
    for (int i = 0; i < na; i++)
        a[pos[key[i]]++] = i;
    free(pos);
    *start = s;
    *arc = a;
    return 0;
}

int fp_nw_da(const fp_nwprob *p, const double *pz, double deadline, double *lb, double *nb,
             double *eb, double *xb)
{
    int n = p->n, m = p->m, rc_ = -1;
    /* r: the SAP's root (p's root, or the artificial R = n when unrooted);
     * hub: H = n + 1 (unrooted only); terminals' start at t0 */
    int unrooted = p->root < 0, r = unrooted ? n : p->root, hub = n + 1, t0 = unrooted ? n + 2 : n;
    double big = 0;
    dag g;
    memset(&g, 0, sizeof g);
    int *term = NULL, *stack = NULL, *mark = NULL;
    int nt = 0;
    double *dr = NULL, *dt = NULL;
    fp_pq *q = NULL;
    if (!unrooted && r >= n)
        return -1;
    for (int v = 0; v < n; v++)
        if (v != r && pz[v] > 0) {
            nt++;
            big += pz[v];
        }
    /* unrooted: every root arc costs more than any tree's whole value
     * (a second root arc never pays), taken off the bound at the end */
    big = unrooted ? big + 1 : 0;
    g.nn = t0 + nt;
    g.na = 2 * m + (unrooted ? 4 : 2) * nt;
    size_t na = g.na > 0 ? (size_t)g.na : 1, nn = g.nn > 0 ? (size_t)g.nn : 1;
    g.tail = malloc(na * sizeof(int));
    g.head = malloc(na * sizeof(int));
    g.rc = malloc(na * sizeof(double));
    term = malloc((nt > 0 ? (size_t)nt : 1) * sizeof(int));
    stack = malloc(nn * sizeof(int));
    mark = calloc(nn, sizeof(int));
    dr = malloc(nn * sizeof(double));
    dt = malloc(nn * sizeof(double));
    q = fp_pq_create(g.nn);
    if (!g.tail || !g.head || !g.rc || !term || !stack || !mark || !dr || !dt || !q)
        goto out;
    for (int e = 0; e < m; e++) {
        int u = p->tail[e], v = p->head[e];
        g.tail[2 * e] = u;
        g.head[2 * e] = v;
        g.rc[2 * e] = p->cost[e] + (p->ncost ? p->ncost[v] : 0.0);
        g.tail[2 * e + 1] = v;
        g.head[2 * e + 1] = u;
        g.rc[2 * e + 1] = p->cost[e] + (p->ncost ? p->ncost[u] : 0.0);
        /* arcs into the root or loops are in no arborescence */
        if (v == r || u == v)
            g.rc[2 * e] = INFINITY;
        if (u == r || u == v)
            g.rc[2 * e + 1] = INFINITY;
    }
    {
        int k = 0;
        for (int v = 0; v < n; v++) {
            if (v == r || pz[v] <= 0)
                continue;
            int tp = t0 + k, a = 2 * m + 2 * k;
            term[k++] = v;
            g.tail[a] = v;
            g.head[a] = tp;
            g.rc[a] = 0;
            g.tail[a + 1] = unrooted ? hub : r;
            g.head[a + 1] = tp;
            g.rc[a + 1] = pz[v];
        }
        /* unrooted: R->t (big + k(t)) and t->H (0) for every prize node t */
        for (int j = 0; unrooted && j < nt; j++) {
            int a = 2 * m + 2 * nt + 2 * j, t = term[j];
            g.tail[a] = r;
            g.head[a] = t;
            g.rc[a] = big + (p->ncost ? p->ncost[t] : 0.0);
            g.tail[a + 1] = t;
            g.head[a + 1] = hub;
            g.rc[a + 1] = 0;
        }
    }
    if (csr(g.nn, g.na, g.head, &g.in_start, &g.in_arc) ||
        csr(g.nn, g.na, g.tail, &g.out_start, &g.out_arc))
        goto out;
    /* Wong's ascent. The cut of a terminal is everything reaching it on
     * zero reduced costs; once the root is among them the terminal is
     * satisfied. The terminal with the smallest cut goes first (cuts
     * shared by few arcs raise the bound most per unit). */
    double bound = !unrooted && p->ncost ? p->ncost[r] : 0.0;
    int stamp = 0;
    fp_pq *tq = fp_pq_create(nt > 0 ? nt : 1);
    if (!tq)
        goto out;
    for (int k = 0; k < nt; k++)
        fp_pq_push(tq, k, 0);
    long steps = 0;
    while (!fp_pq_empty(tq)) {
        if (deadline > 0 && (++steps & 63) == 0 && fp_nw_now() > deadline)
            break;
        int k = fp_pq_pop(tq), tp = t0 + k;
        stamp++;
        int ns = 0, hit = 0, nin = 0;
        stack[ns++] = tp;
        mark[tp] = stamp;
        for (int i = 0; i < ns && !hit; i++) {
            int v = stack[i];
            for (int j = g.in_start[v]; j < g.in_start[v + 1]; j++) {
                int a = g.in_arc[j], u = g.tail[a];
                if (mark[u] == stamp)
                    continue;
                if (g.rc[a] > 0) {
                    nin++;
                    continue;
                }
                if (u == r) {
                    hit = 1;
                    break;
                }
                mark[u] = stamp;
                stack[ns++] = u;
            }
        }
        if (hit)
            continue;
        /* a bigger cut than the next terminal's last one: that one first */
        if (!fp_pq_empty(tq) && (double)nin > fp_pq_min(tq)) {
            fp_pq_push(tq, k, (double)nin);
            continue;
        }
        double delta = INFINITY;
        for (int i = 0; i < ns; i++) {
            int v = stack[i];
            for (int j = g.in_start[v]; j < g.in_start[v + 1]; j++) {
                int a = g.in_arc[j];
                if (mark[g.tail[a]] != stamp && g.rc[a] < delta)
                    delta = g.rc[a];
            }
        }
        if (!isfinite(delta))
            continue; /* the root cannot reach it: no bound from it */
        for (int i = 0; i < ns; i++) {
            int v = stack[i];
            for (int j = g.in_start[v]; j < g.in_start[v + 1]; j++) {
                int a = g.in_arc[j];
                if (mark[g.tail[a]] == stamp)
                    continue;
                g.rc[a] -= delta;
                /* rounding: the arc that set delta is tight */
                if (g.rc[a] < 1e-12 * (1 + delta))
                    g.rc[a] = 0;
            }
        }
        bound += delta;
        fp_pq_push(tq, k, (double)nin);
    }
    fp_pq_free(tq);
    /* dr: from the root on reduced costs */
    for (int v = 0; v < g.nn; v++)
        dr[v] = dt[v] = INFINITY;
    dr[r] = 0;
    fp_pq_clear(q);
    fp_pq_push(q, r, 0);
    while (!fp_pq_empty(q)) {
        int v = fp_pq_pop(q);
        if (v >= n && v != r)
            continue;
        for (int j = g.out_start[v]; j < g.out_start[v + 1]; j++) {
            int a = g.out_arc[j], w = g.head[a];
            double d = dr[v] + g.rc[a];
            if (w < n && d < dr[w]) {
                dr[w] = d;
                fp_pq_push(q, w, d);
            }
        }
    }
    /* dt: to the nearest leaf terminal (prize: through t->t'; group node
     * without prize: 0), backwards */
    fp_pq_clear(q);
    for (int k = 0; k < nt; k++) {
        int t = term[k];
        double d = g.rc[2 * m + 2 * k];
        if (d < dt[t]) {
            dt[t] = d;
            fp_pq_push(q, t, d);
        }
    }
    for (int v = 0; v < n; v++)
        if (p->group && p->group[v] >= 0 && v != r && dt[v] > 0) {
            dt[v] = 0;
            fp_pq_push(q, v, 0);
        }
    while (!fp_pq_empty(q)) {
        int v = fp_pq_pop(q);
        for (int j = g.in_start[v]; j < g.in_start[v + 1]; j++) {
            int a = g.in_arc[j], u = g.tail[a];
            if (u >= n)
                continue;
            double d = dt[v] + g.rc[a];
            if (d < dt[u]) {
                dt[u] = d;
                fp_pq_push(q, u, d);
            }
        }
    }
    bound -= big;
    *lb = bound;
    if (nb)
        for (int v = 0; v < n; v++)
            nb[v] = v == r ? bound : bound + dr[v] + dt[v];
    if (eb)
        for (int e = 0; e < m; e++) {
            int u = p->tail[e], v = p->head[e];
            double b1 = dr[u] + g.rc[2 * e] + dt[v], b2 = dr[v] + g.rc[2 * e + 1] + dt[u];
            eb[e] = bound + (b1 < b2 ? b1 : b2);
        }
    if (xb) {
        /* a tree without t: its arborescence holds root->t' (rooted) or
         * a path R->u->H and H->t' (unrooted), disjoint */
        double dh = 0;
        if (unrooted) {
            dh = INFINITY;
            for (int j = 0; j < nt; j++) {
                double d = dr[term[j]] + g.rc[2 * m + 2 * nt + 2 * j + 1];
                if (d < dh)
                    dh = d;
            }
        }
        for (int v = 0; v < n; v++)
            xb[v] = -INFINITY;
        for (int k = 0; k < nt; k++)
            xb[term[k]] = bound + dh + g.rc[2 * m + 2 * k + 1];
    }
    rc_ = 0;
out:
    dag_free(&g);
    free(term);
    free(stack);
    free(mark);
    free(dr);
    free(dt);
    fp_pq_free(q);
    return rc_;
}
