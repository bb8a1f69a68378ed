/* test_fsutil: atomic writes survive a killed writer, stale temps are swept,
 * output names are confined, SHA-256 matches the FIPS vectors. */
#include "fsutil.h"
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int count_temps(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strncmp(de->d_name, FP_FS_TMP_PREFIX, strlen(FP_FS_TMP_PREFIX)) == 0)
            n++;
    if (d)
        closedir(d);
    return n;
}

START_TEST(write_atomic_replaces)
{
    char *dir = tu_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/a.txt", dir);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_fs_write_atomic(p, "old\n", 4, &e), 0);
    ck_assert_int_eq(fp_fs_write_atomic(p, "new data\n", 9, &e), 0);
    char *t = tu_read_file(p, NULL);
    ck_assert_str_eq(t, "new data\n");
    free(t);
    ck_assert_int_eq(count_temps(dir), 0);
    fp_afile *f = fp_afile_open(p, &e);
    ck_assert_ptr_nonnull(f);
    fputs("discarded", fp_afile_fp(f));
    fp_afile_abort(f);
    t = tu_read_file(p, NULL);
    ck_assert_str_eq(t, "new data\n");
    free(t);
    ck_assert_int_eq(count_temps(dir), 0);
    /* fp_afile_open_in joins folder and name; a joined path too long for
     * FP_FS_PATH_MAX is refused, never truncated. */
    f = fp_afile_open_in(dir, "b.txt", &e);
    ck_assert_ptr_nonnull(f);
    fputs("in dir\n", fp_afile_fp(f));
    ck_assert_int_eq(fp_afile_commit(f, &e), 0);
    t = tu_read_in(dir, "b.txt", NULL);
    ck_assert_str_eq(t, "in dir\n");
    free(t);
    char *long_name = malloc(FP_FS_PATH_MAX);
    memset(long_name, 'x', FP_FS_PATH_MAX - 1);
    long_name[FP_FS_PATH_MAX - 1] = '\0';
    fp_error_clear(&e);
    ck_assert_ptr_null(fp_afile_open_in(dir, long_name, &e));
    ck_assert_int_eq(e.code, FP_ELIMIT);
    free(long_name);
    ck_assert_int_eq(count_temps(dir), 0);
    /* A folder that does not exist is an I/O error, not a crash. */
    snprintf(p, sizeof p, "%s/nope/a.txt", dir);
    ck_assert_int_eq(fp_fs_write_atomic(p, "x", 1, &e), FP_EIO);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(killed_writer_leaves_old_file)
{
    char *dir = tu_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/big.csv", dir);
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_fs_write_atomic(p, "old,file\n", 9, &e), 0);
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(pipefd[0]);
        fp_afile *f = fp_afile_open(p, NULL);
        if (!f)
            _exit(1);
        char line[128];
        memset(line, 'x', sizeof line - 2);
        line[sizeof line - 2] = '\n';
        line[sizeof line - 1] = '\0';
        for (int i = 0;; i++) {
            fputs(line, fp_afile_fp(f));
            if (i == 1000) {
                fflush(fp_afile_fp(f));
                if (write(pipefd[1], "w", 1) != 1)
                    _exit(2);
            }
            if (i > 1000)
                usleep(1000); /* slow writer: the parent kills it mid-write */
        }
    }
    close(pipefd[1]);
    char c;
    ck_assert_int_eq(read(pipefd[0], &c, 1), 1); /* the child is writing */
    close(pipefd[0]);
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    ck_assert(WIFSIGNALED(st));
    char *t = tu_read_file(p, NULL);
    ck_assert_str_eq(t, "old,file\n");
    free(t);
    ck_assert_int_eq(count_temps(dir), 1); /* the dead writer's temp */
    int n = -1;
    ck_assert_int_eq(fp_fs_sweep(dir, &n, &e), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(count_temps(dir), 0);
    t = tu_read_file(p, NULL);
    ck_assert_str_eq(t, "old,file\n");
    free(t);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(sweep_keeps_live_writers)
{
    char *dir = tu_tmpdir();
    char p[512];
    fp_error e;
    fp_error_clear(&e);
    /* Our own temp (live pid) stays; a name that is not ours stays. */
    snprintf(p, sizeof p, "%s/" FP_FS_TMP_PREFIX "%ld-abc-x.csv", dir, (long)getpid());
    tu_write_file(p, "x");
    snprintf(p, sizeof p, "%s/.fptmpish", dir);
    tu_write_file(p, "x");
    int n = -1;
    ck_assert_int_eq(fp_fs_sweep(dir, &n, &e), 0);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(count_temps(dir), 1);
    ck_assert_int_eq(fp_fs_sweep("/nonexistent/fp", &n, &e), 0);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(folder_swap)
{
    char *dir = tu_tmpdir();
    char fin[512], tmp[FP_FS_PATH_MAX], p[FP_FS_PATH_MAX + 64];
    fp_error e;
    fp_error_clear(&e);
    snprintf(fin, sizeof fin, "%s/geojson", dir);
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(fp_fs_dir_begin(fin, tmp, sizeof tmp, &e), 0);
        snprintf(p, sizeof p, "%s/r%d.txt", tmp, round);
        tu_write_file(p, "x");
        ck_assert_int_eq(fp_fs_dir_commit(tmp, fin, &e), 0);
    }
    struct stat st;
    ck_assert_int_eq(stat(fin, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0755);
    snprintf(p, sizeof p, "%s/r1.txt", fin);
    ck_assert_int_eq(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/r0.txt", fin);
    ck_assert_int_ne(stat(p, &st), 0); /* the old folder is gone */
    ck_assert_int_eq(count_temps(dir), 0);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(confinement)
{
    char out[256];
    fp_error e;
    fp_error_clear(&e);
    ck_assert_int_eq(fp_fs_confine("reports", "olemps/map.png", out, sizeof out, &e), 0);
    ck_assert_str_eq(out, "reports/olemps/map.png");
    ck_assert_int_eq(fp_fs_confine("reports", "../etc/passwd", out, sizeof out, &e), FP_EUSAGE);
    ck_assert_int_eq(fp_fs_confine("reports", "a/../../x", out, sizeof out, &e), FP_EUSAGE);
    ck_assert_int_eq(fp_fs_confine("reports", "/etc/passwd", out, sizeof out, &e), FP_EUSAGE);
    ck_assert_int_eq(fp_fs_confine("reports", "a//b", out, sizeof out, &e), FP_EUSAGE);
    ck_assert_int_eq(fp_fs_confine("reports", "a\nb", out, sizeof out, &e), FP_EUSAGE);
    fp_fs_safe_name("../Olemps été 2026", out, sizeof out);
    ck_assert_str_eq(out, "_._Olemps___t___2026");
    fp_fs_safe_name("..", out, sizeof out);
    ck_assert_str_eq(out, "_.");
}
END_TEST

START_TEST(sha256_vectors)
{
    char hex[65];
    fp_fs_sha256("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fp_fs_sha256("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    fp_fs_sha256(m, strlen(m), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *dir = tu_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/f", dir);
    tu_write_file(p, "abc");
    long long sz = 0;
    fp_error e;
    ck_assert_int_eq(fp_fs_sha256_file(p, hex, &sz, &e), 0);
    ck_assert_int_eq(sz, 3);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fsutil");
    TCase *tc = tcase_create("fsutil");
    tcase_add_test(tc, write_atomic_replaces);
    tcase_add_test(tc, killed_writer_leaves_old_file);
    tcase_add_test(tc, sweep_keeps_live_writers);
    tcase_add_test(tc, folder_swap);
    tcase_add_test(tc, confinement);
    tcase_add_test(tc, sha256_vectors);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
