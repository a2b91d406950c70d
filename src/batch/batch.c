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
#include "sechk/names.h"
#include "sechk/output.h"
#include "sechk/pool.h"
#include "sechk/reason.h"
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

/* ---- planning the outputs ---- */

/* Gives every file its NAME (sechk/names.h). */
static sk_error plan_names(const sk_walk *w, plan *plans)
{
    size_t n = w->n_files;
    const char **rel = calloc(n ? n : 1, sizeof *rel);
    char **names = calloc(n ? n : 1, sizeof *names);
    sk_error e = rel && names ? SK_OK : SK_ERR_NOMEM;
    for (size_t i = 0; i < n && !e; i++)
        rel[i] = w->files[i].rel;
    if (!e)
        e = sk_batch_names(rel, n, names);
    for (size_t i = 0; i < n && names; i++)
        plans[i].name = names[i]; /* freed with the plans, also on failure */
    free(rel);
    free(names);
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
            sk_phrase_format(reason, sizeof reason, r->o->lang, SK_PHRASE_OUT_IS_INPUT);
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
 * the heap constantly; padding and a high trim threshold keep it in place.
 * With TZ unset, glibc stats /etc/localtime at every mktime (libzip makes
 * one per zip entry: some 20 calls a file); naming the same zone file keeps
 * the times as they were and lets glibc see that nothing changed. */
static void worker_init(void *ctx)
{
    (void)ctx;
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    if (!getenv("TZ"))
        setenv("TZ", ":/etc/localtime", 1);
}

/* Reads, checks and writes one file; the result is its summary row. */
static void worker_task(void *ctx, size_t task, sk_buf *result)
{
    run *r = ctx;
    const sk_batch_opts *o = r->o;
    size_t i = r->todo[task];
    const sk_walk_file *wf = &r->b->walk->files[i];
    const plan *p = &r->plans[i];
    sk_summary_file row;
    memset(&row, 0, sizeof row);
    row.phase = -1;
    sk_answers *a = NULL;
    sk_buf json = SK_BUF_INIT;
    char reason[1200], outerr[1200];
    reason[0] = outerr[0] = '\0';
    sk_diag d;
    sk_diag_clear(&d);
    char *project = NULL; /* the workbook's own 事業名 for its review copy */
    sk_extract_opts xo = {.sheet = o->sheet, .open = o->open};
    if (o->review && !(o->letter && o->letter->project) && !o->sheet)
        xo.project = &project;
    sk_error e = sk_extract_file_opts(wf->path, o->tpl, &o->limits, &xo, &a, &d);
    if (!e)
        e = sk_validate(a, o->phase, &d);
    if (e) {
        sk_diag_text(&d, o->lang, reason, sizeof reason);
        if (e == SK_ERR_NOMEM && o->memory)
            sk_phrase_format(reason + strlen(reason), sizeof reason - strlen(reason), o->lang, SK_PHRASE_MEMORY_LIMIT,
                             (unsigned long long)o->memory);
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
        if (!ro.project)
            ro.project = project; /* read with the answers: a failure there leaves it blank */
        sk_diag_clear(&d);
        e = sk_review_write(a, p->review, &ro, &d);
    }
    if (e) {
        /* the input was read: the failure is the output's (an earlier
         * file of that name is left as it was) */
        char what[1100], why[800];
        if (d.file[0])
            snprintf(what, sizeof what, "%s: %s", d.file, sk_diag_reason(&d, o->lang, why, sizeof why));
        else
            sk_diag_text(&d, o->lang, what, sizeof what);
        sk_phrase_format(outerr, sizeof outerr, o->lang, SK_PHRASE_CANNOT_WRITE, what);
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
    free(project);
}

/* ---- in the parent ---- */

/* The reason for a task that did not come back. */
static void fate_text(const run *r, const sk_pool_outcome *oc, char *out, size_t cap)
{
    sk_lang lang = r->o->lang;
    double secs = r->o->seconds;
    switch (oc->fate) {
    case SK_POOL_SIGNAL:
        if (oc->code == SIGXCPU)
            sk_phrase_format(out, cap, lang, SK_PHRASE_CPU_LIMIT, secs);
        else
            sk_phrase_format(out, cap, lang, SK_PHRASE_WORKER_CRASHED, oc->code, strsignal(oc->code));
        break;
    case SK_POOL_EXIT:
        sk_phrase_format(out, cap, lang, SK_PHRASE_WORKER_EXITED, oc->code);
        break;
    case SK_POOL_TIMEOUT:
        sk_phrase_format(out, cap, lang, SK_PHRASE_TIME_LIMIT, secs);
        break;
    case SK_POOL_BAD_RESULT:
        sk_phrase_format(out, cap, lang, SK_PHRASE_BAD_RESULT);
        break;
    case SK_POOL_NO_WORKER:
        sk_phrase_format(out, cap, lang, SK_PHRASE_NO_WORKER, strerror(oc->code));
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
            sk_diag_text(&d, r->o->lang, reason, sizeof reason);
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
        char why[300];
        sk_phrase_format(why, sizeof why, lang, SK_PHRASE_LOCK_OPEN,
                         e == ELOOP ? sk_phrase(SK_PHRASE_SYMLINK_NOT_FOLLOWED, lang) : strerror(e));
        sk_diag_set(d, SK_ERR_WRITE, "%s", why);
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
        {
            char why[300];
            sk_diag_set(d, SK_ERR_USAGE, "%s", sk_phrase_format(why, sizeof why, lang, SK_PHRASE_LOCKED, pid));
        }
        else
            sk_diag_set(d, SK_ERR_WRITE, "cannot lock the output folder: %s", strerror(e));
        sk_buf_free(&p);
        return -1;
    }
    sk_buf_free(&p);
    return fd;
}

/* Makes the batch's arrays for the walked files and plans their outputs;
 * the files that will not run are ready (their rows complete) from here. */
static sk_error prepare(run *r, const char *outdir, sk_diag *d)
{
    sk_batch *b = r->b;
    size_t n = b->walk->n_files, one = n ? n : 1;
    b->files = calloc(one, sizeof *b->files);
    r->plans = calloc(one, sizeof *r->plans);
    r->todo = calloc(one, sizeof *r->todo);
    r->out_err = calloc(one, sizeof *r->out_err);
    r->ready = calloc(one, sizeof *r->ready);
    if (!b->files || !r->plans || !r->todo || !r->out_err || !r->ready)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    r->n_plans = n;
    for (size_t i = 0; i < n; i++)
        b->files[i].phase = -1;
    sk_error e = plan_outputs(r, outdir);
    if (e)
        return sk_diag_set(d, e, "out of memory");
    r->progress.total = n;
    r->progress.done = r->progress.unreadable = n - r->n_todo;
    for (size_t i = 0; i < n; i++)
        r->ready[i] = true;
    for (size_t k = 0; k < r->n_todo; k++)
        r->ready[r->todo[k]] = false;
    return SK_OK;
}

/* Starts summary.xlsx, written while the workers run (else it is written
 * at the end), and hands it the rows already complete. */
static void start_summary(run *r, const char *outdir)
{
    sk_buf spath = SK_BUF_INIT;
    sk_diag sd;
    sk_diag_clear(&sd);
    sk_out_quiet(true);
    if (sk_buf_printf(&spath, "%s/summary.xlsx", outdir) == SK_OK)
        sk_summary_xlsx_begin(r->o->tpl, r->o->lang, spath.data, &r->summary, &sd);
    sk_out_quiet(false);
    sk_buf_free(&spath);
    flush_rows(r);
}

/* Runs the files in the pool; after an interruption the files not run are
 * listed as not processed. */
static sk_error run_files(run *r, sk_diag *d)
{
    const sk_batch_opts *o = r->o;
    sk_batch *b = r->b;
    sk_pool_opts po = {
        .workers = o->jobs,
        .seconds = o->seconds,
        .cpu_seconds = (unsigned)ceil(o->seconds),
        .memory = o->memory,
        .init = worker_init,
        .work = worker_task,
        .done = task_done,
        .tick = o->progress ? tick : NULL,
        .ctx = r,
        .stop = o->stop,
    };
    sk_error e = sk_pool_run(r->n_todo, &po, d);
    if (e || !o->stop || !*o->stop)
        return e;
    b->interrupted = (int)*o->stop;
    const char *why = sk_phrase(SK_PHRASE_NOT_PROCESSED, o->lang);
    for (size_t i = 0; i < r->n_plans; i++)
        if (!r->ready[i]) {
            b->not_processed++;
            if (sk_summary_file_fail(&b->files[i], why) != SK_OK)
                return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
            r->ready[i] = true;
        }
    return SK_OK;
}

/* Completes every row and counts the files; *latest receives the latest
 * input modification time (at least 1). */
static sk_error count_rows(run *r, time_t *latest, sk_diag *d)
{
    sk_batch *b = r->b;
    *latest = 1;
    for (size_t i = 0; i < r->n_plans; i++) {
        sk_summary_file *f = &b->files[i];
        if (finish_row(r, i) != SK_OK)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        if (f->reason)
            b->unreadable++;
        else {
            b->read++;
            b->deficient += f->errors > 0;
        }
        if (b->walk->files[i].mtime.tv_sec > *latest)
            *latest = b->walk->files[i].mtime.tv_sec;
    }
    b->unreadable -= b->not_processed; /* listed, but not as unreadable */
    return SK_OK;
}

enum { PROBLEM_TEXT = 300 };

/* The unreadable folders and missing arguments, for the summary's third
 * sheet: *problems and *texts are new arrays (free both). */
static sk_error walk_problems(const sk_walk *w, sk_lang lang, sk_summary_problem **problems, char **texts,
                              size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < w->n_problems; i++)
        k += sk_walk_problem_fatal(&w->problems[i]);
    *problems = calloc(k ? k : 1, sizeof **problems);
    *texts = calloc(k ? k : 1, PROBLEM_TEXT);
    if (!*problems || !*texts)
        return SK_ERR_NOMEM;
    *n = 0;
    for (size_t i = 0; i < w->n_problems; i++) {
        const sk_walk_problem *wp = &w->problems[i];
        if (!sk_walk_problem_fatal(wp))
            continue;
        char *text = *texts + PROBLEM_TEXT * *n;
        sk_walk_problem_text(wp, lang, text, PROBLEM_TEXT);
        (*problems)[(*n)++] = (sk_summary_problem){wp->path, text};
    }
    return SK_OK;
}

/* Writes summary.xlsx (finishing the one written during the run, or all at
 * once) and summary.csv; a failure is recorded in b->output_errors. */
static void write_summaries(run *r, const char *outdir, const sk_summary *s, time_t created)
{
    sk_batch *b = r->b;
    sk_buf path = SK_BUF_INIT, csv = SK_BUF_INIT;
    sk_diag *od = &b->output_errors[0];
    sk_diag_clear(od);
    sk_out_quiet(true);
    sk_error se = sk_buf_printf(&path, "%s/summary.xlsx", outdir);
    if (!se && r->summary && r->next_row == r->n_plans) /* the rows are in: the problems, and close */
        se = sk_summary_xlsx_finish(r->summary, s->problems, s->n_problems, created, od);
    else if (!se) /* it could not be started, or a row was lost: all at once */
        se = sk_summary_xlsx(s, path.data, created, od);
    sk_out_quiet(false);
    r->summary = NULL;
    if (se) {
        sk_diag_file(od, path.data ? path.data : "summary.xlsx");
        b->n_output_errors++;
    }
    od = &b->output_errors[b->n_output_errors];
    sk_diag_clear(od);
    sk_buf_reset(&path);
    if (sk_buf_printf(&path, "%s/summary.csv", outdir) || sk_summary_csv(s, r->o->cp932, &csv, od) ||
        sk_out_write_file(path.data, csv.data ? csv.data : "", csv.len, od)) {
        sk_diag_file(od, path.data ? path.data : "summary.csv");
        b->n_output_errors++;
    }
    sk_buf_free(&path);
    sk_buf_free(&csv);
}

/* One sync of the output file system for the whole run. */
static void sync_outputs(sk_batch *b, const char *outdir)
{
    int fd = open(outdir, O_RDONLY | O_DIRECTORY);
    if ((fd < 0 || syncfs(fd) != 0) && b->n_output_errors < 2) {
        sk_diag *od = &b->output_errors[b->n_output_errors++];
        sk_diag_clear(od);
        sk_diag_file(od, outdir);
        sk_diag_set(od, SK_ERR_WRITE, "cannot flush the outputs to disk: %s", strerror(errno));
    }
    if (fd >= 0)
        close(fd);
}

/* After the files: rows, counts, progress, and the summaries, unless an
 * output could not be written (the summary would link to outputs that are
 * not this run's: the earlier one is left as it was). */
static sk_error conclude(run *r, const char *outdir, sk_diag *d)
{
    const sk_batch_opts *o = r->o;
    sk_batch *b = r->b;
    flush_rows(r);
    b->output_failed = r->out_err; /* shared from here: sk_batch_free frees it */
    for (size_t i = 0; i < r->n_plans; i++)
        b->n_output_failed += b->output_failed[i] != NULL;
    time_t latest;
    sk_error e = count_rows(r, &latest, d);
    if (e)
        return e;
    if (o->progress) {
        r->progress.elapsed = now_s() - r->start;
        o->progress(o->ctx, &r->progress);
    }
    if (b->n_output_failed) {
        sk_summary_xlsx_abort(r->summary);
        r->summary = NULL;
        return SK_OK;
    }
    sk_summary_problem *problems = NULL;
    char *texts = NULL;
    size_t n_fatal = 0;
    if (walk_problems(b->walk, o->lang, &problems, &texts, &n_fatal) != SK_OK)
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_summary s = {o->tpl, o->lang, b->files, r->n_plans, problems, n_fatal};
    if (!e) {
        write_summaries(r, outdir, &s, o->epoch ? o->epoch : latest);
        sync_outputs(b, outdir);
    }
    free(problems);
    free(texts);
    return e;
}

/* Frees what the run holds; on success the names go to the result (batch
 * --previous writes NAME.diff.json). */
static void release(run *r, bool keep_names)
{
    sk_batch *b = r->b;
    if (r->out_err && !(b && b->output_failed)) {
        for (size_t i = 0; i < r->n_plans; i++)
            free(r->out_err[i]);
        free(r->out_err);
    }
    free(r->ready);
    if (keep_names && r->n_plans && (b->names = calloc(r->n_plans, sizeof *b->names)))
        for (size_t i = 0; i < r->n_plans; i++) {
            b->names[i] = r->plans[i].name;
            r->plans[i].name = NULL;
        }
    for (size_t i = 0; i < r->n_plans; i++) {
        free(r->plans[i].json);
        free(r->plans[i].review);
        free(r->plans[i].review_rel);
        free(r->plans[i].name);
    }
    free(r->plans);
    free(r->todo);
}

/* Takes the output folder: made, holding no input, locked, staging begun.
 * Returns the lock's fd, or -1 (d says why). */
static int take_outdir(const char *const *inputs, int n_inputs, const char *outdir, sk_lang lang, sk_diag *d)
{
    int err = mkdir_p(outdir);
    if (err) {
        sk_diag_file(d, outdir);
        sk_diag_set(d, SK_ERR_WRITE, "cannot create the output folder: %s", strerror(err));
        return -1;
    }
    if (check_inputs_outside(inputs, n_inputs, outdir, d) != SK_OK)
        return -1;
    int lockfd = lock_outdir(outdir, lang, d);
    if (lockfd >= 0 && sk_out_stage_begin(outdir, d) != SK_OK) {
        close(lockfd);
        return -1;
    }
    return lockfd;
}

sk_error sk_batch_run(const char *const *inputs, int n_inputs, const char *outdir, const sk_batch_opts *o,
                      sk_batch **out, sk_diag *d)
{
    *out = NULL;
    run r = {0};
    r.o = o;
    r.start = now_s();
    int lockfd = take_outdir(inputs, n_inputs, outdir, o->lang, d);
    if (lockfd < 0)
        return d->code ? d->code : SK_ERR_WRITE;
    /* one sync of the output file system at the end instead of one per file
     * (workers inherit the setting) */
    sk_out_set_sync(false);
    sk_error e = SK_OK;
    sk_batch *b = r.b = calloc(1, sizeof *b);
    if (!b)
        e = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    if (!e)
        e = sk_walk_inputs(inputs, n_inputs, outdir, &b->walk, d);
    if (!e)
        e = prepare(&r, outdir, d);
    if (!e) {
        start_summary(&r, outdir);
        e = run_files(&r, d);
    }
    if (!e)
        e = conclude(&r, outdir, d);
    if (!e)
        b->seconds = now_s() - r.start;
    sk_summary_xlsx_abort(r.summary); /* only when it was not finished */
    sk_out_stage_end();
    close(lockfd);
    sk_out_set_sync(true);
    release(&r, !e);
    if (e)
        sk_batch_free(b);
    else
        *out = b;
    return e;
}
