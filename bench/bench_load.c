/* bench_load: time and peak memory of loading scenarios (default: the
 * bundled Olemps scenario and the Monaco OSM extract). Prints a table; never
 * fails on timing. Run from the repo root:
 *   ./build/bench/bench_load [scenarios/olemps.ini scenarios/monaco.ini ...] */
#include "dataset.h"
#include "load.h"
#include "scenario.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int bench(const char *path)
{
    fp_error e;
    fp_error_clear(&e);
    fp_load_opts o;
    memset(&o, 0, sizeof o);
    fp_dataset *ds = NULL;
    double t0 = now();
    fp_scenario *sc = fp_scenario_load(path, &e);
    if (sc && fp_load_opts_from_scenario(sc, &o, &e) == 0)
        ds = fp_load(&o, NULL, &e);
    double dt = now() - t0;
    int rc = 0;
    if (!ds) {
        printf("%-28s error: %s\n", path, e.msg);
        rc = 1;
    } else {
        long long dw = 0, dwb = 0, est = 0;
        double len = 0;
        for (size_t i = 0; i < ds->n_buildings; i++) {
            dw += ds->buildings[i].dwellings;
            dwb += ds->buildings[i].dwellings > 0;
            est += ds->buildings[i].dw_source == FP_DW_ESTIMATED ? ds->buildings[i].dwellings : 0;
        }
        for (size_t i = 0; i < ds->n_streets; i++)
            len += ds->streets[i].length;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("%-28s %6d %9lld %9zu %9lld %9lld %9lld %8zu %9.1f %8.2f %8.1f\n", path,
               ds->epsg, ds->st_buildings.read, ds->n_buildings, dw, est, dwb, ds->n_streets,
               len / 1000, dt, (double)ru.ru_maxrss / 1024);
    }
    fp_dataset_free(ds);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return rc;
}

int main(int argc, char **argv)
{
    static const char *defaults[] = {"scenarios/olemps.ini", "scenarios/monaco.ini"};
    printf("%-28s %6s %9s %9s %9s %9s %9s %8s %9s %8s %8s\n", "scenario", "epsg", "read",
           "kept", "dwellings", "estimated", "dw_bldgs", "streets", "street_km", "seconds",
           "peak_MB");
    int rc = 0;
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            rc |= bench(argv[i]);
    else
        for (size_t i = 0; i < 2; i++)
            rc |= bench(defaults[i]);
    return rc;
}
