/* fut_program.c - a task's future compiled (program.h): one state machine
 * over the task's inline state, the loop's iteration and step and the
 * current leaf's timer or waiter, polled with one indirect call whatever
 * the depth of the form it replaces (repeat -> seq -> leaf: three). It does
 * what those futures do, in the same order, so the trace is the same byte
 * for byte: the leaves share their device's code with them (fs_timer_wait,
 * fs_channel_op) and the waker rule without fault options. */
#include "program.h"

#include <stddef.h>

#include "arena.h"
#include "kinds.h"
#include "wait_list.h"

/* A task's channels and the labels that name them (its own, not the
 * program's). */
typedef struct fs_prog_param {
    struct fs_channel *chan;
    const char *label;
} fs_prog_param;

/* Packed: a million tasks each hold one (W1 at 1M: 80 bytes a task). What
 * every task of its entry shares (program, world, root spec) is in the
 * entry's record, which its vtable pointer points at (program.h). The last
 * iteration's value is not kept: the poll that finishes it returns it. */
typedef struct fs_prog_future {
    fs_future base;         /* base.vt: its entry's fs_prog_entry */
    uint32_t done;          /* iterations finished (a count is at most FS_MAX_REPEAT) */
    uint8_t step;           /* the op awaited (< FS_PROG_MAX_OPS); n_ops once done */
    union {                 /* the op awaited */
        fs_timer_wait timer;    /* SLEEP */
        fs_waiter wait;         /* SEND, RECV */
        bool yielded;           /* YIELD */
    } leaf;
    fs_prog_param params[];
} fs_prog_future;

/* The entry of p: its vtable is the entry record's first member. */
static inline const fs_prog_entry *fs__entry(const fs_prog_future *p)
{
    return (const fs_prog_entry *)p->base.vt;
}

/* ---- the leaves ------------------------------------------------------------- */

static void fs__op_start(fs_prog_future *p, const fs_prog_op *op)
{
    switch (op->kind) {
    case FS_OP_SLEEP: fs_timer_wait_init(&p->leaf.timer); break;
    case FS_OP_SEND:
    case FS_OP_RECV: p->leaf.wait = (fs_waiter){0}; break;
    case FS_OP_YIELD: p->leaf.yielded = false; break;
    case FS_OP_COMPUTE: break;
    }
}

static void fs__op_drop(fs_prog_future *p, const fs_prog_op *op)
{
    switch (op->kind) {
    case FS_OP_SLEEP: fs_timer_wait_drop(&p->leaf.timer, fs__entry(p)->world); break;
    case FS_OP_SEND:
    case FS_OP_RECV:
        fs_channel_leave(p->params[op->param].chan, op->kind == FS_OP_SEND, &p->leaf.wait);
        break;
    default: break;
    }
}

/* The key of a draw: inside the repeat, the iteration. */
static uint64_t fs__occ(const fs_prog_future *p)
{
    return fs__entry(p)->prog->repeat ? (uint64_t)p->done : 0;
}

static fs_poll fs__op_poll(fs_prog_future *p, const fs_prog_op *op, fs_context *cx)
{
    switch (op->kind) {
    case FS_OP_SLEEP: {
        cx->state = op->label;
        bool keep;
        fs_poll r = fs_timer_wait_poll(&p->leaf.timer, fs__entry(p)->world, cx, &op->dur, op->place, fs__occ(p),
                                       &keep);
        if (keep)
            fs_world_keep_waker(cx, &p->leaf.timer.waker, "timer");
        return r;
    }
    case FS_OP_SEND:
    case FS_OP_RECV: {
        const fs_prog_param *pa = &p->params[op->param];
        cx->state = pa->label;
        /* fs_coop_proceed and fs_coop_spend, called only when there is a
         * budget (steal:N) and, for the first, when it is spent */
        if (cx->budget && *cx->budget <= 0 && !fs_coop_proceed(cx))
            return FS_PENDING;
        fs_wait_list *wait;
        fs_poll r = fs_channel_op(pa->chan, op->kind == FS_OP_SEND,
                                  op->has_value ? &op->value : NULL, &p->leaf.wait, cx, &wait);
        if (wait)
            fs_world_wait(cx, wait, &p->leaf.wait, fs_channel_name(pa->chan));
        if (r.ready && cx->budget)
            fs_coop_spend(cx);
        return r;
    }
    case FS_OP_COMPUTE: {
        cx->state = op->label;
        int64_t ns = fs_world_draw_ns(fs__entry(p)->world, cx->task, op->place, fs__occ(p), &op->dur);
        if (!fs_context_work(cx, ns))
            return FS_PENDING; /* past the time limit: the run stops there */
        return fs_ready(ns / 1000000);
    }
    case FS_OP_YIELD:
        cx->state = op->label;
        if (p->leaf.yielded)
            return fs_ready(0);
        p->leaf.yielded = true;
        fs_waker_wake_by_ref(cx->waker);
        return FS_PENDING;
    }
    return FS_PENDING;
}

/* ---- the program ------------------------------------------------------------ */

/* fut_repeat.c's loop around fut_seq.c's, flattened: the same steps. A
 * seq says its await point after each step's poll, and the executor reads
 * the last one said when the poll returns: it is said once, on the way out
 * (`at`: the step polled last, + 1). */
static fs_poll fs__prog_poll(fs_future *f, fs_context *cx)
{
    fs_prog_future *p = (fs_prog_future *)f;
    const fs_program *g = fs__entry(p)->prog;
    fs_poll r;
    uint32_t at;
    for (;;) {
        const fs_prog_op *op = &g->ops[p->step];
        r = fs__op_poll(p, op, cx);
        at = p->step + 1u;
        if (!r.ready) {
            r = FS_PENDING;
            break;
        }
        /* a send or recv that is ready has left its list and dropped its
         * waker already: its drop would do nothing */
        if (op->kind != FS_OP_SEND && op->kind != FS_OP_RECV)
            fs__op_drop(p, op);
        if (++p->step < g->n_ops) { /* the seq's next step */
            fs__op_start(p, &g->ops[p->step]);
            if (!fs_context_step(cx)) {
                r = FS_PENDING; /* a limit: the run stops */
                break;
            }
            continue;
        }
        if (!g->repeat)
            break; /* the body's result (a seq's: its last step's) */
        if (++p->done == g->repeat) { /* the last iteration's value or failure */
            r = r.fail ? fs_ready_fail((fs_fail)r.fail) : fs_ready(r.value);
            break;
        }
        p->step = 0; /* the next iteration */
        fs__op_start(p, &g->ops[0]);
        if (!fs_context_step(cx)) {
            r = FS_PENDING;
            break;
        }
    }
    if (g->seq) {
        cx->step = (int32_t)at;
        cx->steps = (int32_t)g->n_ops;
    }
    return r;
}

static void fs__prog_drop(fs_future *f)
{
    fs_prog_future *p = (fs_prog_future *)f;
    const fs_program *g = fs__entry(p)->prog;
    if (p->step < g->n_ops)
        fs__op_drop(p, &g->ops[p->step]);
}

/* What the op awaited will read: a sleep its task's key (the poll that ends
 * it in a repeat draws the next), a channel op its channel. */
static void fs__prog_prefetch(const fs_future *f, uint32_t task)
{
    const fs_prog_future *p = (const fs_prog_future *)f;
    const fs_prog_entry *e = fs__entry(p);
    const fs_program *g = e->prog;
    if (p->step >= g->n_ops)
        return;
    const fs_prog_op *op = &g->ops[p->step];
    if (op->kind == FS_OP_SLEEP)
        __builtin_prefetch(fs_world_key_addr(e->world, task));
    else if (op->param >= 0)
        fs_channel_prefetch(p->params[op->param].chan);
}

_Static_assert(FS_MAX_REPEAT <= UINT32_MAX && FS_PROG_MAX_OPS < UINT8_MAX,
               "a program's iteration and step fit their fields");
_Static_assert(offsetof(fs_prog_entry, vt) == 0, "an entry is found from its futures' vtable");

const fs_prog_entry *fs_prog_entry_new(struct fs_arena *a, fs_world *w, const fs_program *g,
                                       const fs_task_spec *t)
{
    fs_prog_entry *e = fs_arena_alloc(a, sizeof *e);
    if (!e)
        return NULL;
    e->vt = (fs_future_vtable){.name = "program", .poll = fs__prog_poll, .drop = fs__prog_drop,
                               .prefetch = fs__prog_prefetch};
    e->prog = g;
    e->world = w;
    e->spec = &t->future;
    return e;
}

size_t fs_prog_future_size(const fs_program *g)
{
    return fs_node_round(sizeof(fs_prog_future) + g->n_params * sizeof(fs_prog_param));
}

void fs_prog_future_init(void *mem, const fs_prog_entry *e, const fs_task_spec *t)
{
    fs_prog_future *p = mem;
    const fs_program *g = e->prog;
    p->base.vt = &e->vt;
    p->done = 0;
    p->step = 0;
    /* the task's channels: its uses, the specs with a resource in place
     * order, which in a compiled form are its send and recv leaves in
     * program.c's order (the entry may share another's tree: scenario.h) */
    for (uint32_t i = 0; i < g->n_params; i++)
        p->params[i] =
            (fs_prog_param){fs_world_channel(e->world, t->uses[i].resource), t->uses[i].label};
    fs__op_start(p, &g->ops[0]);
}

size_t fs_prog_future_block(const fs_future *f)
{
    return f->vt->poll == fs__prog_poll ? fs_prog_future_size(fs__entry((const fs_prog_future *)f)->prog)
                                        : 0;
}

const fs_future_spec *fs_prog_future_root(const fs_future *f)
{
    return fs__entry((const fs_prog_future *)f)->spec;
}
