/* sechk web — what emscripten 3.1.6's libc lacks, for the WebAssembly build
 * only (tools/build-web.sh force-includes this header). */
#ifndef SECHK_WEB_COMPAT_H
#define SECHK_WEB_COMPAT_H

#include <stddef.h>

/* GNU qsort_r (musl has it from 1.2.3; emscripten 3.1.6 does not). */
void qsort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *arg);

#endif
