/* Unit tests for the part files sechk gives libxlsxwriter (lxw_tmpfile in
 * src/output/atomic.c): held in memory while small, moved into a file when
 * they grow past PART_MEM_MAX (2 MiB), and read, written and sought the same
 * way either side of that move. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xlsxwriter.h>

enum { MIB = 1 << 20 };

/* Byte k of the pattern the tests write. */
static char pat(size_t k)
{
    return (char)('a' + (k * 7 + k / 251) % 26);
}

/* Reads the whole stream from its start and compares it with want[0..n). */
static void expect_content(FILE *f, const char *want, size_t n)
{
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    char *got = malloc(n + 16);
    assert_non_null(got);
    size_t r = fread(got, 1, n + 16, f);
    assert_int_equal(r, n);
    assert_memory_equal(got, want, n);
    free(got);
}

/* A small part: written, read back, overwritten in the middle, and a seek
 * past its end leaves a hole that reads as zeros. */
static void test_small(void **state)
{
    (void)state;
    FILE *f = lxw_tmpfile(NULL);
    assert_non_null(f);
    char want[300];
    for (size_t k = 0; k < 200; k++)
        want[k] = pat(k);
    assert_int_equal(fwrite(want, 1, 200, f), 200);
    expect_content(f, want, 200);
    assert_int_equal(fseek(f, 50, SEEK_SET), 0);
    assert_int_equal(fwrite("XYZ", 1, 3, f), 3);
    memcpy(want + 50, "XYZ", 3);
    expect_content(f, want, 200);
    assert_int_equal(fseek(f, 250, SEEK_SET), 0);
    assert_int_equal(fwrite("end", 1, 3, f), 3);
    memset(want + 200, 0, 50);
    memcpy(want + 250, "end", 3);
    expect_content(f, want, 253);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    assert_int_equal(ftell(f), 253);
    assert_int_equal(fseek(f, -300, SEEK_CUR) == 0, 0); /* before the start: refused */
    assert_int_equal(fclose(f), 0);
}

/* A part that grows past 2 MiB in pieces moves into a file with what it
 * held; a write in the middle after the move and the whole read back. */
static void test_spill(void **state)
{
    (void)state;
    size_t n = 3 * MIB + 12345;
    char *want = malloc(n);
    assert_non_null(want);
    for (size_t k = 0; k < n; k++)
        want[k] = pat(k);
    FILE *f = lxw_tmpfile(NULL);
    assert_non_null(f);
    for (size_t at = 0; at < n;) {
        size_t piece = n - at < 7919 ? n - at : 7919;
        assert_int_equal(fwrite(want + at, 1, piece, f), piece);
        at += piece;
    }
    expect_content(f, want, n);
    assert_int_equal(fseek(f, (long)MIB, SEEK_SET), 0);
    assert_int_equal(fwrite("middle", 1, 6, f), 6);
    memcpy(want + MIB, "middle", 6);
    expect_content(f, want, n);
    assert_int_equal(fclose(f), 0);
    free(want);
}

/* One write larger than the memory limit at once. */
static void test_one_big_write(void **state)
{
    (void)state;
    size_t n = 2 * MIB + 1;
    char *want = malloc(n);
    assert_non_null(want);
    for (size_t k = 0; k < n; k++)
        want[k] = pat(k + 3);
    FILE *f = lxw_tmpfile(NULL);
    assert_non_null(f);
    assert_int_equal(fwrite("head", 1, 4, f), 4);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    assert_int_equal(fwrite(want, 1, n, f), n);
    expect_content(f, want, n);
    assert_int_equal(fclose(f), 0);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_spill),
        cmocka_unit_test(test_one_big_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
