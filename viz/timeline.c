/* timeline.c - the lanes: polls per task, events per device, busy and
 * parked time per worker, wake arrows, the grid, the playhead and the
 * labels column, as draw-list commands.
 *
 * Level of detail (Tracy's approach): each lane's array is sorted by time,
 * a binary search finds the first visible entry, and a run of slices each
 * narrower than min_slice_px is folded into one marked block whose poll
 * count comes from the task's running sums. A fold jumps ahead by binary
 * search, so a lane costs O(pixels * log n) however many polls it holds.
 * Everything after the playhead is drawn faded: events appear as it passes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "viewer.h"

typedef struct fs__ctx {
    fs_viz_viewer *v;
    const fs_viz_theme *th;
    fs_viz_drawlist *dl;
    fs_viz_box tl;
    double phx;            /* playhead x */
    int trace;
} fs__ctx;

static double fs__x(const fs__ctx *c, double t)
{
    return fs_viz_view_x(&c->v->view, c->th, t);
}

static double fs__t(const fs__ctx *c, double x)
{
    return fs_viz_view_t(&c->v->view, c->th, x);
}

/* Clamps a span to a little beyond the timeline so huge zooms stay in int range. */
static void fs__span_px(const fs__ctx *c, double x0, double x1, int min_w, int *ox, int *ow)
{
    double lo = c->tl.x - 10, hi = c->tl.x + c->tl.w + 10;
    if (x0 < lo)
        x0 = lo;
    if (x1 > hi)
        x1 = hi;
    int a = (int)floor(x0), b = (int)floor(x1);
    if (b - a < min_w)
        b = a + min_w;
    *ox = a;
    *ow = b - a;
}

/* A box that fades where it lies after the playhead; returns the first part. */
static void fs__box(const fs__ctx *c, double ta, double tb, int x, int y, int w, int h,
                    fs_viz_color col, const fs_viz_color *stripe, fs_viz_hit_kind hit, int lane,
                    int64_t item, int64_t count)
{
    /* by time first: a thin slice that starts before the playhead is past
     * even when its pixels reach beyond the playhead's */
    double ph_t = c->v->view.playhead;
    int ph = (int)floor(c->phx);
    int cut = tb <= ph_t ? x + w : ta > ph_t ? x : ph < x ? x : ph > x + w ? x + w : ph;
    for (int part = 0; part < 2; part++) {
        int px = part ? cut : x, pw = part ? x + w - cut : cut - x;
        if (pw <= 0)
            continue;
        fs_viz_color a = part ? fs_viz_fade(c->th, col, c->th->future_fade) : col;
        fs_viz_cmd *cmd;
        if (stripe) {
            fs_viz_color b = part ? fs_viz_fade(c->th, *stripe, c->th->future_fade) : *stripe;
            cmd = fs_viz_hatch(c->dl, px, y, pw, h, a, b);
        } else {
            cmd = fs_viz_rect(c->dl, px, y, pw, h, a);
        }
        cmd->hit = (uint8_t)hit;
        cmd->trace = (int16_t)c->trace;
        cmd->lane = lane;
        cmd->item = item;
        cmd->count = count;
    }
}

/* Text inside [x, x+w) if it fits (cut to fit when allowed). */
static void fs__label(const fs__ctx *c, int x, int y, int w, fs_viz_color col, const char *s,
                      bool center, bool cut)
{
    int cw = c->th->char_w;
    int cols = fs_viz_text_cols(s, strlen(s));
    int fit = (w - 4) / cw;
    if (fit <= 0)
        return;
    char buf[256];
    if (cols > fit) {
        if (!cut || fit < 4)
            return;
        /* byte-safe only for ASCII labels, which is what gets cut */
        snprintf(buf, sizeof buf, "%.*s~", fit - 1, s);
        s = buf;
        cols = fit;
    }
    int tx = center ? x + (w - cols * cw) / 2 : x + 2;
    fs_viz_text(c->dl, tx, y, col, cw, s);
}

/* ---- task lanes ---------------------------------------------------------- */

static void fs__slice(const fs__ctx *c, const fs_viz_lane *ln, const fs_trace_task *task, size_t i)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_slice *s = &task->slices[i];
    int x, w;
    fs__span_px(c, fs__x(c, (double)s->t), fs__x(c, (double)s->end), th->min_slice_px, &x, &w);
    int y = ln->y + 3, h = ln->h - 6;
    int ty = ln->y + (ln->h - th->line_h) / 2;
    char buf[96], n[32];
    switch (s->kind) {
    case FS_SLICE_SPIN:
        fs__box(c, (double)s->t, (double)s->end, x, y, w, h, th->spin, &th->spin_stripe, FS_HIT_SLICE, ln->index, (int64_t)i, s->count);
        snprintf(buf, sizeof buf, "\xC3\x97%s pending polls (busy loop)", fs_format_count(s->count, n, sizeof n));
        if (fs_viz_text_cols(buf, strlen(buf)) * th->char_w + 8 > w)
            snprintf(buf, sizeof buf, "\xC3\x97%s", fs_format_count(s->count, n, sizeof n));
        fs__label(c, x, ty, w, th->text, buf, true, false);
        return;
    case FS_SLICE_COMPUTE:
        fs__box(c, (double)s->t, (double)s->end, x, y, w, h, th->compute, NULL, FS_HIT_SLICE, ln->index, (int64_t)i, 1);
        snprintf(buf, sizeof buf, "compute %s", fs_format_ns(s->dur, n, sizeof n));
        fs__label(c, x, ty, w, th->text_inv, buf, true, true);
        return;
    case FS_SLICE_READY:
        fs__box(c, (double)s->t, (double)s->end, x, y, w, h, th->ready, NULL, FS_HIT_SLICE, ln->index, (int64_t)i, 1);
        fs__label(c, x, ty, w, th->text_inv, "ready", true, false);
        return;
    default:
        /* pending: a shorter bar, so the result reads without colour */
        fs__box(c, (double)s->t, (double)s->end, x, y + h / 4, w, h - h / 2, th->pending, NULL, FS_HIT_SLICE, ln->index, (int64_t)i, 1);
        fs__label(c, x, ty, w, th->text, "pending", true, false);
        (void)tr;
        return;
    }
}

/* The gap after slice i: the task waits there. Labelled with what it awaits. */
static void fs__gap(const fs__ctx *c, const fs_viz_lane *ln, const fs_trace_task *task, size_t i,
                    int64_t gap_end, const char *warn)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_slice *s = &task->slices[i];
    if (s->ready && !warn)
        return;
    double x0 = fs__x(c, (double)s->end), x1 = fs__x(c, (double)gap_end);
    double drawn_end = floor(fs__x(c, (double)s->t)) + th->min_slice_px;  /* thin slices are widened */
    if (x0 < drawn_end)
        x0 = drawn_end;
    if (x1 - x0 < 6 || x1 < c->tl.x || x0 > c->tl.x + c->tl.w)
        return;
    int x, w;
    fs__span_px(c, x0, x1, 1, &x, &w);
    int mid = ln->y + ln->h / 2;
    fs_viz_color col = warn ? th->warn : th->text_dim;
    fs__box(c, (double)s->end, (double)gap_end, x, mid, w, 1, col, NULL, FS_HIT_NONE, ln->index, -1, 0);
    char buf[320];
    /* a waker registered during this poll: say who holds it */
    const char *holder = NULL;
    for (size_t r = 0; r < task->n_regs; r++)
        if (task->regs[r].t >= s->t && task->regs[r].t <= s->end)
            holder = fs_trace_str(tr, tr->resources[task->regs[r].res].name);
    if (warn)
        snprintf(buf, sizeof buf, "%s", warn);
    else if (holder)
        snprintf(buf, sizeof buf, "waiting: %s (waker held by %s)", fs_trace_str(tr, s->state), holder);
    else
        snprintf(buf, sizeof buf, "waiting: %s", fs_trace_str(tr, s->state));
    /* keep the label in view when the gap starts off screen */
    int lx = x < c->tl.x ? c->tl.x : x;
    int lw = x + w - lx;
    int ty = ln->y + 1;
    if (lw > 40) {
        int tw = (fs_viz_text_cols(buf, strlen(buf)) + 1) * th->char_w;
        if (tw > lw - 6)
            tw = lw - 6;
        fs_viz_rect(c->dl, lx + 4, ty, tw, th->line_h - 1, th->bg);
        fs__label(c, lx + 4, ty, lw - 6, col, buf, false, true);
    }
}

/* Folds slices i.. that are each narrower than min_slice_px (and close
 * together) into one block; returns the index after the block. */
static size_t fs__fold(const fs__ctx *c, const fs_viz_lane *ln, const fs_trace_task *task, size_t i)
{
    const fs_viz_theme *th = c->th;
    double min = th->min_slice_px;
    size_t k = i;
    for (;;) {
        double limit = fs__t(c, fs__x(c, (double)task->slices[k].end) + min);
        size_t j = fs_trace_task_first_starting_at(task, (int64_t)ceil(limit));
        if (j <= k + 1)
            break;
        size_t last = j - 1;
        const fs_trace_slice *ls = &task->slices[last];
        if (fs__x(c, (double)ls->end) - fs__x(c, (double)ls->t) >= min) {
            if (last - 1 > k)
                k = last - 1;
            break;
        }
        k = last;
    }
    if (k == i) {
        fs__slice(c, ln, task, i);
        return i + 1;
    }
    int x, w;
    fs__span_px(c, fs__x(c, (double)task->slices[i].t), fs__x(c, (double)task->slices[k].end),
                (int)min, &x, &w);
    int64_t polls = task->cum[k + 1].polls - task->cum[i].polls;
    int y = ln->y + 3, h = ln->h - 6;
    fs__box(c, (double)task->slices[i].t, (double)task->slices[k].end, x, y, w, h, th->folded, NULL, FS_HIT_FOLD, ln->index, (int64_t)i, polls);
    /* the mark: a dark top edge says "several polls here" */
    fs__box(c, (double)task->slices[i].t, (double)task->slices[k].end, x, y, w, 2, th->folded_mark, NULL, FS_HIT_FOLD, ln->index, (int64_t)i, polls);
    char buf[48], n[32];
    snprintf(buf, sizeof buf, "%s polls", fs_format_count(polls, n, sizeof n));
    fs__label(c, x, ln->y + (ln->h - th->line_h) / 2, w, th->text_inv, buf, true, false);
    return k + 1;
}

static const char *fs__stall_text(const fs_trace *tr, uint32_t task, char *buf, size_t n)
{
    for (size_t i = 0; i < tr->n_stalled; i++) {
        if (tr->stalled[i].task == task) {
            snprintf(buf, n, "STALLED: %s", fs_trace_str(tr, tr->stalled[i].reason));
            return buf;
        }
    }
    return NULL;
}

static void fs__task_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_task *task = &tr->tasks[ln->index];
    double ta = fs__t(c, c->tl.x), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t i = fs_trace_task_first_ending_after(task, (int64_t)floor(ta));
    /* the gap that enters from the left */
    if (i > 0) {
        int64_t next = i < task->n_slices ? task->slices[i].t : tr->summary.end_ns;
        fs__gap(c, ln, task, i - 1, next, NULL);
    }
    char sbuf[600];
    while (i < task->n_slices && (double)task->slices[i].t <= tb) {
        const fs_trace_slice *s = &task->slices[i];
        double w = fs__x(c, (double)s->end) - fs__x(c, (double)s->t);
        size_t next = w >= c->th->min_slice_px ? (fs__slice(c, ln, task, i), i + 1)
                                                : fs__fold(c, ln, task, i);
        size_t last = next - 1;
        if (next < task->n_slices) {
            fs__gap(c, ln, task, last, task->slices[next].t, NULL);
        } else if (task->complete_t < 0) {
            const char *warn = fs__stall_text(tr, (uint32_t)ln->index, sbuf, sizeof sbuf);
            fs__gap(c, ln, task, last, tr->summary.end_ns, warn);
        }
        i = next;
    }
    if (task->complete_t >= 0 && (double)task->complete_t >= ta && (double)task->complete_t <= tb) {
        int x = (int)floor(fs__x(c, (double)task->complete_t)) + c->th->min_slice_px;
        fs_viz_text(c->dl, x + 3, ln->y + (ln->h - c->th->line_h) / 2,
                    (double)task->complete_t <= c->v->view.playhead
                        ? c->th->text : fs_viz_fade(c->th, c->th->text, c->th->future_fade),
                    c->th->char_w, "done");
    }
}

/* ---- device and worker lanes --------------------------------------------- */

static void fs__device_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_resource *rs = &tr->resources[ln->index];
    double ta = fs__t(c, c->tl.x - 2), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = rs->n_io;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)rs->io[mid].t < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    int last_x = -1000;
    for (size_t i = lo; i < rs->n_io && (double)rs->io[i].t <= tb; i++) {
        int x = (int)floor(fs__x(c, (double)rs->io[i].t));
        if (x < last_x + 2)
            continue;  /* same pixel as the previous mark */
        fs__box(c, (double)rs->io[i].t, (double)rs->io[i].t, x - 1, ln->y + 2, 3, ln->h - 4, th->io, NULL, FS_HIT_IO, ln->index, (int64_t)i, 1);
        last_x = x;
        double next = i + 1 < rs->n_io ? fs__x(c, (double)rs->io[i + 1].t) : c->tl.x + c->tl.w;
        char buf[96];
        if (rs->io[i].has_value)
            snprintf(buf, sizeof buf, "%s %lld", fs_trace_str(tr, rs->io[i].what),
                     (long long)rs->io[i].value);
        else
            snprintf(buf, sizeof buf, "%s", fs_trace_str(tr, rs->io[i].what));
        fs_viz_color col = x <= c->phx ? th->io : fs_viz_fade(th, th->io, th->future_fade);
        int room = (int)(next - x) - 3;
        int need = (fs_viz_text_cols(buf, strlen(buf)) + 1) * th->char_w;
        double prev = i > lo ? fs__x(c, (double)rs->io[i - 1].t) : c->tl.x;
        int ty = ln->y + (ln->h - th->line_h) / 2;
        if (room < need && x - prev > need + 40)
            fs_viz_text(c->dl, x - need - 2, ty, col, th->char_w, buf);  /* no room after it */
        else
            fs__label(c, x + 3, ty, room, col, buf, false, true);
    }
}

static void fs__spans(const fs__ctx *c, const fs_viz_lane *ln, const fs_trace_span *sp, size_t n,
                      bool parked)
{
    const fs_viz_theme *th = c->th;
    double ta = fs__t(c, c->tl.x), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)sp[mid].end <= ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    int y = ln->y + 3, h = ln->h - 6;
    int run_x = 0, run_end = -1000;
    size_t run_first = 0;
    for (size_t i = lo; i <= n; i++) {
        bool more = i < n && (double)sp[i].t <= tb;
        int x = 0, w = 0;
        if (more)
            fs__span_px(c, fs__x(c, (double)sp[i].t), fs__x(c, (double)sp[i].end), 1, &x, &w);
        /* spans touching the previous one's pixels extend it */
        if (more && x <= run_end) {
            if (x + w > run_end)
                run_end = x + w;
            continue;
        }
        if (run_end > -1000) {
            int rw = run_end - run_x;
            if (parked) {
                fs__box(c, fs__t(c, run_x), fs__t(c, run_end), run_x, y, rw, h, th->parked, &th->parked_stripe, FS_HIT_PARK, ln->index,
                        (int64_t)run_first, 0);
                int lx = run_x < c->tl.x ? c->tl.x : run_x;
                fs__label(c, lx, ln->y + (ln->h - th->line_h) / 2, run_end - lx, th->text_dim,
                          "parked (idle, waiting for a device event)", true, true);
            } else {
                fs__box(c, fs__t(c, run_x), fs__t(c, run_end), run_x, y, rw, h, th->worker_busy, NULL, FS_HIT_WORKER_BUSY, ln->index,
                        (int64_t)run_first, 0);
                int lx = run_x < c->tl.x ? c->tl.x : run_x;
                fs__label(c, lx, ln->y + (ln->h - th->line_h) / 2, run_end - lx, th->text_inv,
                          "busy (polling)", true, false);
            }
        }
        if (!more)
            break;
        run_x = x;
        run_end = x + w;
        run_first = i;
    }
}

static void fs__worker_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_trace_worker *wk = &c->v->traces[c->trace]->workers_v[ln->index];
    fs__spans(c, ln, wk->parks, wk->n_parks, true);
    fs__spans(c, ln, wk->busy, wk->n_busy, false);
}

/* ---- wake arrows --------------------------------------------------------- */

static void fs__wakes(const fs__ctx *c, const fs_viz_band *band)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_viz_lane *lanes = &c->v->lanes[band->first_lane];
    double ta = fs__t(c, c->tl.x - 2), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = tr->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)tr->wakes[mid].t < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    int drawn = 0, last_x = -1000;
    for (size_t i = lo; i < tr->n_wakes && (double)tr->wakes[i].t <= tb && drawn < 4000; i++) {
        const fs_trace_wake *w = &tr->wakes[i];
        const fs_viz_lane *dst = &lanes[w->task];
        const fs_viz_lane *src = w->src_res >= 0 ? &lanes[tr->n_tasks + (size_t)w->src_res]
                                 : w->src_task >= 0 ? &lanes[w->src_task]
                                                    : NULL;
        int x0 = (int)floor(fs__x(c, (double)w->t));
        int x1 = w->caused >= 0
                     ? (int)floor(fs__x(c, (double)tr->tasks[w->task].slices[w->caused].t)) + 1
                     : x0;
        if (x0 == last_x && x1 == x0)
            continue;
        last_x = x0;
        drawn++;
        double t_end = w->caused >= 0 ? (double)tr->tasks[w->task].slices[w->caused].t : (double)w->t;
        fs_viz_color col = t_end <= c->v->view.playhead ? th->wake : fs_viz_fade(th, th->wake, th->future_fade);
        if (!src || src == dst) {
            /* a self-wake: a short hook from above */
            fs_viz_arrow(c->dl, x0 - 8, dst->y - 4, x1, dst->y + 3, col);
            continue;
        }
        int sy = src->y + src->h / 2;
        int ty = src->y > dst->y ? dst->y + dst->h - 3 : dst->y + 3;
        fs_viz_arrow(c->dl, x0, sy, x1, ty, col);
        fs_viz_arrow(c->dl, x0 + 1, sy, x1 + 1, ty, col);
    }
}

/* ---- the whole timeline -------------------------------------------------- */

static void fs__grid(const fs__ctx *c)
{
    fs_viz_view *vw = &c->v->view;
    int64_t step = fs_viz_tick_step(vw->t1 - vw->t0, c->tl.w, c->th->tick_min_px);
    for (int64_t t = (int64_t)ceil(vw->t0 / (double)step) * step; (double)t <= vw->t1; t += step) {
        int x = (int)floor(fs__x(c, (double)t));
        fs_viz_line(c->dl, x, c->tl.y, x, c->tl.y + c->tl.h, c->th->grid);
    }
}

static const char *fs__lane_name(const fs_trace *tr, const fs_viz_lane *ln, char *buf, size_t n)
{
    if (ln->kind == FS_LANE_TASK) {
        snprintf(buf, n, "%s", fs_trace_str(tr, tr->tasks[ln->index].name));
    } else if (ln->kind == FS_LANE_DEVICE) {
        const fs_trace_resource *r = &tr->resources[ln->index];
        const char *kind = fs_trace_str(tr, r->kind);
        snprintf(buf, n, "%s %s", *kind ? kind : "device", fs_trace_str(tr, r->name));
    } else {
        snprintf(buf, n, "worker %d", ln->index);
    }
    return buf;
}

static void fs__labels(const fs__ctx *c)
{
    const fs_viz_theme *th = c->th;
    fs_viz_viewer *v = c->v;
    fs_viz_clip(c->dl, 0, c->tl.y, v->view.w, c->tl.h);
    fs_viz_rect(c->dl, 0, c->tl.y, th->label_w, c->tl.h, th->panel_bg);
    char buf[128], sum[256], n1[32], n2[32], n3[32];
    for (size_t b = 0; b < v->n_traces; b++) {
        const fs_trace *tr = v->traces[b];
        const fs_viz_band *band = &v->bands[b];
        const fs_trace_summary *s = &tr->summary;
        fs_viz_rect(c->dl, 0, band->y, c->tl.x + c->tl.w, th->band_head_h, th->band_bg);
        int x = 6, y = band->y + (th->band_head_h - th->line_h) / 2;
        const char *queue = fs_trace_str(tr, tr->queue);
        x += fs_viz_textf(c->dl, x, y, th->text, th->char_w, "%s%s%s", fs_trace_str(tr, tr->executor),
                          *queue ? " " : "", queue);
        snprintf(sum, sizeof sum, "   %s polls (%s wasted), %s wakes, CPU busy %.1f%%, %s at %s",
                 fs_format_count(s->polls, n1, sizeof n1), fs_format_count(s->wasted_polls, n2, sizeof n2),
                 fs_format_count(s->wakes, n3, sizeof n3), s->cpu_busy * 100.0,
                 s->stalled ? "STALLED" : s->time_limit_hit ? "time limit hit" : "done",
                 fs_format_ns(s->end_ns, buf, sizeof buf));
        fs_viz_text(c->dl, x, y, s->stalled ? th->warn : th->text_dim, th->char_w, sum);
        for (size_t i = 0; i < band->n_lanes; i++) {
            const fs_viz_lane *ln = &v->lanes[band->first_lane + i];
            if (ln->y + ln->h < c->tl.y || ln->y > c->tl.y + c->tl.h)
                continue;
            fs__lane_name(tr, ln, buf, sizeof buf);
            fs_viz_color col = ln->kind == FS_LANE_TASK ? th->text : th->text_dim;
            int ty = ln->y + (ln->h - th->line_h) / 2, right = th->label_w - 6;
            if (ln->kind == FS_LANE_TASK) {
                /* its poll count, right-aligned: the busy loop's millions vs the wake loop's 2 */
                const fs_trace_task *t = &tr->tasks[ln->index];
                char cnt[48];
                snprintf(cnt, sizeof cnt, "%s poll%s", fs_format_count(t->cum[t->n_slices].polls, n1, sizeof n1),
                         t->cum[t->n_slices].polls == 1 ? "" : "s");
                int cw = fs_viz_text_cols(cnt, strlen(cnt)) * th->char_w;
                fs_viz_text(c->dl, right - cw, ty, th->text_dim, th->char_w, cnt);
                right -= cw + th->char_w;
            }
            fs__ctx lc = *c;
            lc.phx = 1e9;
            fs__label(&lc, 8, ty, right - 8, col, buf, false, true);
        }
    }
    fs_viz_clip(c->dl, 0, 0, 0, 0);
}

void fs_viz_draw_timeline(fs_viz_viewer *v)
{
    fs__ctx c = {.v = v, .th = &v->theme, .dl = &v->dl};
    c.tl = fs_viz_view_timeline(&v->view, c.th);
    c.phx = fs__x(&c, v->view.playhead);
    fs_viz_clip(c.dl, c.tl.x, c.tl.y, c.tl.w, c.tl.h);
    for (size_t i = 0; i < v->n_lanes; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        if ((i & 1) && ln->y + ln->h >= c.tl.y && ln->y <= c.tl.y + c.tl.h)
            fs_viz_rect(c.dl, c.tl.x, ln->y, c.tl.w, ln->h, c.th->lane_alt);
    }
    fs__grid(&c);
    /* the playhead: one line through every band, under the events so an
     * event exactly at the playhead stays visible */
    int px = (int)floor(c.phx);
    if (px >= c.tl.x && px < c.tl.x + c.tl.w)
        fs_viz_rect(c.dl, px - 1, c.tl.y, 2, c.tl.h, c.th->playhead);
    for (size_t i = 0; i < v->n_lanes; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        if (ln->y + ln->h < c.tl.y || ln->y > c.tl.y + c.tl.h)
            continue;
        c.trace = ln->trace;
        if (ln->kind == FS_LANE_TASK)
            fs__task_lane(&c, ln);
        else if (ln->kind == FS_LANE_DEVICE)
            fs__device_lane(&c, ln);
        else
            fs__worker_lane(&c, ln);
    }
    for (size_t b = 0; b < v->n_traces; b++) {
        c.trace = (int)b;
        fs__wakes(&c, &v->bands[b]);
    }
    fs_viz_clip(c.dl, 0, 0, 0, 0);
    fs__labels(&c);
}
