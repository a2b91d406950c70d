/* sechk — streaming XML over a bounded zip entry.
 *
 * The first sk_xml_next reads the part into memory while it stays within
 * SK_XML_FAST_CAP and hands a whole part to the fast scanner (xml_fast.c),
 * which queues all its events when the part is in the plain subset of XML
 * it accepts.  Otherwise libxml2's SAX2 push parser is fed the part from its
 * first byte, a chunk at a time, the bytes held first, then the rest of the
 * stream; its callbacks queue the chunk's events (names from the parser's
 * dictionary, values and text copied), and sk_xml_next hands them out.  The
 * SAX2 parser costs about three quarters of the instructions of
 * xmlTextReader, which builds and frees a tree node for every node it
 * reports; the fast scanner under a third of the SAX2 parser's.  The limits
 * xmlTextReader enforced itself (depth 256, 10,000,000 bytes of text) are
 * enforced here. */
#include "xml.h"
#include "xml_impl.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes at the start of a part searched for a DOCTYPE before libxml2
 * sees them. */
enum { HEAD_MAX = 4096 };

/* Bytes of the part handed to the parser at a time; the events of one chunk
 * are queued, so the queue is bounded by a small multiple of this. */
enum { CHUNK = 32768 };

/* The fixed limits xmlTextReader enforced and a SAX2 push parser does not:
 * element nesting and one text's length. */
enum { MAX_DEPTH = 256 };
#define MAX_TEXT 10000000u
_Static_assert(SK_XML_FAST_CAP < MAX_TEXT, "a text the fast scanner takes is within MAX_TEXT");

/* Attributes (namespace declarations included) allowed on one element, and
 * namespace declarations in scope at any point.  libxml2 2.9 checks each new
 * attribute against all earlier ones, so an element with n attributes costs
 * n^2 (200,000 attributes take minutes), and it looks namespaces up by a
 * linear search over all those in scope (250 nested elements declaring 250
 * each made 2 MB of XML take 10 s).  Excel writes a few dozen of either.
 * Both are counted on the bytes before libxml2 parses them. */
enum { MAX_ATTRS = 256, MAX_NS_IN_SCOPE = 256, NS_TRACK_DEPTH = 320 };

/* States of the byte scanner that counts attributes and namespaces. */
enum { SC_TEXT, SC_LT, SC_TAG, SC_DQUOTE, SC_SQUOTE, SC_BANG, SC_COMMENT, SC_CDATA, SC_PI, SC_DECL };

static const char doctype_reason[] = "DOCTYPE is not allowed in an .xlsx part (ECMA-376 Part 2)";

struct sk_xml {
    xmlParserCtxtPtr ctxt;
    sk_zip_stream *zs;
    char part[256];
    sk_error stream_err; /* the stream's failure, reported before libxml2's */
    sk_diag stream_diag;
    char msg[256];       /* libxml2's first fatal error, else its first error */
    int line;
    bool have_msg;
    bool msg_fatal;
    bool msg_limit;      /* the message is one of libxml2's fixed limits */
    bool fed_all;        /* the end of the part went to the parser */
    int level;           /* open elements, as the callbacks see them */
    size_t text_run;     /* bytes of character data since the last tag */
    xml_queue q;         /* the queue, cur the event reported */
    size_t cur;
    sk_xml_mode mode;
    bool loaded;         /* the first sk_xml_next read the part's start */
    bool fast;           /* the fast scanner gave the whole part's events */
    bool handed_first;   /* ... and the first of them was reported */
    bool stream_end;     /* buf holds the whole part */
    char *buf;           /* the part's first bytes, NUL-terminated */
    size_t buf_len;      /* bytes in buf */
    size_t buf_pos;      /* bytes of buf handed to libxml2 */
    sk_error pending_err; /* the stream's failure after the bytes in buf */
    sk_diag pending_diag;
    bool prolog_done;
    int scan;            /* SC_*: where the attribute scanner is */
    unsigned tag_attrs;     /* '=' seen in the current tag */
    unsigned tag_ns;     /* namespace declarations in the current tag */
    bool end_tag;        /* the current tag is an end tag */
    bool tok_done;       /* white space ended the current token */
    unsigned tok_len;    /* length of the current token (saturates at 7) */
    unsigned char tok[6]; /* its first bytes: an attribute name is "xmlns"? */
    unsigned depth;      /* open elements */
    unsigned ns_in_scope; /* namespace declarations of the open elements */
    unsigned short ns_at[NS_TRACK_DEPTH]; /* declarations per open element */
    unsigned char prev1, prev2; /* the two bytes before, for "-->", "]]>" and "?>" */
    size_t head_len;
    unsigned char head[HEAD_MAX];
    char *in;            /* the chunk being parsed (CHUNK bytes, not zeroed) */
};

/* The loader for external entities and DTDs: refuses everything. */
static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

/* libxml2's loader is process-wide, so it is installed exactly once; this
 * pthread_once_t is the only mutable global, and libxml2 wants one. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2's generic error channel: messages that do not go through a
 * parser context (the encoding converters' "encoding error", "I/O error")
 * would be printed to stderr; the parser's own errors say what matters. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Initialises libxml2, installs the refusing entity loader and silences
 * the generic error channel. */
static void xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_entity);
    xmlSetGenericErrorFunc(NULL, quiet);
}

enum { PROLOG_MORE, PROLOG_DOCTYPE, PROLOG_DONE };

/* Finds the first in s[from..n) of the NUL-terminated pat, or n. */
static size_t find_bytes(const unsigned char *s, size_t from, size_t n, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = from; i + m <= n; i++)
        if (memcmp(s + i, pat, m) == 0)
            return i;
    return n;
}

/* Scans the prolog (XML declaration, comments, PIs) for a DOCTYPE before the
 * root element.  Other encodings than UTF-8 end the scan; the reader-level
 * check still applies to them. */
static int scan_prolog(const unsigned char *h, size_t n)
{
    size_t i = 0;
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
        i = 3;
    for (;;) {
        while (i < n && h[i] != '<') {
            if (h[i] != ' ' && h[i] != '\t' && h[i] != '\r' && h[i] != '\n')
                return PROLOG_DONE;
            i++;
        }
        if (n - i < 2)
            return PROLOG_MORE;
        if (h[i + 1] == '?') {
            size_t e = find_bytes(h, i + 2, n, "?>");
            if (e == n)
                return PROLOG_MORE;
            i = e + 2;
        } else if (h[i + 1] == '!') {
            if (n - i < 9)
                return PROLOG_MORE;
            if (memcmp(h + i, "<!DOCTYPE", 9) == 0)
                return PROLOG_DOCTYPE;
            if (memcmp(h + i, "<!--", 4) != 0)
                return PROLOG_DONE;
            size_t e = find_bytes(h, i + 4, n, "-->");
            if (e == n)
                return PROLOG_MORE;
            i = e + 3;
        } else {
            return PROLOG_DONE;
        }
    }
}

/* The reasons scan_xml gives. */
enum { SCAN_OK, SCAN_ATTRS, SCAN_NS };

/* Ends a tag at '>': an end tag closes an element, a start tag that is not
 * empty ("<a/>") opens one with its namespace declarations. */
static void scan_tag_end(sk_xml *x)
{
    if (x->end_tag) {
        if (x->depth > 0) {
            if (x->depth <= NS_TRACK_DEPTH)
                x->ns_in_scope -= x->ns_at[x->depth - 1];
            x->depth--;
        }
    } else if (x->prev1 != '/') {
        x->depth++;
        if (x->depth <= NS_TRACK_DEPTH) {
            x->ns_at[x->depth - 1] = (unsigned short)x->tag_ns;
            x->ns_in_scope += x->tag_ns;
        }
    }
}

/* Takes byte c inside a tag, outside quotes: a quote opens a value, '>'
 * ends the tag, '=' ends an attribute's name (counted, and an "xmlns" or
 * "xmlns:..." name counted as a namespace declaration), white space ends a
 * token.  Returns SCAN_OK or why the tag is refused.  Called once, from
 * scan_xml: the compiler inlines it into the loop. */
static inline int scan_tag_byte(sk_xml *x, unsigned char c)
{
    if (c == '"') {
        x->scan = SC_DQUOTE;
    } else if (c == '\'') {
        x->scan = SC_SQUOTE;
    } else if (c == '>') {
        scan_tag_end(x);
        x->scan = SC_TEXT;
    } else if (c == '=') {
        if (++x->tag_attrs > MAX_ATTRS)
            return SCAN_ATTRS;
        if (x->tok_len >= 5 && memcmp(x->tok, "xmlns", 5) == 0 && (x->tok_len == 5 || x->tok[5] == ':') &&
            x->ns_in_scope + ++x->tag_ns > MAX_NS_IN_SCOPE)
            return SCAN_NS;
        x->tok_len = 0;
        x->tok_done = false;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        x->tok_done = true;
    } else {
        if (x->tok_done) {
            x->tok_len = 0;
            x->tok_done = false;
        }
        if (x->tok_len < sizeof x->tok)
            x->tok[x->tok_len] = c;
        if (x->tok_len < 7)
            x->tok_len++;
    }
    return SCAN_OK;
}

/* Scans buf (the state carries over between reads) and returns SCAN_ATTRS
 * when a tag has more than MAX_ATTRS attributes, SCAN_NS when more than
 * MAX_NS_IN_SCOPE namespace declarations are in scope.  Outside quotes, a
 * '=' in a tag stands between an attribute's name and its value, and a name
 * "xmlns" or "xmlns:..." declares a namespace; comments, CDATA sections,
 * processing instructions and declarations are skipped to their ends.
 * Depth beyond NS_TRACK_DEPTH is counted but not tracked: libxml2 stops at
 * 256. */
static int scan_xml(sk_xml *x, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = buf[i];
        switch (x->scan) {
        case SC_TEXT: {
            const unsigned char *lt = memchr(buf + i, '<', n - i);
            if (!lt) {
                i = n - 1;
                c = buf[i];
                break;
            }
            i = (size_t)(lt - buf);
            c = '<';
            x->scan = SC_LT;
            break;
        }
        case SC_LT:
            x->scan = c == '!' ? SC_BANG : c == '?' ? SC_PI : SC_TAG;
            x->tag_attrs = x->tag_ns = x->tok_len = 0;
            x->end_tag = c == '/';
            x->tok_done = false;
            break;
        case SC_BANG:
            x->scan = c == '-' ? SC_COMMENT : c == '[' ? SC_CDATA : c == '>' ? SC_TEXT : SC_DECL;
            break;
        case SC_TAG: {
            int r = scan_tag_byte(x, c);
            if (r != SCAN_OK)
                return r;
            break;
        }
        case SC_DQUOTE:
            if (c == '"')
                x->scan = SC_TAG;
            break;
        case SC_SQUOTE:
            if (c == '\'')
                x->scan = SC_TAG;
            break;
        case SC_COMMENT:
            if (c == '>' && x->prev1 == '-' && x->prev2 == '-')
                x->scan = SC_TEXT;
            break;
        case SC_CDATA:
            if (c == '>' && x->prev1 == ']' && x->prev2 == ']')
                x->scan = SC_TEXT;
            break;
        case SC_PI:
            if (c == '>' && x->prev1 == '?')
                x->scan = SC_TEXT;
            break;
        default: /* SC_DECL */
            if (c == '>')
                x->scan = SC_TEXT;
            break;
        }
        x->prev2 = x->prev1;
        x->prev1 = c;
    }
    return SCAN_OK;
}

/* The next bytes for libxml2 into *p and *n: the part's first bytes from
 * x->buf in chunks, then the stream's failure met while reading them, or
 * more chunks from the stream into x->in.  *n is 0 at the end of the part.
 * Reading ahead into x->buf asks the stream for the same chunks as reading
 * one at a time does, so libxml2 sees the same chunks and the same failure
 * after them. */
static sk_error next_bytes(sk_xml *x, const char **p, size_t *n)
{
    *n = 0;
    if (x->buf_pos < x->buf_len) {
        *n = x->buf_len - x->buf_pos < CHUNK ? x->buf_len - x->buf_pos : CHUNK;
        *p = x->buf + x->buf_pos;
        x->buf_pos += *n;
        return SK_OK;
    }
    if (x->buf) { /* all handed to libxml2 */
        free(x->buf);
        x->buf = NULL;
        x->buf_len = x->buf_pos = 0;
    }
    if (x->pending_err != SK_OK) {
        x->stream_diag = x->pending_diag;
        return x->stream_err = x->pending_err;
    }
    if (x->stream_end)
        return SK_OK;
    if (!x->in && !(x->in = malloc(CHUNK)))
        return x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_NOMEM, "out of memory");
    *p = x->in;
    sk_error err = sk_zip_stream_read(x->zs, x->in, CHUNK, n, &x->stream_diag);
    return err != SK_OK ? x->stream_err = err : SK_OK;
}

/* Reads the next chunk of the part for libxml2 (next_bytes), with a part
 * that starts with a DOCTYPE withheld, and one with an element of too many
 * attributes or too many namespaces in scope.  *n is 0 at the end of the
 * part. */
static sk_error read_chunk(sk_xml *x, const char **p, size_t *n)
{
    sk_error err = next_bytes(x, p, n);
    if (err != SK_OK)
        return err;
    if (!x->prolog_done && *n > 0) {
        size_t take = *n < HEAD_MAX - x->head_len ? *n : HEAD_MAX - x->head_len;
        memcpy(x->head + x->head_len, *p, take);
        x->head_len += take;
        int s = scan_prolog(x->head, x->head_len);
        if (s == PROLOG_DOCTYPE)
            return x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_XML, "%s", doctype_reason);
        if (s == PROLOG_DONE || x->head_len == HEAD_MAX)
            x->prolog_done = true;
    }
    int scan = scan_xml(x, (const unsigned char *)*p, *n);
    if (scan == SCAN_ATTRS)
        return x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_LIMIT,
                                           "an XML element has more than %d attributes (a fixed limit: "
                                           "the XML parser slows down quadratically on them)",
                                           MAX_ATTRS);
    if (scan == SCAN_NS)
        return x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_LIMIT,
                                           "more than %d XML namespace declarations in scope (a fixed "
                                           "limit: the XML parser slows down on them)",
                                           MAX_NS_IN_SCOPE);
    return SK_OK;
}

/* libxml2's messages for its fixed limits (2.9 without XML_PARSE_HUGE),
 * said plainly: the original text tells the user to set a parser option. */
static const struct {
    const char *match;
    const char *says;
} fixed_limits[] = {
    {"Excessive depth", "XML elements nested deeper than 256 levels (a fixed limit)"},
    {"huge text", "an XML text longer than 10000000 bytes (a fixed limit)"},
    {"too long", "an XML name, value or text beyond the parser's fixed length limit"},
    {"too big", "an XML comment or value beyond the parser's fixed length limit"},
    {"XML_PARSE_HUGE", "an XML construct beyond the parser's fixed limits"},
};

/* Keeps libxml2's first fatal error (else its first error) instead of
 * letting it print to stderr, on one line; warnings are dropped. */
static void on_error(void *arg, xmlErrorPtr e)
{
    sk_xml *x = arg;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    bool fatal = e->level == XML_ERR_FATAL;
    if (x->have_msg && (x->msg_fatal || !fatal))
        return;
    const char *m = e->message ? e->message : "malformed XML";
    x->msg_limit = false;
    for (size_t k = 0; k < sizeof fixed_limits / sizeof fixed_limits[0]; k++)
        if (strstr(m, fixed_limits[k].match)) {
            m = fixed_limits[k].says;
            x->msg_limit = true;
            break;
        }
    snprintf(x->msg, sizeof x->msg, "%s", m);
    size_t n = strlen(x->msg);
    while (n > 0 && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
        x->msg[--n] = '\0';
    for (char *p = x->msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
    x->line = e->line;
    x->have_msg = true;
    x->msg_fatal = fatal;
}

/* Reports why reading stopped: the stream's or a callback's own failure
 * first (a limit, a withheld DOCTYPE), else libxml2's message. */
static sk_error fail_read(sk_xml *x, sk_diag *d)
{
    if (x->stream_err != SK_OK) {
        sk_diag_set(d, x->stream_err, "%s", x->stream_diag.reason);
        if (x->stream_diag.where[0])
            sk_diag_where(d, "%s", x->stream_diag.where);
        else
            sk_diag_where(d, "%s", x->part);
        return x->stream_err;
    }
    sk_diag_where(d, "%s", x->part);
    if (x->have_msg && x->msg_limit)
        return sk_diag_set(d, SK_ERR_LIMIT, "%s (line %d)", x->msg, x->line);
    if (x->have_msg)
        return sk_diag_set(d, SK_ERR_XML, "malformed XML: %s (line %d)", x->msg, x->line);
    return sk_diag_set(d, SK_ERR_XML, "malformed XML");
}

/* Stops the parser from a callback with the given failure. */
static void stop(sk_xml *x, sk_error code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void stop(sk_xml *x, sk_error code, const char *fmt, ...)
{
    if (x->stream_err == SK_OK) {
        x->stream_err = code;
        x->stream_diag.code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->stream_diag.reason, sizeof x->stream_diag.reason, fmt, ap);
        va_end(ap);
    }
    xmlStopParser(x->ctxt);
}

/* Appends len bytes (then a NUL) to the queue's bytes; returns the offset
 * or SIZE_MAX on no memory. */
static size_t put_bytes(sk_xml *x, const char *s, size_t len)
{
    if (!sk_xml_grow(&x->q.bytes, &x->q.cap_bytes, x->q.n_bytes + len + 1, 1))
        return SIZE_MAX;
    size_t off = x->q.n_bytes;
    memcpy(x->q.bytes + off, s, len);
    x->q.bytes[off + len] = '\0';
    x->q.n_bytes += len + 1;
    return off;
}

/* Queues an event; NULL (and the parser stopped) on no memory. */
static xml_ev *push_ev(sk_xml *x, sk_xml_event type, const xmlChar *name)
{
    if (!sk_xml_grow(&x->q.ev, &x->q.cap_ev, x->q.n_ev + 1, sizeof *x->q.ev)) {
        stop(x, SK_ERR_NOMEM, "out of memory (reading XML)");
        return NULL;
    }
    xml_ev *e = &x->q.ev[x->q.n_ev++];
    *e = (xml_ev){.type = type, .name = name ? (const char *)name : ""};
    return e;
}

/* SAX2: an element starts.  Attribute values come as [value, end) with a
 * '&' written as "&#38;" (libxml2 does so when it does not substitute
 * entities; no other reference can remain without a DTD). */
static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                     const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
    sk_xml *x = ctx;
    (void)prefix;
    (void)uri;
    (void)nb_ns;
    (void)ns;
    (void)nb_defaulted;
    if (x->level >= MAX_DEPTH) {
        stop(x, SK_ERR_LIMIT, "XML elements nested deeper than %d levels (a fixed limit)", MAX_DEPTH);
        return;
    }
    xml_ev *e = push_ev(x, SK_XML_START, local);
    if (!e)
        return;
    e->depth = x->level++;
    x->text_run = 0;
    e->attr_first = x->q.n_attrs;
    if (nb_attrs < 0 || !sk_xml_grow(&x->q.attr, &x->q.cap_attrs, x->q.n_attrs + (size_t)nb_attrs, sizeof *x->q.attr)) {
        stop(x, SK_ERR_NOMEM, "out of memory (reading XML)");
        return;
    }
    for (int i = 0; i < nb_attrs; i++) {
        const char *v = (const char *)attrs[5 * i + 3], *end = (const char *)attrs[5 * i + 4];
        size_t len = (size_t)(end - v), off = put_bytes(x, v, len);
        if (off == SIZE_MAX) {
            stop(x, SK_ERR_NOMEM, "out of memory (reading XML)");
            return;
        }
        char *val = x->q.bytes + off, *amp = memchr(val, '&', len);
        if (amp) { /* "&#38;" back to '&' */
            char *w = amp;
            for (const char *r = amp; *r;) {
                if (strncmp(r, "&#38;", 5) == 0) {
                    *w++ = '&';
                    r += 5;
                } else {
                    *w++ = *r++;
                }
            }
            *w = '\0';
        }
        x->q.attr[x->q.n_attrs++] = (xml_attr){.local = (const char *)attrs[5 * i], .val_off = off};
    }
    e->n_attrs = (size_t)nb_attrs;
}

/* SAX2: an element ends. */
static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    sk_xml *x = ctx;
    (void)prefix;
    (void)uri;
    xml_ev *e = push_ev(x, SK_XML_END, local);
    if (!e)
        return;
    if (x->level > 0)
        x->level--;
    e->depth = x->level;
    x->text_run = 0;
}

/* SAX2: character data, CDATA or white space, in pieces; consecutive
 * pieces of one chunk become one text event. */
static void on_text(void *ctx, const xmlChar *ch, int len)
{
    sk_xml *x = ctx;
    if (len <= 0)
        return;
    x->text_run += (size_t)len;
    if (x->text_run > MAX_TEXT) {
        stop(x, SK_ERR_LIMIT, "an XML text longer than %u bytes (a fixed limit)", MAX_TEXT);
        return;
    }
    xml_ev *last = x->q.n_ev ? &x->q.ev[x->q.n_ev - 1] : NULL;
    bool append = last && last->type == SK_XML_TEXT;
    if (append)
        x->q.n_bytes--; /* the last text's NUL ends the bytes: continue it */
    size_t off = put_bytes(x, (const char *)ch, (size_t)len);
    if (off == SIZE_MAX) {
        stop(x, SK_ERR_NOMEM, "out of memory (reading XML)");
        return;
    }
    if (append) {
        last->text_len += (size_t)len;
        return;
    }
    xml_ev *e = push_ev(x, SK_XML_TEXT, NULL);
    if (!e)
        return;
    e->depth = x->level;
    e->text_off = off;
    e->text_len = (size_t)len;
}

/* SAX2: a DOCTYPE (the prolog check normally withholds it first). */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    sk_xml *x = ctx;
    stop(x, SK_ERR_XML, "%s", doctype_reason);
}

/* SAX2: an entity reference that was not substituted. */
static void on_reference(void *ctx, const xmlChar *name)
{
    sk_xml *x = ctx;
    stop(x, SK_ERR_XML, "entity reference &%.64s; is not allowed in an .xlsx part", name ? (const char *)name : "");
}

/* SAX2: no entity is known beyond the predefined five. */
static xmlEntityPtr no_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

/* Creates the push parser, when the fast scanner did not take the part. */
static sk_error start_parser(sk_xml *x, sk_diag *d)
{
    /* grouped by what they handle: elements, text, DTDs, entities, errors */
    xmlSAXHandler sax = {
        .initialized = XML_SAX2_MAGIC, .startElementNs = on_start, .endElementNs = on_end,
        .characters = on_text, .ignorableWhitespace = on_text, .cdataBlock = on_text,
        .internalSubset = on_doctype, .externalSubset = on_doctype,
        .reference = on_reference, .getEntity = no_entity, .getParameterEntity = no_entity,
        .serror = on_error,
    };
    x->ctxt = xmlCreatePushParserCtxt(&sax, x, NULL, 0, x->part);
    if (!x->ctxt) {
        sk_diag_where(d, "%s", x->part);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory (creating the XML parser)");
    }
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET);
    return SK_OK;
}

/* A new reader named part, parsing as mode says. */
static sk_xml *new_reader(const char *part, sk_xml_mode mode)
{
    pthread_once(&xml_once, xml_init);
    sk_xml *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    sk_zip_quote_name(part, x->part, sizeof x->part);
    x->mode = mode;
    return x;
}

/* Opens the entry's stream; the part is read at the first sk_xml_next. */
sk_error sk_xml_open(sk_zip *z, size_t i, const char *part, sk_xml **out, sk_diag *d)
{
    *out = NULL;
    sk_xml *x = new_reader(part, SK_XML_MODE_AUTO);
    if (!x)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_error err = sk_zip_stream_open(z, i, &x->zs, d);
    if (err != SK_OK) {
        sk_xml_close(x);
        return err;
    }
    *out = x;
    return SK_OK;
}

/* Opens a reader over a copy of bytes in memory (xml_impl.h). */
sk_error sk_xml_open_mem(const void *data, size_t len, const char *part, sk_xml_mode mode, sk_xml **out,
                         sk_diag *d)
{
    *out = NULL;
    sk_xml *x = new_reader(part, mode);
    if (!x || !(x->buf = malloc(len + 1))) {
        free(x);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    if (len)
        memcpy(x->buf, data, len);
    x->buf[len] = '\0';
    x->buf_len = len;
    x->stream_end = x->loaded = true;
    if (mode == SK_XML_MODE_AUTO)
        x->fast = x->fed_all = sk_xml_fast_scan(x->buf, x->buf_len, &x->q);
    *out = x;
    return SK_OK;
}

/* True once the fast scanner gave the events. */
bool sk_xml_used_fast(const sk_xml *x)
{
    return x->fast;
}

/* Frees the parser, the queue, then the stream it reads from. */
void sk_xml_close(sk_xml *x)
{
    if (!x)
        return;
    if (x->ctxt) {
        if (x->ctxt->myDoc)
            xmlFreeDoc(x->ctxt->myDoc);
        xmlFreeParserCtxt(x->ctxt);
    }
    sk_xml_queue_free(&x->q);
    free(x->buf);
    free(x->in);
    sk_zip_stream_close(x->zs);
    free(x);
}

/* Reads the part into x->buf while it stays within SK_XML_FAST_CAP, in the
 * chunks libxml2 would be fed (a failure of the stream is kept for when
 * libxml2 reaches it), and hands a whole part to the fast scanner.  Then
 * either the queue holds all the part's events, or libxml2 parses x->buf
 * and the rest of the stream. */
static sk_error load(sk_xml *x, sk_diag *d)
{
    size_t cap = 0;
    x->loaded = true;
    while (x->buf_len <= SK_XML_FAST_CAP) {
        if (x->buf_len + CHUNK + 1 > cap) {
            size_t c = cap ? 2 * (cap - 1) + 1 : 2 * CHUNK + 1;
            if (c > SK_XML_FAST_CAP + CHUNK + 1)
                c = SK_XML_FAST_CAP + CHUNK + 1;
            char *b = realloc(x->buf, c);
            if (!b) {
                sk_diag_where(d, "%s", x->part);
                return sk_diag_set(d, SK_ERR_NOMEM, "out of memory (reading XML)");
            }
            x->buf = b;
            cap = c;
        }
        size_t n = 0;
        sk_error err = sk_zip_stream_read(x->zs, x->buf + x->buf_len, CHUNK, &n, &x->pending_diag);
        if (err != SK_OK) {
            x->pending_err = err;
            break;
        }
        if (n == 0) {
            x->stream_end = true;
            break;
        }
        x->buf_len += n;
    }
    if (x->stream_end && x->mode == SK_XML_MODE_AUTO) {
        x->buf[x->buf_len] = '\0';
        x->fast = x->fed_all = sk_xml_fast_scan(x->buf, x->buf_len, &x->q);
    }
    if (x->fast) { /* libxml2 will not need the bytes */
        free(x->buf);
        x->buf = NULL;
        x->buf_len = 0;
    }
    return SK_OK;
}

/* Empties the queue and feeds the parser chunks until it queues events or
 * the part ends.  Any error or failed well-formedness stops reading. */
static sk_error refill(sk_xml *x, sk_diag *d)
{
    x->q.n_ev = x->cur = x->q.n_attrs = x->q.n_bytes = 0;
    while (x->q.n_ev == 0 && !x->fed_all) {
        sk_error err;
        if (!x->ctxt && (err = start_parser(x, d)) != SK_OK)
            return err;
        size_t n = 0;
        const char *p = NULL;
        if (read_chunk(x, &p, &n) != SK_OK)
            return fail_read(x, d);
        int rc = xmlParseChunk(x->ctxt, p, (int)n, n == 0);
        if (x->stream_err != SK_OK || rc != 0 || !x->ctxt->wellFormed) {
            if (!x->have_msg && (rc == XML_ERR_INVALID_ENCODING || rc == XML_ERR_UNSUPPORTED_ENCODING ||
                                 x->ctxt->errNo == XML_ERR_INVALID_ENCODING)) {
                snprintf(x->msg, sizeof x->msg, "the text is not in its declared encoding");
                x->line = x->ctxt->input ? x->ctxt->input->line : 0;
                x->have_msg = true;
            }
            return fail_read(x, d);
        }
        x->fed_all = n == 0;
    }
    return SK_OK;
}

/* Hands out the next queued event, refilling the queue when it is empty. */
sk_error sk_xml_next(sk_xml *x, sk_xml_event *ev, sk_diag *d)
{
    *ev = SK_XML_EOF;
    if (x->stream_err != SK_OK)
        return fail_read(x, d);
    if (!x->loaded) {
        sk_error err = load(x, d);
        if (err != SK_OK)
            return err;
    }
    if (x->fast && !x->handed_first) {
        x->handed_first = true;
        *ev = x->q.ev[0].type;
        return SK_OK;
    }
    if (x->cur < x->q.n_ev)
        x->cur++;
    if (x->cur >= x->q.n_ev) {
        sk_error err = refill(x, d);
        if (err != SK_OK)
            return err;
        if (x->q.n_ev == 0)
            return SK_OK;
        x->cur = 0;
    }
    *ev = x->q.ev[x->cur].type;
    return SK_OK;
}

/* Moves to the next start element (see xml.h). */
sk_error sk_xml_next_start(sk_xml *x, bool *found, sk_diag *d)
{
    sk_xml_event ev;
    sk_error err;
    do {
        if ((err = sk_xml_next(x, &ev, d)) != SK_OK)
            return err;
    } while (ev != SK_XML_START && ev != SK_XML_EOF);
    *found = ev == SK_XML_START;
    return SK_OK;
}

/* The event last reported, or NULL before the first and after the end. */
static const xml_ev *current(const sk_xml *x)
{
    return x->cur < x->q.n_ev ? &x->q.ev[x->cur] : NULL;
}

/* Local name of the current element ("" if none). */
const char *sk_xml_name(sk_xml *x)
{
    const xml_ev *e = current(x);
    return e ? e->name : "";
}

/* Depth of the current node. */
int sk_xml_depth(sk_xml *x)
{
    const xml_ev *e = current(x);
    return e ? e->depth : 0;
}

/* Compares the current element's local name. */
bool sk_xml_is(sk_xml *x, const char *local)
{
    const xml_ev *e = current(x);
    return e && e->type != SK_XML_TEXT && strcmp(e->name, local) == 0;
}

/* Finds an attribute of the current start element by local name. */
const char *sk_xml_attr(sk_xml *x, const char *local)
{
    const xml_ev *e = current(x);
    if (!e || e->type != SK_XML_START)
        return NULL;
    for (size_t k = e->attr_first; k < e->attr_first + e->n_attrs; k++)
        if (strcmp(x->q.attr[k].local, local) == 0)
            return x->q.bytes + x->q.attr[k].val_off;
    return NULL;
}

/* Number of attributes of the current start element. */
size_t sk_xml_attr_count(sk_xml *x)
{
    const xml_ev *e = current(x);
    return e && e->type == SK_XML_START ? e->n_attrs : 0;
}

/* The k-th attribute of the current start element. */
const char *sk_xml_attr_at(sk_xml *x, size_t k, const char **value)
{
    const xml_ev *e = current(x);
    *value = NULL;
    if (!e || e->type != SK_XML_START || k >= e->n_attrs)
        return NULL;
    *value = x->q.bytes + x->q.attr[e->attr_first + k].val_off;
    return x->q.attr[e->attr_first + k].local;
}

/* The current text node's characters. */
const char *sk_xml_text(sk_xml *x, size_t *len)
{
    const xml_ev *e = current(x);
    bool text = e && e->type == SK_XML_TEXT;
    if (len)
        *len = text ? e->text_len : 0;
    return text ? x->q.bytes + e->text_off : "";
}

/* Reads past the end of the element just started. */
sk_error sk_xml_skip(sk_xml *x, sk_diag *d)
{
    const xml_ev *e = current(x);
    if (!e || e->type != SK_XML_START)
        return SK_OK;
    int depth = e->depth;
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF) {
            sk_diag_where(d, "%s", x->part);
            return sk_diag_set(d, SK_ERR_XML, "malformed XML: unexpected end of the part");
        }
        if (ev == SK_XML_END && sk_xml_depth(x) == depth)
            return SK_OK;
    }
}
