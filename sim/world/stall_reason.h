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

#endif
