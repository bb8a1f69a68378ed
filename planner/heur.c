/* heur: shortest-path heuristic, local search and recombination for
 * Steiner trees.
 *
 * The local search follows Uchoa & Werneck ("Fast local search for Steiner
 * trees in graphs", 2010) in its moves, in a simpler form: Steiner-vertex
 * insertion (Kruskal over the tree's edges plus the new vertex's, so a try
 * costs O(tree) instead of O(graph)), key-path exchange and key-vertex
 * elimination (drop a key path, or a Steiner key vertex with all its key
 * paths, and join the pieces again by the MST of the shortest boundary
 * paths between their Voronoi regions, read off one diagram of the tree
 * per pass: see vor_pass). Steiner-vertex elimination by MST over the
 * remaining vertex set was dropped: it cost a quarter of the local search
 * on SteinLib D and almost never improved a tree the other moves leave.
 * fp_heur_run adds solution recombination: the union of a few good trees is
 * a small graph on which the same heuristics run fast, and whose best tree
 * the full-graph local search then polishes. The handle keeps its best
 * trees, so that fp_heur_improve recombines the trees of later callers
 * (dual-ascent or LP guided SPH) with them. */
#include "heur.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pqueue.h"

/* Most pieces a key-vertex elimination reconnects (a Steiner vertex of
 * higher tree degree is left alone). */
#define KMAX 24

/* A pool of the best distinct trees, by cost. */
enum { POOL = 8, NLS = 4, MIN_SPH = 16 };
typedef struct {
    int n;
    double cost[POOL];
    unsigned char *sol[POOL]; /* [m] each */
} pool;

struct fp_heur {
    const fp_cgraph *g;
    fp_pq *pq;
    double *dist;     /* [n] DBL_MAX between searches */
    int *pred;        /* [n] edge */
    unsigned char *in;/* [n] vertex set */
    unsigned char *done; /* [n] 0 between searches */
    int *tdeg;        /* [n] tree degree */
    int *stack;       /* [n] */
    int *comp;        /* [n] component label */
    int *lab;         /* [n] Voronoi label, 0 between searches */
    int *touched;     /* [n] vertices a search reached */
    int *uf;          /* [n] union-find parents */
    int *list;        /* [n] key-path edges */
    int *ends;        /* [n] */
    int *tedge;       /* [n] tree edges by cost */
    int *vedge;       /* [n] a vertex's edges into the tree */
    int *chosen;      /* [n + 1] */
    int *tadj_start;  /* [n + 1] tree adjacency (build_tadj) */
    int *tadj;        /* [2n] */
    int tn;           /* tree vertices */
    unsigned char *tmp;  /* [m] */
    unsigned char *tmp2; /* [m] */
    double bnd[KMAX * KMAX]; /* cheapest boundary path per pair of pieces */
    int bnde[KMAX * KMAX];   /* its boundary edge */
    long work;        /* work units left to the local search; < 0: unlimited */
    int cut_short;    /* the last local search ran out of work or time */
    unsigned calls;   /* fp_heur_improve calls (recombination seeds) */
    pool keep;        /* trees of earlier calls; buffers allocated lazily */
    unsigned char *rbuf; /* [m] recombination output, lazily */
    double deadline;  /* CLOCK_MONOTONIC s; <= 0: none */
    unsigned ticks;   /* moves since the last clock reading */
    int expired;      /* the deadline has passed (sticky) */
    int *vbase;       /* [n] Voronoi base (nearest tree vertex), -1 unreached */
    double *vdist;    /* [n] distance to it */
    int *vpred;       /* [n] edge towards it */
    int *pre;         /* [n] preorder of a tree vertex, -1 off the tree */
    int *pend;        /* [n] end of its subtree's preorder range */
    int *pe;          /* [n] parent edge in the rooted tree */
    int *ord;         /* [n] tree vertices by preorder */
    int *vlist;       /* [n] vertices by their base's preorder */
    int *voff;        /* [n + 1] start of each base's region in vlist */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void fp_heur_set_deadline(fp_heur *h, double deadline)
{
    h->deadline = deadline;
    h->ticks = 0;
    h->expired = deadline > 0 && now_s() > deadline;
}

/* True once the deadline has passed. A move costs O(n) or more, so the
 * clock is read every few moves only. */
static int out_of_time(fp_heur *h)
{
    if (h->expired)
        return 1;
    if (h->deadline <= 0 || ++h->ticks < 8)
        return 0;
    h->ticks = 0;
    if (now_s() > h->deadline)
        h->expired = 1;
    return h->expired;
}

/* As out_of_time, reading the clock now (between costly steps). */
static int out_of_time_now(fp_heur *h)
{
    if (!h->expired && h->deadline > 0 && now_s() > h->deadline)
        h->expired = 1;
    return h->expired;
}

/* Charges `units` of work (edges scanned, vertices settled) to the local
 * search; ends it (work 0) when the budget or the time is spent. */
static void spend(fp_heur *h, long units)
{
    if (h->work > 0) {
        h->work -= units > 0 ? units : 1;
        if (h->work <= 0)
            h->work = 0;
    }
    if (out_of_time(h))
        h->work = 0;
}

/* True when the local search must stop. */
static int stopped(const fp_heur *h)
{
    return h->work == 0;
}

fp_heur *fp_heur_create(const fp_cgraph *g)
{
    fp_heur *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    size_t n = g->n > 0 ? (size_t)g->n : 1, m = g->m > 0 ? (size_t)g->m : 1;
    h->g = g;
    h->pq = fp_pq_create(g->n);
    h->dist = malloc(n * sizeof(double));
    h->pred = malloc(n * sizeof(int));
    h->in = calloc(n, 1);
    h->done = calloc(n, 1);
    h->tdeg = calloc(n, sizeof(int));
    h->stack = malloc(n * sizeof(int));
    h->comp = calloc(n, sizeof(int));
    h->lab = calloc(n, sizeof(int));
    h->touched = malloc(n * sizeof(int));
    h->uf = malloc(n * sizeof(int));
    h->list = malloc(n * sizeof(int));
    h->ends = malloc(n * sizeof(int));
    h->tedge = malloc(n * sizeof(int));
    h->vedge = malloc(n * sizeof(int));
    h->chosen = malloc((n + 1) * sizeof(int));
    h->tadj_start = malloc((n + 1) * sizeof(int));
    h->tadj = malloc(2 * n * sizeof(int));
    h->tmp = calloc(m, 1);
    h->tmp2 = calloc(m, 1);
    h->vbase = malloc(n * sizeof(int));
    h->vdist = malloc(n * sizeof(double));
    h->vpred = malloc(n * sizeof(int));
    h->pre = malloc(n * sizeof(int));
    h->pend = malloc(n * sizeof(int));
    h->pe = malloc(n * sizeof(int));
    h->ord = malloc(n * sizeof(int));
    h->vlist = malloc(n * sizeof(int));
    h->voff = malloc((n + 1) * sizeof(int));
    if (!h->pq || !h->dist || !h->pred || !h->in || !h->done || !h->tdeg || !h->stack ||
        !h->comp || !h->lab || !h->touched || !h->uf || !h->list || !h->ends || !h->tedge ||
        !h->vedge || !h->chosen || !h->tadj_start || !h->tadj || !h->tmp || !h->tmp2 ||
        !h->vbase || !h->vdist || !h->vpred || !h->pre || !h->pend || !h->pe || !h->ord ||
        !h->vlist || !h->voff) {
        fp_heur_free(h);
        return NULL;
    }
    for (size_t v = 0; v < n; v++) {
        h->dist[v] = DBL_MAX;
        h->pred[v] = -1;
    }
    h->work = -1;
    return h;
}

void fp_heur_free(fp_heur *h)
{
    if (!h)
        return;
    for (int i = 0; i < POOL; i++)
        free(h->keep.sol[i]);
    free(h->rbuf);
    fp_pq_free(h->pq);
    free(h->dist);
    free(h->pred);
    free(h->in);
    free(h->done);
    free(h->tdeg);
    free(h->stack);
    free(h->comp);
    free(h->lab);
    free(h->touched);
    free(h->uf);
    free(h->list);
    free(h->ends);
    free(h->tedge);
    free(h->vedge);
    free(h->chosen);
    free(h->tadj_start);
    free(h->tadj);
    free(h->tmp);
    free(h->tmp2);
    free(h->vbase);
    free(h->vdist);
    free(h->vpred);
    free(h->pre);
    free(h->pend);
    free(h->pe);
    free(h->ord);
    free(h->vlist);
    free(h->voff);
    free(h);
}

static inline int oth(const fp_cgraph *g, int e, int v)
{
    return g->tail[e] == v ? g->head[e] : g->tail[e];
}

static double sol_cost(const fp_cgraph *g, const unsigned char *sol)
{
    double c = 0;
    for (int e = 0; e < g->m; e++)
        if (sol[e])
            c += g->cost[e];
    return c;
}

/* An improvement worth taking (not a rounding artefact). */
static int better(double c, double ref)
{
    return c < ref * (1 - 1e-12) - 1e-12;
}

static void tree_degrees(fp_heur *h, const unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    memset(h->tdeg, 0, (size_t)g->n * sizeof(int));
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->tdeg[g->tail[e]]++;
            h->tdeg[g->head[e]]++;
        }
}

/* Removes non-terminal leaves repeatedly. */
static void prune(fp_heur *h, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    int sp = 0;
    tree_degrees(h, sol);
    for (int v = 0; v < g->n; v++)
        if (h->tdeg[v] == 1 && !g->term[v])
            h->stack[sp++] = v;
    while (sp) {
        int v = h->stack[--sp];
        if (h->tdeg[v] != 1)
            continue;
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            if (!sol[e])
                continue;
            sol[e] = 0;
            h->tdeg[v]--;
            int w = oth(g, e, v);
            if (--h->tdeg[w] == 1 && !g->term[w])
                h->stack[sp++] = w;
            break;
        }
    }
}

/* MST (Prim) on the subgraph induced by h->in, then prune. Writes sol.
 * RETURNS the cost, or -1 if the vertex set does not hold a connected
 * subgraph spanning all terminals in it. */
static double mst_prune(fp_heur *h, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    memset(sol, 0, (size_t)g->m);
    int start = -1, cnt = 0;
    for (int v = 0; v < g->n; v++)
        if (h->in[v]) {
            cnt++;
            if (start < 0 || (g->term[v] && !g->term[start]))
                start = v;
        }
    if (start < 0)
        return 0;
    int nt = 0;
    h->dist[start] = 0;
    h->pred[start] = -1;
    h->touched[nt++] = start;
    fp_pq_push(h->pq, start, 0);
    int reached = 0;
    while (!fp_pq_empty(h->pq)) {
        int x = fp_pq_pop(h->pq);
        h->done[x] = 1;
        reached++;
        if (h->pred[x] >= 0)
            sol[h->pred[x]] = 1;
        for (int i = g->adj_start[x]; i < g->adj_start[x + 1]; i++) {
            int e = g->adj_edge[i];
            int y = oth(g, e, x);
            if (!h->in[y] || h->done[y] || g->cost[e] >= h->dist[y])
                continue;
            if (h->dist[y] == DBL_MAX)
                h->touched[nt++] = y;
            h->dist[y] = g->cost[e];
            h->pred[y] = e;
            fp_pq_push(h->pq, y, g->cost[e]);
        }
    }
    int bad = 0;
    if (reached < cnt) {
        for (int v = 0; v < g->n; v++)
            if (h->in[v] && !h->done[v] && g->term[v])
                bad = 1;
    }
    for (int i = 0; i < nt; i++) {
        int v = h->touched[i];
        h->dist[v] = DBL_MAX;
        h->pred[v] = -1;
        h->done[v] = 0;
    }
    if (bad)
        return -1;
    prune(h, sol);
    return sol_cost(g, sol);
}

double fp_heur_sph(fp_heur *h, int root, const double *w, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    if (!w)
        w = g->cost;
    memset(h->in, 0, (size_t)g->n);
    int need = g->n_terms - (g->term[root] ? 1 : 0), nt = 0;
    h->in[root] = 1;
    h->dist[root] = 0;
    h->pred[root] = -1;
    h->touched[nt++] = root;
    fp_pq_push(h->pq, root, 0);
    while (!fp_pq_empty(h->pq) && need > 0) {
        int x = fp_pq_pop(h->pq);
        if (g->term[x] && !h->in[x]) {
            need--;
            int v = x;
            while (!h->in[v]) {
                h->in[v] = 1;
                h->dist[v] = 0;
                fp_pq_push(h->pq, v, 0);
                v = oth(g, h->pred[v], v);
            }
            continue;
        }
        for (int i = g->adj_start[x]; i < g->adj_start[x + 1]; i++) {
            int e = g->adj_edge[i];
            int y = oth(g, e, x);
            double d = h->dist[x] + w[e];
            if (d < h->dist[y]) {
                if (h->dist[y] == DBL_MAX)
                    h->touched[nt++] = y;
                h->dist[y] = d;
                h->pred[y] = e;
                fp_pq_push(h->pq, y, d);
            }
        }
    }
    fp_pq_clear(h->pq);
    for (int i = 0; i < nt; i++) {
        h->dist[h->touched[i]] = DBL_MAX;
        h->pred[h->touched[i]] = -1;
    }
    if (need > 0)
        return -1;
    return mst_prune(h, sol);
}

/* Sets h->in from the vertices touched by sol (plus isolated terminals). */
static void set_from_sol(fp_heur *h, const unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    memset(h->in, 0, (size_t)g->n);
    for (int v = 0; v < g->n; v++)
        if (g->term[v])
            h->in[v] = 1;
    for (int e = 0; e < g->m; e++)
        if (sol[e])
            h->in[g->tail[e]] = h->in[g->head[e]] = 1;
}

/* Replaces sol by the MST-prune of its vertex set when that is no dearer
 * (it is then surely a tree). */
static void remst(fp_heur *h, unsigned char *sol)
{
    set_from_sol(h, sol);
    double c = mst_prune(h, h->tmp);
    if (c >= 0 && c <= sol_cost(h->g, sol))
        memcpy(sol, h->tmp, (size_t)h->g->m);
}

/* Sorts a[0..n-1] (edge ids) by cost, ties by id, using tmp[n]. */
static void sort_edges(int *a, int n, const double *cost, int *tmp)
{
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                int x = a[i], y = a[j];
                if (cost[y] < cost[x] || (cost[y] == cost[x] && y < x))
                    tmp[k++] = a[j++];
                else
                    tmp[k++] = a[i++];
            }
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, (size_t)n * sizeof *a);
    }
}

static int uf_find(int *uf, int x)
{
    while (uf[x] != x)
        x = uf[x] = uf[uf[x]];
    return x;
}

/* Tree adjacency of sol (h->tadj_start / h->tadj, edges), its degrees
 * (h->tdeg), its vertices (h->in: touched by an edge, or a terminal) and
 * their number (h->tn). O(n + m); rebuilt after each change. */
static void build_tadj(fp_heur *h, const unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    memset(h->tdeg, 0, (size_t)g->n * sizeof(int));
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->tdeg[g->tail[e]]++;
            h->tdeg[g->head[e]]++;
        }
    h->tn = 0;
    h->tadj_start[0] = 0;
    for (int v = 0; v < g->n; v++) {
        h->in[v] = h->tdeg[v] > 0 || g->term[v];
        h->tn += h->in[v];
        h->tadj_start[v + 1] = h->tadj_start[v] + h->tdeg[v];
    }
    for (int v = 0; v < g->n; v++)
        h->uf[v] = h->tadj_start[v];
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->tadj[h->uf[g->tail[e]]++] = e;
            h->tadj[h->uf[g->head[e]]++] = e;
        }
}

/* A key vertex of the tree: a terminal or a vertex of tree degree >= 3. */
static int is_key(const fp_heur *h, int v)
{
    return h->tdeg[v] > 0 && (h->g->term[v] || h->tdeg[v] >= 3);
}

/* Walks the key path leaving key vertex s by tree edge e0: appends its
 * edges to out, sets *end to its other key vertex and adds its cost to
 * *cost. RETURNS the number of edges. */
static int walk_keypath(const fp_heur *h, int s, int e0, int *out, int *end, double *cost)
{
    const fp_cgraph *g = h->g;
    int np = 0, v = s, e = e0;
    for (;;) {
        out[np++] = e;
        *cost += g->cost[e];
        v = oth(g, e, v);
        if (h->tdeg[v] != 2 || g->term[v])
            break;
        int a = h->tadj[h->tadj_start[v]], b = h->tadj[h->tadj_start[v] + 1];
        e = a == e ? b : a;
    }
    *end = v;
    return np;
}

/* Non-terminal ends of edge e. */
static int steiner_ends(const fp_cgraph *g, int e)
{
    return !g->term[g->tail[e]] + !g->term[g->head[e]];
}

/* Within runs of equal cost of a sorted edge list, edges with fewer
 * Steiner ends first (stable insertion sort: the runs are short). */
static void sort_ties(const fp_cgraph *g, int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int x = a[i], j = i;
        while (j > 0 && g->cost[a[j - 1]] == g->cost[x] &&
               steiner_ends(g, a[j - 1]) > steiner_ends(g, x)) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* One pass of Steiner-vertex insertion: for each vertex v off the tree
 * with two or more edges into it, the MST of the tree's edges plus v's
 * (Kruskal, O(tree) a try), pruned; kept if cheaper. RETURNS 1 if sol
 * improved. */
static int insert_pass(fp_heur *h, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    int improved = 0, nte = 0;
    double cur = 0;
    int *deg = h->comp;
    unsigned char *mark = h->tmp; /* all zero between tries */
    memset(mark, 0, (size_t)g->m);
    for (int v = 0; v < g->n && !stopped(h); v++) {
        if (v == 0 || improved < 0) {
            /* (re)build the tree's edge list after a change */
            set_from_sol(h, sol);
            nte = 0;
            cur = 0;
            for (int e = 0; e < g->m; e++)
                if (sol[e]) {
                    h->tedge[nte++] = e;
                    cur += g->cost[e];
                }
            sort_edges(h->tedge, nte, g->cost, h->ends);
            sort_ties(g, h->tedge, nte);
            if (improved < 0)
                improved = 1;
        }
        if (h->in[v])
            continue;
        int nv = 0;
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            if (h->in[oth(g, e, v)])
                h->vedge[nv++] = g->adj_edge[i];
        }
        spend(h, g->adj_start[v + 1] - g->adj_start[v] + (nv >= 2 ? nte + nv : 0));
        if (nv < 2)
            continue;
        sort_edges(h->vedge, nv, g->cost, h->ends);
        for (int k = 0; k < nte; k++)
            h->uf[g->tail[h->tedge[k]]] = g->tail[h->tedge[k]],
            h->uf[g->head[h->tedge[k]]] = g->head[h->tedge[k]];
        for (int k = 0; k < nv; k++) {
            int y = oth(g, h->vedge[k], v);
            h->uf[y] = y;
        }
        h->uf[v] = v;
        int i = 0, j = 0, nch = 0, vdeg = 0;
        double c = 0;
        while (i < nte || j < nv) {
            int e;
            /* ties: v's edges first, then edges with fewer Steiner ends,
             * so that Steiner vertices are left as leaves to prune */
            if (j >= nv || (i < nte && (g->cost[h->tedge[i]] < g->cost[h->vedge[j]] ||
                                        (g->cost[h->tedge[i]] == g->cost[h->vedge[j]] &&
                                         steiner_ends(g, h->tedge[i]) + 1 <
                                             steiner_ends(g, h->vedge[j])))))
                e = h->tedge[i++];
            else
                e = h->vedge[j++];
            int a = uf_find(h->uf, g->tail[e]), b = uf_find(h->uf, g->head[e]);
            if (a == b)
                continue;
            h->uf[a] = b;
            h->chosen[nch++] = e;
            c += g->cost[e];
            if (g->tail[e] == v || g->head[e] == v)
                vdeg++;
        }
        if (vdeg < 2)
            continue; /* v a leaf: the old tree plus an edge */
        /* prune the Steiner leaves of the new tree */
        int sp = 0;
        for (int k = 0; k < nch; k++) {
            int e = h->chosen[k];
            mark[e] = 1;
            deg[g->tail[e]]++;
            deg[g->head[e]]++;
        }
        for (int k = 0; k < nch; k++) {
            int e = h->chosen[k];
            for (int s2 = 0; s2 < 2; s2++) {
                int x = s2 ? g->head[e] : g->tail[e];
                if (deg[x] == 1 && !g->term[x]) {
                    h->stack[sp++] = x;
                    deg[x] = -1; /* queued */
                }
            }
        }
        while (sp) {
            int x = h->stack[--sp];
            deg[x] = 0;
            for (int q = g->adj_start[x]; q < g->adj_start[x + 1]; q++) {
                int e = g->adj_edge[q];
                if (!mark[e])
                    continue;
                mark[e] = 0;
                c -= g->cost[e];
                int y = oth(g, e, x);
                if (deg[y] > 0 && --deg[y] == 1 && !g->term[y]) {
                    h->stack[sp++] = y;
                    deg[y] = -1;
                }
                break;
            }
        }
        int take = better(c, cur);
        if (take) {
            for (int k = 0; k < nte; k++)
                sol[h->tedge[k]] = 0;
        }
        for (int k = 0; k < nch; k++) {
            int e = h->chosen[k];
            if (take && mark[e])
                sol[e] = 1;
            mark[e] = 0;
            deg[g->tail[e]] = deg[g->head[e]] = 0;
        }
        if (take)
            improved = -1; /* rebuild before the next vertex */
    }
    return improved != 0;
}

/* Voronoi-based key-path exchange and key-vertex elimination.
 *
 * One multi-source search from every tree vertex gives each vertex x of
 * the graph its nearest tree vertex vbase[x] (the Voronoi diagram of the
 * tree), at vdist[x] along vpred. The tree is rooted at a terminal and
 * numbered in preorder, so every subtree is a range of preorder numbers,
 * and the graph's vertices, bucketed by the preorder of their base
 * (vlist / voff), list a subtree's regions as one range. Removing a key
 * path (or a Steiner key vertex with its key paths) splits the tree into
 * pieces that are such ranges; the regions of the removed vertices are
 * searched again from their neighbours (a "repair" on those regions
 * only), and the cheapest boundary path between two pieces is the
 * cheapest edge between their regions, scanned over every piece but the
 * largest. A move thus costs the edges of the smaller pieces instead of a
 * search over the graph (Uchoa & Werneck 2010); the diagram is rebuilt
 * after each improvement. */

/* The pieces of one move, as preorder ranges: the removed top chain
 * [rlo, rhi); child piece j (1..nc) is [mid[j], hi[j]) below the removed
 * chain [lo[j], mid[j]); piece 0 is everything outside [rlo, end). */
typedef struct {
    int nc, rlo, rhi, end;
    int lo[KMAX], mid[KMAX], hi[KMAX];
} split;

/* Piece of preorder number k: 0..nc, or -1 if removed. */
static int split_cls(const split *s, int k)
{
    if (k < s->rlo || k >= s->end)
        return 0;
    if (k < s->rhi)
        return -1;
    int a = 1, b = s->nc; /* children sorted by lo: the last with lo <= k */
    while (a < b) {
        int c = (a + b + 1) / 2;
        if (s->lo[c] <= k)
            a = c;
        else
            b = c - 1;
    }
    return k < s->mid[a] ? -1 : a;
}

/* Roots the tree (h->tadj built) at `root`: preorder h->pre (-1 off the
 * tree), subtree ends h->pend, parent edges h->pe, h->ord by preorder.
 * RETURNS the number of tree vertices. */
static int root_tree(fp_heur *h, const unsigned char *sol, int root)
{
    const fp_cgraph *g = h->g;
    for (int v = 0; v < g->n; v++)
        h->pre[v] = -1;
    int k = 0, sp = 0;
    h->stack[sp++] = root;
    h->pe[root] = -1;
    while (sp) {
        int x = h->stack[--sp];
        h->pre[x] = k;
        h->ord[k++] = x;
        for (int j = h->tadj_start[x + 1] - 1; j >= h->tadj_start[x]; j--) {
            int f = h->tadj[j];
            if (f == h->pe[x] || !sol[f])
                continue;
            int y = oth(g, f, x);
            h->pe[y] = f;
            h->stack[sp++] = y;
        }
    }
    for (int i = 0; i < k; i++)
        h->pend[h->ord[i]] = 1;
    for (int i = k - 1; i > 0; i--) {
        int x = h->ord[i];
        h->pend[oth(g, h->pe[x], x)] += h->pend[x];
    }
    for (int i = 0; i < k; i++)
        h->pend[h->ord[i]] += i;
    return k;
}

/* The Voronoi diagram of the K tree vertices h->ord[0..K-1] and the
 * bucketing of the graph's vertices by the preorder of their base. */
static void build_vor(fp_heur *h, int K)
{
    const fp_cgraph *g = h->g;
    for (int v = 0; v < g->n; v++) {
        h->vdist[v] = DBL_MAX;
        h->vbase[v] = -1;
        h->vpred[v] = -1;
    }
    for (int i = 0; i < K; i++) {
        int x = h->ord[i];
        h->vdist[x] = 0;
        h->vbase[x] = x;
        fp_pq_push(h->pq, x, 0);
    }
    while (!fp_pq_empty(h->pq)) {
        int x = fp_pq_pop(h->pq);
        for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
            int f = g->adj_edge[j];
            int y = oth(g, f, x);
            double d = h->vdist[x] + g->cost[f];
            if (d < h->vdist[y]) {
                h->vdist[y] = d;
                h->vbase[y] = h->vbase[x];
                h->vpred[y] = f;
                fp_pq_push(h->pq, y, d);
            }
        }
    }
    for (int i = 0; i <= K; i++)
        h->voff[i] = 0;
    for (int v = 0; v < g->n; v++)
        if (h->vbase[v] >= 0)
            h->voff[h->pre[h->vbase[v]] + 1]++;
    for (int i = 0; i < K; i++)
        h->voff[i + 1] += h->voff[i];
    for (int v = 0; v < g->n; v++)
        if (h->vbase[v] >= 0)
            h->vlist[h->voff[h->pre[h->vbase[v]]]++] = v;
    for (int i = K; i > 0; i--)
        h->voff[i] = h->voff[i - 1];
    h->voff[0] = 0;
    spend(h, (long)g->n + 2L * g->m);
}

/* Piece of vertex x in move s and its distance to it (repaired regions:
 * h->lab / h->dist). RETURNS the piece, or -1 (unreached). */
static int vor_piece(const fp_heur *h, const split *s, int x, double *d)
{
    if (h->vbase[x] < 0)
        return -1;
    int p = split_cls(s, h->pre[h->vbase[x]]);
    if (p >= 0) {
        *d = h->vdist[x];
        return p;
    }
    *d = h->dist[x];
    return h->lab[x] - 1;
}

/* Scans the edges of the vertices h->vlist[a..b-1] for boundary paths
 * cheaper than R (a path through x costs at least x's distance; with two
 * pieces, it must also beat the best one found). */
static long vor_scan(fp_heur *h, const split *s, int a, int b, int ne, double R)
{
    const fp_cgraph *g = h->g;
    long units = b - a;
    double bound = R;
    for (int i = a; i < b; i++) {
        int x = h->vlist[i];
        double dx, dy;
        int px = vor_piece(h, s, x, &dx);
        if (ne == 2 && h->bnd[1] < bound)
            bound = h->bnd[1];
        if (px < 0 || dx >= bound)
            continue;
        units += g->adj_start[x + 1] - g->adj_start[x];
        for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
            int f = g->adj_edge[j];
            int py = vor_piece(h, s, oth(g, f, x), &dy);
            if (py < 0 || py == px)
                continue;
            double c = dx + g->cost[f] + dy;
            int ia = px < py ? px * ne + py : py * ne + px;
            if (c < h->bnd[ia]) {
                h->bnd[ia] = c;
                h->bnde[ia] = f;
            }
        }
    }
    return units;
}

/* Evaluates move s (removing the edges rem[0..nr-1], cost R) on the
 * current diagram and applies it if the pieces join again for less.
 * RETURNS 1 if sol improved. */
static int vor_move(fp_heur *h, unsigned char *sol, const split *s, const int *rem, int nr,
                    double R)
{
    const fp_cgraph *g = h->g;
    int ne = s->nc + 1, K = h->tn, nt = 0, improved = 0;
    long units = 0;
    /* repair: the removed regions searched again from their neighbours */
    int ra[KMAX + 1], rb[KMAX + 1], nrr = 0;
    ra[nrr] = h->voff[s->rlo];
    rb[nrr++] = h->voff[s->rhi];
    for (int j = 1; j <= s->nc; j++)
        if (s->lo[j] < s->mid[j]) {
            ra[nrr] = h->voff[s->lo[j]];
            rb[nrr++] = h->voff[s->mid[j]];
        }
    for (int r = 0; r < nrr; r++)
        for (int i = ra[r]; i < rb[r]; i++) {
            int x = h->vlist[i];
            /* its distance can only grow: past R it serves no path */
            if (h->vdist[x] >= R)
                continue;
            h->touched[nt++] = x;
            units += g->adj_start[x + 1] - g->adj_start[x];
            for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
                int f = g->adj_edge[j];
                int y = oth(g, f, x);
                if (h->vbase[y] < 0)
                    continue;
                int p = split_cls(s, h->pre[h->vbase[y]]);
                double d = h->vdist[y] + g->cost[f];
                if (p >= 0 && d < h->dist[x]) {
                    h->dist[x] = d;
                    h->pred[x] = f;
                    h->lab[x] = p + 1;
                }
            }
            if (h->dist[x] < DBL_MAX)
                fp_pq_push(h->pq, x, h->dist[x]);
        }
    while (!fp_pq_empty(h->pq)) {
        int x = fp_pq_pop(h->pq);
        if (h->dist[x] >= R)
            break;
        units += g->adj_start[x + 1] - g->adj_start[x];
        for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
            int f = g->adj_edge[j];
            int y = oth(g, f, x);
            if (h->vbase[y] < 0 || split_cls(s, h->pre[h->vbase[y]]) >= 0 || h->vdist[y] >= R)
                continue;
            double d = h->dist[x] + g->cost[f];
            if (d < h->dist[y]) {
                h->dist[y] = d;
                h->pred[y] = f;
                h->lab[y] = h->lab[x];
                fp_pq_push(h->pq, y, d);
            }
        }
    }
    fp_pq_clear(h->pq);
    /* boundary paths: the removed regions and every piece but the largest */
    for (int i = 0; i < ne * ne; i++) {
        h->bnd[i] = DBL_MAX;
        h->bnde[i] = -1;
    }
    int sz[KMAX + 1], big = 0;
    sz[0] = h->voff[K] - h->voff[s->end] + h->voff[s->rlo];
    for (int j = 1; j <= s->nc; j++) {
        sz[j] = h->voff[s->hi[j]] - h->voff[s->mid[j]];
        if (sz[j] > sz[big])
            big = j;
    }
    for (int r = 0; r < nrr; r++)
        units += vor_scan(h, s, ra[r], rb[r], ne, R);
    if (big != 0) {
        units += vor_scan(h, s, 0, h->voff[s->rlo], ne, R);
        units += vor_scan(h, s, h->voff[s->end], h->voff[K], ne, R);
    }
    for (int j = 1; j <= s->nc; j++)
        if (j != big)
            units += vor_scan(h, s, h->voff[s->mid[j]], h->voff[s->hi[j]], ne, R);
    /* Kruskal over the pieces */
    int comps = ne, nch = 0;
    double tc = 0;
    for (int i = 0; i < ne; i++)
        h->uf[i] = i;
    while (comps > 1 && tc < R) {
        double bc = DBL_MAX;
        int ba = -1, bb = -1;
        for (int a = 0; a < ne; a++)
            for (int b = a + 1; b < ne; b++) {
                if (h->bnd[a * ne + b] >= bc || uf_find(h->uf, a) == uf_find(h->uf, b))
                    continue;
                bc = h->bnd[a * ne + b];
                ba = a;
                bb = b;
            }
        if (ba < 0)
            break;
        h->uf[uf_find(h->uf, ba)] = uf_find(h->uf, bb);
        tc += bc;
        h->chosen[nch++] = h->bnde[ba * ne + bb];
        comps--;
    }
    if (comps == 1 && better(tc, R)) {
        double before = sol_cost(g, sol);
        memcpy(h->tmp, sol, (size_t)g->m);
        for (int k = 0; k < nr; k++)
            sol[rem[k]] = 0;
        for (int k = 0; k < nch; k++) {
            int f = h->chosen[k];
            sol[f] = 1;
            for (int s2 = 0; s2 < 2; s2++) {
                int x = s2 ? g->head[f] : g->tail[f];
                for (;;) {
                    int e = split_cls(s, h->pre[h->vbase[x]]) < 0 ? h->pred[x] : h->vpred[x];
                    if (e < 0 || sol[e])
                        break;
                    sol[e] = 1;
                    x = oth(g, e, x);
                }
            }
        }
        prune(h, sol);
        if (better(sol_cost(g, sol), before))
            improved = 1;
        else
            memcpy(sol, h->tmp, (size_t)g->m);
    }
    for (int i = 0; i < nt; i++) {
        int v = h->touched[i];
        h->dist[v] = DBL_MAX;
        h->pred[v] = -1;
        h->lab[v] = 0;
    }
    spend(h, units);
    return improved;
}

/* Builds the tree adjacency, the rooting and the diagram for sol.
 * RETURNS 0, or -1 if sol has no edge. */
static int vor_build(fp_heur *h, const unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    build_tadj(h, sol);
    int root = -1;
    for (int v = 0; v < g->n && root < 0; v++)
        if (g->term[v] && h->tdeg[v] > 0)
            root = v;
    if (root < 0)
        return -1;
    h->tn = root_tree(h, sol, root);
    build_vor(h, h->tn);
    return 0;
}

/* One pass of key-path exchange and (kv) key-vertex elimination on the
 * Voronoi diagram; `fresh`: the diagram of the last pass still holds for
 * sol (it left sol unchanged). RETURNS 1 if sol improved, 0 if not (the
 * diagram then holds for sol), -1 if sol has no edge. */
static int vor_pass(fp_heur *h, unsigned char *sol, int kv, int fresh)
{
    const fp_cgraph *g = h->g;
    int improved = 0;
    if (!fresh && vor_build(h, sol) < 0)
        return -1;
    split s;
    for (int v = 0; v < g->n && !stopped(h); v++) {
        if (h->pre[v] <= 0 || !is_key(h, v))
            continue;
        int np, end;
        double R = 0;
        if (!kv) {
            /* the key path above v */
            np = walk_keypath(h, v, h->pe[v], h->list, &end, &R);
            s.nc = 1;
            s.rlo = h->pre[v] - (np - 1);
            s.rhi = h->pre[v];
            s.end = h->pend[v];
            s.lo[1] = s.mid[1] = h->pre[v];
            s.hi[1] = h->pend[v];
        } else {
            if (g->term[v] || h->tdeg[v] > KMAX)
                continue;
            np = walk_keypath(h, v, h->pe[v], h->list, &end, &R);
            s.nc = 0;
            s.rlo = h->pre[v] - (np - 1);
            s.rhi = h->pre[v] + 1;
            s.end = h->pend[v];
            for (int i = h->tadj_start[v]; i < h->tadj_start[v + 1]; i++) {
                int f = h->tadj[i];
                if (f == h->pe[v])
                    continue;
                int c = oth(g, f, v);
                np += walk_keypath(h, v, f, h->list + np, &end, &R);
                int j = ++s.nc;
                s.lo[j] = h->pre[c];
                s.mid[j] = h->pre[end];
                s.hi[j] = h->pend[c];
            }
            /* children by preorder (insertion sort: few) */
            for (int a = 2; a <= s.nc; a++)
                for (int b = a; b > 1 && s.lo[b - 1] > s.lo[b]; b--) {
                    int t;
                    t = s.lo[b], s.lo[b] = s.lo[b - 1], s.lo[b - 1] = t;
                    t = s.mid[b], s.mid[b] = s.mid[b - 1], s.mid[b - 1] = t;
                    t = s.hi[b], s.hi[b] = s.hi[b - 1], s.hi[b - 1] = t;
                }
        }
        if (vor_move(h, sol, &s, h->list, np, R)) {
            improved = 1;
            if (vor_build(h, sol) < 0)
                return -1;
        }
    }
    return improved;
}

/* The local search of fp_heur_improve (without the recombination). */
static double local_search(fp_heur *h, unsigned char *sol, long effort)
{
    const fp_cgraph *g = h->g;
    double unit = (double)g->n + 2.0 * (double)g->m + 1, w = effort > 0 ? (double)effort * unit : -1;
    h->work = w > 4e18 ? (long)4e18 : (long)w;
    if (h->work > 0 && h->work < 1)
        h->work = 1;
    if (out_of_time_now(h))
        h->work = 0;
    remst(h, sol);
    double cur = sol_cost(g, sol);
    for (int round = 0; round < 1000 && !stopped(h); round++) {
        insert_pass(h, sol);
        /* the diagram of an unsuccessful pass serves the next one */
        int kp = vor_pass(h, sol, 0, 0);
        if (kp >= 0)
            vor_pass(h, sol, 1, kp == 0);
        remst(h, sol);
        double c = sol_cost(g, sol);
        if (!better(c, cur))
            break;
        cur = c;
    }
    prune(h, sol);
    h->cut_short = h->work == 0;
    h->work = -1;
    return sol_cost(g, sol);
}

/* A local-search move costs about n + m steps (a Dijkstra or an MST over
 * the graph), so a move budget linear in n makes the search quadratic: on
 * large graphs the budget is capped at this much work instead. Small
 * graphs (SteinLib B, C, D) stay below the cap. */
#define HEUR_WORK 2e7

long fp_heur_effort(const fp_cgraph *g, long want)
{
    double cap = HEUR_WORK / ((double)g->n + (double)g->m + 1);
    if (cap < 200)
        cap = 200;
    return want > cap ? (long)cap : want;
}

/* The union of some trees as a graph of its own: vertices are the trees'
 * vertices and every terminal, edges the trees' edges. emap[sub edge] is
 * the edge of g. RETURNS NULL on no memory. Free with sub_free. */
static fp_cgraph *sub_union(const fp_cgraph *g, const unsigned char *mark, int *vmap, int **emap)
{
    fp_cgraph *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    int n = 0, m = 0;
    for (int v = 0; v < g->n; v++)
        vmap[v] = g->term[v] ? 0 : -1;
    for (int e = 0; e < g->m; e++)
        if (mark[e]) {
            vmap[g->tail[e]] = vmap[g->head[e]] = 0;
            m++;
        }
    for (int v = 0; v < g->n; v++)
        if (vmap[v] >= 0)
            vmap[v] = n++;
    s->n = n;
    s->m = m;
    s->tail = malloc((m > 0 ? (size_t)m : 1) * sizeof(int));
    s->head = malloc((m > 0 ? (size_t)m : 1) * sizeof(int));
    s->cost = malloc((m > 0 ? (size_t)m : 1) * sizeof(double));
    s->term = calloc(n > 0 ? (size_t)n : 1, 1);
    s->adj_start = calloc((size_t)n + 2, sizeof(int));
    s->adj_edge = malloc((m > 0 ? 2 * (size_t)m : 1) * sizeof(int));
    *emap = malloc((m > 0 ? (size_t)m : 1) * sizeof(int));
    if (!s->tail || !s->head || !s->cost || !s->term || !s->adj_start || !s->adj_edge || !*emap) {
        free(*emap);
        *emap = NULL;
        fp_cgraph_free(s);
        return NULL;
    }
    for (int v = 0; v < g->n; v++)
        if (vmap[v] >= 0 && g->term[v]) {
            s->term[vmap[v]] = 1;
            s->n_terms++;
        }
    int k = 0;
    for (int e = 0; e < g->m; e++)
        if (mark[e]) {
            s->tail[k] = vmap[g->tail[e]];
            s->head[k] = vmap[g->head[e]];
            s->cost[k] = g->cost[e];
            (*emap)[k++] = e;
            s->adj_start[vmap[g->tail[e]] + 2]++;
            s->adj_start[vmap[g->head[e]] + 2]++;
        }
    for (int v = 0; v < n; v++)
        s->adj_start[v + 2] += s->adj_start[v + 1];
    for (int e = 0; e < m; e++) {
        s->adj_edge[s->adj_start[s->tail[e] + 1]++] = e;
        s->adj_edge[s->adj_start[s->head[e] + 1]++] = e;
    }
    return s;
}

/* Offers tree sol of cost c to the pool (sorted by cost, no duplicates).
 * RETURNS 1 if it became the best. */
static int pool_offer(pool *p, const fp_cgraph *g, const unsigned char *sol, double c)
{
    int pos = p->n;
    for (int i = 0; i < p->n; i++) {
        if (c == p->cost[i] && memcmp(sol, p->sol[i], (size_t)g->m) == 0)
            return 0;
        if (c < p->cost[i] && pos == p->n)
            pos = i;
    }
    if (pos >= POOL)
        return 0;
    int last = p->n < POOL ? p->n : POOL - 1;
    unsigned char *buf = p->sol[last];
    for (int i = last; i > pos; i--) {
        p->sol[i] = p->sol[i - 1];
        p->cost[i] = p->cost[i - 1];
    }
    p->sol[pos] = buf;
    p->cost[pos] = c;
    memcpy(buf, sol, (size_t)g->m);
    if (p->n < POOL)
        p->n++;
    return pos == 0;
}

/* Solves the union of the pool trees chosen by `pick` (bit i: tree i) with
 * SPH from a few terminals and local search on that small graph, then
 * polishes the result on g with `effort`. Writes it into out[g->m].
 * RETURNS its cost, or -1 (no memory, or nothing found). */
static double recombine(fp_heur *h, const pool *p, unsigned pick, unsigned seed, long effort,
                        unsigned char *out)
{
    const fp_cgraph *g = h->g;
    double best = -1;
    int *emap = NULL;
    fp_cgraph *s = NULL;
    fp_heur *sh = NULL;
    unsigned char *ss = NULL, *sb = NULL;
    unsigned char *mark = h->tmp2;
    memset(mark, 0, (size_t)g->m);
    for (int i = 0; i < p->n; i++)
        if (pick >> i & 1)
            for (int e = 0; e < g->m; e++)
                mark[e] |= p->sol[i][e];
    s = sub_union(g, mark, h->uf, &emap);
    if (!s)
        goto out;
    sh = fp_heur_create(s);
    ss = malloc(s->m > 0 ? (size_t)s->m : 1);
    sb = malloc(s->m > 0 ? (size_t)s->m : 1);
    if (!sh || !ss || !sb)
        goto out;
    sh->deadline = h->deadline;
    sh->expired = h->expired;
    /* a few roots: the terminals of highest union degree first (where the
     * trees differ most), then pseudo-random ones */
    int tries = 4;
    unsigned r = seed * 2654435761u + 7u;
    for (int t = 0; t < tries; t++) {
        int root = -1;
        if (t == 0) {
            for (int v = 0; v < s->n; v++)
                if (s->term[v] && (root < 0 || s->adj_start[v + 1] - s->adj_start[v] >
                                                   s->adj_start[root + 1] - s->adj_start[root]))
                    root = v;
        } else {
            r = r * 1103515245u + 12345u;
            int pickt = (int)((r >> 8) % (unsigned)s->n_terms), v = 0;
            for (; v < s->n; v++)
                if (s->term[v] && pickt-- == 0)
                    break;
            root = v < s->n ? v : -1;
        }
        if (root < 0)
            continue;
        double c = fp_heur_sph(sh, root, NULL, ss);
        if (c < 0)
            continue;
        c = local_search(sh, ss, 0);
        if (best < 0 || better(c, best)) {
            best = c;
            memcpy(sb, ss, (size_t)s->m);
        }
        if (out_of_time_now(sh))
            break;
    }
    if (best < 0)
        goto out;
    memset(out, 0, (size_t)g->m);
    for (int e = 0; e < s->m; e++)
        if (sb[e])
            out[emap[e]] = 1;
    best = local_search(h, out, effort);
out:
    if (sh && sh->expired)
        h->expired = 1;
    fp_heur_free(sh);
    free(ss);
    free(sb);
    free(emap);
    fp_cgraph_free(s);
    return best;
}

/* Offers a tree to the handle's pool (buffers allocated on first use;
 * without memory the tree is just not kept). */
static void keep_offer(fp_heur *h, const unsigned char *sol, double c)
{
    const fp_cgraph *g = h->g;
    for (int i = 0; i < POOL; i++)
        if (!h->keep.sol[i] && !(h->keep.sol[i] = malloc((size_t)g->m + 1)))
            return;
    pool_offer(&h->keep, g, sol, c);
}

double fp_heur_improve(fp_heur *h, unsigned char *sol, long effort)
{
    const fp_cgraph *g = h->g;
    double c = local_search(h, sol, effort);
    /* a full local search (not one cut short, e.g. a mere clean-up) also
     * recombines the tree with the best ones kept from earlier calls: the
     * trees of fp_heur_run, the dual-ascent or LP guided trees before */
    if (h->cut_short || h->keep.n == 0 || !fp_heur_check(g, sol, NULL))
        goto out;
    if (c == h->keep.cost[0] && memcmp(sol, h->keep.sol[0], (size_t)g->m) == 0)
        goto out;
    if (!h->rbuf && !(h->rbuf = malloc((size_t)g->m + 1)))
        goto out;
    pool v = {0};
    v.sol[0] = sol;
    v.cost[0] = c;
    v.n = 1;
    for (int i = 0; i < h->keep.n && v.n < 3; i++) {
        v.sol[v.n] = h->keep.sol[i];
        v.cost[v.n++] = h->keep.cost[i];
    }
    double rc = recombine(h, &v, (1u << v.n) - 1, ++h->calls, effort, h->rbuf);
    if (rc >= 0 && better(rc, c) && fp_heur_check(g, h->rbuf, NULL)) {
        memcpy(sol, h->rbuf, (size_t)g->m);
        c = rc;
    }
out:
    if (!h->cut_short && fp_heur_check(g, sol, NULL))
        keep_offer(h, sol, c);
    return c;
}

double fp_heur_run(fp_heur *h, int starts, unsigned seed, unsigned char *best)
{
    const fp_cgraph *g = h->g;
    double bc = -1;
    if (g->n == 0 || g->n_terms <= 1) {
        memset(best, 0, (size_t)(g->m > 0 ? g->m : 0));
        return g->n_terms <= 1 ? 0 : -1;
    }
    pool p = {0};
    unsigned char *cur = malloc((size_t)g->m + 1);
    int *roots = malloc((size_t)g->n * sizeof *roots);
    double *w = malloc(((size_t)g->m + 1) * sizeof *w);
    int ok = cur && roots && w;
    for (int i = 0; i < POOL && ok; i++) {
        p.sol[i] = malloc((size_t)g->m + 1);
        ok = p.sol[i] != NULL;
    }
    if (!ok)
        goto out;
    int nr = 0;
    for (int v = 0; v < g->n; v++)
        if (g->term[v])
            roots[nr++] = v;
    /* deterministic shuffle of the terminals */
    unsigned s = seed * 2654435761u + 12345u;
    for (int i = nr - 1; i > 0; i--) {
        s = s * 1103515245u + 12345u;
        int j = (int)((s >> 8) % (unsigned)(i + 1));
        int t = roots[i];
        roots[i] = roots[j];
        roots[j] = t;
    }
    /* SPH costs one search; a local search many: at least MIN_SPH roots
     * get an SPH tree, but only `starts` (at most NLS) a local search */
    int k = starts > MIN_SPH ? starts : MIN_SPH;
    if (k > nr)
        k = nr;
    long budget = fp_heur_effort(g, 4000 + 4L * g->n);
    /* SPH is cheap next to the local search: it runs from every root and
     * only the best few trees get the local search; on large graphs the
     * roots are capped too, at about the local search's work */
    double kcap = HEUR_WORK / ((double)g->n + (double)g->m + 1);
    if (kcap < 4)
        kcap = 4;
    if (k > kcap)
        k = (int)kcap;
    for (int i = 0; i < k; i++) {
        if (p.n > 0 && out_of_time_now(h))
            break;
        double c = fp_heur_sph(h, roots[i], NULL, cur);
        if (c >= 0)
            pool_offer(&p, g, cur, c);
    }
    if (p.n == 0)
        goto out;
    int nls = p.n < NLS ? p.n : NLS;
    if (nls > starts)
        nls = starts > 1 ? starts : 1;
    for (int i = 0; i < nls; i++) {
        if (i > 0 && out_of_time_now(h)) {
            nls = i;
            break;
        }
        p.cost[i] = local_search(h, p.sol[i], budget / nls + 50);
    }
    /* the improved trees by cost (the other buffers stay for reuse) */
    for (int i = 1; i < nls; i++) {
        double c = p.cost[i];
        unsigned char *b = p.sol[i];
        int j = i;
        while (j > 0 && p.cost[j - 1] > c) {
            p.cost[j] = p.cost[j - 1];
            p.sol[j] = p.sol[j - 1];
            j--;
        }
        p.cost[j] = c;
        p.sol[j] = b;
    }
    p.n = nls;
    /* local search may have led two starts to the same tree */
    for (int i = 1; i < p.n; i++)
        if (p.cost[i] == p.cost[i - 1] && memcmp(p.sol[i], p.sol[i - 1], (size_t)g->m) == 0) {
            unsigned char *b = p.sol[i];
            for (int j = i; j + 1 < POOL; j++) {
                p.sol[j] = p.sol[j + 1];
                p.cost[j] = p.cost[j + 1];
            }
            p.sol[POOL - 1] = b;
            p.n--;
            i--;
        }
    /* recombination: the best tree with one to three others, picked at
     * random; after a failure, a new tree from SPH on randomly perturbed
     * costs (ties broken otherwise: integral costs have many) joins the
     * pool for diversity; the more starts asked for, the longer it may
     * go on failing (2 starts: 2 failures in 6 rounds, 16: 4 in 12, 40:
     * 7 in 21) */
    {
        const int maxfail = 2 + (starts > 0 ? starts : 0) / 8, rounds = 3 * maxfail;
        const double delta = 0.2;
        int fails = 0, fresh = 0;
        unsigned rs = seed * 747796405u + 2891336453u;
        for (int round = 0; round < rounds && fails < maxfail; round++) {
            if (out_of_time_now(h))
                break;
            if (fresh || p.n < 2) {
                /* a perturbed tree */
                for (int e = 0; e < g->m; e++) {
                    rs = rs * 1103515245u + 12345u;
                    w[e] = g->cost[e] * (1 + delta * (double)((rs >> 8) & 0xffff) / 65536.0);
                }
                rs = rs * 1103515245u + 12345u;
                int root = roots[(rs >> 8) % (unsigned)nr];
                double c = fp_heur_sph(h, root, w, cur);
                if (c >= 0) {
                    c = local_search(h, cur, budget / 8 + 50);
                    pool_offer(&p, g, cur, c);
                }
                fresh = 0;
                continue;
            }
            unsigned pick = 1u;
            rs = rs * 1103515245u + 12345u;
            int others = 1 + (int)((rs >> 16) % 3u);
            for (int t = 0; t < others; t++) {
                rs = rs * 1103515245u + 12345u;
                pick |= 1u << (1 + (int)((rs >> 8) % (unsigned)(p.n - 1)));
            }
            double c = recombine(h, &p, pick, seed + (unsigned)round, budget / 8 + 50, cur);
            if (c < 0)
                continue;
            if (pool_offer(&p, g, cur, c)) {
                fails = 0;
            } else {
                fails++;
                fresh = 1;
            }
        }
    }
    bc = p.cost[0];
    memcpy(best, p.sol[0], (size_t)g->m);
    bc = local_search(h, best, 0);
    /* later calls of fp_heur_improve on this handle recombine with these */
    keep_offer(h, best, bc);
    for (int i = 0; i < p.n && i < 3; i++)
        keep_offer(h, p.sol[i], p.cost[i]);
out:
    for (int i = 0; i < POOL; i++)
        free(p.sol[i]);
    free(cur);
    free(roots);
    free(w);
    return bc;
}

int fp_heur_check(const fp_cgraph *g, const unsigned char *sol, double *cost)
{
    int n = g->n, ne = 0, ok = 1;
    double c = 0;
    int *parent = malloc((n > 0 ? (size_t)n : 1) * sizeof *parent);
    if (!parent)
        return 0;
    for (int v = 0; v < n; v++)
        parent[v] = v;
    for (int e = 0; e < g->m; e++) {
        if (!sol[e])
            continue;
        ne++;
        c += g->cost[e];
        int a = g->tail[e], b = g->head[e];
        while (parent[a] != a)
            a = parent[a] = parent[parent[a]];
        while (parent[b] != b)
            b = parent[b] = parent[parent[b]];
        if (a == b)
            ok = 0; /* cycle */
        else
            parent[a] = b;
    }
    int root = -1;
    for (int v = 0; v < n && ok; v++) {
        if (!g->term[v])
            continue;
        int a = v;
        while (parent[a] != a)
            a = parent[a];
        if (root < 0)
            root = a;
        else if (a != root)
            ok = 0;
    }
    /* a tree: every used edge connected to the terminals' component */
    if (ok && ne > 0) {
        for (int e = 0; e < g->m && ok; e++) {
            if (!sol[e])
                continue;
            int a = g->tail[e];
            while (parent[a] != a)
                a = parent[a];
            if (root >= 0 && a != root)
                ok = 0;
        }
    }
    free(parent);
    if (cost)
        *cost = c;
    return ok;
}
