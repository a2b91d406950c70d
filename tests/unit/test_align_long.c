/* Unit tests: the aligner's prepared template sides (sk_align_prep) and its
 * anchored path for long cells (issue 21), on every answer cell of the
 * built-in template. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/align.h"
#include "sechk/template.h"
#include "sechk/text.h"

#define LONG_CHARS 5000 /* a long remark, as in issue 21 */

/* Remark-like text of n code points (no marker, no label of the template),
 * unique to seed. */
static void long_text(sk_buf *b, int n, int seed)
{
    static const char *const words[] = {"運用状況", "を確認した", "。", "第三者認証の範囲", "、",
                                        "暗号鍵の管理手順", "ログの保存期間", "は一年", "月次で点検", "する"};
    int cps = 0;
    for (int k = 0; cps < n; k++) {
        char num[32];
        const char *w = words[(k * 7 + seed) % 10];
        if (k % 9 == 8) {
            snprintf(num, sizeof num, "%d-%d", seed, k);
            w = num;
        }
        for (size_t pos = 0, len = strlen(w); pos < len && cps < n; cps++) {
            int32_t cp = sk_utf8_next(w, len, &pos);
            assert_int_equal(sk_buf_put_cp(b, (uint32_t)cp), SK_OK);
        }
    }
}

/* Asserts that two results are the same. */
static void assert_same(const sk_cell_def *c, const sk_align_result *a, const sk_align_result *b)
{
    for (int i = 0; i < c->n_options; i++)
        assert_int_equal(a->state[i], b->state[i]);
    for (int s = 0; s < c->n_slots; s++)
        assert_string_equal(a->values[s], b->values[s]);
    assert_int_equal(a->n_markers, b->n_markers);
    for (int i = 0; i < a->n_markers; i++) {
        assert_int_equal(a->markers[i].option, b->markers[i].option);
        assert_int_equal(a->markers[i].offset, b->markers[i].offset);
    }
    assert_int_equal(a->n_alterations, b->n_alterations);
    for (int i = 0; i < a->n_alterations; i++) {
        assert_string_equal(a->alterations[i].original, b->alterations[i].original);
        assert_string_equal(a->alterations[i].replacement, b->alterations[i].replacement);
    }
    assert_int_equal(a->n_insertions, b->n_insertions);
    for (int i = 0; i < a->n_insertions; i++)
        assert_string_equal(a->insertions[i].text, b->insertions[i].text);
    assert_int_equal(a->altered, b->altered);
    assert_int_equal(a->approximate, b->approximate);
}

/* The cell rendered with every other option checked and the text slots
 * holding long (n code points) or short values; values[] gets them. */
static void render(const sk_cell_def *c, int n, sk_box_state *states, char **values, sk_buf *out)
{
    for (int i = 0; i < c->n_options; i++)
        states[i] = i % 2 ? SK_BOX_UNCHECKED : SK_BOX_CHECKED;
    for (int s = 0; s < c->n_slots; s++) {
        sk_buf v = SK_BUF_INIT;
        if (c->slots[s].kind == SK_SLOT_TEXT)
            long_text(&v, n, s + 1);
        else
            assert_int_equal(sk_buf_append(&v, ""), SK_OK);
        values[s] = v.data;
    }
    assert_int_equal(sk_cell_render(c, states, (const char *const *)values, out), SK_OK);
}

static void free_values(char **values, int n)
{
    for (int s = 0; s < n; s++)
        free(values[s]);
}

/* sk_align_cell_prep with the template's prepared sides gives what
 * sk_align_cell gives, for short and long answers, twice over (the second
 * time the sides are already built). */
static void test_prep_same(void **state)
{
    (void)state;
    sk_template *t;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    assert_non_null(t->align);
    int cells = 0;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < t->n_items; i++)
            for (int p = 0; p < SK_PARTY__COUNT; p++) {
                const sk_cell_def *c = &t->items[i].cells[p];
                if (c->absent) {
                    assert_null(sk_align_prep_of(t, i, p));
                    continue;
                }
                for (int n = 10; n <= LONG_CHARS; n += LONG_CHARS - 10) {
                    sk_box_state st[64];
                    char *values[64];
                    assert_true(c->n_options <= 64 && c->n_slots <= 64);
                    sk_buf text = SK_BUF_INIT;
                    render(c, n, st, values, &text);
                    sk_align_result a, b;
                    assert_int_equal(sk_align_cell(c, text.data, text.len, &a, &d), SK_OK);
                    assert_int_equal(sk_align_cell_prep(c, sk_align_prep_of(t, i, p), text.data, text.len, &b, &d),
                                     SK_OK);
                    assert_same(c, &a, &b);
                    sk_align_result_free(&a);
                    sk_align_result_free(&b);
                    free_values(values, c->n_slots);
                    sk_buf_free(&text);
                    cells++;
                }
            }
    assert_true(cells > 100);
    sk_template_free(t);
}

/* A long text in every text slot reads back as it was typed, with the same
 * options, the other slots, no alteration and no insertion: what the short
 * answer gives (the anchored path, from 1,024 symbols on). */
static void test_long_equals_short(void **state)
{
    (void)state;
    sk_template *t;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    int long_slots = 0;
    for (int i = 0; i < t->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *c = &t->items[i].cells[p];
            if (c->absent)
                continue;
            sk_box_state st[64], st2[64];
            char *vs[64], *vl[64];
            sk_buf ts = SK_BUF_INIT, tl = SK_BUF_INIT;
            render(c, 10, st, vs, &ts);
            render(c, LONG_CHARS, st2, vl, &tl);
            sk_align_result rs, rl;
            assert_int_equal(sk_align_cell(c, ts.data, ts.len, &rs, &d), SK_OK);
            assert_int_equal(sk_align_cell(c, tl.data, tl.len, &rl, &d), SK_OK);
            assert_false(rl.approximate);
            assert_int_equal(rl.altered, rs.altered);
            assert_int_equal(rl.n_alterations, rs.n_alterations);
            assert_int_equal(rl.n_insertions, rs.n_insertions);
            assert_int_equal(rl.n_markers, rs.n_markers);
            for (int k = 0; k < c->n_options; k++) {
                assert_int_equal(rs.state[k], st[k] == SK_BOX_CHECKED ? SK_BOX_CHECKED : SK_BOX_UNCHECKED);
                assert_int_equal(rl.state[k], rs.state[k]);
            }
            for (int s = 0; s < c->n_slots; s++) {
                assert_string_equal(rs.values[s], vs[s]);
                assert_string_equal(rl.values[s], vl[s]);
                long_slots += c->slots[s].kind == SK_SLOT_TEXT;
            }
            sk_align_result_free(&rs);
            sk_align_result_free(&rl);
            free_values(vs, c->n_slots);
            free_values(vl, c->n_slots);
            sk_buf_free(&ts);
            sk_buf_free(&tl);
        }
    assert_true(long_slots > 50);
    sk_template_free(t);
}

/* A prep for a NULL cell is refused; freeing NULL is fine. */
static void test_prep_errors(void **state)
{
    (void)state;
    sk_align_prep *p = (sk_align_prep *)1;
    assert_int_equal(sk_align_prep_new(NULL, &p), SK_ERR_USAGE);
    assert_null(p);
    sk_align_prep_free(NULL);
    sk_align_prep_template_free(NULL);
    assert_null(sk_align_prep_of(NULL, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prep_same),
        cmocka_unit_test(test_long_equals_short),
        cmocka_unit_test(test_prep_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
