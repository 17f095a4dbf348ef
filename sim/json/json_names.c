/* json_names.c - a hash index of names, and repeated names found with it.
 * Small sets are compared pairwise: objects have a handful of keys, and
 * building a table for each would cost more than the comparisons. */
#include "json_names.h"
#include "str_hash.h"

#include <stdlib.h>
#include <string.h>

/* hash 0 marks an empty slot (real hashes have their top bit set). 16 bytes:
 * the index holds up to a few million names. */
typedef struct fs_json_name_slot {
    const char *name;
    uint32_t hash, index;
} fs_json_name_slot;

#define FS__PAIRWISE_MAX 16

static uint32_t name_hash(const char *s)
{
    uint64_t h = fs_str_hash(s);
    return (uint32_t)(h ^ h >> 32) | 1u << 31;
}

int fs_json_names_init(fs_json_names *ix, size_t n)
{
    size_t cap = 16;
    if (n > UINT32_MAX / 2) /* indices are 32 bits; a 1 GiB text has fewer names */
        return -1;
    while (cap < 2 * n)
        cap *= 2;
    ix->slots = calloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    return ix->slots ? 0 : -1;
}

void fs_json_names_destroy(fs_json_names *ix)
{
    free(ix->slots);
    ix->slots = NULL;
}

/* The slot holding name, or the empty one where it would go. */
static fs_json_name_slot *slot_of(const fs_json_names *ix, const char *name, uint32_t h)
{
    for (size_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        fs_json_name_slot *s = &ix->slots[i];
        if (s->hash == 0 || (s->hash == h && strcmp(s->name, name) == 0))
            return s;
    }
}

size_t fs_json_names_find(const fs_json_names *ix, const char *name)
{
    const fs_json_name_slot *s = slot_of(ix, name, name_hash(name));
    return s->hash ? s->index : SIZE_MAX;
}

size_t fs_json_names_add(fs_json_names *ix, const char *name, size_t i)
{
    uint32_t h = name_hash(name);
    fs_json_name_slot *s = slot_of(ix, name, h);
    if (s->hash)
        return s->index;
    *s = (fs_json_name_slot){name, h, (uint32_t)i};
    return SIZE_MAX;
}

size_t fs_json_first_repeat(const char *const *names, size_t n, size_t *first)
{
    fs_json_names ix;
    if (n <= FS__PAIRWISE_MAX) {
        for (size_t j = 1; j < n; j++)
            for (size_t i = 0; i < j; i++)
                if (strcmp(names[i], names[j]) == 0) {
                    *first = i;
                    return j;
                }
        return n;
    }
    if (fs_json_names_init(&ix, n) != 0)
        return SIZE_MAX;
    size_t j = 0, earlier = SIZE_MAX;
    while (j < n && (earlier = fs_json_names_add(&ix, names[j], j)) == SIZE_MAX)
        j++;
    if (j < n)
        *first = earlier;
    fs_json_names_destroy(&ix);
    return j;
}

const fs_json_node *fs_json_duplicate_key(const fs_json_node *obj, int *nomem)
{
    const char *small[FS__PAIRWISE_MAX], **names = small;
    const fs_json_node *m, *found = NULL;
    size_t n = 0, first = 0;
    FS_JSON_FOR_EACH(m, obj)
        n++;
    if (n < 2)
        return NULL;
    if (n > FS__PAIRWISE_MAX && !(names = malloc(n * sizeof *names))) {
        *nomem = 1;
        return NULL;
    }
    n = 0;
    FS_JSON_FOR_EACH(m, obj)
        names[n++] = m->string;
    size_t dup = fs_json_first_repeat(names, n, &first);
    if (dup == SIZE_MAX)
        *nomem = 1;
    if (dup < n) {
        for (found = fs_json_child(obj); dup > 0; dup--)
            found = fs_json_next(found);
    }
    if (names != small)
        free(names);
    return found;
}
