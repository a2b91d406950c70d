/* sechk diff — compare a resubmission with the previous round. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sechk/diff.h"
#include "sechk/diffbook.h"
#include "sechk/output.h"

static const char help[] =
    "使い方: sechk diff OLD NEW [-f text|json] [-o DIFF.xlsx] [--phase PHASE] [--lang ja|en]\n"
    "                   [--template FILE] [--old-template FILE] [--max-… N]\n"
    "前回の提出物（OLD）と今回の提出物（NEW）の回答を比較します。OLD・NEW はそれぞれ提出されたブック、\n"
    "sechk が書いた確認用ブック（回答者コメント欄と修正後のチェックリストを読みます）、回答の JSON\n"
    "（sechk/answers-v1）のいずれかです。項目は No. と回答欄で対応付けるため、行の挿入や表の移動は影響しません。\n"
    "Compares a resubmission (NEW) with the previous round (OLD): options checked or unchecked, values\n"
    "changed, template text altered, item status, and each finding resolved (解消), open (継続) or new\n"
    "(新規), with the vendor's reply from a returned review copy.  Changes of the provider column, and a\n"
    "contractor answer going from 済 back to 予定 or 対象外, are flagged 乖離 (to be reported and approved).\n"
    "\n"
    "  -f, --format text|json    出力形式 (default: text; json: sechk/diff-v1, docs/diff-format.md)\n"
    "  -o, --output DIFF.xlsx    変更点シートと、変更箇所に色とコメントを付けた今回のチェックリストを書く\n"
    "      --phase PHASE         selection|development|operation|disposal|auto (default: auto, per file)\n"
    "      --lang ja|en          メッセージの言語 (default: ja)\n"
    "      --template FILE       チェックリスト定義ファイル (default: built-in)\n"
    "      --old-template FILE   OLD を読む定義ファイル (default: the same as NEW)\n"
    "  -h, --help                this help\n"
    "終了ステータス: 0 変更なし, 1 変更あり, 2 読めない入力・使い方の誤り\n";

int sk_cmd_diff(int argc, char **argv)
{
    static const struct option own[] = {
        {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
        {"phase", required_argument, NULL, 'p'},    {"lang", required_argument, NULL, 'l'},
        {"template", required_argument, NULL, 't'}, {"old-template", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    struct option opts[32];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    const char *out = NULL, *phase = "auto", *tpath = NULL, *otpath = NULL, *format = "text";
    sk_lang lang = SK_LANG_JA;
    sk_limits limits;
    sk_limits_default(&limits);
    int c;
    while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'p': phase = optarg; break;
        case 'l':
            if (!sk_cli_parse_lang(optarg, &lang))
                return sk_cli_usage("diff", "--lang: ja か en を指定してください (expected ja|en): '%s'", optarg);
            break;
        case 't': tpath = optarg; break;
        case 'T': otpath = optarg; break;
        case 'h':
            fputs(help, stdout);
            fputs(sk_cli_limits_help, stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default:
            if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT) {
                if (!sk_cli_limit("diff", c, optarg, &limits))
                    return SK_EXIT_FAIL;
                break;
            }
            return sk_cli_usage("diff", "不正なオプションです (invalid option)");
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return sk_cli_usage("diff", "-f: text か json を指定してください (expected text|json): '%s'", format);
    if (optind + 2 != argc)
        return sk_cli_usage("diff", "前回と今回のファイルを指定してください (OLD and NEW)");
    const char *inputs[2] = {argv[optind], argv[optind + 1]};
    sk_diag d;
    sk_diag_clear(&d);
    if (out && sk_out_check(out, inputs, 2, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL, *ot = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    if (otpath && !sk_cli_load_template(otpath, &ot)) {
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    int status = SK_EXIT_FAIL;
    sk_diff_input in[2];
    memset(in, 0, sizeof in);
    sk_diff *df = NULL;
    sk_buf buf = {0};
    int phase_index[2] = {-1, -1};
    const sk_template *tt[2] = {ot ? ot : t, t};
    for (int k = 0; k < 2; k++)
        if (sk_cli_phase("diff", tt[k], phase, &phase_index[k]))
            goto done;
    for (int k = 0; k < 2; k++) {
        sk_diag_clear(&d);
        if (sk_diff_input_load(inputs[k], tt[k], &limits, phase_index[k], &in[k], &d) != SK_OK) {
            sk_diag_file(&d, inputs[k]);
            sk_cli_report(&d);
            goto done;
        }
    }
    sk_diff_sides sides = {
        .old_template_id = in[0].template_id,
        .old_template_version = in[0].template_version,
        .new_template_id = in[1].template_id,
        .new_template_version = in[1].template_version,
        .old_replies = in[0].replies,
        .new_replies = in[1].replies,
        .old_project = in[0].project,
        .new_project = in[1].project,
    };
    sk_diag_clear(&d);
    if (sk_diff_compute(in[0].a, in[1].a, &sides, &df, &d) != SK_OK) {
        sk_cli_report(&d);
        goto done;
    }
    sk_error e = strcmp(format, "json") == 0 ? sk_diff_json(df, &sides, lang, &buf) : sk_diff_text(df, lang, &buf);
    if (!e && strcmp(format, "json") == 0)
        e = sk_buf_putc(&buf, '\n');
    if (e) {
        fprintf(stderr, "sechk: diff: out of memory\n");
        goto done;
    }
    if (out) {
        sk_diffbook_opts bo = {.lang = lang};
        sk_diag_clear(&d);
        if (sk_diff_write(df, out, &bo, &d) != SK_OK) {
            sk_diag_file(&d, out);
            sk_cli_report(&d);
            goto done;
        }
    }
    fwrite(buf.data, 1, buf.len, stdout);
    status = sk_cli_finish(sk_diff_changed(df) ? SK_EXIT_FINDINGS : SK_EXIT_OK);
done:
    sk_buf_free(&buf);
    sk_diff_free(df);
    sk_diff_input_clear(&in[0]);
    sk_diff_input_clear(&in[1]);
    sk_template_free(ot);
    sk_template_free(t);
    return status;
}
