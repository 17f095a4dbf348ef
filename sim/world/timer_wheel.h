/* timer_wheel.h - the agenda's events later than its current tick: tokio's
 * hierarchical timing wheel (6 levels of 64 slots, one tick of 1 ms, the
 * model's default `--tick`), made exact.
 *
 * Time is counted in ticks. An event whose tick differs from the wheel's
 * current tick (`elapsed`) first in 6-bit digit L goes into level L, in the
 * slot named by its value in that digit; one more than 36 bits apart (over
 * two years) goes into the far bucket. Inserting is an append; a cancel is
 * recorded in the agenda's dead entries (qbucket.h) and counted in its slot.
 * The earliest events are in the lowest occupied level's lowest occupied
 * slot (its digit is above elapsed's, and every lower level is empty), so
 * finding them is two count-trailing-zeros. Advancing to that slot moves
 * elapsed to its first tick and hands its entries back to be placed again
 * (each one level lower, or into the current tick's heap): an event moves
 * about once per level it starts above 0, through arrays read in order.
 *
 * Order at one time: where an event goes depends only on its tick and
 * elapsed, and elapsed moves only to the start of the slot being advanced
 * (whose digits above agree), so two events at one tick are always in the
 * same slot, and a slot advanced into empty lower levels keeps its order.
 * Every slot is therefore in scheduling order, as tokio fires a slot's
 * timers in the order they were inserted; but a tick holds exact times (the
 * `blocking`, `busy` and `wake` executors keep nanoseconds), which the
 * current tick's heap (radix_heap.h) sorts. */
#ifndef FS_TIMER_WHEEL_H
#define FS_TIMER_WHEEL_H

#include "qbucket.h"

#define FS_WHEEL_TICK_NS 1000000
#define FS_WHEEL_LEVELS 6
#define FS_WHEEL_SLOTS 64
/* The far bucket's index, after the levels' slots. */
#define FS_WHEEL_FAR (FS_WHEEL_LEVELS * FS_WHEEL_SLOTS)

typedef struct fs_timer_wheel {
    fs_qbucket slot[FS_WHEEL_FAR + 1]; /* level L's slot s at L * 64 + s */
    uint64_t occupied[FS_WHEEL_LEVELS]; /* bit s: level's slot s holds entries */
    uint32_t levels;    /* bit L: occupied[L] != 0; bit 6: the far bucket holds entries */
    int64_t elapsed;    /* the current tick: everything here is later */
    size_t len;         /* live events */
    fs_qdead *dead;     /* the agenda's cancelled entries */
    fs_qspares *spares; /* the agenda's emptied arrays */
} fs_timer_wheel;

static inline int64_t fs_wheel_tick(int64_t t)
{
    return t / FS_WHEEL_TICK_NS;
}

/* The slot (or FS_WHEEL_FAR) of time t; -1 if t is not later than the
 * current tick. */
static inline int fs_timer_wheel_place(const fs_timer_wheel *w, int64_t t)
{
    int64_t tick = fs_wheel_tick(t);
    if (tick <= w->elapsed)
        return -1;
    int level = (63 - __builtin_clzll((uint64_t)(tick ^ w->elapsed))) / 6;
    if (level >= FS_WHEEL_LEVELS)
        return FS_WHEEL_FAR;
    return level * FS_WHEEL_SLOTS + (int)((tick >> (6 * level)) & (FS_WHEEL_SLOTS - 1));
}

void fs_timer_wheel_init(fs_timer_wheel *w, fs_qdead *dead, fs_qspares *spares);
/* Tells live nodes they are out and frees the slots. */
void fs_timer_wheel_destroy(fs_timer_wheel *w);
/* Appends e to slot k (its place); false (nothing changed) if out of memory. */
bool fs_timer_wheel_append(fs_timer_wheel *w, int k, fs_qentry e);
/* Counts e, already recorded dead in the agenda's record, in slot k. */
void fs_timer_wheel_count_dead(fs_timer_wheel *w, int k, fs_qentry e);
/* The slot holding the earliest live event (its min exact), or -1. */
int fs_timer_wheel_lowest(fs_timer_wheel *w);
/* Time of the earliest live event, or -1. */
int64_t fs_timer_wheel_next_time(fs_timer_wheel *w);
/* Takes slot k (the lowest) out into *out, in order, dead entries and all,
 * and moves elapsed to its first tick: the caller places each entry again.
 * A level-0 slot's entries are all at the new current tick. */
void fs_timer_wheel_advance(fs_timer_wheel *w, int k, fs_qbucket *out);

#endif
