/* record.h - what `view --record` films: which playhead times become
 * frames and how long each stays on screen.
 *
 * The playhead moves from `from` to `to` at the viewer's play speed (the
 * whole run in 10 s, fs_viz_view_speed) times `speed`, so the clip lasts
 * L = (to - from) / (end / 10 * speed) seconds. It is cut into
 * steps = round(L * fps) steps (at least 1), which is steps + 1 frames:
 * the first shows the playhead at `from`, the last exactly at `to`, the
 * others evenly between. Frame k is shown until the clip's clock reaches
 * (k + 1) / fps, rounded to GIF's hundredths of a second, so the delays
 * add up to the clip's length without drift (at 10 fps every delay is 10;
 * at 30 fps they run 3, 4, 3, ...). The last frame stays 1 s so the
 * finished picture can be read before the loop starts again. */
#ifndef FS_VIZ_RECORD_H
#define FS_VIZ_RECORD_H

#include <stdint.h>

#define FS_VIZ_RECORD_FPS 10           /* default frames per second */
#define FS_VIZ_RECORD_MAX_FPS 60
#define FS_VIZ_RECORD_MAX_FRAMES 10000 /* more is refused: raise --speed or lower --fps */
#define FS_VIZ_RECORD_HOLD_CS 100      /* the last frame's time on screen */

typedef struct fs_viz_record_desc {
    int64_t from_ns, to_ns;  /* to_ns 0: the run's end */
    int fps;                 /* 0: FS_VIZ_RECORD_FPS */
    double speed;            /* times the viewer's play speed (a power of two); 0: 1 */
    uint64_t max_bytes;      /* the GIF's size cap; 0: FS_VIZ_GIF_MAX_BYTES */
} fs_viz_record_desc;

typedef struct fs_viz_record_plan {
    int64_t from_ns, to_ns;
    int fps;
    int64_t frames;          /* steps + 1 */
} fs_viz_record_plan;

/* The frames of d for a run that ends at end_ns (defaults filled in).
 * The caller has checked from < to <= end. */
fs_viz_record_plan fs_viz_record_plan_of(const fs_viz_record_desc *d, int64_t end_ns);
/* The playhead of frame k, in ns. */
double fs_viz_record_time(const fs_viz_record_plan *p, int64_t k);
/* How long frame k stays on screen, in hundredths of a second. */
int fs_viz_record_delay_cs(const fs_viz_record_plan *p, int64_t k);

#endif
