/* stp: reader and writer of SteinLib .stp and PACE 2018 .gr Steiner files. */
#ifndef FP_STP_H
#define FP_STP_H

#include "error.h"
#include "sgraph.h"

#include <stddef.h>

/* Parses the text of an .stp/.gr file (len bytes, need not be NUL-terminated)
 * into a new graph *out (caller frees with fp_sgraph_free). `name` labels
 * error messages ("name:line: ...") and is the instance name unless the file
 * has a `Name` comment. Vertex i of the file becomes node i-1, ext_id i.
 * `TP v p` lines set prizes (problem PCSTP), `RootP r` sets the root of an
 * RPCSTP, `Root r` the root of an SPG (a terminal). `A` (arc) lines are
 * refused: directed problems are not supported.
 * RETURNS 0, or FP_EINPUT/FP_ENOMEM/FP_ELIMIT with *out NULL. */
int fp_stp_parse(const char *text, size_t len, const char *name, fp_sgraph **out,
                 fp_error *err);

/* Reads the file at path (read-only) and parses it as fp_stp_parse does.
 * RETURNS 0, FP_ENOTFOUND/FP_EIO if unreadable, or the parse error. */
int fp_stp_read(const char *path, fp_sgraph **out, fp_error *err);

/* Writes g as an .stp file at path, atomically (temp name in the same
 * folder, fsync, rename). Vertices are numbered 1..n_nodes in node order;
 * prizes become TP lines, the root a Root (SPG) or RootP (RPCSTP) line.
 * RETURNS 0 or FP_EIO. */
int fp_stp_write(const char *path, const fp_sgraph *g, fp_error *err);

#endif
