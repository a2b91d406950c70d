/* sechk — error codes and diagnostics.
 *
 * Every library function that can fail returns an sk_error and, where the
 * caller passed one, fills an sk_diag with the file, the place in it and the
 * reason.  The library never prints and never exits: the command line turns
 * a diagnostic into one line, "sechk: <file>: <where>: <reason>".
 */
#ifndef SECHK_ERROR_H
#define SECHK_ERROR_H

#include <stddef.h>

#include "sechk/lang.h"

typedef enum sk_error {
    SK_OK = 0,
    SK_ERR_NOMEM,        /* out of memory */
    SK_ERR_IO,           /* a file could not be read or written (errno kept in the reason) */
    SK_ERR_USAGE,        /* bad argument or option */
    SK_ERR_FORMAT,       /* the input is not an .xlsx workbook (names what it is) */
    SK_ERR_ZIP,          /* the zip container is damaged or unsupported */
    SK_ERR_XML,          /* a package part is not well-formed or is refused (DOCTYPE) */
    SK_ERR_LIMIT,        /* an input limit was hit (names the limit) */
    SK_ERR_TEMPLATE,     /* the checklist template file is invalid */
    SK_ERR_NOT_CHECKLIST,/* the workbook holds no recognisable checklist */
    SK_ERR_JSON,         /* an answers file is malformed or inconsistent */
    SK_ERR_ENCODING,     /* text cannot be represented in the output encoding */
    SK_ERR_WRITE,        /* an output could not be written */
    SK_ERR__COUNT
} sk_error;

/* Returns a static English description of err (never NULL). */
const char *sk_strerror(sk_error err);

/* Where and why something failed. All strings are NUL-terminated. */
typedef struct sk_diag {
    sk_error code;
    char file[512];  /* the input or output file concerned, or "" */
    char where[128]; /* sheet!cell, part name, JSON path or line, or "" */
    char reason[512];
} sk_diag;

/* Clears d (d may be NULL). */
void sk_diag_clear(sk_diag *d);

/* Records code and a printf-style reason in d (d may be NULL) and returns
 * code, so that callers can write "return sk_diag_set(d, SK_ERR_IO, ...)". */
sk_error sk_diag_set(sk_diag *d, sk_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets d->where (printf-style) without touching the rest. */
void sk_diag_where(sk_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets d->file to path unless it is already set. */
void sk_diag_file(sk_diag *d, const char *path);

/* Writes d's reason as one text, "where: reason", in lang (src/util/reason.c;
 * the code's message when no reason was given), into out (cap bytes, cut if
 * longer). */
void sk_diag_text(const sk_diag *d, sk_lang lang, char *out, size_t cap);

#endif
