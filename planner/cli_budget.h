/* cli_budget: the prize side of `fibreplan stp`: prize-collecting files
 * (TP lines) and the --budget / --quota modes. */
#ifndef FP_CLI_BUDGET_H
#define FP_CLI_BUDGET_H

#include "cli.h"
#include "sgraph.h"
#include "steiner.h"

/* Solves g (borrowed) as a prize-collecting problem (mode 0), a budget
 * (1: maximise prize with edge cost <= limit) or a quota (2: cheapest tree
 * with prize >= limit); prints the summary or JSON, writes the solution to
 * solpath if not NULL. RETURNS the exit status. */
int fp_cli_stp_prize(fp_cli *cli, const fp_sgraph *g, int mode, double limit,
                     const fp_steiner_opts *o, const fp_log *log, int json,
                     const char *solpath);

/* Writes a tree to path atomically (fsutil): "E u v cost" per edge in ein,
 * then "V v" per vertex in nin (NULL: none; prize-collecting trees list
 * their vertices so a one-vertex tree is written too), in the file's own
 * vertex numbers (g->ext_id). RETURNS 0 or FP_EIO with *err set. */
int fp_cli_write_solution(const char *path, const fp_sgraph *g, const unsigned char *ein,
                          const unsigned char *nin, fp_error *err);

#endif
