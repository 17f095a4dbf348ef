/* test_viz_render.c - frames rendered offscreen with SDL's software renderer
 * onto a surface (no window, no display), checked pixel by pixel, and the
 * --screenshot path end to end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_sdl.h"
#include "support.h"
#include "test_viz_fixture.h"

typedef struct fx {
    fs_trace *tr;
    fs_viz_viewer v;
    SDL_Surface *surf;
    SDL_Renderer *r;
    fs_viz_sdl sdl;
} fx;

static int fx_setup(void **state)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    assert_int_equal(TTF_Init(), 0);
    fx *f = calloc(1, sizeof *f);
    f->tr = fs_fixture_load(fs_fixture_trace);
    assert_true(fs_fixture_viewer(&f->v, &f->tr, 1));
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, 1000, 600, 32, SDL_PIXELFORMAT_ARGB8888);
    f->r = SDL_CreateSoftwareRenderer(f->surf);
    assert_non_null(f->r);
    char err[256];
    fs_viz_theme th = f->v.theme;
    bool ok = fs_viz_sdl_init(&f->sdl, f->r, &th, err, sizeof err);
    if (!ok)
        fail_msg("%s", err);
    /* keep the fixture's geometry: the draw list is built with default text metrics */
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    fs_viz_sdl_destroy(&f->sdl);
    SDL_DestroyRenderer(f->r);
    SDL_FreeSurface(f->surf);
    fs_viz_viewer_destroy(&f->v);
    fs_trace_free(f->tr);
    free(f);
    TTF_Quit();
    SDL_Quit();
    return 0;
}

static void render_at(fx *f, double t)
{
    fs_viz_view_set_playhead(&f->v.view, t);
    fs_viz_viewer_build(&f->v);
    fs_viz_sdl_draw(&f->sdl, &f->v.dl);
    SDL_RenderPresent(f->r);
}

static fs_viz_color pixel(const fx *f, int x, int y)
{
    const uint32_t *row = (const uint32_t *)((const uint8_t *)f->surf->pixels + y * f->surf->pitch);
    uint32_t p = row[x];
    return (fs_viz_color){(uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255};
}

#define assert_pixel(f, x, y, want)                                                       \
    do {                                                                                  \
        fs_viz_color got_ = pixel((f), (x), (y));                                         \
        if (!fs_fixture_color_eq(got_, (want)))                                           \
            fail_msg("pixel (%d,%d) is %d,%d,%d, want %d,%d,%d", (x), (y), got_.r, got_.g, \
                     got_.b, (want).r, (want).g, (want).b);                               \
    } while (0)

static void test_polls_and_playhead_pixels(void **state)
{
    fx *f = *state;
    const fs_viz_theme *th = &f->v.theme;
    render_at(f, 500000);
    /* the pending poll at 0: a short orange bar at the timeline's left edge */
    assert_pixel(f, FX_TL_X + 1, FX_TASK_Y + 13, th->pending);
    assert_pixel(f, FX_TL_X + 1, FX_TASK_Y + 4, th->bg);          /* above the short bar */
    /* the ready poll at 1 ms is after the playhead: faded blue, full height */
    fs_viz_color faded = fs_viz_fade(th, th->ready, th->future_fade);
    assert_pixel(f, FX_TL_X + 251, FX_TASK_Y + 4, faded);
    /* the playhead: 2 px at x = 210 + 125, through the empty area below the lanes */
    assert_pixel(f, FX_TL_X + 124, 400, th->playhead);
    assert_pixel(f, FX_TL_X + 125, 400, th->playhead);
    assert_pixel(f, FX_TL_X + 126, 400, th->bg);
    assert_pixel(f, FX_TL_X + 122, 400, th->bg);

    render_at(f, 1001000);
    assert_pixel(f, FX_TL_X + 251, FX_TASK_Y + 4, th->ready);      /* now past: full colour */
    assert_pixel(f, FX_TL_X + 249, FX_DEVICE_Y + 15, th->io);      /* the arrival mark, beside the arrow */
}

static void test_text_is_drawn(void **state)
{
    fx *f = *state;
    render_at(f, 0);
    /* the title bar holds white text on its dark background somewhere */
    int light = 0;
    for (int x = 0; x < 300; x++)
        for (int y = 0; y < f->v.theme.title_h; y++)
            light += pixel(f, x, y).r > 200;
    assert_true(light > 50);
}

/* A task woken but not yet polled is drawn queued: compute_starves under
 * wake, the heartbeat's timer fires at 10 ms but the cruncher holds the
 * only worker until 500 ms, so the wait from the wake to the poll is a
 * thick bar in the queued colour, labelled with how long it lasted. */
static void test_queued_wait_drawn(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/compute_starves.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_view_set_playhead(&v.view, (double)v.view.end_ns);
    fs_viz_viewer_build(&v);
    const fs_viz_lane *ln = fs_viz_viewer_task_lane(&v, 0, 0);
    assert_non_null(ln);
    const fs_viz_cmd *label = fs_fixture_find_text(&v.dl, "queued 490.002 ms");
    assert_non_null(label);
    assert_int_equal(label->y, ln->y + 1);
    const fs_viz_theme *th = &v.theme;
    bool bar = false;
    for (size_t i = 0; i < v.dl.n; i++) {
        const fs_viz_cmd *c = &v.dl.cmds[i];
        if (c->type == FS_DRAW_RECT && c->h == 3 && c->y == ln->y + ln->h / 2 - 1 &&
            fs_fixture_color_eq(c->color, th->pending) && c->x <= label->x && c->x + c->w > label->x + label->w)
            bar = true;
    }
    assert_true(bar);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

/* The timer lane marks each time the timer fired (the wake it made): a
 * thousand sleepers' fires over 0..1 s, at most one mark a pixel column,
 * none for a wake from anywhere else. */
static void test_timer_fires_marked(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/patterns/thousand_sleepers.json"), FS_EXEC_WAKE);
    assert_non_null(tr);
    int32_t timer = -1;
    for (size_t r = 0; r < tr->n_resources; r++)
        if (strcmp(fs_trace_str(tr, tr->resources[r].name), "timer") == 0)
            timer = (int32_t)r;
    assert_true(timer >= 0);
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, &tr, 1, 1600, 900));
    fs_viz_view_set_playhead(&v.view, 400000000.0);
    fs_viz_viewer_build(&v);
    const fs_viz_lane *ln = fs_viz_viewer_res_lane(&v, 0, (uint32_t)timer);
    assert_non_null(ln);
    int marks = 0, last_x = -1;
    for (size_t i = 0; i < v.dl.n; i++) {
        const fs_viz_cmd *c = &v.dl.cmds[i];
        if (c->type != FS_DRAW_RECT || c->y != ln->y + 2 || c->w != 1 || c->h != ln->h - 4)
            continue;
        assert_true(c->x > last_x); /* one a column, in time order */
        last_x = c->x;
        marks++;
    }
    /* 1,000 fires over about 900 columns: most columns hold one */
    assert_true(marks > 500 && marks <= 1000);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
}

static void test_screenshot_command(void **state)
{
    (void)state;
    char cmd[1024];
    const char *png = "/tmp/fs_test_viz_shot.png";
    remove(png);
    snprintf(cmd, sizeof cmd, "env -u DISPLAY -u WAYLAND_DISPLAY %s view %s -e busy,wake --screenshot %s --at 1s --size 800x500",
             FS_BINARY, fs_test_src("scenarios/seed/03_busy_vs_wake.json"), png);
    char *out = NULL, *err = NULL;
    int st = fs_test_run(cmd, &out, &err);
    if (st != 0)
        fail_msg("status %d: %s", st, err);
    FILE *fp = fopen(png, "rb");
    assert_non_null(fp);
    unsigned char sig[24];
    assert_int_equal(fread(sig, 1, sizeof sig, fp), sizeof sig);
    fclose(fp);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    /* IHDR width and height, big-endian */
    assert_int_equal((sig[16] << 24 | sig[17] << 16 | sig[18] << 8 | sig[19]), 800);
    assert_int_equal((sig[20] << 24 | sig[21] << 16 | sig[22] << 8 | sig[23]), 500);
    free(out);
    free(err);
    remove(png);
}

static void test_view_errors(void **state)
{
    (void)state;
    char cmd[1024];
    char *err = NULL;
    FILE *f = fopen("/tmp/fs_test_viz_bad.jsonl", "w");
    fputs("{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1}\n{\"t\":0,", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s view /tmp/fs_test_viz_bad.jsonl --screenshot /tmp/fs_never.png", FS_BINARY);
    assert_int_equal(fs_test_run(cmd, NULL, &err), 2);
    assert_string_equal(err, "/tmp/fs_test_viz_bad.jsonl:2: truncated last line (the trace was cut off while being written)\n");
    free(err);
    snprintf(cmd, sizeof cmd, "env -u DISPLAY -u WAYLAND_DISPLAY %s view %s", FS_BINARY,
             fs_test_src("scenarios/seed/03_busy_vs_wake.json"));
    assert_int_equal(fs_test_run(cmd, NULL, &err), 2);
    assert_non_null(strstr(err, "use --screenshot"));
    free(err);
    snprintf(cmd, sizeof cmd, "%s view x.jsonl --size 12", FS_BINARY);
    assert_int_equal(fs_test_run(cmd, NULL, &err), 2);
    assert_non_null(strstr(err, "--size expects WIDTHxHEIGHT"));
    free(err);
    remove("/tmp/fs_test_viz_bad.jsonl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queued_wait_drawn),
        cmocka_unit_test(test_timer_fires_marked),
        cmocka_unit_test_setup_teardown(test_polls_and_playhead_pixels, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_text_is_drawn, fx_setup, fx_teardown),
        cmocka_unit_test(test_screenshot_command),
        cmocka_unit_test(test_view_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
