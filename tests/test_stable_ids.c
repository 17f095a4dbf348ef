/* test_stable_ids.c - a task's stable id (fs_trace_task.sid, shown as
 * "#id name" on its lane and in its detail): the same under every executor,
 * where the trace's own id, spawn order, is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "test_viz_fixture.h"

/* p computes 5 ms, yields, then spawns x and twelve w#k; q computes 1 ms,
 * yields and spawns y. wake, one thread: p's first poll (0-5 ms), q's, then
 * p's second, which spawns (x is trace id 2), then q's (y id 15); under
 * steal:2, q on the other worker spawns y at about 1 ms, before p's spawns
 * (y id 2). The stable ids: p 0, q 1, then p's spawns by name (numbers as
 * numbers: w#2 before w#10), then q's: p/w#0..p/w#11 2..13, p/x 14, q/y 15. */
#define SPAWNS                                                                                      \
    "{\"tasks\":[{\"name\":\"p\",\"future\":{\"seq\":[{\"compute_ms\":5},{\"yield\":true},"                          \
    "{\"spawn\":{\"name\":\"x\",\"future\":{\"yield\":true}}},"                                     \
    "{\"repeat\":12,\"do\":{\"spawn\":{\"name\":\"w\",\"future\":{\"yield\":true}}}}]}},"           \
    "{\"name\":\"q\",\"future\":{\"seq\":[{\"compute_ms\":1},{\"yield\":true},"                                       \
    "{\"spawn\":{\"name\":\"y\",\"future\":{\"yield\":true}}}]}}]}"

static fs_trace *run(fs_exec_kind kind, int workers)
{
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(SPAWNS, strlen(SPAWNS), "s.json", &sc, &err), FS_ERR_OK);
    fs_trace *tr = fs_fixture_run_scenario(sc, kind, workers, "s.json");
    assert_non_null(tr);
    assert_int_equal(tr->n_tasks, 16);
    return tr;
}

/* The stable id of the task named name in tr (and its trace id in *id). */
static uint32_t sid_of(const fs_trace *tr, const char *name, uint32_t *id)
{
    for (uint32_t i = 0; i < tr->n_tasks; i++) {
        if (strcmp(fs_trace_str(tr, tr->tasks[i].name), name) == 0) {
            *id = i;
            return tr->tasks[i].sid;
        }
    }
    fail_msg("no task %s", name);
    return 0;
}

static void test_same_under_every_executor(void **state)
{
    (void)state;
    fs_trace *w = run(FS_EXEC_WAKE, 0), *s = run(FS_EXEC_STEAL, 2);
    uint32_t wid, sid;
    /* the trace ids differ ... */
    sid_of(w, "q/y", &wid);
    sid_of(s, "q/y", &sid);
    assert_int_equal(wid, 15);
    assert_int_equal(sid, 2);
    /* ... the stable ids do not */
    static const char *const names[] = {"p", "q", "p/w#0", "p/w#1", "p/w#2", "p/w#10", "p/w#11", "p/x", "q/y"};
    static const uint32_t want[] = {0, 1, 2, 3, 4, 12, 13, 14, 15};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        assert_int_equal(sid_of(w, names[k], &wid), want[k]);
        assert_int_equal(sid_of(s, names[k], &sid), want[k]);
    }
    /* every id once */
    uint32_t seen[16] = {0};
    for (uint32_t i = 0; i < 16; i++)
        seen[s->tasks[i].sid]++;
    for (uint32_t i = 0; i < 16; i++)
        assert_int_equal(seen[i], 1);
    fs_trace_free(w);
    fs_trace_free(s);
}

/* The rows of `run`'s task table, id and name only (the figures differ). */
static char *table_rows(const char *executor)
{
    char args[512];
    snprintf(args, sizeof args, "run %s -e %s -o /dev/null", fs_test_scratch_path("s.json"), executor);
    char *out = fs_test_futurescope_out(args, 0);
    char *table = strstr(out, "\nid ");
    assert_non_null(table);
    char *rows = calloc(1, strlen(table) + 1);
    assert_non_null(rows);
    for (char *line = strchr(table + 1, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char id[16], name[64];
        assert_int_equal(sscanf(line + 1, "%15s %63s", id, name), 2);
        strcat(rows, id);
        strcat(rows, " ");
        strcat(rows, name);
        strcat(rows, "\n");
    }
    free(out);
    return rows;
}

/* `run` lists its tasks by stable id, as the viewer labels them: the same
 * rows under wake and steal:2, whose trace ids for q/y are 15 and 2. */
static void test_run_table_by_stable_id(void **state)
{
    (void)state;
    FILE *f = fopen(fs_test_scratch_path("s.json"), "w");
    assert_non_null(f);
    fputs(SPAWNS, f);
    fclose(f);
    char *wake = table_rows("wake"), *steal = table_rows("steal:2");
    assert_string_equal(wake, steal);
    assert_non_null(strstr(wake, "#0 p\n#1 q\n#2 p/w#0\n#3 p/w#1\n"));
    assert_non_null(strstr(wake, "#13 p/w#11\n#14 p/x\n#15 q/y\n"));
    free(wake);
    free(steal);
}

/* SPAWNS with x and y waiting on a notify nobody notifies: the run stalls
 * with both pending. Their trace ids are 2 and 15 under wake, 3 and 2 under
 * steal:2 (y first); the stall lines name them by stable id, in its order. */
#define STALLS                                                                                      \
    "{\"resources\":{\"go\":{\"type\":\"notify\"}},"                                             \
    "\"tasks\":[{\"name\":\"p\",\"future\":{\"seq\":[{\"compute_ms\":5},{\"yield\":true},"                \
    "{\"spawn\":{\"name\":\"x\",\"future\":{\"notified\":\"go\"}}},"                                  \
    "{\"repeat\":12,\"do\":{\"spawn\":{\"name\":\"w\",\"future\":{\"yield\":true}}}}]}},"           \
    "{\"name\":\"q\",\"future\":{\"seq\":[{\"compute_ms\":1},{\"yield\":true},"                       \
    "{\"spawn\":{\"name\":\"y\",\"future\":{\"notified\":\"go\"}}}]}}]}"

/* The stall lines of `run` under executor (exit 3). */
static char *stall_lines(const char *executor)
{
    char args[512];
    snprintf(args, sizeof args, "run %s -e %s -o /dev/null", fs_test_scratch_path("stall.json"), executor);
    char *out = fs_test_futurescope_out(args, 3);
    char *from = strstr(out, "\n  task ");
    assert_non_null(from);
    char *to = strstr(from, "\n\n");
    assert_non_null(to);
    *to = 0;
    char *lines = strdup(from + 1);
    free(out);
    return lines;
}

/* A stall names its tasks by stable id ("task #15 q/y"), as the table and
 * the viewer do: the same lines under wake and steal:2, whose trace ids
 * for q/y are 15 and 2. */
static void test_stall_lines_by_stable_id(void **state)
{
    (void)state;
    FILE *f = fopen(fs_test_scratch_path("stall.json"), "w");
    assert_non_null(f);
    fputs(STALLS, f);
    fclose(f);
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(STALLS, strlen(STALLS), "stall.json", &sc, &err), FS_ERR_OK);
    fs_trace *s = fs_fixture_run_scenario(sc, FS_EXEC_STEAL, 2, "stall.json");
    assert_non_null(s);
    assert_string_equal(fs_trace_str(s, s->tasks[2].name), "q/y");
    fs_trace_free(s);

    char *wake = stall_lines("wake"), *steal = stall_lines("steal:2");
    static const char want[] =
        "  task #14 p/x: pending on notified go; notify go holds no permit and no task left will notify it\n"
        "  task #15 q/y: pending on notified go; notify go holds no permit and no task left will notify it";
    assert_string_equal(wake, want);
    assert_string_equal(steal, want);
    free(wake);
    free(steal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_under_every_executor),
        cmocka_unit_test(test_run_table_by_stable_id),
        cmocka_unit_test(test_stall_lines_by_stable_id),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
