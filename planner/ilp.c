/* ilp: GLPK branch-and-cut on the directed cut formulation of the SPG. */
#include "ilp.h"
#include "glpkutil.h"

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heur.h"
#include "maxflow.h"

#define CUT_EPS 1e-6   /* a cut is violated if x(delta-(S)) < 1 - CUT_EPS */
#define MAX_NEST 5     /* nested cuts per terminal and round */
#define CREEP 1e-7     /* added to capacities: prefer cuts with few arcs */
#define CREEP_DEG 6.0  /* creep only below this average degree */
/* Separation rounds at a branch-and-bound node before it branches: LP
 * re-solves after a round of cuts are highly degenerate (hundreds of
 * dual simplex pivots on I080/PACE), so branching sooner closes more of
 * the gap in the same time (i080-241 in 10 s: bound 3515 with 6 rounds,
 * 3520 with 2). */
#define NODE_ROUNDS 2

double fp_ilp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct ictx {
    jmp_buf jb;
    const fp_cgraph *g;
    const fp_ilp_opts *o;
    int root, na;
    int *atail, *ahead;       /* [na] arc a: edge a/2, a even = tail->head */
    int *in_start, *in_arc;   /* in-arcs of each node (CSR) */
    glp_prob *P;
    fp_maxflow *mf;
    fp_heur *heur;
    double *x, *cap, *capx, *w, *xsol, *val;
    int *ind;
    unsigned char *side, *tmp, *covered;
    unsigned char *fixed0;    /* [na] arc fixed at 0 by reduced costs */
    int *ycol;                /* [n] column of y_v (in-degree), 0 if none */
    int *yrow;                /* [n] in-degree row of a Steiner vertex, or 0 */
    unsigned char *best;      /* [m] incumbent, owned by the caller */
    double best_cost, lb;
    int handed, stop_proved, rot;
    int last_node, node_rounds, base_rows;
    int front; /* add front cuts (closest to the root) too */
    int lazy; /* flow-balance and 2-cycle rows added only when violated */
    int creep; /* creep flow in the separation (sparse graphs) */
    long long nodes;
    double last_log;
    int n_fixed; /* arcs fixed at 0 by reduced costs */
} ictx;

static void ehook(void *info)
{
    ictx *c = info;
    longjmp(c->jb, 1);
}

/* A lower bound can be rounded up when every cost is integral. */
static double round_lb(const ictx *c, double b)
{
    if (c->o->integral)
        return ceil(b - 1e-6);
    return b;
}

/* The value to beat: our incumbent or the caller's cutoff. */
static double upper(const ictx *c)
{
    double u = c->best_cost;
    if (c->o->cutoff >= 0 && (u < 0 || c->o->cutoff < u))
        u = c->o->cutoff;
    return u;
}

static int proved(const ictx *c)
{
    double u = upper(c);
    if (u < 0)
        return 0;
    double tol = 1e-7 * (1 + fabs(u));
    return round_lb(c, c->lb) >= u - tol;
}

static int gap_reached(const ictx *c)
{
    if (upper(c) < 0 || c->o->gap_limit <= 0)
        return 0;
    double tot = upper(c) + c->o->offset, lbt = round_lb(c, c->lb) + c->o->offset;
    return tot <= 0 || (tot - lbt) / tot <= c->o->gap_limit;
}

/* Turns arc values into a tree in c->tmp (cleaned by MST-prune). RETURNS
 * its cost, or -1 if the arcs do not span the terminals. */
static double extract(ictx *c, const double *xa)
{
    const fp_cgraph *g = c->g;
    for (int e = 0; e < g->m; e++)
        c->tmp[e] = xa[2 * e] + xa[2 * e + 1] > 0.5;
    double cost;
    if (!fp_heur_check(g, c->tmp, &cost)) {
        /* may hold stray zero-cost cycles: clean and re-check */
        fp_heur_improve(c->heur, c->tmp, 1);
        if (!fp_heur_check(g, c->tmp, &cost))
            return -1;
    }
    return cost;
}

static void offer(ictx *c, const unsigned char *s, double cost)
{
    double chk;
    if (!fp_heur_check(c->g, s, &chk))
        return; /* never accept anything but a tree spanning the terminals */
    if (c->best_cost < 0 || chk < c->best_cost - 1e-9 * (1 + fabs(chk))) {
        memcpy(c->best, s, (size_t)c->g->m);
        c->best_cost = chk;
    }
    (void)cost;
}

/* Arc vector of tree s oriented away from the root, into c->xsol[1..na]. */
static void orient(ictx *c, const unsigned char *s)
{
    const fp_cgraph *g = c->g;
    int *queue = c->ind; /* free scratch of size na+1 >= n */
    memset(c->side, 0, (size_t)g->n);
    int ncol = glp_get_num_cols(c->P);
    for (int j = 0; j <= ncol; j++)
        c->xsol[j] = 0;
    int qh = 0, qt = 0;
    queue[qt++] = c->root;
    c->side[c->root] = 1;
    while (qh < qt) {
        int v = queue[qh++];
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            if (!s[e])
                continue;
            int w = g->tail[e] == v ? g->head[e] : g->tail[e];
            if (c->side[w])
                continue;
            c->side[w] = 1;
            queue[qt++] = w;
            c->xsol[1 + (g->tail[e] == v ? 2 * e : 2 * e + 1)] = 1;
            if (c->ycol[w])
                c->xsol[c->ycol[w]] = 1;
        }
    }
}

/* Adds the cut x(delta-(W)) >= 1 for the sink set W (side[v] = 1) if it
 * is violated, and raises its arcs' capacities to 1 for nested cuts.
 * RETURNS 1 if added. */
static int add_cut(ictx *c, const unsigned char *side)
{
    const fp_cgraph *g = c->g;
    int len = 0;
    double sum = 0;
    for (int v = 0; v < g->n; v++) {
        if (!side[v])
            continue;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            int a = c->in_arc[i];
            /* an arc fixed at 0 adds nothing to the row */
            if (side[c->atail[a]] || c->fixed0[a])
                continue;
            c->ind[++len] = a + 1;
            c->val[len] = 1.0;
            sum += c->x[a];
        }
    }
    if (len == 0 && c->n_fixed > 0) {
        /* every arc into W (a terminal, not the root) is fixed at 0: every
         * tree uses an arc that rules it out of beating the value to beat
         * when it was fixed (>= the present one, a real tree's cost) */
        if (upper(c) >= 0 && upper(c) > c->lb)
            c->lb = upper(c);
        return 0;
    }
    if (len == 0 || sum >= 1 - CUT_EPS)
        return 0;
    int r = glp_add_rows(c->P, 1);
    glp_set_mat_row(c->P, r, len, c->ind, c->val);
    glp_set_row_bnds(c->P, r, GLP_LO, 1.0, 0.0);
    for (int i = 1; i <= len; i++)
        c->cap[c->ind[i] - 1] = 1.0;
    return 1;
}

/* Separates violated cuts for the LP values in c->x; adds them to the
 * problem (T == NULL) or to the node (T != NULL). RETURNS the count. */
static int separate_impl(ictx *c, int maxcuts);
static int separate(ictx *c, glp_tree *T, int maxcuts)
{
    (void)T;
    return separate_impl(c, maxcuts);
}
static int separate_impl(ictx *c, int maxcuts)
{
    const fp_cgraph *g = c->g;
    int added = 0, nt = 0;
    memset(c->covered, 0, (size_t)g->n);
    if (c->lazy) {
        /* in-flow of each non-terminal */
        double *in = c->cap;
        for (int v = 0; v < g->n; v++)
            in[v] = 0;
        for (int a = 0; a < c->na; a++)
            in[c->ahead[a]] += c->x[a];
        for (int a = 0; a < c->na; a++) {
            int v = c->atail[a];
            if (g->term[v] || c->x[a] <= in[v] + 1e-6)
                continue;
            int len = 0;
            for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
                c->ind[++len] = c->in_arc[i] + 1;
                c->val[len] = 1.0;
            }
            c->ind[++len] = a + 1;
            c->val[len] = -1.0;
            int r = glp_add_rows(c->P, 1);
            glp_set_mat_row(c->P, r, len, c->ind, c->val);
            glp_set_row_bnds(c->P, r, GLP_LO, 0.0, 0.0);
            added++;
        }
        for (int e = 0; e < g->m; e++) {
            if (c->x[2 * e] + c->x[2 * e + 1] <= 1 + 1e-6)
                continue;
            int ind[3] = {0, 2 * e + 1, 2 * e + 2};
            double val[3] = {0, 1, 1};
            int r = glp_add_rows(c->P, 1);
            glp_set_mat_row(c->P, r, 2, ind, val);
            glp_set_row_bnds(c->P, r, GLP_UP, 0.0, 1.0);
            added++;
        }
    }
    for (int a = 0; a < c->na; a++)
        c->capx[a] = c->x[a] > 1e-9 && !c->fixed0[a] ? c->x[a] : 0;
    for (int k = 0; k < g->n && added < maxcuts; k++) {
        int t = (k + c->rot) % g->n;
        if (!g->term[t] || t == c->root || c->covered[t])
            continue;
        nt++;
        /* max flow on the LP values; below 1, the minimal sink side of
         * the cut is added, its arcs raised to 1 and the flow resumed for
         * the next (nested) cut further from t. On sparse graphs a creep
         * capacity on every arc first makes the cuts prefer few arcs (a
         * leaner LP); on dense ones (SteinLib C, D) the creep flow costs
         * more time than the LP saves. */
        memcpy(c->cap, c->capx, (size_t)c->na * sizeof *c->cap);
        double f = fp_maxflow_run(c->mf, c->cap, c->root, t, 1.0);
        if (f >= 1 - CUT_EPS)
            continue;
        if (c->creep) {
            for (int a = 0; a < c->na; a++)
                c->cap[a] += c->fixed0[a] ? 0 : CREEP;
            f = fp_maxflow_rerun(c->mf, c->cap, c->root, t, 1.0);
        }
        for (int nest = 0; nest < MAX_NEST && f < 1 - CUT_EPS; nest++) {
            fp_maxflow_sink_side(c->mf, t, c->side);
            int got = add_cut(c, c->side);
            if (c->front) {
                /* also the cut closest to the root */
                fp_maxflow_source_side(c->mf, c->root, c->side);
                for (int v = 0; v < g->n; v++)
                    c->side[v] = !c->side[v];
                got += add_cut(c, c->side);
            }
            if (!got)
                break;
            added += got;
            /* capacities only rose since the last run: resume its flow */
            f = fp_maxflow_rerun(c->mf, c->cap, c->root, t, 1.0);
        }
    }
    c->rot = (c->rot + 1) % (g->n > 0 ? g->n : 1);
    return added;
}

static void read_x(ictx *c)
{
    for (int a = 0; a < c->na; a++) {
        double v = glp_get_col_prim(c->P, a + 1);
        c->x[a] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
}

/* LP-guided heuristic: SPH on costs scaled by (1 - x). */
static void lp_heur(ictx *c)
{
    const fp_cgraph *g = c->g;
    for (int e = 0; e < g->m; e++) {
        double xe = c->x[2 * e] + c->x[2 * e + 1];
        if (xe > 1)
            xe = 1;
        c->w[e] = g->cost[e] * (1.0 - xe) + 1e-9;
    }
    double cst = fp_heur_sph(c->heur, c->root, c->w, c->tmp);
    if (cst < 0)
        return;
    cst = fp_heur_improve(c->heur, c->tmp, 200 + g->n);
    offer(c, c->tmp, cst);
}

static void progress(ictx *c, glp_tree *T)
{
    double now = fp_ilp_now();
    if (now - c->last_log < 0.5)
        return;
    c->last_log = now;
    double inc = c->best_cost + c->o->offset, b = round_lb(c, c->lb) + c->o->offset;
    fp_log_progress(c->o->log, "solve", (double)c->nodes, 0,
                    "bound %.10g incumbent %.10g gap %.3f%%", b, inc,
                    inc > 0 ? 100 * (inc - b) / inc : 0.0);
    fp_log_msg(c->o->log, FP_LOG_DEBUG, "b&c: %lld nodes, bound %.10g, incumbent %.10g", c->nodes,
               b, inc);
    (void)T;
}

static void callback(glp_tree *T, void *info)
{
    ictx *c = info;
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = t_cnt;
    int p = glp_ios_best_node(T);
    if (p) {
        double b = glp_ios_node_bound(T, p);
        if (upper(c) >= 0 && b > upper(c))
            b = upper(c);
        if (isfinite(b) && b > c->lb)
            c->lb = b;
    }
    switch (glp_ios_reason(T)) {
    case GLP_IROWGEN: {
        /* always separate, even on nodes about to be pruned: an integral
         * node solution GLPK takes as incumbent must be a real tree */
        read_x(c);
        /* GLPK 5 takes lazy rows in IROWGEN as plain rows of the
         * subproblem (glp_ios_add_row is for GLP_ICUTGEN only) */
        int cur = glp_ios_curr_node(T);
        if (cur != c->last_node) {
            c->last_node = cur;
            c->node_rounds = 0;
        }
        if (++c->node_rounds > NODE_ROUNDS) {
            /* tailing off at this node: branch, unless the solution is
             * integral (then it must be checked: it may become incumbent) */
            int frac = 0;
            for (int a = 0; a < c->na && !frac; a++)
                frac = c->x[a] > 1e-6 && c->x[a] < 1 - 1e-6;
            if (frac)
                break;
        }
        {
            int k = separate(c, NULL, 4 * c->g->n_terms + 10);
            fp_log_msg(c->o->log, FP_LOG_DEBUG, "rowgen node %d round %d: %d rows added, %d rows, t %.3f",
                       cur, c->node_rounds, k, glp_get_num_rows(c->P), fp_ilp_now());
        }
        break;
    }
    case GLP_IBRANCH: {
        /* vertex branching: the most fractional in-degree y_v; ties to
         * the larger value (a vertex the LP likes). Arcs only if every
         * y_v is integral (GLPK's own choice then). */
        int bj = 0;
        double bs = 1e-6, bval = 0;
        for (int v = 0; v < c->g->n; v++) {
            int j = c->ycol[v];
            if (!j || !glp_ios_can_branch(T, j))
                continue;
            double y = glp_get_col_prim(c->P, j);
            double sc = y < 1 - y ? y : 1 - y;
            if (sc > bs + 1e-9 || (sc > bs - 1e-9 && y > bval)) {
                bs = sc;
                bval = y;
                bj = j;
            }
        }
        if (bj)
            glp_ios_branch_upon(T, bj, GLP_NO_BRNCH);
        break;
    }
    case GLP_IHEUR:
        if (!c->handed && c->best_cost >= 0) {
            orient(c, c->best);
            glp_ios_heur_sol(T, c->xsol);
            c->handed = 1;
        }
        read_x(c);
        {
            double before = c->best_cost;
            lp_heur(c);
            if (c->best_cost >= 0 && c->best_cost < before) {
                orient(c, c->best);
                glp_ios_heur_sol(T, c->xsol);
            }
        }
        break;
    case GLP_IBINGO: {
        read_x(c);
        double cst = extract(c, c->x);
        if (cst >= 0)
            offer(c, c->tmp, cst);
        break;
    }
    default:
        break;
    }
    progress(c, T);
    if (proved(c)) {
        c->stop_proved = 1;
        glp_ios_terminate(T);
    } else if (gap_reached(c) ||
               (c->o->deadline > 0 && fp_ilp_now() > c->o->deadline)) {
        glp_ios_terminate(T);
    }
}

static void ctx_free(ictx *c)
{
    fp_maxflow_free(c->mf);
    fp_heur_free(c->heur);
    free(c->atail);
    free(c->ahead);
    free(c->in_start);
    free(c->in_arc);
    free(c->x);
    free(c->cap);
    free(c->capx);
    free(c->w);
    free(c->xsol);
    free(c->val);
    free(c->ind);
    free(c->side);
    free(c->covered);
    free(c->fixed0);
    free(c->ycol);
    free(c->yrow);
    free(c->tmp);
    free(c);
}

static int build(ictx *c)
{
    const fp_cgraph *g = c->g;
    int n = g->n, na = 2 * g->m;
    size_t nn = n > 0 ? (size_t)n : 1, aa = na > 0 ? (size_t)na : 1;
    c->na = na;
    c->atail = malloc(aa * sizeof(int));
    c->ahead = malloc(aa * sizeof(int));
    c->in_start = calloc(nn + 1, sizeof(int));
    c->in_arc = malloc(aa * sizeof(int));
    c->x = calloc(aa, sizeof(double));
    c->cap = malloc(aa * sizeof(double));
    c->capx = malloc(aa * sizeof(double));
    c->w = malloc((g->m > 0 ? (size_t)g->m : 1) * sizeof(double));
    c->xsol = malloc((aa + nn + 1) * sizeof(double));
    c->val = malloc((aa + nn + 1) * sizeof(double));
    c->ind = malloc((aa + nn + 1) * sizeof(int));
    c->side = calloc(nn, 1);
    c->covered = calloc(nn, 1);
    c->fixed0 = calloc(aa, 1);
    c->ycol = calloc(nn, sizeof(int));
    c->yrow = calloc(nn, sizeof(int));
    c->tmp = calloc(g->m > 0 ? (size_t)g->m : 1, 1);
    if (!c->atail || !c->ahead || !c->in_start || !c->in_arc || !c->x || !c->cap || !c->capx || !c->w ||
        !c->xsol || !c->val || !c->ind || !c->side || !c->tmp || !c->covered ||
        !c->fixed0 || !c->ycol || !c->yrow)
        return -1;
    for (int e = 0; e < g->m; e++) {
        c->atail[2 * e] = g->tail[e];
        c->ahead[2 * e] = g->head[e];
        c->atail[2 * e + 1] = g->head[e];
        c->ahead[2 * e + 1] = g->tail[e];
    }
    for (int a = 0; a < na; a++)
        c->in_start[c->ahead[a] + 1]++;
    for (int v = 0; v < n; v++)
        c->in_start[v + 1] += c->in_start[v];
    int *pos = malloc(nn * sizeof *pos);
    if (!pos)
        return -1;
    memcpy(pos, c->in_start, nn * sizeof *pos);
    for (int a = 0; a < na; a++)
        c->in_arc[pos[c->ahead[a]]++] = a;
    free(pos);
    c->mf = fp_maxflow_create(n, na, c->atail, c->ahead);
    c->heur = fp_heur_create(g);
    if (c->heur)
        fp_heur_set_deadline(c->heur, c->o->deadline);
    if (!c->mf || !c->heur)
        return -1;
    return 0;
}

/* The model: columns x_a, in-degree rows, flow balance, edge rows. */
static void model(ictx *c)
{
    const fp_cgraph *g = c->g;
    glp_prob *P = c->P;
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, c->na);
    for (int a = 0; a < c->na; a++) {
        glp_set_col_kind(P, a + 1, GLP_BV);
        glp_set_obj_coef(P, a + 1, g->cost[a / 2]);
        if (c->ahead[a] == c->root)
            glp_set_col_bnds(P, a + 1, GLP_FX, 0.0, 0.0);
    }
    for (int v = 0; v < g->n; v++) {
        if (v == c->root)
            continue;
        int len = 0;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            c->ind[++len] = c->in_arc[i] + 1;
            c->val[len] = 1.0;
        }
        if (len == 0)
            continue;
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, len, c->ind, c->val);
        if (g->term[v]) {
            glp_set_row_bnds(P, r, GLP_FX, 1.0, 1.0);
        } else {
            /* y_v columns come before the branch-and-bound (add_ycols) */
            glp_set_row_bnds(P, r, GLP_UP, 0.0, 1.0);
            c->yrow[v] = r;
        }
        if (g->term[v] || c->lazy)
            continue;
        /* flow balance: an arc leaves v only if one enters it */
        for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
            int e = g->adj_edge[i];
            int out = g->tail[e] == v ? 2 * e : 2 * e + 1;
            int l2 = len;
            c->ind[++l2] = out + 1;
            c->val[l2] = -1.0;
            int r2 = glp_add_rows(P, 1);
            glp_set_mat_row(P, r2, l2, c->ind, c->val);
            glp_set_row_bnds(P, r2, GLP_LO, 0.0, 0.0);
        }
    }
    for (int e = 0; e < g->m && !c->lazy; e++) {
        if (g->tail[e] == c->root || g->head[e] == c->root)
            continue;
        int ind[3] = {0, 2 * e + 1, 2 * e + 2};
        double val[3] = {0, 1, 1};
        int r = glp_add_rows(P, 1);
        glp_set_mat_row(P, r, 2, ind, val);
        glp_set_row_bnds(P, r, GLP_UP, 0.0, 1.0);
    }
}

/* Reduced-cost fixing against the value to beat: an arc whose LP reduced
 * cost lifts the bound of every solution using it to the incumbent's cost
 * or above cannot be in a better tree, so it is fixed at 0 for the rest of
 * the search (including the branch-and-bound). Valid for any LP with the
 * rows we add, since only the column's own reduced cost is used.
 * RETURNS the number of arcs newly fixed. */
static int rc_fix(ictx *c, double obj)
{
    double u = upper(c);
    if (u < 0 || !isfinite(obj))
        return 0;
    /* a solution using arc a costs at least obj + d_a; with integral costs
     * it must cost <= u - 1 to be better */
    /* LP reduced costs carry the simplex's tolerances, relative to the
     * size of the costs (PACE files have costs in the millions) */
    double tol = 1e-6 + 1e-8 * fabs(u);
    double lim = c->o->integral ? u - 1 + tol : u + tol;
    int nf = 0;
    for (int a = 0; a < c->na; a++) {
        int j = a + 1;
        if (glp_get_col_type(c->P, j) == GLP_FX || glp_get_col_stat(c->P, j) != GLP_NL)
            continue;
        double d = glp_get_col_dual(c->P, j);
        if (isfinite(d) && obj + d > lim) {
            glp_set_col_bnds(c->P, j, GLP_FX, 0.0, 0.0);
            c->fixed0[a] = 1;
            nf++;
        }
    }
    c->n_fixed += nf;
    return nf;
}

/* RETURNS the number of edges with both arcs ruled out (fixed at 0 by
 * reduced costs, or into the root), marking them in out[m] if not NULL. */
static int elim_edges(const ictx *c, unsigned char *out)
{
    int k = 0;
    for (int e = 0; e < c->g->m; e++) {
        int a = 2 * e, b = 2 * e + 1;
        int d = (c->fixed0[a] || c->ahead[a] == c->root) && (c->fixed0[b] || c->ahead[b] == c->root);
        if (out)
            out[e] = (unsigned char)d;
        k += d;
    }
    return k;
}

/* Vertex branching: a binary y_v = in-degree of each Steiner vertex v,
 * the column branched upon (y_v = 0 takes v out of the graph). Added only
 * for the branch-and-bound: in the root LP loop these columns slowed the
 * dual simplex threefold on PACE instance124. The in-degree row
 * x(delta-(v)) <= 1 becomes x(delta-(v)) - y_v = 0; y_v takes the row's
 * place in the basis (its column is minus the row's unit column), so the
 * basis stays valid; the LP is re-solved before glp_intopt. */
static void add_ycols(ictx *c)
{
    const fp_cgraph *g = c->g;
    for (int v = 0; v < g->n; v++) {
        int r = c->yrow[v];
        if (!r)
            continue;
        int stat = glp_get_row_stat(c->P, r);
        int len = 0;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            c->ind[++len] = c->in_arc[i] + 1;
            c->val[len] = 1.0;
        }
        int j = glp_add_cols(c->P, 1);
        glp_set_col_kind(c->P, j, GLP_BV);
        c->ycol[v] = j;
        c->ind[len + 1] = j;
        c->val[len + 1] = -1.0;
        glp_set_mat_row(c->P, r, len + 1, c->ind, c->val);
        glp_set_row_bnds(c->P, r, GLP_FX, 0.0, 0.0);
        glp_set_col_stat(c->P, j, stat == GLP_BS ? GLP_BS : stat == GLP_NU ? GLP_NU : GLP_NL);
        glp_set_row_stat(c->P, r, GLP_NS);
    }
}

static int remaining_ms(const ictx *c)
{
    if (c->o->deadline <= 0)
        return INT32_MAX;
    double r = (c->o->deadline - fp_ilp_now()) * 1000;
    if (r < 1)
        return 1;
    if (r > 2e9)
        return INT32_MAX;
    return (int)r;
}

int fp_ilp_solve(const fp_cgraph *g, int root, const fp_ilp_opts *o, unsigned char *sol,
                 double *cost, double *lb, long long *nodes, int *optimal, fp_error *err)
{
    ictx *c = calloc(1, sizeof *c);
    if (!c)
        return fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
    c->g = g;
    c->o = o;
    c->root = root;
    c->front = 0; /* front cuts: no gain measured on SteinLib C/D/I080 */
    c->lazy = 1; /* measured faster on SteinLib C/D than static rows */
    c->creep = g->n > 0 && 2.0 * g->m < CREEP_DEG * g->n;
    c->best = sol;
    c->best_cost = *cost;
    c->lb = *lb;
    *optimal = 0;
    if (build(c)) {
        ctx_free(c);
        return fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
    }
    if (setjmp(c->jb)) {
        /* GLPK hit an internal error: its environment is freed whole */
        glp_free_env();
        *cost = c->best_cost;
        *lb = c->lb;
        ctx_free(c);
        return fp_error_set(err, FP_EGLPK, "GLPK failed (internal error caught)");
    }
    glp_error_hook(ehook, c);
    glp_term_hook(fp_glpk_term_hook, (void *)o->log);
    c->P = glp_create_prob();
    model(c);
    c->base_rows = glp_get_num_rows(c->P);
    if (o->init_cuts && o->init_cuts->n > 0) {
        /* warm start: the cuts dual ascent raised; slack ones are dropped
         * by the root loop like any other cut */
        const fp_da_cuts *cu = o->init_cuts;
        for (int i = 0; i < cu->n; i++) {
            int len = 0;
            for (long k = cu->start[i]; k < cu->start[i + 1]; k++) {
                int a = cu->arc[k];
                if (a < 0 || a >= c->na || c->ahead[a] == root)
                    continue;
                c->ind[++len] = a + 1;
                c->val[len] = 1.0;
            }
            if (len == 0)
                continue;
            int r = glp_add_rows(c->P, 1);
            glp_set_mat_row(c->P, r, len, c->ind, c->val);
            glp_set_row_bnds(c->P, r, GLP_LO, 1.0, 0.0);
        }
    }
    int rc = FP_OK;
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP;
    double lb_in = c->lb;
    int integral_lp = 0, want_restart = 0;
    double hist[8] = {0};
    for (int round = 0;; round++) {
        sp.tm_lim = remaining_ms(c);
        /* the dual simplex can stall for minutes on these degenerate LPs
         * (PACE instance124): past an iteration limit the primal simplex
         * takes over from the basis reached */
        sp.meth = GLP_DUALP;
        sp.it_lim = 20000 + 4 * glp_get_num_rows(c->P);
        int r = glp_simplex(c->P, &sp);
        if (r == GLP_EITLIM) {
            fp_log_msg(o->log, FP_LOG_DEBUG, "root LP: dual simplex stalled, primal takes over");
            sp.meth = GLP_PRIMAL;
            sp.it_lim = INT32_MAX;
            sp.tm_lim = remaining_ms(c);
            r = glp_simplex(c->P, &sp);
        }
        if (r != 0 || glp_get_status(c->P) != GLP_OPT) {
            fp_log_msg(o->log, FP_LOG_DEBUG, "root LP stopped: glp_simplex %d, status %d", r,
                       glp_get_status(c->P));
            break;
        }
        double obj = glp_get_obj_val(c->P);
        if (isfinite(obj) && obj > c->lb)
            c->lb = obj;
        read_x(c);
        if (rc_fix(c, obj) > 0 && o->restart_frac > 0 && !proved(c) &&
            elim_edges(c, NULL) >= 2 * o->restart_frac * g->m) {
            want_restart = 1;
            break;
        }
        fp_log_progress(o->log, "solve", round, 0, "root LP bound %.10g incumbent %.10g",
                        round_lb(c, c->lb) + o->offset, c->best_cost + o->offset);
        if (round % 3 == 2)
            lp_heur(c); /* LP-guided trees: a better incumbent proves sooner */
        if (proved(c) || (o->deadline > 0 && fp_ilp_now() > o->deadline))
            break;
        /* tailing off: the bound closed less than 2% of the gap in the
         * last 8 rounds: branch instead (cuts continue at the nodes) */
        hist[round % 8] = obj;
        {
            double gapv = upper(c) >= 0 ? upper(c) - obj : fabs(obj);
            /* not before the LP has caught up with the bound handed in
             * (dual ascent): its bound often stalls for a few rounds and
             * then climbs while the cuts accumulate */
            if (round >= 8 && obj >= lb_in - 1e-9 && obj - hist[(round + 1) % 8] <= 0.02 * gapv + 1e-9)
                break;
        }
        if (round >= 60)
            break;
        if (round % 5 == 4) {
            /* drop cuts that are slack: a leaner LP re-solves faster */
            int nr = glp_get_num_rows(c->P), nd = 0;
            int *del = malloc(((size_t)nr + 1) * sizeof *del);
            if (del) {
                /* deleting rows whose slack is basic keeps the basis valid */
                for (int i = c->base_rows + 1; i <= nr; i++)
                    if (glp_get_row_stat(c->P, i) == GLP_BS &&
                        glp_get_row_prim(c->P, i) > 1 + 1e-6)
                        del[++nd] = i;
                if (nd > 0)
                    glp_del_rows(c->P, nd, del);
                free(del);
            }
        }
        double ts = fp_ilp_now();
        int k = separate(c, NULL, INT32_MAX);
        fp_log_msg(o->log, FP_LOG_DEBUG, "root round %d: lp %.10g, %d cuts (sep %.2f s), %d rows, %d arcs fixed",
                   round, obj + o->offset, k, fp_ilp_now() - ts, glp_get_num_rows(c->P), c->n_fixed);
        if (k == 0) {
            integral_lp = 1;
            for (int a = 0; a < c->na; a++)
                if (c->x[a] > 1e-6 && c->x[a] < 1 - 1e-6) {
                    integral_lp = 0;
                    break;
                }
            if (integral_lp) {
                double cst = extract(c, c->x);
                if (cst >= 0)
                    offer(c, c->tmp, cst);
                else
                    integral_lp = 0;
            }
            if (!integral_lp)
                lp_heur(c);
            break;
        }
    }
    if (!want_restart && !proved(c) && !integral_lp && o->restart_frac > 0 &&
        elim_edges(c, NULL) >= o->restart_frac * g->m)
        want_restart = 1;
    int lp_ok = 1;
    if (!want_restart && !proved(c) && !integral_lp &&
        !(o->deadline > 0 && fp_ilp_now() > o->deadline)) {
        /* glp_intopt wants the LP solved: after adding the y columns */
        add_ycols(c);
        sp.meth = GLP_DUALP;
        sp.it_lim = INT32_MAX;
        sp.tm_lim = remaining_ms(c);
        lp_ok = glp_simplex(c->P, &sp) == 0 && glp_get_status(c->P) == GLP_OPT;
    }
    if (lp_ok && !want_restart && !proved(c) && !integral_lp &&
        !(o->deadline > 0 && fp_ilp_now() > o->deadline)) {
        glp_iocp ip;
        glp_init_iocp(&ip);
        ip.msg_lev = GLP_MSG_OFF;
        ip.presolve = GLP_OFF;
        ip.sr_heur = GLP_OFF;
        ip.fp_heur = GLP_OFF;
        ip.ps_heur = GLP_OFF;
        ip.gmi_cuts = ip.mir_cuts = ip.cov_cuts = ip.clq_cuts = GLP_OFF;
        ip.br_tech = GLP_BR_MFV;

        ip.bt_tech = GLP_BT_BLB;
        ip.tm_lim = remaining_ms(c);
        ip.mip_gap = o->gap_limit > 0 ? o->gap_limit : 0;
        ip.cb_func = callback;
        ip.cb_info = c;
        int it0 = glp_get_it_cnt(c->P);
        double tt0 = fp_ilp_now();
        int r = glp_intopt(c->P, &ip);
        fp_log_msg(o->log, FP_LOG_DEBUG,
                   "branch-and-cut: %d simplex iterations, %.2f s, %lld nodes, %d rows",
                   glp_get_it_cnt(c->P) - it0, fp_ilp_now() - tt0, c->nodes, glp_get_num_rows(c->P));
        int st = glp_mip_status(c->P);
        if (st == GLP_OPT || st == GLP_FEAS) {
            for (int a = 0; a < c->na; a++)
                c->x[a] = glp_mip_col_val(c->P, a + 1);
            double cst = extract(c, c->x);
            if (cst >= 0)
                offer(c, c->tmp, cst);
        }
        if (r == 0 && st == GLP_OPT) {
            double mo = glp_mip_obj_val(c->P);
            if (isfinite(mo) && mo > c->lb)
                c->lb = mo;
        }
    } else if (integral_lp) {
        /* the LP optimum is a tree: optimal */
        if (c->best_cost >= 0 && c->best_cost < c->lb)
            c->lb = c->best_cost;
    }
    *optimal = proved(c);
    if (o->restart)
        *o->restart = want_restart && !*optimal;
    if (o->elim)
        elim_edges(c, o->elim);
    if (upper(c) >= 0 && c->lb > upper(c))
        c->lb = upper(c);
    glp_delete_prob(c->P);
    c->P = NULL;
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    *cost = c->best_cost;
    *lb = c->lb;
    *nodes = c->nodes;
    ctx_free(c);
    return rc;
}
