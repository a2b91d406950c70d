/* sechk — reading years and months as vendors write them (西暦 and 和暦).
 *
 * Accepted: 2025年4月, ２０２５年４月, 2025/4, 2025-04, 2025.4, 令和7年4月,
 * 令和元年5月, R7.4, Ｒ７．４, 平成31年4月, H31/4, 昭和64年1月, with an optional
 * day (2025年4月1日, 2025/4/1) and a trailing 頃, 予定, 末, 上旬, 中旬, 下旬, 初旬
 * or 実施.  A 〇 (or ○ ◯ X) left in place of a digit is a placeholder; month
 * 13 or an empty year is invalid. */
#include <string.h>

#include "sechk/text.h"
#include "sechk/validate.h"

/* A code-point cursor over a UTF-8 string, folding full-width ASCII. */
typedef struct cur {
    const char *s;
    size_t len, pos;
} cur;

/* The folded code point at the cursor, without moving (-1 at the end, -2
 * for an invalid byte). */
static int32_t peek(const cur *c)
{
    if (c->pos >= c->len)
        return -1;
    size_t p = c->pos;
    int32_t cp = sk_utf8_next(c->s, c->len, &p);
    return cp < 0 ? -2 : (int32_t)sk_fold_cp((uint32_t)cp);
}

/* Moves past one code point. */
static void step(cur *c)
{
    if (c->pos < c->len)
        sk_utf8_next(c->s, c->len, &c->pos);
}

/* Skips white space. */
static void skip_space(cur *c)
{
    int32_t cp;
    while ((cp = peek(c)) >= 0 && sk_is_space((uint32_t)cp))
        step(c);
}

/* Reads up to max digits; returns the count read. */
static int digits(cur *c, int max, int *value)
{
    int n = 0, v = 0;
    int32_t cp;
    while (n < max && (cp = peek(c)) >= '0' && cp <= '9') {
        v = v * 10 + (cp - '0');
        step(c);
        n++;
    }
    *value = v;
    return n;
}

/* True if the cursor is at the text t (compared after folding full-width
 * ASCII, so "R" also matches "Ｒ" and "." matches "．"); moves past it. */
static bool eat(cur *c, const char *t)
{
    cur k = *c;
    size_t tl = strlen(t), tp = 0;
    while (tp < tl) {
        int32_t want = sk_utf8_next(t, tl, &tp);
        int32_t got = peek(&k);
        if (got < 0 || want < 0 || (uint32_t)got != sk_fold_cp((uint32_t)want))
            return false;
        step(&k);
    }
    *c = k;
    return true;
}

/* True for a character written in place of a digit: 〇 ○ ◯ X x. */
static bool is_placeholder(int32_t cp)
{
    return cp == 0x3007 || cp == 0x25CB || cp == 0x25EF || cp == 'X' || cp == 'x';
}

/* Skips a run of placeholder characters and digits; true if it held a
 * placeholder character. */
static bool skip_placeholder(cur *c)
{
    bool any = false;
    int32_t cp;
    while ((cp = peek(c)) >= 0 && (is_placeholder(cp) || (cp >= '0' && cp <= '9'))) {
        any |= is_placeholder(cp);
        step(c);
    }
    return any;
}

/* Skips the words that may follow a year-month. */
static void skip_suffix(cur *c)
{
    static const char *const words[] = {"頃",   "ごろ", "予定", "末",   "上旬", "中旬",
                                        "下旬", "初旬", "実施", "まで", "中"};
    for (bool again = true; again;) {
        again = false;
        skip_space(c);
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (eat(c, words[i]))
                again = true;
    }
}

sk_ym_result sk_ym_parse(const char *s, sk_ym *out, const char **end)
{
    cur c = {s, strlen(s), 0};
    *end = s;
    skip_space(&c);
    if (c.pos >= c.len)
        return SK_YM_EMPTY;
    int base = 0, year = 0;
    bool placeholder = false;
    if (eat(&c, "令和") || eat(&c, "R") || eat(&c, "r"))
        base = 2018;
    else if (eat(&c, "平成") || eat(&c, "H") || eat(&c, "h"))
        base = 1988;
    else if (eat(&c, "昭和") || eat(&c, "S") || eat(&c, "s"))
        base = 1925;
    skip_space(&c);
    if (base) {
        if (eat(&c, "元"))
            year = 1;
        else if (is_placeholder(peek(&c)))
            placeholder = skip_placeholder(&c);
        else if (digits(&c, 2, &year) == 0 || year == 0)
            return SK_YM_INVALID;
        else if (is_placeholder(peek(&c)))
            placeholder = skip_placeholder(&c); /* 令和1〇年 */
        year += base;
    } else {
        int n = digits(&c, 4, &year);
        if (is_placeholder(peek(&c)))
            placeholder = skip_placeholder(&c); /* 〇年, 20XX年, 202〇年 */
        else if (n != 4)
            return SK_YM_INVALID;
    }
    skip_space(&c);
    if (!(eat(&c, "年") || eat(&c, ".") || eat(&c, "/") || eat(&c, "-")))
        return placeholder ? SK_YM_PLACEHOLDER : SK_YM_INVALID;
    skip_space(&c);
    int month = 0, n_month = 0;
    if (is_placeholder(peek(&c)) || ((n_month = digits(&c, 2, &month)) > 0 && is_placeholder(peek(&c)))) {
        placeholder = true;
        skip_placeholder(&c);
    } else if (n_month == 0) {
        return placeholder ? SK_YM_PLACEHOLDER : SK_YM_INVALID;
    }
    if (placeholder)
        return SK_YM_PLACEHOLDER;
    if (month < 1 || month > 12 || year < 1900 || year > 2200)
        return SK_YM_INVALID;
    skip_space(&c);
    eat(&c, "月");
    skip_space(&c);
    cur k = c;
    int day = 0;
    if (digits(&k, 2, &day) > 0) {
        skip_space(&k);
        if (eat(&k, "日"))
            c = k; /* 2025年4月1日 */
        else
            day = 0;
    } else if (eat(&k, "/") || eat(&k, "-") || eat(&k, ".")) {
        if (digits(&k, 2, &day) > 0)
            c = k; /* 2025/4/1 */
    }
    skip_suffix(&c);
    out->year = year;
    out->month = month;
    out->day = day >= 1 && day <= 31 ? day : 0;
    *end = s + c.pos;
    return SK_YM_OK;
}

/* True if the cursor is at a separator of a list of year-months. */
static bool skip_separators(cur *c)
{
    bool any = false;
    int32_t cp;
    while ((cp = peek(c)) >= 0) {
        if (sk_is_space((uint32_t)cp) || cp == ',' || cp == 0x3001 /* 、 */ || cp == 0xFF64 /* ､ */ ||
            cp == 0x30FB /* ・ */ || cp == 0xFF65 /* ･ */ || cp == ';' || cp == 0x2026 /* … */ ||
            cp == 0x2025 /* ‥ */ || cp == '.')
            step(c), any = true;
        else
            break;
    }
    return any;
}

/* Skips a bracketed note such as "（初版）" or "(棚卸し)". */
static bool skip_note(cur *c)
{
    int32_t open = peek(c), close;
    if (open == '(')
        close = ')';
    else if (open == 0x3010) /* 【 */
        close = 0x3011;
    else if (open == 0x300C) /* 「 */
        close = 0x300D;
    else
        return false;
    cur k = *c;
    step(&k);
    int32_t cp;
    while ((cp = peek(&k)) >= 0 && cp != close)
        step(&k);
    if (cp != close)
        return false;
    step(&k);
    *c = k;
    return true;
}

/* True if a digit follows the cursor. */
static bool has_digit(const cur *c)
{
    cur k = *c;
    int32_t cp;
    while ((cp = peek(&k)) != -1) {
        if (cp >= '0' && cp <= '9')
            return true;
        step(&k);
    }
    return false;
}

sk_ym_result sk_ym_list_parse(const char *s, int *count, sk_ym *latest)
{
    cur c = {s, strlen(s), 0};
    *count = 0;
    latest->year = latest->month = latest->day = 0;
    for (;;) {
        while (skip_separators(&c) || skip_note(&c))
            ;
        if (c.pos >= c.len)
            break;
        sk_ym ym;
        const char *end;
        sk_ym_result r = sk_ym_parse(c.s + c.pos, &ym, &end);
        if (r == SK_YM_PLACEHOLDER && *count > 0 && !has_digit(&c))
            break; /* "2025年4月、〇年〇月・・・": the rest is the template's placeholder */
        if (r != SK_YM_OK)
            return r;
        if (++*count == 1 || ym.year * 12 + ym.month > latest->year * 12 + latest->month)
            *latest = ym;
        c.pos = (size_t)(end - c.s);
    }
    return *count ? SK_YM_OK : SK_YM_EMPTY;
}

bool sk_doc_date_parse(const char *s, sk_ym *out)
{
    const char *end;
    return s && sk_ym_parse(s, out, &end) == SK_YM_OK;
}
