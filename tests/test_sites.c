/* test_sites: several sites (central offices) in one run, end to end, on
 * tests/data/sites: two clusters of buildings 1.8 km apart along one road,
 * site A beside the first, site B beside the second, site C halfway (not
 * worth using), and an island building that reaches no site. The two-site
 * optimum must equal the sum of each cluster solved from its own site alone
 * (site_a.ini, site_b.ini); every building is fed by its cluster's site; the
 * virtual root the solver works with never shows in the plan, the bill of
 * materials or the exports; budget and quota modes work through it. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <gdal.h>
#include <ogr_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SITES_DIR FP_TEST_DATA "/sites"
#define CRS2154 "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": " \
                "\"urn:ogc:def:crs:EPSG::2154\"}}, "

/* The value of key in a summary.csv text ("key,value" lines). */
static double summary_num(const char *csv, const char *key)
{
    char k[128];
    snprintf(k, sizeof k, "\n%s,", key);
    const char *p = strstr(csv, k);
    ck_assert_msg(p != NULL, "no %s in summary", key);
    return strtod(p + strlen(k), NULL);
}

/* Runs `fibreplan run SCENARIO --report-dir DIR`; returns summary.csv,
 * and stdout in *out unless out is NULL. */
static char *run_out(const char *scenario, const char *dir, const char *name, char **out)
{
    char args[2400], sub[1200], *err = NULL;
    snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s'", scenario, dir);
    int rc = tu_run_cli(args, out, &err);
    ck_assert_msg(rc == 0, "%s: exit %d: %s", scenario, rc, err);
    free(err);
    snprintf(sub, sizeof sub, "%s/%s", dir, name);
    char *sum = tu_read_in(sub, "summary.csv", NULL);
    ck_assert_ptr_nonnull(sum);
    return sum;
}

static char *run(const char *scenario, const char *dir, const char *name)
{
    return run_out(scenario, dir, name, NULL);
}

/* Lines of text (without the header) that contain needle (all if NULL),
 * or with suffix set, that end with it. */
static int count_lines_x(const char *text, const char *needle, int suffix)
{
    int n = 0;
    const char *p = strchr(text, '\n');
    while (p && p[1]) {
        const char *e = strchr(p + 1, '\n');
        size_t len = e ? (size_t)(e - p - 1) : strlen(p + 1);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1),
                 p + 1);
        size_t ln = strlen(line), nl = needle ? strlen(needle) : 0;
        if (!needle || (suffix ? ln >= nl && !strcmp(line + ln - nl, needle)
                               : strstr(line, needle) != NULL))
            n++;
        p = e;
    }
    return n;
}

static int count_lines(const char *text, const char *needle)
{
    return count_lines_x(text, needle, 0);
}

static int count_ending(const char *text, const char *suffix)
{
    return count_lines_x(text, suffix, 1);
}

static GIntBig layer_count(GDALDatasetH ds, const char *layer, const char *where)
{
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    ck_assert_msg(l != NULL, "no layer %s", layer);
    OGR_L_SetAttributeFilter(l, where);
    GIntBig n = OGR_L_GetFeatureCount(l, TRUE);
    OGR_L_SetAttributeFilter(l, NULL);
    return n;
}

START_TEST(two_sites_cost_is_the_sum_of_each_alone)
{
    char *dir = tu_tmpdir();
    char *sa = run(SITES_DIR "/site_a.ini", dir, "site_a");
    char *sb = run(SITES_DIR "/site_b.ini", dir, "site_b");
    char *out = NULL;
    char *s2 = run_out(SITES_DIR "/two_sites.ini", dir, "two_sites", &out);
    ck_assert_msg(strstr(out, "two_sites: 2 of 3 sites feed buildings"), "%s", out);
    free(out);
    ck_assert_ptr_nonnull(strstr(s2, "\nstatus,optimal\n"));
    double na = summary_num(sa, "network_cost_eur"), nb = summary_num(sb, "network_cost_eur");
    double n2 = summary_num(s2, "network_cost_eur");
    /* the clusters are far apart: each is fed from its own site */
    ck_assert_msg(fabs(n2 - (na + nb)) <= 0.02, "%.2f != %.2f + %.2f", n2, na, nb);
    /* the same trees carry the same fibres: cable and total add up too */
    ck_assert_double_eq_tol(summary_num(s2, "total_cost_eur"),
                            summary_num(sa, "total_cost_eur") + summary_num(sb, "total_cost_eur"),
                            0.02);
    ck_assert_double_eq_tol(summary_num(s2, "dwellings_connected"),
                            summary_num(sa, "dwellings_connected") +
                                summary_num(sb, "dwellings_connected"),
                            1e-9);
    ck_assert_double_eq(summary_num(s2, "buildings_unreachable"), 1); /* the island */
    free(sa);
    free(sb);
    free(s2);

    char d[1200];
    snprintf(d, sizeof d, "%s/two_sites", dir);
    /* every building of cluster A fed by A, of B by B; the island by none */
    char *bl = tu_read_in(d, "buildings.csv", NULL);
    ck_assert_ptr_nonnull(strstr(bl, ",cost_eur,site\n"));
    ck_assert_int_eq(count_lines(bl, ",connected,"), 9);
    ck_assert_int_eq(count_ending(bl, ",A"), 4);
    ck_assert_int_eq(count_ending(bl, ",B"), 5);
    ck_assert_msg(strstr(bl, "\n9,9,unreachable,2,given,") && strstr(bl, ",0.00,\n"), "%s", bl);
    free(bl);

    /* per site: A and B used, C not; their costs add up to the network's */
    char *st = tu_read_in(d, "sites.csv", NULL);
    ck_assert_ptr_nonnull(strstr(st, "\nA,659995.00,6359990.00,1,"));
    ck_assert_ptr_nonnull(strstr(st, "\nB,662205.00,6360010.00,1,"));
    ck_assert_ptr_nonnull(strstr(st, "\nC,661100.00,6359990.00,0,0,0,"));
    ck_assert_msg(strstr(st, ",19294.43,") && strstr(st, ",33344.43,"), "%s", st);
    free(st);

    /* nothing virtual in the plan: only real kinds, two links (A, B) */
    char *ed = tu_read_in(d, "edges.csv", NULL);
    int n_edges = count_lines(ed, NULL);
    ck_assert_int_eq(n_edges, count_lines(ed, ",trench,") + count_lines(ed, ",drop,") +
                                  count_lines(ed, ",link,"));
    ck_assert_int_eq(count_lines(ed, ",link,"), 2);
    ck_assert_int_eq(count_ending(ed, ",A") + count_ending(ed, ",B"), n_edges);
    ck_assert_ptr_null(strstr(ed, ",-1,"));
    free(ed);
    char *bom = tu_read_in(d, "bom.csv", NULL);
    /* the two used sites' links, 11.18 m each (site C's is not built) */
    ck_assert_msg(strstr(bom, "central office link,m,22.36,1788.85\n"), "%s", bom);
    free(bom);

    /* exports: the same edges, the sites as points, who feeds what */
    char path[1400];
    snprintf(path, sizeof path, "%s/plan.gpkg", d);
    GDALAllRegister();
    GDALDatasetH g = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(layer_count(g, "routes", NULL), n_edges);
    ck_assert_int_eq(layer_count(g, "routes", "site IS NULL OR length_m <= 0 AND kind <> 'drop'"),
                     0);
    ck_assert_int_eq(layer_count(g, "sites", NULL), 3);
    ck_assert_int_eq(layer_count(g, "sites", "used = 1"), 2);
    ck_assert_int_eq(layer_count(g, "nodes", "kind = 'central_office'"), 3);
    ck_assert_int_eq(layer_count(g, "buildings", "site = 'A'"), 4);
    ck_assert_int_eq(layer_count(g, "buildings", "site = 'B'"), 5);
    GDALClose(g);
    snprintf(path, sizeof path, "%s/geojson/sites.geojson", d);
    g = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(OGR_L_GetFeatureCount(GDALDatasetGetLayer(g, 0), TRUE), 3);
    GDALClose(g);
    char *sitetech = tu_read_in(d, "gracethd/t_sitetech.csv", NULL);
    ck_assert_int_eq(count_lines(sitetech, ";NRO;"), 3);
    ck_assert_ptr_nonnull(strstr(sitetech, ";A;"));
    free(sitetech);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* `network`: every site linked, the island building disconnected, and the
 * Steiner instance one node larger (the virtual root, joined by 0-cost
 * edges to the three sites). */
START_TEST(network_counts_and_stp)
{
    char *dir = tu_tmpdir(), args[1600], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "--quiet network '%s/two_sites.ini' --json --stp '%s/t.stp'",
             SITES_DIR, dir);
    ck_assert_msg(tu_run_cli(args, &out, &err) == 0, "%s", err);
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "sites")->valueint, 3);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "terminals")->valueint, 9);
    ck_assert_int_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "unreachable_by"), "disconnected")->valueint, 1);
    ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "steiner"), "terminals")->valueint,
                     10);
    cJSON_Delete(j);
    free(out);
    free(err);
    char p[1400];
    snprintf(p, sizeof p, "%s/t.stp", dir);
    char *stp = tu_read_file(p, NULL);
    ck_assert_ptr_nonnull(stp);
    int zero = 0;
    for (const char *q = stp; (q = strstr(q, "\nE ")) != NULL; q++) {
        const char *eol = strchr(q + 1, '\n');
        if (eol && eol - q > 2 && eol[-1] == '0' && eol[-2] == ' ')
            zero++;
    }
    ck_assert_int_eq(zero, 3);
    free(stp);
    /* the same instance solved alone: the connect-all optimum */
    snprintf(args, sizeof args, "--quiet stp '%s/t.stp' --json", dir);
    ck_assert_int_eq(tu_run_cli(args, &out, NULL), 0);
    j = cJSON_Parse(out);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(j, "cost")->valuedouble, 52638.85, 0.02);
    cJSON_Delete(j);
    free(out);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* compare shows the per-site figures of two stored runs: site A alone, then
 * the two-site run (A as before, B added, C unused). */
START_TEST(compare_per_site)
{
    char *dir = tu_tmpdir(), args[3000], *out = NULL, *err = NULL;
    const char *ini[] = {"site_a.ini", "two_sites.ini"};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "--quiet run '%s/%s' --report-dir '%s' --db '%s/p.sqlite'",
                 SITES_DIR, ini[i], dir, dir);
        ck_assert_msg(tu_run_cli(args, NULL, &err) == 0, "%s", err);
        free(err);
    }
    snprintf(args, sizeof args, "compare 1 2 --db '%s/p.sqlite'", dir);
    ck_assert_int_eq(tu_run_cli(args, &out, NULL), 0);
    static const char *const want[] = {
        "site A: dwellings connected                       count                13              13               =\n",
        "site B: dwellings connected                       count                 -              19             +19\n",
        "site B: buildings connected                       count                 -               5              +5\n",
        "site C: dwellings connected                       count                 -               0               =\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(out, want[i]), "no '%s' in\n%s", want[i], out);
    /* per site, A's cost is the same in both runs */
    const char *a = strstr(out, "site A: cost");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(strstr(a, "=\n"));
    ck_assert(strstr(a, "=\n") < strchr(a, '\n') + 1);
    free(out);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Site ids key the per-site outputs: two features with one id are a
 * single-line input error naming the file, layer, feature and field; the
 * points of one multipoint feature become sites "M" and "M.2". */
START_TEST(duplicate_site_ids)
{
    char *dir = tu_tmpdir();
    static const char *const sites[] = {
        "{\"type\": \"FeatureCollection\", " CRS2154 "\"features\": ["
        "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"}, \"geometry\": "
        "{\"type\": \"Point\", \"coordinates\": [659995, 6359990]}},"
        "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"}, \"geometry\": "
        "{\"type\": \"Point\", \"coordinates\": [662205, 6360010]}}]}",
        "{\"type\": \"FeatureCollection\", " CRS2154 "\"features\": ["
        "{\"type\": \"Feature\", \"properties\": {\"name\": \"M\"}, \"geometry\": "
        "{\"type\": \"MultiPoint\", \"coordinates\": [[659995, 6359990], "
        "[662205, 6360010]]}}]}"};
    for (int i = 0; i < 2; i++) {
        char gj[1200], sc[1200], text[4096], args[2600], *out = NULL, *err = NULL;
        snprintf(gj, sizeof gj, "%s/s%d.geojson", dir, i);
        ck_assert_int_eq(tu_write_file(gj, sites[i]), 0);
        snprintf(text, sizeof text,
                 "[scenario]\nname = dup\ncrs = EPSG:2154\n"
                 "[buildings]\nsource = %s/buildings.geojson\nid_field = id\n"
                 "dwellings_field = dw\n[streets]\nsource = %s/streets.geojson\n"
                 "class_field = cls\n[sites]\nsource = %s\nid_field = name\n"
                 "[output]\nformats = none\nproject_db = none\n",
                 SITES_DIR, SITES_DIR, gj);
        snprintf(sc, sizeof sc, "%s/d%d.ini", dir, i);
        ck_assert_int_eq(tu_write_file(sc, text), 0);
        snprintf(args, sizeof args, "--quiet run '%s' --report-dir '%s'", sc, dir);
        int rc = tu_run_cli(args, &out, &err);
        if (i == 0) {
            ck_assert_int_eq(rc, 1);
            ck_assert_msg(strstr(err, "s0.geojson: layer s0: feature 1: field name: site id 'A' "
                                      "is already used by feature 0") &&
                              strchr(err, '\n') == strrchr(err, '\n'),
                          "%s", err);
        } else {
            ck_assert_msg(rc == 0, "%s", err);
            snprintf(gj, sizeof gj, "%s/d1", dir);
            char *st = tu_read_in(gj, "sites.csv", NULL);
            ck_assert_ptr_nonnull(st);
            ck_assert_msg(strstr(st, "\nM,") && strstr(st, "\nM.2,"), "%s", st);
            free(st);
        }
        free(out);
        free(err);
    }
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Quota and budget modes through the virtual root: the quota of every
 * reachable dwelling costs the connect-all optimum; a budget just above
 * site A's cluster connects that cluster (13 dwellings). */
START_TEST(budget_and_quota_modes)
{
    char *dir = tu_tmpdir();
    char *base = tu_read_file(SITES_DIR "/two_sites.ini", NULL);
    ck_assert_ptr_nonnull(base);
    static const struct {
        const char *opt;
        double cost, dwellings;
    } cases[] = {{"mode = quota\nquota = 32\n", 52638.85, 32},
                 {"mode = budget\nbudget = 20000\n", 19294.43, 13}};
    for (int i = 0; i < 2; i++) {
        char sc[1300], text[4096], *p;
        snprintf(sc, sizeof sc, "%s/m%d.ini", dir, i);
        /* absolute data paths, no exports */
        snprintf(text, sizeof text, "%s", base);
        p = strstr(text, "formats = ");
        ck_assert_ptr_nonnull(p);
        snprintf(p, sizeof text - (size_t)(p - text), "formats = none\nproject_db = none\n");
        char full[8192];
        size_t n = 0;
        for (const char *q = text; *q; q++) {
            if (!strncmp(q, "source = ", 9)) {
                n += (size_t)snprintf(full + n, sizeof full - n, "source = %s/", SITES_DIR);
                q += 8;
                continue;
            }
            full[n++] = *q;
        }
        full[n] = '\0';
        snprintf(full + n, sizeof full - n, "[optimise]\n%s", cases[i].opt);
        ck_assert_int_eq(tu_write_file(sc, full), 0);
        char name[8];
        snprintf(name, sizeof name, "m%d", i);
        char *sum = run(sc, dir, name);
        ck_assert_msg(strstr(sum, "\nstatus,optimal\n"), "%s", sum);
        ck_assert_double_eq_tol(summary_num(sum, "network_cost_eur"), cases[i].cost, 0.02);
        ck_assert_double_eq(summary_num(sum, "dwellings_connected"), cases[i].dwellings);
        free(sum);
    }
    free(base);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sites");
    TCase *tc = tcase_create("sites");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, two_sites_cost_is_the_sum_of_each_alone);
    tcase_add_test(tc, network_counts_and_stp);
    tcase_add_test(tc, budget_and_quota_modes);
    tcase_add_test(tc, duplicate_site_ids);
    tcase_add_test(tc, compare_per_site);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
