/* cli_data: the set-up shared by the subcommands that read GIS data: the
 * scenario opening of inspect and network, the project database of runs and
 * compare. */
#include "cli.h"
#include "error.h"

#include <string.h>
#include <unistd.h>

fp_store *fp_cli_open_db(const char *db, int *status)
{
    fp_error err;
    fp_error_clear(&err);
    /* fp_store_open creates a missing database: listing one is a mistake */
    if (access(db, R_OK) != 0) {
        fp_cli_error("%s: no project database (run `fibreplan run` first, or give --db)", db);
        *status = 1;
        return NULL;
    }
    fp_store *st = fp_store_open(db, &err);
    if (!st)
        *status = fp_cli_fail(NULL, &err);
    return st;
}

int fp_cli_load(fp_cli *cli, const char *path, const char *const *skip, fp_cli_reader reader,
                void *ud, fp_scenario **sc, fp_load_opts *o, fp_dataset **ds, fp_error *err)
{
    int rc;
    memset(o, 0, sizeof *o);
    *ds = NULL;
    if (!(*sc = fp_scenario_load(path, err)))
        return err->code;
    if ((rc = fp_load_opts_from_scenario(*sc, o, err)) || (reader && (rc = reader(*sc, ud, err))))
        return rc;
    for (int i = 0; skip && skip[i]; i++)
        fp_scenario_skip_section(*sc, skip[i]);
    /* every key checked before the (slow) load: a typo fails at once */
    if ((rc = fp_scenario_check_unused(*sc, err)))
        return rc;
    if (!(*ds = fp_load(o, &cli->log, err)))
        return err->code;
    return FP_OK;
}
