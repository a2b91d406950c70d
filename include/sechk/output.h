/* sechk — writing output files atomically.
 *
 * An output is written to a staging file in a private folder of this run
 * (".sechk-XXXXXX", mode 0700, inside the output folder), checked, and
 * renamed over the destination only when complete, so a reader never sees a
 * partial file, a failure leaves any earlier file of that name untouched,
 * and nothing but this run's staging files is ever removed.  Folders below
 * the staging root are created and entered without following symlinks; a
 * symlink where an output or a folder would go is refused (SK_ERR_WRITE).
 * Final files get mode 0666 & ~umask.
 *
 * Ownership: sk_out_begin returns a new string in *tmp (free with free()
 * after sk_out_commit or sk_out_abort).
 */
#ifndef SECHK_OUTPUT_H
#define SECHK_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sechk/error.h"

/* Checks that path can be an output: not an existing folder, not one of the
 * inputs (same file, also through a symlink or hard link); its folder exists.
 * inputs may be NULL. */
sk_error sk_out_check(const char *path, const char *const *inputs, int n_inputs, sk_diag *d);

/* Creates an empty temporary file next to path; *tmp receives its name. */
sk_error sk_out_begin(const char *path, char **tmp, sk_diag *d);

/* Renames tmp over path (fsync first). On failure removes tmp. */
sk_error sk_out_commit(const char *tmp, const char *path, sk_diag *d);

/* Whether sk_out_commit flushes each file to disk (fsync) before renaming
 * it; on by default.  A batch writing thousands of files turns it off in
 * its processes and syncs the output file system once at the end (syncfs):
 * renames stay atomic, and one sync replaces thousands.  Process-wide. */
void sk_out_set_sync(bool on);

/* Removes tmp (NULL is fine). */
void sk_out_abort(const char *tmp);

/* Writes len bytes to path atomically. */
sk_error sk_out_write_file(const char *path, const char *data, size_t len, sk_diag *d);

#include <xlsxwriter.h>

/* Builds a workbook's content; called by sk_out_workbook. */
typedef sk_error (*sk_workbook_builder)(lxw_workbook *wb, void *ctx, sk_diag *d);

/* Writes an .xlsx atomically: a temporary workbook next to path is built by
 * build(ctx), closed, and renamed over path; on any failure nothing is left. */
sk_error sk_out_workbook(const char *path, sk_workbook_builder build, void *ctx, sk_diag *d);

/* The same with libxlsxwriter options (constant_memory for big tables). */
sk_error sk_out_workbook_opt(const char *path, const lxw_workbook_options *opt, sk_workbook_builder build,
                             void *ctx, sk_diag *d);

/* The same in two steps, for a workbook built over time (the batch summary
 * while the workers run): sk_out_wb_open creates the temporary workbook;
 * sk_out_wb_close closes it and renames it over the path if ok is SK_OK,
 * else removes it, and returns ok or the closing's error.  Both free what
 * w holds whatever happens. */
typedef struct sk_out_wb {
    lxw_workbook *wb;
    char *tmp;
    char *path;
    /* the zip's deflate level (1-9), or 0 for libxlsxwriter's (6); the
     * parts' content is the same at any level */
    int zip_level;
} sk_out_wb;

sk_error sk_out_wb_open(const char *path, const lxw_workbook_options *opt, sk_out_wb *w, sk_diag *d);
sk_error sk_out_wb_close(sk_out_wb *w, sk_error ok, sk_diag *d);

/* A part deflated ahead (the batch summary's findings rows, deflated in
 * the parent while the workers run; sechk/rawrows.h): in the part named
 * entry of the next workbook closed, the len bytes that start at offset
 * at after its <sheetData> have the raw deflate stream (without a final
 * block) in z, a part file, and the CRC-32 crc.  The close deflates the
 * part's head and tail, puts the stream between them (the bytes it stands
 * for are checked against crc as they pass) and closes z.  Returns false
 * (z left to the caller) where it cannot be done: only one part at a time,
 * and not in the page's build. */
bool sk_out_ahead_usable(void);
bool sk_out_ahead(const char *entry, unsigned long long at, unsigned long long len, unsigned long crc, FILE *z);

/* The staging folder of a run (process-wide; worker processes forked after
 * sk_out_stage_begin share it).  sk_out_stage_begin creates it in root (an
 * output folder the user named; the only path component that may be a
 * symlink); outputs under root/ are then staged there.  Without it, each
 * output gets a staging folder of its own beside it for the duration of
 * the write.  sk_out_stage_end removes the folder and whatever this run
 * left in it (only in the process that created it). */
sk_error sk_out_stage_begin(const char *root, sk_diag *d);
void sk_out_stage_end(void);

/* For a signal handler (async-signal-safe): removes the staging files this
 * process has open, and the staging folder if it is then empty. */
void sk_out_stage_cleanup_async(void);

/* While on (nestable), stderr points at a sink: libxlsxwriter's own
 * "[ERROR]" lines are dropped, sechk reports failures itself. */
void sk_out_quiet(bool on);

/* The custom document property that marks a workbook sechk wrote as an
 * output (its value: "review" or "summary"); batch skips such files. */
#define SK_OUT_MARK "sechk-output"
sk_error sk_out_mark(lxw_workbook *wb, const char *kind);

#endif
