/* sgraph: a Steiner tree instance, the one input of the optimiser.
 *
 * Plain struct handed forward: the stp reader and the network builder fill
 * it, reduce/heur/ilp read it. Nodes are 0..n_nodes-1, edges 0..n_edges-1,
 * undirected, with a non-negative finite cost. The solver never sees GDAL,
 * PROJ or file names; `ext_id` maps nodes back to whoever built the graph
 * (the 1-based vertex number of an .stp file, a network node id). */
#ifndef FP_SGRAPH_H
#define FP_SGRAPH_H

#include "error.h"

typedef enum {
    FP_PROB_SPG,    /* Steiner tree in graphs: span every terminal, min cost */
    FP_PROB_PCSTP,  /* prize-collecting, unrooted: edges + prizes left out */
    FP_PROB_RPCSTP  /* prize-collecting with a fixed root */
} fp_problem;

typedef struct fp_sgraph {
    fp_problem problem;
    int n_nodes;
    int n_edges;
    int cap_edges;       /* allocated size of tail/head/cost */
    int *tail;           /* [n_edges] owned */
    int *head;           /* [n_edges] owned */
    double *cost;        /* [n_edges] owned, >= 0 and finite */
    unsigned char *term; /* [n_nodes] owned, 1 if terminal */
    double *prize;       /* [n_nodes] owned, NULL unless prize-collecting */
    long long *ext_id;   /* [n_nodes] owned, caller's id of each node */
    int root;            /* a node that must be in the tree, or -1 */
    char name[128];      /* instance name, for reports */
} fp_sgraph;

/* Creates a graph with n_nodes nodes (ext_id[i] = i+1), no edges, no
 * terminals. Returns NULL on allocation failure. Caller frees. */
fp_sgraph *fp_sgraph_create(int n_nodes);

/* Frees g and everything it owns; accepts NULL. */
void fp_sgraph_free(fp_sgraph *g);

/* Appends edge (u,v) of cost c. Returns its index, or -1 with *err set on a
 * bad node, a negative/NaN/infinite cost, or allocation failure. */
int fp_sgraph_add_edge(fp_sgraph *g, int u, int v, double c, fp_error *err);

/* Allocates the prize array (zeros) if missing. Returns 0 or FP_ENOMEM. */
int fp_sgraph_enable_prizes(fp_sgraph *g, fp_error *err);

/* Number of terminals. */
int fp_sgraph_n_terminals(const fp_sgraph *g);

#endif
