/* sechk template — write a blank checklist workbook. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "sechk/reason.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/validate.h"

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
        sk_diag d = {.code = e};
        char why[256];
        fprintf(stderr, "sechk: template: %s\n", sk_diag_reason(&d, sk_msg_lang(), why, sizeof why));
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
        {"paper", required_argument, NULL, 'P'},    {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
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
                return sk_cli_usage_msg("template", SK_MSG_BAD_PAPER, "--paper", optarg);
            break;
        case 'h': fputs(sk_msg(SK_MSG_HELP_TEMPLATE), stdout); return sk_cli_finish(SK_EXIT_OK);
        case 'l': {
            sk_lang lang; /* the messages' language, chosen in main() */
            if (!sk_cli_parse_lang(optarg, &lang))
                return sk_cli_usage_msg("template", SK_MSG_BAD_LANG, optarg);
            break;
        }
        default: return sk_cli_bad_option("template", argv);
        }
    }
    if (optind < argc)
        return sk_cli_usage_msg("template", SK_MSG_EXTRA_ARGUMENT, argv[optind]);
    if ((rules || due) && (out_given || date || job.project || job.service || (rules && due)))
        return sk_cli_usage_msg("template", SK_MSG_RULES_ALONE);
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
        return sk_cli_usage_msg("template", SK_MSG_BAD_DATE, date);
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    job.created = timegm(&tm);

    char fresh[64];
    if (!out_given && !free_name(fresh, sizeof fresh))
        return sk_cli_usage_msg("template", SK_MSG_NO_FREE_NAME);
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
        sk_cli_report_lang(&d, sk_msg_lang());
        return SK_EXIT_FAIL;
    }
    sk_cli_wrote(out, NULL);
    return sk_cli_finish(SK_EXIT_OK);
}
