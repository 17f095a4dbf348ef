/* input.c - the input step: one SDL event at a time changes the view
 * (keys, the wheel, clicks and drags) or goes somewhere (search, bands,
 * the selected task's events). Nothing here draws. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "viewer.h"

static void fs__scroll_by(fs_viz_viewer *v, int dy)
{
    fs_viz_viewer_scroll_to(v, v->view.scroll_y + dy);
}

static bool fs__in_timeline(const fs_viz_viewer *v, int x, int y)
{
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    return x >= tl.x && x < tl.x + tl.w && y >= v->theme.title_h && y < tl.y + tl.h;
}

static void fs__key(fs_viz_viewer *v, SDL_Keycode key, Uint16 mod)
{
    fs_viz_view *vw = &v->view;
    v->status[0] = '\0';  /* a key's answer lasts until the next key */
    /* the search box first: while it takes text, keys are letters */
    int act = fs_viz_search_key(&v->search, key, mod, vw->help, v->traces, v->n_traces);
    if (act == FS_SEARCH_NEXT || act == FS_SEARCH_PREV)
        fs_viz_viewer_goto_match(v, act == FS_SEARCH_NEXT ? 1 : -1);
    if (act != FS_SEARCH_PASS)
        return;
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
        fs__scroll_by(v, 0);
        break;
    case SDLK_b:
        fs_viz_viewer_jump_band(v, mod & KMOD_SHIFT ? -1 : 1);
        break;
    case SDLK_PERIOD:
    case SDLK_COMMA:
        fs_viz_viewer_goto_event(v, key == SDLK_PERIOD ? 1 : -1);
        break;
    case SDLK_o: {
        int n = FS_ORDER_N, next = (v->lane_order + (mod & KMOD_SHIFT ? n - 1 : 1)) % n;
        if (fs_viz_viewer_sort_lanes(v, next)) {
            fs__scroll_by(v, 0);  /* lays the lanes out again */
            snprintf(v->status, sizeof v->status, "task lanes by %s", fs_viz_order_name(next));
        }
        break;
    }
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
    case SDL_TEXTINPUT:
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
    case SDL_TEXTINPUT:
        fs_viz_search_text(&v->search, ev->text.text, v->traces, v->n_traces);
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
        fs_viz_box hb = vw->help ? fs_viz_help_box(v) : (fs_viz_box){0, 0, 0, 0};
        if (vw->mouse_x >= hb.x && vw->mouse_x < hb.x + hb.w && vw->mouse_y >= hb.y && vw->mouse_y < hb.y + hb.h) {
            /* over the help: its lines, 3 a notch (clamped when drawn) */
            v->help_scroll -= dy * 3;
        } else if (vw->mouse_x >= vw->w - th->panel_w && vw->mouse_y >= th->title_h && v->sel_task >= 0) {
            /* over a task's detail: 3 lines a notch (clamped when drawn) */
            v->detail_scroll -= dy * 3 * th->line_h;
        } else if (vw->mouse_x >= vw->w - th->panel_w && vw->mouse_y >= th->title_h) {
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
        v->status[0] = '\0';
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
            fs_viz_viewer_scroll_to(v, vw->drag_scroll - (ev->motion.y - vw->drag_y));
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

