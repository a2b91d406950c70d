/* sechk — rows of a constant-memory worksheet written as libxlsxwriter writes them
 * (sechk/rawrows.h says why and what is reproduced). */
#include "sechk/rawrows.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sechk/output.h"
#include "sechk/ref.h"
#include "sechk/text.h"

/* The default row height libxlsxwriter leaves out of <row> (LXW_DEF_ROW_HEIGHT). */
#define DEF_ROW_HEIGHT 15.0

bool sk_rawrows_usable(const lxw_worksheet *ws)
{
#if LXW_VERSION_ID == 114
    return ws && ws->optimize && ws->file && ws->optimize_row && ws->default_row_height == DEF_ROW_HEIGHT;
#else
    (void)ws;
    return false;
#endif
}

/* Appends v as printf's %.16G does (libxlsxwriter's numbers and heights). */
static char *put_num(char *p, double v)
{
    if (v >= 0 && v < 1e15 && v == (double)(unsigned long long)v)
        return sk_put_uint(p, (unsigned long long)v);
    return p + snprintf(p, 32, "%.16G", v);
}

/* Appends text as an inline string's <t> content: control characters as
 * _xHHHH_ (lxw_escape_control_characters), then & < > (lxw_escape_data). */
static sk_error put_escaped(sk_buf *b, const char *s, size_t len)
{
    if (sk_buf_reserve(b, len * 7))
        return SK_ERR_NOMEM;
    char *p = b->data + b->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x40 || (c >= 0x20 && c != '&' && c != '<' && c != '>') || c == '\t' || c == '\n') {
            *p++ = (char)c;
        } else if (c == '&') {
            memcpy(p, "&amp;", 5);
            p += 5;
        } else if (c == '<' || c == '>') {
            memcpy(p, c == '<' ? "&lt;" : "&gt;", 4);
            p += 4;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(p, "_x00", 4);
            p[4] = hex[c >> 4];
            p[5] = hex[c & 15];
            p[6] = '_';
            p += 7;
        }
    }
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
    return SK_OK;
}

/* isspace in the C locale. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Appends <c r="REF"[ s="N"] then what closes its kind of cell. */
static sk_error put_cell(sk_buf *b, const sk_rawcell *cell, int col, lxw_row_t row, int32_t style)
{
    const char *t = cell->text ? cell->text : "";
    if (!cell->is_num && !*t && !cell->fmt)
        return SK_OK; /* no cell at all, as worksheet_write_string does */
    if (sk_buf_reserve(b, 96))
        return SK_ERR_NOMEM;
    char *p = b->data + b->len;
    memcpy(p, "<c r=\"", 6);
    p += 6;
    p = sk_ref_put(p, (uint32_t)row + 1, (uint32_t)col + 1);
    *p++ = '"';
    if (style) {
        memcpy(p, " s=\"", 4);
        p = sk_put_uint(p + 4, (unsigned long long)style);
        *p++ = '"';
    }
    if (cell->is_num || !*t) {
        if (cell->is_num) {
            memcpy(p, "><v>", 4);
            p = put_num(p + 4, cell->num);
            memcpy(p, "</v></c>", 8);
            p += 8;
        } else {
            memcpy(p, "/>", 2);
            p += 2;
        }
        b->len = (size_t)(p - b->data);
        b->data[b->len] = '\0';
        return SK_OK;
    }
    memcpy(p, " t=\"inlineStr\"><is><t>", 22);
    p += 22;
    b->len = (size_t)(p - b->data);
    size_t at = b->len;
    if (put_escaped(b, t, strlen(t)))
        return SK_ERR_NOMEM;
    if (is_space(b->data[at]) || is_space(b->data[b->len - 1])) {
        static const char pre[] = " xml:space=\"preserve\"";
        if (sk_buf_reserve(b, sizeof pre))
            return SK_ERR_NOMEM;
        memmove(b->data + at - 1 + sizeof pre - 1, b->data + at - 1, b->len - at + 1);
        memcpy(b->data + at - 1, pre, sizeof pre - 1);
        b->len += sizeof pre - 1;
    }
    return sk_buf_append_len(b, "</t></is></c>", 13);
}

/* Stops deflating ahead (the close deflates the whole part). */
static void ahead_off(sk_rawrows *s)
{
    if (s->z) {
        deflateEnd(s->z);
        free(s->z);
        s->z = NULL;
    }
    if (s->zout)
        fclose(s->zout);
    s->zout = NULL;
}

void sk_rawrows_ahead(sk_rawrows *s, int level)
{
    if (s->z || s->ws || !sk_out_ahead_usable()) /* before the first row only */
        return;
    s->at = -1;
    s->z = calloc(1, sizeof(z_stream));
    s->zout = s->z ? lxw_tmpfile(NULL) : NULL;
    if (!s->zout || deflateInit2(s->z, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(s->z); /* deflateEnd would refuse a stream never set up */
        s->z = NULL;
        ahead_off(s);
        return;
    }
    s->crc = crc32(0L, Z_NULL, 0);
}

/* Deflates len bytes of data ahead (flush: Z_NO_FLUSH or Z_SYNC_FLUSH). */
static void ahead(sk_rawrows *s, const char *data, size_t len, int flush)
{
    z_stream *z = s->z;
    unsigned char out[16384];
    z->next_in = (Bytef *)(uintptr_t)data;
    z->avail_in = (uInt)len;
    s->crc = crc32(s->crc, (const Bytef *)data, (uInt)len);
    s->zlen += len;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        if (deflate(z, flush) == Z_STREAM_ERROR) {
            ahead_off(s);
            return;
        }
        size_t n = sizeof out - z->avail_out;
        if (n && fwrite(out, 1, n, s->zout) != n) {
            ahead_off(s);
            return;
        }
    } while (z->avail_out == 0 || z->avail_in > 0);
}

/* Writes the pending row as lxw_worksheet_write_single_row would. */
static sk_error emit(sk_rawrows *s)
{
    lxw_worksheet *ws = s->ws;
    int32_t *style = s->style;
    for (int c = 0; c < s->n; c++) /* numbered in column order, as _write_cell does */
        style[c] = s->cell[c].fmt ? lxw_format_get_xf_index(s->cell[c].fmt) : 0;
    sk_buf *b = &s->xml;
    sk_buf_reset(b);
    double h = s->height > 0 ? s->height : DEF_ROW_HEIGHT;
    if (sk_buf_reserve(b, 128))
        return SK_ERR_NOMEM;
    char *p = b->data;
    memcpy(p, "<row r=\"", 8);
    p = sk_put_uint(p + 8, (unsigned long long)s->row + 1);
    *p++ = '"';
    if (h != DEF_ROW_HEIGHT) {
        memcpy(p, " ht=\"", 5);
        p = put_num(p + 5, h);
        memcpy(p, "\" customHeight=\"1\"", 18);
        p += 18;
    }
    if (ws->excel_version == 2010) {
        memcpy(p, " x14ac:dyDescent=\"0.25\"", 23);
        p += 23;
    }
    *p++ = '>';
    b->len = (size_t)(p - b->data);
    sk_error e = SK_OK;
    for (int c = 0; c < s->n && !e; c++) {
        sk_rawcell cell = s->cell[c];
        cell.text = s->off[c] == SIZE_MAX ? NULL : s->text.data + s->off[c];
        e = put_cell(b, &cell, c, s->row, style[c]);
    }
    if (!e)
        e = sk_buf_append_len(b, "</row>", 6);
    if (!e && s->z && s->at < 0 && (s->at = ftell(ws->file)) < 0)
        ahead_off(s);
    if (!e && fwrite(b->data, 1, b->len, ws->file) != b->len)
        e = SK_ERR_WRITE;
    if (!e && s->z)
        ahead(s, b->data, b->len, Z_NO_FLUSH);
    return e;
}

/* Records row r's cells in the worksheet's dimensions, as _check_dimensions does. */
static void dimensions(lxw_worksheet *ws, lxw_row_t r, const sk_rawcell *cells, int n, bool height)
{
    bool any = height;
    for (int c = 0; c < n; c++) {
        if (!cells[c].is_num && !(cells[c].text && *cells[c].text) && !cells[c].fmt)
            continue;
        any = true;
        if ((lxw_col_t)c < ws->dim_colmin)
            ws->dim_colmin = (lxw_col_t)c;
        if ((lxw_col_t)c > ws->dim_colmax)
            ws->dim_colmax = (lxw_col_t)c;
    }
    if (height && ws->dim_colmin == LXW_COL_MAX)
        ws->dim_colmin = 0; /* worksheet_set_row's column */
    if (any && r < ws->dim_rowmin)
        ws->dim_rowmin = r;
    if (any && r > ws->dim_rowmax)
        ws->dim_rowmax = r;
}

sk_error sk_rawrows_add(sk_rawrows *s, lxw_worksheet *ws, lxw_row_t r, double height, const sk_rawcell *cells,
                        int n)
{
    if (n < 0 || n > LXW_COL_MAX || (s->ws && s->ws != ws) || r >= LXW_ROW_MAX || r <= ws->optimize_row->row_num)
        return SK_ERR_WRITE;
    sk_error e = SK_OK;
    if (s->pending)
        e = emit(s); /* what _get_row does for a later row: the one before is written */
    else
        lxw_worksheet_write_single_row(ws);
    s->ws = ws;
    s->pending = false;
    if (e)
        return e;
    ws->optimize_row->row_num = r;
    if (height > 0 && height != ws->default_row_height)
        ws->optimize_row->height_changed = LXW_TRUE;
    dimensions(ws, r, cells, n, height > 0);
    if (n > s->cap) {
        sk_rawcell *cell = realloc(s->cell, (size_t)n * sizeof *cell);
        if (cell)
            s->cell = cell;
        size_t *off = realloc(s->off, (size_t)n * sizeof *off);
        if (off)
            s->off = off;
        int32_t *style = realloc(s->style, (size_t)n * sizeof *style);
        if (style)
            s->style = style;
        if (!cell || !off || !style)
            return SK_ERR_NOMEM;
        s->cap = n;
    }
    sk_buf_reset(&s->text);
    for (int c = 0; c < n; c++) {
        s->cell[c] = cells[c];
        s->off[c] = SIZE_MAX;
        if (cells[c].is_num || !cells[c].text)
            continue;
        s->off[c] = s->text.len;
        if ((e = sk_buf_append_len(&s->text, cells[c].text, strlen(cells[c].text) + 1)))
            return e;
    }
    s->row = r;
    s->height = height > 0 ? height : 0;
    s->n = n;
    s->pending = true;
    return SK_OK;
}

/* Ends the stream deflated ahead and hands it to sk_out_ahead, if the rows
 * it holds are all that went into the row file since the first. */
static void ahead_end(sk_rawrows *s)
{
    if (s->z && s->at >= 0 && s->zlen)
        ahead(s, "", 0, Z_SYNC_FLUSH); /* byte-aligned, no final block: more follows it */
    long now = s->z && s->at >= 0 ? ftell(s->ws->file) : -1;
    if (s->z && s->at >= 0 && s->zlen && now == s->at + (long)s->zlen && fflush(s->zout) == 0) {
        char entry[64];
        snprintf(entry, sizeof entry, "xl/worksheets/sheet%u.xml", (unsigned)s->ws->index + 1);
        if (sk_out_ahead(entry, (unsigned long long)s->at, s->zlen, s->crc, s->zout))
            s->zout = NULL; /* the close has it now */
    }
    ahead_off(s);
}

sk_error sk_rawrows_end(sk_rawrows *s)
{
    if (s->z)
        ahead_end(s);
    if (!s->pending)
        return SK_OK;
    s->pending = false;
    lxw_worksheet *ws = s->ws;
    lxw_error le = LXW_NO_ERROR;
    if (s->height > 0)
        le = worksheet_set_row(ws, s->row, s->height, NULL);
    for (int c = 0; c < s->n && !le; c++) {
        const sk_rawcell *cell = &s->cell[c];
        if (cell->is_num)
            le = worksheet_write_number(ws, s->row, (lxw_col_t)c, cell->num, cell->fmt);
        else
            le = worksheet_write_string(ws, s->row, (lxw_col_t)c, s->off[c] == SIZE_MAX ? "" : s->text.data + s->off[c],
                                        cell->fmt);
    }
    return le == LXW_NO_ERROR ? SK_OK : SK_ERR_WRITE;
}

void sk_rawrows_free(sk_rawrows *s)
{
    ahead_off(s);
    sk_buf_free(&s->text);
    sk_buf_free(&s->xml);
    free(s->cell);
    free(s->off);
    free(s->style);
    memset(s, 0, sizeof *s);
}
