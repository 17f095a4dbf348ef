/* analysis.h - what the viewer works out from a trace beyond drawing it:
 * the warnings (classic async bugs, each found from events alone) and one
 * task's figures for the detail view.
 *
 * Both read the fs_trace only. Warnings are computed once per load (and
 * per --watch reload); a task's figures when its lane is clicked. */
#ifndef FS_VIZ_ANALYSIS_H
#define FS_VIZ_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

/* ---- warnings ------------------------------------------------------------ */

typedef enum {
    FS_WARN_LOST_WAKER,   /* pending, no waker held anywhere, never woken again */
    FS_WARN_SELF_WAKES,   /* more than half of its wakes came from its own polls */
    FS_WARN_SLOW_POLL,    /* a poll longer than the threshold: blocking inside async */
    FS_WARN_STALE_WAKE,   /* woken after it completed */
    FS_WARN_KINDS
} fs_viz_warn_kind;

/* One warning per (task, kind): where it first shows and how often. */
typedef struct fs_viz_warning {
    uint8_t kind;        /* fs_viz_warn_kind */
    int16_t trace;
    uint32_t task;
    int64_t t;           /* first occurrence */
    int64_t count;       /* lost: pending polls after it; self: self-wakes; slow: slow
                            polls; stale: stale wakes */
    int64_t total;       /* self: all its wakes */
    int64_t extra;       /* self: of which spurious; slow: longest poll (ns) */
    int64_t slice;       /* lost/slow: the first such poll (slice index), else -1 */
} fs_viz_warning;

#define FS_VIZ_SLOW_POLL_DEFAULT_NS 10000000  /* 10 ms */

/* Appends the warnings of tr (tagged trace_idx) to *out (realloc'd; *n
 * updated), in task order. slow_ns <= 0: the default. False when out of
 * memory (*out and *n stay valid). */
bool fs_viz_warnings_find(const fs_trace *tr, int trace_idx, int64_t slow_ns,
                          fs_viz_warning **out, size_t *n);
/* "lost waker", "self-wakes", "slow poll", "woken after done". */
const char *fs_viz_warn_name(fs_viz_warn_kind k);
/* One sentence for the list and the tooltip, e.g. "pending at 0 ns with no
 * waker registered anywhere, never woken again". */
const char *fs_viz_warning_text(const fs_trace *tr, const fs_viz_warning *w, char *buf, size_t n);

/* ---- one task's figures -------------------------------------------------- */

/* Histogram bins by decade: < 1 us, 1-10 us, ..., >= 1 s. */
#define FS_VIZ_HIST_BINS 8

typedef struct fs_viz_reg_count {
    int32_t res;
    int64_t count;
} fs_viz_reg_count;

typedef struct fs_viz_task_stats {
    int64_t polls, pending_polls, ready_polls, wasted_polls;
    int64_t wakes, self_wakes, spurious_wakes, task_wakes, device_wakes, stale_wakes;
    int64_t registers;
    fs_viz_reg_count regs[6];  /* registrations per resource, most first */
    size_t n_regs;             /* entries used; more resources are summed in regs_other */
    int64_t regs_other;
    int64_t life_ns;           /* spawn to completion (or the run's end) */
    int64_t busy_ns;           /* in its polls */
    int64_t sched_ns;          /* woken (or spawned), waiting in a ready queue */
    int64_t idle_ns;           /* the rest: waiting for a wake */
    int64_t poll_hist[FS_VIZ_HIST_BINS];
    int64_t lat_hist[FS_VIZ_HIST_BINS];
    int64_t max_poll_ns, max_lat_ns, n_lat;
    int64_t first_wait_ns;     /* spawn to its first poll (-1: never polled) */
    int64_t max_wait_ns;       /* longest runnable-to-poll wait: the summary's
                                  max_runnable_wait_ns */
} fs_viz_task_stats;

void fs_viz_task_stats_compute(const fs_trace *tr, size_t task, fs_viz_task_stats *st);
/* The bin of a duration, and the bins' labels ("<1us", "1-10us", ...). */
int fs_viz_hist_bin(int64_t ns);
const char *fs_viz_hist_label(int bin);

#endif
