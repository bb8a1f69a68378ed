/* testutil: helpers shared by the Check suites. */
#include "testutil.h"

#include "fsutil.h"

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
