/* sechk review — write the annotated review copy of one filled checklist. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/output.h"
#include "sechk/review.h"
#include "sechk/validate.h"

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
        SK_LETTER_LONG_OPTIONS,                   SK_CLI_OPEN_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct option opts[64];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    const char *out = NULL, *phase = "auto", *tpath = NULL, *prev = NULL, *pwfile = NULL;
    bool convert = false;
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
                return sk_cli_usage_msg("review", SK_MSG_BAD_LANG, optarg);
            break;
        case 't': tpath = optarg; break;
        case 's': xo.sheet = optarg; break;
        case 'P': prev = optarg; break;
        case SK_OPT_PASSWORD_FILE: pwfile = optarg; break;
        case SK_OPT_CONVERT: convert = true; break;
        case SK_OPT_PASSWORD: return sk_cli_password_refused("review");
        case 'h':
            fputs(sk_msg(SK_MSG_HELP_REVIEW), stdout);
            fputs(sk_msg(SK_MSG_HELP_LETTER), stdout);
            fputs(sk_msg(SK_MSG_HELP_OPEN), stdout);
            fputs(sk_msg(SK_MSG_HELP_LIMITS_LINE), stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default: {
            int bad = sk_cli_review_opt("review", c, argv, &letter, &settings, &limits);
            if (bad)
                return bad;
            break;
        }
        }
    }
    if (optind + 1 != argc)
        return sk_cli_usage_msg("review", SK_MSG_ONE_INPUT);
    if (!out)
        return sk_cli_usage_msg("review", SK_MSG_OUTPUT_REQUIRED);
    if (!source_date(&ro.created))
        return sk_cli_usage_msg("review", SK_MSG_BAD_SOURCE_DATE, getenv("SOURCE_DATE_EPOCH"));
    if (prev && xo.sheet)
        return sk_cli_usage_msg("review", SK_MSG_SHEET_PREVIOUS);
    if (settings && !sk_letter_load("review", settings, &letter)) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    bool letter_ok = sk_letter_apply("review", &letter, &ro);
    if (!letter_ok) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    sk_cli_open open;
    if (!sk_cli_open_init(&open, pwfile, convert, 0, ro.lang, true)) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    xo.open = &open.opts;
    int status = review_run(argv[optind], out, phase, tpath, prev, &xo, &limits, &ro);
    sk_cli_open_free(&open);
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
    int phase_index, bad = sk_cli_phase("review", t, phase, &phase_index);
    if (bad) {
        sk_template_free(t);
        return bad;
    }
    sk_answers *a = NULL;
    char *project = NULL;
    sk_diff_input side[2];
    memset(side, 0, sizeof side);
    sk_diff *df = NULL;
    sk_error e;
    if (prev) {
        /* both through the comparison's reader: a returned review copy gives
         * its replies, an answers JSON is accepted as the previous round */
        e = sk_diff_input_load(prev, t, &limits, xo.open, phase_index, &side[0], &d);
        if (!e) {
            sk_diag_clear(&d);
            e = sk_diff_input_load(in, t, &limits, xo.open, phase_index, &side[1], &d);
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
        /* 事業名 of the workbook's header block, read from the same opening */
        if (!ro.project && !xo.sheet)
            xo.project = &project;
        e = sk_extract_file_opts(in, t, &limits, &xo, &a, &d);
        if (!e)
            e = sk_validate(a, phase_index, &d);
    }
    if (e) {
        sk_diag_file(&d, in);
        sk_cli_report(&d);
        if (!prev)
            sk_answers_free(a);
        free(project);
        sk_diff_free(df);
        sk_diff_input_clear(&side[0]);
        sk_diff_input_clear(&side[1]);
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    if (!ro.project) {
        /* 事業名 of the workbook's header block (none from an answers JSON) */
        if (prev)
            project = side[1].project ? strdup(side[1].project) : NULL;
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
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(note, sizeof note, sk_msg(SK_MSG_FINDINGS_NOTE), n_findings); /* a catalogue constant */
#pragma GCC diagnostic pop
    sk_cli_wrote(out, note);
    return sk_cli_finish(status);
}
