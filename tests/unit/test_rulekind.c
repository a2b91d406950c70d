/* Unit tests: the rule-kind and outcome tables (src/checklist/rulekinds.c),
 * driven by the tables themselves, and the template's checklist wording
 * (parties, level nouns, project label, actions, phases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sechk/rulekind.h"
#include "sechk/template.h"

/* A template around one item; wording is put after <columns>. */
static sk_error load(const char *wording, const char *item, sk_template **t, sk_diag *d)
{
    char xml[8192];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<checklist xmlns=\"urn:sechk:template:1\" id=\"t\" version=\"1\">\n"
             "<title>T</title><document><field id=\"created\" label=\"記入日\"/></document>\n"
             "<phases><phase id=\"plan\" label=\"計画\" aliases=\"企画\"/><phase id=\"run\" label=\"運用\"/></phases>\n"
             "<levels><level id=\"required\" label=\"必須\"/><level id=\"recommended\" label=\"任意\"/></levels>\n"
             "<columns><column id=\"no\" match=\"No.\">No.</column><column id=\"lifecycle\" match=\"L\">L</column>"
             "<column id=\"requirement\" match=\"R\">R</column><column id=\"level\" match=\"V\">V</column>"
             "<column id=\"provider\" match=\"P\">P</column><column id=\"contractor\" match=\"C\">C</column>"
             "<column id=\"evidence\" match=\"E\">E</column></columns>\n%s\n%s\n</checklist>\n",
             wording, item);
    sk_diag_clear(d);
    *t = NULL;
    return sk_template_load_mem(xml, strlen(xml), "t.xml", t, d);
}

/* Every kind: a unique name found by lookup, a check, its outcomes and the
 * attributes its docs row restates, each named where the kind names it. */
static void test_kinds_table(void **state)
{
    (void)state;
    for (int k = 0; k < SK_RULE__COUNT; k++) {
        const sk_rule_kind_def *def = &sk_rule_kinds[k];
        assert_non_null(def->name);
        assert_int_equal(sk_rule_kind_lookup(def->name), k);
        assert_string_equal(sk_rule_kind_name((sk_rule_kind)k), def->name);
        assert_non_null(def->check);
        assert_true(def->required != 0);
        assert_true(def->n_outcomes >= 1 && def->n_outcomes <= SK_KIND_MAX_OUTCOMES);
        for (int o = 0; o < def->n_outcomes; o++)
            assert_true((unsigned)def->outcomes[o].id < SK_OC__COUNT);
        for (int i = 0; i < SK_KIND_MAX_DOC && def->doc[i] != SK_RA_NONE; i++) {
            assert_true(def->doc[i] < SK_RA__COUNT);
            if (def->doc[i] == SK_RA_OPTION)
                assert_non_null(def->option_attr);
            if (def->doc[i] == SK_RA_LIST)
                assert_non_null(def->list_attr);
            if (def->doc[i] == SK_RA_VALUE)
                assert_non_null(def->value_attr);
        }
    }
    assert_int_equal(sk_rule_kind_lookup("bogus"), -1);
}

/* Every outcome: a code, a class, both messages, and both actions or none. */
static void test_outcomes_table(void **state)
{
    (void)state;
    for (int o = 0; o < SK_OC__COUNT; o++) {
        const sk_outcome_def *def = &sk_outcome_defs[o];
        assert_non_null(def->code);
        assert_true(def->cls <= SK_CLASS_NONCONFORMITY);
        assert_non_null(def->ja);
        assert_non_null(def->en);
        assert_true((def->action_ja == NULL) == (def->action_en == NULL));
        if (def->action_ja)
            assert_ptr_equal(sk_outcome_action(def->code, 0), def->action_ja);
    }
    assert_null(sk_outcome_action("no-user-logs", 0)); /* a template's own code: its <actions> */
}

/* A declaration without the attributes its kind requires is refused, for
 * every kind. */
static void test_required_attributes(void **state)
{
    (void)state;
    for (int k = 0; k < SK_RULE__COUNT; k++) {
        char item[1024];
        snprintf(item, sizeof item,
                 "<item no=\"1\" lifecycle=\"plan\" level=\"required\"><requirement>r</requirement>"
                 "<provider><text><box id=\"x\" label=\"X\"/>X</text><rule kind=\"%s\"/></provider>"
                 "<contractor absent=\"true\"/></item>",
                 sk_rule_kinds[k].name);
        sk_template *t;
        sk_diag d;
        assert_int_equal(load("", item, &t, &d), SK_ERR_TEMPLATE);
        if (!strstr(d.reason, "lacks a required attribute"))
            fail_msg("kind %s: %s", sk_rule_kinds[k].name, d.reason);
    }
}

/* The wording elements, and what a template without them falls back to. */
static void test_wording(void **state)
{
    (void)state;
    static const char item[] = "<item no=\"7\" lifecycle=\"plan\" level=\"required\"><requirement>r</requirement>"
                               "<provider><text><box id=\"x\" label=\"X\"/>X（<slot id=\"n\" label=\"N\" "
                               "kind=\"disposal-methods\">　</slot>）</text>"
                               "<rule kind=\"disposal-methods\" when=\"x\" slot=\"n\" max=\"4\"/></provider>"
                               "<contractor absent=\"true\"/></item>";
    sk_template *t;
    sk_diag d;
    assert_int_equal(load("<parties><party id=\"provider\" label=\"事業者\" short=\"事\" label-en=\"operator\"/>"
                          "</parties><project label=\"案件名\"/><actions><action code=\"c1\">"
                          "<message lang=\"ja\">する</message><message lang=\"en\">do</message></action></actions>",
                          item, &t, &d),
                     SK_OK);
    assert_string_equal(t->parties[SK_PROVIDER].label.ja, "事業者");
    assert_string_equal(t->parties[SK_PROVIDER].short_label.en, "事");     /* short-en missing: the Japanese */
    assert_string_equal(t->parties[SK_CONTRACTOR].label.ja, "contractor"); /* not given: the id */
    assert_string_equal(sk_template_party_short(t, SK_PROVIDER, 0), "事");
    assert_string_equal(sk_template_party_short(t, -1, 1), "item");
    assert_string_equal(t->project_label.ja, "案件名");
    assert_string_equal(t->project_label.en, "案件名");
    assert_string_equal(t->level_nouns[SK_LEVEL_RECOMMENDED].ja, "任意"); /* no noun: the label */
    assert_string_equal(sk_template_action(t, "c1", 0), "する");
    assert_string_equal(sk_template_action(t, "c1", 1), "do");
    assert_null(sk_template_action(t, "c2", 0));
    assert_true(t->items[0].rules[0].value == 4);
    int ph = 9;
    assert_true(sk_template_phase_parse(t, "auto", &ph) && ph == -1);
    assert_true(sk_template_phase_parse(t, "企画", &ph) && ph == 0);
    assert_true(sk_template_phase_parse(t, "運用", &ph) && ph == 1);
    assert_false(sk_template_phase_parse(t, "selection", &ph));
    char names[64];
    sk_template_phase_names(t, names, sizeof names);
    assert_string_equal(names, "plan|run|auto, 計画|運用");
    sk_template_free(t);
    /* disposal-methods: max from 1 to 9 */
    char bad[sizeof item + 8];
    snprintf(bad, sizeof bad, "%.*s10%s", (int)(strstr(item, "max=\"4\"") - item + 5), item,
             strstr(item, "max=\"4\"") + 6);
    assert_int_equal(load("", bad, &t, &d), SK_ERR_TEMPLATE);
    assert_non_null(strstr(d.reason, "from 1 to 9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_table),
        cmocka_unit_test(test_outcomes_table),
        cmocka_unit_test(test_required_attributes),
        cmocka_unit_test(test_wording),
    };
    return cmocka_run_group_tests_name("rulekind", tests, NULL, NULL);
}
