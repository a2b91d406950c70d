/* sechk — the review workbook: the annotated copy prefecture staff send back.
 *
 * Sheets, in order: サマリー (summary: source, sha256, service, dates, phase,
 * verdict, counts by status and severity, a per-item table coloured by
 * status, a chart of the status counts), the checklist named after the
 * form's title (セキュリティチェックリスト; regenerated in sechk's layout by the
 * shared renderer, answer cells filled by their worst finding's severity and
 * commented with their findings' text, a 判定 column with each item's status
 * and a 指摘 column printing the short reasons), 指摘事項 (the request to
 * re-answer: a letter head — 宛先, 事業名, service, 発行日, 差出人, 回答期限 —
 * and a paragraph, then a section per respondent with one row per finding, a
 * link to its cell, an empty 回答者コメント column and the internal code in the
 * narrow last column 参照コード).  Every sheet prints one page wide on A3 (or
 * A4) with its title rows repeated and the file and page number.
 *
 * Ownership: nothing is kept; the output is written atomically.
 */
#ifndef SECHK_REVIEW_H
#define SECHK_REVIEW_H

#include <time.h>

#include "sechk/answers.h"
#include "sechk/error.h"

struct sk_diff;

typedef struct sk_review_opts {
    sk_lang lang;     /* messages and labels */
    time_t created;   /* document creation time to pin (0: now) */
    /* review --previous: the comparison with the previous round (NULL: none).
     * Adds a 前回との比較 sheet, 解消/継続/新規 counts on the summary and, on
     * the findings sheet, a 前回比 column (継続/新規) and the vendor's earlier
     * reply.  Its NEW side must be the answers reviewed. */
    const struct sk_diff *previous;
    /* The letter head of 指摘事項 (再回答依頼); NULL or "" leaves a blank to
     * fill in by hand.  deadline is YYYY-MM-DD (shown as 2026年4月1日). */
    const char *to, *from, *deadline, *project;
    int only;       /* 0: a section per respondent; 1 + SK_PROVIDER or 1 + SK_CONTRACTOR: that one only */
    int paper;      /* SK_PAPER_A3 (0, the default) or SK_PAPER_A4 */
} sk_review_opts;

/* Writes the review workbook of validated answers a to path. */
sk_error sk_review_write(const sk_answers *a, const char *path, const sk_review_opts *o, sk_diag *d);

#endif
