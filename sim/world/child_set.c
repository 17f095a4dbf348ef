/* child_set.c - per-child wakers and the ready list of join and select. */
#include "child_set.h"

#include <string.h>

enum { FS__DONE = 1, FS__QUEUED = 2 };

static size_t fs__arrays(uint32_t n)
{
    return fs_node_round(n) + fs_node_round((size_t)n * sizeof(uint32_t)) * 2;
}

size_t fs_child_set_size(const fs_future_spec *spec)
{
    size_t total = fs__arrays((uint32_t)spec->n_children);
    for (size_t i = 0; i < spec->n_children; i++)
        total += spec->children[i].inst_size;
    return total;
}

/* ---- the child waker ----------------------------------------------------- */

static void fs__queue(fs_child_set *s, uint32_t i)
{
    if (s->flags[i] & (FS__DONE | FS__QUEUED))
        return;
    s->flags[i] |= FS__QUEUED;
    s->ready[(s->head + s->n_ready++) % s->n] = i;
}

static fs_waker fs__cw_clone(const fs_waker *w)
{
    fs_child_set *s = w->data;
    fs_waker p = fs_waker_clone(&s->parent); /* counted on the task */
    (void)p;
    return *w;
}

static void fs__cw_drop(fs_waker *w)
{
    fs_child_set *s = w->data;
    fs_waker p = s->parent;
    fs_waker_drop(&p);
}

static void fs__cw_wake_by_ref(const fs_waker *w)
{
    fs_child_set *s = w->data;
    fs__queue(s, (uint32_t)w->id);
    fs_waker_wake_by_ref(&s->parent);
}

static void fs__cw_wake(fs_waker *w)
{
    fs__cw_wake_by_ref(w);
    fs__cw_drop(w);
}

static const fs_waker_vtable fs__child_waker_vt = {
    .clone = fs__cw_clone, .wake = fs__cw_wake,
    .wake_by_ref = fs__cw_wake_by_ref, .drop = fs__cw_drop};

/* ---- the set ------------------------------------------------------------- */

void fs_child_set_init(fs_child_set *s, unsigned char *mem, fs_world *w, const fs_future_spec *spec,
                       uint64_t occ)
{
    uint32_t n = (uint32_t)spec->n_children;
    memset(s, 0, sizeof *s);
    s->n = n;
    s->block = mem;
    s->flags = mem;
    s->ready = (uint32_t *)(mem + fs_node_round(n));
    s->offset = (uint32_t *)(mem + fs_node_round(n) + fs_node_round((size_t)n * sizeof(uint32_t)));
    memset(s->flags, 0, n);
    size_t off = fs__arrays(n);
    for (uint32_t i = 0; i < n; i++) {
        s->offset[i] = (uint32_t)off;
        fs_node_init(mem + off, w, &spec->children[i], occ);
        off += spec->children[i].inst_size;
    }
}

static fs_future *fs__child(const fs_child_set *s, uint32_t i)
{
    return (fs_future *)(s->block + s->offset[i]);
}

void fs_child_set_begin(fs_child_set *s, fs_context *cx)
{
    /* A plain copy, not a clone: the task's waker lives as long as the task,
     * and an uncounted copy keeps "is its waker held anywhere" true. */
    s->parent = *cx->waker;
    s->cursor = 0;
    s->batch = s->started ? s->n_ready : s->n;
}

bool fs_child_set_next(fs_child_set *s, fs_context *cx, uint32_t *i)
{
    while (s->cursor < s->batch) {
        if (!fs_context_step(cx))
            return false; /* a limit: the run stops */
        uint32_t c = s->cursor++;
        if (s->started) { /* taken off the ring: its slot is free for a new wake */
            c = s->ready[s->head];
            s->head = (s->head + 1) % s->n;
            s->n_ready--;
        }
        if (s->flags[c] & FS__DONE)
            continue;
        /* polled now: a wake from here on queues it again */
        s->flags[c] &= (uint8_t)~FS__QUEUED;
        *i = c;
        return true;
    }
    return false;
}

fs_poll fs_child_set_poll(fs_child_set *s, uint32_t i, fs_context *cx)
{
    fs_waker cw = {.vt = &fs__child_waker_vt, .data = s, .id = i};
    const fs_waker *task_waker = cx->waker;
    cx->waker = &cw;
    fs_poll r = fs_future_poll(fs__child(s, i), cx);
    cx->waker = task_waker;
    return r;
}

void fs_child_set_done(fs_child_set *s, uint32_t i)
{
    s->flags[i] = FS__DONE;
    fs_future_drop(fs__child(s, i));
}

bool fs_child_set_is_done(const fs_child_set *s, uint32_t i)
{
    return s->flags[i] & FS__DONE;
}

void fs_child_set_end(fs_child_set *s)
{
    s->started = true;
}

void fs_child_set_drop_all(fs_child_set *s, void (*cancelled)(void *ctx, uint32_t i), void *ctx)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->flags[i] & FS__DONE)
            continue;
        s->flags[i] = FS__DONE;
        fs_future_drop(fs__child(s, i));
        if (cancelled)
            cancelled(ctx, i);
    }
}
