/* sechk review — write the annotated review copy of one filled checklist. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/output.h"
#include "sechk/review.h"
#include "sechk/validate.h"

static const char help[] =
    "使い方: sechk review FILE.xlsx -o OUT.xlsx [--phase PHASE] [--lang ja|en] [--previous OLD] [--template FILE]\n"
    "                     [--sheet NAME|N] [--to NAME] [--from NAME] [--deadline YYYY-MM-DD] [--project NAME]\n"
    "                     [--for provider|contractor] [--paper a3|a4] [--settings FILE] [--max-… N]\n"
    "記入済みのチェックリストを確認し、指摘付きの確認用ブック（サマリー、チェックリスト、指摘事項）を作成します。\n"
    "Writes an annotated review copy: a summary sheet, the checklist with problem cells highlighted and\n"
    "commented, and a findings sheet to send back to the answerer.\n"
    "\n"
    "  -o, --output OUT.xlsx     出力ファイル (required; never the input itself)\n"
    "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
    "                            (default: auto: the phase that answered later-phase blocks show,\n"
    "                            else selection)\n"
    "      --lang ja|en          見出しとメッセージの言語 (default: ja)\n"
    "      --previous OLD        前回の提出物（ブック、返送された確認用ブック、回答 JSON）と比較し、\n"
    "                            「前回との比較」シート、サマリーの解消・継続・新規の件数、指摘ごとの\n"
    "                            継続／新規と前回の回答者コメントを加える (compare with the previous round)\n"
    "      --template FILE       チェックリスト定義ファイル (default: built-in)\n"
    "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: 記入済みのチェックリストを自動で選ぶ)\n"
    "  -h, --help                this help\n"
    "環境変数 SOURCE_DATE_EPOCH があれば、その時刻を確認日時・作成日時とします（出力を比較するため）。\n"
    "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 読めない入力・使い方の誤り\n";

/* Reads SOURCE_DATE_EPOCH into *out (0 when unset); false if malformed. */
static bool source_date(time_t *out)
{
    *out = 0;
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0 || v > 253402300799LL) /* up to 9999-12-31 */
        return false;
    *out = (time_t)v;
    return true;
}

static int review_run(const char *in, const char *out, const char *phase, const char *tpath, const char *prev,
                      sk_extract_opts *xo_in, const sk_limits *lim, sk_review_opts *ro_in);

int sk_cmd_review(int argc, char **argv)
{
    static const struct option own[] = {
        {"output", required_argument, NULL, 'o'}, {"phase", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},   {"template", required_argument, NULL, 't'},
        {"sheet", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {"previous", required_argument, NULL, 'P'},
        SK_LETTER_LONG_OPTIONS,                   {NULL, 0, NULL, 0},
    };
    struct option opts[32];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    const char *out = NULL, *phase = "auto", *tpath = NULL, *prev = NULL;
    sk_review_opts ro = {.lang = SK_LANG_JA};
    sk_letter letter = {0};
    const char *settings = NULL;
    sk_extract_opts xo = {0};
    sk_limits limits;
    sk_limits_default(&limits);
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'p': phase = optarg; break;
        case 'l':
            if (!sk_cli_parse_lang(optarg, &ro.lang))
                return sk_cli_usage("review", "--lang: ja か en を指定してください (expected ja|en): '%s'", optarg);
            break;
        case 't': tpath = optarg; break;
        case 's': xo.sheet = optarg; break;
        case 'P': prev = optarg; break;
        case 'h':
            fputs(help, stdout);
            fputs(sk_letter_help, stdout);
            fputs(sk_cli_limits_help, stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default: {
            int bad = sk_cli_review_opt("review", c, optarg, &letter, &settings, &limits);
            if (bad)
                return bad;
        }
        }
    }
    if (optind + 1 != argc)
        return sk_cli_usage("review", "入力ファイルを1つ指定してください (one FILE.xlsx)");
    if (!out)
        return sk_cli_usage("review", "-o OUT.xlsx を指定してください (the output is required)");
    if (!source_date(&ro.created))
        return sk_cli_usage("review", "SOURCE_DATE_EPOCH が正しくありません (expected seconds since 1970): '%s'",
                            getenv("SOURCE_DATE_EPOCH"));
    if (prev && xo.sheet)
        return sk_cli_usage("review", "--sheet と --previous は同時に使えません (--sheet does not combine with "
                                      "--previous yet)");
    if (settings && !sk_letter_load("review", settings, &letter)) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    bool letter_ok = sk_letter_apply("review", &letter, &ro);
    if (!letter_ok) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    int status = review_run(argv[optind], out, phase, tpath, prev, &xo, &limits, &ro);
    sk_letter_free(&letter);
    return status;
}

/* Reads, checks and writes the review of in; returns the exit status. */
static int review_run(const char *in, const char *out, const char *phase, const char *tpath, const char *prev,
                      sk_extract_opts *xo_in, const sk_limits *lim, sk_review_opts *ro_in)
{
    sk_extract_opts xo = *xo_in;
    sk_limits limits = *lim;
    sk_review_opts ro = *ro_in;
    const char *ins[2] = {in, prev};
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_out_check(out, ins, prev ? 2 : 1, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    int phase_index = -1, bad_phase = sk_cli_phase("review", t, phase, &phase_index);
    if (bad_phase) {
        sk_template_free(t);
        return bad_phase;
    }
    sk_answers *a = NULL;
    sk_diff_input side[2];
    memset(side, 0, sizeof side);
    sk_diff *df = NULL;
    sk_error e;
    if (prev) {
        /* both through the comparison's reader: a returned review copy gives
         * its replies, an answers JSON is accepted as the previous round */
        e = sk_diff_input_load(prev, t, &limits, phase_index, &side[0], &d);
        if (!e) {
            sk_diag_clear(&d);
            e = sk_diff_input_load(in, t, &limits, phase_index, &side[1], &d);
        }
        if (!e) {
            sk_diff_sides sides = {.old_template_id = side[0].template_id,
                                   .old_template_version = side[0].template_version,
                                   .new_template_id = side[1].template_id,
                                   .new_template_version = side[1].template_version,
                                   .old_replies = side[0].replies,
                                   .new_replies = side[1].replies,
                                   .old_project = side[0].project,
                                   .new_project = side[1].project};
            e = sk_diff_compute(side[0].a, side[1].a, &sides, &df, &d);
            a = side[1].a;
            ro.previous = df;
        }
    } else {
        e = sk_extract_file_opts(in, t, &limits, &xo, &a, &d);
        if (!e)
            e = sk_validate(a, phase_index, &d);
    }
    if (e) {
        sk_diag_file(&d, in);
        sk_cli_report(&d);
        if (!prev)
            sk_answers_free(a);
        sk_diff_free(df);
        sk_diff_input_clear(&side[0]);
        sk_diff_input_clear(&side[1]);
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    char *project = NULL;
    if (!ro.project) {
        /* 事業名 of the workbook's header block (none from an answers JSON) */
        project = prev ? (side[1].project ? strdup(side[1].project) : NULL) : NULL;
        if (!prev && !xo.sheet) {
            sk_diag pd;
            sk_diag_clear(&pd);
            if (sk_project_read_file(in, a, &limits, &project, &pd) != SK_OK)
                project = NULL; /* read once already: a failure here only leaves it blank */
        }
        ro.project = project;
    }
    int status = sk_answers_has_errors(a) ? SK_EXIT_FINDINGS : SK_EXIT_OK;
    int n_findings = 0;
    for (int i = 0; i < a->n_items; i++)
        n_findings += a->items[i].n_findings;
    e = sk_review_write(a, out, &ro, &d);
    free(project);
    if (!prev)
        sk_answers_free(a);
    sk_diff_free(df);
    sk_diff_input_clear(&side[0]);
    sk_diff_input_clear(&side[1]);
    sk_template_free(t);
    if (e) {
        sk_diag_file(&d, out);
        sk_cli_report_lang(&d, ro.lang);
        return SK_EXIT_FAIL;
    }
    char note[64];
    snprintf(note, sizeof note, "指摘 %d 件", n_findings);
    sk_cli_wrote(out, note);
    return sk_cli_finish(status);
}
