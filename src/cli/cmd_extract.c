/* sechk extract / check — read filled workbooks into answers (and findings). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/csv.h"
#include "sechk/extract.h"
#include "sechk/json.h"
#include "sechk/output.h"
#include "sechk/reason.h"
#include "sechk/report.h"
#include "sechk/validate.h"

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

/* --cp932-fallback: one line per character replaced by 〓. */
static void note_fallback(const void *ctx, const char *where, const char *ch, unsigned cp)
{
    fputs("sechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_CP932_REPLACED, (const char *)ctx, where, ch, cp);
    fputc('\n', stderr);
}

/* The long options (the limits' are added by sk_cli_getopt). */
static const struct option options[] = {
    SK_CLI_READ_OPTIONS,
    {"format", required_argument, NULL, 'f'}, {"encoding", required_argument, NULL, 'e'},
    {"no-bom", no_argument, NULL, 'B'},       {"header", required_argument, NULL, 'H'},
    {"layout", required_argument, NULL, 'L'}, {"cp932-fallback", no_argument, NULL, 'F'},
    {"sheet", required_argument, NULL, 's'},  {"help", no_argument, NULL, 'h'},
    SK_CLI_OPEN_OPTIONS,                      {NULL, 0, NULL, 0},
};

/* The parsed command line. */
typedef struct extract_args {
    const char *cmd; /* "extract" or "check" */
    bool is_check;
    int fmt;
    bool cp932, csv_opt; /* --encoding cp932; a CSV-only option given */
    sk_csv_options csv;
    sk_extract_opts xo;
    sk_cli_read_args r;
} extract_args;

/* The state of a run over the inputs. */
typedef struct extract_run {
    const sk_template *t;
    int phase_index;
    sk_buf text;     /* the output */
    bool json_array; /* one input gives an object, several an array */
    bool color;
    int n_ok, status;
} extract_run;

/* Takes one of the CSV's options c into a; returns -1, or the usage status. */
static int take_csv_option(int c, extract_args *a)
{
    switch (c) {
    case 'B': a->csv.bom = false; break;
    case 'H':
        if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
            return sk_cli_usage_msg(a->cmd, SK_MSG_BAD_HEADER, optarg);
        a->csv.header_ja = strcmp(optarg, "ja") == 0;
        break;
    case 'L':
        if (strcmp(optarg, "long") != 0 && strcmp(optarg, "item") != 0)
            return sk_cli_usage_msg(a->cmd, SK_MSG_BAD_LAYOUT, optarg);
        a->csv.layout_item = strcmp(optarg, "item") == 0;
        break;
    default: a->csv.cp932_fallback = true; break; /* 'F' */
    }
    a->csv_opt = true;
    return -1;
}

/* Takes option c into a; returns -1, or the exit status to stop with. */
static int take_option(int c, char **argv, void *args)
{
    extract_args *a = args;
    bool chk = a->is_check;
    switch (c) {
    case 'f':
        if (strcmp(optarg, "json") == 0)
            a->fmt = FMT_JSON;
        else if (strcmp(optarg, "csv") == 0 && !chk)
            a->fmt = FMT_CSV;
        else if (strcmp(optarg, "text") == 0 && chk)
            a->fmt = FMT_TEXT;
        else
            return sk_cli_usage_msg(a->cmd, SK_MSG_BAD_FORMAT, chk ? "text" : "json", chk ? "json" : "csv", optarg);
        return -1;
    case 'e':
        if (!sk_cli_parse_encoding(optarg, &a->cp932))
            return sk_cli_usage_msg(a->cmd, SK_MSG_BAD_ENCODING, optarg);
        return -1;
    case 'B':
    case 'H':
    case 'L':
    case 'F': return take_csv_option(c, a);
    case 's': a->xo.sheet = optarg; return -1;
    case 'h': return sk_cli_help(chk ? SK_MSG_HELP_CHECK : SK_MSG_HELP_EXTRACT, false);
    default: return sk_cli_read_opt(a->cmd, c, argv, &a->r);
    }
}

/* Reports an input that could not be read; in a text report going to a file
 * or a pipe, also as the report's line. */
static void report_unreadable(const extract_args *a, const char *input, const sk_diag *d, extract_run *run)
{
    sk_cli_report(d);
    run->status = SK_EXIT_FAIL;
    /* each error once: on a terminal the line above is the report's too; a
     * report going to a file or a pipe keeps the file's line (translated),
     * so that the saved report still names every input it could not read */
    if (a->fmt == FMT_TEXT && (a->r.out || !isatty(STDOUT_FILENO))) {
        sk_diag shown = *d;
        char reason[sizeof d->reason + 256];
        snprintf(shown.reason, sizeof shown.reason, "%s", sk_diag_reason(d, a->r.lang, reason, sizeof reason));
        sk_report_unreadable(&run->text, input, &shown, a->r.lang);
    }
}

/* Appends the answers a of input in the chosen format to run->text. */
static sk_error format_answers(extract_args *a, const char *input, const sk_answers *ans, extract_run *run, sk_diag *d)
{
    sk_error e;
    if (a->fmt == FMT_JSON && run->json_array) {
        e = sk_buf_append(&run->text, run->n_ok > 1 ? ",\n  " : "\n  ");
        if (!e)
            e = sk_json_write_answers(ans, a->r.lang, 1, &run->text);
    } else if (a->fmt == FMT_JSON) {
        e = sk_json_write_answers(ans, a->r.lang, 0, &run->text);
        if (!e)
            e = sk_buf_putc(&run->text, '\n');
    } else if (a->fmt == FMT_CSV) {
        a->csv.note_ctx = input;
        e = sk_csv_answers(ans, &a->csv, &run->text, d);
    } else {
        e = sk_report_text(ans, a->r.lang, run->color, &run->text);
    }
    return e;
}

/* Reads, checks and formats one input; false when the run must stop. */
static bool extract_one(extract_args *a, const char *input, extract_run *run)
{
    sk_answers *ans = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    sk_error e = sk_extract_file_opts(input, run->t, &a->r.limits, &a->xo, &ans, &d);
    if (!e)
        e = sk_validate(ans, run->phase_index, &d);
    if (e) {
        sk_diag_file(&d, input);
        report_unreadable(a, input, &d, run);
        return true;
    }
    run->n_ok++;
    if (sk_answers_has_errors(ans) && run->status == SK_EXIT_OK && a->is_check)
        run->status = SK_EXIT_FINDINGS;
    e = format_answers(a, input, ans, run, &d);
    sk_answers_free(ans);
    if (e) {
        sk_diag_file(&d, input);
        if (!d.reason[0])
            sk_diag_set(&d, e, "%s", sk_strerror(e));
        sk_cli_report(&d);
        run->status = SK_EXIT_FAIL;
        if (e != SK_ERR_ENCODING)
            return false;
    }
    return true;
}

/* Writes the output to -o's file or stdout; nothing to -o when no input
 * could be read. */
static void write_output(const extract_args *a, extract_run *run)
{
    if (a->r.out && run->n_ok == 0) {
        /* nothing could be read: leave no output behind */
    } else if (a->r.out) {
        sk_diag d;
        sk_diag_clear(&d);
        if (sk_out_write_file(a->r.out, run->text.data ? run->text.data : "", run->text.len, &d) != SK_OK) {
            sk_cli_report_lang(&d, a->r.lang);
            run->status = SK_EXIT_FAIL;
        } else {
            sk_cli_wrote(a->r.out, NULL);
        }
    } else {
        fwrite(run->text.data ? run->text.data : "", 1, run->text.len, stdout);
    }
}

/* Runs over the inputs into run (its status and text); false when the CSV
 * could not begin (reported; nothing to write). */
static bool extract_inputs(extract_args *a, char *const *inputs, int n_inputs, extract_run *run)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (a->fmt == FMT_CSV && sk_csv_begin(run->t, &a->csv, &run->text, &d) != SK_OK) {
        sk_cli_report(&d);
        return false;
    }
    run->json_array = a->fmt == FMT_JSON && n_inputs > 1;
    if (run->json_array)
        sk_buf_putc(&run->text, '[');
    run->color = a->fmt == FMT_TEXT && !a->r.out && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    for (int i = 0; i < n_inputs; i++)
        if (!extract_one(a, inputs[i], run))
            break;
    if (run->json_array && sk_buf_append(&run->text, run->n_ok > 0 ? "\n]\n" : "]\n") != SK_OK) {
        fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NOMEM));
        run->status = SK_EXIT_FAIL;
    }
    return true;
}

/* Checks the arguments, loads the passwords and the template, runs over the
 * inputs and writes the output; returns the exit status. */
static int extract_setup(extract_args *a, char *const *inputs, int n_inputs)
{
    if (n_inputs <= 0)
        return sk_cli_usage_msg(a->cmd, SK_MSG_NO_INPUT);
    if (a->cp932 && a->fmt != FMT_CSV)
        return sk_cli_usage_msg(a->cmd, SK_MSG_CP932_CSV_ONLY);
    if (a->csv_opt && a->fmt != FMT_CSV)
        return sk_cli_usage_msg(a->cmd, SK_MSG_CSV_ONLY);
    if (a->csv.cp932_fallback && !a->cp932)
        return sk_cli_usage_msg(a->cmd, SK_MSG_FALLBACK_NEEDS_CP932);
    a->csv.cp932 = a->cp932;
    sk_diag d;
    sk_diag_clear(&d);
    if (a->r.out && sk_out_check(a->r.out, (const char *const *)inputs, n_inputs, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_cli_open open;
    if (!sk_cli_open_init(&open, a->r.pwfile, a->r.convert, 0, a->r.lang, true))
        return SK_EXIT_FAIL;
    a->xo.open = &open.opts;
    sk_template *t = NULL;
    if (!sk_cli_load_template(a->r.tpath, &t)) {
        sk_cli_open_free(&open);
        return SK_EXIT_FAIL;
    }
    extract_run run = {.t = t, .text = SK_BUF_INIT, .status = SK_EXIT_OK};
    int status = sk_cli_phase(a->cmd, t, a->r.phase, &run.phase_index);
    bool ran = !status && extract_inputs(a, inputs, n_inputs, &run);
    if (!status && !ran)
        status = SK_EXIT_FAIL;
    sk_template_free(t);
    sk_cli_open_free(&open);
    if (ran) {
        write_output(a, &run);
        status = sk_cli_finish(run.status);
    }
    sk_buf_free(&run.text);
    return status;
}

/* Runs extract (is_check false) or check (true). */
static int run(int argc, char **argv, bool is_check)
{
    extract_args a = {.cmd = is_check ? "check" : "extract",
                      .is_check = is_check,
                      .fmt = is_check ? FMT_TEXT : FMT_JSON,
                      .csv = {.bom = true, .note = note_fallback}};
    sk_cli_read_args_init(&a.r);
    int status = sk_cli_getopt(argc, argv, "f:o:h", options, take_option, &a);
    if (status >= 0)
        return status;
    return extract_setup(&a, argv + optind, argc - optind);
}

int sk_cmd_extract(int argc, char **argv)
{
    return run(argc, argv, false);
}

int sk_cmd_check(int argc, char **argv)
{
    return run(argc, argv, true);
}
