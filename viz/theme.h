/* theme.h - every colour and size the viewer uses, in one place.
 *
 * Colours are from the Okabe-Ito palette, which stays distinguishable with
 * the common colour-vision deficiencies: pending polls orange, ready polls
 * blue, compute reddish purple, device events bluish green. Pending and
 * ready also differ in height (a ready poll fills its lane, a pending one
 * is a shorter bar), so the result reads even without colour. */
#ifndef FS_VIZ_THEME_H
#define FS_VIZ_THEME_H

#include <stdint.h>

#define FS_VIZ_TASK_TINTS 16

typedef struct fs_viz_color {
    uint8_t r, g, b, a;
} fs_viz_color;

typedef struct fs_viz_theme {
    /* colours */
    fs_viz_color bg, lane_alt, band_bg, grid, text, text_dim, text_inv;
    fs_viz_color pending, ready, spin, spin_stripe, compute, folded, folded_mark;
    fs_viz_color worker_busy, parked, parked_stripe, io, wake, playhead;
    fs_viz_color warn, panel_bg, panel_head, overlay_bg, tooltip_bg, border;
    /* steal:N: driver turns, the local queue's depth, coop budget yields */
    fs_viz_color driver, driver_edge, queue, queue_edge, queue_bg, budget;
    /* a task's polls on a worker lane: light tints, one per task by a hash
     * of its id (worker_polls.h), each readable under dark text; tint i and
     * i + FS_VIZ_TASK_TINTS / 2 are far apart (the second is the one a poll
     * takes when the poll touching it on its left has its tint) */
    fs_viz_color task_tint[FS_VIZ_TASK_TINTS];
    /* how much of an event after the playhead fades into the background, 0..1 */
    float future_fade;
    /* sizes, px */
    int font_px;
    const char *font_file;   /* NULL: the first of the usual places (fs_viz_find_font) */
    int char_w, line_h;      /* set from the font by the SDL layer; defaults for tests */
    int title_h, axis_h, legend_h, label_w, panel_w;
    int band_head_h, band_gap, task_lane_h, worker_lane_h, device_lane_h;
    int queue_strip_h;       /* steal:N: the local queue graph under a worker lane */
    int counter_lane_h;      /* a band's ready queue depth graph */
    int min_slice_px;        /* slices narrower than this fold into one block */
    int hatch_step;          /* px between the stripes of hatched blocks */
    int tick_min_px;         /* axis ticks at least this far apart */
} fs_viz_theme;

void fs_viz_theme_default(fs_viz_theme *th);
/* c faded towards the background by f (0: c, 1: background). */
fs_viz_color fs_viz_fade(const fs_viz_theme *th, fs_viz_color c, float f);

#endif
