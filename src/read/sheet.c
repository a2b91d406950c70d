/* sechk — streaming a worksheet: its cells and merged ranges. */
#include "book_impl.h"

#include "sechk/numfmt.h"

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
    sk_row_filter filter; /* the caller's, offered each row; NULL keeps all */
    void *ctx;
    size_t row_first;  /* the current row's first cell */
    size_t row_arena;  /* the arena's length when the current row started */
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
    sr->row_first = sr->s->n_cells;
    sr->row_arena = sr->s->arena_len;
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

/* Ends a <row>: offers its cells to the caller's filter, then gives back the
 * arena space of the row when none of its texts was kept.  The row's kept
 * cells are among the last n_row (the filter keeps the order); the earlier
 * cells' texts lie before row_arena. */
static sk_error end_row(sheet_reader *sr, sk_diag *d)
{
    sk_sheet *s = sr->s;
    if (!sr->filter)
        return SK_OK;
    size_t n_row = s->n_cells - sr->row_first;
    sk_error err = sr->filter(sr->b, s, sr->row_first, sr->ctx, d);
    if (err != SK_OK)
        return err;
    bool texts = false;
    for (size_t k = s->n_cells; k > 0 && n_row > 0 && !texts; k--, n_row--)
        texts = s->cells[k - 1].type != SK_CELL_SHARED && s->cells[k - 1].v >= sr->row_arena;
    if (!texts)
        s->arena_len = sr->row_arena;
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
                err = end_row(sr, d);
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
    return sk_book_read_sheet_filtered(b, i, NULL, NULL, out, d);
}

/* Streams worksheet i into a new sk_sheet, offering each row to keep. */
sk_error sk_book_read_sheet_filtered(sk_book *b, size_t i, sk_row_filter keep, void *ctx, sk_sheet **out,
                                     sk_diag *d)
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
    sr.filter = keep;
    sr.ctx = ctx;
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
