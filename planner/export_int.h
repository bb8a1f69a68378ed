/* export_int: helpers shared by export.c and gracethd.c (GDAL error capture,
 * GEOS to OGR geometries, SRS set-up). Private to the export modules. */
#ifndef FP_EXPORT_INT_H
#define FP_EXPORT_INT_H

#include "error.h"
#include "log.h"
#include "plan.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* Captures GDAL errors while pushed: the last failure message, warnings to
 * the log. */
typedef struct fp_gdal_sink {
    const fp_log *log;
    char last[512];
} fp_gdal_sink;

void fp_gdal_push(fp_gdal_sink *s, const fp_log *log);
void fp_gdal_pop(void);

/* Sets err to FP_EIO (an output could not be written: exit status 3) with
 * what and the sink's last GDAL message. */
int fp_gdal_fail(fp_error *err, const fp_gdal_sink *s, const char *what);

/* An SRS from an EPSG code with traditional GIS axis order; caller releases
 * with OSRRelease. NULL on failure. */
OGRSpatialReferenceH fp_srs_epsg(int epsg);

/* OGR copy of a GEOS geometry (via WKB); caller destroys. NULL on failure. */
OGRGeometryH fp_geos_to_ogr(GEOSContextHandle_t h, const GEOSGeometry *g);

/* OGR LineString of a network edge's polyline; caller destroys. */
OGRGeometryH fp_edge_line(const fp_net_edge *e);

/* Rounds to 2 decimals, so written reals do not depend on the last bits of
 * a sum. */
double fp_round2(double v);

/* Adds a field to a layer. Returns 0 or -1. */
int fp_ogr_field(OGRLayerH l, const char *name, OGRFieldType t, int width, int prec);

#endif
