/* sechk — CSV answers and CP932 conversion. */
#include "sechk/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sk_error sk_csv_field(sk_buf *out, const char *s, bool neutralise)
{
    bool risky = false;
    if (neutralise) {
        static const char *const lead[] = {"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"};
        for (size_t i = 0; i < sizeof lead / sizeof *lead; i++)
            if (strncmp(s, lead[i], strlen(lead[i])) == 0)
                risky = true;
    }
    bool quote = risky || strpbrk(s, ",\"\r\n") != NULL;
    sk_error e = SK_OK;
    if (quote)
        e = sk_buf_putc(out, '"');
    if (!e && risky)
        e = sk_buf_putc(out, '\'');
    for (const char *p = s; !e && *p; p++) {
        if (*p == '"')
            e = sk_buf_putc(out, '"');
        if (!e)
            e = sk_buf_putc(out, *p);
    }
    if (!e && quote)
        e = sk_buf_putc(out, '"');
    return e;
}

/* The header of the long layout, in English and in Japanese. */
static const char *const long_header[2][8] = {
    {"file", "no", "column", "kind", "id", "label", "checked", "value"},
    {"ファイル", "No.", "回答欄", "種別", "ID", "項目", "チェック", "記入内容"},
};
/* The fixed columns of the item layout. */
static const char *const item_header[2][4] = {
    {"file", "no", "column", "checked"},
    {"ファイル", "No.", "回答欄", "チェックした選択肢"},
};

/* Appends a comma and then a field. */
static sk_error next_field(sk_buf *out, const char *s, bool neutralise)
{
    sk_error e = sk_buf_putc(out, ',');
    return e ? e : sk_csv_field(out, s, neutralise);
}

/* Calls fn(ctx, slot) once per slot id of t, for its first slot in template order. */
static sk_error each_slot_id(const sk_template *t, sk_error (*fn)(void *, const sk_slot *), void *ctx)
{
    size_t total = 0, n = 0;
    for (int i = 0; i < t->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            total += (size_t)t->items[i].cells[p].n_slots;
    const char **seen = calloc(total ? total : 1, sizeof *seen);
    if (!seen)
        return SK_ERR_NOMEM;
    sk_error e = SK_OK;
    for (int i = 0; i < t->n_items && !e; i++)
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_def *def = &t->items[i].cells[p];
            for (int s = 0; s < def->n_slots && !e; s++) {
                size_t k = 0;
                while (k < n && strcmp(seen[k], def->slots[s].id) != 0)
                    k++;
                if (k < n)
                    continue;
                seen[n++] = def->slots[s].id;
                e = fn(ctx, &def->slots[s]);
            }
        }
    free(seen);
    return e;
}

struct header_ctx {
    sk_buf *out;
    bool ja;
};

static sk_error header_slot(void *ctx, const sk_slot *slot)
{
    struct header_ctx *h = ctx;
    return next_field(h->out, h->ja ? slot->label : slot->id, false);
}

/* Writes UTF-8 text to out in the options' encoding. */
static sk_error put_encoded(const sk_csv_options *o, const char *text, size_t len, const char *where, sk_buf *out,
                            sk_diag *d)
{
    if (!o->cp932)
        return sk_buf_append_len(out, text, len);
    if (o->cp932_fallback)
        return sk_to_cp932_fallback(text, len, out, where, o, d);
    size_t bad_line, keep = out->len;
    sk_error e = sk_to_cp932(text, len, out, &bad_line, d);
    if (e) {
        /* never a partial record: the converted part is taken back */
        out->len = keep;
        if (out->data)
            out->data[keep] = '\0';
    }
    return e;
}

sk_error sk_csv_begin(const sk_template *t, const sk_csv_options *o, sk_buf *out, sk_diag *d)
{
    int ja = o->header_ja ? 1 : 0;
    sk_buf line = SK_BUF_INIT;
    sk_error e = SK_OK;
    if (!o->cp932 && o->bom)
        e = sk_buf_append(out, "\xEF\xBB\xBF");
    if (o->layout_item) {
        for (int i = 0; i < 4 && !e; i++)
            e = i ? next_field(&line, item_header[ja][i], false) : sk_csv_field(&line, item_header[ja][i], false);
        struct header_ctx h = {&line, o->header_ja};
        if (!e)
            e = each_slot_id(t, header_slot, &h);
    } else {
        for (int i = 0; i < 8 && !e; i++)
            e = i ? next_field(&line, long_header[ja][i], false) : sk_csv_field(&line, long_header[ja][i], false);
    }
    if (!e)
        e = sk_buf_append(&line, "\r\n");
    if (!e)
        e = put_encoded(o, line.data, line.len, "header", out, d);
    sk_buf_free(&line);
    return e;
}

/* The label of an answer column: its header's matching text (Japanese) or its name. */
static const char *column_label(const sk_answers *a, sk_party p, bool ja)
{
    sk_column c = p == SK_PROVIDER ? SK_COL_PROVIDER : SK_COL_CONTRACTOR;
    const char *m = a->tpl ? a->tpl->columns[c].match : NULL;
    return ja && m ? m : sk_party_name(p);
}

/* Appends one row of the long layout. */
static sk_error long_row(sk_buf *out, const sk_answers *a, int no, const char *column, const char *kind,
                         const char *id, const char *label, const char *checked, const char *value)
{
    char num[16];
    snprintf(num, sizeof num, "%d", no);
    sk_error e;
    if ((e = sk_csv_field(out, a->path ? a->path : "", true)) || (e = next_field(out, num, false)) ||
        (e = next_field(out, column, false)) || (e = next_field(out, kind, false)) ||
        (e = next_field(out, id, true)) || (e = next_field(out, label, true)) ||
        (e = next_field(out, checked, false)) || (e = next_field(out, value, true)))
        return e;
    return sk_buf_append(out, "\r\n");
}

/* The rows of one cell in the long layout. */
static sk_error long_rows(sk_buf *line, const sk_answers *a, const sk_item *it, sk_party p,
                          const sk_cell_answers *ca, bool ja)
{
    const sk_cell_def *def = &it->cells[p];
    const char *col = column_label(a, p, ja);
    sk_error e = SK_OK;
    for (int m = 0; m < ca->r.n_markers && !e; m++) {
        const sk_marker *mk = &ca->r.markers[m];
        const sk_option *o = mk->option >= 0 ? &def->options[mk->option] : NULL;
        const char *checked = ja ? (mk->checked ? "■" : "□") : (mk->checked ? "true" : "false");
        e = long_row(line, a, it->no, col, ja ? "選択肢" : "option", o ? o->id : "", o ? o->label : "", checked, "");
    }
    for (int s = 0; s < def->n_slots && !e; s++)
        e = long_row(line, a, it->no, col, ja ? "記入欄" : "field", def->slots[s].id, def->slots[s].label, "",
                     ca->r.values[s] ? ca->r.values[s] : "");
    return e;
}

struct item_ctx {
    sk_buf *out;
    const sk_cell_def *def;
    const sk_cell_answers *ca;
};

/* One field column of the item layout: this cell's value for that slot id, or empty. */
static sk_error item_slot(void *ctx, const sk_slot *slot)
{
    struct item_ctx *c = ctx;
    for (int s = 0; s < c->def->n_slots; s++)
        if (strcmp(c->def->slots[s].id, slot->id) == 0)
            return next_field(c->out, c->ca->r.values[s] ? c->ca->r.values[s] : "", true);
    return sk_buf_putc(c->out, ',');
}

/* The row of one cell in the item layout. */
static sk_error item_row(sk_buf *line, const sk_answers *a, const sk_item *it, sk_party p,
                         const sk_cell_answers *ca, bool ja)
{
    const sk_cell_def *def = &it->cells[p];
    char num[16];
    snprintf(num, sizeof num, "%d", it->no);
    sk_buf checked = SK_BUF_INIT;
    sk_error e = SK_OK;
    for (int m = 0; m < ca->r.n_markers && !e; m++) {
        const sk_marker *mk = &ca->r.markers[m];
        if (!mk->checked || mk->option < 0)
            continue;
        if (checked.len)
            e = sk_buf_append(&checked, ja ? "、" : "; ");
        if (!e)
            e = sk_buf_append(&checked, ja ? def->options[mk->option].label : def->options[mk->option].id);
    }
    if (!e)
        e = sk_csv_field(line, a->path ? a->path : "", true);
    if (!e)
        e = next_field(line, num, false);
    if (!e)
        e = next_field(line, column_label(a, p, ja), false);
    if (!e)
        e = next_field(line, checked.data ? checked.data : "", true);
    struct item_ctx c = {line, def, ca};
    if (!e)
        e = each_slot_id(a->tpl, item_slot, &c);
    if (!e)
        e = sk_buf_append(line, "\r\n");
    sk_buf_free(&checked);
    return e;
}

sk_error sk_csv_answers(const sk_answers *a, const sk_csv_options *o, sk_buf *out, sk_diag *d)
{
    sk_error e = SK_OK;
    sk_buf line = SK_BUF_INIT;
    for (int i = 0; i < a->n_items && !e; i++) {
        const sk_item_answers *ia = &a->items[i];
        const sk_item *it = ia->item;
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_answers *ca = &ia->cells[p];
            if (it->cells[p].absent || ia->row <= 0)
                continue;
            sk_buf_reset(&line);
            e = o->layout_item ? item_row(&line, a, it, (sk_party)p, ca, o->header_ja)
                               : long_rows(&line, a, it, (sk_party)p, ca, o->header_ja);
            if (e || !line.len)
                continue;
            char where[160];
            snprintf(where, sizeof where, "%s!%s (No.%d %s)", a->sheet ? a->sheet : "", ca->ref, it->no,
                     sk_party_name((sk_party)p));
            if ((e = put_encoded(o, line.data, line.len, where, out, d)) == SK_ERR_ENCODING)
                sk_diag_where(d, "%s", where);
        }
    }
    sk_buf_free(&line);
    return e;
}

/* CP932 spells these differently from the JIS-derived Unicode mappings. */
static uint32_t cp932_fix(uint32_t cp)
{
    switch (cp) {
    case 0x301C: return 0xFF5E; /* WAVE DASH → FULLWIDTH TILDE */
    case 0x2014: return 0x2015; /* EM DASH → HORIZONTAL BAR */
    case 0x2016: return 0x2225; /* DOUBLE VERTICAL LINE → PARALLEL TO */
    case 0x2212: return 0xFF0D; /* MINUS SIGN → FULLWIDTH HYPHEN-MINUS */
    case 0x00A2: return 0xFFE0;
    case 0x00A3: return 0xFFE1;
    case 0x00AC: return 0xFFE2;
    default: return cp;
    }
}

/* Converts in to CP932; a character CP932 cannot hold is an error, or with o
 * (fallback) 〓 and a note. */
static sk_error convert(const char *in, size_t len, sk_buf *out, size_t *bad_line, const char *where,
                        const sk_csv_options *o, sk_diag *d)
{
    *bad_line = 0;
    iconv_t cd = iconv_open("CP932", "UTF-8");
    if (cd == (iconv_t)-1)
        return sk_diag_set(d, SK_ERR_ENCODING, "this system's iconv has no CP932: %s", strerror(errno));
    sk_error e = SK_OK;
    size_t pos = 0, line = 1;
    while (pos < len && !e) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(in, len, &pos);
        if (cp == '\n')
            line++;
        char u[4], c[8];
        size_t ulen = cp >= 0 ? sk_utf8_encode(cp932_fix((uint32_t)cp), u) : 0;
        char *ip = u, *op = c;
        size_t il = ulen, ol = sizeof c;
        if (cp < 0 || ulen == 0 || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
            unsigned ucp = (unsigned)(cp < 0 ? 0xFFFD : cp);
            if (o) {
                char ch[8];
                snprintf(ch, sizeof ch, "%.*s", (int)(pos - start), in + start);
                if (o->note)
                    o->note(o->note_ctx, where ? where : "", ch, ucp);
                e = sk_buf_append(out, "\x81\xAC"); /* 〓 GETA MARK in CP932 */
                continue;
            }
            *bad_line = line;
            e = sk_diag_set(d, SK_ERR_ENCODING, "the character \"%.*s\" (U+%04X) cannot be written in CP932",
                            (int)(pos - start), in + start, ucp);
            break;
        }
        e = sk_buf_append_len(out, c, sizeof c - ol);
    }
    iconv_close(cd);
    return e;
}

sk_error sk_to_cp932(const char *in, size_t len, sk_buf *out, size_t *bad_line, sk_diag *d)
{
    return convert(in, len, out, bad_line, NULL, NULL, d);
}

sk_error sk_to_cp932_fallback(const char *in, size_t len, sk_buf *out, const char *where,
                              const sk_csv_options *o, sk_diag *d)
{
    size_t bad_line;
    return convert(in, len, out, &bad_line, where, o, d);
}
