/* plot.h - `explore --plot`: the end times of a sweep as a picture. One
 * panel per executor, on one time axis: a bar per bin of end times,
 * stacked by outcome (ok at the bottom, then the ways a run fails), the
 * executor's p50 and p99 marked, and a title saying what was swept. Built
 * as a draw list (tests read it without SDL); app.c renders it to a PNG. */
#ifndef FS_VIZ_PLOT_H
#define FS_VIZ_PLOT_H

#include <stdbool.h>
#include <stdint.h>

#include "drawlist.h"
#include "explore.h"
#include "theme.h"

typedef struct fs_viz_plot_desc {
    const char *title;     /* "end times of timeout race (tests/explore/timeout_race.json)" */
    const char *subtitle;  /* the seeds, executors, schedule and options */
    bool has_expect;       /* the scenario has expectations: the legend names that outcome */
    int n_exec;
    const char (*labels)[32];         /* [n_exec] "steal:2" */
    const fs_explore_summary *sums;   /* [n_exec]: runs, outcomes, p50, p99 */
    const fs_explore_hist *hist;      /* fs_explore_histogram's */
} fs_viz_plot_desc;

/* Where things go, from the theme's text metrics. */
typedef struct fs_viz_plot_layout {
    int w, h;                            /* the picture */
    int plot_x, plot_w, plot_h;          /* the bars' area of every panel: x, width, height */
    int plot_y[FS_EXPLORE_MAX_EXEC];     /* its top, per executor */
    int64_t t0, t1;                      /* end times at plot_x and plot_x + plot_w */
    uint64_t y_max, y_step;              /* runs at the top of the area; between grid lines */
} fs_viz_plot_layout;

void fs_viz_plot_layout_of(const fs_viz_plot_desc *d, const fs_viz_theme *th,
                           fs_viz_plot_layout *l);
/* The pixel column of end time t. */
int fs_viz_plot_x(const fs_viz_plot_layout *l, int64_t t);
/* The colour of an outcome's bars. */
fs_viz_color fs_viz_plot_color(const fs_viz_theme *th, fs_outcome o);
/* The picture as a draw list (cleared first). */
void fs_viz_plot_build(fs_viz_drawlist *dl, const fs_viz_theme *th, const fs_viz_plot_desc *d,
                       const fs_viz_plot_layout *l);

#endif
