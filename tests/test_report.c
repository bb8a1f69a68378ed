/* test_report: the HTML report, CSV tables, map and curve PNGs of the
 * fixture plan; privacy suppression; byte-identical CSV on a rerun. */
#include "fixture_net.h"
#include "report.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

START_TEST(writes_everything)
{
    fx f;
    fx_init(&f);
    fp_plan *p = fx_plan(&f, 1);
    fp_error e;
    fp_error_clear(&e);
    fp_report_info in;
    fp_report_info_default(&in);
    in.scenario = "fixture <test>";
    in.mode = "curve";
    in.status = "optimal";
    in.gap = 0;
    in.lower_bound = 14200;
    in.seconds = 0.25;
    fp_curve_point cv[3] = {
        {.budget = 5000, .cost = 4600, .dwellings = 10, .weight = 10, .bound = 10, .optimal = 1},
        {.budget = 20000, .cost = 14200, .dwellings = 14, .weight = 14, .bound = 14, .optimal = 1},
        {.budget = 10000, .cost = 9000, .dwellings = 13, .weight = 13, .bound = 14,
         .gap = 1.0 / 14}};
    in.curve = cv;
    in.n_curve = 3;
    in.map_width = 1000;
    in.map_height = 700;
    char *dir = tu_tmpdir();
    char sub[600];
    snprintf(sub, sizeof sub, "%s/reports/fixture", dir);
    ck_assert_msg(fp_report_write(sub, p, &in, NULL, &e) == 0, "%s", e.msg);

    size_t len;
    char *t = tu_read_in(sub, "map.png", &len);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_gt(len, 10000);
    ck_assert(memcmp(t, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(t);
    t = tu_read_in(sub, "curve.png", &len);
    ck_assert(t && memcmp(t, "\x89PNG", 4) == 0);
    free(t);

    char *html = tu_read_in(sub, "report.html", NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "fixture &lt;test&gt;")); /* escaped */
    /* suppressed block counts are escaped too, never a raw '<' in a cell */
    ck_assert_ptr_nonnull(strstr(html, "<td class=\"n\">&lt;11</td>"));
    ck_assert_ptr_null(strstr(html, "\"><11<"));
    ck_assert_ptr_nonnull(strstr(html, "data:image/png;base64,iVBORw0KGgo"));
    ck_assert_ptr_nonnull(strstr(html, "18 497 &euro;"));
    ck_assert_ptr_nonnull(strstr(html, "Coverage curve"));
    ck_assert_ptr_nonnull(strstr(html, "Bill of materials"));
    ck_assert_ptr_nonnull(strstr(html, "cable 24 fibres"));
    ck_assert_ptr_null(strstr(html, "optout"));
    free(html);

    char *bom = tu_read_in(sub, "bom.csv", NULL);
    ck_assert_ptr_nonnull(strstr(bom, "item,unit,quantity,cost_eur\n"));
    ck_assert_ptr_nonnull(strstr(bom, "\"new trench, street class chemin\",m,100.00,8000.00\n"));
    ck_assert_ptr_nonnull(strstr(bom, "cable 12 fibres,m,200.00,\n"));
    ck_assert_ptr_nonnull(strstr(bom, "cable 24 fibres,m,110.00,\n"));
    ck_assert_ptr_nonnull(strstr(bom, "drops,count,3.00,1500.00\n"));
    ck_assert_ptr_nonnull(strstr(bom, "smart dwelling kits,count,13.00,4045.20\n"));
    ck_assert_ptr_nonnull(strstr(bom, "total,EUR,,18497.20\n"));
    free(bom);

    /* Blocks: 15 and 13 dwellings shown; 1 and 9 suppressed under 11. */
    char *blocks = tu_read_in(sub, "blocks.csv", NULL);
    ck_assert_ptr_nonnull(strstr(blocks, "B1,partly,3,2,15,13,"));
    ck_assert_ptr_nonnull(strstr(blocks, "B2,connected,1,1,<11,<11,2876.57\n"));
    ck_assert_ptr_nonnull(strstr(blocks, "B3,not_connected,2,0,<11,<11,0.00\n"));
    free(blocks);

    char *sum = tu_read_in(sub, "summary.csv", NULL);
    ck_assert_ptr_nonnull(strstr(sum, "total_cost_eur,18497.20\n"));
    ck_assert_ptr_nonnull(strstr(sum, "dwellings_connected,14\n"));
    ck_assert_ptr_nonnull(strstr(sum, "status,optimal\n"));
    ck_assert_ptr_null(strstr(sum, "0.25")); /* timings stay out of compared files */
    free(sum);

    char *bl = tu_read_in(sub, "buildings.csv", NULL);
    ck_assert_ptr_nonnull(strstr(bl, "0,100,connected,10,given,B1,"));
    ck_assert_ptr_nonnull(strstr(bl, "5,105,unreachable,4,given,B3,"));
    ck_assert_ptr_null(strstr(bl, "optout"));
    free(bl);
    char *ed = tu_read_in(sub, "edges.csv", NULL);
    ck_assert_ptr_nonnull(strstr(ed, "1,1,2,trench,chemin,100.00,14,17,24,1,0,8000.00,120.00,site\n"));
    free(ed);
    /* one site (the fixture's root, unnamed) feeds everything */
    char *st = tu_read_in(sub, "sites.csv", NULL);
    ck_assert_ptr_nonnull(strstr(st, "site,x,y,used,edges,buildings_connected,"));
    ck_assert_ptr_nonnull(strstr(st, "\nsite,636990.00,6358000.00,1,7,3,14,"));
    free(st);
    char *cu = tu_read_in(sub, "curve.csv", NULL);
    ck_assert_ptr_nonnull(strstr(cu, "budget_eur,cost_eur,dwellings_connected,bound,gap,optimal\n"));
    ck_assert_ptr_nonnull(strstr(cu, "10000.00,9000.00,13,14,0.071429,0\n"));
    ck_assert_ptr_nonnull(strstr(cu, "5000.00,4600.00,10,10,0.000000,1\n"));
    free(cu);

    /* Rerun: CSV files byte-identical, and no temporary left behind. */
    char *before = tu_read_in(sub, "edges.csv", NULL);
    char *before_b = tu_read_in(sub, "blocks.csv", NULL);
    ck_assert_int_eq(fp_report_write(sub, p, &in, NULL, &e), 0);
    char *after = tu_read_in(sub, "edges.csv", NULL);
    char *after_b = tu_read_in(sub, "blocks.csv", NULL);
    ck_assert_str_eq(before, after);
    ck_assert_str_eq(before_b, after_b);
    free(before);
    free(after);
    free(before_b);
    free(after_b);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q fptmp", sub);
    ck_assert_int_ne(system(cmd), 0);
    if (getenv("FP_KEEP_REPORT")) {
        snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", sub, getenv("FP_KEEP_REPORT"));
        ck_assert_int_eq(system(cmd), 0);
    }

    /* Threshold 0 turns suppression off. */
    in.privacy_threshold = 0;
    ck_assert_int_eq(fp_report_write(sub, p, &in, NULL, &e), 0);
    blocks = tu_read_in(sub, "blocks.csv", NULL);
    ck_assert_ptr_nonnull(strstr(blocks, "B2,connected,1,1,1,1,"));
    free(blocks);

    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(unwritable_folder)
{
    fx f;
    fx_init(&f);
    fp_plan *p = fx_plan(&f, 0);
    fp_error e;
    fp_error_clear(&e);
    fp_report_info in;
    fp_report_info_default(&in);
    char *dir = tu_tmpdir();
    char file[600], sub[700];
    snprintf(file, sizeof file, "%s/afile", dir);
    tu_write_file(file, "x");
    snprintf(sub, sizeof sub, "%s/inside", file); /* under a regular file */
    ck_assert_int_eq(fp_report_write(sub, p, &in, NULL, &e), FP_EIO);
    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, writes_everything);
    tcase_add_test(tc, unwritable_folder);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
