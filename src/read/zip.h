/* sechk — private: the zip container of a workbook, read within limits.
 *
 * sk_zip_open opens a regular file, sniffs what it is (empty, CFB/OLE, not a
 * zip, OpenDocument), hashes it, reads the central directory itself to check
 * every entry (count, unsafe or case-colliding names, compression method,
 * encryption, overlapping or out-of-file spans) and then hands the file to
 * libzip for inflating.  Streams over entries count the bytes they actually
 * deliver against the per-entry, total and ratio limits.
 *
 * Ownership: sk_zip_open returns a zip to close with sk_zip_close; a stream
 * from sk_zip_stream_open is closed with sk_zip_stream_close before the zip.
 * Names returned by sk_zip_name live as long as the zip.
 */
#ifndef SECHK_READ_ZIP_H
#define SECHK_READ_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/crypt.h"
#include "sechk/error.h"
#include "sechk/limits.h"

typedef struct sk_zip sk_zip;
typedef struct sk_zip_stream sk_zip_stream;

/* Opens and checks the zip at path under limits (copied).  On failure
 * returns the error and fills d's reason (and where, for an entry). */
sk_error sk_zip_open(const char *path, const sk_limits *limits, sk_zip **out, sk_diag *d);

/* Like sk_zip_open, and: a CFB file is named (encrypted workbook, .xls,
 * other OLE file); an encrypted workbook is decrypted in memory with the
 * password o gives (o may be NULL: no password, Japanese messages), its
 * package read from an anonymous memory file that is zeroed at close, and
 * the hash is the encrypted file's.  *legacy is set for an .xls or .ods that
 * --convert could read. */
sk_error sk_zip_open_opts(const char *path, const sk_limits *limits, const sk_open_opts *o, sk_zip **out,
                          bool *legacy, sk_diag *d);

/* Replaces the file hash reported by sk_zip_sha256 (hex, 64 digits). */
void sk_zip_set_sha256(sk_zip *z, const char *hex);

/* Messages about encrypted and legacy inputs, in o's language (ja if o is
 * NULL); some take a %s (the encryption's name). */
typedef enum sk_open_msg_id {
    SK_MSG_ENCRYPTED,
    SK_MSG_WRONG_PASSWORD,
    SK_MSG_UNSUPPORTED,
    SK_MSG_XLS,
    SK_MSG_ODS,
    SK_MSG_XLSB,
    SK_MSG_OLE,
    SK_MSG_NO_SOFFICE,
    SK_MSG__COUNT
} sk_open_msg_id;
const char *sk_open_msg(const sk_open_opts *o, sk_open_msg_id id);

/* Closes the zip (NULL is fine). */
void sk_zip_close(sk_zip *z);

/* Hex SHA-256 of the file's bytes. */
const char *sk_zip_sha256(const sk_zip *z);

/* Number of entries, and the raw name of entry i. */
size_t sk_zip_count(const sk_zip *z);
const char *sk_zip_name(const sk_zip *z, size_t i);

/* Finds the entry named name, ignoring ASCII case as Excel does (names that
 * differ only in case were refused at open, so the match is unique). */
bool sk_zip_find(const sk_zip *z, const char *name, size_t *index);

/* Opens a bounded stream over entry i. */
sk_error sk_zip_stream_open(sk_zip *z, size_t i, sk_zip_stream **out, sk_diag *d);

/* Reads up to cap inflated bytes into buf; *n is 0 at the end of the entry.
 * Fails with SK_ERR_LIMIT when the entry or the book passes a limit, and
 * with SK_ERR_ZIP when libzip reports damage (a CRC error among others). */
sk_error sk_zip_stream_read(sk_zip_stream *s, void *buf, size_t cap, size_t *n, sk_diag *d);

/* Closes the stream (NULL is fine). */
void sk_zip_stream_close(sk_zip_stream *s);

/* Copies name into out (cap bytes) for a message: bytes outside printable
 * ASCII and UTF-8 are replaced by '?', and a long name is shortened. */
void sk_zip_quote_name(const char *name, char *out, size_t cap);

#endif
