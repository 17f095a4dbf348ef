/* gen_scenarios.c - writes COUNT generated scenarios (scenario_gen.c) to
 * DIR/gen-SEED-I.json, each from 4 KiB of splitmix64 bytes of (SEED, I), so
 * a seed names the same files on every machine. scripts/fuzz_gen.sh runs
 * them through the command line.
 *   gen_scenarios SEED COUNT DIR */
#include <stdio.h>
#include <stdlib.h>

#include "scenario_gen.h"

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: gen_scenarios SEED COUNT DIR\n", stderr);
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    unsigned long count = strtoul(argv[2], NULL, 10);
    for (unsigned long i = 0; i < count; i++) {
        uint8_t bytes[4096];
        uint64_t s = seed * 0x100000001b3ULL + i;
        for (size_t k = 0; k < sizeof bytes; k += 8) {
            uint64_t v = splitmix64(&s);
            for (int j = 0; j < 8; j++)
                bytes[k + j] = (uint8_t)(v >> (8 * j));
        }
        fs_gen_bytes b = {bytes, sizeof bytes};
        fs_gen_info info;
        size_t len;
        char *text = fs_gen_scenario(&b, &len, &info);
        char path[4096];
        snprintf(path, sizeof path, "%s/gen-%llu-%lu.json", argv[3], (unsigned long long)seed, i);
        FILE *f = fopen(path, "w");
        if (!text || !f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
            perror(path);
            return 1;
        }
        free(text);
    }
    return 0;
}
