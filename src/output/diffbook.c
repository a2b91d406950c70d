/* sechk — the comparison in a workbook (sechk/diffbook.h). */
#include "sechk/diffbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/output.h"
#include "sechk/text.h"

typedef struct book {
    const sk_diff *df;
    const sk_diffbook_opts *o;
    const sk_formats *f;
    lxw_format *head, *cell, *center, *link, *div, *state[SK_FINDING__COUNT], *h1;
    sk_diag *d;
} book;

static lxw_format *fmt(lxw_workbook *wb, bool border)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, SK_FONT_NAME);
    format_set_font_size(f, 10);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void formats(book *bk, lxw_workbook *wb)
{
    bk->head = fmt(wb, true);
    format_set_bold(bk->head);
    format_set_bg_color(bk->head, 0xDDEBF7);
    bk->cell = fmt(wb, true);
    bk->center = fmt(wb, true);
    format_set_align(bk->center, LXW_ALIGN_CENTER);
    bk->link = fmt(wb, true);
    format_set_align(bk->link, LXW_ALIGN_CENTER);
    format_set_font_color(bk->link, 0x0563C1);
    format_set_underline(bk->link, LXW_UNDERLINE_SINGLE);
    bk->div = fmt(wb, true);
    format_set_align(bk->div, LXW_ALIGN_CENTER);
    format_set_bold(bk->div);
    format_set_bg_color(bk->div, SK_DIFF_FILL_DIVERGENCE);
    static const lxw_color_t sfill[SK_FINDING__COUNT] = {0xC6EFCE, 0xFFEB9C, 0xFFC7CE};
    for (int s = 0; s < SK_FINDING__COUNT; s++) {
        bk->state[s] = fmt(wb, true);
        format_set_align(bk->state[s], LXW_ALIGN_CENTER);
        format_set_bold(bk->state[s]);
        format_set_bg_color(bk->state[s], sfill[s]);
    }
    bk->h1 = workbook_add_format(wb); /* no wrap: the title runs over the empty cells right of it */
    format_set_font_name(bk->h1, SK_FONT_NAME);
    format_set_bold(bk->h1);
    format_set_font_size(bk->h1, 14);
}

/* Column of an answer cell on the rendered checklist (as review.c). */
static lxw_col_t answer_col(const sk_template *t, int party)
{
    return (lxw_col_t)(1 + t->n_phases + (SK_COL_PROVIDER - SK_COL_REQUIREMENT) + party);
}

/* The template's short name of a column ("item" for -1). */
static const char *column_label(const book *bk, int party, bool en)
{
    return sk_template_party_short(bk->df->nw->tpl, party, en ? SK_LANG_EN : SK_LANG_JA);
}

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

enum { C_NO = 0, C_COLUMN, C_CELL, C_KIND, C_WHAT, C_BEFORE, C_AFTER, C_DIV, C__COUNT };
static const double c_widths[C__COUNT] = {6, 9, 8, 10, 30, 40, 40, 8};

/* Writes a row of the head block: label (in lf) in column A, text merged
 * over the other columns. */
static sk_error head_row(book *bk, lxw_worksheet *ws, lxw_row_t r, const char *label, lxw_format *lf,
                         const char *text)
{
    sk_error e = sk_sheet_put(ws, r, 0, label, lf, bk->d);
    if (e)
        return e;
    lxw_error le = worksheet_merge_range(ws, r, 1, r, C__COUNT - 1, text, bk->cell);
    return le ? sk_sheet_fail(bk->d, le, "merged cells") : SK_OK;
}

/* Writes the title and the head block (both files, the counts, the
 * warnings) from row 0; *next: the first row after it. */
static sk_error diff_head(book *bk, lxw_worksheet *ws, bool en, lxw_row_t *next)
{
    const sk_diff *df = bk->df;
    sk_error e;
    char text[2048];
    lxw_row_t r = 0;
    if ((e = sk_sheet_put(ws, r++, 0, en ? "Comparison with the previous submission" : "前回提出との比較", bk->h1,
                          bk->d)))
        return e;
    r++;
    const sk_answers *sides[2] = {df->old, df->nw};
    for (int k = 0; k < 2; k++, r++) {
        const sk_answers *a = sides[k];
        const char *u =
            a->doc[SK_DOC_UPDATED] && *a->doc[SK_DOC_UPDATED] ? a->doc[SK_DOC_UPDATED] : a->doc[SK_DOC_CREATED];
        snprintf(text, sizeof text, en ? "%s (dated %s, service %s)" : "%s（日付 %s、サービス %s）", base_name(a->path),
                 u && *u ? u : "-", a->doc[SK_DOC_SERVICE] && *a->doc[SK_DOC_SERVICE] ? a->doc[SK_DOC_SERVICE] : "-");
        if ((e = head_row(bk, ws, r, k ? (en ? "This" : "今回") : (en ? "Previous" : "前回"), bk->head, text)))
            return e;
    }
    snprintf(text, sizeof text,
             en ? "%d changes in %d items, %d needing approval (乖離); findings: %d resolved, %d open, %d new"
                : "変更 %d 件（%d 項目、うち乖離 %d 件）／指摘: 解消 %d 件、継続 %d 件、新規 %d 件",
             df->n_changes, df->n_items_changed, df->n_divergences, df->counts[SK_FINDING_RESOLVED],
             df->counts[SK_FINDING_OPEN], df->counts[SK_FINDING_NEW]);
    if ((e = head_row(bk, ws, r++, en ? "Summary" : "概要", bk->head, text)))
        return e;
    for (int k = 0; k < df->n_notes; k++, r++)
        if ((e = head_row(bk, ws, r, en ? "Warning" : "警告", bk->div,
                          en ? df->notes[k].message_en : df->notes[k].message_ja)))
            return e;
    for (int p = 0; p < SK_PARTY__COUNT; p++) {
        bool any = false;
        for (int k = 0; k < df->n_changes; k++)
            any |= df->changes[k].divergence && df->changes[k].party == p;
        if (any && (e = head_row(bk, ws, r++, en ? "Warning" : "警告", bk->div,
                                 sk_diff_divergence_message(p, bk->o ? bk->o->lang : SK_LANG_JA))))
            return e;
    }
    *next = r + 1;
    return SK_OK;
}

/* Writes the 「セル」 cell of change c: a link to the answer cell on the
 * rendered checklist when there is one. */
static sk_error change_cell(book *bk, lxw_worksheet *ws, lxw_row_t r, const sk_change *c)
{
    const sk_diff *df = bk->df;
    const sk_cell_answers *ca = c->party >= 0 ? &df->nw->items[c->item_new].cells[c->party] : NULL;
    if (!(ca && ca->ref[0] && bk->o && bk->o->checklist))
        return sk_sheet_put(ws, r, C_CELL, ca ? ca->ref : "", bk->center, bk->d);
    char url[300], ref[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(ref, (lxw_row_t)(SK_LAYOUT_FIRST_ITEM_ROW - 1 + c->item_new), answer_col(df->nw->tpl, c->party));
    snprintf(url, sizeof url, "internal:'%s'!%s", bk->o->checklist, ref);
    lxw_error le = worksheet_write_url_opt(ws, r, C_CELL, url, bk->link, ref, NULL);
    if (le == LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED)
        return sk_sheet_put(ws, r, C_CELL, ref, bk->center, bk->d);
    return le ? sk_sheet_fail(bk->d, le, "a link") : SK_OK;
}

/* Writes change c's row on row r. */
static sk_error change_row(book *bk, lxw_worksheet *ws, lxw_row_t r, const sk_change *c, bool en)
{
    static const char *const kinds[2][SK_CHANGE__COUNT] = {{"選択肢", "記入欄", "定型文", "判定"},
                                                           {"option", "field", "text", "status"}};
    sk_lang lang = bk->o ? bk->o->lang : SK_LANG_JA;
    sk_error e;
    if ((e = sk_sheet_put_num(ws, r, C_NO, c->no, bk->center, bk->d)) ||
        (e = sk_sheet_put(ws, r, C_COLUMN,
                          c->party >= 0 ? column_label(bk, c->party, en) : (en ? "status" : "判定"), bk->center,
                          bk->d)) ||
        (e = change_cell(bk, ws, r, c)))
        return e;
    const char *before, *after;
    char sb[64], sa[64];
    if (c->kind == SK_CHANGE_OPTION) {
        before = c->checked_before ? "■" : "□";
        after = c->checked_after ? "■" : "□";
    } else if (c->kind == SK_CHANGE_STATUS) {
        snprintf(sb, sizeof sb, "%s", c->before);
        snprintf(sa, sizeof sa, "%s", c->after);
        for (int s = 0; s < SK_STATUS__COUNT; s++) {
            if (strcmp(c->before, sk_status_name((sk_status)s)) == 0)
                snprintf(sb, sizeof sb, "%s", sk_status_label((sk_status)s, lang));
            if (strcmp(c->after, sk_status_name((sk_status)s)) == 0)
                snprintf(sa, sizeof sa, "%s", sk_status_label((sk_status)s, lang));
        }
        before = sb;
        after = sa;
    } else {
        before = c->before;
        after = c->after;
    }
    if ((e = sk_sheet_put(ws, r, C_KIND, kinds[en][c->kind], bk->center, bk->d)) ||
        (e = sk_sheet_put(ws, r, C_WHAT, c->label, bk->cell, bk->d)) ||
        (e = sk_sheet_put(ws, r, C_BEFORE, before, bk->cell, bk->d)) ||
        (e = sk_sheet_put(ws, r, C_AFTER, after, bk->cell, bk->d)) ||
        (e = sk_sheet_put(ws, r, C_DIV, c->divergence ? "乖離" : "", c->divergence ? bk->div : bk->center, bk->d)))
        return e;
    return SK_OK;
}

/* Writes the table of the changes from row r, with an autofilter; *next:
 * the first row after it. */
static sk_error diff_changes(book *bk, lxw_worksheet *ws, bool en, lxw_row_t r, lxw_row_t *next)
{
    static const char *const heads[2][C__COUNT] = {
        {"No.", "回答欄", "セル", "種類", "選択肢・記入欄", "前回", "今回", "乖離"},
        {"No.", "Column", "Cell", "Kind", "Option / field", "Previous", "This", "乖離"},
    };
    const sk_diff *df = bk->df;
    sk_error e;
    for (int c = 0; c < C__COUNT; c++)
        if ((e = sk_sheet_put(ws, r, (lxw_col_t)c, heads[en][c], bk->head, bk->d)))
            return e;
    lxw_row_t head = r++;
    if (df->n_changes == 0) {
        lxw_error le = worksheet_merge_range(
            ws, r, 0, r, C__COUNT - 1,
            en ? "No changes: the answers are the same." : "変更はありません（回答は同じです）。", bk->cell);
        if (le)
            return sk_sheet_fail(bk->d, le, "merged cells");
        r++;
    }
    for (int k = 0; k < df->n_changes; k++, r++)
        if ((e = change_row(bk, ws, r, &df->changes[k], en)))
            return e;
    worksheet_autofilter(ws, head, 0, r - 1, C__COUNT - 1);
    *next = r + 1;
    return SK_OK;
}

/* Writes the findings' states since the previous round from row r. */
static sk_error diff_findings(book *bk, lxw_worksheet *ws, bool en, lxw_row_t r)
{
    static const char *const fheads[2][C__COUNT] = {
        {"No.", "回答欄", "状態", "重要度", "コード", "指摘内容", "回答者コメント", ""},
        {"No.", "Column", "State", "Severity", "Code", "Finding", "Answerer's comment", ""},
    };
    const sk_diff *df = bk->df;
    sk_lang lang = bk->o ? bk->o->lang : SK_LANG_JA;
    sk_diag *d = bk->d;
    sk_error e;
    if ((e = sk_sheet_put(ws, r++, 0, en ? "Findings since the previous submission" : "前回の指摘の対応状況", bk->h1,
                          d)))
        return e;
    for (int c = 0; c < C__COUNT - 1; c++)
        if ((e = sk_sheet_put(ws, r, (lxw_col_t)c, fheads[en][c], bk->head, d)))
            return e;
    r++;
    for (int k = 0; k < df->n_findings; k++, r++) {
        const sk_diff_finding *fd = &df->findings[k];
        const char *m = en ? fd->message_en : fd->message_ja;
        double h = sk_text_height(m ? m : "", c_widths[C_BEFORE]);
        double h2 = sk_text_height(fd->reply ? fd->reply : "", c_widths[C_AFTER]);
        worksheet_set_row(ws, r, h2 > h ? h2 : h, NULL);
        if ((e = sk_sheet_put_num(ws, r, 0, fd->no, bk->center, d)) ||
            (e = sk_sheet_put(ws, r, 1, column_label(bk, fd->party, en), bk->center, d)) ||
            (e = sk_sheet_put(ws, r, 2, sk_finding_state_label(fd->state, lang), bk->state[fd->state], d)) ||
            (e = sk_sheet_put(ws, r, 3, sk_severity_label(fd->severity, lang), bk->center, d)) ||
            (e = sk_sheet_put(ws, r, 4, fd->code, bk->cell, d)) || (e = sk_sheet_put(ws, r, 5, m, bk->cell, d)) ||
            (e = sk_sheet_put(ws, r, 6, fd->reply, bk->cell, d)))
            return e;
    }
    return SK_OK;
}

sk_error sk_diff_sheet(lxw_workbook *wb, const sk_formats *f, const sk_diff *df, const sk_diffbook_opts *o, sk_diag *d)
{
    bool en = o && o->lang == SK_LANG_EN;
    book bk0, *bk = &bk0;
    memset(bk, 0, sizeof *bk);
    bk->df = df;
    bk->o = o;
    bk->f = f;
    bk->d = d;
    formats(bk, wb);
    const char *name = o && o->sheet_name ? o->sheet_name : en ? "Changes" : "変更点";
    if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
        return sk_diag_set(d, SK_ERR_WRITE, "invalid sheet name \"%s\"", name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return sk_diag_set(d, SK_ERR_NOMEM, "cannot add a worksheet");
    for (int c = 0; c < C__COUNT; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c_widths[c], NULL);
    sk_error e;
    lxw_row_t r;
    if ((e = diff_head(bk, ws, en, &r)) || (e = diff_changes(bk, ws, en, r, &r)) ||
        (e = diff_findings(bk, ws, en, r)))
        return e;
    sk_page_setup(ws, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(ws, 0, 0); /* its title: the sheet holds several tables */
    return SK_OK;
}

/* ---- the workbook of `sechk diff -o` ---- */

typedef struct job {
    const sk_diff *df;
    const sk_diffbook_opts *o;
    unsigned char *mark; /* [n_items * 2] */
    lxw_format *fill[3];
    sk_buf buf;
    sk_diag *d;
} job;

static lxw_format *answer_format(void *ctx, int item, sk_party party)
{
    job *j = ctx;
    unsigned char m = j->mark[item * SK_PARTY__COUNT + party];
    return m ? j->fill[m] : NULL;
}

/* The comment of a changed cell: what changed and the previous answer. */
static sk_error after_item(void *ctx, lxw_worksheet *ws, int item, lxw_row_t r)
{
    job *j = ctx;
    const sk_diff *df = j->df;
    bool en = j->o && j->o->lang == SK_LANG_EN;
    sk_error e = SK_OK;
    const char *flag = "";
    int n_item = 0;
    for (int k = 0; k < df->n_changes; k++)
        if (df->changes[k].item_new == item) {
            n_item++;
            if (df->changes[k].divergence)
                flag = "乖離";
        }
    lxw_col_t extra = answer_col(df->nw->tpl, SK_PARTY__COUNT) + 1;
    lxw_error le = worksheet_write_string(ws, r, extra, n_item ? (*flag ? flag : (en ? "changed" : "変更")) : "",
                                          n_item ? j->fill[*flag ? 2 : 1] : NULL);
    if (le)
        return sk_diag_set(j->d, SK_ERR_WRITE, "cannot write a cell: %s", lxw_strerror(le));
    for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
        if (!j->mark[item * SK_PARTY__COUNT + p])
            continue;
        sk_buf_reset(&j->buf);
        e = sk_buf_append(&j->buf, en ? "Changed since the previous submission:\n" : "前回からの変更:\n");
        int io = -1;
        for (int k = 0; k < df->n_changes && !e; k++) {
            const sk_change *c = &df->changes[k];
            if (c->item_new != item || c->party != p)
                continue;
            io = c->item_old;
            e = sk_buf_printf(&j->buf, "・%s", c->divergence ? "[乖離] " : "");
            if (!e)
                e = sk_change_describe(c, j->o ? j->o->lang : SK_LANG_JA, &j->buf);
            if (!e)
                e = sk_buf_putc(&j->buf, '\n');
        }
        if (!e && io >= 0) {
            const sk_item_answers *oi = &df->old->items[io];
            const sk_cell_answers *oc = &oi->cells[p];
            e = sk_buf_append(&j->buf, en ? "\nPrevious answer:\n" : "\n前回の回答:\n");
            if (!e) {
                if (oc->raw && (oc->r.altered || oc->r.approximate))
                    e = sk_buf_append(&j->buf, oc->raw);
                else
                    e = sk_cell_render(&oi->item->cells[p], oc->r.state, (const char *const *)oc->r.values, &j->buf);
            }
        }
        if (!e && j->buf.len > 32000) {
            size_t n = 32000;
            while (n > 0 && ((unsigned char)j->buf.data[n] & 0xC0) == 0x80)
                n--;
            j->buf.data[n] = '\0';
            j->buf.len = n;
        }
        if (e)
            return sk_diag_set(j->d, e, "out of memory");
        lxw_comment_options co;
        memset(&co, 0, sizeof co);
        co.author = "sechk";
        co.width = 420;
        double h = sk_text_height(j->buf.data, 55) * 4 / 3 * 0.9 + 12;
        co.height = (uint16_t)(h < 60 ? 60 : h > 700 ? 700 : h);
        co.font_name = SK_FONT_NAME;
        co.font_size = 9;
        le = worksheet_write_comment_opt(ws, r, answer_col(df->nw->tpl, p), j->buf.data, &co);
        if (le)
            return sk_diag_set(j->d, SK_ERR_WRITE, "cannot write a comment: %s", lxw_strerror(le));
    }
    return e;
}

static sk_error build(lxw_workbook *wb, void *ctx, sk_diag *d)
{
    job *j = ctx;
    j->d = d;
    bool en = j->o && j->o->lang == SK_LANG_EN;
    sk_formats f;
    sk_formats_init(wb, &f);
    for (int k = 1; k < 3; k++) {
        lxw_format *x = fmt(wb, true);
        format_set_bg_color(x, k == 2 ? SK_DIFF_FILL_DIVERGENCE : SK_DIFF_FILL_CHANGED);
        j->fill[k] = x;
    }
    const char *checklist = en ? "Checklist" : sk_render_sheet_name(j->df->nw->tpl);
    sk_diffbook_opts o = j->o ? *j->o : (sk_diffbook_opts){0};
    o.checklist = checklist;
    sk_error e = sk_diff_sheet(wb, &f, j->df, &o, d);
    if (e)
        return e;
    sk_render_opts ro;
    memset(&ro, 0, sizeof ro);
    for (int k = 0; k < SK_DOC__COUNT; k++)
        ro.doc[k] = j->df->nw->doc[k];
    ro.answers = j->df->nw;
    ro.keep_altered = true;
    ro.sheet_name = checklist;
    ro.hooks.ctx = j;
    ro.hooks.answer_format = answer_format;
    ro.hooks.after_item = after_item;
    ro.hooks.extra_column = en ? "Changed" : "前回からの変更";
    if ((e = sk_render_checklist(wb, &f, j->df->nw->tpl, &ro, NULL, d)))
        return e;
    char comments[1024];
    snprintf(comments, sizeof comments, "sechk diff %s %s", base_name(j->df->old->path), base_name(j->df->nw->path));
    return sk_set_properties(wb, en ? "Comparison with the previous submission" : "前回提出との比較",
                             j->df->nw->doc[SK_DOC_SERVICE], comments, j->o ? j->o->created : 0);
}

sk_error sk_diff_write(const sk_diff *df, const char *path, const sk_diffbook_opts *o, sk_diag *d)
{
    job j;
    memset(&j, 0, sizeof j);
    j.df = df;
    j.o = o;
    int n = df->nw->n_items;
    j.mark = calloc((size_t)(n > 0 ? n : 1) * SK_PARTY__COUNT, 1);
    if (!j.mark)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    for (int k = 0; k < df->n_changes; k++) {
        const sk_change *c = &df->changes[k];
        if (c->party < 0 || c->item_new < 0 || c->item_new >= n)
            continue;
        unsigned char *m = &j.mark[c->item_new * SK_PARTY__COUNT + c->party];
        unsigned char want = c->divergence ? 2 : 1;
        if (want > *m)
            *m = want;
    }
    sk_error e = sk_out_workbook(path, build, &j, d);
    sk_buf_free(&j.buf);
    free(j.mark);
    return e;
}
