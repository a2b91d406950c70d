/* Unit tests for src/checklist/diff.c: changes matched by option and slot id,
 * 乖離 rules, findings sorted into resolved/open/new with replies, the date
 * note, and the JSON summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sechk/diff.h"
#include "sechk/validate.h"

static sk_template *tpl;

static int setup(void **state)
{
    (void)state;
    sk_diag d;
    sk_diag_clear(&d);
    return sk_template_load_default(&tpl, &d) == SK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sk_template_free(tpl);
    return 0;
}

/* Answers with every item found and nothing checked. */
static sk_answers *blank(const char *updated)
{
    sk_answers *a = sk_answers_new(tpl);
    assert_non_null(a);
    for (int i = 0; i < a->n_items; i++)
        a->items[i].row = 9 + i;
    assert_int_equal(sk_answers_set_str(&a->doc[SK_DOC_UPDATED], updated), SK_OK);
    return a;
}

static sk_cell_answers *cell(sk_answers *a, int no, sk_party p)
{
    const sk_item *it = sk_template_item(tpl, no);
    assert_non_null(it);
    return &a->items[it - tpl->items].cells[p];
}

static void check(sk_answers *a, int no, sk_party p, const char *id, bool on)
{
    const sk_item *it = sk_template_item(tpl, no);
    int k = sk_cell_option(&it->cells[p], id);
    assert_true(k >= 0);
    cell(a, no, p)->r.state[k] = on ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
}

static void set_field(sk_answers *a, int no, sk_party p, const char *id, const char *v)
{
    const sk_item *it = sk_template_item(tpl, no);
    int k = sk_cell_slot(&it->cells[p], id);
    assert_true(k >= 0);
    assert_int_equal(sk_answers_set_str(&cell(a, no, p)->r.values[k], v), SK_OK);
}

static sk_diff *compare(sk_answers *o, sk_answers *n, const sk_diff_sides *s)
{
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_validate(o, 0, &d), SK_OK);
    assert_int_equal(sk_validate(n, 0, &d), SK_OK);
    sk_diff *df = NULL;
    assert_int_equal(sk_diff_compute(o, n, s, &df, &d), SK_OK);
    return df;
}

static void test_same(void **state)
{
    (void)state;
    sk_answers *o = blank("2026年4月1日"), *n = blank("2026年5月1日");
    check(o, 4, SK_PROVIDER, "conform", true);
    check(n, 4, SK_PROVIDER, "conform", true);
    sk_diff *df = compare(o, n, NULL);
    assert_int_equal(df->n_changes, 0);
    assert_int_equal(df->n_notes, 0);
    assert_int_equal(df->counts[SK_FINDING_RESOLVED], 0);
    assert_int_equal(df->counts[SK_FINDING_NEW], 0);
    assert_true(df->counts[SK_FINDING_OPEN] > 0); /* the blank items' findings, in both */
    assert_false(sk_diff_changed(df));
    sk_diff_free(df);
    sk_answers_free(o);
    sk_answers_free(n);
}

static void test_changes_and_divergence(void **state)
{
    (void)state;
    sk_answers *o = blank("2026年4月1日"), *n = blank("2026年4月1日");
    /* provider: 適合 → 不適合 with a law named */
    check(o, 4, SK_PROVIDER, "conform", true);
    check(n, 4, SK_PROVIDER, "nonconform", true);
    set_field(n, 4, SK_PROVIDER, "law", "米国 CLOUD Act");
    /* contractor: 確認済み → 対象外 (済 back to 対象外) */
    check(o, 9, SK_CONTRACTOR, "confirmed", true);
    check(n, 9, SK_CONTRACTOR, "na", true);
    /* contractor: a remark only (no 乖離) */
    set_field(n, 1, SK_CONTRACTOR, "remarks", "確認した");
    sk_diff *df = compare(o, n, NULL);
    int opt4 = 0, field4 = 0, c9 = 0, c1 = 0;
    for (int k = 0; k < df->n_changes; k++) {
        const sk_change *c = &df->changes[k];
        if (c->no == 4 && c->party == SK_PROVIDER && c->kind == SK_CHANGE_OPTION) {
            opt4++;
            assert_true(c->divergence);
        }
        if (c->no == 4 && c->party == SK_PROVIDER && c->kind == SK_CHANGE_FIELD) {
            field4++;
            assert_string_equal(c->id, "law");
            assert_string_equal(c->before, "");
            assert_string_equal(c->after, "米国 CLOUD Act");
        }
        if (c->no == 9 && c->party == SK_CONTRACTOR && c->kind == SK_CHANGE_OPTION) {
            c9++;
            assert_true(c->divergence);
        }
        if (c->no == 1 && c->party == SK_CONTRACTOR) {
            c1++;
            assert_false(c->divergence);
        }
    }
    assert_int_equal(opt4, 2);
    assert_int_equal(field4, 1);
    assert_int_equal(c9, 2);
    assert_int_equal(c1, 1);
    assert_int_equal(df->n_divergences, 5);
    assert_int_equal(df->n_items_changed, 3);
    /* the same date: a note */
    assert_int_equal(df->n_notes, 1);
    assert_string_equal(df->notes[0].code, "updated-not-later");
    /* No.4 is now nonconforming: a new finding with that code */
    bool found = false;
    for (int k = 0; k < df->n_findings; k++)
        if (df->findings[k].no == 4 && strcmp(df->findings[k].code, "nonconforming") == 0) {
            assert_int_equal(df->findings[k].state, SK_FINDING_NEW);
            found = true;
        }
    assert_true(found);
    assert_true(sk_diff_changed(df));
    sk_diff_free(df);
    sk_answers_free(o);
    sk_answers_free(n);
}

static void test_resolved_with_reply(void **state)
{
    (void)state;
    sk_answers *o = blank("2026年4月1日"), *n = blank("2026年4月2日");
    check(n, 10, SK_CONTRACTOR, "confirmed", true);
    sk_reply rep = {10, SK_CONTRACTOR, (char *)"unconfirmed", (char *)"確認しました"};
    sk_replies rs = {&rep, 1, true};
    sk_diff_sides s = {.new_replies = &rs};
    sk_diff *df = compare(o, n, &s);
    assert_int_equal(df->n_notes, 0); /* 4月2日 is later */
    bool found = false;
    for (int k = 0; k < df->n_findings; k++) {
        const sk_diff_finding *f = &df->findings[k];
        if (f->no == 10 && f->party == SK_CONTRACTOR && strcmp(f->code, "unconfirmed") == 0) {
            assert_int_equal(f->state, SK_FINDING_RESOLVED);
            assert_string_equal(f->reply, "確認しました");
            assert_int_equal(f->finding_new, -1);
            found = true;
        } else if (f->state != SK_FINDING_NEW) {
            assert_null(f->reply);
        }
    }
    assert_true(found);
    assert_string_equal(sk_replies_find(&rs, 10, SK_CONTRACTOR, "unconfirmed"), "確認しました");
    assert_null(sk_replies_find(&rs, 10, SK_PROVIDER, "unconfirmed"));
    sk_buf b = {0};
    assert_int_equal(sk_diff_json(df, &s, SK_LANG_JA, &b), SK_OK);
    assert_non_null(strstr(b.data, "\"format\": \"sechk/diff-v1\""));
    assert_non_null(strstr(b.data, "\"reply\": \"確認しました\""));
    sk_buf_reset(&b);
    assert_int_equal(sk_diff_text(df, SK_LANG_EN, &b), SK_OK);
    assert_non_null(strstr(b.data, "reply: 確認しました"));
    sk_buf_free(&b);
    sk_diff_free(df);
    sk_answers_free(o);
    sk_answers_free(n);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *old, *nw;
        const char *code; /* NULL: no note */
    } cases[] = {
        {"2026年4月1日", "2026年4月10日", NULL},
        {"2026年4月10日", "2026年4月1日", "updated-not-later"},
        {"令和8年4月1日", "2026年3月1日", "updated-not-later"},
        {"2026/04/01", "2026/04/02", NULL},
        {"2026年4月1日", "", "updated-missing"},
        {"", "2026年4月1日", NULL},
        {"２０２６年４月１日", "2026年4月1日", "updated-not-later"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        sk_answers *o = blank(cases[k].old), *n = blank(cases[k].nw);
        sk_diff *df = compare(o, n, NULL);
        if (cases[k].code) {
            assert_int_equal(df->n_notes, 1);
            assert_string_equal(df->notes[0].code, cases[k].code);
        } else {
            assert_int_equal(df->n_notes, 0);
        }
        sk_diff_free(df);
        sk_answers_free(o);
        sk_answers_free(n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_changes_and_divergence),
        cmocka_unit_test(test_resolved_with_reply),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
