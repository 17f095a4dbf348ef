/* drawlist.h - what a frame draws, as data (microui's command list): the
 * timeline and panels are turned into these commands without SDL, tests
 * read them, and render_sdl.c turns them into SDL2 calls.
 *
 * The list and its text buffer are reused every frame: clear keeps the
 * memory, so a steady frame allocates nothing. */
#ifndef FS_VIZ_DRAWLIST_H
#define FS_VIZ_DRAWLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "theme.h"

typedef enum {
    FS_DRAW_RECT,    /* filled x,y,w,h */
    FS_DRAW_FRAME,   /* outline x,y,w,h */
    FS_DRAW_HATCH,   /* filled with color, diagonal stripes of color2 */
    FS_DRAW_LINE,    /* x,y -> x2,y2 */
    FS_DRAW_ARROW,   /* line x,y -> x2,y2 with a head at x2,y2 */
    FS_DRAW_TEXT,    /* text at x,y (top-left) */
    FS_DRAW_CLIP,    /* clip later commands to x,y,w,h; w == 0 clears */
} fs_viz_cmd_type;

/* What a rectangle stands for, so hover and tests can ask. */
typedef enum {
    FS_HIT_NONE, FS_HIT_SLICE, FS_HIT_FOLD, FS_HIT_IO, FS_HIT_PARK, FS_HIT_WORKER_BUSY,
    FS_HIT_WAKE, FS_HIT_LANE_LABEL,
    FS_HIT_WARNING,       /* a warning mark or list entry: item = index in viewer warnings */
    FS_HIT_CLOSE,         /* the detail's close button */
    FS_HIT_TOGGLE,        /* the warnings list's show/hide header */
    FS_HIT_DRIVER,        /* steal:N driver turns: item = first, count = turns merged */
    FS_HIT_QUEUE,         /* steal:N a worker's local queue strip (hover: depth at the pointer) */
    FS_HIT_BUDGET,        /* steal:N budget yields: item = first, count = yields merged */
    FS_HIT_SCROLLBAR,     /* the lanes' scrollbar (track or thumb) */
    FS_HIT_GROUP,         /* a group lane's graph: lane = the group's index */
    FS_HIT_JOB,           /* a blocking pool job: lane = its thread, item = the job there */
    FS_HIT_STEAL,         /* steal:N a steal's label: lane = the thief, item = first steal,
                             count = steals merged (same victim, a few px apart) */
    FS_HIT_PREEMPT,       /* steal:N --cpus: a worker without a CPU: item = the span */
    FS_HIT_COUNTER,       /* a band's counter lane: lane = the trace (hover: the count at the pointer) */
    FS_HIT_WORKER_POLL,   /* a poll on a worker lane: lane = the worker, item = its index in
                             the worker's polls (worker_polls.h), count = the task */
} fs_viz_hit_kind;

typedef struct fs_viz_cmd {
    uint8_t type;
    uint8_t hit;          /* fs_viz_hit_kind */
    int16_t trace;        /* hit: which trace */
    int32_t x, y, w, h;   /* lines and arrows: w,h hold x2,y2 */
    fs_viz_color color, color2;
    uint32_t text, len;   /* FS_DRAW_TEXT: bytes in the text buffer */
    int32_t lane;         /* hit: task / resource / worker index */
    int64_t item;         /* hit: slice / io / park index; a fold: its first slice */
    int64_t count;        /* hit: a fold's polls */
} fs_viz_cmd;

typedef struct fs_viz_drawlist {
    fs_viz_cmd *cmds;
    size_t n, cap;
    char *text;
    size_t text_len, text_cap;
    bool oom;             /* an append failed: the frame is incomplete */
} fs_viz_drawlist;

void fs_viz_drawlist_init(fs_viz_drawlist *dl);
void fs_viz_drawlist_destroy(fs_viz_drawlist *dl);
void fs_viz_drawlist_clear(fs_viz_drawlist *dl);

fs_viz_cmd *fs_viz_rect(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color c);
fs_viz_cmd *fs_viz_frame(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color c);
fs_viz_cmd *fs_viz_hatch(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color fill,
                         fs_viz_color stripe);
void fs_viz_line(fs_viz_drawlist *dl, int x, int y, int x2, int y2, fs_viz_color c);
void fs_viz_arrow(fs_viz_drawlist *dl, int x, int y, int x2, int y2, fs_viz_color c);
void fs_viz_clip(fs_viz_drawlist *dl, int x, int y, int w, int h);
/* Text at x,y; returns its width for a monospace font of char_w. */
int fs_viz_text(fs_viz_drawlist *dl, int x, int y, fs_viz_color c, int char_w, const char *s);
int fs_viz_textf(fs_viz_drawlist *dl, int x, int y, fs_viz_color c, int char_w, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Width in columns of UTF-8 text (code points). */
int fs_viz_text_cols(const char *s, size_t len);
/* Cuts s (a buffer of cap bytes) to at most cols columns, its last an
 * ellipsis when anything was cut; returns its width in columns. */
int fs_viz_text_fit(char *s, size_t cap, int cols);
static inline const char *fs_viz_cmd_text(const fs_viz_drawlist *dl, const fs_viz_cmd *c)
{
    return dl->text + c->text;
}

#endif
