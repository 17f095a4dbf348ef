/* join_map.c - a small open-addressing map with backward-shift deletion
 * (no tombstones), keyed by task id + 1 so that 0 marks an empty slot. */
#include "join_map.h"

#include <stdlib.h>

typedef struct fs__join_entry {
    uint32_t key;  /* task id + 1; 0: empty */
    fs_waker *slot;
} fs__join_entry;

static size_t fs__home(const fs_join_map *m, uint32_t key)
{
    return (key * 2654435761u) & (m->cap - 1);
}

void fs_join_map_destroy(fs_join_map *m)
{
    free(m->slots);
    *m = (fs_join_map){0};
}

static size_t fs__find(const fs_join_map *m, uint32_t key)
{
    size_t i = fs__home(m, key);
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void fs__erase(fs_join_map *m, size_t i)
{
    /* Shift later entries of the probe run back so lookups stay correct. */
    size_t j = i;
    for (;;) {
        j = (j + 1) & (m->cap - 1);
        if (!m->slots[j].key)
            break;
        size_t home = fs__home(m, m->slots[j].key);
        /* Can the entry at j move to i? Only if its home is not in (i, j]. */
        bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_between) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->slots[i].slot = NULL;
    m->used--;
}

static bool fs__grow(fs_join_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    fs__join_entry *old = m->slots;
    size_t old_cap = m->cap;
    m->slots = calloc(cap, sizeof *m->slots);
    if (!m->slots) {
        m->slots = old;
        return false;
    }
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            m->slots[fs__find(m, old[i].key)] = old[i];
    free(old);
    return true;
}

bool fs_join_map_set(fs_join_map *m, uint32_t id, fs_waker *slot)
{
    uint32_t key = id + 1;
    if (!slot) {
        if (m->cap) {
            size_t i = fs__find(m, key);
            if (m->slots[i].key)
                fs__erase(m, i);
        }
        return true;
    }
    if ((m->used + 1) * 2 > m->cap && !fs__grow(m))
        return false;
    size_t i = fs__find(m, key);
    if (!m->slots[i].key) {
        m->slots[i].key = key;
        m->used++;
    }
    m->slots[i].slot = slot;
    return true;
}

fs_waker *fs_join_map_take(fs_join_map *m, uint32_t id)
{
    if (!m->cap)
        return NULL;
    size_t i = fs__find(m, id + 1);
    if (!m->slots[i].key)
        return NULL;
    fs_waker *w = m->slots[i].slot;
    fs__erase(m, i);
    return w;
}
