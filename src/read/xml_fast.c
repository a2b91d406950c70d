/* sechk — the XML fast path: a scanner for the plain subset of XML that
 * Excel and the other writers of .xlsx parts produce.
 *
 * It reads a whole part held in memory and queues all its events exactly as
 * xml.c's SAX2 callbacks would (local names, attributes in order without the
 * namespace declarations, decoded values and texts, depths, an empty
 * element as a start and an end, white space inside the root as text).  It
 * is all or nothing: anything outside the subset, anything malformed and
 * anything near one of the reader's limits makes it give up, and libxml2
 * parses the part from its first byte, so libxml2 alone decides what is an
 * error and says why (docs/security.md lists the subset).  libxml2 spends
 * most of its instructions per character (xmlCurrentChar, the copy of each
 * multi-byte character); this scanner copies runs of bytes. */
#include "xml_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/text.h"

/* Limits of the subset, well below the reader's (256 levels, 256
 * attributes, 256 namespace declarations in scope) and libxml2's (names of
 * 50,000 bytes): anything near a limit goes to libxml2, which reports it. */
enum { FAST_MAX_DEPTH = 128, FAST_MAX_ATTRS = 64, FAST_MAX_NS = 64, FAST_MAX_NAME = 1000 };

/* A namespace prefix in scope (len 0: a default namespace declaration). */
typedef struct fx_ns {
    const unsigned char *pre;
    size_t len;
} fx_ns;

/* An open element: its qualified name as written, for its end tag. */
typedef struct fx_elem {
    const unsigned char *qname;
    size_t qlen, pre; /* pre: the prefix's length, 0 if none */
    size_t name_off;
    unsigned ns_mark; /* namespaces in scope before it */
} fx_elem;

/* An attribute or namespace declaration of the start tag being read. */
typedef struct fx_att {
    const unsigned char *qname;
    size_t qlen, pre; /* pre: the prefix's length, 0 if none */
    size_t val_off;
} fx_att;

/* The scanner: the cursor (the part ends with a NUL, which the subset never
 * holds), the queue it fills, the open elements and the prefixes in scope. */
typedef struct fx {
    const unsigned char *p, *end;
    xml_queue *q;
    int depth;
    unsigned n_ns;
    fx_ns ns[FAST_MAX_NS];
    fx_elem stk[FAST_MAX_DEPTH];
} fx;

/* Byte classes of ASCII in text and in attribute values. */
enum { C_PLAIN, C_STOP, C_BAD, C_RBRACKET };

/* Text: tab and line feed are plain, other controls (a carriage return
 * too: libxml2 normalises line ends) refused; '<', '&' and the NUL at the
 * end stop a run; ']' is checked for "]]>". */
/* clang-format off */
static const unsigned char text_class[128] = {
    /* 0x00-0x0F */ C_STOP, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
                    C_BAD, C_PLAIN, C_PLAIN, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
    /* 0x10-0x1F */ C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
                    C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
    ['&'] = C_STOP, ['<'] = C_STOP, [']'] = C_RBRACKET,
};
/* clang-format on */

/* Attribute values: every control refused (libxml2 turns a literal tab or
 * line feed into a space), '<' refused, '&', both quotes and the NUL stop. */
/* clang-format off */
static const unsigned char attr_class[128] = {
    /* 0x00-0x0F */ C_STOP, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
                    C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
    /* 0x10-0x1F */ C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
                    C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD, C_BAD,
    ['&'] = C_STOP, ['"'] = C_STOP, ['\''] = C_STOP, ['<'] = C_BAD,
};
/* clang-format on */

/* Grows an array (see xml_impl.h). */
bool sk_xml_grow(void *arr, size_t *cap, size_t need, size_t size)
{
    void **p = arr;
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Frees the queue's arrays. */
void sk_xml_queue_free(xml_queue *q)
{
    free(q->ev);
    free(q->attr);
    free(q->bytes);
    *q = (xml_queue){0};
}

/* White space of the subset: no carriage return. */
static inline bool is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static inline const unsigned char *skip_ws(const unsigned char *p)
{
    while (is_ws(*p))
        p++;
    return p;
}

/* The first character of a name of the subset, and the others. */
static inline bool is_name_start(unsigned c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}

static inline bool is_name_char(unsigned c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* Parses a qualified name of the subset at p (ASCII, at most one ':'
 * between two non-empty parts); returns its length, 0 if there is none, and
 * the length of its prefix in *pre (0 if none). */
static size_t qname(const unsigned char *p, size_t *pre)
{
    const unsigned char *s = p;
    *pre = 0;
    if (!is_name_start(*p))
        return 0;
    for (p++; is_name_char(*p); p++)
        ;
    if (*p == ':') {
        *pre = (size_t)(p - s);
        if (!is_name_start(*++p))
            return 0;
        for (p++; is_name_char(*p); p++)
            ;
        if (*p == ':')
            return 0;
    }
    size_t n = (size_t)(p - s);
    return n > FAST_MAX_NAME ? 0 : n;
}

/* The length of the well-formed UTF-8 sequence at p of an XML Char outside
 * ASCII, or 0 (overlong forms, surrogates, U+FFFE, U+FFFF, beyond
 * U+10FFFF, a truncated sequence: the NUL at the end is no continuation). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) { /* E1-EC and EE (most of CJK) need no more checks */
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0)
            return p[1] >= 0xA0 ? 3 : 0;
        if (c == 0xED)
            return p[1] <= 0x9F ? 3 : 0;
        return c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE ? 0 : 3;
    }
    if (c < 0xF5) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* True for the code points XML 1.0 calls Char. */
static bool is_xml_char(uint32_t v)
{
    return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) ||
           (v >= 0x10000 && v <= 0x10FFFF);
}

/* The value of a hexadecimal digit, or -1. */
static int hex_digit(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (int)((c | 0x20) - 'a' + 10);
    return -1;
}

/* Decodes the reference at p (its '&'): one of the five predefined
 * entities, or a character reference &#N; or &#xH; to an XML Char (at most
 * 7 decimal or 6 hexadecimal digits).  Writes the character into out (4
 * bytes) and its length into *n; returns the length of the reference, 0 if
 * it is not one of these. */
static size_t decode_ref(const unsigned char *p, unsigned char *out, size_t *n)
{
    static const struct {
        char name[6];
        unsigned char ch;
    } predefined[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    if (p[1] != '#') {
        for (size_t k = 0; k < sizeof predefined / sizeof predefined[0]; k++) {
            size_t len = strlen(predefined[k].name);
            if (strncmp((const char *)p + 1, predefined[k].name, len) == 0) {
                out[0] = predefined[k].ch;
                *n = 1;
                return len + 1;
            }
        }
        return 0;
    }
    uint32_t v = 0;
    size_t i = 2, digits = 0;
    if (p[2] == 'x') {
        for (i = 3; hex_digit(p[i]) >= 0 && digits < 7; i++, digits++)
            v = v * 16 + (uint32_t)hex_digit(p[i]);
        if (digits > 6)
            return 0;
    } else {
        for (; p[i] >= '0' && p[i] <= '9' && digits < 8; i++, digits++)
            v = v * 10 + (uint32_t)(p[i] - '0');
        if (digits > 7)
            return 0;
    }
    if (digits == 0 || p[i] != ';' || !is_xml_char(v))
        return 0;
    *n = sk_utf8_encode(v, (char *)out); /* an XML Char: never a surrogate */
    return i + 1;
}

/* Appends n bytes to the queue's bytes, keeping room for a NUL after. */
static inline bool append(xml_queue *q, const void *s, size_t n)
{
    if (!sk_xml_grow(&q->bytes, &q->cap_bytes, q->n_bytes + n + 1, 1))
        return false;
    char *w = q->bytes + q->n_bytes;
    if (n <= 8) /* names and short values: no call */
        for (size_t k = 0; k < n; k++)
            w[k] = ((const char *)s)[k];
    else
        memcpy(w, s, n);
    q->n_bytes += n;
    return true;
}

/* Ends the string the last appends made (room for the NUL is kept). */
static inline void terminate(xml_queue *q)
{
    q->bytes[q->n_bytes++] = '\0';
}

/* Copies a name into the bytes; returns its offset or SIZE_MAX. */
static size_t put_name(xml_queue *q, const unsigned char *s, size_t n)
{
    size_t off = q->n_bytes;
    if (!append(q, s, n))
        return SIZE_MAX;
    terminate(q);
    return off;
}

/* Decodes the reference at p into the bytes; returns what follows it, or
 * NULL. */
static const unsigned char *put_ref(xml_queue *q, const unsigned char *p)
{
    unsigned char out[4];
    size_t n = 0, used = decode_ref(p, out, &n);
    if (!used || !sk_xml_grow(&q->bytes, &q->cap_bytes, q->n_bytes + 5, 1))
        return NULL;
    for (size_t k = 0; k < n && k < sizeof out; k++)
        q->bytes[q->n_bytes++] = (char)out[k];
    return p + used;
}

/* Skips a run of characters of class C_PLAIN (and well-formed UTF-8 of XML
 * Chars) of the table cls; returns where it stops (a C_STOP byte), or NULL
 * for a byte refused. */
static const unsigned char *run(const unsigned char *p, const unsigned char *cls)
{
    for (;;) {
        unsigned c = *p;
        if (c < 0x80) {
            unsigned k = cls[c];
            if (k == C_PLAIN || (k == C_RBRACKET && !(p[1] == ']' && p[2] == '>'))) {
                p++;
                continue;
            }
            return k == C_STOP ? p : NULL;
        }
        if (c - 0xE1 < 0x0C && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            p += 3; /* E1-EC: kana, kanji, the ■ and □ (no special range) */
            continue;
        }
        size_t n = utf8_len(p);
        if (!n)
            return NULL;
        p += n;
    }
}

/* Queues an event at depth; NULL on no memory. */
static xml_ev *push_ev(xml_queue *q, sk_xml_event type, int depth)
{
    if (!sk_xml_grow(&q->ev, &q->cap_ev, q->n_ev + 1, sizeof *q->ev))
        return NULL;
    xml_ev *e = &q->ev[q->n_ev++];
    *e = (xml_ev){.type = type, .depth = depth};
    return e;
}

/* Reads character data up to the next '<' into one text event (none if it
 * is empty). */
static bool text(fx *f)
{
    xml_queue *q = f->q;
    size_t off = q->n_bytes;
    const unsigned char *p = f->p;
    for (;;) {
        const unsigned char *s = p;
        if (!(p = run(p, text_class)) || !append(q, s, (size_t)(p - s)))
            return false;
        if (*p != '&')
            break;
        if (!(p = put_ref(q, p)))
            return false;
    }
    if (*p != '<')
        return false;
    f->p = p;
    if (q->n_bytes == off)
        return true;
    size_t len = q->n_bytes - off;
    terminate(q);
    xml_ev *e = push_ev(q, SK_XML_TEXT, f->depth);
    if (!e)
        return false;
    e->text_off = off;
    e->text_len = len;
    return true;
}

/* Reads a quoted attribute value at f->p into the bytes, decoded; returns
 * its offset, or SIZE_MAX. */
static size_t value(fx *f)
{
    xml_queue *q = f->q;
    const unsigned char *p = f->p;
    unsigned char quote = *p++;
    if (quote != '"' && quote != '\'')
        return SIZE_MAX;
    size_t off = q->n_bytes;
    for (;;) {
        const unsigned char *s = p;
        if (!(p = run(p, attr_class)) || !append(q, s, (size_t)(p - s)))
            return SIZE_MAX;
        if (*p == quote)
            break;
        if (*p == '&')
            p = put_ref(q, p);
        else if (*p && append(q, p, 1)) /* the other quote */
            p++;
        else
            return SIZE_MAX;
        if (!p)
            return SIZE_MAX;
    }
    terminate(q);
    f->p = p + 1;
    return off;
}

/* Reads the attributes of a start tag up to its end; returns 1 for '>', 2
 * for "/>", 0 if refused.  White space must come before each attribute. */
static int attributes(fx *f, fx_att *att, unsigned *n_att)
{
    for (;;) {
        const unsigned char *p = skip_ws(f->p);
        bool ws = p != f->p;
        if (*p == '>' || (p[0] == '/' && p[1] == '>')) {
            f->p = p + (*p == '>' ? 1 : 2);
            return *p == '>' ? 1 : 2;
        }
        if (!ws || *n_att >= FAST_MAX_ATTRS)
            return 0;
        fx_att *a = &att[(*n_att)++];
        a->qname = p;
        if (!(a->qlen = qname(p, &a->pre)))
            return 0;
        p = skip_ws(p + a->qlen);
        if (*p != '=')
            return 0;
        f->p = skip_ws(p + 1);
        if ((a->val_off = value(f)) == SIZE_MAX)
            return 0;
    }
}

/* True if s[0..n) is the NUL-terminated word w. */
static inline bool is_word(const unsigned char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* A namespace name that libxml2 takes without a word: a scheme, ':', an
 * optional authority of letters, digits, '.' and '-' after "//", then only
 * letters, digits and "-._~:/"; not one of the two reserved names. */
static bool plain_uri(const char *v)
{
    if (strcmp(v, "http://www.w3.org/XML/1998/namespace") == 0 || strcmp(v, "http://www.w3.org/2000/xmlns/") == 0)
        return false;
    const unsigned char *p = (const unsigned char *)v;
    if (!is_name_start(*p) || *p == '_')
        return false;
    while (is_name_start(*p) || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p++ != ':')
        return false;
    if (p[0] == '/' && p[1] == '/')
        for (p += 2; *p && *p != '/'; p++)
            if (!is_name_char(*p) || *p == '_')
                return false;
    for (; *p; p++)
        if (!is_name_char(*p) && *p != '~' && *p != ':' && *p != '/')
            return false;
    return true;
}

/* True if the prefix pre[0..n) is bound in scope ("xml" always is). */
static bool bound(const fx *f, const unsigned char *pre, size_t n)
{
    if (is_word(pre, n, "xml"))
        return true;
    for (unsigned k = f->n_ns; k-- > 0;)
        if (f->ns[k].len == n && memcmp(f->ns[k].pre, pre, n) == 0)
            return true;
    return false;
}

/* Takes a namespace declaration of the element whose scope starts at
 * mark: refused for "xml" and "xmlns", an empty prefixed one, a name
 * libxml2 might question, the same prefix twice, too many in scope. */
static bool declare(fx *f, const fx_att *a, unsigned mark)
{
    const unsigned char *pre = a->pre ? a->qname + 6 : a->qname;
    size_t len = a->pre ? a->qlen - 6 : 0;
    const char *uri = f->q->bytes + a->val_off;
    if (len && (is_word(pre, len, "xml") || is_word(pre, len, "xmlns") || !*uri))
        return false;
    if (*uri && !plain_uri(uri))
        return false;
    for (unsigned k = mark; k < f->n_ns; k++)
        if (f->ns[k].len == len && memcmp(f->ns[k].pre, pre, len) == 0)
            return false;
    if (f->n_ns >= FAST_MAX_NS)
        return false;
    f->ns[f->n_ns++] = (fx_ns){pre, len};
    return true;
}

/* Declares the tag's namespaces, checks the prefixes of the element and its
 * attributes are bound and that no two attributes share a local name, and
 * queues the attributes in order. */
static bool bind(fx *f, const fx_elem *el, const fx_att *att, unsigned n_att)
{
    xml_queue *q = f->q;
    bool decl[FAST_MAX_ATTRS];
    for (unsigned k = 0; k < n_att; k++) {
        const fx_att *a = &att[k];
        decl[k] =
            (a->pre == 0 && is_word(a->qname, a->qlen, "xmlns")) || (a->pre == 5 && !memcmp(a->qname, "xmlns", 5));
        if (decl[k] && !declare(f, a, el->ns_mark))
            return false;
    }
    size_t pre = el->pre;
    if (pre && (is_word(el->qname, pre, "xmlns") || !bound(f, el->qname, pre)))
        return false;
    for (unsigned k = 0; k < n_att; k++) {
        const fx_att *a = &att[k];
        if (decl[k])
            continue;
        if (a->pre && !bound(f, a->qname, a->pre))
            return false;
        if (a->pre && is_word(a->qname, a->qlen, "xml:space") && strcmp(q->bytes + a->val_off, "preserve") != 0 &&
            strcmp(q->bytes + a->val_off, "default") != 0)
            return false; /* libxml2 warns */
        const unsigned char *local = a->qname + (a->pre ? a->pre + 1 : 0);
        size_t len = a->qlen - (size_t)(local - a->qname);
        for (unsigned j = 0; j < k; j++) {
            const fx_att *b = &att[j];
            size_t bpre = b->pre ? b->pre + 1 : 0;
            if (!decl[j] && b->qlen - bpre == len && memcmp(b->qname + bpre, local, len) == 0)
                return false;
        }
        size_t off = put_name(q, local, len);
        if (off == SIZE_MAX || !sk_xml_grow(&q->attr, &q->cap_attrs, q->n_attrs + 1, sizeof *q->attr))
            return false;
        q->attr[q->n_attrs++] = (xml_attr){.local_off = off, .val_off = a->val_off};
    }
    return true;
}

/* Reads a start tag at f->p ('<'): a start event with its attributes, and
 * an end event at once for an empty element. */
static bool start_tag(fx *f)
{
    xml_queue *q = f->q;
    size_t pre = 0, n = qname(f->p + 1, &pre);
    if (!n || f->depth >= FAST_MAX_DEPTH)
        return false;
    fx_elem *el = &f->stk[f->depth];
    el->qname = f->p + 1;
    el->qlen = n;
    el->pre = pre;
    el->ns_mark = f->n_ns;
    size_t skip = pre ? pre + 1 : 0;
    el->name_off = put_name(q, el->qname + skip, n - skip);
    xml_ev *e = el->name_off == SIZE_MAX ? NULL : push_ev(q, SK_XML_START, f->depth);
    if (!e)
        return false;
    e->name_off = el->name_off;
    e->attr_first = q->n_attrs;
    size_t ev = q->n_ev - 1;
    f->p = el->qname + n;
    fx_att att[FAST_MAX_ATTRS];
    unsigned n_att = 0;
    int end = attributes(f, att, &n_att);
    if (!end || !bind(f, el, att, n_att))
        return false;
    q->ev[ev].n_attrs = q->n_attrs - q->ev[ev].attr_first;
    if (end == 1) {
        f->depth++;
        return true;
    }
    f->n_ns = el->ns_mark;
    if (!(e = push_ev(q, SK_XML_END, f->depth)))
        return false;
    e->name_off = el->name_off;
    return true;
}

/* Reads an end tag at f->p ("</"), which must close the open element. */
static bool end_tag(fx *f)
{
    if (f->depth == 0)
        return false;
    const fx_elem *el = &f->stk[f->depth - 1];
    const unsigned char *p = f->p + 2;
    if (strncmp((const char *)p, (const char *)el->qname, el->qlen) != 0)
        return false;
    p = skip_ws(p + el->qlen);
    if (*p != '>')
        return false;
    f->p = p + 1;
    f->depth--;
    f->n_ns = el->ns_mark;
    xml_ev *e = push_ev(f->q, SK_XML_END, f->depth);
    if (!e)
        return false;
    e->name_off = el->name_off;
    return true;
}

/* Parses the XML declaration after "<?xml": version 1.0, then optionally
 * encoding UTF-8 (any case) and standalone yes or no, in that order;
 * returns what follows its "?>", or NULL. */
static const unsigned char *xml_decl(const unsigned char *p)
{
    static const char *const names[] = {"version", "encoding", "standalone"};
    for (size_t next = 0;;) {
        const unsigned char *s = p;
        p = skip_ws(p);
        if (p[0] == '?' && p[1] == '>' && next > 0)
            return p + 2;
        size_t k = next;
        while (k < 3 && strncmp((const char *)p, names[k], strlen(names[k])) != 0)
            k++;
        if (p == s || k == 3 || (next == 0 && k != 0))
            return NULL;
        p = skip_ws(p + strlen(names[k]));
        if (*p != '=')
            return NULL;
        p = skip_ws(p + 1);
        unsigned char quote = *p;
        if (quote != '"' && quote != '\'')
            return NULL;
        const unsigned char *v = ++p;
        while (*p && *p != quote)
            p++;
        size_t n = (size_t)(p++ - v);
        bool ok = k == 0   ? is_word(v, n, "1.0")
                  : k == 1 ? n == 5 && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' && (v[2] | 0x20) == 'f' &&
                                 v[3] == '-' && v[4] == '8'
                           : is_word(v, n, "yes") || is_word(v, n, "no");
        if (!ok || !p[-1])
            return NULL;
        next = k + 1;
    }
}

/* Reads the elements from the root's start tag to its end tag. */
static bool root(fx *f)
{
    for (;;) {
        if (*f->p == '<') {
            if (!(f->p[1] == '/' ? end_tag(f) : start_tag(f)))
                return false;
            if (f->depth == 0)
                return true;
        } else if (!text(f)) {
            return false;
        }
    }
}

/* Scans a whole part (see xml_impl.h); buf[len] must be a NUL. */
bool sk_xml_fast_scan(const char *buf, size_t len, xml_queue *q)
{
    q->n_ev = q->n_attrs = q->n_bytes = 0;
    /* sized for a worksheet (an event per 8 bytes, an attribute per 16) so
     * that the arrays seldom grow */
    fx *f = malloc(sizeof *f);
    if (!f || !sk_xml_grow(&q->ev, &q->cap_ev, len / 8 + 16, sizeof *q->ev) ||
        !sk_xml_grow(&q->attr, &q->cap_attrs, len / 16 + 16, sizeof *q->attr) ||
        !sk_xml_grow(&q->bytes, &q->cap_bytes, len + 64, 1)) {
        free(f);
        return false;
    }
    f->p = (const unsigned char *)buf;
    f->end = f->p + len;
    f->q = q;
    f->depth = 0;
    f->n_ns = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        f->p += 3;
    if (strncmp((const char *)f->p, "<?xml", 5) == 0)
        f->p = xml_decl(f->p + 5);
    bool ok = f->p && *(f->p = skip_ws(f->p)) == '<' && root(f) && skip_ws(f->p) == f->end;
    free(f);
    if (!ok) {
        q->n_ev = q->n_attrs = q->n_bytes = 0;
        return false;
    }
    for (size_t k = 0; k < q->n_ev; k++)
        if (q->ev[k].type != SK_XML_TEXT)
            q->ev[k].name = q->bytes + q->ev[k].name_off;
    for (size_t k = 0; k < q->n_attrs; k++)
        q->attr[k].local = q->bytes + q->attr[k].local_off;
    return true;
}
