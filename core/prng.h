/* prng.h - random numbers, two kinds.
 *
 * The workload's draws (durations, socket values) are counter-based: each is
 * a pure function of (seed, key), where the key names what is drawn (the
 * task by its spawn path, the place in its future, the iteration; or a
 * resource and an event's index). So every executor, queue order and worker
 * count sees the same workload for the same seed: a comparison shows the
 * schedulers, not different dice.
 *
 * The executor's own choices (steal victims) come from a stream:
 * xoshiro256** seeded by splitmix64, drawn in simulation order. Same seed,
 * same sequence, on every machine. */
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

/* ---- counter-based draws ---------------------------------------------- */

/* A key made of parts: fs_rand_key(fs_rand_key(a, b), c) names (a, b, c). */
uint64_t fs_rand_key(uint64_t key, uint64_t part);
/* The 64 random bits at key for seed. */
uint64_t fs_rand_bits(uint64_t seed, uint64_t key);
/* From 64 random bits: uniform in [lo, hi], both included (lo <= hi; the
 * bias of one multiplication is under span / 2^64); uniform in [0, 1);
 * exponential with the given mean, rounded to an integer >= 0. */
int64_t fs_rand_range(uint64_t bits, int64_t lo, int64_t hi);
double fs_rand_unit(uint64_t bits);
int64_t fs_rand_exp(uint64_t bits, int64_t mean);

#endif
