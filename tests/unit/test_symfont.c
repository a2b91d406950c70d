/* Unit tests: check-box glyphs of symbol fonts (sechk/symfont.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sechk/symfont.h"

static void maps(sk_symfont f, const char *in, const char *want)
{
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_symfont_map(f, in, strlen(in), &b), SK_OK);
    assert_string_equal(b.data ? b.data : "", want);
    sk_buf_free(&b);
}

static void test_fonts(void **state)
{
    (void)state;
    assert_int_equal(sk_symfont_of("Wingdings"), SK_SYMFONT_WINGDINGS);
    assert_int_equal(sk_symfont_of("wingdings"), SK_SYMFONT_WINGDINGS);
    assert_int_equal(sk_symfont_of("Wingdings 2"), SK_SYMFONT_WINGDINGS2);
    assert_int_equal(sk_symfont_of("Webdings"), SK_SYMFONT_WEBDINGS);
    assert_int_equal(sk_symfont_of("Wingdings 3"), SK_SYMFONT_NONE);
    assert_int_equal(sk_symfont_of("ＭＳ Ｐゴシック"), SK_SYMFONT_NONE);
    assert_int_equal(sk_symfont_of(NULL), SK_SYMFONT_NONE);
}

static void test_glyphs(void **state)
{
    (void)state;
    maps(SK_SYMFONT_WINGDINGS, "\u00fe\u00fd\u00a8on\u00fc", "☑☒◻□■✔");
    maps(SK_SYMFONT_WINGDINGS, "\uf0fe\uf0a8", "☑◻"); /* the private use area form */
    maps(SK_SYMFONT_WINGDINGS2, "RST\u00a3P", "☑☒☒☐✓");
    maps(SK_SYMFONT_WEBDINGS, "acg", "✔□■");
    /* glyphs with no check-box meaning stay as stored */
    maps(SK_SYMFONT_WINGDINGS, "J適合", "J適合");
    maps(SK_SYMFONT_WINGDINGS2, "o", "o");
    maps(SK_SYMFONT_NONE, "\u00fe", "\u00fe");
    assert_true(sk_symfont_candidate(0xFE));
    assert_true(sk_symfont_candidate(0xF0A3));
    assert_false(sk_symfont_candidate(0x3042));
    assert_int_equal(sk_symfont_marker(SK_SYMFONT_WINGDINGS, 'J'), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_fonts), cmocka_unit_test(test_glyphs)};
    return cmocka_run_group_tests_name("symfont", tests, NULL, NULL);
}
