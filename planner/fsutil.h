/* fsutil: atomic output files and folders, stale-temp sweeping, output path
 * confinement and SHA-256 file hashes.
 *
 * Every output of fibreplan is written under a temporary name in the folder
 * of its final name, flushed to disk (fsync), renamed over the final name and
 * the folder fsynced (Redis rdbSave, git lockfile). A crash or kill leaves
 * either the old file or the new one, never a half-written one. Temporary
 * names start with FP_FS_TMP_PREFIX and carry the writer's pid, so a later
 * run sweeps the ones whose writer is dead (fp_fs_sweep). */
#ifndef FP_FSUTIL_H
#define FP_FSUTIL_H

#include "error.h"

#include <stddef.h>
#include <stdio.h>

#define FP_FS_TMP_PREFIX ".fptmp-"
#define FP_FS_PATH_MAX 4096

/* Makes a temporary name for `final` in the same folder:
 * "<dir>/.fptmp-<pid>-<seq>-<base>" (the base name is kept last so drivers
 * that look at the extension, such as GDAL's GPKG driver, are satisfied).
 * Returns 0, or FP_ELIMIT if the result does not fit in n bytes. */
int fp_fs_temp_path(const char *final, char *tmp, size_t n, fp_error *err);

/* fsyncs the file `tmp`, renames it over `final`, fsyncs the folder.
 * On failure tmp is removed. Returns 0 or FP_EIO. */
int fp_fs_commit(const char *tmp, const char *final, fp_error *err);

/* Writes len bytes atomically to path. Returns 0 or FP_EIO. */
int fp_fs_write_atomic(const char *path, const void *data, size_t len, fp_error *err);

/* A file being written atomically: open, write through fp_afile_fp(),
 * then commit (or abort). */
typedef struct fp_afile fp_afile;

/* Opens a temporary file for `path`. Returns NULL with *err set. */
fp_afile *fp_afile_open(const char *path, fp_error *err);

/* fp_afile_open for the file `name` in folder dir; FP_ELIMIT if the joined
 * path is too long. */
fp_afile *fp_afile_open_in(const char *dir, const char *name, fp_error *err);

/* The stdio stream to write to; owned by the handle. */
FILE *fp_afile_fp(fp_afile *f);

/* Flushes, checks for write errors, fsyncs, renames over the final name and
 * frees the handle (in every case). Returns 0 or FP_EIO. */
int fp_afile_commit(fp_afile *f, fp_error *err);

/* Closes and removes the temporary file, frees the handle; accepts NULL. */
void fp_afile_abort(fp_afile *f);

/* Atomic folder: files are written into a fresh temporary folder beside
 * `final`, then fp_fs_dir_commit swaps it in (renameat2 RENAME_EXCHANGE where
 * the kernel has it, else two renames) and removes the old folder.
 * Creates the temporary folder and writes its path to tmp[n]. */
int fp_fs_dir_begin(const char *final, char *tmp, size_t n, fp_error *err);
int fp_fs_dir_commit(const char *tmp, const char *final, fp_error *err);

/* Removes a folder tree (used for aborted temporary folders); best effort. */
void fp_fs_rmtree(const char *path);

/* Removes entries of dir named FP_FS_TMP_PREFIX<pid>-... whose writer
 * process no longer exists (files and folders). *n_removed (may be NULL)
 * receives the count. A missing dir is not an error. */
int fp_fs_sweep(const char *dir, int *n_removed, fp_error *err);

/* mkdir -p. Returns 0 or FP_EIO naming the path. */
int fp_fs_mkdirs(const char *path, fp_error *err);

/* Joins root and rel into out[n], refusing (FP_EUSAGE) an absolute rel, any
 * ".." component, an empty component or a control character, so a name
 * from a scenario cannot write outside root. */
int fp_fs_confine(const char *root, const char *rel, char *out, size_t n, fp_error *err);

/* Copies name into out[n] keeping [A-Za-z0-9._-] and replacing anything
 * else with '_'; a leading '.' becomes '_' (so it can't be hidden or ".."). */
void fp_fs_safe_name(const char *name, char *out, size_t n);

/* Reads a whole file into *text (malloc'd, NUL-terminated, caller frees)
 * and its byte count into *len (may be NULL). Returns 0, FP_ENOTFOUND (no
 * such file; errno kept for the caller's message), FP_EIO, FP_ENOMEM or
 * FP_ELIMIT (more than max bytes); *text is NULL on failure. */
int fp_fs_read_file(const char *path, size_t max, char **text, size_t *len, fp_error *err);

/* SHA-256 of a file as 64 lowercase hex digits plus NUL in hex[65];
 * *size (may be NULL) receives the byte count. Returns 0 or FP_EIO. */
int fp_fs_sha256_file(const char *path, char hex[65], long long *size, fp_error *err);

/* SHA-256 of a buffer, hex as above. */
void fp_fs_sha256(const void *data, size_t len, char hex[65]);

#endif
