/* bench_explore.c - explore's throughput, measured (not asserted): the
 * engine of `futurescope explore` (sim/explore.h) over one small scenario
 * for many seeds, with 1 and 2 threads. The scenario is parsed once per
 * measurement, as explore does; each measurement runs in a child process
 * so its peak memory (ru_maxrss) is its own.
 *
 *   bench/bench_explore                  seed/05 for 20,000 seeds, -j 1 and -j 2
 *   bench/bench_explore FILE SEEDS JOBS  one scenario, seeds 1..SEEDS, JOBS threads,
 *                                        in this process (for perf)
 *
 * Run it from the source tree (the default scenario's path is relative). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "explore.h"

#define DEFAULT_SCENARIO "scenarios/seed/05_several_workers.json"

typedef struct result {
    double load_s, run_s, cpu_s, peak_mb; /* cpu_s: user + system, all threads */
    uint64_t runs, ok;
    int failed; /* the scenario did not load or a run could not be simulated */
} result;

static result measure_here(const char *path, uint64_t seeds, int jobs)
{
    result r = {.failed = 1};
    fs_scenario *sc;
    fs_error err = {0};
    double t0 = bench_now_s();
    if (fs_scenario_load_file(path, &sc, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        return r;
    }
    double t1 = bench_now_s();
    fs_run_desc run = {.scenario = sc, .kind = FS_EXEC_WAKE};
    fs_explore_desc d = {.runs = &run, .n_exec = 1, .first_seed = 1, .last_seed = seeds,
                         .jobs = jobs};
    fs_explore x;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu0 = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    double t2 = bench_now_s();
    if (fs_explore_run(&d, &x, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        fs_scenario_free(sc);
        return r;
    }
    double t3 = bench_now_s();
    r.load_s = t1 - t0;
    r.run_s = t3 - t2;
    r.runs = x.n_done;
    for (uint64_t i = 0; i < x.n_kept; i++)
        r.ok += x.recs[i].done && x.recs[i].outcome == FS_OUTCOME_OK;
    r.failed = 0;
    getrusage(RUSAGE_SELF, &ru);
    r.peak_mb = (double)ru.ru_maxrss / 1024.0;
    r.cpu_s = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6 - cpu0;
    fs_explore_free(&x);
    fs_scenario_free(sc);
    return r;
}

static result measure(const char *path, uint64_t seeds, int jobs)
{
    int fd[2];
    result r = {.failed = 1};
    if (pipe(fd) != 0)
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        r = measure_here(path, seeds, jobs);
        ssize_t wr = write(fd[1], &r, sizeof r);
        _exit(wr == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    if (read(fd[0], &r, sizeof r) != (ssize_t)sizeof r)
        r = (result){.failed = 1};
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return r;
}

static void print_row(const char *path, uint64_t seeds, int jobs, const result *r)
{
    printf("%-40s %8llu %4d %9.4f %9.3f %12.0f %12.1f %9.1f %8llu%s\n", path,
           (unsigned long long)seeds, jobs, r->load_s, r->run_s,
           r->run_s > 0 ? (double)r->runs / r->run_s : 0,
           r->runs ? r->cpu_s * 1e6 / (double)r->runs : 0, r->peak_mb,
           (unsigned long long)r->ok, r->failed ? "  FAILED" : "");
}

int main(int argc, char **argv)
{
    /* As the program does (src/main.c, src/cmd_explore.c): big blocks
     * mapped, freed pages kept for the next run. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    printf("%-40s %8s %4s %9s %9s %12s %12s %9s %8s\n", "scenario", "seeds", "-j", "load s",
           "run s", "runs/s", "CPU us/run", "peak MB", "ok");
    if (argc == 4) {
        uint64_t seeds = strtoull(argv[2], NULL, 10);
        int jobs = atoi(argv[3]);
        if (seeds == 0 || jobs < 1) {
            fprintf(stderr, "usage: bench_explore [FILE SEEDS JOBS]\n");
            return 2;
        }
        result r = measure_here(argv[1], seeds, jobs);
        print_row(argv[1], seeds, jobs, &r);
        return r.failed;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_explore [FILE SEEDS JOBS]\n");
        return 2;
    }
    int failed = 0;
    for (int jobs = 1; jobs <= 2; jobs++) {
        result r = measure(DEFAULT_SCENARIO, 20000, jobs);
        print_row(DEFAULT_SCENARIO, 20000, jobs, &r);
        fflush(stdout);
        failed |= r.failed;
    }
    return failed;
}
