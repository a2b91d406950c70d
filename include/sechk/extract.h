/* sechk — from a workbook to answers: locate the checklist, parse its cells.
 *
 * The locator finds the checklist sheet among all sheets (a cover sheet may
 * come first), its header row by the template's column labels (normalised:
 * full-width ASCII folded, white space ignored), the columns wherever the
 * table starts, each item's row by the number in the No. column (rows may be
 * inserted above or between), and the header-block values 作成日, 更新日 and
 * 利用する外部サービス wherever their labels stand above the table.
 *
 * Each answer cell is then aligned with the template's text for that cell
 * (sechk/align.h).
 *
 * Ownership: *out receives new answers (free with sk_answers_free).
 */
#ifndef SECHK_EXTRACT_H
#define SECHK_EXTRACT_H

#include "sechk/answers.h"
#include "sechk/book.h"
#include "sechk/error.h"
#include "sechk/limits.h"
#include "sechk/template.h"

/* How the checklist sheet is chosen.
 *
 * sheet NULL: every sheet whose header row matches and on which at least
 * five sixths of the template's items are located is a candidate (if none
 * reaches that, the sheet with the most items located is read).  Sheets
 * named as an example (記入例, 記載例, 例, 見本, サンプル, sample, example) are
 * dropped while another candidate exists.  Candidates are ranked by their
 * checked markers, then a name equal to the template's sheet name (the one
 * `sechk template` writes, or the template's title), then
 * visibility, then workbook order.  Two candidates that both hold checked
 * markers make the choice ambiguous: SK_ERR_NOT_CHECKLIST with a reason naming both (Japanese, then English).  The answers
 * carry an info note naming the sheets passed over.
 *
 * sheet "NAME" or "N": that sheet only (its exact name first, else its
 * 1-based position among the worksheets). */
typedef struct sk_extract_opts {
    const char *sheet;
    /* How the file is opened (sechk/crypt.h): the password of an encrypted
     * workbook, --convert for .xls/.ods/.xlsb, the language of the messages
     * about them.  NULL: no password, no conversion, Japanese messages.  A
     * converted file's answers name the converter in converted_by. */
    const struct sk_open_opts *open;
    /* When non-NULL, sk_extract_file_opts also reads the 事業名 of the
     * checklist sheet's header block from the same opening (sechk/diff.h,
     * sk_project_read_book): *project receives a new string ("" when there
     * is none), or NULL when it cannot be read (not an error). */
    char **project;
} sk_extract_opts;

/* The name of the sheet `sechk template` writes, compared when ranking. */
#define SK_TEMPLATE_SHEET_NAME "チェックリスト"

/* Opens path and reads its answers. d names the file on failure. */
sk_error sk_extract_file(const char *path, const sk_template *t, const sk_limits *limits, sk_answers **out,
                         sk_diag *d);

/* Reads the answers of an opened book. */
sk_error sk_extract_book(sk_book *b, const sk_template *t, sk_answers **out, sk_diag *d);

/* The same with options (o may be NULL: the defaults; sk_extract_book_opts
 * uses only o->sheet). */
sk_error sk_extract_file_opts(const char *path, const sk_template *t, const sk_limits *limits,
                              const sk_extract_opts *o, sk_answers **out, sk_diag *d);
sk_error sk_extract_book_opts(sk_book *b, const sk_template *t, const sk_extract_opts *o, sk_answers **out,
                              sk_diag *d);

#endif
