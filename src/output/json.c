/* sechk — JSON answers (sechk/answers-v1): writing and reading. */
#include "sechk/json.h"
#include "sechk/validate.h"

#include <stdio.h>
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

/* A new line indented to depth. */
static void jw_indent(jw *w, int depth)
{
    static const char spaces[] = "                                ";
    sk_buf *b = w->b;
    w->fail |= sk_buf_putc(b, '\n') != SK_OK;
    for (int n = depth * 2; n > 0; n -= (int)sizeof spaces - 1)
        w->fail |= sk_buf_append_len(b, spaces, n < (int)sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1) != SK_OK;
}

/* Starts the next member or element of the open object or array. */
static void jw_next(jw *w)
{
    if (w->depth == w->base)
        return;
    if (!w->first)
        w->fail |= sk_buf_putc(w->b, ',') != SK_OK;
    jw_indent(w, w->depth);
    w->first = false;
}

/* A JSON string: '"', '\\' and control characters escaped as jansson does
 * (\b \f \n \r \t, else \u00XX); other bytes, UTF-8 included, as they are. */
static void jw_raw_string(jw *w, const char *s)
{
    sk_buf *b = w->b;
    w->fail |= sk_buf_putc(b, '"') != SK_OK;
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        w->fail |= sk_buf_append_len(b, run, (size_t)(p - run)) != SK_OK;
        if (c == '\0')
            break;
        char esc[8];
        switch (c) {
        case '"': memcpy(esc, "\\\"", 3); break;
        case '\\': memcpy(esc, "\\\\", 3); break;
        case '\b': memcpy(esc, "\\b", 3); break;
        case '\f': memcpy(esc, "\\f", 3); break;
        case '\n': memcpy(esc, "\\n", 3); break;
        case '\r': memcpy(esc, "\\r", 3); break;
        case '\t': memcpy(esc, "\\t", 3); break;
        default: snprintf(esc, sizeof esc, "\\u%04X", c); break;
        }
        w->fail |= sk_buf_append(b, esc) != SK_OK;
        run = p + 1;
    }
    w->fail |= sk_buf_putc(b, '"') != SK_OK;
}

/* Starts a member named key (NULL for an array element or the top level):
 * its line and, for a member, its key. */
static void jw_key(jw *w, const char *key)
{
    jw_next(w);
    if (key) {
        jw_raw_string(w, key);
        w->fail |= sk_buf_append(w->b, ": ") != SK_OK;
    }
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
        jw_indent(w, w->depth);
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
    char n[24];
    snprintf(n, sizeof n, "%lld", v);
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

/* Reports a JSON error at path. */
static sk_error bad(sk_diag *d, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sk_error bad(sk_diag *d, const char *path, const char *fmt, ...)
{
    if (d) {
        d->code = SK_ERR_JSON;
        sk_diag_where(d, "%s", path);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->reason, sizeof d->reason, fmt, ap);
        va_end(ap);
    }
    return SK_ERR_JSON;
}

/* Reads one cell's options and fields into ca. */
static sk_error read_cell(const json_t *c, const sk_cell_def *def, sk_cell_answers *ca, const char *path, sk_diag *d)
{
    char p[320];
    if (def->absent) {
        if (!json_is_null(c) && c)
            return bad(d, path, "this cell is \"―\" in the template and must be null");
        return SK_OK;
    }
    if (!json_is_object(c))
        return bad(d, path, "expected an object (or the item's cells are missing)");
    const json_t *opts = json_object_get(c, "options"), *fields = json_object_get(c, "fields");
    if (opts && !json_is_array(opts))
        return bad(d, path, "\"options\" must be an array");
    if (fields && !json_is_array(fields))
        return bad(d, path, "\"fields\" must be an array");
    size_t i;
    const json_t *o;
    bool seen[SK_MAX_OPTIONS] = {false};
    int named = 0;
    json_array_foreach(opts, i, o) {
        snprintf(p, sizeof p, "%s.options[%zu]", path, i);
        if (!json_is_object(o))
            return bad(d, p, "expected an object");
        const json_t *id = json_object_get(o, "id"), *checked = json_object_get(o, "checked");
        if (checked && !json_is_boolean(checked))
            return bad(d, p, "\"checked\" must be true or false");
        if (json_is_null(id) || !id)
            continue; /* a marker the template does not have */
        if (!json_is_string(id))
            return bad(d, p, "\"id\" must be a string");
        int k = sk_cell_option(def, json_string_value(id));
        if (k < 0)
            return bad(d, p, "unknown option \"%s\"", json_string_value(id));
        if (seen[k])
            return bad(d, p, "option \"%s\" listed twice", json_string_value(id));
        seen[k] = true;
        if (++named > def->n_options)
            return bad(d, p, "more options than the cell has (%d)", def->n_options);
        ca->r.state[k] = json_is_true(checked) ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    }
    json_array_foreach(fields, i, o) {
        snprintf(p, sizeof p, "%s.fields[%zu]", path, i);
        if (!json_is_object(o))
            return bad(d, p, "expected an object");
        const json_t *id = json_object_get(o, "id"), *value = json_object_get(o, "value");
        if (!json_is_string(id))
            return bad(d, p, "\"id\" must be a string");
        if (value && !json_is_string(value))
            return bad(d, p, "\"value\" must be a string");
        int k = sk_cell_slot(def, json_string_value(id));
        if (k < 0)
            return bad(d, p, "unknown field \"%s\"", json_string_value(id));
        const char *v = value ? json_string_value(value) : "";
        if (!sk_utf8_valid(v, strlen(v)) || strlen(v) > 32767 * 3)
            return bad(d, p, "\"value\" is too long");
        for (const char *q = v; *q;) {
            size_t pos = 0, len = strlen(q);
            int32_t cp = sk_utf8_next(q, len, &pos);
            if (cp > 0 && sk_mark_of((uint32_t)cp) != SK_MARK_NONE)
                return bad(d, p, "\"value\" must not contain a checkbox character");
            q += pos;
        }
        if (sk_answers_set_str(&ca->r.values[k], v))
            return SK_ERR_NOMEM;
    }
    return SK_OK;
}

/* Reads the "document" object (created, updated, service) into a. */
static sk_error read_document(const json_t *root, sk_answers *a, sk_diag *d)
{
    const json_t *doc = json_object_get(root, "document");
    if (doc && !json_is_object(doc))
        return bad(d, "document", "expected an object");
    static const char *const doc_keys[SK_DOC__COUNT] = {"created", "updated", "service"};
    for (int k = 0; k < SK_DOC__COUNT; k++) {
        const json_t *v = doc ? json_object_get(doc, doc_keys[k]) : NULL;
        char p[64];
        snprintf(p, sizeof p, "document.%s", doc_keys[k]);
        if (v && !json_is_string(v))
            return bad(d, p, "expected a string");
        if (v && sk_utf8_count(json_string_value(v), strlen(json_string_value(v))) > 32767)
            return bad(d, p, "longer than Excel's 32,767 characters per cell");
        sk_error e;
        if (v && (e = sk_answers_set_str(&a->doc[k], json_string_value(v))))
            return e;
    }
    return SK_OK;
}

/* Reads items[i] (it) into a; seen[no]: the item was listed already. */
static sk_error read_item(const json_t *it, size_t i, const sk_template *t, sk_answers *a, bool *seen, sk_diag *d)
{
    char p[128];
    snprintf(p, sizeof p, "items[%zu]", i);
    if (!json_is_object(it))
        return bad(d, p, "expected an object");
    const json_t *no = json_object_get(it, "no");
    if (!json_is_integer(no))
        return bad(d, p, "\"no\" must be an item number");
    json_int_t n = json_integer_value(no);
    const sk_item *item = n >= 1 && n <= SK_MAX_ITEMS ? sk_template_item(t, (int)n) : NULL;
    if (!item)
        return bad(d, p, "unknown item %lld", (long long)n);
    if (seen[n])
        return bad(d, p, "item %lld listed twice", (long long)n);
    seen[n] = true;
    sk_item_answers *ia = &a->items[item - t->items];
    const json_t *cells = json_object_get(it, "cells");
    if (!json_is_object(cells))
        return bad(d, p, "\"cells\" must be an object");
    for (int q = 0; q < SK_PARTY__COUNT; q++) {
        char cp[200];
        snprintf(cp, sizeof cp, "%s.cells.%s", p, sk_party_name((sk_party)q));
        sk_error e;
        if ((e = read_cell(json_object_get(cells, sk_party_name((sk_party)q)), &item->cells[q], &ia->cells[q], cp,
                           d)))
            return e;
    }
    return SK_OK;
}

sk_error sk_json_read_answers(const json_t *root, const sk_template *t, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    if (!json_is_object(root))
        return bad(d, "$", "expected an object");
    const json_t *fmt = json_object_get(root, "format");
    if (fmt && (!json_is_string(fmt) || strcmp(json_string_value(fmt), FORMAT_ID) != 0))
        return bad(d, "format", "expected \"%s\"", FORMAT_ID);
    const json_t *items = json_object_get(root, "items");
    if (!json_is_array(items))
        return bad(d, "items", "expected an array of items");
    sk_answers *a = sk_answers_new(t);
    if (!a)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_error e = read_document(root, a, d);
    bool seen[SK_MAX_ITEMS + 1] = {false};
    for (size_t i = 0; !e && i < json_array_size(items); i++)
        e = read_item(json_array_get(items, i), i, t, a, seen, d);
    if (e) {
        sk_answers_free(a);
        return e;
    }
    *out = a;
    return SK_OK;
}

/* True if the file starts like an .xlsx (zip) or an OLE/CFB workbook. */
static bool looks_like_workbook(const char *path)
{
    unsigned char m[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    return n == 4 && ((m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4) ||
                      (m[0] == 0xD0 && m[1] == 0xCF && m[2] == 0x11 && m[3] == 0xE0));
}

sk_error sk_json_load_answers(const char *path, const sk_template *t, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    json_error_t je;
    sk_diag_file(d, path);
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (looks_like_workbook(path))
            return sk_diag_set(d, SK_ERR_JSON,
                               "a workbook, not answers JSON: use sechk extract to read its answers");
        if (d)
            sk_diag_where(d, "line %d", je.line);
        return sk_diag_set(d, SK_ERR_JSON, "malformed JSON: %s", je.text);
    }
    const json_t *obj = root;
    if (json_is_array(root)) {
        size_t n = json_array_size(root);
        if (n != 1) {
            json_decref(root);
            return bad(d, "$",
                       "the array holds %zu answers objects; fill writes one workbook from one answers object", n);
        }
        obj = json_array_get(root, 0);
    }
    sk_error e = sk_json_read_answers(obj, t, out, d);
    json_decref(root);
    return e;
}
