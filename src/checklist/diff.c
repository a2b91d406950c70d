/* sechk — comparing a resubmission with the previous round (sechk/diff.h). */
#include "sechk/diff.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/validate.h"

/* ---- names ---- */

const char *sk_change_kind_name(sk_change_kind k)
{
    static const char *const n[SK_CHANGE__COUNT] = {"option", "field", "text", "status"};
    return (unsigned)k < SK_CHANGE__COUNT ? n[k] : "?";
}

const char *sk_finding_state_name(sk_finding_state s)
{
    static const char *const n[SK_FINDING__COUNT] = {"resolved", "open", "new"};
    return (unsigned)s < SK_FINDING__COUNT ? n[s] : "?";
}

const char *sk_finding_state_label(sk_finding_state s, sk_lang lang)
{
    static const char *const ja[SK_FINDING__COUNT] = {"解消", "継続", "新規"};
    static const char *const en[SK_FINDING__COUNT] = {"resolved", "open", "new"};
    if ((unsigned)s >= SK_FINDING__COUNT)
        return "?";
    return lang == SK_LANG_EN ? en[s] : ja[s];
}

const char *sk_diff_divergence_message(int party, sk_lang lang)
{
    if (party == SK_PROVIDER)
        return lang == SK_LANG_EN ? "The service provider's answer has changed since the previous submission. It "
                                    "must be reported to the prefecture and approved."
                                  : "前回から外部サービス提供者の回答が変わっています。県への報告・承認が必要です。";
    return lang == SK_LANG_EN ? "A contractor's answer went from done (済) back to planned (予定) or not applicable "
                                "(対象外). It must be reported to the prefecture and approved."
                              : "受託者の回答が前回の「済」から「予定」または「対象外」に戻っています。"
                                "県への報告・承認が必要です。";
}

/* Column name of a party ("item" for -1). */
static const char *column_name(int party)
{
    return party >= 0 && party < SK_PARTY__COUNT ? sk_party_name((sk_party)party) : "item";
}

/* ---- replies ---- */

void sk_replies_free(sk_replies *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; i++) {
        free(r->v[i].code);
        free(r->v[i].text);
    }
    free(r->v);
    free(r);
}

const char *sk_replies_find(const sk_replies *r, int no, int party, const char *code)
{
    if (!r || !code)
        return NULL;
    for (int i = 0; i < r->n; i++)
        if (r->v[i].no == no && r->v[i].party == party && strcmp(r->v[i].code, code) == 0)
            return r->v[i].text;
    return NULL;
}

/* The shared-string indexes a sheet uses, sorted (for the string filter). */
typedef struct wanted {
    uint32_t *v;
    size_t n;
} wanted;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool keep_wanted(uint32_t index, const char *text, size_t len, void *ctx)
{
    (void)text;
    (void)len;
    const wanted *w = ctx;
    return bsearch(&index, w->v, w->n, sizeof *w->v, cmp_u32) != NULL;
}

/* A cell's text, trimmed, copied into out (NUL-terminated, cut at n-1
 * bytes on a character boundary); "" when empty. */
static void cell_str(const sk_book *b, const sk_sheet *s, uint32_t row, uint32_t col, char *out, size_t n)
{
    out[0] = '\0';
    const sk_cell *c = col ? sk_sheet_cell(s, row, col) : NULL;
    size_t len = 0;
    const char *t = c ? sk_cell_text(b, s, c, &len) : NULL;
    if (!t)
        return;
    t = sk_text_trim(t, &len);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(out, t, len);
    out[len] = '\0';
}

/* Header labels of the findings sheet (review.c writes them). */
static int header_column(const char *s)
{
    static const struct {
        const char *ja, *en;
    } heads[4] = {{"No.", "No."}, {"回答欄", "Column"}, {"コード", "Code"}, {"回答者コメント", "Answerer's comment"}};
    for (int k = 0; k < 4; k++)
        if (strcmp(s, heads[k].ja) == 0 || strcmp(s, heads[k].en) == 0)
            return k;
    if (strcmp(s, "参照コード") == 0) /* the code column's later name */
        return 2;
    return -1;
}

/* Party of a 回答欄 cell of the findings sheet; -2 if not one. */
static int party_of_label(const char *s)
{
    if (strcmp(s, "提供者") == 0 || strcmp(s, "provider") == 0)
        return SK_PROVIDER;
    if (strcmp(s, "受託者") == 0 || strcmp(s, "contractor") == 0)
        return SK_CONTRACTOR;
    if (strcmp(s, "項目") == 0 || strcmp(s, "item") == 0)
        return -1;
    return -2;
}

/* Reads the shared strings that sheet s uses (and only those). */
static sk_error read_sheet_strings(sk_book *b, const sk_sheet *s, sk_diag *d)
{
    wanted w = {NULL, 0};
    if (s->n_cells) {
        w.v = malloc(s->n_cells * sizeof *w.v);
        if (!w.v)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cells[i].type == SK_CELL_SHARED)
            w.v[w.n++] = s->cells[i].v;
    qsort(w.v, w.n, sizeof *w.v, cmp_u32);
    sk_error e = w.n ? sk_book_read_strings(b, keep_wanted, &w, d) : SK_OK;
    free(w.v);
    return e;
}

/* The header row of the findings sheet: the first row within 20 holding all
 * four labels, their columns in col; 0 if there is none. */
static uint32_t find_header(sk_book *b, const sk_sheet *s, uint32_t col[4])
{
    char text[256];
    for (size_t i = 0; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        if (c->row > 20)
            break;
        cell_str(b, s, c->row, c->col, text, sizeof text);
        int k = header_column(text);
        if (k < 0)
            continue;
        uint32_t found[4] = {0};
        found[k] = c->col;
        for (size_t j = i + 1; j < s->n_cells && s->cells[j].row == c->row; j++) {
            cell_str(b, s, c->row, s->cells[j].col, text, sizeof text);
            int kk = header_column(text);
            if (kk >= 0 && !found[kk])
                found[kk] = s->cells[j].col;
        }
        if (found[0] && found[1] && found[2] && found[3]) {
            memcpy(col, found, sizeof found);
            return c->row;
        }
    }
    return 0;
}

/* Appends a reply (copies of code and of the len bytes of text) to r, whose
 * array has room for *cap. */
static sk_error add_reply(sk_replies *r, int *cap, int no, int party, const char *code, const char *text,
                          size_t len, sk_diag *d)
{
    if (r->n >= SK_MAX_REPLIES)
        return sk_diag_set(d, SK_ERR_LIMIT, "more than %d replies on the findings sheet", SK_MAX_REPLIES);
    if (r->n == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        sk_reply *nv = realloc(r->v, (size_t)nc * sizeof *nv);
        if (!nv)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        r->v = nv;
        *cap = nc;
    }
    sk_reply *rp = &r->v[r->n];
    rp->no = no;
    rp->party = party;
    rp->code = strdup(code);
    rp->text = sk_strndup(text, len);
    if (!rp->code || !rp->text) {
        free(rp->code);
        free(rp->text);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    r->n++;
    return SK_OK;
}

/* Reads the replies of sheet si. */
static sk_error read_replies_sheet(sk_book *b, size_t si, sk_replies *r, sk_diag *d)
{
    sk_sheet *s = NULL;
    sk_error e = sk_book_read_sheet(b, si, &s, d);
    if (e)
        return e;
    if ((e = read_sheet_strings(b, s, d))) {
        sk_sheet_free(s);
        return e;
    }
    uint32_t col[4] = {0}, head = find_header(b, s, col);
    if (!head) {
        sk_sheet_free(s);
        return SK_OK;
    }
    r->review = true;
    int cap = 0;
    char no_s[32], party_s[64], code[128];
    uint32_t last_row = 0;
    for (size_t i = 0; i < s->n_cells && !e; i++) {
        uint32_t row = s->cells[i].row;
        if (row <= head || row == last_row)
            continue;
        last_row = row;
        const sk_cell *rc = sk_sheet_cell(s, row, col[3]);
        size_t len = 0;
        const char *t = rc ? sk_cell_text(b, s, rc, &len) : NULL;
        if (!t)
            continue;
        t = sk_text_trim(t, &len);
        if (!len)
            continue;
        cell_str(b, s, row, col[0], no_s, sizeof no_s);
        cell_str(b, s, row, col[1], party_s, sizeof party_s);
        cell_str(b, s, row, col[2], code, sizeof code);
        char *end;
        long no = strtol(no_s, &end, 10);
        int party = party_of_label(party_s);
        if (end == no_s || (*end && strcmp(end, ".0") != 0) || no < 1 || no > SK_MAX_ITEMS || party < -1 || !code[0])
            continue; /* not a finding row */
        e = add_reply(r, &cap, (int)no, party, code, t, len, d);
    }
    sk_sheet_free(s);
    return e;
}

sk_error sk_replies_read(sk_book *b, sk_replies **out, sk_diag *d)
{
    *out = NULL;
    sk_replies *r = calloc(1, sizeof *r);
    if (!r)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_error e = SK_OK;
    for (size_t i = 0; i < sk_book_sheet_count(b) && !e && !r->review; i++) {
        const char *name = sk_book_sheet_name(b, i);
        if (name && (strcmp(name, "指摘事項") == 0 || strcmp(name, "Findings") == 0))
            e = read_replies_sheet(b, i, r, d);
    }
    if (e) {
        sk_replies_free(r);
        return e;
    }
    *out = r;
    return SK_OK;
}

/* ---- the comparison ---- */

void sk_diff_free(sk_diff *df)
{
    if (!df)
        return;
    for (int i = 0; i < df->n_changes; i++) {
        free(df->changes[i].before);
        free(df->changes[i].after);
    }
    for (int i = 0; i < df->n_notes; i++) {
        free(df->notes[i].message_ja);
        free(df->notes[i].message_en);
    }
    free(df->changes);
    free(df->findings);
    free(df);
}

bool sk_diff_changed(const sk_diff *df)
{
    return df->n_changes > 0 || df->counts[SK_FINDING_RESOLVED] > 0 || df->counts[SK_FINDING_NEW] > 0;
}

/* Appends a change; before/after are copied (NULL: none). */
static sk_error add_change(sk_diff *df, const sk_change *c, const char *before, const char *after)
{
    if (df->n_changes == df->cap_changes) {
        int nc = df->cap_changes ? df->cap_changes * 2 : 32;
        sk_change *nv = realloc(df->changes, (size_t)nc * sizeof *nv);
        if (!nv)
            return SK_ERR_NOMEM;
        df->changes = nv;
        df->cap_changes = nc;
    }
    sk_change *n = &df->changes[df->n_changes];
    *n = *c;
    n->before = before ? strdup(before) : NULL;
    n->after = after ? strdup(after) : NULL;
    if ((before && !n->before) || (after && !n->after)) {
        free(n->before);
        free(n->after);
        return SK_ERR_NOMEM;
    }
    df->n_changes++;
    return SK_OK;
}

static sk_error add_finding(sk_diff *df, const sk_diff_finding *f)
{
    if (df->n_findings == df->cap_findings) {
        int nc = df->cap_findings ? df->cap_findings * 2 : 32;
        sk_diff_finding *nv = realloc(df->findings, (size_t)nc * sizeof *nv);
        if (!nv)
            return SK_ERR_NOMEM;
        df->findings = nv;
        df->cap_findings = nc;
    }
    df->findings[df->n_findings++] = *f;
    df->counts[f->state]++;
    return SK_OK;
}

/* The alterations of a cell as one line ("「原文」→「改変」、…"). */
static sk_error alterations_text(const sk_cell_answers *ca, sk_buf *out)
{
    sk_buf_reset(out);
    sk_error e = sk_buf_append(out, "");
    for (int k = 0; k < ca->r.n_alterations && !e; k++)
        e = sk_buf_printf(out, "%s「%s」→「%s」", k ? "、" : "", ca->r.alterations[k].original,
                          ca->r.alterations[k].replacement);
    return e;
}

static bool contains(const char *s, const char *what)
{
    return s && strstr(s, what) != NULL;
}

/* Compares one answer cell. */
static sk_error diff_cell(sk_diff *df, int io, int in, int p, sk_buf *b1, sk_buf *b2)
{
    const sk_item_answers *oi = &df->old->items[io], *ni = &df->nw->items[in];
    const sk_cell_def *od = &oi->item->cells[p], *nd = &ni->item->cells[p];
    const sk_cell_answers *oc = &oi->cells[p], *nc = &ni->cells[p];
    if (od->absent || nd->absent || !oc->present || !nc->present || !oc->r.state || !nc->r.state)
        return SK_OK;
    const int first = df->n_changes;
    sk_change c = {.no = ni->item->no, .item_old = io, .item_new = in, .party = p};
    sk_error e;
    for (int k = 0; k < nd->n_options; k++) {
        int ko = sk_cell_option(od, nd->options[k].id);
        if (ko < 0)
            continue;
        bool was = oc->r.state[ko] == SK_BOX_CHECKED, is = nc->r.state[k] == SK_BOX_CHECKED;
        if (was == is)
            continue;
        c.kind = SK_CHANGE_OPTION;
        c.id = nd->options[k].id;
        c.label = nd->options[k].label;
        c.checked_before = was;
        c.checked_after = is;
        c.divergence = p == SK_PROVIDER;
        if ((e = add_change(df, &c, NULL, NULL)))
            return e;
    }
    /* a contractor answer from 済 back to 予定 or 対象外 (in the same group) */
    if (p == SK_CONTRACTOR) {
        for (int a = first; a < df->n_changes; a++) {
            sk_change *off = &df->changes[a];
            if (off->kind != SK_CHANGE_OPTION || !off->checked_before || off->checked_after ||
                !contains(off->label, "済"))
                continue;
            int ga = nd->options[sk_cell_option(nd, off->id)].group;
            for (int b = first; b < df->n_changes; b++) {
                sk_change *on = &df->changes[b];
                if (on->kind != SK_CHANGE_OPTION || on->checked_before || !on->checked_after ||
                    contains(on->label, "済") || !(contains(on->label, "予定") || contains(on->label, "対象外")))
                    continue;
                int gb = nd->options[sk_cell_option(nd, on->id)].group;
                if (ga >= 0 && gb >= 0 && ga != gb)
                    continue;
                off->divergence = on->divergence = true;
            }
        }
    }
    c.checked_before = c.checked_after = false;
    for (int k = 0; k < nd->n_slots; k++) {
        int ko = sk_cell_slot(od, nd->slots[k].id);
        if (ko < 0 || ko >= oc->r.n_values || k >= nc->r.n_values)
            continue;
        const char *was = oc->r.values[ko] ? oc->r.values[ko] : "", *is = nc->r.values[k] ? nc->r.values[k] : "";
        if (strcmp(was, is) == 0)
            continue;
        c.kind = SK_CHANGE_FIELD;
        c.id = nd->slots[k].id;
        c.label = nd->slots[k].label;
        c.divergence = p == SK_PROVIDER;
        if ((e = add_change(df, &c, was, is)))
            return e;
    }
    if ((e = alterations_text(oc, b1)) || (e = alterations_text(nc, b2)))
        return e;
    if (strcmp(b1->data, b2->data) != 0) {
        c.kind = SK_CHANGE_TEXT;
        c.id = "text";
        c.label = "";
        c.divergence = p == SK_PROVIDER;
        if ((e = add_change(df, &c, b1->data, b2->data)))
            return e;
    }
    return SK_OK;
}

/* Sorts one item's findings into resolved, open and new. */
static sk_error diff_findings(sk_diff *df, int io, int in, const sk_diff_sides *sides)
{
    const sk_item_answers *oi = &df->old->items[io], *ni = &df->nw->items[in];
    bool *used_old = calloc((size_t)(oi->n_findings > 0 ? oi->n_findings : 1), sizeof *used_old);
    sk_finding_state *st_new = calloc((size_t)(ni->n_findings > 0 ? ni->n_findings : 1), sizeof *st_new);
    sk_error e = SK_OK;
    if (!used_old || !st_new) {
        e = SK_ERR_NOMEM;
        goto done;
    }
    for (int f = 0; f < ni->n_findings; f++) {
        st_new[f] = SK_FINDING_NEW;
        for (int g = 0; g < oi->n_findings; g++)
            if (!used_old[g] && oi->findings[g].party == ni->findings[f].party &&
                strcmp(oi->findings[g].code, ni->findings[f].code) == 0) {
                used_old[g] = true;
                st_new[f] = SK_FINDING_OPEN;
                break;
            }
    }
    static const int order[3] = {SK_PROVIDER, SK_CONTRACTOR, -1};
    for (int k = 0; k < 3; k++) {
        int party = order[k];
        for (int f = 0; f < ni->n_findings; f++) {
            const sk_finding *fd = &ni->findings[f];
            if (fd->party != party && !(party == -1 && (fd->party < 0 || fd->party >= SK_PARTY__COUNT)))
                continue;
            sk_diff_finding x = {.no = ni->item->no,
                                 .party = party,
                                 .code = fd->code,
                                 .state = st_new[f],
                                 .severity = fd->severity,
                                 .message_ja = fd->message_ja,
                                 .message_en = fd->message_en,
                                 .item_new = in,
                                 .finding_new = f};
            x.reply = sk_replies_find(sides ? sides->new_replies : NULL, x.no, party, fd->code);
            if (!x.reply)
                x.reply = sk_replies_find(sides ? sides->old_replies : NULL, x.no, party, fd->code);
            if ((e = add_finding(df, &x)))
                goto done;
        }
        for (int g = 0; g < oi->n_findings; g++) {
            const sk_finding *fd = &oi->findings[g];
            if (used_old[g] ||
                (fd->party != party && !(party == -1 && (fd->party < 0 || fd->party >= SK_PARTY__COUNT))))
                continue;
            sk_diff_finding x = {.no = ni->item->no,
                                 .party = party,
                                 .code = fd->code,
                                 .state = SK_FINDING_RESOLVED,
                                 .severity = fd->severity,
                                 .message_ja = fd->message_ja,
                                 .message_en = fd->message_en,
                                 .item_new = in,
                                 .finding_new = -1};
            x.reply = sk_replies_find(sides ? sides->new_replies : NULL, x.no, party, fd->code);
            if (!x.reply)
                x.reply = sk_replies_find(sides ? sides->old_replies : NULL, x.no, party, fd->code);
            if ((e = add_finding(df, &x)))
                goto done;
        }
    }
done:
    free(used_old);
    free(st_new);
    return e;
}

/* A document date as a comparable number yyyymmdd (day 0 when not given);
 * 0 if there is none. */
static long doc_date(const char *s)
{
    sk_ym ym;
    if (!s || !*s || !sk_doc_date_parse(s, &ym))
        return 0;
    int day = 0;
    const char *m = strstr(s, "月");
    const char *p = NULL;
    if (m)
        p = m + strlen("月");
    else {
        /* 2026/04/01, 2026-04-01, 2026.4.1: the third number */
        const char *q = s;
        int seps = 0;
        for (; *q && seps < 2; q++)
            if (*q == '/' || *q == '-' || *q == '.')
                seps++;
        if (seps == 2)
            p = q;
    }
    while (p && *p) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= '0' && ch <= '9') {
            day = day * 10 + (ch - '0');
            p++;
        } else if (ch == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0x90 &&
                   (unsigned char)p[2] <= 0x99) {
            day = day * 10 + ((unsigned char)p[2] - 0x90); /* full-width digit */
            p += 3;
        } else
            break;
        if (day > 31) {
            day = 0;
            break;
        }
    }
    return (long)ym.year * 10000 + ym.month * 100 + day;
}

/* The date that dates a document: 更新日, else 作成日. */
static const char *doc_when(const sk_answers *a)
{
    const char *u = a->doc[SK_DOC_UPDATED];
    return u && *u && doc_date(u) ? u : a->doc[SK_DOC_CREATED];
}

static sk_error add_note(sk_diff *df, const char *code, const char *ja, const char *en)
{
    if (df->n_notes >= (int)(sizeof df->notes / sizeof *df->notes))
        return SK_OK;
    sk_diff_note *n = &df->notes[df->n_notes];
    n->code = code;
    n->message_ja = strdup(ja);
    n->message_en = strdup(en);
    if (!n->message_ja || !n->message_en) {
        free(n->message_ja);
        free(n->message_en);
        return SK_ERR_NOMEM;
    }
    df->n_notes++;
    return SK_OK;
}

static bool str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Notes that the two sides use different checklist versions, if they do. */
static sk_error note_templates(sk_diff *df, const sk_diff_sides *sides)
{
    const sk_answers *old = df->old, *nw = df->nw;
    char ja[600], en[600];
    const char *oid = sides && sides->old_template_id ? sides->old_template_id : old->tpl->id;
    const char *over = sides && sides->old_template_version ? sides->old_template_version : old->tpl->version;
    const char *nid = sides && sides->new_template_id ? sides->new_template_id : nw->tpl->id;
    const char *nver = sides && sides->new_template_version ? sides->new_template_version : nw->tpl->version;
    int only_old = 0, only_new = 0;
    for (int i = 0; i < nw->n_items; i++)
        only_new += sk_template_item(old->tpl, nw->items[i].item->no) == NULL;
    for (int i = 0; i < old->n_items; i++)
        only_old += sk_template_item(nw->tpl, old->items[i].item->no) == NULL;
    if (str_eq(oid, nid) && str_eq(over, nver) && !only_old && !only_new)
        return SK_OK;
    snprintf(ja, sizeof ja,
             "前回（%s %s）と今回（%s %s）はチェックリストの版が異なります。両方にある項目だけを比較しました"
             "（前回のみ %d 項目、今回のみ %d 項目）。",
             oid, over, nid, nver, only_old, only_new);
    snprintf(en, sizeof en,
             "The previous (%s %s) and this (%s %s) submission use different checklist versions; only the "
             "items both define were compared (%d only in the previous, %d only in this one).",
             oid, over, nid, nver, only_old, only_new);
    return add_note(df, "template-differs", ja, en);
}

/* Notes a resubmission whose date is missing or not later than the
 * previous one's. */
static sk_error note_dates(sk_diff *df)
{
    const sk_answers *old = df->old, *nw = df->nw;
    char ja[600], en[600];
    const char *ow = doc_when(old), *nwh = doc_when(nw);
    long od = doc_date(ow), nd = doc_date(nwh);
    bool same_file = old->sha256 && nw->sha256 && strcmp(old->sha256, nw->sha256) == 0;
    if (same_file)
        return SK_OK; /* the same file twice: its date says nothing about a resubmission */
    if (od && !nd)
        return add_note(df, "updated-missing",
                        "今回の提出物に更新日（作成日）が記入されていません。更新日を記入してください。",
                        "This submission states no 更新日 (or 作成日); it should give the date of the update.");
    if (od && nd && nd <= od) {
        snprintf(ja, sizeof ja, "今回の更新日「%s」が前回の「%s」より後になっていません。更新日を確認してください。",
                 nwh, ow);
        snprintf(en, sizeof en, "This submission's date \"%s\" is not later than the previous one's \"%s\".", nwh, ow);
        return add_note(df, "updated-not-later", ja, en);
    }
    return SK_OK;
}

/* Compares item io of the old side with item in of the new: its cells, its
 * status and its findings (b1, b2: scratch buffers). */
static sk_error diff_item(sk_diff *df, int io, int in, const sk_diff_sides *sides, sk_buf *b1, sk_buf *b2)
{
    const sk_answers *old = df->old, *nw = df->nw;
    int before = df->n_changes;
    sk_error e = SK_OK;
    for (int p = 0; p < SK_PARTY__COUNT && !e; p++)
        e = diff_cell(df, io, in, p, b1, b2);
    if (e)
        return e;
    if (df->n_changes > before)
        df->n_items_changed++;
    if (old->items[io].status != nw->items[in].status) {
        sk_change c = {.no = nw->items[in].item->no,
                       .item_old = io,
                       .item_new = in,
                       .party = -1,
                       .kind = SK_CHANGE_STATUS,
                       .id = "status",
                       .label = ""};
        if ((e = add_change(df, &c, sk_status_name(old->items[io].status), sk_status_name(nw->items[in].status))))
            return e;
    }
    return diff_findings(df, io, in, sides);
}

sk_error sk_diff_compute(const sk_answers *old, const sk_answers *nw, const sk_diff_sides *sides, sk_diff **out,
                         sk_diag *d)
{
    *out = NULL;
    if (!old || !nw || !old->tpl || !nw->tpl)
        return sk_diag_set(d, SK_ERR_USAGE, "nothing to compare");
    sk_diff *df = calloc(1, sizeof *df);
    if (!df)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    df->old = old;
    df->nw = nw;
    df->project[0] = sides ? sides->old_project : NULL;
    df->project[1] = sides ? sides->new_project : NULL;
    sk_buf b1 = {0}, b2 = {0};
    sk_error e = note_templates(df, sides);
    if (!e)
        e = note_dates(df);
    for (int in = 0; in < nw->n_items && !e; in++) {
        const sk_item *oit = sk_template_item(old->tpl, nw->items[in].item->no);
        if (oit)
            e = diff_item(df, (int)(oit - old->tpl->items), in, sides, &b1, &b2);
    }
    sk_buf_free(&b1);
    sk_buf_free(&b2);
    if (e) {
        sk_diff_free(df);
        return sk_diag_set(d, e, "out of memory");
    }
    for (int k = 0; k < df->n_changes; k++)
        df->n_divergences += df->changes[k].divergence;
    *out = df;
    return SK_OK;
}

/* ---- describing a change ---- */

sk_error sk_change_describe(const sk_change *c, sk_lang lang, sk_buf *out)
{
    bool en = lang == SK_LANG_EN;
    switch (c->kind) {
    case SK_CHANGE_OPTION:
        return sk_buf_printf(out, en ? "\"%s\" %s → %s" : "「%s」 %s → %s", c->label, c->checked_before ? "■" : "□",
                             c->checked_after ? "■" : "□");
    case SK_CHANGE_FIELD:
        return sk_buf_printf(out, en ? "\"%s\": \"%s\" → \"%s\"" : "「%s」: 「%s」 → 「%s」", c->label, c->before,
                             c->after);
    case SK_CHANGE_TEXT:
        return sk_buf_printf(out, en ? "template text altered: %s → %s" : "定型文の改変: %s → %s",
                             c->before[0] ? c->before : (en ? "(none)" : "（なし）"),
                             c->after[0] ? c->after : (en ? "(none)" : "（なし）"));
    case SK_CHANGE_STATUS: {
        sk_status sb = SK_STATUS_OK, sa = SK_STATUS_OK;
        for (int s = 0; s < SK_STATUS__COUNT; s++) {
            if (strcmp(c->before, sk_status_name((sk_status)s)) == 0)
                sb = (sk_status)s;
            if (strcmp(c->after, sk_status_name((sk_status)s)) == 0)
                sa = (sk_status)s;
        }
        return sk_buf_printf(out, en ? "status %s → %s" : "判定 %s → %s", sk_status_label(sb, lang),
                             sk_status_label(sa, lang));
    }
    default: return SK_OK;
    }
}

/* ---- text ---- */

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

static sk_error side_line(const sk_answers *a, const char *project, const char *label, sk_lang lang, sk_buf *out)
{
    bool en = lang == SK_LANG_EN;
    const char *when = doc_when(a);
    const char *svc = a->doc[SK_DOC_SERVICE];
    const char *phase = a->phase >= 0 && a->phase < a->tpl->n_phases
                            ? (en ? a->tpl->phases[a->phase].id : a->tpl->phases[a->phase].label)
                            : "-";
    sk_error e = sk_buf_printf(out, en ? "%s %s (service: %s; " : "%s %s（サービス: %s、", label, base_name(a->path),
                               svc && *svc ? svc : "-");
    if (!e && project && *project)
        e = en ? sk_buf_printf(out, "project: %s; ", project)
               : sk_buf_printf(out, "%s: %s、", a->tpl->project_label.ja, project);
    if (!e)
        e = sk_buf_printf(out, en ? "dated: %s; phase: %s)\n" : "日付: %s、段階: %s）\n", when && *when ? when : "-",
                          phase);
    return e;
}

/* Makes the line appended since from one line of plain text: a line break
 * or tab typed in a value becomes a space, other control characters (an
 * escape sequence in a vendor's reply) '?'; the final line break stays. */
static void scrub(sk_buf *out, size_t from)
{
    for (size_t i = from; i + 1 < out->len; i++) {
        unsigned char ch = (unsigned char)out->data[i];
        if (ch == '\n' || ch == '\r' || ch == '\t')
            out->data[i] = ' ';
        else if (ch < 0x20 || ch == 0x7F)
            out->data[i] = '?';
    }
}

sk_error sk_diff_text(const sk_diff *df, sk_lang lang, sk_buf *out)
{
    bool en = lang == SK_LANG_EN;
    sk_error e;
    size_t at = out->len;
    if ((e = side_line(df->old, df->project[0], en ? "previous:" : "前回:", lang, out)))
        return e;
    scrub(out, at);
    at = out->len;
    if ((e = side_line(df->nw, df->project[1], en ? "this:    " : "今回:", lang, out)))
        return e;
    scrub(out, at);
    for (int k = 0; k < df->n_notes; k++) {
        at = out->len;
        if ((e = sk_buf_printf(out, en ? "warning [%s] %s\n" : "警告 [%s] %s\n", df->notes[k].code,
                               en ? df->notes[k].message_en : df->notes[k].message_ja)))
            return e;
        scrub(out, at);
    }
    if (df->n_changes == 0)
        e = sk_buf_append(out, en ? "changes: none (the answers are the same)\n" : "変更点: なし（回答は同じです）\n");
    else
        e = sk_buf_printf(out,
                          en ? "changes: %d in %d items, %d needing approval (乖離)\n"
                             : "変更点: %d 件（%d 項目、うち乖離 %d 件）\n",
                          df->n_changes, df->n_items_changed, df->n_divergences);
    for (int k = 0; k < df->n_changes && !e; k++) {
        const sk_change *c = &df->changes[k];
        const sk_cell_answers *ca = c->party >= 0 ? &df->nw->items[c->item_new].cells[c->party] : NULL;
        at = out->len;
        if ((e = sk_buf_printf(out, "  No.%-3d %s %-6s %s", c->no, sk_template_party_short(df->nw->tpl, c->party, lang),
                               ca && ca->ref[0] ? ca->ref : "", c->divergence ? (en ? "[乖離] " : "[乖離] ") : "")) ||
            (e = sk_change_describe(c, lang, out)) || (e = sk_buf_putc(out, '\n')))
            return e;
        scrub(out, at);
    }
    /* the divergence warnings, once per column */
    for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
        int n = 0, last = -1;
        for (int k = 0; k < df->n_changes; k++)
            n += df->changes[k].divergence && df->changes[k].party == p;
        if (!n)
            continue;
        e = sk_buf_printf(out, en ? "warning [divergence] %s Items:" : "警告 [divergence] %s対象: ",
                          sk_diff_divergence_message(p, lang));
        for (int k = 0; k < df->n_changes && !e; k++)
            if (df->changes[k].divergence && df->changes[k].party == p && df->changes[k].no != last) {
                e = sk_buf_printf(out, "%sNo.%d", last >= 0 ? (en ? ", " : "、") : (en ? " " : ""), df->changes[k].no);
                last = df->changes[k].no;
            }
        if (!e)
            e = sk_buf_putc(out, '\n');
    }
    if (!e)
        e = sk_buf_printf(
            out, en ? "findings: %d resolved, %d open, %d new\n" : "指摘: 解消 %d 件、継続 %d 件、新規 %d 件\n",
            df->counts[SK_FINDING_RESOLVED], df->counts[SK_FINDING_OPEN], df->counts[SK_FINDING_NEW]);
    for (int k = 0; k < df->n_findings && !e; k++) {
        const sk_diff_finding *f = &df->findings[k];
        at = out->len;
        e = sk_buf_printf(out, "  %-4s No.%-3d %s %s [%s] %s\n", sk_finding_state_label(f->state, lang), f->no,
                          sk_template_party_short(df->nw->tpl, f->party, lang), sk_severity_label(f->severity, lang), f->code,
                          (en ? f->message_en : f->message_ja) ? (en ? f->message_en : f->message_ja) : "");
        if (!e)
            scrub(out, at);
        at = out->len;
        if (!e && f->reply &&
            !(e = sk_buf_printf(out, en ? "        reply: %s\n" : "        回答者コメント: %s\n", f->reply)))
            scrub(out, at);
    }
    return e;
}

/* ---- JSON ---- */

static json_t *side_json(const sk_answers *a, const char *tid, const char *tver, const sk_replies *r,
                         const char *project)
{
    json_t *o = json_object();
    json_t *src = json_object(), *tpl = json_object(), *doc = json_object();
    json_object_set_new(src, "path", json_string(a->path ? a->path : ""));
    json_object_set_new(src, "sha256", a->sha256 ? json_string(a->sha256) : json_null());
    json_object_set_new(src, "sheet", a->sheet ? json_string(a->sheet) : json_null());
    json_object_set_new(o, "source", src);
    json_object_set_new(tpl, "id", json_string(tid ? tid : a->tpl->id));
    json_object_set_new(tpl, "version", json_string(tver ? tver : a->tpl->version));
    json_object_set_new(o, "template", tpl);
    static const char *const keys[SK_DOC__COUNT] = {"created", "updated", "service"};
    for (int k = 0; k < SK_DOC__COUNT; k++)
        json_object_set_new(doc, keys[k], json_string(a->doc[k] ? a->doc[k] : ""));
    json_object_set_new(doc, "project", json_string(project ? project : ""));
    json_object_set_new(o, "document", doc);
    json_object_set_new(o, "phase",
                        json_string(a->phase >= 0 && a->phase < a->tpl->n_phases ? a->tpl->phases[a->phase].id : ""));
    json_object_set_new(o, "review", json_boolean(r && r->review));
    json_object_set_new(o, "replies", json_integer(r ? r->n : 0));
    return o;
}

sk_error sk_diff_json(const sk_diff *df, const sk_diff_sides *sides, sk_lang lang, sk_buf *out)
{
    bool en = lang == SK_LANG_EN;
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("sechk/diff-v1"));
    json_object_set_new(root, "old",
                        side_json(df->old, sides ? sides->old_template_id : NULL,
                                  sides ? sides->old_template_version : NULL, sides ? sides->old_replies : NULL,
                                  sides ? sides->old_project : NULL));
    json_object_set_new(root, "new",
                        side_json(df->nw, sides ? sides->new_template_id : NULL,
                                  sides ? sides->new_template_version : NULL, sides ? sides->new_replies : NULL,
                                  sides ? sides->new_project : NULL));
    json_t *sum = json_object();
    json_object_set_new(sum, "changed", json_boolean(sk_diff_changed(df)));
    json_object_set_new(sum, "changes", json_integer(df->n_changes));
    json_object_set_new(sum, "items_changed", json_integer(df->n_items_changed));
    json_object_set_new(sum, "divergences", json_integer(df->n_divergences));
    json_object_set_new(sum, "resolved", json_integer(df->counts[SK_FINDING_RESOLVED]));
    json_object_set_new(sum, "open", json_integer(df->counts[SK_FINDING_OPEN]));
    json_object_set_new(sum, "new", json_integer(df->counts[SK_FINDING_NEW]));
    json_object_set_new(root, "summary", sum);
    json_t *notes = json_array();
    for (int k = 0; k < df->n_notes; k++) {
        json_t *n = json_object();
        json_object_set_new(n, "code", json_string(df->notes[k].code));
        json_object_set_new(n, "severity", json_string("warning"));
        json_object_set_new(n, "message", json_string(en ? df->notes[k].message_en : df->notes[k].message_ja));
        json_array_append_new(notes, n);
    }
    json_object_set_new(root, "notes", notes);
    json_t *changes = json_array();
    for (int k = 0; k < df->n_changes; k++) {
        const sk_change *c = &df->changes[k];
        json_t *o = json_object();
        json_object_set_new(o, "no", json_integer(c->no));
        json_object_set_new(o, "column", json_string(column_name(c->party)));
        const sk_cell_answers *ca = c->party >= 0 ? &df->nw->items[c->item_new].cells[c->party] : NULL;
        json_object_set_new(o, "cell", ca && ca->ref[0] ? json_string(ca->ref) : json_null());
        json_object_set_new(o, "kind", json_string(sk_change_kind_name(c->kind)));
        json_object_set_new(o, "id", json_string(c->id ? c->id : ""));
        json_object_set_new(o, "label", json_string(c->label ? c->label : ""));
        if (c->kind == SK_CHANGE_OPTION) {
            json_object_set_new(o, "before", json_boolean(c->checked_before));
            json_object_set_new(o, "after", json_boolean(c->checked_after));
        } else {
            json_object_set_new(o, "before", json_string(c->before ? c->before : ""));
            json_object_set_new(o, "after", json_string(c->after ? c->after : ""));
        }
        json_object_set_new(o, "divergence", json_boolean(c->divergence));
        if (c->divergence)
            json_object_set_new(o, "message", json_string(sk_diff_divergence_message(c->party, lang)));
        json_array_append_new(changes, o);
    }
    json_object_set_new(root, "changes", changes);
    json_t *fs = json_array();
    for (int k = 0; k < df->n_findings; k++) {
        const sk_diff_finding *f = &df->findings[k];
        json_t *o = json_object();
        json_object_set_new(o, "no", json_integer(f->no));
        json_object_set_new(o, "column", json_string(column_name(f->party)));
        json_object_set_new(o, "code", json_string(f->code));
        json_object_set_new(o, "severity", json_string(sk_severity_name(f->severity)));
        json_object_set_new(o, "state", json_string(sk_finding_state_name(f->state)));
        const char *m = en ? f->message_en : f->message_ja;
        json_object_set_new(o, "message", json_string(m ? m : ""));
        json_object_set_new(o, "reply", f->reply ? json_string(f->reply) : json_null());
        json_array_append_new(fs, o);
    }
    json_object_set_new(root, "findings", fs);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return SK_ERR_NOMEM;
    sk_error e = sk_buf_append(out, s);
    free(s);
    return e;
}
