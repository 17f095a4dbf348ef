/* test_viz_navigate.c - the selected task's next / previous event ('.' and
 * ',', viz/navigate.c) and the order of task lanes ('o', viz/order.c),
 * driven by SDL key events on a hand-written trace whose times, polls and
 * wake latencies are known:
 *
 *   a  spawn 0, poll 0 pending, woken by x at 100 us, polled then: done 101 us
 *   b  spawn 0, poll 1 us pending, woken by y at 200 us, polled at 500 us
 *      (300 us late) pending, woken by y at 600 us, polled then: done 601 us
 *   c  spawn 0, poll 2 us ready: done 3 us
 *   d  spawn 0, four pending polls at 3..6 us, never woken, never done */
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

static const char nav_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"nav\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"b\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":2,\"name\":\"c\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":3,\"name\":\"d\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read x\"}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"x\"}\n"
    "{\"t\":1000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read y\"}\n"
    "{\"t\":1000,\"type\":\"register\",\"task\":1,\"resource\":\"y\"}\n"
    "{\"t\":2000,\"type\":\"poll\",\"task\":2,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"\",\"value\":1}\n"
    "{\"t\":3000,\"type\":\"complete\",\"task\":2,\"value\":1}\n"
    "{\"t\":3000,\"type\":\"poll\",\"task\":3,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"spin\"}\n"
    "{\"t\":4000,\"type\":\"poll\",\"task\":3,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"spin\"}\n"
    "{\"t\":5000,\"type\":\"poll\",\"task\":3,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"spin 2\"}\n"
    "{\"t\":6000,\"type\":\"poll\",\"task\":3,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"spin 3\"}\n"
    "{\"t\":7000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":100000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":100000,\"type\":\"io\",\"resource\":\"x\",\"what\":\"arrival\",\"value\":5}\n"
    "{\"t\":100000,\"type\":\"wake\",\"task\":0,\"source\":\"socket:x\"}\n"
    "{\"t\":100000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read x\",\"value\":5}\n"
    "{\"t\":101000,\"type\":\"complete\",\"task\":0,\"value\":5}\n"
    "{\"t\":101000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":200000,\"type\":\"io\",\"resource\":\"y\",\"what\":\"arrival\",\"value\":6}\n"
    "{\"t\":200000,\"type\":\"wake\",\"task\":1,\"source\":\"socket:y\"}\n"
    "{\"t\":500000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":500000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read y\"}\n"
    "{\"t\":500000,\"type\":\"register\",\"task\":1,\"resource\":\"y\"}\n"
    "{\"t\":501000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":600000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":600000,\"type\":\"io\",\"resource\":\"y\",\"what\":\"arrival\",\"value\":7}\n"
    "{\"t\":600000,\"type\":\"wake\",\"task\":1,\"source\":\"socket:y\"}\n"
    "{\"t\":600000,\"type\":\"poll\",\"task\":1,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read y\",\"value\":7}\n"
    "{\"t\":601000,\"type\":\"complete\",\"task\":1,\"value\":7}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":601000,\"tasks_total\":4,"
    "\"completed\":3,\"stalled\":false,\"time_limit_hit\":false,\"polls\":9,\"pending_polls\":6,"
    "\"ready_polls\":3,\"wasted_polls\":3,\"wakes\":3,\"busy_ns\":9000,\"idle_ns\":592000,\"cpu_busy\":0.015}\n";

static int setup(void **state)
{
    fs_fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->tr = fs_fixture_load(nav_trace);
    if (!f->tr || !fs_fixture_viewer(&f->v, &f->tr, 1))
        return -1;
    f->v.view.t1 = 700000;  /* the whole run on screen */
    fs_viz_view_set_playhead(&f->v.view, 0);
    fs_viz_viewer_build(&f->v);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fs_fx *f = *state;
    fs_fixture_close(f->tr, &f->v);
    free(f);
    return 0;
}

/* The status line over the legend, after a build. */
static const char *status(fs_viz_viewer *v)
{
    fs_viz_viewer_build(v);
    int y0 = v->view.h - v->theme.legend_h;
    for (size_t i = 0; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type == FS_DRAW_TEXT && c->y >= y0 && strstr(fs_viz_cmd_text(&v->dl, c), v->status) &&
            v->status[0])
            return fs_viz_cmd_text(&v->dl, c);
    }
    return "";
}

static void assert_playhead(fs_viz_viewer *v, SDL_Keycode k, int64_t want, const char *says)
{
    fs_fixture_key(v, k, 0);
    assert_true(v->view.playhead == (double)want);
    assert_string_equal(status(v), says);
}

/* No task selected: nothing moves, the status says why. */
static void test_needs_a_task(void **state)
{
    fs_fx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_view_set_playhead(&v->view, 50000);
    fs_fixture_key(v, SDLK_PERIOD, 0);
    assert_true(v->view.playhead == 50000.0);
    assert_string_equal(status(v), ". (next event): select a task first (click its lane, or / to find it)");
    fs_fixture_key(v, SDLK_COMMA, 0);
    assert_true(v->view.playhead == 50000.0);
    assert_string_equal(status(v), ", (previous event): select a task first (click its lane, or / to find it)");
    fs_fixture_key(v, SDLK_f, 0);  /* any other key clears it */
    assert_string_equal(v->status, "");
}

/* b's events one by one, forward then back: a wake and the poll it led
 * to at one instant are one stop; at the ends the playhead stays. */
static void test_steps_through_b(void **state)
{
    fs_fx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_select(v, 0, 1);
    assert_playhead(v, SDLK_PERIOD, 1000, "b: poll at 1.000 us");
    assert_playhead(v, SDLK_PERIOD, 200000, "b: wake from socket:y at 200.000 us");
    assert_playhead(v, SDLK_PERIOD, 500000, "b: poll at 500.000 us");
    assert_playhead(v, SDLK_PERIOD, 600000, "b: wake from socket:y + poll (ready) at 600.000 us");
    assert_playhead(v, SDLK_PERIOD, 601000, "b: completion at 601.000 us");
    assert_playhead(v, SDLK_PERIOD, 601000, "b: no later event");
    assert_playhead(v, SDLK_COMMA, 600000, "b: wake from socket:y + poll (ready) at 600.000 us");
    assert_playhead(v, SDLK_COMMA, 500000, "b: poll at 500.000 us");
    /* from between two events */
    fs_viz_view_set_playhead(&v->view, 150000.5);
    assert_playhead(v, SDLK_COMMA, 1000, "b: poll at 1.000 us");
    assert_playhead(v, SDLK_COMMA, 0, "b: spawn at 0 ns");
    assert_playhead(v, SDLK_COMMA, 0, "b: no earlier event");
    fs_viz_view_set_playhead(&v->view, 150000.5);
    assert_playhead(v, SDLK_PERIOD, 200000, "b: wake from socket:y at 200.000 us");
    assert_false(v->view.playing);
}

/* d's four polls are four stops; c's spawn, poll and completion. */
static void test_polls_and_completion(void **state)
{
    fs_fx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_select(v, 0, 3);
    const int64_t want[] = {3000, 4000, 5000, 6000};
    for (int i = 0; i < 4; i++) {
        fs_fixture_key(v, SDLK_PERIOD, 0);
        assert_true(v->view.playhead == (double)want[i]);
    }
    assert_playhead(v, SDLK_PERIOD, 6000, "d: no later event");
    fs_viz_viewer_select(v, 0, 2);
    fs_viz_view_set_playhead(&v->view, 0);
    assert_playhead(v, SDLK_PERIOD, 2000, "c: poll (ready) at 2.000 us");
    assert_playhead(v, SDLK_PERIOD, 3000, "c: completion at 3.000 us");
}

/* An event off screen pans the window (same span) to centre it. */
static void test_pans_to_the_event(void **state)
{
    fs_fx *f = *state;
    fs_viz_viewer *v = &f->v;
    v->view.t0 = 0;
    v->view.t1 = 10000;
    fs_viz_viewer_select(v, 0, 1);
    fs_viz_view_set_playhead(&v->view, 1000);
    fs_fixture_key(v, SDLK_PERIOD, 0);
    assert_true(v->view.playhead == 200000.0);
    assert_true(v->view.t0 == 195000.0);
    assert_true(v->view.t1 == 205000.0);
    fs_fixture_key(v, SDLK_PERIOD, 0);   /* 500 us: off screen again */
    assert_true(v->view.t0 == 495000.0);
    v->view.t0 = 0;
    v->view.t1 = 700000;
    fs_fixture_key(v, SDLK_COMMA, 0);    /* on screen: the window stays */
    assert_true(v->view.playhead == 200000.0);
    assert_true(v->view.t0 == 0.0 && v->view.t1 == 700000.0);
}

/* The lanes' top-to-bottom order of the four tasks, as names. */
static void lane_order(fs_viz_viewer *v, char *out)
{
    fs_viz_viewer_build(v);
    int y[4];
    for (uint32_t k = 0; k < 4; k++)
        y[k] = fs_viz_viewer_task_lane(v, 0, k)->y;
    for (int i = 0; i < 4; i++) {
        int rank = 0;
        for (int k = 0; k < 4; k++)
            rank += y[k] < y[i];
        out[rank] = (char)('a' + i);
    }
    out[4] = '\0';
}

/* o cycles spawn -> end time -> wake latency -> polls -> spawn; shift+o
 * goes back. The band header names the order; devices stay below. */
static void test_sort_cycle(void **state)
{
    fs_fx *f = *state;
    fs_viz_viewer *v = &f->v;
    char got[5];
    lane_order(v, got);
    assert_string_equal(got, "abcd");
    assert_non_null(fs_fixture_find_text(&v->dl, "lanes by spawn (o)"));
    int device_y = fs_viz_viewer_res_lane(v, 0, 0)->y;
    fs_fixture_key(v, SDLK_o, 0);   /* c 3 us, a 101 us, b 601 us, d never */
    lane_order(v, got);
    assert_string_equal(got, "cabd");
    assert_non_null(fs_fixture_find_text(&v->dl, "lanes by end time (o)"));
    assert_string_equal(v->status, "task lanes by end time");
    assert_int_equal(fs_viz_viewer_res_lane(v, 0, 0)->y, device_y);
    fs_fixture_key(v, SDLK_o, 0);   /* b 300 us, a 0 (woken, polled at once), c and d never woken */
    lane_order(v, got);
    assert_string_equal(got, "bacd");
    assert_non_null(fs_fixture_find_text(&v->dl, "lanes by longest wake latency (o)"));
    fs_fixture_key(v, SDLK_o, 0);   /* d 4, b 3, a 2, c 1 */
    lane_order(v, got);
    assert_string_equal(got, "dbac");
    fs_fixture_key(v, SDLK_o, 0);
    lane_order(v, got);
    assert_string_equal(got, "abcd");
    fs_fixture_key(v, SDLK_o, KMOD_SHIFT);
    lane_order(v, got);
    assert_string_equal(got, "dbac");
    assert_int_equal(v->lane_order, FS_ORDER_POLLS);
    /* a --watch reload keeps the order */
    fs_trace *again = fs_fixture_load(nav_trace);
    assert_non_null(again);
    assert_true(fs_viz_viewer_reload(v, &again, 1));
    fs_trace_free(f->tr);
    f->tr = again;
    lane_order(v, got);
    assert_string_equal(got, "dbac");
}

/* 41 tasks group: main, early#0..19 (done at 20..39 us), late#0..19 (done
 * at 60..79 us but late#7 at 5 us). By end time the late group comes
 * first (its member late#7 ends first), its members in end order. */
static void test_groups_sort_by_their_first_member(void **state)
{
    (void)state;
    char *text = malloc(1 << 16);
    assert_non_null(text);
    int o = snprintf(text, 1 << 16,
                     "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"g\","
                     "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,"
                     "\"time_unit\":\"ns\"}\n");
    int64_t done[41];
    for (int k = 0; k < 41; k++) {
        char name[16];
        if (k == 0)
            snprintf(name, sizeof name, "main");
        else
            snprintf(name, sizeof name, "%s#%d", k <= 20 ? "early" : "late", k <= 20 ? k - 1 : k - 21);
        done[k] = k == 0 ? 90000 : k <= 20 ? 20000 + (k - 1) * 1000 : k == 28 ? 5000 : 60000 + (k - 21) * 1000;
        o += snprintf(text + o, (1 << 16) - (size_t)o,
                      "{\"t\":0,\"type\":\"spawn\",\"task\":%d,\"name\":\"%s\",\"parent\":null}\n", k, name);
    }
    for (int64_t t = 0; t <= 90000; t += 1000)  /* polls in time order */
        for (int k = 0; k < 41; k++)
            if (done[k] - 1000 == t)
                o += snprintf(text + o, (1 << 16) - (size_t)o,
                              "{\"t\":%lld,\"type\":\"poll\",\"task\":%d,\"worker\":0,\"dur\":1000,"
                              "\"result\":\"ready\",\"state\":\"\",\"value\":1}\n"
                              "{\"t\":%lld,\"type\":\"complete\",\"task\":%d,\"value\":1}\n",
                              (long long)t, k, (long long)done[k], k);
    snprintf(text + o, (1 << 16) - (size_t)o,
             "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":90000,\"tasks_total\":41,"
             "\"completed\":41,\"stalled\":false,\"time_limit_hit\":false,\"polls\":41,\"pending_polls\":0,"
             "\"ready_polls\":41,\"wasted_polls\":0,\"wakes\":0,\"busy_ns\":41000,\"idle_ns\":49000,"
             "\"cpu_busy\":0.45}\n");
    fs_trace *tr = fs_fixture_load(text);
    free(text);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    assert_int_equal(v.n_groups, 2);   /* early, late: both open (41 tasks) */
    fs_viz_viewer_build(&v);
    int main_y = fs_viz_viewer_task_lane(&v, 0, 0)->y;
    assert_true(main_y < fs_viz_viewer_task_lane(&v, 0, 1)->y);
    assert_true(fs_viz_viewer_task_lane(&v, 0, 20)->y < fs_viz_viewer_task_lane(&v, 0, 21)->y);
    fs_fixture_key(&v, SDLK_o, 0);
    fs_viz_viewer_build(&v);
    /* late's header first, late#7 first under it, then late#0.., early, main */
    const fs_viz_lane *first = &v.lanes[v.bands[0].first_lane];
    assert_int_equal(first->kind, FS_LANE_GROUP);
    assert_string_equal(v.groups[first->index].stem, "late");
    assert_int_equal(v.lanes[v.bands[0].first_lane + 1].index, 28);
    assert_int_equal(v.lanes[v.bands[0].first_lane + 2].index, 21);
    assert_int_equal(v.lanes[v.bands[0].first_lane + 20].index, 40);
    assert_int_equal(v.lanes[v.bands[0].first_lane + 21].kind, FS_LANE_GROUP);
    assert_string_equal(v.groups[v.lanes[v.bands[0].first_lane + 21].index].stem, "early");
    assert_true(fs_viz_viewer_task_lane(&v, 0, 0)->y > fs_viz_viewer_task_lane(&v, 0, 20)->y);
    /* collapsed, the groups keep their places: a member maps to its group */
    fs_viz_viewer_toggle_group(&v, -1);
    fs_viz_viewer_build(&v);
    const fs_viz_lane *late = fs_viz_viewer_task_lane(&v, 0, 28);
    assert_int_equal(late->kind, FS_LANE_GROUP);
    assert_true(late->y < fs_viz_viewer_task_lane(&v, 0, 1)->y);
    assert_true(fs_viz_viewer_task_lane(&v, 0, 1)->y < fs_viz_viewer_task_lane(&v, 0, 0)->y);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_needs_a_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_through_b, setup, teardown),
        cmocka_unit_test_setup_teardown(test_polls_and_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pans_to_the_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_cycle, setup, teardown),
        cmocka_unit_test(test_groups_sort_by_their_first_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
