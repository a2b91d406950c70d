/* Unit tests for the text helpers the extractor and the JSON writer stand on:
 * the inline sk_buf helpers (text.h), the check-box characters' encoding the
 * extractor's marker count relies on, and the UTF-8 cleaning of comments and
 * findings (answers.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sechk/answers.h"
#include "sechk/text.h"

/* The inline sk_buf helpers across growth: byte by byte, by pieces, and a
 * reserve that fits exactly. */
static void test_buf_helpers(void **state)
{
    (void)state;
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_buf_reserve(&b, 0), SK_OK);
    assert_non_null(b.data);
    assert_true(b.cap >= 1);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(sk_buf_putc(&b, (char)('a' + i % 26)), SK_OK);
        assert_int_equal(b.len, (size_t)i + 1);
        assert_true(b.cap > b.len);
        assert_int_equal(b.data[b.len], '\0');
        assert_int_equal(b.data[i], 'a' + i % 26);
    }
    sk_buf_reset(&b);
    size_t total = 0;
    for (size_t n = 0; n < 300; n++) {
        char piece[300];
        memset(piece, (int)('A' + n % 26), n);
        assert_int_equal(sk_buf_append_len(&b, piece, n), SK_OK);
        total += n;
        assert_int_equal(b.len, total);
        assert_true(b.cap > b.len);
        assert_int_equal(b.data[b.len], '\0');
    }
    assert_int_equal(sk_buf_append_len(&b, NULL, 0), SK_OK);
    assert_int_equal(b.len, total);
    size_t room = b.cap - b.len - 1;
    char *before = b.data;
    assert_int_equal(sk_buf_reserve(&b, room), SK_OK);
    assert_ptr_equal(b.data, before); /* fits: no realloc */
    assert_int_equal(sk_buf_reserve(&b, SIZE_MAX), SK_ERR_NOMEM);
    assert_int_equal(sk_buf_append(&b, "end"), SK_OK);
    assert_string_equal(b.data + total, "end");
    sk_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
}

/* extract.c counts a cell's check-box characters by decoding only at E2
 * bytes: every code point sk_mark_of knows must be three bytes led by E2. */
static void test_markers_lead_e2(void **state)
{
    (void)state;
    int seen = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (sk_mark_of(cp) == SK_MARK_NONE)
            continue;
        char enc[4];
        assert_int_equal(sk_utf8_encode(cp, enc), 3);
        assert_int_equal((unsigned char)enc[0], 0xE2);
        seen++;
    }
    assert_true(seen >= 11);
}

/* Comments (and findings) keep their valid UTF-8 and drop invalid bytes, one
 * at a time, wherever they fall. */
static void test_invalid_utf8_dropped(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"plain ascii", "plain ascii"},
        {"\xe3\x81\x82\xe3\x81\x84", "\xe3\x81\x82\xe3\x81\x84"},
        {"\xff", ""},
        {"a\xff" "b", "ab"},
        {"\xe3\x81", ""},                           /* cut at the end */
        {"x\xe3\x81\x82\xe3", "x\xe3\x81\x82"},       /* cut after a character */
        {"\xc0\xaf/\xed\xa0\x80!", "/!"},             /* overlong, surrogate */
        {"\xe3\x81\xe3\x81\x82", "\xe3\x81\x82"},    /* a lead byte then a whole one */
        {"\x80\x80ok\xf4\x90\x80\x80", "ok"},        /* stray continuations, > U+10FFFF */
        {"\xf0\x9f\x98\x80\xe2\x96\xa0", "\xf0\x9f\x98\x80\xe2\x96\xa0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sk_cell_answers ca;
        memset(&ca, 0, sizeof ca);
        assert_int_equal(sk_cell_add_comment(&ca, cases[i].in, cases[i].in, false), SK_OK);
        assert_string_equal(ca.comments[0].text, cases[i].want);
        assert_string_equal(ca.comments[0].author, cases[i].want);
        free(ca.comments[0].author);
        free(ca.comments[0].text);
        free(ca.comments);
    }
    /* a long text with an invalid byte every 1000 */
    enum { LONG = 10000 };
    char *in = malloc(LONG + 1), *want = malloc(LONG + 1);
    assert_non_null(in);
    assert_non_null(want);
    size_t n = 0;
    for (int i = 0; i < LONG; i++) {
        in[i] = i % 1000 == 999 ? (char)0xFF : (char)('a' + i % 26);
        if (i % 1000 != 999)
            want[n++] = in[i];
    }
    in[LONG] = want[n] = '\0';
    sk_cell_answers ca;
    memset(&ca, 0, sizeof ca);
    assert_int_equal(sk_cell_add_comment(&ca, NULL, in, true), SK_OK);
    assert_string_equal(ca.comments[0].text, want);
    assert_string_equal(ca.comments[0].author, "");
    free(ca.comments[0].author);
    free(ca.comments[0].text);
    free(ca.comments);
    free(in);
    free(want);
}

/* The longest valid start: up to the first byte that begins no whole
 * character (ASCII in eight-byte steps, CJK by its fast lane, the rest by
 * sk_utf8_next); sk_utf8_valid is its whole length. */
static void test_valid_prefix(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"", 0},
        {"twelve bytes", 12},
        {"12345678\x80", 8},
        {"\xe3\x81\x82\xe3\x81", 3},           /* cut at the end */
        {"ab\xed\xa0\x80", 2},                 /* a surrogate */
        {"\xef\xbc\xa1\xf0\x9f\x98\x80!", 8},  /* full-width A, a 4-byte one */
        {"\xe0\x80\xaf", 0},                   /* overlong */
        {"\xf5\x80\x80\x80", 0},
        {"\xe2\x96\xa0\xe2\x96\xa1 ok\xff", 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].s);
        assert_int_equal(sk_utf8_valid_prefix(cases[i].s, len), cases[i].want);
        assert_int_equal(sk_utf8_valid(cases[i].s, len), cases[i].want == len);
    }
}

/* Decimal digits at a pointer: the JSON's integers, cell references and
 * the summary's raw rows. */
static void test_put_uint(void **state)
{
    (void)state;
    static const struct {
        unsigned long long v;
        const char *want;
    } cases[] = {{0, "0"}, {7, "7"}, {10, "10"}, {1048576, "1048576"}, {18446744073709551615ULL, "18446744073709551615"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[24];
        *sk_put_uint(buf, cases[i].v) = '\0';
        assert_string_equal(buf, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_helpers),
        cmocka_unit_test(test_markers_lead_e2),
        cmocka_unit_test(test_invalid_utf8_dropped),
        cmocka_unit_test(test_valid_prefix),
        cmocka_unit_test(test_put_uint),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
