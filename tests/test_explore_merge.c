/* test_explore_merge.c - explore --shard I/N and explore --merge
 * (sim/explore_merge.c): a shard runs every N-th seed of the range, its
 * --json holds a record per run, and the shards' reports merged give the
 * report of one run over every seed, byte for byte, text and JSON. Reports
 * that are not the shards of one sweep are refused with exit 2. Runs the
 * built binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define RACE "tests/explore/timeout_race.json"
#define SWEEP "explore " RACE " -e wake,steal:2 --seeds 1..200 --max-time 9ms"

/* The report of `futurescope ARGS` (exit 3) into scratch file name. */
static void save(const char *args, const char *name)
{
    char *out = fs_test_futurescope_out(args, 3);
    FILE *f = fopen(fs_test_scratch_path(name), "w");
    assert_non_null(f);
    fputs(out, f);
    assert_int_equal(fclose(f), 0);
    free(out);
}

/* The sweep's shard i of n as --json into scratch file name. */
static void shard(int i, int n, const char *jobs, const char *name)
{
    char args[1024];
    snprintf(args, sizeof args, SWEEP " --shard %d/%d %s --json", i, n, jobs);
    save(args, name);
}

/* 2 and 3 shards (run with other -j), merged in any order: the same bytes
 * as the whole sweep's report, text and JSON; exit 3 as it (runs failed). */
static void test_merged_shards_are_the_whole_sweep(void **state)
{
    (void)state;
    char *whole_text = fs_test_futurescope_out(SWEEP " -j 2", 3);
    char *whole_json = fs_test_futurescope_out(SWEEP " -j 2 --json", 3);
    assert_non_null(strstr(whole_text, "seeds      1..200 under wake, steal:2: 400 runs\n"));
    shard(1, 2, "-j 1", "a1.json");
    shard(2, 2, "-j 2", "a2.json");
    shard(3, 3, "-j 1", "b3.json");
    shard(1, 3, "-j 2", "b1.json");
    shard(2, 3, "-j 1", "b2.json");
    static const char *const merges[] = {"a1.json a2.json", "a2.json a1.json",
                                         "b3.json b1.json b2.json"};
    for (size_t m = 0; m < 3; m++) {
        char files[1024] = "", args[1200];
        char list[256];
        snprintf(list, sizeof list, "%s", merges[m]);
        for (char *f = strtok(list, " "); f; f = strtok(NULL, " ")) {
            strcat(files, " ");
            strcat(files, fs_test_scratch_path(f));
        }
        snprintf(args, sizeof args, "explore --merge%s", files);
        char *text = fs_test_futurescope_out(args, 3);
        assert_string_equal(text, whole_text);
        free(text);
        snprintf(args, sizeof args, "explore --merge%s --json", files);
        char *json = fs_test_futurescope_out(args, 3);
        assert_string_equal(json, whole_json);
        free(json);
    }
    /* a merged report merges again, as one shard of one */
    char args[1200];
    snprintf(args, sizeof args, "explore --merge %s %s --json", fs_test_scratch_path("a1.json"),
             fs_test_scratch_path("a2.json"));
    save(args, "m.json");
    snprintf(args, sizeof args, "explore --merge %s", fs_test_scratch_path("m.json"));
    char *again = fs_test_futurescope_out(args, 3);
    assert_string_equal(again, whole_text);
    free(again);
    free(whole_text);
    free(whole_json);
}

/* Shard 2/3 of seeds 1..10: seeds 2, 5 and 8, a record each per executor,
 * in seed order; the header says which. */
static void test_shard_runs_every_nth_seed(void **state)
{
    (void)state;
    char *text = fs_test_futurescope_out("explore " RACE " --seeds 1..10 --max-time 9ms --shard 2/3", 3);
    assert_non_null(strstr(text, "seeds      1..10 under wake, shard 2/3 (every 3rd seed from 2): 3 runs\n"));
    assert_non_null(strstr(text, "wake: 3 runs: "));
    free(text);
    char *json = fs_test_futurescope_out("explore " RACE " --seeds 1..10 --max-time 9ms --shard 2/3 --json", 3);
    assert_non_null(strstr(json, "\"shard\":{\"index\":2,\"count\":3},\"options\":\" --max-time 9ms\","
                                 "\"expect\":false,"));
    assert_non_null(strstr(json, "\"record_fields\":[\"seed\",\"executor\",\"outcome\",\"limit_hit\","
                                 "\"expectation\",\"end_ns\",\"max_runnable_wait_ns\",\"polls\"],"
                                 "\"records\":[\n[2,\"wake\","));
    char *r5 = strstr(json, "\n[5,\"wake\","), *r8 = strstr(json, "\n[8,\"wake\",");
    assert_non_null(r5);
    assert_non_null(r8);
    assert_true(r5 < r8);
    assert_null(strstr(json, "\n[1,"));
    assert_null(strstr(json, "\n[3,"));
    assert_null(strstr(json, "\n[11,"));
    /* seed 2 under wake: the time limit at 9 ms, 3 polls (docs/explore.md) */
    assert_non_null(strstr(json, "\n[2,\"wake\",\"limit_hit\",\"time\",null,9000000,1000,3]"));
    free(json);
}

/* Exit 2, one line naming the file (and where in it) or the option. */
static void test_refusals(void **state)
{
    (void)state;
    shard(1, 2, "", "r1.json");
    shard(2, 2, "", "r2.json");
    save("explore " RACE " -e wake,steal:2 --seeds 1..200 --max-time 8ms --shard 2/2 --json",
         "other.json");
    FILE *f = fopen(fs_test_scratch_path("notes.json"), "w");
    fputs("{\"type\":\"header\"}\n", f);
    fclose(f);

    struct {
        const char *args, *err;
    } cases[] = {
        {"explore --merge r1.json", "shard 2/2 is missing: merge the reports of every shard of the sweep\n"},
        {"explore --merge r1.json r1.json", "r1.json:1:"},
        {"explore --merge r1.json r1.json", ": shard: shard 1/2 is given twice\n"},
        {"explore --merge r1.json other.json", "other.json:1:"},
        {"explore --merge r1.json other.json", ": options: a shard of another sweep: \" --max-time 8ms\", "
                                               "where the first report has \" --max-time 9ms\"\n"},
        {"explore --merge notes.json", "notes.json:1:1: (root): not an explore --json report\n"},
        {"explore --merge missing.json", "missing.json: cannot open: No such file or directory\n"},
        {"explore --merge", "--merge needs the --json reports of the shards"},
        {"explore --merge r1.json -j 2", "--merge takes the shards' --json reports, --json and --plot, not -j"},
        {"explore --merge r1.json --plot", "option --plot needs a value"},
        {"explore --merge r1.json --plot r1.json", "r1.json is the same file as the input"},
        {"explore " RACE " --seeds 1..10 --shard 3/2", "--shard expects I/N with integers 1 <= I <= N, got '3/2'"},
        {"explore " RACE " --seeds 1..10 --shard 0/2", "--shard expects I/N"},
        {"explore " RACE " --seeds 1..10 --shard 2", "--shard expects I/N"},
        {"explore " RACE " --seeds 1..2 --shard 3/3", "shard 3/3 of seeds 1..2 has no seed"},
        {"explore " RACE " --seeds 1..10 --shard 1/2 --until-failure", "--until-failure stops at the lowest"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* file names in the scratch folder */
        char full[2048] = "";
        char copy[512];
        snprintf(copy, sizeof copy, "%s", cases[i].args);
        for (char *w = strtok(copy, " "); w; w = strtok(NULL, " ")) {
            bool file = strstr(w, ".json") && !strstr(w, "/");
            strcat(full, full[0] ? " " : "");
            strcat(full, file ? fs_test_scratch_path(w) : w);
        }
        char *out, *err;
        int st = fs_test_futurescope(full, &out, &err);
        if (st != 2 || !strstr(err, cases[i].err))
            fprintf(stderr, "%s: exit %d: %s\n", full, st, err);
        assert_int_equal(st, 2);
        assert_non_null(strstr(err, cases[i].err));
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
}

/* A scenario with faults: the shards' records carry each run's faults and
 * their kinds, and the merged report counts them as the whole sweep does,
 * text and JSON; a record whose kinds do not fit its count is refused. */
static void test_merged_fault_counts(void **state)
{
    (void)state;
#define FLAKY_SWEEP "explore tests/explore/flaky_socket.json -e wake,steal:2 --seeds 1..60"
    char *whole_text = fs_test_futurescope_out(FLAKY_SWEEP, 3);
    char *whole_json = fs_test_futurescope_out(FLAKY_SWEEP " --json", 3);
    assert_non_null(strstr(whole_text, "\n  faults: fired in "));
    save(FLAKY_SWEEP " --shard 1/2 -j 1 --json", "f1.json");
    save(FLAKY_SWEEP " --shard 2/2 -j 2 --json", "f2.json");
    char args[1200];
    snprintf(args, sizeof args, "explore --merge %s %s", fs_test_scratch_path("f2.json"),
             fs_test_scratch_path("f1.json"));
    char *text = fs_test_futurescope_out(args, 3);
    assert_string_equal(text, whole_text);
    strcat(args, " --json");
    char *json = fs_test_futurescope_out(args, 3);
    assert_string_equal(json, whole_json);

    /* shard 2's first run without faults, said to have had a latency fault */
    char *f2 = NULL;
    size_t len = 0;
    FILE *in = fopen(fs_test_scratch_path("f2.json"), "r");
    assert_non_null(in);
    assert_true(getdelim(&f2, &len, '\0', in) > 0);
    fclose(in);
    char *at = strstr(f2, ",0,[]]");
    assert_non_null(at);
    FILE *bad = fopen(fs_test_scratch_path("f2bad.json"), "w");
    fprintf(bad, "%.*s,0,[\"latency\"]]%s", (int)(at - f2), f2, at + strlen(",0,[]]"));
    fclose(bad);
    snprintf(args, sizeof args, "explore --merge %s %s", fs_test_scratch_path("f1.json"),
             fs_test_scratch_path("f2bad.json"));
    char *out, *err;
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "f2bad.json:"));
    assert_non_null(strstr(err, "the kinds of faults that fired do not fit the count of faults, 0\n"));
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* a shard of a sweep without faults is another sweep */
    save("explore " RACE " -e wake,steal:2 --seeds 1..60 --max-time 9ms --shard 2/2 --json", "r2.json");
    snprintf(args, sizeof args, "explore --merge %s %s", fs_test_scratch_path("f1.json"),
             fs_test_scratch_path("r2.json"));
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "a shard of another sweep"));
    free(out);
    free(err);
    free(f2);
    free(text);
    free(json);
    free(whole_text);
    free(whole_json);
#undef FLAKY_SWEEP
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_shards_are_the_whole_sweep),
        cmocka_unit_test(test_shard_runs_every_nth_seed),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_merged_fault_counts),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
