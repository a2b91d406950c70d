/* sechk — the zip container of a workbook: sniffing, entry checks, bounded reads. */
#include "zip.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "sechk/cfb.h"
#include "sechk/crypt.h"
#include "sechk/sha256.h"
#include "sechk/text.h"

#include "le.h"

enum {
    CHUNK = 64 * 1024,
    /* A file up to this size is read into memory once: hashed, parsed and
     * handed to libzip from there (a submission is tens of KiB; libzip over
     * a descriptor makes some 60 lseek/read/fstat calls a file).  Larger
     * files are read through the descriptor, so memory stays flat. */
    MEM_MAX = 4 * 1024 * 1024,
    EOCD_LEN = 22,
    EOCD_MAX_COMMENT = 65535,
    ZIP64_LOCATOR_LEN = 20,
    ZIP64_EOCD_LEN = 56,
    CDIR_LEN = 46,
    LOCAL_LEN = 30,
    METHOD_STORE = 0,
    METHOD_DEFLATE = 8,
    FLAG_ENCRYPTED = 1u << 0,
    FLAG_STRONG_ENCRYPTION = 1u << 6,
    NAME_QUOTE = 200,
};

#define SIG_LOCAL 0x04034b50u
#define SIG_CDIR 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_ZIP64_EOCD 0x06064b50u
#define SIG_ZIP64_LOCATOR 0x07064b50u

/* The ratio limit applies only to entries that inflate beyond this. */
#define RATIO_FLOOR (UINT64_C(1) << 20)

/* One entry as the central directory describes it. */
typedef struct zip_entry {
    char *name;
    uint16_t flags;
    uint16_t method;
    uint32_t crc;    /* CRC-32 of the inflated data, as the central directory says */
    uint64_t csize;  /* compressed size (checked to fit in the file) */
    uint64_t offset; /* local header offset */
    uint64_t end;    /* end of the local header and the compressed data */
} zip_entry;

struct sk_zip {
    zip_t *za;
    sk_limits lim;
    zip_entry *e;
    size_t n;
    size_t *by_name; /* entry indexes sorted by name, ignoring ASCII case */
    uint64_t total;  /* inflated bytes delivered over all streams */
    char sha256[SK_SHA256_HEX_LEN];
    int wipe_fd; /* a memfd holding a decrypted package, zeroed at close; -1 if none */
    uint64_t wipe_len;
};

/* A stream over a stored entry lets libzip read it (and check its CRC); a
 * deflated entry is read compressed from libzip and inflated here, so that
 * the ratio limit compares the bytes inflated so far with the compressed
 * bytes consumed so far, and a bomb stops after about a mebibyte instead of
 * at the per-entry limit. */
struct sk_zip_stream {
    sk_zip *z;
    zip_file_t *zf;
    size_t index;
    uint64_t delivered;
    bool inflating;     /* a deflated entry, inflated here */
    bool inflate_ready; /* inflateInit2 succeeded */
    bool in_eof;        /* libzip has handed over all compressed bytes */
    bool done;          /* the deflate stream ended */
    z_stream zs;
    uint64_t fed; /* compressed bytes handed to inflate */
    uint32_t crc;
    unsigned char *in; /* CHUNK bytes of compressed input */
};

/* Lowercases an ASCII letter; other bytes unchanged (locale-independent). */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Compares two strings ignoring ASCII case only. */
static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = ascii_lower((unsigned char)*a), cb = ascii_lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

/* Copies a name for a message, replacing control bytes and shortening it. */
void sk_zip_quote_name(const char *name, char *out, size_t cap)
{
    size_t len = strlen(name), pos = 0, o = 0;
    if (cap == 0)
        return;
    while (pos < len) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(name, len, &pos);
        size_t n = pos - start;
        bool ok = cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0);
        if (o + (ok ? n : 1) + 4 > cap) {
            if (o + 4 <= cap) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (ok) {
            memcpy(out + o, name + start, n);
            o += n;
        } else {
            out[o++] = '?';
        }
    }
    out[o] = '\0';
}

/* The bytes of the file being opened: its descriptor, and its whole
 * content when it was read into memory (mem, size bytes). */
typedef struct zip_in {
    int fd;
    unsigned char *mem;
    uint64_t size;
} zip_in;

/* Reads exactly n bytes at off; a short read means the file is truncated. */
static sk_error read_at(const zip_in *in, void *buf, size_t n, uint64_t off, sk_diag *d)
{
    if (in->mem) {
        if (off > in->size || n > in->size - off)
            return sk_diag_set(d, SK_ERR_ZIP, "the zip is truncated (damaged file)");
        memcpy(buf, in->mem + off, n);
        return SK_OK;
    }
    int fd = in->fd;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return sk_diag_set(d, SK_ERR_IO, "read error: %s", strerror(errno));
        if (r == 0)
            return sk_diag_set(d, SK_ERR_ZIP, "the zip is truncated (damaged file)");
        got += (size_t)r;
    }
    return SK_OK;
}

/* Explains why a file that is not a regular file is refused. */
static const char *not_regular_reason(mode_t mode)
{
    if (S_ISDIR(mode))
        return "is a directory, not a file";
    if (S_ISFIFO(mode))
        return "is a FIFO (named pipe), not a regular file";
    if (S_ISCHR(mode))
        return "is a character device, not a regular file";
    if (S_ISBLK(mode))
        return "is a block device, not a regular file";
    if (S_ISSOCK(mode))
        return "is a socket, not a regular file";
    return "is not a regular file";
}

/* Opens path for reading and refuses anything but a regular file within the
 * size limit.  O_NONBLOCK keeps open() from waiting on a FIFO's writer. */
static sk_error open_regular(const char *path, const sk_limits *lim, int *fd_out,
                             uint64_t *size, sk_diag *d)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return sk_diag_set(d, SK_ERR_IO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return sk_diag_set(d, SK_ERR_IO, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return sk_diag_set(d, SK_ERR_IO, "%s", not_regular_reason(st.st_mode));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if ((uint64_t)st.st_size > lim->file_bytes) {
        close(fd);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "file is %llu bytes, more than %llu (limit --max-file-bytes)",
                           (unsigned long long)st.st_size, (unsigned long long)lim->file_bytes);
    }
    *fd_out = fd;
    *size = (uint64_t)st.st_size;
    return SK_OK;
}

/* Reads and hashes the whole file: into in->mem when it is set (size + 1
 * bytes, so that a file that grew is seen), else CHUNK bytes at a time
 * through buf.  The bytes read, not the size fstat gave, are checked
 * against the limit. */
static sk_error hash_file(const zip_in *in, const sk_limits *lim, unsigned char *buf, char hex[SK_SHA256_HEX_LEN],
                          sk_diag *d)
{
    sk_sha256_ctx c;
    uint64_t total = 0;
    sk_sha256_init(&c);
    for (;;) {
        unsigned char *to = in->mem ? in->mem + total : buf;
        size_t want = in->mem ? (size_t)(in->size + 1 - total) : CHUNK;
        if (want == 0)
            break; /* the file grew */
        ssize_t r = pread(in->fd, to, want, (off_t)total);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return sk_diag_set(d, SK_ERR_IO, "read error: %s", strerror(errno));
        if (r == 0)
            break;
        total += (uint64_t)r;
        if (total > lim->file_bytes)
            return sk_diag_set(d, SK_ERR_LIMIT,
                               "file is more than %llu bytes (limit --max-file-bytes)",
                               (unsigned long long)lim->file_bytes);
        sk_sha256_update(&c, to, (size_t)r);
    }
    if (total != in->size)
        return sk_diag_set(d, SK_ERR_IO, "the file changed while it was being read");
    uint8_t digest[SK_SHA256_LEN];
    sk_sha256_final(&c, digest);
    sk_sha256_hex(digest, hex);
    return SK_OK;
}

/* Names what the file is from its first bytes, or accepts a zip. */
static sk_error sniff_magic(const unsigned char *m, size_t n, sk_diag *d)
{
    static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n == 0)
        return sk_diag_set(d, SK_ERR_FORMAT, "empty file");
    if (n == 8 && memcmp(m, cfb, 8) == 0)
        return sk_diag_set(d, SK_ERR_FORMAT, "an OLE/CFB container");
    if (n >= 4 && memcmp(m, "PK\5\6", 4) == 0)
        return sk_diag_set(d, SK_ERR_FORMAT, "an empty zip archive (not an .xlsx workbook)");
    if (n < 4 || memcmp(m, "PK\3\4", 4) != 0)
        return sk_diag_set(d, SK_ERR_FORMAT, "not a zip file (not an .xlsx workbook)");
    return SK_OK;
}

/* Where the central directory is, from the end records. */
typedef struct cdir_loc {
    uint64_t count;
    uint64_t offset;
    uint64_t size;
    uint64_t limit; /* the directory must end at or before this offset */
} cdir_loc;

/* Finds the end-of-central-directory record (and its zip64 form) in the
 * last 64 KiB of the file. */
static sk_error find_cdir(const zip_in *in, uint64_t size, unsigned char *buf, cdir_loc *loc, sk_diag *d)
{
    size_t tail = size < EOCD_LEN + EOCD_MAX_COMMENT ? (size_t)size : EOCD_LEN + EOCD_MAX_COMMENT;
    if (tail < EOCD_LEN)
        return sk_diag_set(d, SK_ERR_ZIP, "the zip is truncated (damaged file)");
    uint64_t base = size - tail;
    sk_error err = read_at(in, buf, tail, base, d);
    if (err != SK_OK)
        return err;
    size_t p = tail - EOCD_LEN + 1;
    bool found = false;
    while (p-- > 0) {
        if (le32(buf + p) == SIG_EOCD && p + EOCD_LEN + le16(buf + p + 20) <= tail) {
            found = true;
            break;
        }
    }
    if (!found)
        return sk_diag_set(d, SK_ERR_ZIP,
                           "no end of central directory record (a truncated or damaged zip)");
    const unsigned char *e = buf + p;
    uint64_t eocd = base + p;
    if (le16(e + 4) != 0 || le16(e + 6) != 0)
        return sk_diag_set(d, SK_ERR_ZIP, "multi-volume zip archives are not supported");
    loc->count = le16(e + 10);
    loc->size = le32(e + 12);
    loc->offset = le32(e + 16);
    loc->limit = eocd;
    bool zip64 = loc->count == 0xFFFF || loc->size == 0xFFFFFFFF || loc->offset == 0xFFFFFFFF;
    if (zip64 && eocd >= ZIP64_LOCATOR_LEN) {
        unsigned char l[ZIP64_LOCATOR_LEN], z[ZIP64_EOCD_LEN];
        if ((err = read_at(in, l, sizeof l, eocd - ZIP64_LOCATOR_LEN, d)) != SK_OK)
            return err;
        if (le32(l) == SIG_ZIP64_LOCATOR) {
            uint64_t zoff = le64(l + 8);
            if (zoff > eocd - ZIP64_LOCATOR_LEN || eocd - ZIP64_LOCATOR_LEN - zoff < ZIP64_EOCD_LEN)
                return sk_diag_set(d, SK_ERR_ZIP, "bad zip64 end of central directory locator");
            if ((err = read_at(in, z, sizeof z, zoff, d)) != SK_OK)
                return err;
            if (le32(z) != SIG_ZIP64_EOCD)
                return sk_diag_set(d, SK_ERR_ZIP, "bad zip64 end of central directory record");
            if (le32(z + 16) != 0 || le32(z + 20) != 0)
                return sk_diag_set(d, SK_ERR_ZIP, "multi-volume zip archives are not supported");
            loc->count = le64(z + 32);
            loc->size = le64(z + 40);
            loc->offset = le64(z + 48);
            loc->limit = zoff;
        }
    }
    if (loc->offset > loc->limit || loc->size > loc->limit - loc->offset)
        return sk_diag_set(d, SK_ERR_ZIP,
                           "the central directory lies outside the file (damaged zip)");
    return SK_OK;
}

/* Reads the zip64 extra field's sizes and offset where the 32-bit fields are
 * saturated. */
static sk_error read_zip64_extra(const unsigned char *x, size_t xlen, uint64_t *usize,
                                 uint64_t *csize, uint64_t *offset, sk_diag *d)
{
    size_t p = 0;
    while (p + 4 <= xlen) {
        uint16_t id = le16(x + p), n = le16(x + p + 2);
        if (n > xlen - p - 4)
            break;
        if (id == 0x0001) {
            const unsigned char *f = x + p + 4;
            size_t q = 0;
            uint64_t *fields[3] = {usize, csize, offset};
            for (int i = 0; i < 3; i++) {
                if (*fields[i] != 0xFFFFFFFF)
                    continue;
                if (q + 8 > n)
                    return sk_diag_set(d, SK_ERR_ZIP, "bad zip64 extra field (damaged zip)");
                *fields[i] = le64(f + q);
                q += 8;
            }
            return SK_OK;
        }
        p += 4 + (size_t)n;
    }
    return SK_OK;
}

/* True if name could escape a folder when extracted: absolute, a drive
 * letter, or a ".." segment (either slash counts). */
static bool name_is_unsafe(const char *name)
{
    if (name[0] == '/' || name[0] == '\\')
        return true;
    if (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':')
        return true;
    const char *seg = name;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == '\\' || *p == '\0') {
            if (p - seg == 2 && seg[0] == '.' && seg[1] == '.')
                return true;
            if (*p == '\0')
                return false;
            seg = p + 1;
        }
    }
}

/* Parses central directory entry i at h, avail bytes before the directory's
 * end, into e, and sets *len to the entry's length in the directory. */
static sk_error parse_cdir_entry(const unsigned char *h, uint64_t avail, uint64_t i, zip_entry *e,
                                 size_t *len, sk_diag *d)
{
    if (avail < CDIR_LEN || le32(h) != SIG_CDIR)
        return sk_diag_set(d, SK_ERR_ZIP, "bad central directory entry %llu (damaged zip)",
                           (unsigned long long)i);
    size_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
    if (avail - CDIR_LEN < nlen + xlen + clen)
        return sk_diag_set(d, SK_ERR_ZIP, "bad central directory entry %llu (damaged zip)",
                           (unsigned long long)i);
    uint64_t usize = le32(h + 24);
    e->flags = le16(h + 8);
    e->method = le16(h + 10);
    e->crc = le32(h + 16);
    e->csize = le32(h + 20);
    e->offset = le32(h + 42);
    sk_error err = read_zip64_extra(h + CDIR_LEN + nlen, xlen, &usize, &e->csize, &e->offset, d);
    if (err != SK_OK)
        return err;
    if (memchr(h + CDIR_LEN, '\0', nlen))
        return sk_diag_set(d, SK_ERR_ZIP, "a zip entry name contains a NUL byte (a hostile file)");
    e->name = sk_strndup((const char *)h + CDIR_LEN, nlen);
    if (!e->name)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    *len = CDIR_LEN + nlen + xlen + clen;
    return SK_OK;
}

/* Checks e's local header and sets e->end: the header, its name and extra
 * field and the compressed data must end before the central directory at
 * cdir. */
static sk_error check_local(const zip_in *in, uint64_t cdir, zip_entry *e, sk_diag *d)
{
    char q[NAME_QUOTE];
    unsigned char lh[LOCAL_LEN];
    sk_zip_quote_name(e->name, q, sizeof q);
    if (e->offset > cdir || cdir - e->offset < LOCAL_LEN)
        return sk_diag_set(d, SK_ERR_ZIP, "zip entry %s lies outside the file (damaged zip)", q);
    sk_error err = read_at(in, lh, sizeof lh, e->offset, d);
    if (err != SK_OK)
        return err;
    if (le32(lh) != SIG_LOCAL)
        return sk_diag_set(d, SK_ERR_ZIP, "zip entry %s has no local header (damaged zip)", q);
    uint64_t span = (uint64_t)LOCAL_LEN + le16(lh + 26) + le16(lh + 28);
    if (e->csize > cdir - e->offset || span > cdir - e->offset - e->csize)
        return sk_diag_set(d, SK_ERR_ZIP,
                           "zip entry %s extends beyond the data area of the file (damaged zip)", q);
    e->end = e->offset + span + e->csize;
    return SK_OK;
}

/* Parses the central directory entries and each one's local header span. */
static sk_error read_entries(const zip_in *in, const cdir_loc *loc, sk_zip *z, sk_diag *d)
{
    sk_error err;
    unsigned char *cd = NULL;
    if (loc->count > z->lim.entries)
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "the zip has %llu entries, more than %u (limit --max-entries)",
                           (unsigned long long)loc->count, z->lim.entries);
    if (loc->count > loc->size / CDIR_LEN)
        return sk_diag_set(d, SK_ERR_ZIP, "the central directory is too small for its %llu entries",
                           (unsigned long long)loc->count);
    z->e = calloc(loc->count ? (size_t)loc->count : 1, sizeof *z->e);
    cd = calloc(loc->size ? (size_t)loc->size : 1, 1);
    if (!z->e || !cd) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((err = read_at(in, cd, (size_t)loc->size, loc->offset, d)) != SK_OK)
        goto fail;
    size_t p = 0;
    for (uint64_t i = 0; i < loc->count; i++) {
        size_t len = 0;
        if ((err = parse_cdir_entry(cd + p, loc->size - p, i, &z->e[z->n], &len, d)) != SK_OK)
            goto fail;
        z->n++;
        p += len;
    }
    if (p != loc->size) {
        err = sk_diag_set(d, SK_ERR_ZIP,
                          "the central directory size does not match its entries (damaged zip)");
        goto fail;
    }
    for (size_t i = 0; i < z->n; i++)
        if ((err = check_local(in, loc->offset, &z->e[i], d)) != SK_OK)
            goto fail;
    free(cd);
    return SK_OK;
fail:
    free(cd);
    return err;
}

/* Orders entry indexes by local header offset (qsort_r context: entries). */
static int cmp_offset(const void *a, const void *b, void *ctx)
{
    const zip_entry *e = ctx;
    uint64_t x = e[*(const size_t *)a].offset, y = e[*(const size_t *)b].offset;
    return x < y ? -1 : x > y;
}

/* Orders entry indexes by name ignoring ASCII case (qsort_r context: entries). */
static int cmp_name(const void *a, const void *b, void *ctx)
{
    const zip_entry *e = ctx;
    return ascii_casecmp(e[*(const size_t *)a].name, e[*(const size_t *)b].name);
}

/* Refuses unsafe names, names that collide ignoring case, unsupported
 * methods, encryption, and entries whose data overlap (a Fifield-style bomb
 * reuses one compressed stream for many entries). */
static sk_error check_entries(sk_zip *z, sk_diag *d)
{
    char q[NAME_QUOTE], q2[NAME_QUOTE];
    size_t *order = NULL;
    sk_error err;
    for (size_t i = 0; i < z->n; i++) {
        const zip_entry *e = &z->e[i];
        sk_zip_quote_name(e->name, q, sizeof q);
        if (name_is_unsafe(e->name)) {
            sk_diag_where(d, "%s", q);
            return sk_diag_set(d, SK_ERR_ZIP,
                               "zip entry name %s is an absolute path or contains \"..\" "
                               "(a hostile file)",
                               q);
        }
        if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
            sk_diag_where(d, "%s", q);
            return sk_diag_set(d, SK_ERR_ZIP,
                               "zip entry %s is encrypted (encrypted zip entries are not "
                               "supported)",
                               q);
        }
        if (e->method != METHOD_STORE && e->method != METHOD_DEFLATE) {
            sk_diag_where(d, "%s", q);
            return sk_diag_set(d, SK_ERR_ZIP,
                               "zip entry %s uses compression method %u (only stored and deflated "
                               "entries are supported)",
                               q, (unsigned)e->method);
        }
    }
    z->by_name = calloc(z->n ? z->n : 1, sizeof *z->by_name);
    order = calloc(z->n ? z->n : 1, sizeof *order);
    if (!z->by_name || !order) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < z->n; i++)
        z->by_name[i] = order[i] = i;
    qsort_r(z->by_name, z->n, sizeof *z->by_name, cmp_name, z->e);
    for (size_t i = 1; i < z->n; i++) {
        const char *a = z->e[z->by_name[i - 1]].name, *b = z->e[z->by_name[i]].name;
        if (ascii_casecmp(a, b) == 0) {
            sk_zip_quote_name(a, q, sizeof q);
            sk_zip_quote_name(b, q2, sizeof q2);
            err = strcmp(a, b) == 0
                      ? sk_diag_set(d, SK_ERR_ZIP, "zip entry %s appears twice (a hostile file)", q)
                      : sk_diag_set(d, SK_ERR_ZIP,
                                    "zip entry names %s and %s differ only in letter case "
                                    "(a hostile file)",
                                    q, q2);
            goto fail;
        }
    }
    qsort_r(order, z->n, sizeof *order, cmp_offset, z->e);
    for (size_t i = 1; i < z->n; i++) {
        const zip_entry *a = &z->e[order[i - 1]], *b = &z->e[order[i]];
        if (a->end > b->offset) {
            sk_zip_quote_name(a->name, q, sizeof q);
            sk_zip_quote_name(b->name, q2, sizeof q2);
            err = sk_diag_set(d, SK_ERR_ZIP,
                              "zip entries %s and %s overlap (a zip bomb or a damaged file)", q,
                              q2);
            goto fail;
        }
    }
    free(order);
    return SK_OK;
fail:
    free(order);
    return err;
}

/* Hands the file to libzip: its bytes in memory when loaded (libzip then
 * owns in->mem), else its descriptor (libzip owns in->fd on success). */
static sk_error open_libzip(sk_zip *z, zip_in *in, sk_diag *d)
{
    zip_error_t ze;
    zip_error_init(&ze);
    if (in->mem) {
        zip_source_t *src = zip_source_buffer_create(in->mem, in->size, 1, &ze);
        if (src) {
            in->mem = NULL; /* the source's now */
            if (!(z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)))
                zip_source_free(src);
        }
    } else {
        int code = 0;
        if ((z->za = zip_fdopen(in->fd, ZIP_RDONLY | ZIP_CHECKCONS, &code)) != NULL)
            in->fd = -1;
        else
            zip_error_set(&ze, code, 0);
    }
    if (!z->za) {
        sk_diag_set(d, SK_ERR_ZIP, "damaged zip container (libzip: %s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return SK_ERR_ZIP;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0 || (uint64_t)n != z->n)
        return sk_diag_set(d, SK_ERR_ZIP, "libzip sees %lld entries where the central directory "
                                          "lists %zu (damaged zip)",
                           (long long)n, z->n);
    for (size_t i = 0; i < z->n; i++) {
        const char *name = zip_get_name(z->za, i, ZIP_FL_ENC_RAW);
        if (!name || strcmp(name, z->e[i].name) != 0)
            return sk_diag_set(d, SK_ERR_ZIP, "libzip reads the entry names differently "
                                              "(damaged zip)");
    }
    return SK_OK;
}

/* Names an OpenDocument file by its mimetype entry; other zips pass. */
static sk_error sniff_opendocument(sk_zip *z, const sk_open_opts *o, bool *legacy, sk_diag *d)
{
    static const char odf[] = "application/vnd.oasis.opendocument";
    size_t i;
    char buf[256];
    size_t len = 0, n;
    sk_zip_stream *s = NULL;
    if (!sk_zip_find(z, "mimetype", &i))
        return SK_OK;
    sk_error err = sk_zip_stream_open(z, i, &s, d);
    while (err == SK_OK && len < sizeof buf - 1) {
        err = sk_zip_stream_read(s, buf + len, sizeof buf - 1 - len, &n, d);
        if (n == 0)
            break;
        len += n;
    }
    sk_zip_stream_close(s);
    if (err != SK_OK)
        return err;
    buf[len] = '\0';
    if (strncmp(buf, odf, sizeof odf - 1) != 0)
        return SK_OK;
    if (strstr(buf, ".spreadsheet")) {
        *legacy = true;
        return sk_diag_set(d, SK_ERR_FORMAT, "%s", sk_open_msg(o, SK_MSG_ODS));
    }
    char q[NAME_QUOTE];
    sk_zip_quote_name(buf, q, 80);
    return sk_diag_set(d, SK_ERR_FORMAT, "an OpenDocument file (%s), not an .xlsx workbook", q);
}

/* Localised messages about encrypted and legacy inputs.  Built without
 * decryption and conversion (SECHK_NO_CRYPTO: the web page), the messages
 * say so and point to the command line. */
static const char *const open_msgs[SK_MSG__COUNT][2] = {
#ifdef SECHK_NO_CRYPTO
    [SK_MSG_ENCRYPTED] = {"パスワード付きのブックです（%s 暗号化）。このページではパスワード付きのブックは読めません。"
                          "コマンドラインの sechk（--password-file）で読むか、Excel でパスワードを解除して .xlsx "
                          "で保存してください",
                          "a password-protected workbook (%s encryption), which this page cannot read; use the "
                          "sechk command (--password-file), or remove the password in Excel and save it as .xlsx"},
    [SK_MSG_XLS] = {"Excel 97-2003 形式（.xls）のブックです。このページでは変換できません。Excel で .xlsx "
                    "形式で保存してください（コマンドラインの sechk は --convert で読めます）",
                    "an Excel 97-2003 workbook (.xls), which this page cannot convert; save it as .xlsx in "
                    "Excel (the sechk command reads it with --convert)"},
    [SK_MSG_ODS] = {"OpenDocument スプレッドシート（.ods）です。このページでは変換できません。.xlsx 形式で"
                    "保存してください（コマンドラインの sechk は --convert で読めます）",
                    "an OpenDocument spreadsheet (.ods), which this page cannot convert; save it as .xlsx "
                    "(the sechk command reads it with --convert)"},
#else
    [SK_MSG_ENCRYPTED] = {"パスワード付きのブックです（%s 暗号化）。--password-file または環境変数 SECHK_PASSWORD "
                          "でパスワードを指定してください",
                          "a password-protected workbook (%s encryption); give the password with "
                          "--password-file or the environment variable SECHK_PASSWORD"},
    [SK_MSG_WRONG_PASSWORD] = {"パスワードが違います（%s 暗号化のブック）",
                               "wrong password (a workbook with %s encryption)"},
    [SK_MSG_UNSUPPORTED] = {"パスワード付きのブックですが、%s 暗号化には対応していません。Excel でパスワードを"
                            "解除して .xlsx で保存してください",
                            "a password-protected workbook with %s encryption, which sechk cannot decrypt; "
                            "remove the password in Excel and save it as .xlsx"},
    [SK_MSG_XLS] = {"Excel 97-2003 形式（.xls）のブックです。--convert を付けると LibreOffice で .xlsx "
                    "に変換して読み込みます（または Excel で .xlsx 形式で保存してください）",
                    "an Excel 97-2003 workbook (.xls); with --convert sechk converts it to .xlsx with "
                    "LibreOffice (or save it as .xlsx in Excel)"},
    [SK_MSG_ODS] = {"OpenDocument スプレッドシート（.ods）です。--convert を付けると LibreOffice で .xlsx "
                    "に変換して読み込みます（または .xlsx 形式で保存してください）",
                    "an OpenDocument spreadsheet (.ods), not an .xlsx workbook; with --convert sechk "
                    "converts it with LibreOffice (or save it as .xlsx)"},
#endif
    [SK_MSG_XLSB] = {"Excel バイナリ形式（.xlsb）のブックです。--convert を付けると LibreOffice で .xlsx "
                     "に変換して読み込みます（または .xlsx 形式で保存してください）",
                     "an Excel binary workbook (.xlsb); with --convert sechk converts it with "
                     "LibreOffice (or save it as .xlsx)"},
    [SK_MSG_OLE] = {"OLE 複合ファイル（%s）で、Excel のブックではありません",
                    "an OLE compound file (%s), not an Excel workbook"},
    [SK_MSG_NO_SOFFICE] = {"変換には LibreOffice が必要です（soffice が見つかりません。Debian/Ubuntu: "
                           "apt-get install libreoffice-calc-nogui）",
                           "conversion needs LibreOffice (soffice not found; on Debian/Ubuntu: "
                           "apt-get install libreoffice-calc-nogui)"},
};

const char *sk_open_msg(const sk_open_opts *o, sk_open_msg_id id)
{
    return open_msgs[id][o && o->lang == SK_LANG_EN ? 1 : 0];
}

/* Sets d's reason to message id with its "%s" replaced by arg. */
static sk_error msg_set(sk_diag *d, const sk_open_opts *o, sk_open_msg_id id, const char *arg)
{
    const char *m = sk_open_msg(o, id), *p = strstr(m, "%s");
    if (!p)
        return sk_diag_set(d, SK_ERR_FORMAT, "%s", m);
    return sk_diag_set(d, SK_ERR_FORMAT, "%.*s%s%s", (int)(p - m), m, arg, p + 2);
}

/* Reads the whole file (already checked to be within the size limit). */
static sk_error slurp(int fd, uint64_t size, unsigned char **out, sk_diag *d)
{
    unsigned char *buf = malloc(size ? (size_t)size : 1);
    if (!buf)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    zip_in in = {.fd = fd, .size = size};
    sk_error err = read_at(&in, buf, (size_t)size, 0, d);
    if (err != SK_OK) {
        free(buf);
        return err;
    }
    *out = buf;
    return SK_OK;
}

#ifndef SECHK_NO_CRYPTO
/* Puts the decrypted package into an anonymous memory file (never a named
 * file) that libzip can read like the original. */
static sk_error to_memfd(const unsigned char *data, size_t len, int *fd_out, sk_diag *d)
{
    int fd = memfd_create("sechk-decrypted", MFD_CLOEXEC);
    if (fd < 0)
        return sk_diag_set(d, SK_ERR_IO, "cannot make a memory file: %s", strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            return sk_diag_set(d, SK_ERR_IO, "cannot fill a memory file: %s", strerror(e));
        }
        done += (size_t)w;
    }
    *fd_out = fd;
    return SK_OK;
}
#endif

/* Names the CFB file at fd; an encrypted workbook with a password is
 * decrypted and *fd, *size replaced by a memory file holding the package.
 * The file's hash is computed here. */
static sk_error open_cfb(sk_zip *z, const char *path, const sk_open_opts *o, int *fd, uint64_t *size,
                         bool *legacy, sk_diag *d)
{
    unsigned char *data = NULL, *plain = NULL, digest[SK_SHA256_LEN];
    size_t plain_len = 0;
    sk_cfb *c = NULL;
    sk_error err = slurp(*fd, *size, &data, d);
    if (err != SK_OK)
        return err;
    sk_sha256_digest(data, (size_t)*size, digest);
    sk_sha256_hex(digest, z->sha256);
    if ((err = sk_cfb_open(data, (size_t)*size, &c, d)) != SK_OK)
        goto done;
    sk_cfb_kind kind = sk_cfb_classify(c);
    if (kind == SK_CFB_XLS) {
        *legacy = true;
        err = sk_diag_set(d, SK_ERR_FORMAT, "%s", sk_open_msg(o, SK_MSG_XLS));
        goto done;
    }
    if (kind != SK_CFB_ENCRYPTED) {
        err = msg_set(d, o, SK_MSG_OLE, ".doc, .ppt, .msg ...");
        goto done;
    }
    size_t ii = 0, info_len = 0;
    unsigned char *info = NULL;
    (void)sk_cfb_find(c, "EncryptionInfo", &ii);
    if ((err = sk_cfb_read(c, ii, &info, &info_len, d)) != SK_OK)
        goto done;
    sk_crypt_kind ck = sk_crypt_identify(info, info_len);
    free(info);
    const char *kname = sk_crypt_kind_name(ck);
    if (ck != SK_CRYPT_AGILE && ck != SK_CRYPT_STANDARD) {
        err = msg_set(d, o, SK_MSG_UNSUPPORTED, kname);
        goto done;
    }
#ifdef SECHK_NO_CRYPTO
    (void)path, (void)fd, (void)size;
    err = msg_set(d, o, SK_MSG_ENCRYPTED, kname);
#else
    const char *pw = o && o->password ? o->password(o->ctx, path) : NULL;
    if (!pw) {
        err = msg_set(d, o, SK_MSG_ENCRYPTED, kname);
        goto done;
    }
    bool wrong = false;
    if ((err = sk_crypt_decrypt(c, pw, z->lim.file_bytes, o->max_spin, &plain, &plain_len, &wrong, d)) != SK_OK) {
        if (wrong)
            msg_set(d, o, SK_MSG_WRONG_PASSWORD, kname);
        goto done;
    }
    int mfd = -1;
    if ((err = to_memfd(plain, plain_len, &mfd, d)) != SK_OK)
        goto done;
    close(*fd);
    *fd = mfd;
    *size = plain_len;
    z->wipe_fd = dup(mfd);
    z->wipe_len = plain_len;
#endif
done:
    if (plain) {
        sk_crypt_wipe(plain, plain_len);
        free(plain);
    }
    sk_cfb_close(c);
    free(data);
    return err;
}

/* Opens a workbook file as a checked zip. */
sk_error sk_zip_open(const char *path, const sk_limits *limits, sk_zip **out, sk_diag *d)
{
    bool legacy = false;
    return sk_zip_open_opts(path, limits, NULL, out, &legacy, d);
}

sk_error sk_zip_open_opts(const char *path, const sk_limits *limits, const sk_open_opts *o, sk_zip **out,
                          bool *legacy, sk_diag *d)
{
    sk_error err;
    zip_in in = {.fd = -1};
    unsigned char magic[8];
    size_t magic_len = 0;
    cdir_loc loc = {0};
    unsigned char *buf = NULL;
    sk_zip *z = NULL;
    bool decrypted = false;
    *out = NULL;
    *legacy = false;
    if ((err = open_regular(path, limits, &in.fd, &in.size, d)) != SK_OK)
        return err;
    z = calloc(1, sizeof *z);
    if (z)
        z->wipe_fd = -1;
    buf = calloc(EOCD_LEN + EOCD_MAX_COMMENT > CHUNK ? EOCD_LEN + EOCD_MAX_COMMENT : CHUNK, 1);
    if (!z || !buf) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    z->lim = *limits;
    magic_len = in.size < sizeof magic ? (size_t)in.size : sizeof magic;
    if ((err = read_at(&in, magic, magic_len, 0, d)) != SK_OK)
        goto fail;
    if (sk_cfb_sniff(magic, magic_len)) {
        if ((err = open_cfb(z, path, o, &in.fd, &in.size, legacy, d)) != SK_OK)
            goto fail;
        decrypted = true;
        magic_len = in.size < sizeof magic ? (size_t)in.size : sizeof magic;
        if ((err = read_at(&in, magic, magic_len, 0, d)) != SK_OK)
            goto fail;
        if (magic_len < 4 || memcmp(magic, "PK\3\4", 4) != 0) {
            err = sk_diag_set(d, SK_ERR_FORMAT, "the decrypted package is not a zip (not an .xlsx workbook)");
            goto fail;
        }
    }
    if ((err = sniff_magic(magic, magic_len, d)) != SK_OK)
        goto fail;
    if (!decrypted && in.size <= MEM_MAX && !(in.mem = malloc((size_t)in.size + 1))) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!decrypted && (err = hash_file(&in, limits, buf, z->sha256, d)) != SK_OK)
        goto fail;
    if (in.mem) { /* all of it is in memory: libzip reads from there */
        close(in.fd);
        in.fd = -1;
    }
    if ((err = find_cdir(&in, in.size, buf, &loc, d)) != SK_OK)
        goto fail;
    if ((err = read_entries(&in, &loc, z, d)) != SK_OK)
        goto fail;
    if ((err = check_entries(z, d)) != SK_OK)
        goto fail;
    if ((err = open_libzip(z, &in, d)) != SK_OK)
        goto fail;
    if ((err = sniff_opendocument(z, o, legacy, d)) != SK_OK)
        goto fail;
    free(buf);
    *out = z;
    return SK_OK;
fail:
    if (in.fd >= 0)
        close(in.fd);
    free(in.mem);
    free(buf);
    sk_zip_close(z);
    return err;
}

/* Overrides the hash reported for the book (a converted file reports its
 * original's). */
void sk_zip_set_sha256(sk_zip *z, const char *hex)
{
    snprintf(z->sha256, sizeof z->sha256, "%s", hex);
}

/* Releases the zip and libzip's handle. */
void sk_zip_close(sk_zip *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    if (z->wipe_fd >= 0) {
        /* zero the decrypted package before its pages are released */
        static const unsigned char zeros[CHUNK];
        for (uint64_t off = 0; off < z->wipe_len;) {
            size_t k = z->wipe_len - off < CHUNK ? (size_t)(z->wipe_len - off) : CHUNK;
            ssize_t w = pwrite(z->wipe_fd, zeros, k, (off_t)off);
            if (w <= 0)
                break;
            off += (uint64_t)w;
        }
        (void)ftruncate(z->wipe_fd, 0);
        close(z->wipe_fd);
    }
    for (size_t i = 0; i < z->n; i++)
        free(z->e[i].name);
    free(z->e);
    free(z->by_name);
    free(z);
}

/* The file's hex SHA-256, computed at open. */
const char *sk_zip_sha256(const sk_zip *z)
{
    return z->sha256;
}

/* Number of entries in the central directory. */
size_t sk_zip_count(const sk_zip *z)
{
    return z->n;
}

/* Raw name of entry i, or NULL past the end. */
const char *sk_zip_name(const sk_zip *z, size_t i)
{
    return i < z->n ? z->e[i].name : NULL;
}

/* Binary search over the names sorted ignoring ASCII case. */
bool sk_zip_find(const sk_zip *z, const char *name, size_t *index)
{
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ascii_casecmp(z->e[z->by_name[mid]].name, name);
        if (c == 0) {
            *index = z->by_name[mid];
            return true;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Opens libzip's inflating reader over entry i. */
sk_error sk_zip_stream_open(sk_zip *z, size_t i, sk_zip_stream **out, sk_diag *d)
{
    char q[NAME_QUOTE];
    *out = NULL;
    if (i >= z->n)
        return sk_diag_set(d, SK_ERR_USAGE, "no zip entry %zu", i);
    sk_zip_stream *s = calloc(1, sizeof *s);
    if (!s)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    s->z = z;
    s->index = i;
    s->inflating = z->e[i].method == METHOD_DEFLATE;
    if (s->inflating) {
        s->in = malloc(CHUNK);
        if (!s->in || inflateInit2(&s->zs, -MAX_WBITS) != Z_OK) {
            free(s->in);
            free(s);
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        }
        s->inflate_ready = true;
    }
    s->zf = zip_fopen_index(z->za, i, s->inflating ? ZIP_FL_COMPRESSED : 0);
    if (!s->zf) {
        sk_zip_quote_name(z->e[i].name, q, sizeof q);
        sk_diag_where(d, "%s", q);
        sk_diag_set(d, SK_ERR_ZIP, "zip entry %s cannot be opened (libzip: %s)", q,
                    zip_error_strerror(zip_get_error(z->za)));
        sk_zip_stream_close(s);
        return SK_ERR_ZIP;
    }
    *out = s;
    return SK_OK;
}

/* True when inflated bytes exceed ratio times the compressed size, computed
 * without overflow; a ratio of 0 disables the check. */
static bool over_ratio(uint64_t inflated, uint64_t compressed, uint32_t ratio)
{
    if (ratio == 0 || inflated <= RATIO_FLOOR)
        return false;
    uint64_t q = inflated / ratio, r = inflated % ratio;
    return q > compressed || (q == compressed && r > 0);
}

/* Reports damage found while reading entry e. */
static sk_error damaged(const zip_entry *e, sk_diag *d, const char *what, const char *detail)
{
    char q[NAME_QUOTE];
    sk_zip_quote_name(e->name, q, sizeof q);
    sk_diag_where(d, "%s", q);
    sk_diag_set(d, SK_ERR_ZIP, "damaged file: zip entry %s %s", q, what);
    if (detail) {
        size_t n = strlen(d->reason);
        snprintf(d->reason + n, sizeof d->reason - n, " (%s)", detail);
    }
    return SK_ERR_ZIP;
}

/* Inflates up to want bytes of a deflated entry into buf; *got is 0 only at
 * the end.  The CRC is checked when the deflate stream ends. */
static sk_error inflate_some(sk_zip_stream *s, void *buf, size_t want, size_t *got, sk_diag *d)
{
    const zip_entry *e = &s->z->e[s->index];
    *got = 0;
    if (s->done)
        return SK_OK;
    if (want > UINT_MAX)
        want = UINT_MAX;
    s->zs.next_out = buf;
    s->zs.avail_out = (uInt)want;
    while (s->zs.avail_out == want) {
        if (s->zs.avail_in == 0 && !s->in_eof) {
            zip_int64_t r = zip_fread(s->zf, s->in, CHUNK);
            if (r < 0)
                return damaged(e, d, "cannot be read", zip_error_strerror(zip_file_get_error(s->zf)));
            if (r == 0)
                s->in_eof = true;
            s->zs.next_in = s->in;
            s->zs.avail_in = (uInt)r;
            s->fed += (uint64_t)r;
        }
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->done = true;
            break;
        }
        if (rc == Z_BUF_ERROR && s->in_eof && s->zs.avail_in == 0)
            return damaged(e, d, "is cut short (its deflate data ends early)", NULL);
        if (rc == Z_MEM_ERROR)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return damaged(e, d, "holds invalid deflate data",
                           s->zs.msg ? s->zs.msg : "zlib error");
    }
    *got = want - s->zs.avail_out;
    s->crc = (uint32_t)crc32(s->crc, buf, (uInt)*got);
    if (s->done && s->crc != e->crc) {
        char detail[64];
        snprintf(detail, sizeof detail, "CRC-32 %08x, the zip says %08x", (unsigned)s->crc,
                 (unsigned)e->crc);
        return damaged(e, d, "fails its CRC check", detail);
    }
    return SK_OK;
}

/* Reads inflated bytes, checking the entry, total and ratio limits. */
sk_error sk_zip_stream_read(sk_zip_stream *s, void *buf, size_t cap, size_t *n, sk_diag *d)
{
    sk_zip *z = s->z;
    const zip_entry *e = &z->e[s->index];
    char q[NAME_QUOTE];
    *n = 0;
    if (cap == 0)
        return SK_OK;
    /* Ask for at most one byte past either limit, so that a hit is seen
     * without inflating more than that. */
    uint64_t room = z->lim.entry_bytes - (s->delivered < z->lim.entry_bytes
                                              ? s->delivered
                                              : z->lim.entry_bytes);
    uint64_t troom = z->lim.total_bytes - (z->total < z->lim.total_bytes ? z->total
                                                                         : z->lim.total_bytes);
    uint64_t want = cap;
    if (want > room + 1)
        want = room + 1;
    if (want > troom + 1)
        want = troom + 1;
    zip_int64_t r;
    uint64_t compressed = e->csize;
    if (s->inflating) {
        size_t got = 0;
        sk_error err = inflate_some(s, buf, (size_t)want, &got, d);
        if (err != SK_OK)
            return err;
        r = (zip_int64_t)got;
        compressed = s->fed - s->zs.avail_in;
    } else {
        r = zip_fread(s->zf, buf, want);
    }
    if (r < 0) {
        zip_error_t *ze = zip_file_get_error(s->zf);
        sk_zip_quote_name(e->name, q, sizeof q);
        sk_diag_where(d, "%s", q);
        if (zip_error_code_zip(ze) == ZIP_ER_CRC)
            return sk_diag_set(d, SK_ERR_ZIP,
                               "damaged file: zip entry %s fails its CRC check (libzip: %s)", q,
                               zip_error_strerror(ze));
        return sk_diag_set(d, SK_ERR_ZIP, "damaged file: zip entry %s cannot be read (libzip: %s)",
                           q, zip_error_strerror(ze));
    }
    s->delivered += (uint64_t)r;
    z->total += (uint64_t)r;
    if (s->delivered > z->lim.entry_bytes || z->total > z->lim.total_bytes ||
        over_ratio(s->delivered, compressed, z->lim.ratio)) {
        sk_zip_quote_name(e->name, q, sizeof q);
        sk_diag_where(d, "%s", q);
        if (s->delivered > z->lim.entry_bytes)
            return sk_diag_set(d, SK_ERR_LIMIT,
                               "zip entry %s inflates beyond %llu bytes (limit --max-entry-bytes)",
                               q, (unsigned long long)z->lim.entry_bytes);
        if (z->total > z->lim.total_bytes)
            return sk_diag_set(d, SK_ERR_LIMIT,
                               "the zip entries inflate beyond %llu bytes in total "
                               "(limit --max-total-bytes)",
                               (unsigned long long)z->lim.total_bytes);
        return sk_diag_set(d, SK_ERR_LIMIT,
                           "zip entry %s inflates more than %u times its compressed size "
                           "(limit --max-ratio)",
                           q, z->lim.ratio);
    }
    *n = (size_t)r;
    return SK_OK;
}

/* Closes libzip's reader and frees the stream. */
void sk_zip_stream_close(sk_zip_stream *s)
{
    if (!s)
        return;
    if (s->zf)
        zip_fclose(s->zf);
    if (s->inflate_ready)
        inflateEnd(&s->zs);
    free(s->in);
    free(s);
}
