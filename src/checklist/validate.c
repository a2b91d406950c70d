/* sechk — the rule engine: phases, group rules, declared rules, statuses.
 *
 * Every finding comes from one "outcome" (a code, a severity class and a
 * message in Japanese and English).  The same outcome definitions produce
 * docs/rules.md (sk_group_outcomes, sk_rule_outcomes), so the document and
 * the messages cannot drift apart. */
#include "sechk/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_checks.h"
#include "sechk/rulekind.h"

/* ---- Bounded, UTF-8-safe string building --------------------------------- */

typedef struct sbuf {
    char *p;
    size_t cap, len;
    bool full;
} sbuf;

static void sb_init(sbuf *b, char *p, size_t cap)
{
    b->p = p;
    b->cap = cap;
    b->len = 0;
    b->full = false;
    p[0] = '\0';
}

/* Appends s[0..n); when it does not fit, cuts at a character boundary and
 * ends the buffer with "…". */
static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->full)
        return;
    if (b->len + n < b->cap) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    } else {
        size_t room = b->cap > b->len + 4 ? b->cap - b->len - 4 : 0;
        while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
            room--;
        memcpy(b->p + b->len, s, room);
        b->len += room;
        if (b->len + 3 < b->cap) {
            memcpy(b->p + b->len, "…", 3);
            b->len += 3;
        }
        b->full = true;
    }
    b->p[b->len] = '\0';
}

static void sb_put(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* Appends at most max characters of s, then "…" if it was longer. */
static void sb_put_max(sbuf *b, const char *s, size_t max)
{
    size_t len = strlen(s), pos = 0, n = 0;
    while (pos < len && n < max) {
        sk_utf8_next(s, len, &pos);
        n++;
    }
    sb_putn(b, s, pos);
    if (pos < len)
        sb_put(b, "…");
}

/* Appends one option label in the language's quotes. */
static void sb_label(sbuf *b, sk_lang lang, const char *label)
{
    sb_put(b, lang == SK_LANG_EN ? "\"" : "「");
    sb_put(b, label);
    sb_put(b, lang == SK_LANG_EN ? "\"" : "」");
}

/* Longest quoted user text in a message, in characters. */
enum { QUOTE_MAX = 200 };

/* ---- Messages ------------------------------------------------------------- */

/* The arguments of a message; [0] Japanese, [1] English where they differ.
 * NULL stands for "…" (what the answers supply, in docs/rules.md). */
typedef struct margs {
    const sk_template *tpl; /* the words of parties and levels; NULL: the ids */
    const char *label[2], *list[2], *parent[2], *what[2];
    const char *slot, *value, *quote[2], *date, *phase;
    char min[32];
    char range[2][48]; /* disposal-methods: ①～⑥ / ① to ⑥ */
    int n;
    sk_level level;
    int party;        /* -1: none */
    int answerer;     /* answered-first: the column to answer first */
    bool quote_built; /* quote[] is already bounded and bracketed */
} margs;

/* Longest placeholder name, braces included. */
enum { PLACEHOLDER_MAX = 16 };

/* The template's word for party p (-1: the provider's) in language L (0 ja,
 * 1 en): the full label in Japanese, the short one in English. */
static const char *party_word(const margs *a, int p, int L, bool shortened)
{
    static const char *const ids[] = {"provider", "contractor"};
    int k = p == SK_CONTRACTOR ? 1 : 0;
    if (!a->tpl)
        return ids[k];
    const sk_party_def *d = &a->tpl->parties[k];
    return L || shortened ? (L ? d->short_label.en : d->short_label.ja) : d->label.ja;
}

/* The value of placeholder p (n bytes, braces included) in language L;
 * *known false if it is none; *quoted if it is the answerer's text. */
static const char *arg_of(const char *p, size_t n, const margs *a, int L, char num[16], bool *known, bool *quoted)
{
    static const char *const level_ids[] = {"required", "recommended"};
    const sk_words *lw = a->tpl ? &a->tpl->level_nouns[a->level == SK_LEVEL_RECOMMENDED] : NULL;
    *known = true;
    *quoted = false;
#define IS(name) (n == sizeof(name) - 1 && !strncmp(p, name, n))
    if (IS("{label}")) return a->label[L];
    if (IS("{list}")) return a->list[L];
    if (IS("{parent}")) return a->parent[L];
    if (IS("{what}")) return a->what[L];
    if (IS("{slot}")) return a->slot;
    if (IS("{value}")) return *quoted = true, a->value;
    if (IS("{quote}")) return *quoted = !a->quote_built, a->quote[L];
    if (IS("{date}")) return a->date;
    if (IS("{phase}")) return a->phase;
    if (IS("{min}")) return a->min;
    if (IS("{range}")) return a->range[L][0] ? a->range[L] : NULL;
    if (IS("{n}")) return a->n > 0 ? (snprintf(num, 16, "%d", a->n), num) : NULL; /* docs/rules.md: "…" */
    if (IS("{level}")) return lw ? (L ? lw->en : lw->ja) : level_ids[a->level == SK_LEVEL_RECOMMENDED];
    if (IS("{party}")) return party_word(a, a->party, L, false);
    if (IS("{first}")) return party_word(a, a->answerer, L, false);
    if (IS("{first_short}")) return party_word(a, a->answerer, L, true);
#undef IS
    *known = false;
    return NULL;
}

/* Expands a message template into out. */
static void expand(char *out, size_t cap, const char *tmpl, const margs *a, sk_lang lang)
{
    int L = lang == SK_LANG_EN;
    sbuf b;
    sb_init(&b, out, cap);
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close || close - p >= PLACEHOLDER_MAX) {
            const char *next = strchr(p + 1, '{');
            size_t n = next ? (size_t)(next - p) : strlen(p);
            sb_putn(&b, p, n);
            p += n;
            continue;
        }
        size_t n = (size_t)(close - p + 1);
        bool quoted, known;
        char num[16];
        const char *v = arg_of(p, n, a, L, num, &known, &quoted);
        if (!known)
            sb_putn(&b, p, n);
        else if (!v)
            sb_put(&b, "…");
        else if (quoted)
            sb_put_max(&b, v, QUOTE_MAX);
        else
            sb_put(&b, v);
        p += n;
    }
}

/* Joins option labels in the language's quotes; with abbreviate, a list of
 * more than four is cut to its first two and "など". */
static void join_labels(char *out, size_t cap, sk_lang lang, const char *const *labels, int n, bool abbreviate)
{
    sbuf b;
    sb_init(&b, out, cap);
    int shown = abbreviate && n > 4 ? 2 : n;
    for (int i = 0; i < shown; i++) {
        if (i && lang == SK_LANG_EN)
            sb_put(&b, ", ");
        sb_label(&b, lang, labels[i]);
    }
    if (shown < n)
        sb_put(&b, lang == SK_LANG_EN ? ", …" : "など");
}

/* Sets a->label (or list/parent) from option indexes of cell def. */
static void labels_of(const sk_cell_def *def, const int *idx, int n, bool abbreviate, char buf[2][SK_OUTCOME_MSG],
                      const char *dst[2])
{
    const char *labels[SK_MAX_OPTIONS];
    if (n > SK_MAX_OPTIONS)
        n = SK_MAX_OPTIONS;
    for (int i = 0; i < n; i++)
        labels[i] = def->options[idx[i]].label;
    for (int l = 0; l < 2; l++) {
        join_labels(buf[l], SK_OUTCOME_MSG, (sk_lang)l, labels, n, abbreviate);
        dst[l] = buf[l];
    }
}

/* Same from references (which may point into either cell). */
static void labels_of_refs(const sk_item *it, const sk_ref *refs, int n, const bool *pick, char buf[2][SK_OUTCOME_MSG],
                           const char *dst[2])
{
    const char *labels[SK_MAX_OPTIONS];
    int k = 0;
    for (int i = 0; i < n && k < SK_MAX_OPTIONS; i++)
        if (!pick || pick[i])
            labels[k++] = refs[i].index >= 0 ? it->cells[refs[i].party].options[refs[i].index].label : "";
    for (int l = 0; l < 2; l++) {
        join_labels(buf[l], SK_OUTCOME_MSG, (sk_lang)l, labels, k, false);
        dst[l] = buf[l];
    }
}

/* Severity of an outcome: warnings stay warnings; otherwise the explicit
 * severity, else error on a required item and warning on a recommended one. */
static sk_severity outcome_sev(const sk_item *it, sk_outcome_id o, sk_severity explicit_sev)
{
    if (sk_outcome_defs[o].cls == SK_CLASS_REVIEW)
        return SK_SEV_WARNING;
    if (explicit_sev != SK_SEV_DEFAULT)
        return explicit_sev;
    return it->level == SK_LEVEL_REQUIRED ? SK_SEV_ERROR : SK_SEV_WARNING;
}

/* Builds one outcome (code, severity, both messages); a rule's own code and
 * messages replace the defaults. */
static void build_outcome(sk_outcome *out, const sk_item *it, const sk_rule *r, sk_severity explicit_sev, sk_outcome_id o,
                          const margs *a)
{
    out->code = r && r->code ? r->code : sk_outcome_defs[o].code;
    out->severity = outcome_sev(it, o, explicit_sev);
    expand(out->ja, sizeof out->ja, r && r->msg_ja ? r->msg_ja : sk_outcome_defs[o].ja, a, SK_LANG_JA);
    expand(out->en, sizeof out->en, r && r->msg_en ? r->msg_en : sk_outcome_defs[o].en, a, SK_LANG_EN);
}

/* Circled digits (disposal method numbers): ① U+2460 … ⑳ U+2473, ⓪ U+24EA. */
enum { CIRCLED_ONE = 0x2460, CIRCLED_TWENTY = 0x2473, CIRCLED_ZERO = 0x24EA };

/* ---- Slots: units and values ---------------------------------------------- */

/* A rule's minimum with its unit ("1年"). */
static void format_min(const sk_rule *r, char *out, size_t cap)
{
    snprintf(out, cap, "%g%s", r->value, r->unit ? r->unit : "");
}

/* The method numbers of a disposal-methods rule: "①～⑥" and "① to ⑥". */
static void format_range(const sk_rule *r, char out[2][48])
{
    char first[8] = {0}, last[8] = {0};
    sk_utf8_encode(CIRCLED_ONE, first);
    sk_utf8_encode(CIRCLED_ONE + (uint32_t)r->value - 1, last);
    snprintf(out[0], sizeof out[0], "%s～%s", first, last);
    snprintf(out[1], sizeof out[1], "%s to %s", first, last);
}

/* True if s at *pos starts with word (raw bytes); moves past it. */
static bool at_word(const char *s, size_t len, size_t *pos, const char *word)
{
    size_t n = strlen(word);
    if (len - *pos >= n && memcmp(s + *pos, word, n) == 0) {
        *pos += n;
        return true;
    }
    return false;
}

/* Reads an amount written in a number slot, in the slot's unit: numbers with
 * full-width digits, each optionally followed by a unit (年, か月/ヶ月/月, 日,
 * 週, 時間; converted when the slot's unit is 年), "1年6か月" summed, several
 * amounts ("90日～2年") giving the largest; 無期限/無制限/永年/永久 are
 * unbounded.  Other words are ignored.  False if there is no number. */
static bool parse_amount(const char *s, const char *slot_unit_, double *out)
{
    static const char *const unbounded[] = {"無期限", "無制限", "永年", "永久", "期限なし", "制限なし"};
    for (size_t i = 0; i < sizeof unbounded / sizeof *unbounded; i++)
        if (strstr(s, unbounded[i])) {
            *out = INFINITY;
            return true;
        }
    bool years = strcmp(slot_unit_, "年") == 0;
    size_t len = strlen(s), pos = 0;
    double best = -1, compound = 0;
    bool in_compound = false;
    while (pos < len) {
        size_t at = pos;
        int32_t cp = sk_utf8_next(s, len, &pos);
        uint32_t f = cp < 0 ? 0 : sk_fold_cp((uint32_t)cp);
        if (!(f >= '0' && f <= '9')) {
            if (in_compound && !sk_is_space(f)) {
                /* a word between amounts ends a compound amount ("90日～2年") */
                if (compound > best)
                    best = compound;
                compound = 0;
                in_compound = false;
            }
            continue;
        }
        /* a number: digits with an optional decimal point and thousands commas */
        char num[48];
        size_t n = 0;
        bool dot = false;
        pos = at;
        while (pos < len && n + 1 < sizeof num) {
            size_t q = pos;
            int32_t d = sk_utf8_next(s, len, &q);
            uint32_t g = d < 0 ? 0 : sk_fold_cp((uint32_t)d);
            if (g >= '0' && g <= '9')
                num[n++] = (char)g;
            else if (g == '.' && !dot)
                num[n++] = '.', dot = true;
            else if (!(g == ',' && !dot))
                break;
            pos = q;
        }
        num[n] = '\0';
        double v = strtod(num, NULL);
        while (pos < len) { /* spaces before the unit */
            size_t q = pos;
            int32_t d = sk_utf8_next(s, len, &q);
            if (d < 0 || !sk_is_space(sk_fold_cp((uint32_t)d)))
                break;
            pos = q;
        }
        double factor = 1;
        if (at_word(s, len, &pos, "年"))
            factor = 1;
        else if (at_word(s, len, &pos, "か月") || at_word(s, len, &pos, "ヶ月") || at_word(s, len, &pos, "ケ月") ||
                 at_word(s, len, &pos, "カ月") || at_word(s, len, &pos, "ヵ月") || at_word(s, len, &pos, "箇月") ||
                 at_word(s, len, &pos, "月"))
            factor = years ? 1.0 / 12 : 1;
        else if (at_word(s, len, &pos, "日"))
            factor = years ? 1.0 / 365 : 1;
        else if (at_word(s, len, &pos, "週"))
            factor = years ? 7.0 / 365 : 1;
        else if (at_word(s, len, &pos, "時間"))
            factor = years ? 1.0 / 8760 : 1;
        compound += v * factor;
        in_compound = true;
    }
    if (in_compound && compound > best)
        best = compound;
    if (best < 0)
        return false;
    *out = best;
    return true;
}

/* Reads a count (実績件数): the first whole number written ("約12件", "1,200"). */
static bool parse_count(const char *s, long *out)
{
    size_t len = strlen(s), pos = 0;
    long v = 0;
    int digits = 0;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        uint32_t f = cp < 0 ? 0 : sk_fold_cp((uint32_t)cp);
        if (f >= '0' && f <= '9') {
            if (v < 100000000)
                v = v * 10 + (long)(f - '0');
            digits++;
        } else if (f == ',' && digits) {
            continue;
        } else if (digits) {
            break;
        }
    }
    *out = v;
    return digits > 0;
}

/* Checks a disposal-method slot: method numbers ①.. or 1.. up to max (the
 * rule's, 1 to 9), at least one, no other number. */
static bool parse_disposal(const char *s, int max)
{
    size_t len = strlen(s), pos = 0;
    bool any = false;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp < 0)
            return false;
        uint32_t f = sk_fold_cp((uint32_t)cp);
        if (cp >= CIRCLED_ONE && cp < CIRCLED_ONE + max) /* ①.. */
            any = true;
        else if ((cp >= CIRCLED_ONE && cp <= CIRCLED_TWENTY) || cp == CIRCLED_ZERO) /* beyond max, ⑳, ⓪ */
            return false;
        else if (f >= '1' && f < (uint32_t)('1' + max))
            any = true;
        else if (f >= '0' && f <= '9')
            return false;
    }
    return any;
}

/* ---- Validation state ----------------------------------------------------- */

/* State of one item while it is validated. */
typedef struct sk_check {
    sk_answers *a;
    sk_item_answers *ia;
    const sk_item *it;
    int phase;
    bool has_date;
    sk_ym date; /* the document's 更新日, else 作成日 */
    char date_text[32];
    sk_error err;
    /* the rule being checked (check_rule) */
    margs args; /* its messages' arguments, once rule_margs has built them */
    const sk_rule *args_of; /* the rule args were built for; NULL: not yet */
    char lab[2][SK_OUTCOME_MSG], lst[2][SK_OUTCOME_MSG];
    bool active; /* no when box, or it is checked */
    bool due;    /* the when box's block is due */
    bool form;   /* checked for form: active, and due or answered */
    const char *value; /* the rule's slot's value, "" if none */
} ctx;

/* Adds a finding of outcome o. */
static void emit(ctx *c, const sk_rule *r, sk_severity explicit_sev, sk_outcome_id o, int party, const margs *a)
{
    sk_outcome out;
    build_outcome(&out, c->it, r, explicit_sev, o, a);
    if (!c->err)
        c->err = sk_item_add_finding(c->ia, out.severity, out.code, party, out.ja, out.en);
    if (!c->err)
        c->ia->findings[c->ia->n_findings - 1].cls = sk_outcome_defs[o].cls;
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

static const char *slot_value(const ctx *c, sk_ref r)
{
    const sk_cell_answers *ca = cell(c, r.party);
    return r.index >= 0 && ca->present && ca->r.values && ca->r.values[r.index] ? ca->r.values[r.index] : "";
}

static const char *slot_label(const sk_item *it, sk_ref r)
{
    return r.index >= 0 ? it->cells[r.party].slots[r.index].label : "";
}

/* True if a group (a block) of a cell is due in the phase: its own scope,
 * else the cell's (the template resolved both into g->due, brief 4a). */
static bool group_due(const sk_group *g, int phase)
{
    return (g->due >> phase) & 1u;
}

/* True if anything of the item is due in the phase: a block of a cell, or a
 * cell without blocks by its own due phases. */
static bool item_due(const sk_item *it, int phase)
{
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        const sk_cell_def *def = &it->cells[p];
        if (def->absent)
            continue;
        if (def->n_groups == 0 && ((def->due >> phase) & 1u))
            return true;
        for (int g = 0; g < def->n_groups; g++)
            if (group_due(&def->groups[g], phase))
                return true;
    }
    return false;
}

/* True if an option's block is due: its group's, else its cell's. */
static bool option_due(const ctx *c, sk_ref r)
{
    if (r.index < 0)
        return item_due(c->it, c->phase);
    const sk_cell_def *def = &c->it->cells[r.party];
    int g = def->options[r.index].group;
    return g >= 0 ? group_due(&def->groups[g], c->phase) : ((def->due >> c->phase) & 1u);
}

/* ---- Group rules ---------------------------------------------------------- */

/* Fills the static arguments of group g's messages. */
static void group_args(const sk_template *t, const sk_item *it, sk_party p, const sk_group *g, margs *a, char lab[2][SK_OUTCOME_MSG],
                       char par[2][SK_OUTCOME_MSG])
{
    const sk_cell_def *def = &it->cells[p];
    memset(a, 0, sizeof *a);
    a->tpl = t;
    a->party = (int)p;
    a->level = it->level;
    a->n = g->min > 0 ? g->min : 1;
    labels_of(def, g->options, g->n_options, true, lab, a->label);
    if (g->parent >= 0)
        labels_of(def, &g->parent, 1, false, par, a->parent);
}

/* The outcome of group g of a cell with n of its options checked (and its
 * parent option checked or not), or SK_OC__COUNT when all is well. */
static sk_outcome_id group_outcome(const sk_group *g, int n, bool parent_checked, bool form_only)
{
    if (g->parent >= 0 && !parent_checked)
        return n > 0 ? SK_OC_CHILD : SK_OC__COUNT;
    bool under_parent = g->parent >= 0;
    if (form_only)
        return g->kind == SK_GROUP_EXACTLY_ONE && n > 1 ? SK_OC_CONFLICT : SK_OC__COUNT;
    switch (g->kind) {
    case SK_GROUP_EXACTLY_ONE:
        if (n > 1)
            return SK_OC_CONFLICT;
        if (n == 0 && (under_parent || !g->optional))
            return under_parent ? SK_OC_PARENT_ONE : SK_OC_UNANSWERED;
        break;
    case SK_GROUP_CONFIRM:
        if (n == 0 && !g->optional)
            return under_parent ? SK_OC_PARENT_ONE : SK_OC_UNCONFIRMED;
        break;
    case SK_GROUP_ANY:
        if (g->min > 0 && n < g->min && (under_parent || !g->optional))
            return under_parent ? SK_OC_PARENT_MIN : SK_OC_TOO_FEW;
        break;
    }
    return SK_OC__COUNT;
}

/* The implied rules of one group; form_only for a block that is not due but
 * answered: only contradictions and sub-options without their parent.  The
 * messages' labels are joined only for a group that has a finding. */
static void check_group(ctx *c, sk_party p, int gi, bool form_only)
{
    const sk_cell_def *def = &c->it->cells[p];
    const sk_group *g = &def->groups[gi];
    const sk_cell_answers *ca = cell(c, p);
    int checked[SK_MAX_OPTIONS], n = 0;
    for (int k = 0; k < g->n_options; k++)
        if (ca->r.state[g->options[k]] == SK_BOX_CHECKED)
            checked[n++] = g->options[k];
    bool parent_checked = g->parent >= 0 && ca->r.state[g->parent] == SK_BOX_CHECKED;
    sk_outcome_id o = group_outcome(g, n, parent_checked, form_only);
    if (o == SK_OC__COUNT)
        return;
    char lab[2][SK_OUTCOME_MSG], par[2][SK_OUTCOME_MSG], lst[2][SK_OUTCOME_MSG];
    margs a;
    group_args(c->a->tpl, c->it, p, g, &a, lab, par);
    labels_of(def, checked, n, false, lst, a.list);
    emit(c, NULL, g->severity, o, p, &a);
}

/* ---- Declared rules ------------------------------------------------------- */

/* Fills the static arguments of rule r's messages: {label} is the option the
 * rule hangs on (when, option or if), {slot} its slot, {list} the fixed list
 * of a not-only rule, {min} the minimum. */
static void rule_args(const sk_template *t, const sk_item *it, const sk_rule *r, margs *a, char lab[2][SK_OUTCOME_MSG],
                      char lst[2][SK_OUTCOME_MSG])
{
    memset(a, 0, sizeof *a);
    a->tpl = t;
    a->level = it->level;
    a->party = (int)r->party;
    a->answerer = r->group.index >= 0 ? (int)r->group.party : SK_PROVIDER;
    sk_ref on = r->when;
    if (r->kind == SK_RULE_NOT_ONLY || r->kind == SK_RULE_IMPLIES) {
        on = r->option;
        a->party = (int)r->option.party;
    }
    if (on.index >= 0)
        labels_of_refs(it, &on, 1, NULL, lab, a->label);
    a->slot = slot_label(it, r->slot);
    /* {what}: the option, else the slot */
    if (on.index >= 0) {
        a->what[0] = a->label[0];
        a->what[1] = a->label[1];
    } else if (r->slot.index >= 0) {
        snprintf(lab[0], SK_OUTCOME_MSG, "「%s」", a->slot);
        snprintf(lab[1], SK_OUTCOME_MSG, "\"%s\"", a->slot);
        a->what[0] = lab[0];
        a->what[1] = lab[1];
    }
    if (r->kind == SK_RULE_NOT_ONLY)
        labels_of_refs(it, r->list, r->n_list, NULL, lst, a->list);
    if (r->kind == SK_RULE_MIN_VALUE)
        format_min(r, a->min, sizeof a->min);
    if (r->kind == SK_RULE_DISPOSAL)
        format_range(r, a->range);
    if (r->kind == SK_RULE_NONCONFORMING && r->n_list > 0)
        a->party = (int)r->list[0].party; /* the column that answered */
}

/* The messages' arguments of rule r, built on first use: most rules find
 * nothing, and then none are needed.  A check calls it before it sets any
 * argument of its own (it starts them afresh). */
static margs *rule_margs(ctx *c, const sk_rule *r)
{
    if (c->args_of != r) {
        rule_args(c->a->tpl, c->it, r, &c->args, c->lab, c->lst);
        c->args.value = c->value;
        c->args_of = r;
    }
    return &c->args;
}

/* Checks a year-month slot for rule r. */
void sk_check_year_month(ctx *c, const sk_rule *r)
{
    if (!c->form)
        return;
    const char *v = c->value;
    bool list = c->it->cells[r->slot.party].slots[r->slot.index].kind == SK_SLOT_YEAR_MONTHS;
    sk_ym ym;
    int count = 1;
    const char *end;
    sk_ym_result res = list ? sk_ym_list_parse(v, &count, &ym) : sk_ym_parse(v, &ym, &end);
    if (res == SK_YM_EMPTY) {
        emit(c, r, r->severity, r->when.index >= 0 ? SK_OC_YM_MISSING : SK_OC_YM_MISSING_ANY, r->party,
             rule_margs(c, r));
        return;
    }
    if (res == SK_YM_PLACEHOLDER) {
        emit(c, r, r->severity, SK_OC_YM_PLACEHOLDER, r->party, rule_margs(c, r));
        return;
    }
    if (res != SK_YM_OK) {
        emit(c, r, r->severity, SK_OC_YM_INVALID, r->party, rule_margs(c, r));
        return;
    }
    if (!c->has_date)
        return;
    int at = ym.year * 12 + ym.month - 1, doc = c->date.year * 12 + c->date.month - 1;
    sk_outcome_id o = r->timing == SK_TIMING_DONE && at > doc      ? SK_OC_YM_AFTER
                      : r->timing == SK_TIMING_PLANNED && at < doc ? SK_OC_YM_PAST
                                                                   : SK_OC__COUNT;
    if (o == SK_OC__COUNT)
        return;
    char when[32];
    snprintf(when, sizeof when, "%d年%d月", ym.year, ym.month);
    margs *a = rule_margs(c, r);
    a->value = when;
    a->date = c->date_text;
    emit(c, r, r->severity, o, r->party, a);
}

/* True if required item ia has a due block (not optional, not a
 * sub-group) in column p with no box checked. */
static bool unattested(const ctx *c, const sk_item_answers *ia, sk_party p)
{
    const sk_cell_def *def = &ia->item->cells[p];
    const sk_cell_answers *ca = &ia->cells[p];
    bool need = false;
    for (int g = 0; g < def->n_groups; g++) {
        const sk_group *gr = &def->groups[g];
        if (gr->parent >= 0 || gr->optional || !group_due(gr, c->phase))
            continue;
        need = true;
        for (int k = 0; k < gr->n_options; k++)
            if (ia->row > 0 && ca->present && ca->r.state && ca->r.state[gr->options[k]] == SK_BOX_CHECKED)
                return false;
    }
    return need;
}

/* An attestation (No.15 実施済み): every other required item whose cell in the
 * rule's column has a due block must have a box of its due blocks checked;
 * the items that have none are named.  Lifecycle phases in r->except are
 * left out (the contractor's 実施済み excludes 更改・廃棄). */
void sk_check_attests(ctx *c, const sk_rule *r)
{
    if (!c->due || !c->active)
        return;
    char list[2][SK_OUTCOME_MSG];
    sbuf b[2];
    sb_init(&b[0], list[0], sizeof list[0]);
    sb_init(&b[1], list[1], sizeof list[1]);
    int n = 0;
    for (int i = 0; i < c->a->n_items; i++) {
        const sk_item_answers *ia = &c->a->items[i];
        const sk_item *it = ia->item;
        if (ia == c->ia || it->level != SK_LEVEL_REQUIRED || it->cells[r->party].absent)
            continue;
        if (it->lifecycle != SK_LIFECYCLE_ALL && ((r->except >> it->lifecycle) & 1u))
            continue;
        if (!unattested(c, ia, r->party))
            continue;
        char no[16];
        snprintf(no, sizeof no, "No.%d", it->no);
        sb_put(&b[0], n ? "、" : "");
        sb_put(&b[0], no);
        sb_put(&b[1], n ? ", " : "");
        sb_put(&b[1], no);
        n++;
    }
    if (!n)
        return;
    margs *a = rule_margs(c, r);
    a->list[0] = list[0];
    a->list[1] = list[1];
    emit(c, r, r->severity, SK_OC_ATTEST, r->party, a);
}

/* slot-required: a checked when box (or a due cell) needs its slot. */
void sk_check_slot_required(ctx *c, const sk_rule *r)
{
    if (c->form && !*c->value)
        emit(c, r, r->severity, r->when.index >= 0 ? SK_OC_SLOT_EMPTY : SK_OC_SLOT_EMPTY_ANY, r->party, rule_margs(c, r));
}

/* count: a positive whole number. */
void sk_check_count(ctx *c, const sk_rule *r)
{
    long n;
    if (c->form && (!parse_count(c->value, &n) || n <= 0))
        emit(c, r, r->severity, SK_OC_COUNT, r->party, rule_margs(c, r));
}

/* disposal-methods: method numbers within the rule's range. */
void sk_check_disposal(ctx *c, const sk_rule *r)
{
    if (c->form && !parse_disposal(c->value, (int)r->value))
        emit(c, r, r->severity, SK_OC_DISPOSAL, r->party, rule_margs(c, r));
}

/* min-value: an amount not below the rule's value. */
void sk_check_min_value(ctx *c, const sk_rule *r)
{
    double x;
    if (!c->due || !c->active)
        return;
    if (!parse_amount(c->value, r->unit ? r->unit : "", &x))
        emit(c, r, r->severity, SK_OC_VALUE_INVALID, r->party, rule_margs(c, r));
    else if (x < r->value - 1e-9)
        emit(c, r, r->severity, SK_OC_VALUE_LOW, r->party, rule_margs(c, r));
}

/* reason: a checked when box needs a reason, which is then reviewed. */
void sk_check_reason(ctx *c, const sk_rule *r)
{
    if (c->form)
        emit(c, r, r->severity, *c->value ? SK_OC_REASON_REVIEW : SK_OC_REASON_MISSING, r->party, rule_margs(c, r));
}

/* Marks in pick the boxes of refs that are (checked) or are not (!checked);
 * with due_only, only those whose block is due.  Returns how many. */
static int pick_boxes(const ctx *c, const sk_ref *refs, int n, bool checked, bool due_only, bool pick[SK_MAX_OPTIONS])
{
    int k = 0;
    for (int i = 0; i < n && i < SK_MAX_OPTIONS; i++) {
        pick[i] = (!due_only || option_due(c, refs[i])) && is_checked(c, refs[i]) == checked;
        k += pick[i];
    }
    return k;
}

/* reason-unchecked: a listed measure left unchecked needs a reason. */
void sk_check_reason_unchecked(ctx *c, const sk_rule *r)
{
    bool pick[SK_MAX_OPTIONS] = {false};
    if (!pick_boxes(c, r->list, r->n_list, false, true, pick))
        return;
    margs *a = rule_margs(c, r);
    labels_of_refs(c->it, r->list, r->n_list, pick, c->lst, a->list);
    emit(c, r, r->severity, *c->value ? SK_OC_REQ_REASON : SK_OC_REQ_UNCHECKED, r->party, a);
}

/* not-only: the option checked with none of the others. */
void sk_check_not_only(ctx *c, const sk_rule *r)
{
    if (!option_due(c, r->option) || !is_checked(c, r->option))
        return;
    for (int k = 0; k < r->n_list; k++)
        if (is_checked(c, r->list[k]))
            return;
    emit(c, r, r->severity, SK_OC_ONLY, r->party, rule_margs(c, r));
}

/* implies: the if box checked needs every then box. */
void sk_check_implies(ctx *c, const sk_rule *r)
{
    bool pick[SK_MAX_OPTIONS] = {false};
    if (!option_due(c, r->option) || !is_checked(c, r->option))
        return;
    if (!pick_boxes(c, r->list, r->n_list, false, false, pick))
        return;
    margs *a = rule_margs(c, r);
    labels_of_refs(c->it, r->list, r->n_list, pick, c->lst, a->list);
    emit(c, r, r->severity, SK_OC_IMPLIED, r->party, a);
}

/* answered-first: the when box checked while the group has nothing. */
void sk_check_answered_first(ctx *c, const sk_rule *r)
{
    if (!c->due || !c->active)
        return;
    const sk_group *g = &c->it->cells[r->group.party].groups[r->group.index];
    for (int k = 0; k < g->n_options; k++)
        if (is_checked(c, (sk_ref){r->group.party, g->options[k]}))
            return;
    emit(c, r, r->severity, SK_OC_ANSWERED_FIRST, r->party, rule_margs(c, r));
}

/* Appends the label of box ref, with its checked sub-options (一部適合
 * （ストレージ）), in language l. */
static void put_with_subs(const ctx *c, sbuf *b, int l, sk_ref ref)
{
    const sk_cell_def *def = &c->it->cells[ref.party];
    sb_label(b, (sk_lang)l, def->options[ref.index].label);
    bool open = false;
    for (int g = 0; g < def->n_groups; g++) {
        if (def->groups[g].parent != ref.index)
            continue;
        for (int m = 0; m < def->groups[g].n_options; m++) {
            sk_ref sub = {ref.party, def->groups[g].options[m]};
            if (!is_checked(c, sub))
                continue;
            sb_put(b, open ? (l ? ", " : "・") : (l ? " (" : "（"));
            sb_put(b, def->options[sub.index].label);
            open = true;
        }
    }
    if (open)
        sb_put(b, l ? ")" : "）");
}

/* Appends the quoted slots of rule r that hold something, in language l. */
static void put_quotes(const ctx *c, sbuf *b, int l, const sk_rule *r)
{
    for (int k = 0; k < r->n_quote; k++) {
        const char *qv = slot_value(c, r->quote[k]);
        if (!*qv)
            continue;
        if (b->len)
            sb_put(b, l ? "; " : "／");
        sb_put(b, slot_label(c->it, r->quote[k]));
        sb_put(b, l ? " \"" : "「");
        sb_put_max(b, qv, QUOTE_MAX);
        sb_put(b, l ? "\"" : "」");
    }
}

/* nonconforming: a checked listed box ({list}: each with its checked
 * sub-options; {quote}: the quoted slots). */
void sk_check_nonconforming(ctx *c, const sk_rule *r)
{
    bool pick[SK_MAX_OPTIONS] = {false};
    if (!pick_boxes(c, r->list, r->n_list, true, true, pick))
        return;
    margs *a = rule_margs(c, r);
    char quote[2][2048];
    for (int l = 0; l < 2; l++) {
        sbuf b;
        sb_init(&b, c->lst[l], sizeof c->lst[l]);
        bool first = true;
        for (int k = 0; k < r->n_list; k++) {
            if (!pick[k])
                continue;
            if (!first && l == SK_LANG_EN)
                sb_put(&b, ", ");
            first = false;
            put_with_subs(c, &b, l, r->list[k]);
        }
        a->list[l] = c->lst[l];
        sb_init(&b, quote[l], sizeof quote[l]);
        put_quotes(c, &b, l, r);
        a->quote[l] = b.len ? quote[l] : l ? "(nothing written)" : "（記載なし）";
    }
    a->quote_built = true;
    emit(c, r, r->severity, SK_OC_NONCONF, r->party, a);
}

/* planned-late: a 予定 answer while the item's lifecycle phase is past. */
void sk_check_planned_late(ctx *c, const sk_rule *r)
{
    int life = c->it->lifecycle;
    if (life == SK_LIFECYCLE_ALL || c->phase <= life)
        return;
    bool pick[SK_MAX_OPTIONS] = {false};
    int n = pick_boxes(c, r->list, r->n_list, true, false, pick);
    for (int k = 0; k < r->n_unless; k++)
        if (is_checked(c, r->unless[k]))
            n = 0;
    if (!n)
        return;
    margs *a = rule_margs(c, r);
    labels_of_refs(c->it, r->list, r->n_list, pick, c->lst, a->list);
    a->phase = c->a->tpl->phases[life].label;
    emit(c, r, r->severity, SK_OC_PLANNED_LATE, r->party, a);
}

/* One declared rule: its static arguments and state, then its kind's check. */
static void check_rule(ctx *c, const sk_rule *r)
{
    c->args_of = NULL; /* rule_margs builds them if a finding needs them */
    c->active = r->when.index < 0 || is_checked(c, r->when);
    c->due = option_due(c, r->when);
    /* a checked option needs its slot even in a block that is not due (brief
     * 4a: answers there are checked for form) */
    c->form = c->active && (c->due || r->when.index >= 0);
    c->value = r->slot.index >= 0 ? slot_value(c, r->slot) : "";
    if ((unsigned)r->kind < SK_RULE__COUNT)
        sk_rule_kinds[r->kind].check(c, r);
}

/* ---- The reader's observations -------------------------------------------- */

/* Reports altered text, missing and extra markers of one cell. */
static void check_reading(ctx *c, sk_party p)
{
    const sk_cell_def *def = &c->it->cells[p];
    const sk_cell_answers *ca = cell(c, p);
    char lab[2][SK_OUTCOME_MSG];
    margs a;
    memset(&a, 0, sizeof a);
    a.tpl = c->a->tpl;
    a.level = c->it->level;
    a.party = (int)p;
    for (int o = 0; o < def->n_options; o++)
        if (ca->r.state[o] == SK_BOX_MISSING) {
            labels_of(def, &o, 1, false, lab, a.label);
            emit(c, NULL, SK_SEV_DEFAULT, SK_OC_MARKER_MISSING, p, &a);
        }
    a.label[0] = a.label[1] = NULL;
    for (int m = 0; m < ca->r.n_markers; m++)
        if (ca->r.markers[m].option < 0) {
            a.value = ca->r.markers[m].checked ? "■" : "□";
            emit(c, NULL, SK_SEV_DEFAULT, SK_OC_MARKER_EXTRA, p, &a);
        }
    for (int k = 0; k < ca->r.n_alterations; k++) {
        const sk_alteration *al = &ca->r.alterations[k];
        a.quote[0] = a.quote[1] = al->original;
        a.value = al->replacement;
        emit(c, NULL, SK_SEV_DEFAULT, al->replacement && *al->replacement ? SK_OC_TEXT_CHANGED : SK_OC_TEXT_DELETED, p, &a);
    }
    if (ca->r.approximate)
        emit(c, NULL, SK_SEV_DEFAULT, SK_OC_TEXT_APPROX, p, &a);
}

/* ---- Items and statuses --------------------------------------------------- */

/* True if the answerer wrote anything in the due part of the item: a checked
 * box outside the blocks of other phases, or a filled slot. */
static bool answered(const ctx *c)
{
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        const sk_cell_answers *ca = cell(c, p);
        const sk_cell_def *def = &c->it->cells[p];
        if (!ca->present)
            continue;
        for (int o = 0; o < def->n_options; o++) {
            int g = def->options[o].group;
            if (ca->r.state[o] == SK_BOX_CHECKED && (g < 0 || group_due(&def->groups[g], c->phase)))
                return true;
        }
        for (int s = 0; s < def->n_slots; s++)
            if (ca->r.values && ca->r.values[s] && *ca->r.values[s])
                return true;
    }
    return false;
}

/* The item's status, derived from its findings' classes and severities:
 * an error-severity nonconformity on a required item makes it
 * nonconforming; otherwise errors make it deficient and warnings a point to
 * review (unanswered when nothing due is answered).  An item that is not
 * due but answered anyway is deficient only by a form error. */
static sk_status status_of(const ctx *c, bool due)
{
    const sk_item_answers *ia = c->ia;
    bool error = false, warning = false, nonconforming = false;
    for (int f = 0; f < ia->n_findings; f++) {
        const sk_finding *fd = &ia->findings[f];
        error |= fd->severity == SK_SEV_ERROR;
        warning |= fd->severity == SK_SEV_WARNING;
        nonconforming |= fd->cls == SK_CLASS_NONCONFORMITY && fd->severity == SK_SEV_ERROR &&
                         c->it->level == SK_LEVEL_REQUIRED;
    }
    if (!due)
        return error && !nonconforming ? SK_STATUS_DEFICIENT : SK_STATUS_NOT_DUE;
    bool any = answered(c);
    if (nonconforming)
        return SK_STATUS_NONCONFORMING;
    if (error)
        return any ? SK_STATUS_DEFICIENT : SK_STATUS_UNANSWERED;
    if (warning)
        return any ? SK_STATUS_REVIEW : SK_STATUS_UNANSWERED;
    return SK_STATUS_OK;
}

/* Validates one item and sets its status. */
static void check_item(ctx *c)
{
    sk_item_answers *ia = c->ia;
    bool due = item_due(c->it, c->phase);
    if (ia->row <= 0) {
        if (due) {
            margs a;
            memset(&a, 0, sizeof a);
            a.tpl = c->a->tpl;
            a.n = c->it->no;
            a.level = c->it->level;
            emit(c, NULL, SK_SEV_DEFAULT, SK_OC_ITEM_MISSING, -1, &a);
        }
        ia->status = due ? SK_STATUS_UNANSWERED : SK_STATUS_NOT_DUE;
        return;
    }
    for (int p = 0; p < SK_PARTY__COUNT; p++)
        if (cell(c, p)->present)
            check_reading(c, (sk_party)p);
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        const sk_cell_def *def = &c->it->cells[p];
        const sk_cell_answers *ca = cell(c, p);
        if (def->absent || !ca->present)
            continue;
        for (int g = 0; g < def->n_groups; g++) {
            const sk_group *gr = &def->groups[g];
            if (group_due(gr, c->phase)) {
                check_group(c, (sk_party)p, g, false);
                continue;
            }
            /* a block that is not due: checked for form when answered */
            for (int k = 0; k < gr->n_options; k++)
                if (ca->r.state[gr->options[k]] == SK_BOX_CHECKED) {
                    check_group(c, (sk_party)p, g, true);
                    break;
                }
        }
    }
    for (int r = 0; r < c->it->n_rules; r++)
        check_rule(c, &c->it->rules[r]);

    ia->status = status_of(c, due);
}

/* Auto phase (brief 4a): the latest phase shown by evidence that only a
 * later phase produces, an answered block scoped to a phase after the first
 * (No.24's 【開発（導入・構築）の段階以降に回答】 shows development, an answered
 * No.33-35 disposal).  Unscoped blocks (every provider cell, the contractor's
 * plans) are due from the first submission and show nothing.  No evidence:
 * the first phase.  Records the evidence in a->basis_no / basis_scope. */
static int auto_phase(sk_answers *a)
{
    int phase = 0;
    a->basis_no = 0;
    a->basis_scope = NULL;
    for (int i = 0; i < a->n_items; i++) {
        const sk_item_answers *ia = &a->items[i];
        if (ia->row <= 0)
            continue;
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *def = &ia->item->cells[p];
            if (def->absent || !ia->cells[p].present)
                continue;
            for (int g = 0; g < def->n_groups; g++) {
                const sk_group *gr = &def->groups[g];
                int first = 0;
                while (first < SK_MAX_PHASES && !((gr->phases >> first) & 1u))
                    first++;
                if (!gr->phases || first <= phase)
                    continue;
                for (int k = 0; k < gr->n_options; k++)
                    if (ia->cells[p].r.state[gr->options[k]] == SK_BOX_CHECKED) {
                        phase = first;
                        a->basis_no = ia->item->no;
                        a->basis_scope = gr->scope ? gr->scope : gr->id;
                        break;
                    }
            }
        }
    }
    return phase;
}

void sk_phase_basis(const sk_answers *a, sk_lang lang, char *out, size_t cap)
{
    bool en = lang == SK_LANG_EN;
    if (!a->phase_auto)
        snprintf(out, cap, "%s", en ? "given with --phase" : "指定");
    else if (a->basis_no > 0)
        snprintf(out, cap, "No.%d %s", a->basis_no, a->basis_scope ? a->basis_scope : "");
    else
        snprintf(out, cap, "%s", en ? "no later-phase evidence" : "後の段階の回答なし");
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
        for (int f = 0; f < ia->n_reading; f++) {
            const sk_finding *r = &ia->reading[f];
            if (sk_item_add_finding(ia, r->severity, r->code, r->party, r->message_ja, r->message_en))
                return sk_diag_set(d, SK_ERR_NOMEM, "out of memory while checking");
        }
    }
    if (phase >= a->tpl->n_phases)
        return sk_diag_set(d, SK_ERR_USAGE, "phase %d is out of range", phase);
    a->phase_auto = phase < 0;
    a->basis_no = 0;
    a->basis_scope = NULL;
    a->phase = phase >= 0 ? phase : auto_phase(a);
    ctx c = {.a = a, .phase = a->phase};
    c.has_date =
        sk_doc_date_parse(a->doc[SK_DOC_UPDATED], &c.date) || sk_doc_date_parse(a->doc[SK_DOC_CREATED], &c.date);
    if (c.has_date)
        snprintf(c.date_text, sizeof c.date_text, "%d年%d月", c.date.year, c.date.month);
    for (int i = 0; i < a->n_items && !c.err; i++) {
        c.ia = &a->items[i];
        c.it = c.ia->item;
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

/* ---- Outcomes for docs/rules.md -------------------------------------------- */

int sk_group_outcomes(const sk_template *t, const sk_item *it, sk_party p, int gi, sk_outcome out[SK_MAX_OUTCOMES])
{
    const sk_group *g = &it->cells[p].groups[gi];
    char lab[2][SK_OUTCOME_MSG], par[2][SK_OUTCOME_MSG];
    margs a;
    group_args(t, it, p, g, &a, lab, par);
    int n = 0;
    bool under_parent = g->parent >= 0;
    switch (g->kind) {
    case SK_GROUP_EXACTLY_ONE:
        if (under_parent || !g->optional)
            build_outcome(&out[n++], it, NULL, g->severity, under_parent ? SK_OC_PARENT_ONE : SK_OC_UNANSWERED, &a);
        build_outcome(&out[n++], it, NULL, g->severity, SK_OC_CONFLICT, &a);
        break;
    case SK_GROUP_CONFIRM:
        if (!g->optional)
            build_outcome(&out[n++], it, NULL, g->severity, under_parent ? SK_OC_PARENT_ONE : SK_OC_UNCONFIRMED, &a);
        break;
    case SK_GROUP_ANY:
        if (g->min > 0 && (under_parent || !g->optional))
            build_outcome(&out[n++], it, NULL, g->severity, under_parent ? SK_OC_PARENT_MIN : SK_OC_TOO_FEW, &a);
        break;
    }
    if (under_parent)
        build_outcome(&out[n++], it, NULL, g->severity, SK_OC_CHILD, &a);
    return n;
}

/* True if an outcome's condition holds for a declaration. */
static bool outcome_applies(const sk_rule *r, sk_outcome_if cond)
{
    switch (cond) {
    case SK_IF_WHEN: return r->when.index >= 0;
    case SK_IF_NO_WHEN: return r->when.index < 0;
    case SK_IF_DONE: return r->timing == SK_TIMING_DONE;
    case SK_IF_PLANNED: return r->timing == SK_TIMING_PLANNED;
    default: return true;
    }
}

int sk_rule_outcomes(const sk_template *t, const sk_item *it, const sk_rule *r, sk_outcome out[SK_MAX_OUTCOMES])
{
    char lab[2][SK_OUTCOME_MSG], lst[2][SK_OUTCOME_MSG];
    margs a;
    if ((unsigned)r->kind >= SK_RULE__COUNT)
        return 0;
    rule_args(t, it, r, &a, lab, lst);
    const sk_rule_kind_def *k = &sk_rule_kinds[r->kind];
    int n = 0;
    for (int i = 0; i < k->n_outcomes && n < SK_MAX_OUTCOMES; i++)
        if (outcome_applies(r, k->outcomes[i].cond))
            build_outcome(&out[n++], it, r, r->severity, k->outcomes[i].id, &a);
    return n;
}

int sk_reading_outcomes(sk_outcome out[SK_MAX_OUTCOMES])
{
    static const sk_outcome_id list[] = {SK_OC_ITEM_MISSING, SK_OC_MARKER_MISSING, SK_OC_MARKER_EXTRA,
                              SK_OC_TEXT_CHANGED, SK_OC_TEXT_DELETED,   SK_OC_TEXT_APPROX};
    static const sk_item required = {.level = SK_LEVEL_REQUIRED};
    _Static_assert(sizeof list / sizeof *list <= SK_MAX_OUTCOMES, "outcomes");
    margs a;
    memset(&a, 0, sizeof a);
    a.party = -1;
    for (size_t i = 0; i < sizeof list / sizeof *list; i++) {
        a.n = 0;
        build_outcome(&out[i], &required, NULL, SK_SEV_DEFAULT, list[i], &a);
    }
    return (int)(sizeof list / sizeof *list);
}
