/* fut_while.c - while: `while let Ok(v) = cond.await { body.await }`. Each
 * iteration awaits the condition future; when it fails (a channel closed,
 * a timeout elapsed) the loop ends, else the body runs. Both are built in
 * place at the start of their turn, so every iteration draws anew. A
 * `break` in the body ends it too. Ready value: the number of bodies that
 * completed. */
#include "kinds.h"

typedef struct fs_while {
    fs_node n;
    int64_t done;       /* bodies completed */
    bool in_body;       /* awaiting the body (else the condition) */
    bool finished;
    _Alignas(FS_NODE_ALIGN) unsigned char child[]; /* room for the larger of the two */
} fs_while;

static void fs__build(fs_while *w, bool body)
{
    w->in_body = body;
    fs_node_init(w->child, w->n.world, &w->n.spec->children[body ? 1 : 0],
                 fs_node_loop_occ(&w->n, w->done));
}

static fs_poll fs__while_poll(fs_future *f, fs_context *cx)
{
    fs_while *w = (fs_while *)f;
    fs_future *child = (fs_future *)w->child;
    for (;;) {
        fs_poll r = fs_future_poll(child, cx);
        if (!r.ready)
            return FS_PENDING;
        fs_future_drop(child);
        if ((!w->in_body && r.fail) || r.fail == FS_FAIL_BREAK) {
            w->finished = true;
            return fs_ready(w->done);
        }
        if (w->in_body)
            w->done++;
        fs__build(w, !w->in_body);
        if (!fs_context_step(cx))
            return FS_PENDING; /* a limit: the run stops */
    }
}

static void fs__while_drop(fs_future *f)
{
    fs_while *w = (fs_while *)f;
    if (!w->finished)
        fs_future_drop((fs_future *)w->child);
}

static const fs_future_vtable fs__while_vt = {
    .name = "while", .poll = fs__while_poll, .drop = fs__while_drop};

size_t fs_while_size(const fs_future_spec *s)
{
    size_t a = s->children[0].inst_size, b = s->children[1].inst_size;
    return sizeof(fs_while) + (a > b ? a : b);
}

void fs_while_init(fs_node *n)
{
    fs_while *w = (fs_while *)n;
    n->base.vt = &fs__while_vt;
    w->done = 0;
    w->finished = false;
    fs__build(w, false);
}
