/* sechk — limits for untrusted input (brief section 8).
 *
 * Every limit is counted on the bytes actually read, never on sizes a zip
 * claims.  Each has a default and a command-line option (--max-…).
 */
#ifndef SECHK_LIMITS_H
#define SECHK_LIMITS_H

#include <stdint.h>

typedef struct sk_limits {
    uint64_t file_bytes;      /* compressed file size: 100 MiB */
    uint64_t entry_bytes;     /* one zip entry inflated: 256 MiB */
    uint64_t total_bytes;     /* all entries inflated: 1 GiB */
    uint32_t ratio;           /* inflate ratio for entries over 1 MiB: 100 */
    uint32_t entries;         /* zip entries: 10,000 */
    uint64_t cells;           /* cells in one sheet: 5,000,000 */
    uint64_t strings;         /* shared strings: 5,000,000 */
    uint64_t string_bytes;    /* one cell's text: 1 MiB */
    uint32_t sheets;          /* sheets in the workbook: 1,000 */
} sk_limits;

/* Fills l with the defaults. */
void sk_limits_default(sk_limits *l);

#endif
