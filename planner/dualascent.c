/* dualascent: Wong's dual ascent, growing the smallest active cut first. */
#include "dualascent.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "pqueue.h"

int fp_da_run(const fp_cgraph *g, int root, double *lb, double *rc_out)
{
    int n = g->n, na = 2 * g->m, ret = -1;
    size_t nn = n > 0 ? (size_t)n : 1, aa = na > 0 ? (size_t)na : 1;
    double *rc = rc_out ? rc_out : malloc(aa * sizeof *rc);
    int *in_start = calloc(nn + 1, sizeof(int));
    int *in_arc = malloc(aa * sizeof(int));
    int *atail = malloc(aa * sizeof(int));
    int *mark = calloc(nn, sizeof(int));
    int *stack = malloc(nn * sizeof(int));
    int *cut = malloc(aa * sizeof(int));
    fp_pq *pq = fp_pq_create(n);
    double bound = 0;
    if (!rc || !in_start || !in_arc || !atail || !mark || !stack || !cut || !pq)
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
        if (g->term[v] && v != root)
            fp_pq_push(pq, v, 0);
    int stamp = 0;
    while (!fp_pq_empty(pq)) {
        int t = fp_pq_pop(pq);
        stamp++;
        int sp = 0, reached = 0;
        stack[sp++] = t;
        mark[t] = stamp;
        /* S: vertices reaching t on zero-reduced-cost arcs */
        int head = 0;
        while (head < sp) {
            int v = stack[head++];
            if (v == root) {
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
        for (int k = 0; k < nc; k++) {
            rc[cut[k]] -= delta;
            if (rc[cut[k]] < 0)
                rc[cut[k]] = 0;
        }
        fp_pq_push(pq, t, (double)nc);
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
    free(stack);
    free(cut);
    fp_pq_free(pq);
    return ret;
}

int fp_da_bound(const fp_cgraph *g, int root, double *lb)
{
    return fp_da_run(g, root, lb, NULL);
}
