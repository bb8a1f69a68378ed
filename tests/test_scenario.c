/* test_scenario: the INI scenario parser: dialect (comments, continuation
 * lines, long lines), typed getters with line numbers, unknown keys. */
#include "scenario.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const text =
    "; a comment\n"
    "# another comment\n"
    "[scenario]\n"
    "name = Test town ; inline comment\n"
    "crs = EPSG:2154\n"
    "\n"
    "[Buildings]\n"
    "source = data/x.gpkg\n"
    "residential_values = house,\n"
    "   apartments\n"
    "tag = a#b\n"
    "ratio = 0.75\n"
    "levels = 3\n"
    "flag = yes\n"
    "mode = fast\n"
    "[empty]\n";

START_TEST(parse_and_get)
{
    fp_error e;
    fp_error_clear(&e);
    fp_scenario *sc = fp_scenario_parse(text, "dir/sub/town.ini", &e);
    ck_assert_msg(sc != NULL, "%s", e.msg);
    ck_assert_str_eq(fp_scenario_name(sc), "town");
    ck_assert_str_eq(fp_scenario_dir(sc), "dir/sub");
    ck_assert_str_eq(fp_scenario_path(sc), "dir/sub/town.ini");
    ck_assert_str_eq(fp_scenario_text(sc), text);
    ck_assert_str_eq(fp_scenario_get(sc, "scenario", "name"), "Test town");
    /* section and key names are case-insensitive */
    ck_assert_str_eq(fp_scenario_get(sc, "buildings", "SOURCE"), "data/x.gpkg");
    /* continuation lines are joined with one space */
    ck_assert_str_eq(fp_scenario_get(sc, "buildings", "residential_values"),
                     "house, apartments");
    /* '#' inside a value is kept */
    ck_assert_str_eq(fp_scenario_get(sc, "buildings", "tag"), "a#b");
    ck_assert_int_eq(fp_scenario_line(sc, "buildings", "ratio"), 12);
    ck_assert_int_eq(fp_scenario_line(sc, "buildings", "nope"), 0);
    ck_assert(fp_scenario_has_section(sc, "empty"));
    ck_assert(!fp_scenario_has_section(sc, "costs"));

    double d;
    ck_assert_int_eq(fp_scenario_get_double(sc, "buildings", "ratio", 1, 0, 1, &d, &e), 0);
    ck_assert_double_eq(d, 0.75);
    ck_assert_int_eq(fp_scenario_get_double(sc, "buildings", "absent", 9.5, 0, 10, &d, &e), 0);
    ck_assert_double_eq(d, 9.5);
    long l;
    ck_assert_int_eq(fp_scenario_get_int(sc, "buildings", "levels", 1, 0, 100, &l, &e), 0);
    ck_assert_int_eq(l, 3);
    int b;
    ck_assert_int_eq(fp_scenario_get_bool(sc, "buildings", "flag", 0, &b, &e), 0);
    ck_assert_int_eq(b, 1);
    static const char *const modes[] = {"exact", "fast", NULL};
    int m;
    ck_assert_int_eq(fp_scenario_get_choice(sc, "buildings", "mode", modes, 0, &m, &e), 0);
    ck_assert_int_eq(m, 1);
    const char *s;
    fp_scenario_get_string(sc, "scenario", "crs", NULL, &s, &e);
    ck_assert_str_eq(s, "EPSG:2154");
    /* [empty] was never read: reported with its header's line */
    ck_assert_int_eq(fp_scenario_check_unused(sc, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "dir/sub/town.ini:16: unknown section [empty]");
    fp_scenario_skip_section(sc, "empty");
    ck_assert_int_eq(fp_scenario_check_unused(sc, &e), FP_OK);
    fp_scenario_free(sc);
}
END_TEST

START_TEST(unknown_key_has_line)
{
    fp_error e;
    fp_error_clear(&e);
    fp_scenario *sc = fp_scenario_parse("[a]\nx = 1\n\n[b]\ny = 2\nz = 3\n", "s.ini", &e);
    ck_assert_ptr_nonnull(sc);
    fp_scenario_get(sc, "a", "x");
    fp_scenario_get(sc, "b", "y");
    ck_assert_int_eq(fp_scenario_check_unused(sc, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "s.ini:6: unknown key 'z' in [b]");
    fp_scenario_free(sc);

    /* a section nobody reads at all is named as such */
    sc = fp_scenario_parse("[a]\nx = 1\n[costz]\nk = 1\n", "s.ini", &e);
    fp_scenario_get(sc, "a", "x");
    ck_assert_int_eq(fp_scenario_check_unused(sc, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "s.ini:3: unknown section [costz]");
    fp_scenario_free(sc);
}
END_TEST

START_TEST(bad_values_have_line)
{
    fp_error e;
    fp_error_clear(&e);
    fp_scenario *sc = fp_scenario_parse(
        "[d]\na = abc\nb = 5\nc = nan\nd = maybe\ne = 1.5\nf = slow\ng = inf\n", "v.ini", &e);
    ck_assert_ptr_nonnull(sc);
    double d;
    long l;
    int b;
    ck_assert_int_eq(fp_scenario_get_double(sc, "d", "a", 0, 0, 10, &d, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "v.ini:2: [d] a = 'abc': not a number");
    ck_assert_int_eq(fp_scenario_get_double(sc, "d", "b", 0, 0, 1, &d, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "v.ini:3: [d] b = '5': must be between 0 and 1");
    ck_assert_int_eq(fp_scenario_get_double(sc, "d", "c", 0, -1e9, 1e9, &d, &e), FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "v.ini:4:"));
    ck_assert_int_eq(fp_scenario_get_double(sc, "d", "g", 0, -INFINITY, INFINITY, &d, &e),
                     FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "v.ini:8:"));
    ck_assert_int_eq(fp_scenario_get_bool(sc, "d", "d", 0, &b, &e), FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "v.ini:5: [d] d = 'maybe'"));
    ck_assert_int_eq(fp_scenario_get_int(sc, "d", "e", 0, 0, 10, &l, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "v.ini:6: [d] e = '1.5': not an integer");
    static const char *const modes[] = {"exact", "fast", NULL};
    int m;
    ck_assert_int_eq(fp_scenario_get_choice(sc, "d", "f", modes, 0, &m, &e), FP_ESCENARIO);
    ck_assert_str_eq(e.msg, "v.ini:7: [d] f = 'slow': expected one of: exact, fast");
    fp_scenario_free(sc);
}
END_TEST

START_TEST(syntax_errors)
{
    fp_error e;
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_scenario_parse("[a]\nx = 1\nthis line has no equals\n", "p.ini", &e));
    ck_assert_int_eq(e.code, FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "p.ini:3: syntax error"));

    ck_assert_ptr_null(fp_scenario_parse("[a]\nx = 1\n\nx = 2\n", "p.ini", &e));
    ck_assert_str_eq(e.msg, "p.ini:4: key 'x' given twice (first on line 2)");

    ck_assert_ptr_null(fp_scenario_parse("x = 1\n", "p.ini", &e));
    ck_assert_str_eq(e.msg, "p.ini:1: key 'x' outside any [section]");

    ck_assert_ptr_null(fp_scenario_parse("[a\nx = 1\n", "p.ini", &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "p.ini:1: syntax error"));

    /* a line longer than inih's buffer is an error, not a silent cut */
    char longline[600];
    memset(longline, 'v', sizeof longline);
    memcpy(longline, "[a]\nk = ", 8);
    memcpy(longline + sizeof longline - 2, "\n", 2);
    ck_assert_ptr_null(fp_scenario_parse(longline, "p.ini", &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "p.ini:2: line too long"));
}
END_TEST

static int collect(void *ud, const char *key, const char *value, int line, fp_error *err)
{
    (void)err;
    char *buf = ud;
    size_t n = strlen(buf);
    snprintf(buf + n, 256 - n, "%s=%s@%d;", key, value, line);
    return strcmp(key, "stop") == 0 ? 42 : 0;
}

START_TEST(each_in_order)
{
    fp_error e;
    fp_error_clear(&e);
    fp_scenario *sc = fp_scenario_parse("[m]\nb = 2\na = 1\nstop = x\nafter = y\n", "m.ini", &e);
    char buf[256] = "";
    ck_assert_int_eq(fp_scenario_each(sc, "m", collect, buf, &e), 42);
    ck_assert_str_eq(buf, "b=2@2;a=1@3;stop=x@4;");
    fp_scenario_free(sc);
}
END_TEST

START_TEST(load_file)
{
    fp_error e;
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_scenario_load("/nonexistent/x.ini", &e));
    ck_assert_int_eq(e.code, FP_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/x.ini"));
    char *dir = tu_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/plan.v2.ini", dir);
    ck_assert_int_eq(tu_write_file(path, "[a]\nk = v\n"), 0);
    fp_scenario *sc = fp_scenario_load(path, &e);
    ck_assert_ptr_nonnull(sc);
    ck_assert_str_eq(fp_scenario_name(sc), "plan.v2");
    ck_assert_str_eq(fp_scenario_dir(sc), dir);
    ck_assert_str_eq(fp_scenario_get(sc, "a", "k"), "v");
    fp_scenario_free(sc);
    /* a folder is bad input (exit 1), not an output error */
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_scenario_load(dir, &e));
    ck_assert_int_eq(e.code, FP_ESCENARIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "read error"));
    /* a NUL byte: not a text file */
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite("[a]\nk = v\0\n", 1, 12, f);
    fclose(f);
    ck_assert_ptr_null(fp_scenario_load(path, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "NUL byte"));
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *t = tcase_create("core");
    tcase_add_test(t, parse_and_get);
    tcase_add_test(t, unknown_key_has_line);
    tcase_add_test(t, bad_values_have_line);
    tcase_add_test(t, syntax_errors);
    tcase_add_test(t, each_in_order);
    tcase_add_test(t, load_file);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
