/* pcstp_ilp: GLPK branch-and-cut for prize-collecting, budget and quota
 * trees on the directed cut formulation with node variables.
 *
 * Arcs a = (u,v) both ways of every edge, x_a binary; y_v = 1 if v is in
 * the tree. Rooted at r (y_r = 1) or, unrooted, at an artificial root R
 * with arcs R->v to every node of positive prize, sum x(R,.) <= 1 and the
 * first-vertex rows x(R,v) + y_u <= 1 for u before v (lazy). Rows:
 *   x(delta-(v)) = y_v                         in-degree, v != r
 *   x(u,v) + x(v,u) <= y_v                     GSEC of size 2
 *   y_v <= x(delta+(v))                        no Steiner leaf (v free)
 *   x(delta-(S)) >= y_t   t in S, r not in S   cuts, by max-flow (lazy)
 *   y_u = y_v                                  same group
 *   c.x + k.y <= B  /  w.y >= Q                budget / quota
 * GLPK's heuristics are off; incumbents come from our heuristics and from
 * integral LP solutions, each checked by fp_nw_eval before use. */
#include <float.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maxflow.h"
#include "glpkutil.h"
#include "pcstp_int.h"

#define CUT_EPS 1e-6
#define CREEP 1e-7
#define MAX_NEST 1
#define DROP_EVERY 3
#define LAZY_GSEC 0 /* 1: GSEC rows lazily in the root loop (faster on JMP, much slower on PUCNU) */

typedef struct nctx {
    jmp_buf jb;
    const fp_nwprob *p;
    const int *as, *ae;
    const fp_nwopts *o;
    fp_nwh *h;
    int n, m, na, ne;       /* ne = 2m edge arcs; arcs ne..na-1 leave R */
    int src;                /* flow source: root or R (= n) */
    int unrooted;
    int *atail, *ahead;
    int *in_start, *in_arc;
    int *cand;              /* [n] rank among R's heads, -1 */
    int *cand_node;         /* [nc] */
    int nc;
    glp_prob *P;
    fp_maxflow *mf;
    double *x, *y, *cap, *w, *xsol, *val;
    int *ind;
    unsigned char *side, *tn, *te, *skip;
    unsigned char *bn, *be; /* incumbent (caller's arrays) */
    int has;
    double best, lb;
    int integral, handed, rot;
    long long nodes;
    double last_log;
} nctx;

static void ehook(void *info)
{
    nctx *c = info;
    longjmp(c->jb, 1);
}

static inline int oth(const fp_nwprob *p, int e, int v)
{
    return p->tail[e] == v ? p->head[e] : p->tail[e];
}

static double rlb(const nctx *c, double b)
{
    if (c->integral)
        return ceil(b - 1e-6);
    return b;
}

static int proved(const nctx *c)
{
    if (!c->has)
        return 0;
    return rlb(c, c->lb) >= c->best - 1e-9 * (1 + fabs(c->best));
}

static int gap_reached(const nctx *c)
{
    if (!c->has || c->o->gap_limit <= 0)
        return 0;
    double d = fabs(c->best);
    if (d <= 0)
        return 1;
    return (c->best - rlb(c, c->lb)) / d <= c->o->gap_limit;
}

static int past_deadline(const nctx *c)
{
    return c->o->deadline > 0 && fp_nw_now() > c->o->deadline;
}

/* Accepts a tree if it checks and beats the incumbent. */
static int offer(nctx *c, const unsigned char *tn, const unsigned char *te)
{
    double o;
    if (!fp_nw_eval(c->p, tn, te, &o))
        return 0;
    if (c->has && o >= c->best - 1e-9 * (1 + fabs(o)))
        return 0;
    memcpy(c->bn, tn, (size_t)c->n);
    memcpy(c->be, te, (size_t)c->m);
    c->best = o;
    c->has = 1;
    return 1;
}

static void read_lp(nctx *c, int mip)
{
    for (int a = 0; a < c->na; a++) {
        double v = mip ? glp_mip_col_val(c->P, a + 1) : glp_get_col_prim(c->P, a + 1);
        c->x[a] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    for (int v = 0; v < c->n; v++) {
        double t = mip ? glp_mip_col_val(c->P, c->na + 1 + v)
                       : glp_get_col_prim(c->P, c->na + 1 + v);
        c->y[v] = t < 0 ? 0 : t > 1 ? 1 : t;
    }
}

/* The tree the (integral) LP values describe, offered. */
static int offer_lp(nctx *c)
{
    for (int v = 0; v < c->n; v++)
        c->tn[v] = c->y[v] > 0.5;
    for (int e = 0; e < c->m; e++)
        c->te[e] = c->x[2 * e] + c->x[2 * e + 1] > 0.5;
    return offer(c, c->tn, c->te);
}

/* The incumbent as a column vector (arcs oriented away from the root). */
static int orient(nctx *c)
{
    const fp_nwprob *p = c->p;
    for (int j = 0; j <= c->na + c->n; j++)
        c->xsol[j] = 0;
    int s = p->root;
    if (c->unrooted) {
        s = -1;
        for (int k = 0; k < c->nc && s < 0; k++)
            if (c->bn[c->cand_node[k]])
                s = c->cand_node[k];
        if (s < 0) {
            for (int v = 0; v < c->n; v++)
                if (c->bn[v])
                    return 0; /* a tree without any prize: not representable */
            return 1;         /* the empty tree */
        }
        c->xsol[1 + c->ne + c->cand[s]] = 1;
    }
    int *queue = c->ind;
    memset(c->side, 0, (size_t)c->n + 1);
    int qh = 0, qt = 0;
    queue[qt++] = s;
    c->side[s] = 1;
    while (qh < qt) {
        int v = queue[qh++];
        c->xsol[1 + c->na + v] = 1;
        for (int i = c->as[v]; i < c->as[v + 1]; i++) {
            int e = c->ae[i];
            if (!c->be[e])
                continue;
            int w = oth(p, e, v);
            if (c->side[w])
                continue;
            c->side[w] = 1;
            queue[qt++] = w;
            c->xsol[1 + (p->tail[e] == v ? 2 * e : 2 * e + 1)] = 1;
        }
    }
    return 1;
}

static void add_row(nctx *c, glp_tree *T, int len, int type, double rhs)
{
    /* lazy rows go straight into the (sub)problem: glp_ios_add_row is only
     * allowed for GLP_ICUTGEN, not GLP_IROWGEN */
    glp_prob *P = T ? glp_ios_get_prob(T) : c->P;
    int r = glp_add_rows(P, 1);
    glp_set_mat_row(P, r, len, c->ind, c->val);
    glp_set_row_bnds(P, r, type, type == GLP_UP ? 0.0 : rhs, type == GLP_UP ? rhs : 0.0);
}

/* Separates violated cuts and first-vertex rows for c->x, c->y. RETURNS
 * the number added. */
static int separate(nctx *c, glp_tree *T, int maxcuts)
{
    int added = 0;
    int n = c->n;
    for (int e = 0; e < c->m && LAZY_GSEC; e++) {
        double xe = c->x[2 * e] + c->x[2 * e + 1];
        int ends[2] = {c->p->tail[e], c->p->head[e]};
        for (int k = 0; k < 2; k++) {
            int v = ends[k];
            if (v == c->p->root || xe <= c->y[v] + CUT_EPS)
                continue;
            c->ind[1] = 2 * e + 1;
            c->val[1] = 1.0;
            c->ind[2] = 2 * e + 2;
            c->val[2] = 1.0;
            c->ind[3] = c->na + 1 + v;
            c->val[3] = -1.0;
            add_row(c, T, 3, GLP_UP, 0.0);
            added++;
        }
    }
    for (int k = 0; k < n && added < maxcuts; k++) {
        /* a max flow per target on a large graph: the deadline holds */
        if ((k & 31) == 31 && past_deadline(c))
            break;
        int t = (k + c->rot) % n;
        if (t == c->p->root || c->skip[t] || c->y[t] <= CUT_EPS)
            continue;
        for (int a = 0; a < c->na; a++)
            c->cap[a] = c->x[a] + CREEP;
        for (int nest = 0; nest < MAX_NEST; nest++) {
            double f = fp_maxflow_run(c->mf, c->cap, c->src, t, c->y[t]);
            if (f >= c->y[t] - CUT_EPS)
                break;
            fp_maxflow_sink_side(c->mf, t, c->side);
            int len = 0;
            double sum = 0;
            for (int v = 0; v <= n; v++) {
                if (v == n && !c->unrooted)
                    break;
                if (!c->side[v])
                    continue;
                for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
                    int a = c->in_arc[i];
                    if (c->side[c->atail[a]])
                        continue;
                    c->ind[++len] = a + 1;
                    c->val[len] = 1.0;
                    sum += c->x[a];
                }
            }
            if (sum >= c->y[t] - CUT_EPS)
                break;
            c->ind[++len] = c->na + 1 + t;
            c->val[len] = -1.0;
            add_row(c, T, len, GLP_LO, 0.0);
            added++;
            for (int i = 1; i < len; i++)
                c->cap[c->ind[i] - 1] = 1.0;
        }
    }
    c->rot = (c->rot + 1) % (n > 0 ? n : 1);
    if (c->unrooted) {
        for (int kv = 0; kv < c->nc; kv++) {
            double xr = c->x[c->ne + kv];
            if (xr <= CUT_EPS)
                continue;
            for (int ku = 0; ku < kv && added < maxcuts + 50; ku++) {
                int u = c->cand_node[ku];
                if (xr + c->y[u] <= 1 + CUT_EPS)
                    continue;
                c->ind[1] = c->ne + kv + 1;
                c->val[1] = 1.0;
                c->ind[2] = c->na + 1 + u;
                c->val[2] = 1.0;
                add_row(c, T, 2, GLP_UP, 1.0);
                added++;
            }
        }
    }
    return added;
}

/* LP-guided heuristic: paths on costs scaled by (1 - x), nodes with
 * y >= 0.5 connected first. */
static void lp_heur(nctx *c)
{
    const fp_nwprob *p = c->p;
    for (int e = 0; e < c->m; e++) {
        double xe = c->x[2 * e] + c->x[2 * e + 1];
        if (xe > 1)
            xe = 1;
        c->w[e] = p->cost[e] * (1.0 - xe) + 1e-9 * (1 + p->cost[e]);
    }
    int s = p->root;
    if (c->unrooted) {
        double bx = -1;
        for (int k = 0; k < c->nc; k++)
            if (c->x[c->ne + k] > bx) {
                bx = c->x[c->ne + k];
                s = c->cand_node[k];
            }
    }
    double o;
    int better = 0;
    if (fp_nwh_build(c->h, s, c->w, c->y, c->tn, c->te, &o))
        better |= offer(c, c->tn, c->te);
    if (fp_nwh_build(c->h, s, c->w, NULL, c->tn, c->te, &o))
        better |= offer(c, c->tn, c->te);
    if (better) {
        memcpy(c->tn, c->bn, (size_t)c->n);
        memcpy(c->te, c->be, (size_t)c->m);
        o = c->best;
        if (fp_nwh_improve(c->h, c->tn, c->te, &o, c->n < 500 ? 4L * c->n + 500 : 2500))
            offer(c, c->tn, c->te);
    }
}

static void progress(nctx *c)
{
    double now = fp_nw_now();
    if (now - c->last_log < 0.5)
        return;
    c->last_log = now;
    fp_log_progress(c->o->log, "solve", (double)c->nodes, 0, "bound %.10g incumbent %.10g",
                    rlb(c, c->lb), c->has ? c->best : INFINITY);
}

static void callback(glp_tree *T, void *info)
{
    nctx *c = info;
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = t_cnt;
    int bn = glp_ios_best_node(T);
    if (bn) {
        double b = glp_ios_node_bound(T, bn);
        if (c->has && b > c->best)
            b = c->best;
        if (isfinite(b) && b > c->lb)
            c->lb = b;
    }
    switch (glp_ios_reason(T)) {
    case GLP_IROWGEN:
        read_lp(c, 0);
        separate(c, T, 2 * c->n + 10);
        break;
    case GLP_IHEUR: {
        if (!c->handed && c->has && c->best <= c->o->cutoff && orient(c)) {
            glp_ios_heur_sol(T, c->xsol);
            c->handed = 1;
        }
        int depth = glp_ios_node_level(T, glp_ios_curr_node(T));
        if (depth <= 3 || c->nodes % 16 == 0) {
            read_lp(c, 0);
            double before = c->has ? c->best : INFINITY;
            lp_heur(c);
            if (c->has && c->best < before && c->best <= c->o->cutoff && orient(c))
                glp_ios_heur_sol(T, c->xsol);
        }
        break;
    }
    case GLP_IBINGO:
        read_lp(c, 0);
        offer_lp(c);
        break;
    case GLP_IBRANCH: {
        /* branch on the most fractional node variable: it splits the tree
         * into "v in" / "v out", far stronger than one arc */
        int bj = 0;
        double bd = 1;
        for (int v = 0; v < c->n; v++) {
            int j = c->na + 1 + v;
            if (!glp_ios_can_branch(T, j))
                continue;
            double t = glp_get_col_prim(c->P, j);
            double d = fabs(t - 0.5);
            if (d < bd) {
                bd = d;
                bj = j;
            }
        }
        if (bj)
            glp_ios_branch_upon(T, bj, GLP_UP_BRNCH);
        break;
    }
    default:
        break;
    }
    progress(c);
    if (proved(c) || gap_reached(c) || past_deadline(c))
        glp_ios_terminate(T);
}

static void ctx_free(nctx *c)
{
    fp_maxflow_free(c->mf);
    free(c->atail);
    free(c->ahead);
    free(c->in_start);
    free(c->in_arc);
    free(c->cand);
    free(c->cand_node);
    free(c->x);
    free(c->y);
    free(c->cap);
    free(c->w);
    free(c->xsol);
    free(c->val);
    free(c->ind);
    free(c->side);
    free(c->tn);
    free(c->te);
    free(c->skip);
    free(c);
}

static int build(nctx *c)
{
    const fp_nwprob *p = c->p;
    int n = c->n, m = c->m;
    c->unrooted = p->root < 0;
    c->cand = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    c->cand_node = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    if (!c->cand || !c->cand_node)
        return -1;
    c->nc = 0;
    for (int v = 0; v < n; v++) {
        c->cand[v] = -1;
        if (c->unrooted && p->prize[v] > 0) {
            c->cand[v] = c->nc;
            c->cand_node[c->nc++] = v;
        }
    }
    c->ne = 2 * m;
    c->na = c->ne + c->nc;
    c->src = c->unrooted ? n : p->root;
    int nf = n + (c->unrooted ? 1 : 0);
    size_t aa = c->na > 0 ? (size_t)c->na : 1, nn = (size_t)nf + 1;
    c->atail = malloc(aa * sizeof(int));
    c->ahead = malloc(aa * sizeof(int));
    c->in_start = calloc(nn + 1, sizeof(int));
    c->in_arc = malloc(aa * sizeof(int));
    c->x = calloc(aa, sizeof(double));
    c->y = calloc(nn, sizeof(double));
    c->cap = malloc(aa * sizeof(double));
    c->w = malloc((m > 0 ? (size_t)m : 1) * sizeof(double));
    c->xsol = malloc((aa + nn + 1) * sizeof(double));
    c->val = malloc((aa + nn + 2) * sizeof(double));
    c->ind = malloc((aa + nn + 2) * sizeof(int));
    c->side = calloc(nn, 1);
    c->tn = calloc(nn, 1);
    c->te = calloc(m > 0 ? (size_t)m : 1, 1);
    c->skip = calloc(nn, 1);
    if (!c->atail || !c->ahead || !c->in_start || !c->in_arc || !c->x || !c->y || !c->cap ||
        !c->w || !c->xsol || !c->val || !c->ind || !c->side || !c->tn || !c->te || !c->skip)
        return -1;
    for (int e = 0; e < m; e++) {
        c->atail[2 * e] = p->tail[e];
        c->ahead[2 * e] = p->head[e];
        c->atail[2 * e + 1] = p->head[e];
        c->ahead[2 * e + 1] = p->tail[e];
    }
    for (int k = 0; k < c->nc; k++) {
        c->atail[c->ne + k] = n;
        c->ahead[c->ne + k] = c->cand_node[k];
    }
    for (int a = 0; a < c->na; a++)
        c->in_start[c->ahead[a] + 1]++;
    for (int v = 0; v < nf; v++)
        c->in_start[v + 1] += c->in_start[v];
    int *pos = malloc(nn * sizeof *pos);
    if (!pos)
        return -1;
    memcpy(pos, c->in_start, (size_t)nf * sizeof *pos);
    for (int a = 0; a < c->na; a++)
        c->in_arc[pos[c->ahead[a]]++] = a;
    free(pos);
    /* a leaf's cuts follow from its neighbour's (in-degree + GSEC) */
    for (int v = 0; v < n; v++) {
        if (c->as[v + 1] - c->as[v] != 1)
            continue;
        int u = oth(p, c->ae[c->as[v]], v);
        if (u == p->root || c->as[u + 1] - c->as[u] >= 2)
            c->skip[v] = 1;
    }
    c->mf = fp_maxflow_create(nf, c->na, c->atail, c->ahead);
    return c->mf ? 0 : -1;
}

static void model(nctx *c)
{
    const fp_nwprob *p = c->p;
    glp_prob *P = c->P;
    int n = c->n, na = c->na;
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, na + n);
    double konst = 0;
    for (int a = 0; a < na; a++) {
        glp_set_col_kind(P, a + 1, GLP_BV);
        double cf = 0;
        if (a < c->ne && p->mode != FP_NW_BUDGET)
            cf = p->cost[a / 2];
        glp_set_obj_coef(P, a + 1, cf);
        if (c->ahead[a] == p->root)
            glp_set_col_bnds(P, a + 1, GLP_FX, 0.0, 0.0);
    }
    for (int v = 0; v < n; v++) {
        int j = na + 1 + v;
        glp_set_col_kind(P, j, GLP_BV);
        double k = p->ncost ? p->ncost[v] : 0.0, cf;
        if (p->mode == FP_NW_PC) {
            cf = k - p->prize[v];
            konst += p->prize[v];
        } else if (p->mode == FP_NW_BUDGET) {
            cf = -p->prize[v];
        } else {
            cf = k;
        }
        glp_set_obj_coef(P, j, cf);
        if (v == p->root)
            glp_set_col_bnds(P, j, GLP_FX, 1.0, 1.0);
    }
    glp_set_obj_coef(P, 0, konst);
    int *ind = c->ind;
    double *val = c->val;
    for (int v = 0; v < n; v++) {
        if (v == p->root)
            continue;
        /* in-degree = y_v */
        int len = 0;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            ind[++len] = c->in_arc[i] + 1;
            val[len] = 1.0;
        }
        ind[++len] = na + 1 + v;
        val[len] = -1.0;
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, len, ind, val);
        glp_set_row_bnds(P, r, GLP_FX, 0.0, 0.0);
        /* no Steiner leaf: y_v <= x(delta+(v)) */
        int isfree = p->prize[v] == 0 && (!p->group || p->group[v] < 0);
        if (isfree) {
            len = 0;
            for (int i = c->as[v]; i < c->as[v + 1]; i++) {
                int e = c->ae[i];
                ind[++len] = (p->tail[e] == v ? 2 * e : 2 * e + 1) + 1;
                val[len] = 1.0;
            }
            ind[++len] = na + 1 + v;
            val[len] = -1.0;
            r = glp_add_rows(P, 1);
            glp_set_mat_row(P, r, len, ind, val);
            glp_set_row_bnds(P, r, GLP_LO, 0.0, 0.0);
        }
    }
    /* GSEC of size 2 at each non-root end (lazy when LAZY_GSEC) */
    for (int e = 0; e < c->m && !LAZY_GSEC; e++) {
        int ends[2] = {p->tail[e], p->head[e]};
        for (int k = 0; k < 2; k++) {
            int v = ends[k];
            if (v == p->root)
                continue;
            ind[1] = 2 * e + 1;
            val[1] = 1.0;
            ind[2] = 2 * e + 2;
            val[2] = 1.0;
            ind[3] = na + 1 + v;
            val[3] = -1.0;
            int r = glp_add_rows(P, 1);
            glp_set_mat_row(P, r, 3, ind, val);
            glp_set_row_bnds(P, r, GLP_UP, 0.0, 0.0);
        }
    }
    if (c->unrooted && c->nc > 0) {
        int len = 0;
        for (int k = 0; k < c->nc; k++) {
            ind[++len] = c->ne + k + 1;
            val[len] = 1.0;
        }
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, len, ind, val);
        glp_set_row_bnds(P, r, GLP_UP, 0.0, 1.0);
    }
    if (p->group) {
        int ng = 0;
        for (int v = 0; v < n; v++)
            if (p->group[v] >= ng)
                ng = p->group[v] + 1;
        int *first = malloc(((size_t)ng + 1) * sizeof *first);
        if (first) {
            for (int g = 0; g < ng; g++)
                first[g] = -1;
            for (int v = 0; v < n; v++) {
                int g = p->group[v];
                if (g < 0)
                    continue;
                if (first[g] < 0) {
                    first[g] = v;
                    continue;
                }
                ind[1] = na + 1 + v;
                val[1] = 1.0;
                ind[2] = na + 1 + first[g];
                val[2] = -1.0;
                int r = glp_add_rows(P, 1);
                glp_set_mat_row(P, r, 2, ind, val);
                glp_set_row_bnds(P, r, GLP_FX, 0.0, 0.0);
            }
            free(first);
        }
    }
    if (p->mode == FP_NW_BUDGET) {
        int len = 0;
        for (int a = 0; a < c->ne; a++)
            if (p->cost[a / 2] != 0) {
                ind[++len] = a + 1;
                val[len] = p->cost[a / 2];
            }
        for (int v = 0; v < n; v++)
            if (p->ncost && p->ncost[v] != 0) {
                ind[++len] = na + 1 + v;
                val[len] = p->ncost[v];
            }
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, len, ind, val);
        glp_set_row_bnds(P, r, GLP_UP, 0.0, p->limit);
        if (isfinite(c->o->cutoff)) {
            len = 0;
            for (int v = 0; v < n; v++)
                if (p->prize[v] != 0) {
                    ind[++len] = na + 1 + v;
                    val[len] = p->prize[v];
                }
            r = glp_add_rows(P, 1);
            glp_set_mat_row(P, r, len, ind, val);
            glp_set_row_bnds(P, r, GLP_LO, -c->o->cutoff, 0.0);
        }
    } else if (p->mode == FP_NW_QUOTA) {
        int len = 0;
        for (int v = 0; v < n; v++)
            if (p->prize[v] != 0) {
                ind[++len] = na + 1 + v;
                val[len] = p->prize[v];
            }
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, len, ind, val);
        glp_set_row_bnds(P, r, GLP_LO, p->limit, 0.0);
    }
}

/* Root cut loop: cut rows that are slack (basic) leave the LP, which
 * keeps GLPK's dual simplex fast; they come back if violated again. */
static void drop_slack_rows(nctx *c, int base_rows)
{
    int nr = glp_get_num_rows(c->P), k = 0;
    for (int i = base_rows + 1; i <= nr; i++) {
        if (glp_get_row_stat(c->P, i) != GLP_BS)
            continue;
        double a = glp_get_row_prim(c->P, i), lb = glp_get_row_lb(c->P, i);
        int t = glp_get_row_type(c->P, i);
        double slack = t == GLP_LO ? a - lb : glp_get_row_ub(c->P, i) - a;
        if (slack > 1e-6)
            c->ind[++k] = i;
    }
    if (k > 0)
        glp_del_rows(c->P, k, c->ind);
}

static int remaining_ms(const nctx *c)
{
    if (c->o->deadline <= 0)
        return INT32_MAX;
    double r = (c->o->deadline - fp_nw_now()) * 1000;
    if (r < 1)
        return 1;
    if (r > 2e9)
        return INT32_MAX;
    return (int)r;
}

static int integral_obj(const fp_nwprob *p)
{
    for (int v = 0; v < p->n; v++) {
        if (p->prize[v] != floor(p->prize[v]) || p->prize[v] > 1e12)
            return 0;
        if (p->mode != FP_NW_BUDGET && p->ncost && p->ncost[v] != floor(p->ncost[v]))
            return 0;
    }
    if (p->mode != FP_NW_BUDGET)
        for (int e = 0; e < p->m; e++)
            if (p->cost[e] != floor(p->cost[e]) || p->cost[e] > 1e12)
                return 0;
    return 1;
}

int fp_nw_ilp(const fp_nwprob *p, const int *adj_start, const int *adj_edge,
              const fp_nwopts *o, fp_nwh *h, unsigned char *node_in,
              unsigned char *edge_in, fp_nwres *res, fp_error *err)
{
    double t_in = fp_nw_now();
    nctx *c = calloc(1, sizeof *c);
    if (!c)
        return fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
    c->p = p;
    c->as = adj_start;
    c->ae = adj_edge;
    c->o = o;
    c->h = h;
    c->n = p->n;
    c->m = p->m;
    c->bn = node_in;
    c->be = edge_in;
    c->has = res->has_sol;
    c->best = res->has_sol ? res->obj : INFINITY;
    c->lb = isfinite(o->bound_hint) ? o->bound_hint : -INFINITY;
    c->integral = integral_obj(p);
    res->optimal = res->infeasible = 0;
    if (build(c)) {
        ctx_free(c);
        return fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
    }
    if (setjmp(c->jb)) {
        glp_free_env();
        res->has_sol = c->has;
        res->obj = c->best;
        res->bound = c->lb;
        ctx_free(c);
        return fp_error_set(err, FP_EGLPK, "GLPK failed (internal error caught)");
    }
    glp_error_hook(ehook, c);
    glp_term_hook(fp_glpk_term_hook, (void *)o->log);
    c->P = glp_create_prob();
    model(c);
    int base_rows = glp_get_num_rows(c->P);
    double t_start = fp_nw_now();
    fp_log_msg(o->log, FP_LOG_DEBUG, "ilp: model of %d rows in %.3f s", base_rows,
               t_start - t_in);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP;
    int done = 0, lp_infeasible = 0;
    double hist[8] = {0};
    for (int round = 0; !proved(c); round++) {
        sp.tm_lim = remaining_ms(c);
        int r = glp_simplex(c->P, &sp);
        int st = glp_get_status(c->P);
        if (r == 0 && (st == GLP_NOFEAS || st == GLP_INFEAS) &&
            glp_get_prim_stat(c->P) == GLP_NOFEAS) {
            lp_infeasible = 1;
            break;
        }
        if (r != 0 || st != GLP_OPT)
            break;
        double obj = glp_get_obj_val(c->P);
        if (isfinite(obj) && obj > c->lb)
            c->lb = obj;
        read_lp(c, 0);
        fp_log_progress(o->log, "solve", round, 0, "root LP bound %.10g incumbent %.10g",
                        rlb(c, c->lb), c->has ? c->best : INFINITY);
        if (proved(c) || past_deadline(c))
            break;
        if (round % DROP_EVERY == DROP_EVERY - 1)
            drop_slack_rows(c, base_rows);
        int k = separate(c, NULL, INT32_MAX / 4);
        fp_log_msg(o->log, FP_LOG_DEBUG, "root round %d: LP %.10g, %d cuts", round, obj, k);
        /* tailing off: the bound moved less than 0.01 % in 8 rounds, so
         * branching pays more than more rounds of cuts */
        if (k > 0 && round >= 8 && obj - hist[round % 8] < 1e-4 * (1 + fabs(obj))) {
            lp_heur(c);
            break;
        }
        hist[round % 8] = obj;
        if (k == 0) {
            int integral = 1;
            for (int v = 0; v < c->n && integral; v++)
                if (c->y[v] > 1e-6 && c->y[v] < 1 - 1e-6)
                    integral = 0;
            for (int a = 0; a < c->na && integral; a++)
                if (c->x[a] > 1e-6 && c->x[a] < 1 - 1e-6)
                    integral = 0;
            if (integral && offer_lp(c))
                done = 1;
            else if (integral && c->has && c->best <= obj + 1e-9 * (1 + fabs(obj)))
                done = 1;
            if (!done)
                lp_heur(c);
            break;
        }
        /* every fifth round, and every round once the bound is within 2 % of
         * the incumbent: then a better tree is what ends the search */
        if (round % 5 == 0 || (c->has && c->best - obj <= 0.02 * (1 + fabs(c->best))))
            lp_heur(c);
    }
    fp_log_msg(o->log, FP_LOG_DEBUG, "root: %d rows, bound %.10g, incumbent %.10g, %.3f s",
               glp_get_num_rows(c->P), rlb(c, c->lb), c->has ? c->best : INFINITY,
               fp_nw_now() - t_start);
    if (done && c->has)
        c->lb = c->best;
    if (lp_infeasible) {
        res->infeasible = !c->has;
        c->lb = c->has ? c->best : INFINITY;
    } else if (!proved(c) && !done && !gap_reached(c) && !past_deadline(c) && !o->root_only) {
        /* branching: every GSEC row in (the root loop had them lazily) */
        if (LAZY_GSEC)
            for (int e = 0; e < c->m; e++) {
                int ends[2] = {p->tail[e], p->head[e]};
                for (int k = 0; k < 2; k++) {
                    if (ends[k] == p->root)
                        continue;
                    c->ind[1] = 2 * e + 1;
                    c->val[1] = 1.0;
                    c->ind[2] = 2 * e + 2;
                    c->val[2] = 1.0;
                    c->ind[3] = c->na + 1 + ends[k];
                    c->val[3] = -1.0;
                    add_row(c, NULL, 3, GLP_UP, 0.0);
                }
            }
        glp_iocp ip;
        glp_init_iocp(&ip);
        ip.msg_lev = GLP_MSG_OFF;
        ip.presolve = GLP_OFF;
        ip.sr_heur = GLP_OFF;
        ip.fp_heur = GLP_OFF;
        ip.ps_heur = GLP_OFF;
        ip.gmi_cuts = ip.mir_cuts = ip.cov_cuts = ip.clq_cuts = GLP_OFF;
        ip.br_tech = GLP_BR_DTH;
        ip.bt_tech = GLP_BT_BLB;
        ip.tm_lim = remaining_ms(c);
        ip.mip_gap = o->gap_limit > 0 ? o->gap_limit : 0;
        ip.cb_func = callback;
        ip.cb_info = c;
        double t_bb = fp_nw_now();
        int r = glp_intopt(c->P, &ip);
        int st = glp_mip_status(c->P);
        fp_log_msg(o->log, FP_LOG_DEBUG, "ilp: branching %.3f s (%.3f s given)",
                   fp_nw_now() - t_bb, ip.tm_lim / 1000.0);
        if (st == GLP_OPT || st == GLP_FEAS) {
            read_lp(c, 1);
            offer_lp(c);
        }
        if (r == 0 && st == GLP_OPT) {
            double mo = glp_mip_obj_val(c->P);
            if (isfinite(mo) && mo > c->lb)
                c->lb = mo;
        } else if (r == 0 && st == GLP_NOFEAS && !c->has) {
            res->infeasible = 1;
            c->lb = INFINITY;
        } else if (r == 0 && st == GLP_NOFEAS && isfinite(o->cutoff)) {
            /* no tree reaches the cutoff: nothing wanted beats the
             * incumbent (the bound holds for wanted trees only) */
            c->lb = c->best;
        }
    }
    if (c->has && c->lb > c->best)
        c->lb = c->best;
    res->optimal = proved(c);
    if (res->optimal)
        c->lb = c->best;
    res->has_sol = c->has;
    res->obj = c->best;
    res->bound = c->has || res->infeasible ? rlb(c, c->lb) : c->lb;
    if (c->has && res->bound > c->best)
        res->bound = c->best;
    res->bb_nodes = c->nodes;
    glp_delete_prob(c->P);
    c->P = NULL;
    fp_log_msg(o->log, FP_LOG_DEBUG, "ilp: %.3f s in all", fp_nw_now() - t_in);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    ctx_free(c);
    return FP_OK;
}
