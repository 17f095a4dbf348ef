/* test_determinism.c - every shipped scenario under every executor, twice:
 * the traces must be byte-identical (same scenario, executor and seed, same
 * bytes), and the header must record the seed and the program version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "support.h"

static char *trace_of(const fs_scenario *sc, fs_exec_kind kind, int workers, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    fs_run *r = NULL;
    fs_error err = {0};
    fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .trace = f,
                     .max_polls = 5000000};
    assert_int_equal(fs_run_simulate(&d, &r, &err), FS_ERR_OK);
    fclose(f);
    fs_run_free(r);
    return buf;
}

static void test_every_scenario_twice(void **state)
{
    (void)state;
    glob_t g;
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/scenarios/*/*.json", FS_SOURCE_DIR);
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 12);
    static const struct {
        fs_exec_kind kind;
        int workers;
    } execs[] = {{FS_EXEC_BLOCKING, 1}, {FS_EXEC_BUSY, 1}, {FS_EXEC_WAKE, 1}, {FS_EXEC_STEAL, 3}};
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fs_scenario *sc;
        fs_error err = {0};
        assert_int_equal(fs_scenario_load_file(g.gl_pathv[i], &sc, &err), FS_ERR_OK);
        for (size_t e = 0; e < sizeof execs / sizeof execs[0]; e++) {
            size_t na, nb;
            char *a = trace_of(sc, execs[e].kind, execs[e].workers, &na);
            char *b = trace_of(sc, execs[e].kind, execs[e].workers, &nb);
            if (na != nb || memcmp(a, b, na) != 0)
                fail_msg("%s under executor %zu: two runs differ", g.gl_pathv[i], e);
            char want[128];
            snprintf(want, sizeof want, "\"program\":\"futurescope %s\"", FS_VERSION);
            assert_non_null(strstr(a, want));
            snprintf(want, sizeof want, "\"seed\":%llu,", (unsigned long long)sc->seed);
            assert_non_null(strstr(a, want));
            free(a);
            free(b);
        }
        fs_scenario_free(sc);
    }
    globfree(&g);
}

/* The same workload under every executor: tasks spawned from concurrent
 * parents (inside repeats, so their names and draws depend on the spawn path,
 * not the spawn order), two spawns of one name in one future (the second is
 * named child.2), children that spawn in a loop again, random sleeps,
 * random socket values.
 * With poll cost 0 and whole-ms sleeps every executor and worker count runs
 * the same program, so each task (by name) completes at the same time with
 * the same value. */
static const char *SAME_WORKLOAD =
    "{\"seed\": 7, \"poll_cost_ns\": 0,"
    " \"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\":"
    "   [{\"at_ms\": 30}, {\"at_ms\": 60}, {\"at_ms\": 90}]}},"
    " \"tasks\": ["
    "  {\"name\": \"parent\", \"count\": 3, \"future\": {\"repeat\": 4, \"do\": {\"seq\": ["
    "     {\"spawn\": {\"name\": \"child\", \"future\": {\"seq\": ["
    "        {\"sleep_ms\": {\"uniform\": [1, 50]}}, {\"sleep_ms\": {\"exp\": 5}},"
    "        {\"repeat\": 2, \"do\": {\"spawn\": {\"name\": \"g\", \"future\":"
    "          {\"sleep_ms\": {\"uniform\": [1, 9]}}}}},"
    "        {\"sleep_ms\": {\"exp\": 10}}]}}},"
    "     {\"spawn\": {\"name\": \"child\", \"future\": {\"sleep_ms\": {\"exp\": 3}}}},"
    "     {\"sleep_ms\": {\"uniform\": [1, 20]}}]}}},"
    "  {\"name\": \"reader\", \"future\": {\"repeat\": 3, \"do\": {\"read\": \"s\"}}}"
    " ]}";

typedef struct task_end {
    char name[128];   /* its spawn path: "parent#1/child#2/g#0" */
    int64_t completed_ns, value;
} task_end;

static size_t task_ends(const fs_scenario *sc, fs_exec_kind kind, int workers, bool lifo,
                        task_end *out, size_t cap)
{
    fs_run *r = NULL;
    fs_error err = {0};
    fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .lifo = lifo};
    assert_int_equal(fs_run_simulate(&d, &r, &err), FS_ERR_OK);
    assert_int_equal(fs_run_exit_status(r), 0);
    size_t n = fs_exec_task_count(r->exec);
    assert_true(n <= cap);
    for (uint32_t i = 0; i < n; i++) {
        const fs_task_info *t = fs_exec_get_task(r->exec, i);
        snprintf(out[i].name, sizeof out[i].name, "%s", t->name);
        out[i].completed_ns = t->completed_ns;
        out[i].value = t->value;
    }
    fs_run_free(r);
    return n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const task_end *)a)->name, ((const task_end *)b)->name);
}

static void test_same_workload_every_executor(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err = {0};
    assert_int_equal(fs_scenario_load_text(SAME_WORKLOAD, strlen(SAME_WORKLOAD), "same.json",
                                           &sc, &err), FS_ERR_OK);
    enum { CAP = 64 };
    static task_end base[CAP], other[CAP];
    size_t n = task_ends(sc, FS_EXEC_WAKE, 1, false, base, CAP);
    /* parents, reader, two children per iteration, two g per child */
    assert_int_equal(n, 3 + 1 + 24 + 24);
    qsort(base, n, sizeof *base, by_name);
    /* no two tasks share a name: a child is named by its parent and its
     * iteration, the second spawn named child is child.2 */
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(base[i - 1].name, base[i].name) != 0);
    assert_string_equal(base[0].name, "parent#0");
    assert_string_equal(base[1].name, "parent#0/child#0");
    assert_string_equal(base[2].name, "parent#0/child#0/g#0");
    assert_string_equal(base[3].name, "parent#0/child#0/g#1");
    assert_string_equal(base[4].name, "parent#0/child#1");
    assert_string_equal(base[13].name, "parent#0/child.2#0");
    assert_string_equal(base[17].name, "parent#1");
    assert_string_equal(base[n - 1].name, "reader");
    static const struct { fs_exec_kind kind; int workers; bool lifo; } others[] = {
        {FS_EXEC_WAKE, 1, true}, {FS_EXEC_STEAL, 2, false}, {FS_EXEC_STEAL, 3, false},
        {FS_EXEC_STEAL, 4, false},
    };
    for (size_t e = 0; e < sizeof others / sizeof others[0]; e++) {
        assert_int_equal(task_ends(sc, others[e].kind, others[e].workers, others[e].lifo,
                                   other, CAP), n);
        qsort(other, n, sizeof *other, by_name);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(other[i].name, base[i].name);
            assert_true(other[i].completed_ns == base[i].completed_ns);
            assert_true(other[i].value == base[i].value);
        }
    }
    fs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario_twice),
        cmocka_unit_test(test_same_workload_every_executor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
