/* group.h - lane groups: in a band with many lanes, tasks whose names
 * share a stem ("client#0" .. "client#999" -> "client", 1000 members),
 * devices likewise and the workers, fold into one lane that shows how many
 * of its members are in each state over time. Open, a group keeps that
 * lane as its header and lists its members' own lanes below it.
 *
 * A band is a list of rows in drawing order: a member on its own (a name
 * nobody shares, or a band too small to group) or a group. The layout
 * (viewer.c) turns rows into lanes, a group's members only when it is open. */
#ifndef FS_VIZ_GROUP_H
#define FS_VIZ_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

/* Bands with more lanes than this group their members; smaller ones show
 * every lane as it is. */
#define FS_VIZ_GROUP_MIN_LANES 32
/* Bands with more tasks than this open with their groups collapsed. */
#define FS_VIZ_GROUP_COLLAPSE_TASKS 200

/* What a member is doing. Tasks use all four (not spawned yet: none);
 * workers use POLLING (busy) and WAITING (parked). */
typedef enum {
    FS_GROUP_POLLING, FS_GROUP_QUEUED, FS_GROUP_WAITING, FS_GROUP_DONE, FS_GROUP_STATES
} fs_viz_group_state;

typedef struct fs_viz_group {
    uint8_t kind;           /* fs_viz_lane_kind of its members */
    int16_t trace;
    bool open;
    char stem[64];          /* "client", "socket conn", "worker" */
    uint32_t *members;      /* task, resource or worker indices, ascending */
    uint32_t *order;        /* the same, in the order their lanes are drawn (order.c) */
    size_t n;
    /* Tasks and workers: how many members are in each state from times[i]
     * until times[i + 1] (before times[0]: none). Devices: times holds
     * every member's device events in time order, counts is NULL. */
    int64_t *times;
    int32_t (*counts)[FS_GROUP_STATES];
    size_t n_times;
    /* Tasks and workers: per block of FS_VIZ_GROUP_BLOCK steps, the most
     * members polling and queued at once, so a pixel column spanning many
     * steps reads their blocks, not every step */
    int32_t (*peaks)[2];
    bool borrowed;          /* times, counts and peaks are another group's (fs_viz_group_all_tasks) */
} fs_viz_group;

#define FS_VIZ_GROUP_BLOCK 32

typedef struct fs_viz_row {
    uint8_t kind;           /* fs_viz_lane_kind of the member or the group's */
    bool group;             /* index is a group (in the viewer's list), else a member */
    int32_t index;
} fs_viz_row;

/* Appends trace's groups to *groups and its rows to *rows (both grown with
 * realloc). Whether the band groups at all and whether its groups start
 * open follow the limits above. False when out of memory. */
bool fs_viz_groups_build(const fs_trace *tr, int trace, fs_viz_group **groups, size_t *n_groups,
                         fs_viz_row **rows, size_t *n_rows);
void fs_viz_groups_free(fs_viz_group *groups, size_t n);
/* Every task of tr as one group, in no band's rows: its step function
 * gives the run's counts of tasks in each state (the counter lane's ready
 * queue depth, counter.c). When one of the n groups already holds every
 * task of the trace (a run of client#0..#N), g shares its step function
 * (borrowed: it must outlive g) instead of building another. False when
 * out of memory (g is then cleared). */
bool fs_viz_group_all_tasks(const fs_trace *tr, int trace, const fs_viz_group *groups, size_t n,
                            fs_viz_group *g);
/* Frees a group's arrays (the group itself is the caller's). */
void fs_viz_group_clear(fs_viz_group *g);
/* The stem of a name: without a trailing number and the '#', ' ', '-',
 * '_', ':' or '.' before it ("client#12" -> "client", "w-3" -> "w"); the
 * whole name when that leaves nothing. Returns its length in bytes. */
size_t fs_viz_name_stem(const char *name);
/* A task's stem: each part of its spawn path cut so ("conn#2/handler#0" ->
 * "conn/handler"), so the handlers of every connection fold into one
 * group. Written to out (room for strlen(name) + 1); returns its length. */
size_t fs_viz_path_stem(const char *name, char *out);

/* The members' states over [ta, tb): out[s] is the most members in state s
 * at once for the brief states (polling, queued), and the count at tb for
 * the others (waiting, done), so a short burst of polls stays visible
 * zoomed out. *i is a cursor: pass 0 for the first column, then the same
 * variable for the columns after it (left to right). */
void fs_viz_group_column(const fs_viz_group *g, int64_t ta, int64_t tb, size_t *i,
                         int32_t out[FS_GROUP_STATES]);
/* Device groups: how many device events fall in [ta, tb). */
size_t fs_viz_group_events(const fs_viz_group *g, int64_t ta, int64_t tb);

#endif
