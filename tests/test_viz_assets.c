/* test_viz_assets.c - the assets folder: the shipped theme equals the
 * built-in one, a theme file changes what is drawn, bad or missing assets
 * give one warning and the defaults, and the program finds its assets
 * beside itself (the frame the same bytes as with the built-in defaults). */
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
#include <sys/stat.h>

#include "assets.h"
#include "render_sdl.h"
#include "support.h"
#include "test_viz_fixture.h"

/* Every colour of the theme, compared field by field. */
static void assert_same_theme(const fs_viz_theme *a, const fs_viz_theme *b)
{
    assert_memory_equal(&a->bg, &b->bg, offsetof(fs_viz_theme, future_fade) - offsetof(fs_viz_theme, bg));
    assert_int_equal(a->font_px, b->font_px);
}

/* A scratch assets folder named name holding theme.json = text (none if
 * NULL); returns its path. */
static const char *make_assets(const char *name, const char *text)
{
    const char *dir = fs_test_scratch_path(name);
    mkdir(dir, 0755);
    if (text) {
        char path[4200];
        snprintf(path, sizeof path, "%s/theme.json", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    return dir;
}

static void test_shipped_theme_is_the_default(void **state)
{
    (void)state;
    unsetenv("FS_FONT");
    static fs_viz_assets a;
    assert_true(fs_viz_assets_load(&a, fs_test_src("assets")));
    assert_string_equal(a.warning, "");
    assert_int_equal(a.colors_set, 32);  /* it names every colour */
    fs_viz_theme def;
    fs_viz_theme_default(&def);
    assert_same_theme(&a.theme, &def);
    /* the font it picks is the one the built-in list finds */
    const char *builtin = fs_viz_find_font();
    assert_non_null(builtin);
    assert_string_equal(a.font, builtin);
    /* applied to a theme, only colours, size and font change */
    fs_viz_theme th = def;
    th.panel_w = 123;
    fs_viz_assets_apply(&a, &th);
    assert_same_theme(&th, &def);
    assert_int_equal(th.panel_w, 123);
    assert_string_equal(th.font_file, builtin);
}

static void test_icon(void **state)
{
    (void)state;
    static fs_viz_assets a;
    assert_true(fs_viz_assets_load(&a, fs_test_src("assets")));
    assert_int_equal(IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG, IMG_INIT_PNG);
    SDL_Surface *icon = fs_viz_assets_icon(&a);
    assert_non_null(icon);
    assert_int_equal(icon->w, 64);
    assert_int_equal(icon->h, 64);
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(icon, SDL_PIXELFORMAT_ABGR8888, 0);
    assert_non_null(rgba);
    const uint8_t *p = (const uint8_t *)rgba->pixels + 15 * rgba->pitch + 45 * 4;  /* the ready poll */
    assert_int_equal(p[0], 0);
    assert_int_equal(p[1], 114);
    assert_int_equal(p[2], 178);
    assert_int_equal(p[3], 255);
    p = (const uint8_t *)rgba->pixels;  /* a transparent corner */
    assert_int_equal(p[3], 0);
    SDL_FreeSurface(rgba);
    SDL_FreeSurface(icon);
    IMG_Quit();
}

static void test_missing_folder(void **state)
{
    (void)state;
    static fs_viz_assets a;
    fs_viz_theme def;
    fs_viz_theme_default(&def);
    assert_false(fs_viz_assets_load(&a, "/nonexistent/fs_assets"));
    assert_string_equal(a.warning, "no assets folder at /nonexistent/fs_assets (using the built-in theme and fonts)");
    assert_string_equal(a.dir, "");
    assert_string_equal(a.font, "");
    assert_string_equal(a.icon, "");
    assert_same_theme(&a.theme, &def);
    assert_null(fs_viz_assets_icon(&a));
    fs_viz_theme th = def;
    fs_viz_assets_apply(&a, &th);
    assert_null(th.font_file);  /* the built-in list */

    /* $FS_ASSETS names the folder; one that is not there is said so */
    setenv("FS_ASSETS", "/nonexistent/env_assets", 1);
    assert_false(fs_viz_assets_load(&a, NULL));
    assert_string_equal(a.warning, "no assets folder at /nonexistent/env_assets (using the built-in theme and fonts)");
    const char *dir = make_assets("env_assets", "{}");
    setenv("FS_ASSETS", dir, 1);
    char found[4096];
    assert_true(fs_viz_assets_find(found, sizeof found));
    assert_string_equal(found, dir);
    unsetenv("FS_ASSETS");
}

static void test_theme_file_is_used(void **state)
{
    (void)state;
    static fs_viz_assets a;
    const char *dir = make_assets("custom", "{\"font\": {\"size_px\": 15, \"files\": [\"nope.ttf\", \"mine.ttf\"]},\n"
                                            " \"colors\": {\"bg\": \"#102030\", \"pending\": \"#0000ff80\"}}\n");
    char font[4200];
    snprintf(font, sizeof font, "%s/mine.ttf", dir);
    FILE *f = fopen(font, "w");  /* only readable: never opened here */
    fclose(f);
    /* no icon.png in this folder: that is the one warning */
    assert_false(fs_viz_assets_load(&a, dir));
    char want[4400];
    snprintf(want, sizeof want, "%s/icon.png: cannot read it: No such file or directory (no window icon)", dir);
    assert_string_equal(a.warning, want);
    assert_int_equal(a.colors_set, 2);
    assert_int_equal(a.theme.font_px, 15);
    assert_string_equal(a.font, font);  /* a bare name is in the folder; the first readable wins */
    assert_true(fs_fixture_color_eq(a.theme.bg, (fs_viz_color){16, 32, 48, 255}));
    assert_int_equal(a.theme.pending.a, 128);
    fs_viz_theme def;
    fs_viz_theme_default(&def);
    assert_true(fs_fixture_color_eq(a.theme.ready, def.ready));  /* left out: built-in */

    /* FS_FONT wins over the list */
    setenv("FS_FONT", font, 1);
    fs_viz_assets_load(&a, dir);
    assert_string_equal(a.font, "");
    unsetenv("FS_FONT");

    /* and what is drawn follows it: a frame's background */
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    assert_int_equal(TTF_Init(), 0);
    fs_trace *tr = fs_fixture_load(fs_fixture_trace);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    make_assets("custom2", "{\"colors\": {\"bg\": \"#102030\"}}");
    assert_false(fs_viz_assets_load(&a, fs_test_scratch_path("custom2")));  /* no icon */
    fs_viz_assets_apply(&a, &v.theme);
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1000, 600, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    fs_viz_sdl s;
    char err[256];
    fs_viz_theme th = v.theme;
    assert_true(fs_viz_sdl_init(&s, r, &th, err, sizeof err));
    fs_viz_view_set_playhead(&v.view, 0);
    fs_viz_viewer_build(&v);
    fs_viz_sdl_draw(&s, &v.dl);
    uint32_t px = ((const uint32_t *)((const uint8_t *)surf->pixels + (FX_TASK_Y + 4) * surf->pitch))[FX_TL_X + 1];
    assert_int_equal(px & 0xffffff, 0x102030);  /* above the short bar: the background */
    fs_viz_sdl_destroy(&s);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    fs_viz_viewer_destroy(&v);
    fs_trace_free(tr);
    TTF_Quit();
    SDL_Quit();
}

static void check_bad(const char *name, const char *text, const char *want_tail)
{
    static fs_viz_assets a;
    const char *dir = make_assets(name, text);
    assert_false(fs_viz_assets_load(&a, dir));
    char want[4400];
    snprintf(want, sizeof want, "%s/theme.json:%s (using the built-in theme)", dir, want_tail);
    assert_string_equal(a.warning, want);
    fs_viz_theme def;
    fs_viz_theme_default(&def);
    assert_same_theme(&a.theme, &def);  /* nothing half applied */
    assert_int_equal(a.colors_set, 0);
    assert_string_equal(a.font, "");
}

static void test_bad_theme(void **state)
{
    (void)state;
    check_bad("bad1", "{\"colors\": {\"bg\": \"#12345\"}}",
              "1:19: colors.bg: expected a colour \"#rrggbb\" or \"#rrggbbaa\", got \"#12345\"");
    check_bad("bad2", "{\"colors\": {\"bg\": \"#123456\",\n  \"backgrund\": \"#000000\"}}",
              "2:3: colors: unknown colour \"backgrund\" (expected one of the names in the shipped theme.json: "
              "bg, pending, ready, ...)");
    check_bad("bad3", "{\"font\": {\"size_px\": 200}}",
              "1:22: font.size_px: font size out of range: expected 6..72 px");
    check_bad("bad4", "{\"font\": {\"files\": [\"a.ttf\", 3]}}", "1:30: font.files[1]: expected a font file name, got a number");
    check_bad("bad5", "{\"colors\": 7", "1:13: (root): unexpected end of file");
    check_bad("bad6", "[]", "1:1: (root): expected a JSON object {\"font\": ..., \"colors\": ...}, got an array");
    check_bad("bad7", "{\"colors\": {\"bg\": 5}}", "1:19: colors.bg: expected a colour \"#rrggbb\" or \"#rrggbbaa\", got a number");
}

static void test_one_warning(void **state)
{
    (void)state;
    static fs_viz_assets a;
    fs_viz_assets_load(&a, "/nonexistent/fs_assets");
    FILE *f = tmpfile();
    fs_viz_assets_warn(&a, f);
    fs_viz_assets_warn(&a, f);  /* a second viewer in the process: said once */
    rewind(f);
    char buf[512] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, "futurescope: warning: no assets folder at /nonexistent/fs_assets "
                             "(using the built-in theme and fonts)\n");
}

/* The program: beside itself in the build tree it finds assets/ and says
 * nothing; with none, it says so once; the frames are the same bytes. */
static void test_program_finds_assets(void **state)
{
    (void)state;
    char cmd[2048];
    const char *sc = fs_test_src("scenarios/seed/03_busy_vs_wake.json");
    const char *found = fs_test_scratch_path("found.png"), *builtin = fs_test_scratch_path("builtin.png");
    char *err = NULL;
    snprintf(cmd, sizeof cmd, "env -u FS_ASSETS -u FS_FONT '%s' view '%s' -e busy,wake --size 800x500 --screenshot '%s'",
             FS_BINARY, sc, found);
    assert_int_equal(fs_test_run(cmd, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    snprintf(cmd, sizeof cmd, "env -u FS_FONT FS_ASSETS=/nonexistent/x '%s' view '%s' -e busy,wake --size 800x500 --screenshot '%s'",
             FS_BINARY, sc, builtin);
    assert_int_equal(fs_test_run(cmd, NULL, &err), 0);
    assert_string_equal(err, "futurescope: warning: no assets folder at /nonexistent/x (using the built-in theme and fonts)\n");
    free(err);
    size_t la, lb;
    char *a = fs_test_read_file(found, &la), *b = fs_test_read_file(builtin, &lb);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(la > 1000);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_theme_is_the_default),
        cmocka_unit_test(test_icon),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_theme_file_is_used),
        cmocka_unit_test(test_bad_theme),
        cmocka_unit_test(test_one_warning),
        cmocka_unit_test(test_program_finds_assets),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
