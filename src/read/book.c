/* sechk — reading .xlsx workbooks: opening the file (what it is, the zip,
 * the main part) and the book's own accessors; the parts are read by rels.c,
 * workbook.c, sheet.c, strings.c and styles.c (book_impl.h). */
#include "book_impl.h"
#include "book_parts.h"

#include <errno.h>

#include "sechk/convert.h"
#include "sechk/sha256.h"

/* ---- the book --------------------------------------------------------- */

/* Says what the file is when it has no workbook part; root names the main
 * part's root element when there is one that is not a workbook. */
sk_error not_a_workbook(sk_book *b, const char *part, const char *root, sk_diag *d)
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
                           "a binary Excel workbook (.xlsb); save it as .xlsx (or read it with --convert)");
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

/* Opens the zip, finds the workbook and reads its sheet list. */
sk_error sk_book_open(const char *path, const sk_limits *limits, sk_book **out, sk_diag *d)
{
    return sk_book_open_opts(path, limits, NULL, out, d);
}

/* Hashes the file at path (the original of a converted copy). */
static sk_error hash_path(const char *path, char hex[SK_SHA256_HEX_LEN], sk_diag *d)
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[16384];
    uint8_t digest[SK_SHA256_LEN];
    sk_sha256_ctx c;
    if (!f)
        return sk_diag_set(d, SK_ERR_IO, "cannot open: %s", strerror(errno));
    sk_sha256_init(&c);
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
        sk_sha256_update(&c, buf, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad)
        return sk_diag_set(d, SK_ERR_IO, "read error");
    sk_sha256_final(&c, digest);
    sk_sha256_hex(digest, hex);
    return SK_OK;
}

/* --convert: LibreOffice converts the legacy file at path to .xlsx in a
 * private folder; the copy is opened (libzip keeps its descriptor) and the
 * folder removed at once.  The book reports the original's path and hash. */
static sk_error open_converted(sk_book *b, const char *path, const sk_limits *limits, const sk_open_opts *o,
                               sk_diag *d)
{
    char *dir = NULL, *xlsx = NULL, hex[SK_SHA256_HEX_LEN];
    bool legacy = false;
    sigset_t old;
    sk_zip_close(b->zip);
    b->zip = NULL;
    sk_diag_clear(d);
    sk_error err = hash_path(path, hex, d);
    sk_convert_hold(&old); /* a stop signal waits until the folder is gone */
    if (!err)
        err = sk_convert_file(path, o, &dir, &xlsx, &b->converted_by, d);
    if (!err)
        err = sk_zip_open_opts(xlsx, limits, o, &b->zip, &legacy, d);
    if (!err)
        sk_zip_set_sha256(b->zip, hex);
    sk_convert_cleanup(dir);
    sk_convert_release(&old);
    free(dir);
    free(xlsx);
    return err;
}

sk_error sk_book_open_opts(const char *path, const sk_limits *limits, const sk_open_opts *o, sk_book **out,
                           sk_diag *d)
{
    sk_error err;
    char *main_part = NULL;
    size_t i;
    bool legacy = false, converted = false;
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
    err = sk_zip_open_opts(path, limits, o, &b->zip, &legacy, d);
    if (err != SK_OK && legacy && o && o->convert) {
        converted = true;
        err = open_converted(b, path, limits, o, d);
    }
    if (err != SK_OK)
        goto fail;
    if ((err = find_main_part(b, &main_part, d)) != SK_OK)
        goto fail;
    if (!converted && o && o->convert && ends_with(main_part, ".bin")) {
        /* .xlsb */
        free(main_part);
        main_part = NULL;
        converted = true;
        if ((err = open_converted(b, path, limits, o, d)) != SK_OK ||
            (err = find_main_part(b, &main_part, d)) != SK_OK)
            goto fail;
    }
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

/* The LibreOffice version that converted the file, or NULL. */
const char *sk_book_converted_by(const sk_book *b)
{
    return b->converted_by;
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
    free(b->converted_by);
    free(b->path);
    free(b);
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

const char *sk_book_workbook_part(const sk_book *b)
{
    return b->workbook_part;
}
