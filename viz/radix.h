/* radix.h - a stable sort by time for the viewer's big arrays (the
 * playhead's changes, each worker's polls): LSD radix on the time since the
 * least, 11 bits a pass, only as many passes as the span needs. A million
 * items take a few passes over them, where qsort's comparisons took
 * seconds on a busy machine; 2,048 buckets keep a pass's scattered writes
 * within the caches. */
#ifndef FS_VIZ_RADIX_H
#define FS_VIZ_RADIX_H

#include <stdbool.h>
#include <stddef.h>

/* Sorts n items of size bytes by the int64_t at byte key_off of each, keeping the order of items with equal keys.
 * False when out of memory (the items are then as they were). */
bool fs_viz_radix_sort(void *items, size_t n, size_t size, size_t key_off);

#endif
