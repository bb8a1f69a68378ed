/* budget: coverage under a budget, quota cost, coverage curve. */
#include "budget.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcstp_int.h"

void fp_budget_params_default(fp_budget_params *p)
{
    memset(p, 0, sizeof *p);
    p->dwelling_weight = 1;
}

void fp_curve_opts_default(fp_curve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_points = 20;
    o->max_hull = 256;
    o->plan_budget = -1;
}

void fp_budget_result_free(fp_budget_result *res)
{
    if (!res)
        return;
    free(res->edge_in);
    free(res->node_in);
    res->edge_in = NULL;
    res->node_in = NULL;
}

/* The engine's problem for spec; the arrays stay the caller's. */
static int make_prob(const fp_sgraph *g, const fp_budget_spec *spec, fp_nwprob *p,
                     fp_error *err)
{
    memset(p, 0, sizeof *p);
    const double *w = spec->weight ? spec->weight : g->prize;
    if (!w)
        return fp_error_set(err, FP_EINPUT, "%s: no weights (and no prizes) given", g->name);
    if (!isfinite(spec->limit) || spec->limit < 0)
        return fp_error_set(err, FP_EINPUT, "%s: %s %g is not a finite number >= 0", g->name,
                            spec->mode == FP_BUDGET_COVER ? "budget" : "quota", spec->limit);
    for (int v = 0; v < g->n_nodes; v++) {
        if (!isfinite(w[v]) || w[v] < 0)
            return fp_error_set(err, FP_EINPUT, "%s: node %lld: weight %g is not finite and >= 0",
                                g->name, g->ext_id[v], w[v]);
        if (spec->node_cost && (!isfinite(spec->node_cost[v]) || spec->node_cost[v] < 0))
            return fp_error_set(err, FP_EINPUT,
                                "%s: node %lld: node cost %g is not finite and >= 0", g->name,
                                g->ext_id[v], spec->node_cost[v]);
        if (spec->group && spec->group[v] < -1)
            return fp_error_set(err, FP_EINPUT, "%s: node %lld: bad group %d", g->name,
                                g->ext_id[v], spec->group[v]);
    }
    if (g->root >= g->n_nodes)
        return fp_error_set(err, FP_EINPUT, "%s: root out of range", g->name);
    p->mode = spec->mode == FP_BUDGET_COVER ? FP_NW_BUDGET : FP_NW_QUOTA;
    p->n = g->n_nodes;
    p->m = g->n_edges;
    p->tail = g->tail;
    p->head = g->head;
    p->cost = g->cost;
    p->prize = w;
    p->ncost = spec->node_cost;
    p->group = spec->group;
    p->root = g->root;
    p->limit = spec->limit;
    return FP_OK;
}

static void figures(const fp_nwprob *p, const unsigned char *node_in,
                    const unsigned char *edge_in, double *weight, double *cost)
{
    double w = 0, c = 0;
    for (int v = 0; v < p->n; v++)
        if (node_in[v]) {
            w += p->prize[v];
            c += p->ncost ? p->ncost[v] : 0;
        }
    for (int e = 0; e < p->m; e++)
        if (edge_in[e])
            c += p->cost[e];
    *weight = w;
    *cost = c;
}

int fp_budget_check(const fp_sgraph *g, const fp_budget_spec *spec, const unsigned char *node_in,
                    const unsigned char *edge_in, double *weight, double *cost)
{
    fp_nwprob p;
    if (make_prob(g, spec, &p, NULL))
        return 0;
    if (!fp_nw_eval(&p, node_in, edge_in, NULL))
        return 0;
    double w, c;
    figures(&p, node_in, edge_in, &w, &c);
    if (weight)
        *weight = w;
    if (cost)
        *cost = c;
    return 1;
}

/* One solve, with an optional start (node_in/edge_in valid when *has) and
 * a bound hint in the engine's sense. Fills res (arrays allocated). */
static int solve_ws(const fp_nwprob *p, const fp_nwopts *o, fp_budget_result *res,
                    const unsigned char *start_n, const unsigned char *start_e, int *unproven,
                    fp_error *err)
{
    if (unproven)
        *unproven = 0;
    size_t nn = p->n > 0 ? (size_t)p->n : 1, mm = p->m > 0 ? (size_t)p->m : 1;
    res->node_in = calloc(nn, 1);
    res->edge_in = calloc(mm, 1);
    if (!res->node_in || !res->edge_in)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    fp_nwres r;
    memset(&r, 0, sizeof r);
    if (start_n) {
        memcpy(res->node_in, start_n, nn);
        memcpy(res->edge_in, start_e, mm);
        r.has_sol = 1;
    }
    int rc = fp_nw_solve(p, o, res->node_in, res->edge_in, &r, err);
    if (rc)
        return rc;
    res->bb_nodes = r.bb_nodes;
    res->n_nodes_reduced = r.red_n;
    res->n_edges_reduced = r.red_m;
    if (!r.has_sol) {
        /* no tree found; infeasibility proven only if r.infeasible */
        if (unproven)
            *unproven = !r.infeasible;
        res->status = FP_ST_INFEASIBLE;
        res->weight = 0;
        res->cost = res->bound = p->mode == FP_NW_QUOTA ? INFINITY : 0;
        res->gap = 0;
        memset(res->node_in, 0, nn);
        memset(res->edge_in, 0, mm);
        return FP_OK;
    }
    figures(p, res->node_in, res->edge_in, &res->weight, &res->cost);
    res->status = r.optimal ? FP_ST_OPTIMAL : FP_ST_FEASIBLE;
    if (p->mode == FP_NW_BUDGET) {
        res->bound = r.optimal ? res->weight : -r.bound;
        if (res->bound < res->weight)
            res->bound = res->weight;
        res->gap = res->bound > 0 ? (res->bound - res->weight) / res->bound : 0;
    } else {
        res->bound = r.optimal ? res->cost : r.bound;
        if (res->bound > res->cost)
            res->bound = res->cost;
        res->gap = res->cost > 0 ? (res->cost - res->bound) / res->cost : 0;
    }
    return FP_OK;
}

int fp_budget_solve(const fp_sgraph *g, const fp_budget_spec *spec, const fp_steiner_opts *opts,
                    const fp_log *log, fp_budget_result *res, fp_error *err)
{
    fp_steiner_opts def;
    if (!opts) {
        fp_steiner_opts_default(&def);
        opts = &def;
    }
    double t0 = fp_nw_now();
    memset(res, 0, sizeof *res);
    res->status = FP_ST_ERROR;
    fp_nwprob p;
    int rc = make_prob(g, spec, &p, err);
    if (!rc) {
        fp_nwopts o;
        fp_nw_opts_default(&o);
        o.deadline = opts->time_limit > 0 ? t0 + opts->time_limit : 0;
        o.gap_limit = opts->gap_limit;
        o.heuristic_only = opts->heuristic_only;
        o.log = log;
        int unproven = 0;
        rc = solve_ws(&p, &o, res, NULL, NULL, &unproven, err);
        if (!rc && unproven)
            /* not a proof that no tree exists: say what happened */
            rc = fp_error_set(err, FP_ELIMIT,
                              "%s: no tree meeting the %s of %g found within the time limit "
                              "(%g s); give the solver more time",
                              g->name, spec->mode == FP_BUDGET_QUOTA ? "quota" : "budget",
                              spec->limit, opts->time_limit);
    }
    res->seconds = fp_nw_now() - t0;
    if (rc) {
        fp_budget_result_free(res);
        res->status = FP_ST_ERROR;
    }
    return rc;
}

int fp_budget_spec_from_network(const fp_network *net, const fp_sgraph *g,
                                const fp_budget_params *bp, double **weight,
                                double **node_cost, int **group, fp_error *err)
{
    size_t n = g->n_nodes > 0 ? (size_t)g->n_nodes : 1;
    double *w = calloc(n, sizeof *w), *k = calloc(n, sizeof *k);
    int *gr = bp->blocks ? malloc(n * sizeof *gr) : NULL;
    double *drop = calloc(net->n_nodes > 0 ? net->n_nodes : 1, sizeof *drop);
    int rc = FP_OK;
    if (!w || !k || (bp->blocks && !gr) || !drop) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    /* drop edge cost at each building node */
    for (size_t e = 0; e < net->n_edges; e++) {
        const fp_net_edge *ed = &net->edges[e];
        if (ed->kind != FP_EDGE_DROP)
            continue;
        if (ed->u >= 0 && (size_t)ed->u < net->n_nodes &&
            net->nodes[ed->u].kind == FP_NODE_BUILDING)
            drop[ed->u] += ed->cost;
        if (ed->v >= 0 && (size_t)ed->v < net->n_nodes &&
            net->nodes[ed->v].kind == FP_NODE_BUILDING)
            drop[ed->v] += ed->cost;
    }
    for (int v = 0; v < g->n_nodes; v++) {
        long long id = g->ext_id[v];
        if (gr)
            gr[v] = -1;
        if (id == -1 && v == g->root)
            continue; /* the virtual root over several sites (network.h): no weight */
        if (id < 0 || (size_t)id >= net->n_nodes) {
            rc = fp_error_set(err, FP_EINPUT, "node %d: ext_id %lld is not a network node", v, id);
            goto out;
        }
        const fp_net_node *nd = &net->nodes[id];
        if (nd->kind != FP_NODE_BUILDING || nd->building < 0 || !net->ds ||
            (size_t)nd->building >= net->ds->n_buildings)
            continue;
        const fp_building *b = &net->ds->buildings[nd->building];
        double smart = b->dwellings - b->smart_optout;
        if (smart < 0)
            smart = 0;
        double pr = isfinite(b->priority) && b->priority >= 0 ? b->priority : 1;
        w[v] = pr * (bp->dwelling_weight * b->dwellings + bp->smart_weight * smart);
        if (bp->smart)
            k[v] = net->costs.smart_kit * smart + net->costs.smart_surcharge * drop[id];
        if (gr && net->building_block && net->building_block[nd->building] >= 0)
            gr[v] = (int)net->building_block[nd->building];
    }
out:
    free(drop);
    if (rc) {
        free(w);
        free(k);
        free(gr);
        w = k = NULL;
        gr = NULL;
    }
    *weight = w;
    *node_cost = k;
    *group = gr;
    return rc;
}

/* ---------------------------------------------------------------------
 * Coverage curve.
 * --------------------------------------------------------------------- */

typedef struct csol {
    unsigned char *n, *e;
    double cost, weight;
} csol;

typedef struct hline {
    double lambda, lb; /* every tree: cost - lambda x weight >= lb */
} hline;

typedef struct curve {
    const fp_nwprob *p;  /* BUDGET problem (limit changed per point) */
    fp_nwprob pc;        /* the parametric PC problem */
    double *lw;          /* [n] lambda x weight */
    csol *pool;
    size_t npool, cpool;
    hline *lines;
    size_t nlines, clines;
    double wmax;         /* weight of the full tree */
    double deadline;
    const fp_log *log;
    int hull_solves, max_hull;
    fp_steiner_result *full; /* out: the SPG full tree, or NULL */
    double gap;          /* per solve; hull lines use the proven bounds */
    const double *focus; /* only budgets asked for (no spread points): the */
    size_t nfocus;       /* hull is refined only around them, or NULL */
} curve;

static int pool_add(curve *cv, const unsigned char *n, const unsigned char *e, fp_error *err)
{
    if (cv->npool == cv->cpool) {
        size_t c = cv->cpool ? 2 * cv->cpool : 16;
        csol *x = realloc(cv->pool, c * sizeof *x);
        if (!x)
            return fp_error_set(err, FP_ENOMEM, "out of memory");
        cv->pool = x;
        cv->cpool = c;
    }
    size_t nn = cv->p->n > 0 ? (size_t)cv->p->n : 1, mm = cv->p->m > 0 ? (size_t)cv->p->m : 1;
    csol *s = &cv->pool[cv->npool];
    s->n = malloc(nn);
    s->e = malloc(mm);
    if (!s->n || !s->e) {
        free(s->n);
        free(s->e);
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    }
    memcpy(s->n, n, nn);
    memcpy(s->e, e, mm);
    figures(cv->p, n, e, &s->weight, &s->cost);
    cv->npool++;
    return FP_OK;
}

static int line_add(curve *cv, double lambda, double lb, fp_error *err)
{
    if (cv->nlines == cv->clines) {
        size_t c = cv->clines ? 2 * cv->clines : 16;
        hline *x = realloc(cv->lines, c * sizeof *x);
        if (!x)
            return fp_error_set(err, FP_ENOMEM, "out of memory");
        cv->lines = x;
        cv->clines = c;
    }
    cv->lines[cv->nlines].lambda = lambda;
    cv->lines[cv->nlines].lb = lb;
    cv->nlines++;
    return FP_OK;
}

/* Upper bound on the weight of any tree of cost <= B. */
static double hull_bound(const curve *cv, double B)
{
    double ub = cv->wmax;
    for (size_t i = 0; i < cv->nlines; i++) {
        double u = (B - cv->lines[i].lb) / cv->lines[i].lambda;
        if (u < ub)
            ub = u;
    }
    return ub;
}

/* Solves min cost - lambda x weight exactly (PC with prizes lambda x w).
 * On success *idx is the pool index of the tree and a hull line is added
 * from its bound. */
static int pc_solve(curve *cv, double lambda, int ha, int hb, int *idx, double *val,
                    fp_error *err)
{
    const fp_nwprob *p = cv->p;
    double W = 0;
    for (int v = 0; v < p->n; v++) {
        cv->lw[v] = lambda * p->prize[v];
        W += cv->lw[v];
    }
    fp_nwopts o;
    fp_nw_opts_default(&o);
    o.deadline = cv->deadline;
    o.gap_limit = cv->gap;
    o.log = cv->log;
    /* the neighbouring hull trees: one of them is often optimal, and a
     * tight start lets bound-based fixing remove most of the graph */
    if (ha >= 0)
        o.hint_n[o.n_hints++] = cv->pool[ha].n;
    if (hb >= 0)
        o.hint_n[o.n_hints++] = cv->pool[hb].n;
    size_t nn = p->n > 0 ? (size_t)p->n : 1, mm = p->m > 0 ? (size_t)p->m : 1;
    unsigned char *n = calloc(nn, 1), *e = calloc(mm, 1);
    int rc = FP_OK;
    if (!n || !e) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    fp_nwres r;
    memset(&r, 0, sizeof r);
    rc = fp_nw_solve(&cv->pc, &o, n, e, &r, err);
    cv->hull_solves++;
    if (rc)
        goto out;
    if (!r.has_sol) {
        rc = fp_error_set(err, FP_EINTERNAL, "parametric tree not found");
        goto out;
    }
    /* PC objective = cost + lambda x (W - weight) */
    if ((rc = line_add(cv, lambda, r.bound - W, err)) || (rc = pool_add(cv, n, e, err)))
        goto out;
    *idx = (int)cv->npool - 1;
    *val = r.obj - W;
out:
    free(n);
    free(e);
    return rc;
}

/* Finds the hull's breakpoints between pool points a and b (Eisner-
 * Severance), breadth first: segments wait in a queue, so a time limit
 * leaves a coarser hull over the whole range rather than a fine one over
 * its start. */
static int hull_between(curve *cv, int a0, int b0, fp_error *err)
{
    size_t cap = 64, qh = 0, qt = 0;
    int *q = malloc(2 * cap * sizeof *q), rc = FP_OK;
    if (!q)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    q[qt * 2] = a0;
    q[qt * 2 + 1] = b0;
    qt++;
    while (qh < qt) {
        int a = q[qh * 2], b = q[qh * 2 + 1];
        qh++;
        csol *A = &cv->pool[a], *B = &cv->pool[b];
        double dw = B->weight - A->weight, dc = B->cost - A->cost;
        if (dw <= 1e-9 * (1 + B->weight) || dc <= 0)
            continue;
        if (cv->focus) {
            /* budget questions: only the hull edge over each budget */
            int any = 0;
            for (size_t k = 0; k < cv->nfocus && !any; k++)
                any = cv->focus[k] >= A->cost && cv->focus[k] <= B->cost;
            if (!any)
                continue;
        }
        if (cv->hull_solves >= cv->max_hull || (cv->deadline > 0 && fp_nw_now() > cv->deadline))
            break;
        double lambda = dc / dw;
        int m;
        double val;
        if ((rc = pc_solve(cv, lambda, a, b, &m, &val, err)))
            break;
        A = &cv->pool[a];
        double ref = A->cost - lambda * A->weight;
        if (val >= ref - 1e-9 * (1 + fabs(ref)))
            continue; /* a-b is a hull edge */
        csol *M = &cv->pool[m];
        if (M->weight <= A->weight || M->weight >= cv->pool[b].weight)
            continue;
        if (qt + 2 > cap) {
            /* compact the consumed head, then grow */
            memmove(q, q + 2 * qh, 2 * (qt - qh) * sizeof *q);
            qt -= qh;
            qh = 0;
            if (qt + 2 > cap) {
                int *x = realloc(q, 4 * cap * sizeof *q);
                if (!x) {
                    rc = fp_error_set(err, FP_ENOMEM, "out of memory");
                    break;
                }
                q = x;
                cap *= 2;
            }
        }
        q[qt * 2] = a;
        q[qt * 2 + 1] = m;
        qt++;
        q[qt * 2] = m;
        q[qt * 2 + 1] = b;
        qt++;
    }
    free(q);
    return rc;
}

/* The full-coverage tree by the plain Steiner solver: terminals are the
 * root, every weighted node it reaches and the other members of their
 * blocks (a block with an unreachable member stays out). Node costs are
 * not the SPG's business: the tree found is checked and costed on p, and
 * as a budget point it is optimal whatever its cost, since it covers all
 * that can be covered. Solved until cv->deadline; the tree is added to
 * the pool as *idx. RETURNS 0 (*idx = -1 when not applicable or not
 * found) or an error. */
static int full_tree(curve *cv, const fp_sgraph *g, const unsigned char *reach, int *idx,
                     fp_error *err)
{
    const fp_nwprob *p = cv->p;
    *idx = -1;
    if (p->root < 0)
        return FP_OK;
    int ng = 0;
    for (int v = 0; v < p->n && p->group; v++)
        if (p->group[v] >= ng)
            ng = p->group[v] + 1;
    /* per block: 1 all members reached, 2 and one of them weighs */
    unsigned char *gst = calloc((size_t)ng + 1, 1);
    if (!gst)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    for (int gi = 0; gi < ng; gi++)
        gst[gi] = 1;
    for (int v = 0; v < p->n && p->group; v++)
        if (p->group[v] >= 0 && !reach[v])
            gst[p->group[v]] = 0;
    for (int v = 0; v < p->n && p->group; v++)
        if (p->group[v] >= 0 && gst[p->group[v]] && p->prize[v] > 0)
            gst[p->group[v]] = 2;
    int nt = 0;
    unsigned char *want = calloc(p->n > 0 ? (size_t)p->n : 1, 1);
    if (!want) {
        free(gst);
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    }
    for (int v = 0; v < p->n; v++) {
        int gi = p->group ? p->group[v] : -1;
        if (v == p->root)
            want[v] = 1;
        else if (gi >= 0)
            want[v] = gst[gi] == 2;
        else
            want[v] = reach[v] && p->prize[v] > 0;
        nt += want[v];
    }
    free(gst);
    if (nt < 2) {
        free(want);
        return FP_OK;
    }
    fp_sgraph *sg = fp_sgraph_create(p->n);
    fp_steiner_result sr;
    memset(&sr, 0, sizeof sr);
    unsigned char *tn = calloc(p->n > 0 ? (size_t)p->n : 1, 1);
    int rc = FP_OK;
    if (!sg || !tn) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    for (int e = 0; e < p->m; e++)
        if (fp_sgraph_add_edge(sg, p->tail[e], p->head[e], p->cost[e], err) != e) {
            rc = err ? err->code : FP_EINTERNAL;
            goto out;
        }
    memcpy(sg->term, want, (size_t)p->n);
    sg->root = p->root;
    sg->problem = FP_PROB_SPG;
    snprintf(sg->name, sizeof sg->name, "%s", g->name);
    fp_steiner_opts so;
    fp_steiner_opts_default(&so);
    if (cv->deadline > 0) {
        so.time_limit = cv->deadline - fp_nw_now();
        if (so.time_limit <= 0.01)
            goto out;
    }
    /* the SPG solver's errors leave the PC route to do the job */
    fp_error serr;
    if (fp_steiner_solve(sg, &so, cv->log, &sr, &serr) != FP_OK ||
        (sr.status != FP_ST_OPTIMAL && sr.status != FP_ST_FEASIBLE) || !sr.edge_in)
        goto out;
    tn[p->root] = 1;
    for (int e = 0; e < p->m; e++)
        if (sr.edge_in[e])
            tn[p->tail[e]] = tn[p->head[e]] = 1;
    fp_nwprob q = *p;
    q.mode = FP_NW_PC;
    if (!fp_nw_eval(&q, tn, sr.edge_in, NULL))
        goto out;
    if ((rc = pool_add(cv, tn, sr.edge_in, err)))
        goto out;
    *idx = (int)cv->npool - 1;
    fp_log_msg(cv->log, FP_LOG_INFO, "curve: full coverage by the Steiner solver (%s)",
               sr.status == FP_ST_OPTIMAL ? "optimal" : "within its time");
    if (cv->full) {
        /* the connect-all tree too when the terminals are the same */
        int same = g->n_nodes == p->n;
        for (int v = 0; v < p->n && same; v++)
            same = (want[v] != 0) == (g->term[v] != 0 || v == g->root);
        if (same) {
            *cv->full = sr;
            memset(&sr, 0, sizeof sr);
        }
    }
out:
    fp_steiner_result_free(&sr);
    fp_sgraph_free(sg);
    free(tn);
    free(want);
    return rc;
}

static int cmp_point(const void *a, const void *b)
{
    const fp_budget_point *x = a, *y = b;
    return (x->budget > y->budget) - (x->budget < y->budget);
}

int fp_budget_curve(const fp_sgraph *g, const fp_budget_spec *spec, const fp_curve_opts *co,
                    const fp_log *log, fp_budget_point **pts, size_t *n_pts, fp_error *err)
{
    fp_curve_opts defo;
    if (!co) {
        fp_curve_opts_default(&defo);
        co = &defo;
    }
    *pts = NULL;
    *n_pts = 0;
    double t0 = fp_nw_now();
    fp_budget_spec s = *spec;
    s.mode = FP_BUDGET_COVER;
    s.limit = 0;
    fp_nwprob p;
    curve cv;
    memset(&cv, 0, sizeof cv);
    fp_budget_point *out = NULL;
    size_t nout = 0, *ord = NULL;
    int rc = make_prob(g, &s, &p, err);
    if (rc)
        return rc;
    cv.p = &p;
    cv.log = log;
    cv.full = co->full;
    if (co->full) {
        memset(co->full, 0, sizeof *co->full);
        co->full->status = FP_ST_ERROR;
    }
    /* the hull may take 40 % of a time limit; the budget points share
     * the rest evenly */
    double end = co->time_limit > 0 ? t0 + co->time_limit : 0;
    cv.deadline = co->time_limit > 0 ? t0 + 0.4 * co->time_limit : 0;
    cv.max_hull = co->max_hull > 0 ? co->max_hull : 256;
    cv.gap = co->gap_limit;
    if (co->n_points <= 0 && co->n_budgets > 0) {
        cv.focus = co->budgets;
        cv.nfocus = co->n_budgets;
    }
    size_t nn = p.n > 0 ? (size_t)p.n : 1, mm = p.m > 0 ? (size_t)p.m : 1;
    unsigned char *reach = NULL;
    cv.lw = calloc(nn, sizeof *cv.lw);
    unsigned char *n0 = calloc(nn, 1), *e0 = calloc(mm, 1);
    if (!cv.lw || !n0 || !e0) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    cv.pc = p;
    cv.pc.mode = FP_NW_PC;
    cv.pc.prize = cv.lw;
    /* lowest point: the root alone (or nothing) */
    if (p.root >= 0)
        n0[p.root] = 1;
    if ((rc = pool_add(&cv, n0, e0, err)))
        goto out;
    /* highest point: lambda so large that every weight is worth its path */
    double tot = 1, wmin = INFINITY;
    for (int e = 0; e < p.m; e++)
        tot += p.cost[e];
    for (int v = 0; v < p.n; v++) {
        tot += p.ncost ? p.ncost[v] : 0;
        if (p.prize[v] > 0 && p.prize[v] < wmin)
            wmin = p.prize[v];
    }
    int top = 0;
    /* what the root reaches (unrooted: everything) */
    reach = calloc(nn, 1);
    int *bq = malloc(nn * sizeof *bq), *bs = NULL, *be = NULL;
    if (!reach || !bq || fp_nw_adj(&p, &bs, &be)) {
        free(bq);
        free(bs);
        free(be);
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    if (p.root >= 0) {
        int qh = 0, qt = 0;
        bq[qt++] = p.root;
        reach[p.root] = 1;
        while (qh < qt) {
            int v = bq[qh++];
            for (int i = bs[v]; i < bs[v + 1]; i++) {
                int x = p.tail[be[i]] == v ? p.head[be[i]] : p.tail[be[i]];
                if (!reach[x]) {
                    reach[x] = 1;
                    bq[qt++] = x;
                }
            }
        }
    } else {
        memset(reach, 1, nn);
    }
    free(bq);
    free(bs);
    free(be);
    cv.wmax = 0; /* every weight it reaches: a trivial bound */
    for (int v = 0; v < p.n; v++)
        if (reach[v])
            cv.wmax += p.prize[v];
    if (isfinite(wmin)) {
        double lambda = 2 * tot / wmin;
        double val;
        if ((rc = full_tree(&cv, g, reach, &top, err)))
            goto out;
        if (top < 0 && (rc = pc_solve(&cv, lambda, -1, -1, &top, &val, err)))
            goto out;
        fp_log_msg(log, FP_LOG_INFO, "curve: full coverage %.10g for %.10g",
                   cv.pool[top].weight, cv.pool[top].cost);
        if ((rc = hull_between(&cv, 0, top, err)))
            goto out;
    }
    fp_log_msg(log, FP_LOG_INFO, "curve: %zu hull solves, %.2f s", (size_t)cv.hull_solves,
               fp_nw_now() - t0);
    /* budgets: hull points, n_points spread, and the ones asked for */
    double full = cv.pool[top].cost;
    size_t cap = cv.npool + (size_t)(co->n_points > 0 ? co->n_points : 0) + 1 + co->n_budgets;
    out = calloc(cap, sizeof *out);
    if (!out) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    /* hull points are optimal at their own cost */
    for (size_t i = 0; i < cv.npool; i++) {
        double B = cv.pool[i].cost;
        double ub = hull_bound(&cv, B);
        if (ub > cv.pool[i].weight + 1e-9 * (1 + ub))
            continue; /* not (proven) on the hull */
        int dup = 0;
        for (size_t k = 0; k < nout && !dup; k++)
            dup = out[k].budget == B && out[k].weight == cv.pool[i].weight;
        if (dup)
            continue;
        fp_budget_point *pt = &out[nout++];
        pt->budget = B;
        pt->cost = B;
        pt->weight = cv.pool[i].weight;
        pt->bound = pt->weight;
        pt->status = FP_ST_OPTIMAL;
        pt->hull = 1;
    }
    size_t nhull = nout;
    for (int i = 0; i <= co->n_points && co->n_points > 0; i++)
        out[nout++].budget = full * i / co->n_points;
    for (size_t i = 0; i < co->n_budgets; i++)
        out[nout++].budget = co->budgets[i];
    for (size_t i = nhull; i < nout; i++) {
        double B = out[i].budget;
        if (!isfinite(B) || B < 0) {
            rc = fp_error_set(err, FP_EINPUT, "curve: budget %g is not finite and >= 0", B);
            goto out;
        }
        out[i].status = FP_ST_ERROR; /* not solved yet */
    }
    /* integral weights: bounds round down */
    int integral = 1;
    for (int v = 0; v < p.n && integral; v++)
        integral = p.prize[v] == floor(p.prize[v]) && p.prize[v] <= 1e12;
    /* two passes: every point first with part of its share of the time
     * (the pool of trees grows, later points start better), then the
     * points still open share what is left */
    /* Solving order: the budgets asked for first (budget mode's one
     * budget, the plan's), then the spread points coarse to fine (0, N,
     * N/2, N/4, 3N/4, ...), so that a time limit too short for every
     * point leaves solved points spread over the whole range. */
    size_t nord = nout - nhull;
    ord = malloc((nord > 0 ? nord : 1) * sizeof *ord);
    if (!ord) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    {
        size_t nsp = co->n_points > 0 ? (size_t)co->n_points + 1 : 0, k = 0;
        for (size_t i = nhull + nsp; i < nout; i++)
            ord[k++] = i;
        unsigned char *seen = calloc(nsp + 1, 1);
        if (!seen) {
            rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t step = nsp > 1 ? nsp - 1 : 1;; step = (step + 1) / 2) {
            for (size_t j = 0; j < nsp; j += step)
                if (!seen[j]) {
                    seen[j] = 1;
                    ord[k++] = nhull + j;
                }
            if (step == 1)
                break;
        }
        free(seen);
    }
    /* Every solve has set-up work (reductions, heuristics, fixing, the
     * LP's first basis) that its own time limit does not cut: est is the
     * mean time a solve has run past its share. A point is started only
     * when est still fits before the end; the others keep the best known
     * tree within their budget and the hull's bound (an honest gap). */
    double est = 0;
    int nest = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t open = 0;
        for (size_t i = nhull; i < nout; i++)
            open += out[i].status == FP_ST_ERROR ||
                    (out[i].status == FP_ST_FEASIBLE &&
                     out[i].bound - out[i].weight >
                         co->gap_limit * out[i].bound + 1e-9 * (1 + out[i].bound));
        for (size_t oi = 0; oi < nord; oi++) {
            size_t i = ord[oi];
            fp_budget_point *pt = &out[i];
            if (pt->status != FP_ST_ERROR && pt->status != FP_ST_FEASIBLE)
                continue;
            if (pt->status == FP_ST_FEASIBLE &&
                pt->bound - pt->weight <= co->gap_limit * pt->bound + 1e-9 * (1 + pt->bound))
                continue;
            double B = pt->budget;
            /* start: the best known tree within B */
            int bi = -1;
            for (size_t k = 0; k < cv.npool; k++)
                if (cv.pool[k].cost <= B + 1e-9 * (1 + B) &&
                    (bi < 0 || cv.pool[k].weight > cv.pool[bi].weight))
                    bi = (int)k;
            /* hints: the two cheapest known trees above B, shrunk to fit
             * (and their union with the start, by tree knapsack) */
            int ai = -1, a2 = -1;
            for (size_t k = 0; k < cv.npool; k++) {
                if (cv.pool[k].cost <= B)
                    continue;
                if (ai < 0 || cv.pool[k].cost < cv.pool[ai].cost) {
                    a2 = ai;
                    ai = (int)k;
                } else if (a2 < 0 || cv.pool[k].cost < cv.pool[a2].cost) {
                    a2 = (int)k;
                }
            }
            double ub = hull_bound(&cv, B);
            if (pt->status == FP_ST_FEASIBLE && pt->bound < ub)
                ub = pt->bound;
            if (integral)
                ub = floor(ub + 1e-6);
            fp_budget_result r;
            memset(&r, 0, sizeof r);
            p.limit = B;
            fp_nwopts o;
            fp_nw_opts_default(&o);
            /* the share of the time left, less the expected overrun */
            double share = end > 0 ? (end - fp_nw_now()) / (double)(open > 0 ? open : 1) : 0;
            share = (pass == 0 ? 0.5 : 1.0) * share - est;
            if (share < 0)
                share = 0;
            o.deadline = end > 0 ? fp_nw_now() + share : 0;
            if (end > 0 && o.deadline > end - est)
                o.deadline = end - est > fp_nw_now() ? end - est : fp_nw_now();
            open = open > 0 ? open - 1 : 0;
            o.gap_limit = co->gap_limit;
            o.bound_hint = -ub;
            o.log = log;
            if (ai >= 0)
                o.hint_n[o.n_hints++] = cv.pool[ai].n;
            if (a2 >= 0)
                o.hint_n[o.n_hints++] = cv.pool[a2].n;
            /* the hull slopes tightest at B first: fixing multipliers */
            double lam[3], lu[3];
            int nl = 0;
            for (size_t k = 0; k < cv.nlines; k++) {
                double u = (B - cv.lines[k].lb) / cv.lines[k].lambda;
                int pos = nl < 3 ? nl++ : 3;
                while (pos > 0 && lu[pos - 1] > u) {
                    if (pos < 3) {
                        lam[pos] = lam[pos - 1];
                        lu[pos] = lu[pos - 1];
                    }
                    pos--;
                }
                if (pos < 3) {
                    lam[pos] = cv.lines[k].lambda;
                    lu[pos] = u;
                }
            }
            o.lambda = lam;
            o.n_lambda = nl;
            double now = fp_nw_now();
            if (bi >= 0 && cv.pool[bi].weight >= ub - 1e-9 * (1 + ub)) {
                /* the hull proves the start optimal */
                pt->cost = cv.pool[bi].cost;
                pt->weight = cv.pool[bi].weight;
                pt->bound = pt->weight;
                pt->status = FP_ST_OPTIMAL;
            } else if (end > 0 && now + est >= end) {
                /* no time left for a solve: the start and the hull */
                if (pt->status == FP_ST_ERROR) {
                    pt->cost = bi >= 0 ? cv.pool[bi].cost : 0;
                    pt->weight = bi >= 0 ? cv.pool[bi].weight : 0;
                    pt->bound = ub;
                    pt->status = bi >= 0 ? FP_ST_FEASIBLE : FP_ST_INFEASIBLE;
                }
                continue;
            } else {
                double ts = now;
                rc = solve_ws(&p, &o, &r, bi >= 0 ? cv.pool[bi].n : NULL,
                              bi >= 0 ? cv.pool[bi].e : NULL, NULL, err);
                if (rc) {
                    fp_budget_result_free(&r);
                    goto out;
                }
                double taken = fp_nw_now() - ts, given = o.deadline > 0 ? o.deadline - ts : 0;
                fp_log_msg(log, FP_LOG_DEBUG, "curve: budget %.10g: %.3f s given, %.3f s taken",
                           B, given, taken);
                if (end > 0) {
                    double over = taken > given ? taken - given : 0;
                    est = (est * nest + over) / (nest + 1);
                    nest++;
                }
                if (r.status == FP_ST_INFEASIBLE) {
                    pt->cost = pt->weight = pt->bound = 0;
                    pt->status = FP_ST_INFEASIBLE;
                } else {
                    double bd = r.bound < ub ? r.bound : ub;
                    if (pt->status == FP_ST_ERROR || r.weight > pt->weight) {
                        pt->cost = r.cost;
                        pt->weight = r.weight;
                    }
                    if (pt->status == FP_ST_ERROR || bd < pt->bound)
                        pt->bound = bd;
                    int opt = pt->bound <= pt->weight + 1e-9 * (1 + pt->bound);
                    pt->status = opt ? FP_ST_OPTIMAL : FP_ST_FEASIBLE;
                    rc = pool_add(&cv, r.node_in, r.edge_in, err);
                }
                fp_budget_result_free(&r);
                if (rc)
                    goto out;
            }
            fp_log_progress(log, "curve", (double)(oi + 1), (double)nord,
                            "budget %.10g weight %.10g bound %.10g", B, pt->weight, pt->bound);
        }
    }
    qsort(out, nout, sizeof *out, cmp_point);
    /* more budget never covers less; bounds of larger budgets bound the
     * smaller ones */
    for (size_t i = 1; i < nout; i++)
        if (out[i].status != FP_ST_INFEASIBLE && out[i - 1].weight > out[i].weight) {
            out[i].weight = out[i - 1].weight;
            out[i].cost = out[i - 1].cost;
        }
    for (size_t i = nout; i-- > 1;)
        if (out[i].bound < out[i - 1].bound)
            out[i - 1].bound = out[i].bound;
    for (size_t i = 0; i < nout; i++) {
        fp_budget_point *pt = &out[i];
        if (pt->status == FP_ST_INFEASIBLE)
            continue;
        if (pt->bound < pt->weight)
            pt->bound = pt->weight;
        double tol = 1e-9 * (1 + pt->bound);
        pt->gap = pt->bound > 0 ? (pt->bound - pt->weight) / pt->bound : 0;
        if (pt->bound - pt->weight <= tol) {
            pt->gap = 0;
            pt->status = FP_ST_OPTIMAL;
        } else {
            pt->status = FP_ST_FEASIBLE;
        }
        fp_log_msg(log, FP_LOG_DEBUG, "curve: point %.10g: weight %.10g bound %.10g gap %.4f %%",
                   pt->budget, pt->weight, pt->bound, 100 * pt->gap);
    }
    *pts = out;
    *n_pts = nout;
    out = NULL;
    if (co->plan_budget >= 0 && co->plan_node_in && co->plan_edge_in) {
        double B = co->plan_budget;
        int bi = -1;
        for (size_t k = 0; k < cv.npool; k++)
            if (cv.pool[k].cost <= B + 1e-9 * (1 + B) &&
                (bi < 0 || cv.pool[k].weight > cv.pool[bi].weight ||
                 (cv.pool[k].weight == cv.pool[bi].weight && cv.pool[k].cost < cv.pool[bi].cost)))
                bi = (int)k;
        *co->plan_node_in = calloc(nn, 1);
        *co->plan_edge_in = calloc(mm, 1);
        if (!*co->plan_node_in || !*co->plan_edge_in) {
            free(*co->plan_node_in);
            free(*co->plan_edge_in);
            *co->plan_node_in = *co->plan_edge_in = NULL;
            free(*pts);
            *pts = NULL;
            *n_pts = 0;
            rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            goto out;
        }
        if (bi >= 0) {
            memcpy(*co->plan_node_in, cv.pool[bi].n, nn);
            memcpy(*co->plan_edge_in, cv.pool[bi].e, mm);
        }
    }
    fp_log_msg(log, FP_LOG_INFO, "curve: %zu points in %.2f s", *n_pts, fp_nw_now() - t0);
out:
    free(out);
    free(ord);
    for (size_t i = 0; i < cv.npool; i++) {
        free(cv.pool[i].n);
        free(cv.pool[i].e);
    }
    free(cv.pool);
    free(cv.lines);
    free(cv.lw);
    free(n0);
    free(e0);
    free(reach);
    return rc;
}

int fp_budget_curve_csv(const char *path, const fp_budget_point *pts, size_t n, fp_error *err)
{
    fp_afile *af = fp_afile_open(path, err);
    if (!af)
        return err ? err->code : FP_EIO;
    FILE *f = fp_afile_fp(af);
    fprintf(f, "budget,cost,weight,bound,gap,status,hull\n");
    for (size_t i = 0; i < n; i++) {
        const fp_budget_point *q = &pts[i];
        const char *st = q->status == FP_ST_OPTIMAL    ? "optimal"
                         : q->status == FP_ST_FEASIBLE ? "feasible"
                                                       : "infeasible";
        fprintf(f, "%.2f,%.2f,%.6g,%.6g,%.6f,%s,%d\n", q->budget, q->cost, q->weight, q->bound,
                q->gap, st, q->hull);
    }
    return fp_afile_commit(af, err);
}
