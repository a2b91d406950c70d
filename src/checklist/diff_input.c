/* sechk — reading one side of a comparison: answers JSON or workbook. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sechk/book.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/json.h"
#include "sechk/sha256.h"
#include "sechk/validate.h"

void sk_diff_input_clear(sk_diff_input *in)
{
    if (!in)
        return;
    sk_answers_free(in->a);
    sk_replies_free(in->replies);
    free(in->template_id);
    free(in->template_version);
    memset(in, 0, sizeof *in);
}

/* True if the file's first non-blank byte opens a JSON object or array. */
static bool looks_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    int c;
    int n = 0;
    while ((c = fgetc(f)) != EOF && n++ < 4096) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF)
            continue;
        break;
    }
    fclose(f);
    return c == '{' || c == '[';
}

/* Reads an answers JSON file with its template's id and version. */
static sk_error load_json(const char *path, const sk_template *t, sk_diff_input *in, sk_diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return sk_diag_set(d, SK_ERR_IO, "cannot read the file");
    if (st.st_size > SK_DIFF_MAX_JSON_BYTES)
        return sk_diag_set(d, SK_ERR_LIMIT, "an answers JSON larger than 64 MiB");
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        sk_diag_where(d, "line %d", je.line);
        return sk_diag_set(d, SK_ERR_JSON, "malformed JSON: %s", je.text);
    }
    const json_t *obj = root;
    if (json_is_array(root)) {
        if (json_array_size(root) != 1) {
            size_t n = json_array_size(root);
            json_decref(root);
            return sk_diag_set(d, SK_ERR_JSON, "expected one answers object (the array holds %zu)", n);
        }
        obj = json_array_get(root, 0);
    }
    sk_error e = sk_json_read_answers(obj, t, &in->a, d);
    if (!e) {
        /* the items the JSON lists were found (the reader leaves rows at 0):
         * keep their rows and cell references, else the validator would
         * take every item for a deleted row */
        size_t i;
        const json_t *it;
        json_array_foreach(json_object_get(obj, "items"), i, it)
        {
            const sk_item *item = sk_template_item(t, (int)json_integer_value(json_object_get(it, "no")));
            if (!item)
                continue;
            sk_item_answers *ia = &in->a->items[item - t->items];
            const json_t *row = json_object_get(it, "row");
            json_int_t rv = json_is_integer(row) ? json_integer_value(row) : 0;
            ia->row = rv > 0 && rv <= SK_MAX_ROW ? (int)rv : 1;
            for (int p = 0; p < SK_PARTY__COUNT; p++) {
                const json_t *cell = json_object_get(json_object_get(it, "cells"), sk_party_name((sk_party)p));
                const json_t *ref = json_object_get(cell, "ref");
                if (json_is_string(ref) && strlen(json_string_value(ref)) < sizeof ia->cells[p].ref)
                    snprintf(ia->cells[p].ref, sizeof ia->cells[p].ref, "%s", json_string_value(ref));
            }
        }
        const json_t *tpl = json_object_get(obj, "template");
        const json_t *id = json_object_get(tpl, "id"), *ver = json_object_get(tpl, "version");
        if (json_is_string(id) && !(in->template_id = strdup(json_string_value(id))))
            e = SK_ERR_NOMEM;
        if (json_is_string(ver) && !(in->template_version = strdup(json_string_value(ver))))
            e = SK_ERR_NOMEM;
        /* the answers do not say where they came from: name the JSON file */
        uint8_t dg[SK_SHA256_LEN];
        char hex[SK_SHA256_HEX_LEN];
        FILE *f = e ? NULL : fopen(path, "rb");
        if (f) {
            sk_sha256_ctx c;
            sk_sha256_init(&c);
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                sk_sha256_update(&c, buf, n);
            fclose(f);
            sk_sha256_final(&c, dg);
            sk_sha256_hex(dg, hex);
            if (!e)
                e = sk_answers_set_str(&in->a->sha256, hex);
        }
        if (!e)
            e = sk_answers_set_str(&in->a->path, path);
        if (e)
            sk_diag_set(d, e, "out of memory");
    }
    json_decref(root);
    return e;
}

sk_error sk_diff_input_load(const char *path, const sk_template *t, const sk_limits *limits, int phase,
                            sk_diff_input *in, sk_diag *d)
{
    memset(in, 0, sizeof *in);
    sk_error e;
    if (looks_json(path)) {
        in->json = true;
        e = load_json(path, t, in, d);
        if (!e && !(in->replies = calloc(1, sizeof *in->replies)))
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    } else {
        sk_book *b = NULL;
        e = sk_book_open(path, limits, &b, d);
        if (!e)
            e = sk_extract_book(b, t, &in->a, d);
        if (!e)
            e = sk_replies_read(b, &in->replies, d);
        sk_book_close(b);
    }
    if (!e)
        e = sk_validate(in->a, phase, d);
    if (e) {
        sk_diag_file(d, path);
        sk_diff_input_clear(in);
    }
    return e;
}
