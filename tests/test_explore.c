/* test_explore.c - `futurescope explore` as a user meets it: outcome counts
 * and percentiles checked against `run` seed by seed, replays that
 * reproduce, the same report whatever -j, --until-failure, --save, --json,
 * exit statuses and Ctrl-C. Runs the built binary; also the percentile rule
 * of sim/explore.c directly. */
#define _XOPEN_SOURCE 700 /* posix_openpt */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explore.h"
#include "support.h"

#define RACE "tests/explore/timeout_race.json"

/* `futurescope ARGS`, its stdout parsed as JSON (the test fails if it is
 * not); *status gets the exit status. */
static cJSON *json_of(const char *args, int *status)
{
    char *out, *err;
    *status = fs_test_futurescope(args, &out, &err);
    cJSON *j = cJSON_Parse(out);
    if (!j)
        fprintf(stderr, "not JSON from %s:\n%s\n%s\n", args, out, err);
    assert_non_null(j);
    free(out);
    free(err);
    return j;
}

static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return (int64_t)v->valuedouble;
}

static const cJSON *item(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_non_null(v);
    return v;
}

/* ---- one run per seed, through `run`: what explore must agree with ---------- */

typedef struct seed_run {
    int64_t end, polls, wait;
    int outcome;
} seed_run;

static seed_run run_seed(const char *exec, int seed, const char *opts)
{
    char args[512];
    snprintf(args, sizeof args, "run " RACE " -e %s --seed %d %s --json", exec, seed, opts);
    int st;
    cJSON *j = json_of(args, &st);
    seed_run r = {.end = num(j, "end_ns"), .polls = num(j, "polls"),
                  .wait = num(j, "max_runnable_wait_ns")};
    bool stalled = cJSON_IsTrue(item(j, "stalled"));
    bool limit = !cJSON_IsNull(item(j, "limit_hit"));
    r.outcome = stalled ? FS_OUTCOME_STALLED : limit ? FS_OUTCOME_LIMIT : FS_OUTCOME_OK;
    assert_int_equal(st, r.outcome == FS_OUTCOME_OK ? 0 : 3);
    cJSON_Delete(j);
    return r;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank, written out again: the ceil(p * n / 100)-th smallest. */
static int64_t rank(int64_t *v, int n, int p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    int k = (p * n + 99) / 100;
    return v[k - 1];
}

static void check_dist(const cJSON *d, int64_t *v, int n)
{
    assert_int_equal(num(d, "p50"), rank(v, n, 50)); /* sorts v */
    assert_int_equal(num(d, "min"), v[0]);
    assert_int_equal(num(d, "p90"), rank(v, n, 90));
    assert_int_equal(num(d, "p99"), rank(v, n, 99));
    assert_int_equal(num(d, "max"), v[n - 1]);
}

/* Seeds 1..20 under wake with an 8 ms limit: every count and percentile is
 * what 20 separate `run`s give. */
static void test_counts_and_percentiles_match_run(void **state)
{
    (void)state;
    enum { N = 20 };
    int st;
    cJSON *j = json_of("explore " RACE " -e wake --seeds 1..20 --max-time 8ms --json", &st);
    assert_int_equal(st, 3);
    assert_string_equal(item(j, "type")->valuestring, "explore");
    assert_int_equal(num(j, "runs"), N);
    assert_int_equal(num(j, "runs_done"), N);
    assert_true(cJSON_IsFalse(item(j, "interrupted")));
    assert_true(cJSON_IsNull(item(j, "stopped_at_seed")));
    const cJSON *ex = cJSON_GetArrayItem(item(j, "executors"), 0);
    assert_string_equal(item(ex, "executor")->valuestring, "wake");
    assert_int_equal(num(ex, "runs"), N);

    int64_t end[N], polls[N], wait[N];
    int counts[FS_OUTCOME__COUNT] = {0};
    int lowest_failing = 0;
    for (int s = 1; s <= N; s++) {
        seed_run r = run_seed("wake", s, "--max-time 8ms");
        end[s - 1] = r.end;
        polls[s - 1] = r.polls;
        wait[s - 1] = r.wait;
        counts[r.outcome]++;
        if (r.outcome != FS_OUTCOME_OK && !lowest_failing)
            lowest_failing = s;
    }
    /* The counts, by hand once: 3 messages came after the timeout and
     * before 8 ms (seeds 1, 7, 10), 6 after 8 ms, 11 before the timeout. */
    assert_int_equal(counts[FS_OUTCOME_OK], 3);
    assert_int_equal(counts[FS_OUTCOME_STALLED], 11);
    assert_int_equal(counts[FS_OUTCOME_LIMIT], 6);
    const cJSON *oc = item(ex, "outcomes");
    assert_int_equal(num(oc, "ok"), 3);
    assert_int_equal(num(oc, "stalled"), 11);
    assert_int_equal(num(oc, "limit_hit"), 6);
    assert_int_equal(num(ex, "failing_count"), 17);

    check_dist(item(ex, "end_ns"), end, N);
    check_dist(item(ex, "polls"), polls, N);
    check_dist(item(ex, "max_runnable_wait_ns"), wait, N);
    /* ... and by hand: the 10th, 18th and 20th of the sorted end times. */
    const cJSON *e = item(ex, "end_ns");
    assert_int_equal(num(e, "min"), 1002000);
    assert_int_equal(num(e, "p50"), 5002000);
    assert_int_equal(num(e, "p90"), 8000000);
    assert_int_equal(num(e, "max"), 8000000);

    /* The histogram: 1 ms bins from 1 ms, every run in one. */
    const cJSON *h = item(ex, "histogram");
    assert_int_equal(num(h, "lo_ns"), 1000000);
    assert_int_equal(num(h, "width_ns"), 1000000);
    const cJSON *c = item(h, "counts");
    assert_int_equal(cJSON_GetArraySize(c), 8);
    static const int bins[8] = {2, 3, 3, 1, 2, 0, 3, 6};
    for (int i = 0; i < 8; i++)
        assert_int_equal(cJSON_GetArrayItem(c, i)->valueint, bins[i]);

    /* Failing runs: the lowest seeds first, at most 10. */
    const cJSON *f = item(ex, "failing");
    assert_int_equal(cJSON_GetArraySize(f), 10);
    assert_int_equal(num(cJSON_GetArrayItem(f, 0), "seed"), lowest_failing);
    assert_int_equal(num(cJSON_GetArrayItem(f, 0), "seed"), 2);
    assert_string_equal(item(cJSON_GetArrayItem(f, 0), "outcome")->valuestring, "limit_hit");
    assert_string_equal(item(cJSON_GetArrayItem(f, 0), "limit_hit")->valuestring, "time");
    assert_string_equal(item(cJSON_GetArrayItem(f, 1), "outcome")->valuestring, "stalled");
    /* Latest ends: 8 ms, ties to the lower seeds. */
    const cJSON *w = item(ex, "latest_end");
    assert_int_equal(cJSON_GetArraySize(w), 3);
    assert_int_equal(num(cJSON_GetArrayItem(w, 0), "seed"), 2);
    assert_int_equal(num(cJSON_GetArrayItem(w, 1), "seed"), 8);
    assert_int_equal(num(cJSON_GetArrayItem(w, 2), "seed"), 13);
    assert_int_equal(cJSON_GetArraySize(item(ex, "longest_wait")), 3);
    cJSON_Delete(j);
}

/* The printed replay of a failing seed gives that run again: its outcome,
 * end time and polls, with every option that shaped it. */
static void test_replay_reproduces(void **state)
{
    (void)state;
    int st;
    cJSON *j = json_of("explore " RACE " -e steal:2 --seeds 1..20 --max-time 9ms --tokio 1.24 "
                       "--tick 2ms --poll-cost-ns 500 --json", &st);
    assert_int_equal(st, 3);
    const cJSON *ex = cJSON_GetArrayItem(item(j, "executors"), 0);
    const cJSON *f = cJSON_GetArrayItem(item(ex, "failing"), 0);
    const char *replay = item(f, "replay")->valuestring;
    char want[256];
    snprintf(want, sizeof want, "futurescope run " RACE " -e steal:2 --seed %d --max-time 9ms "
             "--tokio 1.24 --tick 2ms --poll-cost-ns 500", (int)num(f, "seed"));
    assert_string_equal(replay, want);
    char view[256];
    snprintf(view, sizeof view, "futurescope view%s", replay + strlen("futurescope run"));
    assert_string_equal(item(f, "view")->valuestring, view);

    char args[300];
    snprintf(args, sizeof args, "%s --json", replay + strlen("futurescope "));
    int rst;
    cJSON *r = json_of(args, &rst);
    assert_int_equal(rst, 3);
    assert_int_equal(num(r, "end_ns"), num(f, "end_ns"));
    assert_int_equal(num(r, "polls"), num(f, "polls"));
    assert_int_equal(num(r, "max_runnable_wait_ns"), num(f, "max_runnable_wait_ns"));
    assert_true(cJSON_IsTrue(item(r, "stalled")) ==
                (strcmp(item(f, "outcome")->valuestring, "stalled") == 0));
    cJSON_Delete(r);
    cJSON_Delete(j);

    /* The text report prints the same commands. */
    char *out, *err;
    assert_int_equal(fs_test_futurescope("explore " RACE " -e wake --seeds 3..3", &out, &err), 3);
    assert_non_null(strstr(out, "\n    seed 3        stalled at 3.002 ms, longest wait 1.000 us, 4 polls\n"
                                "      futurescope run " RACE " -e wake --seed 3\n"
                                "      futurescope view " RACE " -e wake --seed 3\n"));
    free(out);
    free(err);
}

/* Issue 16's acceptance: a planted rare failure is found and its replay
 * reproduces it. timeout_when_slow's socket is slow with p = 0.01 (a
 * latency fault, drawn from the seed alone); over seeds 1..100 explore
 * finds the one seed it hits, 67, under both executors, and the replay
 * it prints fails the same way at the same time, with the fault. */
static void test_planted_rare_failure_found(void **state)
{
    (void)state;
    int st;
    cJSON *j = json_of("explore scenarios/patterns/timeout_when_slow.json -e wake,steal:2 "
                       "--seeds 1..100 --json", &st);
    assert_int_equal(st, 3);
    const cJSON *ex;
    cJSON_ArrayForEach(ex, item(j, "executors")) {
        assert_int_equal(num(item(ex, "outcomes"), "expectation_failed"), 1);
        assert_int_equal(num(item(ex, "outcomes"), "ok"), 99);
        const cJSON *f = cJSON_GetArrayItem(item(ex, "failing"), 0);
        assert_int_equal(num(f, "seed"), 67);
        assert_string_equal(item(f, "expectation")->valuestring, "no_errors");
        assert_int_equal(num(f, "faults"), 1);
        char args[300];
        snprintf(args, sizeof args, "%s --json", item(f, "replay")->valuestring + strlen("futurescope "));
        int rst;
        cJSON *r = json_of(args, &rst);
        assert_int_equal(rst, 3);
        assert_int_equal(num(r, "end_ns"), num(f, "end_ns"));
        assert_int_equal(num(r, "polls"), num(f, "polls"));
        assert_int_equal(num(item(r, "faults"), "latency"), 1);
        assert_false(cJSON_IsTrue(item(item(r, "expectations"), "met")));
        const cJSON *fail = cJSON_GetArrayItem(item(item(r, "expectations"), "failures"), 0);
        assert_string_equal(item(fail, "expect")->valuestring, "no_errors");
        cJSON_Delete(r);
    }
    cJSON_Delete(j);
}

/* Byte for byte the same report with one thread and with two, in text and
 * in JSON, over two executors. */
static void test_same_report_whatever_jobs(void **state)
{
    (void)state;
    const char *forms[] = {"", " --until-failure", " --max-time 7ms --json"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "explore " RACE " -e wake,steal:2,busy --seeds 1..120 -j 1%s", forms[i]);
        snprintf(b, sizeof b, "explore " RACE " -e wake,steal:2,busy --seeds 1..120 -j2%s", forms[i]);
        char *o1, *o2, *e1, *e2;
        assert_int_equal(fs_test_futurescope(a, &o1, &e1), 3);
        assert_int_equal(fs_test_futurescope(b, &o2, &e2), 3);
        assert_true(strlen(o1) > 500);
        assert_string_equal(o1, o2);
        assert_string_equal(e1, ""); /* no progress: stderr is not a terminal */
        assert_string_equal(e2, "");
        free(o1);
        free(o2);
        free(e1);
        free(e2);
    }
}

/* --until-failure ends the report at the lowest seed any executor fails,
 * with every executor of that seed, whatever -j. */
static void test_until_failure_lowest_seed(void **state)
{
    (void)state;
    /* From seed 21 on, the first failing seed, found by `run`. */
    int lowest = 0;
    for (int s = 21; !lowest; s++) {
        assert_true(s < 60);
        if (run_seed("wake", s, "").outcome != FS_OUTCOME_OK ||
            run_seed("steal:2", s, "").outcome != FS_OUTCOME_OK)
            lowest = s;
    }
    for (int jobs = 1; jobs <= 2; jobs++) {
        char args[256];
        snprintf(args, sizeof args, "explore " RACE " -e wake,steal:2 --seeds 21..100000 "
                 "--until-failure -j %d --json", jobs);
        int st;
        cJSON *j = json_of(args, &st);
        assert_int_equal(st, 3);
        assert_int_equal(num(j, "stopped_at_seed"), lowest);
        assert_int_equal(num(j, "runs"), 2 * 99980);
        assert_int_equal(num(j, "runs_done"), 2 * (lowest - 21 + 1));
        const cJSON *ex = item(j, "executors");
        int failing = 0;
        for (int e = 0; e < 2; e++) {
            assert_int_equal(num(cJSON_GetArrayItem(ex, e), "runs"), lowest - 21 + 1);
            const cJSON *f = item(cJSON_GetArrayItem(ex, e), "failing");
            for (int i = 0; i < cJSON_GetArraySize(f); i++) {
                assert_int_equal(num(cJSON_GetArrayItem(f, i), "seed"), lowest);
                failing++;
            }
        }
        assert_true(failing >= 1);
        cJSON_Delete(j);
    }
    char *out, *err;
    assert_int_equal(fs_test_futurescope("explore " RACE " --seeds 1..9 --until-failure", &out, &err), 3);
    assert_non_null(strstr(out, "\nstopped    at the first failure, seed 3 (--until-failure): 3 runs done\n"));
    free(out);
    free(err);
}

/* Exit 0 when every run is ok, 3 when one is not, 2 for bad usage. */
static void test_exit_statuses(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("explore scenarios/seed/02_together.json -e wake,steal:2 "
                                         "--seeds 1..50", &out, &err), 0);
    assert_non_null(strstr(out, "wake: 50 runs: 50 ok, 0 stalled, 0 limit hit\n"));
    assert_non_null(strstr(out, "steal:2: 50 runs: 50 ok, 0 stalled, 0 limit hit\n"));
    assert_null(strstr(out, "failing runs"));
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("explore " RACE " --seeds 1..4", &out, &err), 3);
    free(out);
    free(err);

    static const struct {
        const char *args, *msg;
    } bad[] = {
        {"explore " RACE, "which seeds? give --seeds A..B"},
        {"explore " RACE " --seeds 5..1", "--seeds expects A..B"},
        {"explore " RACE " --seeds a..b", "--seeds expects A..B"},
        {"explore " RACE " --seeds 1..", "--seeds expects A..B"},
        {"explore " RACE " --seeds 0..9007199254740993", "--seeds expects A..B"},
        {"explore " RACE " --seeds 1..2 --seed 3", "explore takes --seeds A..B, not --seed"},
        {"explore " RACE " --seeds 1..2 -e nope", "unknown executor 'nope'"},
        {"explore " RACE " --seeds 1..2 -o t.jsonl", "-o, --chrome and --max-chrome belong to run"},
        {"explore " RACE " --seeds 1..2 --screenshot a.png", "--screenshot belongs to view"},
        {"explore " RACE " --seeds 1..2 -j 0", "-j expects an integer 1..1024"},
        {"explore " RACE " --seeds 1..2 -j0", "-j expects an integer 1..1024"},
        {"explore " RACE " --seeds 0..1000000", "0..1000000 under 1 executor is more than 1,000,000 runs"},
        {"explore " RACE " --seeds 1..6 -e wake,busy --max-runs 10", "more than 10 runs"},
        {"explore " RACE " --seeds 1..2 --max-runs 10000001", "--max-runs expects an integer 1..10000000"},
        {"explore " RACE " " RACE " --seeds 1..2", "expected one scenario file, got 2"},
        {"explore " RACE " --seeds 1..2 --bogus", "unknown option '--bogus'"},
        {"explore " RACE " --seeds 1..2 -e busy --poll-cost-ns 0", "busy needs a poll cost above 0 ns"},
        {"explore tests/bad_scenarios/arrival_both.json --seeds 1..2",
         "arrival_both.json:1:69: resources.a.arrivals[0]: an arrival takes one of"},
        {"explore tests/explore/missing.json --seeds 1..2", "missing.json"},
        {"explore " RACE " --seeds 1..2 --save " RACE, "not a folder"},
        {"explore " RACE " --seeds 1..2 --plot", "option --plot needs a value"},
        {"explore " RACE " --seeds 1..2 --plot ''", "option --plot needs a file name, got ''"},
        {"explore " RACE " --seeds 1..2 --plot -", "--plot -: stdout holds the report"},
        {"explore " RACE " --seeds 1..2 --plot " RACE,
         "--plot " RACE " is the same file as the input " RACE},
        {"explore " RACE " --seeds 1..2 --plot no/such/folder/x.png",
         "no/such/folder/x.png: cannot write: No such file or directory"},
        {"explore " RACE " --seeds 1..2 --plot tests", "tests: cannot write: Is a directory"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int st = fs_test_futurescope(bad[i].args, &out, &err);
        if (st != 2 || !strstr(err, bad[i].msg))
            fprintf(stderr, "%s: exit %d, stderr %s", bad[i].args, st, err);
        assert_int_equal(st, 2);
        assert_non_null(strstr(err, bad[i].msg));
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
    assert_int_equal(fs_test_futurescope("explore --help", &out, &err), 0);
    assert_non_null(strstr(out, "usage: futurescope explore SCENARIO --seeds A..B"));
    free(out);
    free(err);
}

/* --save writes each listed run's trace once, the same bytes `run -o`
 * writes for that seed; an input is never overwritten. */
static void test_save_traces(void **state)
{
    (void)state;
    char args[1024];
    char dir[256];
    snprintf(dir, sizeof dir, "%s", fs_test_scratch_path("saved"));
    snprintf(args, sizeof args, "explore " RACE " -e wake,steal:2 --seeds 1..4 --save %s --json", dir);
    int st;
    cJSON *j = json_of(args, &st);
    assert_int_equal(st, 3);
    /* wake: 1, 2 ok, 3, 4 stalled: failing 3, 4; latest 2, 1, 3 (3 and 4
     * end at 3.002 ms: the lower seed first); longest wait 1, 2, 3. */
    const cJSON *ex = cJSON_GetArrayItem(item(j, "executors"), 0);
    const cJSON *f = item(ex, "failing");
    assert_int_equal(cJSON_GetArraySize(f), 2);
    char want[512];
    snprintf(want, sizeof want, "%s/wake-seed-3.jsonl", dir);
    assert_string_equal(item(cJSON_GetArrayItem(f, 0), "trace")->valuestring, want);
    cJSON_Delete(j);
    static const char *const files[] = {"wake-seed-1", "wake-seed-2", "wake-seed-3", "wake-seed-4",
                                        "steal-2-seed-1", "steal-2-seed-2", "steal-2-seed-3",
                                        "steal-2-seed-4"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512], *saved, *direct, *out;
        snprintf(path, sizeof path, "%s/%s.jsonl", dir, files[i]);
        saved = fs_test_read_file(path, NULL);
        assert_non_null(saved);
        const char *exec = files[i][0] == 'w' ? "wake" : "steal:2";
        const char *seed = strrchr(files[i], '-') + 1;
        snprintf(args, sizeof args, "run " RACE " -e %s --seed %s -o %s", exec, seed,
                 fs_test_scratch_path("direct.jsonl"));
        fs_test_futurescope(args, &out, NULL);
        direct = fs_test_read_file(fs_test_scratch_path("direct.jsonl"), NULL);
        assert_non_null(direct);
        assert_string_equal(saved, direct);
        free(saved);
        free(direct);
        free(out);
    }
    /* Nothing else in the folder: no temporary file left. */
    snprintf(args, sizeof args, "ls %s | wc -l", dir);
    char *out;
    assert_int_equal(fs_test_run(args, &out, NULL), 0);
    assert_int_equal(atoi(out), 8);
    free(out);

    /* --max-trace bounds the saved traces: the run stops at the trace limit. */
    snprintf(args, sizeof args, "explore " RACE " --seeds 3..3 --save %s --max-trace 300",
             fs_test_scratch_path("small"));
    assert_int_equal(fs_test_futurescope(args, &out, NULL), 3);
    assert_non_null(strstr(out, " --max-trace 300\n"));
    free(out);
    char *small = fs_test_read_file(fs_test_scratch_path("small/wake-seed-3.jsonl"), NULL);
    assert_non_null(small);
    assert_non_null(strstr(small, "\"limit_hit\":\"trace\""));
    free(small);

    /* A trace that would overwrite the scenario is refused (exit 2). */
    mkdir(fs_test_scratch_path("in"), 0777);
    char cp[1024];
    snprintf(cp, sizeof cp, "cp '%s/" RACE "' '%s'", FS_SOURCE_DIR,
             fs_test_scratch_path("in/wake-seed-3.jsonl"));
    assert_int_equal(fs_test_run(cp, NULL, NULL), 0);
    char *err;
    snprintf(args, sizeof args, "explore %s --seeds 3..3 --save %s",
             fs_test_scratch_path("in/wake-seed-3.jsonl"), fs_test_scratch_path("in"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "is the same file as the input"));
    char *kept = fs_test_read_file(fs_test_scratch_path("in/wake-seed-3.jsonl"), NULL);
    assert_non_null(strstr(kept, "\"timeout race\""));
    free(kept);
    free(out);
    free(err);
}

/* SIGINT: the runs under way finish, the report so far is printed with its
 * replays, and the status is 130. Its stderr is a terminal (a pty), so
 * explore shows its progress there: the signal goes once that says some
 * runs are done. */
static void test_sigint_prints_report(void **state)
{
    (void)state;
    const char *report = fs_test_scratch_path("interrupted.txt");
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char pts[128];
    snprintf(pts, sizeof pts, "%s", ptsname(master));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(report, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int tty = open(pts, O_RDWR | O_NOCTTY);
        dup2(fd, 1);
        dup2(tty, 2);
        signal(SIGINT, SIG_DFL); /* not inherited as ignored */
        execl(FS_BINARY, FS_BINARY, "explore", FS_SOURCE_DIR "/" RACE, "--seeds", "1..1000000",
              "-j", "1", (char *)NULL);
        _exit(127);
    }
    /* The progress line: "\rexplore: N of 1,000,000 runs done, K not ok...". */
    char seen[8192];
    size_t len = 0;
    bool running = false, sent = false;
    for (;;) {
        ssize_t n = read(master, seen + len, sizeof seen - 1 - len);
        if (n <= 0)
            break; /* EIO: the program ended */
        len += (size_t)n;
        seen[len] = '\0';
        const char *p = strstr(seen, "explore: ");
        running = running || (p && strstr(p, " of 1,000,000 runs done") && atoll(p + 9) > 0);
        if (running && !sent) {
            kill(pid, SIGINT);
            sent = true;
        }
        if (len > sizeof seen / 2) { /* keep the tail */
            memmove(seen, seen + len - 64, 64);
            len = 64;
        }
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    close(master);
    assert_true(sent);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 130);
    char *out = fs_test_read_file(report, NULL);
    assert_non_null(out);
    assert_null(strstr(out, "runs done")); /* progress stays on stderr */
    assert_non_null(strstr(out, "\ninterrupted after "));
    assert_non_null(strstr(out, " of 1,000,000 runs: the figures are of those\n"));
    assert_non_null(strstr(out, "\n  failing runs: "));
    assert_non_null(strstr(out, "      futurescope run " FS_SOURCE_DIR "/" RACE " -e wake --seed 3\n"));
    free(out);
}

/* The percentile rule itself: nearest rank. */
static void test_nearest_rank(void **state)
{
    (void)state;
    int64_t v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i + 1;
    fs_explore_dist d = fs_explore_dist_of(v, 100);
    assert_int_equal(d.min, 1);
    assert_int_equal(d.p50, 50);
    assert_int_equal(d.p90, 90);
    assert_int_equal(d.p99, 99);
    assert_int_equal(d.max, 100);
    d = fs_explore_dist_of(v, 3); /* 1 2 3: ranks 2, 3, 3 */
    assert_int_equal(d.p50, 2);
    assert_int_equal(d.p90, 3);
    assert_int_equal(d.p99, 3);
    d = fs_explore_dist_of(v, 1);
    assert_int_equal(d.min, 1);
    assert_int_equal(d.p99, 1);
    assert_int_equal(d.max, 1);
}

/* ---- faults ------------------------------------------------------------------ */

#define FLAKY "tests/explore/flaky_socket.json"

/* Each run's record counts the faults that fired in it and their kinds,
 * the same as `run` says for that seed; per executor the report counts the
 * runs in which a fault fired, of each kind and among those not ok, in the
 * text and in --json, the same bytes whatever -j. A scenario without
 * faults has none of it. */
static void test_fault_counts(void **state)
{
    (void)state;
    static const char *const kinds[] = {"latency", "fail", "hang", "reset"};
    const char *sweep = "explore " FLAKY " -e wake,steal:2 --seeds 1..25";
    char args[512];
    snprintf(args, sizeof args, "%s -j 2 --json", sweep);
    int st;
    cJSON *j = json_of(args, &st);
    assert_int_equal(st, 3);
    assert_true(cJSON_IsTrue(item(j, "faults")));
    const cJSON *fields = item(j, "record_fields");
    assert_int_equal(cJSON_GetArraySize(fields), 10);
    assert_string_equal(cJSON_GetArrayItem(fields, 8)->valuestring, "faults");
    assert_string_equal(cJSON_GetArrayItem(fields, 9)->valuestring, "fault_kinds");
    int64_t runs[2] = {0}, by_kind[2][4] = {{0}}, not_ok[2] = {0};
    int kinds_seen = 0, not_ok_seen = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, item(j, "records")) {
        int seed = cJSON_GetArrayItem(rec, 0)->valueint;
        const char *exec = cJSON_GetArrayItem(rec, 1)->valuestring;
        int e = strcmp(exec, "wake") == 0 ? 0 : 1;
        bool ok = strcmp(cJSON_GetArrayItem(rec, 2)->valuestring, "ok") == 0;
        int64_t fired = (int64_t)cJSON_GetArrayItem(rec, 8)->valuedouble;
        const cJSON *fk = cJSON_GetArrayItem(rec, 9);
        /* what `run` says for the same seed and executor */
        char ra[256];
        snprintf(ra, sizeof ra, "run " FLAKY " -e %s --seed %d --json", exec, seed);
        int rst;
        cJSON *r = json_of(ra, &rst);
        const cJSON *rf = item(r, "faults");
        assert_int_equal(fired, num(rf, "fired"));
        assert_int_equal(rst, ok ? 0 : 3);
        int n_kinds = 0;
        for (int k = 0; k < 4; k++) {
            bool listed = false;
            const cJSON *name;
            cJSON_ArrayForEach(name, fk)
                listed = listed || strcmp(name->valuestring, kinds[k]) == 0;
            assert_int_equal(listed, num(rf, kinds[k]) > 0);
            by_kind[e][k] += listed;
            n_kinds += listed;
        }
        assert_int_equal(cJSON_GetArraySize(fk), n_kinds);
        cJSON_Delete(r);
        runs[e] += fired > 0;
        not_ok[e] += fired > 0 && !ok;
        kinds_seen |= n_kinds > 1;
        not_ok_seen |= fired > 0 && !ok;
    }
    assert_true(kinds_seen && not_ok_seen); /* the sweep shows what it counts */
    assert_true(runs[0] > 0 && runs[0] < 25);
    const cJSON *ex;
    int e = 0;
    cJSON_ArrayForEach(ex, item(j, "executors")) {
        const cJSON *f = item(ex, "faults");
        assert_int_equal(num(f, "runs"), runs[e]);
        assert_int_equal(num(f, "not_ok"), not_ok[e]);
        for (int k = 0; k < 4; k++)
            assert_int_equal(num(f, kinds[k]), by_kind[e][k]);
        const cJSON *listed;
        cJSON_ArrayForEach(listed, item(ex, "failing"))
            assert_true(num(listed, "faults") >= 0);
        e++;
    }
    assert_int_equal(e, 2);
    cJSON_Delete(j);

    /* the text: the same counts, and each listed run's faults */
    snprintf(args, sizeof args, "%s -j 2", sweep);
    char *text = fs_test_futurescope_out(args, 3);
    char line[256];
    snprintf(line, sizeof line, "\nwake: 25 runs: ");
    assert_non_null(strstr(text, line));
    for (e = 0; e < 2; e++) {
        snprintf(line, sizeof line, "\n  faults: fired in %lld runs (latency %lld, fail %lld, "
                 "hang %lld, reset %lld, pause 0), %lld of them not ok\n", (long long)runs[e],
                 (long long)by_kind[e][0], (long long)by_kind[e][1], (long long)by_kind[e][2],
                 (long long)by_kind[e][3], (long long)not_ok[e]);
        assert_non_null(strstr(text, line));
    }
    assert_true(strstr(text, " polls, 1 fault\n") || strstr(text, " faults\n"));
    /* -j 1: the same bytes, text and JSON */
    snprintf(args, sizeof args, "%s -j 1", sweep);
    char *text1 = fs_test_futurescope_out(args, 3);
    assert_string_equal(text1, text);
    snprintf(args, sizeof args, "%s -j 1 --json", sweep);
    char *json1 = fs_test_futurescope_out(args, 3);
    snprintf(args, sizeof args, "%s -j 2 --json", sweep);
    char *json2 = fs_test_futurescope_out(args, 3);
    assert_string_equal(json1, json2);
    free(text);
    free(text1);
    free(json1);
    free(json2);

    /* no faults declared: no fault counts anywhere */
    char *plain = fs_test_futurescope_out("explore " RACE " --seeds 1..5 --json", 3);
    assert_non_null(strstr(plain, "\"expect\":false,\"faults\":false,"));
    assert_null(strstr(plain, "\"faults\":{"));
    assert_non_null(strstr(plain, "\"max_runnable_wait_ns\",\"polls\"],"));
    free(plain);
    plain = fs_test_futurescope_out("explore " RACE " --seeds 1..5", 3);
    assert_null(strstr(plain, "fault"));
    free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nearest_rank),
        cmocka_unit_test(test_counts_and_percentiles_match_run),
        cmocka_unit_test(test_replay_reproduces),
        cmocka_unit_test(test_planted_rare_failure_found),
        cmocka_unit_test(test_same_report_whatever_jobs),
        cmocka_unit_test(test_until_failure_lowest_seed),
        cmocka_unit_test(test_exit_statuses),
        cmocka_unit_test(test_save_traces),
        cmocka_unit_test(test_sigint_prints_report),
        cmocka_unit_test(test_fault_counts),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
