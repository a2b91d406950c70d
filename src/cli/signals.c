/* sechk command line — SIGINT, SIGTERM and SIGHUP. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sechk/output.h"

static volatile sig_atomic_t *stop_flag;

/* A single-file command: its staging file goes, one line, 128 + signal. */
static void on_signal_now(int sig)
{
    sk_out_stage_cleanup_async();
    /* write(2) and a constant of the catalogue only: async-signal-safe */
    const char *msg = sk_msg(SK_MSG_INTERRUPTED);
    size_t n = 0;
    while (msg[n])
        n++;
    ssize_t r = write(STDERR_FILENO, "sechk: ", 7);
    r = write(STDERR_FILENO, msg, n);
    r = write(STDERR_FILENO, "\n", 1);
    (void)r;
    _exit(128 + sig);
}

/* batch: the run stops at its next step and reports (cmd_batch.c). */
static void on_signal_flag(int sig)
{
    if (stop_flag && !*stop_flag)
        *stop_flag = sig;
}

void sk_cli_signals(volatile sig_atomic_t *flag)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    stop_flag = flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = flag ? on_signal_flag : on_signal_now;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started sechk (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}
