/* event.h - what an executor reports while it runs: one record per thing
 * that happened, in simulated-time order. The trace writer (sim/) turns them
 * into JSON Lines; tests can collect them directly. */
#ifndef FS_EVENT_H
#define FS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    FS_EV_SPAWN,     /* task, name, parent */
    FS_EV_POLL,      /* task, worker, dur, ready, value, state; spinnable */
    FS_EV_SPIN_SKIP, /* task: count more identical pending polls, the last ending at end */
    FS_EV_REGISTER,  /* task gave its waker to resource `name` */
    FS_EV_WAKE,      /* task woken by source (or source_task) */
    FS_EV_IO,        /* device event: resource `name`, what happened `what`, value */
    FS_EV_PARK,      /* worker idle from t */
    FS_EV_UNPARK,    /* worker busy again at t */
    FS_EV_STEAL,     /* worker took count tasks from victim */
    FS_EV_CANCEL,    /* task dropped a future before it finished (`name`: its label) */
    FS_EV_COMPLETE,  /* task finished with value */
    FS_EV_STALL,     /* nothing can progress: stalled[] */
    FS_EV_DRIVER,    /* steal:N: worker turned the timer/I-O driver; count events fired */
    FS_EV_BUDGET,    /* steal:N: task found the coop budget spent on worker: it yields */
    FS_EV_QUEUE,     /* steal:N: worker's local queue holds count tasks now */
    FS_EV_BLOCKING,  /* blocking pool thread `worker` runs job number count (`name`) of
                        task for dur; it waited `end` ns for a thread; ready: a new thread */
    FS_EV_FAULT,     /* a fault of resource `name` fired: kind `what` on the event `state`
                        number `count` (-1: none), of task `value` when has_value; a
                        latency fault's extra time in dur. With name NULL, a worker
                        fault: kind "pause", `worker`'s thread stops for dur */
    FS_EV_PREEMPT,   /* steal:N --cpus: worker's thread lost its CPU to another at t; any
                        executor: a worker fault paused it (the fault line before it) */
    FS_EV_RESUME,    /* worker's thread runs again at t (a CPU, or the pause is over) */
    FS_EV__COUNT
} fs_event_type;

/* A stuck task, as a stall reports it. */
typedef struct fs_stall_info {
    uint32_t task;
    const char *name;
    const char *state;       /* what it last awaited (leaf label), or NULL */
    int32_t step, steps;     /* await point in its seq, 0 if none */
    const char *waker_at;    /* resource holding its waker (last registered), or NULL */
    int64_t waker_refs;      /* live clones of its waker */
    bool never_polled;
} fs_stall_info;

typedef struct fs_event {
    fs_event_type type;
    int64_t t;               /* ns */
    uint32_t task;
    int32_t worker;
    int64_t dur;             /* POLL */
    bool ready;              /* POLL */
    bool spinnable;          /* POLL: pending, not woken since the last poll, nothing else happened */
    bool has_value;
    int64_t value;           /* POLL (ready), COMPLETE, IO */
    uint8_t fail;            /* POLL (ready), COMPLETE: fs_fail, the future's error */
    const char *state;       /* POLL: leaf label */
    int32_t step, steps;     /* POLL: await point */
    const char *name;        /* SPAWN: task name; REGISTER/IO: resource; CANCEL: future label */
    int64_t parent;          /* SPAWN: parent task id, -1 for none */
    const char *source;      /* WAKE: "timer", "socket:a", "self"...; NULL with source_task */
    int64_t source_task;     /* WAKE: waking task id, -1 if a device */
    const char *what;        /* IO: "arrival", "open done", "read done", ... */
    int64_t count, end;      /* SPIN_SKIP; STEAL, DRIVER, QUEUE: count */
    int32_t victim;          /* STEAL */
    const fs_stall_info *stalled; /* STALL */
    size_t n_stalled;
} fs_event;

typedef struct fs_observer {
    void *ctx;
    void (*on_event)(void *ctx, const fs_event *ev);
} fs_observer;

const char *fs_event_type_name(fs_event_type t);

#endif
