/* cmd_view.c - `view`: scenarios and traces into the timeline viewer.
 *
 * One data path: a scenario is simulated in-process with its trace written
 * to memory, then read back by the same reader a .jsonl file goes through,
 * so the viewer only ever sees fs_trace. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "cmd_view.h"
#include "gif_writer.h"
#include "humanize.h"
#include "record.h"
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
    "  --record OUT.gif      write an animated GIF of the playhead moving (no display needed)\n"
    "  --from T, --to T      the playhead's start and end in it (default the whole run)\n"
    "  --fps N               frames per second, 1..60 (default 10)\n"
    "  --speed X             times the viewer's play speed (whole run in 10 s): 1 (default),\n"
    "                        2, 4, 0.5... a power of two, as +/- change it in the window\n"
    "  --max-gif SIZE        refuse a GIF past SIZE (default 256MiB; exit 3, nothing written)\n"
    "  --size WxH            window or image size (default 1600x900)\n"
    "  --watch               re-simulate and reload when a file changes, keeping the view\n"
    "  --slow-poll T         warn about polls longer than T (default 10ms)\n"
    "  --detail [BAND:]TASK  open a task's detail (id or name; BAND counts from 0)\n"
    "  --queue, --seed, --poll-cost-ns, --max-time, --max-polls, --max-tasks,\n"
    "  --max-trace, --tokio, --tick, --timer-slack, --wake-latency, --cpus,\n"
    "  --turn-delay, --hand-over, --idle-wake, --schedule: as for run\n"
    "  (--max-trace bounds the trace kept in memory)\n"
    "\n"
    "Keys: space play/pause, left/right step, +/- speed, wheel zoom, drag pan,\n"
    "f fit, s screenshot, w warnings list, g expand/collapse groups, b next band,\n"
    "h help, q quit. Click a task lane for its detail (Esc closes it), a group's\n"
    "lane to expand it.\n";

/* Options only view has, taken out of argv before the shared parser sees
 * it: --slow-poll DURATION, --detail [BAND:]TASK, and --record's. */
typedef struct fs__view_opts {
    int64_t slow_poll_ns;
    const char *detail;
    const char *record;         /* --record OUT.gif */
    fs_viz_record_desc rec;
    bool has_from, has_to;
    const char *record_opt;     /* the first of --from/--to/--fps/--speed/--max-gif */
} fs__view_opts;

/* One of --record's options and its value into vo. */
static int fs__record_opt(const char *a, const char *val, fs__view_opts *vo)
{
    if (!vo->record_opt)
        vo->record_opt = a;
    char *end;
    if (strcmp(a, "--record") == 0) {
        if (!*val)
            return fs_cli_usage_error("view", "option --record needs a file name, got ''");
        vo->record = val;
    } else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
        bool from = a[2] == 'f';
        if (!fs_cli_parse_time(val, from ? &vo->rec.from_ns : &vo->rec.to_ns))
            return fs_cli_usage_error("view", "%s expects a time with its unit like 1.5s, 200ms or 50us, got '%s'",
                                      a, val);
        *(from ? &vo->has_from : &vo->has_to) = true;
    } else if (strcmp(a, "--fps") == 0) {
        long fps = strtol(val, &end, 10);
        if (end == val || *end || fps < 1 || fps > FS_VIZ_RECORD_MAX_FPS)
            return fs_cli_usage_error("view", "--fps expects a whole number of frames per second from 1 to %d, got '%s'",
                                      FS_VIZ_RECORD_MAX_FPS, val);
        vo->rec.fps = (int)fps;
    } else if (strcmp(a, "--speed") == 0) {
        /* the viewer's speeds double per +/- press: a power of two, so the
         * title bar's "speed: ... per real second" is the GIF's */
        double x = strtod(val, &end);
        int e = 0;
        if (end == val || *end || !(x >= 1.0 / 64 && x <= 64) || frexp(x, &e) != 0.5)
            return fs_cli_usage_error("view", "--speed expects a power of two from 1/64 to 64 like 2, 4 or 0.5 "
                                              "(1: the whole run in 10 s), got '%s'", val);
        vo->rec.speed = x;
    } else {
        if (!fs_parse_size(val, &vo->rec.max_bytes) || vo->rec.max_bytes == 0)
            return fs_cli_usage_error("view", "--max-gif expects a size like 10MB, 500KiB or 2GB, got '%s'", val);
    }
    return -1;
}

static int fs__view_only(int *argc, char **argv, fs__view_opts *vo)
{
    static const char *const record_opts[] = {"--record", "--from", "--to", "--fps", "--speed", "--max-gif"};
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        bool slow = strcmp(a, "--slow-poll") == 0, detail = strcmp(a, "--detail") == 0, rec = false;
        for (size_t j = 0; j < sizeof record_opts / sizeof record_opts[0]; j++)
            rec |= strcmp(a, record_opts[j]) == 0;
        if (!slow && !detail && !rec) {
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
        int st = rec ? fs__record_opt(a, val, vo) : -1;
        if (st >= 0)
            return st;
    }
    *argc = k;
    argv[k] = NULL;
    if (vo->record_opt && !vo->record)
        return fs_cli_usage_error("view", "%s belongs to --record OUT.gif", vo->record_opt);
    if (vo->has_from && vo->has_to && vo->rec.from_ns >= vo->rec.to_ns) {
        char f[32], t[32];
        return fs_cli_usage_error("view", "--from %s is not before --to %s", fs_format_ns(vo->rec.from_ns, f, sizeof f),
                                  fs_format_ns(vo->rec.to_ns, t, sizeof t));
    }
    return -1;
}

/* --record's times against the run's end (known once simulated): exit 2
 * for a time past it or too many frames, else -1 with the plan. */
static int fs__check_record(const fs_viz_record_desc *r, bool has_to, int64_t end,
                            fs_viz_record_plan *plan)
{
    char a[32], b[32];
    if (has_to && r->to_ns > end)
        return fs_cli_usage_error("view", "--to %s is past the end of the run (%s)", fs_format_ns(r->to_ns, a, sizeof a),
                                  fs_format_ns(end, b, sizeof b));
    if (r->from_ns >= end)
        return fs_cli_usage_error("view", "--from %s is not before the end of the run (%s)",
                                  fs_format_ns(r->from_ns, a, sizeof a), fs_format_ns(end, b, sizeof b));
    *plan = fs_viz_record_plan_of(r, end);
    if (plan->frames > FS_VIZ_RECORD_MAX_FRAMES)
        return fs_cli_usage_error("view", "--record would take %lld frames, more than %d: raise --speed or lower --fps",
                                  (long long)plan->frames, FS_VIZ_RECORD_MAX_FRAMES);
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

/* The end of the longest of n traces. */
static int64_t fs__end(fs_trace **traces, size_t n)
{
    int64_t end = 0;
    for (size_t i = 0; i < n; i++)
        if (traces[i]->summary.end_ns > end)
            end = traces[i]->summary.end_ns;
    return end;
}

/* The recording into gif, committed or aborted; the exit status. */
static int fs__record(fs_trace **traces, size_t n, const fs_viz_app_desc *d,
                      const fs_viz_record_desc *rec, fs_outfile *gif)
{
    fs_error e = {0};
    fs_errcode rc = fs_viz_record(traces, n, d, rec, gif->f, &e);
    if (rc != FS_ERR_OK) {
        fs_outfile_abort(gif);
        snprintf(e.file, sizeof e.file, "%.*s", (int)sizeof e.file - 1, gif->path);
        fs_error_print(&e, stderr);
        return rc == FS_ERR_LIMIT ? FS_EXIT_STALLED : FS_EXIT_INTERNAL;
    }
    if (!fs_outfile_commit(gif, &e)) {
        fs_error_print(&e, stderr);
        return FS_EXIT_INTERNAL;
    }
    return FS_EXIT_OK;
}

int fs_view_open(fs_viz_source *src, const fs_viz_app_desc *desc, fs_outfile *png,
                 const char *detail, const fs_viz_record_desc *rec)
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
    int64_t end = fs__end(traces, n);
    if (d.has_at && d.at_ns > end) {
        char a[32], b[32];
        fprintf(stderr, "futurescope view: --at %s is past the end of the run%s (%s); the playhead is at the end\n",
                fs_format_ns(d.at_ns, a, sizeof a), n > 1 ? "s" : "", fs_format_ns(end, b, sizeof b));
    }
    char err[512];
    if (png && rec) {
        d.watch = NULL;
        return fs__record(traces, n, &d, rec, png);
    }
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
    if (vo.record && o.screenshot_path)
        return fs_cli_usage_error("view", "--record writes a GIF and --screenshot a PNG: one at a time");
    if (vo.record && (o.watch || o.has_at))
        return fs_cli_usage_error("view", "%s cannot go with --record (its playhead runs from --from to --to)",
                                  o.watch ? "--watch" : "--at");
    /* one file is written: the PNG or the GIF */
    const char *out_path = vo.record ? vo.record : o.screenshot_path;
    if (!out_path && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        return fs_cli_usage_error("view", "no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                                          "use --screenshot out.png to render a frame to a file");

    fs_cli_output out = {vo.record ? "--record" : "--screenshot", out_path};
    st = fs_cli_check_outputs("view", o.inputs, o.n_inputs, &out, 1);
    if (st >= 0)
        return st;

    fs_run_desc runs[FS_VIZ_MAX_TRACES];
    int k = fs__runs(&o, runs, FS_VIZ_MAX_TRACES);
    if (k < 0)
        return FS_EXIT_INPUT;
    /* The PNG (GIF) is opened before anything is simulated: a bad path costs no run. */
    fs_outfile png;
    fs_error perr = {0};
    if (out_path && !fs_outfile_open(&png, out_path, &perr)) {
        fs_error_print(&perr, stderr);
        return fs_err_exit_status(perr.code);
    }
    fs_viz_keep_memory();
    fs_viz_source *src = fs_viz_source_create(runs, (size_t)k);
    if (!src) {
        fprintf(stderr, "futurescope view: out of memory\n");
        if (out_path)
            fs_outfile_abort(&png);
        return FS_EXIT_INTERNAL;
    }
    st = FS_EXIT_OK;
    {   /* trace files are read at once, each on a thread */
        char err[1024];
        fs_errcode rc = fs_viz_source_add_files(src, (const char *const *)o.inputs, (size_t)o.n_inputs, err,
                                                sizeof err);
        if (rc == FS_ERR_USAGE) {
            st = fs_cli_usage_error("view", "%s", err);
        } else if (rc != FS_ERR_OK) {
            fprintf(stderr, "%s\n", err);
            st = rc == FS_ERR_INTERNAL ? FS_EXIT_INTERNAL : fs_err_exit_status(rc);
        }
    }
    /* --record's times against the run's end, now that it is known */
    fs_viz_record_plan plan = {0};
    if (st == FS_EXIT_OK && vo.record) {
        size_t n;
        fs_trace **traces = fs_viz_source_traces(src, &n);
        st = fs__check_record(&vo.rec, vo.has_to, fs__end(traces, n), &plan);
        st = st < 0 ? FS_EXIT_OK : st;
    }
    if (st == FS_EXIT_OK) {
        fs_viz_app_desc d = {.w = o.size_w, .h = o.size_h, .has_at = o.has_at, .at_ns = o.at_ns,
                             .slow_poll_ns = vo.slow_poll_ns, .watch = o.watch ? src : NULL};
        st = fs_view_open(src, &d, out_path ? &png : NULL, vo.detail, vo.record ? &vo.rec : NULL);
        if (st == FS_EXIT_OK && out_path && !png.is_stdout && !vo.record)
            printf("wrote %s\n", out_path);
        if (st == FS_EXIT_OK && vo.record && !png.is_stdout) {
            char f[32], t[32];
            printf("wrote %s: %lld frames at %d fps, the playhead from %s to %s\n", out_path,
                   (long long)plan.frames, plan.fps, fs_format_ns(plan.from_ns, f, sizeof f),
                   fs_format_ns(plan.to_ns, t, sizeof t));
        }
    } else if (out_path) {
        fs_outfile_abort(&png);
    }
    fs_viz_source_free(src);
    return st;
}
