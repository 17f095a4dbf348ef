/* dev_file.c - completion-based file operations (open, read), io_uring
 * style: the operation is submitted on the first poll and completes after
 * the file's latency for it, whoever is watching.
 *
 * Faults (docs/scenarios.md) are drawn when the operation starts, keyed as
 * its latency is: a latency fault completes it later, a fail fault
 * completes it with the error "io", a hang fault never completes it (the
 * fault line comes at the time it would have). */
#include "kinds.h"

typedef struct fs_file_op {
    fs_node n;
    bool started, done;
    int32_t spurious;
    uint32_t task;          /* the task that started it */
    fs_fault_outcome fault; /* drawn when it starts */
    fs_qnode completion;
    fs_waker waker;
} fs_file_op;

static const char *fs__op_name(const fs_file_op *op)
{
    return op->n.spec->kind == FS_FUT_OPEN ? "open done" : "read done";
}

static void fs__file_fire(fs_qnode *q, void *world)
{
    fs_file_op *op = FS_CONTAINER_OF(q, fs_file_op, completion);
    int res = op->n.spec->resource;
    const char *on = op->n.spec->kind == FS_FUT_OPEN ? "open" : "read";
    if (op->fault.delayed)
        fs_world_fault(world, res, FS_FAULT_LATENCY, on, -1, op->task, op->fault.extra_ns);
    if (op->fault.end == FS_FAULT_HANG) {
        fs_world_fault(world, res, FS_FAULT_HANG, on, -1, op->task, 0);
        return; /* never done: its task keeps waiting */
    }
    op->done = true;
    if (op->fault.end == FS_FAULT_FAIL)
        fs_world_fault(world, res, FS_FAULT_FAIL, on, -1, op->task, 0);
    else
        fs_world_io(world, res, fs__op_name(op), false, 0);
    fs_world_wake(world, &op->waker, fs_world_wake_source(world, res));
}

static fs_poll fs__file_poll(fs_future *f, fs_context *cx)
{
    fs_file_op *op = (fs_file_op *)f;
    const fs_future_spec *spec = op->n.spec;
    const fs_resource_spec *file = &fs_world_scenario(op->n.world)->resources[spec->resource];
    cx->state = spec->label;
    if (!fs_coop_proceed(cx))
        return FS_PENDING;
    if (!op->started) {
        op->started = true;
        int64_t ns = fs_node_draw_ns(&op->n, cx, spec->kind == FS_FUT_OPEN ? &file->open : &file->read);
        op->task = cx->task;
        op->fault = fs_node_faults(&op->n, cx, spec->resource);
        fs_world_schedule(op->n.world, &op->completion, fs_context_now(cx) + ns + op->fault.extra_ns);
    }
    if (op->done) {
        fs_waker_drop(&op->waker);
        fs_coop_spend(cx);
        return op->fault.end == FS_FAULT_FAIL ? fs_ready_fail(FS_FAIL_IO) : fs_ready(0);
    }
    fs_node_keep_waker(&op->n, &op->spurious, cx, &op->waker, file->name);
    return FS_PENDING;
}

static void fs__file_drop(fs_future *f)
{
    fs_file_op *op = (fs_file_op *)f;
    fs_world_cancel(op->n.world, &op->completion);
    fs_waker_drop(&op->waker);
}

static const fs_future_vtable fs__file_vt = {
    .name = "file", .poll = fs__file_poll, .drop = fs__file_drop};

size_t fs_file_op_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_file_op);
}

void fs_file_op_init(fs_node *n)
{
    fs_file_op *op = (fs_file_op *)n;
    n->base.vt = &fs__file_vt;
    op->started = op->done = false;
    op->spurious = 0;
    op->waker = (fs_waker){0};
    fs_qnode_init(&op->completion, fs__file_fire);
    op->completion.waker = &op->waker;
}
