/* sechk — A1-style cell references ("AB12") and the sheet grid's bounds.
 *
 * Used by the reader (cell positions), the checklist (where an item was
 * found) and the outputs (references in messages and review sheets).
 * Nothing here allocates.
 */
#ifndef SECHK_REF_H
#define SECHK_REF_H

#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"

/* The largest row and column of a sheet (XFD1048576). */
enum { SK_MAX_ROW = 1048576, SK_MAX_COL = 16384 };

/* Parses an A1-style reference ("AB12"; "$A$1" allowed) into row and column.
 * Returns SK_OK, or SK_ERR_XML for a malformed or out-of-grid reference. */
sk_error sk_ref_parse(const char *s, size_t len, uint32_t *row, uint32_t *col);

/* Formats (row, col) as "AB12" into out (at least 16 bytes); "#REF!"
 * outside the grid. */
void sk_ref_format(uint32_t row, uint32_t col, char out[16]);

/* Writes (row, col), both 1-based, as "AB12" at p (no NUL, no check against
 * the grid: up to 17 bytes); returns the end. */
char *sk_ref_put(char *p, uint32_t row, uint32_t col);

#endif
