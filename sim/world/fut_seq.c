/* fut_seq.c - seq: an async fn body. Awaits each step in order, building
 * the next step in place when the one before is ready, and reports which
 * await point it is at (step i of n) for the trace. Ready value: the last
 * step's. The state machine the compiler would write for
 *     async { a.await; b.await; c.await }  */
#include "kinds.h"

typedef struct fs_seq {
    fs_node n;
    size_t step;  /* the step being awaited; n_children when done */
    _Alignas(FS_NODE_ALIGN) unsigned char child[];  /* room for the largest step */
} fs_seq;

static fs_poll fs__seq_poll(fs_future *f, fs_context *cx)
{
    fs_seq *s = (fs_seq *)f;
    const fs_future_spec *spec = s->n.spec;
    fs_future *child = (fs_future *)s->child;
    for (;;) {
        fs_poll r = fs_future_poll(child, cx);
        /* Set after the step's poll, so the outermost seq names the point. */
        cx->step = (int32_t)s->step + 1;
        cx->steps = (int32_t)spec->n_children;
        if (!r.ready)
            return FS_PENDING;
        fs_future_drop(child);
        if (r.fail == FS_FAIL_BREAK) /* `break`: the rest of the body never runs */
            s->step = spec->n_children - 1;
        if (++s->step == spec->n_children) {
            child->vt = NULL; /* no step now (see fs__seq_prefetch) */
            return r;
        }
        fs_node_init(child, s->n.world, &spec->children[s->step], s->n.occ);
        if (!fs_context_step(cx))
            return FS_PENDING; /* a limit: the run stops */
    }
}

static void fs__seq_drop(fs_future *f)
{
    fs_seq *s = (fs_seq *)f;
    if (s->step < s->n.spec->n_children)
        fs_future_drop((fs_future *)s->child);
}

/* The seq's spec, the step's (through the step's own node: the seq's spec
 * is not in the cache yet), the next step's, which follows it, and the
 * first step's, which a repeat around the seq builds again. */
static void fs__seq_prefetch(const fs_future *f, uint32_t task)
{
    const fs_seq *s = (const fs_seq *)f;
    const fs_node *child = (const fs_node *)s->child;
    __builtin_prefetch(s->n.spec);
    if (!child->base.vt) /* done */
        return;
    __builtin_prefetch(child->spec + 1);
    __builtin_prefetch(child->spec - s->step);
    if (child->base.vt->prefetch)
        child->base.vt->prefetch(&child->base, task);
}

static const fs_future_vtable fs__seq_vt = {
    .name = "seq", .poll = fs__seq_poll, .drop = fs__seq_drop,
    .prefetch = fs__seq_prefetch};

size_t fs_seq_size(const fs_future_spec *s)
{
    size_t max = 0;
    for (size_t i = 0; i < s->n_children; i++) {
        size_t c = s->children[i].inst_size;
        if (c > max)
            max = c;
    }
    return sizeof(fs_seq) + max;
}

void fs_seq_init(fs_node *n)
{
    fs_seq *s = (fs_seq *)n;
    n->base.vt = &fs__seq_vt;
    s->step = 0;
    fs_node_init(s->child, n->world, &n->spec->children[0], n->occ);
}
