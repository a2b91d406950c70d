/* sechk — JSON answers (sechk/answers-v1) read back into answers. */
#include "sechk/answers_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/validate.h"

#define FORMAT_ID "sechk/answers-v1"

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
