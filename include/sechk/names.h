/* sechk — the output names of a batch: NAME for NAME.json and
 * NAME.review.xlsx, one per input.
 *
 * NAME is the input's path relative to the common folder of the inputs
 * without its extension.  Two inputs whose names would meet (x.xlsx beside
 * x.xlsm, or X.xlsx beside x.xlsx: a case-insensitive output folder makes
 * them one file) keep their extension, and then a number ("x.xlsx~2"), in
 * input order; characters that Windows and macOS shares refuse, or that
 * would make a link in the summary a URL, become '_', and a last component
 * too long for ".review.xlsx" in 255 bytes is cut.  Used by `sechk batch`
 * and by the web page, so that both name their outputs alike.
 *
 * Ownership: sk_batch_names fills names[0..n) with new strings (free each
 * with free); on failure some may be set and must be freed too.
 */
#ifndef SECHK_NAMES_H
#define SECHK_NAMES_H

#include <stddef.h>

#include "sechk/error.h"

/* Plans the NAME of each of the n inputs whose relative paths are rel[i]
 * into names[i] (which start NULL).  Returns SK_OK or SK_ERR_NOMEM. */
sk_error sk_batch_names(const char *const *rel, size_t n, char **names);

#endif
