/* Unit tests: reading years and months (sk_ym_parse, sk_ym_list_parse,
 * sk_doc_date_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sechk/validate.h"

/* Asserts that s reads as year y, month m. */
#define YM_OK(s, y, m)                                                                                                 \
    do {                                                                                                               \
        sk_ym v_ = {0, 0, 0};                                                                                           \
        const char *e_;                                                                                                \
        assert_int_equal(sk_ym_parse((s), &v_, &e_), SK_YM_OK);                                                        \
        assert_int_equal(v_.year, (y));                                                                                \
        assert_int_equal(v_.month, (m));                                                                               \
    } while (0)

#define YM_IS(s, want)                                                                                                 \
    do {                                                                                                               \
        sk_ym v_;                                                                                                      \
        const char *e_;                                                                                                \
        assert_int_equal(sk_ym_parse((s), &v_, &e_), (want));                                                          \
    } while (0)

static void test_seireki(void **state)
{
    (void)state;
    YM_OK("2025年4月", 2025, 4);
    YM_OK("2025年04月", 2025, 4);
    YM_OK("2025年12月", 2025, 12);
    YM_OK(" 2025 年 4 月 ", 2025, 4);
    YM_OK("2025/4", 2025, 4);
    YM_OK("2025/04", 2025, 4);
    YM_OK("2025-04", 2025, 4);
    YM_OK("2025.4", 2025, 4);
    YM_OK("2025年4", 2025, 4); /* 月 omitted */
    YM_OK("2025年4月1日", 2025, 4);
    YM_OK("2025/4/1", 2025, 4);
    YM_OK("2025年4月頃", 2025, 4);
    YM_OK("2025年4月予定", 2025, 4);
    YM_OK("2025年4月末", 2025, 4);
    YM_OK("2025年4月下旬", 2025, 4);
}

static void test_full_width(void **state)
{
    (void)state;
    YM_OK("２０２５年４月", 2025, 4);
    YM_OK("２０２５／４", 2025, 4);
    YM_OK("２０２５年　４月", 2025, 4);
    YM_OK("Ｒ７．４", 2025, 4);
    YM_OK("令和７年４月", 2025, 4);
}

static void test_wareki(void **state)
{
    (void)state;
    YM_OK("令和7年4月", 2025, 4);
    YM_OK("令和 7 年 4 月", 2025, 4);
    YM_OK("R7.4", 2025, 4);
    YM_OK("R7年4月", 2025, 4);
    YM_OK("r7/4", 2025, 4);
    YM_OK("令和元年5月", 2019, 5);
    YM_OK("令和1年5月", 2019, 5);
    YM_OK("平成31年4月", 2019, 4);
    YM_OK("平成元年1月", 1989, 1);
    YM_OK("H30.10", 2018, 10);
    YM_OK("昭和64年1月", 1989, 1);
}

static void test_placeholder(void **state)
{
    (void)state;
    YM_IS("〇年〇月", SK_YM_PLACEHOLDER);
    YM_IS("○年○月", SK_YM_PLACEHOLDER);
    YM_IS("2025年〇月", SK_YM_PLACEHOLDER);
    YM_IS("〇年4月", SK_YM_PLACEHOLDER);
    YM_IS("20XX年〇月", SK_YM_PLACEHOLDER);
    YM_IS("202〇年4月", SK_YM_PLACEHOLDER);
    YM_IS("令和〇年〇月", SK_YM_PLACEHOLDER);
    YM_IS("2025年1〇月", SK_YM_PLACEHOLDER);
    YM_IS("〇年", SK_YM_PLACEHOLDER);
}

static void test_invalid(void **state)
{
    (void)state;
    YM_IS("2025年13月", SK_YM_INVALID);
    YM_IS("2025年0月", SK_YM_INVALID);
    YM_IS("4月", SK_YM_INVALID);     /* no year */
    YM_IS("年4月", SK_YM_INVALID);   /* empty year */
    YM_IS("25年4月", SK_YM_INVALID); /* two-digit 西暦 */
    YM_IS("令和0年4月", SK_YM_INVALID);
    YM_IS("2025年", SK_YM_INVALID); /* no month */
    YM_IS("未定", SK_YM_INVALID);
    YM_IS("1800年4月", SK_YM_INVALID);
    YM_IS("abc", SK_YM_INVALID);
}

static void test_empty(void **state)
{
    (void)state;
    YM_IS("", SK_YM_EMPTY);
    YM_IS("   ", SK_YM_EMPTY);
    YM_IS("　", SK_YM_EMPTY);
}

static void test_end(void **state)
{
    (void)state;
    sk_ym v;
    const char *end;
    const char *s = "2025年4月、2025年10月";
    assert_int_equal(sk_ym_parse(s, &v, &end), SK_YM_OK);
    assert_string_equal(end, "、2025年10月");
    s = "R7.4頃 (予定)";
    assert_int_equal(sk_ym_parse(s, &v, &end), SK_YM_OK);
    assert_string_equal(end, "(予定)");
}

static void test_lists(void **state)
{
    (void)state;
    int n;
    sk_ym last;
    assert_int_equal(sk_ym_list_parse("2025年4月", &n, &last), SK_YM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sk_ym_list_parse("2025年4月、2025年10月", &n, &last), SK_YM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(last.year, 2025);
    assert_int_equal(last.month, 10);
    /* the latest, not the last written */
    assert_int_equal(sk_ym_list_parse("2026年1月, 2025年10月", &n, &last), SK_YM_OK);
    assert_int_equal(last.year, 2026);
    assert_int_equal(last.month, 1);
    /* the template's placeholder after a real date */
    assert_int_equal(sk_ym_list_parse("2025年4月、〇年〇月・・・", &n, &last), SK_YM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(last.month, 4);
    assert_int_equal(sk_ym_list_parse("2025年4月、2025年10月、〇年〇月・・・", &n, &last), SK_YM_OK);
    assert_int_equal(n, 2);
    /* separators and notes */
    assert_int_equal(sk_ym_list_parse("令和7年4月・令和7年10月", &n, &last), SK_YM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(sk_ym_list_parse("2025年4月（初版）\n2025年10月（棚卸し）", &n, &last), SK_YM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(sk_ym_list_parse("2025/4 2025/10", &n, &last), SK_YM_OK);
    assert_int_equal(n, 2);
    /* nothing real */
    assert_int_equal(sk_ym_list_parse("〇年〇月、〇年〇月・・・", &n, &last), SK_YM_PLACEHOLDER);
    assert_int_equal(sk_ym_list_parse("", &n, &last), SK_YM_EMPTY);
    assert_int_equal(sk_ym_list_parse("、・・・", &n, &last), SK_YM_EMPTY);
    /* one bad entry spoils the list */
    assert_int_equal(sk_ym_list_parse("2025年4月、2025年13月", &n, &last), SK_YM_INVALID);
    /* a date begun but left with 〇 is not the template's tail */
    assert_int_equal(sk_ym_list_parse("2025年4月、2025年〇月", &n, &last), SK_YM_PLACEHOLDER);
    assert_int_equal(sk_ym_list_parse("2025年4月、未定", &n, &last), SK_YM_INVALID);
}

static void test_document_dates(void **state)
{
    (void)state;
    sk_ym v;
    assert_true(sk_doc_date_parse("2026年4月1日", &v));
    assert_int_equal(v.year, 2026);
    assert_int_equal(v.month, 4);
    assert_true(sk_doc_date_parse("令和8年4月1日", &v));
    assert_int_equal(v.year, 2026);
    assert_false(sk_doc_date_parse("20XX年〇月〇日", &v));
    assert_false(sk_doc_date_parse("", &v));
    assert_false(sk_doc_date_parse(NULL, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seireki),     cmocka_unit_test(test_full_width), cmocka_unit_test(test_wareki),
        cmocka_unit_test(test_placeholder), cmocka_unit_test(test_invalid),    cmocka_unit_test(test_empty),
        cmocka_unit_test(test_end),         cmocka_unit_test(test_lists),      cmocka_unit_test(test_document_dates),
    };
    return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
