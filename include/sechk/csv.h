/* sechk — CSV answers (brief section 6): one row per option and per field,
 * columns file,no,column,kind,id,label,checked,value, RFC 4180 quoting.
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

/* Appends the header line. */
sk_error sk_csv_header(sk_buf *out);

/* Appends the rows of one file's answers, in UTF-8 or (cp932) in CP932.  A
 * character CP932 cannot hold is SK_ERR_ENCODING with d naming the cell. */
sk_error sk_csv_answers(const sk_answers *a, bool cp932, sk_buf *out, sk_diag *d);

/* Appends one field, quoted when needed and neutralised against formula
 * injection when neutralise is true. */
sk_error sk_csv_field(sk_buf *out, const char *s, bool neutralise);

/* Converts UTF-8 text to CP932 (Windows-31J) for Excel on Japanese Windows.
 * Dash and tilde variants that CP932 spells differently are mapped first
 * (U+301C → U+FF5E, U+2014 → U+2015, U+2016 → U+2225, U+2212 → U+FF0D,
 * ¢ £ ¬ → full width).  A character CP932 cannot hold is SK_ERR_ENCODING;
 * *bad_line receives its 1-based line number. */
sk_error sk_to_cp932(const char *in, size_t len, sk_buf *out, size_t *bad_line, sk_diag *d);

#endif
