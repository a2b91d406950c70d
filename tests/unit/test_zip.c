/* Unit tests for the zip layer (src/read/zip.c): what a file is, entry
 * checks, bounded reads.  Zips are built here, with libzip's writing API or
 * byte by byte for the hostile ones, so no fixtures are needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../../src/read/zip.h"
#include "sechk/limits.h"
#include "sechk/sha256.h"

static char tmpdir[] = "/tmp/sechk-test-zip-XXXXXX";

/* Makes a path inside the test's temporary folder (static storage, rotating). */
static const char *tpath(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

/* Writes bytes to a file. */
static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* One entry for make_zip: data is NUL-terminated unless len is given. */
typedef struct part {
    const char *name;
    const char *data;
    size_t len;
    bool store; /* stored instead of deflated */
} part;

/* Builds a zip with libzip's writing API. */
static void make_zip(const char *path, const part *parts, size_t n)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *src = zip_source_buffer(za, parts[i].data, len, 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        int m = parts[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, m, 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
}

/* CRC-32 (IEEE) for the hand-made zips. */
static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

/* Appends a little-endian value of n bytes. */
static void put(unsigned char **p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        *(*p)++ = (unsigned char)(v >> (8 * i));
}

/* A stored file for write_raw_zip. */
typedef struct raw_file {
    const char *name;
    const char *data;
    uint16_t flags;
    uint16_t method;
} raw_file;

/* Writes a zip by hand: each file's local header and data, then a central
 * directory with one record per cd_of[i] (an index into files, so that two
 * records may share one file's data) named cd_names[i].  csize_extra makes
 * every record claim that many more compressed bytes. */
static void write_raw_zip(const char *path, const raw_file *f, size_t nf, const int *cd_of,
                          const char *const *cd_names, size_t ncd, uint32_t csize_extra)
{
    static unsigned char buf[8192];
    unsigned char *p = buf;
    uint32_t offs[8];
    for (size_t i = 0; i < nf; i++) {
        size_t nl = strlen(f[i].name), dl = strlen(f[i].data);
        offs[i] = (uint32_t)(p - buf);
        put(&p, 0x04034b50, 4);
        put(&p, 20, 2);
        put(&p, f[i].flags, 2);
        put(&p, f[i].method, 2);
        put(&p, 0, 4);
        put(&p, crc32_of(f[i].data, dl), 4);
        put(&p, dl, 4);
        put(&p, dl, 4);
        put(&p, nl, 2);
        put(&p, 0, 2);
        memcpy(p, f[i].name, nl);
        p += nl;
        memcpy(p, f[i].data, dl);
        p += dl;
    }
    uint32_t cd = (uint32_t)(p - buf);
    for (size_t i = 0; i < ncd; i++) {
        const raw_file *r = &f[cd_of[i]];
        size_t nl = strlen(cd_names[i]), dl = strlen(r->data);
        put(&p, 0x02014b50, 4);
        put(&p, 20, 2);
        put(&p, 20, 2);
        put(&p, r->flags, 2);
        put(&p, r->method, 2);
        put(&p, 0, 4);
        put(&p, crc32_of(r->data, dl), 4);
        put(&p, dl + csize_extra, 4);
        put(&p, dl, 4);
        put(&p, nl, 2);
        put(&p, 0, 2);
        put(&p, 0, 2);
        put(&p, 0, 2);
        put(&p, 0, 2);
        put(&p, 0, 4);
        put(&p, offs[cd_of[i]], 4);
        memcpy(p, cd_names[i], nl);
        p += nl;
    }
    uint32_t cdsize = (uint32_t)(p - buf) - cd;
    put(&p, 0x06054b50, 4);
    put(&p, 0, 2);
    put(&p, 0, 2);
    put(&p, ncd, 2);
    put(&p, ncd, 2);
    put(&p, cdsize, 4);
    put(&p, cd, 4);
    put(&p, 0, 2);
    write_file(path, buf, (size_t)(p - buf));
}

/* Opens path with the default limits (or lim) and returns the error. */
static sk_error try_open(const char *path, const sk_limits *lim, sk_diag *d)
{
    sk_limits def;
    sk_zip *z = NULL;
    sk_limits_default(&def);
    sk_diag_clear(d);
    sk_error err = sk_zip_open(path, lim ? lim : &def, &z, d);
    if (err == SK_OK)
        assert_non_null(z);
    else
        assert_null(z);
    sk_zip_close(z);
    return err;
}

/* Reads the whole entry name from z into out (a new string); returns the error. */
static sk_error read_entry(sk_zip *z, const char *name, char **out, sk_diag *d)
{
    size_t i, n, len = 0;
    sk_zip_stream *s = NULL;
    char *buf = NULL;
    *out = NULL;
    assert_true(sk_zip_find(z, name, &i));
    sk_error err = sk_zip_stream_open(z, i, &s, d);
    while (err == SK_OK) {
        char *nb = realloc(buf, len + 4096 + 1);
        assert_non_null(nb);
        buf = nb;
        err = sk_zip_stream_read(s, buf + len, 4096, &n, d);
        if (err != SK_OK || n == 0)
            break;
        len += n;
    }
    sk_zip_stream_close(s);
    if (err == SK_OK) {
        buf[len] = '\0';
        *out = buf;
    } else {
        free(buf);
    }
    return err;
}

/* Creates the temporary folder. */
static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes one file or folder (nftw callback). */
static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Removes the temporary folder. */
static int teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A plain zip opens; names are found ignoring case; entries read back whole;
 * the hash is the file's SHA-256. */
static void test_open_and_read(void **state)
{
    (void)state;
    const char *p = tpath("ok.zip");
    part parts[] = {{"xl/workbook.xml", "<workbook/>", 0, false},
                    {"docProps/app.xml", "stored text", 0, true}};
    make_zip(p, parts, 2);
    sk_limits lim;
    sk_limits_default(&lim);
    sk_zip *z = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(sk_zip_count(z), 2);
    size_t i;
    assert_true(sk_zip_find(z, "XL/Workbook.XML", &i));
    assert_string_equal(sk_zip_name(z, i), "xl/workbook.xml");
    assert_false(sk_zip_find(z, "xl/workbook.xm", &i));
    char *text;
    assert_int_equal(read_entry(z, "xl/workbook.xml", &text, &d), SK_OK);
    assert_string_equal(text, "<workbook/>");
    free(text);
    assert_int_equal(read_entry(z, "docprops/APP.xml", &text, &d), SK_OK);
    assert_string_equal(text, "stored text");
    free(text);

    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t dg[SK_SHA256_LEN];
    char hex[SK_SHA256_HEX_LEN];
    sk_sha256_digest(buf, n, dg);
    sk_sha256_hex(dg, hex);
    assert_string_equal(sk_zip_sha256(z), hex);
    sk_zip_close(z);
}

/* An empty file, a text file, a CFB container, an empty zip: SK_ERR_FORMAT
 * with a reason naming what the file is. */
static void test_sniff(void **state)
{
    (void)state;
    sk_diag d;
    write_file(tpath("empty.xlsx"), "", 0);
    assert_int_equal(try_open(tpath("empty.xlsx"), NULL, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "empty file");

    write_file(tpath("text.xlsx"), "No.,requirement\n1,ok\n", 21);
    assert_int_equal(try_open(tpath("text.xlsx"), NULL, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "not a zip file (not an .xlsx workbook)");

    write_file(tpath("short.xlsx"), "PK", 2);
    assert_int_equal(try_open(tpath("short.xlsx"), NULL, &d), SK_ERR_FORMAT);

    static const unsigned char cfb[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0};
    write_file(tpath("enc.xlsx"), cfb, sizeof cfb);
    assert_int_equal(try_open(tpath("enc.xlsx"), NULL, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "damaged OLE/CFB container"));

    static const unsigned char empty_zip[22] = {'P', 'K', 5, 6};
    write_file(tpath("emptyzip.xlsx"), empty_zip, sizeof empty_zip);
    assert_int_equal(try_open(tpath("emptyzip.xlsx"), NULL, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "empty zip"));
}

/* An OpenDocument spreadsheet is named as such. */
static void test_ods(void **state)
{
    (void)state;
    sk_diag d;
    part parts[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, true},
                    {"content.xml", "<office:document-content/>", 0, false}};
    make_zip(tpath("sheet.ods"), parts, 2);
    assert_int_equal(try_open(tpath("sheet.ods"), NULL, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "OpenDocument スプレッドシート（.ods）"));

    part text[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, true}};
    make_zip(tpath("doc.odt"), text, 1);
    assert_int_equal(try_open(tpath("doc.odt"), NULL, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "OpenDocument file"));

    part other[] = {{"mimetype", "text/plain", 0, true}};
    make_zip(tpath("other.zip"), other, 1);
    assert_int_equal(try_open(tpath("other.zip"), NULL, &d), SK_OK);
}

/* Directories, FIFOs, devices and missing files are refused with a reason. */
static void test_not_regular(void **state)
{
    (void)state;
    sk_diag d;
    assert_int_equal(try_open(tmpdir, NULL, &d), SK_ERR_IO);
    assert_string_equal(d.reason, "is a directory, not a file");

    assert_int_equal(mkfifo(tpath("fifo.xlsx"), 0600), 0);
    assert_int_equal(try_open(tpath("fifo.xlsx"), NULL, &d), SK_ERR_IO);
    assert_non_null(strstr(d.reason, "FIFO"));

    assert_int_equal(try_open("/dev/zero", NULL, &d), SK_ERR_IO);
    assert_non_null(strstr(d.reason, "character device"));

    assert_int_equal(try_open(tpath("missing.xlsx"), NULL, &d), SK_ERR_IO);
    assert_non_null(strstr(d.reason, "No such file"));
}

/* The file size and entry count limits name their options. */
static void test_file_and_entry_limits(void **state)
{
    (void)state;
    sk_diag d;
    sk_limits lim;
    part parts[] = {{"a.xml", "<a/>", 0, false}, {"b.xml", "<b/>", 0, false}, {"c.xml", "<c/>", 0, false}};
    make_zip(tpath("three.zip"), parts, 3);

    sk_limits_default(&lim);
    lim.entries = 2;
    assert_int_equal(try_open(tpath("three.zip"), &lim, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "--max-entries"));
    lim.entries = 3;
    assert_int_equal(try_open(tpath("three.zip"), &lim, &d), SK_OK);

    sk_limits_default(&lim);
    lim.file_bytes = 100;
    assert_int_equal(try_open(tpath("three.zip"), &lim, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "--max-file-bytes"));
}

/* Names that differ only in ASCII case are refused. */
static void test_case_collision(void **state)
{
    (void)state;
    sk_diag d;
    part parts[] = {{"xl/workbook.xml", "<workbook/>", 0, false},
                    {"xl/Workbook.xml", "<workbook/>", 0, false}};
    make_zip(tpath("case.zip"), parts, 2);
    assert_int_equal(try_open(tpath("case.zip"), NULL, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "differ only in letter case"));
}

/* Absolute names and ".." segments are refused as hostile. */
static void test_unsafe_names(void **state)
{
    (void)state;
    sk_diag d;
    static const char *const bad[] = {"../evil.xml", "/etc/passwd", "xl/../../x.xml",
                                      "C:/x.xml", "xl\\..\\x.xml"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        raw_file f[] = {{bad[i], "data", 0, 0}};
        int of[] = {0};
        write_raw_zip(tpath("unsafe.zip"), f, 1, of, &bad[i], 1, 0);
        assert_int_equal(try_open(tpath("unsafe.zip"), NULL, &d), SK_ERR_ZIP);
        assert_non_null(strstr(d.reason, "absolute path or contains \"..\""));
    }
    /* ".." inside a name is fine */
    const char *ok = "xl/a..b.xml";
    raw_file f[] = {{ok, "data", 0, 0}};
    int of[] = {0};
    write_raw_zip(tpath("dots.zip"), f, 1, of, &ok, 1, 0);
    assert_int_equal(try_open(tpath("dots.zip"), NULL, &d), SK_OK);
}

/* Encrypted entries and methods other than store/deflate are refused. */
static void test_encryption_and_method(void **state)
{
    (void)state;
    sk_diag d;
    const char *name = "xl/workbook.xml";
    int of[] = {0};
    raw_file enc[] = {{name, "data", 1, 0}};
    write_raw_zip(tpath("enc.zip"), enc, 1, of, &name, 1, 0);
    assert_int_equal(try_open(tpath("enc.zip"), NULL, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "is encrypted"));
    assert_string_equal(d.where, name);

    raw_file bz[] = {{name, "data", 0, 12}};
    write_raw_zip(tpath("bzip2.zip"), bz, 1, of, &name, 1, 0);
    assert_int_equal(try_open(tpath("bzip2.zip"), NULL, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "compression method 12"));

    raw_file plain[] = {{name, "data", 0, 0}};
    write_raw_zip(tpath("plain.zip"), plain, 1, of, &name, 1, 0);
    assert_int_equal(try_open(tpath("plain.zip"), NULL, &d), SK_OK);
}

/* Two central directory records sharing one local file (a Fifield-style
 * overlapping bomb), and a record claiming data past the central directory. */
static void test_overlap_and_span(void **state)
{
    (void)state;
    sk_diag d;
    raw_file f[] = {{"a.xml", "<a/>", 0, 0}};
    const char *names[] = {"a.xml", "b.xml"};
    int of[] = {0, 0};
    write_raw_zip(tpath("overlap.zip"), f, 1, of, names, 2, 0);
    assert_int_equal(try_open(tpath("overlap.zip"), NULL, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "overlap"));

    write_raw_zip(tpath("span.zip"), f, 1, of, names, 1, 1000);
    assert_int_equal(try_open(tpath("span.zip"), NULL, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "beyond the data area"));
}

/* A truncated zip and a damaged central directory are SK_ERR_ZIP. */
static void test_truncated(void **state)
{
    (void)state;
    sk_diag d;
    part parts[] = {{"xl/workbook.xml", "<workbook>lots of text lots of text</workbook>", 0, false}};
    make_zip(tpath("full.zip"), parts, 1);
    FILE *f = fopen(tpath("full.zip"), "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    write_file(tpath("cut.zip"), buf, n - 10);
    assert_int_equal(try_open(tpath("cut.zip"), NULL, &d), SK_ERR_ZIP);
    write_file(tpath("cut2.zip"), buf, 40);
    assert_int_equal(try_open(tpath("cut2.zip"), NULL, &d), SK_ERR_ZIP);
}

/* A changed byte in a stored entry's data is a CRC error at the end of
 * the read: a damaged file. */
static void test_crc_error(void **state)
{
    (void)state;
    const char *p = tpath("crc.zip");
    part parts[] = {{"xl/sharedStrings.xml", "<sst>UNIQUE-MARKER-TEXT</sst>", 0, true}};
    make_zip(p, parts, 1);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char *hit = memmem(buf, n, "UNIQUE-MARKER", 13);
    assert_non_null(hit);
    hit[0] = 'X';
    write_file(p, buf, n);

    sk_limits lim;
    sk_limits_default(&lim);
    sk_zip *z = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    char *text = NULL;
    assert_int_equal(read_entry(z, "xl/sharedStrings.xml", &text, &d), SK_ERR_ZIP);
    assert_null(text);
    assert_non_null(strstr(d.reason, "CRC"));
    assert_non_null(strstr(d.reason, "libzip:"));
    sk_zip_close(z);
}

/* The per-entry, total and ratio limits stop a read on the bytes actually
 * inflated. */
static void test_read_limits(void **state)
{
    (void)state;
    const char *p = tpath("big.zip");
    size_t big = 2u << 20;
    char *zeros = calloc(1, big + 1);
    assert_non_null(zeros);
    memset(zeros, 'a', big);
    part parts[] = {{"small.xml", "0123456789012345678901234567890123456789", 0, false},
                    {"zeros.xml", zeros, big, false}};
    make_zip(p, parts, 2);
    free(zeros);

    sk_limits lim;
    sk_zip *z = NULL;
    sk_diag d;
    char *text = NULL;

    sk_limits_default(&lim);
    lim.entry_bytes = 16;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(read_entry(z, "small.xml", &text, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason,
                        "zip entry small.xml inflates beyond 16 bytes (limit --max-entry-bytes)");
    assert_string_equal(d.where, "small.xml");
    sk_zip_close(z);

    sk_limits_default(&lim);
    lim.entry_bytes = 40;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(read_entry(z, "small.xml", &text, &d), SK_OK);
    free(text);
    sk_zip_close(z);

    sk_limits_default(&lim);
    lim.total_bytes = 60;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(read_entry(z, "small.xml", &text, &d), SK_OK);
    free(text);
    assert_int_equal(read_entry(z, "small.xml", &text, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "--max-total-bytes"));
    sk_zip_close(z);

    /* 2 MiB of one letter deflates about 1000:1 */
    sk_limits_default(&lim);
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(read_entry(z, "zeros.xml", &text, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "times its compressed size (limit --max-ratio)"));
    sk_zip_close(z);

    sk_limits_default(&lim);
    lim.ratio = 5000;
    sk_diag_clear(&d);
    assert_int_equal(sk_zip_open(p, &lim, &z, &d), SK_OK);
    assert_int_equal(read_entry(z, "zeros.xml", &text, &d), SK_OK);
    assert_int_equal(strlen(text), big);
    free(text);
    sk_zip_close(z);
}

/* Names in messages are made printable and short. */
static void test_quote_name(void **state)
{
    (void)state;
    char out[16];
    sk_zip_quote_name("a\x01" "b", out, sizeof out);
    assert_string_equal(out, "a?b");
    sk_zip_quote_name("xl/worksheets/sheet1.xml", out, sizeof out);
    assert_string_equal(out, "xl/worksheet...");
    sk_zip_quote_name("表紙", out, sizeof out);
    assert_string_equal(out, "表紙");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_and_read),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_ods),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_file_and_entry_limits),
        cmocka_unit_test(test_case_collision),
        cmocka_unit_test(test_unsafe_names),
        cmocka_unit_test(test_encryption_and_method),
        cmocka_unit_test(test_overlap_and_span),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_crc_error),
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_quote_name),
    };
    return cmocka_run_group_tests_name("zip", tests, setup, teardown);
}
