/* kinds.h - what each kind of scenario future provides (defined in the
 * fut_*.c and dev_*.c files): its instance size and in-place init, for
 * futures.c, and the devices world.c creates per resource. The kinds see
 * the world only through node.h. */
#ifndef FS_KINDS_H
#define FS_KINDS_H

#include "node.h"

/* Per kind: instance size (children's inst_size already known) and in-place
 * init. */
size_t fs_sleep_size(const fs_future_spec *s);
void fs_sleep_init(fs_node *n);
/* A sleep's timer (dev_timer.c), shared by sleep_ms and compiled programs:
 * the delay d is drawn at the first poll, keyed by (task, place, occ).
 * Ready when it fired; pending with *keep set: the caller keeps cx's waker
 * in t->waker by its waker rule (*keep false: the coop budget is spent). */
typedef struct fs_timer_wait {
    int32_t delay_ms;   /* whole ms, at most 10^9; -1 until it starts */
    int32_t spurious;   /* its leaf's spurious wakes (fs_node_keep_waker) */
    fs_qnode timer;     /* started and no longer queued: it fired */
    fs_waker waker;
} fs_timer_wait;
void fs_timer_wait_init(fs_timer_wait *t);
fs_poll fs_timer_wait_poll(fs_timer_wait *t, fs_world *w, fs_context *cx, const fs_dur *d,
                           uint32_t place, uint64_t occ, bool *keep);
void fs_timer_wait_drop(fs_timer_wait *t, fs_world *w);
size_t fs_socket_read_size(const fs_future_spec *s);
void fs_socket_read_init(fs_node *n);
size_t fs_file_op_size(const fs_future_spec *s);
void fs_file_op_init(fs_node *n);
size_t fs_cpu_size(const fs_future_spec *s);
void fs_cpu_init(fs_node *n);
size_t fs_seq_size(const fs_future_spec *s);
void fs_seq_init(fs_node *n);
size_t fs_join_size(const fs_future_spec *s);
void fs_join_init(fs_node *n);
size_t fs_select_size(const fs_future_spec *s);
void fs_select_init(fs_node *n);
size_t fs_repeat_size(const fs_future_spec *s);
void fs_repeat_init(fs_node *n);
size_t fs_spawn_size(const fs_future_spec *s);
void fs_spawn_init(fs_node *n);
size_t fs_channel_op_size(const fs_future_spec *s);
void fs_channel_op_init(fs_node *n);
size_t fs_spawn_blocking_size(const fs_future_spec *s);
void fs_spawn_blocking_init(fs_node *n);
size_t fs_while_size(const fs_future_spec *s);
void fs_while_init(fs_node *n);
size_t fs_retry_size(const fs_future_spec *s);
void fs_retry_init(fs_node *n);
size_t fs_join_set_size(const fs_future_spec *s);
void fs_join_set_init(fs_node *n);
size_t fs_abort_size(const fs_future_spec *s);
void fs_abort_init(fs_node *n);
/* tokio::sync: lock and acquire (dev_semaphore.c), close, the notify
 * forms (dev_notify.c), oneshot send, recv and drop (dev_oneshot.c). */
size_t fs_acquire_size(const fs_future_spec *s);
void fs_acquire_init(fs_node *n);
size_t fs_close_size(const fs_future_spec *s);
void fs_close_init(fs_node *n);
size_t fs_notify_op_size(const fs_future_spec *s);
void fs_notify_op_init(fs_node *n);
size_t fs_oneshot_op_size(const fs_future_spec *s);
void fs_oneshot_op_init(fs_node *n);
/* network: accept, and read and write on a task's connection (dev_listener.c) */
size_t fs_listener_op_size(const fs_future_spec *s);
void fs_listener_op_init(fs_node *n);

/* interval and its tick (fut_interval.c); break (fut_break.c) */
size_t fs_interval_size(const fs_future_spec *s);
void fs_interval_init(fs_node *n);
size_t fs_tick_size(const fs_future_spec *s);
void fs_tick_init(fs_node *n);
size_t fs_break_size(const fs_future_spec *s);
void fs_break_init(fs_node *n);

/* Devices created by the world per resource. */
struct fs_socket *fs_socket_create(fs_world *w, int resource);
void fs_socket_free(struct fs_socket *s);
struct fs_channel *fs_channel_create(fs_world *w, int resource);
void fs_channel_free(struct fs_channel *c);
int64_t fs_channel_max_len(const struct fs_channel *c); /* the most it held */
int64_t fs_channel_capacity(const struct fs_channel *c); /* as drawn; 0: unbounded */
/* n more (or, negative, fewer) tasks alive hold a sender of c: at none, it
 * closes. */
void fs_channel_hold(struct fs_channel *c, int64_t n);
/* n more (or fewer) tasks hold c's receiver; at 0 the receiver is dropped:
 * sends fail with "closed", the waiting ones first. */
void fs_channel_hold_receiver(struct fs_channel *c, int64_t n);
void fs_channel_close(struct fs_channel *c);
/* A send (send true; value NULL: the channel's running count) or a recv
 * of c by waiter w, as the send and recv forms do it past the coop budget,
 * shared with compiled programs: ready, or pending with *wait set to the
 * list w must wait in (the caller keeps its waker there by its waker rule;
 * NULL: it must not). fs_channel_leave takes w out (a drop). */
fs_poll fs_channel_op(struct fs_channel *c, bool send, const int64_t *value,
                      struct fs_waiter *w, fs_context *cx, struct fs_wait_list **wait);
void fs_channel_leave(struct fs_channel *c, bool send, struct fs_waiter *w);
const char *fs_channel_name(const struct fs_channel *c);
/* Fetches ahead the two lines a send or recv on c reads. */
void fs_channel_prefetch(const struct fs_channel *c);
/* {"close": ch}: closes the channel now (its size: an fs_node's, as close's). */
void fs_channel_close_op_init(fs_node *n);
/* The blocking pool, one per world. Its jobs' ends are the world's direct
 * events: when the next one is (-1: none), and firing it. */
struct fs_blocking_pool *fs_blocking_pool_create(fs_world *w);
void fs_blocking_pool_free(struct fs_blocking_pool *p);
int64_t fs_blocking_pool_next(const struct fs_blocking_pool *p);
void fs_blocking_pool_fire(struct fs_blocking_pool *p);
struct fs_semaphore *fs_semaphore_create(fs_world *w, int resource); /* and mutexes, rwlocks */
void fs_semaphore_free(struct fs_semaphore *s);
/* Why task is stuck in an acquire or a lock (of a mutex or an rwlock), for a stall: who holds what, a
 * deadlock's cycle. False if it waits in none. */
bool fs_semaphore_explain(fs_world *w, uint32_t task, char *buf, size_t n);
struct fs_notify *fs_notify_create(fs_world *w, int resource);
void fs_notify_free(struct fs_notify *n);
struct fs_oneshot *fs_oneshot_create(fs_world *w, int resource);
void fs_oneshot_free(struct fs_oneshot *o);
/* n more (or, negative, fewer) tasks alive hold o's sender: at none, a
 * sender neither used nor dropped yet is dropped. */
void fs_oneshot_hold(struct fs_oneshot *o, int64_t n);
/* n more (or fewer) tasks alive hold o's receiver: at none, it is
 * dropped, and a send fails with "closed". */
void fs_oneshot_hold_receiver(struct fs_oneshot *o, int64_t n);
struct fs_listener *fs_listener_create(fs_world *w, int resource);
void fs_listener_free(struct fs_listener *l);

#endif
