/* fut_abort.c - abort: tokio's JoinHandle::abort, `handle.abort()` on the
 * handle of the newest task the polling task spawned under the name n (a
 * spawn named n: "parent/n", "parent/n#i" inside a loop or from a
 * join_set named n, or n.j#i when the loader renamed a second spawn). Ready
 * at once: the abort takes effect when the poll ends (fs_exec_abort).
 * Ready value: 1 if that task was still running, else 0 (it had finished,
 * or the task spawned none of that name: abort does nothing). */
#include "kinds.h"

#include <string.h>

static fs_poll fs__abort_poll(fs_future *f, fs_context *cx)
{
    fs_node *n = (fs_node *)f;
    cx->state = n->spec->label;
    /* Its spawns have higher ids than itself: the newest first. */
    for (uint32_t id = fs_exec_task_count(cx->exec); id-- > cx->task + 1;) {
        const fs_task_info *t = fs_exec_get_task(cx->exec, id);
        if (t->parent != (int32_t)cx->task || !fs_scenario_name_covers(t->name, n->spec->spawn_name))
            continue;
        if (fs_exec_task_done(cx->exec, id, NULL))
            return fs_ready(0);
        fs_exec_abort(cx->exec, id);
        return fs_ready(1);
    }
    return fs_ready(0);
}

static const fs_future_vtable fs__abort_vt = {.name = "abort", .poll = fs__abort_poll};

size_t fs_abort_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_node);
}

void fs_abort_init(fs_node *n)
{
    n->base.vt = &fs__abort_vt;
}
