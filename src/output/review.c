/* sechk — the review workbook: サマリー, the checklist decorated with its
 * findings, and 指摘事項 (the request to re-answer). */
#include "sechk/review.h"
#include "sechk/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "sechk/diffbook.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/rulekind.h"
#include "sechk/text.h"

/* How an answer cell is marked: by its worst finding, else grey when its
 * item is not due yet. */
typedef enum mark { MARK_NONE = 0, MARK_NOT_DUE, MARK_INFO, MARK_WARNING, MARK_ERROR, MARK__COUNT } mark;

/* Fills of the marks (error: red family, warning: amber, not-due: grey);
 * tests/interop/check_review.py holds the same table. */
static const lxw_color_t mark_fill[MARK__COUNT] = {
    [MARK_NONE] = 0,           [MARK_NOT_DUE] = 0xEDEDED, [MARK_INFO] = 0xDDEBF7,
    [MARK_WARNING] = 0xFFEB9C, [MARK_ERROR] = 0xFFC7CE,
};

/* Bar colours of the chart: the same hues, stronger. */
static const lxw_color_t status_bar[SK_STATUS__COUNT] = {
    [SK_STATUS_OK] = 0x70AD47,     [SK_STATUS_NONCONFORMING] = 0xC00000, [SK_STATUS_DEFICIENT] = 0xFF5B5B,
    [SK_STATUS_REVIEW] = 0xFFC000, [SK_STATUS_UNANSWERED] = 0xED7D31,    [SK_STATUS_NOT_DUE] = 0xA5A5A5,
};

/* Sheet names and labels; [0] Japanese, [1] English. */
#define L(ctx, s) ((s)[(ctx)->lang == SK_LANG_EN])
static const char *const SHEET_SUMMARY[2] = {"サマリー", "Summary"};
static const char *const SHEET_FINDINGS[2] = {"指摘事項", "Findings"};

/* The checklist sheet's name: the form's title (English: Checklist). */
#define CHECKLIST_SHEET(rv) ((rv)->lang == SK_LANG_EN ? "Checklist" : sk_render_sheet_name((rv)->t))

/* One finding in the order of the findings sheet. */
typedef struct fref {
    int item, finding;
} fref;

typedef struct review {
    const sk_answers *a;
    const sk_template *t;
    sk_lang lang;
    time_t created;
    const char *source; /* file name of the source, without folders */
    sk_formats f;
    lxw_format *answer[MARK__COUNT][2]; /* [mark][centred] */
    lxw_format *status[SK_STATUS__COUNT];
    lxw_format *sev[MARK__COUNT][2]; /* [mark][vertically centred] */
    lxw_format *code; /* 参照コード: small grey */
    lxw_format *link, *link_center, *num, *kv_label, *kv_value, *h1, *h2, *cell, *cell_center, *verdict[3];
    mark cell_mark[SK_MAX_ITEMS][SK_PARTY__COUNT + 1]; /* [item][party]; [2]: the item as a whole */
    fref *order;
    int n_order;
    int *first_order; /* [item]: index in order of its first finding */
    int *first_row;   /* [item]: 0-based row of its first finding on the findings sheet, or -1 */
    int n_shown;      /* findings on the findings sheet (--for leaves some out) */
    int n_to_fix;     /* of those, errors and warnings: a reply is asked for */
    int counts[SK_STATUS__COUNT];
    int by_sev[MARK__COUNT];
    lxw_col_t col_answer0, col_status; /* checklist sheet: provider answer column, 判定 column */
    sk_buf buf;
    sk_diag *d;
    const sk_review_opts *o;           /* letter head, sections, paper */
    int paper;                         /* SK_PAPER_* */
    const sk_diff *prev;               /* review --previous, or NULL */
    const sk_diff_finding **prev_of;   /* [first_order[item] + finding]: its state, or NULL */
} review;

/* The mark of a severity. */
static mark mark_of(sk_severity s)
{
    return s == SK_SEV_ERROR ? MARK_ERROR : s == SK_SEV_WARNING ? MARK_WARNING : MARK_INFO;
}

/* Index in cell_mark of a finding's party (-1: the item). */
static int party_slot(int party)
{
    return party >= 0 && party < SK_PARTY__COUNT ? party : SK_PARTY__COUNT;
}

/* Counts, marks and the order of the findings (by item, then column, then
 * severity, worst first; stable otherwise). */
static sk_error analyse(review *rv)
{
    const sk_answers *a = rv->a;
    size_t total = 0;
    for (int i = 0; i < a->n_items; i++)
        total += a->items[i].n_findings > 0 ? (size_t)a->items[i].n_findings : 0;
    rv->order = calloc(total ? total : 1, sizeof *rv->order);
    rv->first_row = calloc(a->n_items > 0 ? (size_t)a->n_items : 1, sizeof *rv->first_row);
    rv->first_order = calloc(a->n_items > 0 ? (size_t)a->n_items : 1, sizeof *rv->first_order);
    if (!rv->order || !rv->first_row || !rv->first_order)
        return SK_ERR_NOMEM;
    for (int i = 0; i < a->n_items; i++) {
        const sk_item_answers *ia = &a->items[i];
        rv->counts[ia->status]++;
        for (int p = 0; p <= SK_PARTY__COUNT; p++)
            rv->cell_mark[i][p] = ia->status == SK_STATUS_NOT_DUE ? MARK_NOT_DUE : MARK_NONE;
        bool seen[SK_PARTY__COUNT + 1] = {false};
        rv->first_row[i] = -1;
        int start = rv->first_order[i] = rv->n_order;
        for (int f = 0; f < ia->n_findings; f++) {
            const sk_finding *fd = &ia->findings[f];
            mark m = mark_of(fd->severity);
            int ps = party_slot(fd->party);
            if (!seen[ps] || m > rv->cell_mark[i][ps])
                rv->cell_mark[i][ps] = m;
            seen[ps] = true;
            rv->by_sev[m]++;
            /* insertion sort: column, then severity (worst first) */
            int k = rv->n_order++;
            while (k > start) {
                const sk_finding *prev = &ia->findings[rv->order[k - 1].finding];
                int pp = party_slot(prev->party);
                mark pm = mark_of(prev->severity);
                if (pp < ps || (pp == ps && pm >= m))
                    break;
                rv->order[k] = rv->order[k - 1];
                k--;
            }
            rv->order[k] = (fref){i, f};
        }
    }
    return SK_OK;
}

/* Column of an answer cell (or the 判定 cell for the item) on the checklist sheet. */
static lxw_col_t finding_col(const review *rv, int party)
{
    return party >= 0 && party < SK_PARTY__COUNT ? rv->col_answer0 + (lxw_col_t)party : rv->col_status;
}

/* 0-based row of item i on the checklist sheet. */
static lxw_row_t item_row(int i)
{
    return (lxw_row_t)(SK_LAYOUT_FIRST_ITEM_ROW - 1 + i);
}

/* "internal:'Sheet'!H9" for a cell of another sheet. */
static void internal_link(char *out, size_t n, const char *sheet, lxw_row_t r, lxw_col_t c)
{
    char ref[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(ref, r, c);
    snprintf(out, n, "internal:'%s'!%s", sheet, ref);
}

/* Writes a string cell. */
static sk_error put(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    return sk_sheet_put(ws, r, c, s, f, rv->d);
}

/* Writes a number cell. */
static sk_error put_num(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    return sk_sheet_put_num(ws, r, c, v, f, rv->d);
}

/* Merges a range (or writes one cell) with text. */
static sk_error put_merged(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c1, lxw_col_t c2, const char *s,
                           lxw_format *f)
{
    if (c1 == c2)
        return put(rv, ws, r, c1, s, f);
    lxw_error e = worksheet_merge_range(ws, r, c1, r, c2, s ? s : "", f);
    return e ? sk_sheet_fail(rv->d, e, "merged cells") : SK_OK;
}

/* Writes a link to another sheet's cell, showing text. */
static sk_error put_link(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *url, const char *text,
                         lxw_format *f)
{
    lxw_error e = worksheet_write_url_opt(ws, r, c, url, f, text, NULL);
    if (e == LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED)
        return put(rv, ws, r, c, text, f);
    return e ? sk_sheet_fail(rv->d, e, "a link") : SK_OK;
}

/* Page setup shared by the sheets (paper from --paper, file in the header). */
static void page_setup(review *rv, lxw_worksheet *ws, bool landscape)
{
    sk_page_setup(ws, rv->paper, landscape, rv->source);
}

/* Font sizes (points) of the review's own formats. */
enum { FONT_BODY = 10, FONT_CODE = 8, FONT_H1 = 14, FONT_H2 = 11, FONT_VERDICT = 12 };
/* ... and of the comments and the chart. */
enum { FONT_COMMENT = 9, FONT_CHART = 9, FONT_CHART_TITLE = 11 };

/* Colours of the links, the 参照コード text and the section headings. */
enum { LINK_COLOR = 0x0563C1, CODE_COLOR = 0x595959, H2_COLOR = 0x1F4E78 };

/* A new format in the sheet font at size points. */
static lxw_format *font_format(lxw_workbook *wb, double size)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, SK_FONT_NAME);
    format_set_font_size(f, size);
    return f;
}

/* A new bordered body-size format aligned h and v. */
static lxw_format *boxed_format(lxw_workbook *wb, uint8_t h, uint8_t v)
{
    lxw_format *f = font_format(wb, FONT_BODY);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, h);
    format_set_align(f, v);
    return f;
}

/* The formats of the marks: answer cells [mark][centred] and severity
 * cells [mark][vertically centred]; the status cells between them. */
static void mark_formats_init(review *rv, lxw_workbook *wb)
{
    for (int m = 0; m < MARK__COUNT; m++)
        for (int c = 0; c < 2; c++) {
            lxw_format *f = boxed_format(wb, c ? LXW_ALIGN_CENTER : LXW_ALIGN_LEFT, LXW_ALIGN_VERTICAL_TOP);
            format_set_text_wrap(f);
            if (mark_fill[m])
                format_set_bg_color(f, mark_fill[m]);
            rv->answer[m][c] = f;
        }
    for (int s = 0; s < SK_STATUS__COUNT; s++) {
        lxw_format *f = boxed_format(wb, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER);
        format_set_text_wrap(f);
        format_set_bold(f);
        format_set_bg_color(f, sk_status_fill[s]);
        format_set_font_color(f, sk_status_font[s]);
        rv->status[s] = f;
    }
    for (int m = 0; m < MARK__COUNT; m++)
        for (int v = 0; v < 2; v++) {
            lxw_format *f =
                boxed_format(wb, LXW_ALIGN_CENTER, v ? LXW_ALIGN_VERTICAL_CENTER : LXW_ALIGN_VERTICAL_TOP);
            if (mark_fill[m])
                format_set_bg_color(f, mark_fill[m]);
            rv->sev[m][v] = f;
        }
}

/* A link's format: blue, underlined, centred, aligned v. */
static lxw_format *link_format(lxw_workbook *wb, uint8_t v)
{
    lxw_format *f = boxed_format(wb, LXW_ALIGN_CENTER, v);
    format_set_font_color(f, LINK_COLOR);
    format_set_underline(f, LXW_UNDERLINE_SINGLE);
    return f;
}

/* Creates the formats of the review (in a fixed order: the order of the
 * workbook's styles). */
static void formats_init(review *rv, lxw_workbook *wb)
{
    sk_formats_init(wb, &rv->f);
    mark_formats_init(rv, wb);
    rv->link = link_format(wb, LXW_ALIGN_VERTICAL_TOP);
    rv->link_center = link_format(wb, LXW_ALIGN_VERTICAL_CENTER);
    rv->num = boxed_format(wb, LXW_ALIGN_CENTER, LXW_ALIGN_VERTICAL_CENTER);
    /* A format identical to an earlier one is that one: libxlsxwriter keeps
     * the style index in the first object of a kind only, and hashes the
     * whole format again for every cell written with another. */
    rv->cell = rv->f.text;          /* bordered, wrapping, top */
    rv->cell_center = rv->f.center; /* the same, centred */
    lxw_format *f;
    rv->code = f = font_format(wb, FONT_CODE);
    format_set_font_color(f, CODE_COLOR);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    rv->kv_label = rv->f.label;
    rv->kv_value = rv->f.value; /* bordered, wrapping, vertically centred */
    rv->h1 = f = font_format(wb, FONT_H1);
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    rv->h2 = f = font_format(wb, FONT_H2);
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_BOTTOM);
    format_set_bottom(f, LXW_BORDER_MEDIUM);
    format_set_bottom_color(f, H2_COLOR);
    format_set_font_color(f, H2_COLOR);
    static const lxw_color_t vfill[3] = {0xFFC7CE, 0xFFEB9C, 0xC6EFCE}, vfont[3] = {0x9C0006, 0x9C5700, 0x006100};
    for (int k = 0; k < 3; k++) {
        rv->verdict[k] = f = font_format(wb, FONT_VERDICT);
        format_set_bold(f);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bg_color(f, vfill[k]);
        format_set_font_color(f, vfont[k]);
    }
}

/* The template's short name of column party (提供者) in the review's language. */
static const char *party_short(const review *rv, int party)
{
    return sk_template_party_short(rv->t, party, rv->lang);
}

/* The heading of a section of the findings sheet with its count: the
 * template's names of the parties ("外部サービス提供者への指摘（3 件）"). */
enum { SECTION_TITLE_MAX = 320 };
static void section_title(const review *rv, int sec, int count, char *out, size_t cap)
{
    const sk_party_def *p = rv->t->parties;
    if (rv->lang == SK_LANG_EN && sec < SK_PARTY__COUNT)
        snprintf(out, cap, "For the %s (%d)", p[sec].label.en, count);
    else if (rv->lang == SK_LANG_EN)
        snprintf(out, cap, "For the item as a whole (%s and %s) (%d)", p[0].short_label.en, p[1].short_label.en,
                 count);
    else if (sec < SK_PARTY__COUNT)
        snprintf(out, cap, "%sへの指摘（%d 件）", p[sec].label.ja, count);
    else
        snprintf(out, cap, "項目全体への指摘（%s・%s）（%d 件）", p[0].short_label.ja, p[1].short_label.ja, count);
}

/* The findings sheet's title: the template's title (Japanese) and what the
 * sheet asks for. */
static const char *findings_title(const review *rv, char *out, size_t cap)
{
    if (rv->lang == SK_LANG_EN)
        return rv->n_to_fix ? "Security checklist: request to correct and re-answer"
                            : "Security checklist: result of the review";
    snprintf(out, cap, "%s　%s", rv->t->title, rv->n_to_fix ? "再回答のお願い" : "確認結果");
    return out;
}

/* What the answerer is asked to do about a finding: the template's action
 * for its code, else its outcome's generic one, else one by severity. */
static const char *action_of(const sk_template *t, const char *code, sk_severity sev, sk_lang lang)
{
    int en = lang == SK_LANG_EN;
    const char *act = sk_template_action(t, code, en);
    if (!act)
        act = sk_outcome_action(code, en);
    if (act)
        return act;
    if (sev == SK_SEV_ERROR)
        return en ? "Correct the answer as described." : "指摘内容に沿って回答を修正してください。";
    return en ? "Check the answer and correct or explain it." : "内容を確認し、必要に応じて修正または補足してください。";
}

/* The message of a finding in the review's language. */
static const char *message_of(const review *rv, const sk_finding *fd)
{
    const char *m = rv->lang == SK_LANG_EN ? fd->message_en : fd->message_ja;
    return m ? m : "";
}

/* ----- the checklist sheet (hooks of the shared renderer) ----- */

/* Format of an answer cell: by its worst finding, grey when not due. */
static lxw_format *answer_format(void *ctx, int item, sk_party party)
{
    review *rv = ctx;
    const sk_cell_def *def = &rv->t->items[item].cells[party];
    mark m = rv->cell_mark[item][party];
    if (m == MARK_NONE)
        return NULL;
    return rv->answer[m][def->absent ? 1 : 0];
}

/* The comment box of a checklist cell: Excel's limit on its text (bytes
 * kept), its width, the characters a line holds, padding, least and most
 * height (pixels); its font against the body's (9 points to 10). */
enum { COMMENT_MAX_BYTES = 32000, COMMENT_WIDTH_PX = 380, COMMENT_WRAP_CHARS = 50, COMMENT_PAD_PX = 12 };
enum { COMMENT_MIN_PX = 60, COMMENT_MAX_PX = 700 };
static const double COMMENT_FONT_SCALE = 0.9;

/* The share of a column's width that text fills before Excel wraps it
 * (its wrapping is not ours): the 指摘 column, the letter's paragraph. */
static const double NOTE_FILL = 0.95, LETTER_FILL = 0.9;

/* The comment text of a cell: its findings (severity, code, message) and,
 * for a cell that could not be aligned, the template's text. */
static sk_error comment_text(review *rv, int i, int ps, sk_buf *out)
{
    const sk_item_answers *ia = &rv->a->items[i];
    sk_buf_reset(out);
    sk_error e = SK_OK;
    for (int k = rv->first_order[i]; k < rv->first_order[i] + ia->n_findings && !e; k++) {
        const sk_finding *fd = &ia->findings[rv->order[k].finding];
        if (party_slot(fd->party) != ps)
            continue;
        e = sk_buf_printf(out, "%s【%s】%s", out->len ? "\n\n" : "", sk_severity_label(fd->severity, rv->lang),
                          message_of(rv, fd));
    }
    /* an altered cell keeps the answerer's text: unless a text-altered
     * finding already quotes what was changed, show the template's text */
    bool quoted = false;
    for (int f = 0; ps < SK_PARTY__COUNT && f < ia->n_findings; f++)
        quoted |= ia->findings[f].party == ps && strcmp(ia->findings[f].code, "text-altered") == 0;
    const sk_cell_answers *ca = ps < SK_PARTY__COUNT ? &ia->cells[ps] : NULL;
    if (!e && ca && ca->present && (ca->r.approximate || (ca->r.altered && !quoted))) {
        const sk_cell_def *def = &ia->item->cells[ps];
        e = sk_buf_append(out, rv->lang == SK_LANG_EN ? "\n\nTemplate text:\n" : "\n\n定型文（原文）：\n");
        if (!e)
            e = sk_buf_append_len(out, def->text, def->text_len);
    }
    if (!e && out->len > COMMENT_MAX_BYTES) {
        size_t n = COMMENT_MAX_BYTES;
        while (n > 0 && ((unsigned char)out->data[n] & 0xC0) == 0x80)
            n--;
        out->data[n] = '\0';
        out->len = n;
    }
    return e;
}

/* Writes the comment of a checklist cell. */
static sk_error write_comment(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *text)
{
    /* the text's height at the body's size, in pixels (4/3 a point), for the
     * comment's smaller font */
    double h = sk_text_height(text, COMMENT_WRAP_CHARS) * 4 / 3 * COMMENT_FONT_SCALE + COMMENT_PAD_PX;
    lxw_comment_options co;
    memset(&co, 0, sizeof co);
    co.author = "sechk";
    co.width = COMMENT_WIDTH_PX;
    co.height = (uint16_t)(h < COMMENT_MIN_PX ? COMMENT_MIN_PX : h > COMMENT_MAX_PX ? COMMENT_MAX_PX : h);
    co.font_name = SK_FONT_NAME;
    co.font_size = FONT_COMMENT;
    lxw_error e = worksheet_write_comment_opt(ws, r, c, text, &co);
    return e ? sk_sheet_fail(rv->d, e, "a comment") : SK_OK;
}

/* Most bytes of one reason in the 指摘 column. */
enum { SHORT_FINDING_MAX = 240 };

/* The printed reasons of item i for the checklist's 指摘 column: one line a
 * finding, "・提供者：" and the first sentence of its message (the whole
 * message in English), cut at a character boundary. */
static sk_error short_findings(review *rv, int i, sk_buf *out)
{
    const sk_item_answers *ia = &rv->a->items[i];
    bool en = rv->lang == SK_LANG_EN;
    sk_buf_reset(out);
    sk_error e = SK_OK;
    for (int k = rv->first_order[i]; k < rv->first_order[i] + ia->n_findings && !e; k++) {
        const sk_finding *fd = &ia->findings[rv->order[k].finding];
        if (fd->severity == SK_SEV_INFO)
            continue;
        const char *m = message_of(rv, fd);
        size_t n = strlen(m);
        const char *stop = en ? NULL : strstr(m, "。");
        if (stop)
            n = (size_t)(stop - m) + strlen("。");
        if (n > SHORT_FINDING_MAX) {
            n = SHORT_FINDING_MAX;
            while (n > 0 && ((unsigned char)m[n] & 0xC0) == 0x80)
                n--;
        }
        bool cell_party = fd->party >= 0 && fd->party < SK_PARTY__COUNT;
        e = sk_buf_printf(out, "%s・%s%s%.*s", out->len ? "\n" : "", cell_party ? party_short(rv, fd->party) : "",
                          !cell_party ? "" : en ? ": " : "：", (int)n, m);
    }
    return e;
}

/* Height the 指摘 column needs on item i's row. */
static double note_height(void *ctx, int i)
{
    review *rv = ctx;
    if (short_findings(rv, i, &rv->buf) != SK_OK || !rv->buf.data)
        return 0;
    return sk_text_height(rv->buf.data, SK_RENDER_EXTRA2_WIDTH * NOTE_FILL);
}

/* After an item's row: the comments of its answer cells, its 判定 cell and
 * the printed reasons (指摘). */
static sk_error after_item(void *ctx, lxw_worksheet *ws, int i, lxw_row_t r)
{
    review *rv = ctx;
    const sk_item_answers *ia = &rv->a->items[i];
    sk_error e;
    if ((e = put(rv, ws, r, rv->col_status, sk_status_label(ia->status, rv->lang), rv->status[ia->status])))
        return e;
    if ((e = short_findings(rv, i, &rv->buf)) ||
        (e = put(rv, ws, r, rv->col_status + 1, rv->buf.data ? rv->buf.data : "", rv->cell)))
        return e;
    bool has[SK_PARTY__COUNT + 1] = {false};
    for (int f = 0; f < ia->n_findings; f++)
        has[party_slot(ia->findings[f].party)] = true;
    for (int ps = 0; ps <= SK_PARTY__COUNT; ps++) {
        if (!has[ps])
            continue;
        if ((e = comment_text(rv, i, ps, &rv->buf)) ||
            (e = write_comment(rv, ws, r, finding_col(rv, ps < SK_PARTY__COUNT ? ps : -1), rv->buf.data)))
            return e;
    }
    return SK_OK;
}

/* Writes the checklist sheet through the shared renderer. */
static sk_error write_checklist(review *rv, lxw_workbook *wb)
{
    const sk_template *t = rv->t;
    sk_render_opts o;
    memset(&o, 0, sizeof o);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        o.doc[k] = rv->a->doc[k];
    o.answers = rv->a;
    o.keep_altered = true;
    o.sheet_name = CHECKLIST_SHEET(rv);
    o.hooks.ctx = rv;
    o.hooks.answer_format = answer_format;
    o.hooks.after_item = after_item;
    o.hooks.extra_column = rv->lang == SK_LANG_EN ? "Status" : "判定";
    o.hooks.extra_column2 = rv->lang == SK_LANG_EN ? "Findings" : "指摘";
    o.hooks.row_height = note_height;
    o.paper = rv->paper;
    o.file = rv->source;
    o.project = rv->o && rv->o->project && *rv->o->project ? rv->o->project : NULL;
    lxw_worksheet *ws = NULL;
    sk_error e = sk_render_checklist(wb, &rv->f, t, &o, &ws, rv->d);
    return e;
}

/* ----- the findings sheet ----- */

enum { F_NO = 0, F_COLUMN, F_CELL, F_SEVERITY, F_MESSAGE, F_ACTION, F_REPLY, F__COUNT };
static const double f_widths[F__COUNT] = {5, 7, 9, 7, 56, 44, 30};
static const double F_CODE_WIDTH = 11; /* 参照コード, the last column */
enum { F_TITLE_ROW = 0, F_HEAD_FIRST = 2 }; /* the letter head starts on row 3 */
/* Row heights (points) and the --previous columns' widths of the findings sheet. */
enum { F_TITLE_HEIGHT = 24, F_SECTION_HEIGHT = 22, F_HEAD_HEIGHT = 20, F_SINCE_WIDTH = 8, F_EARLIER_WIDTH = 30 };
/* The letter head: its rows' height, the padding (points) under its
 * paragraph, and from the paragraph to the first section's row. */
enum { F_KV_HEIGHT = 20, F_LETTER_PAD = 6, F_LETTER_GAP_ROWS = 2 };

/* The answerer's own remark for a findings row: the text of the comment an
 * "answer-comment" finding reports (its comments are listed in the same
 * order as the cell's), else "". */
static const char *answerer_remark(const sk_item_answers *ia, int finding)
{
    const sk_finding *fd = &ia->findings[finding];
    if (strcmp(fd->code, "answer-comment") != 0 || fd->party < 0 || fd->party >= SK_PARTY__COUNT)
        return "";
    int nth = 0;
    for (int f = 0; f < finding; f++)
        nth += ia->findings[f].party == fd->party && strcmp(ia->findings[f].code, "answer-comment") == 0;
    const sk_cell_answers *ca = &ia->cells[fd->party];
    return nth < ca->n_comments ? ca->comments[nth].text : "";
}

/* The sheet read, and below it what reading says about the workbook (which
 * other sheets looked like the checklist), in buf. */
static const char *sheet_with_notes(const sk_answers *a, bool en, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "%s", a->sheet ? a->sheet : "");
    for (int f = 0; f < a->n_notes && len < cap; f++)
        len += (size_t)snprintf(buf + len, cap - len, "\n%s", en ? a->notes[f].message_en : a->notes[f].message_ja);
    if (len >= cap) { /* cut: end on a whole character */
        len = cap - 1;
        while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80)
            len--;
        buf[len] = '\0';
    }
    return buf;
}

/* Sections of the findings sheet: one per respondent, then the findings of
 * an item as a whole (with --for they join the one section). */
enum { SEC_PROVIDER = 0, SEC_CONTRACTOR, SEC_ITEM, SEC__COUNT };

/* Whether finding fd belongs in section sec. */
static bool in_section(const review *rv, const sk_finding *fd, int sec)
{
    int only = rv->o ? rv->o->only : 0;
    int party = fd->party >= 0 && fd->party < SK_PARTY__COUNT ? fd->party : -1;
    if (only)
        return sec == only - 1 && (party == only - 1 || party < 0);
    return party < 0 ? sec == SEC_ITEM : sec == party;
}

/* The letter head's value: v, or "" left to fill in by hand. */
static const char *or_blank(const char *v)
{
    return v ? v : "";
}

/* Writes the letter head of the findings sheet from row r; returns the next
 * free row in *next. */
static sk_error letter_head(review *rv, lxw_worksheet *ws, lxw_col_t last, lxw_row_t *next)
{
    bool en = rv->lang == SK_LANG_EN;
    const sk_review_opts *o = rv->o;
    const sk_answers *a = rv->a;
    char issued[64], deadline[64];
    struct tm tm;
    localtime_r(&rv->created, &tm);
    if (en)
        strftime(issued, sizeof issued, "%Y-%m-%d", &tm);
    else
        snprintf(issued, sizeof issued, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    deadline[0] = '\0';
    if (o && o->deadline && *o->deadline) {
        if (en || sk_date_format_ja(o->deadline, deadline) != SK_OK)
            snprintf(deadline, sizeof deadline, "%s", o->deadline);
    }
    const char *service = a->doc[SK_DOC_SERVICE] ? a->doc[SK_DOC_SERVICE] : "";
    const char *project = o && o->project ? o->project : "";
    bool none = rv->n_to_fix == 0;
    char to[512];
    snprintf(to, sizeof to, en || !(o && o->to && *o->to) ? "%s" : "%s　御中", o ? or_blank(o->to) : "");
    struct {
        const char *label, *value;
    } rows[] = {
        {en ? "To" : "宛先", to},
        {en ? rv->t->project_label.en : rv->t->project_label.ja, project},
        {en ? "Service" : "利用する外部サービス", service},
        {en ? "Issued" : "発行日", issued},
        {en ? "From" : "差出人", o ? or_blank(o->from) : ""},
        {en ? "Reply by" : "回答期限", none ? (en ? "(no reply needed)" : "（再提出は不要です）") : deadline},
    };
    lxw_row_t r = F_HEAD_FIRST;
    sk_error e;
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++, r++) {
        worksheet_set_row(ws, r, F_KV_HEIGHT, NULL);
        if ((e = put_merged(rv, ws, r, F_NO, F_CELL, rows[k].label, rv->kv_label)) ||
            (e = put_merged(rv, ws, r, F_SEVERITY, F_MESSAGE, rows[k].value, rv->kv_value)))
            return e;
    }
    r++;
    char text[2048];
    char when[96] = "";
    if (deadline[0])
        snprintf(when, sizeof when, en ? " by %s" : "%sまでに", deadline);
    /* the checklist by the template's title (the English has none) */
    const char *what = en ? "the security checklist" : rv->t->title;
    if (none && rv->n_shown)
        snprintf(text, sizeof text,
                 en ? "We have reviewed %s you submitted (%s). Nothing needs correcting; the "
                      "notes below are for reference. No resubmission is needed."
                    : "ご提出いただいた%s（%s）を確認しました。修正が必要な指摘はありません"
                      "（下記は参考の記載です）。再提出の必要はありません。",
                 what, rv->source);
    else if (none)
        snprintf(text, sizeof text,
                 en ? "We have reviewed %s you submitted (%s). There are no findings; no "
                      "resubmission is needed."
                    : "ご提出いただいた%s（%s）を確認しました。指摘事項はありません。"
                      "再提出の必要はありません。",
                 what, rv->source);
    else
        snprintf(text, sizeof text,
                 en ? "We have reviewed %s you submitted (%s). Please correct the answers on "
                      "the checklist as asked below, write what you did in the \"Answerer's comment\" column, and "
                      "submit the checklist with this sheet again%s. The Cell column links to the cell."
                    : "ご提出いただいた%s（%s）を確認しました。下記の指摘事項について、"
                      "チェックリストの回答を修正し、対応内容を「回答者コメント」欄に記入のうえ、%s本書とあわせて"
                      "再提出してください。「セル」欄をクリックすると該当する回答欄に移動します。",
                 what, rv->source, when);
    double total_w = F_CODE_WIDTH;
    for (int c = 0; c < F__COUNT; c++)
        total_w += f_widths[c];
    worksheet_set_row(ws, r, sk_text_height(text, total_w * LETTER_FILL) + F_LETTER_PAD, NULL);
    if ((e = put_merged(rv, ws, r, 0, last, text, rv->f.note)))
        return e;
    *next = r + F_LETTER_GAP_ROWS;
    return SK_OK;
}

/* Writes one finding's row. */
static sk_error finding_row(review *rv, lxw_worksheet *ws, lxw_row_t r, int k, lxw_col_t c_code)
{
    bool en = rv->lang == SK_LANG_EN;
    const int i = rv->order[k].item;
    const sk_item_answers *ia = &rv->a->items[i];
    const sk_finding *fd = &ia->findings[rv->order[k].finding];
    if (rv->first_row[i] < 0)
        rv->first_row[i] = (int)r;
    bool cell_party = fd->party >= 0 && fd->party < SK_PARTY__COUNT;
    const char *col = party_short(rv, cell_party ? fd->party : -1);
    lxw_col_t target = finding_col(rv, fd->party);
    char ref[LXW_MAX_CELL_NAME_LENGTH], url[256], shown[64];
    lxw_rowcol_to_cell(ref, item_row(i), target);
    internal_link(url, sizeof url, CHECKLIST_SHEET(rv), item_row(i), target);
    const char *orig = cell_party ? ia->cells[fd->party].ref : "";
    if (orig[0] && strcmp(orig, ref) != 0)
        snprintf(shown, sizeof shown, en ? "%s (original %s)" : "%s（原本 %s）", ref, orig);
    else
        snprintf(shown, sizeof shown, "%s", ref);
    const char *msg = message_of(rv, fd);
    const char *act = action_of(rv->t, fd->code, fd->severity, rv->lang);
    double h = sk_text_height(msg, f_widths[F_MESSAGE]), ha = sk_text_height(act, f_widths[F_ACTION]);
    worksheet_set_row(ws, r, ha > h ? ha : h, NULL);
    mark m = mark_of(fd->severity);
    sk_error e;
    if ((e = put_num(rv, ws, r, F_NO, rv->t->items[i].no, rv->cell_center)) ||
        (e = put(rv, ws, r, F_COLUMN, col, rv->cell_center)) || (e = put_link(rv, ws, r, F_CELL, url, shown, rv->link)) ||
        (e = put(rv, ws, r, F_SEVERITY, sk_severity_label(fd->severity, rv->lang), rv->sev[m][0])) ||
        (e = put(rv, ws, r, F_MESSAGE, msg, rv->cell)) || (e = put(rv, ws, r, F_ACTION, act, rv->cell)) ||
        (e = put(rv, ws, r, F_REPLY, answerer_remark(ia, rv->order[k].finding), rv->cell)) ||
        (e = put(rv, ws, r, c_code, fd->code, rv->code)))
        return e;
    if (rv->prev) {
        const sk_diff_finding *pf = rv->prev_of[rv->first_order[i] + rv->order[k].finding];
        if ((e = put(rv, ws, r, F__COUNT, pf ? sk_finding_state_label(pf->state, rv->lang) : "", rv->cell_center)) ||
            (e = put(rv, ws, r, F__COUNT + 1, pf && pf->reply ? pf->reply : "", rv->cell)))
            return e;
    }
    return SK_OK;
}

/* Writes the column headings of a section's table on row r. */
static sk_error table_head(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c_code)
{
    static const char *const heads[2][F__COUNT] = {
        {"No.", "回答欄", "セル", "重要度", "指摘内容", "修正のお願い", "回答者コメント"},
        {"No.", "Column", "Cell", "Severity", "Finding", "What to correct", "Answerer's comment"},
    };
    bool en = rv->lang == SK_LANG_EN;
    sk_error e;
    worksheet_set_row(ws, r, F_HEAD_HEIGHT, NULL);
    for (int c = 0; c < F__COUNT; c++)
        if ((e = put(rv, ws, r, (lxw_col_t)c, heads[en][c], rv->f.header)))
            return e;
    if (rv->prev && ((e = put(rv, ws, r, F__COUNT, en ? "Since previous" : "前回比", rv->f.header)) ||
                     (e = put(rv, ws, r, F__COUNT + 1, en ? "Earlier reply" : "前回の回答者コメント", rv->f.header))))
        return e;
    return put(rv, ws, r, c_code, en ? "Code" : "参照コード", rv->f.header);
}

/* Writes the findings sheet (指摘事項): the letter head, then a section per
 * respondent, each with its own table; the internal codes in the narrow
 * last column (参照コード). */
static sk_error write_findings(review *rv, lxw_workbook *wb)
{
    bool en = rv->lang == SK_LANG_EN;
    const char *name = L(rv, SHEET_FINDINGS);
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        return sk_diag_set(rv->d, SK_ERR_WRITE, "invalid sheet name \"%s\"", name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return sk_diag_set(rv->d, SK_ERR_NOMEM, "cannot add a worksheet");
    const lxw_col_t c_code = rv->prev ? F__COUNT + 2 : F__COUNT; /* --previous: 前回比, 前回の回答者コメント */
    const lxw_col_t last = c_code;
    for (int c = 0; c < F__COUNT; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, f_widths[c], NULL);
    if (rv->prev) {
        worksheet_set_column(ws, F__COUNT, F__COUNT, F_SINCE_WIDTH, NULL);
        worksheet_set_column(ws, F__COUNT + 1, F__COUNT + 1, F_EARLIER_WIDTH, NULL);
    }
    worksheet_set_column(ws, c_code, c_code, F_CODE_WIDTH, NULL);
    int in_sec[SEC__COUNT] = {0};
    for (int k = 0; k < rv->n_order; k++)
        for (int sec = 0; sec < SEC__COUNT; sec++)
            in_sec[sec] += in_section(rv, &rv->a->items[rv->order[k].item].findings[rv->order[k].finding], sec);
    rv->n_shown = in_sec[0] + in_sec[1] + in_sec[2];
    rv->n_to_fix = 0;
    for (int k = 0; k < rv->n_order; k++) {
        const sk_finding *fd = &rv->a->items[rv->order[k].item].findings[rv->order[k].finding];
        for (int sec = 0; sec < SEC__COUNT; sec++)
            rv->n_to_fix += in_section(rv, fd, sec) && fd->severity != SK_SEV_INFO;
    }
    sk_error e;
    char head[SECTION_TITLE_MAX];
    worksheet_set_row(ws, F_TITLE_ROW, F_TITLE_HEIGHT, NULL);
    if ((e = put(rv, ws, F_TITLE_ROW, 0,
                 findings_title(rv, head, sizeof head), rv->h1)))
        return e;
    lxw_row_t r, first_head = 0;
    if ((e = letter_head(rv, ws, last, &r)))
        return e;
    if (rv->n_shown == 0) {
        if ((e = put_merged(rv, ws, r, 0, last, en ? "No findings." : "指摘事項はありません。", rv->cell)))
            return e;
        first_head = r;
    }
    int only = rv->o ? rv->o->only : 0;
    for (int sec = 0; sec < SEC__COUNT; sec++) {
        if (!in_sec[sec] && !(only && sec == only - 1 && rv->n_shown))
            continue;
        char title[SECTION_TITLE_MAX];
        section_title(rv, sec, in_sec[sec], title, sizeof title);
        worksheet_set_row(ws, r, F_SECTION_HEIGHT, NULL);
        if ((e = put_merged(rv, ws, r, 0, last, title, rv->h2)))
            return e;
        r++;
        if (!first_head)
            first_head = r;
        if ((e = table_head(rv, ws, r++, c_code)))
            return e;
        for (int k = 0; k < rv->n_order; k++) {
            const fref *fr = &rv->order[k];
            if (!in_section(rv, &rv->a->items[fr->item].findings[fr->finding], sec))
                continue;
            if ((e = finding_row(rv, ws, r++, k, c_code)))
                return e;
        }
        r++;
    }
    page_setup(rv, ws, true);
    /* the table's header on every page; the title when there is no table */
    if (rv->n_shown)
        worksheet_repeat_rows(ws, first_head, first_head);
    else
        worksheet_repeat_rows(ws, F_TITLE_ROW, F_TITLE_ROW);
    worksheet_print_area(ws, 0, 0, r, last);
    return SK_OK;
}

/* ----- the summary sheet ----- */

enum { S_NO = 0, S_LIFECYCLE, S_LEVEL, S_STATUS, S_FINDINGS, S_ERRORS, S_WARNINGS, S__COUNT };
static const double s_widths[S__COUNT] = {7, 20, 11, 14, 11, 11, 11};
/* Rows of the summary: the title, then the header block from row 3. */
enum { S_TITLE_ROW = 0, S_HEAD_FIRST = 2 };
/* Row heights (points) of the summary. */
enum { S_TITLE_HEIGHT = 26, S_KV_MIN_HEIGHT = 18, S_VERDICT_MIN_HEIGHT = 24, S_H2_HEIGHT = 20 };
enum { S_TABLE_HEAD_HEIGHT = 20, S_COUNT_HEIGHT = 18, S_ITEM_HEIGHT = 16 };
/* From a block's last row to the next block's first (one empty row
 * between); the chart's height in default rows; the severities counted
 * (error, warning, info). */
enum { S_GAP_ROWS = 2, S_CHART_ROWS = 14, S_SEVERITIES = 3 };
/* The verdict's font (12 points) against the body's (10). */
static const double VERDICT_SCALE = 1.2;


/* A key-value row of the summary's header block. */
static sk_error kv(review *rv, lxw_worksheet *ws, lxw_row_t r, const char *label, const char *value, lxw_format *vf)
{
    double w = 0;
    for (int c = S_LEVEL; c < S__COUNT; c++)
        w += s_widths[c];
    double h = sk_text_height(value ? value : "", w);
    worksheet_set_row(ws, r, h < S_KV_MIN_HEIGHT ? S_KV_MIN_HEIGHT : h, NULL);
    sk_error e = put_merged(rv, ws, r, S_NO, S_LIFECYCLE, label, rv->kv_label);
    return e ? e : put_merged(rv, ws, r, S_LEVEL, S__COUNT - 1, value, vf ? vf : rv->kv_value);
}

/* The chart (pixels): libxlsxwriter's default size, its height here, its
 * offset in the first cell and the room left at the sides; the gap
 * between bars (% of a bar). A column of width w is w * CHAR_PX + COL_PAD_PX
 * pixels wide (Excel's default font). */
enum { CHART_DEFAULT_W = 480, CHART_DEFAULT_H = 288, CHART_H = 250, CHART_X_OFFSET = 4, CHART_Y_OFFSET = 6 };
enum { CHART_SIDES_PX = 12, CHART_GAP_PCT = 60, CHAR_PX = 7, COL_PAD_PX = 5 };

/* The step of the chart's value axis for counts up to max: about ten ticks
 * at the most. */
static int major_unit(int max)
{
    static const struct {
        int above, unit;
    } steps[] = {{40, 10}, {20, 5}, {8, 2}};
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++)
        if (max > steps[k].above)
            return steps[k].unit;
    return 1;
}

/* The summary's chart of the item counts by status. */
static sk_error add_chart(review *rv, lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t first, lxw_row_t at)
{
    bool en = rv->lang == SK_LANG_EN;
    lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_BAR);
    if (!ch)
        return sk_diag_set(rv->d, SK_ERR_NOMEM, "cannot add a chart");
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
    if (!s)
        return sk_diag_set(rv->d, SK_ERR_NOMEM, "cannot add a chart series");
    const char *sheet = L(rv, SHEET_SUMMARY);
    chart_series_set_categories(s, sheet, first, S_NO, first + SK_STATUS__COUNT - 1, S_NO);
    chart_series_set_values(s, sheet, first, S_LEVEL, first + SK_STATUS__COUNT - 1, S_LEVEL);
    chart_series_set_name(s, en ? "Items" : "項目数");
    lxw_chart_fill fills[SK_STATUS__COUNT];
    lxw_chart_point pts[SK_STATUS__COUNT];
    lxw_chart_point *pp[SK_STATUS__COUNT + 1];
    for (int k = 0; k < SK_STATUS__COUNT; k++) {
        memset(&fills[k], 0, sizeof fills[k]);
        memset(&pts[k], 0, sizeof pts[k]);
        fills[k].color = status_bar[k];
        pts[k].fill = &fills[k];
        pp[k] = &pts[k];
    }
    pp[SK_STATUS__COUNT] = NULL;
    if (chart_series_set_points(s, pp) != LXW_NO_ERROR)
        return sk_diag_set(rv->d, SK_ERR_NOMEM, "cannot colour the chart");
    lxw_chart_font font = {.name = SK_FONT_NAME, .size = FONT_CHART};
    lxw_chart_font title_font = {.name = SK_FONT_NAME, .size = FONT_CHART_TITLE, .bold = LXW_EXPLICIT_FALSE};
    chart_series_set_labels(s);
    chart_series_set_labels_font(s, &font);
    chart_set_series_gap(ch, CHART_GAP_PCT);
    chart_title_set_name(ch, en ? "Items by status" : "判定別の項目数");
    chart_title_set_name_font(ch, &title_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    /* in a bar chart the y axis holds the categories, the x axis the values;
     * reversed, the bars read top-down in the table's order */
    chart_axis_set_reverse(ch->y_axis);
    chart_axis_set_crossing_max(ch->y_axis); /* keeps the value axis at the bottom */
    chart_axis_set_num_font(ch->x_axis, &font);
    chart_axis_set_num_font(ch->y_axis, &font);
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_num_format(ch->x_axis, "0");
    int max = 0;
    for (int k = 0; k < SK_STATUS__COUNT; k++)
        if (rv->counts[k] > max)
            max = rv->counts[k];
    chart_axis_set_major_unit(ch->x_axis, major_unit(max));
    double w_px = 0;
    for (int c = 0; c < S__COUNT; c++)
        w_px += s_widths[c] * CHAR_PX + COL_PAD_PX;
    lxw_chart_options co;
    memset(&co, 0, sizeof co);
    co.x_offset = CHART_X_OFFSET;
    co.y_offset = CHART_Y_OFFSET;
    co.x_scale = (w_px - CHART_SIDES_PX) / (double)CHART_DEFAULT_W;
    co.y_scale = (double)CHART_H / CHART_DEFAULT_H;
    co.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    lxw_error e = worksheet_insert_chart_opt(ws, at, 0, ch, &co);
    return e ? sk_sheet_fail(rv->d, e, "the chart") : SK_OK;
}

/* Writes the summary's title and its header block (file, sheet, document
 * fields, phase, definition, date) from row 0; *next: the verdict's row. */
static sk_error summary_head(review *rv, lxw_worksheet *ws, lxw_row_t *next)
{
    bool en = rv->lang == SK_LANG_EN;
    const sk_answers *a = rv->a;
    const sk_template *t = rv->t;
    sk_error e;
    char text[1024];
    worksheet_set_row(ws, S_TITLE_ROW, S_TITLE_HEIGHT, NULL);
    snprintf(text, sizeof text, "%s 確認結果（サマリー）", rv->t->title);
    if ((e = put(rv, ws, S_TITLE_ROW, 0, en ? "Security checklist review: summary" : text, rv->h1)))
        return e;
    lxw_row_t r = S_HEAD_FIRST;
    struct tm tm;
    localtime_r(&rv->created, &tm);
    if (en)
        strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
    else
        snprintf(text, sizeof text, "%d年%d月%d日 %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min);
    const char *none = en ? "(not stated)" : "（記載なし）";
    char sheet[2048];
    const char *doc_label[SK_DOC__COUNT] = {en ? "Created (作成日)" : "作成日", en ? "Updated (更新日)" : "更新日",
                                            en ? "Service" : "利用する外部サービス"};
    if ((e = kv(rv, ws, r++, en ? "Source file" : "対象ファイル", rv->source, NULL)) ||
        (e = kv(rv, ws, r++, "SHA-256", a->sha256 ? a->sha256 : "", NULL)) ||
        (e = kv(rv, ws, r++, en ? "Checklist sheet" : "チェックリストのシート", sheet_with_notes(a, en, sheet, sizeof sheet),
                NULL)))
        return e;
    static const sk_doc_field order[SK_DOC__COUNT] = {SK_DOC_SERVICE, SK_DOC_CREATED, SK_DOC_UPDATED};
    for (int k = 0; k < SK_DOC__COUNT; k++) {
        const char *v = a->doc[order[k]] && a->doc[order[k]][0] ? a->doc[order[k]] : none;
        if ((e = kv(rv, ws, r++, doc_label[order[k]], v, NULL)))
            return e;
    }
    char phase[1024];
    const char *pl = a->phase >= 0 && a->phase < t->n_phases ? t->phases[a->phase].label : "-";
    if (a->phase_auto) {
        char basis[512];
        sk_phase_basis(a, en ? SK_LANG_EN : SK_LANG_JA, basis, sizeof basis);
        snprintf(phase, sizeof phase, en ? "%s (auto: %s)" : "%s（自動判定: %s）", pl, basis);
    } else
        snprintf(phase, sizeof phase, en ? "%s (given)" : "%s（指定）", pl);
    char tpl[256];
    snprintf(tpl, sizeof tpl, "%s %s", t->id, t->version);
    if ((e = kv(rv, ws, r++, en ? "Phase checked" : "確認した段階", phase, NULL)) ||
        (e = kv(rv, ws, r++, en ? "Checklist definition" : "チェックリスト定義", tpl, NULL)) ||
        (e = kv(rv, ws, r++, en ? "Reviewed at" : "確認日時", text, NULL)))
        return e;
    *next = r;
    return SK_OK;
}

/* Writes the verdict on row r and, with --previous, the comparison's
 * counts below it; *last: the block's last row. */
static sk_error summary_verdict(review *rv, lxw_worksheet *ws, lxw_row_t r, lxw_row_t *last)
{
    bool en = rv->lang == SK_LANG_EN;
    char text[1024];
    sk_error e;
    sk_verdict v = sk_verdict_of(rv->by_sev[MARK_ERROR], rv->by_sev[MARK_WARNING]);
    /* the sheet spells the English "ok" out */
    const char *vl = v == SK_VERDICT_OK && en ? "no problems found" : sk_verdict_label(v, rv->lang);
    if (v == SK_VERDICT_CORRECT)
        snprintf(text, sizeof text,
                 en ? "%s: %d errors, %d warnings (see the %s sheet)"
                    : "%s（エラー %d 件、警告 %d 件。「%s」シートを参照）",
                 vl, rv->by_sev[MARK_ERROR], rv->by_sev[MARK_WARNING], L(rv, SHEET_FINDINGS));
    else if (v == SK_VERDICT_REVIEW)
        snprintf(text, sizeof text, en ? "%s: %d warnings (see the %s sheet)" : "%s（警告 %d 件。「%s」シートを参照）",
                 vl, rv->by_sev[MARK_WARNING], L(rv, SHEET_FINDINGS));
    else
        snprintf(text, sizeof text, "%s", vl);
    double vw = 0;
    for (int c = S_LEVEL; c < S__COUNT; c++)
        vw += s_widths[c];
    double vh = sk_text_height(text, vw / VERDICT_SCALE) * VERDICT_SCALE;
    worksheet_set_row(ws, r, vh < S_VERDICT_MIN_HEIGHT ? S_VERDICT_MIN_HEIGHT : vh, NULL);
    if ((e = put_merged(rv, ws, r, S_NO, S_LIFECYCLE, en ? "Verdict" : "判定", rv->kv_label)) ||
        (e = put_merged(rv, ws, r, S_LEVEL, S__COUNT - 1, text, rv->verdict[v])))
        return e;
    if (rv->prev) {
        const sk_diff *df = rv->prev;
        const char *pp = df->old->path ? strrchr(df->old->path, '/') : NULL;
        pp = pp ? pp + 1 : df->old->path ? df->old->path : "";
        r++;
        if ((e = kv(rv, ws, r++, en ? "Previous submission" : "前回の提出物", pp, NULL)))
            return e;
        snprintf(text, sizeof text,
                 en ? "findings: %d resolved, %d open, %d new; %d changes in %d items, %d needing approval (乖離)"
                    : "指摘: 解消 %d 件、継続 %d 件、新規 %d 件／変更 %d 件（%d 項目、うち乖離 %d 件）",
                 df->counts[SK_FINDING_RESOLVED], df->counts[SK_FINDING_OPEN], df->counts[SK_FINDING_NEW],
                 df->n_changes, df->n_items_changed, df->n_divergences);
        if ((e = kv(rv, ws, r, en ? "Since previous" : "前回との比較", text, NULL)))
            return e;
    }
    *last = r;
    return SK_OK;
}

/* Writes the counts by status (left) and by severity (right) from row r,
 * and the chart below them; *next: the row after the chart. */
static sk_error summary_counts(review *rv, lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t r, lxw_row_t *next)
{
    bool en = rv->lang == SK_LANG_EN;
    sk_error e;
    worksheet_set_row(ws, r, S_H2_HEIGHT, NULL);
    if ((e = put_merged(rv, ws, r, S_NO, S_LEVEL, en ? "Items by status" : "判定別の項目数", rv->h2)) ||
        (e = put_merged(rv, ws, r, S_FINDINGS, S_WARNINGS, en ? "Findings by severity" : "重要度別の指摘数", rv->h2)))
        return e;
    r++;
    if ((e = put_merged(rv, ws, r, S_NO, S_LIFECYCLE, en ? "Status" : "判定", rv->f.header)) ||
        (e = put(rv, ws, r, S_LEVEL, en ? "Items" : "項目数", rv->f.header)) ||
        (e = put_merged(rv, ws, r, S_FINDINGS, S_ERRORS, en ? "Severity" : "重要度", rv->f.header)) ||
        (e = put(rv, ws, r, S_WARNINGS, en ? "Findings" : "件数", rv->f.header)))
        return e;
    r++;
    const lxw_row_t first_count = r;
    for (int s = 0; s < SK_STATUS__COUNT; s++, r++) {
        worksheet_set_row(ws, r, S_COUNT_HEIGHT, NULL);
        /* the label stands alone in column A (the chart's categories) */
        if ((e = put_merged(rv, ws, r, S_NO, S_LIFECYCLE, sk_status_label((sk_status)s, rv->lang), rv->status[s])) ||
            (e = put_num(rv, ws, r, S_LEVEL, rv->counts[s], rv->num)))
            return e;
    }
    if ((e = put_merged(rv, ws, r, S_NO, S_LIFECYCLE, en ? "Total" : "合計", rv->f.header)) ||
        (e = put_num(rv, ws, r, S_LEVEL, rv->a->n_items, rv->num)))
        return e;
    static const mark sev_rows[S_SEVERITIES] = {MARK_ERROR, MARK_WARNING, MARK_INFO};
    static const sk_severity sev_of[S_SEVERITIES] = {SK_SEV_ERROR, SK_SEV_WARNING, SK_SEV_INFO};
    for (int k = 0; k < S_SEVERITIES; k++) {
        lxw_row_t rr = first_count + (lxw_row_t)k;
        if ((e = put_merged(rv, ws, rr, S_FINDINGS, S_ERRORS, sk_severity_label(sev_of[k], rv->lang),
                            rv->sev[sev_rows[k]][1])) ||
            (e = put_num(rv, ws, rr, S_WARNINGS, rv->by_sev[sev_rows[k]], rv->num)))
            return e;
    }
    if ((e = put_merged(rv, ws, first_count + S_SEVERITIES, S_FINDINGS, S_ERRORS, en ? "Total" : "合計",
                        rv->f.header)) ||
        (e = put_num(rv, ws, first_count + S_SEVERITIES, S_WARNINGS, rv->n_order, rv->num)))
        return e;
    r += S_GAP_ROWS;
    if ((e = add_chart(rv, wb, ws, first_count, r)))
        return e;
    *next = r + S_CHART_ROWS;
    return SK_OK;
}

/* Writes item i's row of the per-item table on row r. */
static sk_error summary_item(review *rv, lxw_worksheet *ws, int i, lxw_row_t r)
{
    bool en = rv->lang == SK_LANG_EN;
    const sk_template *t = rv->t;
    const sk_item_answers *ia = &rv->a->items[i];
    const sk_item *it = ia->item;
    sk_tally tally;
    memset(&tally, 0, sizeof tally);
    sk_item_tally(ia, &tally);
    const char *life = it->lifecycle == SK_LIFECYCLE_ALL ? (en ? "all phases" : "全段階")
                       : en                              ? t->phases[it->lifecycle].id
                                                         : t->phases[it->lifecycle].label;
    const char *level = en ? sk_level_name(it->level) : t->level_labels[it->level];
    char url[256], no[16];
    internal_link(url, sizeof url, CHECKLIST_SHEET(rv), item_row(i), 0);
    snprintf(no, sizeof no, "%d", it->no);
    worksheet_set_row(ws, r, S_ITEM_HEIGHT, NULL);
    sk_error e;
    if ((e = put_link(rv, ws, r, S_NO, url, no, rv->link_center)) ||
        (e = put(rv, ws, r, S_LIFECYCLE, life, rv->num)) || (e = put(rv, ws, r, S_LEVEL, level, rv->num)) ||
        (e = put(rv, ws, r, S_STATUS, sk_status_label(ia->status, rv->lang), rv->status[ia->status])))
        return e;
    if (ia->n_findings && rv->first_row[i] >= 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", ia->n_findings);
        internal_link(url, sizeof url, L(rv, SHEET_FINDINGS), (lxw_row_t)rv->first_row[i], F_MESSAGE);
        e = put_link(rv, ws, r, S_FINDINGS, url, n, rv->link_center);
    } else {
        e = put_num(rv, ws, r, S_FINDINGS, ia->n_findings, rv->num);
    }
    if (e || (e = put_num(rv, ws, r, S_ERRORS, tally.errors, rv->num)) ||
        (e = put_num(rv, ws, r, S_WARNINGS, tally.warnings, rv->num)))
        return e;
    return SK_OK;
}

/* Writes the per-item table from row r, on a new printed page, and the
 * sheet's page setup. */
static sk_error summary_items(review *rv, lxw_worksheet *ws, lxw_row_t r)
{
    bool en = rv->lang == SK_LANG_EN;
    sk_error e;
    lxw_row_t breaks[2] = {r, 0};
    worksheet_set_h_pagebreaks(ws, breaks);
    worksheet_set_row(ws, r, S_H2_HEIGHT, NULL);
    if ((e = put_merged(rv, ws, r, S_NO, S__COUNT - 1, en ? "Items" : "項目別の判定", rv->h2)))
        return e;
    r++;
    const lxw_row_t head = r;
    static const char *const heads[2][S__COUNT] = {
        {"No.", "ライフサイクル", "必須／推奨", "判定", "指摘数", "うちエラー", "うち警告"},
        {"No.", "Lifecycle", "Level", "Status", "Findings", "Errors", "Warnings"},
    };
    worksheet_set_row(ws, r, S_TABLE_HEAD_HEIGHT, NULL);
    for (int c = 0; c < S__COUNT; c++)
        if ((e = put(rv, ws, r, (lxw_col_t)c, heads[en][c], rv->f.header)))
            return e;
    r++;
    for (int i = 0; i < rv->a->n_items; i++, r++)
        if ((e = summary_item(rv, ws, i, r)))
            return e;
    page_setup(rv, ws, false);
    worksheet_repeat_rows(ws, head, head);
    worksheet_print_area(ws, 0, 0, r - 1, S__COUNT - 1);
    return SK_OK;
}

/* Writes the summary sheet (サマリー): the header block, the verdict, the
 * counts with their chart, and the per-item table. */
static sk_error write_summary(review *rv, lxw_workbook *wb, lxw_worksheet *ws)
{
    for (int c = 0; c < S__COUNT; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, s_widths[c], NULL);
    sk_error e;
    lxw_row_t r;
    if ((e = summary_head(rv, ws, &r)) || (e = summary_verdict(rv, ws, r, &r)) ||
        (e = summary_counts(rv, wb, ws, r + S_GAP_ROWS, &r)) || (e = summary_items(rv, ws, r)))
        return e;
    worksheet_activate(ws);
    return SK_OK;
}

/* Builds the whole review workbook. */
static sk_error build(lxw_workbook *wb, void *ctx, sk_diag *d)
{
    review *rv = ctx;
    rv->d = d;
    formats_init(rv, wb);
    const char *name = L(rv, SHEET_SUMMARY);
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        return sk_diag_set(d, SK_ERR_WRITE, "invalid sheet name \"%s\"", name);
    /* the summary is first; its links to the findings need their rows, so
     * it is filled last */
    lxw_worksheet *summary = workbook_add_worksheet(wb, name);
    if (!summary)
        return sk_diag_set(d, SK_ERR_NOMEM, "cannot add a worksheet");
    sk_error e;
    if ((e = write_checklist(rv, wb)) || (e = write_findings(rv, wb)))
        return e;
    if (rv->prev) {
        sk_diffbook_opts po = {.lang = rv->lang,
                               .created = rv->created,
                               .sheet_name = rv->lang == SK_LANG_EN ? "Previous round" : "前回との比較",
                               .checklist = CHECKLIST_SHEET(rv)};
        if ((e = sk_diff_sheet(wb, &rv->f, rv->prev, &po, d)))
            return e;
    }
    if ((e = write_summary(rv, wb, summary)))
        return e;
    char title[512], comments[2048];
    snprintf(title, sizeof title, "%s — %s", rv->t->title, rv->lang == SK_LANG_EN ? "review" : "確認結果");
    snprintf(comments, sizeof comments, "sechk review of %s (sha256 %s; %s %s)", rv->a->path ? rv->a->path : "",
             rv->a->sha256 ? rv->a->sha256 : "", rv->t->id, rv->t->version);
    if (sk_set_properties(wb, title, rv->source, comments, rv->created) != SK_OK ||
        sk_out_mark(wb, "review") != SK_OK) /* batch skips it as sechk's output */
        return sk_diag_set(d, SK_ERR_WRITE, "cannot set the document properties");
    return SK_OK;
}

sk_error sk_review_write(const sk_answers *a, const char *path, const sk_review_opts *o, sk_diag *d)
{
    if (!a || !a->tpl || !path)
        return sk_diag_set(d, SK_ERR_USAGE, "no answers or no output path");
    if (a->n_items != a->tpl->n_items || a->n_items > SK_MAX_ITEMS)
        return sk_diag_set(d, SK_ERR_USAGE, "the answers do not match their template");
    review *rv = calloc(1, sizeof *rv);
    if (!rv)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    rv->a = a;
    rv->t = a->tpl;
    rv->lang = o ? o->lang : SK_LANG_JA;
    rv->o = o;
    rv->paper = o ? o->paper : SK_PAPER_A3;
    rv->created = o && o->created ? o->created : time(NULL);
    const char *src = a->path ? a->path : "";
    const char *slash = strrchr(src, '/');
    rv->source = slash ? slash + 1 : src;
    const sk_template *t = a->tpl;
    rv->col_answer0 = (lxw_col_t)(1 + t->n_phases + (SK_COL_PROVIDER - SK_COL_REQUIREMENT));
    rv->col_status = (lxw_col_t)(1 + t->n_phases + (SK_COL__COUNT - SK_COL_REQUIREMENT));
    sk_error e = analyse(rv);
    if (!e && o && o->previous) {
        const sk_diff *df = o->previous;
        size_t total = (size_t)rv->n_order;
        rv->prev = df;
        if (df->nw != a) {
            e = SK_ERR_USAGE;
            sk_diag_set(d, e, "the comparison is not of the answers reviewed");
        } else if (!(rv->prev_of = calloc(total ? total : 1, sizeof *rv->prev_of)))
            e = SK_ERR_NOMEM;
        for (int k = 0; !e && k < df->n_findings; k++) {
            const sk_diff_finding *f = &df->findings[k];
            if (f->finding_new >= 0 && f->item_new >= 0 && f->item_new < a->n_items &&
                f->finding_new < a->items[f->item_new].n_findings)
                rv->prev_of[rv->first_order[f->item_new] + f->finding_new] = f;
        }
    }
    if (e == SK_ERR_NOMEM)
        sk_diag_set(d, e, "out of memory");
    else if (!e)
        e = sk_out_workbook(path, build, rv, d);
    free(rv->prev_of);
    sk_buf_free(&rv->buf);
    free(rv->order);
    free(rv->first_row);
    free(rv->first_order);
    free(rv);
    return e;
}
