/* test_store: two runs stored in the SpatiaLite project database, listed,
 * compared (library and CLI); hashes and geometries checked in SQL. */
#include "fixture_net.h"
#include "fsutil.h"
#include "store.h"
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
/* after sqlite3.h, which it needs */
#include <spatialite.h>
#include <stdlib.h>
#include <string.h>

static double query1(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    void *cache = spatialite_alloc_connection();
    spatialite_init_ex(h, cache, 0);
    sqlite3_stmt *s = NULL;
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    spatialite_cleanup_ex(cache);
    return v;
}

START_TEST(two_runs_listed_and_compared)
{
    fx f;
    fx_init(&f);
    fp_plan *p1 = fx_plan(&f, 1), *p2 = fx_plan(&f, 0);
    char *dir = tu_tmpdir();
    char db[600], input[600];
    snprintf(db, sizeof db, "%s/project.sqlite", dir);
    snprintf(input, sizeof input, "%s/in.gpkg", dir);
    tu_write_file(input, "abc");
    fp_error e;
    fp_error_clear(&e);
    fp_store *st = fp_store_open(db, &e);
    ck_assert_msg(st != NULL, "%s", e.msg);
    const char *inputs[] = {input};
    fp_run_record r = {"olemps", "[output]\nformats = gpkg\n", "full", "optimal", 0.0, 14200,
                       1.5, "{\"spare\":0.2}", inputs, 1};
    long long id1 = 0, id2 = 0;
    ck_assert_msg(fp_store_add_run(st, &r, p1, &id1, &e) == 0, "%s", e.msg);
    r.scenario = "olemps-nosmart";
    r.status = "feasible";
    r.gap = 0.015;
    ck_assert_msg(fp_store_add_run(st, &r, p2, &id2, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(id1, 1);
    ck_assert_int_eq(id2, 2);

    /* A missing input fails the run and stores nothing. */
    const char *bad[] = {"/nonexistent/input.gpkg"};
    r.inputs = bad;
    ck_assert_int_eq(fp_store_add_run(st, &r, p2, NULL, &e), FP_EIO);

    fp_run_row *rows = NULL;
    size_t n = 0;
    ck_assert_int_eq(fp_store_list(st, &rows, &n, &e), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rows[0].scenario, "olemps");
    ck_assert_str_eq(rows[1].status, "feasible");
    ck_assert_double_eq_tol(rows[0].cost, 18497.2, 1e-6);
    ck_assert_double_eq_tol(rows[1].cost, 14452, 1e-6);
    ck_assert_int_eq(rows[0].dwellings, 14);
    ck_assert_double_eq_tol(rows[1].gap, 0.015, 1e-12);
    ck_assert_int_eq(strlen(rows[0].time), 20);
    free(rows);

    fp_cmp_row *cr = NULL;
    ck_assert_int_eq(fp_store_compare(st, 1, 2, &cr, &n, &e), 0);
    int seen_total = 0, seen_kits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(cr[i].item, "total cost")) {
            seen_total = 1;
            ck_assert_double_eq_tol(cr[i].a, 18497.2, 1e-6);
            ck_assert_double_eq_tol(cr[i].b, 14452, 1e-6);
        }
        if (!strcmp(cr[i].item, "smart dwelling kits")) {
            seen_kits = 1;
            ck_assert_double_eq_tol(cr[i].a, 13, 1e-9);
            ck_assert(isnan(cr[i].b)); /* run 2 has no smart line */
        }
    }
    ck_assert(seen_total && seen_kits);
    free(cr);
    ck_assert_int_eq(fp_store_compare(st, 1, 9, &cr, &n, &e), FP_ENOTFOUND);
    fp_store_close(st);

    /* Provenance and layers, read back in SQL. */
    char sql[256];
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_inputs WHERE sha256="
                                   "'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'"),
                        2);
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM runs WHERE scenario_text LIKE '%formats%'"),
                        2);
    snprintf(sql, sizeof sql, "SELECT sum(ST_Length(geom)) FROM run_routes WHERE run_id=1");
    /* Geometric lengths: link 10, three 100 m edges, drops 30, 30, sqrt(500). */
    ck_assert_double_eq_tol(query1(db, sql), 10 + 300 + 60 + sqrt(500), 1e-6);
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_buildings WHERE run_id=2 AND "
                                   "ST_GeometryType(geom)='POINT'"),
                        3);
    ck_assert_double_eq(query1(db, "SELECT srid FROM geometry_columns WHERE "
                                   "f_table_name='run_routes'"),
                        2154);
    /* the site feeding each route and building, and the per-site totals */
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_routes WHERE run_id=1 AND "
                                   "site='site'"),
                        7);
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_buildings WHERE run_id=1 AND "
                                   "site='site'"),
                        3);
    ck_assert_double_eq(query1(db, "SELECT dwellings_connected FROM run_sites WHERE run_id=1"),
                        14);
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_sites"), 2);

    /* The CLI. */
    char args[800], *out = NULL, *errs = NULL;
    /* --quiet after the command is accepted, as by every subcommand */
    snprintf(args, sizeof args, "runs --db '%s' --quiet", db);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 0);
    ck_assert_ptr_nonnull(strstr(out, "olemps-nosmart"));
    ck_assert_ptr_nonnull(strstr(out, "18 497"));
    ck_assert_ptr_nonnull(strstr(out, "1.50%"));
    free(out);
    free(errs);
    snprintf(args, sizeof args, "compare 1 2 --db '%s'", db);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 0);
    ck_assert_ptr_nonnull(strstr(out, "total cost"));
    ck_assert_ptr_nonnull(strstr(out, "-4 045")); /* smart kits removed */
    free(out);
    free(errs);
    snprintf(args, sizeof args, "compare 1 7 --db '%s'", db);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 1);
    ck_assert_ptr_nonnull(strstr(errs, "no run 7"));
    free(out);
    free(errs);
    snprintf(args, sizeof args, "runs --db '%s/none.sqlite'", dir);
    ck_assert_int_eq(tu_run_cli(args, &out, &errs), 1);
    free(out);
    free(errs);
    ck_assert_int_eq(tu_run_cli("compare 1", &out, &errs), 2);
    free(out);
    free(errs);
    ck_assert_int_eq(tu_run_cli("runs --db", &out, &errs), 2);
    ck_assert_msg(strstr(errs, "runs: --db needs a value"), "%s", errs);
    free(out);
    free(errs);

    fp_plan_free(p1);
    fp_plan_free(p2);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A project database made before sites were recorded gets the site
 * columns when opened, and takes new runs. */
START_TEST(old_database_gets_site_columns)
{
    fx f;
    fx_init(&f);
    fp_plan *p = fx_plan(&f, 0);
    char *dir = tu_tmpdir();
    char db[600];
    snprintf(db, sizeof db, "%s/old.sqlite", dir);
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(h,
                     "CREATE TABLE run_buildings(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
                     " building INTEGER NOT NULL, status TEXT NOT NULL, dwellings INTEGER,"
                     " fibres INTEGER, cost REAL);"
                     "CREATE TABLE run_routes(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
                     " edge INTEGER NOT NULL, kind TEXT, class TEXT, length REAL,"
                     " dwellings INTEGER, fibres INTEGER, cable_size INTEGER, n_cables INTEGER,"
                     " civil_cost REAL, cable_cost REAL);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    fp_error e;
    fp_error_clear(&e);
    fp_store *st = fp_store_open(db, &e);
    ck_assert_msg(st != NULL, "%s", e.msg);
    fp_run_record r = {"old", "", "full", "optimal", 0.0, 14200, 1.5, "{}", NULL, 0};
    ck_assert_msg(fp_store_add_run(st, &r, p, NULL, &e) == 0, "%s", e.msg);
    fp_store_close(st);
    /* opening again finds the columns there */
    st = fp_store_open(db, &e);
    ck_assert_msg(st != NULL, "%s", e.msg);
    fp_store_close(st);
    ck_assert_double_eq(query1(db, "SELECT count(*) FROM run_routes WHERE site='site'"), 7);
    fp_plan_free(p);
    fx_free(&f);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, two_runs_listed_and_compared);
    tcase_add_test(tc, old_database_gets_site_columns);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
