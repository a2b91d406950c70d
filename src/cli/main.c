/* sechk command line — dispatch to the subcommands. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__ /* defined by the headers above */
#include <malloc.h>
#endif

#include "cli.h"

static const char usage[] =
    "使い方 / usage:\n"
    "  sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD] [--template FILE]\n"
    "  sechk extract  FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
    "  sechk check    FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en]\n"
    "  sechk review   FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en]\n"
    "  sechk fill     ANSWERS.json -o OUT.xlsx\n"
    "  sechk batch    DIR|FILE... -o OUTDIR [-j N] [--phase PHASE]\n"
    "  sechk diff     OLD NEW [-f text|json] [-o DIFF.xlsx]\n"
    "  sechk --help | --version\n"
    "\n"
    "  template  白紙のチェックリストを作成する (write a blank checklist workbook)\n"
    "  extract   回答を JSON / CSV に取り出す (read answers into JSON or CSV)\n"
    "  check     要件に照らして不備・不適合を報告する (report deficiencies)\n"
    "  review    指摘付きの確認用ブックを作成する (write an annotated review copy)\n"
    "  fill      JSON の回答からブックを作成する (write a workbook from JSON answers)\n"
    "  batch     フォルダ内の提出物をまとめて処理する (process whole folders)\n"
    "  diff      前回の提出物と比較する (compare with the previous submission)\n"
    "\n"
    "'sechk COMMAND --help' で各コマンドの詳細を表示します。\n"
    "終了ステータス / exit status: 0 問題なし (ok), 1 不備・不適合あり (findings), 2 エラー (error)\n";

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

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
     * killing the process, so the error is reported and no partial output
     * is left behind. */
    signal(SIGXFSZ, SIG_IGN);
    sk_cli_signals(NULL); /* batch installs its own */
    if (argc < 2) {
        fputs(usage, stderr);
        return SK_EXIT_FAIL;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return sk_cli_finish(SK_EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sechk %s\n", SK_VERSION);
        return sk_cli_finish(SK_EXIT_OK);
    }
    if (!sk_cli_args_utf8(argc, argv))
        return SK_EXIT_FAIL;
    static const struct {
        const char *name;
        int (*run)(int, char **);
        bool writes_workbook;
    } cmds[] = {
        {"template", sk_cmd_template, true}, {"extract", sk_cmd_extract, false}, {"check", sk_cmd_check, false},
        {"review", sk_cmd_review, true},     {"fill", sk_cmd_fill, true},        {"batch", sk_cmd_batch, true},
        {"diff", sk_cmd_diff, true},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(cmd, cmds[i].name) == 0) {
            if (cmds[i].writes_workbook)
                pad_heap();
            return cmds[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "sechk: unknown command '%s' (不明なコマンドです)\n\n%s", cmd, usage);
    return SK_EXIT_FAIL;
}
