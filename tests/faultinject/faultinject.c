/* Test-only LD_PRELOAD shim: fails the Nth output operation under a folder,
 * the way SQLite's I/O error tests do (tests/e2e/test_faults.sh).
 *
 *   FI_DIR=/abs/outdir   only operations on paths (or fds) under it count
 *   FI_STATE=/abs/file   shared counter (worker processes count too)
 *   FI_N=N               fail the Nth counted operation (0: only count)
 *   FI_ERRNO=ENOSPC|EIO  the error to fail it with (default ENOSPC)
 *
 * Counted: open/openat/creat/fopen (files under FI_DIR), write (also the
 * writes of stdio streams opened there, through fopencookie), fsync,
 * fdatasync, syncfs, close, rename/renameat/renameat2, mkdir/mkdirat.
 * glibc's stdio calls its own internal open/write/close, so fopen and
 * fdopen of files under FI_DIR return a cookie stream whose operations go
 * through the counted functions.  Not part of sechk; built by the test.
 *
 *   FI_BLOCK=substring   (tests/e2e/test_outsafe.sh) the FI_BLOCK_AT-th
 *   FI_BLOCK_AT=k        open (default 1) of a path containing substring
 *   FI_BLOCK_MARK=/file  creates /file, then waits until /file is removed
 *                        (or a signal ends the process).  A deterministic
 *                        "the run is in the middle of this" for signal and
 *                        race tests.
 *   FI_BLOCK_CHILD=1     counts and blocks only in forked processes */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *fi_dir;
static size_t fi_dir_len;
static long fi_n;
static int fi_errno = ENOSPC;
static volatile int64_t *fi_shared; /* [0]: operations counted; [1]: the op that failed */
static bool fi_ready;

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static void fi_init(void)
{
    if (fi_ready)
        return;
    fi_ready = true;
    fi_dir = getenv("FI_DIR");
    fi_dir_len = fi_dir ? strlen(fi_dir) : 0;
    const char *n = getenv("FI_N");
    fi_n = n ? atol(n) : 0;
    const char *e = getenv("FI_ERRNO");
    if (e && strcmp(e, "EIO") == 0)
        fi_errno = EIO;
    const char *st = getenv("FI_STATE");
    if (st) {
        int (*ropen)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
        int fd = ropen(st, O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
            void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (p != MAP_FAILED)
                fi_shared = p;
            int (*rclose)(int) = (int (*)(int))dlsym(RTLD_NEXT, "close");
            rclose(fd);
        }
    }
}

static bool under(const char *abs)
{
    return fi_dir_len && strncmp(abs, fi_dir, fi_dir_len) == 0 && (abs[fi_dir_len] == '/' || abs[fi_dir_len] == '\0');
}

static bool fd_under(int fd)
{
    fi_init();
    if (!fi_dir_len || fd < 0)
        return false;
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    return under(target);
}

static bool path_under(int dirfd, const char *path)
{
    fi_init();
    if (!fi_dir_len || !path)
        return false;
    char abs[8192];
    if (path[0] == '/')
        snprintf(abs, sizeof abs, "%s", path);
    else {
        char base[4096];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return false;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n <= 0)
                return false;
            base[n] = '\0';
        }
        snprintf(abs, sizeof abs, "%s/%s", base, path);
    }
    return under(abs);
}

/* Counts an operation; true if this one is to fail. */
static bool hit(void)
{
    if (!fi_shared)
        return false;
    int64_t k = __atomic_add_fetch(&fi_shared[0], 1, __ATOMIC_SEQ_CST);
    if (fi_n > 0 && k == fi_n) {
        fi_shared[1] = k;
        return true;
    }
    return false;
}

static void note(const char *op)
{
    const char *lf = getenv("FI_OPFILE");
    if (lf && fi_shared && fi_shared[1] == fi_n && !fi_shared[3]) {
        fi_shared[3] = 1;
        int (*ropen)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
        int (*rclose)(int) = (int (*)(int))dlsym(RTLD_NEXT, "close");
        int fd = ropen(lf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dprintf(fd, "%s\n", op);
            rclose(fd);
        }
    }
    if (getenv("FI_LOG") && fi_shared && fi_shared[1] && fi_shared[1] == fi_n && !fi_shared[2]) {
        fi_shared[2] = 1;
        dprintf(2, "faultinject: failed op %ld: %s\n", fi_n, op);
    }
}

#define FAIL_IF(cond) do { if ((cond) && hit()) { note(__func__); errno = fi_errno; return -1; } } while (0)

static pid_t first_pid;

__attribute__((constructor)) static void maybe_block_init(void)
{
    first_pid = getpid();
}

/* FI_BLOCK: see the top. */
static void maybe_block(int dirfd, const char *path)
{
    const char *sub = getenv("FI_BLOCK");
    if (!sub || !path)
        return;
    char abs[8192];
    if (path[0] == '/' || dirfd == AT_FDCWD)
        snprintf(abs, sizeof abs, "%s", path);
    else {
        char link[64], base[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        base[n > 0 ? n : 0] = '\0';
        snprintf(abs, sizeof abs, "%s/%s", base, path);
    }
    if (!strstr(abs, sub))
        return;
    /* FI_BLOCK_CHILD=1: only in a forked process (a batch worker) */
    if (getenv("FI_BLOCK_CHILD") && getpid() == first_pid)
        return;
    static int seen;
    const char *at = getenv("FI_BLOCK_AT");
    if (++seen != (at ? atoi(at) : 1))
        return;
    const char *mark = getenv("FI_BLOCK_MARK");
    if (mark) {
        int (*ropen)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
        int (*rclose)(int) = (int (*)(int))dlsym(RTLD_NEXT, "close");
        int fd = ropen(mark, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0)
            rclose(fd);
        /* held until the test removes the mark (or a signal ends us) */
        struct timespec ts = {0, 10 * 1000 * 1000};
        while (access(mark, F_OK) == 0)
            nanosleep(&ts, NULL);
        return;
    }
    pause();
}

int open(const char *path, int flags, ...)
{
    REAL(open);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    maybe_block(AT_FDCWD, path);
    FAIL_IF(path_under(AT_FDCWD, path));
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    REAL(open64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    maybe_block(AT_FDCWD, path);
    FAIL_IF(path_under(AT_FDCWD, path));
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(openat);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    maybe_block(dirfd, path);
    FAIL_IF(path_under(dirfd, path));
    return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    REAL(openat64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    maybe_block(dirfd, path);
    FAIL_IF(path_under(dirfd, path));
    return real_openat64(dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    REAL(write);
    if (fd > 2 && fd_under(fd) && hit()) {
        if (getenv("FI_LOG")) {
            char l[64], t[512];
            snprintf(l, sizeof l, "/proc/self/fd/%d", fd);
            ssize_t n = readlink(l, t, sizeof t - 1);
            t[n > 0 ? n : 0] = 0;
            dprintf(2, "faultinject: write %zu bytes to %s\n", len, t);
        }
        note("write");
        errno = fi_errno;
        return -1;
    }
    return real_write(fd, buf, len);
}

int close(int fd)
{
    REAL(close);
    /* only a close that can lose data: of an fd open for writing */
    int fl = fcntl(fd, F_GETFL);
    bool fail = fd > 2 && fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && fd_under(fd) && hit();
    int r = real_close(fd); /* the fd is gone either way, as with NFS */
    if (fail) {
        note("close");
        errno = fi_errno;
        return -1;
    }
    return r;
}

int fsync(int fd)
{
    REAL(fsync);
    FAIL_IF(fd_under(fd));
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync);
    FAIL_IF(fd_under(fd));
    return real_fdatasync(fd);
}

int syncfs(int fd)
{
    REAL(syncfs);
    FAIL_IF(fd_under(fd));
    return real_syncfs(fd);
}

int rename(const char *a, const char *b)
{
    REAL(rename);
    FAIL_IF(path_under(AT_FDCWD, a) || path_under(AT_FDCWD, b));
    return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
    REAL(renameat);
    FAIL_IF(path_under(da, a) || path_under(db, b));
    return real_renameat(da, a, db, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
    REAL(renameat2);
    FAIL_IF(path_under(da, a) || path_under(db, b));
    return real_renameat2(da, a, db, b, flags);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(mkdir);
    FAIL_IF(path_under(AT_FDCWD, path));
    return real_mkdir(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    REAL(mkdirat);
    FAIL_IF(path_under(dirfd, path));
    return real_mkdirat(dirfd, path, mode);
}

/* ---- stdio streams on files under FI_DIR: through the counted calls ---- */

static ssize_t ck_read(void *c, char *buf, size_t len)
{
    return read((int)(intptr_t)c, buf, len);
}

static ssize_t ck_write(void *c, const char *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = write((int)(intptr_t)c, buf + done, len - done);
        if (r <= 0)
            return done ? (ssize_t)done : -1;
        done += (size_t)r;
    }
    return (ssize_t)done;
}

static int ck_seek(void *c, off64_t *off, int whence)
{
    off64_t r = lseek64((int)(intptr_t)c, *off, whence);
    if (r < 0)
        return -1;
    *off = r;
    return 0;
}

static int ck_close(void *c)
{
    return close((int)(intptr_t)c);
}

static FILE *cookie(int fd, const char *mode)
{
    FILE *f = fopencookie((void *)(intptr_t)fd, mode,
                          (cookie_io_functions_t){.read = ck_read, .write = ck_write, .seek = ck_seek, .close = ck_close});
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

static int mode_flags(const char *mode)
{
    int plus = strchr(mode, '+') != NULL;
    int x = strchr(mode, 'x') != NULL ? O_EXCL : 0;
    switch (mode[0]) {
    case 'r': return (plus ? O_RDWR : O_RDONLY) | O_CLOEXEC;
    case 'w': return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC | x | O_CLOEXEC;
    case 'a': return (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND | x | O_CLOEXEC;
    default: return -1;
    }
}

FILE *fopen(const char *path, const char *mode)
{
    REAL(fopen);
    maybe_block(AT_FDCWD, path);
    if (!path_under(AT_FDCWD, path) || mode_flags(mode) < 0)
        return real_fopen(path, mode);
    int fd = open(path, mode_flags(mode), 0666);
    if (fd < 0)
        return NULL;
    return cookie(fd, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    return fopen(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
    REAL(fdopen);
    if (!fd_under(fd))
        return real_fdopen(fd, mode);
    return cookie(fd, mode);
}
