/* trace_writer.c - JSON Lines output with spin folding (see the header).
 *
 * The window is a ring of entries in arrival (= time) order. An entry is an
 * event to write, or an open run: a spinnable poll that later identical polls
 * of the same task extend (count, end). Entries leave from the head as soon
 * as the head is not an open run. A run closes when anything else happens to
 * its task, when the window is full (the oldest is cut), or at the end. */
#include "trace_writer.h"

#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "summary.h"
#include "humanize.h"
#include "stall_reason.h"
#include "world.h"

typedef struct fs__entry {
    fs_event ev;
    int64_t count, end;  /* a run: polls folded in, end of the last */
    bool open;
} fs__entry;

struct fs_trace_writer {
    fs_jsonw out;
    fs__entry *ring;
    size_t head, len, cap;   /* cap is FS_FOLD_WINDOW */
    uint64_t base;           /* absolute index of ring[head] */
    uint64_t *run_of;        /* per task: absolute index + 1 of its open run, 0 if none */
    size_t n_run_of;
    const fs_scenario *model;
    struct fs_world *world;  /* for stall reasons (may be NULL) */
    uint64_t spare;          /* a run slot to hand out when run_of cannot grow */
    uint64_t max_bytes;      /* the size limit (0: none yet) ... */
    fs_exec *limited;        /* ... and the run it stops; NULL once stopped */
    bool nomem;              /* that happened */
    const struct fs_expect_result *expect; /* for the summary; NULL: none */
};

/* ---- lines --------------------------------------------------------------- */

/* `{"t":` T `,"type":"X"` */
static void fs__begin(fs_jsonw *w, int64_t t, const char *type)
{
    FS_JSONW_LIT(w, "{\"t\":");
    fs_jsonw_i64(w, t);
    FS_JSONW_LIT(w, ",\"type\":\"");
    fs_jsonw_lit(w, type);
    fs_jsonw_char(w, '"');
}

/* Keys are literals: `,"key":` is written as it stands, without escaping. */
#define fs__int(w, key, v) (FS_JSONW_LIT((w), ",\"" key "\":"), fs_jsonw_i64((w), (v)))
#define fs__str(w, key, v) (FS_JSONW_LIT((w), ",\"" key "\":"), fs_jsonw_str((w), (v)))

/* "await 2/3: read a", or the leaf's label alone. */
static void fs__state(fs_jsonw *w, const char *state, int32_t step, int32_t steps)
{
    FS_JSONW_LIT(w, ",\"state\":");
    if (steps <= 0) {
        fs_jsonw_str(w, state);
        return;
    }
    /* Formatted by hand, cut where snprintf into 320 bytes cut it. */
    char buf[320];
    size_t n = 6;
    memcpy(buf, "await ", 6);
    if (step < 0)
        buf[n++] = '-';
    n += fs_u64_digits(buf + n, step < 0 ? 0 - (uint64_t)(int64_t)step : (uint64_t)step);
    buf[n++] = '/';
    n += fs_u64_digits(buf + n, (uint64_t)steps);
    buf[n++] = ':';
    buf[n++] = ' ';
    const char *label = state ? state : "?";
    size_t len = strlen(label);
    if (len > sizeof buf - 1 - n)
        len = sizeof buf - 1 - n;
    memcpy(buf + n, label, len);
    fs_jsonw_strn(w, buf, n + len);
}

static void fs__stall_task(fs_jsonw *w, const fs_scenario *model, struct fs_world *world,
                           const fs_stall_info *s)
{
    fs_jsonw_lit(w, "{\"task\":");
    fs_jsonw_i64(w, s->task);
    fs__str(w, "name", s->name);
    if (s->never_polled) {
        fs__str(w, "awaiting", NULL);
        fs__str(w, "waker", NULL);
        char reason[128];
        fs__str(w, "reason", fs_stall_reason(NULL, s, reason, sizeof reason));
        fs_jsonw_char(w, '}');
        return;
    }
    fs__state(w, s->state, s->step, s->steps);
    fs__str(w, "awaiting", s->state);
    fs__str(w, "waker", s->waker_at);
    char reason[512];
    fs_stall_reason_in(world, model, s, reason, sizeof reason);
    fs__str(w, "reason", reason);
    fs_jsonw_char(w, '}');
}

static void fs__write_event(fs_jsonw *w, const fs_scenario *model, struct fs_world *world,
                            const fs_event *ev)
{
    fs__begin(w, ev->t, fs_event_type_name(ev->type));
    switch (ev->type) {
    case FS_EV_SPAWN:
        fs__int(w, "task", ev->task);
        fs__str(w, "name", ev->name);
        if (ev->parent >= 0)
            fs__int(w, "parent", ev->parent);
        else
            FS_JSONW_LIT(w, ",\"parent\":null");
        break;
    case FS_EV_POLL:
        fs__int(w, "task", ev->task);
        fs__int(w, "worker", ev->worker);
        fs__int(w, "dur", ev->dur);
        if (ev->ready)
            FS_JSONW_LIT(w, ",\"result\":\"ready\"");
        else
            FS_JSONW_LIT(w, ",\"result\":\"pending\"");
        fs__state(w, ev->state, ev->step, ev->steps);
        if (ev->ready)
            fs__int(w, "value", ev->value);
        if (ev->ready && ev->fail)
            fs__str(w, "error", fs_fail_name((fs_fail)ev->fail));
        break;
    case FS_EV_REGISTER:
        fs__int(w, "task", ev->task);
        fs__str(w, "resource", ev->name);
        break;
    case FS_EV_WAKE:
        fs__int(w, "task", ev->task);
        if (ev->source_task >= 0) {
            FS_JSONW_LIT(w, ",\"source\":\"task:");
            fs_jsonw_i64(w, ev->source_task);
            fs_jsonw_char(w, '"');
        } else {
            fs__str(w, "source", ev->source);
        }
        if (ev->what)
            FS_JSONW_LIT(w, ",\"stale\":true");
        break;
    case FS_EV_IO:
        fs__str(w, "resource", ev->name);
        fs__str(w, "what", ev->what);
        if (ev->has_value)
            fs__int(w, "value", ev->value);
        break;
    case FS_EV_FAULT:
        if (!ev->name) { /* a worker's: its thread stops for dur */
            fs__str(w, "kind", ev->what);
            fs__int(w, "worker", ev->worker);
            fs__int(w, "dur", ev->dur);
            break;
        }
        fs__str(w, "resource", ev->name);
        fs__str(w, "kind", ev->what);
        fs__str(w, "on", ev->state);
        if (ev->count >= 0)
            fs__int(w, "index", ev->count);
        if (ev->has_value)
            fs__int(w, "task", ev->value);
        if (ev->dur > 0 || strcmp(ev->what, "latency") == 0)
            fs__int(w, "extra_ns", ev->dur);
        break;
    case FS_EV_PARK:
    case FS_EV_UNPARK:
    case FS_EV_PREEMPT:
    case FS_EV_RESUME:
        fs__int(w, "worker", ev->worker);
        break;
    case FS_EV_STEAL:
        fs__int(w, "worker", ev->worker);
        fs__int(w, "victim", ev->victim);
        fs__int(w, "count", ev->count);
        break;
    case FS_EV_DRIVER:
        fs__int(w, "worker", ev->worker);
        fs__int(w, "fired", ev->count);
        break;
    case FS_EV_BUDGET:
        fs__int(w, "task", ev->task);
        fs__int(w, "worker", ev->worker);
        break;
    case FS_EV_QUEUE:
        fs__int(w, "worker", ev->worker);
        fs__int(w, "depth", ev->count);
        break;
    case FS_EV_BLOCKING:
        fs__int(w, "task", ev->task);
        fs__int(w, "thread", ev->worker);
        fs__int(w, "job", ev->count);
        fs__str(w, "name", ev->name);
        fs__int(w, "dur", ev->dur);
        fs__int(w, "queued", ev->end);
        if (ev->ready)
            FS_JSONW_LIT(w, ",\"new_thread\":true");
        break;
    case FS_EV_CANCEL:
        fs__int(w, "task", ev->task);
        fs__str(w, "future", ev->name);
        break;
    case FS_EV_COMPLETE:
        fs__int(w, "task", ev->task);
        fs__int(w, "value", ev->value);
        if (ev->fail)
            fs__str(w, "error", fs_fail_name((fs_fail)ev->fail));
        break;
    case FS_EV_STALL:
        fs_jsonw_lit(w, ",\"tasks\":[");
        for (size_t i = 0; i < ev->n_stalled; i++) {
            if (i)
                fs_jsonw_char(w, ',');
            fs__stall_task(w, model, world, &ev->stalled[i]);
        }
        fs_jsonw_char(w, ']');
        break;
    default:
        break;
    }
    FS_JSONW_LIT(w, "}\n");
}

static void fs__write_entry(fs_jsonw *w, const fs__entry *e)
{
    if (e->count <= 1) {
        fs__write_event(w, NULL, NULL, &e->ev);
        return;
    }
    const fs_event *ev = &e->ev;
    fs__begin(w, ev->t, "spin");
    fs__int(w, "task", ev->task);
    fs__int(w, "worker", ev->worker);
    fs__int(w, "count", e->count);
    fs__int(w, "end", e->end);
    fs__int(w, "dur", ev->dur);
    fs__state(w, ev->state, ev->step, ev->steps);
    FS_JSONW_LIT(w, "}\n");
}

/* ---- the window ---------------------------------------------------------- */

/* The window is a power of two, so ring positions are masked, not divided. */
_Static_assert((FS_FOLD_WINDOW & (FS_FOLD_WINDOW - 1)) == 0, "FS_FOLD_WINDOW: a power of two");
#define FS__MASK ((size_t)FS_FOLD_WINDOW - 1)

static fs__entry *fs__at(fs_trace_writer *tw, uint64_t abs)
{
    return &tw->ring[(tw->head + (size_t)(abs - tw->base)) & FS__MASK];
}

static void fs__drain(fs_trace_writer *tw)
{
    while (tw->len && !tw->ring[tw->head].open) {
        fs__write_entry(&tw->out, &tw->ring[tw->head]);
        tw->head = (tw->head + 1) & FS__MASK;
        tw->len--;
        tw->base++;
    }
}

static uint64_t *fs__run_slot(fs_trace_writer *tw, uint32_t task)
{
    if (task >= tw->n_run_of) {
        size_t n = tw->n_run_of ? tw->n_run_of : 64;
        while (n <= task)
            n *= 2;
        uint64_t *r = realloc(tw->run_of, n * sizeof *r);
        if (!r) {
            /* Out of memory: the trace is marked failed (finish reports it);
             * this task's spins are simply not folded from here on. */
            tw->out.failed = true;
            tw->nomem = true;
            tw->spare = 0;
            return &tw->spare;
        }
        memset(r + tw->n_run_of, 0, (n - tw->n_run_of) * sizeof *r);
        tw->run_of = r;
        tw->n_run_of = n;
    }
    return &tw->run_of[task];
}

static void fs__close_run(fs_trace_writer *tw, uint32_t task)
{
    uint64_t *slot = fs__run_slot(tw, task);
    if (*slot) {
        fs__at(tw, *slot - 1)->open = false;
        *slot = 0;
    }
}

static void fs__push(fs_trace_writer *tw, const fs_event *ev, bool open)
{
    if (tw->len == tw->cap) {
        /* Window full: cut the oldest run where it stands. */
        fs__entry *head = &tw->ring[tw->head];
        fs__close_run(tw, head->ev.task);
        fs__drain(tw);
    }
    fs__entry *e = &tw->ring[(tw->head + tw->len) & FS__MASK];
    e->ev = *ev;
    e->open = open;
    e->count = 1;
    e->end = ev->t + ev->dur;
    if (open)
        *fs__run_slot(tw, ev->task) = tw->base + tw->len + 1;
    tw->len++;
}

static bool fs__concerns_task(fs_event_type t)
{
    return t == FS_EV_SPAWN || t == FS_EV_POLL || t == FS_EV_REGISTER ||
           t == FS_EV_WAKE || t == FS_EV_CANCEL || t == FS_EV_COMPLETE;
}

static void fs__fold(fs_trace_writer *tw, const fs_event *ev)
{
    if (ev->type == FS_EV_SPIN_SKIP || (ev->type == FS_EV_POLL && ev->spinnable)) {
        uint64_t *slot = fs__run_slot(tw, ev->task);
        if (*slot) {
            fs__entry *e = fs__at(tw, *slot - 1);
            bool skip = ev->type == FS_EV_SPIN_SKIP;
            e->count += skip ? ev->count : 1;
            e->end = skip ? ev->end : ev->t + ev->dur;
            return;
        }
        FS_EXPECT(ev->type == FS_EV_POLL);  /* a skip always extends a run */
        fs__push(tw, ev, true);
        return;
    }
    if (ev->type == FS_EV_STALL) {
        /* The stall's task list points into memory freed after this call:
         * close every run and write everything now. */
        for (size_t i = 0; i < tw->len; i++)
            fs__at(tw, tw->base + i)->open = false;
        if (tw->run_of)
            memset(tw->run_of, 0, tw->n_run_of * sizeof *tw->run_of);
        fs__drain(tw);
        fs__write_event(&tw->out, tw->model, tw->world, ev);
        return;
    }
    if (tw->len == 0) {
        /* An empty window holds no open run (run_of is all zero): the line
         * goes out at once, without a look at its task's slot. */
        fs__write_event(&tw->out, NULL, NULL, ev);
        tw->base++;
        return;
    }
    if (fs__concerns_task(ev->type))
        fs__close_run(tw, ev->task);
    fs__push(tw, ev, false);
    fs__drain(tw);
}

static void fs__on_event(void *ctx, const fs_event *ev)
{
    fs_trace_writer *tw = ctx;
    fs__fold(tw, ev);
    if (tw->limited && fs_jsonw_size(&tw->out) > tw->max_bytes) {
        fs_exec_stop(tw->limited, FS_LIMIT_TRACE);
        tw->limited = NULL;
    }
}

/* ---- public -------------------------------------------------------------- */

fs_trace_writer *fs_trace_writer_create(FILE *out, const fs_trace_header *h)
{
    fs_trace_writer *tw = calloc(1, sizeof *tw);
    if (!tw)
        return NULL;
    tw->cap = FS_FOLD_WINDOW;
    tw->ring = malloc(tw->cap * sizeof *tw->ring);
    if (!tw->ring) {
        free(tw);
        return NULL;
    }
    tw->model = h->model;
    tw->world = h->world;
    fs_jsonw *w = &tw->out;
    fs_jsonw_init(w, out);
    fs_jsonw_lit(w, "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":");
    fs_jsonw_i64(w, FS_TRACE_VERSION);
    fs__str(w, "program", "futurescope " FS_VERSION);
    fs__str(w, "scenario", h->scenario);
    fs__str(w, "executor", h->executor);
    if (h->queue)
        fs__str(w, "queue", h->queue);
    if (h->schedule)
        fs__str(w, "schedule", h->schedule);
    fs__int(w, "workers", h->workers);
    fs__int(w, "seed", (int64_t)h->seed);
    fs__int(w, "poll_cost_ns", h->poll_cost_ns);
    if (h->tokio) {
        fs__str(w, "tokio", h->tokio);
        fs__int(w, "tick_ns", h->tick_ns);
        fs__int(w, "timer_slack_ns", h->timer_slack_ns);
        fs__int(w, "wake_latency_ns", h->wake_latency_ns);
        if (h->cpus > 0)
            fs__int(w, "cpus", h->cpus);
        if (h->turn_delay_ns > 0)
            fs__int(w, "turn_delay_ns", h->turn_delay_ns);
        if (h->hand_over_pm[0] > 0 || h->hand_over_pm[1] > 0) {
            fs__int(w, "hand_over_turn_pm", h->hand_over_pm[0]);
            fs__int(w, "hand_over_other_pm", h->hand_over_pm[1]);
            fs__int(w, "idle_wake_ns", h->idle_wake_ns);
        }
    }
    fs_jsonw_lit(w, ",\"time_unit\":\"ns\"");
    if (h->model) {
        /* The scenario's resources and their kinds, so a reader can label
         * device lanes before (or without) seeing them used. */
        fs_jsonw_lit(w, ",\"resources\":[");
        for (size_t i = 0; i < h->model->n_resources; i++) {
            const fs_resource_spec *res = &h->model->resources[i];
            fs_jsonw_lit(w, i ? ",{\"name\":" : "{\"name\":");
            fs_jsonw_str(w, res->name);
            fs__str(w, "type", fs_resource_type_name(res->kind));
            fs_jsonw_char(w, '}');
        }
        fs_jsonw_char(w, ']');
    }
    FS_JSONW_LIT(w, "}\n");
    return tw;
}

fs_observer fs_trace_writer_observer(fs_trace_writer *tw)
{
    return (fs_observer){.ctx = tw, .on_event = fs__on_event};
}

void fs_trace_writer_limit(fs_trace_writer *tw, uint64_t max_bytes, fs_exec *ex)
{
    tw->max_bytes = max_bytes;
    tw->limited = ex;
}

void fs_trace_writer_set_expect(fs_trace_writer *tw, const struct fs_expect_result *e)
{
    tw->expect = e;
}

bool fs_trace_writer_finish(fs_trace_writer *tw, const fs_exec *ex)
{
    for (size_t i = 0; i < tw->len; i++)
        fs__at(tw, tw->base + i)->open = false;
    if (tw->run_of)
        memset(tw->run_of, 0, tw->n_run_of * sizeof *tw->run_of);
    fs__drain(tw);
    char name[32];
    fs_summary_write_expect(&tw->out, ex, fs_exec_label(fs_exec_get_desc(ex), name, sizeof name),
                            tw->expect, tw->world ? fs_world_fault_counts(tw->world) : NULL);
    fs_jsonw_char(&tw->out, '\n');
    return fs_jsonw_flush(&tw->out);
}

bool fs_trace_writer_out_of_memory(const fs_trace_writer *tw)
{
    return tw->nomem;
}

void fs_trace_writer_free(fs_trace_writer *tw)
{
    if (!tw)
        return;
    free(tw->ring);
    free(tw->run_of);
    free(tw);
}
