/* sechk — batch: whole folders of submissions, in worker processes, with an
 * aggregate summary.
 *
 * sk_batch_run finds the workbooks (sechk/walk.h), plans one output name per
 * file under the output folder mirroring the input folders (NAME.json and
 * NAME.review.xlsx, where NAME is the file's path relative to the common
 * folder of the inputs without its extension; two inputs whose names would
 * meet, e.g. x.xlsx beside x.xlsm or X.xlsx beside x.xlsx, keep their
 * extension, and a number if needed), then reads, checks and writes each
 * file in a pool of worker processes (sechk/pool.h): a file that crashes its
 * worker, exceeds the per-file time or memory limit, or cannot be read costs
 * only its own row.  Last it writes summary.xlsx and summary.csv
 * (sechk/summary.h) in input-path order, so that the outputs do not depend on
 * the number of workers or on timing.
 *
 * The output folder is created if needed.  It may lie inside an input folder
 * (it is then never read as input), but an input may not lie inside it, so
 * that nothing is ever written into an input folder.  Outputs are staged in
 * a private folder inside the output folder and renamed into place when
 * complete (sechk/output.h): a file that cannot be read or written leaves
 * any earlier outputs of its name as they were.  One batch at a time writes
 * to an output folder (a lock on OUTDIR/.sechk.lock).
 *
 * Ownership: *out receives a new sk_batch (free with sk_batch_free).
 */
#ifndef SECHK_BATCH_H
#define SECHK_BATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/limits.h"
#include "sechk/summary.h"
#include "sechk/template.h"
#include "sechk/walk.h"

typedef struct sk_batch_progress {
    size_t done, total;
    size_t deficient;  /* files with an error-severity finding so far */
    size_t unreadable; /* files that could not be read so far */
    double elapsed;    /* seconds */
} sk_batch_progress;

typedef struct sk_batch_opts {
    const sk_template *tpl;
    sk_limits limits;
    const char *sheet; /* --sheet NAME|N for every file, or NULL (sk_extract_opts) */
    int phase;       /* phase index, or -1 for auto */
    sk_lang lang;    /* messages, labels, reasons */
    bool review;     /* write NAME.review.xlsx */
    bool cp932;      /* summary.csv in CP932 (else UTF-8 with a BOM) */
    int jobs;        /* worker processes, ≥ 1 */
    double seconds;  /* per file: wall-clock limit, and CPU time rounded up; 0: none */
    uint64_t memory; /* per worker: address-space limit in bytes; 0: none */
    /* Creation time recorded in the workbooks; 0: each input's modification
     * time for its review copy, the latest of them for summary.xlsx. */
    time_t epoch;
    /* Called in the parent about ten times a second (may be NULL). */
    void (*progress)(void *ctx, const sk_batch_progress *p);
    void *ctx;
    /* Set (to the signal's number) by a signal handler: no more files are
     * started, workers are ended, the summary lists what was finished and
     * the rest as not processed (may be NULL). */
    volatile sig_atomic_t *stop;
    /* The letter head, respondent and paper of every review copy (lang,
     * created and previous are set per file; project, when NULL, is each
     * workbook's own 事業名).  NULL: none. */
    const struct sk_review_opts *letter;
    /* Passwords, --convert and message language for opening each input
     * (sechk/crypt.h); NULL: none.  Used in the workers. */
    const struct sk_open_opts *open;
} sk_batch_opts;

typedef struct sk_batch {
    sk_walk *walk;
    sk_summary_file *files;   /* [walk->n_files], in walk (path) order */
    size_t read;              /* files read and checked */
    size_t deficient;         /* of those, files with an error-severity finding */
    size_t unreadable;        /* files that could not be read */
    double seconds;           /* wall-clock time of the run */
    sk_diag output_errors[2]; /* summary.xlsx / summary.csv that could not be written */
    int n_output_errors;
    char **names;             /* [walk->n_files]: NAME of each file's outputs (OUTDIR/NAME.json…), or NULL */
    /* [walk->n_files]: why a file's outputs could not be written (the file
     * was read; "書き込めません：…"), or NULL.  With any, no summary is
     * written and the earlier one stays. */
    char **output_failed;
    size_t n_output_failed;
    int interrupted;      /* the signal that stopped the run, or 0 */
    size_t not_processed; /* files not processed because of it */
} sk_batch;

/* Runs the batch over inputs[0..n_inputs) into outdir.  Returns an error
 * (d says which and why) only when the batch could not run at all: the
 * output folder cannot be made or contains an input, no memory, no pipes.
 * Everything about single files is in *out. */
sk_error sk_batch_run(const char *const *inputs, int n_inputs, const char *outdir, const sk_batch_opts *o,
                      sk_batch **out, sk_diag *d);

/* Frees a batch result (NULL is fine). */
void sk_batch_free(sk_batch *b);

#endif
