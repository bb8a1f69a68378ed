/* ilp: GLPK branch-and-cut on the directed cut formulation of the SPG. */
#include "ilp.h"
#include "glpkutil.h"

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heur.h"
#include "maxflow.h"

#define CUT_EPS 1e-6   /* a cut is violated if x(delta-(S)) < 1 - CUT_EPS */
/* Nested cuts per terminal and round: more make the rows denser and the
 * LP dearer than the rounds they save (root LP cpu on d19/d18/c18 with 5:
 * 1.1/0.8/0.4 s, with 2: 0.7/0.7/0.3 s) */
#define MAX_NEST 2
/* On the sparse graphs that get creep flow (road-like: PACE) the rows are
 * short and the LP climbs through many rounds: there more nested cuts and
 * slack cuts kept for a few rounds (dropped every DROP_SPARSE-th) pay;
 * with C/D's settings PACE instance160 and 193 were no longer proven in a
 * minute (LP stalling near 1948 after 20 rounds against 1990). */
#define MAX_NEST_SPARSE 5
#define DROP_SPARSE 5
/* The root loop's LP heuristic runs a local search every this many rounds */
#define LPH_SEARCH 8
#define CREEP 1e-7     /* added to capacities: prefer cuts with few arcs */
/* Creep only below this average degree of the graph the ILP gets. The
 * reduced road-like graphs of PACE (3.4-3.8) prove sooner with it
 * (instance129 6 s against over 60 s, instance184 1.2 against 13 s); the
 * reduced random graphs of SteinLib D/C (c18 5.4, d19 5.6, d18 5.9) much
 * later (d19 2.9 against 0.7 s: the max flow pushes the creep path by path). */
#define CREEP_DEG 4.5
/* Separation rounds at a branch-and-bound node before it branches: LP
 * re-solves after a round of cuts are highly degenerate (hundreds of
 * dual simplex pivots on I080/PACE), so branching sooner closes more of
 * the gap in the same time (i080-241 in 10 s: bound 3515 with 6 rounds,
 * 3520 with 2). */
#define NODE_ROUNDS 2
/* Column pricing (see ictx) on graphs of at least PRICE_MIN_ARCS arcs
 * (1,000 measured a little faster than 4,000 on SteinLib C/D and I080):
 * the INIT_IN cheapest arcs into each vertex start active, and at most
 * PRICE_MAX(n) arcs of reduced cost below -PRICE_EPS enter a round. */
#define PRICE_MIN_ARCS 1000
#define INIT_IN 2
#define PRICE_MAX(n) ((n) > 200 ? (n) : 200)
#define PRICE_EPS 1e-7
/* The branch-and-bound starts again when a new incumbent lets the root
 * reduced costs rule out this share of the arcs left. */
#define REFIX_SHARE 0.1

/* Process CPU seconds, for the time split in the log (wall time is
 * noisy on a shared machine). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double fp_ilp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What a row of the root LP stands for, to know its arcs in the whole
 * graph (pricing and activating arcs): */
enum {
    R_IN,  /* x(delta-(v)) (= 1 for a terminal, <= 1 else); a = v */
    R_FB,  /* flow balance x(delta-(v)) - x_b >= 0; a = v, b = arc b */
    R_TWO, /* x_2e + x_2e+1 <= 1; a = e */
    R_DA,  /* dual-ascent cut a of o->init_cuts */
    R_CUT  /* x(delta-(W)) >= 1, W = pool[b .. b+a-1] */
};
typedef struct rinfo {
    int type, a;
    long b;
} rinfo;

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
    unsigned char *side, *tmp;
    unsigned char *fixed0;    /* [na] arc fixed at 0 by reduced costs */
    int *ycol;                /* [n] column of y_v (in-degree), 0 if none */
    int *yrow;                /* [n] in-degree row of a Steiner vertex, or 0 */
    unsigned char *best;      /* [m] incumbent, owned by the caller */
    double best_cost, lb;
    int handed, stop_proved, rot;
    int last_node, node_rounds, base_rows;
    int front; /* add front cuts (closest to the root) too */
    int creep; /* creep flow in the separation (sparse graphs) */
    long long nodes, nodes_done; /* of this branch-and-bound, of those before */
    double last_log;
    int n_fixed; /* arcs fixed at 0 by reduced costs */
    int oom;     /* an allocation failed */
    /* Column pricing. GLPK's simplex walks every coefficient of the
     * problem at each call (the columns it leaves out included), so on
     * dense graphs (SteinLib D: 50,000 arcs, cuts of ~1,500 arcs) the LP
     * costs seconds a round. Under pricing only the `active` arcs hold
     * coefficients; the others are empty columns fixed at 0 until their
     * reduced cost under the rows' duals (computed here from what each
     * row stands for, ri[]) turns negative. Arcs fixed by reduced costs
     * lose their coefficients too. Before the branch-and-bound (which
     * cannot add columns) every arc left is activated. */
    int pricing;
    unsigned char *active;    /* [na] column free in [0,1] with coefficients */
    double *dred;             /* [na] reduced cost of inactive arcs (price) */
    int *cand, ncand;         /* [na] arcs of negative reduced cost */
    int *tarc;                /* [n] scratch: arcs of a tree */
    int *newpos;              /* [na] scratch of activate_set, -1 */
    int *rbuf;                /* [na+1] scratch: arcs of a row */
    double *rcoef;            /* [na+1] their coefficients */
    unsigned char *mark;      /* [n] scratch: a cut's node set */
    unsigned char *full;      /* [n] separate(): joined to the root by arcs
                                 at 1 (zero between calls) */
    int *fullq, nfull;        /* [n] the nodes marked in full[] */
    int track;                /* rows tracked in ri[] (root LP only) */
    rinfo *ri;                /* [ri_cap] ri[i]: GLPK row i */
    int ri_cap;
    int *pool;                /* node sets of the R_CUT rows */
    long pool_n, pool_cap;
    /* separation network: the active arcs not fixed at 0 */
    int flow_ver, act_ver;    /* rebuilt when act_ver moved on */
    int nfa;                  /* its arcs */
    int *fmap, *floc;         /* [na] local -> arc, arc -> local (-1) */
    int *ftail, *fhead;       /* [na] */
    int raised;               /* add_cut raised a capacity */
    /* Reduced costs of the last root LP (droot, Lagrangian bound lroot):
     * when the branch-and-bound finds a better incumbent, they may rule
     * out many more arcs; it is then stopped and started again without
     * them (refix). */
    double *droot, lroot;
    int have_root, refix;
    double refix_u;           /* value to beat of the last check */
    double t_lp, t_sep, t_price, t_heur; /* seconds spent, for the log */
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

/* The arcs of tree s oriented away from the root into out[] (c->ind and
 * c->side are scratch). RETURNS their count. */
static int tree_arcs(ictx *c, const unsigned char *s, int *out)
{
    const fp_cgraph *g = c->g;
    int *queue = c->ind; /* free scratch of size na+1 >= n */
    memset(c->side, 0, (size_t)g->n);
    int qh = 0, qt = 0, k = 0;
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
            out[k++] = g->tail[e] == v ? 2 * e : 2 * e + 1;
        }
    }
    return k;
}

/* Arc vector of tree s oriented away from the root, into c->xsol[1..na]. */
static void orient(ictx *c, const unsigned char *s)
{
    int ncol = glp_get_num_cols(c->P);
    for (int j = 0; j <= ncol; j++)
        c->xsol[j] = 0;
    int k = tree_arcs(c, s, c->tarc);
    for (int i = 0; i < k; i++) {
        int a = c->tarc[i];
        c->xsol[1 + a] = 1;
        if (c->ycol[c->ahead[a]])
            c->xsol[c->ycol[c->ahead[a]]] = 1;
    }
}

/* An arc that may still enter the LP (not active, not fixed, not into the
 * root). */
static int inactive(const ictx *c, int a)
{
    return !c->active[a] && !c->fixed0[a] && c->ahead[a] != c->root;
}

/* An arc whose column is in the LP. */
static int in_lp(const ictx *c, int a)
{
    return c->active[a] && !c->fixed0[a];
}

/* Records what GLPK row r (just added) stands for, when rows are tracked. */
static void row_track(ictx *c, int r, int type, int a, long b)
{
    if (!c->track)
        return;
    if (r >= c->ri_cap) {
        int nc = c->ri_cap > 0 ? 2 * c->ri_cap : 1024;
        while (nc <= r)
            nc *= 2;
        rinfo *n = realloc(c->ri, (size_t)nc * sizeof *n);
        if (!n) {
            c->oom = 1;
            c->track = 0;
            return;
        }
        c->ri = n;
        c->ri_cap = nc;
    }
    c->ri[r].type = type;
    c->ri[r].a = a;
    c->ri[r].b = b;
}

/* Adds a row of the arcs ind[1..len] with coefficients val[1..len] (only
 * those in the LP are kept; the caller's arrays are compacted) and the
 * given bounds. RETURNS its number. */
static int add_row(ictx *c, int len, int *ind, double *val, int bt, double lo, double up)
{
    int k = 0;
    for (int i = 1; i <= len; i++)
        if (in_lp(c, ind[i] - 1)) {
            ind[++k] = ind[i];
            val[k] = val[i];
        }
    int r = glp_add_rows(c->P, 1);
    if (k > 0)
        glp_set_mat_row(c->P, r, k, ind, val);
    glp_set_row_bnds(c->P, r, bt, lo, up);
    return r;
}

/* The arcs of tracked row r in the whole graph (fixed ones and those into
 * the root left out) into out[] with their coefficients in coef[].
 * RETURNS their count. */
static int row_arcs(ictx *c, int r, int *out, double *coef)
{
    const rinfo *q = &c->ri[r];
    int k = 0;
    switch (q->type) {
    case R_FB:
        if (!c->fixed0[q->b]) {
            out[k] = (int)q->b;
            coef[k++] = -1;
        }
        /* and the in-arcs of v */
        /* fall through */
    case R_IN:
        for (int i = c->in_start[q->a]; i < c->in_start[q->a + 1]; i++) {
            int a = c->in_arc[i];
            if (!c->fixed0[a]) {
                out[k] = a;
                coef[k++] = 1;
            }
        }
        break;
    case R_TWO:
        for (int a = 2 * q->a; a < 2 * q->a + 2; a++)
            if (!c->fixed0[a] && c->ahead[a] != c->root) {
                out[k] = a;
                coef[k++] = 1;
            }
        break;
    case R_DA: {
        const fp_da_cuts *cu = c->o->init_cuts;
        for (long i = cu->start[q->a]; i < cu->start[q->a + 1]; i++) {
            int a = cu->arc[i];
            if (a >= 0 && a < c->na && !c->fixed0[a] && c->ahead[a] != c->root) {
                out[k] = a;
                coef[k++] = 1;
            }
        }
        break;
    }
    case R_CUT: {
        const int *W = c->pool + q->b;
        for (int i = 0; i < q->a; i++)
            c->mark[W[i]] = 1;
        for (int i = 0; i < q->a; i++)
            for (int j = c->in_start[W[i]]; j < c->in_start[W[i] + 1]; j++) {
                int a = c->in_arc[j];
                if (!c->mark[c->atail[a]] && !c->fixed0[a]) {
                    out[k] = a;
                    coef[k++] = 1;
                }
            }
        for (int i = 0; i < q->a; i++)
            c->mark[W[i]] = 0;
        break;
    }
    default:
        break;
    }
    return k;
}

/* Activates the inactive arcs among arcs[0..k-1]: their columns receive
 * their coefficients in every row and are freed in [0,1]; after a solve
 * (dred[] holding their reduced costs) those of negative reduced cost
 * start at their upper bound, so that the basis stays dual feasible for
 * the dual simplex. RETURNS the count activated. */
static int activate_set(ictx *c, const int *arcs, int k, int solved)
{
    int nn = 0;
    for (int i = 0; i < k; i++) {
        int a = arcs[i];
        if (inactive(c, a) && c->newpos[a] < 0)
            c->newpos[a] = nn++;
    }
    if (nn == 0)
        return 0;
    int *list = malloc((size_t)nn * sizeof *list);
    int *cnt = calloc((size_t)nn + 1, sizeof *cnt);
    long ntr = 0, trcap = 4096;
    int *tcol = malloc((size_t)trcap * sizeof *tcol), *trow = malloc((size_t)trcap * sizeof *trow);
    double *tval = malloc((size_t)trcap * sizeof *tval);
    int nr = glp_get_num_rows(c->P);
    if (!list || !cnt || !tcol || !trow || !tval || !c->track)
        goto fail;
    for (int i = 0; i < k; i++)
        if (c->newpos[arcs[i]] >= 0)
            list[c->newpos[arcs[i]]] = arcs[i];
    /* (column, row, coefficient) of the new arcs, row by row */
    for (int r = 1; r <= nr; r++) {
        int len = row_arcs(c, r, c->rbuf, c->rcoef);
        for (int i = 0; i < len; i++) {
            int p = c->newpos[c->rbuf[i]];
            if (p < 0)
                continue;
            if (ntr == trcap) {
                trcap *= 2;
                int *a1 = realloc(tcol, (size_t)trcap * sizeof *a1);
                if (a1)
                    tcol = a1;
                int *a2 = realloc(trow, (size_t)trcap * sizeof *a2);
                if (a2)
                    trow = a2;
                double *a3 = realloc(tval, (size_t)trcap * sizeof *a3);
                if (a3)
                    tval = a3;
                if (!a1 || !a2 || !a3)
                    goto fail;
            }
            tcol[ntr] = p;
            trow[ntr] = r;
            tval[ntr++] = c->rcoef[i];
            cnt[p + 1]++;
        }
    }
    for (int p = 0; p < nn; p++)
        cnt[p + 1] += cnt[p];
    {
        /* bucket by column into c->ind / c->val (1-based, per column) */
        int *pos = malloc(((size_t)nn + 1) * sizeof *pos);
        int *sr = malloc(((size_t)ntr + 1) * sizeof *sr);
        double *sv = malloc(((size_t)ntr + 1) * sizeof *sv);
        if (!pos || !sr || !sv) {
            free(pos);
            free(sr);
            free(sv);
            goto fail;
        }
        memcpy(pos, cnt, ((size_t)nn + 1) * sizeof *pos);
        for (long t = 0; t < ntr; t++) {
            int q = pos[tcol[t]]++;
            sr[q + 1] = trow[t];
            sv[q + 1] = tval[t];
        }
        for (int p = 0; p < nn; p++) {
            int a = list[p], j = a + 1, len = cnt[p + 1] - cnt[p];
            if (len > 0)
                glp_set_mat_col(c->P, j, len, sr + cnt[p], sv + cnt[p]);
            glp_set_col_bnds(c->P, j, GLP_DB, 0.0, 1.0);
            glp_set_col_stat(c->P, j, solved && c->dred[a] < 0 ? GLP_NU : GLP_NL);
            c->active[a] = 1;
            c->newpos[a] = -1;
        }
        free(pos);
        free(sr);
        free(sv);
    }
    c->act_ver++;
    free(list);
    free(cnt);
    free(tcol);
    free(trow);
    free(tval);
    return nn;
fail:
    for (int i = 0; i < k; i++)
        c->newpos[arcs[i]] = -1;
    c->oom = 1;
    free(list);
    free(cnt);
    free(tcol);
    free(trow);
    free(tval);
    return 0;
}

/* Activates the arcs of tree s (the incumbent): with them the restricted
 * LP stays feasible (the tree crosses every cut). RETURNS the count. */
static int activate_tree(ictx *c, const unsigned char *s, int solved)
{
    if (!c->pricing)
        return 0;
    int k = tree_arcs(c, s, c->tarc);
    return activate_set(c, c->tarc, k, solved);
}

/* Activates every arc left (the restricted LP is infeasible, or the
 * branch-and-bound needs them all). RETURNS the count. */
static int activate_all(ictx *c, int solved)
{
    int k = 0;
    for (int a = 0; a < c->na; a++)
        if (inactive(c, a))
            c->cand[k++] = a;
    c->ncand = 0;
    return activate_set(c, c->cand, k, solved);
}

/* Adds the cut x(delta-(W)) >= 1 for the sink set W (side[v] = 1) if it
 * is violated, and raises its arcs' capacities in the separation network
 * to 1 for nested cuts (c->raised tells whether any rose).
 * RETURNS 1 if added. */
static int add_cut(ictx *c, const unsigned char *side)
{
    const fp_cgraph *g = c->g;
    int len = 0, full = 0;
    double sum = 0;
    c->raised = 0;
    for (int v = 0; v < g->n; v++) {
        if (!side[v])
            continue;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            int a = c->in_arc[i];
            /* an arc fixed at 0 adds nothing to the row */
            if (side[c->atail[a]] || c->fixed0[a])
                continue;
            full++;
            if (!c->active[a])
                continue;
            c->ind[++len] = a + 1;
            c->val[len] = 1.0;
            sum += c->x[a];
        }
    }
    if (full == 0 && c->n_fixed > 0) {
        /* every arc into W (a terminal, not the root) is fixed at 0: every
         * tree uses an arc that rules it out of beating the value to beat
         * when it was fixed (>= the present one, a real tree's cost) */
        if (upper(c) >= 0 && upper(c) > c->lb)
            c->lb = upper(c);
        return 0;
    }
    if (full == 0 || sum >= 1 - CUT_EPS)
        return 0;
    long at = c->pool_n;
    if (c->track) {
        /* W for pricing */
        int nw = 0;
        for (int v = 0; v < g->n; v++)
            nw += side[v];
        if (c->pool_n + nw > c->pool_cap) {
            long nc = c->pool_cap > 0 ? 2 * c->pool_cap : 65536;
            while (nc < c->pool_n + nw)
                nc *= 2;
            int *np = realloc(c->pool, (size_t)nc * sizeof *np);
            if (!np) {
                c->oom = 1;
                return 0;
            }
            c->pool = np;
            c->pool_cap = nc;
        }
        for (int v = 0; v < g->n; v++)
            if (side[v])
                c->pool[c->pool_n++] = v;
    }
    int r = glp_add_rows(c->P, 1);
    if (len > 0)
        glp_set_mat_row(c->P, r, len, c->ind, c->val);
    glp_set_row_bnds(c->P, r, GLP_LO, 1.0, 0.0);
    row_track(c, r, R_CUT, (int)(c->pool_n - at), at);
    if (len == 0 && c->pricing) {
        /* no active arc crosses W (the incumbent's were fixed): its arcs
         * enter, else the LP is infeasible */
        int k = 0;
        for (int v = 0; v < g->n; v++)
            if (side[v])
                for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++)
                    if (!side[c->atail[c->in_arc[i]]] && inactive(c, c->in_arc[i]))
                        c->cand[k++] = c->in_arc[i];
        activate_set(c, c->cand, k, 0);
    }
    for (int i = 1; i <= len; i++) {
        int l = c->floc[c->ind[i] - 1];
        if (l >= 0 && c->cap[l] < 1.0) {
            c->cap[l] = 1.0;
            c->raised = 1;
        }
    }
    return 1;
}

/* The separation network: the arcs a tree may still use in the LP (active,
 * not fixed at 0, not into the root), rebuilt when that set changed. Under
 * pricing it is a fraction of the graph.
 * RETURNS 0 or -1 on no memory. */
static int flow_net(ictx *c)
{
    if (c->mf && c->flow_ver == c->act_ver)
        return 0;
    fp_maxflow_free(c->mf);
    c->mf = NULL;
    int k = 0;
    for (int a = 0; a < c->na; a++) {
        c->floc[a] = -1;
        if (!in_lp(c, a))
            continue;
        c->floc[a] = k;
        c->fmap[k] = a;
        c->ftail[k] = c->atail[a];
        c->fhead[k] = c->ahead[a];
        k++;
    }
    c->nfa = k;
    c->mf = fp_maxflow_create(c->g->n, k, c->ftail, c->fhead);
    c->flow_ver = c->act_ver;
    return c->mf ? 0 : -1;
}

/* Separates violated rows for the LP values in c->x: flow balance and
 * 2-cycle rows, then directed cuts by max flow. RETURNS the count. */
static int separate_(ictx *c, int maxcuts);

static int separate(ictx *c, int maxcuts)
{
    double t0 = cpu_now();
    int k = separate_(c, maxcuts);
    c->t_sep += cpu_now() - t0;
    return k;
}

static int separate_(ictx *c, int maxcuts)
{
    const fp_cgraph *g = c->g;
    int added = 0;
    {
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
            int r = add_row(c, len, c->ind, c->val, GLP_LO, 0.0, 0.0);
            row_track(c, r, R_FB, v, a);
            added++;
        }
        for (int e = 0; e < g->m; e++) {
            if (c->x[2 * e] + c->x[2 * e + 1] <= 1 + 1e-6)
                continue;
            int ind[3] = {0, 2 * e + 1, 2 * e + 2};
            double val[3] = {0, 1, 1};
            int r = add_row(c, 2, ind, val, GLP_UP, 0.0, 1.0);
            row_track(c, r, R_TWO, e, 0);
            added++;
        }
    }
    if (flow_net(c)) {
        c->oom = 1;
        return added;
    }
    for (int l = 0; l < c->nfa; l++) {
        double xa = c->x[c->fmap[l]];
        c->capx[l] = xa > 1e-9 ? xa : 0;
    }
    /* a terminal joined to the root by a path of arcs at 1 has a flow of
     * 1: no max flow for it (the LP is mostly integral after a few
     * rounds; d13's separation took 2/3 of its ILP time) */
    unsigned char *full = c->full;
    {
        int *queue = c->fullq, qh = 0, qt = 0;
        queue[qt++] = c->root;
        full[c->root] = 1;
        while (qh < qt) {
            int v = queue[qh++];
            for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
                int e = g->adj_edge[i], a = g->tail[e] == v ? 2 * e : 2 * e + 1;
                int w = c->ahead[a];
                if (!full[w] && in_lp(c, a) && c->x[a] >= 1 - CUT_EPS) {
                    full[w] = 1;
                    queue[qt++] = w;
                }
            }
        }
        c->nfull = qt;
    }
    for (int k = 0; k < g->n && added < maxcuts; k++) {
        int t = (k + c->rot) % g->n;
        if (!g->term[t] || t == c->root || full[t])
            continue;
        /* max flow on the LP values; below 1, the minimal sink side of
         * the cut is added, its arcs raised to 1 and the flow resumed for
         * the next (nested) cut further from t. On sparse graphs a creep
         * capacity on every arc first makes the cuts prefer few arcs (a
         * leaner LP); on dense ones (SteinLib C, D) the creep flow costs
         * more time than the LP saves. */
        memcpy(c->cap, c->capx, (size_t)c->nfa * sizeof *c->cap);
        double f = fp_maxflow_run(c->mf, c->cap, c->root, t, 1.0);
        if (f >= 1 - CUT_EPS)
            continue;
        if (c->creep) {
            for (int l = 0; l < c->nfa; l++)
                c->cap[l] += CREEP;
            f = fp_maxflow_rerun(c->mf, c->cap, c->root, t, 1.0);
        }
        int max_nest = c->creep ? MAX_NEST_SPARSE : MAX_NEST;
        for (int nest = 0; nest < max_nest && f < 1 - CUT_EPS; nest++) {
            fp_maxflow_sink_side(c->mf, t, c->side);
            int got = add_cut(c, c->side), raised = c->raised;
            if (c->front) {
                /* also the cut closest to the root */
                fp_maxflow_source_side(c->mf, c->root, c->side);
                for (int v = 0; v < g->n; v++)
                    c->side[v] = !c->side[v];
                got += add_cut(c, c->side);
                raised |= c->raised;
            }
            added += got;
            if (!got || !raised)
                break; /* the same cut would come back */
            if (c->act_ver != c->flow_ver)
                break; /* arcs entered: the network is stale */
            /* capacities only rose since the last run: resume its flow */
            f = fp_maxflow_rerun(c->mf, c->cap, c->root, t, 1.0);
        }
    }
    for (int i = 0; i < c->nfull; i++)
        full[c->fullq[i]] = 0;
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

/* LP-guided heuristic: SPH on costs scaled by (1 - x) (MST-pruned on the
 * true costs), then if `search` local search with the effort capped on
 * large graphs (uncapped it took a fifth of d18's time). The SPH alone is
 * cheap enough for every root round: once the LP is near integral it
 * returns the LP's tree. */
static void lp_heur(ictx *c, int search)
{
    const fp_cgraph *g = c->g;
    double t0 = cpu_now();
    for (int e = 0; e < g->m; e++) {
        double xe = c->x[2 * e] + c->x[2 * e + 1];
        if (xe > 1)
            xe = 1;
        c->w[e] = g->cost[e] * (1.0 - xe) + 1e-9;
    }
    double cst = fp_heur_sph(c->heur, c->root, c->w, c->tmp);
    if (cst < 0)
        return;
    if (search)
        cst = fp_heur_improve(c->heur, c->tmp, fp_heur_effort(g, 200 + g->n));
    offer(c, c->tmp, cst);
    c->t_heur += cpu_now() - t0;
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

static int refix(ictx *c, int apply);

static void callback(glp_tree *T, void *info)
{
    ictx *c = info;
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = c->nodes_done + t_cnt;
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
            int k = separate(c, 4 * c->g->n_terms + 10);
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
            lp_heur(c, 1);
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
    if (c->have_root && upper(c) >= 0 && upper(c) < c->refix_u - 1e-9) {
        /* a better incumbent: worth starting again without the arcs the
         * root reduced costs now rule out? */
        c->refix_u = upper(c);
        int in = 0;
        for (int a = 0; a < c->na; a++)
            in += in_lp(c, a);
        if (!proved(c) && refix(c, 0) >= REFIX_SHARE * in) {
            c->refix = 1;
            glp_ios_terminate(T);
        }
    }
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
    free(c->fixed0);
    free(c->ycol);
    free(c->yrow);
    free(c->tmp);
    free(c->active);
    free(c->dred);
    free(c->droot);
    free(c->cand);
    free(c->tarc);
    free(c->newpos);
    free(c->rbuf);
    free(c->rcoef);
    free(c->mark);
    free(c->full);
    free(c->fullq);
    free(c->ri);
    free(c->pool);
    free(c->fmap);
    free(c->floc);
    free(c->ftail);
    free(c->fhead);
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
    c->cap = malloc((aa > nn ? aa : nn) * sizeof(double));
    c->capx = malloc(aa * sizeof(double));
    c->w = malloc((g->m > 0 ? (size_t)g->m : 1) * sizeof(double));
    c->xsol = malloc((aa + nn + 1) * sizeof(double));
    c->val = malloc((aa + nn + 1) * sizeof(double));
    c->ind = malloc((aa + nn + 1) * sizeof(int));
    c->side = calloc(nn, 1);
    c->fixed0 = calloc(aa, 1);
    c->ycol = calloc(nn, sizeof(int));
    c->yrow = calloc(nn, sizeof(int));
    c->tmp = calloc(g->m > 0 ? (size_t)g->m : 1, 1);
    c->active = calloc(aa, 1);
    c->dred = calloc(aa, sizeof(double));
    c->droot = calloc(aa, sizeof(double));
    c->cand = malloc(aa * sizeof(int));
    c->tarc = malloc(nn * sizeof(int));
    c->newpos = malloc(aa * sizeof(int));
    c->rbuf = malloc((aa + 1) * sizeof(int));
    c->rcoef = malloc((aa + 1) * sizeof(double));
    c->mark = calloc(nn, 1);
    c->full = calloc(nn, 1);
    c->fullq = malloc(nn * sizeof(int));
    c->fmap = malloc(aa * sizeof(int));
    c->floc = malloc(aa * sizeof(int));
    c->ftail = malloc(aa * sizeof(int));
    c->fhead = malloc(aa * sizeof(int));
    if (!c->atail || !c->ahead || !c->in_start || !c->in_arc || !c->x || !c->cap || !c->capx ||
        !c->w || !c->xsol || !c->val || !c->ind || !c->side || !c->tmp || !c->fixed0 ||
        !c->ycol || !c->yrow || !c->active || !c->dred || !c->droot || !c->cand || !c->tarc || !c->newpos ||
        !c->rbuf || !c->rcoef || !c->mark || !c->full || !c->fullq || !c->fmap || !c->floc || !c->ftail || !c->fhead)
        return -1;
    for (int a = 0; a < na; a++)
        c->newpos[a] = -1;
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
    c->heur = fp_heur_create(g);
    if (c->heur)
        fp_heur_set_deadline(c->heur, c->o->deadline);
    if (!c->heur)
        return -1;
    return 0;
}

/* The starting active set: under pricing the INIT_IN cheapest arcs into
 * each vertex and the incumbent's arcs, else every arc. */
static void init_active(ictx *c)
{
    const fp_cgraph *g = c->g;
    for (int a = 0; a < c->na; a++)
        c->active[a] = !c->pricing && c->ahead[a] != c->root;
    if (!c->pricing)
        return;
    for (int v = 0; v < g->n; v++) {
        if (v == c->root)
            continue;
        for (int k = 0; k < INIT_IN; k++) {
            int best = -1;
            for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
                int a = c->in_arc[i];
                if (!c->active[a] && (best < 0 || g->cost[a / 2] < g->cost[best / 2]))
                    best = a;
            }
            if (best < 0)
                break;
            c->active[best] = 1;
        }
    }
    int k = tree_arcs(c, c->best, c->tarc);
    for (int i = 0; i < k; i++)
        c->active[c->tarc[i]] = 1;
}

/* The model: a column x_a for every arc (those into the root and the
 * inactive ones fixed at 0, without coefficients) and the in-degree rows;
 * flow balance and 2-cycle rows are added when violated. */
static void model(ictx *c)
{
    const fp_cgraph *g = c->g;
    glp_prob *P = c->P;
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, c->na);
    for (int a = 0; a < c->na; a++) {
        glp_set_col_kind(P, a + 1, GLP_BV);
        glp_set_obj_coef(P, a + 1, g->cost[a / 2]);
        if (!c->active[a])
            glp_set_col_bnds(P, a + 1, GLP_FX, 0.0, 0.0);
    }
    for (int v = 0; v < g->n; v++) {
        if (v == c->root || c->in_start[v] == c->in_start[v + 1])
            continue;
        int len = 0;
        for (int i = c->in_start[v]; i < c->in_start[v + 1]; i++) {
            c->ind[++len] = c->in_arc[i] + 1;
            c->val[len] = 1.0;
        }
        int r;
        if (g->term[v]) {
            r = add_row(c, len, c->ind, c->val, GLP_FX, 1.0, 1.0);
        } else {
            /* y_v columns come before the branch-and-bound (add_ycols) */
            r = add_row(c, len, c->ind, c->val, GLP_UP, 0.0, 1.0);
            c->yrow[v] = r;
        }
        row_track(c, r, R_IN, v, 0);
    }
}

static int cmp_dbl(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Prices the inactive arcs with the row duals of the last LP solve
 * (objective obj) into dred[]: those of negative reduced cost go to
 * c->cand (c->ncand). RETURNS obj plus their negative reduced costs, a
 * lower bound on the LP over every arc (Lagrangian bound: each column
 * lies in [0,1]); obj itself without pricing. */
static double price_(ictx *c, double obj);

static double price(ictx *c, double obj)
{
    double t0 = cpu_now();
    double L = price_(c, obj);
    c->t_price += cpu_now() - t0;
    return L;
}

static double price_(ictx *c, double obj)
{
    c->ncand = 0;
    if (!c->pricing)
        return obj;
    const fp_cgraph *g = c->g;
    for (int a = 0; a < c->na; a++)
        c->dred[a] = g->cost[a / 2];
    int nr = glp_get_num_rows(c->P);
    for (int r = 1; r <= nr; r++) {
        double y = glp_get_row_dual(c->P, r);
        if (y == 0)
            continue;
        if (!isfinite(y))
            return -DBL_MAX;
        int len = row_arcs(c, r, c->rbuf, c->rcoef);
        for (int i = 0; i < len; i++)
            c->dred[c->rbuf[i]] -= y * c->rcoef[i];
    }
    double L = obj;
    int k = 0;
    for (int a = 0; a < c->na; a++) {
        if (!inactive(c, a))
            continue;
        double d = c->dred[a];
        if (d < 0) {
            L += d;
            if (d < -PRICE_EPS)
                c->cand[k++] = a;
        }
    }
    c->ncand = k;
    return L;
}

/* Activates the candidates of price(), the most negative first, at most
 * PRICE_MAX. RETURNS the count. */
static int price_in(ictx *c)
{
    int k = c->ncand, lim = PRICE_MAX(c->g->n);
    c->ncand = 0;
    if (k == 0)
        return 0;
    if (k > lim) {
        /* keep those at or below the lim-th most negative reduced cost */
        double *tmp = malloc((size_t)k * sizeof *tmp);
        if (tmp) {
            for (int i = 0; i < k; i++)
                tmp[i] = c->dred[c->cand[i]];
            qsort(tmp, (size_t)k, sizeof *tmp, cmp_dbl);
            double thr = tmp[lim - 1];
            free(tmp);
            int kk = 0;
            for (int i = 0; i < k; i++)
                if (c->dred[c->cand[i]] <= thr)
                    c->cand[kk++] = c->cand[i];
            k = kk;
        }
    }
    return activate_set(c, c->cand, k, 1);
}

/* Reduced-cost fixing against the value to beat: an arc whose LP reduced
 * cost lifts the bound of every solution using it to the incumbent's cost
 * or above cannot be in a better tree, so it is fixed at 0 (and its
 * coefficients dropped) for the rest of the search, the branch-and-bound
 * included. Valid for any LP with the rows we add, since only the column's
 * own reduced cost is used: every tree x costs at least L + d_a x_a, L the
 * Lagrangian bound of the duals (see price()).
 * RETURNS the number of arcs newly fixed. */
static int rc_fix(ictx *c, double L)
{
    double u = upper(c);
    if (u < 0 || !isfinite(L) || L <= -DBL_MAX)
        return 0;
    /* a solution using arc a costs at least L + d_a; with integral costs
     * it must cost <= u - 1 to be better */
    /* LP reduced costs carry the simplex's tolerances, relative to the
     * size of the costs (PACE files have costs in the millions) */
    double tol = 1e-6 + 1e-8 * fabs(u);
    double lim = c->o->integral ? u - 1 + tol : u + tol;
    int nf = 0;
    for (int a = 0; a < c->na; a++) {
        int j = a + 1;
        if (c->fixed0[a] || c->ahead[a] == c->root)
            continue;
        double d;
        if (c->active[a]) {
            if (glp_get_col_stat(c->P, j) != GLP_NL)
                continue;
            d = glp_get_col_dual(c->P, j);
        } else {
            d = c->dred[a];
        }
        if (isfinite(d) && L + d > lim) {
            if (c->active[a]) {
                glp_set_col_bnds(c->P, j, GLP_FX, 0.0, 0.0);
                glp_set_mat_col(c->P, j, 0, NULL, NULL);
            }
            c->fixed0[a] = 1;
            nf++;
        }
    }
    if (nf > 0)
        c->act_ver++;
    c->n_fixed += nf;
    return nf;
}

/* Keeps the reduced costs of the LP just solved (Lagrangian bound L)
 * for refix(). */
static void keep_root(ictx *c, double L)
{
    for (int a = 0; a < c->na; a++) {
        if (c->fixed0[a] || c->ahead[a] == c->root)
            continue;
        c->droot[a] = c->active[a] ? glp_get_col_dual(c->P, a + 1) : c->dred[a];
    }
    c->lroot = L;
    c->have_root = isfinite(L) && L > -DBL_MAX;
}

/* After a root LP solve: prices the arcs (*obj: the LP value), raises the
 * root bound c->lb to the Lagrangian bound and keeps the reduced costs for
 * refix(). RETURNS the Lagrangian bound. */
static double root_bound(ictx *c, double *obj)
{
    *obj = glp_get_obj_val(c->P);
    double L = price(c, *obj);
    if (L > c->lb)
        c->lb = L;
    keep_root(c, L);
    return L;
}

/* Reduced-cost fixing with the root LP's reduced costs against the value
 * to beat now (a tree found later): the arcs in the LP it rules out are
 * counted, and fixed at 0 if `apply` (not during glp_intopt).
 * RETURNS their number. */
static int refix(ictx *c, int apply)
{
    double u = upper(c);
    if (!c->have_root || u < 0)
        return 0;
    double tol = 1e-6 + 1e-8 * fabs(u);
    double lim = c->o->integral ? u - 1 + tol : u + tol;
    int nf = 0;
    for (int a = 0; a < c->na; a++) {
        if (!in_lp(c, a) || c->ahead[a] == c->root || !(c->lroot + c->droot[a] > lim))
            continue;
        nf++;
        if (apply) {
            glp_set_col_bnds(c->P, a + 1, GLP_FX, 0.0, 0.0);
            glp_set_mat_col(c->P, a + 1, 0, NULL, NULL);
            c->fixed0[a] = 1;
        }
    }
    if (apply && nf > 0) {
        c->n_fixed += nf;
        c->act_ver++;
    }
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
            if (!in_lp(c, c->in_arc[i]))
                continue;
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

/* Solves the LP from the present basis. RETURNS 0 when optimal,
 * GLP_NOFEAS when primal infeasible, else another nonzero code. */
static int lp_solve_(ictx *c, glp_smcp *sp);

static int lp_solve(ictx *c, glp_smcp *sp)
{
    double t0 = cpu_now();
    int r = lp_solve_(c, sp);
    c->t_lp += cpu_now() - t0;
    return r;
}

static int lp_solve_(ictx *c, glp_smcp *sp)
{
    sp->tm_lim = remaining_ms(c);
    /* the dual simplex can stall for minutes on these degenerate LPs
     * (PACE instance124): past an iteration limit the primal simplex
     * takes over from the basis reached */
    sp->meth = GLP_DUALP;
    sp->it_lim = 20000 + 4 * glp_get_num_rows(c->P);
    int r = glp_simplex(c->P, sp);
    if (r == GLP_EITLIM) {
        fp_log_msg(c->o->log, FP_LOG_DEBUG, "root LP: dual simplex stalled, primal takes over");
        sp->meth = GLP_PRIMAL;
        sp->it_lim = INT32_MAX;
        sp->tm_lim = remaining_ms(c);
        r = glp_simplex(c->P, sp);
    }
    if (r != 0)
        return r;
    int st = glp_get_status(c->P);
    if (st == GLP_OPT)
        return 0;
    return st == GLP_NOFEAS ? GLP_NOFEAS : -1;
}

/* Drops the cuts that are slack: a leaner LP re-solves faster. */
static void drop_slack(ictx *c)
{
    int nr = glp_get_num_rows(c->P), nd = 0;
    int *del = malloc(((size_t)nr + 1) * sizeof *del);
    if (!del)
        return;
    /* deleting rows whose slack is basic keeps the basis valid */
    for (int i = c->base_rows + 1; i <= nr; i++)
        if (glp_get_row_stat(c->P, i) == GLP_BS && glp_get_row_prim(c->P, i) > 1 + 1e-6)
            del[++nd] = i;
    if (nd > 0) {
        glp_del_rows(c->P, nd, del);
        if (c->track) {
            /* GLPK renumbers the rows left in their order: so does ri[] */
            int k = c->base_rows, d = 1;
            for (int i = c->base_rows + 1; i <= nr; i++) {
                if (d <= nd && del[d] == i) {
                    d++;
                    continue;
                }
                c->ri[++k] = c->ri[i];
            }
        }
    }
    free(del);
}

/* The LP over every arc not fixed at 0 is primal infeasible. Each of its
 * rows holds for every tree, and an arc is fixed only when no tree cheaper
 * than the value to beat (at least the present one) uses it: so no such
 * tree exists and the value to beat is optimal. The LP heuristic, run
 * every root round, often finds the optimum before the bound reaches it;
 * reduced-cost fixing then leaves the LP without a solution. */
static void infeasible(ictx *c)
{
    if (!c->pricing && upper(c) >= 0 && c->lb < upper(c))
        c->lb = upper(c);
}

static int n_active(const ictx *c)
{
    int k = 0;
    for (int a = 0; a < c->na; a++)
        k += in_lp(c, a);
    return k;
}

int fp_ilp_solve(const fp_cgraph *g, int root, const fp_ilp_opts *o, unsigned char *sol,
                 double *cost, double *lb, long long *nodes, int *optimal, fp_error *err)
{
    double t_start = cpu_now();
    ictx *c = calloc(1, sizeof *c);
    if (!c)
        return fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
    c->g = g;
    c->o = o;
    c->root = root;
    c->front = 0; /* front cuts: no gain measured on SteinLib C/D/I080 */
    c->creep = g->n > 0 && 2.0 * g->m < CREEP_DEG * g->n;
    c->best = sol;
    c->best_cost = *cost;
    c->lb = *lb;
    c->track = 1;
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
    c->pricing = o->pricing > 0 || (o->pricing == 0 && c->na >= PRICE_MIN_ARCS);
    if (c->pricing && !(c->best_cost >= 0 && fp_heur_check(g, sol, NULL))) {
        /* pricing starts from a tree's arcs: a quick one if none came in */
        double hc = fp_heur_sph(c->heur, root, NULL, c->tmp);
        if (hc >= 0)
            offer(c, c->tmp, hc);
        c->pricing = c->best_cost >= 0;
    }
    init_active(c);
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
            int r = add_row(c, len, c->ind, c->val, GLP_LO, 1.0, 0.0);
            row_track(c, r, R_DA, i, 0);
        }
    }
    int rc = FP_OK;
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP;
    /* no restart under pricing: the arcs ruled out cost the LP nothing
     * any more, while a restart loses the cuts (SteinLib D: d18 12.5 ->
     * 5.4 s, c18 2.6 -> 2.0 s, summed over the ten slowest 38 -> 29 s) */
    double restart_frac = c->pricing ? 0 : o->restart_frac;
    double lb_in = c->lb;
    int integral_lp = 0, want_restart = 0, lp_done = 0;
    double hist[8] = {0}, bestL = -DBL_MAX;
    for (int round = 0;; round++) {
        double tlp = fp_ilp_now();
        int it0 = glp_get_it_cnt(c->P);
        int r = lp_solve(c, &sp);
        if (r == GLP_NOFEAS && c->pricing) {
            /* an inactive arc is missing (the incumbent's were fixed by
             * reduced costs): no more pricing */
            activate_all(c, 0);
            c->pricing = 0;
            r = lp_solve(c, &sp);
        }
        if (r == GLP_NOFEAS)
            infeasible(c);
        if (r != 0 || c->oom) {
            fp_log_msg(o->log, FP_LOG_DEBUG, "root LP stopped: glp_simplex %d, status %d", r,
                       glp_get_status(c->P));
            break;
        }
        double obj, L = root_bound(c, &obj);
        read_x(c);
        if (rc_fix(c, L) > 0 && restart_frac > 0 && !proved(c) &&
            elim_edges(c, NULL) >= 2 * restart_frac * g->m) {
            want_restart = 1;
            break;
        }
        fp_log_progress(o->log, "solve", round, 0, "root LP bound %.10g incumbent %.10g",
                        round_lb(c, c->lb) + o->offset, c->best_cost + o->offset);
        {
            /* LP-guided trees: a better incumbent proves sooner (SPH every
             * round, local search every LPH_SEARCH rounds: on d18 the
             * search every third round cost a third of the root's time) */
            double before = upper(c);
            lp_heur(c, round % LPH_SEARCH == 2);
            if (upper(c) < before)
                rc_fix(c, L); /* at once: the next LP is leaner */
            activate_tree(c, c->best, 1);
        }
        if (proved(c) || (o->deadline > 0 && fp_ilp_now() > o->deadline))
            break;
        /* tailing off: the bound closed less than 2% of the gap in the
         * last 8 rounds: branch instead (cuts continue at the nodes) */
        /* measured at rounds where every arc prices out (the LP value is
         * then that over every arc) against the best bound 8 rounds back:
         * under pricing the Lagrangian bound swings while arcs enter, and
         * the LP over the arcs in it falls */
        if (L > bestL)
            bestL = L;
        hist[round % 8] = bestL;
        {
            double gapv = upper(c) >= 0 ? upper(c) - obj : fabs(obj);
            /* not before the LP has caught up with the bound handed in
             * (dual ascent): its bound often stalls for a few rounds and
             * then climbs while the cuts accumulate */
            if (round >= 8 && c->ncand == 0 && obj >= lb_in - 1e-9 &&
                obj - hist[(round + 1) % 8] <= 0.02 * gapv + 1e-9)
                break;
        }
        if (round >= 60)
            break;
        /* every round: the simplex's work grows with the rows (root LP
         * cpu on d18 0.9 -> 0.4 s against every fifth round) */
        if (!c->creep || round % DROP_SPARSE == DROP_SPARSE - 1)
            drop_slack(c);
        double ts = fp_ilp_now();
        int np = price_in(c);
        int k = separate(c, INT32_MAX);
        fp_log_msg(o->log, FP_LOG_DEBUG,
                   "root round %d: lp %.10g bound %.10g (%d it, %.2f s), %d cuts, %d priced (%.2f s), "
                   "%d rows, %d nz, %d arcs fixed, %d in the LP",
                   round, obj + o->offset, L + o->offset, glp_get_it_cnt(c->P) - it0, ts - tlp, k, np,
                   fp_ilp_now() - ts, glp_get_num_rows(c->P), glp_get_num_nz(c->P), c->n_fixed,
                   n_active(c));
        if (k == 0 && np == 0) {
            /* the LP over every arc is solved and no cut is violated */
            lp_done = 1;
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
                lp_heur(c, 1);
            break;
        }
    }
    if (!want_restart && !proved(c) && !integral_lp && !lp_done && c->pricing && !c->oom &&
        !(o->deadline > 0 && fp_ilp_now() > o->deadline)) {
        /* the branch-and-bound cannot add columns: price until every arc
         * prices out (the strongest reduced-cost fixing); the arcs left
         * then enter without changing the optimal basis */
        for (int it = 0; it < 100 && !proved(c); it++) {
            int np = price_in(c);
            if (np == 0)
                break;
            if (lp_solve(c, &sp) != 0)
                break;
            double obj, L = root_bound(c, &obj);
            rc_fix(c, L);
            fp_log_msg(o->log, FP_LOG_DEBUG,
                       "root pricing: lp %.10g bound %.10g, %d priced, %d arcs fixed, %d in the LP",
                       obj + o->offset, L + o->offset, np, c->n_fixed, n_active(c));
        }
    }
    if (c->pricing) {
        activate_all(c, 1);
        c->pricing = 0;
    }
    c->track = 0;
    read_x(c);
    if (c->oom) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory in the ILP");
        want_restart = 0;
    }
    if (!rc && !want_restart && !proved(c) && !integral_lp && restart_frac > 0 &&
        elim_edges(c, NULL) >= restart_frac * g->m)
        want_restart = 1;
    int lp_ok = 1;
    if (!rc && !want_restart && !proved(c) && !integral_lp &&
        !(o->deadline > 0 && fp_ilp_now() > o->deadline)) {
        /* glp_intopt wants the LP solved: after adding the y columns */
        add_ycols(c);
        sp.meth = GLP_DUALP;
        sp.it_lim = INT32_MAX;
        sp.tm_lim = remaining_ms(c);
        lp_ok = glp_simplex(c->P, &sp) == 0 && glp_get_status(c->P) == GLP_OPT;
        if (!lp_ok && glp_get_status(c->P) == GLP_NOFEAS)
            infeasible(c);
    }
    if (!rc && lp_ok && !want_restart && !proved(c) && !integral_lp &&
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
        c->refix_u = upper(c);
        for (;;) {
            int it0 = glp_get_it_cnt(c->P);
            double tt0 = fp_ilp_now();
            ip.tm_lim = remaining_ms(c);
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
            if (!c->refix || proved(c) || (o->deadline > 0 && fp_ilp_now() > o->deadline))
                break;
            /* again, without what the new incumbent rules out */
            c->refix = 0;
            c->nodes_done = c->nodes;
            int nf = refix(c, 1);
            c->refix_u = upper(c);
            c->handed = 0;
            c->last_node = 0;
            sp.meth = GLP_DUALP;
            sp.it_lim = INT32_MAX;
            sp.tm_lim = remaining_ms(c);
            fp_log_msg(o->log, FP_LOG_DEBUG, "branch-and-cut again: %d more arcs fixed by root reduced costs", nf);
            if (glp_simplex(c->P, &sp) != 0 || glp_get_status(c->P) != GLP_OPT) {
                if (glp_get_status(c->P) == GLP_NOFEAS)
                    infeasible(c);
                break;
            }
        }
    } else if (integral_lp) {
        /* the LP optimum is a tree: optimal */
        if (c->best_cost >= 0 && c->best_cost < c->lb)
            c->lb = c->best_cost;
    }
    *optimal = proved(c);
    fp_log_msg(o->log, FP_LOG_DEBUG,
               "ilp: %.2f s cpu (root lp %.2f, separation %.2f, pricing %.2f, lp heuristic %.2f), %d rows",
               cpu_now() - t_start, c->t_lp, c->t_sep, c->t_price, c->t_heur, glp_get_num_rows(c->P));
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
