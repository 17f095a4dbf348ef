/* lane_names.h - what the exports call a trace's lanes, so the Chrome and
 * the Perfetto export name them alike. */
#ifndef FS_LANE_NAMES_H
#define FS_LANE_NAMES_H

#include <stddef.h>

#include "trace_reader.h"

/* "task 3 get_num_a" ("task 3" when unnamed), into buf; returns buf. */
const char *fs_lane_task_name(const fs_trace *tr, size_t task, char *buf, size_t n);
/* "socket a", "file cfg"; a timer is just "timer". Into buf; returns buf. */
const char *fs_lane_res_name(const fs_trace *tr, size_t res, char *buf, size_t n);

#endif
