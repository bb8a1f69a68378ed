/* netcosts: the cost model's defaults and the [costs] / [network] scenario
 * sections (kept apart from network.c so the graph code does not depend on
 * the scenario parser).
 *
 * Default figures are orders of magnitude from public French FTTH cost
 * references, for a first plan before local quotes are known:
 *  - civil works (génie civil) for new trenches: the ARCEP FttH cost model
 *    consultations and the Plan France Très Haut Débit (PFTHD / Agence du
 *    Numérique) reference costs put urban trenching under a roadway at
 *    roughly 80-150 EUR/m, a sidewalk or light surface at 40-70 EUR/m and a
 *    rural verge or unpaved track at 25-40 EUR/m;
 *  - reusing Orange's ducts under its offer of access to civil-engineering
 *    infrastructure (offre GC BLO / "accès aux installations de génie civil")
 *    costs a few EUR/m of rent plus cable pulling: about 5-10 EUR/m;
 *  - aerial deployment on existing poles (same offer, "appuis aériens"):
 *    about 10-15 EUR/m;
 *  - a connection (raccordement final, drop to the dwelling) costs
 *    300-600 EUR (ARCEP and operators' published connection fees), the
 *    building's distribution point (PBO) about 200 EUR;
 *  - optical cable: 0.01-0.02 EUR per fibre-metre. */
#include "network.h"
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Default trench cost per street class, EUR/m. BD TOPO NATURE values (v2.2
 * ROUTE and v3 TRONCON_DE_ROUTE) and OSM highway values. Heavy roads under
 * traffic take the roadway figure, residential streets the sidewalk one,
 * tracks and paths the rural verge one; stairs are dug by hand. */
static const struct {
    const char *cls;
    double cost;
} default_trench[] = {
    /* BD TOPO NATURE */
    {"Type autoroutier", 130.0},
    {"Autoroute", 130.0},
    {"Quasi-autoroute", 130.0},
    {"Route à 2 chaussées", 120.0},
    {"Rond-point", 110.0},
    {"Bretelle", 110.0},
    {"Route à 1 chaussée", 90.0},
    {"Piste cyclable", 55.0},
    {"Route empierrée", 40.0},
    {"Sentier", 40.0},
    {"Chemin", 35.0},
    {"Escalier", 150.0},
    /* OSM highway (a "_link" suffix takes its road's cost) */
    {"motorway", 130.0},
    {"trunk", 130.0},
    {"primary", 120.0},
    {"secondary", 100.0},
    {"tertiary", 90.0},
    {"unclassified", 75.0},
    {"residential", 70.0},
    {"living_street", 65.0},
    {"pedestrian", 65.0},
    {"service", 60.0},
    {"cycleway", 55.0},
    {"footway", 50.0},
    {"path", 40.0},
    {"track", 35.0},
    {"steps", 150.0},
};

void fp_costs_default(fp_costs *c)
{
    memset(c, 0, sizeof *c);
    c->trench_default = 80.0;    /* a mid urban/rural figure for unknown classes */
    size_t n = sizeof default_trench / sizeof default_trench[0];
    for (size_t i = 0; i < n; i++) {
        snprintf(c->trench_class[i], FP_CLASS_MAX, "%s", default_trench[i].cls);
        c->trench_class_cost[i] = default_trench[i].cost;
    }
    c->n_trench_classes = (int)n;
    c->duct_reuse = 8.0;         /* Orange GC offer: rent + pulling, 5-10 EUR/m */
    c->aerial = 12.0;            /* existing poles, 10-15 EUR/m */
    c->drop_fixed = 400.0;       /* raccordement final, 300-600 EUR */
    c->drop_per_m = 15.0;        /* drop trench/duct on private land */
    c->building_fixed = 200.0;   /* PBO / entry box per building */
    c->cable_per_fibre_m = 0.015;/* 0.01-0.02 EUR per fibre-metre */
    c->spare_ratio = 0.2;        /* usual 20 % spare fibres */
    c->smart_kit = 250.0;        /* gateway + sensors per smart dwelling */
    c->smart_surcharge = 0.1;    /* 10 % more network work for smart buildings */
}

/* Index of a class in c (exact, then ASCII case-insensitive), or -1. */
static int class_index(const fp_costs *c, const char *cls)
{
    for (int i = 0; i < c->n_trench_classes; i++)
        if (strcmp(c->trench_class[i], cls) == 0)
            return i;
    for (int i = 0; i < c->n_trench_classes; i++)
        if (strcasecmp(c->trench_class[i], cls) == 0)
            return i;
    return -1;
}

double fp_costs_trench(const fp_costs *c, const char *cls)
{
    if (!cls || !*cls)
        return c->trench_default;
    int i = class_index(c, cls);
    if (i >= 0)
        return c->trench_class_cost[i];
    /* OSM "primary_link" etc. cost as their road. */
    size_t n = strlen(cls);
    if (n > 5 && n < FP_CLASS_MAX && strcmp(cls + n - 5, "_link") == 0) {
        char base[FP_CLASS_MAX];
        memcpy(base, cls, n - 5);
        base[n - 5] = 0;
        i = class_index(c, base);
        if (i >= 0)
            return c->trench_class_cost[i];
    }
    return c->trench_default;
}

/* Parses a money/ratio value: finite, >= 0, <= max. */
static int parse_nonneg(const fp_scenario *sc, const char *section, const char *key,
                        const char *value, int line, double max, double *out,
                        fp_error *err)
{
    const char *p = value;
    while (isspace((unsigned char)*p))
        p++;
    char *end = NULL;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s: '%s' is not a number",
                            fp_scenario_path(sc), line, section, key, value);
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s: '%s' is not a number",
                            fp_scenario_path(sc), line, section, key, value);
    if (!isfinite(v) || errno == ERANGE)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s: '%s' is not a finite number",
                            fp_scenario_path(sc), line, section, key, value);
    if (v < 0)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s: %s is negative",
                            fp_scenario_path(sc), line, section, key, value);
    if (v > max)
        return fp_error_set(err, FP_ESCENARIO, "%s:%d: [%s] %s: %s is above the limit %g",
                            fp_scenario_path(sc), line, section, key, value, max);
    *out = v;
    return FP_OK;
}

typedef struct {
    fp_scenario *sc;
    fp_costs *c;
} costs_ud;

#define FP_MONEY_MAX 1e9

static int costs_key(void *ud, const char *key, const char *value, int line,
                     fp_error *err)
{
    costs_ud *u = ud;
    fp_costs *c = u->c;
    static const struct {
        const char *key;
        size_t off;
        double max;
    } scalars[] = {
        {"trench_default", offsetof(fp_costs, trench_default), FP_MONEY_MAX},
        {"duct_reuse", offsetof(fp_costs, duct_reuse), FP_MONEY_MAX},
        {"aerial", offsetof(fp_costs, aerial), FP_MONEY_MAX},
        {"drop_fixed", offsetof(fp_costs, drop_fixed), FP_MONEY_MAX},
        {"drop_per_m", offsetof(fp_costs, drop_per_m), FP_MONEY_MAX},
        {"building_fixed", offsetof(fp_costs, building_fixed), FP_MONEY_MAX},
        {"cable_per_fibre_m", offsetof(fp_costs, cable_per_fibre_m), FP_MONEY_MAX},
        {"spare_ratio", offsetof(fp_costs, spare_ratio), 10.0},
        {"smart_kit", offsetof(fp_costs, smart_kit), FP_MONEY_MAX},
        {"smart_surcharge", offsetof(fp_costs, smart_surcharge), 10.0},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (strcmp(key, scalars[i].key) == 0)
            return parse_nonneg(u->sc, "costs", key, value, line, scalars[i].max,
                                (double *)((char *)c + scalars[i].off), err);
    if (strncmp(key, "trench.", 7) == 0) {
        const char *cls = key + 7;
        if (!*cls || strlen(cls) >= FP_CLASS_MAX)
            return fp_error_set(err, FP_ESCENARIO,
                                "%s:%d: [costs] %s: street class empty or longer than %d bytes",
                                fp_scenario_path(u->sc), line, key, FP_CLASS_MAX - 1);
        double v;
        int rc = parse_nonneg(u->sc, "costs", key, value, line, FP_MONEY_MAX, &v, err);
        if (rc)
            return rc;
        /* keys may reach us case-folded: override a class equal but for
         * ASCII case rather than shadow it */
        int k = -1;
        for (int i = 0; i < c->n_trench_classes && k < 0; i++)
            if (strcmp(c->trench_class[i], cls) == 0)
                k = i;
        for (int i = 0; i < c->n_trench_classes && k < 0; i++)
            if (strcasecmp(c->trench_class[i], cls) == 0)
                k = i;
        if (k < 0) {
            if (c->n_trench_classes >= 32)
                return fp_error_set(err, FP_ELIMIT,
                                    "%s:%d: [costs] %s: more than 32 street classes "
                                    "(built-in and trench.* keys together)",
                                    fp_scenario_path(u->sc), line, key);
            k = c->n_trench_classes++;
            snprintf(c->trench_class[k], FP_CLASS_MAX, "%s", cls);
        }
        c->trench_class_cost[k] = v;
        return FP_OK;
    }
    return fp_error_set(err, FP_ESCENARIO, "%s:%d: unknown key '%s' in [costs]",
                        fp_scenario_path(u->sc), line, key);
}

int fp_costs_from_scenario(fp_scenario *sc, fp_costs *c, fp_error *err)
{
    fp_costs_default(c);
    if (!fp_scenario_has_section(sc, "costs"))
        return FP_OK;
    costs_ud u = {sc, c};
    return fp_scenario_each(sc, "costs", costs_key, &u, err);
}

void fp_network_opts_default(fp_network_opts *o)
{
    memset(o, 0, sizeof *o);
    o->snap_tolerance = 0.5;
    o->max_drop = 150.0;
    o->blocks_from_faces = 1;
    o->infra_buffer = 3.0;
    o->infra_coverage = 0.8;
    o->max_link = 1000.0;
    o->pole_span = 60.0;         /* overhead spans are typically 30-50 m */
    /* Ferry links are lines on the map, not places to dig. */
    snprintf(o->exclude_classes, sizeof o->exclude_classes, "%s",
             "Bac ou liaison maritime,Bac auto,Bac piéton,ferry");
}

int fp_network_opts_from_scenario(fp_scenario *sc, fp_network_opts *o, fp_error *err)
{
    fp_network_opts_default(o);
    int rc;
    if ((rc = fp_scenario_get_double(sc, "network", "snap_tolerance", o->snap_tolerance,
                                     0.0, 100.0, &o->snap_tolerance, err)))
        return rc;
    if ((rc = fp_scenario_get_double(sc, "network", "max_drop", o->max_drop, 0.0, 1e5,
                                     &o->max_drop, err)))
        return rc;
    if ((rc = fp_scenario_get_bool(sc, "network", "blocks_from_faces", o->blocks_from_faces,
                                   &o->blocks_from_faces, err)))
        return rc;
    if ((rc = fp_scenario_get_double(sc, "network", "infra_buffer", o->infra_buffer, 0.0,
                                     100.0, &o->infra_buffer, err)))
        return rc;
    if ((rc = fp_scenario_get_double(sc, "network", "infra_coverage", o->infra_coverage,
                                     0.0, 1.0, &o->infra_coverage, err)))
        return rc;
    if ((rc = fp_scenario_get_double(sc, "network", "max_link", o->max_link, 0.0, 1e6,
                                     &o->max_link, err)))
        return rc;
    if ((rc = fp_scenario_get_double(sc, "network", "pole_span", o->pole_span, 0.0, 1000.0,
                                     &o->pole_span, err)))
        return rc;
    const char *ex = NULL;
    if ((rc = fp_scenario_get_string(sc, "network", "exclude_classes", o->exclude_classes,
                                     &ex, err)))
        return rc;
    if (ex != o->exclude_classes) {
        if (strlen(ex) >= sizeof o->exclude_classes)
            return fp_error_set(err, FP_ESCENARIO,
                                "%s:%d: [network] exclude_classes: longer than %zu bytes",
                                fp_scenario_path(sc),
                                fp_scenario_line(sc, "network", "exclude_classes"),
                                sizeof o->exclude_classes - 1);
        snprintf(o->exclude_classes, sizeof o->exclude_classes, "%s", ex);
    }
    return FP_OK;
}
