/* sechk — test hooks of the aligner (private: tests/unit/test_align_fast.c).
 *
 * sk_align_cell reads most cells by two shortcuts: the answer's start and end
 * that are the template's blank text (markers apart) take the template's
 * symbols by copy instead of being decoded, and a cell whose whole template
 * is matched by its common start and end, typed text inside a slot's region
 * only, is read directly instead of by the full reading after a diff.  The
 * results are the same either way; these hooks let the tests check it. */
#ifndef SECHK_ALIGN_REF_H
#define SECHK_ALIGN_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "sechk/align.h"

/* Makes every alignment with p take the reference way: every symbol decoded
 * by one general decoder, every cell through the diff and the full reading. */
void sk_align_prep_reference(sk_align_prep *p);

enum {
    SK_ALIGN_COPIED = 1, /* the answer's sequence was copied from the template's, but for
                            the stretch between its common start and end */
    SK_ALIGN_WHOLE = 2   /* the answer was read without the diff */
};

/* Which shortcuts the first alignment (placeholders in the template
 * sequence) of text[0..len) with cell takes: SK_ALIGN_* bits, or -1 if
 * there is no memory. */
int sk_align_shortcuts(const sk_cell_def *cell, const char *text, size_t len);

#endif
