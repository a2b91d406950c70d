/* Regression tests for the hardening of issue 7 (docs/security.md): the
 * ratio limit counted while inflating, CRC and damage of deflated entries,
 * the attribute cap and libxml2's fixed limits in the XML layer, empty cells
 * against the cells limit, shared-string indexes out of range, outputs that
 * are not regular files.  Zips are built with libzip's writing API; a few
 * cases use the committed hostile corpus (tests/corpus/bad/, made by
 * tests/make_corpus.py), so the tests run from the project root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../../src/read/xml.h"
#include "../../src/read/zip.h"
#include "sechk/extract.h"
#include "sechk/limits.h"
#include "sechk/output.h"
#include "sechk/template.h"

static char tmpdir[] = "/tmp/sechk-test-hostile-XXXXXX";

/* A path in the test's temporary folder (static storage, rotating). */
static const char *tpath(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

/* Writes a one-entry zip (deflated) holding data. */
static void one_entry_zip(const char *path, const char *name, const char *data, size_t len)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    zip_source_t *src = zip_source_buffer(za, data, len, 0);
    assert_non_null(src);
    zip_int64_t i = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    assert_true(i >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_DEFLATE, 9), 0);
    assert_int_equal(zip_close(za), 0);
}

/* Reads the whole entry name through a bounded stream; *total receives the
 * bytes delivered before the stream stopped. */
static sk_error drain(sk_zip *z, const char *name, uint64_t *total, sk_diag *d)
{
    size_t i;
    assert_true(sk_zip_find(z, name, &i));
    sk_zip_stream *s = NULL;
    sk_error err = sk_zip_stream_open(z, i, &s, d);
    static char buf[64 * 1024];
    *total = 0;
    while (err == SK_OK) {
        size_t n = 0;
        err = sk_zip_stream_read(s, buf, sizeof buf, &n, d);
        if (err != SK_OK || n == 0)
            break;
        *total += n;
    }
    sk_zip_stream_close(s);
    return err;
}

/* A deflated bomb stops on the ratio limit soon after the first mebibyte,
 * counted on the compressed bytes consumed so far (before, the ratio was
 * taken against the entry's whole compressed size and a bomb of C bytes
 * inflated to 100*C, up to the 256 MiB entry limit). */
static void test_ratio_counted_while_inflating(void **state)
{
    (void)state;
    size_t big = 64u << 20;
    char *a = malloc(big);
    assert_non_null(a);
    memset(a, 'a', big);
    one_entry_zip(tpath("bomb.zip"), "x.xml", a, big);
    free(a);
    sk_limits lim;
    sk_limits_default(&lim);
    sk_zip *z = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(tpath("bomb.zip"), &lim, &z, &d), SK_OK);
    uint64_t total = 0;
    assert_int_equal(drain(z, "x.xml", &total, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "times its compressed size (limit --max-ratio)"));
    assert_true(total <= (2u << 20));
    sk_zip_close(z);

    /* with the ratio check off, the whole entry comes out intact */
    lim.ratio = UINT32_MAX;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(tpath("bomb.zip"), &lim, &z, &d), SK_OK);
    assert_int_equal(drain(z, "x.xml", &total, &d), SK_OK);
    assert_int_equal(total, big);
    sk_zip_close(z);
}

/* Deflated entries are inflated by sechk: their CRC, a cut-short stream and
 * invalid deflate data are damage, reported with the entry's name. */
static void test_deflate_damage(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *reason;
    } cases[] = {
        {"tests/corpus/bad/bad-crc-deflated.xlsx", "fails its CRC check (CRC-32 "},
        {"tests/corpus/bad/deflate-cut.xlsx", "is cut short"},
        {"tests/corpus/bad/deflate-garbage.xlsx", "holds invalid deflate data"},
        {"tests/corpus/bad/bad-crc-stored.xlsx", "fails its CRC check (libzip: "},
    };
    sk_limits lim;
    sk_limits_default(&lim);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_zip *z = NULL;
        sk_diag d;
        sk_diag_clear(&d);
        assert_int_equal(sk_zip_open(cases[k].file, &lim, &z, &d), SK_OK);
        uint64_t total;
        assert_int_equal(drain(z, "xl/worksheets/sheet1.xml", &total, &d), SK_ERR_ZIP);
        assert_non_null(strstr(d.reason, cases[k].reason));
        assert_string_equal(d.where, "xl/worksheets/sheet1.xml");
        sk_zip_close(z);
    }
}

/* Reads a one-part zip's XML to the end; returns the first error. */
static sk_error read_xml(const char *xml, sk_diag *d)
{
    one_entry_zip(tpath("x.zip"), "x.xml", xml, strlen(xml));
    sk_limits lim;
    sk_limits_default(&lim);
    sk_zip *z = NULL;
    sk_diag_clear(d);
    assert_int_equal(sk_zip_open(tpath("x.zip"), &lim, &z, d), SK_OK);
    size_t i;
    assert_true(sk_zip_find(z, "x.xml", &i));
    sk_xml *x = NULL;
    sk_error err = sk_xml_open(z, i, "x.xml", &x, d);
    while (err == SK_OK) {
        sk_xml_event ev;
        err = sk_xml_next(x, &ev, d);
        if (ev == SK_XML_EOF)
            break;
    }
    sk_xml_close(x);
    sk_zip_close(z);
    return err;
}

/* An element with n attributes, with '=' inside values, comments and CDATA
 * that must not count. */
static char *element_with(int n)
{
    size_t cap = (size_t)n * 24 + 256;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t o = (size_t)snprintf(s, cap, "<?xml version=\"1.0\"?><!-- a=b c=d --><r");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, " a%d=\"=x='=\"", i);
    snprintf(s + o, cap - o, "><![CDATA[<y a=1 b=2>]]><?pi a=b?>t</r>");
    return s;
}

/* libxml2 2.9 takes quadratic time on attributes: more than 256 on one
 * element is refused before it parses them (200,000 took minutes). */
static void test_attribute_cap(void **state)
{
    (void)state;
    sk_diag d;
    char *ok = element_with(256), *bad = element_with(257);
    assert_int_equal(read_xml(ok, &d), SK_OK);
    assert_int_equal(read_xml(bad, &d), SK_ERR_LIMIT);
    assert_string_equal(d.where, "x.xml");
    assert_non_null(strstr(d.reason, "more than 256 attributes"));
    free(ok);
    free(bad);
}

/* Namespace declarations in scope are capped at 256 (libxml2 2.9 searches
 * them linearly for every element); those of closed or empty elements no
 * longer count, so many sibling <ext xmlns:x14="..."> pass. */
static void test_namespace_cap(void **state)
{
    (void)state;
    sk_diag d;
    size_t cap = 64 * 1024;
    char *s = malloc(cap);
    assert_non_null(s);
    /* 2 nested elements with 128 declarations each: 256 in scope */
    size_t o = (size_t)snprintf(s, cap, "<r xmlns=\"urn:r\"");
    for (int i = 0; i < 127; i++)
        o += (size_t)snprintf(s + o, cap - o, " xmlns:a%d=\"urn:a\"", i);
    o += (size_t)snprintf(s + o, cap - o, "><e");
    for (int i = 0; i < 128; i++)
        o += (size_t)snprintf(s + o, cap - o, " xmlns:b%d = 'urn:b'", i);
    snprintf(s + o, cap - o, "><x/></e></r>");
    assert_int_equal(read_xml(s, &d), SK_OK);
    /* one more on the inner element: 257 */
    char *inner = strstr(s, "><x/>");
    memmove(inner + 16, inner, strlen(inner) + 1);
    memcpy(inner, " xmlns:c='urn:c'", 16);
    assert_int_equal(read_xml(s, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "more than 256 XML namespace declarations in scope"));
    /* 1,000 siblings declaring one each, and empty elements: fine */
    o = (size_t)snprintf(s, cap, "<r xmlns=\"urn:r\" xmlnsfoo=\"1\">");
    for (int i = 0; i < 1000; i++)
        o += (size_t)snprintf(s + o, cap - o, i % 2 ? "<e xmlns:x=\"u\"></e>" : "<e xmlns:y=\"u\"/>");
    snprintf(s + o, cap - o, "</r>");
    assert_int_equal(read_xml(s, &d), SK_OK);
    free(s);
}

/* libxml2's messages stay on one line, and its fixed limits are named as
 * limits, without its advice to set XML_PARSE_HUGE. */
static void test_libxml2_messages(void **state)
{
    (void)state;
    sk_diag d;
    assert_int_equal(read_xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>\xff\xfe</r>", &d), SK_ERR_XML);
    assert_null(strchr(d.reason, '\n'));
    assert_non_null(strstr(d.reason, "UTF-8"));

    size_t n = 300;
    char *deep = calloc(n * 7 + 64, 1);
    assert_non_null(deep);
    for (size_t i = 0; i < n; i++)
        strcat(deep, "<a>");
    for (size_t i = 0; i < n; i++)
        strcat(deep, "</a>");
    assert_int_equal(read_xml(deep, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "nested deeper than 256 levels"));
    assert_null(strstr(d.reason, "XML_PARSE_HUGE"));
    free(deep);
}

/* Cells without a value count against the cells limit too, so a sheet of
 * millions of empty cells is refused while it is read. */
static void test_empty_cells_count(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    sk_limits lim;
    sk_limits_default(&lim);
    lim.cells = 10;
    sk_answers *a = NULL;
    /* formula-only.xlsx has 196 cells, none with a value */
    assert_int_equal(sk_extract_file("tests/corpus/bad/formula-only.xlsx", t, &lim, &a, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason, "the sheet has more than 10 cells (limit --max-cells)");
    assert_null(a);
    sk_template_free(t);
}

/* A shared-string index beyond the shared strings is an error naming the
 * cell (it used to read as an empty cell), also with no shared strings. */
static void test_string_index_out_of_range(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    sk_limits lim;
    sk_limits_default(&lim);
    sk_answers *a = NULL;
    sk_diag_clear(&d);
    assert_int_equal(sk_extract_file("tests/corpus/bad/sst-index-out-of-range.xlsx", t, &lim, &a, &d), SK_ERR_XML);
    assert_string_equal(d.where, "チェックリスト!C2");
    assert_string_equal(d.reason, "shared string index 999 is out of range (the workbook has 7)");
    /* an index no workbook within the limits can have is refused while the
     * sheet is read (the locator's bitmap of wanted strings is sized by
     * the largest index) */
    sk_diag_clear(&d);
    assert_int_equal(sk_extract_file("tests/corpus/bad/sst-index-huge.xlsx", t, &lim, &a, &d), SK_ERR_LIMIT);
    assert_string_equal(d.where, "チェックリスト!C2");
    assert_string_equal(d.reason, "the shared string index 4000000000 is beyond the 5000000 shared "
                                  "strings allowed (limit --max-strings)");
    sk_diag_clear(&d);
    assert_int_equal(sk_extract_file("tests/corpus/bad/no-sst-part.xlsx", t, &lim, &a, &d), SK_ERR_XML);
    assert_non_null(strstr(d.reason, "is out of range (the workbook has 0)"));
    assert_null(a);
    sk_template_free(t);
}

/* A cell with more checkbox characters than any template cell could hold
 * is refused: each extra one became an option entry and a finding, and one
 * 870 KB string of them shared by the 72 answer cells took 4 GB of memory
 * and wrote 600 MB of JSON. */
static void test_marker_cap(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    sk_limits lim;
    sk_limits_default(&lim);
    sk_answers *a = NULL;
    sk_diag_clear(&d);
    assert_int_equal(sk_extract_file("tests/corpus/bad/markers-257.xlsx", t, &lim, &a, &d), SK_ERR_LIMIT);
    assert_string_equal(d.where, "チェックリスト!C2");
    assert_non_null(strstr(d.reason, "more than 256 checkbox characters"));
    assert_null(a);
    sk_template_free(t);
}

/* An output path that exists and is not a regular file is refused: the
 * rename would replace a device or FIFO node itself. */
static void test_output_not_regular(void **state)
{
    (void)state;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_out_check("/dev/null", NULL, 0, &d), SK_ERR_USAGE);
    assert_non_null(strstr(d.reason, "not a regular file"));
    assert_int_equal(mkfifo(tpath("fifo"), 0600), 0);
    sk_diag_clear(&d);
    assert_int_equal(sk_out_check(tpath("fifo"), NULL, 0, &d), SK_ERR_USAGE);
    sk_diag_clear(&d);
    assert_int_equal(sk_out_check(tpath("new.json"), NULL, 0, &d), SK_OK);
}

/* Removes the temporary folder's files and the folder. */
static void cleanup(void)
{
    static const char *names[] = {"bomb.zip", "x.zip", "fifo"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(tpath(names[i]));
    rmdir(tmpdir);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_counted_while_inflating),
        cmocka_unit_test(test_deflate_damage),
        cmocka_unit_test(test_attribute_cap),
        cmocka_unit_test(test_namespace_cap),
        cmocka_unit_test(test_libxml2_messages),
        cmocka_unit_test(test_empty_cells_count),
        cmocka_unit_test(test_string_index_out_of_range),
        cmocka_unit_test(test_marker_cap),
        cmocka_unit_test(test_output_not_regular),
    };
    int rc = cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
    cleanup();
    return rc;
}
