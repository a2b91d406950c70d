/* Fuzz target: CFB (OLE2) containers and encrypted packages.  Bytes ->
 * sk_cfb_open (header, DIFAT/FAT, directory chain and tree, mini FAT and
 * mini stream) -> every root stream read -> the whole reader through
 * sk_extract_file_opts with the password "password" (the seeds' password):
 * EncryptionInfo parsed, the key derived and the package decrypted.  The
 * spin count is capped at 50,000 here (sk_open_opts.max_spin): Standard
 * encryption's fixed count, so its seeds decrypt and the zip and XML
 * readers behind them are fuzzed too, while an Agile file (100,000 from
 * officecrypto-tool) stops after its XML is parsed; the real cap is tested
 * in tests/e2e/test_encrypted.sh. */
#include "fuzz_common.h"

enum { FZ_MAX_SPIN = 50000 };

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"EncryptionInfo", "EncryptedPackage", "Workbook", "Book"};
    sk_diag d;
    sk_diag_clear(&d);
    sk_cfb *c = NULL;
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
            if (k == 0)
                (void)sk_crypt_identify(buf, len);
        } else {
            fz_check_diag(&d);
        }
        free(buf);
    }
    sk_cfb_close(c);
    sk_limits lim;
    sk_limits_default(&lim);
    sk_open_opts o = {.lang = SK_LANG_EN, .password = fz_password, .max_spin = FZ_MAX_SPIN};
    sk_answers *a = NULL;
    sk_diag_clear(&d);
    fz_file_write(data, size);
    sk_extract_opts xo = {.open = &o};
    if (sk_extract_file_opts(fz_path, fz_tmpl, &lim, &xo, &a, &d) == SK_OK)
        fz_consume(a);
    else
        fz_check_diag(&d);
    sk_answers_free(a);
    return 0;
}
