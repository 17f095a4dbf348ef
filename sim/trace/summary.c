/* summary.c - the summary object, with every field SPEC section 3 names. */
#include "summary.h"

#include "expect.h"
#include "world.h"

double fs_summary_cpu_busy(const fs_exec_stats *s)
{
    int64_t total = s->busy_ns + s->idle_ns;
    return total > 0 ? (double)s->busy_ns / (double)total : 0.0;
}

int64_t fs_summary_max_wake_latency(const fs_exec *ex)
{
    int64_t max = 0;
    for (uint32_t i = 0; i < fs_exec_task_count(ex); i++) {
        int64_t l = fs_exec_get_task(ex, i)->max_wake_latency_ns;
        if (l > max)
            max = l;
    }
    return max;
}

int64_t fs_summary_max_runnable_wait(const fs_exec *ex)
{
    int64_t max = 0;
    for (uint32_t i = 0; i < fs_exec_task_count(ex); i++) {
        int64_t l = fs_exec_get_task(ex, i)->max_runnable_wait_ns;
        if (l > max)
            max = l;
    }
    return max;
}

static void fs__field(fs_jsonw *w, const char *key, int64_t v)
{
    fs_jsonw_key(w, key, false);
    fs_jsonw_i64(w, v);
}

/* {"met":B,"checked":N,"failed":M,"failures":[{"expect":K,"why":W},...]}
 * (the first FS_EXPECT_LISTED failures) */
static void fs__expectations(fs_jsonw *w, const fs_expect_result *e)
{
    fs_jsonw_lit(w, "{\"met\":");
    fs_jsonw_bool(w, e->failed == 0);
    fs_jsonw_key(w, "checked", false);
    fs_jsonw_i64(w, e->checked);
    fs_jsonw_key(w, "failed", false);
    fs_jsonw_i64(w, e->failed);
    fs_jsonw_key(w, "failures", false);
    fs_jsonw_char(w, '[');
    for (int i = 0; i < e->n_fail; i++) {
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_lit(w, "{\"expect\":");
        fs_jsonw_str(w, fs_expect_key_name(e->fail[i].key));
        fs_jsonw_key(w, "why", false);
        fs_jsonw_str(w, e->fail[i].why);
        fs_jsonw_char(w, '}');
    }
    fs_jsonw_lit(w, "]}");
}

/* One worker's counters under tokio's RuntimeMetrics names (worker_*). */
static void fs__worker_metrics(fs_jsonw *w, const fs_worker_stats *ws)
{
    fs__field(w, "poll_count", ws->polls);
    fs__field(w, "steal_count", ws->steals);
    fs__field(w, "park_count", ws->parks);
    fs__field(w, "noop_count", ws->noops);
    fs__field(w, "local_schedule_count", ws->local_schedules);
    fs__field(w, "overflow_count", ws->overflows);
    fs__field(w, "lifo_poll_count", ws->lifo_polls);
    fs__field(w, "budget_forced_yield_count", ws->budget_forced_yields);
    fs__field(w, "driver_turns", ws->driver_turns);
    fs__field(w, "max_local_queue_depth", ws->max_local_queue);
}

/* The whole runtime's counters under tokio's RuntimeMetrics names: the sum
 * over workers, and remote_schedule_count (the injection queue). */
static void fs__tokio_metrics(fs_jsonw *w, const fs_exec *ex)
{
    fs_worker_stats sum = {0};
    int64_t max_depth = 0;
    for (int i = 0; i < fs_exec_worker_count(ex); i++) {
        const fs_worker_stats *ws = fs_exec_get_worker(ex, i);
        sum.polls += ws->polls;
        sum.steals += ws->steals;
        sum.steal_operations += ws->steal_operations;
        sum.parks += ws->parks;
        sum.noops += ws->noops;
        sum.local_schedules += ws->local_schedules;
        sum.overflows += ws->overflows;
        sum.lifo_polls += ws->lifo_polls;
        sum.budget_forced_yields += ws->budget_forced_yields;
        sum.driver_turns += ws->driver_turns;
        if (ws->max_local_queue > max_depth)
            max_depth = ws->max_local_queue;
    }
    sum.max_local_queue = max_depth;
    fs__worker_metrics(w, &sum);
    fs__field(w, "steal_operations", sum.steal_operations);
    fs__field(w, "remote_schedule_count", fs_exec_get_stats(ex)->remote_schedules);
}

void fs_summary_write(fs_jsonw *w, const fs_exec *ex, const char *executor)
{
    fs_summary_write_expect(w, ex, executor, NULL, NULL);
}

void fs_summary_write_expect(fs_jsonw *w, const fs_exec *ex, const char *executor,
                             const fs_expect_result *expect, const fs_fault_counts *faults)
{
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    fs_jsonw_lit(w, "{\"type\":\"summary\"");
    fs_jsonw_key(w, "executor", false);
    fs_jsonw_str(w, executor);
    fs__field(w, "workers", fs_exec_worker_count(ex));
    fs__field(w, "end_ns", s->end_ns);
    fs__field(w, "tasks_total", s->tasks_total);
    fs__field(w, "completed", s->completed);
    fs_jsonw_key(w, "stalled", false);
    fs_jsonw_bool(w, s->stalled);
    fs_jsonw_key(w, "time_limit_hit", false);
    fs_jsonw_bool(w, s->time_limit_hit);
    fs_jsonw_key(w, "poll_limit_hit", false);
    fs_jsonw_bool(w, s->poll_limit_hit);
    fs_jsonw_key(w, "limit_hit", false);
    fs_jsonw_str(w, fs_limit_name(s->limit_hit)); /* NULL: null */
    fs__field(w, "polls", s->polls);
    fs__field(w, "pending_polls", s->pending_polls);
    fs__field(w, "ready_polls", s->ready_polls);
    fs__field(w, "wasted_polls", s->wasted_polls);
    fs__field(w, "wakes", s->wakes);
    fs__field(w, "stale_wakes", s->stale_wakes);
    fs__field(w, "remote_schedules", s->remote_schedules);
    if (s->aborted || s->aborted_skips) { /* only runs that aborted tasks say so */
        fs__field(w, "aborted", s->aborted);
        fs__field(w, "aborted_skips", s->aborted_skips);
    }
    if (faults && faults->declared) { /* only scenarios with faults say so */
        fs_jsonw_lit(w, ",\"faults\":{\"fired\":");
        fs_jsonw_i64(w, faults->fired);
        /* "pause" only beside worker faults: the lines of other scenarios stay */
        for (int k = 0; k < FS_FAULT__COUNT; k++)
            if (k != FS_FAULT_PAUSE || faults->workers_declared)
                fs__field(w, fs_fault_kind_name((fs_fault_kind)k), faults->by_kind[k]);
        fs_jsonw_char(w, '}');
    }
    fs__field(w, "busy_ns", s->busy_ns);
    fs__field(w, "idle_ns", s->idle_ns);
    fs_jsonw_key(w, "cpu_busy", false);
    fs_jsonw_f64(w, fs_summary_cpu_busy(s), 6);
    fs__field(w, "max_wake_latency_ns", fs_summary_max_wake_latency(ex));
    fs__field(w, "max_runnable_wait_ns", fs_summary_max_runnable_wait(ex));
    fs__tokio_metrics(w, ex);
    fs_jsonw_key(w, "tasks", false);
    fs_jsonw_char(w, '[');
    for (uint32_t i = 0; i < fs_exec_task_count(ex); i++) {
        const fs_task_info *t = fs_exec_get_task(ex, i);
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_lit(w, "{\"id\":");
        fs_jsonw_i64(w, i);
        fs_jsonw_key(w, "name", false);
        fs_jsonw_str(w, t->name);
        fs_jsonw_key(w, "completed_ns", false);
        if (t->completed_ns >= 0)
            fs_jsonw_i64(w, t->completed_ns);
        else
            fs_jsonw_lit(w, "null");
        fs__field(w, "polls", t->polls);
        fs__field(w, "wasted_polls", t->wasted_polls);
        fs__field(w, "wakes", t->wakes);
        fs__field(w, "max_wake_latency_ns", t->max_wake_latency_ns);
        fs__field(w, "max_runnable_wait_ns", t->max_runnable_wait_ns);
        fs__field(w, "waker_clones", t->waker_clones);
        fs__field(w, "waker_drops", t->waker_drops);
        if (t->fail) { /* its future failed: the error instead of a value */
            fs_jsonw_key(w, "error", false);
            fs_jsonw_str(w, fs_fail_name((fs_fail)t->fail));
        }
        fs_jsonw_char(w, '}');
    }
    fs_jsonw_lit(w, "],\"worker_stats\":[");
    for (int i = 0; i < fs_exec_worker_count(ex); i++) {
        const fs_worker_stats *ws = fs_exec_get_worker(ex, i);
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_lit(w, "{\"id\":");
        fs_jsonw_i64(w, i);
        fs__field(w, "busy_ns", ws->busy_ns);
        fs__field(w, "idle_ns", ws->idle_ns);
        fs__field(w, "polls", ws->polls);
        fs__field(w, "steals", ws->steals);
        fs__field(w, "steal_operations", ws->steal_operations);
        fs__field(w, "parks", ws->parks);
        fs__field(w, "local_schedules", ws->local_schedules);
        fs__field(w, "overflows", ws->overflows);
        fs__field(w, "lifo_polls", ws->lifo_polls);
        fs__worker_metrics(w, ws);
        fs_jsonw_char(w, '}');
    }
    fs_jsonw_char(w, ']');
    if (expect && expect->present) {
        fs_jsonw_key(w, "expectations", false);
        fs__expectations(w, expect);
    }
    fs_jsonw_char(w, '}');
}
