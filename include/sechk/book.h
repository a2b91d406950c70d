/* sechk — reading .xlsx workbooks: zip container, XML parts, sheets.
 *
 * Data flow: the file is opened with libzip (read-only, consistency checks);
 * each part is inflated through a bounded stream that enforces sk_limits
 * while reading; XML parts are parsed with libxml2's SAX2 push parser over
 * that stream (no DTD, no entities, no network; any DOCTYPE is refused).
 *
 * Only what the checklist needs is kept: a sheet's cells are stored compactly
 * (strings as shared-string indexes, other values as short text in an arena),
 * and shared strings are read on demand, keeping the ones a caller asks for.
 *
 * Ownership: sk_book_open returns a book to be closed with sk_book_close; an
 * sk_sheet returned by sk_book_read_sheet is owned by the caller and freed
 * with sk_sheet_free.  Strings returned by the accessors live until the book
 * (or sheet) is freed.
 */
#ifndef SECHK_BOOK_H
#define SECHK_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"
#include "sechk/limits.h"
#include "sechk/ref.h"
#include "sechk/symfont.h"

typedef struct sk_book sk_book;

typedef enum sk_cell_type {
    SK_CELL_EMPTY = 0,
    SK_CELL_SHARED, /* v = shared-string index */
    SK_CELL_TEXT,   /* inline string or formula string: text in the sheet arena */
    SK_CELL_NUMBER, /* the number as written in the XML: text in the sheet arena */
    SK_CELL_BOOL,   /* "0" / "1" in the sheet arena */
    SK_CELL_ERROR,  /* "#N/A" etc in the sheet arena */
    SK_CELL_DATE    /* t="d" (ISO 8601): its serial day number in the sheet arena */
} sk_cell_type;

typedef struct sk_cell {
    uint32_t row; /* 1-based */
    uint32_t col; /* 1-based (A = 1) */
    uint32_t type;
    uint32_t v;   /* shared-string index, or offset into the sheet arena */
    uint32_t style; /* the s attribute: an index into styles.xml's cellXfs (0 if none) */
} sk_cell;

typedef struct sk_range {
    uint32_t row1, col1, row2, col2; /* inclusive, 1-based */
} sk_range;

typedef struct sk_sheet {
    char *name;
    sk_cell *cells; /* sorted by (row, col); duplicates keep the last */
    size_t n_cells;
    sk_range *merges;
    size_t n_merges;
    char *arena; /* NUL-terminated texts referenced by non-shared cells */
    size_t arena_len;
    size_t arena_cap;
} sk_sheet;

/* Opens the workbook at path: checks what the file is (an empty file, not a
 * zip, a CFB/OLE container such as an encrypted workbook or a legacy .xls, an
 * OpenDocument file are errors that name what it is), opens the zip, checks
 * the entries (count, duplicate names ignoring case, overlapping spans,
 * compression methods, encryption) and reads workbook.xml and its rels.
 * On failure returns the error with d naming the file and the reason. */
sk_error sk_book_open(const char *path, const sk_limits *limits, sk_book **out, sk_diag *d);

/* Closes the book (NULL is fine). */
void sk_book_close(sk_book *b);

/* The workbook's sheets in workbook order (worksheets only; chartsheets are
 * skipped). */
size_t sk_book_sheet_count(const sk_book *b);
const char *sk_book_sheet_name(const sk_book *b, size_t i);
/* True if the sheet is hidden or very hidden. */
bool sk_book_sheet_hidden(const sk_book *b, size_t i);

/* Streams sheet i and returns its cells and merged ranges.  Cells without a
 * value are dropped; a cell's text or number is kept in the sheet arena,
 * shared strings by index only. */
sk_error sk_book_read_sheet(sk_book *b, size_t i, sk_sheet **out, sk_diag *d);

void sk_sheet_free(sk_sheet *s);

/* Finds the cell at (row, col); NULL if there is none. O(log n). */
const sk_cell *sk_sheet_cell(const sk_sheet *s, uint32_t row, uint32_t col);

/* Called for each shared string while streaming sharedStrings.xml: return
 * true to keep the string in the book. */
typedef bool (*sk_string_filter)(uint32_t index, const char *text, size_t len, void *ctx);

/* Streams the shared strings, keeping those for which keep returns true (all
 * of them if keep is NULL).  May be called again with another filter; strings
 * kept earlier stay.  Rich-text runs are concatenated, phonetic runs
 * (<rPh>, <phoneticPr>) skipped, _xHHHH_ escapes decoded. */
sk_error sk_book_read_strings(sk_book *b, sk_string_filter keep, void *ctx, sk_diag *d);

/* Number of shared strings seen (after sk_book_read_strings). */
uint32_t sk_book_string_count(const sk_book *b);

/* The text of a cell: a kept shared string, or the arena text.  Returns NULL
 * for a shared string that was not kept or an index out of range. */
const char *sk_cell_text(const sk_book *b, const sk_sheet *s, const sk_cell *c, size_t *len);

/* True if the workbook uses the 1904 date system (<workbookPr date1904="1"/>). */
bool sk_book_date1904(const sk_book *b);

/* The date number format of cell style index style: *code receives the
 * format code (a custom <numFmt>, or a built-in date format as Japanese Excel
 * shows it), or NULL when the style shows no date.  styles.xml is read on the
 * first call (its counts and code lengths bounded; a damaged one is an error). */
sk_error sk_book_date_format(sk_book *b, uint32_t style, const char **code, sk_diag *d);

/* The symbol font (Wingdings …) of cell style index style, or
 * SK_SYMFONT_NONE; reads styles.xml on first use like sk_book_date_format. */
sk_error sk_book_cell_font(sk_book *b, uint32_t style, sk_symfont *font, sk_diag *d);

/* True if the cell's text is a shared string made of rich-text runs (the
 * runs name their own fonts: the cell's font does not apply to them all). */
bool sk_cell_rich(const sk_book *b, const sk_cell *c);

/* The path the book was opened from. */
const char *sk_book_path(const sk_book *b);

/* Hex SHA-256 of the file's bytes (65 bytes with the NUL). */
const char *sk_book_sha256(const sk_book *b);

#endif
