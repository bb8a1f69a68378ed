/* netout: writing the network model for inspection: a GeoPackage for QGIS
 * (layers edges, nodes, drops, blocks, unreachable), written atomically
 * (temp name in the same folder, fsync, rename, fsync of the folder). The
 * compact Steiner instance is written with stp.h's fp_stp_write. */
#ifndef FP_NETOUT_H
#define FP_NETOUT_H

#include "error.h"
#include "log.h"
#include "network.h"
#include "sgraph.h"

/* Writes net to a GeoPackage at path (replacing it), in net->ds's working
 * CRS, in one transaction under a temporary name (temporaries of killed
 * runs next to it are removed first). Layers:
 *   edges       LineString: id, u, v, kind, class, street_fid, length_m,
 *               cost_eur, reuse (1 for duct/aerial reuse)
 *   nodes       Point: id, kind, building_id, component
 *   drops       LineString: building_id, building_fid, dwellings, length_m,
 *               cost_eur
 *   blocks      Polygon (NULL for attribute blocks): id, buildings, dwellings
 *   unreachable MultiPolygon footprints: building_id, building_fid,
 *               dwellings, reason, distance_m
 * Returns 0, or FP_EIO / FP_EGDAL with *err naming the file. */
int fp_netout_gpkg(const fp_network *net, const char *path, const fp_log *log, fp_error *err);

#endif
