/* sechk — batch: files in worker processes, outputs mirrored, a summary. */
#include "sechk/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sechk/diff.h"
#include "sechk/extract.h"
#include "sechk/json.h"
#include "sechk/output.h"
#include "sechk/pool.h"
#include "sechk/review.h"
#include "sechk/text.h"
#include "sechk/validate.h"

/* What the batch plans for one input file. */
typedef struct plan {
    char *json;       /* OUTDIR/NAME.json */
    char *review;     /* OUTDIR/NAME.review.xlsx */
    char *review_rel; /* NAME.review.xlsx */
    char *name;       /* NAME */
} plan;

typedef struct run {
    const sk_batch_opts *o;
    sk_batch *b;
    plan *plans; /* [n_plans]: one per file */
    size_t n_plans;
    size_t *todo; /* task → file index */
    size_t n_todo;
    bool *ready;      /* [n_plans]: the file's row is complete */
    size_t next_row;  /* rows before it went to the summary */
    sk_summary_writer *summary; /* summary.xlsx, written while workers run; NULL if it cannot be */
    sk_batch_progress progress;
    double start;
    char **out_err;   /* [n_plans]: why the file's outputs could not be written, or NULL */
} run;

/* Seconds on the monotonic clock. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sk_batch_free(sk_batch *b)
{
    if (!b)
        return;
    if (b->files && b->walk)
        for (size_t i = 0; i < b->walk->n_files; i++)
            sk_summary_file_clear(&b->files[i]);
    if (b->output_failed && b->walk)
        for (size_t i = 0; i < b->walk->n_files; i++)
            free(b->output_failed[i]);
    free(b->output_failed);
    if (b->names && b->walk)
        for (size_t i = 0; i < b->walk->n_files; i++)
            free(b->names[i]);
    free(b->names);
    free(b->files);
    sk_walk_free(b->walk);
    free(b);
}

/* Creates folder path and its parents; returns 0 or an errno. */
static int mkdir_p(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    char *p = sk_strndup(path, strlen(path));
    if (!p)
        return ENOMEM;
    int err = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            err = errno;
        else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            err = ENOTDIR;
        *s = c;
        if (err || c == '\0')
            break;
    }
    free(p);
    return err;
}

/* The reason text of a diagnostic: "where: reason". */
static void diag_text(const sk_diag *d, char *out, size_t cap)
{
    const char *why = d->reason[0] ? d->reason : sk_strerror(d->code);
    if (d->where[0])
        snprintf(out, cap, "%s: %s", d->where, why);
    else
        snprintf(out, cap, "%s", why);
}

/* ---- planning the outputs ---- */

/* ASCII case-folded comparison of two names (a case-insensitive output
 * folder would make "X" and "x" one file). */
static int cmp_fold(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

typedef struct name_ref {
    char *name;
    size_t file;
} name_ref;

/* Orders names case-folded, then by file (path order). */
static int cmp_name_ref(const void *pa, const void *pb)
{
    const name_ref *a = pa, *b = pb;
    int c = cmp_fold(a->name, b->name);
    if (c)
        return c;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* The file's relative path without its extension. */
static char *stem_of(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot > base ? (size_t)(dot - rel) : strlen(rel);
    return sk_strndup(rel, len);
}

/* Characters that Windows and macOS shares refuse in names, or that would
 * make a link in the summary a URL or UNC path, become '_'; a last
 * component longer than fits with ".review.xlsx" in 255 bytes is cut at a
 * character boundary (uniqueness is restored by make_unique). */
static void sanitize_name(char *name)
{
    for (char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || strchr("\\:*?\"<>|", *p))
            *p = '_';
    char *last = strrchr(name, '/');
    last = last ? last + 1 : name;
    size_t len = strlen(last), cap = 255 - strlen(".review.xlsx") - 8; /* room for "~N" */
    if (len > cap) {
        size_t cut = cap;
        while (cut > 0 && ((unsigned char)last[cut] & 0xC0) == 0x80)
            cut--;
        last[cut] = '\0';
    }
}

/* Makes every NAME unique over the whole set, also case-folded: a later
 * file whose name meets an earlier one gets "~N" with the smallest N that
 * is free. */
static sk_error make_unique(size_t n, plan *plans)
{
    name_ref *refs = calloc(n ? n : 1, sizeof *refs);
    if (!refs)
        return SK_ERR_NOMEM;
    sk_error e = SK_OK;
    while (!e) { /* each round renames one file to a free name: at most n rounds */
        for (size_t i = 0; i < n; i++)
            refs[i] = (name_ref){plans[i].name, i};
        qsort(refs, n, sizeof *refs, cmp_name_ref);
        bool clash = false;
        for (size_t i = 1; i < n && !e; i++) {
            if (cmp_fold(refs[i - 1].name, refs[i].name) != 0)
                continue;
            clash = true;
            size_t f = refs[i].file;
            for (unsigned k = 2;; k++) {
                sk_buf s = SK_BUF_INIT;
                if ((e = sk_buf_printf(&s, "%s~%u", plans[f].name, k)) != SK_OK) {
                    sk_buf_free(&s);
                    break;
                }
                /* free among the sorted names? */
                name_ref key = {s.data, 0};
                size_t lo = 0, hi = n;
                bool taken = false;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    int c = cmp_fold(refs[mid].name, key.name);
                    if (c == 0) {
                        taken = true;
                        break;
                    }
                    if (c < 0)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                if (taken) {
                    sk_buf_free(&s);
                    continue;
                }
                free(plans[f].name);
                plans[f].name = s.data;
                break;
            }
            break; /* the order changed: sort again */
        }
        if (!clash)
            break;
    }
    free(refs);
    return e;
}

/* Gives every file a NAME; names that meet get the extension back, and then
 * a number ("x.xlsx~2"), in path order. */
static sk_error plan_names(const sk_walk *w, plan *plans)
{
    size_t n = w->n_files;
    name_ref *refs = calloc(n ? n : 1, sizeof *refs);
    if (!refs)
        return SK_ERR_NOMEM;
    sk_error e = SK_OK;
    for (size_t i = 0; i < n && !e; i++)
        if (!(plans[i].name = stem_of(w->files[i].rel)))
            e = SK_ERR_NOMEM;
        else
            sanitize_name(plans[i].name);
    for (int pass = 0; pass < 2 && !e; pass++) {
        for (size_t i = 0; i < n; i++)
            refs[i] = (name_ref){plans[i].name, i};
        qsort(refs, n, sizeof *refs, cmp_name_ref);
        for (size_t i = 0; i < n && !e;) {
            size_t j = i + 1;
            while (j < n && cmp_fold(refs[i].name, refs[j].name) == 0)
                j++;
            for (size_t k = i; k < j && j - i > 1 && !e; k++) {
                size_t f = refs[k].file;
                sk_buf s = SK_BUF_INIT;
                e = pass == 0 ? sk_buf_append(&s, w->files[f].rel)
                              : sk_buf_printf(&s, "%s~%zu", plans[f].name, k - i + 1);
                if (e) {
                    sk_buf_free(&s);
                    break;
                }
                if (pass == 0)
                    sanitize_name(s.data);
                free(plans[f].name);
                plans[f].name = s.data;
            }
            i = j;
        }
    }
    free(refs);
    if (!e)
        e = make_unique(n, plans);
    return e;
}

typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

/* Orders file identities. */
static int cmp_id(const void *pa, const void *pb)
{
    const file_id *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* True if path exists and is one of the inputs. */
static bool is_input(const char *path, const file_id *ids, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    file_id key = {st.st_dev, st.st_ino};
    return bsearch(&key, ids, n, sizeof *ids, cmp_id) != NULL;
}

/* Plans outputs for every file; files whose outputs cannot be placed are
 * failed here, the others listed in r->todo. */
static sk_error plan_outputs(run *r, const char *outdir)
{
    sk_batch *b = r->b;
    const sk_walk *w = b->walk;
    bool ja = r->o->lang == SK_LANG_JA;
    size_t n = w->n_files;
    file_id *ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids)
        return SK_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        ids[i] = (file_id){w->files[i].dev, w->files[i].ino};
    qsort(ids, n, sizeof *ids, cmp_id);
    sk_error e = plan_names(w, r->plans);
    for (size_t i = 0; i < n && !e; i++) {
        plan *p = &r->plans[i];
        sk_buf s = SK_BUF_INIT;
        if ((e = sk_buf_printf(&s, "%s/%s.json", outdir, p->name)) != SK_OK)
            break;
        p->json = sk_buf_take(&s);
        if ((e = sk_buf_printf(&s, "%s/%s.review.xlsx", outdir, p->name)) != SK_OK)
            break;
        p->review = sk_buf_take(&s);
        if ((e = sk_buf_printf(&s, "%s.review.xlsx", p->name)) != SK_OK)
            break;
        p->review_rel = sk_buf_take(&s);
        if (!p->json || !p->review || !p->review_rel) {
            e = SK_ERR_NOMEM;
            break;
        }
        char reason[600];
        reason[0] = '\0';
        if (is_input(p->json, ids, n) || is_input(p->review, ids, n))
            snprintf(reason, sizeof reason, "%s",
                     ja ? "出力ファイルが入力ファイルと同じです" : "an output would overwrite an input file");
        if (reason[0])
            e = sk_summary_file_fail(&b->files[i], reason);
        else
            r->todo[r->n_todo++] = i;
    }
    free(ids);
    return e;
}

/* ---- in a worker ---- */

/* Replaces each invalid UTF-8 byte of *s with U+FFFD (a file name from a
 * Japanese Windows zip may be in CP932 bytes; JSON holds only UTF-8). */
static sk_error make_utf8(char **s)
{
    size_t len = strlen(*s), pos = 0;
    if (sk_utf8_valid(*s, len))
        return SK_OK;
    sk_buf b = SK_BUF_INIT;
    sk_error e = SK_OK;
    while (pos < len && !e) {
        size_t start = pos;
        int32_t cp = sk_utf8_next(*s, len, &pos);
        e = cp < 0 ? sk_buf_put_cp(&b, 0xFFFD) : sk_buf_append_len(&b, *s + start, pos - start);
    }
    if (e) {
        sk_buf_free(&b);
        return e;
    }
    free(*s);
    *s = b.data;
    return SK_OK;
}

/* Heap settings for workers (brief section 9): libxlsxwriter grows and trims
 * the heap constantly; padding and a high trim threshold keep it in place. */
static void worker_init(void *ctx)
{
    (void)ctx;
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

/* Reads, checks and writes one file; the result is its summary row. */
static void worker_task(void *ctx, size_t task, sk_buf *result)
{
    run *r = ctx;
    const sk_batch_opts *o = r->o;
    size_t i = r->todo[task];
    const sk_walk_file *wf = &r->b->walk->files[i];
    const plan *p = &r->plans[i];
    bool ja = o->lang == SK_LANG_JA;
    sk_summary_file row;
    memset(&row, 0, sizeof row);
    row.phase = -1;
    sk_answers *a = NULL;
    sk_buf json = SK_BUF_INIT;
    char reason[1200], outerr[1200];
    reason[0] = outerr[0] = '\0';
    sk_diag d;
    sk_diag_clear(&d);
    sk_extract_opts xo = {.sheet = o->sheet};
    sk_error e = sk_extract_file_opts(wf->path, o->tpl, &o->limits, &xo, &a, &d);
    if (!e)
        e = sk_validate(a, o->phase, &d);
    if (e) {
        diag_text(&d, reason, sizeof reason);
        if (e == SK_ERR_NOMEM && o->memory)
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason), " (%s --max-memory-bytes %llu)",
                     ja ? "メモリの上限" : "memory limit", (unsigned long long)o->memory);
        goto out;
    }
    if (make_utf8(&a->path)) {
        snprintf(reason, sizeof reason, "out of memory");
        goto out;
    }
    sk_diag_clear(&d);
    if (sk_json_write_answers(a, o->lang, 0, &json) != SK_OK || sk_buf_putc(&json, '\n') != SK_OK)
        e = sk_diag_set(&d, SK_ERR_NOMEM, "out of memory");
    else
        e = sk_out_write_file(p->json, json.data, json.len, &d);
    if (!e && o->review) {
        time_t mt = wf->mtime.tv_sec > 0 ? wf->mtime.tv_sec : 1;
        sk_review_opts ro = o->letter ? *o->letter : (sk_review_opts){0};
        ro.lang = o->lang;
        ro.created = o->epoch ? o->epoch : mt;
        ro.previous = NULL;
        char *project = NULL;
        sk_diag_clear(&d);
        if (!ro.project && !o->sheet && a->project)
            ro.project = a->project; /* the workbook's own 事業名, read by extract */
        else if (!ro.project && !o->sheet && sk_project_read_file(wf->path, a, &o->limits, &project, &d) == SK_OK)
            ro.project = project; /* (read once already: a failure leaves it blank) */
        sk_diag_clear(&d);
        e = sk_review_write(a, p->review, &ro, &d);
        free(project);
    }
    if (e) {
        /* the input was read: the failure is the output's (an earlier
         * file of that name is left as it was) */
        char what[1100];
        if (d.file[0])
            snprintf(what, sizeof what, "%s: %s", d.file, d.reason[0] ? d.reason : sk_strerror(d.code));
        else
            diag_text(&d, what, sizeof what);
        snprintf(outerr, sizeof outerr, "%s%s", ja ? "書き込めません：" : "cannot write: ", what);
    }
    e = sk_summary_file_from_answers(a, o->lang, &row);
    if (e)
        snprintf(reason, sizeof reason, "out of memory");
out:
    if (reason[0])
        sk_summary_file_fail(&row, reason);
    /* the result: a flag and the output failure, then the row */
    if (sk_buf_putc(result, outerr[0] ? 1 : 0) != SK_OK ||
        (outerr[0] && sk_buf_append_len(result, outerr, strlen(outerr) + 1) != SK_OK) ||
        sk_summary_file_encode(&row, result) != SK_OK) {
        sk_buf_reset(result); /* an empty result reads as malformed in the parent */
    }
    sk_summary_file_clear(&row);
    sk_buf_free(&json);
    sk_answers_free(a);
}

/* ---- in the parent ---- */

/* The reason for a task that did not come back. */
static void fate_text(const run *r, const sk_pool_outcome *oc, char *out, size_t cap)
{
    bool ja = r->o->lang == SK_LANG_JA;
    double secs = r->o->seconds;
    switch (oc->fate) {
    case SK_POOL_SIGNAL:
        if (oc->code == SIGXCPU)
            snprintf(out, cap,
                     ja ? "CPU 時間の上限（%g 秒）を超えたため中止しました (CPU time limit; --max-seconds)"
                        : "CPU time limit (%g s) exceeded; stopped (--max-seconds)",
                     secs);
        else
            snprintf(out, cap,
                     ja ? "処理中のワーカーが異常終了しました (worker crashed (signal %d: %s))"
                        : "worker crashed (signal %d: %s)",
                     oc->code, strsignal(oc->code));
        break;
    case SK_POOL_EXIT:
        snprintf(out, cap,
                 ja ? "処理中のワーカーが終了しました (worker exited with status %d)" : "worker exited with status %d",
                 oc->code);
        break;
    case SK_POOL_TIMEOUT:
        snprintf(out, cap,
                 ja ? "時間の上限（%g 秒）を超えたため中止しました (time limit; --max-seconds)"
                    : "time limit (%g s) exceeded; stopped (--max-seconds)",
                 secs);
        break;
    case SK_POOL_BAD_RESULT:
        snprintf(out, cap,
                 ja ? "ワーカーの結果が不正です (malformed result from a worker)" : "malformed result from a worker");
        break;
    case SK_POOL_NO_WORKER:
        snprintf(out, cap, ja ? "ワーカーを起動できません (cannot start a worker: %s)" : "cannot start a worker: %s",
                 strerror(oc->code));
        break;
    case SK_POOL_DONE: out[0] = '\0'; break;
    }
}

/* Completes row i: its path and its review link. */
static sk_error finish_row(run *r, size_t i)
{
    sk_summary_file *f = &r->b->files[i];
    const char *path = r->b->walk->files[i].path;
    if (!f->path && !(f->path = sk_strndup(path, strlen(path))))
        return SK_ERR_NOMEM;
    const char *rel = r->b->walk->files[i].rel; /* summary.xlsx shows the path below the input folder */
    if (rel && !f->rel && !(f->rel = sk_strndup(rel, strlen(rel))))
        return SK_ERR_NOMEM;
    if (!f->reason && r->o->review && !f->review && !r->out_err[i] &&
        !(f->review = sk_strndup(r->plans[i].review_rel, strlen(r->plans[i].review_rel))))
        return SK_ERR_NOMEM;
    return SK_OK;
}

/* Hands the complete rows, in file order, to the summary being written
 * while the workers run (the pool gives a worker its next file before it
 * reports a result, so this overlaps their work). */
static void flush_rows(run *r)
{
    for (; r->next_row < r->n_plans && r->ready[r->next_row]; r->next_row++) {
        if (finish_row(r, r->next_row) != SK_OK) {
            sk_summary_xlsx_abort(r->summary);
            r->summary = NULL; /* written again at the end from the rows */
        }
        if (r->summary) {
            sk_out_quiet(true);
            sk_summary_xlsx_add(r->summary, &r->b->files[r->next_row]);
            sk_out_quiet(false);
        }
    }
}

/* Records the outcome of a task in its file's row. */
static void task_done(void *ctx, size_t task, const sk_pool_outcome *oc)
{
    run *r = ctx;
    size_t i = r->todo[task];
    sk_summary_file *row = &r->b->files[i];
    char reason[600];
    reason[0] = '\0';
    if (oc->fate != SK_POOL_DONE && r->o->stop && *r->o->stop)
        return; /* ended by the interruption: not processed */
    if (oc->fate == SK_POOL_DONE) {
        sk_diag d;
        sk_diag_clear(&d);
        const char *data = oc->data;
        size_t len = oc->len;
        const char *nul = len > 1 && data[0] == 1 ? memchr(data + 1, '\0', len - 1) : NULL;
        if (len > 0 && data[0] == 1 && nul) {
            if (!r->out_err[i])
                r->out_err[i] = sk_strndup(data + 1, (size_t)(nul - data - 1));
            len -= (size_t)(nul + 1 - data);
            data = nul + 1;
        } else if (len > 0 && data[0] == 0) {
            data++;
            len--;
        } else {
            len = 0; /* malformed */
        }
        if (sk_summary_file_decode(data, len, r->o->tpl->n_items, row, &d) != SK_OK)
            diag_text(&d, reason, sizeof reason);
        if (r->out_err[i] && r->summary) { /* the summary would link to stale outputs */
            sk_summary_xlsx_abort(r->summary);
            r->summary = NULL;
        }
    } else {
        fate_text(r, oc, reason, sizeof reason);
    }
    if (reason[0])
        sk_summary_file_fail(row, reason); /* on no memory the row stays unreadable with "?" */
    r->progress.done++;
    if (row->reason)
        r->progress.unreadable++;
    else if (row->errors)
        r->progress.deficient++;
    r->ready[i] = true;
    flush_rows(r);
}

/* Reports progress. */
static void tick(void *ctx)
{
    run *r = ctx;
    r->progress.elapsed = now_s() - r->start;
    r->o->progress(r->o->ctx, &r->progress);
}

/* Checks that no input lies inside the output folder (its real path). */
static sk_error check_inputs_outside(const char *const *inputs, int n, const char *outdir, sk_diag *d)
{
    char *out = realpath(outdir, NULL);
    if (!out)
        return sk_diag_set(d, SK_ERR_WRITE, "cannot resolve the output folder: %s", strerror(errno));
    size_t len = strlen(out);
    sk_error e = SK_OK;
    for (int i = 0; i < n && !e; i++) {
        char *in = realpath(inputs[i], NULL);
        if (in && strncmp(in, out, len) == 0 && (in[len] == '\0' || in[len] == '/' || len == 1)) {
            sk_diag_file(d, inputs[i]);
            e = sk_diag_set(d, SK_ERR_USAGE,
                            "入力が出力フォルダ %s の中にあります。別の出力フォルダを指定してください "
                            "(the input lies inside the output folder)",
                            outdir);
        }
        free(in);
    }
    free(out);
    return e;
}

/* Takes the batch lock of outdir (a lock on OUTDIR/.sechk.lock held while
 * the run lasts; the kernel drops it when the process ends).  Returns the fd
 * or -1 (d says why, naming the other run's pid). */
static int lock_outdir(const char *outdir, sk_lang lang, sk_diag *d)
{
    sk_buf p = SK_BUF_INIT;
    if (sk_buf_printf(&p, "%s/.sechk.lock", outdir) != SK_OK) {
        sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        return -1;
    }
    int fd = open(p.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        int e = errno;
        sk_diag_file(d, p.data);
        sk_buf_free(&p);
        sk_diag_set(d, SK_ERR_WRITE, "%s: %s",
                    lang == SK_LANG_JA ? "書き込めません：ロックファイルを開けません" : "cannot write: cannot open the lock file",
                    e == ELOOP ? "a symbolic link (not followed)" : strerror(e));
        return -1;
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        int e = errno;
        struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        long pid = fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK ? (long)who.l_pid : 0;
        close(fd);
        sk_diag_file(d, outdir);
        if (e == EACCES || e == EAGAIN)
            sk_diag_set(d, SK_ERR_USAGE,
                        lang == SK_LANG_JA ? "別の sechk batch（pid %ld）がこの出力フォルダに書き込んでいます。終わってから実行してください"
                                           : "another sechk batch (pid %ld) is writing to this output folder; run again when it has finished",
                        pid);
        else
            sk_diag_set(d, SK_ERR_WRITE, "cannot lock the output folder: %s", strerror(e));
        sk_buf_free(&p);
        return -1;
    }
    sk_buf_free(&p);
    return fd;
}

sk_error sk_batch_run(const char *const *inputs, int n_inputs, const char *outdir, const sk_batch_opts *o,
                      sk_batch **out, sk_diag *d)
{
    *out = NULL;
    run r = {0};
    r.o = o;
    sk_summary_problem *problems = NULL;
    char *reasons = NULL;
    r.start = now_s();
    int err = mkdir_p(outdir);
    if (err) {
        sk_diag_file(d, outdir);
        return sk_diag_set(d, SK_ERR_WRITE, "cannot create the output folder: %s", strerror(err));
    }
    sk_error e = check_inputs_outside(inputs, n_inputs, outdir, d);
    if (e)
        return e;
    int lockfd = lock_outdir(outdir, o->lang, d);
    if (lockfd < 0)
        return d->code ? d->code : SK_ERR_WRITE;
    if ((e = sk_out_stage_begin(outdir, d)) != SK_OK) {
        close(lockfd);
        return e;
    }
    /* one sync of the output file system at the end instead of one per file
     * (workers inherit the setting) */
    sk_out_set_sync(false);
    sk_batch *b = calloc(1, sizeof *b);
    if (!b) {
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    r.b = b;
    if ((e = sk_walk_inputs(inputs, n_inputs, outdir, &b->walk, d)) != SK_OK)
        goto fail;
    size_t n = b->walk->n_files;
    b->files = calloc(n ? n : 1, sizeof *b->files);
    r.plans = calloc(n ? n : 1, sizeof *r.plans);
    r.todo = calloc(n ? n : 1, sizeof *r.todo);
    r.out_err = calloc(n ? n : 1, sizeof *r.out_err);
    if (!b->files || !r.plans || !r.todo || !r.out_err) {
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    r.n_plans = n;
    for (size_t i = 0; i < n; i++)
        b->files[i].phase = -1;
    if ((e = plan_outputs(&r, outdir)) != SK_OK) {
        sk_diag_set(d, e, "out of memory");
        goto fail;
    }
    r.progress.total = n;
    r.progress.done = n - r.n_todo;
    r.progress.unreadable = n - r.n_todo;
    if (!(r.ready = calloc(n ? n : 1, sizeof *r.ready))) {
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        r.ready[i] = true;
    for (size_t k = 0; k < r.n_todo; k++)
        r.ready[r.todo[k]] = false;
    sk_buf spath = SK_BUF_INIT;
    sk_diag sd;
    sk_diag_clear(&sd);
    sk_out_quiet(true);
    if (sk_buf_printf(&spath, "%s/summary.xlsx", outdir) == SK_OK)
        sk_summary_xlsx_begin(o->tpl, o->lang, spath.data, &r.summary, &sd); /* else written at the end */
    sk_out_quiet(false);
    sk_buf_free(&spath);
    flush_rows(&r);
    sk_pool_opts po = {
        .workers = o->jobs,
        .seconds = o->seconds,
        .cpu_seconds = (unsigned)ceil(o->seconds),
        .memory = o->memory,
        .init = worker_init,
        .work = worker_task,
        .done = task_done,
        .tick = o->progress ? tick : NULL,
        .ctx = &r,
        .stop = o->stop,
    };
    if ((e = sk_pool_run(r.n_todo, &po, d)) != SK_OK)
        goto fail;
    if (o->stop && *o->stop) { /* interrupted: the rest are listed as not processed */
        b->interrupted = (int)*o->stop;
        for (size_t i = 0; i < n; i++)
            if (!r.ready[i]) {
                b->not_processed++;
                if (sk_summary_file_fail(&b->files[i], o->lang == SK_LANG_JA ? "中断のため未処理 (interrupted)"
                                                                             : "not processed (interrupted)") != SK_OK) {
                    e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
                    goto fail;
                }
                r.ready[i] = true;
            }
    }
    flush_rows(&r);
    /* outputs that could not be written: reported by file; no summary then
     * (it would link to outputs that are not this run's), the earlier one
     * is left as it was */
    b->output_failed = r.out_err; /* shared from here: sk_batch_free frees it */
    for (size_t i = 0; i < n; i++)
        b->n_output_failed += b->output_failed[i] != NULL;

    /* rows: paths, review links, tallies */
    time_t latest = 1;
    for (size_t i = 0; i < n; i++) {
        sk_summary_file *f = &b->files[i];
        if (finish_row(&r, i) != SK_OK) {
            e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if (f->reason)
            b->unreadable++;
        else {
            b->read++;
            b->deficient += f->errors > 0;
        }
        if (b->walk->files[i].mtime.tv_sec > latest)
            latest = b->walk->files[i].mtime.tv_sec;
    }
    b->unreadable -= b->not_processed; /* listed, but not as unreadable */
    if (o->progress) {
        r.progress.elapsed = now_s() - r.start;
        o->progress(o->ctx, &r.progress);
    }

    /* the summary; unreadable folders and missing arguments join sheet 3 */
    size_t n_fatal = 0;
    for (size_t k = 0; k < b->walk->n_problems; k++)
        n_fatal += sk_walk_problem_fatal(&b->walk->problems[k]);
    problems = calloc(n_fatal ? n_fatal : 1, sizeof *problems);
    reasons = calloc(n_fatal ? n_fatal : 1, 300);
    if (!problems || !reasons) {
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    n_fatal = 0;
    for (size_t k = 0; k < b->walk->n_problems; k++) {
        const sk_walk_problem *wp = &b->walk->problems[k];
        if (!sk_walk_problem_fatal(wp))
            continue;
        sk_walk_problem_text(wp, o->lang, reasons + 300 * n_fatal, 300);
        problems[n_fatal] = (sk_summary_problem){wp->path, reasons + 300 * n_fatal};
        n_fatal++;
    }
    sk_summary s = {o->tpl, o->lang, b->files, n, problems, n_fatal};
    sk_buf path = SK_BUF_INIT, csv = SK_BUF_INIT;
    sk_diag *od = &b->output_errors[0];
    sk_diag_clear(od);
    time_t created = o->epoch ? o->epoch : latest;
    if (b->n_output_failed) {
        sk_summary_xlsx_abort(r.summary);
        r.summary = NULL;
        goto synced;
    }
    sk_out_quiet(true);
    sk_error se = sk_buf_printf(&path, "%s/summary.xlsx", outdir);
    if (!se && r.summary && r.next_row == n) /* the rows are in: the problems, and close */
        se = sk_summary_xlsx_finish(r.summary, problems, n_fatal, created, od);
    else if (!se) /* it could not be started, or a row was lost: all at once */
        se = sk_summary_xlsx(&s, path.data, created, od);
    sk_out_quiet(false);
    r.summary = NULL;
    if (se) {
        sk_diag_file(od, path.data ? path.data : "summary.xlsx");
        b->n_output_errors++;
    }
    od = &b->output_errors[b->n_output_errors];
    sk_diag_clear(od);
    sk_buf_reset(&path);
    if (sk_buf_printf(&path, "%s/summary.csv", outdir) || sk_summary_csv(&s, o->cp932, &csv, od) ||
        sk_out_write_file(path.data, csv.data ? csv.data : "", csv.len, od)) {
        sk_diag_file(od, path.data ? path.data : "summary.csv");
        b->n_output_errors++;
    }
    sk_buf_free(&path);
    sk_buf_free(&csv);
    int fd = open(outdir, O_RDONLY | O_DIRECTORY);
    if ((fd < 0 || syncfs(fd) != 0) && b->n_output_errors < 2) {
        od = &b->output_errors[b->n_output_errors++];
        sk_diag_clear(od);
        sk_diag_file(od, outdir);
        sk_diag_set(od, SK_ERR_WRITE, "cannot flush the outputs to disk: %s", strerror(errno));
    }
    if (fd >= 0)
        close(fd);
synced:
    b->seconds = now_s() - r.start;
    e = SK_OK;
fail:
    sk_summary_xlsx_abort(r.summary); /* only when it was not finished */
    sk_out_stage_end();
    close(lockfd);
    if (r.out_err && !(b && b->output_failed)) {
        for (size_t i = 0; i < r.n_plans; i++)
            free(r.out_err[i]);
        free(r.out_err);
    }
    free(r.ready);
    sk_out_set_sync(true);
    free(problems);
    free(reasons);
    /* the names stay with the result (batch --previous writes NAME.diff.json) */
    if (!e && r.n_plans && (b->names = calloc(r.n_plans, sizeof *b->names)))
        for (size_t i = 0; i < r.n_plans; i++) {
            b->names[i] = r.plans[i].name;
            r.plans[i].name = NULL;
        }
    for (size_t i = 0; i < r.n_plans; i++) {
        free(r.plans[i].json);
        free(r.plans[i].review);
        free(r.plans[i].review_rel);
        free(r.plans[i].name);
    }
    free(r.plans);
    free(r.todo);
    if (e)
        sk_batch_free(b);
    else
        *out = b;
    return e;
}
