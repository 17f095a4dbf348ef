/* viewer_stacked.c - issue 14's acceptance case for the viewer, measured:
 * N tasks (100,000 by default), each three rounds of a random sleep and a
 * 1 ms compute (W1-like), simulated by futurescope's own library under
 * `wake` and under `steal:4` into two trace files in a temporary folder,
 * then opened stacked in a window as `futurescope view a.jsonl b.jsonl`
 * does (SDL's offscreen video driver: no display needed) and driven by a
 * script of input events. Printed beside the targets:
 *   - the first frame: from the start of loading the two files to the
 *     first frame presented (target < 1 s), and the longest of the
 *     three frames after it, the playhead's first steps (within a frame);
 *   - the frame time over the script: scrolling and zooming, groups
 *     expanded and collapsed, the playhead playing (target p99 <= 16 ms);
 *   - the peak memory (ru_maxrss) of this process, which only loads and
 *     draws: each simulation runs in a child (target < 400 MB).
 * The trace files are deleted at the end (each capped at 1 GiB), unless a
 * folder to keep them in is given: then they are simulated only when not
 * there yet (for profiling the viewer alone). */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "bench.h"
#include "render_sdl.h"
#include "run.h"
#include "source.h"
#include "viewer.h"
#include "viewer_stacked.h"

#define W 1600
#define H 900

/* CPU time of this process (user + system), s: on a shared machine the
 * wall time also counts other programs' turns. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The peak resident memory so far, MB. */
static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024;
}

/* ---- the two traces ------------------------------------------------------ */

/* Simulates the scenario under kind into path, in a child process (its
 * memory is not this process's). Returns the child's wall time in s, or
 * a negative number on failure. */
static double simulate(const char *scenario, const char *path, fs_exec_kind kind, int workers)
{
    double t0 = bench_now_s();
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        fs_scenario *sc = NULL;
        fs_error err;
        if (fs_scenario_load_text(scenario, strlen(scenario), "bench_w1.json", &sc, &err) != FS_ERR_OK) {
            fs_error_print(&err, stderr);
            _exit(1);
        }
        FILE *f = fopen(path, "w");
        fs_run *run = NULL;
        fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .trace = f,
                         .max_trace_bytes = 1ULL << 30};
        if (!f || fs_run_simulate(&d, &run, &err) != FS_ERR_OK) {
            fs_error_print(&err, stderr);
            _exit(1);
        }
        _exit(fclose(f) == 0 ? 0 : 1);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return bench_now_s() - t0;
}

/* ---- the window ----------------------------------------------------------- */

typedef struct win {
    SDL_Window *w;
    SDL_Renderer *r;
    fs_viz_sdl sdl;
    fs_viz_viewer v;
} win;

/* What fs_viz_run does before its loop: the window, its renderer, the
 * viewer, the assets' theme and the fonts. */
static bool open_window(win *o, fs_trace **traces, size_t n)
{
    static fs_viz_assets assets;
    o->w = SDL_CreateWindow("futurescope", 0, 0, W, H, SDL_WINDOW_RESIZABLE);
    /* SDL's software renderer, the window loop's fallback, presenting
     * into a plain framebuffer: with no GPU, an accelerated renderer (or
     * framebuffer) is Mesa's OpenGL rasterizer on the CPU, whose threads
     * would compete with the viewer's for the shared cores */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    o->r = o->w ? SDL_CreateRenderer(o->w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!o->r || !fs_viz_viewer_init(&o->v, traces, n, W, H)) {
        fprintf(stderr, "bench_viewer: cannot open the window: %s\n", SDL_GetError());
        return false;
    }
    fs_viz_assets_load(&assets, NULL);
    fs_viz_assets_apply(&assets, &o->v.theme);
    char err[256];
    if (!fs_viz_sdl_init(&o->sdl, o->r, &o->v.theme, err, sizeof err)) {
        fprintf(stderr, "bench_viewer: %s\n", err);
        return false;
    }
    fs_viz_view_set_playhead(&o->v.view, 0);
    o->v.view.playing = true;
    return true;
}

/* One frame of the window's loop, as fs_viz_run draws it (60 per second
 * of playback). */
static void frame(win *o)
{
    fs_viz_viewer_update(&o->v, 1.0 / 60);
    fs_viz_viewer_build(&o->v);
    fs_viz_sdl_draw(&o->sdl, &o->v.dl);
    SDL_RenderPresent(o->r);
}

/* ---- the script ------------------------------------------------------------ */

typedef enum { ZOOM, SCROLL, GROUPS, N_KINDS } step_kind;
static const char *kind_names[] = {"zoom and pan", "scroll", "expand / collapse"};

/* each frame's wall time and this process's CPU time, ms */
typedef struct times {
    double *ms[N_KINDS], *cpu[N_KINDS];
    int n[N_KINDS], cap;
    double c0;  /* the CPU clock at the input */
} times;

static void motion(win *o, int x, int y)
{
    SDL_Event e = {.type = SDL_MOUSEMOTION};
    e.motion.x = x;
    e.motion.y = y;
    fs_viz_viewer_input(&o->v, &e);
}

static void wheel(win *o, int x, int y, int dy)
{
    motion(o, x, y);
    SDL_Event e = {.type = SDL_MOUSEWHEEL};
    e.wheel.y = dy;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    fs_viz_viewer_input(&o->v, &e);
}

static void button(win *o, Uint32 type, int x, int y)
{
    SDL_Event e = {.type = type};
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    fs_viz_viewer_input(&o->v, &e);
}

static void key(win *o, SDL_Keycode k)
{
    SDL_Event e = {.type = SDL_KEYDOWN};
    e.key.keysym.sym = k;
    fs_viz_viewer_input(&o->v, &e);
}

/* The frame after the input that step i of kind k gave, timed from the
 * input to the frame presented. */
static void timed(win *o, times *t, step_kind k, double t0)
{
    frame(o);
    if (t->n[k] < t->cap) {
        t->cpu[k][t->n[k]] = (cpu_s() - t->c0) * 1e3;
        t->ms[k][t->n[k]++] = (bench_now_s() - t0) * 1e3;
    }
    t->c0 = cpu_s();
}

/* Zooms in at the pointer a notch a frame, pans by dragging, zooms out. */
static void zoom_and_pan(win *o, times *t, int x, int y, int notches)
{
    for (int i = 0; i < notches; i++) {
        double t0 = bench_now_s();
        wheel(o, x, y, 1);
        timed(o, t, ZOOM, t0);
    }
    double t0 = bench_now_s();
    button(o, SDL_MOUSEBUTTONDOWN, x, y);
    timed(o, t, ZOOM, t0);
    for (int i = 1; i <= 20; i++) {
        t0 = bench_now_s();
        motion(o, x - 15 * i, y);
        timed(o, t, ZOOM, t0);
    }
    t0 = bench_now_s();
    button(o, SDL_MOUSEBUTTONUP, x - 300, y);
    timed(o, t, ZOOM, t0);
    for (int i = 0; i < notches; i++) {
        t0 = bench_now_s();
        wheel(o, x, y, -1);
        timed(o, t, ZOOM, t0);
    }
}

/* The wheel over the labels, down then up, notches frames each way. */
static void scroll(win *o, times *t, int notches)
{
    fs_viz_box tl = fs_viz_view_timeline(&o->v.view, &o->v.theme);
    for (int dir = -1; dir <= 1; dir += 2)
        for (int i = 0; i < notches; i++) {
            double t0 = bench_now_s();
            wheel(o, 40, tl.y + tl.h / 2, dir);
            timed(o, t, SCROLL, t0);
        }
}

static void keyed(win *o, times *t, step_kind k, SDL_Keycode c)
{
    double t0 = bench_now_s();
    key(o, c);
    timed(o, t, k, t0);
}

static void run_script(win *o, times *t)
{
    fs_viz_box tl = fs_viz_view_timeline(&o->v.view, &o->v.theme);
    int zx = tl.x + tl.w / 3, zy = tl.y + tl.h / 4;
    /* collapsed, as the run opens: zoom, pan, scroll, next band */
    zoom_and_pan(o, t, zx, zy, 40);
    scroll(o, t, 10);
    keyed(o, t, SCROLL, SDLK_b);
    keyed(o, t, SCROLL, SDLK_b);
    /* the first group's label: expand it, scroll through it, zoom there */
    const fs_viz_lane *g = NULL;
    for (size_t i = 0; i < o->v.n_lanes && !g; i++)
        if (o->v.lanes[i].kind == FS_LANE_GROUP)
            g = &o->v.lanes[i];
    int gy = g ? g->y + 4 : tl.y + 30;
    double t0 = bench_now_s();
    button(o, SDL_MOUSEBUTTONDOWN, 40, gy);
    button(o, SDL_MOUSEBUTTONUP, 40, gy);
    timed(o, t, GROUPS, t0);
    scroll(o, t, 30);
    zoom_and_pan(o, t, zx, zy, 20);
    for (int i = 0; i < 10; i++)
        keyed(o, t, SCROLL, SDLK_PAGEDOWN);
    t0 = bench_now_s();
    button(o, SDL_MOUSEBUTTONDOWN, 40, gy);
    button(o, SDL_MOUSEBUTTONUP, 40, gy);
    timed(o, t, GROUPS, t0);
    /* every group open (g), the second band, scrolling and zooming there,
     * then every group closed (g) */
    keyed(o, t, GROUPS, SDLK_g);
    scroll(o, t, 20);
    keyed(o, t, SCROLL, SDLK_b);
    zoom_and_pan(o, t, zx, zy, 20);
    for (int i = 0; i < 10; i++)
        keyed(o, t, SCROLL, SDLK_PAGEDOWN);
    keyed(o, t, GROUPS, SDLK_g);
    keyed(o, t, SCROLL, SDLK_f);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *ms, int n, double p)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    return ms[(int)((n - 1) * p + 0.5)];
}

/* Runs the script and prints its frame times beside the target. */
static void script(win *o, const char *how)
{
    times t = {.cap = 1000, .c0 = cpu_s()};
    for (int k = 0; k < N_KINDS; k++) {
        t.ms[k] = malloc((size_t)t.cap * sizeof(double));
        t.cpu[k] = malloc((size_t)t.cap * sizeof(double));
    }
    run_script(o, &t);
    double all[N_KINDS * 1000], allc[N_KINDS * 1000];
    int na = 0;
    printf("  frames, %s (wall time; CPU time):\n", how);
    for (int k = 0; k < N_KINDS; k++) {
        memcpy(all + na, t.ms[k], (size_t)t.n[k] * sizeof(double));
        memcpy(allc + na, t.cpu[k], (size_t)t.n[k] * sizeof(double));
        na += t.n[k];
        printf("    %-18s %3d frames: median %6.2f   p99 %6.2f   max %6.2f ms;   CPU median %6.2f   p99 %6.2f ms\n",
               kind_names[k], t.n[k], pct(t.ms[k], t.n[k], 0.5), pct(t.ms[k], t.n[k], 0.99),
               pct(t.ms[k], t.n[k], 1.0), pct(t.cpu[k], t.n[k], 0.5), pct(t.cpu[k], t.n[k], 0.99));
        free(t.ms[k]);
        free(t.cpu[k]);
    }
    printf("    all: %d frames, median %.2f ms, p99 %.2f ms (CPU median %.2f, p99 %.2f ms)   target p99 <= 16 ms\n",
           na, pct(all, na, 0.5), pct(all, na, 0.99), pct(allc, na, 0.5), pct(allc, na, 0.99));
}

/* ---- the case -------------------------------------------------------------- */

static char *scenario_text(long tasks)
{
    static const char fmt[] =
        "{\"name\":\"W1-like x %ld\",\"seed\":1,\"tasks\":[{\"name\":\"t\",\"count\":%ld,\"future\":"
        "{\"repeat\":3,\"do\":{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,100]}},{\"compute_ms\":1}]}}}]}";
    size_t n = sizeof fmt + 64;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, fmt, tasks, tasks);
    return s;
}

static double file_mb(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
}

int bench_viewer_stacked(long tasks, const char *keep, bool first_only)
{
    char dir[] = "/tmp/fs_bench_viewer.XXXXXX";
    const char *at = keep ? keep : dir;
    char *text = scenario_text(tasks);
    fs_viz_source *src = NULL;
    if (!text || (keep ? mkdir(keep, 0777) != 0 && errno != EEXIST : !mkdtemp(dir))) {
        fprintf(stderr, "bench_viewer: cannot make a folder for the traces\n");
        return 1;
    }
    char paths[2][1024];
    snprintf(paths[0], sizeof paths[0], "%s/wake.jsonl", at);
    snprintf(paths[1], sizeof paths[1], "%s/steal4.jsonl", at);
    printf("\nstacked: %ld tasks, each 3 x (sleep uniform 1..100 ms, compute 1 ms), wake over steal:4\n", tasks);
    /* a kept folder's traces are simulated once */
    double sw = keep && access(paths[0], R_OK) == 0 ? 0 : simulate(text, paths[0], FS_EXEC_WAKE, 0);
    double ss = sw < 0 ? -1 : keep && access(paths[1], R_OK) == 0 ? 0 : simulate(text, paths[1], FS_EXEC_STEAL, 4);
    free(text);
    int rc = 1;
    if (ss < 0) {
        fprintf(stderr, "bench_viewer: a simulation failed\n");
        goto out;
    }
    printf("  traces: wake %.0f MB (simulated in %.1f s), steal:4 %.0f MB (%.1f s)\n", file_mb(paths[0]), sw,
           file_mb(paths[1]), ss);

    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    fs_viz_keep_memory();  /* as the view command does */
    double t0 = bench_now_s(), c0 = cpu_s();
    fs_run_desc run = {.kind = FS_EXEC_WAKE};
    src = fs_viz_source_create(&run, 1);
    char err[1024];
    const char *files[2] = {paths[0], paths[1]};
    if (src && fs_viz_source_add_files(src, files, 2, err, sizeof err) != FS_ERR_OK) {
        fprintf(stderr, "bench_viewer: %s\n", err);
        goto out;
    }
    double t_load = bench_now_s(), c_load = cpu_s(), m_load = peak_mb();
    if (!src || SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_viewer: cannot start: %s\n", SDL_GetError());
        goto out;
    }
    size_t n;
    fs_trace **traces = fs_viz_source_traces(src, &n);
    win o = {0};
    if (!open_window(&o, traces, n))
        goto out;
    double m_init = peak_mb();
    frame(&o);
    double t_first = bench_now_s(), c_first = cpu_s();

    printf("  first frame: %.2f s (CPU %.2f s; loading the two files %.2f s, CPU %.2f s)   target < 1 s\n",
           t_first - t0, c_first - c0, t_load - t0, c_load - c0);
    /* the next frames play: the first steps of the playhead */
    double worst = 0, worst_c = 0;
    for (int i = 0; i < 3; i++) {
        double t1 = bench_now_s(), c1 = cpu_s();
        frame(&o);
        worst = bench_now_s() - t1 > worst ? bench_now_s() - t1 : worst;
        worst_c = cpu_s() - c1 > worst_c ? cpu_s() - c1 : worst_c;
    }
    printf("  the first three frames playing: the longest %.1f ms (CPU %.1f ms)   target <= 16 ms\n", worst * 1e3,
           worst_c * 1e3);
    if (!first_only) {  /* the script as the window opens (playing), then again paused halfway */
        script(&o, "playing");
        o.v.view.playing = false;
        key(&o, SDLK_f);
        fs_viz_view_set_playhead(&o.v.view, (double)o.v.view.end_ns / 2);
        script(&o, "paused halfway");
    }
    double peak = peak_mb();
    printf("  peak memory: %.0f MB (%.0f MB after loading, %.0f MB with the viewer set up)   target < 400 MB\n",
           peak, m_load, m_init);
    fs_viz_sdl_destroy(&o.sdl);
    fs_viz_viewer_destroy(&o.v);
    SDL_DestroyRenderer(o.r);
    SDL_DestroyWindow(o.w);
    TTF_Quit();
    SDL_Quit();
    rc = 0;
out:
    fs_viz_source_free(src);
    if (!keep) {
        remove(paths[0]);
        remove(paths[1]);
        rmdir(dir);
    }
    return rc;
}
