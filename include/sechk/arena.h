/* sechk — a bump allocator for data that is freed all at once (the loaded
 * template).  Allocations are zeroed and aligned for any type.
 *
 * Ownership: everything allocated from an arena is released by
 * sk_arena_free; nothing is freed on its own.
 */
#ifndef SECHK_ARENA_H
#define SECHK_ARENA_H

#include <stddef.h>

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

#endif
