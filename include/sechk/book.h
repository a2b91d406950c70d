/* sechk — reading .xlsx workbooks: zip container, XML parts, sheets.
 *
 * Data flow: the file is opened with libzip (read-only, consistency checks);
 * each part is inflated through a bounded stream that enforces sk_limits
 * while reading; XML parts are parsed with libxml2's SAX2 push parser over
 * that stream (no DTD, no entities, no network; any DOCTYPE is refused).
 *
 * Only what the checklist needs is kept: a sheet's cells are stored compactly
 * (strings as shared-string indexes, other values as short text in an arena),
 * a reader of a huge sheet may drop rows as they are read
 * (sk_book_read_sheet_filtered), and shared strings are read on demand,
 * keeping the ones a caller's keep policy asks for (sk_keep).
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

/* Like sk_book_open, with how to open encrypted and legacy inputs
 * (sechk/crypt.h; o may be NULL): an encrypted workbook is decrypted in
 * memory with o's password, and with o->convert an .xls, .ods or .xlsb is
 * converted to .xlsx by LibreOffice first (sechk/convert.h). */
struct sk_open_opts;
sk_error sk_book_open_opts(const char *path, const sk_limits *limits, const struct sk_open_opts *o,
                           sk_book **out, sk_diag *d);

/* The LibreOffice version ("LibreOffice 7.4.7.2") that converted the book
 * for --convert, or NULL when the file was read as it is. */
const char *sk_book_converted_by(const sk_book *b);

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

/* Called after each <row> of a sheet read with sk_book_read_sheet_filtered:
 * the row's cells are s->cells[first..s->n_cells), in the order of the XML,
 * after the cells kept so far.  The filter may drop cells, of this row or
 * earlier ones, by moving the kept ones down (in order, unchanged) and
 * lowering s->n_cells; the arena space of a row none of whose texts is kept
 * is reused.  It returns SK_OK, or an error (with d filled) that ends the
 * read.  It may read the book's shared strings meanwhile. */
typedef sk_error (*sk_row_filter)(sk_book *b, sk_sheet *s, size_t first, void *ctx, sk_diag *d);

/* As sk_book_read_sheet, offering each row to keep (NULL keeps every cell):
 * how a reader that needs a few cells of a huge sheet keeps its memory flat.
 * Every <c> still counts against the cells limit. */
sk_error sk_book_read_sheet_filtered(sk_book *b, size_t i, sk_row_filter keep, void *ctx, sk_sheet **out,
                                     sk_diag *d);

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

/* The keep policy of a pass over the shared strings for a reader that needs
 * a few of them (sk_book_keep_strings): the strings the marked cells name,
 * of those (when test is set) the ones the test accepts or the first cells'
 * kept whole up to a byte budget, and of the strings no marked cell names
 * those scope says (the later cells of a sheet still being read may name
 * them).  Zero-initialise; sk_keep_free frees the bitmaps. */
typedef enum sk_keep_scope {
    SK_KEEP_MARKED,  /* only strings marked cells name */
    SK_KEEP_TESTED,  /* those, and the others the test accepts */
    SK_KEEP_UNMARKED /* only the others the test accepts: an earlier pass decided the marked */
} sk_keep_scope;

/* Decides a string of a pass: marked says whether a marked cell names it. */
typedef bool (*sk_keep_test)(const char *text, size_t len, bool marked, void *ctx);

typedef struct sk_keep {
    uint8_t *bits;    /* the indexes marked cells name */
    uint32_t n;       /* indexes bits covers */
    uint8_t *prefix;  /* the indexes the first cells name: kept whole */
    uint32_t n_prefix;
    size_t prefix_budget; /* bytes of them still to keep */
    sk_keep_scope scope;
    sk_keep_test test; /* NULL: every string in scope */
    void *ctx;
} sk_keep;

/* Marks the strings every cell of s names, and those of its first
 * prefix_cells cells as kept whole up to prefix_bytes (replacing earlier
 * marks).  SK_ERR_NOMEM if the bitmaps cannot be allocated. */
sk_error sk_keep_cells(sk_keep *k, const sk_sheet *s, size_t prefix_cells, size_t prefix_bytes);

/* Clears the marks, sized for the cells of s (no prefix), for sk_keep_mark. */
sk_error sk_keep_reset(sk_keep *k, const sk_sheet *s);

/* Marks the string cell c names (nothing for NULL or another kind of cell). */
void sk_keep_mark(sk_keep *k, const sk_cell *c);

/* True if every string a marked cell of s names is kept already. */
bool sk_keep_done(const sk_book *b, const sk_sheet *s, const sk_keep *k);

/* One pass over the shared strings with the policy k (as
 * sk_book_read_strings). */
sk_error sk_book_keep_strings(sk_book *b, sk_keep *k, sk_diag *d);

/* Frees k's bitmaps (k itself is the caller's); NULL is fine. */
void sk_keep_free(sk_keep *k);

/* Number of shared strings seen (after sk_book_read_strings). */
uint32_t sk_book_string_count(const sk_book *b);

/* The text of a cell: a kept shared string, or the arena text.  Returns NULL
 * for a shared string that was not kept or an index out of range: for
 * readers that look only at what their filter kept (see sk_cell_text_load). */
const char *sk_cell_text(const sk_book *b, const sk_sheet *s, const sk_cell *c, size_t *len);

/* The text of a cell, as sk_cell_text, except that a shared string no
 * filter has kept is read now (one more pass over the shared strings, keeping
 * it): the accessor for texts that must be there, such as answers, where a
 * string left out by a keep policy would otherwise read as a blank.  *text
 * is NULL only when c is NULL or holds no value.  A shared-string index
 * beyond the workbook's strings is SK_ERR_XML naming the cell. */
sk_error sk_cell_text_load(sk_book *b, const sk_sheet *s, const sk_cell *c, const char **text, size_t *len,
                           sk_diag *d);

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

/* sk_book_cell_font without reading: true with *font set once styles.xml has
 * been read, false (and *font SK_SYMFONT_NONE) before.  Lets a caller that
 * looks at a cell's text first, to spare reading styles.xml, skip that look
 * once the file is read anyway. */
bool sk_book_cell_font_known(const sk_book *b, uint32_t style, sk_symfont *font);

/* True if the cell's text is a shared string made of rich-text runs (the
 * runs name their own fonts: the cell's font does not apply to them all). */
bool sk_cell_rich(const sk_book *b, const sk_cell *c);

/* The path the book was opened from. */
const char *sk_book_path(const sk_book *b);

/* Hex SHA-256 of the file's bytes (65 bytes with the NUL). */
const char *sk_book_sha256(const sk_book *b);

#endif
