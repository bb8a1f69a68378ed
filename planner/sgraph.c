/* sgraph: storage of a Steiner tree instance. */
#include "sgraph.h"

#include <math.h>
#include <stdlib.h>

fp_sgraph *fp_sgraph_create(int n_nodes)
{
    if (n_nodes < 0)
        return NULL;
    fp_sgraph *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->n_nodes = n_nodes;
    g->root = -1;
    size_t n = n_nodes > 0 ? (size_t)n_nodes : 1;
    g->term = calloc(n, 1);
    g->ext_id = malloc(n * sizeof *g->ext_id);
    if (!g->term || !g->ext_id) {
        fp_sgraph_free(g);
        return NULL;
    }
    for (int i = 0; i < n_nodes; i++)
        g->ext_id[i] = i + 1;
    return g;
}

void fp_sgraph_free(fp_sgraph *g)
{
    if (!g)
        return;
    free(g->tail);
    free(g->head);
    free(g->cost);
    free(g->term);
    free(g->prize);
    free(g->ext_id);
    free(g);
}

int fp_sgraph_add_edge(fp_sgraph *g, int u, int v, double c, fp_error *err)
{
    if (u < 0 || v < 0 || u >= g->n_nodes || v >= g->n_nodes) {
        fp_error_set(err, FP_EINPUT, "edge (%d,%d): node out of range 0..%d", u, v,
                     g->n_nodes - 1);
        return -1;
    }
    if (!isfinite(c) || c < 0) {
        fp_error_set(err, FP_EINPUT, "edge (%d,%d): cost %g is not a finite non-negative number",
                     u, v, c);
        return -1;
    }
    if (g->n_edges == g->cap_edges) {
        int cap = g->cap_edges ? 2 * g->cap_edges : 16;
        int *t = realloc(g->tail, (size_t)cap * sizeof *t);
        if (t) g->tail = t;
        int *h = realloc(g->head, (size_t)cap * sizeof *h);
        if (h) g->head = h;
        double *w = realloc(g->cost, (size_t)cap * sizeof *w);
        if (w) g->cost = w;
        if (!t || !h || !w) {
            fp_error_set(err, FP_ENOMEM, "out of memory adding edge %d", g->n_edges);
            return -1;
        }
        g->cap_edges = cap;
    }
    g->tail[g->n_edges] = u;
    g->head[g->n_edges] = v;
    g->cost[g->n_edges] = c;
    return g->n_edges++;
}

int fp_sgraph_enable_prizes(fp_sgraph *g, fp_error *err)
{
    if (g->prize)
        return FP_OK;
    g->prize = calloc(g->n_nodes > 0 ? (size_t)g->n_nodes : 1, sizeof *g->prize);
    if (!g->prize)
        return fp_error_set(err, FP_ENOMEM, "out of memory for prizes");
    return FP_OK;
}

int fp_sgraph_n_terminals(const fp_sgraph *g)
{
    int k = 0;
    for (int i = 0; i < g->n_nodes; i++)
        k += g->term[i] != 0;
    return k;
}
