/* run.h - one simulation: a scenario, an executor, options; the world, the
 * executor and the trace wired together. What `run`, `compare`, `view` and
 * the tests call. */
#ifndef FS_RUN_H
#define FS_RUN_H

#include <stdio.h>

#include "error.h"
#include "exec.h"
#include "expect.h"
#include "scenario.h"

typedef struct fs_run_desc {
    const fs_scenario *scenario;
    fs_exec_kind kind;
    int workers;              /* steal:N */
    bool lifo;                /* wake: --queue lifo */
    bool has_seed;            /* else the scenario's */
    uint64_t seed;
    bool has_poll_cost;       /* else the scenario's */
    int64_t poll_cost_ns;
    int64_t max_time_ns;      /* 0: one hour */
    int64_t max_polls;        /* 0: FS_DEFAULT_MAX_POLLS */
    int64_t max_tasks;        /* 0: FS_DEFAULT_MAX_TASKS */
    uint64_t max_trace_bytes; /* 0: FS_DEFAULT_MAX_TRACE (1 GiB) */
    bool no_fast_forward;
    bool interpret;           /* no compiled futures (program.h): the same trace */
    bool random_schedule;     /* wake: --schedule random */
    int pct_depth;            /* wake: --schedule pct:D (0: off) */
    fs_tokio_version tokio;   /* steal:N: which tokio release it models */
    int64_t tick_ns;          /* steal:N: the driver's tick; 0: 1 ms */
    int64_t timer_slack_ns;   /* steal:N: the host's timer slack (0: none) */
    int64_t wake_latency_ns;  /* steal:N: mean thread wake latency (0: none) */
    int cpus;                 /* steal:N: CPUs the workers share (0: one each) */
    int64_t turn_delay_ns;    /* steal:N: mean time a driver turn's wakes take (0: none) */
    int hand_over_pm[2];      /* steal:N: hand-overs per mille after a turn, elsewhere */
    int64_t idle_wake_ns;     /* steal:N: mean start of a worker woken on an idle CPU */
    FILE *trace;              /* JSONL trace goes here; NULL for none */
    fs_observer observer;     /* also told every event (tests); may be empty */
    /* Called now and then on long runs (see fs_exec_desc.progress). */
    void (*progress)(void *ctx, const fs_exec_stats *stats, int64_t now);
    void *progress_ctx;
} fs_run_desc;

typedef struct fs_run {
    fs_run_desc desc;
    fs_exec *exec;
    struct fs_world *world;
    fs_run_result result;
    char executor[32];        /* "busy", "steal:4" */
    fs_expect_result expect;  /* the scenario's expectations, checked */
} fs_run;

/* Checks the options against the scenario (e.g. busy with a zero poll cost
 * would never advance the clock), simulates to the end, writes the trace.
 * Returns FS_ERR_INPUT/USAGE with err filled for bad options, FS_ERR_IO if
 * the trace could not be written; *out is set only on success. */
fs_errcode fs_run_simulate(const fs_run_desc *desc, fs_run **out, fs_error *err);
void fs_run_free(fs_run *r);
/* Process exit status for a finished run: 0 all done (and every
 * expectation met), 3 stalled, a limit hit or an expectation failed. */
int fs_run_exit_status(const fs_run *r);

#endif
