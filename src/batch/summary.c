/* sechk — the aggregate of a batch: rows, their message form, xlsx and csv. */
#include "sechk/summary.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "sechk/csv.h"
#include "sechk/output.h"
#include "sechk/rawrows.h"
#include "sechk/render.h"
#include "sechk/validate.h"

/* Excel keeps at most 32,767 characters in a cell; cut well before. */
enum { CELL_TEXT_MAX = 32000, MSG_VERSION = 2 };

/* A copy of s with each invalid UTF-8 byte replaced by U+FFFD; NULL on no memory. */
static char *dup_utf8(const char *s)
{
    size_t len = s ? strlen(s) : 0, pos = 0;
    sk_buf b = SK_BUF_INIT;
    if (sk_buf_reserve(&b, len))
        return NULL;
    b.data[0] = '\0';
    while (pos < len) { /* a valid run, then U+FFFD for the invalid byte after it */
        size_t run = sk_utf8_valid_prefix(s + pos, len - pos);
        sk_error e = sk_buf_append_len(&b, s + pos, run);
        pos += run;
        if (!e && pos < len) {
            sk_utf8_next(s, len, &pos);
            e = sk_buf_put_cp(&b, 0xFFFD);
        }
        if (e) {
            sk_buf_free(&b);
            return NULL;
        }
    }
    return b.data;
}

/* Recomputes the counts of f from its statuses and findings. */
static void derive(sk_summary_file *f)
{
    sk_tally t;
    memset(&t, 0, sizeof t);
    for (int i = 0; i < f->n_status; i++)
        if (f->status[i] < SK_STATUS__COUNT)
            t.counts[f->status[i]]++;
    for (int i = 0; i < f->n_findings; i++)
        sk_tally_finding(&t, f->findings[i].severity);
    memcpy(f->counts, t.counts, sizeof f->counts);
    f->errors = t.errors;
    f->warnings = t.warnings;
}

void sk_summary_file_clear(sk_summary_file *f)
{
    if (!f)
        return;
    free(f->path);
    free(f->rel);
    free(f->review);
    free(f->reason);
    free(f->service);
    free(f->phase_basis);
    free(f->status);
    for (int i = 0; i < f->n_findings; i++) {
        free(f->findings[i].code);
        free(f->findings[i].message);
    }
    free(f->findings);
    memset(f, 0, sizeof *f);
    f->phase = -1;
}

sk_error sk_summary_file_from_answers(const sk_answers *a, sk_lang lang, sk_summary_file *f)
{
    f->phase = a->phase;
    f->phase_auto = a->phase_auto;
    if (a->phase_auto) {
        char basis[512];
        sk_phase_basis(a, lang, basis, sizeof basis);
        if (!(f->phase_basis = dup_utf8(basis)))
            return SK_ERR_NOMEM;
    }
    f->service = dup_utf8(a->doc[SK_DOC_SERVICE]);
    f->n_status = a->n_items;
    f->status = calloc((size_t)(a->n_items ? a->n_items : 1), 1);
    int n = 0;
    for (int i = 0; i < a->n_items; i++)
        n += a->items[i].n_findings;
    f->findings = calloc((size_t)(n ? n : 1), sizeof *f->findings);
    if (!f->service || !f->status || !f->findings)
        goto fail;
    for (int i = 0; i < a->n_items; i++) {
        const sk_item_answers *ia = &a->items[i];
        f->status[i] = (unsigned char)ia->status;
        for (int k = 0; k < ia->n_findings; k++) {
            const sk_finding *fd = &ia->findings[k];
            sk_summary_finding *sf = &f->findings[f->n_findings++];
            sf->no = ia->item->no;
            sf->party = fd->party;
            if (fd->party >= 0 && fd->party < SK_PARTY__COUNT && ia->row > 0)
                snprintf(sf->cell, sizeof sf->cell, "%s", ia->cells[fd->party].ref);
            sf->severity = fd->severity;
            sf->code = dup_utf8(fd->code);
            sf->message = dup_utf8(lang == SK_LANG_EN ? fd->message_en : fd->message_ja);
            if (!sf->code || !sf->message)
                goto fail;
        }
    }
    derive(f);
    return SK_OK;
fail:
    sk_summary_file_clear(f);
    return SK_ERR_NOMEM;
}

sk_error sk_summary_file_fail(sk_summary_file *f, const char *reason)
{
    char *path = f->path, *review = f->review;
    f->path = f->review = NULL;
    sk_summary_file_clear(f);
    f->path = path;
    f->review = review;
    f->reason = dup_utf8(reason && *reason ? reason : "?");
    return f->reason ? SK_OK : SK_ERR_NOMEM;
}

const char *sk_summary_verdict(const sk_summary_file *f, sk_lang lang)
{
    bool ja = lang == SK_LANG_JA;
    if (f->reason && (strncmp(f->reason, "中断", strlen("中断")) == 0 || strncmp(f->reason, "not processed", 13) == 0))
        return ja ? "中断（未処理）" : "not processed (interrupted)"; /* batch.c */
    if (f->reason)
        return ja ? "読み込めません" : "unreadable";
    return sk_verdict_label(sk_verdict_of(f->errors, f->warnings), lang);
}

/* ---- message form ---- */

/* Appends a 32-bit little-endian number. */
static sk_error put_u32(sk_buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xFF), (char)(v >> 8 & 0xFF), (char)(v >> 16 & 0xFF), (char)(v >> 24 & 0xFF)};
    return sk_buf_append_len(b, c, 4);
}

/* Appends a length-prefixed string. */
static sk_error put_str(sk_buf *b, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len > UINT32_MAX)
        return SK_ERR_NOMEM;
    sk_error e = put_u32(b, (uint32_t)len);
    return e ? e : sk_buf_append_len(b, s ? s : "", len);
}

sk_error sk_summary_file_encode(const sk_summary_file *f, sk_buf *out)
{
    sk_error e = sk_buf_putc(out, MSG_VERSION);
    if (!e)
        e = sk_buf_putc(out, f->reason ? 1 : 0);
    if (!e && f->reason)
        return put_str(out, f->reason);
    if (!e)
        e = put_str(out, f->service);
    if (!e)
        e = put_u32(out, (uint32_t)(f->phase + 1));
    if (!e)
        e = sk_buf_putc(out, f->phase_auto ? 1 : 0);
    if (!e)
        e = put_str(out, f->phase_basis ? f->phase_basis : "");
    if (!e)
        e = put_u32(out, (uint32_t)f->n_status);
    if (!e)
        e = sk_buf_append_len(out, (const char *)f->status, (size_t)f->n_status);
    if (!e)
        e = put_u32(out, (uint32_t)f->n_findings);
    for (int i = 0; i < f->n_findings && !e; i++) {
        const sk_summary_finding *sf = &f->findings[i];
        if (!(e = put_u32(out, (uint32_t)sf->no)) && !(e = put_u32(out, (uint32_t)(sf->party + 1))) &&
            !(e = put_str(out, sf->cell)) && !(e = sk_buf_putc(out, (char)sf->severity)) &&
            !(e = put_str(out, sf->code)))
            e = put_str(out, sf->message);
    }
    return e;
}

typedef struct reader {
    const unsigned char *p;
    size_t left;
    const char *bad; /* what was malformed, or NULL */
} reader;

/* Reads one byte. */
static unsigned get_u8(reader *r)
{
    if (r->bad || r->left < 1) {
        r->bad = r->bad ? r->bad : "truncated";
        return 0;
    }
    r->left--;
    return *r->p++;
}

/* Reads a 32-bit little-endian number. */
static uint32_t get_u32(reader *r)
{
    if (r->bad || r->left < 4) {
        r->bad = r->bad ? r->bad : "truncated";
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return v;
}

/* Reads a string of at most max bytes that must be valid UTF-8 without NUL;
 * returns a new string or NULL (r->bad set). */
static char *get_str(reader *r, size_t max)
{
    uint32_t len = get_u32(r);
    if (r->bad)
        return NULL;
    if (len > r->left || len > max) {
        r->bad = "string too long";
        return NULL;
    }
    const char *s = (const char *)r->p;
    if (memchr(s, '\0', len) || !sk_utf8_valid(s, len)) {
        r->bad = "string is not UTF-8";
        return NULL;
    }
    r->p += len;
    r->left -= len;
    char *copy = sk_strndup(s, len);
    if (!copy)
        r->bad = "out of memory";
    return copy;
}

sk_error sk_summary_file_decode(const char *data, size_t len, int n_items, sk_summary_file *f, sk_diag *d)
{
    reader r = {(const unsigned char *)data, len, NULL};
    f->phase = -1;
    if (get_u8(&r) != MSG_VERSION && !r.bad)
        r.bad = "unknown version";
    unsigned failed = get_u8(&r);
    if (!r.bad && failed > 1)
        r.bad = "bad flag";
    if (!r.bad && failed) {
        f->reason = get_str(&r, CELL_TEXT_MAX);
        goto end;
    }
    f->service = get_str(&r, CELL_TEXT_MAX);
    uint32_t phase = get_u32(&r);
    if (!r.bad && phase > SK_MAX_PHASES)
        r.bad = "bad phase";
    f->phase = (int)phase - 1;
    unsigned pa = get_u8(&r);
    if (!r.bad && pa > 1)
        r.bad = "bad flag";
    f->phase_auto = pa == 1;
    f->phase_basis = get_str(&r, 1024);
    if (f->phase_basis && !f->phase_basis[0]) {
        free(f->phase_basis);
        f->phase_basis = NULL;
    }
    uint32_t n = get_u32(&r);
    if (!r.bad && (n != (uint32_t)n_items || n > r.left))
        r.bad = "item count differs from the template";
    if (!r.bad) {
        f->status = calloc(n ? n : 1, 1);
        if (!f->status)
            r.bad = "out of memory";
        else
            memcpy(f->status, r.p, n);
        f->n_status = (int)n;
        r.p += n;
        r.left -= n;
        for (uint32_t i = 0; i < n && !r.bad; i++)
            if (f->status[i] >= SK_STATUS__COUNT)
                r.bad = "bad status";
    }
    uint32_t nf = get_u32(&r);
    /* each finding takes at least 21 bytes: bound the allocation by the message */
    if (!r.bad && nf > r.left / 21)
        r.bad = "too many findings";
    if (!r.bad && !(f->findings = calloc(nf ? nf : 1, sizeof *f->findings)))
        r.bad = "out of memory";
    for (uint32_t i = 0; i < nf && !r.bad; i++) {
        sk_summary_finding *sf = &f->findings[i];
        f->n_findings = (int)i + 1;
        sf->no = (int)get_u32(&r);
        uint32_t party = get_u32(&r);
        char *cell = get_str(&r, sizeof sf->cell - 1);
        if (cell) {
            memcpy(sf->cell, cell, strlen(cell) + 1);
            free(cell);
        }
        unsigned sev = get_u8(&r);
        sf->code = get_str(&r, 256);
        sf->message = get_str(&r, CELL_TEXT_MAX);
        if (!r.bad && (party > SK_PARTY__COUNT ||
                       (sev != SK_SEV_INFO && sev != SK_SEV_WARNING && sev != SK_SEV_ERROR) || sf->no < 0))
            r.bad = "bad finding";
        sf->party = (int)party - 1;
        sf->severity = (sk_severity)sev;
    }
end:
    if (!r.bad && r.left)
        r.bad = "trailing bytes";
    if (r.bad) {
        sk_summary_file_clear(f);
        return sk_diag_set(d, SK_ERR_FORMAT, "malformed result from a worker (%s)", r.bad);
    }
    derive(f);
    f->checked = true;
    return SK_OK;
}

/* ---- labels ---- */

/* The phase as shown: label (ja) or id (en), with the auto mark and, when
 * known, the evidence auto chose it on. */
static void phase_text(const sk_summary *s, const sk_summary_file *f, char *out, size_t cap)
{
    out[0] = '\0';
    if (f->reason || f->phase < 0 || f->phase >= s->tpl->n_phases)
        return;
    bool ja = s->lang == SK_LANG_JA;
    const sk_phase_def *p = &s->tpl->phases[f->phase];
    if (f->phase_auto && f->phase_basis)
        snprintf(out, cap, ja ? "%s（自動判定: %s）" : "%s (auto: %s)", ja ? p->label : p->id, f->phase_basis);
    else
        snprintf(out, cap, "%s%s", ja ? p->label : p->id, f->phase_auto ? (ja ? "（自動判定）" : " (auto)") : "");
}

/* The header of sheet 1's column c (fixed columns, then items, then review). */
enum {
    COL_FILE,
    COL_SERVICE,
    COL_PHASE,
    COL_VERDICT,
    COL_COUNTS,
    COL_ERRORS = COL_COUNTS + SK_STATUS__COUNT,
    COL_WARNINGS,
    COL_ITEMS
};

static const char *fixed_header(int c, sk_lang lang)
{
    bool ja = lang == SK_LANG_JA;
    switch (c) {
    case COL_FILE: return ja ? "ファイル" : "file";
    case COL_SERVICE: return ja ? "利用する外部サービス" : "service";
    case COL_PHASE: return ja ? "段階" : "phase";
    case COL_VERDICT: return ja ? "判定" : "verdict";
    case COL_ERRORS: return ja ? "エラー" : "errors";
    case COL_WARNINGS: return ja ? "警告" : "warnings";
    default: return sk_status_label((sk_status)(c - COL_COUNTS), lang);
    }
}

static const char *review_header(sk_lang lang)
{
    return lang == SK_LANG_JA ? "確認用ブック" : "review copy";
}

/* batch --previous: the 前回比 columns after the review column. */
enum { PREV_COLS = 5 };

static const char *prev_header(int k, sk_lang lang)
{
    static const char *const ja[PREV_COLS] = {"前回のファイル", "前回比 変更項目数", "前回比 乖離", "前回比 解消",
                                              "前回比 新規"};
    static const char *const en[PREV_COLS] = {"previous file", "items changed", "乖離 (to approve)", "resolved",
                                              "new"};
    return lang == SK_LANG_JA ? ja[k] : en[k];
}

/* The value of 前回比 column k for p, as text ("" for an unpaired file). */
static void prev_value(const sk_summary_prev *p, int k, char *out, size_t cap)
{
    out[0] = '\0';
    if (!p || !p->previous)
        return;
    int v[PREV_COLS] = {0, p->items, p->divergences, p->resolved, p->nw};
    if (k == 0)
        snprintf(out, cap, "%s", p->previous);
    else
        snprintf(out, cap, "%d", v[k]);
}

/* ---- csv ---- */

/* Appends one CSV row for f (or the header when f is NULL). */
static sk_error csv_row(const sk_summary *s, const sk_summary_prev *prev, const sk_summary_file *f, sk_buf *b)
{
    const sk_template *t = s->tpl;
    char tmp[1280];
    sk_error e = SK_OK;
    const int review_c = COL_ITEMS + t->n_items;
    const sk_summary_prev *pv = prev && f ? &prev[f - s->files] : NULL;
    for (int c = 0; c < review_c + 1 + (prev ? PREV_COLS : 0) && !e; c++) {
        if (c > 0)
            e = sk_buf_putc(b, ',');
        if (e)
            break;
        if (c > review_c) {
            prev_value(pv, c - review_c - 1, tmp, sizeof tmp);
            e = sk_csv_field(b, f ? tmp : prev_header(c - review_c - 1, s->lang), f != NULL);
            continue;
        }
        if (!f) {
            if (c < COL_ITEMS)
                e = sk_csv_field(b, fixed_header(c, s->lang), false);
            else if (c < COL_ITEMS + t->n_items)
                e = sk_buf_printf(b, "No.%d", t->items[c - COL_ITEMS].no);
            else
                e = sk_csv_field(b, review_header(s->lang), false);
            continue;
        }
        bool ok = !f->reason;
        if (c == COL_FILE) {
            char *p = dup_utf8(f->path);
            e = p ? sk_csv_field(b, p, true) : SK_ERR_NOMEM;
            free(p);
        } else if (c == COL_SERVICE) {
            e = sk_csv_field(b, ok && f->service ? f->service : "", true);
        } else if (c == COL_PHASE) {
            phase_text(s, f, tmp, sizeof tmp);
            e = sk_csv_field(b, tmp, false);
        } else if (c == COL_VERDICT) {
            e = sk_csv_field(b, sk_summary_verdict(f, s->lang), false);
        } else if (!ok) {
            /* an unreadable file has no counts or statuses */
        } else if (c < COL_ERRORS) {
            e = sk_buf_printf(b, "%d", f->counts[c - COL_COUNTS]);
        } else if (c == COL_ERRORS) {
            e = sk_buf_printf(b, "%d", f->errors);
        } else if (c == COL_WARNINGS) {
            e = sk_buf_printf(b, "%d", f->warnings);
        } else if (c < COL_ITEMS + t->n_items) {
            int i = c - COL_ITEMS;
            if (i < f->n_status)
                e = sk_csv_field(b, sk_status_label((sk_status)f->status[i], s->lang), false);
        }
        if (!e && c == COL_ITEMS + t->n_items && f->review) {
            char *p = dup_utf8(f->review);
            e = p ? sk_csv_field(b, p, true) : SK_ERR_NOMEM;
            free(p);
        }
    }
    return e ? e : sk_buf_append(b, "\r\n");
}

sk_error sk_summary_csv(const sk_summary *s, bool cp932, sk_buf *out, sk_diag *d)
{
    return sk_summary_csv_prev(s, NULL, cp932, out, d);
}

sk_error sk_summary_csv_prev(const sk_summary *s, const sk_summary_prev *prev, bool cp932, sk_buf *out, sk_diag *d)
{
    sk_buf row = SK_BUF_INIT;
    sk_error e = cp932 ? SK_OK : sk_buf_append(out, "\xEF\xBB\xBF");
    for (size_t i = 0; i <= s->n_files && !e; i++) {
        const sk_summary_file *f = i == 0 ? NULL : &s->files[i - 1];
        sk_buf_reset(&row);
        e = csv_row(s, prev, f, &row);
        if (e)
            break;
        if (!cp932) {
            e = sk_buf_append_len(out, row.data, row.len);
            continue;
        }
        size_t bad_line;
        e = sk_to_cp932(row.data, row.len, out, &bad_line, d);
        if (e == SK_ERR_ENCODING)
            sk_diag_where(d, "%s", f && f->path ? f->path : "header");
    }
    sk_buf_free(&row);
    if (e == SK_ERR_NOMEM)
        sk_diag_set(d, e, "out of memory");
    return e;
}

/* ---- xlsx ---- */

typedef struct xfmt {
    lxw_format *header, *text, *wrap, *num, *center, *link, *status[SK_STATUS__COUNT], *verdict_err, *verdict_warn, *verdict_ok,
        *verdict_bad;
} xfmt;

/* A format with the sheet font, a thin border, and optional colours. */
static lxw_format *new_format(lxw_workbook *wb, uint32_t bg, uint32_t fg, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, SK_FONT_NAME);
    format_set_font_size(f, 10);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (bg) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, bg);
    }
    if (fg)
        format_set_font_color(f, fg);
    if (bold)
        format_set_bold(f);
    return f;
}

/* Creates the formats; the status colours are the review workbook's
 * (src/output/review.c), so that a status looks the same in both. */
static void make_formats(lxw_workbook *wb, xfmt *x)
{
    x->header = new_format(wb, 0xD9E1F2, 0, true);
    format_set_text_wrap(x->header);
    x->text = new_format(wb, 0, 0, false);
    x->wrap = new_format(wb, 0, 0, false);
    format_set_text_wrap(x->wrap);
    x->num = new_format(wb, 0, 0, false);
    x->center = new_format(wb, 0, 0, false);
    format_set_align(x->center, LXW_ALIGN_CENTER);
    x->link = new_format(wb, 0, 0x0563C1, false);
    format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
    for (int s = 0; s < SK_STATUS__COUNT; s++) {
        x->status[s] = new_format(wb, sk_status_fill[s], sk_status_font[s], false);
        format_set_align(x->status[s], LXW_ALIGN_CENTER);
    }
    x->verdict_err = new_format(wb, 0xFFC7CE, 0x9C0006, true);
    x->verdict_warn = new_format(wb, 0xFFEB9C, 0x9C5700, true);
    x->verdict_ok = new_format(wb, 0xC6EFCE, 0x006100, true);
    x->verdict_bad = new_format(wb, 0x808080, 0xFFFFFF, true);
}

/* The text of a cell: s made valid UTF-8 and cut to Excel's cell limit.
 * Returns s itself when it is so already (the usual case), else a copy
 * left in *own (free it); NULL on no memory. */
static const char *cell_text(const char *s, char **own)
{
    *own = NULL;
    size_t n = s ? strlen(s) : 0;
    if (n <= CELL_TEXT_MAX && sk_utf8_valid(s ? s : "", n))
        return s ? s : "";
    char *t = *own = dup_utf8(s ? s : "");
    if (!t)
        return NULL;
    size_t len = strlen(t);
    if (len > CELL_TEXT_MAX) {
        len = CELL_TEXT_MAX;
        while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
            len--;
        t[len] = '\0';
    }
    return t;
}

/* Writes text (made valid UTF-8, cut to Excel's cell limit). */
static sk_error put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    char *own;
    const char *t = cell_text(s, &own);
    if (!t)
        return SK_ERR_NOMEM;
    lxw_error le = worksheet_write_string(ws, r, c, t, f);
    free(own);
    return le == LXW_NO_ERROR ? SK_OK : SK_ERR_WRITE;
}

/* Writes a link to a file relative to the workbook.  A HYPERLINK formula
 * rather than a hyperlink record, which constant-memory mode drops; Excel
 * resolves the relative path against the summary's folder.  Plain text if
 * the path is too long for a formula. */
static sk_error put_link(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *rel, const xfmt *x)
{
    char *t = dup_utf8(rel);
    if (!t)
        return SK_ERR_NOMEM;
    sk_buf q = SK_BUF_INIT, f = SK_BUF_INIT;
    sk_error e = SK_OK;
    for (const char *p = t; *p && !e; p++)
        e = *p == '"' ? sk_buf_append(&q, "\"\"") : sk_buf_putc(&q, *p);
    if (!e)
        e = sk_buf_printf(&f, "=HYPERLINK(\"%s\",\"%s\")", q.data ? q.data : "", q.data ? q.data : "");
    if (!e && f.len < 2000 && worksheet_write_formula_str(ws, r, c, f.data, x->link, t) == LXW_NO_ERROR)
        ;
    else if (!e)
        e = put_text(ws, r, c, t, x->text);
    sk_buf_free(&q);
    sk_buf_free(&f);
    free(t);
    return e;
}

/* summary.xlsx while it is being written: rows are added in the order the
 * files are listed (constant-memory mode wants each sheet's rows in order;
 * the three sheets fill independently). */
struct sk_summary_writer {
    sk_summary meta; /* tpl and lang; no files */
    sk_out_wb out;
    xfmt x;
    lxw_worksheet *files, *matrix, *findings, *unread; /* unread: added with its first row */
    lxw_row_t n_files, n_findings, n_unread;
    sk_error err; /* the first failure: later calls do nothing */
    const sk_summary_prev *prev; /* batch --previous, or NULL */
    lxw_worksheet *unpaired;     /* its last sheet, added with its first row */
    bool raw, mraw;              /* the findings rows, the matrix rows go through sk_rawrows */
    sk_rawrows rows, mrows;
    sk_rawcell *mcells;          /* [1 + items]: a matrix row */
};

static const double findings_width[] = {36, 6, 10, 8, 8, 20, 90};

/* The input as shown in summary.xlsx: relative to the input folder. */
static const char *shown_path(const sk_summary_file *f)
{
    return f->rel ? f->rel : f->path;
}

/* Widths on 一覧: file, service, phase (wrapped), verdict, the counts, the review link. */
enum { FILES_W_FILE = 36, FILES_W_SERVICE = 22, FILES_W_PHASE = 18, FILES_W_VERDICT = 11, FILES_W_COUNT = 6,
       FILES_W_REVIEW = 30, MATRIX_W_FILE = 30, MATRIX_W_ITEM = 6 };

/* Sheet 1 (一覧) and its header row: one row per file, its counts and
 * review copy; sheet 2 (項目別の判定), the item × file matrix. */
static sk_error sheet_files(sk_summary_writer *w)
{
    const sk_summary *s = &w->meta;
    const xfmt *x = &w->x;
    const sk_template *t = s->tpl;
    bool ja = s->lang == SK_LANG_JA;
    lxw_worksheet *ws = w->files = workbook_add_worksheet(w->out.wb, ja ? "一覧" : "Files");
    lxw_worksheet *mx = w->matrix = workbook_add_worksheet(w->out.wb, ja ? "項目別の判定" : "Items");
    if (!ws || !mx)
        return SK_ERR_WRITE;
    const int review_col = COL_ITEMS;
    worksheet_set_column(ws, COL_FILE, COL_FILE, FILES_W_FILE, NULL);
    worksheet_set_column(ws, COL_SERVICE, COL_SERVICE, FILES_W_SERVICE, NULL);
    worksheet_set_column(ws, COL_PHASE, COL_PHASE, FILES_W_PHASE, NULL);
    worksheet_set_column(ws, COL_VERDICT, COL_VERDICT, FILES_W_VERDICT, NULL);
    worksheet_set_column(ws, COL_COUNTS, COL_WARNINGS, FILES_W_COUNT, NULL);
    worksheet_set_column(ws, (lxw_col_t)review_col, (lxw_col_t)review_col, FILES_W_REVIEW, NULL);
    worksheet_freeze_panes(ws, 1, 1);
    /* printed: A3 landscape, one page wide, the header row on every page */
    sk_page_setup(ws, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(ws, 0, 0);
    worksheet_set_row(ws, 0, 30, NULL);
    sk_error e = SK_OK;
    char tmp[1280];
    for (int c = 0; c < COL_ITEMS && !e; c++)
        e = put_text(ws, 0, (lxw_col_t)c, fixed_header(c, s->lang), x->header);
    if (!e)
        e = put_text(ws, 0, (lxw_col_t)review_col, review_header(s->lang), x->header);
    if (w->prev) {
        worksheet_set_column(ws, (lxw_col_t)(review_col + 1), (lxw_col_t)(review_col + 1), 30, NULL);
        worksheet_set_column(ws, (lxw_col_t)(review_col + 2), (lxw_col_t)(review_col + PREV_COLS), 9, NULL);
    }
    for (int k = 0; w->prev && k < PREV_COLS && !e; k++)
        e = put_text(ws, 0, (lxw_col_t)(review_col + 1 + k), prev_header(k, s->lang), x->header);
    /* the matrix: the file, then one narrow column per item; frozen on both */
    worksheet_set_column(mx, 0, 0, MATRIX_W_FILE, NULL);
    worksheet_set_column(mx, 1, (lxw_col_t)t->n_items, MATRIX_W_ITEM, NULL);
    worksheet_freeze_panes(mx, 1, 1);
    sk_page_setup(mx, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(mx, 0, 0);
    worksheet_repeat_columns(mx, 0, 0);
    if (!e)
        e = put_text(mx, 0, 0, fixed_header(COL_FILE, s->lang), x->header);
    for (int i = 0; i < t->n_items && !e; i++) {
        snprintf(tmp, sizeof tmp, "No.%d", t->items[i].no);
        e = put_text(mx, 0, (lxw_col_t)(1 + i), tmp, x->header);
    }
    w->mraw = sk_rawrows_usable(mx) && (w->mcells = calloc((size_t)t->n_items + 1, sizeof *w->mcells));
    return e;
}

/* A file's row on the matrix through sk_rawrows: the cells files_row writes. */
static sk_error raw_matrix_row(sk_summary_writer *w, lxw_row_t r, const sk_summary_file *f)
{
    const sk_template *t = w->meta.tpl;
    char *own;
    const char *path = cell_text(shown_path(f), &own);
    if (!path)
        return SK_ERR_NOMEM;
    int n = 1;
    w->mcells[0] = (sk_rawcell){path, 0, false, w->x.text};
    for (int i = 0; !f->reason && i < f->n_status && i < t->n_items; i++, n++)
        w->mcells[n] = (sk_rawcell){sk_status_label((sk_status)f->status[i], w->meta.lang), 0, false,
                                    w->x.status[f->status[i] % SK_STATUS__COUNT]};
    sk_error e = sk_rawrows_add(&w->mrows, w->matrix, r, 0, w->mcells, n);
    free(own);
    return e;
}

/* A file's row on sheet 1 and on the matrix. */
static sk_error files_row(sk_summary_writer *w, const sk_summary_file *f)
{
    const sk_summary *s = &w->meta;
    const xfmt *x = &w->x;
    const sk_template *t = s->tpl;
    lxw_worksheet *ws = w->files;
    const int review_col = COL_ITEMS;
    char tmp[1280];
    lxw_row_t r = ++w->n_files;
    phase_text(s, f, tmp, sizeof tmp);
    /* wrapped cells need their height: readers do not autofit */
    double h = sk_text_height(tmp, FILES_W_PHASE), hf = sk_text_height(shown_path(f), FILES_W_FILE),
           hs = sk_text_height(f->reason ? "" : f->service ? f->service : "", FILES_W_SERVICE);
    h = hf > h ? hf : h;
    h = hs > h ? hs : h;
    if (h > 15)
        worksheet_set_row(ws, r, h > 200 ? 200 : h, NULL);
    sk_error e = put_text(ws, r, COL_FILE, shown_path(f), x->wrap);
    if (!e)
        e = put_text(ws, r, COL_SERVICE, f->reason ? "" : f->service, x->wrap);
    if (!e)
        e = put_text(ws, r, COL_PHASE, tmp, x->wrap);
    lxw_format *vf = f->reason     ? x->verdict_bad
                     : f->errors   ? x->verdict_err
                     : f->warnings ? x->verdict_warn
                                   : x->verdict_ok;
    if (!e)
        e = put_text(ws, r, COL_VERDICT, sk_summary_verdict(f, s->lang), vf);
    if (!e && w->mraw)
        e = raw_matrix_row(w, r, f);
    else if (!e)
        e = put_text(w->matrix, r, 0, shown_path(f), x->text);
    if (e || f->reason)
        return e;
    for (int c = 0; c < SK_STATUS__COUNT && !e; c++)
        e = worksheet_write_number(ws, r, (lxw_col_t)(COL_COUNTS + c), f->counts[c], x->num) ? SK_ERR_WRITE : SK_OK;
    if (!e && worksheet_write_number(ws, r, COL_ERRORS, f->errors, x->num))
        e = SK_ERR_WRITE;
    if (!e && worksheet_write_number(ws, r, COL_WARNINGS, f->warnings, x->num))
        e = SK_ERR_WRITE;
    if (!e && f->review)
        e = put_link(ws, r, (lxw_col_t)review_col, f->review, x);
    for (int i = 0; i < f->n_status && i < t->n_items && !e && !w->mraw; i++)
        e = put_text(w->matrix, r, (lxw_col_t)(1 + i), sk_status_label((sk_status)f->status[i], s->lang),
                     x->status[f->status[i] % SK_STATUS__COUNT]);
    const sk_summary_prev *pv = w->prev ? &w->prev[r - 1] : NULL;
    for (int k = 0; pv && pv->previous && k < PREV_COLS && !e; k++) {
        prev_value(pv, k, tmp, sizeof tmp);
        lxw_col_t c = (lxw_col_t)(review_col + 1 + k);
        if (k == 0)
            e = put_text(ws, r, c, tmp, x->text);
        else
            e = worksheet_write_number(ws, r, c, atoi(tmp), k == 2 && pv->divergences ? x->status[SK_STATUS_REVIEW] : x->num)
                    ? SK_ERR_WRITE
                    : SK_OK;
    }
    return e;
}

/* Sheet 2 and its header row: every finding of every file. */
static sk_error sheet_findings(sk_summary_writer *w)
{
    bool ja = w->meta.lang == SK_LANG_JA;
    lxw_worksheet *ws = w->findings = workbook_add_worksheet(w->out.wb, ja ? "指摘事項" : "Findings");
    if (!ws)
        return SK_ERR_WRITE;
    static const char *const head_ja[] = {"ファイル", "No.", "列", "セル", "重大度", "コード", "指摘内容"};
    static const char *const head_en[] = {"file", "No.", "column", "cell", "severity", "code", "message"};
    sk_error e = SK_OK;
    for (int c = 0; c < 7 && !e; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, findings_width[c], NULL);
        e = put_text(ws, 0, (lxw_col_t)c, ja ? head_ja[c] : head_en[c], w->x.header);
    }
    worksheet_freeze_panes(ws, 1, 0);
    sk_page_setup(ws, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(ws, 0, 0);
    w->raw = sk_rawrows_usable(ws);
    if (w->raw) /* deflated while the workers run rather than after the last (atomic.c) */
        sk_rawrows_ahead(&w->rows, w->out.zip_level);
    return e;
}

/* A finding's row through sk_rawrows: the cells as findings_rows writes them. */
static sk_error raw_finding(sk_summary_writer *w, lxw_row_t r, double h, const char *path, const sk_summary_finding *sf,
                            bool checked, const char *col, lxw_format *sev)
{
    const xfmt *x = &w->x;
    char *own[3] = {NULL, NULL, NULL};
    const char *code = sf->code ? sf->code : "", *msg = sf->message ? sf->message : "", *cell = sf->cell;
    if (!checked) { /* else as cell_text would give them */
        code = cell_text(sf->code, &own[0]);
        msg = cell_text(sf->message, &own[1]);
        cell = cell_text(sf->cell, &own[2]);
    }
    sk_error e = code && msg && cell ? SK_OK : SK_ERR_NOMEM;
    sk_rawcell cells[7] = {
        {path, 0, false, x->text},
        {NULL, sf->no, true, x->center},
        {col, 0, false, x->text},
        {cell, 0, false, x->text},
        {sk_severity_label(sf->severity, w->meta.lang), 0, false, sev},
        {code, 0, false, x->text},
        {msg, 0, false, x->wrap},
    };
    if (!e)
        e = sk_rawrows_add(&w->rows, w->findings, r, h > 15 ? h : 0, cells, 7);
    for (int k = 0; k < 3; k++)
        free(own[k]);
    return e;
}

/* A file's findings on sheet 2. */
static sk_error findings_rows(sk_summary_writer *w, const sk_summary_file *f)
{
    bool ja = w->meta.lang == SK_LANG_JA;
    const xfmt *x = &w->x;
    lxw_worksheet *ws = w->findings;
    sk_error e = SK_OK;
    char *own = NULL;
    const char *path = w->raw && f->n_findings ? cell_text(shown_path(f), &own) : NULL;
    if (w->raw && f->n_findings && !path)
        return SK_ERR_NOMEM;
    for (int i = 0; i < f->n_findings && !e; i++) {
        const sk_summary_finding *sf = &f->findings[i];
        const char *col = sf->party < 0 ? ""
                          : ja          ? (sf->party == SK_PROVIDER ? "提供者" : "受託者")
                                        : sk_party_name((sk_party)sf->party);
        lxw_format *sev = sf->severity == SK_SEV_ERROR     ? x->status[SK_STATUS_DEFICIENT]
                          : sf->severity == SK_SEV_WARNING ? x->status[SK_STATUS_REVIEW]
                                                           : x->text;
        lxw_row_t r = ++w->n_findings;
        /* wrapped messages need their height: readers do not autofit */
        double h = sk_text_height(sf->message ? sf->message : "", findings_width[6]);
        if (w->raw) {
            e = raw_finding(w, r, h, path, sf, f->checked, col, sev);
            continue;
        }
        if (h > 15)
            worksheet_set_row(ws, r, h, NULL);
        e = put_text(ws, r, 0, shown_path(f), x->text);
        if (!e && worksheet_write_number(ws, r, 1, sf->no, x->center))
            e = SK_ERR_WRITE;
        if (!e)
            e = put_text(ws, r, 2, col, x->text);
        if (!e)
            e = put_text(ws, r, 3, sf->cell, x->text);
        if (!e)
            e = put_text(ws, r, 4, sk_severity_label(sf->severity, w->meta.lang), sev);
        if (!e)
            e = put_text(ws, r, 5, sf->code, x->text);
        if (!e)
            e = put_text(ws, r, 6, sf->message, x->wrap);
    }
    free(own);
    return e;
}

enum { REASON_W_FILE = 40, REASON_W_REASON = 90 };

/* Adds a sheet of files and reasons (named name_ja or name_en) with its
 * header row into *slot. */
static sk_error sheet_reasons(sk_summary_writer *w, const char *name_ja, const char *name_en, lxw_worksheet **slot)
{
    bool ja = w->meta.lang == SK_LANG_JA;
    lxw_worksheet *ws = *slot = workbook_add_worksheet(w->out.wb, ja ? name_ja : name_en);
    if (!ws)
        return SK_ERR_WRITE;
    worksheet_set_column(ws, 0, 0, REASON_W_FILE, NULL);
    worksheet_set_column(ws, 1, 1, REASON_W_REASON, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    sk_page_setup(ws, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(ws, 0, 0);
    sk_error e = put_text(ws, 0, 0, ja ? "ファイル" : "file", w->x.header);
    if (!e)
        e = put_text(ws, 0, 1, ja ? "理由" : "reason", w->x.header);
    return e;
}

/* Sheet 3 and its header row: the files that could not be read, then the
 * other inputs that could not be, with the reason. */
static sk_error sheet_unreadable(sk_summary_writer *w)
{
    return sheet_reasons(w, "読み込めないファイル", "Unreadable", &w->unread);
}

/* Row r of a sheet of files and reasons. */
static sk_error reason_row(sk_summary_writer *w, lxw_worksheet *ws, lxw_row_t r, const char *path, const char *reason)
{
    double h = sk_text_height(reason, REASON_W_REASON);
    if (h > 15)
        worksheet_set_row(ws, r, h, NULL);
    sk_error e = put_text(ws, r, 0, path, w->x.text);
    if (!e)
        e = put_text(ws, r, 1, reason, w->x.wrap);
    return e;
}

/* A row of the unreadable files' sheet (added with its first row: an empty
 * sheet would print a blank page). */
static sk_error unreadable_row(sk_summary_writer *w, const char *path, const char *reason)
{
    sk_error e0 = w->unread ? SK_OK : sheet_unreadable(w);
    if (e0)
        return e0;
    return reason_row(w, w->unread, ++w->n_unread, path, reason);
}

/* batch --previous: the fourth sheet, the files left unpaired. */
static sk_error sheet_unpaired(sk_summary_writer *w)
{
    return sheet_reasons(w, "前回と対応なし", "Unpaired", &w->unpaired);
}

static sk_error begin(const sk_template *t, sk_lang lang, const sk_summary_prev *prev, const char *path,
                      sk_summary_writer **out, sk_diag *d);

sk_error sk_summary_xlsx_begin(const sk_template *t, sk_lang lang, const char *path, sk_summary_writer **out,
                               sk_diag *d)
{
    return begin(t, lang, NULL, path, out, d);
}

static sk_error begin(const sk_template *t, sk_lang lang, const sk_summary_prev *prev, const char *path,
                      sk_summary_writer **out, sk_diag *d)
{
    *out = NULL;
    sk_summary_writer *w = calloc(1, sizeof *w);
    if (!w)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    w->meta.tpl = t;
    w->meta.lang = lang;
    w->prev = prev;
    /* constant memory: rows are written in order and go to a temporary file,
     * so a summary of many thousands of files stays small in memory */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    sk_error e = sk_out_wb_open(path, &opt, &w->out, d);
    if (e) {
        free(w);
        return e;
    }
    w->out.zip_level = 1; /* deflated serially after the last file: fast over small (atomic.c) */
    make_formats(w->out.wb, &w->x);
    e = sheet_files(w);
    if (!e)
        e = sheet_findings(w);
    if (e) {
        sk_summary_xlsx_abort(w);
        return sk_diag_set(d, e, "cannot build the workbook: %s", e == SK_ERR_NOMEM ? "out of memory" : sk_strerror(e));
    }
    *out = w;
    return SK_OK;
}

sk_error sk_summary_xlsx_add(sk_summary_writer *w, const sk_summary_file *f)
{
    if (w->err)
        return w->err;
    sk_error e = files_row(w, f);
    if (!e)
        e = findings_rows(w, f);
    if (!e && f->reason)
        e = unreadable_row(w, shown_path(f), f->reason);
    return w->err = e;
}

sk_error sk_summary_xlsx_finish(sk_summary_writer *w, const sk_summary_problem *problems, size_t n_problems,
                                time_t created, sk_diag *d)
{
    sk_error e = w->err;
    if (!e)
        e = sk_rawrows_end(&w->mrows); /* their last rows, written by libxlsxwriter at the close */
    if (!e)
        e = sk_rawrows_end(&w->rows);
    for (size_t k = 0; k < n_problems && !e; k++)
        e = unreadable_row(w, problems[k].path, problems[k].reason);
    if (!e) {
        worksheet_autofilter(w->files, 0, 0, w->n_files, (lxw_col_t)(COL_ITEMS + (w->prev ? PREV_COLS : 0)));
        worksheet_autofilter(w->matrix, 0, 0, w->n_files, (lxw_col_t)w->meta.tpl->n_items);
        worksheet_autofilter(w->findings, 0, 0, w->n_findings, 6);
        if (w->unread)
            worksheet_autofilter(w->unread, 0, 0, w->n_unread, 1);
        e = sk_out_mark(w->out.wb, "summary"); /* batch skips it as sechk's output */
        if (!e)
            e = sk_set_properties(w->out.wb,
                              w->meta.lang == SK_LANG_JA ? "セキュリティチェックリスト 集計" : "Security checklist summary",
                              w->meta.tpl->title, "sechk batch", created);
    }
    if (e)
        sk_diag_set(d, e, "cannot build the workbook: %s", e == SK_ERR_NOMEM ? "out of memory" : sk_strerror(e));
    e = sk_out_wb_close(&w->out, e, d);
    sk_rawrows_free(&w->rows);
    sk_rawrows_free(&w->mrows);
    free(w->mcells);
    free(w);
    return e;
}

void sk_summary_xlsx_abort(sk_summary_writer *w)
{
    if (!w)
        return;
    sk_out_wb_close(&w->out, SK_ERR_WRITE, NULL);
    sk_rawrows_free(&w->rows);
    sk_rawrows_free(&w->mrows);
    free(w->mcells);
    free(w);
}

sk_error sk_summary_xlsx(const sk_summary *s, const char *path, time_t created, sk_diag *d)
{
    return sk_summary_xlsx_prev(s, NULL, NULL, 0, path, created, d);
}

sk_error sk_summary_xlsx_prev(const sk_summary *s, const sk_summary_prev *prev, const sk_summary_problem *unpaired,
                              size_t n_unpaired, const char *path, time_t created, sk_diag *d)
{
    sk_summary_writer *w;
    sk_error e = begin(s->tpl, s->lang, prev, path, &w, d);
    if (e)
        return e;
    for (size_t k = 0; k < s->n_files && !e; k++)
        e = sk_summary_xlsx_add(w, &s->files[k]);
    if (!e && prev && n_unpaired)
        e = sheet_unpaired(w); /* not when empty */
    for (size_t k = 0; prev && k < n_unpaired && !e; k++)
        e = reason_row(w, w->unpaired, (lxw_row_t)(k + 1), unpaired[k].path, unpaired[k].reason);
    if (!e && prev && n_unpaired)
        worksheet_autofilter(w->unpaired, 0, 0, (lxw_row_t)n_unpaired, 1);
    if (e) {
        sk_summary_xlsx_finish(w, NULL, 0, created, d);
        return e;
    }
    return sk_summary_xlsx_finish(w, s->problems, s->n_problems, created, d);
}
