/* sechk web — the page's C API (sechk_web.h) over the CLI's library calls. */
#include "sechk_web.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "sechk/reason.h"
#include "sechk/csv.h"
#include "sechk/extract.h"
#include "sechk/json.h"
#include "sechk/limits.h"
#include "sechk/names.h"
#include "sechk/output.h"
#include "sechk/render.h"
#include "sechk/review.h"
#include "sechk/summary.h"
#include "sechk/template.h"
#include "sechk/text.h"
#include "sechk/validate.h"

#define OUT_DIR "/out"
#define CSV_DIR "/csv"

typedef struct web_file {
    char *path; /* relative to /in, as the page gave it */
    char *name; /* NAME of the outputs, as `sechk batch` plans it */
    time_t mtime;
    sk_summary_file row;
    bool ran;
} web_file;

static struct {
    sk_template *tpl;
    sk_limits limits;
    sk_lang lang;
    int phase;
    time_t epoch;
    web_file *files;
    size_t n;
    char error[1400];
    char *result;
    unsigned char *zip;
    size_t zip_len;
} W;

static void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(W.error, sizeof W.error, fmt, ap);
    va_end(ap);
    /* one line: control characters (a newline in a name) shown as '?' */
    for (char *s = W.error; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            *s = '?';
}

const char *skw_error(void)
{
    return W.error;
}

int skw_init(void)
{
    sk_limits_default(&W.limits);
    if (W.tpl)
        return 0;
    sk_diag d;
    sk_diag_clear(&d);
    if (sk_template_load_default(&W.tpl, &d) != SK_OK) {
        char why[700];
        sk_diag_text(&d, W.lang, why, sizeof why);
        set_error("template: %s", why);
        return 2;
    }
    return 0;
}

/* Removes path and everything under it (a missing path is fine). */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (dir) {
            struct dirent *de;
            while ((de = readdir(dir)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                sk_buf b = SK_BUF_INIT;
                if (sk_buf_printf(&b, "%s/%s", path, de->d_name) == SK_OK)
                    remove_tree(b.data);
                sk_buf_free(&b);
            }
            closedir(dir);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Creates the folders of file path's parent. */
static void make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p, 0700);
        *s = '/';
    }
    free(p);
}

static void clear_run(void)
{
    for (size_t i = 0; i < W.n; i++) {
        free(W.files[i].path);
        free(W.files[i].name);
        sk_summary_file_clear(&W.files[i].row);
    }
    free(W.files);
    W.files = NULL;
    W.n = 0;
    free(W.result);
    W.result = NULL;
    free(W.zip);
    W.zip = NULL;
    W.zip_len = 0;
    remove_tree(OUT_DIR);
    remove_tree(CSV_DIR);
}

/* ---- names, as `sechk batch` plans them (sechk/names.h) ---- */

static int cmp_path(const void *pa, const void *pb)
{
    return strcmp(((const web_file *)pa)->path, ((const web_file *)pb)->path);
}

/* Gives every file its NAME. */
static sk_error plan_names(void)
{
    size_t n = W.n;
    const char **rel = calloc(n ? n : 1, sizeof *rel);
    char **names = calloc(n ? n : 1, sizeof *names);
    sk_error e = rel && names ? SK_OK : SK_ERR_NOMEM;
    for (size_t i = 0; i < n && !e; i++)
        rel[i] = W.files[i].path;
    if (!e)
        e = sk_batch_names(rel, n, names);
    for (size_t i = 0; i < n && names; i++)
        W.files[i].name = names[i]; /* freed with the files, also on failure */
    free(rel);
    free(names);
    return e;
}

int skw_begin(int lang, const char *phase, double epoch, const char *paths)
{
    clear_run();
    W.error[0] = '\0';
    if (!W.tpl && skw_init() != 0)
        return -1;
    W.lang = lang == 1 ? SK_LANG_EN : SK_LANG_JA;
    W.phase = -1;
    if (phase && *phase && strcmp(phase, "auto") != 0 && (W.phase = sk_template_phase(W.tpl, phase)) < 0) {
        set_error("--phase: 不明な段階です '%s'", phase);
        return -1;
    }
    W.epoch = epoch > 0 && epoch < 253402300800.0 ? (time_t)epoch : 0;
    size_t n = 0;
    for (const char *s = paths; *s; s++)
        n += *s == '\n';
    n += *paths && paths[strlen(paths) - 1] != '\n';
    W.files = calloc(n ? n : 1, sizeof *W.files);
    if (!W.files) {
        set_error("out of memory");
        return -1;
    }
    for (const char *s = paths; *s && W.n < n;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len) {
            if (!(W.files[W.n].path = sk_strndup(s, len))) {
                set_error("out of memory");
                clear_run();
                return -1;
            }
            W.files[W.n].row.phase = -1;
            W.n++;
        }
        s += len + (nl != NULL);
    }
    qsort(W.files, W.n, sizeof *W.files, cmp_path);
    if (plan_names() != SK_OK) {
        set_error("out of memory");
        clear_run();
        return -1;
    }
    mkdir(OUT_DIR, 0700);
    mkdir(CSV_DIR, 0700);
    return (int)W.n;
}

const char *skw_path(int i)
{
    return i >= 0 && (size_t)i < W.n ? W.files[i].path : "";
}

/* Writes len bytes to path (in MEMFS), creating its folders. */
static sk_error write_out(const char *path, const char *data, size_t len, sk_diag *d)
{
    make_parents(path);
    return sk_out_write_file(path, data, len, d);
}

/* The row as JSON for the page's table. */
static char *row_json(const web_file *f, int status, const char *json, const char *review, const char *csv)
{
    const sk_summary_file *r = &f->row;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "file", json_string(f->path));
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "status", json_integer(status));
    json_object_set_new(o, "verdict", json_string(sk_summary_verdict(r, W.lang)));
    json_object_set_new(o, "service", r->service ? json_string(r->service) : json_null());
    const char *ph = NULL;
    if (r->phase >= 0 && r->phase < W.tpl->n_phases)
        ph = W.lang == SK_LANG_JA ? W.tpl->phases[r->phase].label : W.tpl->phases[r->phase].id;
    json_object_set_new(o, "phase", ph ? json_string(ph) : json_null());
    json_object_set_new(o, "phase_auto", json_boolean(r->phase_auto));
    json_object_set_new(o, "phase_basis", r->phase_basis ? json_string(r->phase_basis) : json_null());
    json_t *counts = json_object();
    for (int s = 0; s < SK_STATUS__COUNT; s++)
        json_object_set_new(counts, sk_status_name((sk_status)s), json_integer(r->counts[s]));
    json_object_set_new(o, "counts", counts);
    json_t *labels = json_object();
    for (int s = 0; s < SK_STATUS__COUNT; s++)
        json_object_set_new(labels, sk_status_name((sk_status)s),
                            json_string(sk_status_label((sk_status)s, W.lang)));
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "errors", json_integer(r->errors));
    json_object_set_new(o, "warnings", json_integer(r->warnings));
    json_t *fs = json_array();
    for (int k = 0; k < r->n_findings; k++) {
        const sk_summary_finding *sf = &r->findings[k];
        json_t *x = json_object();
        json_object_set_new(x, "no", json_integer(sf->no));
        json_object_set_new(x, "party", sf->party >= 0 ? json_string(sk_party_name((sk_party)sf->party)) : json_null());
        json_object_set_new(x, "cell", json_string(sf->cell));
        json_object_set_new(x, "severity", json_string(sk_severity_name(sf->severity)));
        json_object_set_new(x, "severity_label", json_string(sk_severity_label(sf->severity, W.lang)));
        json_object_set_new(x, "code", json_string(sf->code ? sf->code : ""));
        json_object_set_new(x, "message", json_string(sf->message ? sf->message : ""));
        json_array_append_new(fs, x);
    }
    json_object_set_new(o, "findings", fs);
    json_object_set_new(o, "error", r->reason ? json_string(r->reason) : json_null());
    json_object_set_new(o, "json", json ? json_string(json) : json_null());
    json_object_set_new(o, "review", review ? json_string(review) : json_null());
    json_object_set_new(o, "csv", csv ? json_string(csv) : json_null());
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Drops the last call's result and error. */
static void reset_result(void)
{
    free(W.result);
    W.result = NULL;
    W.error[0] = '\0';
}

/* Starts input i's row again (run at mtime) and returns it. */
static web_file *restart_row(int i, time_t mtime)
{
    web_file *f = &W.files[i];
    sk_summary_file_clear(&f->row);
    f->row.phase = -1;
    f->ran = true;
    f->mtime = mtime;
    return f;
}

/* The paths of one input's outputs in MEMFS. */
typedef struct run_paths {
    sk_buf json, review, csv; /* csv reset when it could not be written */
} run_paths;

/* Reads and checks f, writes its JSON, review and CSV to the paths p and
 * fills its row; returns the exit status (0, 1), or 2 with reason set. */
static int run_file(web_file *f, run_paths *p, char *reason, size_t cap)
{
    sk_buf json = SK_BUF_INIT, csv = SK_BUF_INIT;
    sk_answers *a = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    int status = 2;
    sk_error e = sk_extract_file(f->path, W.tpl, &W.limits, &a, &d);
    if (!e)
        e = sk_validate(a, W.phase, &d);
    if (e) {
        sk_diag_text(&d, W.lang, reason, cap);
        goto out;
    }
    sk_diag_clear(&d);
    if (sk_json_write_answers(a, W.lang, 0, &json) != SK_OK || sk_buf_putc(&json, '\n') != SK_OK)
        e = sk_diag_set(&d, SK_ERR_NOMEM, "out of memory");
    else
        e = write_out(p->json.data, json.data, json.len, &d);
    if (!e) {
        sk_review_opts ro = {.lang = W.lang, .created = W.epoch ? W.epoch : f->mtime};
        sk_diag_clear(&d);
        e = sk_review_write(a, p->review.data, &ro, &d);
    }
    if (e) {
        char what[800];
        sk_diag_text(&d, W.lang, what, sizeof what);
        snprintf(reason, cap, "%s: %s", W.lang == SK_LANG_JA ? "出力を書けません" : "cannot write the outputs", what);
        goto out;
    }
    /* the answers as CSV, as `sechk extract -f csv FILE` writes them by
     * default (UTF-8 with a BOM; not part of the batch) */
    sk_diag_clear(&d);
    sk_csv_options co = {.bom = true};
    bool have_csv = sk_csv_begin(W.tpl, &co, &csv, &d) == SK_OK && sk_csv_answers(a, &co, &csv, &d) == SK_OK &&
                    write_out(p->csv.data, csv.data, csv.len, &d) == SK_OK;
    if (!have_csv)
        sk_buf_reset(&p->csv);
    if (sk_summary_file_from_answers(a, W.lang, &f->row) != SK_OK) {
        snprintf(reason, cap, "out of memory");
        goto out;
    }
    status = sk_answers_has_errors(a) ? 1 : 0;
out:
    sk_buf_free(&json);
    sk_buf_free(&csv);
    sk_answers_free(a);
    return status;
}

int skw_run(int i, double mtime)
{
    reset_result();
    if (i < 0 || (size_t)i >= W.n || !W.tpl) {
        set_error("no such input");
        return 2;
    }
    web_file *f = restart_row(i, mtime >= 1 && mtime < 253402300800.0 ? (time_t)mtime : 1);
    run_paths p = {SK_BUF_INIT, SK_BUF_INIT, SK_BUF_INIT};
    char reason[1200];
    reason[0] = '\0';
    int status = 2;
    if (sk_buf_printf(&p.json, OUT_DIR "/%s.json", f->name) ||
        sk_buf_printf(&p.review, OUT_DIR "/%s.review.xlsx", f->name) ||
        sk_buf_printf(&p.csv, CSV_DIR "/%s.csv", f->name))
        snprintf(reason, sizeof reason, "out of memory");
    else
        status = run_file(f, &p, reason, sizeof reason);
    if (reason[0]) {
        unlink(p.json.data ? p.json.data : "");
        unlink(p.review.data ? p.review.data : "");
        unlink(p.csv.data ? p.csv.data : "");
        sk_summary_file_fail(&f->row, reason);
        set_error("%s: %s", f->path, reason);
        status = 2;
    }
    f->row.path = strdup(f->path);
    if (status != 2) {
        size_t skip = strlen(OUT_DIR "/");
        f->row.review = strdup(p.review.data + skip);
    }
    W.result = row_json(f, status, status != 2 ? p.json.data : NULL, status != 2 ? p.review.data : NULL,
                        status != 2 && p.csv.data ? p.csv.data : NULL);
    sk_buf_free(&p.json);
    sk_buf_free(&p.review);
    sk_buf_free(&p.csv);
    return status;
}

int skw_oversize(int i, double size)
{
    reset_result();
    if (i < 0 || (size_t)i >= W.n || !(size > (double)W.limits.file_bytes))
        return 0;
    web_file *f = restart_row(i, 1);
    char reason[1200];
    /* the words of src/read/zip.c's check, in the page's language as batch gives them */
    sk_diag d;
    sk_diag_clear(&d);
    sk_diag_set(&d, SK_ERR_LIMIT, "file is %.0f bytes, more than %llu (limit --max-file-bytes)", size,
                (unsigned long long)W.limits.file_bytes);
    sk_diag_text(&d, W.lang, reason, sizeof reason);
    sk_summary_file_fail(&f->row, reason);
    set_error("%s: %s", f->path, reason);
    f->row.path = strdup(f->path);
    W.result = row_json(f, 2, NULL, NULL, NULL);
    return 2;
}

const char *skw_result(void)
{
    return W.result ? W.result : "null";
}

/* Adds the file at path under name to the archive; false on failure. */
static bool add_to_zip(zip_t *za, const char *path, const char *name)
{
    zip_source_t *src = zip_source_file(za, path, 0, -1);
    if (!src)
        return false;
    if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
        zip_source_free(src);
        return false;
    }
    return true;
}

/* Builds the .zip of /out in memory: each file's NAME.json and
 * NAME.review.xlsx in run order, then summary.xlsx and summary.csv. */
static int build_zip(void)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!buf) {
        zip_error_fini(&ze);
        set_error("zip: %s", zip_error_strerror(&ze));
        return 2;
    }
    zip_t *za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
    if (!za) {
        set_error("zip: %s", zip_error_strerror(&ze));
        zip_source_free(buf);
        zip_error_fini(&ze);
        return 2;
    }
    zip_error_fini(&ze);
    zip_source_keep(buf);
    bool ok = true;
    sk_buf p = SK_BUF_INIT, n = SK_BUF_INIT;
    for (size_t i = 0; i < W.n && ok; i++) {
        const web_file *f = &W.files[i];
        if (!f->ran || f->row.reason)
            continue;
        static const char *const ext[] = {".json", ".review.xlsx"};
        for (int k = 0; k < 2 && ok; k++) {
            sk_buf_reset(&p);
            sk_buf_reset(&n);
            ok = sk_buf_printf(&n, "%s%s", f->name, ext[k]) == SK_OK &&
                 sk_buf_printf(&p, OUT_DIR "/%s", n.data) == SK_OK && add_to_zip(za, p.data, n.data);
        }
    }
    sk_buf_free(&p);
    sk_buf_free(&n);
    if (ok)
        ok = add_to_zip(za, OUT_DIR "/summary.xlsx", "summary.xlsx") && add_to_zip(za, OUT_DIR "/summary.csv", "summary.csv");
    if (!ok) {
        set_error("zip: %s", zip_strerror(za));
        zip_discard(za);
        zip_source_free(buf);
        return 2;
    }
    if (zip_close(za) < 0) {
        set_error("zip: %s", zip_strerror(za));
        zip_discard(za);
        zip_source_free(buf);
        return 2;
    }
    int rc = 2;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(buf, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && zip_source_open(buf) == 0) {
        W.zip = malloc(st.size ? st.size : 1);
        if (W.zip && zip_source_read(buf, W.zip, st.size) == (zip_int64_t)st.size) {
            W.zip_len = st.size;
            rc = 0;
        } else {
            free(W.zip);
            W.zip = NULL;
        }
        zip_source_close(buf);
    }
    zip_source_free(buf);
    if (rc)
        set_error("zip: out of memory");
    return rc;
}

int skw_finish(void)
{
    W.error[0] = '\0';
    free(W.zip);
    W.zip = NULL;
    W.zip_len = 0;
    sk_summary_file *rows = calloc(W.n ? W.n : 1, sizeof *rows);
    if (!rows) {
        set_error("out of memory");
        return 2;
    }
    size_t m = 0;
    time_t latest = 0;
    for (size_t i = 0; i < W.n; i++) {
        if (!W.files[i].ran)
            continue;
        rows[m++] = W.files[i].row; /* borrowed */
        if (W.files[i].mtime > latest)
            latest = W.files[i].mtime;
    }
    sk_summary s = {W.tpl, W.lang, rows, m, NULL, 0};
    time_t created = W.epoch ? W.epoch : latest > 0 ? latest : 1;
    sk_diag d;
    sk_diag_clear(&d);
    sk_buf csv = SK_BUF_INIT;
    sk_error e = sk_summary_xlsx(&s, OUT_DIR "/summary.xlsx", created, &d);
    if (!e) {
        sk_diag_clear(&d);
        e = sk_summary_csv(&s, false, &csv, &d);
    }
    if (!e)
        e = write_out(OUT_DIR "/summary.csv", csv.data ? csv.data : "", csv.len, &d);
    sk_buf_free(&csv);
    free(rows);
    if (e) {
        char why[800];
        sk_diag_text(&d, W.lang, why, sizeof why);
        set_error("summary: %s", why);
        return 2;
    }
    return build_zip();
}

const unsigned char *skw_zip_data(void)
{
    return W.zip;
}

size_t skw_zip_size(void)
{
    return W.zip_len;
}

/* ---- the blank template (as `sechk template`) ---- */

int skw_template(const char *project, const char *service, const char *date, const char *path)
{
    W.error[0] = '\0';
    if (!W.tpl && skw_init() != 0)
        return 2;
    sk_blank job = {.t = W.tpl};
    job.project = project && *project ? project : NULL;
    job.service = service && *service ? service : NULL;
    if ((job.project && !sk_utf8_valid(job.project, strlen(job.project))) ||
        (job.service && !sk_utf8_valid(job.service, strlen(job.service)))) {
        set_error("文字が正しくありません (invalid UTF-8)");
        return 2;
    }
    if (!date || sk_date_format_ja(date, job.date_ja) != SK_OK) {
        set_error("日付が正しくありません: '%s' (expected YYYY-MM-DD, a real date)", date ? date : "");
        return 2;
    }
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    job.created = timegm(&tm);
    sk_diag d;
    sk_diag_clear(&d);
    make_parents(path);
    if (sk_out_workbook(path, sk_render_blank, &job, &d) != SK_OK) {
        char why[800];
        sk_diag_text(&d, W.lang, why, sizeof why);
        set_error("%s", why);
        return 2;
    }
    return 0;
}
