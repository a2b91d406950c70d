/* Unit tests: the aligner's shortcuts (src/checklist/align_ref.h) give the
 * same results as the reference way (everything decoded, every cell through
 * the diff and the full reading), and are taken where they should be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/checklist/align_ref.h"
#include "sechk/align.h"
#include "sechk/template.h"
#include "sechk/text.h"

#include "tcell.h"

/* Cells by markup: adjacent slots, slots at both ends, a prose □, a marker
 * inside a placeholder, no slot, no box. */
static const char *const MARKUPS[] = {
    "該当するものを回答すること。\n　□対応予定（予定：{ym:〇年〇月}頃）\n　□対応済み（{ym:〇年〇月}）\n"
    "　□その他（{t:　　　　　}）\n備考：{t:}",
    "期間：{ym:〇年〇月}{ym:〇年〇月}まで\n□はい　□いいえ",
    "{t:}先頭と末尾の欄\n□あり{t:（例）　記載例　等}",
    "{lit}は説明の記号です。\n　□確認済み\n　・{lit}印の項目は必須。\n備考：{t:}",
    "選択：{t:□}　□A　□B",
    "固定の文だけで欄も選択肢もない。",
    "□一\n□二\n□三",
    "期間：{t:}{t:}まで　□はい（{t:}）{t:　}",
    "",
};

/* A small deterministic generator (xorshift). */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* A character boundary of t[0..n) near byte at (n if at >= n). */
static size_t boundary(const char *t, size_t n, size_t at)
{
    while (at < n && ((unsigned char)t[at] & 0xC0) == 0x80)
        at++;
    return at < n ? at : n;
}

/* Values typed into slots, markers to swap in, text to insert. */
static const char *const VALUES[] = {
    "AWS",        "2025年4月",   "（SaaS））",     "A1)AWS",
    "備考：別紙", "■",           "ＡＢＣ　１２３", "担当者へのヒアリングにより確認した（9月1日）。",
    "\r\n第2行",  "(1)：契約書", "〇年〇月",       "　"};
static const char *const MARKS[] = {"■", "□", "☑", "✓", "◼", "▪", "⬛", "☒", "✔", "☐", "◻", "○", "〇"};
static const char *const SNIPPETS[] = {"x", "（", "）",     "：",  "□",  "■",    "備考",     "\r\n", "　",
                                       " ", "\n", "ＡＢＣ", "(1)", "等", "\xff", "\xe3\x81", "・",   "。"};

/* Replaces t[at..at+n) with s (t grows as needed). */
static void splice(sk_buf *t, size_t at, size_t n, const char *s)
{
    sk_buf r = SK_BUF_INIT;
    assert_int_equal(sk_buf_append_len(&r, t->data, at), SK_OK);
    assert_int_equal(sk_buf_append(&r, s), SK_OK);
    assert_int_equal(sk_buf_append_len(&r, t->data + at + n, t->len - at - n), SK_OK);
    sk_buf_free(t);
    *t = r;
}

/* Replaces the k-th marker character of t (any of MARKS' first 11) with m. */
static void swap_marker(sk_buf *t, uint32_t k, const char *m)
{
    size_t at[256], n = 0;
    for (size_t p = 0; p + 3 <= t->len && n < 256; p++)
        for (int i = 0; i < 11; i++)
            if (memcmp(t->data + p, MARKS[i], 3) == 0)
                at[n++] = p;
    if (n)
        splice(t, at[k % n], 3, m);
}

/* One random edit of t. */
static void mutate(sk_buf *t, uint32_t *seed)
{
    uint32_t r = next_rand(seed), kind = r % 6, len = (uint32_t)t->len + 1;
    size_t at = boundary(t->data, t->len, next_rand(seed) % len);
    switch (kind) {
    case 0:
    case 1: swap_marker(t, next_rand(seed), MARKS[next_rand(seed) % 13]); break;
    case 2: splice(t, at, 0, SNIPPETS[next_rand(seed) % (sizeof SNIPPETS / sizeof *SNIPPETS)]); break;
    case 3: splice(t, at, boundary(t->data, t->len, at + 1 + next_rand(seed) % 9) - at, ""); break;
    case 4: /* CR LF line breaks */
        for (size_t p = 0; p < t->len; p++)
            if (t->data[p] == '\n' && (p == 0 || t->data[p - 1] != '\r'))
                splice(t, p++, 0, "\r");
        break;
    default:
        t->len = at;
        t->data[at] = '\0';
        break; /* cut short */
    }
}

/* Asserts that a and b (results for a cell of n_options) are the same. */
static void assert_same(const sk_align_result *a, const sk_align_result *b, int n_options)
{
    assert_int_equal(a->altered, b->altered);
    assert_int_equal(a->approximate, b->approximate);
    assert_int_equal(a->n_values, b->n_values);
    for (int k = 0; k < a->n_values; k++)
        assert_string_equal(a->values[k], b->values[k]);
    for (int k = 0; k < n_options; k++)
        assert_int_equal(a->state[k], b->state[k]);
    assert_int_equal(a->n_markers, b->n_markers);
    for (int k = 0; k < a->n_markers; k++) {
        assert_int_equal(a->markers[k].option, b->markers[k].option);
        assert_int_equal(a->markers[k].checked, b->markers[k].checked);
        assert_int_equal(a->markers[k].offset, b->markers[k].offset);
    }
    assert_int_equal(a->n_alterations, b->n_alterations);
    for (int k = 0; k < a->n_alterations; k++) {
        assert_string_equal(a->alterations[k].original, b->alterations[k].original);
        assert_string_equal(a->alterations[k].replacement, b->alterations[k].replacement);
    }
    assert_int_equal(a->n_insertions, b->n_insertions);
    for (int k = 0; k < a->n_insertions; k++) {
        assert_int_equal(a->insertions[k].slot, b->insertions[k].slot);
        assert_int_equal(a->insertions[k].offset, b->insertions[k].offset);
        assert_string_equal(a->insertions[k].text, b->insertions[k].text);
    }
}

/* Aligns text with cell both ways, asserts the same results and returns
 * the shortcuts taken (SK_ALIGN_*). */
static int check_both(const sk_cell_def *cell, const char *text, size_t len)
{
    sk_align_prep *fast, *ref;
    assert_int_equal(sk_align_prep_new(cell, &fast), SK_OK);
    assert_int_equal(sk_align_prep_new(cell, &ref), SK_OK);
    sk_align_prep_reference(ref);
    sk_align_result a, b;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_align_cell_prep(cell, fast, text, len, &a, &d), SK_OK);
    assert_int_equal(sk_align_cell_prep(cell, ref, text, len, &b, &d), SK_OK);
    assert_same(&a, &b, cell->n_options);
    sk_align_result c;
    assert_int_equal(sk_align_cell(cell, text, len, &c, &d), SK_OK); /* no prep */
    assert_same(&a, &c, cell->n_options);
    sk_align_result_free(&a);
    sk_align_result_free(&b);
    sk_align_result_free(&c);
    sk_align_prep_free(fast);
    sk_align_prep_free(ref);
    int r = sk_align_shortcuts(cell, text, len);
    assert_true(r >= 0);
    return r;
}

/* Renders cell with random states and values. */
static void render_random(const sk_cell_def *cell, uint32_t *seed, sk_buf *out)
{
    sk_box_state states[SK_MAX_OPTIONS];
    const char *values[SK_MAX_SLOTS];
    for (int k = 0; k < cell->n_options && k < SK_MAX_OPTIONS; k++)
        states[k] = next_rand(seed) % 3 ? SK_BOX_UNCHECKED : SK_BOX_CHECKED;
    for (int k = 0; k < cell->n_slots && k < SK_MAX_SLOTS; k++)
        values[k] = next_rand(seed) % 3 ? NULL : VALUES[next_rand(seed) % (sizeof VALUES / sizeof *VALUES)];
    sk_buf_reset(out);
    assert_int_equal(sk_cell_render(cell, states, values, out), SK_OK);
}

/* Random answers for cell (rounds of them): both ways agree.  Counts the
 * answers read without the diff in *whole and the others in *full. */
static void check_random(const sk_cell_def *cell, uint32_t *seed, int rounds, int *whole, int *full)
{
    sk_buf t = SK_BUF_INIT;
    for (int k = 0; k < rounds; k++) {
        render_random(cell, seed, &t);
        int edits = (int)(next_rand(seed) % 4);
        for (int e = 0; e < edits; e++)
            mutate(&t, seed);
        int r = check_both(cell, t.data ? t.data : "", t.len);
        if (r & SK_ALIGN_WHOLE)
            ++*whole;
        else
            ++*full;
    }
    sk_buf_free(&t);
}

/* Every answer cell of the default template, answered at random. */
static void test_template_cells(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    uint32_t seed = 2463534242u;
    int whole = 0, full = 0;
    for (int i = 0; i < t->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            if (!t->items[i].cells[p].absent)
                check_random(&t->items[i].cells[p], &seed, 64, &whole, &full);
    assert_true(whole > 0 && full > 0);
    sk_template_free(t);
}

/* The markup cells, answered at random. */
static void test_markup_cells(void **state)
{
    (void)state;
    uint32_t seed = 88172645u;
    int whole = 0, full = 0;
    for (size_t m = 0; m < sizeof MARKUPS / sizeof *MARKUPS; m++) {
        tcell *c = tcell_new(MARKUPS[m]);
        check_random(&c->cell, &seed, 600, &whole, &full);
        tcell_free(c);
    }
    assert_true(whole > 0 && full > 0);
}

/* Shortcuts taken by text (a NUL-terminated answer) for c. */
static int shortcuts(const tcell *c, const char *text)
{
    return check_both(&c->cell, text, strlen(text));
}

/* Returns a new string: s with every "from" replaced by "to". */
static char *subst_all(const char *s, const char *from, const char *to)
{
    sk_buf b = SK_BUF_INIT;
    for (const char *at; (at = strstr(s, from)) != NULL; s = at + strlen(from)) {
        assert_int_equal(sk_buf_append_len(&b, s, (size_t)(at - s)), SK_OK);
        assert_int_equal(sk_buf_append(&b, to), SK_OK);
    }
    assert_int_equal(sk_buf_append(&b, s), SK_OK);
    return sk_buf_take(&b);
}

/* Cells that take the shortcuts: the blank text, boxes checked with any
 * marker, text typed into one slot, other line breaks. */
static void test_shortcut_taken(void **state)
{
    (void)state;
    tcell *c = tcell_new(MARKUPS[0]);
    const int both = SK_ALIGN_COPIED | SK_ALIGN_WHOLE;
    assert_int_equal(shortcuts(c, c->cell.text), both);
    const char *marks[] = {"■", "☑", "✓", "◼", "▪", "⬛", "☒", "✔", "☐", "◻"};
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
        char *t = subst_all(c->cell.text, "□", marks[k]);
        assert_int_equal(shortcuts(c, t), both);
        free(t);
    }
    char *t = subst_all(c->cell.text, "備考：", "備考：ヒアリングで確認（9月1日）。");
    assert_int_equal(shortcuts(c, t), both);
    free(t);
    t = subst_all(c->cell.text, "（　　　　　）", "（A1)AWS））");
    assert_int_equal(shortcuts(c, t), both);
    free(t);
    t = subst_all(c->cell.text, "\n", "\r\n");
    assert_int_equal(shortcuts(c, t), both);
    free(t);
    tcell_free(c);
}

/* Cells that must take the full reading: a character typed outside every
 * slot, a missing option, a box retyped as ○, a placeholder's symbols
 * replaced, two slots filled far apart, an empty cell; and a template that
 * is not valid UTF-8 copies nothing. */
static void test_shortcut_refused(void **state)
{
    (void)state;
    tcell *c = tcell_new(MARKUPS[0]);
    char *t = subst_all(c->cell.text, "（予定：〇年〇月頃）", "（予定：2026年4月頃）");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_COPIED);
    free(t);
    t = subst_all(c->cell.text, "対応済み", "対応済xみ");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_COPIED);
    free(t);
    t = subst_all(c->cell.text, "　□対応済み", "　対応済み");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_COPIED);
    free(t);
    t = subst_all(c->cell.text, "□その他", "○その他");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_COPIED);
    free(t);
    char *u = subst_all(c->cell.text, "（予定：〇年〇月頃）", "（予定：2026年4月頃）");
    t = subst_all(u, "備考：", "備考：確認済み");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_COPIED);
    free(t);
    free(u);
    assert_int_equal(shortcuts(c, ""), SK_ALIGN_COPIED);
    tcell_free(c);
    c = tcell_new("□はい\xe3\x81　□いいえ　備考：{t:}");
    assert_int_equal(shortcuts(c, c->cell.text), SK_ALIGN_WHOLE);
    t = subst_all(c->cell.text, "備考：", "備考：確認済み");
    assert_int_equal(shortcuts(c, t), SK_ALIGN_WHOLE);
    free(t);
    tcell_free(c);
}

/* Answers with invalid UTF-8 next to the template's text: the copied end
 * must start on a character, else everything is decoded. */
static void test_invalid_bytes(void **state)
{
    (void)state;
    tcell *c = tcell_new("□はい　□いいえ\n備考：{t:}");
    const char *texts[] = {
        "□はい　□いいえ\n備考：\xe3", "□はい　□いいえ\n備考：\xe3\x81", "\xe3\xe2\x96\xa1はい　□いいえ\n備考：",
        "□はい\xff□いいえ\n備考：",   "\x96\xa1はい　□いいえ\n備考：",  "□はい　□いいえ\n備考\xef\xbc"};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
        shortcuts(c, texts[k]);
    tcell_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shortcut_taken), cmocka_unit_test(test_shortcut_refused),
        cmocka_unit_test(test_invalid_bytes),  cmocka_unit_test(test_markup_cells),
        cmocka_unit_test(test_template_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
