/* Test cells built by hand from a small markup, shared by the aligner's
 * unit tests (test_align.c, test_align_fast.c).  Include after cmocka.h,
 * sechk/align.h and sechk/text.h. */
#ifndef SECHK_TESTS_TCELL_H
#define SECHK_TESTS_TCELL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cell built by hand from a small markup: "□" is an option box, "{lit}" a
 * prose □, "{t:PH}" a free-text slot with placeholder PH, "{ym:PH}" a
 * year-month slot, "{n:PH}" a count slot, "{d:PH}" a disposal-methods slot.
 * Segments point into src. */
typedef struct tcell {
    char *src;
    sk_segment segs[256];
    sk_option opts[SK_MAX_OPTIONS];
    sk_slot slots[SK_MAX_SLOTS];
    char ids[SK_MAX_OPTIONS + SK_MAX_SLOTS][8];
    sk_buf text;
    sk_cell_def cell;
} tcell;

static const char BOX_UTF8[] = "\u25A1";

/* Adds a text segment for src[from..to) if it is not empty. */
static void tcell_text(tcell *c, const char *from, const char *to)
{
    if (to == from)
        return;
    assert_true(c->cell.n_segs < 256);
    c->segs[c->cell.n_segs++] = (sk_segment){SK_SEG_TEXT, from, (size_t)(to - from), -1};
}

/* Builds a cell from markup (see tcell). */
static tcell *tcell_new(const char *markup)
{
    tcell *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->src = strdup(markup);
    assert_non_null(c->src);
    c->cell.segs = c->segs;
    c->cell.options = c->opts;
    c->cell.slots = c->slots;
    const char *p = c->src, *run = c->src;
    while (*p) {
        if (strncmp(p, BOX_UTF8, 3) == 0) {
            tcell_text(c, run, p);
            int k = c->cell.n_options++;
            snprintf(c->ids[k], sizeof c->ids[k], "o%d", k);
            c->opts[k] = (sk_option){c->ids[k], c->ids[k], -1};
            c->segs[c->cell.n_segs++] = (sk_segment){SK_SEG_BOX, p, 3, k};
            p += 3;
            run = p;
        } else if (*p == '{') {
            tcell_text(c, run, p);
            const char *close = strchr(p, '}');
            assert_non_null(close);
            if (strncmp(p, "{lit}", 5) == 0) {
                c->segs[c->cell.n_segs++] = (sk_segment){SK_SEG_LIT, BOX_UTF8, 3, -1};
            } else {
                const char *colon = strchr(p, ':');
                assert_true(colon && colon < close);
                sk_slot_kind kind = SK_SLOT_TEXT;
                if (strncmp(p, "{ym:", 4) == 0)
                    kind = SK_SLOT_YEAR_MONTH;
                else if (strncmp(p, "{n:", 3) == 0)
                    kind = SK_SLOT_COUNT;
                else if (strncmp(p, "{d:", 3) == 0)
                    kind = SK_SLOT_DISPOSAL;
                int s = c->cell.n_slots++;
                snprintf(c->ids[SK_MAX_OPTIONS + s], 8, "s%d", s);
                c->slots[s] = (sk_slot){c->ids[SK_MAX_OPTIONS + s], c->ids[SK_MAX_OPTIONS + s], kind, ""};
                c->segs[c->cell.n_segs++] = (sk_segment){SK_SEG_SLOT, colon + 1, (size_t)(close - colon - 1), s};
            }
            p = close + 1;
            run = p;
        } else {
            p++;
        }
    }
    tcell_text(c, run, p);
    assert_int_equal(sk_cell_render(&c->cell, NULL, NULL, &c->text), SK_OK);
    c->cell.text = c->text.data;
    c->cell.text_len = c->text.len;
    return c;
}

/* Frees a test cell. */
static void tcell_free(tcell *c)
{
    sk_buf_free(&c->text);
    free(c->src);
    free(c);
}

#endif
