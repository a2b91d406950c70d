/* sechk — locating the checklist in a workbook and reading its answers. */
#include "sechk/extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sechk/align.h"
#include "sechk/text.h"

/* Sheets with more cells than this are read with a filter over the shared
 * strings, so that memory stays flat on huge sheets: the first pass keeps
 * label-like short strings (to locate the checklist) and the strings of the
 * first PREFIX_CELLS cells, up to PREFIX_BYTES (where a checklist usually
 * is); a second pass, for the answer cells' strings, is needed only when the
 * checklist lies further down. */
enum { SMALL_SHEET_CELLS = 50000, SHORT_STRING = 512, MAX_LABEL_TEXT = 4096 };
enum { PREFIX_CELLS = 5000, PREFIX_BYTES = 8 << 20 };

/* A label is recognised from the start of a string: the locating pass
 * squeezes at most this many bytes of it (whole strings below). */
enum { LABEL_HEAD = 256 };

/* The project-name label of the header block, recognised besides the
 * template's own labels. */
#define PROJECT_LABEL "事業名"

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
} matchers;

/* Shared-string filter state: a bitmap of wanted indexes, and, for the
 * locating pass over a huge sheet, the labels a string must look like to be
 * kept (so memory stays flat however many rows the sheet has). */
typedef struct wanted {
    uint8_t *bits;
    uint32_t n;
    const matchers *labels; /* NULL: keep every wanted string */
    size_t label_max;       /* the longest label, squeezed */
    uint32_t first[32];     /* the code points a label can start with */
    int n_first;
    uint8_t *prefix;        /* strings of the first cells, kept whole */
    size_t prefix_budget;   /* bytes of them still to keep */
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
    return strncmp(s, PROJECT_LABEL, strlen(PROJECT_LABEL)) == 0;
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
    static const char *const extra[] = {"N", "n", "\u2116", PROJECT_LABEL};
    w->label_max = 0;
    w->n_first = 0;
    for (int k = 0; k < SK_COL__COUNT; k++)
        learn_label(w, m->col[k].data, m->col[k].len);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        learn_label(w, m->field[k].data, m->field[k].len);
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
        learn_label(w, extra[k], strlen(extra[k]));
}

/* Keeps the strings marked in the bitmap (and, when locating, label-like). */
static bool keep_wanted(uint32_t index, const char *text, size_t len, void *ctx)
{
    wanted *w = ctx;
    if (index >= w->n || !(w->bits[index / 8] & (1u << (index % 8))))
        return false;
    if (!w->labels)
        return true;
    if (w->prefix && (w->prefix[index / 8] & (1u << (index % 8))) && len <= w->prefix_budget) {
        w->prefix_budget -= len;
        return true;
    }
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

/* Marks a cell's shared string as wanted. */
static void want_cell(wanted *w, const sk_cell *c)
{
    if (c && c->type == SK_CELL_SHARED && c->v < w->n)
        w->bits[c->v / 8] |= (uint8_t)(1u << (c->v % 8));
}

/* The text of a cell, or NULL if it has none we kept. */
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
    return SK_OK;
}

/* Finds the header row and the columns; false if the sheet has none. */
static bool find_header(const sk_book *b, const sk_sheet *s, const matchers *m, location *loc, sk_buf *buf)
{
    size_t i = 0;
    while (i < s->n_cells) {
        uint32_t row = s->cells[i].row;
        uint32_t col[SK_COL__COUNT] = {0};
        size_t j = i;
        for (; j < s->n_cells && s->cells[j].row == row; j++) {
            if (!squeeze_cell(b, s, &s->cells[j], buf))
                continue;
            for (int k = 0; k < SK_COL__COUNT; k++) {
                if (col[k])
                    continue;
                bool hit = k == SK_COL_NO ? is_no_label(buf->data, m->col[k].data)
                                          : starts_with(buf->data, m->col[k].data);
                if (hit) {
                    col[k] = s->cells[j].col;
                    break;
                }
            }
        }
        if (col[SK_COL_REQUIREMENT] && col[SK_COL_PROVIDER] && col[SK_COL_CONTRACTOR]) {
            loc->header_row = row;
            memcpy(loc->col, col, sizeof col);
            return true;
        }
        i = j;
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
        want_cell(w, sk_sheet_cell(s, loc->item_row[i], loc->col[SK_COL_PROVIDER]));
        want_cell(w, sk_sheet_cell(s, loc->item_row[i], loc->col[SK_COL_CONTRACTOR]));
    }
    for (size_t i = 0; i < s->n_cells && s->cells[i].row < loc->header_row; i++)
        want_cell(w, &s->cells[i]);
}

/* True if every wanted string of the sheet's cells was kept already. */
static bool all_kept(const sk_book *b, const sk_sheet *s, const wanted *w)
{
    for (size_t i = 0; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        size_t len;
        if (c->type == SK_CELL_SHARED && c->v < w->n && (w->bits[c->v / 8] & (1u << (c->v % 8))) &&
            !sk_cell_text(b, s, c, &len))
            return false;
    }
    return true;
}

/* Converts an Excel serial date to "2026年4月1日" (1900 date system). */
static bool serial_date(const char *t, char out[48])
{
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (errno || end == t || v < 1 || v > 2958465)
        return false;
    long days = (long)v - 25569; /* days since 1970-01-01 */
    time_t secs = (time_t)days * 86400;
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        return false;
    snprintf(out, 48, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return true;
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
    return squeezed[0] && strcmp(squeezed, PROJECT_LABEL) == 0;
}

/* Reads 作成日, 更新日 and 利用する外部サービス from the rows above the table. */
static sk_error read_doc_fields(const sk_book *b, const sk_sheet *s, const sk_template *t, const matchers *m,
                                const location *loc, sk_answers *a, sk_buf *buf)
{
    for (size_t i = 0; i < s->n_cells && s->cells[i].row < loc->header_row; i++) {
        const sk_cell *c = &s->cells[i];
        size_t len;
        const char *text = text_of(b, s, c, &len);
        if (!text || len > MAX_LABEL_TEXT)
            continue;
        for (int k = 0; k < SK_DOC__COUNT; k++) {
            if (!m->field[k].len || a->doc[k][0])
                continue;
            size_t rl;
            const char *rest = after_label(text, len, m->field[k].data, &rl);
            if (!rest)
                continue;
            char date[48];
            const char *value = NULL;
            sk_buf v = SK_BUF_INIT;
            if (rl == 0) {
                /* the value stands in the next non-empty cell to the right */
                for (size_t j = i + 1; j < s->n_cells && s->cells[j].row == c->row; j++) {
                    const sk_cell *vc = &s->cells[j];
                    size_t vl;
                    const char *vt = text_of(b, s, vc, &vl);
                    if (!vt)
                        continue;
                    vt = sk_text_trim(vt, &vl);
                    if (vl == 0)
                        continue;
                    if (squeeze_cell(b, s, vc, buf) && is_field_label(m, buf->data))
                        break;
                    if (vc->type == SK_CELL_NUMBER && k != SK_DOC_SERVICE && serial_date(vt, date))
                        value = date;
                    else if (sk_buf_append_len(&v, vt, vl) == SK_OK)
                        value = v.data;
                    break;
                }
            } else if (sk_buf_append_len(&v, rest, rl) == SK_OK) {
                value = v.data;
            }
            /* the template's placeholder (20XX年〇月〇日) is no value */
            if (value && t->fields[k].placeholder[0]) {
                sk_buf ph = SK_BUF_INIT, val = SK_BUF_INIT;
                if (sk_text_squeeze(t->fields[k].placeholder, strlen(t->fields[k].placeholder), &ph) == SK_OK &&
                    sk_text_squeeze(value, strlen(value), &val) == SK_OK && strcmp(ph.data, val.data) == 0)
                    value = NULL;
                sk_buf_free(&ph);
                sk_buf_free(&val);
            }
            sk_error e = value ? sk_answers_set_str(&a->doc[k], value) : SK_OK;
            sk_buf_free(&v);
            if (e)
                return e;
            break;
        }
    }
    return SK_OK;
}

/* Aligns one answer cell of the sheet with its template cell. */
static sk_error parse_cell(const sk_book *b, const sk_sheet *s, const sk_cell_def *def, uint32_t row, uint32_t col,
                           sk_cell_answers *ca, sk_diag *d)
{
    sk_ref_format(row, col, ca->ref);
    if (def->absent)
        return SK_OK;
    size_t len = 0;
    const char *text = text_of(b, s, sk_sheet_cell(s, row, col), &len);
    if (!text) {
        text = "";
        len = 0;
    }
    size_t markers = 0;
    for (size_t pos = 0; pos < len;) {
        int32_t cp = sk_utf8_next(text, len, &pos);
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
    sk_error e = sk_align_cell(def, text, len, &ca->r, d);
    if (e)
        sk_diag_where(d, "%s", ca->ref);
    return e;
}

/* Refuses a cell that names a shared string the workbook does not have (a
 * damaged or hostile file: Excel refuses to open it). */
static sk_error check_string_indexes(const sk_book *b, const sk_sheet *s, sk_diag *d)
{
    uint32_t n = sk_book_string_count(b);
    for (size_t i = 0; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        if (c->type != SK_CELL_SHARED || c->v < n)
            continue;
        char ref[16];
        sk_ref_format(c->row, c->col, ref);
        sk_diag_where(d, "%s!%s", s->name, ref);
        return sk_diag_set(d, SK_ERR_XML, "shared string index %u is out of range (the workbook has %u)",
                           (unsigned)c->v, (unsigned)n);
    }
    return SK_OK;
}

/* Tries one sheet; SK_ERR_NOT_CHECKLIST if it holds no checklist. */
static sk_error try_sheet(sk_book *b, size_t si, const sk_template *t, const matchers *m, bool *all_strings,
                          sk_answers **out, sk_diag *d)
{
    sk_sheet *s = NULL;
    location loc = {0};
    wanted w = {0};
    sk_buf buf = SK_BUF_INIT;
    sk_answers *a = NULL;
    sk_error e = sk_book_read_sheet(b, si, &s, d);
    if (e)
        goto done;
    bool small = s->n_cells <= SMALL_SHEET_CELLS;
    if (!*all_strings && small) {
        /* one pass keeps every string: typical files, and any later sheet */
        if ((e = sk_book_read_strings(b, NULL, NULL, d)))
            goto done;
        *all_strings = true;
    } else if (!*all_strings) {
        uint32_t max_index = 0;
        for (size_t i = 0; i < s->n_cells; i++)
            if (s->cells[i].type == SK_CELL_SHARED && s->cells[i].v + 1 > max_index)
                max_index = s->cells[i].v + 1;
        w.n = max_index;
        if (!(w.bits = calloc((size_t)w.n / 8 + 1, 1))) {
            e = SK_ERR_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < s->n_cells; i++)
            want_cell(&w, &s->cells[i]);
        w.labels = m;
        learn_labels(&w, m);
        if (!(w.prefix = calloc((size_t)w.n / 8 + 1, 1))) {
            e = SK_ERR_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < s->n_cells && i < PREFIX_CELLS; i++) {
            const sk_cell *c = &s->cells[i];
            if (c->type == SK_CELL_SHARED && c->v < w.n)
                w.prefix[c->v / 8] |= (uint8_t)(1u << (c->v % 8));
        }
        w.prefix_budget = PREFIX_BYTES;
        if ((e = sk_book_read_strings(b, keep_wanted, &w, d)))
            goto done;
    }
    if ((e = check_string_indexes(b, s, d)))
        goto done;
    if (!(loc.item_row = calloc((size_t)t->n_items, sizeof *loc.item_row))) {
        e = SK_ERR_NOMEM;
        goto done;
    }
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
    if (find_items(b, s, t, &loc, &buf) == 0) {
        e = sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "sheet \"%s\": no item numbers below the header row %u", s->name,
                        (unsigned)loc.header_row);
        goto done;
    }
    if (!*all_strings) {
        /* second pass, if the first did not keep them: the answer cells' texts */
        memset(w.bits, 0, (size_t)w.n / 8 + 1);
        want_answers(s, t, &loc, &w);
        w.labels = NULL;
        if (!all_kept(b, s, &w) && (e = sk_book_read_strings(b, keep_wanted, &w, d)))
            goto done;
    }
    if (!(a = sk_answers_new(t))) {
        e = SK_ERR_NOMEM;
        goto done;
    }
    if ((e = sk_answers_set_str(&a->sheet, s->name)) || (e = sk_answers_set_str(&a->path, sk_book_path(b))) ||
        (e = sk_answers_set_str(&a->sha256, sk_book_sha256(b))) ||
        (e = read_doc_fields(b, s, t, m, &loc, a, &buf)))
        goto done;
    for (int i = 0; i < t->n_items; i++) {
        sk_item_answers *ia = &a->items[i];
        ia->row = (int)loc.item_row[i];
        if (!ia->row)
            continue;
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            if ((e = parse_cell(b, s, &t->items[i].cells[p], loc.item_row[i], loc.col[SK_COL_PROVIDER + p],
                                &ia->cells[p], d))) {
                sk_diag_where(d, "%s!%s", s->name, ia->cells[p].ref);
                goto done;
            }
        }
    }
    *out = a;
    a = NULL;
done:
    sk_answers_free(a);
    sk_buf_free(&buf);
    free(w.bits);
    free(w.prefix);
    sk_buf_free(&w.scratch);
    free(loc.item_row);
    sk_sheet_free(s);
    return e;
}

sk_error sk_extract_book(sk_book *b, const sk_template *t, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    matchers m;
    sk_error e = matchers_init(&m, t);
    if (e) {
        matchers_free(&m);
        return sk_diag_set(d, e, "out of memory");
    }
    bool all_strings = false;
    sk_diag first;
    sk_diag_clear(&first);
    size_t n = sk_book_sheet_count(b);
    /* visible sheets first, then hidden ones */
    for (int pass = 0; pass < 2 && !*out; pass++) {
        for (size_t i = 0; i < n; i++) {
            if (sk_book_sheet_hidden(b, i) != (pass == 1))
                continue;
            sk_diag sd;
            sk_diag_clear(&sd);
            e = try_sheet(b, i, t, &m, &all_strings, out, &sd);
            if (e == SK_OK)
                break;
            if (e != SK_ERR_NOT_CHECKLIST) {
                if (d) {
                    sd.code = e;
                    memcpy(d->where, sd.where, sizeof d->where);
                    memcpy(d->reason, sd.reason, sizeof d->reason);
                    d->code = e;
                }
                matchers_free(&m);
                return e;
            }
            if (!first.code)
                first = sd;
        }
    }
    matchers_free(&m);
    if (*out)
        return SK_OK;
    if (n == 0)
        return sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "the workbook has no worksheet");
    if (n == 1 && d) {
        memcpy(d->reason, first.reason, sizeof d->reason);
        d->code = SK_ERR_NOT_CHECKLIST;
        return SK_ERR_NOT_CHECKLIST;
    }
    return sk_diag_set(d, SK_ERR_NOT_CHECKLIST, "no sheet holds the checklist (its header row: %s, %s, %s, and %s)",
                       t->columns[SK_COL_NO].match, t->columns[SK_COL_REQUIREMENT].match,
                       t->columns[SK_COL_PROVIDER].match, t->columns[SK_COL_CONTRACTOR].match);
}

sk_error sk_extract_file(const char *path, const sk_template *t, const sk_limits *limits, sk_answers **out,
                         sk_diag *d)
{
    return sk_extract_file_opts(path, t, limits, NULL, out, d);
}

sk_error sk_extract_file_opts(const char *path, const sk_template *t, const sk_limits *limits,
                              const struct sk_open_opts *o, sk_answers **out, sk_diag *d)
{
    *out = NULL;
    sk_book *b = NULL;
    sk_error e = sk_book_open_opts(path, limits, o, &b, d);
    if (!e)
        e = sk_extract_book(b, t, out, d);
    if (!e && sk_book_converted_by(b))
        e = sk_answers_set_str(&(*out)->converted_by, sk_book_converted_by(b));
    sk_book_close(b);
    if (e)
        sk_diag_file(d, path);
    return e;
}
