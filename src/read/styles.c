/* sechk — styles.xml: the number formats of dates and the symbol fonts. */
#include "book_impl.h"

#include "sechk/numfmt.h"

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
    sk_book_cell_font_known(b, style, font);
    return SK_OK;
}

bool sk_book_cell_font_known(const sk_book *b, uint32_t style, sk_symfont *font)
{
    *font = SK_SYMFONT_NONE;
    if (!b->styles_read)
        return false;
    if (style < b->n_xf && b->xf_font[style] < b->n_fonts)
        *font = (sk_symfont)b->font_sym[b->xf_font[style]];
    return true;
}
