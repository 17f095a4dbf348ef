/* viewer.c - the viewer's frame steps: input, update, layout and build. */
#include "viewer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- lifetime ------------------------------------------------------------ */

static void fs__free_model(fs_viz_viewer *v)
{
    for (size_t i = 0; v->states && i < v->n_traces; i++)
        fs_viz_state_destroy(&v->states[i]);
    free(v->states);
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

/* Everything that depends on the traces: per-trace state, lanes, bands,
 * warnings. Returns the longest run's end, or -1 when out of memory. */
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
    if (!v->states || !v->lane_of || !v->lane_scratch || !v->bands)
        return -1;
    size_t base = 0;
    for (size_t i = 0; i < n; i++) {
        fs_viz_band *b = &v->bands[i];
        b->first_row = v->n_rows;
        if (!fs_viz_groups_build(traces[i], (int)i, &v->groups, &v->n_groups, &v->rows, &v->n_rows))
            return -1;
        b->n_rows = v->n_rows - b->first_row;
        b->task_lane = v->lane_of + base;
        b->res_lane = b->task_lane + traces[i]->n_tasks;
        b->worker_lane = b->res_lane + traces[i]->n_resources;
        base += traces[i]->n_tasks + traces[i]->n_resources + (size_t)traces[i]->workers;
    }
    /* at most every member and every group header */
    v->lanes = calloc(lanes + v->n_groups + 1, sizeof *v->lanes);
    if (!v->lanes)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!fs_viz_state_init(&v->states[i], traces[i]))
            return -1;
    if (!fs__find_warnings(v))
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
    if (sel_task >= 0 && (size_t)sel_trace < n && (size_t)sel_task < traces[sel_trace]->n_tasks)
        fs_viz_viewer_select(v, sel_trace, sel_task);
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
    for (size_t i = 0; i < v->n_lanes; i++)
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

void fs_viz_layout(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    int y = tl.y - v->view.scroll_y;
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
                y += fs__member_lane(v, i, g->kind, (int32_t)g->members[k], y,
                                     g->open ? (int32_t)v->n_lanes : head);
        }
        b->n_lanes = v->n_lanes - b->first_lane;
        b->h = y - b->y;
        y += th->band_gap;
    }
    v->content_h = y - top;
}

/* ---- input --------------------------------------------------------------- */

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

static void fs__scroll_by(fs_viz_viewer *v, int dy)
{
    v->view.scroll_y += dy;
    fs_viz_layout(v);
    fs__clamp_scroll(v);
    fs_viz_layout(v);
}

static bool fs__in_timeline(const fs_viz_viewer *v, int x, int y)
{
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    return x >= tl.x && x < tl.x + tl.w && y >= v->theme.title_h && y < tl.y + tl.h;
}

static void fs__key(fs_viz_viewer *v, SDL_Keycode key, Uint16 mod)
{
    fs_viz_view *vw = &v->view;
    switch (key) {
    case SDLK_SPACE:
        if (!vw->playing && vw->playhead >= (double)vw->end_ns)
            vw->playhead = 0;
        vw->playing = !vw->playing;
        break;
    case SDLK_LEFT:
        fs_viz_viewer_step(v, -1);
        break;
    case SDLK_RIGHT:
        fs_viz_viewer_step(v, +1);
        break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS:
        if (vw->speed_step < 40)
            vw->speed_step++;
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        if (vw->speed_step > -40)
            vw->speed_step--;
        break;
    case SDLK_f:
        fs_viz_view_fit(vw);
        vw->scroll_y = 0;
        break;
    case SDLK_HOME:
        fs_viz_view_set_playhead(vw, 0);
        break;
    case SDLK_END:
        fs_viz_view_set_playhead(vw, (double)vw->end_ns);
        break;
    case SDLK_h:
    case SDLK_QUESTION:
        vw->help = !vw->help;
        break;
    case SDLK_SLASH:
        if (mod & KMOD_SHIFT)
            vw->help = !vw->help;
        break;
    case SDLK_s:
        vw->screenshot_requested = true;
        break;
    case SDLK_w:
        v->show_warnings = !v->show_warnings;
        break;
    case SDLK_g:
        fs_viz_viewer_toggle_group(v, -1);
        fs__clamp_scroll(v);
        break;
    case SDLK_b:
        fs_viz_viewer_jump_band(v, mod & KMOD_SHIFT ? -1 : 1);
        break;
    case SDLK_PAGEDOWN:
    case SDLK_PAGEUP: {
        fs_viz_box tl = fs_viz_view_timeline(vw, &v->theme);
        int page = tl.h - v->theme.task_lane_h;
        fs__scroll_by(v, key == SDLK_PAGEDOWN ? page : -page);
        break;
    }
    case SDLK_ESCAPE:
        /* closes what is open, innermost first; quits when nothing is */
        if (vw->help)
            vw->help = false;
        else if (v->sel_task >= 0)
            v->sel_task = -1;
        else
            vw->quit = true;
        break;
    case SDLK_q:
        vw->quit = true;
        break;
    default:
        break;
    }
}

/* The topmost clickable mark of the last frame under (x, y), or NULL. */
static const fs_viz_cmd *fs__clickable(const fs_viz_viewer *v, int x, int y)
{
    for (size_t i = v->dl.n; i-- > 0;) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        if ((c->hit == FS_HIT_WARNING || c->hit == FS_HIT_CLOSE || c->hit == FS_HIT_TOGGLE) &&
            c->type != FS_DRAW_TEXT && x >= c->x && x < c->x + c->w && y >= c->y && y < c->y + c->h)
            return c;
    }
    return NULL;
}

/* A click (press and release in place): a task lane opens its detail, a
 * warning opens its task's, anything else but the side panel closes it. */
static void fs__click(fs_viz_viewer *v, int x, int y)
{
    const fs_viz_theme *th = &v->theme;
    const fs_viz_cmd *c = fs__clickable(v, x, y);
    if (c && c->hit == FS_HIT_CLOSE) {
        fs_viz_viewer_select(v, -1, -1);
        return;
    }
    if (c && c->hit == FS_HIT_TOGGLE) {
        v->show_warnings = !v->show_warnings;
        return;
    }
    if (c && c->hit == FS_HIT_WARNING && c->item >= 0 && (size_t)c->item < v->n_warnings) {
        const fs_viz_warning *w = &v->warnings[c->item];
        fs_viz_viewer_select(v, w->trace, (int32_t)w->task);
        return;
    }
    bool in_panel = x >= v->view.w - th->panel_w && y >= th->title_h && y < v->view.h - th->legend_h;
    if (in_panel)
        return;
    const fs_viz_lane *ln = fs_viz_viewer_lane_at(v, x, y);
    if (ln && ln->kind == FS_LANE_GROUP)
        fs_viz_viewer_toggle_group(v, ln->index);
    else if (ln && ln->kind == FS_LANE_TASK)
        fs_viz_viewer_select(v, ln->trace, ln->index);
    else
        fs_viz_viewer_select(v, -1, -1);
}

void fs_viz_viewer_input(fs_viz_viewer *v, const SDL_Event *ev)
{
    fs_viz_view *vw = &v->view;
    const fs_viz_theme *th = &v->theme;
    /* anything the viewer reacts to may change the picture (a motion moves
     * the tooltip); events it ignores leave it asleep */
    switch (ev->type) {
    case SDL_QUIT:
    case SDL_KEYDOWN:
    case SDL_WINDOWEVENT:
    case SDL_MOUSEWHEEL:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
        v->dirty = true;
        break;
    default:
        break;
    }
    switch (ev->type) {
    case SDL_QUIT:
        vw->quit = true;
        break;
    case SDL_KEYDOWN:
        fs__key(v, ev->key.keysym.sym, ev->key.keysym.mod);
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            fs_viz_viewer_resize(v, ev->window.data1, ev->window.data2);
        else if (ev->window.event == SDL_WINDOWEVENT_LEAVE)
            vw->mouse_in = false;
        break;
    case SDL_MOUSEWHEEL: {
        int dy = ev->wheel.y;
        if (ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
            dy = -dy;
        if (vw->mouse_x >= vw->w - th->panel_w && vw->mouse_y >= th->title_h) {
            /* over the side panel: its task lists, 3 tasks a notch */
            size_t most = 0;
            for (size_t i = 0; i < v->n_traces; i++)
                if (v->traces[i]->n_tasks > most)
                    most = v->traces[i]->n_tasks;
            int s = v->panel_scroll - dy * 3;
            v->panel_scroll = s < 0 ? 0 : most && (size_t)s >= most ? (int)most - 1 : s;
        } else if (fs__in_timeline(v, vw->mouse_x, vw->mouse_y) && !(SDL_GetModState() & KMOD_SHIFT)) {
            fs_viz_view_zoom(vw, th, pow(0.8, dy), vw->mouse_x);
        } else {
            /* a quarter of the lanes on screen per notch (at least a lane) */
            fs_viz_box tl = fs_viz_view_timeline(vw, th);
            int step = tl.h / 4 > th->task_lane_h ? tl.h / 4 : th->task_lane_h;
            fs__scroll_by(v, -dy * step);
        }
        break;
    }
    case SDL_MOUSEBUTTONDOWN: {
        if (ev->button.button != SDL_BUTTON_LEFT)
            break;
        int x = ev->button.x, y = ev->button.y;
        vw->mouse_x = x;
        vw->mouse_y = y;
        vw->pressed = true;
        vw->press_x = x;
        vw->press_y = y;
        fs_viz_box sb = fs_viz_scrollbar_box(v);
        if (sb.w > 0 && x >= sb.x && x < sb.x + sb.w && y >= sb.y && y < sb.y + sb.h) {
            vw->drag = FS_DRAG_SCROLLBAR;
            vw->scroll_y = fs_viz_scrollbar_scroll_at(v, y);
            fs__scroll_by(v, 0);
            break;
        }
        if (!fs__in_timeline(v, x, y))
            break;
        double px = fs_viz_view_x(vw, th, vw->playhead);
        if (y < th->title_h + th->axis_h || fabs(x - px) <= 4) {
            vw->drag = FS_DRAG_SCRUB;
            vw->playing = false;
            fs_viz_view_set_playhead(vw, fs_viz_view_t(vw, th, x));
        } else {
            vw->drag = FS_DRAG_PAN;
            vw->drag_x = x;
            vw->drag_y = y;
            vw->drag_t0 = vw->t0;
            vw->drag_t1 = vw->t1;
            vw->drag_scroll = vw->scroll_y;
        }
        break;
    }
    case SDL_MOUSEMOTION: {
        vw->mouse_x = ev->motion.x;
        vw->mouse_y = ev->motion.y;
        vw->mouse_in = true;
        if (vw->drag == FS_DRAG_SCRUB) {
            fs_viz_view_set_playhead(vw, fs_viz_view_t(vw, th, ev->motion.x));
        } else if (vw->drag == FS_DRAG_SCROLLBAR) {
            vw->scroll_y = fs_viz_scrollbar_scroll_at(v, ev->motion.y);
            fs__scroll_by(v, 0);
        } else if (vw->drag == FS_DRAG_PAN) {
            fs_viz_box tl = fs_viz_view_timeline(vw, th);
            double dt = (double)(ev->motion.x - vw->drag_x) * (vw->drag_t1 - vw->drag_t0) / tl.w;
            vw->t0 = vw->drag_t0 - dt;
            vw->t1 = vw->drag_t1 - dt;
            vw->scroll_y = vw->drag_scroll - (ev->motion.y - vw->drag_y);
            fs_viz_layout(v);
            fs__clamp_scroll(v);
        }
        break;
    }
    case SDL_MOUSEBUTTONUP:
        if (ev->button.button != SDL_BUTTON_LEFT)
            break;
        if (vw->pressed && vw->drag != FS_DRAG_SCRUB && vw->drag != FS_DRAG_SCROLLBAR && abs(ev->button.x - vw->press_x) <= 3 &&
            abs(ev->button.y - vw->press_y) <= 3)
            fs__click(v, ev->button.x, ev->button.y);
        vw->pressed = false;
        vw->drag = FS_DRAG_NONE;
        break;
    default:
        break;
    }
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
    fs_viz_draw_timeline(v);
    fs_viz_draw_axis(v);
    fs_viz_draw_panel(v);
    fs_viz_draw_chrome(v);
}
