/* join_map.h - JoinHandles waiting on tasks: task id -> the waker to wake
 * when that task completes (the JoinHandle's own memory). Few tasks are
 * awaited, so this map, not a field in every task record, holds them. */
#ifndef FS_JOIN_MAP_H
#define FS_JOIN_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "future.h"

typedef struct fs_join_map {
    struct fs__join_entry *slots;  /* open addressing, linear probing */
    size_t cap, used;
} fs_join_map;

void fs_join_map_destroy(fs_join_map *m);
/* Sets (slot) or clears (NULL) the waker for task id; false if out of memory. */
bool fs_join_map_set(fs_join_map *m, uint32_t id, fs_waker *slot);
/* Removes and returns the waker for task id, or NULL. */
fs_waker *fs_join_map_take(fs_join_map *m, uint32_t id);

#endif
