/* scrollbar.c - the lanes' vertical scrollbar: a track at the timeline's
 * right edge with a mark where each band starts (so a band 1,000 lanes
 * down is one glance away) and a thumb for the part on screen. Dragging
 * the thumb or pressing the track scrolls; nothing shows when all the
 * lanes fit. */
#include "viewer.h"

#define FS__TRACK_W 12

fs_viz_box fs_viz_scrollbar_box(const fs_viz_viewer *v)
{
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    if (v->content_h <= tl.h)
        return (fs_viz_box){0};
    return (fs_viz_box){tl.x + tl.w - FS__TRACK_W, tl.y, FS__TRACK_W, tl.h};
}

/* The thumb's top and height within the track. */
static void fs__thumb(const fs_viz_viewer *v, fs_viz_box sb, int *y, int *h)
{
    double scale = (double)sb.h / v->content_h;
    *h = (int)(sb.h * scale < 16 ? 16 : sb.h * scale);
    if (*h > sb.h)
        *h = sb.h;
    int room = sb.h - *h, max = v->content_h - sb.h;
    *y = sb.y + (max > 0 ? (int)((double)v->view.scroll_y * room / max) : 0);
}

int fs_viz_scrollbar_scroll_at(const fs_viz_viewer *v, int y)
{
    fs_viz_box sb = fs_viz_scrollbar_box(v);
    if (sb.h <= 0)
        return 0;
    int ty, th;
    fs__thumb(v, sb, &ty, &th);
    int room = sb.h - th, max = v->content_h - sb.h;
    if (room <= 0)
        return 0;
    double frac = (double)(y - sb.y - th / 2) / room;
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    return (int)(frac * max + 0.5);
}

void fs_viz_draw_scrollbar(fs_viz_viewer *v)
{
    const fs_viz_theme *th = &v->theme;
    fs_viz_box sb = fs_viz_scrollbar_box(v);
    if (sb.h <= 0)
        return;
    fs_viz_cmd *c = fs_viz_rect(&v->dl, sb.x, sb.y, sb.w, sb.h, th->panel_bg);
    c->hit = FS_HIT_SCROLLBAR;
    fs_viz_line(&v->dl, sb.x, sb.y, sb.x, sb.y + sb.h, th->border);
    /* where each band starts, as a share of all the lanes */
    int top = v->n_traces ? v->bands[0].y : 0;
    for (size_t b = 0; b < v->n_traces; b++) {
        int y = sb.y + (int)((double)(v->bands[b].y - top) * sb.h / v->content_h);
        fs_viz_rect(&v->dl, sb.x + 1, y, sb.w - 1, 3, th->panel_head);
    }
    int ty, tth;
    fs__thumb(v, sb, &ty, &tth);
    c = fs_viz_rect(&v->dl, sb.x + 3, ty, sb.w - 5, tth, th->border);
    c->hit = FS_HIT_SCROLLBAR;
}
