/* Unit tests: the template loader and the default template. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sechk/arena.h"
#include "sechk/template.h"
#include "sechk/text.h"

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

/* The prebuilt image (what sk_template_load_default returns) holds the same
 * template as the XML: the images of both are the same bytes.  And an image
 * that is cut short or altered is refused, not followed. */
static void test_image_matches_xml(void **state)
{
    (void)state;
    sk_template *a = NULL, *b = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&a, &d), SK_OK);
    assert_int_equal(sk_template_load_default_xml(&b, &d), SK_OK);
    assert_ptr_not_equal(a->arena, b->arena);
    sk_buf ia = SK_BUF_INIT, ib = SK_BUF_INIT;
    assert_int_equal(sk_template_image(a, NULL, NULL, &ia), SK_OK);
    assert_int_equal(sk_template_image(b, NULL, NULL, &ib), SK_OK);
    assert_true(ia.len > 1000);
    assert_int_equal(ia.len, ib.len);
    assert_memory_equal(ia.data, ib.data, ia.len);
    assert_int_equal(a->n_items, 36);
    assert_string_equal(a->items[35].cells[SK_PROVIDER].text, b->items[35].cells[SK_PROVIDER].text);

    sk_arena *arena = NULL;
    const sk_template *c = sk_arena_from_image(ia.data, ia.len, &arena);
    assert_non_null(c);
    assert_int_equal(c->n_items, 36);
    sk_arena_free(arena);
    assert_null(sk_arena_from_image(ia.data, 20, &arena));
    assert_null(arena);
    uint64_t bad = UINT64_MAX; /* a relocation beyond the data */
    memcpy(ia.data + ia.len - sizeof bad, &bad, sizeof bad);
    assert_null(sk_arena_from_image(ia.data, ia.len, &arena));
    ia.data[0] = 'X'; /* not an image */
    assert_null(sk_arena_from_image(ia.data, ia.len, &arena));
    sk_buf_free(&ia);
    sk_buf_free(&ib);
    sk_template_free(a);
    sk_template_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads),   cmocka_unit_test(test_default_cells_consistent),
        cmocka_unit_test(test_mini_ok),         cmocka_unit_test(test_broken_templates),
        cmocka_unit_test(test_missing_file),    cmocka_unit_test(test_image_matches_xml),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
