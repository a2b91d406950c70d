/* Unit tests for the command line's message catalogue (src/cli/msg.c) and the
 * library's reasons and phrases (src/util/reason.c): every message, reason
 * and phrase has both languages, the two languages
 * of a message take the same printf arguments, and reasons are translated
 * (or passed through) exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "../../src/cli/msg.c"
#include "../../src/util/reason.c"

/* True if s holds a byte outside ASCII (Japanese text, in this catalogue). */
static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

/* Writes the printf conversions of fmt ("%s%llu%.*s"…) into out. */
static void conversions(const char *fmt, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        const char *q = p + 1;
        if (*q == '%') {
            p = q;
            continue;
        }
        while (*q && !strchr("diouxXeEfgGcspn", *q))
            q++;
        size_t len = (size_t)(q - p) + (*q ? 1 : 0);
        assert_true(n + len + 1 < cap);
        memcpy(out + n, p, len);
        n += len;
        out[n] = '\0';
        p = q;
        if (!*q)
            break;
    }
}

static void test_every_message_has_both_languages(void **state)
{
    (void)state;
    for (int k = 0; k < SK_MSG__COUNT; k++) {
        assert_non_null(messages[k].ja);
        assert_non_null(messages[k].en);
        assert_true(messages[k].ja[0] != '\0');
        assert_true(messages[k].en[0] != '\0');
        assert_true(has_non_ascii(messages[k].ja)); /* Japanese */
        assert_string_not_equal(messages[k].ja, messages[k].en);
    }
}

static void test_languages_take_the_same_arguments(void **state)
{
    (void)state;
    for (int k = 0; k < SK_MSG__COUNT; k++) {
        char ja[128], en[128];
        conversions(messages[k].ja, ja, sizeof ja);
        conversions(messages[k].en, en, sizeof en);
        assert_string_equal(ja, en);
    }
}

/* True if text names option opt ("--lang") as a whole word. */
static bool names_option(const char *text, const char *opt, size_t len)
{
    for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt)) {
        char next = p[len];
        if (!(next >= 'a' && next <= 'z') && !(next >= '0' && next <= '9') && next != '-')
            return true;
    }
    return false;
}

/* Every option one language of a help text names, the other names too. */
static void check_same_options(const char *a, const char *b)
{
    for (const char *p = strstr(a, "--"); p; p = strstr(p + 2, "--")) {
        size_t len = 2;
        while ((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= '0' && p[len] <= '9') || p[len] == '-')
            len++;
        if (len == 2)
            continue;
        char opt[64];
        snprintf(opt, sizeof opt, "%.*s", (int)len, p);
        if (!names_option(b, opt, len))
            fail_msg("%s is in one language of a help text only", opt);
    }
}

static void test_help_texts_name_the_same_options(void **state)
{
    (void)state;
    for (int k = SK_MSG_HELP_MAIN; k <= SK_MSG_HELP_LIMITS; k++) {
        check_same_options(messages[k].ja, messages[k].en);
        check_same_options(messages[k].en, messages[k].ja);
        assert_true(strstr(messages[k].en, "使い方") == NULL); /* English alone */
    }
}

static void test_every_reason_has_both_languages(void **state)
{
    (void)state;
    for (int k = 0; k < SK_REASON__COUNT; k++) {
        assert_true(reasons[k].code > SK_OK && reasons[k].code < SK_ERR__COUNT);
        assert_non_null(reasons[k].en);
        assert_non_null(reasons[k].ja);
        assert_true(reasons[k].en[0] != '\0');
        assert_true(has_non_ascii(reasons[k].ja));
        assert_false(has_non_ascii(reasons[k].en));
    }
    for (int k = 0; k < SK_PHRASE__COUNT; k++) { /* the library's phrases */
        char ja[128], en[128];
        assert_non_null(phrases[k].ja);
        assert_non_null(phrases[k].en);
        assert_true(has_non_ascii(phrases[k].ja));
        assert_false(has_non_ascii(phrases[k].en));
        conversions(phrases[k].ja, ja, sizeof ja);
        conversions(phrases[k].en, en, sizeof en);
        assert_string_equal(ja, en);
    }
    assert_string_equal(sk_phrase(SK_PHRASE__COUNT, SK_LANG_JA), "?");
    for (int c = 0; c < SK_ERR__COUNT; c++) {
        assert_non_null(code_ja[c]);
        assert_true(has_non_ascii(code_ja[c]));
    }
}

static void test_lang_switch(void **state)
{
    (void)state;
    assert_int_equal(sk_msg_lang(), SK_LANG_JA);
    assert_string_equal(sk_msg(SK_MSG_NO_INPUT), "入力ファイルを指定してください");
    sk_msg_set_lang(SK_LANG_EN);
    assert_string_equal(sk_msg(SK_MSG_NO_INPUT), "no input file");
    sk_msg_set_lang(SK_LANG_JA);
    assert_string_equal(sk_msg_text(SK_MSG_WRITTEN, SK_LANG_JA), "書き出しました: %s");
    assert_string_equal(sk_msg_text(SK_MSG_WRITTEN, SK_LANG_EN), "written: %s");
    assert_string_equal(sk_msg_text(SK_MSG__COUNT, SK_LANG_EN), "?");
}

/* Translates reason with code in lang. */
static const char *tr(sk_error code, const char *reason, sk_lang lang, char *buf, size_t cap)
{
    sk_diag d;
    sk_diag_clear(&d);
    d.code = code;
    snprintf(d.reason, sizeof d.reason, "%s", reason);
    return sk_diag_reason(&d, lang, buf, cap);
}

static void test_reasons_translated(void **state)
{
    (void)state;
    char b[1024];
    const char *eocd = "no end of central directory record (a truncated or damaged zip)";
    assert_string_equal(tr(SK_ERR_ZIP, eocd, SK_LANG_JA, b, sizeof b),
                        "zip の終端レコードがありません（ファイルが途中で切れているか壊れています）");
    assert_string_equal(tr(SK_ERR_ZIP, eocd, SK_LANG_EN, b, sizeof b), eocd);
    /* what follows a known reason (an errno text) is kept */
    assert_string_equal(
        tr(SK_ERR_WRITE, "output folder does not exist: No such file or directory", SK_LANG_JA, b, sizeof b),
        "出力先のフォルダがありません: No such file or directory");
    /* the code must match too: the same words under another code are not translated */
    assert_string_equal(tr(SK_ERR_XML, "empty file", SK_LANG_JA, b, sizeof b),
                        "ブックの中の XML が壊れているか、受け付けられません（empty file）");
    /* an unknown reason: the code's Japanese, the English detail in brackets */
    assert_string_equal(tr(SK_ERR_ZIP, "zip entry xl/a.xml has no local header (damaged zip)", SK_LANG_JA, b, sizeof b),
                        "zip ファイルが壊れているか、対応していない形式です（zip entry xl/a.xml has no local header "
                        "(damaged zip)）");
    /* a whole phrase only, the more specific entry first */
    assert_string_equal(tr(SK_ERR_IO, "cannot open template: No such file or directory", SK_LANG_JA, b, sizeof b),
                        "チェックリスト定義ファイルを開けません: No such file or directory");
    assert_string_equal(tr(SK_ERR_FORMAT, "empty files", SK_LANG_JA, b, sizeof b),
                        ".xlsx ブックではありません（empty files）");
    /* a reason the library already wrote in Japanese is left as it is */
    assert_string_equal(tr(SK_ERR_NOT_CHECKLIST, "シート A と B (sheets A and B)", SK_LANG_JA, b, sizeof b),
                        "シート A と B (sheets A and B)");
    /* no reason: the code's text in each language */
    assert_string_equal(tr(SK_ERR_NOMEM, "", SK_LANG_EN, b, sizeof b), "out of memory");
    assert_string_equal(tr(SK_ERR_NOMEM, "", SK_LANG_JA, b, sizeof b), "メモリが足りません");
    /* a reason with one variable part ("%s" in the table) keeps it in its place */
    assert_string_equal(tr(SK_ERR_JSON,
                           "the array holds 7 answers objects; fill writes one workbook from one answers "
                           "object",
                           SK_LANG_JA, b, sizeof b),
                        "回答が 7 件あります。fill は 1 件の回答から 1 つのブックを作ります");
    assert_string_equal(
        tr(SK_ERR_WRITE, "out/a: a symbolic link where a folder would be; not followed", SK_LANG_JA, b, sizeof b),
        "out/a: フォルダの位置にシンボリックリンクがあります。たどりません");
    /* the written reasons, as the output failure's line shows them */
    assert_string_equal(tr(SK_ERR_WRITE, "cannot write the workbook: No space left on device", SK_LANG_JA, b, sizeof b),
                        "ブックを書き込めません: No space left on device");
    /* a small buffer truncates, never overflows */
    char small[8];
    tr(SK_ERR_ZIP, eocd, SK_LANG_EN, small, sizeof small);
    assert_int_equal(strlen(small), 7);
    /* ... and cuts Japanese at a character boundary: "zip の" is 7 bytes, 9 do not hold the next */
    char nine[9];
    assert_string_equal(tr(SK_ERR_ZIP, eocd, SK_LANG_JA, nine, sizeof nine), "zip の");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_message_has_both_languages),
        cmocka_unit_test(test_languages_take_the_same_arguments),
        cmocka_unit_test(test_help_texts_name_the_same_options),
        cmocka_unit_test(test_every_reason_has_both_languages),
        cmocka_unit_test(test_lang_switch),
        cmocka_unit_test(test_reasons_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
