/* testhooks.so: an LD_PRELOAD library for the tests, never linked into sechk.
 *
 * It makes a chosen input behave deterministically badly, so that time limits
 * and worker crashes are tested without depending on the machine's speed:
 *
 *   SECHK_TEST_STALL=NAME   opening a file whose path ends in "/NAME" (or is
 *                           NAME) blocks forever: a worker that never finishes.
 *   SECHK_TEST_CRASH=NAME   opening such a file kills the process with SIGSEGV:
 *                           a worker that crashes.
 *
 * Only read-only opens are hooked (inputs, never outputs), and only open()
 * and openat() as glibc exports them. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True if PATH names the file that the variable VAR names. */
static int names(const char *var, const char *path)
{
    const char *want = getenv(var);
    if (!want || !*want || !path)
        return 0;
    size_t n = strlen(path), w = strlen(want);
    if (n < w || strcmp(path + n - w, want) != 0)
        return 0;
    return n == w || path[n - w - 1] == '/';
}

/* Stalls or crashes when the path is one of the chosen files. */
static void hook(const char *path, int flags)
{
    if ((flags & O_ACCMODE) != O_RDONLY)
        return;
    if (names("SECHK_TEST_CRASH", path))
        raise(SIGSEGV);
    if (names("SECHK_TEST_STALL", path))
        for (;;)
            pause();
}

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

/* The mode argument, present only when the flags create a file. */
#define MODE_ARG(flags, mode)                                                                      \
    do {                                                                                           \
        if ((flags) & (O_CREAT | O_TMPFILE)) {                                                     \
            va_list ap;                                                                            \
            va_start(ap, flags);                                                                   \
            mode = va_arg(ap, int);                                                                \
            va_end(ap);                                                                            \
        }                                                                                          \
    } while (0)

int open(const char *path, int flags, ...)
{
    int mode = 0;
    MODE_ARG(flags, mode);
    hook(path, flags);
    open_fn real = (open_fn)dlsym(RTLD_NEXT, "open");
    return real(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    int mode = 0;
    MODE_ARG(flags, mode);
    hook(path, flags);
    open_fn real = (open_fn)dlsym(RTLD_NEXT, "open64");
    return real(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    int mode = 0;
    MODE_ARG(flags, mode);
    hook(path, flags);
    openat_fn real = (openat_fn)dlsym(RTLD_NEXT, "openat");
    return real(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    int mode = 0;
    MODE_ARG(flags, mode);
    hook(path, flags);
    openat_fn real = (openat_fn)dlsym(RTLD_NEXT, "openat64");
    return real(dirfd, path, flags, mode);
}
