/* fut_cpu.c - futures that use the CPU rather than a device.
 *   compute_ms: the work happens inside one poll; the worker is busy for the
 *               drawn time and nothing else runs on it. Ready value: ms.
 *   yield:      yield_now: wakes itself and returns pending once. */
#include "kinds.h"

typedef struct fs_cpu {
    fs_node n;
    bool yielded;
} fs_cpu;

static fs_poll fs__cpu_poll(fs_future *f, fs_context *cx)
{
    fs_cpu *c = (fs_cpu *)f;
    const fs_future_spec *spec = c->n.spec;
    cx->state = spec->label;
    if (spec->kind == FS_FUT_COMPUTE) {
        int64_t ns = fs_node_draw_ns(&c->n, cx, &spec->dur);
        if (!fs_context_work(cx, ns))
            return FS_PENDING; /* past the time limit: the run stops there */
        return fs_ready(ns / 1000000);
    }
    if (c->yielded)
        return fs_ready(0);
    c->yielded = true;
    if (!spec->forget_waker)
        fs_waker_wake_by_ref(cx->waker);
    return FS_PENDING;
}

static const fs_future_vtable fs__cpu_vt = {.name = "cpu", .poll = fs__cpu_poll};

size_t fs_cpu_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_cpu);
}

void fs_cpu_init(fs_node *n)
{
    n->base.vt = &fs__cpu_vt;
    ((fs_cpu *)n)->yielded = false;
}
