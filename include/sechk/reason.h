/* sechk — a diagnostic's reason in the user's language.
 *
 * The library writes its reasons in English (sk_diag.reason).  The reasons
 * users meet most (a file that is not a workbook, a damaged zip, an encrypted
 * workbook, a missing output folder…) have a Japanese translation in one
 * table, {code, English, Japanese}; any other reason is shown in Japanese as
 * the code's description with the English detail in brackets. */
#ifndef SECHK_REASON_H
#define SECHK_REASON_H

#include <stddef.h>

#include "sechk/answers.h"
#include "sechk/error.h"

/* Writes d's reason in lang into buf (cap bytes, NUL-terminated, cut at a
 * UTF-8 character boundary) and returns buf: in English the library's reason
 * as it is; in Japanese the table's translation of a known reason followed by
 * what came after it (an errno text, a name), a reason already in Japanese as
 * it is, or else the Japanese for d's code with the English in brackets. */
const char *sk_diag_reason(const sk_diag *d, sk_lang lang, char *buf, size_t cap);

/* As sk_diag_reason, but a reason without a translation is given as it is
 * (for a line that already says what failed, such as 「書き込めません：」). */
const char *sk_diag_reason_plain(const sk_diag *d, sk_lang lang, char *buf, size_t cap);

#endif
