/* fut_select.c - select: the children race; the first to be ready wins and
 * the others are dropped (cancelled): their wakers are taken back from their
 * devices and a `cancel` line names each. Ready value: the winner's.
 * Layout as join's: the header, then the children side by side. */
#include "futures.h"

typedef struct fs_select {
    fs_node n;
    bool done;
    _Alignas(FS_NODE_ALIGN) unsigned char children[];
} fs_select;

static void fs__select_cancel(fs_select *s, fs_context *cx, size_t winner)
{
    const fs_future_spec *spec = s->n.spec;
    unsigned char *child = s->children;
    for (size_t i = 0; i < spec->n_children; i++) {
        if (i != winner) {
            fs_future_drop((fs_future *)child);
            fs_event ev = {.type = FS_EV_CANCEL, .t = fs_context_now(cx), .task = cx->task,
                           .name = spec->children[i].label};
            fs_exec_emit(cx->exec, &ev);
        }
        child += spec->children[i].inst_size;
    }
}

static fs_poll fs__select_poll(fs_future *f, fs_context *cx)
{
    fs_select *s = (fs_select *)f;
    const fs_future_spec *spec = s->n.spec;
    unsigned char *child = s->children;
    const char *pending_state = NULL;
    for (size_t i = 0; i < spec->n_children; i++) {
        fs_future *c = (fs_future *)child;
        child += spec->children[i].inst_size;
        cx->step = cx->steps = 0;
        fs_poll r = fs_future_poll(c, cx);
        if (r.ready) {
            fs_future_drop(c);
            fs__select_cancel(s, cx, i);
            s->done = true;
            return r;
        }
        if (!pending_state)
            pending_state = cx->state;
    }
    cx->state = pending_state;
    cx->step = cx->steps = 0;
    return FS_PENDING;
}

static void fs__select_drop(fs_future *f)
{
    fs_select *s = (fs_select *)f;
    if (s->done)
        return;
    unsigned char *child = s->children;
    for (size_t i = 0; i < s->n.spec->n_children; i++) {
        fs_future_drop((fs_future *)child);
        child += s->n.spec->children[i].inst_size;
    }
}

static const fs_future_vtable fs__select_vt = {
    .name = "select", .poll = fs__select_poll, .drop = fs__select_drop};

size_t fs_select_size(fs_future_spec *s)
{
    size_t total = sizeof(fs_select);
    for (size_t i = 0; i < s->n_children; i++)
        total += fs_node_size(&s->children[i]);
    return total;
}

void fs_select_init(fs_node *n)
{
    fs_select *s = (fs_select *)n;
    n->base.vt = &fs__select_vt;
    s->done = false;
    unsigned char *child = s->children;
    for (size_t i = 0; i < n->spec->n_children; i++) {
        fs_node_init(child, n->world, &n->spec->children[i]);
        child += n->spec->children[i].inst_size;
    }
}
