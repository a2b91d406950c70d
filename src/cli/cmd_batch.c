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
#include "sechk/batch.h"
#include "sechk/review.h"

static const char help[] =
    "使い方: sechk batch DIR|FILE... -o OUTDIR [-j N] [--phase PHASE] [--lang ja|en] [--no-review]\n"
    "                    [--encoding utf-8|cp932] [--template FILE] [--sheet NAME|N] [--max-… N]\n"
    "フォルダ内の提出物（.xlsx, .xlsm）をまとめて読み込み・確認し、ファイルごとの結果と集計表を書き出します。\n"
    "Reads and checks every workbook under the given folders, in parallel worker processes; writes\n"
    "per-file results mirroring the input folders, and an aggregate summary.\n"
    "\n"
    "  -o, --output OUTDIR       出力フォルダ (required; created if needed; may lie inside an input\n"
    "                            folder, whose walk then skips it)\n"
    "  -j, --jobs N              ワーカープロセスの数 (default: the number of processors)\n"
    "      --phase PHASE         selection|development|operation|disposal|auto, or 選定|開発|運用|廃棄\n"
    "                            (default: auto)\n"
    "      --lang ja|en          メッセージ・見出しの言語 (default: ja)\n"
    "      --no-review           確認用ブック NAME.review.xlsx を書かない (JSON and summary only)\n"
    "      --encoding utf-8|cp932  summary.csv の文字コード (default: utf-8 with BOM)\n"
    "      --template FILE       チェックリスト定義ファイル (default: built-in)\n"
    "      --sheet NAME|N        読み取るシート (名前か 1 からの番号; default: 記入済みのチェックリストを自動で選ぶ)\n"
    "      --previous OLDDIR     前回のフォルダと比較: パス、なければ利用する外部サービス名で対応付け、\n"
    "                            NAME.diff.json, 確認用ブックに「前回との比較」, 集計に前回比の列と\n"
    "                            「前回と対応なし」シート, previous.xlsx/.csv を書く (compare with OLDDIR)\n"
    "      --max-seconds S       1 ファイルの処理時間の上限・秒、小数可 (wall clock and CPU; default 60)\n"
    "      --max-memory-bytes N  ワーカー 1 つのメモリ（アドレス空間）の上限 (default 1073741824 = 1 GiB)\n"
    "  -h, --help                this help\n"
    "\n"
    "出力 / outputs (OUTDIR):\n"
    "  NAME.json, NAME.review.xlsx  入力フォルダの構成を保って (NAME: the input's path without extension)\n"
    "  summary.xlsx                 一覧・指摘事項・読み込めないファイル (files, findings, unreadable)\n"
    "  summary.csv                  一覧シートと同じ内容 (sheet 1 as CSV)\n"
    "スキップ / skipped: ~$ ロックファイル, 隠しファイル, ブック以外 (.xls, .xlsb, .ods are read and\n"
    "  reported as unreadable so that no submission goes unnoticed)\n"
    "SOURCE_DATE_EPOCH: 作成日時として記録 (else each input's modification time)\n"
    "\n"
    "終了ステータス: 0 エラーなし, 1 不備・不適合あり, 2 読めない入力あり（他のファイルは処理済み）・使い方の誤り\n"
    "  ・書き込めない出力あり, 130/143/129 SIGINT/SIGTERM/SIGHUP で中断（処理済みの分の集計を書き出します）\n";

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
        sk_cli_usage("batch", "%s: %llu から %llu までの整数を指定してください (an integer %llu..%llu): '%s'", opt, min,
                     max, min, max, arg);
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
    bool ja = pc->lang == SK_LANG_JA;
    double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
    char eta[32] = "-";
    if (rate > 0 && p->done < p->total) {
        long s = (long)((double)(p->total - p->done) / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
    }
    if (ja)
        fprintf(stderr, "\r処理中 %zu/%zu 件 (%.1f 件/秒, 不備あり %zu, 読み込めない %zu, 残り %s)\033[K", p->done,
                p->total, rate, p->deficient, p->unreadable, eta);
    else
        fprintf(stderr, "\r%zu/%zu files (%.1f files/s, deficient %zu, unreadable %zu, ETA %s)\033[K", p->done,
                p->total, rate, p->deficient, p->unreadable, eta);
    pc->shown = true;
}

/* Prints the one-line tally. */
static void print_tally(const sk_batch *b, size_t fatal, const char *outdir, sk_lang lang)
{
    bool ja = lang == SK_LANG_JA;
    const sk_walk *w = b->walk;
    size_t skipped = sk_walk_skipped(w);
    if (ja)
        fprintf(stderr, "sechk: 読み込み %zu 件（不備あり %zu 件）、読み込めない %zu 件、スキップ %zu 件", b->read,
                b->deficient, b->unreadable + fatal, skipped);
    else
        fprintf(stderr, "sechk: %zu read (%zu with deficiencies), %zu unreadable, %zu skipped", b->read, b->deficient,
                b->unreadable + fatal, skipped);
    if (skipped) {
        fputs(ja ? "（" : " (", stderr);
        bool first = true;
        for (int k = 0; k < SK_SKIP__COUNT; k++) {
            if (!w->skipped[k])
                continue;
            fprintf(stderr, "%s%s %zu",
                    first ? ""
                    : ja  ? "、"
                          : ", ",
                    sk_skip_label((sk_skip_reason)k, lang), w->skipped[k]);
            first = false;
        }
        fputs(ja ? "）" : ")", stderr);
    }
    if (b->n_output_failed) /* no summary: the line says so, once */
        fprintf(stderr, ja ? "、%.1f 秒。書き込めない出力があったため集計は書き出していません（前回の集計はそのまま）\n"
                           : ", %.1f s; some outputs could not be written: no summary written (an earlier one is left as it was)\n",
                b->seconds);
    else if (ja)
        fprintf(stderr, "、%.1f 秒。集計: %s/summary.xlsx\n", b->seconds, outdir);
    else
        fprintf(stderr, ", %.1f s; summary: %s/summary.xlsx\n", b->seconds, outdir);
}

/* What the command line asks of a batch. */
typedef struct batch_args {
    sk_batch_opts o;
    const char *outdir, *phase, *tpath, *previous, *settings;
    sk_letter letter;
} batch_args;

/* Parses --encoding into o->cp932; false for an unknown name. */
static bool parse_encoding(const char *arg, sk_batch_opts *o)
{
    if (strcmp(arg, "cp932") == 0 || strcmp(arg, "CP932") == 0 || strcmp(arg, "sjis") == 0)
        o->cp932 = true;
    else if (strcmp(arg, "utf-8") == 0 || strcmp(arg, "UTF-8") == 0 || strcmp(arg, "utf8") == 0)
        o->cp932 = false;
    else
        return false;
    return true;
}

/* Parses --max-seconds into o->seconds; false outside 0.01..86400. */
static bool parse_seconds(const char *arg, sk_batch_opts *o)
{
    char *end;
    errno = 0;
    double secs = strtod(arg, &end);
    if (errno || end == arg || *end || !(secs >= 0.01 && secs <= 86400))
        return false;
    o->seconds = secs;
    return true;
}

/* Takes option c (with optarg) into a; returns -1, or the exit status. */
static int take_option(int c, batch_args *a)
{
    sk_batch_opts *o = &a->o;
    unsigned long long v;
    switch (c) {
    case 'o': a->outdir = optarg; return -1;
    case 'j':
        if (!parse_num("-j", optarg, 1, 256, &v))
            return SK_EXIT_FAIL;
        o->jobs = (int)v;
        return -1;
    case OPT_PHASE: a->phase = optarg; return -1;
    case OPT_LANG:
        if (!sk_cli_parse_lang(optarg, &o->lang))
            return sk_cli_usage("batch", "--lang: ja か en を指定してください (expected ja|en): '%s'", optarg);
        return -1;
    case OPT_NO_REVIEW: o->review = false; return -1;
    case OPT_ENCODING:
        if (!parse_encoding(optarg, o))
            return sk_cli_usage("batch", "--encoding: utf-8 か cp932 を指定してください: '%s'", optarg);
        return -1;
    case OPT_TEMPLATE: a->tpath = optarg; return -1;
    case OPT_PREVIOUS: a->previous = optarg; return -1;
    case OPT_SECONDS:
        if (!parse_seconds(optarg, o))
            return sk_cli_usage("batch",
                                "--max-seconds: 0.01 から 86400 までの秒数を指定してください "
                                "(seconds, 0.01..86400): '%s'",
                                optarg);
        return -1;
    case OPT_MEMORY:
        if (!parse_num("--max-memory-bytes", optarg, 1 << 20, UINT64_C(1) << 50, &v))
            return SK_EXIT_FAIL;
        o->memory = v;
        return -1;
    case OPT_SHEET: o->sheet = optarg; return -1;
    case 'h':
        fputs(help, stdout);
        fputs(sk_letter_help, stdout);
        return sk_cli_finish(SK_EXIT_OK);
    default: {
        int bad = sk_cli_review_opt("batch", c, optarg, &a->letter, &a->settings, &o->limits);
        return bad ? bad : -1;
    }
    }
}

/* Parses the command line into a; returns -1, or the exit status. */
static int parse_args(int argc, char **argv, batch_args *a)
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
        {NULL, 0, NULL, 0},
    };
    struct option opts[32];
    sk_cli_options(own, opts, sizeof opts / sizeof *opts);
    sk_limits_default(&a->o.limits);
    a->o.review = true;
    a->o.seconds = 60;
    a->o.memory = UINT64_C(1) << 30;
    a->phase = "auto";
    int c, status;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1)
        if ((status = take_option(c, a)) >= 0)
            return status;
    if (optind >= argc)
        return sk_cli_usage("batch", "入力のフォルダかファイルを指定してください (no input)");
    if (!a->outdir || !*a->outdir)
        return sk_cli_usage("batch", "-o OUTDIR を指定してください (the output folder is required)");
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    unsigned long long v;
    if (sde && *sde) {
        if (!parse_num("SOURCE_DATE_EPOCH", sde, 1, 253402300799ULL, &v))
            return SK_EXIT_FAIL;
        a->o.epoch = (time_t)v;
    }
    if (a->o.jobs == 0)
        a->o.jobs = processors();
    return -1;
}

/* Checks the per-worker memory limit against what a worker needs and what
 * the hard limit in force allows; returns -1, or the exit status. */
static int check_memory(sk_batch_opts *o)
{
    /* a worker starts as a copy of this process and keeps 64 MiB of heap
     * padding (batch.c): below this, every file would fail "out of memory" */
    enum { MIN_WORKER_MEMORY = 128 << 20 };
    if (o->memory < MIN_WORKER_MEMORY)
        return sk_cli_usage("batch",
                            "--max-memory-bytes: ワーカー 1 つに少なくとも %d (128 MiB) が必要です "
                            "(a worker needs at least %d bytes)",
                            MIN_WORKER_MEMORY, MIN_WORKER_MEMORY);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_max == RLIM_INFINITY || (uint64_t)rl.rlim_max >= o->memory)
        return -1;
    /* setrlimit cannot raise the hard limit (ulimit -v): the one in force applies */
    if ((uint64_t)rl.rlim_max < MIN_WORKER_MEMORY)
        return sk_cli_usage("batch",
                            "メモリの上限（ulimit -v: %llu バイト）が小さすぎます。ワーカーには少なくとも %d が必要です "
                            "(the address-space limit in force, %llu bytes, is below the %d a worker needs)",
                            (unsigned long long)rl.rlim_max, MIN_WORKER_MEMORY, (unsigned long long)rl.rlim_max,
                            MIN_WORKER_MEMORY);
    fprintf(stderr,
            o->lang == SK_LANG_JA
                ? "sechk: メモリの上限を %llu バイトにできません。有効な上限 %llu バイト（ulimit -v）で処理します\n"
                : "sechk: cannot set the memory limit to %llu bytes; the limit in force, %llu bytes (ulimit -v), applies\n",
            (unsigned long long)o->memory, (unsigned long long)rl.rlim_max);
    o->memory = (uint64_t)rl.rlim_max;
    return -1;
}

/* Reports an interrupted run in one line: what was done, what was not,
 * where the summary is; returns the exit status. */
static int report_interrupted(const sk_batch *b, sk_lang lang, const char *od)
{
    int sig = b->interrupted;
    const char *name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "signal";
    size_t done = b->walk->n_files - b->not_processed;
    bool summary = b->n_output_failed == 0 && b->n_output_errors == 0;
    if (lang == SK_LANG_JA)
        fprintf(stderr, "sechk: 中断しました（%s）。処理済み %zu 件、未処理 %zu 件。%s%s\n", name, done,
                b->not_processed, summary ? "集計（中断）: " : "集計は書き出していません", summary ? od : "");
    else
        fprintf(stderr, "sechk: interrupted (%s); %zu files done, %zu not processed; %s%s\n", name, done,
                b->not_processed, summary ? "summary (interrupted): " : "no summary written", summary ? od : "");
    return 128 + sig;
}

/* Reports a finished run (problems, unreadable files, outputs not written,
 * the tally), writes the --previous comparison; returns the exit status. */
static int report_done(const sk_batch *b, const batch_args *a, const char *od)
{
    sk_lang lang = a->o.lang;
    size_t fatal = 0;
    for (size_t k = 0; k < b->walk->n_problems; k++) {
        const sk_walk_problem *p = &b->walk->problems[k];
        char why[300];
        sk_walk_problem_text(p, lang, why, sizeof why);
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
        sk_cli_report_lang(&b->output_errors[k], lang);
    if (b->walk->n_files == 0 && !fatal)
        fprintf(stderr, "sechk: %s\n",
                lang == SK_LANG_JA ? "ブック（.xlsx, .xlsm）が見つかりません" : "no workbooks (.xlsx, .xlsm) found");
    print_tally(b, fatal, od, lang);
    bool prev_failed = a->previous && sk_batch_previous(b, a->previous, od, &a->o) != SK_EXIT_OK;
    if (b->unreadable || fatal || b->n_output_errors || b->n_output_failed || prev_failed)
        return SK_EXIT_FAIL;
    return b->deficient ? SK_EXIT_FINDINGS : SK_EXIT_OK;
}

/* Runs the batch as asked and reports it; returns the exit status. */
static int run_batch(int argc, char **argv, batch_args *a, const char *od)
{
    progress_ctx pc = {a->o.lang, false};
    if (isatty(STDERR_FILENO)) {
        a->o.progress = show_progress;
        a->o.ctx = &pc;
    }
    static volatile sig_atomic_t stop;
    a->o.stop = &stop;
    sk_cli_signals(&stop);
    sk_batch *b = NULL;
    sk_diag d;
    sk_diag_clear(&d);
    sk_error e = sk_batch_run((const char *const *)argv + optind, argc - optind, od, &a->o, &b, &d);
    if (pc.shown)
        fputs("\r\033[K", stderr);
    int status;
    if (e) {
        sk_cli_report_lang(&d, a->o.lang);
        status = SK_EXIT_FAIL;
    } else {
        status = b->interrupted ? report_interrupted(b, a->o.lang, od) : report_done(b, a, od);
    }
    sk_batch_free(b);
    status = sk_cli_finish(status);
    if (stop)
        status = 128 + stop; /* a signal after the run: the same exit */
    return status;
}

int sk_cmd_batch(int argc, char **argv)
{
    batch_args a;
    memset(&a, 0, sizeof a);
    int status = parse_args(argc, argv, &a);
    if (status < 0)
        status = check_memory(&a.o);
    if (status >= 0)
        return status;
    sk_review_opts letter_ro = {0};
    bool letter_ok = !a.settings || sk_letter_load("batch", a.settings, &a.letter);
    letter_ok = letter_ok && sk_letter_apply("batch", &a.letter, &letter_ro);
    sk_template *t = NULL;
    if (!letter_ok || !sk_cli_load_template(a.tpath, &t)) {
        sk_letter_free(&a.letter);
        return SK_EXIT_FAIL;
    }
    a.o.letter = &letter_ro; /* its strings live in letter (freed at exit) and argv */
    a.o.tpl = t;
    status = sk_cli_phase("batch", t, a.phase, &a.o.phase);
    /* "out/" and "out" are one folder; keep the paths printed free of "//" */
    size_t olen = strlen(a.outdir);
    while (olen > 1 && a.outdir[olen - 1] == '/')
        olen--;
    char *od = status ? NULL : strndup(a.outdir, olen);
    if (!status && !od) {
        fputs("sechk: out of memory\n", stderr);
        status = SK_EXIT_FAIL;
    }
    if (!status)
        status = run_batch(argc, argv, &a, od);
    sk_template_free(t);
    free(od);
    sk_letter_free(&a.letter);
    return status;
}
