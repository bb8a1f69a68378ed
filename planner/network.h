/* network: the fibre network model on the street graph.
 *
 * Built from a loaded fp_dataset and a cost model: streets noded at every
 * intersection, near endpoints snapped, existing ducts matched to edges,
 * every dwelling building given a terminal node and a drop edge to the
 * nearest street point, every site (central office / optical connection
 * point) linked to the street graph, blocks, components.
 * The struct below is the contract that plan, report and export code read:
 * fields may be added, never renamed or removed. Build with
 * fp_network_build (network.c), free with fp_network_free. */
#ifndef FP_NETWORK_H
#define FP_NETWORK_H

#include "dataset.h"
#include "error.h"
#include "log.h"
#include "sgraph.h"

#include <stddef.h>

typedef struct fp_scenario fp_scenario;

/* Cost model, euros. Defaults and their public sources: netcosts.c and the
 * scenario reference in the README ([costs] section). */
typedef struct fp_costs {
    double trench_default;         /* EUR/m, trench for a class not listed */
    int n_trench_classes;
    char trench_class[32][FP_CLASS_MAX];
    double trench_class_cost[32];  /* EUR/m per street class */
    double duct_reuse;             /* EUR/m, pulling cable in an existing duct */
    double aerial;                 /* EUR/m, on existing poles */
    double drop_fixed;             /* EUR per drop */
    double drop_per_m;             /* EUR/m of drop */
    double building_fixed;         /* EUR per connected building (PBO, entry box) */
    double cable_per_fibre_m;      /* EUR per fibre-metre of cable */
    double spare_ratio;            /* extra fibres as a share, e.g. 0.2 */
    double smart_kit;              /* EUR per smart dwelling kit */
    double smart_surcharge;        /* share of a building's network cost added for smart */
} fp_costs;

typedef enum {
    FP_NODE_JUNCTION, /* street intersection, end or drop attachment point */
    FP_NODE_BUILDING, /* terminal: a building with dwellings */
    FP_NODE_ROOT      /* a site: central office / optical connection point */
} fp_node_kind;

typedef enum {
    FP_EDGE_TRENCH,   /* new trench along a street */
    FP_EDGE_DUCT,     /* existing duct reused */
    FP_EDGE_AERIAL,   /* existing poles / aerial line */
    FP_EDGE_DROP,     /* building drop (includes the building's fixed costs) */
    FP_EDGE_LINK      /* a site's link to the street graph */
} fp_edge_kind;

typedef struct fp_net_node {
    double x, y;          /* working CRS */
    fp_node_kind kind;
    long building;        /* index in ds->buildings for FP_NODE_BUILDING, else -1 */
    int component;        /* connected component id */
} fp_net_node;

typedef struct fp_net_edge {
    int u, v;             /* node indices */
    fp_edge_kind kind;
    char cls[FP_CLASS_MAX]; /* street class, "" for drops */
    long street;          /* index in ds->streets it came from, or -1 */
    double length;        /* metres */
    double cost;          /* EUR: what the optimiser minimises for this edge */
    int n_pts;            /* polyline vertex count (>= 2) */
    double *xy;           /* [2*n_pts] x0,y0,x1,y1..., owned by the network */
} fp_net_edge;

typedef enum {
    FP_UNREACH_TOO_FAR,      /* nearest street farther than max drop length */
    FP_UNREACH_DISCONNECTED, /* on a street component that reaches no site */
    FP_UNREACH_NO_STREET     /* no street at all */
} fp_unreach_reason;

typedef struct fp_unreachable {
    size_t building;      /* index in ds->buildings */
    fp_unreach_reason reason;
    double distance;      /* metres to the nearest street (TOO_FAR), else 0 */
} fp_unreachable;

typedef struct fp_block {
    char id[FP_ID_MAX];   /* attribute value, or "B<n>" for polygonized faces */
    GEOSGeometry *geom;   /* polygon (may be NULL for attribute blocks), owned,
                             in ds->geos */
} fp_block;

/* What building the network found and did, for `fibreplan network` and the
 * report: counts of every repair and refusal (no input is dropped silently). */
typedef struct fp_network_stats {
    size_t streets_read;        /* ds->n_streets */
    size_t streets_used;        /* lines that went into the graph */
    size_t streets_excluded;    /* class listed in exclude_classes (ferries) */
    size_t streets_empty;       /* NULL, empty or non-line geometry */
    size_t streets_nonfinite;   /* a NaN/inf coordinate */
    size_t zero_len_segments;   /* repeated consecutive vertices removed */
    size_t zero_len_lines;      /* lines of zero length dropped */
    size_t duplicate_lines;     /* lines equal to an earlier one, merged */
    size_t overlap_pieces;      /* equal noded pieces left by the noder, merged */
    double overlap_m;           /* metres of overlapping / folded-back lines merged */
    size_t snapped_endpoints;   /* endpoints moved to a neighbour within tolerance */
    size_t snapped_to_lines;    /* dangling ends moved onto a nearby line (undershoots) */
    size_t infra_lines_matched; /* ducts/aerial lines lying along streets */
    size_t infra_lines_added;   /* ducts/aerial lines added as their own edges */
    size_t infra_poles_used;    /* poles in chains that made street edges aerial */
    size_t infra_poles_ignored; /* poles in no such chain */
    size_t n_junctions, n_terminals, n_drops;
    size_t attach_rerouted;     /* drops sent past a nearer island street to the
                                   network of a site (still within max_drop) */
    size_t n_components;        /* connected components of the whole graph */
    size_t unreach_too_far, unreach_disconnected, unreach_no_street;
    size_t buildings_no_dwellings; /* skipped: dwellings == 0 */
    size_t blocks_unassigned;   /* buildings in no street face (outside the graph's faces) */
    size_t sites_ignored;       /* always 0: every site is linked (kept for old readers) */
    size_t n_sites;             /* sites linked to the street graph (= ds->n_sites) */
    double street_m;            /* total length of street edges (not drops/link) */
    double duct_m, aerial_m;    /* street edges priced as duct reuse / aerial */
    double root_link_m;         /* length of the sites' links, summed */
} fp_network_stats;

typedef struct fp_network {
    const fp_dataset *ds; /* borrowed: must outlive the network */
    fp_costs costs;
    fp_net_node *nodes;   size_t n_nodes;
    fp_net_edge *edges;   size_t n_edges;
    int root;             /* node of the first site (ds->sites[0]), -1 without
                             sites; all sites are in site_node */
    int *building_node;   /* [ds->n_buildings]: terminal node, or -1 (no dwellings,
                             too far, no street). A FP_UNREACH_DISCONNECTED
                             building has a node, in a component no site is in */
    long *building_block; /* [ds->n_buildings]: index in blocks, or -1 */
    fp_block *blocks;     size_t n_blocks;
    fp_unreachable *unreachable; size_t n_unreachable;
    fp_network_stats stats;
    int *site_node;       /* [n_site_nodes] owned: FP_NODE_ROOT node of ds->sites[i].
                             A network built by hand may leave it NULL with only
                             root set: read sites through fp_network_site_nodes */
    size_t n_site_nodes;
} fp_network;

/* Fills *c with the documented defaults. */
void fp_costs_default(fp_costs *c);

/* Trench cost per metre of a street class: its trench.<class> entry (exact,
 * then ASCII case-insensitive; OSM "x_link" falls back to "x"), else
 * trench_default. cls may be NULL or "". */
double fp_costs_trench(const fp_costs *c, const char *cls);

/* Reads the [costs] section into *c (starting from defaults). Negative or
 * non-numeric values are FP_ESCENARIO errors naming file, line and key. */
int fp_costs_from_scenario(fp_scenario *sc, fp_costs *c, fp_error *err);

/* Network building options ([network] section). */
typedef struct fp_network_opts {
    double snap_tolerance;   /* m, endpoints closer than this are merged (0.5) */
    double max_drop;         /* m, farther buildings are unreachable (150) */
    int blocks_from_faces;   /* 1: polygonize street faces; 0: attribute blocks only */
    double infra_buffer;     /* m, a duct within this of a street edge follows it (3) */
    double infra_coverage;   /* share of an edge a duct must cover to be reused (0.8) */
    double max_link;         /* m, farthest the root may be from a street (1000) */
    double pole_span;        /* m, longest span between poles of one aerial chain (60);
                                0: poles are ignored */
    char exclude_classes[512]; /* comma-separated street classes left out (ferries) */
} fp_network_opts;

/* Fills *o with the documented defaults. */
void fp_network_opts_default(fp_network_opts *o);

/* Reads the [network] section into *o (starting from defaults). Out-of-range
 * or malformed values are FP_ESCENARIO errors naming file, line and key. */
int fp_network_opts_from_scenario(fp_scenario *sc, fp_network_opts *o, fp_error *err);

/* Builds the network from ds (borrowed: it must outlive the network, whose
 * blocks' geometries live in ds->geos). costs and opts may be NULL for the
 * defaults; log may be NULL. Repairs and unreachable buildings are counted
 * in net->stats and reported as warnings, never dropped silently. Returns
 * NULL with *err set: FP_EINPUT (a site with no street within max_link or
 * no street at all, a dwelling building without geometry), FP_ELIMIT,
 * FP_EGEOS, FP_ENOMEM. The caller frees with fp_network_free. */
fp_network *fp_network_build(const fp_dataset *ds, const fp_costs *costs,
                             const fp_network_opts *opts, const fp_log *log,
                             fp_error *err);

/* Frees the network and what it owns; accepts NULL. */
void fp_network_free(fp_network *net);

/* The sites' nodes: returns their count and points *nodes at them, in
 * ds->sites order (net->site_node, or &net->root for a network that only
 * sets root; 0 without a site). Borrowed from net. */
size_t fp_network_site_nodes(const fp_network *net, const int **nodes);

/* Index (in fp_network_site_nodes order) of the site whose node is v, or -1. */
int fp_network_site_index(const fp_network *net, int v);

/* Name of site i (ds->sites[i].id, else "site"); static or borrowed. */
const char *fp_network_site_name(const fp_network *net, size_t i);

/* The compact Steiner instance for the solver, over the components holding
 * a site only: degree-2 chains of junctions with nothing attached become
 * single edges (costs summed); a chain looping back to its start is left
 * out, and of parallel chains between two nodes only the cheapest is kept.
 * Terminals are building nodes reaching a site, plus g->root. With one site
 * g->root is the site's node. With several, g->root is one extra virtual
 * node (the last, ext_id -1) joined to every site node by an edge of cost 0
 * that stands for no network edge (empty map range); site nodes are then
 * Steiner nodes, so a tree spanning the terminals is a forest on the
 * network where each building hangs off the site that feeds it cheapest,
 * and a site with nothing to feed is left out.
 * For each sgraph edge e, the network edges it stands for, in order along
 * the chain, are (*map_edges)[(*map_off)[e] .. (*map_off)[e+1]-1]. ext_id
 * of each other sgraph node is its network node index. All outputs owned
 * by the caller. Returns 0, or FP_EINPUT (no root) / FP_ENOMEM. */
int fp_network_to_sgraph(const fp_network *net, fp_sgraph **g, int **map_off,
                         int **map_edges, fp_error *err);

#endif
