/* futures.h - the futures a scenario describes, built on core's fs_future.
 *
 * Every instance starts with fs_node. Instances are laid out in one block:
 * a seq keeps room for its largest step and builds each step in place when
 * it starts; a join keeps all its children side by side. So a task's whole
 * future is one allocation made at spawn, and nothing allocates in a poll.
 * spec->inst_size caches the block size of a spec. */
#ifndef FS_FUTURES_H
#define FS_FUTURES_H

#include "future.h"
#include "scenario.h"
#include "world.h"

typedef struct fs_node {
    fs_future base;
    const fs_future_spec *spec;
    fs_world *world;
} fs_node;

/* Nodes hold nothing wider than 8 bytes: a million tasks' futures pack at
 * 8-byte boundaries. */
#define FS_NODE_ALIGN 8
static inline size_t fs_node_round(size_t n)
{
    return (n + FS_NODE_ALIGN - 1) & ~(size_t)(FS_NODE_ALIGN - 1);
}

/* Bytes one instance of spec needs (computed once, then cached). */
size_t fs_node_size(fs_future_spec *spec);
/* Builds an instance of spec in mem (fs_node_size bytes, 8-aligned). */
void fs_node_init(void *mem, fs_world *w, const fs_future_spec *spec);

/* Leaves keep the polling task's waker in *slot so their device can wake it,
 * and trace `register` when it changes. With the fault option forget_waker
 * they do nothing: the lost-waker bug. *spurious counts the spurious wakes
 * the leaf has arranged (the fault option spurious_wakes); leaves keep it
 * beside their own small fields, where it costs no room. */
void fs_node_keep_waker(fs_node *n, int32_t *spurious, fs_context *cx, fs_waker *slot,
                        const char *resource);
struct fs_wait_list;
struct fs_waiter;
/* The same for leaves that queue on a device (socket readers, channel
 * senders and receivers): keeps the waker in w and joins list. */
void fs_node_wait(fs_node *n, fs_context *cx, struct fs_wait_list *list, struct fs_waiter *w,
                  const char *resource);

/* Per kind: instance size and in-place init (defined in fut_*.c, dev_*.c). */
size_t fs_sleep_size(const fs_future_spec *s);
void fs_sleep_init(fs_node *n);
size_t fs_socket_read_size(const fs_future_spec *s);
void fs_socket_read_init(fs_node *n);
size_t fs_file_op_size(const fs_future_spec *s);
void fs_file_op_init(fs_node *n);
size_t fs_cpu_size(const fs_future_spec *s);
void fs_cpu_init(fs_node *n);
size_t fs_seq_size(fs_future_spec *s);
void fs_seq_init(fs_node *n);
size_t fs_join_size(fs_future_spec *s);
void fs_join_init(fs_node *n);
size_t fs_select_size(fs_future_spec *s);
void fs_select_init(fs_node *n);
size_t fs_repeat_size(fs_future_spec *s);
void fs_repeat_init(fs_node *n);
size_t fs_spawn_size(const fs_future_spec *s);
void fs_spawn_init(fs_node *n);
size_t fs_channel_op_size(const fs_future_spec *s);
void fs_channel_op_init(fs_node *n);

/* Devices created by the world per resource. */
struct fs_socket *fs_socket_create(fs_world *w, int resource);
void fs_socket_free(struct fs_socket *s);
struct fs_channel *fs_channel_create(fs_world *w, int resource);
void fs_channel_free(struct fs_channel *c);

#endif
