/* test_cli.c - the futurescope program as a user meets it: exit statuses,
 * error lines, output files, --json. Runs the built binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(fs_test_scratch_path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_run_wake_json(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e wake --json", &out, &err), 0);
    assert_non_null(strstr(out, "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,"
                                "\"end_ns\":2000002000,\"tasks_total\":2,\"completed\":2,"
                                "\"stalled\":false,\"time_limit_hit\":false,\"poll_limit_hit\":false,\"limit_hit\":null,\"polls\":4,"
                                "\"pending_polls\":2,\"ready_polls\":2,\"wasted_polls\":0,"));
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_compare_table(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("compare scenarios/seed/03_busy_vs_wake.json -e busy,wake", &out, &err), 0);
    assert_non_null(strstr(out, "executor        end time           polls    wasted polls   cpu busy"));
    assert_non_null(strstr(out, "\nbusy             2.000 s       2,000,002       1,999,998     100.0%"));
    assert_non_null(strstr(out, "\nwake             2.000 s               4               0"));
    free(out);
    free(err);
}

static void test_lost_waker_stalls_wake_not_busy(void **state)
{
    (void)state;
    char *out, *err;
    const char *trace = fs_test_scratch_path("lost.jsonl");
    char args[1024];
    snprintf(args, sizeof args, "run scenarios/patterns/lost_waker.json -e wake -o %s", trace);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 3);
    assert_non_null(strstr(out, "STALLED"));
    assert_non_null(strstr(out, "task #0 forgetful: pending on read a, no waker registered anywhere (lost waker)"));
    free(out);
    free(err);
    /* the trace is written all the same, and says so */
    char *t = fs_test_read_file(trace, NULL);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"type\":\"stall\",\"tasks\":[{\"task\":0,\"name\":\"forgetful\""));
    assert_non_null(strstr(t, "\"stalled\":true"));
    free(t);
    assert_int_equal(fs_test_futurescope("run scenarios/patterns/lost_waker.json -e busy", &out, &err), 0);
    free(out);
    free(err);
}

/* Each bad file: exit 2, one exact line on stderr, no trace file. */
static void test_bad_scenarios(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *line;
    } cases[] = {
        {"unknown_key.json", "{\"nmae\":\"x\",\"tasks\":[]}",
         "unknown_key.json:1:2: (root): unknown key \"nmae\" (expected one of: name, description, seed, poll_cost_ns, resources, futures, tasks, expect, worker_faults, $schema)\n"},
        {"unknown_res.json", "{\"name\":\"x\",\"tasks\":[\n  {\"name\":\"t\",\"future\":{\"read\":\"sock_c\"}}]}",
         "unknown_res.json:2:32: tasks[0].future.read: unknown resource \"sock_c\"\n"},
        {"wrong_type.json", "{\"tasks\":[{\"name\":\"t\",\"future\":{\"sleep_ms\":\"10\"}}]}",
         "wrong_type.json:1:44: tasks[0].future.sleep_ms: expected an integer number of milliseconds, got a string\n"},
        {"truncated.json", "{\"tasks\":[{\"name\":\"t\",",
         "truncated.json:1:23: tasks[0]: unexpected end of file\n"},
        {"empty.json", "",
         "empty.json:1:1: (root): empty file, expected a JSON object\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(cases[i].name, cases[i].text);
        char cmd[2048], *out, *err;
        snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run %s -o out.jsonl", fs_test_scratch_dir(), FS_BINARY,
                 cases[i].name);
        assert_int_equal(fs_test_run(cmd, &out, &err), 2);
        assert_string_equal(err, cases[i].line);
        assert_string_equal(out, "");
        assert_int_equal(access(fs_test_scratch_path("out.jsonl"), F_OK), -1);
        free(out);
        free(err);
    }
}

static void test_usage_errors(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e turbo", &out, &err), 2);
    assert_string_equal(err, "futurescope run: unknown executor 'turbo' (expected blocking, busy, wake or steal:N with N 1..64) (see futurescope run --help)\n");
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e busy --poll-cost-ns 0", &out, &err), 2);
    assert_non_null(strstr(err, "busy needs a poll cost above 0 ns"));
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("run", &out, &err), 2);
    free(out);
    free(err);
    /* --hand-over takes one or two probabilities, at most three decimals */
    static const char *const bad_hand_overs[] = {"1.5", "0.65,", "0.1234", "-0.5", "0.5,0.5,0.5", ".5", "2"};
    for (size_t i = 0; i < sizeof bad_hand_overs / sizeof *bad_hand_overs; i++) {
        char cmd[160];
        snprintf(cmd, sizeof cmd, "run scenarios/seed/03_busy_vs_wake.json -e steal:2 --hand-over %s",
                 bad_hand_overs[i]);
        assert_int_equal(fs_test_futurescope(cmd, &out, &err), 2);
        assert_non_null(strstr(err, "--hand-over expects P or P,Q, probabilities from 0 to 1"));
        free(out);
        free(err);
    }
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e steal:2 "
                                         "--hand-over 0.65,1.0 --idle-wake 60us -o -",
                                         &out, &err), 0);
    assert_non_null(strstr(out, "\"hand_over_turn_pm\":650,\"hand_over_other_pm\":1000,"
                                "\"idle_wake_ns\":60000,"));
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("frobnicate", &out, &err), 2);
    assert_non_null(strstr(err, "unknown command 'frobnicate'"));
    free(out);
    free(err);
    assert_int_equal(fs_test_futurescope("run --help", &out, &err), 0);
    assert_non_null(strstr(out, "usage: futurescope run SCENARIO"));
    free(out);
    free(err);
}

static void test_time_limit_exit_3(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e busy --max-time 1s --json", &out, &err), 3);
    assert_non_null(strstr(out, "\"end_ns\":1000000000,"));
    assert_non_null(strstr(out, "\"time_limit_hit\":true"));
    free(out);
    free(err);
}

/* A run that would go on for a very long time stops at --max-polls. */
static void test_poll_limit_exit_3(void **state)
{
    (void)state;
    char *out, *err;
    write_file("spin.json", "{\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\",\"future\":"
                            "{\"repeat\":1000000000,\"do\":{\"yield\":true}}}]}");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-polls 1000", FS_BINARY, fs_test_scratch_path("spin.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "POLL LIMIT: 0 of 1 tasks completed"));
    assert_non_null(strstr(out, "poll limit: stopped after 1,000 polls"));
    assert_non_null(strstr(out, "task #0 t: at yield"));
    free(out);
    free(err);
}

/* A limit with thousands of tasks unfinished names a screenful of them and
 * counts the rest, rather than printing a line for each. */
static void test_unfinished_listing_capped(void **state)
{
    (void)state;
    char *out, *err;
    write_file("many.json", "{\"tasks\":[{\"name\":\"t\",\"future\":{\"join_set\":"
                            "{\"name\":\"s\",\"count\":1000,\"future\":{\"sleep_ms\":5000}}}}]}");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-time 1s", FS_BINARY, fs_test_scratch_path("many.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TIME LIMIT: 0 of 1001 tasks completed"));
    assert_non_null(strstr(out, "\n  task #0 t: at join_set s\n"));
    assert_non_null(strstr(out, "\n  task #29 t/s#28: at sleep 5000ms\n  and 971 more tasks not completed\n"));
    assert_null(strstr(out, "task #30 "));
    free(out);
    free(err);
}

/* A repeat of spawns stops at --max-tasks (memory would run out first at
 * the default scale): exit 3, named in the summary and in --json. */
static void test_task_limit_exit_3(void **state)
{
    (void)state;
    char *out, *err;
    write_file("spawns.json", "{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,"
                              "\"do\":{\"spawn\":{\"name\":\"c\",\"future\":{\"sleep_ms\":100000}}}}}]}");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 100", FS_BINARY, fs_test_scratch_path("spawns.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TASK LIMIT: 0 of 100 tasks completed, ended at 1.000 us"));
    assert_non_null(strstr(out, "task limit: stopped at 1.000 us of simulated time, a spawn past 100 tasks (--max-tasks)"));
    assert_non_null(strstr(out, "\n  task #0 t: at spawn c\n"));
    assert_non_null(strstr(out, "and 70 more tasks not completed"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 100 --json", FS_BINARY, fs_test_scratch_path("spawns.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "\"tasks_total\":100,\"completed\":0,\"stalled\":false,"
                                "\"time_limit_hit\":false,\"poll_limit_hit\":false,\"limit_hit\":\"tasks\""));
    free(out);
    free(err);
    /* a scenario whose own tasks pass the limit stops before any poll */
    write_file("many_own.json", "{\"tasks\":[{\"name\":\"w\",\"count\":50,\"future\":{\"sleep_ms\":1}}]}");
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 20", FS_BINARY, fs_test_scratch_path("many_own.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TASK LIMIT: 0 of 20 tasks completed"));
    assert_non_null(strstr(out, "polls      0 "));
    free(out);
    free(err);
    /* ... also when the trace's limit stopped the run first, on the spawn
     * lines: that limit is the one named, not "out of memory" */
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 20 --max-trace 200 -o '%s'", FS_BINARY,
             fs_test_scratch_path("many_own.json"), fs_test_scratch_path("many_own.jsonl"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TRACE LIMIT: 0 of 20 tasks completed"));
    assert_null(strstr(err, "out of memory"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 0", FS_BINARY, fs_test_scratch_path("many_own.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 2);
    assert_non_null(strstr(err, "--max-tasks expects an integer 1..2147483647, got '0'"));
    free(out);
    free(err);
}

/* A full trace stops the device events too when another limit stopped the
 * run first: a task limit at the start left a listener's connects at one
 * instant (every 0 ms) to be written, 135 MB under --max-trace 2000. */
static void test_trace_limit_after_task_limit(void **state)
{
    (void)state;
    char *out, *err;
    write_file("connects.json", "{\"resources\":{\"l0\":{\"type\":\"listener\",\"connections\":"
                                "{\"every_ms\":0,\"until_ms\":0}}},\"tasks\":[{\"name\":\"t\","
                                "\"count\":5,\"future\":{\"sleep_ms\":14}}]}");
    const char *trace = fs_test_scratch_path("connects.jsonl");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --max-tasks 3 --max-trace 2000 -o '%s'", FS_BINARY,
             fs_test_scratch_path("connects.json"), trace);
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TASK LIMIT: 0 of 3 tasks completed"));
    free(out);
    free(err);
    size_t len = 0;
    char *t = fs_test_read_file(trace, &len);
    assert_non_null(t);
    assert_true(len < 100000); /* the limit, one step and the summary past it */
    assert_non_null(strstr(t, "\"type\":\"summary\""));
    free(t);
}

static void test_same_run_same_file(void **state)
{
    (void)state;
    char args[1024], *out, *err;
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "run scenarios/seed/03_busy_vs_wake.json -e busy -o %s",
                 fs_test_scratch_path(i ? "b.jsonl" : "a.jsonl"));
        assert_int_equal(fs_test_futurescope(args, &out, &err), 0);
        free(out);
        free(err);
    }
    size_t na, nb;
    char *a = fs_test_read_file(fs_test_scratch_path("a.jsonl"), &na), *b = fs_test_read_file(fs_test_scratch_path("b.jsonl"), &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

static void test_unwritable_outputs(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("run scenarios/seed/04_read_file.json -o /dev/full", &out, &err), 1);
    assert_non_null(strstr(err, "/dev/full: write failed"));
    free(out);
    free(err);
    char args[1024];
    snprintf(args, sizeof args, "run scenarios/seed/04_read_file.json -o %s", fs_test_scratch_dir());
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "cannot write: Is a directory"));
    free(out);
    free(err);
    /* a path in a directory that does not exist: exit 2, nothing simulated */
    snprintf(args, sizeof args, "run scenarios/seed/04_read_file.json -o %s/no/such/dir/t.jsonl",
             fs_test_scratch_dir());
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "t.jsonl: cannot write: No such file or directory"));
    assert_string_equal(out, "");
    free(out);
    free(err);
}

/* Each command refuses (exit 2) to write over one of its inputs, however
 * the path is spelled, and leaves the input as it was. */
static void test_output_is_an_input(void **state)
{
    (void)state;
    char *in = fs_test_read_file(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), NULL);
    assert_non_null(in);
    write_file("in.json", in);
    const char *dir = fs_test_scratch_dir();
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, "cd '%s' && ln -f in.json hard.json && ln -sf in.json sym.json && "
                              "'%s' run in.json -e busy -o t.jsonl", dir, FS_BINARY);
    assert_int_equal(fs_test_run(cmd, NULL, NULL), 0);
    char *trace = fs_test_read_file(fs_test_scratch_path("t.jsonl"), NULL);
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"run in.json -o in.json", "futurescope run: -o in.json is the same file as the input in.json; refusing to overwrite it"},
        {"run in.json -o ./in.json", "-o ./in.json is the same file as the input in.json"},
        {"run ./in.json --chrome hard.json", "--chrome hard.json is the same file as the input ./in.json"},
        {"run in.json -o sym.json", "-o sym.json is the same file as the input in.json"},
        {"run in.json -o new.json --chrome ./new.json", "-o new.json and --chrome ./new.json are the same file"},
        {"view in.json --screenshot in.json", "futurescope view: --screenshot in.json is the same file as the input in.json"},
        {"view t.jsonl in.json --screenshot sym.json", "--screenshot sym.json is the same file as the input in.json"},
        {"export t.jsonl --chrome t.jsonl", "futurescope export: --chrome t.jsonl is the same file as the input t.jsonl"},
        {"export in.json t.jsonl --chrome ../$(basename $PWD)/t.jsonl", "is the same file as the input t.jsonl"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s", dir, FS_BINARY, cases[i].args);
        int st = fs_test_run(cmd, &out, &err);
        if (st != 2 || !strstr(err, cases[i].err))
            fail_msg("%s: exit %d, %s", cases[i].args, st, err);
        free(out);
        free(err);
        char *now = fs_test_read_file(fs_test_scratch_path("in.json"), NULL);
        assert_string_equal(now, in);
        free(now);
        now = fs_test_read_file(fs_test_scratch_path("t.jsonl"), NULL);
        assert_string_equal(now, trace);
        free(now);
        assert_null(fs_test_read_file(fs_test_scratch_path("new.json"), NULL));
    }
    free(in);
    free(trace);
}

/* The names of scratch files that start with prefix. */
static int count_files(const char *prefix)
{
    DIR *d = opendir(fs_test_scratch_dir());
    int n = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* A Chrome trace is about 3.6 times its JSONL trace, so a trace under
 * --max-trace (1 GiB) can give a Chrome trace past 1 GiB: none is written
 * past --max-chrome (default 1 GiB, and `export` too), no temporary file
 * is left, exit 3 and a message saying what to do; the JSONL trace is
 * written whole. */
static void test_chrome_export_size_limit(void **state)
{
    (void)state;
    char *out, *err, args[2048];
    snprintf(args, sizeof args, "run scenarios/seed/02_together.json --max-chrome 2000 -o '%s' "
             "--chrome '%s' --json", fs_test_scratch_path("big.jsonl"), fs_test_scratch_path("big.json"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 3);
    char want[1024];
    snprintf(want, sizeof want, "%s: the Chrome trace would pass 2000 bytes; nothing written "
             "(use --perfetto, or simulate less: a smaller --max-trace, --max-time or --max-polls)\n",
             fs_test_scratch_path("big.json"));
    assert_string_equal(err, want);
    assert_non_null(strstr(out, "\"completed\":1,"));
    assert_int_equal(access(fs_test_scratch_path("big.json"), F_OK), -1);
    size_t len;
    char *trace = fs_test_read_file(fs_test_scratch_path("big.jsonl"), &len);
    assert_non_null(trace);
    assert_int_equal(len, 2259);  /* with the task's waker_clones and waker_drops */
    assert_non_null(strstr(trace, "{\"type\":\"summary\""));
    free(trace);
    free(out);
    free(err);
    assert_int_equal(count_files("big.json.tmp-"), 0);
}

/* Past a file-size limit, or on a full device, an output fails with exit 1
 * and a message, and the file it would have replaced stays as it was. */
static void test_outputs_are_atomic(void **state)
{
    (void)state;
    static const struct {
        const char *args, *file;
    } cases[] = {
        {"view scenarios/seed/03_busy_vs_wake.json --screenshot", "shot.png"},
        {"run scenarios/patterns/thousand_sleepers.json -o", "t.jsonl"},
        {"run scenarios/patterns/thousand_sleepers.json --chrome", "c.json"},
    };
    char cmd[4096], *out, *err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(cases[i].file, "old\n");
        /* ulimit -f counts 512- or 1024-byte blocks: 8 is far below each output */
        snprintf(cmd, sizeof cmd, "cd '%s' && ulimit -f 8 && '%s' %s '%s'", FS_SOURCE_DIR, FS_BINARY,
                 cases[i].args, fs_test_scratch_path(cases[i].file));
        int st = fs_test_run(cmd, &out, &err);
        if (st != 1 || !strstr(err, ": write failed: File too large"))
            fail_msg("%s: exit %d, %s", cases[i].args, st, err);
        char *now = fs_test_read_file(fs_test_scratch_path(cases[i].file), NULL);
        assert_string_equal(now, "old\n");
        free(now);
        free(out);
        free(err);
        snprintf(cmd, sizeof cmd, "%s.tmp-", cases[i].file);
        assert_int_equal(count_files(cmd), 0);
    }
    assert_int_equal(fs_test_futurescope("view scenarios/seed/03_busy_vs_wake.json --screenshot /dev/full", &out, &err), 1);
    assert_string_equal(err, "/dev/full: write failed: No space left on device\n");
    assert_string_equal(out, "");
    free(out);
    free(err);
}

/* SIGINT, SIGTERM and SIGHUP during a run that writes a trace: the
 * temporary file is removed and the status is 128 + the signal. */
static void test_signals_remove_temp_files(void **state)
{
    (void)state;
    write_file("forever.json", "{\"poll_cost_ns\":1,\"tasks\":[{\"name\":\"t\",\"future\":"
                               "{\"repeat\":1000000000,\"do\":{\"yield\":true}}}]}");
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct rlimit lim = {64 << 20, 64 << 20}; /* in case it outlives the test */
            setrlimit(RLIMIT_FSIZE, &lim);
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execl(FS_BINARY, FS_BINARY, "run", fs_test_scratch_path("forever.json"), "-e", "busy",
                  "--max-polls", "1000000000000", "-o", fs_test_scratch_path("out.jsonl"), (char *)NULL);
            _exit(127);
        }
        /* the temporary file exists once the trace is open (at most 30 s) */
        for (int k = 0; k < 3000 && count_files("out.jsonl.tmp-") == 0; k++)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
        assert_int_equal(count_files("out.jsonl.tmp-"), 1);
        kill(pid, sigs[i]);
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 128 + sigs[i]);
        assert_int_equal(count_files("out.jsonl"), 0);
    }
}

/* Usage errors found before anything is simulated: exit 2, no table. */
static void test_refused_up_front(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"run scenarios/seed/03_busy_vs_wake.json -o ''", "futurescope run: option -o needs a file name, got ''"},
        {"run scenarios/seed/03_busy_vs_wake.json --chrome ''", "option --chrome needs a file name, got ''"},
        {"view scenarios/seed/03_busy_vs_wake.json --screenshot ''", "option --screenshot needs a file name, got ''"},
        {"export x.jsonl --chrome ''", "option --chrome needs a file name, got ''"},
        {"run scenarios/seed/03_busy_vs_wake.json --screenshot x.png", "futurescope run: --screenshot belongs to view"},
        {"run scenarios/seed/03_busy_vs_wake.json --at 1s", "futurescope run: --at belongs to view"},
        {"run scenarios/seed/03_busy_vs_wake.json --size 800x600", "futurescope run: --size belongs to view"},
        {"run scenarios/seed/03_busy_vs_wake.json --watch", "futurescope run: --watch belongs to view"},
        {"compare scenarios/seed/03_busy_vs_wake.json --watch", "futurescope compare: --watch belongs to view"},
        /* a time without its unit is ambiguous: refused, not read as seconds */
        {"view scenarios/seed/03_busy_vs_wake.json --screenshot x.png --at 1.5",
         "futurescope view: --at expects a time with its unit like 1.5s, 200ms or 50us, got '1.5'"},
        /* --queue lifo where it would be ignored */
        {"run scenarios/seed/03_busy_vs_wake.json -e steal:2 --queue lifo",
         "futurescope run: --queue lifo orders the wake executor's ready queue; steal:2 keeps tokio's own queues"},
        {"view scenarios/seed/03_busy_vs_wake.json -e wake,steal:4 --queue lifo --screenshot x.png",
         "steal:4 keeps tokio's own queues"},
        {"compare scenarios/seed/03_busy_vs_wake.json -e busy,blocking --queue lifo",
         "futurescope compare: --queue lifo orders the wake executor's ready queue, and 'busy,blocking' has none"},
    };
    char *out, *err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int st = fs_test_futurescope(cases[i].args, &out, &err);
        if (st != 2 || !strstr(err, cases[i].err))
            fail_msg("%s: exit %d, %s", cases[i].args, st, err);
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
}

/* A playhead past the end is shown at the end, and the note says so. */
static void test_view_at_past_the_end(void **state)
{
    (void)state;
    char args[600], *out, *err;
    snprintf(args, sizeof args, "view scenarios/seed/03_busy_vs_wake.json --at 20s --screenshot '%s'",
             fs_test_scratch_path("late.png"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 0);
    assert_non_null(strstr(err, "futurescope view: --at 20.000 s is past the end of the run (2.000 s); "
                                "the playhead is at the end"));
    free(out);
    free(err);
}

/* Memory running out while a scenario loads is exit 1 (an internal
 * failure), not 2 (bad input): its nodes take 16 times the text. */
static void test_load_out_of_memory_exit_1(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan reserves terabytes of address space: no ulimit -v under it */
#else
    FILE *f = fopen(fs_test_scratch_path("big.json"), "w");
    assert_non_null(f);
    fputs("{\"tasks\":[", f);
    for (int i = 0; i < 8000000; i++)
        fputs("0,", f);
    fputs("0]}", f);
    fclose(f);
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, "ulimit -v 150000 && '%s' check '%s'", FS_BINARY,
             fs_test_scratch_path("big.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 1);
    assert_non_null(strstr(err, "big.json: out of memory"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "ulimit -v 150000 && '%s' run '%s'", FS_BINARY,
             fs_test_scratch_path("big.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 1);
    free(out);
    free(err);
    unlink(fs_test_scratch_path("big.json"));
#endif
}

/* Names reach the terminal with their control characters escaped. */
static void test_names_escaped_on_terminal(void **state)
{
    (void)state;
    write_file("esc.json", "{\"name\":\"n\\u001b[31m\",\"tasks\":[{\"name\":\"a\\u001b[2J\","
                           "\"future\":{\"read\":\"s\\n\"}},{\"name\":\"x\\ny\\u0085\",\"future\":"
                           "{\"yield\":true}}],\"resources\":{\"s\\n\":{\"type\":\"socket\",\"arrivals\":[]}}}");
    write_file("esc_bad.json", "{\"tasks\":[{\"name\":\"a\",\"future\":{\"read\":\"\\u001b[2J\\n\"}}]}");
    char cmd[4096], *out, *err;
    snprintf(cmd, sizeof cmd, "'%s' run '%s'", FS_BINARY, fs_test_scratch_path("esc.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_null(strchr(out, '\x1b'));
    assert_null(strstr(out, "\xc2\x85"));
    assert_non_null(strstr(out, "scenario   n\\x1b[31m ("));
    assert_non_null(strstr(out, "  task #0 a\\x1b[2J: pending on read s\\n;"));
    assert_non_null(strstr(out, "\n#1    x\\ny\\u0085 "));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' check '%s' '%s'", FS_BINARY, fs_test_scratch_path("esc.json"),
             fs_test_scratch_path("esc_bad.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 2);
    assert_non_null(strstr(out, ": n\\x1b[31m (2 tasks, 1 resources)\n"));
    assert_non_null(strstr(err, "tasks[0].future.read: unknown resource \"\\u001b[2J\\u000a\"\n"));
    assert_null(strchr(err, '\x1b'));
    free(out);
    free(err);
}

static void test_check_shipped_scenarios(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("check scenarios/seed/*.json scenarios/patterns/*.json", &out, &err), 0);
    assert_non_null(strstr(out, "ok  scenarios/seed/03_busy_vs_wake.json: busy loop vs wake loop (2 tasks, 2 resources)"));
    free(out);
    free(err);
}

static void test_demo_prints_comparison(void **state)
{
    (void)state;
    char *out, *err;
    char cmd[1024];
    /* no display, so the demo prints and writes a PNG instead of opening a window */
    snprintf(cmd, sizeof cmd, "cd /tmp && env -u DISPLAY -u WAYLAND_DISPLAY '%s' demo", FS_BINARY);
    assert_int_equal(fs_test_run(cmd, &out, &err), 0);
    assert_non_null(strstr(out, "\nbusy "));
    assert_non_null(strstr(out, "\nwake "));
    free(out);
    free(err);
    /* DISPLAY set but empty is no display either (it opened a window and
     * waited forever; timeout keeps a regression from hanging the suite) */
    snprintf(cmd, sizeof cmd, "cd /tmp && env -u WAYLAND_DISPLAY DISPLAY= timeout 60 '%s' demo",
             FS_BINARY);
    assert_int_equal(fs_test_run(cmd, &out, &err), 0);
    assert_non_null(strstr(out, "No display"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_wake_json),
        cmocka_unit_test(test_compare_table),
        cmocka_unit_test(test_view_at_past_the_end),
        cmocka_unit_test(test_lost_waker_stalls_wake_not_busy),
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_time_limit_exit_3),
        cmocka_unit_test(test_poll_limit_exit_3),
        cmocka_unit_test(test_unfinished_listing_capped),
        cmocka_unit_test(test_task_limit_exit_3),
        cmocka_unit_test(test_trace_limit_after_task_limit),
        cmocka_unit_test(test_same_run_same_file),
        cmocka_unit_test(test_unwritable_outputs),
        cmocka_unit_test(test_output_is_an_input),
        cmocka_unit_test(test_outputs_are_atomic),
        cmocka_unit_test(test_signals_remove_temp_files),
        cmocka_unit_test(test_refused_up_front),
        cmocka_unit_test(test_chrome_export_size_limit),
        cmocka_unit_test(test_load_out_of_memory_exit_1),
        cmocka_unit_test(test_names_escaped_on_terminal),
        cmocka_unit_test(test_check_shipped_scenarios),
        cmocka_unit_test(test_demo_prints_comparison),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
