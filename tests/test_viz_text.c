/* test_viz_text.c - text never overlaps other text nor passes the edge of
 * its region: the frame's text commands, each a box of its columns times
 * the font's width by a line's height, checked against the title bar, the
 * time axis, the side panel (the state at the playhead, a task's detail,
 * the warnings) and the band headers, on shipped scenarios at the default
 * 1600x900 and in narrow windows (700 px wide: the panel a third of it). */
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

typedef struct region {
    const char *name;
    int x0, y0, x1, y1;
} region;

typedef struct shot {
    const char *scenario;
    fs_exec_kind kind[2];
    int workers[2];
    int n;
    int64_t at;          /* the playhead, ns; -1 the end */
    const char *detail;  /* a task's name, or NULL */
} shot;

static void fail_at(const fs_viz_viewer *v, const char *what, const region *r, const fs_viz_cmd *a,
                    const fs_viz_cmd *b)
{
    fail_msg("%dx%d %s: %s \"%s\" at %d,%d w %d%s%s%s", v->view.w, v->view.h, r->name, what,
             fs_viz_cmd_text(&v->dl, a), a->x, a->y, a->w, b ? " and \"" : "",
             b ? fs_viz_cmd_text(&v->dl, b) : "", b ? "\"" : "");
}

/* Every text from the frame's command `from` on whose top-left lies in r
 * lies wholly in it and overlaps no other such text. Returns how many
 * texts it checked. */
static int check_from(const fs_viz_viewer *v, const region *r, size_t from)
{
    const fs_viz_drawlist *dl = &v->dl;
    int lh = v->theme.line_h, n = 0;
    for (size_t i = from; i < dl->n; i++) {
        const fs_viz_cmd *a = &dl->cmds[i];
        if (a->type != FS_DRAW_TEXT || a->x < r->x0 || a->x >= r->x1 || a->y < r->y0 || a->y >= r->y1)
            continue;
        n++;
        if (a->x + a->w > r->x1 || a->y + lh > r->y1)
            fail_at(v, "passes the edge", r, a, NULL);
        for (size_t k = i + 1; k < dl->n; k++) {
            const fs_viz_cmd *b = &dl->cmds[k];
            if (b->type != FS_DRAW_TEXT || b->x < r->x0 || b->x >= r->x1 || b->y < r->y0 || b->y >= r->y1)
                continue;
            bool apart = a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + lh <= b->y || b->y + lh <= a->y;
            if (!apart)
                fail_at(v, "overlaps", r, a, b);
        }
    }
    return n;
}

static int check_region(const fs_viz_viewer *v, const region *r)
{
    return check_from(v, r, 0);
}

static void check_frame(fs_viz_viewer *v)
{
    fs_viz_viewer_build(v);
    const fs_viz_theme *th = &v->theme;
    int w = v->view.w, h = v->view.h, px = w - th->panel_w;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    region title = {"title bar", 0, 0, w, th->title_h};
    region axis = {"time axis", tl.x, th->title_h, tl.x + tl.w, th->title_h + th->axis_h};
    region panel = {"side panel", px, th->title_h, w, h - th->legend_h};
    assert_true(check_region(v, &title) >= 2);
    assert_true(check_region(v, &axis) >= 2);   /* a tick label and the playhead's */
    assert_true(check_region(v, &panel) >= 5);
    /* each band header on screen: its line, up to the timeline's right edge */
    for (size_t b = 0; b < v->n_traces; b++) {
        int y = v->bands[b].y;
        if (y < tl.y || y + th->band_head_h > tl.y + tl.h)
            continue;
        region head = {"band header", 0, y, tl.x + tl.w, y + th->band_head_h};
        assert_true(check_region(v, &head) >= 2);
    }
}

/* Some text of the side panel holds want (wrapped, not cut). */
static bool panel_says(const fs_viz_viewer *v, const char *want)
{
    for (size_t i = 0; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type == FS_DRAW_TEXT && c->x >= v->view.w - v->theme.panel_w &&
            strstr(fs_viz_cmd_text(&v->dl, c), want))
            return true;
    }
    return false;
}

static void check_shot(const shot *s, const char *says)
{
    fs_trace *tr[2] = {NULL, NULL};
    const char *path = fs_test_src(s->scenario);
    for (int i = 0; i < s->n; i++) {
        tr[i] = fs_fixture_simulate_n(path, s->kind[i], s->workers[i]);
        assert_non_null(tr[i]);
    }
    static const int sizes[][2] = {{1600, 900}, {700, 600}, {700, 900}, {1000, 700}};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        fs_viz_viewer v;
        assert_true(fs_viz_viewer_init(&v, tr, (size_t)s->n, sizes[z][0], sizes[z][1]));
        fs_viz_view_set_playhead(&v.view, s->at < 0 ? (double)v.view.end_ns : (double)s->at);
        if (s->detail) {
            uint32_t k = 0;
            while (k < tr[0]->n_tasks && strcmp(fs_trace_str(tr[0], tr[0]->tasks[k].name), s->detail) != 0)
                k++;
            assert_true(k < tr[0]->n_tasks);
            fs_viz_viewer_select(&v, 0, (int32_t)k);
        }
        check_frame(&v);
        if (says && !panel_says(&v, says))
            fail_msg("%dx%d: the panel does not say \"%s\"", v.view.w, v.view.h, says);
        fs_viz_viewer_destroy(&v);
    }
    for (int i = 0; i < s->n; i++)
        fs_trace_free(tr[i]);
}

/* The screenshot of docs/img/playhead.png: at 1 s the playhead's label
 * sits where the "1.0 s" tick label was; the panel's "wasted 999,999"
 * wraps in a narrow window (it was cut to "wasted 9"). */
static void test_playhead_at_one_second(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/seed/03_busy_vs_wake.json", {FS_EXEC_BUSY, FS_EXEC_WAKE}, {0, 0}, 2,
                       1000000000, NULL}, "999,999");
}

static void test_busy_vs_wake_at_the_end(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/seed/03_busy_vs_wake.json", {FS_EXEC_BUSY, FS_EXEC_WAKE}, {0, 0}, 2, -1, NULL}, NULL);
}

static void test_task_detail(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/patterns/compute_starves.json", {FS_EXEC_WAKE}, {0}, 1, -1, "heartbeat"}, "busy 6.000 us (0.0011%)");
}

static void test_warnings_and_stall(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/patterns/lost_waker.json", {FS_EXEC_BUSY, FS_EXEC_WAKE}, {0, 0}, 2, -1, NULL}, NULL);
}

static void test_steal_workers(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/seed/05_several_workers.json", {FS_EXEC_STEAL}, {4}, 1, 150000000, NULL}, NULL);
    /* a task in a poll says so, in its detail and in the list, not where
     * the poll will leave it ("waker held by timer" before the poll ends) */
    check_shot(&(shot){"scenarios/seed/05_several_workers.json", {FS_EXEC_STEAL}, {4}, 1, 150000000,
                       "request#1"}, "polling since");
    fs_trace *tr = fs_fixture_simulate_n(fs_test_src("scenarios/seed/05_several_workers.json"), FS_EXEC_STEAL, 4);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_view_set_playhead(&v.view, 150000000.0);
    fs_viz_viewer_build(&v);
    assert_true(panel_says(&v, "polling since 100.001 ms; then at await 2/2:"));
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

static void test_groups(void **state)
{
    (void)state;
    check_shot(&(shot){"scenarios/patterns/thousand_sleepers.json", {FS_EXEC_BUSY, FS_EXEC_STEAL}, {0, 4}, 2,
                       400000000, NULL}, NULL);
}

/* No text on the lanes is painted over afterwards: a worker's parked spans,
 * merged where they touch at this zoom, had their label drawn across the
 * busy polls between them, which then cut it into unreadable pieces. */
static void test_lane_text_not_painted_over(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/thousand_sleepers.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_view_set_playhead(&v.view, 400000000.0);
    fs_viz_viewer_build(&v);
    fs_viz_box tl = fs_viz_view_timeline(&v.view, &v.theme);
    int lh = v.theme.line_h, texts = 0;
    for (size_t i = 0; i < v.dl.n; i++) {
        const fs_viz_cmd *a = &v.dl.cmds[i];
        if (a->type != FS_DRAW_TEXT || a->x < tl.x || a->x >= tl.x + tl.w || a->y < tl.y ||
            a->y >= tl.y + tl.h)
            continue;
        texts++;
        for (size_t k = i + 1; k < v.dl.n; k++) {
            const fs_viz_cmd *b = &v.dl.cmds[k];
            if (b->type != FS_DRAW_RECT && b->type != FS_DRAW_HATCH)
                continue;
            bool apart = a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + lh <= b->y ||
                         b->y + b->h <= a->y;
            if (!apart)
                fail_msg("\"%s\" at %d,%d w %d is painted over by a box at %d,%d %dx%d",
                         fs_viz_cmd_text(&v.dl, a), a->x, a->y, a->w, b->x, b->y, b->w, b->h);
        }
    }
    assert_true(texts >= 3);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* The help box lists every key and fits the smallest window tried, 700x600:
 * its lines inside the window, none over another. */
static void test_help_fits(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 700, 600));
    v.view.help = true;
    fs_viz_viewer_build(&v);
    const fs_viz_cmd *first = fs_fixture_find_text(&v.dl, "futurescope viewer");
    assert_non_null(first);
    assert_non_null(fs_fixture_find_text(&v.dl, ". / ,          the selected task's next / previous event"));
    assert_non_null(fs_fixture_find_text(&v.dl, "o / shift+o    order task lanes"));
    region help = {"help", first->x, first->y, 700, 600};
    assert_true(check_from(&v, &help, (size_t)(first - v.dl.cmds)) >= 30);
    assert_true(first->x >= 0 && first->y >= 0);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_playhead_at_one_second),
        cmocka_unit_test(test_busy_vs_wake_at_the_end),
        cmocka_unit_test(test_task_detail),
        cmocka_unit_test(test_warnings_and_stall),
        cmocka_unit_test(test_steal_workers),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_help_fits),
        cmocka_unit_test(test_lane_text_not_painted_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
