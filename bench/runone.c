/* sechk benchmarks: run one command and report its cost (bench/run_bench.py).
 *
 *   runone RESULT_FILE COMMAND [ARG...]
 *
 * Forks and execs COMMAND (stdin, stdout and stderr inherited), waits for it
 * with wait4 and writes "WALL_S CPU_S MAXRSS_KIB EXIT" to RESULT_FILE:
 * wall-clock seconds from fork to reaped, user + system seconds of the
 * command and of the children it waited for, and its peak RSS (ru_maxrss,
 * the number /usr/bin/time -f %M prints; for a batch the largest of the
 * parent and its workers).  EXIT is the exit status, or 128 + the signal.
 *
 * Why not time from Python directly: a child spawned from a process keeps that
 * process's high-water RSS (Linux records the old address space's peak on
 * exec), so the measuring process must be small; this one is.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: runone RESULT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("runone: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("runone: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("runone: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%.6f %.6f %ld %d\n", wall, cpu, ru.ru_maxrss, code) < 0 || fclose(f) != 0) {
        perror("runone: result file");
        return 2;
    }
    return 0;
}
