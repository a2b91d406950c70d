/* sechk — a bounded reader of CFB (OLE2 compound file) containers.
 *
 * An encrypted .xlsx is a CFB file holding the streams EncryptionInfo and
 * EncryptedPackage; a legacy .xls holds a Workbook (or Book) stream.  This
 * module reads the directory of a CFB file held in memory and hands out the
 * streams at its root, within limits: the sector size is 512 or 4096, every
 * sector number is checked against the file, every chain (FAT, DIFAT,
 * directory, mini FAT, streams) is followed at most as many steps as the file
 * has sectors (a loop is an error, not a hang), the directory holds at most
 * SK_CFB_MAX_ENTRIES entries, and a stream's declared size must fit in the
 * file.
 *
 * Ownership: sk_cfb_open borrows data (it must outlive the sk_cfb) and
 * returns a reader to free with sk_cfb_close.  sk_cfb_read returns a new
 * buffer to free with free() (after zeroing it, if it held secrets).
 */
#ifndef SECHK_CFB_H
#define SECHK_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"

enum { SK_CFB_MAX_ENTRIES = 65536 };

typedef struct sk_cfb sk_cfb;

/* What a CFB file is, from the streams at its root. */
typedef enum sk_cfb_kind {
    SK_CFB_OTHER = 0,   /* some other OLE file (.doc, .msg, ...) */
    SK_CFB_ENCRYPTED,   /* EncryptionInfo + EncryptedPackage: an encrypted OOXML package */
    SK_CFB_XLS,         /* Workbook or Book: an Excel 97-2003 (BIFF) workbook */
} sk_cfb_kind;

/* True if the first bytes (n of them) are the CFB signature. */
bool sk_cfb_sniff(const unsigned char *data, size_t n);

/* Parses the header, FAT and directory of the CFB file data[0..size).
 * Fails with SK_ERR_FORMAT (d says why) on any inconsistency. */
sk_error sk_cfb_open(const unsigned char *data, size_t size, sk_cfb **out, sk_diag *d);

/* Frees the reader (NULL is fine). */
void sk_cfb_close(sk_cfb *c);

/* Finds the stream named name (ASCII, compared ignoring case as CFB does)
 * among the root storage's children. */
bool sk_cfb_find(const sk_cfb *c, const char *name, size_t *index);

/* Declared size of stream index (checked at open to fit in the file). */
uint64_t sk_cfb_size(const sk_cfb *c, size_t index);

/* Reads the whole stream index into a new buffer (*out, *len).  Fails with
 * SK_ERR_FORMAT when its sector chain is shorter than its size, loops, or
 * leaves the file. */
sk_error sk_cfb_read(const sk_cfb *c, size_t index, unsigned char **out, size_t *len, sk_diag *d);

/* Names what the file is. */
sk_cfb_kind sk_cfb_classify(const sk_cfb *c);

#endif
