/* test_run: `fibreplan run` end to end on the bundled Olemps scenario
 * (load, network, exact solve, plan, report, exports, project database),
 * twice: identical CSV/GeoJSON/GraceTHD bytes; bad [output] keys. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return tu_read_file(p, NULL);
}

START_TEST(olemps_end_to_end_twice)
{
    char *dir = tu_tmpdir();
    char sc[800], args[2400], *out = NULL, *err = NULL;
    /* The bundled scenario plus an [output] section, with the data path
     * made absolute. */
    snprintf(sc, sizeof sc, "%s/olemps_t.ini", dir);
    char *text = tu_read_file(FP_SOURCE_DIR "/scenarios/olemps.ini", NULL);
    ck_assert_ptr_nonnull(text);
    char *at = strstr(text, "= ../data/olemps.gpkg");
    ck_assert_ptr_nonnull(at);
    FILE *f = fopen(sc, "w");
    fprintf(f, "%.*s= %s/data/olemps.gpkg%s\n[plan]\nsmart = true\n\n[output]\nformats = gpkg, "
               "geojson, gracethd\nexport_fields = usage\n",
            (int)(at - text), text, FP_SOURCE_DIR, at + strlen("= ../data/olemps.gpkg"));
    fclose(f);
    free(text);

    char rep1[900], rep2[900];
    snprintf(rep1, sizeof rep1, "%s/r1", dir);
    snprintf(rep2, sizeof rep2, "%s/r2", dir);
    snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s'", sc, rep1);
    int rc = tu_run_cli(args, &out, &err);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    ck_assert_msg(strstr(out, "olemps_t") && strstr(out, "optimal"), "%s\n%s", out, err);
    ck_assert_ptr_nonnull(strstr(out, "1 429/1 429"));
    free(out);
    free(err);
    snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s'", sc, rep2);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    free(out);
    free(err);

    char d1[1000], d2[1000];
    snprintf(d1, sizeof d1, "%s/olemps_t", rep1);
    snprintf(d2, sizeof d2, "%s/olemps_t", rep2);
    static const char *same[] = {"bom.csv", "blocks.csv", "buildings.csv", "edges.csv",
                                 "summary.csv"};
    for (int i = 0; i < 5; i++) {
        char *a = slurp(d1, same[i]), *b = slurp(d2, same[i]);
        ck_assert_msg(a && b && !strcmp(a, b), "%s differs between two runs", same[i]);
        free(a);
        free(b);
    }
    char cmd[6600];
    snprintf(cmd, sizeof cmd,
             "diff -r '%s/geojson' '%s/geojson' >/dev/null && diff -r '%s/gracethd' "
             "'%s/gracethd' >/dev/null && cmp -s '%s/plan.gpkg' '%s/plan.gpkg'",
             d1, d2, d1, d2, d1, d2);
    ck_assert_int_eq(system(cmd), 0);
    char *sum = slurp(d1, "summary.csv");
    ck_assert_ptr_nonnull(strstr(sum, "dwellings_connected,1429\n"));
    ck_assert_ptr_nonnull(strstr(sum, "status,optimal\n"));
    free(sum);
    char *html = slurp(d1, "report.html");
    ck_assert_ptr_nonnull(strstr(html, "data:image/png;base64,"));
    free(html);
    char *bom = slurp(d1, "bom.csv");
    ck_assert_ptr_nonnull(strstr(bom, "smart dwelling kits,count,1429.00,"));
    free(bom);

    /* Both runs are in their project databases. */
    snprintf(args, sizeof args, "runs --db '%s/project.sqlite'", rep1);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "olemps_t"));
    free(out);
    free(err);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(bad_output_keys)
{
    char *dir = tu_tmpdir();
    char sc[800], args[2000], *out = NULL, *err = NULL;
    snprintf(sc, sizeof sc, "%s/bad.ini", dir);
    char body[1600];
    snprintf(body, sizeof body,
             "[sources]\nb = %s/data/olemps.gpkg\n[buildings]\nsource = b\nlayer = batiment\n"
             "[output]\nexport_fields = elderly\n",
             FP_SOURCE_DIR);
    tu_write_file(sc, body);
    snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s/r'", sc, dir);
    ck_assert_int_eq(tu_run_cli(args, &out, &err), 1);
    ck_assert_msg(strstr(err, "never exported"), "%s", err);
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("run", &out, &err), 2);
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("run x.ini --gap 2", &out, &err), 2);
    free(out);
    free(err);
    ck_assert_int_eq(tu_run_cli("run x.ini --time-limit", &out, &err), 2);
    ck_assert_msg(strstr(err, "run: --time-limit needs a value"), "%s", err);
    free(out);
    free(err);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A chain of 40 streets of 10 m, classes c00..c39, from a central office to
 * one building of dw dwellings; writes <dir>/chain.ini and runs it into
 * <dir>/r. Returns the exit status; *out gets stdout (caller frees). */
static int run_chain(const char *dir, int dw, char **out)
{
    char p[900], args[2400], *err = NULL;
    snprintf(p, sizeof p, "%s/s.geojson", dir);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
    for (int i = 0; i < 40; i++)
        fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"cls\":\"c%02d\"},"
                   "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[%d,6360000],"
                   "[%d,6360000]]}}",
                i ? "," : "", i, 660000 + 10 * i, 660010 + 10 * i);
    fputs("]}\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/b.geojson", dir);
    f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{\"dw\":%d},\"geometry\":{\"type\":\"Polygon\","
               "\"coordinates\":[[[660395,6360005],[660405,6360005],[660405,6360015],"
               "[660395,6360015],[660395,6360005]]]}}]}\n",
            dw);
    fclose(f);
    snprintf(p, sizeof p, "%s/chain.ini", dir);
    ck_assert_int_eq(tu_write_file(p, "[scenario]\ncrs = EPSG:2154\n[buildings]\nsource = "
                                      "b.geojson\nsource_crs = EPSG:2154\ndwellings_field = dw\n"
                                      "[streets]\nsource = s.geojson\nsource_crs = EPSG:2154\n"
                                      "class_field = cls\n[sites]\nx = 660000\ny = 6359995\n"
                                      "crs = EPSG:2154\n[output]\nformats = none\n"
                                      "project_db = none\n"),
                     0);
    snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s/r'", p, dir);
    int rc = tu_run_cli(args, out, &err);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    free(err);
    return rc;
}

/* More street classes on the tree than the bill of materials lists one by
 * one: the extra ones are pooled under their own name, never added to
 * another class's line. */
START_TEST(many_street_classes)
{
    char *dir = tu_tmpdir(), *out = NULL;
    run_chain(dir, 1, &out);
    free(out);
    char *bom = slurp(dir, "r/chain/bom.csv");
    ck_assert_ptr_nonnull(bom);
    /* 31 classes named, 9 x 10 m pooled, each at the default 80 EUR/m */
    ck_assert_msg(strstr(bom, "\"new trench, street class c00\",m,10.00,800.00\n"), "%s", bom);
    ck_assert_msg(strstr(bom, "\"new trench, street class c30\",m,10.00,800.00\n"), "%s", bom);
    ck_assert_msg(strstr(bom, "\"new trench, street class (other classes)\",m,90.00,7200.00\n"),
                  "%s", bom);
    ck_assert_msg(!strstr(bom, "class c31"), "%s", bom);
    free(bom);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* No dwelling at all: the cost per dwelling is undefined, written empty
 * (and "-" on screen), never 0 or nan. */
START_TEST(no_dwellings)
{
    char *dir = tu_tmpdir(), *out = NULL;
    run_chain(dir, 0, &out);
    ck_assert_msg(strstr(out, "0/0           -"), "%s", out);
    free(out);
    char *sum = slurp(dir, "r/chain/summary.csv");
    ck_assert_ptr_nonnull(sum);
    ck_assert_msg(strstr(sum, "\ncost_per_dwelling_passed_eur,\ncost_per_dwelling_connected_eur,\n"),
                  "%s", sum);
    ck_assert_msg(!strstr(sum, "nan"), "%s", sum);
    free(sum);
    char *html = slurp(dir, "r/chain/report.html");
    ck_assert_ptr_nonnull(html);
    ck_assert_msg(strstr(html, "<div>per dwelling connected<b>- &euro;</b></div>"), "no '-'");
    free(html);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run");
    TCase *tc = tcase_create("run");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, olemps_end_to_end_twice);
    tcase_add_test(tc, bad_output_keys);
    tcase_add_test(tc, many_street_classes);
    tcase_add_test(tc, no_dwellings);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
