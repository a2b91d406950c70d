/* sechk command line — passwords for encrypted inputs and --convert. */
#include "open_opts.h"

#include "cli.h"
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { MAX_FILE = 1 << 20, MAX_LINE = 4096 };


int sk_cli_password_refused(const char *cmd)
{
    return sk_cli_usage_msg(cmd, SK_MSG_PASSWORD_REFUSED);
}

void sk_cli_read_args_init(sk_cli_read_args *r)
{
    *r = (sk_cli_read_args){.phase = "auto", .lang = SK_LANG_JA};
    sk_limits_default(&r->limits);
}

int sk_cli_read_opt(const char *cmd, int c, char **argv, sk_cli_read_args *r)
{
    switch (c) {
    case 'o': r->out = optarg; return -1;
    case 'p': r->phase = optarg; return -1;
    case 'l':
        if (!sk_cli_parse_lang(optarg, &r->lang))
            return sk_cli_usage_msg(cmd, SK_MSG_BAD_LANG, optarg);
        return -1;
    case 't': r->tpath = optarg; return -1;
    case SK_OPT_PASSWORD_FILE: r->pwfile = optarg; return -1;
    case SK_OPT_CONVERT: r->convert = true; return -1;
    case SK_OPT_PASSWORD: return sk_cli_password_refused(cmd);
    default:
        if (c >= SK_OPT_LIMIT && c < SK_OPT_LIMIT + SK_OPT_LIMIT_COUNT)
            return sk_cli_limit(cmd, c, optarg, &r->limits) ? -1 : SK_EXIT_FAIL;
        return sk_cli_bad_option(cmd, argv);
    }
}

/* True if path names the input want: equal, a trailing '/'-part, or the file name. */
static bool path_matches(const char *input, const char *want)
{
    size_t li = strlen(input), lw = strlen(want);
    if (li == lw)
        return strcmp(input, want) == 0;
    if (li > lw && input[li - lw - 1] == '/' && strcmp(input + li - lw, want) == 0)
        return true;
    const char *base = strrchr(input, '/');
    return base && strcmp(base + 1, want) == 0;
}

/* Asks for the password on the terminal without echo. */
static char *ask(void)
{
    struct termios old, quiet;
    char buf[MAX_LINE];
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return NULL;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fputs(sk_msg(SK_MSG_PASSWORD_PROMPT), stderr);
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char *got = fgets(buf, sizeof buf, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    char *pw = got ? strndup(buf, strcspn(buf, "\r\n")) : NULL;
    sk_crypt_wipe(buf, sizeof buf);
    return pw;
}

/* The sk_open_opts password callback. */
static const char *lookup(void *ctx, const char *path)
{
    sk_cli_open *c = ctx;
    for (size_t i = 0; i < c->n; i++)
        if (path_matches(path, c->paths[i]))
            return c->pws[i];
    if (c->single)
        return c->single;
    const char *env = getenv("SECHK_PASSWORD");
    if (env && *env)
        return env;
    if (c->prompt && !c->prompted && isatty(STDIN_FILENO)) {
        c->prompted = true;
        c->typed = ask();
    }
    return c->typed;
}

/* Adds one "PATH<TAB>PASSWORD" line. */
static bool add_pair(sk_cli_open *c, const char *line, size_t tab, size_t len)
{
    char **np = realloc(c->paths, (c->n + 1) * sizeof *np);
    if (!np)
        return false;
    c->paths = np;
    char **nw = realloc(c->pws, (c->n + 1) * sizeof *nw);
    if (!nw)
        return false;
    c->pws = nw;
    c->paths[c->n] = strndup(line, tab);
    c->pws[c->n] = strndup(line + tab + 1, len - tab - 1);
    if (!c->paths[c->n] || !c->pws[c->n]) {
        free(c->paths[c->n]);
        free(c->pws[c->n]);
        return false;
    }
    c->n++;
    return true;
}

/* Parses the password file's text (a UTF-8 BOM, as Notepad writes, is skipped). */
static bool parse(sk_cli_open *c, const char *text, size_t len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    bool pairs = memchr(text, '\t', len) != NULL;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos;
        size_t n = strcspn(line, "\n");
        size_t end = n;
        if (end > 0 && line[end - 1] == '\r')
            end--;
        if (!pairs) {
            c->single = strndup(line, end);
            return c->single != NULL;
        }
        const char *tab = memchr(line, '\t', end);
        if (tab && !add_pair(c, line, (size_t)(tab - line), end))
            return false;
        pos += n + (line[n] == '\n');
    }
    return true;
}

bool sk_cli_open_init(sk_cli_open *c, const char *password_file, bool convert, double seconds, sk_lang lang,
                      bool prompt)
{
    memset(c, 0, sizeof *c);
    c->opts.lang = lang;
    c->opts.password = lookup;
    c->opts.ctx = c;
    c->opts.convert = convert;
    c->opts.convert_seconds = seconds;
    c->prompt = prompt;
    if (!password_file)
        return true;
    FILE *f = fopen(password_file, "rb");
    if (!f) {
        sk_msg_print(stderr, SK_MSG_PWFILE_OPEN, password_file, strerror(errno));
        return false;
    }
    char *buf = malloc(MAX_FILE + 1);
    size_t len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    fclose(f);
    bool ok = buf && len <= MAX_FILE;
    if (ok) {
        buf[len] = '\0';
        ok = parse(c, buf, len);
    }
    if (buf) {
        sk_crypt_wipe(buf, MAX_FILE + 1);
        free(buf);
    }
    if (!ok)
        sk_msg_print(stderr, SK_MSG_PWFILE_READ, password_file);
    return ok;
}

/* Zeroes and frees one string. */
static void wipe_str(char *s)
{
    if (s) {
        sk_crypt_wipe(s, strlen(s));
        free(s);
    }
}

void sk_cli_open_free(sk_cli_open *c)
{
    wipe_str(c->single);
    wipe_str(c->typed);
    for (size_t i = 0; i < c->n; i++) {
        wipe_str(c->paths[i]);
        wipe_str(c->pws[i]);
    }
    free(c->paths);
    free(c->pws);
    memset(c, 0, sizeof *c);
}
