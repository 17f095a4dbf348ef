/* fut_join_set.c - join_set: tokio's JoinSet, as
 *
 *     let mut set = JoinSet::new();
 *     for _ in 0..count { set.spawn(f); }
 *     for _ in 0..take { last = set.join_next().await; }
 *     drop(set); // abort_all: the tasks still running are aborted
 *
 * The first poll spawns the members (in one poll, so their ids follow each
 * other). Each join takes the member that finished first (the earliest
 * completion; at equal times the first spawned) and spends one unit of the
 * coop budget, as a JoinHandle does. While none has finished, every member
 * not yet joined holds a clone of the task's waker in the executor's join
 * map, so whichever finishes first wakes it (source task:N). Dropping the
 * set before it is done (the loser of a select, a task aborted) aborts the
 * members left, as tokio's JoinSet does on drop. Ready value: the last
 * joined member's result (its value or its failure, "cancelled" for a
 * member aborted from elsewhere). A random count or take is drawn at the
 * first poll, keyed as the form's durations would be (the take apart), and
 * the take is at most the count; room is kept for the largest count. */
#include "kinds.h"

typedef struct fs__member {
    fs_waker waker;  /* the JoinHandle's, while `waiting` */
    bool waiting;    /* its waker is in the join map (or was woken from it) */
    bool joined;     /* taken by a join (or given up when the set was dropped) */
} fs__member;

typedef struct fs_join_set {
    fs_node n;
    bool started, finished;
    int32_t count;   /* members spawned */
    int32_t joined;  /* results taken */
    int32_t total, take; /* members to spawn, results to take (drawn at the first poll) */
    int64_t first;   /* member k is task first + k */
    fs__member m[];
} fs_join_set;

/* abort_all: the members not joined are aborted (those done already are
 * left alone) and their wakers taken back. While the executor frees its
 * tasks at the end of a run nothing is aborted: every task is dropped. */
static void fs__join_set_abort_rest(fs_join_set *s)
{
    fs_exec *ex = fs_world_exec(s->n.world);
    for (int32_t k = 0; k < s->count; k++) {
        fs__member *m = &s->m[k];
        uint32_t id = (uint32_t)(s->first + k);
        if (m->joined)
            continue;
        m->joined = true;
        if (m->waiting) {
            fs_exec_on_complete(ex, id, NULL);
            fs_waker_drop(&m->waker);
            m->waiting = false;
        }
        if (!fs_exec_freeing(ex))
            fs_exec_abort(ex, id);
    }
}

/* The member that finished first among those not joined, or -1. */
static int32_t fs__join_set_next(const fs_join_set *s, const fs_exec *ex, fs_poll *result)
{
    int32_t best = -1;
    int64_t best_ns = 0;
    for (int32_t k = 0; k < s->count; k++) {
        fs_poll r;
        uint32_t id = (uint32_t)(s->first + k);
        if (s->m[k].joined || !fs_exec_task_done(ex, id, &r))
            continue;
        int64_t ns = fs_exec_get_task(ex, id)->completed_ns;
        if (best < 0 || ns < best_ns) {
            best = k;
            best_ns = ns;
            *result = r;
        }
    }
    return best;
}

static fs_poll fs__join_set_poll(fs_future *f, fs_context *cx)
{
    fs_join_set *s = (fs_join_set *)f;
    const fs_future_spec *spec = s->n.spec;
    cx->state = spec->label;
    if (!s->started) {
        s->started = true;
        s->total = (int32_t)(spec->dur.kind == FS_DUR_FIXED
                                 ? spec->repeat : fs_node_draw_count(&s->n, cx, &spec->dur, 0, 1, spec->repeat));
        s->take = spec->take ? (int32_t)fs_node_draw_count(&s->n, cx, spec->take, 1, 1, FS_MAX_JOIN_SET)
                             : (int32_t)spec->value;
        if (s->take > s->total)
            s->take = s->total;
        for (int64_t k = 0; k < s->total; k++) {
            int64_t id = fs_node_spawn_nth(&s->n, cx, (uint64_t)k, (uint64_t)spec->repeat);
            if (id < 0)
                return FS_PENDING; /* out of memory: the run stops */
            if (k == 0)
                s->first = id;
            s->count++;
        }
    }
    if (s->count < s->total)
        return FS_PENDING;
    for (;;) {
        fs_poll r = FS_PENDING;
        if (!fs_coop_proceed(cx)) /* join_next is budgeted */
            return FS_PENDING;
        int32_t k = fs__join_set_next(s, cx->exec, &r);
        if (k < 0)
            break;
        s->m[k].joined = true;
        s->m[k].waiting = false; /* its waker was woken (and so dropped) */
        s->joined++;
        fs_coop_spend(cx);
        if (s->joined == s->take) {
            fs__join_set_abort_rest(s); /* the set is dropped */
            s->finished = true;
            return r;
        }
        if (!fs_context_step(cx))
            return FS_PENDING; /* a limit: the run stops */
    }
    for (int32_t k = 0; k < s->count; k++) {
        fs__member *m = &s->m[k];
        if (m->joined || m->waiting)
            continue;
        uint32_t id = (uint32_t)(s->first + k);
        m->waker = fs_waker_clone(cx->waker);
        fs_exec_on_complete(cx->exec, id, &m->waker);
        fs_exec_note_register(cx->exec, fs_world_task_ref(s->n.world, id));
        m->waiting = true;
    }
    return FS_PENDING;
}

static void fs__join_set_drop(fs_future *f)
{
    fs_join_set *s = (fs_join_set *)f;
    if (!s->finished)
        fs__join_set_abort_rest(s);
}

static const fs_future_vtable fs__join_set_vt = {
    .name = "join_set", .poll = fs__join_set_poll, .drop = fs__join_set_drop};

size_t fs_join_set_size(const fs_future_spec *s)
{
    return sizeof(fs_join_set) + (size_t)s->repeat * sizeof(fs__member);
}

void fs_join_set_init(fs_node *n)
{
    fs_join_set *s = (fs_join_set *)n;
    n->base.vt = &fs__join_set_vt;
    s->started = s->finished = false;
    s->count = s->joined = s->total = s->take = 0;
    s->first = 0;
    for (int64_t k = 0; k < n->spec->repeat; k++)
        s->m[k] = (fs__member){.waiting = false};
}
