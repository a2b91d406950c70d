/* sechk — check-box glyphs of symbol fonts, mapped to markers. */
#include "sechk/symfont.h"

#include <strings.h>

/* The check-box glyphs, by font and code (the byte the font draws; writers
 * that use the private use area store U+F000 + code).  The meaning of each
 * code is the Unicode character the font's glyph is mapped to in the
 * Wingdings / Wingdings 2 / Webdings to Unicode tables published with
 * Unicode 7.0 (the "Wingdings" and "Webdings" proposals, L2/11-052, and the
 * mapping tables reproduced at alanwood.net/demos/wingdings.html); the marker
 * is the brief's marker of the same state where that character is not one of
 * them (an empty box of any shape reads as unchecked, a box with a check or an
 * X as checked). */
static const struct glyph {
    sk_symfont font;
    uint8_t code;
    uint32_t marker;
} glyphs[] = {
    {SK_SYMFONT_WINGDINGS, 0x6E, 0x25A0},  /* n: U+25A0 BLACK SQUARE ■ */
    {SK_SYMFONT_WINGDINGS, 0x6F, 0x25A1},  /* o: U+25A1 WHITE SQUARE □ */
    {SK_SYMFONT_WINGDINGS, 0x71, 0x2610},  /* q: U+2751 LOWER RIGHT SHADOWED WHITE SQUARE ❑ → ☐ */
    {SK_SYMFONT_WINGDINGS, 0x72, 0x2610},  /* r: U+2752 UPPER RIGHT SHADOWED WHITE SQUARE ❒ → ☐ */
    {SK_SYMFONT_WINGDINGS, 0x78, 0x2612},  /* x: U+2327 X IN A RECTANGLE BOX ⌧ → ☒ */
    {SK_SYMFONT_WINGDINGS, 0xA7, 0x25AA},  /* §: U+25AA BLACK SMALL SQUARE ▪ */
    {SK_SYMFONT_WINGDINGS, 0xA8, 0x25FB},  /* ¨: U+25FB WHITE MEDIUM SQUARE ◻ */
    {SK_SYMFONT_WINGDINGS, 0xFC, 0x2714},  /* ü: U+2714 HEAVY CHECK MARK ✔ */
    {SK_SYMFONT_WINGDINGS, 0xFD, 0x2612},  /* ý: U+1F5F7 BALLOT BOX WITH BOLD SCRIPT X 🗷 → ☒ */
    {SK_SYMFONT_WINGDINGS, 0xFE, 0x2611},  /* þ: U+1F5F9 BALLOT BOX WITH BOLD CHECK 🗹 → ☑ */
    {SK_SYMFONT_WINGDINGS2, 0x50, 0x2713}, /* P: U+2713 CHECK MARK ✓ */
    {SK_SYMFONT_WINGDINGS2, 0x51, 0x2612}, /* Q: U+1F5F5 BALLOT BOX WITH SCRIPT X 🗵 → ☒ */
    {SK_SYMFONT_WINGDINGS2, 0x52, 0x2611}, /* R: U+2611 BALLOT BOX WITH CHECK ☑ */
    {SK_SYMFONT_WINGDINGS2, 0x53, 0x2612}, /* S: U+2612 BALLOT BOX WITH X ☒ */
    {SK_SYMFONT_WINGDINGS2, 0x54, 0x2612}, /* T: U+2612 BALLOT BOX WITH X ☒ (bold) */
    {SK_SYMFONT_WINGDINGS2, 0xA0, 0x25A0}, /* nbsp: U+25A0 BLACK SQUARE ■ */
    {SK_SYMFONT_WINGDINGS2, 0xA1, 0x25FC}, /* ¡: U+25FC BLACK MEDIUM SQUARE ◼ */
    {SK_SYMFONT_WINGDINGS2, 0xA2, 0x2B1B}, /* ¢: U+2B1B BLACK LARGE SQUARE ⬛ */
    {SK_SYMFONT_WINGDINGS2, 0xA3, 0x2610}, /* £: U+2B1C WHITE LARGE SQUARE ⬜ → ☐ */
    {SK_SYMFONT_WEBDINGS, 0x61, 0x2714},   /* a: U+2714 HEAVY CHECK MARK ✔ */
    {SK_SYMFONT_WEBDINGS, 0x63, 0x25A1},   /* c: U+25A1 WHITE SQUARE □ */
    {SK_SYMFONT_WEBDINGS, 0x67, 0x25A0},   /* g: U+25A0 BLACK SQUARE ■ */
};

sk_symfont sk_symfont_of(const char *name)
{
    if (!name)
        return SK_SYMFONT_NONE;
    if (strcasecmp(name, "Wingdings") == 0)
        return SK_SYMFONT_WINGDINGS;
    if (strcasecmp(name, "Wingdings 2") == 0)
        return SK_SYMFONT_WINGDINGS2;
    if (strcasecmp(name, "Webdings") == 0)
        return SK_SYMFONT_WEBDINGS;
    return SK_SYMFONT_NONE;
}

/* The font's code of cp: cp itself below 256, or cp - U+F000 in the private
 * use area; -1 otherwise. */
static int code_of(uint32_t cp)
{
    if (cp < 0x100)
        return (int)cp;
    if (cp >= 0xF020 && cp <= 0xF0FF)
        return (int)(cp - 0xF000);
    return -1;
}

uint32_t sk_symfont_marker(sk_symfont f, uint32_t cp)
{
    int code = code_of(cp);
    for (size_t i = 0; code >= 0 && i < sizeof glyphs / sizeof *glyphs; i++)
        if (glyphs[i].font == f && glyphs[i].code == code)
            return glyphs[i].marker;
    return 0;
}

bool sk_symfont_candidate(uint32_t cp)
{
    /* the codes of the table above (a switch: this runs on every character
     * of every answer cell) */
    switch (code_of(cp)) {
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x61: case 0x63: case 0x67:
    case 0x6E: case 0x6F: case 0x71: case 0x72: case 0x78: case 0xA0: case 0xA1: case 0xA2:
    case 0xA3: case 0xA7: case 0xA8: case 0xFC: case 0xFD: case 0xFE:
        return true;
    default:
        return false;
    }
}

sk_error sk_symfont_map(sk_symfont f, const char *s, size_t len, sk_buf *out)
{
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(s, len, &pos);
        uint32_t m = cp >= 0 ? sk_symfont_marker(f, (uint32_t)cp) : 0;
        char enc[4];
        sk_error e =
            m ? sk_buf_append_len(out, enc, sk_utf8_encode(m, enc)) : sk_buf_append_len(out, s + start, pos - start);
        if (e)
            return e;
    }
    return SK_OK;
}
