/* fut_socket_trace.c - the two FutSockets of fut_socket.c, with the run
 * written as a futurescope trace (JSON Lines) that `futurescope view`,
 * `export` and every reader of the format open. Uses core/ and the trace
 * writer of sim/ (futurescope::sim, or pkg-config futurescope).
 *   fut_socket_trace out.jsonl */
#include <stdio.h>

#include "fut_socket.h"
#include "outfile.h"
#include "trace_writer.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s out.jsonl\n", argv[0]);
        return 2;
    }
    /* the file appears whole or not at all (a temporary name, renamed) */
    fs_outfile out;
    fs_error err = {0};
    if (!fs_outfile_open(&out, argv[1], &err)) {
        fs_error_print(&err, stderr);
        return 1;
    }
    fs_trace_writer *tw = fs_trace_writer_create(out.f, &(fs_trace_header){
        .scenario = "two FutSockets", .executor = "wake", .queue = "fifo",
        .workers = 1, .poll_cost_ns = 1000});
    if (!tw) {
        fs_outfile_abort(&out);
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    my_socket sockets[2];
    socket_world world = {.sockets = sockets, .n = 2};
    fs_exec_desc desc = {
        .kind = FS_EXEC_WAKE,
        .poll_cost_ns = 1000,
        .driver = {.ctx = &world, .next_event = socket_world_next_event,
                   .fire_next = socket_world_fire_next},
        .observer = fs_trace_writer_observer(tw),  /* told every event */
    };
    fs_exec *ex = fs_exec_create(&desc);
    fut_socket futs[2];
    for (int i = 0; i < 2; i++) {
        my_socket_new(&sockets[i], ex, 40 + i);
        fut_socket_init(&futs[i], &sockets[i]);
        fs_exec_spawn(ex, i ? "get_num_b" : "get_num_a", &futs[i].base);
    }
    fs_run_result r = fs_exec_run(ex);

    /* the summary line, then the file renamed into place */
    int rc = r == FS_RUN_DONE ? 0 : 3;
    bool written = fs_trace_writer_finish(tw, ex);
    fs_trace_writer_free(tw);
    if (!written) {
        fs_outfile_abort(&out);
        fprintf(stderr, "cannot write %s\n", argv[1]);
        rc = 1;
    } else if (!fs_outfile_commit(&out, &err)) {
        fs_error_print(&err, stderr);
        rc = 1;
    } else {
        printf("%s: %s at %lld ns after %lld polls\n", argv[1], rc ? "stuck" : "done",
               (long long)fs_exec_get_stats(ex)->end_ns, (long long)fs_exec_get_stats(ex)->polls);
    }
    fs_exec_free(ex);
    return rc;
}
