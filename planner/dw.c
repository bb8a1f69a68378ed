/* dw: Dreyfus-Wagner / Erickson-Monma-Veinott dynamic programming.
 *
 * With terminals t_0..t_{k-1} and root t_{k-1}, D[S][v] for a non-empty set
 * S of the first q = k-1 terminals is the cost of a cheapest tree joining
 * S and v. Singletons are shortest-path distances. For |S| >= 2, first
 * D[S][v] = min over splits S = A + B of D[A][v] + D[B][v] (the tree
 * branches at v), then a Dijkstra from every v at once with those labels
 * (the tree reaches v by a path from its branch point). The optimum is
 * D[all][root]. Back pointers (the split A, or the path edge) rebuild the
 * tree. */
#include "dw.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ilp.h"
#include "pqueue.h"

enum { DW_MAX_Q = 30 };

double fp_dw_work(const fp_cgraph *g, double mem_limit)
{
    int k = g->n_terms;
    if (k < 2 || k - 1 > DW_MAX_Q)
        return INFINITY;
    double sets = ldexp(1.0, k - 1);
    if (sets * g->n * (sizeof(double) + 2 * sizeof(int)) > mem_limit)
        return INFINITY;
    /* merges: each S tries 2^(|S|-1) splits over n vertices: 3^q n / 2 in
     * all; then a Dijkstra per set */
    return 0.5 * pow(3.0, k - 1) * g->n + sets * (2.0 * g->m + g->n) * (log2(g->n + 1) + 1) * 4;
}

static inline int other_end(const fp_cgraph *g, int e, int v)
{
    return g->tail[e] == v ? g->head[e] : g->tail[e];
}

/* Dijkstra over all of g from the finite labels d[] (pe: path edge into
 * each vertex, -1 where the label is its own). */
static void relax_all(const fp_cgraph *g, fp_pq *pq, double *d, int *pe, unsigned char *done)
{
    int n = g->n;
    memset(done, 0, (size_t)n);
    for (int v = 0; v < n; v++)
        if (d[v] < INFINITY)
            fp_pq_push(pq, v, d[v]);
    while (!fp_pq_empty(pq)) {
        int u = fp_pq_pop(pq);
        done[u] = 1;
        for (int i = g->adj_start[u]; i < g->adj_start[u + 1]; i++) {
            int e = g->adj_edge[i], w = other_end(g, e, u);
            double nd = d[u] + g->cost[e];
            if (!done[w] && nd < d[w]) {
                d[w] = nd;
                pe[w] = e;
                fp_pq_push(pq, w, nd);
            }
        }
    }
}

/* Kruskal over the marked edges, then non-terminal leaves pruned: a tree
 * no dearer than the marked union. */
static int tree_of(const fp_cgraph *g, unsigned char *mark)
{
    int n = g->n, m = g->m, rc = -1;
    int *ord = malloc((m > 0 ? (size_t)m : 1) * sizeof *ord);
    int *par = malloc((size_t)n * sizeof *par);
    int *deg = calloc((size_t)n, sizeof *deg);
    int *stack = malloc((size_t)n * sizeof *stack);
    if (!ord || !par || !deg || !stack)
        goto out;
    int no = 0;
    for (int e = 0; e < m; e++)
        if (mark[e])
            ord[no++] = e;
    /* insertion sort by cost: the union is a tree plus a few extra edges */
    for (int i = 1; i < no; i++) {
        int e = ord[i], j = i;
        for (; j > 0 && g->cost[ord[j - 1]] > g->cost[e]; j--)
            ord[j] = ord[j - 1];
        ord[j] = e;
    }
    for (int v = 0; v < n; v++)
        par[v] = v;
    for (int i = 0; i < no; i++) {
        int e = ord[i], a = g->tail[e], b = g->head[e];
        while (par[a] != a)
            a = par[a] = par[par[a]];
        while (par[b] != b)
            b = par[b] = par[par[b]];
        if (a == b) {
            mark[e] = 0;
            continue;
        }
        par[a] = b;
        deg[g->tail[e]]++;
        deg[g->head[e]]++;
    }
    int top = 0;
    for (int v = 0; v < n; v++)
        if (deg[v] == 1 && !g->term[v])
            stack[top++] = v;
    while (top > 0) {
        int v = stack[--top];
        if (deg[v] != 1)
            continue;
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            if (!mark[e])
                continue;
            mark[e] = 0;
            deg[v]--;
            int w = other_end(g, e, v);
            if (--deg[w] == 1 && !g->term[w])
                stack[top++] = w;
            break;
        }
    }
    rc = 0;
out:
    free(ord);
    free(par);
    free(deg);
    free(stack);
    return rc;
}

int fp_dw_solve(const fp_cgraph *g, double deadline, double mem_limit, unsigned char *sol,
                double *cost)
{
    int n = g->n, k = g->n_terms, q = k - 1, rc = -1;
    if (k < 2 || q > DW_MAX_Q)
        return -1;
    size_t sets = (size_t)1 << q, cells = sets * (size_t)n;
    if ((double)cells * (sizeof(double) + 2 * sizeof(int)) > mem_limit)
        return -1;
    int *terms = malloc((size_t)k * sizeof *terms);
    double *D = malloc(cells * sizeof *D);
    int *split = malloc(cells * sizeof *split); /* the A of a branch, 0: none */
    int *pe = malloc(cells * sizeof *pe);        /* the path edge, -1: none */
    unsigned char *done = malloc((size_t)n);
    unsigned char *mark = calloc(g->m > 0 ? (size_t)g->m : 1, 1);
    int *stk = NULL;
    size_t nstk = 0, cstk = 0;
    fp_pq *pq = fp_pq_create(n);
    if (!terms || !D || !split || !pe || !done || !mark || !pq)
        goto out;
    for (int v = 0, i = 0; v < n; v++)
        if (g->term[v])
            terms[i++] = v;
    for (size_t c = 0; c < cells; c++) {
        D[c] = INFINITY;
        split[c] = 0;
        pe[c] = -1;
    }
    for (size_t S = 1; S < sets; S++) {
        if ((S & 63) == 0 && deadline > 0 && fp_ilp_now() > deadline) {
            rc = 1;
            goto out;
        }
        double *d = D + S * (size_t)n;
        int *sp = split + S * (size_t)n;
        size_t low = S & (~S + 1), rest = S ^ low;
        if (rest == 0) {
            int i = 0;
            while (((size_t)1 << i) != S)
                i++;
            d[terms[i]] = 0;
        } else {
            /* splits A = low + sub, B = S - A with sub a proper subset of rest */
            size_t sub = rest;
            do {
                sub = (sub - 1) & rest;
                size_t A = sub | low, B = S ^ A;
                const double *da = D + A * (size_t)n, *db = D + B * (size_t)n;
                for (int v = 0; v < n; v++) {
                    double x = da[v] + db[v];
                    if (x < d[v]) {
                        d[v] = x;
                        sp[v] = (int)A;
                    }
                }
            } while (sub != 0);
        }
        relax_all(g, pq, d, pe + S * (size_t)n, done);
        /* a vertex reached by a path is no branch point */
        int *p = pe + S * (size_t)n;
        for (int v = 0; v < n; v++)
            if (p[v] >= 0)
                sp[v] = 0;
    }
    /* rebuild: (S, v) pairs on a stack */
    int root = terms[k - 1];
    if (!(D[(sets - 1) * (size_t)n + root] < INFINITY))
        goto out; /* not connected: callers pass connected graphs */
    cstk = 64;
    stk = malloc(cstk * 2 * sizeof *stk);
    if (!stk)
        goto out;
    stk[0] = (int)(sets - 1);
    stk[1] = root;
    nstk = 1;
    while (nstk > 0) {
        nstk--;
        size_t S = (size_t)stk[2 * nstk];
        int v = stk[2 * nstk + 1];
        size_t c = S * (size_t)n + (size_t)v;
        int A = split[c], e = pe[c];
        if (nstk + 2 > cstk) {
            int *t = realloc(stk, cstk * 4 * sizeof *stk);
            if (!t)
                goto out;
            stk = t;
            cstk *= 2;
        }
        if (e >= 0) {
            mark[e] = 1;
            stk[2 * nstk] = (int)S;
            stk[2 * nstk + 1] = other_end(g, e, v);
            nstk++;
        } else if (A != 0) {
            stk[2 * nstk] = A;
            stk[2 * nstk + 1] = v;
            stk[2 * nstk + 2] = (int)(S ^ (size_t)A);
            stk[2 * nstk + 3] = v;
            nstk += 2;
        } /* else a singleton at its own terminal */
    }
    if (tree_of(g, mark))
        goto out;
    double c = 0;
    for (int e = 0; e < g->m; e++) {
        sol[e] = mark[e];
        if (mark[e])
            c += g->cost[e];
    }
    *cost = c;
    rc = 0;
out:
    free(terms);
    free(D);
    free(split);
    free(pe);
    free(done);
    free(mark);
    free(stk);
    fp_pq_free(pq);
    return rc;
}
