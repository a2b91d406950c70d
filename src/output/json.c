/* sechk — JSON answers (sechk/answers-v1): writing (reading: src/checklist/answers_json.c). */
#include "sechk/json.h"
#include "sechk/validate.h"

#include <stdlib.h>
#include <string.h>

#include "sechk/text.h"

#define FORMAT_ID "sechk/answers-v1"

/* A JSON writer into an sk_buf that lays out its text exactly as jansson's
 * json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) does: one member or
 * element per line, two spaces an indentation level, ": " after a key, "{}"
 * and "[]" when empty, and the same string escapes.  Writing directly is a
 * third of the cost of building a jansson tree and dumping it. */
typedef struct jw {
    sk_buf *b;
    int depth;
    int base;   /* the depth of the outermost value */
    bool first; /* nothing written yet in the open object or array */
    bool fail;
} jw;

/* ",\n" and then spaces: the start of a line, sliced to its indentation. */
static const char line_lead[] = ",\n"
                                "                                "
                                "                                ";
#define LEAD_SPACES ((int)sizeof line_lead - 3)

/* A new line indented to depth, after a ',' if comma.  The usual case copies
 * the whole of line_lead, a fixed size the compiler copies inline, and keeps
 * only what it needs (the rest is overwritten later or cut by the NUL). */
static void jw_newline(jw *w, bool comma, int depth)
{
    sk_buf *b = w->b;
    const char *lead = comma ? line_lead : line_lead + 1;
    size_t head = comma ? 2 : 1, n = head + (size_t)depth * 2;
    if (depth <= LEAD_SPACES / 2 && b->cap - b->len > sizeof line_lead) {
        memcpy(b->data + b->len, lead, sizeof line_lead - 1);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    if (depth <= LEAD_SPACES / 2) {
        w->fail |= sk_buf_append_len(b, lead, n) != SK_OK;
        return;
    }
    w->fail |= sk_buf_append_len(b, lead, head) != SK_OK;
    for (int k = depth * 2; k > 0; k -= LEAD_SPACES)
        w->fail |= sk_buf_append_len(b, line_lead + 2, k < LEAD_SPACES ? (size_t)k : LEAD_SPACES) != SK_OK;
}

/* Starts the next member or element of the open object or array. */
static void jw_next(jw *w)
{
    if (w->depth == w->base)
        return;
    jw_newline(w, !w->first, w->depth);
    w->first = false;
}

/* The bytes a JSON string cannot hold as they are: the control characters,
 * '"' and '\\' (and NUL, which ends the string). */
#define ONES16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char must_escape[256] = {ONES16, ONES16, ['"'] = 1, ['\\'] = 1};

/* Appends the escape of c, a byte of must_escape other than NUL, as jansson
 * writes it: \" \\ \b \f \n \r \t, else \u00XX in capitals. */
static void jw_escape(jw *w, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    size_t n = 2;
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    default: n = 6; break;
    }
    w->fail |= sk_buf_append_len(w->b, esc, n) != SK_OK;
}

/* A JSON string: '"', '\\' and control characters escaped as jansson does
 * (\b \f \n \r \t, else \u00XX); other bytes, UTF-8 included, as they are.
 * Each run of bytes that need no escape goes in with one append. */
static void jw_raw_string(jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (!must_escape[*p])
        p++;
    if (!*p) { /* nothing to escape, the usual case: one copy */
        size_t n = (size_t)(p - (const unsigned char *)s);
        if (sk_buf_reserve(w->b, n + 2) != SK_OK) {
            w->fail = true;
            return;
        }
        char *d = w->b->data + w->b->len;
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        d[n + 2] = '\0';
        w->b->len += n + 2;
        return;
    }
    p = (const unsigned char *)s;
    w->fail |= sk_buf_putc(w->b, '"') != SK_OK;
    for (;;) {
        const unsigned char *run = p;
        while (!must_escape[*p])
            p++;
        w->fail |= sk_buf_append_len(w->b, (const char *)run, (size_t)(p - run)) != SK_OK;
        if (!*p)
            break;
        jw_escape(w, *p++);
    }
    w->fail |= sk_buf_putc(w->b, '"') != SK_OK;
}

sk_error sk_json_put_string(sk_buf *out, const char *s)
{
    jw w = {.b = out};
    jw_raw_string(&w, s);
    return w.fail ? SK_ERR_NOMEM : SK_OK;
}

/* Starts a member named key (NULL for an array element or the top level):
 * its line and, for a member, its key.  Keys are this format's own names
 * (literals here and sk_*_name()'s words: ASCII letters, '-' and '_'), which
 * need no escape: written in one piece. */
static void jw_key(jw *w, const char *key)
{
    jw_next(w);
    if (!key)
        return;
    size_t n = strlen(key);
    if (sk_buf_reserve(w->b, n + 4) != SK_OK) {
        w->fail = true;
        return;
    }
    char *d = w->b->data + w->b->len;
    d[0] = '"';
    memcpy(d + 1, key, n);
    memcpy(d + 1 + n, "\": ", 4); /* with the NUL */
    w->b->len += n + 4;
}

/* Opens an object or array ('{' or '[') as a member named key. */
static void jw_open(jw *w, const char *key, char bracket)
{
    jw_key(w, key);
    w->fail |= sk_buf_putc(w->b, bracket) != SK_OK;
    w->depth++;
    w->first = true;
}

/* Closes the open object or array with '}' or ']'. */
static void jw_close(jw *w, char bracket)
{
    w->depth--;
    if (!w->first)
        jw_newline(w, false, w->depth);
    w->fail |= sk_buf_putc(w->b, bracket) != SK_OK;
    w->first = false;
}

/* A member or element with a literal value: a number, true, false or null. */
static void jw_lit(jw *w, const char *key, const char *lit)
{
    jw_key(w, key);
    w->fail |= sk_buf_append(w->b, lit) != SK_OK;
}

/* A member or element with a string value, or null for NULL. */
static void jw_str(jw *w, const char *key, const char *s)
{
    if (!s) {
        jw_lit(w, key, "null");
        return;
    }
    jw_key(w, key);
    jw_raw_string(w, s);
}

static void jw_bool(jw *w, const char *key, bool v)
{
    jw_lit(w, key, v ? "true" : "false");
}

static void jw_int(jw *w, const char *key, long long v)
{
    char n[24], *p = n;
    if (v < 0)
        *p++ = '-';
    *sk_put_uint(p, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v) = '\0';
    jw_lit(w, key, n);
}

/* True if a marker of the cell's text stands for option o. */
static bool has_marker(const sk_cell_answers *ca, int o)
{
    for (int m = 0; m < ca->r.n_markers; m++)
        if (ca->r.markers[m].option == o)
            return true;
    return false;
}

/* One answer cell as a member, or null for a "―" cell. */
static void cell_json(jw *w, const char *key, const sk_cell_def *def, const sk_cell_answers *ca, bool found)
{
    if (def->absent) {
        jw_lit(w, key, "null");
        return;
    }
    jw_open(w, key, '{');
    jw_str(w, "ref", found ? ca->ref : NULL);
    jw_bool(w, "altered", found && (ca->r.altered || ca->r.approximate));
    /* options in marker order; a marker the template lacks has id null */
    jw_open(w, "options", '[');
    for (int m = 0; found && m < ca->r.n_markers; m++) {
        const sk_marker *mk = &ca->r.markers[m];
        const sk_option *opt = mk->option >= 0 ? &def->options[mk->option] : NULL;
        jw_open(w, NULL, '{');
        jw_str(w, "id", opt ? opt->id : NULL);
        jw_str(w, "label", opt ? opt->label : "");
        jw_bool(w, "checked", mk->checked);
        if (opt && ca->by_control && ca->by_control[mk->option])
            jw_str(w, "source", "checkbox-control");
        jw_close(w, '}');
    }
    /* an option checked by a check box control whose □ is missing from the text */
    for (int o = 0; found && ca->by_control && o < def->n_options; o++) {
        if (!ca->by_control[o] || ca->r.state[o] != SK_BOX_CHECKED || has_marker(ca, o))
            continue;
        jw_open(w, NULL, '{');
        jw_str(w, "id", def->options[o].id);
        jw_str(w, "label", def->options[o].label);
        jw_bool(w, "checked", true);
        jw_str(w, "source", "checkbox-control");
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "fields", '[');
    for (int s = 0; s < def->n_slots; s++) {
        const char *v = found && ca->r.values && ca->r.values[s] ? ca->r.values[s] : "";
        jw_open(w, NULL, '{');
        jw_str(w, "id", def->slots[s].id);
        jw_str(w, "label", def->slots[s].label);
        jw_str(w, "value", v);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    bool missing = false;
    for (int i = 0; found && i < def->n_options; i++) {
        if (!ca->r.state || ca->r.state[i] != SK_BOX_MISSING)
            continue;
        if (!missing)
            jw_open(w, "missing_options", '[');
        missing = true;
        jw_str(w, NULL, def->options[i].id);
    }
    if (missing)
        jw_close(w, ']');
    /* comments on the cell: the answerer's remarks, never answers */
    jw_open(w, "comments", '[');
    for (int c = 0; found && c < ca->n_comments; c++) {
        jw_open(w, NULL, '{');
        jw_str(w, "author", ca->comments[c].author);
        jw_str(w, "text", ca->comments[c].text);
        jw_bool(w, "threaded", ca->comments[c].threaded);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

/* One finding (or a workbook note): severity, code, with ia its column and
 * cell (the cell only when the item was found), and the message. */
static void finding_json(jw *w, const sk_finding *fd, sk_lang lang, const sk_item_answers *ia, bool found)
{
    jw_open(w, NULL, '{');
    jw_str(w, "severity", sk_severity_name(fd->severity));
    jw_str(w, "code", fd->code);
    if (ia) {
        jw_str(w, "column", fd->party >= 0 ? sk_party_name((sk_party)fd->party) : NULL);
        jw_str(w, "cell", fd->party >= 0 && found ? ia->cells[fd->party].ref : NULL);
    }
    jw_str(w, "message", lang == SK_LANG_EN ? fd->message_en : fd->message_ja);
    jw_close(w, '}');
}

/* One item: its place in the template, row, status, cells and findings. */
static void item_json(jw *w, const sk_template *t, const sk_item_answers *ia, sk_lang lang)
{
    const sk_item *it = ia->item;
    bool found = ia->row > 0;
    jw_open(w, NULL, '{');
    jw_int(w, "no", it->no);
    jw_str(w, "lifecycle", it->lifecycle == SK_LIFECYCLE_ALL ? "all" : t->phases[it->lifecycle].id);
    jw_str(w, "level", sk_level_name(it->level));
    if (found)
        jw_int(w, "row", ia->row);
    else
        jw_lit(w, "row", "null");
    jw_str(w, "status", sk_status_name(ia->status));
    jw_open(w, "cells", '{');
    for (int p = 0; p < SK_PARTY__COUNT; p++)
        cell_json(w, sk_party_name((sk_party)p), &it->cells[p], &ia->cells[p], found);
    jw_close(w, '}');
    jw_open(w, "findings", '[');
    for (int f = 0; f < ia->n_findings; f++)
        finding_json(w, &ia->findings[f], lang, ia, found);
    jw_close(w, ']');
    jw_close(w, '}');
}

sk_error sk_json_write_answers(const sk_answers *a, sk_lang lang, int depth, sk_buf *out)
{
    const sk_template *t = a->tpl;
    jw w = {.b = out, .depth = depth, .base = depth, .first = true};
    /* room for a typical file at once (an item takes 1.5 to 2.5 KB) rather
     * than a dozen doublings of the buffer, each a copy */
    w.fail |= sk_buf_reserve(out, 4096 + (size_t)a->n_items * 2048) != SK_OK;
    jw_open(&w, NULL, '{');
    jw_str(&w, "format", FORMAT_ID);
    jw_open(&w, "source", '{');
    jw_str(&w, "path", a->path);
    jw_str(&w, "sha256", a->sha256);
    jw_str(&w, "sheet", a->sheet);
    if (a->converted_by)
        jw_str(&w, "converted_by", a->converted_by);
    jw_close(&w, '}');
    jw_open(&w, "template", '{');
    jw_str(&w, "id", t->id);
    jw_str(&w, "version", t->version);
    jw_close(&w, '}');
    static const char *const doc_keys[SK_DOC__COUNT] = {"created", "updated", "service"};
    jw_open(&w, "document", '{');
    for (int k = 0; k < SK_DOC__COUNT; k++)
        jw_str(&w, doc_keys[k], a->doc[k] ? a->doc[k] : "");
    jw_str(&w, "created_date", a->doc_date[SK_DOC_CREATED][0] ? a->doc_date[SK_DOC_CREATED] : NULL);
    jw_str(&w, "updated_date", a->doc_date[SK_DOC_UPDATED][0] ? a->doc_date[SK_DOC_UPDATED] : NULL);
    jw_close(&w, '}');
    jw_open(&w, "notes", '[');
    for (int f = 0; f < a->n_notes; f++)
        finding_json(&w, &a->notes[f], lang, NULL, false);
    jw_close(&w, ']');
    jw_str(&w, "phase", a->phase >= 0 ? t->phases[a->phase].id : NULL);
    char basis[512];
    if (a->phase >= 0)
        sk_phase_basis(a, SK_LANG_EN, basis, sizeof basis);
    jw_str(&w, "phase_basis", a->phase >= 0 ? basis : NULL);
    jw_open(&w, "items", '[');
    for (int i = 0; i < a->n_items; i++)
        item_json(&w, t, &a->items[i], lang);
    jw_close(&w, ']');
    jw_open(&w, "summary", '{');
    sk_tally tally;
    sk_answers_tally(a, &tally);
    for (int s = 0; s < SK_STATUS__COUNT; s++)
        jw_int(&w, sk_status_name((sk_status)s), tally.counts[s]);
    jw_int(&w, "errors", tally.errors);
    jw_int(&w, "warnings", tally.warnings);
    jw_close(&w, '}');
    jw_close(&w, '}');
    return w.fail ? SK_ERR_NOMEM : SK_OK;
}
