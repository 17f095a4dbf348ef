/* test_viz_steal.c - steal:N's marks (viz/steal.c) as a draw list: driver
 * turns and the local queue's depth on a worker lane, coop budget yields on
 * a task lane, their tooltips, the side panel's queue depths and the
 * legend, at the fixture's geometry (test_viz_fixture.h: the timeline
 * starts at x 210, 4000 ns per pixel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_viz_fixture.h"

/* One worker, one task: a budget yield at 0, the queue 2 deep from 0.4 ms
 * to 0.8 ms, the worker off the CPU (--cpus) 0.6..0.7 ms, a driver turn
 * delivering 6 events at 1 ms. */
static const char steal_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":2,\"scenario\":\"s\","
    "\"executor\":\"steal:1\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"recv ch\"}\n"
    "{\"t\":0,\"type\":\"budget\",\"task\":0,\"worker\":0}\n"
    "{\"t\":400000,\"type\":\"queue\",\"worker\":0,\"depth\":2}\n"
    "{\"t\":600000,\"type\":\"preempt\",\"worker\":0}\n"
    "{\"t\":700000,\"type\":\"resume\",\"worker\":0}\n"
    "{\"t\":800000,\"type\":\"queue\",\"worker\":0,\"depth\":0}\n"
    "{\"t\":1000000,\"type\":\"driver\",\"worker\":0,\"fired\":6}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"recv ch\",\"value\":1}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":1}\n"
    "{\"type\":\"summary\",\"executor\":\"steal:1\",\"workers\":1,\"end_ns\":1001000}\n";

#define WORKER_Y (FX_DEVICE_Y)   /* no device lanes: the worker follows the task */

typedef fs_fx fx;

static int fx_setup(void **state) { return fs_fx_setup_text(state, steal_trace); }
#define fx_teardown fs_fx_teardown
#define build_at fs_fx_build_at

/* The filled rectangle of exactly this colour whose x is x, or NULL. */
static const fs_viz_cmd *rect_at(const fs_viz_drawlist *dl, int x, fs_viz_color col)
{
    for (size_t i = 0; i < dl->n; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->type == FS_DRAW_RECT && c->x == x && fs_fixture_color_eq(c->color, col))
            return c;
    }
    return NULL;
}

static void test_worker_lane_holds_the_queue_strip(void **state)
{
    fx *f = *state;
    build_at(f, 2000000);
    const fs_viz_lane *w = &f->v.lanes[1];
    assert_int_equal(w->kind, FS_LANE_WORKER);
    assert_int_equal(w->y, WORKER_Y);
    assert_int_equal(w->h, f->v.theme.worker_lane_h + f->v.theme.queue_strip_h);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "local queue (0..2)"));
}

static void test_driver_mark(void **state)
{
    fx *f = *state;
    build_at(f, 2000000);
    /* 1 ms is 250 px in: the framed tick is 5 px wide, centred there */
    const fs_viz_cmd *d = fs_fixture_find(&f->v.dl, FS_HIT_DRIVER, 0, 0);
    assert_non_null(d);
    assert_int_equal(d->x, FX_TL_X + 250 - 2);
    assert_int_equal(d->w, 5);
    assert_int_equal(d->y, WORKER_Y + 1);
    assert_int_equal(d->count, 1);
    assert_true(fs_fixture_color_eq(d->color, f->v.theme.driver_edge));
    assert_non_null(rect_at(&f->v.dl, FX_TL_X + 250 - 1, f->v.theme.driver));
    const fs_viz_cmd *n = fs_fixture_find_text(&f->v.dl, "6");
    assert_non_null(n);
    assert_int_equal(n->x, FX_TL_X + 250 + 4);
}

static void test_queue_graph(void **state)
{
    fx *f = *state;
    build_at(f, 2000000);
    const fs_viz_theme *th = &f->v.theme;
    /* depth 2 (the scale) from 0.4 ms to 0.8 ms: x 310..410, the strip's
     * full height; depth 0 elsewhere draws nothing */
    const fs_viz_cmd *q = rect_at(&f->v.dl, FX_TL_X + 100, th->queue);
    assert_non_null(q);
    assert_int_equal(q->w, 100);
    assert_int_equal(q->h, th->queue_strip_h - 2);
    assert_int_equal(q->y + q->h, WORKER_Y + th->worker_lane_h + th->queue_strip_h - 1);
    size_t bars = 0;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        bars += c->type == FS_DRAW_RECT && fs_fixture_color_eq(c->color, th->queue) &&
                c->y >= WORKER_Y && c->y < WORKER_Y + th->worker_lane_h + th->queue_strip_h;
    }
    assert_int_equal(bars, 1);   /* (the legend has its own, below) */
    assert_non_null(fs_fixture_find_text(&f->v.dl, "2"));
    /* after the playhead the bar is faded */
    build_at(f, 100000);
    assert_null(rect_at(&f->v.dl, FX_TL_X + 100, th->queue));
    assert_non_null(rect_at(&f->v.dl, FX_TL_X + 100, fs_viz_fade(th, th->queue, th->future_fade)));
}

static void test_budget_mark(void **state)
{
    fx *f = *state;
    build_at(f, 2000000);
    const fs_viz_cmd *b = fs_fixture_find(&f->v.dl, FS_HIT_BUDGET, 0, 0);
    assert_non_null(b);
    assert_int_equal(b->x, FX_TL_X);
    assert_int_equal(b->w, 7);
    assert_int_equal(b->y + b->h, FX_TASK_Y + f->v.theme.task_lane_h - 1);
    assert_true(fs_fixture_color_eq(b->color, f->v.theme.budget));
}

static void hover(fx *f, int x, int y)
{
    f->v.view.mouse_in = true;
    f->v.view.mouse_x = x;
    f->v.view.mouse_y = y;
    build_at(f, 2000000);
}

static void test_tooltips(void **state)
{
    fx *f = *state;
    hover(f, FX_TL_X + 250, WORKER_Y + 8);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "driver turn: 6 events delivered"));
    hover(f, FX_TL_X + 2, FX_TASK_Y + 22);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "coop budget spent: yields"));
    hover(f, FX_TL_X + 150, WORKER_Y + 30);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local run queue: 2 tasks"));
    hover(f, FX_TL_X + 50, WORKER_Y + 30);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local run queue: 0 tasks"));
}

static void test_panel_and_legend(void **state)
{
    fx *f = *state;
    f->v.view.w = 2800;   /* room for the legend's long labels */
    build_at(f, 500000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local queue: 2 tasks"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "driver turn: N events delivered"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "coop budget spent: yield"));
    build_at(f, 650000);
    /* the fixture's narrow panel wraps the line there */
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local queue: 2 tasks"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "(preempted)"));
    build_at(f, 700000); /* resumed: the span ends there */
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local queue: 2 tasks"));
    assert_null(fs_fixture_find_text(&f->v.dl, "(preempted)"));
    build_at(f, 900000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 local queue: 0 tasks"));
}

/* Other executors: no strip, no marks, no legend entries. */
static void test_other_executors_unchanged(void **state)
{
    (void)state;
    fs_trace *tr;
    fs_viz_viewer v;
    assert_true(fs_fixture_open(&tr, &v));
    v.view.w = 2400;
    fs_viz_viewer_build(&v);
    assert_int_equal(v.lanes[2].h, v.theme.worker_lane_h);
    assert_null(fs_fixture_find_text(&v.dl, "local queue"));
    assert_null(fs_fixture_find_text(&v.dl, "driver turn"));
    fs_fixture_close(tr, &v);
}

/* A real steal:4 run: a driver turn's mark and count where the trace has it. */
static void test_real_steal_run(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(FS_SOURCE_DIR "/scenarios/seed/05_several_workers.json", FS_EXEC_STEAL);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_viewer_build(&v);
    size_t drivers = 0;
    for (int w = 0; w < tr->workers; w++)
        drivers += tr->workers_v[w].n_drivers;
    assert_true(drivers > 0);
    size_t marks = 0;
    for (size_t i = 0; i < v.dl.n; i++)
        marks += v.dl.cmds[i].hit == FS_HIT_DRIVER;
    assert_true(marks > 0 && marks <= drivers);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* Two workers: worker 1 takes 3 tasks from worker 0's queue at 1 ms. */
static const char steal2_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"s\","
    "\"executor\":\"steal:2\",\"workers\":2,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"queue\",\"worker\":0,\"depth\":4}\n"
    "{\"t\":1000000,\"type\":\"steal\",\"worker\":1,\"victim\":0,\"count\":3}\n"
    "{\"t\":1000000,\"type\":\"queue\",\"worker\":0,\"depth\":1}\n"
    "{\"t\":1000000,\"type\":\"queue\",\"worker\":1,\"depth\":2}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":1,\"dur\":1000,\"result\":\"ready\",\"state\":\"x\",\"value\":1}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":1}\n"
    "{\"type\":\"summary\",\"executor\":\"steal:2\",\"workers\":2,\"end_ns\":1001000}\n";

static int fx2_setup(void **state) { return fs_fx_setup_text(state, steal2_trace); }

/* The reader keeps the steal under the thief; the timeline draws it as an
 * arrow from the victim's queue strip down to the thief's, at 1 ms (250 px
 * in), labelled 3 beside its head; hovering the label explains it. */
static void test_steal_arrow(void **state)
{
    fx *f = *state;
    const fs_trace *tr = f->tr;
    assert_int_equal(tr->workers_v[0].n_steals, 0);
    assert_int_equal(tr->workers_v[1].n_steals, 1);
    assert_int_equal(tr->workers_v[1].steals[0].t, 1000000);
    assert_int_equal(tr->workers_v[1].steals[0].victim, 0);
    assert_int_equal(tr->workers_v[1].steals[0].count, 3);
    build_at(f, 2000000);
    const fs_viz_lane *w0 = &f->v.lanes[1], *w1 = &f->v.lanes[2];
    assert_int_equal(w0->kind, FS_LANE_WORKER);
    assert_int_equal(w1->kind, FS_LANE_WORKER);
    const fs_viz_theme *th = &f->v.theme;
    int y0 = w0->y + th->worker_lane_h + th->queue_strip_h / 2;
    int y1 = w1->y + th->worker_lane_h + th->queue_strip_h / 2;
    size_t arrows = 0;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        if (c->type == FS_DRAW_ARROW && c->y == y0 && c->h == y1) {
            assert_true(c->x == FX_TL_X + 250 || c->x == FX_TL_X + 251);
            assert_int_equal(c->w, c->x);
            assert_true(fs_fixture_color_eq(c->color, th->queue_edge));
            arrows++;
        }
    }
    assert_int_equal(arrows, 2);   /* two pixels wide */
    const fs_viz_cmd *label = fs_fixture_find(&f->v.dl, FS_HIT_STEAL, 1, 0);
    assert_non_null(label);
    assert_int_equal(label->x, FX_TL_X + 250 + 3);
    assert_int_equal(label->y, y1 - th->line_h - 1);
    assert_int_equal(label->count, 1);
    const fs_viz_cmd *n = fs_fixture_find_text(&f->v.dl, "3");
    assert_non_null(n);
    assert_int_equal(n->x, FX_TL_X + 250 + 4);
    f->v.view.mouse_in = true;
    f->v.view.mouse_x = label->x + 2;
    f->v.view.mouse_y = label->y + 2;
    build_at(f, 2000000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "steal: worker 1 took 3 tasks from worker 0"));
}

/* The fixture's trace with a worker fault's line before the preemption:
 * the same span is a pause of 100 us. */
static int fx_pause_setup(void **state)
{
    static char text[sizeof steal_trace + 128];
    const char *at = strstr(steal_trace, "{\"t\":600000,\"type\":\"preempt\"");
    snprintf(text, sizeof text, "%.*s{\"t\":600000,\"type\":\"fault\",\"kind\":\"pause\",\"worker\":0,"
             "\"dur\":100000}\n%s", (int)(at - steal_trace), steal_trace, at);
    return fs_fx_setup_text(state, text);
}

/* Hovering the span (0.6..0.7 ms: 150 to 175 px in) says it is a pause and
 * how long; the side panel marks the worker paused, not preempted. */
static void test_pause_hover_and_panel(void **state)
{
    fx *f = *state;
    assert_int_equal(fs_trace_pause_at(&f->tr->workers_v[0], 600000), 100000);
    hover(f, FX_TL_X + 162, WORKER_Y + 8);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 paused (worker fault: 100.000 us)"));
    assert_null(fs_fixture_find_text(&f->v.dl, "preempted: its thread waits for a CPU"));
    f->v.view.mouse_in = false;
    build_at(f, 650000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "(paused)"));
    assert_null(fs_fixture_find_text(&f->v.dl, "(preempted)"));
}

/* Without the fault line the span is a preemption for a CPU. */
static void test_preempt_hover(void **state)
{
    fx *f = *state;
    hover(f, FX_TL_X + 162, WORKER_Y + 8);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 preempted: its thread waits for a CPU (--cpus, --hand-over)"));
}

/* The panel of the seed's run under steal (the fixture's one worker) at
 * 50 ms: the worker's queue depth and the queued tasks it polls next, and
 * no driver turn yet; at the run's end the last driver turn's worker. */
static void test_panel_queues_real_run(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(FS_SOURCE_DIR "/scenarios/seed/05_several_workers.json", FS_EXEC_STEAL);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_view_set_playhead(&v.view, 50e6);
    fs_viz_viewer_build(&v);
    assert_non_null(fs_fixture_find_text(&v.dl, "ready queue (7): request#1, request#2"));
    assert_non_null(fs_fixture_find_text(&v.dl, "worker 0 local queue: 7 tasks"));
    const fs_viz_cmd *c = fs_fixture_find_text(&v.dl, "   polls next (7): ");
    assert_non_null(c);
    assert_string_equal(fs_viz_cmd_text(&v.dl, c), "   polls next (7): request#1, request#2, ...");
    assert_null(fs_fixture_find_text(&v.dl, "driver: last turned"));
    fs_viz_view_set_playhead(&v.view, (double)tr->summary.end_ns);
    fs_viz_viewer_build(&v);
    assert_non_null(fs_fixture_find_text(&v.dl, "driver: last turned by worker 0 at "));
    assert_null(fs_fixture_find_text(&v.dl, "   polls next"));
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_worker_lane_holds_the_queue_strip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_driver_mark, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_queue_graph, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_budget_mark, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tooltips, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_panel_and_legend, fx_setup, fx_teardown),
        cmocka_unit_test(test_other_executors_unchanged),
        cmocka_unit_test(test_real_steal_run),
        cmocka_unit_test_setup_teardown(test_steal_arrow, fx2_setup, fx_teardown),
        cmocka_unit_test(test_panel_queues_real_run),
        cmocka_unit_test_setup_teardown(test_pause_hover_and_panel, fx_pause_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_preempt_hover, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
