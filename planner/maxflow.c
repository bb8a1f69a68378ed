/* maxflow: Dinic's algorithm with current-arc pointers. */
#include "maxflow.h"

#include <stdlib.h>
#include <string.h>

#define FLOW_EPS 1e-12

struct fp_maxflow {
    int n, na;
    /* residual arcs are stored in CSR order (position i) so that a node's
     * scan reads to[] and res[] contiguously */
    int *start;   /* [n+1] CSR of residual arcs out of each node */
    int *to;      /* [2na] head of residual arc i */
    int *rev;     /* [2na] position of i's partner (reverse arc) */
    int *fpos;    /* [na] position of arc a's forward residual arc */
    double *res;  /* [2na] residual capacity */
    double *cap;  /* [na] capacities of the last run (for rerun) */
    double flow;  /* flow value of the last run */
    int s, t;     /* terminals of the last run; s = -1 before any */
    int *level, *it, *queue; /* [n] */
    int *stk, *stke;         /* [n] DFS stack of nodes and arcs */
};

fp_maxflow *fp_maxflow_create(int n, int narcs, const int *tail, const int *head)
{
    fp_maxflow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    size_t nn = n > 0 ? (size_t)n : 1, r = narcs > 0 ? 2 * (size_t)narcs : 1;
    f->n = n;
    f->na = narcs;
    f->start = calloc(nn + 1, sizeof(int));
    f->to = malloc(r * sizeof(int));
    f->rev = malloc(r * sizeof(int));
    f->fpos = malloc((narcs > 0 ? (size_t)narcs : 1) * sizeof(int));
    f->res = malloc(r * sizeof(double));
    f->cap = malloc((narcs > 0 ? (size_t)narcs : 1) * sizeof(double));
    f->s = f->t = -1;
    f->level = malloc(nn * sizeof(int));
    f->it = malloc(nn * sizeof(int));
    f->queue = malloc(nn * sizeof(int));
    f->stk = malloc((nn + 1) * sizeof(int));
    f->stke = malloc((nn + 1) * sizeof(int));
    if (!f->start || !f->to || !f->rev || !f->fpos || !f->res || !f->cap || !f->level || !f->it || !f->queue ||
        !f->stk || !f->stke) {
        fp_maxflow_free(f);
        return NULL;
    }
    for (int a = 0; a < narcs; a++) {
        f->start[tail[a] + 1]++;
        f->start[head[a] + 1]++;
    }
    for (int v = 0; v < n; v++)
        f->start[v + 1] += f->start[v];
    int *pos = malloc(nn * sizeof *pos);
    if (!pos) {
        fp_maxflow_free(f);
        return NULL;
    }
    memcpy(pos, f->start, nn * sizeof *pos);
    for (int a = 0; a < narcs; a++) {
        int i = pos[tail[a]]++, j = pos[head[a]]++;
        f->fpos[a] = i;
        f->to[i] = head[a];
        f->to[j] = tail[a];
        f->rev[i] = j;
        f->rev[j] = i;
    }
    free(pos);
    return f;
}

void fp_maxflow_free(fp_maxflow *f)
{
    if (!f)
        return;
    free(f->start);
    free(f->to);
    free(f->rev);
    free(f->fpos);
    free(f->res);
    free(f->cap);
    free(f->level);
    free(f->it);
    free(f->queue);
    free(f->stk);
    free(f->stke);
    free(f);
}

static int bfs(fp_maxflow *f, int s, int t)
{
    for (int v = 0; v < f->n; v++)
        f->level[v] = -1;
    int qh = 0, qt = 0;
    f->queue[qt++] = s;
    f->level[s] = 0;
    while (qh < qt) {
        int v = f->queue[qh++];
        /* nodes beyond t's level are never on a shortest augmenting path */
        if (f->level[t] >= 0 && f->level[v] >= f->level[t])
            break;
        for (int i = f->start[v]; i < f->start[v + 1]; i++) {
            int w = f->to[i];
            if (f->level[w] < 0 && f->res[i] > FLOW_EPS) {
                f->level[w] = f->level[v] + 1;
                f->queue[qt++] = w;
            }
        }
    }
    return f->level[t] >= 0;
}

/* A blocking flow in the level graph (iterative DFS), up to `limit`.
 * After each path the search backs up only to the first arc it saturated
 * instead of restarting at s: augmenting paths share long
 * prefixes. RETURNS the amount pushed, 0 if none. */
static double augment(fp_maxflow *f, int s, int t, double limit)
{
    int sp = 0;
    double total = 0;
    f->stk[0] = s;
    for (;;) {
        int v = f->stk[sp];
        if (v == t) {
            double d = limit - total;
            for (int k = 0; k < sp; k++)
                if (f->res[f->stke[k]] < d)
                    d = f->res[f->stke[k]];
            int back = -1;
            for (int k = 0; k < sp; k++) {
                f->res[f->stke[k]] -= d;
                f->res[f->rev[f->stke[k]]] += d;
                if (back < 0 && f->res[f->stke[k]] <= FLOW_EPS)
                    back = k;
            }
            total += d;
            if (total >= limit - FLOW_EPS || back < 0)
                return total;
            sp = back; /* stk[back]'s current arc is now saturated */
            continue;
        }
        int advanced = 0;
        for (; f->it[v] < f->start[v + 1]; f->it[v]++) {
            int i = f->it[v];
            int w = f->to[i];
            if (f->res[i] > FLOW_EPS && f->level[w] == f->level[v] + 1) {
                f->stke[sp] = i;
                f->stk[++sp] = w;
                advanced = 1;
                break;
            }
        }
        if (!advanced) {
            f->level[v] = -1; /* dead end */
            if (sp == 0)
                return total;
            sp--;
            f->it[f->stk[sp]]++;
        }
    }
}

/* Augments the current flow f->flow from s to t up to `limit`. */
static double resume(fp_maxflow *f, int s, int t, double limit)
{
    f->s = s;
    f->t = t;
    if (s == t)
        return limit;
    double flow = f->flow;
    while (flow < limit - FLOW_EPS && bfs(f, s, t)) {
        memcpy(f->it, f->start, (size_t)f->n * sizeof(int));
        double d;
        while (flow < limit - FLOW_EPS && (d = augment(f, s, t, limit - flow)) > 0)
            flow += d;
    }
    f->flow = flow;
    return flow;
}

double fp_maxflow_run(fp_maxflow *f, const double *cap, int s, int t, double limit)
{
    for (int a = 0; a < f->na; a++) {
        f->cap[a] = cap[a] > 0 ? cap[a] : 0;
        f->res[f->fpos[a]] = f->cap[a];
        f->res[f->rev[f->fpos[a]]] = 0;
    }
    f->flow = 0;
    return resume(f, s, t, limit);
}

double fp_maxflow_rerun(fp_maxflow *f, const double *cap, int s, int t, double limit)
{
    if (s != f->s || t != f->t || s == t)
        return fp_maxflow_run(f, cap, s, t, limit);
    for (int a = 0; a < f->na; a++)
        if ((cap[a] > 0 ? cap[a] : 0) < f->cap[a])
            return fp_maxflow_run(f, cap, s, t, limit);
    /* every arc's flow still fits: raise the forward residuals only */
    for (int a = 0; a < f->na; a++) {
        double c = cap[a] > 0 ? cap[a] : 0;
        f->res[f->fpos[a]] += c - f->cap[a];
        f->cap[a] = c;
    }
    return resume(f, s, t, limit);
}

void fp_maxflow_sink_side(fp_maxflow *f, int t, unsigned char *side)
{
    memset(side, 0, (size_t)f->n);
    int qh = 0, qt = 0;
    f->queue[qt++] = t;
    side[t] = 1;
    while (qh < qt) {
        int v = f->queue[qh++];
        for (int i = f->start[v]; i < f->start[v + 1]; i++) {
            int w = f->to[i];
            /* residual arc w -> v is i's partner */
            if (!side[w] && f->res[f->rev[i]] > FLOW_EPS) {
                side[w] = 1;
                f->queue[qt++] = w;
            }
        }
    }
}

void fp_maxflow_source_side(fp_maxflow *f, int s, unsigned char *side)
{
    memset(side, 0, (size_t)f->n);
    int qh = 0, qt = 0;
    f->queue[qt++] = s;
    side[s] = 1;
    while (qh < qt) {
        int v = f->queue[qh++];
        for (int i = f->start[v]; i < f->start[v + 1]; i++) {
            int w = f->to[i];
            if (!side[w] && f->res[i] > FLOW_EPS) {
                side[w] = 1;
                f->queue[qt++] = w;
            }
        }
    }
}
