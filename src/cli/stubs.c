/* sechk command line — subcommands not built yet. */
#include <stdio.h>

#include "cli.h"

/* Says plainly that a subcommand is not available yet. */
static int not_yet(const char *cmd)
{
    fprintf(stderr, "sechk: %s: まだ実装されていません (not implemented yet)\n", cmd);
    return SK_EXIT_FAIL;
}

int sk_cmd_review(int argc, char **argv) { (void)argc; (void)argv; return not_yet("review"); }
int sk_cmd_batch(int argc, char **argv) { (void)argc; (void)argv; return not_yet("batch"); }
