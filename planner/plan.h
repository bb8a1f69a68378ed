/* plan: a solved network turned into something to build.
 *
 * From an fp_network and the set of its edges in the solution (a tree, or
 * with several sites a forest with one tree a site): each tree oriented from
 * its site (central office / optical connection point), the fibres every edge carries, the cable
 * laid on it, each connected building's drop and connection point, the bill
 * of materials, the cost breakdown, and the status of every block. A plain
 * struct handed to report, export and store.
 *
 * Costing rules (documented in the README, section "run"):
 *  - civil works are the network's edge costs, i.e. exactly what the
 *    optimiser minimised: trench (by street class), duct reuse, aerial, the
 *    central office link, and drops; a drop edge's cost is split into the
 *    connection point (fp_costs.building_fixed, one per connected building)
 *    and the drop proper (the rest);
 *  - fibres on an edge = ceil(dwellings downstream x (1 + spare_ratio));
 *  - the cable on an edge is the smallest catalogue size holding its fibres;
 *    above the largest size, as many cables of the largest size as needed
 *    plus one cable sized for the remainder;
 *  - cable cost = metres x (per-size price if the catalogue gives one, else
 *    cable_per_fibre_m x the cable's fibre count); drops are priced by the
 *    drop costs and carry no distribution cable;
 *  - smart (when on): one kit per dwelling not opted out, smart_kit each,
 *    plus smart_surcharge x the building's network cost share (below) for
 *    every building with at least one kit;
 *  - every building's share of the shared network: each edge's cost (civil
 *    + cable) is split among the connected buildings downstream in
 *    proportion to their dwellings; a block's cost is its buildings' sum.
 *    Smart costs are not in these shares (they would reveal opt-outs). */
#ifndef FP_PLAN_H
#define FP_PLAN_H

#include "error.h"
#include "log.h"
#include "network.h"

#include <stddef.h>

#define FP_PLAN_MAX_SIZES 16

typedef struct fp_plan_opts {
    int n_sizes;                       /* catalogue sizes, ascending */
    int sizes[FP_PLAN_MAX_SIZES];      /* fibres per cable */
    double size_price[FP_PLAN_MAX_SIZES]; /* EUR/m per size, 0 = per-fibre pricing */
    int smart;                         /* 1: smart dwellings kits are planned */
} fp_plan_opts;

/* Default catalogue 12, 24, 48, 72, 144, 288, 576, 720; per-fibre pricing;
 * smart off. */
void fp_plan_opts_default(fp_plan_opts *o);

/* Parses "12,24,48" (optionally "12:1.10,24:1.60" with EUR/m per size)
 * into o's catalogue. Sizes must be positive and strictly ascending. */
int fp_plan_parse_sizes(const char *text, fp_plan_opts *o, fp_error *err);

/* One tree edge, oriented from its site. */
typedef struct fp_plan_edge {
    int edge;           /* network edge index */
    int from, to;       /* network nodes, from nearer the site */
    int site;           /* index of the site feeding it (fp_network_site_nodes order) */
    int dwellings;      /* dwellings of connected buildings downstream */
    int fibres;         /* ceil(dwellings x (1 + spare)) */
    int cable_size;     /* size of the (largest) cable, 0 if no fibre */
    int n_cables;       /* cables of cable_size (> 1 above the catalogue) */
    int rem_size;       /* size of one more cable for the remainder, or 0 */
    double length;      /* m */
    double civil;       /* EUR: the network edge cost */
    double cable_cost;  /* EUR */
} fp_plan_edge;

typedef enum {
    FP_BST_CONNECTED,   /* on the tree */
    FP_BST_PASSED,      /* not connected, its street point is on the tree */
    FP_BST_NOT_CONNECTED, /* reachable but left out */
    FP_BST_UNREACHABLE, /* no way to reach it (see network unreachable) */
    FP_BST_NO_DWELLING  /* not a dwelling building: not a target */
} fp_bstatus;

/* Short names "connected", "passed", ... (static storage). */
const char *fp_bstatus_name(fp_bstatus s);

/* The name of a route's kind in the plan's outputs (CSV, exports, project
 * database): "trench", "duct_reuse", "aerial", "drop", "link" (static). */
const char *fp_plan_edge_kind_name(fp_edge_kind k);

typedef struct fp_plan_building {
    fp_bstatus status;
    int node;           /* terminal node or -1 */
    int drop_edge;      /* network edge of its drop, or -1 */
    int attach_node;    /* street-side node of the drop (connection point), or -1 */
    double drop_m;      /* drop length, m (0 if none) */
    int fibres;         /* fibres of the drop when connected */
    int smart_kits;     /* kits when connected and smart is on */
    double cost;        /* EUR: drop + connection point + share of the network */
    double smart_cost;  /* EUR: its smart kits and surcharge. Kept apart (and out
                           of exports and block sums) because it reveals the
                           number of households that opted out. */
    int site;           /* index of the site feeding it when connected, else -1 */
} fp_plan_building;

/* Per site (central office / optical connection point) totals: what its
 * tree holds and costs. Sums over the sites give the plan's totals (smart
 * costs excepted, which are per building). */
typedef struct fp_plan_site {
    int node;           /* its network node */
    int used;           /* 1 if its tree has at least one edge */
    int edges;          /* tree edges fed from it (drops and its link included) */
    int buildings_connected, dwellings_connected;
    int fibres;         /* fibres leaving the site (on its link) */
    double trench_m;    /* new trench metres */
    double civil;       /* EUR: network edge costs of its tree */
    double cable;       /* EUR: cable of its tree */
} fp_plan_site;

typedef enum { FP_BLOCK_CONNECTED, FP_BLOCK_PARTLY, FP_BLOCK_NOT_CONNECTED } fp_block_status;

const char *fp_block_status_name(fp_block_status s);

typedef struct fp_plan_block {
    fp_block_status status;
    int buildings, buildings_connected;   /* dwelling buildings only */
    int dwellings, dwellings_connected;
    double cost;        /* EUR, sum of its buildings' costs (smart excluded) */
} fp_plan_block;

/* Street classes listed one by one in the bill of materials; the last line
 * pools any further classes under FP_BOM_OTHER_CLASSES. */
#define FP_BOM_CLASSES 32
#define FP_BOM_OTHER_CLASSES "(other classes)"

/* Bill of materials. */
typedef struct fp_bom {
    int n_classes;
    char trench_class[FP_BOM_CLASSES][FP_CLASS_MAX]; /* street classes met, sorted by
                                                          name (the pool last) */
    double trench_class_m[FP_BOM_CLASSES];
    double trench_class_cost[FP_BOM_CLASSES];
    double trench_m, duct_m, aerial_m, link_m;
    int n_sizes;                           /* = catalogue size count */
    int sizes[FP_PLAN_MAX_SIZES];
    double cable_m[FP_PLAN_MAX_SIZES];     /* cable metres per size */
    double cable_total_m;
    double fibre_m;                        /* sum of cable size x metres */
    int drops;
    double drop_m;
    int connection_points;
    int smart_kits;
} fp_bom;

typedef struct fp_cost_breakdown {
    double trench, duct_reuse, aerial, link, drops, connection_points, cable, smart;
    double total;
    double per_dwelling_passed;     /* NaN if no dwelling passed */
    double per_dwelling_connected;  /* NaN if none connected */
} fp_cost_breakdown;

typedef struct fp_plan {
    const fp_network *net;          /* borrowed: must outlive the plan */
    fp_plan_opts opts;
    fp_plan_edge *edges;  size_t n_edges;   /* tree edges, in BFS order from the sites
                                               (site by site, in site order) */
    int *parent_edge;     /* [net->n_nodes]: index in edges of the edge reaching
                             the node, -1 for the sites and nodes off the tree */
    int *node_site;       /* [net->n_nodes]: index of the site whose tree holds
                             the node (the site itself included), -1 off the trees */
    fp_plan_site *sites;  size_t n_sites;   /* fp_network_site_nodes order */
    fp_plan_building *buildings;   /* [ds->n_buildings] */
    fp_plan_block *blocks;         /* [net->n_blocks] */
    fp_bom bom;
    fp_cost_breakdown cost;
    double network_cost;  /* sum of the tree's network edge costs (the optimiser's objective) */
    int buildings_target, buildings_connected;
    int dwellings_target, dwellings_connected, dwellings_passed;
} fp_plan;

/* Builds the plan from in_tree[net->n_edges] (1 = edge in the solution).
 * The selection must be a forest whose every tree holds a site (with one
 * site: a tree containing the root; an empty selection is the sites alone):
 * FP_EINPUT otherwise (a cycle, or edges connected to no site). Each tree
 * is walked from its site, in site order; a tree reaching a second site
 * (not made by the optimiser, whose sites never share a tree) feeds it from
 * the first. net is borrowed. Returns NULL with *err set. */
fp_plan *fp_plan_build(const fp_network *net, const unsigned char *in_tree,
                       const fp_plan_opts *opts, const fp_log *log, fp_error *err);

/* Frees the plan; accepts NULL. */
void fp_plan_free(fp_plan *plan);

/* Fibres needed for d dwellings: ceil(d x (1 + spare)), robust to the
 * rounding of products such as 10 x 1.2 = 12.000000000000002. */
int fp_plan_fibres(int dwellings, double spare_ratio);

/* Cables for f fibres from the catalogue: *size x *count plus one *rem
 * (0 if none). f <= 0 gives zeros. */
void fp_plan_cable(const fp_plan_opts *o, int f, int *size, int *count, int *rem);

#endif
