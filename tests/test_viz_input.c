/* test_viz_input.c - the input and update steps fed synthetic SDL events:
 * keys, wheel, drags, and real-time playback. No window: the viewer's
 * input step only reads the event structs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "test_viz_fixture.h"

typedef fs_fx fx;

static int fx_setup(void **state)
{
    if (fs_fx_setup_text(state, NULL) != 0)
        return -1;
    fx *f = *state;
    fs_viz_viewer_build(&f->v);  /* a first frame lays out the lanes */
    return 0;
}
#define fx_teardown fs_fx_teardown

static void key(fx *f, SDL_Keycode k)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    fs_viz_viewer_input(&f->v, &e);
}

static void motion(fx *f, int x, int y)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    fs_viz_viewer_input(&f->v, &e);
}

static void button(fx *f, Uint32 type, int x, int y)
{
    SDL_Event e = {0};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    fs_viz_viewer_input(&f->v, &e);
}

static void wheel(fx *f, int dy)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = dy;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    fs_viz_viewer_input(&f->v, &e);
}

static void test_play_pause_and_real_time(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    assert_false(vw->playing);
    key(f, SDLK_SPACE);
    assert_true(vw->playing);
    /* default speed: the whole run (1,001,000 ns) in 10 s of real time */
    fs_viz_viewer_update(&f->v, 1.0);
    assert_float_equal(vw->playhead, 100100.0, 1e-6);
    /* two frames of half a second move it as far as one of a second */
    fs_viz_viewer_update(&f->v, 0.5);
    fs_viz_viewer_update(&f->v, 0.5);
    assert_float_equal(vw->playhead, 200200.0, 1e-6);
    key(f, SDLK_SPACE);
    assert_false(vw->playing);
    fs_viz_viewer_update(&f->v, 1.0);
    assert_float_equal(vw->playhead, 200200.0, 1e-6);
    /* it stops at the end */
    key(f, SDLK_SPACE);
    fs_viz_viewer_update(&f->v, 60.0);
    assert_float_equal(vw->playhead, 1001000.0, 1e-6);
    assert_false(vw->playing);
}

static void test_speed_is_log_scale(void **state)
{
    fx *f = *state;
    double s0 = fs_viz_view_speed(&f->v.view);
    key(f, SDLK_PLUS);
    assert_float_equal(fs_viz_view_speed(&f->v.view), s0 * 2, 1e-9);
    key(f, SDLK_EQUALS);
    assert_float_equal(fs_viz_view_speed(&f->v.view), s0 * 4, 1e-9);
    key(f, SDLK_MINUS);
    key(f, SDLK_MINUS);
    key(f, SDLK_MINUS);
    assert_float_equal(fs_viz_view_speed(&f->v.view), s0 / 2, 1e-9);
}

static void test_step_between_events(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    /* event times: 0, 1000, 1000000, 1001000 */
    key(f, SDLK_RIGHT);
    assert_float_equal(vw->playhead, 1000, 0);
    key(f, SDLK_RIGHT);
    assert_float_equal(vw->playhead, 1000000, 0);
    key(f, SDLK_RIGHT);
    assert_float_equal(vw->playhead, 1001000, 0);
    key(f, SDLK_RIGHT);
    assert_float_equal(vw->playhead, 1001000, 0);
    key(f, SDLK_LEFT);
    assert_float_equal(vw->playhead, 1000000, 0);
    key(f, SDLK_LEFT);
    key(f, SDLK_LEFT);
    key(f, SDLK_LEFT);
    assert_float_equal(vw->playhead, 0, 0);
}

static void test_wheel_zooms_at_the_pointer(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    int x = FX_TL_X + 250;  /* 1 ms */
    motion(f, x, 200);
    wheel(f, 1);
    assert_float_equal(vw->t1 - vw->t0, 2000000 * 0.8, 1e-3);
    assert_float_equal(fs_viz_view_t(vw, &f->v.theme, x), 1000000, 1e-3);
    wheel(f, -1);
    assert_float_equal(vw->t1 - vw->t0, 2000000, 1e-3);
    assert_float_equal(vw->t0, 0, 1e-3);
}

static void test_drag_pans(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    button(f, SDL_MOUSEBUTTONDOWN, 400, 200);
    assert_int_equal(vw->drag, FS_DRAG_PAN);
    motion(f, 450, 200);
    /* 50 px right at 4,000 ns per px: the window moves 200 us earlier */
    assert_float_equal(vw->t0, -200000, 1e-6);
    assert_float_equal(vw->t1, 1800000, 1e-6);
    button(f, SDL_MOUSEBUTTONUP, 450, 200);
    assert_int_equal(vw->drag, FS_DRAG_NONE);
    key(f, SDLK_f);
    assert_float_equal(vw->t0, 0, 0);
    assert_float_equal(vw->t1, 1001000 * 1.06, 1e-6);
}

static void test_drag_on_axis_scrubs(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    int axis_y = f->v.theme.title_h + 5;
    button(f, SDL_MOUSEBUTTONDOWN, FX_TL_X + 125, axis_y);
    assert_int_equal(vw->drag, FS_DRAG_SCRUB);
    assert_float_equal(vw->playhead, 500000, 1e-6);
    motion(f, FX_TL_X + 150, 300);
    assert_float_equal(vw->playhead, 600000, 1e-6);
    motion(f, FX_TL_X + 400, 300);  /* clamped to the run's end */
    assert_float_equal(vw->playhead, 1001000, 1e-6);
    button(f, SDL_MOUSEBUTTONUP, FX_TL_X + 400, 300);
    /* grabbing the playhead line itself also scrubs */
    vw->playhead = 500000;
    button(f, SDL_MOUSEBUTTONDOWN, FX_TL_X + 126, 300);
    assert_int_equal(vw->drag, FS_DRAG_SCRUB);
    button(f, SDL_MOUSEBUTTONUP, FX_TL_X + 126, 300);
}

static void test_help_quit_screenshot_keys(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    key(f, SDLK_h);
    assert_true(vw->help);
    fs_viz_viewer_build(&f->v);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "space          play / pause the playhead"));
    key(f, SDLK_ESCAPE);  /* Esc closes the help before it quits */
    assert_false(vw->help);
    assert_false(vw->quit);
    key(f, SDLK_s);
    assert_true(vw->screenshot_requested);
    key(f, SDLK_q);
    assert_true(vw->quit);
}

/* Idle when idle: paused and untouched, the loop may sleep (no frame is
 * due); an input, a resize or playing makes the next frame due. */
static void test_idle_when_paused(void **state)
{
    fx *f = *state;
    fs_viz_viewer *v = &f->v;
    uint64_t frames = v->frames;
    assert_int_equal(fs_viz_viewer_wait_ms(v, 1000), 1000);  /* the setup built a frame */
    SDL_Event e = {0};
    e.type = SDL_USEREVENT;  /* an event the viewer ignores keeps it asleep */
    fs_viz_viewer_input(v, &e);
    assert_int_equal(fs_viz_viewer_wait_ms(v, 1000), 1000);
    motion(f, FX_TL_X + 10, FX_TASK_Y + 10);  /* the tooltip moves: redraw */
    assert_int_equal(fs_viz_viewer_wait_ms(v, 250), 0);
    fs_viz_viewer_build(v);
    assert_int_equal(v->frames, frames + 1);
    assert_int_equal(fs_viz_viewer_wait_ms(v, 250), 250);
    fs_viz_viewer_resize(v, 900, 600);
    assert_int_equal(fs_viz_viewer_wait_ms(v, 250), 0);
    fs_viz_viewer_build(v);
    key(f, SDLK_SPACE);  /* playing: a frame every time, until the end */
    fs_viz_viewer_build(v);
    assert_int_equal(fs_viz_viewer_wait_ms(v, 250), 0);
    fs_viz_viewer_update(v, 20.0);  /* past the end: stops */
    assert_false(v->view.playing);
    fs_viz_viewer_build(v);
    assert_int_equal(fs_viz_viewer_wait_ms(v, 250), 250);
    assert_int_equal(v->frames, frames + 4);
}

static void test_hover_shows_details(void **state)
{
    fx *f = *state;
    fs_viz_view_set_playhead(&f->v.view, 1001000);
    motion(f, FX_TL_X + 251, FX_TASK_Y + 10);
    fs_viz_viewer_build(&f->v);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "t0: poll -> ready"));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "value: 5"));
    motion(f, FX_TL_X + 100, FX_WORKER_Y + 10);
    fs_viz_viewer_build(&f->v);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "worker 0 parked"));
}

static void click(fx *f, int x, int y)
{
    button(f, SDL_MOUSEBUTTONDOWN, x, y);
    button(f, SDL_MOUSEBUTTONUP, x, y);
}

static void test_click_opens_and_closes_the_detail(void **state)
{
    fx *f = *state;
    fs_viz_view_set_playhead(&f->v.view, 500000);
    click(f, FX_TL_X + 120, FX_TASK_Y + 12);   /* empty lane space counts */
    assert_int_equal(f->v.sel_task, 0);
    assert_int_equal(f->v.sel_trace, 0);
    assert_int_equal(f->v.sel.polls, 2);
    fs_viz_viewer_build(&f->v);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "Task #0 t0  (wake)"));
    /* the waker's holder at the playhead: the socket */
    assert_non_null(fs_fixture_find_text(&f->v.dl, "waker held by socket a"));
    /* a click elsewhere (the device lane) closes it */
    click(f, FX_TL_X + 120, FX_DEVICE_Y + 5);
    assert_int_equal(f->v.sel_task, -1);
    fs_viz_viewer_build(&f->v);
    assert_null(fs_fixture_find_text(&f->v.dl, "Task #0 t0"));
    /* the label column opens it too; Esc closes it and does not quit */
    click(f, 20, FX_TASK_Y + 12);
    assert_int_equal(f->v.sel_task, 0);
    key(f, SDLK_ESCAPE);
    assert_int_equal(f->v.sel_task, -1);
    assert_false(f->v.view.quit);
    /* a drag is a pan, not a click */
    button(f, SDL_MOUSEBUTTONDOWN, FX_TL_X + 120, FX_TASK_Y + 12);
    motion(f, FX_TL_X + 180, FX_TASK_Y + 12);
    button(f, SDL_MOUSEBUTTONUP, FX_TL_X + 180, FX_TASK_Y + 12);
    assert_int_equal(f->v.sel_task, -1);
}

/* Two stacked runs of the lost-waker scenario: the click picks the lane's
 * own task and band; the warning's list entry and lane mark pick theirs. */
static void test_click_picks_the_right_task_and_warnings(void **state)
{
    (void)state;
    fs_trace *tr[2] = {fs_fixture_simulate(fs_test_src("scenarios/patterns/lost_waker.json"), FS_EXEC_BUSY),
                       fs_fixture_simulate(fs_test_src("scenarios/patterns/lost_waker.json"), FS_EXEC_WAKE)};
    assert_non_null(tr[0]);
    assert_non_null(tr[1]);
    fx f = {0};
    assert_true(fs_fixture_viewer(&f.v, tr, 2));
    fs_viz_view_fit(&f.v.view);
    fs_viz_viewer_build(&f.v);
    assert_int_equal(f.v.n_warnings, 2);  /* forgetful, in both bands */
    const fs_viz_lane *healthy = &f.v.lanes[f.v.bands[1].first_lane + 1];
    click(&f, FX_TL_X + 200, healthy->y + healthy->h / 2);
    assert_int_equal(f.v.sel_trace, 1);
    assert_int_equal(f.v.sel_task, 1);
    fs_viz_viewer_build(&f.v);
    assert_non_null(fs_fixture_find_text(&f.v.dl, "Task #1 healthy  (wake)"));
    click(&f, FX_TL_X + 200, 580);  /* below the lanes: closes */
    assert_int_equal(f.v.sel_task, -1);
    fs_viz_viewer_build(&f.v);
    /* the list in the side panel: its entry opens the detail */
    const fs_viz_cmd *entry = NULL;
    for (size_t i = 0; i < f.v.dl.n; i++) {
        const fs_viz_cmd *c = &f.v.dl.cmds[i];
        if (c->hit == FS_HIT_WARNING && c->x >= 1000 - 290 && c->item == 1)
            entry = c;
    }
    assert_non_null(entry);
    assert_non_null(fs_fixture_find_text(&f.v.dl, "! forgetful: lost waker at 0 ns"));
    click(&f, entry->x + 5, entry->y + 2);
    assert_int_equal(f.v.sel_trace, 1);
    assert_int_equal(f.v.sel_task, 0);
    fs_viz_viewer_build(&f.v);
    assert_non_null(fs_fixture_find_text(&f.v.dl, "! lost waker"));
    /* the mark on the lane, and its tooltip */
    key(&f, SDLK_ESCAPE);
    fs_viz_viewer_build(&f.v);
    const fs_viz_cmd *mark = fs_fixture_find(&f.v.dl, FS_HIT_WARNING, 0, 0);
    assert_non_null(mark);
    assert_true(mark->x < 1000 - 290);
    const fs_viz_lane *forgetful = &f.v.lanes[f.v.bands[mark->trace].first_lane];
    assert_int_equal(mark->y, forgetful->y + (forgetful->h - f.v.theme.line_h) / 2);
    motion(&f, mark->x + 2, mark->y + 2);
    fs_viz_viewer_build(&f.v);
    assert_non_null(fs_fixture_find_text(&f.v.dl, "warning: lost waker (forgetful"));
    /* w hides the list */
    key(&f, SDLK_w);
    fs_viz_viewer_build(&f.v);
    assert_null(fs_fixture_find_text(&f.v.dl, "! forgetful: lost waker"));
    fs_viz_viewer_destroy(&f.v);
    fs_trace_free(tr[0]);
    fs_trace_free(tr[1]);
}

static void test_watch_reload_keeps_the_view(void **state)
{
    fx *f = *state;
    fs_viz_view *vw = &f->v.view;
    vw->t0 = 200000;
    vw->t1 = 700000;
    fs_viz_view_set_playhead(vw, 400000);
    vw->speed_step = 3;
    click(f, FX_TL_X + 120, FX_TASK_Y + 12);
    assert_int_equal(f->v.sel_task, 0);
    /* the "edited" run: the same task, the data arriving later */
    fs_trace *tr2 = fs_fixture_simulate(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), FS_EXEC_WAKE);
    assert_non_null(tr2);
    assert_true(fs_viz_viewer_reload(&f->v, &tr2, 1));
    fs_trace_free(f->tr);  /* the old trace can go at once */
    f->tr = tr2;
    assert_true(vw->t0 == 200000 && vw->t1 == 700000);
    assert_true(vw->playhead == 400000);
    assert_int_equal(vw->speed_step, 3);
    assert_int_equal(vw->end_ns, tr2->summary.end_ns);
    assert_int_equal(f->v.sel_task, 0);        /* still open, on the new figures */
    assert_int_equal(f->v.sel.polls, 2);
    assert_int_equal(f->v.n_lanes, tr2->n_tasks + tr2->n_resources + 1 + 1);  /* + the counter lane */
    fs_viz_viewer_build(&f->v);
    assert_false(f->v.dl.oom);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "Task #0 get_num_a  (wake)"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_play_pause_and_real_time), T(test_speed_is_log_scale), T(test_step_between_events),
        T(test_wheel_zooms_at_the_pointer), T(test_drag_pans), T(test_drag_on_axis_scrubs),
        T(test_help_quit_screenshot_keys), T(test_idle_when_paused), T(test_hover_shows_details),
        T(test_click_opens_and_closes_the_detail), T(test_watch_reload_keeps_the_view),
        cmocka_unit_test(test_click_picks_the_right_task_and_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
