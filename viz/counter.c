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
 * brief burst stays visible zoomed out. */
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
    for (size_t k = 0; k < c->tasks.n_times; k++)
        if (c->tasks.counts[k][FS_GROUP_QUEUED] > c->max)
            c->max = c->tasks.counts[k][FS_GROUP_QUEUED];
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
             v->counters[trace].max > 0 ? v->counters[trace].max : 1);
    return buf;
}

/* One run of pixel columns [x0, x1) at one count, split at the playhead. */
static void fs__run(fs_viz_viewer *v, const fs_viz_lane *ln, int x0, int x1, int32_t n, int32_t scale,
                    double phx, int tl_x)
{
    const fs_viz_theme *th = &v->theme;
    if (x1 <= x0 || n <= 0)
        return;
    int gh = ln->h - 4;
    int h = (int)((double)n * gh / (double)scale + 0.5);
    h = h < 2 ? 2 : h;  /* one task still shows */
    int y = ln->y + 2 + gh - h;
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
    int32_t scale = c->max > 0 ? c->max : 1;
    size_t cur = 0;
    int run_x = tl.x;
    int32_t run_n = -1;
    for (int x = tl.x; x < tl.x + tl.w; x++) {
        int64_t ta = fs_viz_ns(ceil(fs_viz_view_t(&v->view, th, x)));
        int64_t tb = fs_viz_ns(ceil(fs_viz_view_t(&v->view, th, x + 1)));
        int32_t n[FS_GROUP_STATES];
        fs_viz_group_column(&c->tasks, ta < 0 ? 0 : ta, tb < 0 ? 0 : tb, &cur, n);
        if (n[FS_GROUP_QUEUED] != run_n) {
            if (run_n >= 0)
                fs__run(v, ln, run_x, x, run_n, scale, phx, tl.x);
            run_x = x;
            run_n = n[FS_GROUP_QUEUED];
        }
    }
    if (run_n >= 0)
        fs__run(v, ln, run_x, tl.x + tl.w, run_n, scale, phx, tl.x);
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
