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

/* Opens path and reads its answers. d names the file on failure. */
sk_error sk_extract_file(const char *path, const sk_template *t, const sk_limits *limits, sk_answers **out,
                         sk_diag *d);

/* Like sk_extract_file, opening the file with o (sechk/crypt.h: password,
 * --convert, message language; NULL for none).  A converted file's answers
 * name the converter in converted_by. */
sk_error sk_extract_file_opts(const char *path, const sk_template *t, const sk_limits *limits,
                              const struct sk_open_opts *o, sk_answers **out, sk_diag *d);

/* Reads the answers of an opened book. */
sk_error sk_extract_book(sk_book *b, const sk_template *t, sk_answers **out, sk_diag *d);

#endif
