/* json_names.h - finding names again: a hash index of strings, and the
 * repeated-name checks built on it (duplicate keys in an object, duplicate
 * task names). A scenario can hold a million names, so these must not cost
 * more than a look-up each. */
#ifndef FS_JSON_NAMES_H
#define FS_JSON_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "json_pos.h"

/* name -> index, open addressing. The names are not copied: they must
 * outlive the index. */
typedef struct fs_json_names {
    struct fs_json_name_slot *slots;
    size_t mask;
} fs_json_names;

/* Room for n names; -1 when out of memory. */
int fs_json_names_init(fs_json_names *ix, size_t n);
void fs_json_names_destroy(fs_json_names *ix);
/* The index stored for name, or SIZE_MAX. */
size_t fs_json_names_find(const fs_json_names *ix, const char *name);
/* Adds name -> i unless name is there; returns the index it already had, or
 * SIZE_MAX when it was added. At most the n names of init. */
size_t fs_json_names_add(fs_json_names *ix, const char *name, size_t i);

/* Index of the first of names[0..n) that equals an earlier one, with *first
 * set to the earlier one; n when all differ; SIZE_MAX when out of memory. */
size_t fs_json_first_repeat(const char *const *names, size_t n, size_t *first);
/* The first member of obj, in document order, whose key repeats an earlier
 * key, or NULL. *nomem is set when memory runs out. */
const fs_json_node *fs_json_duplicate_key(const fs_json_node *obj, int *nomem);

#endif
