/* sechk — the text report of `sechk check`: per file a one-line verdict
 * (counts by status), then one line per finding (No., column, cell,
 * severity, message).
 *
 * Ownership: output is appended to a caller's sk_buf.
 */
#ifndef SECHK_REPORT_H
#define SECHK_REPORT_H

#include <stdbool.h>

#include "sechk/answers.h"
#include "sechk/text.h"

/* Appends the report of one file; color adds ANSI colours. */
sk_error sk_report_text(const sk_answers *a, sk_lang lang, bool color, sk_buf *out);

/* Appends the line for a file that could not be read. */
sk_error sk_report_unreadable(sk_buf *out, const char *path, const sk_diag *d, sk_lang lang);

#endif
