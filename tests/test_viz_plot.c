/* test_viz_plot.c - `explore --plot`: the end times of a small sweep drawn
 * to a PNG, read back with IMG_Load and checked pixel by pixel; the same
 * bytes whatever -j and after --merge; stdout refused as its file. The sweep:
 * shutdown_notify_race over seeds 1..50, where seed 5 stalls under wake
 * (docs/explore.md) and every other run is ok. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "explore.h"
#include "scenario.h"
#include "support.h"

#define PATTERN "scenarios/patterns/shutdown_notify_race.json"
#define MS 1000000LL

/* One sweep drawn into path; its layout and histogram kept. */
typedef struct plotted {
    fs_explore_hist hist;
    fs_viz_plot_layout lay;
} plotted;

static void plot_sweep(int jobs, const char *path, plotted *p)
{
    fs_scenario *sc = NULL;
    fs_error err = {0};
    assert_int_equal(fs_scenario_load_file(fs_test_src(PATTERN), &sc, &err), FS_ERR_OK);
    fs_run_desc d[2] = {{.scenario = sc, .kind = FS_EXEC_WAKE},
                        {.scenario = sc, .kind = FS_EXEC_STEAL, .workers = 2}};
    fs_explore_desc xd = {.runs = d, .n_exec = 2, .first_seed = 1, .last_seed = 50, .jobs = jobs};
    fs_explore x;
    assert_int_equal(fs_explore_run(&xd, &x, &err), FS_ERR_OK);
    fs_explore_summary sum[2];
    for (int e = 0; e < 2; e++)
        assert_true(fs_explore_summarize(&x, e, &sum[e]));
    fs_explore_histogram(&x, &p->hist);
    static const char labels[2][32] = {"wake", "steal:2"};
    fs_viz_plot_desc pd = {.title = "end times of shutdown notify race",
                           .subtitle = "seeds 1..50 under wake, steal:2: 100 runs; schedule fixed",
                           .has_expect = true, .n_exec = 2, .labels = labels, .sums = sum,
                           .hist = &p->hist};
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fs_viz_plot_png(&pd, f, &p->lay, &err), FS_ERR_OK);
    assert_int_equal(fclose(f), 0);
    fs_explore_free(&x);
    fs_scenario_free(sc);
}

static SDL_Surface *load_png(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        fail_msg("IMG_Load %s: %s", path, IMG_GetError());
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

static fs_viz_color pixel(const SDL_Surface *s, int x, int y)
{
    const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch);
    uint32_t p = row[x];
    return (fs_viz_color){(uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255};
}

static bool same(fs_viz_color a, fs_viz_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

#define assert_color(s, x, y, want)                                                         \
    do {                                                                                    \
        fs_viz_color got_ = pixel((s), (x), (y)), want_ = (want);                           \
        if (!same(got_, want_))                                                             \
            fail_msg("pixel (%d,%d) is %d,%d,%d, want %d,%d,%d", (x), (y), got_.r, got_.g,  \
                     got_.b, want_.r, want_.g, want_.b);                                    \
    } while (0)

/* The middle column of the bin holding end time t. */
static int bin_middle(const plotted *p, int64_t t)
{
    int64_t lo = p->hist.lo + (t - p->hist.lo) / p->hist.width * p->hist.width;
    return (fs_viz_plot_x(&p->lay, lo) + fs_viz_plot_x(&p->lay, lo + p->hist.width)) / 2;
}

static void test_bins_and_pixels(void **state)
{
    (void)state;
    const char *path = fs_test_scratch_path("plot.png");
    plotted p;
    plot_sweep(2, path, &p);

    /* one axis for both executors: 69.002 ms (seed 5 under wake) to
     * 74.021 ms (steal:2), in bins of 200 us from 69.0 ms */
    assert_int_equal(p.hist.lo, 69 * MS);
    assert_int_equal(p.hist.width, 200000);
    assert_int_equal(p.hist.n_bins, 26);
    assert_int_equal(p.hist.counts[0][0][FS_OUTCOME_OK], 49);
    assert_int_equal(p.hist.counts[0][0][FS_OUTCOME_STALLED], 1);
    assert_int_equal(p.hist.counts[1][25][FS_OUTCOME_OK], 50);
    for (int i = 1; i < 25; i++)
        for (int o = 0; o < FS_OUTCOME__COUNT; o++)
            assert_int_equal(p.hist.counts[0][i][o] + p.hist.counts[1][i][o], 0);

    SDL_Surface *s = load_png(path);
    assert_int_equal(s->w, p.lay.w);
    assert_int_equal(s->h, p.lay.h);
    fs_viz_theme th;
    fs_viz_theme_default(&th);  /* the shipped theme.json is the built-in theme */
    fs_viz_color ok = fs_viz_plot_color(&th, FS_OUTCOME_OK);
    fs_viz_color stalled = fs_viz_plot_color(&th, FS_OUTCOME_STALLED);
    assert_false(same(ok, stalled));
    int x_wake = bin_middle(&p, 69 * MS), x_steal = bin_middle(&p, 74 * MS + 21000);
    int bottom_wake = p.lay.plot_y[0] + p.lay.plot_h - 1;
    int bottom_steal = p.lay.plot_y[1] + p.lay.plot_h - 1;

    /* wake's bar at 69 ms: ok up from the axis, then seed 5's stall on top
     * in the failure colour, at least 2 px however few the runs */
    assert_color(s, x_wake, bottom_wake, ok);
    int y = bottom_wake;
    while (y > p.lay.plot_y[0] && same(pixel(s, x_wake, y), ok))
        y--;
    int ok_px = bottom_wake - y;
    assert_int_equal(ok_px, (int)((49.0 * p.lay.plot_h) / (double)p.lay.y_max + 0.5));
    int stall_px = (int)(1.0 * p.lay.plot_h / (double)p.lay.y_max + 0.5);
    stall_px = stall_px < 2 ? 2 : stall_px;
    for (int k = 0; k < stall_px; k++)
        assert_color(s, x_wake, y - k, stalled);
    assert_false(same(pixel(s, x_wake, y - stall_px), stalled));
    /* nothing of wake's at 74 ms, nothing of steal:2's at 69 ms */
    assert_color(s, x_steal, bottom_wake, th.panel_bg);
    assert_color(s, x_wake, bottom_steal, th.panel_bg);
    /* steal:2's 50 ok runs at 74.0 ms, no failure colour over them */
    assert_color(s, x_steal, bottom_steal, ok);
    for (y = p.lay.plot_y[1]; y <= bottom_steal; y++)
        assert_false(same(pixel(s, x_steal, y), stalled));
    SDL_FreeSurface(s);
}

static bool same_file_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *da = fs_test_read_file(a, &la), *db = fs_test_read_file(b, &lb);
    bool eq = da && db && la == lb && la > 0 && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return eq;
}

/* The records are kept by (seed, executor), so the picture is the same
 * bytes with 1 or 2 threads, in the library and through the program, and
 * after merging shards. */
static void test_same_png_whatever_jobs(void **state)
{
    (void)state;
    plotted p;
    char a[512], b[512], args[2048];
    snprintf(a, sizeof a, "%s", fs_test_scratch_path("j1.png"));
    snprintf(b, sizeof b, "%s", fs_test_scratch_path("j2.png"));
    plot_sweep(1, a, &p);
    plot_sweep(2, b, &p);
    assert_true(same_file_bytes(a, b));

    const char *sweep = "explore " PATTERN " -e wake,steal:2 --seeds 1..50";
    snprintf(args, sizeof args, "%s -j 1 --plot '%s'", sweep, a);
    free(fs_test_futurescope_out(args, 3));
    snprintf(args, sizeof args, "%s -j 2 --plot '%s'", sweep, b);
    free(fs_test_futurescope_out(args, 3));
    assert_true(same_file_bytes(a, b));
    for (int i = 1; i <= 2; i++) {
        snprintf(args, sizeof args, "%s --shard %d/2 --json", sweep, i);
        char *json = fs_test_futurescope_out(args, i == 1 ? 3 : 0); /* seed 5 is shard 1's */
        FILE *f = fopen(fs_test_scratch_path(i == 1 ? "s1.json" : "s2.json"), "w");
        assert_non_null(f);
        fputs(json, f);
        assert_int_equal(fclose(f), 0);
        free(json);
    }
    char m[512];
    snprintf(m, sizeof m, "%s", fs_test_scratch_path("merged.png"));
    snprintf(args, sizeof args, "explore --merge '%s' '%s' --plot '%s'",
             fs_test_scratch_path("s2.json"), fs_test_scratch_path("s1.json"), m);
    free(fs_test_futurescope_out(args, 3));
    assert_true(same_file_bytes(a, m));
    SDL_Surface *s = load_png(m);  /* a PNG, whole */
    SDL_FreeSurface(s);
}

/* The report's own file is refused: stdout redirected to the PNG's name
 * (the other bad values are in the tables of test_explore and
 * test_explore_merge). */
static void test_plot_is_not_stdout(void **state)
{
    (void)state;
    char cmd[2048], *out, *err;
    const char *png = fs_test_scratch_path("report.png");
    snprintf(cmd, sizeof cmd, "(cd '%s' && '%s' explore " PATTERN " --seeds 1..2 --plot '%s' > '%s')",
             FS_SOURCE_DIR, FS_BINARY, png, png);
    assert_int_equal(fs_test_run(cmd, &out, &err), 2);
    assert_non_null(strstr(err, "is where stdout (the report) goes"));
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_int_equal(st.st_size, 0);  /* the shell made it; nothing wrote to it */
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bins_and_pixels),
        cmocka_unit_test(test_same_png_whatever_jobs),
        cmocka_unit_test(test_plot_is_not_stdout),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
