/* Unit tests for src/batch/summary.c: the row message survives a round trip,
 * every malformed message is refused, and summary.csv's exact text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sechk/summary.h"

static sk_template *tpl;

static int setup(void **state)
{
    (void)state;
    sk_diag d;
    sk_diag_clear(&d);
    return sk_template_load_default(&tpl, &d) == SK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sk_template_free(tpl);
    return 0;
}

/* A row with two findings: items 1..n cycle through the statuses. */
static void make_row(sk_summary_file *f)
{
    memset(f, 0, sizeof *f);
    f->service = strdup("サンプルクラウド");
    f->phase = 1;
    f->phase_auto = true;
    f->n_status = tpl->n_items;
    f->status = calloc((size_t)tpl->n_items, 1);
    for (int i = 0; i < tpl->n_items; i++)
        f->status[i] = (unsigned char)(i % SK_STATUS__COUNT);
    f->n_findings = 2;
    f->findings = calloc(2, sizeof *f->findings);
    f->findings[0] = (sk_summary_finding){
        1, SK_PROVIDER, "H9", SK_SEV_ERROR, strdup("unanswered"), strdup("「適合」をチェックしてください。")};
    f->findings[1] = (sk_summary_finding){2, -1, "", SK_SEV_WARNING, strdup("x"), strdup("warn")};
}

static void test_round_trip(void **state)
{
    (void)state;
    sk_summary_file f, g;
    make_row(&f);
    f.phase_basis = strdup("No.24 【開発（導入・構築）の段階以降に回答】");
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_summary_file_encode(&f, &b), SK_OK);
    memset(&g, 0, sizeof g);
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_OK);
    assert_null(g.reason);
    assert_non_null(g.phase_basis);
    assert_string_equal(g.phase_basis, f.phase_basis);
    assert_string_equal(g.service, "サンプルクラウド");
    assert_int_equal(g.phase, 1);
    assert_true(g.phase_auto);
    assert_int_equal(g.n_status, tpl->n_items);
    assert_memory_equal(g.status, f.status, (size_t)tpl->n_items);
    assert_int_equal(g.n_findings, 2);
    assert_int_equal(g.findings[0].no, 1);
    assert_int_equal(g.findings[0].party, SK_PROVIDER);
    assert_string_equal(g.findings[0].cell, "H9");
    assert_int_equal(g.findings[0].severity, SK_SEV_ERROR);
    assert_string_equal(g.findings[0].code, "unanswered");
    assert_string_equal(g.findings[0].message, "「適合」をチェックしてください。");
    assert_int_equal(g.findings[1].party, -1);
    assert_string_equal(g.findings[1].cell, "");
    /* counts are derived from the statuses and findings */
    int want[SK_STATUS__COUNT] = {0};
    for (int i = 0; i < tpl->n_items; i++)
        want[i % SK_STATUS__COUNT]++;
    assert_memory_equal(g.counts, want, sizeof want);
    assert_int_equal(g.errors, 1);
    assert_int_equal(g.warnings, 1);
    assert_string_equal(sk_summary_verdict(&g, SK_LANG_JA), "要修正");
    assert_string_equal(sk_summary_verdict(&g, SK_LANG_EN), "needs correction");

    /* every truncation is refused, and leaves the row empty */
    for (size_t n = 0; n < b.len; n++) {
        sk_summary_file h;
        memset(&h, 0, sizeof h);
        assert_int_equal(sk_summary_file_decode(b.data, n, tpl->n_items, &h, &d), SK_ERR_FORMAT);
        assert_null(h.status);
        assert_null(h.findings);
        assert_null(h.service);
    }
    /* trailing bytes, another item count */
    sk_summary_file h;
    memset(&h, 0, sizeof h);
    sk_buf_putc(&b, 0);
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &h, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "trailing"));
    assert_int_equal(sk_summary_file_decode(b.data, b.len - 1, tpl->n_items - 1, &h, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "item count"));
    sk_buf_free(&b);
    sk_summary_file_clear(&f);
    sk_summary_file_clear(&g);
}

static void test_malformed_values(void **state)
{
    (void)state;
    sk_summary_file f, g;
    sk_diag d;
    /* a status out of range */
    make_row(&f);
    f.status[3] = SK_STATUS__COUNT;
    sk_buf b = SK_BUF_INIT;
    sk_summary_file_encode(&f, &b);
    memset(&g, 0, sizeof g);
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "bad status"));
    sk_summary_file_clear(&f);
    sk_buf_reset(&b);
    /* invalid UTF-8 in a message */
    make_row(&f);
    free(f.findings[1].message);
    f.findings[1].message = strdup("bad \xff byte");
    sk_summary_file_encode(&f, &b);
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "UTF-8"));
    sk_summary_file_clear(&f);
    sk_buf_reset(&b);
    /* a severity that is not one */
    make_row(&f);
    f.findings[0].severity = SK_SEV_DEFAULT;
    sk_summary_file_encode(&f, &b);
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_ERR_FORMAT);
    sk_summary_file_clear(&f);
    sk_buf_reset(&b);
    /* a finding count far beyond the bytes */
    make_row(&f);
    f.n_findings = 0;
    sk_summary_file_encode(&f, &b);
    b.data[b.len - 4] = (char)0xFF;
    b.data[b.len - 1] = (char)0x7F;
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "too many"));
    f.n_findings = 2;
    sk_summary_file_clear(&f);
    sk_buf_free(&b);
}

static void test_unreadable(void **state)
{
    (void)state;
    sk_summary_file f, g;
    memset(&f, 0, sizeof f);
    f.path = strdup("a/x.xlsx");
    assert_int_equal(sk_summary_file_fail(&f, "not a zip \xff"), SK_OK);
    assert_string_equal(f.path, "a/x.xlsx");
    assert_string_equal(f.reason, "not a zip \xEF\xBF\xBD"); /* the bad byte became U+FFFD */
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_summary_file_encode(&f, &b), SK_OK);
    memset(&g, 0, sizeof g);
    sk_diag d;
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_OK);
    assert_string_equal(g.reason, f.reason);
    assert_null(g.status);
    assert_string_equal(sk_summary_verdict(&g, SK_LANG_JA), "読み込めません");
    sk_buf_free(&b);
    sk_summary_file_clear(&f);
    sk_summary_file_clear(&g);
}

static void test_csv(void **state)
{
    (void)state;
    sk_summary_file files[2];
    make_row(&files[0]);
    files[0].path = strdup("=a.xlsx");
    files[0].review = strdup("a.review.xlsx");
    files[0].counts[0] = 0; /* recomputed below by a round trip */
    sk_buf b = SK_BUF_INIT;
    sk_summary_file_encode(&files[0], &b);
    sk_summary_file g;
    memset(&g, 0, sizeof g);
    sk_diag d;
    assert_int_equal(sk_summary_file_decode(b.data, b.len, tpl->n_items, &g, &d), SK_OK);
    g.path = strdup("=a.xlsx");
    g.review = strdup("a.review.xlsx");
    sk_summary_file_clear(&files[0]);
    files[0] = g;
    memset(&files[1], 0, sizeof files[1]);
    files[1].path = strdup("b, \"q\".xlsx");
    sk_summary_file_fail(&files[1], "empty file");
    sk_summary s = {tpl, SK_LANG_EN, files, 2, NULL, 0};
    sk_buf out = SK_BUF_INIT;
    assert_int_equal(sk_summary_csv(&s, false, &out, &d), SK_OK);
    assert_memory_equal(out.data,
                        "\xEF\xBB\xBF"
                        "file,service,phase,verdict,conforming,",
                        41);
    char *line2 = strstr(out.data, "\r\n") + 2;
    /* formula-like paths are neutralised; the phase is the id in English */
    assert_memory_equal(line2, "\"'=a.xlsx\",サンプルクラウド,development (auto),needs correction,",
                        strlen("\"'=a.xlsx\",サンプルクラウド,development (auto),needs correction,"));
    char *line3 = strstr(line2, "\r\n") + 2;
    size_t commas = 0;
    for (char *p = line3; *p && *p != '\r'; p++)
        commas += *p == ',';
    assert_memory_equal(line3, "\"b, \"\"q\"\".xlsx\",,,unreadable,", 29);
    assert_int_equal(commas, 12 + tpl->n_items + 1); /* one more inside the quoted path */
    assert_string_equal(strstr(line3, "\r\n"), "\r\n");
    /* CP932: no BOM; a character CP932 lacks names the file */
    sk_buf_reset(&out);
    assert_int_equal(sk_summary_csv(&s, true, &out, &d), SK_OK);
    assert_memory_equal(out.data, "file,", 5);
    free(files[0].service);
    files[0].service = strdup("クラウド\xF0\x9F\x98\x80");
    sk_buf_reset(&out);
    assert_int_equal(sk_summary_csv(&s, true, &out, &d), SK_ERR_ENCODING);
    assert_string_equal(d.where, "=a.xlsx");
    sk_buf_free(&out);
    sk_buf_free(&b);
    sk_summary_file_clear(&files[0]);
    sk_summary_file_clear(&files[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_malformed_values),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
