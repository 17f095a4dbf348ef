/* cmd_view.c - `view`: scenarios and traces into the timeline viewer.
 *
 * One data path: a scenario is simulated in-process with its trace written
 * to memory, then read back by the same reader a .jsonl file goes through,
 * so the viewer only ever sees fs_trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "humanize.h"
#include "trace_reader.h"

static const char fs__view_help[] =
    "usage: futurescope view SCENARIO|TRACE... [options]\n"
    "\n"
    "Opens the timeline viewer. A scenario (.json) is simulated under each\n"
    "executor of -e; a trace (.jsonl) is shown as written. Several stack\n"
    "vertically on one time axis with one playhead.\n"
    "\n"
    "  -e, --executor LIST   executors for scenarios, e.g. busy,wake (default wake)\n"
    "  --screenshot OUT.png  render one frame to OUT.png (no display needed) and exit\n"
    "  --at T                playhead at T (e.g. 1.5s, 200ms); screenshots default to the end\n"
    "  --size WxH            window or image size (default 1600x900)\n"
    "  --queue, --seed, --poll-cost-ns, --max-time: as for run\n"
    "\n"
    "Keys: space play/pause, left/right step, +/- speed, wheel zoom, drag pan,\n"
    "f fit, s screenshot, h help, q quit.\n";

#define FS__MAX_TRACES 16

static bool fs__ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Simulates sc under d into memory and reads the trace back. */
static int fs__simulate(const char *path, fs_run_desc *d, fs_trace **out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        fprintf(stderr, "futurescope view: out of memory\n");
        return FS_EXIT_INTERNAL;
    }
    d->trace = mem;
    fs_run *run = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_run_simulate(d, &run, &err);
    fclose(mem);
    if (rc != FS_ERR_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        fs_error_print(&err, stderr);
        free(buf);
        return fs_err_exit_status(rc);
    }
    char name[300];
    snprintf(name, sizeof name, "%s (%s, simulated)", path, run->executor);
    fs_run_free(run);
    rc = fs_trace_read_text(buf, len, name, out, &err);
    free(buf);
    if (rc != FS_ERR_OK) {
        /* the writer and reader disagree: a bug, not bad input */
        fs_trace_error_print(&err, stderr);
        return FS_EXIT_INTERNAL;
    }
    return FS_EXIT_OK;
}

static int fs__load(const fs_cli_opts *o, fs_trace **traces, size_t *n)
{
    for (int i = 0; i < o->n_inputs; i++) {
        const char *path = o->inputs[i];
        fs_error err = {0};
        if (fs__ends_with(path, ".jsonl")) {
            if (*n == FS__MAX_TRACES)
                return fs_cli_usage_error("view", "at most %d traces at once", FS__MAX_TRACES);
            if (fs_trace_read_file(path, &traces[*n], &err) != FS_ERR_OK) {
                fs_trace_error_print(&err, stderr);
                return FS_EXIT_INPUT;
            }
            (*n)++;
            continue;
        }
        fs_scenario *sc = NULL;
        if (fs_scenario_load_file(path, &sc, &err) != FS_ERR_OK) {
            fs_error_print(&err, stderr);
            return FS_EXIT_INPUT;
        }
        fs_run_desc d[FS__MAX_TRACES];
        int k = fs_cli_executors("view", o->executors ? o->executors : "wake", d, FS__MAX_TRACES);
        if (k < 0 || (size_t)k + *n > FS__MAX_TRACES) {
            fs_scenario_free(sc);
            return k < 0 ? FS_EXIT_INPUT
                         : fs_cli_usage_error("view", "at most %d traces at once", FS__MAX_TRACES);
        }
        for (int j = 0; j < k; j++) {
            d[j].scenario = sc;
            d[j].lifo = o->lifo;
            d[j].has_seed = o->has_seed;
            d[j].seed = o->seed;
            d[j].has_poll_cost = o->has_poll_cost;
            d[j].poll_cost_ns = o->poll_cost_ns;
            d[j].max_time_ns = o->max_time_ns;
            int st = fs__simulate(path, &d[j], &traces[*n]);
            if (st != FS_EXIT_OK) {
                fs_scenario_free(sc);
                return st;
            }
            (*n)++;
        }
        fs_scenario_free(sc);
    }
    return FS_EXIT_OK;
}

int fs_cmd_view(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__view_help, stdout);
        return FS_EXIT_OK;
    }
    fs_cli_opts o;
    int st = fs_cli_parse("view", argc, argv, &o);
    if (st >= 0)
        return st;
    if (o.n_inputs == 0)
        return fs_cli_usage_error("view", "expected a scenario (.json) or a trace (.jsonl)");
    if (o.trace_path || o.chrome_path || o.json)
        return fs_cli_usage_error("view", "-o, --chrome and --json belong to run and compare");
    if (o.watch)
        return fs_cli_usage_error("view", "--watch is not available yet");
    if (!o.screenshot_path && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        return fs_cli_usage_error("view", "no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                                          "use --screenshot out.png to render a frame to a file");

    fs_trace *traces[FS__MAX_TRACES] = {0};
    size_t n = 0;
    st = fs__load(&o, traces, &n);
    if (st == FS_EXIT_OK) {
        fs_viz_app_desc d = {.w = o.size_w, .h = o.size_h, .has_at = o.has_at, .at_ns = o.at_ns};
        char err[512];
        if (o.screenshot_path) {
            if (fs_viz_screenshot(traces, n, &d, o.screenshot_path, err, sizeof err) != 0) {
                fprintf(stderr, "futurescope view: %s\n", err);
                st = FS_EXIT_INTERNAL;
            } else {
                printf("wrote %s\n", o.screenshot_path);
            }
        } else if (fs_viz_run(traces, n, &d, err, sizeof err) != 0) {
            fprintf(stderr, "futurescope view: %s\n", err);
            st = FS_EXIT_INTERNAL;
        }
    }
    for (size_t i = 0; i < n; i++)
        fs_trace_free(traces[i]);
    return st;
}
