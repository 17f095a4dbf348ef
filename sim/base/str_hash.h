/* str_hash.h - the one string hash (FNV-1a, 64 bits) the name indexes use:
 * the scenario loader's (json_names.c) and the trace reader's string pool. */
#ifndef FS_STR_HASH_H
#define FS_STR_HASH_H

#include <stdint.h>

static inline uint64_t fs_str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

#endif
