/* The letter head of review's 指摘事項 (再回答依頼): --to, --from,
 * --deadline, --project, --for, --paper, or the same keys from a settings
 * file (--settings FILE).
 *
 * The settings file: UTF-8 (a BOM is skipped), at most 64 KiB, one
 * `key = value` a line; blank lines and lines starting with # are skipped;
 * spaces around key and value are trimmed.  Keys (English or Japanese):
 * to/宛先, from/差出人, deadline/回答期限 (YYYY-MM-DD), project/事業名,
 * for/回答者 (provider|contractor), paper/用紙 (a3|a4).  An unknown key, a
 * line without '=', a repeated key or a value that is not valid UTF-8 is an
 * error naming FILE:LINE.  Options given on the command line win. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sechk/render.h"
#include "sechk/review.h"
#include "sechk/text.h"

enum { SETTINGS_MAX_BYTES = 64 * 1024, SETTINGS_MAX_VALUE = 1024 };

static const struct {
    const char *en, *ja;
} keys[SK_LETTER__COUNT] = {
    [SK_LETTER_TO] = {"to", "宛先"},
    [SK_LETTER_FROM] = {"from", "差出人"},
    [SK_LETTER_DEADLINE] = {"deadline", "回答期限"},
    [SK_LETTER_PROJECT] = {"project", "事業名"},
    [SK_LETTER_FOR] = {"for", "回答者"},
    [SK_LETTER_PAPER] = {"paper", "用紙"},
};

/* Prints "sechk: CMD: FILE:LINE: " and message id (printf arguments follow)
 * and returns false. */
static bool bad(const char *cmd, const char *path, int line, sk_msg_id id, ...)
{
    fprintf(stderr, "sechk: %s: %s:%d: ", cmd, path, line);
    va_list ap;
    va_start(ap, id);
    sk_cli_vmsg(id, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

/* Trims ASCII spaces, tabs and the ideographic space at both ends. */
static char *trim(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if (strncmp(s, "　", 3) == 0)
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        else if (n >= 3 && strncmp(s + n - 3, "　", 3) == 0)
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

/* Parses the text of a settings file (NUL-terminated, modified in place). */
static bool parse(const char *cmd, const char *path, char *text, sk_letter *l)
{
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    int line = 0;
    for (char *p = text; p && *p;) {
        line++;
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *s = trim(p);
        p = nl ? nl + 1 : NULL;
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return bad(cmd, path, line, SK_MSG_SETTINGS_NOT_KEY_VALUE);
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        int k = -1;
        for (int j = 0; j < SK_LETTER__COUNT && k < 0; j++)
            if (strcmp(key, keys[j].en) == 0 || strcmp(key, keys[j].ja) == 0)
                k = j;
        if (k < 0)
            return bad(cmd, path, line, SK_MSG_SETTINGS_UNKNOWN_KEY, key);
        if (l->file[k])
            return bad(cmd, path, line, SK_MSG_SETTINGS_REPEATED_KEY);
        if (!sk_utf8_valid(value, strlen(value)))
            return bad(cmd, path, line, SK_MSG_SETTINGS_NOT_UTF8);
        if (strlen(value) > SETTINGS_MAX_VALUE)
            return bad(cmd, path, line, SK_MSG_SETTINGS_TOO_LONG, SETTINGS_MAX_VALUE);
        if (!(l->file[k] = strdup(value)))
            return bad(cmd, path, line, SK_MSG_NOMEM);
        l->line[k] = line;
    }
    return true;
}

bool sk_letter_load(const char *cmd, const char *path, sk_letter *l)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "sechk: %s: %s: ", cmd, path);
        sk_msg_print(stderr, SK_MSG_SETTINGS_CANNOT_OPEN, strerror(errno));
        fputc('\n', stderr);
        return false;
    }
    char *text = malloc(SETTINGS_MAX_BYTES + 1);
    size_t n = text ? fread(text, 1, SETTINGS_MAX_BYTES + 1, f) : 0;
    bool err = ferror(f);
    fclose(f);
    if (!text || err) {
        free(text);
        fprintf(stderr, "sechk: %s: %s: %s\n", cmd, path, sk_msg(SK_MSG_SETTINGS_CANNOT_READ));
        return false;
    }
    if (n > SETTINGS_MAX_BYTES) {
        free(text);
        fprintf(stderr, "sechk: %s: %s: ", cmd, path);
        sk_msg_print(stderr, SK_MSG_SETTINGS_TOO_BIG, SETTINGS_MAX_BYTES / 1024);
        fputc('\n', stderr);
        return false;
    }
    text[n] = '\0';
    if (memchr(text, '\0', n)) {
        free(text);
        return bad(cmd, path, 1, SK_MSG_SETTINGS_NOT_TEXT);
    }
    l->path = path;
    bool ok = parse(cmd, path, text, l);
    free(text);
    return ok;
}

bool sk_letter_apply(const char *cmd, const sk_letter *l, sk_review_opts *ro)
{
    const char *v[SK_LETTER__COUNT];
    for (int k = 0; k < SK_LETTER__COUNT; k++)
        v[k] = l->given[k] ? l->given[k] : l->file[k];
    ro->to = v[SK_LETTER_TO];
    ro->from = v[SK_LETTER_FROM];
    ro->project = v[SK_LETTER_PROJECT];
    /* where a bad value came from: the option, or FILE:LINE */
    char where[1100];
#define WHERE(k)                                                                                                       \
    (l->given[k] ? snprintf(where, sizeof where, "--%s", keys[k].en)                                                   \
                 : snprintf(where, sizeof where, "%s:%d: %s", l->path ? l->path : "", l->line[k], keys[k].en),         \
     where)
    char ja[32];
    if (v[SK_LETTER_DEADLINE] && sk_date_format_ja(v[SK_LETTER_DEADLINE], ja) != SK_OK) {
        sk_cli_usage_msg(cmd, SK_MSG_BAD_DEADLINE, WHERE(SK_LETTER_DEADLINE), v[SK_LETTER_DEADLINE]);
        return false;
    }
    ro->deadline = v[SK_LETTER_DEADLINE];
    const char *fr = v[SK_LETTER_FOR];
    if (fr && strcmp(fr, "provider") != 0 && strcmp(fr, "contractor") != 0 && strcmp(fr, "提供者") != 0 &&
        strcmp(fr, "受託者") != 0 && strcmp(fr, "both") != 0) {
        sk_cli_usage_msg(cmd, SK_MSG_BAD_FOR, WHERE(SK_LETTER_FOR), fr);
        return false;
    }
    ro->only = !fr || strcmp(fr, "both") == 0                             ? 0
               : strcmp(fr, "provider") == 0 || strcmp(fr, "提供者") == 0 ? 1 + SK_PROVIDER
                                                                          : 1 + SK_CONTRACTOR;
    if (v[SK_LETTER_PAPER] && !sk_paper_parse(v[SK_LETTER_PAPER], &ro->paper)) {
        sk_cli_usage_msg(cmd, SK_MSG_BAD_PAPER, WHERE(SK_LETTER_PAPER), v[SK_LETTER_PAPER]);
        return false;
    }
#undef WHERE
    return true;
}

void sk_letter_free(sk_letter *l)
{
    for (int k = 0; k < SK_LETTER__COUNT; k++) {
        free(l->file[k]);
        l->file[k] = NULL;
    }
}
