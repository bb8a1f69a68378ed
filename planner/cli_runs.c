/* cli_runs: the `fibreplan runs` subcommand (not built yet). */
#include "cli.h"

int fp_cli_runs(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'runs' is not implemented yet");
    return 5;
}
