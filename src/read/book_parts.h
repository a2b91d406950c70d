/* sechk — private: the parts related to a worksheet, for readers of the
 * things laid over its cells (src/read/overlay.c).
 *
 * Ownership: sk_book_sheet_parts returns a new array of new strings; free
 * with sk_book_parts_free.
 */
#ifndef SECHK_READ_BOOK_PARTS_H
#define SECHK_READ_BOOK_PARTS_H

#include <stddef.h>

#include "sechk/book.h"
#include "zip.h"

/* One part related to a sheet: its name, its zip entry, its relationship id. */
typedef struct sk_book_part {
    char *name;
    char *rid;
    size_t entry;
} sk_book_part;

/* The parts sheet i relates to with a relationship type ending in
 * type_suffix ("/comments", "/vmlDrawing", …) that exist in the zip
 * (targets outside the package or missing are skipped: they hold nothing). */
sk_error sk_book_sheet_parts(sk_book *b, size_t i, const char *type_suffix, sk_book_part **out, size_t *n, sk_diag *d);

/* The parts a part relates to (the same, from any part: a drawing's
 * pictures, …). */
sk_error sk_book_part_parts(sk_book *b, const char *part, const char *type_suffix, sk_book_part **out, size_t *n,
                            sk_diag *d);

void sk_book_parts_free(sk_book_part *p, size_t n);

/* The book's zip and limits. */
sk_zip *sk_book_zip(sk_book *b);
const sk_limits *sk_book_limits(const sk_book *b);

/* The workbook part's name ("xl/workbook.xml"). */
const char *sk_book_workbook_part(const sk_book *b);

/* The part name of sheet i. */
const char *sk_book_sheet_part(const sk_book *b, size_t i);

#endif
