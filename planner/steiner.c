/* steiner: the optimiser's pipeline: reduce, heuristics, branch-and-cut,
 * map back, verify. */
#include "steiner.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dualascent.h"
#include "dw.h"
#include "heur.h"
#include "ilp.h"
#include "pcstp.h"
#include "reduce.h"

void fp_steiner_opts_default(fp_steiner_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

void fp_steiner_result_free(fp_steiner_result *res)
{
    if (!res)
        return;
    free(res->edge_in);
    res->edge_in = NULL;
}

int fp_steiner_check(const fp_sgraph *g, const unsigned char *edge_in, double *cost)
{
    int n = g->n_nodes, ok = 1;
    double c = 0;
    int *par = malloc((n > 0 ? (size_t)n : 1) * sizeof *par);
    if (!par)
        return 0;
    for (int v = 0; v < n; v++)
        par[v] = v;
    for (int e = 0; e < g->n_edges; e++) {
        if (!edge_in[e])
            continue;
        c += g->cost[e];
        int a = g->tail[e], b = g->head[e];
        while (par[a] != a)
            a = par[a] = par[par[a]];
        while (par[b] != b)
            b = par[b] = par[par[b]];
        if (a == b)
            ok = 0;
        else
            par[a] = b;
    }
    int root = -1;
    for (int v = 0; v < n && ok; v++) {
        if (!g->term[v])
            continue;
        int a = v;
        while (par[a] != a)
            a = par[a];
        if (root < 0)
            root = a;
        else if (a != root)
            ok = 0;
    }
    for (int e = 0; e < g->n_edges && ok; e++) {
        if (!edge_in[e])
            continue;
        int a = g->tail[e];
        while (par[a] != a)
            a = par[a];
        if (root < 0 || a != root)
            ok = 0; /* an edge off the terminals' tree */
    }
    free(par);
    if (cost)
        *cost = c;
    return ok;
}

/* The subset DP replaces branch-and-cut when its work (about a ns a step)
 * and tables are this small. */
#define DW_WORK 4e8
/* Below this average degree a graph counts as sparse (road-like) for the
 * pipeline's special-distance tests between stages (as for creep flow in
 * ilp.c). */
#define SPARSE_DEG 4.5
/* Before any reduction: this much (~0.15 s) with at most this many
 * terminals (then its work is a few dozen shortest-path trees, as cheap as
 * the first heuristic alone). */
#define DW_WORK_EARLY 1e8
#define DW_TERMS_EARLY 7
#define DW_MEM 512e6
/* Up to this work the DP runs after a branch-and-cut that did not prove
 * optimality in twice the DP's own time (seconds a step, measured). */
#define DW_WORK_LATE 4e9
#define DW_SECONDS_PER_STEP 1.5e-9

/* True once the (internal) deadline, if any, has passed. */
static int past(double deadline)
{
    return deadline > 0 && fp_ilp_now() > deadline;
}

/* A share of the time left before the deadline: the deadline of a phase
 * that must leave the rest to the later ones (0 when there is none). */
static double share(double deadline, double frac)
{
    if (deadline <= 0)
        return 0;
    double t = fp_ilp_now();
    return t >= deadline ? deadline : t + frac * (deadline - t);
}

static int all_integral(const fp_sgraph *g)
{
    for (int e = 0; e < g->n_edges; e++)
        if (g->cost[e] != floor(g->cost[e]) || g->cost[e] > 1e15)
            return 0;
    return 1;
}

/* The terminal of highest degree (the first among ties): the root of the
 * dual ascent and of the ILP. */
static int max_degree_terminal(const fp_cgraph *cg)
{
    int root = 0;
    for (int v = 0; v < cg->n; v++)
        if (cg->term[v] && (!cg->term[root] || cg->adj_start[v + 1] - cg->adj_start[v] >
                                                  cg->adj_start[root + 1] - cg->adj_start[root]))
            root = v;
    return root;
}

/* Offers the tree s of cg: mapped back to g (through cand, scratch of
 * g->n_edges), it becomes res->edge_in and *best if it is a Steiner tree
 * cheaper than *best (or the first). RETURNS 1 if kept, 0 if a tree but
 * not cheaper, -1 if not a Steiner tree of g. */
static int offer(const fp_sgraph *g, const fp_rgraph *r, const fp_cgraph *cg,
                 const unsigned char *s, unsigned char *cand, fp_steiner_result *res,
                 double *best)
{
    memset(cand, 0, (size_t)g->n_edges);
    fp_reduce_map_back(r, cg, s, cand);
    double total;
    if (!fp_steiner_check(g, cand, &total))
        return -1;
    if (*best >= 0 && total >= *best)
        return 0;
    *best = total;
    memcpy(res->edge_in, cand, (size_t)g->n_edges);
    return 1;
}

/* The subset DP on cg: its tree, mapped back to g, replaces the best one
 * (res->edge_in, *best) if cheaper. RETURNS 1 when solved (the tree held is
 * optimal), 0 when out of time or memory, -1 with *err set. */
static int run_dw(const fp_sgraph *g, const fp_rgraph *r, const fp_cgraph *cg, double deadline,
                  const fp_log *log, double t0, unsigned char *sol, unsigned char *cand,
                  fp_steiner_result *res, double *best, fp_error *err)
{
    double dc;
    int d = fp_dw_solve(cg, deadline, DW_MEM, sol, &dc);
    fp_log_msg(log, FP_LOG_INFO, "subset DP over %d terminals: %s after %.2f s", cg->n_terms,
               d == 0 ? "solved" : d > 0 ? "out of time" : "no memory", fp_ilp_now() - t0);
    if (d != 0)
        return 0;
    if (offer(g, r, cg, sol, cand, res, best) < 0) {
        fp_error_set(err, FP_EINTERNAL, "subset DP gave no Steiner tree");
        return -1;
    }
    return 1;
}

/* The tree `in` of g (original edges), if it is made of whole live edges
 * of cg plus r's fixed edges: those edges into sol[cg->m].
 * RETURNS 1 if sol is then a tree of cg spanning its terminals, else 0. */
static int pull(const fp_rgraph *r, const fp_cgraph *cg, const unsigned char *in,
                unsigned char *sol)
{
    for (int i = 0; i < r->n_fixed; i++)
        if (!in[r->fixed[i]])
            return 0;
    for (int e = 0; e < cg->m; e++) {
        int re = cg->redge[e], k = 0;
        while (k < r->nanc[re] && in[r->anc[re][k]])
            k++;
        sol[e] = r->nanc[re] > 0 && k == r->nanc[re];
    }
    return fp_heur_check(cg, sol, NULL);
}

/* Dual ascent roots: the ascent and its reduced-cost bounds cost a few ms
 * on 25,000 edges (two searches), so several roots are cheap; the bound
 * hardly depends on the root, but what each root's reduced costs rule out
 * does (SteinLib d18 with the optimum as the value to beat: 22,757 edges
 * from one root, 22,793 from eight). */
#define DA_ROOTS 8

/* Ascend-and-prune trees per stage, from the first roots: on small graphs
 * they find better trees than the heuristic (I080-342: 4519 -> 4344 with
 * three, 4482 with one; C and D: c04, c09, c19, d06, d08, d09, d15). */
#define DA_GUIDED 3

/* One dual-ascent stage on cg (compacted from r): the re-queued ascent from
 * `root` and up to DA_ROOTS - 1 other terminals drawn from seed, the best
 * bound into *lb_total (plus r's fixed cost); from the first DA_GUIDED
 * roots also the plain ascent and its ascend-and-prune tree (polished, offered as the incumbent;
 * sol gets it if kept); then every edge and non-terminal vertex whose best
 * extended reduced-cost bound over the roots exceeds ubx (lowered by as
 * much as the trees improved the incumbent) is deleted from r.
 * RETURNS the deletions, -1 on no memory, -2 if a terminal is out of reach. */
static int da_stage(const fp_sgraph *g, fp_rgraph *r, const fp_cgraph *cg, fp_heur *h, int root,
                    unsigned sd, double deadline, double ubx, unsigned char *sol,
                    unsigned char *cand, fp_steiner_result *res, double *best, double *lb_total)
{
    size_t mm = cg->m > 0 ? (size_t)cg->m : 1, nn = cg->n > 0 ? (size_t)cg->n : 1;
    double *rc = malloc(2 * mm * sizeof *rc), *w = malloc(mm * sizeof *w);
    double *eb = malloc(mm * sizeof *eb), *ebk = malloc(mm * sizeof *ebk);
    double *vb = malloc(nn * sizeof *vb), *vbk = malloc(nn * sizeof *vbk);
    int *roots = malloc(DA_ROOTS * sizeof *roots), *tl = malloc(nn * sizeof *tl);
    unsigned char *ts = malloc(mm);
    int del = -1;
    if (!rc || !w || !eb || !ebk || !vb || !vbk || !roots || !tl || !ts)
        goto out;
    /* the roots: the given one, then distinct terminals drawn at random */
    int nr = 0, nt = 0;
    roots[nr++] = root;
    for (int v = 0; v < cg->n; v++)
        if (cg->term[v] && v != root)
            tl[nt++] = v;
    while (nr < DA_ROOTS && nt > 0) {
        sd = sd * 1103515245u + 12345u;
        int i = (int)((sd >> 8) % (unsigned)nt);
        roots[nr++] = tl[i];
        tl[i] = tl[--nt];
    }
    for (int e = 0; e < cg->m; e++)
        eb[e] = 0;
    for (int v = 0; v < cg->n; v++)
        vb[v] = 0;
    double best0 = *best;
    /* the first DA_GUIDED roots ascend in both orders (the plain one's
     * reduced costs guide the tree: better on 6 of 18 instances where the
     * trees matter, worse on 3), the others in the re-queued order */
    for (int j = 0; j < nr + (nr < DA_GUIDED ? nr : DA_GUIDED); j++) {
        int k = j < nr ? j : j - nr, plain = j >= nr;
        if (j > 0 && past(deadline))
            break; /* the roots done give valid bounds */
        double lb;
        if ((plain ? fp_da_run_cuts(cg, roots[k], &lb, rc, NULL) : fp_da_run(cg, roots[k], &lb, rc)))
            goto out;
        if (!(lb < DBL_MAX)) {
            del = -2;
            goto out;
        }
        if (lb + r->fixed_cost > *lb_total)
            *lb_total = lb + r->fixed_cost;
        if (fp_da_edge_bounds(cg, roots[k], lb, rc, ebk, vbk))
            goto out;
        for (int e = 0; e < cg->m; e++)
            if (ebk[e] > eb[e])
                eb[e] = ebk[e];
        for (int v = 0; v < cg->n; v++)
            if (vbk[v] > vb[v])
                vb[v] = vbk[v];
        if (!plain)
            continue;
        /* ascend and prune: the shortest-path heuristic on the reduced
         * costs (ties broken by the costs) follows the saturated arcs */
        for (int e = 0; e < cg->m; e++) {
            double a0 = rc[2 * e], a1 = rc[2 * e + 1];
            w[e] = (a0 < a1 ? a0 : a1) + 1e-9 * cg->cost[e];
        }
        fp_heur_set_deadline(h, share(deadline, 0.1));
        if (fp_heur_sph(h, roots[k], w, ts) >= 0) {
            fp_heur_improve(h, ts, fp_heur_effort(cg, 2000 + cg->n));
            if (offer(g, r, cg, ts, cand, res, best) > 0)
                memcpy(sol, ts, mm);
        }
    }
    if (best0 >= 0)
        ubx -= best0 - *best; /* the value to beat fell by as much */
    else if (*best >= 0)
        ubx = *best - r->fixed_cost; /* a first tree: not strict then */
    del = fp_da_eliminate_bounds(r, cg, eb, vb, ubx);
out:
    free(rc);
    free(w);
    free(eb);
    free(ebk);
    free(vb);
    free(vbk);
    free(roots);
    free(tl);
    free(ts);
    return del;
}

int fp_steiner_solve(const fp_sgraph *g, const fp_steiner_opts *opts, const fp_log *log,
                     fp_steiner_result *res, fp_error *err)
{
    if (g->problem != FP_PROB_SPG) /* prize-collecting: pcstp.c */
        return fp_pcstp_solve(g, opts, log, res, NULL, err);
    fp_steiner_opts def;
    if (!opts) {
        fp_steiner_opts_default(&def);
        opts = &def;
    }
    double t0 = fp_ilp_now();
    memset(res, 0, sizeof *res);
    res->status = FP_ST_ERROR;
    fp_rgraph *r = NULL;
    fp_cgraph *cg = NULL;
    fp_heur *h = NULL;
    unsigned char *sol = NULL;
    unsigned char *cand = NULL; /* scratch of offer(): a tree on g */
    int rc = FP_OK;
    if (g->problem != FP_PROB_SPG) {
        rc = fp_error_set(err, FP_EINPUT, "%s: prize-collecting not supported yet", g->name);
        goto out;
    }
    res->edge_in = calloc(g->n_edges > 0 ? (size_t)g->n_edges : 1, 1);
    r = fp_rgraph_create(g);
    if (!res->edge_in || !r) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    /* The internal deadline leaves a margin for what follows the last check:
     * the LP GLPK is solving, mapping back and verifying the tree. */
    double deadline = 0;
    if (opts->time_limit > 0) {
        double margin = fmin(0.1 * opts->time_limit, 0.25 + 0.01 * opts->time_limit);
        deadline = t0 + opts->time_limit - margin;
    }
    rc = fp_reduce_components(r, err);
    if (rc == FP_EINFEASIBLE) {
        fp_log_msg(log, FP_LOG_INFO, "%s", err->msg);
        fp_error_clear(err);
        rc = FP_OK;
        res->status = FP_ST_INFEASIBLE;
        res->cost = res->lower_bound = INFINITY;
        goto out;
    }
    if (rc)
        goto out;
    int changed;
    if ((rc = fp_reduce_degree(r, &changed, err)))
        goto out;
    int integral = all_integral(g);
    double best = -1, lb_total = 0;
    cand = calloc(g->n_edges > 0 ? (size_t)g->n_edges : 1, 1);
    if (!cand) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    int optimal = 0, proven_by_elim = 0;
    long long nodes = 0;
    /* Few terminals: the subset DP solves the graph as it stands sooner than
     * reductions and bounds would shrink it (5 terminals on 25000 edges: a
     * few ms, where the special-distance test alone takes 0.3 s). */
    if (!opts->heuristic_only && !opts->no_subset_dp && r->n_terms > 1) {
        if (!(cg = fp_cgraph_from_rgraph(r))) {
            rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            goto out;
        }
        if (cg->n_terms <= DW_TERMS_EARLY && fp_dw_work(cg, DW_MEM) <= DW_WORK_EARLY) {
            int d = -1;
            if (!(sol = calloc(cg->m > 0 ? (size_t)cg->m : 1, 1)))
                fp_error_set(err, FP_ENOMEM, "out of memory");
            else
                d = run_dw(g, r, cg, deadline, log, t0, sol, cand, res, &best, err);
            if (d < 0) {
                rc = err->code;
                goto out;
            }
            if (d > 0) {
                optimal = 1;
                goto solved;
            }
        }
    }
    for (int round = 0; round < 6 && r->n_terms > 1 && !past(deadline); round++) {
        int d = fp_reduce_sd(r, 60);
        if (d < 0) {
            rc = fp_error_set(err, FP_ENOMEM, "out of memory in reductions");
            goto out;
        }
        if ((rc = fp_reduce_degree(r, &changed, err)))
            goto out;
        /* another round only if this one was worth it */
        int live = 0;
        for (int e = 0; e < r->m; e++)
            live += r->ealive[e];
        if ((d == 0 && changed == 0) || d < live / 100)
            break;
    }
    for (int pass = 0;; pass++) {
        /* more = 0: the last stage only rebuilds the graph after the
         * eliminations of the one before (too few for another round) */
        int more = 1;
        for (int stage = 0;; stage++) {
            fp_cgraph_free(cg);
            fp_heur_free(h);
            free(sol);
            h = NULL;
            sol = NULL;
            cg = fp_cgraph_from_rgraph(r);
            if (cg) {
                sol = calloc(cg->m > 0 ? (size_t)cg->m : 1, 1);
                h = fp_heur_create(cg);
            }
            if (!cg || !sol || !h) {
                rc = fp_error_set(err, FP_ENOMEM, "out of memory");
                break;
            }
            fp_log_msg(log, FP_LOG_INFO, "stage %d: %d nodes %d edges (%d terminals), %.2f s", stage,
                       cg->n, cg->m, cg->n_terms, fp_ilp_now() - t0);
            double cost = 0;
            /* the last stage's graph goes to the branch-and-cut (or is
             * the answer): it gets a tree of its own; between the first
             * and the last, the dual-ascent guided trees do better than
             * new starts (and after a restart the incumbent is good) */
            int last = stage >= 4 || !more || past(deadline);
            /* the incumbent, if it survived the eliminations whole, is the
             * last stage's tree: a heuristic run there found a better one
             * on one instance of SteinLib C and D in 40 (c14, by 1) */
            int kept = last && stage > 0 && !opts->heuristic_only && best >= 0;
            if (kept && !pull(r, cg, res->edge_in, sol)) {
                /* the eliminations against the incumbent's cost less 1 took
                 * some of its edges: a plain shortest-path tree starts the
                 * branch-and-cut, whose LP-guided trees do better than
                 * another heuristic run (d19: 1.5 s for nothing) */
                if (fp_heur_sph(h, max_degree_terminal(cg), NULL, sol) < 0)
                    kept = 0;
            }
            if (kept)
                fp_heur_check(cg, sol, &cost);
            if (cg->n_terms > 1 && !kept && ((stage == 0 && pass == 0) || last)) {
                int starts = opts->heuristic_only ? 40 : stage == 0 && pass == 0 ? 16 : 2;
                /* the first heuristic may take a fair share of the time, the
                 * later ones less: the bound and the branch-and-cut need the rest */
                fp_heur_set_deadline(h, share(deadline, opts->heuristic_only ? 0.6
                                                        : stage == 0           ? 0.3
                                                                               : 0.15));
                cost = fp_heur_run(h, starts, opts->seed + (unsigned)stage, sol);
                if (cost < 0) {
                    rc = fp_error_set(err, FP_EINTERNAL, "heuristic found no tree");
                    break;
                }
            }
            /* keep the best tree found so far, on the original graph */
            offer(g, r, cg, sol, cand, res, &best);
            fp_log_msg(log, FP_LOG_INFO, "heuristic %.10g (best %.10g) after %.2f s",
                       cost + r->fixed_cost, best, fp_ilp_now() - t0);
            if (cg->n_terms <= 1) {
                lb_total = best;
                break;
            }
            int root = max_degree_terminal(cg);
            if (last || past(deadline))
                break;
            /* with integral costs only a tree cheaper by 1 matters: what every
             * such tree avoids goes too (the incumbent is kept aside in
             * res->edge_in; if nothing better exists the terminals may end up
             * disconnected, which proves it optimal); no incumbent, no
             * elimination */
            double ubx = best >= 0 ? best - r->fixed_cost : DBL_MAX;
            if (integral && best >= 0)
                ubx -= 1 - 1e-6;
            int del = da_stage(g, r, cg, h, root, opts->seed * 7919u + (unsigned)stage * 104729u + 1u,
                               deadline, ubx, sol, cand, res, &best, &lb_total);
            if (del == -2) {
                /* a terminal out of reach contradicts the tree we hold */
                rc = fp_error_set(err, FP_EINTERNAL, "dual ascent found no way to a terminal");
                break;
            }
            if (del < 0) {
                rc = fp_error_set(err, FP_ENOMEM, "out of memory in dual ascent");
                break;
            }
            fp_log_msg(log, FP_LOG_INFO, "dual ascent bound %.10g, best %.10g, %d eliminated, after %.2f s",
                       lb_total, best, del, fp_ilp_now() - t0);
            {
                double lbr0 = integral ? ceil(lb_total - 1e-6) : lb_total;
                if (lbr0 >= best - 1e-7 * (1 + best))
                    break;
            }
            if (del == 0 || past(deadline))
                break; /* out of time: the ILP is skipped, cg need not be rebuilt */
            if (del < cg->m / 20)
                more = 0;
            rc = fp_reduce_components(r, err);
            if (rc == FP_EINFEASIBLE) {
                /* no tree cheaper than the incumbent survives: it is optimal */
                fp_error_clear(err);
                rc = FP_OK;
                proven_by_elim = 1;
                break;
            }
            if (rc || (rc = fp_reduce_degree(r, &changed, err)))
                break;
            /* no special-distance test here on dense graphs: after the
             * eliminations it found about 0.5% of the edges left on SteinLib
             * D's, in 0.3-0.4 s each time; on sparse (road-like) ones it is
             * cheap and the stages go on (PACE instance160: a smaller graph
             * for the ILP, proven in a minute again) */
            int sparse = 2.0 * cg->m < SPARSE_DEG * cg->n;
            if (sparse && r->n_terms > 1) {
                int d = fp_reduce_sd(r, 60);
                if (d < 0) {
                    rc = fp_error_set(err, FP_ENOMEM, "out of memory in reductions");
                    break;
                }
                if (d > 0 && (rc = fp_reduce_degree(r, &changed, err)))
                    break;
            }
            /* another ascent pays when the degree tests reshaped the graph
             * (C and D: 10-270 more eliminations, a few better trees); on
             * the same vertices the eight roots' eliminations were near
             * complete (c18, d18, d19: 4-16 more) */
            int live = 0;
            for (int v = 0; v < r->n; v++)
                live += r->nalive[v];
            if (!sparse && live > 0.95 * cg->n)
                more = 0;
        }
        if (rc)
            break;
        double lbr = integral ? ceil(lb_total - 1e-6) : lb_total;
        if (proven_by_elim || lbr >= best - 1e-7 * (1 + best))
            optimal = 1;
        if (optimal || opts->heuristic_only || cg->n_terms <= 1 || past(deadline))
            break;
        /* few terminals left: the subset DP is exact whatever the graph's
         * shape, and when cheap beats branch-and-cut on the symmetric
         * puzzles whose LP gap is large */
        if (!opts->no_subset_dp && fp_dw_work(cg, DW_MEM) <= DW_WORK) {
            int d = run_dw(g, r, cg, deadline, log, t0, sol, cand, res, &best, err);
            if (d < 0) {
                rc = err->code;
                break;
            }
            if (d > 0) {
                optimal = 1;
                break;
            }
            if (past(deadline))
                break;
        }
        {
            int root = max_degree_terminal(cg);
            /* the dual-ascent bound, valid on this graph too: elimination
             * only removed what no better tree uses */
            double cost = -1, lb = lb_total - r->fixed_cost > 0 ? lb_total - r->fixed_cost : 0;
            if (fp_heur_check(cg, sol, &cost) == 0)
                cost = -1;
            fp_da_cuts cu = {0};
            double dl = 0;
            if (fp_da_run_cuts(cg, root, &dl, NULL, &cu) != 0)
                fp_da_cuts_free(&cu); /* no warm start then */
            /* a few restarts when root reduced costs rule out much of the
             * graph: rebuilt smaller, it reduces, bounds and solves faster */
            int restart = 0;
            unsigned char *elim = calloc(cg->m > 0 ? (size_t)cg->m : 1, 1);
            /* a subset DP too dear to run first (but within DW_WORK_LATE)
             * waits for a branch-and-cut given twice the DP's own time */
            double dww = fp_dw_work(cg, DW_MEM), ideadline = deadline;
            if (dww <= DW_WORK_LATE && !opts->no_subset_dp) {
                double t = fp_ilp_now() + 2 * DW_SECONDS_PER_STEP * dww;
                if (deadline <= 0 || t < deadline)
                    ideadline = t;
            }
            fp_ilp_opts io = {ideadline, opts->gap_limit, integral, r->fixed_cost,
                              best - r->fixed_cost, log, cu.n > 0 ? &cu : NULL,
                              pass < 3 ? 0.25 : 0, &restart, elim, 0};
            int iopt = 0;
            long long pnodes = 0;
            if (!elim)
                rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            else
                rc = fp_ilp_solve(cg, root, &io, sol, &cost, &lb, &pnodes, &iopt, err);
            nodes += pnodes;
            fp_da_cuts_free(&cu);
            if (rc == FP_EGLPK) {
                /* keep the incumbent and the bounds found so far */
                fp_log_msg(log, FP_LOG_WARN, "%s: returning the best tree found", err->msg);
                fp_error_clear(err);
                rc = FP_OK;
                lb = 0;
            }
            if (rc) {
                free(elim);
                break;
            }
            if (cost >= 0)
                offer(g, r, cg, sol, cand, res, &best);
            if (lb + r->fixed_cost > lb_total)
                lb_total = lb + r->fixed_cost;
            lbr = integral ? ceil(lb_total - 1e-6) : lb_total;
            if (lbr >= best - 1e-7 * (1 + best))
                optimal = 1;
            if (optimal || !restart || past(deadline)) {
                free(elim);
                break;
            }
            /* restart: drop the edges no tree better than the incumbent (kept
             * aside in res->edge_in) can use, then reduce again */
            int ne = 0;
            for (int e = 0; e < cg->m; e++)
                if (elim[e]) {
                    fp_rgraph_delete_edge(r, cg->redge[e]);
                    ne++;
                }
            free(elim);
            fp_log_msg(log, FP_LOG_INFO, "restart %d: %d edges ruled out by root reduced costs, after %.2f s",
                       pass + 1, ne, fp_ilp_now() - t0);
            rc = fp_reduce_components(r, err);
            if (rc == FP_EINFEASIBLE) {
                fp_error_clear(err);
                rc = FP_OK;
                optimal = 1; /* no better tree left */
                break;
            }
            if (rc || (rc = fp_reduce_degree(r, &changed, err)))
                break;
        }
    }
solved:
    /* a branch-and-cut cut short for the subset DP (see ideadline) */
    if (!rc && !optimal && !opts->heuristic_only && !opts->no_subset_dp && cg && cg->n_terms > 1 && !past(deadline) &&
        fp_dw_work(cg, DW_MEM) <= DW_WORK_LATE) {
        int d = run_dw(g, r, cg, deadline, log, t0, sol, cand, res, &best, err);
        if (d < 0)
            rc = err->code;
        else if (d > 0)
            optimal = 1;
    }
    if (rc)
        goto out;
    res->nodes_explored = nodes;
    double total;
    if (best < 0 || !fp_steiner_check(g, res->edge_in, &total)) {
        rc = fp_error_set(err, FP_EINTERNAL, "solver produced no valid Steiner tree");
        goto out;
    }
    res->cost = total;
    res->lower_bound = optimal ? total : lb_total;
    if (res->lower_bound > total)
        res->lower_bound = total;
    res->gap = total > 0 ? (total - res->lower_bound) / total : 0;
    res->status = optimal ? FP_ST_OPTIMAL : FP_ST_FEASIBLE;
    res->n_nodes_reduced = cg->n;
    res->n_edges_reduced = cg->m;
out:
    res->seconds = fp_ilp_now() - t0;
    if (rc) {
        res->status = FP_ST_ERROR;
        free(res->edge_in);
        res->edge_in = NULL;
    }
    fp_heur_free(h);
    free(sol);
    free(cand);
    fp_cgraph_free(cg);
    fp_rgraph_free(r);
    return rc;
}
