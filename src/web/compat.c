/* sechk web — qsort_r and getrandom for emscripten 3.1.6 (see compat.h). */
#include "compat.h"

#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

/* The page runs on one thread: the comparison and its argument are kept
 * here for the duration of one sort (a nested qsort_r saves and restores
 * them). */
static int (*cur_cmp)(const void *, const void *, void *);
static void *cur_arg;

static int trampoline(const void *a, const void *b)
{
    return cur_cmp(a, b, cur_arg);
}

void qsort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *arg)
{
    int (*saved_cmp)(const void *, const void *, void *) = cur_cmp;
    void *saved_arg = cur_arg;
    cur_cmp = cmp;
    cur_arg = arg;
    qsort(base, n, size, trampoline);
    cur_cmp = saved_cmp;
    cur_arg = saved_arg;
}

/* Declared by emscripten 3.1.6's <sys/random.h> but not defined in its
 * libc; getentropy (the browser's crypto.getRandomValues) gives at most
 * 256 bytes a call, more than the staging names need. */
ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
    (void)flags;
    if (len > 256)
        len = 256;
    return getentropy(buf, len) == 0 ? (ssize_t)len : -1;
}
