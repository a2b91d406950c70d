/* sechk — reading one side of a comparison: answers JSON or workbook. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sechk/book.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/answers_json.h"
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
    free(in->project);
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
                uint32_t rr, rc;
                if (json_is_string(ref) &&
                    sk_ref_parse(json_string_value(ref), strlen(json_string_value(ref)), &rr, &rc) == SK_OK)
                    sk_ref_format(rr, rc, ia->cells[p].ref);
            }
        }
        const json_t *tpl = json_object_get(obj, "template");
        const json_t *id = json_object_get(tpl, "id"), *ver = json_object_get(tpl, "version");
        if (json_is_string(id) && !(in->template_id = strdup(json_string_value(id))))
            e = SK_ERR_NOMEM;
        if (json_is_string(ver) && !(in->template_version = strdup(json_string_value(ver))))
            e = SK_ERR_NOMEM;
        const json_t *proj = json_object_get(json_object_get(obj, "document"), "project");
        if (!(in->project = strdup(json_is_string(proj) ? json_string_value(proj) : "")))
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

/* Header cells looked at for the project name, at most. */
enum { MAX_HEAD_CELLS = 4096 };

typedef struct head_strings {
    uint32_t *v;
    size_t n;
} head_strings;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool keep_head(uint32_t index, const char *text, size_t len, void *ctx)
{
    (void)text;
    (void)len;
    const head_strings *h = ctx;
    return bsearch(&index, h->v, h->n, sizeof *h->v, cmp_u32) != NULL;
}

/* Skips a label's separator (：, :, white space) at the start of s. */
static const char *after_sep(const char *s, size_t *len)
{
    for (;;) {
        s = sk_text_trim(s, len);
        if (*len >= 3 && memcmp(s, "：", 3) == 0) {
            s += 3;
            *len -= 3;
        } else if (*len >= 1 && *s == ':') {
            s++;
            (*len)--;
        } else
            return s;
    }
}

/* Reads 事業名 from the rows above the first item of the checklist sheet:
 * the text after the label in its cell, else the next non-empty cell to
 * its right.  *out receives a new string ("" when there is none). */
/* True if text t (len bytes) starts with the label of a dated field of the
 * header block (作成日, 更新日). */
static bool starts_with_field(const sk_template *tpl, const char *t, size_t len)
{
    static const sk_doc_field dated[] = {SK_DOC_CREATED, SK_DOC_UPDATED};
    for (size_t k = 0; k < sizeof dated / sizeof *dated; k++) {
        const char *l = tpl->fields[dated[k]].label;
        if (l && *l && len >= strlen(l) && memcmp(t, l, strlen(l)) == 0)
            return true;
    }
    return false;
}

static sk_error read_project(sk_book *b, const sk_answers *a, char **out, sk_diag *d)
{
    const char *label = a->tpl->project_label.ja; /* as extract.c recognises it */
    size_t label_len = strlen(label);
    *out = NULL;
    uint32_t first = 0;
    for (int i = 0; i < a->n_items; i++)
        if (a->items[i].row > 0 && (first == 0 || (uint32_t)a->items[i].row < first))
            first = (uint32_t)a->items[i].row;
    size_t si = SIZE_MAX;
    for (size_t i = 0; a->sheet && i < sk_book_sheet_count(b); i++)
        if (strcmp(sk_book_sheet_name(b, i), a->sheet) == 0)
            si = i;
    sk_error e = SK_OK;
    sk_sheet *s = NULL;
    head_strings h = {NULL, 0};
    sk_buf v = {0};
    if (si != SIZE_MAX && first > 1 && !(e = sk_book_read_sheet(b, si, &s, d))) {
        size_t n = 0;
        while (n < s->n_cells && n < MAX_HEAD_CELLS && s->cells[n].row < first)
            n++;
        if (n && !(h.v = malloc(n * sizeof *h.v)))
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !e && i < n; i++)
            if (s->cells[i].type == SK_CELL_SHARED)
                h.v[h.n++] = s->cells[i].v;
        if (!e && h.n) {
            qsort(h.v, h.n, sizeof *h.v, cmp_u32);
            e = sk_book_read_strings(b, keep_head, &h, d);
        }
        for (size_t i = 0; !e && i < n && !v.len; i++) {
            size_t len = 0;
            const char *t = sk_cell_text(b, s, &s->cells[i], &len);
            if (!t)
                continue;
            t = sk_text_trim(t, &len);
            if (len < label_len || memcmp(t, label, label_len) != 0)
                continue;
            size_t rl = len - label_len;
            const char *rest = after_sep(t + label_len, &rl);
            if (rl) {
                e = sk_buf_append_len(&v, rest, rl);
                break;
            }
            for (size_t j = i + 1; j < n && s->cells[j].row == s->cells[i].row; j++) {
                size_t vl = 0;
                const char *vt = sk_cell_text(b, s, &s->cells[j], &vl);
                if (!vt)
                    continue;
                vt = sk_text_trim(vt, &vl);
                if (!vl)
                    continue;
                /* the next label (作成日：…) is no value */
                if (!starts_with_field(a->tpl, vt, vl))
                    e = sk_buf_append_len(&v, vt, vl);
                break;
            }
            break;
        }
    }
    free(h.v);
    sk_sheet_free(s);
    if (!e && !(*out = v.len ? sk_buf_take(&v) : strdup("")))
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_buf_free(&v);
    return e;
}

sk_error sk_diff_input_load(const char *path, const sk_template *t, const sk_limits *limits,
                            const sk_extract_opts *xo, int phase, sk_diff_input *in, sk_diag *d)
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
        e = sk_book_open_opts(path, limits, xo ? xo->open : NULL, &b, d);
        if (!e)
            e = sk_extract_book_opts(b, t, xo, &in->a, d);
        if (!e && sk_book_converted_by(b))
            e = sk_answers_set_str(&in->a->converted_by, sk_book_converted_by(b));
        if (!e)
            e = sk_replies_read(b, &in->replies, d);
        if (!e)
            e = read_project(b, in->a, &in->project, d);
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

sk_error sk_project_read_book(sk_book *b, const sk_answers *a, char **out, sk_diag *d)
{
    return read_project(b, a, out, d);
}
