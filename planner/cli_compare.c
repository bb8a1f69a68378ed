/* cli_compare: the `fibreplan compare` subcommand (not built yet). */
#include "cli.h"

int fp_cli_compare(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'compare' is not implemented yet");
    return 5;
}
