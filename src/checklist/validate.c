/* sechk — the rule engine: phases, group rules, declared rules, statuses. */
#include "sechk/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* State of one item while it is validated. */
typedef struct ctx {
    sk_answers *a;
    sk_item_answers *ia;
    const sk_item *it;
    int phase;
    bool has_date;
    sk_ym date; /* the document's 更新日, else 作成日 */
    bool nonconforming;
    sk_error err;
} ctx;

/* Severity for a rule or group: explicit, else by the item's level. */
static sk_severity sev_of(const ctx *c, sk_severity explicit_sev)
{
    if (explicit_sev != SK_SEV_DEFAULT)
        return explicit_sev;
    return c->it->level == SK_LEVEL_REQUIRED ? SK_SEV_ERROR : SK_SEV_WARNING;
}

/* Adds a finding with messages built from two formats sharing arguments. */
static void add(ctx *c, sk_severity sev, const char *code, int party, const char *fmt_ja, const char *fmt_en, ...)
    __attribute__((format(printf, 5, 7)));
static void add(ctx *c, sk_severity sev, const char *code, int party, const char *fmt_ja, const char *fmt_en, ...)
{
    char ja[1024], en[1024];
    va_list ap;
    va_start(ap, fmt_en);
    vsnprintf(ja, sizeof ja, fmt_ja, ap);
    va_end(ap);
    va_start(ap, fmt_en);
    vsnprintf(en, sizeof en, fmt_en, ap);
    va_end(ap);
    if (!c->err)
        c->err = sk_item_add_finding(c->ia, sev, code, party, ja, en);
}

/* Replaces {label}, {slot}, {value} and {quote} in a template message. */
static void expand(char *out, size_t cap, const char *msg, const char *label, const char *slot, const char *value,
                   const char *quote)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = msg; *p && n + 1 < cap;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "{label}", 7) == 0)
            rep = label, skip = 7;
        else if (strncmp(p, "{slot}", 6) == 0)
            rep = slot, skip = 6;
        else if (strncmp(p, "{value}", 7) == 0)
            rep = value, skip = 7;
        else if (strncmp(p, "{quote}", 7) == 0)
            rep = quote, skip = 7;
        if (skip) {
            int w = snprintf(out + n, cap - n, "%s", rep ? rep : "");
            n = w < 0 ? n : n + (size_t)w >= cap ? cap - 1 : n + (size_t)w;
            p += skip;
        } else {
            out[n++] = *p++;
            out[n] = '\0';
        }
    }
}

/* Adds a rule's finding: the template's message when it has one, else the
 * default built from the formats. */
static void add_rule(ctx *c, const sk_rule *r, sk_severity sev, const char *code, const char *label,
                     const char *slot, const char *value, const char *quote, const char *def_ja, const char *def_en)
{
    char ja[1024], en[1024];
    expand(ja, sizeof ja, r->msg_ja ? r->msg_ja : def_ja, label, slot, value, quote);
    expand(en, sizeof en, r->msg_en ? r->msg_en : def_en, label, slot, value, quote);
    if (!c->err)
        c->err = sk_item_add_finding(c->ia, sev, r->code ? r->code : code, (int)r->party, ja, en);
}

static const sk_cell_answers *cell(const ctx *c, sk_party p)
{
    return &c->ia->cells[p];
}

static bool is_checked(const ctx *c, sk_ref r)
{
    const sk_cell_answers *ca = cell(c, r.party);
    return r.index >= 0 && ca->present && ca->r.state && ca->r.state[r.index] == SK_BOX_CHECKED;
}

static const char *opt_label(const ctx *c, sk_ref r)
{
    return r.index >= 0 ? c->it->cells[r.party].options[r.index].label : "";
}

static const char *slot_value(const ctx *c, sk_ref r)
{
    const sk_cell_answers *ca = cell(c, r.party);
    return r.index >= 0 && ca->r.values && ca->r.values[r.index] ? ca->r.values[r.index] : "";
}

static const char *slot_label(const ctx *c, sk_ref r)
{
    return r.index >= 0 ? c->it->cells[r.party].slots[r.index].label : "";
}

/* True if the item's lifecycle makes it due in the phase. */
static bool item_due(const ctx *c)
{
    return c->it->lifecycle == SK_LIFECYCLE_ALL || c->it->lifecycle <= c->phase;
}

/* True if a group of a cell is due in the phase. */
static bool group_due(const ctx *c, const sk_group *g)
{
    if (g->phases)
        return (g->phases >> c->phase) & 1u;
    return item_due(c);
}

/* True if an option's block is due: its group's scope, else the item's. */
static bool option_due(const ctx *c, sk_ref r)
{
    if (r.index < 0)
        return item_due(c);
    const sk_cell_def *def = &c->it->cells[r.party];
    int g = def->options[r.index].group;
    return g >= 0 ? group_due(c, &def->groups[g]) : item_due(c);
}

/* Joins option labels as 「A」「B」 into out. */
static void join_labels(const ctx *c, const sk_ref *refs, int n, const bool *pick, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (pick && !pick[i])
            continue;
        int w = snprintf(out + len, cap - len, "「%s」", opt_label(c, refs[i]));
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

/* The implied rules of one group. */
static void check_group(ctx *c, sk_party p, int gi)
{
    const sk_cell_def *def = &c->it->cells[p];
    const sk_group *g = &def->groups[gi];
    const sk_cell_answers *ca = cell(c, p);
    int n = 0;
    char names[512];
    size_t len = 0;
    names[0] = '\0';
    for (int k = 0; k < g->n_options; k++) {
        int o = g->options[k];
        if (ca->r.state[o] == SK_BOX_CHECKED)
            n++;
        int w = snprintf(names + len, sizeof names - len, "「%s」", def->options[o].label);
        if (w > 0 && (size_t)w < sizeof names - len)
            len += (size_t)w;
    }
    sk_severity sev = sev_of(c, g->severity);
    if (g->parent >= 0 && ca->r.state[g->parent] != SK_BOX_CHECKED) {
        if (n > 0)
            add(c, SK_SEV_ERROR, "child-without-parent", p,
                "%sがチェックされていますが、「%s」がチェックされていません。",
                "%s is checked but its parent \"%s\" is not.", names, def->options[g->parent].label);
        return;
    }
    bool parent_checked = g->parent >= 0;
    switch (g->kind) {
    case SK_GROUP_EXACTLY_ONE:
        if (n > 1)
            add(c, SK_SEV_ERROR, "conflict", p, "%sのうち複数がチェックされています（いずれか1つを選んでください）。",
                "More than one of %s is checked (choose one).", names);
        else if (n == 0 && (parent_checked || !g->optional))
            add(c, sev, parent_checked ? "parent-without-child" : "unanswered", p,
                "%sのいずれかをチェックしてください（未回答）。", "Check one of %s (unanswered).", names);
        break;
    case SK_GROUP_CONFIRM:
        if (n == 0 && !g->optional)
            add(c, sev, "unconfirmed", p, "%sがチェックされていません（未回答）。", "%s is not checked (unanswered).",
                names);
        break;
    case SK_GROUP_ANY:
        if (g->min > 0 && n < g->min && (parent_checked || !g->optional))
            add(c, sev, parent_checked ? "parent-without-child" : "too-few", p,
                "%sのうち少なくとも%d つをチェックしてください。", "Check at least %d of %s.", names, g->min);
        break;
    }
}

/* Trims and folds digits: full-width digits to ASCII. */
static long parse_count(const char *s, bool *ok)
{
    size_t len = strlen(s), pos = 0;
    long v = 0;
    int digits = 0;
    *ok = false;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp < 0)
            return 0;
        uint32_t f = sk_fold_cp((uint32_t)cp);
        if (f >= '0' && f <= '9') {
            if (v > 100000000)
                return 0;
            v = v * 10 + (long)(f - '0');
            digits++;
        } else if (sk_is_space(f) || f == ',' || cp == 0x4EF6 /* 件 */) {
            continue;
        } else {
            return 0;
        }
    }
    *ok = digits > 0;
    return v;
}

/* Parses a decimal number with full-width digits; trailing 年 allowed. */
static bool parse_number(const char *s, double *out)
{
    char buf[64];
    size_t n = 0, len = strlen(s), pos = 0;
    while (pos < len && n + 1 < sizeof buf) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp < 0)
            return false;
        uint32_t f = sk_fold_cp((uint32_t)cp);
        if ((f >= '0' && f <= '9') || f == '.')
            buf[n++] = (char)f;
        else if (sk_is_space(f) || cp == 0x5E74 /* 年 */ || cp == 0x4EE5 /* 以 */ || cp == 0x4E0A /* 上 */)
            continue;
        else
            return false;
    }
    buf[n] = '\0';
    if (!n)
        return false;
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0';
}

/* Checks a disposal-method slot: numbers ①–⑥ or 1–6. */
static bool parse_disposal(const char *s, bool *any)
{
    size_t len = strlen(s), pos = 0;
    *any = false;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp < 0)
            return false;
        uint32_t f = sk_fold_cp((uint32_t)cp);
        if (cp >= 0x2460 && cp <= 0x2465) /* ①..⑥ */
            *any = true;
        else if (cp >= 0x2466 && cp <= 0x2473) /* ⑦..⑳ */
            return false;
        else if (f >= '1' && f <= '6')
            *any = true;
        else if ((f >= '0' && f <= '9'))
            return false;
    }
    return true;
}

/* Month index for comparing year-months. */
static int ym_index(sk_ym v)
{
    return v.year * 12 + (v.month - 1);
}

/* Checks one year-month slot value for a rule. */
static void check_year_month(ctx *c, const sk_rule *r, const char *label)
{
    const char *v = slot_value(c, r->slot);
    const char *sl = slot_label(c, r->slot);
    sk_severity sev = sev_of(c, r->severity);
    bool list = c->it->cells[r->slot.party].slots[r->slot.index].kind == SK_SLOT_YEAR_MONTHS;
    const char *p = v;
    int count = 0;
    sk_ym last = {0, 0};
    for (;;) {
        while (*p == ' ' || strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0 || *p == ',' ||
               strncmp(p, "・", 3) == 0 || strncmp(p, "　", 3) == 0 || *p == '\n')
            p += (*p == ' ' || *p == ',' || *p == '\n') ? 1 : 3;
        if (!*p)
            break;
        sk_ym ym;
        const char *end;
        sk_ym_result res = sk_ym_parse(p, &ym, &end);
        if (res == SK_YM_PLACEHOLDER && list && count > 0)
            break; /* "2025年4月、〇年〇月・・・": the rest is the placeholder */
        if (res == SK_YM_PLACEHOLDER) {
            add_rule(c, r, sev, "year-month-placeholder", label, sl, v, "",
                     "「{label}」の「{slot}」に〇が残っています。年月を記入してください（記入: 「{value}」）。",
                     "\"{label}\": the year and month in \"{slot}\" still hold 〇 (written: \"{value}\").");
            return;
        }
        if (res != SK_YM_OK) {
            add_rule(c, r, sev, "year-month-invalid", label, sl, v, "",
                     "「{label}」の「{slot}」が正しい年月ではありません（記入: 「{value}」）。",
                     "\"{label}\": \"{slot}\" is not a valid year and month (written: \"{value}\").");
            return;
        }
        count++;
        if (ym_index(ym) > ym_index(last))
            last = ym;
        if (!list)
            break;
        p = end;
    }
    if (count == 0) {
        add_rule(c, r, sev, "year-month-empty", label, sl, v, "", "「{label}」を選んだ場合は「{slot}」の年月を記入してください。",
                 "\"{label}\" needs the year and month in \"{slot}\".");
        return;
    }
    if (!c->has_date)
        return;
    char ym[64];
    snprintf(ym, sizeof ym, "%d年%d月", last.year, last.month);
    if (r->timing == SK_TIMING_DONE && ym_index(last) > ym_index(c->date))
        add_rule(c, r, SK_SEV_ERROR, "date-after-document", label, sl, ym, "",
                 "「{label}」の時期（{value}）が文書の日付より後です。",
                 "\"{label}\": the date ({value}) is later than the document's date.");
    else if (r->timing == SK_TIMING_PLANNED && ym_index(last) + 3 < ym_index(c->date))
        add_rule(c, r, SK_SEV_WARNING, "planned-past", label, sl, ym, "",
                 "「{label}」の予定時期（{value}）が文書の日付より前です。実施状況を更新してください。",
                 "\"{label}\": the planned date ({value}) has passed; update the answer.");
}

/* One declared rule. */
static void check_rule(ctx *c, const sk_rule *r)
{
    const char *label = r->when.index >= 0 ? opt_label(c, r->when) : "";
    bool active = r->when.index < 0 || is_checked(c, r->when);
    sk_severity sev = sev_of(c, r->severity);
    char buf[1024];
    switch (r->kind) {
    case SK_RULE_SLOT_REQUIRED:
        if (!option_due(c, r->when) || !active || *slot_value(c, r->slot))
            return;
        add_rule(c, r, sev, "slot-empty", label, slot_label(c, r->slot), "", "",
                 r->when.index >= 0 ? "「{label}」を選んだ場合は「{slot}」を記入してください。" : "「{slot}」を記入してください。",
                 r->when.index >= 0 ? "\"{label}\" needs \"{slot}\" filled in." : "Fill in \"{slot}\".");
        return;
    case SK_RULE_YEAR_MONTH:
        if (option_due(c, r->when) && active && r->when.index >= 0)
            check_year_month(c, r, label);
        return;
    case SK_RULE_COUNT: {
        const char *v = slot_value(c, r->slot);
        bool ok;
        if (!option_due(c, r->when) || !active)
            return;
        long n = parse_count(v, &ok);
        if (!ok || n <= 0)
            add_rule(c, r, sev, "count-invalid", label, slot_label(c, r->slot), v, "",
                     "「{slot}」に1以上の件数を数字で記入してください（記入: 「{value}」）。",
                     "\"{slot}\" needs a positive number (written: \"{value}\").");
        return;
    }
    case SK_RULE_DISPOSAL: {
        const char *v = slot_value(c, r->slot);
        bool any;
        if (!option_due(c, r->when) || !active)
            return;
        if (!parse_disposal(v, &any) || !any)
            add_rule(c, r, sev, "disposal-invalid", label, slot_label(c, r->slot), v, "",
                     "「{slot}」に廃棄方法の番号（①～⑥）を記入してください（記入: 「{value}」）。",
                     "\"{slot}\" needs disposal method numbers from ① to ⑥ (written: \"{value}\").");
        return;
    }
    case SK_RULE_MIN_VALUE: {
        const char *v = slot_value(c, r->slot);
        double x;
        if (!option_due(c, r->when) || !active)
            return;
        char min[32];
        snprintf(min, sizeof min, "%g", r->value);
        if (!parse_number(v, &x))
            add_rule(c, r, sev, "value-invalid", label, slot_label(c, r->slot), v, min,
                     "「{slot}」に数値を記入してください（{quote} 以上、記入: 「{value}」）。",
                     "\"{slot}\" needs a number of at least {quote} (written: \"{value}\").");
        else if (x < r->value)
            add_rule(c, r, sev, "value-too-low", label, slot_label(c, r->slot), v, min,
                     "「{slot}」が要件（{quote} 以上）を満たしません（記入: 「{value}」）。",
                     "\"{slot}\" is below the requirement of {quote} (written: \"{value}\").");
        return;
    }
    case SK_RULE_REASON: {
        if (!option_due(c, r->when) || !active)
            return;
        const char *v = slot_value(c, r->slot);
        if (!*v)
            add_rule(c, r, sev, "reason-missing", label, slot_label(c, r->slot), "", "",
                     "「{label}」とした理由を「{slot}」に記入してください。",
                     "\"{label}\" needs its reason in \"{slot}\".");
        else
            add_rule(c, r, SK_SEV_WARNING, "reason-review", label, slot_label(c, r->slot), v, "",
                     "「{label}」の理由を確認してください: 「{value}」",
                     "Review the reason given for \"{label}\": \"{value}\"");
        return;
    }
    case SK_RULE_REASON_UNCHECKED: {
        bool pick[SK_MAX_OPTIONS] = {false};
        int n = 0;
        for (int k = 0; k < r->n_list && k < SK_MAX_OPTIONS; k++)
            if (option_due(c, r->list[k]) && !is_checked(c, r->list[k]))
                pick[k] = true, n++;
        if (!n)
            return;
        join_labels(c, r->list, r->n_list, pick, buf, sizeof buf);
        const char *v = slot_value(c, r->slot);
        if (!*v)
            add_rule(c, r, sev, "required-unchecked", buf, slot_label(c, r->slot), "", "",
                     "必須の対策{label}がチェックされていません。対策が不要な場合は理由を「{slot}」に記入してください。",
                     "Required measures {label} are not checked; if not needed, give the reason in \"{slot}\".");
        else
            add_rule(c, r, SK_SEV_WARNING, "required-unchecked-reason", buf, slot_label(c, r->slot), v, "",
                     "必須の対策{label}が未チェックです。理由を確認してください: 「{value}」",
                     "Required measures {label} are not checked; review the reason: \"{value}\"");
        return;
    }
    case SK_RULE_NOT_ONLY: {
        if (!option_due(c, r->option) || !is_checked(c, r->option))
            return;
        for (int k = 0; k < r->n_list; k++)
            if (is_checked(c, r->list[k]))
                return;
        join_labels(c, r->list, r->n_list, NULL, buf, sizeof buf);
        add_rule(c, r, sev, "only-option", opt_label(c, r->option), "", buf, "",
                 "「{label}」だけでは要件を満たしません。{value}のいずれかを組み合わせてください。",
                 "\"{label}\" alone does not meet the requirement; combine it with one of {value}.");
        return;
    }
    case SK_RULE_IMPLIES: {
        if (!option_due(c, r->option) || !is_checked(c, r->option))
            return;
        bool pick[SK_MAX_OPTIONS] = {false};
        int n = 0;
        for (int k = 0; k < r->n_list && k < SK_MAX_OPTIONS; k++)
            if (!is_checked(c, r->list[k]))
                pick[k] = true, n++;
        if (!n)
            return;
        join_labels(c, r->list, r->n_list, pick, buf, sizeof buf);
        char who[64];
        snprintf(who, sizeof who, "%s", r->option.party == SK_PROVIDER ? "外部サービス提供者" : "受託者");
        add_rule(c, r, sev, "implied-missing", opt_label(c, r->option), "", buf, who,
                 "{quote}の回答「{label}」に応じて{value}をチェックしてください。",
                 "The answer \"{label}\" requires {value} to be checked.");
        return;
    }
    case SK_RULE_ANSWERED_FIRST: {
        if (!option_due(c, r->when) || !active)
            return;
        const sk_cell_def *gd = &c->it->cells[r->group.party];
        const sk_group *g = &gd->groups[r->group.index];
        for (int k = 0; k < g->n_options; k++)
            if (is_checked(c, (sk_ref){r->group.party, g->options[k]}))
                return;
        add_rule(c, r, SK_SEV_WARNING, "answered-first", label, "", "", "",
                 "外部サービス提供者の回答が未記入のまま「{label}」がチェックされています。",
                 "\"{label}\" is checked while the provider's answer is empty.");
        return;
    }
    case SK_RULE_NONCONFORMING: {
        bool pick[SK_MAX_OPTIONS] = {false};
        int n = 0;
        for (int k = 0; k < r->n_list && k < SK_MAX_OPTIONS; k++)
            if (is_checked(c, r->list[k]))
                pick[k] = true, n++;
        if (!n || !item_due(c))
            return;
        join_labels(c, r->list, r->n_list, pick, buf, sizeof buf);
        char quote[1024];
        size_t ql = 0;
        quote[0] = '\0';
        for (int k = 0; k < r->n_quote; k++) {
            const char *v = slot_value(c, r->quote[k]);
            if (!*v)
                continue;
            int w = snprintf(quote + ql, sizeof quote - ql, "%s%s：%s", ql ? "／" : "", slot_label(c, r->quote[k]), v);
            if (w < 0 || (size_t)w >= sizeof quote - ql)
                break;
            ql += (size_t)w;
        }
        if (!ql)
            snprintf(quote, sizeof quote, "%s", "（理由の記載なし）");
        if (c->it->level == SK_LEVEL_REQUIRED)
            c->nonconforming = true;
        add_rule(c, r, sev, "nonconforming", buf, "", "", quote,
                 "外部サービス提供者が{label}と回答しています（必須要件を満たしていません）。記載内容: {quote}",
                 "The provider answered {label}: the requirement is not met. Stated: {quote}");
        return;
    }
    default:
        return;
    }
}

/* Reports altered text, missing and extra markers of one cell. */
static void check_reading(ctx *c, sk_party p)
{
    const sk_cell_def *def = &c->it->cells[p];
    const sk_cell_answers *ca = cell(c, p);
    for (int o = 0; o < def->n_options; o++)
        if (ca->r.state[o] == SK_BOX_MISSING)
            add(c, SK_SEV_WARNING, "marker-missing", p,
                "選択肢「%s」のチェックボックス（□/■）が見当たりません（削除または改変）。",
                "The checkbox of option \"%s\" is missing (deleted or altered).", def->options[o].label);
    for (int m = 0; m < ca->r.n_markers; m++)
        if (ca->r.markers[m].option < 0)
            add(c, SK_SEV_WARNING, "marker-extra", p, "定型文にないチェックボックスがあります（%s）。",
                "A checkbox that the template does not have (%s).", ca->r.markers[m].checked ? "■" : "□");
    for (int k = 0; k < ca->r.n_alterations; k++) {
        const sk_alteration *al = &ca->r.alterations[k];
        if (al->replacement && *al->replacement)
            add(c, SK_SEV_WARNING, "text-altered", p, "定型文が改変されています: 原文「%.300s」→「%.300s」",
                "Template text was changed: original \"%.300s\" -> \"%.300s\"", al->original, al->replacement);
        else
            add(c, SK_SEV_WARNING, "text-altered", p, "定型文が削除されています: 原文「%.300s」",
                "Template text was deleted: original \"%.300s\"", al->original);
    }
    if (ca->r.approximate)
        add(c, SK_SEV_WARNING, "text-altered", p,
            "回答欄の文章が定型文と大きく異なるため、チェックボックスを順番で対応付けました。内容を確認してください。",
            "The cell differs too much from the template; checkboxes were matched by order. Review it.");
}

/* True if any option of a due group in the item is checked. */
static bool any_checked(const ctx *c)
{
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        const sk_cell_answers *ca = cell(c, p);
        const sk_cell_def *def = &c->it->cells[p];
        if (!ca->present)
            continue;
        for (int o = 0; o < def->n_options; o++)
            if (ca->r.state[o] == SK_BOX_CHECKED)
                return true;
    }
    return false;
}

/* Validates one item and sets its status. */
static void check_item(ctx *c)
{
    sk_item_answers *ia = c->ia;
    bool due = item_due(c);
    for (int p = 0; p < SK_PARTY__COUNT && !due; p++)
        for (int g = 0; g < c->it->cells[p].n_groups; g++)
            if (!c->it->cells[p].absent && group_due(c, &c->it->cells[p].groups[g]))
                due = true;
    if (ia->row <= 0) {
        if (due)
            add(c, sev_of(c, SK_SEV_DEFAULT), "item-missing", -1, "No.%d の行がブックに見つかりません。",
                "The row of item %d is missing from the workbook.", c->it->no);
        ia->status = due ? SK_STATUS_UNANSWERED : SK_STATUS_NOT_DUE;
        return;
    }
    for (int p = 0; p < SK_PARTY__COUNT; p++)
        if (cell(c, p)->present)
            check_reading(c, (sk_party)p);
    if (!due) {
        ia->status = SK_STATUS_NOT_DUE;
        return;
    }
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        const sk_cell_def *def = &c->it->cells[p];
        if (def->absent)
            continue;
        for (int g = 0; g < def->n_groups; g++)
            if (group_due(c, &def->groups[g]))
                check_group(c, (sk_party)p, g);
    }
    for (int r = 0; r < c->it->n_rules; r++)
        check_rule(c, &c->it->rules[r]);

    bool error = false, warning = false;
    for (int f = 0; f < ia->n_findings; f++) {
        error |= ia->findings[f].severity == SK_SEV_ERROR;
        warning |= ia->findings[f].severity == SK_SEV_WARNING;
    }
    if (c->nonconforming)
        ia->status = SK_STATUS_NONCONFORMING;
    else if (error)
        ia->status = any_checked(c) ? SK_STATUS_DEFICIENT : SK_STATUS_UNANSWERED;
    else if (warning)
        ia->status = any_checked(c) ? SK_STATUS_REVIEW : SK_STATUS_UNANSWERED;
    else
        ia->status = SK_STATUS_OK;
}

/* The latest lifecycle phase with any checked answer (0 if none). */
static int auto_phase(const sk_answers *a)
{
    int phase = 0;
    for (int i = 0; i < a->n_items; i++) {
        const sk_item_answers *ia = &a->items[i];
        int lc = ia->item->lifecycle;
        if (lc <= phase || ia->row <= 0)
            continue;
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *def = &ia->item->cells[p];
            if (!ia->cells[p].present)
                continue;
            for (int o = 0; o < def->n_options; o++) {
                /* a box of a block scoped to earlier phases says nothing about this one */
                int g = def->options[o].group;
                if (g >= 0 && def->groups[g].phases && !((def->groups[g].phases >> lc) & 1u))
                    continue;
                if (ia->cells[p].r.state[o] == SK_BOX_CHECKED && lc > phase)
                    phase = lc;
            }
        }
    }
    return phase;
}

sk_error sk_validate(sk_answers *a, int phase, sk_diag *d)
{
    for (int i = 0; i < a->n_items; i++) {
        sk_item_answers *ia = &a->items[i];
        for (int f = 0; f < ia->n_findings; f++) {
            free(ia->findings[f].message_ja);
            free(ia->findings[f].message_en);
        }
        ia->n_findings = 0;
    }
    a->phase_auto = phase < 0;
    a->phase = phase >= 0 ? phase : auto_phase(a);
    ctx c = {.a = a, .phase = a->phase};
    c.has_date = sk_doc_date_parse(a->doc[SK_DOC_UPDATED], &c.date) ||
                 sk_doc_date_parse(a->doc[SK_DOC_CREATED], &c.date);
    for (int i = 0; i < a->n_items && !c.err; i++) {
        c.ia = &a->items[i];
        c.it = c.ia->item;
        c.nonconforming = false;
        check_item(&c);
    }
    if (c.err)
        return sk_diag_set(d, c.err, "out of memory while checking");
    return SK_OK;
}

bool sk_answers_has_errors(const sk_answers *a)
{
    for (int i = 0; i < a->n_items; i++)
        for (int f = 0; f < a->items[i].n_findings; f++)
            if (a->items[i].findings[f].severity == SK_SEV_ERROR)
                return true;
    return false;
}
