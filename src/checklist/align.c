/* sechk — aligning an answer cell's text with the template's text.
 *
 * Both texts become symbol sequences: code points with white space (CR and
 * LF included) dropped, full-width ASCII folded, and every marker character
 * (either state, and the template's prose □) the one symbol SYM_BOX.  The
 * workbook reader has already decoded Excel's _xHHHH_ escapes, so a
 * "_x000D_" still in the text is what the answerer typed: text like any other.
 * A linear-space Myers diff (the formulation of GNU diffseq.h) matches the
 * two sequences; options, slot values, alterations and inserted text are then
 * read off the matched pairs.
 *
 * A minimal diff is not unique, and folding makes ")" typed in a value equal
 * to the "）" after its slot: "A1)AWS" typed into "（その他：　））" may have its
 * ")" matched to the template's first "）", the slot's region would end there
 * and "AWS）" would read as text typed outside it.  So after the diff the
 * fixed text next to each slot is matched again among the alignments of the
 * same cost (place_fixed_text): in as few pieces as it can be, and among
 * those the slot takes as much as it can.
 *
 * A slot's placeholder takes part in the first alignment, so that "〇年〇月"
 * filled as "2025年4月" keeps its 年 and 月 in place.  When the answerer
 * replaced a long placeholder ("（例）…等") and typed brackets nearby, its
 * symbols can pull fixed text out of line and fake an alteration; so when the
 * first alignment deletes fixed text, a second one with every placeholder
 * left out (slots as bare positions) is tried, and the one that deletes less
 * fixed text wins.
 *
 * The diff is minimal, so no gap between two matches ever holds both a
 * deleted box and an inserted marker (matching them would be shorter): a box
 * deleted and retyped with nothing matched in between comes out as a match
 * without a pairing pass.
 */
#include "sechk/align.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "align_ref.h"
#include "sechk/text.h"

#define SYM_BOX 0x110000u   /* any marker character: beyond Unicode, so never text */
#define SYM_INVALID 0xFFFDu /* an invalid UTF-8 byte */
#define CP_SPACE UINT32_MAX /* white space: no symbol */

/* What the aligner's 32-bit offsets and int indexes hold.  The limit on one
 * cell's text is --max-string-bytes (sk_limits.string_bytes), applied by the
 * workbook reader before a cell reaches the aligner (issue 14, point 6). */
#define ALIGN_MAX_BYTES ((size_t)INT_MAX / 2)
#define ALIGN_MAX_D 8192                  /* edit distance beyond which the diff gives up */
#define ALIGN_MAX_STEPS 10000000L         /* diff steps per cell (both passes, re-matching included): ~30 ms */
#define ANCHOR_MIN 1024                   /* actual symbols from which the diff is first split at anchors */
#define ANCHOR_K 3                        /* symbols of an anchor: template text found once on each side */
#define SMALL_SIDE 64                     /* template pieces up to this long are matched by a table */
#define SMALL_CELLS (1L << 22)            /* the table's cells at most (bytes: one each) */
#define LABEL_MAX 8                       /* symbols of a trailing slot's label searched for */
#define MERGE_SAME_LINE 8                 /* matched symbols that split no alteration on a line */

/* What a template symbol stands for. */
enum { T_FIXED = 0, T_PLACE, T_BOX, T_LIT };

/* Flags of an actual symbol. */
enum { A_CHECKED = 1, A_REGION = 2, A_ALTER = 4 };

/* One slot in the template sequence and its region in the actual text. */
typedef struct occ {
    int slot;
    int start; /* first placeholder symbol */
    int end;   /* one past the last (start == end: empty, or placeholders left out) */
    int ph;    /* the placeholder's symbols: psym[ph .. ph + n_ph) */
    int n_ph;
    size_t lo; /* region in the actual text, bytes */
    size_t hi;
} occ;

/* A piece of a slot's value: its region, or inserted text given to it. */
typedef struct part {
    int slot;
    int occ;           /* the occurrence whose region this is; -1 for inserted text */
    size_t offset;     /* where it stands in the actual text (orders the pieces) */
    size_t start, end; /* the region (occ >= 0) */
    const char *text;  /* the inserted text, trimmed (occ < 0) */
} part;

/* The template side of a cell in one mode (placeholders in the sequence or
 * left out): the same for every answer, so built once per template cell
 * (sk_align_prep) or, without one, once per call. */
typedef struct tside {
    int nt;
    uint32_t *tsym;
    unsigned char *tkind;
    int *tref;             /* option (T_BOX) or slot (T_PLACE) index, else -1 */
    uint32_t *toff, *tend; /* bytes of the blank text */
    unsigned char *tlen;   /* tend - toff */
    uint32_t *psym;        /* every placeholder's symbols, for strip_placeholder */
    int n_psym;
    occ *occs; /* lo and hi unused here: each alignment copies these */
    int n_occ;
    int *tmark; /* the symbols that are markers (SYM_BOX), in order */
    int n_tmark;
    bool whole;   /* placeholders in the sequence and every segment valid UTF-8: each
                     character of the blank text that is not white space is a symbol,
                     decoded as the whole text would decode (copy_head, copy_tail) */
    sk_buf blank; /* the template printed blank: toff/tend point into it */
    void *block;  /* owns the arrays above */
} tside;

/* Each side is built when an alignment first needs it (the second, without
 * placeholders, is needed only when the first deletes fixed text) and
 * published with a compare-and-swap: threads sharing a template may race to
 * build one, and the loser frees its copy; a forked worker inherits what
 * was built before the fork. */
struct sk_align_prep {
    const sk_cell_def *cell;
    bool reference;           /* align without the shortcuts (copy_blank, fill_whole, plain_cjk):
                                 the tests set it to compare both ways; never set otherwise */
    _Atomic(tside *) side[2]; /* [0]: placeholders left out, [1]: placeholders in */
};

/* The work of one alignment: both symbol sequences, the matches, the results being built. */
typedef struct aligner {
    const sk_cell_def *cell;
    bool placeholders; /* placeholder symbols are part of the template sequence */
    bool reference;    /* no shortcuts (sk_align_prep.reference) */
    const char *text;  /* the actual text */
    size_t len;
    const char *blank; /* the template printed blank: toff/tend point into it */
    /* template sequence (read only: the tside's) */
    int nt;
    const uint32_t *tsym;
    const unsigned char *tkind;
    const int *tref;
    const uint32_t *toff, *tend;
    const uint32_t *psym;
    int n_psym;
    int *tm;     /* actual index matched to each template symbol, or -1 */
    int *mc;     /* [nt+1]: matched template symbols before i */
    int *tlast;  /* [nt+1]: last matched template index < i, or -1 */
    int *tfirst; /* [nt+1]: first matched template index >= i, or nt */
    occ *occs;
    int n_occ;
    /* actual sequence */
    int na;
    uint32_t *asym;
    uint32_t *aoff; /* byte offset (the text is at most ALIGN_MAX_BYTES) */
    unsigned char *alen, *aflag;
    int *am; /* template index matched to each actual symbol, or -1 */
    int n_box;
    bool copied;    /* copy_blank built the sequence */
    int head, tail; /* the sequences start with head and end with tail equal symbols
                       (copy_blank's, at least: the greedy ends are common_ends') */
    /* diff */
    void *tblock, *ablock; /* the template's and the actual's arrays */
    int *diag_buf, *fd, *bd;
    long steps;     /* diagonal steps and comparisons so far */
    long max_steps; /* the budget; beyond it the diff gives up */
    bool overflow;
    /* results being built */
    part *parts;
    int n_parts;
    int *runs; /* alteration runs: first, last template index */
    int n_runs;
    int deleted; /* fixed template symbols (boxes included) left unmatched */
} aligner;

/* calloc that never asks for zero bytes. */
static void *xcalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* Bytes that an array of n elements of size sz takes in a block (8-aligned). */
static size_t carved_size(size_t n, size_t sz)
{
    return (n * sz + 7) & ~(size_t)7;
}

/* Takes an array of n elements of size sz from the block at *p. */
static void *carve(char **p, size_t n, size_t sz)
{
    void *r = *p;
    *p += carved_size(n, sz);
    return r;
}

/* Arrays that share one block are listed once, as X(field of g, count); the
 * block's size and its carving both come from the list, so they agree. */
#define BLOCK_SIZE(f, n) +carved_size((n), sizeof *g->f)
#define BLOCK_TAKE(f, n) g->f = carve(&b, (n), sizeof *g->f);
#define TSIDE_ARRAYS(X)                                                                                                \
    X(toff, cap) X(tend, cap) X(tsym, cap) X(psym, cap) X(tref, cap) X(tmark, cap) X(tkind, cap) X(tlen, cap)
#define MATCH_ARRAYS(X) X(tm, cap) X(mc, cap) X(tlast, cap) X(tfirst, cap) X(runs, 2 * cap)
#define ACTUAL_ARRAYS(X) X(aoff, cap) X(asym, cap) X(am, cap) X(alen, cap) X(aflag, cap)

/* Decodes the symbol at s[*pos..len) and advances *pos: CP_SPACE for white
 * space (CR and LF included), SYM_BOX for a marker (*mark says which),
 * SYM_INVALID for an invalid byte, else the folded code point. */
static uint32_t next_sym(const char *s, size_t len, size_t *pos, sk_mark *mark)
{
    const unsigned char *u = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    uint32_t cp;
    *mark = SK_MARK_NONE;
    if (u[0] < 0x80) {
        *pos += 1;
        /* ASCII: white space as sk_is_space has it; no marker, nothing to fold */
        return u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r') ? CP_SPACE : u[0];
    } else if (left >= 3 && ((u[0] >= 0xE1 && u[0] <= 0xEC) || u[0] >= 0xEE) && u[0] <= 0xEF && (u[1] & 0xC0) == 0x80 &&
               (u[2] & 0xC0) == 0x80) {
        /* the common case: a well-formed 3-byte sequence (U+1000..U+CFFF, U+E000..U+FFFF) */
        *pos += 3;
        cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        if (cp > 0x3000 && cp < 0xFF01)
            return cp; /* kana, CJK: neither space nor marker nor full-width form */
    } else {
        int32_t c = sk_utf8_next(s, len, pos);
        if (c < 0)
            return SYM_INVALID;
        cp = (uint32_t)c;
    }
    if (sk_is_space(cp))
        return CP_SPACE;
    *mark = sk_mark_of(cp);
    return *mark != SK_MARK_NONE ? SYM_BOX : sk_fold_cp(cp);
}

/* Appends one template symbol (the arrays were sized for the whole cell). */
static void add_tsym(tside *g, uint32_t sym, int kind, int ref, size_t off, size_t end)
{
    int i = g->nt++;
    g->tsym[i] = sym;
    g->tkind[i] = (unsigned char)kind;
    g->tref[i] = ref;
    g->toff[i] = (uint32_t)off;
    g->tend[i] = (uint32_t)end;
    g->tlen[i] = (unsigned char)(end - off);
    if (sym == SYM_BOX)
        g->tmark[g->n_tmark++] = i;
}

/* Prints s[0..len) into the blank text and adds its symbols; a marker in
 * fixed text is prose (T_LIT).  A placeholder's symbols also go to psym, and
 * only there when placeholders are left out of the sequence. */
static sk_error add_text(tside *g, const char *s, size_t len, int kind, int ref, bool placeholders)
{
    size_t base = g->blank.len;
    if (len && sk_buf_append_len(&g->blank, s, len) != SK_OK)
        return SK_ERR_NOMEM;
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        sk_mark mark;
        uint32_t sym = next_sym(s, len, &pos, &mark);
        if (sym == CP_SPACE)
            continue;
        if (kind == T_PLACE) {
            g->psym[g->n_psym++] = sym;
            if (!placeholders)
                continue;
        }
        int k = (sym == SYM_BOX && kind == T_FIXED) ? T_LIT : kind;
        add_tsym(g, sym, k, ref, base + start, base + pos);
    }
    return SK_OK;
}

/* Builds c's template side: the sequence, the blank text and the slot
 * occurrences; with or without the placeholders' symbols in the sequence. */
static sk_error build_side(const sk_cell_def *c, bool placeholders, tside *g)
{
    memset(g, 0, sizeof *g);
    size_t cap = 1;
    for (int s = 0; s < c->n_segs; s++) {
        cap += c->segs[s].len + 1;
        if (cap > INT_MAX / 4)
            return SK_ERR_LIMIT;
    }
    /* One block for TSIDE_ARRAYS.  cap (bytes) exceeds the symbol count.
     * Not zeroed: every element is written before it is read (add_tsym). */
    g->block = malloc(0 TSIDE_ARRAYS(BLOCK_SIZE));
    g->occs = xcalloc((size_t)c->n_segs, sizeof *g->occs);
    if (!g->block || !g->occs || sk_buf_reserve(&g->blank, cap + 3 * (size_t)c->n_segs) != SK_OK)
        return SK_ERR_NOMEM;
    char *b = g->block;
    TSIDE_ARRAYS(BLOCK_TAKE)
    g->whole = placeholders;
    for (int s = 0; s < c->n_segs; s++) {
        const sk_segment *seg = &c->segs[s];
        sk_error err = SK_OK;
        if (seg->kind != SK_SEG_BOX)
            g->whole = g->whole && sk_utf8_valid(seg->text, seg->len);
        switch (seg->kind) {
        case SK_SEG_BOX: {
            size_t off = g->blank.len;
            if (sk_buf_append(&g->blank, "\u25A1") != SK_OK)
                return SK_ERR_NOMEM;
            int opt = seg->index >= 0 && seg->index < c->n_options ? seg->index : -1;
            add_tsym(g, SYM_BOX, T_BOX, opt, off, g->blank.len);
            break;
        }
        case SK_SEG_SLOT: {
            int slot = seg->index >= 0 && seg->index < c->n_slots ? seg->index : -1;
            int start = g->nt, ph = g->n_psym;
            err = add_text(g, seg->text, seg->len, T_PLACE, slot, placeholders);
            if (err == SK_OK && slot >= 0)
                g->occs[g->n_occ++] = (occ){slot, start, g->nt, ph, g->n_psym - ph, 0, 0};
            break;
        }
        case SK_SEG_TEXT:
        case SK_SEG_LIT:
        default: err = add_text(g, seg->text, seg->len, T_FIXED, -1, placeholders); break;
        }
        if (err != SK_OK)
            return err;
    }
    return SK_OK;
}

/* Releases what build_side allocated (g zeroed or built). */
static void side_free(tside *g)
{
    sk_buf_free(&g->blank);
    free(g->block);
    free(g->occs);
    memset(g, 0, sizeof *g);
}

/* Points the aligner at a template side's arrays. */
static void use_side(aligner *g, const tside *t)
{
    g->nt = t->nt;
    g->tsym = t->tsym;
    g->tkind = t->tkind;
    g->tref = t->tref;
    g->toff = t->toff;
    g->tend = t->tend;
    g->psym = t->psym;
    g->n_psym = t->n_psym;
    g->blank = t->blank.data ? t->blank.data : "";
}

/* Makes the aligner's own work arrays for a diff: the matches, their
 * indexes, the alteration runs and a copy of the slot occurrences (whose
 * regions it fills). */
static sk_error bind_side(aligner *g, const tside *t)
{
    size_t cap = (size_t)t->nt + 1;
    /* MATCH_ARRAYS (runs: 2 per symbol); not zeroed, as above
     * (index_matches writes mc, tlast and tfirst). */
    g->tblock = malloc(0 MATCH_ARRAYS(BLOCK_SIZE));
    g->occs = xcalloc((size_t)t->n_occ, sizeof *g->occs);
    if (!g->tblock || !g->occs)
        return SK_ERR_NOMEM;
    if (t->n_occ)
        memcpy(g->occs, t->occs, (size_t)t->n_occ * sizeof *g->occs);
    g->n_occ = t->n_occ;
    char *b = g->tblock;
    MATCH_ARRAYS(BLOCK_TAKE)
    for (int i = 0; i < g->nt; i++)
        g->tm[i] = -1;
    for (int j = 0; j < g->na; j++)
        g->am[j] = -1;
    return SK_OK;
}

/* The code point of the well-formed 3-byte sequence at u when it is in
 * U+3001..U+FF00 outside the surrogates (kana, CJK, most punctuation:
 * neither white space, nor a marker, nor a full-width form to fold), else 0.
 * next_sym gives the same symbol for it. */
static inline uint32_t plain_cjk(const unsigned char *u)
{
    unsigned c = u[0];
    if (c < 0xE3 || c == 0xED || c > 0xEF || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return 0;
    uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    return cp > 0x3000 && cp < 0xFF01 ? cp : 0;
}

/* Decodes the answer text from byte pos (a character boundary) until at or
 * past byte stop, appending the symbols; returns where it stopped.  ASCII
 * and plain_cjk characters, nearly all of a cell, are decoded here; the
 * rest by next_sym. */
static size_t decode_actual(aligner *g, size_t pos, size_t stop)
{
    const unsigned char *u = (const unsigned char *)g->text;
    const size_t len = g->len;
    uint32_t *const asym = g->asym, *const aoff = g->aoff;
    unsigned char *const alen = g->alen, *const aflag = g->aflag;
    int na = g->na, n_box = g->n_box;
    while (pos < stop) {
        size_t start = pos;
        unsigned c = u[pos];
        uint32_t sym;
        unsigned char flag = 0;
        if (c < 0x80) {
            pos++;
            if (c == ' ' || (c >= '\t' && c <= '\r')) /* white space as sk_is_space has it */
                continue;
            sym = c;
        } else if (len - pos >= 3 && (sym = plain_cjk(u + pos)) != 0) {
            pos += 3;
        } else {
            sk_mark mark;
            sym = next_sym(g->text, len, &pos, &mark);
            if (sym == CP_SPACE)
                continue;
            flag = mark == SK_MARK_CHECKED ? A_CHECKED : 0;
            n_box += sym == SYM_BOX;
        }
        asym[na] = sym;
        aoff[na] = (uint32_t)start;
        alen[na] = (unsigned char)(pos - start);
        aflag[na] = flag;
        na++;
    }
    g->na = na;
    g->n_box = n_box;
    return pos;
}

/* decode_actual by next_sym alone (sk_align_prep.reference). */
static void decode_reference(aligner *g)
{
    size_t pos = 0;
    while (pos < g->len) {
        size_t start = pos;
        sk_mark mark;
        uint32_t sym = next_sym(g->text, g->len, &pos, &mark);
        if (sym == CP_SPACE)
            continue;
        int j = g->na++;
        g->asym[j] = sym;
        g->aoff[j] = (uint32_t)start;
        g->alen[j] = (unsigned char)(pos - start);
        g->aflag[j] = mark == SK_MARK_CHECKED ? A_CHECKED : 0;
        if (sym == SYM_BOX)
            g->n_box++;
    }
}

/* The aflag of the marker character at a[0..3) (A_CHECKED or 0), or -1 if
 * a[0..3) is not one.  Every marker is a 3-byte character led by E2. */
static int marker3(const char *a)
{
    const unsigned char *u = (const unsigned char *)a;
    if (u[0] != 0xE2 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return -1;
    sk_mark m = sk_mark_of((uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F) | 0x2000);
    return m == SK_MARK_NONE ? -1 : m == SK_MARK_CHECKED ? A_CHECKED : 0;
}

/* Length of the common start of a[0..n) and b[0..n). */
static size_t same_head(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    uint64_t x, y;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            break;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* Length of the common end of a[0..n) and b[0..n). */
static size_t same_tail(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    uint64_t x, y;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + n - i - 8, 8);
        memcpy(&y, b + n - i - 8, 8);
        if (x != y)
            break;
    }
    while (i < n && a[n - 1 - i] == b[n - 1 - i])
        i++;
    return i;
}

/* How many bytes the answer text starts with that are the blank text's, a
 * marker character standing for each of the template's markers (all are
 * 3 bytes long). */
static size_t blank_head(const tside *t, const char *a, size_t len)
{
    const char *bl = t->blank.data ? t->blank.data : "";
    size_t n = len < t->blank.len ? len : t->blank.len, p = 0;
    for (int m = 0;; m++) {
        size_t o = m < t->n_tmark ? t->toff[t->tmark[m]] : n;
        size_t lim = o < n ? o : n;
        size_t q = p + same_head(bl + p, a + p, lim - p);
        if (q < lim || o + 3 > n || marker3(a + o) < 0)
            return q;
        p = o + 3;
    }
}

/* How many bytes the answer text ends with that are the blank text's, as
 * blank_head has it. */
static size_t blank_tail(const tside *t, const char *a, size_t len)
{
    const char *bl = t->blank.data ? t->blank.data : "";
    size_t blen = t->blank.len, n = len < blen ? len : blen, s = 0;
    for (int m = t->n_tmark - 1;; m--) {
        size_t e = m >= 0 ? blen - t->tend[t->tmark[m]] : n; /* bytes after the marker */
        size_t lim = e < n ? e : n;
        size_t q = s + same_tail(bl + blen - lim, a + len - lim, lim - s);
        if (q < lim || e + 3 > n || marker3(a + len - e - 3) < 0)
            return q;
        s = e + 3;
    }
}

/* dst[x] = src[x] + shift for x < n (modulo 2^32: shift may stand for a
 * negative one). */
static void shift_offsets(uint32_t *restrict dst, const uint32_t *restrict src, size_t n, uint32_t shift)
{
    for (size_t x = 0; x < n; x++)
        dst[x] = src[x] + shift;
}

/* Appends the template's symbols [from, to) as actual symbols, their bytes
 * (the same, markers apart) standing shift bytes further in the answer. */
static void copy_syms(aligner *g, const tside *t, int from, int to, ptrdiff_t shift)
{
    int j = g->na;
    size_t n = (size_t)(to - from);
    if (n == 0)
        return;
    memcpy(g->asym + j, t->tsym + from, n * sizeof *g->asym);
    memcpy(g->alen + j, t->tlen + from, n);
    memset(g->aflag + j, 0, n);
    if (shift == 0)
        memcpy(g->aoff + j, t->toff + from, n * sizeof *g->aoff);
    else
        shift_offsets(g->aoff + j, t->toff + from, n, (uint32_t)shift);
    for (int m = 0; m < t->n_tmark; m++) {
        int i = t->tmark[m];
        if (i < from || i >= to)
            continue;
        j = g->na + (i - from);
        g->aflag[j] = (unsigned char)marker3(g->text + g->aoff[j]);
        g->n_box++;
    }
    g->na += to - from;
}

/* Index of the first of v[0..n) (ascending) that is > x (above) or >= x. */
static int search_u32(const uint32_t *v, int n, size_t x, bool above)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < x || (above && v[mid] == x))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* What copy_blank copies: the template's symbols [0, i) and, shift bytes
 * further, [k, nt); the answer's bytes [p, e) between are decoded. */
typedef struct blank_plan {
    int i, k;
    size_t p, e;
    ptrdiff_t shift;
} blank_plan;

/* Plans copy_blank: the answer's start and end that are the blank text
 * (blank_head, blank_tail) hold the template's symbols. */
static void plan_blank(const aligner *g, const tside *t, blank_plan *pl)
{
    size_t head = blank_head(t, g->text, g->len), tail = blank_tail(t, g->text, g->len);
    ptrdiff_t shift = (ptrdiff_t)g->len - (ptrdiff_t)t->blank.len;
    int i = search_u32(t->tend, t->nt, head, true); /* whole symbols in the head */
    size_t p = i ? t->tend[i - 1] : 0;
    int k = search_u32(t->toff, t->nt, t->blank.len - tail, false);
    if (k < i)
        k = i;
    while (k < t->nt && (ptrdiff_t)t->toff[k] + shift < (ptrdiff_t)p)
        k++;
    *pl = (blank_plan){i, k, p, k < t->nt ? (size_t)((ptrdiff_t)t->toff[k] + shift) : g->len, shift};
}

/* Builds the actual sequence from a side whose blank text decodes as a
 * whole (t->whole) as pl says: the template's symbols are copied, only the
 * stretch between is decoded.  False (g->na and g->n_box back to 0) if that
 * decoding runs past the copied end, which then does not start on a
 * character. */
static bool copy_blank(aligner *g, const tside *t, const blank_plan *pl)
{
    copy_syms(g, t, 0, pl->i, 0);
    if (decode_actual(g, pl->p, pl->e) != pl->e) {
        g->na = g->n_box = 0;
        return false;
    }
    copy_syms(g, t, pl->k, t->nt, pl->shift);
    g->head = pl->i;
    g->tail = t->nt - pl->k;
    g->copied = true;
    return true;
}

/* Finds the common start of the two sequences and then their common end
 * within the rest (as strip_common matches them), from what is known. */
static void common_ends(aligner *g)
{
    const uint32_t *t = g->tsym, *a = g->asym;
    int nt = g->nt, na = g->na, n = nt < na ? nt : na;
    int p = g->head < n ? g->head : n;
    while (p < n && t[p] == a[p])
        p++;
    int m = (nt < na ? nt : na) - p, s = g->tail < m ? g->tail : m;
    while (s < m && t[nt - 1 - s] == a[na - 1 - s])
        s++;
    g->head = p;
    g->tail = s;
}

/* Makes the block of ACTUAL_ARRAYS for cap symbols.  Not zeroed, as above:
 * decode_actual and copy_syms write each symbol, and bind_side the matches. */
static sk_error alloc_actual(aligner *g, size_t cap)
{
    free(g->ablock);
    g->ablock = malloc(0 ACTUAL_ARRAYS(BLOCK_SIZE));
    if (!g->ablock)
        return SK_ERR_NOMEM;
    char *b = g->ablock;
    ACTUAL_ARRAYS(BLOCK_TAKE)
    return SK_OK;
}

/* Builds the actual sequence from the answer text and finds its common
 * start and end with the template's. */
static sk_error build_actual(aligner *g, const tside *t)
{
    blank_plan pl;
    bool copy = t->whole && !g->reference;
    if (copy)
        plan_blank(g, t, &pl);
    /* a symbol takes a byte or more, and the decoded ones start in [p, e) */
    size_t cap = copy ? (size_t)pl.i + (pl.e - pl.p) + (size_t)(t->nt - pl.k) + 1 : g->len + 1;
    if (alloc_actual(g, cap) != SK_OK)
        return SK_ERR_NOMEM;
    if (g->reference) {
        decode_reference(g);
    } else if (!copy || !copy_blank(g, t, &pl)) {
        if (copy && alloc_actual(g, g->len + 1) != SK_OK)
            return SK_ERR_NOMEM;
        decode_actual(g, 0, g->len);
    }
    common_ends(g);
    return SK_OK;
}

/* Records that template symbol x matches actual symbol y. */
static void match(aligner *g, int x, int y)
{
    g->tm[x] = y;
    g->am[y] = x;
}

/* Finds a point on the middle snake of the template x[xoff..xlim) against the
 * actual y[yoff..ylim) (Myers 1986 section 4b, as GNU diffseq.h writes it);
 * false when the edit distance or the step budget is exceeded. */
static bool diag(aligner *g, int xoff, int xlim, int yoff, int ylim, int *xmid, int *ymid)
{
    int *const fd = g->fd;
    int *const bd = g->bd;
    const uint32_t *const xv = g->tsym;
    const uint32_t *const yv = g->asym;
    const int dmin = xoff - ylim, dmax = xlim - yoff;
    const int fmid = xoff - yoff, bmid = xlim - ylim;
    int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = (fmid - bmid) % 2 != 0;

    fd[fmid] = xoff;
    bd[bmid] = xlim;
    for (int c = 1;; ++c) {
        if (c > ALIGN_MAX_D / 2 + 1 || g->steps > g->max_steps) {
            g->overflow = true;
            return false;
        }
        if (fmin > dmin)
            fd[--fmin - 1] = -1;
        else
            ++fmin;
        if (fmax < dmax)
            fd[++fmax + 1] = -1;
        else
            --fmax;
        for (int d = fmax; d >= fmin; d -= 2) {
            int tlo = fd[d - 1], thi = fd[d + 1];
            int x0 = tlo < thi ? thi : tlo + 1;
            int x = x0, y = x0 - d;
            while (x < xlim && y < ylim && xv[x] == yv[y]) {
                x++;
                y++;
            }
            g->steps += 1 + (x - x0);
            fd[d] = x;
            if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
                *xmid = x;
                *ymid = y;
                return true;
            }
        }
        if (bmin > dmin)
            bd[--bmin - 1] = INT_MAX;
        else
            ++bmin;
        if (bmax < dmax)
            bd[++bmax + 1] = INT_MAX;
        else
            --bmax;
        for (int d = bmax; d >= bmin; d -= 2) {
            int tlo = bd[d - 1], thi = bd[d + 1];
            int x0 = tlo < thi ? tlo : thi - 1;
            int x = x0, y = x0 - d;
            while (xoff < x && yoff < y && xv[x - 1] == yv[y - 1]) {
                x--;
                y--;
            }
            g->steps += 1 + (x0 - x);
            bd[d] = x;
            if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
                *xmid = x;
                *ymid = y;
                return true;
            }
        }
    }
}

/* Matches the common prefix and suffix of the two ranges; narrows them. */
static void strip_common(aligner *g, int *xoff, int *xlim, int *yoff, int *ylim)
{
    while (*xoff < *xlim && *yoff < *ylim && g->tsym[*xoff] == g->asym[*yoff]) {
        match(g, *xoff, *yoff);
        ++*xoff;
        ++*yoff;
    }
    while (*xoff < *xlim && *yoff < *ylim && g->tsym[*xlim - 1] == g->asym[*ylim - 1]) {
        match(g, *xlim - 1, *ylim - 1);
        --*xlim;
        --*ylim;
    }
}

/* Matches template x[xoff..xlim) with actual y[yoff..ylim) by divide and
 * conquer on the middle snake (recursion depth about log2 of the distance). */
static void compareseq(aligner *g, int xoff, int xlim, int yoff, int ylim)
{
    strip_common(g, &xoff, &xlim, &yoff, &ylim);
    if (xoff == xlim || yoff == ylim || g->overflow)
        return;
    int xmid, ymid;
    if (!diag(g, xoff, xlim, yoff, ylim, &xmid, &ymid))
        return;
    compareseq(g, xoff, xmid, yoff, ymid);
    compareseq(g, xmid, xlim, ymid, ylim);
}

/* Matches template x[xoff..xlim) with actual y[yoff..ylim) by the longest
 * common subsequence table, for a short template piece (at most SMALL_SIDE
 * symbols) against a long actual one: time and space (xlim - xoff) times
 * (ylim - yoff), so a long text typed into a slot costs its length, where the
 * diff costs its square.  Among the longest, the table matches each template
 * symbol as late as it can; place_fixed_text and slide_insertions then
 * settle the ties as after the diff.  False (nothing matched) if the table
 * would be too big or there is no memory. */
static bool match_small(aligner *g, int xoff, int xlim, int yoff, int ylim)
{
    int n = xlim - xoff, m = ylim - yoff;
    if (n > SMALL_SIDE || (long)(n + 1) * (m + 1) > SMALL_CELLS)
        return false;
    unsigned char *L = malloc((size_t)(n + 1) * (size_t)(m + 1));
    if (!L)
        return false;
    const size_t w = (size_t)m + 1;
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= m; j++) {
            unsigned char v;
            if (i == 0 || j == 0)
                v = 0;
            else if (g->tsym[xoff + i - 1] == g->asym[yoff + j - 1])
                v = (unsigned char)(L[(size_t)(i - 1) * w + (size_t)(j - 1)] + 1);
            else {
                unsigned char up = L[(size_t)(i - 1) * w + (size_t)j], left = L[(size_t)i * w + (size_t)(j - 1)];
                v = up > left ? up : left;
            }
            L[(size_t)i * w + (size_t)j] = v;
        }
    g->steps += (long)n * m / 8 + m; /* a table cell is a fraction of a diff step */
    for (int i = n, j = m; i > 0 && j > 0;) {
        if (g->tsym[xoff + i - 1] == g->asym[yoff + j - 1]) {
            match(g, xoff + i - 1, yoff + j - 1);
            i--;
            j--;
        } else if (L[(size_t)i * w + (size_t)(j - 1)] >= L[(size_t)(i - 1) * w + (size_t)j]) {
            j--;
        } else {
            i--;
        }
    }
    free(L);
    return true;
}

/* Matches one piece between anchors: by the table when the template side is
 * short and the actual one long, else by the diff. */
static void match_piece(aligner *g, int xoff, int xlim, int yoff, int ylim)
{
    strip_common(g, &xoff, &xlim, &yoff, &ylim);
    if (xoff == xlim || yoff == ylim || g->overflow)
        return;
    if (ylim - yoff > 4 * SMALL_SIDE && match_small(g, xoff, xlim, yoff, ylim))
        return;
    compareseq(g, xoff, xlim, yoff, ylim);
}

/* The key of the ANCHOR_K symbols at s: each is at most SYM_BOX (21 bits),
 * so three make an exact 63-bit key. */
static uint64_t anchor_key(const uint32_t *s)
{
    _Static_assert(ANCHOR_K * 21 <= 64 && SYM_BOX < (1u << 21), "anchor keys are exact");
    uint64_t k = 0;
    for (int i = 0; i < ANCHOR_K; i++)
        k = k << 21 | s[i];
    return k;
}

/* An anchor candidate: a template position whose ANCHOR_K symbols occur
 * once in the template range; apos: where they occur in the actual range
 * (-1: nowhere, -2: more than once). */
typedef struct anchor {
    uint64_t key;
    int tpos;
    int apos;
} anchor;

static int cmp_anchor_key(const void *x, const void *y)
{
    const anchor *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key ? 1 : (a->tpos > b->tpos) - (a->tpos < b->tpos);
}

static int cmp_anchor_tpos(const void *x, const void *y)
{
    const anchor *a = x, *b = y;
    return (a->tpos > b->tpos) - (a->tpos < b->tpos);
}

/* True if the ANCHOR_K symbols at template x and actual y are equal. */
static bool same_gram(const aligner *g, int x, int y)
{
    return memcmp(g->tsym + x, g->asym + y, ANCHOR_K * sizeof *g->tsym) == 0;
}

static int chain_anchors(const anchor *v, int n, int *prev, int *tail, anchor **out);

/* Finds the anchors of template x[xoff..xlim) in actual y[yoff..ylim):
 * runs of ANCHOR_K fixed template symbols found exactly once on each side,
 * the longest chain of them in order on both sides (patience diff), none
 * overlapping.  Returns how many (in v, by template position), or -1 on no
 * memory. */
static int find_anchors(aligner *g, int xoff, int xlim, int yoff, int ylim, anchor **out)
{
    int nt = xlim - xoff - ANCHOR_K + 1, na = ylim - yoff - ANCHOR_K + 1;
    *out = NULL;
    if (nt <= 0 || na <= 0)
        return 0;
    anchor *v = malloc((size_t)nt * sizeof *v);
    int *prev = malloc((size_t)nt * 2 * sizeof *prev);
    if (!v || !prev) {
        free(v);
        free(prev);
        return -1;
    }
    int n = 0;
    for (int i = xoff; i < xlim - ANCHOR_K + 1; i++) {
        bool fixed = true;
        for (int k = 0; k < ANCHOR_K && fixed; k++)
            fixed = g->tkind[i + k] != T_PLACE;
        if (fixed)
            v[n++] = (anchor){anchor_key(g->tsym + i), i, -1};
    }
    qsort(v, (size_t)n, sizeof *v, cmp_anchor_key);
    /* keep the grams that occur once in the template */
    int u = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && v[j].key == v[i].key && !memcmp(g->tsym + v[j].tpos, g->tsym + v[i].tpos, ANCHOR_K * 4))
            j++;
        if (j == i + 1)
            v[u++] = v[i];
        i = j;
    }
    n = u;
    for (int y = yoff; y < ylim - ANCHOR_K + 1; y++) {
        anchor key = {anchor_key(g->asym + y), -1, 0};
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (v[mid].key < key.key)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int k = lo; k < n && v[k].key == key.key; k++)
            if (same_gram(g, v[k].tpos, y))
                v[k].apos = v[k].apos == -1 ? y : -2;
    }
    g->steps += na + n;
    u = 0;
    for (int i = 0; i < n; i++)
        if (v[i].apos >= 0)
            v[u++] = v[i];
    n = u;
    qsort(v, (size_t)n, sizeof *v, cmp_anchor_tpos);
    n = chain_anchors(v, n, prev, prev + nt, out);
    free(v);
    free(prev);
    return n;
}

/* Keeps of v[0..n) (ordered by template position) the longest chain whose
 * actual positions increase too (patience sorting; prev and tail are work
 * arrays of n), without overlaps; *out gets it.  Returns its length, or -1
 * on no memory. */
static int chain_anchors(const anchor *v, int n, int *prev, int *tail, anchor **out)
{
    int len = 0;
    for (int i = 0; i < n; i++) {
        int lo = 0, hi = len;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (v[tail[mid]].apos < v[i].apos)
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo > 0 ? tail[lo - 1] : -1;
        tail[lo] = i;
        if (lo == len)
            len++;
    }
    int k = len;
    anchor *chain = malloc((size_t)(len ? len : 1) * sizeof *chain);
    if (!chain)
        return -1;
    for (int i = len ? tail[len - 1] : -1; i >= 0; i = prev[i])
        chain[--k] = v[i];
    /* drop anchors that overlap the one kept before them */
    int u = 0;
    for (int i = 0; i < len; i++)
        if (u == 0 || (chain[i].tpos >= chain[u - 1].tpos + ANCHOR_K && chain[i].apos >= chain[u - 1].apos + ANCHOR_K))
            chain[u++] = chain[i];
    *out = chain;
    return u;
}

/* Matches a long actual text piece by piece between anchors (the template
 * text around the slots, found once on each side), so that text typed into
 * a slot costs its length instead of the square the diff would take. */
static sk_error anchored_diff(aligner *g, int xoff, int xlim, int yoff, int ylim)
{
    anchor *a;
    int n = find_anchors(g, xoff, xlim, yoff, ylim, &a);
    if (n < 0)
        return SK_ERR_NOMEM;
    if (n == 0 && abs((xlim - xoff) - (ylim - yoff)) > ALIGN_MAX_D) {
        free(a);
        g->overflow = true;
        return SK_OK;
    }
    int x = xoff, y = yoff;
    for (int i = 0; i < n && !g->overflow; i++) {
        match_piece(g, x, a[i].tpos, y, a[i].apos);
        for (int k = 0; k < ANCHOR_K; k++)
            match(g, a[i].tpos + k, a[i].apos + k);
        x = a[i].tpos + ANCHOR_K;
        y = a[i].apos + ANCHOR_K;
    }
    if (!g->overflow)
        match_piece(g, x, xlim, y, ylim);
    free(a);
    return SK_OK;
}

/* Diffs the whole sequences; sets g->overflow when they differ too much. */
static sk_error run_diff(aligner *g)
{
    int xoff = g->head, xlim = g->nt - g->tail, yoff = g->head, ylim = g->na - g->tail;
    for (int i = 0; i < xoff; i++)
        match(g, i, i);
    for (int i = xlim; i < g->nt; i++)
        match(g, i, i + (ylim - xlim));
    if (xoff == xlim || yoff == ylim)
        return SK_OK;
    int n = xlim - xoff, m = ylim - yoff;
    bool anchored = m >= ANCHOR_MIN;
    if (!anchored && abs(n - m) > ALIGN_MAX_D) {
        g->overflow = true;
        return SK_OK;
    }
    /* Diagonals k = x - y run over [xoff - ylim - 1, xlim - yoff + 1]. */
    size_t ndiag = (size_t)n + (size_t)m + 3;
    g->diag_buf = xcalloc(2 * ndiag, sizeof *g->diag_buf);
    if (!g->diag_buf)
        return SK_ERR_NOMEM;
    g->fd = g->diag_buf + (ylim - xoff + 1);
    g->bd = g->diag_buf + ndiag + (ylim - xoff + 1);
    if (anchored)
        return anchored_diff(g, xoff, xlim, yoff, ylim);
    compareseq(g, xoff, xlim, yoff, ylim);
    return SK_OK;
}

/* True if inserted text between matched template symbols p and q lies in a
 * slot's region (touches its placeholder). */
static bool gap_in_slot(const aligner *g, int p, int q)
{
    for (int k = 0; k < g->n_occ; k++)
        if (p < g->occs[k].end && q >= g->occs[k].start)
            return true;
    return false;
}

/* Shifts runs of inserted text whose place is ambiguous (the symbols before
 * or after the run repeat its own) into a slot's region when such a shift
 * reaches one, else onto a neighbouring run so that the two become one.  The
 * greedy diff matches as early as it can, so "（SaaS））" typed into "（　）"
 * would otherwise leave the slot at the first "）", and a line "…（詳細は備考）"
 * typed above "備考：" would lend its "備考" to the label. */
static void slide_insertions(aligner *g)
{
    int *am = g->am;
    const uint32_t *as = g->asym;
    int lastp = -1, j = 0;
    while (j < g->na) {
        if (am[j] >= 0) {
            lastp = am[j++];
            continue;
        }
        int i = j;
        while (j < g->na && am[j] < 0)
            j++;
        int p = lastp, q = j < g->na ? am[j] : g->nt;
        if (q != p + 1 || gap_in_slot(g, p, q))
            continue;
        int left = 0, right = 0, left_merge = 0, right_merge = 0;
        for (int k = 1;; k++) {
            int a0 = i - k, t0 = p - k + 1;
            if (a0 < 0 || t0 < 0 || am[a0] != t0 || as[a0] == SYM_BOX || as[a0] != as[j - k])
                break;
            if (gap_in_slot(g, p - k, p - k + 1)) {
                left = k;
                break;
            }
            if (!left_merge && a0 > 0 && am[a0 - 1] < 0)
                left_merge = k;
        }
        for (int k = 1;; k++) {
            int a1 = j + k - 1, t1 = p + k;
            if (a1 >= g->na || t1 >= g->nt || am[a1] != t1 || as[a1] == SYM_BOX || as[i + k - 1] != as[a1])
                break;
            if (gap_in_slot(g, p + k, p + k + 1)) {
                right = k;
                break;
            }
            if (!right_merge && a1 + 1 < g->na && am[a1 + 1] < 0)
                right_merge = k;
        }
        if (!left && !right) {
            left = left_merge;
            right = right_merge;
        }
        if (left && (!right || left <= right)) {
            for (int m = 1; m <= left; m++)
                am[i - m] = -1;
            for (int m = 1; m <= left; m++)
                match(g, p - m + 1, j - m);
            lastp = p;
        } else if (right) {
            for (int m = 0; m < right; m++)
                am[j + m] = -1;
            for (int m = 0; m < right; m++)
                match(g, p + 1 + m, i + m);
            lastp = p + right;
            j = i + right;
        }
    }
}

/* Fills mc, tlast and tfirst from the matches, and counts deleted fixed text. */
static void index_matches(aligner *g)
{
    int last = -1;
    g->mc[0] = 0;
    g->deleted = 0;
    for (int i = 0; i < g->nt; i++) {
        g->tlast[i] = last;
        g->mc[i + 1] = g->mc[i] + (g->tm[i] >= 0);
        if (g->tm[i] >= 0)
            last = i;
        else if (g->tkind[i] != T_PLACE)
            g->deleted++;
    }
    g->tlast[g->nt] = last;
    int first = g->nt;
    g->tfirst[g->nt] = first;
    for (int i = g->nt - 1; i >= 0; i--) {
        if (g->tm[i] >= 0)
            first = i;
        g->tfirst[i] = first;
    }
}

/* Orders window symbols by symbol, then by position. */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* The candidate positions of best_embedding: ord holds w's positions
 * sorted by symbol, and those of ms[i] are ord[lo[i] .. lo[i] + cnt[i]);
 * their costs are cost[base[i] .. base[i] + cnt[i]).  idx is one block for
 * lo, cnt, base (m + 1) and suf (r, the dynamic programme's scratch). */
typedef struct embed {
    int r, m;
    uint64_t *ord;
    int *idx, *lo, *cnt, *base, *suf, *cost;
} embed;

/* Position of ms[i]'s k-th candidate (ord and lo are the function's locals). */
#define CAND(i, k) ((int)(uint32_t)ord[lo[i] + (k)])

/* Finds each symbol's candidates in w and allocates the costs; returns 0,
 * -1 if a symbol has none or the pairs would exceed *work (reduced by the
 * pairs), -2 on no memory. */
static int embed_candidates(embed *e, const uint32_t *w, const uint32_t *ms, long *work)
{
    const int r = e->r, m = e->m;
    uint64_t *ord = e->ord = malloc((size_t)r * sizeof *ord);
    e->idx = malloc((3 * (size_t)m + 1 + (size_t)r) * sizeof *e->idx);
    if (!ord || !e->idx)
        return -2;
    int *lo = e->lo = e->idx, *cnt = e->cnt = e->idx + m, *base = e->base = e->idx + 2 * m;
    e->suf = e->idx + 3 * m + 1;
    for (int p = 0; p < r; p++)
        ord[p] = (uint64_t)w[p] << 32 | (uint32_t)p;
    qsort(ord, (size_t)r, sizeof *ord, cmp_u64);
    long pairs = r;
    base[0] = 0;
    for (int i = 0; i < m; i++) {
        int a = 0, b = r;
        while (a < b) {
            int mid = a + (b - a) / 2;
            if ((uint32_t)(ord[mid] >> 32) < ms[i])
                a = mid + 1;
            else
                b = mid;
        }
        lo[i] = a;
        while (b < r && (uint32_t)(ord[b] >> 32) == ms[i])
            b++;
        cnt[i] = b - a;
        pairs += cnt[i];
        base[i + 1] = base[i] + cnt[i];
        if (cnt[i] == 0 || pairs > *work)
            return -1;
    }
    *work -= pairs;
    e->cost = malloc((size_t)base[m] * sizeof *e->cost);
    return e->cost ? 0 : -2;
}

/* The dynamic programme, right to left: cost[base[i] + k] is the fewest gaps
 * of ms[i..m) with ms[i] at its k-th candidate.  The hot loop of the
 * aligner: it works on locals, as it did inside best_embedding. */
static void embed_costs(const embed *e, bool rfree)
{
    const int inf = INT_MAX / 2, r = e->r, m = e->m;
    const uint64_t *ord = e->ord;
    const int *lo = e->lo, *cnt = e->cnt, *base = e->base;
    int *suf = e->suf, *cost = e->cost;
    for (int k = 0; k < cnt[m - 1]; k++)
        cost[base[m - 1] + k] = rfree || CAND(m - 1, k) == r - 1 ? 0 : 1;
    for (int i = m - 2; i >= 0; i--) {
        const int n1 = cnt[i + 1], *next = cost + base[i + 1];
        suf[n1 - 1] = next[n1 - 1];
        for (int k = n1 - 2; k >= 0; k--)
            suf[k] = next[k] < suf[k + 1] ? next[k] : suf[k + 1];
        int q = 0;
        for (int k = 0; k < cnt[i]; k++) {
            int p = CAND(i, k), c = inf;
            while (q < n1 && CAND(i + 1, q) <= p)
                q++;
            if (q < n1 && CAND(i + 1, q) == p + 1) {
                c = next[q];
                if (q + 1 < n1 && suf[q + 1] + 1 < c)
                    c = suf[q + 1] + 1;
            } else if (q < n1) {
                c = suf[q] + 1;
            }
            cost[base[i] + k] = c < inf ? c : inf;
        }
    }
}

/* Reads the embedding off the costs: the latest first position among the
 * best, then the earliest next ones, into pos[0..m).  Returns the gaps, or
 * -1 if there is no embedding. */
static int embed_trace(const embed *e, bool lfree, int *pos)
{
    const int inf = INT_MAX / 2, m = e->m;
    const uint64_t *ord = e->ord;
    const int *lo = e->lo, *cnt = e->cnt, *base = e->base, *cost = e->cost;
    int best = inf, kb = -1;
    for (int k = cnt[0] - 1; k >= 0; k--) {
        int c = cost[k] + (lfree || CAND(0, k) == 0 ? 0 : 1);
        if (c < best) {
            best = c;
            kb = k;
        }
    }
    if (kb < 0)
        return -1;
    pos[0] = CAND(0, kb);
    for (int i = 0; i + 1 < m; i++) {
        int want = cost[base[i] + kb];
        kb = -1;
        for (int k = 0; k < cnt[i + 1]; k++) {
            if (CAND(i + 1, k) > pos[i] && cost[base[i + 1] + k] + (CAND(i + 1, k) > pos[i] + 1) == want) {
                kb = k;
                break;
            }
        }
        if (kb < 0) /* cannot happen: the costs say a continuation exists */
            return -1;
        pos[i + 1] = CAND(i + 1, kb);
    }
    return best;
}

#undef CAND

/* Finds the best way to match ms[0..m) to a subsequence of w[0..r): the one
 * with the fewest gaps (unmatched symbols between two consecutive ones, and
 * before the first unless lfree, after the last unless rfree), among those
 * the one with the first symbol latest, and then the others each as early as
 * can be (close to the first).  A dynamic programme over the pairs of equal
 * symbols, right to left, in time and space linear in their number.
 * pos[0..m) gets the positions.  Returns the gaps; -1 if ms is not a
 * subsequence of w or the pairs would exceed *work (which is reduced by the
 * work done), -2 on no memory. */
static int best_embedding(const uint32_t *w, int r, const uint32_t *ms, int m, bool lfree, bool rfree, long *work,
                          int *pos)
{
    embed e = {.r = r, .m = m};
    int ret = embed_candidates(&e, w, ms, work);
    if (ret == 0) {
        embed_costs(&e, rfree);
        ret = embed_trace(&e, lfree, pos);
    }
    free(e.ord);
    free(e.idx);
    free(e.cost);
    return ret;
}

/* Matches the matched symbols of the fixed text [s, e) again within the
 * actual text between the matches around it, as place_fixed_text says; lslot:
 * a slot stands just before it, rslot: just after it (one of them at least). */
static sk_error place_piece(aligner *g, int s, int e, bool lslot, bool rslot)
{
    int m = g->mc[e] - g->mc[s];
    if (m == 0)
        return SK_OK;
    int al = g->tlast[s] >= 0 ? g->tm[g->tlast[s]] : -1;
    int ar = g->tfirst[e] < g->nt ? g->tm[g->tfirst[e]] : g->na;
    int gaps = 0, prev = -1;
    for (int t = s; t < e; t++) {
        int a = g->tm[t];
        if (a < 0)
            continue;
        gaps += prev < 0 ? (!lslot && a > al + 1) : a > prev + 1;
        prev = a;
    }
    gaps += !rslot && prev < ar - 1;
    if (gaps == 0)
        return SK_OK; /* matched in one piece (and against the fixed text beside it) */
    /* before a slot the earliest places are wanted: search the mirror image */
    bool mirror = !lslot;
    int r = ar - al - 1;
    uint32_t *w = malloc(((size_t)r + (size_t)m) * sizeof *w);
    int *tix = malloc(2 * (size_t)m * sizeof *tix);
    if (!w || !tix) {
        free(w);
        free(tix);
        return SK_ERR_NOMEM;
    }
    uint32_t *ms = w + r;
    int *pos = tix + m, i = 0;
    for (int x = 0; x < r; x++)
        w[x] = g->asym[mirror ? ar - 1 - x : al + 1 + x];
    for (int t = s; t < e; t++)
        if (g->tm[t] >= 0)
            tix[i++] = t;
    for (i = 0; i < m; i++)
        ms[i] = g->tsym[tix[mirror ? m - 1 - i : i]];
    long work = g->max_steps - g->steps;
    int best = best_embedding(w, r, ms, m, mirror ? rslot : lslot, mirror ? lslot : rslot, &work, pos);
    g->steps = g->max_steps - work;
    if (best >= 0 && (best < gaps || !(lslot && rslot))) {
        for (i = 0; i < m; i++)
            g->am[g->tm[tix[i]]] = -1;
        for (i = 0; i < m; i++) {
            int k = mirror ? m - 1 - i : i;
            match(g, tix[k], mirror ? ar - 1 - pos[i] : al + 1 + pos[i]);
        }
    }
    free(w);
    free(tix);
    return best == -2 ? SK_ERR_NOMEM : SK_OK;
}

/* Among the alignments of equal cost, prefers the one that keeps the fixed
 * text around each slot in one piece: the diff may match symbols of it to
 * symbols of the value that look the same ("A1)AWS" in "（その他：　））",
 * "年注）Ｐ" in "（　年）", "M(A1" before "(1)："), which cuts the value short
 * and makes the rest of it read as text typed outside the slot.  Each run of
 * fixed text next to a slot (up to the next box, slot or end) has its matched
 * symbols matched again, in order, to equal symbols of the actual text
 * between the matches around the run, so that the fewest gaps are left: gaps
 * inside the run, and at an end without a slot (text typed between it and a
 * box).  Among equals the slot takes as much as it can: after a slot the run
 * starts as late as it can, before one it ends as early as it can, and the
 * rest of the run stays close to that symbol.  A run between two slots is
 * matched again only if that leaves fewer gaps (its place is otherwise a
 * tie between the two values).  Markers are never moved.  Which template
 * symbols are matched does not change, so neither do the cost, the deleted
 * text, mc, tlast and tfirst; runs already in one piece cost one pass over
 * their symbols. */
static sk_error place_fixed_text(aligner *g)
{
    for (int k = 0; k < g->n_occ; k++) {
        const occ *o = &g->occs[k];
        int prev_end = k > 0 ? g->occs[k - 1].end : -1;
        int next_start = k + 1 < g->n_occ ? g->occs[k + 1].start : g->nt + 1;
        /* the run before the slot, unless it follows the previous slot (done) */
        int s = o->start;
        while (s > 0 && g->tkind[s - 1] == T_FIXED && s > prev_end)
            s--;
        if (s < o->start && s != prev_end) {
            sk_error err = place_piece(g, s, o->start, s > 0 && g->tkind[s - 1] == T_PLACE, true);
            if (err != SK_OK)
                return err;
        }
        /* the run after it */
        int e = o->end;
        while (e < g->nt && g->tkind[e] == T_FIXED && e < next_start)
            e++;
        if (e > o->end) {
            bool rslot = e == next_start || (e < g->nt && g->tkind[e] == T_PLACE);
            sk_error err = place_piece(g, o->end, e, true, rslot);
            if (err != SK_OK)
                return err;
        }
    }
    return SK_OK;
}

/* Byte offset where the actual text matched to the last matched template
 * symbol before position i ends (0 if none). */
static size_t end_before(const aligner *g, int i)
{
    int t = g->tlast[i];
    if (t < 0)
        return 0;
    int a = g->tm[t];
    return g->aoff[a] + g->alen[a];
}

/* Byte offset where the actual text matched to the first matched template
 * symbol at or after position i starts (len if none). */
static size_t start_from(const aligner *g, int i)
{
    int t = g->tfirst[i];
    return t < g->nt ? g->aoff[g->tm[t]] : g->len;
}

/* Index of the first actual symbol at or after byte offset off. */
static int actual_at(const aligner *g, size_t off)
{
    int lo = 0, hi = g->na;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->aoff[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sets flag on every unmatched actual symbol that starts in [lo, hi). */
static void mark_span(aligner *g, size_t lo, size_t hi, unsigned char flag)
{
    for (int j = actual_at(g, lo); j < g->na && g->aoff[j] < hi; j++)
        if (g->am[j] < 0)
            g->aflag[j] |= flag;
}

/* Appends a marker to the result (the array holds one per actual marker). */
static void add_marker(sk_align_result *out, int option, bool checked, size_t offset)
{
    sk_marker *m = &out->markers[out->n_markers++];
    m->option = option;
    m->checked = checked;
    m->offset = offset;
}

/* Reads option states and markers from the matches. */
static void read_boxes(aligner *g, sk_align_result *out)
{
    for (int i = 0; i < g->nt; i++) {
        if (g->tkind[i] != T_BOX)
            continue;
        if (g->tm[i] < 0) {
            out->altered = true;
            continue;
        }
        if (g->tref[i] >= 0)
            out->state[g->tref[i]] = (g->aflag[g->tm[i]] & A_CHECKED) ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    }
    for (int j = 0; j < g->na; j++) {
        if (g->asym[j] != SYM_BOX)
            continue;
        bool checked = (g->aflag[j] & A_CHECKED) != 0;
        int t = g->am[j];
        if (t < 0) {
            add_marker(out, -1, checked, g->aoff[j]);
            out->altered = true;
        } else if (g->tkind[t] == T_BOX) {
            add_marker(out, g->tref[t], checked, g->aoff[j]);
        }
        /* a marker on a prose □ (or inside a placeholder) is text, not an answer */
    }
}

/* Computes each slot occurrence's region in the actual text.  Slots with no
 * matched symbol between them share one region, cut where the template
 * boundary falls (after the first slot's matched last placeholder symbol,
 * before the second's matched first one, else everything to the first). */
static void find_regions(aligner *g)
{
    for (int k = 0; k < g->n_occ; k++) {
        occ *o = &g->occs[k];
        bool shared_prev = k > 0 && g->tfirst[g->occs[k - 1].end] >= o->start;
        if (shared_prev) {
            const occ *p = &g->occs[k - 1];
            if (p->end > p->start && g->tm[p->end - 1] >= 0)
                o->lo = g->aoff[g->tm[p->end - 1]] + g->alen[g->tm[p->end - 1]];
            else if (o->end > o->start && g->tm[o->start] >= 0)
                o->lo = g->aoff[g->tm[o->start]];
            else
                o->lo = start_from(g, o->start);
            if (o->lo < p->lo)
                o->lo = p->lo;
            g->occs[k - 1].hi = o->lo;
        } else {
            o->lo = end_before(g, o->start);
        }
        o->hi = start_from(g, o->end);
        if (o->hi < o->lo)
            o->hi = o->lo;
    }
    for (int k = 0; k < g->n_occ; k++)
        mark_span(g, g->occs[k].lo, g->occs[k].hi, A_REGION);
}

/* Returns text[start..end) trimmed in *p, *n (it points into the text). */
static void trimmed_span(const aligner *g, size_t start, size_t end, const char **p, size_t *n)
{
    *n = end - start;
    *p = sk_text_trim(g->text + start, n);
}

/* Removes the placeholder ph[0..nph) from the trimmed value *p, *n when the
 * value is only the placeholder, or (placeholders of two symbols or more)
 * begins or ends with it; spaces and full-width forms are ignored. */
static void strip_placeholder(const uint32_t *ph, int nph, const char **p, size_t *n)
{
    const char *s = *p;
    size_t len = *n, pos = 0;
    int total = 0, k = 0;
    if (nph <= 0 || len == 0)
        return;
    sk_mark mark;
    while (pos < len)
        total += next_sym(s, len, &pos, &mark) != CP_SPACE;
    if (total < nph || (total > nph && nph < 2))
        return;
    for (pos = 0; pos < len && k < nph;) {
        uint32_t sym = next_sym(s, len, &pos, &mark);
        if (sym == CP_SPACE)
            continue;
        if (sym != ph[k])
            break;
        k++;
    }
    if (k == nph) {
        len -= pos;
        *p = sk_text_trim(s + pos, &len);
        *n = len;
        return;
    }
    int skip = total - nph;
    for (pos = 0; pos < len && skip > 0;)
        skip -= next_sym(s, len, &pos, &mark) != CP_SPACE;
    size_t cut = pos;
    for (k = 0; pos < len;) {
        uint32_t sym = next_sym(s, len, &pos, &mark);
        if (sym == CP_SPACE)
            continue;
        if (sym != ph[k++])
            return;
    }
    *p = sk_text_trim(s, &cut);
    *n = cut;
}

/* True if the blank template text between symbols a and b breaks the line. */
static bool line_break_between(const aligner *g, int a, int b)
{
    return memchr(g->blank + g->tend[a], '\n', g->toff[b] - g->tend[a]) != NULL;
}

/* Collects runs of deleted fixed template text and reports each as an
 * alteration.  Runs fewer than two matched symbols apart are one run, and so
 * are runs on one line a few matched symbols apart: a reworded sentence keeps
 * a word here and there ("報告書", "提出") and is still one change to review.
 * A run of deleted boxes alone counts only if something was typed in its
 * place (□ retyped as ○). */
static sk_error find_alterations(aligner *g, sk_align_result *out)
{
    int rf = -1, rl = -1;
    bool fixed = false;
    g->n_runs = 0;
    for (int i = 0; i <= g->nt; i++) {
        bool del = i < g->nt && g->tm[i] < 0 && g->tkind[i] != T_PLACE;
        if (i < g->nt && !del)
            continue;
        int between = rf >= 0 ? g->mc[i] - g->mc[rl + 1] : 0;
        if (del && rf >= 0 && (between < 2 || (between <= MERGE_SAME_LINE && !line_break_between(g, rl, i)))) {
            rl = i;
            fixed = fixed || g->tkind[i] == T_FIXED || g->tkind[i] == T_LIT;
            continue;
        }
        if (rf >= 0) {
            g->runs[2 * g->n_runs] = rf;
            g->runs[2 * g->n_runs + 1] = fixed ? rl : -1 - rl;
            g->n_runs++;
        }
        rf = rl = i;
        fixed = del && (g->tkind[i] == T_FIXED || g->tkind[i] == T_LIT);
    }
    out->alterations = xcalloc((size_t)g->n_runs, sizeof *out->alterations);
    if (!out->alterations)
        return SK_ERR_NOMEM;
    for (int r = 0; r < g->n_runs; r++) {
        int tf = g->runs[2 * r], tl = g->runs[2 * r + 1];
        bool has_text = tl >= 0;
        if (!has_text)
            tl = -1 - tl;
        size_t lo = end_before(g, tf), hi = start_from(g, tl + 1);
        const char *p;
        size_t n;
        trimmed_span(g, lo, hi, &p, &n);
        bool typed = false;
        for (int j = actual_at(g, lo); j < g->na && g->aoff[j] < hi && !typed; j++)
            typed = g->am[j] < 0 && g->asym[j] != SYM_BOX;
        if (!has_text && !typed)
            continue;
        sk_alteration *a = &out->alterations[out->n_alterations];
        a->replacement = sk_strndup(p, n);
        a->original = sk_strndup(g->blank + g->toff[tf], g->tend[tl] - g->toff[tf]);
        if (!a->replacement || !a->original) {
            out->n_alterations++; /* so that the result's free releases it */
            return SK_ERR_NOMEM;
        }
        out->n_alterations++;
        out->altered = true;
        mark_span(g, lo, hi, A_ALTER);
    }
    return SK_OK;
}

/* True if a symbol carries meaning on its own: not a marker, and not
 * punctuation, a bullet or a symbol ("・", "。", "→"); circled numbers count. */
static bool sym_is_word(uint32_t sym)
{
    if (sym == SYM_BOX)
        return false;
    if (sym < 0x80)
        return (sym >= '0' && sym <= '9') || ((sym | 0x20) >= 'a' && (sym | 0x20) <= 'z');
    if (sym >= 0x2460 && sym <= 0x24FF) /* ①②… */
        return true;
    if ((sym >= 0x2000 && sym <= 0x2BFF) || (sym >= 0x3000 && sym <= 0x303F) || sym == 0x30FB ||
        (sym >= 0xFF5F && sym <= 0xFF65))
        return false;
    return true;
}

/* The slot occurrence nearest to template position gpos, free-text slots
 * first; a tie goes to the later one (備考 usually follows). */
static int nearest_occ(const aligner *g, int gpos)
{
    int best = -1, best_d = INT_MAX;
    bool best_text = false;
    for (int k = 0; k < g->n_occ; k++) {
        const occ *o = &g->occs[k];
        int d = gpos <= o->start ? o->start - gpos : gpos >= o->end ? gpos - o->end : 0;
        bool text = g->cell->slots[o->slot].kind == SK_SLOT_TEXT;
        if ((text && !best_text) || (text == best_text && d <= best_d)) {
            best = k;
            best_d = d;
            best_text = text;
        }
    }
    return best;
}

/* Reports text typed outside every slot region and alteration and gives it
 * to the nearest slot.  Runs of markers alone are not text; runs of
 * punctuation alone (a stray "・") are reported but given to no slot, so
 * that they do not pass for a reason in 備考. */
static sk_error find_insertions(aligner *g, sk_align_result *out)
{
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
        int lastp = -1, j = 0;
        while (j < g->na) {
            if (g->am[j] >= 0 || (g->aflag[j] & (A_REGION | A_ALTER))) {
                if (g->am[j] >= 0)
                    lastp = g->am[j];
                j++;
                continue;
            }
            int i = j;
            bool text = false, word = false;
            while (j < g->na && g->am[j] < 0 && !(g->aflag[j] & (A_REGION | A_ALTER))) {
                text = text || g->asym[j] != SYM_BOX;
                word = word || sym_is_word(g->asym[j]);
                j++;
            }
            if (!text)
                continue;
            if (pass == 0) {
                count++;
                continue;
            }
            const char *p;
            size_t n;
            trimmed_span(g, g->aoff[i], g->aoff[j - 1] + g->alen[j - 1], &p, &n);
            int k = word ? nearest_occ(g, lastp + 1) : -1;
            sk_insertion *ins = &out->insertions[out->n_insertions];
            ins->slot = k >= 0 ? g->occs[k].slot : -1;
            ins->offset = g->aoff[i];
            ins->text = sk_strndup(p, n);
            if (!ins->text)
                return SK_ERR_NOMEM;
            out->n_insertions++;
            if (k >= 0)
                g->parts[g->n_parts++] = (part){ins->slot, -1, ins->offset, 0, 0, ins->text};
        }
        if (pass == 0) {
            out->insertions = xcalloc((size_t)count, sizeof *out->insertions);
            g->parts = xcalloc((size_t)count + (size_t)g->n_occ, sizeof *g->parts);
            if (!out->insertions || !g->parts)
                return SK_ERR_NOMEM;
        }
    }
    return SK_OK;
}

/* Orders value pieces by slot, then by place in the text. */
static int cmp_part(const void *x, const void *y)
{
    const part *a = x, *b = y;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return (a->occ < 0) - (b->occ < 0);
}

/* The text of value piece pt (trimmed, its placeholder stripped) in *p, *n. */
static void part_text(const aligner *g, const part *pt, const char **p, size_t *n)
{
    *p = pt->text;
    *n = *p ? strlen(*p) : 0;
    if (pt->occ >= 0) {
        const occ *o = &g->occs[pt->occ];
        trimmed_span(g, pt->start, pt->end, p, n);
        strip_placeholder(g->psym + o->ph, o->n_ph, p, n);
    }
}

/* Builds each slot's value from its pieces, joined by a space (a value of
 * one piece, the usual case, is copied as it is). */
static sk_error assemble_values(aligner *g, sk_align_result *out)
{
    sk_buf v = SK_BUF_INIT;
    int pi = 0;
    if (g->n_parts > 1)
        qsort(g->parts, (size_t)g->n_parts, sizeof *g->parts, cmp_part);
    for (int s = 0; s < g->cell->n_slots; s++) {
        const char *one = NULL, *p;
        size_t one_n = 0, n;
        int pieces = 0;
        sk_buf_reset(&v);
        for (; pi < g->n_parts && g->parts[pi].slot == s; pi++) {
            part_text(g, &g->parts[pi], &p, &n);
            if (n == 0)
                continue;
            if (++pieces == 1) {
                one = p;
                one_n = n;
                continue;
            }
            if ((pieces == 2 && sk_buf_append_len(&v, one, one_n) != SK_OK) || sk_buf_putc(&v, ' ') != SK_OK ||
                sk_buf_append_len(&v, p, n) != SK_OK)
                goto fail;
        }
        out->values[s] = pieces > 1 ? sk_buf_take(&v) : sk_strndup(pieces ? one : "", one_n);
        if (!out->values[s])
            goto fail;
    }
    sk_buf_free(&v);
    return SK_OK;
fail:
    sk_buf_free(&v);
    return SK_ERR_NOMEM;
}

/* Where actual symbol matched to template symbol i starts (len for i = nt),
 * and where the one matched to i ends, when every template symbol is
 * matched: i < head to i, the rest d = na - nt further (fill_fast). */
static size_t whole_start(const aligner *g, int i)
{
    return i < g->nt ? g->aoff[i < g->head ? i : i + g->na - g->nt] : g->len;
}

static size_t whole_end(const aligner *g, int i)
{
    int a = i < g->head ? i : i + g->na - g->nt;
    return g->aoff[a] + g->alen[a];
}

/* find_regions when every template symbol is matched (whole_start): there
 * tlast[i] is i - 1 and tfirst[i] is i, so two slots share a region only
 * when one ends where the other starts.  False if the text typed between
 * head and the rest is not all in the regions or its gap touches no slot,
 * which only the full reading handles. */
static bool whole_regions(aligner *g)
{
    for (int k = 0; k < g->n_occ; k++) {
        occ *o = &g->occs[k];
        if (k > 0 && g->occs[k - 1].end == o->start) {
            occ *p = &g->occs[k - 1];
            o->lo = p->end > p->start ? whole_end(g, p->end - 1) : whole_start(g, o->start);
            if (o->lo < p->lo)
                o->lo = p->lo;
            p->hi = o->lo;
        } else {
            o->lo = o->start > 0 ? whole_end(g, o->start - 1) : 0;
        }
        o->hi = whole_start(g, o->end);
        if (o->hi < o->lo)
            o->hi = o->lo;
    }
    int j = g->head, end = g->head + g->na - g->nt;
    if (j < end && !gap_in_slot(g, g->head - 1, g->head))
        return false;
    while (j < end) {
        int k = 0;
        while (k < g->n_occ && !(g->occs[k].lo <= g->aoff[j] && g->aoff[j] < g->occs[k].hi))
            k++;
        if (k == g->n_occ)
            return false;
        while (j < end && g->aoff[j] < g->occs[k].hi)
            j++;
    }
    return true;
}

/* read_boxes for a template marker i matched to actual symbol a. */
static void whole_box(aligner *g, int i, int a, sk_align_result *out)
{
    if (g->tkind[i] != T_BOX)
        return; /* a prose □, or one in a placeholder: text */
    bool checked = (g->aflag[a] & A_CHECKED) != 0;
    if (g->tref[i] >= 0)
        out->state[g->tref[i]] = checked ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
    add_marker(out, g->tref[i], checked, g->aoff[a]);
}

/* Makes the work arrays of fill_whole and finds the regions.  Returns
 * SK_OK, SK_ERR_NOMEM, or SK_ERR_USAGE (arrays released) when whole_regions
 * says the full reading is needed. */
static sk_error whole_prepare(aligner *g, const tside *t)
{
    g->occs = xcalloc((size_t)t->n_occ, sizeof *g->occs);
    g->parts = xcalloc((size_t)t->n_occ, sizeof *g->parts);
    if (!g->occs || !g->parts)
        return SK_ERR_NOMEM;
    if (t->n_occ)
        memcpy(g->occs, t->occs, (size_t)t->n_occ * sizeof *g->occs);
    g->n_occ = t->n_occ;
    if (whole_regions(g))
        return SK_OK;
    free(g->occs);
    free(g->parts);
    g->occs = NULL;
    g->parts = NULL;
    g->n_occ = 0;
    return SK_ERR_USAGE;
}

/* Reads the answers when the whole template is matched: its first head
 * symbols to the answer's, the rest to its last ones, and the answer's
 * symbols between (typed text) lie in a slot's region.  The full reading
 * (fill_exact) would find the same: no insertion to slide, no fixed text
 * to place again (each run of it is matched in one piece next to its
 * slot), no alteration, no text outside the regions.  Returns SK_OK,
 * SK_ERR_NOMEM, or SK_ERR_USAGE (out untouched) when whole_regions says
 * the full reading is needed. */
static sk_error fill_whole(aligner *g, const tside *t, sk_align_result *out)
{
    sk_error err = whole_prepare(g, t);
    if (err != SK_OK)
        return err;
    int d = g->na - g->nt, m = 0;
    for (; m < t->n_tmark && t->tmark[m] < g->head; m++)
        whole_box(g, t->tmark[m], t->tmark[m], out);
    for (int j = g->head; j < g->head + d; j++) {
        if (g->asym[j] == SYM_BOX) {
            add_marker(out, -1, (g->aflag[j] & A_CHECKED) != 0, g->aoff[j]);
            out->altered = true;
        }
    }
    for (; m < t->n_tmark; m++)
        whole_box(g, t->tmark[m], t->tmark[m] + d, out);
    for (int k = 0; k < g->n_occ; k++) {
        const occ *o = &g->occs[k];
        g->parts[g->n_parts++] = (part){o->slot, k, o->lo, o->lo, o->hi, NULL};
    }
    return assemble_values(g, out);
}

/* Reads the answers off a full alignment. */
static sk_error fill_exact(aligner *g, sk_align_result *out)
{
    slide_insertions(g);
    index_matches(g);
    sk_error err = place_fixed_text(g);
    if (err != SK_OK)
        return err;
    read_boxes(g, out);
    find_regions(g);
    err = find_alterations(g, out);
    if (err == SK_OK)
        err = find_insertions(g, out);
    if (err != SK_OK)
        return err;
    for (int k = 0; k < g->n_occ; k++) {
        const occ *o = &g->occs[k];
        g->parts[g->n_parts++] = (part){o->slot, k, o->lo, o->lo, o->hi, NULL};
    }
    return assemble_values(g, out);
}

/* Reads what it can when the texts differ too much for a diff: markers by
 * order, and a slot at the very end of the cell from after the last
 * occurrence of its label (備考：, the fixed text before it on its line); the
 * other slots stay empty. */
static sk_error fill_approximate(aligner *g, sk_align_result *out)
{
    out->approximate = true;
    out->altered = true;
    int i = 0;
    for (int j = 0; j < g->na; j++) {
        if (g->asym[j] != SYM_BOX)
            continue;
        bool checked = (g->aflag[j] & A_CHECKED) != 0;
        while (i < g->nt && g->tsym[i] != SYM_BOX)
            i++;
        if (i >= g->nt) {
            add_marker(out, -1, checked, g->aoff[j]);
            continue;
        }
        if (g->tkind[i] == T_BOX) {
            if (g->tref[i] >= 0)
                out->state[g->tref[i]] = checked ? SK_BOX_CHECKED : SK_BOX_UNCHECKED;
            add_marker(out, g->tref[i], checked, g->aoff[j]);
        }
        i++;
    }
    g->parts = xcalloc((size_t)g->n_occ, sizeof *g->parts);
    if (!g->parts)
        return SK_ERR_NOMEM;
    for (int k = 0; k < g->n_occ; k++) {
        const occ *o = &g->occs[k];
        if (o->end != g->nt)
            continue;
        int l = 0;
        while (l < LABEL_MAX && o->start - l - 1 >= 0 && g->tkind[o->start - l - 1] == T_FIXED &&
               (l == 0 || !line_break_between(g, o->start - l - 1, o->start - l)))
            l++;
        if (l < 2)
            continue;
        const uint32_t *label = g->tsym + o->start - l;
        for (int j = g->na - l; j >= 0; j--) {
            if (memcmp(g->asym + j, label, (size_t)l * sizeof *label) != 0)
                continue;
            size_t lo = g->aoff[j + l - 1] + g->alen[j + l - 1];
            g->parts[g->n_parts++] = (part){o->slot, k, lo, lo, g->len, NULL};
            break;
        }
    }
    return assemble_values(g, out);
}

/* Releases the aligner's work arrays. */
static void aligner_free(aligner *g)
{
    free(g->tblock);
    free(g->occs);
    free(g->ablock);
    free(g->diag_buf);
    free(g->parts);
}

/* The prepared side of the cell, built now if no alignment has needed it
 * yet; NULL if it cannot be built (the caller builds its own and reports
 * why). */
static const tside *prep_side(sk_align_prep *p, bool placeholders)
{
    tside *s = atomic_load_explicit(&p->side[placeholders], memory_order_acquire);
    if (s)
        return s;
    if (!(s = calloc(1, sizeof *s)))
        return NULL;
    if (build_side(p->cell, placeholders, s) != SK_OK) {
        side_free(s);
        free(s);
        return NULL;
    }
    tside *none = NULL;
    if (atomic_compare_exchange_strong_explicit(&p->side[placeholders], &none, s, memory_order_acq_rel,
                                                memory_order_acquire))
        return s;
    side_free(s); /* another thread published its copy first */
    free(s);
    return none;
}

/* Aligns once, with or without the placeholders in the template sequence,
 * within *budget diff steps (reduced by the steps taken); *deleted gets the
 * number of fixed template symbols left unmatched. */
static sk_error align_once(const sk_cell_def *cell, sk_align_prep *prep, const char *actual, size_t len,
                           bool placeholders, long *budget, sk_align_result *out, int *deleted)
{
    aligner g;
    tside own;
    sk_error err;
    memset(&g, 0, sizeof g);
    memset(&own, 0, sizeof own);
    memset(out, 0, sizeof *out);
    g.cell = cell;
    g.placeholders = placeholders;
    g.reference = prep && prep->reference;
    g.text = actual;
    g.len = len;
    g.max_steps = *budget;
    const tside *side = prep ? prep_side(prep, placeholders) : NULL;
    if (!side) {
        if ((err = build_side(cell, placeholders, &own)) != SK_OK)
            goto fail;
        side = &own;
    }
    use_side(&g, side);
    err = build_actual(&g, side);
    if (err != SK_OK)
        goto fail;
    out->state = xcalloc((size_t)(cell->n_options > 0 ? cell->n_options : 0), sizeof *out->state);
    out->values = xcalloc((size_t)(cell->n_slots > 0 ? cell->n_slots : 0), sizeof *out->values);
    out->markers = xcalloc((size_t)g.n_box, sizeof *out->markers);
    if (!out->state || !out->values || !out->markers) {
        err = SK_ERR_NOMEM;
        goto fail;
    }
    out->n_values = cell->n_slots > 0 ? cell->n_slots : 0;
    /* the whole template matched: read directly, unless fill_whole says
     * the full reading is needed (SK_ERR_USAGE) */
    err = !g.reference && g.head + g.tail == g.nt ? fill_whole(&g, side, out) : SK_ERR_USAGE;
    if (err == SK_ERR_USAGE) {
        err = bind_side(&g, side);
        if (err == SK_OK)
            err = run_diff(&g);
        if (err != SK_OK)
            goto fail;
        err = g.overflow ? fill_approximate(&g, out) : fill_exact(&g, out);
        *budget -= g.steps;
    }
    if (err != SK_OK)
        goto fail;
    *deleted = g.deleted; /* 0 when read directly */
    aligner_free(&g);
    side_free(&own);
    return SK_OK;
fail:
    aligner_free(&g);
    side_free(&own);
    sk_align_result_free(out);
    return err;
}

sk_error sk_align_prep_new(const sk_cell_def *cell, sk_align_prep **out)
{
    *out = NULL;
    if (!cell)
        return SK_ERR_USAGE;
    sk_align_prep *p = calloc(1, sizeof *p);
    if (!p)
        return SK_ERR_NOMEM;
    p->cell = cell;
    atomic_init(&p->side[0], NULL);
    atomic_init(&p->side[1], NULL);
    *out = p;
    return SK_OK;
}

void sk_align_prep_free(sk_align_prep *p)
{
    if (!p)
        return;
    for (int k = 0; k < 2; k++) {
        tside *s = atomic_load(&p->side[k]);
        if (s) {
            side_free(s);
            free(s);
        }
    }
    free(p);
}

sk_error sk_align_prep_template(sk_template *t)
{
    size_t n = (size_t)(t->n_items > 0 ? t->n_items : 0) * SK_PARTY__COUNT;
    sk_align_prep **v = xcalloc(n, sizeof *v);
    if (!v)
        return SK_ERR_NOMEM;
    t->align = v;
    for (size_t k = 0; k < n; k++) {
        const sk_cell_def *c = &t->items[k / SK_PARTY__COUNT].cells[k % SK_PARTY__COUNT];
        if (!c->absent && sk_align_prep_new(c, &v[k]) != SK_OK) {
            sk_align_prep_template_free(t);
            return SK_ERR_NOMEM;
        }
    }
    return SK_OK;
}

void sk_align_prep_template_free(sk_template *t)
{
    if (!t || !t->align)
        return;
    for (size_t k = 0; k < (size_t)t->n_items * SK_PARTY__COUNT; k++)
        sk_align_prep_free(t->align[k]);
    free(t->align);
    t->align = NULL;
}

sk_align_prep *sk_align_prep_of(const sk_template *t, int item, int party)
{
    if (!t || !t->align || item < 0 || item >= t->n_items || party < 0 || party >= SK_PARTY__COUNT)
        return NULL;
    return t->align[(size_t)item * SK_PARTY__COUNT + (size_t)party];
}

void sk_align_prep_reference(sk_align_prep *p)
{
    p->reference = true;
}

int sk_align_shortcuts(const sk_cell_def *cell, const char *text, size_t len)
{
    aligner g;
    tside own;
    memset(&g, 0, sizeof g);
    g.cell = cell;
    g.placeholders = true;
    g.text = text;
    g.len = len;
    int r = -1;
    sk_error err = build_side(cell, true, &own);
    if (err == SK_OK) {
        use_side(&g, &own);
        err = build_actual(&g, &own);
    }
    if (err == SK_OK) {
        r = g.copied ? SK_ALIGN_COPIED : 0;
        if (g.head + g.tail == g.nt && (err = whole_prepare(&g, &own)) == SK_OK)
            r |= SK_ALIGN_WHOLE;
        else if (err == SK_ERR_NOMEM)
            r = -1;
    }
    aligner_free(&g);
    side_free(&own);
    return r;
}

sk_error sk_align_cell(const sk_cell_def *cell, const char *actual, size_t len, sk_align_result *out, sk_diag *d)
{
    return sk_align_cell_prep(cell, NULL, actual, len, out, d);
}

sk_error sk_align_cell_prep(const sk_cell_def *cell, sk_align_prep *prep, const char *actual, size_t len,
                            sk_align_result *out, sk_diag *d)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!cell || !out || (!actual && len))
        return sk_diag_set(d, SK_ERR_USAGE, "sk_align_cell: missing argument");
    if (cell->absent)
        return sk_diag_set(d, SK_ERR_USAGE, "the cell is not answered by this party (―)");
    if (len > ALIGN_MAX_BYTES)
        return sk_diag_set(d, SK_ERR_LIMIT, "cell text of %zu bytes exceeds the limit of %zu bytes", len,
                           (size_t)ALIGN_MAX_BYTES);
    int deleted = 0, deleted2 = 0;
    long budget = ALIGN_MAX_STEPS;
    sk_error err = align_once(cell, prep, actual ? actual : "", len, true, &budget, out, &deleted);
    if (err == SK_OK && deleted > 0 && !out->approximate && budget > 0) {
        sk_align_result second;
        err = align_once(cell, prep, actual ? actual : "", len, false, &budget, &second, &deleted2);
        if (err == SK_OK && !second.approximate && deleted2 < deleted) {
            sk_align_result_free(out);
            *out = second;
        } else {
            sk_align_result_free(&second);
        }
    }
    if (err == SK_OK)
        return SK_OK;
    sk_align_result_free(out);
    if (err == SK_ERR_LIMIT)
        return sk_diag_set(d, err, "template cell text too long to align");
    return sk_diag_set(d, err, "out of memory aligning a cell");
}

void sk_align_result_free(sk_align_result *out)
{
    if (!out)
        return;
    for (int s = 0; out->values && s < out->n_values; s++)
        free(out->values[s]);
    free(out->values);
    free(out->state);
    free(out->markers);
    for (int a = 0; a < out->n_alterations; a++) {
        free(out->alterations[a].original);
        free(out->alterations[a].replacement);
    }
    free(out->alterations);
    for (int k = 0; k < out->n_insertions; k++)
        free(out->insertions[k].text);
    free(out->insertions);
    memset(out, 0, sizeof *out);
}

sk_error sk_cell_render(const sk_cell_def *cell, const sk_box_state *states, const char *const *values,
                        sk_buf *out)
{
    if (!cell || !out)
        return SK_ERR_USAGE;
    size_t mark = out->len;
    for (int s = 0; s < cell->n_segs; s++) {
        const sk_segment *seg = &cell->segs[s];
        sk_error err = SK_OK;
        if (seg->kind == SK_SEG_BOX) {
            bool checked =
                states && seg->index >= 0 && seg->index < cell->n_options && states[seg->index] == SK_BOX_CHECKED;
            err = sk_buf_append(out, checked ? "\u25A0" : "\u25A1");
        } else if (seg->kind == SK_SEG_SLOT && values && seg->index >= 0 && seg->index < cell->n_slots &&
                   values[seg->index] && *values[seg->index]) {
            err = sk_buf_append(out, values[seg->index]);
        } else if (seg->len) {
            err = sk_buf_append_len(out, seg->text, seg->len);
        }
        if (err != SK_OK) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            return err;
        }
    }
    return sk_buf_reserve(out, 0);
}
