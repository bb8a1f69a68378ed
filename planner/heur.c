/* heur: shortest-path heuristic and local search for Steiner trees. */
#include "heur.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pqueue.h"

struct fp_heur {
    const fp_cgraph *g;
    fp_pq *pq;
    double *dist;     /* [n] */
    int *pred;        /* [n] edge */
    unsigned char *in;/* [n] vertex set */
    unsigned char *done;
    int *tdeg;        /* [n] tree degree */
    int *stack;       /* [n] */
    int *comp;        /* [n] component label */
    unsigned char *tmp;  /* [m] */
    unsigned char *tmp2; /* [m] */
    int *list;        /* [n] */
    double deadline;  /* CLOCK_MONOTONIC s; <= 0: none */
    unsigned ticks;   /* moves since the last clock reading */
    int expired;      /* the deadline has passed (sticky) */
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

/* Counts one move against *effort; ends the search (effort 0) when the
 * deadline has passed. */
static void spend(fp_heur *h, long *effort)
{
    if (*effort > 0)
        (*effort)--;
    if (out_of_time(h))
        *effort = 0;
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
    h->comp = malloc(n * sizeof(int));
    h->list = malloc(n * sizeof(int));
    h->tmp = calloc(m, 1);
    h->tmp2 = calloc(m, 1);
    if (!h->pq || !h->dist || !h->pred || !h->in || !h->done || !h->tdeg || !h->stack ||
        !h->comp || !h->tmp || !h->tmp2 || !h->list) {
        fp_heur_free(h);
        return NULL;
    }
    return h;
}

void fp_heur_free(fp_heur *h)
{
    if (!h)
        return;
    fp_pq_free(h->pq);
    free(h->dist);
    free(h->pred);
    free(h->in);
    free(h->done);
    free(h->tdeg);
    free(h->stack);
    free(h->comp);
    free(h->tmp);
    free(h->tmp2);
    free(h->list);
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

/* Removes non-terminal leaves repeatedly. */
static void prune(fp_heur *h, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    int sp = 0;
    memset(h->tdeg, 0, (size_t)g->n * sizeof(int));
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->tdeg[g->tail[e]]++;
            h->tdeg[g->head[e]]++;
        }
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
    for (int v = 0; v < g->n; v++) {
        h->dist[v] = DBL_MAX;
        h->done[v] = 0;
    }
    h->dist[start] = 0;
    h->pred[start] = -1;
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
            h->dist[y] = g->cost[e];
            h->pred[y] = e;
            fp_pq_push(h->pq, y, g->cost[e]);
        }
    }
    if (reached < cnt) {
        for (int v = 0; v < g->n; v++)
            if (h->in[v] && !h->done[v] && g->term[v])
                return -1;
    }
    prune(h, sol);
    return sol_cost(g, sol);
}

double fp_heur_sph(fp_heur *h, int root, const double *w, unsigned char *sol)
{
    const fp_cgraph *g = h->g;
    if (!w)
        w = g->cost;
    memset(h->in, 0, (size_t)g->n);
    for (int v = 0; v < g->n; v++)
        h->dist[v] = DBL_MAX;
    int need = g->n_terms - (g->term[root] ? 1 : 0);
    h->in[root] = 1;
    h->dist[root] = 0;
    h->pred[root] = -1;
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
                h->dist[y] = d;
                h->pred[y] = e;
                fp_pq_push(h->pq, y, d);
            }
        }
    }
    fp_pq_clear(h->pq);
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

/* One pass of key-path exchange. RETURNS 1 if sol improved. */
static int keypath_pass(fp_heur *h, unsigned char *sol, long *effort)
{
    const fp_cgraph *g = h->g;
    int improved = 0;
    memset(h->tdeg, 0, (size_t)g->n * sizeof(int));
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->tdeg[g->tail[e]]++;
            h->tdeg[g->head[e]]++;
        }
    unsigned char *seen = h->tmp2;
    memset(seen, 0, (size_t)g->m);
    for (int s = 0; s < g->n && *effort != 0; s++) {
        if (h->tdeg[s] == 0 || (h->tdeg[s] == 2 && !g->term[s]))
            continue; /* not a key vertex */
        for (int i = g->adj_start[s]; i < g->adj_start[s + 1] && *effort != 0; i++) {
            int e0 = g->adj_edge[i];
            if (!sol[e0] || seen[e0])
                continue;
            /* walk the key path from s along e0 */
            int np = 0, v = s, e = e0;
            double pc = 0;
            for (;;) {
                seen[e] = 1;
                h->list[np++] = e;
                pc += g->cost[e];
                v = oth(g, e, v);
                if (h->tdeg[v] != 2 || g->term[v])
                    break;
                int nx = -1;
                for (int j = g->adj_start[v]; j < g->adj_start[v + 1]; j++) {
                    int f = g->adj_edge[j];
                    if (sol[f] && f != e) {
                        nx = f;
                        break;
                    }
                }
                e = nx;
            }
            spend(h, effort);
            /* remove the path; label the side of s */
            for (int k = 0; k < np; k++)
                sol[h->list[k]] = 0;
            for (int x = 0; x < g->n; x++)
                h->comp[x] = 0;
            int sp = 0;
            h->stack[sp++] = s;
            h->comp[s] = 1;
            while (sp) {
                int x = h->stack[--sp];
                for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
                    int f = g->adj_edge[j];
                    if (!sol[f])
                        continue;
                    int y = oth(g, f, x);
                    if (!h->comp[y]) {
                        h->comp[y] = 1;
                        h->stack[sp++] = y;
                    }
                }
            }
            /* the other side: the end v and whatever hangs on it */
            sp = 0;
            h->stack[sp++] = v;
            h->comp[v] = 2;
            while (sp) {
                int x = h->stack[--sp];
                for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
                    int f = g->adj_edge[j];
                    if (!sol[f])
                        continue;
                    int y = oth(g, f, x);
                    if (!h->comp[y]) {
                        h->comp[y] = 2;
                        h->stack[sp++] = y;
                    }
                }
            }
            /* shortest path from side 1 to side 2 */
            for (int x = 0; x < g->n; x++) {
                h->dist[x] = DBL_MAX;
                h->done[x] = 0;
                if (h->comp[x] == 1) {
                    h->dist[x] = 0;
                    h->pred[x] = -1;
                    fp_pq_push(h->pq, x, 0);
                }
            }
            int hit = -1;
            while (!fp_pq_empty(h->pq)) {
                int x = fp_pq_pop(h->pq);
                if (h->dist[x] >= pc)
                    break;
                if (h->comp[x] == 2) {
                    hit = x;
                    break;
                }
                h->done[x] = 1;
                for (int j = g->adj_start[x]; j < g->adj_start[x + 1]; j++) {
                    int f = g->adj_edge[j];
                    int y = oth(g, f, x);
                    if (h->done[y] || h->comp[y] == 1)
                        continue;
                    double d = h->dist[x] + g->cost[f];
                    if (d < h->dist[y]) {
                        h->dist[y] = d;
                        h->pred[y] = f;
                        fp_pq_push(h->pq, y, d);
                    }
                }
            }
            fp_pq_clear(h->pq);
            if (hit >= 0 && h->dist[hit] < pc * (1 - 1e-12) - 1e-12) {
                int x = hit;
                while (h->pred[x] >= 0 && h->comp[x] != 1) {
                    sol[h->pred[x]] = 1;
                    x = oth(g, h->pred[x], x);
                }
                improved = 1;
                /* carry on with the changed tree: refresh the degrees; key
                 * paths already walked keep their marks */
                memset(h->tdeg, 0, (size_t)g->n * sizeof(int));
                for (int f = 0; f < g->m; f++)
                    if (sol[f]) {
                        h->tdeg[g->tail[f]]++;
                        h->tdeg[g->head[f]]++;
                    }
                for (int x2 = 0; x2 < g->n; x2++)
                    h->comp[x2] = 0;
                if (h->tdeg[s] == 0 || (h->tdeg[s] == 2 && !g->term[s]))
                    break;
                continue;
            }
            for (int k = 0; k < np; k++)
                sol[h->list[k]] = 1;
        }
    }
    return improved;
}

/* Tries inserting / removing single Steiner vertices with MST-prune.
 * RETURNS 1 if sol improved. */
static int vertex_pass(fp_heur *h, unsigned char *sol, long *effort)
{
    const fp_cgraph *g = h->g;
    double cur = sol_cost(g, sol);
    unsigned char *trial = h->tmp;
    int improved = 0;
    set_from_sol(h, sol);
    memset(h->comp, 0, (size_t)g->n * sizeof(int));
    for (int e = 0; e < g->m; e++)
        if (sol[e]) {
            h->comp[g->tail[e]]++;
            h->comp[g->head[e]]++;
        }
    for (int v = 0; v < g->n && *effort != 0; v++) {
        if (!h->in[v]) {
            int nb = 0;
            for (int i = g->adj_start[v]; i < g->adj_start[v + 1] && nb < 2; i++)
                nb += h->in[oth(g, g->adj_edge[i], v)];
            if (nb < 2)
                continue;
            h->in[v] = 1;
        } else if (!g->term[v] && h->comp[v] >= 3) {
            h->in[v] = 0;
        } else {
            continue;
        }
        spend(h, effort);
        double c = mst_prune(h, trial);
        if (c >= 0 && c < cur * (1 - 1e-12) - 1e-12) {
            memcpy(sol, trial, (size_t)g->m);
            cur = c;
            improved = 1;
            set_from_sol(h, sol);
            memset(h->comp, 0, (size_t)g->n * sizeof(int));
            for (int e = 0; e < g->m; e++)
                if (sol[e]) {
                    h->comp[g->tail[e]]++;
                    h->comp[g->head[e]]++;
                }
        } else {
            h->in[v] = !h->in[v];
        }
    }
    return improved;
}

double fp_heur_improve(fp_heur *h, unsigned char *sol, long effort)
{
    const fp_cgraph *g = h->g;
    long eff = effort > 0 ? effort : -1;
    if (out_of_time_now(h))
        eff = 0;
    set_from_sol(h, sol);
    double c = mst_prune(h, h->tmp);
    if (c >= 0 && c < sol_cost(g, sol))
        memcpy(sol, h->tmp, (size_t)g->m);
    for (int round = 0; round < 1000 && eff != 0; round++) {
        int imp = 0;
        while (eff != 0 && keypath_pass(h, sol, &eff)) {
            imp = 1;
            set_from_sol(h, sol);
            c = mst_prune(h, h->tmp);
            if (c >= 0 && c < sol_cost(g, sol))
                memcpy(sol, h->tmp, (size_t)g->m);
        }
        if (eff != 0)
            imp |= vertex_pass(h, sol, &eff);
        if (!imp)
            break;
    }
    prune(h, sol);
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

double fp_heur_run(fp_heur *h, int starts, unsigned seed, unsigned char *best)
{
    const fp_cgraph *g = h->g;
    double bc = -1;
    if (g->n == 0 || g->n_terms <= 1) {
        memset(best, 0, (size_t)(g->m > 0 ? g->m : 0));
        return g->n_terms <= 1 ? 0 : -1;
    }
    unsigned char *cur = malloc((size_t)g->m + 1);
    int *roots = malloc((size_t)g->n * sizeof *roots);
    if (!cur || !roots)
        goto out;
    int nr = 0;
    for (int v = 0; v < g->n; v++)
        if (g->term[v])
            roots[nr++] = v;
    /* deterministic shuffle of the terminals, then the rest */
    unsigned s = seed * 2654435761u + 12345u;
    for (int i = nr - 1; i > 0; i--) {
        s = s * 1103515245u + 12345u;
        int j = (int)((s >> 8) % (unsigned)(i + 1));
        int t = roots[i];
        roots[i] = roots[j];
        roots[j] = t;
    }
    int k = nr < starts ? nr : starts;
    long budget = fp_heur_effort(g, 4000 + 4L * g->n);
    /* fewer roots on large graphs, so that each still gets a real search */
    if (g->n > 2000) {
        long kmax = (long)starts * 2000 / g->n;
        if (kmax < 4)
            kmax = 4;
        if (k > kmax)
            k = (int)kmax;
    }
    for (int i = 0; i < k; i++) {
        /* past the deadline: stop once a tree is in hand */
        if (bc >= 0 && out_of_time_now(h))
            break;
        double c = fp_heur_sph(h, roots[i], NULL, cur);
        if (c < 0)
            continue;
        c = fp_heur_improve(h, cur, budget / k + 50);
        if (bc < 0 || c < bc) {
            bc = c;
            memcpy(best, cur, (size_t)g->m);
        }
    }
    if (bc >= 0)
        bc = fp_heur_improve(h, best, 0);
out:
    free(cur);
    free(roots);
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
