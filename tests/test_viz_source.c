/* test_viz_source.c - inputs to traces and --watch reloads: a scenario file
 * edited on disk is re-simulated; a bad edit reports its error line and
 * keeps the last good traces; trace files are read as written. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_reload),
        cmocka_unit_test(test_add_errors_and_text),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
