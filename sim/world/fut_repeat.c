/* fut_repeat.c - repeat N: a loop of N iterations of one future, rebuilt in
 * place at the start of each iteration (so every iteration draws its own
 * random durations). A random N is drawn at the first poll, keyed as the
 * repeat's durations would be. Ready: the last iteration's result, its
 * failure too (0 for N = 0), or after a `break`, the number of iterations
 * completed before it. */
#include "kinds.h"

typedef struct fs_repeat {
    fs_node n;
    int64_t total;  /* iterations in all (-1: a random count not drawn yet) */
    int64_t done;   /* iterations finished */
    int64_t last;
    uint8_t fail;   /* the last iteration's failure (fs_fail) */
    _Alignas(FS_NODE_ALIGN) unsigned char body[];
} fs_repeat;

/* Which start of the body iteration i is: nested repeats count through the
 * inner ones (wrapping past 2^64, which only a key needs to tell apart); a
 * random count is not known ahead, so its iterations count as a while's. */
static uint64_t fs__iteration(const fs_node *n, int64_t i)
{
    if (n->spec->dur.kind != FS_DUR_FIXED)
        return fs_node_loop_occ(n, i);
    return n->occ * (uint64_t)n->spec->repeat + (uint64_t)i;
}

static fs_poll fs__repeat_poll(fs_future *f, fs_context *cx)
{
    fs_repeat *r = (fs_repeat *)f;
    const fs_future_spec *spec = r->n.spec;
    fs_future *body = (fs_future *)r->body;
    if (r->total < 0) {
        r->total = fs_node_draw_count(&r->n, cx, &spec->dur, 0, 0, FS_MAX_REPEAT);
        if (r->total > 0)
            fs_node_init(body, r->n.world, &spec->children[0], fs__iteration(&r->n, 0));
    }
    while (r->done < r->total) {
        fs_poll p = fs_future_poll(body, cx);
        if (!p.ready)
            return FS_PENDING;
        fs_future_drop(body);
        r->last = p.value;
        r->fail = p.fail;
        if (p.fail == FS_FAIL_BREAK) { /* `break`: the iterations done so far */
            r->last = r->done;
            r->fail = FS_FAIL_NONE;
            r->done = r->total;
            body->vt = NULL;
            break;
        }
        if (++r->done == r->total) {
            body->vt = NULL; /* no body now (see fs__repeat_prefetch) */
            break;
        }
        fs_node_init(body, r->n.world, &spec->children[0], fs__iteration(&r->n, r->done));
        if (!fs_context_step(cx))
            return FS_PENDING; /* a limit: the run stops */
    }
    return r->fail ? fs_ready_fail((fs_fail)r->fail) : fs_ready(r->last);
}

static void fs__repeat_drop(fs_future *f)
{
    fs_repeat *r = (fs_repeat *)f;
    if (r->done < r->total) /* (a body is built: total is not -1) */
        fs_future_drop((fs_future *)r->body);
}

/* The repeat's spec and what its body will read. */
static void fs__repeat_prefetch(const fs_future *f, uint32_t task)
{
    const fs_repeat *r = (const fs_repeat *)f;
    const fs_future *body = (const fs_future *)r->body;
    __builtin_prefetch(r->n.spec);
    if (body->vt && body->vt->prefetch) /* NULL: no body (done, or repeat 0) */
        body->vt->prefetch(body, task);
}

static const fs_future_vtable fs__repeat_vt = {
    .name = "repeat", .poll = fs__repeat_poll, .drop = fs__repeat_drop,
    .prefetch = fs__repeat_prefetch};

size_t fs_repeat_size(const fs_future_spec *s)
{
    return sizeof(fs_repeat) + s->children[0].inst_size;
}

void fs_repeat_init(fs_node *n)
{
    fs_repeat *r = (fs_repeat *)n;
    n->base.vt = &fs__repeat_vt;
    r->done = 0;
    r->last = 0;
    r->fail = FS_FAIL_NONE;
    r->total = n->spec->dur.kind == FS_DUR_FIXED ? n->spec->repeat : -1;
    if (r->total > 0)
        fs_node_init(r->body, n->world, &n->spec->children[0], fs__iteration(n, 0));
    else
        ((fs_future *)r->body)->vt = NULL;
}
