/* Fuzz target: the whole reader.  Bytes -> a file -> sk_extract_file (zip,
 * XML, locator, aligner) -> sk_validate -> JSON, CSV and text outputs. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_common();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_limits lim;
    sk_limits_default(&lim);
    sk_answers *a = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    fz_file_write(data, size);
    if (sk_extract_file(fz_path, fz_tmpl, &lim, &a, &d) == SK_OK)
        fz_consume(a);
    else
        fz_check_diag(&d);
    sk_answers_free(a);
    return 0;
}
