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
        {"help", no_argument, NULL, 'h'},           SK_CLI_OPEN_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct option opts[64];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    int fmt = is_check ? FMT_TEXT : FMT_JSON;
    bool cp932 = false, csv_opt = false;
    sk_csv_options csv = {.bom = true, .note = note_fallback};
    const char *out = NULL, *phase = "auto", *tpath = NULL, *pwfile = NULL;
    bool convert = false;
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
                return sk_cli_usage_msg(cmd, SK_MSG_BAD_FORMAT, is_check ? "text" : "json", is_check ? "json" : "csv",
                                        optarg);
            break;
        case 'e':
            if (strcmp(optarg, "cp932") == 0 || strcmp(optarg, "CP932") == 0 || strcmp(optarg, "sjis") == 0)
                cp932 = true;
            else if (strcmp(optarg, "utf-8") == 0 || strcmp(optarg, "UTF-8") == 0 || strcmp(optarg, "utf8") == 0)
                cp932 = false;
            else
                return sk_cli_usage_msg(cmd, SK_MSG_BAD_ENCODING, optarg);
            break;
        case 'B': csv.bom = false, csv_opt = true; break;
        case 'H':
            if (strcmp(optarg, "ja") != 0 && strcmp(optarg, "en") != 0)
                return sk_cli_usage_msg(cmd, SK_MSG_BAD_HEADER, optarg);
            csv.header_ja = strcmp(optarg, "ja") == 0, csv_opt = true;
            break;
        case 'L':
            if (strcmp(optarg, "long") != 0 && strcmp(optarg, "item") != 0)
                return sk_cli_usage_msg(cmd, SK_MSG_BAD_LAYOUT, optarg);
            csv.layout_item = strcmp(optarg, "item") == 0, csv_opt = true;
            break;
        case 'F': csv.cp932_fallback = true, csv_opt = true; break;
        case 'o': out = optarg; break;
        case 'p': phase = optarg; break;
        case 'l':
            if (!sk_cli_parse_lang(optarg, &lang))
                return sk_cli_usage_msg(cmd, SK_MSG_BAD_LANG, optarg);
            break;
        case 't': tpath = optarg; break;
        case 's': xo.sheet = optarg; break;
        case SK_OPT_PASSWORD_FILE: pwfile = optarg; break;
        case SK_OPT_CONVERT: convert = true; break;
        case SK_OPT_PASSWORD: return sk_cli_password_refused(cmd);
        case 'h':
            fputs(sk_msg(is_check ? SK_MSG_HELP_CHECK : SK_MSG_HELP_EXTRACT), stdout);
            fputs(sk_msg(SK_MSG_HELP_OPEN), stdout);
            fputs(sk_msg(SK_MSG_HELP_LIMITS_LINE), stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default:
            if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT) {
                if (!sk_cli_limit(cmd, c, optarg, &limits))
                    return SK_EXIT_FAIL;
                break;
            }
            return sk_cli_bad_option(cmd, argv);
        }
    }
    if (optind >= argc)
        return sk_cli_usage_msg(cmd, SK_MSG_NO_INPUT);
    if (cp932 && fmt != FMT_CSV)
        return sk_cli_usage_msg(cmd, SK_MSG_CP932_CSV_ONLY);
    if (csv_opt && fmt != FMT_CSV)
        return sk_cli_usage_msg(cmd, SK_MSG_CSV_ONLY);
    if (csv.cp932_fallback && !cp932)
        return sk_cli_usage_msg(cmd, SK_MSG_FALLBACK_NEEDS_CP932);
    csv.cp932 = cp932;
    const char *const *inputs = (const char *const *)argv + optind;
    int n_inputs = argc - optind;
    sk_diag d;
    sk_diag_clear(&d);
    if (out && sk_out_check(out, inputs, n_inputs, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    sk_cli_open open;
    if (!sk_cli_open_init(&open, pwfile, convert, 0, lang, true))
        return SK_EXIT_FAIL;
    xo.open = &open.opts;
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t)) {
        sk_cli_open_free(&open);
        return SK_EXIT_FAIL;
    }
    int phase_index, bad = sk_cli_phase(cmd, t, phase, &phase_index);
    if (bad) {
        sk_template_free(t);
        sk_cli_open_free(&open);
        return bad;
    }

    int status = SK_EXIT_OK, n_ok = 0;
    sk_buf text = SK_BUF_INIT;
    bool json_array = fmt == FMT_JSON && n_inputs > 1; /* one input gives an object, several an array */
    if (fmt == FMT_CSV && sk_csv_begin(t, &csv, &text, &d) != SK_OK) {
        sk_cli_report(&d);
        sk_template_free(t);
        sk_cli_open_free(&open);
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
            /* each error once: on a terminal the line above is the report's
             * too; a report going to a file or a pipe keeps the file's line
             * (translated), so that the saved report still names every
             * input it could not read */
            if (fmt == FMT_TEXT && (out || !isatty(STDOUT_FILENO))) {
                sk_diag shown = d;
                char reason[sizeof d.reason + 256];
                snprintf(shown.reason, sizeof shown.reason, "%s", sk_diag_reason(&d, lang, reason, sizeof reason));
                sk_report_unreadable(&text, inputs[i], &shown, lang);
            }
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
        fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NOMEM));
        status = SK_EXIT_FAIL;
    }
    sk_template_free(t);
    sk_cli_open_free(&open);
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
