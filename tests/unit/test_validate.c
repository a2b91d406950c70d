/* Unit tests: the rule engine (statuses, severities, phases, the reader's
 * findings, messages) and the rules table.  The per-rule cases of the
 * default template run end to end in tests/e2e/test_rules.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/answers.h"
#include "sechk/template.h"
#include "sechk/text.h"
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

/* Blank answers for t with every item found in the workbook. */
static sk_answers *blank(const sk_template *t)
{
    sk_answers *a = sk_answers_new(t);
    assert_non_null(a);
    for (int i = 0; i < a->n_items; i++) {
        a->items[i].row = 9 + i;
        snprintf(a->items[i].cells[0].ref, sizeof a->items[i].cells[0].ref, "H%d", 9 + i);
        snprintf(a->items[i].cells[1].ref, sizeof a->items[i].cells[1].ref, "I%d", 9 + i);
    }
    assert_int_equal(sk_answers_set_str(&a->doc[SK_DOC_CREATED], "2026年4月1日"), SK_OK);
    assert_int_equal(sk_answers_set_str(&a->doc[SK_DOC_UPDATED], "2026年4月1日"), SK_OK);
    return a;
}

static sk_item_answers *item(sk_answers *a, int no)
{
    for (int i = 0; i < a->n_items; i++)
        if (a->items[i].item->no == no)
            return &a->items[i];
    fail_msg("no item %d", no);
    return NULL;
}

/* Checks (or unchecks) option id of item no's cell p. */
static void box(sk_answers *a, int no, sk_party p, const char *id, bool on)
{
    sk_item_answers *ia = item(a, no);
    int k = sk_cell_option(&ia->item->cells[p], id);
    if (k < 0)
        fail_msg("No.%d %s: no option %s", no, sk_party_name(p), id);
    ia->cells[p].r.state[k] = on ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
}

static void slot(sk_answers *a, int no, sk_party p, const char *id, const char *v)
{
    sk_item_answers *ia = item(a, no);
    int k = sk_cell_slot(&ia->item->cells[p], id);
    if (k < 0)
        fail_msg("No.%d %s: no slot %s", no, sk_party_name(p), id);
    assert_int_equal(sk_answers_set_str(&ia->cells[p].r.values[k], v), SK_OK);
}

/* The finding of item no with code (and party), or NULL. */
static const sk_finding *finding(sk_answers *a, int no, int party, const char *code)
{
    sk_item_answers *ia = item(a, no);
    for (int f = 0; f < ia->n_findings; f++)
        if (strcmp(ia->findings[f].code, code) == 0 && (party < -1 || ia->findings[f].party == party))
            return &ia->findings[f];
    return NULL;
}

static void validate(sk_answers *a, int phase)
{
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_validate(a, phase, &d), SK_OK);
}

/* Every message is valid UTF-8 with no placeholder left. */
static void assert_messages_clean(const sk_answers *a)
{
    for (int i = 0; i < a->n_items; i++)
        for (int f = 0; f < a->items[i].n_findings; f++) {
            const sk_finding *fd = &a->items[i].findings[f];
            for (int l = 0; l < 2; l++) {
                const char *m = l ? fd->message_en : fd->message_ja;
                assert_true(sk_utf8_valid(m, strlen(m)));
                assert_null(strstr(m, "{label}"));
                assert_null(strstr(m, "{list}"));
                assert_null(strstr(m, "{slot}"));
                assert_null(strstr(m, "{value}"));
                assert_null(strstr(m, "{quote}"));
                assert_true(strlen(m) > 0);
            }
        }
}

/* ---- the default template's rule set --------------------------------------- */

/* Every 〇年〇月 slot has a year-month rule hanging on its box, with the
 * timing its box says: 済み/改定 done, 予定 planned. */
static void test_every_date_slot_has_a_rule(void **state)
{
    (void)state;
    int n = 0;
    for (int i = 0; i < tpl->n_items; i++) {
        const sk_item *it = &tpl->items[i];
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *c = &it->cells[p];
            for (int s = 0; s < c->n_slots; s++) {
                if (c->slots[s].kind != SK_SLOT_YEAR_MONTH && c->slots[s].kind != SK_SLOT_YEAR_MONTHS)
                    continue;
                const sk_rule *found = NULL;
                for (int r = 0; r < it->n_rules; r++)
                    if (it->rules[r].kind == SK_RULE_YEAR_MONTH && (int)it->rules[r].slot.party == p &&
                        it->rules[r].slot.index == s)
                        found = &it->rules[r];
                if (!found)
                    fail_msg("No.%d %s slot %s has no year-month rule", it->no, sk_party_name((sk_party)p),
                             c->slots[s].id);
                assert_true(found->when.index >= 0);
                const char *label = c->options[found->when.index].label;
                bool planned = strstr(label, "予定") != NULL;
                if (found->timing != (planned ? SK_TIMING_PLANNED : SK_TIMING_DONE))
                    fail_msg("No.%d slot %s: timing does not fit \"%s\"", it->no, c->slots[s].id, label);
                n++;
            }
        }
    }
    assert_int_equal(n, 26);
}

/* Every 〇年〇月 of every cell text is a year-month slot (none left as text). */
static void test_no_date_left_as_text(void **state)
{
    (void)state;
    for (int i = 0; i < tpl->n_items; i++)
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *c = &tpl->items[i].cells[p];
            for (int s = 0; s < c->n_segs; s++)
                if (c->segs[s].kind == SK_SEG_TEXT) {
                    char buf[4096];
                    size_t n = c->segs[s].len < sizeof buf - 1 ? c->segs[s].len : sizeof buf - 1;
                    memcpy(buf, c->segs[s].text, n);
                    buf[n] = '\0';
                    if (strstr(buf, "〇年〇月"))
                        fail_msg("No.%d: 〇年〇月 in fixed text", tpl->items[i].no);
                }
        }
}

/* Every required exactly-one and confirm group of a due cell is answered
 * by something: each item has a group or rule. */
static void test_every_item_has_rules(void **state)
{
    (void)state;
    for (int i = 0; i < tpl->n_items; i++) {
        const sk_item *it = &tpl->items[i];
        int n = it->n_rules;
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            n += it->cells[p].n_groups;
        if (n == 0)
            fail_msg("No.%d has no rule", it->no);
    }
}

/* ---- statuses ------------------------------------------------------------- */

static void test_blank_selection(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    validate(a, -1);
    assert_int_equal(a->phase, 0);
    assert_true(a->phase_auto);
    assert_int_equal(item(a, 1)->status, SK_STATUS_UNANSWERED);
    assert_int_equal(item(a, 36)->status, SK_STATUS_UNANSWERED);
    /* brief 4a: every cell but 更改・廃棄 is due at the first submission */
    assert_int_equal(item(a, 16)->status, SK_STATUS_UNANSWERED);
    assert_int_equal(item(a, 22)->status, SK_STATUS_UNANSWERED);
    assert_int_equal(item(a, 24)->status, SK_STATUS_UNANSWERED); /* its selection block */
    assert_int_equal(item(a, 33)->status, SK_STATUS_NOT_DUE);
    assert_int_equal(item(a, 33)->n_findings, 0);
    assert_int_equal(a->basis_no, 0);
    assert_true(sk_answers_has_errors(a));
    assert_messages_clean(a);
    sk_answers_free(a);
}

static void test_statuses(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    /* ok */
    box(a, 6, SK_PROVIDER, "conform", true);
    box(a, 6, SK_CONTRACTOR, "confirmed", true);
    /* nonconforming: 不適合 with the vendor's words quoted */
    box(a, 4, SK_PROVIDER, "nonconform", true);
    slot(a, 4, SK_PROVIDER, "law", "米国CLOUD法");
    box(a, 4, SK_CONTRACTOR, "confirmed", true);
    /* deficient: answered, with an error */
    box(a, 3, SK_PROVIDER, "conform", true);
    /* review: a reason given for 対象外 */
    box(a, 9, SK_CONTRACTOR, "na", true);
    slot(a, 9, SK_CONTRACTOR, "remarks", "県の情報を取り扱わない");
    validate(a, 0);
    assert_int_equal(item(a, 6)->status, SK_STATUS_OK);
    assert_int_equal(item(a, 6)->n_findings, 0);
    assert_int_equal(item(a, 4)->status, SK_STATUS_NONCONFORMING);
    const sk_finding *f = finding(a, 4, SK_PROVIDER, "nonconforming");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_ERROR);
    assert_non_null(strstr(f->message_ja, "米国CLOUD法"));
    assert_non_null(strstr(f->message_ja, "「不適合」"));
    assert_non_null(strstr(f->message_en, "米国CLOUD法"));
    assert_int_equal(item(a, 3)->status, SK_STATUS_DEFICIENT);
    assert_int_equal(item(a, 9)->status, SK_STATUS_REVIEW);
    f = finding(a, 9, SK_CONTRACTOR, "reason-review");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_WARNING);
    assert_int_equal(item(a, 5)->status, SK_STATUS_UNANSWERED);
    assert_int_equal(item(a, 20)->status, SK_STATUS_UNANSWERED);
    assert_int_equal(item(a, 35)->status, SK_STATUS_NOT_DUE);
    assert_messages_clean(a);
    sk_answers_free(a);
}

/* A slot filled with no box checked is an answer (deficient, not unanswered). */
static void test_text_only_is_answered(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    slot(a, 4, SK_PROVIDER, "remarks", "回答は別紙のとおり");
    validate(a, 0);
    assert_int_equal(item(a, 4)->status, SK_STATUS_DEFICIENT);
    sk_answers_free(a);
}

/* 推奨 items: warnings, never nonconforming. */
static void test_recommended(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    box(a, 2, SK_PROVIDER, "nonconform", true);
    box(a, 2, SK_CONTRACTOR, "confirmed", true);
    box(a, 7, SK_PROVIDER, "yes", true);
    box(a, 7, SK_PROVIDER, "no", true);
    validate(a, 0);
    assert_int_equal(item(a, 2)->status, SK_STATUS_REVIEW);
    const sk_finding *f = finding(a, 2, SK_PROVIDER, "nonconforming");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_WARNING);
    assert_non_null(strstr(f->message_ja, "推奨要件"));
    assert_non_null(strstr(f->message_ja, "（記載なし）"));
    assert_non_null(strstr(f->message_en, "(nothing written)"));
    f = finding(a, 7, SK_PROVIDER, "conflict");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_WARNING);
    for (int k = 0; k < item(a, 2)->n_findings; k++)
        assert_int_not_equal(item(a, 2)->findings[k].severity, SK_SEV_ERROR);
    for (int k = 0; k < item(a, 7)->n_findings; k++)
        assert_int_not_equal(item(a, 7)->findings[k].severity, SK_SEV_ERROR);
    sk_answers_free(a);
}

/* Substantive failures: ID・パスワード alone, retention under 1 year. */
static void test_substantive_nonconforming(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    box(a, 16, SK_PROVIDER, "idpw", true);
    box(a, 14, SK_PROVIDER, "logs", true);
    box(a, 14, SK_PROVIDER, "yes", true);
    slot(a, 14, SK_PROVIDER, "log-list", "アクセスログ");
    slot(a, 14, SK_PROVIDER, "years", "半年");
    validate(a, 1);
    assert_int_equal(item(a, 16)->status, SK_STATUS_NONCONFORMING);
    assert_non_null(finding(a, 16, SK_PROVIDER, "only-option"));
    /* "半年" has no number: not readable, so deficient rather than nonconforming */
    assert_non_null(finding(a, 14, SK_PROVIDER, "value-invalid"));
    assert_int_equal(item(a, 14)->status, SK_STATUS_DEFICIENT);
    slot(a, 14, SK_PROVIDER, "years", "6ヶ月");
    validate(a, 1);
    assert_non_null(finding(a, 14, SK_PROVIDER, "value-too-low"));
    assert_non_null(strstr(finding(a, 14, SK_PROVIDER, "value-too-low")->message_ja, "1年"));
    assert_int_equal(item(a, 14)->status, SK_STATUS_NONCONFORMING);
    slot(a, 14, SK_PROVIDER, "years", "1年6か月");
    validate(a, 1);
    assert_null(finding(a, 14, SK_PROVIDER, "value-too-low"));
    sk_answers_free(a);
}

/* ---- phases ------------------------------------------------------------------ */

static void test_auto_phase(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    /* No.36 (every phase) shows no phase */
    box(a, 36, SK_CONTRACTOR, "confirmed", true);
    validate(a, -1);
    assert_int_equal(a->phase, 0);
    /* No.27's selection/development block shows selection */
    box(a, 27, SK_CONTRACTOR, "confirmed", true);
    validate(a, -1);
    assert_int_equal(a->phase, 0);
    /* provider answers and unscoped contractor answers are never evidence */
    box(a, 16, SK_PROVIDER, "mfa", true);
    box(a, 17, SK_PROVIDER, "vm", true);
    box(a, 18, SK_CONTRACTOR, "done", true);
    box(a, 30, SK_CONTRACTOR, "confirmed", true);
    validate(a, -1);
    assert_int_equal(a->phase, 0);
    assert_int_equal(a->basis_no, 0);
    char basis[128];
    sk_phase_basis(a, SK_LANG_EN, basis, sizeof basis);
    assert_string_equal(basis, "no later-phase evidence");
    /* No.24's development block shows development */
    box(a, 24, SK_CONTRACTOR, "planned", true);
    validate(a, -1);
    assert_int_equal(a->phase, 1);
    sk_phase_basis(a, SK_LANG_JA, basis, sizeof basis);
    assert_string_equal(basis, "No.24 【開発（導入・構築）の段階以降に回答】");
    /* No.27's operation block shows operation */
    box(a, 27, SK_CONTRACTOR, "done", true);
    validate(a, -1);
    assert_int_equal(a->phase, 2);
    assert_int_equal(a->basis_no, 27);
    /* a disposal block */
    box(a, 34, SK_CONTRACTOR, "planned", true);
    validate(a, -1);
    assert_int_equal(a->phase, 3);
    /* an item whose row is missing shows nothing */
    item(a, 34)->row = 0;
    validate(a, -1);
    assert_int_equal(a->phase, 2);
    sk_answers_free(a);
}

static void test_explicit_phase(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    /* a disposal answer is not due in the selection phase, but checked for form */
    box(a, 34, SK_CONTRACTOR, "planned", true);
    slot(a, 34, SK_CONTRACTOR, "planned-date", "2026年〇月");
    validate(a, 0);
    assert_int_equal(a->phase, 0);
    assert_false(a->phase_auto);
    assert_non_null(finding(a, 34, SK_CONTRACTOR, "year-month-placeholder"));
    assert_int_equal(item(a, 34)->status, SK_STATUS_DEFICIENT);
    assert_null(finding(a, 33, SK_CONTRACTOR, "unanswered"));
    /* validating again replaces the findings */
    slot(a, 34, SK_CONTRACTOR, "planned-date", "2026年9月");
    validate(a, 0);
    assert_int_equal(item(a, 34)->n_findings, 0);
    assert_int_equal(item(a, 34)->status, SK_STATUS_NOT_DUE);
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_not_equal(sk_validate(a, 4, &d), SK_OK);
    sk_answers_free(a);
}

static void test_phase_scoped_blocks(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    validate(a, 0);
    assert_non_null(finding(a, 24, SK_CONTRACTOR, "unconfirmed"));
    assert_null(finding(a, 24, SK_CONTRACTOR, "too-few"));
    validate(a, 1);
    assert_null(finding(a, 24, SK_CONTRACTOR, "unconfirmed"));
    assert_non_null(finding(a, 24, SK_CONTRACTOR, "too-few"));
    assert_non_null(finding(a, 27, SK_CONTRACTOR, "unconfirmed"));
    validate(a, 2);
    assert_null(finding(a, 27, SK_CONTRACTOR, "unconfirmed"));
    assert_non_null(finding(a, 27, SK_CONTRACTOR, "too-few"));
    /* No.33-35: due in disposal */
    validate(a, 3);
    assert_int_equal(item(a, 33)->status, SK_STATUS_UNANSWERED);
    assert_non_null(finding(a, 33, SK_CONTRACTOR, "unanswered"));
    validate(a, 2);
    assert_int_equal(item(a, 33)->status, SK_STATUS_NOT_DUE);
    sk_answers_free(a);
}

/* ---- the reader's findings ------------------------------------------------------ */

/* No.15 実施済み attests the column (brief 4a): the due cells of required items
 * left blank are named; a deficient cell, a recommended item and (for the
 * contractor) 更改・廃棄 do not make it false. */
static void test_attestation(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    box(a, 15, SK_PROVIDER, "done", true);
    box(a, 15, SK_CONTRACTOR, "done", true);
    validate(a, 0);
    const sk_finding *f = finding(a, 15, SK_PROVIDER, "attestation-unmet");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_ERROR);
    assert_non_null(strstr(f->message_ja, "No.1、"));
    assert_non_null(strstr(f->message_ja, "No.17"));
    assert_null(strstr(f->message_ja, "No.2、")); /* recommended */
    assert_null(strstr(f->message_ja, "No.15"));  /* itself */
    f = finding(a, 15, SK_CONTRACTOR, "attestation-unmet");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "No.36"));
    validate(a, 3);
    f = finding(a, 15, SK_CONTRACTOR, "attestation-unmet");
    assert_non_null(f);
    assert_null(strstr(f->message_ja, "No.33")); /* 更改・廃棄 is excluded */
    sk_answers_free(a);
}

/* --phase names: ids, the template's labels and aliases, half-width brackets. */
static void test_phase_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int phase;
    } cases[] = {
        {"selection", 0}, {"選定", 0}, {"選定（調達）", 0}, {"選定(調達)", 0}, {"開発", 1},
        {"開発（導入・構築）", 1}, {"development", 1}, {"運用", 2}, {"運用・保守", 2}, {"廃棄", 3},
        {"更改・廃棄", 3}, {"disposal", 3}, {"auto", -1}, {"調達", -1}, {"", -1}, {"選定 ", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (sk_template_phase(tpl, cases[i].name) != cases[i].phase)
            fail_msg("phase name \"%s\": %d, want %d", cases[i].name, sk_template_phase(tpl, cases[i].name),
                     cases[i].phase);
}

static void test_item_missing(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    item(a, 3)->row = 0;
    item(a, 2)->row = 0;
    item(a, 33)->row = 0;
    validate(a, 0);
    const sk_finding *f = finding(a, 3, -1, "item-missing");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_ERROR);
    assert_non_null(strstr(f->message_ja, "No.3 "));
    assert_int_equal(finding(a, 2, -1, "item-missing")->severity, SK_SEV_WARNING);
    assert_int_equal(item(a, 3)->status, SK_STATUS_UNANSWERED);
    /* a not-due item may be missing */
    assert_null(finding(a, 33, -2, "item-missing"));
    assert_int_equal(item(a, 33)->status, SK_STATUS_NOT_DUE);
    /* close case: a found item */
    assert_null(finding(a, 4, -2, "item-missing"));
    sk_answers_free(a);
}

static void test_marker_findings(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    box(a, 6, SK_PROVIDER, "conform", true);
    box(a, 6, SK_CONTRACTOR, "confirmed", true);
    validate(a, 0);
    assert_null(finding(a, 6, -2, "marker-missing"));
    assert_null(finding(a, 6, -2, "marker-extra"));
    /* the □ of 確認済み deleted */
    item(a, 6)->cells[SK_CONTRACTOR].r.state[0] = SK_BOX_MISSING;
    /* a ■ the template does not have */
    sk_align_result *r = &item(a, 6)->cells[SK_PROVIDER].r;
    r->markers = calloc(2, sizeof *r->markers);
    assert_non_null(r->markers);
    r->markers[0] = (sk_marker){.option = 0, .checked = true, .offset = 0};
    r->markers[1] = (sk_marker){.option = -1, .checked = true, .offset = 10};
    r->n_markers = 2;
    validate(a, 0);
    const sk_finding *f = finding(a, 6, SK_CONTRACTOR, "marker-missing");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_WARNING);
    assert_non_null(strstr(f->message_ja, "「確認済み」"));
    f = finding(a, 6, SK_PROVIDER, "marker-extra");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "■"));
    /* the missing box also leaves the confirmation unanswered */
    assert_non_null(finding(a, 6, SK_CONTRACTOR, "unconfirmed"));
    sk_answers_free(a);
}

static void test_text_altered(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    box(a, 6, SK_PROVIDER, "conform", true);
    box(a, 6, SK_CONTRACTOR, "confirmed", true);
    validate(a, 0);
    assert_null(finding(a, 6, -2, "text-altered"));
    assert_int_equal(item(a, 6)->status, SK_STATUS_OK);
    sk_align_result *r = &item(a, 6)->cells[SK_PROVIDER].r;
    r->alterations = calloc(2, sizeof *r->alterations);
    assert_non_null(r->alterations);
    r->alterations[0].original = strdup("満たす場合は適合");
    r->alterations[0].replacement = strdup("概ね満たす場合は適合");
    r->alterations[1].original = strdup("備考：");
    r->alterations[1].replacement = strdup("");
    r->n_alterations = 2;
    r->altered = true;
    validate(a, 0);
    int changed = 0, deleted = 0;
    for (int k = 0; k < item(a, 6)->n_findings; k++) {
        const sk_finding *f = &item(a, 6)->findings[k];
        if (strcmp(f->code, "text-altered") != 0)
            continue;
        assert_int_equal(f->severity, SK_SEV_WARNING);
        assert_int_equal(f->party, SK_PROVIDER);
        if (strstr(f->message_ja, "原文「満たす場合は適合」→「概ね満たす場合は適合」"))
            changed++;
        if (strstr(f->message_ja, "削除されています: 原文「備考：」"))
            deleted++;
    }
    assert_int_equal(changed, 1);
    assert_int_equal(deleted, 1);
    assert_int_equal(item(a, 6)->status, SK_STATUS_REVIEW);
    /* matched by order */
    item(a, 6)->cells[SK_CONTRACTOR].r.approximate = true;
    validate(a, 0);
    const sk_finding *f = finding(a, 6, SK_CONTRACTOR, "text-altered");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "順番"));
    assert_messages_clean(a);
    sk_answers_free(a);
}

/* ---- messages ----------------------------------------------------------------- */

/* Long lists and long quotes stay valid UTF-8 and bounded. */
static void test_long_messages(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    /* No.17: every ＜必須＞ measure unchecked (seven long labels) */
    validate(a, 1);
    const sk_finding *f = finding(a, 17, SK_CONTRACTOR, "required-unchecked");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "バックアップ方式の採用」"));
    /* a very long quote is cut */
    char longtext[6000];
    size_t n = 0;
    while (n + 3 < sizeof longtext - 1) {
        memcpy(longtext + n, "あ", 3);
        n += 3;
    }
    longtext[n] = '\0';
    box(a, 4, SK_PROVIDER, "nonconform", true);
    slot(a, 4, SK_PROVIDER, "law", longtext);
    slot(a, 4, SK_PROVIDER, "remarks", longtext);
    box(a, 9, SK_CONTRACTOR, "na", true);
    slot(a, 9, SK_CONTRACTOR, "remarks", longtext);
    validate(a, 1);
    f = finding(a, 4, SK_PROVIDER, "nonconforming");
    assert_non_null(f);
    assert_true(strlen(f->message_ja) < 2000);
    assert_non_null(strstr(f->message_ja, "…"));
    f = finding(a, 9, SK_CONTRACTOR, "reason-review");
    assert_non_null(f);
    assert_true(strlen(f->message_ja) < 1000);
    assert_messages_clean(a);
    sk_answers_free(a);
}

/* Groups of more than four options are named by their first two. */
static void test_abbreviated_groups(void **state)
{
    (void)state;
    sk_answers *a = blank(tpl);
    validate(a, 1);
    const sk_finding *f = finding(a, 16, SK_PROVIDER, "too-few");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "「ID・パスワード認証」「クライアント証明書による認証」など"));
    assert_null(strstr(f->message_ja, "多要素認証"));
    sk_answers_free(a);
}

/* ---- a template's own codes and messages ---------------------------------------------- */

static const char *const mini =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<checklist xmlns=\"urn:sechk:template:1\" id=\"t\" version=\"1\">\n"
    "<title>T</title><document><field id=\"created\" label=\"作成日\"/></document>\n"
    "<phases><phase id=\"selection\" label=\"選定\"/><phase id=\"operation\" label=\"運用\"/></phases>\n"
    "<levels><level id=\"required\" label=\"必須\"/><level id=\"recommended\" label=\"推奨\"/></levels>\n"
    "<columns><column id=\"no\" match=\"No.\">No.</column><column id=\"lifecycle\" match=\"L\">L</column>"
    "<column id=\"requirement\" match=\"R\">R</column><column id=\"level\" match=\"V\">V</column>"
    "<column id=\"provider\" match=\"P\">P</column><column id=\"contractor\" match=\"C\">C</column>"
    "<column id=\"evidence\" match=\"E\">E</column></columns>\n"
    "<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
    "<provider><text><box id=\"x\" label=\"X\"/>X <box id=\"y\" label=\"Y\"/>Y 実施（<slot id=\"d\" label=\"実施時期\" "
    "kind=\"year-month\">〇年〇月</slot>）備考：<slot id=\"r\" label=\"備考\" kind=\"text\"/></text>"
    "<group id=\"g\" kind=\"exactly-one\" options=\"x y\" severity=\"info\"/>"
    "<rule kind=\"slot-required\" when=\"x\" slot=\"r\" code=\"x-needs-remarks\" severity=\"warning\">"
    "<message lang=\"ja\">{label}なら{slot}に書く</message><message lang=\"en\">{label}: write {slot}</message></rule>"
    "<rule kind=\"year-month\" slot=\"d\" timing=\"done\"/>"
    "</provider><contractor absent=\"true\"/></item>\n"
    "</checklist>\n";

static void test_template_overrides(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_mem(mini, strlen(mini), "mini.xml", &t, &d), SK_OK);
    sk_answers *a = blank(t);
    validate(a, 0);
    /* severity="info" on the group */
    const sk_finding *f = finding(a, 1, SK_PROVIDER, "unanswered");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_INFO);
    /* a year-month rule without when: due whenever the cell is */
    f = finding(a, 1, SK_PROVIDER, "year-month-missing");
    assert_non_null(f);
    assert_non_null(strstr(f->message_ja, "「実施時期」"));
    box(a, 1, SK_PROVIDER, "x", true);
    slot(a, 1, SK_PROVIDER, "d", "2026年3月");
    validate(a, 0);
    f = finding(a, 1, SK_PROVIDER, "x-needs-remarks");
    assert_non_null(f);
    assert_int_equal(f->severity, SK_SEV_WARNING);
    assert_string_equal(f->message_ja, "「X」なら備考に書く");
    assert_string_equal(f->message_en, "\"X\": write 備考");
    assert_null(finding(a, 1, SK_PROVIDER, "year-month-missing"));
    assert_int_equal(a->items[0].status, SK_STATUS_REVIEW);
    /* the rules table shows the same */
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_rules_markdown(t, &b), SK_OK);
    assert_non_null(strstr(b.data, "| 1 | provider | slot-required when=x slot=r | warning | x-needs-remarks | "
                                   "「X」なら備考に書く | \"X\": write 備考 |\n"));
    assert_non_null(strstr(b.data, "| 1 | provider | exactly-one group=g options=x,y | info | unanswered |"));
    sk_buf_free(&b);
    sk_answers_free(a);
    sk_template_free(t);
}

/* ---- the rules table -------------------------------------------------------------- */

static void test_rules_markdown(void **state)
{
    (void)state;
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_rules_markdown(tpl, &b), SK_OK);
    assert_true(sk_utf8_valid(b.data, b.len));
    /* one row per outcome of every group and rule, plus the reader's */
    int want = 0;
    sk_outcome oc[SK_MAX_OUTCOMES];
    for (int i = 0; i < tpl->n_items; i++) {
        const sk_item *it = &tpl->items[i];
        for (int p = 0; p < SK_PARTY__COUNT; p++)
            for (int g = 0; g < it->cells[p].n_groups; g++)
                want += sk_group_outcomes(tpl, it, (sk_party)p, g, oc);
        for (int r = 0; r < it->n_rules; r++)
            want += sk_rule_outcomes(tpl, it, &it->rules[r], oc);
    }
    want += sk_reading_outcomes(oc);
    int rows = 0;
    for (const char *p = b.data; (p = strstr(p, "\n| ")) != NULL; p++)
        rows++;
    assert_int_equal(rows, want); /* lines after the header starting "| " (not the "|---" line) */
    assert_true(strncmp(b.data, "| item | column | rule | severity | code |", 42) == 0);
    /* every row has 7 cells */
    for (const char *line = b.data; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        int pipes = 0;
        for (const char *q = line; q < nl; q++)
            pipes += *q == '|' && (q == line || q[-1] != '\\');
        assert_int_equal(pipes, 8);
        line = nl + 1;
    }
    /* rows the brief names */
    assert_non_null(
        strstr(b.data, "| 16 | provider | not-only option=idpw others=cert,mfa,ip,other | error | only-option |"));
    assert_non_null(
        strstr(b.data, "| 14 | provider | min-value when=logs slot=years value=1 | error | value-too-low |"));
    assert_non_null(
        strstr(b.data, "| 13 | contractor | implies if=provider:yes then=considered | error | implied-missing |"));
    assert_non_null(strstr(b.data, "| 1 | provider | any group=cert options=ismap,iso27017,equivalent parent=conform "
                                   "min=1 | error | parent-without-child |"));
    assert_non_null(strstr(b.data, "| all | any |"));
    assert_null(strstr(b.data, "{label}"));
    sk_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_date_slot_has_a_rule),
        cmocka_unit_test(test_no_date_left_as_text),
        cmocka_unit_test(test_every_item_has_rules),
        cmocka_unit_test(test_blank_selection),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_text_only_is_answered),
        cmocka_unit_test(test_recommended),
        cmocka_unit_test(test_substantive_nonconforming),
        cmocka_unit_test(test_auto_phase),
        cmocka_unit_test(test_explicit_phase),
        cmocka_unit_test(test_phase_scoped_blocks),
        cmocka_unit_test(test_attestation),
        cmocka_unit_test(test_phase_names),
        cmocka_unit_test(test_item_missing),
        cmocka_unit_test(test_marker_findings),
        cmocka_unit_test(test_text_altered),
        cmocka_unit_test(test_long_messages),
        cmocka_unit_test(test_abbreviated_groups),
        cmocka_unit_test(test_template_overrides),
        cmocka_unit_test(test_rules_markdown),
    };
    return cmocka_run_group_tests_name("validate", tests, setup, teardown);
}
