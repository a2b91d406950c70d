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

#include "sechk/lang.h"
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

/* The library's own phrases for the user, in both languages (batch's
 * per-file reasons, the folder walk's problems): ids, and a phrase formatted
 * with printf arguments (the same in both languages) into buf (cap bytes). */
typedef enum sk_phrase_id {
    SK_PHRASE_OUT_IS_INPUT,
    SK_PHRASE_MEMORY_LIMIT, /* %llu: the limit */
    SK_PHRASE_CANNOT_WRITE, /* %s: what failed */
    SK_PHRASE_CPU_LIMIT, /* %g: seconds */
    SK_PHRASE_WORKER_CRASHED, /* %d signal, %s its name */
    SK_PHRASE_WORKER_EXITED, /* %d: the status */
    SK_PHRASE_TIME_LIMIT, /* %g: seconds */
    SK_PHRASE_BAD_RESULT,
    SK_PHRASE_NO_WORKER, /* %s: strerror */
    SK_PHRASE_NOT_PROCESSED,
    SK_PHRASE_LOCK_OPEN, /* %s: why */
    SK_PHRASE_LOCKED, /* %ld: the pid */
    SK_PHRASE_SYMLINK_NOT_FOLLOWED,
    SK_PHRASE_INPUT_UNREADABLE, /* %s: strerror */
    SK_PHRASE_INPUT_SPECIAL,
    SK_PHRASE_FOLDER_UNREADABLE, /* %s: strerror */
    SK_PHRASE_SYMLINK_LOOP,
    SK_PHRASE__COUNT
} sk_phrase_id;

/* The phrase's format in lang (never NULL). */
const char *sk_phrase(sk_phrase_id id, sk_lang lang);

/* Writes phrase id in lang with printf arguments into buf; returns buf. */
char *sk_phrase_format(char *buf, size_t cap, sk_lang lang, sk_phrase_id id, ...);

#endif
