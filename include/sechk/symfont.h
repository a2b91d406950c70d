/* sechk — check-box glyphs of symbol fonts (Wingdings, Wingdings 2, Webdings).
 *
 * A ☑ inserted from Excel's 記号と特殊文字 dialog in the Wingdings font is
 * stored as the letter þ (U+00FE) in a run or cell whose font is Wingdings;
 * ¨ is ☐, n is ■, o is □.  Some writers store the same glyphs in the private
 * use area (U+F000 + the code).  sechk maps the check-box glyphs of these
 * fonts to the markers of brief section 3 before a cell is aligned; every
 * other glyph of a symbol font stays the character it is stored as.
 */
#ifndef SECHK_SYMFONT_H
#define SECHK_SYMFONT_H

#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"
#include "sechk/text.h"

typedef enum sk_symfont {
    SK_SYMFONT_NONE = 0,
    SK_SYMFONT_WINGDINGS,
    SK_SYMFONT_WINGDINGS2,
    SK_SYMFONT_WEBDINGS
} sk_symfont;

/* The symbol font a font name names ("Wingdings", "Wingdings 2", "Webdings",
 * case-insensitive), or SK_SYMFONT_NONE. */
sk_symfont sk_symfont_of(const char *name);

/* The marker a glyph of font f stands for, or 0 if it is no check-box glyph. */
uint32_t sk_symfont_marker(sk_symfont f, uint32_t cp);

/* True if cp is the code of some symbol font's check-box glyph (a quick test
 * before looking up a cell's font). */
bool sk_symfont_candidate(uint32_t cp);

/* Appends s[0..len) (UTF-8) to out with the check-box glyphs of font f
 * replaced by their markers.  Returns SK_OK or SK_ERR_NOMEM. */
sk_error sk_symfont_map(sk_symfont f, const char *s, size_t len, sk_buf *out);

#endif
