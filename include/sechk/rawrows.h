/* sechk — rows of a constant-memory worksheet written as libxlsxwriter writes them.
 *
 * The batch summary's findings sheet takes some 30 rows of 7 cells a file;
 * through worksheet_write_string each cell costs a copy, an escape into
 * two more allocations, lxw_rowcol_to_cell and an fprintf, some 45 % of the
 * parent's work a file.  sk_rawrows writes the same XML itself into the
 * worksheet's row file (lxw_worksheet.file, public in <xlsxwriter/worksheet.h>),
 * byte for byte as libxlsxwriter 1.1.4 does (_write_row, _write_cell:
 * inline strings with control characters as _xHHHH_ and & < > escaped,
 * xml:space="preserve" for text that starts or ends with a space, blanks
 * with a format as <c r= s=/>, numbers as %.16G), and keeps the worksheet's
 * state as its own calls would (the dimensions, the row in progress).
 *
 * Timing matters as well as bytes: libxlsxwriter numbers a format (its s=)
 * the first time it writes a cell of it, and it writes a row when the next
 * row of the sheet is begun, or, for the last row, at workbook_close after
 * the earlier sheets' last rows.  sk_rawrows keeps one row pending in the
 * same way and hands the last one to libxlsxwriter (sk_rawrows_end), so
 * that styles.xml and every s= stay as they were.
 *
 * Only for libxlsxwriter 1.1.4 (LXW_VERSION_ID 114, the version whose
 * output it reproduces) and a constant-memory worksheet: otherwise
 * sk_rawrows_usable is false and the caller writes through the API. */
#ifndef SECHK_RAWROWS_H
#define SECHK_RAWROWS_H

#include <stdbool.h>
#include <xlsxwriter.h>

#include "sechk/error.h"
#include "sechk/text.h"

/* A cell: text (valid UTF-8 without NUL, at most 32,767 characters; NULL
 * or "" for a blank) or, when is_num, the number num; its format. */
typedef struct sk_rawcell {
    const char *text;
    double num;
    bool is_num;
    lxw_format *fmt;
} sk_rawcell;

/* Rows of one worksheet; starts zeroed, sk_rawrows_free releases it. */
typedef struct sk_rawrows {
    lxw_worksheet *ws;
    bool pending; /* a row waits for the next (or sk_rawrows_end) */
    lxw_row_t row;
    double height; /* > 0: set; 0: the default */
    int n, cap;
    sk_rawcell *cell; /* [cap]: the pending row's cells */
    size_t *off;      /* [cap]: their texts in text (SIZE_MAX: none) */
    int32_t *style;   /* [cap] */
    sk_buf text, xml;
    /* sk_rawrows_ahead: the rows written here, deflated as they go */
    void *z;         /* z_stream, or NULL */
    FILE *zout;      /* its output (a part file) */
    long at;         /* where the first row went in the worksheet's row file, or -1 */
    unsigned long long zlen; /* bytes deflated */
    unsigned long crc;       /* their CRC-32 */
} sk_rawrows;

/* True if rows of ws can be written by sk_rawrows. */
bool sk_rawrows_usable(const lxw_worksheet *ws);

/* Row r of ws (after every row written so far; cells in columns 0..n-1,
 * height 0 for the default): writes the pending row and keeps this one. */
sk_error sk_rawrows_add(sk_rawrows *s, lxw_worksheet *ws, lxw_row_t r, double height, const sk_rawcell *cells,
                        int n);

/* Deflates the rows written from here on as they are written (raw
 * deflate at level) and, at sk_rawrows_end, hands the stream to
 * sk_out_ahead for the worksheet's part, so that the close deflates only
 * the part's head and tail.  Before the first row; without it (or where
 * sk_out_ahead cannot be used, or on any failure) the close deflates all. */
void sk_rawrows_ahead(sk_rawrows *s, int level);

/* Hands the pending row to libxlsxwriter (worksheet_set_row, _write_*),
 * which writes it at workbook_close; call before closing. */
sk_error sk_rawrows_end(sk_rawrows *s);

void sk_rawrows_free(sk_rawrows *s);

#endif
