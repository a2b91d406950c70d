/* sechk — the rule kinds and outcomes: one table entry per kind
 * (include/sechk/rulekind.h).  The loader (template.c), the validator
 * (validate.c), docs/rules.md (rules_doc.c) and the review workbook read
 * these tables and nothing else about a kind. */
#include "sechk/rulekind.h"

#include <string.h>

#include "rule_checks.h"

/* Placeholders: {label} the option(s) the rule is about, {list} the options
 * the answers concern, {parent} a parent option ({label}, {list} and
 * {parent} come bracketed), {slot} a slot's label, {value} what was written,
 * {quote} text quoted from the answers, {min} a minimum, {n} a number,
 * {date} the document's date, {level} 必須要件/推奨要件, {party} the column. */
const sk_outcome_def sk_outcome_defs[SK_OC__COUNT] = {
    [SK_OC_UNANSWERED] = {"unanswered", SK_CLASS_DEFICIENCY, "{label}のいずれか1つをチェックしてください（未回答）。",
                       "Check one of {label} (unanswered)."},
    [SK_OC_PARENT_ONE] = {"parent-without-child", SK_CLASS_DEFICIENCY,
                       "{parent}をチェックした場合は、{label}のいずれか1つもチェックしてください。",
                       "{parent} is checked: also check one of {label}."},
    [SK_OC_PARENT_MIN] = {"parent-without-child", SK_CLASS_DEFICIENCY,
                       "{parent}をチェックした場合は、{label}のうち少なくとも{n}つをチェックしてください。",
                       "{parent} is checked: also check at least {n} of {label}."},
    [SK_OC_CONFLICT] = {"conflict", SK_CLASS_DEFICIENCY,
                     "{list}が同時にチェックされています（矛盾）。{label}のうち1つだけをチェックしてください。",
                     "{list} are checked together (contradiction): check only one of {label}."},
    [SK_OC_CHILD] = {"child-without-parent", SK_CLASS_DEFICIENCY,
                  "{list}がチェックされていますが、{parent}がチェックされていません。{parent}もチェックするか、{list}"
                  "のチェックを外してください。",
                  "{list} is checked but {parent} is not: check {parent} too, or uncheck {list}."},
    [SK_OC_UNCONFIRMED] = {"unconfirmed", SK_CLASS_DEFICIENCY,
                        "{label}がチェックされていません（未回答）。要件を確認のうえチェックしてください。",
                        "{label} is not checked (unanswered): check it once the requirement is confirmed."},
    [SK_OC_TOO_FEW] = {"too-few", SK_CLASS_DEFICIENCY, "{label}のうち少なくとも{n}つをチェックしてください（未回答）。",
                    "Check at least {n} of {label} (unanswered)."},
    [SK_OC_SLOT_EMPTY] = {"slot-empty", SK_CLASS_DEFICIENCY, "{label}をチェックした場合は「{slot}」欄を記入してください。",
                       "{label} is checked: fill in \"{slot}\"."},
    [SK_OC_SLOT_EMPTY_ANY] = {"slot-empty", SK_CLASS_DEFICIENCY, "「{slot}」欄を記入してください。", "Fill in \"{slot}\"."},
    [SK_OC_YM_MISSING] =
        {"year-month-missing", SK_CLASS_DEFICIENCY,
         "{label}をチェックした場合は、〇年〇月の部分に実際の年月を記入してください（例: 2025年4月、令和7年4"
         "月）。",
         "{label} is checked: write the real year and month in place of 〇年〇月 (e.g. 2025年4月 or "
         "令和7年4月)."},
    [SK_OC_YM_MISSING_ANY] = {"year-month-missing", SK_CLASS_DEFICIENCY,
                           "「{slot}」に年月を記入してください（例: 2025年4月、令和7年4月）。",
                           "Write the year and month in \"{slot}\" (e.g. 2025年4月 or 令和7年4月)."},
    [SK_OC_YM_PLACEHOLDER] = {"year-month-placeholder", SK_CLASS_DEFICIENCY,
                           "{what}の年月に〇が残っています（記入: 「{value}」）。〇を実際の年月に書き換えてください。",
                           "{what}: the year and month still hold 〇 (written: \"{value}\"): replace it with the real "
                           "year and month."},
    [SK_OC_YM_INVALID] =
        {"year-month-invalid", SK_CLASS_DEFICIENCY,
         "{what}の年月「{value}」が読み取れません。2025年4月、令和7年4月のように記入してください（月は1～1"
         "2）。",
         "{what}: \"{value}\" is not a year and month: write it like 2025年4月 or 令和7年4月 (month 1 to "
         "12)."},
    [SK_OC_YM_AFTER] =
        {"date-after-document", SK_CLASS_DEFICIENCY,
         "{label}の年月（{value}）が文書の日付（{date}）より後になっています。実施した年月か、文書の更新日を"
         "直してください。",
         "{label}: the date ({value}) is later than the document's date ({date}): correct the date or the "
         "document's 更新日."},
    [SK_OC_YM_PAST] =
        {"planned-past", SK_CLASS_REVIEW,
         "{label}の予定時期（{value}）が文書の日付（{date}）より前の月です（予定時期の経過）。実施済みなら回"
         "答を更新し、延期したなら新しい予定時期を記入してください。",
         "{label}: the planned date ({value}) is in a month before the document's date ({date}) (the planned "
         "time has passed): update the answer if it was done, or write the new date."},
    [SK_OC_COUNT] = {"count-invalid", SK_CLASS_DEFICIENCY, "「{slot}」に件数を1以上の数字で記入してください（記入: 「{value}」）。",
                  "Write \"{slot}\" as a number of at least 1 (written: \"{value}\")."},
    [SK_OC_DISPOSAL] = {"disposal-invalid", SK_CLASS_DEFICIENCY,
                     "「{slot}」に廃棄方法の番号（①～⑥）を記入してください（記入: 「{value}」）。",
                     "Write the disposal method numbers (① to ⑥) in \"{slot}\" (written: \"{value}\")."},
    [SK_OC_VALUE_LOW] = {"value-too-low", SK_CLASS_NONCONFORMITY,
                      "「{slot}」が要件（{min}以上）を満たしていません（記入: 「{value}」）。",
                      "\"{slot}\" is below the required {min} (written: \"{value}\")."},
    [SK_OC_VALUE_INVALID] = {"value-invalid", SK_CLASS_DEFICIENCY,
                          "「{slot}」を数字で記入してください（{min}以上が必要です。記入: 「{value}」）。",
                          "Write \"{slot}\" as a number ({min} or more is required; written: \"{value}\")."},
    [SK_OC_REASON_MISSING] = {"reason-missing", SK_CLASS_DEFICIENCY,
                           "{label}をチェックした場合は、その理由を「{slot}」に記入してください。",
                           "{label} is checked: give the reason in \"{slot}\"."},
    [SK_OC_REASON_REVIEW] = {"reason-review", SK_CLASS_REVIEW, "{label}とした理由を確認してください（{slot}: 「{value}」）。",
                          "Review the reason for {label} ({slot}: \"{value}\")."},
    [SK_OC_REQ_UNCHECKED] =
        {"required-unchecked", SK_CLASS_DEFICIENCY,
         "必須の対策{list}がチェックされていません。実施する対策はチェックし、不要な場合はその理由を「{slot}"
         "」に記入してください。",
         "Required measures {list} are not checked: check those you implement, and give the reason for "
         "the others in \"{slot}\"."},
    [SK_OC_REQ_REASON] = {"required-unchecked-reason", SK_CLASS_REVIEW,
                       "必須の対策{list}がチェックされていません。「{slot}」の理由を確認してください: 「{value}」",
                       "Required measures {list} are not checked: review the reason in \"{slot}\": \"{value}\""},
    [SK_OC_ONLY] = {"only-option", SK_CLASS_NONCONFORMITY,
                 "{label}だけでは要件を満たしません。{list}のいずれかを組み合わせる必要があります。",
                 "{label} alone does not meet the requirement: it must be combined with one of {list}."},
    [SK_OC_IMPLIED] = {"implied-missing", SK_CLASS_DEFICIENCY, "{party}が{label}と回答しているため、{list}をチェックしてください。",
                    "The {party} answered {label}: check {list}."},
    [SK_OC_ANSWERED_FIRST] =
        {"answered-first", SK_CLASS_REVIEW,
         "外部サービス提供者の回答欄が未回答のまま{label}がチェックされています。提供者の回答を確認して"
         "ください。",
         "{label} is checked while the provider's answer is empty: check the provider's answer."},
    [SK_OC_NONCONF] = {"nonconforming", SK_CLASS_NONCONFORMITY,
                    "{party}が{list}と回答しています（{level}を満たしていません）。記載: {quote}",
                    "The {party} answered {list}: the {level} is not met. Written: {quote}"},
    [SK_OC_ATTEST] = {"attestation-unmet", SK_CLASS_DEFICIENCY,
                   "{label}がチェックされていますが、{party}回答欄の次の項目が未回答です: {list}。全ての項目に"
                   "回答してから{label}としてください。",
                   "{label} is checked but the {party}'s cells of these items are unanswered: {list}. Answer "
                   "them before checking {label}."},
    [SK_OC_PLANNED_LATE] = {"planned-overdue", SK_CLASS_REVIEW,
                         "{list}と回答されていますが、この項目の段階（{phase}）は過ぎています（要確認）。実施済みなら"
                         "回答を更新し、未実施ならその理由を備考に記入してください。",
                         "{list} is answered although this item's phase ({phase}) is past (to review): update the "
                         "answer if it was done, or give the reason in 備考."},
    [SK_OC_ITEM_MISSING] =
        {"item-missing", SK_CLASS_DEFICIENCY,
         "No.{n} の行がブックに見つかりません。行を削除したり番号を書き換えたりしていないか確認してください。",
         "The row of No.{n} is not in the workbook: check that it was not deleted or renumbered."},
    [SK_OC_MARKER_MISSING] = {"marker-missing", SK_CLASS_REVIEW,
                           "選択肢{label}のチェックボックス（□）が見当たりません。消えた□を元に戻してください。",
                           "The checkbox of option {label} is missing: put the □ back."},
    [SK_OC_MARKER_EXTRA] = {"marker-extra", SK_CLASS_REVIEW,
                         "定型文にないチェックボックス（{value}）があります。追加された□/■を削除してください。",
                         "A checkbox ({value}) that the template does not have: remove it."},
    [SK_OC_TEXT_CHANGED] = {"text-altered", SK_CLASS_REVIEW,
                         "定型文が改変されています: 原文「{quote}」→「{value}」。内容を確認してください（補足は備考に"
                         "記入します）。",
                         "Template text was changed: original \"{quote}\" -> \"{value}\". Review it (notes belong in "
                         "備考)."},
    [SK_OC_TEXT_DELETED] = {"text-altered", SK_CLASS_REVIEW, "定型文が削除されています: 原文「{quote}」。内容を確認してください。",
                         "Template text was deleted: original \"{quote}\". Review it."},
    [SK_OC_TEXT_APPROX] =
        {"text-altered", SK_CLASS_REVIEW,
         "回答欄の文章が定型文と大きく異なるため、チェックボックスを順番で対応付けました。内容を確認して"
         "ください。",
         "The cell differs too much from the template; its checkboxes were matched by order. Review it."},
};

#define B(a) SK_RA_BIT(SK_RA_##a)
#define O(id) {SK_OC_##id, SK_IF_ALWAYS}
#define OIF(id, cond) {SK_OC_##id, SK_IF_##cond}

const sk_rule_kind_def sk_rule_kinds[SK_RULE__COUNT] = {
    [SK_RULE_SLOT_REQUIRED] = {"slot-required", NULL, NULL, B(SLOT), {SK_RA_WHEN, SK_RA_SLOT},
                               {OIF(SLOT_EMPTY, WHEN), OIF(SLOT_EMPTY_ANY, NO_WHEN)}, 2, sk_check_slot_required},
    [SK_RULE_YEAR_MONTH] = {"year-month", NULL, NULL, B(SLOT), {SK_RA_WHEN, SK_RA_SLOT, SK_RA_TIMING},
                            {OIF(YM_MISSING, WHEN), OIF(YM_MISSING_ANY, NO_WHEN), O(YM_PLACEHOLDER), O(YM_INVALID),
                             OIF(YM_AFTER, DONE), OIF(YM_PAST, PLANNED)},
                            6, sk_check_year_month},
    [SK_RULE_COUNT] = {"count", NULL, NULL, B(SLOT), {SK_RA_WHEN, SK_RA_SLOT}, {O(COUNT)}, 1, sk_check_count},
    [SK_RULE_DISPOSAL] = {"disposal-methods", NULL, NULL, B(SLOT), {SK_RA_WHEN, SK_RA_SLOT}, {O(DISPOSAL)}, 1,
                          sk_check_disposal},
    [SK_RULE_MIN_VALUE] = {"min-value", NULL, NULL, B(SLOT), {SK_RA_WHEN, SK_RA_SLOT, SK_RA_VALUE},
                           {O(VALUE_LOW), O(VALUE_INVALID)}, 2, sk_check_min_value},
    [SK_RULE_REASON] = {"reason", NULL, NULL, B(SLOT) | B(WHEN), {SK_RA_WHEN, SK_RA_SLOT},
                        {O(REASON_MISSING), O(REASON_REVIEW)}, 2, sk_check_reason},
    [SK_RULE_REASON_UNCHECKED] = {"reason-unchecked", NULL, "options", B(SLOT) | B(LIST),
                                  {SK_RA_LIST, SK_RA_QUOTE, SK_RA_SLOT}, {O(REQ_UNCHECKED), O(REQ_REASON)}, 2,
                                  sk_check_reason_unchecked},
    [SK_RULE_NOT_ONLY] = {"not-only", "option", "others", B(OPTION) | B(LIST), {SK_RA_OPTION, SK_RA_LIST},
                          {O(ONLY)}, 1, sk_check_not_only},
    [SK_RULE_IMPLIES] = {"implies", "if", "then", B(OPTION) | B(LIST), {SK_RA_OPTION, SK_RA_LIST}, {O(IMPLIED)}, 1,
                         sk_check_implies},
    [SK_RULE_ANSWERED_FIRST] = {"answered-first", NULL, NULL, B(WHEN) | B(GROUP), {SK_RA_WHEN, SK_RA_GROUP},
                                {O(ANSWERED_FIRST)}, 1, sk_check_answered_first},
    [SK_RULE_NONCONFORMING] = {"nonconforming", NULL, "options", B(LIST), {SK_RA_LIST, SK_RA_QUOTE, SK_RA_SLOT},
                               {O(NONCONF)}, 1, sk_check_nonconforming},
    [SK_RULE_ATTESTS] = {"attests", NULL, NULL, B(WHEN), {SK_RA_WHEN, SK_RA_EXCEPT}, {O(ATTEST)}, 1,
                         sk_check_attests},
    [SK_RULE_PLANNED_LATE] = {"planned-late", NULL, "options", B(LIST), {SK_RA_LIST, SK_RA_UNLESS},
                              {O(PLANNED_LATE)}, 1, sk_check_planned_late},
};

int sk_rule_kind_lookup(const char *name)
{
    for (int k = 0; k < SK_RULE__COUNT; k++)
        if (strcmp(sk_rule_kinds[k].name, name) == 0)
            return k;
    return -1;
}
