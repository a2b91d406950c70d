/* sechk — docs/rules.md's table, generated from the template's rules.
 *
 * One row per finding a group or rule can give.  The rule column restates
 * the declaration in the template's own terms (kind, then attributes as
 * key=value, lists comma-separated, references qualified when they point
 * into the other column), so a reader can find it in the template and a
 * test can parse it; the messages are the validator's, with the template's
 * labels filled in and "…" for what the answers supply. */
#include <stdio.h>
#include <string.h>

#include "sechk/rulekind.h"
#include "sechk/validate.h"

/* Appends a Markdown table cell, escaping pipes and line breaks. */
static sk_error md(sk_buf *out, const char *s)
{
    sk_error e = sk_buf_append(out, " ");
    for (const char *p = s; !e && *p; p++)
        e = *p == '|' ? sk_buf_append(out, "\\|") : *p == '\n' ? sk_buf_append(out, " ") : sk_buf_putc(out, *p);
    return e ? e : sk_buf_append(out, " |");
}

static const char *sev_word(sk_severity s)
{
    return s == SK_SEV_ERROR ? "error" : s == SK_SEV_WARNING ? "warning" : "info";
}

/* A bounded string being built. */
typedef struct desc {
    char s[1024];
    size_t n;
} desc;

/* Appends the strings a and b. */
static void put(desc *d, const char *a, const char *b)
{
    const char *parts[2] = {a, b};
    for (int i = 0; i < 2; i++)
        for (const char *s = parts[i]; s && *s && d->n + 1 < sizeof d->s; s++)
            d->s[d->n++] = *s;
    d->s[d->n] = '\0';
}

/* Appends a reference, qualified with its column when it is not `col`. */
static void put_ref(desc *d, const sk_item *it, sk_ref r, int col, int kind /* 0 box, 1 slot, 2 group */)
{
    const sk_cell_def *c = &it->cells[r.party];
    const char *id = kind == 0 ? c->options[r.index].id : kind == 1 ? c->slots[r.index].id : c->groups[r.index].id;
    if ((int)r.party != col)
        put(d, sk_party_name(r.party), ":");
    put(d, id, NULL);
}

/* Appends " key=a,b,c" for a list of references. */
static void put_list(desc *d, const char *key, const sk_item *it, const sk_ref *refs, int n, int col, int kind)
{
    put(d, " ", key);
    put(d, "=", NULL);
    for (int k = 0; k < n; k++) {
        if (k)
            put(d, ",", NULL);
        put_ref(d, it, refs[k], col, kind);
    }
}

/* The rule column of group g of cell p. */
static void group_desc(desc *d, const sk_template *t, const sk_item *it, sk_party p, const sk_group *g)
{
    const sk_cell_def *c = &it->cells[p];
    d->n = 0;
    d->s[0] = '\0';
    put(d, sk_group_kind_name(g->kind), " group=");
    put(d, g->id, NULL);
    put(d, " ", "options=");
    for (int k = 0; k < g->n_options; k++)
        put(d, k ? "," : "", c->options[g->options[k]].id);
    if (g->parent >= 0)
        put(d, " parent=", c->options[g->parent].id);
    if (g->min > 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", g->min);
        put(d, " min=", n);
    }
    if (g->phases) {
        put(d, " ", "phases=");
        bool first = true;
        for (int ph = 0; ph < t->n_phases; ph++)
            if ((g->phases >> ph) & 1u) {
                put(d, first ? "" : ",", t->phases[ph].id);
                first = false;
            }
    }
    if (g->optional)
        put(d, " ", "optional");
}

/* Appends the except phases of rule r (" except=a,b"), if any. */
static void put_except(desc *d, const sk_template *t, const sk_rule *r)
{
    bool first = true;
    for (int ph = 0; ph < t->n_phases; ph++)
        if ((r->except >> ph) & 1u) {
            put(d, first ? " except=" : ",", t->phases[ph].id);
            first = false;
        }
}

/* Appends attribute a of rule r as its kind k names it, when it is set
 * (timing and value always). */
static void put_attr(desc *d, const sk_template *t, const sk_item *it, const sk_rule *r, const sk_rule_kind_def *k,
                     sk_rule_attr a)
{
    static const char *const timing[] = {[SK_TIMING_ANY] = "any", [SK_TIMING_DONE] = "done",
                                         [SK_TIMING_PLANNED] = "planned"};
    int col = (int)r->party;
    char v[32];
    switch (a) {
    case SK_RA_WHEN: if (r->when.index >= 0) put_list(d, "when", it, &r->when, 1, col, 0); break;
    case SK_RA_SLOT: if (r->slot.index >= 0) put_list(d, "slot", it, &r->slot, 1, col, 1); break;
    case SK_RA_GROUP: if (r->group.index >= 0) put_list(d, "group", it, &r->group, 1, col, 2); break;
    case SK_RA_OPTION: if (r->option.index >= 0) put_list(d, k->option_attr, it, &r->option, 1, col, 0); break;
    case SK_RA_LIST: if (r->n_list) put_list(d, k->list_attr, it, r->list, r->n_list, col, 0); break;
    case SK_RA_QUOTE: if (r->n_quote) put_list(d, "quote", it, r->quote, r->n_quote, col, 1); break;
    case SK_RA_UNLESS: if (r->n_unless) put_list(d, "unless", it, r->unless, r->n_unless, col, 0); break;
    case SK_RA_EXCEPT: put_except(d, t, r); break;
    case SK_RA_TIMING: put(d, " timing=", (unsigned)r->timing <= SK_TIMING_PLANNED ? timing[r->timing] : "?"); break;
    case SK_RA_VALUE:
        snprintf(v, sizeof v, "%g", r->value);
        put(d, " value=", v);
        break;
    default: break;
    }
}

/* The rule column of rule r: its kind, then the attributes its kind's table
 * entry restates. */
static void rule_desc(desc *d, const sk_template *t, const sk_item *it, const sk_rule *r)
{
    d->n = 0;
    d->s[0] = '\0';
    put(d, sk_rule_kind_name(r->kind), NULL);
    if ((unsigned)r->kind >= SK_RULE__COUNT)
        return;
    const sk_rule_kind_def *k = &sk_rule_kinds[r->kind];
    for (int i = 0; i < SK_KIND_MAX_DOC && k->doc[i] != SK_RA_NONE; i++)
        put_attr(d, t, it, r, k, k->doc[i]);
}

/* Appends one table row. */
static sk_error row(sk_buf *out, const char *item, const char *column, const char *rule, const sk_outcome *o)
{
    sk_error e = sk_buf_printf(out, "| %s |", item);
    if (!e)
        e = md(out, column);
    if (!e)
        e = md(out, rule);
    if (!e)
        e = md(out, sev_word(o->severity));
    if (!e)
        e = md(out, o->code);
    if (!e)
        e = md(out, o->ja);
    if (!e)
        e = md(out, o->en);
    return e ? e : sk_buf_append(out, "\n");
}

sk_error sk_rules_markdown(const sk_template *t, sk_buf *out)
{
    sk_error e = sk_buf_append(out, "| item | column | rule | severity | code | message (ja) | message (en) |\n"
                                    "|---|---|---|---|---|---|---|\n");
    desc d;
    sk_outcome oc[SK_MAX_OUTCOMES];
    char item[16];
    for (int i = 0; i < t->n_items && !e; i++) {
        const sk_item *it = &t->items[i];
        snprintf(item, sizeof item, "%d", it->no);
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_def *c = &it->cells[p];
            for (int g = 0; g < c->n_groups && !e; g++) {
                group_desc(&d, t, it, (sk_party)p, &c->groups[g]);
                int n = sk_group_outcomes(t, it, (sk_party)p, g, oc);
                for (int k = 0; k < n && !e; k++)
                    e = row(out, item, sk_party_name((sk_party)p), d.s, &oc[k]);
            }
            for (int r = 0; r < it->n_rules && !e; r++) {
                const sk_rule *ru = &it->rules[r];
                if ((int)ru->party != p)
                    continue;
                rule_desc(&d, t, it, ru);
                int n = sk_rule_outcomes(t, it, ru, oc);
                for (int k = 0; k < n && !e; k++)
                    e = row(out, item, sk_party_name((sk_party)p), d.s, &oc[k]);
            }
        }
    }
    /* the reader's findings, on every item */
    static const char *const reading[] = {
        "reader: the row of a due item is not in the workbook",
        "reader: an option's □ is missing from the cell",
        "reader: a □ or ■ that the template does not have",
        "reader: template text replaced",
        "reader: template text deleted",
        "reader: the cell differs too much to align; options matched by order",
    };
    int n = sk_reading_outcomes(oc);
    for (int k = 0; k < n && !e; k++)
        e = row(out, "all", "any", k < (int)(sizeof reading / sizeof *reading) ? reading[k] : "reader", &oc[k]);
    return e;
}

sk_error sk_due_markdown(const sk_template *t, sk_buf *out)
{
    sk_error e = sk_buf_append(out, "| item | lifecycle | column | block |");
    for (int ph = 0; ph < t->n_phases && !e; ph++)
        e = sk_buf_printf(out, " %s |", t->phases[ph].label);
    if (!e)
        e = sk_buf_append(out, "\n|---|---|---|---|");
    for (int ph = 0; ph < t->n_phases && !e; ph++)
        e = sk_buf_append(out, "---|");
    if (!e)
        e = sk_buf_append(out, "\n");
    desc d;
    for (int i = 0; i < t->n_items && !e; i++) {
        const sk_item *it = &t->items[i];
        const char *life = it->lifecycle == SK_LIFECYCLE_ALL ? "all" : t->phases[it->lifecycle].label;
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_def *c = &it->cells[p];
            for (int g = 0; g < c->n_groups && !e; g++) {
                const sk_group *gr = &c->groups[g];
                d.n = 0;
                d.s[0] = '\0';
                put(&d, "group=", gr->id);
                if (gr->parent >= 0)
                    put(&d, " parent=", c->options[gr->parent].id);
                if (gr->optional)
                    put(&d, " ", "optional");
                if (gr->scope)
                    put(&d, " ", gr->scope);
                e = sk_buf_printf(out, "| %d |", it->no);
                if (!e)
                    e = md(out, life);
                if (!e)
                    e = md(out, sk_party_name((sk_party)p));
                if (!e)
                    e = md(out, d.s);
                for (int ph = 0; ph < t->n_phases && !e; ph++)
                    e = sk_buf_append(out, (gr->due >> ph) & 1u ? " ○ |" : " － |");
                if (!e)
                    e = sk_buf_append(out, "\n");
            }
        }
    }
    return e;
}
