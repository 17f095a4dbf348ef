/* navigate.c - going to a task: its detail open, its lane on screen and
 * some of its life in the time window (search, and the selected task's
 * next and previous events). */
#include <math.h>

#include "viewer.h"

/* Scrolls so the lane lies between its band's pinned header and the
 * bottom of the timeline; a lane already there stays put, one brought in
 * from far away lands a third of the way down, with its neighbours around. */
static void fs__lane_into_view(fs_viz_viewer *v, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    int top = tl.y + th->band_head_h, bottom = tl.y + tl.h;
    if (ln->y >= top && ln->y + ln->h <= bottom)
        return;
    int to = top + (bottom - top) / 3;
    if (to + ln->h > bottom)
        to = bottom - ln->h;
    fs_viz_viewer_scroll_to(v, v->view.scroll_y + ln->y - to);
}

/* When none of [from, to] is in the time window, the window moves (its
 * span kept) so that from sits a tenth of the way in. */
static void fs__time_into_view(fs_viz_view *vw, double from, double to)
{
    if (to >= vw->t0 && from <= vw->t1)
        return;
    double span = vw->t1 - vw->t0;
    vw->t0 = from - span * 0.1;
    vw->t1 = vw->t0 + span;
}

void fs_viz_viewer_goto_task(fs_viz_viewer *v, int trace, int32_t task)
{
    fs_viz_viewer_select(v, trace, task);
    if (v->sel_task < 0)
        return;
    const fs_trace *tr = v->traces[trace];
    const fs_trace_task *t = &tr->tasks[task];
    fs__time_into_view(&v->view, (double)t->spawn_t,
                       (double)(t->complete_t >= 0 ? t->complete_t : tr->summary.end_ns));
    fs_viz_layout(v);
    fs__lane_into_view(v, fs_viz_viewer_task_lane(v, trace, (uint32_t)task));
    v->dirty = true;
}

void fs_viz_viewer_goto_match(fs_viz_viewer *v, int dir)
{
    const fs_viz_match *m = fs_viz_search_step(&v->search, dir);
    if (m)
        fs_viz_viewer_goto_task(v, m->trace, (int32_t)m->task);
}
