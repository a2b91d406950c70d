/* sechk batch — whole folders of submissions, in parallel, with a summary. */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <sched.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "open_opts.h"
#include "sechk/batch.h"
#include "sechk/review.h"

enum { OPT_NO_REVIEW = 1, OPT_ENCODING, OPT_SECONDS, OPT_MEMORY, OPT_SHEET, OPT_PREVIOUS };

/* Parses an unsigned integer in [min, max]; false after a usage message. */
static bool parse_num(const char *opt, const char *arg, unsigned long long min, unsigned long long max,
                      unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
        sk_cli_usage_msg("batch", SK_MSG_BAD_RANGE, opt, min, max, arg);
        return false;
    }
    *out = v;
    return true;
}

/* Processors this process may run on. */
static int processors(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Prints "sechk: path: reason" with control characters (a newline in a
 * file name) shown as '?', so that each report stays on one line. */
static void report_line(const char *path, const char *reason)
{
    fputs("sechk: ", stderr);
    for (const char *s = path; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s, stderr);
    fputs(": ", stderr);
    for (const char *s = reason; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s, stderr);
    fputc('\n', stderr);
}

typedef struct progress_ctx {
    sk_lang lang;
    bool shown;
} progress_ctx;

/* Rewrites the progress line on the terminal. */
static void show_progress(void *ctx, const sk_batch_progress *p)
{
    progress_ctx *pc = ctx;
    double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
    char eta[32] = "-";
    if (rate > 0 && p->done < p->total) {
        long s = (long)((double)(p->total - p->done) / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
    }
    fputc('\r', stderr);
    sk_msg_print(stderr, SK_MSG_BATCH_PROGRESS, p->done, p->total, rate, p->deficient, p->unreadable, eta);
    fputs("\033[K", stderr);
    pc->shown = true;
}

/* Prints the one-line tally. */
static void print_tally(const sk_batch *b, size_t fatal, const char *outdir, sk_lang lang)
{
    const sk_walk *w = b->walk;
    size_t skipped = sk_walk_skipped(w);
    fputs("sechk: ", stderr);
    sk_msg_print(stderr, SK_MSG_BATCH_TALLY, b->read, b->deficient, b->unreadable + fatal, skipped);
    if (skipped) {
        fputs(sk_msg(SK_MSG_LIST_OPEN), stderr);
        bool first = true;
        for (int k = 0; k < SK_SKIP__COUNT; k++) {
            if (!w->skipped[k])
                continue;
            fprintf(stderr, "%s%s %zu", first ? "" : sk_msg(SK_MSG_LIST_SEP), sk_skip_label((sk_skip_reason)k, lang),
                    w->skipped[k]);
            first = false;
        }
        fputs(sk_msg(SK_MSG_LIST_CLOSE), stderr);
    }
    if (b->n_output_failed) /* no summary: the line says so, once */
        sk_msg_print(stderr, SK_MSG_BATCH_TALLY_NO_SUMMARY, b->seconds);
    else
        sk_msg_print(stderr, SK_MSG_BATCH_TALLY_END, b->seconds, outdir);
    fputc('\n', stderr);
}

/* The long options (the limits' are added by sk_cli_getopt). */
static const struct option options[] = {
    SK_CLI_READ_OPTIONS,
    {"jobs", required_argument, NULL, 'j'},
    {"no-review", no_argument, NULL, OPT_NO_REVIEW},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"sheet", required_argument, NULL, OPT_SHEET},
    {"max-seconds", required_argument, NULL, OPT_SECONDS},
    {"max-memory-bytes", required_argument, NULL, OPT_MEMORY},
    {"help", no_argument, NULL, 'h'},
    {"previous", required_argument, NULL, OPT_PREVIOUS},
    SK_LETTER_LONG_OPTIONS,
    SK_CLI_OPEN_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The parsed command line. */
typedef struct batch_args {
    sk_batch_opts o;
    const char *previous, *settings;
    sk_letter letter;
    sk_review_opts letter_ro;
    sk_cli_read_args r;
} batch_args;

/* Takes option c into a; returns -1, or the exit status to stop with. */
static int take_option(int c, char **argv, void *args)
{
    batch_args *a = args;
    sk_batch_opts *o = &a->o;
    unsigned long long v;
    switch (c) {
    case 'j':
        if (!parse_num("-j", optarg, 1, 256, &v))
            return SK_EXIT_FAIL;
        o->jobs = (int)v;
        return -1;
    case OPT_NO_REVIEW: o->review = false; return -1;
    case OPT_ENCODING:
        if (!sk_cli_parse_encoding(optarg, &o->cp932))
            return sk_cli_usage_msg("batch", SK_MSG_BAD_ENCODING, optarg);
        return -1;
    case OPT_PREVIOUS: a->previous = optarg; return -1;
    case OPT_SECONDS: {
        char *end;
        errno = 0;
        double secs = strtod(optarg, &end);
        if (errno || end == optarg || *end || !(secs >= 0.01 && secs <= 86400))
            return sk_cli_usage_msg("batch", SK_MSG_BAD_SECONDS, optarg);
        o->seconds = secs;
        return -1;
    }
    case OPT_MEMORY:
        if (!parse_num("--max-memory-bytes", optarg, 1 << 20, UINT64_C(1) << 50, &v))
            return SK_EXIT_FAIL;
        o->memory = v;
        return -1;
    case OPT_SHEET: o->sheet = optarg; return -1;
    case 'h': return sk_cli_help(SK_MSG_HELP_BATCH, true);
    default: return sk_cli_review_opt("batch", c, argv, &a->letter, &a->settings, &a->r);
    }
}

/* Checks --max-memory-bytes against a worker's floor and the hard limit in
 * force (ulimit -v), lowering o->memory to the latter; returns -1, or the
 * usage status. */
static int check_memory(sk_batch_opts *o)
{
    /* a worker starts as a copy of this process and keeps 64 MiB of heap
     * padding (batch.c): below this, every file would fail "out of memory" */
    enum { MIN_WORKER_MEMORY = 128 << 20 };
    if (o->memory < MIN_WORKER_MEMORY)
        return sk_cli_usage_msg("batch", SK_MSG_WORKER_MEMORY_MIN, MIN_WORKER_MEMORY);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && (uint64_t)rl.rlim_max < o->memory) {
        /* setrlimit cannot raise the hard limit (ulimit -v): the one in force applies */
        if ((uint64_t)rl.rlim_max < MIN_WORKER_MEMORY)
            return sk_cli_usage_msg("batch", SK_MSG_ULIMIT_TOO_SMALL, (unsigned long long)rl.rlim_max,
                                    MIN_WORKER_MEMORY);
        fputs("sechk: ", stderr);
        sk_msg_print(stderr, SK_MSG_ULIMIT_APPLIES, (unsigned long long)o->memory, (unsigned long long)rl.rlim_max);
        fputc('\n', stderr);
        o->memory = (uint64_t)rl.rlim_max;
    }
    return -1;
}

/* One line for an interrupted run: what was done, what was not, where the
 * summary is.  Returns the exit status, 128 + the signal. */
static int report_interrupted(const sk_batch *b, const char *od)
{
    int sig = b->interrupted;
    const char *name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "signal";
    size_t done = b->walk->n_files - b->not_processed;
    bool summary = b->n_output_failed == 0 && b->n_output_errors == 0;
    fputs("sechk: ", stderr);
    if (summary)
        sk_msg_print(stderr, SK_MSG_BATCH_INTERRUPTED, name, done, b->not_processed, od);
    else
        sk_msg_print(stderr, SK_MSG_BATCH_INTERRUPTED_NO_SUMMARY, name, done, b->not_processed);
    fputc('\n', stderr);
    return 128 + sig;
}

/* Reports the problems and failures of a finished run, the tally and, with
 * --previous, the comparison; returns the exit status. */
static int report_done(const sk_batch *b, const batch_args *a, const char *od)
{
    const sk_batch_opts *o = &a->o;
    size_t fatal = 0;
    for (size_t k = 0; k < b->walk->n_problems; k++) {
        const sk_walk_problem *p = &b->walk->problems[k];
        char why[300];
        sk_walk_problem_text(p, o->lang, why, sizeof why);
        report_line(p->path, why);
        fatal += sk_walk_problem_fatal(p);
    }
    for (size_t i = 0; i < b->walk->n_files; i++)
        if (b->files[i].reason)
            report_line(b->files[i].path, b->files[i].reason);
    for (size_t i = 0; i < b->walk->n_files; i++)
        if (b->output_failed && b->output_failed[i])
            report_line(b->walk->files[i].path, b->output_failed[i]);
    for (int k = 0; k < b->n_output_errors; k++)
        sk_cli_report_lang(&b->output_errors[k], o->lang);
    if (b->walk->n_files == 0 && !fatal)
        fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NO_WORKBOOKS));
    print_tally(b, fatal, od, o->lang);
    bool prev_failed = a->previous && sk_batch_previous(b, a->previous, od, o) != SK_EXIT_OK;
    if (b->unreadable || fatal || b->n_output_errors || b->n_output_failed || prev_failed)
        return SK_EXIT_FAIL;
    return b->deficient ? SK_EXIT_FINDINGS : SK_EXIT_OK;
}

/* Runs the batch over the inputs into folder od and reports; returns the
 * exit status. */
static int batch_run(char *const *inputs, int n_inputs, const char *od, batch_args *a)
{
    sk_batch_opts *o = &a->o;
    progress_ctx pc = {o->lang, false};
    if (isatty(STDERR_FILENO)) {
        o->progress = show_progress;
        o->ctx = &pc;
    }
    static volatile sig_atomic_t stop;
    o->stop = &stop;
    sk_cli_signals(&stop);
    sk_batch *b = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    sk_error e = sk_batch_run((const char *const *)inputs, n_inputs, od, o, &b, &d);
    if (pc.shown)
        fputs("\r\033[K", stderr);
    int status;
    if (e) {
        sk_cli_report_lang(&d, o->lang);
        status = SK_EXIT_FAIL;
    } else if (b->interrupted) {
        status = report_interrupted(b, od);
    } else {
        status = report_done(b, a, od);
    }
    sk_batch_free(b);
    status = sk_cli_finish(status);
    if (stop)
        status = 128 + stop; /* a signal after the run: the same exit */
    return status;
}

/* Loads the letter, the passwords and the template, then runs; returns the
 * exit status. */
static int batch_setup(char *const *inputs, int n_inputs, batch_args *a)
{
    sk_batch_opts *o = &a->o;
    bool letter_ok = !a->settings || sk_letter_load("batch", a->settings, &a->letter);
    letter_ok = letter_ok && sk_letter_apply("batch", &a->letter, &a->letter_ro);
    if (!letter_ok)
        return SK_EXIT_FAIL;
    o->letter = &a->letter_ro; /* its strings live in letter (freed at exit) and argv */
    /* no prompt: the workers run in the background.  The conversion's own
     * limit comes before the worker's (--max-seconds), so that LibreOffice's
     * process group is killed and its folder removed by the worker itself. */
    sk_cli_open open;
    if (!sk_cli_open_init(&open, a->r.pwfile, a->r.convert, o->seconds * 0.8, o->lang, false))
        return SK_EXIT_FAIL;
    o->open = &open.opts;
    sk_template *t = NULL;
    if (!sk_cli_load_template(a->r.tpath, &t)) {
        sk_cli_open_free(&open);
        return SK_EXIT_FAIL;
    }
    o->tpl = t;
    int status = sk_cli_phase("batch", t, a->r.phase, &o->phase);
    /* "out/" and "out" are one folder; keep the paths printed free of "//" */
    size_t olen = strlen(a->r.out);
    while (olen > 1 && a->r.out[olen - 1] == '/')
        olen--;
    char *od = status ? NULL : strndup(a->r.out, olen);
    if (!status && !od) {
        fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NOMEM));
        status = SK_EXIT_FAIL;
    }
    if (od)
        status = batch_run(inputs, n_inputs, od, a);
    sk_template_free(t);
    sk_cli_open_free(&open);
    free(od);
    return status;
}

int sk_cmd_batch(int argc, char **argv)
{
    batch_args a = {.o = {.review = true, .jobs = 0, .seconds = 60, .memory = UINT64_C(1) << 30}};
    sk_cli_read_args_init(&a.r);
    int status = sk_cli_getopt(argc, argv, "o:j:h", options, take_option, &a);
    if (status >= 0)
        return status;
    a.o.limits = a.r.limits;
    a.o.lang = a.r.lang;
    if (optind >= argc)
        return sk_cli_usage_msg("batch", SK_MSG_NO_BATCH_INPUT);
    if (!a.r.out || !*a.r.out)
        return sk_cli_usage_msg("batch", SK_MSG_OUTDIR_REQUIRED);
    if (!sk_cli_source_date("batch", &a.o.epoch))
        return SK_EXIT_FAIL;
    if (a.o.jobs == 0)
        a.o.jobs = processors();
    if ((status = check_memory(&a.o)) >= 0)
        return status;
    status = batch_setup(argv + optind, argc - optind, &a);
    sk_letter_free(&a.letter);
    return status;
}
