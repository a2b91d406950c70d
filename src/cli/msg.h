/* sechk command line — the message catalogue: every message and help text the
 * command line prints, in Japanese and in English.
 *
 * The language is chosen once, before a subcommand runs (main() looks for
 * --lang en), and only read afterwards: it is the command line's one piece of
 * process state, like the locale.  The library never sees it; it writes its
 * reasons in English and the command line translates them (src/util/reason.c).
 *
 * To add a message: an id below (a comment naming its printf arguments), an
 * entry in msg.c's messages[] with the Japanese and the English (the same
 * conversions in both), then sk_msg_print / sk_cli_usage_msg / sk_msg_format
 * where it is printed.  The _Static_assert and tests/unit/test_msg.c catch a
 * missing entry, a missing language or different arguments. */
#ifndef SECHK_CLI_MSG_H
#define SECHK_CLI_MSG_H

#include <stddef.h>
#include <stdio.h>

#include "sechk/error.h"
#include "sechk/answers.h"

/* Message ids: one per message; ja and en take the same printf arguments. */
typedef enum sk_msg_id {
    SK_MSG_USAGE_HINT,     /* %s: the command */
    SK_MSG_INVALID_OPTION, /* %s: the argument */
    SK_MSG_NO_INPUT,
    SK_MSG_ONE_INPUT,
    SK_MSG_OUTPUT_REQUIRED,
    SK_MSG_BAD_LANG,        /* %s: the value */
    SK_MSG_BAD_PHASE,       /* %s the value, %s the template's phase names */
    SK_MSG_BAD_INTEGER,     /* %s option, %llu max, %s value */
    SK_MSG_ARG_NOT_UTF8,    /* %d: the argument's index */
    SK_MSG_UNKNOWN_COMMAND, /* %s: the command */
    SK_MSG_UNKNOWN_TOPIC,   /* %s: the help topic */
    SK_MSG_WRITTEN,         /* %s: the path */
    SK_MSG_WRITTEN_NOTE,    /* %s path, %s note */
    SK_MSG_FINDINGS_NOTE,   /* %d: the number of findings */
    SK_MSG_CANNOT_WRITE,    /* %s: strerror */
    SK_MSG_NOMEM,
    SK_MSG_RAISE_LIMIT,     /* %.*s: the option */
    SK_MSG_UNREADABLE,      /* the word for a file that cannot be read */
    SK_MSG_BATCH_PROGRESS,  /* %zu done, %zu total, %.1f rate, %zu deficient, %zu unreadable, %s eta */
    SK_MSG_BATCH_TALLY,     /* %zu read, %zu deficient, %zu unreadable, %zu skipped */
    SK_MSG_BATCH_TALLY_END, /* %.1f seconds, %s outdir */
    SK_MSG_BATCH_TALLY_NO_SUMMARY, /* %.1f seconds */
    SK_MSG_LIST_OPEN,       /* opens a parenthesised list */
    SK_MSG_LIST_SEP,
    SK_MSG_LIST_CLOSE,
    SK_MSG_BAD_RANGE,
    SK_MSG_BAD_SECONDS,
    SK_MSG_BAD_ENCODING,
    SK_MSG_BAD_FORMAT,
    SK_MSG_BAD_HEADER,
    SK_MSG_BAD_LAYOUT,
    SK_MSG_CP932_CSV_ONLY,
    SK_MSG_CSV_ONLY,
    SK_MSG_FALLBACK_NEEDS_CP932,
    SK_MSG_CP932_REPLACED,
    SK_MSG_NO_BATCH_INPUT,
    SK_MSG_OUTDIR_REQUIRED,
    SK_MSG_NO_WORKBOOKS,
    SK_MSG_DIFF_TWO_INPUTS,
    SK_MSG_FILL_ONE_INPUT,
    SK_MSG_BAD_SOURCE_DATE,
    SK_MSG_EXTRA_ARGUMENT,
    SK_MSG_RULES_ALONE,
    SK_MSG_BAD_DATE,
    SK_MSG_NO_FREE_NAME,
    SK_MSG_CANNOT_FLUSH,
    SK_MSG_PREVIOUS_TALLY, /* %zu paired, %zu unpaired, %s outdir */
    SK_MSG_CANNOT_WRITE_PREFIX,
    SK_MSG_SETTINGS_NOT_KEY_VALUE,
    SK_MSG_SETTINGS_UNKNOWN_KEY, /* %s: the key */
    SK_MSG_SETTINGS_REPEATED_KEY,
    SK_MSG_SETTINGS_NOT_UTF8,
    SK_MSG_SETTINGS_TOO_LONG, /* %d: the most bytes */
    SK_MSG_SETTINGS_CANNOT_OPEN, /* %s: strerror */
    SK_MSG_SETTINGS_CANNOT_READ,
    SK_MSG_SETTINGS_TOO_BIG, /* %d: KiB */
    SK_MSG_SETTINGS_NOT_TEXT,
    SK_MSG_BAD_DEADLINE, /* %s where, %s value */
    SK_MSG_BAD_FOR, /* %s where, %s value */
    SK_MSG_BAD_PAPER, /* %s where, %s value */
    SK_MSG_WORKER_MEMORY_MIN, /* %d: bytes */
    SK_MSG_ULIMIT_TOO_SMALL, /* %llu limit, %d needed */
    SK_MSG_ULIMIT_APPLIES, /* %llu asked, %llu in force */
    SK_MSG_BATCH_INTERRUPTED, /* %s signal, %zu done, %zu not processed, %s outdir */
    SK_MSG_BATCH_INTERRUPTED_NO_SUMMARY, /* %s signal, %zu done, %zu not processed */
    SK_MSG_INTERRUPTED, /* no conversion: written from a signal handler */
    SK_MSG_PREV_NO_KEY,
    SK_MSG_PREV_NONE, /* %s: the service */
    SK_MSG_PREV_AMBIGUOUS_OLD, /* %s service, %s the files */
    SK_MSG_PREV_AMBIGUOUS_NEW, /* %s: the service */
    SK_MSG_PREV_THIS_UNREADABLE,
    SK_MSG_PREV_NOT_PAIRED,
    /* the help texts: Japanese with the English beside it; English alone */
    SK_MSG_HELP_MAIN, /* sechk --help, sechk help */
    SK_MSG_HELP_TEMPLATE,
    SK_MSG_HELP_EXTRACT,
    SK_MSG_HELP_CHECK,
    SK_MSG_HELP_REVIEW,
    SK_MSG_HELP_FILL,
    SK_MSG_HELP_BATCH,
    SK_MSG_HELP_DIFF,
    SK_MSG_HELP_LETTER, /* review's and batch's letter options */
    SK_MSG_HELP_OPEN,   /* --password-file and --convert */
    SK_MSG_HELP_LIMITS_LINE, /* one line: see sechk help limits */
    SK_MSG_PASSWORD_REFUSED,
    SK_MSG_PASSWORD_PROMPT,
    SK_MSG_PWFILE_OPEN,  /* %s file, %s strerror */
    SK_MSG_PWFILE_READ,  /* %s file */
    SK_MSG_HELP_LIMITS, /* sechk help limits */
    SK_MSG__COUNT
} sk_msg_id;

/* Sets and reads the language of the messages (default Japanese). */
void sk_msg_set_lang(sk_lang lang);
sk_lang sk_msg_lang(void);

/* The message id in lang / in the current language (never NULL). */
const char *sk_msg_text(sk_msg_id id, sk_lang lang);
const char *sk_msg(sk_msg_id id);

/* Prints message id in the current language to fp with printf arguments. */
void sk_msg_print(FILE *fp, sk_msg_id id, ...);

/* Writes message id in lang into buf (cap bytes, NUL-terminated) with printf
 * arguments; returns buf. */
char *sk_msg_format(char *buf, size_t cap, sk_lang lang, sk_msg_id id, ...);

#endif
