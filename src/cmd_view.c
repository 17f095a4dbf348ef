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
#include "cmd_view.h"
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
    "  --watch               re-simulate and reload when a file changes, keeping the view\n"
    "  --slow-poll T         warn about polls longer than T (default 10ms)\n"
    "  --detail [BAND:]TASK  open a task's detail (id or name; BAND counts from 0)\n"
    "  --queue, --seed, --poll-cost-ns, --max-time, --max-polls, --max-trace, --tokio,\n"
    "  --tick, --timer-slack, --wake-latency, --cpus, --turn-delay, --schedule: as for run\n"
    "  (--max-trace bounds the trace kept in memory)\n"
    "\n"
    "Keys: space play/pause, left/right step, +/- speed, wheel zoom, drag pan,\n"
    "f fit, s screenshot, w warnings list, g expand/collapse groups, b next band,\n"
    "h help, q quit. Click a task lane for its detail (Esc closes it), a group's\n"
    "lane to expand it.\n";

/* Options only view has, taken out of argv before the shared parser sees
 * it: --slow-poll DURATION and --detail [BAND:]TASK. */
typedef struct fs__view_opts {
    int64_t slow_poll_ns;
    const char *detail;
} fs__view_opts;

static int fs__view_only(int *argc, char **argv, fs__view_opts *vo)
{
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        bool slow = strcmp(a, "--slow-poll") == 0, detail = strcmp(a, "--detail") == 0;
        if (!slow && !detail) {
            argv[k++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc)
            return fs_cli_usage_error("view", "option %s needs a value", a);
        const char *val = argv[++i];
        if (slow && (!fs_parse_duration(val, &vo->slow_poll_ns) || vo->slow_poll_ns <= 0))
            return fs_cli_usage_error("view", "--slow-poll expects a duration like 10ms, got '%s'", val);
        if (detail)
            vo->detail = val;
    }
    *argc = k;
    argv[k] = NULL;
    return -1;
}

/* --detail [BAND:]TASK: a task id or name in a band (default the first). */
static int fs__find_detail(const char *spec, fs_trace **traces, size_t n, fs_viz_app_desc *d)
{
    const char *task = spec;
    long band = 0;
    const char *colon = strchr(spec, ':');
    if (colon) {
        char *end;
        band = strtol(spec, &end, 10);
        if (end != colon || band < 0 || (size_t)band >= n)
            return fs_cli_usage_error("view", "--detail: no band '%.*s' (bands count from 0 to %zu)",
                                      (int)(colon - spec), spec, n ? n - 1 : 0);
        task = colon + 1;
    }
    const fs_trace *tr = traces[band];
    for (size_t i = 0; i < tr->n_tasks; i++) {
        char id[24];
        snprintf(id, sizeof id, "%zu", i);
        if (strcmp(task, id) == 0 || strcmp(task, fs_trace_str(tr, tr->tasks[i].name)) == 0) {
            d->has_detail = true;
            d->detail_trace = (int)band;
            d->detail_task = (int32_t)i;
            return -1;
        }
    }
    return fs_cli_usage_error("view", "--detail: no task '%s' in band %ld", task, band);
}

/* The run descriptions of -e and the run options, for scenarios. */
static int fs__runs(const fs_cli_opts *o, fs_run_desc *d, int max)
{
    int k = fs_cli_executors("view", o->executors ? o->executors : "wake", o->lifo, d, max);
    for (int j = 0; j < k; j++)
        fs_cli_apply_run_opts(&d[j], o, d[j].scenario);
    return k;
}

int fs_view_open(fs_viz_source *src, const fs_viz_app_desc *desc, fs_outfile *png,
                 const char *detail)
{
    size_t n;
    fs_trace **traces = fs_viz_source_traces(src, &n);
    fs_viz_app_desc d = *desc;
    if (detail) {
        int st = fs__find_detail(detail, traces, n, &d);
        if (st >= 0) {
            if (png)
                fs_outfile_abort(png);
            return st;
        }
    }
    /* a playhead past every run's end shows the end: say so, not silently */
    int64_t end = 0;
    for (size_t i = 0; i < n; i++)
        if (traces[i]->summary.end_ns > end)
            end = traces[i]->summary.end_ns;
    if (d.has_at && d.at_ns > end) {
        char a[32], b[32];
        fprintf(stderr, "futurescope view: --at %s is past the end of the run%s (%s); the playhead is at the end\n",
                fs_format_ns(d.at_ns, a, sizeof a), n > 1 ? "s" : "", fs_format_ns(end, b, sizeof b));
    }
    char err[512];
    if (png) {
        d.watch = NULL;
        fs_error e = {0};
        if (fs_viz_screenshot(traces, n, &d, png->f, err, sizeof err) != 0) {
            fprintf(stderr, "futurescope view: %s: %s\n", png->path, err);
            fs_outfile_abort(png);
            return FS_EXIT_INTERNAL;
        }
        if (!fs_outfile_commit(png, &e)) {
            fs_error_print(&e, stderr);
            return FS_EXIT_INTERNAL;
        }
        return FS_EXIT_OK;
    }
    if (fs_viz_run(traces, n, &d, err, sizeof err) != 0) {
        fprintf(stderr, "futurescope view: %s\n", err);
        return FS_EXIT_INTERNAL;
    }
    return FS_EXIT_OK;
}

int fs_cmd_view(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__view_help, stdout);
        return FS_EXIT_OK;
    }
    fs__view_opts vo = {0};
    int st = fs__view_only(&argc, argv, &vo);
    if (st >= 0)
        return st;
    fs_cli_opts o;
    st = fs_cli_parse("view", argc, argv, &o);
    if (st >= 0)
        return st;
    if (o.n_inputs == 0)
        return fs_cli_usage_error("view", "expected a scenario (.json) or a trace (.jsonl)");
    if (o.trace_path || o.chrome_path || o.perfetto_path || o.json)
        return fs_cli_usage_error("view", "-o, --chrome, --perfetto and --json belong to run and compare");
    if (o.watch && o.screenshot_path)
        return fs_cli_usage_error("view", "--watch needs the window; it cannot go with --screenshot");
    if (!o.screenshot_path && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        return fs_cli_usage_error("view", "no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                                          "use --screenshot out.png to render a frame to a file");

    fs_cli_output out = {"--screenshot", o.screenshot_path};
    st = fs_cli_check_outputs("view", o.inputs, o.n_inputs, &out, 1);
    if (st >= 0)
        return st;

    fs_run_desc runs[FS_VIZ_MAX_TRACES];
    int k = fs__runs(&o, runs, FS_VIZ_MAX_TRACES);
    if (k < 0)
        return FS_EXIT_INPUT;
    /* The PNG is opened before anything is simulated: a bad path costs no run. */
    fs_outfile png;
    fs_error perr = {0};
    if (o.screenshot_path && !fs_outfile_open(&png, o.screenshot_path, &perr)) {
        fs_error_print(&perr, stderr);
        return fs_err_exit_status(perr.code);
    }
    fs_viz_source *src = fs_viz_source_create(runs, (size_t)k);
    if (!src) {
        fprintf(stderr, "futurescope view: out of memory\n");
        if (o.screenshot_path)
            fs_outfile_abort(&png);
        return FS_EXIT_INTERNAL;
    }
    st = FS_EXIT_OK;
    for (int i = 0; i < o.n_inputs && st == FS_EXIT_OK; i++) {
        char err[1024];
        fs_errcode rc = fs_viz_source_add_file(src, o.inputs[i], err, sizeof err);
        if (rc == FS_ERR_USAGE) {
            st = fs_cli_usage_error("view", "%s", err);
        } else if (rc != FS_ERR_OK) {
            fprintf(stderr, "%s\n", err);
            st = rc == FS_ERR_INTERNAL ? FS_EXIT_INTERNAL : fs_err_exit_status(rc);
        }
    }
    if (st == FS_EXIT_OK) {
        fs_viz_app_desc d = {.w = o.size_w, .h = o.size_h, .has_at = o.has_at, .at_ns = o.at_ns,
                             .slow_poll_ns = vo.slow_poll_ns, .watch = o.watch ? src : NULL};
        st = fs_view_open(src, &d, o.screenshot_path ? &png : NULL, vo.detail);
        if (st == FS_EXIT_OK && o.screenshot_path && !png.is_stdout)
            printf("wrote %s\n", o.screenshot_path);
    } else if (o.screenshot_path) {
        fs_outfile_abort(&png);
    }
    fs_viz_source_free(src);
    return st;
}
