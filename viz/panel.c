/* panel.c - everything around the lanes: the time axis, the side panel
 * (state at the playhead), the title bar, the legend, the hover tooltip
 * and the help overlay. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "pen.h"
#include "viewer.h"

/* ---- the time axis ------------------------------------------------------- */

int64_t fs_viz_tick_step(double span_ns, int width_px, int min_px)
{
    if (width_px < 1)
        width_px = 1;
    double want = span_ns * min_px / width_px;  /* ns between ticks, at least */
    int64_t step = 1;
    for (int i = 0; i < 60; i++) {
        static const int64_t mult[] = {1, 2, 5};
        int64_t base = step;
        for (int m = 0; m < 3; m++)
            if ((double)(base * mult[m]) >= want)
                return base * mult[m];
        if (step > INT64_MAX / 20)
            break;
        step *= 10;
    }
    return step;
}

const char *fs_viz_format_tick(int64_t t, int64_t step, char *buf, size_t n)
{
    /* unit from the step's size; decimals just enough to tell ticks apart */
    static const struct {
        int64_t ns;
        const char *name;
    } units[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
    if (t == 0) {
        snprintf(buf, n, "0");
        return buf;
    }
    size_t u = 0;
    /* units[u].ns > step * 10, which overflows for steps near 2^62 */
    while (u + 1 < sizeof units / sizeof units[0] && units[u].ns / 10 > step)
        u++;
    int dec = 0;
    for (int64_t s = units[u].ns; s > step && s > 1 && dec < 9; s /= 10)
        dec++;
    snprintf(buf, n, "%.*f %s", dec, (double)t / (double)units[u].ns, units[u].name);
    return buf;
}

void fs_viz_draw_axis(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_drawlist *dl = &v->dl;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    int y = th->title_h, h = th->axis_h;
    fs_viz_rect(dl, 0, y, v->view.w - th->panel_w, h, th->panel_bg);
    fs_viz_line(dl, tl.x, y + h - 1, tl.x + tl.w, y + h - 1, th->border);
    fs_viz_text(dl, 8, y + (h - th->line_h) / 2, th->text_dim, th->char_w, "simulated time");
    fs_viz_clip(dl, tl.x, y, tl.w, h);
    /* the playhead's time first: a tick label it would cover is left out */
    char ph[48];
    int px = (int)floor(fs_viz_view_x(&v->view, th, v->view.playhead));
    bool ph_on = px >= tl.x - 1 && px <= tl.x + tl.w;
    int bx = 0, tw = 0;
    if (ph_on) {
        fs_format_ns(fs_viz_ns(round(v->view.playhead)), ph, sizeof ph);
        tw = fs_viz_text_cols(ph, strlen(ph)) * th->char_w + 8;
        bx = px + 4 + tw > tl.x + tl.w ? px - 4 - tw : px + 4;
    }
    int64_t step = fs_viz_tick_step(v->view.t1 - v->view.t0, tl.w, th->tick_min_px);
    char buf[48];
    /* counted in steps, in double, and labelled only up to 6e18 ns: a window
     * zoomed or panned past 2^63 ns must not overflow */
    double last = v->view.t1 < 6e18 ? v->view.t1 : 6e18;
    int prev = tl.x - th->char_w;  /* the right end of the last label drawn */
    for (double k = ceil(v->view.t0 / (double)step); k * (double)step <= last; k++) {
        int64_t t = fs_viz_ns(k * (double)step);
        int x = (int)floor(fs_viz_view_x(&v->view, th, (double)t));
        fs_viz_line(dl, x, y + h - 8, x, y + h - 1, th->text_dim);
        fs_viz_format_tick(t, step, buf, sizeof buf);
        /* right of its tick, or left of it at the timeline's right edge;
         * a label that would run into the playhead's or the one before is
         * not drawn (its tick still is) */
        int lw = fs_viz_text_cols(buf, strlen(buf)) * th->char_w;
        int lx = x + 3 + lw > tl.x + tl.w ? x - 3 - lw : x + 3;
        bool hidden = lx < prev + th->char_w || (ph_on && lx < bx + tw + 2 && lx + lw + 2 > bx);
        if (!hidden) {
            fs_viz_text(dl, lx, y + 3, th->text, th->char_w, buf);
            prev = lx + lw;
        }
    }
    /* the playhead's handle and time */
    if (ph_on) {
        fs_viz_rect(dl, px - 1, y + h / 2, 2, h - h / 2, th->playhead);
        fs_viz_rect(dl, bx, y + h - th->line_h - 3, tw, th->line_h + 2, th->playhead);
        fs_viz_text(dl, bx + 4, y + h - th->line_h - 2, th->text_inv, th->char_w, ph);
    }
    fs_viz_clip(dl, 0, 0, 0, 0);
}

/* ---- the side panel ------------------------------------------------------ */

/* Is the worker's thread off the CPU at t (--cpus, or a worker fault's
 * pause)? The span, or NULL. (Spans in time order.) */
static const fs_trace_span *fs__preempted_at(const fs_trace_worker *wk, int64_t t)
{
    size_t lo = 0, hi = wk->n_preempts;
    while (lo < hi) { /* the first span ending after t */
        size_t mid = lo + (hi - lo) / 2;
        if (wk->preempts[mid].end <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < wk->n_preempts && wk->preempts[lo].t <= t ? &wk->preempts[lo] : NULL;
}

static void fs__trace_panel(fs_viz_viewer *v, size_t b, fs_viz_pen *p)
{
    const fs_viz_theme *th = p->th;
    const fs_trace *tr = v->traces[b];
    const fs_viz_state *st = &v->states[b];
    const fs_viz_counters *c = &st->counters;
    char n1[32], n2[32], n3[32], tb[32];
    fs_viz_rect(p->dl, p->x - 8, p->y, p->w + 16, th->line_h + 4, th->panel_head);
    p->y += 2;
    char ended[48] = "";
    if (tr->summary.end_ns > 0 && st->t > tr->summary.end_ns) {
        char e[32];  /* its figures stop there (a longer run's playhead) */
        snprintf(ended, sizeof ended, " (ended at %s)", fs_format_ns(tr->summary.end_ns, e, sizeof e));
    }
    fs_viz_pen_line(p, 0, th->text_inv, "%s at %s%s", fs_trace_str(tr, tr->executor),
             fs_format_ns(st->t, tb, sizeof tb), ended);
    p->y += 4;
    fs_viz_pen_line(p, 0, th->text, "polls %s   wasted %s   wakes %s", fs_format_count(c->polls, n1, sizeof n1),
             fs_format_count(c->wasted, n2, sizeof n2), fs_format_count(c->wakes, n3, sizeof n3));
    char pct[32];
    fs_viz_pen_line(p, 0, th->text, "CPU busy %s  (%s of CPU time)", fs_format_percent(c->cpu_busy, pct, sizeof pct),
             fs_format_ns(c->busy_ns, tb, sizeof tb));
    /* the ready queue, oldest first: as many names as the line holds, then
     * an ellipsis (the count is in the parentheses) */
    char q[400];
    size_t o = 0;
    q[0] = '\0';
    char head[48];
    int cols = p->w / th->char_w - snprintf(head, sizeof head, "ready queue (%zu): ", st->n_ready);
    for (size_t i = 0; i < st->n_ready && o + 40 < sizeof q; i++) {
        const char *name = fs_trace_str(tr, tr->tasks[st->ready[i]].name);
        bool last = i + 1 == st->n_ready;
        if ((int)(o + (i ? 2 : 0) + strlen(name) + (last ? 0 : 3)) > cols) {
            snprintf(q + o, sizeof q - o, "%s\xE2\x80\xA6", i ? ", " : "");
            break;
        }
        o += (size_t)snprintf(q + o, sizeof q - o, "%s%s", i ? ", " : "", name);
    }
    fs_viz_pen_line(p, 0, th->text, "ready queue (%zu): %s", st->n_ready, st->n_ready ? q : "empty");
    if (fs_viz_trace_has_steal(tr)) {
        /* steal:N: each worker's local run queue at the playhead (its
         * depth, from the trace), and the queued tasks that worker polls
         * next, oldest first (the trace records no queue's contents: a task
         * is listed under the worker whose poll takes it off a queue) */
        int64_t now = fs_viz_ns(floor(st->t));
        size_t per[16] = {0}, seen[16] = {0};
        bool full[16] = {false};
        char names[16][160];
        int open = 0;  /* workers whose line still takes names */
        for (int w = 0; w < 16; w++) {
            names[w][0] = '\0';
            per[w] = w < st->n_workers ? st->next_on[w] : 0;
            open += per[w] > 0;
        }
        int ncols = p->w / th->char_w - 22;
        /* the state counts them; the names, oldest first, only until every
         * line is full or has all of its worker's (not the whole queue) */
        for (size_t i = 0; i < st->n_ready && open > 0; i++) {
            int w = st->tasks[st->ready[i]].next_worker;
            if (w < 0 || w >= 16 || full[w])
                continue;
            size_t len = strlen(names[w]);
            const char *name = fs_trace_str(tr, tr->tasks[st->ready[i]].name);
            full[w] = (int)(len + strlen(name) + 7) > ncols;
            if (!full[w])
                snprintf(names[w] + len, sizeof names[w] - len, "%s%s", len ? ", " : "", name);
            else
                snprintf(names[w] + len, sizeof names[w] - len, "%s", len ? ", ..." : "...");
            if (full[w] || ++seen[w] == per[w])
                open--;
        }
        for (int w = 0; w < tr->workers && w < 16; w++) {
            int64_t d = fs_trace_queue_depth_at(&tr->workers_v[w], now);
            const fs_trace_span *off = fs__preempted_at(&tr->workers_v[w], now);
            fs_viz_pen_line(p, 0, th->text, "worker %d local queue: %lld task%s%s", w, (long long)d,
                            d == 1 ? "" : "s",
                            !off ? "" : fs_trace_pause_at(&tr->workers_v[w], off->t) ? " (paused)"
                                                                                    : " (preempted)");
            if (per[w])
                fs_viz_pen_line(p, 0, th->text_dim, "   polls next (%zu): %s", per[w], names[w]);
        }
        /* the driver: the last turn at or before the playhead that fired */
        int drv = -1;
        int64_t drv_t = -1;
        for (int w = 0; w < tr->workers; w++) {
            size_t j = fs_trace_driver_first_at(&tr->workers_v[w], now + 1);
            if (j > 0 && tr->workers_v[w].drivers[j - 1].t > drv_t) {
                drv_t = tr->workers_v[w].drivers[j - 1].t;
                drv = w;
            }
        }
        if (drv >= 0)
            fs_viz_pen_line(p, 0, th->text, "driver: last turned by worker %d at %s", drv, fs_format_ns(drv_t, tb, sizeof tb));
        if (tr->workers > 16)
            fs_viz_pen_line(p, 0, th->text_dim, "   (%d more workers)", tr->workers - 16);
    }
    p->y += 3;
    /* the tasks, from the panel's scroll on (the wheel over the panel);
     * what does not fit is counted on a last line */
    size_t first = (size_t)v->panel_scroll < tr->n_tasks ? (size_t)v->panel_scroll : 0;
    if (first > 0) {
        fs_format_count((int64_t)first, n1, sizeof n1);
        bool room = (int)(strlen(n1) + 38) * th->char_w <= p->w;
        fs_viz_pen_line(p, 0, th->text_dim, "... %s tasks above%s", n1, room ? " (the wheel scrolls)" : "");
    }
    for (size_t i = first; i < tr->n_tasks; i++) {
        const fs_viz_task_state *ts = &st->tasks[i];
        const char *name = fs_trace_str(tr, tr->tasks[i].name);
        const char *phase = ts->spinning ? "spinning (busy loop)"
                                         : fs_viz_task_phase_name((fs_viz_task_phase)ts->phase);
        bool bad = ts->phase == FS_TASK_STALLED;
        /* its lines (each may wrap), then one for "N more" unless it is
         * the last: when they do not all fit, that line counts the rest */
        char l[2][400];
        fs_viz_color lc = th->text_dim;
        int nl = 1;
        l[1][0] = '\0';
        snprintf(l[0], sizeof l[0], "%-14s %s", name, phase);
        if (ts->phase == FS_TASK_DONE) {
            const fs_trace_task *t = &tr->tasks[i];
            const fs_trace_slice *last = t->n_slices ? &t->slices[t->n_slices - 1] : NULL;
            if (t->error) { /* its result is an error, not a value */
                lc = th->warn;
                snprintf(l[1], sizeof l[1], "   at %s, error: %s", fs_format_ns(t->complete_t, tb, sizeof tb),
                         fs_trace_str(tr, t->error));
            } else {
                snprintf(l[1], sizeof l[1], "   at %s, value %lld", fs_format_ns(t->complete_t, tb, sizeof tb),
                         last ? (long long)last->value : 0LL);
            }
            nl = 2;
        } else if (ts->phase == FS_TASK_RUNNING && !ts->spinning) {
            /* in a poll: where it will stand when the poll ends, not as if
             * it were there already (its waker goes to a device at the end) */
            const fs_trace_task *t = &tr->tasks[i];
            size_t k = fs_trace_task_first_starting_at(t, st->t + 1);
            const fs_trace_slice *s = k ? &t->slices[k - 1] : NULL;
            nl = 2;
            if (s && s->ready)
                snprintf(l[1], sizeof l[1], "   polling since %s; it completes at the poll's end",
                         fs_format_ns(ts->since, tb, sizeof tb));
            else
                snprintf(l[1], sizeof l[1], "   polling since %s; then at %s", fs_format_ns(ts->since, tb, sizeof tb),
                         ts->await ? fs_trace_str(tr, ts->await) : "?");
        } else if (ts->phase != FS_TASK_UNBORN) {
            const char *await = ts->await ? fs_trace_str(tr, ts->await) : "(not polled yet)";
            nl = 2;
            if (ts->waker_res >= 0) {
                snprintf(l[1], sizeof l[1], "   at %s; waker held by %s", await,
                         fs_trace_str(tr, tr->resources[ts->waker_res].name));
            } else if (ts->phase == FS_TASK_WAITING || ts->phase == FS_TASK_STALLED) {
                lc = th->warn;
                snprintf(l[1], sizeof l[1], "   at %s; no waker registered!", await);
            } else {
                snprintf(l[1], sizeof l[1], "   at %s", await);
            }
        }
        int need = fs_viz_pen_count(p, 0, l[0], 3) + (nl > 1 ? fs_viz_pen_count(p, 0, l[1], 3) : 0) +
                   (i + 1 < tr->n_tasks ? 1 : 0);
        if (p->y + need * th->line_h > p->bottom) {
            fs_format_count((int64_t)(tr->n_tasks - i), n1, sizeof n1);
            bool room = (int)(strlen(n1) + 37) * th->char_w <= p->w;
            fs_viz_pen_line(p, 0, th->text_dim, "... %s more tasks%s", n1, room ? " (the wheel scrolls)" : "");
            break;
        }
        fs_viz_pen_text(p, 0, bad ? th->warn : th->text, l[0], 3);
        if (nl > 1)
            fs_viz_pen_text(p, 0, lc, l[1], 3);
    }
    p->y += 8;
}

void fs_viz_draw_panel(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    int x = v->view.w - th->panel_w;
    int h = v->view.h - th->title_h - th->legend_h;
    fs_viz_rect(&v->dl, x, th->title_h, th->panel_w, h, th->panel_bg);
    fs_viz_line(&v->dl, x, th->title_h, x, th->title_h + h, th->border);
    fs_viz_pen p = {.dl = &v->dl, .th = th, .x = x + 10, .y = th->title_h + 8, .w = th->panel_w - 20,
                 .bottom = v->view.h - th->legend_h - 4};
    fs_viz_clip(&v->dl, x, th->title_h, th->panel_w, h);
    if (v->sel_task >= 0) {
        /* a clicked task: its detail takes the whole panel */
        fs_viz_draw_detail(v, p.x, p.y, p.w, p.bottom);
        fs_viz_clip(&v->dl, 0, 0, 0, 0);
        return;
    }
    p.y = fs_viz_draw_warnings(v, p.x, p.y, p.w, p.bottom);
    fs_viz_pen_line(&p, 0, th->text_dim, "%s", p.w >= 46 * th->char_w ? "At the playhead (click a task for its detail):"
                                     : p.w >= 38 * th->char_w ? "At the playhead (click a task: detail):"
                                                              : "At the playhead:");
    p.y += 4;
    int share = (p.bottom - p.y) / (int)(v->n_traces ? v->n_traces : 1);
    for (size_t b = 0; b < v->n_traces; b++) {
        int top = p.y;
        p.bottom = top + share;
        fs__trace_panel(v, b, &p);
        p.y = top + share > p.y ? p.y : top + share;
    }
    fs_viz_clip(&v->dl, 0, 0, 0, 0);
}

/* ---- title bar, legend, tooltip, help ------------------------------------ */

static void fs__title(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_drawlist *dl = &v->dl;
    fs_viz_rect(dl, 0, 0, v->view.w, th->title_h, th->panel_head);
    int y = (th->title_h - th->line_h) / 2;
    char a[32], b[32];
    double speed = fs_viz_view_speed(&v->view);
    fs_format_ns(fs_viz_ns(round(v->view.playhead)), a, sizeof a);
    fs_format_ns(fs_viz_ns(round(speed)), b, sizeof b);
    char right[160], left[300];
    snprintf(left, sizeof left, "futurescope  |  %s", v->title);
    snprintf(right, sizeof right, "%s%s  %s  |  speed: %s per real second  |  h: help",
             v->watching ? "watching the files  |  " : "", v->view.playing ? "playing" : "paused", a, b);
    int lw = (fs_viz_text_cols(left, strlen(left)) + 4) * th->char_w;
    int w = fs_viz_text_cols(right, strlen(right)) * th->char_w;
    if (lw + w > v->view.w) {  /* narrow: the essentials only */
        snprintf(right, sizeof right, "%s%s %s | %s/s | h: help", v->watching ? "watching | " : "",
                 v->view.playing ? "playing" : "paused", a, b);
        w = fs_viz_text_cols(right, strlen(right)) * th->char_w;
    }
    /* the scenario's name gives way to the playhead's state */
    fs_viz_text_fit(left, sizeof left, (v->view.w - w - 30) / th->char_w);
    fs_viz_text(dl, 10, y, th->text_inv, th->char_w, left);
    fs_viz_text(dl, v->view.w - w - 10, y, th->text_inv, th->char_w, right);
}

/* The legend's entries; short labels are used when the long ones do not
 * fit the window's width on one row. */
typedef struct fs__legend_item {
    const char *label, *short_label;
    int kind;  /* 0 box, 1 short box, 2 tick, 3 arrow, 4 hatched, 5 folded */
} fs__legend_item;

static const fs__legend_item fs__legend_items[] = {
    {"poll: pending", "pending", 1},
    {"poll: ready", "ready", 0},
    {"spin: \xC3\x97N pending polls", "spin \xC3\x97N", 4},
    {"compute in poll", "compute", 0},
    {"polls < 3 px, folded", "folded", 5},
    {"worker busy", "busy", 0},
    {"parked", "parked", 4},
    {"device event", "device", 2},
    {"wake -> the poll it causes", "wake", 3},
    {"warning", "warning", 6},
    {"woken, queued, not yet polled", "queued", 10},
    /* steal:N only (shown when a trace has them) */
    {"driver turn: N events delivered", "driver", 7},
    {"local run queue depth", "queue", 8},
    {"coop budget spent: yield", "budget", 9},
};
#define FS__LEGEND_STEAL 3
#define FS__LEGEND_ALL (sizeof fs__legend_items / sizeof fs__legend_items[0])

/* The legend's length: steal:N's entries only when a trace has them. */
static size_t fs__legend_n(const fs_viz_viewer *v)
{
    for (size_t i = 0; i < v->n_traces; i++)
        if (fs_viz_trace_has_steal(v->traces[i]))
            return FS__LEGEND_ALL;
    return FS__LEGEND_ALL - FS__LEGEND_STEAL;
}

#define FS__LEGEND_WAKE 8

/* An entry's label. The wake entry says when a band has too many arrows
 * to draw them all (timeline.c): "wake arrows: selected task only (240
 * hidden)". Its room is kept whenever a trace has more wakes than the
 * limit, with the count at its largest, so the legend does not reflow as
 * the window pans. */
static const char *fs__legend_label(const fs_viz_viewer *v, size_t i, bool short_labels, bool fit,
                                    char *buf, size_t n)
{
    const fs__legend_item *it = &fs__legend_items[i];
    size_t wakes = 0;
    for (size_t k = 0; i == FS__LEGEND_WAKE && k < v->n_traces; k++)
        wakes += v->traces[k]->n_wakes;
    if (i != FS__LEGEND_WAKE || (fit ? wakes <= FS_VIZ_WAKE_ARROWS_MAX : !v->wakes_hidden))
        return short_labels ? it->short_label : it->label;
    char c[32];
    fs_format_count((int64_t)(fit ? wakes : v->wakes_hidden), c, sizeof c);
    snprintf(buf, n, short_labels ? "wake: selected only (%s hidden)" : "wake arrows: selected task only (%s hidden)", c);
    return buf;
}

static int fs__legend_width(const fs_viz_viewer *v, bool short_labels, bool fit, size_t from, size_t to)
{
    int w = 8;
    char buf[96];
    for (size_t i = from; i < to; i++) {
        const char *l = fs__legend_label(v, i, short_labels, fit, buf, sizeof buf);
        w += 24 + fs_viz_text_cols(l, strlen(l)) * v->theme.char_w + 18;
    }
    return w;
}

/* Long labels on one row, else short ones, else short ones on two rows. */
static void fs__legend_fit(const fs_viz_viewer *v, bool *short_labels, int *rows)
{
    size_t n = fs__legend_n(v);
    *short_labels = fs__legend_width(v, false, true, 0, n) > v->view.w;
    *rows = *short_labels && fs__legend_width(v, true, true, 0, n) > v->view.w ? 2 : 1;
}

void fs_viz_legend_fit(fs_viz_viewer *v)
{
    bool sl;
    int rows;
    fs_viz_theme d;
    fs_viz_theme_default(&d);
    fs__legend_fit(v, &sl, &rows);
    v->theme.legend_h = rows * d.legend_h;
}

static void fs__legend(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_drawlist *dl = &v->dl;
    int y0 = v->view.h - th->legend_h;
    int w = v->view.w;
    bool sl;
    int rows;
    fs__legend_fit(v, &sl, &rows);
    int row_h = th->legend_h / rows;
    fs_viz_rect(dl, 0, y0, w, th->legend_h, th->panel_bg);
    fs_viz_line(dl, 0, y0, w, y0, th->border);
    fs_viz_clip(dl, 0, y0, w, th->legend_h);
    size_t n = fs__legend_n(v);
    size_t per_row = (n + (size_t)rows - 1) / (size_t)rows;
    for (size_t i = 0; i < n; i++) {
        int row = (int)(i / per_row);
        int y = y0 + row * row_h;
        int x = 8 + fs__legend_width(v, sl, false, row * per_row, i) - 8;
        int ty = y + (row_h - th->line_h) / 2, sy = y + 8, sh = row_h - 16;
        const fs__legend_item *it = &fs__legend_items[i];
        switch (it->kind) {
        case 1: fs_viz_rect(dl, x, sy + sh / 4, 18, sh - sh / 2, th->pending); break;
        case 2: fs_viz_rect(dl, x + 6, sy - 2, 3, sh + 4, th->io); break;
        case 3: fs_viz_arrow(dl, x, sy + sh, x + 16, sy, th->wake); break;
        case 4:
            if (i == 2)
                fs_viz_hatch(dl, x, sy, 18, sh, th->spin, th->spin_stripe);
            else
                fs_viz_hatch(dl, x, sy, 18, sh, th->parked, th->parked_stripe);
            break;
        case 5:
            fs_viz_rect(dl, x, sy, 18, sh, th->folded);
            fs_viz_rect(dl, x, sy, 18, 2, th->folded_mark);
            break;
        case 6:
            fs_viz_rect(dl, x + 3, ty, th->char_w + 6, th->line_h, th->warn);
            fs_viz_text(dl, x + 6, ty, th->text_inv, th->char_w, "!");
            break;
        case 7:
            fs_viz_rect(dl, x + 6, sy - 2, 5, sh + 4, th->driver_edge);
            fs_viz_rect(dl, x + 7, sy - 1, 3, sh + 2, th->driver);
            break;
        case 8:
            fs_viz_rect(dl, x, sy, 18, sh, th->queue_bg);
            fs_viz_rect(dl, x, sy + sh / 2, 6, sh - sh / 2, th->queue);
            fs_viz_rect(dl, x + 6, sy + 1, 6, sh - 1, th->queue);
            fs_viz_rect(dl, x + 12, sy + sh - 3, 6, 3, th->queue);
            break;
        case 9:
            fs_viz_rect(dl, x + 5, sy + sh / 2 - 3, 7, 7, th->budget);
            break;
        case 10: /* as timeline.c draws a task's wait once it is woken */
            fs_viz_rect(dl, x, sy + sh / 2, 18, 1, th->text_dim);
            fs_viz_rect(dl, x + 6, sy + sh / 2 - 1, 12, 3, th->pending);
            break;
        default: {
            fs_viz_color c = i == 1 ? th->ready : i == 3 ? th->compute : th->worker_busy;
            fs_viz_rect(dl, x, sy, 18, sh, c);
            break;
        }
        }
        char buf[96];
        fs_viz_text(dl, x + 24, ty, v->wakes_hidden && i == FS__LEGEND_WAKE ? th->warn : th->text, th->char_w,
                    fs__legend_label(v, i, sl, false, buf, sizeof buf));
    }
    fs_viz_clip(dl, 0, 0, 0, 0);
}

/* The topmost hit rectangle under the pointer, or NULL. */
static const fs_viz_cmd *fs__hover(const fs_viz_viewer *v)
{
    if (!v->view.mouse_in || v->view.drag != FS_DRAG_NONE)
        return NULL;
    int mx = v->view.mouse_x, my = v->view.mouse_y;
    if (mx >= v->view.w - v->theme.panel_w)
        return NULL;
    for (size_t i = v->dl.n; i-- > 0;) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if (c->hit == FS_HIT_NONE || c->type == FS_DRAW_TEXT || c->type == FS_DRAW_LINE ||
            c->type == FS_DRAW_ARROW)
            continue;
        int pad = c->w < 5 ? 2 : 0;  /* thin marks are hard to hit */
        if (mx >= c->x - pad && mx < c->x + c->w + pad && my >= c->y && my < c->y + c->h)
            return c;
    }
    return NULL;
}

static int fs__describe(const fs_viz_viewer *v, const fs_viz_cmd *c, char lines[][160], int max)
{
    const fs_trace *tr = v->traces[c->trace];
    char a[32], b[32], n[32];
    int k = 0;
    switch (c->hit) {
    case FS_HIT_SLICE: {
        const fs_trace_task *t = &tr->tasks[c->lane];
        const fs_trace_slice *s = &t->slices[c->item];
        static const char *kinds[] = {"poll -> pending", "poll -> ready", "spin", "compute poll"};
        snprintf(lines[k++], 160, "%s: %s", fs_trace_str(tr, t->name), kinds[s->kind]);
        snprintf(lines[k++], 160, "at %s, %s each", fs_format_ns(s->t, a, sizeof a),
                 fs_format_ns(s->dur, b, sizeof b));
        if (s->kind == FS_SLICE_SPIN)
            snprintf(lines[k++], 160, "%s identical pending polls until %s",
                     fs_format_count(s->count, n, sizeof n), fs_format_ns(s->end, a, sizeof a));
        snprintf(lines[k++], 160, "await point: %s", fs_trace_str(tr, s->state));
        if (s->ready)
            snprintf(lines[k++], 160, "value: %lld", (long long)s->value);
        if (s->wasted)
            snprintf(lines[k++], 160, "wasted polls: %s (not woken since the last poll)",
                     fs_format_count(s->wasted, n, sizeof n));
        break;
    }
    case FS_HIT_FOLD: {
        const fs_trace_task *t = &tr->tasks[c->lane];
        snprintf(lines[k++], 160, "%s: %s polls folded (each under 3 px)",
                 fs_trace_str(tr, t->name), fs_format_count(c->count, n, sizeof n));
        snprintf(lines[k++], 160, "from %s; zoom in to see them",
                 fs_format_ns(t->slices[c->item].t, a, sizeof a));
        break;
    }
    case FS_HIT_IO: {
        const fs_trace_resource *r = &tr->resources[c->lane];
        const fs_trace_io *io = &r->io[c->item];
        snprintf(lines[k++], 160, "%s %s: %s", fs_trace_str(tr, r->kind), fs_trace_str(tr, r->name),
                 fs_trace_str(tr, io->what));
        snprintf(lines[k++], 160, "at %s", fs_format_ns(io->t, a, sizeof a));
        if (io->fault && io->has_value)
            snprintf(lines[k++], 160, "the event comes %s later (a latency fault)",
                     fs_format_ns(io->value, a, sizeof a));
        else if (io->fault)
            snprintf(lines[k++], 160, "a fault fired on the event due then (docs/scenarios.md, Faults)");
        else if (io->has_value)
            snprintf(lines[k++], 160, "value: %lld", (long long)io->value);
        break;
    }
    case FS_HIT_PARK:
    case FS_HIT_PREEMPT:
    case FS_HIT_WORKER_BUSY: {
        const fs_trace_worker *w = &tr->workers_v[c->lane];
        const fs_trace_span *s = c->hit == FS_HIT_PARK      ? &w->parks[c->item]
                                 : c->hit == FS_HIT_PREEMPT ? &w->preempts[c->item]
                                                            : &w->busy[c->item];
        int64_t pause = c->hit == FS_HIT_PREEMPT ? fs_trace_pause_at(w, s->t) : 0;
        if (pause)
            snprintf(lines[k++], 160, "worker %d paused (worker fault: %s)", c->lane,
                     fs_format_ns(pause, b, sizeof b));
        else
            snprintf(lines[k++], 160, "worker %d %s", c->lane,
                     c->hit == FS_HIT_PARK      ? "parked: nothing to poll"
                     : c->hit == FS_HIT_PREEMPT ? "preempted: its thread waits for a CPU (--cpus, --hand-over)"
                                                : "busy polling");
        snprintf(lines[k++], 160, "from %s for %s", fs_format_ns(s->t, a, sizeof a),
                 fs_format_ns(s->end - s->t, b, sizeof b));
        break;
    }
    case FS_HIT_COUNTER:
        k = fs_viz_describe_counter(v, c->trace, v->view.mouse_x, lines, max);
        break;
    case FS_HIT_WORKER_POLL:
        k = fs_viz_describe_worker_poll(v, c->trace, c->lane, c->item, lines, max);
        break;
    case FS_HIT_JOB: {
        const fs_trace_job *j = &tr->bthreads[c->lane].jobs[c->item];
        snprintf(lines[k++], 160, "blocking thread %d: %s (job %lld)", c->lane, fs_trace_str(tr, j->name),
                 (long long)j->job);
        snprintf(lines[k++], 160, "spawn_blocking in %s", fs_trace_str(tr, tr->tasks[j->task].name));
        snprintf(lines[k++], 160, "from %s for %s", fs_format_ns(j->t, a, sizeof a),
                 fs_format_ns(j->end - j->t, b, sizeof b));
        if (j->queued)
            snprintf(lines[k++], 160, "waited %s for a thread (all busy)", fs_format_ns(j->queued, a, sizeof a));
        if (j->new_thread)
            snprintf(lines[k++], 160, "the pool started this thread for it");
        break;
    }
    case FS_HIT_STEAL: {
        const fs_trace_worker *w = &tr->workers_v[c->lane];
        const fs_trace_steal *s = &w->steals[c->item], *e = &w->steals[c->item + c->count - 1];
        int64_t moved = 0;
        for (int64_t i = 0; i < c->count; i++)
            moved += s[i].count;
        snprintf(lines[k++], 160, "steal: worker %d took %s task%s from worker %d", c->lane,
                 fs_format_count(moved, n, sizeof n), moved == 1 ? "" : "s", s->victim);
        if (c->count > 1)
            snprintf(lines[k++], 160, "%lld steals, %s to %s", (long long)c->count, fs_format_ns(s->t, a, sizeof a),
                     fs_format_ns(e->t, b, sizeof b));
        else
            snprintf(lines[k++], 160, "at %s", fs_format_ns(s->t, a, sizeof a));
        snprintf(lines[k++], 160, "from the head of the victim's local queue (tokio: half of it)");
        break;
    }
    case FS_HIT_DRIVER: {
        const fs_trace_worker *w = &tr->workers_v[c->lane];
        const fs_trace_driver *d = &w->drivers[c->item], *e = &w->drivers[c->item + c->count - 1];
        int64_t fired = e->fired_before + e->fired - d->fired_before;
        if (c->count == 1)
            snprintf(lines[k++], 160, "driver turn: %s event%s delivered", fs_format_count(fired, n, sizeof n),
                     fired == 1 ? "" : "s");
        else
            snprintf(lines[k++], 160, "%lld driver turns: %s events delivered", (long long)c->count,
                     fs_format_count(fired, n, sizeof n));
        snprintf(lines[k++], 160, "worker %d at %s%s%s", c->lane, fs_format_ns(d->t, a, sizeof a),
                 c->count > 1 ? " to " : "", c->count > 1 ? fs_format_ns(e->t, b, sizeof b) : "");
        snprintf(lines[k++], 160, "it took the timer/I-O driver; the wakes go to its own queue");
        break;
    }
    case FS_HIT_GROUP:
        k = fs_viz_describe_group(v, c->lane, v->view.mouse_x, lines, max);
        break;
    case FS_HIT_QUEUE: {
        double t = fs_viz_view_t(&v->view, &v->theme, v->view.mouse_x);
        int64_t d = fs_trace_queue_depth_at(&tr->workers_v[c->lane], t < 0 ? 0 : fs_viz_ns(floor(t)));
        snprintf(lines[k++], 160, "worker %d local run queue: %lld task%s", c->lane, (long long)d,
                 d == 1 ? "" : "s");
        snprintf(lines[k++], 160, "at %s (the graph: the most in each pixel)",
                 fs_format_ns(t < 0 ? 0 : fs_viz_ns(floor(t)), a, sizeof a));
        break;
    }
    case FS_HIT_BUDGET: {
        const fs_trace_task *t = &tr->tasks[c->lane];
        const fs_trace_budget *bu = &t->budgets[c->item];
        if (c->count == 1)
            snprintf(lines[k++], 160, "coop budget spent: yields");
        else
            snprintf(lines[k++], 160, "coop budget spent: %lld yields here (zoom in)", (long long)c->count);
        snprintf(lines[k++], 160, "%s at %s on worker %d", fs_trace_str(tr, t->name),
                 fs_format_ns(bu->t, a, sizeof a), bu->worker);
        snprintf(lines[k++], 160, "a leaf found tokio's budget used up, so the");
        snprintf(lines[k++], 160, "task woke itself and went to the back of the queue");
        break;
    }
    case FS_HIT_WARNING:
        if (c->item >= 0 && (size_t)c->item < v->n_warnings)
            k = fs_viz_describe_warning(v, &v->warnings[c->item], lines, max);
        break;
    default:
        break;
    }
    return k;
}

static void fs__tooltip(fs_viz_viewer *v)
{
    const fs_viz_cmd *c = fs__hover(v);
    if (!c)
        return;
    const fs_viz_theme *th = &v->theme;
    char lines[10][160];
    int n = fs__describe(v, c, lines, 10);
    if (n == 0)
        return;
    int w = 0;
    for (int i = 0; i < n; i++) {
        int cw = fs_viz_text_cols(lines[i], strlen(lines[i])) * th->char_w;
        w = cw > w ? cw : w;
    }
    w += 12;
    int h = n * th->line_h + 8;
    int x = v->view.mouse_x + 14, y = v->view.mouse_y + 16;
    if (x + w > v->view.w)
        x = v->view.mouse_x - w - 4;
    if (y + h > v->view.h)
        y = v->view.mouse_y - h - 4;
    fs_viz_rect(&v->dl, x, y, w, h, th->tooltip_bg);
    fs_viz_frame(&v->dl, x, y, w, h, th->border);
    for (int i = 0; i < n; i++)
        fs_viz_text(&v->dl, x + 6, y + 4 + i * th->line_h, th->text, th->char_w, lines[i]);
}

static const char *fs__help_lines[] = {
    "futurescope viewer",
    "",
    "space          play / pause the playhead",
    "left / right   previous / next event",
    "+ / -          faster / slower (x2 per press)",
    "home / end     start / end of the run",
    "mouse wheel    zoom at the pointer (shift, or over the labels:",
    "               scroll the lanes; over the panel: its list)",
    "drag           pan; drag the axis or the playhead to scrub",
    "f              fit the whole run",
    "s              save a screenshot (PNG)",
    "click a task   its detail: polls, wakes, time split, histograms",
    "w              show / hide the warnings list",
    "g              expand / collapse every lane group",
    "b / shift+b    next / previous band; page up / down",
    "/              find a task: type its name, Enter goes to it",
    "n / N          next / previous match (or Enter again)",
    ". / ,          the selected task's next / previous event",
    "o / shift+o    order task lanes: spawn, end, wake latency, polls",
    "h or ?         this help",
    "Esc            close this help, the search or the detail; quit",
    "q              quit",
    "",
    "Lanes: one per task (its polls), per device (its events),",
    "per worker (busy or parked); in big runs those sharing a name",
    "stem (client#0, client#1..) fold into a group lane (click it)",
    "graphing how many are polling, queued, waiting, done;",
    "under each band its ready queue's depth over time.",
    "Arrows: a wake, from what woke",
    "the task to the poll it caused. Faded: after the playhead.",
    "! marks a warning on a lane (hover it; the panel lists them).",
    "steal:N: framed yellow ticks on a worker are driver turns (N:",
    "events delivered), blue steps under it its local queue depth;",
    "a black square on a task: the coop budget ran out, it yielded.",
};
#define FS__HELP_N (sizeof fs__help_lines / sizeof fs__help_lines[0])

/* Lines of the help that show at once (all of them when the window is
 * tall enough). */
static int fs__help_rows(const fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    int all = (int)FS__HELP_N;
    if (all * th->line_h + 24 <= v->view.h - 20)
        return all;
    int rows = (v->view.h - 20 - 24 - th->line_h - 4) / th->line_h;  /* a line kept for the mark */
    return rows < 1 ? 1 : rows;
}

fs_viz_box fs_viz_help_box(const fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    int cols = 0;  /* as wide as its longest line, so none is cut */
    for (size_t i = 0; i < FS__HELP_N; i++) {
        int c = fs_viz_text_cols(fs__help_lines[i], strlen(fs__help_lines[i]));
        cols = c > cols ? c : cols;
    }
    int rows = fs__help_rows(v);
    int w = cols * th->char_w + 32, h = rows * th->line_h + 24 + (rows < (int)FS__HELP_N ? th->line_h + 4 : 0);
    return (fs_viz_box){(v->view.w - w) / 2, (v->view.h - h) / 2, w, h};
}

static void fs__help(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_box b = fs_viz_help_box(v);
    int rows = fs__help_rows(v), most = (int)FS__HELP_N - rows;
    v->help_scroll = v->help_scroll > most ? most : v->help_scroll < 0 ? 0 : v->help_scroll;
    fs_viz_rect(&v->dl, b.x, b.y, b.w, b.h, th->overlay_bg);
    for (int i = 0; i < rows; i++)
        fs_viz_text(&v->dl, b.x + 16, b.y + 12 + i * th->line_h, th->text_inv, th->char_w,
                    fs__help_lines[v->help_scroll + i]);
    if (most > 0)  /* shorter than the help: it scrolls, and says so */
        fs_viz_text(&v->dl, b.x + 16, b.y + 12 + rows * th->line_h + 4, th->text_dim, th->char_w,
                    v->help_scroll < most ? "\xE2\x96\xBC more below (the wheel scrolls)"
                                          : "\xE2\x96\xB2 more above (the wheel scrolls)");
}

/* A message bar above the legend (a failed --watch reload). */
static void fs__error_bar(fs_viz_viewer *v)
{
    if (!v->error[0])
        return;
    const fs_viz_theme *th = &v->theme;
    int h = th->line_h + 8, y = v->view.h - th->legend_h - h;
    fs_viz_rect(&v->dl, 0, y, v->view.w, h, th->playhead);
    int cols = (v->view.w - 20) / th->char_w;
    char buf[sizeof v->error];
    snprintf(buf, sizeof buf, "%s", v->error);
    if (cols > 0 && cols < (int)sizeof buf && (int)strlen(buf) > cols)
        buf[cols] = '\0';
    fs_viz_text(&v->dl, 10, y + 4, th->text_inv, th->char_w, buf);
}

/* The last key's answer (v->status), over the legend and the search box,
 * cut with an ellipsis when the window is too narrow for it. */
static void fs__status_bar(fs_viz_viewer *v)
{
    if (!v->status[0])
        return;
    const fs_viz_theme *th = &v->theme;
    int h = th->legend_h, y = v->view.h - h;
    fs_viz_rect(&v->dl, 0, y, v->view.w, h, th->tooltip_bg);
    fs_viz_line(&v->dl, 0, y, v->view.w, y, th->border);
    int cols = (v->view.w - 20) / th->char_w;
    char buf[sizeof v->status];
    snprintf(buf, sizeof buf, "%s", v->status);
    fs_viz_text_fit(buf, sizeof buf, cols);
    fs_viz_text(&v->dl, 10, y + (h - th->line_h) / 2, th->text, th->char_w, buf);
}

void fs_viz_draw_chrome(fs_viz_viewer *v)
{
    fs__title(v);
    fs__legend(v);
    fs_viz_draw_search(v);  /* over the legend while it shows */
    fs__status_bar(v);
    fs__error_bar(v);
    fs__tooltip(v);
    if (v->view.help)
        fs__help(v);
}
