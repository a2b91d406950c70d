/* Unit tests for the JSON string writer of src/output/json.c
 * (sk_json_put_string); its sk_buf helpers: test_text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sechk/answers.h"
#include "sechk/json.h"
#include "sechk/template.h"
#include "sechk/text.h"

/* The escapes byte by byte, written the plain way (as the writer did before
 * it went by runs): the reference the writer must match exactly. */
static void ref_string(const char *s, sk_buf *out)
{
    assert_int_equal(sk_buf_putc(out, '"'), SK_OK);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': strcpy(esc, "\\\""); break;
        case '\\': strcpy(esc, "\\\\"); break;
        case '\b': strcpy(esc, "\\b"); break;
        case '\f': strcpy(esc, "\\f"); break;
        case '\n': strcpy(esc, "\\n"); break;
        case '\r': strcpy(esc, "\\r"); break;
        case '\t': strcpy(esc, "\\t"); break;
        default:
            if (*p < 0x20)
                snprintf(esc, sizeof esc, "\\u%04X", *p);
            else
                esc[0] = (char)*p, esc[1] = '\0';
        }
        assert_int_equal(sk_buf_append(out, esc), SK_OK);
    }
    assert_int_equal(sk_buf_putc(out, '"'), SK_OK);
}

/* s written by sk_json_put_string after prefix; checks it against want. */
static void check_put(const char *prefix, const char *s, const char *want)
{
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_buf_append(&b, prefix), SK_OK);
    assert_int_equal(sk_json_put_string(&b, s), SK_OK);
    assert_int_equal(b.len, strlen(prefix) + strlen(want));
    assert_memory_equal(b.data, prefix, strlen(prefix));
    assert_string_equal(b.data + strlen(prefix), want);
    assert_true(b.cap > b.len);
    sk_buf_free(&b);
}

/* s written by sk_json_put_string equals the reference, after prefix. */
static void check_ref(const char *prefix, const char *s)
{
    sk_buf want = SK_BUF_INIT;
    ref_string(s, &want);
    check_put(prefix, s, want.data);
    sk_buf_free(&want);
}

/* The escapes spelled out. */
static void test_escapes_literal(void **state)
{
    (void)state;
    check_put("", "", "\"\"");
    check_put("", "plain", "\"plain\"");
    check_put("", "a\"b\\c", "\"a\\\"b\\\\c\"");
    check_put("", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    check_put("", "\x01\x1f\x0b\x7f", "\"\\u0001\\u001F\\u000B\x7f\"");
    check_put("", "/", "\"/\"");
    check_put("x: ", "\x1e\xe3\x81\x82\"", "\"\\u001E\xe3\x81\x82\\\"\"");
}

/* Every byte 0x01..0xFF alone, at the start, middle and end of a string. */
static void test_every_byte(void **state)
{
    (void)state;
    for (int c = 1; c < 256; c++) {
        char s[8] = {(char)c, '\0'};
        check_ref("", s);
        snprintf(s, sizeof s, "ab%cc", c);
        check_ref("{", s);
        snprintf(s, sizeof s, "ab%c", c);
        check_ref("", s);
        if (c < 0x20 || c == '"' || c == '\\')
            continue;
        char one[2] = {(char)c, '\0'};
        char want[4] = {'"', (char)c, '"', '\0'};
        check_put("", one, want);
    }
    char all[256];
    for (int c = 1; c < 256; c++)
        all[c - 1] = (char)c;
    all[255] = '\0';
    check_ref("", all);
}

/* Invalid UTF-8 goes out as it came in (the reader refuses it earlier; the
 * writer neither checks nor repairs). */
static void test_invalid_utf8_as_is(void **state)
{
    (void)state;
    check_put("", "\xc3\x28\xff\xfe\xed\xa0\x80\xc0\xaf\xe3\x81", "\"\xc3\x28\xff\xfe\xed\xa0\x80\xc0\xaf\xe3\x81\"");
    check_ref("", "\x80\n\xbf\"\xf5");
}

/* Long strings that make the buffer grow mid-run and mid-escape, from every
 * starting length around the first capacities. */
static void test_long_across_growth(void **state)
{
    (void)state;
    enum { LONG = 20000 };
    char *s = malloc(LONG + 1);
    assert_non_null(s);
    for (int i = 0; i < LONG; i++)
        s[i] = (i % 97 == 5) ? '\n' : (i % 251 == 7) ? '\x01' : (i % 3) ? 'a' + i % 26 : (char)0xe3;
    s[LONG] = '\0';
    char prefix[200];
    for (int k = 0; k < (int)sizeof prefix - 1; k += 7) {
        memset(prefix, 'p', (size_t)k);
        prefix[k] = '\0';
        check_ref(prefix, s);
    }
    memset(s, '"', LONG); /* all escapes */
    check_ref("", s);
    memset(s, 'z', LONG); /* one run */
    check_ref("q", s);
    free(s);
}

/* The answers of the built-in template at depth 40 (past the writer's run
 * of spaces, 32 levels) are those at depth 0 with 80 more spaces after every
 * line break; strings with escapes in them. */
static void test_answers_deep(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    sk_answers *a = sk_answers_new(t);
    assert_non_null(a);
    assert_int_equal(sk_answers_set_str(&a->path, "C:\\in \"q\"\n\x01.xlsx"), SK_OK);
    assert_int_equal(sk_answers_set_str(&a->sha256, "00"), SK_OK);
    assert_int_equal(sk_answers_set_str(&a->sheet, "\xe3\x82\xb7\t"), SK_OK);
    sk_buf flat = SK_BUF_INIT, deep = SK_BUF_INIT, want = SK_BUF_INIT;
    assert_int_equal(sk_json_write_answers(a, SK_LANG_JA, 0, &flat), SK_OK);
    assert_int_equal(sk_buf_append(&deep, "["), SK_OK);
    assert_int_equal(sk_json_write_answers(a, SK_LANG_JA, 40, &deep), SK_OK);
    assert_int_equal(sk_buf_append(&want, "["), SK_OK);
    for (const char *p = flat.data; *p; p++) {
        assert_int_equal(sk_buf_putc(&want, *p), SK_OK);
        if (*p == '\n')
            for (int k = 0; k < 80; k++)
                assert_int_equal(sk_buf_putc(&want, ' '), SK_OK);
    }
    assert_string_equal(deep.data, want.data);
    assert_non_null(strstr(flat.data, "\n  \"source\": {\n    \"path\": \"C:\\\\in \\\"q\\\"\\n\\u0001.xlsx\",\n"));
    assert_non_null(strstr(flat.data, "\"sheet\": \"\xe3\x82\xb7\\t\"\n  },"));
    assert_true(flat.len > 1000 && flat.data[0] == '{' && flat.data[flat.len - 1] == '}');
    sk_buf_free(&flat);
    sk_buf_free(&deep);
    sk_buf_free(&want);
    sk_answers_free(a);
    sk_template_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_literal),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_invalid_utf8_as_is),
        cmocka_unit_test(test_long_across_growth),
        cmocka_unit_test(test_answers_deep),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
