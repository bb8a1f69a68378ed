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

/* Runs a suite with CK_NORMAL output; returns the process exit status. */
int tu_run_suite(Suite *s);

#endif
