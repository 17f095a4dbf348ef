/* fut_interval.c - interval and tick: tokio::time::interval in a loop.
 *     let mut iv = interval(period);   // {"interval": {...},
 *     loop { body }                    //  "do": body}
 * where the body awaits iv.tick() ({"tick": true}) and ends the loop with
 * {"break": true} (fut_break.c). The interval holds the deadline of the next
 * tick; a tick inside the body reads and moves it on (the interval being
 * polled is found through the world: polls nest, so it is the tick's own).
 *
 * tokio's poll_tick, exactly: the first tick is due when the interval is
 * made (interval_at(now, period)); a tick is ready once its deadline has
 * passed (under steal:N, rounded up to the timer driver's tick, as any
 * sleep); then, if it came more than 5 ms late, the missed-tick behaviour
 * picks the next deadline (burst: deadline + period; delay: now + period;
 * skip: the next multiple of the period after now), else deadline + period.
 * Ready values: a tick, the deadline it was due at in ms (tokio returns
 * that Instant); the interval, the number of bodies that completed before
 * the break. */
#include "kinds.h"

#define FS__LATE_NS 5000000 /* tokio: a tick more than 5 ms late was missed */

struct fs_interval {
    fs_node n;
    int64_t period_ns;   /* drawn at the first poll; -1 before */
    int64_t deadline;    /* when the next tick is due */
    int64_t done;        /* bodies completed */
    bool finished;
    _Alignas(FS_NODE_ALIGN) unsigned char body[];
};
typedef struct fs_interval fs_interval;

typedef struct fs_tick {
    fs_node n;
    int32_t spurious;    /* fs_node_keep_waker's; a tick takes no fault options */
    bool armed;          /* its timer is set for `due` */
    int64_t due;
    fs_qnode timer;      /* armed and no longer queued: it fired */
    fs_waker waker;
} fs_tick;

static int64_t fs__add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* tokio's Interval::poll_tick and MissedTickBehavior::next_timeout. */
static int64_t fs__next_deadline(const fs_interval *iv, int64_t due, int64_t now)
{
    int64_t p = iv->period_ns;
    if (now <= fs__add(due, FS__LATE_NS))
        return fs__add(due, p);
    switch ((fs_missed_tick)iv->n.spec->value) {
    case FS_MISSED_DELAY: return fs__add(now, p);
    case FS_MISSED_SKIP: return fs__add(now, p - (now - due) % p);
    default: return fs__add(due, p); /* burst */
    }
}

/* ---- tick ------------------------------------------------------------------ */

static void fs__tick_fire(fs_qnode *q, void *world)
{
    fs_tick *t = FS_CONTAINER_OF(q, fs_tick, timer);
    fs_world_wake(world, &t->waker, "timer");
}

static fs_poll fs__tick_poll(fs_future *f, fs_context *cx)
{
    fs_tick *t = (fs_tick *)f;
    fs_interval *iv = fs_world_interval(t->n.world);
    FS_EXPECT(iv != NULL); /* the loader keeps a tick inside an interval */
    cx->state = t->n.spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    int64_t now = fs_context_now(cx);
    if (t->armed && t->due != iv->deadline) { /* moved on by another tick: set again */
        fs_world_cancel(t->n.world, &t->timer);
        t->armed = false;
    }
    if (!t->armed) {
        int64_t at = fs_exec_timer_deadline(cx->exec, iv->deadline);
        if (at > now) {
            fs_world_schedule(t->n.world, &t->timer, at);
            t->armed = true;
            t->due = iv->deadline;
            fs_node_keep_waker(&t->n, &t->spurious, cx, &t->waker, "timer");
            return FS_PENDING;
        }
    } else if (fs_qnode_queued(&t->timer)) {
        fs_node_keep_waker(&t->n, &t->spurious, cx, &t->waker, "timer");
        return FS_PENDING;
    }
    t->armed = false;
    fs_waker_drop(&t->waker);
    fs_coop_spend(cx);
    int64_t due = iv->deadline;
    iv->deadline = fs__next_deadline(iv, due, now);
    fs_world_timer_io(t->n.world, now, "tick due", due / 1000000);
    return fs_ready(due / 1000000);
}

static void fs__tick_drop(fs_future *f)
{
    fs_tick *t = (fs_tick *)f;
    fs_world_cancel(t->n.world, &t->timer);
    fs_waker_drop(&t->waker);
}

static const fs_future_vtable fs__tick_vt = {
    .name = "tick", .poll = fs__tick_poll, .drop = fs__tick_drop};

size_t fs_tick_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_tick);
}

void fs_tick_init(fs_node *n)
{
    fs_tick *t = (fs_tick *)n;
    n->base.vt = &fs__tick_vt;
    t->spurious = 0;
    t->armed = false;
    t->due = 0;
    t->waker = (fs_waker){0};
    fs_qnode_init(&t->timer, fs__tick_fire);
    t->timer.waker = &t->waker;
}

/* ---- interval -------------------------------------------------------------- */

static void fs__build(fs_interval *iv)
{
    fs_node_init(iv->body, iv->n.world, &iv->n.spec->children[0], fs_node_loop_occ(&iv->n, iv->done));
}

static fs_poll fs__interval_poll(fs_future *f, fs_context *cx)
{
    fs_interval *iv = (fs_interval *)f;
    fs_future *body = (fs_future *)iv->body;
    if (iv->period_ns < 0) {
        /* tokio panics on a zero period: a drawn one is at least 1 ms */
        int64_t p = fs_node_draw_ns(&iv->n, cx, &iv->n.spec->dur);
        iv->period_ns = p < 1000000 ? 1000000 : p;
        iv->deadline = fs_context_now(cx);
    }
    fs_interval *outer = fs_world_swap_interval(iv->n.world, iv);
    fs_poll r;
    for (;;) {
        r = fs_future_poll(body, cx);
        if (!r.ready)
            break;
        fs_future_drop(body);
        if (r.fail == FS_FAIL_BREAK) {
            iv->finished = true;
            r = fs_ready(iv->done);
            break;
        }
        iv->done++;
        fs__build(iv);
        if (!fs_context_step(cx)) {
            r = FS_PENDING; /* a limit: the run stops */
            break;
        }
    }
    fs_world_swap_interval(iv->n.world, outer);
    return r;
}

static void fs__interval_drop(fs_future *f)
{
    fs_interval *iv = (fs_interval *)f;
    if (!iv->finished)
        fs_future_drop((fs_future *)iv->body);
}

static const fs_future_vtable fs__interval_vt = {
    .name = "interval", .poll = fs__interval_poll, .drop = fs__interval_drop};

size_t fs_interval_size(const fs_future_spec *s)
{
    return sizeof(fs_interval) + s->children[0].inst_size;
}

void fs_interval_init(fs_node *n)
{
    fs_interval *iv = (fs_interval *)n;
    n->base.vt = &fs__interval_vt;
    iv->period_ns = -1;
    iv->deadline = 0;
    iv->done = 0;
    iv->finished = false;
    fs__build(iv);
}
