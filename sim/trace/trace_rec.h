/* trace_rec.h - private to the trace reader, which is four files:
 *   trace_reader.c  reading lines in blocks, the string pool, the public API
 *   trace_line.c    the fast decoder of the lines the writer writes
 *   trace_decode.c  the careful (cJSON) decoder: every other line, and errors
 *   trace_build.c   the model builder: records -> per-lane arrays
 * A decoder turns a line into an fs__rec; the builder never sees JSON. */
#ifndef FS_TRACE_REC_H
#define FS_TRACE_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

typedef enum {
    FS__R_SPAWN, FS__R_POLL, FS__R_SPIN, FS__R_REGISTER, FS__R_WAKE, FS__R_IO,
    FS__R_PARK, FS__R_UNPARK, FS__R_CANCEL, FS__R_COMPLETE, FS__R_STALL,
    FS__R_DRIVER, FS__R_BUDGET, FS__R_QUEUE,   /* steal:N, format version 2 */
    FS__R_STEAL,                               /* kept by the reader since version 3 */
    FS__R_BLOCKING,                            /* the blocking pool, version 3 */
    FS__R_PREEMPT, FS__R_RESUME,               /* --cpus time slices, within version 3 */
    FS__R_PAUSE,                               /* a worker fault's `fault` line, within 3 */
    FS__R_RFAULT,                              /* a resource fault's `fault` line, within 3 */
    FS__R_OTHER, FS__R_SUMMARY,
} fs__rtype;

/* One event line, flat. Strings point into the decoder's buffers and are
 * valid until the next line. */
typedef struct fs__rec {
    fs__rtype type;
    int64_t t, task, worker, dur, count, end, value, parent;
    int64_t n;            /* driver: events fired; queue: the depth; blocking: the job;
                             steal: the victim */
    bool ready, has_value, stale;
    const char *name;     /* spawn: task; register/io: resource; wake: source */
    const char *state;    /* poll/spin */
    const char *what;     /* io */
} fs__rec;

/* Decodes the event lines the writer writes (spawn, poll, spin, register,
 * wake, io, park, unpark, cancel, complete, driver, budget, queue) without building a JSON tree.
 * scratch must hold len + 1 bytes; the record's strings point into it.
 * Returns false for anything else or anything unusual (escapes, unknown or
 * repeated keys, missing or out-of-range fields): the caller then decodes
 * the line the careful way, which also words the error. */
bool fs__trace_line_fast(const char *text, size_t len, fs__rec *rec, char *scratch);

/* The summary line the same way: true with *s and the tasks' waker figures
 * (its "tasks" records) filled exactly as the careful decoder would fill
 * them, false to leave the line to it. */
bool fs__trace_summary_fast(const char *text, size_t len, fs_trace_summary *s, fs_trace_task *tasks,
                            size_t n_tasks);

/* Tests set this to false to read every line the careful way, and compare. */
extern bool fs__trace_fast_lines;

/* ---- the reader's state (shared by the files above) ---------------------- */

/* Per task, what the builder consults on every line, kept apart from the
 * model's task records so that random task order touches 24 bytes, not a
 * record and the tail of an array. */
typedef struct fs__task_aux {
    int64_t last_end;      /* end of its last slice */
    uint32_t n_slices, n_wakes, n_regs;
    bool fresh;            /* woken or spawned since its previous poll (for `wasted`) */
} fs__task_aux;

/* Entries of one kind in file order, each with its owner (a worker or a
 * task); fs__trace_finish lays them out in one exact-size block. */
typedef struct fs__log {
    void *items;
    uint32_t *owner;
    size_t n, cap;
} fs__log;

typedef struct fs__reader {
    fs_trace *tr;
    fs_error *err;
    const char *name;
    size_t line;
    bool quiet;               /* no progress lines (a feed: its writer shows its own) */
    const char *text;         /* the line the careful decoder reads ... */
    size_t text_len;          /* ... and its length */
    bool header_seen, summary_seen;
    int64_t last_t;
    fs__task_aux *aux;
    size_t cap_aux;
    /* Slices and registrations in file order, with their task; fs__trace_finish
     * moves them into one block per kind, each task's run contiguous. */
    fs_trace_slice *log_slices;
    uint32_t *log_slice_task;
    size_t n_log_slices, cap_log_slices;
    fs_trace_register *log_regs;
    uint32_t *log_reg_task;
    size_t n_log_regs, cap_log_regs;
    /* steal:N's lines the same way, with their worker or task */
    fs__log log_drivers, log_queue, log_budgets, log_steals;
    fs__log log_blocking;     /* blocking pool jobs, by thread */
    /* capacities of the model's arrays */
    size_t cap_tasks, cap_res, cap_wakes, cap_times, cap_stalled;
    size_t *cap_io, *cap_parks, *cap_preempts, *cap_pauses, *cap_busy;
    size_t cap_cap_res;
    int64_t *park_open;       /* per worker: t of an open park, or -1 */
    int64_t *preempt_open;    /* per worker: t of an open preemption, or -1 */
    fs_trace_span *busy_open; /* per worker: the busy run being merged (t -1: none) */
    /* The fast decoder runs one line ahead of the builder: the record
     * decoded last waits in `pend` while the next line is decoded, so the
     * task it names can be fetched into the cache meanwhile. Each of the two
     * records has its own scratch for its strings. */
    fs__rec pend;
    size_t pend_line;
    bool has_pend;
    int cur;                  /* the scratch the next line decodes into */
    char *scratch[2];
    size_t cap_scratch[2];
    /* resource by name: open addressing on the interned name's offset;
     * entries are (offset + 1) << 32 | index, 0 = empty */
    uint64_t *res_map;
    size_t res_map_cap;
    /* The last string interned at each busy call site: consecutive lines
     * mostly repeat them ("timer", the same await point). */
    uint32_t memo_state, memo_what, memo_reg, memo_wake;
    int32_t memo_reg_res, memo_wake_res;   /* -1: not set */
} fs__reader;

/* Grows *p to hold need elements of size bytes (capacity doubles). */
bool fs__trace_grow(void **p, size_t *cap, size_t need, size_t size);
/* malloc for the model's big blocks (at least 1 byte), under huge pages
 * where the kernel gives them: fresh memory is most of a big read's cost,
 * a fault per 4 KiB page otherwise. */
void *fs__trace_alloc(size_t bytes);
/* An array growing past this many bytes moves to a new block from
 * fs__trace_alloc (hinted before the copy touches it), not realloc's. */
#define FS__TRACE_BIG ((size_t)4 << 20)

/* Appends one element; arrays keep their capacity just after them. */
#define FS__PUSH(arr, n, cap, val)                                                          \
    (fs__trace_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)) ? ((arr)[(n)++] = (val), true) \
                                                                     : false)

#define FS__TRY(x)                    \
    do {                              \
        fs_errcode rc__ = (x);        \
        if (rc__ != FS_ERR_OK)        \
            return rc__;              \
    } while (0)

/* The string's offset in the pool, added once (NULL and "" are 0). */
bool fs__trace_intern(fs_trace *tr, const char *s, uint32_t *out);
/* The pool with "" at offset 0, and the end of interning (the index is
 * freed; the pool stays with the trace). */
bool fs__trace_pool_init(fs_trace *tr);
void fs__trace_pool_end(fs_trace *tr);
/* Fills the error naming the current line; returns FS_ERR_INPUT. */
__attribute__((format(printf, 2, 3))) fs_errcode fs__trace_fail(fs__reader *r, const char *fmt, ...);
fs_errcode fs__trace_nomem(fs__reader *r);
/* Integers up to FS__TRACE_INT_MAX are read exactly, never through a double. */
#define FS__TRACE_INT_MAX (INT64_C(1) << 62)
/* The integer value of `key` in the JSON object text[0..len), read exactly
 * from its digits (at most FS__TRACE_INT_MAX either way, no fraction or
 * exponent). False if the key is not a plain top-level key there or its
 * value is no such integer. */
bool fs__trace_raw_int(const char *text, size_t len, const char *key, int64_t *out);

/* trace_decode.c */
struct cJSON;
fs_errcode fs__trace_decode_header(fs__reader *r, const struct cJSON *o);
fs_errcode fs__trace_decode_summary(fs__reader *r, const struct cJSON *o);
fs_errcode fs__trace_decode_stall(fs__reader *r, const struct cJSON *o);
fs_errcode fs__trace_decode_event(fs__reader *r, const struct cJSON *o, fs__rec *rec);

/* trace_build.c */
/* The resource named `name` (created on first sight). kind may be NULL. */
fs_errcode fs__trace_resource(fs__reader *r, const char *name, const char *kind, int32_t *out);
fs_errcode fs__trace_add(fs__reader *r, const fs__rec *rec);
/* After the summary: closes open spans, lays out the per-task arrays,
 * running sums and wake links. */
fs_errcode fs__trace_finish(fs__reader *r);
/* Every task's stable id (trace_ids.c); false when memory ran out. */
bool fs__trace_stable_ids(fs_trace *tr);
void fs__trace_reader_free(fs__reader *r);

#endif
