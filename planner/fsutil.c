/* fsutil: atomic writes (temp + fsync + rename + fsync dir), sweeping,
 * path confinement, SHA-256. */
#define _GNU_SOURCE /* renameat2, mkstemps */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct fp_afile {
    FILE *fp;
    char tmp[FP_FS_PATH_MAX];
    char final[FP_FS_PATH_MAX];
};

/* Splits path into its folder ("." if none) and base name. */
static int split_path(const char *path, char *dir, size_t dn, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        if (dn < 2)
            return -1;
        strcpy(dir, ".");
        *base = path;
        return 0;
    }
    size_t len = (size_t)(slash - path);
    if (len == 0)
        len = 1; /* "/x": the folder is "/" */
    if (len >= dn)
        return -1;
    memcpy(dir, path, len);
    dir[len] = '\0';
    *base = slash + 1;
    return 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems refuse fsync on a folder (EINVAL): the rename is
     * still done, so only real I/O errors count. */
    if (rc != 0 && (errno == EINVAL || errno == EBADF))
        rc = 0;
    close(fd);
    return rc;
}

int fp_fs_temp_path(const char *final, char *tmp, size_t n, fp_error *err)
{
    char dir[FP_FS_PATH_MAX];
    const char *base;
    if (split_path(final, dir, sizeof dir, &base) != 0 || !*base)
        return fp_error_set(err, FP_EUSAGE, "%s: not a file path", final);
    int w = snprintf(tmp, n, "%s/" FP_FS_TMP_PREFIX "%ld-XXXXXX-%s", dir, (long)getpid(), base);
    if (w < 0 || (size_t)w >= n)
        return fp_error_set(err, FP_ELIMIT, "%s: path too long", final);
    /* mkstemps reserves a unique name; the caller (or GDAL) recreates it. */
    int fd = mkstemps(tmp, (int)strlen(base) + 1);
    if (fd < 0)
        return fp_error_set(err, FP_EIO, "%s: cannot create a temporary file: %s", final,
                            strerror(errno));
    close(fd);
    unlink(tmp);
    return FP_OK;
}

int fp_fs_commit(const char *tmp, const char *final, fp_error *err)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        unlink(tmp);
        return fp_error_set(err, FP_EIO, "%s: %s", tmp, strerror(e));
    }
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fp_error_set(err, FP_EIO, "%s: fsync: %s", final, strerror(e));
    }
    close(fd);
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return fp_error_set(err, FP_EIO, "%s: rename: %s", final, strerror(e));
    }
    char dir[FP_FS_PATH_MAX];
    const char *base;
    if (split_path(final, dir, sizeof dir, &base) == 0 && fsync_dir(dir) != 0)
        return fp_error_set(err, FP_EIO, "%s: fsync of the folder: %s", dir, strerror(errno));
    return FP_OK;
}

fp_afile *fp_afile_open(const char *path, fp_error *err)
{
    fp_afile *f = calloc(1, sizeof *f);
    if (!f) {
        fp_error_set(err, FP_ENOMEM, "out of memory");
        return NULL;
    }
    if (strlen(path) >= sizeof f->final) {
        free(f);
        fp_error_set(err, FP_ELIMIT, "%s: path too long", path);
        return NULL;
    }
    strcpy(f->final, path);
    if (fp_fs_temp_path(path, f->tmp, sizeof f->tmp, err) != 0) {
        free(f);
        return NULL;
    }
    int fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || !(f->fp = fdopen(fd, "wb"))) {
        fp_error_set(err, FP_EIO, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(f->tmp);
        free(f);
        return NULL;
    }
    return f;
}

fp_afile *fp_afile_open_in(const char *dir, const char *name, fp_error *err)
{
    char path[FP_FS_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fp_error_set(err, FP_ELIMIT, "%s/%s: path too long", dir, name);
        return NULL;
    }
    return fp_afile_open(path, err);
}

FILE *fp_afile_fp(fp_afile *f)
{
    return f->fp;
}

int fp_afile_commit(fp_afile *f, fp_error *err)
{
    int rc = FP_OK;
    int bad = ferror(f->fp) || fflush(f->fp) != 0;
    if (!bad && fsync(fileno(f->fp)) != 0)
        bad = 1;
    int e = errno;
    if (fclose(f->fp) != 0)
        bad = 1;
    if (bad) {
        unlink(f->tmp);
        rc = fp_error_set(err, FP_EIO, "%s: write failed: %s", f->final, strerror(e));
    } else if (rename(f->tmp, f->final) != 0) {
        e = errno;
        unlink(f->tmp);
        rc = fp_error_set(err, FP_EIO, "%s: rename: %s", f->final, strerror(e));
    } else {
        char dir[FP_FS_PATH_MAX];
        const char *base;
        if (split_path(f->final, dir, sizeof dir, &base) == 0 && fsync_dir(dir) != 0)
            rc = fp_error_set(err, FP_EIO, "%s: fsync of the folder: %s", dir, strerror(errno));
    }
    free(f);
    return rc;
}

void fp_afile_abort(fp_afile *f)
{
    if (!f)
        return;
    fclose(f->fp);
    unlink(f->tmp);
    free(f);
}

int fp_fs_write_atomic(const char *path, const void *data, size_t len, fp_error *err)
{
    fp_afile *f = fp_afile_open(path, err);
    if (!f)
        return err ? err->code : FP_EIO;
    if (len && fwrite(data, 1, len, f->fp) != len) {
        int e = errno;
        fp_afile_abort(f);
        return fp_error_set(err, FP_EIO, "%s: write: %s", path, strerror(e));
    }
    return fp_afile_commit(f, err);
}

int fp_fs_dir_begin(const char *final, char *tmp, size_t n, fp_error *err)
{
    char dir[FP_FS_PATH_MAX];
    const char *base;
    if (split_path(final, dir, sizeof dir, &base) != 0 || !*base)
        return fp_error_set(err, FP_EUSAGE, "%s: not a folder path", final);
    int w = snprintf(tmp, n, "%s/" FP_FS_TMP_PREFIX "%ld-XXXXXX", dir, (long)getpid());
    if (w < 0 || (size_t)w >= n)
        return fp_error_set(err, FP_ELIMIT, "%s: path too long", final);
    if (!mkdtemp(tmp))
        return fp_error_set(err, FP_EIO, "%s: cannot create a temporary folder: %s", final,
                            strerror(errno));
    /* mkdtemp makes it private (0700); the swapped-in folder should read
     * like any other output folder. */
    if (chmod(tmp, 0755) != 0) {
        int e = errno;
        rmdir(tmp);
        return fp_error_set(err, FP_EIO, "%s: chmod: %s", tmp, strerror(e));
    }
    return FP_OK;
}

/* fsyncs every regular file directly inside dir, then dir itself. */
static int fsync_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *de;
    int rc = 0;
    char p[FP_FS_PATH_MAX];
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (fsync_tree(p) != 0)
                rc = -1;
        } else if (S_ISREG(st.st_mode)) {
            int fd = open(p, O_RDONLY);
            if (fd < 0 || fsync(fd) != 0)
                rc = -1;
            if (fd >= 0)
                close(fd);
        }
    }
    closedir(d);
    if (fsync_dir(dir) != 0)
        rc = -1;
    return rc;
}

int fp_fs_dir_commit(const char *tmp, const char *final, fp_error *err)
{
    if (fsync_tree(tmp) != 0) {
        int e = errno;
        fp_fs_rmtree(tmp);
        return fp_error_set(err, FP_EIO, "%s: fsync: %s", final, strerror(e));
    }
    struct stat st;
    if (lstat(final, &st) != 0) {
        if (rename(tmp, final) != 0) {
            int e = errno;
            fp_fs_rmtree(tmp);
            return fp_error_set(err, FP_EIO, "%s: rename: %s", final, strerror(e));
        }
    } else {
        /* Swap atomically: afterwards tmp holds the old folder. */
        long r = syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE);
        if (r != 0) {
            /* No renameat2 (old kernel, some file systems): move the old
             * folder aside first; `final` is briefly absent, never partial. */
            char old[FP_FS_PATH_MAX];
            if (fp_fs_dir_begin(final, old, sizeof old, err) != 0) {
                fp_fs_rmtree(tmp);
                return err ? err->code : FP_EIO;
            }
            rmdir(old);
            if (rename(final, old) != 0 || rename(tmp, final) != 0) {
                int e = errno;
                fp_fs_rmtree(tmp);
                return fp_error_set(err, FP_EIO, "%s: rename: %s", final, strerror(e));
            }
            fp_fs_rmtree(old);
        } else {
            fp_fs_rmtree(tmp);
        }
    }
    char dir[FP_FS_PATH_MAX];
    const char *base;
    if (split_path(final, dir, sizeof dir, &base) == 0 && fsync_dir(dir) != 0)
        return fp_error_set(err, FP_EIO, "%s: fsync of the folder: %s", dir, strerror(errno));
    return FP_OK;
}

void fp_fs_rmtree(const char *path)
{
    struct stat st;
    if (!path || lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d) {
        struct dirent *de;
        char p[FP_FS_PATH_MAX];
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", path, de->d_name);
            fp_fs_rmtree(p);
        }
        closedir(d);
    }
    rmdir(path);
}

int fp_fs_sweep(const char *dir, int *n_removed, fp_error *err)
{
    int n = 0;
    if (n_removed)
        *n_removed = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return FP_OK;
        return fp_error_set(err, FP_EIO, "%s: %s", dir, strerror(errno));
    }
    struct dirent *de;
    size_t plen = strlen(FP_FS_TMP_PREFIX);
    char p[FP_FS_PATH_MAX];
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, FP_FS_TMP_PREFIX, plen) != 0)
            continue;
        char *end = NULL;
        long pid = strtol(de->d_name + plen, &end, 10);
        if (!end || *end != '-' || pid <= 0)
            continue;
        /* A live writer (another run, or this process) keeps its temps. */
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        fp_fs_rmtree(p);
        n++;
    }
    closedir(d);
    if (n_removed)
        *n_removed = n;
    return FP_OK;
}

int fp_fs_mkdirs(const char *path, fp_error *err)
{
    char buf[FP_FS_PATH_MAX];
    if (strlen(path) >= sizeof buf)
        return fp_error_set(err, FP_ELIMIT, "%s: path too long", path);
    strcpy(buf, path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return fp_error_set(err, FP_EIO, "%s: mkdir: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return fp_error_set(err, FP_EIO, "%s: mkdir: %s", buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return fp_error_set(err, FP_EIO, "%s: not a folder", buf);
    return FP_OK;
}

int fp_fs_confine(const char *root, const char *rel, char *out, size_t n, fp_error *err)
{
    if (!rel || !*rel)
        return fp_error_set(err, FP_EUSAGE, "empty output name");
    if (rel[0] == '/')
        return fp_error_set(err, FP_EUSAGE, "%s: output names must be relative to %s", rel, root);
    const char *c = rel;
    while (*c) {
        const char *e = strchr(c, '/');
        size_t len = e ? (size_t)(e - c) : strlen(c);
        if (len == 0 || (len == 2 && c[0] == '.' && c[1] == '.') || (len == 1 && c[0] == '.'))
            return fp_error_set(err, FP_EUSAGE, "%s: output name leaves %s", rel, root);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f || c[i] == '\\')
                return fp_error_set(err, FP_EUSAGE, "%s: control character in an output name", rel);
        c += len;
        if (*c == '/')
            c++;
    }
    int w = snprintf(out, n, "%s/%s", root, rel);
    if (w < 0 || (size_t)w >= n)
        return fp_error_set(err, FP_ELIMIT, "%s/%s: path too long", root, rel);
    return FP_OK;
}

void fp_fs_safe_name(const char *name, char *out, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; name[i] && j + 1 < n; i++) {
        char ch = name[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '_' || ch == '-';
        if (j == 0 && ch == '.')
            ok = 0;
        out[j++] = ok ? ch : '_';
    }
    if (j == 0 && n > 1)
        out[j++] = '_';
    if (n)
        out[j] = '\0';
}

/* ---- SHA-256 (FIPS 180-4) ---------------------------------------------- */

typedef struct {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
} sha256_ctx;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

static void sha256_init(sha256_ctx *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->n = 0;
}

static void sha256_update(sha256_ctx *c, const unsigned char *p, size_t len)
{
    c->len += len;
    while (len) {
        size_t k = 64 - c->n;
        if (k > len)
            k = len;
        memcpy(c->buf + c->n, p, k);
        c->n += k;
        p += k;
        len -= k;
        if (c->n == 64) {
            sha256_block(c, c->buf);
            c->n = 0;
        }
    }
}

static void sha256_final(sha256_ctx *c, char hex[65])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80;
    sha256_update(c, &pad, 1);
    unsigned char z = 0;
    while (c->n != 56)
        sha256_update(c, &z, 1);
    unsigned char lb[8];
    for (int i = 0; i < 8; i++)
        lb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, lb, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", c->h[i]);
    hex[64] = '\0';
}

void fp_fs_sha256(const void *data, size_t len, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, hex);
}

int fp_fs_sha256_file(const char *path, char hex[65], long long *size, fp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fp_error_set(err, FP_EIO, "%s: %s", path, strerror(errno));
    sha256_ctx c;
    sha256_init(&c);
    unsigned char buf[65536];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, r);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return fp_error_set(err, FP_EIO, "%s: read error", path);
    if (size)
        *size = (long long)c.len;
    sha256_final(&c, hex);
    return FP_OK;
}

int fp_fs_read_file(const char *path, size_t max, char **text, size_t *len, fp_error *err)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        fp_error_set(err, e == ENOENT ? FP_ENOTFOUND : FP_EIO, "%s: cannot open: %s", path,
                     strerror(e));
        errno = e;
        return err ? err->code : (e == ENOENT ? FP_ENOTFOUND : FP_EIO);
    }
    size_t cap = 8192, n = 0, r;
    char *buf = malloc(cap);
    int rc = FP_OK;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n >= 2)
            continue;
        if (n > max) {
            rc = fp_error_set(err, FP_ELIMIT, "%s: larger than %zu bytes", path, max);
            goto out;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb)
            break;
        buf = nb;
        cap *= 2;
    }
    if (!buf || (cap - n < 2 && !feof(f)))
        rc = fp_error_set(err, FP_ENOMEM, "%s: out of memory", path);
    else if (ferror(f))
        rc = fp_error_set(err, FP_EIO, "%s: read error: %s", path, strerror(errno));
    else if (n > max)
        rc = fp_error_set(err, FP_ELIMIT, "%s: larger than %zu bytes", path, max);
out:
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    if (len)
        *len = n;
    return FP_OK;
}
