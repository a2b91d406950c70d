/* sechk — byte buffers, UTF-8 and the text normalisation of brief section 3.
 *
 * Ownership: an sk_buf owns its data; sk_buf_free releases it and leaves an
 * empty buffer.  The other functions do not allocate unless they say so.
 */
#ifndef SECHK_TEXT_H
#define SECHK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sechk/error.h"

typedef struct sk_buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} sk_buf;

#define SK_BUF_INIT {NULL, 0, 0}

/* Grows b to hold n more bytes (plus the terminating NUL): the slow path of
 * sk_buf_reserve, for when they do not fit. */
sk_error sk_buf_grow(sk_buf *b, size_t n);

/* The helpers below are inline: the JSON writer and the extractor call them
 * for every few bytes.  An empty buffer has cap 0, so cap - len never wraps. */

/* Make room for n more bytes (plus the terminating NUL). */
static inline sk_error sk_buf_reserve(sk_buf *b, size_t n)
{
    return b->cap - b->len > n ? SK_OK : sk_buf_grow(b, n);
}

/* Append len bytes of s. */
static inline sk_error sk_buf_append_len(sk_buf *b, const char *s, size_t len)
{
    if (b->cap - b->len <= len && sk_buf_grow(b, len) != SK_OK)
        return SK_ERR_NOMEM;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return SK_OK;
}

/* Append a NUL-terminated string. */
static inline sk_error sk_buf_append(sk_buf *b, const char *s)
{
    return sk_buf_append_len(b, s, strlen(s));
}

/* Append one byte. */
static inline sk_error sk_buf_putc(sk_buf *b, char c)
{
    if (b->cap - b->len <= 1 && sk_buf_grow(b, 1) != SK_OK)
        return SK_ERR_NOMEM;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return SK_OK;
}

/* Append a code point as UTF-8. */
sk_error sk_buf_put_cp(sk_buf *b, uint32_t cp);
/* Append printf-style. */
sk_error sk_buf_printf(sk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empty the buffer, keeping its storage. */
void sk_buf_reset(sk_buf *b);
/* Release the storage. */
void sk_buf_free(sk_buf *b);
/* Hand the data to the caller (free with free()); the buffer becomes empty.
 * Returns "" copied if the buffer never held data; NULL only on no memory. */
char *sk_buf_take(sk_buf *b);

/* Decode one UTF-8 code point of s[*pos..len) and advance *pos.
 * Returns the code point, or -1 for an invalid or truncated sequence
 * (then *pos advances by one byte). Overlong forms and surrogates are invalid. */
static inline int32_t sk_utf8_next(const char *str, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = *pos;
    unsigned c = s[i];
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
        *pos = i + 1;
        return (int32_t)c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    } else {
        *pos = i + 1;
        return -1;
    }
    if (len - i - 1 < n) {
        *pos = i + 1;
        return -1;
    }
    for (size_t k = 1; k <= n; k++) {
        unsigned cc = s[i + k];
        if ((cc & 0xC0) != 0x80) {
            *pos = i + 1;
            return -1;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pos = i + 1;
        return -1;
    }
    *pos = i + 1 + n;
    return (int32_t)cp;
}
/* Encode cp into out (4 bytes); returns the number of bytes (0 if cp is invalid). */
size_t sk_utf8_encode(uint32_t cp, char out[4]);
/* True if s[0..len) is valid UTF-8. */
bool sk_utf8_valid(const char *s, size_t len);
/* Length of the longest valid UTF-8 start of s[0..len). */
size_t sk_utf8_valid_prefix(const char *s, size_t len);
/* Writes v in decimal at p (no NUL: up to 20 bytes); returns the end. */
char *sk_put_uint(char *p, unsigned long long v);
/* Number of code points in s[0..len) (invalid bytes count one each). */
size_t sk_utf8_count(const char *s, size_t len);

/* Checkbox markers (brief section 3). 〇 and ○ are never markers. */
typedef enum sk_mark {
    SK_MARK_NONE = 0,
    SK_MARK_UNCHECKED,
    SK_MARK_CHECKED
} sk_mark;

/* Classifies a code point as a checked marker (■ ◼ ▪ ⬛ ☑ ☒ ✓ ✔),
 * an unchecked one (□ ☐ ◻) or neither. */
sk_mark sk_mark_of(uint32_t cp);

/* True for the white space the normaliser folds: ASCII space, TAB, U+3000,
 * U+00A0 and the line breaks. */
bool sk_is_space(uint32_t cp);

/* Folds one code point for comparison: full-width ASCII (U+FF01..U+FF5E) to
 * ASCII, U+3000 to a space; others unchanged. */
uint32_t sk_fold_cp(uint32_t cp);

/* Normalise text for comparing labels: full-width ASCII to ASCII, U+3000 and
 * runs of white space to one space (line breaks to LF, CR LF and CR to LF, a
 * run containing a line break becomes one LF), leading and trailing white
 * space trimmed.  Appends to out.  A literal "_x000D_" is kept: the workbook
 * reader has already decoded Excel's _xHHHH_ escapes (the CR of a CR LF line
 * break arrives as "\r"), so what is left is the answerer's own text. */
sk_error sk_text_normalize(const char *s, size_t len, sk_buf *out);

/* Like sk_text_normalize but drops all white space: the key for matching
 * labels whose line breaks and spaces vary ("必須要件/推\n奨要件"). */
sk_error sk_text_squeeze(const char *s, size_t len, sk_buf *out);

/* Trim ASCII/Unicode white space (sk_is_space) from both ends of s[0..*len):
 * returns the new start and updates *len. */
const char *sk_text_trim(const char *s, size_t *len);

/* Returns a copy of s[0..len) (free with free()), or NULL on no memory. */
char *sk_strndup(const char *s, size_t len);

#endif
