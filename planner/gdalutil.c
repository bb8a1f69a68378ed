/* gdalutil: CPLError routing and CRS helpers. */
#include "gdalutil.h"

#include <cpl_error.h>
#include <gdal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_GDAL_MAX_WARNINGS 20

static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    fp_gdal_errs *e = CPLGetErrorHandlerUserData();
    if (!e)
        return;
    if (cls == CE_Failure || cls == CE_Fatal) {
        e->n_fail++;
        snprintf(e->last, sizeof e->last, "%s", msg ? msg : "unknown GDAL error");
        for (char *p = e->last; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        for (size_t n = strlen(e->last); n > 0 && e->last[n - 1] == ' ';)
            e->last[--n] = '\0';
        fp_log_msg(e->log, FP_LOG_DEBUG, "GDAL: %s", e->last);
    } else if (cls == CE_Warning) {
        /* FNV-1a of the text: repeats of a warning already shown are counted */
        unsigned hsh = 2166136261u;
        for (const char *p = msg ? msg : ""; *p; p++)
            hsh = (hsh ^ (unsigned char)*p) * 16777619u;
        size_t nseen = sizeof e->seen / sizeof e->seen[0];
        for (size_t i = 0; i < nseen && e->seen[i]; i++)
            if (e->seen[i] == hsh) {
                e->n_repeat++;
                return;
            }
        e->n_warn++;
        for (size_t i = 0; i < nseen; i++)
            if (!e->seen[i]) {
                e->seen[i] = hsh ? hsh : 1;
                break;
            }
        if (e->n_warn <= FP_GDAL_MAX_WARNINGS)
            fp_log_msg(e->log, FP_LOG_WARN, "GDAL: %s%s%s", e->context,
                       e->context[0] ? ": " : "", msg ? msg : "");
    } else if (cls == CE_Debug) {
        /* CPL_DEBUG output: only with --verbose */
        fp_log_msg(e->log, FP_LOG_DEBUG, "GDAL: %s", msg ? msg : "");
    }
}

void fp_gdal_begin(fp_gdal_errs *e, const fp_log *log)
{
    memset(e, 0, sizeof *e);
    e->log = log;
    GDALAllRegister();
    CPLPushErrorHandlerEx(handler, e);
    CPLErrorReset();
}

void fp_gdal_end(fp_gdal_errs *e)
{
    CPLPopErrorHandler();
    if (e->n_warn > FP_GDAL_MAX_WARNINGS)
        fp_log_msg(e->log, FP_LOG_WARN, "GDAL: %ld more warnings not shown",
                   e->n_warn - FP_GDAL_MAX_WARNINGS);
    if (e->n_repeat)
        fp_log_msg(e->log, FP_LOG_WARN, "GDAL: %ld repeated warnings not shown", e->n_repeat);
}

void fp_gdal_reset(fp_gdal_errs *e)
{
    e->last[0] = '\0';
    CPLErrorReset();
}

OGRSpatialReferenceH fp_gdal_srs(const char *definition)
{
    if (!definition || !*definition)
        return NULL;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs)
        return NULL;
    /* GDAL 3.6 has no OSRSetFromUserInputEx (which can forbid file access);
     * the definition comes from the user's own scenario. */
    if (OSRSetFromUserInput(srs, definition) != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

int fp_gdal_srs_epsg(OGRSpatialReferenceH srs)
{
    if (!srs)
        return 0;
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code && strcmp(auth, "EPSG") == 0)
        return atoi(code);
    /* A shapefile .prj with TOWGS84 reads as a bound CRS: look at its source. */
    OGRSpatialReferenceH c = OSRClone(srs);
    int epsg = 0;
    if (c) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        if (OSRAutoIdentifyEPSG(c) == OGRERR_NONE) {
            auth = OSRGetAuthorityName(c, NULL);
            code = OSRGetAuthorityCode(c, NULL);
            if (auth && code && strcmp(auth, "EPSG") == 0)
                epsg = atoi(code);
        }
        CPLPopErrorHandler();
        OSRDestroySpatialReference(c);
    }
    return epsg;
}
