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

enum {
    OPT_NO_REVIEW = 1,
    OPT_PHASE,
    OPT_LANG,
    OPT_ENCODING,
    OPT_TEMPLATE,
    OPT_SECONDS,
    OPT_MEMORY,
    OPT_SHEET,
    OPT_PREVIOUS
};

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

int sk_cmd_batch(int argc, char **argv)
{
    static const struct option own[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"phase", required_argument, NULL, OPT_PHASE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"no-review", no_argument, NULL, OPT_NO_REVIEW},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"sheet", required_argument, NULL, OPT_SHEET},
        {"max-seconds", required_argument, NULL, OPT_SECONDS},
        {"max-memory-bytes", required_argument, NULL, OPT_MEMORY},
        {"help", no_argument, NULL, 'h'},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        SK_LETTER_LONG_OPTIONS,
        SK_CLI_OPEN_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct option opts[64];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    sk_batch_opts o = {0};
    sk_limits_default(&o.limits);
    o.review = true;
    o.jobs = 0;
    o.seconds = 60;
    o.memory = UINT64_C(1) << 30;
    const char *outdir = NULL, *phase = "auto", *tpath = NULL, *previous = NULL, *pwfile = NULL;
    sk_letter letter = {0};
    const char *settings = NULL;
    sk_review_opts letter_ro = {0};
    bool convert = false;
    unsigned long long v;
    int c;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'j':
            if (!parse_num("-j", optarg, 1, 256, &v))
                return SK_EXIT_FAIL;
            o.jobs = (int)v;
            break;
        case OPT_PHASE: phase = optarg; break;
        case OPT_LANG:
            if (!sk_cli_parse_lang(optarg, &o.lang))
                return sk_cli_usage_msg("batch", SK_MSG_BAD_LANG, optarg);
            break;
        case OPT_NO_REVIEW: o.review = false; break;
        case OPT_ENCODING:
            if (strcmp(optarg, "cp932") == 0 || strcmp(optarg, "CP932") == 0 || strcmp(optarg, "sjis") == 0)
                o.cp932 = true;
            else if (strcmp(optarg, "utf-8") == 0 || strcmp(optarg, "UTF-8") == 0 || strcmp(optarg, "utf8") == 0)
                o.cp932 = false;
            else
                return sk_cli_usage_msg("batch", SK_MSG_BAD_ENCODING, optarg);
            break;
        case OPT_TEMPLATE: tpath = optarg; break;
        case OPT_PREVIOUS: previous = optarg; break;
        case OPT_SECONDS: {
            char *end;
            errno = 0;
            double secs = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(secs >= 0.01 && secs <= 86400))
                return sk_cli_usage_msg("batch", SK_MSG_BAD_SECONDS, optarg);
            o.seconds = secs;
            break;
        }
        case OPT_MEMORY:
            if (!parse_num("--max-memory-bytes", optarg, 1 << 20, UINT64_C(1) << 50, &v))
                return SK_EXIT_FAIL;
            o.memory = v;
            break;
        case OPT_SHEET: o.sheet = optarg; break;
        case SK_OPT_PASSWORD_FILE: pwfile = optarg; break;
        case SK_OPT_CONVERT: convert = true; break;
        case SK_OPT_PASSWORD: return sk_cli_password_refused("batch");
        case 'h':
            fputs(sk_msg(SK_MSG_HELP_BATCH), stdout);
            fputs(sk_msg(SK_MSG_HELP_LETTER), stdout);
            fputs(sk_msg(SK_MSG_HELP_OPEN), stdout);
            fputs(sk_msg(SK_MSG_HELP_LIMITS_LINE), stdout);
            return sk_cli_finish(SK_EXIT_OK);
        default: {
            int bad = sk_cli_review_opt("batch", c, argv, &letter, &settings, &o.limits);
            if (bad)
                return bad;
            break;
        }
        }
    }
    if (optind >= argc)
        return sk_cli_usage_msg("batch", SK_MSG_NO_BATCH_INPUT);
    if (!outdir || !*outdir)
        return sk_cli_usage_msg("batch", SK_MSG_OUTDIR_REQUIRED);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        if (!parse_num("SOURCE_DATE_EPOCH", sde, 1, 253402300799ULL, &v))
            return SK_EXIT_FAIL;
        o.epoch = (time_t)v;
    }
    if (o.jobs == 0)
        o.jobs = processors();
    /* a worker starts as a copy of this process and keeps 64 MiB of heap
     * padding (batch.c): below this, every file would fail "out of memory" */
    enum { MIN_WORKER_MEMORY = 128 << 20 };
    if (o.memory < MIN_WORKER_MEMORY)
        return sk_cli_usage_msg("batch", SK_MSG_WORKER_MEMORY_MIN, MIN_WORKER_MEMORY);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && (uint64_t)rl.rlim_max < o.memory) {
        /* setrlimit cannot raise the hard limit (ulimit -v): the one in force applies */
        if ((uint64_t)rl.rlim_max < MIN_WORKER_MEMORY)
            return sk_cli_usage_msg("batch", SK_MSG_ULIMIT_TOO_SMALL, (unsigned long long)rl.rlim_max,
                                    MIN_WORKER_MEMORY);
        fputs("sechk: ", stderr);
        sk_msg_print(stderr, SK_MSG_ULIMIT_APPLIES, (unsigned long long)o.memory, (unsigned long long)rl.rlim_max);
        fputc('\n', stderr);
        o.memory = (uint64_t)rl.rlim_max;
    }
    bool letter_ok = !settings || sk_letter_load("batch", settings, &letter);
    letter_ok = letter_ok && sk_letter_apply("batch", &letter, &letter_ro);
    if (!letter_ok) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    o.letter = &letter_ro; /* its strings live in letter (freed at exit) and argv */

    /* no prompt: the workers run in the background.  The conversion's own
     * limit comes before the worker's (--max-seconds), so that LibreOffice's
     * process group is killed and its folder removed by the worker itself. */
    sk_cli_open open;
    if (!sk_cli_open_init(&open, pwfile, convert, o.seconds * 0.8, o.lang, false)) {
        sk_letter_free(&letter);
        return SK_EXIT_FAIL;
    }
    o.open = &open.opts;
    sk_template *t = NULL;
    if (!sk_cli_load_template(tpath, &t)) {
        sk_letter_free(&letter);
        sk_cli_open_free(&open);
        return SK_EXIT_FAIL;
    }
    o.tpl = t;
    int bad = sk_cli_phase("batch", t, phase, &o.phase);
    if (bad) {
        sk_template_free(t);
        sk_letter_free(&letter);
        sk_cli_open_free(&open);
        return bad;
    }
    progress_ctx pc = {o.lang, false};
    if (isatty(STDERR_FILENO)) {
        o.progress = show_progress;
        o.ctx = &pc;
    }
    /* "out/" and "out" are one folder; keep the paths printed free of "//" */
    size_t olen = strlen(outdir);
    while (olen > 1 && outdir[olen - 1] == '/')
        olen--;
    char *od = strndup(outdir, olen);
    if (!od) {
        sk_template_free(t);
        sk_letter_free(&letter);
        sk_cli_open_free(&open);
        fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NOMEM));
        return SK_EXIT_FAIL;
    }

    static volatile sig_atomic_t stop;
    o.stop = &stop;
    sk_cli_signals(&stop);
    sk_batch *b = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    sk_error e = sk_batch_run((const char *const *)argv + optind, argc - optind, od, &o, &b, &d);
    if (pc.shown)
        fputs("\r\033[K", stderr);
    int status = SK_EXIT_OK;
    if (e) {
        sk_cli_report_lang(&d, o.lang);
        status = SK_EXIT_FAIL;
    } else if (b->interrupted) {
        /* one line: what was done, what was not, where the summary is */
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
        status = 128 + sig;
    } else {
        size_t fatal = 0;
        for (size_t k = 0; k < b->walk->n_problems; k++) {
            const sk_walk_problem *p = &b->walk->problems[k];
            char why[300];
            sk_walk_problem_text(p, o.lang, why, sizeof why);
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
            sk_cli_report_lang(&b->output_errors[k], o.lang);
        if (b->walk->n_files == 0 && !fatal)
            fprintf(stderr, "sechk: %s\n", sk_msg(SK_MSG_NO_WORKBOOKS));
        print_tally(b, fatal, od, o.lang);
        bool prev_failed = previous && sk_batch_previous(b, previous, od, &o) != SK_EXIT_OK;
        if (b->unreadable || fatal || b->n_output_errors || b->n_output_failed || prev_failed)
            status = SK_EXIT_FAIL;
        else if (b->deficient)
            status = SK_EXIT_FINDINGS;
    }
    sk_batch_free(b);
    sk_template_free(t);
    sk_cli_open_free(&open);
    free(od);
    sk_letter_free(&letter);
    status = sk_cli_finish(status);
    if (stop)
        status = 128 + stop; /* a signal after the run: the same exit */
    return status;
}
