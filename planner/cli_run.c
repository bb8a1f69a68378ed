/* cli_run: the `fibreplan run` subcommand (not built yet). */
#include "cli.h"

int fp_cli_run(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'run' is not implemented yet");
    return 5;
}
