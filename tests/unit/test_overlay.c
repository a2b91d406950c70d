/* Unit tests: the tolerant VML scanner of check box controls (sechk/overlay.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sechk/overlay.h"

static sk_error scan(const char *vml, sk_overlays *o, sk_diag *d)
{
    memset(o, 0, sizeof *o);
    sk_diag_clear(d);
    return sk_overlays_scan_vml(vml, strlen(vml), o, d);
}

/* Excel's own shape: whitespace in the anchor, a caption in <font>, the
 * unclosed <br> that makes VML not well-formed, a note and a shapetype. */
static void test_excel_shapes(void **state)
{
    (void)state;
    const char *vml =
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\">\n <v:shapetype id=\"_x0000_t201\" o:spt=\"201\">\n"
        "  <v:stroke joinstyle=\"miter\"/>\n </v:shapetype><v:shape id=\"_x0000_s1025\" type=\"#_x0000_t201\">\n"
        "  <v:textbox style='mso-direction-alt:auto' o:singleclick=\"f\">\n   <div style='text-align:left'><font "
        "face=\"ＭＳ Ｐゴシック\" charset=\"128\" color=\"#000000\">適合<br>（別紙 &amp; 資料&#x2460;）</font></div>\n"
        "  </v:textbox>\n  <x:ClientData ObjectType=\"Checkbox\">\n   <x:Anchor>\n    7, 20, 11, 40, 7, 100, 11, 64"
        "</x:Anchor>\n   <x:Checked>1</x:Checked>\n  </x:ClientData>\n </v:shape>"
        "<v:shape id=\"_x0000_s1026\"><x:ClientData ObjectType=\"Note\"><x:Anchor>1,0,1,0,3,0,4,0</x:Anchor>"
        "</x:ClientData></v:shape>"
        "<v:shape id=\"_x0000_s1027\"><v:textbox><div>不適合</div></v:textbox><x:ClientData ObjectType=\"Radio\">"
        "<x:Anchor>7,0,11,0,7,0,11,0</x:Anchor></x:ClientData></v:shape>"
        "<v:shape id=\"_x0000_s1028\"><x:ClientData ObjectType=\"Button\"><x:Anchor>0,0,0,0,1,0,1,0</x:Anchor>"
        "</x:ClientData></v:shape></xml>";
    sk_overlays o;
    sk_diag d;
    assert_int_equal(scan(vml, &o, &d), SK_OK);
    assert_int_equal(o.n, 3);
    assert_int_equal(o.v[0].kind, SK_OVERLAY_CHECKBOX);
    assert_true(o.v[0].checked);
    assert_string_equal(o.v[0].text, "適合\n（別紙 & 資料①）");
    assert_int_equal(o.v[0].at.row1, 12);
    assert_int_equal(o.v[0].at.col1, 8);
    assert_true(sk_overlay_covers(&o.v[0], 12, 8));
    assert_false(sk_overlay_covers(&o.v[0], 12, 9));
    assert_int_equal(o.v[1].kind, SK_OVERLAY_CHECKBOX); /* an option button */
    assert_false(o.v[1].checked);
    assert_string_equal(o.v[1].text, "不適合");
    assert_int_equal(o.v[2].kind, SK_OVERLAY_SHAPE);
    assert_string_equal(o.v[2].shape, "control");
    sk_overlays_free(&o);
}

/* Damaged VML: no error, nothing invented. */
static void test_tolerant(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "<xml>",
        "<v:shape",
        "<v:shape id=\"x\"><x:ClientData ObjectType=\"Checkbox\"><x:Anchor>1,2,3</x:Anchor></v:shape>",
        "<v:shape><x:ClientData ObjectType=\"Checkbox\"><x:Anchor>99999,0,0,0,0,0,0,0</x:Anchor></v:shape>",
        "<v:shape><x:ClientData ObjectType=\"Checkbox\"><x:Anchor>0,0,99999999999,0,0,0,0,0</x:Anchor></v:shape>",
        "<v:shape><x:ClientData ObjectType=\"Checkbox\"></v:shape>",
        "<v:shapetype><x:ClientData ObjectType=\"Checkbox\"><x:Anchor>1,0,1,0,1,0,1,0</x:Anchor></v:shapetype>",
        "<v:shape><v:textbox><div>&#0;&#xD800;&#x110000;&bogus;&</div></v:textbox>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sk_overlays o;
        sk_diag d;
        assert_int_equal(scan(cases[i], &o, &d), SK_OK);
        assert_int_equal(o.n, 0);
        sk_overlays_free(&o);
    }
    /* an unclosed last shape still counts; a caption with bad references keeps its text */
    sk_overlays o;
    sk_diag d;
    assert_int_equal(scan("<v:shape><v:textbox><div>a&#0;b&bogus;</div></v:textbox><x:ClientData ObjectType="
                          "\"Checkbox\"><x:Anchor>1,0,1,0,1,0,1,0</x:Anchor>",
                          &o, &d),
                     SK_OK);
    assert_int_equal(o.n, 1);
    assert_string_equal(o.v[0].text, "a&#0;b&bogus;");
    sk_overlays_free(&o);
}

/* Bounds: a shape over 1 MiB and more than SK_MAX_OVERLAYS shapes. */
static void test_limits(void **state)
{
    (void)state;
    size_t n = (1 << 20) + 100;
    char *big = malloc(n + 16);
    assert_non_null(big);
    memcpy(big, "<v:shape ", 9);
    memset(big + 9, 'x', n - 9);
    big[n] = '\0';
    sk_overlays o;
    sk_diag d;
    assert_int_equal(scan(big, &o, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "a VML shape is longer than"));
    sk_overlays_free(&o);
    free(big);
    const char *box = "<v:shape><x:ClientData ObjectType=\"Checkbox\"><x:Anchor>1,0,1,0,1,0,1,0</x:Anchor>"
                      "</x:ClientData></v:shape>";
    size_t bl = strlen(box), count = SK_MAX_OVERLAYS + 1;
    char *many = malloc(bl * count + 1);
    assert_non_null(many);
    for (size_t i = 0; i < count; i++)
        memcpy(many + i * bl, box, bl);
    many[bl * count] = '\0';
    assert_int_equal(scan(many, &o, &d), SK_ERR_LIMIT);
    assert_non_null(strstr(d.reason, "(a fixed limit)"));
    sk_overlays_free(&o);
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_excel_shapes), cmocka_unit_test(test_tolerant),
                                       cmocka_unit_test(test_limits)};
    return cmocka_run_group_tests_name("overlay", tests, NULL, NULL);
}
