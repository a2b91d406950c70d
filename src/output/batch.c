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

#include "sechk/extract.h"
#include "sechk/json.h"
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
static void diag_text(const sk_diag *d, sk_lang lang, char *out, size_t cap)
{
    size_t n = 0;
    if (d->where[0] && cap > 0) {
        snprintf(out, cap, "%s: ", d->where);
        n = strlen(out);
    }
    sk_diag_reason(d, lang, out + n, cap - n);
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
                free(plans[f].name);
                plans[f].name = s.data;
            }
            i = j;
        }
    }
    free(refs);
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
    char *made = NULL; /* the last folder created */
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
        char *dir = sk_strndup(p->json, (size_t)(strrchr(p->json, '/') - p->json));
        if (!dir) {
            e = SK_ERR_NOMEM;
            break;
        }
        int err = made && strcmp(made, dir) == 0 ? 0 : mkdir_p(dir);
        char reason[600];
        reason[0] = '\0';
        if (err)
            snprintf(reason, sizeof reason, "%s: %s: %s",
                     ja ? "出力フォルダを作れません" : "cannot create the output folder", dir, strerror(err));
        else if (is_input(p->json, ids, n) || is_input(p->review, ids, n))
            snprintf(reason, sizeof reason, "%s",
                     ja ? "出力ファイルが入力ファイルと同じです" : "an output would overwrite an input file");
        if (!err) {
            free(made);
            made = dir;
        } else {
            free(dir);
        }
        if (reason[0])
            e = sk_summary_file_fail(&b->files[i], reason);
        else
            r->todo[r->n_todo++] = i;
    }
    free(made);
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

/* Removes what an earlier run wrote for a file that now fails. */
static void remove_outputs(const plan *p)
{
    unlink(p->json);
    unlink(p->review);
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
    char reason[1200];
    reason[0] = '\0';
    sk_diag d;
    sk_diag_clear(&d);
    sk_extract_opts xo = {.sheet = o->sheet};
    sk_error e = sk_extract_file_opts(wf->path, o->tpl, &o->limits, &xo, &a, &d);
    if (!e)
        e = sk_validate(a, o->phase, &d);
    if (e) {
        diag_text(&d, o->lang, reason, sizeof reason);
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
        sk_review_opts ro = {.lang = o->lang, .created = o->epoch ? o->epoch : mt};
        sk_diag_clear(&d);
        e = sk_review_write(a, p->review, &ro, &d);
    }
    if (e) {
        char what[800];
        diag_text(&d, o->lang, what, sizeof what);
        snprintf(reason, sizeof reason, "%s: %s", ja ? "出力を書けません" : "cannot write the outputs", what);
        goto out;
    }
    e = sk_summary_file_from_answers(a, o->lang, &row);
    if (e)
        snprintf(reason, sizeof reason, "out of memory");
out:
    if (reason[0]) {
        remove_outputs(p);
        sk_summary_file_fail(&row, reason);
    }
    if (sk_summary_file_encode(&row, result) != SK_OK) {
        sk_buf_reset(result); /* an empty result reads as malformed in the parent */
    }
    sk_summary_file_clear(&row);
    sk_buf_free(&json);
    sk_answers_free(a);
}

/* ---- in the parent ---- */

/* Removes temporary files a killed worker left for output path. */
static void remove_temps(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? sk_strndup(path, (size_t)(slash - path)) : sk_strndup(".", 1);
    const char *base = slash ? slash + 1 : path;
    sk_buf prefix = SK_BUF_INIT;
    if (!dir || sk_buf_printf(&prefix, ".%s.", base)) {
        free(dir);
        sk_buf_free(&prefix);
        return;
    }
    DIR *dp = opendir(dir);
    struct dirent *de;
    while (dp && (de = readdir(dp)))
        if (strncmp(de->d_name, prefix.data, prefix.len) == 0 && strlen(de->d_name) == prefix.len + 6) {
            sk_buf full = SK_BUF_INIT;
            if (sk_buf_printf(&full, "%s/%s", dir, de->d_name) == SK_OK)
                unlink(full.data);
            sk_buf_free(&full);
        }
    if (dp)
        closedir(dp);
    free(dir);
    sk_buf_free(&prefix);
}

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
    if (!f->reason && r->o->review && !f->review &&
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
        if (r->summary)
            sk_summary_xlsx_add(r->summary, &r->b->files[r->next_row]);
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
    if (oc->fate == SK_POOL_DONE) {
        sk_diag d;
        sk_diag_clear(&d);
        if (sk_summary_file_decode(oc->data, oc->len, r->o->tpl->n_items, row, &d) != SK_OK)
            diag_text(&d, r->o->lang, reason, sizeof reason);
    } else {
        fate_text(r, oc, reason, sizeof reason);
        remove_temps(r->plans[i].json);
        remove_temps(r->plans[i].review);
        remove_outputs(&r->plans[i]);
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
    /* one sync of the output file system at the end instead of one per file
     * (workers inherit the setting) */
    sk_out_set_sync(false);
    sk_batch *b = calloc(1, sizeof *b);
    if (!b)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    r.b = b;
    if ((e = sk_walk_inputs(inputs, n_inputs, outdir, &b->walk, d)) != SK_OK)
        goto fail;
    size_t n = b->walk->n_files;
    b->files = calloc(n ? n : 1, sizeof *b->files);
    r.plans = calloc(n ? n : 1, sizeof *r.plans);
    r.todo = calloc(n ? n : 1, sizeof *r.todo);
    if (!b->files || !r.plans || !r.todo) {
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
    if (sk_buf_printf(&spath, "%s/summary.xlsx", outdir) == SK_OK)
        sk_summary_xlsx_begin(o->tpl, o->lang, spath.data, &r.summary, &sd); /* else written at the end */
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
    };
    if ((e = sk_pool_run(r.n_todo, &po, d)) != SK_OK)
        goto fail;
    flush_rows(&r);

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
    sk_error se = sk_buf_printf(&path, "%s/summary.xlsx", outdir);
    if (!se && r.summary && r.next_row == n) /* the rows are in: the problems, and close */
        se = sk_summary_xlsx_finish(r.summary, problems, n_fatal, created, od);
    else if (!se) /* it could not be started, or a row was lost: all at once */
        se = sk_summary_xlsx(&s, path.data, created, od);
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
    b->seconds = now_s() - r.start;
    e = SK_OK;
fail:
    sk_summary_xlsx_abort(r.summary); /* only when it was not finished */
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
