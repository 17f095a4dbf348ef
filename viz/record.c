/* record.c - the frames of a recording (record.h). */
#include "record.h"

#include <math.h>

fs_viz_record_plan fs_viz_record_plan_of(const fs_viz_record_desc *d, int64_t end_ns)
{
    fs_viz_record_plan p = {
        .from_ns = d->from_ns,
        .to_ns = d->to_ns > 0 ? d->to_ns : end_ns,
        .fps = d->fps > 0 ? d->fps : FS_VIZ_RECORD_FPS,
    };
    double speed = d->speed > 0 ? d->speed : 1.0;
    /* the viewer plays the whole run in 10 s at speed 1 (view.c) */
    double ns_per_s = (end_ns > 0 ? (double)end_ns : 1.0) / 10.0 * speed;
    double seconds = (double)(p.to_ns - p.from_ns) / ns_per_s;
    double steps = round(seconds * p.fps);
    if (steps < 1)
        steps = 1;
    /* the caller refuses more than FS_VIZ_RECORD_MAX_FRAMES; keep it finite */
    if (steps > 1e15)
        steps = 1e15;
    p.frames = (int64_t)steps + 1;
    return p;
}

double fs_viz_record_time(const fs_viz_record_plan *p, int64_t k)
{
    int64_t steps = p->frames - 1;
    if (k >= steps)
        return (double)p->to_ns;
    return (double)p->from_ns + (double)(p->to_ns - p->from_ns) * (double)k / (double)steps;
}

int fs_viz_record_delay_cs(const fs_viz_record_plan *p, int64_t k)
{
    if (k >= p->frames - 1)
        return FS_VIZ_RECORD_HOLD_CS;  /* at least 1/fps, since fps >= 1 */
    /* the clock at the end of frame k, rounded, less that at its start */
    return (int)(llround(100.0 * (double)(k + 1) / p->fps) - llround(100.0 * (double)k / p->fps));
}
