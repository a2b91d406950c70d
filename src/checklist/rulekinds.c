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
 * {date} the document's date, {level} the item's level (the template's
 * noun: 必須要件), {party} the column, {first} the column answered first
 * (answered-first; {first_short} its short name), {range} the method numbers
 * (disposal-methods). */
const sk_outcome_def sk_outcome_defs[SK_OC__COUNT] = {
    [SK_OC_UNANSWERED] = {"unanswered", SK_CLASS_DEFICIENCY, "{label}のいずれか1つをチェックしてください（未回答）。",
                          "Check one of {label} (unanswered).", "該当する選択肢の□を■に変えて回答してください。",
                          "Answer by changing the box of one option to ■."},
    [SK_OC_PARENT_ONE] = {"parent-without-child", SK_CLASS_DEFICIENCY,
                          "{parent}をチェックした場合は、{label}のいずれか1つもチェックしてください。",
                          "{parent} is checked: also check one of {label}.", "該当する内訳の□を■に変えてください。",
                          "Check the applicable sub-option."},
    [SK_OC_PARENT_MIN] = {"parent-without-child", SK_CLASS_DEFICIENCY,
                          "{parent}をチェックした場合は、{label}のうち少なくとも{n}つをチェックしてください。",
                          "{parent} is checked: also check at least {n} of {label}.",
                          "該当する内訳の□を■に変えてください。", "Check the applicable sub-option."},
    [SK_OC_CONFLICT] = {"conflict", SK_CLASS_DEFICIENCY,
                        "{list}が同時にチェックされています（矛盾）。{label}のうち1つだけをチェックしてください。",
                        "{list} are checked together (contradiction): check only one of {label}.",
                        "該当する1つだけを■にし、ほかは□に戻してください。",
                        "Keep ■ on one option only; set the others back to □."},
    [SK_OC_CHILD] =
        {"child-without-parent", SK_CLASS_DEFICIENCY,
         "{list}がチェックされていますが、{parent}がチェックされていません。{parent}もチェックするか、{list}"
         "のチェックを外してください。",
         "{list} is checked but {parent} is not: check {parent} too, or uncheck {list}.",
         "上位の選択肢も■にするか、内訳の■を□に戻してください。",
         "Check the parent option too, or clear the sub-option."},
    [SK_OC_UNCONFIRMED] = {"unconfirmed", SK_CLASS_DEFICIENCY,
                           "{label}がチェックされていません（未回答）。要件を確認のうえチェックしてください。",
                           "{label} is not checked (unanswered): check it once the requirement is confirmed.",
                           "内容を確認のうえ、□を■に変えてください。", "Confirm the content and change the box to ■."},
    [SK_OC_TOO_FEW] = {"too-few", SK_CLASS_DEFICIENCY, "{label}のうち少なくとも{n}つをチェックしてください（未回答）。",
                       "Check at least {n} of {label} (unanswered).", "実施している対策の□を■に変えてください。",
                       "Check the measures that are in place."},
    [SK_OC_SLOT_EMPTY] = {"slot-empty", SK_CLASS_DEFICIENCY,
                          "{label}をチェックした場合は「{slot}」欄を記入してください。",
                          "{label} is checked: fill in \"{slot}\".", "指定の欄に具体的に記入してください。",
                          "Fill in the named field."},
    [SK_OC_SLOT_EMPTY_ANY] = {"slot-empty", SK_CLASS_DEFICIENCY, "「{slot}」欄を記入してください。",
                              "Fill in \"{slot}\".", "指定の欄に具体的に記入してください。",
                              "Fill in the named field."},
    [SK_OC_YM_MISSING] =
        {"year-month-missing", SK_CLASS_DEFICIENCY,
         "{label}をチェックした場合は、〇年〇月の部分に実際の年月を記入してください（例: 2025年4月、令和7年4"
         "月）。",
         "{label} is checked: write the real year and month in place of 〇年〇月 (e.g. 2025年4月 or "
         "令和7年4月).",
         "指摘内容に示した欄に実際の年月（例：2025年4月）を記入してください。",
         "Write the actual year and month (e.g. 2025年4月)."},
    [SK_OC_YM_MISSING_ANY] = {"year-month-missing", SK_CLASS_DEFICIENCY,
                              "「{slot}」に年月を記入してください（例: 2025年4月、令和7年4月）。",
                              "Write the year and month in \"{slot}\" (e.g. 2025年4月 or 令和7年4月).",
                              "指摘内容に示した欄に実際の年月（例：2025年4月）を記入してください。",
                              "Write the actual year and month (e.g. 2025年4月)."},
    [SK_OC_YM_PLACEHOLDER] =
        {"year-month-placeholder", SK_CLASS_DEFICIENCY,
         "{what}の年月に〇が残っています（記入: 「{value}」）。〇を実際の年月に書き換えてください。",
         "{what}: the year and month still hold 〇 (written: \"{value}\"): replace it with the real "
         "year and month.",
         "「〇」を実際の年月の数字に書き換えてください（例：2025年4月）。",
         "Replace 〇 with the actual year and month (e.g. 2025年4月)."},
    [SK_OC_YM_INVALID] =
        {"year-month-invalid", SK_CLASS_DEFICIENCY,
         "{what}の年月「{value}」が読み取れません。2025年4月、令和7年4月のように記入してください（月は1～1"
         "2）。",
         "{what}: \"{value}\" is not a year and month: write it like 2025年4月 or 令和7年4月 (month 1 to "
         "12).",
         "年月を「2025年4月」の形で記入し直してください。", "Rewrite the date as a year and month (e.g. 2025年4月)."},
    [SK_OC_YM_AFTER] =
        {"date-after-document", SK_CLASS_DEFICIENCY,
         "{label}の年月（{value}）が文書の日付（{date}）より後になっています。実施した年月か、文書の更新日を"
         "直してください。",
         "{label}: the date ({value}) is later than the document's date ({date}): correct the date or the "
         "document's 更新日.",
         NULL, NULL},
    [SK_OC_YM_PAST] =
        {"planned-past", SK_CLASS_REVIEW,
         "{label}の予定時期（{value}）が文書の日付（{date}）より前の月です（予定時期の経過）。実施済みなら回"
         "答を更新し、延期したなら新しい予定時期を記入してください。",
         "{label}: the planned date ({value}) is in a month before the document's date ({date}) (the planned "
         "time has passed): update the answer if it was done, or write the new date.",
         NULL, NULL},
    [SK_OC_COUNT] = {"count-invalid", SK_CLASS_DEFICIENCY,
                     "「{slot}」に件数を1以上の数字で記入してください（記入: 「{value}」）。",
                     "Write \"{slot}\" as a number of at least 1 (written: \"{value}\").", NULL, NULL},
    [SK_OC_DISPOSAL] = {"disposal-invalid", SK_CLASS_DEFICIENCY,
                        "「{slot}」に廃棄方法の番号（{range}）を記入してください（記入: 「{value}」）。",
                        "Write the disposal method numbers ({range}) in \"{slot}\" (written: \"{value}\").", NULL,
                        NULL},
    [SK_OC_VALUE_LOW] = {"value-too-low", SK_CLASS_NONCONFORMITY,
                         "「{slot}」が要件（{min}以上）を満たしていません（記入: 「{value}」）。",
                         "\"{slot}\" is below the required {min} (written: \"{value}\").", NULL, NULL},
    [SK_OC_VALUE_INVALID] = {"value-invalid", SK_CLASS_DEFICIENCY,
                             "「{slot}」を数字で記入してください（{min}以上が必要です。記入: 「{value}」）。",
                             "Write \"{slot}\" as a number ({min} or more is required; written: \"{value}\").", NULL,
                             NULL},
    [SK_OC_REASON_MISSING] = {"reason-missing", SK_CLASS_DEFICIENCY,
                              "{label}をチェックした場合は、その理由を「{slot}」に記入してください。",
                              "{label} is checked: give the reason in \"{slot}\".",
                              "指摘内容に示した欄に、その理由を記入してください。",
                              "Give the reason in the field the finding names."},
    [SK_OC_REASON_REVIEW] = {"reason-review", SK_CLASS_REVIEW,
                             "{label}とした理由を確認してください（{slot}: 「{value}」）。",
                             "Review the reason for {label} ({slot}: \"{value}\").", NULL, NULL},
    [SK_OC_REQ_UNCHECKED] =
        {"required-unchecked", SK_CLASS_DEFICIENCY,
         "必須の対策{list}がチェックされていません。実施する対策はチェックし、不要な場合はその理由を「{slot}"
         "」に記入してください。",
         "Required measures {list} are not checked: check those you implement, and give the reason for "
         "the others in \"{slot}\".",
         "実施している対策を■にしてください。実施しない対策は、指摘内容に示した欄にその理由を記入してください。",
         "Check the measures in place; for those not taken, give the reason in the field the finding names."},
    [SK_OC_REQ_REASON] = {"required-unchecked-reason", SK_CLASS_REVIEW,
                          "必須の対策{list}がチェックされていません。「{slot}」の理由を確認してください: 「{value}」",
                          "Required measures {list} are not checked: review the reason in \"{slot}\": \"{value}\"",
                          NULL, NULL},
    [SK_OC_ONLY] = {"only-option", SK_CLASS_NONCONFORMITY,
                    "{label}だけでは要件を満たしません。{list}のいずれかを組み合わせる必要があります。",
                    "{label} alone does not meet the requirement: it must be combined with one of {list}.",
                    "併用している対策を■にしてください。", "Check the measures combined with it."},
    [SK_OC_IMPLIED] = {"implied-missing", SK_CLASS_DEFICIENCY,
                       "{party}が{label}と回答しているため、{list}をチェックしてください。",
                       "The {party} answered {label}: check {list}.", NULL, NULL},
    [SK_OC_ANSWERED_FIRST] =
        {"answered-first", SK_CLASS_REVIEW,
         "{first}の回答欄が未回答のまま{label}がチェックされています。{first_short}の回答を確認して"
         "ください。",
         "{label} is checked while the {first}'s answer is empty: check the {first}'s answer.", NULL, NULL},
    [SK_OC_NONCONF] = {"nonconforming", SK_CLASS_NONCONFORMITY,
                       "{party}が{list}と回答しています（{level}を満たしていません）。記載: {quote}",
                       "The {party} answered {list}: the {level} is not met. Written: {quote}", NULL, NULL},
    [SK_OC_ATTEST] = {"attestation-unmet", SK_CLASS_DEFICIENCY,
                      "{label}がチェックされていますが、{party}回答欄の次の項目が未回答です: {list}。全ての項目に"
                      "回答してから{label}としてください。",
                      "{label} is checked but the {party}'s cells of these items are unanswered: {list}. Answer "
                      "them before checking {label}.",
                      NULL, NULL},
    [SK_OC_PLANNED_LATE] =
        {"planned-overdue", SK_CLASS_REVIEW,
         "{list}と回答されていますが、この項目の段階（{phase}）は過ぎています（要確認）。実施済みなら"
         "回答を更新し、未実施ならその理由を備考に記入してください。",
         "{list} is answered although this item's phase ({phase}) is past (to review): update the "
         "answer if it was done, or give the reason in 備考.",
         NULL, NULL},
    [SK_OC_ITEM_MISSING] =
        {"item-missing", SK_CLASS_DEFICIENCY,
         "No.{n} の行がブックに見つかりません。行を削除したり番号を書き換えたりしていないか確認してください。",
         "The row of No.{n} is not in the workbook: check that it was not deleted or renumbered.",
         "削除された行を元に戻し、回答してください。", "Restore the deleted row and answer it."},
    [SK_OC_MARKER_MISSING] = {"marker-missing", SK_CLASS_REVIEW,
                              "選択肢{label}のチェックボックス（□）が見当たりません。消えた□を元に戻してください。",
                              "The checkbox of option {label} is missing: put the □ back.",
                              "削除されたチェックボックス（□）を元に戻したうえで回答してください。",
                              "Restore the deleted checkbox (□) and answer."},
    [SK_OC_MARKER_EXTRA] = {"marker-extra", SK_CLASS_REVIEW,
                            "定型文にないチェックボックス（{value}）があります。追加された□/■を削除してください。",
                            "A checkbox ({value}) that the template does not have: remove it.",
                            "定型文にないチェックボックスを削除してください。",
                            "Remove the checkbox the template does not have."},
    [SK_OC_TEXT_CHANGED] =
        {"text-altered", SK_CLASS_REVIEW,
         "定型文が改変されています: 原文「{quote}」→「{value}」。内容を確認してください（補足は備考に"
         "記入します）。",
         "Template text was changed: original \"{quote}\" -> \"{value}\". Review it (notes belong in "
         "備考).",
         NULL, NULL},
    [SK_OC_TEXT_DELETED] = {"text-altered", SK_CLASS_REVIEW,
                            "定型文が削除されています: 原文「{quote}」。内容を確認してください。",
                            "Template text was deleted: original \"{quote}\". Review it.", NULL, NULL},
    [SK_OC_TEXT_APPROX] =
        {"text-altered", SK_CLASS_REVIEW,
         "回答欄の文章が定型文と大きく異なるため、チェックボックスを順番で対応付けました。内容を確認して"
         "ください。",
         "The cell differs too much from the template; its checkboxes were matched by order. Review it.", NULL, NULL},
};

/* clang-format off */
/* Shorthands of the table: an attribute bit, an outcome, an outcome under a condition. */
#define B(a) SK_RA_BIT(SK_RA_##a)
#define O(id) {SK_OC_##id, SK_IF_ALWAYS}
#define OIF(id, cond) {SK_OC_##id, SK_IF_##cond}

/* One kind per block, one member per line. */
const sk_rule_kind_def sk_rule_kinds[SK_RULE__COUNT] = {
    [SK_RULE_SLOT_REQUIRED] = {
        .name = "slot-required",
        .required = B(SLOT),
        .doc = {SK_RA_WHEN, SK_RA_SLOT},
        .outcomes = {OIF(SLOT_EMPTY, WHEN), OIF(SLOT_EMPTY_ANY, NO_WHEN)},
        .n_outcomes = 2,
        .check = sk_check_slot_required,
    },
    [SK_RULE_YEAR_MONTH] = {
        .name = "year-month",
        .required = B(SLOT),
        .doc = {SK_RA_WHEN, SK_RA_SLOT, SK_RA_TIMING},
        .outcomes = {OIF(YM_MISSING, WHEN), OIF(YM_MISSING_ANY, NO_WHEN), O(YM_PLACEHOLDER), O(YM_INVALID), OIF(YM_AFTER, DONE), OIF(YM_PAST, PLANNED)},
        .n_outcomes = 6,
        .check = sk_check_year_month,
    },
    [SK_RULE_COUNT] = {
        .name = "count",
        .required = B(SLOT),
        .doc = {SK_RA_WHEN, SK_RA_SLOT},
        .outcomes = {O(COUNT)},
        .n_outcomes = 1,
        .check = sk_check_count,
    },
    [SK_RULE_DISPOSAL] = {
        .name = "disposal-methods",
        .value_attr = "max",
        .required = B(SLOT) | B(VALUE),
        .doc = {SK_RA_WHEN, SK_RA_SLOT},
        .outcomes = {O(DISPOSAL)},
        .n_outcomes = 1,
        .check = sk_check_disposal,
    },
    [SK_RULE_MIN_VALUE] = {
        .name = "min-value",
        .value_attr = "value",
        .required = B(SLOT),
        .doc = {SK_RA_WHEN, SK_RA_SLOT, SK_RA_VALUE},
        .outcomes = {O(VALUE_LOW), O(VALUE_INVALID)},
        .n_outcomes = 2,
        .check = sk_check_min_value,
    },
    [SK_RULE_REASON] = {
        .name = "reason",
        .required = B(SLOT) | B(WHEN),
        .doc = {SK_RA_WHEN, SK_RA_SLOT},
        .outcomes = {O(REASON_MISSING), O(REASON_REVIEW)},
        .n_outcomes = 2,
        .check = sk_check_reason,
    },
    [SK_RULE_REASON_UNCHECKED] = {
        .name = "reason-unchecked",
        .list_attr = "options",
        .required = B(SLOT) | B(LIST),
        .doc = {SK_RA_LIST, SK_RA_QUOTE, SK_RA_SLOT},
        .outcomes = {O(REQ_UNCHECKED), O(REQ_REASON)},
        .n_outcomes = 2,
        .check = sk_check_reason_unchecked,
    },
    [SK_RULE_NOT_ONLY] = {
        .name = "not-only",
        .option_attr = "option",
        .list_attr = "others",
        .required = B(OPTION) | B(LIST),
        .doc = {SK_RA_OPTION, SK_RA_LIST},
        .outcomes = {O(ONLY)},
        .n_outcomes = 1,
        .check = sk_check_not_only,
    },
    [SK_RULE_IMPLIES] = {
        .name = "implies",
        .option_attr = "if",
        .list_attr = "then",
        .required = B(OPTION) | B(LIST),
        .doc = {SK_RA_OPTION, SK_RA_LIST},
        .outcomes = {O(IMPLIED)},
        .n_outcomes = 1,
        .check = sk_check_implies,
    },
    [SK_RULE_ANSWERED_FIRST] = {
        .name = "answered-first",
        .required = B(WHEN) | B(GROUP),
        .doc = {SK_RA_WHEN, SK_RA_GROUP},
        .outcomes = {O(ANSWERED_FIRST)},
        .n_outcomes = 1,
        .check = sk_check_answered_first,
    },
    [SK_RULE_NONCONFORMING] = {
        .name = "nonconforming",
        .list_attr = "options",
        .required = B(LIST),
        .doc = {SK_RA_LIST, SK_RA_QUOTE, SK_RA_SLOT},
        .outcomes = {O(NONCONF)},
        .n_outcomes = 1,
        .check = sk_check_nonconforming,
    },
    [SK_RULE_ATTESTS] = {
        .name = "attests",
        .required = B(WHEN),
        .doc = {SK_RA_WHEN, SK_RA_EXCEPT},
        .outcomes = {O(ATTEST)},
        .n_outcomes = 1,
        .check = sk_check_attests,
    },
    [SK_RULE_PLANNED_LATE] = {
        .name = "planned-late",
        .list_attr = "options",
        .required = B(LIST),
        .doc = {SK_RA_LIST, SK_RA_UNLESS},
        .outcomes = {O(PLANNED_LATE)},
        .n_outcomes = 1,
        .check = sk_check_planned_late,
    },
};
/* clang-format on */

const char *sk_outcome_action(const char *code, int lang)
{
    for (int o = 0; o < SK_OC__COUNT; o++)
        if (strcmp(sk_outcome_defs[o].code, code) == 0 && sk_outcome_defs[o].action_ja)
            return lang ? sk_outcome_defs[o].action_en : sk_outcome_defs[o].action_ja;
    return NULL;
}

int sk_rule_kind_lookup(const char *name)
{
    for (int k = 0; k < SK_RULE__COUNT; k++)
        if (strcmp(sk_rule_kinds[k].name, name) == 0)
            return k;
    return -1;
}
