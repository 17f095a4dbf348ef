/* viewer.h - the viewer without a window: traces, view state, layout, the
 * state at the playhead and the frame's draw list. Each frame is three
 * steps: input (fs_viz_viewer_input per SDL event), update (advance the
 * playhead by real elapsed time), build (the draw list). The SDL layer
 * (render_sdl.h) draws the list; app.h owns the window and the loop.
 *
 * Several traces stack vertically as bands sharing one time axis and one
 * playhead. Each band has a lane per task, per device and per worker. */
#ifndef FS_VIZ_VIEWER_H
#define FS_VIZ_VIEWER_H

#include <SDL2/SDL_events.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis.h"
#include "drawlist.h"
#include "group.h"
#include "search.h"
#include "state.h"
#include "theme.h"
#include "trace_reader.h"
#include "view.h"
#include "worker_polls.h"

/* FS_LANE_BTHREAD: a thread of the blocking pool (spawn_blocking's jobs) */
/* FS_LANE_COUNTER: the band's ready queue depth over time (counter.c) */
typedef enum { FS_LANE_TASK, FS_LANE_DEVICE, FS_LANE_WORKER, FS_LANE_GROUP, FS_LANE_BTHREAD, FS_LANE_COUNTER } fs_viz_lane_kind;

/* A band's counter lane: every task's states over time (group.h), of
 * which it graphs the queued; max: the most queued at once in the run. */
typedef struct fs_viz_counter {
    fs_viz_group tasks;
    int32_t max;    /* the most queued at once in the run */
    int32_t scale;  /* the graph's top: max, or less when max is a burst under 1% of the run (clipped) */
} fs_viz_counter;

/* The order of task lanes within each band (key o, order.c). */
typedef enum { FS_ORDER_SPAWN, FS_ORDER_END, FS_ORDER_WAKE_LATENCY, FS_ORDER_POLLS, FS_ORDER_N } fs_viz_lane_order;

typedef struct fs_viz_lane {
    uint8_t kind;       /* fs_viz_lane_kind */
    int16_t trace;
    int32_t index;      /* task, resource, worker or group (in the viewer's groups) */
    int y, h;           /* on screen, scroll applied */
} fs_viz_lane;

/* A band's lanes are laid out from its rows (group.h) every frame. Each of
 * its tasks, resources and workers maps to the lane that shows it: its own,
 * or its group's while the group is collapsed. */
typedef struct fs_viz_band {
    int y, h;           /* header line at y, lanes below */
    size_t first_lane, n_lanes;
    size_t first_row, n_rows;
    int32_t *task_lane, *res_lane, *worker_lane;  /* into the viewer's lane_of */
} fs_viz_band;

typedef struct fs_viz_viewer {
    fs_trace **traces;  /* borrowed */
    size_t n_traces;
    fs_viz_theme theme;
    fs_viz_view view;
    fs_viz_drawlist dl;
    fs_viz_state *states;   /* one per trace, at the playhead */
    fs_viz_wpolls *wpolls;  /* one per trace: each worker's polls by task (fs_viz_wpolls_get builds it when first drawn) */
    fs_viz_counter *counters; /* one per trace: its counter lane's counts */
    fs_viz_lane *lanes;
    size_t n_lanes;
    int *lane_scratch;      /* one int per task, resource and worker, for the frame's use */
    fs_viz_group *groups;   /* every band's, group.h */
    size_t n_groups;
    fs_viz_row *rows;       /* every band's, in order */
    size_t n_rows;
    int32_t *lane_of;       /* the bands' task_lane, res_lane and worker_lane */
    fs_viz_band *bands;
    int content_h;          /* height of all bands, for scrolling */
    /* The layout is redone only when the lanes change (groups opened or
     * closed, their order, the lane heights, the traces): a scroll or a
     * resize only moves every lane (fs_viz_layout). */
    uint64_t layout_sig;    /* what the lanes were laid out from; 0: nothing */
    int layout_top;         /* the y the first band was laid out at */
    uint32_t layout_gen;    /* bumped when the rows' order changes (order.c) */
    char title[256];
    /* warnings of every trace, by trace then task (analysis.h) */
    int64_t slow_poll_ns;
    fs_viz_warning *warnings;
    size_t n_warnings;
    bool show_warnings;     /* the list in the side panel (key w) */
    int panel_scroll;       /* the side panel's task lists start at this task */
    int detail_scroll;      /* px of a task's detail scrolled under its heading */
    int help_scroll;        /* lines of the help scrolled off its top */
    /* the task whose detail is open (click a task lane); sel_task -1: none */
    int sel_trace;
    int32_t sel_task;
    fs_viz_task_stats sel;
    /* shown in a bar above the legend, e.g. a --watch reload that failed */
    char error[600];
    bool watching;          /* --watch: say so in the title bar */
    /* Idle when idle: the window loop draws only when something changed.
     * dirty: an input, a resize or a reload since the last build (the
     * first frame is dirty); frames: builds so far, for tests. */
    bool dirty;
    uint64_t frames;
    fs_viz_search search;   /* type-to-search (search.h) */
    uint8_t lane_order;     /* fs_viz_lane_order */
    /* one line over the legend answering the last key ("sleeper#3: wake
     * at 1.2 ms"), until the next key or click; "" for none */
    char status[160];
    /* wake arrows the last frame left out: past FS_VIZ_WAKE_ARROWS_MAX in
     * a band, only the hovered and the selected task's are drawn */
    size_t wakes_hidden;
    const fs_viz_lane *hover_lane; /* under the pointer this frame, or NULL (set by the build) */
} fs_viz_viewer;

#define FS_VIZ_WAKE_ARROWS_MAX 200

/* Loading sets each band up on a thread of its own (the bands share nothing
 * they write). Tests set this to false to set them up one after another,
 * and compare. */
extern bool fs_viz_threads;

/* traces stay the caller's and must outlive the viewer. */
bool fs_viz_viewer_init(fs_viz_viewer *v, fs_trace **traces, size_t n, int w, int h);
/* Swaps in new traces (a --watch reload), keeping the time window, the
 * playhead (clamped to the new end), speed, scroll and an open detail if
 * its task still exists. The old traces may be freed once this returns.
 * False when out of memory: the viewer then shows nothing until the next
 * successful call (it never keeps pointers into the old traces). */
bool fs_viz_viewer_reload(fs_viz_viewer *v, fs_trace **traces, size_t n);
/* Threshold of the slow-poll warning (<= 0: 10 ms); recomputes warnings. */
void fs_viz_viewer_set_slow_poll(fs_viz_viewer *v, int64_t ns);
/* Opens the detail of a task (its figures computed now); task -1 closes. */
void fs_viz_viewer_select(fs_viz_viewer *v, int trace, int32_t task);
/* The lane showing a task (or a resource, a worker): its own, or its
 * group's while the group is collapsed (look at the lane's kind). */
const fs_viz_lane *fs_viz_viewer_task_lane(const fs_viz_viewer *v, int trace, uint32_t task);
const fs_viz_lane *fs_viz_viewer_res_lane(const fs_viz_viewer *v, int trace, uint32_t res);
/* group.c: the first of lanes [from, to) (in the order laid out, which is top to
 * bottom) that reaches down to y or below: where a pass over what shows
 * between y and the bottom of the window starts. */
size_t fs_viz_first_lane_at(const fs_viz_viewer *v, size_t from, size_t to, int y);
/* Opens or closes a group (index in v->groups); all < 0: every group,
 * open when any is closed, else all closed. */
void fs_viz_viewer_toggle_group(fs_viz_viewer *v, int group);
/* The lane under a point of the timeline or the labels column, or NULL. */
const fs_viz_lane *fs_viz_viewer_lane_at(const fs_viz_viewer *v, int x, int y);
void fs_viz_viewer_destroy(fs_viz_viewer *v);
void fs_viz_viewer_resize(fs_viz_viewer *v, int w, int h);
/* Input step: one event. */
void fs_viz_viewer_input(fs_viz_viewer *v, const SDL_Event *ev);
/* Update step: advances the playhead when playing; dt in real seconds. */
void fs_viz_viewer_update(fs_viz_viewer *v, double dt);
/* How long the window loop may sleep waiting for an event before the next
 * frame, in ms: 0 when a frame is due (playing, or dirty), else idle_ms
 * (the loop's own wake-up, e.g. --watch's file check). */
int fs_viz_viewer_wait_ms(const fs_viz_viewer *v, int idle_ms);
/* Build step: the draw list of the current frame in v->dl. */
void fs_viz_viewer_build(fs_viz_viewer *v);
/* Moves the playhead to the previous/next event time of any trace. */
void fs_viz_viewer_step(fs_viz_viewer *v, int dir);
/* Scrolls the lanes to scroll_y, clamped to what there is to show. */
void fs_viz_viewer_scroll_to(fs_viz_viewer *v, int scroll_y);
/* navigate.c: opens a task's detail (its group expanded) and brings its
 * lane on screen, below its band's pinned header; when none of its life is
 * in the time window, pans the window (same zoom) to its spawn. */
void fs_viz_viewer_goto_task(fs_viz_viewer *v, int trace, int32_t task);
/* navigate.c: moves the playhead to the selected task's next (dir > 0)
 * or previous event after (before) it: its spawn, a poll's start, a wake,
 * its completion; the window pans (same zoom) when the event is off screen
 * and the lane scrolls into view. Says what it found, or that there is
 * nothing to go to, in v->status. */
void fs_viz_viewer_goto_event(fs_viz_viewer *v, int dir);
/* order.c: sorts the task lanes of every band (fs_viz_lane_order) for
 * the next layout; false when out of memory (the order is then unchanged). */
bool fs_viz_viewer_sort_lanes(fs_viz_viewer *v, int order);
/* "spawn", "end time", "longest wake latency", "polls". */
const char *fs_viz_order_name(int order);
/* navigate.c: goes to the search's next (dir > 0) or previous match. */
void fs_viz_viewer_goto_match(fs_viz_viewer *v, int dir);
/* search.c: the search box, over the legend while it shows. */
void fs_viz_draw_search(fs_viz_viewer *v);

/* Parts of the build step (timeline.c, panel.c). */
void fs_viz_layout(fs_viz_viewer *v);
void fs_viz_draw_timeline(fs_viz_viewer *v);
void fs_viz_draw_axis(fs_viz_viewer *v);
void fs_viz_draw_panel(fs_viz_viewer *v);
void fs_viz_draw_chrome(fs_viz_viewer *v);   /* title, legend, tooltip, help */
/* The help box (when it shows): as tall as its lines, or the window less a
 * margin, its lines then scrolling (help_scroll, the wheel over it). */
fs_viz_box fs_viz_help_box(const fs_viz_viewer *v);
/* Sets theme.legend_h for the window's width (one row or two). */
void fs_viz_legend_fit(fs_viz_viewer *v);
/* detail.c: the open task's detail and the warnings list, in the side
 * panel's box; each returns the y below what it drew. */
int fs_viz_draw_detail(fs_viz_viewer *v, int x, int y, int w, int bottom);
int fs_viz_draw_warnings(fs_viz_viewer *v, int x, int y, int w, int bottom);
/* Lines of a tooltip describing a warning marker (detail.c). */
int fs_viz_describe_warning(const fs_viz_viewer *v, const fs_viz_warning *w, char lines[][160], int max);
/* steal.c: steal:N's marks (format version 2). has_steal: the trace has
 * driver turns or queue depths (its worker lanes then hold a queue strip);
 * queue_scale: the deepest local queue of its workers (at least 1). */
bool fs_viz_trace_has_steal(const fs_trace *tr);
int64_t fs_viz_queue_scale(const fs_trace *tr);
void fs_viz_draw_worker_steal(fs_viz_viewer *v, int trace, const fs_viz_lane *ln);
/* The driver-turn mark on a worker lane that begins at turn i: its x, and
 * the events of the turns within a few pixels of it, which it stands for;
 * returns the first turn after them. */
size_t fs_viz_driver_mark(const fs_viz_viewer *v, const fs_trace_worker *wk, size_t i, int *x,
                          int64_t *fired);
/* steal:N's steals: an arrow from the victim's queue strip to the thief's,
 * labelled with the tasks moved (after every lane, so it crosses them). */
void fs_viz_draw_steals(fs_viz_viewer *v, int trace);
/* counter.c: a band's counter lane (the ready queue's depth, derived from
 * the lines: a task is queued from its spawn or a wake to its next poll),
 * its label, its hover text at pixel column x, and the count at t (after
 * every event at t). The build reuses the band's groups' step functions
 * where one group holds every task. */
bool fs_viz_counter_build(fs_viz_counter *c, const fs_trace *tr, int trace, const fs_viz_group *groups,
                          size_t n_groups);
void fs_viz_counter_free(fs_viz_counter *c);
int32_t fs_viz_counter_queued_at(const fs_viz_counter *c, int64_t t);
const char *fs_viz_counter_name(const fs_viz_viewer *v, int trace, char *buf, size_t n);
void fs_viz_draw_counter_lane(fs_viz_viewer *v, const fs_viz_lane *ln);
int fs_viz_describe_counter(const fs_viz_viewer *v, int trace, int x, char lines[][160], int max);
/* worker_polls.c: a worker lane's polls in their tasks' colours, named
 * where they fit (ln: the lane's busy row), and a poll's hover text. */
void fs_viz_draw_worker_polls(fs_viz_viewer *v, int trace, const fs_viz_lane *ln);
int fs_viz_describe_worker_poll(const fs_viz_viewer *v, int trace, int worker, int64_t item,
                                char lines[][160], int max);
/* "12.003–12.004 ms": a span of simulated time, one unit when both share it. */
const char *fs_viz_format_range(int64_t a, int64_t b, char *buf, size_t n);
void fs_viz_draw_budget_marks(fs_viz_viewer *v, int trace, const fs_viz_lane *ln);
/* group.c: a group's lane (its members' states over time) and its label. */
void fs_viz_draw_group_lane(fs_viz_viewer *v, const fs_viz_lane *ln);
void fs_viz_draw_group_label(fs_viz_viewer *v, const fs_viz_lane *ln, int right);
/* Lines of a tooltip for a group's graph at pixel column x. */
int fs_viz_describe_group(const fs_viz_viewer *v, int group, int x, char lines[][160], int max);
/* scrollbar.c: the lanes' scrollbar (w 0 when every lane fits), the
 * scroll that puts the thumb's middle at y, and its drawing. */
fs_viz_box fs_viz_scrollbar_box(const fs_viz_viewer *v);
int fs_viz_scrollbar_scroll_at(const fs_viz_viewer *v, int y);
void fs_viz_draw_scrollbar(fs_viz_viewer *v);
/* Scrolls so that the next band's header (dir > 0; wraps to the first) or
 * the previous one's (dir < 0) is at the top of the lanes. */
void fs_viz_viewer_jump_band(fs_viz_viewer *v, int dir);
/* Picks "nice" tick spacing for a window: 1, 2 or 5 x 10^k ns. */
int64_t fs_viz_tick_step(double span_ns, int width_px, int min_px);
/* Tick label: "500 ms", "1.5 s", "+200 ns". */
const char *fs_viz_format_tick(int64_t t, int64_t step, char *buf, size_t n);

#endif
