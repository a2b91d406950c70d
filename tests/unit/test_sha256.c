/* Unit tests for the SHA-256 of src/util/sha256.c (FIPS 180-4 vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sechk/sha256.h"

/* Hashes data in one call and returns the hex digest in out. */
static void hex_of(const void *data, size_t len, char out[SK_SHA256_HEX_LEN])
{
    uint8_t dg[SK_SHA256_LEN];
    sk_sha256_digest(data, len, dg);
    sk_sha256_hex(dg, out);
}

/* The empty message, "abc" and the two-block messages of FIPS 180-4. */
static void test_standard_vectors(void **state)
{
    (void)state;
    char hex[SK_SHA256_HEX_LEN];
    hex_of("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m448, strlen(m448), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    hex_of(m896, strlen(m896), hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in uneven pieces. */
static void test_million_a(void **state)
{
    (void)state;
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    sk_sha256_ctx c;
    sk_sha256_init(&c);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = step < 1000000 - done ? step : 1000000 - done;
        if (n > sizeof chunk)
            n = sizeof chunk;
        sk_sha256_update(&c, chunk, n);
        done += n;
        step = step * 7 % 997 + 1;
    }
    uint8_t dg[SK_SHA256_LEN];
    char hex[SK_SHA256_HEX_LEN];
    sk_sha256_final(&c, dg);
    sk_sha256_hex(dg, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every split of a message around the block and padding boundaries gives
 * the one-shot digest. */
static void test_incremental_matches_oneshot(void **state)
{
    (void)state;
    unsigned char msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 31 + 7);
    for (size_t len = 0; len <= sizeof msg; len++) {
        uint8_t want[SK_SHA256_LEN];
        sk_sha256_digest(msg, len, want);
        for (size_t cut = 0; cut <= len; cut += 13) {
            sk_sha256_ctx c;
            uint8_t got[SK_SHA256_LEN];
            sk_sha256_init(&c);
            sk_sha256_update(&c, msg, cut);
            sk_sha256_update(&c, NULL, 0);
            sk_sha256_update(&c, msg + cut, len - cut);
            sk_sha256_final(&c, got);
            assert_memory_equal(got, want, SK_SHA256_LEN);
        }
    }
}

/* The portable code and the SHA-extension code (where the CPU has them)
 * give the same digests, the million 'a' included. */
static void test_portable_matches(void **state)
{
    (void)state;
    static unsigned char msg[1000000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 131 + (i >> 8));
    size_t lens[] = {0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 65537, sizeof msg};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        uint8_t fast[SK_SHA256_LEN], slow[SK_SHA256_LEN];
        sk_sha256_ctx c;
        sk_sha256_init(&c);
        sk_sha256_update(&c, msg, lens[k]);
        sk_sha256_final(&c, fast);
        sk_sha256_init(&c);
        c.shani = false;
        sk_sha256_update(&c, msg, lens[k]);
        sk_sha256_final(&c, slow);
        assert_memory_equal(fast, slow, SK_SHA256_LEN);
    }
    memset(msg, 'a', sizeof msg);
    sk_sha256_ctx c;
    sk_sha256_init(&c);
    c.shani = false;
    sk_sha256_update(&c, msg, sizeof msg);
    uint8_t dg[SK_SHA256_LEN];
    char hex[SK_SHA256_HEX_LEN];
    sk_sha256_final(&c, dg);
    sk_sha256_hex(dg, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Messages of 55, 56 and 64 bytes exercise the padding edge cases. */
static void test_padding_edges(void **state)
{
    (void)state;
    char buf[64], hex[SK_SHA256_HEX_LEN];
    memset(buf, 'a', sizeof buf);
    hex_of(buf, 55, hex);
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    hex_of(buf, 56, hex);
    assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    hex_of(buf, 64, hex);
    assert_string_equal(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_incremental_matches_oneshot),
        cmocka_unit_test(test_padding_edges),
        cmocka_unit_test(test_portable_matches),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
