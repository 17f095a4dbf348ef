/* app.c - SDL setup, the screenshot path and the interactive loop. */
#include "app.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "gif_writer.h"
#include "outfile.h"
#include "palette.h"
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

/* ---- headless frames: --screenshot and --record ------------------------ */

/* A software renderer on a w x h surface, with the theme's font open. */
typedef struct fs__canvas {
    SDL_Surface *surf;
    SDL_Renderer *r;
    fs_viz_sdl s;
    bool have_s;
} fs__canvas;

static bool fs__canvas_open(fs__canvas *c, int w, int h, fs_viz_theme *th, char *err, size_t errn)
{
    *c = (fs__canvas){0};
    c->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    c->r = c->surf ? SDL_CreateSoftwareRenderer(c->surf) : NULL;
    if (!c->r) {
        snprintf(err, errn, "cannot create a software renderer: %s", SDL_GetError());
        return false;
    }
    return c->have_s = fs_viz_sdl_init(&c->s, c->r, th, err, errn);
}

static void fs__canvas_close(fs__canvas *c)
{
    if (c->have_s)
        fs_viz_sdl_destroy(&c->s);
    if (c->r)
        SDL_DestroyRenderer(c->r);
    SDL_FreeSurface(c->surf);
}

/* A viewer drawing with SDL's software renderer onto a surface. */
typedef struct fs__headless {
    fs__canvas c;
    fs_viz_viewer v;
    bool have_v, started;
} fs__headless;

/* Starts SDL and everything in hl for d's size; false with err filled
 * (fs__headless_stop is still called). */
static bool fs__headless_start(fs__headless *hl, fs_trace **traces, size_t n,
                               const fs_viz_app_desc *d, char *err, size_t errn)
{
    static fs_viz_assets assets;  /* its font name is used until fs_viz_sdl_destroy */
    int w, h;
    fs__defaults(d, &w, &h);
    *hl = (fs__headless){0};
    if (!fs__sdl_start(true, err, errn))
        return false;
    hl->started = true;
    if (!fs_viz_viewer_init(&hl->v, traces, n, w, h)) {
        snprintf(err, errn, "out of memory");
        return false;
    }
    hl->have_v = true;
    fs__setup(&hl->v, d);
    fs__assets(&hl->v, &assets);
    return fs__canvas_open(&hl->c, w, h, &hl->v.theme, err, errn);
}

/* The frame at playhead t, onto hl->c.surf. */
static void fs__headless_frame(fs__headless *hl, double t)
{
    fs_viz_view_set_playhead(&hl->v.view, t);
    fs_viz_viewer_build(&hl->v);
    fs_viz_sdl_draw(&hl->c.s, &hl->v.dl);
    SDL_RenderPresent(hl->c.r);
}

static void fs__headless_stop(fs__headless *hl)
{
    fs__canvas_close(&hl->c);
    if (hl->have_v)
        fs_viz_viewer_destroy(&hl->v);
    if (hl->started)
        fs__sdl_stop();
}

int fs_viz_screenshot(fs_trace **traces, size_t n, const fs_viz_app_desc *d, FILE *png,
                      char *err, size_t errn)
{
    fs__headless hl;
    int rc = 1;
    if (fs__headless_start(&hl, traces, n, d, err, errn)) {
        fs__headless_frame(&hl, d && d->has_at ? (double)d->at_ns : (double)hl.v.view.end_ns);
        if (fs__write_png(hl.c.surf, png))
            rc = 0;
        else
            snprintf(err, errn, "cannot encode the PNG: %s", IMG_GetError());
    }
    fs__headless_stop(&hl);
    return rc;
}

/* The frames of rd's plan through g; false with err filled. */
static bool fs__record_frames(fs__headless *hl, const fs_viz_record_desc *rd, FILE *gif,
                              fs_error *err)
{
    fs_viz_viewer *v = &hl->v;
    int w = v->view.w, h = v->view.h;
    fs_viz_palette *pal = malloc(sizeof *pal);
    uint8_t *frame = malloc((size_t)w * (size_t)h);
    fs_viz_gif_writer *g = NULL;
    bool ok = false;
    if (!pal || !frame) {
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
        goto out;
    }
    fs_viz_palette_init(pal, &v->theme);
    if (!(g = fs_viz_gif_create(gif, w, h, pal, rd->max_bytes, err)))
        goto out;
    /* each frame as a screenshot at its playhead, in the run's whole
     * window; the title bar as the window shows it playing at this speed
     * (a power of two, as the window's +/- steps), and paused at the end */
    fs_viz_record_plan plan = fs_viz_record_plan_of(rd, v->view.end_ns);
    v->view.speed_step = rd->speed > 0 ? (int)lround(log2(rd->speed)) : 0;
    for (int64_t k = 0; k < plan.frames; k++) {
        v->view.playing = k < plan.frames - 1;
        fs__headless_frame(hl, fs_viz_record_time(&plan, k));
        fs_viz_palette_map(pal, hl->c.surf->pixels, hl->c.surf->pitch, w, h, frame);
        if (!fs_viz_gif_add(g, frame, fs_viz_record_delay_cs(&plan, k), err))
            goto out;
    }
    ok = true;
out:
    if (g && !fs_viz_gif_free(g, ok, err))
        ok = false;
    free(frame);
    free(pal);
    return ok;
}

fs_errcode fs_viz_record(fs_trace **traces, size_t n, const fs_viz_app_desc *d,
                         const fs_viz_record_desc *rd, FILE *gif, fs_error *err)
{
    fs__headless hl;
    char msg[256];
    *err = (fs_error){0};
    if (!fs__headless_start(&hl, traces, n, d, msg, sizeof msg))
        fs_error_set(err, strcmp(msg, "out of memory") == 0 ? FS_ERR_NOMEM : FS_ERR_INTERNAL, "%s", msg);
    else if (!fs__record_frames(&hl, rd, gif, err) && err->code == FS_ERR_OK)
        fs_error_set(err, FS_ERR_INTERNAL, "cannot record");
    fs__headless_stop(&hl);
    return err->code;
}

/* ---- explore --plot ---------------------------------------------------- */

fs_errcode fs_viz_plot_png(const fs_viz_plot_desc *d, FILE *png, fs_viz_plot_layout *l,
                           fs_error *err)
{
    static fs_viz_assets assets;  /* its font name is used until the canvas closes */
    char msg[256] = "";
    *err = (fs_error){0};
    if (!fs__sdl_start(true, msg, sizeof msg)) {
        fs_error_set(err, FS_ERR_INTERNAL, "%s", msg);
        return err->code;
    }
    fs_viz_theme th;
    fs_viz_theme_default(&th);
    fs_viz_assets_load(&assets, NULL);
    fs_viz_assets_warn(&assets, stderr);
    fs_viz_assets_apply(&assets, &th);
    /* the layout needs the font's metrics, which opening it measures: a
     * first canvas of one pixel measures, the second is the picture */
    fs__canvas c;
    fs_viz_plot_layout lay;
    fs_viz_drawlist dl;
    fs_viz_drawlist_init(&dl);
    bool ok = fs__canvas_open(&c, 1, 1, &th, msg, sizeof msg);
    fs__canvas_close(&c);
    if (ok) {
        fs_viz_plot_layout_of(d, &th, &lay);
        ok = fs__canvas_open(&c, lay.w, lay.h, &th, msg, sizeof msg);
        if (ok) {
            fs_viz_plot_build(&dl, &th, d, &lay);
            if (dl.oom)
                snprintf(msg, sizeof msg, "out of memory");
            ok = !dl.oom;
        }
        if (ok) {
            fs_viz_sdl_draw(&c.s, &dl);
            SDL_RenderPresent(c.r);
            if (!(ok = fs__write_png(c.surf, png)))
                snprintf(msg, sizeof msg, "cannot encode the PNG: %s", IMG_GetError());
        }
        fs__canvas_close(&c);
    }
    fs_viz_drawlist_destroy(&dl);
    fs__sdl_stop();
    if (!ok)
        fs_error_set(err, strcmp(msg, "out of memory") == 0 ? FS_ERR_NOMEM : FS_ERR_INTERNAL, "%s", msg);
    else if (l)
        *l = lay;
    return err->code;
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
    v->dirty = true;
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
    SDL_StartTextInput();  /* '/' then a task's name: typed text, as SDL_TEXTINPUT */
    fs_viz_view_set_playhead(&v.view, d && d->has_at ? (double)d->at_ns : 0.0);
    v.view.playing = !(d && d->has_at);
    char title[300];
    snprintf(title, sizeof title, "futurescope - %s", v.title);
    SDL_SetWindowTitle(win, title);
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    Uint64 last_check = last;
    /* Paused and untouched, the loop sleeps in SDL_WaitEventTimeout and
     * draws nothing: a frame is built only after an input, a resize, a
     * reload, or while playing. --watch wakes it 4 times a second to look
     * at the files' times; otherwise it wakes once a second, to no effect. */
    int idle_ms = d && d->watch ? 250 : 1000;
    while (!v.view.quit) {
        /* --watch: the files' times, four times a second */
        if (d && d->watch && (double)(SDL_GetPerformanceCounter() - last_check) / (double)freq > 0.25) {
            last_check = SDL_GetPerformanceCounter();
            fs__watch(&v, d->watch);
        }
        /* input: wait for the first event when no frame is due */
        bool was_playing = v.view.playing;
        int wait = fs_viz_viewer_wait_ms(&v, idle_ms);
        SDL_Event ev;
        int got = wait > 0 ? SDL_WaitEventTimeout(&ev, wait) : SDL_PollEvent(&ev);
        while (got) {
            fs_viz_viewer_input(&v, &ev);
            got = SDL_PollEvent(&ev);
        }
        /* update: the playhead moves by real elapsed time (none while it
         * was paused: the time spent asleep is not playback) */
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = was_playing ? (double)(now - last) / (double)freq : 0.0;
        last = now;
        fs_viz_viewer_update(&v, dt > 0.25 ? 0.25 : dt);
        /* render, when something changed */
        int ow, oh;
        SDL_GetRendererOutputSize(r, &ow, &oh);
        if (ow != v.view.w || oh != v.view.h)
            fs_viz_viewer_resize(&v, ow, oh);
        if (!v.dirty && !was_playing && !v.view.screenshot_requested)
            continue;
        fs_viz_viewer_build(&v);
        fs_viz_sdl_draw(&s, &v.dl);
        if (v.view.screenshot_requested) {
            v.view.screenshot_requested = false;
            fs__save_window(r, ow, oh);
        }
        SDL_RenderPresent(r);
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
