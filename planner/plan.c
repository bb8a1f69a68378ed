/* plan: orient the solution tree, count fibres, size cables, bill the
 * materials and attribute costs to buildings and blocks. */
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int default_sizes[] = {12, 24, 48, 72, 144, 288, 576, 720};

void fp_plan_opts_default(fp_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_sizes = (int)(sizeof default_sizes / sizeof default_sizes[0]);
    for (int i = 0; i < o->n_sizes; i++)
        o->sizes[i] = default_sizes[i];
}

int fp_plan_parse_sizes(const char *text, fp_plan_opts *o, fp_error *err)
{
    fp_plan_opts t = *o;
    t.n_sizes = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *end;
        long s = strtol(p, &end, 10);
        if (end == p || s <= 0 || s > 100000)
            return fp_error_set(err, FP_ESCENARIO, "cable sizes '%s': bad size at '%s'", text, p);
        double price = 0;
        p = end;
        if (*p == ':') {
            price = strtod(p + 1, &end);
            if (end == p + 1 || !isfinite(price) || price < 0)
                return fp_error_set(err, FP_ESCENARIO, "cable sizes '%s': bad price at '%s'", text, p);
            p = end;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != ',')
            return fp_error_set(err, FP_ESCENARIO, "cable sizes '%s': expected ',' at '%s'", text, p);
        if (*p == ',')
            p++;
        if (t.n_sizes == FP_PLAN_MAX_SIZES)
            return fp_error_set(err, FP_ELIMIT, "cable sizes '%s': at most %d sizes", text,
                                FP_PLAN_MAX_SIZES);
        if (t.n_sizes && s <= t.sizes[t.n_sizes - 1])
            return fp_error_set(err, FP_ESCENARIO, "cable sizes '%s': sizes must be ascending", text);
        t.sizes[t.n_sizes] = (int)s;
        t.size_price[t.n_sizes] = price;
        t.n_sizes++;
    }
    if (t.n_sizes == 0)
        return fp_error_set(err, FP_ESCENARIO, "cable sizes: empty list");
    *o = t;
    return FP_OK;
}

const char *fp_bstatus_name(fp_bstatus s)
{
    switch (s) {
    case FP_BST_CONNECTED: return "connected";
    case FP_BST_PASSED: return "passed";
    case FP_BST_NOT_CONNECTED: return "not_connected";
    case FP_BST_UNREACHABLE: return "unreachable";
    case FP_BST_NO_DWELLING: return "no_dwelling";
    }
    return "?";
}

const char *fp_plan_edge_kind_name(fp_edge_kind k)
{
    switch (k) {
    case FP_EDGE_TRENCH: return "trench";
    case FP_EDGE_DUCT: return "duct_reuse";
    case FP_EDGE_AERIAL: return "aerial";
    case FP_EDGE_DROP: return "drop";
    case FP_EDGE_LINK: return "link";
    }
    return "link";
}

const char *fp_block_status_name(fp_block_status s)
{
    switch (s) {
    case FP_BLOCK_CONNECTED: return "connected";
    case FP_BLOCK_PARTLY: return "partly";
    case FP_BLOCK_NOT_CONNECTED: return "not_connected";
    }
    return "?";
}

int fp_plan_fibres(int dwellings, double spare_ratio)
{
    if (dwellings <= 0)
        return 0;
    double f = (double)dwellings * (1.0 + spare_ratio);
    /* 10 x 1.2 is 12.000000000000002 in binary: a relative tolerance keeps
     * it at 12 instead of 13. */
    return (int)ceil(f - 1e-9 * f);
}

static int size_index(const fp_plan_opts *o, int size)
{
    for (int i = 0; i < o->n_sizes; i++)
        if (o->sizes[i] == size)
            return i;
    return -1;
}

static int smallest_fitting(const fp_plan_opts *o, int f)
{
    for (int i = 0; i < o->n_sizes; i++)
        if (o->sizes[i] >= f)
            return o->sizes[i];
    return o->sizes[o->n_sizes - 1];
}

void fp_plan_cable(const fp_plan_opts *o, int f, int *size, int *count, int *rem)
{
    *size = *count = *rem = 0;
    if (f <= 0 || o->n_sizes <= 0)
        return;
    int max = o->sizes[o->n_sizes - 1];
    if (f <= max) {
        *size = smallest_fitting(o, f);
        *count = 1;
        return;
    }
    *size = max;
    *count = f / max;
    if (f % max)
        *rem = smallest_fitting(o, f % max);
}

static double size_price(const fp_plan_opts *o, const fp_costs *c, int size)
{
    int i = size_index(o, size);
    if (i >= 0 && o->size_price[i] > 0)
        return o->size_price[i];
    return c->cable_per_fibre_m * size;
}

void fp_plan_free(fp_plan *plan)
{
    if (!plan)
        return;
    free(plan->edges);
    free(plan->parent_edge);
    free(plan->node_site);
    free(plan->sites);
    free(plan->buildings);
    free(plan->blocks);
    free(plan);
}

/* The BOM line of a street class. The last slot pools every class beyond
 * the first FP_BOM_CLASSES - 1 under its own name, so that no class's metres
 * are written under another class's name. */
static int class_index(fp_bom *b, const char *cls)
{
    int named = b->n_classes < FP_BOM_CLASSES ? b->n_classes : FP_BOM_CLASSES - 1;
    for (int i = 0; i < named; i++)
        if (strcmp(b->trench_class[i], cls) == 0)
            return i;
    if (b->n_classes < FP_BOM_CLASSES - 1) {
        snprintf(b->trench_class[b->n_classes], FP_CLASS_MAX, "%s", cls);
        return b->n_classes++;
    }
    if (b->n_classes == FP_BOM_CLASSES - 1) {
        snprintf(b->trench_class[b->n_classes], FP_CLASS_MAX, "%s", FP_BOM_OTHER_CLASSES);
        b->n_classes++;
    }
    return FP_BOM_CLASSES - 1;
}

static int cmp_class(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Sorts the trench classes by name, keeping metres and costs aligned. */
static void sort_classes(fp_bom *b)
{
    /* the pooled "other classes" line, if any, stays last */
    int n = b->n_classes < FP_BOM_CLASSES ? b->n_classes : FP_BOM_CLASSES - 1;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && cmp_class(b->trench_class[j - 1], b->trench_class[j]) > 0; j--) {
            char t[FP_CLASS_MAX];
            memcpy(t, b->trench_class[j], FP_CLASS_MAX);
            memcpy(b->trench_class[j], b->trench_class[j - 1], FP_CLASS_MAX);
            memcpy(b->trench_class[j - 1], t, FP_CLASS_MAX);
            double m = b->trench_class_m[j];
            b->trench_class_m[j] = b->trench_class_m[j - 1];
            b->trench_class_m[j - 1] = m;
            double c = b->trench_class_cost[j];
            b->trench_class_cost[j] = b->trench_class_cost[j - 1];
            b->trench_class_cost[j - 1] = c;
        }
}

fp_plan *fp_plan_build(const fp_network *net, const unsigned char *in_tree,
                       const fp_plan_opts *opts, const fp_log *log, fp_error *err)
{
    fp_plan *pl = NULL;
    int *adj_off = NULL, *adj = NULL, *queue = NULL, *dwn = NULL, *drop_of = NULL;
    unsigned char *used = NULL, *seen = NULL;
    double *rate = NULL;
    const fp_dataset *ds = net->ds;
    size_t nn = net->n_nodes, ne = net->n_edges, nb = ds ? ds->n_buildings : 0;
    const fp_costs *c = &net->costs;

    const int *sites = NULL;
    size_t n_sites = fp_network_site_nodes(net, &sites);
    if (n_sites == 0) {
        fp_error_set(err, FP_EINPUT, "plan: the network has no central office node");
        goto fail;
    }
    for (size_t i = 0; i < n_sites; i++)
        if (sites[i] < 0 || (size_t)sites[i] >= nn) {
            fp_error_set(err, FP_EINPUT, "plan: site %zu has a bad node", i);
            goto fail;
        }
    if (opts->n_sizes <= 0) {
        fp_error_set(err, FP_EINPUT, "plan: empty cable catalogue");
        goto fail;
    }
    pl = calloc(1, sizeof *pl);
    adj_off = calloc(nn + 1, sizeof *adj_off);
    queue = malloc((nn + 1) * sizeof *queue);
    dwn = calloc(nn, sizeof *dwn);
    drop_of = malloc((nn + 1) * sizeof *drop_of);
    used = calloc(ne + 1, 1);
    seen = calloc(nn, 1);
    rate = calloc(nn, sizeof *rate);
    if (!pl || !adj_off || !queue || !dwn || !drop_of || !used || !seen || !rate)
        goto nomem;
    pl->net = net;
    pl->opts = *opts;
    pl->parent_edge = malloc(nn * sizeof *pl->parent_edge);
    pl->node_site = malloc(nn * sizeof *pl->node_site);
    pl->buildings = calloc(nb ? nb : 1, sizeof *pl->buildings);
    pl->blocks = calloc(net->n_blocks ? net->n_blocks : 1, sizeof *pl->blocks);
    pl->sites = calloc(n_sites, sizeof *pl->sites);
    if (!pl->parent_edge || !pl->node_site || !pl->buildings || !pl->blocks || !pl->sites)
        goto nomem;
    pl->n_sites = n_sites;
    for (size_t i = 0; i < nn; i++) {
        pl->parent_edge[i] = -1;
        pl->node_site[i] = -1;
        drop_of[i] = -1;
    }

    /* Adjacency of the selected edges (CSR). */
    size_t m = 0;
    for (size_t e = 0; e < ne; e++) {
        if (!in_tree[e])
            continue;
        const fp_net_edge *E = &net->edges[e];
        if (E->u < 0 || E->v < 0 || (size_t)E->u >= nn || (size_t)E->v >= nn) {
            fp_error_set(err, FP_EINPUT, "plan: edge %zu has a bad node", e);
            goto fail;
        }
        if (E->u == E->v) {
            fp_error_set(err, FP_EINPUT, "plan: the selection is not a tree (edge %zu is a loop)", e);
            goto fail;
        }
        adj_off[E->u + 1]++;
        adj_off[E->v + 1]++;
        m++;
    }
    for (size_t i = 0; i < nn; i++)
        adj_off[i + 1] += adj_off[i];
    adj = malloc((2 * m + 1) * sizeof *adj);
    pl->edges = calloc(m ? m : 1, sizeof *pl->edges);
    if (!adj || !pl->edges)
        goto nomem;
    {
        int *fill = malloc((nn + 1) * sizeof *fill);
        if (!fill)
            goto nomem;
        memcpy(fill, adj_off, nn * sizeof *fill);
        for (size_t e = 0; e < ne; e++)
            if (in_tree[e]) {
                adj[fill[net->edges[e].u]++] = (int)e;
                adj[fill[net->edges[e].v]++] = (int)e;
            }
        free(fill);
    }

    /* BFS from each site in turn: every selected edge must be met exactly
     * once, from a seen node to an unseen one. Edges are visited in index
     * order, so the orientation and the edge order are deterministic. */
    size_t qh = 0, qt = 0;
    for (size_t si = 0; si < n_sites; si++) {
        pl->sites[si].node = sites[si];
        if (seen[sites[si]])
            continue; /* on an earlier site's tree */
        queue[qt++] = sites[si];
        seen[sites[si]] = 1;
        pl->node_site[sites[si]] = (int)si;
        while (qh < qt) {
            int x = queue[qh++];
            for (int k = adj_off[x]; k < adj_off[x + 1]; k++) {
                int e = adj[k];
                if (used[e])
                    continue;
                used[e] = 1;
                const fp_net_edge *E = &net->edges[e];
                int y = E->u == x ? E->v : E->u;
                if (seen[y]) {
                    fp_error_set(err, FP_EINPUT,
                                 "plan: the selection is not a tree: edge %d closes a cycle", e);
                    goto fail;
                }
                seen[y] = 1;
                queue[qt++] = y;
                pl->node_site[y] = (int)si;
                fp_plan_edge *pe = &pl->edges[pl->n_edges];
                pe->edge = e;
                pe->from = x;
                pe->to = y;
                pe->site = (int)si;
                pe->length = E->length;
                pe->civil = E->cost;
                pl->parent_edge[y] = (int)pl->n_edges;
                pl->n_edges++;
            }
        }
    }
    if (pl->n_edges != m) {
        for (size_t e = 0; e < ne; e++)
            if (in_tree[e] && !used[e]) {
                fp_error_set(err, FP_EINPUT,
                             "plan: the selection is not a tree containing the root: "
                             "edge %zu is not connected to %s",
                             e, n_sites > 1 ? "any site" : "the central office");
                goto fail;
            }
    }

    /* Dwellings downstream, leaves first (reverse BFS order). */
    for (size_t i = 0; i < nn; i++) {
        const fp_net_node *N = &net->nodes[i];
        if (seen[i] && N->kind == FP_NODE_BUILDING && N->building >= 0 && (size_t)N->building < nb)
            dwn[i] = ds->buildings[N->building].dwellings;
    }
    for (size_t k = pl->n_edges; k-- > 0;)
        dwn[pl->edges[k].from] += dwn[pl->edges[k].to];

    /* Fibres, cables, BOM and costs per edge. */
    fp_bom *bom = &pl->bom;
    fp_cost_breakdown *cb = &pl->cost;
    bom->n_sizes = opts->n_sizes;
    memcpy(bom->sizes, opts->sizes, sizeof bom->sizes);
    int dangling = 0;
    for (size_t k = 0; k < pl->n_edges; k++) {
        fp_plan_edge *pe = &pl->edges[k];
        const fp_net_edge *E = &net->edges[pe->edge];
        pe->dwellings = dwn[pe->to];
        pe->fibres = fp_plan_fibres(pe->dwellings, c->spare_ratio);
        fp_plan_cable(opts, pe->fibres, &pe->cable_size, &pe->n_cables, &pe->rem_size);
        pl->network_cost += pe->civil;
        fp_plan_site *ps = &pl->sites[pe->site];
        ps->used = 1;
        ps->edges++;
        ps->civil += pe->civil;
        if (pe->from == ps->node)
            ps->fibres += pe->fibres;
        if (pe->dwellings == 0)
            dangling++;
        if (E->kind == FP_EDGE_DROP) {
            double cp = c->building_fixed < pe->civil ? c->building_fixed : pe->civil;
            if (cp < 0)
                cp = 0;
            bom->drops++;
            bom->drop_m += pe->length;
            cb->drops += pe->civil - cp;
            cb->connection_points += cp;
            int bnode = net->nodes[pe->to].kind == FP_NODE_BUILDING ? pe->to : pe->from;
            drop_of[bnode] = (int)k;
            continue; /* the drop cost covers the drop cable */
        }
        if (pe->n_cables > 0) {
            double cost = size_price(opts, c, pe->cable_size) * pe->n_cables * pe->length;
            int si = size_index(opts, pe->cable_size);
            bom->cable_m[si] += pe->n_cables * pe->length;
            bom->fibre_m += (double)pe->cable_size * pe->n_cables * pe->length;
            if (pe->rem_size) {
                cost += size_price(opts, c, pe->rem_size) * pe->length;
                bom->cable_m[size_index(opts, pe->rem_size)] += pe->length;
                bom->fibre_m += (double)pe->rem_size * pe->length;
            }
            pe->cable_cost = cost;
            cb->cable += cost;
            ps->cable += cost;
        }
        switch (E->kind) {
        case FP_EDGE_TRENCH: {
            int ci = class_index(bom, E->cls[0] ? E->cls : "(none)");
            bom->trench_class_m[ci] += pe->length;
            bom->trench_class_cost[ci] += pe->civil;
            bom->trench_m += pe->length;
            ps->trench_m += pe->length;
            cb->trench += pe->civil;
            break;
        }
        case FP_EDGE_DUCT:
            bom->duct_m += pe->length;
            cb->duct_reuse += pe->civil;
            break;
        case FP_EDGE_AERIAL:
            bom->aerial_m += pe->length;
            cb->aerial += pe->civil;
            break;
        default: /* FP_EDGE_LINK */
            bom->link_m += pe->length;
            cb->link += pe->civil;
            break;
        }
    }
    for (int i = 0; i < bom->n_sizes; i++)
        bom->cable_total_m += bom->cable_m[i];
    sort_classes(bom);
    if (dangling)
        fp_log_msg(log, FP_LOG_WARN,
                   "plan: %d tree edge(s) lead to no connected building (paid for, carry no fibre)",
                   dangling);

    /* Cost shares: per dwelling along each root path. */
    for (size_t k = 0; k < pl->n_edges; k++) {
        fp_plan_edge *pe = &pl->edges[k];
        double add = pe->dwellings > 0 ? (pe->civil + pe->cable_cost) / pe->dwellings : 0;
        rate[pe->to] = rate[pe->from] + add;
    }

    /* Drop edges of every building node (also those left out), for the
     * passed / not connected distinction and the connection point. */
    int *bdrop = malloc((nn + 1) * sizeof *bdrop);
    if (!bdrop)
        goto nomem;
    for (size_t i = 0; i < nn; i++)
        bdrop[i] = -1;
    for (size_t e = 0; e < ne; e++) {
        const fp_net_edge *E = &net->edges[e];
        if (E->kind != FP_EDGE_DROP)
            continue;
        if (net->nodes[E->u].kind == FP_NODE_BUILDING && bdrop[E->u] < 0)
            bdrop[E->u] = (int)e;
        else if (net->nodes[E->v].kind == FP_NODE_BUILDING && bdrop[E->v] < 0)
            bdrop[E->v] = (int)e;
    }

    unsigned char *unreach = calloc(nb ? nb : 1, 1);
    if (!unreach) {
        free(bdrop);
        goto nomem;
    }
    for (size_t i = 0; i < net->n_unreachable; i++)
        if (net->unreachable[i].building < nb)
            unreach[net->unreachable[i].building] = 1;

    for (size_t b = 0; b < nb; b++) {
        fp_plan_building *pb = &pl->buildings[b];
        const fp_building *B = &ds->buildings[b];
        int node = net->building_node ? net->building_node[b] : -1;
        pb->node = node;
        pb->site = -1;
        pb->drop_edge = node >= 0 ? bdrop[node] : -1;
        pb->attach_node = -1;
        if (pb->drop_edge >= 0) {
            const fp_net_edge *E = &net->edges[pb->drop_edge];
            pb->attach_node = E->u == node ? E->v : E->u;
            pb->drop_m = E->length;
        }
        if (B->dwellings <= 0 && node < 0) {
            pb->status = FP_BST_NO_DWELLING;
            continue;
        }
        pl->buildings_target++;
        pl->dwellings_target += B->dwellings;
        if (node >= 0 && seen[node] && net->nodes[node].kind != FP_NODE_ROOT &&
            pl->node_site[node] >= 0) {
            pb->status = FP_BST_CONNECTED;
            pb->site = pl->node_site[node];
            pl->sites[pb->site].buildings_connected++;
            pl->sites[pb->site].dwellings_connected += B->dwellings;
            pb->fibres = fp_plan_fibres(B->dwellings, c->spare_ratio);
            pl->buildings_connected++;
            pl->dwellings_connected += B->dwellings;
            pl->dwellings_passed += B->dwellings;
            bom->connection_points++;
            pb->cost = rate[node] * B->dwellings;
            if (opts->smart) {
                int kits = B->dwellings - B->smart_optout;
                if (kits < 0)
                    kits = 0;
                pb->smart_kits = kits;
                bom->smart_kits += kits;
                /* The surcharge is a share of the building's network cost
                 * (its drop, connection point and share upstream). */
                double sc = kits * c->smart_kit + (kits > 0 ? c->smart_surcharge * pb->cost : 0);
                cb->smart += sc;
                pb->smart_cost = sc;
            }
        } else if (unreach[b] || node < 0) {
            pb->status = FP_BST_UNREACHABLE;
        } else if (pb->attach_node >= 0 && seen[pb->attach_node]) {
            pb->status = FP_BST_PASSED;
            pl->dwellings_passed += B->dwellings;
        } else {
            pb->status = FP_BST_NOT_CONNECTED;
        }
    }
    free(unreach);
    free(bdrop);

    /* Blocks. */
    for (size_t b = 0; b < nb && net->building_block; b++) {
        long k = net->building_block[b];
        if (k < 0 || (size_t)k >= net->n_blocks)
            continue;
        const fp_plan_building *pb = &pl->buildings[b];
        if (pb->status == FP_BST_NO_DWELLING)
            continue;
        fp_plan_block *bk = &pl->blocks[k];
        bk->buildings++;
        bk->dwellings += ds->buildings[b].dwellings;
        if (pb->status == FP_BST_CONNECTED) {
            bk->buildings_connected++;
            bk->dwellings_connected += ds->buildings[b].dwellings;
            bk->cost += pb->cost;
        }
    }
    for (size_t k = 0; k < net->n_blocks; k++) {
        fp_plan_block *bk = &pl->blocks[k];
        if (bk->buildings > 0 && bk->buildings_connected == bk->buildings)
            bk->status = FP_BLOCK_CONNECTED;
        else if (bk->buildings_connected > 0)
            bk->status = FP_BLOCK_PARTLY;
        else
            bk->status = FP_BLOCK_NOT_CONNECTED;
    }

    cb->total = cb->trench + cb->duct_reuse + cb->aerial + cb->link + cb->drops +
                cb->connection_points + cb->cable + cb->smart;
    /* undefined, not 0, when there is no dwelling to divide by */
    cb->per_dwelling_passed = pl->dwellings_passed ? cb->total / pl->dwellings_passed : NAN;
    cb->per_dwelling_connected =
        pl->dwellings_connected ? cb->total / pl->dwellings_connected : NAN;
    goto out;

nomem:
    fp_error_set(err, FP_ENOMEM, "plan: out of memory");
fail:
    fp_plan_free(pl);
    pl = NULL;
out:
    free(adj_off);
    free(adj);
    free(queue);
    free(dwn);
    free(drop_of);
    free(used);
    free(seen);
    free(rate);
    return pl;
}
