/* run.c - wiring a scenario, a world, an executor and a trace writer. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_writer.h"
#include "world.h"

/* Both observers see every event: the trace writer and the caller's. */
typedef struct fs__tee {
    fs_observer a, b;
} fs__tee;

static void fs__tee_event(void *ctx, const fs_event *ev)
{
    fs__tee *t = ctx;
    if (t->a.on_event)
        t->a.on_event(t->a.ctx, ev);
    if (t->b.on_event)
        t->b.on_event(t->b.ctx, ev);
}

static fs_errcode fs__nomem(fs_error *err)
{
    memset(err, 0, sizeof *err);
    fs_error_set(err, FS_ERR_NOMEM, "out of memory");
    return FS_ERR_NOMEM;
}

/* --schedule pct:D draws its change points among the steps of the run, k:
 * estimated, as shuttle does from a first run, by a run of the same seed in
 * the fixed order (no trace): its turns of the ready queue. */
static fs_errcode fs__pct_steps(const fs_run_desc *desc, int64_t *k, fs_error *err)
{
    fs_run_desc pilot = *desc;
    pilot.pct_depth = 0;
    pilot.trace = NULL;
    pilot.observer = (fs_observer){0};
    pilot.progress = NULL;
    pilot.progress_ctx = NULL;
    fs_run *r = NULL;
    fs_errcode rc = fs_run_simulate(&pilot, &r, err);
    if (rc != FS_ERR_OK)
        return rc;
    const fs_exec_stats *st = fs_exec_get_stats(r->exec);
    *k = st->polls + st->aborted_skips;
    fs_run_free(r);
    return FS_ERR_OK;
}

fs_errcode fs_run_simulate(const fs_run_desc *desc, fs_run **out, fs_error *err)
{
    *out = NULL;
    const fs_scenario *sc = desc->scenario;
    int64_t cost = desc->has_poll_cost ? desc->poll_cost_ns : sc->poll_cost_ns;
    if (cost == 0 && (desc->kind == FS_EXEC_BUSY || desc->kind == FS_EXEC_BLOCKING)) {
        memset(err, 0, sizeof *err);
        fs_error_set(err, FS_ERR_USAGE,
                     "%s needs a poll cost above 0 ns: with free polls its loop would "
                     "never advance the simulated clock (use wake or steal:N for an "
                     "ideal CPU)", fs_exec_kind_name(desc->kind));
        return FS_ERR_USAGE;
    }

    char pct_name[16];
    snprintf(pct_name, sizeof pct_name, "pct:%d", desc->pct_depth);
    if ((desc->random_schedule || desc->pct_depth > 0) && desc->kind != FS_EXEC_WAKE) {
        /* steal:N's order is tokio's: its only free choice, the steal
         * victims, is drawn from the seed already. */
        memset(err, 0, sizeof *err);
        fs_error_set(err, FS_ERR_USAGE, "--schedule %s is for the wake executor only (got %s)",
                     desc->random_schedule ? "random" : pct_name, fs_exec_kind_name(desc->kind));
        return FS_ERR_USAGE;
    }
    int64_t pct_steps = 0;
    if (desc->pct_depth > 1) {
        fs_errcode prc = fs__pct_steps(desc, &pct_steps, err);
        if (prc != FS_ERR_OK)
            return prc;
    }

    fs_run *r = calloc(1, sizeof *r);
    if (!r)
        return fs__nomem(err);
    r->desc = *desc;
    uint64_t seed = desc->has_seed ? desc->seed : sc->seed;
    r->world = fs_world_create(sc, seed);
    if (!r->world) {
        free(r);
        return fs__nomem(err);
    }
    fs_world_set_interpret(r->world, desc->interpret);

    fs_exec_desc ed = {
        .kind = desc->kind, .workers = desc->workers, .lifo = desc->lifo,
        .poll_cost_ns = cost, .max_time_ns = desc->max_time_ns,
        .max_polls = desc->max_polls,
        .max_tasks = desc->max_tasks,
        .no_fast_forward = desc->no_fast_forward, .seed = seed,
        .random_schedule = desc->random_schedule,
        .pct_depth = desc->pct_depth, .pct_steps = pct_steps,
        .tokio = desc->tokio, .tick_ns = desc->tick_ns,
        .timer_slack_ns = desc->timer_slack_ns, .wake_latency_ns = desc->wake_latency_ns,
        .cpus = desc->cpus, .turn_delay_ns = desc->turn_delay_ns,
        .hand_over_pm = {desc->hand_over_pm[0], desc->hand_over_pm[1]},
        .idle_wake_ns = desc->idle_wake_ns,
        .driver = fs_world_driver(r->world),
        .release_future = fs_world_release_future, .release_ctx = r->world,
        .progress = desc->progress, .progress_ctx = desc->progress_ctx,
    };
    fs_exec_label(&ed, r->executor, sizeof r->executor);

    fs_trace_writer *tw = NULL;
    if (desc->trace) {
        fs_trace_header h = {.scenario = sc->name, .executor = r->executor,
                             .queue = desc->kind == FS_EXEC_WAKE ? (desc->lifo ? "lifo" : "fifo") : NULL,
                             .workers = desc->workers > 0 ? desc->workers : 1,
                             .schedule = desc->random_schedule ? "random"
                                         : desc->pct_depth > 0 ? pct_name : NULL,
                             .seed = seed, .poll_cost_ns = cost, .model = sc,
                             .world = r->world};
        if (desc->kind == FS_EXEC_STEAL) {
            const fs_exec_desc full = fs_exec_desc_defaults(&ed);
            h.tokio = full.tokio == FS_TOKIO_1_24 ? "1.24" : "current";
            h.tick_ns = full.tick_ns;
            h.timer_slack_ns = full.timer_slack_ns;
            h.wake_latency_ns = full.wake_latency_ns;
            h.cpus = full.cpus;
            h.turn_delay_ns = full.turn_delay_ns;
            h.hand_over_pm[0] = full.hand_over_pm[0];
            h.hand_over_pm[1] = full.hand_over_pm[1];
            h.idle_wake_ns = full.idle_wake_ns;
        }
        if (!(tw = fs_trace_writer_create(desc->trace, &h))) {
            fs_run_free(r);
            return fs__nomem(err);
        }
    }
    fs__tee tee = {.a = tw ? fs_trace_writer_observer(tw) : (fs_observer){0},
                   .b = desc->observer};
    if (tee.a.on_event && tee.b.on_event)
        ed.observer = (fs_observer){.ctx = &tee, .on_event = fs__tee_event};
    else
        ed.observer = tee.a.on_event ? tee.a : tee.b; /* one or none: no tee */

    r->exec = fs_exec_create(&ed);
    if (!r->exec) {
        fs_trace_writer_free(tw);
        fs_run_free(r);
        return fs__nomem(err);
    }
    if (tw)
        fs_trace_writer_limit(tw, desc->max_trace_bytes ? desc->max_trace_bytes
                                                         : FS_DEFAULT_MAX_TRACE, r->exec);
    fs_world_attach(r->world, r->exec);
    /* A spawn refused by --max-tasks is not out of memory, nor one refused
     * after another limit stopped the run (the trace's, by the spawn lines:
     * the task limit is then not the one recorded) */
    if (!fs_world_spawn_tasks(r->world) &&
        fs_exec_get_stats(r->exec)->limit_hit == FS_LIMIT_NONE)
        fs_exec_out_of_memory(r->exec);
    r->result = fs_exec_run(r->exec);

    if (r->result != FS_RUN_NOMEM)
        fs_expect_check(sc, r->world, r->exec, &r->expect);
    if (tw)
        fs_trace_writer_set_expect(tw, &r->expect);
    fs_errcode rc = FS_ERR_OK;
    if (r->result == FS_RUN_NOMEM) {
        rc = fs__nomem(err);
    } else if (tw && !fs_trace_writer_finish(tw, r->exec)) {
        if (fs_trace_writer_out_of_memory(tw)) {
            rc = fs__nomem(err);
        } else {
            memset(err, 0, sizeof *err);
            fs_error_set(err, FS_ERR_WRITE, "write failed: %s", strerror(errno));
            rc = FS_ERR_WRITE;
        }
    }
    fs_trace_writer_free(tw);
    /* The observers pointed at this stack frame: nothing may report now. */
    if (rc != FS_ERR_OK) {
        fs_run_free(r);
        return rc;
    }
    *out = r;
    return FS_ERR_OK;
}

void fs_run_free(fs_run *r)
{
    if (!r)
        return;
    fs_exec_free(r->exec);
    fs_world_free(r->world);
    free(r);
}

int fs_run_exit_status(const fs_run *r)
{
    return r->result == FS_RUN_DONE && r->expect.failed == 0 ? 0 : 3;
}
