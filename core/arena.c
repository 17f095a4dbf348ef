/* arena.c - chained bump blocks; big requests get a block of their own. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From this size on a block is its own mapping (the program sets glibc's
 * mmap threshold to 1 MiB), which calloc does not need to write. */
#define FS__BIG_BLOCK ((size_t)1 << 20)

typedef struct fs__block {
    struct fs__block *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
} fs__block;

struct fs_arena {
    fs__block *head;
    size_t block_size, total;
};

fs_arena *fs_arena_create(size_t block_size)
{
    fs_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    return a;
}

void fs_arena_free(fs_arena *a)
{
    if (!a)
        return;
    for (fs__block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

/* size bytes at the given alignment (a power of two up to max_align_t). */
static void *fs__alloc(fs_arena *a, size_t size, size_t align)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    if (size == 0)
        size = 1;
    if (a->head) {
        /* pad the current block up to the alignment */
        size_t pad = (align - a->head->used % align) % align;
        if (a->head->size - a->head->used >= pad + size) {
            void *p = a->head->data + a->head->used + pad;
            a->head->used += pad + size;
            a->total += size;
            memset(p, 0, size);
            return p;
        }
    }
    /* The head has no room: a new block (its start is aligned for anything). */
    size_t cap = size > a->block_size ? size : a->block_size;
    /* A big one-off block is calloc'd: the C library hands out fresh pages
     * (mmap), already zero, without writing them (W2's 100,000 join
     * children: 11 MB the loader writes anyway). */
    bool big = cap == size && size >= FS__BIG_BLOCK;
    fs__block *nb = big ? calloc(1, sizeof *nb + cap) : malloc(sizeof *nb + cap);
    if (!nb)
        return NULL;
    nb->size = cap;
    nb->used = size;
    /* A big one-off block goes behind the head so the head keeps serving. */
    if (a->head && cap == size) {
        nb->next = a->head->next;
        a->head->next = nb;
    } else {
        nb->next = a->head;
        a->head = nb;
    }
    a->total += size;
    if (!big)
        memset(nb->data, 0, size);
    return nb->data;
}

void *fs_arena_alloc(fs_arena *a, size_t size)
{
    return fs__alloc(a, size, _Alignof(max_align_t));
}

char *fs_arena_strndup(fs_arena *a, const char *s, size_t n)
{
    char *p = fs__alloc(a, n + 1, 1); /* strings pack without padding */
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *fs_arena_strdup(fs_arena *a, const char *s)
{
    return fs_arena_strndup(a, s, strlen(s));
}

char *fs_arena_printf(fs_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = fs__alloc(a, (size_t)n + 1, 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t fs_arena_used(const fs_arena *a)
{
    return a->total;
}

fs_arena_mark fs_arena_get_mark(const fs_arena *a)
{
    return (fs_arena_mark){.head = a->head, .next = a->head ? a->head->next : NULL,
                           .used = a->head ? a->head->used : 0, .total = a->total};
}

void fs_arena_rewind(fs_arena *a, const fs_arena_mark *m)
{
    /* blocks made since: new heads in front of the old one, and big blocks
     * put behind whichever block was the head (the old one: before m->next) */
    while (a->head != m->head) {
        fs__block *b = a->head;
        a->head = b->next;
        free(b);
    }
    if (a->head) {
        fs__block *keep = m->next;
        while (a->head->next != keep) {
            fs__block *b = a->head->next;
            a->head->next = b->next;
            free(b);
        }
        a->head->used = m->used;
    }
    a->total = m->total;
}
