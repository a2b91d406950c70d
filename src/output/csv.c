/* sechk — CSV answers and CP932 conversion. */
#include "sechk/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
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

sk_error sk_csv_header(sk_buf *out)
{
    return sk_buf_append(out, "file,no,column,kind,id,label,checked,value\r\n");
}

/* Appends one row. */
static sk_error row(sk_buf *out, const sk_answers *a, int no, const char *column, const char *kind,
                    const char *id, const char *label, const char *checked, const char *value)
{
    char num[16];
    snprintf(num, sizeof num, "%d", no);
    sk_error e;
    if ((e = sk_csv_field(out, a->path ? a->path : "", true)) || (e = sk_buf_putc(out, ',')) ||
        (e = sk_buf_append(out, num)) || (e = sk_buf_putc(out, ',')) || (e = sk_csv_field(out, column, false)) ||
        (e = sk_buf_putc(out, ',')) || (e = sk_csv_field(out, kind, false)) || (e = sk_buf_putc(out, ',')) ||
        (e = sk_csv_field(out, id, true)) || (e = sk_buf_putc(out, ',')) || (e = sk_csv_field(out, label, true)) ||
        (e = sk_buf_putc(out, ',')) || (e = sk_buf_append(out, checked)) || (e = sk_buf_putc(out, ',')) ||
        (e = sk_csv_field(out, value, true)))
        return e;
    return sk_buf_append(out, "\r\n");
}

sk_error sk_csv_answers(const sk_answers *a, bool cp932, sk_buf *out, sk_diag *d)
{
    sk_error e = SK_OK;
    sk_buf line = SK_BUF_INIT;
    for (int i = 0; i < a->n_items && !e; i++) {
        const sk_item_answers *ia = &a->items[i];
        const sk_item *it = ia->item;
        for (int p = 0; p < SK_PARTY__COUNT && !e; p++) {
            const sk_cell_def *def = &it->cells[p];
            const sk_cell_answers *ca = &ia->cells[p];
            if (def->absent || ia->row <= 0)
                continue;
            const char *col = sk_party_name((sk_party)p);
            sk_buf_reset(&line);
            for (int m = 0; m < ca->r.n_markers && !e; m++) {
                const sk_marker *mk = &ca->r.markers[m];
                const sk_option *o = mk->option >= 0 ? &def->options[mk->option] : NULL;
                e = row(&line, a, it->no, col, "option", o ? o->id : "", o ? o->label : "",
                        mk->checked ? "true" : "false", "");
            }
            for (int s = 0; s < def->n_slots && !e; s++)
                e = row(&line, a, it->no, col, "field", def->slots[s].id, def->slots[s].label, "",
                        ca->r.values[s] ? ca->r.values[s] : "");
            if (e || !line.len)
                continue;
            if (!cp932) {
                e = sk_buf_append_len(out, line.data, line.len);
                continue;
            }
            size_t bad_line, keep = out->len;
            if ((e = sk_to_cp932(line.data, line.len, out, &bad_line, d)) == SK_ERR_ENCODING) {
                /* never a partial record: the converted part of this cell is taken back */
                out->len = keep;
                if (out->data)
                    out->data[keep] = '\0';
                sk_diag_where(d, "%s!%s (No.%d %s)", a->sheet ? a->sheet : "", ca->ref, it->no, col);
            }
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

sk_error sk_to_cp932(const char *in, size_t len, sk_buf *out, size_t *bad_line, sk_diag *d)
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
        char u[4], o[8];
        size_t ulen = cp >= 0 ? sk_utf8_encode(cp932_fix((uint32_t)cp), u) : 0;
        char *ip = u, *op = o;
        size_t il = ulen, ol = sizeof o;
        if (cp < 0 || ulen == 0 || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
            *bad_line = line;
            e = sk_diag_set(d, SK_ERR_ENCODING, "the character \"%.*s\" (U+%04X) cannot be written in CP932",
                            (int)(pos - start), in + start, (unsigned)(cp < 0 ? 0xFFFD : cp));
            break;
        }
        e = sk_buf_append_len(out, o, sizeof o - ol);
    }
    iconv_close(cd);
    return e;
}
