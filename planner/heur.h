/* heur: primal heuristics for the Steiner tree problem on a compact graph:
 * shortest-path heuristic (Takahashi-Matsuyama) from several roots, MST of
 * the chosen vertices with pruning; local search by Steiner-vertex
 * insertion, key-path exchange and key-vertex elimination
 * (Uchoa & Werneck 2010); recombination of good trees on their union. */
#ifndef FP_HEUR_H
#define FP_HEUR_H

#include "reduce.h"

typedef struct fp_heur fp_heur;

/* Workspace bound to g (g must outlive it). RETURNS NULL on no memory. */
fp_heur *fp_heur_create(const fp_cgraph *g);
void fp_heur_free(fp_heur *h);

/* Time limit of the local search (CLOCK_MONOTONIC seconds, as
 * fp_ilp_now; <= 0: none): past it, fp_heur_improve stops at once with the
 * tree it holds and fp_heur_run tries no further root once it has a tree.
 * Trees returned stay valid. */
void fp_heur_set_deadline(fp_heur *h, double deadline);

/* Shortest-path heuristic from `root` on weights w[g->m] (NULL: the true
 * costs), then MST-prune on the true costs. Writes the tree into
 * sol[g->m] (1 = edge used). RETURNS its true cost, or -1 if the terminals
 * cannot be connected. */
double fp_heur_sph(fp_heur *h, int root, const double *w, unsigned char *sol);

/* Local search on sol (a tree spanning the terminals; a connected subgraph
 * spanning them, cycles included, is first made a tree by MST-prune):
 * vertex insertion, key-path exchange, key-vertex elimination,
 * MST-prune, until no move improves or `effort` runs out
 * (<= 0: unlimited; else about effort * (n + 2m) steps of work, a move
 * costing up to one search over the graph). Unless the search was cut
 * short (effort or deadline), the tree is then recombined with the best
 * trees of earlier calls and fp_heur_run on this handle, which keeps it
 * in turn. RETURNS the new cost (never above the input tree's). */
double fp_heur_improve(fp_heur *h, unsigned char *sol, long effort);

/* A local-search effort for fp_heur_improve: want, capped on large graphs
 * where a move costs O(n + m) so that the search stays near linear.
 * RETURNS the effort (>= 1). */
long fp_heur_effort(const fp_cgraph *g, long want);

/* SPH from up to `starts` roots (terminals chosen deterministically from
 * seed; fewer on large graphs); the best few trees get local search, then
 * rounds of recombination (the best tree with others of a pool, solved on
 * their union and polished) and of SPH on seeded random perturbations of
 * the costs. The best tree goes to best[g->m]. RETURNS its cost, or -1 if
 * none. */
double fp_heur_run(fp_heur *h, int starts, unsigned seed, unsigned char *best);

/* RETURNS 1 if sol is a tree (acyclic, connected) containing every
 * terminal of g, else 0; its cost goes to *cost if not NULL. */
int fp_heur_check(const fp_cgraph *g, const unsigned char *sol, double *cost);

#endif
