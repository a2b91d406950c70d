/* sechk — workbook.xml: the sheet list, the date system and the parts the
 * workbook relates to (shared strings, styles). */
#include "book_impl.h"

/* A <sheet> of workbook.xml before its relationship is resolved. */
typedef struct wb_sheet {
    char *name;
    char *rid;
    bool hidden;
} wb_sheet;

/* Reads the <sheets> list of workbook.xml into *out (count in *n). */
static sk_error read_sheet_list(sk_book *b, const char *part, wb_sheet **out, size_t *n,
                                sk_diag *d)
{
    sk_xml *x = NULL;
    sk_error err;
    wb_sheet *v = NULL;
    size_t cap = 0;
    bool root = true;
    *n = 0;
    if ((err = open_part(b, part, &x, d)) != SK_OK)
        return err;
    bool found;
    while ((err = sk_xml_next_start(x, &found, d)) == SK_OK && found) {
        if (root) {
            root = false;
            if (!sk_xml_is(x, "workbook")) {
                err = not_a_workbook(b, part, sk_xml_name(x), d);
                goto fail;
            }
            continue;
        }
        if (sk_xml_is(x, "workbookPr")) {
            const char *d1904 = sk_xml_attr(x, "date1904");
            b->date1904 = d1904 && (strcmp(d1904, "1") == 0 || strcmp(d1904, "true") == 0);
            continue;
        }
        if (!sk_xml_is(x, "sheet"))
            continue;
        if (*n >= b->lim.sheets) {
            err = sk_diag_set(d, SK_ERR_LIMIT,
                              "the workbook has more than %u sheets (limit --max-sheets)",
                              b->lim.sheets);
            goto fail;
        }
        const char *name = sk_xml_attr(x, "name");
        if (!name || !*name) {
            sk_diag_where(d, "%s", part);
            err = sk_diag_set(d, SK_ERR_XML, "a <sheet> without a name in the workbook");
            goto fail;
        }
        if (*n == cap) {
            wb_sheet *nv = grow_array(v, &cap, sizeof *nv, 8);
            if (!nv) {
                err = nomem(d);
                goto fail;
            }
            v = nv;
        }
        wb_sheet *s = &v[*n];
        memset(s, 0, sizeof *s);
        (*n)++;
        s->name = dup_str(name);
        const char *state = sk_xml_attr(x, "state");
        s->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
        const char *rid = sk_xml_attr(x, "id");
        s->rid = dup_str(rid ? rid : "");
        if (!s->name || !s->rid) {
            err = nomem(d);
            goto fail;
        }
    }
    if (err != SK_OK)
        goto fail;
    sk_xml_close(x);
    *out = v;
    return SK_OK;
fail:
    sk_xml_close(x);
    for (size_t i = 0; i < *n; i++) {
        free(v[i].name);
        free(v[i].rid);
    }
    free(v);
    *n = 0;
    return err;
}

/* Resolves a relationship of the workbook to a zip entry that must exist. */
static sk_error resolve_part(sk_book *b, const char *dir, const rel *r, const char *what,
                             char **part, size_t *entry, sk_diag *d)
{
    char q[QUOTE];
    sk_error err = resolve_target(dir, r->target, part);
    if (err == SK_ERR_NOMEM)
        return nomem(d);
    sk_zip_quote_name(r->target, q, sizeof q);
    if (err != SK_OK || r->external)
        return sk_diag_set(d, SK_ERR_FORMAT, "%s points outside the package (%s)", what, q);
    if (!sk_zip_find(b->zip, *part, entry)) {
        sk_zip_quote_name(*part, q, sizeof q);
        return sk_diag_set(d, SK_ERR_FORMAT,
                           "%s is part %s, which is missing from the zip (damaged workbook)", what,
                           q);
    }
    return SK_OK;
}

/* Reads workbook.xml and its relationships: the worksheets and the shared
 * strings part. */
sk_error read_workbook(sk_book *b, const char *part, sk_diag *d)
{
    wb_sheet *list = NULL;
    size_t n = 0;
    rels r = {0};
    char *dir = NULL;
    char what[QUOTE + 32];
    sk_error err = read_sheet_list(b, part, &list, &n, d);
    if (err != SK_OK)
        return err;
    if ((err = read_rels(b, part, &r, d)) != SK_OK)
        goto fail;
    dir = part_dir(part);
    b->sheets = calloc(n ? n : 1, sizeof *b->sheets);
    if (!dir || !b->sheets) {
        err = nomem(d);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        char q[QUOTE];
        sk_zip_quote_name(list[i].name, q, sizeof q);
        const rel *e = rels_find_id(&r, list[i].rid);
        if (!e) {
            err = sk_diag_set(d, SK_ERR_FORMAT,
                              "sheet \"%s\" refers to relationship \"%.40s\", which the workbook "
                              "does not define (damaged workbook)",
                              q, list[i].rid);
            goto fail;
        }
        if (!ends_with(e->type, "/worksheet"))
            continue; /* chartsheets, dialog and macro sheets hold no cells */
        book_sheet *s = &b->sheets[b->n_sheets];
        snprintf(what, sizeof what, "sheet \"%s\"", q);
        if ((err = resolve_part(b, dir, e, what, &s->part, &s->entry, d)) != SK_OK) {
            free(s->part);
            s->part = NULL;
            goto fail;
        }
        s->name = list[i].name;
        list[i].name = NULL;
        s->hidden = list[i].hidden;
        b->n_sheets++;
    }
    const rel *e = rels_find_type(&r, "/sharedStrings");
    if (e) {
        if ((err = resolve_part(b, dir, e, "the shared strings", &b->strings_part,
                                &b->strings_entry, d)) != SK_OK)
            goto fail;
        b->has_strings = true;
    }
    /* styles.xml is needed only to show dates: a styles part that is missing
     * or points outside the package just means no date formats */
    e = rels_find_type(&r, "/styles");
    if (e && !e->external && resolve_target(dir, e->target, &b->styles_part) == SK_OK &&
        sk_zip_find(b->zip, b->styles_part, &b->styles_entry))
        b->has_styles = true;
fail:
    for (size_t i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].rid);
    }
    free(list);
    free(dir);
    rels_free(&r);
    return err;
}

/* Number of worksheets. */
size_t sk_book_sheet_count(const sk_book *b)
{
    return b->n_sheets;
}

/* Name of worksheet i, or NULL past the end. */
const char *sk_book_sheet_name(const sk_book *b, size_t i)
{
    return i < b->n_sheets ? b->sheets[i].name : NULL;
}

/* True if worksheet i is hidden or very hidden. */
bool sk_book_sheet_hidden(const sk_book *b, size_t i)
{
    return i < b->n_sheets && b->sheets[i].hidden;
}
