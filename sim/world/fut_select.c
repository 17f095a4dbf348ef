/* fut_select.c - select: the children race; the first to be ready wins and
 * the others are dropped (cancelled): their wakers are taken back from their
 * devices and a `cancel` line names each. Like join, only the children that
 * were woken are polled again (child_set.h). Ready value: the winner's.
 * timeout_ms is a select of its future and a timer (the loader writes it
 * so): when the timer wins, it fails with "elapsed", as tokio's Timeout. */
#include "child_set.h"
#include "kinds.h"

typedef struct fs_select {
    fs_node n;
    bool done;
    const char *state;
    fs_child_set set;
    _Alignas(FS_NODE_ALIGN) unsigned char rest[];
} fs_select;

typedef struct fs__cancel_ctx {
    fs_select *s;
    fs_context *cx;
} fs__cancel_ctx;

static void fs__cancelled(void *ctx, uint32_t i)
{
    fs__cancel_ctx *c = ctx;
    fs_event ev = {.type = FS_EV_CANCEL, .t = fs_context_now(c->cx), .task = c->cx->task,
                   .name = c->s->n.spec->children[i].label};
    fs_exec_emit(c->cx->exec, &ev);
}

static fs_poll fs__select_poll(fs_future *f, fs_context *cx)
{
    fs_select *s = (fs_select *)f;
    uint32_t i;
    fs_child_set_begin(&s->set, cx);
    while (fs_child_set_next(&s->set, cx, &i)) {
        cx->step = cx->steps = 0;
        fs_poll r = fs_child_set_poll(&s->set, i, cx);
        if (!r.ready) {
            s->state = cx->state;
            continue;
        }
        fs_child_set_done(&s->set, i);
        fs__cancel_ctx c = {s, cx};
        fs_child_set_drop_all(&s->set, fs__cancelled, &c);
        fs_child_set_end(&s->set);
        s->done = true;
        cx->step = cx->steps = 0;
        /* timeout: the timer (its second child) won */
        if (s->n.spec->kind == FS_FUT_TIMEOUT && i == 1)
            return fs_ready_fail(FS_FAIL_ELAPSED);
        return r;
    }
    fs_child_set_end(&s->set);
    cx->state = s->state;
    cx->step = cx->steps = 0;
    return FS_PENDING;
}

static void fs__select_drop(fs_future *f)
{
    fs_select *s = (fs_select *)f;
    if (!s->done)
        fs_child_set_drop_all(&s->set, NULL, NULL);
}

static const fs_future_vtable fs__select_vt = {
    .name = "select", .poll = fs__select_poll, .drop = fs__select_drop};

size_t fs_select_size(const fs_future_spec *s)
{
    return sizeof(fs_select) + fs_child_set_size(s);
}

void fs_select_init(fs_node *n)
{
    fs_select *s = (fs_select *)n;
    n->base.vt = &fs__select_vt;
    s->done = false;
    s->state = NULL;
    fs_child_set_init(&s->set, s->rest, n->world, n->spec, n->occ);
}
