/* slab.c - size classes, each a free list threaded through its free blocks,
 * fed from chunks that double from 256 KiB to 16 MiB (the big ones on huge
 * pages). The classes are the instance sizes of a
 * scenario's task futures: a handful, found by a short linear search. */
#include "slab.h"

#include <stdlib.h>

#include "mem_hint.h"

#define FS__CHUNK (256 * 1024)
#define FS__CHUNK_MAX (16 * 1024 * 1024)

typedef struct fs__class {
    size_t size;
    void *free;              /* first free block; each holds the next */
} fs__class;

typedef struct fs__chunk {
    struct fs__chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} fs__chunk;

struct fs_slab {
    fs__class *classes;
    size_t n, cap;
    fs__chunk *chunks;       /* the newest serves new blocks */
};

fs_slab *fs_slab_create(void)
{
    return calloc(1, sizeof(fs_slab));
}

void fs_slab_free(fs_slab *s)
{
    if (!s)
        return;
    for (fs__chunk *c = s->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(s->classes);
    free(s);
}

static fs__class *fs__class_of(fs_slab *s, size_t size)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->classes[i].size == size)
            return &s->classes[i];
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        fs__class *c = realloc(s->classes, cap * sizeof *c);
        if (!c)
            return NULL;
        s->classes = c;
        s->cap = cap;
    }
    s->classes[s->n] = (fs__class){.size = size};
    return &s->classes[s->n++];
}

void *fs_slab_alloc(fs_slab *s, size_t size)
{
    fs__class *c = fs__class_of(s, size);
    if (!c)
        return NULL;
    if (c->free) {
        void *p = c->free;
        c->free = *(void **)p;
        return p;
    }
    fs__chunk *k = s->chunks;
    if (!k || k->cap - k->used < size) {
        size_t cap = !k ? FS__CHUNK : k->cap < FS__CHUNK_MAX ? 2 * k->cap : k->cap;
        if (cap < size)
            cap = size;
        fs__chunk *prev = k;
        k = malloc(sizeof *k + cap);
        if (!k)
            return NULL;
        fs_mem_hint_huge(k->data, cap);
        k->cap = cap;
        k->used = 0;
        k->next = prev;
        s->chunks = k;
    }
    void *p = k->data + k->used;
    k->used += size;
    return p;
}

void fs_slab_release(fs_slab *s, void *p, size_t size)
{
    fs__class *c = fs__class_of(s, size);
    if (!c) /* cannot happen: the class exists since p came from it */
        return;
    *(void **)p = c->free;
    c->free = p;
}
