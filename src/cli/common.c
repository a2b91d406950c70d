/* sechk command line — helpers shared by the subcommands. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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
    put_line_safe(d->reason[0] ? d->reason : sk_strerror(d->code));
    /* a limit's message names its option: say how to raise it */
    const char *opt = d->code == SK_ERR_LIMIT ? strstr(d->reason, "(limit --max-") : NULL;
    if (opt) {
        opt += strlen("(limit ");
        int len = (int)strcspn(opt, ") ");
        fprintf(stderr, "; if the file is trusted, raise the limit with %.*s N", len, opt);
    }
    fputc('\n', stderr);
}

int sk_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sechk: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsechk: '%s --help' で使い方を表示します (see '%s --help')\n", cmd, cmd);
    return SK_EXIT_FAIL;
}

int sk_cli_phase(const char *cmd, const sk_template *t, const char *arg, int *phase)
{
    *phase = -1;
    if (!arg || strcmp(arg, "auto") == 0 || (*phase = sk_template_phase(t, arg)) >= 0)
        return 0;
    return sk_cli_usage(cmd, "--phase: 不明な段階です '%s' (selection|development|operation|disposal|auto, 選定|開発|運用|廃棄)",
                        arg);
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
            fprintf(stderr, "sechk: argument %d is not valid UTF-8\n", i);
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

int sk_cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "sechk: cannot write the output: %s\n", strerror(errno ? errno : EIO));
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

const char sk_cli_limits_help[] =
    "入力の上限 / input limits (docs/security.md):\n"
    "      --max-file-bytes N    圧縮ファイルの大きさ (default 104857600 = 100 MiB)\n"
    "      --max-entry-bytes N   zip の 1 エントリの展開後 (default 268435456 = 256 MiB)\n"
    "      --max-total-bytes N   展開後の合計 (default 1073741824 = 1 GiB)\n"
    "      --max-ratio N         1 MiB を超えるエントリの圧縮率 (default 100)\n"
    "      --max-entries N       zip のエントリ数 (default 10000)\n"
    "      --max-cells N         1 シートのセル数 (default 5000000)\n"
    "      --max-strings N       共有文字列の数 (default 5000000)\n"
    "      --max-string-bytes N  1 セルの文字列 (default 1048576 = 1 MiB)\n"
    "      --max-sheets N        シート数 (default 1000)\n";

void sk_cli_options(const struct option *own, struct option *out, size_t cap)
{
    size_t n = 0;
    for (; own[n].name && n + 1 < cap; n++)
        out[n] = own[n];
    for (int k = 0; k < SK_OPT_LIMIT_COUNT && n + 1 < cap; k++, n++)
        out[n] = (struct option){limit_opts[k].name, required_argument, NULL, SK_OPT_LIMIT + k};
    out[n] = (struct option){NULL, 0, NULL, 0};
}

bool sk_cli_limit(const char *cmd, int c, const char *arg, sk_limits *l)
{
    const struct limit_opt *lo = &limit_opts[c - SK_OPT_LIMIT];
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned long long max = lo->is32 ? UINT32_MAX : (1ULL << 50);
    if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
        sk_cli_usage(cmd, "--%s: 1 から %llu までの整数を指定してください (an integer 1..%llu): '%s'", lo->name, max,
                     max, arg);
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
    fputs(lang == SK_LANG_JA ? "書き込めません：" : "cannot write: ", stderr);
    put_line_safe(d->reason[0] ? d->reason : sk_strerror(d->code));
    fputc('\n', stderr);
}

void sk_cli_wrote(const char *path, const char *note)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (note && *note)
        fprintf(stderr, "sechk: 書き出しました (written): %s（%s）\n", path, note);
    else
        fprintf(stderr, "sechk: 書き出しました (written): %s\n", path);
}

int sk_cli_review_opt(const char *cmd, int c, const char *arg, sk_letter *letter, const char **settings,
                      sk_limits *limits)
{
    if (c >= SK_OPT_LETTER && c < SK_OPT_SETTINGS) {
        letter->given[c - SK_OPT_LETTER] = arg;
        return 0;
    }
    if (c == SK_OPT_SETTINGS) {
        *settings = arg;
        return 0;
    }
    if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT)
        return sk_cli_limit(cmd, c, arg, limits) ? 0 : SK_EXIT_FAIL;
    return sk_cli_usage(cmd, "不正なオプションです (invalid option)");
}
