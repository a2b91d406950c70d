/* Unit tests for src/batch/rawrows.c: rows written by sk_rawrows give the
 * same workbook parts, byte for byte, as the same rows written through
 * libxlsxwriter's API (escapes, blanks, numbers, heights, and the numbering
 * of formats first used in them, with other sheets written in between). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "sechk/output.h"
#include "sechk/rawrows.h"

static char tmpdir[] = "/tmp/sechk-test-rawrows-XXXXXX";

typedef struct row {
    double height;
    sk_rawcell cell[4];
} row;

/* Formats are given by number (0: none) and made per workbook. */
enum { N_FMT = 5 };

/* Writes sheet "raw" (through sk_rawrows when raw) with rows, and sheet
 * "other" with one row before each of them, each with a format of its own
 * not used before (so the numbering order shows). */
static void write_book(const char *path, int raw, const row *rows, int n_rows, const int (*fmts)[4])
{
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    assert_non_null(wb);
    lxw_format *f[N_FMT + 1] = {NULL};
    for (int k = 1; k <= N_FMT; k++) {
        f[k] = workbook_add_format(wb);
        format_set_font_size(f[k], 8 + k);
    }
    lxw_format *extra[8];
    for (int k = 0; k < 8; k++) {
        extra[k] = workbook_add_format(wb);
        format_set_font_size(extra[k], 20 + k);
    }
    lxw_worksheet *other = workbook_add_worksheet(wb, "other");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "raw");
    assert_non_null(ws);
    worksheet_write_string(ws, 0, 0, "header", f[1]);
    worksheet_write_string(other, 0, 0, "o", NULL);
    sk_rawrows rr;
    memset(&rr, 0, sizeof rr);
    if (raw)
        assert_true(sk_rawrows_usable(ws));
    if (raw == 2) /* deflated ahead, as the batch summary's findings (atomic.c) */
        sk_rawrows_ahead(&rr, 1);
    for (int r = 0; r < n_rows; r++) {
        worksheet_write_string(other, (lxw_row_t)r + 1, 0, "x", extra[r % 8]);
        sk_rawcell c[4];
        for (int k = 0; k < 4; k++) {
            c[k] = rows[r].cell[k];
            c[k].fmt = f[fmts[r][k]];
        }
        if (raw) {
            assert_int_equal(sk_rawrows_add(&rr, ws, (lxw_row_t)r + 1, rows[r].height, c, 4), SK_OK);
            continue;
        }
        if (rows[r].height > 0)
            worksheet_set_row(ws, (lxw_row_t)r + 1, rows[r].height, NULL);
        for (int k = 0; k < 4; k++)
            if (c[k].is_num)
                worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)k, c[k].num, c[k].fmt);
            else
                worksheet_write_string(ws, (lxw_row_t)r + 1, (lxw_col_t)k, c[k].text ? c[k].text : "", c[k].fmt);
    }
    if (raw)
        assert_int_equal(sk_rawrows_end(&rr), SK_OK);
    sk_rawrows_free(&rr);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n_rows, 3);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_true(sk_out_ahead_usable()); /* the stream made ahead was used up */
}

/* Reads entry name of the zip at path. */
static char *read_part(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    char *buf = malloc(st.size + 1);
    zip_file_t *zf = zip_fopen(z, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    *len = st.size;
    return buf;
}

/* Writes the workbook through the API and through sk_rawrows (raw: 1,
 * or 2 with the rows deflated ahead) and compares every part. */
static void same_parts_as(const row *rows, int n_rows, const int (*fmts)[4], int raw)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/api.xlsx", tmpdir);
    snprintf(b, sizeof b, "%s/raw.xlsx", tmpdir);
    write_book(a, 0, rows, n_rows, fmts);
    write_book(b, raw, rows, n_rows, fmts);
    int ze;
    zip_t *za = zip_open(a, ZIP_RDONLY, &ze), *zb = zip_open(b, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    assert_non_null(zb);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_int_equal(n, zip_get_num_entries(zb, 0));
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        assert_string_equal(name, zip_get_name(zb, (zip_uint64_t)i, 0));
        size_t la, lb;
        char *pa = read_part(za, name, &la), *pb = read_part(zb, name, &lb);
        if (la != lb || memcmp(pa, pb, la) != 0) {
            size_t at = 0;
            while (at < la && at < lb && pa[at] == pb[at])
                at++;
            size_t from = at > 80 ? at - 80 : 0;
            pa[la] = pb[lb] = '\0';
            fail_msg("%s differs at byte %zu:\n%.160s\n%.160s", name, at, pa + from, pb + from);
        }
        free(pa);
        free(pb);
    }
    zip_discard(za);
    zip_discard(zb);
    unlink(a);
    unlink(b);
}

static void same_parts(const row *rows, int n_rows, const int (*fmts)[4])
{
    same_parts_as(rows, n_rows, fmts, 1);
    same_parts_as(rows, n_rows, fmts, 2);
}

#define T(s) {(s), 0, false, NULL}
#define N(v) {NULL, (v), true, NULL}

static void test_cells(void **state)
{
    (void)state;
    static const row rows[] = {
        {17, {T("plain"), N(1), T("日本語の指摘"), T("a & b < c > d \"q\" 'x'")}},
        {0, {T(" leading"), N(2.5), T("trailing "), T("tab\tand\nnewline\n")}},
        {30.75, {T("ctl \x01\x08\x0B\x0C\x0D\x1F end"), N(-3), T(""), T(NULL)}},
        {15, {T("\x0Bstarts"), N(1e20), T("ends\r"), T("\t")}},
        {15.0000001, {T("x"), N(0.1), T("_x0041_"), T("y")}},
        {0, {T(""), N(123456789012345.0), T("\n"), T("z")}},
    };
    static const int fmts[][4] = {{2, 3, 2, 4}, {2, 3, 5, 2}, {4, 3, 2, 0}, {0, 0, 5, 2}, {2, 2, 2, 2}, {5, 3, 0, 4}};
    same_parts(rows, 6, fmts);
}

static void test_one_and_none(void **state)
{
    (void)state;
    static const row one[] = {{40, {T("only"), N(7), T("row"), T("")}}};
    static const int fmts[][4] = {{3, 4, 5, 2}};
    same_parts(one, 1, fmts);
    same_parts(one, 0, fmts);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_one_and_none),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
