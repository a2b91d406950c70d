/* sechk diff — compare a resubmission with the previous round. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/diffbook.h"
#include "sechk/output.h"

/* The long options (the limits' are added by sk_cli_getopt). */
static const struct option options[] = {
    SK_CLI_READ_OPTIONS,              {"format", required_argument, NULL, 'f'},
    {"old-template", required_argument, NULL, 'T'}, {"help", no_argument, NULL, 'h'},
    SK_CLI_OPEN_OPTIONS,              {NULL, 0, NULL, 0},
};

/* The parsed command line. */
typedef struct diff_args {
    const char *otpath, *format;
    sk_cli_read_args r;
    time_t created; /* SOURCE_DATE_EPOCH, or 0: now */
} diff_args;

/* What diff read and computed. */
typedef struct diff_run {
    const sk_template *tt[2]; /* the old and the new side's templates */
    sk_diff_input in[2];
    sk_diff *df;
    sk_buf buf;
} diff_run;

/* Takes option c into a; returns -1, or the exit status to stop with. */
static int take_option(int c, char **argv, void *args)
{
    diff_args *a = args;
    switch (c) {
    case 'f': a->format = optarg; return -1;
    case 'T': a->otpath = optarg; return -1;
    case 'h': return sk_cli_help(SK_MSG_HELP_DIFF, false);
    default: return sk_cli_read_opt("diff", c, argv, &a->r);
    }
}

/* Reads both sides, compares them and formats the report into run->buf;
 * false after reporting. */
static bool compare(const diff_args *a, const char *const inputs[2], const sk_open_opts *open, diff_run *run)
{
    sk_diag d;
    int phase_index[2] = {-1, -1};
    for (int k = 0; k < 2; k++)
        if (sk_cli_phase("diff", run->tt[k], a->r.phase, &phase_index[k]))
            return false;
    for (int k = 0; k < 2; k++) {
        sk_diag_clear(&d);
        const sk_extract_opts xo = {.open = open};
        if (sk_diff_input_load(inputs[k], run->tt[k], &a->r.limits, &xo, phase_index[k], &run->in[k], &d) != SK_OK) {
            sk_diag_file(&d, inputs[k]);
            sk_cli_report(&d);
            return false;
        }
    }
    const sk_diff_input *in = run->in;
    sk_diff_sides sides;
    sk_cli_diff_sides(&in[0], &in[1], &sides);
    sk_diag_clear(&d);
    if (sk_diff_compute(in[0].a, in[1].a, &sides, &run->df, &d) != SK_OK) {
        sk_cli_report(&d);
        return false;
    }
    bool json = strcmp(a->format, "json") == 0;
    sk_error e =
        json ? sk_diff_json(run->df, &sides, a->r.lang, &run->buf) : sk_diff_text(run->df, a->r.lang, &run->buf);
    if (!e && json)
        e = sk_buf_putc(&run->buf, '\n');
    if (e) {
        fprintf(stderr, "sechk: diff: %s\n", sk_msg(SK_MSG_NOMEM));
        return false;
    }
    return true;
}

/* Compares, writes -o's workbook and the report; returns the exit status. */
static int diff_report(const diff_args *a, const char *const inputs[2], const sk_open_opts *open, diff_run *run)
{
    if (!compare(a, inputs, open, run))
        return SK_EXIT_FAIL;
    if (a->r.out) {
        sk_diffbook_opts bo = {.lang = a->r.lang, .created = a->created};
        sk_diag d;
        sk_diag_clear(&d);
        if (sk_diff_write(run->df, a->r.out, &bo, &d) != SK_OK) {
            sk_diag_file(&d, a->r.out);
            sk_cli_report(&d);
            return SK_EXIT_FAIL;
        }
    }
    fwrite(run->buf.data, 1, run->buf.len, stdout);
    return sk_cli_finish(sk_diff_changed(run->df) ? SK_EXIT_FINDINGS : SK_EXIT_OK);
}

/* Loads the templates and the passwords, then compares; returns the exit status. */
static int diff_setup(const diff_args *a, const char *const inputs[2])
{
    sk_template *t = NULL, *ot = NULL;
    if (!sk_cli_load_template(a->r.tpath, &t))
        return SK_EXIT_FAIL;
    if (a->otpath && !sk_cli_load_template(a->otpath, &ot)) {
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    sk_cli_open open;
    if (!sk_cli_open_init(&open, a->r.pwfile, a->r.convert, 0, a->r.lang, true)) {
        sk_template_free(ot);
        sk_template_free(t);
        return SK_EXIT_FAIL;
    }
    diff_run run = {.tt = {ot ? ot : t, t}};
    int status = diff_report(a, inputs, &open.opts, &run);
    sk_buf_free(&run.buf);
    sk_diff_free(run.df);
    sk_diff_input_clear(&run.in[0]);
    sk_diff_input_clear(&run.in[1]);
    sk_template_free(ot);
    sk_template_free(t);
    sk_cli_open_free(&open);
    return status;
}

int sk_cmd_diff(int argc, char **argv)
{
    diff_args a = {.format = "text"};
    sk_cli_read_args_init(&a.r);
    int status = sk_cli_getopt(argc, argv, "f:o:h", options, take_option, &a);
    if (status >= 0)
        return status;
    if (strcmp(a.format, "text") != 0 && strcmp(a.format, "json") != 0)
        return sk_cli_usage_msg("diff", SK_MSG_BAD_FORMAT, "text", "json", a.format);
    if (optind + 2 != argc)
        return sk_cli_usage_msg("diff", SK_MSG_DIFF_TWO_INPUTS);
    /* the workbook of -o pins its creation time, as review's does */
    if (a.r.out && !sk_cli_source_date("diff", &a.created))
        return SK_EXIT_FAIL;
    const char *const inputs[2] = {argv[optind], argv[optind + 1]};
    sk_diag d;
    sk_diag_clear(&d);
    if (a.r.out && sk_out_check(a.r.out, inputs, 2, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    return diff_setup(&a, inputs);
}
