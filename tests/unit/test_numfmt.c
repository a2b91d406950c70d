/* Unit tests: Excel serial dates and date number formats (sechk/numfmt.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sechk/numfmt.h"

/* Asserts that serial shown through code (1900 or 1904 system) is want. */
static void shows(const char *code, double serial, bool date1904, const char *want)
{
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_numfmt_render(code, serial, date1904, &b), SK_OK);
    assert_string_equal(b.data ? b.data : "", want);
    sk_buf_free(&b);
}

static void test_serials(void **state)
{
    (void)state;
    sk_date d;
    assert_true(sk_serial_to_date(1, false, &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 19000101);
    assert_true(sk_serial_to_date(59, false, &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 19000228);
    assert_true(sk_serial_to_date(60, false, &d)); /* Lotus's 1900-02-29 */
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 19000229);
    assert_true(sk_serial_to_date(61, false, &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 19000301);
    assert_true(sk_serial_to_date(46113, false, &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20260401);
    assert_true(sk_serial_to_date(46113.75, false, &d));
    assert_int_equal(d.day, 1);
    assert_true(sk_serial_to_date(46113 - 1462, true, &d)); /* the 1904 system */
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20260401);
    assert_true(sk_serial_to_date(0, true, &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 19040101);
    assert_false(sk_serial_to_date(-1, false, &d));
    assert_false(sk_serial_to_date(0, false, &d));
    assert_false(sk_serial_to_date(1e12, false, &d));
    sk_date x = {2026, 4, 1};
    assert_true(sk_date_to_serial(&x, false) == 46113.0);
    assert_true(sk_date_to_serial(&x, true) == 46113.0 - 1462);
    x = (sk_date){1900, 1, 1};
    assert_true(sk_date_to_serial(&x, false) == 1.0);
}

static void test_iso(void **state)
{
    (void)state;
    sk_date d;
    assert_true(sk_iso_date_parse("2026-04-01", &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20260401);
    assert_true(sk_iso_date_parse("2025-04-01T00:00:00.000Z", &d));
    assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20250401);
    assert_false(sk_iso_date_parse("2026-02-29", &d));
    assert_true(sk_iso_date_parse("2024-02-29", &d));
    assert_false(sk_iso_date_parse("2026-13-01", &d));
    assert_false(sk_iso_date_parse("2026/04/01", &d));
    assert_false(sk_iso_date_parse("2026-04-01x", &d));
    assert_false(sk_iso_date_parse("", &d));
}

static void test_formats(void **state)
{
    (void)state;
    shows("yyyy/m/d", 46113, false, "2026/4/1");
    shows("yyyy/mm/dd", 46113, false, "2026/04/01");
    shows("\"作成日：\"yyyy\"年\"m\"月\"d\"日\"", 46113, false, "作成日：2026年4月1日");
    shows("\\更\\新\\日\\：\\ yyyy/mm/dd", 46157.5, false, "更新日： 2026/05/15");
    shows("[$-ja-JP]ggge\"年\"m\"月\"d\"日\";@", 46113, false, "令和8年4月1日");
    shows("[$-411]gge\"年\"m\"月\"d\"日\"", 46113, false, "令8年4月1日");
    shows("[$-411]gee.m.d", 46157, false, "R08.5.15");
    shows("[$-411]ge.m.d", 32516, false, "H1.1.8"); /* 1989-01-08: 平成 starts */
    shows("[$-411]ge.m.d", 32515, false, "S64.1.7");
    shows("[$-411]ggge\"年\"", 43586, false, "令和1年"); /* 2019-05-01 */
    shows("[$-411]ggge\"年\"", 43585, false, "平成31年");
    shows("[$-x-sysdate]yyyy\"年\"m\"月\"d\"日\"(aaa)", 46113, false, "2026年4月1日(水)");
    shows("yyyy/m/d h:mm", 46113.5, false, "2026/4/1 12:00");
    shows("d-mmm-yy", 46113, false, "1-Apr-26");
    shows("[Red]yyyy\"年\"m\"月\"", 46113, false, "2026年4月");
    shows("yyyy/m/d;@", 46113 - 1462, true, "2026/4/1");
}

static void test_not_dates(void **state)
{
    (void)state;
    assert_false(sk_numfmt_is_date("General"));
    assert_false(sk_numfmt_is_date("0.00"));
    assert_false(sk_numfmt_is_date("#,##0\"円\""));
    assert_false(sk_numfmt_is_date("0.00E+00"));
    assert_false(sk_numfmt_is_date("@"));
    assert_false(sk_numfmt_is_date("\"yyyy\"0"));
    assert_true(sk_numfmt_is_date("yyyy"));
    assert_true(sk_numfmt_is_date("[$-411]ge.m.d"));
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_numfmt_render("0.00", 46113, false, &b), SK_ERR_USAGE);
    assert_int_equal(sk_numfmt_render("yyyy", -5, false, &b), SK_ERR_USAGE);
    assert_int_equal(b.len, 0);
    sk_buf_free(&b);
}

static void test_builtin(void **state)
{
    (void)state;
    assert_string_equal(sk_numfmt_builtin_date(14), "yyyy/m/d");
    assert_string_equal(sk_numfmt_builtin_date(58), "[$-411]ggge\"年\"m\"月\"d\"日\"");
    assert_null(sk_numfmt_builtin_date(0));
    assert_null(sk_numfmt_builtin_date(32)); /* h"時"mm"分": a time */
    assert_null(sk_numfmt_builtin_date(164));
}

/* A format longer than the token table still renders its head, bounded. */
static void test_long_format(void **state)
{
    (void)state;
    char code[2048];
    size_t n = 0;
    for (; n + 6 < sizeof code; n += 5)
        memcpy(code + n, "yyyy/", 5);
    code[n] = '\0';
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_numfmt_render(code, 46113, false, &b), SK_OK);
    assert_true(b.len > 0 && b.len < 2048);
    sk_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serials),   cmocka_unit_test(test_iso),     cmocka_unit_test(test_formats),
        cmocka_unit_test(test_not_dates), cmocka_unit_test(test_builtin), cmocka_unit_test(test_long_format),
    };
    return cmocka_run_group_tests_name("numfmt", tests, NULL, NULL);
}
