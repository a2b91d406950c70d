/* sechk — private: the book's state and the helpers its parts share.
 *
 * The reader is split by part: book.c opens the file (what it is, the zip,
 * the main part), rels.c reads relationships, workbook.c the sheet list,
 * sheet.c a worksheet's cells, strings.c the shared strings (and the text
 * decoding they share with inline strings) and styles.c the cell formats;
 * the A1 references are src/util/ref.c's.  Only those files include this
 * header.
 *
 * Ownership: as in sechk/book.h; the helpers below say what they return.
 */
#ifndef SECHK_READ_BOOK_IMPL_H
#define SECHK_READ_BOOK_IMPL_H

#include "sechk/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/symfont.h"
#include "sechk/text.h"
#include "xml.h"
#include "zip.h"

/* Storage for kept shared strings: blocks that never move, so that the
 * pointers handed out stay valid while later calls add strings. */
enum { STR_BLOCK = 64 * 1024, QUOTE = 200 };

typedef struct str_block {
    struct str_block *next;
    size_t used;
    size_t cap;
    char data[];
} str_block;

typedef struct kept_string {
    uint32_t index;
    uint32_t len;
    const char *text;
    bool rich; /* made of rich-text runs (each may name its own font) */
} kept_string;

/* A custom number format of styles.xml. */
typedef struct num_fmt {
    uint32_t id;
    char *code;
} num_fmt;

/* Fixed bounds on styles.xml (Excel itself allows 64,000 cell formats and
 * about 250 custom number formats; a format code is at most 255 characters). */
enum { MAX_XF = 65536, MAX_NUM_FMTS = 4096, MAX_FMT_CODE = 1024, MAX_FONTS = 65536 };

typedef struct book_sheet {
    char *name;
    char *part;
    size_t entry;
    bool hidden;
} book_sheet;

struct sk_book {
    char *path;
    sk_limits lim;
    sk_zip *zip;
    book_sheet *sheets;
    size_t n_sheets;
    bool has_strings;
    size_t strings_entry;
    char *strings_part;
    uint32_t n_strings;
    bool strings_counted; /* a pass over the shared strings has ended: n_strings holds */
    kept_string *kept; /* sorted by index */
    size_t n_kept;
    str_block *blocks;
    char *workbook_part; /* the main part, "xl/workbook.xml" */
    bool date1904;      /* <workbookPr date1904="1"/> */
    bool has_styles;
    size_t styles_entry;
    char *styles_part;
    bool styles_read;   /* read on first use (only date cells need it) */
    uint32_t *xf_fmt;   /* numFmtId of each cellXfs <xf> */
    uint32_t *xf_font;  /* fontId of each cellXfs <xf> */
    size_t n_xf;
    uint8_t *font_sym;  /* sk_symfont of each <fonts> <font> */
    size_t n_fonts;
    num_fmt *fmts;      /* the custom formats of <numFmts> */
    size_t n_fmts;
    char *converted_by; /* "LibreOffice 7.4…" when --convert read a converted copy, else NULL */
};

/* One <Relationship> of a .rels part. */
typedef struct rel {
    char *id;
    char *type;
    char *target;
    bool external;
} rel;

typedef struct rels {
    rel *v;
    size_t n;
    size_t cap;
} rels;

/* ---- small helpers ---------------------------------------------------- */

/* True if s ends with suffix. */
static inline bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Duplicates a NUL-terminated string (NULL stays NULL). */
static inline char *dup_str(const char *s)
{
    return s ? sk_strndup(s, strlen(s)) : NULL;
}

/* Sets d to out of memory. */
static inline sk_error nomem(sk_diag *d)
{
    return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
}

/* Value of a hex digit, or -1. */
static inline int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses a decimal number of at most max; false for anything else. */
static inline bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* Trims ASCII white space in place around s[0..*len). */
static inline const char *trim_ascii(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    *len = n;
    return s;
}

/* The raw text of one ST_Xstring can be at most 7 times its decoded form
 * ("_x000D_" decodes to one byte); beyond that the limit is surely hit. */
static inline bool raw_too_long(size_t raw, uint64_t limit)
{
    return limit < (UINT64_MAX - 7) / 7 && raw > limit * 7 + 7;
}

/* Grows an array of *cap elements to twice as many (first_cap at first)
 * and returns the new storage; on failure (no memory, or a size that would
 * overflow) returns NULL and leaves arr and *cap as they were, so that the
 * caller never writes p = realloc(p, n). */
static inline void *grow_array(void *arr, size_t *cap, size_t elem, size_t first_cap)
{
    size_t n = *cap ? *cap : first_cap;
    if (*cap && n > SIZE_MAX / 2 / elem)
        return NULL;
    if (*cap)
        n *= 2;
    void *p = realloc(arr, n * elem);
    if (p)
        *cap = n;
    return p;
}

/* ---- shared between the parts (one line each: the definitions say more) - */

/* rels.c: relationships and part names */
void rels_free(rels *r);
char *part_dir(const char *part);
sk_error resolve_target(const char *dir, const char *target, char **out);
sk_error open_part(sk_book *b, const char *part, sk_xml **x, sk_diag *d);
sk_error read_rels(sk_book *b, const char *part, rels *out, sk_diag *d);
const rel *rels_find_id(const rels *r, const char *id);
const rel *rels_find_type(const rels *r, const char *suffix);

/* book.c: what the file is when it holds no workbook */
sk_error not_a_workbook(sk_book *b, const char *part, const char *root, sk_diag *d);

/* workbook.c: workbook.xml and its relationships */
sk_error read_workbook(sk_book *b, const char *part, sk_diag *d);

/* strings.c: text of cells and shared strings */
sk_error xstring_decode(const char *s, size_t len, sk_buf *out);
sk_error symbol_run(sk_symfont font, sk_buf *buf, size_t mark, sk_buf *tmp);
void track_run_font(sk_xml *x, sk_xml_event ev, sk_symfont *font);
sk_error gather_text(sk_xml *x, const char *part, uint64_t limit, sk_buf *raw, bool *too_long, sk_diag *d);

#endif
