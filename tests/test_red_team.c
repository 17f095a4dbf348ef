/* test_red_team.c - the one-line scenarios of issue 12 that crashed, ran
 * forever, overflowed the clock or filled the disk, through the built
 * binary: each must end (within a generous 60 s of wall-clock time: the
 * only clock this test reads, through timeout(1)) with the exit status and
 * message its limit gives, and its outputs bounded and complete. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

typedef struct red_team {
    const char *future;   /* the one task's future */
    const char *options;
    int status;
    const char *says;     /* in stdout */
} red_team;

static const red_team cases[] = {
    {"{\"join\":[{\"seq\":[{\"yield\":true},{\"yield\":true}]},{\"seq\":[{\"yield\":true},{\"yield\":true}]}]}",
     "-e busy", 0, "ok: 1 of 1 tasks completed, ended at 3.000 us"},
    {"{\"select\":[{\"seq\":[{\"yield\":true},{\"yield\":true}]},{\"seq\":[{\"yield\":true},{\"yield\":true}]}]}",
     "-e steal:2", 0, "ok: 1 of 1 tasks completed, ended at 3.000 us"},
    {"{\"repeat\":1000000000,\"do\":{\"compute_ms\":1000000000}}", "-e blocking", 3,
     "TIME LIMIT: 0 of 1 tasks completed, ended at 60.0 min"},
    {"{\"repeat\":1000000000,\"do\":{\"repeat\":1000000000,\"do\":{\"compute_ms\":0}}}",
     "--max-time 1ms --max-polls 10", 3, "poll limit: stopped after 1 polls and 10 loop steps"},
    {"{\"compute_ms\":1000000000}", "--max-time 1s", 3,
     "TIME LIMIT: 0 of 1 tasks completed, ended at 1.000 s"},
    {"{\"repeat\":1000000000,\"do\":{\"sleep_ms\":0}}", "-e busy --max-trace 1MB", 3,
     "trace limit: stopped at"},
};

static void test_red_team_scenarios(void **state)
{
    (void)state;
    char trace[512]; /* a copy: scratch paths rotate through 8 buffers */
    snprintf(trace, sizeof trace, "%s", fs_test_scratch_path("out.jsonl"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(fs_test_scratch_path("one.json"), "w");
        assert_non_null(f);
        fprintf(f, "{\"tasks\":[{\"name\":\"t\",\"future\":%s}]}\n", cases[i].future);
        fclose(f);
        char cmd[8192], *out, *err;
        snprintf(cmd, sizeof cmd, "timeout 60 '%s' run '%s' %s -o '%s'", FS_BINARY,
                 fs_test_scratch_path("one.json"), cases[i].options, trace);
        int st = fs_test_run(cmd, &out, &err);
        if (st != cases[i].status || !strstr(out, cases[i].says))
            print_error("%s %s: exit %d\n%s%s", cases[i].future, cases[i].options, st, out, err);
        assert_int_equal(st, cases[i].status);
        assert_non_null(strstr(out, cases[i].says));
        struct stat sb;
        assert_int_equal(stat(trace, &sb), 0);
        assert_true(sb.st_size < 2 * 1000 * 1000);
        free(out);
        free(err);
    }
}

/* busy on the seed's two reads (2,000,002 polls to finish) under
 * --max-polls 1000: the fast-forward stops at the limit too. */
static void test_busy_max_polls(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(fs_test_futurescope("run scenarios/seed/03_busy_vs_wake.json -e busy "
                                         "--max-polls 1000 --json", &out, &err), 3);
    assert_non_null(strstr(out, "\"poll_limit_hit\":true,\"limit_hit\":\"polls\",\"polls\":1000,"));
    free(out);
    free(err);
}

/* run --chrome reads its trace back: under --max-trace both files are
 * bounded and complete. */
static void test_chrome_under_trace_limit(void **state)
{
    (void)state;
    FILE *f = fopen(fs_test_scratch_path("yield.json"), "w");
    assert_non_null(f);
    fputs("{\"tasks\":[{\"name\":\"t\",\"future\":{\"repeat\":1000000000,\"do\":{\"yield\":true}}}]}\n", f);
    fclose(f);
    char cmd[2048], *out, *err;
    snprintf(cmd, sizeof cmd, "timeout 60 '%s' run '%s' --max-trace 100KB -o '%s' --chrome '%s'",
             FS_BINARY, fs_test_scratch_path("yield.json"), fs_test_scratch_path("y.jsonl"),
             fs_test_scratch_path("y.json"));
    assert_int_equal(fs_test_run(cmd, &out, &err), 3);
    assert_non_null(strstr(out, "TRACE LIMIT"));
    size_t n;
    char *text = fs_test_read_file(fs_test_scratch_path("y.jsonl"), &n);
    assert_non_null(text);
    assert_in_range(n, 100000, 120000);
    assert_non_null(strstr(text, "\"limit_hit\":\"trace\""));
    free(text);
    text = fs_test_read_file(fs_test_scratch_path("y.json"), &n);
    assert_non_null(text);
    free(text);
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_red_team_scenarios),
        cmocka_unit_test(test_busy_max_polls),
        cmocka_unit_test(test_chrome_under_trace_limit),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
