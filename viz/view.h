/* view.h - the view state: visible time window, playhead, playback speed,
 * window size, scroll and the pointer, plus the time <-> pixel mapping.
 * Plain data: the input step changes it, the draw step only reads it. */
#ifndef FS_VIZ_VIEW_H
#define FS_VIZ_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "theme.h"

typedef enum { FS_DRAG_NONE, FS_DRAG_PAN, FS_DRAG_SCRUB, FS_DRAG_SCROLLBAR } fs_viz_drag;

typedef struct fs_viz_view {
    int w, h;               /* window size, px */
    double t0, t1;          /* visible time window, ns (t1 > t0) */
    int64_t end_ns;         /* the longest run's end */
    double playhead;        /* ns; double so slow playback accumulates */
    bool playing;
    int speed_step;         /* log2 of speed / default speed */
    int scroll_y;           /* lanes scrolled up by this many px */
    bool help, quit, screenshot_requested;
    int mouse_x, mouse_y;
    bool mouse_in;
    uint8_t drag;           /* fs_viz_drag */
    int drag_x, drag_y, drag_scroll;
    bool pressed;           /* left button down: a click if it comes up nearby */
    int press_x, press_y;
    double drag_t0, drag_t1;
} fs_viz_view;

/* The timeline's pixel box (between the labels and the side panel). */
typedef struct fs_viz_box {
    int x, y, w, h;
} fs_viz_box;

void fs_viz_view_init(fs_viz_view *v, int w, int h, int64_t end_ns);
fs_viz_box fs_viz_view_timeline(const fs_viz_view *v, const fs_viz_theme *th);
/* The whole run in view, with a little margin on the right. */
void fs_viz_view_fit(fs_viz_view *v);
/* Zooms by factor (< 1 zooms in) keeping the time under pixel x fixed. */
void fs_viz_view_zoom(fs_viz_view *v, const fs_viz_theme *th, double factor, int x);
/* Default speed: the whole run in about 10 s of real time; doubles per step. */
double fs_viz_view_speed(const fs_viz_view *v);
double fs_viz_view_x(const fs_viz_view *v, const fs_viz_theme *th, double t);
/* A time on screen (a double: zoomed out or panned, past what int64 holds)
 * as whole ns, clamped to +-6e18: traces end by 2^62, so look-ups keep
 * their answer and nothing overflows. */
int64_t fs_viz_ns(double t);
double fs_viz_view_t(const fs_viz_view *v, const fs_viz_theme *th, double x);
void fs_viz_view_set_playhead(fs_viz_view *v, double t);

#endif
