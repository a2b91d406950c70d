/* sechk — A1-style cell references. */
#include "sechk/ref.h"

#include <stdio.h>

#include "sechk/text.h"

/* Parses "AB12" or "$AB$12" within A1:XFD1048576. */
sk_error sk_ref_parse(const char *s, size_t len, uint32_t *row, uint32_t *col)
{
    size_t i = 0, letters = 0, digits = 0;
    uint32_t c = 0, r = 0;
    if (i < len && s[i] == '$')
        i++;
    for (; i < len; i++, letters++) {
        char ch = s[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            break;
        c = c * 26 + (uint32_t)(ch - 'A' + 1);
        if (c > SK_MAX_COL)
            return SK_ERR_XML;
    }
    if (letters == 0)
        return SK_ERR_XML;
    if (i < len && s[i] == '$')
        i++;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        r = r * 10 + (uint32_t)(s[i] - '0');
        if (r > SK_MAX_ROW)
            return SK_ERR_XML;
    }
    if (digits == 0 || i != len || r == 0)
        return SK_ERR_XML;
    *row = r;
    *col = c;
    return SK_OK;
}

char *sk_ref_put(char *p, uint32_t row, uint32_t col)
{
    char letters[8];
    int n = 0;
    for (uint32_t c = col; c > 0; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    while (n > 0)
        *p++ = letters[--n];
    return sk_put_uint(p, row);
}

/* Formats (row, col) as "AB12"; "#REF!" outside the grid. */
void sk_ref_format(uint32_t row, uint32_t col, char out[16])
{
    if (row < 1 || row > SK_MAX_ROW || col < 1 || col > SK_MAX_COL) {
        snprintf(out, 16, "#REF!");
        return;
    }
    *sk_ref_put(out, row, col) = '\0';
}
