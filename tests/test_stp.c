/* test_stp: the .stp/.gr reader (quirks and line-numbered errors), the
 * writer, and the `fibreplan stp` command (JSON, --solution, exit codes). */
#include "sgraph.h"
#include "stp.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fp_sgraph *parse(const char *text, fp_error *e)
{
    fp_sgraph *g = NULL;
    fp_error_clear(e);
    fp_stp_parse(text, strlen(text), "t.stp", &g, e);
    return g;
}

START_TEST(reads_quirky_file)
{
    const char *text =
        "33d32945 stp file, stp format version 1.0\r\n"
        "\n"
        "SECTION Comments\n"
        "Name \"quirky\"\n"
        "Remark \"caf\xc3\xa9 \xff\xfe bytes\"\n"
        "END\n"
        "section graph\n"
        "nodes\t4   \n"
        "Edges 99\n"
        "E 1 2 1.5\t\n"
        "e\t2 3  2.25\n"
        "E 3 4 3\n"
        "E 1 4 10\n"
        "End\n"
        "SECTION Coordinates\n"
        "DD 1 0 0\n"
        "END\n"
        "SECTION Terminals\n"
        "Terminals 2\n"
        "T 1\n"
        "T 4\n"
        "END\n"
        "eof\n";
    fp_error e;
    fp_sgraph *g = parse(text, &e);
    ck_assert_msg(g != NULL, "%s", e.msg);
    ck_assert_int_eq(g->n_nodes, 4);
    ck_assert_int_eq(g->n_edges, 4); /* counted, not the Edges line */
    ck_assert_double_eq(g->cost[0], 1.5);
    ck_assert_double_eq(g->cost[1], 2.25);
    ck_assert_int_eq(g->tail[1], 1);
    ck_assert_int_eq(g->head[1], 2);
    ck_assert_int_eq(fp_sgraph_n_terminals(g), 2);
    ck_assert(g->term[0] && g->term[3]);
    ck_assert_str_eq(g->name, "quirky");
    ck_assert_int_eq(g->problem, FP_PROB_SPG);
    ck_assert_int_eq(g->root, -1);
    ck_assert_int_eq(g->ext_id[3], 4);
    fp_sgraph_free(g);
}
END_TEST

START_TEST(reads_pace_and_prizes)
{
    fp_error e;
    fp_sgraph *g = parse("SECTION Graph\nNodes 3\nEdges 2\nE 1 2 5\nE 2 3 7\nEND\n\n"
                         "SECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\n\nEOF\n", &e);
    ck_assert_msg(g != NULL, "%s", e.msg);
    ck_assert_int_eq(g->n_edges, 2);
    ck_assert_str_eq(g->name, "t");
    fp_sgraph_free(g);
    g = parse("SECTION Graph\nNodes 3\nE 1 2 5\nE 2 3 7\nEND\nSECTION Terminals\n"
              "TP 1 4.5\nTP 3 2\nEND\nEOF\n", &e);
    ck_assert_msg(g != NULL, "%s", e.msg);
    ck_assert_int_eq(g->problem, FP_PROB_PCSTP);
    ck_assert_ptr_nonnull(g->prize);
    ck_assert_double_eq(g->prize[0], 4.5);
    ck_assert_double_eq(g->prize[2], 2);
    fp_sgraph_free(g);
    g = parse("SECTION Graph\nNodes 3\nE 1 2 5\nE 2 3 7\nEND\nSECTION Terminals\n"
              "RootP 2\nTP 1 4.5\nEND\nEOF\n", &e);
    ck_assert_msg(g != NULL, "%s", e.msg);
    ck_assert_int_eq(g->problem, FP_PROB_RPCSTP);
    ck_assert_int_eq(g->root, 1);
    fp_sgraph_free(g);
    g = parse("SECTION Graph\nNodes 3\nE 1 2 5\nE 2 3 7\nEND\nSECTION Terminals\n"
              "Root 2\nT 3\nEND\nEOF\n", &e);
    ck_assert_msg(g != NULL, "%s", e.msg);
    ck_assert_int_eq(g->problem, FP_PROB_SPG);
    ck_assert_int_eq(g->root, 1);
    ck_assert(g->term[1]);
    fp_sgraph_free(g);
}
END_TEST

/* Each bad file must fail with the line number in the message. */
START_TEST(bad_files_name_the_line)
{
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"SECTION Graph\nNodes 3\nE 1 4 5\nEND\n", "t.stp:3:"},
        {"SECTION Graph\nNodes 3\nE 1 2 abc\nEND\n", "t.stp:3: bad cost"},
        {"SECTION Graph\nNodes 3\n\nE 1 2 -1\nEND\n", "t.stp:4: bad cost"},
        {"SECTION Graph\nNodes 3\nE 1 2 nan\nEND\n", "t.stp:3: bad cost"},
        {"SECTION Graph\nNodes 3\nA 1 2 1\nEND\n", "t.stp:3: arc line"},
        {"SECTION Graph\nE 1 2 1\nEND\n", "t.stp:2: edge before the Nodes line"},
        {"SECTION Graph\nNodes 3\nE 1 2 1\n", "t.stp:3: file ends inside a section"},
        {"SECTION Graph\nNodes 3\nFoo 1\nEND\n", "t.stp:3: unknown keyword 'Foo'"},
        {"SECTION Graph\nNodes 3\nE 1 2\nEND\n", "t.stp:3: edge line needs"},
        {"SECTION Graph\nNodes 2\nEND\nSECTION Terminals\nT 0\nEND\n", "t.stp:5: bad integer"},
        {"hello\n", "t.stp:1: unexpected 'hello'"},
        {"SECTION Comment\nName \"x\"\nEND\n", "no Graph section"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fp_error e;
        fp_sgraph *g = parse(cases[i].text, &e);
        ck_assert_msg(g == NULL, "case %zu parsed", i);
        ck_assert_int_eq(e.code, FP_EINPUT);
        ck_assert_msg(strstr(e.msg, cases[i].expect) != NULL, "case %zu: '%s' lacks '%s'", i,
                      e.msg, cases[i].expect);
    }
    fp_error e;
    fp_sgraph *g = NULL;
    ck_assert_int_eq(fp_stp_read("/nonexistent/x.stp", &g, &e), FP_ENOTFOUND);
    ck_assert_ptr_null(g);
}
END_TEST

START_TEST(writer_round_trip)
{
    char *dir = tu_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/w.stp", dir);
    fp_error e;
    fp_error_clear(&e);
    fp_sgraph *g = fp_sgraph_create(4);
    fp_sgraph_add_edge(g, 0, 1, 1.25, &e);
    fp_sgraph_add_edge(g, 1, 2, 0.1, &e);
    fp_sgraph_add_edge(g, 2, 3, 7, &e);
    g->term[0] = g->term[3] = 1;
    snprintf(g->name, sizeof g->name, "street \"graph\"");
    ck_assert_int_eq(fp_stp_write(path, g, &e), FP_OK);
    fp_sgraph *h = NULL;
    ck_assert_int_eq(fp_stp_read(path, &h, &e), FP_OK);
    ck_assert_int_eq(h->n_nodes, 4);
    ck_assert_int_eq(h->n_edges, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(h->tail[i], g->tail[i]);
        ck_assert_int_eq(h->head[i], g->head[i]);
        ck_assert(h->cost[i] == g->cost[i]);
    }
    ck_assert(h->term[0] && h->term[3] && !h->term[1]);
    ck_assert_str_eq(h->name, "street _graph_");
    fp_sgraph_free(h);
    /* prizes and a root survive too */
    fp_sgraph_enable_prizes(g, &e);
    g->prize[1] = 3.5;
    g->problem = FP_PROB_RPCSTP;
    g->root = 0;
    ck_assert_int_eq(fp_stp_write(path, g, &e), FP_OK);
    ck_assert_int_eq(fp_stp_read(path, &h, &e), FP_OK);
    ck_assert_int_eq(h->problem, FP_PROB_RPCSTP);
    ck_assert_int_eq(h->root, 0);
    ck_assert_double_eq(h->prize[1], 3.5);
    fp_sgraph_free(h);
    fp_sgraph_free(g);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(cli_json_and_solution)
{
    char *dir = tu_tmpdir();
    char args[1024], sol[512];
    snprintf(sol, sizeof sol, "%s/out.sol", dir);
    snprintf(args, sizeof args, "stp %s/pace/instance001.gr --json --quiet --solution %s",
             FP_TEST_DATA, sol);
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "optimal");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "problem")->valuestring, "spg");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "instance")->valuestring, "instance001");
    ck_assert_double_eq(cJSON_GetObjectItem(j, "cost")->valuedouble, 503);
    ck_assert_double_eq(cJSON_GetObjectItem(j, "lower_bound")->valuedouble, 503);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "nodes")->valueint, 53);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "edges")->valueint, 80);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "terminals")->valueint, 4);
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(j, "seconds"));
    cJSON_Delete(j);
    free(out);
    free(err);
    /* the solution file: E lines in the file's numbering, summing to 503 */
    char *s = tu_read_file(sol, NULL);
    ck_assert_ptr_nonnull(s);
    double sum = 0;
    int lines = 0;
    for (char *p = strtok(s, "\n"); p; p = strtok(NULL, "\n")) {
        long u, v;
        double w;
        ck_assert_int_eq(sscanf(p, "E %ld %ld %lf", &u, &v, &w), 3);
        ck_assert(u >= 1 && u <= 53 && v >= 1 && v <= 53);
        sum += w;
        lines++;
    }
    ck_assert_double_eq(sum, 503);
    ck_assert_int_gt(lines, 2);
    free(s);
    /* readable summary */
    snprintf(args, sizeof args, "stp %s/pace/instance029.gr --quiet", FP_TEST_DATA);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "optimal"));
    ck_assert_ptr_nonnull(strstr(out, "cost       245"));
    free(out);
    free(err);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(cli_exit_codes)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli("stp --help", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "--time-limit"));
    ck_assert_ptr_nonnull(strstr(out, "--heuristic-only"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("stp --frob x.stp", &out, &err), 2);
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("stp x.stp --time-limit abc", &out, &err), 2);
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("stp /nonexistent/x.stp", &out, &err), 1);
    free(out);
    free(err);
    char *dir = tu_tmpdir();
    char path[512], args[1024];
    snprintf(path, sizeof path, "%s/bad.stp", dir);
    tu_write_file(path, "SECTION Graph\nNodes 2\nE 1 3 1\nEND\n");
    snprintf(args, sizeof args, "stp %s", path);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(err, "bad.stp:3:"));
    free(out);
    free(err);
    /* disconnected terminals: no tree, exit 4 */
    snprintf(path, sizeof path, "%s/split.stp", dir);
    tu_write_file(path, "SECTION Graph\nNodes 4\nE 1 2 1\nE 3 4 1\nEND\n"
                        "SECTION Terminals\nT 1\nT 4\nEND\nEOF\n");
    snprintf(args, sizeof args, "stp %s --json", path);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 4);
    ck_assert_ptr_nonnull(strstr(out, "\"infeasible\""));
    free(out);
    free(err);
    /* prize-collecting: solved by pcstp.c (edge 1 beats losing prize 3) */
    snprintf(path, sizeof path, "%s/pc.stp", dir);
    tu_write_file(path, "SECTION Graph\nNodes 2\nE 1 2 1\nEND\n"
                        "SECTION Terminals\nTP 1 3\nTP 2 4\nEND\nEOF\n");
    snprintf(args, sizeof args, "stp %s --json", path);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"cost\":1,"));
    free(out);
    free(err);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stp");
    TCase *tc = tcase_create("stp");
    tcase_add_test(tc, reads_quirky_file);
    tcase_add_test(tc, reads_pace_and_prizes);
    tcase_add_test(tc, bad_files_name_the_line);
    tcase_add_test(tc, writer_round_trip);
    tcase_add_test(tc, cli_json_and_solution);
    tcase_add_test(tc, cli_exit_codes);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
