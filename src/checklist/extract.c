/* sechk — locating the checklist in a workbook and reading its answers. */
#include "sechk/extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sechk/align.h"
#include "sechk/diff.h"
#include "sechk/numfmt.h"
#include "sechk/overlay.h"
#include "sechk/symfont.h"
#include "sechk/text.h"
#include "sechk/validate.h"

/* Sheets with more cells than this are read with filters, so that memory
 * stays flat on huge sheets: over the cells (sheet_filter: only the rows the
 * locator and the answers need are kept) and over the shared strings (the
 * locating pass keeps label-like short strings and the strings of the first
 * PREFIX_CELLS cells, up to PREFIX_BYTES, where a checklist usually is; the
 * answer pass, for the answer cells' strings, is needed only when the
 * checklist lies further down). */
enum { SMALL_SHEET_CELLS = 50000, SHORT_STRING = 512, MAX_LABEL_TEXT = 4096 };
enum { PREFIX_CELLS = 5000, PREFIX_BYTES = 8 << 20 };

/* A label is recognised from the start of a string: the locating pass
 * squeezes at most this many bytes of it (whole strings below). */
enum { LABEL_HEAD = 256 };


/* Checkbox characters allowed in one answer cell.  The template's cells have
 * at most a dozen boxes; each marker the template lacks becomes an option
 * entry and a finding, so a 1 MB cell of ■ (shared by all 72 answer cells)
 * would make gigabytes of findings and JSON. */
enum { MAX_CELL_MARKERS = 256 };

/* Where the checklist is on one sheet. */
typedef struct location {
    uint32_t header_row;
    uint32_t col[SK_COL__COUNT]; /* 1-based; 0 if not found */
    uint32_t *item_row;          /* [n_items]; 0 if not found */
} location;

/* The template's column labels, squeezed, for matching. */
typedef struct matchers {
    sk_buf col[SK_COL__COUNT];
    sk_buf field[SK_DOC__COUNT];
    sk_buf project; /* the project row's label (the template's <project>) */
} matchers;

/* The shared strings a sheet's reading keeps: the reader's keep policy
 * (sk_keep: the marked cells' strings, the first cells' whole), and, for the
 * locating pass over a huge sheet, the labels a string must look like to be
 * kept (so memory stays flat however many rows the sheet has).  Of the
 * strings no cell read so far names (a sheet still being read), the locating
 * pass keeps the label-like ones that can be an item number or the No.
 * header (SK_KEEP_TESTED: all the locator reads below a header row it has
 * found) or, in a pass of their own, every label-like one
 * (SK_KEEP_UNMARKED). */
typedef struct wanted {
    sk_keep keep;
    const matchers *labels; /* the template's labels, squeezed */
    size_t label_max;       /* the longest label, squeezed */
    uint32_t first[32];     /* the code points a label can start with */
    int n_first;
    sk_buf scratch;
} wanted;

static bool is_no_label(const char *s, const char *match);

/* True if a squeezed string can matter to the locator: a column header, a
 * header-block label, or an item number written as text. */
static bool looks_like_label(const matchers *m, const char *s, size_t len)
{
    if (len > 0 && len <= 3) {
        bool digits = true;
        for (size_t i = 0; i < len; i++)
            digits &= s[i] >= '0' && s[i] <= '9';
        if (digits)
            return true;
    }
    for (int k = 0; k < SK_COL__COUNT; k++)
        if (m->col[k].len && (strncmp(s, m->col[k].data, m->col[k].len) == 0 ||
                              (k == SK_COL_NO && is_no_label(s, m->col[k].data))))
            return true;
    for (int k = 0; k < SK_DOC__COUNT; k++)
        if (m->field[k].len && strncmp(s, m->field[k].data, m->field[k].len) == 0)
            return true;
    return m->project.len && strncmp(s, m->project.data, m->project.len) == 0;
}

/* True if the first character of text that is not a space, folded, can
 * start a label (most strings are ruled out without being squeezed). */
static bool may_start_label(const wanted *w, const char *text, size_t len)
{
    size_t pos = 0;
    if (w->n_first < 0)
        return true;
    while (pos < len) {
        int32_t cp = sk_utf8_next(text, len, &pos);
        if (cp < 0)
            return true; /* let the full test decide */
        if (sk_is_space((uint32_t)cp))
            continue;
        uint32_t f = sk_fold_cp((uint32_t)cp);
        if (f >= '0' && f <= '9')
            return true;
        for (int k = 0; k < w->n_first; k++)
            if (w->first[k] == f)
                return true;
        return false;
    }
    return false;
}

/* Notes a squeezed label looks_like_label compares with: its length for
 * w->label_max, its first code point for w->first (n_first -1 when they do
 * not fit: then no string is ruled out by its first character). */
static void learn_label(wanted *w, const char *label, size_t len)
{
    size_t pos = 0;
    int32_t cp = label && len ? sk_utf8_next(label, len, &pos) : -1;
    if (cp < 0)
        return;
    if (len > w->label_max)
        w->label_max = len;
    if (w->n_first < 0)
        return;
    for (int k = 0; k < w->n_first; k++)
        if (w->first[k] == (uint32_t)cp)
            return;
    if (w->n_first >= (int)(sizeof w->first / sizeof w->first[0]))
        w->n_first = -1;
    else
        w->first[w->n_first++] = (uint32_t)cp;
}

/* Learns every label looks_like_label compares with (digits aside). */
static void learn_labels(wanted *w, const matchers *m)
{
    static const char *const extra[] = {"N", "n", "\u2116"};
    w->label_max = 0;
    w->n_first = 0;
    for (int k = 0; k < SK_COL__COUNT; k++)
        learn_label(w, m->col[k].data, m->col[k].len);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        learn_label(w, m->field[k].data, m->field[k].len);
    learn_label(w, m->project.data, m->project.len);
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
        learn_label(w, extra[k], strlen(extra[k]));
}

/* True if a string can matter to the locator (looks_like_label), squeezed
 * into w->scratch as far as needed. */
static bool label_like(wanted *w, const char *text, size_t len)
{
    if (len > SHORT_STRING || !may_start_label(w, text, len))
        return false;
    /* squeeze the head only: labels are matched at the start */
    size_t head = len, most = w->label_max * 2 + 32 < LABEL_HEAD ? w->label_max * 2 + 32 : LABEL_HEAD;
    if (head > most) {
        head = most;
        while (head > 0 && ((unsigned char)text[head] & 0xC0) == 0x80)
            head--;
    }
    sk_buf_reset(&w->scratch);
    if (sk_text_squeeze(text, head, &w->scratch) != SK_OK)
        return false;
    if (head < len && w->scratch.len <= w->label_max) { /* mostly spaces: the whole string decides */
        sk_buf_reset(&w->scratch);
        if (sk_text_squeeze(text, len, &w->scratch) != SK_OK)
            return false;
    }
    return looks_like_label(w->labels, w->scratch.data, w->scratch.len);
}

/* True if a label-like squeezed string can be an item number (at most three
 * digits: longer ones are no label) or the No. header. */
static bool item_like(const wanted *w, const char *s, size_t len)
{
    bool digits = len > 0 && len <= 3;
    for (size_t i = 0; i < len && digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    const sk_buf *no = &w->labels->col[SK_COL_NO];
    return digits || (no->len && is_no_label(s, no->data));
}

/* The locating pass's test (an sk_keep_test): label-like strings, of the
 * strings no cell read so far names only those that can be an item number or
 * the No. header when the pass keeps them beside the marked ones. */
static bool keep_label(const char *text, size_t len, bool marked, void *ctx)
{
    wanted *w = ctx;
    if (!label_like(w, text, len))
        return false;
    return marked || w->keep.scope != SK_KEEP_TESTED || item_like(w, w->scratch.data, w->scratch.len);
}

/* The text of a cell for the locator, or NULL if it has none the locating
 * pass kept: a string it left out is by design no label (the answers and the
 * header block read theirs with sk_cell_text_load, never as a blank). */
static const char *text_of(const sk_book *b, const sk_sheet *s, const sk_cell *c, size_t *len)
{
    if (!c)
        return NULL;
    return sk_cell_text(b, s, c, len);
}

/* Squeezes a cell's text into buf (reset first); false if no usable text. */
static bool squeeze_cell(const sk_book *b, const sk_sheet *s, const sk_cell *c, sk_buf *buf)
{
    size_t len;
    const char *t = text_of(b, s, c, &len);
    sk_buf_reset(buf);
    if (!t || len > MAX_LABEL_TEXT)
        return false;
    return sk_text_squeeze(t, len, buf) == SK_OK && buf->len > 0;
}

/* True if a starts with prefix b. */
static bool starts_with(const char *a, const char *b)
{
    return strncmp(a, b, strlen(b)) == 0;
}

/* True if the squeezed text is the No. header ("No.", "No", "NO.", "№"). */
static bool is_no_label(const char *s, const char *match)
{
    if (strcmp(s, match) == 0 || strcmp(s, "\u2116") == 0)
        return true;
    return (s[0] == 'N' || s[0] == 'n') && (s[1] == 'O' || s[1] == 'o') && (s[2] == '\0' || strcmp(s + 2, ".") == 0);
}

/* Parses an item number from a cell: a number cell, or text of digits. */
static int item_number(const sk_book *b, const sk_sheet *s, const sk_cell *c, sk_buf *buf)
{
    if (c->type == SK_CELL_NUMBER) {
        size_t len;
        const char *t = text_of(b, s, c, &len);
        if (!t)
            return -1;
        char *end;
        errno = 0;
        double v = strtod(t, &end);
        if (errno || end == t || v < 1 || v > SK_MAX_ITEMS || v != (double)(int)v)
            return -1;
        return (int)v;
    }
    if (!squeeze_cell(b, s, c, buf) || buf->len > 8)
        return -1;
    int v = 0;
    for (const char *p = buf->data; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= SK_MAX_ITEMS ? v : -1;
}


static void matchers_free(matchers *m)
{
    for (int k = 0; k < SK_COL__COUNT; k++)
        sk_buf_free(&m->col[k]);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        sk_buf_free(&m->field[k]);
    sk_buf_free(&m->project);
}

static sk_error matchers_init(matchers *m, const sk_template *t)
{
    memset(m, 0, sizeof *m);
    for (int k = 0; k < SK_COL__COUNT; k++)
        if (sk_text_squeeze(t->columns[k].match, strlen(t->columns[k].match), &m->col[k]))
            return SK_ERR_NOMEM;
    for (int k = 0; k < SK_DOC__COUNT; k++)
        if (t->fields[k].label && sk_text_squeeze(t->fields[k].label, strlen(t->fields[k].label), &m->field[k]))
            return SK_ERR_NOMEM;
    if (sk_text_squeeze(t->project_label.ja, strlen(t->project_label.ja), &m->project))
        return SK_ERR_NOMEM;
    return SK_OK;
}

/* Matches the cells s->cells[i..j) of one row with the column labels; true
 * (with the columns in col) if the row is the header row. */
static bool header_in_row(const sk_book *b, const sk_sheet *s, const matchers *m, size_t i, size_t j,
                          uint32_t col[SK_COL__COUNT], sk_buf *buf)
{
    memset(col, 0, SK_COL__COUNT * sizeof *col);
    for (; i < j; i++) {
        if (!squeeze_cell(b, s, &s->cells[i], buf))
            continue;
        for (int k = 0; k < SK_COL__COUNT; k++) {
            if (col[k])
                continue;
            bool hit = k == SK_COL_NO ? is_no_label(buf->data, m->col[k].data) : starts_with(buf->data, m->col[k].data);
            if (hit) {
                col[k] = s->cells[i].col;
                break;
            }
        }
    }
    return col[SK_COL_REQUIREMENT] && col[SK_COL_PROVIDER] && col[SK_COL_CONTRACTOR];
}

/* The end of the row that starts at cell i. */
static size_t row_end(const sk_sheet *s, size_t i)
{
    size_t j = i;
    while (j < s->n_cells && s->cells[j].row == s->cells[i].row)
        j++;
    return j;
}

/* Finds the header row and the columns; false if the sheet has none. */
static bool find_header(const sk_book *b, const sk_sheet *s, const matchers *m, location *loc, sk_buf *buf)
{
    for (size_t i = 0, j; i < s->n_cells; i = j) {
        uint32_t col[SK_COL__COUNT];
        j = row_end(s, i);
        if (header_in_row(b, s, m, i, j, col, buf)) {
            loc->header_row = s->cells[i].row;
            memcpy(loc->col, col, sizeof col);
            return true;
        }
    }
    return false;
}

/* Looks for the No. header in the rows next to the header row (a merged
 * two-row header keeps it in either). */
static void find_no_column(const sk_book *b, const sk_sheet *s, const matchers *m, location *loc, sk_buf *buf)
{
    for (int dr = -1; dr <= 1 && !loc->col[SK_COL_NO]; dr += 2) {
        uint32_t row = loc->header_row + (uint32_t)dr;
        if (row == 0)
            continue;
        for (uint32_t c = 1; c < loc->col[SK_COL_REQUIREMENT]; c++) {
            const sk_cell *cell = sk_sheet_cell(s, row, c);
            if (cell && squeeze_cell(b, s, cell, buf) && is_no_label(buf->data, m->col[SK_COL_NO].data)) {
                loc->col[SK_COL_NO] = c;
                break;
            }
        }
    }
}

/* Finds each item's row: the first row below the header whose No. cell holds
 * the item's number. Returns how many were found. */
static int find_items(const sk_book *b, const sk_sheet *s, const sk_template *t, location *loc, sk_buf *buf)
{
    int found = 0;
    for (size_t i = 0; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        if (c->row <= loc->header_row || c->col != loc->col[SK_COL_NO])
            continue;
        int no = item_number(b, s, c, buf);
        if (no < 0)
            continue;
        const sk_item *it = sk_template_item(t, no);
        if (!it)
            continue;
        size_t k = (size_t)(it - t->items);
        if (!loc->item_row[k]) {
            loc->item_row[k] = c->row;
            found++;
        }
    }
    return found;
}

/* Marks the answer cells' strings and the header block's as wanted. */
static void want_answers(const sk_sheet *s, const sk_template *t, const location *loc, wanted *w)
{
    for (int i = 0; i < t->n_items; i++) {
        if (!loc->item_row[i])
            continue;
        sk_keep_mark(&w->keep, sk_sheet_cell(s, loc->item_row[i], loc->col[SK_COL_PROVIDER]));
        sk_keep_mark(&w->keep, sk_sheet_cell(s, loc->item_row[i], loc->col[SK_COL_CONTRACTOR]));
    }
    for (size_t i = 0; i < s->n_cells && s->cells[i].row < loc->header_row; i++)
        sk_keep_mark(&w->keep, &s->cells[i]);
}


/* The format a date cell is shown with when its style has no date format
 * (a t="d" cell, or a bare serial number beside 作成日). */
#define PLAIN_DATE_FORMAT "yyyy\"年\"m\"月\"d\"日\""

/* What a header-block cell shows.  A number cell with a date format (and a
 * t="d" cell) is shown through the format, which may hold the label itself
 * ("作成日："yyyy"年"m"月"d"日"); if as_date, a bare number is taken for a
 * date too.  *date receives the date of a date cell ({0} otherwise);
 * *text points into out or at the cell's text. */
static sk_error shown_text(sk_book *b, const sk_sheet *s, const sk_cell *c, bool as_date, sk_buf *out,
                           const char **text, size_t *len, sk_date *date, sk_diag *d)
{
    *date = (sk_date){0, 0, 0};
    sk_error e = sk_cell_text_load(b, s, c, text, len, d);
    if (e || !*text || (c->type != SK_CELL_NUMBER && c->type != SK_CELL_DATE))
        return e;
    const char *code = NULL;
    if ((e = sk_book_date_format(b, c->style, &code, d)))
        return e;
    if (!code && (c->type == SK_CELL_DATE || as_date))
        code = PLAIN_DATE_FORMAT;
    if (!code)
        return SK_OK;
    char *end;
    errno = 0;
    double v = strtod(*text, &end);
    if (errno || end == *text || !sk_serial_to_date(v, sk_book_date1904(b), date)) {
        *date = (sk_date){0, 0, 0};
        return SK_OK;
    }
    sk_buf_reset(out);
    if ((e = sk_numfmt_render(code, v, sk_book_date1904(b), out)) != SK_OK) {
        *date = (sk_date){0, 0, 0};
        return e == SK_ERR_NOMEM ? e : SK_OK;
    }
    *text = out->data ? out->data : "";
    *len = out->len;
    return SK_OK;
}

/* Writes a date as "YYYY-MM-DD" (dst: 11 bytes); from a text date (西暦 or
 * 和暦, full-width digits) when the cell was no date cell; "" if neither
 * gives a full date. */
static void iso_date(const sk_date *cell_date, const char *text, char dst[11])
{
    sk_ym ym = {0, 0, 0};
    int y = cell_date->year, m = cell_date->month, dd = cell_date->day;
    if (!y && text && sk_doc_date_parse(text, &ym) && ym.day) {
        y = ym.year;
        m = ym.month;
        dd = ym.day;
    }
    dst[0] = '\0';
    if (y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31)
        snprintf(dst, 11, "%04d-%02d-%02d", y, m, dd);
}

/* Skips the label (compared squeezed) at the start of text; returns the rest
 * after an optional colon, trimmed, or NULL if text does not start with it. */
static const char *after_label(const char *text, size_t len, const char *label, size_t *rest_len)
{
    size_t pos = 0, li = 0, llen = strlen(label);
    while (li < llen && pos < len) {
        size_t p = pos;
        int32_t cp = sk_utf8_next(text, len, &p);
        if (cp >= 0 && sk_is_space((uint32_t)cp)) {
            pos = p;
            continue;
        }
        char enc[4];
        size_t n = cp >= 0 ? sk_utf8_encode(sk_fold_cp((uint32_t)cp), enc) : 0;
        if (n == 0 || li + n > llen || memcmp(label + li, enc, n) != 0)
            return NULL;
        li += n;
        pos = p;
    }
    if (li < llen)
        return NULL;
    size_t rl = len - pos;
    const char *r = sk_text_trim(text + pos, &rl);
    if (rl >= 3 && memcmp(r, "\xEF\xBC\x9A", 3) == 0) { /* ： */
        r += 3;
        rl -= 3;
    } else if (rl >= 1 && *r == ':') {
        r++;
        rl--;
    }
    r = sk_text_trim(r, &rl);
    *rest_len = rl;
    return r;
}

/* True if a squeezed text starts with one of the header-block labels. */
static bool is_field_label(const matchers *m, const char *squeezed)
{
    for (int k = 0; k < SK_DOC__COUNT; k++)
        if (m->field[k].len && starts_with(squeezed, m->field[k].data))
            return true;
    return squeezed[0] && m->project.len && strcmp(squeezed, m->project.data) == 0;
}

/* Finds the value of header-block field k whose label stands alone in cell
 * i: the next non-empty cell to the right, unless that is another label.
 * Returns the value (in v) and its date, or NULL. */
static sk_error value_beside(sk_book *b, const sk_sheet *s, const matchers *m, size_t i, int k, sk_buf *v,
                             sk_date *date, const char **value, sk_buf *buf, sk_diag *d)
{
    const sk_cell *c = &s->cells[i];
    *value = NULL;
    for (size_t j = i + 1; j < s->n_cells && s->cells[j].row == c->row; j++) {
        const sk_cell *vc = &s->cells[j];
        size_t vl;
        const char *vt;
        sk_buf shown = SK_BUF_INIT;
        sk_error e = shown_text(b, s, vc, k != SK_DOC_SERVICE, &shown, &vt, &vl, date, d);
        if (!e && vt) {
            vt = sk_text_trim(vt, &vl);
            if (vl > 0 && !(squeeze_cell(b, s, vc, buf) && is_field_label(m, buf->data)))
                e = sk_buf_append_len(v, vt, vl) == SK_OK ? SK_OK : SK_ERR_NOMEM;
            if (!e && vl > 0)
                *value = v->data ? v->data : NULL;
        }
        sk_buf_free(&shown);
        if (e || (vt && vl > 0))
            return e;
    }
    return SK_OK;
}

/* True if value is the template's placeholder of field k (20XX年〇月〇日). */
static bool is_placeholder_value(const sk_template *t, int k, const char *value)
{
    if (!t->fields[k].placeholder[0])
        return false;
    sk_buf ph = SK_BUF_INIT, val = SK_BUF_INIT;
    bool same = sk_text_squeeze(t->fields[k].placeholder, strlen(t->fields[k].placeholder), &ph) == SK_OK &&
                sk_text_squeeze(value, strlen(value), &val) == SK_OK && strcmp(ph.data, val.data) == 0;
    sk_buf_free(&ph);
    sk_buf_free(&val);
    return same;
}

/* Reads 作成日, 更新日 and 利用する外部サービス from the rows above the table:
 * the label and the value in one cell ("作成日：2026年4月1日", typed, or shown
 * by a date cell's number format), or the value in the next cell. */
static sk_error read_doc_fields(sk_book *b, const sk_sheet *s, const sk_template *t, const matchers *m,
                                const location *loc, sk_answers *a, sk_buf *buf, sk_diag *d)
{
    sk_buf shown = SK_BUF_INIT;
    sk_error e = SK_OK;
    for (size_t i = 0; i < s->n_cells && s->cells[i].row < loc->header_row && !e; i++) {
        const sk_cell *c = &s->cells[i];
        size_t len;
        const char *text;
        sk_date date;
        if ((e = shown_text(b, s, c, false, &shown, &text, &len, &date, d)) != SK_OK)
            break;
        if (!text || len > MAX_LABEL_TEXT)
            continue;
        for (int k = 0; k < SK_DOC__COUNT; k++) {
            if (!m->field[k].len || a->doc[k][0])
                continue;
            size_t rl;
            const char *rest = after_label(text, len, m->field[k].data, &rl);
            if (!rest)
                continue;
            const char *value = NULL;
            sk_buf v = SK_BUF_INIT;
            if (rl == 0)
                e = value_beside(b, s, m, i, k, &v, &date, &value, buf, d);
            else if (sk_buf_append_len(&v, rest, rl) == SK_OK)
                value = v.data;
            else
                e = SK_ERR_NOMEM;
            if (value && is_placeholder_value(t, k, value))
                value = NULL;
            if (!e && value && (e = sk_answers_set_str(&a->doc[k], value)) == SK_OK && k != SK_DOC_SERVICE)
                iso_date(&date, value, a->doc_date[k == SK_DOC_CREATED ? 0 : 1]);
            sk_buf_free(&v);
            break;
        }
    }
    sk_buf_free(&shown);
    return e;
}

/* Aligns one answer cell of the sheet with its template cell. */
/* Maps the check-box glyphs of a cell whose own font (its style's) is a
 * symbol font: the text of a cell in Wingdings reads n as ■.  Runs with their
 * own font were mapped when the string was read.  *text is replaced by the
 * mapped text in buf when the cell is in a symbol font. */
static sk_error cell_font_glyphs(sk_book *b, const sk_cell *c, const char **text, size_t *len, sk_buf *buf,
                                 sk_diag *d)
{
    /* the glyph codes are ASCII, Latin-1 (C2/C3 lead bytes) or U+F0xx (EF 80..83):
     * looked for byte by byte, as most cells hold none */
    bool candidate = false;
    const unsigned char *u = (const unsigned char *)*text;
    for (size_t i = 0; i < *len && !candidate; i++) {
        if (u[i] < 0x80)
            candidate = sk_symfont_candidate(u[i]);
        else if ((u[i] == 0xC2 || u[i] == 0xC3) && i + 1 < *len)
            candidate = sk_symfont_candidate(((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu));
        else if (u[i] == 0xEF && i + 2 < *len && u[i + 1] >= 0x80 && u[i + 1] <= 0x83)
            candidate = sk_symfont_candidate(0xF000u | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu));
    }
    sk_symfont font = SK_SYMFONT_NONE;
    /* rich text names its runs' fonts: those were mapped when it was read */
    sk_error e = candidate && !sk_cell_rich(b, c) ? sk_book_cell_font(b, c->style, &font, d) : SK_OK;
    if (e || font == SK_SYMFONT_NONE)
        return e;
    if (sk_symfont_map(font, *text, *len, buf) != SK_OK)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    *text = buf->data ? buf->data : "";
    *len = buf->len;
    return SK_OK;
}

static sk_error parse_text(const sk_cell_def *def, sk_align_prep *prep, const char *text, size_t len, sk_cell_answers *ca,
                           sk_diag *d);

static sk_error parse_cell(sk_book *b, const sk_sheet *s, const sk_cell_def *def, sk_align_prep *prep, uint32_t row,
                           uint32_t col, sk_cell_answers *ca, sk_diag *d)
{
    sk_ref_format(row, col, ca->ref);
    if (def->absent)
        return SK_OK;
    size_t len = 0;
    const sk_cell *cell = sk_sheet_cell(s, row, col);
    const char *text = NULL;
    sk_error e = sk_cell_text_load(b, s, cell, &text, &len, d);
    if (!text) { /* no cell: a blank answer */
        text = "";
        len = 0;
    }
    sk_buf mapped = SK_BUF_INIT;
    if (!e && cell)
        e = cell_font_glyphs(b, cell, &text, &len, &mapped, d);
    if (!e)
        e = parse_text(def, prep, text, len, ca, d);
    sk_buf_free(&mapped);
    return e;
}

/* Aligns a cell's text with its template cell into ca. */
static sk_error parse_text(const sk_cell_def *def, sk_align_prep *prep, const char *text, size_t len, sk_cell_answers *ca,
                           sk_diag *d)
{
    /* Every marker is U+2xxx, a sequence led by the byte E2, and E2 is never
     * a continuation byte: so each E2 starts a character (even in invalid
     * UTF-8, which sk_utf8_next steps over a byte at a time) and only
     * those need decoding. */
    size_t markers = 0;
    for (const char *at = text; len && (at = memchr(at, 0xE2, len - (size_t)(at - text))) != NULL;) {
        size_t pos = (size_t)(at - text);
        int32_t cp = sk_utf8_next(text, len, &pos);
        at = text + pos;
        if (cp > 0 && sk_mark_of((uint32_t)cp) != SK_MARK_NONE && ++markers > MAX_CELL_MARKERS)
            return sk_diag_set(d, SK_ERR_LIMIT,
                               "the cell holds more than %d checkbox characters (a fixed limit; "
                               "the template's cells have a few)",
                               MAX_CELL_MARKERS);
    }
    if (!(ca->raw = sk_strndup(text, len)))
        return SK_ERR_NOMEM;
    /* replace the blank state made by sk_answers_new */
    sk_align_result_free(&ca->r);
    sk_error e = sk_align_cell_prep(def, prep, text, len, &ca->r, d);
    if (e)
        sk_diag_where(d, "%s", ca->ref);
    return e;
}

/* ---- what lies over the answer cells (sechk/overlay.h) ---------------------- */

/* Japanese and English names of the shapes sk_overlay names. */
static const struct {
    const char *id, *ja, *en;
} shape_names[] = {
    {"ellipse", "楕円", "an ellipse"},       {"rect", "四角形", "a rectangle"},
    {"textbox", "テキスト ボックス", "a text box"}, {"picture", "図", "a picture"},
    {"group", "グループ化された図形", "a group of shapes"}, {"chart", "グラフ", "a chart"},
    {"connector", "線", "a line"},           {"control", "フォーム コントロール", "a form control"},
};

static void shape_name(const char *id, const char **ja, const char **en)
{
    *ja = "図形";
    *en = "a shape";
    for (size_t k = 0; k < sizeof shape_names / sizeof *shape_names; k++)
        if (strcmp(shape_names[k].id, id) == 0) {
            *ja = shape_names[k].ja;
            *en = shape_names[k].en;
        }
}

/* Writes at most about 80 bytes of text (whole characters, line breaks as
 * spaces) into out, for quoting in a message. */
static void quote_text(const char *text, char out[128])
{
    size_t len = strlen(text), pos = 0, o = 0;
    while (pos < len && o < 80) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(text, len, &pos);
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            out[o++] = ' ';
            continue;
        }
        if (cp < 0)
            continue;
        memcpy(out + o, text + start, pos - start);
        o += pos - start;
    }
    if (pos < len)
        memcpy(out + o, "…", 3), o += 3;
    out[o] = '\0';
}

/* The options of def whose label reads as caption (compared squeezed);
 * returns how many, the first in *which. */
static int match_caption(const sk_cell_def *def, const char *caption, int *which)
{
    sk_buf cap = SK_BUF_INIT, lab = SK_BUF_INIT;
    int n = 0;
    if (sk_text_squeeze(caption, strlen(caption), &cap) == SK_OK && cap.len > 0) {
        for (int o = 0; o < def->n_options; o++) {
            sk_buf_reset(&lab);
            if (sk_text_squeeze(def->options[o].label, strlen(def->options[o].label), &lab) == SK_OK &&
                strcmp(lab.data ? lab.data : "", cap.data) == 0 && n++ == 0)
                *which = o;
        }
    }
    sk_buf_free(&cap);
    sk_buf_free(&lab);
    return n;
}

/* A check box control over an answer cell: a checked box whose caption is
 * one option's label answers it; any other box is a warning. */
static sk_error apply_checkbox(const sk_overlay *ov, const sk_cell_def *def, sk_cell_answers *ca,
                               sk_item_answers *ia, int party)
{
    char ja[600], en[600], q[128];
    int o = -1;
    quote_text(ov->text, q);
    if (match_caption(def, ov->text, &o) == 1) {
        if (!ov->checked)
            return SK_OK; /* an unchecked box of that option: not answered, like □ */
        if (!ca->by_control && !(ca->by_control = calloc((size_t)def->n_options, sizeof *ca->by_control)))
            return SK_ERR_NOMEM;
        ca->by_control[o] = true;
        ca->r.state[o] = SK_BOX_CHECKED;
        for (int m = 0; m < ca->r.n_markers; m++)
            if (ca->r.markers[m].option == o)
                ca->r.markers[m].checked = true;
        snprintf(ja, sizeof ja,
                 "「%s」はチェックボックス（フォーム コントロール「%s」）で回答されています。チェックされている"
                 "ものとして読み取りました。",
                 def->options[o].label, q);
        snprintf(en, sizeof en,
                 "\"%s\" is answered with a check box control (\"%s\"); it was read as checked.",
                 def->options[o].label, q);
        return sk_item_add_reading(ia, SK_SEV_INFO, "checkbox-control", party, ja, en);
    }
    snprintf(ja, sizeof ja,
             "回答欄にチェックボックス「%s」（%s）が重なっていますが、どの選択肢の回答か分かりません。"
             "□を■に変えて回答してください。",
             q, ov->checked ? "チェックあり" : "チェックなし");
    snprintf(en, sizeof en,
             "a check box \"%s\" (%s) lies over the answer cell, but it matches no option of the cell: "
             "answer by changing □ to ■.",
             q, ov->checked ? "checked" : "not checked");
    return sk_item_add_reading(ia, SK_SEV_WARNING, "checkbox-unmatched", party, ja, en);
}

/* A shape over an answer cell: never read, always a warning. */
static sk_error apply_shape(const sk_overlay *ov, sk_item_answers *ia, int party)
{
    const char *nja, *nen;
    char ja[600], en[600], q[128], tja[200] = "", ten[200] = "";
    shape_name(ov->shape, &nja, &nen);
    quote_text(ov->text, q);
    if (q[0]) {
        snprintf(tja, sizeof tja, "（図形の文字「%s」）", q);
        snprintf(ten, sizeof ten, " (its text: \"%s\")", q);
    }
    snprintf(ja, sizeof ja,
             "回答欄に図形（%s）が重なっています%s。図形による回答は読み取れないため、□を■に変えて"
             "回答してください。",
             nja, tja);
    snprintf(en, sizeof en,
             "%s lies over the answer cell%s; answers given with shapes cannot be read: answer by changing □ "
             "to ■.",
             nen, ten);
    return sk_item_add_reading(ia, SK_SEV_WARNING, "shape-over-answer", party, ja, en);
}

/* A comment on an answer cell: kept as the answerer's remark. */
static sk_error apply_comment(const sk_overlay *ov, sk_cell_answers *ca, sk_item_answers *ia, int party)
{
    char ja[600], en[600], q[128], aja[160] = "", aen[160] = "";
    sk_error e = sk_cell_add_comment(ca, ov->author, ov->text, ov->threaded);
    if (e)
        return e;
    quote_text(ov->text, q);
    if (ov->author[0]) {
        snprintf(aja, sizeof aja, "（%.60s）", ov->author);
        snprintf(aen, sizeof aen, " by %.60s", ov->author);
    }
    snprintf(ja, sizeof ja, "回答欄にコメント%sがあります：「%s」。回答としては読み取っていません。", aja, q);
    snprintf(en, sizeof en, "the answer cell has a comment%s: \"%s\"; it is not read as an answer.", aen, q);
    return sk_item_add_reading(ia, SK_SEV_INFO, "answer-comment", party, ja, en);
}

/* An Excel 365 cell check box (a TRUE/FALSE cell shown as a box) in an
 * answer cell: the cell holds no text to read. */
static sk_error apply_cell_checkbox(sk_item_answers *ia, int party)
{
    return sk_item_add_reading(
        ia, SK_SEV_WARNING, "cell-checkbox", party,
        "回答欄がセルのチェックボックス（TRUE/FALSE）になっています。チェックボックスによる回答は読み取れないため、"
        "□を■に変えて回答してください。",
        "the answer cell is a cell check box (TRUE/FALSE); answers given that way cannot be read: answer by "
        "changing □ to ■.");
}

/* Applies what lies over the answer cells of the sheet to the answers. */
static sk_error apply_overlays(sk_book *b, size_t si, const sk_sheet *s, const sk_template *t, const location *loc,
                               sk_answers *a, sk_diag *d)
{
    sk_overlays ovs = {0};
    sk_error e = sk_overlays_read(b, si, &ovs, d);
    for (int i = 0; !e && i < t->n_items; i++) {
        if (!loc->item_row[i])
            continue;
        for (int p = 0; !e && p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *def = &t->items[i].cells[p];
            uint32_t row = loc->item_row[i], col = loc->col[SK_COL_PROVIDER + p];
            sk_item_answers *ia = &a->items[i];
            if (def->absent)
                continue;
            const sk_cell *c = sk_sheet_cell(s, row, col);
            if (c && c->type == SK_CELL_BOOL)
                e = apply_cell_checkbox(ia, p);
            for (size_t k = 0; !e && k < ovs.n; k++) {
                const sk_overlay *ov = &ovs.v[k];
                if (!sk_overlay_covers(ov, row, col))
                    continue;
                e = ov->kind == SK_OVERLAY_NOTE       ? apply_comment(ov, &ia->cells[p], ia, p)
                    : ov->kind == SK_OVERLAY_CHECKBOX ? apply_checkbox(ov, def, &ia->cells[p], ia, p)
                                                      : apply_shape(ov, ia, p);
            }
        }
    }
    if (e == SK_ERR_NOMEM && d && !d->reason[0])
        sk_diag_set(d, e, "out of memory");
    if (e && d && !d->where[0])
        sk_diag_where(d, "%s", s->name);
    sk_overlays_free(&ovs);
    return e;
}

/* Reads the answers of the located checklist: the header block, each item's
 * answer cells, what lies over them. */
static sk_error read_answers(sk_book *b, size_t si, const sk_sheet *s, const sk_template *t, const matchers *m,
                             const location *loc, sk_answers **out, sk_buf *buf, sk_diag *d)
{
    sk_answers *a = sk_answers_new(t);
    sk_error e = SK_ERR_NOMEM;
    if (!a)
        goto fail;
    if ((e = sk_answers_set_str(&a->sheet, s->name)) || (e = sk_answers_set_str(&a->path, sk_book_path(b))) ||
        (e = sk_answers_set_str(&a->sha256, sk_book_sha256(b))) ||
        (e = read_doc_fields(b, s, t, m, loc, a, buf, d)))
        goto fail;
    for (int i = 0; i < t->n_items; i++) {
        sk_item_answers *ia = &a->items[i];
        ia->row = (int)loc->item_row[i];
        if (!ia->row)
            continue;
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            if ((e = parse_cell(b, s, &t->items[i].cells[p], sk_align_prep_of(t, i, p), loc->item_row[i],
                                loc->col[SK_COL_PROVIDER + p], &ia->cells[p], d))) {
                sk_diag_where(d, "%s!%s", s->name, ia->cells[p].ref);
                goto fail;
            }
        }
    }
    if ((e = apply_overlays(b, si, s, t, loc, a, d)))
        goto fail;
    *out = a;
    return SK_OK;
fail:
    sk_answers_free(a);
    return e;
}

/* Refuses cell c, which names a shared string the workbook does not have (a
 * damaged or hostile file: Excel refuses to open it). */
static sk_error bad_string_index(const sk_sheet *s, const sk_cell *c, uint32_t n, sk_diag *d)
{
    char ref[16];
    sk_ref_format(c->row, c->col, ref);
    sk_diag_where(d, "%s!%s", s->name, ref);
    return sk_diag_set(d, SK_ERR_XML, "shared string index %u is out of range (the workbook has %u)", (unsigned)c->v,
                       (unsigned)n);
}

/* Refuses the first cell that names a shared string the workbook lacks. */
static sk_error check_string_indexes(const sk_book *b, const sk_sheet *s, sk_diag *d)
{
    uint32_t n = sk_book_string_count(b);
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cells[i].type == SK_CELL_SHARED && s->cells[i].v >= n)
            return bad_string_index(s, &s->cells[i], n, d);
    return SK_OK;
}


/* The locating pass over the shared strings of a huge sheet: the label-like
 * strings of its cells, and the strings of its first PREFIX_CELLS cells up to
 * PREFIX_BYTES; of the strings no cell read so far names, those scope asks
 * for. */
static sk_error locating_pass(sk_book *b, const sk_sheet *s, const matchers *m, wanted *w, sk_keep_scope scope,
                              sk_diag *d)
{
    if (sk_keep_cells(&w->keep, s, PREFIX_CELLS, PREFIX_BYTES) != SK_OK)
        return SK_ERR_NOMEM;
    w->keep.scope = scope;
    w->keep.test = keep_label;
    w->keep.ctx = w;
    w->labels = m;
    learn_labels(w, m);
    return sk_book_keep_strings(b, &w->keep, d);
}

/* The answer pass, when the locating pass did not keep them all: the answer
 * cells' strings and those of the header block. */
static sk_error answers_pass(sk_book *b, const sk_sheet *s, const sk_template *t, const location *loc, wanted *w,
                             sk_diag *d)
{
    if (sk_keep_reset(&w->keep, s) != SK_OK)
        return SK_ERR_NOMEM;
    w->keep.scope = SK_KEEP_MARKED;
    w->keep.test = NULL;
    want_answers(s, t, loc, w);
    return sk_keep_done(b, s, &w->keep) ? SK_OK : sk_book_keep_strings(b, &w->keep, d);
}

/* What the locator keeps of a huge sheet while it is read (an sk_row_filter):
 * every row up to the one below the header row, and below that only the row
 * of each template item's first No. cell, its No. and answer cells: all that
 * find_header, find_no_column, find_items, the header block and the answers
 * look at, so memory stays flat however many rows follow.  The decisions use
 * the strings the locating pass keeps, read once the sheet passes
 * SMALL_SHEET_CELLS cells; a sheet whose cells are not in order by then is
 * kept whole, one that goes out of order later is read again whole. */
typedef struct sheet_filter {
    const sk_template *t;
    const matchers *m;
    wanted *w;
    bool all_strings; /* every string was kept before the sheet was read */
    bool on;          /* the sheet is huge and in order so far: filtering */
    bool unsorted;    /* out of order before filtering began: kept whole */
    bool broken;      /* out of order while filtering: to be read again */
    uint32_t last_row, last_col;
    location loc;  /* header_row 0 until found (item_row unused) */
    bool no_done;  /* the No. column was looked for beside the header */
    uint8_t *seen; /* [n_items]: the item's first row was met */
    bool bad;      /* a cell names a shared string beyond the strings */
    sk_cell bad_cell;
    sk_buf buf;
} sheet_filter;

/* True if the cells s->cells[first..] of a <row> come after all earlier ones,
 * in a row of their own (a row split over two <row> elements would be judged
 * in halves). */
static bool in_order(sheet_filter *f, const sk_sheet *s, size_t first)
{
    for (size_t i = first; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        bool same = c->row == f->last_row && f->last_row;
        if (c->row < f->last_row || (same && (i == first || c->col <= f->last_col)))
            return false;
        f->last_row = c->row;
        f->last_col = c->col;
    }
    return true;
}

/* True if the row s->cells[i..j) is the first row of a template item (its
 * No. cell holds the number, as find_items reads it). */
static bool first_item_row(sheet_filter *f, const sk_book *b, const sk_sheet *s, size_t i, size_t j)
{
    for (; i < j; i++) {
        if (s->cells[i].col != f->loc.col[SK_COL_NO])
            continue;
        int no = item_number(b, s, &s->cells[i], &f->buf);
        const sk_item *it = no < 0 ? NULL : sk_template_item(f->t, no);
        size_t k = it ? (size_t)(it - f->t->items) : 0;
        if (!it || f->seen[k])
            return false;
        f->seen[k] = 1;
        return true;
    }
    return false;
}

enum { NEED_NONE, NEED_ALL, NEED_ITEM };

/* What the locator needs of the row s->cells[i..j), every earlier row being
 * kept whole until the first row below the header row. */
static int row_need(sheet_filter *f, const sk_book *b, sk_sheet *s, size_t i, size_t j)
{
    uint32_t row = s->cells[i].row, col[SK_COL__COUNT];
    if (!f->loc.header_row) {
        if (header_in_row(b, s, f->m, i, j, col, &f->buf)) {
            f->loc.header_row = row;
            memcpy(f->loc.col, col, sizeof col);
        }
        return NEED_ALL;
    }
    if (!f->no_done) { /* rows header_row ± 1 are s->cells[..j): none was dropped */
        size_t n = s->n_cells;
        f->no_done = true;
        s->n_cells = j;
        if (!f->loc.col[SK_COL_NO])
            find_no_column(b, s, f->m, &f->loc, &f->buf);
        s->n_cells = n;
    }
    bool item = f->loc.col[SK_COL_NO] && first_item_row(f, b, s, i, j);
    if (row == f->loc.header_row + 1)
        return NEED_ALL;
    return item ? NEED_ITEM : NEED_NONE;
}

/* Keeps what the locator needs of the rows from cell first on, noting the
 * first cell that names a shared string beyond the strings. */
static void keep_needed(sheet_filter *f, const sk_book *b, sk_sheet *s, size_t first)
{
    uint32_t n_strings = sk_book_string_count(b);
    size_t w = first;
    for (size_t i = first, j; i < s->n_cells; i = j) {
        j = row_end(s, i);
        for (size_t k = i; k < j && !f->bad; k++)
            if (s->cells[k].type == SK_CELL_SHARED && s->cells[k].v >= n_strings) {
                f->bad = true;
                f->bad_cell = s->cells[k];
            }
        int need = row_need(f, b, s, i, j);
        for (size_t k = i; k < j; k++) {
            uint32_t c = s->cells[k].col;
            if (need == NEED_ALL || (need == NEED_ITEM && (c == f->loc.col[SK_COL_NO] ||
                                                          c == f->loc.col[SK_COL_PROVIDER] ||
                                                          c == f->loc.col[SK_COL_CONTRACTOR])))
                s->cells[w++] = s->cells[k];
        }
    }
    s->n_cells = w;
}

/* The sk_row_filter of a sheet the locator reads. */
static sk_error filter_rows(sk_book *b, sk_sheet *s, size_t first, void *ctx, sk_diag *d)
{
    sheet_filter *f = ctx;
    if (!f->broken && !f->unsorted && !in_order(f, s, first)) {
        f->broken = f->on;
        f->unsorted = !f->on;
    }
    if (f->broken)
        s->n_cells = 0; /* it is read again whole */
    if (f->broken || f->unsorted)
        return SK_OK;
    if (f->on) {
        keep_needed(f, b, s, first);
        return SK_OK;
    }
    if (s->n_cells <= SMALL_SHEET_CELLS)
        return SK_OK;
    /* the switch: the strings of the cells read so far, then what the later
     * rows can need, which depends on whether the header row is among them */
    f->on = true;
    sk_error e = f->all_strings ? SK_OK : locating_pass(b, s, f->m, f->w, SK_KEEP_TESTED, d);
    if (!e)
        keep_needed(f, b, s, 0);
    if (!e && !f->all_strings && !f->loc.header_row) {
        f->w->keep.scope = SK_KEEP_UNMARKED;
        e = sk_book_keep_strings(b, &f->w->keep, d);
    }
    return e == SK_ERR_NOMEM && d && !d->reason[0] ? sk_diag_set(d, e, "out of memory") : e;
}

/* Reads sheet si for the locator: filtered while it stays in order, whole
 * otherwise; then the shared strings the locator needs, unless the filter
 * read them. */
static sk_error read_for_locator(sk_book *b, size_t si, sheet_filter *f, bool *all_strings, sk_sheet **s,
                                 sk_diag *d)
{
    sk_error e = sk_book_read_sheet_filtered(b, si, filter_rows, f, s, d);
    if (!e && f->broken) {
        sk_sheet_free(*s);
        *s = NULL;
        f->on = false;
        e = sk_book_read_sheet(b, si, s, d);
    }
    if (e || f->on || *all_strings)
        return e;
    if ((*s)->n_cells > SMALL_SHEET_CELLS)
        return locating_pass(b, *s, f->m, f->w, SK_KEEP_MARKED, d);
    /* one pass keeps every string: typical files, and any later sheet */
    if ((e = sk_book_read_strings(b, NULL, NULL, d)) == SK_OK)
        *all_strings = true;
    return e;
}

/* Tries one sheet; SK_ERR_NOT_CHECKLIST if it holds no checklist. */
static sk_error try_sheet(sk_book *b, size_t si, const sk_template *t, const matchers *m, bool *all_strings,
                          sk_answers **out, int *n_found, sk_diag *d)
{
    sk_sheet *s = NULL;
    location loc = {0};
    wanted w = {0};
    sheet_filter f = {.t = t, .m = m, .w = &w, .all_strings = *all_strings};
    sk_buf buf = SK_BUF_INIT;
    sk_answers *a = NULL;
    sk_error e = SK_ERR_NOMEM;
    if (!(f.seen = calloc((size_t)t->n_items + 1, 1)) || !(loc.item_row = calloc((size_t)t->n_items, sizeof *loc.item_row)))
        goto done;
    if ((e = read_for_locator(b, si, &f, all_strings, &s, d)))
        goto done;
    if ((e = f.on ? (f.bad ? bad_string_index(s, &f.bad_cell, sk_book_string_count(b), d) : SK_OK)
                  : check_string_indexes(b, s, d)))
        goto done;
    if (!find_header(b, s, m, &loc, &buf)) {
        e = sk_diag_set(d, SK_ERR_NOT_CHECKLIST,
                        "no checklist header row (%s, %s, %s) on sheet \"%s\"", t->columns[SK_COL_REQUIREMENT].match,
                        t->columns[SK_COL_PROVIDER].match, t->columns[SK_COL_CONTRACTOR].match, s->name);
        goto done;
    }
    if (!loc.col[SK_COL_NO])
        find_no_column(b, s, m, &loc, &buf);
    if (!loc.col[SK_COL_NO]) {
        e = sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "sheet \"%s\": header row %u has no \"%s\" column", s->name,
                        (unsigned)loc.header_row, t->columns[SK_COL_NO].match);
        goto done;
    }
    if ((*n_found = find_items(b, s, t, &loc, &buf)) == 0) {
        e = sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "sheet \"%s\": no item numbers below the header row %u", s->name,
                        (unsigned)loc.header_row);
        goto done;
    }
    if (!*all_strings && (e = answers_pass(b, s, t, &loc, &w, d)))
        goto done;
    if ((e = read_answers(b, si, s, t, m, &loc, &a, &buf, d)))
        goto done;
    *out = a;
    a = NULL;
done:
    sk_answers_free(a);
    sk_buf_free(&buf);
    sk_buf_free(&f.buf);
    free(f.seen);
    sk_keep_free(&w.keep);
    sk_buf_free(&w.scratch);
    free(loc.item_row);
    sk_sheet_free(s);
    return e;
}

/* One sheet that holds the checklist, while choosing among them. */
typedef struct candidate {
    size_t index;      /* the sheet's position */
    sk_answers *a;
    int found;         /* items located */
    int checked;       /* checked markers in its answer cells */
    bool example;      /* named as an example (記入例 …) */
    bool template_name;
    bool hidden;
} candidate;

/* Sheet names that say the sheet is an example, compared case-insensitively
 * as substrings (例 covers 記入例 and 記載例; both stay listed for the reader). */
static const char *const example_names[] = {"記入例", "記載例", "例", "見本", "サンプル", "sample", "example"};

/* True if a sheet's name says it is an example. */
static bool is_example_name(const char *name)
{
    sk_buf b = SK_BUF_INIT;
    if (sk_text_squeeze(name, strlen(name), &b) != SK_OK) {
        sk_buf_free(&b);
        return false;
    }
    for (char *p = b.data; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    bool hit = false;
    for (size_t k = 0; k < sizeof example_names / sizeof *example_names && !hit; k++)
        hit = b.data && strstr(b.data, example_names[k]) != NULL;
    sk_buf_free(&b);
    return hit;
}

/* Checked markers in every answer cell of the answers. */
static int count_checked(const sk_answers *a)
{
    int n = 0;
    for (int i = 0; i < a->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            for (int m = 0; m < a->items[i].cells[p].r.n_markers; m++)
                n += a->items[i].cells[p].r.markers[m].checked;
    return n;
}

/* True if candidate x ranks before y. */
static bool ranks_before(const candidate *x, const candidate *y)
{
    if (x->example != y->example)
        return !x->example;
    if (x->checked != y->checked)
        return x->checked > y->checked;
    if (x->template_name != y->template_name)
        return x->template_name;
    if (x->hidden != y->hidden)
        return !x->hidden;
    return x->index < y->index;
}

/* Copies a sheet diagnostic into d. */
static void pass_diag(sk_diag *d, const sk_diag *sd, sk_error e)
{
    if (!d)
        return;
    memcpy(d->where, sd->where, sizeof d->where);
    memcpy(d->reason, sd->reason, sizeof d->reason);
    d->code = e;
}

/* Finds the sheet --sheet names: its exact name, else its 1-based position. */
static bool sheet_by_option(const sk_book *b, const char *want, size_t *out)
{
    size_t n = sk_book_sheet_count(b);
    for (size_t i = 0; i < n; i++)
        if (strcmp(sk_book_sheet_name(b, i), want) == 0) {
            *out = i;
            return true;
        }
    char *end;
    errno = 0;
    long v = strtol(want, &end, 10);
    if (errno || end == want || *end || v < 1 || (unsigned long)v > n)
        return false;
    *out = (size_t)v - 1;
    return true;
}

/* Appends the names of the candidates other than the chosen one, quoted and
 * separated by "、" (ja) or ", " (en). */
static void other_names(const sk_book *b, const candidate *c, int n, int chosen, bool en, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i == chosen)
            continue;
        int w = snprintf(out + len, cap - len, en ? "%s\"%.60s\"" : "%s「%.60s」",
                         len ? (en ? ", " : "、") : "", sk_book_sheet_name(b, c[i].index));
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

/* Records in a's notes which sheet was read and which were passed over. */
static sk_error note_choice(const sk_book *b, candidate *c, int n, int chosen, sk_answers *a)
{
    if (n < 2)
        return SK_OK;
    char ja[700], en[700], jn[300], enn[300];
    other_names(b, c, n, chosen, false, jn, sizeof jn);
    other_names(b, c, n, chosen, true, enn, sizeof enn);
    const char *name = sk_book_sheet_name(b, c[chosen].index);
    snprintf(ja, sizeof ja,
             "シート「%.60s」を読み取りました（チェック済みの欄 %d 個）。チェックリストに見える他のシート %s は"
             "未記入か記入例のため読み取っていません。別のシートを読むには --sheet で指定してください",
             name, c[chosen].checked, jn);
    snprintf(en, sizeof en,
             "read sheet \"%.60s\" (%d checked boxes); the other sheets that look like the checklist, %s, "
             "were passed over (blank or an example); choose another with --sheet",
             name, c[chosen].checked, enn);
    return sk_answers_add_note(a, SK_SEV_INFO, "sheet-chosen", ja, en);
}

/* Reads the one sheet --sheet names. */
static sk_error extract_named(sk_book *b, const sk_template *t, const matchers *m, const char *want,
                              sk_answers **out, sk_diag *d)
{
    size_t si;
    if (!sheet_by_option(b, want, &si))
        return sk_diag_set(d, SK_ERR_USAGE,
                           "--sheet: シート「%.100s」がありません (no sheet named \"%.100s\" and no sheet at that "
                           "position; the workbook has %zu)",
                           want, want, sk_book_sheet_count(b));
    bool all_strings = false;
    int found = 0;
    return try_sheet(b, si, t, m, &all_strings, out, &found, d);
}

/* True if x is a better choice than y while the sheets are read: a sheet
 * locating five sixths of the items (need) before one that does not, among
 * those that do not the one locating more, then ranks_before. */
static bool better(const candidate *x, const candidate *y, int need)
{
    bool rx = x->found >= need, ry = y->found >= need;
    if (rx != ry)
        return rx;
    if (!rx && x->found != y->found)
        return x->found > y->found;
    return ranks_before(x, y);
}

/* The error when no sheet holds the checklist. */
static sk_error no_checklist(const sk_template *t, size_t n, const sk_diag *first, sk_diag *d)
{
    if (n == 0)
        return sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "the workbook has no worksheet");
    if (n == 1) {
        pass_diag(d, first, SK_ERR_NOT_CHECKLIST);
        return SK_ERR_NOT_CHECKLIST;
    }
    return sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "no sheet holds the checklist (its header row: %s, %s, %s, and %s)",
                       t->columns[SK_COL_NO].match, t->columns[SK_COL_REQUIREMENT].match,
                       t->columns[SK_COL_PROVIDER].match, t->columns[SK_COL_CONTRACTOR].match);
}

/* Refuses a choice between two filled candidates (exit 2: --sheet decides). */
static sk_error ambiguous(const sk_book *b, const candidate *c, int nc, int best, sk_diag *d)
{
    for (int i = 0; i < nc; i++) {
        if (i == best || !c[i].checked || c[i].example || !c[best].checked)
            continue;
        const char *x = sk_book_sheet_name(b, c[best].index), *y = sk_book_sheet_name(b, c[i].index);
        if (c[i].index < c[best].index) {
            const char *tmp = x;
            x = y;
            y = tmp;
        }
        return sk_diag_set(d, SK_ERR_NOT_CHECKLIST,
                           "シート %.60s と %.60s のどちらも記入済みのチェックリストに見えます。--sheet で指定してください "
                           "(sheets \"%.60s\" and \"%.60s\" both look like filled checklists; choose one with --sheet)",
                           x, y, x, y);
    }
    return SK_OK;
}

/* Tries every sheet and chooses among those holding the checklist.  Only
 * the best sheet so far keeps its answers (a workbook of many copies costs
 * no more memory than one); the others keep what the choice needs. */
static sk_error extract_best(sk_book *b, const sk_template *t, const matchers *m, sk_answers **out, sk_diag *d)
{
    size_t n = sk_book_sheet_count(b);
    candidate *c = calloc(n ? n : 1, sizeof *c);
    if (!c)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    int nc = 0, best = -1, need = (t->n_items * 5 + 5) / 6, most = 0;
    sk_answers *best_a = NULL;
    bool all_strings = false;
    sk_diag first;
    sk_diag_clear(&first);
    sk_error e = SK_OK;
    for (size_t i = 0; i < n && !e; i++) {
        sk_diag sd;
        sk_diag_clear(&sd);
        candidate k = {.index = i};
        e = try_sheet(b, i, t, m, &all_strings, &k.a, &k.found, &sd);
        if (e == SK_ERR_NOT_CHECKLIST && !first.code)
            first = sd;
        if (e == SK_ERR_NOT_CHECKLIST || e) {
            if (e != SK_ERR_NOT_CHECKLIST)
                pass_diag(d, &sd, e);
            e = e == SK_ERR_NOT_CHECKLIST ? SK_OK : e;
            continue;
        }
        k.checked = count_checked(k.a);
        k.example = is_example_name(sk_book_sheet_name(b, i));
        k.template_name = strcmp(sk_book_sheet_name(b, i), SK_TEMPLATE_SHEET_NAME) == 0 ||
                          (t->title && strcmp(sk_book_sheet_name(b, i), t->title) == 0);
        k.hidden = sk_book_sheet_hidden(b, i);
        most = k.found > most ? k.found : most;
        sk_answers *a = k.a;
        k.a = NULL;
        c[nc] = k;
        if (best < 0 || better(&c[nc], &c[best], need)) {
            sk_answers_free(best_a);
            best_a = a;
            best = nc;
        } else {
            sk_answers_free(a);
        }
        nc++;
    }
    if (!e && nc == 0)
        e = no_checklist(t, n, &first, d);
    if (e)
        goto done;
    /* the candidates: five sixths of the items located; if no sheet does,
     * those with the most located (a damaged or cut checklist) */
    if (most < need)
        need = most;
    int kept = 0, chosen = 0;
    for (int i = 0; i < nc; i++) {
        if (c[i].found < need)
            continue;
        if (i == best)
            chosen = kept;
        c[kept++] = c[i];
    }
    if ((e = ambiguous(b, c, kept, chosen, d)))
        goto done;
    if ((e = note_choice(b, c, kept, chosen, best_a)) != SK_OK) {
        e = sk_diag_set(d, e, "out of memory");
        goto done;
    }
    *out = best_a;
    best_a = NULL;
done:
    sk_answers_free(best_a);
    free(c);
    return e;
}

sk_error sk_extract_book_opts(sk_book *b, const sk_template *t, const sk_extract_opts *o, sk_answers **out,
                              sk_diag *d)
{
    *out = NULL;
    matchers m;
    sk_error e = matchers_init(&m, t);
    if (e) {
        matchers_free(&m);
        return sk_diag_set(d, e, "out of memory");
    }
    if (o && o->sheet)
        e = extract_named(b, t, &m, o->sheet, out, d);
    else
        e = extract_best(b, t, &m, out, d);
    matchers_free(&m);
    return e;
}

sk_error sk_extract_book(sk_book *b, const sk_template *t, sk_answers **out, sk_diag *d)
{
    return sk_extract_book_opts(b, t, NULL, out, d);
}

sk_error sk_extract_file(const char *path, const sk_template *t, const sk_limits *limits, sk_answers **out,
                         sk_diag *d)
{
    return sk_extract_file_opts(path, t, limits, NULL, out, d);
}

sk_error sk_extract_file_opts(const char *path, const sk_template *t, const sk_limits *limits,
                              const sk_extract_opts *o, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    sk_book *b = NULL;
    sk_error e = sk_book_open_opts(path, limits, o ? o->open : NULL, &b, d);
    if (!e)
        e = sk_extract_book_opts(b, t, o, out, d);
    if (!e && sk_book_converted_by(b))
        e = sk_answers_set_str(&(*out)->converted_by, sk_book_converted_by(b));
    if (!e && o && o->project) {
        sk_diag pd;
        sk_diag_clear(&pd);
        if (sk_project_read_book(b, *out, o->project, &pd) != SK_OK)
            *o->project = NULL;
    }
    sk_book_close(b);
    if (e)
        sk_diag_file(d, path);
    return e;
}
