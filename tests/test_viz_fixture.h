/* test_viz_fixture.h - a small hand-written trace and a viewer with a fixed
 * geometry, shared by the viewer tests (header only: the tests' CMake builds
 * each test_*.c on its own).
 *
 * Geometry: 1000x600, labels 210 px, panel 290 px, so the timeline is
 * x 210..710 (500 px); with the window 0..2 ms that is 4000 ns per pixel.
 * Lanes: band header at y 60 (24 px), task t0 at y 84 (26 px), device a at
 * 110 (20 px), worker 0 at 130 (20 px). */
#ifndef FS_TEST_VIZ_FIXTURE_H
#define FS_TEST_VIZ_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "trace_reader.h"
#include "viewer.h"

static const char fs_fixture_trace[] =
    "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"scenario\":\"tiny\","
    "\"executor\":\"wake\",\"queue\":\"fifo\",\"workers\":1,\"seed\":1,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
    "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"t0\",\"parent\":null}\n"
    "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read a\"}\n"
    "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"a\"}\n"
    "{\"t\":1000,\"type\":\"park\",\"worker\":0}\n"
    "{\"t\":1000000,\"type\":\"unpark\",\"worker\":0}\n"
    "{\"t\":1000000,\"type\":\"io\",\"resource\":\"a\",\"what\":\"arrival\",\"value\":5}\n"
    "{\"t\":1000000,\"type\":\"wake\",\"task\":0,\"source\":\"socket:a\"}\n"
    "{\"t\":1000000,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"ready\",\"state\":\"read a\",\"value\":5}\n"
    "{\"t\":1001000,\"type\":\"complete\",\"task\":0,\"value\":5}\n"
    "{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":1001000,\"tasks_total\":1,"
    "\"completed\":1,\"stalled\":false,\"time_limit_hit\":false,\"polls\":2,\"pending_polls\":1,"
    "\"ready_polls\":1,\"wasted_polls\":0,\"wakes\":1,\"busy_ns\":2000,\"idle_ns\":999000,\"cpu_busy\":0.002}\n";

#define FX_TL_X 210
#define FX_NS_PER_PX 4000
#define FX_TASK_Y 84
#define FX_DEVICE_Y 110
#define FX_WORKER_Y 130

static inline fs_trace *fs_fixture_load(const char *text)
{
    fs_trace *tr = NULL;
    fs_error err;
    if (fs_trace_read_text(text, strlen(text), "fixture.jsonl", &tr, &err) != FS_ERR_OK) {
        fs_trace_error_print(&err, stderr);
        return NULL;
    }
    return tr;
}

/* A viewer over traces with the fixed geometry above and the window 0..2 ms. */
static inline bool fs_fixture_viewer(fs_viz_viewer *v, fs_trace **traces, size_t n)
{
    if (!fs_viz_viewer_init(v, traces, n, 1000, 600))
        return false;
    v->theme.label_w = 210;
    v->theme.panel_w = 290;
    v->view.t0 = 0;
    v->view.t1 = 2000000;
    return true;
}

/* A key pressed, as SDL reports it (with its modifiers). */
static inline void fs_fixture_key(fs_viz_viewer *v, SDL_Keycode k, Uint16 mod)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    fs_viz_viewer_input(v, &e);
}

/* The first command with this hit kind, lane and item (item -1: any). */
static inline const fs_viz_cmd *fs_fixture_find(const fs_viz_drawlist *dl, fs_viz_hit_kind hit,
                                                int lane, int64_t item)
{
    for (size_t i = 0; i < dl->n; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->hit == hit && c->lane == lane && (item < 0 || c->item == item))
            return c;
    }
    return NULL;
}

static inline const fs_viz_cmd *fs_fixture_find_text(const fs_viz_drawlist *dl, const char *prefix)
{
    for (size_t i = 0; i < dl->n; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->type == FS_DRAW_TEXT && strncmp(fs_viz_cmd_text(dl, c), prefix, strlen(prefix)) == 0)
            return c;
    }
    return NULL;
}

/* The loaded scenario sc simulated under kind (steal:N with N workers),
 * its trace read back as the file `name` (NULL on any failure); sc is
 * freed. */
static inline fs_trace *fs_fixture_run_scenario(fs_scenario *sc, fs_exec_kind kind, int workers,
                                                const char *name)
{
    fs_error err;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    fs_run *run = NULL;
    fs_errcode rc = fs_run_simulate(&(fs_run_desc){.scenario = sc, .kind = kind, .workers = workers, .trace = mem},
                                  &run, &err);
    fclose(mem);
    fs_trace *tr = NULL;
    if (rc == FS_ERR_OK && fs_trace_read_text(buf, len, name, &tr, &err) != FS_ERR_OK)
        tr = NULL;
    if (run)
        fs_run_free(run);
    fs_scenario_free(sc);
    free(buf);
    return tr;
}

/* A scenario of the source tree simulated under kind (steal:N with N
 * workers), its trace read back (NULL on any failure). */
static inline fs_trace *fs_fixture_simulate_n(const char *path, fs_exec_kind kind, int workers)
{
    fs_scenario *sc = NULL;
    fs_error err;
    if (fs_scenario_load_file(path, &sc, &err) != FS_ERR_OK)
        return NULL;
    return fs_fixture_run_scenario(sc, kind, workers, path);
}

static inline fs_trace *fs_fixture_simulate(const char *path, fs_exec_kind kind)
{
    return fs_fixture_simulate_n(path, kind, 0);
}

static inline bool fs_fixture_color_eq(fs_viz_color a, fs_viz_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The fixture trace in a fixture viewer (the tests' usual starting point);
 * returns false if either could not be made. fs_fixture_close undoes it. */
static inline bool fs_fixture_open(fs_trace **tr, fs_viz_viewer *v)
{
    *tr = fs_fixture_load(fs_fixture_trace);
    return *tr && fs_fixture_viewer(v, tr, 1);
}

static inline void fs_fixture_close(fs_trace *tr, fs_viz_viewer *v)
{
    fs_viz_viewer_destroy(v);
    fs_trace_free(tr);
}

/* A cmocka test's state: a trace in a fixture viewer. */
typedef struct fs_fx {
    fs_trace *tr;
    fs_viz_viewer v;
} fs_fx;

/* The trace `text` (NULL: the fixture trace) in a fixture viewer as *state. */
static inline int fs_fx_setup_text(void **state, const char *text)
{
    fs_fx *f = calloc(1, sizeof *f);
    if (!f || !(f->tr = fs_fixture_load(text ? text : fs_fixture_trace)) ||
        !fs_fixture_viewer(&f->v, &f->tr, 1))
        return -1;
    *state = f;
    return 0;
}

static inline int fs_fx_teardown(void **state)
{
    fs_fx *f = *state;
    fs_fixture_close(f->tr, &f->v);
    free(f);
    return 0;
}

/* One frame's draw list with the playhead at t. */
static inline void fs_fx_build_at(fs_fx *f, double t)
{
    fs_viz_view_set_playhead(&f->v.view, t);
    fs_viz_viewer_build(&f->v);
    assert_false(f->v.dl.oom);
}

#endif
