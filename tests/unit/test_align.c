/* Unit tests: aligning answer cells with their template text (align.h). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sechk/align.h"
#include "sechk/text.h"

#include "tcell.h"

/* Returns a new string: s with the first "from" replaced by "to" (must occur). */
static char *subst(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    assert_non_null(r);
    size_t head = (size_t)(at - s);
    memcpy(r, s, head);
    strcpy(r + head, to);
    strcat(r, at + strlen(from));
    return r;
}

/* Aligns a NUL-terminated text and asserts success. */
static void align(const tcell *c, const char *text, sk_align_result *r)
{
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_align_cell(&c->cell, text, strlen(text), r, &d), SK_OK);
}

/* Renders c with states/values into a new string. */
static char *render(const tcell *c, const sk_box_state *states, const char *const *values)
{
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_cell_render(&c->cell, states, values, &b), SK_OK);
    return sk_buf_take(&b);
}

/* Asserts the alignment of a blank, untouched cell. */
static void assert_clean(const tcell *c, const sk_align_result *r)
{
    assert_false(r->altered);
    assert_false(r->approximate);
    assert_int_equal(r->n_alterations, 0);
    assert_int_equal(r->n_insertions, 0);
    assert_int_equal(r->n_values, c->cell.n_slots);
    for (int i = 0; i < r->n_markers; i++)
        assert_true(r->markers[i].option >= 0);
}

/* Provider cell of No.1: 11 options, その他（…） and 備考. */
static const char CELL_ITEM1[] =
    "取得している認定・認証制度を回答し、適合にチェックすること。その他に取得しているものがあれ"
    "ば併せて回答すること。\n"
    "　□適合（□(1)ISMAP　□(2)ISO/IEC 27017:2015　□(1)又は(2)と同等の取り扱いを行っている）\n"
    "\n"
    "・その他取得している認定・認証があれば回答\n"
    "　□ISO/IEC27018:2019\n"
    "　□ISO/IEC27001:2013又はISO/IEC27001:2022\n"
    "　□ISMAP-LIU（ISMAP for Low-Impact Use）\n"
    "　□クラウド情報セキュリティ監査制度（CSマークゴールド）\n"
    "　□クラウドサービス情報開示認定制度（ASPIC）\n"
    "　□プライバシーマーク\n"
    "　□その他（{t:　　　　　　　　　　　　　　　　}）\n"
    "備考：{t:}";

/* Provider cell of No.2: a slot in the middle (開示条件等) and 備考. */
static const char CELL_ITEM2[] =
    "適合又は不適合のいずれかを回答すること。開示にあたり条件等（秘密保持契約の締結が必要等）が"
    "あれば併せて回答すること。\n"
    "　□適合\n"
    "　　開示条件等：{t:}\n"
    "\n"
    "　□不適合\n"
    "備考：{t:}";

/* Contractor cell with a fixed sentence after the box. */
static const char CELL_CONFIRM[] =
    "以下の事項について確認したら、確認済みと回答すること。\n"
    "　□確認済み\n"
    "　・外部サービス提供者の回答が適合の場合は、県の求めに応じて監査報告書を提出すること。\n"
    "\n"
    "備考：{t:}";

/* A cell with year-month slots. */
static const char CELL_DATES[] = "該当するものを回答すること。\n"
                                 "　□対応予定（予定：{ym:〇年〇月}頃）\n"
                                 "　□対応済み（{ym:〇年〇月}）\n"
                                 "　□対応不要\n"
                                 "備考：{t:}";

/* Contractor cell of No.3: four slots at the end. */
static const char CELL_ITEM3[] =
    "外部サービス提供者の回答を確認した上で、セキュリティ要件の(1)～(3)についてそれぞれ回答する"
    "こと。対象外の場合はそう考えた理由を備考に記載すること。\n"
    "\n"
    "（1）　□実施する　　□対象外\n"
    "（2）　□実施する　　□対象外\n"
    "（3）　□実施する　　□対象外\n"
    "※(3)は外部サービスを利用する業務端末、運用保守端末等を含む。\n"
    "\n"
    "備考：{t:}\n"
    "(1)：{t:}\n"
    "(2)：{t:}\n"
    "(3)：{t:}";

/* A cell whose instruction names the box in prose (No.25 contractor). */
static const char CELL_LIT[] = "以下の事項を確認し、対応した場合は{lit}をチェックすること。\n"
                               "　□確認済み\n"
                               "備考：{t:}";

/* Disposal methods and a count slot. */
static const char CELL_DISPOSAL[] = "　□廃棄方法（{d:　番号を記載　}）\n"
                                    "　□実績あり　実績件数{n:　}件　主な導入先：{t:}\n"
                                    "備考：{t:}";

/* A long example placeholder with brackets of its own (No.19 contractor). */
static const char CELL_EXAMPLE[] =
    "次の選択肢から回答すること。\n"
    "　□対応済み（{ym:〇年〇月}）\n"
    "　□対応不要（理由：{t:　（例）利用者側でシステム開発（導入・構築）は生じないクラウドサービスのサービ"
    "ス形態であり、利用者側で他ベンダのライセンス利用はないため。等　}）\n"
    "　□その他（{t:　　　　　　　　　　　　}）\n"
    "　備考：{t:}";

/* Two slots with no fixed text between them. */
static const char CELL_ADJACENT[] = "実施期間：{ym:〇年〇月}{ym:〇年〇月}まで\n備考：{t:}";

/* Builds the markup of a cell with 20 options. */
static char *cell20_markup(void)
{
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_buf_append(&b, "実施している対策を全て回答すること。\n"), SK_OK);
    static const char *const names[] = {"アクセス制御", "多要素認証", "暗号化",       "ログ取得",     "ログ監視",
                                        "脆弱性診断",   "パッチ適用", "ウイルス対策", "バックアップ", "冗長化",
                                        "入退室管理",   "教育",       "委託先管理",   "監査",         "鍵管理",
                                        "通信の暗号化", "データ消去", "権限管理",     "IP制限",       "その他"};
    for (int i = 0; i < 20; i++)
        assert_int_equal(sk_buf_printf(&b, "　□%s\n", names[i]), SK_OK);
    assert_int_equal(sk_buf_append(&b, "備考：{t:}"), SK_OK);
    return sk_buf_take(&b);
}

static void test_blank_cells(void **state)
{
    (void)state;
    const char *cells[] = {CELL_ITEM1, CELL_ITEM2,    CELL_CONFIRM,  CELL_DATES,  CELL_ITEM3,
                           CELL_LIT,   CELL_DISPOSAL, CELL_ADJACENT, CELL_EXAMPLE};
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
        tcell *c = tcell_new(cells[k]);
        sk_align_result r;
        align(c, c->cell.text, &r);
        assert_clean(c, &r);
        assert_int_equal(r.n_markers, c->cell.n_options);
        for (int i = 0; i < c->cell.n_options; i++) {
            assert_int_equal(r.state[i], SK_BOX_UNCHECKED);
            assert_int_equal(r.markers[i].option, i);
            assert_false(r.markers[i].checked);
        }
        for (int s = 0; s < c->cell.n_slots; s++)
            assert_string_equal(r.values[s], "");
        sk_align_result_free(&r);
        tcell_free(c);
    }
}

static void test_one_checked(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM1);
    sk_box_state st[SK_MAX_OPTIONS] = {0};
    for (int i = 0; i < c->cell.n_options; i++)
        st[i] = i == 2 ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    char *text = render(c, st, NULL);
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(c->cell.n_options, 11);
    for (int i = 0; i < 11; i++)
        assert_int_equal(r.state[i], i == 2 ? SK_BOX_CHECKED : SK_BOX_UNCHECKED);
    assert_int_equal(r.n_markers, 11);
    assert_true(r.markers[2].checked);
    assert_int_equal(r.markers[2].option, 2);
    assert_memory_equal(text + r.markers[2].offset, "\u25A0", 3);
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_retyped_with_space(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    char *text = subst(c->cell.text, "　□適合", "■ 適合");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_int_equal(r.state[1], SK_BOX_UNCHECKED);
    assert_string_equal(r.values[0], "");
    assert_string_equal(r.values[1], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_marker_characters(void **state)
{
    (void)state;
    static const char *const checked[] = {"\u25A0", "\u25FC", "\u25AA", "\u2B1B",
                                          "\u2611", "\u2612", "\u2713", "\u2714"};
    static const char *const unchecked[] = {"\u25A1", "\u2610", "\u25FB"};
    tcell *c = tcell_new(CELL_ITEM2);
    for (int k = 0; k < 11; k++) {
        bool on = k < 8;
        const char *m = on ? checked[k] : unchecked[k - 8];
        char with[32];
        snprintf(with, sizeof with, "%s不適合", m);
        char *text = subst(c->cell.text, "□不適合", with);
        sk_align_result r;
        align(c, text, &r);
        assert_clean(c, &r);
        assert_int_equal(r.state[0], SK_BOX_UNCHECKED);
        assert_int_equal(r.state[1], on ? SK_BOX_CHECKED : SK_BOX_UNCHECKED);
        assert_int_equal(r.n_markers, 2);
        assert_int_equal(r.markers[1].checked, on);
        sk_align_result_free(&r);
        free(text);
    }
    /* 〇 and ○ are never markers: the box is missing and the change is reported */
    static const char *const circles[] = {"〇不適合", "○不適合"};
    for (int k = 0; k < 2; k++) {
        char *text = subst(c->cell.text, "□不適合", circles[k]);
        sk_align_result r;
        align(c, text, &r);
        assert_true(r.altered);
        assert_int_equal(r.state[1], SK_BOX_MISSING);
        assert_int_equal(r.n_markers, 1);
        assert_int_equal(r.n_alterations, 1);
        assert_string_equal(r.alterations[0].original, "□");
        assert_memory_equal(r.alterations[0].replacement, circles[k], 3);
        assert_int_equal(r.n_insertions, 0);
        assert_string_equal(r.values[1], "");
        sk_align_result_free(&r);
        free(text);
    }
    tcell_free(c);
}

static void test_line_breaks(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM1);
    sk_box_state st[SK_MAX_OPTIONS] = {0};
    for (int i = 0; i < c->cell.n_options; i++)
        st[i] = (i == 0 || i == 3 || i == 9) ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    char *text = render(c, st, NULL);
    /* all line breaks removed */
    sk_buf b = SK_BUF_INIT;
    for (const char *p = text; *p; p++)
        if (*p != '\n')
            assert_int_equal(sk_buf_putc(&b, *p), SK_OK);
    /* and the other way: every line break doubled, CR LF and a lone CR (Excel's
     * _x000D_ as the workbook reader decodes it) */
    sk_buf b2 = SK_BUF_INIT;
    for (const char *p = text; *p; p++)
        assert_int_equal(*p == '\n' ? sk_buf_append(&b2, "\r\r\n\n ") : sk_buf_putc(&b2, *p), SK_OK);
    const char *variants[] = {b.data, b2.data};
    for (int v = 0; v < 2; v++) {
        sk_align_result r;
        align(c, variants[v], &r);
        assert_clean(c, &r);
        for (int i = 0; i < c->cell.n_options; i++)
            assert_int_equal(r.state[i], st[i]);
        assert_string_equal(r.values[0], "");
        assert_string_equal(r.values[1], "");
        sk_align_result_free(&r);
    }
    sk_buf_free(&b);
    sk_buf_free(&b2);
    free(text);
    tcell_free(c);
}

static void test_text_in_parentheses(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM1);
    char *text = subst(c->cell.text, "□その他（　　　　　　　　　　　　　　　　）", "■その他（　独自認証 ABC　　　）");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(r.state[10], SK_BOX_CHECKED);
    assert_string_equal(r.values[0], "独自認証 ABC");
    assert_string_equal(r.values[1], "");
    sk_align_result_free(&r);
    free(text);
    /* a value holding the closing bracket itself stays whole */
    text = subst(c->cell.text, "（　　　　　　　　　　　　　　　　）", "（クラウド（SaaS）型）");
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "クラウド（SaaS）型");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_year_month(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_DATES);
    char *text = subst(c->cell.text, "□対応予定（予定：〇年〇月頃）", "■対応予定（予定：2025年4月頃）");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_string_equal(r.values[0], "2025年4月");
    assert_string_equal(r.values[1], "");
    assert_string_equal(r.values[2], "");
    sk_align_result_free(&r);
    free(text);
    /* a half-filled date keeps what is there for the validator */
    text = subst(c->cell.text, "（〇年〇月）", "（2024年〇月）");
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "");
    assert_string_equal(r.values[1], "2024年〇月");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_remarks_two_lines(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    size_t n = strlen(c->cell.text);
    char *text = malloc(n + 128);
    assert_non_null(text);
    snprintf(text, n + 128, "%s　一行目の説明です。\n二行目：詳細は別紙。  \n", c->cell.text);
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "");
    assert_string_equal(r.values[1], "一行目の説明です。\n二行目：詳細は別紙。");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_text_after_label(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_LIT);
    char *text = subst(c->cell.text, "□確認済み", "■確認済み　2025/4/1 担当者確認");
    sk_align_result r;
    align(c, text, &r);
    assert_false(r.altered);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_string_equal(r.values[0], "2025/4/1 担当者確認");
    assert_int_equal(r.n_insertions, 1);
    assert_int_equal(r.insertions[0].slot, 0);
    assert_string_equal(r.insertions[0].text, "2025/4/1 担当者確認");
    assert_int_equal(r.n_alterations, 0);
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);

    /* with slot text of its own, the inserted text follows it */
    c = tcell_new(CELL_ITEM2);
    text = subst(c->cell.text, "　□不適合\n備考：", "　□不適合 ※補足\n備考：特になし");
    align(c, text, &r);
    assert_false(r.altered);
    assert_string_equal(r.values[1], "※補足 特になし");
    assert_int_equal(r.n_insertions, 1);
    assert_int_equal(r.insertions[0].slot, 1);
    sk_align_result_free(&r);
    free(text);
    /* the nearest slot wins: after 適合 that is 開示条件等 */
    text = subst(c->cell.text, "□適合", "■適合（SOC2 Type2）");
    align(c, text, &r);
    assert_false(r.altered);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_string_equal(r.values[0], "（SOC2 Type2）");
    assert_string_equal(r.values[1], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_inserted_option_line(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    /* a line of its own with an extra marker, whose text ends like the label below */
    char *text = subst(c->cell.text, "　□不適合\n", "　□不適合\n　■一部適合（詳細は備考）\n");
    sk_align_result r;
    align(c, text, &r);
    assert_true(r.altered);
    assert_int_equal(r.n_alterations, 0);
    assert_int_equal(r.n_markers, 3);
    assert_int_equal(r.markers[2].option, -1);
    assert_true(r.markers[2].checked);
    assert_int_equal(r.n_insertions, 1);
    assert_string_equal(r.insertions[0].text, "■一部適合（詳細は備考）");
    assert_int_equal(r.insertions[0].slot, 1);
    assert_string_equal(r.values[1], "■一部適合（詳細は備考）");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_replaced_example_placeholder(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_EXAMPLE);
    const char *values[] = {"", "なし", "", ""};
    sk_box_state st[] = {SK_BOX_UNCHECKED, SK_BOX_CHECKED, SK_BOX_UNCHECKED};
    char *filled = render(c, st, values);
    /* a remark in brackets typed before the slot's own "（理由：" */
    char *text = subst(filled, "■対応不要", "■対応不要（補足：要確認）");
    sk_align_result r;
    align(c, text, &r);
    assert_false(r.altered);
    assert_int_equal(r.n_alterations, 0);
    assert_int_equal(r.state[1], SK_BOX_CHECKED);
    /* inserted text goes to the nearest free-text slot, before its own text */
    assert_string_equal(r.values[1], "（補足：要確認） なし");
    assert_int_equal(r.n_insertions, 1);
    assert_int_equal(r.insertions[0].slot, 1);
    assert_string_equal(r.insertions[0].text, "（補足：要確認）");
    sk_align_result_free(&r);
    free(text);
    /* the example kept and an answer appended: the example is cut off */
    text = subst(c->cell.text, "ため。等　）", "ため。等　→ 該当なし）");
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[1], "→ 該当なし");
    sk_align_result_free(&r);
    free(text);
    free(filled);
    tcell_free(c);
}

static void test_stray_punctuation(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    char *text = subst(c->cell.text, "□不適合", "□不適合・");
    sk_align_result r;
    align(c, text, &r);
    assert_false(r.altered);
    assert_int_equal(r.n_insertions, 1);
    assert_string_equal(r.insertions[0].text, "・");
    assert_int_equal(r.insertions[0].slot, -1);
    assert_string_equal(r.values[1], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_value_ends_like_label(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    /* the remark ends with "：" like its label: the label still matches first */
    char *text = subst(c->cell.text, "備考：", "備考：理由は以下の通り：");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[1], "理由は以下の通り：");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_deleted_sentence(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_CONFIRM);
    char *text = subst(c->cell.text,
                       "　・外部サービス提供者の回答が適合の場合は、県の求めに応じて監査報告書を提出すること。\n", "");
    sk_align_result r;
    align(c, text, &r);
    assert_true(r.altered);
    assert_false(r.approximate);
    assert_int_equal(r.state[0], SK_BOX_UNCHECKED);
    assert_int_equal(r.n_alterations, 1);
    assert_string_equal(r.alterations[0].original,
                        "・外部サービス提供者の回答が適合の場合は、県の求めに応じて監査報告書を提出すること。");
    assert_string_equal(r.alterations[0].replacement, "");
    assert_string_equal(r.values[0], "");
    sk_align_result_free(&r);
    free(text);
    /* reworded: the replacement is quoted too, and is not slot text */
    text = subst(c->cell.text, "県の求めに応じて監査報告書を提出すること。", "報告書は提出しない。");
    align(c, text, &r);
    assert_true(r.altered);
    assert_int_equal(r.n_alterations, 1);
    assert_string_equal(r.alterations[0].original, "県の求めに応じて監査報告書を提出すること");
    assert_string_equal(r.alterations[0].replacement, "報告書は提出しない");
    assert_int_equal(r.n_insertions, 0);
    assert_string_equal(r.values[0], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_deleted_marker(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    char *text = subst(c->cell.text, "□不適合", "不適合");
    sk_align_result r;
    align(c, text, &r);
    assert_true(r.altered);
    assert_int_equal(r.state[0], SK_BOX_UNCHECKED);
    assert_int_equal(r.state[1], SK_BOX_MISSING);
    assert_int_equal(r.n_markers, 1);
    assert_int_equal(r.n_alterations, 0);
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_extra_marker(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    char *text = subst(c->cell.text, "□適合", "□■適合");
    sk_align_result r;
    align(c, text, &r);
    assert_true(r.altered);
    assert_int_equal(r.n_markers, 3);
    assert_int_equal(r.markers[0].option, 0);
    assert_int_equal(r.markers[1].option, -1);
    assert_true(r.markers[1].checked);
    assert_int_equal(r.markers[2].option, 1);
    assert_int_equal(r.state[0], SK_BOX_UNCHECKED);
    assert_int_equal(r.n_insertions, 0);
    assert_string_equal(r.values[1], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_prose_box(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_LIT);
    assert_int_equal(c->cell.n_options, 1);
    assert_non_null(strstr(c->cell.text, "場合は□をチェック"));
    /* both the prose □ and the real box turned to ■ */
    char *t1 = subst(c->cell.text, "場合は□を", "場合は■を");
    char *text = subst(t1, "□確認済み", "■確認済み");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_int_equal(r.n_markers, 1);
    assert_int_equal(r.markers[0].option, 0);
    sk_align_result_free(&r);
    free(text);
    free(t1);
    tcell_free(c);
}

static void test_twenty_options(void **state)
{
    (void)state;
    char *markup = cell20_markup();
    tcell *c = tcell_new(markup);
    assert_int_equal(c->cell.n_options, 20);
    sk_box_state st[20];
    for (int i = 0; i < 20; i++)
        st[i] = (i == 0 || i == 5 || i == 6 || i == 13 || i == 19) ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    const char *values[] = {"その他：WAF導入"};
    char *text = render(c, st, values);
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    for (int i = 0; i < 20; i++)
        assert_int_equal(r.state[i], st[i]);
    assert_int_equal(r.n_markers, 20);
    assert_string_equal(r.values[0], "その他：WAF導入");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
    free(markup);
}

/* A tiny deterministic generator for the random tests. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xFFFFFF;
}

/* Appends n random symbols: kana, kanji, ASCII, markers, spaces, line breaks. */
static void garbage(sk_buf *b, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t r = lcg(&seed) % 100;
        uint32_t cp;
        if (r < 40)
            cp = 0x3041 + lcg(&seed) % 80;
        else if (r < 70)
            cp = 0x4E00 + lcg(&seed) % 2000;
        else if (r < 85)
            cp = 0x21 + lcg(&seed) % 90;
        else if (r < 90)
            cp = (lcg(&seed) & 1) ? 0x25A0 : 0x25A1;
        else if (r < 95)
            cp = ' ';
        else
            cp = '\n';
        assert_int_equal(sk_buf_put_cp(b, cp), SK_OK);
    }
}

/* Counts marker characters in s. */
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

/* Seconds since an arbitrary start. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_garbage(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM1);
    /* sizes: far beyond the edit-distance bound, then near the template's size
     * (the step budget decides), then a little garbage (a full diff) */
    static const size_t sizes[] = {300000, 6000, 1500, 40};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        sk_buf b = SK_BUF_INIT;
        garbage(&b, sizes[k], 7u + (uint32_t)k);
        sk_align_result r;
        double t0 = now();
        align(c, b.data, &r);
        double dt = now() - t0;
        assert_true(dt < 5.0);
        assert_true(r.altered);
        if (k == 0)
            assert_true(r.approximate);
        assert_int_equal(r.n_markers, count_markers(b.data, b.len));
        for (int i = 0; i < r.n_markers; i++) {
            assert_true(r.markers[i].option >= -1 && r.markers[i].option < c->cell.n_options);
            assert_true(r.markers[i].offset < b.len);
            if (i > 0)
                assert_true(r.markers[i].offset > r.markers[i - 1].offset);
        }
        for (int s = 0; s < c->cell.n_slots; s++)
            assert_non_null(r.values[s]);
        sk_align_result_free(&r);
        sk_buf_free(&b);
    }
    tcell_free(c);
}

static void test_approximate_remarks(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_buf_append(&b, "■適合\n"), SK_OK);
    garbage(&b, 20000, 99);
    assert_int_equal(sk_buf_append(&b, "\n備考：最後の備考"), SK_OK);
    sk_align_result r;
    align(c, b.data, &r);
    /* 20,000 symbols typed after the first option: too far apart for the
     * diff, but the anchored alignment (the template text around the slots,
     * found once on each side) still places the label and the last slot;
     * the typed text outside every slot is an insertion */
    assert_false(r.approximate);
    assert_true(r.altered);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_true(r.n_insertions > 0);
    size_t n1 = strlen(r.values[1]), nl = strlen("最後の備考");
    assert_true(n1 >= nl);
    assert_string_equal(r.values[1] + n1 - nl, "最後の備考");
    sk_align_result_free(&r);
    sk_buf_free(&b);
    tcell_free(c);
}

static void test_limit(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    size_t n = (size_t)2 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    sk_align_result r;
    sk_diag d;
    sk_diag_clear(&d);
    /* beyond what the offsets hold (checked before the text is read) */
    assert_int_equal(sk_align_cell(&c->cell, big, (size_t)INT_MAX, &r, &d), SK_ERR_LIMIT);
    assert_int_equal(d.code, SK_ERR_LIMIT);
    assert_true(d.reason[0] != '\0');
    assert_null(r.state);
    assert_null(r.values);
    assert_int_equal(r.n_markers, 0);
    sk_align_result_free(&r);
    /* 2 MiB, beyond the old fixed 1 MiB cap: the limit is --max-string-bytes,
     * applied by the reader (issue 14, point 6) */
    sk_diag_clear(&d);
    assert_int_equal(sk_align_cell(&c->cell, big, n, &r, &d), SK_OK);
    assert_true(r.altered);
    sk_align_result_free(&r);
    free(big);
    tcell_free(c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM2);
    sk_align_result r;
    sk_diag d;
    sk_diag_clear(&d);
    c->cell.absent = true;
    assert_int_equal(sk_align_cell(&c->cell, "x", 1, &r, &d), SK_ERR_USAGE);
    c->cell.absent = false;
    assert_int_equal(sk_align_cell(&c->cell, NULL, 1, &r, NULL), SK_ERR_USAGE);
    assert_int_equal(sk_align_cell(&c->cell, NULL, 0, &r, NULL), SK_OK);
    /* an empty cell: every box missing, all the text deleted */
    assert_true(r.altered);
    assert_int_equal(r.state[0], SK_BOX_MISSING);
    assert_int_equal(r.state[1], SK_BOX_MISSING);
    assert_int_equal(r.n_alterations, 1);
    assert_string_equal(r.alterations[0].replacement, "");
    assert_true(strncmp(r.alterations[0].original, "適合又は", strlen("適合又は")) == 0);
    sk_align_result_free(&r);
    sk_align_result_free(&r);
    sk_align_result_free(NULL);
    /* invalid UTF-8 is text like any other */
    char *text = subst(c->cell.text, "備考：", "備考：\xff\xfe\xc3");
    align(c, text, &r);
    assert_false(r.altered);
    assert_string_equal(r.values[1], "\xff\xfe\xc3");
    sk_align_result_free(&r);
    free(text);
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_cell_render(NULL, NULL, NULL, &b), SK_ERR_USAGE);
    assert_int_equal(sk_cell_render(&c->cell, NULL, NULL, NULL), SK_ERR_USAGE);
    tcell_free(c);
}

static void test_adjacent_slots(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ADJACENT);
    char *text = subst(c->cell.text, "〇年〇月〇年〇月", "2025年4月2026年3月");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "2025年4月");
    assert_string_equal(r.values[1], "2026年3月");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_placeholder_left_in(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_DISPOSAL);
    char *text = subst(c->cell.text, "□廃棄方法（　番号を記載　）", "■廃棄方法（①②　番号を記載　）");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_int_equal(r.state[0], SK_BOX_CHECKED);
    assert_string_equal(r.values[0], "①②");
    sk_align_result_free(&r);
    free(text);
    text = subst(c->cell.text, "実績件数　件　主な導入先：", "実績件数 12件　主な導入先：A市、B県");
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "");
    assert_string_equal(r.values[1], "12");
    assert_string_equal(r.values[2], "A市、B県");
    assert_string_equal(r.values[3], "");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
}

static void test_repeated_label_in_value(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_ITEM3);
    char *t1 = subst(c->cell.text, "(1)：", "(1)：サーバ(2)台はパッチ適用");
    char *text = subst(t1, "(2)：", "(2)：なし");
    sk_align_result r;
    align(c, text, &r);
    assert_clean(c, &r);
    assert_string_equal(r.values[0], "");
    assert_string_equal(r.values[1], "サーバ(2)台はパッチ適用");
    assert_string_equal(r.values[2], "なし");
    assert_string_equal(r.values[3], "");
    sk_align_result_free(&r);
    free(text);
    free(t1);
    tcell_free(c);
}

/* Renders the cell of item no (party) of the default template with its first
 * option checked and vals[k] in the slot ids[k] (the others blank), aligns
 * it, and asserts that it reads back as written: states, every value, nothing
 * altered and nothing inserted. */
static void check_default_cell(int no, sk_party party, const char *const *ids, const char *const *vals, int n)
{
    sk_template *t = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_template_load_default(&t, &d), SK_OK);
    const sk_item *it = sk_template_item(t, no);
    assert_non_null(it);
    const sk_cell_def *cell = &it->cells[party];
    const char *values[SK_MAX_SLOTS] = {0};
    sk_box_state st[SK_MAX_OPTIONS];
    for (int k = 0; k < n; k++) {
        int s = 0;
        while (s < cell->n_slots && strcmp(cell->slots[s].id, ids[k]) != 0)
            s++;
        assert_true(s < cell->n_slots);
        values[s] = vals[k];
    }
    for (int o = 0; o < cell->n_options; o++)
        st[o] = o == 0 ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_cell_render(cell, st, values, &b), SK_OK);
    sk_align_result r;
    assert_int_equal(sk_align_cell(cell, b.data, b.len, &r, &d), SK_OK);
    assert_false(r.altered);
    assert_false(r.approximate);
    assert_int_equal(r.n_alterations, 0);
    assert_int_equal(r.n_insertions, 0);
    for (int o = 0; o < cell->n_options; o++)
        assert_int_equal(r.state[o], st[o]);
    for (int s = 0; s < cell->n_slots; s++) {
        const char *want = values[s] ? values[s] : "";
        if (strcmp(r.values[s], want) != 0)
            fail_msg("No.%d %s: got \"%s\", want \"%s\"\n%s", no, cell->slots[s].id, r.values[s], want, b.data);
    }
    sk_align_result_free(&r);
    sk_buf_free(&b);
    sk_template_free(t);
}

/* A value holding symbols of the fixed text around its slot (")" of "））",
 * "年" and "）" of "年）", "(1)" of the next label): the fixed text is
 * matched where it stands after (or before) the value, in one piece, not
 * to the value's symbols. */
static void test_value_holds_fixed_text(void **state)
{
    (void)state;
    const char *ids16[] = {"auth-other", "remarks"};
    const char *v1[] = {"A1)AWS", "001"};
    check_default_cell(16, SK_CONTRACTOR, ids16, v1, 2);
    const char *v2[] = {">、（注）者", "、１２"};
    check_default_cell(16, SK_CONTRACTOR, ids16, v2, 2);
    const char *ids14[] = {"years", "remarks"};
    const char *v3[] = {"年注）Ｐ", "合"};
    check_default_cell(14, SK_PROVIDER, ids14, v3, 2);
    const char *ids5[] = {"methods", "reason", "remarks"};
    const char *v4[] = {"）・①", "12", "ﾅ"};
    check_default_cell(5, SK_PROVIDER, ids5, v4, 3);
    const char *ids3[] = {"remarks", "remarks-2"};
    const char *v5[] = {"M(A1", "グ"};
    check_default_cell(3, SK_CONTRACTOR, ids3, v5, 2);
    /* more of the same: the whole fixed text after the slot, its first
     * symbol alone, the fixed text before it, the next label inside */
    const char *v6[] = {"））※１", ""};
    check_default_cell(16, SK_CONTRACTOR, ids16, v6, 2);
    const char *v7[] = {"）", "x"};
    check_default_cell(16, SK_CONTRACTOR, ids16, v7, 2);
    const char *v8[] = {"（その他：x", ""};
    check_default_cell(16, SK_CONTRACTOR, ids16, v8, 2);
    const char *v9[] = {"年", ""};
    check_default_cell(14, SK_PROVIDER, ids14, v9, 2);
    const char *v10[] = {"x(1)：y", ""};
    check_default_cell(3, SK_CONTRACTOR, ids3, v10, 2);
    const char *v11[] = {"①）①", "", ""};
    check_default_cell(5, SK_PROVIDER, ids5, v11, 3);
}

/* The workbook reader has decoded Excel's escapes already: a "_x000D_" left
 * in the text is the answerer's own and reads back as typed. */
static void test_literal_x000d(void **state)
{
    (void)state;
    const char *ids1[] = {"remarks"};
    const char *v1[] = {"改行は_x000D_と書く"};
    check_default_cell(1, SK_PROVIDER, ids1, v1, 1);
    const char *v2[] = {"_x000D_"};
    check_default_cell(1, SK_PROVIDER, ids1, v2, 1);
    const char *ids16[] = {"auth-other"};
    check_default_cell(16, SK_CONTRACTOR, ids16, v1, 1);
    /* it is text in the alignment too: in place of fixed text it replaces it */
    tcell *c = tcell_new(CELL_ITEM2);
    char *text = subst(c->cell.text, "　□不適合", "　□不_x000D_合");
    sk_align_result r;
    align(c, text, &r);
    assert_true(r.altered);
    assert_int_equal(r.n_alterations, 1);
    assert_string_equal(r.alterations[0].original, "適");
    assert_string_equal(r.alterations[0].replacement, "_x000D_");
    sk_align_result_free(&r);
    free(text);
    tcell_free(c);
    /* the label normalisers keep it; CR LF is still a line break */
    sk_buf b = SK_BUF_INIT;
    const char s[] = " 改行は_x000D_\r\n と\t書く ";
    assert_int_equal(sk_text_normalize(s, sizeof s - 1, &b), SK_OK);
    assert_string_equal(b.data, "改行は_x000D_\nと 書く");
    sk_buf_reset(&b);
    assert_int_equal(sk_text_squeeze(s, sizeof s - 1, &b), SK_OK);
    assert_string_equal(b.data, "改行は_x000D_と書く");
    sk_buf_free(&b);
}

static void test_render(void **state)
{
    (void)state;
    tcell *c = tcell_new(CELL_DATES);
    char *blank = render(c, NULL, NULL);
    assert_string_equal(blank, "該当するものを回答すること。\n"
                               "　□対応予定（予定：〇年〇月頃）\n"
                               "　□対応済み（〇年〇月）\n"
                               "　□対応不要\n"
                               "備考：");
    sk_box_state st[] = {SK_BOX_UNCHECKED, SK_BOX_CHECKED, SK_BOX_MISSING};
    const char *values[] = {NULL, "2024年10月", "なし"};
    char *text = render(c, st, values);
    assert_string_equal(text, "該当するものを回答すること。\n"
                              "　□対応予定（予定：〇年〇月頃）\n"
                              "　■対応済み（2024年10月）\n"
                              "　□対応不要\n"
                              "備考：なし");
    /* it appends */
    sk_buf b = SK_BUF_INIT;
    assert_int_equal(sk_buf_append(&b, "X"), SK_OK);
    assert_int_equal(sk_cell_render(&c->cell, st, values, &b), SK_OK);
    assert_string_equal(b.data + 1, text);
    sk_buf_free(&b);
    free(text);
    free(blank);
    tcell_free(c);
}

static void test_render_round_trip(void **state)
{
    (void)state;
    static const char *const words[] = {
        "なし",       "対応済み", "クラウド", "ABC",      "ISO 27001", "2025年4月",        "令和7年", "東京都",
        "サーバ",     "テスト",   "123",      "ログ保存", "一年間",    "委託先",           "暗号化",  "SaaS",
        "第三者監査", "x",        "Ｗｅｂ",   "年次",     "申請中",    "東日本リージョン", "a-b_c",   "100%"};
    const int n_words = (int)(sizeof words / sizeof *words);
    char *m20 = cell20_markup();
    const char *cells[] = {CELL_ITEM1, CELL_ITEM2,    CELL_CONFIRM, CELL_DATES, CELL_ITEM3,
                           CELL_LIT,   CELL_DISPOSAL, CELL_EXAMPLE, m20};
    const int n_cells = (int)(sizeof cells / sizeof *cells);
    tcell *tc[9];
    for (int k = 0; k < n_cells; k++)
        tc[k] = tcell_new(cells[k]);
    uint32_t seed = 20261125u;
    for (int round = 0; round < 200; round++) {
        tcell *c = tc[round % n_cells];
        sk_box_state st[SK_MAX_OPTIONS];
        char vbuf[SK_MAX_SLOTS][256];
        const char *values[SK_MAX_SLOTS];
        for (int i = 0; i < c->cell.n_options; i++)
            st[i] = (lcg(&seed) % 3 == 0) ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
        for (int s = 0; s < c->cell.n_slots; s++) {
            vbuf[s][0] = '\0';
            if (lcg(&seed) % 10 >= 3) {
                int nw = 1 + (int)(lcg(&seed) % 3);
                for (int w = 0; w < nw; w++) {
                    static const char *const seps[] = {"", " ", "、", "\n"};
                    if (w)
                        strcat(vbuf[s], seps[lcg(&seed) % 4]);
                    strcat(vbuf[s], words[lcg(&seed) % (uint32_t)n_words]);
                }
            }
            values[s] = vbuf[s];
        }
        char *text = render(c, st, values);
        sk_align_result r;
        align(c, text, &r);
        assert_clean(c, &r);
        for (int i = 0; i < c->cell.n_options; i++)
            assert_int_equal(r.state[i], st[i]);
        for (int s = 0; s < c->cell.n_slots; s++) {
            if (strcmp(r.values[s], values[s]) != 0)
                fail_msg("round %d slot %d: got \"%s\", want \"%s\"\n%s", round, s, r.values[s], values[s], text);
        }
        sk_align_result_free(&r);
        free(text);
    }
    for (int k = 0; k < n_cells; k++)
        tcell_free(tc[k]);
    free(m20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_cells),
        cmocka_unit_test(test_one_checked),
        cmocka_unit_test(test_retyped_with_space),
        cmocka_unit_test(test_marker_characters),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_text_in_parentheses),
        cmocka_unit_test(test_year_month),
        cmocka_unit_test(test_remarks_two_lines),
        cmocka_unit_test(test_text_after_label),
        cmocka_unit_test(test_inserted_option_line),
        cmocka_unit_test(test_replaced_example_placeholder),
        cmocka_unit_test(test_stray_punctuation),
        cmocka_unit_test(test_value_ends_like_label),
        cmocka_unit_test(test_deleted_sentence),
        cmocka_unit_test(test_deleted_marker),
        cmocka_unit_test(test_extra_marker),
        cmocka_unit_test(test_prose_box),
        cmocka_unit_test(test_twenty_options),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_approximate_remarks),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_adjacent_slots),
        cmocka_unit_test(test_placeholder_left_in),
        cmocka_unit_test(test_repeated_label_in_value),
        cmocka_unit_test(test_value_holds_fixed_text),
        cmocka_unit_test(test_literal_x000d),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_render_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
