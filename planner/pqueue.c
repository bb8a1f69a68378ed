/* pqueue: indexed 4-ary min-heap. The keys sit in the heap array next to
 * their items, so a sift compares contiguous memory instead of chasing
 * key[heap[i]]; four children a node halve the depth. Items are ordered by
 * (key, index), a strict total order: the sequence of pops depends only on
 * the pushes, not on the heap's shape. */
#include "pqueue.h"

#include <stdlib.h>

typedef struct {
    double k;
    int v;
} entry;

struct fp_pq {
    int size;
    entry *heap; /* [n] */
    int *pos;    /* [n] index in heap or -1 */
};

fp_pq *fp_pq_create(int n)
{
    fp_pq *q = calloc(1, sizeof *q);
    size_t nn = n > 0 ? (size_t)n : 1;
    if (!q)
        return NULL;
    q->heap = malloc(nn * sizeof *q->heap);
    q->pos = malloc(nn * sizeof *q->pos);
    if (!q->heap || !q->pos) {
        fp_pq_free(q);
        return NULL;
    }
    for (size_t i = 0; i < nn; i++)
        q->pos[i] = -1;
    return q;
}

void fp_pq_free(fp_pq *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->pos);
    free(q);
}

static inline int less(entry a, entry b)
{
    return a.k < b.k || (a.k == b.k && a.v < b.v);
}

static void up(fp_pq *q, int i, entry x)
{
    entry *h = q->heap;
    while (i > 0) {
        int p = (i - 1) >> 2;
        if (!less(x, h[p]))
            break;
        h[i] = h[p];
        q->pos[h[i].v] = i;
        i = p;
    }
    h[i] = x;
    q->pos[x.v] = i;
}

static void down(fp_pq *q, int i, entry x)
{
    entry *h = q->heap;
    int n = q->size;
    for (;;) {
        int c = 4 * i + 1;
        if (c >= n)
            break;
        int best = c, end = c + 4 < n ? c + 4 : n;
        for (int j = c + 1; j < end; j++)
            if (less(h[j], h[best]))
                best = j;
        if (!less(h[best], x))
            break;
        h[i] = h[best];
        q->pos[h[i].v] = i;
        i = best;
    }
    h[i] = x;
    q->pos[x.v] = i;
}

void fp_pq_push(fp_pq *q, int v, double k)
{
    int i = q->pos[v];
    if (i >= 0) {
        if (k < q->heap[i].k)
            up(q, i, (entry){k, v});
        return;
    }
    up(q, q->size++, (entry){k, v});
}

int fp_pq_pop(fp_pq *q)
{
    int v = q->heap[0].v;
    q->pos[v] = -1;
    if (--q->size > 0)
        down(q, 0, q->heap[q->size]);
    return v;
}

double fp_pq_min(const fp_pq *q)
{
    return q->heap[0].k;
}

int fp_pq_empty(const fp_pq *q)
{
    return q->size == 0;
}

void fp_pq_clear(fp_pq *q)
{
    for (int i = 0; i < q->size; i++)
        q->pos[q->heap[i].v] = -1;
    q->size = 0;
}
