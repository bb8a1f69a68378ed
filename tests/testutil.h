/* testutil: helpers shared by the Check suites. */
#ifndef FP_TESTUTIL_H
#define FP_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Runs the fibreplan binary with args (a shell-quoted string), capturing
 * stdout into *out (malloc'd, caller frees; may be NULL to discard) and
 * stderr into *errout (likewise). Returns the exit status, -1 on failure. */
int tu_run_cli(const char *args, char **out, char **errout);

/* Makes a fresh empty temporary directory; returns a malloc'd path. */
char *tu_tmpdir(void);

/* Removes a directory tree (rm -rf). */
void tu_rmtree(const char *path);

/* Reads a whole file; returns malloc'd NUL-terminated text or NULL. */
char *tu_read_file(const char *path, size_t *len);

/* Reads dir/name whole, as tu_read_file. */
char *tu_read_in(const char *dir, const char *name, size_t *len);

/* Writes text to path; returns 0 on success. */
int tu_write_file(const char *path, const char *text);

/* Deterministic pseudo-random numbers for generated test instances: the
 * next 24-bit value of the linear congruential sequence in *s. */
unsigned tu_rnd(unsigned *s);

struct fp_sgraph;

/* A graph of n nodes with the m edges e[i] of costs c[i] and the k
 * terminals terms[] (edges must be valid: checked). Caller frees. */
struct fp_sgraph *tu_graph(int n, const int (*e)[2], const double *c, int m, const int *terms,
                           int k);

/* A random connected graph on n nodes: a random spanning tree plus `extra`
 * random edges (self-loops skipped, parallel edges possible), costs in 1..10
 * (integral) or in [0.5, 10.8], and up to k terminals (random draws, so
 * repeats make fewer). Caller frees. */
struct fp_sgraph *tu_random_graph(unsigned *s, int n, int extra, int k, int integral);

/* The cheapest tree with node set exactly mask (bit v: node v; n <= 32):
 * the MST of the induced graph; 0 for at most one node, INFINITY when the
 * induced graph is not connected. */
double tu_mst_of(const struct fp_sgraph *g, unsigned mask);

/* The Steiner tree optimum by enumeration over the Steiner-vertex subsets
 * (n <= 32, few Steiner vertices): 0 with fewer than two terminals,
 * DBL_MAX when the terminals cannot be joined. */
double tu_steiner_brute_force(const struct fp_sgraph *g);

/* Runs a suite with CK_NORMAL output; returns the process exit status. */
int tu_run_suite(Suite *s);

#endif
