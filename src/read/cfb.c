/* sechk — a bounded reader of CFB (OLE2) containers ([MS-CFB]). */
#include "sechk/cfb.h"

#include <stdlib.h>
#include <string.h>

#include "le.h"

enum {
    HEADER_LEN = 512,
    DIFAT_IN_HEADER = 109,
    DIR_ENTRY_LEN = 128,
    NAME_UNITS = 32,
    TYPE_STORAGE = 1,
    TYPE_STREAM = 2,
    TYPE_ROOT = 5,
    MINI_CUTOFF = 4096,
};

#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT 0xFFFFFFFFu
#define MAXREGSECT 0xFFFFFFFAu
#define NOSTREAM 0xFFFFFFFFu

static const unsigned char signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* One directory entry, as much of it as we use. */
typedef struct cfb_entry {
    char name[NAME_UNITS * 3 + 1]; /* UTF-16 name, non-ASCII units as '?' */
    uint8_t type;
    uint32_t left, right, child;
    uint32_t start;
    uint64_t size;
} cfb_entry;

struct sk_cfb {
    const unsigned char *data;
    size_t size;
    uint32_t ssz;      /* sector size: 512 or 4096 */
    uint32_t nsect;    /* sectors in the file after the header */
    uint32_t *fat;     /* [n_fat] */
    uint32_t n_fat;
    uint32_t *minifat; /* [n_minifat] */
    uint32_t n_minifat;
    unsigned char *ministream; /* the root entry's stream, read at open */
    size_t ministream_len;
    cfb_entry *e;
    size_t n;
    size_t *root_children; /* indexes of the root storage's children */
    size_t n_root;
};

bool sk_cfb_sniff(const unsigned char *data, size_t n)
{
    return n >= sizeof signature && memcmp(data, signature, sizeof signature) == 0;
}

/* The bytes of sector s, or NULL if it lies outside the file. */
static const unsigned char *sector(const sk_cfb *c, uint32_t s)
{
    if (s >= c->nsect)
        return NULL;
    return c->data + (size_t)(s + 1) * c->ssz;
}

static sk_error bad(sk_diag *d, const char *what)
{
    return sk_diag_set(d, SK_ERR_FORMAT, "damaged OLE/CFB container: %s", what);
}

/* Follows a chain from start through table (n entries) for want sectors,
 * filling out[0..want) with the sector numbers.  A chain that ends early,
 * points outside the table or visits a sector twice (a loop) is an error. */
static sk_error chain(const uint32_t *table, uint32_t n, uint32_t start, uint32_t want, uint32_t *out,
                      const char *what, sk_diag *d)
{
    unsigned char *seen = calloc((size_t)n / 8 + 1, 1);
    if (!seen)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    uint32_t s = start;
    for (uint32_t i = 0; i < want; i++) {
        if (s >= n || s > MAXREGSECT || (seen[s / 8] & (1u << (s % 8)))) {
            free(seen);
            return sk_diag_set(d, SK_ERR_FORMAT, "damaged OLE/CFB container: the %s chain is broken or loops",
                               what);
        }
        seen[s / 8] |= (unsigned char)(1u << (s % 8));
        out[i] = s;
        s = table[s];
    }
    free(seen);
    return SK_OK;
}

/* Reads the FAT: the DIFAT in the header, then the DIFAT sector chain. */
static sk_error read_fat(sk_cfb *c, const unsigned char *h, sk_diag *d)
{
    uint32_t n_fat_sect = le32(h + 0x2C), difat = le32(h + 0x44), n_difat = le32(h + 0x48);
    uint32_t per = c->ssz / 4;
    if (n_fat_sect > c->nsect / per + 1 || n_fat_sect == 0)
        return bad(d, "the FAT sector count does not fit the file");
    if (n_difat > c->nsect)
        return bad(d, "the DIFAT sector count does not fit the file");
    c->n_fat = n_fat_sect * per;
    c->fat = calloc(c->n_fat, sizeof *c->fat);
    if (!c->fat)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    uint32_t got = 0;
    for (uint32_t i = 0; i < DIFAT_IN_HEADER && got < n_fat_sect; i++) {
        const unsigned char *s = sector(c, le32(h + 0x4C + 4 * i));
        if (!s)
            return bad(d, "a FAT sector lies outside the file");
        for (uint32_t k = 0; k < per; k++)
            c->fat[got * per + k] = le32(s + 4 * k);
        got++;
    }
    for (uint32_t j = 0; j < n_difat && got < n_fat_sect; j++) {
        const unsigned char *ds = sector(c, difat);
        if (!ds)
            return bad(d, "a DIFAT sector lies outside the file");
        for (uint32_t i = 0; i + 1 < per && got < n_fat_sect; i++) {
            const unsigned char *s = sector(c, le32(ds + 4 * i));
            if (!s)
                return bad(d, "a FAT sector lies outside the file");
            for (uint32_t k = 0; k < per; k++)
                c->fat[got * per + k] = le32(s + 4 * k);
            got++;
        }
        difat = le32(ds + 4 * (per - 1));
    }
    if (got < n_fat_sect)
        return bad(d, "the DIFAT lists fewer FAT sectors than the header declares");
    return SK_OK;
}

/* Reads len bytes along the chain from start through table (n usable
 * entries) into a new buffer: sector s holds the unit bytes at
 * base + s * unit.  The caller has bounded len so that the sector count
 * fits in 32 bits, and n so that every sector below it lies in base. */
static sk_error gather(const uint32_t *table, uint32_t n, uint32_t start, uint64_t len,
                       const unsigned char *base, uint32_t unit, const char *what, unsigned char **out,
                       sk_diag *d)
{
    uint32_t want = (uint32_t)((len + unit - 1) / unit);
    uint32_t *secs = calloc(want ? want : 1, sizeof *secs);
    unsigned char *buf = malloc(len ? (size_t)len : 1);
    sk_error err = SK_OK;
    if (!secs || !buf) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((err = chain(table, n, start, want, secs, what, d)) != SK_OK)
        goto done;
    for (uint32_t i = 0; i < want; i++) {
        size_t off = (size_t)i * unit, k = len - off < unit ? (size_t)(len - off) : unit;
        memcpy(buf + off, base + (size_t)secs[i] * unit, k);
    }
done:
    free(secs);
    if (err != SK_OK) {
        free(buf);
        return err;
    }
    *out = buf;
    return SK_OK;
}

/* Reads a regular (non-mini) chain of len bytes into a new buffer. */
static sk_error read_regular(const sk_cfb *c, uint32_t start, uint64_t len, const char *what,
                             unsigned char **out, sk_diag *d)
{
    uint64_t want64 = (len + c->ssz - 1) / c->ssz;
    *out = NULL;
    if (want64 > c->nsect)
        return sk_diag_set(d, SK_ERR_FORMAT, "damaged OLE/CFB container: the %s is larger than the file", what);
    uint32_t n = c->n_fat < c->nsect ? c->n_fat : c->nsect;
    return gather(c->fat, n, start, len, c->data + c->ssz, c->ssz, what, out, d);
}

/* Reads a stream held in the mini stream (len is below MINI_CUTOFF). */
static sk_error read_mini(const sk_cfb *c, uint32_t start, uint64_t len, unsigned char **out, sk_diag *d)
{
    *out = NULL;
    uint32_t n = c->n_minifat;
    if ((size_t)n > c->ministream_len / 64)
        n = (uint32_t)(c->ministream_len / 64);
    return gather(c->minifat, n, start, len, c->ministream, 64, "mini stream", out, d);
}

/* Decodes one 128-byte directory entry. */
static void parse_entry(const unsigned char *p, bool v3, cfb_entry *e)
{
    uint16_t nlen = le16(p + 0x40);
    size_t units = nlen >= 2 && nlen <= 64 ? nlen / 2 - 1 : 0, o = 0;
    for (size_t i = 0; i < units; i++) {
        uint16_t u = le16(p + 2 * i);
        e->name[o++] = u >= 0x20 && u < 0x7F ? (char)u : '?';
    }
    e->name[o] = '\0';
    e->type = p[0x42];
    e->left = le32(p + 0x44);
    e->right = le32(p + 0x48);
    e->child = le32(p + 0x4C);
    e->start = le32(p + 0x74);
    e->size = v3 ? le32(p + 0x78) : le64(p + 0x78);
}

/* Reads the directory chain into c->e. */
static sk_error read_directory(sk_cfb *c, const unsigned char *h, bool v3, sk_diag *d)
{
    uint32_t first = le32(h + 0x30), per = c->ssz / DIR_ENTRY_LEN, count = 0;
    uint32_t s = first;
    /* count the chain first, at most nsect steps */
    while (s != ENDOFCHAIN) {
        if (s >= c->nsect || s >= c->n_fat || count >= c->nsect)
            return bad(d, "the directory chain is broken or loops");
        count++;
        s = c->fat[s];
    }
    if (count == 0)
        return bad(d, "no directory");
    if ((uint64_t)count * per > SK_CFB_MAX_ENTRIES)
        return sk_diag_set(d, SK_ERR_LIMIT, "the OLE/CFB directory has more than %u entries",
                           (unsigned)SK_CFB_MAX_ENTRIES);
    c->e = calloc((size_t)count * per, sizeof *c->e);
    if (!c->e)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    s = first;
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *sec = sector(c, s);
        for (uint32_t k = 0; k < per; k++)
            parse_entry(sec + k * DIR_ENTRY_LEN, v3, &c->e[c->n++]);
        s = c->fat[s];
    }
    if (c->e[0].type != TYPE_ROOT)
        return bad(d, "the first directory entry is not the root");
    return SK_OK;
}

/* Checks every stream's size against the file. */
static sk_error check_sizes(const sk_cfb *c, sk_diag *d)
{
    uint64_t cap = (uint64_t)c->nsect * c->ssz;
    for (size_t i = 0; i < c->n; i++) {
        const cfb_entry *e = &c->e[i];
        if ((e->type == TYPE_STREAM || e->type == TYPE_ROOT) && e->size > cap)
            return sk_diag_set(d, SK_ERR_FORMAT,
                               "damaged OLE/CFB container: stream %s declares %llu bytes, more than the "
                               "file holds",
                               e->name, (unsigned long long)e->size);
    }
    return SK_OK;
}

/* Reads the mini FAT and the mini stream (the root entry's data). */
static sk_error read_mini_tables(sk_cfb *c, const unsigned char *h, sk_diag *d)
{
    uint32_t first = le32(h + 0x3C), count = le32(h + 0x40);
    sk_error err;
    if (first == ENDOFCHAIN || count == 0)
        return SK_OK;
    if (count > c->nsect)
        return bad(d, "the mini FAT sector count does not fit the file");
    unsigned char *raw = NULL;
    if ((err = read_regular(c, first, (uint64_t)count * c->ssz, "mini FAT", &raw, d)) != SK_OK)
        return err;
    c->n_minifat = count * (c->ssz / 4);
    c->minifat = calloc(c->n_minifat, sizeof *c->minifat);
    if (!c->minifat) {
        free(raw);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < c->n_minifat; i++)
        c->minifat[i] = le32(raw + 4 * i);
    free(raw);
    const cfb_entry *root = &c->e[0];
    if (root->size == 0)
        return SK_OK;
    if ((err = read_regular(c, root->start, root->size, "mini stream", &c->ministream, d)) != SK_OK)
        return err;
    c->ministream_len = (size_t)root->size;
    return SK_OK;
}

/* Collects the root storage's children: an in-order walk of the red-black
 * tree under root's child, each entry visited once (a cycle is an error). */
static sk_error collect_root(sk_cfb *c, sk_diag *d)
{
    bool *seen = calloc(c->n, sizeof *seen);
    size_t *stack = calloc(c->n, sizeof *stack);
    c->root_children = calloc(c->n, sizeof *c->root_children);
    sk_error err = SK_OK;
    if (!seen || !stack || !c->root_children) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t top = 0;
    uint32_t cur = c->e[0].child;
    seen[0] = true;
    for (;;) {
        while (cur != NOSTREAM) {
            if (cur >= c->n || seen[cur] || top >= c->n) {
                err = bad(d, "the directory tree is broken or loops");
                goto done;
            }
            seen[cur] = true;
            stack[top++] = cur;
            cur = c->e[cur].left;
        }
        if (top == 0)
            break;
        size_t i = stack[--top];
        c->root_children[c->n_root++] = i;
        cur = c->e[i].right;
    }
done:
    free(seen);
    free(stack);
    return err;
}

sk_error sk_cfb_open(const unsigned char *data, size_t size, sk_cfb **out, sk_diag *d)
{
    sk_error err;
    *out = NULL;
    if (size < HEADER_LEN || !sk_cfb_sniff(data, size))
        return bad(d, "the header is truncated");
    sk_cfb *c = calloc(1, sizeof *c);
    if (!c)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    c->data = data;
    c->size = size;
    uint16_t major = le16(data + 0x1A), shift = le16(data + 0x1E), mshift = le16(data + 0x20);
    if (le16(data + 0x1C) != 0xFFFE || !((major == 3 && shift == 9) || (major == 4 && shift == 12)) ||
        mshift != 6 || le32(data + 0x38) != MINI_CUTOFF) {
        err = bad(d, "unsupported header (version, byte order or sector size)");
        goto fail;
    }
    c->ssz = 1u << shift;
    /* only whole sectors count: a trimmed last sector is not read */
    c->nsect = (uint32_t)((size - (size >= c->ssz ? c->ssz : size)) / c->ssz);
    if (c->nsect == 0) {
        err = bad(d, "no sectors");
        goto fail;
    }
    if ((err = read_fat(c, data, d)) != SK_OK || (err = read_directory(c, data, major == 3, d)) != SK_OK ||
        (err = check_sizes(c, d)) != SK_OK || (err = read_mini_tables(c, data, d)) != SK_OK ||
        (err = collect_root(c, d)) != SK_OK)
        goto fail;
    *out = c;
    return SK_OK;
fail:
    sk_cfb_close(c);
    return err;
}

void sk_cfb_close(sk_cfb *c)
{
    if (!c)
        return;
    free(c->fat);
    free(c->minifat);
    free(c->ministream);
    free(c->e);
    free(c->root_children);
    free(c);
}

/* ASCII case-insensitive equality. */
static bool name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'a' && x <= 'z')
            x -= 32;
        if (y >= 'a' && y <= 'z')
            y -= 32;
        if (x != y)
            return false;
        if (x == 0)
            return true;
    }
}

bool sk_cfb_find(const sk_cfb *c, const char *name, size_t *index)
{
    for (size_t k = 0; k < c->n_root; k++) {
        size_t i = c->root_children[k];
        if (c->e[i].type == TYPE_STREAM && name_eq(c->e[i].name, name)) {
            *index = i;
            return true;
        }
    }
    return false;
}

uint64_t sk_cfb_size(const sk_cfb *c, size_t index)
{
    return index < c->n ? c->e[index].size : 0;
}

sk_error sk_cfb_read(const sk_cfb *c, size_t index, unsigned char **out, size_t *len, sk_diag *d)
{
    *out = NULL;
    *len = 0;
    if (index >= c->n || c->e[index].type != TYPE_STREAM)
        return sk_diag_set(d, SK_ERR_USAGE, "no CFB stream %zu", index);
    const cfb_entry *e = &c->e[index];
    sk_error err = e->size < MINI_CUTOFF ? read_mini(c, e->start, e->size, out, d)
                                         : read_regular(c, e->start, e->size, "stream", out, d);
    if (err == SK_OK)
        *len = (size_t)e->size;
    return err;
}

sk_cfb_kind sk_cfb_classify(const sk_cfb *c)
{
    size_t i;
    if (sk_cfb_find(c, "EncryptionInfo", &i) && sk_cfb_find(c, "EncryptedPackage", &i))
        return SK_CFB_ENCRYPTED;
    if (sk_cfb_find(c, "Workbook", &i) || sk_cfb_find(c, "Book", &i))
        return SK_CFB_XLS;
    return SK_CFB_OTHER;
}
