/* bench_peer.c - futurescope beside tokio's paused-clock peer.
 *
 * Both sides run a workload as a whole process, as a user would time them:
 * futurescope in a forked child that loads the scenario file, simulates it
 * under `wake` and frees everything (as `futurescope run` does); tokio as
 * `tokio-peer-mt ct W N` (a current_thread runtime with a paused clock, same
 * workloads: see the peer's README). The wall time from fork to reaping
 * counts scenario loading and process start-up on both sides, no trace.
 * Runs alternate between the two so a busy machine slows both alike. */
#define _GNU_SOURCE /* wait4, realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"

#define REPS 3

/* Where the shared peers' build puts the stock peer, from the checkout. */
#ifndef FS_SOURCE_DIR
#define FS_SOURCE_DIR "."
#endif
static const char default_peer[] =
    FS_SOURCE_DIR "/../shared/peers/tokio-mt/build/target/release/tokio-peer-mt";

typedef struct sample {
    double wall_s;
    double cpu_s; /* user + system: less disturbed than wall time by a busy machine */
    double peak_mb;
    int ok;
} sample;

/* Reaps pid; the sample's time runs from t0, its memory is the child's peak. */
static sample reap(pid_t pid, double t0)
{
    sample s = {0};
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return s;
    s.wall_s = bench_now_s() - t0;
    s.cpu_s = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    s.peak_mb = (double)ru.ru_maxrss / 1024.0;
    s.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return s;
}

/* futurescope: load the file, simulate under wake, free, exit. */
static sample run_fs(const char *path)
{
    double t0 = bench_now_s();
    pid_t pid = fork();
    if (pid == 0) {
        fs_scenario *sc;
        fs_run *run;
        fs_error err = {0};
        if (fs_scenario_load_file(path, &sc, &err) != FS_ERR_OK) {
            fs_error_print(&err, stderr);
            _exit(1);
        }
        fs_run_desc d = {.scenario = sc, .kind = FS_EXEC_WAKE};
        if (fs_run_simulate(&d, &run, &err) != FS_ERR_OK) {
            fs_error_print(&err, stderr);
            _exit(1);
        }
        const fs_exec_stats *st = fs_exec_get_stats(run->exec);
        int ok = st->completed == st->tasks_total;
        fs_run_free(run);
        fs_scenario_free(sc);
        _exit(ok ? 0 : 1);
    }
    return pid < 0 ? (sample){0} : reap(pid, t0);
}

/* tokio: the peer's JSON line must say its results were the expected ones. */
static sample run_peer(const char *peer, bench_workload w, long n)
{
    static const char *wl[] = {"w1", "w2", "w3"};
    char arg_n[32];
    snprintf(arg_n, sizeof arg_n, "%ld", n);
    int fd[2];
    if (pipe(fd) != 0)
        return (sample){0};
    double t0 = bench_now_s();
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDOUT_FILENO);
        execl(peer, peer, "ct", wl[w], arg_n, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char out[4096];
    size_t len = 0;
    ssize_t got;
    while ((got = read(fd[0], out + len, sizeof out - 1 - len)) > 0)
        len += (size_t)got;
    close(fd[0]);
    out[len] = '\0';
    if (pid < 0)
        return (sample){0};
    sample s = reap(pid, t0);
    s.ok = s.ok && strstr(out, "\"exact\":true") != NULL;
    return s;
}

static int by_wall(const void *a, const void *b)
{
    double x = ((const sample *)a)->wall_s, y = ((const sample *)b)->wall_s;
    return (x > y) - (x < y);
}

static int by_cpu(const void *a, const void *b)
{
    double x = ((const sample *)a)->cpu_s, y = ((const sample *)b)->cpu_s;
    return (x > y) - (x < y);
}

/* The median of each measure on its own; not ok if any run failed. */
static sample median(sample *s)
{
    sample m = {.ok = 1};
    for (int i = 0; i < REPS; i++) {
        m.ok &= s[i].ok;
        m.peak_mb = s[i].peak_mb > m.peak_mb ? s[i].peak_mb : m.peak_mb;
    }
    qsort(s, REPS, sizeof *s, by_cpu);
    m.cpu_s = s[REPS / 2].cpu_s;
    qsort(s, REPS, sizeof *s, by_wall);
    m.wall_s = s[REPS / 2].wall_s;
    return m;
}

/* Writes workload w at size n to a temporary file; 0 on failure. */
static int write_scenario(bench_workload w, long n, char *path)
{
    size_t len;
    char *text = bench_gen(w, n, &len);
    int fd = mkstemp(path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    int ok = f && fwrite(text, 1, len, f) == len;
    if (f)
        ok &= fclose(f) == 0;
    free(text);
    return ok;
}

int bench_peer_table(const bench_pair *pairs, int count)
{
    static const char *names[] = {"W1 timers", "W2 fan-in", "W3 ping-pong"};
    const char *peer = getenv("FUTURESCOPE_TOKIO_PEER");
    char resolved[4096];
    if (!peer || !*peer)
        peer = realpath(default_peer, resolved) ? resolved : default_peer;
    if (access(peer, X_OK) != 0) {
        printf("tokio peer: none at %s, side-by-side skipped (build it with the checkout's "
               "../shared/peers/tokio-mt/compare.sh, or set FUTURESCOPE_TOKIO_PEER)\n",
               peer);
        return 0;
    }
    printf("\nbeside tokio 1.24 current_thread, paused clock (%s): whole process, median of %d,\n"
           "wall and CPU (user + system) time, peak memory; ratio = tokio / futurescope\n",
           peer, REPS);
    double load[3];
    if (getloadavg(load, 3) == 3)
        printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
    printf("%-13s %8s | %-26s | %-26s | %s\n", "", "", "futurescope", "tokio", "ratio");
    printf("%-13s %8s | %8s %8s %8s | %8s %8s %8s | %6s %6s\n", "workload", "N", "wall s", "cpu s",
           "MB", "wall s", "cpu s", "MB", "wall", "cpu");
    int failed = 0;
    for (int i = 0; i < count; i++) {
        char path[] = "/tmp/fs_bench_peerXXXXXX";
        if (!write_scenario(pairs[i].w, pairs[i].n, path)) {
            printf("%-13s %9ld cannot write the scenario file\n", names[pairs[i].w], pairs[i].n);
            failed = 1;
            continue;
        }
        sample fs[REPS], tk[REPS];
        for (int r = 0; r < REPS; r++) {
            fs[r] = run_fs(path);
            tk[r] = run_peer(peer, pairs[i].w, pairs[i].n);
        }
        unlink(path);
        sample f = median(fs), t = median(tk);
        printf("%-13s %8ld | %8.3f %8.3f %8.1f | %8.3f %8.3f %8.1f | %5.2fx %5.2fx %s\n",
               names[pairs[i].w], pairs[i].n, f.wall_s, f.cpu_s, f.peak_mb, t.wall_s, t.cpu_s,
               t.peak_mb, f.wall_s > 0 ? t.wall_s / f.wall_s : 0,
               f.cpu_s > 0 ? t.cpu_s / f.cpu_s : 0, f.ok && t.ok ? "" : "FAILED");
        fflush(stdout);
        failed |= !(f.ok && t.ok);
    }
    return failed;
}
