/* sechk — finding the workbooks of a batch: files and folders, walked.
 *
 * Folders are walked recursively in name order (symlinks followed), taking
 * .xlsx and .xlsm files, and also .xls, .xlsb and .ods, which are submissions
 * in a format sechk cannot read: they are taken so that the reader names what
 * they are instead of their being skipped unnoticed.  Skipped, and counted by
 * reason: Excel lock files (~$…), hidden files and folders (.…), other files,
 * things that are not regular files, broken symlinks, symlink loops, the
 * output folder, and a file reached a second time (through a link or an
 * overlapping argument).  A file named as an argument is always taken.
 *
 * A file reached twice is kept once: under a name that is not a symlink if
 * it has one, else under its smallest path.
 *
 * The files come out sorted by path (bytewise), each with its path relative
 * to the deepest folder that holds every argument, which is what a batch
 * mirrors under its output folder.
 *
 * Ownership: sk_walk_inputs returns a new sk_walk; free with sk_walk_free.
 */
#ifndef SECHK_WALK_H
#define SECHK_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "sechk/error.h"
#include "sechk/lang.h"

typedef enum sk_skip_reason {
    SK_SKIP_LOCK = 0,    /* ~$… : an Excel lock file */
    SK_SKIP_HIDDEN,      /* a name starting with "." (a hidden folder counts once) */
    SK_SKIP_OTHER,       /* not a workbook by its extension */
    SK_SKIP_SPECIAL,     /* not a regular file (device, FIFO, socket) */
    SK_SKIP_BROKEN_LINK, /* a symlink to nothing */
    SK_SKIP_LOOP,        /* a symlink back to a folder being walked (also listed as a problem) */
    SK_SKIP_OUTPUT,      /* the output folder, inside an input folder */
    SK_SKIP_DUPLICATE,   /* a file or folder reached a second time */
    SK_SKIP_SECHK_OUTPUT, /* a review copy or summary sechk wrote (marked in its properties) */
    SK_SKIP__COUNT
} sk_skip_reason;

/* Short label of a skip reason ("ロックファイル", "lock files"). */
const char *sk_skip_label(sk_skip_reason r, sk_lang lang);

typedef enum sk_walk_problem_kind {
    SK_WALK_MISSING = 0, /* an argument that does not exist or cannot be examined (fatal) */
    SK_WALK_UNREADABLE,  /* a folder that cannot be listed (fatal) */
    SK_WALK_LOOP         /* a symlink loop (reported, not fatal) */
} sk_walk_problem_kind;

typedef struct sk_walk_problem {
    char *path;
    sk_walk_problem_kind kind;
    int err; /* errno, or 0 */
} sk_walk_problem;

/* The problem as one line of text ("フォルダを読めません: Permission denied"). */
void sk_walk_problem_text(const sk_walk_problem *p, sk_lang lang, char *out, size_t cap);

/* True for problems that mean an input could not be read. */
bool sk_walk_problem_fatal(const sk_walk_problem *p);

typedef struct sk_walk_file {
    char *path; /* the argument, or the argument joined with the path found under it */
    char *rel;  /* relative to the common folder of the arguments ("a/b/x.xlsx") */
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    bool via_link; /* the name found is a symlink (of two names, the real one is kept) */
} sk_walk_file;

typedef struct sk_walk {
    sk_walk_file *files; /* sorted by path */
    size_t n_files;
    size_t skipped[SK_SKIP__COUNT];
    sk_walk_problem *problems; /* in the order met */
    size_t n_problems;
} sk_walk;

/* Walks args[0..n).  exclude (may be NULL) is a folder never walked into:
 * the output folder.  Problems with single inputs are recorded in the
 * result, not returned; the return value is SK_ERR_NOMEM or SK_OK. */
sk_error sk_walk_inputs(const char *const *args, int n, const char *exclude, sk_walk **out, sk_diag *d);

/* Frees a walk (NULL is fine). */
void sk_walk_free(sk_walk *w);

/* Total of the skipped counts. */
size_t sk_walk_skipped(const sk_walk *w);

#endif
