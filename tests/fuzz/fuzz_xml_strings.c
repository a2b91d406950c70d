/* Fuzz target: the XML layer on the shared strings.  The bytes become
 * xl/sharedStrings.xml of a blank checklist (a stored zip, so the fuzzer's
 * bytes reach libxml2 as they are); the strings are streamed twice (a
 * filter keeping every other string, then all: the merge of kept strings),
 * every cell's text is looked up, and the workbook is extracted. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_common();
    fz_load_base();
    return 0;
}

/* Keeps the odd-numbered strings. */
static bool keep_odd(uint32_t index, const char *text, size_t len, void *ctx)
{
    (void)ctx;
    if (strlen(text) != len)
        fz_die("a kept string's length is wrong");
    return index % 2 == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sk_limits lim;
    sk_limits_default(&lim);
    sk_book *b = NULL;
    sk_sheet *s = NULL;
    sk_answers *a = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    fz_package_write("xl/sharedStrings.xml", data, size);
    if (sk_book_open(fz_path, &lim, &b, &d) != SK_OK)
        goto done;
    if (sk_book_read_strings(b, keep_odd, NULL, &d) != SK_OK || sk_book_read_strings(b, NULL, NULL, &d) != SK_OK)
        goto done;
    if (sk_book_sheet_count(b) > 0 && sk_book_read_sheet(b, 0, &s, &d) == SK_OK) {
        for (size_t i = 0; i < s->n_cells; i++) {
            size_t len = 0;
            const char *t = sk_cell_text(b, s, &s->cells[i], &len);
            if (t && (strlen(t) != len || !sk_utf8_valid(t, len)))
                fz_die("cell text length or UTF-8 wrong");
        }
    }
    if (sk_extract_book(b, fz_tmpl, &a, &d) == SK_OK)
        fz_consume(a);
done:
    fz_check_diag(&d);
    sk_answers_free(a);
    sk_sheet_free(s);
    sk_book_close(b);
    return 0;
}
