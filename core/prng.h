/* prng.h - the run's one random source: xoshiro256** seeded by splitmix64.
 * Same seed, same sequence, on every machine. */
#ifndef FS_PRNG_H
#define FS_PRNG_H

#include <stdint.h>

typedef struct fs_prng {
    uint64_t s[4];
    uint64_t span, limit;   /* fs_prng_range's last span and its rejection limit */
} fs_prng;

void fs_prng_seed(fs_prng *p, uint64_t seed);
uint64_t fs_prng_next(fs_prng *p);
/* Uniform in [lo, hi], both included (lo <= hi). */
int64_t fs_prng_range(fs_prng *p, int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double fs_prng_unit(fs_prng *p);
/* Exponential with the given mean, rounded to an integer >= 0. */
int64_t fs_prng_exp(fs_prng *p, int64_t mean);

#endif
