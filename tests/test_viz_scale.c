/* test_viz_scale.c - screenshots at scale (issue 14): 1,000 and 100,000
 * tasks, each a random sleep then a 1 ms compute (W1-like), simulated in
 * the test under wake and steal:4 and opened stacked, as `view a.jsonl
 * b.jsonl` does, at the window's default 1600x900. Rendered with SDL's
 * software renderer (no display) at the end of the runs and checked pixel
 * by pixel: the groups open collapsed, the second band's header is on the
 * first screen, its colour is where it should be, and a group lane stacks
 * its members' states bottom to top (done, waiting, queued, polling).
 * FS_TEST_PNG_DIR=dir writes each frame there as a PNG, to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_sdl.h"
#include "support.h"
#include "test_viz_fixture.h"

#define W 1600
#define H 900

/* tasks x (sleep uniform 1..100 ms, compute 1 ms) under kind, read back */
static fs_trace *simulate(long tasks, fs_exec_kind kind, int workers)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"name\":\"scale %ld\",\"seed\":7,\"tasks\":[{\"name\":\"job\",\"count\":%ld,\"future\":"
             "{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,100]}},{\"compute_ms\":1}]}}]}",
             tasks, tasks);
    fs_scenario *sc = NULL;
    fs_error err;
    if (fs_scenario_load_text(text, strlen(text), "scale.json", &sc, &err) != FS_ERR_OK)
        return NULL;
    return fs_fixture_run_scenario(sc, kind, workers, kind == FS_EXEC_WAKE ? "wake.jsonl" : "steal4.jsonl");
}

typedef struct shot {
    fs_trace *tr[2];
    fs_viz_viewer v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    fs_viz_sdl sdl;
} shot;

/* Both runs stacked and drawn at the end, as a screenshot is. */
static shot *open_shot(long tasks, const char *png)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    assert_int_equal(TTF_Init(), 0);
    shot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->tr[0] = simulate(tasks, FS_EXEC_WAKE, 0);
    s->tr[1] = simulate(tasks, FS_EXEC_STEAL, 4);
    assert_non_null(s->tr[0]);
    assert_non_null(s->tr[1]);
    assert_int_equal(s->tr[0]->n_tasks, tasks);
    assert_true(fs_viz_viewer_init(&s->v, s->tr, 2, W, H));
    s->surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    s->r = SDL_CreateSoftwareRenderer(s->surf);
    assert_non_null(s->r);
    char err[256];
    if (!fs_viz_sdl_init(&s->sdl, s->r, &s->v.theme, err, sizeof err))
        fail_msg("%s", err);
    fs_viz_view_set_playhead(&s->v.view, (double)s->v.view.end_ns);
    fs_viz_viewer_build(&s->v);
    assert_false(s->v.dl.oom);
    fs_viz_sdl_draw(&s->sdl, &s->v.dl);
    SDL_RenderPresent(s->r);
    const char *dir = getenv("FS_TEST_PNG_DIR");
    if (dir && *dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, png);
        assert_int_equal(IMG_SavePNG(s->surf, path), 0);
    }
    return s;
}

static void close_shot(shot *s)
{
    fs_viz_sdl_destroy(&s->sdl);
    SDL_DestroyRenderer(s->r);
    SDL_FreeSurface(s->surf);
    fs_viz_viewer_destroy(&s->v);
    fs_trace_free(s->tr[0]);
    fs_trace_free(s->tr[1]);
    free(s);
    TTF_Quit();
    SDL_Quit();
}

static fs_viz_color pixel(const shot *s, int x, int y)
{
    const uint32_t *row = (const uint32_t *)((const uint8_t *)s->surf->pixels + y * s->surf->pitch);
    uint32_t p = row[x];
    return (fs_viz_color){(uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255};
}

#define assert_pixel(s, x, y, want)                                                        \
    do {                                                                                   \
        fs_viz_color got_ = pixel((s), (x), (y));                                          \
        if (!fs_fixture_color_eq(got_, (want)))                                            \
            fail_msg("pixel (%d,%d) is %d,%d,%d, want %d,%d,%d", (x), (y), got_.r, got_.g, \
                     got_.b, (want).r, (want).g, (want).b);                                \
    } while (0)

/* The lane of band b's first group of this kind, or NULL. */
static const fs_viz_lane *group_lane(const shot *s, int b, uint8_t kind)
{
    for (size_t i = 0; i < s->v.n_lanes; i++) {
        const fs_viz_lane *ln = &s->v.lanes[i];
        if (ln->kind == FS_LANE_GROUP && ln->trace == b && s->v.groups[ln->index].kind == kind)
            return ln;
    }
    return NULL;
}

/* The colours of a group lane's graph in pixel column x, bottom to top,
 * each once (runs of one colour merged). Returns how many. */
static int column_colors(const shot *s, const fs_viz_lane *ln, int x, fs_viz_color *out, int max)
{
    const fs_viz_theme *th = &s->v.theme;
    int top = ln->y + th->line_h + 2, bottom = ln->y + ln->h - 3, n = 0;
    for (int y = bottom - 1; y >= top && n < max; y--) {
        fs_viz_color c = pixel(s, x, y);
        if (n == 0 || !fs_fixture_color_eq(c, out[n - 1]))
            out[n++] = c;
    }
    return n;
}

/* What every screenshot at scale shows, whatever the size. */
static void check_shot(shot *s, long tasks)
{
    fs_viz_viewer *v = &s->v;
    const fs_viz_theme *th = &v->theme;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    /* every group collapsed: the job group and the workers' */
    assert_true(v->n_groups >= 3);
    for (size_t i = 0; i < v->n_groups; i++)
        assert_false(v->groups[i].open);
    const fs_viz_lane *jobs = group_lane(s, 0, FS_LANE_TASK), *jobs4 = group_lane(s, 1, FS_LANE_TASK);
    assert_non_null(jobs);
    assert_non_null(jobs4);
    assert_int_equal(v->groups[jobs->index].n, tasks);
    assert_non_null(group_lane(s, 1, FS_LANE_WORKER));
    /* the second band's header on the first screen, in its colour at the
     * top row (above its text) and left of its text */
    const fs_viz_band *b1 = &v->bands[1];
    assert_int_equal(v->view.scroll_y, 0);
    assert_true(b1->y >= tl.y);
    assert_true(b1->y + th->band_head_h <= tl.y + tl.h);
    assert_pixel(s, 2, b1->y + 1, th->band_bg);
    assert_pixel(s, tl.x + tl.w / 2, b1->y + 1, th->band_bg);
    assert_pixel(s, 2, v->bands[0].y + 1, th->band_bg);
    /* and its steal:4 group lane below it, on screen too */
    assert_true(jobs4->y + jobs4->h <= tl.y + tl.h);
    /* Under wake one worker runs a 1 ms compute per task, so halfway
     * through the run most tasks are done or queued: the column stacks
     * done (green) under queued (orange) under polling (blue), all before
     * the playhead (at the end), in full colour. */
    double mid = (double)s->tr[0]->summary.end_ns / 2;
    int x = (int)fs_viz_view_x(&v->view, th, mid);
    fs_viz_color col[8];
    int n = column_colors(s, jobs, x, col, 8);
    assert_true(n >= 3);
    assert_true(fs_fixture_color_eq(col[0], th->io));
    int queued = -1;
    for (int i = 1; i < n; i++)
        if (fs_fixture_color_eq(col[i], th->pending))
            queued = i;
    assert_true(queued >= 1);
    assert_true(fs_fixture_color_eq(col[n - 1], th->ready));  /* the one task polling: 1 px */
    /* past the wake run's end (where the playhead stops), every task is
     * done: one column of faded green, full height */
    int xe = (int)fs_viz_view_x(&v->view, th, (double)s->tr[0]->summary.end_ns) + 3;
    assert_true(xe < tl.x + tl.w - 1);
    n = column_colors(s, jobs, xe, col, 8);
    assert_int_equal(n, 1);
    assert_true(fs_fixture_color_eq(col[0], fs_viz_fade(th, th->io, th->future_fade)));
    /* steal:4 ends first: its workers' group is busy (dark) early on and
     * blank past its run's end */
    const fs_viz_lane *wk = group_lane(s, 1, FS_LANE_WORKER);
    int xs = (int)fs_viz_view_x(&v->view, th, (double)s->tr[1]->summary.end_ns / 2);
    n = column_colors(s, wk, xs, col, 8);
    assert_true(n >= 1);
    assert_true(fs_fixture_color_eq(col[0], th->worker_busy));
    /* the panel's CPU share of the run that ended first counts its time
     * only, as its band header does (it said 25.0% past the end) */
    char want[64];
    snprintf(want, sizeof want, "CPU busy %.1f%% ", 100 * s->tr[1]->summary.cpu_busy);
    const fs_viz_cmd *cpu[2] = {NULL, NULL};
    for (size_t i = 0; i < v->dl.n; i++) {  /* the two panels' lines, top to bottom */
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->type == FS_DRAW_TEXT && c->x > tl.x + tl.w && strncmp(fs_viz_cmd_text(&v->dl, c), "CPU busy ", 9) == 0)
            cpu[cpu[0] ? 1 : 0] = c;
    }
    assert_non_null(cpu[1]);
    assert_true(cpu[1]->y > cpu[0]->y);
    assert_memory_equal(fs_viz_cmd_text(&v->dl, cpu[1]), want, strlen(want));
    assert_non_null(fs_fixture_find_text(&v->dl, "steal:4 at "));
    assert_non_null(strstr(fs_viz_cmd_text(&v->dl, fs_fixture_find_text(&v->dl, "steal:4 at ")), " (ended at "));
}

static void test_thousand_tasks(void **state)
{
    (void)state;
    shot *s = open_shot(1000, "scale_1000.png");
    check_shot(s, 1000);
    close_shot(s);
}

static void test_hundred_thousand_tasks(void **state)
{
    (void)state;
    shot *s = open_shot(100000, "scale_100000.png");
    check_shot(s, 100000);
    close_shot(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thousand_tasks),
        cmocka_unit_test(test_hundred_thousand_tasks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
