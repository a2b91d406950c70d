/* sechk — the answers read from one workbook, and the findings on them.
 *
 * An sk_answers holds, for each item of the template, where the item was
 * found (row, cell references), what each answer cell says (the alignment of
 * its text with the template: option states, slot values, extra markers,
 * alterations), the item's status and its findings.  extract fills the
 * answers; check adds statuses and findings; json, csv, fill and review read
 * them.
 *
 * Ownership: an sk_answers owns everything it points to except the template;
 * free it with sk_answers_free.  The template must outlive it.
 */
#ifndef SECHK_ANSWERS_H
#define SECHK_ANSWERS_H

#include <stdbool.h>

#include "sechk/align.h"
#include "sechk/error.h"
#include "sechk/lang.h"
#include "sechk/template.h"

typedef enum sk_status {
    SK_STATUS_OK = 0,       /* 適合 */
    SK_STATUS_NONCONFORMING, /* 不適合 */
    SK_STATUS_DEFICIENT,    /* 不備 */
    SK_STATUS_REVIEW,       /* 要確認 */
    SK_STATUS_UNANSWERED,   /* 未回答 */
    SK_STATUS_NOT_DUE,      /* 対象外（時期） */
    SK_STATUS__COUNT
} sk_status;

/* What a finding says about its item; the item's status is derived from
 * its findings' classes and severities (src/checklist/validate.c). */
typedef enum sk_outcome_class {
    SK_CLASS_DEFICIENCY = 0, /* the answer is incomplete or malformed (severity by the rule) */
    SK_CLASS_REVIEW,         /* a point to review: always a warning */
    SK_CLASS_NONCONFORMITY   /* the answer says the requirement is not met */
} sk_outcome_class;

typedef struct sk_finding {
    sk_severity severity; /* SK_SEV_INFO, SK_SEV_WARNING or SK_SEV_ERROR */
    sk_outcome_class cls; /* SK_CLASS_DEFICIENCY for the reader's findings */
    const char *code;     /* stable code (static or template string) */
    int party;            /* sk_party, or -1 for the item as a whole */
    char *message_ja;
    char *message_en;
} sk_finding;

/* A comment (note or threaded comment) on an answer cell: the answerer's
 * remark, never read as an answer. */
typedef struct sk_comment {
    char *author; /* "" if unknown */
    char *text;
    bool threaded;
} sk_comment;

typedef struct sk_cell_answers {
    bool present;     /* false for a "―" cell (JSON null) */
    char ref[16];     /* "H9", or "" if the item was not found */
    char *raw;        /* the cell text as read (or as rendered by fill) */
    sk_align_result r; /* option states, slot values, markers, alterations */
    sk_comment *comments; /* comments on the cell, in the workbook's order */
    int n_comments;
    int cap_comments;
    bool *by_control; /* [n_options] or NULL: the option was checked by a check box control */
} sk_cell_answers;

typedef struct sk_item_answers {
    const sk_item *item;
    int row;          /* 1-based worksheet row, 0 if the item was not found */
    sk_status status;
    sk_finding *findings;
    int n_findings;
    int cap_findings;
    sk_cell_answers cells[SK_PARTY__COUNT];
    /* findings made while reading (check box controls, shapes, comments on
     * the cells); sk_validate starts each item's findings with them */
    sk_finding *reading;
    int n_reading;
    int cap_reading;
} sk_item_answers;

typedef struct sk_answers {
    const sk_template *tpl;
    char *path;     /* source file as given */
    char *sha256;   /* hex */
    char *sheet;    /* the checklist sheet's name */
    char *doc[SK_DOC__COUNT]; /* 作成日, 更新日, 利用する外部サービス as typed ("" if none) */
    int phase;      /* phase index used by check, or -1 before check */
    bool phase_auto;
    int basis_no;   /* auto: the item whose answer showed the phase (0: no later-phase evidence) */
    const char *basis_scope; /* its block's heading or group id (the template's string), or NULL */
    sk_item_answers *items; /* [tpl->n_items], in template order */
    int n_items;
    /* 作成日 and 更新日 as dates, "YYYY-MM-DD", or "" when the cell holds no
     * full date (a real Excel date, or a text date in 西暦 or 和暦) */
    char doc_date[2][11];
    /* Findings about the workbook as a whole, made while reading (which sheet
     * was read and why); sk_validate keeps them. */
    sk_finding *notes;
    int n_notes;
    int cap_notes;
    char *converted_by; /* "LibreOffice 7.4…" when read through --convert, else NULL */
} sk_answers;

/* Returns new empty answers for t: every cell present (or absent per the
 * template), every option unchecked, every value "".  NULL on no memory. */
sk_answers *sk_answers_new(const sk_template *t);

/* Like sk_answers_new, but the present cells of each item i whose row[i] is
 * not 0 are left without a result (r zeroed): the caller fills every one of
 * them (the extractor aligns them), sparing the blank it would replace. */
sk_answers *sk_answers_new_located(const sk_template *t, const uint32_t *row);

/* Frees the answers (NULL is fine). */
void sk_answers_free(sk_answers *a);

/* Replaces *dst with a copy of src (NULL gives ""); SK_ERR_NOMEM on failure. */
sk_error sk_answers_set_str(char **dst, const char *src);

/* Appends a finding to an item; the messages are copied. */
sk_error sk_item_add_finding(sk_item_answers *ia, sk_severity sev, const char *code, int party,
                             const char *message_ja, const char *message_en);

/* Appends a reading finding to an item (kept by sk_validate). */
sk_error sk_item_add_reading(sk_item_answers *ia, sk_severity sev, const char *code, int party,
                             const char *message_ja, const char *message_en);

/* Appends a comment to a cell (the strings are copied). */
sk_error sk_cell_add_comment(sk_cell_answers *ca, const char *author, const char *text, bool threaded);

/* Appends a finding about the whole workbook (a reading note). */
sk_error sk_answers_add_note(sk_answers *a, sk_severity sev, const char *code, const char *message_ja,
                             const char *message_en);

/* Names: "ok", "nonconforming", …; Japanese: 適合, 不適合, 不備, 要確認, 未回答, 対象外. */
const char *sk_status_name(sk_status s);
const char *sk_status_label(sk_status s, sk_lang lang);
/* "error", "warning", "info"; Japanese エラー, 警告, 情報. */
const char *sk_severity_name(sk_severity s);
const char *sk_severity_label(sk_severity s, sk_lang lang);

/* The verdict on a workbook: any error finding needs correction, else any
 * warning is to review, else it is ok. */
typedef enum sk_verdict { SK_VERDICT_CORRECT = 0, SK_VERDICT_REVIEW, SK_VERDICT_OK } sk_verdict;

/* Items by status, findings by severity, and the verdict. */
typedef struct sk_tally {
    int counts[SK_STATUS__COUNT];
    int errors, warnings, infos;
    sk_verdict verdict;
} sk_tally;

/* Tallies every item of a (statuses and findings) into *t. */
void sk_answers_tally(const sk_answers *a, sk_tally *t);

/* Tallies one item (its status and findings) into *t, which starts zeroed. */
void sk_item_tally(const sk_item_answers *ia, sk_tally *t);

/* Adds one finding of severity s to *t and updates its verdict. */
void sk_tally_finding(sk_tally *t, sk_severity s);

/* The verdict from the numbers of error and warning findings. */
sk_verdict sk_verdict_of(int errors, int warnings);

/* 要修正, 要確認, 問題なし; "needs correction", "to review", "ok". */
const char *sk_verdict_label(sk_verdict v, sk_lang lang);

#endif
