/* sechk command line — helpers shared by the subcommands. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "open_opts.h"
#include "sechk/diff.h"
#include "sechk/reason.h"
#include "sechk/text.h"

/* Writes s with control characters (a newline in a file name or in a
 * library's message) shown as '?', so that a report stays on one line. */
static void put_line_safe(const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s, stderr);
}

void sk_cli_report(const sk_diag *d)
{
    fputs("sechk: ", stderr);
    if (d->file[0]) {
        put_line_safe(d->file);
        fputs(": ", stderr);
    }
    if (d->where[0]) {
        put_line_safe(d->where);
        fputs(": ", stderr);
    }
    char reason[sizeof d->reason + 256];
    put_line_safe(sk_diag_reason(d, sk_msg_lang(), reason, sizeof reason));
    /* a limit's message names its option: say how to raise it */
    const char *opt = d->code == SK_ERR_LIMIT ? strstr(d->reason, "(limit --max-") : NULL;
    if (opt) {
        opt += strlen("(limit ");
        int len = (int)strcspn(opt, ") ");
        sk_msg_print(stderr, SK_MSG_RAISE_LIMIT, len, opt);
    }
    fputc('\n', stderr);
}

void sk_cli_vmsg(sk_msg_id id, va_list ap)
{
    /* the format is a catalogue constant (see msg.c) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vfprintf(stderr, sk_msg(id), ap);
#pragma GCC diagnostic pop
}

int sk_cli_help(sk_msg_id own, bool letter)
{
    fputs(sk_msg(own), stdout);
    if (letter)
        fputs(sk_msg(SK_MSG_HELP_LETTER), stdout);
    fputs(sk_msg(SK_MSG_HELP_OPEN), stdout);
    fputs(sk_msg(SK_MSG_HELP_LIMITS_LINE), stdout);
    return sk_cli_finish(SK_EXIT_OK);
}

int sk_cli_plain_opt(const char *cmd, int c, char **argv, sk_msg_id help)
{
    sk_lang lang;
    switch (c) {
    case 'h': fputs(sk_msg(help), stdout); return sk_cli_finish(SK_EXIT_OK);
    case 'l':
        if (!sk_cli_parse_lang(optarg, &lang))
            return sk_cli_usage_msg(cmd, SK_MSG_BAD_LANG, optarg);
        return -1;
    default: return sk_cli_bad_option(cmd, argv);
    }
}

bool sk_cli_source_date(const char *cmd, time_t *out)
{
    *out = 0;
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0 || v > 253402300799LL) { /* up to 9999-12-31 */
        sk_cli_usage_msg(cmd, SK_MSG_BAD_SOURCE_DATE, s);
        return false;
    }
    *out = (time_t)v;
    return true;
}

int sk_cli_usage_msg(const char *cmd, sk_msg_id id, ...)
{
    va_list ap;
    fprintf(stderr, "sechk: %s: ", cmd);
    va_start(ap, id);
    sk_cli_vmsg(id, ap);
    va_end(ap);
    fputs("\nsechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_USAGE_HINT, cmd);
    fputc('\n', stderr);
    return SK_EXIT_FAIL;
}

int sk_cli_bad_option(const char *cmd, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    return sk_cli_usage_msg(cmd, SK_MSG_INVALID_OPTION, arg);
}

bool sk_cli_load_template(const char *path, sk_template **t)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_error e = path ? sk_template_load_file(path, t, &d) : sk_template_load_default(t, &d);
    if (e) {
        sk_cli_report(&d);
        return false;
    }
    return true;
}

bool sk_cli_args_utf8(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!sk_utf8_valid(argv[i], strlen(argv[i]))) {
            fputs("sechk: ", stderr);
            sk_msg_print(stderr, SK_MSG_ARG_NOT_UTF8, i);
            fputc('\n', stderr);
            return false;
        }
    return true;
}

bool sk_cli_parse_lang(const char *s, sk_lang *out)
{
    if (strcmp(s, "ja") == 0)
        *out = SK_LANG_JA;
    else if (strcmp(s, "en") == 0)
        *out = SK_LANG_EN;
    else
        return false;
    return true;
}

bool sk_cli_parse_encoding(const char *arg, bool *cp932)
{
    if (strcmp(arg, "cp932") == 0 || strcmp(arg, "CP932") == 0 || strcmp(arg, "sjis") == 0)
        *cp932 = true;
    else if (strcmp(arg, "utf-8") == 0 || strcmp(arg, "UTF-8") == 0 || strcmp(arg, "utf8") == 0)
        *cp932 = false;
    else
        return false;
    return true;
}

int sk_cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fputs("sechk: ", stderr);
        sk_msg_print(stderr, SK_MSG_CANNOT_WRITE, strerror(errno ? errno : EIO));
        fputc('\n', stderr);
        return SK_EXIT_FAIL;
    }
    return status;
}

/* The limit options: name, field, whether it is 32-bit, and its range. */
static const struct limit_opt {
    const char *name;
    size_t offset;
    bool is32;
} limit_opts[SK_OPT_LIMIT_COUNT] = {
    {"max-file-bytes", offsetof(sk_limits, file_bytes), false},
    {"max-entry-bytes", offsetof(sk_limits, entry_bytes), false},
    {"max-total-bytes", offsetof(sk_limits, total_bytes), false},
    {"max-ratio", offsetof(sk_limits, ratio), true},
    {"max-entries", offsetof(sk_limits, entries), true},
    {"max-cells", offsetof(sk_limits, cells), false},
    {"max-strings", offsetof(sk_limits, strings), false},
    {"max-string-bytes", offsetof(sk_limits, string_bytes), false},
    {"max-sheets", offsetof(sk_limits, sheets), true},
};

/* Copies own (NULL-terminated) and the limit options into out (cap entries,
 * NULL-terminated). */
static void options(const struct option *own, struct option *out, size_t cap)
{
    size_t n = 0;
    for (; own[n].name && n + 1 < cap; n++)
        out[n] = own[n];
    for (int k = 0; k < SK_OPT_LIMIT_COUNT && n + 1 < cap; k++, n++)
        out[n] = (struct option){limit_opts[k].name, required_argument, NULL, SK_OPT_LIMIT + k};
    out[n] = (struct option){NULL, 0, NULL, 0};
}

int sk_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *own, sk_cli_take_fn *take,
                  void *args)
{
    struct option opts[64];
    options(own, opts, sizeof opts / sizeof *opts);
    int c, status;
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1)
        if ((status = take(c, argv, args)) >= 0)
            return status;
    return -1;
}

bool sk_cli_limit(const char *cmd, int c, const char *arg, sk_limits *l)
{
    const struct limit_opt *lo = &limit_opts[c - SK_OPT_LIMIT];
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned long long max = lo->is32 ? UINT32_MAX : (1ULL << 50);
    if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
        char name[40];
        snprintf(name, sizeof name, "--%s", lo->name);
        sk_cli_usage_msg(cmd, SK_MSG_BAD_INTEGER, name, max, arg);
        return false;
    }
    char *field = (char *)l + lo->offset;
    if (lo->is32) {
        uint32_t v32 = (uint32_t)v;
        memcpy(field, &v32, sizeof v32);
    } else {
        uint64_t v64 = v;
        memcpy(field, &v64, sizeof v64);
    }
    return true;
}

void sk_cli_report_lang(const sk_diag *d, sk_lang lang)
{
    if (d->code != SK_ERR_WRITE) {
        sk_cli_report(d);
        return;
    }
    fputs("sechk: ", stderr);
    if (d->file[0]) {
        put_line_safe(d->file);
        fputs(": ", stderr);
    }
    fputs(sk_msg_text(SK_MSG_CANNOT_WRITE_PREFIX, lang), stderr);
    char reason[sizeof d->reason + 256];
    put_line_safe(sk_diag_reason_plain(d, lang, reason, sizeof reason));
    fputc('\n', stderr);
}

void sk_cli_wrote(const char *path, const char *note)
{
    if (!isatty(STDERR_FILENO))
        return;
    fputs("sechk: ", stderr);
    if (note && *note)
        sk_msg_print(stderr, SK_MSG_WRITTEN_NOTE, path, note);
    else
        sk_msg_print(stderr, SK_MSG_WRITTEN, path);
    fputc('\n', stderr);
}

int sk_cli_wrote_one(const char *out, sk_error e, const sk_diag *d)
{
    if (e) {
        sk_cli_report_lang(d, sk_msg_lang());
        return SK_EXIT_FAIL;
    }
    sk_cli_wrote(out, NULL);
    return sk_cli_finish(SK_EXIT_OK);
}

int sk_cli_phase(const char *cmd, const sk_template *t, const char *name, int *index)
{
    if (sk_template_phase_parse(t, name, index))
        return 0;
    char names[512];
    sk_template_phase_names(t, names, sizeof names);
    return sk_cli_usage_msg(cmd, SK_MSG_BAD_PHASE, name, names);
}

int sk_cli_review_opt(const char *cmd, int c, char **argv, sk_letter *letter, const char **settings,
                      sk_cli_read_args *r)
{
    if (c >= SK_OPT_LETTER && c < SK_OPT_SETTINGS) {
        letter->given[c - SK_OPT_LETTER] = optarg;
        return -1;
    }
    if (c == SK_OPT_SETTINGS) {
        *settings = optarg;
        return -1;
    }
    return sk_cli_read_opt(cmd, c, argv, r);
}

void sk_cli_diff_sides(const sk_diff_input *old, const sk_diff_input *nw, sk_diff_sides *out)
{
    *out = (sk_diff_sides){
        .old_template_id = old->template_id,
        .old_template_version = old->template_version,
        .new_template_id = nw->template_id,
        .new_template_version = nw->template_version,
        .old_replies = old->replies,
        .new_replies = nw->replies,
        .old_project = old->project,
        .new_project = nw->project,
    };
}
