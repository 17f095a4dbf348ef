/* dev_timer.c - sleep_ms: a timer on the world's agenda.
 * The delay is drawn when the sleep starts (its first poll); the timer event
 * (under steal:N at the driver's next tick) wakes the waker the sleep last
 * kept. Budgeted as tokio's Sleep. Ready value: the delay in ms. */
#include "kinds.h"

typedef struct fs_sleep {
    fs_node n;
    int32_t delay_ms;   /* whole ms, at most 10^9; -1 until it starts */
    int32_t spurious;
    fs_qnode timer;     /* started and no longer queued: it fired */
    fs_waker waker;
} fs_sleep;             /* 96 bytes: a million of them are common */

static void fs__sleep_fire(fs_qnode *q, void *world)
{
    fs_sleep *s = FS_CONTAINER_OF(q, fs_sleep, timer);
    fs_world_wake(world, &s->waker, "timer");
}

static fs_poll fs__sleep_poll(fs_future *f, fs_context *cx)
{
    fs_sleep *s = (fs_sleep *)f;
    cx->state = s->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (s->delay_ms < 0) {
        int64_t delay_ns = fs_node_draw_ns(&s->n, cx, &s->n.spec->dur);
        s->delay_ms = (int32_t)(delay_ns / 1000000);
        int64_t at = fs_exec_timer_deadline(cx->exec, fs_context_now(cx) + delay_ns);
        fs_world_schedule(s->n.world, &s->timer, at);
    } else if (!fs_qnode_queued(&s->timer)) {
        fs_waker_drop(&s->waker);
        fs_coop_spend(cx);
        return fs_ready(s->delay_ms);
    }
    fs_node_keep_waker(&s->n, &s->spurious, cx, &s->waker, "timer");
    return FS_PENDING;
}

static void fs__sleep_drop(fs_future *f)
{
    fs_sleep *s = (fs_sleep *)f;
    fs_world_cancel(s->n.world, &s->timer);
    fs_waker_drop(&s->waker);
}

/* A sleep's first poll draws its duration from the task's key, and so does
 * the poll that ends it inside a repeat (the next sleep is drawn at once):
 * a million tasks' keys do not stay in the cache. Only sleeps fetch it: in
 * W3 (no sleeps) a line nothing reads would take room the misses need. */
static void fs__sleep_prefetch(const fs_future *f, uint32_t task)
{
    __builtin_prefetch(fs_node_key_addr(&((const fs_sleep *)f)->n, task));
}

static const fs_future_vtable fs__sleep_vt = {
    .name = "sleep", .poll = fs__sleep_poll, .drop = fs__sleep_drop,
    .prefetch = fs__sleep_prefetch};

size_t fs_sleep_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_sleep);
}

void fs_sleep_init(fs_node *n)
{
    fs_sleep *s = (fs_sleep *)n;
    n->base.vt = &fs__sleep_vt;
    s->delay_ms = -1;
    s->spurious = 0;
    s->waker = (fs_waker){0};
    fs_qnode_init(&s->timer, fs__sleep_fire);
    s->timer.waker = &s->waker;
}
