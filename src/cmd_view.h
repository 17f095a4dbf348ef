/* cmd_view.h - the viewer as view and demo open it. */
#ifndef FS_CMD_VIEW_H
#define FS_CMD_VIEW_H

#include "app.h"
#include "outfile.h"
#include "source.h"

/* Opens the window on src's traces, or writes one frame to png when it is
 * not NULL (opened by the caller before anything was simulated; committed
 * or aborted here), or with rec not NULL the recording of rec (record.h)
 * as a GIF to png (its times checked by the caller against the run's end);
 * detail: "[BAND:]TASK" to open at the start, or NULL. Returns the exit
 * status (errors printed). */
int fs_view_open(fs_viz_source *src, const fs_viz_app_desc *desc, fs_outfile *png,
                 const char *detail, const fs_viz_record_desc *rec);

#endif
