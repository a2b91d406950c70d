/* sechk — streaming XML over a bounded zip entry (libxml2 xmlTextReader). */
#include "xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes at the start of a part searched for a DOCTYPE before libxml2
 * sees them. */
enum { HEAD_MAX = 4096 };

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
    xmlTextReaderPtr r;
    sk_zip_stream *zs;
    char part[256];
    sk_error stream_err; /* the stream's failure, reported before libxml2's */
    sk_diag stream_diag;
    char msg[256];       /* libxml2's first fatal error, else its first error */
    int line;
    bool have_msg;
    bool msg_fatal;
    bool msg_limit;      /* the message is one of libxml2's fixed limits */
    bool pending_end;    /* an empty element's end is still to be reported */
    bool prolog_done;
    int scan;            /* SC_*: where the attribute scanner is */
    unsigned attrs;      /* '=' seen in the current tag */
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

/* Initialises libxml2 and installs the refusing entity loader. */
static void xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_entity);
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
            x->attrs = x->tag_ns = x->tok_len = 0;
            x->end_tag = c == '/';
            x->tok_done = false;
            break;
        case SC_BANG:
            x->scan = c == '-' ? SC_COMMENT : c == '[' ? SC_CDATA : c == '>' ? SC_TEXT : SC_DECL;
            break;
        case SC_TAG:
            if (c == '"') {
                x->scan = SC_DQUOTE;
            } else if (c == '\'') {
                x->scan = SC_SQUOTE;
            } else if (c == '>') {
                scan_tag_end(x);
                x->scan = SC_TEXT;
            } else if (c == '=') {
                if (++x->attrs > MAX_ATTRS)
                    return SCAN_ATTRS;
                if (x->tok_len >= 5 && memcmp(x->tok, "xmlns", 5) == 0 &&
                    (x->tok_len == 5 || x->tok[5] == ':') &&
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
            break;
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

/* libxml2's read callback: pulls bytes from the bounded zip stream,
 * withholds a part that starts with a DOCTYPE, and one with an element of
 * too many attributes or too many namespaces in scope. */
static int io_read(void *ctx, char *buf, int len)
{
    sk_xml *x = ctx;
    size_t n = 0;
    if (x->stream_err != SK_OK)
        return -1;
    if (len <= 0)
        return 0;
    sk_error err = sk_zip_stream_read(x->zs, buf, (size_t)len, &n, &x->stream_diag);
    if (err != SK_OK) {
        x->stream_err = err;
        return -1;
    }
    if (!x->prolog_done && n > 0) {
        size_t take = n < HEAD_MAX - x->head_len ? n : HEAD_MAX - x->head_len;
        memcpy(x->head + x->head_len, buf, take);
        x->head_len += take;
        int s = scan_prolog(x->head, x->head_len);
        if (s == PROLOG_DOCTYPE) {
            x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_XML, "%s", doctype_reason);
            return -1;
        }
        if (s == PROLOG_DONE || x->head_len == HEAD_MAX)
            x->prolog_done = true;
    }
    int scan = scan_xml(x, (const unsigned char *)buf, n);
    if (scan == SCAN_ATTRS) {
        x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_LIMIT,
                                    "an XML element has more than %d attributes (a fixed limit: "
                                    "the XML parser slows down quadratically on them)",
                                    MAX_ATTRS);
        return -1;
    }
    if (scan == SCAN_NS) {
        x->stream_err = sk_diag_set(&x->stream_diag, SK_ERR_LIMIT,
                                    "more than %d XML namespace declarations in scope (a fixed "
                                    "limit: the XML parser slows down on them)",
                                    MAX_NS_IN_SCOPE);
        return -1;
    }
    return (int)n;
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

/* Reports why reading stopped: the stream's own failure first (a limit, a
 * withheld DOCTYPE), else libxml2's message. */
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

/* Opens the entry's stream and a reader over it. */
sk_error sk_xml_open(sk_zip *z, size_t i, const char *part, sk_xml **out, sk_diag *d)
{
    sk_error err;
    *out = NULL;
    pthread_once(&xml_once, xml_init);
    sk_xml *x = calloc(1, sizeof *x);
    if (!x)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_zip_quote_name(part, x->part, sizeof x->part);
    if ((err = sk_zip_stream_open(z, i, &x->zs, d)) != SK_OK)
        goto fail;
    x->r = xmlReaderForIO(io_read, NULL, x, x->part, NULL, XML_PARSE_NONET);
    if (!x->r) {
        err = x->stream_err != SK_OK
                  ? fail_read(x, d)
                  : sk_diag_set(d, SK_ERR_NOMEM, "out of memory (creating the XML reader)");
        goto fail;
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, on_error, x);
    *out = x;
    return SK_OK;
fail:
    sk_xml_close(x);
    return err;
}

/* Frees the reader, then the stream it reads from. */
void sk_xml_close(sk_xml *x)
{
    if (!x)
        return;
    if (x->r)
        xmlFreeTextReader(x->r);
    sk_zip_stream_close(x->zs);
    free(x);
}

/* Advances the reader, refusing DOCTYPE and entity reference nodes. */
sk_error sk_xml_next(sk_xml *x, sk_xml_event *ev, sk_diag *d)
{
    *ev = SK_XML_EOF;
    if (x->pending_end) {
        x->pending_end = false;
        *ev = SK_XML_END;
        return SK_OK;
    }
    int rc = xmlTextReaderRead(x->r);
    if (rc < 0 || x->stream_err != SK_OK)
        return fail_read(x, d);
    if (rc == 0)
        return SK_OK;
    switch (xmlTextReaderNodeType(x->r)) {
    case XML_READER_TYPE_ELEMENT:
        *ev = SK_XML_START;
        x->pending_end = xmlTextReaderIsEmptyElement(x->r) == 1;
        break;
    case XML_READER_TYPE_END_ELEMENT:
        *ev = SK_XML_END;
        break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        *ev = SK_XML_TEXT;
        break;
    case XML_READER_TYPE_DOCUMENT_TYPE:
        sk_diag_where(d, "%s", x->part);
        return sk_diag_set(d, SK_ERR_XML, "%s", doctype_reason);
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
    case XML_READER_TYPE_END_ENTITY: {
        const xmlChar *name = xmlTextReaderConstLocalName(x->r);
        sk_diag_where(d, "%s", x->part);
        return sk_diag_set(d, SK_ERR_XML,
                           "entity reference &%.64s; is not allowed in an .xlsx part",
                           name ? (const char *)name : "");
    }
    default:
        *ev = SK_XML_OTHER;
        break;
    }
    return SK_OK;
}

/* Local name of the current node ("" if it has none). */
const char *sk_xml_name(sk_xml *x)
{
    const xmlChar *n = xmlTextReaderConstLocalName(x->r);
    return n ? (const char *)n : "";
}

/* Depth of the current node. */
int sk_xml_depth(sk_xml *x)
{
    return xmlTextReaderDepth(x->r);
}

/* Compares the current node's local name. */
bool sk_xml_is(sk_xml *x, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(x->r);
    return n && strcmp((const char *)n, local) == 0;
}

/* Finds an attribute by local name through the reader's API; the reader
 * is put back on the element so that reading continues from it. */
static const char *attr_slow(sk_xml *x, const char *local)
{
    const char *v = NULL;
    for (int ok = xmlTextReaderMoveToFirstAttribute(x->r); ok == 1;
         ok = xmlTextReaderMoveToNextAttribute(x->r)) {
        if (xmlTextReaderIsNamespaceDecl(x->r) == 1)
            continue;
        const xmlChar *n = xmlTextReaderConstLocalName(x->r);
        if (n && strcmp((const char *)n, local) == 0) {
            const xmlChar *val = xmlTextReaderConstValue(x->r);
            v = val ? (const char *)val : "";
            break;
        }
    }
    xmlTextReaderMoveToElement(x->r);
    return v;
}

/* Reads the attribute straight from the element node the reader is on (a
 * single text child, the usual case), which is several times faster than
 * walking with the reader; other values go through the reader.  Namespace
 * declarations live in nsDef, not in properties, so they never match. */
const char *sk_xml_attr(sk_xml *x, const char *local)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(x->r);
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (!a->name || strcmp((const char *)a->name, local) != 0)
            continue;
        xmlNodePtr t = a->children;
        if (!t)
            return "";
        if (!t->next && t->type == XML_TEXT_NODE && t->content)
            return (const char *)t->content;
        return attr_slow(x, local);
    }
    return NULL;
}

/* The current text node's characters. */
const char *sk_xml_text(sk_xml *x, size_t *len)
{
    const xmlChar *v = xmlTextReaderConstValue(x->r);
    const char *s = v ? (const char *)v : "";
    if (len)
        *len = strlen(s);
    return s;
}

/* Reads past the end of the element just started. */
sk_error sk_xml_skip(sk_xml *x, sk_diag *d)
{
    if (x->pending_end) {
        x->pending_end = false;
        return SK_OK;
    }
    int depth = xmlTextReaderDepth(x->r);
    for (;;) {
        sk_xml_event ev;
        sk_error err = sk_xml_next(x, &ev, d);
        if (err != SK_OK)
            return err;
        if (ev == SK_XML_EOF) {
            sk_diag_where(d, "%s", x->part);
            return sk_diag_set(d, SK_ERR_XML, "malformed XML: unexpected end of the part");
        }
        if (ev == SK_XML_END && xmlTextReaderDepth(x->r) == depth)
            return SK_OK;
    }
}
