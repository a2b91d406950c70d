/* sechk — legacy spreadsheets converted to .xlsx by LibreOffice (--convert).
 *
 * Built with SECHK_NO_CRYPTO (the web page: no libcrypto and no processes
 * to run), sk_convert_file only says that the page cannot convert. */
#include "sechk/convert.h"

#ifdef SECHK_NO_CRYPTO
sk_error sk_convert_file(const char *path, const sk_open_opts *o, char **dir, char **xlsx, char **version,
                         sk_diag *d)
{
    (void)path, (void)o;
    *dir = *xlsx = *version = NULL;
    return sk_diag_set(d, SK_ERR_FORMAT, "conversion with LibreOffice is not available in this build");
}

void sk_convert_cleanup(const char *dir)
{
    (void)dir;
}

void sk_convert_hold(sigset_t *old)
{
    sigemptyset(old);
}

void sk_convert_release(const sigset_t *old)
{
    (void)old;
}
#else

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zip.h"

extern char **environ;

enum { PATH_CAP = 4096, POLL_MS = 50 };

/* Finds soffice on PATH; returns a new string or NULL. */
static char *find_soffice(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char buf[PATH_CAP];
        if (n > 0 && n < sizeof buf - 16) {
            snprintf(buf, sizeof buf, "%.*s/soffice", (int)n, path);
            if (access(buf, X_OK) == 0)
                return strdup(buf);
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return NULL;
}

/* The signals that stop a run: held back during a conversion (sk_convert_hold). */
static void stop_signals(sigset_t *s)
{
    sigemptyset(s);
    sigaddset(s, SIGINT);
    sigaddset(s, SIGTERM);
    sigaddset(s, SIGHUP);
}

void sk_convert_hold(sigset_t *old)
{
    sigset_t s;
    stop_signals(&s);
    sigprocmask(SIG_BLOCK, &s, old);
}

void sk_convert_release(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* True if a stop signal held back by sk_convert_hold is waiting. */
static bool stop_pending(void)
{
    sigset_t p;
    if (sigpending(&p) != 0)
        return false;
    return sigismember(&p, SIGINT) == 1 || sigismember(&p, SIGTERM) == 1 || sigismember(&p, SIGHUP) == 1;
}

/* Runs argv with stdin from /dev/null and stdout to out_file (or /dev/null),
 * stderr to /dev/null, in its own process group, with the stop signals
 * unblocked; kills the group after seconds, or at once when a held-back stop
 * signal is pending.  Returns 0 on exit status 0, -1 on failure, -2 on
 * timeout, -3 when interrupted. */
static int run(char *const argv[], const char *out_file, double seconds)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    pid_t pid;
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigdelset(&mask, SIGINT);
    sigdelset(&mask, SIGTERM);
    sigdelset(&mask, SIGHUP);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_file ? out_file : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setsigmask(&at, &mask);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0)
        return -1;
    struct timespec start, now, nap = {0, POLL_MS * 1000000L};
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        bool stop_now = stop_pending();
        if (el > seconds || stop_now) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return stop_now ? -3 : -2;
        }
        nanosleep(&nap, NULL);
    }
    /* soffice may leave helpers behind in its group */
    kill(-pid, SIGKILL);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Writes a file: URL of path into out (percent-encoding unsafe bytes). */
static void file_url(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = snprintf(out, cap, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-_.~", *p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

/* Reads "LibreOffice 7.4.7.2 ..." from the --version output file. */
static char *read_version(const char *file)
{
    char line[256] = "";
    FILE *f = fopen(file, "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    char *sp = strchr(line, ' ');
    if (strncmp(line, "LibreOffice ", 12) == 0 && sp)
        sp[1 + strcspn(sp + 1, " \n")] = '\0';
    else
        snprintf(line, sizeof line, "LibreOffice");
    return strdup(line);
}

/* Finds the one .xlsx file in folder out; returns a new path or NULL. */
static char *find_output(const char *out)
{
    DIR *dir = opendir(out);
    char *found = NULL;
    if (!dir)
        return NULL;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".xlsx") == 0 && !found) {
            found = malloc(strlen(out) + n + 2);
            if (found)
                sprintf(found, "%s/%s", out, e->d_name);
        }
    }
    closedir(dir);
    return found;
}

sk_error sk_convert_file(const char *path, const sk_open_opts *o, char **dir, char **xlsx, char **version,
                         sk_diag *d)
{
    *dir = *xlsx = *version = NULL;
    char *soffice = find_soffice();
    if (!soffice)
        return sk_diag_set(d, SK_ERR_FORMAT, "%s", sk_open_msg(o, SK_MSG_NO_SOFFICE));
    const char *tmp = getenv("TMPDIR");
    char tdir[PATH_CAP / 2], profile[PATH_CAP], url[PATH_CAP * 3 + 32], out[PATH_CAP], vfile[PATH_CAP];
    char abs_in[PATH_CAP];
    snprintf(tdir, sizeof tdir, "%s/sechk-convert-XXXXXX", tmp && *tmp && strlen(tmp) < 1024 ? tmp : "/tmp");
    sk_error err = SK_OK;
    if (!mkdtemp(tdir)) {
        free(soffice);
        return sk_diag_set(d, SK_ERR_IO, "cannot make a folder for the conversion: %s", strerror(errno));
    }
    snprintf(profile, sizeof profile, "%s/profile", tdir);
    snprintf(out, sizeof out, "%s/out", tdir);
    snprintf(vfile, sizeof vfile, "%s/version", tdir);
    char purl[PATH_CAP * 3 + 8];
    file_url(profile, purl, sizeof purl);
    snprintf(url, sizeof url, "-env:UserInstallation=%s", purl);
    if (path[0] == '/' || !getcwd(abs_in, sizeof abs_in - strlen(path) - 2))
        snprintf(abs_in, sizeof abs_in, "%s", path);
    else
        snprintf(abs_in + strlen(abs_in), sizeof abs_in - strlen(abs_in), "/%s", path);
    double secs = o && o->convert_seconds > 0 ? o->convert_seconds : SK_CONVERT_DEFAULT_SECONDS;
    char *vargv[] = {soffice, url, "--version", NULL};
    char *cargv[] = {soffice, url, "--headless", "--norestore", "--nolockcheck", "--convert-to", "xlsx",
                     "--outdir", out, abs_in, NULL};
    int rc = run(cargv, NULL, secs);
    if (rc == -3) {
        err = sk_diag_set(d, SK_ERR_IO, "interrupted during the conversion");
        goto fail;
    }
    if (rc == -2) {
        err = sk_diag_set(d, SK_ERR_LIMIT, "LibreOffice did not finish the conversion within %g s (limit "
                                           "--max-seconds)", secs);
        goto fail;
    }
    if (rc != 0 || !(*xlsx = find_output(out))) {
        err = sk_diag_set(d, SK_ERR_FORMAT, "LibreOffice could not convert the file to .xlsx");
        goto fail;
    }
    *version = run(vargv, vfile, secs) == 0 ? read_version(vfile) : strdup("LibreOffice");
    if (!(*dir = strdup(tdir)) || !*version) {
        err = sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        goto fail;
    }
    free(soffice);
    return SK_OK;
fail:
    free(soffice);
    free(*xlsx);
    free(*version);
    free(*dir);
    *dir = *xlsx = *version = NULL;
    sk_convert_cleanup(tdir);
    return err;
}

/* nftw callback: removes one file or (empty, by FTW_DEPTH) folder. */
static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

void sk_convert_cleanup(const char *dir)
{
    if (dir)
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
#endif /* SECHK_NO_CRYPTO */
