/* Fuzz target: the aligner.  The first byte picks an answer cell of the
 * default template (every cell is reached across inputs); the rest, when it
 * is valid UTF-8 without NUL as every cell text the reader hands over, is
 * aligned against that cell; the result is checked for consistency, against
 * the reference way without the aligner's shortcuts (align_ref.h), and
 * rendered back with sk_cell_render. */
#include "fuzz_common.h"

#include "../../src/checklist/align_ref.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_common();
    return 0;
}

/* Checks what sk_align_cell promises about its result. */
static void check_result(const sk_cell_def *def, const sk_align_result *r, size_t len)
{
    if (r->n_values != def->n_slots)
        fz_die("n_values differs from the slots");
    for (int k = 0; k < def->n_options; k++)
        if (r->state[k] != SK_BOX_MISSING && r->state[k] != SK_BOX_UNCHECKED && r->state[k] != SK_BOX_CHECKED)
            fz_die("bad option state");
    for (int k = 0; k < r->n_values; k++)
        if (!r->values[k] || !sk_utf8_valid(r->values[k], strlen(r->values[k])))
            fz_die("slot value NULL or not UTF-8");
    for (int k = 0; k < r->n_markers; k++)
        if (r->markers[k].offset >= len || r->markers[k].option < -1 || r->markers[k].option >= def->n_options)
            fz_die("bad marker");
    for (int k = 0; k < r->n_insertions; k++)
        if (r->insertions[k].offset > len || !r->insertions[k].text || r->insertions[k].slot < -1 ||
            r->insertions[k].slot >= def->n_slots)
            fz_die("bad insertion");
    for (int k = 0; k < r->n_alterations; k++)
        if (!r->alterations[k].original || !r->alterations[k].replacement)
            fz_die("bad alteration");
}

/* Dies unless a and b (for def) are the same results. */
static void check_same(const sk_cell_def *def, const sk_align_result *a, const sk_align_result *b)
{
    bool same = a->altered == b->altered && a->approximate == b->approximate && a->n_values == b->n_values &&
                a->n_markers == b->n_markers && a->n_alterations == b->n_alterations &&
                a->n_insertions == b->n_insertions;
    for (int k = 0; same && k < def->n_options; k++)
        same = a->state[k] == b->state[k];
    for (int k = 0; same && k < a->n_values; k++)
        same = strcmp(a->values[k], b->values[k]) == 0;
    for (int k = 0; same && k < a->n_markers; k++)
        same = a->markers[k].option == b->markers[k].option && a->markers[k].checked == b->markers[k].checked &&
               a->markers[k].offset == b->markers[k].offset;
    for (int k = 0; same && k < a->n_alterations; k++)
        same = strcmp(a->alterations[k].original, b->alterations[k].original) == 0 &&
               strcmp(a->alterations[k].replacement, b->alterations[k].replacement) == 0;
    for (int k = 0; same && k < a->n_insertions; k++)
        same = a->insertions[k].slot == b->insertions[k].slot && a->insertions[k].offset == b->insertions[k].offset &&
               strcmp(a->insertions[k].text, b->insertions[k].text) == 0;
    if (!same)
        fz_die("the shortcuts and the reference way differ");
}

/* Aligns text the reference way and compares with r. */
static void check_reference(const sk_cell_def *def, const char *text, size_t size, const sk_align_result *r)
{
    sk_align_prep *ref;
    if (sk_align_prep_new(def, &ref) != SK_OK)
        fz_die("sk_align_prep_new");
    sk_align_prep_reference(ref);
    sk_align_result b;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_align_cell_prep(def, ref, text, size, &b, &d) != SK_OK)
        fz_die("the reference way failed where the shortcuts did not");
    check_same(def, r, &b);
    sk_align_result_free(&b);
    sk_align_prep_free(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* the first byte picks the template cell (answer cells in template
     * order, provider then contractor; absent cells skipped), so that one
     * run aligns one cell and runs stay fast; the rest is the text */
    int n_cells = 0, pick = -1;
    const sk_cell_def *def = NULL;
    for (int i = 0; i < fz_tmpl->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            n_cells += !fz_tmpl->items[i].cells[p].absent;
    pick = data[0] % n_cells;
    for (int i = 0; i < fz_tmpl->n_items && !def; i++)
        for (int p = 0; p < SK_PARTY__COUNT && !def; p++)
            if (!fz_tmpl->items[i].cells[p].absent && pick-- == 0)
                def = &fz_tmpl->items[i].cells[p];
    const char *text = (const char *)data + 1;
    size--;
    if (memchr(text, 0, size) || !sk_utf8_valid(text, size))
        return 0;
    sk_align_result r;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_align_cell(def, text, size, &r, &d) != SK_OK) {
        fz_check_diag(&d);
        return 0;
    }
    check_result(def, &r, size);
    check_reference(def, text, size, &r);
    sk_buf out = SK_BUF_INIT;
    if (sk_cell_render(def, r.state, (const char *const *)r.values, &out) != SK_OK)
        fz_die("sk_cell_render failed");
    sk_buf_free(&out);
    sk_align_result_free(&r);
    return 0;
}
