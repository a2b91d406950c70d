/* sechk — the comparison in a workbook (libxlsxwriter).
 *
 * sk_diff_sheet writes the comparison sheet (変更点 / 前回との比較): the two
 * files, the notes, one row per change (with a link to its cell on the
 * checklist sheet, 乖離 marked) and one row per finding with its state
 * (解消/継続/新規) and the vendor's reply.  `sechk diff -o` writes it with NEW's
 * checklist (sk_diff_write: changed cells in a colour of their own, the old
 * answer in the comment); `sechk review --previous` adds it to the review.
 *
 * Ownership: nothing is kept; the output is written atomically.
 */
#ifndef SECHK_DIFFBOOK_H
#define SECHK_DIFFBOOK_H

#include <time.h>
#include <xlsxwriter.h>

#include "sechk/diff.h"
#include "sechk/render.h"

/* Fills of changed answer cells (tests/interop/check_diff.py holds the same). */
enum { SK_DIFF_FILL_CHANGED = 0xBDD7EE, SK_DIFF_FILL_DIVERGENCE = 0xF8CBAD };

typedef struct sk_diffbook_opts {
    sk_lang lang;
    time_t created;         /* document creation time to pin (0: now) */
    const char *sheet_name; /* NULL: 変更点 / Changes */
    const char *checklist;  /* name of the sheet with NEW's checklist in sechk's layout (for
                               links), or NULL for none */
} sk_diffbook_opts;

/* Adds the comparison sheet to wb. */
sk_error sk_diff_sheet(lxw_workbook *wb, const sk_formats *f, const sk_diff *df, const sk_diffbook_opts *o, sk_diag *d);

/* Writes the comparison workbook: 変更点 and NEW's checklist. */
sk_error sk_diff_write(const sk_diff *df, const char *path, const sk_diffbook_opts *o, sk_diag *d);

#endif
