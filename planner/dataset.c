/* dataset: creation and release of loaded GIS data. */
#include "dataset.h"

#include <stdlib.h>

fp_dataset *fp_dataset_create(void)
{
    fp_dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->geos = GEOS_init_r();
    if (!ds->geos) {
        free(ds);
        return NULL;
    }
    return ds;
}

void fp_dataset_free(fp_dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n_buildings; i++)
        if (ds->buildings[i].geom)
            GEOSGeom_destroy_r(ds->geos, ds->buildings[i].geom);
    for (size_t i = 0; i < ds->n_streets; i++)
        if (ds->streets[i].geom)
            GEOSGeom_destroy_r(ds->geos, ds->streets[i].geom);
    for (size_t i = 0; i < ds->n_infra; i++)
        if (ds->infra[i].geom)
            GEOSGeom_destroy_r(ds->geos, ds->infra[i].geom);
    free(ds->buildings);
    free(ds->streets);
    free(ds->sites);
    free(ds->infra);
    GEOS_finish_r(ds->geos);
    free(ds);
}
