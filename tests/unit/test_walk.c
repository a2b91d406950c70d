/* Unit tests for src/batch/walk.c: which files a batch takes, in what order,
 * with which relative paths, and what it skips and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechk/walk.h"

static char root[256];

/* Creates file root/rel with some bytes (parents must exist). */
static void touch(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
}

static void mk(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static void link_to(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/sechk-walk-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return -1;
    mk("in");
    mk("in/a");
    mk("in/a/sub");
    mk("in/b");
    mk("in/.hidden-dir");
    mk("in/out");
    mk("in/folder.xlsx");
    touch("in/z.xlsx");
    touch("in/a/x.xlsx");
    touch("in/a/X.XLSM");
    touch("in/a/old.xls");
    touch("in/a/sub/deep.xlsx");
    touch("in/b/x.xlsx");
    touch("in/~$z.xlsx");
    touch("in/.h.xlsx");
    touch("in/.hidden-dir/y.xlsx");
    touch("in/notes.txt");
    touch("in/out/result.review.xlsx");
    touch("in/folder.xlsx/inner.xlsx");
    link_to("..", "in/a/up");                  /* a loop */
    link_to("nowhere.xlsx", "in/b/gone.xlsx"); /* broken */
    link_to("x.xlsx", "in/b/same.xlsx");       /* the same file again */
    link_to("/dev/null", "in/b/null.xlsx");    /* not a regular file */
    mk("other");
    touch("other/o.xlsx");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_walk_folder(void **state)
{
    (void)state;
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/in/", root); /* the trailing slash is dropped */
    snprintf(out, sizeof out, "%s/in/out", root);
    const char *args[] = {in};
    sk_walk *w;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_walk_inputs(args, 1, out, &w, &d), SK_OK);
    static const char *const want[] = {
        "a/X.XLSM", "a/old.xls", "a/sub/deep.xlsx", "a/x.xlsx", "b/x.xlsx", "folder.xlsx/inner.xlsx", "z.xlsx"};
    assert_int_equal(w->n_files, sizeof want / sizeof *want);
    for (size_t i = 0; i < w->n_files; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/in/%s", root, want[i]);
        assert_string_equal(w->files[i].path, p);
        assert_string_equal(w->files[i].rel, want[i]);
    }
    assert_int_equal(w->skipped[SK_SKIP_LOCK], 1);
    assert_int_equal(w->skipped[SK_SKIP_HIDDEN], 2);
    assert_int_equal(w->skipped[SK_SKIP_OTHER], 1);
    assert_int_equal(w->skipped[SK_SKIP_SPECIAL], 1);
    assert_int_equal(w->skipped[SK_SKIP_BROKEN_LINK], 1);
    assert_int_equal(w->skipped[SK_SKIP_LOOP], 1);
    assert_int_equal(w->skipped[SK_SKIP_OUTPUT], 1);
    assert_int_equal(w->skipped[SK_SKIP_DUPLICATE], 1);
    assert_int_equal(w->n_problems, 1);
    assert_int_equal(w->problems[0].kind, SK_WALK_LOOP);
    assert_false(sk_walk_problem_fatal(&w->problems[0]));
    assert_non_null(strstr(w->problems[0].path, "in/a/up"));
    sk_walk_free(w);
}

static void test_walk_mixed_args(void **state)
{
    (void)state;
    char a[512], f[512], o[512], missing[512];
    snprintf(a, sizeof a, "%s/in/a/sub", root);
    snprintf(f, sizeof f, "%s/other/o.xlsx", root);
    snprintf(o, sizeof o, "%s/in/notes.txt", root); /* named: taken whatever its name */
    snprintf(missing, sizeof missing, "%s/nope", root);
    const char *args[] = {f, a, o, missing, "/dev/null"};
    sk_walk *w;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_walk_inputs(args, 5, NULL, &w, &d), SK_OK);
    assert_int_equal(w->n_files, 3);
    /* relative to the deepest common folder: root */
    assert_string_equal(w->files[0].rel, "in/a/sub/deep.xlsx");
    assert_string_equal(w->files[1].rel, "in/notes.txt");
    assert_string_equal(w->files[2].rel, "other/o.xlsx");
    assert_int_equal(w->n_problems, 2);
    assert_int_equal(w->problems[0].kind, SK_WALK_MISSING);
    assert_true(sk_walk_problem_fatal(&w->problems[0]));
    assert_string_equal(w->problems[1].path, "/dev/null");
    char text[200];
    sk_walk_problem_text(&w->problems[1], SK_LANG_EN, text, sizeof text);
    assert_string_equal(text, "not a regular file or folder");
    sk_walk_free(w);
}

static void test_walk_relative_and_duplicates(void **state)
{
    (void)state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(root), 0);
    const char *args[] = {"in/b", "./in/b/x.xlsx", "in/../in/b/"};
    sk_walk *w;
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_walk_inputs(args, 3, NULL, &w, &d), SK_OK);
    assert_int_equal(chdir(cwd), 0);
    /* one file, reached three times (by the folder, its link, its name); the folder twice */
    assert_int_equal(w->n_files, 1);
    assert_string_equal(w->files[0].path, "./in/b/x.xlsx"); /* not the link b/same.xlsx */
    assert_string_equal(w->files[0].rel, "x.xlsx");
    assert_true(w->skipped[SK_SKIP_DUPLICATE] >= 3);
    sk_walk_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_folder),
        cmocka_unit_test(test_walk_mixed_args),
        cmocka_unit_test(test_walk_relative_and_duplicates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
