/* sechk — writing the checklist sheet in sechk's layout (libxlsxwriter).
 *
 * One renderer serves `template` (blank), `fill` (answers applied) and
 * `review` (answers applied, cells decorated).  The layout follows the
 * original workbook: a header block (title, note, 事業名, 利用する外部サービス,
 * 作成日, 更新日, instruction) in rows 1–5, a two-row column header in rows 7–8
 * with ライフサイクル merged over its phase sub-columns, and one row per item
 * from row 9, so the provider cell of No.1 is H9.
 *
 * Ownership: the renderer only writes into the workbook it is given; the
 * caller owns the workbook and closes it.
 */
#ifndef SECHK_RENDER_H
#define SECHK_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <xlsxwriter.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/template.h"

enum {
    SK_LAYOUT_HEADER_ROW = 7,    /* 1-based: first of the two column-header rows */
    SK_LAYOUT_FIRST_ITEM_ROW = 9 /* 1-based: row of the first item */
};

/* Hooks for `review`: each may be NULL. */
typedef struct sk_render_hooks {
    void *ctx;
    /* format for an answer cell (NULL: the default) */
    lxw_format *(*answer_format)(void *ctx, int item, sk_party party);
    /* called after an item's row is written (comments, extra columns) */
    sk_error (*after_item)(void *ctx, lxw_worksheet *ws, int item, lxw_row_t row);
    /* header of one extra column right of the table (e.g. 判定); NULL for none */
    const char *extra_column;
    /* header of a second, wider extra column after it (review's 指摘, the
     * reasons printed beside 判定); NULL for none; needs extra_column */
    const char *extra_column2; /* SK_RENDER_EXTRA2_WIDTH wide */
    /* the least height in points item's row needs for the extra columns (NULL: none) */
    double (*row_height)(void *ctx, int item);
} sk_render_hooks;

typedef struct sk_render_opts {
    const char *project;              /* 事業名; NULL or "" for blank */
    const char *doc[SK_DOC__COUNT];   /* printed values; NULL or "" for the placeholder */
    const sk_answers *answers;        /* NULL: a blank checklist */
    bool keep_altered;                /* an altered cell keeps its text as read (review) */
    const char *sheet_name;           /* NULL: "チェックリスト" */
    sk_render_hooks hooks;
    int paper;                        /* SK_PAPER_A3 (0, the default) or SK_PAPER_A4 */
    const char *file;                 /* file name for the page header (NULL: none) */
} sk_render_opts;

/* Width (Excel character units) of the second extra column. */
#define SK_RENDER_EXTRA2_WIDTH 30.0

/* Paper of printed sheets: A3 landscape is the default (seven columns of
 * long prose print legibly only on A3). */
enum { SK_PAPER_A3 = 0, SK_PAPER_A4 = 1 };

/* Page setup of a sheet sechk writes: paper (SK_PAPER_*), orientation, one
 * page wide, margins, a header with file (may be NULL) and a footer with the
 * page number.  Title rows are repeated by the caller. */
void sk_page_setup(lxw_worksheet *ws, int paper, bool landscape, const char *file);

/* The checklist sheet's name: the form's own title (<title>), or
 * "チェックリスト" when the title cannot be a sheet name. */
const char *sk_render_sheet_name(const sk_template *t);

/* Parses "a3"/"a4" into *paper; false for anything else. */
bool sk_paper_parse(const char *s, int *paper);

/* Shared cell formats of a workbook (Japanese font, borders, wrap). */
typedef struct sk_formats {
    lxw_format *title, *note, *label, *value, *header, *center, *text, *answer, *small;
} sk_formats;

/* The font every sheet uses. */
#define SK_FONT_NAME "ＭＳ Ｐゴシック"

/* Creates the shared formats in wb. */
void sk_formats_init(lxw_workbook *wb, sk_formats *f);

/* Adds the checklist sheet to wb and writes the template (and answers) into
 * it.  *out (may be NULL) receives the worksheet. */
sk_error sk_render_checklist(lxw_workbook *wb, const sk_formats *f, const sk_template *t,
                             const sk_render_opts *opts, lxw_worksheet **out, sk_diag *d);

/* Estimated height in points of text wrapped in a column of the given width
 * (Excel character units) at the sheet's font size. */
double sk_text_height(const char *text, double col_width);

/* Sets document properties naming the template and the source; created is the
 * timestamp to pin (0: now). */
sk_error sk_set_properties(lxw_workbook *wb, const char *title, const char *subject, const char *comments,
                           time_t created);

/* Cell fill and font colour of each item status (判定 cells of the review
 * and the batch summary). */
extern const lxw_color_t sk_status_fill[SK_STATUS__COUNT];
extern const lxw_color_t sk_status_font[SK_STATUS__COUNT];

/* Cell writers of the sheets review and diff add (the checklist sheet has
 * its own, which also escapes "_xHHHH_"): a string cell (NULL: ""), a
 * number cell.  A libxlsxwriter error becomes SK_ERR_WRITE in d, "cannot
 * write a cell: <libxlsxwriter's reason>". */
sk_error sk_sheet_put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f, sk_diag *d);
sk_error sk_sheet_put_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f, sk_diag *d);

/* Sets SK_ERR_WRITE in d for libxlsxwriter's error e while writing what
 * ("cannot write <what>: <reason>") and returns it. */
sk_error sk_sheet_fail(sk_diag *d, lxw_error e, const char *what);

/* A blank checklist to render (`sechk template`, the web page's blank). */
typedef struct sk_blank {
    const sk_template *t;
    const char *project, *service; /* NULL: none */
    char date_ja[32];              /* 作成日 and 更新日 as shown (sk_date_format_ja) */
    time_t created;                /* the workbook's creation time */
    int paper;                     /* SK_PAPER_* */
} sk_blank;

/* Renders the blank checklist with its document properties: an
 * sk_workbook_builder (sechk/output.h) whose ctx is an sk_blank. */
sk_error sk_render_blank(lxw_workbook *wb, void *ctx, sk_diag *d);

/* Formats a date given as YYYY-MM-DD into "2026年4月1日" (out ≥ 32 bytes).
 * Returns SK_ERR_USAGE for a malformed or impossible date. */
sk_error sk_date_format_ja(const char *iso, char out[32]);

#endif
