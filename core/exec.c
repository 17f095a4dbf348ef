/* exec.c - the dispatcher: executor descriptions and names, and creating,
 * running and freeing an executor of any kind. What the executors share is
 * in exec_common.c; which task to poll next is each policy's own
 * (exec_<name>.c). */
#include "exec_policies.h"

#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* descriptions                                                              */
/* ======================================================================== */

fs_exec_desc fs_exec_desc_defaults(const fs_exec_desc *d)
{
    fs_exec_desc r = *d;
    if (r.workers <= 0)
        r.workers = 1;
    if (r.kind != FS_EXEC_STEAL)
        r.workers = 1;
    if (r.max_time_ns <= 0)
        r.max_time_ns = FS_DEFAULT_MAX_TIME_NS;
    if (r.max_polls <= 0)
        r.max_polls = FS_DEFAULT_MAX_POLLS;
    if (r.max_tasks <= 0)
        r.max_tasks = FS_DEFAULT_MAX_TASKS;
    if (r.tick_ns <= 0)
        r.tick_ns = FS_DEFAULT_TICK_NS;
    return r;
}

const char *fs_exec_kind_name(fs_exec_kind kind)
{
    switch (kind) {
    case FS_EXEC_BLOCKING: return "blocking";
    case FS_EXEC_BUSY: return "busy";
    case FS_EXEC_WAKE: return "wake";
    case FS_EXEC_STEAL: return "steal";
    }
    return "?";
}

const char *fs_exec_label(const fs_exec_desc *d, char *buf, size_t n)
{
    if (d->kind == FS_EXEC_STEAL)
        snprintf(buf, n, "steal:%d", d->workers > 0 ? d->workers : 1);
    else
        snprintf(buf, n, "%s", fs_exec_kind_name(d->kind));
    return buf;
}

bool fs_exec_parse_kind(const char *s, fs_exec_kind *kind, int *workers)
{
    *workers = 1;
    if (strcmp(s, "blocking") == 0)
        *kind = FS_EXEC_BLOCKING;
    else if (strcmp(s, "busy") == 0)
        *kind = FS_EXEC_BUSY;
    else if (strcmp(s, "wake") == 0)
        *kind = FS_EXEC_WAKE;
    else if (strncmp(s, "steal:", 6) == 0) {
        char *end;
        long n = strtol(s + 6, &end, 10);
        if (end == s + 6 || *end || n < 1 || n > 64)
            return false;
        *kind = FS_EXEC_STEAL;
        *workers = (int)n;
    } else
        return false;
    return true;
}

/* ======================================================================== */
/* create, run, free                                                         */
/* ======================================================================== */

fs_exec *fs_exec_create(const fs_exec_desc *desc)
{
    fs_exec *ex = calloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    ex->desc = fs_exec_desc_defaults(desc);
    ex->wake_source_task = -1;
    ex->sched_worker = -1;
    ex->n_workers = ex->desc.workers;
    ex->workers = calloc((size_t)ex->n_workers, sizeof *ex->workers);
    if (!ex->workers || (ex->desc.kind == FS_EXEC_STEAL && !fs__exec_steal_init(ex))) {
        free(ex->workers);
        free(ex);
        return NULL;
    }
    if (ex->desc.kind == FS_EXEC_STEAL)
        ex->schedule = fs__exec_steal_schedule;
    if (ex->desc.random_schedule)
        fs_prng_seed(&ex->sched_prng, ex->desc.seed ^ 0x5343484544ULL); /* "SCHED" */
    if (ex->desc.pct_depth > 0 &&
        !(ex->pct = fs__pct_create(ex->desc.seed, ex->desc.pct_depth, ex->desc.pct_steps))) {
        fs__exec_steal_free(ex);
        free(ex->workers);
        free(ex);
        return NULL;
    }
    return ex;
}

fs_run_result fs_exec_run(fs_exec *ex)
{
    fs_run_result r;
    ex->wake_source_task = -1;
    if (!fs__exec_pause_init(ex))
        return FS_RUN_NOMEM;
    switch (ex->desc.kind) {
    case FS_EXEC_BLOCKING: r = fs__exec_run_blocking(ex); break;
    case FS_EXEC_BUSY: r = fs__exec_run_busy(ex); break;
    case FS_EXEC_WAKE: r = fs__exec_run_wake(ex); break;
    case FS_EXEC_STEAL: r = fs__exec_run_steal(ex); break;
    default: FS_EXPECT(!"unknown executor"); return FS_RUN_STALLED;
    }
    if (ex->stats.out_of_memory)
        return FS_RUN_NOMEM;
    /* A limit crossed by the step that completed the last task (the trace's
     * last lines past --max-trace) still says so: exit 3, as its summary. */
    if (r == FS_RUN_DONE && ex->stats.limit_hit != FS_LIMIT_NONE)
        return FS_RUN_TIME_LIMIT;
    return r;
}

bool fs_exec_freeing(const fs_exec *ex)
{
    return ex->freeing;
}

void fs_exec_free(fs_exec *ex)
{
    if (!ex)
        return;
    ex->freeing = true;
    fs__exec_free_tasks(ex);
    fs__exec_steal_free(ex);
    fs__pct_free(ex->pct);
    free(ex->workers);
    free(ex);
}
