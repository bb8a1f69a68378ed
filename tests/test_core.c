/* test_core: error values, the Steiner graph container and the CLI shell. */
#include "error.h"
#include "sgraph.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

START_TEST(error_set_and_prefix)
{
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(e.code, FP_OK);
    int rc = fp_error_set(&e, FP_EINPUT, "layer %s: feature %d:\nfield %s", "b", 7, "NB");
    ck_assert_int_eq(rc, FP_EINPUT);
    ck_assert_str_eq(e.msg, "layer b: feature 7: field NB");
    fp_error_prefix(&e, "%s: ", "x.gpkg");
    ck_assert_str_eq(e.msg, "x.gpkg: layer b: feature 7: field NB");
    ck_assert_str_eq(fp_error_name(FP_EINPUT), "EINPUT");
    ck_assert_int_eq(fp_error_exit_status(FP_EINPUT), 1);
    ck_assert_int_eq(fp_error_exit_status(FP_EUSAGE), 2);
    ck_assert_int_eq(fp_error_exit_status(FP_OK), 0);
    ck_assert_int_eq(fp_error_set(NULL, FP_EIO, "ignored"), FP_EIO);
}
END_TEST

START_TEST(sgraph_rejects_bad_edges)
{
    fp_error e;
    fp_error_clear(&e);
    fp_sgraph *g = fp_sgraph_create(3);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(fp_sgraph_add_edge(g, 0, 1, 2.5, &e), 0);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(fp_sgraph_add_edge(g, 1, 2, 1.0, &e), i + 1);
    ck_assert_int_eq(fp_sgraph_add_edge(g, 0, 3, 1.0, &e), -1);
    ck_assert_int_eq(e.code, FP_EINPUT);
    ck_assert_int_eq(fp_sgraph_add_edge(g, 0, 1, NAN, &e), -1);
    ck_assert_int_eq(fp_sgraph_add_edge(g, 0, 1, -1.0, &e), -1);
    ck_assert_int_eq(fp_sgraph_add_edge(g, 0, 1, INFINITY, &e), -1);
    ck_assert_int_eq(g->n_edges, 41);
    ck_assert_double_eq(g->cost[0], 2.5);
    g->term[0] = g->term[2] = 1;
    ck_assert_int_eq(fp_sgraph_n_terminals(g), 2);
    ck_assert_int_eq(g->ext_id[2], 3);
    fp_sgraph_free(g);
    fp_sgraph_free(NULL);
}
END_TEST

START_TEST(cli_usage_and_exit_codes)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli("--help", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "inspect"));
    ck_assert_ptr_nonnull(strstr(out, "stp"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("frobnicate", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'frobnicate'"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("", &out, &err), 2);
    free(out);
    free(err);
}
END_TEST

/* fibreplan hands the GIS commands to fibreplan-gis beside it: the answer
 * is that command's own; without fibreplan-gis the error names it. */
START_TEST(cli_gis_commands_handed_over)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli("runs --db /nonexistent/project.sqlite", &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/project.sqlite: no project database"));
    free(out);
    free(err);
    char *dir = tu_tmpdir(), cmd[4096];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/fibreplan' && '%s/fibreplan' runs 2>'%s/err'", FP_BINARY,
             dir, dir, dir);
    int st = system(cmd);
    ck_assert(WIFEXITED(st));
    ck_assert_int_eq(WEXITSTATUS(st), 5);
    char *msg = tu_read_in(dir, "err", NULL);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(strstr(msg, "runs: cannot start"));
    ck_assert_ptr_nonnull(strstr(msg, "/fibreplan-gis: No such file"));
    /* the solver command needs nothing beside it */
    snprintf(cmd, sizeof cmd, "'%s/fibreplan' stp '%s/pace/instance001.gr' >/dev/null 2>&1", dir, FP_TEST_DATA);
    st = system(cmd);
    ck_assert(WIFEXITED(st));
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    free(msg);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, error_set_and_prefix);
    tcase_add_test(tc, sgraph_rejects_bad_edges);
    tcase_add_test(tc, cli_usage_and_exit_codes);
    tcase_add_test(tc, cli_gis_commands_handed_over);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
