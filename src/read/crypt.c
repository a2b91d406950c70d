/* sechk — decrypting ECMA-376 Agile and Standard encrypted packages ([MS-OFFCRYPTO] 2.3.4).
 *
 * Built with SECHK_NO_CRYPTO (the web page, which has no libcrypto), only
 * the identification is compiled: sk_crypt_decrypt says that the page cannot
 * decrypt, and zip.c never calls it there. */
#include "sechk/crypt.h"

#include <stdlib.h>
#include <string.h>
#ifndef SECHK_NO_CRYPTO
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#endif

#include "sechk/text.h"

#include "le.h"

enum {
    MAX_INFO = 1 << 20,  /* EncryptionInfo stream */
    MAX_FIELD = 1024,    /* a decoded base64 field */
    MAX_HASH = 64,       /* SHA-512 */
    MAX_PASSWORD = 1024, /* UTF-16 code units (Excel allows 255) */
    SEGMENT = 4096,      /* Agile package segment */
    AES_BLOCK = 16,
    STANDARD_SPIN = 50000,
};

#ifndef SECHK_NO_CRYPTO
/* Block keys of the Agile key derivation ([MS-OFFCRYPTO] 2.3.4.11-14). */
static const unsigned char BK_VERIFIER_INPUT[8] = {0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79};
static const unsigned char BK_VERIFIER_VALUE[8] = {0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e};
static const unsigned char BK_KEY_VALUE[8] = {0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6};
static const unsigned char BK_HMAC_KEY[8] = {0x5f, 0xb2, 0xad, 0x01, 0x0c, 0xb9, 0xe1, 0xf6};
static const unsigned char BK_HMAC_VALUE[8] = {0xa0, 0x67, 0x7f, 0x02, 0xb2, 0x2c, 0x84, 0x33};
#endif

void sk_crypt_wipe(void *p, size_t n)
{
#ifndef SECHK_NO_CRYPTO
    if (p)
        OPENSSL_cleanse(p, n);
#else
    volatile unsigned char *v = p;
    while (v && n--)
        *v++ = 0;
#endif
}

sk_crypt_kind sk_crypt_identify(const unsigned char *info, size_t len)
{
    if (len < 8)
        return SK_CRYPT_UNKNOWN;
    uint16_t major = le16(info), minor = le16(info + 2);
    if (major == 4 && minor == 4)
        return SK_CRYPT_AGILE;
    if ((major == 3 || major == 4) && minor == 3)
        return SK_CRYPT_EXTENSIBLE;
    if ((major == 2 || major == 3 || major == 4) && minor == 2) {
        /* AES (fAES, 0x20) is Standard encryption; CryptoAPI without AES is RC4 */
        return le32(info + 4) & 0x20 ? SK_CRYPT_STANDARD : SK_CRYPT_RC4;
    }
    return SK_CRYPT_UNKNOWN;
}

const char *sk_crypt_kind_name(sk_crypt_kind k)
{
    switch (k) {
    case SK_CRYPT_AGILE: return "Agile";
    case SK_CRYPT_STANDARD: return "Standard";
    case SK_CRYPT_EXTENSIBLE: return "Extensible";
    case SK_CRYPT_RC4: return "RC4 CryptoAPI";
    default: return "unknown";
    }
}

#ifdef SECHK_NO_CRYPTO
sk_error sk_crypt_decrypt(const sk_cfb *c, const char *password, uint64_t max_bytes, uint32_t max_spin,
                          unsigned char **out, size_t *len, bool *wrong_password, sk_diag *d)
{
    (void)c, (void)password, (void)max_bytes, (void)max_spin;
    *out = NULL;
    *len = 0;
    *wrong_password = false;
    return sk_diag_set(d, SK_ERR_FORMAT, "decryption is not available in this build");
}
#else

/* The password as UTF-16LE (new buffer, zero it after use). */
static sk_error password_utf16(const char *pw, unsigned char **out, size_t *len, sk_diag *d)
{
    size_t n = strlen(pw), pos = 0, o = 0;
    unsigned char *buf = malloc(4 * n + 2);
    if (!buf)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    while (pos < n) {
        int32_t cp = sk_utf8_next(pw, n, &pos);
        if (cp < 0 || o / 2 >= MAX_PASSWORD) {
            sk_crypt_wipe(buf, 4 * n + 2);
            free(buf);
            return sk_diag_set(d, SK_ERR_USAGE, "the password is not valid UTF-8 or is too long");
        }
        if (cp >= 0x10000) {
            uint32_t v = (uint32_t)cp - 0x10000;
            uint16_t hi = (uint16_t)(0xD800 + (v >> 10)), lo = (uint16_t)(0xDC00 + (v & 0x3FF));
            buf[o++] = (unsigned char)hi;
            buf[o++] = (unsigned char)(hi >> 8);
            buf[o++] = (unsigned char)lo;
            buf[o++] = (unsigned char)(lo >> 8);
        } else {
            buf[o++] = (unsigned char)cp;
            buf[o++] = (unsigned char)(cp >> 8);
        }
    }
    *out = buf;
    *len = o;
    return SK_OK;
}

/* Hashes a then b (b may be empty) into out. */
static bool hash2(const EVP_MD *md, EVP_MD_CTX *ctx, const void *a, size_t an, const void *b, size_t bn,
                  unsigned char *out)
{
    return EVP_DigestInit_ex(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, a, an) == 1 &&
           (bn == 0 || EVP_DigestUpdate(ctx, b, bn) == 1) && EVP_DigestFinal_ex(ctx, out, NULL) == 1;
}

/* H0 = H(salt + password); Hn = H(iterator + Hn-1), spin times ([MS-OFFCRYPTO] 2.3.4.7). */
static bool spin_hash(const EVP_MD *md, const unsigned char *salt, size_t salt_len, const unsigned char *pw,
                      size_t pw_len, uint32_t spin, unsigned char *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t hl = (size_t)EVP_MD_get_size(md);
    bool ok = ctx && hash2(md, ctx, salt, salt_len, pw, pw_len, h);
    for (uint32_t i = 0; ok && i < spin; i++) {
        unsigned char it[4] = {(unsigned char)i, (unsigned char)(i >> 8), (unsigned char)(i >> 16),
                               (unsigned char)(i >> 24)};
        ok = hash2(md, ctx, it, 4, h, hl, h);
    }
    EVP_MD_CTX_free(ctx);
    return ok;
}

/* AES decryption without padding (ECB when iv is NULL); n is a multiple of 16. */
static bool aes_decrypt(const unsigned char *key, size_t key_len, const unsigned char *iv, const unsigned char *in,
                        size_t n, unsigned char *out)
{
    const EVP_CIPHER *c = NULL;
    if (iv)
        c = key_len == 16 ? EVP_aes_128_cbc() : key_len == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
    else
        c = key_len == 16 ? EVP_aes_128_ecb() : key_len == 24 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    bool ok = ctx && EVP_DecryptInit_ex(ctx, c, NULL, key, iv) == 1 && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
    size_t done = 0;
    /* EVP takes int lengths: feed at most 1 GiB at a time */
    while (ok && done < n) {
        size_t k = n - done > (1u << 30) ? (1u << 30) : n - done;
        ok = EVP_DecryptUpdate(ctx, out + done, &l1, in + done, (int)k) == 1 && (size_t)l1 == k;
        done += k;
    }
    ok = ok && EVP_DecryptFinal_ex(ctx, out + done, &l2) == 1 && l2 == 0;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

/* ---- Agile ------------------------------------------------------------- */

typedef struct agile_params {
    const EVP_MD *md;
    size_t hash_len;
    size_t key_len;   /* bytes */
    size_t block;     /* cipher block size: 16 */
    unsigned char salt[MAX_FIELD];
    size_t salt_len;
} agile_params;

typedef struct agile_info {
    agile_params data; /* keyData: encrypts the package */
    agile_params pw;   /* the password key encryptor */
    uint32_t spin;
    unsigned char vin[MAX_FIELD], vval[MAX_FIELD], kval[MAX_FIELD], hkey[MAX_FIELD], hval[MAX_FIELD];
    size_t vin_len, vval_len, kval_len, hkey_len, hval_len;
    bool has_integrity;
} agile_info;

/* Decodes base64 text (whitespace ignored) into out (cap bytes). */
static bool base64_decode(const char *s, unsigned char *out, size_t cap, size_t *len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (; *s; s++) {
        int c = (unsigned char)*s, v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        else
            return false;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return false;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *len = o;
    return true;
}

/* Reads attribute name of node as base64 into out. */
static bool attr_b64(xmlNode *n, const char *name, unsigned char *out, size_t *len)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    bool ok = v && base64_decode((const char *)v, out, MAX_FIELD, len) && *len > 0;
    xmlFree(v);
    return ok;
}

/* Reads attribute name of node as a decimal number ≤ max. */
static bool attr_num(xmlNode *n, const char *name, uint64_t max, uint64_t *out)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    bool ok = v && v[0];
    uint64_t x = 0;
    for (const xmlChar *p = v; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9' && x <= (UINT64_MAX - 9) / 10;
        x = x * 10 + (uint64_t)(*p - '0');
    }
    xmlFree(v);
    if (ok && x > max)
        ok = false;
    *out = x;
    return ok;
}

/* True if attribute name of node equals want. */
static bool attr_is(xmlNode *n, const char *name, const char *want)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    bool ok = v && strcmp((const char *)v, want) == 0;
    xmlFree(v);
    return ok;
}

/* Reads a keyData or encryptedKey element's algorithm parameters. */
static sk_error read_params(xmlNode *n, agile_params *p, sk_diag *d)
{
    uint64_t key_bits = 0, block = 0, hash_size = 0;
    xmlChar *hash = xmlGetProp(n, (const xmlChar *)"hashAlgorithm");
    const char *h = hash ? (const char *)hash : "";
    p->md = strcmp(h, "SHA512") == 0   ? EVP_sha512()
            : strcmp(h, "SHA384") == 0 ? EVP_sha384()
            : strcmp(h, "SHA256") == 0 ? EVP_sha256()
            : strcmp(h, "SHA1") == 0   ? EVP_sha1()
                                       : NULL;
    sk_error err = SK_OK;
    if (!p->md)
        err = sk_diag_set(d, SK_ERR_FORMAT, "unsupported hash algorithm in the encryption info (%.40s)", h);
    else if (!attr_is(n, "cipherAlgorithm", "AES") || !attr_is(n, "cipherChaining", "ChainingModeCBC"))
        err = sk_diag_set(d, SK_ERR_FORMAT, "unsupported cipher in the encryption info (only AES-CBC)");
    else if (!attr_num(n, "keyBits", 256, &key_bits) || (key_bits != 128 && key_bits != 192 && key_bits != 256) ||
             !attr_num(n, "blockSize", 64, &block) || block != AES_BLOCK ||
             !attr_num(n, "hashSize", 64, &hash_size) || hash_size != (uint64_t)EVP_MD_get_size(p->md) ||
             !attr_b64(n, "saltValue", p->salt, &p->salt_len) || p->salt_len < AES_BLOCK)
        err = sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (key size, block size or salt)");
    xmlFree(hash);
    p->key_len = (size_t)key_bits / 8;
    p->block = (size_t)block;
    p->hash_len = (size_t)hash_size;
    return err;
}

/* Finds the first element named name below n (depth-first), optionally in
 * a namespace whose URI contains ns. */
static xmlNode *find_elem(xmlNode *n, const char *name, const char *ns)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, name) == 0 &&
            (!ns || (n->ns && n->ns->href && strstr((const char *)n->ns->href, ns))))
            return n;
        xmlNode *f = find_elem(n->children, name, ns);
        if (f)
            return f;
    }
    return NULL;
}

/* Parses the Agile XML descriptor that follows the 8-byte version header. */
static sk_error parse_agile(const unsigned char *xml, size_t len, uint32_t max_spin, agile_info *ai, sk_diag *d)
{
    sk_error err = SK_OK;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)xml, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || xmlGetIntSubset(doc)) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "the encryption info is not well-formed XML (or has a DOCTYPE)");
        goto done;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *kd = find_elem(root, "keyData", NULL), *di = find_elem(root, "dataIntegrity", NULL);
    xmlNode *ek = find_elem(root, "encryptedKey", "password");
    uint64_t spin = 0;
    if (!kd || !ek) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "the encryption info has no password key encryptor (certificate "
                                            "encryption is not supported)");
        goto done;
    }
    if ((err = read_params(kd, &ai->data, d)) != SK_OK || (err = read_params(ek, &ai->pw, d)) != SK_OK)
        goto done;
    if (!attr_num(ek, "spinCount", UINT64_MAX / 16, &spin)) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (spin count)");
        goto done;
    }
    if (spin > max_spin) {
        err = sk_diag_set(d, SK_ERR_LIMIT, "the encryption info asks for %llu hash rounds, more than %u",
                          (unsigned long long)spin, (unsigned)max_spin);
        goto done;
    }
    ai->spin = (uint32_t)spin;
    if (!attr_b64(ek, "encryptedVerifierHashInput", ai->vin, &ai->vin_len) ||
        !attr_b64(ek, "encryptedVerifierHashValue", ai->vval, &ai->vval_len) ||
        !attr_b64(ek, "encryptedKeyValue", ai->kval, &ai->kval_len) || ai->vin_len % AES_BLOCK ||
        ai->vval_len % AES_BLOCK || ai->kval_len % AES_BLOCK || ai->vval_len < ai->pw.hash_len ||
        ai->kval_len < ai->data.key_len) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (password verifier)");
        goto done;
    }
    if (di) {
        ai->has_integrity = true;
        if (!attr_b64(di, "encryptedHmacKey", ai->hkey, &ai->hkey_len) ||
            !attr_b64(di, "encryptedHmacValue", ai->hval, &ai->hval_len) || ai->hkey_len % AES_BLOCK ||
            ai->hval_len % AES_BLOCK || ai->hkey_len < ai->data.hash_len || ai->hval_len < ai->data.hash_len) {
            err = sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (data integrity)");
            goto done;
        }
    }
done:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return err;
}

/* Derives a key from the spun hash h and a block key: H(h + block),
 * truncated or padded with 0x36 to key_len ([MS-OFFCRYPTO] 2.3.4.11). */
static bool derive(const agile_params *p, const unsigned char *h, const unsigned char block[8], unsigned char *key)
{
    unsigned char f[MAX_HASH];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && hash2(p->md, ctx, h, p->hash_len, block, 8, f);
    EVP_MD_CTX_free(ctx);
    memset(key, 0x36, p->key_len);
    memcpy(key, f, p->key_len < p->hash_len ? p->key_len : p->hash_len);
    sk_crypt_wipe(f, sizeof f);
    return ok;
}

/* An IV: H(salt + block) truncated to the block size (or padded with 0x36). */
static bool make_iv(const agile_params *p, const unsigned char *block, size_t block_len, unsigned char *iv)
{
    unsigned char f[MAX_HASH];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && hash2(p->md, ctx, p->salt, p->salt_len, block, block_len, f);
    EVP_MD_CTX_free(ctx);
    memset(iv, 0x36, p->block);
    memcpy(iv, f, p->block < p->hash_len ? p->block : p->hash_len);
    return ok;
}

/* Checks the password against the verifier and recovers the package key. */
static sk_error agile_key(const agile_info *ai, const unsigned char *pw, size_t pw_len, unsigned char *key, bool *wrong,
                          sk_diag *d)
{
    struct { /* the secrets, wiped together */
        unsigned char h[MAX_HASH], k1[32], k2[32], k3[32], vin[MAX_FIELD], vval[MAX_FIELD], kv[MAX_FIELD];
    } s;
    unsigned char hv[MAX_HASH];
    const agile_params *p = &ai->pw;
    sk_error err = SK_OK;
    if (!spin_hash(p->md, p->salt, p->salt_len, pw, pw_len, ai->spin, s.h) ||
        !derive(p, s.h, BK_VERIFIER_INPUT, s.k1) || !derive(p, s.h, BK_VERIFIER_VALUE, s.k2) ||
        !derive(p, s.h, BK_KEY_VALUE, s.k3) || !aes_decrypt(s.k1, p->key_len, p->salt, ai->vin, ai->vin_len, s.vin) ||
        !aes_decrypt(s.k2, p->key_len, p->salt, ai->vval, ai->vval_len, s.vval) ||
        !aes_decrypt(s.k3, p->key_len, p->salt, ai->kval, ai->kval_len, s.kv)) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "decryption failed (libcrypto)");
        goto done;
    }
    /* the verifier input is salt-sized; its hash must match the verifier value */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && hash2(p->md, ctx, s.vin, p->salt_len < ai->vin_len ? p->salt_len : ai->vin_len, NULL, 0, hv);
    EVP_MD_CTX_free(ctx);
    if (!ok || CRYPTO_memcmp(hv, s.vval, p->hash_len) != 0) {
        *wrong = true;
        err = sk_diag_set(d, SK_ERR_FORMAT, "wrong password");
        goto done;
    }
    memcpy(key, s.kv, ai->data.key_len);
done:
    sk_crypt_wipe(&s, sizeof s);
    return err;
}

/* Verifies the HMAC of the whole EncryptedPackage stream ([MS-OFFCRYPTO] 2.3.4.14). */
static sk_error agile_integrity(const agile_info *ai, const unsigned char *key, const unsigned char *pkg,
                                size_t pkg_len, sk_diag *d)
{
    const agile_params *p = &ai->data;
    unsigned char iv1[AES_BLOCK], iv2[AES_BLOCK], hkey[MAX_FIELD], hval[MAX_FIELD], mac[MAX_HASH];
    size_t mac_len = 0;
    sk_error err = SK_OK;
    if (!make_iv(p, BK_HMAC_KEY, 8, iv1) || !make_iv(p, BK_HMAC_VALUE, 8, iv2) ||
        !aes_decrypt(key, p->key_len, iv1, ai->hkey, ai->hkey_len, hkey) ||
        !aes_decrypt(key, p->key_len, iv2, ai->hval, ai->hval_len, hval) ||
        !EVP_Q_mac(NULL, "HMAC", NULL, EVP_MD_get0_name(p->md), NULL, hkey, p->hash_len, pkg, pkg_len, mac,
                   sizeof mac, &mac_len) ||
        mac_len != p->hash_len)
        err = sk_diag_set(d, SK_ERR_FORMAT, "integrity check failed (libcrypto)");
    else if (CRYPTO_memcmp(mac, hval, p->hash_len) != 0)
        err = sk_diag_set(d, SK_ERR_FORMAT, "the encrypted package fails its integrity check (HMAC): the file "
                                            "was altered or damaged");
    sk_crypt_wipe(hkey, sizeof hkey);
    sk_crypt_wipe(hval, sizeof hval);
    return err;
}

/* Checks the package's declared size (its first 8 bytes) against the
 * stream and the cap. */
static sk_error package_size(const unsigned char *pkg, size_t pkg_len, size_t unit, uint64_t max_bytes,
                             uint64_t *size, sk_diag *d)
{
    if (pkg_len < 8 || (pkg_len - 8) % unit != 0)
        return sk_diag_set(d, SK_ERR_FORMAT, "the encrypted package is truncated (damaged file)");
    *size = le64(pkg);
    if (*size > max_bytes)
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the encrypted package declares %llu bytes, more than %llu (limit --max-file-bytes)",
                           (unsigned long long)*size, (unsigned long long)max_bytes);
    if (*size > pkg_len - 8)
        return sk_diag_set(d, SK_ERR_FORMAT, "the encrypted package is truncated: it declares %llu bytes and "
                                             "holds %zu (damaged file)",
                           (unsigned long long)*size, pkg_len - 8);
    return SK_OK;
}

/* Decrypts the Agile package segment by segment. */
static sk_error agile_decrypt(const unsigned char *info, size_t info_len, const unsigned char *pkg, size_t pkg_len,
                              const unsigned char *pw, size_t pw_len, uint64_t max_bytes, uint32_t max_spin,
                              unsigned char **out, size_t *len, bool *wrong, sk_diag *d)
{
    agile_info *ai = calloc(1, sizeof *ai);
    unsigned char key[32], *buf = NULL;
    uint64_t size = 0;
    sk_error err;
    if (!ai)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    if (info_len < 8) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (too short)");
        goto done;
    }
    if ((err = parse_agile(info + 8, info_len - 8, max_spin, ai, d)) != SK_OK)
        goto done;
    if ((err = package_size(pkg, pkg_len, AES_BLOCK, max_bytes, &size, d)) != SK_OK)
        goto done;
    if ((err = agile_key(ai, pw, pw_len, key, wrong, d)) != SK_OK)
        goto done;
    if (ai->has_integrity && (err = agile_integrity(ai, key, pkg, pkg_len, d)) != SK_OK)
        goto done;
    buf = malloc(pkg_len - 8 ? pkg_len - 8 : 1);
    if (!buf) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t off = 0, seg = 0; off < pkg_len - 8; off += SEGMENT, seg++) {
        unsigned char idx[4] = {(unsigned char)seg, (unsigned char)(seg >> 8), (unsigned char)(seg >> 16),
                                (unsigned char)(seg >> 24)};
        unsigned char iv[AES_BLOCK];
        size_t n = pkg_len - 8 - off < SEGMENT ? pkg_len - 8 - off : SEGMENT;
        if (!make_iv(&ai->data, idx, 4, iv) || !aes_decrypt(key, ai->data.key_len, iv, pkg + 8 + off, n, buf + off)) {
            err = sk_diag_set(d, SK_ERR_FORMAT, "decryption failed (libcrypto)");
            goto done;
        }
    }
    sk_crypt_wipe(buf + size, pkg_len - 8 - (size_t)size);
    *out = buf;
    *len = (size_t)size;
    buf = NULL;
done:
    if (buf) {
        sk_crypt_wipe(buf, pkg_len - 8);
        free(buf);
    }
    sk_crypt_wipe(key, sizeof key);
    sk_crypt_wipe(ai, sizeof *ai);
    free(ai);
    return err;
}

/* ---- Standard ---------------------------------------------------------- */

/* Derives the Standard key ([MS-OFFCRYPTO] 2.3.4.7) and checks the verifier. */
static sk_error standard_key(const unsigned char *info, size_t info_len, const unsigned char *pw, size_t pw_len,
                             unsigned char *key, size_t *key_len, bool *wrong, sk_diag *d)
{
    if (info_len < 12)
        return sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (too short)");
    uint32_t hsize = le32(info + 8);
    if (hsize < 32 || hsize > info_len - 12 || info_len - 12 - hsize < 4 + 16 + 16 + 4 + 32)
        return sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (header size)");
    const unsigned char *h = info + 12, *v = info + 12 + hsize;
    uint32_t alg = le32(h + 8), alg_hash = le32(h + 12), bits = le32(h + 16);
    if ((alg != 0x660E && alg != 0x660F && alg != 0x6610) || (alg_hash != 0x8004 && alg_hash != 0) ||
        (bits != 128 && bits != 192 && bits != 256))
        return sk_diag_set(d, SK_ERR_FORMAT, "unsupported Standard encryption (algorithm 0x%x, %u-bit key)",
                           (unsigned)alg, (unsigned)bits);
    if (le32(v) != 16 || le32(v + 36) != 20)
        return sk_diag_set(d, SK_ERR_FORMAT, "damaged encryption info (verifier)");
    const unsigned char *salt = v + 4, *ever = v + 20, *ehash = v + 40;
    struct { /* the secrets, wiped together */
        unsigned char hh[20], fin[20], b1[64], b2[64], x[40], ver[16];
    } s;
    unsigned char vh[32], sh[20];
    unsigned char blk[4] = {0, 0, 0, 0};
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && spin_hash(EVP_sha1(), salt, 16, pw, pw_len, STANDARD_SPIN, s.hh) &&
              hash2(EVP_sha1(), ctx, s.hh, 20, blk, 4, s.fin);
    memset(s.b1, 0x36, sizeof s.b1);
    memset(s.b2, 0x5c, sizeof s.b2);
    for (int i = 0; i < 20; i++) {
        s.b1[i] ^= s.fin[i];
        s.b2[i] ^= s.fin[i];
    }
    ok = ok && hash2(EVP_sha1(), ctx, s.b1, 64, NULL, 0, s.x) && hash2(EVP_sha1(), ctx, s.b2, 64, NULL, 0, s.x + 20);
    *key_len = bits / 8;
    memcpy(key, s.x, *key_len);
    ok = ok && aes_decrypt(key, *key_len, NULL, ever, 16, s.ver) && aes_decrypt(key, *key_len, NULL, ehash, 32, vh) &&
         hash2(EVP_sha1(), ctx, s.ver, 16, NULL, 0, sh);
    EVP_MD_CTX_free(ctx);
    sk_error err = SK_OK;
    if (!ok)
        err = sk_diag_set(d, SK_ERR_FORMAT, "decryption failed (libcrypto)");
    else if (CRYPTO_memcmp(sh, vh, 20) != 0) {
        *wrong = true;
        err = sk_diag_set(d, SK_ERR_FORMAT, "wrong password");
    }
    sk_crypt_wipe(&s, sizeof s);
    return err;
}

/* Decrypts a Standard package (AES-ECB over the whole stream). */
static sk_error standard_decrypt(const unsigned char *info, size_t info_len, const unsigned char *pkg,
                                 size_t pkg_len, const unsigned char *pw, size_t pw_len, uint64_t max_bytes,
                                 unsigned char **out, size_t *len, bool *wrong, sk_diag *d)
{
    unsigned char key[32];
    size_t key_len = 0;
    uint64_t size = 0;
    sk_error err;
    if ((err = package_size(pkg, pkg_len, AES_BLOCK, max_bytes, &size, d)) != SK_OK)
        return err;
    if ((err = standard_key(info, info_len, pw, pw_len, key, &key_len, wrong, d)) != SK_OK)
        goto done;
    unsigned char *buf = malloc(pkg_len - 8 ? pkg_len - 8 : 1);
    if (!buf) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!aes_decrypt(key, key_len, NULL, pkg + 8, pkg_len - 8, buf)) {
        sk_crypt_wipe(buf, pkg_len - 8);
        free(buf);
        err = sk_diag_set(d, SK_ERR_FORMAT, "decryption failed (libcrypto)");
        goto done;
    }
    sk_crypt_wipe(buf + size, pkg_len - 8 - (size_t)size);
    *out = buf;
    *len = (size_t)size;
done:
    sk_crypt_wipe(key, sizeof key);
    return err;
}

sk_error sk_crypt_decrypt(const sk_cfb *c, const char *password, uint64_t max_bytes, uint32_t max_spin,
                          unsigned char **out, size_t *len, bool *wrong_password, sk_diag *d)
{
    if (max_spin == 0 || max_spin > SK_CRYPT_MAX_SPIN)
        max_spin = SK_CRYPT_MAX_SPIN;
    size_t ii = 0, pi = 0, info_len = 0, pkg_len = 0, pw_len = 0;
    unsigned char *info = NULL, *pkg = NULL, *pw = NULL;
    sk_error err;
    *out = NULL;
    *len = 0;
    *wrong_password = false;
    if (!sk_cfb_find(c, "EncryptionInfo", &ii) || !sk_cfb_find(c, "EncryptedPackage", &pi))
        return sk_diag_set(d, SK_ERR_FORMAT, "not an encrypted workbook");
    if (sk_cfb_size(c, ii) > MAX_INFO)
        return sk_diag_set(d, SK_ERR_FORMAT, "the encryption info is too large (damaged file)");
    /* the stream holds the 8-byte size, the data padded to the block size: at most one block more */
    if (sk_cfb_size(c, pi) > max_bytes + 8 + SEGMENT)
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the encrypted package is %llu bytes, more than %llu (limit --max-file-bytes)",
                           (unsigned long long)sk_cfb_size(c, pi), (unsigned long long)max_bytes);
    if ((err = sk_cfb_read(c, ii, &info, &info_len, d)) != SK_OK ||
        (err = sk_cfb_read(c, pi, &pkg, &pkg_len, d)) != SK_OK || (err = password_utf16(password, &pw, &pw_len, d)))
        goto done;
    switch (sk_crypt_identify(info, info_len)) {
    case SK_CRYPT_AGILE:
        err = agile_decrypt(info, info_len, pkg, pkg_len, pw, pw_len, max_bytes, max_spin, out, len, wrong_password,
                            d);
        break;
    case SK_CRYPT_STANDARD:
        if (STANDARD_SPIN > max_spin) {
            err = sk_diag_set(d, SK_ERR_LIMIT, "Standard encryption's %u hash rounds are more than %u",
                              (unsigned)STANDARD_SPIN, (unsigned)max_spin);
            break;
        }
        err = standard_decrypt(info, info_len, pkg, pkg_len, pw, pw_len, max_bytes, out, len, wrong_password, d);
        break;
    default:
        err = sk_diag_set(d, SK_ERR_FORMAT, "a workbook with %s encryption, which sechk cannot decrypt",
                          sk_crypt_kind_name(sk_crypt_identify(info, info_len)));
    }
done:
    if (pw) {
        sk_crypt_wipe(pw, pw_len);
        free(pw);
    }
    free(info);
    free(pkg);
    return err;
}
#endif /* SECHK_NO_CRYPTO */
