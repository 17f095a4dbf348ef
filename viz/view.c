/* view.c - window mapping and the view's small operations. */
#include "view.h"

#include <math.h>

#define FS__MIN_SPAN_NS 20.0  /* deepest zoom: 20 ns across the timeline */

void fs_viz_view_init(fs_viz_view *v, int w, int h, int64_t end_ns)
{
    *v = (fs_viz_view){.w = w, .h = h, .end_ns = end_ns > 0 ? end_ns : 1};
    fs_viz_view_fit(v);
}

fs_viz_box fs_viz_view_timeline(const fs_viz_view *v, const fs_viz_theme *th)
{
    fs_viz_box b = {.x = th->label_w, .y = th->title_h + th->axis_h};
    b.w = v->w - th->label_w - th->panel_w;
    b.h = v->h - b.y - th->legend_h;
    if (b.w < 50)
        b.w = 50;
    if (b.h < 20)
        b.h = 20;
    return b;
}

void fs_viz_view_fit(fs_viz_view *v)
{
    v->t0 = 0;
    v->t1 = (double)v->end_ns * 1.06;  /* room for the "done" marks */
    if (v->t1 < FS__MIN_SPAN_NS)
        v->t1 = FS__MIN_SPAN_NS;
}

void fs_viz_view_zoom(fs_viz_view *v, const fs_viz_theme *th, double factor, int x)
{
    double at = fs_viz_view_t(v, th, x);
    double span = (v->t1 - v->t0) * factor;
    double max_span = (double)v->end_ns * 4 + 1e3;
    if (span < FS__MIN_SPAN_NS)
        span = FS__MIN_SPAN_NS;
    if (span > max_span)
        span = max_span;
    double frac = (at - v->t0) / (v->t1 - v->t0);
    v->t0 = at - frac * span;
    v->t1 = v->t0 + span;
}

double fs_viz_view_speed(const fs_viz_view *v)
{
    return (double)v->end_ns / 10.0 * pow(2.0, v->speed_step);
}

double fs_viz_view_x(const fs_viz_view *v, const fs_viz_theme *th, double t)
{
    fs_viz_box b = fs_viz_view_timeline(v, th);
    return b.x + (t - v->t0) * b.w / (v->t1 - v->t0);
}

double fs_viz_view_t(const fs_viz_view *v, const fs_viz_theme *th, double x)
{
    fs_viz_box b = fs_viz_view_timeline(v, th);
    return v->t0 + (x - b.x) * (v->t1 - v->t0) / b.w;
}

void fs_viz_view_set_playhead(fs_viz_view *v, double t)
{
    if (t < 0)
        t = 0;
    if (t > (double)v->end_ns)
        t = (double)v->end_ns;
    v->playhead = t;
}

int64_t fs_viz_ns(double t)
{
    if (!(t > -6e18)) /* NaN too */
        return -6000000000000000000LL;
    if (t > 6e18)
        return 6000000000000000000LL;
    return (int64_t)t;
}
