/* fut_socket.c - two FutSockets on the wake executor: both values after
 * 2 s, four polls. Build: part of the CMake build as example_fut_socket. */
#include <stdio.h>

#include "fut_socket.h"

int main(void)
{
    my_socket sockets[2];
    socket_world world = {.sockets = sockets, .n = 2};
    fs_exec_desc desc = {
        .kind = FS_EXEC_WAKE,
        .poll_cost_ns = 1000,
        .driver = {.ctx = &world, .next_event = socket_world_next_event,
                   .fire_next = socket_world_fire_next},
    };
    fs_exec *ex = fs_exec_create(&desc);
    fut_socket futs[2];
    for (int i = 0; i < 2; i++) {
        my_socket_new(&sockets[i], ex, 40 + i);
        fut_socket_init(&futs[i], &sockets[i]);
        fs_exec_spawn(ex, i ? "get_num_b" : "get_num_a", &futs[i].base);
    }
    fs_run_result r = fs_exec_run(ex);
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    printf("%s at %lld ns after %lld polls (%lld wasted)\n",
           r == FS_RUN_DONE ? "done" : "stuck", (long long)s->end_ns,
           (long long)s->polls, (long long)s->wasted_polls);
    for (uint32_t i = 0; i < fs_exec_task_count(ex); i++)
        printf("  %s = %lld\n", fs_exec_get_task(ex, i)->name,
               (long long)fs_exec_get_task(ex, i)->value);
    fs_exec_free(ex);
    return r == FS_RUN_DONE ? 0 : 3;
}
