/* sechk — reading years and months as vendors write them (西暦 and 和暦). */
#include <string.h>

#include "sechk/text.h"
#include "sechk/validate.h"

/* A code-point cursor over a UTF-8 string, folding full-width ASCII. */
typedef struct cur {
    const char *s;
    size_t len, pos;
} cur;

/* The folded code point at the cursor, without moving (-1 at the end). */
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

/* True if the cursor is at the UTF-8 text t; moves past it. */
static bool eat(cur *c, const char *t)
{
    size_t n = strlen(t);
    if (c->len - c->pos >= n && memcmp(c->s + c->pos, t, n) == 0) {
        c->pos += n;
        return true;
    }
    return false;
}

/* True if the cursor is at a 〇 or ○ (a placeholder digit). */
static bool at_placeholder(cur *c)
{
    int32_t cp = peek(c);
    return cp == 0x3007 || cp == 0x25CB || cp == 'X' || cp == 'x';
}

/* Skips a run of placeholder characters and digits. */
static void skip_placeholder(cur *c)
{
    int32_t cp;
    while ((cp = peek(c)) == 0x3007 || cp == 0x25CB || cp == 'X' || cp == 'x' || (cp >= '0' && cp <= '9'))
        step(c);
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
        else if (at_placeholder(&c))
            placeholder = true, skip_placeholder(&c);
        else if (digits(&c, 2, &year) == 0 || year == 0)
            return SK_YM_INVALID;
        year += base;
    } else {
        int n = digits(&c, 4, &year);
        if (at_placeholder(&c)) {
            placeholder = true;
            skip_placeholder(&c);
        } else if (n != 4) {
            return SK_YM_INVALID;
        }
    }
    skip_space(&c);
    if (!(eat(&c, "年") || eat(&c, ".") || eat(&c, "/") || eat(&c, "-")))
        return placeholder ? SK_YM_PLACEHOLDER : SK_YM_INVALID;
    skip_space(&c);
    int month = 0;
    if (at_placeholder(&c)) {
        placeholder = true;
        skip_placeholder(&c);
    } else if (digits(&c, 2, &month) == 0) {
        return placeholder ? SK_YM_PLACEHOLDER : SK_YM_INVALID;
    }
    if (placeholder)
        return SK_YM_PLACEHOLDER;
    if (month < 1 || month > 12 || year < 1900 || year > 2200)
        return SK_YM_INVALID;
    skip_space(&c);
    eat(&c, "月");
    skip_space(&c);
    int day;
    if (digits(&c, 2, &day) > 0)
        eat(&c, "日");
    else if (eat(&c, "/") || eat(&c, "-") || eat(&c, "."))
        digits(&c, 2, &day);
    skip_space(&c);
    eat(&c, "頃");
    eat(&c, "予定");
    out->year = year;
    out->month = month;
    *end = s + c.pos;
    return SK_YM_OK;
}

bool sk_doc_date_parse(const char *s, sk_ym *out)
{
    const char *end;
    return s && sk_ym_parse(s, out, &end) == SK_YM_OK;
}
