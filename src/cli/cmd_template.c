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

/* The parsed command line. */
typedef struct template_args {
    const char *out, *tpath, *date;
    bool rules, due, out_given;
    sk_blank job;
} template_args;

/* Takes option c into a; returns -1, or the exit status to stop with. */
static int take_option(int c, char **argv, template_args *a)
{
    switch (c) {
    case 'o': a->out = optarg; a->out_given = true; return -1;
    case 'r': a->rules = true; return -1;
    case 'D': a->due = true; return -1;
    case 'p': a->job.project = optarg; return -1;
    case 's': a->job.service = optarg; return -1;
    case 'd': a->date = optarg; return -1;
    case 't': a->tpath = optarg; return -1;
    case 'P':
        if (!sk_paper_parse(optarg, &a->job.paper))
            return sk_cli_usage_msg("template", SK_MSG_BAD_PAPER, "--paper", optarg);
        return -1;
    default: return sk_cli_plain_opt("template", c, argv, SK_MSG_HELP_TEMPLATE);
    }
}

/* Sets the blank's date (--date, else today) in Japanese and as its
 * creation time; returns -1, or the usage status for a bad date. */
static int set_date(template_args *a)
{
    char iso[16];
    const char *date = a->date;
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
        date = iso;
    }
    if (sk_date_format_ja(date, a->job.date_ja) != SK_OK)
        return sk_cli_usage_msg("template", SK_MSG_BAD_DATE, date);
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    a->job.created = timegm(&tm);
    return -1;
}

/* Writes the blank to out; returns the exit status. */
static int write_blank(const char *out, template_args *a)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_out_check(out, NULL, 0, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(a->tpath, &t))
        return SK_EXIT_FAIL;
    a->job.t = t;
    sk_error e = sk_out_workbook(out, sk_render_blank, &a->job, &d);
    sk_template_free(t);
    return sk_cli_wrote_one(out, e, &d);
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
    template_args a = {0};
    int c, status;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1)
        if ((status = take_option(c, argv, &a)) >= 0)
            return status;
    if (optind < argc)
        return sk_cli_usage_msg("template", SK_MSG_EXTRA_ARGUMENT, argv[optind]);
    if ((a.rules || a.due) && (a.out_given || a.date || a.job.project || a.job.service || (a.rules && a.due)))
        return sk_cli_usage_msg("template", SK_MSG_RULES_ALONE);
    if (a.rules || a.due)
        return print_rules(a.tpath, a.due);
    if ((status = set_date(&a)) >= 0)
        return status;
    char fresh[64];
    if (!a.out_given && !free_name(fresh, sizeof fresh))
        return sk_cli_usage_msg("template", SK_MSG_NO_FREE_NAME);
    return write_blank(a.out_given ? a.out : fresh, &a);
}
