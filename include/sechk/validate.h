/* sechk — the validator: the template's rules applied to answers.
 *
 * sk_validate decides the phase (given, or auto: the latest lifecycle phase
 * with any checked answer), then for every item: which option groups are
 * due, the group rules implied by their kinds (exactly-one, confirm, any with
 * min, parent/child), the declared rules (docs/template-format.md), and the
 * reader's observations (altered text, missing or extra markers).  It sets
 * each item's status and findings (messages in Japanese and English).
 *
 * Ownership: findings are added to the answers; nothing else is allocated.
 */
#ifndef SECHK_VALIDATE_H
#define SECHK_VALIDATE_H

#include <stdbool.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/text.h"

/* Validates a in phase (a phase index, or -1 for auto).  Clears earlier
 * findings first, so it may be called again with another phase. */
sk_error sk_validate(sk_answers *a, int phase, sk_diag *d);

/* True if any finding has error severity. */
bool sk_answers_has_errors(const sk_answers *a);

/* A year and month read from text ("2025年4月", "令和7年4月", "R7.4",
 * "2025/04", full-width digits; 元年). */
typedef struct sk_ym {
    int year, month;
} sk_ym;

typedef enum sk_ym_result {
    SK_YM_OK = 0,
    SK_YM_EMPTY,       /* nothing written */
    SK_YM_PLACEHOLDER, /* 〇 left in place */
    SK_YM_INVALID      /* not a year and month, or month out of 1..12 */
} sk_ym_result;

/* Parses one year-month at the start of s (trailing 頃, 予定, 日 are
 * allowed); *end receives the rest. */
sk_ym_result sk_ym_parse(const char *s, sk_ym *out, const char **end);

/* Parses a date of a document (作成日/更新日): a year-month with an optional
 * day. Returns false if there is none. */
bool sk_doc_date_parse(const char *s, sk_ym *out);

/* Appends docs/rules.md's table for template t: one row per rule, implied
 * group rules included (item, column, rule, severity, code, messages). */
sk_error sk_rules_markdown(const sk_template *t, sk_buf *out);

#endif
