/* fut_break.c - break: `break` in a loop body. Ready at once with
 * FS_FAIL_BREAK, which seq, select, lock and acquire pass up unchanged and
 * the innermost loop (repeat, while, interval) takes as its end. The loader
 * allows it only where Rust would: inside a loop body, not across a join,
 * a timeout, a retry, a spawn or a named future's call. */
#include "kinds.h"

static fs_poll fs__break_poll(fs_future *f, fs_context *cx)
{
    (void)f;
    (void)cx;
    return fs_ready_fail(FS_FAIL_BREAK);
}

static const fs_future_vtable fs__break_vt = {.name = "break", .poll = fs__break_poll};

size_t fs_break_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_node);
}

void fs_break_init(fs_node *n)
{
    n->base.vt = &fs__break_vt;
}
