/* sechk — the aggregate of a batch: one row per file, every finding, the
 * files that could not be read; written as summary.xlsx and summary.csv.
 *
 * A row is made from one file's validated answers (or from the reason it
 * could not be read), and travels from a batch worker to the parent as a
 * compact message (sk_summary_file_encode / _decode); the decoder trusts
 * nothing: lengths, counts, status values and UTF-8 are checked, and the
 * counts by status and severity are recomputed from the item statuses and
 * findings rather than taken from the message.
 *
 * summary.xlsx: sheet 1 (一覧 / Files) one row per file: file, service, phase,
 * verdict, counts by status, errors, warnings, one column per item with its
 * status (coloured), and the review copy (a link); sheet 2 (指摘事項 /
 * Findings) every finding of every file, with an autofilter; sheet 3
 * (読み込めないファイル / Unreadable) each file that could not be read and why.
 * summary.csv: sheet 1's cells, RFC 4180, CRLF, in UTF-8 with a BOM or in
 * CP932.
 *
 * Ownership: an sk_summary_file owns its strings and arrays (release with
 * sk_summary_file_clear); an sk_summary borrows its files array.
 */
#ifndef SECHK_SUMMARY_H
#define SECHK_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/template.h"
#include "sechk/text.h"

typedef struct sk_summary_finding {
    int no;               /* item number */
    int party;            /* sk_party, or -1 for the item as a whole */
    char cell[16];        /* "H9", or "" */
    sk_severity severity; /* SK_SEV_INFO, SK_SEV_WARNING or SK_SEV_ERROR */
    char *code;
    char *message; /* in the batch's language */
} sk_summary_finding;

typedef struct sk_summary_file {
    char *path;    /* the input as shown (set by the caller; not encoded) */
    char *review;  /* the review copy relative to the summary's folder, or NULL (not encoded) */
    char *rel;     /* the input relative to the input folder, shown in summary.xlsx, or NULL: path (not encoded) */
    char *reason;  /* non-NULL: the file could not be read, and why */
    char *service; /* 利用する外部サービス as typed */
    int phase;     /* phase index used by the check, or -1 */
    bool phase_auto;
    char *phase_basis; /* auto: the evidence the phase was chosen on (sk_phase_basis), or NULL */
    unsigned char *status; /* [n_status]: sk_status of each item, in template order */
    int n_status;
    sk_summary_finding *findings;
    int n_findings;
    /* set by sk_summary_file_decode: service and the findings' texts were
     * checked there (valid UTF-8 without NUL, within a cell's limit) */
    bool checked;
    /* derived */
    int counts[SK_STATUS__COUNT];
    int errors, warnings;
} sk_summary_file;

/* An input other than a file that could not be read (an unreadable folder,
 * a missing argument): listed on the third sheet after the files. */
typedef struct sk_summary_problem {
    const char *path;
    const char *reason;
} sk_summary_problem;

/* batch --previous: how one file compares with the previous round. */
typedef struct sk_summary_prev {
    const char *previous; /* the previous round's file, or NULL when unpaired */
    int items;            /* items with a changed answer */
    int divergences;      /* changes needing approval (乖離) */
    int resolved, nw;     /* findings 解消 and 新規 */
} sk_summary_prev;

typedef struct sk_summary {
    const sk_template *tpl;
    sk_lang lang;
    const sk_summary_file *files; /* in the order to list them */
    size_t n_files;
    const sk_summary_problem *problems; /* may be NULL */
    size_t n_problems;
} sk_summary;

/* Fills f (zeroed by the caller) from validated answers; messages in lang. */
sk_error sk_summary_file_from_answers(const sk_answers *a, sk_lang lang, sk_summary_file *f);

/* Marks f (zeroed, or cleared) as unreadable with reason (copied). */
sk_error sk_summary_file_fail(sk_summary_file *f, const char *reason);

/* Appends f's message form (everything but path and review) to out. */
sk_error sk_summary_file_encode(const sk_summary_file *f, sk_buf *out);

/* Fills f (zeroed by the caller) from a message; n_items is the template's
 * item count, which the message must match.  SK_ERR_FORMAT (d says why) for
 * anything malformed; f is then cleared. */
sk_error sk_summary_file_decode(const char *data, size_t len, int n_items, sk_summary_file *f, sk_diag *d);

/* Frees what f owns and zeroes it (f may be zeroed already). */
void sk_summary_file_clear(sk_summary_file *f);

/* The verdict of a file: 要修正 (errors), 要確認 (warnings), 問題なし, or
 * 読み込めません for an unreadable file. */
const char *sk_summary_verdict(const sk_summary_file *f, sk_lang lang);

/* Appends summary.csv (BOM and header included) to out: UTF-8, or CP932
 * when cp932 (a character CP932 cannot hold is SK_ERR_ENCODING, d naming
 * the file of the row). */
sk_error sk_summary_csv(const sk_summary *s, bool cp932, sk_buf *out, sk_diag *d);

/* Writes summary.xlsx to path atomically; created is the document creation
 * time to record (must not be 0, which libxlsxwriter reads as "now"). */
sk_error sk_summary_xlsx(const sk_summary *s, const char *path, time_t created, sk_diag *d);

/* The same while the rows arrive (a batch writes them as its workers finish
 * files): begin creates the temporary workbook and the header rows; add
 * appends one file's rows (in the order to list them); finish lists the
 * problems, closes the workbook and renames it over path (or removes it on
 * any failure, add's included) and frees w; abort removes it and frees w.
 * add's failure is kept and reported again by finish. */
typedef struct sk_summary_writer sk_summary_writer;

sk_error sk_summary_xlsx_begin(const sk_template *t, sk_lang lang, const char *path, sk_summary_writer **out,
                               sk_diag *d);
sk_error sk_summary_xlsx_add(sk_summary_writer *w, const sk_summary_file *f);
sk_error sk_summary_xlsx_finish(sk_summary_writer *w, const sk_summary_problem *problems, size_t n_problems,
                                time_t created, sk_diag *d);
void sk_summary_xlsx_abort(sk_summary_writer *w);

/* batch --previous: summary.csv and summary.xlsx as above with, for each
 * file, prev[k] (for s->files[k]) in the 前回比 columns after the review
 * column (前回のファイル, 変更項目数, 乖離, 解消, 新規; empty when unpaired), and
 * on a fourth sheet (前回と対応なし) the files of either round left
 * unpaired[0..n_unpaired) with the reason. */
sk_error sk_summary_csv_prev(const sk_summary *s, const sk_summary_prev *prev, bool cp932, sk_buf *out, sk_diag *d);
sk_error sk_summary_xlsx_prev(const sk_summary *s, const sk_summary_prev *prev, const sk_summary_problem *unpaired,
                              size_t n_unpaired, const char *path, time_t created, sk_diag *d);

#endif
