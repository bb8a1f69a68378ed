/* pcstp_heur: primal heuristics for prize-collecting, budget and quota
 * trees: a prize-aware shortest-path heuristic (grow from the root along
 * shortest paths while a node is worth its path, or by best weight per
 * euro within the budget), then MST of the chosen nodes and pruning
 * (strong pruning by dynamic programming for prizes; Steiner leaves and
 * dispensable leaves for quotas), repeated until nothing changes. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pcstp_int.h"
#include "pqueue.h"

struct fp_nwh {
    const fp_nwprob *p;
    const int *as, *ae;   /* adjacency */
    fp_pq *pq;
    double *dist, *tdist; /* [n] search distance, true added cost */
    int *pred;            /* [n] edge to the predecessor, -1 */
    unsigned char *in;    /* [n] node in the tree */
    unsigned char *ein;   /* [m] edge in the tree */
    double *net;          /* [n] DP values */
    int *order, *par;     /* [n] BFS order, parent edge */
    int *tdeg;            /* [n] tree degree */
    int *gstart, *gmem;   /* members of group: gmem[gstart[g]..gstart[g+1]-1] */
    int ngroups;
    double *wtmp;         /* [m] perturbed weights */
    unsigned char *nbest, *ebest;
    double deadline;      /* CLOCK_MONOTONIC s, <= 0 none */
    double acc_used, acc_w; /* add_path: running cost and weight of the tree */
};

void fp_nwh_set_deadline(fp_nwh *h, double deadline)
{
    h->deadline = deadline;
}

static inline int oth(const fp_nwprob *p, int e, int v)
{
    return p->tail[e] == v ? p->head[e] : p->tail[e];
}

static inline double kc(const fp_nwprob *p, int v)
{
    return p->ncost ? p->ncost[v] : 0.0;
}

static inline int grp(const fp_nwprob *p, int v)
{
    return p->group ? p->group[v] : -1;
}

void fp_nwh_free(fp_nwh *h)
{
    if (!h)
        return;
    fp_pq_free(h->pq);
    free(h->dist);
    free(h->tdist);
    free(h->pred);
    free(h->in);
    free(h->ein);
    free(h->net);
    free(h->order);
    free(h->par);
    free(h->tdeg);
    free(h->gstart);
    free(h->gmem);
    free(h->wtmp);
    free(h->nbest);
    free(h->ebest);
    free(h);
}

fp_nwh *fp_nwh_create(const fp_nwprob *p, const int *adj_start, const int *adj_edge)
{
    fp_nwh *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    size_t n = p->n > 0 ? (size_t)p->n : 1, m = p->m > 0 ? (size_t)p->m : 1;
    h->p = p;
    h->as = adj_start;
    h->ae = adj_edge;
    h->pq = fp_pq_create(p->n > 0 ? p->n : 1);
    h->dist = malloc(n * sizeof(double));
    h->tdist = malloc(n * sizeof(double));
    h->pred = malloc(n * sizeof(int));
    h->in = calloc(n, 1);
    h->ein = calloc(m, 1);
    h->net = malloc(n * sizeof(double));
    h->order = malloc(n * sizeof(int));
    h->par = malloc(n * sizeof(int));
    h->tdeg = calloc(n, sizeof(int));
    h->wtmp = malloc(m * sizeof(double));
    h->nbest = calloc(n, 1);
    h->ebest = calloc(m, 1);
    if (!h->pq || !h->dist || !h->tdist || !h->pred || !h->in || !h->ein || !h->net ||
        !h->order || !h->par || !h->tdeg || !h->wtmp || !h->nbest || !h->ebest) {
        fp_nwh_free(h);
        return NULL;
    }
    /* group member lists */
    int ng = 0;
    for (int v = 0; v < p->n; v++)
        if (grp(p, v) >= ng)
            ng = grp(p, v) + 1;
    h->ngroups = ng;
    h->gstart = calloc((size_t)ng + 2, sizeof(int));
    h->gmem = malloc(n * sizeof(int));
    if (!h->gstart || !h->gmem) {
        fp_nwh_free(h);
        return NULL;
    }
    for (int v = 0; v < p->n; v++)
        if (grp(p, v) >= 0)
            h->gstart[grp(p, v) + 1]++;
    for (int g = 0; g < ng; g++)
        h->gstart[g + 1] += h->gstart[g];
    int *pos = malloc(((size_t)ng + 1) * sizeof(int));
    if (!pos) {
        fp_nwh_free(h);
        return NULL;
    }
    memcpy(pos, h->gstart, ((size_t)ng + 1) * sizeof(int));
    for (int v = 0; v < p->n; v++)
        if (grp(p, v) >= 0)
            h->gmem[pos[grp(p, v)]++] = v;
    free(pos);
    return h;
}

/* --- shortest paths from the current tree (distances only decrease as the
 * tree grows, so the search is resumed, not restarted) --- */

static void dj_reset(fp_nwh *h)
{
    fp_pq_clear(h->pq);
    for (int v = 0; v < h->p->n; v++) {
        h->dist[v] = h->in[v] ? 0.0 : INFINITY;
        h->tdist[v] = h->in[v] ? 0.0 : INFINITY;
        h->pred[v] = -1;
        if (h->in[v])
            fp_pq_push(h->pq, v, 0.0);
    }
}

static void dj_add(fp_nwh *h, int v)
{
    h->dist[v] = 0;
    h->tdist[v] = 0;
    h->pred[v] = -1;
    fp_pq_push(h->pq, v, 0.0);
}

static void dj_run(fp_nwh *h, const double *w)
{
    const fp_nwprob *p = h->p;
    while (!fp_pq_empty(h->pq)) {
        int u = fp_pq_pop(h->pq);
        double du = h->dist[u];
        for (int i = h->as[u]; i < h->as[u + 1]; i++) {
            int e = h->ae[i], x = oth(p, e, u);
            if (h->in[x])
                continue;
            double nd = du + (w ? w[e] : p->cost[e]);
            if (nd < h->dist[x]) {
                h->dist[x] = nd;
                h->tdist[x] = h->tdist[u] + p->cost[e] + kc(p, x);
                h->pred[x] = e;
                /* a group member is an end, never a way through: entering
                 * it would drag its whole group in */
                if (grp(p, x) < 0 && x != p->root)
                    fp_pq_push(h->pq, x, nd);
            }
        }
    }
}

/* Adds v and the path to it; RETURNS 0. */
static void add_path(fp_nwh *h, int v)
{
    const fp_nwprob *p = h->p;
    int x = v;
    while (!h->in[x]) {
        /* the path's edge before dj_add resets pred[x] */
        int e = h->pred[x];
        h->in[x] = 1;
        h->acc_used += kc(p, x);
        h->acc_w += p->prize[x];
        dj_add(h, x);
        if (e < 0)
            break;
        if (!h->ein[e])
            h->acc_used += p->cost[e];
        h->ein[e] = 1;
        x = oth(p, e, x);
    }
}

/* Adds v, then every other member of its group. */
static void add_unit(fp_nwh *h, int v, const double *w)
{
    const fp_nwprob *p = h->p;
    add_path(h, v);
    dj_run(h, w);
    int g = grp(p, v);
    if (g < 0)
        return;
    for (int i = h->gstart[g]; i < h->gstart[g + 1]; i++) {
        int u = h->gmem[i];
        if (h->in[u] || !isfinite(h->dist[u]))
            continue;
        add_path(h, u);
        dj_run(h, w);
    }
}

static double tree_used(const fp_nwh *h)
{
    const fp_nwprob *p = h->p;
    double c = 0;
    for (int e = 0; e < p->m; e++)
        if (h->ein[e])
            c += p->cost[e];
    for (int v = 0; v < p->n; v++)
        if (h->in[v])
            c += kc(p, v);
    return c;
}

static double tree_weight(const fp_nwh *h)
{
    double s = 0;
    for (int v = 0; v < h->p->n; v++)
        if (h->in[v])
            s += h->p->prize[v];
    return s;
}

/* Upper bound on the added cost of v's unit (its group) and its weight. */
static int unit_est(const fp_nwh *h, int v, double *cost, double *wt, double *sdist)
{
    const fp_nwprob *p = h->p;
    int g = grp(p, v);
    if (g < 0) {
        *cost = h->tdist[v];
        *wt = p->prize[v];
        *sdist = h->dist[v] + kc(p, v);
        return isfinite(*cost);
    }
    double c = 0, wsum = 0, sd = 0;
    for (int i = h->gstart[g]; i < h->gstart[g + 1]; i++) {
        int u = h->gmem[i];
        if (h->in[u])
            continue;
        if (!isfinite(h->tdist[u]))
            return 0;
        c += h->tdist[u];
        sd += h->dist[u] + kc(p, u);
        wsum += p->prize[u];
    }
    *cost = c;
    *wt = wsum;
    *sdist = sd;
    return 1;
}

/* Grows the tree. PC: nearest node worth its path (or forced); BUDGET:
 * best weight per euro that fits; QUOTA: best weight per euro until the
 * quota is met. */
static void grow(fp_nwh *h, const double *w, const double *yv)
{
    const fp_nwprob *p = h->p;
    double used = tree_used(h), have = tree_weight(h);
    dj_reset(h);
    dj_run(h, w);
    for (int it = 0;; it++) {
        /* the tree stays valid at every step: stop at the deadline */
        if ((it & 15) == 15 && h->deadline > 0 && fp_nw_now() > h->deadline)
            break;
        int best = -1, exact = it == 0;
        double bscore = -INFINITY;
        for (int v = 0; v < p->n; v++) {
            if (h->in[v] || !isfinite(h->dist[v]))
                continue;
            int forced = yv && yv[v] >= 0.5;
            if (!forced && p->prize[v] <= 0)
                continue;
            double c, wt, sd;
            if (!unit_est(h, v, &c, &wt, &sd))
                continue;
            double score;
            if (p->mode == FP_NW_PC) {
                /* worth it when path + node costs are below the prize */
                if (!forced && !(sd < wt))
                    continue;
                score = -sd + (forced ? 1e300 : 0);
            } else {
                if (p->mode == FP_NW_BUDGET && used + c > p->limit * (1 - 1e-9)) {
                    /* near the budget: the exact sum, not the running one */
                    if (!exact) {
                        used = tree_used(h);
                        exact = 1;
                    }
                    if (used + c > p->limit * (1 + 1e-12))
                        continue;
                }
                if (p->mode == FP_NW_QUOTA && !forced && have >= p->limit)
                    continue;
                score = wt / (sd + 1e-9);
                if (forced)
                    score = 1e300 - sd;
            }
            if (score > bscore) {
                bscore = score;
                best = v;
            }
        }
        if (best < 0)
            break;
        /* running sums (tree_used over the whole graph per unit made
         * this quadratic) */
        h->acc_used = used;
        h->acc_w = have;
        add_unit(h, best, w);
        used = h->acc_used;
        have = h->acc_w;
    }
}

/* Orients the tree from s: order[] in BFS order, par[] parent edge.
 * RETURNS the node count. */
static int orient(fp_nwh *h, int s)
{
    const fp_nwprob *p = h->p;
    int qh = 0, qt = 0;
    for (int v = 0; v < p->n; v++)
        h->par[v] = -2;
    h->order[qt++] = s;
    h->par[s] = -1;
    while (qh < qt) {
        int v = h->order[qh++];
        for (int i = h->as[v]; i < h->as[v + 1]; i++) {
            int e = h->ae[i];
            if (!h->ein[e])
                continue;
            int x = oth(p, e, v);
            if (h->par[x] != -2)
                continue;
            h->par[x] = e;
            h->order[qt++] = x;
        }
    }
    return qt;
}

/* Prim's MST over the tree's nodes on the true costs, from s. */
static void mst(fp_nwh *h, int s)
{
    const fp_nwprob *p = h->p;
    fp_pq_clear(h->pq);
    for (int v = 0; v < p->n; v++) {
        h->dist[v] = INFINITY;
        h->pred[v] = -1;
        h->tdeg[v] = 0; /* 1 = settled */
    }
    memset(h->ein, 0, (size_t)p->m);
    h->dist[s] = 0;
    fp_pq_push(h->pq, s, 0);
    while (!fp_pq_empty(h->pq)) {
        int u = fp_pq_pop(h->pq);
        if (h->tdeg[u])
            continue;
        h->tdeg[u] = 1;
        if (h->pred[u] >= 0)
            h->ein[h->pred[u]] = 1;
        for (int i = h->as[u]; i < h->as[u + 1]; i++) {
            int e = h->ae[i], x = oth(p, e, u);
            if (!h->in[x] || h->tdeg[x])
                continue;
            if (p->cost[e] < h->dist[x]) {
                h->dist[x] = p->cost[e];
                h->pred[x] = e;
                fp_pq_push(h->pq, x, p->cost[e]);
            }
        }
    }
    for (int v = 0; v < p->n; v++)
        if (h->in[v] && !h->tdeg[v])
            h->in[v] = 0; /* unreachable: cannot happen for a connected set */
}

/* Net value of each subtree hanging from v (lam x prize - node cost + the
 * children worth their edge), bottom-up over the BFS order; tdeg[v] = 1
 * marks a subtree holding a group member or the root (never cut). */
static void dp(fp_nwh *h, int cnt, double lam)
{
    const fp_nwprob *p = h->p;
    for (int i = 0; i < cnt; i++) {
        int v = h->order[i];
        h->tdeg[v] = grp(p, v) >= 0 || v == p->root;
        h->net[v] = lam * p->prize[v] - kc(p, v);
    }
    for (int i = cnt - 1; i > 0; i--) {
        int v = h->order[i];
        int e = h->par[v], u = oth(p, e, v);
        if (h->tdeg[v])
            h->tdeg[u] = 1;
        double contrib = h->net[v] - p->cost[e];
        if (contrib > 0 || h->tdeg[v])
            h->net[u] += contrib;
    }
}

/* After dp: cuts the subtrees not worth their edge, parents first. */
static void cut_unprofitable(fp_nwh *h, int cnt)
{
    const fp_nwprob *p = h->p;
    for (int i = 1; i < cnt; i++) {
        int v = h->order[i];
        int e = h->par[v], u = oth(p, e, v);
        if (!h->in[u] || (!h->tdeg[v] && h->net[v] - p->cost[e] <= 0)) {
            h->in[v] = 0;
            h->ein[e] = 0;
        }
    }
}

/* Strong pruning (PC): keeps the best subtree of the tree (exact for a
 * fixed tree). */
static void strong_prune(fp_nwh *h, int s)
{
    const fp_nwprob *p = h->p;
    int cnt = orient(h, s);
    dp(h, cnt, 1.0);
    int top = s;
    if (p->root < 0 && !h->tdeg[s]) {
        for (int i = 0; i < cnt; i++) {
            int v = h->order[i];
            if (h->net[v] > h->net[top] + 1e-9)
                top = v;
        }
    }
    if (top != s) {
        /* keep only top's subtree (BFS order: parents first) */
        for (int i = 0; i < cnt; i++) {
            int x = h->order[i];
            int keep = x == top ||
                       (h->par[x] >= 0 && h->in[oth(p, h->par[x], x)] == 2);
            h->in[x] = keep ? 2 : 0;
            if (!keep && h->par[x] >= 0)
                h->ein[h->par[x]] = 0;
        }
        if (h->par[top] >= 0)
            h->ein[h->par[top]] = 0;
        for (int i = 0; i < cnt; i++)
            if (h->in[h->order[i]])
                h->in[h->order[i]] = 1;
        cnt = orient(h, top);
        dp(h, cnt, 1.0);
    }
    cut_unprofitable(h, cnt);
}

/* Removes leaves that bring nothing: no weight, no group, not the root.
 * QUOTA: then leaves whose removal keeps the quota, most expensive per
 * unit of weight first. */
static void prune_leaves(fp_nwh *h)
{
    const fp_nwprob *p = h->p;
    for (int v = 0; v < p->n; v++)
        h->tdeg[v] = 0;
    for (int e = 0; e < p->m; e++)
        if (h->ein[e]) {
            h->tdeg[p->tail[e]]++;
            h->tdeg[p->head[e]]++;
        }
    int changed = 1;
    double have = tree_weight(h);
    while (changed) {
        changed = 0;
        int bestv = -1, beste = -1;
        double bratio = -1;
        for (int v = 0; v < p->n; v++) {
            if (!h->in[v] || h->tdeg[v] != 1 || v == p->root || grp(p, v) >= 0)
                continue;
            int le = -1;
            for (int i = h->as[v]; i < h->as[v + 1]; i++)
                if (h->ein[h->ae[i]]) {
                    le = h->ae[i];
                    break;
                }
            if (le < 0)
                continue;
            if (p->prize[v] <= 0) {
                h->in[v] = 0;
                h->ein[le] = 0;
                h->tdeg[v] = 0;
                h->tdeg[oth(p, le, v)]--;
                changed = 1;
                continue;
            }
            if (p->mode == FP_NW_QUOTA && have - p->prize[v] >= p->limit) {
                double r = (p->cost[le] + kc(p, v)) / p->prize[v];
                if (r > bratio) {
                    bratio = r;
                    bestv = v;
                    beste = le;
                }
            }
        }
        if (!changed && bestv >= 0 && bratio > 0) {
            h->in[bestv] = 0;
            h->ein[beste] = 0;
            h->tdeg[bestv] = 0;
            h->tdeg[oth(p, beste, bestv)]--;
            have -= p->prize[bestv];
            changed = 1;
        }
    }
}

static int any_in(const fp_nwh *h)
{
    for (int v = 0; v < h->p->n; v++)
        if (h->in[v])
            return 1;
    return 0;
}

static int first_in(const fp_nwh *h)
{
    if (h->p->root >= 0)
        return h->p->root;
    for (int v = 0; v < h->p->n; v++)
        if (h->in[v])
            return v;
    return -1;
}

int fp_nwh_build(fp_nwh *h, int start, const double *w, const double *yv,
                 unsigned char *node_in, unsigned char *edge_in, double *obj)
{
    const fp_nwprob *p = h->p;
    memset(h->in, 0, (size_t)(p->n > 0 ? p->n : 1));
    memset(h->ein, 0, (size_t)(p->m > 0 ? p->m : 1));
    if (p->root >= 0)
        start = p->root;
    if (start >= 0 && start < p->n) {
        h->in[start] = 1;
        dj_reset(h);
        dj_run(h, w);
        if (grp(p, start) >= 0)
            add_unit(h, start, w);
    }
    double prev = INFINITY;
    for (int round = 0; round < 4; round++) {
        grow(h, w, round == 0 ? yv : NULL);
        int s = first_in(h);
        if (s < 0)
            break;
        mst(h, s);
        if (p->mode == FP_NW_PC)
            strong_prune(h, s);
        prune_leaves(h);
        double o;
        if (!any_in(h) && p->root >= 0)
            break;
        if (!fp_nw_eval(p, h->in, h->ein, &o))
            break;
        if (o >= prev - 1e-9 * (1 + fabs(o)))
            break;
        prev = o;
        w = NULL; /* later rounds on true costs */
    }
    double o;
    if (!fp_nw_eval(p, h->in, h->ein, &o))
        return 0;
    memcpy(node_in, h->in, (size_t)p->n);
    memcpy(edge_in, h->ein, (size_t)p->m);
    *obj = o;
    return 1;
}

int fp_nwh_improve(fp_nwh *h, unsigned char *node_in, unsigned char *edge_in, double *obj,
                   long effort)
{
    const fp_nwprob *p = h->p;
    int any = 0;
    for (int pass = 0; pass < 8 && effort > 0; pass++) {
        int improved = 0;
        for (int v = 0; v < p->n && effort > 0; v++) {
            if (v == p->root || grp(p, v) >= 0)
                continue;
            if (!node_in[v]) {
                /* insertion: only next to the tree */
                int adj = 0;
                for (int i = h->as[v]; i < h->as[v + 1] && !adj; i++)
                    adj = node_in[oth(p, h->ae[i], v)];
                if (!adj)
                    continue;
            }
            if ((--effort & 63) == 0 && h->deadline > 0 && fp_nw_now() > h->deadline)
                effort = 0;
            memcpy(h->in, node_in, (size_t)p->n);
            h->in[v] = !node_in[v];
            int s = first_in(h);
            if (s < 0)
                continue;
            mst(h, s);
            if (p->mode == FP_NW_PC)
                strong_prune(h, first_in(h));
            prune_leaves(h);
            double o;
            if (!fp_nw_eval(p, h->in, h->ein, &o))
                continue;
            if (o < *obj - 1e-9 * (1 + fabs(o))) {
                memcpy(node_in, h->in, (size_t)p->n);
                memcpy(edge_in, h->ein, (size_t)p->m);
                *obj = o;
                improved = any = 1;
            }
        }
        if (!improved)
            break;
    }
    return any;
}

/* Drops the leaf paying least per euro until the tree fits the budget.
 * RETURNS 1 if it fits. */
static int shrink_leaves(fp_nwh *h)
{
    const fp_nwprob *p = h->p;
    double used = tree_used(h);
    for (int v = 0; v < p->n; v++)
        h->tdeg[v] = 0;
    for (int e = 0; e < p->m; e++)
        if (h->ein[e]) {
            h->tdeg[p->tail[e]]++;
            h->tdeg[p->head[e]]++;
        }
    while (used > p->limit * (1 + 1e-12)) {
        int bv = -1, be = -1;
        double br = -1;
        for (int v = 0; v < p->n; v++) {
            if (!h->in[v] || h->tdeg[v] != 1 || v == p->root || grp(p, v) >= 0)
                continue;
            int le = -1;
            for (int i = h->as[v]; i < h->as[v + 1] && le < 0; i++)
                if (h->ein[h->ae[i]])
                    le = h->ae[i];
            double r = (p->cost[le] + kc(p, v)) / (p->prize[v] + 1e-9);
            if (r > br) {
                br = r;
                bv = v;
                be = le;
            }
        }
        if (bv < 0)
            return 0;
        h->in[bv] = 0;
        h->ein[be] = 0;
        h->tdeg[bv] = 0;
        h->tdeg[oth(p, be, bv)]--;
        used -= p->cost[be] + kc(p, bv);
    }
    return 1;
}

/* Resets the working tree to (sn, se), hangs it from s and keeps its best
 * subtree for prizes lam x prize minus node costs (strong pruning, exact on
 * a tree); group members and the root are never cut off. */
static void prune_at(fp_nwh *h, const unsigned char *sn, const unsigned char *se, int s,
                     double lam)
{
    const fp_nwprob *p = h->p;
    memcpy(h->in, sn, (size_t)p->n);
    memcpy(h->ein, se, (size_t)(p->m > 0 ? p->m : 1));
    int cnt = orient(h, s);
    dp(h, cnt, lam);
    cut_unprofitable(h, cnt);
}

int fp_nwh_repair(fp_nwh *h, const unsigned char *node_in, const unsigned char *edge_in,
                  unsigned char *out_n, unsigned char *out_e, double *obj)
{
    const fp_nwprob *p = h->p;
    memcpy(h->in, node_in, (size_t)p->n);
    int s = first_in(h);
    if (s < 0)
        return 0;
    mst(h, s);
    prune_leaves(h);
    if (p->mode == FP_NW_BUDGET && tree_used(h) > p->limit * (1 + 1e-12)) {
        /* shrink: the best subtree for prizes lam x w (strong pruning is
         * exact on a tree), lam bisected for the most weight in budget */
        int n = p->n, m = p->m;
        unsigned char *sn = malloc((size_t)n), *se = malloc((size_t)(m > 0 ? m : 1));
        unsigned char *bn = calloc((size_t)n, 1), *be = calloc((size_t)(m > 0 ? m : 1), 1);
        if (!sn || !se || !bn || !be) {
            free(sn);
            free(se);
            free(bn);
            free(be);
            return 0;
        }
        memcpy(sn, h->in, (size_t)n);
        memcpy(se, h->ein, (size_t)(m > 0 ? m : 1));
        double wmin = INFINITY, tot = 1, bw = -1;
        for (int v = 0; v < n; v++)
            if (sn[v] && p->prize[v] > 0 && p->prize[v] < wmin)
                wmin = p->prize[v];
        for (int e = 0; e < m; e++)
            if (se[e])
                tot += p->cost[e];
        for (int v = 0; v < n; v++)
            if (sn[v])
                tot += kc(p, v);
        double lo = 0, hi = isfinite(wmin) ? 2 * tot / wmin : 1;
        for (int it = 0; it < 40; it++) {
            double lam = it == 0 ? 0 : 0.5 * (lo + hi);
            prune_at(h, sn, se, s, lam);
            double used = tree_used(h), w = tree_weight(h);
            if (used <= p->limit * (1 + 1e-12)) {
                if (w > bw) {
                    bw = w;
                    memcpy(bn, h->in, (size_t)n);
                    memcpy(be, h->ein, (size_t)(m > 0 ? m : 1));
                }
                if (it > 0)
                    lo = lam;
            } else if (it > 0) {
                hi = lam;
            }
            if (it == 0 && bw < 0)
                break; /* even the root's own subtree breaks the budget */
        }
        /* also: the smallest subtree over budget, trimmed leaf by leaf */
        if (bw >= 0 && hi > lo) {
            prune_at(h, sn, se, s, hi);
            if (shrink_leaves(h) && tree_weight(h) > bw) {
                bw = tree_weight(h);
                memcpy(bn, h->in, (size_t)n);
                memcpy(be, h->ein, (size_t)(m > 0 ? m : 1));
            }
        }
        int okb = bw >= 0;
        if (okb) {
            memcpy(h->in, bn, (size_t)n);
            memcpy(h->ein, be, (size_t)(m > 0 ? m : 1));
        }
        free(sn);
        free(se);
        free(bn);
        free(be);
        if (!okb)
            return 0;
    }
    grow(h, NULL, NULL);
    s = first_in(h);
    if (s >= 0) {
        mst(h, s);
        if (p->mode == FP_NW_PC)
            strong_prune(h, s);
        prune_leaves(h);
    }
    double o;
    if (!fp_nw_eval(p, h->in, h->ein, &o))
        return 0;
    memcpy(out_n, h->in, (size_t)p->n);
    memcpy(out_e, h->ein, (size_t)p->m);
    *obj = o;
    return 1;
}

/* Deterministic xorshift. */
static unsigned nxt(unsigned *s)
{
    unsigned x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

int fp_nwh_run(fp_nwh *h, int starts, unsigned seed, unsigned char *node_in,
               unsigned char *edge_in, double *obj, int *has)
{
    const fp_nwprob *p = h->p;
    int improved = 0;
    unsigned st = seed * 2654435761u + 1;
    /* start nodes: the root, or the nodes of largest prize */
    int *cand = h->order;
    int nc = 0;
    if (p->root >= 0) {
        cand[nc++] = p->root;
    } else {
        for (int v = 0; v < p->n; v++)
            if (p->prize[v] > 0 && !(p->mode == FP_NW_BUDGET && kc(p, v) > p->limit))
                cand[nc++] = v;
        /* partial selection of the largest prizes */
        int k = nc < starts ? nc : starts;
        for (int i = 0; i < k; i++) {
            int b = i;
            for (int j = i + 1; j < nc; j++)
                if (p->prize[cand[j]] > p->prize[cand[b]])
                    b = j;
            int t = cand[i];
            cand[i] = cand[b];
            cand[b] = t;
        }
        nc = k;
    }
    int *starts_list = malloc((size_t)(nc > 0 ? nc : 1) * sizeof(int));
    if (!starts_list)
        return 0;
    memcpy(starts_list, cand, (size_t)nc * sizeof(int));
    int runs = p->root >= 0 ? starts : nc;
    if (runs < 1)
        runs = 1;
    for (int r = 0; r < runs; r++) {
        if (r > 0 && h->deadline > 0 && fp_nw_now() > h->deadline)
            break;
        int s = nc > 0 ? starts_list[r % nc] : -1;
        const double *w = NULL;
        if (p->root >= 0 && r > 0) {
            /* perturbed costs for diversity */
            for (int e = 0; e < p->m; e++)
                h->wtmp[e] = p->cost[e] * (1.0 + 0.25 * (double)(nxt(&st) % 1000) / 1000.0);
            w = h->wtmp;
        }
        double o;
        if (!fp_nwh_build(h, s, w, NULL, h->nbest, h->ebest, &o))
            continue;
        if (!*has || o < *obj - 1e-9 * (1 + fabs(o))) {
            memcpy(node_in, h->nbest, (size_t)p->n);
            memcpy(edge_in, h->ebest, (size_t)p->m);
            *obj = o;
            *has = 1;
            improved = 1;
        }
    }
    free(starts_list);
    if (*has && fp_nwh_improve(h, node_in, edge_in, obj, 4000))
        improved = 1;
    return improved;
}

/* ---------------------------------------------------------------------
 * Tree knapsack. On a tree the budget problem is exact by dynamic
 * programming over (integer) weights: dp_v[w] = least cost of a subtree
 * hanging from v (v in) of weight w; a child joins its parent's table by
 * a (min, +) merge. Weights that are not small integers are scaled down
 * (the tree is then only good, not optimal, on that spanning tree). Run
 * on a spanning tree of a set of nodes (a known tree above the budget, or
 * the union of known trees), or on the shortest-path tree of the graph.
 * --------------------------------------------------------------------- */

#define KNAP_WMAX 6000          /* weight resolution */
#define KNAP_CELLS 40000000L    /* cap on the merge tables */

int fp_nwh_knap(fp_nwh *h, const unsigned char *base_n, unsigned char *out_n,
                unsigned char *out_e, double *obj)
{
    const fp_nwprob *p = h->p;
    int n = p->n, r = p->root, ok = 0;
    if (p->mode != FP_NW_BUDGET || r < 0 || p->group || n == 0)
        return 0;
    if (base_n) {
        memcpy(h->in, base_n, (size_t)n);
        h->in[r] = 1;
        mst(h, r);
    } else {
        /* shortest-path tree from the root (edge + node costs) */
        fp_pq_clear(h->pq);
        for (int v = 0; v < n; v++) {
            h->dist[v] = INFINITY;
            h->pred[v] = -1;
            h->in[v] = 0;
        }
        memset(h->ein, 0, (size_t)(p->m > 0 ? p->m : 1));
        h->dist[r] = 0;
        fp_pq_push(h->pq, r, 0);
        while (!fp_pq_empty(h->pq)) {
            int u = fp_pq_pop(h->pq);
            if (h->in[u])
                continue;
            h->in[u] = 1;
            if (h->pred[u] >= 0)
                h->ein[h->pred[u]] = 1;
            for (int i = h->as[u]; i < h->as[u + 1]; i++) {
                int e = h->ae[i], x = oth(p, e, u);
                double d = h->dist[u] + p->cost[e] + kc(p, x);
                if (!h->in[x] && d < h->dist[x] && d <= p->limit) {
                    h->dist[x] = d;
                    h->pred[x] = e;
                    fp_pq_push(h->pq, x, d);
                }
            }
        }
    }
    int cnt = orient(h, r);
    double wsum = 0;
    int integral = 1;
    for (int i = 0; i < cnt; i++) {
        double w = p->prize[h->order[i]];
        wsum += w;
        if (w != floor(w))
            integral = 0;
    }
    int *wi = malloc((size_t)n * sizeof *wi), *sz = calloc((size_t)n, sizeof *sz);
    int *tgt = malloc((size_t)n * sizeof *tgt);
    double **dp = calloc((size_t)n, sizeof *dp);
    int **tk = calloc((size_t)n, sizeof *tk);
    double *tmp = NULL;
    int *ttmp = NULL;
    long cells = 0;
    if (!wi || !sz || !tgt || !dp || !tk)
        goto out;
    /* the finest weight resolution whose merge tables fit the cap (a dry
     * run of the table sizes) */
    double wmax = integral && wsum <= KNAP_WMAX ? wsum : KNAP_WMAX;
    for (;; wmax *= 0.5) {
        double scale = integral && wmax >= wsum ? 1.0 : (wsum > 0 ? wmax / wsum : 1.0);
        for (int i = 0; i < cnt; i++) {
            int v = h->order[i];
            wi[v] = (int)floor(p->prize[v] * scale + 1e-9);
            sz[v] = wi[v];
        }
        cells = 0;
        for (int i = cnt - 1; i > 0; i--) {
            int c = h->order[i], u = oth(p, h->par[c], c);
            cells += (long)(sz[u] + 1) * (sz[c] + 1);
            sz[u] += sz[c];
        }
        if (cells <= KNAP_CELLS)
            break;
        if (wmax < 64)
            goto out;
    }
    cells = 0;
    for (int i = 0; i < cnt; i++) {
        int v = h->order[i];
        sz[v] = wi[v];
        dp[v] = malloc(((size_t)wi[v] + 1) * sizeof(double));
        if (!dp[v])
            goto out;
        for (int w = 0; w <= wi[v]; w++)
            dp[v][w] = INFINITY;
        dp[v][wi[v]] = kc(p, v);
    }
    /* children join their parents, deepest first */
    for (int i = cnt - 1; i > 0; i--) {
        int c = h->order[i], e = h->par[c], u = oth(p, e, c);
        int sa = sz[u], sb = sz[c], sn = sa + sb;
        cells += (long)(sa + 1) * (sb + 1);
        if (cells > KNAP_CELLS || (h->deadline > 0 && (i & 63) == 0 && fp_nw_now() > h->deadline))
            goto out;
        tmp = malloc(((size_t)sn + 1) * sizeof *tmp);
        ttmp = malloc(((size_t)sn + 1) * sizeof *ttmp);
        if (!tmp || !ttmp)
            goto out;
        for (int w = 0; w <= sn; w++) {
            tmp[w] = INFINITY;
            ttmp[w] = -1;
        }
        for (int w1 = 0; w1 <= sa; w1++) {
            double a = dp[u][w1];
            if (!(a <= p->limit))
                continue;
            if (a < tmp[w1]) {
                tmp[w1] = a;
                ttmp[w1] = -1;
            }
            for (int w2 = 0; w2 <= sb; w2++) {
                double v = a + dp[c][w2] + p->cost[e];
                if (v < tmp[w1 + w2] && v <= p->limit) {
                    tmp[w1 + w2] = v;
                    ttmp[w1 + w2] = w2;
                }
            }
        }
        free(dp[u]);
        dp[u] = tmp;
        tk[c] = ttmp;
        tmp = NULL;
        ttmp = NULL;
        sz[u] = sn;
        free(dp[c]);
        dp[c] = NULL;
    }
    /* the most weight within the budget, then back down the merges */
    int best = -1;
    for (int w = 0; w <= sz[r]; w++)
        if (dp[r][w] <= p->limit * (1 + 1e-12))
            best = w;
    if (best < 0)
        goto out;
    memset(h->in, 0, (size_t)n);
    memset(h->ein, 0, (size_t)(p->m > 0 ? p->m : 1));
    for (int i = 0; i < cnt; i++)
        tgt[h->order[i]] = -1;
    tgt[r] = best;
    h->in[r] = 1;
    for (int i = 1; i < cnt; i++) {
        int c = h->order[i], e = h->par[c], u = oth(p, e, c);
        if (!h->in[u])
            continue;
        int w2 = tk[c][tgt[u]];
        if (w2 < 0)
            continue;
        h->in[c] = 1;
        h->ein[e] = 1;
        tgt[c] = w2;
        tgt[u] -= w2;
    }
    grow(h, NULL, NULL);
    mst(h, r);
    prune_leaves(h);
    double o;
    if (fp_nw_eval(p, h->in, h->ein, &o)) {
        memcpy(out_n, h->in, (size_t)n);
        memcpy(out_e, h->ein, (size_t)(p->m > 0 ? p->m : 1));
        *obj = o;
        ok = 1;
    }
out:
    if (dp)
        for (int v = 0; v < n; v++)
            free(dp[v]);
    if (tk)
        for (int v = 0; v < n; v++)
            free(tk[v]);
    free(dp);
    free(tk);
    free(tmp);
    free(ttmp);
    free(wi);
    free(sz);
    free(tgt);
    return ok;
}
