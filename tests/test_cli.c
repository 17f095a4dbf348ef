/* test_cli.c - the futurescope program as a user meets it: exit statuses,
 * error lines, output files, --json. Runs the built binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    assert_non_null(strstr(out, "task 0 forgetful: pending on read a, no waker registered anywhere (lost waker)"));
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
         "unknown_key.json:1:2: (root): unknown key \"nmae\" (expected one of: name, description, seed, poll_cost_ns, resources, tasks)\n"},
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
    assert_non_null(strstr(out, "task 0 t: at yield"));
    free(out);
    free(err);
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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_wake_json),
        cmocka_unit_test(test_compare_table),
        cmocka_unit_test(test_lost_waker_stalls_wake_not_busy),
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_time_limit_exit_3),
        cmocka_unit_test(test_poll_limit_exit_3),
        cmocka_unit_test(test_same_run_same_file),
        cmocka_unit_test(test_unwritable_outputs),
        cmocka_unit_test(test_check_shipped_scenarios),
        cmocka_unit_test(test_demo_prints_comparison),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
