/* sechk — the checklist sheet renderer shared by template, fill and review. */
#include "sechk/render.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/ref.h"
#include "sechk/text.h"

enum { FONT_SIZE = 10 };
static const double LINE_HEIGHT = 13.0; /* points per line at FONT_SIZE */
static const double MAX_ROW_HEIGHT = 409.0; /* Excel's limit */

/* Column widths in Excel character units, by table column (lifecycle: each
 * of its sub-columns). */
static const double col_widths[SK_COL__COUNT] = {
    [SK_COL_NO] = 5,         [SK_COL_LIFECYCLE] = 5.5, [SK_COL_REQUIREMENT] = 44, [SK_COL_LEVEL] = 8,
    [SK_COL_PROVIDER] = 64,  [SK_COL_CONTRACTOR] = 64, [SK_COL_EVIDENCE] = 16,
};
static const double EXTRA_COL_WIDTH = 12;
static const double EXTRA2_COL_WIDTH = SK_RENDER_EXTRA2_WIDTH; /* review's 指摘: the short reasons */

/* Returns a new format with the sheet font. */
static lxw_format *base_format(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, SK_FONT_NAME);
    format_set_font_size(f, FONT_SIZE);
    return f;
}

/* Returns a new bordered, wrapping format. */
static lxw_format *boxed_format(lxw_workbook *wb)
{
    lxw_format *f = base_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

void sk_formats_init(lxw_workbook *wb, sk_formats *f)
{
    f->title = base_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);

    f->note = base_format(wb);
    format_set_text_wrap(f->note);
    format_set_align(f->note, LXW_ALIGN_VERTICAL_TOP);

    f->label = boxed_format(wb);
    format_set_bg_color(f->label, 0xDDEBF7);
    format_set_bold(f->label);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_CENTER);

    f->value = boxed_format(wb);
    format_set_align(f->value, LXW_ALIGN_VERTICAL_CENTER);

    f->header = boxed_format(wb);
    format_set_bg_color(f->header, 0xD9D9D9);
    format_set_bold(f->header);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);

    f->center = boxed_format(wb);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    format_set_align(f->center, LXW_ALIGN_VERTICAL_TOP);

    f->text = boxed_format(wb);
    /* the same format: libxlsxwriter keeps the style index in the first
     * object of a kind only, and hashes another again for every cell */
    f->answer = f->text;

    f->small = base_format(wb);
    format_set_text_wrap(f->small);
    format_set_align(f->small, LXW_ALIGN_RIGHT);
}

/* Display width of a code point in Excel character units at FONT_SIZE. */
static double cp_width(int32_t cp)
{
    if (cp < 0x80)
        return 1.0;
    if (cp >= 0xFF61 && cp <= 0xFF9F) /* half-width katakana */
        return 1.0;
    return 1.9;
}

double sk_text_height(const char *text, double col_width)
{
    double avail = col_width - 1.2;
    if (avail < 2)
        avail = 2;
    const unsigned char *u = (const unsigned char *)text;
    size_t len = strlen(text), pos = 0;
    int lines = 0;
    double w = 0;
    while (pos < len) {
        int32_t cp;
        unsigned c = u[pos];
        if (c < 0x80) {
            cp = (int32_t)c;
            pos++;
        } else if (c >= 0xE1 && c <= 0xEF && c != 0xED && pos + 2 < len && (u[pos + 1] & 0xC0) == 0x80 &&
                   (u[pos + 2] & 0xC0) == 0x80) {
            /* a three-byte sequence (most Japanese text) that sk_utf8_next
             * would accept: no overlong form or surrogate starts so */
            cp = (int32_t)(((c & 0x0Fu) << 12) | ((u[pos + 1] & 0x3Fu) << 6) | (u[pos + 2] & 0x3Fu));
            pos += 3;
        } else {
            cp = sk_utf8_next(text, len, &pos);
        }
        if (cp == '\n') {
            lines += w > 0 ? (int)ceil(w / avail) : 1;
            w = 0;
            continue;
        }
        w += cp_width(cp);
    }
    lines += w > 0 ? (int)ceil(w / avail) : 1;
    return lines * LINE_HEIGHT + 4;
}

/* True if s starts with an Excel escape "_xHHHH_". */
static bool is_xescape(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return false;
    for (int i = 2; i < 6; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return s[6] == '_';
}

/* Cell text as Excel stores it: a reader decodes "_xHHHH_" (ST_Xstring) and
 * libxlsxwriter writes text as is, so a literal "_xHHHH_" (typed by a user)
 * gets its '_' written as "_x005F_", as Excel does. Returns s, or a new
 * string in *owned (free it); NULL when out of memory. */
static const char *xstring(const char *s, char **owned)
{
    size_t n = 0, len = strlen(s);
    *owned = NULL;
    for (size_t i = 0; i < len; i++)
        n += is_xescape(s + i);
    if (!n)
        return s;
    char *out = malloc(len + 6 * n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (is_xescape(s + i)) {
            memcpy(o, "_x005F", 6);
            o += 6;
        }
        *o++ = s[i];
    }
    *o = '\0';
    return *owned = out;
}

/* Writes a string cell, mapping libxlsxwriter errors to a diagnostic. */
static sk_error put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f, sk_diag *d)
{
    char *owned;
    const char *t = xstring(s, &owned);
    if (!t)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    lxw_error e = worksheet_write_string(ws, r, c, t, f);
    free(owned);
    if (e == LXW_NO_ERROR)
        return SK_OK;
    char ref[16];
    sk_ref_format(r + 1, (uint32_t)c + 1, ref);
    sk_diag_where(d, "%s", ref);
    return sk_diag_set(d, SK_ERR_WRITE, "cannot write the cell: %s", lxw_strerror(e));
}


const lxw_color_t sk_status_fill[SK_STATUS__COUNT] = {
    [SK_STATUS_OK] = 0xC6EFCE,     [SK_STATUS_NONCONFORMING] = 0xFF9999, [SK_STATUS_DEFICIENT] = 0xFFC7CE,
    [SK_STATUS_REVIEW] = 0xFFEB9C, [SK_STATUS_UNANSWERED] = 0xFCE4D6,    [SK_STATUS_NOT_DUE] = 0xEDEDED,
};
const lxw_color_t sk_status_font[SK_STATUS__COUNT] = {
    [SK_STATUS_OK] = 0x006100,     [SK_STATUS_NONCONFORMING] = 0x7F0000, [SK_STATUS_DEFICIENT] = 0x9C0006,
    [SK_STATUS_REVIEW] = 0x9C5700, [SK_STATUS_UNANSWERED] = 0x833C0B,    [SK_STATUS_NOT_DUE] = 0x595959,
};

/* Merges a range and writes its text. */
static sk_error merge(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, const char *s,
                      lxw_format *f, sk_diag *d)
{
    if (r1 == r2 && c1 == c2)
        return put(ws, r1, c1, s, f, d);
    char *owned;
    const char *t = xstring(s, &owned);
    if (!t)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    lxw_error e = worksheet_merge_range(ws, r1, c1, r2, c2, t, f);
    free(owned);
    if (e != LXW_NO_ERROR)
        return sk_diag_set(d, SK_ERR_WRITE, "cannot merge cells: %s", lxw_strerror(e));
    return SK_OK;
}

sk_error sk_date_format_ja(const char *iso, char out[32])
{
    int y, m, dd;
    char tail;
    if (!iso || strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || iso[4] != '-' ||
        iso[7] != '-')
        return SK_ERR_USAGE;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1] || (m == 2 && dd == 29 && !leap))
        return SK_ERR_USAGE;
    snprintf(out, 32, "%d年%d月%d日", y % 10000, m % 100, dd % 100);
    return SK_OK;
}

sk_error sk_set_properties(lxw_workbook *wb, const char *title, const char *subject, const char *comments,
                           time_t created)
{
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    p.title = (char *)(uintptr_t)title;
    p.subject = (char *)(uintptr_t)subject;
    p.author = "sechk";
    p.company = "";
    p.category = "セキュリティチェックリスト";
    p.keywords = "sechk, セキュリティチェックリスト";
    p.comments = (char *)(uintptr_t)comments;
    p.created = created;
    return workbook_set_properties(wb, &p) == LXW_NO_ERROR ? SK_OK : SK_ERR_WRITE;
}

sk_error sk_sheet_fail(sk_diag *d, lxw_error e, const char *what)
{
    return sk_diag_set(d, SK_ERR_WRITE, "cannot write %s: %s", what, lxw_strerror(e));
}

sk_error sk_sheet_put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f, sk_diag *d)
{
    lxw_error e = worksheet_write_string(ws, r, c, s ? s : "", f);
    return e ? sk_sheet_fail(d, e, "a cell") : SK_OK;
}

sk_error sk_sheet_put_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f, sk_diag *d)
{
    lxw_error e = worksheet_write_number(ws, r, c, v, f);
    return e ? sk_sheet_fail(d, e, "a cell") : SK_OK;
}

/* The text an answer cell shows: blank, rendered from answers, or as read. */
static sk_error answer_text(const sk_render_opts *o, int item, sk_party p, const sk_cell_def *def, sk_buf *out)
{
    sk_buf_reset(out);
    if (def->absent)
        return sk_buf_append(out, def->text);
    const sk_answers *a = o->answers;
    if (!a)
        return sk_cell_render(def, NULL, NULL, out);
    const sk_cell_answers *ca = &a->items[item].cells[p];
    if (o->keep_altered && ca->raw && (ca->r.altered || ca->r.approximate))
        return sk_buf_append(out, ca->raw);
    return sk_cell_render(def, ca->r.state, (const char *const *)ca->r.values, out);
}

/* Writes the header block (rows 1–5). */
static sk_error write_head(lxw_worksheet *ws, const sk_formats *f, const sk_template *t, const sk_render_opts *o,
                           lxw_col_t last, sk_diag *d)
{
    sk_error e;
    const lxw_col_t c_req = 1 + (lxw_col_t)t->n_phases;      /* requirement column */
    const lxw_col_t c_level = c_req + 1;                     /* level */
    char buf[1024];

    worksheet_set_row(ws, 0, 30, NULL);
    if ((e = merge(ws, 0, 0, 0, last, t->title, f->title, d)))
        return e;
    sk_buf notes = SK_BUF_INIT;
    for (int i = 0; i < t->n_notes; i++)
        if (sk_buf_append(&notes, i ? "\n" : "") || sk_buf_append(&notes, t->notes[i]))
            return sk_buf_free(&notes), SK_ERR_NOMEM;
    e = merge(ws, 1, 0, 1, last, notes.data ? notes.data : "", f->note, d);
    sk_buf_free(&notes);
    if (e)
        return e;

    /* 事業名 and 利用する外部サービス on the left, 作成日 and 更新日 on the right */
    const char *service_label = t->fields[SK_DOC_SERVICE].label ? t->fields[SK_DOC_SERVICE].label : "";
    const char *project = o->project && *o->project ? o->project : "";
    const char *service = o->doc[SK_DOC_SERVICE] && *o->doc[SK_DOC_SERVICE] ? o->doc[SK_DOC_SERVICE] : "";
    worksheet_set_row(ws, 2, 20, NULL);
    worksheet_set_row(ws, 3, 20, NULL);
    if ((e = merge(ws, 2, 0, 2, c_req - 1, t->project_label.ja, f->label, d)) ||
        (e = merge(ws, 2, c_req, 2, c_level, project, f->value, d)) ||
        (e = merge(ws, 3, 0, 3, c_req - 1, service_label, f->label, d)) ||
        (e = merge(ws, 3, c_req, 3, c_level, service, f->value, d)))
        return e;
    const sk_doc_field dates[2] = {SK_DOC_CREATED, SK_DOC_UPDATED};
    for (int k = 0; k < 2; k++) {
        const sk_field_def *fd = &t->fields[dates[k]];
        if (!fd->label)
            continue;
        const char *v = o->doc[dates[k]] && *o->doc[dates[k]] ? o->doc[dates[k]] : fd->placeholder;
        snprintf(buf, sizeof buf, "%s：%s", fd->label, v);
        /* an extra column (review's 判定) is narrow: the date spans it and the one before */
        lxw_col_t c0 = o->hooks.extra_column ? last - 1 : last;
        if ((e = merge(ws, (lxw_row_t)(2 + k), c0, (lxw_row_t)(2 + k), last, buf, f->small, d)))
            return e;
    }
    if (t->instruction && *t->instruction) {
        double width = col_widths[SK_COL_NO] + t->n_phases * col_widths[SK_COL_LIFECYCLE];
        for (int k = SK_COL_REQUIREMENT; k < SK_COL__COUNT; k++)
            width += col_widths[k];
        worksheet_set_row(ws, 4, sk_text_height(t->instruction, width * 0.95), NULL);
        if ((e = merge(ws, 4, 0, 4, last, t->instruction, f->note, d)))
            return e;
    }
    return SK_OK;
}

/* Writes the two column-header rows (7–8). */
static sk_error write_columns(lxw_worksheet *ws, const sk_formats *f, const sk_template *t,
                              const sk_render_opts *o, sk_diag *d)
{
    const lxw_row_t r1 = SK_LAYOUT_HEADER_ROW - 1, r2 = r1 + 1;
    const lxw_col_t c_req = 1 + (lxw_col_t)t->n_phases;
    sk_error e;
    double h = 0;
    for (int k = SK_COL_REQUIREMENT; k < SK_COL__COUNT; k++) {
        double hk = sk_text_height(t->columns[k].label, col_widths[k]);
        if (hk > h)
            h = hk;
    }
    double h2 = 0;
    for (int p = 0; p < t->n_phases; p++) {
        double hp = sk_text_height(t->phases[p].label, col_widths[SK_COL_LIFECYCLE]);
        if (hp > h2)
            h2 = hp;
    }
    if (h < h2 + 20)
        h = h2 + 20;
    worksheet_set_row(ws, r1, h - h2, NULL);
    worksheet_set_row(ws, r2, h2, NULL);
    if ((e = merge(ws, r1, 0, r2, 0, t->columns[SK_COL_NO].label, f->header, d)) ||
        (e = merge(ws, r1, 1, r1, c_req - 1, t->columns[SK_COL_LIFECYCLE].label, f->header, d)))
        return e;
    for (int p = 0; p < t->n_phases; p++)
        if ((e = put(ws, r2, (lxw_col_t)(1 + p), t->phases[p].label, f->header, d)))
            return e;
    for (int k = SK_COL_REQUIREMENT; k < SK_COL__COUNT; k++) {
        lxw_col_t c = c_req + (lxw_col_t)(k - SK_COL_REQUIREMENT);
        if ((e = merge(ws, r1, c, r2, c, t->columns[k].label, f->header, d)))
            return e;
    }
    if (o->hooks.extra_column) {
        lxw_col_t c = c_req + (lxw_col_t)(SK_COL__COUNT - SK_COL_REQUIREMENT);
        if ((e = merge(ws, r1, c, r2, c, o->hooks.extra_column, f->header, d)))
            return e;
        if (o->hooks.extra_column2 && (e = merge(ws, r1, c + 1, r2, c + 1, o->hooks.extra_column2, f->header, d)))
            return e;
    }
    return SK_OK;
}

/* Sets the widths of the table's columns and of the extra columns. */
static void set_columns(lxw_worksheet *ws, const sk_render_opts *o, lxw_col_t c_req, lxw_col_t last_table,
                        lxw_col_t last)
{
    worksheet_set_column(ws, 0, 0, col_widths[SK_COL_NO], NULL);
    worksheet_set_column(ws, 1, c_req - 1, col_widths[SK_COL_LIFECYCLE], NULL);
    for (int k = SK_COL_REQUIREMENT; k < SK_COL__COUNT; k++) {
        lxw_col_t c = c_req + (lxw_col_t)(k - SK_COL_REQUIREMENT);
        worksheet_set_column(ws, c, c, col_widths[k], NULL);
    }
    if (o->hooks.extra_column)
        worksheet_set_column(ws, last_table + 1, last_table + 1, EXTRA_COL_WIDTH, NULL);
    if (o->hooks.extra_column && o->hooks.extra_column2)
        worksheet_set_column(ws, last, last, EXTRA2_COL_WIDTH, NULL);
}

/* Writes item i's row; cell[] holds its answer texts, computed here. */
static sk_error write_item(lxw_worksheet *ws, const sk_formats *f, const sk_template *t, const sk_render_opts *o,
                           int i, sk_buf cell[SK_PARTY__COUNT], sk_diag *d)
{
    const sk_item *it = &t->items[i];
    const lxw_col_t c_req = 1 + (lxw_col_t)t->n_phases;
    lxw_row_t r = (lxw_row_t)(SK_LAYOUT_FIRST_ITEM_ROW - 1 + i);
    sk_error e;
    double h = sk_text_height(it->requirement, col_widths[SK_COL_REQUIREMENT]);
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        if ((e = answer_text(o, i, (sk_party)p, &it->cells[p], &cell[p])))
            return e;
        double hp = sk_text_height(cell[p].data, col_widths[SK_COL_PROVIDER + p]);
        if (hp > h)
            h = hp;
    }
    if (o->hooks.row_height) {
        double hx = o->hooks.row_height(o->hooks.ctx, i);
        if (hx > h)
            h = hx;
    }
    worksheet_set_row(ws, r, h > MAX_ROW_HEIGHT ? MAX_ROW_HEIGHT : h, NULL);
    if (worksheet_write_number(ws, r, 0, it->no, f->center) != LXW_NO_ERROR)
        return sk_diag_set(d, SK_ERR_WRITE, "cannot write item %d", it->no);
    for (int p = 0; p < t->n_phases; p++) {
        const char *mark = it->lifecycle == SK_LIFECYCLE_ALL ? "－" : it->lifecycle == p ? "〇" : "";
        if ((e = put(ws, r, (lxw_col_t)(1 + p), mark, f->center, d)))
            return e;
    }
    if ((e = put(ws, r, c_req, it->requirement, f->text, d)) ||
        (e = put(ws, r, c_req + 1, t->level_labels[it->level], f->center, d)))
        return e;
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        lxw_format *af = o->hooks.answer_format ? o->hooks.answer_format(o->hooks.ctx, i, (sk_party)p) : NULL;
        const sk_cell_def *def = &it->cells[p];
        if ((e = put(ws, r, c_req + 2 + (lxw_col_t)p, cell[p].data, af ? af : def->absent ? f->center : f->answer,
                     d)))
            return e;
    }
    if ((e = put(ws, r, c_req + 4, it->evidence ? "〇" : "", f->center, d)))
        return e;
    if (o->hooks.after_item && (e = o->hooks.after_item(o->hooks.ctx, ws, i, r)))
        return e;
    return SK_OK;
}

sk_error sk_render_checklist(lxw_workbook *wb, const sk_formats *f, const sk_template *t,
                             const sk_render_opts *o, lxw_worksheet **out, sk_diag *d)
{
    const char *name = o->sheet_name ? o->sheet_name : sk_render_sheet_name(t);
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        return sk_diag_set(d, SK_ERR_WRITE, "invalid sheet name \"%s\"", name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return sk_diag_set(d, SK_ERR_NOMEM, "cannot add a worksheet");
    if (out)
        *out = ws;

    const lxw_col_t c_req = 1 + (lxw_col_t)t->n_phases;
    const lxw_col_t last_table = c_req + (lxw_col_t)(SK_COL__COUNT - SK_COL_REQUIREMENT) - 1;
    const lxw_col_t last = last_table + (o->hooks.extra_column ? 1 : 0) + (o->hooks.extra_column2 ? 1 : 0);
    set_columns(ws, o, c_req, last_table, last);

    sk_error e;
    if ((e = write_head(ws, f, t, o, last, d)) || (e = write_columns(ws, f, t, o, d)))
        return e;

    /* the answer texts' buffers, reused from item to item */
    sk_buf cell[SK_PARTY__COUNT] = {SK_BUF_INIT, SK_BUF_INIT};
    for (int i = 0; i < t->n_items && !e; i++)
        e = write_item(ws, f, t, o, i, cell, d);
    sk_buf_free(&cell[0]);
    sk_buf_free(&cell[1]);
    if (e)
        return e;

    worksheet_freeze_panes(ws, SK_LAYOUT_FIRST_ITEM_ROW - 1, 0);
    sk_page_setup(ws, o->paper, true, o->file);
    worksheet_repeat_rows(ws, SK_LAYOUT_HEADER_ROW - 1, SK_LAYOUT_HEADER_ROW);
    worksheet_print_area(ws, 0, 0, (lxw_row_t)(SK_LAYOUT_FIRST_ITEM_ROW - 2 + t->n_items), last);
    return SK_OK;
}

const char *sk_render_sheet_name(const sk_template *t)
{
    /* Excel: at most 31 characters, none of []:*?/\ */
    const char *s = t && t->title ? t->title : "";
    size_t chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (!*s || chars > 31 || strpbrk(s, "[]:*?/\\") || s[0] == '\'')
        return "チェックリスト";
    return s;
}

/* Escapes & for a page header ("&&"), at most n-1 bytes, never cutting a
 * UTF-8 sequence. */
static void header_escape(char *out, size_t n, const char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char b = (unsigned char)s[i];
        size_t cl = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (o + cl + 2 >= n)
            break;
        if (s[i] == '&')
            out[o++] = '&';
        for (size_t k = 0; k < cl && s[i + k]; k++)
            out[o++] = s[i + k];
        i += cl - 1;
    }
    out[o] = '\0';
}

void sk_page_setup(lxw_worksheet *ws, int paper, bool landscape, const char *file)
{
    enum { PAPER_A3 = 8, PAPER_A4 = 9 }; /* Excel's paper codes */
    worksheet_set_paper(ws, paper == SK_PAPER_A4 ? PAPER_A4 : PAPER_A3);
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    char h[200], head[260];
    header_escape(h, sizeof h, file ? file : "");
    /* &F: the workbook's own name when no file is given */
    snprintf(head, sizeof head, "&L&8%s&R&8&A", file && *file ? h : "&F");
    worksheet_set_header(ws, head);
    worksheet_set_footer(ws, "&C&P / &N");
}

bool sk_paper_parse(const char *s, int *paper)
{
    if (!s)
        return false;
    if (strcmp(s, "a3") == 0 || strcmp(s, "A3") == 0)
        *paper = SK_PAPER_A3;
    else if (strcmp(s, "a4") == 0 || strcmp(s, "A4") == 0)
        *paper = SK_PAPER_A4;
    else
        return false;
    return true;
}

sk_error sk_render_blank(lxw_workbook *wb, void *ctx, sk_diag *d)
{
    const sk_blank *job = ctx;
    sk_formats f;
    sk_formats_init(wb, &f);
    sk_render_opts o = {.project = job->project, .paper = job->paper};
    o.doc[SK_DOC_SERVICE] = job->service;
    o.doc[SK_DOC_CREATED] = job->date_ja;
    o.doc[SK_DOC_UPDATED] = job->date_ja;
    sk_error e = sk_render_checklist(wb, &f, job->t, &o, NULL, d);
    if (e)
        return e;
    char subject[512];
    snprintf(subject, sizeof subject, "%s%s%s", job->project ? job->project : "",
             job->project && job->service ? " / " : "", job->service ? job->service : "");
    char comments[256];
    snprintf(comments, sizeof comments, "sechk template %s %s", job->t->id, job->t->version);
    return sk_set_properties(wb, job->t->title, subject, comments, job->created);
}
