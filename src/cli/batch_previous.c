/* sechk batch --previous OLDDIR: each file compared with its previous round.
 *
 * After the batch has run, the files of OLDDIR are read and paired with this
 * round's: by relative path, else by 利用する外部サービス (exactly one file of
 * each round with that service; a tie leaves the files unpaired, with the
 * reason).  For each pair NAME.diff.json (sechk/diff-v1) is written and, with
 * reviews, NAME.review.xlsx again with the comparison (review --previous).
 * previous.xlsx and previous.csv list, per file, what changed since the
 * previous round (changed items, 乖離, 解消, 継続, 新規) and the files left
 * unpaired. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cli.h"
#include "sechk/reason.h"
#include "sechk/batch.h"
#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/review.h"
#include "sechk/summary.h"

/* One row of previous.xlsx. */
typedef struct prow {
    const char *path;     /* this round's file, or NULL for an old file left over */
    const char *old_path; /* the previous round's file, or NULL */
    const char *how;      /* "path", "service", or NULL (unpaired) */
    char reason[512];     /* why unpaired */
    int items, changes, divergences, resolved, open, nw;
    char *diff_rel; /* NAME.diff.json */
} prow;

typedef struct pctx {
    const sk_batch *b;
    const sk_batch_opts *o;
    const char *outdir;
    sk_walk *ow;
    sk_diff_input *old; /* [ow->n_files] */
    char **old_reason;  /* [ow->n_files]: could not be read, or NULL */
    char **old_key;     /* [ow->n_files]: squeezed service and project, or NULL */
    char **new_key;     /* [n_new]: the same for this round's files */
    int *old_taken;     /* [ow->n_files]: how many new files claim it */
    long *pair;         /* [n_new]: old index, or -1 */
    prow *rows;         /* [n_new + ow->n_files] */
    size_t n_rows;
} pctx;

static bool ja(const pctx *c)
{
    return c->o->lang == SK_LANG_JA;
}

/* The pairing key: the squeezed service name and project name (事業名),
 * or NULL when there is no service name. */
static char *service_key(const char *s, const char *project)
{
    if (!s || !*s)
        return NULL;
    sk_buf b = {0};
    if (sk_text_squeeze(s, strlen(s), &b) != SK_OK || !b.len || sk_buf_putc(&b, '\x1f') != SK_OK ||
        (project && sk_text_squeeze(project, strlen(project), &b) != SK_OK)) {
        sk_buf_free(&b);
        return NULL;
    }
    return sk_buf_take(&b);
}

/* Pairs this round's file i with the previous round's, or says why not. */
static void pair_file(pctx *c, size_t i, int pass, prow *r)
{
    const sk_walk *ow = c->ow;
    const sk_walk_file *nf = &c->b->walk->files[i];
    if (pass == 0) {
        for (size_t j = 0; j < ow->n_files; j++)
            if (strcmp(ow->files[j].rel, nf->rel) == 0 && !c->old_reason[j]) {
                c->pair[i] = (long)j;
                c->old_taken[j] = -1; /* by path: no longer a candidate */
                r->how = "path";
                return;
            }
        return;
    }
    const char *key = c->new_key[i];
    if (!key) {
        sk_msg_format(r->reason, sizeof r->reason, c->o->lang, SK_MSG_PREV_NO_KEY);
        return;
    }
    long found = -1;
    int n = 0;
    char names[400] = "";
    for (size_t j = 0; j < ow->n_files; j++) {
        if (c->old_taken[j] < 0 || !c->old_key[j] || strcmp(c->old_key[j], key) != 0)
            continue;
        if (n++ == 0)
            found = (long)j;
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", ow->files[j].rel);
    }
    /* another file of this round with the same service makes a tie too */
    int same_new = 0;
    for (size_t k = 0; k < c->b->walk->n_files; k++) {
        if (c->pair[k] >= 0 || c->b->files[k].reason)
            continue;
        same_new += c->new_key[k] && strcmp(c->new_key[k], key) == 0;
    }
    if (n == 1 && same_new == 1) {
        c->pair[i] = found;
        r->how = "service";
    } else if (n == 0)
        sk_msg_format(r->reason, sizeof r->reason, c->o->lang, SK_MSG_PREV_NONE, c->b->files[i].service);
    else if (n > 1)
        sk_msg_format(r->reason, sizeof r->reason, c->o->lang, SK_MSG_PREV_AMBIGUOUS_OLD, c->b->files[i].service,
                      names);
    else
        sk_msg_format(r->reason, sizeof r->reason, c->o->lang, SK_MSG_PREV_AMBIGUOUS_NEW, c->b->files[i].service);
}

/* Compares pair i and writes its outputs. */
static sk_error compare(pctx *c, size_t i, prow *r, sk_diag *d)
{
    const sk_batch_opts *o = c->o;
    size_t j = (size_t)c->pair[i];
    sk_diff_input nw;
    const sk_extract_opts xo = {.sheet = o->sheet, .open = o->open};
    sk_error e = sk_diff_input_load(c->b->walk->files[i].path, o->tpl, &o->limits, &xo, o->phase, &nw, d);
    if (e)
        return e;
    sk_diff_sides sides;
    sk_cli_diff_sides(&c->old[j], &nw, &sides);
    sk_diff *df = NULL;
    sk_buf js = {0}, path = {0};
    if (!(e = sk_diff_compute(c->old[j].a, nw.a, &sides, &df, d))) {
        r->items = df->n_items_changed;
        r->changes = df->n_changes;
        r->divergences = df->n_divergences;
        r->resolved = df->counts[SK_FINDING_RESOLVED];
        r->open = df->counts[SK_FINDING_OPEN];
        r->nw = df->counts[SK_FINDING_NEW];
        const char *name = c->b->names[i];
        if ((e = sk_diff_json(df, &sides, o->lang, &js)) || (e = sk_buf_putc(&js, '\n')) ||
            (e = sk_buf_printf(&path, "%s/%s.diff.json", c->outdir, name)) ||
            !(r->diff_rel = malloc(strlen(name) + 11)))
            e = e ? e : SK_ERR_NOMEM;
        else
            snprintf(r->diff_rel, strlen(name) + 11, "%s.diff.json", name);
        if (e)
            sk_diag_set(d, e, "out of memory");
        else
            e = sk_out_write_file(path.data, js.data, js.len, d);
        if (!e && o->review) {
            sk_buf_reset(&path);
            sk_review_opts ro = o->letter ? *o->letter : (sk_review_opts){0};
            ro.lang = o->lang;
            ro.created = o->epoch ? o->epoch : c->b->walk->files[i].mtime.tv_sec;
            ro.previous = df;
            if (!ro.project)
                ro.project = nw.project; /* the workbook's own 事業名 */
            if (!(e = sk_buf_printf(&path, "%s/%s.review.xlsx", c->outdir, name)))
                e = sk_review_write(nw.a, path.data, &ro, d);
        }
    }
    sk_buf_free(&js);
    sk_buf_free(&path);
    sk_diff_free(df);
    sk_diff_input_clear(&nw);
    return e;
}

/* ---- previous.xlsx and previous.csv ---- */

enum { P_FILE = 0, P_OLD, P_HOW, P_ITEMS, P_DIV, P_RESOLVED, P_OPEN, P_NEW, P_DIFF, P__COUNT };

static const char *const p_heads[2][P__COUNT] = {
    {"ファイル", "前回のファイル", "対応付け", "変更項目数", "乖離", "解消", "継続", "新規", "差分"},
    {"File", "Previous file", "Paired by", "Items changed", "乖離", "Resolved", "Open", "New", "Diff"},
};

static const char *how_label(const char *how, bool en)
{
    if (!how)
        return en ? "unpaired" : "対応なし";
    if (strcmp(how, "path") == 0)
        return en ? "path" : "パス";
    return en ? "service name" : "サービス名";
}

typedef struct xjob {
    pctx *c;
} xjob;

static sk_error build(lxw_workbook *wb, void *ctx, sk_diag *d)
{
    pctx *c = ((xjob *)ctx)->c;
    bool en = !ja(c);
    sk_formats f;
    sk_formats_init(wb, &f);
    lxw_format *div = workbook_add_format(wb);
    format_set_font_name(div, SK_FONT_NAME);
    format_set_border(div, LXW_BORDER_THIN);
    format_set_bg_color(div, 0xF8CBAD);
    lxw_format *link = workbook_add_format(wb);
    format_set_font_name(link, SK_FONT_NAME);
    format_set_border(link, LXW_BORDER_THIN);
    format_set_font_color(link, 0x0563C1);
    format_set_underline(link, LXW_UNDERLINE_SINGLE);
    lxw_worksheet *ws = workbook_add_worksheet(wb, en ? "Since previous" : "前回比");
    size_t n_unpaired = 0;
    for (size_t k = 0; k < c->n_rows; k++)
        n_unpaired += !c->rows[k].how;
    /* no empty sheet: it would print a blank page */
    lxw_worksheet *un = n_unpaired ? workbook_add_worksheet(wb, en ? "Unpaired" : "対応なし") : NULL;
    if (!ws || (n_unpaired && !un))
        return sk_diag_set(d, SK_ERR_NOMEM, "cannot add a worksheet");
    static const double widths[P__COUNT] = {40, 40, 12, 11, 8, 8, 8, 8, 30};
    for (int k = 0; k < P__COUNT; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)k, p_heads[en][k], f.header);
    }
    lxw_row_t r = 1;
    for (size_t k = 0; k < c->n_rows; k++) {
        const prow *p = &c->rows[k];
        if (!p->path || !p->how)
            continue;
        worksheet_write_string(ws, r, P_FILE, p->path, f.text);
        worksheet_write_string(ws, r, P_OLD, p->old_path, f.text);
        worksheet_write_string(ws, r, P_HOW, how_label(p->how, en), f.center);
        worksheet_write_number(ws, r, P_ITEMS, p->items, f.center);
        worksheet_write_number(ws, r, P_DIV, p->divergences, p->divergences ? div : f.center);
        worksheet_write_number(ws, r, P_RESOLVED, p->resolved, f.center);
        worksheet_write_number(ws, r, P_OPEN, p->open, f.center);
        worksheet_write_number(ws, r, P_NEW, p->nw, f.center);
        if (p->diff_rel) {
            char url[2100];
            snprintf(url, sizeof url, "external:%s", p->diff_rel);
            if (worksheet_write_url_opt(ws, r, P_DIFF, url, link, p->diff_rel, NULL) != LXW_NO_ERROR)
                worksheet_write_string(ws, r, P_DIFF, p->diff_rel, f.text);
        }
        r++;
    }
    if (r > 1)
        worksheet_autofilter(ws, 0, 0, r - 1, P__COUNT - 1);
    worksheet_freeze_panes(ws, 1, 0);
    sk_page_setup(ws, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(ws, 0, 0);
    if (!un)
        return sk_set_properties(wb, en ? "Since the previous round" : "前回比", "", "sechk batch --previous",
                                 c->o->epoch ? c->o->epoch : 1);
    static const char *const u_heads[2][3] = {{"ファイル", "回", "理由"}, {"File", "Round", "Reason"}};
    static const double u_widths[3] = {50, 8, 90};
    for (int k = 0; k < 3; k++) {
        worksheet_set_column(un, (lxw_col_t)k, (lxw_col_t)k, u_widths[k], NULL);
        worksheet_write_string(un, 0, (lxw_col_t)k, u_heads[en][k], f.header);
    }
    r = 1;
    for (size_t k = 0; k < c->n_rows; k++) {
        const prow *p = &c->rows[k];
        if (p->how)
            continue;
        worksheet_write_string(un, r, 0, p->path ? p->path : p->old_path, f.text);
        worksheet_write_string(un, r, 1, p->path ? (en ? "this" : "今回") : (en ? "previous" : "前回"), f.center);
        worksheet_write_string(un, r, 2, p->reason, f.text);
        r++;
    }
    worksheet_freeze_panes(un, 1, 0);
    sk_page_setup(un, SK_PAPER_A3, true, NULL);
    worksheet_repeat_rows(un, 0, 0);
    return sk_set_properties(wb, en ? "Since the previous round" : "前回比", "", "sechk batch --previous",
                             c->o->epoch ? c->o->epoch : 1);
}

/* summary.xlsx and summary.csv again, with the 前回比 columns and the
 * unpaired files (what the batch wrote is replaced only when it was
 * written). */
static sk_error rewrite_summary(pctx *c, sk_diag *d)
{
    const sk_batch *b = c->b;
    const sk_batch_opts *o = c->o;
    size_t n = b->walk->n_files;
    if (b->n_output_errors)
        return SK_OK;
    sk_summary_prev *prev = calloc(n + 1, sizeof *prev);
    sk_summary_problem *un = calloc(c->n_rows + 1, sizeof *un);
    sk_summary_problem *problems = calloc(b->walk->n_problems + 1, sizeof *problems);
    char *texts = calloc(b->walk->n_problems + 1, 300);
    char *un_text = calloc(c->n_rows + 1, 600);
    sk_buf path = {0}, csv = {0};
    sk_error e = SK_OK;
    if (!prev || !un || !problems || !texts || !un_text) {
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const prow *r = &c->rows[i];
        if (r->how)
            prev[i] = (sk_summary_prev){r->old_path, r->items, r->divergences, r->resolved, r->nw};
    }
    size_t n_un = 0;
    for (size_t k = 0; k < c->n_rows; k++) {
        const prow *r = &c->rows[k];
        if (r->how)
            continue;
        char *t = un_text + 600 * n_un;
        snprintf(t, 600, "%s%s", r->path ? (ja(c) ? "今回: " : "this round: ") : (ja(c) ? "前回: " : "previous: "),
                 r->reason);
        un[n_un++] = (sk_summary_problem){r->path ? r->path : r->old_path, t};
    }
    size_t n_fatal = 0;
    for (size_t k = 0; k < b->walk->n_problems; k++) {
        const sk_walk_problem *wp = &b->walk->problems[k];
        if (!sk_walk_problem_fatal(wp))
            continue;
        sk_walk_problem_text(wp, o->lang, texts + 300 * n_fatal, 300);
        problems[n_fatal] = (sk_summary_problem){wp->path, texts + 300 * n_fatal};
        n_fatal++;
    }
    time_t created = o->epoch;
    for (size_t i = 0; !o->epoch && i < n; i++)
        if (b->walk->files[i].mtime.tv_sec > created)
            created = b->walk->files[i].mtime.tv_sec;
    if (!created)
        created = 1;
    sk_summary s = {o->tpl, o->lang, b->files, n, problems, n_fatal};
    if ((e = sk_buf_printf(&path, "%s/summary.xlsx", c->outdir)))
        goto done;
    if ((e = sk_summary_xlsx_prev(&s, prev, un, n_un, path.data, created, d))) {
        sk_diag_file(d, path.data);
        goto done;
    }
    sk_buf_reset(&path);
    if (!(e = sk_buf_printf(&path, "%s/summary.csv", c->outdir)) &&
        !(e = sk_summary_csv_prev(&s, prev, o->cp932, &csv, d)))
        e = sk_out_write_file(path.data, csv.data ? csv.data : "", csv.len, d);
    if (e)
        sk_diag_file(d, path.data ? path.data : "summary.csv");
done:
    sk_buf_free(&path);
    sk_buf_free(&csv);
    free(prev);
    free(un);
    free(problems);
    free(texts);
    free(un_text);
    return e;
}

/* One CSV field, RFC 4180 quoting. */
static sk_error csv_field(sk_buf *b, const char *s, bool last)
{
    sk_error e = sk_buf_putc(b, '"');
    for (; !e && s && *s; s++)
        e = *s == '"' ? sk_buf_append(b, "\"\"") : sk_buf_putc(b, *s);
    if (!e)
        e = sk_buf_append(b, last ? "\"\r\n" : "\",");
    return e;
}

static sk_error write_csv(pctx *c, sk_diag *d)
{
    bool en = !ja(c);
    sk_buf b = {0}, path = {0};
    sk_error e = sk_buf_append(&b, "\xEF\xBB\xBF");
    for (int k = 0; k < P__COUNT && !e; k++)
        e = csv_field(&b, p_heads[en][k], k == P__COUNT - 1);
    for (size_t k = 0; k < c->n_rows && !e; k++) {
        const prow *p = &c->rows[k];
        if (!p->path || !p->how)
            continue;
        char n[6][16];
        int v[6] = {p->items, p->divergences, p->resolved, p->open, p->nw, 0};
        for (int x = 0; x < 5; x++)
            snprintf(n[x], sizeof n[x], "%d", v[x]);
        if ((e = csv_field(&b, p->path, false)) || (e = csv_field(&b, p->old_path, false)) ||
            (e = csv_field(&b, how_label(p->how, en), false)))
            break;
        for (int x = 0; x < 5 && !e; x++)
            e = csv_field(&b, n[x], false);
        if (!e)
            e = csv_field(&b, p->diff_rel, true);
    }
    if (!e)
        e = sk_buf_printf(&path, "%s/previous.csv", c->outdir);
    if (e)
        e = sk_diag_set(d, e, "out of memory");
    else
        e = sk_out_write_file(path.data, b.data, b.len, d);
    sk_buf_free(&b);
    sk_buf_free(&path);
    return e;
}

/* Reads each file of the previous round (listed in c->ow) into c
 * (those it cannot read keep their reason); false after reporting a fatal
 * problem of the folder or a lack of memory. */
static bool read_old(pctx *c, sk_diag *d)
{
    const sk_batch_opts *o = c->o;
    size_t n_new = c->b->walk->n_files;
    for (size_t k = 0; k < c->ow->n_problems; k++)
        if (sk_walk_problem_fatal(&c->ow->problems[k])) {
            char why[300];
            sk_walk_problem_text(&c->ow->problems[k], o->lang, why, sizeof why);
            fprintf(stderr, "sechk: %s: %s\n", c->ow->problems[k].path, why);
            return false;
        }
    size_t n_old = c->ow->n_files;
    c->old = calloc(n_old + 1, sizeof *c->old);
    c->old_reason = calloc(n_old + 1, sizeof *c->old_reason);
    c->old_key = calloc(n_old + 1, sizeof *c->old_key);
    c->old_taken = calloc(n_old + 1, sizeof *c->old_taken);
    c->pair = calloc(n_new + 1, sizeof *c->pair);
    c->new_key = calloc(n_new + 1, sizeof *c->new_key);
    c->rows = calloc(n_new + n_old + 1, sizeof *c->rows);
    if (!c->old || !c->old_reason || !c->old_key || !c->old_taken || !c->pair || !c->rows || !c->new_key) {
        fprintf(stderr, "sechk: batch --previous: %s\n", sk_msg(SK_MSG_NOMEM));
        return false;
    }
    for (size_t j = 0; j < n_old; j++) {
        sk_diag_clear(d);
        /* the previous round is located as extract does without --sheet */
        const sk_extract_opts xo = {.open = o->open};
        if (sk_diff_input_load(c->ow->files[j].path, o->tpl, &o->limits, &xo, o->phase, &c->old[j], d) != SK_OK) {
            char msg[700], why[sizeof d->reason + 128];
            snprintf(msg, sizeof msg, "%s%s%s", d->where, d->where[0] ? ": " : "",
                     sk_diag_reason(d, o->lang, why, sizeof why));
            c->old_reason[j] = strdup(msg);
        } else
            c->old_key[j] = service_key(c->old[j].a->doc[SK_DOC_SERVICE], c->old[j].project);
    }
    return true;
}

/* Pairs this round's files with the previous round's: by path first, then
 * by service and project name. */
static void pair_all(pctx *c, sk_diag *d)
{
    const sk_batch *b = c->b;
    const sk_batch_opts *o = c->o;
    size_t n_new = b->walk->n_files;
    for (size_t i = 0; i < n_new; i++) {
        c->pair[i] = -1;
        c->rows[i].path = b->walk->files[i].path;
        if (b->files[i].reason)
            sk_msg_format(c->rows[i].reason, sizeof c->rows[i].reason, o->lang, SK_MSG_PREV_THIS_UNREADABLE);
    }
    for (size_t i = 0; i < n_new; i++)
        if (!b->files[i].reason)
            pair_file(c, i, 0, &c->rows[i]);
    /* the keys of the files left: the project name needs the header block again */
    for (size_t i = 0; i < n_new; i++) {
        if (b->files[i].reason || c->pair[i] >= 0 || !b->files[i].service || !*b->files[i].service)
            continue;
        sk_diff_input in;
        sk_diag_clear(d);
        const sk_extract_opts xo = {.sheet = o->sheet, .open = o->open};
        if (sk_diff_input_load(b->walk->files[i].path, o->tpl, &o->limits, &xo, o->phase, &in, d) == SK_OK) {
            c->new_key[i] = service_key(in.a->doc[SK_DOC_SERVICE], in.project);
            sk_diff_input_clear(&in);
        }
    }
    for (size_t i = 0; i < n_new; i++)
        if (!b->files[i].reason && c->pair[i] < 0)
            pair_file(c, i, 1, &c->rows[i]);
    c->n_rows = n_new;
}

/* Compares each pair (writing its outputs) and adds a row for each old file
 * left over; false when a comparison failed (reported). */
static bool compare_pairs(pctx *c, sk_diag *d)
{
    const sk_batch *b = c->b;
    bool ok = true;
    for (size_t i = 0; i < b->walk->n_files; i++) {
        if (c->pair[i] < 0)
            continue;
        c->old_taken[c->pair[i]] = -2; /* paired */
        c->rows[i].old_path = c->ow->files[c->pair[i]].path;
        sk_diag_clear(d);
        if (compare(c, i, &c->rows[i], d) != SK_OK) {
            sk_diag_file(d, b->walk->files[i].path);
            sk_cli_report(d);
            c->rows[i].how = NULL;
            sk_diag_reason(d, c->o->lang, c->rows[i].reason, sizeof c->rows[i].reason);
            ok = false;
        }
    }
    for (size_t j = 0; j < c->ow->n_files; j++) {
        if (c->old_taken[j] == -2)
            continue;
        prow *r = &c->rows[c->n_rows++];
        r->old_path = c->ow->files[j].path;
        if (c->old_reason[j])
            snprintf(r->reason, sizeof r->reason, "%s", c->old_reason[j]);
        else
            sk_msg_format(r->reason, sizeof r->reason, c->o->lang, SK_MSG_PREV_NOT_PAIRED);
    }
    return ok;
}

/* Writes the comparisons, previous.xlsx/.csv and the summary's columns,
 * staged as the batch itself, then prints the tally; false on a failure
 * (reported). */
static bool write_all(pctx *c, sk_diag *d)
{
    const char *outdir = c->outdir;
    bool failed = false;
    /* as the batch itself: renames stay atomic, one sync at the end; staged
     * in a private folder of OUTDIR, no symlink followed below it */
    sk_out_set_sync(false);
    sk_diag_clear(d);
    if (sk_out_stage_begin(outdir, d) != SK_OK) {
        sk_cli_report_lang(d, c->o->lang);
        failed = true;
    }
    if (!compare_pairs(c, d))
        failed = true;
    for (size_t j = 0; j < c->ow->n_files; j++)
        if (c->old_reason[j])
            fprintf(stderr, "sechk: %s: %s\n", c->ow->files[j].path, c->old_reason[j]);
    sk_diag_clear(d);
    sk_buf xp = {0};
    xjob xj = {c};
    if (sk_buf_printf(&xp, "%s/previous.xlsx", outdir) != SK_OK || sk_out_workbook(xp.data, build, &xj, d) != SK_OK ||
        write_csv(c, d) != SK_OK || rewrite_summary(c, d) != SK_OK) {
        sk_cli_report(d);
        failed = true;
    }
    sk_buf_free(&xp);
    sk_out_stage_end();
    sk_out_set_sync(true);
    int fd = open(outdir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || syncfs(fd) != 0) {
        fprintf(stderr, "sechk: %s: ", outdir);
        sk_msg_print(stderr, SK_MSG_CANNOT_FLUSH);
        fputc('\n', stderr);
        failed = true;
    }
    if (fd >= 0)
        close(fd);
    size_t paired = 0, unpaired = 0;
    for (size_t k = 0; k < c->n_rows; k++)
        c->rows[k].how ? paired++ : unpaired++;
    fputs("sechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_PREVIOUS_TALLY, paired, unpaired, outdir);
    fputc('\n', stderr);
    return !failed;
}

/* Frees what c holds. */
static void pctx_free(pctx *c)
{
    if (c->old)
        for (size_t j = 0; j < c->ow->n_files; j++) {
            sk_diff_input_clear(&c->old[j]);
            free(c->old_reason[j]);
            free(c->old_key[j]);
        }
    if (c->rows)
        for (size_t k = 0; k < c->n_rows; k++)
            free(c->rows[k].diff_rel);
    free(c->old);
    free(c->old_reason);
    free(c->old_key);
    free(c->old_taken);
    if (c->new_key)
        for (size_t i = 0; i < c->b->walk->n_files; i++)
            free(c->new_key[i]);
    free(c->new_key);
    free(c->pair);
    free(c->rows);
    sk_walk_free(c->ow);
}

int sk_batch_previous(const sk_batch *b, const char *olddir, const char *outdir, const sk_batch_opts *o)
{
    pctx c = {.b = b, .o = o, .outdir = outdir};
    sk_diag d;
    sk_diag_clear(&d);
    if (!b->names) {
        fprintf(stderr, "sechk: batch --previous: %s\n", sk_msg(SK_MSG_NOMEM));
        return SK_EXIT_FAIL;
    }
    if (sk_walk_inputs(&olddir, 1, outdir, &c.ow, &d) != SK_OK) {
        sk_cli_report(&d);
        return SK_EXIT_FAIL;
    }
    int status = SK_EXIT_FAIL;
    if (read_old(&c, &d)) {
        pair_all(&c, &d);
        status = write_all(&c, &d) ? SK_EXIT_OK : SK_EXIT_FAIL;
    }
    pctx_free(&c);
    return status;
}
