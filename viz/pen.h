/* pen.h - lines of text down a box of the side panel (the state at the
 * playhead, a task's detail, the warnings list): each line is wrapped at
 * spaces to the box's width, never cut by its edge, and a line that would
 * pass the box's bottom is not drawn. */
#ifndef FS_VIZ_PEN_H
#define FS_VIZ_PEN_H

#include <stdbool.h>

#include "drawlist.h"
#include "theme.h"

typedef struct fs_viz_pen {
    fs_viz_drawlist *dl;
    const fs_viz_theme *th;
    int x, y, w, bottom;  /* the box: x .. x + w, the next line at y */
    int top;              /* a scrolled box: lines above it take their room, undrawn */
} fs_viz_pen;

/* Room for one more line. */
bool fs_viz_pen_room(const fs_viz_pen *p);
/* Room for one more line, and it shows (not scrolled above the top). */
bool fs_viz_pen_shows(const fs_viz_pen *p);
/* Lines text takes at indent columns: wrapped at spaces (a word wider
 * than the box is cut), each line after the first indented 2 more than
 * the first's text (its leading spaces count), at
 * most max lines, the last ending in an ellipsis when text goes on. */
int fs_viz_pen_count(const fs_viz_pen *p, int indent, const char *text, int max);
/* Draws text so; false when the box's bottom stopped it. */
bool fs_viz_pen_text(fs_viz_pen *p, int indent, fs_viz_color c, const char *text, int max);
/* A formatted line, at most 3 lines wrapped. */
bool fs_viz_pen_line(fs_viz_pen *p, int indent, fs_viz_color c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
