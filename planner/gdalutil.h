/* gdalutil: GDAL at its edge: CPLError routed into fp_log and kept for
 * error messages, and the CRS helpers load needs (axis order fixed to
 * traditional GIS order on every SRS). */
#ifndef FP_GDALUTIL_H
#define FP_GDALUTIL_H

#include "error.h"
#include "log.h"

#include <ogr_srs_api.h>

/* Collects GDAL's errors between fp_gdal_begin and fp_gdal_end. Lives on the
 * caller's stack; GDAL's handler stack is per thread, so no global state. */
typedef struct fp_gdal_errs {
    const fp_log *log;   /* where warnings go (may be NULL); borrowed */
    long n_fail;         /* CE_Failure/CE_Fatal seen */
    long n_warn;         /* CE_Warning seen */
    char last[512];      /* text of the last failure ("" if none) */
    unsigned seen[32];   /* hashes of warnings already shown: a repeated
                            warning (e.g. one per OSM feature) is shown once */
    long n_repeat;       /* warnings not shown as repeats */
    char context[700];   /* what is being read ("file: layer L"), put before
                            each warning; "" for none */
} fp_gdal_errs;

/* Registers GDAL's drivers and pushes a handler that records failures in *e
 * and forwards warnings to log as FP_LOG_WARN (each distinct text once, at
 * most 20, then a count) and failures as FP_LOG_DEBUG. Pair with fp_gdal_end on the same thread. */
void fp_gdal_begin(fp_gdal_errs *e, const fp_log *log);

/* Pops the handler pushed by fp_gdal_begin; logs how many warnings were
 * not shown. */
void fp_gdal_end(fp_gdal_errs *e);

/* Clears the recorded failure (before an operation whose failure we test). */
void fp_gdal_reset(fp_gdal_errs *e);

/* A new SRS from a user definition ("EPSG:2154", WKT, PROJ string), in
 * traditional GIS axis order. Returns NULL if the
 * definition is not understood. Caller frees with OSRDestroySpatialReference. */
OGRSpatialReferenceH fp_gdal_srs(const char *definition);

/* The EPSG code of an SRS (looking through a bound CRS to its source CRS),
 * or 0 if it has none. */
int fp_gdal_srs_epsg(OGRSpatialReferenceH srs);

#endif
