/* Unit tests for the worker pool of src/batch/pool.c: results come back for
 * every task, and a task that crashes its worker, exits it, overruns the
 * wall-clock or CPU limit, or sends a malformed message costs only itself. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sechk/pool.h"

enum { MAX_TASKS = 64 };

/* Which task misbehaves, and how. */
typedef enum { ACT_NONE, ACT_SEGV, ACT_EXIT, ACT_SLEEP, ACT_SPIN, ACT_ABORT } action;

typedef struct ctx {
    size_t bad_task;
    action act;
    int done_calls[MAX_TASKS];
    sk_pool_outcome outcome[MAX_TASKS];
    char data[MAX_TASKS][32];
    int ticks;
} ctx;

/* The work: the task number as text, or the chosen misbehaviour. */
static void work(void *p, size_t task, sk_buf *result)
{
    ctx *c = p;
    if (task == c->bad_task) {
        switch (c->act) {
        case ACT_SEGV: raise(SIGSEGV); break;
        case ACT_ABORT: abort();
        case ACT_EXIT: _exit(7);
        case ACT_SLEEP: sleep(30); break;
        case ACT_SPIN:
            for (volatile unsigned long i = 0;; i++)
                ;
        case ACT_NONE: break;
        }
    }
    sk_buf_printf(result, "task %zu pid %d", task, (int)getpid());
}

/* Records the outcome (in the parent). */
static void done(void *p, size_t task, const sk_pool_outcome *o)
{
    ctx *c = p;
    assert_true(task < MAX_TASKS);
    c->done_calls[task]++;
    c->outcome[task] = *o;
    if (o->fate == SK_POOL_DONE) {
        assert_true(o->len < sizeof c->data[task]);
        memcpy(c->data[task], o->data, o->len);
        c->data[task][o->len] = '\0';
    }
}

static void tick(void *p)
{
    ((ctx *)p)->ticks++;
}

/* Runs n tasks with workers and limits; returns the pool's error. */
static sk_error run(ctx *c, size_t n, int workers, double seconds, unsigned cpu)
{
    sk_pool_opts o = {.workers = workers,
                      .seconds = seconds,
                      .cpu_seconds = cpu,
                      .memory = 0,
                      .work = work,
                      .done = done,
                      .tick = tick,
                      .ctx = c};
    sk_diag d;
    sk_diag_clear(&d);
    return sk_pool_run(n, &o, &d);
}

/* Every other task has its result, exactly once. */
static void assert_others_done(const ctx *c, size_t n)
{
    for (size_t t = 0; t < n; t++) {
        assert_int_equal(c->done_calls[t], 1);
        if (t == c->bad_task)
            continue;
        assert_int_equal(c->outcome[t].fate, SK_POOL_DONE);
        char want[16];
        snprintf(want, sizeof want, "task %zu ", t);
        assert_memory_equal(c->data[t], want, strlen(want));
    }
}

static void test_all_done(void **state)
{
    (void)state;
    for (int w = 1; w <= 4; w++) {
        ctx c = {.bad_task = SIZE_MAX};
        assert_int_equal(run(&c, 40, w, 10, 10), SK_OK);
        assert_others_done(&c, 40);
    }
}

static void test_no_tasks(void **state)
{
    (void)state;
    ctx c = {.bad_task = SIZE_MAX};
    assert_int_equal(run(&c, 0, 2, 0, 0), SK_OK);
}

static void test_crash(void **state)
{
    (void)state;
    ctx c = {.bad_task = 5, .act = ACT_SEGV};
    assert_int_equal(run(&c, 20, 2, 10, 0), SK_OK);
    /* cmocka's own SIGSEGV handler, inherited, must not catch it */
    assert_int_equal(c.outcome[5].fate, SK_POOL_SIGNAL);
    assert_int_equal(c.outcome[5].code, SIGSEGV);
    assert_others_done(&c, 20);
}

static void test_abort_single_worker(void **state)
{
    (void)state;
    ctx c = {.bad_task = 0, .act = ACT_ABORT};
    assert_int_equal(run(&c, 5, 1, 10, 0), SK_OK);
    assert_int_equal(c.outcome[0].fate, SK_POOL_SIGNAL);
    assert_int_equal(c.outcome[0].code, SIGABRT);
    assert_others_done(&c, 5);
}

static void test_exit(void **state)
{
    (void)state;
    ctx c = {.bad_task = 3, .act = ACT_EXIT};
    assert_int_equal(run(&c, 8, 3, 10, 0), SK_OK);
    assert_int_equal(c.outcome[3].fate, SK_POOL_EXIT);
    assert_int_equal(c.outcome[3].code, 7);
    assert_others_done(&c, 8);
}

static void test_wall_clock(void **state)
{
    (void)state;
    ctx c = {.bad_task = 2, .act = ACT_SLEEP};
    assert_int_equal(run(&c, 6, 2, 0.3, 0), SK_OK);
    assert_int_equal(c.outcome[2].fate, SK_POOL_TIMEOUT);
    assert_others_done(&c, 6);
    assert_true(c.ticks >= 1);
}

static void test_cpu_limit(void **state)
{
    (void)state;
    ctx c = {.bad_task = 1, .act = ACT_SPIN};
    /* no wall-clock limit: RLIMIT_CPU alone must stop the spinning task */
    assert_int_equal(run(&c, 4, 2, 0, 1), SK_OK);
    assert_int_equal(c.outcome[1].fate, SK_POOL_SIGNAL);
    assert_true(c.outcome[1].code == SIGXCPU || c.outcome[1].code == SIGKILL);
    assert_others_done(&c, 4);
}

/* A worker whose result exceeds the message limit is killed. */
static void big_work(void *p, size_t task, sk_buf *result)
{
    (void)p;
    for (size_t i = 0; i < (task == 1 ? 4096 : 1); i++)
        sk_buf_append(result, "0123456789abcdef");
}

static void big_done(void *p, size_t task, const sk_pool_outcome *o)
{
    ctx *c = p;
    c->done_calls[task]++;
    c->outcome[task] = *o;
}

static void test_bad_result(void **state)
{
    (void)state;
    ctx c = {.bad_task = 1};
    sk_pool_opts o = {.workers = 2, .seconds = 10, .max_result = 1024, .work = big_work, .done = big_done, .ctx = &c};
    sk_diag d;
    sk_diag_clear(&d);
    assert_int_equal(sk_pool_run(4, &o, &d), SK_OK);
    assert_int_equal(c.outcome[1].fate, SK_POOL_BAD_RESULT);
    for (int t = 0; t < 4; t++) {
        assert_int_equal(c.done_calls[t], 1);
        if (t != 1) {
            assert_int_equal(c.outcome[t].fate, SK_POOL_DONE);
            assert_int_equal(c.outcome[t].len, 16);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_done),  cmocka_unit_test(test_no_tasks),
        cmocka_unit_test(test_crash),     cmocka_unit_test(test_abort_single_worker),
        cmocka_unit_test(test_exit),      cmocka_unit_test(test_wall_clock),
        cmocka_unit_test(test_cpu_limit), cmocka_unit_test(test_bad_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
