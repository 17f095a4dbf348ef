/* exec_wake.c - the seed article's run2(): poll only the tasks that were
 * woken, and sleep when none are.
 *
 *     while !all_done {
 *         while let Some(t) = ready.pop() { t.poll(waker_of(t)) }
 *         park until the next device event
 *     }
 *
 * The ready queue is FIFO (or LIFO with --queue lifo; or, with --schedule
 * random, each turn takes a task drawn from it; with --schedule pct:D, the
 * task of highest priority, exec_pct.c). Each turn takes the
 * device events that came due, polls one woken task, or parks the worker
 * until the next event. With nothing queued and no event to come, tasks that
 * are still pending can never be woken: a stall. */
#include "exec_policies.h"

fs_run_result fs__exec_run_wake(fs_exec *ex)
{
    const int64_t max = ex->desc.max_time_ns;
    fs__exec_fire_due(ex);
    for (;;) {
        /* Due events have fired: at the start, after parking, and inside
         * each poll step (fs__exec_poll). */
        if (ex->live == 0)
            return FS_RUN_DONE;
        if (fs__exec_limit_reached(ex, ex->now)) {
            fs__exec_time_up(ex);
            return FS_RUN_TIME_LIMIT;
        }
        if (ex->ready.len == 0) {
            int64_t next = fs__exec_next_event(ex);
            if (next < 0) {
                fs__exec_stall(ex);
                return FS_RUN_STALLED;
            }
            fs__exec_park_until(ex, next < max ? next : max); /* the limit stops it there */
            fs__exec_fire_due(ex);
            continue;
        }
        uint32_t id;
        if (ex->pct) {
            id = fs__ring_take(&ex->ready, fs__pct_pick(ex->pct, &ex->ready));
        } else if (ex->desc.random_schedule) {
            size_t i = (size_t)fs_prng_range(&ex->sched_prng, 0, (int64_t)ex->ready.len - 1);
            id = fs__ring_take(&ex->ready, i);
        } else {
            if (!ex->desc.lifo)
                fs__exec_prefetch_ready(ex);
            id = ex->desc.lifo ? fs__ring_pop_back(&ex->ready) : fs__ring_pop_front(&ex->ready);
        }
        if (fs__exec_skip_done(ex, id))
            continue; /* aborted while it waited in the queue: never polled */
        fs__exec_poll(ex, id);
    }
}
