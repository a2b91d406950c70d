/* sechk — SHA-256 (FIPS 180-4), used to identify input files in the output.
 *
 * A small self-contained implementation: no external crypto library.  The
 * context is a plain struct the caller owns; nothing is allocated.
 */
#ifndef SECHK_SHA256_H
#define SECHK_SHA256_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

enum { SK_SHA256_LEN = 32, SK_SHA256_HEX_LEN = 65 /* 64 hex digits and the NUL */ };

typedef struct sk_sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;     /* message length so far */
    uint8_t block[64];  /* pending partial block */
    size_t fill;        /* bytes used in block */
    bool shani;         /* use the x86 SHA extensions (set by init; false forces the portable code) */
} sk_sha256_ctx;

/* Starts a new hash in c. */
void sk_sha256_init(sk_sha256_ctx *c);

/* Adds len bytes of data to the hash (data may be NULL when len is 0). */
void sk_sha256_update(sk_sha256_ctx *c, const void *data, size_t len);

/* Finishes the hash and writes the 32-byte digest to out; c must be
 * initialised again before reuse. */
void sk_sha256_final(sk_sha256_ctx *c, uint8_t out[SK_SHA256_LEN]);

/* One shot: the digest of data[0..len) into out. */
void sk_sha256_digest(const void *data, size_t len, uint8_t out[SK_SHA256_LEN]);

/* Writes digest as 64 lowercase hex digits and a NUL into out. */
void sk_sha256_hex(const uint8_t digest[SK_SHA256_LEN], char out[SK_SHA256_HEX_LEN]);

#endif
