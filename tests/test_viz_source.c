/* test_viz_source.c - inputs to traces and --watch reloads: a scenario file
 * edited on disk is re-simulated; a bad edit reports its error line and
 * keeps the last good traces; trace files are read as written, several at
 * once on threads into what reading them one by one gives, and their bands
 * set up on threads into what setting them up one by one gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source.h"
#include "support.h"
#include "viewer.h"

static const char good[] =
    "{\"name\": \"w\", \"resources\": {\"a\": {\"type\": \"socket\", \"arrivals\": [{\"after_ms\": %d}]}},\n"
    " \"tasks\": [{\"name\": \"r\", \"future\": {\"read\": \"a\"}}]}\n";

/* Writes text to path with a modification time `sec` seconds after a fixed
 * one, so each write is seen as a change however fast the test runs. */
static void write_file(const char *path, const char *text, int sec)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec ts[2] = {{1700000000 + sec, 0}, {1700000000 + sec, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_watch_reload(void **state)
{
    (void)state;
    char path[128], text[512];
    snprintf(path, sizeof path, "%s/s.json", fs_test_scratch_dir());
    snprintf(text, sizeof text, good, 100);
    write_file(path, text, 0);
    fs_run_desc runs[2] = {{.kind = FS_EXEC_BUSY}, {.kind = FS_EXEC_WAKE}};
    fs_viz_source *src = fs_viz_source_create(runs, 2);
    assert_non_null(src);
    char err[512];
    assert_int_equal(fs_viz_source_add_file(src, path, err, sizeof err), FS_ERR_OK);
    size_t n;
    fs_trace **tr = fs_viz_source_traces(src, &n);
    assert_int_equal(n, 2);
    assert_int_equal(tr[1]->summary.end_ns, 100001000);
    fs_trace *first = tr[1];
    /* nothing changed */
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 0);
    /* an edit: the data now comes after 300 ms */
    snprintf(text, sizeof text, good, 300);
    write_file(path, text, 1);
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 1);
    tr = fs_viz_source_traces(src, &n);
    assert_int_equal(n, 2);
    assert_int_equal(tr[1]->summary.end_ns, 300001000);
    /* the previous generation is still alive (a viewer may show it until it
     * switches): reading it must be fine under ASan */
    assert_int_equal(first->summary.end_ns, 100001000);
    fs_trace *second = tr[1];
    /* a bad edit: the error names file, line and column; the last good stays */
    write_file(path, "{\"name\": \"w\",\n \"tasks\": [{\"name\": \"r\", \"future\": {\"read\": \"nope\"}}]}\n", 2);
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), -1);
    assert_non_null(strstr(err, "s.json:2:"));
    assert_non_null(strstr(err, "nope"));
    tr = fs_viz_source_traces(src, &n);
    assert_int_equal(n, 2);
    assert_ptr_equal(tr[1], second);
    /* not retried until the file changes again */
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 0);
    snprintf(text, sizeof text, good, 50);
    write_file(path, text, 3);
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 1);
    tr = fs_viz_source_traces(src, &n);
    assert_int_equal(tr[0]->summary.end_ns, 50001000);
    fs_viz_source_free(src);
}

static void test_add_errors_and_text(void **state)
{
    (void)state;
    fs_run_desc runs[1] = {{.kind = FS_EXEC_WAKE}};
    fs_viz_source *src = fs_viz_source_create(runs, 1);
    char err[512];
    assert_int_equal(fs_viz_source_add_file(src, "/nonexistent/x.json", err, sizeof err), FS_ERR_IO);
    assert_non_null(strstr(err, "/nonexistent/x.json"));
    size_t n;
    fs_viz_source_traces(src, &n);
    assert_int_equal(n, 0);
    char text[512];
    snprintf(text, sizeof text, good, 10);
    assert_int_equal(fs_viz_source_add_text(src, text, strlen(text), "embedded.json", err, sizeof err), FS_ERR_OK);
    fs_viz_source_traces(src, &n);
    assert_int_equal(n, 1);
    /* embedded text is never watched */
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 0);
    fs_viz_source_free(src);
}

/* A run of tasks that sleep and compute under kind, its trace written to
 * path: 600 tasks of two stems and a channel, enough to group. */
static void write_trace(const char *path, fs_exec_kind kind, int workers)
{
    static const char sc[] =
        "{\"name\":\"two stems\",\"seed\":5,\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":4}},"
        "\"tasks\":[{\"name\":\"t\",\"count\":500,\"future\":{\"repeat\":2,\"do\":{\"seq\":["
        "{\"sleep_ms\":{\"uniform\":[1,20]}},{\"compute_ms\":{\"uniform\":[0,2]}}]}}},"
        "{\"name\":\"p\",\"count\":50,\"future\":{\"repeat\":4,\"do\":{\"send\":\"ch\"}}},"
        "{\"name\":\"c\",\"count\":50,\"future\":{\"repeat\":4,\"do\":{\"recv\":\"ch\"}}}]}";
    fs_scenario *scn = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(sc, strlen(sc), "two.json", &scn, &err), FS_ERR_OK);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fs_run *run = NULL;
    fs_run_desc d = {.scenario = scn, .kind = kind, .workers = workers, .trace = f};
    assert_int_equal(fs_run_simulate(&d, &run, &err), FS_ERR_OK);
    assert_int_equal(fclose(f), 0);
    fs_run_free(run);
    fs_scenario_free(scn);
}

static void same_trace(const fs_trace *a, const fs_trace *b)
{
    assert_int_equal(a->lines, b->lines);
    assert_int_equal(a->n_tasks, b->n_tasks);
    assert_int_equal(a->n_wakes, b->n_wakes);
    assert_int_equal(a->n_resources, b->n_resources);
    assert_int_equal(a->workers, b->workers);
    assert_int_equal(a->summary.end_ns, b->summary.end_ns);
    for (size_t i = 0; i < a->n_tasks; i++) {
        const fs_trace_task *x = &a->tasks[i], *y = &b->tasks[i];
        assert_string_equal(fs_trace_str(a, x->name), fs_trace_str(b, y->name));
        assert_int_equal(x->sid, y->sid);
        assert_int_equal(x->n_slices, y->n_slices);
        for (size_t k = 0; k < x->n_slices; k++) {
            assert_int_equal(x->slices[k].t, y->slices[k].t);
            assert_int_equal(x->slices[k].end, y->slices[k].end);
            assert_int_equal(x->slices[k].worker, y->slices[k].worker);
            assert_string_equal(fs_trace_str(a, x->slices[k].state), fs_trace_str(b, y->slices[k].state));
        }
        assert_int_equal(x->n_wakes, y->n_wakes);
        assert_int_equal(x->waker_clones, y->waker_clones);
    }
    for (size_t i = 0; i < a->n_wakes; i++) {
        assert_int_equal(a->wakes[i].t, b->wakes[i].t);
        assert_int_equal(a->wakes[i].caused, b->wakes[i].caused);
    }
}

/* What the bands' set-up built: groups, rows, warnings and counter lanes. */
static void same_viewer(const fs_viz_viewer *a, const fs_viz_viewer *b)
{
    assert_int_equal(a->n_groups, b->n_groups);
    for (size_t i = 0; i < a->n_groups; i++) {
        const fs_viz_group *x = &a->groups[i], *y = &b->groups[i];
        assert_string_equal(x->stem, y->stem);
        assert_int_equal(x->trace, y->trace);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->open, y->open);
        assert_int_equal(x->n, y->n);
        assert_memory_equal(x->members, y->members, x->n * sizeof *x->members);
        assert_int_equal(x->n_times, y->n_times);
        assert_memory_equal(x->times, y->times, x->n_times * sizeof *x->times);
        if (x->counts)
            assert_memory_equal(x->counts, y->counts, x->n_times * sizeof *x->counts);
    }
    for (size_t i = 0; i < a->n_traces; i++) {
        assert_int_equal(a->bands[i].first_row, b->bands[i].first_row);
        assert_int_equal(a->bands[i].n_rows, b->bands[i].n_rows);
        assert_int_equal(a->counters[i].max, b->counters[i].max);
        assert_int_equal(a->counters[i].scale, b->counters[i].scale);
        assert_int_equal(a->counters[i].tasks.n_times, b->counters[i].tasks.n_times);
    }
    assert_int_equal(a->n_rows, b->n_rows);
    for (size_t i = 0; i < a->n_rows; i++) {
        assert_int_equal(a->rows[i].kind, b->rows[i].kind);
        assert_int_equal(a->rows[i].group, b->rows[i].group);
        assert_int_equal(a->rows[i].index, b->rows[i].index);
    }
    assert_int_equal(a->n_warnings, b->n_warnings);
    for (size_t i = 0; i < a->n_warnings; i++) {
        assert_int_equal(a->warnings[i].kind, b->warnings[i].kind);
        assert_int_equal(a->warnings[i].trace, b->warnings[i].trace);
        assert_int_equal(a->warnings[i].task, b->warnings[i].task);
        assert_int_equal(a->warnings[i].t, b->warnings[i].t);
    }
}

/* Two trace files read at once, each on a thread, give what reading them
 * one after another gives; so does setting their bands up on threads. */
static void test_files_read_at_once(void **state)
{
    (void)state;
    char paths[2][160];
    snprintf(paths[0], sizeof paths[0], "%s/wake.jsonl", fs_test_scratch_dir());
    snprintf(paths[1], sizeof paths[1], "%s/steal.jsonl", fs_test_scratch_dir());
    write_trace(paths[0], FS_EXEC_WAKE, 0);
    write_trace(paths[1], FS_EXEC_STEAL, 4);
    fs_run_desc runs[1] = {{.kind = FS_EXEC_WAKE}};
    fs_viz_source *one = fs_viz_source_create(runs, 1), *both = fs_viz_source_create(runs, 1);
    char err[512];
    for (int i = 0; i < 2; i++)
        assert_int_equal(fs_viz_source_add_file(one, paths[i], err, sizeof err), FS_ERR_OK);
    const char *files[2] = {paths[0], paths[1]};
    assert_int_equal(fs_viz_source_add_files(both, files, 2, err, sizeof err), FS_ERR_OK);
    size_t n1, n2;
    fs_trace **a = fs_viz_source_traces(one, &n1), **b = fs_viz_source_traces(both, &n2);
    assert_int_equal(n1, 2);
    assert_int_equal(n2, 2);
    same_trace(a[0], b[0]);
    same_trace(a[1], b[1]);
    assert_int_equal(b[1]->workers, 4);
    /* the bands set up one after another, and each on its own thread */
    fs_viz_viewer serial, threaded;
    fs_viz_threads = false;
    assert_true(fs_viz_viewer_init(&serial, a, 2, 1600, 900));
    fs_viz_threads = true;
    assert_true(fs_viz_viewer_init(&threaded, b, 2, 1600, 900));
    assert_true(serial.n_groups >= 4);  /* t and c/p stems, workers, per band */
    assert_true(serial.bands[1].first_row > 0);
    same_viewer(&serial, &threaded);
    fs_viz_viewer_destroy(&serial);
    fs_viz_viewer_destroy(&threaded);
    fs_viz_source_free(one);
    fs_viz_source_free(both);
}

/* Several files at once: a bad one's error is the one reported, the files
 * before it are added, the ones after it dropped. */
static void test_files_at_once_stop_at_the_bad_one(void **state)
{
    (void)state;
    char good_path[160], bad_path[160];
    snprintf(good_path, sizeof good_path, "%s/good.jsonl", fs_test_scratch_dir());
    snprintf(bad_path, sizeof bad_path, "%s/bad.jsonl", fs_test_scratch_dir());
    write_trace(good_path, FS_EXEC_WAKE, 0);
    write_file(bad_path, "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1}\nnot json\n", 0);
    fs_run_desc runs[1] = {{.kind = FS_EXEC_WAKE}};
    fs_viz_source *src = fs_viz_source_create(runs, 1);
    char err[512];
    const char *files[3] = {good_path, bad_path, good_path};
    assert_int_equal(fs_viz_source_add_files(src, files, 3, err, sizeof err), FS_ERR_INPUT);
    assert_non_null(strstr(err, "bad.jsonl:2: "));
    size_t n;
    fs_viz_source_traces(src, &n);
    assert_int_equal(n, 1);
    /* the one added is watched: a reload reads it again */
    write_trace(good_path, FS_EXEC_STEAL, 2);
    struct timespec ts[2] = {{1700000100, 0}, {1700000100, 0}};
    assert_int_equal(utimensat(AT_FDCWD, good_path, ts, 0), 0);
    assert_int_equal(fs_viz_source_check(src, err, sizeof err), 1);
    fs_trace **tr = fs_viz_source_traces(src, &n);
    assert_int_equal(n, 1);
    assert_int_equal(tr[0]->workers, 2);
    fs_viz_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_reload),
        cmocka_unit_test(test_add_errors_and_text),
        cmocka_unit_test(test_files_read_at_once),
        cmocka_unit_test(test_files_at_once_stop_at_the_bad_one),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
