/* Fuzz target: the answers-JSON reader of `sechk fill`.  The bytes are
 * parsed as JSON as sk_json_load_answers does (duplicate keys refused; an
 * array of one object accepted), read with sk_json_read_answers, and the
 * answers validated, written back as JSON, CSV and text, and each cell
 * rendered as fill renders it. */
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
    json_error_t je;
    json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return 0;
    const json_t *obj = root;
    if (json_is_array(root) && json_array_size(root) == 1)
        obj = json_array_get(root, 0);
    sk_answers *a = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_json_read_answers(obj, fz_tmpl, &a, &d) == SK_OK) {
        for (int i = 0; i < a->n_items; i++)
            for (int p = 0; p < SK_PARTY__COUNT; p++) {
                const sk_cell_def *def = &a->items[i].item->cells[p];
                const sk_cell_answers *ca = &a->items[i].cells[p];
                if (def->absent)
                    continue;
                sk_buf out = SK_BUF_INIT;
                if (sk_cell_render(def, ca->r.state, (const char *const *)ca->r.values, &out) != SK_OK)
                    fz_die("sk_cell_render failed");
                sk_buf_free(&out);
            }
        fz_consume(a);
    } else {
        fz_check_diag(&d);
    }
    sk_answers_free(a);
    json_decref(root);
    return 0;
}
