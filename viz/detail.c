/* detail.c - the side panel's two other faces: one task's detail (opened by
 * clicking its lane) and the list of warnings. Both are draw-list text and
 * boxes inside the panel's box; the figures come from analysis.c. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "pen.h"
#include "viewer.h"

/* A heading on one line, cut to leave `reserve` columns at its right for
 * what the caller puts there (a close box, a hint). */
static void fs__head(fs_viz_pen *p, const char *text, fs_viz_color bg, int reserve)
{
    if (!fs_viz_pen_room(p))
        return;
    fs_viz_rect(p->dl, p->x - 8, p->y, p->w + 16, p->th->line_h + 4, bg);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    fs_viz_text_fit(buf, sizeof buf, p->w / p->th->char_w - reserve);
    fs_viz_text(p->dl, p->x, p->y + 2, p->th->text_inv, p->th->char_w, buf);
    p->y += p->th->line_h + 6;
}

/* ---- warnings ------------------------------------------------------------ */

int fs_viz_describe_warning(const fs_viz_viewer *v, const fs_viz_warning *w, char lines[][160], int max)
{
    const fs_trace *tr = v->traces[w->trace];
    char text[400];
    fs_viz_warning_text(tr, w, text, sizeof text);
    int k = 0;
    snprintf(lines[k++], 160, "warning: %s (%s, %s)", fs_viz_warn_name((fs_viz_warn_kind)w->kind),
             fs_trace_str(tr, tr->tasks[w->task].name), fs_trace_str(tr, tr->executor));
    /* wrap at about 60 columns */
    const char *s = text;
    while (*s && k < max) {
        size_t len = strlen(s), cut = len;
        if (len > 60) {
            cut = 60;
            while (cut > 0 && s[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = 60;
        }
        snprintf(lines[k++], 160, "  %.*s", (int)cut, s);
        s += cut;
        while (*s == ' ')
            s++;
    }
    if (k < max)
        snprintf(lines[k++], 160, "click: the task's detail");
    return k;
}

int fs_viz_draw_warnings(fs_viz_viewer *v, int x, int y, int w, int bottom)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_pen p = {.dl = &v->dl, .th = th, .x = x, .y = y, .w = w, .bottom = bottom};
    if (v->n_warnings == 0)
        return y;
    char head[120];
    snprintf(head, sizeof head, "Warnings (%zu)", v->n_warnings);
    int top = p.y;
    const char *hint = v->show_warnings ? "w: hide" : "w: show";
    int hw = fs_viz_text_cols(hint, strlen(hint)) * th->char_w;
    fs__head(&p, head, th->warn, hw / th->char_w + 1);
    fs_viz_text(p.dl, x + w - hw, top + 2, th->text_inv, th->char_w, hint);
    fs_viz_cmd *tog = fs_viz_rect(p.dl, x - 8, top, w + 16, th->line_h + 4, (fs_viz_color){0, 0, 0, 0});
    tog->hit = FS_HIT_TOGGLE;
    if (!v->show_warnings)
        return p.y + 6;
    /* at most about a third of the panel, so the state stays visible */
    int limit = y + (bottom - y) / 3;
    if (limit < y + 6 * th->line_h)
        limit = y + 6 * th->line_h;
    p.bottom = limit < bottom ? limit : bottom;
    char text[400];
    for (size_t i = 0; i < v->n_warnings; i++) {
        const fs_viz_warning *wn = &v->warnings[i];
        const fs_trace *tr = v->traces[wn->trace];
        if (p.y + 4 * th->line_h > p.bottom) {
            fs_viz_pen_line(&p, 1, th->text_dim, "... %zu more (zoom out the lanes: marks \"!\")",
                     v->n_warnings - i);
            break;
        }
        int row = p.y;
        char t[32];
        fs_viz_pen_line(&p, 0, th->warn, "! %s: %s at %s%s%s", fs_trace_str(tr, tr->tasks[wn->task].name),
                 fs_viz_warn_name((fs_viz_warn_kind)wn->kind), fs_format_ns(wn->t, t, sizeof t),
                 v->n_traces > 1 ? ", " : "", v->n_traces > 1 ? fs_trace_str(tr, tr->executor) : "");
        fs_viz_warning_text(tr, wn, text, sizeof text);
        fs_viz_pen_text(&p, 2, th->text_dim, text, 3);
        fs_viz_cmd *hit = fs_viz_rect(p.dl, x - 4, row, w + 8, p.y - row, (fs_viz_color){0, 0, 0, 0});
        hit->hit = FS_HIT_WARNING;
        hit->trace = wn->trace;
        hit->lane = (int32_t)wn->task;
        hit->item = (int64_t)i;
        p.y += 2;
    }
    return p.y + 6;
}

/* ---- one task's detail --------------------------------------------------- */

/* A histogram as rows of "label |bar count", rows from the first to the
 * last non-empty bin. */
static void fs__hist(fs_viz_pen *p, const int64_t *bins, fs_viz_color bar)
{
    const fs_viz_theme *th = p->th;
    int lo = 0, hi = FS_VIZ_HIST_BINS - 1;
    while (lo < FS_VIZ_HIST_BINS && bins[lo] == 0)
        lo++;
    while (hi >= 0 && bins[hi] == 0)
        hi--;
    if (lo > hi) {
        fs_viz_pen_line(p, 2, th->text_dim, "(none)");
        return;
    }
    int64_t max = 0;
    for (int b = lo; b <= hi; b++)
        max = bins[b] > max ? bins[b] : max;
    int label_w = 11 * th->char_w, count_w = 11 * th->char_w;
    int bar_w = p->w - label_w - count_w - 2 * th->char_w;
    if (bar_w < 20)
        bar_w = 20;
    for (int b = lo; b <= hi && fs_viz_pen_room(p); b++) {
        int y = p->y;
        if (y < p->top) {  /* scrolled above the box */
            p->y += th->line_h;
            continue;
        }
        fs_viz_text(p->dl, p->x + 2 * th->char_w, y, th->text_dim, th->char_w, fs_viz_hist_label(b));
        int bx = p->x + label_w + th->char_w;
        fs_viz_rect(p->dl, bx, y + 3, bar_w, th->line_h - 5, th->lane_alt);
        int len = bins[b] ? (int)((double)bins[b] / (double)max * bar_w) : 0;
        if (bins[b] && len < 2)
            len = 2;
        fs_viz_rect(p->dl, bx, y + 3, len, th->line_h - 5, bar);
        char n[32];
        if (bins[b])
            fs_viz_text(p->dl, bx + bar_w + 6, y, th->text, th->char_w, fs_format_count(bins[b], n, sizeof n));
        p->y += th->line_h;
    }
}

/* busy | scheduled | idle as one bar across the panel. */
static void fs__time_bar(fs_viz_pen *p, const fs_viz_task_stats *st)
{
    const fs_viz_theme *th = p->th;
    if (!fs_viz_pen_room(p) || st->life_ns <= 0)
        return;
    if (p->y < p->top) {
        p->y += th->line_h + 2;
        return;
    }
    int w = p->w - 2 * th->char_w, x = p->x + th->char_w, y = p->y + 2, h = th->line_h - 4;
    int64_t parts[3] = {st->busy_ns, st->sched_ns, st->idle_ns};
    fs_viz_color cols[3] = {th->worker_busy, th->pending, th->parked}; /* queued: as the lanes draw it */
    double total = (double)(parts[0] + parts[1] + parts[2]);
    if (total <= 0)
        return;
    int at = x;
    for (int i = 0; i < 3; i++) {
        int pw = i == 2 ? x + w - at : (int)((double)parts[i] / total * w);
        if (parts[i] > 0 && pw < 2)
            pw = 2;
        if (at + pw > x + w)
            pw = x + w - at;
        if (pw > 0)
            fs_viz_rect(p->dl, at, y, pw, h, cols[i]);
        at += pw;
    }
    fs_viz_frame(p->dl, x, y, w, h, th->border);
    p->y += th->line_h + 2;
}

static int fs__detail_body(fs_viz_viewer *v, fs_viz_pen *pp);

int fs_viz_draw_detail(fs_viz_viewer *v, int x, int y, int w, int bottom)
{
    const fs_viz_theme *th = &v->theme;
    const fs_trace *tr = v->traces[v->sel_trace];
    const fs_trace_task *task = &tr->tasks[v->sel_task];
    fs_viz_pen p = {.dl = &v->dl, .th = th, .x = x, .y = y, .w = w, .bottom = bottom};
    char head[200];

    /* heading with a close box */
    snprintf(head, sizeof head, "Task #%u %s  (%s)", task->sid, fs_trace_str(tr, task->name),
             fs_trace_str(tr, tr->executor));
    int top = p.y;
    int bw = 3 * th->char_w;
    fs__head(&p, head, th->panel_head, 4);
    fs_viz_cmd *close = fs_viz_rect(p.dl, x + w - bw, top + 1, bw, th->line_h + 2, th->playhead);
    close->hit = FS_HIT_CLOSE;
    fs_viz_text(p.dl, x + w - bw + th->char_w, top + 2, th->text_inv, th->char_w, "x");
    /* the long hint only where it takes one line */
    const char *hint = "Esc or a click outside the panel closes this.";
    fs_viz_pen_text(&p, 0, th->text_dim, fs_viz_pen_count(&p, 0, hint, 3) == 1 ? hint : "Esc closes this.", 1);
    p.y += 4;

    /* The body scrolls under the heading when it is taller than the panel:
     * measured first (drawn without a bottom, then taken back out of the
     * draw list), then drawn from v->detail_scroll, clipped to its box,
     * with a mark at the bottom saying there is more. */
    int body = p.y;
    size_t n0 = v->dl.n, t0 = v->dl.text_len;
    fs_viz_pen m = p;
    m.bottom = INT_MAX / 2;
    int full = fs__detail_body(v, &m) - body;
    v->dl.n = n0;
    v->dl.text_len = t0;
    bool more = full > bottom - body;
    int room = bottom - body - (more ? th->line_h + 4 : 0);
    int most = more ? full - room : 0;
    v->detail_scroll = v->detail_scroll > most ? most : v->detail_scroll < 0 ? 0 : v->detail_scroll;
    p.top = body;
    p.bottom = body + room;
    p.y = body - v->detail_scroll;
    fs_viz_clip(&v->dl, x - 10, body, w + 20, room);
    int end = fs__detail_body(v, &p);
    /* back to the side panel's clip (panel.c) */
    fs_viz_clip(&v->dl, x - 10, th->title_h, w + 20, v->view.h - th->title_h - th->legend_h);
    if (more) {
        const char *mark = v->detail_scroll < most ? "\xE2\x96\xBC more below (the wheel scrolls)" : "\xE2\x96\xB2 more above (the wheel scrolls)";
        if (fs_viz_text_cols(mark, strlen(mark)) > w / th->char_w)  /* narrow: the mark alone */
            mark = v->detail_scroll < most ? "\xE2\x96\xBC more below" : "\xE2\x96\xB2 more above";
        char buf[64];
        snprintf(buf, sizeof buf, "%s", mark);
        fs_viz_text_fit(buf, sizeof buf, w / th->char_w);
        fs_viz_rect(&v->dl, x - 8, body + room, w + 16, th->line_h + 4, th->panel_bg);
        fs_viz_text(&v->dl, x, body + room + 2, th->text_dim, th->char_w, buf);
        return bottom;
    }
    return end;
}

/* Everything under the detail's heading, down the pen; returns the y
 * below it. */
static int fs__detail_body(fs_viz_viewer *v, fs_viz_pen *pp)
{
    const fs_viz_theme *th = &v->theme;
    const fs_trace *tr = v->traces[v->sel_trace];
    const fs_trace_task *task = &tr->tasks[v->sel_task];
    const fs_viz_task_stats *st = &v->sel;
    const fs_viz_state *state = &v->states[v->sel_trace];
    fs_viz_pen p = *pp;
    char a[32], b[32], c[32], d[32];

    /* life and state at the playhead */
    if (task->complete_t >= 0)
        fs_viz_pen_line(&p, 0, th->text, "spawned at %s, done at %s", fs_format_ns(task->spawn_t, a, sizeof a),
                 fs_format_ns(task->complete_t, b, sizeof b));
    else
        fs_viz_pen_line(&p, 0, th->warn, "spawned at %s, never completed", fs_format_ns(task->spawn_t, a, sizeof a));
    /* the heading's #id is the same under every executor; the trace's is spawn order */
    fs_viz_pen_line(&p, 0, th->text_dim, "trace id %u (#%u under every executor)", v->sel_task, task->sid);
    const fs_viz_task_state *ts = &state->tasks[v->sel_task];
    fs_viz_pen_line(&p, 0, th->text, "at the playhead (%s): %s", fs_format_ns(state->t, a, sizeof a),
             ts->spinning ? "spinning (busy loop)" : fs_viz_task_phase_name((fs_viz_task_phase)ts->phase));
    if (ts->phase == FS_TASK_RUNNING && !ts->spinning) {
        /* in a poll: its waker goes where the poll leaves it, at the end */
        fs_viz_pen_line(&p, 2, th->text, "polling since %s%s%s", fs_format_ns(ts->since, b, sizeof b),
                        ts->await ? "; then at " : "", ts->await ? fs_trace_str(tr, ts->await) : "");
    } else if (ts->waker_res >= 0) {
        /* "socket a", but "timer" for the timer wheel, not "timer timer" */
        const char *kind = fs_trace_str(tr, tr->resources[ts->waker_res].kind);
        const char *name = fs_trace_str(tr, tr->resources[ts->waker_res].name);
        if (!*kind || strcmp(kind, name) == 0)
            fs_viz_pen_line(&p, 2, th->text, "waker held by %s", name);
        else
            fs_viz_pen_line(&p, 2, th->text, "waker held by %s %s", kind, name);
    }
    else if (ts->phase == FS_TASK_WAITING || ts->phase == FS_TASK_STALLED)
        fs_viz_pen_line(&p, 2, th->warn, "waker held by nobody: nothing will wake it");
    else
        fs_viz_pen_line(&p, 2, th->text_dim, "waker held by nobody");
    p.y += 6;

    /* its warnings first: what matters most, on the first screen */
    char text[400];
    for (size_t i = 0; i < v->n_warnings; i++) {
        const fs_viz_warning *wn = &v->warnings[i];
        if (wn->trace != v->sel_trace || wn->task != (uint32_t)v->sel_task)
            continue;
        fs_viz_pen_line(&p, 0, th->warn, "! %s", fs_viz_warn_name((fs_viz_warn_kind)wn->kind));
        fs_viz_pen_text(&p, 2, th->text, fs_viz_warning_text(tr, wn, text, sizeof text), 4);
    }
    p.y += 2;

    /* polls and wakes */
    fs_viz_pen_line(&p, 0, th->text, "polls %s: %s pending, %s ready", fs_format_count(st->polls, a, sizeof a),
             fs_format_count(st->pending_polls, b, sizeof b), fs_format_count(st->ready_polls, c, sizeof c));
    if (st->wasted_polls)
        fs_viz_pen_line(&p, 2, th->text_dim, "%s wasted (polled again without a wake)",
                 fs_format_count(st->wasted_polls, a, sizeof a));
    fs_viz_pen_line(&p, 0, th->text, "wakes %s: %s by devices, %s by tasks,", fs_format_count(st->wakes, a, sizeof a),
             fs_format_count(st->device_wakes, b, sizeof b), fs_format_count(st->task_wakes, c, sizeof c));
    fs_viz_pen_line(&p, 2, th->text, "%s self-wakes, %s spurious", fs_format_count(st->self_wakes, a, sizeof a),
             fs_format_count(st->spurious_wakes, b, sizeof b));
    if (st->stale_wakes)
        fs_viz_pen_line(&p, 2, th->warn, "%s more after it completed (stale)", fs_format_count(st->stale_wakes, a, sizeof a));
    /* the trace has registrations, not clone/drop counts: say so */
    char regs[300];
    size_t o = 0;
    regs[0] = '\0';
    for (size_t i = 0; i < st->n_regs && o + 40 < sizeof regs; i++)
        o += (size_t)snprintf(regs + o, sizeof regs - o, "%s%s \xC3\x97%s", i ? ", " : "",
                              fs_trace_str(tr, tr->resources[st->regs[i].res].name),
                              fs_format_count(st->regs[i].count, a, sizeof a));
    if (st->regs_other && o + 30 < sizeof regs)
        snprintf(regs + o, sizeof regs - o, ", others \xC3\x97%s", fs_format_count(st->regs_other, a, sizeof a));
    fs_viz_pen_line(&p, 0, th->text, "waker registered %s time%s%s%s", fs_format_count(st->registers, a, sizeof a),
             st->registers == 1 ? "" : "s", st->registers ? ": " : "", regs);
    /* clones and drops over its life, as tokio-console shows them beside
     * wakes: from the summary's record (a wake by value drops its clone) */
    if (task->waker_clones >= 0)
        fs_viz_pen_line(&p, 0, th->text, "waker clones %s, drops %s (%s alive at the end)",
                        fs_format_count(task->waker_clones, a, sizeof a), fs_format_count(task->waker_drops, b, sizeof b),
                        fs_format_count(task->waker_clones - task->waker_drops, c, sizeof c));
    else
        fs_viz_pen_text(&p, 2, th->text_dim, "(clones and drops: not in this trace's summary)", 2);
    p.y += 6;

    /* time split */
    fs_viz_pen_line(&p, 0, th->text, "time alive %s:", fs_format_ns(st->life_ns, a, sizeof a));
    fs__time_bar(&p, st);
    double life = st->life_ns > 0 ? (double)st->life_ns : 1.0;
    static const char *part[3] = {"busy", "scheduled", "idle"};
    static const char *means[3] = {"in polls", "woken, queued", "waiting, not queued"};
    const int64_t ns[3] = {st->busy_ns, st->sched_ns, st->idle_ns};
    const fs_viz_color sw[3] = {th->worker_busy, th->pending, th->parked};
    int sx = p.x + th->char_w;
    for (int i = 0; i < 3 && fs_viz_pen_room(&p); i++) {
        /* a swatch, then the part's line wrapped beside it */
        if (p.y >= p.top) {
            fs_viz_rect(p.dl, sx, p.y + 4, 9, 9, sw[i]);
            if (i == 2)
                fs_viz_frame(p.dl, sx, p.y + 4, 9, 9, th->border);
        }
        char line[160], pct[32];
        snprintf(line, sizeof line, "%s %s (%s), %s", part[i], fs_format_ns(ns[i], a, sizeof a),
                 fs_format_percent((double)ns[i] / life, pct, sizeof pct), means[i]);
        fs_viz_pen q = p;
        q.x = sx + 14;
        q.w = p.x + p.w - q.x;
        if (fs_viz_pen_count(&q, 0, line, 3) > 1)  /* narrow: the figures, not what they mean */
            snprintf(line, sizeof line, "%s %s (%s)", part[i], fs_format_ns(ns[i], a, sizeof a), pct);
        fs_viz_pen_text(&q, 0, th->text, line, 2);
        p.y = q.y;
    }
    p.y += 6;

    /* histograms */
    fs_viz_pen_line(&p, 0, th->text, "poll durations (%s polls, max %s)", fs_format_count(st->polls, a, sizeof a),
             fs_format_ns(st->max_poll_ns, b, sizeof b));
    fs__hist(&p, st->poll_hist, th->ready);
    p.y += 4;
    fs_viz_pen_line(&p, 0, th->text, "wake-to-poll latency (%s wakes, max %s)", fs_format_count(st->n_lat, c, sizeof c),
             fs_format_ns(st->max_lat_ns, d, sizeof d));
    fs__hist(&p, st->lat_hist, th->wake);
    if (st->first_wait_ns >= 0) { /* what wake latency misses: the wait for a first poll */
        fs_viz_pen_line(&p, 0, th->text, "runnable-to-poll wait: max %s", fs_format_ns(st->max_wait_ns, a, sizeof a));
        fs_viz_pen_line(&p, 2, th->text_dim, "(spawn to first poll %s)", fs_format_ns(st->first_wait_ns, b, sizeof b));
    }
    p.y += 6;
    *pp = p;
    return p.y;
}
