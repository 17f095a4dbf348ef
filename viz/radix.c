/* radix.c - see the header. */
#include "radix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline int64_t fs__key(const char *item, size_t key_off)
{
    int64_t k;
    memcpy(&k, item + key_off, sizeof k);
    return k;
}

/* One pass: from's items scattered into to by digit (shift) of key - lo. */
static inline void fs__pass(const char *from, char *to, size_t n, size_t size, size_t key_off, int64_t lo,
                            int shift, size_t *count, size_t buckets)
{
    memset(count, 0, buckets * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[((uint64_t)(fs__key(from + i * size, key_off) - lo) >> shift) & (buckets - 1)]++;
    size_t at = 0;
    for (size_t d = 0; d < buckets; d++) {
        size_t k = count[d];
        count[d] = at;
        at += k;
    }
    for (size_t i = 0; i < n; i++) {
        const char *it = from + i * size;
        size_t d = ((uint64_t)(fs__key(it, key_off) - lo) >> shift) & (buckets - 1);
        memcpy(to + count[d]++ * size, it, size);
    }
}

bool fs_viz_radix_sort(void *items, size_t n, size_t size, size_t key_off)
{
    enum { BITS = 11, BUCKETS = 1 << BITS };
    if (n < 2)
        return true;
    char *c = items;
    int64_t lo = fs__key(c, key_off), hi = lo;
    for (size_t i = 1; i < n; i++) {
        int64_t k = fs__key(c + i * size, key_off);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    uint64_t span = (uint64_t)(hi - lo);
    if (span == 0)
        return true;
    char *tmp = malloc(n * size);
    if (!tmp)
        return false;
    size_t count[BUCKETS];  /* 16 KB */
    char *from = c, *to = tmp;
    for (int shift = 0; shift < 64 && (span >> shift) > 0; shift += BITS) {
        /* a constant size lets the copy be a few moves, not a call */
        switch (size) {
        case 16: fs__pass(from, to, n, 16, key_off, lo, shift, count, BUCKETS); break;
        case 32: fs__pass(from, to, n, 32, key_off, lo, shift, count, BUCKETS); break;
        default: fs__pass(from, to, n, size, key_off, lo, shift, count, BUCKETS); break;
        }
        char *x = from;
        from = to;
        to = x;
    }
    if (from != c)
        memcpy(c, from, n * size);
    free(tmp);
    return true;
}
