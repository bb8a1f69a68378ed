/* maxflow: Dinic's maximum flow on a fixed directed graph with double
 * capacities, used to separate directed Steiner cuts. */
#ifndef FP_MAXFLOW_H
#define FP_MAXFLOW_H

typedef struct fp_maxflow fp_maxflow;

/* A flow network with n nodes and arcs a = tail[a] -> head[a] (copied).
 * RETURNS NULL on no memory. */
fp_maxflow *fp_maxflow_create(int n, int narcs, const int *tail, const int *head);
void fp_maxflow_free(fp_maxflow *f);

/* Maximum s-t flow under capacities cap[narcs] (>= 0), stopping once the
 * flow reaches `limit`. RETURNS the flow value. */
double fp_maxflow_run(fp_maxflow *f, const double *cap, int s, int t, double limit);

/* Same result as fp_maxflow_run(f, cap, s, t, limit), but when s and t are
 * those of the last run and no capacity fell since then it resumes from
 * the last run's flow (still feasible) instead of starting from zero: the
 * Steiner separation raises capacities between runs (nested cuts).
 * The residual reachability sets below do not depend on which maximum
 * flow was found, so the cuts are the same. RETURNS the flow value. */
double fp_maxflow_rerun(fp_maxflow *f, const double *cap, int s, int t, double limit);

/* After a run: side[v] = 1 for the nodes that can still reach t in the
 * residual graph (the sink side of a minimum cut), else 0. */
void fp_maxflow_sink_side(fp_maxflow *f, int t, unsigned char *side);

/* After a run: side[v] = 1 for the nodes reachable from s in the residual
 * graph (the source side of a minimum cut). */
void fp_maxflow_source_side(fp_maxflow *f, int s, unsigned char *side);

#endif
