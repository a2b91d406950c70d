/* sechk — package parts and relationships (.rels), and the parts related to
 * a sheet (book_parts.h). */
#include "book_impl.h"
#include "book_parts.h"

/* Frees the relationships. */
void rels_free(rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].type);
        free(r->v[i].target);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* The folder of a part ("xl/workbook.xml" -> "xl"), a new string. */
char *part_dir(const char *part)
{
    const char *slash = strrchr(part, '/');
    return sk_strndup(part, slash ? (size_t)(slash - part) : 0);
}

/* The .rels part that describes part ("xl/workbook.xml" ->
 * "xl/_rels/workbook.xml.rels"; "" -> "_rels/.rels"), a new string. */
static char *rels_part_for(const char *part)
{
    const char *slash = strrchr(part, '/');
    sk_buf b = SK_BUF_INIT;
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    if (sk_buf_append_len(&b, part, dir) != SK_OK || sk_buf_append(&b, "_rels/") != SK_OK ||
        sk_buf_append(&b, part + dir) != SK_OK || sk_buf_append(&b, ".rels") != SK_OK) {
        sk_buf_free(&b);
        return NULL;
    }
    return sk_buf_take(&b);
}

/* Resolves a relationship target against the folder of its source part:
 * percent escapes decoded, "/x" from the package root, "." and ".."
 * folded.  SK_ERR_FORMAT if it climbs above the root or holds a NUL. */
sk_error resolve_target(const char *dir, const char *target, char **out)
{
    sk_buf raw = SK_BUF_INIT, path = SK_BUF_INIT;
    sk_error err = SK_ERR_NOMEM;
    *out = NULL;
    if (target[0] != '/' && dir[0] &&
        (sk_buf_append(&raw, dir) != SK_OK || sk_buf_putc(&raw, '/') != SK_OK))
        goto fail;
    for (const char *p = target; *p; p++) {
        char c = *p;
        int h1, h2;
        if (c == '%' && (h1 = hex_digit((unsigned char)p[1])) >= 0 &&
            (h2 = hex_digit((unsigned char)p[2])) >= 0) {
            c = (char)(h1 << 4 | h2);
            p += 2;
            if (c == '\0') {
                err = SK_ERR_FORMAT;
                goto fail;
            }
        }
        if (c == '\\')
            c = '/';
        if (sk_buf_putc(&raw, c) != SK_OK)
            goto fail;
    }
    if (sk_buf_reserve(&path, raw.len) != SK_OK)
        goto fail;
    const char *s = raw.data;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (path.len == 0) {
                err = SK_ERR_FORMAT;
                goto fail;
            }
            char *last = strrchr(path.data, '/');
            path.len = last ? (size_t)(last - path.data) : 0;
            path.data[path.len] = '\0';
        } else if (n > 0 && !(n == 1 && s[0] == '.')) {
            if ((path.len && sk_buf_putc(&path, '/') != SK_OK) ||
                sk_buf_append_len(&path, s, n) != SK_OK)
                goto fail;
        }
        s += n + (e ? 1 : 0);
    }
    sk_buf_free(&raw);
    *out = sk_buf_take(&path);
    return *out ? SK_OK : SK_ERR_NOMEM;
fail:
    sk_buf_free(&raw);
    sk_buf_free(&path);
    return err;
}

/* Opens a part that must be in the zip. */
sk_error open_part(sk_book *b, const char *part, sk_xml **x, sk_diag *d)
{
    size_t i;
    if (!sk_zip_find(b->zip, part, &i)) {
        char q[QUOTE];
        sk_zip_quote_name(part, q, sizeof q);
        sk_diag_where(d, "%s", q);
        return sk_diag_set(d, SK_ERR_FORMAT, "part %s is missing from the zip (damaged workbook)",
                           q);
    }
    return sk_xml_open(b->zip, i, part, x, d);
}

/* Adds one relationship, taking ownership of the strings (freed on failure). */
static sk_error rels_add(rels *r, char *id, char *type, char *target, bool external)
{
    if (!id || !type || !target)
        goto fail;
    if (r->n == r->cap) {
        rel *v = grow_array(r->v, &r->cap, sizeof *v, 8);
        if (!v)
            goto fail;
        r->v = v;
    }
    r->v[r->n++] = (rel){id, type, target, external};
    return SK_OK;
fail:
    free(id);
    free(type);
    free(target);
    return SK_ERR_NOMEM;
}

/* Copies the attribute local of the current element ("" if absent). */
static char *attr_dup(sk_xml *x, const char *local)
{
    const char *v = sk_xml_attr(x, local);
    return dup_str(v ? v : "");
}

/* Reads the relationships of part; a missing .rels part means none. */
sk_error read_rels(sk_book *b, const char *part, rels *out, sk_diag *d)
{
    sk_xml *x = NULL;
    sk_error err;
    size_t i;
    char *rp = rels_part_for(part);
    if (!rp)
        return nomem(d);
    if (!sk_zip_find(b->zip, rp, &i)) {
        free(rp);
        return SK_OK;
    }
    if ((err = sk_xml_open(b->zip, i, rp, &x, d)) != SK_OK)
        goto fail;
    bool found;
    while ((err = sk_xml_next_start(x, &found, d)) == SK_OK && found) {
        if (!sk_xml_is(x, "Relationship"))
            continue;
        if (out->n >= (uint64_t)b->lim.sheets + b->lim.entries + 64) {
            err = sk_diag_set(d, SK_ERR_LIMIT,
                              "%s has more relationships than the zip can have parts "
                              "(limit --max-entries)",
                              rp);
            goto fail;
        }
        const char *mode = sk_xml_attr(x, "TargetMode");
        bool external = mode && strcmp(mode, "External") == 0;
        char *id = attr_dup(x, "Id"), *type = attr_dup(x, "Type");
        if (rels_add(out, id, type, attr_dup(x, "Target"), external) != SK_OK) {
            err = nomem(d);
            goto fail;
        }
    }
    if (err != SK_OK)
        goto fail;
    sk_xml_close(x);
    free(rp);
    return SK_OK;
fail:
    sk_xml_close(x);
    free(rp);
    return err;
}

/* The relationship with the given id, or NULL. */
const rel *rels_find_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    return NULL;
}

/* The first relationship whose type ends with suffix, or NULL. */
const rel *rels_find_type(const rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].external && ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

/* ---- parts related to a sheet (book_parts.h) ----------------------------- */

sk_error sk_book_part_parts(sk_book *b, const char *part, const char *type_suffix, sk_book_part **out, size_t *n,
                            sk_diag *d)
{
    rels r = {0};
    char *dir = NULL;
    sk_book_part *v = NULL;
    size_t cnt = 0;
    *out = NULL;
    *n = 0;
    sk_error err = read_rels(b, part, &r, d);
    if (err == SK_OK && !(dir = part_dir(part)))
        err = nomem(d);
    if (err == SK_OK && r.n && !(v = calloc(r.n, sizeof *v)))
        err = nomem(d);
    for (size_t i = 0; err == SK_OK && i < r.n; i++) {
        char *name = NULL;
        size_t entry;
        if (r.v[i].external || !ends_with(r.v[i].type, type_suffix))
            continue;
        sk_error re = resolve_target(dir, r.v[i].target, &name);
        if (re == SK_ERR_NOMEM) {
            err = nomem(d);
        } else if (re == SK_OK && sk_zip_find(b->zip, name, &entry)) {
            v[cnt] = (sk_book_part){name, dup_str(r.v[i].id), entry};
            name = NULL;
            if (!v[cnt++].rid)
                err = nomem(d);
        }
        free(name);
    }
    free(dir);
    rels_free(&r);
    if (err) {
        sk_book_parts_free(v, cnt);
        return err;
    }
    *out = v;
    *n = cnt;
    return SK_OK;
}

sk_error sk_book_sheet_parts(sk_book *b, size_t i, const char *type_suffix, sk_book_part **out, size_t *n,
                             sk_diag *d)
{
    return sk_book_part_parts(b, b->sheets[i].part, type_suffix, out, n, d);
}

void sk_book_parts_free(sk_book_part *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].name);
        free(p[i].rid);
    }
    free(p);
}
