/* sechk web — qsort_r for emscripten 3.1.6 (see compat.h). */
#include "compat.h"

#include <stdlib.h>

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
