/* sechk — the output names of a batch (sechk/names.h). */
#include "sechk/names.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sechk/text.h"

/* ASCII case-folded comparison of two names (a case-insensitive output
 * folder would make "X" and "x" one file). */
static int cmp_fold(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

typedef struct name_ref {
    char *name;
    size_t file;
} name_ref;

/* Orders names case-folded, then by file (path order). */
static int cmp_name_ref(const void *pa, const void *pb)
{
    const name_ref *a = pa, *b = pb;
    int c = cmp_fold(a->name, b->name);
    if (c)
        return c;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* The file's relative path without its extension. */
static char *stem_of(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot > base ? (size_t)(dot - rel) : strlen(rel);
    return sk_strndup(rel, len);
}

/* Characters that Windows and macOS shares refuse in names, or that would
 * make a link in the summary a URL or UNC path, become '_'; a last
 * component longer than fits with ".review.xlsx" in 255 bytes is cut at a
 * character boundary (uniqueness is restored by make_unique). */
static void sanitize_name(char *name)
{
    for (char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || strchr("\\:*?\"<>|", *p))
            *p = '_';
    char *last = strrchr(name, '/');
    last = last ? last + 1 : name;
    size_t len = strlen(last), cap = 255 - strlen(".review.xlsx") - 8; /* room for "~N" */
    if (len > cap) {
        size_t cut = cap;
        while (cut > 0 && ((unsigned char)last[cut] & 0xC0) == 0x80)
            cut--;
        last[cut] = '\0';
    }
}

/* Makes every NAME unique over the whole set, also case-folded: a later
 * file whose name meets an earlier one gets "~N" with the smallest N that
 * is free. */
static sk_error make_unique(size_t n, char **names)
{
    name_ref *refs = calloc(n ? n : 1, sizeof *refs);
    if (!refs)
        return SK_ERR_NOMEM;
    sk_error e = SK_OK;
    while (!e) { /* each round renames one file to a free name: at most n rounds */
        for (size_t i = 0; i < n; i++)
            refs[i] = (name_ref){names[i], i};
        qsort(refs, n, sizeof *refs, cmp_name_ref);
        bool clash = false;
        for (size_t i = 1; i < n && !e; i++) {
            if (cmp_fold(refs[i - 1].name, refs[i].name) != 0)
                continue;
            clash = true;
            size_t f = refs[i].file;
            for (unsigned k = 2;; k++) {
                sk_buf s = SK_BUF_INIT;
                if ((e = sk_buf_printf(&s, "%s~%u", names[f], k)) != SK_OK) {
                    sk_buf_free(&s);
                    break;
                }
                /* free among the sorted names? */
                name_ref key = {s.data, 0};
                size_t lo = 0, hi = n;
                bool taken = false;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    int c = cmp_fold(refs[mid].name, key.name);
                    if (c == 0) {
                        taken = true;
                        break;
                    }
                    if (c < 0)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                if (taken) {
                    sk_buf_free(&s);
                    continue;
                }
                free(names[f]);
                names[f] = s.data;
                break;
            }
            break; /* the order changed: sort again */
        }
        if (!clash)
            break;
    }
    free(refs);
    return e;
}

/* Renames file f of a group of names that meet: to its relative path with
 * the extension (rel, sanitized), or else with "~k" appended. */
static sk_error rename_one(char **names, size_t f, const char *rel, size_t k)
{
    sk_buf s = SK_BUF_INIT;
    sk_error e = rel ? sk_buf_append(&s, rel) : sk_buf_printf(&s, "%s~%zu", names[f], k);
    if (e) {
        sk_buf_free(&s);
        return e;
    }
    if (rel)
        sanitize_name(s.data);
    free(names[f]);
    names[f] = s.data;
    return SK_OK;
}

sk_error sk_batch_names(const char *const *rel, size_t n, char **names)
{
    name_ref *refs = calloc(n ? n : 1, sizeof *refs);
    if (!refs)
        return SK_ERR_NOMEM;
    sk_error e = SK_OK;
    for (size_t i = 0; i < n && !e; i++)
        if (!(names[i] = stem_of(rel[i])))
            e = SK_ERR_NOMEM;
        else
            sanitize_name(names[i]);
    for (int pass = 0; pass < 2 && !e; pass++) {
        for (size_t i = 0; i < n; i++)
            refs[i] = (name_ref){names[i], i};
        qsort(refs, n, sizeof *refs, cmp_name_ref);
        for (size_t i = 0; i < n && !e;) {
            size_t j = i + 1;
            while (j < n && cmp_fold(refs[i].name, refs[j].name) == 0)
                j++;
            for (size_t k = i; k < j && j - i > 1 && !e; k++)
                e = rename_one(names, refs[k].file, pass == 0 ? rel[refs[k].file] : NULL, k - i + 1);
            i = j;
        }
    }
    free(refs);
    if (!e)
        e = make_unique(n, names);
    return e;
}
