/* futures.c - building scenario futures by kind: the block size of every
 * spec, worked out bottom up once, and the in-place init of each kind. */
#include "futures.h"
#include "kinds.h"

#include <string.h>

size_t fs_futures_size(fs_future_spec *spec)
{
    if (spec->inst_size)
        return spec->inst_size;
    /* Children first: a combinator's size is read from its children's. */
    for (size_t i = 0; i < spec->n_children; i++)
        fs_futures_size(&spec->children[i]);
    size_t n;
    switch (spec->kind) {
    case FS_FUT_SLEEP: n = fs_sleep_size(spec); break;
    case FS_FUT_READ: {
        /* a socket value or a file read, by the resource's type: room for either */
        n = fs_socket_read_size(spec);
        size_t f = fs_file_op_size(spec), c = fs_listener_op_size(spec);
        n = n > f ? n : f;
        n = n > c ? n : c;
        break;
    }
    case FS_FUT_OPEN: n = fs_file_op_size(spec); break;
    case FS_FUT_COMPUTE:
    case FS_FUT_YIELD: n = fs_cpu_size(spec); break;
    case FS_FUT_SEQ: n = fs_seq_size(spec); break;
    case FS_FUT_JOIN: n = fs_join_size(spec); break;
    case FS_FUT_SELECT:
    case FS_FUT_TIMEOUT: n = fs_select_size(spec); break;
    case FS_FUT_WHILE: n = fs_while_size(spec); break;
    case FS_FUT_RETRY: n = fs_retry_size(spec); break;
    case FS_FUT_REPEAT: n = fs_repeat_size(spec); break;
    case FS_FUT_SPAWN: n = fs_spawn_size(spec); break;
    case FS_FUT_SPAWN_BLOCKING: n = fs_spawn_blocking_size(spec); break;
    case FS_FUT_SEND:
    case FS_FUT_RECV: {
        /* a channel or a oneshot, by the resource's type: room for either */
        n = fs_channel_op_size(spec);
        size_t o = fs_oneshot_op_size(spec);
        n = n > o ? n : o;
        break;
    }
    case FS_FUT_LOCK:
    case FS_FUT_READ_LOCK:
    case FS_FUT_WRITE_LOCK:
    case FS_FUT_ACQUIRE: n = fs_acquire_size(spec); break;
    case FS_FUT_CLOSE: n = fs_close_size(spec); break;
    case FS_FUT_NOTIFY_ONE:
    case FS_FUT_NOTIFY_WAITERS:
    case FS_FUT_NOTIFIED: n = fs_notify_op_size(spec); break;
    case FS_FUT_DROP: n = fs_oneshot_op_size(spec); break;
    case FS_FUT_JOIN_SET: n = fs_join_set_size(spec); break;
    case FS_FUT_ABORT: n = fs_abort_size(spec); break;
    case FS_FUT_ACCEPT:
    case FS_FUT_WRITE: n = fs_listener_op_size(spec); break;
    case FS_FUT_INTERVAL: n = fs_interval_size(spec); break;
    case FS_FUT_TICK: n = fs_tick_size(spec); break;
    case FS_FUT_BREAK: n = fs_break_size(spec); break;
    default: FS_EXPECT(!"unknown future kind"); n = 0;
    }
    spec->inst_size = fs_node_round(n);
    return spec->inst_size;
}

void fs_futures_init_kind(fs_node *n)
{
    const fs_future_spec *spec = n->spec;
    switch (spec->kind) {
    case FS_FUT_SLEEP: fs_sleep_init(n); break;
    case FS_FUT_READ:
        if (fs_world_scenario(n->world)->resources[spec->resource].kind == FS_RES_SOCKET)
            fs_socket_read_init(n);
        else if (fs_world_scenario(n->world)->resources[spec->resource].kind == FS_RES_LISTENER)
            fs_listener_op_init(n);
        else
            fs_file_op_init(n);
        break;
    case FS_FUT_OPEN: fs_file_op_init(n); break;
    case FS_FUT_COMPUTE:
    case FS_FUT_YIELD: fs_cpu_init(n); break;
    case FS_FUT_SEQ: fs_seq_init(n); break;
    case FS_FUT_JOIN: fs_join_init(n); break;
    case FS_FUT_SELECT:
    case FS_FUT_TIMEOUT: fs_select_init(n); break;
    case FS_FUT_WHILE: fs_while_init(n); break;
    case FS_FUT_RETRY: fs_retry_init(n); break;
    case FS_FUT_REPEAT: fs_repeat_init(n); break;
    case FS_FUT_SPAWN: fs_spawn_init(n); break;
    case FS_FUT_SPAWN_BLOCKING: fs_spawn_blocking_init(n); break;
    case FS_FUT_SEND:
    case FS_FUT_RECV:
        if (fs_world_scenario(n->world)->resources[spec->resource].kind == FS_RES_ONESHOT)
            fs_oneshot_op_init(n);
        else
            fs_channel_op_init(n);
        break;
    case FS_FUT_LOCK:
    case FS_FUT_READ_LOCK:
    case FS_FUT_WRITE_LOCK:
    case FS_FUT_ACQUIRE: fs_acquire_init(n); break;
    case FS_FUT_CLOSE: /* a semaphore's close, or a channel's */
        if (fs_world_scenario(n->world)->resources[spec->resource].kind == FS_RES_CHANNEL)
            fs_channel_close_op_init(n);
        else
            fs_close_init(n);
        break;
    case FS_FUT_NOTIFY_ONE:
    case FS_FUT_NOTIFY_WAITERS:
    case FS_FUT_NOTIFIED: fs_notify_op_init(n); break;
    case FS_FUT_DROP: fs_oneshot_op_init(n); break;
    case FS_FUT_JOIN_SET: fs_join_set_init(n); break;
    case FS_FUT_ABORT: fs_abort_init(n); break;
    case FS_FUT_ACCEPT:
    case FS_FUT_WRITE: fs_listener_op_init(n); break;
    case FS_FUT_INTERVAL: fs_interval_init(n); break;
    case FS_FUT_TICK: fs_tick_init(n); break;
    case FS_FUT_BREAK: fs_break_init(n); break;
    default: FS_EXPECT(!"unknown future kind");
    }
}
