/* sechk — bump allocator. */
#include "sechk/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct sk_arena {
    block *head;
};

enum { BLOCK_SIZE = 64 * 1024 };

sk_arena *sk_arena_new(void)
{
    return calloc(1, sizeof(sk_arena));
}

void sk_arena_free(sk_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *sk_arena_alloc(sk_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > BLOCK_SIZE ? size : BLOCK_SIZE;
        b = calloc(1, sizeof(block) + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

char *sk_arena_strndup(sk_arena *a, const char *s, size_t len)
{
    char *p = sk_arena_alloc(a, len + 1);
    if (p && len)
        memcpy(p, s, len);
    return p;
}

char *sk_arena_strdup(sk_arena *a, const char *s)
{
    return s ? sk_arena_strndup(a, s, strlen(s)) : NULL;
}

/* The image: a header, the blocks' used bytes one after the other (oldest
 * first), then the offsets of the words to relocate. */
typedef struct image_head {
    char magic[8];
    uint64_t size;     /* bytes of data */
    uint64_t n_relocs; /* uint64_t offsets after the data */
    uint64_t root;     /* offset of the root in the data */
} image_head;

static const char image_magic[8] = "SKARENA1";

/* Where v points into the blocks (as an offset into the image data), or
 * UINT64_MAX.  A pointer just past a block's used bytes counts as in it. */
static uint64_t image_offset(block *const *bs, const uint64_t *base, size_t n, uintptr_t v)
{
    for (size_t k = 0; k < n; k++) {
        uintptr_t lo = (uintptr_t)bs[k]->data;
        if (v >= lo && v - lo <= bs[k]->used)
            return base[k] + (v - lo);
    }
    return UINT64_MAX;
}

sk_error sk_arena_image(const sk_arena *a, const void *root, bool (*foreign)(uintptr_t v, void *ctx), void *ctx,
                        sk_buf *out)
{
    size_t n = 0;
    for (block *b = a->head; b; b = b->next)
        n++;
    block **bs = calloc(n ? n : 1, sizeof *bs);
    uint64_t *base = calloc(n ? n : 1, sizeof *base);
    sk_buf relocs = SK_BUF_INIT;
    sk_error err = SK_OK;
    if (!bs || !base) {
        err = SK_ERR_NOMEM;
        goto out;
    }
    size_t k = n;
    for (block *b = a->head; b; b = b->next)
        bs[--k] = b;
    uint64_t size = 0;
    for (k = 0; k < n; k++) {
        base[k] = size;
        size += bs[k]->used;
    }
    image_head h = {.size = size};
    memcpy(h.magic, image_magic, sizeof h.magic);
    h.root = image_offset(bs, base, n, (uintptr_t)root);
    if (h.root == UINT64_MAX || h.root == size) {
        err = SK_ERR_TEMPLATE;
        goto out;
    }
    size_t head_at = out->len;
    if ((err = sk_buf_append_len(out, (const char *)&h, sizeof h)) != SK_OK)
        goto out;
    for (k = 0; k < n && !err; k++) {
        const char *data = (const char *)bs[k]->data;
        size_t data_at = out->len;
        if ((err = sk_buf_append_len(out, data, bs[k]->used)) != SK_OK)
            break;
        for (size_t w = 0; w + sizeof(uintptr_t) <= bs[k]->used; w += sizeof(uintptr_t)) {
            uintptr_t v;
            memcpy(&v, data + w, sizeof v);
            uint64_t off = image_offset(bs, base, n, v);
            if (off == UINT64_MAX) {
                if (v && foreign && foreign(v, ctx)) {
                    err = SK_ERR_TEMPLATE;
                    break;
                }
                continue;
            }
            uint64_t at = base[k] + w;
            memcpy(out->data + data_at + w, &off, sizeof off);
            if ((err = sk_buf_append_len(&relocs, (const char *)&at, sizeof at)) != SK_OK)
                break;
            h.n_relocs++;
        }
    }
    if (!err) {
        memcpy(out->data + head_at, &h, sizeof h);
        err = sk_buf_append_len(out, relocs.data ? relocs.data : "", relocs.len);
    }
out:
    free(bs);
    free(base);
    sk_buf_free(&relocs);
    return err;
}

void *sk_arena_from_image(const void *image, size_t len, sk_arena **out)
{
    *out = NULL;
    image_head h;
    if (len < sizeof h)
        return NULL;
    memcpy(&h, image, sizeof h);
    if (memcmp(h.magic, image_magic, sizeof h.magic) != 0 || h.size > len - sizeof h ||
        h.n_relocs > (len - sizeof h - h.size) / sizeof(uint64_t) || h.root >= h.size || h.size > SIZE_MAX / 2)
        return NULL;
    sk_arena *a = sk_arena_new();
    block *b = a ? malloc(sizeof(block) + (size_t)h.size) : NULL;
    if (!b) {
        free(a);
        return NULL;
    }
    b->next = NULL;
    b->used = b->cap = (size_t)h.size;
    a->head = b;
    const unsigned char *src = (const unsigned char *)image + sizeof h;
    char *data = (char *)b->data;
    memcpy(data, src, (size_t)h.size);
    for (uint64_t r = 0; r < h.n_relocs; r++) {
        uint64_t at, off;
        memcpy(&at, src + h.size + r * sizeof at, sizeof at);
        if (at > h.size - sizeof off) {
            sk_arena_free(a);
            return NULL;
        }
        memcpy(&off, data + at, sizeof off);
        if (off > h.size) {
            sk_arena_free(a);
            return NULL;
        }
        uintptr_t v = (uintptr_t)data + (uintptr_t)off;
        memcpy(data + at, &v, sizeof v);
    }
    *out = a;
    return data + h.root;
}
