/* fut_join.c - join: every child, concurrently, inside one task. The first
 * poll polls every child; after that only the children whose wakers were
 * woken (child_set.h). Ready when all are; ready value: the sum of the
 * children's values (so two reads show both arrived); it fails with the
 * first failure among them (in the order they finished), if any. */
#include "child_set.h"
#include "kinds.h"

typedef struct fs_join {
    fs_node n;
    size_t remaining;
    int64_t sum;
    uint8_t fail;       /* the first child's failure */
    const char *state;  /* the await point of the last child found pending */
    uint32_t state_of;  /* that child */
    fs_child_set set;
    _Alignas(FS_NODE_ALIGN) unsigned char rest[];
} fs_join;

static fs_poll fs__join_poll(fs_future *f, fs_context *cx)
{
    fs_join *j = (fs_join *)f;
    uint32_t i;
    fs_child_set_begin(&j->set, cx);
    while (fs_child_set_next(&j->set, cx, &i)) {
        cx->step = cx->steps = 0;
        fs_poll r = fs_child_set_poll(&j->set, i, cx);
        if (!r.ready) {
            j->state = cx->state;
            j->state_of = i;
            continue;
        }
        if (i == j->state_of) /* its await point is over: not the join's now */
            j->state = "join: awaits its other branches";
        fs_child_set_done(&j->set, i);
        j->sum += r.value;
        if (!j->fail)
            j->fail = r.fail;
        j->remaining--;
    }
    fs_child_set_end(&j->set);
    cx->step = cx->steps = 0;
    if (j->remaining == 0)
        return (fs_poll){.ready = true, .fail = j->fail, .value = j->sum};
    cx->state = j->state;
    return FS_PENDING;
}

static void fs__join_drop(fs_future *f)
{
    fs_join *j = (fs_join *)f;
    fs_child_set_drop_all(&j->set, NULL, NULL);
}

static const fs_future_vtable fs__join_vt = {
    .name = "join", .poll = fs__join_poll, .drop = fs__join_drop};

size_t fs_join_size(const fs_future_spec *s)
{
    return sizeof(fs_join) + fs_child_set_size(s);
}

void fs_join_init(fs_node *n)
{
    fs_join *j = (fs_join *)n;
    n->base.vt = &fs__join_vt;
    j->remaining = n->spec->n_children;
    j->sum = 0;
    j->fail = 0;
    j->state = NULL;
    j->state_of = UINT32_MAX;
    fs_child_set_init(&j->set, j->rest, n->world, n->spec, n->occ);
}
