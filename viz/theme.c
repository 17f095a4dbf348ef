/* theme.c - the default (light) theme. */
#include "theme.h"

#define RGB(r, g, b) ((fs_viz_color){(r), (g), (b), 255})

void fs_viz_theme_default(fs_viz_theme *th)
{
    *th = (fs_viz_theme){
        .bg = RGB(250, 250, 247),
        .lane_alt = RGB(238, 238, 233),
        .band_bg = RGB(222, 226, 232),
        .grid = RGB(215, 215, 210),
        .text = RGB(25, 25, 25),
        .text_dim = RGB(105, 105, 105),
        .text_inv = RGB(255, 255, 255),
        .pending = RGB(230, 159, 0),        /* Okabe-Ito orange */
        .ready = RGB(0, 114, 178),          /* blue */
        .spin = RGB(246, 212, 140),
        .spin_stripe = RGB(190, 120, 0),
        .compute = RGB(204, 121, 167),      /* reddish purple */
        .folded = RGB(150, 150, 150),
        .folded_mark = RGB(60, 60, 60),
        .worker_busy = RGB(90, 90, 90),
        .parked = RGB(226, 226, 226),
        .parked_stripe = RGB(180, 180, 180),
        .io = RGB(0, 158, 115),             /* bluish green */
        .wake = RGB(213, 94, 0),            /* vermillion */
        .playhead = RGB(200, 0, 60),
        .warn = RGB(213, 94, 0),
        .panel_bg = RGB(243, 244, 246),
        .panel_head = RGB(60, 70, 90),
        .overlay_bg = RGB(30, 34, 44),
        .tooltip_bg = RGB(255, 255, 225),
        .border = RGB(160, 160, 160),
        .driver = RGB(240, 228, 66),        /* yellow, framed in black */
        .driver_edge = RGB(0, 0, 0),
        .queue = RGB(86, 180, 233),         /* sky blue */
        .queue_edge = RGB(0, 90, 140),
        .queue_bg = RGB(255, 255, 255),
        .budget = RGB(0, 0, 0),             /* black square */
        /* Tableau's light tints, then eight more, each far from the one
         * eight places before it */
        .task_tint = {RGB(174, 199, 232), RGB(255, 187, 120), RGB(152, 223, 138),
                      RGB(255, 152, 150), RGB(197, 176, 213), RGB(196, 156, 148),
                      RGB(247, 182, 210), RGB(219, 219, 141),
                      RGB(255, 237, 111), RGB(141, 211, 199), RGB(188, 128, 189),
                      RGB(158, 218, 229), RGB(179, 222, 105), RGB(229, 196, 148),
                      RGB(128, 177, 211), RGB(140, 150, 198)},
        .future_fade = 0.72f,
        .font_px = 13,
        .char_w = 8,
        .line_h = 16,
        .title_h = 30,
        .axis_h = 30,
        .legend_h = 28,
        .label_w = 210,
        .panel_w = 400,
        .band_head_h = 24,
        .band_gap = 8,
        .task_lane_h = 26,
        .worker_lane_h = 20,
        .device_lane_h = 20,
        .queue_strip_h = 18,
        .counter_lane_h = 24,
        .min_slice_px = 3,
        .hatch_step = 6,
        .tick_min_px = 110,
    };
}

fs_viz_color fs_viz_fade(const fs_viz_theme *th, fs_viz_color c, float f)
{
    fs_viz_color o = c;
    o.r = (uint8_t)(c.r + (th->bg.r - c.r) * f + 0.5f);
    o.g = (uint8_t)(c.g + (th->bg.g - c.g) * f + 0.5f);
    o.b = (uint8_t)(c.b + (th->bg.b - c.b) * f + 0.5f);
    return o;
}
