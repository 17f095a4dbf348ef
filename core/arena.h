/* arena.h - bump allocator for things that live and die together (a loaded
 * scenario, the futures of a run). Blocks are chained; nothing is freed
 * alone; fs_arena_free releases all of it at once. */
#ifndef FS_ARENA_H
#define FS_ARENA_H

#include <stddef.h>

typedef struct fs_arena fs_arena;

fs_arena *fs_arena_create(size_t block_size);  /* 0: default (64 KiB) */
void fs_arena_free(fs_arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *fs_arena_alloc(fs_arena *a, size_t size);
/* Strings below are packed byte by byte (no alignment padding). */
/* Copy of s (n bytes, NUL added), or NULL. */
char *fs_arena_strndup(fs_arena *a, const char *s, size_t n);
char *fs_arena_strdup(fs_arena *a, const char *s);
/* printf into the arena, or NULL. */
char *fs_arena_printf(fs_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
size_t fs_arena_used(const fs_arena *a);

/* Where the arena stands, to give back everything allocated after it (a
 * loaded subtree found to be a copy of one kept already). */
typedef struct fs_arena_mark {
    void *head, *next; /* the head block then, and the block behind it */
    size_t used, total;
} fs_arena_mark;
fs_arena_mark fs_arena_get_mark(const fs_arena *a);
/* Frees what was allocated since m (nothing allocated before it moves). */
void fs_arena_rewind(fs_arena *a, const fs_arena_mark *m);

#endif
