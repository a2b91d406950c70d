/* sechk extract / check — read filled workbooks into answers (and findings). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sechk/csv.h"
#include "sechk/extract.h"
#include "sechk/json.h"
#include "sechk/output.h"
#include "sechk/report.h"
#include "sechk/validate.h"

static const char extract_help[] =
    "使い方: sechk extract FILE.xlsx... [-f json|csv] [--encoding utf-8|cp932] [-o OUT]\n"
    "                      [--phase PHASE] [--lang ja|en] [--template FILE] [--sheet NAME|N] [--max-… N]\n"
    "記入済みのチェックリストから回答（■/□ と記入された文字）を取り出します。\n"
    "Reads filled checklists into structured answers (JSON: sechk/answers-v1, or CSV).\n"
    "\n"
    "  -f, --format json|csv     出力形式 (default: json; several files give a JSON array)\n"
    "      --encoding utf-8|cp932  CSV の文字コード (default: utf-8; cp932 for Excel on Japanese Windows)\n"
    "      --no-bom              UTF-8 の CSV に BOM を付けない (default: BOM, so Excel opens it as UTF-8)\n"
    "      --header ja|en        CSV の見出しと回答欄・種別の表記 (default: en)\n"
    "      --layout long|item    CSV の形: 選択肢・記入欄ごとに 1 行 (long, default) か、項目と回答欄ごとに\n"
    "                            1 行 (item: チェックした選択肢を「、」でつなぎ、記入欄ごとに 1 列)\n"
    "      --cp932-fallback      CP932 にない文字を 〓 に置き換え、標準エラーに一覧する (default: error)\n"
    "  -o, --output OUT          出力ファイル (default: standard output)\n"
    "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
    "                            (default: auto)\n"
    "      --lang ja|en          メッセージの言語 (default: ja)\n"
    "      --template FILE       チェックリスト定義ファイル (default: built-in)\n"
    "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: 記入済みのチェックリストを自動で選ぶ)\n"
    "  -h, --help                this help\n";

static const char check_help[] =
    "使い方: sechk check FILE.xlsx... [--phase PHASE] [-f text|json] [--lang ja|en] [--template FILE] [--sheet NAME|N]\n"
    "記入済みのチェックリストを要件に照らして確認し、不備・不適合を報告します。\n"
    "Checks filled checklists against the requirement rules and reports findings.\n"
    "\n"
    "  -f, --format text|json    出力形式 (default: text)\n"
    "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
    "                            (default: auto: the phase that answered later-phase blocks show,\n"
    "                            else selection)\n"
    "      --lang ja|en          メッセージの言語 (default: ja)\n"
    "  -o, --output OUT          出力ファイル (default: standard output)\n"
    "      --template FILE       チェックリスト定義ファイル (default: built-in)\n"
    "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: 記入済みのチェックリストを自動で選ぶ)\n"
    "  -h, --help                this help\n"
    "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 読めない入力・使い方の誤り\n";

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

/* --cp932-fallback: one line per character replaced by 〓. */
static void note_fallback(const void *ctx, const char *where, const char *ch, unsigned cp)
{
    fprintf(stderr, "sechk: %s: %s: 「%s」(U+%04X) は CP932 にないため 〓 に置き換えました (replaced by 〓)\n",
            (const char *)ctx, where, ch, cp);
}

/* Runs extract (is_check false) or check (true). */
static int run(int argc, char **argv, bool is_check)
{
    const char *cmd = is_check ? "check" : "extract";
    static const struct option own[] = {
        {"format", required_argument, NULL, 'f'},   {"encoding", required_argument, NULL, 'e'},
        {"output", required_argument, NULL, 'o'},   {"phase", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},     {"template", required_argument, NULL, 't'},
        {"no-bom", no_argument, NULL, 'B'},         {"header", required_argument, NULL, 'H'},
        {"layout", required_argument, NULL, 'L'},   {"cp932-fallback", no_argument, NULL, 'F'},
        {"sheet", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    struct option opts[32];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    int fmt = is_check ? FMT_TEXT : FMT_JSON;
    bool cp932 = false, csv_opt = false;
    sk_csv_options csv = {.bom = true, .note = note_fallback};
    const char *out = NULL, *phase = "auto", *tpath = NULL;
    sk_lang lang = SK_LANG_JA;
    sk_extract_opts xo = {0};
    sk_limits limits;
    sk_limits_default(&limits);
    int c;
    while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0 && !is_check)
                fmt = FMT_CSV;
            else if (strcmp(optarg, "text") == 0 && is_check)
                fmt = FMT_TEXT;
            else
                return sk_cli_usage(cmd, "-f: %s を指定してください (expected %s): '%s'",
                                    is_check ? "text か json" : "json か csv", is_check ? "text|json" : "json|csv",
                                    optarg);
            break;
        case 'e':
            if (strcmp(optarg, "cp932") == 0 || strcmp(optarg, "CP932") == 0 || strcmp(optarg, "sjis") == 0)
                cp932 = true;
            else if (strcmp(optarg, "utf-8") == 0 || strcmp(optarg, "UTF-8") == 0 || strcmp(optarg, "utf8") == 0)
                cp932 = false;
            else
                return sk_cli_usage(cmd, "--encoding: utf-8 か cp932 を指定してください: '%s'", optarg);
            break;
        case 'B': csv.bom = false, csv_opt = true; break;
        case 'H':
            if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
                return sk_cli_usage(cmd, "--header: ja か en を指定してください (expected ja|en): '%s'", optarg);
            csv.header_ja = strcmp(optarg, "ja") == 0, csv_opt = true;
            break;
        case 'L':
            if (strcmp(optarg, "long") != 0 && strcmp(optarg, "item") != 0)
                return sk_cli_usage(cmd, "--layout: long か item を指定してください (expected long|item): '%s'",
                                    optarg);
            csv.layout_item = strcmp(optarg, "item") == 0, csv_opt = true;
            break;
        case 'F': csv.cp932_fallback = true, csv_opt = true; break;
        case 'o': out = optarg; break;
        case 'p': phase = optarg; break;
        case 'l':
            if (!sk_cli_parse_lang(optarg, &lang))
                return sk_cli_usage(cmd, "--lang: ja か en を指定してください (expected ja|en): '%s'", optarg);
            break;
        case 't': tpath = optarg; break;
        case 's': xo.sheet = optarg; break;
        case 'h':
            fputs(is_check ? check_help : extract_help, stdout);
            fputs(sk_cli_limits_help, stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default:
            if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT) {
                if (!sk_cli_limit(cmd, c, optarg, &limits))
                    return SK_EXIT_FAIL;
                break;
            }
            return sk_cli_usage(cmd, "不正なオプションです (invalid option)");
        }
    }
    if (optind >= argc)
        return sk_cli_usage(cmd, "入力ファイルを指定してください (no input file)");
    if (cp932 && fmt != FMT_CSV)
        return sk_cli_usage(cmd, "--encoding cp932 は -f csv でのみ使えます (CP932 is for CSV only)");
    if (csv_opt && fmt != FMT_CSV)
        return sk_cli_usage(cmd, "--no-bom, --header, --layout, --cp932-fallback は -f csv でのみ使えます "
                                 "(these options are for CSV only)");
    if (csv.cp932_fallback && !cp932)
        return sk_cli_usage(cmd, "--cp932-fallback は --encoding cp932 とともに使います (needs --encoding cp932)");
    csv.cp932 = cp932;
    const char *const *inputs = (const char *const *)argv + optind;
    int n_inputs = argc - optind;
    sk_diag d;
    sk_diag_clear(&d);
    if (out && sk_out_check(out, inputs, n_inputs, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    int phase_index = -1, bad_phase = sk_cli_phase(cmd, t, phase, &phase_index);
    if (bad_phase) {
        sk_template_free(t);
        return bad_phase;
    }

    int status = SK_EXIT_OK, n_ok = 0;
    sk_buf text = SK_BUF_INIT;
    bool json_array = fmt == FMT_JSON && n_inputs > 1; /* one input gives an object, several an array */
    if (fmt == FMT_CSV && sk_csv_begin(t, &csv, &text, &d) != SK_OK) {
        sk_cli_report(&d);
        sk_template_free(t);
        sk_buf_free(&text);
        return SK_EXIT_FAIL;
    }
    if (json_array)
        sk_buf_putc(&text, '[');
    bool color = fmt == FMT_TEXT && !out && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    for (int i = 0; i < n_inputs; i++) {
        sk_answers *a = NULL;
        sk_diag_clear(&d);
        sk_error e = sk_extract_file_opts(inputs[i], t, &limits, &xo, &a, &d);
        if (!e)
            e = sk_validate(a, phase_index, &d);
        if (e) {
            sk_diag_file(&d, inputs[i]);
            sk_cli_report(&d);
            status = SK_EXIT_FAIL;
            if (fmt == FMT_TEXT)
                sk_report_unreadable(&text, inputs[i], &d, lang);
            continue;
        }
        n_ok++;
        if (sk_answers_has_errors(a) && status == SK_EXIT_OK && is_check)
            status = SK_EXIT_FINDINGS;
        if (fmt == FMT_JSON && json_array) {
            e = sk_buf_append(&text, n_ok > 1 ? ",\n  " : "\n  ");
            if (!e)
                e = sk_json_write_answers(a, lang, 1, &text);
        } else if (fmt == FMT_JSON) {
            e = sk_json_write_answers(a, lang, 0, &text);
            if (!e)
                e = sk_buf_putc(&text, '\n');
        }
        else if (fmt == FMT_CSV)
        {
            csv.note_ctx = inputs[i];
            e = sk_csv_answers(a, &csv, &text, &d);
        }
        else
            e = sk_report_text(a, lang, color, &text);
        sk_answers_free(a);
        if (e) {
            sk_diag_file(&d, inputs[i]);
            if (!d.reason[0])
                sk_diag_set(&d, e, "%s", sk_strerror(e));
            sk_cli_report(&d);
            status = SK_EXIT_FAIL;
            if (e != SK_ERR_ENCODING)
                break;
        }
    }
    if (json_array && sk_buf_append(&text, n_ok > 0 ? "\n]\n" : "]\n") != SK_OK) {
        fprintf(stderr, "sechk: out of memory\n");
        status = SK_EXIT_FAIL;
    }
    sk_template_free(t);
    if (out && n_ok == 0) {
        /* nothing could be read: leave no output behind */
    } else if (out) {
        sk_diag_clear(&d);
        if (sk_out_write_file(out, text.data ? text.data : "", text.len, &d) != SK_OK) {
            sk_cli_report_lang(&d, lang);
            status = SK_EXIT_FAIL;
        } else {
            sk_cli_wrote(out, NULL);
        }
    } else {
        fwrite(text.data ? text.data : "", 1, text.len, stdout);
    }
    sk_buf_free(&text);
    return sk_cli_finish(status);
}

int sk_cmd_extract(int argc, char **argv)
{
    return run(argc, argv, false);
}

int sk_cmd_check(int argc, char **argv)
{
    return run(argc, argv, true);
}
