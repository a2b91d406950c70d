/* sechk command line — dispatch to the subcommands. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__ /* defined by the headers above */
#include <malloc.h>
#endif

#include "cli.h"

/* Heap padding for the commands that write workbooks (issue 21):
 * libxlsxwriter allocates and frees constantly, and glibc grows and trims
 * the heap at each turn; padding and a high trim threshold keep it in place
 * (the batch workers set the same in src/batch/batch.c). */
static void pad_heap(void)
{
#ifdef __GLIBC__
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

/* The subcommands. */
static const struct {
    const char *name;
    int (*run)(int, char **);
    bool writes_workbook;
} cmds[] = {
    {"template", sk_cmd_template, true}, {"extract", sk_cmd_extract, false}, {"check", sk_cmd_check, false},
    {"review", sk_cmd_review, true},     {"fill", sk_cmd_fill, true},        {"batch", sk_cmd_batch, true},
    {"diff", sk_cmd_diff, true},
};

/* Chooses the messages' language from --lang en / --lang=en before any
 * subcommand runs, so that even a usage error is in the chosen language. */
static void choose_lang(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        const char *v = strcmp(argv[i], "--lang") == 0 && i + 1 < argc ? argv[i + 1]
                        : strncmp(argv[i], "--lang=", 7) == 0          ? argv[i] + 7
                                                                        : NULL;
        if (v && strcmp(v, "en") == 0)
            sk_msg_set_lang(SK_LANG_EN);
        else if (v && strcmp(v, "ja") == 0)
            sk_msg_set_lang(SK_LANG_JA);
    }
}

/* sechk help [COMMAND|limits]: a command's help, the limits, or the overview. */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        fputs(sk_msg(SK_MSG_HELP_MAIN), stdout);
        return sk_cli_finish(SK_EXIT_OK);
    }
    if (strcmp(argv[2], "limits") == 0) {
        fputs(sk_msg(SK_MSG_HELP_LIMITS), stdout);
        return sk_cli_finish(SK_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(argv[2], cmds[i].name) == 0) {
            char *args[] = {argv[2], (char *)"--help", NULL};
            return cmds[i].run(2, args);
        }
    fputs("sechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_UNKNOWN_TOPIC, argv[2]);
    fputc('\n', stderr);
    return SK_EXIT_FAIL;
}

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
     * killing the process, so the error is reported and no partial output
     * is left behind. */
    signal(SIGXFSZ, SIG_IGN);
    sk_cli_signals(NULL); /* batch installs its own */
    if (argc < 2) {
        fputs(sk_msg(SK_MSG_HELP_MAIN), stderr);
        return SK_EXIT_FAIL;
    }
    choose_lang(argc, argv);
    opterr = 0; /* an unknown option is reported from the catalogue (sk_cli_bad_option) */
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return help(1, argv);
    if (strcmp(cmd, "--version") == 0) {
        printf("sechk %s\n", SK_VERSION);
        return sk_cli_finish(SK_EXIT_OK);
    }
    if (!sk_cli_args_utf8(argc, argv))
        return SK_EXIT_FAIL;
    if (strcmp(cmd, "help") == 0)
        return help(argc, argv);
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(cmd, cmds[i].name) == 0) {
            if (cmds[i].writes_workbook)
                pad_heap();
            return cmds[i].run(argc - 1, argv + 1);
        }
    fputs("sechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_UNKNOWN_COMMAND, cmd);
    fprintf(stderr, "\n\n%s", sk_msg(SK_MSG_HELP_MAIN));
    return SK_EXIT_FAIL;
}
