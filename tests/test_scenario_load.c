/* test_scenario_load.c - scenario files: every field of a valid file, the
 * defaults, and each class of bad input with its exact printed error
 * (file:line:col: path: message). Leaks are checked by the ASan build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "support.h"

/* The example of SPEC section 2, as written there. */
static const char SPEC_EXAMPLE[] =
    "{\n"
    "  \"name\": \"two sockets\",\n"
    "  \"description\": \"Two reads, each ready after 2 s.\",\n"
    "  \"seed\": 42,\n"
    "  \"poll_cost_ns\": 1000,\n"
    "  \"resources\": {\n"
    "    \"a\":   {\"type\": \"socket\", \"arrivals\": [{\"after_ms\": 2000, \"value\": \"random\"}]},\n"
    "    \"b\":   {\"type\": \"socket\", \"arrivals\": [{\"after_ms\": 2000}]},\n"
    "    \"cfg\": {\"type\": \"file\", \"latency_ms\": {\"open\": 5, \"read\": 20}},\n"
    "    \"ch\":  {\"type\": \"channel\", \"capacity\": 1}\n"
    "  },\n"
    "  \"tasks\": [\n"
    "    {\"name\": \"get_num_a\", \"future\": {\"read\": \"a\"}},\n"
    "    {\"name\": \"read_file\", \"future\": {\"seq\": [{\"open\": \"cfg\"}, {\"read\": \"cfg\"}]}},\n"
    "    {\"name\": \"workers\", \"count\": 100, \"future\": {\"sleep_ms\": {\"uniform\": [1, 1000]}}}\n"
    "  ]\n"
    "}\n";

/* ---- helpers ----------------------------------------------------------------- */

static fs_scenario *load_ok_n(const char *text, size_t len, const char *file)
{
    fs_scenario *sc = NULL;
    fs_error err;
    fs_errcode rc = fs_scenario_load_text(text, len, file, &sc, &err);
    if (rc != FS_ERR_OK)
        fs_error_print(&err, stderr);
    assert_int_equal(rc, FS_ERR_OK);
    assert_int_equal(err.code, FS_ERR_OK);
    assert_non_null(sc);
    return sc;
}

static fs_scenario *load_ok(const char *text)
{
    return load_ok_n(text, strlen(text), "x.json");
}

/* What fs_error_print writes, without the newline, in a static buffer. */
static const char *printed(const fs_error *err)
{
    static char line[2048];
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    fs_error_print(err, f);
    fclose(f);
    assert_true(size > 0 && buf[size - 1] == '\n');
    snprintf(line, sizeof line, "%.*s", (int)size - 1, buf);
    free(buf);
    return line;
}

static void expect_error_n(const char *text, size_t len, const char *want)
{
    fs_scenario *sc = (fs_scenario *)&sc; /* must be reset to NULL */
    fs_error err;
    assert_int_equal(fs_scenario_load_text(text, len, "x.json", &sc, &err), FS_ERR_INPUT);
    assert_null(sc);
    assert_int_equal(err.code, FS_ERR_INPUT);
    assert_string_equal(printed(&err), want);
}

/* text with the first `from` replaced by `to`, malloc'd. */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    char *out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
    sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static void expect_error(const char *text, const char *want)
{
    expect_error_n(text, strlen(text), want);
}

/* A scenario whose only task runs the future F (JSON text). The future's
 * object starts at 1:40. */
#define ONE_TASK(F) "{\"tasks\": [{\"name\": \"t\", \"future\": " F "}]}"
#define WITH_RES(F)                                                                        \
    "{\"resources\": {\"s\": {\"type\": \"socket\"}, \"f\": {\"type\": \"file\"}, "     \
    "\"c\": {\"type\": \"channel\"}},\n \"tasks\": [{\"name\": \"t\", \"future\": " F "}]}"

/* ---- valid files ----------------------------------------------------------------- */

static void test_spec_example(void **state)
{
    (void)state;
    fs_scenario *sc = load_ok_n(SPEC_EXAMPLE, strlen(SPEC_EXAMPLE), "scenarios/two_sockets.json");
    assert_string_equal(sc->file, "scenarios/two_sockets.json");
    assert_string_equal(sc->name, "two sockets");
    assert_string_equal(sc->description, "Two reads, each ready after 2 s.");
    assert_int_equal(sc->seed, 42);
    assert_int_equal(sc->poll_cost_ns, 1000);
    assert_non_null(sc->arena);

    assert_int_equal(sc->n_resources, 4);
    const fs_resource_spec *r = sc->resources;
    assert_string_equal(r[0].name, "a");
    assert_int_equal(r[0].kind, FS_RES_SOCKET);
    assert_int_equal(r[0].n_arrivals, 1);
    assert_int_equal(r[0].arrivals[0].when.a_ms, 2000);
    assert_true(r[0].arrivals[0].relative);
    assert_true(r[0].arrivals[0].random);
    assert_string_equal(r[1].name, "b");
    assert_int_equal(r[1].kind, FS_RES_SOCKET);
    assert_int_equal(r[1].n_arrivals, 1);
    assert_int_equal(r[1].arrivals[0].when.a_ms, 2000);
    assert_true(r[1].arrivals[0].relative);
    assert_true(r[1].arrivals[0].random); /* the default */
    assert_string_equal(r[2].name, "cfg");
    assert_int_equal(r[2].kind, FS_RES_FILE);
    assert_int_equal(r[2].open.a_ms, 5);
    assert_int_equal(r[2].read.a_ms, 20);
    assert_int_equal(r[2].n_arrivals, 0);
    assert_string_equal(r[3].name, "ch");
    assert_int_equal(r[3].kind, FS_RES_CHANNEL);
    assert_int_equal(r[3].capacity, 1);
    assert_int_equal(fs_scenario_find_resource(sc, "cfg"), 2);
    assert_int_equal(fs_scenario_find_resource(sc, "ch"), 3);
    assert_int_equal(fs_scenario_find_resource(sc, "nope"), -1);

    assert_int_equal(sc->n_tasks, 3);
    assert_int_equal(sc->total_tasks, 102);
    const fs_task_spec *t = sc->tasks;
    assert_string_equal(t[0].name, "get_num_a");
    assert_int_equal(t[0].count, 1);
    assert_int_equal(t[0].pos.line, 13);
    assert_int_equal(t[0].pos.col, 5);
    const fs_future_spec *f = &t[0].future;
    assert_int_equal(f->kind, FS_FUT_READ);
    assert_int_equal(f->resource, 0);
    assert_string_equal(f->label, "read a");
    assert_int_equal(f->pos.line, 13);
    assert_int_equal(f->pos.col, 37);
    assert_int_equal(f->n_children, 0);
    assert_false(f->forget_waker);
    assert_int_equal(f->spurious_wakes, 0);

    assert_string_equal(t[1].name, "read_file");
    f = &t[1].future;
    assert_int_equal(f->kind, FS_FUT_SEQ);
    assert_string_equal(f->label, "seq");
    assert_int_equal(f->resource, -1);
    assert_int_equal(f->n_children, 2);
    assert_int_equal(f->children[0].kind, FS_FUT_OPEN);
    assert_int_equal(f->children[0].resource, 2);
    assert_string_equal(f->children[0].label, "open cfg");
    assert_int_equal(f->children[0].pos.line, 14);
    assert_int_equal(f->children[0].pos.col, 46);
    assert_int_equal(f->children[1].kind, FS_FUT_READ);
    assert_int_equal(f->children[1].resource, 2);
    assert_string_equal(f->children[1].label, "read cfg");
    assert_int_equal(f->children[1].pos.col, 63);

    assert_string_equal(t[2].name, "workers");
    assert_int_equal(t[2].count, 100);
    f = &t[2].future;
    assert_int_equal(f->kind, FS_FUT_SLEEP);
    assert_int_equal(f->dur.kind, FS_DUR_UNIFORM);
    assert_int_equal(f->dur.a_ms, 1);
    assert_int_equal(f->dur.b_ms, 1000);
    assert_string_equal(f->label, "sleep uniform 1..1000ms");
    assert_int_equal(f->pos.line, 15);
    assert_int_equal(f->pos.col, 49);
    fs_scenario_free(sc);
}

static void test_defaults(void **state)
{
    (void)state;
    const char *text = "{\"resources\": {\"s\": {\"type\": \"socket\"}, \"f\": {\"type\": \"file\"},\n"
                       "  \"c\": {\"type\": \"channel\"}, \"f2\": {\"type\": \"file\", \"latency_ms\": {}},\n"
                       "  \"s2\": {\"type\": \"socket\", \"arrivals\": [{\"at_ms\": 7}, {\"after_ms\": 0, \"value\": -3}]}},\n"
                       " \"tasks\": [{\"name\": \"t\", \"future\": {\"yield\": true}}]}";
    fs_scenario *sc = load_ok_n(text, strlen(text), "some/dir/my_walk.json");
    assert_string_equal(sc->name, "my_walk");
    assert_string_equal(sc->description, "");
    assert_int_equal(sc->seed, 0);
    assert_int_equal(sc->poll_cost_ns, 1000);
    assert_int_equal(sc->n_resources, 5);
    assert_int_equal(sc->resources[0].n_arrivals, 0);
    assert_null(sc->resources[0].arrivals);
    assert_int_equal(sc->resources[1].open.a_ms, 0);
    assert_int_equal(sc->resources[1].read.a_ms, 0);
    assert_int_equal(sc->resources[2].capacity, 1);
    assert_int_equal(sc->resources[3].open.a_ms, 0);
    const fs_arrival_spec *a = sc->resources[4].arrivals;
    assert_int_equal(sc->resources[4].n_arrivals, 2);
    assert_int_equal(a[0].when.a_ms, 7);
    assert_false(a[0].relative);
    assert_true(a[0].random);
    assert_int_equal(a[1].when.a_ms, 0);
    assert_true(a[1].relative);
    assert_false(a[1].random);
    assert_int_equal(a[1].value, -3);
    assert_int_equal(sc->n_tasks, 1);
    assert_int_equal(sc->tasks[0].count, 1);
    assert_int_equal(sc->total_tasks, 1);
    const fs_future_spec *f = &sc->tasks[0].future;
    assert_int_equal(f->kind, FS_FUT_YIELD);
    assert_string_equal(f->label, "yield");
    assert_int_equal(f->resource, -1);
    assert_false(f->forget_waker);
    assert_int_equal(f->spurious_wakes, 0);
    fs_scenario_free(sc);

    /* No file name, or one without ".json". */
    sc = load_ok_n(ONE_TASK("{\"yield\": true}"), strlen(ONE_TASK("{\"yield\": true}")), NULL);
    assert_string_equal(sc->name, "scenario");
    assert_string_equal(sc->file, "");
    fs_scenario_free(sc);
    sc = load_ok_n(ONE_TASK("{\"yield\": true}"), strlen(ONE_TASK("{\"yield\": true}")), "walk.txt");
    assert_string_equal(sc->name, "walk.txt");
    fs_scenario_free(sc);
}

/* Every form of future and every extra key. */
/* The largest count loads; a tree that many times does not: each task
 * builds its own, 1,000,000 x (1 + 21) futures is past 20,000,000. */
static void test_task_futures_limit(void **state)
{
    (void)state;
    fs_scenario *sc = load_ok("{\"tasks\": [{\"name\": \"t\", \"count\": 1000000, "
                              "\"future\": {\"sleep_ms\": 1}}]}");
    assert_int_equal(sc->total_tasks, 1000000);
    fs_scenario_free(sc);
    char text[1024] = "{\"tasks\": [{\"name\": \"t\", \"count\": 1000000, \"future\": {\"join\": [";
    for (int i = 0; i < 20; i++)
        strcat(text, i ? ", {\"sleep_ms\": 1}" : "{\"sleep_ms\": 1}");
    strcat(text, "]}}]}");
    expect_error(text, "x.json:1:35: tasks[0].count: too many futures: the tasks (each count times 1 + "
                       "the 21 futures of its future here) add up to more than 20000000; each task "
                       "builds its own tree");
}

/* An exponential count counts as its largest draw, mean x 53 ln 2 (the
 * draw's 53 random bits all ones), not as the range's top: {"exp": 2} is
 * at most 73 tasks, and loads with a tree of 21 futures, which the top
 * (1,000,000 tasks) would refuse; {"exp": 20000}, at most 734,736, loads;
 * {"exp": 30000} can reach the top and is refused. The generator
 * (fuzz/scenario_gen.c) found {"exp": 2} refused. */
static void test_exp_count_largest_draw(void **state)
{
    (void)state;
    char join[512] = "";
    for (int i = 0; i < 20; i++)
        strcat(join, i ? ", {\"sleep_ms\": 1}" : "{\"sleep_ms\": 1}");
    static const struct {
        int mean;
        long long largest;
    } ok[] = {{2, 73}, {20000, 734736}};
    char text[1024];
    for (size_t i = 0; i < 2; i++) {
        snprintf(text, sizeof text, "{\"tasks\": [{\"name\": \"t\", \"count\": {\"exp\": %d}, "
                 "\"future\": {\"join\": [%s]}}]}", ok[i].mean, join);
        fs_scenario *sc = load_ok(text);
        assert_int_equal(sc->total_tasks, ok[i].largest);
        fs_scenario_free(sc);
    }
    snprintf(text, sizeof text, "{\"tasks\": [{\"name\": \"t\", \"count\": {\"exp\": 30000}, "
             "\"future\": {\"join\": [%s]}}]}", join);
    expect_error(text, "x.json:1:35: tasks[0].count: too many futures: the tasks (each count times 1 + "
                       "the 21 futures of its future here) add up to more than 20000000; each task "
                       "builds its own tree");
}

static void test_all_future_forms(void **state)
{
    (void)state;
    fs_scenario *sc = load_ok(
        "{\"seed\": 9007199254740992, \"poll_cost_ns\": 0,\n"
        " \"resources\": {\"s\": {\"type\": \"socket\"}, \"f\": {\"type\": \"file\"},"
        " \"c\": {\"type\": \"channel\", \"capacity\": 1000000}},\n"
        " \"tasks\": [{\"name\": \"t\", \"count\": 500000, \"future\": {\"join\": [\n"
        "  {\"sleep_ms\": 100, \"forget_waker\": true, \"spurious_wakes\": 3},\n"
        "  {\"sleep_ms\": {\"exp\": 50}},\n"
        "  {\"compute_ms\": 1e3},\n"
        "  {\"compute_ms\": {\"uniform\": [0, 1000000000]}},\n"
        "  {\"read\": \"s\"}, {\"read\": \"f\"}, {\"open\": \"f\"},\n"
        "  {\"value\": -9007199254740992, \"send\": \"c\"}, {\"send\": \"c\"}, {\"recv\": \"c\"},\n"
        "  {\"yield\": true, \"forget_waker\": false},\n"
        "  {\"select\": [{\"repeat\": 5, \"do\": {\"yield\": true}}]},\n"
        "  {\"spawn\": {\"name\": \"child\", \"future\": {\"sleep_ms\": 1}}, \"await\": true},\n"
        "  {\"spawn\": {\"future\": {\"sleep_ms\": 1}, \"name\": \"bg\"}},\n"
        "  {\"repeat\": 0, \"do\": {\"seq\": [{\"sleep_ms\": 2.0}]}}\n"
        " ]}}]}");
    assert_int_equal(sc->seed, 9007199254740992ULL);
    assert_int_equal(sc->poll_cost_ns, 0);
    assert_int_equal(sc->resources[2].capacity, 1000000);
    assert_int_equal(sc->total_tasks, 500000);
    const fs_future_spec *j = &sc->tasks[0].future, *c = j->children;
    assert_int_equal(j->kind, FS_FUT_JOIN);
    assert_string_equal(j->label, "join");
    assert_int_equal(j->n_children, 15);

    assert_int_equal(c[0].kind, FS_FUT_SLEEP);
    assert_int_equal(c[0].dur.kind, FS_DUR_FIXED);
    assert_int_equal(c[0].dur.a_ms, 100);
    assert_string_equal(c[0].label, "sleep 100ms");
    assert_true(c[0].forget_waker);
    assert_int_equal(c[0].spurious_wakes, 3);
    assert_int_equal(c[0].pos.line, 4);
    assert_int_equal(c[0].pos.col, 3);
    assert_int_equal(c[1].dur.kind, FS_DUR_EXP);
    assert_int_equal(c[1].dur.a_ms, 50);
    assert_string_equal(c[1].label, "sleep exp 50ms");
    assert_int_equal(c[2].kind, FS_FUT_COMPUTE);
    assert_int_equal(c[2].dur.a_ms, 1000);
    assert_string_equal(c[2].label, "compute 1000ms");
    assert_string_equal(c[3].label, "compute uniform 0..1000000000ms");
    assert_int_equal(c[4].kind, FS_FUT_READ);
    assert_int_equal(c[4].resource, 0);
    assert_string_equal(c[4].label, "read s");
    assert_int_equal(c[5].resource, 1);
    assert_int_equal(c[6].kind, FS_FUT_OPEN);
    assert_string_equal(c[6].label, "open f");
    assert_int_equal(c[7].kind, FS_FUT_SEND);
    assert_true(c[7].has_value);
    assert_int_equal(c[7].value, -9007199254740992LL);
    assert_string_equal(c[7].label, "send c");
    assert_false(c[8].has_value);
    assert_int_equal(c[9].kind, FS_FUT_RECV);
    assert_string_equal(c[9].label, "recv c");
    assert_int_equal(c[10].kind, FS_FUT_YIELD);
    assert_int_equal(c[11].kind, FS_FUT_SELECT);
    assert_string_equal(c[11].label, "select");
    const fs_future_spec *rep = &c[11].children[0];
    assert_int_equal(rep->kind, FS_FUT_REPEAT);
    assert_int_equal(rep->repeat, 5);
    assert_string_equal(rep->label, "repeat 5");
    assert_int_equal(rep->n_children, 1);
    assert_int_equal(rep->children[0].kind, FS_FUT_YIELD);
    assert_int_equal(c[12].kind, FS_FUT_SPAWN);
    assert_string_equal(c[12].spawn_name, "child");
    assert_true(c[12].spawn_await);
    assert_string_equal(c[12].label, "spawn child");
    assert_int_equal(c[12].n_children, 1);
    assert_string_equal(c[12].children[0].label, "sleep 1ms");
    assert_false(c[13].spawn_await);
    assert_string_equal(c[13].label, "spawn bg");
    assert_int_equal(c[14].repeat, 0);
    assert_string_equal(c[14].children[0].children[0].label, "sleep 2ms");
    fs_scenario_free(sc);
}

static void test_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/fs_test_scenarioXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, SPEC_EXAMPLE, strlen(SPEC_EXAMPLE)), (ssize_t)strlen(SPEC_EXAMPLE));
    close(fd);
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_file(path, &sc, &err), FS_ERR_OK);
    assert_string_equal(sc->name, "two sockets");
    assert_string_equal(sc->file, path);
    fs_scenario_free(sc);
    unlink(path);

    sc = (fs_scenario *)&sc;
    assert_int_equal(fs_scenario_load_file("/nonexistent/x.json", &sc, &err), FS_ERR_IO);
    assert_null(sc);
    assert_string_equal(printed(&err), "/nonexistent/x.json: cannot open: No such file or directory");
    assert_int_equal(fs_scenario_load_file("/", &sc, &err), FS_ERR_IO);
    assert_string_equal(printed(&err), "/: cannot read: Is a directory");
    fs_scenario_free(NULL);
}

/* The text need not end in NUL: load from buffers of the exact size (ASan
 * catches a read past them), with a UTF-8 BOM, which is skipped. */
static void test_exact_buffers(void **state)
{
    (void)state;
    static const char *texts[] = {SPEC_EXAMPLE, "123", "{\"tasks\": [1", "{\"seed\": 12"};
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(texts[i]);
        char *exact = malloc(n);
        memcpy(exact, texts[i], n);
        fs_scenario *sc = NULL;
        fs_error err;
        fs_errcode rc = fs_scenario_load_text(exact, n, "x.json", &sc, &err);
        assert_int_equal(rc, i == 0 ? FS_ERR_OK : FS_ERR_INPUT);
        fs_scenario_free(sc);
        free(exact);
    }
    expect_error("\xEF\xBB\xBF{\"nmae\": 1}", "x.json:1:2: (root): unknown key \"nmae\" (expected one of: "
                                          "name, description, seed, poll_cost_ns, resources, futures, tasks, expect, worker_faults, $schema)");
    expect_error("\xEF\xBB\xBF \n", "x.json:1:1: (root): empty file, expected a JSON object");
}

/* The record behind the printed line. */
static void test_error_fields(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err;
    const char *text = ONE_TASK("{\"sleep_ms\": -1}");
    assert_int_equal(fs_scenario_load_text(text, strlen(text), "dir/a.json", &sc, &err), FS_ERR_INPUT);
    assert_null(sc);
    assert_int_equal(err.code, FS_ERR_INPUT);
    assert_string_equal(err.file, "dir/a.json");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 49);
    assert_string_equal(err.path, "tasks[0].future.sleep_ms");
    assert_string_equal(err.msg, "duration out of range: expected 0..1000000000 ms");
    /* Without a file name the line starts at the path. */
    assert_int_equal(fs_scenario_load_text("[]", 2, NULL, &sc, &err), FS_ERR_INPUT);
    assert_string_equal(printed(&err), "(root): expected a JSON object, got an array");
}

/* ---- bad JSON --------------------------------------------------------------------- */

static void test_empty_and_blank(void **state)
{
    (void)state;
    expect_error("", "x.json:1:1: (root): empty file, expected a JSON object");
    expect_error(" \n\t\r\n ", "x.json:1:1: (root): empty file, expected a JSON object");
    expect_error_n(NULL, 0, "x.json:1:1: (root): empty file, expected a JSON object");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    /* Truncated: at the end of the file, with the path of what was open. */
    expect_error("{\"tasks\": [{\"name\": \"t\",\n", "x.json:2:1: tasks[0]: unexpected end of file");
    expect_error("{\"tasks\": [{\"name\": \"t", "x.json:1:23: tasks[0].name: unexpected end of file");
    expect_error("{\"a\": 1,}", "x.json:1:8: (root): invalid JSON: trailing comma before '}'");
    expect_error("{\"a\": [1 2]}",
                 "x.json:1:10: a: invalid JSON: expected ',' or ']' after an array element, got '2'");
    expect_error("{\"a\" 1}", "x.json:1:6: (root): invalid JSON: expected ':' after the key, got '1'");
    expect_error("{a: 1}", "x.json:1:2: (root): invalid JSON: expected a key in double quotes, got \"a\"");
    expect_error("{'a': 1}",
                 "x.json:1:2: (root): invalid JSON: expected a key in double quotes, got a single quote");
    expect_error("{\"a\": True}", "x.json:1:7: a: invalid JSON: expected a value, got \"True\"");
    expect_error("{\"a\": 01}", "x.json:1:7: a: invalid JSON: invalid number \"01\"");
    expect_error("{\"a\": 1.}", "x.json:1:7: a: invalid JSON: invalid number \"1.\"");
    expect_error("{\"a\": \"x\ny\"}",
                 "x.json:1:9: a: invalid JSON: line break inside a string (missing '\"'?)");
    expect_error("{\"a\": \"\\q\"}", "x.json:1:8: a: invalid JSON: invalid escape \\q in a string");
    expect_error("{\"a\": \"\\ud800\"}", "x.json:1:8: a: invalid JSON: unpaired UTF-16 surrogate \\uD800");
    expect_error("{\"a\": \"\\u0000\"}", "x.json:1:8: a: strings cannot contain \\u0000");
    expect_error("{\"a\": \"\xC3\x28\"}", "x.json:1:8: a: invalid UTF-8 in a string");
    expect_error("{\"a\": 1} x", "x.json:1:10: (root): unexpected text after the JSON value");
    expect_error("{\"a\": 1}}", "x.json:1:9: (root): unexpected text after the JSON value");
    expect_error("[1, 2]", "x.json:1:1: (root): expected a JSON object, got an array");
    expect_error("\"tasks\"", "x.json:1:1: (root): expected a JSON object, got a string");
    /* Columns count code points: "é" is two bytes, one column. */
    expect_error("{\"name\": \"\xC3\xA9\xC3\xA9\", \"x\": ?}",
                 "x.json:1:21: x: invalid JSON: expected a value, got '?'");
    /* CRLF line ends: the line counts the '\n'. */
    expect_error("{\r\n\"a\":\r\n  @}", "x.json:3:3: a: invalid JSON: expected a value, got '@'");
}

/* cJSON takes NUL and control characters for whitespace; we do not. */
static void test_nul_and_control_bytes(void **state)
{
    (void)state;
    static const char in_string[] = "{\"name\": \"a\0b\", \"tasks\": []}";
    expect_error_n(in_string, sizeof in_string - 1, "x.json:1:12: name: invalid JSON: NUL byte inside a string");
    static const char after[] = "{\"tasks\": []}\0";
    expect_error_n(after, sizeof after - 1, "x.json:1:14: (root): unexpected NUL byte after the JSON value");
    static const char between[] = "{\"tasks\":\0[]}";
    expect_error_n(between, sizeof between - 1,
                   "x.json:1:10: tasks: invalid JSON: expected a value, got a NUL byte");
    expect_error("{\x01\"tasks\": []}",
                 "x.json:1:2: (root): invalid JSON: expected a key in double quotes, got byte 0x01");
    expect_error("{\"a\": \"\t\"}",
                 "x.json:1:8: a: invalid JSON: control character 0x09 inside a string (write it as \\u0009)");
    /* Binary junk. */
    expect_error("\x89PNG\r\n", "x.json:1:1: (root): invalid JSON: expected a value, got byte 0x89");
}

static char *nested(int depth, const char *open, const char *middle, const char *close, const char *pre,
                    const char *post)
{
    size_t n = strlen(pre) + strlen(post) + strlen(middle) + (size_t)depth * (strlen(open) + strlen(close)) + 1;
    char *s = malloc(n), *p = s;
    p += sprintf(p, "%s", pre);
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", open);
    p += sprintf(p, "%s", middle);
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", close);
    sprintf(p, "%s", post);
    return s;
}

static void test_json_nesting_limit(void **state)
{
    (void)state;
    /* 1000 levels are cJSON's limit: the 1001st bracket is refused, by us
     * first, with a message that says so. */
    char *s = nested(999, "[", "", "]", "{\"a\": ", "}");
    expect_error(s, "x.json:1:2: (root): unknown key \"a\" (expected one of: name, description, seed, "
                    "poll_cost_ns, resources, futures, tasks, expect, worker_faults, $schema)");
    free(s);
    s = nested(1000, "[", "", "]", "{\"a\": ", "}");
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(s, strlen(s), "x.json", &sc, &err), FS_ERR_INPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 1006);
    assert_string_equal(err.msg, "invalid JSON: nested deeper than 1000 levels");
    assert_int_equal(strncmp(err.path, "a[0][0][0]", 10), 0);
    assert_true(strlen(err.path) < sizeof err.path);
    free(s);
    /* Hostile depth costs no stack: a million brackets. */
    s = nested(1000000, "[", "", "", "", "");
    assert_int_equal(fs_scenario_load_text(s, strlen(s), "x.json", &sc, &err), FS_ERR_INPUT);
    assert_string_equal(err.msg, "invalid JSON: nested deeper than 1000 levels");
    free(s);
}

/* ---- bad scenarios ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
    (void)state;
    expect_error("{\"nmae\": \"x\", \"tasks\": []}",
                 "x.json:1:2: (root): unknown key \"nmae\" (expected one of: name, description, seed, "
                 "poll_cost_ns, resources, futures, tasks, expect, worker_faults, $schema)");
    expect_error(ONE_TASK("{\"sleep\": 100}"),
                 "x.json:1:37: tasks[0].future: unknown key \"sleep\" (expected one of: sleep_ms, read, "
                 "open, send, recv, compute_ms, yield, seq, join, select, spawn, repeat, spawn_blocking, "
                 "timeout_ms, while, retry, lock, acquire, close, notify_one, notify_waiters, notified, drop, join_set, abort, accept, write, interval, tick, break, read_lock, write_lock)");
    expect_error(ONE_TASK("{\"sleep_ms\": 1, \"value\": 2}"),
                 "x.json:1:52: tasks[0].future: unknown key \"value\" (expected one of: sleep_ms, "
                 "forget_waker, spurious_wakes)");
    expect_error("{\"tasks\": [{\"name\": \"t\", \"Future\": {}}]}",
                 "x.json:1:26: tasks[0]: unknown key \"Future\" (expected one of: name, count, future)");
    expect_error(WITH_RES("{\"recv\": \"c\"}") "x",
                 "x.json:2:52: (root): unexpected text after the JSON value");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"capacity\": 1}}, \"tasks\": []}",
                 "x.json:1:40: resources.s: unknown key \"capacity\" (expected one of: type, arrivals, faults)");
    expect_error("{\"resources\": {\"s\": {\"type\": \"sockets\"}}, \"tasks\": []}",
                 "x.json:1:30: resources.s.type: unknown resource type \"sockets\" (expected one of: "
                 "socket, file, channel, mutex, semaphore, notify, oneshot, listener, rwlock)");
    expect_error("{\"resources\": {\"s\": {\"arrivals\": []}}, \"tasks\": []}",
                 "x.json:1:21: resources.s: missing required key \"type\"");
    /* Keys are case-sensitive. */
    expect_error("{\"Tasks\": []}", "x.json:1:2: (root): unknown key \"Tasks\" (expected one of: name, "
                                    "description, seed, poll_cost_ns, resources, futures, tasks, expect, worker_faults, $schema)");
}

static void test_missing_keys(void **state)
{
    (void)state;
    expect_error("{}", "x.json:1:1: (root): missing required key \"tasks\"");
    expect_error("{\"tasks\": []}", "x.json:1:11: tasks: expected at least one task");
    expect_error("{\"tasks\": [{\"future\": {\"yield\": true}}]}",
                 "x.json:1:12: tasks[0]: missing required key \"name\"");
    expect_error("{\"tasks\": [{\"name\": \"t\"}]}", "x.json:1:12: tasks[0]: missing required key \"future\"");
    expect_error(ONE_TASK("{\"repeat\": 3}"), "x.json:1:36: tasks[0].future: missing required key \"do\"");
    expect_error(ONE_TASK("{\"spawn\": {\"name\": \"c\"}}"),
                 "x.json:1:46: tasks[0].future.spawn: missing required key \"future\"");
    expect_error(ONE_TASK("{}"), "x.json:1:36: tasks[0].future: missing the future's kind: one of the keys "
                                 "sleep_ms, read, open, send, recv, compute_ms, yield, seq, join, select, "
                                 "spawn, repeat, spawn_blocking, timeout_ms, while, retry, lock, acquire, "
                                 "close, notify_one, notify_waiters, notified, drop, join_set, abort, accept, write, interval, tick, break, read_lock, write_lock");
    expect_error(ONE_TASK("{\"seq\": [{\"yield\": true}], \"join\": []}"),
                 "x.json:1:63: tasks[0].future: a future has exactly one kind, got \"seq\" and \"join\"");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\": [{\"value\": 1}]}}, \"tasks\": []}",
                 "x.json:1:53: resources.s.arrivals[0]: missing required key \"after_ms\" or \"at_ms\"");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\": [{\"at_ms\": 1, \"after_ms\": 1}]}}, "
                 "\"tasks\": []}",
                 "x.json:1:66: resources.s.arrivals[0]: an arrival takes one of \"after_ms\" and \"at_ms\", "
                 "not both");
}

static void test_resources_by_name(void **state)
{
    (void)state;
    /* The SPEC's example with tasks[1]'s first read aimed at a socket that
     * does not exist. */
    char *text = replace(SPEC_EXAMPLE, "{\"open\": \"cfg\"}", "{\"read\": \"b\"}");
    fs_scenario *sc = load_ok(text);
    assert_int_equal(sc->tasks[1].future.children[0].resource, 1);
    assert_string_equal(sc->tasks[1].future.children[0].label, "read b");
    fs_scenario_free(sc);
    free(text);
    text = replace(SPEC_EXAMPLE, "{\"open\": \"cfg\"}", "{\"read\": \"sock_c\"}");
    expect_error(text, "x.json:14:55: tasks[1].future.seq[0].read: unknown resource \"sock_c\"");
    free(text);

    expect_error(WITH_RES("{\"open\": \"s\"}"),
                 "x.json:2:45: tasks[0].future.open: \"s\" is a socket; open needs a file");
    expect_error(WITH_RES("{\"read\": \"c\"}"),
                 "x.json:2:45: tasks[0].future.read: \"c\" is a channel; read needs a socket, a file or a listener");
    expect_error(WITH_RES("{\"send\": \"f\"}"),
                 "x.json:2:45: tasks[0].future.send: \"f\" is a file; send needs a channel or a oneshot");
    expect_error(WITH_RES("{\"recv\": 3}"),
                 "x.json:2:45: tasks[0].future.recv: expected a resource name (a string), got a number");
    expect_error("{\"resources\": {\"\": {\"type\": \"file\"}}, \"tasks\": []}",
                 "x.json:1:16: resources: resource name must be 1..128 bytes, got 0");
    expect_error("{\"resources\": [], \"tasks\": []}",
                 "x.json:1:15: resources: expected an object of named resources, got an array");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_error(ONE_TASK("{\"sleep_ms\": \"100\"}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: expected an integer number of milliseconds, got a string");
    expect_error(ONE_TASK("{\"seq\": {\"sleep_ms\": 1}}"),
                 "x.json:1:44: tasks[0].future.seq: expected an array of futures, got an object");
    expect_error(ONE_TASK("[{\"sleep_ms\": 1}]"),
                 "x.json:1:36: tasks[0].future: expected a future (an object such as {\"sleep_ms\": 10}), "
                 "got an array");
    expect_error(ONE_TASK("{\"yield\": false}"), "x.json:1:46: tasks[0].future.yield: expected true, got false");
    expect_error(ONE_TASK("{\"yield\": true, \"forget_waker\": 1}"),
                 "x.json:1:68: tasks[0].future.forget_waker: expected true or false, got a number");
    expect_error("{\"name\": 5, \"tasks\": []}", "x.json:1:10: name: expected a string, got a number");
    expect_error("{\"seed\": null, \"tasks\": []}", "x.json:1:10: seed: expected an integer, got null");
    expect_error("{\"tasks\": [{\"name\": [], \"future\": {\"yield\": true}}]}",
                 "x.json:1:21: tasks[0].name: expected a task name (a string), got an array");
    expect_error("{\"tasks\": {}}", "x.json:1:11: tasks: expected an array of tasks, got an object");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\": [{\"at_ms\": 1, \"value\": \"rand\"}]}}, "
                 "\"tasks\": []}",
                 "x.json:1:75: resources.s.arrivals[0].value: expected an integer or \"random\", got \"rand\"");
}

static void test_numbers(void **state)
{
    (void)state;
    expect_error(ONE_TASK("{\"sleep_ms\": 2.5}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: expected an integer number of milliseconds, got 2.5");
    expect_error(ONE_TASK("{\"sleep_ms\": 1e300}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: duration out of range: expected 0..1000000000 ms");
    expect_error(ONE_TASK("{\"sleep_ms\": 1e999}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: duration out of range: expected 0..1000000000 ms");
    expect_error(ONE_TASK("{\"sleep_ms\": 1e-400}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: expected an integer number of milliseconds, got 1e-400");
    expect_error(ONE_TASK("{\"sleep_ms\": 1000000001}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: duration out of range: expected 0..1000000000 ms");
    expect_error(ONE_TASK("{\"sleep_ms\": -1}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: duration out of range: expected 0..1000000000 ms");
    /* 2^53 + 1 is not a double, but we read the digits. */
    expect_error("{\"seed\": 9007199254740993, \"tasks\": []}",
                 "x.json:1:10: seed: seed out of range: expected 0..9007199254740992");
    expect_error("{\"seed\": 99999999999999999999999999, \"tasks\": []}",
                 "x.json:1:10: seed: seed out of range: expected 0..9007199254740992");
    expect_error("{\"poll_cost_ns\": 1000000001, \"tasks\": []}",
                 "x.json:1:18: poll_cost_ns: poll_cost_ns out of range: expected 0..1000000000 ns");
    expect_error("{\"tasks\": [{\"name\": \"t\", \"count\": 0, \"future\": {\"yield\": true}}]}",
                 "x.json:1:35: tasks[0].count: count out of range: expected 1..1000000");
    expect_error(ONE_TASK("{\"repeat\": 1000000001, \"do\": {\"yield\": true}}"),
                 "x.json:1:47: tasks[0].future.repeat: repeat count out of range: expected 0..1000000000");
    expect_error(ONE_TASK("{\"sleep_ms\": 1, \"spurious_wakes\": -1}"),
                 "x.json:1:70: tasks[0].future.spurious_wakes: spurious_wakes out of range: expected 0..1000000");
    expect_error(WITH_RES("{\"value\": 9007199254740993, \"send\": \"c\"}"),
                 "x.json:2:46: tasks[0].future.value: value out of range: "
                 "expected -9007199254740992..9007199254740992");
    expect_error("{\"resources\": {\"c\": {\"type\": \"channel\", \"capacity\": 0}}, \"tasks\": []}",
                 "x.json:1:53: resources.c.capacity: capacity out of range: expected 1..1000000");
    expect_error("{\"resources\": {\"f\": {\"type\": \"file\", \"latency_ms\": {\"read\": 2.5}}}, \"tasks\": []}",
                 "x.json:1:61: resources.f.latency_ms.read: expected an integer number of milliseconds, got 2.5");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\": [{\"after_ms\": \"1\"}]}}, \"tasks\": []}",
                 "x.json:1:66: resources.s.arrivals[0].after_ms: expected an integer number of milliseconds, "
                 "got a string");
    expect_error("{\"resources\": {\"s\": {\"type\": \"socket\", \"arrivals\": [{\"at_ms\": -5}]}}, \"tasks\": []}",
                 "x.json:1:63: resources.s.arrivals[0].at_ms: time out of range: expected 0..1000000000 ms");
    /* Too many tasks once the counts are added up. */
    char text[2048];
    size_t n = (size_t)sprintf(text, "{\"tasks\": [");
    for (int i = 0; i < 11; i++)
        n += (size_t)sprintf(text + n, "%s{\"name\": \"t%d\", \"count\": 1000000, \"future\": {\"yield\": true}}",
                             i ? ", " : "", i);
    sprintf(text + n, "]}");
    expect_error(text, "x.json:1:647: tasks[10].count: too many tasks: the counts add up to more than 10000000");
}

static void test_durations(void **state)
{
    (void)state;
    expect_error(ONE_TASK("{\"sleep_ms\": {\"uniform\": [500, 100]}}"),
                 "x.json:1:61: tasks[0].future.sleep_ms.uniform: expected lo <= hi in [lo, hi], got [500, 100]");
    expect_error(ONE_TASK("{\"sleep_ms\": {\"uniform\": [1, 2, 3]}}"),
                 "x.json:1:61: tasks[0].future.sleep_ms.uniform: expected [lo, hi], got 3 values");
    expect_error(ONE_TASK("{\"sleep_ms\": {\"uniform\": [1, 2000000000]}}"),
                 "x.json:1:65: tasks[0].future.sleep_ms.uniform[1]: duration out of range: "
                 "expected 0..1000000000 ms");
    expect_error(ONE_TASK("{\"compute_ms\": {\"exp\": 0}}"),
                 "x.json:1:59: tasks[0].future.compute_ms.exp: mean out of range: expected 1..1000000000 ms");
    expect_error(ONE_TASK("{\"sleep_ms\": {\"exp\": 5, \"uniform\": [1, 2]}}"),
                 "x.json:1:60: tasks[0].future.sleep_ms: a duration takes one of \"uniform\" and \"exp\", "
                 "not both");
    expect_error(ONE_TASK("{\"sleep_ms\": {\"mean\": 5}}"),
                 "x.json:1:50: tasks[0].future.sleep_ms: unknown key \"mean\" (expected one of: uniform, exp)");
    expect_error(ONE_TASK("{\"sleep_ms\": []}"),
                 "x.json:1:49: tasks[0].future.sleep_ms: expected an integer number of milliseconds, got an array");
}

static void test_lists_and_faults(void **state)
{
    (void)state;
    expect_error(ONE_TASK("{\"seq\": []}"), "x.json:1:44: tasks[0].future.seq: expected at least one future");
    expect_error(ONE_TASK("{\"join\": [{\"yield\": true}, 3]}"),
                 "x.json:1:63: tasks[0].future.join[1]: expected a future (an object such as "
                 "{\"sleep_ms\": 10}), got a number");
    expect_error(ONE_TASK("{\"seq\": [{\"yield\": true}], \"forget_waker\": true}"),
                 "x.json:1:63: tasks[0].future.forget_waker: fault options apply to leaf futures only");
    expect_error(ONE_TASK("{\"repeat\": 2, \"do\": {\"yield\": true}, \"spurious_wakes\": 1}"),
                 "x.json:1:73: tasks[0].future.spurious_wakes: fault options apply to leaf futures only");
    expect_error(ONE_TASK("{\"spawn\": {\"name\": \"c\", \"future\": {\"yield\": true}}, \"await\": 1}"),
                 "x.json:1:97: tasks[0].future.await: expected true or false, got a number");
    expect_error(ONE_TASK("{\"spawn\": {\"name\": \"\", \"future\": {\"yield\": true}}}"),
                 "x.json:1:55: tasks[0].future.spawn.name: task name must be 1..128 bytes, got 0");
}

/* 64 nested futures load; the 65th is refused where it starts. */
static void test_future_depth(void **state)
{
    (void)state;
    char *s = nested(63, "{\"repeat\": 1, \"do\": ", "{\"yield\": true}", "}",
                     "{\"tasks\": [{\"name\": \"t\", \"future\": ", "}]}");
    fs_scenario *sc = load_ok(s);
    const fs_future_spec *f = &sc->tasks[0].future;
    for (int i = 0; i < 63; i++)
        f = f->children;
    assert_int_equal(f->kind, FS_FUT_YIELD);
    fs_scenario_free(sc);
    free(s);

    s = nested(64, "{\"repeat\": 1, \"do\": ", "{\"yield\": true}", "}",
               "{\"tasks\": [{\"name\": \"t\", \"future\": ", "}]}");
    char want[512] = "x.json:1:1316: tasks[0].future";
    for (int i = 0; i < 64; i++)
        strcat(want, ".do");
    strcat(want, ": futures nested deeper than 64");
    expect_error(s, want);
    free(s);

    /* Paths too long for the record keep their end. */
    s = nested(80, "{\"seq\": [", "{\"yield\": true}", "]}", "{\"tasks\": [{\"name\": \"t\", \"future\": ", "}]}");
    fs_scenario *none = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(s, strlen(s), "x.json", &none, &err), FS_ERR_INPUT);
    assert_string_equal(err.msg, "futures nested deeper than 64");
    assert_int_equal(strncmp(err.path, "...", 3), 0);
    assert_string_equal(err.path + strlen(err.path) - 14, ".seq[0].seq[0]");
    free(s);
}

/* Named futures: {"call": "name"} builds the definition in place, with
 * places numbered per use; errors name the unknown future, the cycle, and
 * a call that nests too deep. */
static void test_named_futures(void **state)
{
    (void)state;
    fs_scenario *sc = load_ok("{\"futures\": {\"q\": {\"seq\": [{\"sleep_ms\": 1}, {\"yield\": true}]},"
                              " \"h\": {\"join\": [{\"call\": \"q\"}, {\"call\": \"q\"}]}},"
                              " \"tasks\": [{\"name\": \"t\", \"future\": {\"call\": \"h\"}}]}");
    const fs_future_spec *f = &sc->tasks[0].future;
    assert_int_equal(f->kind, FS_FUT_JOIN);
    assert_int_equal(f->n_children, 2);
    for (size_t i = 0; i < 2; i++) {
        const fs_future_spec *q = &f->children[i];
        assert_int_equal(q->kind, FS_FUT_SEQ);
        assert_int_equal(q->children[0].kind, FS_FUT_SLEEP);
        assert_int_equal(q->children[0].dur.a_ms, 1);
        assert_int_equal(q->children[1].kind, FS_FUT_YIELD);
    }
    /* each use has places of its own: join 0, q 1 (sleep 2, yield 3), q 4 (5, 6) */
    assert_int_equal(f->children[0].children[1].place, 3);
    assert_int_equal(f->children[1].children[0].place, 5);
    fs_scenario_free(sc);

    expect_error(ONE_TASK("{\"call\": \"q\"}"),
                 "x.json:1:45: tasks[0].future.call: unknown future \"q\": no \"futures\" are defined");
    expect_error("{\"futures\": {\"a\": {\"sleep_ms\": 1}}, \"tasks\": [{\"name\": \"t\", \"future\": {\"call\": 7}}]}",
                 "x.json:1:80: tasks[0].future.call: expected the name of a future defined in \"futures\" "
                 "(a string), got a number");
    expect_error("{\"futures\": {\"a\": {\"call\": \"a\"}}, \"tasks\": [{\"name\": \"t\", \"future\": {\"yield\": true}}]}",
                 "x.json:1:28: futures.a.call: future \"a\" calls itself: a -> a");
    expect_error("{\"futures\": [], \"tasks\": [{\"name\": \"t\", \"future\": {\"yield\": true}}]}",
                 "x.json:1:13: futures: expected an object of named futures {\"name\": future, ...}, got an array");
    /* a definition 60 deep called from 5 deep */
    char *body = nested(60, "{\"repeat\": 1, \"do\": ", "{\"yield\": true}", "}", "", "");
    char *doc = malloc(strlen(body) + 256);
    sprintf(doc, "{\"futures\": {\"deep\": %s}, \"tasks\": [{\"name\": \"t\", \"future\": "
                 "{\"seq\": [{\"seq\": [{\"seq\": [{\"seq\": [{\"call\": \"deep\"}]}]}]}]}}]}", body);
    fs_scenario *none = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(doc, strlen(doc), "x.json", &none, &err), FS_ERR_INPUT);
    assert_string_equal(err.msg, "futures nested deeper than 64");
    free(doc);
    free(body);
}

/* Spawned tasks are named parent/name; two spawns in one task's future
 * that would make one name are told apart: the later is name.2 (name.3,
 * ...), in document order, also against a spawn named x#1 outright beside
 * a numbered x. A call used twice spawns under two names. A spawn's future
 * is a task of its own: its spawns start their own names. */
static void test_spawn_names(void **state)
{
    (void)state;
    fs_scenario *sc = load_ok(
        "{\"futures\": {\"f\": {\"spawn\": {\"name\": \"q\", \"future\": {\"yield\": true}}}},"
        " \"tasks\": [{\"name\": \"t\", \"future\": {\"seq\": ["
        "  {\"spawn\": {\"name\": \"w\", \"future\": {\"spawn\": {\"name\": \"w\", \"future\": {\"yield\": true}}}}},"
        "  {\"spawn\": {\"name\": \"w\", \"future\": {\"yield\": true}}},"
        "  {\"repeat\": 2, \"do\": {\"spawn\": {\"name\": \"w\", \"future\": {\"yield\": true}}}},"
        "  {\"join_set\": {\"name\": \"x\", \"count\": 2, \"future\": {\"yield\": true}}},"
        "  {\"spawn\": {\"name\": \"x#1\", \"future\": {\"yield\": true}}},"
        "  {\"call\": \"f\"}, {\"call\": \"f\"}]}}]}");
    const fs_future_spec *seq = &sc->tasks[0].future;
    assert_string_equal(seq->children[0].spawn_name, "w");
    assert_string_equal(seq->children[0].children[0].spawn_name, "w"); /* t/w/w */
    assert_string_equal(seq->children[1].spawn_name, "w.2");
    assert_string_equal(seq->children[2].children[0].spawn_name, "w.3"); /* t/w.3#0, #1 */
    assert_string_equal(seq->children[3].spawn_name, "x");
    assert_string_equal(seq->children[4].spawn_name, "x#1.2");
    assert_string_equal(seq->children[5].spawn_name, "q");
    assert_string_equal(seq->children[6].spawn_name, "q.2");
    assert_string_equal(seq->children[1].label, "spawn w"); /* as written */
    fs_scenario_free(sc);
    expect_error(ONE_TASK("{\"spawn\": {\"name\": \"a/b\", \"future\": {\"yield\": true}}}"),
                 "x.json:1:55: tasks[0].future.spawn.name: a task name may not contain \"/\" (it joins a "
                 "spawned task's name to its parent's: \"conn#2/handler#0\")");
}

static void test_duplicates(void **state)
{
    (void)state;
    expect_error("{\"tasks\": [], \"seed\": 1, \"tasks\": []}", "x.json:1:26: (root): duplicate key \"tasks\"");
    expect_error(ONE_TASK("{\"sleep_ms\": 1, \"sleep_ms\": 2}"),
                 "x.json:1:52: tasks[0].future: duplicate key \"sleep_ms\"");
    expect_error("{\"tasks\": [{\"name\": \"w\", \"future\": {\"yield\": true}},\n"
                 "           {\"name\": \"v\", \"future\": {\"yield\": true}},\n"
                 "           {\"name\": \"w\", \"future\": {\"yield\": true}}]}",
                 "x.json:3:21: tasks[2].name: duplicate task name \"w\" (also the name of tasks[0])");
    /* Equal after unescaping is equal. */
    expect_error("{\"resources\": {\"c\": {\"type\": \"channel\"}, \"\\u0063\": {\"type\": \"file\"}}, \"tasks\": []}",
                 "x.json:1:42: resources: duplicate key \"c\"");
}

/* Many keys, many resources and many tasks: everything is n log n or
 * better (a quadratic check would take minutes here). */
static void test_large_objects(void **state)
{
    (void)state;
    enum { N = 100000 };
    size_t cap = (size_t)N * 120, n = 0;
    char *s = malloc(cap);
    n += (size_t)sprintf(s + n, "{\"resources\": {");
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(s + n, "%s\"c%d\": {\"type\": \"channel\"}", i ? ", " : "", i);
    n += (size_t)sprintf(s + n, "},\n \"tasks\": [");
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(s + n, "%s{\"name\": \"t%d\", \"future\": {\"recv\": \"c%d\"}}", i ? ", " : "", i,
                             N - 1 - i);
    sprintf(s + n, "]}");
    fs_scenario *sc = load_ok(s);
    assert_int_equal(sc->n_resources, N);
    assert_int_equal(sc->n_tasks, N);
    assert_int_equal(sc->tasks[0].future.resource, N - 1);
    assert_string_equal(sc->tasks[N - 1].future.label, "recv c0");
    fs_scenario_free(sc);

    /* The same with one resource name repeated at the very end. */
    char *last = strstr(s, "\"c99999\"");
    memcpy(last, "\"c12345\"", 8);
    expect_error(s, "x.json:1:3088875: resources: duplicate key \"c12345\"");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_spawn_names),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_all_future_forms),
        cmocka_unit_test(test_task_futures_limit),
        cmocka_unit_test(test_exp_count_largest_draw),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_exact_buffers),
        cmocka_unit_test(test_error_fields),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_nul_and_control_bytes),
        cmocka_unit_test(test_json_nesting_limit),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_resources_by_name),
        cmocka_unit_test(test_named_futures),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_lists_and_faults),
        cmocka_unit_test(test_future_depth),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_large_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
