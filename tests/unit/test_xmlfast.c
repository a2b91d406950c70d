/* The XML fast path (src/read/xml_fast.c) against libxml2: every part is
 * read twice, as sk_xml_open reads it (the fast scanner, else libxml2) and
 * with libxml2 only, and the two event streams are compared (type, depth,
 * name, attributes in order, text with adjacent text events merged), or
 * both failures (code and reason).  A table of small parts covers each rule
 * of the subset and says which the fast scanner must take; then every XML
 * part of every .xlsx under samples/ and tests/, and seeded mutations of
 * them, must give libxml2's events when the fast scanner takes them, and
 * the fast scanner must give up on every part libxml2 refuses.  Runs from
 * the project root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "../../src/read/xml_impl.h"
#include "../../src/read/zip.h"
#include "sechk/limits.h"

/* A growing string: the serialised events of one read. */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const void *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n + 1)
            c *= 2;
        b->s = realloc(b->s, c);
        assert_non_null(b->s);
        b->cap = c;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    sb_put(b, tmp, (size_t)n);
}

/* A string with its length, unambiguous in the serialisation. */
static void sb_str(sbuf *b, const char *s, size_t n)
{
    sb_printf(b, "%zu:", n);
    sb_put(b, s, n);
}

/* One read of a part: its events serialised, the error and its reason. */
typedef struct reading {
    sbuf ev;
    sk_error err;
    char reason[1024];
    bool fast;
} reading;

/* Serialises the current event; a text continues the text before it. */
static void put_event(sk_xml *x, sk_xml_event ev, bool *in_text, sbuf *b)
{
    if (ev == SK_XML_TEXT) {
        size_t len = 0;
        const char *t = sk_xml_text(x, &len);
        if (!*in_text)
            sb_printf(b, "\nT%d ", sk_xml_depth(x));
        sb_put(b, t, len); /* merged: the length is not written */
        *in_text = true;
        return;
    }
    *in_text = false;
    sb_printf(b, "\n%c%d ", ev == SK_XML_START ? 'S' : 'E', sk_xml_depth(x));
    sb_str(b, sk_xml_name(x), strlen(sk_xml_name(x)));
    size_t n = sk_xml_attr_count(x);
    for (size_t k = 0; k < n; k++) {
        const char *v = NULL, *name = sk_xml_attr_at(x, k, &v);
        sb_put(b, " ", 1);
        sb_str(b, name, strlen(name));
        sb_put(b, "=", 1);
        sb_str(b, v, strlen(v));
    }
}

/* Reads all of the reader x into r and closes it. */
static void read_all(sk_xml *x, reading *r)
{
    sk_diag d;
    sk_diag_clear(&d);
    bool in_text = false;
    for (;;) {
        sk_xml_event ev = SK_XML_EOF;
        r->err = sk_xml_next(x, &ev, &d);
        if (r->err != SK_OK || ev == SK_XML_EOF)
            break;
        put_event(x, ev, &in_text, &r->ev);
    }
    if (r->err != SK_OK)
        snprintf(r->reason, sizeof r->reason, "%s: %s", d.where, d.reason);
    r->fast = sk_xml_used_fast(x);
    sk_xml_close(x);
}

/* Reads data[0..len) in mode into r. */
static void read_part(const char *data, size_t len, sk_xml_mode mode, reading *r)
{
    sk_diag d;
    sk_diag_clear(&d);
    memset(r, 0, sizeof *r);
    sk_xml *x = NULL;
    assert_int_equal(sk_xml_open_mem(data, len, "part.xml", mode, &x, &d), SK_OK);
    read_all(x, r);
}

/* Reads a part both ways; returns true if they agree, and says whether the
 * fast scanner took it and whether libxml2 refused it. */
static bool agree(const char *data, size_t len, bool *fast, bool *refused)
{
    reading a, b;
    read_part(data, len, SK_XML_MODE_AUTO, &a);
    read_part(data, len, SK_XML_MODE_LIBXML2, &b);
    bool same = a.err == b.err && strcmp(a.reason, b.reason) == 0 && a.ev.n == b.ev.n &&
                (a.ev.n == 0 || memcmp(a.ev.s, b.ev.s, a.ev.n) == 0);
    if (!same)
        fprintf(stderr, "differ (fast %d): %.300s\n--- auto (%d %s):%.600s\n--- libxml2 (%d %s):%.600s\n", a.fast, data,
                a.err, a.reason, a.ev.s ? a.ev.s : "", b.err, b.reason, b.ev.s ? b.ev.s : "");
    *fast = a.fast;
    *refused = b.err != SK_OK;
    free(a.ev.s);
    free(b.ev.s);
    return same;
}

/* What the fast scanner must do with a part of the table. */
enum { TAKE, BAIL };

static const struct {
    const char *xml;
    int expect;
} cases[] = {
    /* declarations, BOM, white space around the root */
    {"<a/>", TAKE},
    {"<?xml version=\"1.0\"?><a/>", TAKE},
    {"<?xml version='1.0' encoding='utf-8' standalone='no' ?>\n<a/>\n", TAKE},
    {"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<a/>", BAIL},
    {"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>", TAKE},
    {"\xEF\xBB\xBF<a>x</a>", TAKE},
    {" \n\t<a/> \n\t", TAKE},
    {"<?xml version=\"1.1\"?><a/>", BAIL},
    {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>", BAIL},
    {"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", BAIL},
    {"<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><a/>", BAIL},
    {"<?xml version=\"1.0\"standalone=\"yes\"?><a/>", BAIL},
    {"<?xml encoding=\"UTF-8\"?><a/>", BAIL},
    {"<?xml version=\"1.0\" standalone=\"maybe\"?><a/>", BAIL},
    {"<?xml version=\"1.0'?><a/>", BAIL},
    {" <?xml version=\"1.0\"?><a/>", BAIL},
    {"<?xml-stylesheet href=\"a\"?><a/>", BAIL},
    {"\xFF\xFE<\0a\0/\0>\0", BAIL},
    {"", BAIL},
    {"   ", BAIL},
    {"x<a/>", BAIL},
    {"<a/>x", BAIL},
    {"<a/><b/>", BAIL},
    {"<a>", BAIL},
    {"<a></b>", BAIL},
    {"<a><b></a></b>", BAIL},
    /* comments, PIs, CDATA, DOCTYPE */
    {"<!-- c --><a/>", BAIL},
    {"<a><!-- c --></a>", BAIL},
    {"<a/><!-- c -->", BAIL},
    {"<a><?pi x?></a>", BAIL},
    {"<a><![CDATA[x<y]]></a>", BAIL},
    {"<!DOCTYPE a><a/>", BAIL},
    {"<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", BAIL},
    /* elements, empty elements, depths, white space as text */
    {"<a><b/><c></c><d>t</d></a>", TAKE},
    {"<a>\n  <b>x</b>\n  <c/>\n</a>", TAKE},
    {"<a > <b\n/> </a >", TAKE},
    {"<a>\t</a>", TAKE},
    {"<a/ >", BAIL},
    {"< a/>", BAIL},
    {"</a>", BAIL},
    {"<a></ a>", BAIL},
    {"<a.b-c_d1 e.f-g_h2=\"1\"/>", TAKE},
    {"<_a/>", TAKE},
    {"<1a/>", BAIL},
    {"<-a/>", BAIL},
    {"<a\xC3\xA9/>", BAIL},
    {"<\xC3\xA9/>", BAIL},
    /* attributes */
    {"<a b=\"1\" c='2' d = \"3\"/>", TAKE},
    {"<a b=\"it's\" c='say \"x\"'/>", TAKE},
    {"<a b=\"\"/>", TAKE},
    {"<a b=\"x>y\"/>", TAKE},
    {"<a b=\"x<y\"/>", BAIL},
    {"<a b=\"x\ty\"/>", BAIL},
    {"<a b=\"x\ny\"/>", BAIL},
    {"<a b=\"x\ry\"/>", BAIL},
    {"<a b=\"1\"c=\"2\"/>", BAIL},
    {"<a b/>", BAIL},
    {"<a b=1/>", BAIL},
    {"<a b=\"1'/>", BAIL},
    {"<a b=\"1\" b=\"2\"/>", BAIL},
    {"<a xmlns:p=\"urn:p\" b=\"1\" p:b=\"2\"/>", BAIL},
    {"<a b=\"&lt;&gt;&amp;&quot;&apos;\"/>", TAKE},
    {"<a b=\"&#38;&#x26;&amp;#38;&#60;\"/>", TAKE},
    {"<a b=\"&#9;&#10;&#13;&#x20;\"/>", TAKE},
    {"<a b=\"&#x10FFFF;&#xE000;&#xD7FF;&#x1F600;\"/>", TAKE},
    {"<a b=\"&nbsp;\"/>", BAIL},
    {"<a b=\"&amp\"/>", BAIL},
    {"<a b=\"&#0;\"/>", BAIL},
    {"<a b=\"&#xD800;\"/>", BAIL},
    {"<a b=\"&#x110000;\"/>", BAIL},
    {"<a b=\"&#xFFFE;\"/>", BAIL},
    {"<a b=\"&#X41;\"/>", BAIL},
    {"<a b=\"&#;\"/>", BAIL},
    {"<a b=\"&#x;\"/>", BAIL},
    {"<a b=\"&#00000065;\"/>", BAIL},
    {"<a b=\"\xC3\xA9\xE3\x81\x82\xF0\x9F\x98\x80\"/>", TAKE},
    {"<a b=\"\xC0\xAF\"/>", BAIL},
    /* namespaces: declarations are not attributes; prefixes must be bound */
    {"<a xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
     "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
     "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" mc:Ignorable=\"x14ac\" "
     "xmlns:x14ac=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac\"><r:b r:id=\"rId1\"/></a>",
     TAKE},
    {"<x:a xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><x:b/></x:a>", TAKE},
    {"<a xmlns=\"\"/>", TAKE},
    {"<a><p:b xmlns:p=\"urn:p\"/><c/></a>", TAKE},
    {"<a><p:b xmlns:p=\"urn:p\"/><p:c/></a>", BAIL},
    {"<p:a/>", BAIL},
    {"<a p:b=\"1\"/>", BAIL},
    {"<a xml:space=\"preserve\" xml:lang=\"ja\">x</a>", TAKE},
    {"<a xml:space=\"other\">x</a>", BAIL},
    {"<xml:a/>", TAKE},
    {"<xmlns:a/>", BAIL},
    {"<a xmlns:p=\"\"/>", BAIL},
    {"<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>", BAIL},
    {"<a xmlns:xmlns=\"urn:x\"/>", BAIL},
    {"<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>", BAIL},
    {"<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>", BAIL},
    {"<a xmlns=\"relative\"/>", BAIL},
    {"<a xmlns=\"http://a:b/\"/>", BAIL},
    {"<a xmlns=\"http://a b/\"/>", BAIL},
    {"<a xmlns:p=\"urn:p\" xmlns:p=\"urn:q\"/>", BAIL},
    {"<a xmlns=\"urn:p\" xmlns=\"urn:q\"/>", BAIL},
    {"<a:b:c/>", BAIL},
    {"<a: xmlns:a=\"urn:a\"/>", BAIL},
    {"<:a/>", BAIL},
    {"<a xmlnsx=\"1\"/>", TAKE},
    {"<a xmlns=\"urn:\"/>", TAKE},
    {"<a xmlns:p=\"a+b-c.d:x/y~z\"/>", TAKE},
    {"<a xmlns=\"http://\"/>", TAKE},
    {"<a xmlns=\"http:///x\"/>", TAKE},
    {"<a xmlns=\"http://a..b/c\"/>", TAKE},
    {"<a xmlns=\"http://a/b?c\"/>", BAIL},
    {"<a xmlns=\"http://a/%41\"/>", BAIL},
    {"<a xmlns=\"1a:b\"/>", BAIL},
    {"<a xmlns=\"a&amp;b:c\"/>", BAIL},
    /* text: references, UTF-8, characters XML refuses */
    {"<a>&lt;&gt;&amp;&quot;&apos;</a>", TAKE},
    {"<a>x&#65;&#x42;&#x3042;&#128512;y</a>", TAKE},
    {"<a>&#13;&#9;</a>", TAKE},
    {"<a>&#1;</a>", BAIL},
    {"<a>&#xFFFF;</a>", BAIL},
    {"<a>&foo;</a>", BAIL},
    {"<a>&</a>", BAIL},
    {"<a>& b</a>", BAIL},
    {"<a>&#x41</a>", BAIL},
    {"<a>]]></a>", BAIL},
    {"<a>]]</a>", TAKE},
    {"<a>] ]></a>", TAKE},
    {"<a>x]</a>", TAKE},
    {"<a>></a>", TAKE},
    {"<a>\xE3\x81\x82\xE2\x96\xA0\xE2\x96\xA1\xC2\x80\x7F</a>", TAKE},
    {"<a>\x01</a>", BAIL},
    {"<a>\x1F</a>", BAIL},
    {"<a>x\ry</a>", BAIL},
    {"<a>\xC0\x80</a>", BAIL},
    {"<a>\xC1\xBF</a>", BAIL},
    {"<a>\xE0\x80\x80</a>", BAIL},
    {"<a>\xED\xA0\x80</a>", BAIL},
    {"<a>\xEF\xBF\xBE</a>", BAIL},
    {"<a>\xEF\xBF\xBF</a>", BAIL},
    {"<a>\xF4\x90\x80\x80</a>", BAIL},
    {"<a>\xF8\x88\x80\x80\x80</a>", BAIL},
    {"<a>\xE3\x81</a>", BAIL},
    {"<a>\x80</a>", BAIL},
};

/* Each part of the table: both reads agree, and the fast scanner takes or
 * leaves it as the table says. */
static void test_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *xml = cases[k].xml;
        size_t len = strlen(xml);
        if (xml[0] == '\xFF')
            len = 8; /* UTF-16 with NULs */
        bool fast = false, refused = false;
        if (!agree(xml, len, &fast, &refused) || fast != (cases[k].expect == TAKE)) {
            fprintf(stderr, "case %zu: %s: fast %d, expected %s\n", k, xml, fast,
                    cases[k].expect == TAKE ? "take" : "bail");
            fail();
        }
    }
}

/* Reads a part built by the test both ways; checks the scanner's choice. */
static void check_built(const char *xml, bool take)
{
    bool fast = false, refused = false;
    assert_true(agree(xml, strlen(xml), &fast, &refused));
    if (fast != take)
        fprintf(stderr, "built part of %zu bytes: fast %d\n", strlen(xml), fast);
    assert_int_equal(fast, take);
}

/* n nested elements, each with k attributes, and a text inside. */
static char *nested(int n, int k)
{
    size_t cap = (size_t)n * (32 + (size_t)k * 16) + 64, len = 0;
    char *b = malloc(cap);
    assert_non_null(b);
    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(b + len, cap - len, "<e%d", i);
        for (int j = 0; j < k; j++)
            len += (size_t)snprintf(b + len, cap - len, " a%d=\"%d\"", j, j);
        b[len++] = '>';
    }
    len += (size_t)snprintf(b + len, cap - len, "t");
    for (int i = n; i-- > 0;)
        len += (size_t)snprintf(b + len, cap - len, "</e%d>", i);
    b[len] = '\0';
    return b;
}

/* Depths and attribute counts around the scanner's limits: the scanner
 * takes them below its limits and leaves them above, and libxml2 agrees. */
static void test_limits_of_the_subset(void **state)
{
    (void)state;
    static const struct {
        int depth, attrs;
        bool take;
    } shapes[] = {{128, 0, true}, {129, 0, false}, {300, 0, false}, {1, 64, true}, {1, 65, false}, {1, 300, false}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        char *xml = nested(shapes[k].depth, shapes[k].attrs);
        check_built(xml, shapes[k].take);
        free(xml);
    }
}

/* A part of n bytes or more: rows of cells with text crossing libxml2's
 * chunks, CJK text and references. */
static char *sheet_like(size_t n)
{
    size_t cap = n + 256, len = 0;
    char *b = malloc(cap);
    assert_non_null(b);
    len +=
        (size_t)snprintf(b, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<ws xmlns=\"urn:x\">");
    for (int r = 1; len + 200 < n; r++)
        len += (size_t)snprintf(b + len, cap - len,
                                "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>%d</v></c><c r=\"B%d\"><is><t>"
                                "\xE2\x96\xA0\xE6\x9C\x89 &amp; &#x25A1;\xE7\x84\xA1 %d</t></is></c></row>",
                                r, r, r, r, r);
    len += (size_t)snprintf(b + len, cap - len, "</ws>");
    return b;
}

/* Writes a one-entry zip (deflated) holding data. */
static void one_entry_zip(const char *path, const char *data, size_t len)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    zip_source_t *src = zip_source_buffer(za, data, len, 0);
    assert_non_null(src);
    zip_int64_t i = zip_file_add(za, "x.xml", src, ZIP_FL_ENC_UTF_8);
    assert_true(i >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_DEFLATE, 1), 0);
    assert_int_equal(zip_close(za), 0);
}

/* Reads the entry of the zip at path with sk_xml_open under the limits. */
static void read_zip(const char *path, const sk_limits *lim, reading *r)
{
    sk_diag d;
    sk_diag_clear(&d);
    memset(r, 0, sizeof *r);
    sk_zip *z = NULL;
    assert_int_equal(sk_zip_open(path, lim, &z, &d), SK_OK);
    size_t i;
    assert_true(sk_zip_find(z, "x.xml", &i));
    sk_xml *x = NULL;
    assert_int_equal(sk_xml_open(z, i, "part.xml", &x, &d), SK_OK);
    read_all(x, r);
    sk_zip_close(z);
}

/* Through a zip: a small part takes the fast path, a part over the cap is
 * streamed through libxml2 from the bytes held and then the stream, with
 * the same events as libxml2 alone; a part that passes the entry limit
 * after the bytes held fails with the limit, after its first events. */
static void test_through_zip(void **state)
{
    (void)state;
    char path[] = "/tmp/sechk-test-xmlfast-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sk_limits lim;
    sk_limits_default(&lim);
    static const size_t sizes[] = {20000, SK_XML_FAST_CAP - 100, SK_XML_FAST_CAP + 5000, 3 * SK_XML_FAST_CAP};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *xml = sheet_like(sizes[k]);
        one_entry_zip(path, xml, strlen(xml));
        reading a, b;
        read_zip(path, &lim, &a);
        read_part(xml, strlen(xml), SK_XML_MODE_LIBXML2, &b);
        assert_int_equal(a.err, SK_OK);
        assert_int_equal(b.err, SK_OK);
        assert_int_equal(a.fast, strlen(xml) <= SK_XML_FAST_CAP);
        assert_int_equal(a.ev.n, b.ev.n);
        assert_memory_equal(a.ev.s, b.ev.s, a.ev.n);
        free(a.ev.s);
        free(b.ev.s);
        if (k == 3) { /* the entry limit after the first 2 MiB */
            sk_limits small = lim;
            small.entry_bytes = 2 * SK_XML_FAST_CAP;
            read_zip(path, &small, &a);
            assert_int_equal(a.err, SK_ERR_LIMIT);
            assert_false(a.fast);
            assert_true(a.ev.n > SK_XML_FAST_CAP);
            free(a.ev.s);
        }
        free(xml);
    }
    unlink(path);
}

/* A part that libxml2 fails on after the fast scanner gave up: the same
 * reason as libxml2 alone (the reader says it). */
static void test_errors_unchanged(void **state)
{
    (void)state;
    static const char *const bad[] = {"<a><b></a>", "<a>&foo;</a>", "<!DOCTYPE a><a/>", "<a>\x01</a>", ""};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        reading a;
        read_part(bad[k], strlen(bad[k]), SK_XML_MODE_AUTO, &a);
        assert_int_not_equal(a.err, SK_OK);
        assert_false(a.fast);
        free(a.ev.s);
    }
}

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t rng_state = 0x5ec4c0ffee1234ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Counts of the differential run. */
static struct {
    unsigned parts, taken, mutants, mutants_taken, refused, differ;
} diff_stats;

/* Replaces data[pos..pos+del) by ins (a new buffer in *out). */
static size_t splice(const char *data, size_t len, size_t pos, size_t del, const char *ins, size_t n_ins, char **out)
{
    if (pos > len)
        pos = len;
    if (del > len - pos)
        del = len - pos;
    size_t n = len - del + n_ins;
    char *m = malloc(n + 1);
    assert_non_null(m);
    memcpy(m, data, pos);
    memcpy(m + pos, ins, n_ins);
    memcpy(m + pos + n_ins, data + pos + del, len - pos - del);
    *out = m;
    return n;
}

/* Finds the n-th (modulo their number) occurrence of pat in data; returns
 * its offset, or len if there is none. */
static size_t nth(const char *data, size_t len, const char *pat, uint64_t n)
{
    size_t count = 0, m = strlen(pat);
    for (size_t i = 0; i + m <= len; i++)
        if (memcmp(data + i, pat, m) == 0)
            count++;
    if (count == 0)
        return len;
    n %= count;
    for (size_t i = 0; i + m <= len; i++)
        if (memcmp(data + i, pat, m) == 0 && n-- == 0)
            return i;
    return len;
}

/* Insertions of the mutations: XML outside the subset and near it. */
static const char *const snippets[] = {
    "<",
    "&",
    "\r",
    "]]>",
    "\xC0\xAF",
    "\xED\xA0\x80",
    "\xEF\xBF\xBE",
    "\xF4\x90\x80\x80",
    "\x80",
    "\xE3\x81",
    "<!-- c -->",
    "<?pi x?>",
    "<![CDATA[x]]>",
    "&#0;",
    "&#x110000;",
    "&unknown;",
    "&#65;",
    "&amp;",
    "\t",
    " xmlns:p=\"\"",
    " a='1'",
    " zz:q=\"1\"",
    " xmlns:q=\"urn:q\"",
    "<q:x/>",
    "</x>",
    "<x>",
    "/>",
    "\"",
    "'",
    "&lt;",
    "\n",
    " ",
    "\x01",
    "&#xD;",
    "<!DOCTYPE a>",
};

/* One mutation of data (a new buffer in *out); returns its length. */
static size_t mutate(const char *data, size_t len, char **out)
{
    size_t pos = len ? (size_t)(rnd() % len) : 0;
    switch (rnd() % 8) {
    case 0: { /* a byte changed */ char b = (char)(rnd() & 0xFF); return splice(data, len, pos, 1, &b, 1, out);
    }
    case 1: /* cut short */ return splice(data, len, pos, len, "", 0, out);
    case 2: { /* an end tag deleted */
        size_t at = nth(data, len, "</", rnd());
        const char *gt = at < len ? memchr(data + at, '>', len - at) : NULL;
        return splice(data, len, at, gt ? (size_t)(gt - data - at) + 1 : 0, "", 0, out);
    }
    case 3: { /* an attribute duplicated */
        size_t at = nth(data, len, "=\"", rnd());
        size_t s = at;
        while (s > 0 && data[s - 1] != ' ')
            s--;
        const char *q = at < len ? memchr(data + at + 2, '"', len - at - 2) : NULL;
        if (!q || at == len)
            return splice(data, len, pos, 0, "", 0, out);
        size_t e = (size_t)(q - data) + 1;
        char ins[256];
        size_t n = e - s + 1 < sizeof ins ? e - s : 0;
        ins[0] = ' ';
        memcpy(ins + 1, data + s, n);
        return splice(data, len, e, 0, ins, n ? n + 1 : 0, out);
    }
    case 4: { /* a prefix nobody declared on an element */
        size_t at = nth(data, len, "<", rnd());
        return splice(data, len, at + 1, 0, "zz:", at < len && data[at + 1] != '/' ? 3 : 0, out);
    }
    default: { /* a snippet: anywhere, inside a tag (before its '>') or in text (after it) */
        const char *s = snippets[rnd() % (sizeof snippets / sizeof snippets[0])];
        uint64_t where = rnd() % 3;
        if (where > 0) {
            pos = nth(data, len, ">", rnd());
            if (pos < len && where == 2)
                pos++;
            else if (pos > 0 && pos < len && data[pos - 1] == '/')
                pos--;
        }
        return splice(data, len, pos, 0, s, strlen(s), out);
    }
    }
}

/* Mutations per part, and the largest part mutated (time). */
enum { MUTANTS = 160, MUTATE_MAX = 64 * 1024 };

/* Compares one part and its mutants. */
static void check_part(const char *data, size_t len)
{
    bool fast = false, refused = false;
    diff_stats.parts++;
    if (!agree(data, len, &fast, &refused))
        diff_stats.differ++;
    diff_stats.taken += fast;
    if (len > MUTATE_MAX)
        return;
    for (int k = 0; k < MUTANTS; k++) {
        char *m = NULL;
        size_t n = mutate(data, len, &m);
        int rounds = (int)(rnd() % 4 == 0);
        for (int r = 0; r < rounds; r++) { /* sometimes several */
            char *m2 = NULL;
            n = mutate(m, n, &m2);
            free(m);
            m = m2;
        }
        diff_stats.mutants++;
        if (!agree(m, n, &fast, &refused) || (fast && refused))
            diff_stats.differ++;
        diff_stats.mutants_taken += fast;
        diff_stats.refused += refused;
        free(m);
    }
}

/* Every XML part of one .xlsx. */
static void check_xlsx(const char *path)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    if (!za)
        return; /* a hostile or not-a-zip fixture */
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        zip_stat_t st;
        size_t nl = name ? strlen(name) : 0;
        if (nl < 4 || (strcmp(name + nl - 4, ".xml") != 0 && strcmp(name + nl - 5, ".rels") != 0) ||
            zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || st.size > 8u << 20)
            continue;
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        if (!zf)
            continue;
        char *buf = malloc(st.size + 1);
        assert_non_null(buf);
        zip_int64_t r = zip_fread(zf, buf, st.size);
        zip_fclose(zf);
        if (r == (zip_int64_t)st.size)
            check_part(buf, (size_t)r);
        free(buf);
    }
    zip_discard(za);
}

/* The length of the folder being walked: build folders below it are skipped. */
static size_t root_len;

/* nftw: each .xlsx and each .xml file (templates, fixtures). */
static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || strstr(path + root_len, "/build/") || strstr(path + root_len, "/node_modules/"))
        return 0;
    if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0) {
        check_xlsx(path);
    } else if (n > 4 && strcmp(path + n - 4, ".xml") == 0) {
        FILE *f = fopen(path, "rb");
        static char buf[1 << 20];
        size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
        if (f)
            fclose(f);
        if (len > 0 && len < sizeof buf)
            check_part(buf, len);
    }
    return 0;
}

/* The folders walked: samples/ and tests/, or those named on the command
 * line (a longer run, e.g. over build/bench/files). */
static const char *const default_roots[] = {"samples", "tests", NULL};
static const char *const *roots = default_roots;

/* The differential run over the fixtures and their mutants. */
static void test_differential(void **state)
{
    (void)state;
    for (size_t k = 0; roots[k] && (root_len = strlen(roots[k])) > 0; k++)
        assert_int_equal(nftw(roots[k], visit, 16, FTW_PHYS), 0);
    printf("# xmlfast: %u parts (%u taken by the fast path), %u mutants (%u taken, %u refused by libxml2), "
           "%u differ\n",
           diff_stats.parts, diff_stats.taken, diff_stats.mutants, diff_stats.mutants_taken, diff_stats.refused,
           diff_stats.differ);
    assert_int_equal(diff_stats.differ, 0);
    assert_true(diff_stats.parts > 100);
    assert_true(diff_stats.taken * 2 > diff_stats.parts);
    assert_true(diff_stats.mutants_taken > 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        roots = (const char *const *)argv + 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_errors_unchanged),
        cmocka_unit_test(test_limits_of_the_subset),
        cmocka_unit_test(test_through_zip),
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests_name("xmlfast", tests, NULL, NULL);
}
