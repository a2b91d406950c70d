/* Unit tests: the row height a text needs (sk_text_height), whose decoding
 * takes a short cut for well-formed three-byte sequences and must read
 * every other byte as sk_utf8_next does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sechk/render.h"

/* Points of n lines at the sheet's font size (13 a line, 4 of padding). */
#define LINES(n) ((n) * 13.0 + 4)

static void test_widths(void **state)
{
    (void)state;
    /* width 10: 8.8 characters a line */
    assert_true(sk_text_height("", 10) == LINES(1));
    assert_true(sk_text_height("abcdefgh", 10) == LINES(1));
    assert_true(sk_text_height("abcdefghi", 10) == LINES(2));
    /* 1.9 a full-width character: 4 fit, 5 do not */
    assert_true(sk_text_height("あいうえ", 10) == LINES(1));
    assert_true(sk_text_height("あいうえお", 10) == LINES(2));
    assert_true(sk_text_height("全角：ＡＢ", 10) == LINES(2));
    /* half-width katakana (U+FF61–U+FF9F) count 1 */
    assert_true(sk_text_height("ｱｲｳｴｵｶｷｸ", 10) == LINES(1));
    assert_true(sk_text_height("ｱｲｳｴｵｶｷｸｹ", 10) == LINES(2));
    assert_true(sk_text_height("a\nb\n\nc", 10) == LINES(4));
    assert_true(sk_text_height("あ", 1) == LINES(1)); /* at least 2 a line */
}

static void test_bad_bytes(void **state)
{
    (void)state;
    /* every byte of a sequence sk_utf8_next refuses counts 1 */
    assert_true(sk_text_height("\xff\xff\xff\xff\xff\xff\xff\xff", 10) == LINES(1));
    assert_true(sk_text_height("\xff\xff\xff\xff\xff\xff\xff\xff\xff", 10) == LINES(2));
    assert_true(sk_text_height("abcdef\xe3\x81", 10) == LINES(1));        /* cut short */
    assert_true(sk_text_height("abcdef\xe3\x81x", 10) == LINES(2));       /* the same, then x: 9 */
    assert_true(sk_text_height("abcdefg\xed\xa0\x80", 10) == LINES(2));   /* a surrogate: 3 bytes of 1 */
    assert_true(sk_text_height("abcde\xe0\x80\x80", 10) == LINES(1));     /* overlong: 3 bytes of 1 */
    assert_true(sk_text_height("abcdef\xe3\x41\x82", 10) == LINES(2));    /* bad continuation */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_bad_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
