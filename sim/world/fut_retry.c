/* fut_retry.c - retry: await a future; when it fails, wait the backoff and
 * try again, up to `attempts` tries in all (as tokio-retry's Retry). Ready
 * with the first success, or with the last failure. The backoff is fixed
 * (a duration, so it may be random) or exponential (base * 2^(k-1) before
 * try k + 1, capped), with full jitter if asked (a uniform draw in
 * [0, delay]). Each try is built in place and draws anew; the backoff
 * timer is a sleep like sleep_ms's (budgeted, rounded to steal:N's tick).
 * Spec: repeat = attempts (take: random attempts, drawn when a try first
 * fails, keyed as the retry's own draws); dur = the fixed backoff, or the
 * exponential's base; value = the exponential's cap (0: fixed); has_value
 * = jitter. */
#include "kinds.h"

typedef struct fs_retry {
    fs_node n;
    int64_t tries;      /* tries finished */
    int64_t attempts;   /* tries in all (-1: random, not drawn yet) */
    bool sleeping, finished;
    int32_t spurious;
    fs_qnode timer;
    fs_waker waker;
    _Alignas(FS_NODE_ALIGN) unsigned char child[];
} fs_retry;

static void fs__retry_fire(fs_qnode *q, void *world)
{
    fs_retry *r = FS_CONTAINER_OF(q, fs_retry, timer);
    fs_world_wake(world, &r->waker, "timer");
}

/* The wait before try k + 1 (k >= 1 tries failed), in ns. */
static int64_t fs__backoff_ns(const fs_retry *r, const fs_context *cx, int64_t k)
{
    const fs_future_spec *spec = r->n.spec;
    fs_node at = r->n; /* the draws of this wait: keyed by the try */
    at.occ = fs_node_loop_occ(&r->n, k) | 1ULL << 63;
    int64_t ns = fs_node_draw_ns(&at, cx, &spec->dur);
    if (spec->value > 0) { /* exponential: base * 2^(k-1), at most the cap */
        int64_t cap = spec->value * 1000000;
        for (int64_t i = 1; i < k && ns < cap; i++)
            ns *= 2;
        ns = ns < cap ? ns : cap;
    }
    if (spec->has_value && ns > 0) { /* full jitter */
        fs_dur j = {.kind = FS_DUR_UNIFORM, .a_ms = 0, .b_ms = ns / 1000000};
        at.occ ^= 1ULL << 62;
        ns = fs_node_draw_ns(&at, cx, &j);
    }
    return ns;
}

static fs_poll fs__retry_poll(fs_future *f, fs_context *cx)
{
    fs_retry *r = (fs_retry *)f;
    const fs_future_spec *spec = r->n.spec;
    fs_future *child = (fs_future *)r->child;
    for (;;) {
        if (r->sleeping) {
            if (!fs_coop_proceed(cx))
                return FS_PENDING;
            if (fs_qnode_queued(&r->timer)) {
                fs_node_keep_waker(&r->n, &r->spurious, cx, &r->waker, "timer");
                return FS_PENDING;
            }
            fs_waker_drop(&r->waker);
            fs_coop_spend(cx);
            r->sleeping = false;
            fs_node_init(child, r->n.world, &spec->children[0], fs_node_loop_occ(&r->n, r->tries));
            if (!fs_context_step(cx))
                return FS_PENDING; /* a limit: the run stops */
        }
        fs_poll p = fs_future_poll(child, cx);
        if (!p.ready)
            return FS_PENDING;
        fs_future_drop(child);
        r->tries++;
        if (p.fail && r->attempts < 0)
            r->attempts = fs_node_draw_count(&r->n, cx, spec->take, 0, 1, FS_MAX_REPEAT);
        if (!p.fail || r->tries >= r->attempts) {
            r->finished = true;
            return p;
        }
        int64_t at = fs_context_now(cx) + fs__backoff_ns(r, cx, r->tries);
        fs_world_schedule(r->n.world, &r->timer, fs_exec_timer_deadline(cx->exec, at));
        r->sleeping = true;
    }
}

static void fs__retry_drop(fs_future *f)
{
    fs_retry *r = (fs_retry *)f;
    if (!r->finished && !r->sleeping)
        fs_future_drop((fs_future *)r->child);
    fs_world_cancel(r->n.world, &r->timer);
    fs_waker_drop(&r->waker);
}

static const fs_future_vtable fs__retry_vt = {
    .name = "retry", .poll = fs__retry_poll, .drop = fs__retry_drop};

size_t fs_retry_size(const fs_future_spec *s)
{
    return sizeof(fs_retry) + s->children[0].inst_size;
}

void fs_retry_init(fs_node *n)
{
    fs_retry *r = (fs_retry *)n;
    n->base.vt = &fs__retry_vt;
    r->tries = 0;
    r->attempts = n->spec->take ? -1 : n->spec->repeat;
    r->sleeping = r->finished = false;
    r->spurious = 0;
    r->waker = (fs_waker){0};
    fs_qnode_init(&r->timer, fs__retry_fire);
    r->timer.waker = &r->waker;
    fs_node_init(r->child, n->world, &n->spec->children[0], fs_node_loop_occ(n, 0));
}
