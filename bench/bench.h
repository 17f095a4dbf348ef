/* bench.h - what the benches share: the workloads as scenario JSON, written
 * as a user would write them, and the clock they are timed by. */
#ifndef FS_BENCH_H
#define FS_BENCH_H

#include <stddef.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef enum { BENCH_W1, BENCH_W2, BENCH_W3 } bench_workload;

/* The scenario text of workload w at size n (malloc'd; its length in *len):
 *   W1 timers:    n tasks, each 10 sequential sleeps uniform [1, 1000] ms
 *   W2 fan-in:    one task joins n sleeps uniform [1, 2000] ms
 *   W3 ping-pong: n/2 pairs over two capacity-1 channels, 100 round trips
 * all with poll_cost_ns 0. */
char *bench_gen(bench_workload w, long n, size_t *len);

/* Side by side with tokio's paused-clock peer (tokio-peer-mt ct): each
 * (workload, n) pair run as a whole process by both, median of 3 wall times,
 * and the ratio. The peer comes from FUTURESCOPE_TOKIO_PEER or the shared
 * peers folder beside the checkout; without it one line says so and the
 * table is skipped. Returns nonzero when a run failed. */
typedef struct bench_pair {
    bench_workload w;
    long n;
} bench_pair;
int bench_peer_table(const bench_pair *pairs, int count);

#endif
