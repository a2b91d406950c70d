/* Unit tests: the template loader and the default template. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sechk/template.h"
#include "sechk/text.h"

#include "../../tools/template_layout.h"

static int count_markers(const char *s, size_t len)
{
    size_t pos = 0;
    int n = 0;
    while (pos < len) {
        int32_t cp = sk_utf8_next(s, len, &pos);
        if (cp > 0 && sk_mark_of((uint32_t)cp) != SK_MARK_NONE)
            n++;
    }
    return n;
}

static void test_default_loads(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    assert_non_null(t);
    assert_int_equal(t->n_items, 36);
    assert_string_equal(t->title, "セキュリティチェックリスト");
    assert_int_equal(t->n_phases, 4);
    assert_string_equal(t->phases[0].id, "selection");
    assert_string_equal(t->phases[3].id, "disposal");
    assert_string_equal(t->fields[SK_DOC_SERVICE].label, "利用する外部サービス");
    for (int i = 0; i < 36; i++)
        assert_int_equal(t->items[i].no, i + 1);
    /* lifecycles: 1-15 selection, 16-21 development, 22-32 operation, 33-35 disposal, 36 all */
    assert_int_equal(sk_template_item(t, 15)->lifecycle, 0);
    assert_int_equal(sk_template_item(t, 16)->lifecycle, 1);
    assert_int_equal(sk_template_item(t, 21)->lifecycle, 1);
    assert_int_equal(sk_template_item(t, 22)->lifecycle, 2);
    assert_int_equal(sk_template_item(t, 32)->lifecycle, 2);
    assert_int_equal(sk_template_item(t, 33)->lifecycle, 3);
    assert_int_equal(sk_template_item(t, 36)->lifecycle, SK_LIFECYCLE_ALL);
    /* levels: recommended only No.2 and No.7 */
    for (int i = 0; i < 36; i++) {
        int no = t->items[i].no;
        assert_int_equal(t->items[i].level, (no == 2 || no == 7) ? SK_LEVEL_RECOMMENDED : SK_LEVEL_REQUIRED);
        bool ev = no <= 6 || no == 8 || (no >= 10 && no <= 13);
        assert_int_equal(t->items[i].evidence, ev);
        /* provider "―" for No.9 and No.18-36 */
        assert_int_equal(t->items[i].cells[SK_PROVIDER].absent, no == 9 || no >= 18);
        assert_false(t->items[i].cells[SK_CONTRACTOR].absent);
    }
    assert_non_null(sk_template_item(t, 1));
    assert_null(sk_template_item(t, 37));
    sk_template_free(t);
}

static void test_default_cells_consistent(void **state)
{
    (void)state;
    sk_template *t = NULL;
    assert_int_equal(sk_template_load_default(&t, NULL), SK_OK);
    for (int i = 0; i < t->n_items; i++) {
        for (int p = 0; p < SK_PARTY__COUNT; p++) {
            const sk_cell_def *c = &t->items[i].cells[p];
            if (c->absent) {
                assert_string_equal(c->text, "\u2015");
                continue;
            }
            int lits = 0, boxes = 0, slots = 0;
            size_t total = 0;
            for (int s = 0; s < c->n_segs; s++) {
                const sk_segment *g = &c->segs[s];
                assert_ptr_equal(g->text, c->text + total); /* segments tile the text */
                total += g->len;
                if (g->kind == SK_SEG_LIT)
                    lits += count_markers(g->text, g->len);
                if (g->kind == SK_SEG_BOX) {
                    assert_int_equal(g->index, boxes);
                    boxes++;
                }
                if (g->kind == SK_SEG_SLOT) {
                    assert_int_equal(g->index, slots);
                    slots++;
                }
            }
            assert_int_equal(total, c->text_len);
            assert_int_equal(boxes, c->n_options);
            assert_int_equal(slots, c->n_slots);
            /* markers in the printed text = options + prose boxes */
            assert_int_equal(count_markers(c->text, c->text_len), c->n_options + lits);
            /* every slot's placeholder occurs in the cell */
            for (int s = 0; s < c->n_slots; s++)
                assert_non_null(strstr(c->text, c->slots[s].placeholder));
            /* groups name existing options, each option in at most one group */
            for (int g = 0; g < c->n_groups; g++) {
                const sk_group *gr = &c->groups[g];
                assert_true(gr->n_options > 0);
                for (int k = 0; k < gr->n_options; k++) {
                    assert_in_range(gr->options[k], 0, c->n_options - 1);
                    assert_int_equal(c->options[gr->options[k]].group, g);
                }
                if (gr->parent >= 0)
                    assert_in_range(gr->parent, 0, c->n_options - 1);
            }
        }
        for (int r = 0; r < t->items[i].n_rules; r++) {
            const sk_rule *ru = &t->items[i].rules[r];
            const sk_item *it = &t->items[i];
            if (ru->slot.index >= 0)
                assert_in_range(ru->slot.index, 0, it->cells[ru->slot.party].n_slots - 1);
            if (ru->when.index >= 0)
                assert_in_range(ru->when.index, 0, it->cells[ru->when.party].n_options - 1);
            for (int k = 0; k < ru->n_list; k++)
                assert_in_range(ru->list[k].index, 0, it->cells[ru->list[k].party].n_options - 1);
        }
    }
    /* No.1 provider: 適合 is the first box, ISMAP the second */
    const sk_cell_def *c1 = &sk_template_item(t, 1)->cells[SK_PROVIDER];
    assert_int_equal(sk_cell_option(c1, "conform"), 0);
    assert_string_equal(c1->options[0].label, "適合");
    assert_int_equal(sk_cell_option(c1, "ismap"), 1);
    assert_int_equal(sk_cell_slot(c1, "remarks"), c1->n_slots - 1);
    sk_template_free(t);
}

/* A minimal valid template with one item; %s is spliced into the item. */
static const char *const mini_head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<checklist xmlns=\"urn:sechk:template:1\" id=\"t\" version=\"1\">\n"
    "<title>T</title><document><field id=\"created\" label=\"作成日\"/></document>\n"
    "<phases><phase id=\"selection\" label=\"選定\"/></phases>\n"
    "<levels><level id=\"required\" label=\"必須\"/><level id=\"recommended\" label=\"推奨\"/></levels>\n"
    "<columns><column id=\"no\" match=\"No.\">No.</column><column id=\"lifecycle\" match=\"L\">L</column>"
    "<column id=\"requirement\" match=\"R\">R</column><column id=\"level\" match=\"V\">V</column>"
    "<column id=\"provider\" match=\"P\">P</column><column id=\"contractor\" match=\"C\">C</column>"
    "<column id=\"evidence\" match=\"E\">E</column></columns>\n";

static sk_error load_mini(const char *item, sk_diag *d)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s%s</checklist>\n", mini_head, item);
    sk_template *t = NULL;
    sk_diag_clear(d);
    sk_error e = sk_template_load_mem(buf, strlen(buf), "mini.xml", &t, d);
    sk_template_free(t);
    return e;
}

static void test_mini_ok(void **state)
{
    (void)state;
    sk_diag d;
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text>a<box id=\"x\" label=\"X\"/>X 備考：<slot id=\"r\" label=\"備考\" "
                               "kind=\"text\"/></text><group id=\"g\" kind=\"confirm\" options=\"x\"/>"
                               "<rule kind=\"slot-required\" when=\"x\" slot=\"r\"/></provider>"
                               "<contractor absent=\"true\"/></item>",
                               &d),
                     SK_OK);
}

static void test_broken_templates(void **state)
{
    (void)state;
    sk_diag d;
    /* missing item number */
    assert_int_equal(load_mini("<item lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider absent=\"true\"/><contractor absent=\"true\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    assert_string_equal(d.file, "mini.xml");
    assert_non_null(strstr(d.reason, "needs the attribute no"));
    assert_non_null(strstr(d.where, "line "));
    /* unknown rule kind */
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text><box id=\"x\" label=\"X\"/></text><rule kind=\"bogus\" when=\"x\"/>"
                               "</provider><contractor absent=\"true\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "unknown rule kind \"bogus\""));
    /* malformed XML */
    assert_int_equal(load_mini("<item no=\"1\"", &d), SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "malformed XML"));
    /* a bare checkbox in text */
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text>□適合</text></provider><contractor absent=\"true\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "<box> or a <lit>"));
    /* a group naming an unknown option */
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text><box id=\"x\" label=\"X\"/></text>"
                               "<group id=\"g\" kind=\"exactly-one\" options=\"x y\"/></provider>"
                               "<contractor absent=\"true\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "unknown option \"y\""));
    /* unknown lifecycle */
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"later\" level=\"required\"><requirement>r</requirement>"
                               "<provider absent=\"true\"/><contractor absent=\"true\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    /* item-level reference without a column */
    assert_int_equal(load_mini("<item no=\"1\" lifecycle=\"selection\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text><box id=\"x\" label=\"X\"/></text></provider>"
                               "<contractor absent=\"true\"/><rule kind=\"implies\" if=\"x\" then=\"x\"/></item>",
                               &d),
                     SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "needs a column"));
    /* DOCTYPE refused, entities never expanded */
    const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE checklist [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                      "<checklist xmlns=\"urn:sechk:template:1\" id=\"t\" version=\"1\"><title>&e;</title></checklist>";
    sk_template *t = NULL;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_mem(xxe, strlen(xxe), "x.xml", &t, &d), SK_ERR_TEMPLATE);
    assert_null(t);
    assert_null(strstr(d.reason, "root:"));
}

static void test_missing_file(void **state)
{
    (void)state;
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_file("/nonexistent/x.xml", &t, &d), SK_ERR_IO);
    assert_string_equal(d.file, "/nonexistent/x.xml");
}

/* ---- the built-in template (static tables) equals the XML-loaded one ----
 * Every member of every structure is compared (tools/template_layout.h stops
 * the build when a structure gains a member this walk does not know). */

/* CHECK(c): if c is false, note where (the first place) and return false,
 * so that a test can also see the compare fail. */
static int diff_line;
#define CHECK(c)                                                                                         \
    do {                                                                                                 \
        if (!(c)) {                                                                                      \
            if (!diff_line)                                                                              \
                diff_line = __LINE__;                                                                    \
            return false;                                                                                \
        }                                                                                                \
    } while (0)

static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        CHECK(a == b); /* both NULL */
    else
        CHECK(strcmp(a, b) == 0);
    return true;
}

/* Both arrays present or both NULL (the loader allocates even empty ones). */
static bool same_presence(const void *a, const void *b)
{
    CHECK((a != NULL) == (b != NULL));
    return true;
}

static bool same_ref(sk_ref a, sk_ref b)
{
    CHECK(a.party == b.party);
    CHECK(a.index == b.index);
    return true;
}

static bool same_refs(const sk_ref *a, int na, const sk_ref *b, int nb)
{
    CHECK(na == nb);
    CHECK(same_presence(a, b));
    for (int i = 0; i < na; i++)
        CHECK(same_ref(a[i], b[i]));
    return true;
}

static bool same_group(const sk_group *a, const sk_group *b)
{
    CHECK(same_str(a->id, b->id));
    CHECK(a->kind == b->kind);
    CHECK(a->n_options == b->n_options);
    CHECK(same_presence(a->options, b->options));
    for (int k = 0; k < a->n_options; k++)
        CHECK(a->options[k] == b->options[k]);
    CHECK(a->parent == b->parent);
    CHECK(a->phases == b->phases);
    CHECK(a->min == b->min);
    CHECK(a->optional == b->optional);
    CHECK(a->severity == b->severity);
    CHECK(a->due == b->due);
    CHECK(same_str(a->scope, b->scope));
    return true;
}

static bool same_cell(const sk_cell_def *a, const sk_cell_def *b)
{
    CHECK(a->absent == b->absent);
    CHECK(a->text_len == b->text_len);
    CHECK(same_presence(a->text, b->text));
    if (a->text)
        CHECK(memcmp(a->text, b->text, a->text_len + 1) == 0);
    CHECK(a->n_segs == b->n_segs);
    CHECK(same_presence(a->segs, b->segs));
    for (int i = 0; i < a->n_segs; i++) {
        CHECK(a->segs[i].kind == b->segs[i].kind);
        /* a segment is a piece of its cell's text, at the same place */
        CHECK(a->segs[i].text - a->text == b->segs[i].text - b->text);
        CHECK(a->segs[i].len == b->segs[i].len);
        CHECK(a->segs[i].index == b->segs[i].index);
    }
    CHECK(a->n_options == b->n_options);
    CHECK(same_presence(a->options, b->options));
    for (int i = 0; i < a->n_options; i++) {
        CHECK(same_str(a->options[i].id, b->options[i].id));
        CHECK(same_str(a->options[i].label, b->options[i].label));
        CHECK(a->options[i].group == b->options[i].group);
    }
    CHECK(a->n_slots == b->n_slots);
    CHECK(same_presence(a->slots, b->slots));
    for (int i = 0; i < a->n_slots; i++) {
        CHECK(same_str(a->slots[i].id, b->slots[i].id));
        CHECK(same_str(a->slots[i].label, b->slots[i].label));
        CHECK(a->slots[i].kind == b->slots[i].kind);
        CHECK(same_str(a->slots[i].placeholder, b->slots[i].placeholder));
    }
    CHECK(a->n_groups == b->n_groups);
    CHECK(same_presence(a->groups, b->groups));
    for (int i = 0; i < a->n_groups; i++)
        CHECK(same_group(&a->groups[i], &b->groups[i]));
    CHECK(a->due == b->due);
    return true;
}

static bool same_rule(const sk_rule *a, const sk_rule *b)
{
    CHECK(a->kind == b->kind);
    CHECK(a->party == b->party);
    CHECK(same_ref(a->when, b->when));
    CHECK(same_ref(a->slot, b->slot));
    CHECK(same_ref(a->group, b->group));
    CHECK(same_refs(a->list, a->n_list, b->list, b->n_list));
    CHECK(same_refs(a->quote, a->n_quote, b->quote, b->n_quote));
    CHECK(same_ref(a->option, b->option));
    CHECK(a->timing == b->timing);
    CHECK(memcmp(&a->value, &b->value, sizeof a->value) == 0); /* the same bits */
    CHECK(a->severity == b->severity);
    CHECK(same_str(a->code, b->code));
    CHECK(same_str(a->msg_ja, b->msg_ja));
    CHECK(same_str(a->msg_en, b->msg_en));
    CHECK(a->line == b->line);
    CHECK(same_refs(a->unless, a->n_unless, b->unless, b->n_unless));
    CHECK(a->except == b->except);
    CHECK(same_str(a->unit, b->unit));
    return true;
}

static bool same_words(sk_words a, sk_words b)
{
    CHECK(same_str(a.ja, b.ja));
    CHECK(same_str(a.en, b.en));
    return true;
}

static bool same_item(const sk_item *a, const sk_item *b)
{
    CHECK(a->no == b->no);
    CHECK(a->lifecycle == b->lifecycle);
    CHECK(a->level == b->level);
    CHECK(a->evidence == b->evidence);
    CHECK(same_str(a->requirement, b->requirement));
    for (int p = 0; p < SK_PARTY__COUNT; p++)
        CHECK(same_cell(&a->cells[p], &b->cells[p]));
    CHECK(a->n_rules == b->n_rules);
    CHECK(same_presence(a->rules, b->rules));
    for (int r = 0; r < a->n_rules; r++)
        CHECK(same_rule(&a->rules[r], &b->rules[r]));
    CHECK(a->line == b->line);
    return true;
}

/* Compares every member of two templates but the arena (who owns them). */
static bool same_template(const sk_template *a, const sk_template *b)
{
    CHECK(same_str(a->id, b->id));
    CHECK(same_str(a->version, b->version));
    CHECK(same_str(a->title, b->title));
    CHECK(a->n_notes == b->n_notes);
    CHECK(same_presence(a->notes, b->notes));
    for (int i = 0; i < a->n_notes; i++)
        CHECK(same_str(a->notes[i], b->notes[i]));
    for (int k = 0; k < SK_DOC__COUNT; k++) {
        CHECK(same_str(a->fields[k].label, b->fields[k].label));
        CHECK(same_str(a->fields[k].placeholder, b->fields[k].placeholder));
    }
    CHECK(same_str(a->instruction, b->instruction));
    for (int k = 0; k < SK_MAX_PHASES; k++) { /* the unused ones too */
        CHECK(same_str(a->phases[k].id, b->phases[k].id));
        CHECK(same_str(a->phases[k].label, b->phases[k].label));
        CHECK(same_str(a->phases[k].aliases, b->phases[k].aliases));
    }
    CHECK(a->n_phases == b->n_phases);
    for (int k = 0; k < SK_LEVEL__COUNT; k++)
        CHECK(same_str(a->level_labels[k], b->level_labels[k]));
    for (int k = 0; k < SK_COL__COUNT; k++) {
        CHECK(same_str(a->columns[k].label, b->columns[k].label));
        CHECK(same_str(a->columns[k].match, b->columns[k].match));
        CHECK(a->columns[k].due_from == b->columns[k].due_from);
    }
    for (int k = 0; k < SK_LEVEL__COUNT; k++)
        CHECK(same_words(a->level_nouns[k], b->level_nouns[k]));
    for (int k = 0; k < SK_PARTY__COUNT; k++) {
        CHECK(same_words(a->parties[k].label, b->parties[k].label));
        CHECK(same_words(a->parties[k].short_label, b->parties[k].short_label));
    }
    CHECK(same_words(a->project_label, b->project_label));
    CHECK(a->n_actions == b->n_actions);
    CHECK(same_presence(a->actions, b->actions));
    for (int i = 0; i < a->n_actions; i++) {
        CHECK(same_str(a->actions[i].code, b->actions[i].code));
        CHECK(same_words(a->actions[i].text, b->actions[i].text));
    }
    CHECK(a->n_items == b->n_items);
    CHECK(same_presence(a->items, b->items));
    for (int i = 0; i < a->n_items; i++)
        CHECK(same_item(&a->items[i], &b->items[i]));
    return true;
}

/* The built-in template (static tables generated by tools/mktables.c) is
 * the XML-loaded one, member by member; it has no arena, each load is its own
 * copy of the top structure, and freeing one leaves the tables to the next. */
static void test_builtin_matches_xml(void **state)
{
    (void)state;
    sk_template *a = NULL, *b = NULL, *c = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&a, &d), SK_OK);
    assert_int_equal(sk_template_load_default_xml(&b, &d), SK_OK);
    assert_null(a->arena);
    assert_non_null(b->arena);
    diff_line = 0;
    if (!same_template(a, b) || !same_template(b, a))
        fail_msg("the built-in template differs from templates/default.xml (test_template.c:%d)", diff_line);
    assert_int_equal(a->n_items, 36);
    /* pointers differ: the two really are separate copies */
    assert_ptr_not_equal(a->items, b->items);
    assert_ptr_not_equal(a->items[0].requirement, b->items[0].requirement);

    sk_template_free(a);
    assert_int_equal(sk_template_load_default(&c, NULL), SK_OK);
    assert_null(c->arena);
    assert_true(same_template(c, b));
    sk_template_free(c);
    sk_template_free(b);
}

/* The deep compare itself sees a difference (it is not vacuous). */
static void test_deep_compare_sees_differences(void **state)
{
    (void)state;
    sk_template *a = NULL, *b = NULL;
    assert_int_equal(sk_template_load_default_xml(&a, NULL), SK_OK);
    assert_int_equal(sk_template_load_default_xml(&b, NULL), SK_OK);
    assert_true(same_template(a, b));
    /* a change deep inside: the last rule's line of the last item with rules */
    sk_item *items = (sk_item *)(uintptr_t)b->items; /* test only: b is ours */
    int i = b->n_items - 1;
    while (i > 0 && items[i].n_rules == 0)
        i--;
    assert_true(items[i].n_rules > 0);
    sk_rule *r = (sk_rule *)(uintptr_t)&items[i].rules[items[i].n_rules - 1];
    r->line++;
    diff_line = 0;
    assert_false(same_template(a, b));
    assert_true(diff_line > 0);
    r->line--;
    assert_true(same_template(a, b));
    char *label = (char *)(uintptr_t)items[0].cells[SK_CONTRACTOR].options[0].label;
    label[0] ^= 1; /* one byte of one string */
    assert_false(same_template(a, b));
    sk_template_free(a);
    sk_template_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads),   cmocka_unit_test(test_default_cells_consistent),
        cmocka_unit_test(test_mini_ok),         cmocka_unit_test(test_broken_templates),
        cmocka_unit_test(test_missing_file),    cmocka_unit_test(test_builtin_matches_xml),
        cmocka_unit_test(test_deep_compare_sees_differences),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
