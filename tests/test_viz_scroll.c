/* test_viz_scroll.c - the help and a task's detail scroll when the window
 * is shorter than they are (viz/panel.c, viz/detail.c): at 800x500 each
 * shows a "more below" mark, keeps every line of its text inside its box,
 * and the wheel over it brings the rest up. */
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

typedef struct sfx {
    fs_trace *tr;
    fs_viz_viewer v;
} sfx;

static int setup(void **state)
{
    sfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/compute_starves.json"), FS_EXEC_WAKE);
    if (!f->tr || !fs_viz_viewer_init(&f->v, &f->tr, 1, 800, 500))
        return -1;
    fs_viz_view_set_playhead(&f->v.view, (double)f->tr->summary.end_ns);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    sfx *f = *state;
    fs_fixture_close(f->tr, &f->v);
    free(f);
    return 0;
}

static void wheel_at(fs_viz_viewer *v, int x, int y, int dy)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    fs_viz_viewer_input(v, &e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = dy;
    fs_viz_viewer_input(v, &e);
}

/* Every text command inside the box b (x..x+w, y..y+h), counted. */
static int texts_inside(const fs_viz_drawlist *dl, size_t from, size_t to, fs_viz_box b, int line_h)
{
    int n = 0;
    for (size_t i = from; i < to; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->type == FS_DRAW_CLIP && c->w == 0)
            break;  /* the end of the panel's (or the help's) commands */
        if (c->type != FS_DRAW_TEXT)
            continue;
        assert_true(c->y >= b.y && c->y + line_h <= b.y + b.h);
        n++;
    }
    return n;
}

static void test_help_scrolls(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    v->view.help = true;
    fs_viz_viewer_build(v);
    fs_viz_box b = fs_viz_help_box(v);
    assert_true(b.y >= 0 && b.y + b.h <= 500);  /* inside the window */
    const fs_viz_cmd *first = fs_fixture_find_text(&v->dl, "futurescope viewer");
    assert_non_null(first);
    assert_non_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xBC more below (the wheel scrolls)"));
    assert_null(fs_fixture_find_text(&v->dl, "a black square on a task"));  /* the last line: below */
    size_t at = (size_t)(first - v->dl.cmds);
    assert_true(texts_inside(&v->dl, at, v->dl.n, b, v->theme.line_h) > 10);
    /* the wheel over it: down to the end (clamped), the first line gone */
    wheel_at(v, b.x + 20, b.y + 40, -30);
    fs_viz_viewer_build(v);
    assert_true(v->help_scroll > 0);
    assert_null(fs_fixture_find_text(&v->dl, "futurescope viewer"));
    const fs_viz_cmd *last = fs_fixture_find_text(&v->dl, "a black square on a task");
    assert_non_null(last);
    assert_true(last->y + v->theme.line_h <= b.y + b.h);
    assert_non_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xB2 more above"));
    /* and back up */
    wheel_at(v, b.x + 20, b.y + 40, 30);
    fs_viz_viewer_build(v);
    assert_int_equal(v->help_scroll, 0);
    assert_non_null(fs_fixture_find_text(&v->dl, "futurescope viewer"));
}

static void test_tall_window_does_not_scroll_help(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_resize(v, 1600, 900);
    v->view.help = true;
    fs_viz_viewer_build(v);
    assert_non_null(fs_fixture_find_text(&v->dl, "futurescope viewer"));
    assert_non_null(fs_fixture_find_text(&v->dl, "a black square on a task"));
    assert_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xBC more below"));
}

static void test_detail_scrolls(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_select(v, 0, 0);  /* the heartbeat */
    fs_viz_viewer_build(v);
    const fs_viz_theme *th = &v->theme;
    fs_viz_box panel = {v->view.w - th->panel_w, th->title_h, th->panel_w, v->view.h - th->title_h - th->legend_h};
    const fs_viz_cmd *head = fs_fixture_find_text(&v->dl, "Task #0 heartbeat");
    assert_non_null(head);
    const fs_viz_cmd *mark = fs_fixture_find_text(&v->dl, "\xE2\x96\xBC more below");
    assert_non_null(mark);
    assert_true(mark->y + th->line_h <= panel.y + panel.h);
    assert_null(fs_fixture_find_text(&v->dl, "runnable-to-poll wait"));  /* the last figures: below */
    size_t at = (size_t)(head - v->dl.cmds);
    assert_true(texts_inside(&v->dl, at, v->dl.n, panel, th->line_h) > 10);
    const fs_viz_cmd *spawned = fs_fixture_find_text(&v->dl, "spawned at");
    assert_non_null(spawned);
    int body_top = spawned->y;
    /* the wheel over the panel: to the end; the heading stays, nothing is
     * drawn above the body's top */
    wheel_at(v, panel.x + 50, panel.y + 200, -50);
    fs_viz_viewer_build(v);
    assert_true(v->detail_scroll > 0);
    assert_non_null(fs_fixture_find_text(&v->dl, "Task #0 heartbeat"));
    assert_null(fs_fixture_find_text(&v->dl, "spawned at"));
    assert_non_null(fs_fixture_find_text(&v->dl, "runnable-to-poll wait"));
    assert_non_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xB2 more above"));
    head = fs_fixture_find_text(&v->dl, "Task #0 heartbeat");
    for (size_t i = (size_t)(head - v->dl.cmds) + 1; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type == FS_DRAW_CLIP && c->w == 0)
            break;
        /* under the heading and its hint, only the body's lines */
        if (c->type == FS_DRAW_TEXT && strcmp(fs_viz_cmd_text(&v->dl, c), "x") != 0 &&
            strncmp(fs_viz_cmd_text(&v->dl, c), "Esc", 3) != 0)
            assert_true(c->y >= body_top);
    }
    /* another task's detail starts at its top */
    fs_viz_viewer_select(v, 0, 1);
    assert_int_equal(v->detail_scroll, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_help_scrolls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tall_window_does_not_scroll_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail_scrolls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
