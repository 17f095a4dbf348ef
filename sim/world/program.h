/* program.h - compiled futures (issue 17): a task's whole future as one
 * program, shared by every task whose future has the same shape.
 *
 * At spawn time the world compiles each task entry's future whose form the
 * compiler takes: a `repeat` (a fixed N >= 1) or not, around one leaf or a `seq` of
 * leaves, the leaves being sleep_ms, compute_ms, yield, and send or recv on
 * a channel, without fault options. Trees equal but for the channels they
 * name (and the labels that name them) are interned into one program: W3's
 * 100,000 ping and pong tasks share two. The channels are the task's
 * parameters, kept in its future beside the loop's state
 * (fut_program.c), which runs the program with one indirect call per poll.
 * Every other form is interpreted (the fut_*.c and dev_*.c futures),
 * chosen entry by entry; both give the same trace byte for byte. */
#ifndef FS_PROGRAM_H
#define FS_PROGRAM_H

#include "node.h"

typedef enum { FS_OP_SLEEP, FS_OP_COMPUTE, FS_OP_YIELD, FS_OP_SEND, FS_OP_RECV } fs_op_kind;

/* One leaf of the program: what every task of the shape shares. */
typedef struct fs_prog_op {
    fs_op_kind kind;
    int32_t param;      /* SEND, RECV: which of the task's channels; else -1 */
    uint32_t place;     /* its place in its task: its draws' key */
    bool has_value;     /* SEND: its "value" (else the channel's count) */
    int64_t value;
    fs_dur dur;         /* SLEEP, COMPUTE */
    const char *label;  /* SLEEP, COMPUTE, YIELD: the await point (a channel's
                           names the channel: the task's own) */
} fs_prog_op;

#define FS_PROG_MAX_OPS 16  /* a longer seq is interpreted */

typedef struct fs_program {
    int64_t repeat;     /* iterations of the body; 0: the body once, no loop */
    bool seq;           /* the body is a seq of the ops (an await point each) */
    uint32_t n_ops, n_params;
    uint64_t hash;
    fs_prog_op ops[];
} fs_program;

/* The programs of a scenario's task entries, interned. */
typedef struct fs_programs {
    const fs_program **by_entry; /* per task entry: its program, NULL: interpreted */
    size_t n_programs;           /* distinct programs */
    int64_t n_tasks;             /* tasks spawned that run one (world.c counts) */
} fs_programs;

/* Compiles every entry of sc whose form the compiler takes; the programs
 * live in arena. False when out of memory. */
bool fs_programs_build(fs_programs *ps, const fs_scenario *sc, struct fs_arena *arena);
void fs_programs_destroy(fs_programs *ps);

/* ---- the compiled future (fut_program.c) ----------------------------------- */

/* What every task of one entry shares, kept once (not in each of its
 * futures): the futures' vtable, first, so that a future's vtable pointer
 * finds it, the program, the world and the entry's root spec (its senders,
 * released when a task is done). */
typedef struct fs_prog_entry {
    fs_future_vtable vt;
    const fs_program *prog;
    fs_world *world;
    const fs_future_spec *spec;
} fs_prog_entry;

/* The record of entry t running g in world w, in arena; NULL when out of
 * memory. */
const fs_prog_entry *fs_prog_entry_new(struct fs_arena *a, fs_world *w, const fs_program *g,
                                       const fs_task_spec *t);
/* Bytes of a future running g (8-aligned). */
size_t fs_prog_future_size(const fs_program *g);
/* Builds in mem a future running e's program for a task of entry t (its
 * channels and their labels are its params, read now and never again). */
void fs_prog_future_init(void *mem, const fs_prog_entry *e, const fs_task_spec *t);
/* The block size of f if it is a compiled future, else 0. */
size_t fs_prog_future_block(const fs_future *f);
/* The task's root spec of f, a compiled future (its senders). */
const fs_future_spec *fs_prog_future_root(const fs_future *f);

#endif
