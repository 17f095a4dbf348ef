/* counter.c - a band's counter lane: how many of its tasks are queued
 * (woken or spawned, not yet polled: the ready queue) over time, as a step
 * graph. The trace has no line for the ready queue's depth (steal:N's
 * `queue` lines give each worker's local queue only), so it is derived
 * from the lines as state.c and the group lanes tell a task's state: queued
 * from its spawn or a wake until its next poll. Under steal:N that counts
 * every queue at once (LIFO slots, local queues, the injection queue); the
 * hover splits off the local queues' part.
 *
 * The counts come from one group of every task (group.h), built at load;
 * each pixel column shows the most tasks queued at once within it, so a
 * brief burst stays visible zoomed out.
 *
 * The scale: a burst that lasts a moment (every task spawned at once and
 * queued until its first poll) would flatten the rest of the run, so when
 * the queue empties within 1% of the run after its highest burst, and
 * that burst is over 4 times the most tasks queued outside it, the
 * graph's top is that most; columns above it are
 * drawn to the top under a dark cap, and the highest says how many
 * ("▲999"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "viewer.h"

bool fs_viz_counter_build(fs_viz_counter *c, const fs_trace *tr, int trace, const fs_viz_group *groups,
                          size_t n_groups)
{
    c->max = 0;
    if (!fs_viz_group_all_tasks(tr, trace, groups, n_groups, &c->tasks))
        return false;
    const fs_viz_group *g = &c->tasks;
    for (size_t k = 0; k < g->n_times; k++)
        if (g->counts[k][FS_GROUP_QUEUED] > c->max)
            c->max = g->counts[k][FS_GROUP_QUEUED];
    c->scale = c->max;
    /* the highest burst, from the first step at the most to the first with
     * the queue empty: when it lasts under 1% of the run (every task
     * spawned at once), the scale is the most queued outside it */
    size_t peak = 0, empty = g->n_times;
    while (peak < g->n_times && g->counts[peak][FS_GROUP_QUEUED] < c->max)
        peak++;
    for (size_t k = peak; k < g->n_times && empty == g->n_times; k++)
        if (g->counts[k][FS_GROUP_QUEUED] == 0)
            empty = k;
    if (empty == g->n_times || g->n_times < 2 ||
        (g->times[empty] - g->times[peak]) * 100 >= g->times[g->n_times - 1] - g->times[0])
        return true;
    int32_t rest = 0;
    for (size_t k = 0; k < g->n_times; k++)
        if ((k < peak || k >= empty) && g->counts[k][FS_GROUP_QUEUED] > rest)
            rest = g->counts[k][FS_GROUP_QUEUED];
    if (rest < 1)
        rest = 1;
    if (c->max > 4 * rest)  /* clip only a burst that would flatten the rest */
        c->scale = rest;
    return true;
}

void fs_viz_counter_free(fs_viz_counter *c)
{
    fs_viz_group_clear(&c->tasks);
    c->max = 0;
}

int32_t fs_viz_counter_queued_at(const fs_viz_counter *c, int64_t t)
{
    int32_t n[FS_GROUP_STATES];
    size_t i = 0;
    fs_viz_group_column(&c->tasks, t, t, &i, n);
    return n[FS_GROUP_QUEUED];
}

const char *fs_viz_counter_name(const fs_viz_viewer *v, int trace, char *buf, size_t n)
{
    snprintf(buf, n, "%s (0..%d)", fs_viz_trace_has_steal(v->traces[trace]) ? "queued" : "ready queue",
             v->counters[trace].scale > 0 ? v->counters[trace].scale : 1);
    return buf;
}

/* One run of pixel columns [x0, x1) at one count, split at the playhead;
 * a count over the scale is drawn to the top under a dark cap. Returns
 * whether it was clipped. */
static bool fs__run(fs_viz_viewer *v, const fs_viz_lane *ln, int x0, int x1, int32_t n, int32_t scale,
                    double phx, int tl_x)
{
    const fs_viz_theme *th = &v->theme;
    if (x1 <= x0 || n <= 0)
        return false;
    int gh = ln->h - 4;
    bool clipped = n > scale;
    int h = clipped ? gh : (int)((double)n * gh / (double)scale + 0.5);
    h = h < 2 ? 2 : h;  /* one task still shows */
    int y = ln->y + 2 + gh - h;
    if (clipped)
        fs_viz_rect(&v->dl, x0, y - 1, x1 - x0, 3, th->text);
    int cut = (int)floor(phx) + 1;
    cut = cut < x0 ? x0 : cut > x1 ? x1 : cut;
    if (cut > x0)
        fs_viz_rect(&v->dl, x0, y, cut - x0, h, th->pending);
    if (x1 > cut)
        fs_viz_rect(&v->dl, cut, y, x1 - cut, h, fs_viz_fade(th, th->pending, th->future_fade));
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%d", n);
    int tx = x0 < tl_x ? tl_x : x0;
    if (x1 - tx >= (len + 1) * th->char_w + 4)
        fs_viz_text(&v->dl, tx + 3, ln->y + ln->h - th->line_h - 1,
                    tx < phx ? th->text : fs_viz_fade(th, th->text, th->future_fade), th->char_w, buf);
    return clipped;
}

void fs_viz_draw_counter_lane(fs_viz_viewer *v, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = &v->theme;
    const fs_viz_counter *c = &v->counters[ln->trace];
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    fs_viz_cmd *bg = fs_viz_rect(&v->dl, tl.x, ln->y + 1, tl.w, ln->h - 2, th->queue_bg);
    bg->hit = FS_HIT_COUNTER;
    bg->trace = ln->trace;
    bg->lane = ln->trace;
    if (!c->tasks.n_times)
        return;
    double phx = fs_viz_view_x(&v->view, th, v->view.playhead);
    int32_t scale = c->scale > 0 ? c->scale : 1;
    size_t cur = 0;
    int run_x = tl.x, clip_x = -1;
    int32_t run_n = -1, clip_n = 0;
    for (int x = tl.x; x <= tl.x + tl.w; x++) {
        int32_t n[FS_GROUP_STATES] = {0};
        n[FS_GROUP_QUEUED] = -1;  /* past the right edge: ends the last run */
        if (x < tl.x + tl.w) {
            int64_t ta = fs_viz_ns(ceil(fs_viz_view_t(&v->view, th, x)));
            int64_t tb = fs_viz_ns(ceil(fs_viz_view_t(&v->view, th, x + 1)));
            fs_viz_group_column(&c->tasks, ta < 0 ? 0 : ta, tb < 0 ? 0 : tb, &cur, n);
        }
        if (n[FS_GROUP_QUEUED] == run_n)
            continue;
        if (run_n >= 0 && fs__run(v, ln, run_x, x, run_n, scale, phx, tl.x) && run_n > clip_n) {
            clip_x = x;  /* the highest clipped run: its count goes beside it */
            clip_n = run_n;
        }
        run_x = x;
        run_n = n[FS_GROUP_QUEUED];
    }
    if (clip_x >= 0) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "\xE2\x96\xB2%d", clip_n);  /* "▲999" */
        int w = (len - 2) * th->char_w + 4;
        if (clip_x + 2 + w <= tl.x + tl.w) {
            fs_viz_rect(&v->dl, clip_x + 2, ln->y + 1, w, th->line_h, th->bg);
            fs_viz_text(&v->dl, clip_x + 4, ln->y + 1, th->text, th->char_w, buf);
        }
    }
}

int fs_viz_describe_counter(const fs_viz_viewer *v, int trace, int x, char lines[][160], int max)
{
    if (max < 3)
        return 0;
    const fs_trace *tr = v->traces[trace];
    double ft = fs_viz_view_t(&v->view, &v->theme, x);
    int64_t t = ft < 0 ? 0 : fs_viz_ns(floor(ft));
    int32_t n = fs_viz_counter_queued_at(&v->counters[trace], t);
    char a[32];
    int k = 0;
    if (!fs_viz_trace_has_steal(tr)) {
        snprintf(lines[k++], 160, "ready queue: %d task%s at %s", n, n == 1 ? "" : "s", fs_format_ns(t, a, sizeof a));
    } else {
        int64_t local = 0;
        for (int w = 0; w < tr->workers; w++)
            local += fs_trace_queue_depth_at(&tr->workers_v[w], t);
        snprintf(lines[k++], 160, "queued: %d task%s at %s", n, n == 1 ? "" : "s", fs_format_ns(t, a, sizeof a));
        snprintf(lines[k++], 160, "%lld in local queues, %lld in the injection queue or a LIFO slot",
                 (long long)local, (long long)(n - local > 0 ? n - local : 0));
    }
    snprintf(lines[k++], 160, "woken or spawned, not yet polled (the graph: the most in each pixel)");
    return k;
}
