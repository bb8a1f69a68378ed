/* reduce: Steiner reduction tests on a working copy of the graph, with the
 * map from every reduced edge back to the original edges it stands for.
 *
 * The working graph keeps the original node numbering; edges are added at
 * the end when degree-2 vertices are contracted. Every live edge carries
 * the list of original edges it represents ("ancestors"); edges proven to be
 * in some optimal tree are moved to the fixed list and their cost to
 * fixed_cost, so  opt(original) = fixed_cost + opt(reduced). */
#ifndef FP_REDUCE_H
#define FP_REDUCE_H

#include "error.h"
#include "sgraph.h"

typedef struct fp_rgraph {
    int n;                 /* nodes (original numbering) */
    int m, cap;            /* edges used / allocated */
    int *tail, *head;      /* [cap] */
    double *cost;          /* [cap] */
    unsigned char *ealive; /* [cap] */
    int **anc;             /* [cap] owned lists of original edge ids */
    int *nanc;             /* [cap] */
    int *canc;             /* [cap] allocated sizes */
    unsigned char *term;   /* [n] */
    unsigned char *nalive; /* [n] */
    int **adj;             /* [n] live incident edges of each node */
    int *deg, *cadj;       /* [n] */
    int n_terms;           /* live terminals */
    int *fixed;            /* original edges in the solution for sure */
    int n_fixed, cap_fixed;
    double fixed_cost;
    int last_term;         /* a live terminal (valid once n_terms >= 1) */
    int n_pseudo;          /* nodes replaced by edges between their
                              neighbours (the map back may then need to
                              break cycles) */
    const fp_sgraph *orig; /* the original graph (not owned; must outlive) */
    unsigned char *sdclean;/* [n] nodes whose special-distance search need
                              not be redone (bits, reduce.c) */
} fp_rgraph;

/* A compact simple graph (nodes 0..n-1) for the heuristics and the ILP,
 * with CSR adjacency; edge e maps to working edge redge[e]. */
typedef struct fp_cgraph {
    int n, m;
    int *tail, *head;   /* [m] */
    double *cost;       /* [m] */
    unsigned char *term;/* [n] */
    int n_terms;
    int *adj_start;     /* [n+1] */
    int *adj_edge;      /* [2m] incident edge ids */
    int *redge;         /* [m] working-graph edge */
    int *rnode;         /* [n] working-graph node */
} fp_cgraph;

/* Builds the working graph of an SPG: one live edge per original edge
 * (self-loops dropped), terminals as in g. RETURNS NULL on no memory. */
fp_rgraph *fp_rgraph_create(const fp_sgraph *g);
void fp_rgraph_free(fp_rgraph *r);

/* Removes everything not in the connected component of the terminals.
 * RETURNS 0, or FP_EINFEASIBLE if the terminals are not connected. */
int fp_reduce_components(fp_rgraph *r, fp_error *err);

/* Degree tests and parallel-edge merging to a fixpoint: non-terminals of
 * degree 1 removed, of degree 2 contracted; a terminal of degree 1 fixes
 * its edge; a terminal whose cheapest edge leads to another terminal gets
 * that edge fixed (nearest-vertex test for terminals). RETURNS 0 or
 * FP_ENOMEM. *changed counts the eliminations. */
int fp_reduce_degree(fp_rgraph *r, int *changed, fp_error *err);

/* Special-distance and terminal tests, on the current graph:
 * - special distance: an edge no shorter than a bottleneck Steiner
 *   distance between its ends (the longest stretch between terminals of
 *   another path) is deleted; one bounded search from each node tests all
 *   its edges, in passes settling up to effort/3, effort and 8*effort
 *   nodes a search; a node whose search ended before its limit, or found
 *   nothing, is skipped until an edge or terminal appears next to it;
 * - nearest vertex and short links (after the first pass): edges proven
 *   in some optimal tree are contracted into terminals (fixed);
 * - bottleneck degree 3 and 4 (at the end): a non-terminal that has
 *   degree <= 2 in some optimal tree is replaced by edges between its
 *   neighbours.
 * Sorts the adjacency lists by cost. RETURNS the number of eliminations,
 * or -1 on no memory. */
int fp_reduce_sd(fp_rgraph *r, int effort);

/* Deletes a live edge. */
void fp_rgraph_delete_edge(fp_rgraph *r, int e);
/* Deletes a live non-terminal node with all its edges. */
void fp_rgraph_delete_node(fp_rgraph *r, int v);

/* Compacts the live part into a new cgraph (caller frees).
 * RETURNS NULL on no memory. */
fp_cgraph *fp_cgraph_from_rgraph(const fp_rgraph *r);
void fp_cgraph_free(fp_cgraph *c);

/* Marks in out[g->n_edges] the original edges of a solution given as the
 * chosen compact edges (in[c->m], 1 = chosen), plus the fixed edges. */
void fp_reduce_map_back(const fp_rgraph *r, const fp_cgraph *c,
                        const unsigned char *in, unsigned char *out);

#endif
