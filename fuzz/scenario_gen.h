/* scenario_gen.h - random valid scenarios, made from bytes. Every choice
 * takes a byte or four from the input; once the input is used up every
 * choice is its first option, which always ends the tree, so any bytes make
 * a finite, valid scenario (every form of docs/scenarios.md) and a small
 * change to the bytes makes a small change to the scenario (what libFuzzer's
 * mutations need). fuzz_gen.c runs them; gen_scenarios.c writes them to
 * files for scripts/fuzz_gen.sh. */
#ifndef FS_SCENARIO_GEN_H
#define FS_SCENARIO_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fs_gen_bytes {
    const uint8_t *p;
    size_t n;
} fs_gen_bytes;

/* 0..n-1 from the next byte (or four bytes when n > 256); 0 when none are left. */
uint32_t fs_gen_pick(fs_gen_bytes *b, uint32_t n);

typedef struct fs_gen_info {
    bool zero_cost;   /* poll_cost_ns is 0: busy and blocking refuse it */
} fs_gen_info;

/* A scenario as JSON text (malloc'd, NUL-terminated, *len bytes); NULL
 * when out of memory. */
char *fs_gen_scenario(fs_gen_bytes *b, size_t *len, fs_gen_info *info);

#endif
