/* gracethd: the plan in the GraceTHD-MCD v2 exchange model, the French
 * standard for FTTH networks handed to councils (shapefiles + CSV, the
 * model's usual delivery form).
 *
 * Folder gracethd/ (built under a temporary name and swapped in):
 *   t_noeud.shp       nodes of the tree (Point, EPSG:2154)
 *   t_cheminement.shp every tree edge as a route: trench, duct, aerial, drop
 *   t_cableline.shp   geometry of every cable (one cable per route segment)
 *   t_adresse.shp     connected buildings (ad_nblhab = dwellings)
 *   t_cable.csv, t_ebp.csv (one PBO per connected building), t_ptech.csv
 *   (connection points), t_sitetech.csv (the central office as NRO),
 *   t_organisme.csv, t_reference.csv (one per cable size),
 *   l_*.csv           the value lists the codes above come from
 *   README.txt
 * Codes are <prefix><12 digits> in network order (ND000000000001, ...); every
 * object carries the study phase (_statut, "AVP" or "PRE"), _etat "OK" and
 * _avct "C" (to build) or "E" (existing duct or poles). CSV files use ';'.
 * Files are byte-identical for the same inputs (fixed DBF date). */
#ifndef FP_GRACETHD_H
#define FP_GRACETHD_H

#include "error.h"
#include "export.h"
#include "export_int.h"
#include "plan.h"

/* Writes the GraceTHD folder `dir` (replaced atomically). */
int fp_gracethd_write(const char *dir, const fp_plan *plan, const fp_export_opts *o,
                      fp_gdal_sink *sink, fp_error *err);

#endif
