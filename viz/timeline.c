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
#include <stdlib.h>
#include <string.h>

#include "exec.h"
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
        if (s->dur > c->v->slow_poll_ns)  /* a slow-poll warning: outlined */
            fs_viz_frame(c->dl, x, y, w, h, th->warn);
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

/* x moved right of a warning badge of this lane that starts near it (the
 * badges are drawn later, over the lanes; see fs__warning_marks). */
static int fs__after_badge(const fs__ctx *c, const fs_viz_lane *ln, int x)
{
    const fs_viz_viewer *v = c->v;
    int bw = c->th->char_w + 6;
    for (size_t i = 0; i < v->n_warnings; i++) {
        const fs_viz_warning *w = &v->warnings[i];
        if (w->trace != ln->trace || w->task != (uint32_t)ln->index)
            continue;
        int bx = (int)floor(fs__x(c, (double)w->t));
        if (bx + bw >= x && bx <= x + 8)
            x = bx + bw;
    }
    return x;
}

/* When the task became runnable again after slice i: the wake that led to
 * poll i + 1 (at the poll's end if it came from inside it), or -1. */
static int64_t fs__queued_from(const fs_trace *tr, const fs_trace_task *task, size_t i)
{
    const fs_trace_slice *s = &task->slices[i];
    size_t lo = 0, hi = task->n_wakes;
    while (lo < hi) { /* the first wake at or after the poll's start */
        size_t m = lo + (hi - lo) / 2;
        if (tr->wakes[task->wakes[m]].t < s->t)
            lo = m + 1;
        else
            hi = m;
    }
    for (size_t k = lo; k < task->n_wakes; k++) {
        const fs_trace_wake *wk = &tr->wakes[task->wakes[k]];
        if (wk->t > task->slices[i + 1].t)
            break;
        if (wk->caused == (int32_t)(i + 1))
            return wk->t > s->end ? wk->t : s->end;
    }
    return -1;
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
    /* Woken but not yet polled: queued, drawn thicker in the queued colour
     * from the wake that led to the next poll (or the poll's end, for a
     * wake from inside it), so a starved task's wait shows where it is. */
    int qx = x + w;
    int64_t q0 = warn || i + 1 >= task->n_slices ? -1 : fs__queued_from(tr, task, i);
    if (q0 >= 0 && q0 < gap_end) {
        int bx, bw;
        fs__span_px(c, fs__x(c, (double)q0), x1, 1, &bx, &bw);
        if (bx < x) { /* not over the widened poll */
            bw -= x - bx;
            bx = x;
        }
        if (bw >= 2) {
            fs__box(c, (double)q0, (double)gap_end, bx, mid - 1, bw, 3, th->pending, NULL, FS_HIT_NONE,
                    ln->index, -1, 0);
            qx = bx;
            char d[32], qb[64];
            snprintf(qb, sizeof qb, "queued %s", fs_format_ns(gap_end - q0, d, sizeof d));
            int qw = (fs_viz_text_cols(qb, strlen(qb)) + 1) * th->char_w;
            int qlx = bx < c->tl.x ? c->tl.x : bx;
            if (bx + bw - qlx >= qw + 8) {
                fs_viz_rect(c->dl, qlx + 4, ln->y + 1, qw, th->line_h - 1, th->bg);
                fs_viz_text(c->dl, qlx + 4, ln->y + 1, th->text_dim, th->char_w, qb);
            }
        }
    }
    char buf[320];
    /* a waker registered during this poll: say who holds it */
    const char *holder = NULL;
    size_t lo = 0, hi = task->n_regs;
    while (lo < hi) {  /* registers are in time order: the first at or after the poll */
        size_t m = lo + (hi - lo) / 2;
        if (task->regs[m].t < s->t)
            lo = m + 1;
        else
            hi = m;
    }
    for (size_t r = lo; r < task->n_regs && task->regs[r].t <= s->end; r++)
        holder = fs_trace_str(tr, tr->resources[task->regs[r].res].name);
    if (warn)
        snprintf(buf, sizeof buf, "%s", warn);
    else if (holder)
        snprintf(buf, sizeof buf, "waiting: %s (waker held by %s)", fs_trace_str(tr, s->state), holder);
    else
        snprintf(buf, sizeof buf, "waiting: %s", fs_trace_str(tr, s->state));
    /* keep the label in view when the gap starts off screen, and clear of
     * a warning's badge */
    int lx = x < c->tl.x ? c->tl.x : x;
    lx = fs__after_badge(c, ln, lx);
    int lw = qx - lx; /* up to the queued part, which has its own label */
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
        size_t j = fs_trace_task_first_starting_at(task, fs_viz_ns(ceil(limit)));
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
    size_t i = fs_trace_task_first_ending_after(task, fs_viz_ns(floor(ta)));
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
        /* a result that is an error says which ("done: elapsed"), in the warning colour */
        char label[64];
        snprintf(label, sizeof label, task->error ? "done: %s" : "done", fs_trace_str(tr, task->error));
        fs_viz_color col = task->error ? c->th->warn : c->th->text;
        int tw = (fs_viz_text_cols(label, strlen(label)) + 1) * c->th->char_w;
        if (x + 3 + tw > c->tl.x + c->tl.w)
            x -= tw + 6; /* past the band's right edge: left of the mark */
        fs_viz_text(c->dl, x + 3, ln->y + (ln->h - c->th->line_h) / 2,
                    (double)task->complete_t <= c->v->view.playhead
                        ? col : fs_viz_fade(c->th, col, c->th->future_fade),
                    c->th->char_w, label);
    }
    fs_viz_draw_budget_marks(c->v, c->trace, ln);
}

/* ---- device and worker lanes --------------------------------------------- */

/* The timer lane's marks: each time it fired (a sleep's or a timeout's
 * deadline), which the trace tells as the wake it made. One mark a pixel
 * column, the next found by a search from the column after it, so a
 * million fires cost the lane's width; at most 64 other wakes are passed
 * over in a column before going on to the next. */
static void fs__timer_fires(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_trace *tr = c->v->traces[c->trace];
    double tb = fs__t(c, c->tl.x + c->tl.w);
    size_t i = fs_trace_wake_first_at(tr, fs_viz_ns(ceil(fs__t(c, c->tl.x - 2))));
    while (i < tr->n_wakes && (double)tr->wakes[i].t <= tb) {
        size_t k = i, end = i + 64;
        while (k < tr->n_wakes && k < end && tr->wakes[k].src_res != ln->index)
            k++;
        if (k == tr->n_wakes || (double)tr->wakes[k].t > tb)
            break;
        double t = (double)(k < end ? tr->wakes[k].t : tr->wakes[i].t);
        int x = (int)floor(fs__x(c, t));
        if (k < end) {
            fs_viz_color col = x <= c->phx ? c->th->io : fs_viz_fade(c->th, c->th->io, c->th->future_fade);
            fs_viz_rect(c->dl, x, ln->y + 2, 1, ln->h - 4, col); /* thin: dense fires read as density */
        }
        size_t next = fs_trace_wake_first_at(tr, fs_viz_ns(ceil(fs__t(c, x + 1))));
        i = next > k ? next : k + 1;
    }
}

static void fs__device_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_resource *rs = &tr->resources[ln->index];
    if (strcmp(fs_trace_str(tr, rs->kind), "timer") == 0)
        fs__timer_fires(c, ln);
    double ta = fs__t(c, c->tl.x - 2), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = rs->n_io;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)rs->io[mid].t < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    int last_x = -1000, text_end = c->tl.x;
    for (size_t i = lo; i < rs->n_io && (double)rs->io[i].t <= tb; i++) {
        int x = (int)floor(fs__x(c, (double)rs->io[i].t));
        if (x < last_x + 2)
            continue;  /* same pixel as the previous mark */
        /* a fault stands out in the warning colour, before the event it hit */
        fs_viz_color mark = rs->io[i].fault ? th->warn : th->io;
        fs__box(c, (double)rs->io[i].t, (double)rs->io[i].t, x - 1, ln->y + 2, 3, ln->h - 4, mark, NULL, FS_HIT_IO, ln->index, (int64_t)i, 1);
        last_x = x;
        /* The label's room ends at the next mark drawn: events on this
         * pixel (an interval's missed ticks in a burst) are counted in it. */
        size_t j = i + 1, same = 0;
        while (j < rs->n_io && fs__x(c, (double)rs->io[j].t) < x + 2) {
            j++;
            same++;
        }
        double next = j < rs->n_io ? fs__x(c, (double)rs->io[j].t) : c->tl.x + c->tl.w;
        char buf[160], more[32] = "";
        if (same)
            snprintf(more, sizeof more, " (+%zu)", same);
        char d[32];
        if (rs->io[i].fault && rs->io[i].has_value) /* a latency fault: how much later */
            snprintf(buf, sizeof buf, "%s +%s%s", fs_trace_str(tr, rs->io[i].what),
                     fs_format_ns(rs->io[i].value, d, sizeof d), more);
        else if (rs->io[i].has_value)
            snprintf(buf, sizeof buf, "%s %lld%s", fs_trace_str(tr, rs->io[i].what),
                     (long long)rs->io[i].value, more);
        else
            snprintf(buf, sizeof buf, "%s%s", fs_trace_str(tr, rs->io[i].what), more);
        fs_viz_color col = x <= c->phx ? mark : fs_viz_fade(th, mark, th->future_fade);
        int room = (int)(next - x) - 3;
        int need = (fs_viz_text_cols(buf, strlen(buf)) + 1) * th->char_w;
        double prev = i > lo ? fs__x(c, (double)rs->io[i - 1].t) : c->tl.x;
        int ty = ln->y + (ln->h - th->line_h) / 2;
        if (room < need && x - prev > need + 40 && x - need - 2 >= text_end) {
            fs_viz_text(c->dl, x - need - 2, ty, col, th->char_w, buf);  /* no room after it */
        } else {
            fs__label(c, x + 3, ty, room, col, buf, false, true);
            text_end = x + 3 + (room < need ? room : need);
        }
    }
}

enum { FS__SPAN_BUSY, FS__SPAN_PARKED, FS__SPAN_PREEMPTED };

/* Where a parked or preempted span's label may start at x: after the
 * driver turns' marks (steal.c: a tick, then the events delivered, turns
 * within 6 px summed) that begin within a few pixels of it, whose numbers
 * would otherwise cover its first letters ("6arked"). */
static int fs__after_drivers(const fs__ctx *c, const fs_trace_worker *wk, int x)
{
    int end = x;
    size_t i = wk->n_drivers ? fs_trace_driver_first_at(wk, fs_viz_ns(floor(fs__t(c, x - 3)))) : 0;
    while (i < wk->n_drivers) {
        int dx;
        int64_t fired;
        size_t j = fs_viz_driver_mark(c->v, wk, i, &dx, &fired);
        if (dx > end + 2)
            break;
        char buf[24];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)fired);
        end = dx + 4 + (n + 1) * c->th->char_w;
        i = j;
    }
    return end;
}

static void fs__spans(const fs__ctx *c, const fs_viz_lane *ln, const fs_trace_worker *wk,
                      const fs_trace_span *sp, size_t n, int kind)
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
    size_t run_first = 0, run_n = 0;
    for (size_t i = lo; i <= n; i++) {
        bool more = i < n && (double)sp[i].t <= tb;
        int x = 0, w = 0;
        if (more)
            fs__span_px(c, fs__x(c, (double)sp[i].t), fs__x(c, (double)sp[i].end), 1, &x, &w);
        /* spans touching the previous one's pixels extend it */
        if (more && x <= run_end) {
            if (x + w > run_end)
                run_end = x + w;
            run_n++;
            continue;
        }
        if (run_end > -1000) {
            int rw = run_end - run_x;
            /* A run of several spans has the busy polls between them drawn
             * over it: a label there would be cut into unreadable pieces. */
            bool labelled = run_n == 1;
            if (kind == FS__SPAN_PARKED) {
                fs__box(c, fs__t(c, run_x), fs__t(c, run_end), run_x, y, rw, h, th->parked, &th->parked_stripe, FS_HIT_PARK, ln->index,
                        (int64_t)run_first, 0);
                int lx = fs__after_drivers(c, wk, run_x < c->tl.x ? c->tl.x : run_x);
                if (labelled)
                    fs__label(c, lx, ln->y + (ln->h - th->line_h) / 2, run_end - lx, th->text_dim,
                              "parked (idle, waiting for a device event)", true, true);
            } else if (kind == FS__SPAN_PREEMPTED) {
                /* its thread is off the CPU: hatched in the warning colour */
                fs__box(c, fs__t(c, run_x), fs__t(c, run_end), run_x, y, rw, h, th->parked, &th->warn, FS_HIT_PREEMPT, ln->index,
                        (int64_t)run_first, 0);
                int lx = fs__after_drivers(c, wk, run_x < c->tl.x ? c->tl.x : run_x);
                if (labelled)
                    fs__label(c, lx, ln->y + (ln->h - th->line_h) / 2, run_end - lx, th->text,
                              fs_trace_pause_at(wk, sp[run_first].t) ? "paused (worker fault)"
                                                                     : "preempted (waiting for a CPU)",
                              true, true);
            } else {
                /* grey under the polls; worker_polls.c draws each poll wide
                 * enough in its task's colour, and labels the rest */
                fs__box(c, fs__t(c, run_x), fs__t(c, run_end), run_x, y, rw, h, th->worker_busy, NULL, FS_HIT_WORKER_BUSY, ln->index,
                        (int64_t)run_first, 0);
            }
        }
        if (!more)
            break;
        run_x = x;
        run_end = x + w;
        run_first = i;
        run_n = 1;
    }
}

static void fs__worker_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_trace_worker *wk = &c->v->traces[c->trace]->workers_v[ln->index];
    /* busy and parked in the lane's top row; steal:N's queue strip below */
    fs_viz_lane row = *ln;
    row.h = c->th->worker_lane_h;
    fs__spans(c, &row, wk, wk->parks, wk->n_parks, FS__SPAN_PARKED);
    fs__spans(c, &row, wk, wk->preempts, wk->n_preempts, FS__SPAN_PREEMPTED);
    fs__spans(c, &row, wk, wk->busy, wk->n_busy, FS__SPAN_BUSY);
    fs_viz_draw_worker_polls(c->v, c->trace, &row);
    fs_viz_draw_worker_steal(c->v, c->trace, ln);
}

/* A blocking pool thread: its jobs as boxes, each named with its job and
 * the task that spawned it ("crunch (cruncher)"). */
static void fs__bthread_lane(const fs__ctx *c, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_trace_bthread *bt = &tr->bthreads[ln->index];
    double ta = fs__t(c, c->tl.x), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = bt->n_jobs;
    while (lo < hi) { /* the first job ending in the window (jobs of a thread do not overlap) */
        size_t mid = lo + (hi - lo) / 2;
        if ((double)bt->jobs[mid].end <= ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    int y = ln->y + 3, h = ln->h - 6, last_end = -1000;
    for (size_t i = lo; i < bt->n_jobs && (double)bt->jobs[i].t <= tb; i++) {
        const fs_trace_job *j = &bt->jobs[i];
        int x, w;
        fs__span_px(c, fs__x(c, (double)j->t), fs__x(c, (double)j->end), 1, &x, &w);
        if (x + w <= last_end)
            continue; /* within the pixels of the one before */
        last_end = x + w;
        fs__box(c, (double)j->t, (double)j->end, x, y, w, h, th->worker_busy, NULL, FS_HIT_JOB,
                ln->index, (int64_t)i, 0);
        char buf[2 * 128 + 16];
        snprintf(buf, sizeof buf, "%s (%s)", fs_trace_str(tr, j->name),
                 fs_trace_str(tr, tr->tasks[j->task].name));
        int lx = x < c->tl.x ? c->tl.x : x;
        fs__label(c, lx, ln->y + (ln->h - th->line_h) / 2, x + w - lx, th->text_inv, buf, true, false);
    }
}

/* ---- wake arrows --------------------------------------------------------- */

/* Wake arrows into the visible lanes. Dense wakes would only paint the
 * lanes orange, so at most one arrow per lane every few pixels is drawn,
 * and a window holding very many wakes is sampled evenly (the per-lane
 * spacing hides the difference). Past FS_VIZ_WAKE_ARROWS_MAX arrows a
 * band draws only those into or from the focused tasks (the hovered and
 * the selected one): a pass counts, a second draws. */
typedef struct fs__focus {
    bool all;             /* every arrow, else only those touching a or b */
    int32_t a, b;         /* tasks, -1 for none */
} fs__focus;

/* The wakes a pass looks at: those of the window [first, end), every
 * stride-th. When the band's task lanes on screen hold fewer of them than
 * that (collapsed groups have none), only theirs are listed, in the
 * window's order, so a pass draws what the walk of the whole window would
 * have drawn without visiting the wakes into lanes that do not show. */
typedef struct fs__wake_set {
    size_t first, end, stride;
    uint32_t *only;       /* NULL: the whole window; else n_only indices */
    size_t n_only;
    size_t lane0, lane1;  /* the band's lanes on screen */
} fs__wake_set;

/* First of a task's wakes (indices into tr->wakes) at or after t (or after
 * t when after is set). */
static size_t fs__task_wake_at(const fs_trace *tr, const fs_trace_task *task, double t, bool after)
{
    size_t lo = 0, hi = task->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double wt = (double)tr->wakes[task->wakes[mid]].t;
        if (after ? wt <= t : wt < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int fs__u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void fs__wake_set_init(const fs__ctx *c, const fs_viz_band *band, fs__wake_set *ws)
{
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_viz_viewer *v = c->v;
    double ta = fs__t(c, c->tl.x - 2), tb = fs__t(c, c->tl.x + c->tl.w);
    size_t lo = 0, hi = tr->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)tr->wakes[mid].t < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    hi = tr->n_wakes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)tr->wakes[mid].t <= tb)
            lo = mid + 1;
        else
            hi = mid;
    }
    *ws = (fs__wake_set){.first = first, .end = lo, .stride = (lo - first) / 20000 + 1};
    size_t band_end = band->first_lane + band->n_lanes;
    ws->lane0 = fs_viz_first_lane_at(v, band->first_lane, band_end, c->tl.y);
    ws->lane1 = ws->lane0;
    while (ws->lane1 < band_end && v->lanes[ws->lane1].y <= c->tl.y + c->tl.h)
        ws->lane1++;
    /* the visible lanes' wakes in the window, counted */
    size_t samples = (ws->end - ws->first + ws->stride - 1) / ws->stride, n = 0;
    for (size_t i = ws->lane0; i < ws->lane1 && n <= samples; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        if (ln->kind != FS_LANE_TASK)
            continue;
        const fs_trace_task *task = &tr->tasks[ln->index];
        n += fs__task_wake_at(tr, task, tb, true) - fs__task_wake_at(tr, task, ta, false);
    }
    if (n > samples)
        return;  /* the walk of the window costs no more */
    ws->only = malloc((n ? n : 1) * sizeof *ws->only);
    if (!ws->only)
        return;  /* out of memory: the walk of the window */
    for (size_t i = ws->lane0; i < ws->lane1; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        if (ln->kind != FS_LANE_TASK)
            continue;
        const fs_trace_task *task = &tr->tasks[ln->index];
        size_t k1 = fs__task_wake_at(tr, task, tb, true);
        for (size_t k = fs__task_wake_at(tr, task, ta, false); k < k1; k++)
            if ((task->wakes[k] - ws->first) % ws->stride == 0)
                ws->only[ws->n_only++] = task->wakes[k];
    }
    qsort(ws->only, ws->n_only, sizeof *ws->only, fs__u32_cmp);
}

static size_t fs__wake_pass(const fs__ctx *c, const fs_viz_band *band, const fs__wake_set *ws,
                            const fs__focus *f, bool draw)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    const fs_viz_viewer *v = c->v;
    int *last_x = v->lane_scratch + (band->task_lane - v->lane_of);
    if (ws->only) {  /* only the visible lanes' tasks are looked at */
        for (size_t i = ws->lane0; i < ws->lane1; i++)
            if (v->lanes[i].kind == FS_LANE_TASK)
                last_x[v->lanes[i].index] = -100000;
    } else {
        for (size_t k = 0; k < tr->n_tasks; k++)
            last_x[k] = -100000;
    }
    size_t n = 0;
    /* the band's visible part, below its header (pinned while it shows) */
    int top = c->tl.y, bottom = c->tl.y + c->tl.h;
    int etop = band->y + th->band_head_h > top + th->band_head_h ? band->y + th->band_head_h
                                                                   : top + th->band_head_h;
    int ebottom = band->y + band->h < bottom ? band->y + band->h : bottom;
    size_t count = ws->only ? ws->n_only : (ws->end - ws->first + ws->stride - 1) / ws->stride;
    for (size_t j = 0; j < count; j++) {
        size_t i = ws->only ? ws->only[j] : ws->first + j * ws->stride;
        const fs_trace_wake *w = &tr->wakes[i];
        if (!f->all && (int32_t)w->task != f->a && (int32_t)w->task != f->b &&
            (w->src_task < 0 || (w->src_task != f->a && w->src_task != f->b)))
            continue;
        const fs_viz_lane *dst = fs_viz_viewer_task_lane(v, c->trace, w->task);
        if (dst->kind != FS_LANE_TASK || dst->y + dst->h < top || dst->y > bottom)
            continue;  /* into a collapsed group, or a lane scrolled out of view */
        int x0 = (int)floor(fs__x(c, (double)w->t));
        if (x0 < last_x[w->task] + 8)
            continue;
        last_x[w->task] = x0;
        n++;
        if (!draw)
            continue;
        const fs_viz_lane *src = w->src_res >= 0 ? fs_viz_viewer_res_lane(v, c->trace, (uint32_t)w->src_res)
                                 : w->src_task >= 0 ? fs_viz_viewer_task_lane(v, c->trace, (uint32_t)w->src_task)
                                                    : NULL;
        int32_t p = w->caused;
        int x1 = p >= 0 ? (int)floor(fs__x(c, (double)tr->tasks[w->task].slices[p].t)) + 1 : x0;
        double t_end = p >= 0 ? (double)tr->tasks[w->task].slices[p].t : (double)w->t;
        fs_viz_color col = t_end <= c->v->view.playhead ? th->wake : fs_viz_fade(th, th->wake, th->future_fade);
        if (!src || src == dst) {
            /* a self-wake: a short hook from above */
            fs_viz_arrow(c->dl, x0 - 8, dst->y - 4, x1, dst->y + 3, col);
            continue;
        }
        int sy = src->y + src->h / 2;
        int ty = src->y > dst->y ? dst->y + dst->h - 3 : dst->y + 3;
        if (src->y + src->h < etop || src->y > ebottom) {
            /* from a lane out of view (or under the pinned header): a short
             * arrow from a marker beside the task's lane, kept inside the
             * band's visible part, never a line across the screen */
            sy = src->y > dst->y ? dst->y + dst->h + 10 : dst->y - 10;
            sy = sy < etop + 3 ? etop + 3 : sy > ebottom - 3 ? ebottom - 3 : sy;
            fs_viz_rect(c->dl, x0 - 2, sy - 2, 5, 5, col);
        }
        fs_viz_arrow(c->dl, x0, sy, x1, ty, col);
        fs_viz_arrow(c->dl, x0 + 1, sy, x1 + 1, ty, col);
    }
    return n;
}

static void fs__wakes(fs__ctx *c, const fs_viz_band *band)
{
    fs_viz_viewer *v = c->v;
    fs__focus all = {.all = true, .a = -1, .b = -1};
    fs__wake_set ws;
    fs__wake_set_init(c, band, &ws);
    size_t n = fs__wake_pass(c, band, &ws, &all, false);
    if (n <= FS_VIZ_WAKE_ARROWS_MAX) {
        fs__wake_pass(c, band, &ws, &all, true);
        free(ws.only);
        return;
    }
    fs__focus f = {.all = false, .a = -1, .b = -1};
    if (v->sel_task >= 0 && v->sel_trace == c->trace)
        f.a = v->sel_task;
    const fs_viz_lane *hov = v->hover_lane;
    if (hov && hov->kind == FS_LANE_TASK && hov->trace == c->trace)
        f.b = hov->index;
    size_t shown = f.a >= 0 || f.b >= 0 ? fs__wake_pass(c, band, &ws, &f, true) : 0;
    v->wakes_hidden += n - shown;
    free(ws.only);
}

/* ---- warnings and the selected task -------------------------------------- */

/* A "!" badge where each warning first shows; badges of one lane never
 * overlap (warnings come in task order, so a lane's are consecutive). */
static void fs__warning_marks(const fs__ctx *c)
{
    const fs_viz_theme *th = c->th;
    fs_viz_viewer *v = c->v;
    int last_right = -1000;
    const fs_viz_lane *last_lane = NULL;
    for (size_t i = 0; i < v->n_warnings; i++) {
        const fs_viz_warning *w = &v->warnings[i];
        const fs_viz_lane *ln = fs_viz_viewer_task_lane(v, w->trace, w->task);
        if (ln->kind != FS_LANE_TASK || ln->y + ln->h < c->tl.y || ln->y > c->tl.y + c->tl.h)
            continue;
        double fx = fs__x(c, (double)w->t);
        if (fx < c->tl.x - 20 || fx > c->tl.x + c->tl.w)
            continue;
        int x = (int)floor(fx);
        if (ln == last_lane && x < last_right + 2)
            x = last_right + 2;
        int bw = th->char_w + 6, bh = th->line_h;
        int y = ln->y + (ln->h - bh) / 2;
        fs_viz_frame(c->dl, x - 1, y - 1, bw + 2, bh + 2, th->bg);
        fs_viz_cmd *b = fs_viz_rect(c->dl, x, y, bw, bh, th->warn);
        b->hit = FS_HIT_WARNING;
        b->trace = w->trace;
        b->lane = (int32_t)w->task;
        b->item = (int64_t)i;
        fs_viz_text(c->dl, x + 3, y, th->text_inv, th->char_w, "!");
        last_lane = ln;
        last_right = x + bw;
    }
}

/* The clicked task's lane, framed. */
static void fs__selected(const fs__ctx *c)
{
    fs_viz_viewer *v = c->v;
    if (v->sel_task < 0 || (size_t)v->sel_trace >= v->n_traces)
        return;
    const fs_viz_lane *ln = fs_viz_viewer_task_lane(v, v->sel_trace, (uint32_t)v->sel_task);
    fs_viz_frame(c->dl, c->tl.x, ln->y, c->tl.w, ln->h, c->th->panel_head);
    fs_viz_frame(c->dl, c->tl.x + 1, ln->y + 1, c->tl.w - 2, ln->h - 2, c->th->panel_head);
}

/* ---- the whole timeline -------------------------------------------------- */

static void fs__grid(const fs__ctx *c)
{
    fs_viz_view *vw = &c->v->view;
    int64_t step = fs_viz_tick_step(vw->t1 - vw->t0, c->tl.w, c->th->tick_min_px);
    /* counted in steps, in double: a window past 2^63 ns must not overflow */
    for (double k = ceil(vw->t0 / (double)step); k * (double)step <= vw->t1; k++) {
        int x = (int)floor(fs__x(c, k * (double)step));
        fs_viz_line(c->dl, x, c->tl.y, x, c->tl.y + c->tl.h, c->th->grid);
    }
}

static const char *fs__lane_name(const fs_trace *tr, const fs_viz_lane *ln, char *buf, size_t n)
{
    if (ln->kind == FS_LANE_TASK) { /* its stable id, the same under every executor */
        const fs_trace_task *t = &tr->tasks[ln->index];
        snprintf(buf, n, "#%u %s", t->sid, fs_trace_str(tr, t->name));
    } else if (ln->kind == FS_LANE_DEVICE) {
        const fs_trace_resource *r = &tr->resources[ln->index];
        const char *kind = fs_trace_str(tr, r->kind), *name = fs_trace_str(tr, r->name);
        if (strcmp(kind, name) == 0)  /* "timer": the one timer wheel */
            snprintf(buf, n, "%s", name);
        else
            snprintf(buf, n, "%s %s", *kind ? kind : "device", name);
    } else if (ln->kind == FS_LANE_BTHREAD) {
        snprintf(buf, n, "blocking thread %d", ln->index);
    } else {
        snprintf(buf, n, "worker %d", ln->index);
    }
    return buf;
}

static bool fs__has_warning(const fs_viz_viewer *v, int trace, int32_t task)
{
    for (size_t i = 0; i < v->n_warnings; i++)
        if (v->warnings[i].trace == trace && v->warnings[i].task == (uint32_t)task)
            return true;
    return false;
}

/* "1,000,001 polls" when it fits beside the name, else "1.0M polls", else
 * "1.0M", else nothing: the name comes first. */
static void fs__task_label(const fs__ctx *c, const fs_viz_lane *ln, const char *name,
                           fs_viz_color col, int ty, int right, bool sel)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[ln->trace];
    const fs_trace_task *t = &tr->tasks[ln->index];
    int cw = th->char_w;
    int x = 8;
    int name_w = fs_viz_text_cols(name, strlen(name)) * cw;
    bool warn = fs__has_warning(c->v, ln->trace, ln->index);
    int badge_w = warn ? cw + 6 : 0;
    int64_t polls = t->cum[t->n_slices].polls;
    char n1[32], cnt[4][48];
    snprintf(cnt[0], sizeof cnt[0], "%s poll%s", fs_format_count(polls, n1, sizeof n1), polls == 1 ? "" : "s");
    if (polls >= 1000000)
        snprintf(n1, sizeof n1, "%.1fM", (double)polls / 1e6);
    else if (polls >= 10000)
        snprintf(n1, sizeof n1, "%.0fk", (double)polls / 1e3);
    snprintf(cnt[1], sizeof cnt[1], "%s polls", n1);
    snprintf(cnt[2], sizeof cnt[2], "%s", n1);
    cnt[3][0] = '\0';
    int room = right - x - name_w - badge_w - cw;
    for (int k = 0; k < 4; k++) {
        int w = fs_viz_text_cols(cnt[k], strlen(cnt[k])) * cw;
        if (w <= room || k == 3) {
            if (w)
                fs_viz_text(c->dl, right - w, ty, sel ? th->text_inv : th->text_dim, cw, cnt[k]);
            right -= w ? w + cw : 0;
            break;
        }
    }
    fs__ctx lc = *c;
    lc.phx = 1e9;
    fs__label(&lc, x - 2, ty, right - x + 2 - badge_w, col, name, false, true);
    if (warn) {
        int nw = name_w < right - x - badge_w ? name_w : right - x - badge_w;
        fs_viz_cmd *b = fs_viz_rect(c->dl, x + nw + 4, ty, cw + 4, th->line_h, th->warn);
        b->hit = FS_HIT_NONE;
        fs_viz_text(c->dl, x + nw + 6, ty, th->text_inv, cw, "!");
    }
}


static void fs__labels(const fs__ctx *c)
{
    const fs_viz_theme *th = c->th;
    fs_viz_viewer *v = c->v;
    fs_viz_clip(c->dl, 0, c->tl.y, v->view.w, c->tl.h);
    fs_viz_rect(c->dl, 0, c->tl.y, th->label_w, c->tl.h, th->panel_bg);
    char buf[128], sum[256], n1[32], n2[32], n3[32];
    bool mixed = false;
    for (size_t b = 1; b < v->n_traces; b++)
        mixed |= strcmp(fs_trace_str(v->traces[b], v->traces[b]->scenario),
                        fs_trace_str(v->traces[0], v->traces[0]->scenario)) != 0;
    for (size_t b = 0; b < v->n_traces; b++) {
        const fs_trace *tr = v->traces[b];
        const fs_viz_band *band = &v->bands[b];
        const fs_trace_summary *s = &tr->summary;
        size_t end = band->first_lane + band->n_lanes;
        for (size_t i = fs_viz_first_lane_at(v, band->first_lane, end, c->tl.y);
             i < end && v->lanes[i].y <= c->tl.y + c->tl.h; i++) {
            const fs_viz_lane *ln = &v->lanes[i];
            if (ln->kind == FS_LANE_COUNTER) {
                fs_viz_counter_name(v, (int)b, buf, sizeof buf);
                if ((fs_viz_text_cols(buf, strlen(buf)) + 1) * th->char_w > th->label_w - 6 - 8 - 4)
                    *strchr(buf, '(') = '\0';  /* narrow: the name, not its scale */
            }
            else if (ln->kind != FS_LANE_GROUP)
                fs__lane_name(tr, ln, buf, sizeof buf);
            fs_viz_color col = ln->kind == FS_LANE_TASK ? th->text : th->text_dim;
            int ty = ln->y + (ln->h - th->line_h) / 2, right = th->label_w - 6;
            bool sel = ln->kind == FS_LANE_TASK && v->sel_task == ln->index && v->sel_trace == (int)b;
            if (sel) {
                fs_viz_rect(c->dl, 0, ln->y, th->label_w, ln->h, th->panel_head);
                col = th->text_inv;
            }
            if (ln->kind == FS_LANE_WORKER && ln->h > th->worker_lane_h) {
                /* steal:N: the queue strip's scale under the worker's name */
                ty = ln->y + (th->worker_lane_h - th->line_h) / 2;
                snprintf(sum, sizeof sum, "local queue (0..%lld)", (long long)fs_viz_queue_scale(tr));
                fs__label(c, 16, ln->y + th->worker_lane_h, right - 16, th->text_dim, sum, false, true);
            }
            if (ln->kind == FS_LANE_GROUP)
                fs_viz_draw_group_label(v, ln, right);
            else if (ln->kind == FS_LANE_TASK)
                fs__task_label(c, ln, buf, col, ty, right, sel);
            else
                fs__label(c, 8, ty, right - 8, col, buf, false, true);
        }
        /* the header, drawn over its lanes: pinned to the top while any of
         * them is on screen, pushed up by the next band's */
        int hy = band->y;
        if (hy < c->tl.y) {
            hy = c->tl.y;
            if (hy > band->y + band->h - th->band_head_h)
                hy = band->y + band->h - th->band_head_h;
        }
        fs_viz_rect(c->dl, 0, hy, c->tl.x + c->tl.w, th->band_head_h, th->band_bg);
        int x = 6, y = hy + (th->band_head_h - th->line_h) / 2;
        const char *queue = fs_trace_str(tr, tr->queue);
        if (mixed)  /* bands of several files: each names its scenario */
            x += fs_viz_textf(c->dl, x, y, th->text, th->char_w, "%s: ", fs_trace_str(tr, tr->scenario));
        x += fs_viz_textf(c->dl, x, y, th->text, th->char_w, "%s%s%s", fs_trace_str(tr, tr->executor),
                          *queue ? " " : "", queue);
        char pct[32];
        /* how the run ended: a limit named ("poll limit hit"), never "done" */
        const char *limit = fs_limit_label((fs_limit)s->limit_hit);
        snprintf(sum, sizeof sum, "   %s polls (%s wasted), %s wakes, CPU busy %s, %s%s at %s",
                 fs_format_count(s->polls, n1, sizeof n1), fs_format_count(s->wasted_polls, n2, sizeof n2),
                 fs_format_count(s->wakes, n3, sizeof n3), fs_format_percent(s->cpu_busy, pct, sizeof pct),
                 s->stalled ? "STALLED" : limit ? limit : "done", !s->stalled && limit ? " hit" : "",
                 fs_format_ns(s->end_ns, buf, sizeof buf));
        /* the lanes' order at the header's right end (room for the scrollbar
         * kept); the totals are cut before it, and it goes first when the
         * header is too narrow for both and the order is the default */
        int cw = th->char_w, right = c->tl.x + c->tl.w - 16;
        snprintf(buf, sizeof buf, "lanes by %s (o)", fs_viz_order_name(v->lane_order));
        int ow = fs_viz_text_cols(buf, strlen(buf)) * cw;
        bool order = (right - ow - 2 * cw - x >= 24 * cw || v->lane_order != FS_ORDER_SPAWN) && right - ow >= x;
        if (order)
            fs_viz_text(c->dl, right - ow, y, th->text_dim, cw, buf);
        fs_viz_text_fit(sum, sizeof sum, ((order ? right - ow - 2 * cw : right) - x) / cw);
        fs_viz_text(c->dl, x, y, s->stalled ? th->warn : th->text_dim, cw, sum);
    }
    fs_viz_clip(c->dl, 0, 0, 0, 0);
}

void fs_viz_draw_timeline(fs_viz_viewer *v)
{
    fs__ctx c = {.v = v, .th = &v->theme, .dl = &v->dl};
    c.tl = fs_viz_view_timeline(&v->view, c.th);
    c.phx = fs__x(&c, v->view.playhead);
    v->wakes_hidden = 0;
    fs_viz_clip(c.dl, c.tl.x, c.tl.y, c.tl.w, c.tl.h);
    /* the lanes on screen: from the first reaching the top to the bottom */
    size_t vis = fs_viz_first_lane_at(v, 0, v->n_lanes, c.tl.y);
    for (size_t i = vis; i < v->n_lanes && v->lanes[i].y <= c.tl.y + c.tl.h; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        if (i & 1)
            fs_viz_rect(c.dl, c.tl.x, ln->y, c.tl.w, ln->h, c.th->lane_alt);
    }
    fs__grid(&c);
    /* the playhead: one line through every band, under the events so an
     * event exactly at the playhead stays visible */
    int px = (int)floor(c.phx);
    if (px >= c.tl.x && px < c.tl.x + c.tl.w)
        fs_viz_rect(c.dl, px - 1, c.tl.y, 2, c.tl.h, c.th->playhead);
    for (size_t i = vis; i < v->n_lanes && v->lanes[i].y <= c.tl.y + c.tl.h; i++) {
        const fs_viz_lane *ln = &v->lanes[i];
        c.trace = ln->trace;
        if (ln->kind == FS_LANE_TASK)
            fs__task_lane(&c, ln);
        else if (ln->kind == FS_LANE_GROUP)
            fs_viz_draw_group_lane(v, ln);
        else if (ln->kind == FS_LANE_DEVICE)
            fs__device_lane(&c, ln);
        else if (ln->kind == FS_LANE_BTHREAD)
            fs__bthread_lane(&c, ln);
        else if (ln->kind == FS_LANE_COUNTER)
            fs_viz_draw_counter_lane(v, ln);
        else
            fs__worker_lane(&c, ln);
    }
    for (size_t b = 0; b < v->n_traces; b++) {
        c.trace = (int)b;
        fs__wakes(&c, &v->bands[b]);
        fs_viz_draw_steals(v, (int)b);
    }
    fs__warning_marks(&c);
    fs__selected(&c);
    fs_viz_clip(c.dl, 0, 0, 0, 0);
    fs__labels(&c);
    fs_viz_draw_scrollbar(v);
}
