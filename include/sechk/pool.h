/* sechk — a pool of worker processes that contain each task's damage.
 *
 * The parent forks a fixed number of long-lived workers (after loading
 * everything the tasks share, which the workers inherit), hands them task
 * numbers one at a time over a pipe and receives each task's result as a
 * length-prefixed message over another.  Each worker runs with RLIMIT_AS (its
 * address space), RLIMIT_CPU (raised before each task so that every task gets
 * the same CPU budget) and RLIMIT_CORE 0; the parent enforces a wall-clock
 * limit per task.  A worker that dies, is killed by a limit, or sends a
 * malformed message costs only its current task: the parent reports that
 * task's fate and starts a new worker.
 *
 * Workers never return into the caller's code: they leave with _exit(), so
 * stdio buffers and atexit handlers of the parent are not run twice; they
 * reset the fault and termination signals to their default actions, so that
 * a crash ends the worker (and is reported) whatever handlers the parent had.
 * While the pool runs the parent ignores SIGPIPE and keeps SIGCHLD at its
 * default action (so that waitpid can tell how a worker ended).  In an
 * AddressSanitizer build RLIMIT_AS is not set (the sanitizer's shadow memory
 * needs terabytes of address space).
 *
 * Ownership: nothing is allocated for the caller; result data handed to the
 * done callback lives until it returns.
 */
#ifndef SECHK_POOL_H
#define SECHK_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sechk/error.h"
#include "sechk/text.h"

typedef enum sk_pool_fate {
    SK_POOL_DONE = 0,   /* the worker sent the task's result */
    SK_POOL_SIGNAL,     /* the worker died of a signal (code: the signal; SIGXCPU: CPU limit) */
    SK_POOL_EXIT,       /* the worker exited during the task (code: its status) */
    SK_POOL_TIMEOUT,    /* the wall-clock limit passed; the worker was killed */
    SK_POOL_BAD_RESULT, /* the worker's message was malformed or too large; it was killed */
    SK_POOL_NO_WORKER   /* no worker could be started (code: errno) */
} sk_pool_fate;

typedef struct sk_pool_outcome {
    sk_pool_fate fate;
    int code;
    const char *data; /* SK_POOL_DONE: the result bytes */
    size_t len;
} sk_pool_outcome;

enum { SK_POOL_MAX_WORKERS = 256 };

typedef struct sk_pool_opts {
    int workers;          /* 1..SK_POOL_MAX_WORKERS */
    double seconds;       /* wall-clock limit per task; 0: none */
    unsigned cpu_seconds; /* CPU-time limit per task; 0: none */
    uint64_t memory;      /* address-space limit per worker in bytes; 0: none */
    size_t max_result;    /* largest result message accepted; 0: 64 MiB */
    /* In each new worker, before its first task (may be NULL). */
    void (*init)(void *ctx);
    /* In a worker: does task and appends its result to result (which arrives
     * empty).  Whatever it appends is what the parent's done receives. */
    void (*work)(void *ctx, size_t task, sk_buf *result);
    /* In the parent: the fate of task; called once per task. */
    void (*done)(void *ctx, size_t task, const sk_pool_outcome *o);
    /* In the parent, about ten times a second while waiting (may be NULL). */
    void (*tick)(void *ctx);
    void *ctx;
    /* When *stop becomes non-zero (a signal handler), no more tasks are
     * given out, the workers are killed and sk_pool_run returns; tasks not
     * done get no outcome or SK_POOL_SIGNAL.  May be NULL. */
    volatile sig_atomic_t *stop;
} sk_pool_opts;

/* Runs tasks 0..n_tasks-1 and returns when each has had its done call.
 * Fails (SK_ERR_NOMEM, SK_ERR_IO for pipes) only when the pool itself cannot
 * run; a task's failure is its outcome. */
sk_error sk_pool_run(size_t n_tasks, const sk_pool_opts *o, sk_diag *d);

#endif
