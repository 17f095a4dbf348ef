/* test_viz_arrows.c - wake arrows only where they help (viz/timeline.c):
 * a band whose visible window holds more than FS_VIZ_WAKE_ARROWS_MAX
 * arrows draws only the hovered and the selected task's, the legend says
 * how many it left out, and an arrow from a lane out of view starts beside
 * its task's lane, inside the band, not across the screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_viz_fixture.h"

enum { TASKS = 6, ROUNDS = 60, STEP = 33000 };

/* Task 0 wakes tasks 1..5 every 33 us (8.25 px at the fixture's 4000 ns a
 * pixel, past the 8 px an arrow keeps from the last one on its lane), 60
 * times: 300 arrows into five lanes, each followed by the poll it causes. */
static char *many_wakes_trace(void)
{
    size_t cap = 1 << 20, n = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    n += (size_t)snprintf(b + n, cap - n,
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"fan\","
        "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":100,\"time_unit\":\"ns\"}\n");
    for (int i = 0; i < TASKS; i++)
        n += (size_t)snprintf(b + n, cap - n, "{\"t\":0,\"type\":\"spawn\",\"task\":%d,\"name\":\"t%d\",\"parent\":null}\n", i, i);
    for (int k = 0; k < ROUNDS; k++)
        for (int i = 1; i < TASKS; i++) {
            long t = (long)k * STEP + i * 1000;
            n += (size_t)snprintf(b + n, cap - n,
                "{\"t\":%ld,\"type\":\"wake\",\"task\":%d,\"source\":\"task:0\"}\n"
                "{\"t\":%ld,\"type\":\"poll\",\"task\":%d,\"worker\":0,\"dur\":100,\"result\":\"pending\",\"state\":\"recv\"}\n",
                t, i, t, i);
        }
    n += (size_t)snprintf(b + n, cap - n,
        "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":%d}\n", ROUNDS * STEP);
    return b;
}

static int setup(void **state)
{
    char *text = many_wakes_trace();
    int rc = text ? fs_fx_setup_text(state, text) : -1;
    free(text);
    return rc;
}

/* Is c one of the timeline's wake arrows (not the legend's sample)? */
static bool wake_arrow(const fs_viz_viewer *v, const fs_viz_cmd *c)
{
    return c->type == FS_DRAW_ARROW && c->y < v->view.h - v->theme.legend_h;
}

static size_t arrows(const fs_viz_viewer *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->dl.n; i++)
        n += wake_arrow(v, &v->dl.cmds[i]);
    return n / 2;  /* each arrow is two lines, a pixel apart */
}

static void test_many_arrows_are_thinned(void **state)
{
    fs_fx *f = *state;
    fs_fx_build_at(f, 2000000);
    /* nothing selected or hovered: none of the 300 */
    assert_int_equal(arrows(&f->v), 0);
    assert_int_equal(f->v.wakes_hidden, 300);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "wake: selected only (300 hidden)"));
    /* t3 selected: its 60 */
    fs_viz_viewer_select(&f->v, 0, 3);
    fs_fx_build_at(f, 2000000);
    assert_int_equal(arrows(&f->v), ROUNDS);
    assert_int_equal(f->v.wakes_hidden, 240);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "wake: selected only (240 hidden)"));
    /* and t1's lane hovered: 60 more */
    const fs_viz_lane *t1 = fs_viz_viewer_task_lane(&f->v, 0, 1);
    f->v.view.mouse_in = true;
    f->v.view.mouse_x = FX_TL_X + 5;
    f->v.view.mouse_y = t1->y + 2;
    fs_fx_build_at(f, 2000000);
    assert_int_equal(arrows(&f->v), 2 * ROUNDS);
    assert_int_equal(f->v.wakes_hidden, 180);
}

static void test_few_arrows_all_drawn(void **state)
{
    fs_fx *f = *state;
    /* 0..0.8 ms: 25 rounds, 125 arrows, under the limit */
    f->v.view.t1 = 800000;
    fs_fx_build_at(f, 2000000);
    assert_int_equal(f->v.wakes_hidden, 0);
    assert_int_equal(arrows(&f->v), 5 * 25);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "wake"));
    assert_null(fs_fixture_find_text(&f->v.dl, "wake: selected only"));
}

/* Scrolled so that t0 (every wake's source) is under the pinned header:
 * t5's arrows start from a marker beside its lane, below the header. */
static void test_arrow_from_a_lane_out_of_view_is_short(void **state)
{
    fs_fx *f = *state;
    f->v.view.h = 260;  /* room for about five task lanes */
    fs_viz_viewer_select(&f->v, 0, 5);
    fs_viz_viewer_scroll_to(&f->v, 2 * f->v.theme.task_lane_h);
    fs_fx_build_at(f, 2000000);
    fs_viz_box tl = fs_viz_view_timeline(&f->v.view, &f->v.theme);
    const fs_viz_lane *src = fs_viz_viewer_task_lane(&f->v, 0, 0), *dst = fs_viz_viewer_task_lane(&f->v, 0, 5);
    assert_true(src->y + src->h < tl.y + f->v.theme.band_head_h);  /* t0: out of view */
    assert_true(dst->y > tl.y && dst->y + dst->h <= tl.y + tl.h);
    size_t n = 0;
    for (size_t i = 0; i < f->v.dl.n; i++) {
        const fs_viz_cmd *c = &f->v.dl.cmds[i];
        if (!wake_arrow(&f->v, c))
            continue;
        n++;
        assert_int_equal(c->h, dst->y + 3);   /* into t5's lane from above */
        assert_true(c->y >= tl.y + f->v.theme.band_head_h);
        assert_true(c->h - c->y > 0 && c->h - c->y <= 13);  /* from 10 px above the lane */
    }
    assert_int_equal(n, 2 * ROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_arrows_are_thinned, setup, fs_fx_teardown),
        cmocka_unit_test_setup_teardown(test_few_arrows_all_drawn, setup, fs_fx_teardown),
        cmocka_unit_test_setup_teardown(test_arrow_from_a_lane_out_of_view_is_short, setup, fs_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
