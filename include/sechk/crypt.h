/* sechk — password-protected workbooks (ECMA-376 / [MS-OFFCRYPTO]) and how
 * an input is opened.
 *
 * An encrypted .xlsx is a CFB file (sechk/cfb.h) with an EncryptionInfo and
 * an EncryptedPackage stream.  sk_crypt_decrypt reads both and, given the
 * password, returns the decrypted package (a zip) in memory:
 *
 *   - Agile encryption (Excel 2010 and later, LibreOffice): the XML
 *     EncryptionInfo names the hash (SHA-1, SHA-256, SHA-384, SHA-512), the
 *     cipher (AES-128/192/256, CBC) and the spin count, which must be at
 *     most SK_CRYPT_MAX_SPIN (10,000,000; Excel writes 100,000).  The
 *     data-integrity HMAC over the EncryptedPackage stream is verified
 *     before anything is decrypted: a tampered file is an error, never read.
 *   - Standard encryption (Excel 2007): AES-128/192/256 in ECB mode with a
 *     SHA-1 key derived over 50,000 spins; it has no integrity check.
 *
 * The decrypted size the package declares must fit in the stream and in
 * the file-size limit (--max-file-bytes), like any zip.  Passwords and
 * derived keys live only in memory and are zeroed after use.
 *
 * Ownership: sk_crypt_decrypt returns a new buffer in *out; the caller
 * zeroes it (sk_crypt_wipe) and frees it.
 */
#ifndef SECHK_CRYPT_H
#define SECHK_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/lang.h"
#include "sechk/cfb.h"
#include "sechk/error.h"

#define SK_CRYPT_MAX_SPIN 10000000u

typedef enum sk_crypt_kind {
    SK_CRYPT_UNKNOWN = 0,
    SK_CRYPT_AGILE,
    SK_CRYPT_STANDARD,
    SK_CRYPT_EXTENSIBLE, /* a third-party provider: not supported */
    SK_CRYPT_RC4,        /* RC4 CryptoAPI: not supported */
} sk_crypt_kind;

/* How inputs are opened: passwords for encrypted workbooks, conversion of
 * legacy formats, and the language of the messages about them.  A NULL
 * sk_open_opts means no password, no conversion, Japanese messages. */
typedef struct sk_open_opts {
    sk_lang lang;
    /* Returns the password (UTF-8) for the file at path, or NULL if there is
     * none; the string must stay valid until the next call.  May be NULL. */
    const char *(*password)(void *ctx, const char *path);
    void *ctx;
    bool convert;           /* convert .xls/.ods/.xlsb with LibreOffice (sechk/convert.h) */
    uint32_t max_spin;      /* cap on the key derivation's hash rounds; 0: SK_CRYPT_MAX_SPIN (also the most) */
    double convert_seconds; /* time limit of one conversion; 0: SK_CONVERT_DEFAULT_SECONDS */
} sk_open_opts;

/* Names the encryption from the EncryptionInfo stream's version fields. */
sk_crypt_kind sk_crypt_identify(const unsigned char *info, size_t len);

/* "Agile", "Standard", ... for messages. */
const char *sk_crypt_kind_name(sk_crypt_kind k);

/* Decrypts the encrypted package in c with password (UTF-8).  max_bytes caps
 * the decrypted size; max_spin the hash rounds (0 or more than
 * SK_CRYPT_MAX_SPIN: SK_CRYPT_MAX_SPIN), checked before any hashing.  A wrong password sets *wrong_password and returns
 * SK_ERR_FORMAT; damage, an unsupported algorithm, a spin count above the
 * cap or a failed integrity check return SK_ERR_FORMAT or SK_ERR_LIMIT with
 * an English reason in d. */
sk_error sk_crypt_decrypt(const sk_cfb *c, const char *password, uint64_t max_bytes, uint32_t max_spin,
                          unsigned char **out, size_t *len, bool *wrong_password, sk_diag *d);

/* Zeroes n bytes at p so that the compiler cannot drop it (p may be NULL). */
void sk_crypt_wipe(void *p, size_t n);

#endif
