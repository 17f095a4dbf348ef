/* slab.h - blocks of a few fixed sizes, carved from big chunks and recycled
 * through a free list per size: a task's future costs exactly its size (no
 * allocator header), and a finished task's block serves the next spawn of
 * the same size. Everything goes back at once with fs_slab_free. */
#ifndef FS_SLAB_H
#define FS_SLAB_H

#include <stddef.h>

typedef struct fs_slab fs_slab;

fs_slab *fs_slab_create(void);
void fs_slab_free(fs_slab *s);
/* size bytes (a multiple of 16), 16-aligned, not zeroed; NULL if out of memory. */
void *fs_slab_alloc(fs_slab *s, size_t size);
/* Returns p, which fs_slab_alloc gave for this size. */
void fs_slab_release(fs_slab *s, void *p, size_t size);

#endif
