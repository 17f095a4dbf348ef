/* test_viz_group.c - lane groups (viz/group.c): stems, which lanes fold,
 * the members' states over time against the side panel's own state at the
 * playhead, expanding and collapsing by click and key, and the collapsed
 * lane's graph in the draw list, at the fixture's geometry
 * (test_viz_fixture.h: timeline x 210..710). */
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

static void test_stem(void **state)
{
    (void)state;
    assert_int_equal(fs_viz_name_stem("client#12"), 6);
    assert_int_equal(fs_viz_name_stem("w-3"), 1);
    assert_int_equal(fs_viz_name_stem("t0"), 1);
    assert_int_equal(fs_viz_name_stem("conn 7"), 4);
    assert_int_equal(fs_viz_name_stem("42"), 2);       /* nothing left: the whole name */
    assert_int_equal(fs_viz_name_stem("#42"), 3);
    assert_int_equal(fs_viz_name_stem("reader"), 6);
    assert_int_equal(fs_viz_name_stem("v2ray"), 5);    /* digits inside stay */
    /* a spawned task's path: each part cut */
    char out[64];
    assert_int_equal(fs_viz_path_stem("conn#2/handler#0", out), 12);
    assert_string_equal(out, "conn/handler");
    assert_int_equal(fs_viz_path_stem("server/handler#13/db", out), 17);
    assert_string_equal(out, "server/handler/db");
    assert_int_equal(fs_viz_path_stem("client#12", out), 6);
    assert_string_equal(out, "client");
    assert_int_equal(fs_viz_path_stem("w/q.2#1", out), 5); /* the second spawn named q */
    assert_string_equal(out, "w/q.2");
}

typedef struct gfx {
    fs_trace *tr;
    fs_viz_viewer v;
} gfx;

static int sleepers_setup(void **state)
{
    gfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/thousand_sleepers.json"), FS_EXEC_WAKE);
    if (!f->tr || !fs_fixture_viewer(&f->v, &f->tr, 1))
        return -1;
    fs_viz_view_fit(&f->v.view);
    fs_viz_viewer_build(&f->v);
    *state = f;
    return 0;
}

static int sleepers_teardown(void **state)
{
    gfx *f = *state;
    fs_viz_viewer_destroy(&f->v);
    fs_trace_free(f->tr);
    free(f);
    return 0;
}

/* 1000 sleepers: more than 200 tasks, so their group opens collapsed; the
 * timer and the one worker have nobody to share a stem with. */
static void test_large_run_opens_collapsed(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    assert_int_equal(v->n_groups, 1);
    const fs_viz_group *g = &v->groups[0];
    assert_string_equal(g->stem, "sleeper");
    assert_int_equal(g->n, 1000);
    assert_false(g->open);
    assert_int_equal(v->n_lanes, 4);  /* sleepers, timer, worker, ready queue */
    assert_int_equal(v->lanes[0].kind, FS_LANE_GROUP);
    assert_int_equal(v->lanes[0].y, FX_TASK_Y);
    assert_int_equal(v->lanes[0].h, v->theme.task_lane_h + v->theme.line_h);
    assert_int_equal(v->lanes[1].kind, FS_LANE_DEVICE);
    assert_int_equal(v->lanes[1].y, FX_TASK_Y + v->lanes[0].h);
    assert_int_equal(v->lanes[2].kind, FS_LANE_WORKER);
    /* every sleeper is shown by the group's lane */
    for (uint32_t k = 0; k < 1000; k++)
        assert_ptr_equal(fs_viz_viewer_task_lane(v, 0, k), &v->lanes[0]);
    assert_non_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xB8 sleeper \xC3\x97" "1,000"));
    assert_non_null(fs_fixture_find_text(&v->dl, "click: expand"));
}

/* The group's counts agree with the side panel's state of each task, at
 * instants before, during and after the run's polls. */
static void test_counts_match_the_state_at_the_playhead(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    const fs_viz_group *g = &v->groups[0];
    fs_viz_state st;
    assert_true(fs_viz_state_init(&st, f->tr));
    const int64_t at[] = {0, 500, 1000, 999999, 1000000, 250000000, 500000000, 998000000,
                          f->tr->summary.end_ns};
    int64_t polling_seen = 0;
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        fs_viz_state_at(&st, f->tr, at[i]);
        int32_t want[FS_GROUP_STATES] = {0};
        for (size_t k = 0; k < f->tr->n_tasks; k++) {
            switch (st.tasks[k].phase) {
            case FS_TASK_RUNNING: want[FS_GROUP_POLLING]++; break;
            case FS_TASK_SCHEDULED: want[FS_GROUP_QUEUED]++; break;
            case FS_TASK_WAITING: want[FS_GROUP_WAITING]++; break;
            case FS_TASK_DONE: want[FS_GROUP_DONE]++; break;
            default: break;
            }
        }
        size_t cur = 0;
        int32_t got[FS_GROUP_STATES];
        fs_viz_group_column(g, at[i], at[i] + 1, &cur, got);
        for (int s = 0; s < FS_GROUP_STATES; s++)
            assert_int_equal(got[s], want[s]);
        polling_seen += got[FS_GROUP_POLLING];
    }
    assert_true(polling_seen > 0);  /* the instants do catch polls */
    /* at the end every sleeper is done; at 0 all were spawned, one is polled */
    fs_viz_state_at(&st, f->tr, f->tr->summary.end_ns);
    size_t cur = 0;
    int32_t end[FS_GROUP_STATES];
    fs_viz_group_column(g, f->tr->summary.end_ns, f->tr->summary.end_ns + 1, &cur, end);
    assert_int_equal(end[FS_GROUP_DONE], 1000);
    fs_viz_state_destroy(&st);
}

/* A column as wide as the whole run keeps the most members polling at once
 * (one worker: one), so polls stay visible zoomed out. */
static void test_brief_states_keep_their_peak(void **state)
{
    gfx *f = *state;
    size_t cur = 0;
    int32_t n[FS_GROUP_STATES];
    fs_viz_group_column(&f->v.groups[0], 0, f->tr->summary.end_ns, &cur, n);
    assert_int_equal(n[FS_GROUP_POLLING], 1);
    assert_int_equal(n[FS_GROUP_QUEUED], 999);  /* all spawned at 0; one polled at 0 too */
    assert_int_equal(n[FS_GROUP_DONE], 999);     /* just before the end: the last one polls */
}

/* A column spanning many steps reads whole blocks' peaks: over columns of
 * every width, left to right as a lane draws them, it gives what a scan of
 * every step in it gives (the most polling and queued, the last waiting
 * and done). */
static void test_column_peaks_equal_a_scan(void **state)
{
    gfx *f = *state;
    const fs_viz_group *g = &f->v.groups[0];
    assert_true(g->n_times > 4 * FS_VIZ_GROUP_BLOCK);
    int64_t end = f->tr->summary.end_ns;
    for (int cols = 1; cols <= 2000; cols = cols * 3 + 1) {
        size_t cur = 0;
        for (int x = 0; x < cols; x++) {
            int64_t ta = end * x / cols, tb = end * (x + 1) / cols + 1;
            int32_t got[FS_GROUP_STATES], want[FS_GROUP_STATES] = {0};
            fs_viz_group_column(g, ta, tb, &cur, got);
            size_t k = 0;
            while (k < g->n_times && g->times[k] <= ta)
                k++;
            if (k > 0)
                memcpy(want, g->counts[k - 1], sizeof want);
            for (; k < g->n_times && g->times[k] < tb; k++)
                for (int s = 0; s < FS_GROUP_STATES; s++)
                    if ((s != FS_GROUP_POLLING && s != FS_GROUP_QUEUED) || g->counts[k][s] > want[s])
                        want[s] = g->counts[k][s];
            assert_memory_equal(got, want, sizeof want);
        }
    }
}

/* The collapsed lane's graph: past the run's end a full-height "done"
 * block (faded: after the playhead, which stops at the end), before it a
 * lower one in the full colour; the counts at the playhead above them. */
static void test_collapsed_lane_draws_its_graph(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_view_set_playhead(&v->view, (double)f->tr->summary.end_ns);
    fs_viz_viewer_build(v);
    const fs_viz_lane *ln = &v->lanes[0];
    int top = ln->y + v->theme.line_h + 2, bottom = ln->y + ln->h - 3;
    fs_viz_color faded = fs_viz_fade(&v->theme, v->theme.io, v->theme.future_fade);
    int end_x = (int)fs_viz_view_x(&v->view, &v->theme, (double)f->tr->summary.end_ns);
    bool full_done = false, part_done = false;
    for (size_t i = 0; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type != FS_DRAW_RECT || c->y + c->h != bottom)
            continue;
        if (fs_fixture_color_eq(c->color, faded) && c->y == top && c->x >= end_x && c->x + c->w == 710)
            full_done = true;
        if (fs_fixture_color_eq(c->color, v->theme.io) && c->y > top && c->x + c->w <= end_x)
            part_done = true;
    }
    assert_true(full_done);
    assert_true(part_done);
    assert_non_null(fs_fixture_find_text(&v->dl, "0 polling"));
    assert_non_null(fs_fixture_find_text(&v->dl, "1,000 done"));
}

static void click(gfx *f, int x, int y)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    fs_viz_viewer_input(&f->v, &e);
    e.type = SDL_MOUSEBUTTONUP;
    fs_viz_viewer_input(&f->v, &e);
}

static void key(gfx *f, SDL_Keycode k)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    fs_viz_viewer_input(&f->v, &e);
}

/* Hovering the graph: the counts in that pixel column, and what a click does. */
static void test_hover_a_group(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_view_set_playhead(&v->view, (double)f->tr->summary.end_ns);
    v->view.t0 = 0;
    v->view.t1 = 2e9;  /* 4 ms a pixel: x 710 is past the end, 210 holds 0 */
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = 700;
    e.motion.y = v->lanes[0].y + v->lanes[0].h - 8;
    fs_viz_viewer_input(v, &e);
    fs_viz_viewer_build(v);
    assert_non_null(fs_fixture_find_text(&v->dl, "sleeper \xC3\x97" "1,000 at 1.960 s:"));
    assert_non_null(fs_fixture_find_text(&v->dl, "0 polling, 0 queued, 0 waiting, 1,000 done"));
    assert_non_null(fs_fixture_find_text(&v->dl, "(polling and queued: the most at once in this pixel; click: expand)"));
}

/* A click on the group's label opens it (a header, then one lane per
 * member); g closes every group; selecting a member opens its group. */
static void test_expand_and_collapse(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    click(f, 40, FX_TASK_Y + 5);
    assert_true(v->groups[0].open);
    fs_viz_viewer_build(v);
    assert_int_equal(v->n_lanes, 1 + 1000 + 3);
    assert_int_equal(v->lanes[1].kind, FS_LANE_TASK);
    assert_int_equal(v->lanes[1].index, 0);
    assert_int_equal(v->lanes[1].y, FX_TASK_Y + v->lanes[0].h);
    assert_ptr_equal(fs_viz_viewer_task_lane(v, 0, 999), &v->lanes[1000]);
    assert_non_null(fs_fixture_find_text(&v->dl, "\xE2\x96\xBE sleeper \xC3\x97" "1,000"));
    assert_non_null(fs_fixture_find_text(&v->dl, "sleeper#0"));
    /* a click on a member's lane opens its detail, not the group */
    click(f, 40, v->lanes[2].y + 5);
    assert_int_equal(v->sel_task, 1);
    assert_true(v->groups[0].open);
    key(f, SDLK_g);
    assert_false(v->groups[0].open);
    assert_int_equal(v->n_lanes, 4);
    key(f, SDLK_g);
    assert_true(v->groups[0].open);
    key(f, SDLK_g);
    fs_viz_viewer_select(v, 0, 500);
    assert_true(v->groups[0].open);
    assert_int_equal(fs_viz_viewer_task_lane(v, 0, 500)->kind, FS_LANE_TASK);
}

/* steal:4 over the sleepers: the four workers fold into "worker x4". */
static void test_workers_group(void **state)
{
    (void)state;
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_file(fs_test_src("scenarios/patterns/thousand_sleepers.json"), &sc, &err), FS_ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    fs_run *run = NULL;
    assert_int_equal(fs_run_simulate(&(fs_run_desc){.scenario = sc, .kind = FS_EXEC_STEAL, .workers = 4, .trace = mem}, &run, &err), FS_ERR_OK);
    fclose(mem);
    fs_trace *tr = NULL;
    assert_int_equal(fs_trace_read_text(buf, len, "steal", &tr, &err), FS_ERR_OK);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    fs_viz_viewer_build(&v);
    assert_int_equal(v.n_groups, 2);
    assert_int_equal(v.groups[1].kind, FS_LANE_WORKER);
    assert_string_equal(v.groups[1].stem, "worker");
    assert_int_equal(v.groups[1].n, 4);
    assert_int_equal(v.n_lanes, 4);  /* sleepers, timer, workers, ready queue */
    assert_int_equal(v.lanes[2].kind, FS_LANE_GROUP);
    assert_non_null(fs_fixture_find_text(&v.dl, "\xE2\x96\xB8 worker \xC3\x97" "4"));
    /* at most four busy at once, over the whole run */
    size_t cur = 0;
    int32_t n[FS_GROUP_STATES];
    fs_viz_group_column(&v.groups[1], 0, tr->summary.end_ns + 1, &cur, n);
    assert_true(n[FS_GROUP_POLLING] >= 1 && n[FS_GROUP_POLLING] <= 4);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
    fs_run_free(run);
    fs_scenario_free(sc);
    free(buf);
}

static void wheel_at(gfx *f, int x, int y, int dy)
{
    SDL_Event e = {0};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    fs_viz_viewer_input(&f->v, &e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = dy;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    fs_viz_viewer_input(&f->v, &e);
}

/* Two bands of 1000 open lanes each: the scrollbar shows, the wheel over
 * the labels scrolls a quarter of the lanes on screen, b jumps to the next
 * band's header (and wraps), a band's header stays pinned at the top while
 * its lanes scroll under it, the track scrolls where it is pressed. */
static void test_navigation(void **state)
{
    gfx *f = *state;
    fs_trace *two[2] = {f->tr, f->tr};
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_destroy(v);
    assert_true(fs_fixture_viewer(v, two, 2));
    fs_viz_viewer_toggle_group(v, -1);  /* open both */
    fs_viz_viewer_build(v);
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    fs_viz_box sb = fs_viz_scrollbar_box(v);
    assert_int_equal(sb.w, 12);
    assert_int_equal(sb.x, tl.x + tl.w - 12);
    assert_int_equal(sb.h, tl.h);
    assert_non_null(fs_fixture_find(&v->dl, FS_HIT_SCROLLBAR, -1, -1));
    int band_h = v->theme.band_head_h + v->lanes[0].h + 1000 * v->theme.task_lane_h +
                 v->theme.device_lane_h + v->theme.worker_lane_h + v->theme.counter_lane_h;
    assert_int_equal(v->content_h, 2 * (band_h + v->theme.band_gap));
    /* the wheel over the labels */
    wheel_at(f, 50, tl.y + 100, -2);
    assert_int_equal(v->view.scroll_y, 2 * (tl.h / 4));
    wheel_at(f, 50, tl.y + 100, 5);
    assert_int_equal(v->view.scroll_y, 0);  /* not above the first lane */
    /* b: the second band's header to the top; again: back to the first */
    key(f, SDLK_b);
    assert_int_equal(v->view.scroll_y, band_h + v->theme.band_gap);
    assert_int_equal(v->bands[1].y, tl.y);
    key(f, SDLK_b);
    assert_int_equal(v->view.scroll_y, 0);
    /* scrolled into the first band: its header is drawn at the top */
    v->view.scroll_y = 5000;
    fs_viz_viewer_build(v);
    assert_true(v->bands[0].y < tl.y);
    const fs_viz_cmd *head = fs_fixture_find_text(&v->dl, "wake fifo");
    assert_non_null(head);
    assert_int_equal(head->y, tl.y + (v->theme.band_head_h - v->theme.line_h) / 2);
    /* shift+b from inside the band: back to its own header */
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = SDLK_b;
    e.key.keysym.mod = KMOD_SHIFT;
    fs_viz_viewer_input(v, &e);
    assert_int_equal(v->view.scroll_y, 0);
    /* a press at the bottom of the track scrolls to the end */
    click(f, sb.x + 5, sb.y + sb.h - 1);
    assert_int_equal(v->view.scroll_y, v->content_h - tl.h);
    assert_int_equal(v->sel_task, -1);  /* not a click on a lane */
    key(f, SDLK_PAGEUP);
    assert_int_equal(v->view.scroll_y, v->content_h - tl.h - (tl.h - v->theme.task_lane_h));
}

/* The side panel lists what fits and counts the rest; the wheel over the
 * panel scrolls its list, 3 tasks a notch. */
static void test_panel_says_how_many_more(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_view_set_playhead(&v->view, 0);
    fs_viz_viewer_build(v);
    /* at 0 every sleeper is queued: two lines each */
    int shown = 0;
    for (size_t i = 0; i < v->dl.n; i++)
        if (v->dl.cmds[i].type == FS_DRAW_TEXT && strncmp(fs_viz_cmd_text(&v->dl, &v->dl.cmds[i]), "sleeper#", 8) == 0 &&
            v->dl.cmds[i].x > 710)
            shown++;
    assert_true(shown > 5);
    char want[64];
    snprintf(want, sizeof want, "... %d more tasks", 1000 - shown);  /* no room for the hint */
    const fs_viz_cmd *more = fs_fixture_find_text(&v->dl, "... ");
    assert_non_null(more);
    assert_string_equal(fs_viz_cmd_text(&v->dl, more), want);
    assert_true(more->y + v->theme.line_h <= v->view.h - v->theme.legend_h);
    /* the ready queue: as many names as fit, then an ellipsis */
    const fs_viz_cmd *rq = fs_fixture_find_text(&v->dl, "ready queue (999): ");
    assert_non_null(rq);
    assert_string_equal(fs_viz_cmd_text(&v->dl, rq), "ready queue (999): sleeper#1, \xE2\x80\xA6");
    wheel_at(f, 800, 300, -1);
    assert_int_equal(v->panel_scroll, 3);
    fs_viz_viewer_build(v);
    assert_non_null(fs_fixture_find_text(&v->dl, "... 3 tasks above"));
    assert_non_null(fs_fixture_find_text(&v->dl, "sleeper#3 "));
    assert_null(fs_fixture_find_text(&v->dl, "sleeper#2 "));
    wheel_at(f, 800, 300, 5);
    assert_int_equal(v->panel_scroll, 0);
    /* a wider panel has room for the hint */
    v->theme.panel_w = 400;
    fs_viz_viewer_build(v);
    const fs_viz_cmd *hint = fs_fixture_find_text(&v->dl, "... ");
    assert_non_null(hint);
    assert_non_null(strstr(fs_viz_cmd_text(&v->dl, hint), "more tasks (the wheel scrolls)"));
}

/* A sleeper's detail names the timer holding its waker once ("timer",
 * whose kind and name are both "timer"), not "timer timer". */
static void test_detail_names_the_timer_once(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_select(v, 0, 5);
    fs_viz_view_set_playhead(&v->view, 500000);  /* every sleeper polled once by now */
    fs_viz_viewer_build(v);
    const fs_viz_cmd *c = fs_fixture_find_text(&v->dl, "waker held by ");
    assert_non_null(c);
    assert_string_equal(fs_viz_cmd_text(&v->dl, c), "waker held by timer");
}

/* Open, the sleepers' lanes push the timer's far below the screen: its
 * wakes arrive as short arrows from a marker beside each task's lane,
 * never as lines across the whole timeline. */
static void test_wakes_from_off_screen_are_short(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_toggle_group(v, 0);
    fs_viz_view_set_playhead(&v->view, (double)f->tr->summary.end_ns);
    fs_viz_viewer_build(v);
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    assert_true(fs_viz_viewer_res_lane(v, 0, 0)->y > tl.y + tl.h);  /* the timer: off screen */
    int arrows = 0;
    for (size_t i = 0; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type != FS_DRAW_ARROW)
            continue;
        arrows++;
        int len = c->h > c->y ? c->h - c->y : c->y - c->h;
        assert_true(len <= v->theme.task_lane_h + 10);
    }
    assert_true(arrows > 10);
}

/* A small run keeps one lane per task, as before groups. */
/* Spawned tasks group by the stem of their path: the 80 requests of 40
 * clients (client#k/req#i) fold into one group "client/req", beside the
 * group of clients; the server and its one request stay lanes of their own. */
static void test_spawned_tasks_group_by_path(void **state)
{
    (void)state;
    static const char text[] =
        "{\"tasks\":[{\"name\":\"client\",\"count\":40,\"future\":{\"repeat\":2,\"do\":{\"spawn\":"
        "{\"name\":\"req\",\"future\":{\"sleep_ms\":5}}}}},"
        "{\"name\":\"server\",\"future\":{\"spawn\":{\"name\":\"req\",\"future\":{\"sleep_ms\":5}}}}]}";
    fs_scenario *sc = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(text, strlen(text), "paths.json", &sc, &err), FS_ERR_OK);
    fs_trace *tr = fs_fixture_run_scenario(sc, FS_EXEC_WAKE, 0, "paths.json");
    assert_non_null(tr);
    assert_int_equal(tr->n_tasks, 122);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    fs_viz_viewer_build(&v);
    assert_int_equal(v.n_groups, 2);
    assert_string_equal(v.groups[0].stem, "client");
    assert_int_equal(v.groups[0].n, 40);
    assert_string_equal(v.groups[1].stem, "client/req");
    assert_int_equal(v.groups[1].n, 80);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

static void test_small_run_is_not_grouped(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/seed/05_several_workers.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    fs_viz_viewer_build(&v);
    assert_int_equal(v.n_groups, 0);
    assert_int_equal(v.n_lanes, tr->n_tasks + tr->n_resources + (size_t)tr->workers + 1);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* The layout is kept while the lanes stay the same: scrolled, every lane
 * moves; a group opened or closed, or the lanes sorted, lays them out
 * again. Each time the lanes, the bands and every task's lane equal a
 * layout made afresh. */
static void same_as_fresh(fs_viz_viewer *v)
{
    size_t n = v->n_lanes, n_map = v->traces[0]->n_tasks;
    fs_viz_lane *lanes = malloc(n * sizeof *lanes);
    int32_t *map = malloc(n_map * sizeof *map);
    assert_non_null(lanes);
    assert_non_null(map);
    memcpy(lanes, v->lanes, n * sizeof *lanes);
    memcpy(map, v->bands[0].task_lane, n_map * sizeof *map);
    int band_y = v->bands[0].y, content = v->content_h;
    v->layout_sig = 0;  /* forgets the layout */
    fs_viz_layout(v);
    assert_int_equal(v->n_lanes, n);
    assert_memory_equal(v->lanes, lanes, n * sizeof *lanes);
    assert_memory_equal(v->bands[0].task_lane, map, n_map * sizeof *map);
    assert_int_equal(v->bands[0].y, band_y);
    assert_int_equal(v->content_h, content);
    free(lanes);
    free(map);
}

static void test_layout_kept_until_the_lanes_change(void **state)
{
    gfx *f = *state;
    fs_viz_viewer *v = &f->v;
    fs_viz_viewer_build(v);
    same_as_fresh(v);
    click(f, 40, FX_TASK_Y + 5);  /* open */
    assert_true(v->groups[0].open);
    fs_viz_viewer_build(v);
    assert_int_equal(v->n_lanes, 1 + 1000 + 3);
    same_as_fresh(v);
    int y1 = v->lanes[1].y, s1 = v->view.scroll_y;
    fs_viz_viewer_scroll_to(v, 5000);
    fs_viz_viewer_build(v);
    assert_int_equal(v->view.scroll_y, 5000);
    assert_int_equal(v->lanes[1].y, y1 - (5000 - s1));
    same_as_fresh(v);
    assert_true(fs_viz_viewer_sort_lanes(v, FS_ORDER_END));
    fs_viz_viewer_build(v);
    same_as_fresh(v);
    key(f, SDLK_g);  /* close */
    assert_int_equal(v->n_lanes, 4);
    same_as_fresh(v);
}

int main(void)
{
#define G(name) cmocka_unit_test_setup_teardown(name, sleepers_setup, sleepers_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stem),
        G(test_large_run_opens_collapsed),
        G(test_counts_match_the_state_at_the_playhead),
        G(test_brief_states_keep_their_peak),
        G(test_column_peaks_equal_a_scan),
        G(test_collapsed_lane_draws_its_graph),
        G(test_hover_a_group),
        G(test_expand_and_collapse),
        G(test_navigation),
        G(test_panel_says_how_many_more),
        G(test_detail_names_the_timer_once),
        G(test_wakes_from_off_screen_are_short),
        G(test_layout_kept_until_the_lanes_change),
        cmocka_unit_test(test_workers_group),
        cmocka_unit_test(test_small_run_is_not_grouped),
        cmocka_unit_test(test_spawned_tasks_group_by_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
