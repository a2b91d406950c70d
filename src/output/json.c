/* sechk — JSON answers (sechk/answers-v1): writing and reading. */
#include "sechk/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/text.h"

#define FORMAT_ID "sechk/answers-v1"

/* Adds a new reference to obj under key; false on failure. */
static bool set(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

/* A JSON string, or null for NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* One answer cell as JSON, or null for a "―" cell. */
static json_t *cell_json(const sk_cell_def *def, const sk_cell_answers *ca, bool found)
{
    if (def->absent)
        return json_null();
    json_t *c = json_object(), *opts = json_array(), *fields = json_array();
    if (!c || !opts || !fields)
        goto fail;
    if (!set(c, "ref", found ? json_string(ca->ref) : json_null()) ||
        !set(c, "altered", json_boolean(found && (ca->r.altered || ca->r.approximate))))
        goto fail;
    /* options in marker order; a marker the template lacks has id null */
    for (int m = 0; found && m < ca->r.n_markers; m++) {
        const sk_marker *mk = &ca->r.markers[m];
        json_t *o = json_object();
        if (!o || json_array_append_new(opts, o) != 0)
            goto fail;
        const sk_option *opt = mk->option >= 0 ? &def->options[mk->option] : NULL;
        if (!set(o, "id", opt ? json_string(opt->id) : json_null()) ||
            !set(o, "label", json_string(opt ? opt->label : "")) || !set(o, "checked", json_boolean(mk->checked)))
            goto fail;
    }
    for (int s = 0; s < def->n_slots; s++) {
        json_t *f = json_object();
        if (!f || json_array_append_new(fields, f) != 0)
            goto fail;
        const char *v = found && ca->r.values && ca->r.values[s] ? ca->r.values[s] : "";
        if (!set(f, "id", json_string(def->slots[s].id)) || !set(f, "label", json_string(def->slots[s].label)) ||
            !set(f, "value", json_string(v)))
            goto fail;
    }
    if (!set(c, "options", opts) || !set(c, "fields", fields))
        goto fail_c;
    if (found) {
        json_t *missing = json_array();
        for (int i = 0; missing && i < def->n_options; i++)
            if (ca->r.state && ca->r.state[i] == SK_BOX_MISSING)
                json_array_append_new(missing, json_string(def->options[i].id));
        if (!missing)
            goto fail_c;
        if (json_array_size(missing) == 0)
            json_decref(missing);
        else if (!set(c, "missing_options", missing))
            goto fail_c;
    }
    return c;
fail:
    json_decref(opts);
    json_decref(fields);
fail_c:
    json_decref(c);
    return NULL;
}

json_t *sk_json_answers(const sk_answers *a, sk_lang lang)
{
    const sk_template *t = a->tpl;
    json_t *root = json_object(), *src = json_object(), *tpl = json_object(), *doc = json_object(),
           *items = json_array(), *sum = json_object();
    if (!root || !src || !tpl || !doc || !items || !sum)
        goto fail;
    int counts[SK_STATUS__COUNT] = {0}, errors = 0, warnings = 0;
    set(root, "format", json_string(FORMAT_ID));
    if (!set(src, "path", str_or_null(a->path)) || !set(src, "sha256", str_or_null(a->sha256)) ||
        !set(src, "sheet", str_or_null(a->sheet)) || !set(root, "source", src))
        goto fail_src;
    src = NULL;
    if (!set(tpl, "id", json_string(t->id)) || !set(tpl, "version", json_string(t->version)) ||
        !set(root, "template", tpl))
        goto fail_tpl;
    tpl = NULL;
    static const char *const doc_keys[SK_DOC__COUNT] = {"created", "updated", "service"};
    for (int k = 0; k < SK_DOC__COUNT; k++)
        if (!set(doc, doc_keys[k], json_string(a->doc[k] ? a->doc[k] : "")))
            goto fail_doc;
    if (!set(root, "document", doc))
        goto fail_doc;
    doc = NULL;
    if (!set(root, "phase", a->phase >= 0 ? json_string(t->phases[a->phase].id) : json_null()))
        goto fail_items;
    for (int i = 0; i < a->n_items; i++) {
        const sk_item_answers *ia = &a->items[i];
        const sk_item *it = ia->item;
        json_t *o = json_object(), *cells = json_object(), *fs = json_array();
        if (!o || json_array_append_new(items, o) != 0 || !cells || !fs) {
            json_decref(cells);
            json_decref(fs);
            goto fail_items;
        }
        bool found = ia->row > 0;
        set(o, "no", json_integer(it->no));
        set(o, "lifecycle", json_string(it->lifecycle == SK_LIFECYCLE_ALL ? "all" : t->phases[it->lifecycle].id));
        set(o, "level", json_string(sk_level_name(it->level)));
        set(o, "row", found ? json_integer(ia->row) : json_null());
        set(o, "status", json_string(sk_status_name(ia->status)));
        counts[ia->status]++;
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            if (!set(cells, sk_party_name((sk_party)p), cell_json(&it->cells[p], &ia->cells[p], found))) {
                json_decref(cells);
                json_decref(fs);
                goto fail_items;
            }
        set(o, "cells", cells);
        for (int f = 0; f < ia->n_findings; f++) {
            const sk_finding *fd = &ia->findings[f];
            json_t *fo = json_object();
            if (!fo || json_array_append_new(fs, fo) != 0)
                break;
            set(fo, "severity", json_string(sk_severity_name(fd->severity)));
            set(fo, "code", json_string(fd->code));
            set(fo, "column", fd->party >= 0 ? json_string(sk_party_name((sk_party)fd->party)) : json_null());
            set(fo, "cell", fd->party >= 0 && found ? json_string(ia->cells[fd->party].ref) : json_null());
            set(fo, "message", json_string(lang == SK_LANG_EN ? fd->message_en : fd->message_ja));
            if (fd->severity == SK_SEV_ERROR)
                errors++;
            else if (fd->severity == SK_SEV_WARNING)
                warnings++;
        }
        set(o, "findings", fs);
    }
    if (!set(root, "items", items))
        goto fail_items;
    items = NULL;
    for (int s = 0; s < SK_STATUS__COUNT; s++)
        set(sum, sk_status_name((sk_status)s), json_integer(counts[s]));
    set(sum, "errors", json_integer(errors));
    set(sum, "warnings", json_integer(warnings));
    if (!set(root, "summary", sum))
        goto fail_sum;
    return root;
fail:
    json_decref(src);
fail_src:
    json_decref(tpl);
fail_tpl:
    json_decref(doc);
fail_doc:
fail_items:
    json_decref(items);
fail_sum:
    json_decref(sum);
    json_decref(root);
    return NULL;
}

char *sk_json_dump(const json_t *value)
{
    char *s = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    free(s);
    return out;
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
    sk_error e = SK_OK;
    const json_t *doc = json_object_get(root, "document");
    if (doc && !json_is_object(doc)) {
        e = bad(d, "document", "expected an object");
        goto fail;
    }
    static const char *const doc_keys[SK_DOC__COUNT] = {"created", "updated", "service"};
    for (int k = 0; k < SK_DOC__COUNT; k++) {
        const json_t *v = doc ? json_object_get(doc, doc_keys[k]) : NULL;
        if (v && !json_is_string(v)) {
            char p[64];
            snprintf(p, sizeof p, "document.%s", doc_keys[k]);
            e = bad(d, p, "expected a string");
            goto fail;
        }
        if (v && sk_utf8_count(json_string_value(v), strlen(json_string_value(v))) > 32767) {
            char p[64];
            snprintf(p, sizeof p, "document.%s", doc_keys[k]);
            e = bad(d, p, "longer than Excel's 32,767 characters per cell");
            goto fail;
        }
        if (v && (e = sk_answers_set_str(&a->doc[k], json_string_value(v))))
            goto fail;
    }
    size_t i;
    const json_t *it;
    bool seen[SK_MAX_ITEMS + 1] = {false};
    json_array_foreach(items, i, it) {
        char p[128];
        snprintf(p, sizeof p, "items[%zu]", i);
        if (!json_is_object(it)) {
            e = bad(d, p, "expected an object");
            goto fail;
        }
        const json_t *no = json_object_get(it, "no");
        if (!json_is_integer(no)) {
            e = bad(d, p, "\"no\" must be an item number");
            goto fail;
        }
        json_int_t n = json_integer_value(no);
        const sk_item *item = n >= 1 && n <= SK_MAX_ITEMS ? sk_template_item(t, (int)n) : NULL;
        if (!item) {
            e = bad(d, p, "unknown item %lld", (long long)n);
            goto fail;
        }
        if (seen[n]) {
            e = bad(d, p, "item %lld listed twice", (long long)n);
            goto fail;
        }
        seen[n] = true;
        sk_item_answers *ia = &a->items[item - t->items];
        const json_t *cells = json_object_get(it, "cells");
        if (!json_is_object(cells)) {
            e = bad(d, p, "\"cells\" must be an object");
            goto fail;
        }
        for (int q = 0; q < SK_PARTY__COUNT; q++) {
            char cp[200];
            snprintf(cp, sizeof cp, "%s.cells.%s", p, sk_party_name((sk_party)q));
            if ((e = read_cell(json_object_get(cells, sk_party_name((sk_party)q)), &item->cells[q], &ia->cells[q],
                               cp, d)))
                goto fail;
        }
    }
    *out = a;
    return SK_OK;
fail:
    sk_answers_free(a);
    return e;
}

sk_error sk_json_load_answers(const char *path, const sk_template *t, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    json_error_t je;
    sk_diag_file(d, path);
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (d)
            sk_diag_where(d, "line %d", je.line);
        return sk_diag_set(d, SK_ERR_JSON, "malformed JSON: %s", je.text);
    }
    const json_t *obj = root;
    if (json_is_array(root)) {
        if (json_array_size(root) != 1) {
            json_decref(root);
            return bad(d, "$", "expected one answers object (the array holds %zu)", json_array_size(root));
        }
        obj = json_array_get(root, 0);
    }
    sk_error e = sk_json_read_answers(obj, t, out, d);
    json_decref(root);
    return e;
}
