/* viewer.c - the viewer's frame steps: input, update, layout and build. */
#include "viewer.h"

#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- lifetime ------------------------------------------------------------ */

static void fs__free_model(fs_viz_viewer *v)
{
    for (size_t i = 0; v->states && i < v->n_traces; i++)
        fs_viz_state_destroy(&v->states[i]);
    free(v->states);
    for (size_t i = 0; v->wpolls && i < v->n_traces; i++)
        fs_viz_wpolls_free(&v->wpolls[i]);
    free(v->wpolls);
    v->wpolls = NULL;
    for (size_t i = 0; v->counters && i < v->n_traces; i++)
        fs_viz_counter_free(&v->counters[i]);
    free(v->counters);
    v->counters = NULL;
    free(v->lanes);
    free(v->lane_scratch);
    free(v->bands);
    free(v->warnings);
    fs_viz_groups_free(v->groups, v->n_groups);
    free(v->rows);
    free(v->lane_of);
    v->groups = NULL;
    v->n_groups = 0;
    v->rows = NULL;
    v->n_rows = 0;
    v->lane_of = NULL;
    v->lane_scratch = NULL;
    v->states = NULL;
    v->lanes = NULL;
    v->bands = NULL;
    v->warnings = NULL;
    v->n_warnings = 0;
    v->n_lanes = 0;
    v->layout_sig = 0;
    v->traces = NULL;
    v->n_traces = 0;
}

static bool fs__find_warnings(fs_viz_viewer *v)
{
    free(v->warnings);
    v->warnings = NULL;
    v->n_warnings = 0;
    for (size_t i = 0; i < v->n_traces; i++)
        if (!fs_viz_warnings_find(v->traces[i], (int)i, v->slow_poll_ns, &v->warnings, &v->n_warnings))
            return false;
    return true;
}

bool fs_viz_threads = true;

/* What a band's set-up builds from its own trace alone: its groups and
 * rows (group indices its own, from 0), its state at the playhead, its
 * counter lane and its warnings. Bands share nothing they write, so each
 * can be set up on a thread of its own. */
typedef struct fs__band_prep {
    const fs_trace *tr;
    int index;
    int64_t slow_ns;
    fs_viz_state *state;      /* the viewer's, for this band */
    fs_viz_counter *counter;  /* likewise */
    fs_viz_group *groups;
    size_t n_groups;
    fs_viz_row *rows;
    size_t n_rows;
    fs_viz_warning *warnings;
    size_t n_warnings;
    bool ok;
} fs__band_prep;

static void fs__prep_band(void *arg)
{
    fs__band_prep *p = arg;
    p->ok = fs_viz_groups_build(p->tr, p->index, &p->groups, &p->n_groups, &p->rows, &p->n_rows) &&
            fs_viz_state_init(p->state, p->tr) &&
            fs_viz_counter_build(p->counter, p->tr, p->index, p->groups, p->n_groups) &&
            fs_viz_warnings_find(p->tr, p->index, p->slow_ns, &p->warnings, &p->n_warnings);
}

/* The bands' groups, rows and warnings, end to end in band order: what
 * building them band after band into the viewer's arrays gives. The
 * preps' arrays are spent (freed, or moved on failure to be freed). */
static bool fs__join_bands(fs_viz_viewer *v, fs__band_prep *preps, size_t n)
{
    size_t ng = 0, nr = 0, nw = 0;
    for (size_t i = 0; i < n; i++) {
        ng += preps[i].n_groups;
        nr += preps[i].n_rows;
        nw += preps[i].n_warnings;
    }
    v->groups = malloc((ng ? ng : 1) * sizeof *v->groups);
    v->rows = malloc((nr ? nr : 1) * sizeof *v->rows);
    v->warnings = malloc((nw ? nw : 1) * sizeof *v->warnings);
    bool ok = v->groups && v->rows && v->warnings;
    for (size_t i = 0; i < n; i++) {
        fs__band_prep *p = &preps[i];
        ok = ok && p->ok;
        if (ok) {
            fs_viz_band *b = &v->bands[i];
            b->first_row = v->n_rows;
            b->n_rows = p->n_rows;
            for (size_t r = 0; r < p->n_rows; r++) {
                fs_viz_row row = p->rows[r];
                if (row.group)
                    row.index += (int32_t)v->n_groups;
                v->rows[v->n_rows++] = row;
            }
            if (p->n_groups)
                memcpy(v->groups + v->n_groups, p->groups, p->n_groups * sizeof *p->groups);
            v->n_groups += p->n_groups;
            if (p->n_warnings)
                memcpy(v->warnings + v->n_warnings, p->warnings, p->n_warnings * sizeof *p->warnings);
            v->n_warnings += p->n_warnings;
        } else {
            fs_viz_groups_free(p->groups, p->n_groups);
            p->groups = NULL;
        }
        free(p->groups);
        free(p->rows);
        free(p->warnings);
    }
    return ok;
}

/* Everything that depends on the traces: per-trace state, lanes, bands,
 * warnings. Each band is set up on a thread of its own (the first on this
 * one), then joined (fs_viz_threads false: one after another, as tests
 * compare). Returns the longest run's end, or -1 when out of memory. */
static int64_t fs__build_model(fs_viz_viewer *v, fs_trace **traces, size_t n)
{
    v->traces = traces;
    v->n_traces = n;
    size_t lanes = 0;
    int64_t end = 0;
    for (size_t i = 0; i < n; i++) {
        lanes += traces[i]->n_tasks + traces[i]->n_resources + (size_t)traces[i]->workers +
                 traces[i]->n_bthreads;
        if (traces[i]->summary.end_ns > end)
            end = traces[i]->summary.end_ns;
    }
    v->states = calloc(n ? n : 1, sizeof *v->states);
    v->lane_scratch = calloc(lanes ? lanes : 1, sizeof *v->lane_scratch);
    v->lane_of = calloc(lanes ? lanes : 1, sizeof *v->lane_of);
    v->bands = calloc(n ? n : 1, sizeof *v->bands);
    v->wpolls = calloc(n ? n : 1, sizeof *v->wpolls);
    v->counters = calloc(n ? n : 1, sizeof *v->counters);
    fs__band_prep *preps = calloc(n ? n : 1, sizeof *preps);
    if (!preps || !v->wpolls || !v->counters || !v->states || !v->lane_of || !v->lane_scratch || !v->bands) {
        free(preps);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        preps[i] = (fs__band_prep){.tr = traces[i], .index = (int)i, .slow_ns = v->slow_poll_ns,
                                   .state = &v->states[i], .counter = &v->counters[i]};
    fs_viz_each_at_once(preps, n, sizeof *preps, fs__prep_band, fs_viz_threads);
    bool ok = fs__join_bands(v, preps, n);
    free(preps);
    if (!ok)
        return -1;
    size_t base = 0;
    for (size_t i = 0; i < n; i++) {
        fs_viz_band *b = &v->bands[i];
        b->task_lane = v->lane_of + base;
        b->res_lane = b->task_lane + traces[i]->n_tasks;
        b->worker_lane = b->res_lane + traces[i]->n_resources;
        base += traces[i]->n_tasks + traces[i]->n_resources + (size_t)traces[i]->workers;
    }
    /* at most every member and every group header */
    v->lanes = calloc(lanes + v->n_groups + n + 1, sizeof *v->lanes);  /* + a counter lane a band */
    if (!v->lanes)
        return -1;
    return end;
}

bool fs_viz_viewer_init(fs_viz_viewer *v, fs_trace **traces, size_t n, int w, int h)
{
    memset(v, 0, sizeof *v);
    v->sel_task = -1;
    v->show_warnings = true;
    v->slow_poll_ns = FS_VIZ_SLOW_POLL_DEFAULT_NS;
    fs_viz_theme_default(&v->theme);
    fs_viz_drawlist_init(&v->dl);
    int64_t end = fs__build_model(v, traces, n);
    if (end < 0)
        goto fail;
    fs_viz_view_init(&v->view, w, h, end);
    fs_viz_viewer_resize(v, w, h);
    v->dirty = true;
    if (n)
        snprintf(v->title, sizeof v->title, "%s", fs_trace_str(traces[0], traces[0]->scenario));
    return true;
fail:
    fs_viz_viewer_destroy(v);
    return false;
}

void fs_viz_viewer_destroy(fs_viz_viewer *v)
{
    fs__free_model(v);
    fs_viz_search_free(&v->search);
    fs_viz_drawlist_destroy(&v->dl);
    memset(v, 0, sizeof *v);
}

bool fs_viz_viewer_reload(fs_viz_viewer *v, fs_trace **traces, size_t n)
{
    int sel_trace = v->sel_trace;
    int32_t sel_task = v->sel_task;
    /* groups keep their open state across a reload, by band and stem */
    size_t n_old = v->n_groups;
    fs_viz_group *old = v->groups;
    v->groups = NULL;
    v->n_groups = 0;
    fs__free_model(v);
    v->sel_task = -1;
    int64_t end = fs__build_model(v, traces, n);
    for (size_t i = 0; end >= 0 && i < v->n_groups; i++) {
        fs_viz_group *g = &v->groups[i];
        for (size_t k = 0; k < n_old; k++)
            if (old[k].trace == g->trace && old[k].kind == g->kind && strcmp(old[k].stem, g->stem) == 0)
                g->open = old[k].open;
    }
    fs_viz_groups_free(old, n_old);
    if (end < 0) {
        fs__free_model(v);
        return false;
    }
    /* the window, playhead, speed and scroll stay as they were */
    v->view.end_ns = end > 0 ? end : 1;
    fs_viz_view_set_playhead(&v->view, v->view.playhead);
    if (v->lane_order != FS_ORDER_SPAWN && !fs_viz_viewer_sort_lanes(v, v->lane_order))
        v->lane_order = FS_ORDER_SPAWN;  /* out of memory: spawn order, as built */
    if (sel_task >= 0 && (size_t)sel_trace < n && (size_t)sel_task < traces[sel_trace]->n_tasks)
        fs_viz_viewer_select(v, sel_trace, sel_task);
    /* the search's matches named the old traces' tasks */
    if (!fs_viz_search_find(&v->search, traces, n))
        v->search.n_matches = 0;
    fs_viz_layout(v);
    v->dirty = true;
    return true;
}

void fs_viz_viewer_set_slow_poll(fs_viz_viewer *v, int64_t ns)
{
    v->slow_poll_ns = ns > 0 ? ns : FS_VIZ_SLOW_POLL_DEFAULT_NS;
    if (!fs__find_warnings(v)) {
        free(v->warnings);
        v->warnings = NULL;
        v->n_warnings = 0;
    }
}

void fs_viz_viewer_select(fs_viz_viewer *v, int trace, int32_t task)
{
    if (task < 0 || trace < 0 || (size_t)trace >= v->n_traces ||
        (size_t)task >= v->traces[trace]->n_tasks) {
        v->sel_task = -1;
        return;
    }
    if (v->sel_trace != trace || v->sel_task != task)
        v->detail_scroll = 0;
    v->sel_trace = trace;
    v->sel_task = task;
    /* its lane must show: open a collapsed group holding it */
    for (size_t i = 0; i < v->n_groups; i++) {
        fs_viz_group *g = &v->groups[i];
        if (g->trace != trace || g->kind != FS_LANE_TASK || g->open)
            continue;
        size_t lo = 0, hi = g->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (g->members[mid] < (uint32_t)task)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < g->n && g->members[lo] == (uint32_t)task)
            g->open = true;
    }
    if (v->lanes)
        fs_viz_layout(v);
    fs_viz_task_stats_compute(v->traces[trace], (size_t)task, &v->sel);
}

void fs_viz_viewer_toggle_group(fs_viz_viewer *v, int group)
{
    if (group >= 0 && (size_t)group < v->n_groups) {
        v->groups[group].open = !v->groups[group].open;
    } else if (group < 0) {
        bool any_closed = false;
        for (size_t i = 0; i < v->n_groups; i++)
            any_closed |= !v->groups[i].open;
        for (size_t i = 0; i < v->n_groups; i++)
            v->groups[i].open = any_closed;
    }
    v->dirty = true;
    fs_viz_layout(v);
}

const fs_viz_lane *fs_viz_viewer_lane_at(const fs_viz_viewer *v, int x, int y)
{
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    if (x < 0 || x >= tl.x + tl.w || y < tl.y || y >= tl.y + tl.h)
        return NULL;
    for (size_t i = fs_viz_first_lane_at(v, 0, v->n_lanes, y); i < v->n_lanes && v->lanes[i].y <= y; i++)
        if (y >= v->lanes[i].y && y < v->lanes[i].y + v->lanes[i].h)
            return &v->lanes[i];
    return NULL;
}

void fs_viz_viewer_resize(fs_viz_viewer *v, int w, int h)
{
    v->view.w = w;
    v->view.h = h;
    v->dirty = true;
    /* a narrow window gives the side panel less room first */
    fs_viz_theme d;
    fs_viz_theme_default(&d);
    v->theme.panel_w = w < 1100 ? w / 3 : d.panel_w;
    v->theme.label_w = w < 1100 ? (w < 800 ? 120 : 160) : d.label_w;
}

/* ---- layout -------------------------------------------------------------- */

/* The lane of one member at y; returns its height. */
static int fs__member_lane(fs_viz_viewer *v, size_t b, uint8_t kind, int32_t index, int y, int32_t lane)
{
    const fs_viz_theme *th = &v->theme;
    const fs_trace *tr = v->traces[b];
    const fs_viz_band *band = &v->bands[b];
    int h = kind == FS_LANE_TASK ? th->task_lane_h
          : kind == FS_LANE_DEVICE || kind == FS_LANE_BTHREAD ? th->device_lane_h
          : th->worker_lane_h + (fs_viz_trace_has_steal(tr) ? th->queue_strip_h : 0);
    int32_t *map = kind == FS_LANE_TASK ? band->task_lane : kind == FS_LANE_DEVICE ? band->res_lane
                 : kind == FS_LANE_WORKER ? band->worker_lane : NULL;
    if (map)
        map[index] = lane;
    if (lane != (int32_t)v->n_lanes)
        return 0;  /* shown by its group's lane */
    v->lanes[v->n_lanes++] = (fs_viz_lane){kind, (int16_t)b, index, y, h};
    return h;
}

/* What the lanes are laid out from, but for where they start: a hash of
 * the groups' open state, the rows' order, the lane heights and the
 * traces (never 0). */
static uint64_t fs__layout_sig(const fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    uint64_t h = 1469598103934665603u;
#define FS__MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211u)
    FS__MIX(v->n_traces);
    FS__MIX(v->n_groups);
    FS__MIX(v->layout_gen);
    FS__MIX(v->lane_order);
    FS__MIX((uintptr_t)v->lanes);
    int hs[] = {th->task_lane_h, th->device_lane_h, th->worker_lane_h, th->queue_strip_h,
                th->line_h, th->band_head_h, th->band_gap, th->counter_lane_h};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        FS__MIX(hs[i]);
    for (size_t i = 0; i < v->n_traces; i++)
        FS__MIX((uintptr_t)v->traces[i]);
    for (size_t i = 0; i < v->n_groups; i++)
        FS__MIX(v->groups[i].open);
#undef FS__MIX
    return h ? h : 1;
}

void fs_viz_layout(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    int y = tl.y - v->view.scroll_y;
    uint64_t sig = fs__layout_sig(v);
    if (sig == v->layout_sig) {
        /* the same lanes: moved by the scroll (or the legend's height) */
        int dy = y - v->layout_top;
        if (dy) {
            for (size_t i = 0; i < v->n_lanes; i++)
                v->lanes[i].y += dy;
            for (size_t i = 0; i < v->n_traces; i++)
                v->bands[i].y += dy;
            v->layout_top = y;
        }
        return;
    }
    v->layout_sig = sig;
    v->layout_top = y;
    int top = y;
    v->n_lanes = 0;
    for (size_t i = 0; i < v->n_traces; i++) {
        fs_viz_band *b = &v->bands[i];
        b->y = y;
        b->first_lane = v->n_lanes;
        y += th->band_head_h;
        for (size_t r = 0; r < b->n_rows; r++) {
            const fs_viz_row *row = &v->rows[b->first_row + r];
            if (!row->group) {
                y += fs__member_lane(v, i, row->kind, row->index, y, (int32_t)v->n_lanes);
                continue;
            }
            const fs_viz_group *g = &v->groups[row->index];
            int32_t head = (int32_t)v->n_lanes;
            /* a line of text over a graph of its members' states */
            int gh = th->task_lane_h + th->line_h;
            v->lanes[v->n_lanes++] = (fs_viz_lane){FS_LANE_GROUP, (int16_t)i, row->index, y, gh};
            y += gh;
            for (size_t k = 0; k < g->n; k++)  /* collapsed: its members map to its lane */
                y += fs__member_lane(v, i, g->kind, (int32_t)g->order[k], y,
                                     g->open ? (int32_t)v->n_lanes : head);
        }
        if (v->traces[i]->n_tasks) {  /* the ready queue's depth, under the band's lanes */
            v->lanes[v->n_lanes++] = (fs_viz_lane){FS_LANE_COUNTER, (int16_t)i, (int32_t)i, y, th->counter_lane_h};
            y += th->counter_lane_h;
        }
        b->n_lanes = v->n_lanes - b->first_lane;
        b->h = y - b->y;
        y += th->band_gap;
    }
    v->content_h = y - top;
}

/* ---- scrolling and stepping -------------------------------------------- */

static void fs__clamp_scroll(fs_viz_viewer *v)
{
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    int max = v->content_h - tl.h;
    if (v->view.scroll_y > max)
        v->view.scroll_y = max;
    if (v->view.scroll_y < 0)
        v->view.scroll_y = 0;
}

void fs_viz_viewer_step(fs_viz_viewer *v, int dir)
{
    double ph = v->view.playhead;
    double best = dir > 0 ? INFINITY : -INFINITY;
    for (size_t i = 0; i < v->n_traces; i++) {
        const fs_trace *tr = v->traces[i];
        size_t lo = 0, hi = tr->n_times;
        while (lo < hi) {  /* first time > playhead (dir > 0) or >= playhead */
            size_t mid = lo + (hi - lo) / 2;
            bool before = dir > 0 ? (double)tr->times[mid] <= ph : (double)tr->times[mid] < ph;
            if (before)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (dir > 0 && lo < tr->n_times && (double)tr->times[lo] < best)
            best = (double)tr->times[lo];
        if (dir < 0 && lo > 0 && (double)tr->times[lo - 1] > best)
            best = (double)tr->times[lo - 1];
    }
    if (dir > 0 && isinf(best))
        best = (double)v->view.end_ns;
    if (dir < 0 && isinf(best))
        best = 0;
    fs_viz_view_set_playhead(&v->view, best);
    v->view.playing = false;
    /* keep it in sight */
    fs_viz_view *vw = &v->view;
    if (vw->playhead < vw->t0 || vw->playhead > vw->t1) {
        double span = vw->t1 - vw->t0;
        vw->t0 = vw->playhead - span / 2;
        vw->t1 = vw->t0 + span;
    }
}

void fs_viz_viewer_jump_band(fs_viz_viewer *v, int dir)
{
    if (!v->n_traces)
        return;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    size_t to = dir > 0 ? 0 : v->n_traces - 1;  /* wraps around */
    if (dir > 0) {
        for (size_t b = 0; b < v->n_traces; b++) {
            if (v->bands[b].y > tl.y) {
                to = b;
                break;
            }
        }
    } else {
        for (size_t b = v->n_traces; b-- > 0;) {
            if (v->bands[b].y < tl.y) {
                to = b;
                break;
            }
        }
    }
    v->view.scroll_y += v->bands[to].y - tl.y;
    fs__clamp_scroll(v);
    fs_viz_layout(v);
}

void fs_viz_viewer_scroll_to(fs_viz_viewer *v, int scroll_y)
{
    v->view.scroll_y = scroll_y;
    fs_viz_layout(v);
    fs__clamp_scroll(v);
    fs_viz_layout(v);
}

/* ---- update and build ---------------------------------------------------- */

void fs_viz_viewer_update(fs_viz_viewer *v, double dt)
{
    fs_viz_view *vw = &v->view;
    if (!vw->playing)
        return;
    fs_viz_view_set_playhead(vw, vw->playhead + fs_viz_view_speed(vw) * dt);
    if (vw->playhead >= (double)vw->end_ns)
        vw->playing = false;
    /* follow the playhead when it runs off the right edge */
    if (vw->playhead > vw->t1 && vw->drag == FS_DRAG_NONE) {
        double span = vw->t1 - vw->t0;
        vw->t0 = vw->playhead - span * 0.1;
        vw->t1 = vw->t0 + span;
    }
}

int fs_viz_viewer_wait_ms(const fs_viz_viewer *v, int idle_ms)
{
    return v->view.playing || v->dirty ? 0 : idle_ms;
}

void fs_viz_viewer_build(fs_viz_viewer *v)
{
    v->dirty = false;
    v->frames++;
    fs_viz_drawlist_clear(&v->dl);
    int64_t t = fs_viz_ns(round(v->view.playhead));
    for (size_t i = 0; i < v->n_traces; i++)
        if (v->states[i].t != t)
            fs_viz_state_at(&v->states[i], v->traces[i], t);
    fs_viz_legend_fit(v);
    fs_viz_layout(v);
    fs_viz_rect(&v->dl, 0, 0, v->view.w, v->view.h, v->theme.bg);
    v->hover_lane = v->view.mouse_in ? fs_viz_viewer_lane_at(v, v->view.mouse_x, v->view.mouse_y) : NULL;
    fs_viz_draw_timeline(v);
    fs_viz_draw_axis(v);
    fs_viz_draw_panel(v);
    fs_viz_draw_chrome(v);
}
