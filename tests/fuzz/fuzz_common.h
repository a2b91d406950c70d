/* sechk fuzzing — shared helpers of the libFuzzer targets (tests/fuzz/).
 *
 * Each target is one source file including this header.  The helpers keep a
 * process-wide state (the template, an in-memory file, the parts of a base
 * workbook), which is fine in a fuzzer: libFuzzer runs one input at a time.
 *
 * fz_file_write puts bytes into a memfd that the reader opens by path
 * (/proc/self/fd/N), so nothing touches the disk.  fz_package_write builds a
 * stored zip from the base workbook (SECHK_FUZZ_BASE, default
 * build/fuzz/blank.xlsx, a blank from `sechk template`) with one part
 * replaced by the fuzzer's bytes.
 */
#ifndef SECHK_FUZZ_COMMON_H
#define SECHK_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "sechk.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sk_template *fz_tmpl;
static int fz_fd = -1;
static char fz_path[64];

/* Stops the fuzzer on a broken harness (not a finding). */
static inline void fz_die(const char *what)
{
    fprintf(stderr, "fuzz harness: %s\n", what);
    abort();
}

/* Loads the default template and creates the in-memory file. */
static inline void fz_init_common(void)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_template_load_default(&fz_tmpl, &d) != SK_OK)
        fz_die(d.reason);
    fz_fd = memfd_create("sechk-fuzz", 0);
    if (fz_fd < 0)
        fz_die("memfd_create");
    snprintf(fz_path, sizeof fz_path, "/proc/self/fd/%d", fz_fd);
}

/* Replaces the file's content with data. */
static inline void fz_file_write(const void *data, size_t size)
{
    if (ftruncate(fz_fd, 0) != 0)
        fz_die("ftruncate");
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fz_fd, (const char *)data + done, size - done, (off_t)done);
        if (n <= 0)
            fz_die("pwrite");
        done += (size_t)n;
    }
}

/* ---- the base workbook and stored zips ---------------------------------- */

typedef struct fz_part {
    char *name;
    unsigned char *data;
    size_t len;
} fz_part;

enum { FZ_MAX_PARTS = 64 };
static fz_part fz_base[FZ_MAX_PARTS];
static size_t fz_n_base;

/* Reads every entry of the base workbook into memory. */
static inline void fz_load_base(void)
{
    const char *path = getenv("SECHK_FUZZ_BASE");
    if (!path)
        path = "build/fuzz/blank.xlsx";
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    if (!za)
        fz_die("cannot open the base workbook (set SECHK_FUZZ_BASE)");
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && fz_n_base < FZ_MAX_PARTS; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0)
            fz_die("zip_stat_index");
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        fz_part *p = &fz_base[fz_n_base++];
        p->name = strdup(st.name);
        p->len = (size_t)st.size;
        p->data = malloc(p->len ? p->len : 1);
        if (!zf || !p->name || !p->data || zip_fread(zf, p->data, p->len) != (zip_int64_t)p->len)
            fz_die("reading the base workbook");
        zip_fclose(zf);
    }
    zip_discard(za);
}

/* Appends bytes to a growing buffer. */
static inline void fz_put(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n)
            c *= 2;
        unsigned char *q = realloc(*buf, c);
        if (!q)
            fz_die("out of memory");
        *buf = q;
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
}

/* Appends a little-endian value of n bytes. */
static inline void fz_le(unsigned char **buf, size_t *len, size_t *cap, uint32_t v, int n)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fz_put(buf, len, cap, b, (size_t)n);
}

/* Writes the base workbook, as a stored zip, to the in-memory file with the
 * part named replace holding data instead. */
static inline void fz_package_write(const char *replace, const uint8_t *data, size_t size)
{
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    uint32_t offsets[FZ_MAX_PARTS], crcs[FZ_MAX_PARTS], sizes[FZ_MAX_PARTS];
    for (size_t i = 0; i < fz_n_base; i++) {
        const fz_part *p = &fz_base[i];
        const unsigned char *d = p->data;
        size_t n = p->len;
        if (strcmp(p->name, replace) == 0) {
            d = data;
            n = size;
        }
        offsets[i] = (uint32_t)len;
        crcs[i] = (uint32_t)crc32(0, d, (uInt)n);
        sizes[i] = (uint32_t)n;
        size_t nl = strlen(p->name);
        fz_le(&buf, &len, &cap, 0x04034b50u, 4);
        fz_le(&buf, &len, &cap, 20, 2);
        fz_le(&buf, &len, &cap, 0, 2);
        fz_le(&buf, &len, &cap, 0, 2); /* stored */
        fz_le(&buf, &len, &cap, 0, 4); /* time, date */
        fz_le(&buf, &len, &cap, crcs[i], 4);
        fz_le(&buf, &len, &cap, sizes[i], 4);
        fz_le(&buf, &len, &cap, sizes[i], 4);
        fz_le(&buf, &len, &cap, (uint32_t)nl, 2);
        fz_le(&buf, &len, &cap, 0, 2);
        fz_put(&buf, &len, &cap, p->name, nl);
        if (n)
            fz_put(&buf, &len, &cap, d, n);
    }
    size_t cd = len;
    for (size_t i = 0; i < fz_n_base; i++) {
        size_t nl = strlen(fz_base[i].name);
        fz_le(&buf, &len, &cap, 0x02014b50u, 4);
        fz_le(&buf, &len, &cap, 20, 2);
        fz_le(&buf, &len, &cap, 20, 2);
        fz_le(&buf, &len, &cap, 0, 2);
        fz_le(&buf, &len, &cap, 0, 2);
        fz_le(&buf, &len, &cap, 0, 4);
        fz_le(&buf, &len, &cap, crcs[i], 4);
        fz_le(&buf, &len, &cap, sizes[i], 4);
        fz_le(&buf, &len, &cap, sizes[i], 4);
        fz_le(&buf, &len, &cap, (uint32_t)nl, 2);
        fz_le(&buf, &len, &cap, 0, 2); /* extra */
        fz_le(&buf, &len, &cap, 0, 2); /* comment */
        fz_le(&buf, &len, &cap, 0, 2); /* disk */
        fz_le(&buf, &len, &cap, 0, 2); /* internal attributes */
        fz_le(&buf, &len, &cap, 0, 4); /* external attributes */
        fz_le(&buf, &len, &cap, offsets[i], 4);
        fz_put(&buf, &len, &cap, fz_base[i].name, nl);
    }
    size_t cd_len = len - cd;
    fz_le(&buf, &len, &cap, 0x06054b50u, 4);
    fz_le(&buf, &len, &cap, 0, 4);
    fz_le(&buf, &len, &cap, (uint32_t)fz_n_base, 2);
    fz_le(&buf, &len, &cap, (uint32_t)fz_n_base, 2);
    fz_le(&buf, &len, &cap, (uint32_t)cd_len, 4);
    fz_le(&buf, &len, &cap, (uint32_t)cd, 4);
    fz_le(&buf, &len, &cap, 0, 2);
    fz_file_write(buf, len);
    free(buf);
}

/* ---- checks on what the library hands back ------------------------------ */

/* A diagnostic must be NUL-terminated in each field. */
static inline void fz_check_diag(const sk_diag *d)
{
    if (!memchr(d->file, 0, sizeof d->file) || !memchr(d->where, 0, sizeof d->where) ||
        !memchr(d->reason, 0, sizeof d->reason))
        fz_die("diagnostic not NUL-terminated");
}

/* Runs everything that consumes answers: validation, JSON, CSV (UTF-8 and
 * CP932) and the text report. */
static inline void fz_consume(sk_answers *a)
{
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_validate(a, -1, &d) != SK_OK) {
        fz_check_diag(&d);
        return;
    }
    /* the JSON written must parse back (jansson checks the UTF-8 too) */
    sk_buf b = SK_BUF_INIT;
    for (int lang = 0; lang < 2; lang++) {
        sk_buf_reset(&b);
        if (sk_json_write_answers(a, lang ? SK_LANG_EN : SK_LANG_JA, 0, &b) == SK_OK) {
            json_error_t je;
            json_t *j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
            if (!j)
                fz_die("sk_json_write_answers wrote malformed JSON");
            json_decref(j);
        }
    }
    sk_buf_reset(&b);
    sk_csv_options co = {.bom = true};
    (void)sk_csv_begin(a->tpl, &co, &b, &d);
    (void)sk_csv_answers(a, &co, &b, &d);
    sk_buf_reset(&b);
    co = (sk_csv_options){.cp932 = true, .header_ja = true, .layout_item = true};
    (void)sk_csv_answers(a, &co, &b, &d);
    sk_buf_reset(&b);
    co.cp932_fallback = true;
    (void)sk_csv_answers(a, &co, &b, &d);
    sk_buf_reset(&b);
    (void)sk_report_text(a, SK_LANG_JA, false, &b);
    sk_buf_free(&b);
}

#endif
