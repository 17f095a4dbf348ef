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

/* Devices created by the world per resource. */
struct fs_socket *fs_socket_create(fs_world *w, int resource);
void fs_socket_free(struct fs_socket *s);
struct fs_channel *fs_channel_create(fs_world *w, int resource);
void fs_channel_free(struct fs_channel *c);
/* The blocking pool, one per world. Its jobs' ends are the world's direct
 * events: when the next one is (-1: none), and firing it. */
struct fs_blocking_pool *fs_blocking_pool_create(fs_world *w);
void fs_blocking_pool_free(struct fs_blocking_pool *p);
int64_t fs_blocking_pool_next(const struct fs_blocking_pool *p);
void fs_blocking_pool_fire(struct fs_blocking_pool *p);

#endif
