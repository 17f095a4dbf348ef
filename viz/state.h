/* state.h - what the side panel shows: a trace's state at one instant (the
 * playhead), computed from the trace's per-task arrays with binary searches,
 * so scrubbing anywhere, forwards or backwards, costs the same. */
#ifndef FS_VIZ_STATE_H
#define FS_VIZ_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

typedef enum {
    FS_TASK_UNBORN,     /* not spawned yet */
    FS_TASK_SCHEDULED,  /* spawned or woken, waiting in the ready queue */
    FS_TASK_RUNNING,    /* a poll (or a spin of polls) is under way */
    FS_TASK_WAITING,    /* returned pending; waits for a wake */
    FS_TASK_DONE,
    FS_TASK_STALLED,    /* the run stalled with this task stuck */
} fs_viz_task_phase;

typedef struct fs_viz_task_state {
    uint8_t phase;      /* fs_viz_task_phase */
    bool spinning;      /* RUNNING inside a spin: the busy loop */
    uint32_t await;     /* await point of its latest poll (string), 0 if none */
    int32_t waker_res;  /* resource holding its waker, -1 if none */
    int64_t since;      /* when the phase began */
    int32_t stalled;    /* index in trace->stalled, -1 */
    int32_t next_worker; /* SCHEDULED: the worker of the poll it waits for, -1 */
} fs_viz_task_state;

typedef struct fs_viz_counters {
    int64_t polls, wasted, busy_ns, wakes;
    double cpu_busy;    /* busy / (elapsed * workers), 0..1 */
} fs_viz_counters;

/* Buffers for one trace, sized at init (n_tasks each) and reused. */
typedef struct fs_viz_state {
    fs_viz_task_state *tasks;
    uint32_t *ready;    /* ready queue, oldest first */
    size_t n_ready;
    /* per worker: the queued tasks whose next poll it runs (the panel's
     * "polls next"), kept as the ready queue is */
    size_t *next_on;
    int n_workers;
    fs_viz_counters counters;
    int64_t t;
    void *scratch;      /* private: sort keys, n_tasks */
    struct fs__inc *inc;  /* private: what a step forward reuses (state.c) */
    uint64_t stepped;   /* moves made as a step forward (for tests) */
} fs_viz_state;

bool fs_viz_state_init(fs_viz_state *st, const fs_trace *tr);
void fs_viz_state_destroy(fs_viz_state *st);
/* The state at time t (all events with time <= t have happened). A small
 * step forward (the playhead playing) recomputes only the tasks with an
 * event in between and those running; any other move, all of them. */
void fs_viz_state_at(fs_viz_state *st, const fs_trace *tr, int64_t t);
const char *fs_viz_task_phase_name(fs_viz_task_phase p);

#endif
