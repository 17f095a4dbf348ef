/* navigate.c - going to a task: its detail open, its lane on screen and
 * some of its life in the time window (search, and the selected task's
 * next and previous events). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
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

/* ---- the selected task's events ------------------------------------------ */

/* Appends one event's name to the status text, " + " between two. */
static void fs__add(char *buf, size_t n, const char *what)
{
    size_t o = strlen(buf);
    snprintf(buf + o, n - o, "%s%s", o ? " + " : "", what);
}

/* What a task does at t, for the status line: "wake from socket:a + poll". */
static void fs__events_at(const fs_trace *tr, const fs_trace_task *t, int64_t at, char *buf, size_t n)
{
    char w[100];
    buf[0] = '\0';
    if (t->spawn_t == at)
        fs__add(buf, n, "spawn");
    for (size_t j = 0; j < t->n_wakes; j++) {
        if (tr->wakes[t->wakes[j]].t == at) {
            snprintf(w, sizeof w, "wake from %s", fs_trace_str(tr, tr->wakes[t->wakes[j]].source));
            fs__add(buf, n, w);
            break;
        }
    }
    size_t i = fs_trace_task_first_starting_at(t, at);
    if (i < t->n_slices && t->slices[i].t == at)
        fs__add(buf, n, t->slices[i].kind == FS_SLICE_SPIN ? "spin" : t->slices[i].ready ? "poll (ready)" : "poll");
    if (t->complete_t == at)
        fs__add(buf, n, "completion");
}

/* Keeps x in *best when it is nearer the playhead on the dir side. */
static void fs__take(int64_t *best, int64_t x, int dir, int64_t after, int64_t before)
{
    if (dir > 0 ? x > after && (*best < 0 || x < *best) : x >= 0 && x < before && x > *best)
        *best = x;
}

/* The nearest of the task's event times after `after` (dir > 0) or before
 * `before`; -1 when none. Each kind is sorted: a binary search each. */
static int64_t fs__next_event(const fs_trace *tr, const fs_trace_task *t, int dir, int64_t after, int64_t before)
{
    int64_t best = -1, bound = dir > 0 ? after + 1 : before;
    fs__take(&best, t->spawn_t, dir, after, before);
    if (t->complete_t >= 0)
        fs__take(&best, t->complete_t, dir, after, before);
    /* polls: a spin (a run of identical polls) counts once, at its start */
    size_t i = fs_trace_task_first_starting_at(t, bound);
    if (dir > 0 && i < t->n_slices)
        fs__take(&best, t->slices[i].t, dir, after, before);
    if (dir < 0 && i > 0)
        fs__take(&best, t->slices[i - 1].t, dir, after, before);
    size_t lo = 0, hi = t->n_wakes;  /* the first wake at or after bound */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->wakes[t->wakes[mid]].t < bound)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (dir > 0 && lo < t->n_wakes)
        fs__take(&best, tr->wakes[t->wakes[lo]].t, dir, after, before);
    if (dir < 0 && lo > 0)
        fs__take(&best, tr->wakes[t->wakes[lo - 1]].t, dir, after, before);
    return best;
}

void fs_viz_viewer_goto_event(fs_viz_viewer *v, int dir)
{
    fs_viz_view *vw = &v->view;
    if (v->sel_task < 0) {
        snprintf(v->status, sizeof v->status, "%s: select a task first (click its lane, or / to find it)",
                 dir > 0 ? ". (next event)" : ", (previous event)");
        return;
    }
    const fs_trace *tr = v->traces[v->sel_trace];
    const fs_trace_task *t = &tr->tasks[v->sel_task];
    const char *name = fs_trace_str(tr, t->name);
    /* events after the playhead: > it; before: < it (it may lie between ns) */
    int64_t after = fs_viz_ns(floor(vw->playhead)), before = fs_viz_ns(ceil(vw->playhead));
    int64_t at = fs__next_event(tr, t, dir, after, before);
    vw->playing = false;
    if (at < 0) {
        snprintf(v->status, sizeof v->status, "%s: no %s event", name, dir > 0 ? "later" : "earlier");
        return;
    }
    fs_viz_view_set_playhead(vw, (double)at);
    if (vw->playhead < vw->t0 || vw->playhead > vw->t1) {
        double span = vw->t1 - vw->t0;
        vw->t0 = vw->playhead - span / 2;
        vw->t1 = vw->t0 + span;
    }
    fs_viz_layout(v);
    fs__lane_into_view(v, fs_viz_viewer_task_lane(v, v->sel_trace, (uint32_t)v->sel_task));
    char what[120], tb[32];
    fs__events_at(tr, t, at, what, sizeof what);
    snprintf(v->status, sizeof v->status, "%s: %s at %s", name, what, fs_format_ns(at, tb, sizeof tb));
    v->dirty = true;
}
