/* sechk — error strings and diagnostics. */
#include "sechk/error.h"
#include "sechk/reason.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
    [SK_OK] = "no error",
    [SK_ERR_NOMEM] = "out of memory",
    [SK_ERR_IO] = "input/output error",
    [SK_ERR_USAGE] = "usage error",
    [SK_ERR_FORMAT] = "not an .xlsx workbook",
    [SK_ERR_ZIP] = "damaged or unsupported zip container",
    [SK_ERR_XML] = "malformed or refused XML",
    [SK_ERR_LIMIT] = "input limit exceeded",
    [SK_ERR_TEMPLATE] = "invalid checklist template",
    [SK_ERR_NOT_CHECKLIST] = "no checklist found in the workbook",
    [SK_ERR_JSON] = "malformed answers file",
    [SK_ERR_ENCODING] = "character not representable in the output encoding",
    [SK_ERR_WRITE] = "output could not be written",
};
_Static_assert(sizeof messages / sizeof messages[0] == SK_ERR__COUNT,
               "messages[] and sk_error must list the same codes");

const char *sk_strerror(sk_error err)
{
    if ((unsigned)err >= SK_ERR__COUNT)
        return "unknown error";
    return messages[err];
}

void sk_diag_clear(sk_diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

sk_error sk_diag_set(sk_diag *d, sk_error code, const char *fmt, ...)
{
    if (!d)
        return code;
    d->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
    return code;
}

void sk_diag_where(sk_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->where, sizeof d->where, fmt, ap);
    va_end(ap);
}

void sk_diag_file(sk_diag *d, const char *path)
{
    if (d && !d->file[0] && path)
        snprintf(d->file, sizeof d->file, "%s", path);
}

void sk_diag_text(const sk_diag *d, sk_lang lang, char *out, size_t cap)
{
    char why[sizeof d->reason + 256];
    sk_diag_reason(d, lang, why, sizeof why);
    if (d->where[0])
        snprintf(out, cap, "%s: %s", d->where, why);
    else
        snprintf(out, cap, "%s", why);
}
