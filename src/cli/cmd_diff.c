/* sechk diff — compare a resubmission with the previous round. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/diff.h"
#include "sechk/diffbook.h"
#include "sechk/output.h"

int sk_cmd_diff(int argc, char **argv)
{
    static const struct option own[] = {
        {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
        {"phase", required_argument, NULL, 'p'},    {"lang", required_argument, NULL, 'l'},
        {"template", required_argument, NULL, 't'}, {"old-template", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},           SK_CLI_OPEN_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct option opts[64];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    const char *out = NULL, *phase = "auto", *tpath = NULL, *otpath = NULL, *format = "text";
    const char *pwfile = NULL;
    bool convert = false;
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
                return sk_cli_usage_msg("diff", SK_MSG_BAD_LANG, optarg);
            break;
        case 't': tpath = optarg; break;
        case 'T': otpath = optarg; break;
        case SK_OPT_PASSWORD_FILE: pwfile = optarg; break;
        case SK_OPT_CONVERT: convert = true; break;
        case SK_OPT_PASSWORD: return sk_cli_password_refused("diff");
        case 'h':
            fputs(sk_msg(SK_MSG_HELP_DIFF), stdout);
            fputs(sk_msg(SK_MSG_HELP_OPEN), stdout);
            fputs(sk_msg(SK_MSG_HELP_LIMITS_LINE), stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default:
            if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT) {
                if (!sk_cli_limit("diff", c, optarg, &limits))
                    return SK_EXIT_FAIL;
                break;
            }
            return sk_cli_bad_option("diff", argv);
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return sk_cli_usage_msg("diff", SK_MSG_BAD_FORMAT, "text", "json", format);
    if (optind + 2 != argc)
        return sk_cli_usage_msg("diff", SK_MSG_DIFF_TWO_INPUTS);
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
    sk_cli_open open;
    if (!sk_cli_open_init(&open, pwfile, convert, 0, lang, true)) {
        sk_template_free(ot);
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
        if (sk_diff_input_load(inputs[k], tt[k], &limits, &open.opts, phase_index[k], &in[k], &d) != SK_OK) {
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
        fprintf(stderr, "sechk: diff: %s\n", sk_msg(SK_MSG_NOMEM));
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
    sk_cli_open_free(&open);
    return status;
}
