/* sechk — finding the workbooks of a batch. */
#include "sechk/reason.h"
#include "sechk/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "sechk/output.h"
#include "sechk/text.h"

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

/* An open-addressing set of folders already walked. */
typedef struct dir_set {
    dir_id *slots;
    unsigned char *used;
    size_t cap, n;
} dir_set;

typedef struct walker {
    sk_walk *w;
    size_t cap_files, cap_problems;
    bool has_exclude;
    dir_id exclude;
    dir_id *stack; /* the folders being walked, outermost first */
    size_t n_stack, cap_stack;
    dir_set seen;
    sk_error err;
} walker;

static const char *const skip_ja[SK_SKIP__COUNT] = {
    [SK_SKIP_LOCK] = "ロックファイル",  [SK_SKIP_HIDDEN] = "隠しファイル",    [SK_SKIP_OTHER] = "ブック以外",
    [SK_SKIP_SPECIAL] = "特殊ファイル", [SK_SKIP_BROKEN_LINK] = "リンク切れ", [SK_SKIP_LOOP] = "リンクの循環",
    [SK_SKIP_OUTPUT] = "出力フォルダ",  [SK_SKIP_DUPLICATE] = "重複",
    [SK_SKIP_SECHK_OUTPUT] = "sechk の出力",
};
static const char *const skip_en[SK_SKIP__COUNT] = {
    [SK_SKIP_LOCK] = "lock files",          [SK_SKIP_HIDDEN] = "hidden",
    [SK_SKIP_OTHER] = "not workbooks",      [SK_SKIP_SPECIAL] = "special files",
    [SK_SKIP_BROKEN_LINK] = "broken links", [SK_SKIP_LOOP] = "link loops",
    [SK_SKIP_OUTPUT] = "output folder",     [SK_SKIP_DUPLICATE] = "duplicates",
    [SK_SKIP_SECHK_OUTPUT] = "sechk output",
};
_Static_assert(sizeof skip_ja / sizeof *skip_ja == SK_SKIP__COUNT, "skip labels");
_Static_assert(sizeof skip_en / sizeof *skip_en == SK_SKIP__COUNT, "skip labels");

const char *sk_skip_label(sk_skip_reason r, sk_lang lang)
{
    if ((unsigned)r >= SK_SKIP__COUNT)
        return "?";
    return lang == SK_LANG_EN ? skip_en[r] : skip_ja[r];
}

void sk_walk_problem_text(const sk_walk_problem *p, sk_lang lang, char *out, size_t cap)
{
    const char *e = p->err ? strerror(p->err) : "";
    switch (p->kind) {
    case SK_WALK_MISSING:
        if (p->err)
            sk_phrase_format(out, cap, lang, SK_PHRASE_INPUT_UNREADABLE, e);
        else
            sk_phrase_format(out, cap, lang, SK_PHRASE_INPUT_SPECIAL);
        break;
    case SK_WALK_UNREADABLE: sk_phrase_format(out, cap, lang, SK_PHRASE_FOLDER_UNREADABLE, e); break;
    case SK_WALK_LOOP: sk_phrase_format(out, cap, lang, SK_PHRASE_SYMLINK_LOOP); break;
    }
}

bool sk_walk_problem_fatal(const sk_walk_problem *p)
{
    return p->kind != SK_WALK_LOOP;
}

size_t sk_walk_skipped(const sk_walk *w)
{
    size_t n = 0;
    for (int r = 0; r < SK_SKIP__COUNT; r++)
        n += w->skipped[r];
    return n;
}

void sk_walk_free(sk_walk *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_files; i++) {
        free(w->files[i].path);
        free(w->files[i].rel);
    }
    for (size_t i = 0; i < w->n_problems; i++)
        free(w->problems[i].path);
    free(w->files);
    free(w->problems);
    free(w);
}

/* Hash of a folder's identity. */
static size_t dir_hash(dir_id id)
{
    uint64_t h = (uint64_t)id.ino * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)id.dev;
    return (size_t)(h ^ (h >> 29));
}

/* Adds id to the set; returns 1 if it was new, 0 if present, -1 on no memory. */
static int dir_set_add(dir_set *s, dir_id id)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        dir_set t = {calloc(cap, sizeof *t.slots), calloc(cap, 1), cap, 0};
        if (!t.slots || !t.used) {
            free(t.slots);
            free(t.used);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->used[i])
                dir_set_add(&t, s->slots[i]);
        free(s->slots);
        free(s->used);
        *s = t;
    }
    size_t i = dir_hash(id) & (s->cap - 1);
    for (; s->used[i]; i = (i + 1) & (s->cap - 1))
        if (s->slots[i].dev == id.dev && s->slots[i].ino == id.ino)
            return 0;
    s->used[i] = 1;
    s->slots[i] = id;
    s->n++;
    return 1;
}

/* Records a problem with path. */
static void add_problem(walker *k, const char *path, sk_walk_problem_kind kind, int err)
{
    sk_walk *w = k->w;
    if (k->err)
        return;
    if (w->n_problems == k->cap_problems) {
        size_t cap = k->cap_problems ? k->cap_problems * 2 : 8;
        sk_walk_problem *p = realloc(w->problems, cap * sizeof *p);
        if (!p) {
            k->err = SK_ERR_NOMEM;
            return;
        }
        w->problems = p;
        k->cap_problems = cap;
    }
    char *copy = sk_strndup(path, strlen(path));
    if (!copy) {
        k->err = SK_ERR_NOMEM;
        return;
    }
    w->problems[w->n_problems++] = (sk_walk_problem){copy, kind, err};
}

/* Little-endian fields of a zip record. */
static unsigned le16_at(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32_at(const unsigned char *p)
{
    return (uint32_t)le16_at(p) | (uint32_t)le16_at(p + 2) << 16;
}

/* False when the central directory, found in tail (the last bytes of the
 * file, from file offset base; eocd: its end record), lists no entry
 * docProps/custom.xml; true when it does or cannot be read here.  Saves
 * opening every input with libzip (the central directory of a submission
 * lies within the tail that was read anyway). */
static bool lists_custom_props(const unsigned char *tail, size_t eocd, uint64_t base, unsigned entries)
{
    static const char want[] = "docProps/custom.xml";
    uint64_t off = le32_at(tail + eocd + 16), size = le32_at(tail + eocd + 12);
    if (off < base || off - base > eocd || size > eocd - (off - base))
        return true;
    const unsigned char *p = tail + (off - base), *end = p + size;
    for (unsigned k = 0; k < entries; k++) {
        if (end - p < 46 || le32_at(p) != 0x02014b50)
            return true;
        size_t name = le16_at(p + 28), rest = (size_t)le16_at(p + 30) + le16_at(p + 32);
        if ((size_t)(end - p) - 46 < name + rest)
            return true;
        if (name == sizeof want - 1 && memcmp(p + 46, want, name) == 0)
            return true;
        p += 46 + name + rest;
    }
    return false;
}

/* True if path is a workbook sechk wrote as an output (a review copy or a
 * summary): its docProps/custom.xml names the property SK_OUT_MARK.  A
 * file that cannot be opened as a zip is not, and is read (and reported)
 * as usual. */
static bool is_sechk_output(const char *path)
{
    /* the walk runs in the parent, without the workers' limits: only a
     * zip whose end record lists a few entries, without zip64 (sechk
     * writes neither more nor that), is opened */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st0;
    unsigned char tail[22 + 65535];
    ssize_t got = 0;
    if (fstat(fd, &st0) == 0 && S_ISREG(st0.st_mode) && st0.st_size >= 22) {
        off_t want = st0.st_size < (off_t)sizeof tail ? st0.st_size : (off_t)sizeof tail;
        got = pread(fd, tail, (size_t)want, st0.st_size - want);
    }
    close(fd);
    long eocd = -1;
    for (long i = (long)got - 22; i >= 0; i--)
        if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6) {
            eocd = i;
            break;
        }
    if (eocd < 0)
        return false;
    unsigned entries = (unsigned)tail[eocd + 10] | (unsigned)tail[eocd + 11] << 8;
    if (entries == 0 || entries > 256)
        return false;
    if (!lists_custom_props(tail, (size_t)eocd, (uint64_t)st0.st_size - (uint64_t)got, entries))
        return false;
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
    if (!z)
        return false;
    bool mark = false;
    zip_stat_t st;
    zip_int64_t i = zip_name_locate(z, "docProps/custom.xml", 0);
    if (i >= 0 && zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size < 65536) {
        char buf[65536];
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        zip_int64_t n = f ? zip_fread(f, buf, sizeof buf - 1) : -1;
        if (f)
            zip_fclose(f);
        if (n > 0) {
            buf[n] = '\0';
            mark = strstr(buf, "name=\"" SK_OUT_MARK "\"") != NULL;
        }
    }
    zip_discard(z);
    return mark;
}

/* Records a file found at path; abs is its absolute path. */
static void add_file(walker *k, const char *path, const char *abs, const struct stat *st)
{
    struct stat lst;
    bool via_link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
    sk_walk *w = k->w;
    if (k->err)
        return;
    if (w->n_files == k->cap_files) {
        size_t cap = k->cap_files ? k->cap_files * 2 : 64;
        sk_walk_file *f = realloc(w->files, cap * sizeof *f);
        if (!f) {
            k->err = SK_ERR_NOMEM;
            return;
        }
        w->files = f;
        k->cap_files = cap;
    }
    sk_walk_file f = {
        sk_strndup(path, strlen(path)), sk_strndup(abs, strlen(abs)), st->st_dev, st->st_ino, st->st_mtim, via_link};
    if (!f.path || !f.rel) {
        free(f.path);
        free(f.rel);
        k->err = SK_ERR_NOMEM;
        return;
    }
    w->files[w->n_files++] = f;
}

/* True if name ends with one of the extensions taken as workbooks. */
static bool is_workbook_name(const char *name)
{
    static const char *const ext[] = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t m = strlen(ext[i]);
        if (n > m && strcasecmp(name + n - m, ext[i]) == 0)
            return true;
    }
    return false;
}

/* Sorts names bytewise. */
static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins a and b with one "/" into a new string. */
static char *join(const char *a, const char *b)
{
    sk_buf s = SK_BUF_INIT;
    size_t la = strlen(a);
    if (sk_buf_append(&s, a) || ((la == 0 || a[la - 1] != '/') && sk_buf_putc(&s, '/')) || sk_buf_append(&s, b)) {
        sk_buf_free(&s);
        return NULL;
    }
    return s.data;
}

/* True if id is one of the folders being walked. */
static bool on_stack(const walker *k, dir_id id)
{
    for (size_t i = 0; i < k->n_stack; i++)
        if (k->stack[i].dev == id.dev && k->stack[i].ino == id.ino)
            return true;
    return false;
}

/* Reads the names in folder path, sorted; *names is a new array of new strings. */
static int list_names(const char *path, char ***names, size_t *n_names)
{
    *names = NULL;
    *n_names = 0;
    DIR *dir = opendir(path);
    if (!dir)
        return errno;
    size_t cap = 0;
    int err = 0;
    struct dirent *de;
    for (;;) {
        errno = 0;
        if (!(de = readdir(dir))) {
            err = errno;
            break;
        }
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (*n_names == cap) {
            cap = cap ? cap * 2 : 32;
            char **t = realloc(*names, cap * sizeof *t);
            if (!t) {
                err = ENOMEM;
                break;
            }
            *names = t;
        }
        if (!((*names)[*n_names] = sk_strndup(de->d_name, strlen(de->d_name)))) {
            err = ENOMEM;
            break;
        }
        (*n_names)++;
    }
    closedir(dir);
    if (*n_names)
        qsort(*names, *n_names, sizeof **names, cmp_name);
    return err;
}

static void walk_dir(walker *k, const char *path, const char *abs, dir_id id);

/* Classifies one entry name of folder (path, abs). */
static void walk_entry(walker *k, const char *path, const char *abs, const char *name)
{
    sk_walk *w = k->w;
    if (name[0] == '.') {
        w->skipped[SK_SKIP_HIDDEN]++;
        return;
    }
    if (strncmp(name, "~$", 2) == 0) {
        w->skipped[SK_SKIP_LOCK]++;
        return;
    }
    char *cpath = join(path, name), *cabs = join(abs, name);
    if (!cpath || !cabs) {
        k->err = SK_ERR_NOMEM;
        goto done;
    }
    struct stat st, lst;
    if (stat(cpath, &st) != 0) {
        int e = errno;
        if (e == ELOOP) {
            w->skipped[SK_SKIP_LOOP]++;
            add_problem(k, cpath, SK_WALK_LOOP, 0);
        } else if (e == ENOENT && lstat(cpath, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            w->skipped[SK_SKIP_BROKEN_LINK]++;
        } else {
            add_problem(k, cpath, SK_WALK_MISSING, e);
        }
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        dir_id id = {st.st_dev, st.st_ino};
        if (k->has_exclude && id.dev == k->exclude.dev && id.ino == k->exclude.ino)
            w->skipped[SK_SKIP_OUTPUT]++;
        else if (on_stack(k, id)) {
            w->skipped[SK_SKIP_LOOP]++;
            add_problem(k, cpath, SK_WALK_LOOP, 0);
        } else
            walk_dir(k, cpath, cabs, id);
    } else if (S_ISREG(st.st_mode)) {
        if (is_workbook_name(name) && is_sechk_output(cpath))
            w->skipped[SK_SKIP_SECHK_OUTPUT]++;
        else if (is_workbook_name(name))
            add_file(k, cpath, cabs, &st);
        else
            w->skipped[SK_SKIP_OTHER]++;
    } else {
        w->skipped[SK_SKIP_SPECIAL]++;
    }
done:
    free(cpath);
    free(cabs);
}

/* Walks folder path (absolute path abs, identity id). */
static void walk_dir(walker *k, const char *path, const char *abs, dir_id id)
{
    int fresh = dir_set_add(&k->seen, id);
    if (fresh < 0) {
        k->err = SK_ERR_NOMEM;
        return;
    }
    if (!fresh) {
        k->w->skipped[SK_SKIP_DUPLICATE]++;
        return;
    }
    char **names;
    size_t n_names;
    int e = list_names(path, &names, &n_names);
    if (e == ENOMEM)
        k->err = SK_ERR_NOMEM;
    else if (e)
        add_problem(k, path, SK_WALK_UNREADABLE, e);
    if (!e && k->n_stack == k->cap_stack) {
        size_t cap = k->cap_stack ? k->cap_stack * 2 : 16;
        dir_id *s = realloc(k->stack, cap * sizeof *s);
        if (s) {
            k->stack = s;
            k->cap_stack = cap;
        } else {
            k->err = SK_ERR_NOMEM;
        }
    }
    if (!e && !k->err) {
        k->stack[k->n_stack++] = id;
        for (size_t i = 0; i < n_names && !k->err; i++)
            walk_entry(k, path, abs, names[i]);
        k->n_stack--;
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
}

/* The lexical absolute form of p: the working folder prepended, "." and ".."
 * resolved by name, no trailing "/".  Returns a new string or NULL. */
static char *abs_path(const char *p)
{
    sk_buf in = SK_BUF_INIT, out = SK_BUF_INIT;
    if (p[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        sk_error e = cwd ? sk_buf_append(&in, cwd) : SK_OK;
        free(cwd);
        if (e || sk_buf_putc(&in, '/')) {
            sk_buf_free(&in);
            return NULL;
        }
    }
    if (sk_buf_append(&in, p)) {
        sk_buf_free(&in);
        return NULL;
    }
    const char *s = in.data;
    sk_error e = SK_OK;
    while (*s && !e) {
        while (*s == '/')
            s++;
        const char *end = strchr(s, '/');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            char *slash = out.data ? strrchr(out.data, '/') : NULL;
            if (slash) {
                out.len = (size_t)(slash - out.data);
                out.data[out.len] = '\0';
            }
        } else {
            e = sk_buf_putc(&out, '/');
            if (!e)
                e = sk_buf_append_len(&out, s, len);
        }
        s += len;
    }
    sk_buf_free(&in);
    if (!e && out.len == 0)
        e = sk_buf_putc(&out, '/');
    if (e) {
        sk_buf_free(&out);
        return NULL;
    }
    return out.data;
}

/* Length of the common folder prefix of a[0..la) and b (whole components). */
static size_t common_len(const char *a, size_t la, const char *b)
{
    size_t i = 0, last = 0;
    for (;;) {
        bool a_end = i == la, b_end = b[i] == '\0';
        if ((a_end || a[i] == '/') && (b_end || b[i] == '/'))
            last = i;
        if (a_end || b_end || a[i] != b[i])
            return last;
        i++;
    }
}

/* Orders files by identity, then real names before symlinks, then path. */
static int cmp_ident(const void *pa, const void *pb)
{
    const sk_walk_file *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    if (a->via_link != b->via_link)
        return a->via_link ? 1 : -1;
    return strcmp(a->path, b->path);
}

/* Orders files by path. */
static int cmp_path(const void *pa, const void *pb)
{
    return strcmp(((const sk_walk_file *)pa)->path, ((const sk_walk_file *)pb)->path);
}

/* Drops files reached twice (keeping the first in cmp_ident order), sorts by path and
 * turns the absolute paths in rel into paths relative to root. */
static sk_error finish(sk_walk *w, const char *root, size_t root_len)
{
    if (w->n_files > 1)
        qsort(w->files, w->n_files, sizeof *w->files, cmp_ident);
    size_t n = 0;
    for (size_t i = 0; i < w->n_files; i++) {
        if (n > 0 && w->files[n - 1].dev == w->files[i].dev && w->files[n - 1].ino == w->files[i].ino) {
            free(w->files[i].path);
            free(w->files[i].rel);
            w->skipped[SK_SKIP_DUPLICATE]++;
            continue;
        }
        w->files[n++] = w->files[i];
    }
    w->n_files = n;
    if (n > 1)
        qsort(w->files, n, sizeof *w->files, cmp_path);
    for (size_t i = 0; i < n; i++) {
        const char *abs = w->files[i].rel;
        size_t skip = root_len;
        if (root && strncmp(abs, root, root_len) == 0) {
            while (abs[skip] == '/')
                skip++;
        } else {
            skip = 0;
            while (abs[skip] == '/')
                skip++;
        }
        char *rel = sk_strndup(abs + skip, strlen(abs + skip));
        if (!rel)
            return SK_ERR_NOMEM;
        free(w->files[i].rel);
        w->files[i].rel = rel;
    }
    return SK_OK;
}

sk_error sk_walk_inputs(const char *const *args, int n, const char *exclude, sk_walk **out, sk_diag *d)
{
    *out = NULL;
    walker k = {0};
    k.w = calloc(1, sizeof *k.w);
    if (!k.w)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    struct stat st;
    if (exclude && stat(exclude, &st) == 0) {
        k.has_exclude = true;
        k.exclude = (dir_id){st.st_dev, st.st_ino};
    }
    char *root = NULL; /* the deepest folder holding every argument */
    size_t root_len = 0;
    for (int i = 0; i < n && !k.err; i++) {
        /* "dir/" and "dir" name the same inputs; keep paths free of "//". */
        size_t len = strlen(args[i]);
        while (len > 1 && args[i][len - 1] == '/')
            len--;
        char *arg = sk_strndup(args[i], len), *abs = arg ? abs_path(arg) : NULL;
        if (!arg || !abs) {
            k.err = SK_ERR_NOMEM;
        } else if (stat(arg, &st) != 0) {
            add_problem(&k, arg, SK_WALK_MISSING, errno);
        } else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
            add_problem(&k, arg, SK_WALK_MISSING, 0);
        } else {
            bool dir = S_ISDIR(st.st_mode);
            size_t base_len = strlen(abs);
            if (!dir) {
                char *slash = strrchr(abs, '/');
                base_len = slash == abs ? 1 : (size_t)(slash - abs);
            }
            if (!root) {
                root = sk_strndup(abs, base_len);
                root_len = base_len;
                if (!root)
                    k.err = SK_ERR_NOMEM;
            } else {
                char save = abs[base_len];
                abs[base_len] = '\0';
                root_len = common_len(root, root_len, abs);
                abs[base_len] = save;
                if (root_len == 0)
                    root_len = 1; /* "/" */
            }
            dir_id id = {st.st_dev, st.st_ino};
            if (!dir)
                add_file(&k, arg, abs, &st);
            else if (k.has_exclude && id.dev == k.exclude.dev && id.ino == k.exclude.ino)
                k.w->skipped[SK_SKIP_OUTPUT]++;
            else
                walk_dir(&k, arg, abs, id);
        }
        free(arg);
        free(abs);
    }
    if (!k.err)
        k.err = finish(k.w, root, root_len);
    free(root);
    free(k.stack);
    free(k.seen.slots);
    free(k.seen.used);
    if (k.err) {
        sk_walk_free(k.w);
        return sk_diag_set(d, k.err, "out of memory");
    }
    *out = k.w;
    return SK_OK;
}
