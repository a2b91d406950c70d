/* sechk command line — shared declarations of the subcommands. */
#ifndef SECHK_CLI_H
#define SECHK_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sechk/answers.h"
#include "sechk/error.h"
#include "sechk/limits.h"
#include "sechk/template.h"
#include "msg.h"

/* Exit statuses (brief section 5). */
enum { SK_EXIT_OK = 0, SK_EXIT_FINDINGS = 1, SK_EXIT_FAIL = 2 };

#define SK_VERSION "0.1.0"

/* Each subcommand: argv[0] is the subcommand's name. */
int sk_cmd_template(int argc, char **argv);
int sk_cmd_extract(int argc, char **argv);
int sk_cmd_check(int argc, char **argv);
int sk_cmd_review(int argc, char **argv);
int sk_cmd_fill(int argc, char **argv);
int sk_cmd_batch(int argc, char **argv);
int sk_cmd_diff(int argc, char **argv);

struct sk_batch;
struct sk_batch_opts;
struct sk_diff_input;
struct sk_diff_sides;

/* The two sides of a comparison as sk_diff_compute and sk_diff_json take
 * them: the templates, replies and 事業名 of old and nw (borrowed). */
void sk_cli_diff_sides(const struct sk_diff_input *old, const struct sk_diff_input *nw, struct sk_diff_sides *out);
/* batch --previous OLDDIR, after the run (batch_previous.c): pairs, diffs,
 * reviews with the comparison, previous.xlsx/.csv.  Returns an exit status. */
int sk_batch_previous(const struct sk_batch *b, const char *olddir, const char *outdir,
                      const struct sk_batch_opts *o);

/* Prints "sechk: <file>: <where>: <reason>" to stderr. */
void sk_cli_report(const sk_diag *d);

/* Prints "sechk: <command>: " and catalogue message id in the current
 * language (printf arguments follow), then the hint; returns 2. */
int sk_cli_usage_msg(const char *cmd, sk_msg_id id, ...);

/* Prints catalogue message id in the current language to stderr, with the
 * printf arguments ap (no prefix, no newline). */
void sk_cli_vmsg(sk_msg_id id, va_list ap);

/* Prints a subcommand's help to stdout: message own, then with letter the
 * letter's options, then the options of opening and of the limits; returns
 * sk_cli_finish(0). */
int sk_cli_help(sk_msg_id own, bool letter);

/* The options of the commands that read no workbook (template, fill), in
 * their getopt loop's default case: -h/--help prints help (returns
 * sk_cli_finish(0)); -l/--lang is checked (ja|en; the messages' language was
 * chosen in main()).  Returns -1 when it took c, else the exit status (help,
 * or a usage error it reported). */
int sk_cli_plain_opt(const char *cmd, int c, char **argv, sk_msg_id help);

/* Reads SOURCE_DATE_EPOCH into *out: 0 when unset or empty, else seconds
 * from 1 to 253402300799 (9999-12-31).  A malformed value is a usage error
 * of cmd: reports it and returns false. */
bool sk_cli_source_date(const char *cmd, time_t *out);

/* After getopt_long returned '?': names the argument it stopped at (an
 * unknown option, or one without its value) in the catalogue's words (main()
 * turns getopt's own English message off); returns 2. */
int sk_cli_bad_option(const char *cmd, char **argv);

/* Loads --template FILE, or the built-in template when path is NULL.
 * Reports and returns false on failure. */
bool sk_cli_load_template(const char *path, sk_template **t);

/* Parses --phase name against template t (sk_template_phase_parse) into
 * *index (-1: auto).  Returns 0, or the usage status after printing the
 * names the template accepts. */
int sk_cli_phase(const char *cmd, const sk_template *t, const char *name, int *index);

/* Checks that every argument is valid UTF-8; reports and returns false if not. */
bool sk_cli_args_utf8(int argc, char **argv);

/* Parses --lang ja|en. */
bool sk_cli_parse_lang(const char *s, sk_lang *out);

/* Parses --encoding (cp932, CP932 or sjis; utf-8, UTF-8 or utf8) into
 * *cp932; false for another name. */
bool sk_cli_parse_encoding(const char *s, bool *cp932);

/* Long options of the input limits (--max-…), values SK_OPT_LIMIT + k (their
 * help: SK_MSG_HELP_LIMITS). */
enum { SK_OPT_LIMIT = 1000, SK_OPT_LIMIT_COUNT = 9 };

/* Takes a subcommand's option c (with optarg) into its parsed arguments
 * args; returns -1, or the exit status to stop with. */
typedef int sk_cli_take_fn(int c, char **argv, void *args);

/* Parses argv with getopt_long: shortopts, own's long options
 * (NULL-terminated, at most 54) and the limit options, each taken by take
 * into args.  Returns -1 when every option was taken (optind: the first
 * operand), else the exit status take returned. */
int sk_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *own, sk_cli_take_fn *take,
                  void *args);

/* Handles a limit option value c with its argument; returns false (after a
 * usage message) for a bad number. */
bool sk_cli_limit(const char *cmd, int c, const char *arg, sk_limits *l);

/* On a terminal, prints one line to stderr saying that path was written
 * (「書き出しました: PATH（NOTE）」); nothing when stderr is not a terminal. */
void sk_cli_wrote(const char *path, const char *note);

/* Ends a command that wrote one file out: with e, reports d (an output
 * failure as sk_cli_report_lang in the messages' language) and returns 2;
 * else says out was written (sk_cli_wrote) and returns sk_cli_finish(0). */
int sk_cli_wrote_one(const char *out, sk_error e, const sk_diag *d);

/* Closes stdout, reporting a write error (full disk, closed pipe).
 * Returns the exit status to use: status, or 2 on an error. */
int sk_cli_finish(int status);

/* Installs the handlers of SIGINT, SIGTERM and SIGHUP (src/cli/signals.c):
 * with flag NULL, a signal removes this process's staging files, prints one
 * line and exits 128 + the signal; else it sets *flag to the signal (batch
 * stops, writes its summary and exits the same way). */
#include <signal.h>
void sk_cli_signals(volatile sig_atomic_t *flag);

/* Reports an output failure as "sechk: FILE: 書き込めません：reason"
 * ("cannot write: …" in English), else as sk_cli_report. */
void sk_cli_report_lang(const sk_diag *d, sk_lang lang);
/* ---- review's letter head (letter.c) ---- */

struct sk_review_opts;
enum { SK_LETTER_TO, SK_LETTER_FROM, SK_LETTER_DEADLINE, SK_LETTER_PROJECT, SK_LETTER_FOR, SK_LETTER_PAPER,
       SK_LETTER__COUNT };

/* The letter's values: given on the command line (borrowed from argv) and
 * read from --settings FILE (owned; free with sk_letter_free). */
typedef struct sk_letter {
    const char *given[SK_LETTER__COUNT];
    char *file[SK_LETTER__COUNT];
    int line[SK_LETTER__COUNT]; /* line of each file value */
    const char *path;           /* the settings file, or NULL */
} sk_letter;

/* Long options of the letter: values SK_OPT_LETTER + SK_LETTER_*, and
 * SK_OPT_SETTINGS for --settings FILE (their help: SK_MSG_HELP_LETTER). */
enum { SK_OPT_LETTER = 1100, SK_OPT_SETTINGS = SK_OPT_LETTER + SK_LETTER__COUNT };
#define SK_LETTER_LONG_OPTIONS                                                                                         \
    {"to", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_TO},                                                    \
        {"from", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_FROM},                                            \
        {"deadline", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_DEADLINE},                                    \
        {"project", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_PROJECT},                                      \
        {"for", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_FOR},                                              \
        {"paper", required_argument, NULL, SK_OPT_LETTER + SK_LETTER_PAPER},                                          \
        {"settings", required_argument, NULL, SK_OPT_SETTINGS}

struct sk_cli_read_args;
/* The options review and batch share (the letter, --settings, and those of
 * sk_cli_read_opt) in their getopt loop's default case: takes option c (with
 * optarg) into letter, *settings or r.  Returns -1 when it took it, else the
 * exit status of the usage error it reported (an invalid option or value). */
int sk_cli_review_opt(const char *cmd, int c, char **argv, sk_letter *letter, const char **settings,
                      struct sk_cli_read_args *r);

/* Reads a settings file; reports (naming FILE:LINE) and returns false on error. */
bool sk_letter_load(const char *cmd, const char *path, sk_letter *l);

/* Validates the values (the command line's first) into ro; reports and
 * returns false on error. */
bool sk_letter_apply(const char *cmd, const sk_letter *l, struct sk_review_opts *ro);

void sk_letter_free(sk_letter *l);

#endif
