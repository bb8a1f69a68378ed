/* cli_inspect: the `fibreplan inspect` subcommand (not built yet). */
#include "cli.h"

int fp_cli_inspect(fp_cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fp_cli_error("'inspect' is not implemented yet");
    return 5;
}
