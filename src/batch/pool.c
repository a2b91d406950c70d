/* sechk — a pool of worker processes that contain each task's damage. */
#include "sechk/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so a sanitizer build cannot run under RLIMIT_AS. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_NO_RLIMIT_AS 1
#endif
#endif

/* IN_FLIGHT: tasks handed to a worker at a time.  With two, a worker that
 * sends a result finds its next task already in its pipe instead of waiting
 * for the parent to read the result and answer (a scheduling delay on a
 * loaded machine, and the parent's work on the result, every file). */
enum { TICK_MS = 100, READ_CHUNK = 65536, IN_FLIGHT = 2 };

typedef struct worker {
    pid_t pid;     /* 0: the slot has no worker */
    int task_fd;   /* parent → worker: task numbers (uint64_t) */
    int result_fd; /* worker → parent: uint32_t length, then the result */
    int queued;    /* tasks sent and not answered, ≤ IN_FLIGHT; task[0] is running */
    bool broken;   /* its task pipe failed: it gets no more tasks */
    size_t task[IN_FLIGHT];
    double deadline; /* of task[0] */
    sk_buf in;       /* the message being received */
} worker;

typedef struct pool {
    const sk_pool_opts *o;
    worker *w;
    int n;
    /* poll set, in the pool (not the heap) so that a forked worker, which
     * leaves with _exit, holds no block unreachable from its stack */
    struct pollfd fds[SK_POOL_MAX_WORKERS];
    int slot[SK_POOL_MAX_WORKERS];
    /* tasks sent to a worker that ended before starting them, to give out
     * again (at most one a worker at a time) */
    size_t redo[SK_POOL_MAX_WORKERS];
    int n_redo;
    size_t n_tasks, next, completed;
    size_t max_result;
} pool;

/* Seconds on the monotonic clock. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads exactly len bytes; returns len, 0 at a clean end of file, -1 otherwise. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 && got == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return (ssize_t)len;
}

/* Writes exactly len bytes; returns false on an error. */
static bool write_full(int fd, const void *buf, size_t len)
{
    size_t put = 0;
    while (put < len) {
        ssize_t r = write(fd, (const char *)buf + put, len - put);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        put += (size_t)r;
    }
    return true;
}

/* Sends a result: its length, then its bytes, in one write when the pipe
 * takes them (one system call a file instead of two). */
static bool send_result(int fd, char *data, uint32_t len)
{
    struct iovec iov[2] = {{&len, sizeof len}, {data, len}};
    ssize_t r;
    do
        r = writev(fd, iov, data && len ? 2 : 1);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return false;
    size_t put = (size_t)r;
    if (put < sizeof len)
        return write_full(fd, (const char *)&len + put, sizeof len - put) && (len == 0 || write_full(fd, data, len));
    put -= sizeof len;
    return len == 0 || write_full(fd, data + put, len - put);
}

/* The life of a worker: limits, then tasks until the parent closes the pipe. */
static void worker_main(const sk_pool_opts *o, pid_t parent, int task_fd, int result_fd)
{
    /* A fault must end the worker, whatever handlers the parent installed
     * (a test framework's, a sanitizer's): the parent reports the signal. */
    static const int fatal[] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL,  SIGABRT, SIGSYS, SIGTRAP,
                                SIGXCPU, SIGPIPE, SIGINT, SIGTERM, SIGHUP,  SIGQUIT};
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        signal(fatal[i], SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
#ifndef POOL_NO_RLIMIT_AS
    if (o->memory) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)o->memory;
        setrlimit(RLIMIT_AS, &rl);
    }
#endif
    if (o->init)
        o->init(o->ctx);
    sk_buf result = SK_BUF_INIT;
    struct rlimit cpu;
    bool limit_cpu = o->cpu_seconds && getrlimit(RLIMIT_CPU, &cpu) == 0;
    rlim_t armed = RLIM_INFINITY; /* the soft limit last set */
    for (;;) {
        uint64_t task;
        ssize_t r = read_full(task_fd, &task, sizeof task);
        if (r == 0)
            _exit(0);
        if (r < 0)
            _exit(3);
        if (limit_cpu) {
            /* RLIMIT_CPU counts the worker's whole life: move the soft limit
             * to the time used so far plus one task's budget (whole seconds:
             * most tasks find it where the last one left it) */
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
            rlim_t soft = used + o->cpu_seconds;
            if (cpu.rlim_max != RLIM_INFINITY && soft > cpu.rlim_max)
                soft = cpu.rlim_max;
            cpu.rlim_cur = soft;
            if (soft != armed && setrlimit(RLIMIT_CPU, &cpu) == 0)
                armed = soft;
        }
        sk_buf_reset(&result);
        o->work(o->ctx, (size_t)task, &result);
        if (result.len > UINT32_MAX)
            _exit(4);
        if (!send_result(result_fd, result.data, (uint32_t)result.len))
            _exit(3);
    }
}

/* Starts a worker in slot i; returns 0 or an errno. */
static int spawn(pool *p, int i)
{
    int tp[2], rp[2];
    if (pipe2(tp, O_CLOEXEC) != 0)
        return errno;
    if (pipe2(rp, O_CLOEXEC) != 0) {
        int e = errno;
        close(tp[0]);
        close(tp[1]);
        return e;
    }
    pid_t parent = getpid();
    fflush(NULL); /* the worker must not write the parent's buffered output */
    pid_t pid = fork();
    if (pid == 0) {
        close(tp[1]);
        close(rp[0]);
        for (int j = 0; j < p->n; j++)
            if (j != i && p->w[j].pid) {
                close(p->w[j].task_fd);
                close(p->w[j].result_fd);
            }
        worker_main(p->o, parent, tp[0], rp[1]);
        _exit(0);
    }
    close(tp[0]);
    close(rp[1]);
    if (pid < 0) {
        int e = errno;
        close(tp[1]);
        close(rp[0]);
        return e;
    }
    fcntl(rp[0], F_SETFL, fcntl(rp[0], F_GETFL) | O_NONBLOCK);
    worker *w = &p->w[i];
    w->pid = pid;
    w->task_fd = tp[1];
    w->result_fd = rp[0];
    w->queued = 0;
    w->broken = false;
    sk_buf_reset(&w->in);
    return 0;
}

/* Ends the worker in slot i (sending sig first unless 0) and returns its
 * wait status. */
static int retire(pool *p, int i, int sig)
{
    worker *w = &p->w[i];
    if (sig)
        kill(w->pid, sig);
    close(w->task_fd);
    close(w->result_fd);
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    for (int k = 1; k < w->queued; k++) /* sent, never started: given out again */
        p->redo[p->n_redo++] = w->task[k];
    w->queued = 0;
    w->broken = false;
    sk_buf_reset(&w->in);
    return status;
}

/* Reports the fate of a task. */
static void report(pool *p, size_t task, sk_pool_fate fate, int code, const char *data, size_t len)
{
    sk_pool_outcome oc = {fate, code, data, len};
    p->completed++;
    p->o->done(p->o->ctx, task, &oc);
}

/* Handles the death of worker i (end of file on its result pipe). */
static void on_death(pool *p, int i)
{
    bool busy = p->w[i].queued > 0;
    size_t task = p->w[i].task[0];
    int status = retire(p, i, 0);
    if (!busy)
        return;
    if (WIFSIGNALED(status))
        report(p, task, SK_POOL_SIGNAL, WTERMSIG(status), NULL, 0);
    else
        report(p, task, SK_POOL_EXIT, WIFEXITED(status) ? WEXITSTATUS(status) : -1, NULL, 0);
}

/* Kills worker i for a malformed message or a time limit and reports its task. */
static void kill_worker(pool *p, int i, sk_pool_fate fate)
{
    bool busy = p->w[i].queued > 0;
    size_t task = p->w[i].task[0];
    retire(p, i, SIGKILL);
    if (busy)
        report(p, task, fate, 0, NULL, 0);
}

static void dispatch(pool *p);

/* True while a task waits to be given out. */
static bool has_task(const pool *p)
{
    return p->n_redo > 0 || p->next < p->n_tasks;
}

/* The next task to give out: one given back first, then the next new one. */
static size_t take_task(pool *p)
{
    return p->n_redo > 0 ? p->redo[--p->n_redo] : p->next++;
}

/* Delivers the complete messages at the start of worker i's buffer (with
 * two tasks in flight, two results may arrive in one read).  Returns 1 when
 * it needs more bytes, 0 when the worker is gone, -1 on no memory. */
static int deliver(pool *p, int i)
{
    worker *w = &p->w[i];
    while (w->in.len >= sizeof(uint32_t)) {
        uint32_t len;
        memcpy(&len, w->in.data, sizeof len);
        if (w->queued == 0 || len > p->max_result) {
            kill_worker(p, i, SK_POOL_BAD_RESULT);
            return 0;
        }
        size_t end = sizeof len + len;
        if (w->in.len < end)
            return 1;
        /* the message leaves the slot first, as dispatch may retire the
         * worker (and reset its buffer) if it died meanwhile; the bytes
         * after it (the next result) stay */
        sk_buf msg = w->in;
        w->in = (sk_buf)SK_BUF_INIT;
        if (msg.len > end && sk_buf_append_len(&w->in, msg.data + end, msg.len - end) != SK_OK) {
            w->in = msg;
            return -1;
        }
        size_t task = w->task[0];
        for (int k = 1; k < w->queued; k++)
            w->task[k - 1] = w->task[k];
        w->queued--;
        w->deadline = now_s() + p->o->seconds; /* its next task starts now */
        /* its queue is topped up before the result is handled, so that the
         * parent's work on it overlaps the workers' */
        dispatch(p);
        report(p, task, SK_POOL_DONE, 0, msg.data + sizeof len, len);
        if (!w->in.data) {
            sk_buf_reset(&msg);
            w->in = msg; /* keep the allocation for the next message */
        } else {
            sk_buf_free(&msg);
        }
        if (!w->pid)
            return 0;
    }
    return 1;
}

/* Reads what worker i has sent; delivers its complete messages. */
static sk_error on_readable(pool *p, int i)
{
    worker *w = &p->w[i];
    for (;;) {
        if (sk_buf_reserve(&w->in, READ_CHUNK))
            return SK_ERR_NOMEM;
        ssize_t r = read(w->result_fd, w->in.data + w->in.len, READ_CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return SK_OK;
        if (r <= 0) {
            on_death(p, i);
            return SK_OK;
        }
        w->in.len += (size_t)r;
        w->in.data[w->in.len] = '\0';
        int more = deliver(p, i);
        if (more < 0)
            return SK_ERR_NOMEM;
        if (more == 0)
            return SK_OK;
    }
}

/* Makes sure there are workers; with none at all, fails the next task. */
static void staff(pool *p)
{
    int alive = 0, err = 0;
    for (int i = 0; i < p->n; i++) {
        if (!p->w[i].pid && has_task(p)) {
            int e = spawn(p, i);
            if (e)
                err = e;
        }
        alive += p->w[i].pid != 0;
    }
    if (alive == 0 && has_task(p)) {
        size_t task = take_task(p);
        report(p, task, SK_POOL_NO_WORKER, err, NULL, 0);
    }
}

/* Fills every worker's queue up to IN_FLIGHT tasks, one round at a time
 * so that with few tasks each worker gets one before any gets two. */
static void dispatch(pool *p)
{
    for (int round = 0; round < IN_FLIGHT; round++)
        for (int i = 0; i < p->n && has_task(p); i++) {
            worker *w = &p->w[i];
            if (!w->pid || w->broken || w->queued > round)
                continue;
            uint64_t task = p->n_redo ? p->redo[p->n_redo - 1] : p->next;
            if (!write_full(w->task_fd, &task, sizeof task)) {
                if (w->queued == 0)
                    retire(p, i, SIGKILL); /* died while idle: the task goes to another */
                else
                    w->broken = true; /* its end of file, read next, reports its task */
                continue;
            }
            take_task(p);
            if (w->queued == 0)
                w->deadline = now_s() + p->o->seconds;
            w->task[w->queued++] = (size_t)task;
        }
}

/* Fills p->fds with the live workers' result pipes and returns how many;
 * *timeout is how long poll may wait (ms, -1 for ever): until the next
 * deadline or tick, and at most 200 ms while a stop flag is watched. */
static int poll_set(pool *p, double last_tick, int *timeout)
{
    const sk_pool_opts *o = p->o;
    int nfds = 0;
    double t = now_s(), wake = o->tick ? last_tick + TICK_MS / 1000.0 : -1;
    for (int i = 0; i < p->n; i++) {
        if (!p->w[i].pid)
            continue;
        p->fds[nfds] = (struct pollfd){p->w[i].result_fd, POLLIN, 0};
        p->slot[nfds++] = i;
        if (p->w[i].queued && o->seconds > 0 && (wake < 0 || p->w[i].deadline < wake))
            wake = p->w[i].deadline;
    }
    *timeout = wake < 0 ? -1 : wake <= t ? 0 : (int)((wake - t) * 1000.0) + 1;
    if (o->stop && (*timeout < 0 || *timeout > 200))
        *timeout = 200; /* a signal just before poll is seen within this */
    return nfds;
}

/* Closes the task pipes (an idle worker reads end of file and leaves), kills
 * the workers first when kill_all, reaps them and frees their buffers. */
static void shut_down(pool *p, bool kill_all)
{
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid) {
            close(p->w[i].task_fd);
            p->w[i].task_fd = -1;
        }
    for (int i = 0; i < p->n; i++) {
        if (p->w[i].pid) {
            if (kill_all)
                kill(p->w[i].pid, SIGKILL);
            close(p->w[i].result_fd);
            while (waitpid(p->w[i].pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
        sk_buf_free(&p->w[i].in);
    }
}

/* Runs the pool's loop until every task is done, a stop is asked for or an
 * error; returns SK_ERR_NOMEM or SK_ERR_IO (d filled for poll's error). */
static sk_error run_loop(pool *p, bool *stopped, sk_diag *d)
{
    const sk_pool_opts *o = p->o;
    sk_error err = SK_OK;
    double last_tick = now_s();
    while (p->completed < p->n_tasks && !err) {
        if (o->stop && *o->stop) {
            *stopped = true;
            break;
        }
        staff(p);
        dispatch(p);
        int timeout;
        int nfds = poll_set(p, last_tick, &timeout);
        if (nfds == 0)
            continue;
        int r = poll(p->fds, (nfds_t)nfds, timeout);
        if (r < 0 && errno != EINTR)
            return sk_diag_set(d, SK_ERR_IO, "poll: %s", strerror(errno));
        for (int k = 0; k < nfds && r > 0 && !err; k++)
            if (p->fds[k].revents && p->w[p->slot[k]].pid && p->w[p->slot[k]].result_fd == p->fds[k].fd)
                err = on_readable(p, p->slot[k]);
        double t = now_s();
        for (int i = 0; i < p->n && o->seconds > 0; i++)
            if (p->w[i].pid && p->w[i].queued && t >= p->w[i].deadline)
                kill_worker(p, i, SK_POOL_TIMEOUT);
        if (o->tick && t - last_tick >= TICK_MS / 1000.0) {
            o->tick(o->ctx);
            last_tick = t;
        }
    }
    return err;
}

sk_error sk_pool_run(size_t n_tasks, const sk_pool_opts *o, sk_diag *d)
{
    if (n_tasks == 0)
        return SK_OK;
    pool p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.n = o->workers < 1 ? 1 : o->workers > SK_POOL_MAX_WORKERS ? SK_POOL_MAX_WORKERS : o->workers;
    p.n_tasks = n_tasks;
    p.max_result = o->max_result ? o->max_result : 64u << 20;
    if ((size_t)p.n > n_tasks)
        p.n = (int)n_tasks;
    p.w = calloc((size_t)p.n, sizeof *p.w);
    if (!p.w)
        return sk_diag_set(d, SK_ERR_NOMEM, "out of memory");
    /* SIGPIPE ignored: a worker that died makes a write fail, not the parent;
     * SIGCHLD at its default: if it was inherited as ignored, the kernel
     * would reap the workers itself and waitpid could not tell how they died */
    struct sigaction ign = {.sa_handler = SIG_IGN}, dfl = {.sa_handler = SIG_DFL}, old_pipe, old_chld;
    sigemptyset(&ign.sa_mask);
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe);
    sigaction(SIGCHLD, &dfl, &old_chld);
    bool stopped = false;
    sk_error err = run_loop(&p, &stopped, d);
    if (err == SK_ERR_NOMEM)
        sk_diag_set(d, err, "out of memory");
    shut_down(&p, err || stopped);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    free(p.w);
    return err;
}
