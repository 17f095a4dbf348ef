/* bench_viewer.c - the viewer's frame time on large traces, measured (not
 * asserted; ctest does not run it).
 *
 * Three synthetic traces of about a million events, generated in-process as
 * JSON Lines and loaded by the trace reader, as `view trace.jsonl` would:
 *   wide:  1000 tasks, each 333 rounds of poll (pending) + register + wake
 *   dense: 8 tasks, each 41,666 rounds: long lanes, nearly all folded
 *   steal: 4 workers, 400 tasks x 770 rounds of poll + queue depth, a budget
 *          yield every 8th poll, a driver turn per worker and round
 * Each is drawn at 1600x900 for 200 frames zoomed out (the whole run) and
 * 200 frames zoomed in (1/2000 of the run, panning), with the playhead
 * moving every frame so the side panel's state is recomputed each time.
 * Printed: the draw-list build and the software render (SDL's software
 * renderer, no window), min / median / p99 in ms. The SPEC's target is a
 * frame within 16 ms on a million-event trace.
 *
 * Then issue 14's acceptance case (viewer_stacked.c): 100,000 W1-like
 * tasks simulated under wake and steal:4, opened stacked in a window.
 *
 *   bench/bench_viewer [frames]          all of it (default 200 frames a row)
 *   bench/bench_viewer stacked [tasks [dir]]   only the stacked case (default
 *       100000 tasks), its traces kept in dir and reused when given
 *   bench/bench_viewer first [tasks [dir]]     the same up to its first frame
 *       (loading and the first frame alone, for a profiler) */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render_sdl.h"
#include "trace_reader.h"
#include "viewer.h"
#include "viewer_stacked.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* ---- the synthetic trace ------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1 << 20;
        char *p = realloc(b->p, cap);
        if (!p) {
            fprintf(stderr, "bench_viewer: out of memory\n");
            exit(1);
        }
        b->p = p;
        b->cap = cap;
    }
}

/* A wake-executor-like run on one worker: every round each task is polled
 * (pending, registers with the timer), the worker parks, then the timer
 * wakes every task in turn. Each task's last poll is ready. */
static char *make_trace(int tasks, int rounds, size_t *len, long *events)
{
    buf b = {0};
    long ev = 0;
    put(&b, "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":"
            "\"bench %d x %d\",\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,"
            "\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n", tasks, rounds);
    for (int i = 0; i < tasks; i++, ev++)
        put(&b, "{\"t\":0,\"type\":\"spawn\",\"task\":%d,\"name\":\"task#%d\",\"parent\":null}\n", i, i);
    long long t = 0;
    for (int r = 0; r < rounds; r++) {
        bool last = r == rounds - 1;
        for (int i = 0; i < tasks; i++) {
            put(&b, "{\"t\":%lld,\"type\":\"poll\",\"task\":%d,\"worker\":0,\"dur\":1000,\"result\":\"%s\","
                    "\"state\":\"sleep 1ms\"%s}\n", t, i, last ? "ready" : "pending", last ? ",\"value\":1" : "");
            ev++;
            if (last) {
                put(&b, "{\"t\":%lld,\"type\":\"complete\",\"task\":%d,\"value\":1}\n", t + 1000, i);
            } else {
                put(&b, "{\"t\":%lld,\"type\":\"register\",\"task\":%d,\"resource\":\"timer\"}\n", t, i);
            }
            ev++;
            t += 1000;
        }
        if (last)
            break;
        put(&b, "{\"t\":%lld,\"type\":\"park\",\"worker\":0}\n", t);
        t += 1000000 + (r % 7) * 100000;  /* the timer's delay varies a little */
        put(&b, "{\"t\":%lld,\"type\":\"unpark\",\"worker\":0}\n", t);
        ev += 2;
        for (int i = 0; i < tasks; i++, ev++)
            put(&b, "{\"t\":%lld,\"type\":\"wake\",\"task\":%d,\"source\":\"timer\"}\n", t, i);
    }
    put(&b, "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":%lld,\"tasks_total\":%d,"
            "\"completed\":%d,\"stalled\":false,\"time_limit_hit\":false,\"polls\":%lld,"
            "\"pending_polls\":0,\"ready_polls\":0,\"wasted_polls\":0,\"wakes\":0,\"busy_ns\":0,"
            "\"idle_ns\":0,\"cpu_busy\":0.5}\n",
            t, tasks, tasks, (long long)tasks * rounds);
    *len = b.len;
    *events = ev;
    return b.p;
}

/* A steal:4-like run with the tokio model's lines: every round each task
 * is polled on worker (task % 4), each poll followed by that worker's queue
 * depth; every 8th poll ends in a coop budget yield; each worker then turns
 * the driver, which wakes its tasks. */
static char *make_steal_trace(int tasks, int rounds, size_t *len, long *events)
{
    enum { W = 4 };
    buf b = {0};
    long ev = 0;
    put(&b, "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":2,\"scenario\":"
            "\"bench steal %d x %d\",\"executor\":\"steal:4\",\"workers\":4,\"seed\":1,"
            "\"poll_cost_ns\":1000,\"tokio\":\"current\",\"tick_ns\":1000000,\"time_unit\":\"ns\"}\n",
        tasks, rounds);
    for (int i = 0; i < tasks; i++, ev++)
        put(&b, "{\"t\":0,\"type\":\"spawn\",\"task\":%d,\"name\":\"task#%d\",\"parent\":null}\n", i, i);
    long long t = 0;
    int per = tasks / W;
    for (int r = 0; r < rounds; r++) {
        bool last = r == rounds - 1;
        for (int k = 0; k < per; k++) {
            for (int w = 0; w < W; w++) {
                int i = k * W + w;
                put(&b, "{\"t\":%lld,\"type\":\"poll\",\"task\":%d,\"worker\":%d,\"dur\":1000,"
                        "\"result\":\"%s\",\"state\":\"recv ch\"%s}\n",
                    t, i, w, last ? "ready" : "pending", last ? ",\"value\":1" : "");
                put(&b, "{\"t\":%lld,\"type\":\"queue\",\"worker\":%d,\"depth\":%d}\n", t, w, per - k - 1);
                ev += 2;
                if (!last && (i + r) % 8 == 0) {
                    put(&b, "{\"t\":%lld,\"type\":\"budget\",\"task\":%d,\"worker\":%d}\n", t, i, w);
                    ev++;
                }
            }
            t += 1000;
        }
        if (last)
            break;
        t += 500000 + (r % 5) * 100000;
        for (int w = 0; w < W; w++) {
            put(&b, "{\"t\":%lld,\"type\":\"driver\",\"worker\":%d,\"fired\":%d}\n", t, w, per);
            put(&b, "{\"t\":%lld,\"type\":\"queue\",\"worker\":%d,\"depth\":%d}\n", t, w, per);
            ev += 2;
            for (int k = 0; k < per; k++, ev++)
                put(&b, "{\"t\":%lld,\"type\":\"wake\",\"task\":%d,\"source\":\"channel:ch\"}\n", t, k * W + w);
        }
    }
    put(&b, "{\"type\":\"summary\",\"executor\":\"steal:4\",\"workers\":4,\"end_ns\":%lld,\"tasks_total\":%d,"
            "\"completed\":%d,\"stalled\":false,\"time_limit_hit\":false,\"polls\":%lld,"
            "\"pending_polls\":0,\"ready_polls\":0,\"wasted_polls\":0,\"wakes\":0,\"busy_ns\":0,"
            "\"idle_ns\":0,\"cpu_busy\":0.5}\n",
            t + 1000, tasks, tasks, (long long)tasks * rounds);
    *len = b.len;
    *events = ev;
    return b.p;
}

/* ---- timing -------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *ms, int n)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    int p99 = (int)((n - 1) * 0.99 + 0.5);
    printf("  %-28s min %7.2f   median %7.2f   p99 %7.2f ms\n", what, ms[0], ms[n / 2], ms[p99]);
}

/* frames of one trace at one zoom: zoom <= 1 is the part of the run shown */
typedef struct bench_sdl {
    fs_viz_sdl sdl;
    SDL_Renderer *r;
    int char_w, line_h;
} bench_sdl;

static void run_frames(fs_trace *tr, bench_sdl *s, int frames, double zoom, const char *label)
{
    fs_viz_viewer v;
    if (!fs_viz_viewer_init(&v, &tr, 1, 1600, 900)) {
        fprintf(stderr, "bench_viewer: out of memory\n");
        exit(1);
    }
    /* the font's metrics, as fs_viz_sdl_init measured them */
    v.theme.char_w = s->char_w;
    v.theme.line_h = s->line_h;
    double *build = malloc((size_t)frames * sizeof *build);
    double *render = malloc((size_t)frames * sizeof *render);
    double *total = malloc((size_t)frames * sizeof *total);
    double end = (double)v.view.end_ns;
    size_t cmds = 0;
    for (int f = 0; f < frames; f++) {
        double ph = end * (f + 0.5) / frames;
        if (zoom < 1) {
            double span = end * zoom;
            v.view.t0 = ph - span / 2;
            v.view.t1 = ph + span / 2;
        }
        fs_viz_view_set_playhead(&v.view, ph);
        double a = now_ms();
        fs_viz_viewer_build(&v);
        double b = now_ms();
        fs_viz_sdl_draw(&s->sdl, &v.dl);
        SDL_RenderPresent(s->r);
        double c = now_ms();
        build[f] = b - a;
        render[f] = c - b;
        total[f] = c - a;
        cmds += v.dl.n;
    }
    printf(" %s (%zu draw commands a frame on average)\n", label, cmds / (size_t)frames);
    report("draw-list build", build, frames);
    report("software render", render, frames);
    report("frame (build + render)", total, frames);
    free(build);
    free(render);
    free(total);
    fs_viz_viewer_destroy(&v);
}

int main(int argc, char **argv)
{
    bool first = argc > 1 && strcmp(argv[1], "first") == 0;
    if (argc > 1 && (first || strcmp(argv[1], "stacked") == 0))
        return bench_viewer_stacked(argc > 2 ? atol(argv[2]) : 100000, argc > 3 ? argv[3] : NULL, first);
    int frames = argc > 1 ? atoi(argv[1]) : 200;
    if (frames < 10)
        frames = 10;
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_viewer: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1600, 900, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    fs_viz_theme th;
    fs_viz_theme_default(&th);
    bench_sdl s = {.r = r};
    char err[256];
    if (!r || !fs_viz_sdl_init(&s.sdl, r, &th, err, sizeof err)) {
        fprintf(stderr, "bench_viewer: %s\n", r ? err : SDL_GetError());
        return 1;
    }
    s.char_w = th.char_w;
    s.line_h = th.line_h;
    struct { const char *name; int tasks, rounds; bool steal; } cfg[] = {
        {"wide: 1000 tasks x 333 rounds", 1000, 333, false},
        {"dense: 8 tasks x 41,666 rounds", 8, 41666, false},
        {"steal: 4 workers, 400 tasks x 770 rounds", 400, 770, true},
    };
    printf("viewer frame time at 1600x900, %d frames per row (target: p99 <= 16 ms)\n", frames);
    for (size_t k = 0; k < sizeof cfg / sizeof cfg[0]; k++) {
        size_t len;
        long events;
        double a = now_ms();
        char *text = cfg[k].steal ? make_steal_trace(cfg[k].tasks, cfg[k].rounds, &len, &events)
                                  : make_trace(cfg[k].tasks, cfg[k].rounds, &len, &events);
        double b = now_ms();
        fs_trace *tr = NULL;
        fs_error e;
        if (fs_trace_read_text(text, len, "bench.jsonl", &tr, &e) != FS_ERR_OK) {
            fs_trace_error_print(&e, stderr);
            return 1;
        }
        double c = now_ms();
        free(text);
        printf("\n%s: %ld events, %.1f MB of JSONL (generated in %.0f ms, loaded in %.0f ms)\n",
               cfg[k].name, events, (double)len / 1e6, b - a, c - b);
        run_frames(tr, &s, frames, 1.0, "zoomed out (the whole run)");
        run_frames(tr, &s, frames, 1.0 / 2000, "zoomed in (1/2000 of the run, panning)");
        fs_trace_free(tr);
    }
    fs_viz_sdl_destroy(&s.sdl);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    TTF_Quit();
    SDL_Quit();
    return bench_viewer_stacked(100000, NULL, false);
}
