/* stall_reason.h - why a stuck task is stuck, as a sentence a learner can
 * read ("channel ch is empty, and every task that holds a sender of it is stuck too"). */
#ifndef FS_STALL_REASON_H
#define FS_STALL_REASON_H

#include <stddef.h>

#include "event.h"
#include "scenario.h"

/* Why a task is stuck, in one sentence; sc (may be NULL) names what kind of
 * resource holds its waker. */
const char *fs_stall_reason(const fs_scenario *sc, const fs_stall_info *s, char *buf, size_t n);
/* The same in the world the task is stuck in (w may be NULL): a task
 * waiting for a mutex or semaphore is told who holds it, and a deadlock's
 * cycle is named ("a holds m1 and waits for m2; b holds m2 and waits for
 * m1"). */
struct fs_world;
const char *fs_stall_reason_in(struct fs_world *w, const fs_scenario *sc, const fs_stall_info *s,
                               char *buf, size_t n);

#endif
