/* app.h - the viewer as a program: one frame to a PNG with no display, or
 * the interactive window and its loop. */
#ifndef FS_VIZ_APP_H
#define FS_VIZ_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "plot.h"
#include "record.h"
#include "source.h"
#include "trace_reader.h"

typedef struct fs_viz_app_desc {
    int w, h;              /* 0: 1600x900 */
    bool has_at;           /* playhead; else the run's end (screenshot) or 0 */
    int64_t at_ns;
    const char *title;     /* NULL: the first trace's scenario */
    int64_t slow_poll_ns;  /* slow-poll warning threshold; 0: 10 ms */
    bool has_detail;       /* open the detail of this task at the start */
    int detail_trace;
    int32_t detail_task;
    /* --watch: checked about every 250 ms and the view reloaded when one of
     * its files changed (fs_viz_run only; the traces passed in must then be
     * the source's current ones). NULL: no watching. */
    fs_viz_source *watch;
} fs_viz_app_desc;

/* Renders one frame as a PNG into png with SDL's software renderer (no
 * window, no display). Returns 0, or 1 with err filled. A write that fails
 * leaves png's error flag set: the caller checks it when closing png. */
int fs_viz_screenshot(fs_trace **traces, size_t n, const fs_viz_app_desc *d, FILE *png,
                      char *err, size_t errn);
/* Renders the frames of r (record.h) with the software renderer, as the
 * screenshot does, and writes them as an animated GIF into gif
 * (gif_writer.h). d's playhead (has_at) is not used. Returns FS_ERR_OK,
 * or the error with err filled (FS_ERR_LIMIT: the GIF would pass its
 * size cap; nothing past it was written). */
fs_errcode fs_viz_record(fs_trace **traces, size_t n, const fs_viz_app_desc *d,
                         const fs_viz_record_desc *r, FILE *gif, fs_error *err);
/* Renders the plot of d (plot.h) as a PNG into png with the software
 * renderer, in the theme and font of the assets folder as the viewer
 * loads them; l (may be NULL) gets its layout. Returns FS_ERR_OK, or the
 * error with err filled (a failed write shows in png's error flag). */
fs_errcode fs_viz_plot_png(const fs_viz_plot_desc *d, FILE *png, fs_viz_plot_layout *l,
                           fs_error *err);
/* Opens the window and runs until quit. Returns 0, or 1 with err filled. */
int fs_viz_run(fs_trace **traces, size_t n, const fs_viz_app_desc *d, char *err, size_t errn);

#endif
