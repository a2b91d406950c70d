/* sechk template — write a blank checklist workbook. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/validate.h"

static const char help[] =
    "使い方: sechk template [-o OUT.xlsx] [--project NAME] [--service NAME] [--date YYYY-MM-DD]\n"
    "                       [--template FILE] [--paper a3|a4]\n"
    "       sechk template --rules|--due [--template FILE]\n"
    "白紙のセキュリティチェックリスト（.xlsx）を作成します。\n"
    "Writes a blank checklist workbook.\n"
    "\n"
    "  -o, --output OUT.xlsx   出力ファイル (default: checklist.xlsx; 既にあれば checklist (2).xlsx …、上書きしない)\n"
    "      --project NAME      事業名\n"
    "      --service NAME      利用する外部サービス\n"
    "      --date YYYY-MM-DD   作成日・更新日 (default: today)\n"
    "      --template FILE     チェックリスト定義ファイル (default: built-in)\n"
    "      --paper a3|a4       印刷の用紙 (paper; default: a3, landscape, one page wide)\n"
    "      --rules             確認規則の一覧（docs/rules.md の表, Markdown）を標準出力に出す\n"
    "                          (print the table of rules as Markdown instead of writing a workbook)\n"
    "      --due               いつ回答が必要か（docs/rules.md の表, Markdown）を標準出力に出す\n"
    "                          (print the table of when each block is due as Markdown)\n"
    "  -h, --help              this help\n";

/* Prints the template's rules table, or with due its table of when answers
 * are due (docs/rules.md), to stdout. */
static int print_rules(const char *tpath, bool due)
{
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    sk_buf b = SK_BUF_INIT;
    sk_error e = due ? sk_due_markdown(t, &b) : sk_rules_markdown(t, &b);
    sk_template_free(t);
    if (e) {
        sk_buf_free(&b);
        fprintf(stderr, "sechk: template: %s\n", sk_strerror(e));
        return SK_EXIT_FAIL;
    }
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    sk_buf_free(&b);
    return sk_cli_finish(SK_EXIT_OK);
}

/* Without -o the blank goes to checklist.xlsx, or, if that exists,
 * "checklist (2).xlsx" … "checklist (99).xlsx": never over an existing file
 * (a filled checklist may have that name).  False if all are taken. */
static bool free_name(char *buf, size_t size)
{
    for (int k = 1; k <= 99; k++) {
        if (k == 1)
            snprintf(buf, size, "checklist.xlsx");
        else
            snprintf(buf, size, "checklist (%d).xlsx", k);
        struct stat st;
        if (lstat(buf, &st) != 0 && errno == ENOENT)
            return true;
    }
    return false;
}

int sk_cmd_template(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"project", required_argument, NULL, 'p'},
        {"service", required_argument, NULL, 's'}, {"date", required_argument, NULL, 'd'},
        {"template", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
        {"rules", no_argument, NULL, 'r'},          {"due", no_argument, NULL, 'D'},
        {"paper", required_argument, NULL, 'P'},    {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *tpath = NULL, *date = NULL;
    bool rules = false, due = false, out_given = false;
    sk_blank job = {0};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; out_given = true; break;
        case 'r': rules = true; break;
        case 'D': due = true; break;
        case 'p': job.project = optarg; break;
        case 's': job.service = optarg; break;
        case 'd': date = optarg; break;
        case 't': tpath = optarg; break;
        case 'P':
            if (!sk_paper_parse(optarg, &job.paper))
                return sk_cli_usage("template", "--paper: a3 か a4 を指定してください (expected a3|a4): '%s'", optarg);
            break;
        case 'h': fputs(help, stdout); return sk_cli_finish(SK_EXIT_OK);
        default: return sk_cli_usage("template", "不正なオプションです (invalid option)");
        }
    }
    if (optind < argc)
        return sk_cli_usage("template", "余分な引数です: %s (unexpected argument)", argv[optind]);
    if ((rules || due) && (out_given || date || job.project || job.service || (rules && due)))
        return sk_cli_usage("template", "--rules/--due は --template 以外のオプションと併用できません (--rules and "
                                        "--due take only --template)");
    if (rules || due)
        return print_rules(tpath, due);

    char iso[16];
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
        date = iso;
    }
    if (sk_date_format_ja(date, job.date_ja) != SK_OK)
        return sk_cli_usage("template", "日付が正しくありません: '%s' (expected YYYY-MM-DD, a real date)", date);
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    job.created = timegm(&tm);

    char fresh[64];
    if (!out_given && !free_name(fresh, sizeof fresh))
        return sk_cli_usage("template", "checklist.xlsx から checklist (99).xlsx まで既にあります。-o で出力先を"
                                        "指定してください (no free name: give -o)");
    if (!out_given)
        out = fresh;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_out_check(out, NULL, 0, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t))
        return SK_EXIT_FAIL;
    job.t = t;
    sk_error e = sk_out_workbook(out, sk_render_blank, &job, &d);
    sk_template_free(t);
    if (e) {
        sk_cli_report_lang(&d, SK_LANG_JA);
        return SK_EXIT_FAIL;
    }
    sk_cli_wrote(out, NULL);
    return sk_cli_finish(SK_EXIT_OK);
}
