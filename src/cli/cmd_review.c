/* sechk review — write the annotated review copy of one filled checklist. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/output.h"
#include "sechk/review.h"
#include "sechk/validate.h"

/* The long options (the limits' are added by sk_cli_getopt). */
static const struct option options[] = {
    SK_CLI_READ_OPTIONS,                        {"sheet", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},           {"previous", required_argument, NULL, 'P'},
    SK_LETTER_LONG_OPTIONS,                     SK_CLI_OPEN_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The parsed command line. */
typedef struct review_args {
    const char *prev, *settings;
    sk_review_opts ro;
    sk_letter letter;
    sk_extract_opts xo;
    sk_cli_read_args r;
} review_args;

/* What review read: the answers and, with --previous, the comparison. */
typedef struct review_data {
    sk_answers *a; /* owned without --previous, else side[1]'s */
    char *project;
    sk_diff_input side[2];
    sk_diff *df;
} review_data;

/* Takes option c into a; returns -1, or the exit status to stop with. */
static int take_option(int c, char **argv, void *args)
{
    review_args *a = args;
    switch (c) {
    case 's': a->xo.sheet = optarg; return -1;
    case 'P': a->prev = optarg; return -1;
    case 'h': return sk_cli_help(SK_MSG_HELP_REVIEW, true);
    default: return sk_cli_review_opt("review", c, argv, &a->letter, &a->settings, &a->r);
    }
}

static void review_data_free(review_data *rd, bool prev)
{
    if (!prev)
        sk_answers_free(rd->a);
    free(rd->project);
    sk_diff_free(rd->df);
    sk_diff_input_clear(&rd->side[0]);
    sk_diff_input_clear(&rd->side[1]);
}

/* Reads the previous round and in through the comparison's reader (a
 * returned review copy gives its replies, an answers JSON is accepted as the
 * previous round) and compares them into rd. */
static sk_error read_with_previous(const char *in, review_args *a, const sk_template *t, int phase_index,
                                   review_data *rd, sk_diag *d)
{
    /* --sheet names this round's sheet; the previous round is located as
     * extract does without it (a review copy sechk wrote has one) */
    const sk_extract_opts prev = {.open = a->xo.open};
    sk_error e = sk_diff_input_load(a->prev, t, &a->r.limits, &prev, phase_index, &rd->side[0], d);
    if (!e) {
        sk_diag_clear(d);
        e = sk_diff_input_load(in, t, &a->r.limits, &a->xo, phase_index, &rd->side[1], d);
    }
    if (e)
        return e;
    const sk_diff_input *side = rd->side;
    sk_diff_sides sides;
    sk_cli_diff_sides(&side[0], &side[1], &sides);
    e = sk_diff_compute(side[0].a, side[1].a, &sides, &rd->df, d);
    if (!e) {
        rd->a = side[1].a;
        a->ro.previous = rd->df;
    }
    return e;
}

/* Reads and checks in (with --previous, compares) into rd, and takes 事業名
 * of the workbook's header block unless --project gave one. */
static sk_error review_read(const char *in, review_args *a, const sk_template *t, int phase_index, review_data *rd,
                            sk_diag *d)
{
    sk_error e;
    if (a->prev) {
        e = read_with_previous(in, a, t, phase_index, rd, d);
    } else {
        /* 事業名 of the workbook's header block, read from the same opening */
        if (!a->ro.project && !a->xo.sheet)
            a->xo.project = &rd->project;
        e = sk_extract_file_opts(in, t, &a->r.limits, &a->xo, &rd->a, d);
        if (!e)
            e = sk_validate(rd->a, phase_index, d);
    }
    if (!e && !a->ro.project) {
        /* 事業名 of the workbook's header block (none from an answers JSON) */
        if (a->prev)
            rd->project = rd->side[1].project ? strdup(rd->side[1].project) : NULL;
        a->ro.project = rd->project;
    }
    return e;
}

/* Reads, checks and writes the review of in; returns the exit status. */
static int review_run(const char *in, review_args *a)
{
    const char *ins[2] = {in, a->prev};
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_out_check(a->r.out, ins, a->prev ? 2 : 1, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_template *t = NULL;
    if (!sk_cli_load_template(a->r.tpath, &t))
        return SK_EXIT_FAIL;
    int phase_index, bad = sk_cli_phase("review", t, a->r.phase, &phase_index);
    if (bad) {
        sk_template_free(t);
        return bad;
    }
    review_data rd;
    memset(&rd, 0, sizeof rd);
    sk_error e = review_read(in, a, t, phase_index, &rd, &d);
    if (e) {
        sk_diag_file(&d, in);
        sk_cli_report(&d);
        review_data_free(&rd, a->prev);
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    int status = sk_answers_has_errors(rd.a) ? SK_EXIT_FINDINGS : SK_EXIT_OK;
    int n_findings = 0;
    for (int i = 0; i < rd.a->n_items; i++)
        n_findings += rd.a->items[i].n_findings;
    e = sk_review_write(rd.a, a->r.out, &a->ro, &d);
    review_data_free(&rd, a->prev);
    sk_template_free(t);
    if (e) {
        sk_diag_file(&d, a->r.out);
        sk_cli_report_lang(&d, a->ro.lang);
        return SK_EXIT_FAIL;
    }
    char note[64];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(note, sizeof note, sk_msg(SK_MSG_FINDINGS_NOTE), n_findings); /* a catalogue constant */
#pragma GCC diagnostic pop
    sk_cli_wrote(a->r.out, note);
    return sk_cli_finish(status);
}

/* Checks the arguments and loads the letter and the passwords, then runs. */
static int review_setup(int argc, char **argv, review_args *a)
{
    if (optind + 1 != argc)
        return sk_cli_usage_msg("review", SK_MSG_ONE_INPUT);
    if (!a->r.out)
        return sk_cli_usage_msg("review", SK_MSG_OUTPUT_REQUIRED);
    if (!sk_cli_source_date("review", &a->ro.created))
        return SK_EXIT_FAIL;
    if (a->settings && !sk_letter_load("review", a->settings, &a->letter))
        return SK_EXIT_FAIL;
    if (!sk_letter_apply("review", &a->letter, &a->ro))
        return SK_EXIT_FAIL;
    sk_cli_open open;
    if (!sk_cli_open_init(&open, a->r.pwfile, a->r.convert, 0, a->ro.lang, true))
        return SK_EXIT_FAIL;
    a->xo.open = &open.opts;
    int status = review_run(argv[optind], a);
    sk_cli_open_free(&open);
    return status;
}

int sk_cmd_review(int argc, char **argv)
{
    review_args a = {0};
    sk_cli_read_args_init(&a.r);
    int status = sk_cli_getopt(argc, argv, "o:h", options, take_option, &a);
    if (status >= 0)
        return status;
    a.ro.lang = a.r.lang;
    status = review_setup(argc, argv, &a);
    sk_letter_free(&a.letter);
    return status;
}
