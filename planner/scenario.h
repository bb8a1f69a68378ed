/* scenario: a hand-edited INI scenario file (parsed with inih), kept as a
 * table of (section, key, value, line) that each module reads its own keys
 * from with typed, validated getters.
 *
 * Unknown keys are errors: every getter marks the key it reads as used, and
 * after every module has read its keys the caller calls
 * fp_scenario_check_unused(), which reports the first key nobody read, with
 * its line number ("scenarios/x.ini:12: unknown key 'foo' in [costs]"). */
#ifndef FP_SCENARIO_H
#define FP_SCENARIO_H

#include "error.h"

typedef struct fp_scenario fp_scenario;

/* Parses path. Returns NULL with *err set (file, line) on failure.
 * Caller frees with fp_scenario_free. */
fp_scenario *fp_scenario_load(const char *path, fp_error *err);

/* Parses a scenario from a string; `name` stands for the file in messages. */
fp_scenario *fp_scenario_parse(const char *text, const char *name, fp_error *err);

void fp_scenario_free(fp_scenario *sc);

/* The file's path as given, its directory (relative source paths are resolved
 * against it), its base name without extension (the run's name), and its full
 * text (for the project database). All owned by sc. */
const char *fp_scenario_path(const fp_scenario *sc);
const char *fp_scenario_dir(const fp_scenario *sc);
const char *fp_scenario_name(const fp_scenario *sc);
const char *fp_scenario_text(const fp_scenario *sc);

/* Raw value or NULL if absent; marks the key used. Owned by sc. */
const char *fp_scenario_get(fp_scenario *sc, const char *section, const char *key);

/* Line number of a key (0 if absent), for messages. */
int fp_scenario_line(const fp_scenario *sc, const char *section, const char *key);

/* 1 if the section appears in the file (even empty). */
int fp_scenario_has_section(const fp_scenario *sc, const char *section);

/* Marks a whole section (and every key in it) as read, without reading it.
 * Only for commands that do not need that section (e.g. `inspect` skips
 * [costs] and [network]); a command that uses the section reads its keys
 * with the getters instead, so that misspelt keys are caught. */
void fp_scenario_skip_section(fp_scenario *sc, const char *section);

/* Typed getters: if the key is absent, *out = def and 0 is returned. If it is
 * present but malformed or outside [min,max] (or NaN/inf), FP_ESCENARIO is
 * returned with a message naming file, line, section and key. */
int fp_scenario_get_double(fp_scenario *sc, const char *section, const char *key,
                           double def, double min, double max, double *out,
                           fp_error *err);
int fp_scenario_get_int(fp_scenario *sc, const char *section, const char *key,
                        long def, long min, long max, long *out, fp_error *err);
/* Accepts true/false, yes/no, on/off, 1/0. */
int fp_scenario_get_bool(fp_scenario *sc, const char *section, const char *key,
                         int def, int *out, fp_error *err);
/* *out points into sc (or is def). */
int fp_scenario_get_string(fp_scenario *sc, const char *section, const char *key,
                           const char *def, const char **out, fp_error *err);
/* One of choices[] (NULL-terminated); *out = its index, or def if absent. */
int fp_scenario_get_choice(fp_scenario *sc, const char *section, const char *key,
                           const char *const *choices, int def, int *out,
                           fp_error *err);

/* Iterates the keys of a section in file order (for maps such as
 * "trench_cost.<class> = 80"): calls fn for each, marking it used; a non-zero
 * return from fn stops and is returned. */
int fp_scenario_each(fp_scenario *sc, const char *section,
                     int (*fn)(void *ud, const char *key, const char *value,
                               int line, fp_error *err),
                     void *ud, fp_error *err);

/* FP_ESCENARIO naming the first key (in file order) no getter read, or for
 * a section nobody read. */
int fp_scenario_check_unused(const fp_scenario *sc, fp_error *err);

#endif
