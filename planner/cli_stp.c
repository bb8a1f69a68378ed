/* cli_stp: the `fibreplan stp` subcommand (not built yet). */
#include "cli.h"

int fp_cli_stp(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'stp' is not implemented yet");
    return 5;
}
