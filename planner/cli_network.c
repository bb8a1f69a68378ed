/* cli_network: the `fibreplan network` subcommand (not built yet). */
#include "cli.h"

int fp_cli_network(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'network' is not implemented yet");
    return 5;
}
