/* Unit tests for the CFB reader (src/read/cfb.c) and the encryption's
 * identification (src/read/crypt.c).  CFB files are built here byte by byte
 * (version 3, 512-byte sectors): sector 0 the FAT, 1 the directory, 2 the
 * mini FAT, 3.. the streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sechk/cfb.h"
#include "sechk/crypt.h"

enum { SEC = 512, N_SECT = 16, FILE_LEN = SEC * (N_SECT + 1) };

#define END 0xFFFFFFFEu
#define FREE 0xFFFFFFFFu
#define NOSTREAM 0xFFFFFFFFu

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* A directory entry i of the file f. */
static unsigned char *entry(unsigned char *f, int i)
{
    return f + SEC * 2 + 128 * i;
}

/* Sets directory entry i: name, type, right sibling, child, start, size. */
static void set_entry(unsigned char *f, int i, const char *name, int type, uint32_t right, uint32_t child,
                      uint32_t start, uint32_t size)
{
    unsigned char *e = entry(f, i);
    size_t n = strlen(name);
    memset(e, 0, 128);
    for (size_t k = 0; k < n; k++)
        put16(e + 2 * k, (uint16_t)(unsigned char)name[k]);
    put16(e + 0x40, (uint16_t)(2 * n + 2));
    e[0x42] = (unsigned char)type;
    e[0x43] = 1;
    put32(e + 0x44, NOSTREAM);
    put32(e + 0x48, right);
    put32(e + 0x4C, child);
    put32(e + 0x74, start);
    put32(e + 0x78, size);
}

/* A well-formed file: root -> "Workbook" (4096 bytes at sectors 3..10, the
 * bytes k % 251) -> "Small" (100 bytes in the mini stream, at sector 11). */
static unsigned char *make_file(void)
{
    unsigned char *f = calloc(FILE_LEN, 1);
    static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(f, sig, 8);
    put16(f + 0x18, 0x3E);
    put16(f + 0x1A, 3);
    put16(f + 0x1C, 0xFFFE);
    put16(f + 0x1E, 9);
    put16(f + 0x20, 6);
    put32(f + 0x2C, 1);    /* FAT sectors */
    put32(f + 0x30, 1);    /* first directory sector */
    put32(f + 0x38, 4096); /* mini stream cutoff */
    put32(f + 0x3C, 2);    /* first mini FAT sector */
    put32(f + 0x40, 1);    /* mini FAT sectors */
    put32(f + 0x44, END);  /* no DIFAT sectors */
    put32(f + 0x4C, 0);
    for (int i = 1; i < 109; i++)
        put32(f + 0x4C + 4 * i, FREE);
    unsigned char *fat = f + SEC;
    for (int i = 0; i < 128; i++)
        put32(fat + 4 * i, FREE);
    put32(fat + 0, 0xFFFFFFFDu);
    put32(fat + 4, END);
    put32(fat + 8, END);
    for (int s = 3; s <= 10; s++)
        put32(fat + 4 * s, s < 10 ? (uint32_t)s + 1 : END);
    put32(fat + 4 * 11, END); /* the mini stream: one sector */
    unsigned char *mfat = f + SEC * 3;
    for (int i = 0; i < 128; i++)
        put32(mfat + 4 * i, FREE);
    put32(mfat + 0, 1);
    put32(mfat + 4, END);
    set_entry(f, 0, "Root Entry", 5, NOSTREAM, 1, 11, 128);
    set_entry(f, 1, "Workbook", 2, 2, NOSTREAM, 3, 4096);
    set_entry(f, 2, "Small", 2, NOSTREAM, NOSTREAM, 0, 100);
    for (int k = 0; k < 4096; k++)
        f[SEC * 4 + k] = (unsigned char)(k % 251);
    for (int k = 0; k < 128; k++)
        f[SEC * 12 + k] = (unsigned char)(200 - k);
    return f;
}

/* Opens f and returns the error code; d gets the reason. */
static sk_error try_open(const unsigned char *f, size_t len, sk_diag *d)
{
    sk_cfb *c = NULL;
    sk_diag_clear(d);
    sk_error e = sk_cfb_open(f, len, &c, d);
    if (e == SK_OK)
        assert_non_null(c);
    else
        assert_null(c);
    sk_cfb_close(c);
    return e;
}

/* A well-formed file: streams found, read from regular and mini sectors. */
static void test_read(void **state)
{
    (void)state;
    unsigned char *f = make_file();
    sk_cfb *c = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    size_t i;
    unsigned char *buf;
    size_t len;
    assert_true(sk_cfb_find(c, "workbook", &i));
    assert_int_equal(sk_cfb_size(c, i), 4096);
    assert_int_equal(sk_cfb_read(c, i, &buf, &len, &d), SK_OK);
    assert_int_equal(len, 4096);
    for (int k = 0; k < 4096; k++)
        assert_int_equal(buf[k], k % 251);
    free(buf);
    assert_true(sk_cfb_find(c, "Small", &i));
    assert_int_equal(sk_cfb_read(c, i, &buf, &len, &d), SK_OK);
    assert_int_equal(len, 100);
    assert_int_equal(buf[0], 200); /* mini sectors 0 and 1: the mini stream's first bytes */
    assert_int_equal(buf[99], 200 - 99);
    free(buf);
    assert_false(sk_cfb_find(c, "Root Entry", &i));
    assert_int_equal(sk_cfb_classify(c), SK_CFB_XLS);
    sk_cfb_close(c);
    free(f);
}

/* What a file is, from its root streams. */
static void test_classify(void **state)
{
    (void)state;
    unsigned char *f = make_file();
    sk_cfb *c = NULL;
    sk_diag d;
    set_entry(f, 1, "EncryptionInfo", 2, 2, NOSTREAM, 3, 4096);
    set_entry(f, 2, "EncryptedPackage", 2, NOSTREAM, NOSTREAM, 0, 100);
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    assert_int_equal(sk_cfb_classify(c), SK_CFB_ENCRYPTED);
    sk_cfb_close(c);
    set_entry(f, 1, "WordDocument", 2, 2, NOSTREAM, 3, 4096);
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    assert_int_equal(sk_cfb_classify(c), SK_CFB_OTHER);
    sk_cfb_close(c);
    free(f);
}

/* Damage: each is SK_ERR_FORMAT (or a limit) with a reason, never a hang. */
static void test_damage(void **state)
{
    (void)state;
    sk_diag d;
    unsigned char *f = make_file();
    assert_int_equal(try_open(f, 300, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "header is truncated"));

    put16(f + 0x1E, 12); /* version 3 with 4096-byte sectors */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "unsupported header"));
    free(f);

    f = make_file();
    put32(f + 0x2C, 1000); /* FAT sectors: more than the file could need */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "FAT sector count"));
    free(f);

    f = make_file();
    put32(f + 0x4C, 99); /* the FAT sector lies outside the file */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "FAT sector lies outside"));
    free(f);

    f = make_file();
    put32(f + SEC + 4, 1); /* the directory chain loops on itself */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "directory chain is broken or loops"));
    free(f);

    f = make_file();
    put32(entry(f, 2) + 0x48, 1); /* the tree: Small's right sibling is Workbook again */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "directory tree is broken or loops"));
    free(f);

    f = make_file();
    put32(entry(f, 1) + 0x78, 0x7FFFFFFF); /* a stream larger than the file */
    assert_int_equal(try_open(f, FILE_LEN, &d), SK_ERR_FORMAT);
    assert_non_null(strstr(d.reason, "more than the file holds"));
    free(f);
}

/* Chains that loop or end early are found when a stream is read. */
static void test_stream_chains(void **state)
{
    (void)state;
    sk_diag d;
    sk_cfb *c = NULL;
    size_t i, len;
    unsigned char *buf = NULL;
    unsigned char *f = make_file();
    put32(f + SEC + 4 * 6, 4); /* sector 6 -> 4: a loop inside Workbook's chain */
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    assert_true(sk_cfb_find(c, "Workbook", &i));
    assert_int_equal(sk_cfb_read(c, i, &buf, &len, &d), SK_ERR_FORMAT);
    assert_null(buf);
    assert_non_null(strstr(d.reason, "chain is broken or loops"));
    sk_cfb_close(c);
    put32(f + SEC + 4 * 6, END); /* ends after 4 of its 8 sectors */
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    assert_int_equal(sk_cfb_read(c, i, &buf, &len, &d), SK_ERR_FORMAT);
    sk_cfb_close(c);
    free(f);

    f = make_file();
    put32(f + SEC * 3, 0); /* the mini FAT: sector 0 -> 0 */
    put32(entry(f, 2) + 0x74, 0);
    assert_int_equal(sk_cfb_open(f, FILE_LEN, &c, &d), SK_OK);
    assert_true(sk_cfb_find(c, "Small", &i));
    assert_int_equal(sk_cfb_read(c, i, &buf, &len, &d), SK_ERR_FORMAT);
    sk_cfb_close(c);
    free(f);
}

/* The encryption is named from EncryptionInfo's version fields. */
static void test_identify(void **state)
{
    (void)state;
    static const unsigned char agile[8] = {4, 0, 4, 0, 0x40, 0, 0, 0};
    static const unsigned char standard[8] = {3, 0, 2, 0, 0x24, 0, 0, 0};
    static const unsigned char rc4[8] = {3, 0, 2, 0, 0x04, 0, 0, 0};
    static const unsigned char ext[8] = {4, 0, 3, 0, 0x10, 0, 0, 0};
    assert_int_equal(sk_crypt_identify(agile, 8), SK_CRYPT_AGILE);
    assert_int_equal(sk_crypt_identify(standard, 8), SK_CRYPT_STANDARD);
    assert_int_equal(sk_crypt_identify(rc4, 8), SK_CRYPT_RC4);
    assert_int_equal(sk_crypt_identify(ext, 8), SK_CRYPT_EXTENSIBLE);
    assert_int_equal(sk_crypt_identify(agile, 7), SK_CRYPT_UNKNOWN);
    assert_string_equal(sk_crypt_kind_name(SK_CRYPT_AGILE), "Agile");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_stream_chains),
        cmocka_unit_test(test_identify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
