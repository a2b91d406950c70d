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

#include "sechk/json.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_literal),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_invalid_utf8_as_is),
        cmocka_unit_test(test_long_across_growth),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
