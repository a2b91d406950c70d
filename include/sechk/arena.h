/* sechk — a bump allocator for data that is freed all at once (the loaded
 * template).  Allocations are zeroed and aligned for any type.
 *
 * Ownership: everything allocated from an arena is released by
 * sk_arena_free; nothing is freed on its own.
 */
#ifndef SECHK_ARENA_H
#define SECHK_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"
#include "sechk/text.h"

typedef struct sk_arena sk_arena;

/* Returns a new empty arena, or NULL on no memory. */
sk_arena *sk_arena_new(void);
/* Frees the arena and everything allocated from it (NULL is fine). */
void sk_arena_free(sk_arena *a);
/* Returns size zeroed bytes, or NULL on no memory. */
void *sk_arena_alloc(sk_arena *a, size_t size);
/* Returns a NUL-terminated copy of s[0..len), or NULL on no memory. */
char *sk_arena_strndup(sk_arena *a, const char *s, size_t len);
/* Returns a copy of the NUL-terminated s (NULL gives NULL). */
char *sk_arena_strdup(sk_arena *a, const char *s);

/* Images: an arena's contents as one position-independent block of bytes,
 * so that a structure built at build time (the default template) is loaded
 * with one copy and a relocation pass instead of being built again.
 *
 * sk_arena_image appends to out the image of every block of a, with each
 * aligned word that points into a block recorded as a relocation, and root
 * (which must point into a) as the entry.  A word that foreign(v, ctx)
 * says is a pointer elsewhere (e.g. a string literal) makes it fail with
 * SK_ERR_TEMPLATE: such a pointer cannot survive the move.
 *
 * sk_arena_from_image copies an image into a new arena and relocates it;
 * returns the root, or NULL if the image is malformed or memory runs out. */
sk_error sk_arena_image(const sk_arena *a, const void *root, bool (*foreign)(uintptr_t v, void *ctx), void *ctx,
                        sk_buf *out);
void *sk_arena_from_image(const void *image, size_t len, sk_arena **out);

#endif
