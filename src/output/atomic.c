/* sechk — atomic output files. */
#include "sechk/output.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sechk/text.h"

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

sk_error sk_out_begin(const char *path, char **tmp, sk_diag *d)
{
    *tmp = NULL;
    char *dir = dir_of(path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    sk_buf b = SK_BUF_INIT;
    if (!dir || sk_buf_printf(&b, "%s/.%s.XXXXXX", dir, base) != SK_OK) {
        free(dir);
        sk_buf_free(&b);
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    }
    free(dir);
    int fd = mkstemp(b.data);
    if (fd < 0) {
        int e = errno;
        sk_buf_free(&b);
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_WRITE, "cannot create a file in the output folder: %s", strerror(e));
    }
    fchmod(fd, 0644);
    close(fd);
    *tmp = sk_buf_take(&b);
    return SK_OK;
}

/* Process-wide, like the umask: see sk_out_set_sync. */
static bool out_sync = true;

void sk_out_set_sync(bool on)
{
    out_sync = on;
}

sk_error sk_out_commit(const char *tmp, const char *path, sk_diag *d)
{
    int fd = out_sync ? open(tmp, O_RDONLY) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        sk_diag_file(d, path);
        return sk_diag_set(d, SK_ERR_WRITE, "cannot rename the output into place: %s", strerror(e));
    }
    return SK_OK;
}

void sk_out_abort(const char *tmp)
{
    if (tmp)
        unlink(tmp);
}

sk_error sk_out_write_file(const char *path, const char *data, size_t len, sk_diag *d)
{
    char *tmp;
    sk_error err = sk_out_begin(path, &tmp, d);
    if (err)
        return err;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        err = sk_diag_set(d, SK_ERR_WRITE, "cannot open the output: %s", strerror(errno));
        goto fail;
    }
    size_t n = fwrite(data, 1, len, f);
    int werr = ferror(f);
    if (fclose(f) != 0 || n != len || werr) {
        err = sk_diag_set(d, SK_ERR_WRITE, "cannot write the output: %s", strerror(errno ? errno : EIO));
        goto fail;
    }
    err = sk_out_commit(tmp, path, d);
    free(tmp);
    return err;
fail:
    sk_diag_file(d, path);
    sk_out_abort(tmp);
    free(tmp);
    return err;
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
    if (!(w->wb = workbook_new_opt(w->tmp, &o))) {
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
    lxw_error le = w->wb ? workbook_close(w->wb) : LXW_NO_ERROR; /* frees wb; writes the file */
    if (!err && le != LXW_NO_ERROR)
        err = sk_diag_set(d, SK_ERR_WRITE, "cannot write the workbook: %s", lxw_strerror(le));
    if (!err && w->tmp)
        err = sk_out_commit(w->tmp, w->path, d);
    else {
        if (w->path)
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
    return sk_out_wb_close(&w, build(w.wb, ctx, d), d);
}
