/* dataset: what `load` hands forward: buildings, streets, sites and existing
 * infrastructure, all in one metric working CRS, as GEOS geometries owned by
 * the dataset's GEOS context. A plain struct: network, plan, report and
 * export read it; only load fills it and fp_dataset_free frees it. */
#ifndef FP_DATASET_H
#define FP_DATASET_H

#include <geos_c.h>
#include <stddef.h>

#define FP_ID_MAX 64
#define FP_CLASS_MAX 32

/* Where a building's dwelling count came from. */
typedef enum {
    FP_DW_GIVEN,      /* read from the configured field */
    FP_DW_ESTIMATED,  /* estimated from footprint area x levels */
    FP_DW_NONRES      /* non-residential or annex: 0 unless configured */
} fp_dw_source;

typedef struct fp_building {
    long long fid;            /* feature id in the source layer */
    char id[FP_ID_MAX];       /* source identifier (e.g. BD TOPO ID), or "" */
    GEOSGeometry *geom;       /* valid Polygon/MultiPolygon, working CRS, owned */
    double area;              /* footprint m2 */
    double levels;            /* floors above ground (given or assumed) */
    int dwellings;            /* >= 0 */
    fp_dw_source dw_source;
    int repaired;             /* 1 if the footprint was repaired with make-valid */
    char usage[FP_CLASS_MAX]; /* usage/building tag as read ("Résidentiel", "house"), or "" */
    char block[FP_ID_MAX];    /* block id from a configured attribute, or "" */
    double priority;          /* weight factor for coverage modes, default 1 */
    int smart_optout;         /* dwellings whose households opted out of smart services */
    int elderly;              /* 1 if flagged as housing elderly tenants */
} fp_building;

typedef struct fp_street {
    long long fid;
    GEOSGeometry *geom;       /* LineString (2D), working CRS, owned */
    char cls[FP_CLASS_MAX];   /* street class (NATURE, highway), or "" */
    double length;            /* metres */
} fp_street;

typedef struct fp_site {
    long long fid;            /* -1 if given by coordinates in the scenario */
    char id[FP_ID_MAX];
    double x, y;              /* working CRS */
} fp_site;

typedef enum { FP_INFRA_DUCT, FP_INFRA_AERIAL, FP_INFRA_POLE } fp_infra_kind;

typedef struct fp_infra {
    long long fid;
    GEOSGeometry *geom;       /* LineString (duct, aerial) or Point (pole), owned */
    fp_infra_kind kind;
} fp_infra;

/* Per-layer load statistics, for `inspect`. */
typedef struct fp_layer_stats {
    char source[512];         /* file or connection string as given */
    char layer[128];
    long long read, kept, repaired, rejected;
    /* Rejection reasons, counted: */
    long long rej_empty, rej_geomtype, rej_invalid, rej_nonfinite, rej_other;
    char driver[32];          /* GDAL driver short name ("GPKG", "OSM") */
    char crs[128];            /* the layer's CRS ("EPSG:2154") as read or imposed */
    long long filtered;       /* left out on purpose: class filter, clip_margin */
    long long bad_values;     /* attribute values ignored as unreadable (e.g. levels "yes") */
} fp_layer_stats;

typedef struct fp_dataset {
    GEOSContextHandle_t geos; /* owned; every geometry below belongs to it */
    int epsg;                 /* working CRS, e.g. 2154 */
    char crs_name[128];       /* "RGF93 v1 / Lambert-93" */
    double minx, miny, maxx, maxy; /* extent of everything loaded */

    fp_building *buildings;  size_t n_buildings;
    fp_street *streets;      size_t n_streets;
    fp_site *sites;          size_t n_sites;
    fp_infra *infra;         size_t n_infra;

    fp_layer_stats st_buildings, st_streets, st_sites, st_infra;
} fp_dataset;

/* Creates an empty dataset with its own GEOS context (message handlers
 * unset). Returns NULL on failure. */
fp_dataset *fp_dataset_create(void);

/* Frees every geometry, the arrays and the GEOS context; accepts NULL. */
void fp_dataset_free(fp_dataset *ds);

#endif
