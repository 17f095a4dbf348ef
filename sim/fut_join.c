/* fut_join.c - join: every child, concurrently, inside one task. Each poll
 * polls the children not yet ready; it is ready when all are. Ready value:
 * the sum of the children's values (so two reads show both arrived).
 * Layout: the fs_join header, a done flag per child, then the children side
 * by side, each at a 16-byte boundary. */
#include "futures.h"

typedef struct fs_join {
    fs_node n;
    size_t remaining;
    int64_t sum;
    _Alignas(FS_NODE_ALIGN) unsigned char rest[];
} fs_join;

static unsigned char *fs__children(fs_join *j)
{
    return j->rest + fs_node_round(j->n.spec->n_children);
}

static fs_poll fs__join_poll(fs_future *f, fs_context *cx)
{
    fs_join *j = (fs_join *)f;
    const fs_future_spec *spec = j->n.spec;
    unsigned char *done = j->rest, *child = fs__children(j);
    const char *pending_state = NULL;
    for (size_t i = 0; i < spec->n_children; i++) {
        fs_future *c = (fs_future *)child;
        child += spec->children[i].inst_size;
        if (done[i])
            continue;
        cx->step = cx->steps = 0;
        fs_poll r = fs_future_poll(c, cx);
        if (!r.ready) {
            if (!pending_state)
                pending_state = cx->state;
            continue;
        }
        done[i] = 1;
        fs_future_drop(c);
        j->sum += r.value;
        j->remaining--;
    }
    cx->step = cx->steps = 0;
    if (j->remaining == 0)
        return fs_ready(j->sum);
    cx->state = pending_state;
    return FS_PENDING;
}

static void fs__join_drop(fs_future *f)
{
    fs_join *j = (fs_join *)f;
    const fs_future_spec *spec = j->n.spec;
    unsigned char *done = j->rest, *child = fs__children(j);
    for (size_t i = 0; i < spec->n_children; i++) {
        if (!done[i])
            fs_future_drop((fs_future *)child);
        child += spec->children[i].inst_size;
    }
}

static const fs_future_vtable fs__join_vt = {
    .name = "join", .poll = fs__join_poll, .drop = fs__join_drop};

size_t fs_join_size(fs_future_spec *s)
{
    size_t total = sizeof(fs_join) + fs_node_round(s->n_children);
    for (size_t i = 0; i < s->n_children; i++)
        total += fs_node_size(&s->children[i]);
    return total;
}

void fs_join_init(fs_node *n)
{
    fs_join *j = (fs_join *)n;
    const fs_future_spec *spec = n->spec;
    n->base.vt = &fs__join_vt;
    j->remaining = spec->n_children;
    j->sum = 0;
    unsigned char *done = j->rest, *child = fs__children(j);
    for (size_t i = 0; i < spec->n_children; i++) {
        done[i] = 0;
        fs_node_init(child, n->world, &spec->children[i]);
        child += spec->children[i].inst_size;
    }
}
