/* sechk — default limits for untrusted input (brief section 8). */
#include "sechk/limits.h"

#include <string.h>

/* Fills l with the documented defaults. */
void sk_limits_default(sk_limits *l)
{
    memset(l, 0, sizeof *l);
    l->file_bytes = UINT64_C(100) << 20;
    l->entry_bytes = UINT64_C(256) << 20;
    l->total_bytes = UINT64_C(1) << 30;
    l->ratio = 100;
    l->entries = 10000;
    l->cells = 5000000;
    l->strings = 5000000;
    l->string_bytes = UINT64_C(1) << 20;
    l->sheets = 1000;
}
