/* cli_inspect: `fibreplan inspect SCENARIO [--json]`: loads a scenario's data
 * and prints what was read, kept, repaired and rejected, the dwellings and
 * the street length, as text or as one JSON object. */
#include "cli.h"
#include "dataset.h"
#include "error.h"
#include "load.h"
#include "scenario.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sections other commands read ([costs], [network], ...): inspect does not
 * need them and skips them, so that they are not reported as unknown. */
static const char *const other_sections[] = {"costs",  "network", "optimise", "budget",
                                             "plan",   "output",  "solver",   NULL};

static void help(FILE *f)
{
    fprintf(f, "usage: fibreplan inspect SCENARIO [--json] [--quiet]\n\n"
               "Loads the buildings, streets, sites and existing infrastructure a scenario\n"
               "names, reprojects them to the working CRS and prints a summary: features\n"
               "read, kept, repaired and rejected per layer (with reasons), dwellings\n"
               "(given vs estimated), dwelling buildings, extent and street length.\n\n"
               "  --json    print the summary as one JSON object on stdout\n"
               "  --quiet   no progress or information messages\n"
               "  --help    this help\n");
}

typedef struct totals {
    long long dwellings, dw_given, dw_est, b_given, b_est, b_nonres, dwelling_buildings;
    double street_length;
    long long ducts, aerial, poles;
} totals;

static void compute(const fp_dataset *ds, totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < ds->n_buildings; i++) {
        const fp_building *b = &ds->buildings[i];
        t->dwellings += b->dwellings;
        t->dwelling_buildings += b->dwellings > 0;
        if (b->dw_source == FP_DW_GIVEN) {
            t->dw_given += b->dwellings;
            t->b_given++;
        } else if (b->dw_source == FP_DW_ESTIMATED) {
            t->dw_est += b->dwellings;
            t->b_est++;
        } else {
            t->b_nonres++;
        }
    }
    for (size_t i = 0; i < ds->n_streets; i++)
        t->street_length += ds->streets[i].length;
    for (size_t i = 0; i < ds->n_infra; i++) {
        if (ds->infra[i].kind == FP_INFRA_DUCT)
            t->ducts++;
        else if (ds->infra[i].kind == FP_INFRA_AERIAL)
            t->aerial++;
        else
            t->poles++;
    }
}

static cJSON *layer_json(const fp_layer_stats *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "source", s->source);
    cJSON_AddStringToObject(o, "layer", s->layer);
    cJSON_AddStringToObject(o, "driver", s->driver);
    cJSON_AddStringToObject(o, "crs", s->crs);
    cJSON_AddNumberToObject(o, "read", (double)s->read);
    cJSON_AddNumberToObject(o, "kept", (double)s->kept);
    cJSON_AddNumberToObject(o, "repaired", (double)s->repaired);
    cJSON_AddNumberToObject(o, "rejected", (double)s->rejected);
    cJSON_AddNumberToObject(o, "filtered", (double)s->filtered);
    cJSON_AddNumberToObject(o, "bad_values", (double)s->bad_values);
    cJSON *r = cJSON_AddObjectToObject(o, "rejected_by");
    cJSON_AddNumberToObject(r, "empty", (double)s->rej_empty);
    cJSON_AddNumberToObject(r, "not_polygon_or_line", (double)s->rej_geomtype);
    cJSON_AddNumberToObject(r, "invalid", (double)s->rej_invalid);
    cJSON_AddNumberToObject(r, "other", (double)(s->rej_nonfinite + s->rej_other));
    return o;
}

static int print_json(const fp_load_opts *o, const fp_dataset *ds, const totals *t,
                      const char *name)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return fp_cli_print_json(NULL);
    cJSON_AddStringToObject(j, "scenario", name);
    if (o->title)
        cJSON_AddStringToObject(j, "name", o->title);
    cJSON *crs = cJSON_AddObjectToObject(j, "crs");
    cJSON_AddNumberToObject(crs, "epsg", ds->epsg);
    cJSON_AddStringToObject(crs, "name", ds->crs_name);
    double ext[4] = {ds->minx, ds->miny, ds->maxx, ds->maxy};
    cJSON_AddItemToObject(j, "extent", cJSON_CreateDoubleArray(ext, 4));
    cJSON_AddNumberToObject(j, "buildings", (double)ds->st_buildings.read);
    cJSON_AddNumberToObject(j, "buildings_kept", (double)ds->n_buildings);
    cJSON_AddNumberToObject(j, "dwellings", (double)t->dwellings);
    cJSON_AddNumberToObject(j, "dwelling_buildings", (double)t->dwelling_buildings);
    cJSON_AddNumberToObject(j, "dwellings_given", (double)t->dw_given);
    cJSON_AddNumberToObject(j, "dwellings_estimated", (double)t->dw_est);
    cJSON_AddNumberToObject(j, "buildings_given", (double)t->b_given);
    cJSON_AddNumberToObject(j, "buildings_estimated", (double)t->b_est);
    cJSON_AddNumberToObject(j, "buildings_nonresidential", (double)t->b_nonres);
    cJSON_AddNumberToObject(j, "street_lines", (double)ds->n_streets);
    cJSON_AddNumberToObject(j, "street_length_m", t->street_length);
    cJSON_AddNumberToObject(j, "sites", (double)ds->n_sites);
    cJSON *sites = cJSON_AddArrayToObject(j, "site_list");
    for (size_t i = 0; i < ds->n_sites; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "id", ds->sites[i].id);
        cJSON_AddNumberToObject(s, "x", ds->sites[i].x);
        cJSON_AddNumberToObject(s, "y", ds->sites[i].y);
        cJSON_AddItemToArray(sites, s);
    }
    cJSON *inf = cJSON_AddObjectToObject(j, "infra");
    cJSON_AddNumberToObject(inf, "ducts", (double)t->ducts);
    cJSON_AddNumberToObject(inf, "aerial", (double)t->aerial);
    cJSON_AddNumberToObject(inf, "poles", (double)t->poles);
    cJSON *layers = cJSON_AddObjectToObject(j, "layers");
    cJSON_AddItemToObject(layers, "buildings", layer_json(&ds->st_buildings));
    if (o->has_streets)
        cJSON_AddItemToObject(layers, "streets", layer_json(&ds->st_streets));
    if (o->has_sites)
        cJSON_AddItemToObject(layers, "sites", layer_json(&ds->st_sites));
    if (o->has_infra)
        cJSON_AddItemToObject(layers, "infra", layer_json(&ds->st_infra));
    return fp_cli_print_json(j);
}

static void print_layer(const char *what, const fp_layer_stats *s)
{
    printf("  %-9s %s%s%s [%s, %s]\n", what, s->source, s->layer[0] ? " : " : "", s->layer,
           s->driver[0] ? s->driver : "-", s->crs[0] ? s->crs : "-");
    printf("            read %lld, kept %lld, repaired %lld, rejected %lld", s->read, s->kept,
           s->repaired, s->rejected);
    if (s->filtered)
        printf(", filtered out %lld", s->filtered);
    printf("\n");
    if (s->rejected)
        printf("            rejected: %lld empty, %lld wrong geometry type, %lld invalid, "
               "%lld other\n", s->rej_empty, s->rej_geomtype, s->rej_invalid,
               s->rej_nonfinite + s->rej_other);
    if (s->bad_values)
        printf("            %lld unreadable attribute values ignored\n", s->bad_values);
}

static void print_text(const fp_load_opts *o, const fp_dataset *ds, const totals *t,
                       const char *name)
{
    printf("scenario    %s%s%s%s\n", name, o->title ? " (" : "", o->title ? o->title : "",
           o->title ? ")" : "");
    printf("working CRS EPSG:%d %s\n", ds->epsg, ds->crs_name);
    printf("extent      %.1f %.1f - %.1f %.1f (%.2f x %.2f km)\n", ds->minx, ds->miny,
           ds->maxx, ds->maxy, (ds->maxx - ds->minx) / 1000, (ds->maxy - ds->miny) / 1000);
    printf("layers\n");
    print_layer("buildings", &ds->st_buildings);
    if (o->has_streets)
        print_layer("streets", &ds->st_streets);
    if (o->has_sites)
        print_layer("sites", &ds->st_sites);
    if (o->has_infra)
        print_layer("infra", &ds->st_infra);
    printf("buildings   %lld read, %zu kept\n", ds->st_buildings.read, ds->n_buildings);
    printf("dwellings   %lld in %lld dwelling buildings\n", t->dwellings,
           t->dwelling_buildings);
    printf("            given %lld (%lld buildings), estimated %lld (%lld buildings), "
           "non-residential %lld buildings\n", t->dw_given, t->b_given, t->dw_est, t->b_est,
           t->b_nonres);
    if (o->has_streets)
        printf("streets     %zu lines, %.1f km\n", ds->n_streets, t->street_length / 1000);
    if (o->has_sites)
        for (size_t i = 0; i < ds->n_sites; i++)
            printf("site        %s at %.1f %.1f\n", ds->sites[i].id, ds->sites[i].x,
                   ds->sites[i].y);
    if (o->has_infra)
        printf("infra       %lld ducts, %lld aerial lines, %lld poles\n", t->ducts, t->aerial,
               t->poles);
}

int fp_cli_inspect(fp_cli *cli, int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, status = 0;
    fp_error err;
    fp_error_clear(&err);
    fp_scenario *sc = NULL;
    fp_dataset *ds = NULL;
    fp_load_opts o;
    memset(&o, 0, sizeof o);
    status = fp_cli_scenario_args("inspect", argc, argv, help, NULL, NULL, &path, &json);
    if (status >= 0)
        return status;
    status = 0;
    if (fp_cli_load(cli, path, other_sections, NULL, NULL, &sc, &o, &ds, &err))
        goto fail;
    fp_cli_progress_done(cli);
    totals t;
    compute(ds, &t);
    if (json)
        status = print_json(&o, ds, &t, fp_scenario_name(sc));
    else
        print_text(&o, ds, &t, fp_scenario_name(sc));
    goto out;
fail:
    status = fp_cli_fail(cli, &err);
out:
    fp_dataset_free(ds);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return status;
}
