/* Fuzz target: the XML layer on a worksheet.  The bytes become
 * xl/worksheets/sheet1.xml of a blank checklist (stored zip), beside the
 * blank's real shared strings; the sheet is read (cells sorted, merged
 * ranges), every cell's text looked up, then the workbook is extracted:
 * the locator and the aligner see whatever the sheet says. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_common();
    fz_load_base();
    return 0;
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
    fz_package_write("xl/worksheets/sheet1.xml", data, size);
    if (sk_book_open(fz_path, &lim, &b, &d) != SK_OK)
        goto done;
    if (sk_book_sheet_count(b) > 0 && sk_book_read_sheet(b, 0, &s, &d) == SK_OK &&
        sk_book_read_strings(b, NULL, NULL, &d) == SK_OK) {
        for (size_t i = 0; i < s->n_cells; i++) {
            const sk_cell *c = &s->cells[i];
            if (c->row < 1 || c->row > SK_MAX_ROW || c->col < 1 || c->col > SK_MAX_COL)
                fz_die("cell outside the grid");
            if (i > 0 &&
                (s->cells[i - 1].row > c->row || (s->cells[i - 1].row == c->row && s->cells[i - 1].col >= c->col)))
                fz_die("cells not sorted or duplicated");
            if (sk_sheet_cell(s, c->row, c->col) != c)
                fz_die("sk_sheet_cell does not find a cell");
            size_t len = 0;
            const char *t = sk_cell_text(b, s, c, &len);
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
