/* gracethd: GraceTHD-MCD v2 shapefiles + CSV from a plan. */
#include "gracethd.h"

#include "fsutil.h"
#include "report.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OR_CODE "OR000000000001"

/* Value lists written as l_<name>.csv (code;libelle), GraceTHD v2 codes;
 * only the lists and values this export uses or may use. */
typedef struct {
    const char *name;
    const char *const *rows; /* code, label pairs, NULL-terminated */
} vlist;

static const char *const l_statut[] = {"PRE", "ETUDE PRELIMINAIRE", "DIA", "ETUDE DE DIAGNOSTIC",
                                       "AVP", "AVANT-PROJET", "PRO", "PROJET", "ACT",
                                       "PASSATION DES MARCHES DE TRAVAUX", "EXE",
                                       "ETUDE D'EXECUTION", "TVX", "TRAVAUX", "REC", "RECOLEMENT",
                                       "MCO", "MAINTIENT EN CONDITIONS OPERATIONNELLES", NULL};
static const char *const l_etat[] = {"OK", "BON ETAT", "ME", "MAUVAIS ETAT", "HS",
                                     "HORS SERVICE", "NC", "NON CONCERNE", NULL};
static const char *const l_avancement[] = {"E", "EXISTANT", "C", "A CREER", "T", "TRAVAUX", NULL};
static const char *const l_bp_type_log[] = {"BPE", "BOITIER PROTECTION EPISSURE",
                                            "PBO", "POINT DE BRANCHEMENT OPTIQUE",
                                            "PTO", "POINT DE TERMINAISON OPTIQUE",
                                            "BPI", "BOITIER PIED IMMEUBLE",
                                            "DTI", "DISPOSITIF DE TERMINAISON INTERIEUR", NULL};
static const char *const l_cable_type[] = {"C", "CABLE", "J", "JARRETIERE", NULL};
static const char *const l_reseau_type_log[] = {"CO", "COLLECTE", "TR", "TRANSPORT", "DI",
                                                "DISTRIBUTION", "RA", "RACCORDEMENT", NULL};
static const char *const l_technologie_type[] = {"OPT", "OPTIQUE", "CUI", "CUIVRE", "COX",
                                                 "COAXIAL", NULL};
static const char *const l_implantation_type[] = {
    "0", "AERIEN TELECOM", "1", "AERIEN ENERGIE", "2", "FACADE", "3", "IMMEUBLE", "4",
    "PLEINE TERRE", "5", "CANIVEAU", "6", "GALERIE", "7", "CONDUITE", "8", "EGOUT", "9",
    "SPECIFIQUE", NULL};
static const char *const l_noeud_type[] = {"ST", "SITE TECHNIQUE", "PT", "POINT TECHNIQUE", NULL};
static const char *const l_site_type_log[] = {"NRO", "NOEUD DE RACCORDEMENT OPTIQUE", "SRO",
                                              "SOUS-REPARTITEUR OPTIQUE", "CLIENT", "SITE CLIENT",
                                              NULL};
static const char *const l_site_type_phy[] = {"SHE", "SHELTER", "ADR", "ARMOIRE DE RUE", "BAT",
                                              "BATIMENT", NULL};
static const char *const l_ptech_type_phy[] = {"C", "CHAMBRE", "A", "APPUI", NULL};
static const char *const l_ptech_type_log[] = {"T", "TIRAGE", "R", "RACCORDEMENT", NULL};
static const char *const l_adresse_etat[] = {"CI", "CIBLE", "SI", "SIGNE", "EC",
                                             "EN COURS DE DEPLOIEMENT", "DE", "DEPLOYE", "AB",
                                             "ABANDONNE", NULL};
static const char *const l_propriete_type[] = {"CST", "CONSTRUCTION", "LOC", "LOCATION", "IRU",
                                               "IRU", "ACQ", "ACQUISITION", NULL};
static const char *const l_immeuble_type[] = {"P", "PAVILLON", "I", "IMMEUBLE", NULL};
static const char *const l_reference_type[] = {"CB", "CABLE", "BP", "BOITIER", NULL};

static const vlist LISTS[] = {{"l_statut", l_statut},
                              {"l_etat", l_etat},
                              {"l_avancement", l_avancement},
                              {"l_bp_type_log", l_bp_type_log},
                              {"l_cable_type", l_cable_type},
                              {"l_reseau_type_log", l_reseau_type_log},
                              {"l_technologie_type", l_technologie_type},
                              {"l_implantation_type", l_implantation_type},
                              {"l_noeud_type", l_noeud_type},
                              {"l_site_type_log", l_site_type_log},
                              {"l_site_type_phy", l_site_type_phy},
                              {"l_ptech_type_phy", l_ptech_type_phy},
                              {"l_ptech_type_log", l_ptech_type_log},
                              {"l_adresse_etat", l_adresse_etat},
                              {"l_propriete_type", l_propriete_type},
                              {"l_reference_type", l_reference_type},
                              {"l_immeuble_type", l_immeuble_type}};

/* Writes one ';' row of n values. */
static void csv_row(FILE *f, int n, const char *const *v)
{
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(';', f);
        fp_report_csv_field(f, v[i] ? v[i] : "", ';');
    }
    fputc('\n', f);
}

typedef struct {
    const fp_plan *p;
    const fp_export_opts *o;
    const char *dir;       /* temporary folder */
    const char *statut;
    int *nd;               /* [n_nodes] node code number, 0 = none */
    int *pt;               /* [n_nodes] ptech code number, 0 = none */
    unsigned char *aerial; /* [n_nodes] touches an aerial tree edge */
    OGRSpatialReferenceH srs;
    OGRCoordinateTransformationH ct;
    fp_gdal_sink *sink;
    fp_error *err;
} gctx;

static FILE *open_csv(gctx *c, const char *name)
{
    char path[FP_FS_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s.csv", c->dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        fp_error_set(c->err, FP_EIO, "%s: cannot create", path);
    return f;
}

static int close_csv(gctx *c, FILE *f, const char *name)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fp_error_set(c->err, FP_EIO, "gracethd/%s.csv: write failed", name);
    return 0;
}

static GDALDatasetH open_shp(gctx *c, const char *name, OGRwkbGeometryType gt, OGRLayerH *l)
{
    char path[FP_FS_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s.shp", c->dir, name);
    GDALDriverH drv = GDALGetDriverByName("ESRI Shapefile");
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds) {
        fp_gdal_fail(c->err, c->sink, path);
        return NULL;
    }
    char **lco = CSLSetNameValue(NULL, "ENCODING", "UTF-8");
    /* The DBF header holds a "last update" date: fixed, so files compare. */
    lco = CSLSetNameValue(lco, "DBF_DATE_LAST_UPDATE", "2000-01-01");
    *l = GDALDatasetCreateLayer(ds, name, c->srs, gt, lco);
    CSLDestroy(lco);
    if (!*l) {
        fp_gdal_fail(c->err, c->sink, path);
        GDALClose(ds);
        return NULL;
    }
    return ds;
}

static int shp_fields(gctx *c, OGRLayerH l, const char *const *names, const char *types)
{
    for (int i = 0; names[i]; i++) {
        int bad = types[i] == 's'   ? fp_ogr_field(l, names[i], OFTString, 40, 0)
                  : types[i] == 'i' ? fp_ogr_field(l, names[i], OFTInteger, 9, 0)
                                    : fp_ogr_field(l, names[i], OFTReal, 14, 2);
        if (bad)
            return fp_gdal_fail(c->err, c->sink, names[i]), -1;
    }
    return 0;
}

static int put(gctx *c, OGRLayerH l, OGRFeatureH f, OGRGeometryH g)
{
    if (g && c->ct && OGR_G_Transform(g, c->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        OGR_F_Destroy(f);
        return fp_error_set(c->err, FP_ECRS, "gracethd: reprojection to EPSG:2154 failed"), -1;
    }
    if (g)
        OGR_F_SetGeometryDirectly(f, g);
    int rc = OGR_L_CreateFeature(l, f) == OGRERR_NONE ? 0 : -1;
    OGR_F_Destroy(f);
    if (rc)
        fp_gdal_fail(c->err, c->sink, "gracethd: cannot write a feature");
    return rc;
}

static void code(char *buf, const char *prefix, int n)
{
    snprintf(buf, 32, "%s%012d", prefix, n);
}

static const char *typelog(fp_edge_kind k)
{
    return k == FP_EDGE_DROP ? "RA" : k == FP_EDGE_LINK ? "TR" : "DI";
}

static int write_noeuds(gctx *c)
{
    const fp_network *net = c->p->net;
    OGRLayerH l;
    GDALDatasetH ds = open_shp(c, "t_noeud", wkbPoint, &l);
    if (!ds)
        return -1;
    static const char *const F[] = {"nd_code", "nd_codeext", "nd_nom", "nd_type", "nd_comment", NULL};
    int rc = shp_fields(c, l, F, "sssss");
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    char b[32], cm[64];
    for (size_t v = 0; v < net->n_nodes && rc == 0; v++) {
        if (!c->nd[v])
            continue;
        OGRFeatureH f = OGR_F_Create(fd);
        code(b, "ND", c->nd[v]);
        OGR_F_SetFieldString(f, 0, b);
        snprintf(cm, sizeof cm, "%zu", v);
        OGR_F_SetFieldString(f, 1, cm);
        int site = fp_network_site_index(net, (int)v);
        int is_root = site >= 0;
        /* one site keeps the plain name; several are told apart by theirs */
        OGR_F_SetFieldString(f, 2, !is_root              ? ""
                                   : c->p->n_sites == 1 ? "NRO"
                                                        : fp_network_site_name(net, (size_t)site));
        OGR_F_SetFieldString(f, 3, is_root ? "ST" : "PT");
        OGR_F_SetFieldString(f, 4,
                             is_root ? "central office"
                             : net->nodes[v].kind == FP_NODE_BUILDING ? "building entry"
                             : c->pt[v] ? "connection point"
                                        : "junction");
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, net->nodes[v].x, net->nodes[v].y);
        rc = put(c, l, f, g);
    }
    GDALClose(ds);
    return rc;
}

static int write_cheminements(gctx *c)
{
    const fp_plan *p = c->p;
    OGRLayerH l;
    GDALDatasetH ds = open_shp(c, "t_cheminement", wkbLineString, &l);
    if (!ds)
        return -1;
    static const char *const F[] = {"cm_code",   "cm_codeext", "cm_ndcode1", "cm_ndcode2",
                                    "cm_prop",   "cm_gest",    "cm_statut",  "cm_etat",
                                    "cm_avct",   "cm_typelog", "cm_typ_imp", "cm_long",
                                    "cm_comment", NULL};
    int rc = shp_fields(c, l, F, "sssssssssssrs");
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    char b[32];
    for (size_t k = 0; k < p->n_edges && rc == 0; k++) {
        const fp_plan_edge *pe = &p->edges[k];
        const fp_net_edge *E = &p->net->edges[pe->edge];
        OGRFeatureH f = OGR_F_Create(fd);
        code(b, "CM", (int)k + 1);
        OGR_F_SetFieldString(f, 0, b);
        snprintf(b, sizeof b, "%d", pe->edge);
        OGR_F_SetFieldString(f, 1, b);
        code(b, "ND", c->nd[pe->from]);
        OGR_F_SetFieldString(f, 2, b);
        code(b, "ND", c->nd[pe->to]);
        OGR_F_SetFieldString(f, 3, b);
        OGR_F_SetFieldString(f, 4, OR_CODE);
        OGR_F_SetFieldString(f, 5, OR_CODE);
        OGR_F_SetFieldString(f, 6, c->statut);
        OGR_F_SetFieldString(f, 7, "OK");
        int existing = E->kind == FP_EDGE_DUCT || E->kind == FP_EDGE_AERIAL;
        OGR_F_SetFieldString(f, 8, existing ? "E" : "C");
        OGR_F_SetFieldString(f, 9, typelog(E->kind));
        OGR_F_SetFieldString(f, 10, E->kind == FP_EDGE_AERIAL ? "0" : "7");
        OGR_F_SetFieldDouble(f, 11, fp_round2(pe->length));
        char cm[80];
        snprintf(cm, sizeof cm, "%s%s%s",
                 E->kind == FP_EDGE_TRENCH   ? "new trench"
                 : E->kind == FP_EDGE_DUCT   ? "existing duct"
                 : E->kind == FP_EDGE_AERIAL ? "existing poles"
                 : E->kind == FP_EDGE_DROP   ? "drop"
                                             : "central office link",
                 E->cls[0] ? ", " : "", E->cls);
        OGR_F_SetFieldString(f, 12, cm);
        rc = put(c, l, f, fp_edge_line(E));
    }
    GDALClose(ds);
    return rc;
}

/* t_cable.csv and t_cableline.shp: one row per physical cable. */
static int write_cables(gctx *c)
{
    const fp_plan *p = c->p;
    FILE *csv = open_csv(c, "t_cable");
    if (!csv)
        return -1;
    OGRLayerH l;
    GDALDatasetH ds = open_shp(c, "t_cableline", wkbLineString, &l);
    if (!ds) {
        fclose(csv);
        return -1;
    }
    static const char *const F[] = {"cl_code", "cl_cb_code", "cl_long", "cl_comment", NULL};
    int rc = shp_fields(c, l, F, "ssrs");
    static const char *const H[] = {"cb_code",   "cb_etiquet", "cb_nd1",    "cb_nd2",
                                    "cb_prop",   "cb_gest",    "cb_user",   "cb_proptyp",
                                    "cb_statut", "cb_etat",    "cb_avct",   "cb_tech",
                                    "cb_typephy", "cb_typelog", "cb_rf_code", "cb_capafo",
                                    "cb_fo_util", "cb_lgreel", "cb_comment"};
    csv_row(csv, 19, H);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int n = 0;
    for (size_t k = 0; k < p->n_edges && rc == 0; k++) {
        const fp_plan_edge *pe = &p->edges[k];
        const fp_net_edge *E = &p->net->edges[pe->edge];
        int left = pe->fibres;
        int ncab = pe->n_cables + (pe->rem_size ? 1 : 0);
        for (int j = 0; j < ncab && rc == 0; j++) {
            int size = j < pe->n_cables ? pe->cable_size : pe->rem_size;
            int used = left < size ? left : size;
            left -= used;
            char cb[32], n1[32], n2[32], rf[32], cap[16], ut[16], lg[32], cm[64];
            code(cb, "CB", ++n);
            code(n1, "ND", c->nd[pe->from]);
            code(n2, "ND", c->nd[pe->to]);
            int ri = 0;
            for (int i = 0; i < p->opts.n_sizes; i++)
                if (p->opts.sizes[i] == size)
                    ri = i + 1;
            code(rf, "RF", ri);
            snprintf(cap, sizeof cap, "%d", size);
            snprintf(ut, sizeof ut, "%d", used);
            snprintf(lg, sizeof lg, "%.2f", fp_round2(pe->length));
            snprintf(cm, sizeof cm, "route %d", pe->edge);
            const char *v[19] = {cb, cb, n1, n2, OR_CODE, OR_CODE, OR_CODE, "CST", c->statut,
                                 "OK", "C", "OPT", "C", typelog(E->kind), rf, cap, ut, lg, cm};
            csv_row(csv, 19, v);
            OGRFeatureH f = OGR_F_Create(fd);
            char cl[32];
            code(cl, "CL", n);
            OGR_F_SetFieldString(f, 0, cl);
            OGR_F_SetFieldString(f, 1, cb);
            OGR_F_SetFieldDouble(f, 2, fp_round2(pe->length));
            OGR_F_SetFieldString(f, 3, cm);
            rc = put(c, l, f, fp_edge_line(E));
        }
    }
    GDALClose(ds);
    if (close_csv(c, csv, "t_cable") && rc == 0)
        rc = -1;
    return rc;
}

static int write_points(gctx *c)
{
    const fp_plan *p = c->p;
    const fp_network *net = p->net;
    const fp_dataset *ds = net->ds;
    int rc = 0;

    /* t_ptech: connection points. */
    FILE *f = open_csv(c, "t_ptech");
    if (!f)
        return -1;
    static const char *const HP[] = {"pt_code", "pt_etiquet", "pt_nd_code", "pt_prop",
                                     "pt_gest", "pt_proptyp", "pt_statut",  "pt_etat",
                                     "pt_avct", "pt_typephy", "pt_typelog", "pt_comment"};
    csv_row(f, 12, HP);
    for (size_t v = 0; v < net->n_nodes; v++) {
        if (!c->pt[v])
            continue;
        char pc[32], nd[32];
        code(pc, "PT", c->pt[v]);
        code(nd, "ND", c->nd[v]);
        const char *row[12] = {pc, pc, nd, OR_CODE, OR_CODE, "CST", c->statut, "OK", "C",
                               c->aerial[v] ? "A" : "C", "R", "connection point"};
        csv_row(f, 12, row);
    }
    if (close_csv(c, f, "t_ptech"))
        return -1;

    /* t_ebp: one PBO per connected building, at its connection point. */
    if (!(f = open_csv(c, "t_ebp")))
        return -1;
    static const char *const HB[] = {"bp_code",  "bp_etiquet", "bp_pt_code", "bp_prop",
                                     "bp_gest",  "bp_proptyp", "bp_statut",  "bp_etat",
                                     "bp_avct",  "bp_typelog", "bp_comment"};
    csv_row(f, 11, HB);
    int nbp = 0;
    for (size_t b = 0; b < ds->n_buildings; b++) {
        const fp_plan_building *pb = &p->buildings[b];
        if (pb->status != FP_BST_CONNECTED || pb->attach_node < 0)
            continue;
        char bc[32], pc[32], cm[64];
        code(bc, "BP", ++nbp);
        code(pc, "PT", c->pt[pb->attach_node]);
        snprintf(cm, sizeof cm, "building %zu", b);
        const char *row[11] = {bc, bc, pc, OR_CODE, OR_CODE, "CST", c->statut, "OK", "C", "PBO",
                               cm};
        csv_row(f, 11, row);
    }
    if (close_csv(c, f, "t_ebp"))
        return -1;

    /* t_sitetech: the central offices (sites), each with the dwellings it feeds. */
    if (!(f = open_csv(c, "t_sitetech")))
        return -1;
    static const char *const HS[] = {"st_code", "st_nd_code", "st_nom",    "st_prop",
                                     "st_gest", "st_proptyp", "st_statut", "st_etat",
                                     "st_avct", "st_typephy", "st_typelog", "st_nblines"};
    csv_row(f, 12, HS);
    for (size_t i = 0; i < p->n_sites; i++) {
        char st[32], nd[32], nl[16];
        code(st, "ST", (int)i + 1);
        code(nd, "ND", c->nd[p->sites[i].node]);
        snprintf(nl, sizeof nl, "%d", p->sites[i].dwellings_connected);
        const char *nom = p->n_sites == 1 ? "NRO" : fp_network_site_name(net, i);
        const char *row[12] = {st, nd, nom, OR_CODE, OR_CODE, "CST", c->statut,
                               "OK", "C", "SHE", "NRO", nl};
        csv_row(f, 12, row);
    }
    if (close_csv(c, f, "t_sitetech"))
        return -1;

    /* t_organisme and t_reference. */
    if (!(f = open_csv(c, "t_organisme")))
        return -1;
    static const char *const HO[] = {"or_code", "or_nom", "or_type"};
    csv_row(f, 3, HO);
    const char *orow[3] = {OR_CODE, c->o->organisation ? c->o->organisation : "A RENSEIGNER",
                           "MOA"};
    csv_row(f, 3, orow);
    if (close_csv(c, f, "t_organisme"))
        return -1;
    if (!(f = open_csv(c, "t_reference")))
        return -1;
    static const char *const HR[] = {"rf_code", "rf_type", "rf_fabric", "rf_design"};
    csv_row(f, 4, HR);
    for (int i = 0; i < p->opts.n_sizes; i++) {
        char rf[32], des[48];
        code(rf, "RF", i + 1);
        snprintf(des, sizeof des, "CABLE %d FO", p->opts.sizes[i]);
        const char *row[4] = {rf, "CB", OR_CODE, des};
        csv_row(f, 4, row);
    }
    if (close_csv(c, f, "t_reference"))
        return -1;

    /* t_adresse.shp: connected buildings. */
    OGRLayerH l;
    GDALDatasetH sh = open_shp(c, "t_adresse", wkbPoint, &l);
    if (!sh)
        return -1;
    static const char *const FA[] = {"ad_code",  "ad_nblhab", "ad_ietat",   "ad_itypeim",
                                     "ad_racc",  "ad_batcode", "ad_comment", NULL};
    rc = shp_fields(c, l, FA, "sisssss");
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int with_id = 0;
    for (int i = 0; i < c->o->n_fields; i++)
        with_id |= !strcmp(c->o->fields[i], "id");
    int nad = 0;
    for (size_t b = 0; b < ds->n_buildings && rc == 0; b++) {
        if (p->buildings[b].status != FP_BST_CONNECTED)
            continue;
        const fp_building *B = &ds->buildings[b];
        OGRFeatureH ft = OGR_F_Create(fd);
        char ac[32], cm[64];
        code(ac, "AD", ++nad);
        OGR_F_SetFieldString(ft, 0, ac);
        OGR_F_SetFieldInteger(ft, 1, B->dwellings);
        OGR_F_SetFieldString(ft, 2, "CI");
        /* One dwelling: a house (pavillon); more: a block of flats. */
        OGR_F_SetFieldString(ft, 3, B->dwellings > 1 ? "I" : "P");
        OGR_F_SetFieldString(ft, 4, "7"); /* drop in a duct */
        OGR_F_SetFieldString(ft, 5, with_id ? B->id : "");
        snprintf(cm, sizeof cm, "building %zu", b);
        OGR_F_SetFieldString(ft, 6, cm);
        OGRGeometryH g = NULL;
        GEOSGeometry *pt = B->geom ? GEOSPointOnSurface_r(ds->geos, B->geom) : NULL;
        if (pt) {
            g = fp_geos_to_ogr(ds->geos, pt);
            GEOSGeom_destroy_r(ds->geos, pt);
        }
        rc = put(c, l, ft, g);
    }
    GDALClose(sh);
    return rc;
}

static int write_lists(gctx *c)
{
    for (size_t i = 0; i < sizeof LISTS / sizeof LISTS[0]; i++) {
        FILE *f = open_csv(c, LISTS[i].name);
        if (!f)
            return -1;
        static const char *const H[] = {"code", "libelle"};
        csv_row(f, 2, H);
        for (int j = 0; LISTS[i].rows[j]; j += 2)
            csv_row(f, 2, &LISTS[i].rows[j]);
        if (close_csv(c, f, LISTS[i].name))
            return -1;
    }
    return 0;
}

static int write_readme(gctx *c)
{
    char path[FP_FS_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/README.txt", c->dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return fp_error_set(c->err, FP_EIO, "%s: cannot create", path), -1;
    fprintf(f,
            "GraceTHD-MCD v2 exchange files written by fibreplan (study phase %s).\n\n"
            "Shapefiles (EPSG:2154, UTF-8): t_noeud, t_cheminement, t_cableline, t_adresse.\n"
            "CSV tables (';'): t_cable, t_ebp, t_ptech, t_sitetech, t_organisme, t_reference.\n"
            "Value lists (l_*.csv, code;libelle): the codes used in the tables.\n\n"
            "Modelling: every edge of the planned tree is a t_cheminement (cm_avct C = to build,\n"
            "E = existing duct or poles reused); each carries its own cable(s) (t_cable +\n"
            "t_cableline, cb_capafo = catalogue size, cb_fo_util = fibres needed incl. spare);\n"
            "each site (central office) is an NRO t_sitetech (st_nblines = dwellings it feeds);\n"
            "each connected building has a PBO\n"
            "(t_ebp) on the t_ptech at its connection point and a t_adresse (ad_nblhab =\n"
            "dwellings, ad_ietat CI = target). Owner/manager fields point to %s in\n"
            "t_organisme. No personal data is included.\n",
            c->statut, OR_CODE);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fp_error_set(c->err, FP_EIO, "%s: write failed", path), -1;
    return 0;
}

int fp_gracethd_write(const char *dir, const fp_plan *p, const fp_export_opts *o,
                      fp_gdal_sink *sink, fp_error *err)
{
    const fp_network *net = p->net;
    char tmp[FP_FS_PATH_MAX];
    int rc = FP_OK;
    const char *statut = o->gracethd_statut ? o->gracethd_statut : "AVP";
    int ok = 0;
    for (int i = 0; l_statut[i]; i += 2)
        ok |= !strcmp(l_statut[i], statut);
    if (!ok)
        return fp_error_set(err, FP_ESCENARIO, "gracethd_statut '%s' is not a GraceTHD l_statut code",
                            statut);
    gctx c = {p, o, tmp, statut, NULL, NULL, NULL, NULL, NULL, sink, err};
    c.nd = calloc(net->n_nodes + 1, sizeof *c.nd);
    c.pt = calloc(net->n_nodes + 1, sizeof *c.pt);
    c.aerial = calloc(net->n_nodes + 1, 1);
    c.srs = fp_srs_epsg(2154);
    OGRSpatialReferenceH src = NULL;
    if (!c.nd || !c.pt || !c.aerial) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    if (!c.srs) {
        rc = fp_error_set(err, FP_ECRS, "EPSG:2154 unknown to PROJ");
        goto out;
    }
    if (net->ds->epsg != 2154) {
        src = fp_srs_epsg(net->ds->epsg);
        c.ct = src ? OCTNewCoordinateTransformation(src, c.srs) : NULL;
        if (!c.ct) {
            rc = fp_error_set(err, FP_ECRS, "no transformation from EPSG:%d to EPSG:2154",
                              net->ds->epsg);
            goto out;
        }
    }
    /* Codes in network order. */
    int n = 0;
    for (size_t v = 0; v < net->n_nodes; v++)
        if (p->node_site[v] >= 0) /* the sites and the trees' nodes */
            c.nd[v] = ++n;
    for (size_t k = 0; k < p->n_edges; k++)
        if (net->edges[p->edges[k].edge].kind == FP_EDGE_AERIAL)
            c.aerial[p->edges[k].from] = c.aerial[p->edges[k].to] = 1;
    unsigned char *is_cp = calloc(net->n_nodes + 1, 1);
    if (!is_cp) {
        rc = fp_error_set(err, FP_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t b = 0; b < net->ds->n_buildings; b++)
        if (p->buildings[b].status == FP_BST_CONNECTED && p->buildings[b].attach_node >= 0)
            is_cp[p->buildings[b].attach_node] = 1;
    n = 0;
    for (size_t v = 0; v < net->n_nodes; v++)
        if (is_cp[v])
            c.pt[v] = ++n;
    free(is_cp);

    if ((rc = fp_fs_dir_begin(dir, tmp, sizeof tmp, err)) != 0)
        goto out;
    if (write_noeuds(&c) || write_cheminements(&c) || write_cables(&c) || write_points(&c) ||
        write_lists(&c) || write_readme(&c)) {
        rc = err->code ? err->code : FP_EIO;
        fp_fs_rmtree(tmp);
        goto out;
    }
    rc = fp_fs_dir_commit(tmp, dir, err);
out:
    if (c.ct)
        OCTDestroyCoordinateTransformation(c.ct);
    if (src)
        OSRRelease(src);
    if (c.srs)
        OSRRelease(c.srs);
    free(c.nd);
    free(c.pt);
    free(c.aerial);
    return rc;
}
