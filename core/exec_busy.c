/* exec_busy.c - the seed article's run(): a loop over every unfinished task,
 * polling each once per pass, forever, ignoring wakers.
 *
 *     while !all_done { for t in tasks { if !done(t) { t.poll() } } }
 *
 * It never parks, so the clock only moves by the cost of polls: a task
 * waiting two seconds for a socket is polled about two million times at
 * 1 us a poll. A pass in which nothing changed repeats until a device event
 * fires; those passes are skipped in one step and counted exactly (the
 * trace is the same either way). A pass that changed nothing with no device
 * event left is a stall. */
#include "exec_policies.h"

fs_run_result fs__exec_run_busy(fs_exec *ex)
{
    while (ex->live > 0) {
        uint64_t before = ex->activity;
        int64_t pass_start = ex->now;
        size_t n = 0;
        /* Tasks spawned during the pass are appended and polled in it. */
        for (size_t i = 0; i < ex->n_order; i++) {
            uint32_t id = ex->order[i];
            if (fs_exec_task_done(ex, id, NULL))
                continue;
            if (fs__exec_limit_reached(ex, ex->now)) {
                fs__exec_time_up(ex);
                return FS_RUN_TIME_LIMIT;
            }
            int64_t start = ex->now;
            if (fs__exec_poll(ex, id))
                continue;
            if (!fs__exec_reserve_pass(ex, n + 1))
                return FS_RUN_NOMEM;
            ex->pass_ids[n] = id;
            ex->pass_off[n] = start - pass_start;
            ex->pass_dur[n] = ex->now - start;
            n++;
        }
        /* The unfinished tasks, in order, are the next pass. */
        for (size_t i = 0; i < n; i++)
            ex->order[i] = ex->pass_ids[i];
        ex->n_order = n;
        if (ex->live == 0)
            break;
        if (ex->activity != before)
            continue;
        if (!fs__exec_repeat_pass(ex, ex->pass_ids, n, ex->pass_off, ex->pass_dur,
                                  ex->now - pass_start))
            return FS_RUN_STALLED;
    }
    return FS_RUN_DONE;
}
