/* load: reading buildings, streets, sites and existing infrastructure from
 * any GDAL vector source (GeoPackage, Shapefile, GeoJSON, SpatiaLite, OSM
 * PBF/XML, PostGIS "PG:..."), reprojecting them with PROJ to one metric
 * working CRS, repairing footprints with GEOS and counting dwellings (given
 * by a field or estimated from footprint area x levels), into an fp_dataset.
 *
 * Two steps: fp_load_opts_from_scenario() reads and validates the scenario's
 * [sources], [scenario] crs, [buildings], [dwellings], [streets], [sites] and
 * [infra] keys (errors carry the scenario line); fp_load() opens the sources
 * read-only and builds the dataset (errors name file, layer, feature, field). */
#ifndef FP_LOAD_H
#define FP_LOAD_H

#include "dataset.h"
#include "error.h"
#include "log.h"
#include "scenario.h"

/* A list of strings (e.g. residential usage values), all owned. */
typedef struct fp_strlist {
    char **v;
    size_t n;
} fp_strlist;

/* One layer of one source. */
typedef struct fp_load_layer {
    char *source;     /* path (resolved against the scenario's folder) or a
                         connection string such as "PG:dbname=x"; owned */
    char *layer;      /* layer name, or NULL for the source's only/first layer
                         (for OSM: multipolygons / lines / points); owned */
    char *where;      /* OGR SQL attribute filter, or NULL; owned */
    char *source_crs; /* CRS to assume/impose ("EPSG:2154", WKT, PROJ), or NULL
                         to use the layer's own; owned */
} fp_load_layer;

/* Dwelling estimate from footprint area A (m2) and levels L:
 *   A < min_area                   -> 0
 *   L*A < small_floor_area         -> small_dwellings
 *   otherwise                      -> round(L*A*efficiency/area_per_dwelling), >= 1
 * Levels: levels field if > 0, else round(height / level_height) (>= 1) if
 * a height field is given and > 0, else default_levels. */
typedef struct fp_dwelling_rule {
    double small_floor_area;  /* 350 m2 */
    double small_dwellings;   /* 1 */
    double efficiency;        /* 0.75: share of the floor area that is dwellings */
    double area_per_dwelling; /* 65 m2 */
    double default_levels;    /* 1 */
    double level_height;      /* 3 m */
    double min_area;          /* 0 m2: smaller footprints get 0 dwellings */
} fp_dwelling_rule;

typedef struct fp_load_opts {
    char *crs;               /* working CRS as given, or NULL for automatic; owned */
    char *scenario_path;     /* for messages; owned */
    char *title;             /* [scenario] name, or NULL; owned */
    char *description;       /* [scenario] description, or NULL; owned */

    /* [buildings] (required) */
    fp_load_layer buildings;
    char *id_field, *dwellings_field, *levels_field, *height_field;
    char *usage_field, *block_field, *priority_field, *optout_field, *elderly_field;
    fp_strlist residential_values; /* n == 0: every building is residential */
    int estimate_missing;    /* estimate when the dwellings field is empty (1) */
    fp_dwelling_rule rule;

    /* [streets] (optional: has_streets) */
    int has_streets;
    fp_load_layer streets;
    char *class_field;
    int include_footways, include_service;
    fp_strlist footway_classes, service_classes, exclude_classes;
    double clip_margin;      /* < 0: no clipping; else metres around buildings */

    /* [sites] (optional): a points layer, or one point by coordinates */
    int has_sites;
    int site_by_xy;
    fp_load_layer sites;
    char *site_id_field;
    double site_x, site_y;
    char *site_crs;          /* CRS of site_x/site_y; owned */
    char *site_id;           /* id of the coordinate site; owned */

    /* [infra] (optional): existing ducts, aerial lines, poles */
    int has_infra;
    fp_load_layer infra;
    char *kind_field;
    fp_strlist duct_values, aerial_values, pole_values;
    int default_kind;        /* fp_infra_kind for lines of unknown kind */
} fp_load_opts;

/* Fills *o from sc's [scenario] crs, [sources], [buildings], [dwellings],
 * [streets], [sites] and [infra] (marking those keys used). Relative source
 * paths are resolved against fp_scenario_dir(sc). Returns 0, or
 * FP_ESCENARIO naming file:line and key; *o must be freed with
 * fp_load_opts_free in both cases. */
int fp_load_opts_from_scenario(fp_scenario *sc, fp_load_opts *o, fp_error *err);

/* Default options (no sources): the default dwelling rule and street
 * classes. Free with fp_load_opts_free. Returns 0 or FP_ENOMEM. */
int fp_load_opts_init(fp_load_opts *o, fp_error *err);

/* Frees what *o owns and zeroes it; accepts a zeroed struct. */
void fp_load_opts_free(fp_load_opts *o);

/* The dwelling estimate of the rule above for a footprint of `area` m2 over
 * `levels` floors. */
int fp_load_estimate_dwellings(const fp_dwelling_rule *r, double area, double levels);

/* Loads everything o describes. Returns a dataset the caller frees with
 * fp_dataset_free, or NULL with *err set (FP_ENOTFOUND, FP_EINPUT, FP_ECRS,
 * FP_EGDAL, FP_EPROJ, FP_ELIMIT, FP_ENOMEM). Progress and warnings (e.g.
 * GDAL warnings, repaired footprints) go to log (may be NULL). */
fp_dataset *fp_load(const fp_load_opts *o, const fp_log *log, fp_error *err);

#endif
