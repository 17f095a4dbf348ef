/* exec_blocking.c - the seed article's get_num_sync, for every task:
 *
 *     for task in tasks { while !ready(task.poll()) {} }
 *
 * One task at a time, busy-waiting on it; the next starts when it is done.
 * Wakes are ignored. A poll that changed nothing, with no device event left
 * to change anything, is a stall. */
#include "exec_policies.h"

fs_run_result fs__exec_run_blocking(fs_exec *ex)
{
    /* ex->order grows when tasks spawn others: they run after the rest. */
    for (size_t i = 0; i < ex->n_order; i++) {
        uint32_t id = ex->order[i];
        if (fs_exec_task_done(ex, id, NULL))
            continue; /* aborted before its turn */
        for (;;) {
            if (fs__exec_limit_reached(ex, ex->now)) {
                fs__exec_time_up(ex);
                return FS_RUN_TIME_LIMIT;
            }
            uint64_t before = ex->activity;
            int64_t start = ex->now;
            if (fs__exec_poll(ex, id))
                break;
            if (ex->activity != before)
                continue;
            /* An identical pending poll: the next ones will be the same
             * until a device event fires. */
            int64_t off = 0, dur = ex->now - start;
            if (!fs__exec_repeat_pass(ex, &id, 1, &off, &dur, dur))
                return FS_RUN_STALLED;
        }
    }
    return FS_RUN_DONE;
}
