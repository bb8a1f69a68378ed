/* export: the plan as GIS layers for other tools.
 *
 * Layers (same content in every format):
 *   buildings  MultiPolygon  building, status, dwellings, dwellings_source,
 *                            block, drop_m, fibres, cost_eur (+ whitelisted
 *                            source fields)
 *   routes     LineString    edge, kind, class, length_m, dwellings, fibres,
 *                            cable_size, n_cables, extra_cable_size,
 *                            civil_eur, cable_eur
 *   nodes      Point         node, kind (central_office, junction,
 *                            connection_point, building)
 *   blocks     Polygon       block, status, buildings, buildings_connected,
 *                            dwellings, dwellings_connected (NULL below the
 *                            privacy threshold), cost_eur
 *   summary    no geometry   key, value (counts below the threshold "<N")
 * Formats: GeoPackage plan.gpkg (with QGIS styles in layer_styles and a
 * description in gpkg_metadata), GeoJSON geojson/<layer>.geojson (RFC 7946,
 * EPSG:4326, fixed coordinate precision), PostGIS (tables <prefix><layer>,
 * replaced on each export), GraceTHD (see gracethd.h).
 *
 * Privacy: source attributes are left out unless listed in `fields`;
 * per-household attributes (smart opt-outs, elderly tenants, priority) are
 * never exported, asking for them is an error. Every file is written
 * atomically; GeoJSON and GraceTHD files are byte-identical for the same
 * inputs. A README.txt beside the files says what the export holds. */
#ifndef FP_EXPORT_H
#define FP_EXPORT_H

#include "error.h"
#include "log.h"
#include "plan.h"

#include <stddef.h>

enum {
    FP_EXPORT_GPKG = 1,
    FP_EXPORT_GEOJSON = 2,
    FP_EXPORT_POSTGIS = 4,
    FP_EXPORT_GRACETHD = 8
};

#define FP_EXPORT_MAX_FIELDS 16

typedef struct fp_export_opts {
    unsigned formats;          /* FP_EXPORT_* bits */
    const char *scenario;      /* run name, for metadata and PostGIS names */
    const char *pg_conn;       /* "PG:host=... dbname=..." for FP_EXPORT_POSTGIS */
    const char *pg_prefix;     /* table name prefix; NULL: "fp_<scenario>_" */
    int n_fields;              /* whitelisted source fields (export_fields) */
    char fields[FP_EXPORT_MAX_FIELDS][32];
    int privacy_threshold;     /* default 11; 0 = off */
    int coord_precision;       /* GeoJSON decimals (default 7, about 1 cm) */
    const char *gracethd_statut; /* "AVP" (default) or "PRE" */
    const char *organisation;  /* GraceTHD t_organisme name, default "A RENSEIGNER" */
} fp_export_opts;

/* Defaults: GeoPackage + GeoJSON, no source field, threshold 11. */
void fp_export_opts_default(fp_export_opts *o);

/* Parses a comma-separated format list ("gpkg,geojson,postgis,gracethd",
 * or "none") into o->formats. */
int fp_export_parse_formats(const char *text, fp_export_opts *o, fp_error *err);

/* Parses the export_fields whitelist ("usage,levels"). Accepted source
 * fields: id, fid, usage, levels, area, block. Personal fields
 * (smart_optout, elderly, priority) and unknown names are FP_ESCENARIO. */
int fp_export_parse_fields(const char *text, fp_export_opts *o, fp_error *err);

/* Writes the selected formats into dir (created if missing): plan.gpkg,
 * geojson/, gracethd/, README.txt; PostGIS into o->pg_conn. plan is
 * borrowed. Returns 0 or an error (FP_EIO, FP_EGDAL, FP_ECRS, ...). */
int fp_export_write(const char *dir, const fp_plan *plan, const fp_export_opts *o,
                    const fp_log *log, fp_error *err);

#endif
