/* Unit tests for reading workbooks (src/read/book.c, with xml.c and zip.c
 * underneath).  Each test builds its .xlsx in a temporary folder with
 * libzip's writing API, from the parts below, so no fixtures are needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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

#include "sechk/book.h"
#include "sechk/limits.h"
#include "sechk/sha256.h"

static char tmpdir[] = "/tmp/sechk-test-book-XXXXXX";

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char content_types[] =
    XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

static const char root_rels[] =
    XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" Target=\"xl/workbook.xml\"/>"
             "</Relationships>";

/* A cover sheet, the checklist, a hidden sheet in the x: prefix style, and a
 * chartsheet that is not listed among the worksheets. */
static const char workbook[] =
    XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">"
             "<workbookPr/><bookViews><workbookView/></bookViews><sheets>"
             "<sheet name=\"表紙\" sheetId=\"1\" r:id=\"rId1\"/>"
             "<sheet name=\"チェックリスト\" sheetId=\"2\" r:id=\"rId2\"/>"
             "<sheet name=\"Chart1\" sheetId=\"4\" r:id=\"rId9\"/>"
             "<sheet name=\"隠し\" sheetId=\"3\" state=\"hidden\" r:id=\"rId3\"/>"
             "</sheets></workbook>";

static const char workbook_rels[] =
    XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"" NS_R "/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"" NS_R "/worksheet\" Target=\"./worksheets/../worksheets/Sheet3.xml\"/>"
             "<Relationship Id=\"rId9\" Type=\"" NS_R "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
             "<Relationship Id=\"rId4\" Type=\"" NS_R "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
             "<Relationship Id=\"rId5\" Type=\"" NS_R "/hyperlink\" Target=\"https://example.com/\" TargetMode=\"External\"/>"
             "</Relationships>";

/* Index: 0 plain, 1 rich runs, 2 with phonetic runs, 3 _x000D_, 4 _x005F_,
 * 5 white space kept, 6 empty, 7 a surrogate pair and a literal lone one. */
static const char shared_strings[] =
    XML_DECL "<sst xmlns=\"" NS_MAIN "\" count=\"8\" uniqueCount=\"8\">"
             "<si><t>No.</t></si>"
             "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>■ 適合</t></r>"
             "<r><t xml:space=\"preserve\"> □ 不適合</t></r></si>"
             "<si><t>外部サービス</t><rPh sb=\"0\" eb=\"2\"><t>ガイブ</t></rPh>"
             "<phoneticPr fontId=\"1\" type=\"noConversion\"/></si>"
             "<si><t>line1_x000D_\nline2</t></si>"
             "<si><t>_x005F_x000D_ is literal, _x005f_ too, _X000D_ and _x00G1_ stay</t></si>"
             "<si><t xml:space=\"preserve\">  spaced\t </t></si>"
             "<si><t/></si>"
             "<si><t>_xD83D__xDE00_ _xD800_</t></si>"
             "</sst>";

static const char sheet_cover[] =
    XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
             "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>表紙</t></is></c></row>"
             "</sheetData></worksheet>";

/* Every cell type; cells and rows without r; a valueless styled cell; a
 * formula; rich and phonetic inline runs; an out-of-range shared index;
 * merged ranges. */
static const char sheet_main[] =
    XML_DECL "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">"
             "<dimension ref=\"A1:F6\"/><sheetData>"
             "<row r=\"1\" spans=\"1:2\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
             "<row r=\"2\"><c r=\"A2\"><v>1</v></c>"
             "<c r=\"B2\" t=\"inlineStr\"><is><t>inline</t></is></c>"
             "<c r=\"C2\" t=\"str\"><f>\"a\"&amp;\"b_x000D_\"</f><v>ab_x000D_</v></c>"
             "<c r=\"D2\" t=\"b\"><v>1</v></c>"
             "<c r=\"E2\" t=\"e\"><v>#N/A</v></c></row>"
             "<row><c><v>3.5</v></c><c t=\"s\"><v> 2 </v></c><c r=\"E3\" s=\"1\"/><c><v>7</v></c></row>"
             "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><r><t>rich </t></r><r><rPr><b/></rPr>"
             "<t>inline</t></r><rPh sb=\"0\" eb=\"1\"><t>ふり</t></rPh></is></c></row>"
             "<row><c r=\"C6\" t=\"s\"><v>99</v></c><c r=\"D6\" t=\"str\"><v></v></c></row>"
             "</sheetData>"
             "<mergeCells count=\"3\"><mergeCell ref=\"A1:D2\"/><mergeCell ref=\"E5\"/>"
             "<mergeCell ref=\"$F$9:B7\"/></mergeCells>"
             "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
             "</worksheet>";

/* The x: prefix style of some generators, cells out of order, a duplicate. */
static const char sheet_hidden[] =
    XML_DECL "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
             "<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>"
             "<x:row r=\"1\"><x:c r=\"B1\"><x:v>1</x:v></x:c><x:c r=\"A1\"><x:v>2</x:v></x:c>"
             "<x:c r=\"B1\"><x:v>3</x:v></x:c></x:row>"
             "</x:sheetData></x:worksheet>";

/* One part of a test workbook; data NULL leaves the part out. */
typedef struct part {
    const char *name;
    const char *data;
} part;

static const part base_parts[] = {
    {"[Content_Types].xml", content_types},
    {"_rels/.rels", root_rels},
    {"xl/workbook.xml", workbook},
    {"xl/_rels/workbook.xml.rels", workbook_rels},
    {"xl/sharedStrings.xml", shared_strings},
    {"xl/worksheets/sheet1.xml", sheet_cover},
    {"xl/worksheets/sheet2.xml", sheet_main},
    {"xl/worksheets/sheet3.xml", sheet_hidden},
};

/* Makes a path inside the test's temporary folder. */
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

/* Adds one deflated entry. */
static void add_entry(zip_t *za, const char *name, const char *data)
{
    zip_source_t *src = zip_source_buffer(za, data, strlen(data), 0);
    assert_non_null(src);
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    assert_true(idx >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0), 0);
}

/* Builds the base workbook at path with parts replaced, removed (data NULL)
 * or added by over. */
static void make_book(const char *path, const part *over, size_t n_over)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (size_t i = 0; i < sizeof base_parts / sizeof base_parts[0]; i++) {
        const char *data = base_parts[i].data;
        for (size_t k = 0; k < n_over; k++)
            if (strcmp(over[k].name, base_parts[i].name) == 0)
                data = over[k].data;
        if (data)
            add_entry(za, base_parts[i].name, data);
    }
    for (size_t k = 0; k < n_over; k++) {
        bool in_base = false;
        for (size_t i = 0; i < sizeof base_parts / sizeof base_parts[0]; i++)
            in_base = in_base || strcmp(over[k].name, base_parts[i].name) == 0;
        if (!in_base && over[k].data)
            add_entry(za, over[k].name, over[k].data);
    }
    assert_int_equal(zip_close(za), 0);
}

/* Opens path with lim (the defaults if NULL). */
static sk_error open_book(const char *path, const sk_limits *lim, sk_book **b, sk_diag *d)
{
    sk_limits def;
    sk_limits_default(&def);
    return sk_book_open(path, lim ? lim : &def, b, d);
}

/* Builds a workbook whose sheet2 is sheet and reads that sheet. */
static sk_error read_custom_sheet(const char *sheet, const sk_limits *lim, sk_diag *d)
{
    part over[] = {{"xl/worksheets/sheet2.xml", sheet}};
    const char *p = tpath("custom.xlsx");
    make_book(p, over, 1);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_error err = open_book(p, lim, &b, d);
    if (err == SK_OK)
        err = sk_book_read_sheet(b, 1, &s, d);
    sk_sheet_free(s);
    sk_book_close(b);
    return err;
}

/* Builds a workbook whose sharedStrings.xml is sst and reads the strings. */
static sk_error read_custom_strings(const char *sst, const sk_limits *lim, sk_diag *d)
{
    part over[] = {{"xl/sharedStrings.xml", sst}};
    const char *p = tpath("strings.xlsx");
    make_book(p, over, 1);
    sk_book *b = NULL;
    sk_error err = open_book(p, lim, &b, d);
    if (err == SK_OK)
        err = sk_book_read_strings(b, NULL, NULL, d);
    sk_book_close(b);
    return err;
}

/* The text of the cell at ref, or NULL. */
static const char *text_at(const sk_book *b, const sk_sheet *s, const char *ref)
{
    uint32_t row, col;
    assert_int_equal(sk_ref_parse(ref, strlen(ref), &row, &col), SK_OK);
    return sk_cell_text(b, s, sk_sheet_cell(s, row, col), NULL);
}

/* The type of the cell at ref (SK_CELL_EMPTY if there is none). */
static uint32_t type_at(const sk_sheet *s, const char *ref)
{
    uint32_t row, col;
    assert_int_equal(sk_ref_parse(ref, strlen(ref), &row, &col), SK_OK);
    const sk_cell *c = sk_sheet_cell(s, row, col);
    return c ? c->type : SK_CELL_EMPTY;
}

/* Creates the temporary folder. */
static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes one file (nftw callback). */
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

/* ---- reading ---------------------------------------------------------- */

/* Worksheets in workbook order, the chartsheet skipped, the hidden flag,
 * the path and the file's SHA-256. */
static void test_open_sheets(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_sheet_count(b), 3);
    assert_string_equal(sk_book_sheet_name(b, 0), "表紙");
    assert_string_equal(sk_book_sheet_name(b, 1), "チェックリスト");
    assert_string_equal(sk_book_sheet_name(b, 2), "隠し");
    assert_null(sk_book_sheet_name(b, 3));
    assert_false(sk_book_sheet_hidden(b, 0));
    assert_false(sk_book_sheet_hidden(b, 1));
    assert_true(sk_book_sheet_hidden(b, 2));
    assert_string_equal(sk_book_path(b), p);

    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t dg[SK_SHA256_LEN];
    char hex[SK_SHA256_HEX_LEN];
    sk_sha256_digest(buf, n, dg);
    sk_sha256_hex(dg, hex);
    assert_string_equal(sk_book_sha256(b), hex);

    sk_sheet *s = NULL;
    assert_int_equal(sk_book_read_sheet(b, 0, &s, &d), SK_OK);
    assert_string_equal(s->name, "表紙");
    assert_string_equal(text_at(b, s, "A1"), "表紙");
    sk_sheet_free(s);
    assert_int_equal(sk_book_read_sheet(b, 3, &s, &d), SK_ERR_USAGE);
    assert_null(s);
    sk_book_close(b);
    sk_book_close(NULL);
}

/* Without _rels/.rels and [Content_Types].xml the workbook is found at
 * xl/workbook.xml; a workbook without sharedStrings reads no strings. */
static void test_optional_parts(void **state)
{
    (void)state;
    static const char rels_no_sst[] =
        XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rId1\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                 "<Relationship Id=\"rId2\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                 "<Relationship Id=\"rId3\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet3.xml\"/>"
                 "<Relationship Id=\"rId9\" Type=\"" NS_R "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
                 "</Relationships>";
    part over[] = {{"_rels/.rels", NULL},
                   {"[Content_Types].xml", NULL},
                   {"xl/sharedStrings.xml", NULL},
                   {"xl/_rels/workbook.xml.rels", rels_no_sst}};
    const char *p = tpath("minimal.xlsx");
    make_book(p, over, 4);
    sk_book *b = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_sheet_count(b), 3);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_OK);
    assert_int_equal(sk_book_string_count(b), 0);
    sk_sheet *s = NULL;
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_OK);
    assert_null(text_at(b, s, "A1")); /* a shared string, and there are none */
    assert_string_equal(text_at(b, s, "B2"), "inline");
    sk_sheet_free(s);
    sk_book_close(b);
}

/* Shared strings: rich runs concatenated, phonetic runs skipped, white
 * space kept, _xHHHH_ escapes decoded. */
static void test_shared_strings(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_OK);
    assert_int_equal(sk_book_string_count(b), 0);
    assert_null(text_at(b, s, "A1")); /* strings not read yet */
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_OK);
    assert_int_equal(sk_book_string_count(b), 8);

    size_t len = 0;
    uint32_t row, col;
    assert_int_equal(sk_ref_parse("B1", 2, &row, &col), SK_OK);
    const char *t = sk_cell_text(b, s, sk_sheet_cell(s, row, col), &len);
    assert_string_equal(t, "■ 適合 □ 不適合");
    assert_int_equal(len, strlen("■ 適合 □ 不適合"));
    assert_string_equal(text_at(b, s, "A1"), "No.");
    assert_string_equal(text_at(b, s, "B3"), "外部サービス");
    sk_sheet_free(s);

    /* the other strings through a filter that sees every one */
    sk_book_close(b);
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_OK);
    sk_cell c = {1, 1, SK_CELL_SHARED, 3, 0};
    sk_sheet empty = {0};
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL), "line1\r\nline2");
    c.v = 4;
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL),
                        "_x000D_ is literal, _ too, _X000D_ and _x00G1_ stay");
    c.v = 5;
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL), "  spaced\t ");
    c.v = 6;
    assert_string_equal(sk_cell_text(b, &empty, &c, &len), "");
    assert_int_equal(len, 0);
    c.v = 7;
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL), "\xF0\x9F\x98\x80 _xD800_");
    c.v = 8;
    assert_null(sk_cell_text(b, &empty, &c, &len));
    assert_int_equal(len, 0);
    sk_book_close(b);
}

/* Records the strings a filter is offered and keeps the even indexes. */
typedef struct filter_log {
    uint32_t seen[16];
    size_t n;
    uint32_t keep_mod;
    uint32_t keep_rem;
} filter_log;

/* A filter keeping indexes with index % keep_mod == keep_rem. */
static bool keep_some(uint32_t index, const char *text, size_t len, void *ctx)
{
    filter_log *log = ctx;
    assert_int_equal(strlen(text), len);
    if (log->n < 16)
        log->seen[log->n++] = index;
    return index % log->keep_mod == log->keep_rem;
}

/* The filter decides which strings are kept; a second call adds more and
 * earlier strings (and pointers to them) stay. */
static void test_string_filter(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    filter_log log = {.keep_mod = 2, .keep_rem = 0};
    assert_int_equal(sk_book_read_strings(b, keep_some, &log, &d), SK_OK);
    assert_int_equal(log.n, 8);
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(log.seen[i], i);
    sk_sheet empty = {0};
    sk_cell c = {1, 1, SK_CELL_SHARED, 0, 0};
    const char *no = sk_cell_text(b, &empty, &c, NULL);
    assert_string_equal(no, "No.");
    c.v = 1;
    assert_null(sk_cell_text(b, &empty, &c, NULL));
    c.v = 2;
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL), "外部サービス");

    filter_log log2 = {.keep_mod = 3, .keep_rem = 1};
    assert_int_equal(sk_book_read_strings(b, keep_some, &log2, &d), SK_OK);
    assert_int_equal(log2.n, 8);
    c.v = 0;
    assert_ptr_equal(sk_cell_text(b, &empty, &c, NULL), no);
    c.v = 1;
    assert_string_equal(sk_cell_text(b, &empty, &c, NULL), "■ 適合 □ 不適合");
    c.v = 3;
    assert_null(sk_cell_text(b, &empty, &c, NULL)); /* 3 % 2 != 0, 3 % 3 != 1 */
    c.v = 4;
    assert_non_null(sk_cell_text(b, &empty, &c, NULL));
    c.v = 7;
    assert_non_null(sk_cell_text(b, &empty, &c, NULL));
    sk_book_close(b);
}

/* Makes the base workbook, opens it with lim (NULL: the defaults) and, if s
 * is given, reads its checklist sheet. */
static sk_book *open_base(const sk_limits *lim, sk_sheet **s)
{
    const char *p = tpath("book.xlsx");
    sk_book *b = NULL;
    sk_diag d;
    make_book(p, NULL, 0);
    assert_int_equal(open_book(p, lim, &b, &d), SK_OK);
    if (s)
        assert_int_equal(sk_book_read_sheet(b, 1, s, &d), SK_OK);
    return b;
}

/* Keeps no string: a keep policy that missed everything. */
static bool keep_none(uint32_t index, const char *text, size_t len, void *ctx)
{
    (void)index;
    (void)text;
    (void)len;
    (void)ctx;
    return false;
}

/* A string no filter kept is never a silent blank for sk_cell_text_load: it
 * is read in one more pass (sk_cell_text, for locators, still says NULL); an
 * index beyond the strings is an error naming the cell, before any pass and
 * after one. */
static void test_text_load(void **state)
{
    (void)state;
    sk_sheet *s = NULL;
    sk_book *b = open_base(NULL, &s);
    sk_diag d;
    const char *t = NULL;
    size_t len = 99;
    const sk_cell *b1 = sk_sheet_cell(s, 1, 2), *c6 = sk_sheet_cell(s, 6, 3);
    assert_non_null(b1);
    assert_non_null(c6);
    assert_int_equal(sk_cell_text_load(b, s, c6, &t, &len, &d), SK_ERR_XML); /* 99: no pass yet */
    assert_int_equal(sk_book_read_strings(b, keep_none, NULL, &d), SK_OK);
    assert_null(sk_cell_text(b, s, b1, NULL));
    assert_int_equal(sk_cell_text_load(b, s, b1, &t, &len, &d), SK_OK);
    assert_string_equal(t, "■ 適合 □ 不適合");
    assert_int_equal(len, strlen(t));
    assert_ptr_equal(sk_cell_text(b, s, b1, NULL), t); /* kept now */
    assert_int_equal(sk_cell_text_load(b, s, c6, &t, &len, &d), SK_ERR_XML);
    assert_string_equal(d.reason, "shared string index 99 is out of range (the workbook has 8)");
    assert_string_equal(d.where, "チェックリスト!C6");
    assert_int_equal(sk_cell_text_load(b, s, NULL, &t, &len, &d), SK_OK);
    assert_null(t);
    assert_int_equal(len, 0);
    assert_int_equal(sk_cell_text_load(b, s, sk_sheet_cell(s, 2, 2), &t, &len, &d), SK_OK);
    assert_string_equal(t, "inline");
    sk_sheet_free(s);
    sk_book_close(b);
}

/* A keep test accepting the strings no marked cell names. */
static bool keep_unmarked(const char *text, size_t len, bool marked, void *ctx)
{
    (void)text;
    (void)len;
    (void)ctx;
    return !marked;
}

/* The reader's keep policy: marked cells' strings pass the test, the first
 * cells' are kept whole within the byte budget, unmarked ones only as the
 * scope says; sk_keep_done tells when a second pass is needed. */
static void test_keep_policy(void **state)
{
    (void)state;
    sk_sheet *s = NULL;
    sk_book *b = open_base(NULL, &s); /* its cells name strings 0, 1, 2 and 99 */
    sk_diag d;
    sk_keep k = {0};
    assert_int_equal(sk_keep_cells(&k, s, 2, 3), SK_OK);       /* A1 and B1 whole, 3 bytes */
    assert_int_equal(k.n, 100);
    k.scope = SK_KEEP_MARKED;
    k.test = keep_unmarked; /* rejects every marked string */
    assert_int_equal(sk_book_keep_strings(b, &k, &d), SK_OK);
    assert_string_equal(text_at(b, s, "A1"), "No.");  /* 3 bytes: within the budget */
    assert_null(text_at(b, s, "B1"));                 /* beyond it, and the test says no */
    assert_false(sk_keep_done(b, s, &k));
    sk_cell c3 = {9, 9, SK_CELL_SHARED, 3, 0};
    assert_null(sk_cell_text(b, s, &c3, NULL)); /* unmarked: not offered */
    k.scope = SK_KEEP_UNMARKED;
    assert_int_equal(sk_book_keep_strings(b, &k, &d), SK_OK);
    assert_string_equal(sk_cell_text(b, s, &c3, NULL), "line1\r\nline2");
    assert_null(text_at(b, s, "B1"));
    assert_int_equal(sk_keep_reset(&k, s), SK_OK);
    k.scope = SK_KEEP_MARKED;
    k.test = NULL;
    sk_keep_mark(&k, sk_sheet_cell(s, 1, 2));
    sk_keep_mark(&k, NULL);
    assert_false(sk_keep_done(b, s, &k));
    assert_int_equal(sk_book_keep_strings(b, &k, &d), SK_OK);
    assert_true(sk_keep_done(b, s, &k));
    assert_string_equal(text_at(b, s, "B1"), "■ 適合 □ 不適合");
    sk_keep_free(&k);
    sk_keep_free(NULL);
    sk_sheet_free(s);
    sk_book_close(b);
}

/* Keeps the cells of row 2 only (an sk_row_filter), counting its calls. */
static sk_error keep_row2(sk_book *b, sk_sheet *s, size_t first, void *ctx, sk_diag *d)
{
    (void)b;
    (void)d;
    (void)first;
    ++*(int *)ctx;
    size_t w = 0;
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cells[i].row == 2)
            s->cells[w++] = s->cells[i];
    s->n_cells = w;
    return SK_OK;
}

/* A filtered read keeps what the filter keeps, with its texts (the arena of
 * dropped rows is reused, not the kept ones'); every <c> still counts
 * against --max-cells. */
static void test_filtered_sheet(void **state)
{
    (void)state;
    sk_limits lim;
    sk_book *b = open_base(NULL, NULL);
    sk_sheet *s = NULL;
    sk_diag d;
    int rows = 0;
    assert_int_equal(sk_book_read_sheet_filtered(b, 1, keep_row2, &rows, &s, &d), SK_OK);
    assert_int_equal(rows, 5);
    assert_int_equal(s->n_cells, 5);
    assert_string_equal(text_at(b, s, "A2"), "1");
    assert_string_equal(text_at(b, s, "B2"), "inline");
    assert_string_equal(text_at(b, s, "C2"), "ab\r");
    assert_string_equal(text_at(b, s, "E2"), "#N/A");
    assert_null(sk_sheet_cell(s, 5, 2));
    assert_int_equal(s->n_merges, 3);
    sk_sheet_free(s);
    sk_book_close(b);

    sk_limits_default(&lim);
    lim.cells = 5;
    b = open_base(&lim, NULL);
    assert_int_equal(sk_book_read_sheet_filtered(b, 1, keep_row2, &rows, &s, &d), SK_ERR_LIMIT);
    assert_null(s);
    assert_string_equal(d.reason, "the sheet has more than 5 cells (limit --max-cells)");
    sk_book_close(b);
}

/* inlineStr, str, b, n and e cells; cells and rows without r; cells
 * without a value dropped; an out-of-range shared index reads as NULL. */
static void test_cell_types(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_OK);

    assert_int_equal(type_at(s, "A1"), SK_CELL_SHARED);
    assert_int_equal(type_at(s, "A2"), SK_CELL_NUMBER);
    assert_string_equal(text_at(b, s, "A2"), "1");
    assert_int_equal(type_at(s, "B2"), SK_CELL_TEXT);
    assert_string_equal(text_at(b, s, "B2"), "inline");
    assert_int_equal(type_at(s, "C2"), SK_CELL_TEXT);
    assert_string_equal(text_at(b, s, "C2"), "ab\r");
    assert_int_equal(type_at(s, "D2"), SK_CELL_BOOL);
    assert_string_equal(text_at(b, s, "D2"), "1");
    assert_int_equal(type_at(s, "E2"), SK_CELL_ERROR);
    assert_string_equal(text_at(b, s, "E2"), "#N/A");

    /* row 3 has no r (row 2 + 1); its cells have none but one */
    assert_string_equal(text_at(b, s, "A3"), "3.5");
    assert_int_equal(type_at(s, "B3"), SK_CELL_SHARED);
    assert_string_equal(text_at(b, s, "B3"), "外部サービス");
    assert_int_equal(type_at(s, "E3"), SK_CELL_EMPTY);
    assert_string_equal(text_at(b, s, "F3"), "7");

    assert_string_equal(text_at(b, s, "B5"), "rich inline");

    /* row 6 follows row 5 */
    assert_int_equal(type_at(s, "C6"), SK_CELL_SHARED);
    assert_null(text_at(b, s, "C6"));
    assert_string_equal(text_at(b, s, "D6"), "");

    assert_int_equal(s->n_cells, 13);
    for (size_t i = 1; i < s->n_cells; i++)
        assert_true(s->cells[i - 1].row < s->cells[i].row ||
                    (s->cells[i - 1].row == s->cells[i].row &&
                     s->cells[i - 1].col < s->cells[i].col));
    assert_null(sk_sheet_cell(s, 4, 1));
    assert_null(sk_cell_text(b, s, NULL, NULL));
    sk_sheet_free(s);
    sk_book_close(b);
}

/* Merged ranges, normalised so that row1 <= row2 and col1 <= col2. */
static void test_merges(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_OK);
    assert_int_equal(s->n_merges, 3);
    assert_memory_equal(&s->merges[0], (&(sk_range){1, 1, 2, 4}), sizeof(sk_range));
    assert_memory_equal(&s->merges[1], (&(sk_range){5, 5, 5, 5}), sizeof(sk_range));
    assert_memory_equal(&s->merges[2], (&(sk_range){7, 2, 9, 6}), sizeof(sk_range));
    sk_sheet_free(s);
    sk_book_close(b);
}

/* A prefixed namespace is read like the default one; cells out of order are
 * sorted and a duplicate keeps the last. */
static void test_prefix_sort_duplicates(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 2, &s, &d), SK_OK);
    assert_string_equal(s->name, "隠し");
    assert_int_equal(s->n_cells, 3);
    assert_int_equal(s->cells[0].row, 1);
    assert_int_equal(s->cells[0].col, 1);
    assert_string_equal(text_at(b, s, "A1"), "2");
    assert_string_equal(text_at(b, s, "B1"), "3");
    assert_string_equal(text_at(b, s, "A2"), "prefixed");
    sk_sheet_free(s);
    sk_book_close(b);
}

/* A long string crosses libxml2's input chunks and is still read whole. */
static void test_long_string(void **state)
{
    (void)state;
    size_t n = 100000;
    char *sst = malloc(n + 512);
    assert_non_null(sst);
    int k = snprintf(sst, 512, XML_DECL "<sst xmlns=\"" NS_MAIN "\"><si><t>");
    for (size_t i = 0; i < n; i++)
        sst[k + i] = (char)('a' + i % 26);
    strcpy(sst + k + n, "</t></si></sst>");
    part over[] = {{"xl/sharedStrings.xml", sst}};
    const char *p = tpath("long.xlsx");
    make_book(p, over, 1);
    free(sst);
    sk_book *b = NULL;
    sk_diag d;
    assert_int_equal(open_book(p, NULL, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_OK);
    sk_cell c = {1, 1, SK_CELL_SHARED, 0, 0};
    sk_sheet empty = {0};
    size_t len;
    const char *t = sk_cell_text(b, &empty, &c, &len);
    assert_non_null(t);
    assert_int_equal(len, n);
    assert_int_equal(t[n - 1], 'a' + (n - 1) % 26);
    sk_book_close(b);
}

/* ---- references ------------------------------------------------------- */

/* sk_ref_parse accepts the grid and refuses everything else. */
static void test_ref_parse(void **state)
{
    (void)state;
    uint32_t r = 0, c = 0;
    assert_int_equal(sk_ref_parse("A1", 2, &r, &c), SK_OK);
    assert_int_equal(r, 1);
    assert_int_equal(c, 1);
    assert_int_equal(sk_ref_parse("XFD1048576", 10, &r, &c), SK_OK);
    assert_int_equal(r, 1048576);
    assert_int_equal(c, 16384);
    assert_int_equal(sk_ref_parse("$AB$12", 6, &r, &c), SK_OK);
    assert_int_equal(r, 12);
    assert_int_equal(c, 28);
    assert_int_equal(sk_ref_parse("Z9", 2, &r, &c), SK_OK);
    assert_int_equal(c, 26);
    assert_int_equal(sk_ref_parse("A1:B2", 2, &r, &c), SK_OK); /* len bounds the text */

    static const char *const bad[] = {"XFE1", "A0", "A1048577", "", "1A", "A", "12", "A1B",
                                      "A-1", "$$A1", "AAAA1", "A99999999999", " A1", "A1 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sk_ref_parse(bad[i], strlen(bad[i]), &r, &c), SK_ERR_XML);
}

/* sk_ref_format writes A1 style, and "#REF!" outside the grid. */
static void test_ref_format(void **state)
{
    (void)state;
    char out[16];
    sk_ref_format(1, 1, out);
    assert_string_equal(out, "A1");
    sk_ref_format(1048576, 16384, out);
    assert_string_equal(out, "XFD1048576");
    sk_ref_format(12, 28, out);
    assert_string_equal(out, "AB12");
    sk_ref_format(3, 26, out);
    assert_string_equal(out, "Z3");
    sk_ref_format(3, 702, out);
    assert_string_equal(out, "ZZ3");
    sk_ref_format(3, 703, out);
    assert_string_equal(out, "AAA3");
    sk_ref_format(0, 1, out);
    assert_string_equal(out, "#REF!");
    sk_ref_format(1, 16385, out);
    assert_string_equal(out, "#REF!");
    for (uint32_t col = 1; col <= SK_MAX_COL; col += 97) {
        uint32_t r, c;
        sk_ref_format(77, col, out);
        assert_int_equal(sk_ref_parse(out, strlen(out), &r, &c), SK_OK);
        assert_int_equal(c, col);
        assert_int_equal(r, 77);
    }
}

/* ---- what the file is ------------------------------------------------- */

/* Empty, text and CFB files, an .ods, a directory: errors naming them, with
 * the file in the diagnostic. */
static void test_not_a_workbook(void **state)
{
    (void)state;
    sk_book *b = NULL;
    sk_diag d;
    write_file(tpath("empty.xlsx"), "", 0);
    assert_int_equal(open_book(tpath("empty.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_null(b);
    assert_int_equal(d.code, SK_ERR_FORMAT);
    assert_string_equal(d.reason, "empty file");
    assert_string_equal(d.file, tpath("empty.xlsx"));

    write_file(tpath("text.xlsx"), "hello, world\n", 13);
    assert_int_equal(open_book(tpath("text.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "not a zip file (not an .xlsx workbook)");

    static const unsigned char cfb[512] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    write_file(tpath("locked.xlsx"), cfb, sizeof cfb);
    assert_int_equal(open_book(tpath("locked.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "damaged OLE/CFB container: unsupported header (version, byte order or "
                                  "sector size)");

    int err = 0;
    zip_t *za = zip_open(tpath("calc.ods"), ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    add_entry(za, "mimetype", "application/vnd.oasis.opendocument.spreadsheet");
    add_entry(za, "content.xml", "<office:document-content/>");
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(open_book(tpath("calc.ods"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "OpenDocument スプレッドシート（.ods）"));

    assert_int_equal(open_book(tmpdir, NULL, &b, &d), SK_ERR_IO);
    assert_string_equal(d.reason, "is a directory, not a file");
    assert_string_equal(d.file, tmpdir);
}

/* A zip without the workbook part; a .docx. */
static void test_missing_workbook(void **state)
{
    (void)state;
    sk_book *b = NULL;
    sk_diag d;
    part over[] = {{"xl/workbook.xml", NULL}};
    make_book(tpath("noworkbook.xlsx"), over, 1);
    assert_int_equal(open_book(tpath("noworkbook.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "no workbook part (xl/workbook.xml) in the zip: not an .xlsx workbook");

    static const char docx_rels[] =
        XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" Target=\"word/document.xml\"/>"
                 "</Relationships>";
    part docx[] = {{"_rels/.rels", docx_rels}, {"word/document.xml", "<w:document/>"},
                   {"xl/workbook.xml", NULL}};
    make_book(tpath("letter.docx"), docx, 3);
    assert_int_equal(open_book(tpath("letter.docx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_string_equal(d.reason, "a Word document (.docx), not an .xlsx workbook");
}

/* A sheet named in the workbook whose part is missing; a sheet whose
 * relationship is missing. */
static void test_missing_sheet(void **state)
{
    (void)state;
    sk_book *b = NULL;
    sk_diag d;
    part over[] = {{"xl/worksheets/sheet2.xml", NULL}};
    make_book(tpath("nosheet.xlsx"), over, 1);
    assert_int_equal(open_book(tpath("nosheet.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_null(b);
    assert_non_null(strstr(d.reason, "xl/worksheets/sheet2.xml, which is missing from the zip"));
    assert_non_null(strstr(d.reason, "チェックリスト"));

    static const char rels_short[] =
        XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rId1\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                 "</Relationships>";
    part over2[] = {{"xl/_rels/workbook.xml.rels", rels_short}};
    make_book(tpath("norel.xlsx"), over2, 1);
    assert_int_equal(open_book(tpath("norel.xlsx"), NULL, &b, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "relationship \"rId2\""));
}

/* ---- refused XML ------------------------------------------------------ */

/* Runs f with stderr sent to a file and checks nothing was printed. */
static void assert_silent_begin(int *saved)
{
    fflush(stderr);
    *saved = dup(2);
    int fd = open(tpath("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
}

/* Restores stderr and asserts that nothing was written to it. */
static void assert_silent_end(int saved)
{
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    assert_int_equal(stat(tpath("stderr.txt"), &st), 0);
    assert_int_equal(st.st_size, 0);
}

/* DOCTYPE in any form, XXE, billion laughs, undeclared entities: SK_ERR_XML,
 * and libxml2 prints nothing. */
static void test_doctype_and_entities(void **state)
{
    (void)state;
    sk_diag d;
    int saved;
    assert_silent_begin(&saved);

    static const char xxe[] =
        XML_DECL "<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                 "<sst xmlns=\"" NS_MAIN "\"><si><t>&xxe;</t></si></sst>";
    assert_int_equal(read_custom_strings(xxe, NULL, &d), SK_ERR_XML);
    assert_string_equal(d.reason, "DOCTYPE is not allowed in an .xlsx part (ECMA-376 Part 2)");
    assert_string_equal(d.where, "xl/sharedStrings.xml");

    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
        "]><sst><si><t>&lol9;</t></si></sst>";
    assert_int_equal(read_custom_strings(laughs, NULL, &d), SK_ERR_XML);
    assert_non_null(strstr(d.reason, "DOCTYPE"));

    /* a DOCTYPE behind more than 4 KiB of comment is caught by the reader */
    size_t pad = 5000;
    char *late = malloc(pad + 512);
    assert_non_null(late);
    int k = snprintf(late, 512, "%s<!--", XML_DECL);
    memset(late + k, 'x', pad);
    snprintf(late + k + pad, 512,
             "--><!DOCTYPE sst [<!ENTITY e \"e\">]><sst><si><t>&e;</t></si></sst>");
    assert_int_equal(read_custom_strings(late, NULL, &d), SK_ERR_XML);
    assert_string_equal(d.reason, "DOCTYPE is not allowed in an .xlsx part (ECMA-376 Part 2)");
    free(late);

    /* a DOCTYPE in a worksheet, too */
    static const char sheet_dt[] = XML_DECL "<!DOCTYPE worksheet SYSTEM \"http://example.com/x.dtd\">"
                                            "<worksheet><sheetData/></worksheet>";
    assert_int_equal(read_custom_sheet(sheet_dt, NULL, &d), SK_ERR_XML);
    assert_non_null(strstr(d.reason, "DOCTYPE"));
    assert_string_equal(d.file, tpath("custom.xlsx"));

    /* an undeclared entity without a DOCTYPE */
    static const char undeclared[] =
        XML_DECL "<sst xmlns=\"" NS_MAIN "\"><si><t>a&nbsp;b</t></si></sst>";
    assert_int_equal(read_custom_strings(undeclared, NULL, &d), SK_ERR_XML);
    assert_non_null(strstr(d.reason, "malformed XML"));

    /* malformed XML names libxml2's reason and line */
    static const char broken[] = XML_DECL "<sst>\n<si><t>open</si></sst>";
    assert_int_equal(read_custom_strings(broken, NULL, &d), SK_ERR_XML);
    assert_non_null(strstr(d.reason, "malformed XML: "));
    assert_non_null(strstr(d.reason, "(line 3)"));

    /* invalid UTF-8 */
    static const char bad_utf8[] = XML_DECL "<sst><si><t>\xC3\x28</t></si></sst>";
    assert_int_equal(read_custom_strings(bad_utf8, NULL, &d), SK_ERR_XML);

    /* the workbook itself */
    part over[] = {{"xl/workbook.xml", XML_DECL "<!DOCTYPE workbook><workbook/>"}};
    make_book(tpath("dtwb.xlsx"), over, 1);
    sk_book *b = NULL;
    assert_int_equal(open_book(tpath("dtwb.xlsx"), NULL, &b, &d), SK_ERR_XML);
    assert_string_equal(d.where, "xl/workbook.xml");

    assert_silent_end(saved);
}

/* Bad cell and row references name the sheet and the reference. */
static void test_bad_references(void **state)
{
    (void)state;
    sk_diag d;
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1\">"
                                       "<c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_string_equal(d.where, "チェックリスト!XFE1");
    assert_non_null(strstr(d.reason, "XFE1"));

    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1\">"
                                       "<c r=\"A0\"><v>1</v></c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"0\">"
                                       "<c><v>1</v></c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1048576\"/><row>"
                                       "<c><v>1</v></c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1\"><c r=\"XFD1\"/>"
                                       "<c><v>1</v></c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1\"><c t=\"s\"><v>x</v>"
                                       "</c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_string_equal(d.where, "チェックリスト!A1");
    assert_int_equal(read_custom_sheet("<worksheet><sheetData><row r=\"1\"><c t=\"zz\"><v>1</v>"
                                       "</c></row></sheetData></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
    assert_int_equal(read_custom_sheet("<worksheet><sheetData/><mergeCells>"
                                       "<mergeCell ref=\"A1:XFE2\"/></mergeCells></worksheet>",
                                       NULL, &d),
                     SK_ERR_XML);
}

/* ---- limits ----------------------------------------------------------- */

/* Every limit stops reading with SK_ERR_LIMIT and names its option. */
static void test_limits(void **state)
{
    (void)state;
    const char *p = tpath("book.xlsx");
    make_book(p, NULL, 0);
    sk_limits lim;
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_diag d;

    sk_limits_default(&lim);
    lim.entries = 5;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason, "the zip has 8 entries, more than 5 (limit --max-entries)");

    sk_limits_default(&lim);
    lim.sheets = 3;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "--max-sheets"));

    /* a sheet far bigger than the other parts, so that open works */
    char *big = malloc(8192);
    assert_non_null(big);
    size_t k = (size_t)snprintf(big, 8192, "<worksheet><sheetData><row r=\"1\">");
    for (int i = 1; i <= 200; i++)
        k += (size_t)snprintf(big + k, 8192 - k, "<c><v>%d</v></c>", i);
    snprintf(big + k, 8192 - k, "</row></sheetData></worksheet>");
    part over[] = {{"xl/worksheets/sheet2.xml", big}};
    make_book(tpath("bigsheet.xlsx"), over, 1);
    free(big);
    p = tpath("bigsheet.xlsx");
    sk_limits_default(&lim);
    lim.entry_bytes = 1200;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_ERR_LIMIT);
    assert_null(s);
    assert_string_equal(d.reason, "zip entry xl/worksheets/sheet2.xml inflates beyond 1200 bytes "
                                  "(limit --max-entry-bytes)");
    assert_string_equal(d.where, "xl/worksheets/sheet2.xml");
    assert_string_equal(d.file, p);
    /* the book stays usable */
    assert_int_equal(sk_book_read_sheet(b, 0, &s, &d), SK_OK);
    sk_sheet_free(s);
    sk_book_close(b);

    p = tpath("book.xlsx");
    sk_limits_default(&lim);
    lim.total_bytes = 3000;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_OK);
    sk_sheet_free(s);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "--max-total-bytes"));
    sk_book_close(b);

    sk_limits_default(&lim);
    lim.cells = 5;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason, "the sheet has more than 5 cells (limit --max-cells)");
    sk_book_close(b);

    sk_limits_default(&lim);
    lim.strings = 7;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason, "more than 7 shared strings (limit --max-strings)");
    assert_int_equal(sk_book_string_count(b), 0);
    sk_book_close(b);

    sk_limits_default(&lim);
    lim.string_bytes = 10;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason,
                        "shared string 1 is longer than 10 bytes (limit --max-string-bytes)");
    assert_int_equal(sk_book_read_sheet(b, 1, &s, &d), SK_ERR_LIMIT); /* "rich inline" */
    assert_string_equal(d.reason,
                        "the cell's text is longer than 10 bytes (limit --max-string-bytes)");
    assert_string_equal(d.where, "チェックリスト!B5");
    sk_book_close(b);
}

/* Highly compressible shared strings trip the ratio limit. */
static void test_ratio_limit(void **state)
{
    (void)state;
    size_t n = 3u << 20;
    char *sst = malloc(n + 512);
    assert_non_null(sst);
    int k = snprintf(sst, 512, XML_DECL "<sst xmlns=\"" NS_MAIN "\"><si><t>");
    memset(sst + k, ' ', n);
    strcpy(sst + k + n, "</t></si></sst>");
    part over[] = {{"xl/sharedStrings.xml", sst}};
    const char *p = tpath("bomb.xlsx");
    make_book(p, over, 1);
    free(sst);
    sk_book *b = NULL;
    sk_diag d;
    sk_limits lim;
    sk_limits_default(&lim);
    lim.string_bytes = 8u << 20;
    assert_int_equal(open_book(p, &lim, &b, &d), SK_OK);
    assert_int_equal(sk_book_read_strings(b, NULL, NULL, &d), SK_ERR_LIMIT);
    assert_string_equal(d.reason, "zip entry xl/sharedStrings.xml inflates more than 100 times "
                                  "its compressed size (limit --max-ratio)");
    sk_book_close(b);
}

/* Zip entry names that differ only in case make the file hostile. */
static void test_case_collision(void **state)
{
    (void)state;
    part over[] = {{"xl/worksheets/Sheet2.xml", sheet_main}};
    make_book(tpath("case.xlsx"), over, 1);
    sk_book *b = NULL;
    sk_diag d;
    assert_int_equal(open_book(tpath("case.xlsx"), NULL, &b, &d), SK_ERR_ZIP);
    assert_non_null(strstr(d.reason, "differ only in letter case"));
    assert_null(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_sheets),
        cmocka_unit_test(test_optional_parts),
        cmocka_unit_test(test_shared_strings),
        cmocka_unit_test(test_string_filter),
        cmocka_unit_test(test_text_load),
        cmocka_unit_test(test_keep_policy),
        cmocka_unit_test(test_filtered_sheet),
        cmocka_unit_test(test_cell_types),
        cmocka_unit_test(test_merges),
        cmocka_unit_test(test_prefix_sort_duplicates),
        cmocka_unit_test(test_long_string),
        cmocka_unit_test(test_ref_parse),
        cmocka_unit_test(test_ref_format),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_missing_workbook),
        cmocka_unit_test(test_missing_sheet),
        cmocka_unit_test(test_doctype_and_entities),
        cmocka_unit_test(test_bad_references),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_ratio_limit),
        cmocka_unit_test(test_case_collision),
    };
    return cmocka_run_group_tests_name("book", tests, setup, teardown);
}
