/* worker_polls.c - each worker's polls by task: the index (built when a
 * worker lane is first drawn),
 * and the worker lane's poll blocks, each in its task's colour and named
 * when the name fits. Polls narrower than min_slice_px fold into the grey
 * busy span under them (timeline.c draws it), labelled "busy (polling)"
 * where the fold is wide enough, so zoomed out a worker lane looks as it
 * did and zoomed in it says which task each poll runs. */
#include "worker_polls.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "radix.h"
#include "viewer.h"

/* ---- the index ------------------------------------------------------------ */

bool fs_viz_wpolls_build(fs_viz_wpolls *wp, const fs_trace *tr)
{
    memset(wp, 0, sizeof *wp);
    int nw = tr->workers > 0 ? tr->workers : 1;
    size_t *fill = calloc((size_t)nw + 1, sizeof *fill);
    wp->first = calloc((size_t)nw + 1, sizeof *wp->first);
    if (!fill || !wp->first)
        goto fail;
    size_t total = 0;
    for (size_t k = 0; k < tr->n_tasks; k++)
        for (size_t i = 0; i < tr->tasks[k].n_slices; i++) {
            int32_t w = tr->tasks[k].slices[i].worker;
            wp->first[(w >= 0 && w < nw ? w : 0) + 1]++;
            total++;
        }
    for (int w = 0; w < nw; w++)
        wp->first[w + 1] += wp->first[w];
    wp->polls = malloc((total ? total : 1) * sizeof *wp->polls);
    if (!wp->polls)
        goto fail;
    /* task by task, each task's slices in time order ... */
    for (size_t k = 0; k < tr->n_tasks; k++)
        for (size_t i = 0; i < tr->tasks[k].n_slices; i++) {
            const fs_trace_slice *s = &tr->tasks[k].slices[i];
            int w = s->worker >= 0 && s->worker < nw ? s->worker : 0;
            wp->polls[wp->first[w] + fill[w]++] =
                (fs_viz_wpoll){.t = s->t, .end = s->end, .task = (uint32_t)k, .slice = (uint32_t)i};
        }
    for (int w = 0; w < nw; w++) {
        fs_viz_wpoll *p = wp->polls + wp->first[w];
        size_t n = wp->first[w + 1] - wp->first[w];
        /* ... so a stable sort by start leaves equal starts by task, then
         * by slice */
        if (!fs_viz_radix_sort(p, n, sizeof *p, offsetof(fs_viz_wpoll, t)))
            goto fail;
        size_t far = 0;  /* the poll that reaches furthest so far */
        for (size_t i = 0; i < n; i++) {
            if (i && p[i].t < p[far].end)
                p[i].shared = p[far].shared = 1;
            if (!i || p[i].end > p[far].end)
                far = i;
            p[i].reach = p[far].end;
        }
    }
    wp->workers = nw;
    free(fill);
    return true;
fail:
    free(fill);
    fs_viz_wpolls_free(wp);
    return false;
}

const fs_viz_wpolls *fs_viz_wpolls_get(fs_viz_wpolls *wp, const fs_trace *tr)
{
    if (!wp->first && !fs_viz_wpolls_build(wp, tr))
        return NULL;
    return wp;
}

void fs_viz_wpolls_free(fs_viz_wpolls *wp)
{
    free(wp->polls);
    free(wp->first);
    memset(wp, 0, sizeof *wp);
}

size_t fs_viz_wpolls_first_ending_after(const fs_viz_wpolls *wp, int w, int64_t t)
{
    const fs_viz_wpoll *p = wp->polls + wp->first[w];
    size_t lo = 0, hi = wp->first[w + 1] - wp->first[w];
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (p[m].reach <= t)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

/* The first of p[lo..hi) starting at or after t (polls in start order). */
static size_t fs__lower_bound(const fs_viz_wpoll *p, size_t lo, size_t hi, int64_t t)
{
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (p[m].t < t)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

size_t fs_viz_wpolls_first_starting_at(const fs_viz_wpolls *wp, int w, int64_t t)
{
    return fs__lower_bound(wp->polls + wp->first[w], 0, wp->first[w + 1] - wp->first[w], t);
}

_Static_assert((FS_VIZ_TASK_TINTS & (FS_VIZ_TASK_TINTS - 1)) == 0, "FS_VIZ_TASK_TINTS: a power of two");

int fs_viz_task_tint(uint32_t task)
{
    /* Fibonacci hashing: neighbouring ids land far apart in the palette */
    return (int)((task * 2654435761u) >> (32 - __builtin_ctz(FS_VIZ_TASK_TINTS)));
}

int fs_viz_task_tint_beside(uint32_t task, int left)
{
    int k = fs_viz_task_tint(task);
    return k == left ? (k + FS_VIZ_TASK_TINTS / 2) & (FS_VIZ_TASK_TINTS - 1) : k;
}

fs_viz_color fs_viz_task_color(const fs_viz_theme *th, uint32_t task)
{
    return th->task_tint[fs_viz_task_tint(task)];
}

/* ---- drawing ---------------------------------------------------------------- */

typedef struct fs__wctx {
    fs_viz_viewer *v;
    const fs_viz_theme *th;
    fs_viz_box tl;
    double phx;
    int trace;
    int left_tint, left_end;  /* the block drawn last on the lane (tint -1: none touching) */
} fs__wctx;

static double fs__x(const fs__wctx *c, double t)
{
    return fs_viz_view_x(&c->v->view, c->th, t);
}

static double fs__t(const fs__wctx *c, double x)
{
    return fs_viz_view_t(&c->v->view, c->th, x);
}

/* [x0, x1) clamped to a little beyond the timeline (huge zooms stay in int range). */
static void fs__px(const fs__wctx *c, double x0, double x1, int *ox, int *ow)
{
    double lo = c->tl.x - 10, hi = c->tl.x + c->tl.w + 10;
    x0 = x0 < lo ? lo : x0;
    x1 = x1 > hi ? hi : x1;
    *ox = (int)floor(x0);
    *ow = (int)floor(x1) - *ox;
}

/* One poll wide enough to show: a block in its task's colour (faded after
 * the playhead, split where it crosses it), its task's name on it. */
static void fs__block(fs__wctx *c, const fs_viz_lane *ln, const fs_viz_wpoll *p, size_t i)
{
    const fs_viz_theme *th = c->th;
    const fs_trace *tr = c->v->traces[c->trace];
    int x, w;
    fs__px(c, fs__x(c, (double)p->t), fs__x(c, (double)p->end), &x, &w);
    if (w >= 4)
        w--;  /* a pixel of the busy grey between neighbours of one task */
    /* touching the block before it (a grey pixel apart at most): never its colour */
    int tint = fs_viz_task_tint_beside(p->task, x <= c->left_end + 1 ? c->left_tint : -1);
    c->left_tint = tint;
    c->left_end = x + w;
    fs_viz_color col = th->task_tint[tint];
    double ph = c->v->view.playhead;
    int cut = (double)p->end <= ph ? x + w : (double)p->t > ph ? x : (int)floor(c->phx);
    cut = cut < x ? x : cut > x + w ? x + w : cut;
    for (int part = 0; part < 2; part++) {
        int px = part ? cut : x, pw = part ? x + w - cut : cut - x;
        if (pw <= 0)
            continue;
        fs_viz_cmd *cmd = fs_viz_rect(&c->v->dl, px, ln->y + 3, pw, ln->h - 6,
                                      part ? fs_viz_fade(th, col, th->future_fade) : col);
        cmd->hit = FS_HIT_WORKER_POLL;
        cmd->trace = (int16_t)c->trace;
        cmd->lane = ln->index;
        cmd->item = (int64_t)i;
        cmd->count = p->task;
    }
    /* the name, cut with an ellipsis to the block's visible part */
    int lx = x < c->tl.x ? c->tl.x : x, rx = x + w > c->tl.x + c->tl.w ? c->tl.x + c->tl.w : x + w;
    int cols = (rx - lx - 4) / th->char_w;
    if (cols < 3)
        return;
    char name[160];
    snprintf(name, sizeof name, "%s", fs_trace_str(tr, tr->tasks[p->task].name));
    int tw = fs_viz_text_fit(name, sizeof name, cols) * th->char_w;
    fs_viz_color tc = lx + (rx - lx - tw) / 2 < c->phx ? th->text : fs_viz_fade(th, th->text, th->future_fade);
    fs_viz_text(&c->v->dl, lx + (rx - lx - tw) / 2, ln->y + (ln->h - th->line_h) / 2, tc, th->char_w, name);
}

/* A poll drawn as its own block: wide enough, and nobody else's in it. */
static bool fs__wide(const fs__wctx *c, const fs_viz_wpoll *p)
{
    return !p->shared && fs__x(c, (double)p->end) - fs__x(c, (double)p->t) >= c->th->min_slice_px;
}

/* The first of p[from..n) starting at or after t, found by galloping from
 * `from`: a fold's next search lands a few pixels on, so its probes stay
 * near where the last one ended (a binary search over the whole lane
 * missed the cache on nearly every probe). */
static size_t fs__first_starting_from(const fs_viz_wpoll *p, size_t n, size_t from, int64_t t)
{
    size_t lo = from, step = 1, hi = from;
    while (hi < n && p[hi].t < t) {
        lo = hi + 1;
        hi = from + step;
        step *= 2;
    }
    return fs__lower_bound(p, lo, hi < n ? hi : n, t);
}

/* Polls i.. each narrower than min_slice_px (or shared) and close
 * together: left to the busy span under them; returns the last one's index. */
static size_t fs__fold(const fs__wctx *c, const fs_viz_wpoll *p, size_t n, size_t i)
{
    double min = c->th->min_slice_px;
    size_t k = i;
    for (;;) {
        double limit = fs__t(c, fs__x(c, (double)p[k].reach) + min);
        /* every poll up to k starts before limit (past k's reach) */
        size_t j = fs__first_starting_from(p, n, k + 1, fs_viz_ns(ceil(limit)));
        if (j <= k + 1 || j > n)
            break;
        if (fs__wide(c, &p[j - 1])) {
            if (j - 2 > k)
                k = j - 2;
            break;
        }
        k = j - 1;
    }
    return k;
}

void fs_viz_draw_worker_polls(fs_viz_viewer *v, int trace, const fs_viz_lane *ln)
{
    const fs_viz_wpolls *wp = fs_viz_wpolls_get(&v->wpolls[trace], v->traces[trace]);
    if (!wp || ln->index >= wp->workers)
        return;
    fs__wctx c = {.v = v, .th = &v->theme, .trace = trace, .left_tint = -1};
    c.tl = fs_viz_view_timeline(&v->view, c.th);
    c.phx = fs__x(&c, v->view.playhead);
    const fs_viz_theme *th = c.th;
    int wk = ln->index;
    const fs_viz_wpoll *p = wp->polls + wp->first[wk];
    size_t n = wp->first[wk + 1] - wp->first[wk];
    double tb = fs__t(&c, c.tl.x + c.tl.w);
    size_t i = fs_viz_wpolls_first_ending_after(wp, wk, fs_viz_ns(floor(fs__t(&c, c.tl.x))));
    while (i < n && (double)p[i].t <= tb) {
        if (fs__wide(&c, &p[i])) {
            fs__block(&c, ln, &p[i], i);
            i++;
            continue;
        }
        size_t k = fs__fold(&c, p, n, i);
        int x, w;
        fs__px(&c, fs__x(&c, (double)p[i].t), fs__x(&c, (double)p[k].reach), &x, &w);
        c.left_tint = -1;  /* the grey of the folded polls lies between */
        static const char busy[] = "busy (polling)";
        int lx = x < c.tl.x ? c.tl.x : x, tw = (int)strlen(busy) * th->char_w;
        if (x + w - lx - 4 >= tw)
            fs_viz_text(&v->dl, lx + (x + w - lx - tw) / 2, ln->y + (ln->h - th->line_h) / 2,
                        th->text_inv, th->char_w, busy);
        i = k + 1;
    }
}

/* ---- hover ------------------------------------------------------------------- */

const char *fs_viz_format_range(int64_t a, int64_t b, char *buf, size_t n)
{
    char x[32], y[32];
    fs_format_ns(a, x, sizeof x);
    fs_format_ns(b, y, sizeof y);
    /* one unit for both when they share it: "12.003–12.004 ms" */
    const char *ux = strrchr(x, ' '), *uy = strrchr(y, ' ');
    if (ux && uy && strcmp(ux, uy) == 0)
        snprintf(buf, n, "%.*s\xE2\x80\x93%s", (int)(ux - x), x, y);
    else
        snprintf(buf, n, "%s\xE2\x80\x93%s", x, y);
    return buf;
}

int fs_viz_describe_worker_poll(const fs_viz_viewer *v, int trace, int worker, int64_t item,
                                char lines[][160], int max)
{
    const fs_viz_wpolls *wp = &v->wpolls[trace];
    const fs_trace *tr = v->traces[trace];
    if (max < 2 || !wp->first || worker >= wp->workers || item < 0 ||
        (size_t)item >= wp->first[worker + 1] - wp->first[worker])
        return 0;
    const fs_viz_wpoll *p = &wp->polls[wp->first[worker] + (size_t)item];
    const fs_trace_slice *s = &tr->tasks[p->task].slices[p->slice];
    char r[80], n[32];
    snprintf(lines[0], 160, "worker %d polls #%u %s (trace id %u) %s", worker, tr->tasks[p->task].sid,
             fs_trace_str(tr, tr->tasks[p->task].name), p->task, fs_viz_format_range(p->t, p->end, r, sizeof r));
    if (s->kind == FS_SLICE_SPIN)
        snprintf(lines[1], 160, "\xC3\x97%s pending polls (busy loop) at %s", fs_format_count(s->count, n, sizeof n),
                 fs_trace_str(tr, s->state));
    else
        snprintf(lines[1], 160, "%s at %s", s->ready ? "ready" : "pending", fs_trace_str(tr, s->state));
    return 2;
}
