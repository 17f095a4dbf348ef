/* steal.c - steal:N's own marks (trace format version 2): on each worker
 * lane its driver turns (a framed tick with the number of device events
 * delivered) and its local run queue's depth over time (a step graph in a
 * strip under the busy/parked row); on task lanes the coop budget yields
 * (a small black square at the start of the poll that yielded).
 *
 * Level of detail as in timeline.c: every array is sorted by time, a binary
 * search finds the visible window, and marks closer than a few pixels are
 * merged by searching for the next one past them, so a frame costs
 * O(pixels * log n) however long the run. Nothing here allocates. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viewer.h"

bool fs_viz_trace_has_steal(const fs_trace *tr)
{
    for (int w = 0; w < tr->workers; w++)
        if (tr->workers_v[w].n_queue || tr->workers_v[w].n_drivers)
            return true;
    return false;
}

int64_t fs_viz_queue_scale(const fs_trace *tr)
{
    int64_t max = 1;
    for (int w = 0; w < tr->workers; w++)
        if (tr->workers_v[w].max_depth > max)
            max = tr->workers_v[w].max_depth;
    return max;
}

typedef struct fs__sctx {
    fs_viz_viewer *v;
    const fs_viz_theme *th;
    fs_viz_box tl;
    int trace;
    double phx;     /* the playhead's x */
} fs__sctx;

static fs__sctx fs__sctx_of(fs_viz_viewer *v, int trace)
{
    fs__sctx c = {.v = v, .th = &v->theme, .trace = trace};
    c.tl = fs_viz_view_timeline(&v->view, c.th);
    c.phx = fs_viz_view_x(&v->view, c.th, v->view.playhead);
    return c;
}

static double fs__x(const fs__sctx *c, double t)
{
    return fs_viz_view_x(&c->v->view, c->th, t);
}

static double fs__t(const fs__sctx *c, double x)
{
    return fs_viz_view_t(&c->v->view, c->th, x);
}

/* Events after the playhead are faded, as everywhere in the timeline. */
static fs_viz_color fs__col(const fs__sctx *c, fs_viz_color col, double x)
{
    return x <= c->phx ? col : fs_viz_fade(c->th, col, c->th->future_fade);
}

static fs_viz_cmd *fs__hit(fs_viz_cmd *cmd, const fs__sctx *c, fs_viz_hit_kind hit, int lane,
                           int64_t item, int64_t count)
{
    cmd->hit = (uint8_t)hit;
    cmd->trace = (int16_t)c->trace;
    cmd->lane = lane;
    cmd->item = item;
    cmd->count = count;
    return cmd;
}

/* ---- the local queue's depth --------------------------------------------- */

/* One run of pixel columns [x0, x1) at one height, split at the playhead. */
static void fs__queue_run(const fs__sctx *c, const fs_viz_lane *ln, int x0, int x1, int64_t depth,
                          int64_t scale)
{
    const fs_viz_theme *th = c->th;
    int sy = ln->y + th->worker_lane_h, sh = th->queue_strip_h - 2;
    if (x1 <= x0 || depth <= 0)
        return;
    int h = (int)((double)depth * sh / (double)scale + 0.5);
    if (h < 2)
        h = 2;  /* one task still shows */
    int y = sy + sh - h + 1;
    int cut = (int)floor(c->phx) + 1;
    cut = cut < x0 ? x0 : cut > x1 ? x1 : cut;
    if (cut > x0) {
        fs_viz_rect(&c->v->dl, x0, y, cut - x0, h, th->queue);
        fs_viz_rect(&c->v->dl, x0, y, cut - x0, 1, th->queue_edge);
    }
    if (x1 > cut) {
        fs_viz_rect(&c->v->dl, cut, y, x1 - cut, h, fs_viz_fade(th, th->queue, th->future_fade));
        fs_viz_rect(&c->v->dl, cut, y, x1 - cut, 1, fs_viz_fade(th, th->queue_edge, th->future_fade));
    }
    /* the number, where the run is wide enough for it */
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)depth);
    if (x1 - x0 >= (n + 1) * th->char_w + 4) {
        int tx = x0 < c->tl.x ? c->tl.x : x0;
        if (x1 - tx >= (n + 1) * th->char_w + 4)
            fs_viz_text(&c->v->dl, tx + 3, sy + sh - th->line_h + 3, fs__col(c, th->text, tx), th->char_w, buf);
    }
}

/* The depth as a step graph, one height per pixel column: the highest
 * depth the column holds (sampled when it holds very many changes).
 * Columns without a change are skipped to the next change in one step. */
static void fs__queue_graph(const fs__sctx *c, const fs_viz_lane *ln, const fs_trace_worker *wk,
                            int64_t scale)
{
    int x = c->tl.x, end = c->tl.x + c->tl.w;
    int run_x = x;
    int64_t run_d = -1;
    while (x < end) {
        int64_t t0 = fs_viz_ns(ceil(fs__t(c, x))), t1 = fs_viz_ns(ceil(fs__t(c, x + 1)));
        size_t i = fs_trace_queue_first_at(wk, t0);
        size_t j = i < wk->n_queue && wk->queue[i].t < t1 ? fs_trace_queue_first_at(wk, t1) : i;
        /* the depth at the column's start, unless it changes right there */
        int64_t d = i && !(i < wk->n_queue && wk->queue[i].t == t0) ? wk->queue[i - 1].depth : 0;
        int next = x + 1;
        if (j > i) {
            size_t stride = (j - i) / 16 + 1;   /* at most 16 samples a column */
            for (size_t k = i; k < j; k += stride)
                d = wk->queue[k].depth > d ? wk->queue[k].depth : d;
            d = wk->queue[j - 1].depth > d ? wk->queue[j - 1].depth : d;
        } else {
            /* no change in this column: the same depth up to the next one */
            double nx = i < wk->n_queue ? floor(fs__x(c, (double)wk->queue[i].t)) : end;
            next = nx > end ? end : nx > x + 1 ? (int)nx : x + 1;
        }
        if (d != run_d) {
            if (run_d >= 0)
                fs__queue_run(c, ln, run_x, x, run_d, scale);
            run_x = x;
            run_d = d;
        }
        x = next;
    }
    if (run_d >= 0)
        fs__queue_run(c, ln, run_x, end, run_d, scale);
}

/* ---- driver turns --------------------------------------------------------- */

/* Turns within this many pixels of a mark's first are part of it. */
enum { FS__DRIVER_GAP = 6 };

size_t fs_viz_driver_mark(const fs_viz_viewer *v, const fs_trace_worker *wk, size_t i, int *x,
                          int64_t *fired)
{
    *x = (int)floor(fs_viz_view_x(&v->view, &v->theme, (double)wk->drivers[i].t));
    size_t j = fs_trace_driver_first_at(
        wk, fs_viz_ns(ceil(fs_viz_view_t(&v->view, &v->theme, *x + FS__DRIVER_GAP))));
    if (j <= i)
        j = i + 1;
    const fs_trace_driver *last = &wk->drivers[j - 1];
    *fired = last->fired_before + last->fired - wk->drivers[i].fired_before;
    return j;
}

/* A tick at each turn, framed so it shows on busy and parked time alike,
 * with the number of events delivered beside it when there is room. Turns
 * within a few pixels of each other are one mark (their events summed). */
static void fs__drivers(const fs__sctx *c, const fs_viz_lane *ln, const fs_trace_worker *wk)
{
    const fs_viz_theme *th = c->th;
    double tb = fs__t(c, c->tl.x + c->tl.w);
    size_t i = fs_trace_driver_first_at(wk, fs_viz_ns(floor(fs__t(c, c->tl.x - FS__DRIVER_GAP))));
    int y = ln->y + 1, h = th->worker_lane_h - 2;
    while (i < wk->n_drivers && (double)wk->drivers[i].t <= tb) {
        int x;
        int64_t fired;
        size_t j = fs_viz_driver_mark(c->v, wk, i, &x, &fired);
        fs_viz_color edge = fs__col(c, th->driver_edge, x), fill = fs__col(c, th->driver, x);
        fs__hit(fs_viz_rect(&c->v->dl, x - 2, y, 5, h, edge), c, FS_HIT_DRIVER, ln->index,
                (int64_t)i, (int64_t)(j - i));
        fs_viz_rect(&c->v->dl, x - 1, y + 1, 3, h - 2, fill);
        char buf[24];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)fired);
        double room = j < wk->n_drivers ? fs__x(c, (double)wk->drivers[j].t) - x : 1e9;
        if (room >= (n + 1) * th->char_w + 6) {
            fs_viz_rect(&c->v->dl, x + 3, y + (h - th->line_h) / 2, n * th->char_w + 3, th->line_h, fs__col(c, th->bg, x));
            fs_viz_text(&c->v->dl, x + 4, y + (h - th->line_h) / 2, edge, th->char_w, buf);
        }
        i = j;
    }
}

void fs_viz_draw_worker_steal(fs_viz_viewer *v, int trace, const fs_viz_lane *ln)
{
    const fs_trace *tr = v->traces[trace];
    if (!fs_viz_trace_has_steal(tr))
        return;
    fs__sctx c = fs__sctx_of(v, trace);
    const fs_trace_worker *wk = &tr->workers_v[ln->index];
    /* the strip, whose hover tells the depth at the pointer */
    fs__hit(fs_viz_rect(&v->dl, c.tl.x, ln->y + c.th->worker_lane_h - 1, c.tl.w, c.th->queue_strip_h,
                        c.th->queue_bg), &c, FS_HIT_QUEUE, ln->index, -1, 0);
    fs__queue_graph(&c, ln, wk, fs_viz_queue_scale(tr));
    fs__drivers(&c, ln, wk);
}

/* ---- steals ----------------------------------------------------------------- */

/* The middle of a worker's queue strip: where its tasks leave and arrive. */
static int fs__strip_mid(const fs_viz_theme *th, const fs_viz_lane *ln)
{
    return ln->y + th->worker_lane_h + th->queue_strip_h / 2;
}

/* A steal as an arrow from the victim's queue strip to the thief's, at the
 * steal's time, labelled with the tasks that moved. Steals of one thief from
 * one victim within a few pixels are one arrow (their counts summed). A
 * victim scrolled out of view (or in a collapsed group) gives a short arrow
 * from a marker beside the thief's lane. */
void fs_viz_draw_steals(fs_viz_viewer *v, int trace)
{
    const fs_trace *tr = v->traces[trace];
    if (!fs_viz_trace_has_steal(tr))
        return;
    fs__sctx c = fs__sctx_of(v, trace);
    const fs_viz_theme *th = c.th;
    enum { GAP = 6 };
    double tb = fs__t(&c, c.tl.x + c.tl.w);
    int top = c.tl.y, bottom = c.tl.y + c.tl.h;
    for (int w = 0; w < tr->workers; w++) {
        const fs_viz_lane *dst = &v->lanes[v->bands[trace].worker_lane[w]];
        if (dst->kind != FS_LANE_WORKER || dst->y + dst->h < top || dst->y > bottom)
            continue;
        const fs_trace_worker *wk = &tr->workers_v[w];
        size_t i = fs_trace_steal_first_at(wk, fs_viz_ns(floor(fs__t(&c, c.tl.x - GAP))));
        while (i < wk->n_steals && (double)wk->steals[i].t <= tb) {
            const fs_trace_steal *s = &wk->steals[i];
            int x = (int)floor(fs__x(&c, (double)s->t));
            int64_t moved = s->count;
            size_t j = i + 1;
            while (j < wk->n_steals && wk->steals[j].victim == s->victim &&
                   fs__x(&c, (double)wk->steals[j].t) < x + GAP)
                moved += wk->steals[j++].count;
            fs_viz_color col = fs__col(&c, th->queue_edge, x);
            const fs_viz_lane *src = s->victim >= 0 && s->victim < tr->workers
                                         ? &v->lanes[v->bands[trace].worker_lane[s->victim]]
                                         : NULL;
            int ty = fs__strip_mid(th, dst);
            int sy;
            if (src && src->kind == FS_LANE_WORKER && src->y + src->h >= top && src->y <= bottom) {
                sy = fs__strip_mid(th, src);
            } else {
                /* from a lane out of view: a marker just outside the thief's lane */
                sy = src && src->y < dst->y ? dst->y - 8 : dst->y + dst->h + 8;
                fs_viz_rect(&v->dl, x - 2, sy - 2, 5, 5, col);
            }
            fs_viz_arrow(&v->dl, x, sy, x, ty, col);
            fs_viz_arrow(&v->dl, x + 1, sy, x + 1, ty, col);
            /* the count on a background box beside the arrow's head */
            char buf[24];
            int n = snprintf(buf, sizeof buf, "%lld", (long long)moved);
            int ly = sy < ty ? ty - th->line_h - 1 : ty + 1;
            fs__hit(fs_viz_rect(&v->dl, x + 3, ly, n * th->char_w + 3, th->line_h, fs__col(&c, th->bg, x)),
                    &c, FS_HIT_STEAL, w, (int64_t)i, (int64_t)(j - i));
            fs_viz_text(&v->dl, x + 4, ly, col, th->char_w, buf);
            i = j;
        }
    }
}

/* ---- coop budget yields ----------------------------------------------------- */

/* A black square at the bottom of the task's lane where the poll that found
 * the budget spent starts; yields within a few pixels are one mark. */
void fs_viz_draw_budget_marks(fs_viz_viewer *v, int trace, const fs_viz_lane *ln)
{
    const fs_trace_task *task = &v->traces[trace]->tasks[ln->index];
    if (!task->n_budgets)
        return;
    fs__sctx c = fs__sctx_of(v, trace);
    const fs_viz_theme *th = c.th;
    enum { GAP = 6, S = 7 };
    double tb = fs__t(&c, c.tl.x + c.tl.w);
    size_t i = fs_trace_budget_first_at(task, fs_viz_ns(floor(fs__t(&c, c.tl.x - GAP))));
    while (i < task->n_budgets && (double)task->budgets[i].t <= tb) {
        int x = (int)floor(fs__x(&c, (double)task->budgets[i].t));
        size_t j = fs_trace_budget_first_at(task, fs_viz_ns(ceil(fs__t(&c, x + GAP))));
        if (j <= i)
            j = i + 1;
        int y = ln->y + ln->h - S - 1;
        fs_viz_frame(&v->dl, x - 1, y - 1, S + 2, S + 2, th->bg);
        fs__hit(fs_viz_rect(&v->dl, x, y, S, S, fs__col(&c, th->budget, x)), &c, FS_HIT_BUDGET,
                ln->index, (int64_t)i, (int64_t)(j - i));
        i = j;
    }
}
