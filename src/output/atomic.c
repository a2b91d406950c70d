/* sechk — output files: staged in a private folder, checked, renamed into place.
 *
 * Every run stages its outputs in a folder of its own (".sechk-XXXXXX",
 * mode 0700) created inside the output folder: files are created there with
 * O_CREAT|O_EXCL|O_NOFOLLOW, libxlsxwriter's temporary files go there too,
 * and a finished file is checked (every write checked; a workbook's zip
 * reopened and its directory checked) before renameat puts it in place.
 * Folders below the output folder are created and entered one component at
 * a time without following symbolic links; a symlink where an output would
 * go is refused.
 * Nothing is ever removed but this run's own staging files. */
#include "sechk/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>
#ifndef __EMSCRIPTEN__
#include <dlfcn.h>
#include <xlsxwriter/third_party/zip.h> /* minizip's, as libxlsxwriter calls it */
#endif

#include "sechk/text.h"

enum { MAX_LIVE = 8, NAME_CAP = 32 };

/* The staging folder of this run (process-wide, inherited by workers). */
static struct {
    int rootfd;        /* the output folder (or the single output's folder) */
    int stagefd;       /* the staging folder */
    char *rootpath;    /* its path as given */
    char *stagepath;   /* rootpath/.sechk-XXXXXX (libxlsxwriter's tmpdir) */
    char name[NAME_CAP]; /* the staging folder's name in rootfd */
    pid_t owner;       /* the process that created it (workers do not remove it) */
    bool open, autoclose;
    unsigned seq;
    /* staging files this process has created and not yet renamed or removed
     * (for the signal handler, which may not allocate) */
    char live[MAX_LIVE][NAME_CAP];
} S = {.rootfd = -1, .stagefd = -1};

/* Process-wide, like the umask: see sk_out_set_sync. */
static bool out_sync = true;

void sk_out_set_sync(bool on)
{
    out_sync = on;
}

/* Copies the folder part of path ("." if none) into a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sk_strndup(".", 1);
    if (slash == path)
        return sk_strndup("/", 1);
    return sk_strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static sk_error write_error(sk_diag *d, const char *path, const char *what, int e)
{
    if (path)
        sk_diag_file(d, path);
    return sk_diag_set(d, SK_ERR_WRITE, "%s: %s", what, strerror(e ? e : EIO));
}

sk_error sk_out_check(const char *path, const char *const *inputs, int n_inputs, sk_diag *d)
{
    struct stat st, in;
    sk_diag_file(d, path);
    if (!*path)
        return sk_diag_set(d, SK_ERR_USAGE, "empty output path");
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return sk_diag_set(d, SK_ERR_USAGE, "the output path is a folder");
        /* renaming over a device, FIFO or socket would replace the node
         * itself (as root, /dev/null or /dev/stdout) */
        if (!S_ISREG(st.st_mode))
            return sk_diag_set(d, SK_ERR_USAGE,
                               "the output path is not a regular file (a device, FIFO or socket); "
                               "omit -o to write to standard output");
        for (int i = 0; i < n_inputs; i++)
            if (stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
                return sk_diag_set(d, SK_ERR_USAGE, "the output would overwrite the input %s", inputs[i]);
    }
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return sk_diag_set(d, SK_ERR_USAGE,
                           "the output is a symbolic link; sechk does not write through it");
    char *dir = dir_of(path);
    if (!dir)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    int rc = stat(dir, &st);
    int e = errno;
    free(dir);
    if (rc != 0)
        return sk_diag_set(d, SK_ERR_WRITE, "output folder does not exist: %s", strerror(e));
    if (!S_ISDIR(st.st_mode))
        return sk_diag_set(d, SK_ERR_WRITE, "the output's folder is not a folder");
    return SK_OK;
}

/* ---- the staging folder ---- */

sk_error sk_out_stage_begin(const char *root, sk_diag *d)
{
    if (S.open)
        return SK_OK;
    int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0)
        return write_error(d, root, "cannot open the output folder", errno);
    char name[NAME_CAP];
    int err = 0;
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
            for (size_t k = 0; k < sizeof r; k++)
                r[k] = (unsigned char)((unsigned)getpid() * 31u + (unsigned)tries * 7u + k);
        }
        static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        char *p = name + snprintf(name, sizeof name, ".sechk-");
        for (size_t k = 0; k < sizeof r; k++)
            *p++ = abc[r[k] % 36];
        *p = '\0';
        if (mkdirat(rfd, name, 0700) == 0) {
            err = 0;
            break;
        }
        err = errno;
        if (err != EEXIST)
            break;
    }
    int sfd = err ? -1 : openat(rfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sfd < 0) {
        int e = err ? err : errno;
        if (!err)
            unlinkat(rfd, name, AT_REMOVEDIR);
        close(rfd);
        return write_error(d, root, "cannot create a file in the output folder (its staging folder)", e);
    }
    sk_buf b = SK_BUF_INIT;
    S.rootpath = sk_strndup(root, strlen(root));
    if (!S.rootpath || sk_buf_printf(&b, "%s/%s", root, name) != SK_OK) {
        free(S.rootpath);
        S.rootpath = NULL;
        sk_buf_free(&b);
        close(sfd);
        unlinkat(rfd, name, AT_REMOVEDIR);
        close(rfd);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    S.stagepath = sk_buf_take(&b);
    memcpy(S.name, name, sizeof name);
    S.rootfd = rfd;
    S.stagefd = sfd;
    S.owner = getpid();
    S.open = true;
    S.autoclose = false;
    memset(S.live, 0, sizeof S.live);
    return SK_OK;
}

void sk_out_stage_end(void)
{
    if (!S.open)
        return;
    if (S.owner == getpid()) {
        /* the folder is ours (0700, created by this run): what is in it is
         * what this run's processes left; nothing else is touched */
        int fd = dup(S.stagefd);
        DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;
        while (dp && (de = readdir(dp)))
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                unlinkat(S.stagefd, de->d_name, 0);
        if (dp)
            closedir(dp);
        else if (fd >= 0)
            close(fd);
        unlinkat(S.rootfd, S.name, AT_REMOVEDIR);
    }
    close(S.stagefd);
    close(S.rootfd);
    free(S.rootpath);
    free(S.stagepath);
    S.rootpath = S.stagepath = NULL;
    S.rootfd = S.stagefd = -1;
    S.open = false;
}

void sk_out_stage_cleanup_async(void)
{
    if (!S.open)
        return;
    for (int i = 0; i < MAX_LIVE; i++)
        if (S.live[i][0])
            unlinkat(S.stagefd, S.live[i], 0);
    if (S.owner == getpid())
        unlinkat(S.rootfd, S.name, AT_REMOVEDIR);
}

static void live_add(const char *name)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!S.live[i][0]) {
            memcpy(S.live[i], name, strlen(name) + 1);
            return;
        }
}

static void live_del(const char *name)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (strcmp(S.live[i], name) == 0)
            S.live[i][0] = '\0';
}

/* Opens the folder that holds path, creating missing folders below the
 * staging root without following symlinks.  Returns an fd or -1 (d says). */
static int open_parent(const char *path, bool create, sk_diag *d)
{
    size_t rl = strlen(S.rootpath);
    const char *rest = NULL;
    if (strncmp(path, S.rootpath, rl) == 0 && path[rl] == '/')
        rest = path + rl + 1;
    else if (strcmp(S.rootpath, ".") == 0 && !strchr(path, '/'))
        rest = path;
    if (!rest) { /* not below the root: the folder as named */
        char *dir = dir_of(path);
        if (!dir) {
            sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
            return -1;
        }
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int e = errno;
        free(dir);
        if (fd < 0)
            write_error(d, path, "cannot open the output's folder", e);
        return fd;
    }
    int fd = dup(S.rootfd);
    if (fd < 0) {
        write_error(d, path, "cannot open the output folder", errno);
        return -1;
    }
    char comp[256 * 4];
    for (;;) {
        const char *slash = strchr(rest, '/');
        if (!slash)
            return fd;
        size_t len = (size_t)(slash - rest);
        if (len == 0 || len >= sizeof comp) {
            close(fd);
            sk_diag_file(d, path);
            sk_diag_set(d, SK_ERR_WRITE, "bad folder name in the output path");
            return -1;
        }
        memcpy(comp, rest, len);
        comp[len] = '\0';
        int nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (nfd < 0 && errno == ENOENT && create) {
            if (mkdirat(fd, comp, 0777) != 0 && errno != EEXIST) {
                int e = errno;
                close(fd);
                write_error(d, path, "cannot create the output folder", e);
                return -1;
            }
            nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (nfd < 0) {
            int e = errno;
            struct stat st;
            bool link = fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
            close(fd);
            sk_diag_file(d, path);
            if (link || e == ELOOP)
                sk_diag_set(d, SK_ERR_WRITE,
                            "%.*s: a symbolic link where a folder would be; not followed",
                            (int)(slash - path), path);
            else
                sk_diag_set(d, SK_ERR_WRITE, "cannot open the output folder %.*s: %s", (int)(slash - path), path,
                            strerror(e));
            return -1;
        }
        close(fd);
        fd = nfd;
        rest = slash + 1;
    }
}

/* Fails if base in dirfd is a symlink or not a regular file. */
static sk_error check_target(int dirfd, const char *base, const char *path, sk_diag *d)
{
    struct stat st;
    if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return SK_OK;
    if (S_ISLNK(st.st_mode)) {
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_WRITE,
                           "a symbolic link where the output would be; not written through");
    }
    if (!S_ISREG(st.st_mode)) {
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_WRITE, "the output path exists and is not a regular file");
    }
    return SK_OK;
}

/* The name of a staging file within the staging folder (from its path). */
static const char *stage_name(const char *tmp)
{
    return base_of(tmp);
}

/* Ends a staging folder made for one output. */
static void auto_end(void)
{
    if (S.open && S.autoclose)
        sk_out_stage_end();
}

/* Creates a staging file for path; *tmp receives its path, *fdp (if not
 * NULL) an fd open for writing.  On failure nothing is left. */
static sk_error begin_in(const char *path, char **tmp, int *fdp, sk_diag *d);

static sk_error begin(const char *path, char **tmp, int *fdp, sk_diag *d)
{
    sk_error e = begin_in(path, tmp, fdp, d);
    if (e)
        auto_end();
    return e;
}

static sk_error begin_in(const char *path, char **tmp, int *fdp, sk_diag *d)
{
    *tmp = NULL;
    if (fdp)
        *fdp = -1;
    if (!S.open) {
        char *dir = dir_of(path);
        if (!dir)
            return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
        sk_diag_file(d, path);
        sk_error e = sk_out_stage_begin(dir, d);
        free(dir);
        if (e)
            return e;
        S.autoclose = true;
    }
    int pfd = open_parent(path, true, d);
    if (pfd < 0)
        return SK_ERR_WRITE;
    sk_error e = check_target(pfd, base_of(path), path, d);
    close(pfd);
    if (e)
        return e;
    char name[NAME_CAP];
    snprintf(name, sizeof name, "%ld.%u", (long)getpid(), ++S.seq);
    int fd = openat(S.stagefd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return write_error(d, path, "cannot create a file in the output folder", errno);
    live_add(name);
    sk_buf b = SK_BUF_INIT;
    if (sk_buf_printf(&b, "%s/%s", S.stagepath, name) != SK_OK) {
        close(fd);
        unlinkat(S.stagefd, name, 0);
        live_del(name);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    *tmp = sk_buf_take(&b);
    if (fdp)
        *fdp = fd;
    else if (close(fd) != 0) {
        sk_out_abort(*tmp);
        free(*tmp);
        *tmp = NULL;
        return write_error(d, path, "cannot create a file in the output folder", errno);
    }
    return SK_OK;
}

sk_error sk_out_begin(const char *path, char **tmp, sk_diag *d)
{
    return begin(path, tmp, NULL, d);
}

sk_error sk_out_commit(const char *tmp, const char *path, sk_diag *d)
{
    const char *name = stage_name(tmp);
    sk_error err = SK_OK;
    struct stat st;
    /* libxlsxwriter reopens the staging file by name: it must still be the
     * regular file created here (the folder is 0700: only root could swap it) */
    if (fstatat(S.stagefd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
        sk_diag_file(d, path);
        err = sk_diag_set(d, SK_ERR_WRITE, "the staging file was replaced while it was written");
    }
    if (!err && out_sync) {
        int fd = openat(S.stagefd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            err = write_error(d, path, "cannot reopen the output", errno);
        else {
            int rc = fsync(fd), e = errno;
            if (close(fd) != 0 && rc == 0) {
                rc = -1;
                e = errno;
            }
            if (rc != 0)
                err = write_error(d, path, "cannot flush the output to disk", e);
        }
    }
    int pfd = err ? -1 : open_parent(path, true, d);
    if (!err && pfd < 0)
        err = SK_ERR_WRITE;
    if (!err)
        err = check_target(pfd, base_of(path), path, d);
    if (!err && renameat(S.stagefd, name, pfd, base_of(path)) != 0)
        err = write_error(d, path, "cannot rename the output into place", errno);
    if (!err) {
        live_del(name);
        if (out_sync && fsync(pfd) != 0 && errno != EINVAL)
            err = write_error(d, path, "cannot flush the output folder to disk", errno);
    }
    if (pfd >= 0)
        close(pfd);
    if (err)
        sk_out_abort(tmp);
    auto_end();
    return err;
}

void sk_out_abort(const char *tmp)
{
    if (tmp && S.open) {
        const char *name = stage_name(tmp);
        unlinkat(S.stagefd, name, 0);
        live_del(name);
    }
    auto_end();
}

/* Writes all of len bytes to fd. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

sk_error sk_out_write_file(const char *path, const char *data, size_t len, sk_diag *d)
{
    char *tmp;
    int fd;
    sk_error err = begin(path, &tmp, &fd, d);
    if (err)
        return err;
    int e = write_all(fd, data, len);
    if (close(fd) != 0 && !e)
        e = errno ? errno : EIO;
    if (e) {
        err = write_error(d, path, "cannot write the output", e);
        sk_out_abort(tmp);
        free(tmp);
        return err;
    }
    err = sk_out_commit(tmp, path, d);
    free(tmp);
    return err;
}

/* ---- libxlsxwriter ---- */

/* libxlsxwriter prints "[ERROR] …" lines to stderr; while it runs, stderr
 * points at a stream that drops them (sechk reports the failure itself). */
static FILE *saved_stderr;
static int quiet_depth;

static ssize_t sink_write(void *c, const char *buf, size_t len)
{
    (void)c;
    (void)buf;
    return (ssize_t)len;
}

#ifdef __EMSCRIPTEN__
/* The page's C library declares stderr const; its writes go to the
 * browser console, where the page reports failures itself. */
void sk_out_quiet(bool on)
{
    (void)on;
    (void)saved_stderr;
    (void)quiet_depth;
    (void)sink_write;
}
#else
void sk_out_quiet(bool on)
{
    static FILE *sink;
    if (on) {
        if (quiet_depth++ > 0)
            return;
        if (!sink)
            sink = fopencookie(NULL, "w", (cookie_io_functions_t){.write = sink_write});
        if (sink) {
            saved_stderr = stderr;
            stderr = sink;
        }
    } else if (quiet_depth > 0 && --quiet_depth == 0 && saved_stderr) {
        stderr = saved_stderr;
        saved_stderr = NULL;
    }
}
#endif

/* libxlsxwriter writes each part to a temporary file (lxw_tmpfile) and
 * then copies it into the zip; it does not check those writes, so a full
 * disk left parts cut short or with holes that still parse.  sechk defines
 * lxw_tmpfile itself (the executable's definition takes the place of the
 * library's, which calls it through its PLT; the prototype is the one in
 * <xlsxwriter/utility.h>): the part file is created in the staging folder
 * with O_EXCL|O_NOFOLLOW and unlinked at once, and is a stream whose every
 * failed read or write is recorded; sk_out_wb_close then fails the
 * workbook. */
static int part_error;  /* the first errno of a part file's I/O since the first open workbook */
static int open_books;  /* workbooks open in this process */

#ifndef __EMSCRIPTEN__ /* the page links libxlsxwriter statically, with its own lxw_tmpfile (MEMFS) */
/* A part file: held in memory up to PART_MEM_MAX, then (a batch summary's
 * findings rows, some 17 KB a file) a file in the staging folder, with a
 * 64 KiB stdio buffer rather than stdio's 8 (written, copied into the sheet
 * and read back to deflate at the close: an eighth of the system calls).
 * A review's parts, some 20 a workbook, never touch the file system: on an
 * ext4 without a journal each new inode is found by scanning past the
 * recently deleted ones, and a batch of reviews made and deleted thousands
 * of part files (docs/performance.md, session 5). */
enum { PART_BUF = 1 << 16, PART_MEM_MAX = 2 << 20 };
typedef struct part {
    int fd;              /* -1 while the part is in memory */
    char *mem;           /* the part's bytes while in memory */
    size_t len, cap, pos;
    char *tmpdir;        /* where a part that grows goes without a staging folder */
    char buf[PART_BUF];
} part;

/* Creates an unlinked part file in the staging folder (else tmpdir, else
 * P_tmpdir); -1 with part_error set on failure. */
static int part_file(const char *tmpdir)
{
    int dfd = S.open ? S.stagefd : open(tmpdir ? tmpdir : P_tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        part_error = part_error ? part_error : errno;
        return -1;
    }
    char name[NAME_CAP];
    int fd = -1;
    for (int tries = 0; tries < 100 && fd < 0; tries++) {
        snprintf(name, sizeof name, "p%ld.%u", (long)getpid(), ++S.seq);
        fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    int e = errno;
    if (fd >= 0)
        unlinkat(dfd, name, 0);
    if (!S.open)
        close(dfd);
    if (fd < 0)
        part_error = part_error ? part_error : e;
    return fd;
}

/* Moves a part that outgrew memory into a file, at the same position. */
static int part_spill(part *p)
{
    int fd = part_file(p->tmpdir);
    if (fd < 0)
        return -1;
    int e = write_all(fd, p->mem, p->len);
    if (!e && lseek64(fd, (off64_t)p->pos, SEEK_SET) < 0)
        e = errno ? errno : EIO;
    if (e) {
        part_error = part_error ? part_error : e;
        close(fd);
        return -1;
    }
    free(p->mem);
    p->mem = NULL;
    p->len = p->cap = 0;
    p->fd = fd;
    return 0;
}

static ssize_t part_read(void *c, char *buf, size_t len)
{
    part *p = c;
    if (p->fd < 0) {
        size_t n = p->pos < p->len ? p->len - p->pos : 0;
        n = n < len ? n : len;
        memcpy(buf, p->mem + p->pos, n);
        p->pos += n;
        return (ssize_t)n;
    }
    ssize_t r;
    do
        r = read(p->fd, buf, len);
    while (r < 0 && errno == EINTR);
    if (r < 0 && !part_error)
        part_error = errno ? errno : EIO;
    return r;
}

/* Writes len bytes at the position of a part in memory (grown as needed). */
static bool part_mem_write(part *p, const char *buf, size_t len)
{
    size_t end = p->pos + len;
    if (end > p->cap) {
        size_t cap = p->cap ? p->cap : 1 << 14;
        while (cap < end)
            cap *= 2;
        char *m = realloc(p->mem, cap);
        if (!m)
            return false;
        p->mem = m;
        p->cap = cap;
    }
    if (p->pos > p->len)
        memset(p->mem + p->len, 0, p->pos - p->len); /* a seek past the end: a hole reads as zeros */
    memcpy(p->mem + p->pos, buf, len);
    p->pos = end;
    p->len = end > p->len ? end : p->len;
    return true;
}

static ssize_t part_write(void *c, const char *buf, size_t len)
{
    part *p = c;
    if (p->fd < 0 && p->pos + len <= PART_MEM_MAX) {
        if (part_mem_write(p, buf, len))
            return (ssize_t)len;
        if (!part_error)
            part_error = ENOMEM;
        return -1;
    }
    if (p->fd < 0 && part_spill(p) != 0)
        return -1;
    int e = write_all(p->fd, buf, len);
    if (e) {
        if (!part_error)
            part_error = e;
        return -1;
    }
    return (ssize_t)len;
}

static int part_seek(void *c, off64_t *off, int whence)
{
    part *p = c;
    if (p->fd < 0) {
        off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)p->pos : (off64_t)p->len;
        if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || base + *off < 0) {
            errno = EINVAL;
            if (!part_error)
                part_error = EINVAL;
            return -1;
        }
        p->pos = (size_t)(base + *off);
        *off = (off64_t)p->pos;
        return 0;
    }
    off64_t r = lseek64(p->fd, *off, whence);
    if (r < 0) {
        if (!part_error)
            part_error = errno ? errno : EIO;
        return -1;
    }
    *off = r;
    return 0;
}

static int part_close(void *c)
{
    part *p = c;
    int rc = p->fd >= 0 ? close(p->fd) : 0; /* fully read back by now: nothing to lose */
    free(p->mem);
    free(p->tmpdir);
    free(p); /* stdio does not touch a buffer of the caller's after this */
    return rc;
}

FILE *lxw_tmpfile(char *tmpdir)
{
    part *p = calloc(1, sizeof *p);
    if (p && !S.open && tmpdir && !(p->tmpdir = strdup(tmpdir))) {
        free(p);
        p = NULL;
    }
    FILE *f = p ? fopencookie(p, "w+",
                              (cookie_io_functions_t){.read = part_read, .write = part_write, .seek = part_seek,
                                                      .close = part_close})
                : NULL;
    if (!f) {
        part_error = part_error ? part_error : (p ? errno : ENOMEM);
        if (p)
            free(p->tmpdir);
        free(p);
        return NULL;
    }
    p->fd = -1;
    setvbuf(f, p->buf, _IOFBF, sizeof p->buf);
    return f;
}
#endif

/* libxlsxwriter deflates every part at zlib's default level 6 and has no
 * option for it; sechk defines minizip's zipOpenNewFileInZip4_64 (the one
 * call libxlsxwriter makes to start a part, through its PLT, as for
 * lxw_tmpfile above; the prototype is the one in
 * <xlsxwriter/third_party/zip.h>) and passes the call on to minizip's with
 * the level of the workbook being closed (sk_out_wb.zip_level).  The batch
 * summary asks for level 1: its findings sheet, some 17 KB of XML a file,
 * is deflated after the last worker, serially; level 1 does it in about
 * 40 % of the instructions for a file some 40 % larger, with the same
 * parts (docs/performance.md, session 5). */
static int zip_level; /* 0: as libxlsxwriter asks */

/* ---- a part deflated ahead (sk_out_ahead) ----
 * minizip is asked for the part raw (the deflating is done here), and its
 * bytes, as libxlsxwriter writes them with zipWriteInFileInZip, go three
 * ways: the head (up to and including <sheetData> and the at bytes after
 * it) deflated here and ended with Z_SYNC_FLUSH (byte-aligned, no final
 * block); the region, replaced by the stream made ahead and checked
 * against its CRC-32; the tail deflated here to Z_FINISH.  Raw deflate
 * streams so joined are one stream; the CRC-32 of the whole is combined
 * (crc32_combine) and given to zipCloseFileInZipRaw64. */
#ifndef __EMSCRIPTEN__
enum { AHEAD_HEAD_MAX = 1 << 20 };

static struct {
    bool set, active, failed;
    int state; /* 0: the head, 1: the region, 2: the tail */
    char entry[64];
    unsigned long long at, len, start, seen, total;
    uLong crc, rcrc, all;
    FILE *z;
    zipFile file;
    sk_buf head;
    z_stream tail;
    bool tail_on;
} A;

typedef int (*zip_write_fn)(zipFile, const void *, unsigned);
typedef int (*zip_close_raw_fn)(zipFile, ZPOS64_T, uLong);
typedef int (*zip_close_fn)(zipFile);

static void *next_sym(void **slot, const char *name)
{
    if (!*slot)
        *slot = dlsym(RTLD_NEXT, name);
    return *slot;
}

static void *next_write_p, *next_close_p, *next_close_raw_p;

static int next_write(zipFile f, const void *buf, unsigned len)
{
    zip_write_fn fn;
    *(void **)&fn = next_sym(&next_write_p, "zipWriteInFileInZip");
    return fn ? fn(f, buf, len) : ZIP_INTERNALERROR;
}

static void ahead_reset(void)
{
    if (A.z)
        fclose(A.z);
    if (A.tail_on)
        deflateEnd(&A.tail);
    sk_buf_free(&A.head);
    memset(&A, 0, sizeof A);
}

bool sk_out_ahead_usable(void)
{
    return !A.set;
}

bool sk_out_ahead(const char *entry, unsigned long long at, unsigned long long len, unsigned long crc, FILE *z)
{
    if (A.set || strlen(entry) >= sizeof A.entry)
        return false;
    memcpy(A.entry, entry, strlen(entry) + 1);
    A.at = at;
    A.len = len;
    A.crc = crc;
    A.z = z;
    A.set = true;
    return true;
}

/* Deflates len bytes into the part (flush: Z_NO_FLUSH, Z_SYNC_FLUSH or Z_FINISH). */
static bool ahead_deflate(z_stream *zs, const void *buf, size_t len, int flush)
{
    unsigned char out[16384];
    zs->next_in = (Bytef *)(uintptr_t)buf;
    zs->avail_in = (uInt)len;
    int r;
    do {
        zs->next_out = out;
        zs->avail_out = sizeof out;
        r = deflate(zs, flush);
        if (r == Z_STREAM_ERROR)
            return false;
        unsigned n = (unsigned)(sizeof out - zs->avail_out);
        if (n && next_write(A.file, out, n) != ZIP_OK)
            return false;
    } while (zs->avail_out == 0 || zs->avail_in > 0);
    return true;
}

static bool tail_start(void)
{
    A.tail_on = deflateInit2(&A.tail, zip_level ? zip_level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                             Z_DEFAULT_STRATEGY) == Z_OK;
    return A.tail_on;
}

/* The head is complete: deflated, then the stream made ahead copied. */
static bool ahead_head(void)
{
    z_stream hz;
    memset(&hz, 0, sizeof hz);
    if (deflateInit2(&hz, zip_level ? zip_level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    bool ok = ahead_deflate(&hz, A.head.data, (size_t)A.start, Z_SYNC_FLUSH);
    deflateEnd(&hz);
    A.all = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)A.head.data, (uInt)A.start);
    A.total = A.start;
    char buf[1 << 16];
    size_t n;
    if (ok && fflush(A.z) == 0 && fseek(A.z, 0, SEEK_SET) == 0)
        while (ok && (n = fread(buf, 1, sizeof buf, A.z)) > 0)
            ok = next_write(A.file, buf, (unsigned)n) == ZIP_OK;
    return ok && !ferror(A.z);
}

/* Takes len bytes of the part as libxlsxwriter writes them. */
static bool ahead_take(const char *buf, size_t len)
{
    while (len > 0) {
        if (A.state == 0) {
            if (sk_buf_append_len(&A.head, buf, len) || A.head.len > AHEAD_HEAD_MAX)
                return false;
            len = 0;
            const char *tag = A.start ? NULL : strstr(A.head.data, "<sheetData>");
            if (tag)
                A.start = (unsigned long long)(tag - A.head.data) + 11 + A.at;
            if (!A.start || A.head.len < A.start)
                return true;
            if (!ahead_head())
                return false;
            A.state = 1;
            buf = A.head.data + A.start; /* the rest goes on below */
            len = A.head.len - (size_t)A.start;
        } else if (A.state == 1) {
            size_t n = A.len - A.seen < len ? (size_t)(A.len - A.seen) : len;
            A.rcrc = crc32(A.rcrc, (const Bytef *)buf, (uInt)n);
            A.seen += n;
            buf += n;
            len -= n;
            if (A.seen == A.len) {
                if (A.rcrc != A.crc || !tail_start())
                    return false; /* not the bytes deflated ahead */
                A.all = crc32_combine(A.all, A.crc, (z_off_t)A.len);
                A.total += A.len;
                A.state = 2;
            }
        } else {
            A.all = crc32(A.all, (const Bytef *)buf, (uInt)len);
            A.total += len;
            bool ok = ahead_deflate(&A.tail, buf, len, Z_NO_FLUSH);
            len = 0;
            if (!ok)
                return false;
        }
    }
    return true;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
    if (!A.active || file != A.file)
        return next_write(file, buf, len);
    if (!A.failed && !ahead_take(buf, len))
        A.failed = true;
    return A.failed ? ZIP_INTERNALERROR : ZIP_OK;
}

int zipCloseFileInZip(zipFile file)
{
    if (!A.active || file != A.file) {
        zip_close_fn fn;
        *(void **)&fn = next_sym(&next_close_p, "zipCloseFileInZip");
        return fn ? fn(file) : ZIP_INTERNALERROR;
    }
    if (!A.failed && (A.state != 2 || !ahead_deflate(&A.tail, "", 0, Z_FINISH)))
        A.failed = true;
    zip_close_raw_fn fn;
    *(void **)&fn = next_sym(&next_close_raw_p, "zipCloseFileInZipRaw64");
    int r = fn ? fn(file, A.total, A.all) : ZIP_INTERNALERROR;
    bool failed = A.failed;
    ahead_reset();
    return failed ? ZIP_INTERNALERROR : r;
}
#else
bool sk_out_ahead_usable(void)
{
    return false;
}

bool sk_out_ahead(const char *entry, unsigned long long at, unsigned long long len, unsigned long crc, FILE *z)
{
    (void)entry, (void)at, (void)len, (void)crc, (void)z;
    return false;
}
#endif


#ifndef __EMSCRIPTEN__
typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt, const void *, uInt,
                           const char *, int, int, int, int, int, int, const char *, uLong, uLong, uLong, int);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local, const void *extrafield_global,
                            uInt size_extrafield_global, const char *comment, int method, int level, int raw,
                            int windowBits, int memLevel, int strategy, const char *password,
                            uLong crcForCrypting, uLong versionMadeBy, uLong flagBase, int zip64)
{
    static zip_open_fn next;
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (!next)
        return ZIP_INTERNALERROR;
    if (zip_level && method == Z_DEFLATED && !raw)
        level = zip_level;
    bool ahead = A.set && !A.active && method == Z_DEFLATED && !raw && strcmp(filename, A.entry) == 0;
    int r = next(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                 size_extrafield_global, comment, method, level, ahead ? 1 : raw, windowBits, memLevel, strategy,
                 password, crcForCrypting, versionMadeBy, flagBase, zip64);
    if (ahead && r == ZIP_OK) {
        A.active = true;
        A.file = file;
        A.rcrc = crc32(0L, Z_NULL, 0);
    }
    return r;
}
#endif

/* Checks a finished workbook's container: the zip opens and its central
 * directory agrees with every entry's local header (ZIP_CHECKCONS).  The
 * entries are not inflated nor their XML parsed: what could damage them is
 * caught before this, at less cost.  A part's bytes pass through the part
 * files of lxw_tmpfile above, whose every failed read, write or seek is
 * recorded (part_error); libxlsxwriter's writes of the zip itself go
 * through stdio and minizip, whose failures workbook_close returns; the
 * commit fsyncs the file.  test_faults.sh fails every one of those
 * operations in turn and passes with no reopening at all; inflating and
 * parsing every part cost 25 M instructions a review workbook, as much
 * as half of libxlsxwriter's own writing (docs/performance.md). */
static sk_error verify_xlsx(const char *tmp, const char *path, sk_diag *d)
{
    int ze = 0;
    zip_t *z = zip_open(tmp, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    zip_int64_t n = z ? zip_get_num_entries(z, 0) : 0;
    if (z)
        zip_discard(z);
    if (!z || n <= 0) {
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_WRITE, "the written workbook is damaged (zip error %d)", z ? ZIP_ER_INCONS : ze);
    }
    return SK_OK;
}

sk_error sk_out_workbook(const char *path, sk_workbook_builder build, void *ctx, sk_diag *d)
{
    return sk_out_workbook_opt(path, NULL, build, ctx, d);
}

sk_error sk_out_wb_open(const char *path, const lxw_workbook_options *opt, sk_out_wb *w, sk_diag *d)
{
    memset(w, 0, sizeof *w);
    if (!(w->path = strdup(path)))
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    sk_error err = sk_out_begin(path, &w->tmp, d);
    if (err) {
        free(w->path);
        w->path = NULL;
        return err;
    }
    lxw_workbook_options o = {0};
    if (opt)
        o = *opt;
    o.tmpdir = S.stagepath; /* its part files beside ours, not in /tmp */
    if (open_books++ == 0)
        part_error = 0;
    sk_out_quiet(true);
    w->wb = workbook_new_opt(w->tmp, &o);
    sk_out_quiet(false);
    if (!w->wb) {
        open_books--;
        sk_diag_file(d, path);
        sk_out_abort(w->tmp);
        free(w->tmp);
        free(w->path);
        memset(w, 0, sizeof *w);
        return sk_diag_set(d, SK_ERR_WRITE, "cannot create the workbook");
    }
    return SK_OK;
}

sk_error sk_out_wb_close(sk_out_wb *w, sk_error ok, sk_diag *d)
{
    sk_error err = ok;
    sk_out_quiet(true);
    errno = 0;
    zip_level = w->zip_level;
    lxw_error le = w->wb ? workbook_close(w->wb) : LXW_NO_ERROR; /* frees wb; writes the file */
    zip_level = 0;
#ifndef __EMSCRIPTEN__
    if (A.set) { /* its part was not met, or not closed: the workbook is not what was meant */
        if (le == LXW_NO_ERROR)
            le = LXW_ERROR_ZIP_FILE_ADD;
        ahead_reset();
    }
#endif
    sk_out_quiet(false);
    if (w->wb)
        open_books--;
    if (!err && le != LXW_NO_ERROR) {
        int e = part_error ? part_error : errno;
        err = sk_diag_set(d, SK_ERR_WRITE, "cannot write the workbook: %s%s%s", lxw_strerror(le),
                          e ? ": " : "", e ? strerror(e) : "");
    }
    if (!err && part_error)
        err = sk_diag_set(d, SK_ERR_WRITE, "cannot write the workbook's temporary files: %s", strerror(part_error));
    if (!err && w->tmp)
        err = verify_xlsx(w->tmp, w->path, d);
    if (!err && w->tmp)
        err = sk_out_commit(w->tmp, w->path, d);
    else {
        if (w->path && d)
            sk_diag_file(d, w->path);
        sk_out_abort(w->tmp);
    }
    free(w->tmp);
    free(w->path);
    memset(w, 0, sizeof *w);
    return err;
}

sk_error sk_out_workbook_opt(const char *path, const lxw_workbook_options *opt, sk_workbook_builder build,
                             void *ctx, sk_diag *d)
{
    sk_out_wb w;
    sk_error err = sk_out_wb_open(path, opt, &w, d);
    if (err)
        return err;
    sk_out_quiet(true);
    err = build(w.wb, ctx, d);
    sk_out_quiet(false);
    return sk_out_wb_close(&w, err, d);
}

sk_error sk_out_mark(lxw_workbook *wb, const char *kind)
{
    return workbook_set_custom_property_string(wb, SK_OUT_MARK, kind) == LXW_NO_ERROR ? SK_OK : SK_ERR_WRITE;
}
