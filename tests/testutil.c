/* testutil: helpers shared by the Check suites. */
#include "testutil.h"

#include "fsutil.h"
#include "sgraph.h"

#include <float.h>
#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_read_file(const char *path, size_t *len)
{
    char *text = NULL;
    fp_error e;
    fp_error_clear(&e);
    return fp_fs_read_file(path, (size_t)1 << 30, &text, len, &e) ? NULL : text;
}

char *tu_read_in(const char *dir, const char *name, size_t *len)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return tu_read_file(p, len);
}

int tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/fptest.XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

void tu_rmtree(const char *path)
{
    if (!path || !*path)
        return;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
}

int tu_run_cli(const char *args, char **out, char **errout)
{
    char *dir = tu_tmpdir();
    if (!dir)
        return -1;
    char o[600], e[600], cmd[8192];
    snprintf(o, sizeof o, "%s/out", dir);
    snprintf(e, sizeof e, "%s/err", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s' </dev/null", FP_BINARY, args, o, e);
    int st = system(cmd);
    int rc = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    if (out)
        *out = tu_read_file(o, NULL);
    if (errout)
        *errout = tu_read_file(e, NULL);
    tu_rmtree(dir);
    free(dir);
    return rc;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

unsigned tu_rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

fp_sgraph *tu_graph(int n, const int (*e)[2], const double *c, int m, const int *terms, int k)
{
    fp_error err;
    fp_sgraph *g = fp_sgraph_create(n);
    for (int i = 0; i < m; i++)
        ck_assert_int_ge(fp_sgraph_add_edge(g, e[i][0], e[i][1], c[i], &err), 0);
    for (int i = 0; i < k; i++)
        g->term[terms[i]] = 1;
    return g;
}

fp_sgraph *tu_random_graph(unsigned *s, int n, int extra, int k, int integral)
{
    fp_error err;
    fp_sgraph *g = fp_sgraph_create(n);
    for (int v = 1; v < n; v++) {
        double c = integral ? 1 + tu_rnd(s) % 10 : 0.5 + (tu_rnd(s) % 1000) / 97.0;
        fp_sgraph_add_edge(g, v, (int)(tu_rnd(s) % (unsigned)v), c, &err);
    }
    for (int i = 0; i < extra; i++) {
        int u = (int)(tu_rnd(s) % (unsigned)n), v = (int)(tu_rnd(s) % (unsigned)n);
        if (u == v)
            continue;
        double c = integral ? 1 + tu_rnd(s) % 10 : 0.5 + (tu_rnd(s) % 1000) / 97.0;
        fp_sgraph_add_edge(g, u, v, c, &err);
    }
    for (int i = 0; i < k; i++)
        g->term[tu_rnd(s) % (unsigned)n] = 1;
    return g;
}

double tu_mst_of(const fp_sgraph *g, unsigned mask)
{
    int n = g->n_nodes, cnt = 0, comp[32];
    for (int v = 0; v < n; v++) {
        comp[v] = v;
        cnt += (mask >> v) & 1;
    }
    if (cnt <= 1)
        return 0;
    /* Kruskal with a naive sort */
    int m = g->n_edges, *order = malloc((size_t)(m > 0 ? m : 1) * sizeof *order);
    for (int e = 0; e < m; e++)
        order[e] = e;
    for (int i = 0; i < m; i++)
        for (int j = i + 1; j < m; j++)
            if (g->cost[order[j]] < g->cost[order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    double c = 0;
    int joined = 0;
    for (int i = 0; i < m; i++) {
        int e = order[i], a = g->tail[e], b = g->head[e];
        if (!((mask >> a) & 1) || !((mask >> b) & 1))
            continue;
        int ra = comp[a], rb = comp[b];
        if (ra == rb)
            continue;
        for (int v = 0; v < n; v++)
            if (comp[v] == rb)
                comp[v] = ra;
        c += g->cost[e];
        joined++;
    }
    free(order);
    return joined == cnt - 1 ? c : INFINITY;
}


double tu_steiner_brute_force(const fp_sgraph *g)
{
    int n = g->n_nodes, ns = 0, steiner[32], k = 0;
    unsigned terms = 0;
    for (int v = 0; v < n; v++) {
        if (g->term[v]) {
            terms |= 1u << v;
            k++;
        } else {
            steiner[ns++] = v;
        }
    }
    if (k <= 1)
        return 0;
    double best = DBL_MAX;
    for (unsigned sub = 0; sub < (1u << ns); sub++) {
        unsigned mask = terms;
        for (int i = 0; i < ns; i++)
            if (sub & (1u << i))
                mask |= 1u << steiner[i];
        double c = tu_mst_of(g, mask);
        if (c < best)
            best = c;
    }
    return best;
}
