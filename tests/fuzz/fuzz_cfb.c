/* Fuzz target: CFB (OLE2) containers and encrypted packages.  Bytes ->
 * sk_cfb_open (header, DIFAT/FAT, directory chain and tree, mini FAT and
 * mini stream) -> every root stream read -> the EncryptionInfo parsed and,
 * for spin counts the fuzzer can afford, the package decrypted with the
 * password "password" (the seeds' password) -> the whole reader through
 * sk_extract_file_opts.  Spin counts above 1000 are skipped here only
 * because each round is a hash: the cap itself is tested in
 * tests/e2e/test_encrypted.sh. */
#include "fuzz_common.h"

enum { FZ_MAX_SPIN = 1000 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_common();
    return 0;
}

static const char *fz_password(void *ctx, const char *path)
{
    (void)ctx;
    (void)path;
    return "password";
}

/* True if the Agile XML asks for more spins than the fuzzer can afford. */
static bool too_slow(const unsigned char *info, size_t len)
{
    static const char key[] = "spinCount=\"";
    for (size_t i = 0; i + sizeof key < len; i++) {
        if (memcmp(info + i, key, sizeof key - 1) != 0)
            continue;
        uint64_t v = 0;
        for (size_t k = i + sizeof key - 1; k < len && info[k] >= '0' && info[k] <= '9' && v <= FZ_MAX_SPIN; k++)
            v = v * 10 + (info[k] - '0');
        if (v > FZ_MAX_SPIN)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"EncryptionInfo", "EncryptedPackage", "Workbook", "Book"};
    sk_diag d;
    sk_diag_clear(&d);
    sk_cfb *c = NULL;
    bool slow = false;
    if (sk_cfb_open(data, size, &c, &d) != SK_OK) {
        fz_check_diag(&d);
        return 0;
    }
    (void)sk_cfb_classify(c);
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t i;
        unsigned char *buf = NULL;
        size_t len = 0;
        if (!sk_cfb_find(c, names[k], &i))
            continue;
        sk_diag_clear(&d);
        if (sk_cfb_read(c, i, &buf, &len, &d) == SK_OK) {
            if (k == 0) {
                (void)sk_crypt_identify(buf, len);
                slow = too_slow(buf, len);
            }
        } else {
            fz_check_diag(&d);
        }
        free(buf);
    }
    sk_cfb_close(c);
    if (slow)
        return 0;
    sk_limits lim;
    sk_limits_default(&lim);
    sk_open_opts o = {.lang = SK_LANG_EN, .password = fz_password};
    sk_answers *a = NULL;
    sk_diag_clear(&d);
    fz_file_write(data, size);
    if (sk_extract_file_opts(fz_path, fz_tmpl, &lim, &o, &a, &d) == SK_OK)
        fz_consume(a);
    else
        fz_check_diag(&d);
    sk_answers_free(a);
    return 0;
}
