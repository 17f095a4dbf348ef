/* app.c - SDL setup, the screenshot path and the interactive loop. */
#include "app.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>

#include "assets.h"
#include "outfile.h"
#include "render_sdl.h"
#include "viewer.h"

static void fs__defaults(const fs_viz_app_desc *d, int *w, int *h)
{
    *w = d && d->w > 0 ? d->w : 1600;
    *h = d && d->h > 0 ? d->h : 900;
}

static bool fs__sdl_start(bool headless, char *err, size_t errn)
{
    /* with no display (or for a screenshot) SDL's offscreen driver needs none */
    if (headless || (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errn, "cannot start SDL: %s", SDL_GetError());
        return false;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errn, "cannot start SDL_ttf: %s", TTF_GetError());
        SDL_Quit();
        return false;
    }
    IMG_Init(IMG_INIT_PNG);
    return true;
}

static void fs__sdl_stop(void)
{
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
}

/* surf as a PNG into f; false with SDL_image's error when encoding fails
 * (a failed write shows in f's error flag, which the caller's commit reads). */
static bool fs__write_png(SDL_Surface *surf, FILE *f)
{
    SDL_RWops *rw = SDL_RWFromFP(f, SDL_FALSE);
    return rw && IMG_SavePNG_RW(surf, rw, 1) == 0;
}

/* What the description asks of a fresh viewer: title, threshold, detail. */
static void fs__setup(fs_viz_viewer *v, const fs_viz_app_desc *d)
{
    if (!d)
        return;
    if (d->title)
        snprintf(v->title, sizeof v->title, "%s", d->title);
    if (d->slow_poll_ns > 0)
        fs_viz_viewer_set_slow_poll(v, d->slow_poll_ns);
    if (d->has_detail)
        fs_viz_viewer_select(v, d->detail_trace, d->detail_task);
    v->watching = d->watch != NULL;
}

/* The assets folder's theme and font over the built-in ones (one warning
 * when they are missing). */
static void fs__assets(fs_viz_viewer *v, fs_viz_assets *a)
{
    fs_viz_assets_load(a, NULL);
    fs_viz_assets_warn(a, stderr);
    fs_viz_assets_apply(a, &v->theme);
}

int fs_viz_screenshot(fs_trace **traces, size_t n, const fs_viz_app_desc *d, FILE *png,
                      char *err, size_t errn)
{
    int w, h, rc = 1;
    fs__defaults(d, &w, &h);
    if (!fs__sdl_start(true, err, errn))
        return 1;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    fs_viz_viewer v;
    fs_viz_sdl s;
    static fs_viz_assets assets;  /* its font name is used until fs_viz_sdl_destroy */
    bool have_v = false, have_s = false;
    if (!r) {
        snprintf(err, errn, "cannot create a software renderer: %s", SDL_GetError());
        goto out;
    }
    if (!fs_viz_viewer_init(&v, traces, n, w, h)) {
        snprintf(err, errn, "out of memory");
        goto out;
    }
    have_v = true;
    fs__setup(&v, d);
    fs__assets(&v, &assets);
    if (!fs_viz_sdl_init(&s, r, &v.theme, err, errn))
        goto out;
    have_s = true;
    fs_viz_view_set_playhead(&v.view, d && d->has_at ? (double)d->at_ns : (double)v.view.end_ns);
    fs_viz_viewer_build(&v);
    fs_viz_sdl_draw(&s, &v.dl);
    SDL_RenderPresent(r);
    if (!fs__write_png(surf, png)) {
        snprintf(err, errn, "cannot encode the PNG: %s", IMG_GetError());
        goto out;
    }
    rc = 0;
out:
    if (have_s)
        fs_viz_sdl_destroy(&s);
    if (have_v)
        fs_viz_viewer_destroy(&v);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    fs__sdl_stop();
    return rc;
}

/* Saves what the window shows as futurescope-N.png in the current folder. */
static void fs__save_window(SDL_Renderer *r, int w, int h)
{
    static int count;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf)
        return;
    char path[64];
    snprintf(path, sizeof path, "futurescope-%d.png", ++count);
    fs_outfile of;
    fs_error e = {0};
    if (!fs_outfile_open(&of, path, &e)) {
        fs_error_print(&e, stderr);
    } else if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, surf->pixels, surf->pitch) != 0 ||
               !fs__write_png(surf, of.f)) {
        fprintf(stderr, "futurescope view: screenshot failed: %s\n", SDL_GetError());
        fs_outfile_abort(&of);
    } else if (!fs_outfile_commit(&of, &e)) {
        fs_error_print(&e, stderr);
    } else {
        fprintf(stderr, "futurescope view: screenshot saved to %s\n", path);
    }
    SDL_FreeSurface(surf);
}

/* One --watch check: reload the view, or show why the edit did not load. */
static void fs__watch(fs_viz_viewer *v, fs_viz_source *src)
{
    char err[sizeof v->error - 64];
    int rc = fs_viz_source_check(src, err, sizeof err);
    if (rc == 0)
        return;
    if (rc < 0) {
        snprintf(v->error, sizeof v->error, "reload failed, showing the last good run: %s", err);
        fprintf(stderr, "futurescope view: %s\n", err);
        return;
    }
    size_t n;
    fs_trace **traces = fs_viz_source_traces(src, &n);
    if (!fs_viz_viewer_reload(v, traces, n))
        snprintf(v->error, sizeof v->error, "reload failed: out of memory");
    else
        v->error[0] = '\0';
}

int fs_viz_run(fs_trace **traces, size_t n, const fs_viz_app_desc *d, char *err, size_t errn)
{
    int w, h, rc = 1;
    fs__defaults(d, &w, &h);
    if (!fs__sdl_start(false, err, errn))
        return 1;
    SDL_Window *win = SDL_CreateWindow("futurescope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                       w, h, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_Renderer *r = NULL;
    fs_viz_viewer v;
    fs_viz_sdl s;
    static fs_viz_assets assets;  /* its font name is used until fs_viz_sdl_destroy */
    bool have_v = false, have_s = false;
    if (!win) {
        snprintf(err, errn, "cannot open a window: %s", SDL_GetError());
        goto out;
    }
    r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!r)
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!r) {
        snprintf(err, errn, "cannot create a renderer: %s", SDL_GetError());
        goto out;
    }
    if (!fs_viz_viewer_init(&v, traces, n, w, h)) {
        snprintf(err, errn, "out of memory");
        goto out;
    }
    have_v = true;
    fs__setup(&v, d);
    fs__assets(&v, &assets);
    SDL_Surface *icon = fs_viz_assets_icon(&assets);
    if (icon) {
        SDL_SetWindowIcon(win, icon);
        SDL_FreeSurface(icon);
    }
    if (!fs_viz_sdl_init(&s, r, &v.theme, err, errn))
        goto out;
    have_s = true;
    fs_viz_view_set_playhead(&v.view, d && d->has_at ? (double)d->at_ns : 0.0);
    v.view.playing = !(d && d->has_at);
    char title[300];
    snprintf(title, sizeof title, "futurescope - %s", v.title);
    SDL_SetWindowTitle(win, title);
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    Uint64 last_check = last;
    while (!v.view.quit) {
        /* --watch: the files' times, four times a second */
        if (d && d->watch && (double)(SDL_GetPerformanceCounter() - last_check) / (double)freq > 0.25) {
            last_check = SDL_GetPerformanceCounter();
            fs__watch(&v, d->watch);
        }
        /* input */
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            fs_viz_viewer_input(&v, &ev);
        /* update: the playhead moves by real elapsed time */
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)freq;
        last = now;
        fs_viz_viewer_update(&v, dt > 0.25 ? 0.25 : dt);
        /* render */
        int ow, oh;
        SDL_GetRendererOutputSize(r, &ow, &oh);
        if (ow != v.view.w || oh != v.view.h)
            fs_viz_viewer_resize(&v, ow, oh);
        fs_viz_viewer_build(&v);
        fs_viz_sdl_draw(&s, &v.dl);
        if (v.view.screenshot_requested) {
            v.view.screenshot_requested = false;
            fs__save_window(r, ow, oh);
        }
        SDL_RenderPresent(r);
        if (!v.view.playing)
            SDL_Delay(8);  /* idle: no need to spin at full speed */
    }
    rc = 0;
out:
    if (have_s)
        fs_viz_sdl_destroy(&s);
    if (have_v)
        fs_viz_viewer_destroy(&v);
    if (r)
        SDL_DestroyRenderer(r);
    if (win)
        SDL_DestroyWindow(win);
    fs__sdl_stop();
    return rc;
}
