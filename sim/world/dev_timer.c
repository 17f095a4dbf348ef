/* dev_timer.c - sleep_ms: a timer on the world's agenda.
 * The delay is drawn when the sleep starts (its first poll); the timer event
 * (under steal:N at the driver's next tick) wakes the waker the sleep last
 * kept. Budgeted as tokio's Sleep. Ready value: the delay in ms. The timer
 * itself (fs_timer_wait) is shared with compiled programs (fut_program.c). */
#include "kinds.h"

typedef struct fs_sleep {
    fs_node n;
    fs_timer_wait t;
} fs_sleep;             /* 96 bytes: a million of them are common */

static void fs__timer_fire(fs_qnode *q, void *world)
{
    fs_timer_wait *t = FS_CONTAINER_OF(q, fs_timer_wait, timer);
    fs_world_wake(world, &t->waker, "timer");
}

void fs_timer_wait_init(fs_timer_wait *t)
{
    t->delay_ms = -1;
    t->spurious = 0;
    t->waker = (fs_waker){0};
    fs_qnode_init(&t->timer, fs__timer_fire);
    t->timer.waker = &t->waker;
}

fs_poll fs_timer_wait_poll(fs_timer_wait *t, fs_world *w, fs_context *cx, const fs_dur *d,
                           uint32_t place, uint64_t occ, bool *keep)
{
    *keep = false;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (t->delay_ms < 0) {
        int64_t delay_ns = fs_world_draw_ns(w, cx->task, place, occ, d);
        t->delay_ms = (int32_t)(delay_ns / 1000000);
        int64_t at = fs_exec_timer_deadline(cx->exec, fs_context_now(cx) + delay_ns);
        fs_world_schedule(w, &t->timer, at);
    } else if (!fs_qnode_queued(&t->timer)) {
        fs_waker_drop(&t->waker);
        fs_coop_spend(cx);
        return fs_ready(t->delay_ms);
    }
    *keep = true;
    return FS_PENDING;
}

void fs_timer_wait_drop(fs_timer_wait *t, fs_world *w)
{
    fs_world_cancel(w, &t->timer);
    fs_waker_drop(&t->waker);
}

static fs_poll fs__sleep_poll(fs_future *f, fs_context *cx)
{
    fs_sleep *s = (fs_sleep *)f;
    const fs_future_spec *spec = s->n.spec;
    cx->state = spec->label;
    bool keep;
    fs_poll r = fs_timer_wait_poll(&s->t, s->n.world, cx, &spec->dur, spec->place, s->n.occ, &keep);
    if (keep)
        fs_node_keep_waker(&s->n, &s->t.spurious, cx, &s->t.waker, "timer");
    return r;
}

static void fs__sleep_drop(fs_future *f)
{
    fs_sleep *s = (fs_sleep *)f;
    fs_timer_wait_drop(&s->t, s->n.world);
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
    fs_timer_wait_init(&s->t);
}
