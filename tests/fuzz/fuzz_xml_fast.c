/* Fuzz target: the XML fast path against libxml2 (a differential check).
 * The bytes are one part, read as sk_xml_open reads it (the fast scanner,
 * else libxml2) and with libxml2 only; when the fast scanner took the part,
 * libxml2 must have taken it too and given the same events (type, depth,
 * name, attributes in order, text with adjacent text events merged).  A
 * difference aborts (a finding).  tests/unit/test_xmlfast.c runs the same
 * comparison on fixed inputs in `make test`. */
#include "fuzz_common.h"

#include "../../src/read/xml_impl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* A growing string: the serialised events of one read. */
typedef struct fz_sbuf {
    char *s;
    size_t n, cap;
} fz_sbuf;

static void put(fz_sbuf *b, const void *s, size_t n)
{
    if (b->n + n + 32 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n + 32)
            c *= 2;
        char *p = realloc(b->s, c);
        if (!p)
            fz_die("out of memory");
        b->s = p;
        b->cap = c;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

/* A string with its length. */
static void put_str(fz_sbuf *b, const char *s)
{
    char len[24];
    int n = snprintf(len, sizeof len, "%zu:", strlen(s));
    put(b, len, (size_t)n);
    put(b, s, strlen(s));
}

/* Reads data in mode; the events go to b; returns the error. */
static sk_error read_part(const uint8_t *data, size_t size, sk_xml_mode mode, fz_sbuf *b, bool *fast)
{
    sk_diag d;
    sk_diag_clear(&d);
    sk_xml *x = NULL;
    sk_error err = sk_xml_open_mem(data, size, "part.xml", mode, &x, &d);
    bool in_text = false;
    while (err == SK_OK) {
        sk_xml_event ev = SK_XML_EOF;
        if ((err = sk_xml_next(x, &ev, &d)) != SK_OK || ev == SK_XML_EOF)
            break;
        char head[32];
        int n = snprintf(head, sizeof head, "\n%c%d ", "?SET"[ev], sk_xml_depth(x));
        if (ev == SK_XML_TEXT) {
            size_t len = 0;
            const char *t = sk_xml_text(x, &len);
            if (!in_text)
                put(b, head, (size_t)n);
            put(b, t, len);
            in_text = true;
            continue;
        }
        in_text = false;
        put(b, head, (size_t)n);
        put_str(b, sk_xml_name(x));
        for (size_t k = 0; k < sk_xml_attr_count(x); k++) {
            const char *v = NULL, *name = sk_xml_attr_at(x, k, &v);
            put(b, " ", 1);
            put_str(b, name);
            put_str(b, v);
        }
    }
    *fast = x && sk_xml_used_fast(x);
    sk_xml_close(x);
    return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_sbuf a = {0}, b = {0};
    bool fast = false, fast_b = false;
    sk_error ea = read_part(data, size, SK_XML_MODE_AUTO, &a, &fast);
    if (fast) {
        sk_error eb = read_part(data, size, SK_XML_MODE_LIBXML2, &b, &fast_b);
        if (eb != SK_OK)
            fz_die("the fast path took a part libxml2 refuses");
        if (ea != SK_OK || a.n != b.n || (a.n && memcmp(a.s, b.s, a.n) != 0))
            fz_die("the fast path's events differ from libxml2's");
    }
    free(a.s);
    free(b.s);
    return 0;
}
