/* store: runs in a SpatiaLite database (sqlite3 + mod_spatialite through
 * libspatialite's per-connection init). */
#include "store.h"

#include "fsutil.h"
#include "report.h"

#include <math.h>
#include <sqlite3.h>
/* after sqlite3.h, which it needs */
#include <spatialite.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fp_store {
    sqlite3 *db;
    void *cache; /* spatialite connection cache */
    char path[FP_FS_PATH_MAX];
};

static int sql_fail(fp_store *st, fp_error *err, const char *what)
{
    return fp_error_set(err, FP_ESQLITE, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

/* Prepares sql into *s, finalizing the statement *s held before (so one
 * variable serves a sequence of statements). FP_OK, or the SQLite error
 * naming what. */
static int prepare(fp_store *st, const char *sql, sqlite3_stmt **s, const char *what,
                   fp_error *err)
{
    sqlite3_finalize(*s);
    *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return sql_fail(st, err, what);
    return FP_OK;
}

/* Runs an INSERT statement; FP_OK, or the SQLite error naming what. */
static int step_done(fp_store *st, sqlite3_stmt *s, const char *what, fp_error *err)
{
    return sqlite3_step(s) == SQLITE_DONE ? FP_OK : sql_fail(st, err, what);
}

static int exec(fp_store *st, const char *sql, fp_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fp_error_set(err, FP_ESQLITE, "%s: %s", st->path, msg ? msg : "SQL error");
        sqlite3_free(msg);
        return FP_ESQLITE;
    }
    return FP_OK;
}

/* Adds a TEXT column a database made by an older fibreplan lacks (the site
 * feeding each route and building came with several sites per run). */
static int add_column(fp_store *st, const char *table, const char *col, fp_error *err)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM pragma_table_info(%Q) WHERE name = %Q",
                                table, col);
    sqlite3_stmt *s = NULL;
    int have = -1;
    if (sql && sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        have = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_free(sql);
    if (have < 0)
        return fp_error_set(err, FP_ESQLITE, "%s: cannot read the columns of %s: %s", st->path,
                            table, sqlite3_errmsg(st->db));
    if (have)
        return FP_OK;
    sql = sqlite3_mprintf("ALTER TABLE \"%w\" ADD COLUMN \"%w\" TEXT", table, col);
    if (!sql)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    int rc = exec(st, sql, err);
    sqlite3_free(sql);
    return rc;
}

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, scenario TEXT NOT NULL,"
    " scenario_text TEXT, mode TEXT, status TEXT, gap REAL, lower_bound REAL, seconds REAL,"
    " params TEXT, epsg INTEGER, total_cost REAL, network_cost REAL, cost_trench REAL,"
    " cost_duct_reuse REAL, cost_aerial REAL, cost_link REAL, cost_drops REAL,"
    " cost_connection_points REAL, cost_cable REAL, cost_smart REAL,"
    " cost_per_dwelling_connected REAL, cost_per_dwelling_passed REAL,"
    " buildings_target INTEGER, buildings_connected INTEGER, dwellings_target INTEGER,"
    " dwellings_connected INTEGER, dwellings_passed INTEGER);"
    "CREATE TABLE IF NOT EXISTS run_inputs(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_bom(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " line INTEGER NOT NULL, item TEXT NOT NULL, unit TEXT NOT NULL, quantity REAL, cost REAL);"
    "CREATE TABLE IF NOT EXISTS run_buildings(id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id), building INTEGER NOT NULL,"
    " status TEXT NOT NULL, dwellings INTEGER, fibres INTEGER, cost REAL, site TEXT);"
    "CREATE TABLE IF NOT EXISTS run_routes(id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id), edge INTEGER NOT NULL, kind TEXT,"
    " class TEXT, length REAL, dwellings INTEGER, fibres INTEGER, cable_size INTEGER,"
    " n_cables INTEGER, civil_cost REAL, cable_cost REAL, site TEXT);"
    "CREATE TABLE IF NOT EXISTS run_sites(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " site INTEGER NOT NULL, name TEXT, x REAL, y REAL, used INTEGER, edges INTEGER,"
    " buildings_connected INTEGER, dwellings_connected INTEGER, fibres INTEGER,"
    " trench_m REAL, civil_cost REAL, cable_cost REAL);"
    "CREATE INDEX IF NOT EXISTS run_sites_run ON run_sites(run_id);"
    "CREATE INDEX IF NOT EXISTS run_bom_run ON run_bom(run_id);"
    "CREATE INDEX IF NOT EXISTS run_buildings_run ON run_buildings(run_id);"
    "CREATE INDEX IF NOT EXISTS run_routes_run ON run_routes(run_id);";

fp_store *fp_store_open(const char *path, fp_error *err)
{
    fp_store *st = calloc(1, sizeof *st);
    if (!st) {
        fp_error_set(err, FP_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fp_error_set(err, FP_ESQLITE, "%s: cannot open: %s", path,
                     st->db ? sqlite3_errmsg(st->db) : "out of memory");
        fp_store_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, 10000);
    st->cache = spatialite_alloc_connection();
    spatialite_init_ex(st->db, st->cache, 0);
    if (exec(st, "PRAGMA foreign_keys=ON", err) || exec(st, SCHEMA, err) ||
        add_column(st, "run_routes", "site", err) || add_column(st, "run_buildings", "site", err)) {
        fp_store_close(st);
        return NULL;
    }
    /* Spatial metadata once, outside any transaction (it opens its own). */
    sqlite3_stmt *s = NULL;
    int have = sqlite3_prepare_v2(st->db,
                                  "SELECT 1 FROM sqlite_master WHERE name='geometry_columns'", -1,
                                  &s, NULL) == SQLITE_OK &&
               sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!have && exec(st, "SELECT InitSpatialMetadata(1)", err)) {
        fp_store_close(st);
        return NULL;
    }
    return st;
}

void fp_store_close(fp_store *st)
{
    if (!st)
        return;
    if (st->db)
        sqlite3_close_v2(st->db);
    if (st->cache)
        spatialite_cleanup_ex(st->cache);
    free(st);
}

/* Creates the spatial metadata and geometry columns on first use, with the
 * SRID of the first run; returns that SRID in *srid. */
static int ensure_geometry(fp_store *st, int epsg, int *srid, fp_error *err)
{
    sqlite3_stmt *s = NULL;
    int have = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT srid FROM geometry_columns WHERE f_table_name='run_routes'", -1,
                           &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        *srid = sqlite3_column_int(s, 0);
        have = 1;
    }
    sqlite3_finalize(s);
    if (have)
        return FP_OK;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT AddGeometryColumn('run_routes','geom',%d,'LINESTRING','XY'),"
             " AddGeometryColumn('run_buildings','geom',%d,'POINT','XY')",
             epsg, epsg);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, err, "AddGeometryColumn");
    int ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 1 &&
             sqlite3_column_int(s, 1) == 1;
    sqlite3_finalize(s);
    if (!ok)
        return fp_error_set(err, FP_ESQLITE, "%s: cannot add geometry columns for EPSG:%d",
                            st->path, epsg);
    *srid = epsg;
    return FP_OK;
}

/* Little-endian WKB of a point or a polyline into buf (malloc'd). */
static unsigned char *wkb_line(const double *xy, int n, size_t *len)
{
    size_t sz = 1 + 4 + 4 + (size_t)n * 16;
    unsigned char *b = malloc(sz);
    if (!b)
        return NULL;
    uint32_t type = 2, cnt = (uint32_t)n;
    b[0] = 1;
    memcpy(b + 1, &type, 4); /* x86-64 / aarch64: little-endian hosts */
    memcpy(b + 5, &cnt, 4);
    memcpy(b + 9, xy, (size_t)n * 16);
    *len = sz;
    return b;
}

static void wkb_point(double x, double y, unsigned char b[21])
{
    uint32_t type = 1;
    b[0] = 1;
    memcpy(b + 1, &type, 4);
    memcpy(b + 5, &x, 8);
    memcpy(b + 13, &y, 8);
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

int fp_store_add_run(fp_store *st, const fp_run_record *r, const fp_plan *p, long long *id,
                     fp_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = FP_OK, srid = 0;
    const fp_network *net = p->net;
    const fp_dataset *ds = net->ds;
    char geom_expr[128];
    char sql[1024];

    /* Hash the inputs before touching the database. */
    char (*hex)[65] = calloc(r->n_inputs + 1, sizeof *hex);
    long long *bytes = calloc(r->n_inputs + 1, sizeof *bytes);
    if (!hex || !bytes) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out_free;
    }
    for (size_t i = 0; i < r->n_inputs; i++)
        if ((rc = fp_fs_sha256_file(r->inputs[i], hex[i], &bytes[i], err)) != 0)
            goto out_free;

    if ((rc = exec(st, "BEGIN IMMEDIATE", err)) != 0)
        goto out_free;
    if ((rc = ensure_geometry(st, ds->epsg, &srid, err)) != 0)
        goto rollback;
    if (srid == ds->epsg)
        snprintf(geom_expr, sizeof geom_expr, "GeomFromWKB(?, %d)", srid);
    else
        snprintf(geom_expr, sizeof geom_expr, "ST_Transform(GeomFromWKB(?, %d), %d)", ds->epsg,
                 srid);

    const char *ins =
        "INSERT INTO runs(time, scenario, scenario_text, mode, status, gap, lower_bound, seconds,"
        " params, epsg, total_cost, network_cost, cost_trench, cost_duct_reuse, cost_aerial,"
        " cost_link, cost_drops, cost_connection_points, cost_cable, cost_smart,"
        " cost_per_dwelling_connected, cost_per_dwelling_passed, buildings_target,"
        " buildings_connected, dwellings_target, dwellings_connected, dwellings_passed)"
        " VALUES(strftime('%Y-%m-%dT%H:%M:%SZ','now'),?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        "?,?,?,?)";
    if ((rc = prepare(st, ins, &s, "insert run", err)))
        goto rollback;
    int k = 1;
    bind_text(s, k++, r->scenario ? r->scenario : "");
    bind_text(s, k++, r->scenario_text);
    bind_text(s, k++, r->mode);
    bind_text(s, k++, r->status);
    bind_real(s, k++, r->gap);
    bind_real(s, k++, r->lower_bound);
    bind_real(s, k++, r->seconds);
    bind_text(s, k++, r->params);
    sqlite3_bind_int(s, k++, ds->epsg);
    const fp_cost_breakdown *c = &p->cost;
    double costs[] = {c->total, p->network_cost, c->trench, c->duct_reuse, c->aerial, c->link,
                      c->drops, c->connection_points, c->cable, c->smart,
                      c->per_dwelling_connected, c->per_dwelling_passed};
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++)
        bind_real(s, k++, costs[i]);
    sqlite3_bind_int(s, k++, p->buildings_target);
    sqlite3_bind_int(s, k++, p->buildings_connected);
    sqlite3_bind_int(s, k++, p->dwellings_target);
    sqlite3_bind_int(s, k++, p->dwellings_connected);
    sqlite3_bind_int(s, k++, p->dwellings_passed);
    if ((rc = step_done(st, s, "insert run", err)))
        goto rollback;
    long long run = sqlite3_last_insert_rowid(st->db);

    if ((rc = prepare(st, "INSERT INTO run_inputs VALUES(?,?,?,?)", &s, "insert inputs", err)))
        goto rollback;
    for (size_t i = 0; i < r->n_inputs; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        bind_text(s, 2, r->inputs[i]);
        bind_text(s, 3, hex[i]);
        sqlite3_bind_int64(s, 4, bytes[i]);
        if ((rc = step_done(st, s, "insert inputs", err)))
            goto rollback;
    }

    fp_bom_line L[64];
    size_t nl = fp_bom_lines(p, L, 64);
    if ((rc = prepare(st, "INSERT INTO run_bom VALUES(?,?,?,?,?,?)", &s, "insert bom", err)))
        goto rollback;
    for (size_t i = 0; i < nl; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        sqlite3_bind_int(s, 2, (int)i);
        bind_text(s, 3, L[i].item);
        bind_text(s, 4, L[i].unit);
        bind_real(s, 5, L[i].qty);
        bind_real(s, 6, L[i].cost);
        if ((rc = step_done(st, s, "insert bom", err)))
            goto rollback;
    }

    snprintf(sql, sizeof sql,
             "INSERT INTO run_routes(run_id, edge, kind, class, length, dwellings, fibres,"
             " cable_size, n_cables, civil_cost, cable_cost, site, geom)"
             " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,%s)",
             geom_expr);
    if ((rc = prepare(st, sql, &s, "insert routes", err)))
        goto rollback;
    for (size_t i = 0; i < p->n_edges; i++) {
        const fp_plan_edge *pe = &p->edges[i];
        const fp_net_edge *E = &net->edges[pe->edge];
        size_t wl = 0;
        unsigned char *wkb = wkb_line(E->xy, E->n_pts, &wl);
        if (!wkb) {
            rc = fp_error_set(err, FP_ENOMEM, "out of memory");
            goto rollback;
        }
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        sqlite3_bind_int(s, 2, pe->edge);
        bind_text(s, 3, fp_plan_edge_kind_name(E->kind));
        bind_text(s, 4, E->cls);
        bind_real(s, 5, pe->length);
        sqlite3_bind_int(s, 6, pe->dwellings);
        sqlite3_bind_int(s, 7, pe->fibres);
        sqlite3_bind_int(s, 8, pe->cable_size);
        sqlite3_bind_int(s, 9, pe->n_cables);
        bind_real(s, 10, pe->civil);
        bind_real(s, 11, pe->cable_cost);
        bind_text(s, 12, fp_network_site_name(net, (size_t)pe->site));
        sqlite3_bind_blob(s, 13, wkb, (int)wl, free);
        if ((rc = step_done(st, s, "insert routes", err)))
            goto rollback;
    }

    snprintf(sql, sizeof sql,
             "INSERT INTO run_buildings(run_id, building, status, dwellings, fibres, cost, site,"
             " geom) VALUES(?,?,?,?,?,?,?,%s)",
             geom_expr);
    if ((rc = prepare(st, sql, &s, "insert buildings", err)))
        goto rollback;
    for (size_t b = 0; b < ds->n_buildings; b++) {
        const fp_plan_building *pb = &p->buildings[b];
        if (pb->status != FP_BST_CONNECTED)
            continue;
        unsigned char w[21];
        double x = 0, y = 0;
        GEOSGeometry *pt = ds->buildings[b].geom
                               ? GEOSPointOnSurface_r(ds->geos, ds->buildings[b].geom)
                               : NULL;
        if (pt) {
            GEOSGeomGetX_r(ds->geos, pt, &x);
            GEOSGeomGetY_r(ds->geos, pt, &y);
            GEOSGeom_destroy_r(ds->geos, pt);
        } else if (pb->node >= 0) {
            x = net->nodes[pb->node].x;
            y = net->nodes[pb->node].y;
        }
        wkb_point(x, y, w);
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        sqlite3_bind_int(s, 2, (int)b);
        bind_text(s, 3, fp_bstatus_name(pb->status));
        sqlite3_bind_int(s, 4, ds->buildings[b].dwellings);
        sqlite3_bind_int(s, 5, pb->fibres);
        bind_real(s, 6, pb->cost);
        if (pb->site >= 0)
            bind_text(s, 7, fp_network_site_name(net, (size_t)pb->site));
        else
            sqlite3_bind_null(s, 7);
        sqlite3_bind_blob(s, 8, w, 21, SQLITE_TRANSIENT);
        if ((rc = step_done(st, s, "insert buildings", err)))
            goto rollback;
    }

    if ((rc = prepare(st, "INSERT INTO run_sites VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, "insert sites", err)))
        goto rollback;
    for (size_t i = 0; i < p->n_sites; i++) {
        const fp_plan_site *ps = &p->sites[i];
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        sqlite3_bind_int(s, 2, (int)i);
        bind_text(s, 3, fp_network_site_name(net, i));
        bind_real(s, 4, net->nodes[ps->node].x);
        bind_real(s, 5, net->nodes[ps->node].y);
        sqlite3_bind_int(s, 6, ps->used);
        sqlite3_bind_int(s, 7, ps->edges);
        sqlite3_bind_int(s, 8, ps->buildings_connected);
        sqlite3_bind_int(s, 9, ps->dwellings_connected);
        sqlite3_bind_int(s, 10, ps->fibres);
        bind_real(s, 11, ps->trench_m);
        bind_real(s, 12, ps->civil);
        bind_real(s, 13, ps->cable);
        if ((rc = step_done(st, s, "insert sites", err)))
            goto rollback;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = exec(st, "COMMIT", err)) != 0)
        goto rollback;
    if (id)
        *id = run;
    goto out_free;

rollback:
    sqlite3_finalize(s);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out_free:
    free(hex);
    free(bytes);
    return rc;
}

static void col_text(sqlite3_stmt *s, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

static double col_real(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

int fp_store_list(fp_store *st, fp_run_row **rows, size_t *n, fp_error *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, time, scenario, mode, status, total_cost,"
                           " dwellings_connected, gap FROM runs ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, err, "list runs");
    size_t cap = 0;
    int rc = FP_OK, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            fp_run_row *nr = realloc(*rows, cap * sizeof *nr);
            if (!nr) {
                rc = fp_error_set(err, FP_ENOMEM, "out of memory");
                break;
            }
            *rows = nr;
        }
        fp_run_row *r = &(*rows)[(*n)++];
        r->id = sqlite3_column_int64(s, 0);
        col_text(s, 1, r->time, sizeof r->time);
        col_text(s, 2, r->scenario, sizeof r->scenario);
        col_text(s, 3, r->mode, sizeof r->mode);
        col_text(s, 4, r->status, sizeof r->status);
        r->cost = col_real(s, 5);
        r->dwellings = sqlite3_column_int64(s, 6);
        r->gap = col_real(s, 7);
    }
    if (rc == FP_OK && step != SQLITE_DONE)
        rc = sql_fail(st, err, "list runs");
    sqlite3_finalize(s);
    if (rc) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

typedef struct {
    fp_cmp_row *v;
    size_t n, cap;
} cmp_vec;

static fp_cmp_row *cmp_get(cmp_vec *cv, const char *item, const char *unit)
{
    for (size_t i = 0; i < cv->n; i++)
        if (!strcmp(cv->v[i].item, item))
            return &cv->v[i];
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? 2 * cv->cap : 32;
        fp_cmp_row *nv = realloc(cv->v, cap * sizeof *nv);
        if (!nv)
            return NULL;
        cv->v = nv;
        cv->cap = cap;
    }
    fp_cmp_row *r = &cv->v[cv->n++];
    snprintf(r->item, sizeof r->item, "%s", item);
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    r->a = r->b = NAN;
    return r;
}

/* Sets side 0 (a) or 1 (b) of the row of item to v. */
static int cmp_set(cmp_vec *cv, const char *item, const char *unit, int side, double v,
                   fp_error *err)
{
    fp_cmp_row *r = cmp_get(cv, item, unit);
    if (!r)
        return fp_error_set(err, FP_ENOMEM, "out of memory");
    *(side ? &r->b : &r->a) = v;
    return FP_OK;
}

int fp_store_compare(fp_store *st, long long a, long long b, fp_cmp_row **rows, size_t *n,
                     fp_error *err)
{
    static const struct {
        const char *col, *item, *unit;
    } F[] = {{"total_cost", "total cost", "EUR"},
             {"network_cost", "network cost (optimised)", "EUR"},
             {"cost_trench", "cost: new trench", "EUR"},
             {"cost_duct_reuse", "cost: duct reuse", "EUR"},
             {"cost_aerial", "cost: aerial", "EUR"},
             {"cost_link", "cost: central office link", "EUR"},
             {"cost_drops", "cost: drops", "EUR"},
             {"cost_connection_points", "cost: connection points", "EUR"},
             {"cost_cable", "cost: cable", "EUR"},
             {"cost_smart", "cost: smart kits", "EUR"},
             {"cost_per_dwelling_connected", "cost per dwelling connected", "EUR"},
             {"dwellings_connected", "dwellings connected", "count"},
             {"dwellings_passed", "dwellings passed", "count"},
             {"dwellings_target", "dwellings targeted", "count"},
             {"buildings_connected", "buildings connected", "count"},
             {"gap", "optimality gap", "ratio"}};
    cmp_vec cv = {0};
    sqlite3_stmt *s = NULL;
    int rc = FP_OK;
    *rows = NULL;
    *n = 0;
    for (int side = 0; side < 2 && rc == 0; side++) {
        long long id = side ? b : a;
        char sql[1024];
        size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
        for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", i ? "," : "", F[i].col);
        snprintf(sql + len, sizeof sql - len, " FROM runs WHERE id=?");
        if ((rc = prepare(st, sql, &s, "compare", err)))
            break;
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) != SQLITE_ROW) {
            rc = fp_error_set(err, FP_ENOTFOUND, "%s: no run %lld", st->path, id);
            break;
        }
        for (size_t i = 0; i < sizeof F / sizeof F[0] && rc == 0; i++)
            rc = cmp_set(&cv, F[i].item, F[i].unit, side, col_real(s, (int)i), err);
    }
    for (int side = 0; side < 2 && rc == 0; side++) {
        if ((rc = prepare(st,
                          "SELECT item, unit, quantity FROM run_bom WHERE run_id=? ORDER BY line",
                          &s, "compare", err)))
            break;
        sqlite3_bind_int64(s, 1, side ? b : a);
        while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
            char item[96], unit[16];
            col_text(s, 0, item, sizeof item);
            col_text(s, 1, unit, sizeof unit);
            rc = cmp_set(&cv, item, unit, side, col_real(s, 2), err);
        }
    }
    /* per-site figures, when either run has several sites (with one, they
     * repeat the totals above) */
    int multi = 0;
    if (rc == 0 && (rc = prepare(st, "SELECT max(c) FROM (SELECT count(*) AS c FROM run_sites "
                                     "WHERE run_id IN (?,?) GROUP BY run_id)", &s, "compare", err)) == 0) {
        sqlite3_bind_int64(s, 1, a);
        sqlite3_bind_int64(s, 2, b);
        multi = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 1;
    }
    for (int side = 0; side < 2 && rc == 0 && multi; side++) {
        if ((rc = prepare(st,
                          "SELECT name, dwellings_connected, buildings_connected, "
                          "civil_cost + cable_cost, trench_m FROM run_sites WHERE run_id=? "
                          "ORDER BY site", &s, "compare", err)))
            break;
        sqlite3_bind_int64(s, 1, side ? b : a);
        while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
            static const struct {
                const char *what, *unit;
            } SF[] = {{"dwellings connected", "count"}, {"buildings connected", "count"},
                      {"cost", "EUR"}, {"trench", "m"}};
            char name[72], item[sizeof cv.v->item];
            col_text(s, 0, name, sizeof name);
            for (int k = 0; k < 4 && rc == 0; k++) {
                snprintf(item, sizeof item, "site %.*s: %s", 64, name, SF[k].what);
                rc = cmp_set(&cv, item, SF[k].unit, side, col_real(s, k + 1), err);
            }
        }
    }
    sqlite3_finalize(s);
    if (rc) {
        free(cv.v);
        return rc;
    }
    *rows = cv.v;
    *n = cv.n;
    return FP_OK;
}
