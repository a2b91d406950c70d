/* sechk — the shared strings, and the text decoding they share with inline
 * strings (_xHHHH_ escapes, rich-text runs in symbol fonts). */
#include "book_impl.h"

/* Reads "_xHHHH_" at s[i..len) into *cp. */
static bool xescape_at(const char *s, size_t len, size_t i, uint32_t *cp)
{
    if (len - i < 7 || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
        return false;
    uint32_t v = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hex_digit((unsigned char)s[i + k]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    *cp = v;
    return true;
}

/* Appends s[0..len) to out, decoding Excel's _xHHHH_ escapes (ST_Xstring).
 * "_x005F_" is an escaped '_', so "_x005F_x000D_" is the literal text
 * "_x000D_".  A surrogate pair is two escapes; a lone surrogate or U+0000
 * is left as written. */
sk_error xstring_decode(const char *s, size_t len, sk_buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *u = memchr(s + i, '_', len - i);
        size_t run = u ? (size_t)(u - (s + i)) : len - i;
        if (run && sk_buf_append_len(out, s + i, run) != SK_OK)
            return SK_ERR_NOMEM;
        i += run;
        if (i >= len)
            break;
        uint32_t cp, lo;
        size_t used = 0;
        if (xescape_at(s, len, i, &cp)) {
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (xescape_at(s, len, i + 7, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    used = 14;
                }
            } else if (cp != 0 && !(cp >= 0xDC00 && cp <= 0xDFFF)) {
                used = 7;
            }
        }
        if (used) {
            if (sk_buf_put_cp(out, cp) != SK_OK)
                return SK_ERR_NOMEM;
            i += used;
        } else {
            if (sk_buf_putc(out, '_') != SK_OK)
                return SK_ERR_NOMEM;
            i++;
        }
    }
    return sk_buf_reserve(out, 0);
}

/* Maps the check-box glyphs of a run in a symbol font (Wingdings þ is ☑):
 * the text appended to buf since mark. */
sk_error symbol_run(sk_symfont font, sk_buf *buf, size_t mark, sk_buf *tmp)
{
    if (font == SK_SYMFONT_NONE || buf->len == mark)
        return SK_OK;
    sk_buf_reset(tmp);
    if (sk_buf_append_len(tmp, buf->data + mark, buf->len - mark) != SK_OK)
        return SK_ERR_NOMEM;
    buf->len = mark;
    buf->data[mark] = '\0';
    return sk_symfont_map(font, tmp->data, tmp->len, buf);
}

/* Tracks the font of rich-text runs: <r> starts a run in the cell's font,
 * <rPr><rFont val="Wingdings"/> names the run's own. */
void track_run_font(sk_xml *x, sk_xml_event ev, sk_symfont *font)
{
    if ((ev == SK_XML_START || ev == SK_XML_END) && sk_xml_is(x, "r"))
        *font = SK_SYMFONT_NONE;
    else if (ev == SK_XML_START && sk_xml_is(x, "rFont"))
        *font = sk_symfont_of(sk_xml_attr(x, "val"));
}

/* Collects the character data up to the end of the current element into raw
 * (child elements skipped); part names the part if it ends early.  Stops and
 * sets *too_long when raw would pass limit bytes. */
sk_error gather_text(sk_xml *x, const char *part, uint64_t limit, sk_buf *raw, bool *too_long, sk_diag *d)
{
    sk_buf_reset(raw);
    *too_long = false;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_END)
            return sk_buf_reserve(raw, 0) == SK_OK ? SK_OK : nomem(d);
        if (ev == SK_XML_EOF) {
            sk_diag_where(d, "%s", part);
            return sk_diag_set(d, SK_ERR_XML, "malformed XML: unexpected end of the part");
        }
        if (ev == SK_XML_START) {
            if ((err = sk_xml_skip(x, d)) != SK_OK)
                return err;
            continue;
        }
        if (ev != SK_XML_TEXT)
            continue;
        size_t n;
        const char *t = sk_xml_text(x, &n);
        if (raw_too_long(raw->len + n, limit)) {
            *too_long = true;
            return SK_OK;
        }
        if (sk_buf_append_len(raw, t, n) != SK_OK)
            return nomem(d);
    }
}

/* Copies a kept string into the block storage. */
static const char *store_string(sk_book *b, const char *s, size_t len)
{
    str_block *k = b->blocks;
    if (!k || k->cap - k->used < len + 1) {
        size_t cap = len + 1 > STR_BLOCK ? len + 1 : STR_BLOCK;
        k = malloc(sizeof *k + cap); /* every byte is written before it is read */
        if (!k)
            return NULL;
        k->next = b->blocks;
        k->used = 0;
        k->cap = cap;
        b->blocks = k;
    }
    char *p = k->data + k->used;
    memcpy(p, s, len);
    p[len] = '\0';
    k->used += len + 1;
    return p;
}

/* State while streaming sharedStrings.xml. */
typedef struct strings_reader {
    sk_book *b;
    sk_xml *x;
    sk_string_filter keep;
    void *ctx;
    uint32_t count;
    size_t old;          /* cursor into the strings kept by earlier calls */
    kept_string *fresh;  /* kept by this call, in index order */
    size_t n_fresh, cap_fresh;
    sk_buf raw;          /* one <t>'s text */
    sk_buf si;           /* the string being assembled */
    sk_symfont font;     /* the current run's symbol font, if any */
    bool rich;           /* the current <si> has <r> runs */
    sk_buf tmp;
} strings_reader;

/* Reports a shared string that passes a limit. */
static sk_error string_too_long(strings_reader *st, sk_diag *d)
{
    sk_diag_where(d, "%s", st->b->strings_part);
    return sk_diag_set(d, SK_ERR_LIMIT,
                       "shared string %u is longer than %llu bytes (limit --max-string-bytes)",
                       st->count, (unsigned long long)st->b->lim.string_bytes);
}

/* Reads one <t> into raw and appends it, decoded, to the string. */
static sk_error strings_read_t(strings_reader *st, sk_diag *d)
{
    bool too_long;
    sk_error err = gather_text(st->x, st->b->strings_part, st->b->lim.string_bytes, &st->raw, &too_long, d);
    if (err != SK_OK)
        return err;
    if (too_long)
        return string_too_long(st, d);
    size_t mark = st->si.len;
    if (xstring_decode(st->raw.data, st->raw.len, &st->si) != SK_OK ||
        symbol_run(st->font, &st->si, mark, &st->tmp) != SK_OK)
        return nomem(d);
    return st->si.len > st->b->lim.string_bytes ? string_too_long(st, d) : SK_OK;
}

/* Ends one <si>: checks it, offers it to the filter and keeps it. */
static sk_error strings_finish_si(strings_reader *st, sk_diag *d)
{
    sk_book *b = st->b;
    uint32_t idx = st->count;
    if ((uint64_t)idx >= b->lim.strings || idx == UINT32_MAX) {
        sk_diag_where(d, "%s", b->strings_part);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "more than %llu shared strings (limit --max-strings)",
                           (unsigned long long)b->lim.strings);
    }
    if (sk_buf_reserve(&st->si, 0) != SK_OK)
        return nomem(d);
    /* valid UTF-8 by construction, as in text_cell */
    st->count++;
    while (st->old < b->n_kept && b->kept[st->old].index < idx)
        st->old++;
    bool already = st->old < b->n_kept && b->kept[st->old].index == idx;
    bool want = st->keep ? st->keep(idx, st->si.data, st->si.len, st->ctx) : true;
    if (!want || already)
        return SK_OK;
    if (st->n_fresh == st->cap_fresh) {
        kept_string *p = grow_array(st->fresh, &st->cap_fresh, sizeof *p, 64);
        if (!p)
            return nomem(d);
        st->fresh = p;
    }
    const char *text = store_string(b, st->si.data, st->si.len);
    if (!text)
        return nomem(d);
    st->fresh[st->n_fresh++] = (kept_string){idx, (uint32_t)st->si.len, text, st->rich};
    return SK_OK;
}

/* Merges the strings kept by this call into the book's sorted list. */
static sk_error strings_merge(strings_reader *st, sk_diag *d)
{
    sk_book *b = st->b;
    if (st->n_fresh == 0)
        return SK_OK;
    kept_string *all = calloc(b->n_kept + st->n_fresh, sizeof *all);
    if (!all)
        return nomem(d);
    size_t i = 0, j = 0, k = 0;
    while (i < b->n_kept && j < st->n_fresh)
        all[k++] = b->kept[i].index < st->fresh[j].index ? b->kept[i++] : st->fresh[j++];
    while (i < b->n_kept)
        all[k++] = b->kept[i++];
    while (j < st->n_fresh)
        all[k++] = st->fresh[j++];
    free(b->kept);
    b->kept = all;
    b->n_kept = k;
    return SK_OK;
}

/* Streams the shared strings, keeping those the filter asks for. */
static sk_error stream_strings(strings_reader *st, sk_diag *d)
{
    bool in_si = false;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(st->x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF)
            return SK_OK;
        if (in_si) {
            track_run_font(st->x, ev, &st->font);
            st->rich |= ev == SK_XML_START && sk_xml_is(st->x, "r");
        }
        if (ev == SK_XML_START) {
            if (!in_si && sk_xml_is(st->x, "si")) {
                st->font = SK_SYMFONT_NONE;
                st->rich = false;
                in_si = true;
                sk_buf_reset(&st->si);
            } else if (in_si && (sk_xml_is(st->x, "rPh") || sk_xml_is(st->x, "phoneticPr"))) {
                err = sk_xml_skip(st->x, d); /* furigana is not cell text */
            } else if (in_si && sk_xml_is(st->x, "t")) {
                err = strings_read_t(st, d);
            }
        } else if (ev == SK_XML_END && in_si && sk_xml_is(st->x, "si")) {
            in_si = false;
            err = strings_finish_si(st, d);
        }
        if (err != SK_OK)
            return err;
    }
}

/* Streams sharedStrings.xml once with the given filter. */
sk_error sk_book_read_strings(sk_book *b, sk_string_filter keep, void *ctx, sk_diag *d)
{
    sk_error err = SK_OK;
    strings_reader st = {0};
    sk_diag_clear(d);
    if (!b->has_strings) {
        b->n_strings = 0;
        b->strings_counted = true;
        return SK_OK;
    }
    st.b = b;
    st.keep = keep;
    st.ctx = ctx;
    if ((err = sk_xml_open(b->zip, b->strings_entry, b->strings_part, &st.x, d)) != SK_OK)
        goto done;
    if ((err = stream_strings(&st, d)) != SK_OK)
        goto done;
    if ((err = strings_merge(&st, d)) != SK_OK)
        goto done;
    b->n_strings = st.count;
    b->strings_counted = true;
done:
    sk_xml_close(st.x);
    sk_buf_free(&st.raw);
    sk_buf_free(&st.si);
    sk_buf_free(&st.tmp);
    free(st.fresh);
    if (err != SK_OK)
        sk_diag_file(d, b->path);
    return err;
}

/* Number of <si> seen by the last complete read. */
uint32_t sk_book_string_count(const sk_book *b)
{
    return b->n_strings;
}

/* The kept string with the given index, or NULL (binary search). */
static const kept_string *find_kept(const sk_book *b, uint32_t index)
{
    size_t lo = 0, hi = b->n_kept;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->kept[mid].index == index)
            return &b->kept[mid];
        if (b->kept[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A cell's text: a kept shared string or the sheet's arena text. */
const char *sk_cell_text(const sk_book *b, const sk_sheet *s, const sk_cell *c, size_t *len)
{
    const char *t = NULL;
    size_t n = 0;
    if (c && c->type == SK_CELL_SHARED) {
        const kept_string *k = c->v < b->n_strings ? find_kept(b, c->v) : NULL;
        if (k) {
            t = k->text;
            n = k->len;
        }
    } else if (c && s && c->type != SK_CELL_EMPTY && c->v < s->arena_len) {
        t = s->arena + c->v;
        n = strlen(t);
    }
    if (len)
        *len = n;
    return t;
}

/* ---- the keep policy ----------------------------------------------------- */

/* True if bit i of a bitmap of n bits is set. */
static bool bit_set(const uint8_t *bits, uint32_t n, uint32_t i)
{
    return bits && i < n && (bits[i / 8] & (1u << (i % 8)));
}

/* The number of shared-string indexes the first n cells of s name (the
 * largest plus one). */
static uint32_t shared_bound(const sk_sheet *s, size_t n)
{
    uint32_t bound = 0;
    for (size_t i = 0; i < n && i < s->n_cells; i++)
        if (s->cells[i].type == SK_CELL_SHARED && s->cells[i].v + 1 > bound)
            bound = s->cells[i].v + 1;
    return bound;
}

sk_error sk_keep_reset(sk_keep *k, const sk_sheet *s)
{
    sk_keep_free(k);
    k->n = shared_bound(s, s->n_cells);
    k->bits = calloc((size_t)k->n / 8 + 1, 1);
    return k->bits ? SK_OK : SK_ERR_NOMEM;
}

void sk_keep_mark(sk_keep *k, const sk_cell *c)
{
    if (c && c->type == SK_CELL_SHARED && c->v < k->n)
        k->bits[c->v / 8] |= (uint8_t)(1u << (c->v % 8));
}

sk_error sk_keep_cells(sk_keep *k, const sk_sheet *s, size_t prefix_cells, size_t prefix_bytes)
{
    if (sk_keep_reset(k, s) != SK_OK)
        return SK_ERR_NOMEM;
    k->n_prefix = shared_bound(s, prefix_cells);
    if (!(k->prefix = calloc((size_t)k->n_prefix / 8 + 1, 1)))
        return SK_ERR_NOMEM;
    for (size_t i = 0; i < s->n_cells; i++)
        sk_keep_mark(k, &s->cells[i]);
    for (size_t i = 0; i < s->n_cells && i < prefix_cells; i++) {
        const sk_cell *c = &s->cells[i];
        if (c->type == SK_CELL_SHARED)
            k->prefix[c->v / 8] |= (uint8_t)(1u << (c->v % 8));
    }
    k->prefix_budget = prefix_bytes;
    return SK_OK;
}

bool sk_keep_done(const sk_book *b, const sk_sheet *s, const sk_keep *k)
{
    for (size_t i = 0; i < s->n_cells; i++) {
        const sk_cell *c = &s->cells[i];
        if (c->type == SK_CELL_SHARED && bit_set(k->bits, k->n, c->v) && !sk_cell_text(b, s, c, NULL))
            return false;
    }
    return true;
}

/* Keeps a string as the policy says (an sk_string_filter). */
static bool keep_by_policy(uint32_t index, const char *text, size_t len, void *ctx)
{
    sk_keep *k = ctx;
    bool marked = bit_set(k->bits, k->n, index);
    if (marked ? k->scope == SK_KEEP_UNMARKED : k->scope == SK_KEEP_MARKED)
        return false;
    if (!k->test)
        return true;
    if (marked && bit_set(k->prefix, k->n_prefix, index) && len <= k->prefix_budget) {
        k->prefix_budget -= len;
        return true;
    }
    return k->test(text, len, marked, k->ctx);
}

sk_error sk_book_keep_strings(sk_book *b, sk_keep *k, sk_diag *d)
{
    return sk_book_read_strings(b, keep_by_policy, k, d);
}

void sk_keep_free(sk_keep *k)
{
    if (!k)
        return;
    free(k->bits);
    free(k->prefix);
    k->bits = k->prefix = NULL;
    k->n = k->n_prefix = 0;
}

/* Keeps the one string a second pass is for. */
static bool keep_index(uint32_t index, const char *text, size_t len, void *ctx)
{
    (void)text;
    (void)len;
    return index == *(const uint32_t *)ctx;
}

/* Refuses cell c of sheet s: its shared string is not in the workbook. */
static sk_error missing_string(const sk_book *b, const sk_sheet *s, const sk_cell *c, sk_diag *d)
{
    char ref[16];
    sk_ref_format(c->row, c->col, ref);
    sk_diag_where(d, "%s!%s", s ? s->name : "", ref);
    sk_diag_file(d, b->path);
    return sk_diag_set(d, SK_ERR_XML, "shared string index %u is out of range (the workbook has %u)",
                       (unsigned)c->v, (unsigned)b->n_strings);
}

/* A cell's text, reading a shared string no filter kept in one more pass:
 * never a silent blank. */
sk_error sk_cell_text_load(sk_book *b, const sk_sheet *s, const sk_cell *c, const char **text, size_t *len,
                           sk_diag *d)
{
    uint32_t want = c ? c->v : 0;
    *text = sk_cell_text(b, s, c, len);
    if (*text || !c || c->type != SK_CELL_SHARED)
        return SK_OK;
    if (b->strings_counted && want >= b->n_strings)
        return missing_string(b, s, c, d);
    sk_error err = sk_book_read_strings(b, keep_index, &want, d);
    if (err != SK_OK)
        return err;
    *text = sk_cell_text(b, s, c, len);
    return *text ? SK_OK : missing_string(b, s, c, d);
}

bool sk_cell_rich(const sk_book *b, const sk_cell *c)
{
    const kept_string *k = c && c->type == SK_CELL_SHARED && c->v < b->n_strings ? find_kept(b, c->v) : NULL;
    return k && k->rich;
}
