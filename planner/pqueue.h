/* pqueue: indexed binary min-heap over items 0..n-1 with double keys, used
 * by the shortest-path searches of the Steiner solver. */
#ifndef FP_PQUEUE_H
#define FP_PQUEUE_H

typedef struct fp_pq fp_pq;

/* Creates an empty heap for items 0..n-1. RETURNS NULL on no memory. */
fp_pq *fp_pq_create(int n);
/* Frees; accepts NULL. */
void fp_pq_free(fp_pq *q);
/* Inserts item v with key k, or lowers its key if present with a larger
 * one (a larger k for a present item is ignored). */
void fp_pq_push(fp_pq *q, int v, double k);
/* Removes and RETURNS the item of least key (ties: smallest index first is
 * not guaranteed, but the order is deterministic). Heap must be non-empty. */
int fp_pq_pop(fp_pq *q);
/* RETURNS the least key (heap non-empty). */
double fp_pq_min(const fp_pq *q);
int fp_pq_empty(const fp_pq *q);
/* Empties the heap in O(size). */
void fp_pq_clear(fp_pq *q);

#endif
