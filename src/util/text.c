/* sechk — byte buffers, UTF-8 helpers and text normalisation. */
#include "sechk/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sk_error sk_buf_grow(sk_buf *b, size_t n)
{
    if (n > SIZE_MAX - b->len - 1)
        return SK_ERR_NOMEM;
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return SK_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return SK_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return SK_OK;
}

sk_error sk_buf_put_cp(sk_buf *b, uint32_t cp)
{
    char tmp[4];
    size_t n = sk_utf8_encode(cp, tmp);
    return sk_buf_append_len(b, tmp, n);
}

sk_error sk_buf_printf(sk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sk_buf_reserve(b, (size_t)n) != SK_OK)
        return SK_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SK_OK;
}

void sk_buf_reset(sk_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sk_buf_free(sk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sk_buf_take(sk_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

size_t sk_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t sk_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t pos = 0;
    while (pos < len) {
        unsigned c = s[pos];
        if (c < 0x80) { /* ASCII, then eight bytes at a time */
            for (pos++; len - pos >= 8; pos += 8) {
                uint64_t w;
                memcpy(&w, s + pos, 8);
                if (w & 0x8080808080808080u)
                    break;
            }
            continue;
        }
        /* three bytes led by E1..EC, EE or EF (kana, kanji, full-width
         * forms) are valid whatever their continuation bytes: no overlong
         * form, no surrogate */
        if (c >= 0xE1 && c != 0xED && c <= 0xEF && len - pos > 2 && (s[pos + 1] & 0xC0) == 0x80 &&
            (s[pos + 2] & 0xC0) == 0x80) {
            pos += 3;
            continue;
        }
        size_t at = pos;
        if (sk_utf8_next(str, len, &pos) < 0)
            return at;
    }
    return len;
}

char *sk_put_uint(char *p, unsigned long long v)
{
    char t[20];
    int n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        *p++ = t[--n];
    return p;
}

bool sk_utf8_valid(const char *str, size_t len)
{
    return sk_utf8_valid_prefix(str, len) == len;
}

size_t sk_utf8_count(const char *s, size_t len)
{
    size_t pos = 0, n = 0;
    while (pos < len) {
        sk_utf8_next(s, len, &pos);
        n++;
    }
    return n;
}

sk_mark sk_mark_of(uint32_t cp)
{
    if (cp < 0x25A0 || cp > 0x2B1B) /* most text: outside every marker's range */
        return SK_MARK_NONE;
    switch (cp) {
    case 0x25A0: /* ■ */
    case 0x25FC: /* ◼ */
    case 0x25AA: /* ▪ */
    case 0x2B1B: /* ⬛ */
    case 0x2611: /* ☑ */
    case 0x2612: /* ☒ */
    case 0x2713: /* ✓ */
    case 0x2714: /* ✔ */
        return SK_MARK_CHECKED;
    case 0x25A1: /* □ */
    case 0x2610: /* ☐ */
    case 0x25FB: /* ◻ */
        return SK_MARK_UNCHECKED;
    default:
        return SK_MARK_NONE;
    }
}

bool sk_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
           cp == 0x3000 || cp == 0x00A0;
}

uint32_t sk_fold_cp(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFF01 + 0x21;
    if (cp == 0x3000 || cp == 0x00A0 || cp == '\t')
        return ' ';
    return cp;
}

sk_error sk_text_normalize(const char *s, size_t len, sk_buf *out)
{
    size_t pos = 0;
    int pending = 0; /* 0 none, 1 space, 2 line break */
    bool any = false;
    while (pos < len) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp < 0) {
            /* keep invalid bytes as they are; the reader has already refused
             * invalid UTF-8, so this only matters for callers' own strings */
            if (sk_buf_append_len(out, s + start, pos - start) != SK_OK)
                return SK_ERR_NOMEM;
            any = true;
            continue;
        }
        if (sk_is_space((uint32_t)cp)) {
            if (cp == '\n' || cp == '\r')
                pending = 2;
            else if (pending == 0)
                pending = 1;
            continue;
        }
        if (pending && any && sk_buf_putc(out, pending == 2 ? '\n' : ' ') != SK_OK)
            return SK_ERR_NOMEM;
        pending = 0;
        if (sk_buf_put_cp(out, sk_fold_cp((uint32_t)cp)) != SK_OK)
            return SK_ERR_NOMEM;
        any = true;
    }
    if (!out->data)
        return sk_buf_reserve(out, 0);
    return SK_OK;
}

const char *sk_text_trim(const char *s, size_t *len)
{
    size_t n = *len, pos = 0;
    while (pos < n) {
        size_t p = pos;
        int32_t cp = sk_utf8_next(s, n, &p);
        if (cp < 0 || !sk_is_space((uint32_t)cp))
            break;
        pos = p;
    }
    size_t end = n;
    while (end > pos) {
        size_t b = end - 1;
        while (b > pos && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        size_t p = b;
        int32_t cp = sk_utf8_next(s, end, &p);
        if (cp < 0 || !sk_is_space((uint32_t)cp) || p != end)
            break;
        end = b;
    }
    *len = end - pos;
    return s + pos;
}

char *sk_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

sk_error sk_text_squeeze(const char *s, size_t len, sk_buf *out)
{
    /* the result is never longer: spaces go, sk_fold_cp takes full-width
     * forms (3 bytes) to ASCII, everything else is copied as it is */
    if (sk_buf_reserve(out, len) != SK_OK)
        return SK_ERR_NOMEM;
    char *w = out->data + out->len;
    size_t pos = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)s[pos];
        if (c < 0x80) {
            pos++;
            if (c != ' ' && (c < '\t' || c > '\r'))
                *w++ = (char)c;
            continue;
        }
        size_t start = pos;
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp >= 0 && sk_is_space((uint32_t)cp))
            continue;
        uint32_t f = cp >= 0 ? sk_fold_cp((uint32_t)cp) : 0;
        if (f && f < 0x80) { /* a full-width form folded to ASCII */
            *w++ = (char)f;
            continue;
        }
        memcpy(w, s + start, pos - start); /* invalid bytes too, as they are */
        w += pos - start;
    }
    out->len = (size_t)(w - out->data);
    *w = '\0';
    return SK_OK;
}
