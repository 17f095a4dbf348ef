/* test_viz_counter.c - a band's counter lane (viz/counter.c): the ready
 * queue's depth over time, derived from the lines (a task is queued from
 * its spawn or a wake to its next poll), its graph in the draw list, its
 * label and hover, at the fixture's geometry zoomed to 40 ns a pixel. */
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

/* Three tasks spawned at 0, polled one after another (0, 1 and 2 us);
 * a and b woken at 10 us by a's socket, polled at 10 and 11 us. */
static const char three_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"three\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":2,\"name\":\"c\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read s\"}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"s\"}\n"
    "{\"t\":1000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read s\"}\n"
    "{\"t\":1000,\"type\":\"register\",\"task\":1,\"resource\":\"s\"}\n"
    "{\"t\":2000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"forever\"}\n"
    "{\"t\":3000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":10000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":10000,\"type\":\"io\",\"resource\":\"s\",\"what\":\"arrival\",\"value\":1}\n"
    "{\"t\":10000,\"type\":\"wake\",\"task\":0,\"source\":\"socket:s\"}\n"
    "{\"t\":10000,\"type\":\"wake\",\"task\":1,\"source\":\"socket:s\"}\n"
    "{\"t\":10000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read s\",\"value\":1}\n"
    "{\"t\":11000,\"type\":\"complete\",\"task\":0,\"value\":1}\n"
    "{\"t\":11000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read s\",\"value\":1}\n"
    "{\"t\":12000,\"type\":\"complete\",\"task\":1,\"value\":1}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":20000}\n";

static int setup(void **state)
{
    if (fs_fx_setup_text(state, three_trace) != 0)
        return -1;
    fs_fx *f = *state;
    f->v.view.t1 = 20000;  /* 40 ns a pixel */
    return 0;
}

static void test_depth_at_given_times(void **state)
{
    fs_fx *f = *state;
    const fs_viz_counter *c = &f->v.counters[0];
    /* three spawned at 0, a polled at once: two wait */
    assert_int_equal(fs_viz_counter_queued_at(c, 0), 2);
    assert_int_equal(fs_viz_counter_queued_at(c, 999), 2);
    assert_int_equal(fs_viz_counter_queued_at(c, 1000), 1);
    assert_int_equal(fs_viz_counter_queued_at(c, 1999), 1);
    assert_int_equal(fs_viz_counter_queued_at(c, 2000), 0);
    assert_int_equal(fs_viz_counter_queued_at(c, 9999), 0);
    /* two woken at 10 us, a polled at once */
    assert_int_equal(fs_viz_counter_queued_at(c, 10000), 1);
    assert_int_equal(fs_viz_counter_queued_at(c, 10999), 1);
    assert_int_equal(fs_viz_counter_queued_at(c, 11000), 0);
    assert_int_equal(fs_viz_counter_queued_at(c, 20000), 0);
    assert_int_equal(c->max, 2);
}

static void test_graph_in_the_draw_list(void **state)
{
    fs_fx *f = *state;
    fs_fx_build_at(f, 20000);
    const fs_viz_theme *th = &f->v.theme;
    const fs_viz_lane *ln = &f->v.lanes[f->v.n_lanes - 1];
    assert_int_equal(ln->kind, FS_LANE_COUNTER);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "ready queue (0..2)"));
    struct { int x, w, h; } want[] = {{FX_TL_X, 25, 20}, {FX_TL_X + 25, 25, 10}, {FX_TL_X + 250, 25, 10}};
    size_t n = 0;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *cmd = &f->v.dl.cmds[i];
        if (cmd->type != FS_DRAW_RECT || !fs_fixture_color_eq(cmd->color, th->pending) ||
            cmd->y < ln->y || cmd->y >= ln->y + ln->h)
            continue;
        assert_true(n < 3);
        assert_int_equal(cmd->x, want[n].x);
        assert_int_equal(cmd->w, want[n].w);
        assert_int_equal(cmd->h, want[n].h);
        assert_int_equal(cmd->y + cmd->h, ln->y + ln->h - 2);  /* from the lane's bottom */
        n++;
    }
    assert_int_equal(n, 3);
}

static void test_hover_gives_the_depth(void **state)
{
    fs_fx *f = *state;
    fs_fx_build_at(f, 20000);
    const fs_viz_lane *ln = &f->v.lanes[f->v.n_lanes - 1];
    f->v.view.mouse_in = true;
    f->v.view.mouse_x = FX_TL_X + 30;  /* 1.2 us */
    f->v.view.mouse_y = ln->y + 5;
    fs_fx_build_at(f, 20000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "ready queue: 1 task at 1.200 us"));
}

/* steal:N: every queue at once, the local queues' part split off. */
static void test_steal_counts_every_queue(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate_n(fs_test_src("scenarios/seed/05_several_workers.json"), FS_EXEC_STEAL, 2);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    /* eight requests spawned at 0 into the injection queue, two taken at once */
    assert_int_equal(fs_viz_counter_queued_at(&v.counters[0], 0), 6);
    char buf[64];
    assert_string_equal(fs_viz_counter_name(&v, 0, buf, sizeof buf), "queued (0..6)");
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* A band whose one task group holds every task (a thousand sleepers):
 * the counter shares that group's step function instead of building it
 * again; it equals a step function built from nothing. */
static void test_counter_shares_the_group_of_every_task(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/thousand_sleepers.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    size_t whole = 0;
    for (size_t i = 0; i < v.n_groups; i++)
        whole += v.groups[i].kind == FS_LANE_TASK && v.groups[i].n == tr->n_tasks;
    assert_int_equal(whole, 1);
    fs_viz_group fresh;
    assert_true(fs_viz_group_all_tasks(tr, 0, NULL, 0, &fresh));
    const fs_viz_group *c = &v.counters[0].tasks;
    assert_true(fresh.n_times > 1000);
    assert_int_equal(c->n_times, fresh.n_times);
    assert_memory_equal(c->times, fresh.times, fresh.n_times * sizeof *fresh.times);
    assert_memory_equal(c->counts, fresh.counts, fresh.n_times * sizeof *fresh.counts);
    size_t nb = (fresh.n_times + FS_VIZ_GROUP_BLOCK - 1) / FS_VIZ_GROUP_BLOCK;
    assert_memory_equal(c->peaks, fresh.peaks, nb * sizeof *fresh.peaks);
    /* shared with the band's group, not copied (nor freed twice: ASan) */
    const fs_viz_group *whole_g = NULL;
    for (size_t i = 0; i < v.n_groups; i++)
        if (v.groups[i].kind == FS_LANE_TASK && v.groups[i].n == tr->n_tasks)
            whole_g = &v.groups[i];
    assert_ptr_equal(c->counts, whole_g->counts);
    assert_true(c->borrowed);
    assert_false(fresh.borrowed);
    fs_viz_group_clear(&fresh);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* A thousand sleepers spawned at once: 999 queued at 0, empty again
 * within 1 ms of a 1 s run, at most 1 queued after. The scale leaves the
 * burst out (0..1) and the burst is drawn clipped, its depth beside it. */
static void test_a_brief_burst_is_clipped(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/thousand_sleepers.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    assert_int_equal(v.counters[0].max, 999);
    assert_int_equal(v.counters[0].scale, 1);
    char buf[64];
    assert_string_equal(fs_viz_counter_name(&v, 0, buf, sizeof buf), "ready queue (0..1)");
    fs_viz_viewer_build(&v);
    assert_non_null(fs_fixture_find_text(&v.dl, "\xE2\x96\xB2" "999"));
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_depth_at_given_times, setup, fs_fx_teardown),
        cmocka_unit_test_setup_teardown(test_graph_in_the_draw_list, setup, fs_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hover_gives_the_depth, setup, fs_fx_teardown),
        cmocka_unit_test(test_steal_counts_every_queue),
        cmocka_unit_test(test_counter_shares_the_group_of_every_task),
        cmocka_unit_test(test_a_brief_burst_is_clipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
