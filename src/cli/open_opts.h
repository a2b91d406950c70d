/* sechk command line — --password-file, SECHK_PASSWORD, the password
 * prompt and --convert, shared by extract, check, review and batch. */
#ifndef SECHK_CLI_OPEN_OPTS_H
#define SECHK_CLI_OPEN_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "sechk/crypt.h"
#include "sechk/answers.h"
#include "sechk/limits.h"

/* Long option values (beyond the limit options' range). */
enum { SK_OPT_PASSWORD_FILE = 1200, SK_OPT_CONVERT = 1201, SK_OPT_PASSWORD = 1202 };

/* --password is listed only to refuse it (a password on the command line is
 * visible in ps); listing it also keeps getopt from taking it as an
 * abbreviation of --password-file. */
#define SK_CLI_OPEN_OPTIONS                                                                                    \
    {"password-file", required_argument, NULL, SK_OPT_PASSWORD_FILE},                                        \
        {"convert", no_argument, NULL, SK_OPT_CONVERT}, {"password", optional_argument, NULL, SK_OPT_PASSWORD}

/* Refuses --password: prints a usage error for cmd and returns 2. */
int sk_cli_password_refused(const char *cmd);

/* The options of the commands that read workbooks: -o/--output,
 * --phase, --lang, --template (their long option values 'o', 'p', 'l', 't'),
 * --password-file, --convert, --password (refused) and the limits (--max-…). */
typedef struct sk_cli_read_args {
    const char *out, *phase, *tpath; /* borrowed from argv; phase "auto" */
    sk_lang lang;
    const char *pwfile; /* borrowed from argv, or NULL */
    bool convert;
    sk_limits limits;
} sk_cli_read_args;

/* The long options of sk_cli_read_args' first four fields. */
#define SK_CLI_READ_OPTIONS                                                                                    \
    {"output", required_argument, NULL, 'o'}, {"phase", required_argument, NULL, 'p'},                        \
        {"lang", required_argument, NULL, 'l'}, {"template", required_argument, NULL, 't'}

/* Sets r to no output, --phase auto, Japanese, the built-in template, no
 * password file, no conversion and the default limits. */
void sk_cli_read_args_init(sk_cli_read_args *r);

/* In a getopt loop's default case: takes option c (with optarg) into r.
 * Returns -1 when it took it, else the exit status of the usage error it
 * reported (an unknown option, --password, a bad limit). */
int sk_cli_read_opt(const char *cmd, int c, char **argv, sk_cli_read_args *r);

/* Passwords for encrypted inputs.  The file's lines are "PATH<TAB>PASSWORD"
 * (a password per input; PATH matches the input as given, a trailing part
 * of it after a '/', or its file name) or, when no line has a TAB, the
 * first line is the password for every input.  Without a file the
 * environment variable SECHK_PASSWORD is used, and without that, when
 * prompt is true and standard input is a terminal, the password is asked
 * for once without echo.  All copies are zeroed by sk_cli_open_free. */
typedef struct sk_cli_open {
    sk_open_opts opts;
    char *single;      /* one password for all, or NULL */
    char **paths, **pws;
    size_t n;
    bool prompt;
    bool prompted;     /* asked already (the answer may be NULL) */
    char *typed;
} sk_cli_open;

/* Reads password_file (may be NULL); reports and returns false on failure. */
bool sk_cli_open_init(sk_cli_open *c, const char *password_file, bool convert, double seconds, sk_lang lang,
                      bool prompt);

/* Zeroes and frees the passwords. */
void sk_cli_open_free(sk_cli_open *c);

#endif
