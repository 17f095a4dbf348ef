/* test_viz_drawlist.c - the timeline as a draw list: exact rectangles for
 * known events at a known view, level of detail, ticks, and the state the
 * side panel shows at the playhead. No window, no SDL renderer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "support.h"
#include "test_viz_fixture.h"

typedef fs_fx fx;

static int fx_setup(void **state) { return fs_fx_setup_text(state, NULL); }
#define fx_teardown fs_fx_teardown
#define build_at fs_fx_build_at

static void test_layout(void **state)
{
    fx *f = *state;
    build_at(f, 0);
    assert_int_equal(f->v.n_lanes, 4);
    assert_int_equal(f->v.lanes[0].kind, FS_LANE_TASK);
    assert_int_equal(f->v.lanes[0].y, FX_TASK_Y);
    assert_int_equal(f->v.lanes[1].kind, FS_LANE_DEVICE);
    assert_int_equal(f->v.lanes[1].y, FX_DEVICE_Y);
    assert_int_equal(f->v.lanes[2].kind, FS_LANE_WORKER);
    assert_int_equal(f->v.lanes[2].y, FX_WORKER_Y);
    /* the band's ready queue depth, under its lanes */
    assert_int_equal(f->v.lanes[3].kind, FS_LANE_COUNTER);
    assert_int_equal(f->v.lanes[3].y, FX_WORKER_Y + f->v.theme.worker_lane_h);
}

static void test_ready_poll_rect(void **state)
{
    fx *f = *state;
    build_at(f, 1001000);
    /* task 0's ready poll at 1 ms: x = 210 + 1e6 / 4000; 1 us is under a
     * pixel, so it is drawn at the minimum width, full lane height */
    const fs_viz_cmd *c = fs_fixture_find(&f->v.dl, FS_HIT_SLICE, 0, 1);
    assert_non_null(c);
    assert_int_equal(c->type, FS_DRAW_RECT);
    assert_int_equal(c->x, FX_TL_X + 1000000 / FX_NS_PER_PX);
    assert_int_equal(c->w, 3);
    assert_int_equal(c->y, FX_TASK_Y + 3);
    assert_int_equal(c->h, 26 - 6);
    assert_true(fs_fixture_color_eq(c->color, f->v.theme.ready));
}

static void test_pending_poll_is_shorter_and_orange(void **state)
{
    fx *f = *state;
    build_at(f, 1001000);
    const fs_viz_cmd *c = fs_fixture_find(&f->v.dl, FS_HIT_SLICE, 0, 0);
    assert_non_null(c);
    assert_int_equal(c->x, FX_TL_X);
    assert_int_equal(c->y, FX_TASK_Y + 3 + 5);
    assert_int_equal(c->h, 10);
    assert_true(fs_fixture_color_eq(c->color, f->v.theme.pending));
    /* pending and ready differ in more than hue */
    assert_false(fs_fixture_color_eq(f->v.theme.pending, f->v.theme.ready));
}

static void test_after_playhead_is_faded(void **state)
{
    fx *f = *state;
    build_at(f, 500000);
    const fs_viz_cmd *c = fs_fixture_find(&f->v.dl, FS_HIT_SLICE, 0, 1);
    assert_non_null(c);
    fs_viz_color faded = fs_viz_fade(&f->v.theme, f->v.theme.ready, f->v.theme.future_fade);
    assert_true(fs_fixture_color_eq(c->color, faded));
    c = fs_fixture_find(&f->v.dl, FS_HIT_SLICE, 0, 0);
    assert_true(fs_fixture_color_eq(c->color, f->v.theme.pending));
}

static void test_playhead_line(void **state)
{
    fx *f = *state;
    build_at(f, 500000);
    int px = FX_TL_X + 500000 / FX_NS_PER_PX;
    bool found = false;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        if (c->type == FS_DRAW_RECT && fs_fixture_color_eq(c->color, f->v.theme.playhead) &&
            c->y == FX_TASK_Y - 24) {
            assert_int_equal(c->x, px - 1);
            assert_int_equal(c->w, 2);
            found = true;
        }
    }
    assert_true(found);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "500.000 us"));
}

static void test_device_worker_and_wake(void **state)
{
    fx *f = *state;
    build_at(f, 1001000);
    const fs_viz_cmd *io = fs_fixture_find(&f->v.dl, FS_HIT_IO, 0, 0);
    assert_non_null(io);
    assert_int_equal(io->x, FX_TL_X + 250 - 1);
    assert_int_equal(io->w, 3);
    assert_true(fs_fixture_color_eq(io->color, f->v.theme.io));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "arrival 5"));

    const fs_viz_cmd *park = fs_fixture_find(&f->v.dl, FS_HIT_PARK, 0, 0);
    assert_non_null(park);
    assert_int_equal(park->type, FS_DRAW_HATCH);
    assert_int_equal(park->x, FX_TL_X);       /* 1 us */
    assert_int_equal(park->x + park->w, FX_TL_X + 250);
    assert_int_equal(park->y, FX_WORKER_Y + 3);

    /* the wake: from the socket's lane (below) up to the bottom of the poll */
    bool arrow = false;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        if (c->type == FS_DRAW_ARROW && c->x == FX_TL_X + 250 && c->y == FX_DEVICE_Y + 10) {
            assert_int_equal(c->w, FX_TL_X + 251);           /* x2 */
            assert_int_equal(c->h, FX_TASK_Y + 26 - 3);      /* y2 */
            assert_true(fs_fixture_color_eq(c->color, f->v.theme.wake));
            arrow = true;
        }
    }
    assert_true(arrow);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "waiting: read a (waker"));
}

/* spawn_blocking (trace format 3): the pool's thread has a lane of its
 * own, below the worker, with the job as a box named "job (task)"; the
 * JoinHandle's wake comes from the "blocking pool" device lane. */
static const char bthread_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"pool\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"spawn_blocking 1ms\"}\n"
    "{\"t\":0,\"type\":\"blocking\",\"task\":0,\"thread\":0,\"job\":0,\"name\":\"hash\",\"dur\":1000000,\"queued\":0,\"new_thread\":true}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"blocking:0\"}\n"
    "{\"t\":1000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":1000000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":1000000,\"type\":\"wake\",\"task\":0,\"source\":\"blocking:0\"}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"spawn_blocking 1ms\",\"value\":1}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":1}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":1001000,\"tasks_total\":1,"
    "\"completed\":1,\"stalled\":false,\"time_limit_hit\":false,\"polls\":2,\"pending_polls\":1,"
    "\"ready_polls\":1,\"wasted_polls\":0,\"wakes\":1,\"busy_ns\":2000,\"idle_ns\":999000,\"cpu_busy\":0.002}\n";

static void test_blocking_thread_lane(void **state)
{
    (void)state;
    fx *f = NULL;
    assert_int_equal(fs_fx_setup_text((void **)&f, bthread_trace), 0);
    build_at(f, 1001000);
    assert_int_equal(f->v.n_lanes, 5);  /* with the counter lane */
    assert_int_equal(f->v.lanes[1].kind, FS_LANE_DEVICE);  /* the blocking pool */
    assert_int_equal(f->v.lanes[3].kind, FS_LANE_BTHREAD);
    assert_int_equal(f->v.lanes[3].y, FX_WORKER_Y + 20);
    const fs_viz_cmd *job = fs_fixture_find(&f->v.dl, FS_HIT_JOB, 0, 0);
    assert_non_null(job);
    assert_int_equal(job->x, FX_TL_X);               /* 0 .. 1 ms: 250 px */
    assert_int_equal(job->w, 250);
    assert_int_equal(job->y, FX_WORKER_Y + 20 + 3);
    assert_true(fs_fixture_color_eq(job->color, f->v.theme.worker_busy));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "hash (t0)"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "blocking thread 0"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "blocking pool"));
    bool arrow = false; /* from the pool's lane, at the job's end */
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        arrow |= c->type == FS_DRAW_ARROW && c->x == FX_TL_X + 250 && c->y == FX_DEVICE_Y + 10;
    }
    assert_true(arrow);
    void *st = f;
    fs_fx_teardown(&st);
}

/* A result that is an error: the lane's end says which, in the warning
 * colour, and the panel gives it instead of a value. */
static const char error_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"to\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"fetch\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"timeout 1ms\"}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"timeout 1ms\",\"value\":0,\"error\":\"elapsed\"}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":0,\"error\":\"elapsed\"}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":1001000,\"tasks_total\":1,"
    "\"completed\":1,\"stalled\":false,\"time_limit_hit\":false,\"polls\":2,\"pending_polls\":1,"
    "\"ready_polls\":1,\"wasted_polls\":0,\"wakes\":1,\"busy_ns\":2000,\"idle_ns\":999000,\"cpu_busy\":0.002}\n";

/* An interval's ticks on the timer lane: the tick at 1 ms and the two
 * missed ones due in the same poll share a pixel, so the first mark is
 * drawn once, labelled right of it with the others counted ("(+2)") and
 * room up to the next mark: the mark at x = 210 + 1 ms / 4000 ns = 460,
 * the label 3 px after it and 2 px inside its box (465). */
static const char tick_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"ticks\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"tick 1ms\"}\n"
    "{\"t\":0,\"type\":\"io\",\"resource\":\"timer\",\"what\":\"tick due\",\"value\":0}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"timer\"}\n"
    "{\"t\":1000000,\"type\":\"wake\",\"task\":0,\"source\":\"timer\"}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"tick 1ms\",\"value\":0}\n"
    "{\"t\":1000000,\"type\":\"io\",\"resource\":\"timer\",\"what\":\"tick due\",\"value\":1}\n"
    "{\"t\":1000000,\"type\":\"io\",\"resource\":\"timer\",\"what\":\"tick due\",\"value\":2}\n"
    "{\"t\":1000000,\"type\":\"io\",\"resource\":\"timer\",\"what\":\"tick due\",\"value\":3}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":0}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":1001000,\"tasks_total\":1,"
    "\"completed\":1,\"stalled\":false,\"time_limit_hit\":false,\"polls\":2,\"pending_polls\":1,"
    "\"ready_polls\":1,\"wasted_polls\":0,\"wakes\":1,\"busy_ns\":2000,\"idle_ns\":999000,\"cpu_busy\":0.002}\n";

static void test_interval_ticks(void **state)
{
    (void)state;
    fx *f = NULL;
    assert_int_equal(fs_fx_setup_text((void **)&f, tick_trace), 0);
    build_at(f, 1001000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "tick due 0"));
    const fs_viz_cmd *burst = fs_fixture_find_text(&f->v.dl, "tick due 1 (+2)");
    assert_non_null(burst);
    assert_int_equal(burst->x, 465);
    assert_null(fs_fixture_find_text(&f->v.dl, "tick due 2"));
    void *st = f;
    fs_fx_teardown(&st);
}

/* A resource fault on the resource's lane: a mark and its label in the
 * warning colour, a latency fault saying how much later its event came. */
static const char fault_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,\"scenario\":\"f\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read reply\"}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"reply\"}\n"
    "{\"t\":1000000,\"type\":\"fault\",\"resource\":\"reply\",\"kind\":\"latency\",\"on\":\"arrival\","
    "\"index\":0,\"extra_ns\":600000}\n"
    "{\"t\":1000000,\"type\":\"io\",\"resource\":\"reply\",\"what\":\"arrival\",\"value\":5}\n"
    "{\"t\":1000000,\"type\":\"wake\",\"task\":0,\"source\":\"reply\"}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read reply\",\"value\":5}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":5}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"end_ns\":1001000}\n";

static void test_resource_fault_mark(void **state)
{
    (void)state;
    fx *f = NULL;
    assert_int_equal(fs_fx_setup_text((void **)&f, fault_trace), 0);
    build_at(f, 1001000);
    const fs_viz_cmd *label = fs_fixture_find_text(&f->v.dl, "fault: latency +600.000 us");
    assert_non_null(label);
    assert_true(fs_fixture_color_eq(label->color, f->v.theme.warn));
    void *st = f;
    fs_fx_teardown(&st);
}

static void test_error_result(void **state)
{
    (void)state;
    fx *f = NULL;
    assert_int_equal(fs_fx_setup_text((void **)&f, error_trace), 0);
    build_at(f, 1001000);
    const fs_viz_cmd *end = fs_fixture_find_text(&f->v.dl, "done: elapsed");
    assert_non_null(end);
    assert_true(fs_fixture_color_eq(end->color, f->v.theme.warn));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "   at 1.001 ms, error: elapsed"));
    assert_null(fs_fixture_find_text(&f->v.dl, "   at 1.001 ms, value"));
    void *st = f;
    fs_fx_teardown(&st);
}

static void test_panel_state_text(void **state)
{
    fx *f = *state;
    build_at(f, 500000);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "wake at 500.000 us"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "ready queue (0): empty"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "   at read a; waker held by a"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "polls 1 "));
}

/* ---- the state at the playhead ------------------------------------------- */

static const char woken_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\",\"workers\":1,\"poll_cost_ns\":1000}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"sleep\"}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"timer\"}\n"
    "{\"t\":1000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read s\"}\n"
    "{\"t\":5000,\"type\":\"wake\",\"task\":1,\"source\":\"socket:s\"}\n"
    "{\"t\":5000,\"type\":\"wake\",\"task\":0,\"source\":\"timer\"}\n"
    "{\"t\":5000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":3000,\"result\":\"ready\",\"state\":\"read s\",\"value\":1}\n"
    "{\"t\":8000,\"type\":\"complete\",\"task\":1,\"value\":1}\n"
    "{\"t\":8000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"sleep\",\"value\":0}\n"
    "{\"t\":9000,\"type\":\"complete\",\"task\":0,\"value\":0}\n"
    "{\"type\":\"summary\",\"end_ns\":9000}\n";

static void test_state_at(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_load(woken_trace);
    assert_non_null(tr);
    fs_viz_state st;
    assert_true(fs_viz_state_init(&st, tr));

    fs_viz_state_at(&st, tr, 0);       /* a is being polled; b waits its first poll */
    assert_int_equal(st.tasks[0].phase, FS_TASK_RUNNING);
    assert_int_equal(st.tasks[1].phase, FS_TASK_SCHEDULED);
    assert_int_equal(st.n_ready, 1);
    assert_int_equal(st.ready[0], 1);

    fs_viz_state_at(&st, tr, 3000);    /* both wait; only a handed its waker to someone */
    assert_int_equal(st.tasks[0].phase, FS_TASK_WAITING);
    assert_int_equal(st.tasks[0].waker_res, 0);
    assert_string_equal(fs_trace_str(tr, st.tasks[0].await), "sleep");
    assert_int_equal(st.tasks[1].phase, FS_TASK_WAITING);
    assert_int_equal(st.tasks[1].waker_res, -1);
    assert_int_equal(st.n_ready, 0);
    assert_int_equal(st.counters.polls, 2);
    assert_int_equal(st.counters.busy_ns, 2000);

    fs_viz_state_at(&st, tr, 6000);    /* b runs (a long poll); a was woken, queued */
    assert_int_equal(st.tasks[1].phase, FS_TASK_RUNNING);
    assert_int_equal(st.tasks[0].phase, FS_TASK_SCHEDULED);
    assert_int_equal(st.tasks[0].waker_res, -1);  /* the timer gave it back by waking */
    assert_int_equal(st.n_ready, 1);
    assert_int_equal(st.ready[0], 0);
    assert_int_equal(st.counters.wakes, 2);
    assert_int_equal(st.counters.busy_ns, 3000);

    fs_viz_state_at(&st, tr, 9000);
    assert_int_equal(st.tasks[0].phase, FS_TASK_DONE);
    assert_int_equal(st.tasks[1].phase, FS_TASK_DONE);
    assert_int_equal(st.counters.polls, 4);
    assert_int_equal(st.counters.busy_ns, 6000);
    assert_true(st.counters.cpu_busy > 0.66 && st.counters.cpu_busy < 0.67);

    fs_viz_state_at(&st, tr, 3000);    /* backwards gives the same answer as before */
    assert_int_equal(st.tasks[0].phase, FS_TASK_WAITING);
    assert_int_equal(st.counters.polls, 2);
    fs_viz_state_destroy(&st);
    fs_trace_free(tr);
}

/* ---- level of detail ----------------------------------------------------- */

/* n pending polls of 1 us every 2 us, then a ready one. */
static char *many_polls(int n)
{
    size_t cap = (size_t)n * 160 + 1024;
    char *s = malloc(cap);
    size_t o = (size_t)snprintf(s, cap, "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,"
                                        "\"executor\":\"busy\",\"workers\":1,\"poll_cost_ns\":1000}\n"
                                        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"p\",\"parent\":null}\n");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, "{\"t\":%d,\"type\":\"poll\",\"task\":0,\"worker\":0,"
                                              "\"dur\":1000,\"result\":\"%s\",\"state\":\"x\"}\n",
                              i * 2000, i == n - 1 ? "ready" : "pending");
    snprintf(s + o, cap - o, "{\"type\":\"summary\",\"end_ns\":%d}\n", (n - 1) * 2000 + 1000);
    return s;
}

static size_t count_hits(const fs_viz_drawlist *dl, fs_viz_hit_kind hit, int64_t *polls)
{
    size_t n = 0;
    *polls = 0;
    for (size_t i = 0; i < dl->n; i++) {
        if (dl->cmds[i].hit == hit && dl->cmds[i].color.a && dl->cmds[i].h > 2) {
            n++;
            *polls += dl->cmds[i].count;
        }
    }
    return n;
}

static void test_fold_narrow_slices(void **state)
{
    (void)state;
    char *text = many_polls(1000);
    fs_trace *tr = fs_fixture_load(text);
    free(text);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    /* the whole run, 2 ms on 500 px: 1,000 polls of 1/4 px fold into one block */
    v.view.t1 = 2000000;
    fs_viz_view_set_playhead(&v.view, 2000000);
    fs_viz_viewer_build(&v);
    int64_t polls;
    assert_int_equal(count_hits(&v.dl, FS_HIT_FOLD, &polls), 1);
    assert_int_equal(polls, 1000);
    assert_non_null(fs_fixture_find_text(&v.dl, "1,000 polls"));
    assert_int_equal(count_hits(&v.dl, FS_HIT_SLICE, &polls), 0);
    /* zoomed to 20 us: 25 px each, drawn one by one */
    v.view.t0 = 0;
    v.view.t1 = 20000;
    fs_viz_viewer_build(&v);
    assert_int_equal(count_hits(&v.dl, FS_HIT_FOLD, &polls), 0);
    assert_int_equal(count_hits(&v.dl, FS_HIT_SLICE, &polls), 11);  /* 0..20 us inclusive */
    const fs_viz_cmd *c = fs_fixture_find(&v.dl, FS_HIT_SLICE, 0, 3);
    assert_int_equal(c->x, FX_TL_X + 6000 / 40);
    assert_int_equal(c->w, 25);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

static void test_spin_block_from_a_real_run(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_file(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), &sc, &err), FS_ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    fs_run *run = NULL;
    assert_int_equal(fs_run_simulate(&(fs_run_desc){.scenario = sc, .kind = FS_EXEC_BUSY, .trace = mem}, &run, &err), FS_ERR_OK);
    fclose(mem);
    fs_trace *tr = NULL;
    assert_int_equal(fs_trace_read_text(buf, len, "busy", &tr, &err), FS_ERR_OK);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    fs_viz_view_fit(&v.view);
    fs_viz_view_set_playhead(&v.view, 2e9);
    fs_viz_viewer_build(&v);
    const fs_viz_cmd *c = fs_fixture_find(&v.dl, FS_HIT_SLICE, 0, 1);
    assert_non_null(c);
    assert_int_equal(c->type, FS_DRAW_HATCH);
    assert_int_equal(c->count, 999999);
    assert_true(fs_fixture_color_eq(c->color, v.theme.spin));
    assert_non_null(fs_fixture_find_text(&v.dl, "\xC3\x97" "999,999 pending polls (busy loop)"));
    /* the name has priority over the poll count, which gets shorter */
    assert_non_null(fs_fixture_find_text(&v.dl, "get_num_a"));
    assert_null(fs_fixture_find_text(&v.dl, "get_num~"));
    assert_non_null(fs_fixture_find_text(&v.dl, "1.0M polls"));
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
    fs_run_free(run);
    fs_scenario_free(sc);
    free(buf);
}

/* Bands of different scenarios name theirs before the executor; bands of
 * one scenario (busy,wake) do not repeat it. */
static void test_bands_name_their_scenario(void **state)
{
    (void)state;
    char other[sizeof fs_fixture_trace];
    snprintf(other, sizeof other, "%s", fs_fixture_trace);
    memcpy(strstr(other, "\"tiny\""), "\"tidy\"", 6);
    fs_trace *tr[2] = {fs_fixture_load(fs_fixture_trace), fs_fixture_load(other)};
    assert_non_null(tr[0]);
    assert_non_null(tr[1]);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, tr, 2));
    fs_viz_viewer_build(&v);
    assert_non_null(fs_fixture_find_text(&v.dl, "tiny: "));
    assert_non_null(fs_fixture_find_text(&v.dl, "tidy: "));
    fs_viz_viewer_destroy(&v);
    fs_trace *same[2] = {tr[0], tr[0]};
    assert_true(fs_fixture_viewer(&v, same, 2));
    fs_viz_viewer_build(&v);
    assert_null(fs_fixture_find_text(&v.dl, "tiny: "));
    assert_non_null(fs_fixture_find_text(&v.dl, "wake fifo"));
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr[0]);
    fs_trace_free(tr[1]);
}

/* A failed --watch reload: a red bar above the legend with the error line,
 * over a view that still shows the last good run. */
static void test_error_bar(void **state)
{
    fx *f = *state;
    snprintf(f->v.error, sizeof f->v.error, "reload failed, showing the last good run: s.json:2:7: oops");
    build_at(f, 500000);
    const fs_viz_cmd *t = fs_fixture_find_text(&f->v.dl, "reload failed, showing the last good run: s.json:2:7");
    assert_non_null(t);
    assert_true(t->y > 600 - f->v.theme.legend_h - f->v.theme.line_h - 8 - 1);
    assert_true(t->y < 600 - f->v.theme.legend_h);
    assert_non_null(fs_fixture_find(&f->v.dl, FS_HIT_SLICE, 0, 0));  /* the run is still drawn */
}

static void test_ticks(void **state)
{
    (void)state;
    char b[48];
    assert_int_equal(fs_viz_tick_step(2e9, 1000, 110), 500000000);
    assert_int_equal(fs_viz_tick_step(25e6, 900, 110), 5000000);
    assert_int_equal(fs_viz_tick_step(1000, 500, 100), 200);
    assert_string_equal(fs_viz_format_tick(0, 500000000, b, sizeof b), "0");
    assert_string_equal(fs_viz_format_tick(1500000000, 500000000, b, sizeof b), "1.5 s");
    assert_string_equal(fs_viz_format_tick(2000000000, 1000000000, b, sizeof b), "2 s");
    assert_string_equal(fs_viz_format_tick(15000000, 5000000, b, sizeof b), "15 ms");
    assert_string_equal(fs_viz_format_tick(2400, 200, b, sizeof b), "2.4 us");
    assert_string_equal(fs_viz_format_tick(40, 20, b, sizeof b), "40 ns");
    /* a trace near 2^62 ns (issue 12: the unit's choice overflowed) */
    assert_string_equal(fs_viz_format_tick(4611686018000000000LL, 1000000000000000000LL, b, sizeof b),
                        "4611686018 s");
}

/* A trace near 2^62 ns, zoomed out or panned so far that the window passes
 * 2^63 ns (issue 12, item 2): ticks, lanes and the playhead are drawn without
 * an integer overflow (UBSan in the --asan suite). */
static void test_window_past_int64(void **state)
{
    (void)state;
    const char *text =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":2,"
        "\"executor\":\"wake\",\"workers\":1,\"poll_cost_ns\":1000}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"p\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\"}\n"
        "{\"t\":4611686018427386000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,"
        "\"result\":\"ready\",\"value\":1}\n"
        "{\"type\":\"summary\",\"end_ns\":4611686018427387000}\n";
    fs_trace *tr = fs_fixture_load(text);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    static const double windows[][2] = {
        {0, 1.8e19}, {4.6e18, 1.2e19}, {9.0e18, 9.3e18}, {-5e18, 2e19}, {1e19, 1.00000001e19}};
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        v.view.t0 = windows[i][0];
        v.view.t1 = windows[i][1];
        fs_viz_view_set_playhead(&v.view, 4611686018427387000.0);
        fs_viz_viewer_build(&v);
        assert_true(v.dl.n > 0);
    }
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_layout, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_ready_poll_rect, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pending_poll_is_shorter_and_orange, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_after_playhead_is_faded, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_playhead_line, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_device_worker_and_wake, fx_setup, fx_teardown),
        cmocka_unit_test(test_blocking_thread_lane),
        cmocka_unit_test_setup_teardown(test_panel_state_text, fx_setup, fx_teardown),
        cmocka_unit_test(test_state_at),
        cmocka_unit_test(test_fold_narrow_slices),
        cmocka_unit_test(test_spin_block_from_a_real_run),
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_window_past_int64),
        cmocka_unit_test(test_error_result),
        cmocka_unit_test(test_resource_fault_mark),
        cmocka_unit_test(test_interval_ticks),
        cmocka_unit_test(test_bands_name_their_scenario),
        cmocka_unit_test_setup_teardown(test_error_bar, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
