/* bench.c - futurescope's speed and memory, measured (not asserted).
 *
 *   W1 timers:    N tasks, each 10 sequential sleeps uniform [1, 1000] ms
 *   W2 fan-in:    one task joins N sleeps uniform [1, 2000] ms
 *   W3 ping-pong: N/2 pairs over two capacity-1 channels, 100 round trips
 * all with poll_cost_ns 0 under `wake`, plus W1 with its trace written to a
 * file (trace lines written per second) and read back into the viewer's
 * model (lines loaded per second), and the load time of each scenario. Each measurement runs in a child
 * process so its peak memory (ru_maxrss) is its own.
 *
 *   bench/bench            the table for N = 10k, 100k, 1M
 *   bench/bench --quick    N = 1000 only: a sanity run (CI), no thresholds
 *   bench/bench --peer     only the table beside tokio's paused-clock peer
 *                          (bench_peer.c), which the two above end with
 *   bench/bench W1 100000  one workload (W1 W2 W3 trace load) at one size, in this
 *                          process (for perf; `load` first writes the trace to read);
 *                          `--interpret` after N: no compiled futures (before/after) */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"
#include "trace_reader.h"

typedef struct result {
    double load_s, run_s;
    double peak_mb;
    int64_t events;      /* what the workload counts: completions or messages */
    int64_t end_ns;
    int64_t polls;
    int ok;
} result;

/* ---- workload generators (JSON text, as a user would write it) ----------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? b->cap * 2 : 1 << 16;
        b->p = realloc(b->p, b->cap);
    }
}

static char *gen_w1(long n, size_t *len)
{
    buf b = {0};
    put(&b, "{\"name\":\"W1 timers\",\"seed\":1,\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\","
            "\"count\":%ld,\"future\":{\"repeat\":10,\"do\":{\"sleep_ms\":{\"uniform\":[1,1000]}}}}]}",
        n);
    *len = b.len;
    return b.p;
}

static char *gen_w2(long n, size_t *len)
{
    buf b = {0};
    put(&b, "{\"name\":\"W2 fan-in\",\"seed\":2,\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"join\","
            "\"future\":{\"join\":[");
    for (long i = 0; i < n; i++)
        put(&b, "%s{\"sleep_ms\":{\"uniform\":[1,2000]}}", i ? "," : "");
    put(&b, "]}}]}");
    *len = b.len;
    return b.p;
}

static char *gen_w3(long n, size_t *len)
{
    buf b = {0};
    put(&b, "{\"name\":\"W3 ping-pong\",\"seed\":3,\"poll_cost_ns\":0,\"resources\":{");
    for (long i = 0; i < n / 2; i++)
        put(&b, "%s\"a%ld\":{\"type\":\"channel\"},\"b%ld\":{\"type\":\"channel\"}", i ? "," : "", i, i);
    put(&b, "},\"tasks\":[");
    for (long i = 0; i < n / 2; i++)
        put(&b, "%s{\"name\":\"ping%ld\",\"future\":{\"repeat\":100,\"do\":{\"seq\":[{\"send\":\"a%ld\"},"
                "{\"recv\":\"b%ld\"}]}}},{\"name\":\"pong%ld\",\"future\":{\"repeat\":100,\"do\":"
                "{\"seq\":[{\"recv\":\"a%ld\"},{\"send\":\"b%ld\"}]}}}",
            i ? "," : "", i, i, i, i, i, i);
    put(&b, "]}");
    *len = b.len;
    return b.p;
}

char *bench_gen(bench_workload w, long n, size_t *len)
{
    return w == BENCH_W2 ? gen_w2(n, len) : w == BENCH_W3 ? gen_w3(n, len) : gen_w1(n, len);
}

/* ---- one measurement, in a child process --------------------------------- */

typedef enum { W1, W2, W3, W1_TRACE, LOAD } workload;
static const char *names[] = {"W1 timers", "W2 fan-in", "W3 ping-pong", "W1 + trace", "trace load"};
static const char *units[] = {"timers/s", "futures/s", "messages/s", "lines/s", "lines/s"};
static char trace_path[] = "/tmp/fs_bench_traceXXXXXX";
static bool interpret; /* --interpret: every future interpreted (sim/world/program.h) */

/* Lines in a file. */
static int64_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int64_t n = 0;
    int c;
    if (!f)
        return 0;
    while ((c = getc_unlocked(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* Reads the trace W1_TRACE wrote (same N) back into the viewer's model. */
static result measure_load(void)
{
    result r = {0};
    fs_trace *tr;
    fs_error err = {0};
    double t0 = bench_now_s();
    if (fs_trace_read_file(trace_path, &tr, &err) != FS_ERR_OK) {
        fs_trace_error_print(&err, stderr);
        return r;
    }
    r.run_s = bench_now_s() - t0;
    r.events = (int64_t)tr->lines;
    r.end_ns = tr->summary.end_ns;
    r.ok = 1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    r.peak_mb = (double)ru.ru_maxrss / 1024.0;
    fs_trace_free(tr);
    return r;
}

static result measure_here(workload w, long n)
{
    result r = {0};
    if (w == LOAD)
        return measure_load();
    size_t len;
    char *text = bench_gen((bench_workload)w, n, &len); /* W1, W2, W3 are the first three */
    fs_scenario *sc;
    fs_error err = {0};
    double t0 = bench_now_s();
    if (fs_scenario_load_text(text, len, "bench.json", &sc, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        return r;
    }
    double t1 = bench_now_s();
    free(text);
    FILE *trace = NULL;
    if (w == W1_TRACE)
        trace = fopen(trace_path, "w");
    fs_run *run;
    fs_run_desc d = {.scenario = sc, .kind = FS_EXEC_WAKE, .trace = trace, .interpret = interpret};
    double t2 = bench_now_s();
    if (fs_run_simulate(&d, &run, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        return r;
    }
    double t3 = bench_now_s();
    const fs_exec_stats *s = fs_exec_get_stats(run->exec);
    r.load_s = t1 - t0;
    r.run_s = t3 - t2;
    r.end_ns = s->end_ns;
    r.polls = s->polls;
    r.ok = s->completed == s->tasks_total;
    switch (w) {
    case W1: r.events = 10 * n; break;
    case W2: r.events = n; break;
    case W3: r.events = (n / 2) * 100 * 2; break;
    case W1_TRACE: break; /* lines, counted once the file is closed */
    case LOAD: break;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    r.peak_mb = (double)ru.ru_maxrss / 1024.0;
    if (trace) {
        fclose(trace);
        r.events = count_lines(trace_path);
    }
    fs_run_free(run);
    fs_scenario_free(sc);
    return r;
}

static result measure(workload w, long n)
{
    int fd[2];
    result r = {0};
    if (pipe(fd) != 0)
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        r = measure_here(w, n);
        ssize_t wr = write(fd[1], &r, sizeof r);
        _exit(wr == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    if (read(fd[0], &r, sizeof r) != (ssize_t)sizeof r)
        memset(&r, 0, sizeof r);
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return r;
}

int main(int argc, char **argv)
{
    mallopt(M_MMAP_THRESHOLD, 1 << 20); /* as the program does (src/main.c) */
    if (argc == 3 || argc == 4) { /* one workload, one size, here: for a profiler */
        interpret = argc == 4 && strcmp(argv[3], "--interpret") == 0;
        static const char *keys[] = {"W1", "W2", "W3", "trace", "load"};
        int w = -1;
        for (int i = 0; i < 5; i++)
            if (strcmp(argv[1], keys[i]) == 0)
                w = i;
        long n = strtol(argv[2], NULL, 10);
        if (w < 0 || n <= 0 || (argc == 4 && !interpret)) {
            fprintf(stderr, "usage: bench [--quick | --peer | W1|W2|W3|trace|load N [--interpret]]\n");
            return 2;
        }
        int fd = mkstemp(trace_path);
        if (fd < 0)
            return 1;
        close(fd);
        if (w == LOAD) /* the trace to load: W1's at this size */
            measure(W1_TRACE, n);
        result r = measure_here((workload)w, n);
        unlink(trace_path);
        printf("%s N=%ld: run %.3f s, %.0f %s, peak %.1f MB\n", names[w], n, r.run_s,
               r.run_s > 0 ? (double)r.events / r.run_s : 0, units[w], r.peak_mb);
        return !r.ok;
    }
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    /* side by side with tokio: the sizes, or N = 1000 for --quick */
    static const bench_pair peer_full[] = {{BENCH_W1, 100000}, {BENCH_W2, 100000},
                                           {BENCH_W3, 100000}, {BENCH_W1, 1000000}};
    static const bench_pair peer_quick[] = {{BENCH_W1, 1000}, {BENCH_W2, 1000}, {BENCH_W3, 1000}};
    if (argc > 1 && strcmp(argv[1], "--peer") == 0) /* that table alone */
        return bench_peer_table(peer_full, 4);
    long sizes_full[] = {10000, 100000, 1000000}, sizes_quick[] = {1000};
    long *sizes = quick ? sizes_quick : sizes_full;
    int n_sizes = quick ? 1 : 3;
    printf("%-13s %9s %9s %9s %14s %-11s %9s %12s %s\n", "workload", "N", "load s", "run s",
           "throughput", "", "peak MB", "sim end", "");
    int failed = 0;
    int fd = mkstemp(trace_path);
    if (fd < 0)
        return 1;
    close(fd);
    for (int w = 0; w < 5; w++) {
        for (int i = 0; i < n_sizes; i++) {
            /* the trace of W1 at 1M tasks is tens of GB: written and read at up to 100k */
            if ((w == W1_TRACE || w == LOAD) && sizes[i] > 100000)
                continue;
            if (w == LOAD) /* read the trace W1 + trace wrote at this size */
                measure(W1_TRACE, sizes[i]);
            result r = measure((workload)w, sizes[i]);
            double rate = r.run_s > 0 ? (double)r.events / r.run_s : 0;
            printf("%-13s %9ld %9.3f %9.3f %14.0f %-11s %9.1f %10.3f s %s\n", names[w], sizes[i],
                   r.load_s, r.run_s, rate, units[w], r.peak_mb, (double)r.end_ns / 1e9,
                   r.ok ? "" : "FAILED");
            fflush(stdout);
            failed |= !r.ok;
        }
    }
    unlink(trace_path);
    failed |= quick ? bench_peer_table(peer_quick, 3) : bench_peer_table(peer_full, 4);
    return failed;
}
