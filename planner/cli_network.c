/* cli_network: `fibreplan network SCENARIO [--out FILE.gpkg] [--stp FILE.stp]
 * [--json]`: loads a scenario's data, builds the fibre network model (street
 * graph, drops, root, costs, blocks), prints its counts and writes it for
 * QGIS and as a SteinLib instance. */
#include "cli.h"
#include "error.h"
#include "load.h"
#include "netout.h"
#include "network.h"
#include "scenario.h"
#include "stp.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sections other commands read: not reported as unknown here. */
static const char *const other_sections[] = {"optimise", "budget", "plan", "output", "solver",
                                             NULL};

/* The keys network reads beyond the load options: [costs] and [network]. */
typedef struct {
    fp_costs costs;
    fp_network_opts opts;
} net_keys;

static int read_net_keys(fp_scenario *sc, void *ud, fp_error *err)
{
    net_keys *k = ud;
    int rc = fp_costs_from_scenario(sc, &k->costs, err);
    return rc ? rc : fp_network_opts_from_scenario(sc, &k->opts, err);
}

/* The output files asked for (NULL: none). */
typedef struct {
    const char *out, *stp;
} out_paths;

/* --out FILE.gpkg and --stp FILE.stp (see fp_cli_scenario_args). */
static int path_option(int argc, char **argv, int *i, void *ud)
{
    out_paths *op = ud;
    const char *a = argv[*i];
    if (strcmp(a, "--out") != 0 && strcmp(a, "--stp") != 0)
        return 0;
    if (*i + 1 >= argc || !argv[*i + 1][0])
        return fp_cli_needs_value("network", a);
    if (a[2] == 'o')
        op->out = argv[++*i];
    else
        op->stp = argv[++*i];
    return 1;
}

static void help(FILE *f)
{
    fprintf(f,
            "usage: fibreplan network SCENARIO [--out FILE.gpkg] [--stp FILE.stp] [--json]\n"
            "                         [--quiet]\n\n"
            "Loads the scenario's data and builds the fibre network model: streets noded\n"
            "at every intersection, near endpoints snapped, existing ducts matched, every\n"
            "dwelling building joined to the nearest street point by a drop, every site\n"
            "(central office) linked the same way, costs from [costs], blocks and components.\n"
            "Prints the counts; buildings that cannot be connected are listed by reason.\n\n"
            "  --out FILE.gpkg  write the graph as a GeoPackage (layers edges, nodes,\n"
            "                   drops, blocks, unreachable), atomically\n"
            "  --stp FILE.stp   write the compact Steiner instance (terminals: the\n"
            "                   buildings reaching a site, and the root: the site, or a\n"
            "                   virtual root joined to every site at cost 0) as SteinLib\n"
            "  --json           print the counts as one JSON object on stdout\n"
            "  --quiet          no progress or information messages\n"
            "  --help           this help\n");
}

static cJSON *counts_json(const fp_network *net, const fp_sgraph *g, const char *name)
{
    const fp_network_stats *s = &net->stats;
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddStringToObject(j, "scenario", name);
    cJSON_AddNumberToObject(j, "streets_read", (double)s->streets_read);
    cJSON_AddNumberToObject(j, "streets_used", (double)s->streets_used);
    cJSON_AddNumberToObject(j, "streets_excluded", (double)s->streets_excluded);
    cJSON_AddNumberToObject(j, "nodes", (double)net->n_nodes);
    cJSON_AddNumberToObject(j, "edges", (double)net->n_edges);
    cJSON_AddNumberToObject(j, "junctions", (double)s->n_junctions);
    cJSON_AddNumberToObject(j, "terminals", (double)s->n_terminals);
    cJSON_AddNumberToObject(j, "drops", (double)s->n_drops);
    cJSON_AddNumberToObject(j, "drops_past_island", (double)s->attach_rerouted);
    cJSON_AddNumberToObject(j, "unreachable", (double)net->n_unreachable);
    cJSON *u = cJSON_AddObjectToObject(j, "unreachable_by");
    cJSON_AddNumberToObject(u, "too_far", (double)s->unreach_too_far);
    cJSON_AddNumberToObject(u, "disconnected", (double)s->unreach_disconnected);
    cJSON_AddNumberToObject(u, "no_street", (double)s->unreach_no_street);
    cJSON_AddNumberToObject(j, "buildings_without_dwellings", (double)s->buildings_no_dwellings);
    cJSON_AddNumberToObject(j, "components", (double)s->n_components);
    cJSON_AddNumberToObject(j, "blocks", (double)net->n_blocks);
    cJSON_AddNumberToObject(j, "buildings_outside_blocks", (double)s->blocks_unassigned);
    cJSON_AddNumberToObject(j, "street_m", s->street_m);
    cJSON_AddNumberToObject(j, "duct_reuse_m", s->duct_m);
    cJSON_AddNumberToObject(j, "aerial_m", s->aerial_m);
    cJSON_AddNumberToObject(j, "root_link_m", s->root_link_m);
    cJSON_AddNumberToObject(j, "sites", (double)s->n_sites);
    cJSON *r = cJSON_AddObjectToObject(j, "repairs");
    cJSON_AddNumberToObject(r, "snapped_endpoints", (double)s->snapped_endpoints);
    cJSON_AddNumberToObject(r, "snapped_to_lines", (double)s->snapped_to_lines);
    cJSON_AddNumberToObject(r, "zero_length_segments", (double)s->zero_len_segments);
    cJSON_AddNumberToObject(r, "zero_length_lines", (double)s->zero_len_lines);
    cJSON_AddNumberToObject(r, "duplicate_lines", (double)s->duplicate_lines);
    cJSON_AddNumberToObject(r, "overlap_m", s->overlap_m);
    cJSON_AddNumberToObject(r, "streets_empty", (double)s->streets_empty);
    cJSON_AddNumberToObject(r, "streets_nonfinite", (double)s->streets_nonfinite);
    cJSON *inf = cJSON_AddObjectToObject(j, "infra");
    cJSON_AddNumberToObject(inf, "lines_matched", (double)s->infra_lines_matched);
    cJSON_AddNumberToObject(inf, "lines_added", (double)s->infra_lines_added);
    cJSON_AddNumberToObject(inf, "poles_used", (double)s->infra_poles_used);
    cJSON_AddNumberToObject(inf, "poles_ignored", (double)s->infra_poles_ignored);
    if (g) {
        cJSON *c = cJSON_AddObjectToObject(j, "steiner");
        cJSON_AddNumberToObject(c, "nodes", g->n_nodes);
        cJSON_AddNumberToObject(c, "edges", g->n_edges);
        cJSON_AddNumberToObject(c, "terminals", fp_sgraph_n_terminals(g));
    }
    return j;
}

static void print_text(const fp_network *net, const fp_sgraph *g, const char *name)
{
    const fp_network_stats *s = &net->stats;
    printf("scenario     %s\n", name);
    printf("streets      %zu read, %zu used, %zu excluded by class\n", s->streets_read,
           s->streets_used, s->streets_excluded);
    printf("repairs      %zu endpoints snapped, %zu ends snapped onto lines, %zu repeated "
           "vertices, %zu zero-length lines, %zu duplicate lines, %.1f m of overlaps merged\n",
           s->snapped_endpoints, s->snapped_to_lines, s->zero_len_segments, s->zero_len_lines, s->duplicate_lines,
           s->overlap_m);
    printf("graph        %zu nodes (%zu junctions), %zu edges, %zu components\n", net->n_nodes,
           s->n_junctions, net->n_edges, s->n_components);
    printf("streets      %.1f km, duct reuse %.1f km, aerial %.1f km\n", s->street_m / 1000,
           s->duct_m / 1000, s->aerial_m / 1000);
    printf("infra        %zu lines matched to streets, %zu added, %zu poles used, %zu "
           "ignored\n",
           s->infra_lines_matched, s->infra_lines_added, s->infra_poles_used,
           s->infra_poles_ignored);
    printf("buildings    %zu terminals, %zu drops (%zu past a nearer island street), %zu "
           "without dwellings\n",
           s->n_terminals, s->n_drops, s->attach_rerouted, s->buildings_no_dwellings);
    printf("unreachable  %zu: %zu too far, %zu disconnected, %zu no street\n",
           net->n_unreachable, s->unreach_too_far, s->unreach_disconnected,
           s->unreach_no_street);
    if (net->root >= 0 && s->n_sites <= 1)
        printf("root         %s, link %.1f m\n", net->ds->n_sites ? net->ds->sites[0].id : "",
               s->root_link_m);
    else if (net->root >= 0)
        printf("sites        %zu (first %s), links %.1f m in all\n", s->n_sites,
               net->ds->sites[0].id, s->root_link_m);
    else
        printf("root         none (no site)\n");
    printf("blocks       %zu (%zu buildings outside every block)\n", net->n_blocks,
           s->blocks_unassigned);
    if (g)
        printf("steiner      %d nodes, %d edges, %d terminals\n", g->n_nodes, g->n_edges,
               fp_sgraph_n_terminals(g));
}

int fp_cli_network(fp_cli *cli, int argc, char **argv)
{
    const char *path = NULL;
    out_paths op = {NULL, NULL};
    int json = 0, status = 0;
    fp_error err;
    fp_error_clear(&err);
    fp_scenario *sc = NULL;
    fp_dataset *ds = NULL;
    fp_network *net = NULL;
    fp_sgraph *g = NULL;
    int *moff = NULL, *medges = NULL;
    fp_load_opts o;
    memset(&o, 0, sizeof o);
    status = fp_cli_scenario_args("network", argc, argv, help, path_option, &op, &path, &json);
    if (status >= 0)
        return status;
    status = 0;
    const char *out_path = op.out, *stp_path = op.stp;
    net_keys nk;
    if (fp_cli_load(cli, path, other_sections, read_net_keys, &nk, &sc, &o, &ds, &err))
        goto fail;
    const fp_costs costs = nk.costs;
    const fp_network_opts nopts = nk.opts;
    net = fp_network_build(ds, &costs, &nopts, &cli->log, &err);
    if (!net)
        goto fail;
    if (net->root >= 0 && fp_network_to_sgraph(net, &g, &moff, &medges, &err))
        goto fail;
    if (g)
        snprintf(g->name, sizeof g->name, "%s", fp_scenario_name(sc));
    if (out_path && fp_netout_gpkg(net, out_path, &cli->log, &err))
        goto fail;
    if (stp_path) {
        if (!g) {
            fp_error_set(&err, FP_EINPUT, "%s: no root (central office): give a [sites] site "
                                          "to write a Steiner instance", path);
            goto fail;
        }
        if (fp_stp_write(stp_path, g, &err))
            goto fail;
    }
    fp_cli_progress_done(cli);
    if (json)
        status = fp_cli_print_json(counts_json(net, g, fp_scenario_name(sc)));
    else
        print_text(net, g, fp_scenario_name(sc));
    goto out;
fail:
    status = fp_cli_fail(cli, &err);
out:
    fp_sgraph_free(g);
    free(moff);
    free(medges);
    fp_network_free(net);
    fp_dataset_free(ds);
    fp_load_opts_free(&o);
    fp_scenario_free(sc);
    return status;
}
