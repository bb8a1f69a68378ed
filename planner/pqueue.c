/* pqueue: indexed binary min-heap. */
#include "pqueue.h"

#include <stdlib.h>

struct fp_pq {
    int size;
    int *heap;   /* [n] items */
    int *pos;    /* [n] index in heap or -1 */
    double *key; /* [n] */
};

fp_pq *fp_pq_create(int n)
{
    fp_pq *q = calloc(1, sizeof *q);
    size_t nn = n > 0 ? (size_t)n : 1;
    if (!q)
        return NULL;
    q->heap = malloc(nn * sizeof *q->heap);
    q->pos = malloc(nn * sizeof *q->pos);
    q->key = malloc(nn * sizeof *q->key);
    if (!q->heap || !q->pos || !q->key) {
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
    free(q->key);
    free(q);
}

static int less(const fp_pq *q, int a, int b)
{
    return q->key[a] < q->key[b] || (q->key[a] == q->key[b] && a < b);
}

static void up(fp_pq *q, int i)
{
    int v = q->heap[i];
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!less(q, v, q->heap[p]))
            break;
        q->heap[i] = q->heap[p];
        q->pos[q->heap[i]] = i;
        i = p;
    }
    q->heap[i] = v;
    q->pos[v] = i;
}

static void down(fp_pq *q, int i)
{
    int v = q->heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= q->size)
            break;
        if (c + 1 < q->size && less(q, q->heap[c + 1], q->heap[c]))
            c++;
        if (!less(q, q->heap[c], v))
            break;
        q->heap[i] = q->heap[c];
        q->pos[q->heap[i]] = i;
        i = c;
    }
    q->heap[i] = v;
    q->pos[v] = i;
}

void fp_pq_push(fp_pq *q, int v, double k)
{
    if (q->pos[v] >= 0) {
        if (k < q->key[v]) {
            q->key[v] = k;
            up(q, q->pos[v]);
        }
        return;
    }
    q->key[v] = k;
    q->heap[q->size] = v;
    q->pos[v] = q->size++;
    up(q, q->size - 1);
}

int fp_pq_pop(fp_pq *q)
{
    int v = q->heap[0];
    q->pos[v] = -1;
    if (--q->size > 0) {
        q->heap[0] = q->heap[q->size];
        q->pos[q->heap[0]] = 0;
        down(q, 0);
    }
    return v;
}

double fp_pq_min(const fp_pq *q)
{
    return q->key[q->heap[0]];
}

int fp_pq_empty(const fp_pq *q)
{
    return q->size == 0;
}

void fp_pq_clear(fp_pq *q)
{
    for (int i = 0; i < q->size; i++)
        q->pos[q->heap[i]] = -1;
    q->size = 0;
}
