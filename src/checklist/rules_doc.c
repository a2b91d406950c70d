/* sechk — docs/rules.md generated from the template's rules. */
#include <stdio.h>
#include <string.h>

#include "sechk/validate.h"

/* Appends a Markdown table cell, escaping pipes and line breaks. */
static sk_error md(sk_buf *out, const char *s)
{
    sk_error e = sk_buf_append(out, " ");
    for (const char *p = s; !e && *p; p++)
        e = *p == '|' ? sk_buf_append(out, "\\|") : *p == '\n' ? sk_buf_append(out, " ") : sk_buf_putc(out, *p);
    return e ? e : sk_buf_append(out, " |");
}

/* Formats a reference as column:id. */
static void ref_name(const sk_item *it, sk_ref r, bool slot, char *out, size_t cap)
{
    const sk_cell_def *c = &it->cells[r.party];
    snprintf(out, cap, "%s", r.index < 0 ? "" : slot ? c->slots[r.index].id : c->options[r.index].id);
}

/* Severity in words for a default-severity rule. */
static const char *sev_word(const sk_item *it, sk_severity s)
{
    if (s == SK_SEV_DEFAULT)
        return it->level == SK_LEVEL_REQUIRED ? "error" : "warning";
    return s == SK_SEV_ERROR ? "error" : s == SK_SEV_WARNING ? "warning" : "info";
}

/* Appends one table row. */
static sk_error row(sk_buf *out, const sk_item *it, const char *column, const char *rule, const char *severity,
                    const char *code, const char *ja, const char *en)
{
    sk_error e = sk_buf_printf(out, "| %d |", it->no);
    if (!e)
        e = md(out, column);
    if (!e)
        e = md(out, rule);
    if (!e)
        e = md(out, severity);
    if (!e)
        e = md(out, code);
    if (!e)
        e = md(out, ja);
    if (!e)
        e = md(out, en);
    return e ? e : sk_buf_append(out, "\n");
}

sk_error sk_rules_markdown(const sk_template *t, sk_buf *out)
{
    sk_error e = sk_buf_append(out, "| item | column | rule | severity | code | message (ja) | message (en) |\n"
                                    "|---|---|---|---|---|---|---|\n");
    char desc[1024], a[128], b[128];
    for (int i = 0; i < t->n_items && !e; i++) {
        const sk_item *it = &t->items[i];
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_def *c = &it->cells[p];
            const char *col = sk_party_name((sk_party)p);
            for (int g = 0; g < c->n_groups && !e; g++) {
                const sk_group *gr = &c->groups[g];
                size_t n = (size_t)snprintf(desc, sizeof desc, "%s %s (", sk_group_kind_name(gr->kind), gr->id);
                for (int k = 0; k < gr->n_options && n < sizeof desc; k++)
                    n += (size_t)snprintf(desc + n, sizeof desc - n, "%s%s", k ? " " : "", c->options[gr->options[k]].id);
                if (n < sizeof desc)
                    n += (size_t)snprintf(desc + n, sizeof desc - n, ")");
                if (gr->parent >= 0 && n < sizeof desc)
                    n += (size_t)snprintf(desc + n, sizeof desc - n, " under %s", c->options[gr->parent].id);
                if (gr->phases && n < sizeof desc) {
                    n += (size_t)snprintf(desc + n, sizeof desc - n, " in");
                    for (int ph = 0; ph < t->n_phases && n < sizeof desc; ph++)
                        if ((gr->phases >> ph) & 1u)
                            n += (size_t)snprintf(desc + n, sizeof desc - n, " %s", t->phases[ph].id);
                }
                if (gr->optional && n < sizeof desc)
                    snprintf(desc + n, sizeof desc - n, " (optional)");
                const char *sev = sev_word(it, gr->severity);
                switch (gr->kind) {
                case SK_GROUP_EXACTLY_ONE:
                    if (!gr->optional || gr->parent >= 0)
                        e = row(out, it, col, desc, sev, gr->parent >= 0 ? "parent-without-child" : "unanswered",
                                "…のいずれかをチェックしてください（未回答）。", "Check one of … (unanswered).");
                    if (!e)
                        e = row(out, it, col, desc, "error", "conflict",
                                "…のうち複数がチェックされています。", "More than one of … is checked.");
                    break;
                case SK_GROUP_CONFIRM:
                    if (!gr->optional)
                        e = row(out, it, col, desc, sev, "unconfirmed", "…がチェックされていません（未回答）。",
                                "… is not checked (unanswered).");
                    break;
                case SK_GROUP_ANY:
                    if (gr->min > 0)
                        e = row(out, it, col, desc, sev, gr->parent >= 0 ? "parent-without-child" : "too-few",
                                "…のうち少なくとも n つをチェックしてください。", "Check at least n of ….");
                    break;
                }
                if (!e && gr->parent >= 0)
                    e = row(out, it, col, desc, "error", "child-without-parent",
                            "…がチェックされていますが、親の選択肢がチェックされていません。",
                            "… is checked but its parent is not.");
            }
        }
        for (int r = 0; r < it->n_rules && !e; r++) {
            const sk_rule *ru = &it->rules[r];
            size_t n = (size_t)snprintf(desc, sizeof desc, "%s", sk_rule_kind_name(ru->kind));
            ref_name(it, ru->when, false, a, sizeof a);
            ref_name(it, ru->slot, true, b, sizeof b);
            if (*a && n < sizeof desc)
                n += (size_t)snprintf(desc + n, sizeof desc - n, " when %s", a);
            if (*b && n < sizeof desc)
                n += (size_t)snprintf(desc + n, sizeof desc - n, " slot %s", b);
            ref_name(it, ru->option, false, a, sizeof a);
            if (*a && (ru->kind == SK_RULE_NOT_ONLY || ru->kind == SK_RULE_IMPLIES) && n < sizeof desc)
                n += (size_t)snprintf(desc + n, sizeof desc - n, " %s %s:%s", ru->kind == SK_RULE_IMPLIES ? "if" : "option",
                                      sk_party_name(ru->option.party), a);
            for (int k = 0; k < ru->n_list && n < sizeof desc; k++) {
                ref_name(it, ru->list[k], false, a, sizeof a);
                n += (size_t)snprintf(desc + n, sizeof desc - n, "%s%s:%s", k ? " " : " → ",
                                      sk_party_name(ru->list[k].party), a);
            }
            if (ru->kind == SK_RULE_MIN_VALUE && n < sizeof desc)
                n += (size_t)snprintf(desc + n, sizeof desc - n, " ≥ %g", ru->value);
            if (ru->kind == SK_RULE_YEAR_MONTH && n < sizeof desc)
                snprintf(desc + n, sizeof desc - n, " (%s)",
                         ru->timing == SK_TIMING_DONE ? "done" : ru->timing == SK_TIMING_PLANNED ? "planned" : "any");
            static const char *const codes[SK_RULE__COUNT] = {
                [SK_RULE_SLOT_REQUIRED] = "slot-empty", [SK_RULE_YEAR_MONTH] = "year-month-invalid",
                [SK_RULE_COUNT] = "count-invalid", [SK_RULE_DISPOSAL] = "disposal-invalid",
                [SK_RULE_MIN_VALUE] = "value-too-low", [SK_RULE_REASON] = "reason-missing",
                [SK_RULE_REASON_UNCHECKED] = "required-unchecked", [SK_RULE_NOT_ONLY] = "only-option",
                [SK_RULE_IMPLIES] = "implied-missing", [SK_RULE_ANSWERED_FIRST] = "answered-first",
                [SK_RULE_NONCONFORMING] = "nonconforming",
            };
            const char *sev = ru->kind == SK_RULE_ANSWERED_FIRST ? "warning" : sev_word(it, ru->severity);
            e = row(out, it, sk_party_name(ru->party), desc, sev, ru->code ? ru->code : codes[ru->kind],
                    ru->msg_ja ? ru->msg_ja : "(default)", ru->msg_en ? ru->msg_en : "(default)");
        }
    }
    return e;
}
