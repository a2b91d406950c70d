/* sechk — reading .xlsx workbooks: relationships, workbook, sheets, shared strings. */
#include "sechk/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/numfmt.h"
#include "sechk/symfont.h"
#include "sechk/text.h"
#include "xml.h"
#include "book_parts.h"
#include "zip.h"

/* Storage for kept shared strings: blocks that never move, so that the
 * pointers handed out stay valid while later calls add strings. */
enum { STR_BLOCK = 64 * 1024, QUOTE = 200 };

typedef struct str_block {
    struct str_block *next;
    size_t used;
    size_t cap;
    char data[];
} str_block;

typedef struct kept_string {
    uint32_t index;
    uint32_t len;
    const char *text;
    bool rich; /* made of rich-text runs (each may name its own font) */
} kept_string;

/* A custom number format of styles.xml. */
typedef struct num_fmt {
    uint32_t id;
    char *code;
} num_fmt;

/* Fixed bounds on styles.xml (Excel itself allows 64,000 cell formats and
 * about 250 custom number formats; a format code is at most 255 characters). */
enum { MAX_XF = 65536, MAX_NUM_FMTS = 4096, MAX_FMT_CODE = 1024, MAX_FONTS = 65536 };

typedef struct book_sheet {
    char *name;
    char *part;
    size_t entry;
    bool hidden;
} book_sheet;

struct sk_book {
    char *path;
    sk_limits lim;
    sk_zip *zip;
    book_sheet *sheets;
    size_t n_sheets;
    bool has_strings;
    size_t strings_entry;
    char *strings_part;
    uint32_t n_strings;
    kept_string *kept; /* sorted by index */
    size_t n_kept;
    str_block *blocks;
    char *workbook_part; /* the main part, "xl/workbook.xml" */
    bool date1904;      /* <workbookPr date1904="1"/> */
    bool has_styles;
    size_t styles_entry;
    char *styles_part;
    bool styles_read;   /* read on first use (only date cells need it) */
    uint32_t *xf_fmt;   /* numFmtId of each cellXfs <xf> */
    uint32_t *xf_font;  /* fontId of each cellXfs <xf> */
    size_t n_xf;
    uint8_t *font_sym;  /* sk_symfont of each <fonts> <font> */
    size_t n_fonts;
    num_fmt *fmts;      /* the custom formats of <numFmts> */
    size_t n_fmts;
};

/* One <Relationship> of a .rels part. */
typedef struct rel {
    char *id;
    char *type;
    char *target;
    bool external;
} rel;

typedef struct rels {
    rel *v;
    size_t n;
    size_t cap;
} rels;

/* ---- small helpers ---------------------------------------------------- */

/* True if s ends with suffix. */
static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Duplicates a NUL-terminated string (NULL stays NULL). */
static char *dup_str(const char *s)
{
    return s ? sk_strndup(s, strlen(s)) : NULL;
}

/* Sets d to out of memory. */
static sk_error nomem(sk_diag *d)
{
    return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
}

/* Value of a hex digit, or -1. */
static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses a decimal number of at most max; false for anything else. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* Trims ASCII white space in place around s[0..*len). */
static const char *trim_ascii(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    *len = n;
    return s;
}

/* Reads "_xHHHH_" at s[i..len) into *cp. */
static bool xescape_at(const char *s, size_t len, size_t i, uint32_t *cp)
{
    if (len - i < 7 || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
        return false;
    uint32_t v = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hex_digit((unsigned char)s[i + k]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    *cp = v;
    return true;
}

/* Appends s[0..len) to out, decoding Excel's _xHHHH_ escapes (ST_Xstring).
 * "_x005F_" is an escaped '_', so "_x005F_x000D_" is the literal text
 * "_x000D_".  A surrogate pair is two escapes; a lone surrogate or U+0000
 * is left as written. */
static sk_error xstring_decode(const char *s, size_t len, sk_buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *u = memchr(s + i, '_', len - i);
        size_t run = u ? (size_t)(u - (s + i)) : len - i;
        if (run && sk_buf_append_len(out, s + i, run) != SK_OK)
            return SK_ERR_NOMEM;
        i += run;
        if (i >= len)
            break;
        uint32_t cp, lo;
        size_t used = 0;
        if (xescape_at(s, len, i, &cp)) {
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (xescape_at(s, len, i + 7, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    used = 14;
                }
            } else if (cp != 0 && !(cp >= 0xDC00 && cp <= 0xDFFF)) {
                used = 7;
            }
        }
        if (used) {
            if (sk_buf_put_cp(out, cp) != SK_OK)
                return SK_ERR_NOMEM;
            i += used;
        } else {
            if (sk_buf_putc(out, '_') != SK_OK)
                return SK_ERR_NOMEM;
            i++;
        }
    }
    return sk_buf_reserve(out, 0);
}

/* The raw text of one ST_Xstring can be at most 7 times its decoded form
 * ("_x000D_" decodes to one byte); beyond that the limit is surely hit. */
static bool raw_too_long(size_t raw, uint64_t limit)
{
    return limit < (UINT64_MAX - 7) / 7 && raw > limit * 7 + 7;
}

/* Grows an array of *cap elements to twice as many (first_cap at first)
 * and returns the new storage; on failure (no memory, or a size that would
 * overflow) returns NULL and leaves arr and *cap as they were, so that the
 * caller never writes p = realloc(p, n). */
static void *grow_array(void *arr, size_t *cap, size_t elem, size_t first_cap)
{
    size_t n = *cap ? *cap : first_cap;
    if (*cap && n > SIZE_MAX / 2 / elem)
        return NULL;
    if (*cap)
        n *= 2;
    void *p = realloc(arr, n * elem);
    if (p)
        *cap = n;
    return p;
}

/* ---- package parts and relationships ---------------------------------- */

/* Frees the relationships. */
static void rels_free(rels *r)
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
static char *part_dir(const char *part)
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
static sk_error resolve_target(const char *dir, const char *target, char **out)
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
static sk_error open_part(sk_book *b, const char *part, sk_xml **x, sk_diag *d)
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
static sk_error read_rels(sk_book *b, const char *part, rels *out, sk_diag *d)
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
    for (;;) {
        sk_xml_event ev;
        if ((err = sk_xml_next(x, &ev, d)) != SK_OK)
            goto fail;
        if (ev == SK_XML_EOF)
            break;
        if (ev != SK_XML_START || !sk_xml_is(x, "Relationship"))
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
    sk_xml_close(x);
    free(rp);
    return SK_OK;
fail:
    sk_xml_close(x);
    free(rp);
    return err;
}

/* The relationship with the given id, or NULL. */
static const rel *rels_find_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    return NULL;
}

/* The first relationship whose type ends with suffix, or NULL. */
static const rel *rels_find_type(const rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].external && ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

/* Says what the file is when it has no workbook part; root names the main
 * part's root element when there is one that is not a workbook. */
static sk_error not_a_workbook(sk_book *b, const char *part, const char *root, sk_diag *d)
{
    size_t i;
    char q[QUOTE];
    if (sk_zip_find(b->zip, "word/document.xml", &i))
        return sk_diag_set(d, SK_ERR_FORMAT, "a Word document (.docx), not an .xlsx workbook");
    if (sk_zip_find(b->zip, "ppt/presentation.xml", &i))
        return sk_diag_set(d, SK_ERR_FORMAT,
                           "a PowerPoint presentation (.pptx), not an .xlsx workbook");
    if (ends_with(part, ".bin") || sk_zip_find(b->zip, "xl/workbook.bin", &i))
        return sk_diag_set(d, SK_ERR_FORMAT,
                           "a binary Excel workbook (.xlsb); save it as .xlsx");
    sk_zip_quote_name(part, q, sizeof q);
    if (root)
        return sk_diag_set(d, SK_ERR_FORMAT,
                           "the main part %s is a <%.40s> document, not a workbook", q, root);
    return sk_diag_set(d, SK_ERR_FORMAT,
                       "no workbook part (%s) in the zip: not an .xlsx workbook", q);
}

/* Finds the workbook part from _rels/.rels (xl/workbook.xml without it). */
static sk_error find_main_part(sk_book *b, char **out, sk_diag *d)
{
    rels r = {0};
    sk_error err = read_rels(b, "", &r, d);
    *out = NULL;
    if (err != SK_OK) {
        rels_free(&r);
        return err;
    }
    const rel *e = rels_find_type(&r, "/officeDocument");
    if (e) {
        err = resolve_target("", e->target, out);
        if (err == SK_ERR_FORMAT)
            sk_diag_set(d, err, "the officeDocument relationship's target is outside the package");
        else if (err != SK_OK)
            nomem(d);
    } else {
        *out = dup_str("xl/workbook.xml");
        err = *out ? SK_OK : nomem(d);
    }
    rels_free(&r);
    return err;
}

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
    for (;;) {
        sk_xml_event ev;
        if ((err = sk_xml_next(x, &ev, d)) != SK_OK)
            goto fail;
        if (ev == SK_XML_EOF)
            break;
        if (ev != SK_XML_START)
            continue;
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
static sk_error read_workbook(sk_book *b, const char *part, sk_diag *d)
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

/* ---- the book --------------------------------------------------------- */

/* Opens the zip, finds the workbook and reads its sheet list. */
sk_error sk_book_open(const char *path, const sk_limits *limits, sk_book **out, sk_diag *d)
{
    sk_error err;
    char *main_part = NULL;
    size_t i;
    sk_diag_clear(d);
    *out = NULL;
    sk_book *b = calloc(1, sizeof *b);
    if (!b) {
        err = nomem(d);
        goto fail;
    }
    b->lim = *limits;
    if (!(b->path = dup_str(path))) {
        err = nomem(d);
        goto fail;
    }
    if ((err = sk_zip_open(path, limits, &b->zip, d)) != SK_OK)
        goto fail;
    if ((err = find_main_part(b, &main_part, d)) != SK_OK)
        goto fail;
    if (!sk_zip_find(b->zip, main_part, &i) || ends_with(main_part, ".bin")) {
        err = not_a_workbook(b, main_part, NULL, d);
        goto fail;
    }
    if ((err = read_workbook(b, main_part, d)) != SK_OK)
        goto fail;
    b->workbook_part = main_part;
    *out = b;
    return SK_OK;
fail:
    free(main_part);
    sk_book_close(b);
    sk_diag_file(d, path);
    return err;
}

/* Frees the book, its zip, its sheets list and its kept strings. */
void sk_book_close(sk_book *b)
{
    if (!b)
        return;
    sk_zip_close(b->zip);
    for (size_t i = 0; i < b->n_sheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    free(b->strings_part);
    free(b->styles_part);
    free(b->workbook_part);
    free(b->xf_fmt);
    free(b->xf_font);
    free(b->font_sym);
    for (size_t i = 0; i < b->n_fmts; i++)
        free(b->fmts[i].code);
    free(b->fmts);
    free(b->kept);
    for (str_block *k = b->blocks; k;) {
        str_block *next = k->next;
        free(k);
        k = next;
    }
    free(b->path);
    free(b);
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

/* The path given to sk_book_open. */
const char *sk_book_path(const sk_book *b)
{
    return b->path;
}

/* The file's hex SHA-256, computed when it was opened. */
const char *sk_book_sha256(const sk_book *b)
{
    return sk_zip_sha256(b->zip);
}

/* ---- worksheets ------------------------------------------------------- */

/* Maps the check-box glyphs of a run in a symbol font (Wingdings þ is ☑):
 * the text appended to buf since mark. */
static sk_error symbol_run(sk_symfont font, sk_buf *buf, size_t mark, sk_buf *tmp)
{
    if (font == SK_SYMFONT_NONE || buf->len == mark)
        return SK_OK;
    sk_buf_reset(tmp);
    if (sk_buf_append_len(tmp, buf->data + mark, buf->len - mark) != SK_OK)
        return SK_ERR_NOMEM;
    buf->len = mark;
    buf->data[mark] = '\0';
    return sk_symfont_map(font, tmp->data, tmp->len, buf);
}

/* Tracks the font of rich-text runs: <r> starts a run in the cell's font,
 * <rPr><rFont val="Wingdings"/> names the run's own. */
static void track_run_font(sk_xml *x, sk_xml_event ev, sk_symfont *font)
{
    if ((ev == SK_XML_START || ev == SK_XML_END) && sk_xml_is(x, "r"))
        *font = SK_SYMFONT_NONE;
    else if (ev == SK_XML_START && sk_xml_is(x, "rFont"))
        *font = sk_symfont_of(sk_xml_attr(x, "val"));
}

enum cell_kind { KIND_N, KIND_S, KIND_STR, KIND_INLINE, KIND_B, KIND_E, KIND_D, KIND_BAD };

/* Maps the t attribute of <c> to a kind (no attribute means a number). */
static enum cell_kind cell_kind_of(const char *t)
{
    static const struct {
        const char *name;
        enum cell_kind kind;
    } kinds[] = {{"n", KIND_N},   {"s", KIND_S}, {"str", KIND_STR}, {"inlineStr", KIND_INLINE},
                 {"b", KIND_B},   {"e", KIND_E}, {"d", KIND_D}};
    if (!t)
        return KIND_N;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(t, kinds[i].name) == 0)
            return kinds[i].kind;
    return KIND_BAD;
}

/* Streaming state for one worksheet. */
typedef struct sheet_reader {
    sk_book *b;
    sk_sheet *s;
    sk_xml *x;
    size_t cells_cap;
    size_t merges_cap;
    uint32_t row;      /* the current <row> */
    uint32_t prev_col; /* the column of the previous cell in this row */
    uint32_t c_row, c_col;
    uint32_t style;    /* the current cell's s attribute (cellXfs index) */
    uint64_t seen;     /* <c> elements read, with or without a value */
    enum cell_kind kind;
    bool have_v, have_is;
    sk_buf raw;  /* the text of the current <v> or inline <t> */
    sk_buf text; /* an inline string, decoded */
    sk_buf tmp;
} sheet_reader;

/* Names the current cell in d->where. */
static void where_cell(sheet_reader *sr, sk_diag *d)
{
    char ref[16];
    sk_ref_format(sr->c_row, sr->c_col, ref);
    sk_diag_where(d, "%s!%s", sr->s->name, ref);
}

/* Appends a NUL-terminated text to the sheet arena, growing it through a
 * temporary; offsets are 32-bit. */
static sk_error arena_add(sheet_reader *sr, const char *t, size_t len, uint32_t *off, sk_diag *d)
{
    sk_sheet *s = sr->s;
    if (len >= UINT32_MAX - s->arena_len) {
        where_cell(sr, d);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the sheet's texts exceed 4 GiB (limit --max-entry-bytes)");
    }
    size_t need = s->arena_len + len + 1;
    if (need > s->arena_cap) {
        size_t cap = s->arena_cap ? s->arena_cap : 4096;
        while (cap < need)
            cap *= 2;
        char *p = realloc(s->arena, cap);
        if (!p)
            return nomem(d);
        s->arena = p;
        s->arena_cap = cap;
    }
    if (len)
        memcpy(s->arena + s->arena_len, t, len);
    s->arena[s->arena_len + len] = '\0';
    *off = (uint32_t)s->arena_len;
    s->arena_len = need;
    return SK_OK;
}

/* Appends a cell, within the cells limit. */
static sk_error cell_add(sheet_reader *sr, uint32_t type, uint32_t v, sk_diag *d)
{
    sk_sheet *s = sr->s;
    if (s->n_cells >= sr->b->lim.cells) {
        where_cell(sr, d);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the sheet has more than %llu cells (limit --max-cells)",
                           (unsigned long long)sr->b->lim.cells);
    }
    if (s->n_cells == sr->cells_cap) {
        sk_cell *p = grow_array(s->cells, &sr->cells_cap, sizeof *p, 256);
        if (!p)
            return nomem(d);
        s->cells = p;
    }
    s->cells[s->n_cells++] = (sk_cell){sr->c_row, sr->c_col, type, v, sr->style};
    return SK_OK;
}

/* Checks a cell's text (UTF-8, length) and stores it in the arena. */
static sk_error text_cell(sheet_reader *sr, uint32_t type, const char *t, size_t len, sk_diag *d)
{
    uint32_t off = 0;
    if (len > sr->b->lim.string_bytes) {
        where_cell(sr, d);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the cell's text is longer than %llu bytes (limit --max-string-bytes)",
                           (unsigned long long)sr->b->lim.string_bytes);
    }
    /* No UTF-8 check here: libxml2 refuses input that is not proper UTF-8
     * and hands out whole characters, and xstring_decode makes only valid
     * code points (no surrogate, no U+0000). */
    sk_error err = arena_add(sr, t, len, &off, d);
    return err != SK_OK ? err : cell_add(sr, type, off, d);
}

/* Stores a t="d" cell (ISO 8601) as its serial day number, marked as a
 * date; false (nothing stored) if the value is no date. */
static bool date_cell(sheet_reader *sr, const char *v, size_t len, sk_error *err, sk_diag *d)
{
    char iso[64], num[32];
    sk_date dt;
    if (len >= sizeof iso)
        return false;
    memcpy(iso, v, len);
    iso[len] = '\0';
    if (!sk_iso_date_parse(iso, &dt))
        return false;
    snprintf(num, sizeof num, "%.0f", sk_date_to_serial(&dt, sr->b->date1904));
    *err = text_cell(sr, SK_CELL_DATE, num, strlen(num), d);
    return true;
}

/* Stores the cell that just ended, if it has a value. */
static sk_error finish_cell(sheet_reader *sr, sk_diag *d)
{
    sk_error err;
    if (sr->have_is)
        return text_cell(sr, SK_CELL_TEXT, sr->text.data ? sr->text.data : "", sr->text.len, d);
    if (!sr->have_v)
        return SK_OK;
    const char *v = sr->raw.data ? sr->raw.data : "";
    size_t len = sr->raw.len;
    switch (sr->kind) {
    case KIND_S: {
        uint64_t idx;
        const char *t = trim_ascii(v, &len);
        char num[16];
        if (len == 0 || len >= sizeof num) {
            where_cell(sr, d);
            return sk_diag_set(d, SK_ERR_XML, "the shared string index \"%.20s\" is invalid", v);
        }
        memcpy(num, t, len);
        num[len] = '\0';
        if (!parse_uint(num, UINT32_MAX, &idx)) {
            where_cell(sr, d);
            return sk_diag_set(d, SK_ERR_XML, "the shared string index \"%s\" is invalid", num);
        }
        /* no workbook within the limits has that many strings; refusing
         * it here also keeps a reader's per-index tables small */
        if (idx >= sr->b->lim.strings) {
            where_cell(sr, d);
            return sk_diag_set(d, SK_ERR_LIMIT,
                               "the shared string index %s is beyond the %llu shared strings "
                               "allowed (limit --max-strings)",
                               num, (unsigned long long)sr->b->lim.strings);
        }
        return cell_add(sr, SK_CELL_SHARED, (uint32_t)idx, d);
    }
    case KIND_D: /* a t="d" value that is no date is kept as text */
        if (date_cell(sr, v, len, &err, d))
            return err;
        /* fall through */
    case KIND_STR:
    case KIND_INLINE:
        sk_buf_reset(&sr->text);
        if (xstring_decode(v, len, &sr->text) != SK_OK)
            return nomem(d);
        err = text_cell(sr, SK_CELL_TEXT, sr->text.data, sr->text.len, d);
        return err;
    case KIND_B:
        return text_cell(sr, SK_CELL_BOOL, v, len, d);
    case KIND_E:
        return text_cell(sr, SK_CELL_ERROR, v, len, d);
    default:
        return text_cell(sr, SK_CELL_NUMBER, v, len, d);
    }
}

/* Starts a <row>: its r attribute, or the row after the previous one. */
static sk_error start_row(sheet_reader *sr, sk_diag *d)
{
    const char *r = sk_xml_attr(sr->x, "r");
    uint64_t row;
    if (r) {
        if (!parse_uint(r, SK_MAX_ROW, &row) || row == 0) {
            sk_diag_where(d, "%s", sr->s->name);
            return sk_diag_set(d, SK_ERR_XML, "row number \"%.32s\" is outside 1..%u", r,
                               (unsigned)SK_MAX_ROW);
        }
    } else {
        row = (uint64_t)sr->row + 1;
        if (row > SK_MAX_ROW) {
            sk_diag_where(d, "%s", sr->s->name);
            return sk_diag_set(d, SK_ERR_XML, "a row after row %u is beyond the grid",
                               (unsigned)SK_MAX_ROW);
        }
    }
    sr->row = (uint32_t)row;
    sr->prev_col = 0;
    return SK_OK;
}

/* Starts a <c>: its reference (or the next column), its type.  Every <c>
 * counts against the cells limit, empty ones too, so that a sheet of
 * millions of empty cells is refused while it is read. */
static sk_error start_cell(sheet_reader *sr, sk_diag *d)
{
    const char *r = sk_xml_attr(sr->x, "r");
    if (++sr->seen > sr->b->lim.cells) {
        sk_diag_where(d, "%s", sr->s->name);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the sheet has more than %llu cells (limit --max-cells)",
                           (unsigned long long)sr->b->lim.cells);
    }
    if (r) {
        if (sk_ref_parse(r, strlen(r), &sr->c_row, &sr->c_col) != SK_OK) {
            sk_diag_where(d, "%s!%.32s", sr->s->name, r);
            return sk_diag_set(d, SK_ERR_XML,
                               "cell reference \"%.32s\" is malformed or outside A1:XFD1048576", r);
        }
    } else {
        if (sr->row == 0 || sr->prev_col >= SK_MAX_COL) {
            sk_diag_where(d, "%s", sr->s->name);
            return sk_diag_set(d, SK_ERR_XML,
                               sr->row == 0 ? "a cell without a reference outside any row"
                                            : "a cell without a reference after column XFD");
        }
        sr->c_row = sr->row;
        sr->c_col = sr->prev_col + 1;
    }
    sr->prev_col = sr->c_col;
    const char *st = sk_xml_attr(sr->x, "s");
    uint64_t style = 0;
    sr->style = st && parse_uint(st, MAX_XF - 1, &style) ? (uint32_t)style : 0;
    const char *t = sk_xml_attr(sr->x, "t");
    sr->kind = cell_kind_of(t);
    if (sr->kind == KIND_BAD) {
        where_cell(sr, d);
        return sk_diag_set(d, SK_ERR_XML, "unknown cell type \"%.16s\"", t);
    }
    sr->have_v = sr->have_is = false;
    sk_buf_reset(&sr->raw);
    sk_buf_reset(&sr->text);
    return SK_OK;
}

/* Collects the character data up to the end of the current element into raw
 * (child elements skipped); part names the part if it ends early.  Stops and
 * sets *too_long when raw would pass limit bytes. */
static sk_error gather_text(sk_xml *x, const char *part, uint64_t limit, sk_buf *raw, bool *too_long, sk_diag *d)
{
    sk_buf_reset(raw);
    *too_long = false;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_END)
            return sk_buf_reserve(raw, 0) == SK_OK ? SK_OK : nomem(d);
        if (ev == SK_XML_EOF) {
            sk_diag_where(d, "%s", part);
            return sk_diag_set(d, SK_ERR_XML, "malformed XML: unexpected end of the part");
        }
        if (ev == SK_XML_START) {
            if ((err = sk_xml_skip(x, d)) != SK_OK)
                return err;
            continue;
        }
        if (ev != SK_XML_TEXT)
            continue;
        size_t n;
        const char *t = sk_xml_text(x, &n);
        if (raw_too_long(raw->len + n, limit)) {
            *too_long = true;
            return SK_OK;
        }
        if (sk_buf_append_len(raw, t, n) != SK_OK)
            return nomem(d);
    }
}

/* Collects a cell's character data into raw, bounded by the string limit. */
static sk_error collect_text(sheet_reader *sr, sk_diag *d)
{
    bool too_long;
    sk_error err = gather_text(sr->x, sr->s->name, sr->b->lim.string_bytes, &sr->raw, &too_long, d);
    if (err != SK_OK || !too_long)
        return err;
    where_cell(sr, d);
    return sk_diag_set(d, SK_ERR_LIMIT,
                       "the cell's text is longer than %llu bytes "
                       "(limit --max-string-bytes)",
                       (unsigned long long)sr->b->lim.string_bytes);
}

/* Reads an <is> inline string: <t> and rich-text runs, phonetic runs
 * skipped, each <t> decoded and appended to text. */
static sk_error read_inline(sheet_reader *sr, sk_diag *d)
{
    int depth = sk_xml_depth(sr->x);
    sk_symfont font = SK_SYMFONT_NONE;
    sr->have_is = true;
    sk_buf_reset(&sr->text);
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(sr->x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF) {
            sk_diag_where(d, "%s", sr->s->name);
            return sk_diag_set(d, SK_ERR_XML, "malformed XML: unexpected end of the part");
        }
        if (ev == SK_XML_END && sk_xml_depth(sr->x) == depth)
            return SK_OK;
        track_run_font(sr->x, ev, &font);
        if (ev != SK_XML_START)
            continue;
        if (sk_xml_is(sr->x, "rPh") || sk_xml_is(sr->x, "phoneticPr")) {
            err = sk_xml_skip(sr->x, d);
        } else if (sk_xml_is(sr->x, "t")) {
            size_t mark = sr->text.len;
            err = collect_text(sr, d);
            if (err == SK_OK && (xstring_decode(sr->raw.data, sr->raw.len, &sr->text) != SK_OK ||
                                 symbol_run(font, &sr->text, mark, &sr->tmp) != SK_OK))
                err = nomem(d);
            if (err == SK_OK && sr->text.len > sr->b->lim.string_bytes) {
                where_cell(sr, d);
                err = sk_diag_set(d, SK_ERR_LIMIT,
                                  "the cell's text is longer than %llu bytes "
                                  "(limit --max-string-bytes)",
                                  (unsigned long long)sr->b->lim.string_bytes);
            }
        }
        if (err != SK_OK)
            return err;
    }
}

/* Reads a <mergeCell ref="A1:D2"/> into the sheet's ranges. */
static sk_error add_merge(sheet_reader *sr, sk_diag *d)
{
    sk_sheet *s = sr->s;
    const char *ref = sk_xml_attr(sr->x, "ref");
    uint32_t r1, c1, r2, c2;
    const char *colon = ref ? strchr(ref, ':') : NULL;
    size_t n1 = ref ? (colon ? (size_t)(colon - ref) : strlen(ref)) : 0;
    if (!ref || sk_ref_parse(ref, n1, &r1, &c1) != SK_OK ||
        (colon ? sk_ref_parse(colon + 1, strlen(colon + 1), &r2, &c2)
               : (r2 = r1, c2 = c1, SK_OK)) != SK_OK) {
        sk_diag_where(d, "%s", s->name);
        return sk_diag_set(d, SK_ERR_XML, "merged range \"%.40s\" is malformed or outside the grid",
                           ref ? ref : "");
    }
    if (s->n_merges >= sr->b->lim.cells) {
        sk_diag_where(d, "%s", s->name);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the sheet has more than %llu merged ranges (limit --max-cells)",
                           (unsigned long long)sr->b->lim.cells);
    }
    if (s->n_merges == sr->merges_cap) {
        sk_range *p = grow_array(s->merges, &sr->merges_cap, sizeof *p, 32);
        if (!p)
            return nomem(d);
        s->merges = p;
    }
    s->merges[s->n_merges++] = (sk_range){r1 < r2 ? r1 : r2, c1 < c2 ? c1 : c2,
                                          r1 < r2 ? r2 : r1, c1 < c2 ? c2 : c1};
    return SK_OK;
}

/* Orders cells by (row, col). */
static int cell_cmp(const sk_cell *a, const sk_cell *b)
{
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

/* Sorts cells by (row, col), stable (a bottom-up merge sort: qsort is not
 * stable and later duplicates must win), then drops all but the last of
 * each position.  Already sorted sheets, the usual case, skip the sort. */
static sk_error sort_cells(sk_sheet *s, sk_diag *d)
{
    size_t n = s->n_cells;
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = cell_cmp(&s->cells[i - 1], &s->cells[i]) <= 0;
    if (!sorted) {
        sk_cell *tmp = calloc(n, sizeof *tmp);
        if (!tmp)
            return nomem(d);
        sk_cell *src = s->cells, *dst = tmp;
        for (size_t w = 1; w < n; w *= 2) {
            for (size_t lo = 0; lo < n; lo += 2 * w) {
                size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
                size_t i = lo, j = mid, k = lo;
                while (i < mid && j < hi)
                    dst[k++] = cell_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
                while (i < mid)
                    dst[k++] = src[i++];
                while (j < hi)
                    dst[k++] = src[j++];
            }
            sk_cell *t = src;
            src = dst;
            dst = t;
        }
        if (src != s->cells)
            memcpy(s->cells, src, n * sizeof *src);
        free(tmp);
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (i + 1 == n || cell_cmp(&s->cells[i], &s->cells[i + 1]) != 0)
            s->cells[w++] = s->cells[i];
    s->n_cells = w;
    return SK_OK;
}

/* Streams the worksheet part: <sheetData> rows and cells, <mergeCells>. */
static sk_error stream_sheet(sheet_reader *sr, sk_diag *d)
{
    bool in_data = false, in_row = false, in_cell = false, in_merges = false;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(sr->x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF)
            return SK_OK;
        if (ev == SK_XML_END) {
            if (in_cell && sk_xml_is(sr->x, "c")) {
                in_cell = false;
                err = finish_cell(sr, d);
            } else if (in_row && sk_xml_is(sr->x, "row")) {
                in_row = false;
            } else if (in_data && sk_xml_is(sr->x, "sheetData")) {
                in_data = false;
            } else if (in_merges && sk_xml_is(sr->x, "mergeCells")) {
                in_merges = false;
            }
        } else if (ev == SK_XML_START) {
            if (in_cell) {
                if (sk_xml_is(sr->x, "v")) {
                    sr->have_v = true;
                    err = collect_text(sr, d);
                } else if (sk_xml_is(sr->x, "is")) {
                    err = read_inline(sr, d);
                } else {
                    err = sk_xml_skip(sr->x, d); /* <f>, <extLst>: not values */
                }
            } else if (in_row && sk_xml_is(sr->x, "c")) {
                in_cell = true;
                err = start_cell(sr, d);
            } else if (in_data && sk_xml_is(sr->x, "row")) {
                in_row = true;
                err = start_row(sr, d);
            } else if (!in_data && sk_xml_is(sr->x, "sheetData")) {
                in_data = true;
            } else if (!in_data && sk_xml_is(sr->x, "mergeCells")) {
                in_merges = true;
            } else if (in_merges && sk_xml_is(sr->x, "mergeCell")) {
                err = add_merge(sr, d);
            }
        }
        if (err != SK_OK)
            return err;
    }
}

/* Streams worksheet i into a new sk_sheet. */
sk_error sk_book_read_sheet(sk_book *b, size_t i, sk_sheet **out, sk_diag *d)
{
    sk_error err;
    sheet_reader sr = {0};
    sk_diag_clear(d);
    *out = NULL;
    if (i >= b->n_sheets) {
        err = sk_diag_set(d, SK_ERR_USAGE, "no sheet %zu (the workbook has %zu)", i, b->n_sheets);
        goto fail;
    }
    sr.b = b;
    sr.s = calloc(1, sizeof *sr.s);
    if (!sr.s || !(sr.s->name = dup_str(b->sheets[i].name))) {
        err = nomem(d);
        goto fail;
    }
    if ((err = sk_xml_open(b->zip, b->sheets[i].entry, b->sheets[i].part, &sr.x, d)) != SK_OK)
        goto fail;
    if ((err = stream_sheet(&sr, d)) != SK_OK)
        goto fail;
    if ((err = sort_cells(sr.s, d)) != SK_OK)
        goto fail;
    sk_xml_close(sr.x);
    sk_buf_free(&sr.raw);
    sk_buf_free(&sr.text);
    sk_buf_free(&sr.tmp);
    *out = sr.s;
    return SK_OK;
fail:
    sk_xml_close(sr.x);
    sk_buf_free(&sr.raw);
    sk_buf_free(&sr.text);
    sk_buf_free(&sr.tmp);
    sk_sheet_free(sr.s);
    sk_diag_file(d, b->path);
    return err;
}

/* Frees a sheet and everything in it. */
void sk_sheet_free(sk_sheet *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->cells);
    free(s->merges);
    free(s->arena);
    free(s);
}

/* Binary search over the sorted cells. */
const sk_cell *sk_sheet_cell(const sk_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->n_cells;
    sk_cell key = {row, col, 0, 0, 0};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cell_cmp(&s->cells[mid], &key);
        if (c == 0)
            return &s->cells[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- shared strings --------------------------------------------------- */

/* Copies a kept string into the block storage. */
static const char *store_string(sk_book *b, const char *s, size_t len)
{
    str_block *k = b->blocks;
    if (!k || k->cap - k->used < len + 1) {
        size_t cap = len + 1 > STR_BLOCK ? len + 1 : STR_BLOCK;
        k = calloc(1, sizeof *k + cap);
        if (!k)
            return NULL;
        k->next = b->blocks;
        k->used = 0;
        k->cap = cap;
        b->blocks = k;
    }
    char *p = k->data + k->used;
    memcpy(p, s, len);
    p[len] = '\0';
    k->used += len + 1;
    return p;
}

/* State while streaming sharedStrings.xml. */
typedef struct strings_reader {
    sk_book *b;
    sk_xml *x;
    sk_string_filter keep;
    void *ctx;
    uint32_t count;
    size_t old;          /* cursor into the strings kept by earlier calls */
    kept_string *fresh;  /* kept by this call, in index order */
    size_t n_fresh, cap_fresh;
    sk_buf raw;          /* one <t>'s text */
    sk_buf si;           /* the string being assembled */
    sk_symfont font;     /* the current run's symbol font, if any */
    bool rich;           /* the current <si> has <r> runs */
    sk_buf tmp;
} strings_reader;

/* Reports a shared string that passes a limit. */
static sk_error string_too_long(strings_reader *st, sk_diag *d)
{
    sk_diag_where(d, "%s", st->b->strings_part);
    return sk_diag_set(d, SK_ERR_LIMIT,
                       "shared string %u is longer than %llu bytes (limit --max-string-bytes)",
                       st->count, (unsigned long long)st->b->lim.string_bytes);
}

/* Reads one <t> into raw and appends it, decoded, to the string. */
static sk_error strings_read_t(strings_reader *st, sk_diag *d)
{
    bool too_long;
    sk_error err = gather_text(st->x, st->b->strings_part, st->b->lim.string_bytes, &st->raw, &too_long, d);
    if (err != SK_OK)
        return err;
    if (too_long)
        return string_too_long(st, d);
    size_t mark = st->si.len;
    if (xstring_decode(st->raw.data, st->raw.len, &st->si) != SK_OK ||
        symbol_run(st->font, &st->si, mark, &st->tmp) != SK_OK)
        return nomem(d);
    return st->si.len > st->b->lim.string_bytes ? string_too_long(st, d) : SK_OK;
}

/* Ends one <si>: checks it, offers it to the filter and keeps it. */
static sk_error strings_finish_si(strings_reader *st, sk_diag *d)
{
    sk_book *b = st->b;
    uint32_t idx = st->count;
    if ((uint64_t)idx >= b->lim.strings || idx == UINT32_MAX) {
        sk_diag_where(d, "%s", b->strings_part);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "more than %llu shared strings (limit --max-strings)",
                           (unsigned long long)b->lim.strings);
    }
    if (sk_buf_reserve(&st->si, 0) != SK_OK)
        return nomem(d);
    /* valid UTF-8 by construction, as in text_cell */
    st->count++;
    while (st->old < b->n_kept && b->kept[st->old].index < idx)
        st->old++;
    bool already = st->old < b->n_kept && b->kept[st->old].index == idx;
    bool want = st->keep ? st->keep(idx, st->si.data, st->si.len, st->ctx) : true;
    if (!want || already)
        return SK_OK;
    if (st->n_fresh == st->cap_fresh) {
        kept_string *p = grow_array(st->fresh, &st->cap_fresh, sizeof *p, 64);
        if (!p)
            return nomem(d);
        st->fresh = p;
    }
    const char *text = store_string(b, st->si.data, st->si.len);
    if (!text)
        return nomem(d);
    st->fresh[st->n_fresh++] = (kept_string){idx, (uint32_t)st->si.len, text, st->rich};
    return SK_OK;
}

/* Merges the strings kept by this call into the book's sorted list. */
static sk_error strings_merge(strings_reader *st, sk_diag *d)
{
    sk_book *b = st->b;
    if (st->n_fresh == 0)
        return SK_OK;
    kept_string *all = calloc(b->n_kept + st->n_fresh, sizeof *all);
    if (!all)
        return nomem(d);
    size_t i = 0, j = 0, k = 0;
    while (i < b->n_kept && j < st->n_fresh)
        all[k++] = b->kept[i].index < st->fresh[j].index ? b->kept[i++] : st->fresh[j++];
    while (i < b->n_kept)
        all[k++] = b->kept[i++];
    while (j < st->n_fresh)
        all[k++] = st->fresh[j++];
    free(b->kept);
    b->kept = all;
    b->n_kept = k;
    return SK_OK;
}

/* Streams the shared strings, keeping those the filter asks for. */
static sk_error stream_strings(strings_reader *st, sk_diag *d)
{
    bool in_si = false;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(st->x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF)
            return SK_OK;
        if (in_si) {
            track_run_font(st->x, ev, &st->font);
            st->rich |= ev == SK_XML_START && sk_xml_is(st->x, "r");
        }
        if (ev == SK_XML_START) {
            if (!in_si && sk_xml_is(st->x, "si")) {
                st->font = SK_SYMFONT_NONE;
                st->rich = false;
                in_si = true;
                sk_buf_reset(&st->si);
            } else if (in_si && (sk_xml_is(st->x, "rPh") || sk_xml_is(st->x, "phoneticPr"))) {
                err = sk_xml_skip(st->x, d); /* furigana is not cell text */
            } else if (in_si && sk_xml_is(st->x, "t")) {
                err = strings_read_t(st, d);
            }
        } else if (ev == SK_XML_END && in_si && sk_xml_is(st->x, "si")) {
            in_si = false;
            err = strings_finish_si(st, d);
        }
        if (err != SK_OK)
            return err;
    }
}

/* Streams sharedStrings.xml once with the given filter. */
sk_error sk_book_read_strings(sk_book *b, sk_string_filter keep, void *ctx, sk_diag *d)
{
    sk_error err = SK_OK;
    strings_reader st = {0};
    sk_diag_clear(d);
    if (!b->has_strings) {
        b->n_strings = 0;
        return SK_OK;
    }
    st.b = b;
    st.keep = keep;
    st.ctx = ctx;
    if ((err = sk_xml_open(b->zip, b->strings_entry, b->strings_part, &st.x, d)) != SK_OK)
        goto done;
    if ((err = stream_strings(&st, d)) != SK_OK)
        goto done;
    if ((err = strings_merge(&st, d)) != SK_OK)
        goto done;
    b->n_strings = st.count;
done:
    sk_xml_close(st.x);
    sk_buf_free(&st.raw);
    sk_buf_free(&st.si);
    sk_buf_free(&st.tmp);
    free(st.fresh);
    if (err != SK_OK)
        sk_diag_file(d, b->path);
    return err;
}

/* Number of <si> seen by the last complete read. */
uint32_t sk_book_string_count(const sk_book *b)
{
    return b->n_strings;
}

/* The kept string with the given index, or NULL (binary search). */
static const kept_string *find_kept(const sk_book *b, uint32_t index)
{
    size_t lo = 0, hi = b->n_kept;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->kept[mid].index == index)
            return &b->kept[mid];
        if (b->kept[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A cell's text: a kept shared string or the sheet's arena text. */
const char *sk_cell_text(const sk_book *b, const sk_sheet *s, const sk_cell *c, size_t *len)
{
    const char *t = NULL;
    size_t n = 0;
    if (c && c->type == SK_CELL_SHARED) {
        const kept_string *k = c->v < b->n_strings ? find_kept(b, c->v) : NULL;
        if (k) {
            t = k->text;
            n = k->len;
        }
    } else if (c && s && c->type != SK_CELL_EMPTY && c->v < s->arena_len) {
        t = s->arena + c->v;
        n = strlen(t);
    }
    if (len)
        *len = n;
    return t;
}

/* ---- styles: number formats of dates ------------------------------------ */

bool sk_book_date1904(const sk_book *b)
{
    return b->date1904;
}

/* Handles one <numFmt> of <numFmts>. */
static sk_error styles_num_fmt(sk_book *b, sk_xml *x, size_t *cap, sk_diag *d)
{
    const char *id = sk_xml_attr(x, "numFmtId"), *code = sk_xml_attr(x, "formatCode");
    uint64_t v;
    if (!id || !code || !parse_uint(id, UINT32_MAX, &v))
        return SK_OK; /* Excel would repair it: no format */
    if (b->n_fmts >= MAX_NUM_FMTS)
        return sk_diag_set(d, SK_ERR_LIMIT, "styles.xml has more than %d number formats (a fixed limit)",
                           MAX_NUM_FMTS);
    if (strlen(code) > MAX_FMT_CODE)
        return sk_diag_set(d, SK_ERR_LIMIT, "a number format code is longer than %d bytes (a fixed limit)",
                           MAX_FMT_CODE);
    if (b->n_fmts == *cap) {
        num_fmt *p = grow_array(b->fmts, cap, sizeof *p, 16);
        if (!p)
            return nomem(d);
        b->fmts = p;
    }
    char *c = dup_str(code);
    if (!c)
        return nomem(d);
    b->fmts[b->n_fmts++] = (num_fmt){(uint32_t)v, c};
    return SK_OK;
}

/* Handles one <xf> of <cellXfs>. */
static sk_error styles_xf(sk_book *b, sk_xml *x, size_t *cap, sk_diag *d)
{
    const char *id = sk_xml_attr(x, "numFmtId"), *font = sk_xml_attr(x, "fontId");
    uint64_t v = 0, f = 0;
    if (id && !parse_uint(id, UINT32_MAX, &v))
        v = 0;
    if (font && !parse_uint(font, UINT32_MAX, &f))
        f = 0;
    if (b->n_xf >= MAX_XF)
        return sk_diag_set(d, SK_ERR_LIMIT, "styles.xml has more than %d cell formats (a fixed limit)", MAX_XF);
    if (b->n_xf == *cap) {
        size_t cap2 = *cap;
        uint32_t *p = grow_array(b->xf_fmt, cap, sizeof *p, 64);
        if (!p)
            return nomem(d);
        b->xf_fmt = p;
        uint32_t *q = grow_array(b->xf_font, &cap2, sizeof *q, 64);
        if (!q)
            return nomem(d);
        b->xf_font = q;
    }
    b->xf_fmt[b->n_xf] = (uint32_t)v;
    b->xf_font[b->n_xf++] = (uint32_t)f;
    return SK_OK;
}

/* Handles one <font> of <fonts>: only whether it is a symbol font is kept. */
static sk_error styles_font(sk_book *b, size_t *cap, sk_diag *d)
{
    if (b->n_fonts >= MAX_FONTS)
        return sk_diag_set(d, SK_ERR_LIMIT, "styles.xml has more than %d fonts (a fixed limit)", MAX_FONTS);
    if (b->n_fonts == *cap) {
        uint8_t *p = grow_array(b->font_sym, cap, sizeof *p, 16);
        if (!p)
            return nomem(d);
        b->font_sym = p;
    }
    b->font_sym[b->n_fonts++] = SK_SYMFONT_NONE;
    return SK_OK;
}

/* Reads the custom number formats and the cell formats of styles.xml. */
static sk_error read_styles(sk_book *b, sk_diag *d)
{
    sk_xml *x = NULL;
    size_t fmt_cap = 0, xf_cap = 0, font_cap = 0;
    char section[16] = "";
    b->styles_read = true;
    if (!b->has_styles)
        return SK_OK;
    sk_error err = sk_xml_open(b->zip, b->styles_entry, b->styles_part, &x, d);
    while (!err) {
        sk_xml_event ev;
        if ((err = sk_xml_next(x, &ev, d)) != SK_OK || ev == SK_XML_EOF)
            break;
        int depth = sk_xml_depth(x);
        if (ev == SK_XML_START && depth == 1)
            snprintf(section, sizeof section, "%s", sk_xml_name(x));
        else if (ev == SK_XML_END && depth == 1 && strcmp(section, "cellXfs") == 0)
            break; /* numFmts and fonts come before cellXfs: the rest is not needed */
        else if (ev == SK_XML_END && depth == 1)
            section[0] = '\0';
        else if (ev == SK_XML_START && depth == 2 && strcmp(section, "numFmts") == 0 && sk_xml_is(x, "numFmt"))
            err = styles_num_fmt(b, x, &fmt_cap, d);
        else if (ev == SK_XML_START && depth == 2 && strcmp(section, "cellXfs") == 0 && sk_xml_is(x, "xf"))
            err = styles_xf(b, x, &xf_cap, d);
        else if (ev == SK_XML_START && depth == 2 && strcmp(section, "fonts") == 0 && sk_xml_is(x, "font"))
            err = styles_font(b, &font_cap, d);
        else if (ev == SK_XML_START && depth == 3 && strcmp(section, "fonts") == 0 && sk_xml_is(x, "name") &&
                 b->n_fonts > 0)
            b->font_sym[b->n_fonts - 1] = (uint8_t)sk_symfont_of(sk_xml_attr(x, "val"));
    }
    if (err && d && !d->where[0])
        sk_diag_where(d, "%s", b->styles_part);
    sk_xml_close(x);
    return err;
}

sk_error sk_book_date_format(sk_book *b, uint32_t style, const char **code, sk_diag *d)
{
    *code = NULL;
    if (!b->styles_read) {
        sk_error err = read_styles(b, d);
        if (err)
            return err;
    }
    if (style >= b->n_xf)
        return SK_OK;
    uint32_t id = b->xf_fmt[style];
    for (size_t i = 0; i < b->n_fmts; i++)
        if (b->fmts[i].id == id) {
            *code = sk_numfmt_is_date(b->fmts[i].code) ? b->fmts[i].code : NULL;
            return SK_OK;
        }
    *code = id <= INT32_MAX ? sk_numfmt_builtin_date((int)id) : NULL;
    return SK_OK;
}

sk_error sk_book_cell_font(sk_book *b, uint32_t style, sk_symfont *font, sk_diag *d)
{
    *font = SK_SYMFONT_NONE;
    if (!b->styles_read) {
        sk_error err = read_styles(b, d);
        if (err)
            return err;
    }
    if (style < b->n_xf && b->xf_font[style] < b->n_fonts)
        *font = (sk_symfont)b->font_sym[b->xf_font[style]];
    return SK_OK;
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

sk_zip *sk_book_zip(sk_book *b)
{
    return b->zip;
}

const sk_limits *sk_book_limits(const sk_book *b)
{
    return &b->lim;
}

const char *sk_book_sheet_part(const sk_book *b, size_t i)
{
    return b->sheets[i].part;
}

bool sk_cell_rich(const sk_book *b, const sk_cell *c)
{
    const kept_string *k = c && c->type == SK_CELL_SHARED && c->v < b->n_strings ? find_kept(b, c->v) : NULL;
    return k && k->rich;
}

const char *sk_book_workbook_part(const sk_book *b)
{
    return b->workbook_part;
}
