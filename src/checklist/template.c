/* sechk — loading checklist templates (docs/template-format.md). */
#include "sechk/template.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/align.h"
#include "sechk/arena.h"
#include "sechk/text.h"
#include "sechk/rulekind.h"

#define NS_URI "urn:sechk:template:1"

extern const char sk_default_template_xml[];
extern const char sk_default_template_end[];

/* Loader state: the arena being filled and where errors go. */
typedef struct loader {
    sk_arena *arena;
    const char *name;
    sk_diag *d;
    sk_template *t;
} loader;

static const char *const party_names[] = {[SK_PROVIDER] = "provider", [SK_CONTRACTOR] = "contractor"};
_Static_assert(sizeof party_names / sizeof *party_names == SK_PARTY__COUNT, "party names");

static const char *const level_names[] = {[SK_LEVEL_REQUIRED] = "required",
                                          [SK_LEVEL_RECOMMENDED] = "recommended"};
_Static_assert(sizeof level_names / sizeof *level_names == SK_LEVEL__COUNT, "level names");

static const char *const slot_kind_names[] = {
    [SK_SLOT_TEXT] = "text",   [SK_SLOT_YEAR_MONTH] = "year-month", [SK_SLOT_YEAR_MONTHS] = "year-months",
    [SK_SLOT_COUNT] = "count", [SK_SLOT_NUMBER] = "number",         [SK_SLOT_DISPOSAL] = "disposal-methods",
};
_Static_assert(sizeof slot_kind_names / sizeof *slot_kind_names == SK_SLOT__COUNT, "slot kinds");

static const char *const group_kind_names[] = {
    [SK_GROUP_EXACTLY_ONE] = "exactly-one", [SK_GROUP_ANY] = "any", [SK_GROUP_CONFIRM] = "confirm"};


static const char *const column_ids[] = {
    [SK_COL_NO] = "no",         [SK_COL_LIFECYCLE] = "lifecycle",   [SK_COL_REQUIREMENT] = "requirement",
    [SK_COL_LEVEL] = "level",   [SK_COL_PROVIDER] = "provider",     [SK_COL_CONTRACTOR] = "contractor",
    [SK_COL_EVIDENCE] = "evidence",
};
_Static_assert(sizeof column_ids / sizeof *column_ids == SK_COL__COUNT, "column ids");

static const char *const doc_field_ids[] = {
    [SK_DOC_CREATED] = "created", [SK_DOC_UPDATED] = "updated", [SK_DOC_SERVICE] = "service"};
_Static_assert(sizeof doc_field_ids / sizeof *doc_field_ids == SK_DOC__COUNT, "doc fields");

const char *sk_party_name(sk_party p) { return (unsigned)p < SK_PARTY__COUNT ? party_names[p] : "?"; }
const char *sk_level_name(sk_level l) { return (unsigned)l < SK_LEVEL__COUNT ? level_names[l] : "?"; }
const char *sk_slot_kind_name(sk_slot_kind k)
{
    return (unsigned)k < SK_SLOT__COUNT ? slot_kind_names[k] : "?";
}
const char *sk_group_kind_name(sk_group_kind k)
{
    return (unsigned)k <= SK_GROUP_CONFIRM ? group_kind_names[k] : "?";
}
const char *sk_rule_kind_name(sk_rule_kind k)
{
    return (unsigned)k < SK_RULE__COUNT ? sk_rule_kinds[k].name : "?";
}

/* Records a loader error at a node's line. */
static sk_error fail_at(loader *L, const xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sk_error fail_at(loader *L, const xmlNode *n, const char *fmt, ...)
{
    if (L->d) {
        L->d->code = SK_ERR_TEMPLATE;
        sk_diag_file(L->d, L->name);
        if (n)
            sk_diag_where(L->d, "line %ld", xmlGetLineNo(n));
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(L->d->reason, sizeof L->d->reason, fmt, ap);
        va_end(ap);
    }
    return SK_ERR_TEMPLATE;
}

/* True if n is an element of our namespace named name. */
static bool is_elem(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, NS_URI) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* Next element sibling starting at n (n included). */
static xmlNode *elem_from(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

/* Copies an attribute into the arena; NULL if absent. */
static const char *attr(loader *L, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *p = sk_arena_strdup(L->arena, (const char *)v);
    xmlFree(v);
    return p ? p : "";
}

/* A required attribute; records an error when absent. */
static const char *need_attr(loader *L, xmlNode *n, const char *name)
{
    const char *v = attr(L, n, name);
    if (!v)
        fail_at(L, n, "<%s> needs the attribute %s", (const char *)n->name, name);
    return v;
}

/* The element's text content copied into the arena ("" when empty). */
static const char *content(loader *L, xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *p = sk_arena_strdup(L->arena, v ? (const char *)v : "");
    xmlFree(v);
    return p;
}

/* Looks a name up in a table; returns its index or -1. */
static int lookup(const char *const *table, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (table[i] && strcmp(table[i], name) == 0)
            return i;
    return -1;
}

/* True if the text holds a checkbox marker character. */
static bool has_marker(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp > 0 && sk_mark_of((uint32_t)cp) != SK_MARK_NONE)
            return true;
    }
    return false;
}

/* Splits a space-separated attribute value into tokens (in the arena). */
static int split_tokens(loader *L, const char *s, const char ***out)
{
    int n = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    const char **v = sk_arena_alloc(L->arena, sizeof(char *) * (size_t)(n ? n : 1));
    if (!v)
        return -1;
    int i = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *b = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        v[i++] = sk_arena_strndup(L->arena, b, (size_t)(p - b));
    }
    *out = v;
    return n;
}

/* Reads a <box> of cell text: the cell's next option, segment s. */
static sk_error load_box(loader *L, xmlNode *n, sk_cell_def *c, sk_option *opts, sk_segment *s)
{
    if (c->n_options >= SK_MAX_OPTIONS)
        return fail_at(L, n, "more than %d options in one cell", SK_MAX_OPTIONS);
    sk_option *o = &opts[c->n_options];
    if (!(o->id = need_attr(L, n, "id")) || !(o->label = need_attr(L, n, "label")))
        return SK_ERR_TEMPLATE;
    o->group = -1;
    s->kind = SK_SEG_BOX;
    s->index = c->n_options++;
    return SK_OK;
}

/* Reads a <slot> of cell text: the cell's next slot, segment s. */
static sk_error load_slot(loader *L, xmlNode *n, sk_cell_def *c, sk_slot *slots, sk_segment *s)
{
    if (c->n_slots >= SK_MAX_SLOTS)
        return fail_at(L, n, "more than %d slots in one cell", SK_MAX_SLOTS);
    sk_slot *sl = &slots[c->n_slots];
    const char *kind;
    if (!(sl->id = need_attr(L, n, "id")) || !(sl->label = need_attr(L, n, "label")) ||
        !(kind = need_attr(L, n, "kind")))
        return SK_ERR_TEMPLATE;
    int k = lookup(slot_kind_names, SK_SLOT__COUNT, kind);
    if (k < 0)
        return fail_at(L, n, "unknown slot kind \"%s\"", kind);
    sl->kind = (sk_slot_kind)k;
    sl->placeholder = content(L, n);
    s->kind = SK_SEG_SLOT;
    s->index = c->n_slots++;
    return SK_OK;
}

/* Copies the cell's text (buf) and its n_segs segments (offs: where each
 * starts in buf) into the arena. */
static sk_error store_text(loader *L, const sk_buf *buf, const sk_segment *segs, const size_t *offs, int n_segs,
                           sk_cell_def *c)
{
    char *txt = sk_arena_strndup(L->arena, buf->data ? buf->data : "", buf->len);
    sk_segment *sv = sk_arena_alloc(L->arena, sizeof(sk_segment) * (size_t)(n_segs ? n_segs : 1));
    if (!txt || !sv)
        return SK_ERR_NOMEM;
    for (int i = 0; i < n_segs; i++) {
        sv[i] = segs[i];
        sv[i].text = txt + offs[i];
    }
    c->text = txt;
    c->text_len = buf->len;
    c->segs = sv;
    c->n_segs = n_segs;
    return SK_OK;
}

/* Builds a cell's segments, options and slots from its <text> element. */
static sk_error load_text(loader *L, xmlNode *text, sk_cell_def *c, sk_option *opts, sk_slot *slots)
{
    sk_buf buf = SK_BUF_INIT;
    sk_segment segs[512];
    int n_segs = 0;
    size_t offs[512];
    sk_error err = SK_OK;

    for (xmlNode *n = text->children; n; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            continue;
        if (n_segs >= (int)(sizeof segs / sizeof *segs)) {
            err = fail_at(L, n, "cell text has too many pieces");
            goto done;
        }
        sk_segment *s = &segs[n_segs];
        s->index = -1;
        offs[n_segs] = buf.len;
        const char *piece = NULL;
        xmlChar *owned = NULL;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            s->kind = SK_SEG_TEXT;
            piece = (const char *)n->content;
            if (has_marker(piece, strlen(piece))) {
                err = fail_at(L, n, "a checkbox character in cell text must be a <box> or a <lit>");
                goto done;
            }
        } else if (is_elem(n, "box")) {
            if ((err = load_box(L, n, c, opts, s)) != SK_OK)
                goto done;
            piece = "\u25A1";
        } else if (is_elem(n, "slot")) {
            if ((err = load_slot(L, n, c, slots, s)) != SK_OK)
                goto done;
            piece = slots[s->index].placeholder;
        } else if (is_elem(n, "lit")) {
            s->kind = SK_SEG_LIT;
            owned = xmlNodeGetContent(n);
            piece = owned ? (const char *)owned : "";
        } else if (n->type == XML_ELEMENT_NODE) {
            err = fail_at(L, n, "unexpected <%s> in cell text", (const char *)n->name);
            goto done;
        } else {
            continue;
        }
        s->len = strlen(piece);
        err = sk_buf_append_len(&buf, piece, s->len);
        xmlFree(owned);
        if (err)
            goto done;
        n_segs++;
    }
    if (buf.len > 32767 * 4) {
        err = fail_at(L, text, "cell text longer than Excel's 32,767 characters");
        goto done;
    }
    for (int i = 0; i < c->n_options; i++)
        for (int j = 0; j < c->n_slots; j++)
            if (strcmp(opts[i].id, slots[j].id) == 0) {
                err = fail_at(L, text, "id \"%s\" names both an option and a slot", opts[i].id);
                goto done;
            }
    err = store_text(L, &buf, segs, offs, n_segs, c);
done:
    sk_buf_free(&buf);
    return err;
}

/* Checks that ids within one list are unique. */
static sk_error check_unique(loader *L, xmlNode *n, const char *what, const char *(*id_at)(const void *, int),
                             const void *v, int count)
{
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++)
            if (strcmp(id_at(v, i), id_at(v, j)) == 0)
                return fail_at(L, n, "duplicate %s id \"%s\"", what, id_at(v, i));
    return SK_OK;
}

static const char *option_id_at(const void *v, int i) { return ((const sk_option *)v)[i].id; }
static const char *slot_id_at(const void *v, int i) { return ((const sk_slot *)v)[i].id; }
static const char *group_id_at(const void *v, int i) { return ((const sk_group *)v)[i].id; }

int sk_cell_option(const sk_cell_def *c, const char *id)
{
    for (int i = 0; i < c->n_options; i++)
        if (strcmp(c->options[i].id, id) == 0)
            return i;
    return -1;
}

int sk_cell_slot(const sk_cell_def *c, const char *id)
{
    for (int i = 0; i < c->n_slots; i++)
        if (strcmp(c->slots[i].id, id) == 0)
            return i;
    return -1;
}

/* Finds a group of a cell by id; -1 if none. */
static int cell_group(const sk_cell_def *c, const char *id)
{
    for (int i = 0; i < c->n_groups; i++)
        if (strcmp(c->groups[i].id, id) == 0)
            return i;
    return -1;
}

typedef enum ref_kind { REF_BOX, REF_SLOT, REF_GROUP } ref_kind;

/* Resolves "party:id" or "id" (in the cell `local`, or -1 for none). */
static sk_error resolve(loader *L, xmlNode *n, const sk_item *it, int local, const char *s, ref_kind kind,
                        sk_ref *out)
{
    const char *colon = strchr(s, ':');
    int party = local;
    const char *id = s;
    if (colon) {
        size_t plen = (size_t)(colon - s);
        party = -1;
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            if (strlen(party_names[p]) == plen && strncmp(s, party_names[p], plen) == 0)
                party = p;
        id = colon + 1;
        if (party < 0)
            return fail_at(L, n, "item %d: unknown column in reference \"%s\"", it->no, s);
    }
    if (party < 0)
        return fail_at(L, n, "item %d: item-level reference \"%s\" needs a column (provider:… or contractor:…)",
                       it->no, s);
    const sk_cell_def *c = &it->cells[party];
    int idx = kind == REF_BOX ? sk_cell_option(c, id) : kind == REF_SLOT ? sk_cell_slot(c, id) : cell_group(c, id);
    if (idx < 0)
        return fail_at(L, n, "item %d: %s names unknown %s \"%s\"", it->no, party_names[party],
                       kind == REF_BOX ? "option" : kind == REF_SLOT ? "slot" : "group", id);
    out->party = (sk_party)party;
    out->index = idx;
    return SK_OK;
}

/* Resolves an optional single-reference attribute. */
static sk_error resolve_attr(loader *L, xmlNode *n, const sk_item *it, int local, const char *name, ref_kind kind,
                             sk_ref *out)
{
    out->party = local >= 0 ? (sk_party)local : SK_PROVIDER;
    out->index = -1;
    const char *v = attr(L, n, name);
    return v ? resolve(L, n, it, local, v, kind, out) : SK_OK;
}

/* Resolves an optional list-of-references attribute into rule->list. */
static sk_error resolve_list(loader *L, xmlNode *n, const sk_item *it, int local, const char *name, ref_kind kind,
                             const sk_ref **out, int *n_out)
{
    const char *v = attr(L, n, name);
    if (!v)
        return SK_OK;
    if (*n_out)
        return fail_at(L, n, "item %d: rule has two lists", it->no);
    const char **tok;
    int cnt = split_tokens(L, v, &tok);
    if (cnt <= 0)
        return cnt < 0 ? SK_ERR_NOMEM : fail_at(L, n, "item %d: empty %s", it->no, name);
    sk_ref *list = sk_arena_alloc(L->arena, sizeof(sk_ref) * (size_t)cnt);
    if (!list)
        return SK_ERR_NOMEM;
    for (int i = 0; i < cnt; i++) {
        sk_error e = resolve(L, n, it, local, tok[i], kind, &list[i]);
        if (e)
            return e;
    }
    *out = list;
    *n_out = cnt;
    return SK_OK;
}

/* Parses a severity attribute value. */
static sk_error parse_severity(loader *L, xmlNode *n, sk_severity *out)
{
    const char *v = attr(L, n, "severity");
    *out = SK_SEV_DEFAULT;
    if (!v)
        return SK_OK;
    if (strcmp(v, "error") == 0)
        *out = SK_SEV_ERROR;
    else if (strcmp(v, "warning") == 0)
        *out = SK_SEV_WARNING;
    else if (strcmp(v, "info") == 0)
        *out = SK_SEV_INFO;
    else
        return fail_at(L, n, "unknown severity \"%s\"", v);
    return SK_OK;
}

static sk_error parse_phases(loader *L, xmlNode *n, const char *v, unsigned *mask);

/* The highest method number a disposal-methods rule may allow (one digit). */
enum { DISPOSAL_MAX = 9 };

/* Loads one <rule>; local is the declaring cell or -1 at item level. */
static sk_error load_rule(loader *L, xmlNode *n, const sk_item *it, int local, sk_rule *r)
{
    const char *kind = need_attr(L, n, "kind");
    if (!kind)
        return SK_ERR_TEMPLATE;
    int k = sk_rule_kind_lookup(kind);
    if (k < 0)
        return fail_at(L, n, "item %d: unknown rule kind \"%s\"", it->no, kind);
    r->kind = (sk_rule_kind)k;
    const sk_rule_kind_def *def = &sk_rule_kinds[k];
    r->line = (int)xmlGetLineNo(n);
    sk_error e;
    if ((e = resolve_attr(L, n, it, local, "when", REF_BOX, &r->when)) ||
        (e = resolve_attr(L, n, it, local, "slot", REF_SLOT, &r->slot)) ||
        (e = resolve_attr(L, n, it, local, "group", REF_GROUP, &r->group)) ||
        (e = resolve_attr(L, n, it, local, def->option_attr ? def->option_attr : "option", REF_BOX, &r->option)) ||
        (e = resolve_list(L, n, it, local, "options", REF_BOX, &r->list, &r->n_list)) ||
        (e = resolve_list(L, n, it, local, "others", REF_BOX, &r->list, &r->n_list)) ||
        (e = resolve_list(L, n, it, local, "then", REF_BOX, &r->list, &r->n_list)) ||
        (e = resolve_list(L, n, it, local, "quote", REF_SLOT, &r->quote, &r->n_quote)) ||
        (e = resolve_list(L, n, it, local, "unless", REF_BOX, &r->unless, &r->n_unless)) ||
        (e = parse_severity(L, n, &r->severity)))
        return e;
    const char *except = attr(L, n, "except");
    if (except && (e = parse_phases(L, n, except, &r->except)))
        return e;

    /* the attributes the kind needs */
    unsigned have = (r->when.index >= 0 ? SK_RA_BIT(SK_RA_WHEN) : 0) | (r->slot.index >= 0 ? SK_RA_BIT(SK_RA_SLOT) : 0) |
                    (r->group.index >= 0 ? SK_RA_BIT(SK_RA_GROUP) : 0) |
                    (r->option.index >= 0 ? SK_RA_BIT(SK_RA_OPTION) : 0) | (r->n_list > 0 ? SK_RA_BIT(SK_RA_LIST) : 0) |
                    (attr(L, n, def->value_attr ? def->value_attr : "value") ? SK_RA_BIT(SK_RA_VALUE) : 0);
    bool ok = (def->required & ~have) == 0;
    if (!ok)
        return fail_at(L, n, "item %d: rule \"%s\" lacks a required attribute", it->no, kind);
    const char *timing = attr(L, n, "timing");
    if (timing)
        r->timing = strcmp(timing, "done") == 0 ? SK_TIMING_DONE
                    : strcmp(timing, "planned") == 0 ? SK_TIMING_PLANNED
                                                     : SK_TIMING_ANY;
    const char *value = attr(L, n, def->value_attr ? def->value_attr : "value");
    if (value) {
        char *end;
        errno = 0;
        r->value = strtod(value, &end);
        if (errno || *end)
            return fail_at(L, n, "item %d: value \"%s\" is not a number", it->no, value);
    }
    if (r->kind == SK_RULE_DISPOSAL && (r->value < 1 || r->value > DISPOSAL_MAX || r->value != (int)r->value))
        return fail_at(L, n, "item %d: max of disposal-methods is a whole number from 1 to %d", it->no, DISPOSAL_MAX);
    if (!(r->unit = attr(L, n, "unit")))
        r->unit = "";
    r->code = attr(L, n, "code");
    for (xmlNode *m = elem_from(n->children); m; m = elem_from(m->next)) {
        if (!is_elem(m, "message"))
            return fail_at(L, m, "unexpected <%s> in <rule>", (const char *)m->name);
        const char *lang = need_attr(L, m, "lang");
        if (!lang)
            return SK_ERR_TEMPLATE;
        if (strcmp(lang, "ja") == 0)
            r->msg_ja = content(L, m);
        else
            r->msg_en = content(L, m);
    }
    /* the cell the finding belongs to */
    if (local >= 0)
        r->party = (sk_party)local;
    else if (r->slot.index >= 0)
        r->party = r->slot.party;
    else if (r->n_list > 0)
        r->party = r->list[0].party;
    else
        r->party = r->when.party;
    return SK_OK;
}

/* Parses a space-separated list of phase ids into a bit mask. */
static sk_error parse_phases(loader *L, xmlNode *n, const char *v, unsigned *mask)
{
    const char **tok;
    int cnt = split_tokens(L, v, &tok);
    if (cnt < 0)
        return SK_ERR_NOMEM;
    *mask = 0;
    for (int i = 0; i < cnt; i++) {
        int p = sk_template_phase(L->t, tok[i]);
        if (p < 0)
            return fail_at(L, n, "unknown phase \"%s\"", tok[i]);
        *mask |= 1u << p;
    }
    return SK_OK;
}

/* Loads a <group> of cell c (party). */
static sk_error load_group(loader *L, xmlNode *n, const sk_item *it, int party, sk_cell_def *c, sk_option *opts,
                           sk_group *g, int gi)
{
    const char *kind, *options;
    if (!(g->id = need_attr(L, n, "id")) || !(kind = need_attr(L, n, "kind")) ||
        !(options = need_attr(L, n, "options")))
        return SK_ERR_TEMPLATE;
    int k = lookup(group_kind_names, 3, kind);
    if (k < 0)
        return fail_at(L, n, "item %d: unknown group kind \"%s\"", it->no, kind);
    g->kind = (sk_group_kind)k;
    const char **tok;
    int cnt = split_tokens(L, options, &tok);
    int *idx = sk_arena_alloc(L->arena, sizeof(int) * (size_t)(cnt > 0 ? cnt : 1));
    if (cnt < 0 || !idx)
        return SK_ERR_NOMEM;
    if (cnt == 0)
        return fail_at(L, n, "item %d: group \"%s\" has no options", it->no, g->id);
    for (int i = 0; i < cnt; i++) {
        const char *id = strchr(tok[i], ':') ? strchr(tok[i], ':') + 1 : tok[i];
        idx[i] = sk_cell_option(c, id);
        if (idx[i] < 0)
            return fail_at(L, n, "item %d: group \"%s\" names unknown option \"%s\"", it->no, g->id, tok[i]);
        if (opts[idx[i]].group >= 0)
            return fail_at(L, n, "item %d: option \"%s\" is in two groups", it->no, id);
        opts[idx[i]].group = gi;
    }
    if (g->kind == SK_GROUP_CONFIRM && cnt != 1)
        return fail_at(L, n, "item %d: confirm group \"%s\" must have exactly one option", it->no, g->id);
    g->options = idx;
    g->n_options = cnt;
    g->parent = -1;
    const char *parent = attr(L, n, "parent");
    if (parent) {
        const char *id = strchr(parent, ':') ? strchr(parent, ':') + 1 : parent;
        g->parent = sk_cell_option(c, id);
        if (g->parent < 0)
            return fail_at(L, n, "item %d: group \"%s\" names unknown parent \"%s\"", it->no, g->id, parent);
    }
    const char *phases = attr(L, n, "phases");
    sk_error e;
    if (phases && (e = parse_phases(L, n, phases, &g->phases)))
        return e;
    const char *min = attr(L, n, "min");
    if (min) {
        char *end;
        long v = strtol(min, &end, 10);
        if (*end || v < 1 || v > cnt)
            return fail_at(L, n, "item %d: group \"%s\": min must be 1..%d", it->no, g->id, cnt);
        g->min = (int)v;
    }
    const char *optional = attr(L, n, "optional");
    g->optional = optional && (strcmp(optional, "true") == 0 || strcmp(optional, "1") == 0);
    g->scope = attr(L, n, "scope");
    g->due = g->phases ? g->phases : c->due;
    (void)party;
    return parse_severity(L, n, &g->severity);
}

/* Loads <provider> or <contractor>: text first, then groups, then rules. */
static sk_error load_cell(loader *L, xmlNode *n, sk_item *it, int party, sk_rule *rules, int *n_rules,
                          int max_rules)
{
    sk_cell_def *c = &it->cells[party];
    /* unscoped blocks: due from the column's due-from phase, else from the
     * item's lifecycle phase (an item of every phase: always) */
    int from = L->t->columns[party == SK_PROVIDER ? SK_COL_PROVIDER : SK_COL_CONTRACTOR].due_from;
    if (from < 0)
        from = it->lifecycle == SK_LIFECYCLE_ALL ? 0 : it->lifecycle;
    c->due = 0;
    for (int p = from; p < L->t->n_phases; p++)
        c->due |= 1u << p;
    const char *absent = attr(L, n, "absent");
    if (absent && strcmp(absent, "true") == 0) {
        c->absent = true;
        c->text = sk_arena_strdup(L->arena, "\u2015");
        if (!c->text)
            return SK_ERR_NOMEM;
        c->text_len = strlen(c->text);
        return SK_OK;
    }
    xmlNode *text = elem_from(n->children);
    if (!is_elem(text, "text"))
        return fail_at(L, n, "item %d: <%s> needs a <text>", it->no, party_names[party]);
    sk_option *opts = sk_arena_alloc(L->arena, sizeof(sk_option) * SK_MAX_OPTIONS);
    sk_slot *slots = sk_arena_alloc(L->arena, sizeof(sk_slot) * SK_MAX_SLOTS);
    if (!opts || !slots)
        return SK_ERR_NOMEM;
    sk_error e = load_text(L, text, c, opts, slots);
    if (e)
        return e;
    c->options = opts;
    c->slots = slots;
    if ((e = check_unique(L, text, "option", option_id_at, opts, c->n_options)) ||
        (e = check_unique(L, text, "slot", slot_id_at, slots, c->n_slots)))
        return e;

    int n_groups = 0;
    for (xmlNode *m = elem_from(text->next); m; m = elem_from(m->next))
        if (is_elem(m, "group"))
            n_groups++;
    sk_group *groups = sk_arena_alloc(L->arena, sizeof(sk_group) * (size_t)(n_groups ? n_groups : 1));
    if (!groups)
        return SK_ERR_NOMEM;
    c->groups = groups;
    int gi = 0;
    for (xmlNode *m = elem_from(text->next); m; m = elem_from(m->next)) {
        if (is_elem(m, "group")) {
            if ((e = load_group(L, m, it, party, c, opts, &groups[gi], gi)))
                return e;
            c->n_groups = ++gi;
        } else if (is_elem(m, "rule")) {
            if (*n_rules >= max_rules)
                return fail_at(L, m, "item %d: too many rules", it->no);
            if ((e = load_rule(L, m, it, party, &rules[*n_rules])))
                return e;
            (*n_rules)++;
        } else {
            return fail_at(L, m, "item %d: unexpected <%s> in <%s>", it->no, (const char *)m->name,
                           party_names[party]);
        }
    }
    return check_unique(L, n, "group", group_id_at, groups, c->n_groups);
}

/* Loads one <item>. */
static sk_error load_item(loader *L, xmlNode *n, sk_item *it)
{
    const char *no = need_attr(L, n, "no"), *lc = need_attr(L, n, "lifecycle"), *level = need_attr(L, n, "level");
    if (!no || !lc || !level)
        return SK_ERR_TEMPLATE;
    char *end;
    long v = strtol(no, &end, 10);
    if (*end || v < 1 || v > SK_MAX_ITEMS)
        return fail_at(L, n, "item number \"%s\" is not 1..%d", no, SK_MAX_ITEMS);
    it->no = (int)v;
    it->line = (int)xmlGetLineNo(n);
    if (strcmp(lc, "all") == 0) {
        it->lifecycle = SK_LIFECYCLE_ALL;
    } else if ((it->lifecycle = sk_template_phase(L->t, lc)) < 0) {
        return fail_at(L, n, "item %d: unknown lifecycle \"%s\"", it->no, lc);
    }
    int lv = lookup(level_names, SK_LEVEL__COUNT, level);
    if (lv < 0)
        return fail_at(L, n, "item %d: unknown level \"%s\"", it->no, level);
    it->level = (sk_level)lv;
    const char *ev = attr(L, n, "evidence");
    it->evidence = ev && (strcmp(ev, "true") == 0 || strcmp(ev, "1") == 0);

    xmlNode *req = elem_from(n->children);
    if (!is_elem(req, "requirement"))
        return fail_at(L, n, "item %d: <requirement> must come first", it->no);
    it->requirement = content(L, req);
    xmlNode *prov = elem_from(req->next);
    xmlNode *cont = prov ? elem_from(prov->next) : NULL;
    if (!is_elem(prov, "provider") || !is_elem(cont, "contractor"))
        return fail_at(L, n, "item %d: needs <provider> then <contractor>", it->no);

    enum { MAX_RULES = 128 };
    sk_rule *rules = sk_arena_alloc(L->arena, sizeof(sk_rule) * MAX_RULES);
    if (!rules)
        return SK_ERR_NOMEM;
    int n_rules = 0;
    sk_error e;
    if ((e = load_cell(L, prov, it, SK_PROVIDER, rules, &n_rules, MAX_RULES)) ||
        (e = load_cell(L, cont, it, SK_CONTRACTOR, rules, &n_rules, MAX_RULES)))
        return e;
    for (xmlNode *m = elem_from(cont->next); m; m = elem_from(m->next)) {
        if (!is_elem(m, "rule"))
            return fail_at(L, m, "item %d: unexpected <%s> in <item>", it->no, (const char *)m->name);
        if (n_rules >= MAX_RULES)
            return fail_at(L, m, "item %d: too many rules", it->no);
        if ((e = load_rule(L, m, it, -1, &rules[n_rules])))
            return e;
        n_rules++;
    }
    it->rules = rules;
    it->n_rules = n_rules;
    return SK_OK;
}

/* The words of a pair of attributes: name (Japanese) and name_en. */
static sk_words words_attr(loader *L, xmlNode *n, const char *name, const char *name_en)
{
    return (sk_words){attr(L, n, name), attr(L, n, name_en)};
}

/* Fills what the template left out: a word missing in one language is the
 * other's; a word missing in both is fallback. */
static void words_default(sk_words *w, const char *fallback)
{
    if (!w->ja)
        w->ja = w->en ? w->en : fallback;
    if (!w->en)
        w->en = w->ja;
}

/* Loads <parties>: who answers each column. */
static sk_error load_parties(loader *L, xmlNode *n)
{
    sk_template *t = L->t;
    for (xmlNode *p = elem_from(n->children); p; p = elem_from(p->next)) {
        int k = is_elem(p, "party") ? lookup(party_names, SK_PARTY__COUNT, need_attr(L, p, "id")) : -1;
        if (k < 0)
            return fail_at(L, p, "<parties> holds <party id=\"provider|contractor\"> only");
        t->parties[k].label = words_attr(L, p, "label", "label-en");
        t->parties[k].short_label = words_attr(L, p, "short", "short-en");
    }
    return SK_OK;
}

/* Loads <actions>: per finding code, what the review asks of the answerer. */
static sk_error load_actions(loader *L, xmlNode *n)
{
    sk_template *t = L->t;
    int cnt = 0;
    for (xmlNode *a = elem_from(n->children); a; a = elem_from(a->next))
        cnt++;
    sk_action *acts = sk_arena_alloc(L->arena, sizeof(sk_action) * (size_t)(cnt ? cnt : 1));
    if (!acts)
        return SK_ERR_NOMEM;
    for (xmlNode *a = elem_from(n->children); a; a = elem_from(a->next)) {
        if (!is_elem(a, "action"))
            return fail_at(L, a, "<actions> holds <action> only");
        sk_action *ac = &acts[t->n_actions];
        if (!(ac->code = need_attr(L, a, "code")))
            return SK_ERR_TEMPLATE;
        for (xmlNode *m = elem_from(a->children); m; m = elem_from(m->next)) {
            const char *lang = is_elem(m, "message") ? need_attr(L, m, "lang") : NULL;
            if (!lang)
                return fail_at(L, m, "<action> holds <message lang=\"ja|en\"> only");
            *(strcmp(lang, "en") == 0 ? &ac->text.en : &ac->text.ja) = content(L, m);
        }
        words_default(&ac->text, "");
        t->n_actions++;
    }
    t->actions = acts;
    return SK_OK;
}

/* Loads the optional checklist wording after <columns>: <parties>,
 * <project> and <actions>, in that order, and fills what is left out (the
 * ids; the level labels). */
static sk_error load_wording(loader *L, xmlNode **cursor)
{
    sk_template *t = L->t;
    xmlNode *n = *cursor;
    sk_error e;
    if (is_elem(n, "parties")) {
        if ((e = load_parties(L, n)))
            return e;
        n = elem_from(n->next);
    }
    if (is_elem(n, "project")) {
        t->project_label = words_attr(L, n, "label", "label-en");
        n = elem_from(n->next);
    }
    if (is_elem(n, "actions")) {
        if ((e = load_actions(L, n)))
            return e;
        n = elem_from(n->next);
    }
    for (int k = 0; k < SK_PARTY__COUNT; k++) {
        words_default(&t->parties[k].label, party_names[k]);
        words_default(&t->parties[k].short_label, t->parties[k].label.ja);
    }
    for (int k = 0; k < SK_LEVEL__COUNT; k++)
        words_default(&t->level_nouns[k], t->level_labels[k]);
    words_default(&t->project_label, "project");
    *cursor = n;
    return SK_OK;
}

/* Loads <levels> and <columns> at *cursor, then the optional wording. */
static sk_error load_levels_columns(loader *L, xmlNode **cursor)
{
    sk_template *t = L->t;
    xmlNode *n = *cursor;
    if (!is_elem(n, "levels"))
        return fail_at(L, n, "<levels> expected");
    for (xmlNode *p = elem_from(n->children); p; p = elem_from(p->next)) {
        int k = is_elem(p, "level") ? lookup(level_names, SK_LEVEL__COUNT, need_attr(L, p, "id")) : -1;
        if (k < 0)
            return fail_at(L, p, "<levels> holds <level id=\"required|recommended\"> only");
        if (!(t->level_labels[k] = need_attr(L, p, "label")))
            return SK_ERR_TEMPLATE;
        t->level_nouns[k] = (sk_words){attr(L, p, "noun"), attr(L, p, "noun-en")};
    }
    for (int k = 0; k < SK_LEVEL__COUNT; k++)
        if (!t->level_labels[k])
            return fail_at(L, n, "level \"%s\" is not defined", level_names[k]);
    n = elem_from(n->next);
    if (!is_elem(n, "columns"))
        return fail_at(L, n, "<columns> expected");
    for (xmlNode *p = elem_from(n->children); p; p = elem_from(p->next)) {
        int k = is_elem(p, "column") ? lookup(column_ids, SK_COL__COUNT, need_attr(L, p, "id")) : -1;
        if (k < 0)
            return fail_at(L, p, "unknown column");
        if (!(t->columns[k].match = need_attr(L, p, "match")))
            return SK_ERR_TEMPLATE;
        t->columns[k].label = content(L, p);
        const char *from = attr(L, p, "due-from");
        t->columns[k].due_from = -1;
        if (from && (k != SK_COL_PROVIDER && k != SK_COL_CONTRACTOR))
            return fail_at(L, p, "due-from is for the answer columns");
        if (from && (t->columns[k].due_from = sk_template_phase(t, from)) < 0)
            return fail_at(L, p, "unknown phase \"%s\"", from);
    }
    for (int k = 0; k < SK_COL__COUNT; k++)
        if (!t->columns[k].label)
            return fail_at(L, n, "column \"%s\" is not defined", column_ids[k]);
    *cursor = elem_from(n->next);
    return load_wording(L, cursor);
}

/* Loads the header part of the file: everything before the items. */
static sk_error load_head(loader *L, xmlNode **cursor)
{
    sk_template *t = L->t;
    xmlNode *n = *cursor;
    if (!is_elem(n, "title"))
        return fail_at(L, n, "<title> must come first");
    t->title = content(L, n);
    n = elem_from(n->next);

    int n_notes = 0;
    for (xmlNode *m = n; is_elem(m, "note"); m = elem_from(m->next))
        n_notes++;
    const char **notes = sk_arena_alloc(L->arena, sizeof(char *) * (size_t)(n_notes ? n_notes : 1));
    if (!notes)
        return SK_ERR_NOMEM;
    for (int i = 0; i < n_notes; i++, n = elem_from(n->next))
        notes[i] = content(L, n);
    t->notes = notes;
    t->n_notes = n_notes;

    if (!is_elem(n, "document"))
        return fail_at(L, n, "<document> expected after the notes");
    for (xmlNode *f = elem_from(n->children); f; f = elem_from(f->next)) {
        const char *id = is_elem(f, "field") ? need_attr(L, f, "id") : NULL;
        int k = lookup(doc_field_ids, SK_DOC__COUNT, id);
        if (k < 0)
            return fail_at(L, f, "<document> holds <field id=\"created|updated|service\"> only");
        if (!(t->fields[k].label = need_attr(L, f, "label")))
            return SK_ERR_TEMPLATE;
        const char *ph = attr(L, f, "placeholder");
        if (!(t->fields[k].placeholder = ph ? ph : sk_arena_strdup(L->arena, "")))
            return SK_ERR_NOMEM;
    }
    n = elem_from(n->next);
    if (!(t->instruction = sk_arena_strdup(L->arena, "")))
        return SK_ERR_NOMEM;
    if (is_elem(n, "instruction")) {
        t->instruction = content(L, n);
        n = elem_from(n->next);
    }
    if (!is_elem(n, "phases"))
        return fail_at(L, n, "<phases> expected");
    for (xmlNode *p = elem_from(n->children); p; p = elem_from(p->next)) {
        if (!is_elem(p, "phase") || t->n_phases >= SK_MAX_PHASES)
            return fail_at(L, p, "<phases> holds at most %d <phase>", SK_MAX_PHASES);
        sk_phase_def *ph = &t->phases[t->n_phases];
        if (!(ph->id = need_attr(L, p, "id")) || !(ph->label = need_attr(L, p, "label")))
            return SK_ERR_TEMPLATE;
        if (!(ph->aliases = attr(L, p, "aliases")))
            ph->aliases = "";
        if (strcmp(ph->id, "auto") == 0 || strcmp(ph->id, "all") == 0 || sk_template_phase(t, ph->id) >= 0)
            return fail_at(L, p, "phase id \"%s\" is reserved or repeated", ph->id);
        t->n_phases++;
    }
    if (t->n_phases == 0)
        return fail_at(L, n, "<phases> is empty");
    *cursor = elem_from(n->next);
    return load_levels_columns(L, cursor);
}

/* Suppresses libxml2's printing; the first error is kept in the diag. */
static void quiet_error(void *ctx, const xmlError *e)
{
    loader *L = ctx;
    if (L->d && L->d->code == SK_OK && e) {
        L->d->code = SK_ERR_TEMPLATE;
        sk_diag_file(L->d, L->name);
        sk_diag_where(L->d, "line %d", e->line);
        size_t n = snprintf(L->d->reason, sizeof L->d->reason, "malformed XML: %s", e->message ? e->message : "");
        while (n > 0 && n < sizeof L->d->reason && L->d->reason[n - 1] == '\n')
            L->d->reason[--n] = '\0';
    }
}

/* Loads the <item> elements from n on (the rest of root's children). */
static sk_error load_items(loader *L, xmlNode *root, xmlNode *n)
{
    sk_template *t = L->t;
    int n_items = 0;
    for (xmlNode *m = n; m; m = elem_from(m->next))
        n_items++;
    if (n_items == 0 || n_items > SK_MAX_ITEMS)
        return fail_at(L, root, "a template holds 1..%d items", SK_MAX_ITEMS);
    sk_item *items = sk_arena_alloc(L->arena, sizeof(sk_item) * (size_t)n_items);
    if (!items)
        return SK_ERR_NOMEM;
    t->items = items;
    for (int i = 0; n; n = elem_from(n->next), i++) {
        if (!is_elem(n, "item"))
            return fail_at(L, n, "unexpected <%s>; items follow <columns>", (const char *)n->name);
        sk_error err = load_item(L, n, &items[i]);
        if (err)
            return err;
        if (i > 0 && items[i].no <= items[i - 1].no)
            return fail_at(L, n, "item %d: item numbers must be unique and increasing", items[i].no);
        t->n_items = i + 1;
    }
    return SK_OK;
}

sk_error sk_template_load_mem(const char *data, size_t len, const char *name, sk_template **out, sk_diag *d)
{
    *out = NULL;
    loader L = {.name = name, .d = d};
    sk_error err = SK_OK;
    xmlDoc *doc = NULL;
    xmlParserCtxt *ctxt = NULL;
    if (len > 16 * 1024 * 1024 || len > INT32_MAX)
        return sk_diag_set(d, SK_ERR_TEMPLATE, "template file larger than 16 MiB"), sk_diag_file(d, name),
               SK_ERR_TEMPLATE;
    if (!(L.arena = sk_arena_new()) || !(L.t = sk_arena_alloc(L.arena, sizeof(sk_template)))) {
        err = SK_ERR_NOMEM;
        goto fail;
    }
    L.t->arena = L.arena;
    if (!(ctxt = xmlNewParserCtxt())) {
        err = SK_ERR_NOMEM;
        goto fail;
    }
    xmlSetStructuredErrorFunc(&L, (xmlStructuredErrorFunc)quiet_error);
    /* No entity substitution, no DTD loading, no network. */
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc) {
        err = d && d->code ? d->code : sk_diag_set(d, SK_ERR_TEMPLATE, "malformed XML");
        sk_diag_file(d, name);
        goto fail;
    }
    if (doc->intSubset || doc->extSubset) {
        err = fail_at(&L, NULL, "a DOCTYPE is not allowed in a template");
        goto fail;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_elem(root, "checklist")) {
        err = fail_at(&L, root, "the root element must be <checklist xmlns=\"" NS_URI "\">");
        goto fail;
    }
    sk_template *t = L.t;
    if (!(t->id = need_attr(&L, root, "id")) || !(t->version = need_attr(&L, root, "version"))) {
        err = SK_ERR_TEMPLATE;
        goto fail;
    }
    xmlNode *n = elem_from(root->children);
    if ((err = load_head(&L, &n)))
        goto fail;
    if ((err = load_items(&L, root, n)))
        goto fail;
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    doc = NULL;
    ctxt = NULL;
    if ((err = sk_align_prep_template(t)) != SK_OK)
        goto fail;
    *out = t;
    return SK_OK;
fail:
    if (err == SK_ERR_NOMEM)
        sk_diag_set(d, SK_ERR_NOMEM, "out of memory while loading the template");
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    sk_arena_free(L.arena);
    return err;
}

sk_error sk_template_load_file(const char *path, sk_template **out, sk_diag *d)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_IO, "cannot open template: %s", strerror(errno));
    }
    sk_buf buf = SK_BUF_INIT;
    char chunk[65536];
    size_t n;
    sk_error err = SK_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf.len + n > 16 * 1024 * 1024) {
            err = sk_diag_set(d, SK_ERR_TEMPLATE, "template file larger than 16 MiB");
            break;
        }
        if ((err = sk_buf_append_len(&buf, chunk, n)))
            break;
    }
    if (!err && ferror(f))
        err = sk_diag_set(d, SK_ERR_IO, "cannot read template: %s", strerror(errno));
    fclose(f);
    if (!err)
        err = sk_template_load_mem(buf.data ? buf.data : "", buf.len, path, out, d);
    sk_diag_file(d, path);
    sk_buf_free(&buf);
    return err;
}

const char *sk_template_default_xml(size_t *len)
{
    *len = (size_t)(sk_default_template_end - sk_default_template_xml);
    return sk_default_template_xml;
}

sk_error sk_template_load_default_xml(sk_template **out, sk_diag *d)
{
    size_t len;
    const char *xml = sk_template_default_xml(&len);
    return sk_template_load_mem(xml, len, "templates/default.xml", out, d);
}

void sk_template_free(sk_template *t)
{
    if (!t)
        return;
    sk_align_prep_template_free(t);
    if (t->arena)
        sk_arena_free(t->arena); /* loaded from XML: t itself is in its arena */
    else
        free(t); /* the built-in one: a copy of the static tables' top structure */
}

const sk_item *sk_template_item(const sk_template *t, int no)
{
    int lo = 0, hi = t->n_items - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (t->items[mid].no == no)
            return &t->items[mid];
        if (t->items[mid].no < no)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* True if a[0..alen) and b[0..blen) are the same name once white space is
 * dropped and full-width ASCII folded (選定(調達) = 選定（調達）). */
static bool same_name(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        int32_t x = -1, y = -1;
        while (i < alen && (x = sk_utf8_next(a, alen, &i)) >= 0 && sk_is_space((uint32_t)x))
            x = -1;
        while (j < blen && (y = sk_utf8_next(b, blen, &j)) >= 0 && sk_is_space((uint32_t)y))
            y = -1;
        if (x < 0 || y < 0)
            return x < 0 && y < 0 && i >= alen && j >= blen;
        if (sk_fold_cp((uint32_t)x) != sk_fold_cp((uint32_t)y))
            return false;
    }
}

int sk_template_phase(const sk_template *t, const char *id)
{
    for (int i = 0; i < t->n_phases; i++)
        if (strcmp(t->phases[i].id, id) == 0)
            return i;
    size_t n = strlen(id);
    for (int i = 0; i < t->n_phases; i++) {
        const char *lab = t->phases[i].label;
        if (lab && same_name(lab, strlen(lab), id, n))
            return i;
        for (const char *p = t->phases[i].aliases; p && *p;) {
            while (*p == ' ')
                p++;
            size_t k = strcspn(p, " ");
            if (k && same_name(p, k, id, n))
                return i;
            p += k;
        }
    }
    return -1;
}

bool sk_template_phase_parse(const sk_template *t, const char *name, int *index)
{
    *index = strcmp(name, "auto") == 0 ? -1 : sk_template_phase(t, name);
    return *index >= 0 || strcmp(name, "auto") == 0;
}

void sk_template_phase_names(const sk_template *t, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i <= t->n_phases && n < cap; i++) {
            const char *w = i == t->n_phases ? (pass ? NULL : "auto") : pass ? t->phases[i].label : t->phases[i].id;
            if (!w)
                continue;
            int k = snprintf(out + n, cap - n, "%s%s", i ? "|" : pass ? ", " : "", w);
            n += k > 0 ? (size_t)k : 0;
        }
}

const char *sk_template_action(const sk_template *t, const char *code, int lang)
{
    for (int i = 0; i < t->n_actions; i++)
        if (strcmp(t->actions[i].code, code) == 0)
            return lang ? t->actions[i].text.en : t->actions[i].text.ja;
    return NULL;
}

const char *sk_template_party_short(const sk_template *t, int party, int lang)
{
    if (party < 0 || party >= SK_PARTY__COUNT)
        return lang ? "item" : "項目";
    const sk_words *w = &t->parties[party].short_label;
    return lang ? w->en : w->ja;
}
