/* app.h - the viewer as a program: one frame to a PNG with no display, or
 * the interactive window and its loop. */
#ifndef FS_VIZ_APP_H
#define FS_VIZ_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

typedef struct fs_viz_app_desc {
    int w, h;              /* 0: 1600x900 */
    bool has_at;           /* playhead; else the run's end (screenshot) or 0 */
    int64_t at_ns;
    const char *title;     /* NULL: the first trace's scenario */
} fs_viz_app_desc;

/* Renders one frame into out_png with SDL's software renderer (no window,
 * no display). Returns 0, or 1 with err filled. */
int fs_viz_screenshot(fs_trace **traces, size_t n, const fs_viz_app_desc *d, const char *out_png,
                      char *err, size_t errn);
/* Opens the window and runs until quit. Returns 0, or 1 with err filled. */
int fs_viz_run(fs_trace **traces, size_t n, const fs_viz_app_desc *d, char *err, size_t errn);

#endif
