/* test_waker_counts.c - waker clones and drops per task, as tokio-console
 * counts them: core counts them (a wake by value drops its clone), the
 * summary's task records carry them, the trace reader reads them back (its
 * fast path and cJSON's alike), and a task's detail shows them beside its
 * wakes. */
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

static fs_trace *sim(const char *rel)
{
    return fs_fixture_simulate(fs_test_src(rel), FS_EXEC_WAKE);
}

/* read_file: open, then read, each a clone handed to the file and dropped
 * by the wake that gives it back. */
static void test_clones_dropped_by_their_wakes(void **state)
{
    (void)state;
    fs_trace *tr = sim("scenarios/seed/04_read_file.json");
    assert_non_null(tr);
    assert_int_equal(tr->tasks[0].waker_clones, 2);
    assert_int_equal(tr->tasks[0].waker_drops, 2);
    fs_trace_free(tr);
}

/* mutex_deadlock stalls with each task's waker kept by the lock it waits
 * for: one clone more than drops; select_loop's losing branches drop the
 * clones they made (30 made, 30 dropped, for 10 wakes). */
static void test_clones_alive_at_a_stall_and_select(void **state)
{
    (void)state;
    fs_trace *tr = sim("scenarios/patterns/mutex_deadlock.json");
    assert_non_null(tr);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(tr->tasks[k].waker_clones, 2);
        assert_int_equal(tr->tasks[k].waker_drops, 1);
    }
    fs_trace_free(tr);
    tr = sim("scenarios/patterns/select_loop.json");
    assert_non_null(tr);
    assert_int_equal(tr->tasks[1].waker_clones, 30);
    assert_int_equal(tr->tasks[1].waker_drops, 30);
    fs_trace_free(tr);
}

/* The careful decoder (a name with an escape sends the summary line to
 * cJSON) reads the same figures; a trace without them leaves -1. */
static void test_reader_paths(void **state)
{
    (void)state;
    static const char head[] =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"s\","
        "\"executor\":\"wake\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n";
    const char *tails[] = {
        /* fast */
        "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":0,\"tasks\":["
        "{\"id\":0,\"name\":\"a\",\"waker_clones\":7,\"waker_drops\":5},{\"id\":1,\"name\":\"b\",\"waker_clones\":0,\"waker_drops\":0}]}\n",
        /* careful: an escaped name */
        "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":0,\"tasks\":["
        "{\"id\":0,\"name\":\"\\u0061\",\"waker_clones\":7,\"waker_drops\":5},{\"id\":1,\"name\":\"b\",\"waker_clones\":0,\"waker_drops\":0}]}\n",
    };
    char buf[2048];
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "%s%s", head, tails[i]);
        fs_trace *tr = fs_fixture_load(buf);
        assert_non_null(tr);
        assert_int_equal(tr->tasks[0].waker_clones, 7);
        assert_int_equal(tr->tasks[0].waker_drops, 5);
        assert_int_equal(tr->tasks[1].waker_clones, 0);
        fs_trace_free(tr);
    }
    snprintf(buf, sizeof buf, "%s%s", head, "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":0}\n");
    fs_trace *tr = fs_fixture_load(buf);
    assert_non_null(tr);
    assert_int_equal(tr->tasks[0].waker_clones, -1);
    assert_int_equal(tr->tasks[1].waker_drops, -1);
    fs_trace_free(tr);
}

static void test_detail_shows_them_beside_wakes(void **state)
{
    (void)state;
    fs_trace *tr = sim("scenarios/patterns/mutex_deadlock.json");
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_viewer_select(&v, 0, 0);
    fs_viz_viewer_build(&v);
    const fs_viz_cmd *wakes = fs_fixture_find_text(&v.dl, "wakes ");
    const fs_viz_cmd *c = fs_fixture_find_text(&v.dl, "waker clones 2, drops 1 (1 alive at the end)");
    assert_non_null(wakes);
    assert_non_null(c);
    assert_true(c->y > wakes->y && c->y - wakes->y <= 5 * v.theme.line_h);
    fs_fixture_close(tr, &v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clones_dropped_by_their_wakes),
        cmocka_unit_test(test_clones_alive_at_a_stall_and_select),
        cmocka_unit_test(test_reader_paths),
        cmocka_unit_test(test_detail_shows_them_beside_wakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
