/* trace_writer.h - the native trace: JSON Lines, streamed while the run goes
 * (SPEC section 3). A header line, one line per event, a summary line.
 *
 * Runs of pending polls of one task with nothing else happening to it are
 * folded into one `spin` line (count, end), so a busy loop of two million
 * polls is one line. Folding needs a little look-ahead: while a run is open,
 * later lines wait in a bounded window behind it so the file stays in time
 * order; when the window is full the oldest run is cut there. The output is
 * a function of the event sequence alone, so it is the same whether the
 * executor reports passes one by one or skips them in bulk. */
#ifndef FS_TRACE_WRITER_H
#define FS_TRACE_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "exec.h"
#include "scenario.h"

#define FS_TRACE_VERSION 3
#define FS_FOLD_WINDOW 4096
/* The default size limit of a trace: 1 GiB. */
#define FS_DEFAULT_MAX_TRACE (1ULL << 30)

typedef struct fs_trace_header {
    const char *scenario;
    const char *executor;  /* "busy", "wake", "steal:4" */
    const char *queue;     /* "fifo"/"lifo" for wake, else NULL */
    const char *schedule;  /* "random" under --schedule random, else NULL (not written) */
    int workers;
    uint64_t seed;
    int64_t poll_cost_ns;
    /* steal:N's model (see fs_exec_desc); NULL tokio for other executors */
    const char *tokio;     /* "current" or "1.24" */
    int64_t tick_ns, timer_slack_ns, wake_latency_ns;
    int cpus;              /* written only when set (> 0) */
    int64_t turn_delay_ns; /* written only when set (> 0) */
    int hand_over_pm[2];   /* written, with idle_wake_ns, only when set */
    int64_t idle_wake_ns;
    const fs_scenario *model; /* for stall reasons (may be NULL) */
    struct fs_world *world;   /* the run's, for who holds which mutex (may be NULL) */
} fs_trace_header;

typedef struct fs_trace_writer fs_trace_writer;

/* Writes the header line at once. out stays the caller's. */
fs_trace_writer *fs_trace_writer_create(FILE *out, const fs_trace_header *h);
fs_observer fs_trace_writer_observer(fs_trace_writer *tw);
/* Once more than max_bytes are written, stops ex at FS_LIMIT_TRACE: the
 * lines of the step in progress and the summary still follow, so the file
 * ends a little past the limit, complete. */
void fs_trace_writer_limit(fs_trace_writer *tw, uint64_t max_bytes, fs_exec *ex);
/* Closes open spins, writes the summary and flushes; false on a write error. */
/* The run's expectations, for the summary line (kept by the caller). */
struct fs_expect_result;
void fs_trace_writer_set_expect(fs_trace_writer *tw, const struct fs_expect_result *e);
bool fs_trace_writer_finish(fs_trace_writer *tw, const fs_exec *ex);
/* True if finish failed for want of memory rather than a write error. */
bool fs_trace_writer_out_of_memory(const fs_trace_writer *tw);
void fs_trace_writer_free(fs_trace_writer *tw);

#endif
