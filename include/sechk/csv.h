/* sechk — CSV answers (brief section 6): one row per option and per field,
 * columns file,no,column,kind,id,label,checked,value, RFC 4180 quoting;
 * or (layout_item) one row per item and answer column.
 *
 * Vendors' typed text is untrusted: a value that a spreadsheet would take
 * for a formula (starting with = + - @, their full-width forms ＝ ＋ － ＠,
 * TAB or CR) is prefixed with an apostrophe, as OWASP recommends against CSV
 * injection.
 *
 * Ownership: output is appended to a caller's sk_buf.
 */
#ifndef SECHK_CSV_H
#define SECHK_CSV_H

#include <stdbool.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/text.h"

/* How answers are written as CSV (sechk extract -f csv). */
typedef struct sk_csv_options {
    bool cp932;          /* CP932 instead of UTF-8 */
    bool bom;            /* a UTF-8 byte order mark first (Excel reads the file as UTF-8 on a double click) */
    bool header_ja;      /* Japanese header and labels: the columns' own names from the template, ■/□ */
    bool layout_item;    /* one row per item and answer column (checked labels joined with 「、」, one
                            column per field) instead of one row per option and per field */
    bool cp932_fallback; /* a character CP932 cannot hold becomes 〓 (and note is called) instead of an error */
    /* Called for each replacement made under cp932_fallback: where (sheet!cell and item) and the
     * character (UTF-8, and its code point).  May be NULL. */
    void (*note)(const void *ctx, const char *where, const char *ch, unsigned cp);
    const void *note_ctx;
} sk_csv_options;

/* Appends what comes before the rows: the BOM (UTF-8 with bom) and the header
 * line, whose field columns (layout_item) are every slot id of t in template
 * order.  SK_ERR_ENCODING only if a template label cannot be written in CP932. */
sk_error sk_csv_begin(const sk_template *t, const sk_csv_options *o, sk_buf *out, sk_diag *d);

/* Appends the rows of one file's answers.  Without cp932_fallback a character
 * CP932 cannot hold is SK_ERR_ENCODING with d naming the cell, and that
 * cell's rows are not written. */
sk_error sk_csv_answers(const sk_answers *a, const sk_csv_options *o, sk_buf *out, sk_diag *d);

/* Appends one field, quoted when needed and neutralised against formula
 * injection when neutralise is true. */
sk_error sk_csv_field(sk_buf *out, const char *s, bool neutralise);

/* Converts UTF-8 text to CP932 (Windows-31J) for Excel on Japanese Windows.
 * Dash and tilde variants that CP932 spells differently are mapped first
 * (U+301C → U+FF5E, U+2014 → U+2015, U+2016 → U+2225, U+2212 → U+FF0D,
 * ¢ £ ¬ → full width).  A character CP932 cannot hold is SK_ERR_ENCODING;
 * *bad_line receives its 1-based line number. */
sk_error sk_to_cp932(const char *in, size_t len, sk_buf *out, size_t *bad_line, sk_diag *d);

/* The same, but a character CP932 cannot hold is written as 〓 (U+3013) and
 * reported through note (where is passed through; may be NULL). */
sk_error sk_to_cp932_fallback(const char *in, size_t len, sk_buf *out, const char *where,
                              const sk_csv_options *o, sk_diag *d);

#endif
