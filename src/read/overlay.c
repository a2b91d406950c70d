/* sechk — comments, check box controls and shapes laid over a sheet's cells. */
#include "sechk/overlay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book_parts.h"
#include "sechk/text.h"
#include "xml.h"

/* A VML shape is scanned whole: one longer than this is refused (Excel's
 * check box is about 1 KB; a comment's shape holds no text). */
enum { VML_SHAPE_MAX = 1 << 20, VML_CHUNK = 64 * 1024 };

static const char rel_comments[] = "/comments";
static const char rel_threaded[] = "/threadedComment";
static const char rel_vml[] = "/vmlDrawing";
static const char rel_drawing[] = "/drawing";

void sk_overlays_free(sk_overlays *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].text);
        free(o->v[i].author);
    }
    free(o->v);
    memset(o, 0, sizeof *o);
}

bool sk_overlay_covers(const sk_overlay *o, uint32_t row, uint32_t col)
{
    return row >= o->at.row1 && row <= o->at.row2 && col >= o->at.col1 && col <= o->at.col2;
}

/* Appends an overlay; takes text and author (NULL: ""), freed on failure. */
static sk_error add(sk_overlays *o, const sk_overlay *ov, char *text, char *author, sk_diag *d)
{
    sk_error e = SK_OK;
    if (o->n >= SK_MAX_OVERLAYS)
        e = sk_diag_set(d, SK_ERR_LIMIT, "the sheet has more than %d comments, check boxes and shapes (a fixed limit)",
                        SK_MAX_OVERLAYS);
    if (!e && o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        sk_overlay *p = realloc(o->v, cap * sizeof *p);
        if (p) {
            o->v = p;
            o->cap = cap;
        } else {
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        }
    }
    if (!e && !text)
        text = sk_strndup("", 0);
    if (!e && !author)
        author = sk_strndup("", 0);
    if (!e && (!text || !author))
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    if (e) {
        free(text);
        free(author);
        return e;
    }
    o->v[o->n] = *ov;
    o->v[o->n].text = text;
    o->v[o->n].author = author;
    o->n++;
    return SK_OK;
}

/* Appends text to buf within the overlay text limit. */
static sk_error append_text(sk_buf *buf, const char *t, size_t n, const char *part, sk_diag *d)
{
    if (buf->len + n > SK_MAX_OVERLAY_TEXT) {
        sk_diag_where(d, "%s", part);
        return sk_diag_set(d, SK_ERR_LIMIT, "a comment or caption is longer than %d bytes (a fixed limit)",
                           SK_MAX_OVERLAY_TEXT);
    }
    return sk_buf_append_len(buf, t, n) == SK_OK ? SK_OK : sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
}

/* Collects the text of the tag elements (<t> of a note, <text> of a
 * threaded comment) inside the element just started (phonetic runs
 * skipped), up to its end. */
static sk_error element_text(sk_xml *x, const char *part, const char *tag, sk_buf *out, sk_diag *d)
{
    int depth = sk_xml_depth(x), in_t = 0;
    sk_buf_reset(out);
    for (;;) {
        sk_xml_event ev;
        sk_error e = sk_xml_next(x, &ev, d);
        if (e)
            return e;
        if (ev == SK_XML_EOF)
            return sk_diag_set(d, SK_ERR_XML, "%s: malformed XML: unexpected end of the part", part);
        if (ev == SK_XML_END && sk_xml_depth(x) == depth)
            return SK_OK;
        if (ev == SK_XML_START && (sk_xml_is(x, "rPh") || sk_xml_is(x, "phoneticPr"))) {
            if ((e = sk_xml_skip(x, d)))
                return e;
        } else if (ev == SK_XML_START && sk_xml_is(x, tag)) {
            in_t++;
        } else if (ev == SK_XML_END && sk_xml_is(x, tag) && in_t > 0) {
            in_t--;
        } else if (ev == SK_XML_TEXT && in_t > 0) {
            size_t n;
            const char *t = sk_xml_text(x, &n);
            if ((e = append_text(out, t, n, part, d)))
                return e;
        }
    }
}

/* Takes the buffer's text as a new string, trimmed. */
static char *take_trimmed(const sk_buf *b)
{
    size_t len = b->len;
    const char *t = sk_text_trim(b->data ? b->data : "", &len);
    return sk_strndup(t, len);
}

/* ---- comments ------------------------------------------------------------ */

/* A note's text without the bold "author:" line Excel starts it with,
 * trimmed, as a new string. */
static char *without_author(const sk_buf *text, const char *author)
{
    size_t al = strlen(author), len = text->len;
    const char *t = text->data ? text->data : "";
    if (al && len > al && memcmp(t, author, al) == 0 && t[al] == ':') {
        t += al + 1;
        len -= al + 1;
    }
    t = sk_text_trim(t, &len);
    return sk_strndup(t, len);
}

/* The note Excel writes beside a threaded comment for older versions reads
 * "[Threaded comment]\n\nYour version of Excel … \n\nComment:\n    TEXT";
 * when only that copy survives (LibreOffice keeps notes only), the
 * comment is TEXT.  Replaces *t and returns true for such a copy. */
static bool legacy_copy(char **t)
{
    static const char head[] = "[Threaded comment]", mark[] = "\nComment:\n";
    if (strncmp(*t, head, sizeof head - 1) != 0)
        return false;
    const char *c = strstr(*t, mark);
    if (!c)
        return false;
    c += sizeof mark - 1;
    size_t len = strlen(c);
    const char *r = sk_text_trim(c, &len);
    char *n = sk_strndup(r, len);
    if (!n)
        return false;
    free(*t);
    *t = n;
    return true;
}

/* The authors of a comments part, by authorId. */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

/* Reads one <author> (just started) into the list. */
static sk_error read_author(sk_xml *x, const char *part, names *list, sk_buf *text, sk_diag *d)
{
    if (list->n >= SK_MAX_OVERLAYS)
        return sk_diag_set(d, SK_ERR_LIMIT, "%s has more than %d authors (a fixed limit)", part, SK_MAX_OVERLAYS);
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        char **q = realloc(list->v, cap * sizeof *q);
        if (!q)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        list->v = q;
        list->cap = cap;
    }
    sk_buf_reset(text);
    int depth = sk_xml_depth(x);
    sk_xml_event ev;
    sk_error e;
    while (!(e = sk_xml_next(x, &ev, d)) && ev != SK_XML_EOF && !(ev == SK_XML_END && sk_xml_depth(x) == depth)) {
        size_t n;
        const char *t = ev == SK_XML_TEXT ? sk_xml_text(x, &n) : NULL;
        if (t && (e = append_text(text, t, n, part, d)))
            return e;
    }
    if (e)
        return e;
    char *a = take_trimmed(text);
    if (!a)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    list->v[list->n++] = a;
    return SK_OK;
}

/* Reads one comments part (notes) or threaded comments part. */
static sk_error read_comments(sk_book *b, const sk_book_part *p, bool threaded, sk_overlays *o, sk_diag *d)
{
    sk_xml *x = NULL;
    sk_buf text = SK_BUF_INIT;
    names authors = {0};
    sk_error e = sk_xml_open(sk_book_zip(b), p->entry, p->name, &x, d);
    while (!e) {
        sk_xml_event ev;
        if ((e = sk_xml_next(x, &ev, d)) || ev == SK_XML_EOF)
            break;
        if (ev != SK_XML_START)
            continue;
        if (!threaded && sk_xml_is(x, "author")) {
            e = read_author(x, p->name, &authors, &text, d);
            continue;
        }
        if (!sk_xml_is(x, threaded ? "threadedComment" : "comment"))
            continue;
        const char *ref = sk_xml_attr(x, "ref"), *aid = sk_xml_attr(x, "authorId");
        const char *pid = threaded ? sk_xml_attr(x, "personId") : NULL;
        char *person = pid && strlen(pid) < 128 ? sk_strndup(pid, strlen(pid)) : NULL;
        sk_overlay ov = {.kind = SK_OVERLAY_NOTE, .threaded = threaded};
        if (!ref || sk_ref_parse(ref, strlen(ref), &ov.at.row1, &ov.at.col1) != SK_OK) {
            free(person);
            e = sk_xml_skip(x, d); /* Excel drops a comment it cannot place */
            continue;
        }
        ov.at.row2 = ov.at.row1;
        ov.at.col2 = ov.at.col1;
        char *author = person; /* a threaded comment's personId, named by name_persons */
        char *end = NULL;
        unsigned long k = aid ? strtoul(aid, &end, 10) : 0;
        if (aid && end && !*end && k < authors.n && !(author = sk_strndup(authors.v[k], strlen(authors.v[k])))) {
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
            break;
        }
        if ((e = element_text(x, p->name, threaded ? "text" : "t", &text, d))) {
            free(author);
            break;
        }
        char *t = author ? without_author(&text, author) : take_trimmed(&text);
        if (t && !threaded && legacy_copy(&t)) {
            ov.threaded = ov.legacy_copy = true; /* Excel's copy of a threaded comment */
            free(author);
            author = NULL;
        }
        if (!t) {
            free(author);
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
            break;
        }
        e = add(o, &ov, t, author, d);
    }
    for (size_t i = 0; i < authors.n; i++)
        free(authors.v[i]);
    free(authors.v);
    sk_buf_free(&text);
    sk_xml_close(x);
    return e;
}

/* Names the authors of threaded comments: the persons part of the workbook
 * (<person displayName id>) gives each personId its name. */
static sk_error name_persons(sk_book *b, sk_overlays *o, size_t first, sk_diag *d)
{
    sk_book_part *parts = NULL;
    size_t n = 0;
    sk_xml *x = NULL;
    sk_error e = sk_book_part_parts(b, sk_book_workbook_part(b), "/person", &parts, &n, d);
    if (!e && n > 0)
        e = sk_xml_open(sk_book_zip(b), parts[0].entry, parts[0].name, &x, d);
    while (!e && x) {
        sk_xml_event ev;
        if ((e = sk_xml_next(x, &ev, d)) || ev == SK_XML_EOF)
            break;
        const char *id = ev == SK_XML_START && sk_xml_is(x, "person") ? sk_xml_attr(x, "id") : NULL;
        const char *name = id ? sk_xml_attr(x, "displayName") : NULL;
        for (size_t k = first; name && k < o->n && !e; k++) {
            if (!o->v[k].threaded || strcmp(o->v[k].author, id) != 0)
                continue;
            char *a = sk_strndup(name, strlen(name) < 256 ? strlen(name) : 256);
            if (!a) {
                e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
                break;
            }
            free(o->v[k].author);
            o->v[k].author = a;
        }
    }
    /* a personId no person names: no author */
    for (size_t k = first; !e && k < o->n; k++)
        if (o->v[k].threaded && o->v[k].author[0] == '{')
            o->v[k].author[0] = '\0';
    sk_xml_close(x);
    sk_book_parts_free(parts, n);
    return e;
}

/* ---- VML check boxes -------------------------------------------------------- */

/* Finds needle in s[0..len). */
static const char *find(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; nl <= len && i <= len - nl; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, nl) == 0)
            return s + i;
    return NULL;
}

/* The text of <tag>…</tag> in the shape (first occurrence), or NULL. */
static const char *element_in(const char *s, size_t len, const char *open, const char *close, size_t *out_len)
{
    const char *a = find(s, len, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = find(a, len - (size_t)(a - s), close);
    if (!b)
        return NULL;
    *out_len = (size_t)(b - a);
    return a;
}

/* Decodes one character reference or the five predefined entities at s
 * ("&amp;" …) into out; returns the bytes consumed (0 if none). */
static size_t entity(const char *s, size_t len, sk_buf *out)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t n = strlen(named[i].name);
        if (len >= n && memcmp(s, named[i].name, n) == 0)
            return sk_buf_putc(out, named[i].c) == SK_OK ? n : 0;
    }
    if (len < 4 || s[1] != '#')
        return 0;
    bool hex = s[2] == 'x' || s[2] == 'X';
    size_t i = hex ? 3 : 2;
    uint32_t cp = 0;
    for (; i < len && i < 12 && s[i] != ';'; i++) {
        int v = s[i] >= '0' && s[i] <= '9'                            ? s[i] - '0'
                : hex && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f' ? (s[i] | 0x20) - 'a' + 10
                                                                      : -1;
        if (v < 0)
            return 0;
        cp = cp * (hex ? 16 : 10) + (uint32_t)v;
    }
    if (i >= len || s[i] != ';' || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    char enc[4];
    size_t n = sk_utf8_encode(cp, enc);
    return sk_buf_append_len(out, enc, n) == SK_OK ? i + 1 : 0;
}

/* The text of markup: tags dropped (<br> and the end of a <div> are line
 * breaks), entities decoded. */
static sk_error markup_text(const char *s, size_t len, sk_buf *out)
{
    sk_buf_reset(out);
    for (size_t i = 0; i < len;) {
        if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', len - i);
            size_t tl = gt ? (size_t)(gt - (s + i)) : len - i;
            if ((tl >= 3 && (s[i + 1] | 0x20) == 'b' && (s[i + 2] | 0x20) == 'r') ||
                (tl >= 4 && memcmp(s + i, "</div", 5 < tl ? 5 : tl) == 0))
                if (sk_buf_putc(out, '\n') != SK_OK)
                    return SK_ERR_NOMEM;
            i += tl + (gt != NULL);
        } else if (s[i] == '&') {
            size_t n = entity(s + i, len - i, out);
            if (n == 0 && sk_buf_putc(out, '&') != SK_OK)
                return SK_ERR_NOMEM;
            i += n ? n : 1;
        } else {
            if (sk_buf_putc(out, s[i]) != SK_OK)
                return SK_ERR_NOMEM;
            i++;
        }
    }
    return SK_OK;
}

/* Reads x:Anchor "LeftCol, LeftOff, TopRow, TopOff, RightCol, RightOff,
 * BottomRow, BottomOff" (0-based) into a 1-based range. */
static bool vml_anchor(const char *s, size_t len, sk_range *at)
{
    long v[8];
    size_t i = 0;
    for (int k = 0; k < 8; k++) {
        while (i < len && (s[i] == ' ' || s[i] == ',' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
            i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            return false;
        long n = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && n <= SK_MAX_ROW)
            n = n * 10 + (s[i++] - '0');
        v[k] = n;
    }
    if (v[0] >= SK_MAX_COL || v[4] >= SK_MAX_COL || v[2] >= SK_MAX_ROW || v[6] >= SK_MAX_ROW)
        return false;
    *at = (sk_range){(uint32_t)v[2] + 1, (uint32_t)v[0] + 1, (uint32_t)v[6] + 1, (uint32_t)v[4] + 1};
    if (at->row2 < at->row1)
        at->row2 = at->row1;
    if (at->col2 < at->col1)
        at->col2 = at->col1;
    return true;
}

/* Handles one whole <v:shape …>…</v:shape>: a check box or option button
 * becomes an overlay, another form control a shape; notes are skipped
 * (their text comes from the comments part). */
static sk_error vml_shape(const char *s, size_t len, sk_overlays *o, sk_diag *d)
{
    size_t tl;
    const char *type = element_in(s, len, "ObjectType=\"", "\"", &tl);
    if (!type || (tl == 4 && memcmp(type, "Note", 4) == 0))
        return SK_OK;
    bool box = (tl == 8 && memcmp(type, "Checkbox", 8) == 0) || (tl == 5 && memcmp(type, "Radio", 5) == 0);
    sk_overlay ov = {.kind = box ? SK_OVERLAY_CHECKBOX : SK_OVERLAY_SHAPE};
    size_t il;
    const char *id = element_in(s, len, "id=\"_x0000_s", "\"", &il);
    for (size_t k = 0; id && k < il && k < 9 && id[k] >= '0' && id[k] <= '9'; k++)
        ov.shape_id = ov.shape_id * 10 + (unsigned)(id[k] - '0');
    snprintf(ov.shape, sizeof ov.shape, "%s", box ? "checkbox" : "control");
    size_t al;
    const char *anchor = element_in(s, len, "<x:Anchor>", "</x:Anchor>", &al);
    if (!anchor || !vml_anchor(anchor, al, &ov.at))
        return SK_OK; /* not placed on the grid: it covers no cell */
    size_t cl;
    const char *checked = element_in(s, len, "<x:Checked>", "</x:Checked>", &cl);
    while (checked && cl && (*checked == ' ' || *checked == '\n' || *checked == '\r'))
        checked++, cl--;
    ov.checked = checked && cl > 0 && *checked != '0';
    size_t bl = 0;
    const char *tb = find(s, len, "<v:textbox");
    const char *body = tb ? memchr(tb, '>', len - (size_t)(tb - s)) : NULL;
    sk_buf text = SK_BUF_INIT;
    if (body) {
        body++;
        const char *end = find(body, len - (size_t)(body - s), "</v:textbox>");
        bl = end ? (size_t)(end - body) : 0;
    }
    if (bl > SK_MAX_OVERLAY_TEXT)
        return sk_diag_set(d, SK_ERR_LIMIT, "a check box caption is longer than %d bytes (a fixed limit)",
                           SK_MAX_OVERLAY_TEXT);
    if (body && markup_text(body, bl, &text) != SK_OK) {
        sk_buf_free(&text);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    if (text.data && !sk_utf8_valid(text.data, text.len)) {
        sk_buf_free(&text);
        return sk_diag_set(d, SK_ERR_XML, "a check box caption is not valid UTF-8");
    }
    char *t = take_trimmed(&text);
    sk_buf_free(&text);
    if (!t)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    return add(o, &ov, t, NULL, d);
}

/* The start of the next "<v:shape" element (not <v:shapetype>) in s, or NULL. */
static const char *next_shape(const char *s, size_t len)
{
    for (const char *p = s; (p = find(p, len - (size_t)(p - s), "<v:shape"));) {
        size_t at = (size_t)(p - s) + 8;
        if (at < len && (s[at] == ' ' || s[at] == '>' || s[at] == '\n' || s[at] == '\r' || s[at] == '\t'))
            return p;
        if (at >= len)
            return p; /* cut at the chunk's end: decided when more comes */
        p += 8;
    }
    return NULL;
}

/* The VML scanner's state: the unread tail of the text, and whether it
 * starts inside a shape. */
typedef struct vml_scan {
    sk_buf buf;
    bool in_shape;
} vml_scan;

/* Consumes what it can of the buffered text; at_end when no more comes. */
static sk_error vml_feed(vml_scan *v, bool at_end, sk_overlays *o, sk_diag *d)
{
    for (;;) {
        const char *s = v->buf.data ? v->buf.data : "";
        size_t len = v->buf.len, drop;
        if (!v->in_shape) {
            const char *p = next_shape(s, len);
            if (!p || (size_t)(p - s) + 9 > len) {
                /* keep a tail that may hold the start of "<v:shape " */
                drop = p ? (size_t)(p - s) : len > 16 ? len - 16 : 0;
                if (at_end)
                    drop = len;
                if (v->buf.data) {
                    memmove(v->buf.data, s + drop, len - drop);
                    v->buf.len = len - drop;
                    v->buf.data[v->buf.len] = '\0';
                }
                return SK_OK;
            }
            drop = (size_t)(p - s);
            memmove(v->buf.data, s + drop, len - drop);
            v->buf.len = len - drop;
            v->buf.data[v->buf.len] = '\0';
            v->in_shape = true;
            continue;
        }
        const char *end = find(s, len, "</v:shape>");
        if (!end) {
            if (len > VML_SHAPE_MAX)
                return sk_diag_set(d, SK_ERR_LIMIT, "a VML shape is longer than %d bytes (a fixed limit)",
                                   VML_SHAPE_MAX);
            if (at_end) /* an unclosed last shape: what it holds counts */
                return vml_shape(s, len, o, d);
            return SK_OK;
        }
        size_t n = (size_t)(end - s) + strlen("</v:shape>");
        sk_error e = vml_shape(s, n, o, d);
        if (e)
            return e;
        memmove(v->buf.data, s + n, len - n);
        v->buf.len = len - n;
        v->buf.data[v->buf.len] = '\0';
        v->in_shape = false;
    }
}

sk_error sk_overlays_scan_vml(const char *vml, size_t len, sk_overlays *out, sk_diag *d)
{
    vml_scan v = {SK_BUF_INIT, false};
    sk_error e = SK_OK;
    for (size_t i = 0; i < len && !e; i += VML_CHUNK) {
        size_t n = len - i < VML_CHUNK ? len - i : VML_CHUNK;
        e = sk_buf_append_len(&v.buf, vml + i, n) == SK_OK ? vml_feed(&v, false, out, d)
                                                           : sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    if (!e)
        e = vml_feed(&v, true, out, d);
    sk_buf_free(&v.buf);
    return e;
}

/* Streams one VML part through the scanner (the zip stream enforces the
 * entry limits). */
static sk_error read_vml(sk_book *b, const sk_book_part *p, sk_overlays *o, sk_diag *d)
{
    sk_zip_stream *zs = NULL;
    vml_scan v = {SK_BUF_INIT, false};
    char *chunk = malloc(VML_CHUNK);
    sk_error e =
        chunk ? sk_zip_stream_open(sk_book_zip(b), p->entry, &zs, d) : sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    while (!e) {
        size_t n = 0;
        if ((e = sk_zip_stream_read(zs, chunk, VML_CHUNK, &n, d)) || n == 0)
            break;
        if (sk_buf_append_len(&v.buf, chunk, n) != SK_OK)
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        else
            e = vml_feed(&v, false, o, d);
    }
    if (!e)
        e = vml_feed(&v, true, o, d);
    if (e && d && !d->where[0])
        sk_diag_where(d, "%s", p->name);
    sk_zip_stream_close(zs);
    sk_buf_free(&v.buf);
    free(chunk);
    return e;
}

/* ---- DrawingML shapes --------------------------------------------------------- */

/* One anchor of a drawing being read. */
typedef struct anchor {
    int64_t from_col, from_row, to_col, to_row; /* 0-based; -1 if not given */
    char shape[24];
    bool control; /* a form control's copy (a14:compatExt): the VML has it */
    sk_buf text;
} anchor;

/* Reads a number element's text (<xdr:col>7</xdr:col>). */
static sk_error number_text(sk_xml *x, int64_t *out, sk_diag *d)
{
    char num[24];
    size_t len = 0;
    int depth = sk_xml_depth(x);
    for (;;) {
        sk_xml_event ev;
        sk_error e = sk_xml_next(x, &ev, d);
        if (e)
            return e;
        if (ev == SK_XML_EOF || (ev == SK_XML_END && sk_xml_depth(x) == depth))
            break;
        size_t n;
        const char *t = ev == SK_XML_TEXT ? sk_xml_text(x, &n) : NULL;
        for (size_t i = 0; t && i < n && len + 1 < sizeof num; i++)
            if (t[i] != ' ' && t[i] != '\n' && t[i] != '\r' && t[i] != '\t')
                num[len++] = t[i];
    }
    num[len] = '\0';
    char *end;
    long long v = strtoll(num, &end, 10);
    *out = len && !*end && v >= 0 && v < SK_MAX_ROW ? v : -1;
    return SK_OK;
}

/* The kind of shape a DrawingML element names (sp is refined by its
 * geometry and txBox). */
static const char *element_shape(sk_xml *x)
{
    static const struct {
        const char *element, *shape;
    } kinds[] = {{"pic", "picture"},     {"grpSp", "group"}, {"graphicFrame", "chart"},
                 {"cxnSp", "connector"}, {"sp", "shape"},    {"contentPart", "shape"}};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (sk_xml_is(x, kinds[i].element))
            return kinds[i].shape;
    return NULL;
}

/* Ends an anchor: a placed shape that is not a control's copy becomes an
 * overlay. */
static sk_error anchor_done(anchor *a, sk_overlays *o, sk_diag *d)
{
    if (a->control || !a->shape[0] || a->from_col < 0 || a->from_row < 0)
        return SK_OK;
    sk_overlay ov = {.kind = SK_OVERLAY_SHAPE};
    snprintf(ov.shape, sizeof ov.shape, "%s", a->shape);
    int64_t tc = a->to_col >= a->from_col ? a->to_col : a->from_col;
    int64_t tr = a->to_row >= a->from_row ? a->to_row : a->from_row;
    ov.at = (sk_range){(uint32_t)a->from_row + 1, (uint32_t)a->from_col + 1, (uint32_t)tr + 1, (uint32_t)tc + 1};
    char *t = take_trimmed(&a->text);
    if (!t)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    return add(o, &ov, t, NULL, d);
}

/* Handles one element inside an anchor. */
static sk_error anchor_element(sk_xml *x, const char *part, anchor *a, int *corner, sk_diag *d)
{
    const char *kind;
    if (sk_xml_is(x, "from") || sk_xml_is(x, "to")) {
        *corner = sk_xml_is(x, "from") ? 1 : 2;
    } else if (*corner && (sk_xml_is(x, "col") || sk_xml_is(x, "row"))) {
        int64_t *dst = *corner == 1 ? (sk_xml_is(x, "col") ? &a->from_col : &a->from_row)
                                    : (sk_xml_is(x, "col") ? &a->to_col : &a->to_row);
        return number_text(x, dst, d);
    } else if (!a->shape[0] && (kind = element_shape(x))) {
        snprintf(a->shape, sizeof a->shape, "%s", kind);
    } else if (sk_xml_is(x, "cNvSpPr")) {
        const char *tb = sk_xml_attr(x, "txBox");
        if (tb && (strcmp(tb, "1") == 0 || strcmp(tb, "true") == 0) && strcmp(a->shape, "shape") == 0)
            snprintf(a->shape, sizeof a->shape, "textbox");
    } else if (sk_xml_is(x, "prstGeom")) {
        const char *g = sk_xml_attr(x, "prst");
        if (g && strcmp(a->shape, "shape") == 0)
            snprintf(a->shape, sizeof a->shape, "%s",
                     strcmp(g, "ellipse") == 0                               ? "ellipse"
                     : strcmp(g, "rect") == 0 || strcmp(g, "roundRect") == 0 ? "rect"
                                                                             : "shape");
    } else if (sk_xml_is(x, "compatExt")) {
        a->control = true;
    } else if (sk_xml_is(x, "t")) {
        int depth = sk_xml_depth(x);
        sk_error e = SK_OK;
        sk_xml_event ev;
        while (!(e = sk_xml_next(x, &ev, d)) && ev != SK_XML_EOF && !(ev == SK_XML_END && sk_xml_depth(x) == depth)) {
            size_t n;
            const char *s = ev == SK_XML_TEXT ? sk_xml_text(x, &n) : NULL;
            if (s && (e = append_text(&a->text, s, n, part, d)))
                break;
        }
        return e;
    }
    return SK_OK;
}

/* Reads the shapes of one drawing part. */
static sk_error read_drawing(sk_book *b, const sk_book_part *p, sk_overlays *o, sk_diag *d)
{
    sk_xml *x = NULL;
    anchor a = {.text = SK_BUF_INIT};
    int anchor_depth = -1, corner = 0;
    sk_error e = sk_xml_open(sk_book_zip(b), p->entry, p->name, &x, d);
    while (!e) {
        sk_xml_event ev;
        if ((e = sk_xml_next(x, &ev, d)) || ev == SK_XML_EOF)
            break;
        if (ev == SK_XML_START && anchor_depth < 0 &&
            (sk_xml_is(x, "twoCellAnchor") || sk_xml_is(x, "oneCellAnchor"))) {
            anchor_depth = sk_xml_depth(x);
            sk_buf_reset(&a.text);
            a = (anchor){-1, -1, -1, -1, "", false, a.text};
            corner = 0;
        } else if (ev == SK_XML_END && anchor_depth >= 0 && sk_xml_depth(x) == anchor_depth) {
            anchor_depth = -1;
            e = anchor_done(&a, o, d);
        } else if (ev == SK_XML_END && (sk_xml_is(x, "from") || sk_xml_is(x, "to"))) {
            corner = 0;
        } else if (ev == SK_XML_START && anchor_depth >= 0) {
            e = anchor_element(x, p->name, &a, &corner, d);
        }
    }
    sk_buf_free(&a.text);
    sk_xml_close(x);
    return e;
}

/* ---- ctrlProps: the state of form controls ------------------------------------- */

/* True if a ctrlProp part says its control is checked
 * (<formControlPr objectType="CheckBox" checked="Checked"/>). */
static sk_error ctrl_prop_checked(sk_book *b, const sk_book_part *p, bool *checked, sk_diag *d)
{
    sk_xml *x = NULL;
    *checked = false;
    sk_error e = sk_xml_open(sk_book_zip(b), p->entry, p->name, &x, d);
    while (!e) {
        sk_xml_event ev;
        if ((e = sk_xml_next(x, &ev, d)) || ev == SK_XML_EOF)
            break;
        if (ev == SK_XML_START && sk_xml_is(x, "formControlPr")) {
            const char *c = sk_xml_attr(x, "checked");
            *checked = c && (strcmp(c, "Checked") == 0 || strcmp(c, "checked") == 0);
            break;
        }
    }
    sk_xml_close(x);
    return e;
}

/* Marks the VML check box with the given shape number checked. */
static void check_shape(sk_overlays *o, unsigned shape_id)
{
    for (size_t k = 0; shape_id && k < o->n; k++)
        if (o->v[k].kind == SK_OVERLAY_CHECKBOX && o->v[k].shape_id == shape_id)
            o->v[k].checked = true;
}

/* Reads the ctrlProp parts of sheet i: the sheet's <control shapeId r:id>
 * elements say which VML box each one describes.  The sheet is read again
 * for them only when it relates to a ctrlProp part. */
static sk_error read_ctrl_props(sk_book *b, size_t i, sk_overlays *o, sk_diag *d)
{
    sk_book_part *parts = NULL;
    size_t n = 0, entry;
    sk_xml *x = NULL;
    sk_error e = sk_book_sheet_parts(b, i, "/ctrlProp", &parts, &n, d);
    if (e || n == 0)
        goto done;
    if (!sk_zip_find(sk_book_zip(b), sk_book_sheet_part(b, i), &entry))
        goto done;
    e = sk_xml_open(sk_book_zip(b), entry, sk_book_sheet_part(b, i), &x, d);
    while (!e) {
        sk_xml_event ev;
        if ((e = sk_xml_next(x, &ev, d)) || ev == SK_XML_EOF)
            break;
        if (ev == SK_XML_START && sk_xml_is(x, "sheetData")) {
            e = sk_xml_skip(x, d); /* the cells were read already */
            continue;
        }
        if (ev != SK_XML_START || !sk_xml_is(x, "control"))
            continue;
        const char *sid = sk_xml_attr(x, "shapeId"), *rid = sk_xml_attr(x, "id");
        char *end = NULL;
        unsigned long shape = sid ? strtoul(sid, &end, 10) : 0;
        if (!rid || !end || *end || shape == 0 || shape > 999999999UL)
            continue;
        for (size_t k = 0; k < n && !e; k++) {
            bool checked = false;
            if (strcmp(parts[k].rid, rid) != 0)
                continue;
            if (!(e = ctrl_prop_checked(b, &parts[k], &checked, d)) && checked)
                check_shape(o, (unsigned)shape);
        }
    }
done:
    sk_xml_close(x);
    sk_book_parts_free(parts, n);
    return e;
}

/* ---- the sheet ---------------------------------------------------------------- */

/* Reads every part of one relationship type with reader. */
static sk_error read_related(sk_book *b, size_t i, const char *type, int what, sk_overlays *o, sk_diag *d)
{
    sk_book_part *parts = NULL;
    size_t n = 0;
    sk_error e = sk_book_sheet_parts(b, i, type, &parts, &n, d);
    for (size_t k = 0; !e && k < n; k++) {
        switch (what) {
        case 0: e = read_comments(b, &parts[k], false, o, d); break;
        case 1: e = read_comments(b, &parts[k], true, o, d); break;
        case 2: e = read_vml(b, &parts[k], o, d); break;
        default: e = read_drawing(b, &parts[k], o, d); break;
        }
    }
    sk_book_parts_free(parts, n);
    return e;
}

/* Drops the notes Excel writes beside a threaded comment for older
 * versions ("[Threaded comment] …"): the threaded comment says the same. */
static void drop_legacy_copies(sk_overlays *o)
{
    size_t w = 0;
    for (size_t r = 0; r < o->n; r++) {
        sk_overlay *ov = &o->v[r];
        bool copy = false;
        for (size_t k = 0; ov->kind == SK_OVERLAY_NOTE && !(ov->threaded && !ov->legacy_copy) && k < o->n && !copy; k++)
            copy = o->v[k].kind == SK_OVERLAY_NOTE && o->v[k].threaded && !o->v[k].legacy_copy &&
                   o->v[k].at.row1 == ov->at.row1 && o->v[k].at.col1 == ov->at.col1;
        if (copy) {
            free(ov->text);
            free(ov->author);
        } else {
            o->v[w++] = *ov;
        }
    }
    o->n = w;
}

sk_error sk_overlays_read(sk_book *b, size_t i, sk_overlays *out, sk_diag *d)
{
    sk_error e = read_related(b, i, rel_comments, 0, out, d);
    size_t first = out->n;
    if (!e)
        e = read_related(b, i, rel_threaded, 1, out, d);
    if (!e && out->n > first)
        e = name_persons(b, out, first, d);
    if (!e)
        e = read_related(b, i, rel_vml, 2, out, d);
    if (!e)
        e = read_ctrl_props(b, i, out, d);
    if (!e)
        e = read_related(b, i, rel_drawing, 3, out, d);
    if (!e)
        drop_legacy_copies(out);
    return e;
}
