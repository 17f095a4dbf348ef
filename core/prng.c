/* prng.c - xoshiro256** (Blackman and Vigna), seeded through splitmix64,
 * and counter-based draws made of splitmix64's finaliser. */
#include "prng.h"

#include <math.h>

static uint64_t fs__splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fs__rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void fs_prng_seed(fs_prng *p, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        p->s[i] = fs__splitmix(&seed);
    p->span = p->limit = 0; /* no span is 0 here: nothing kept yet */
}

uint64_t fs_prng_next(fs_prng *p)
{
    uint64_t *s = p->s;
    uint64_t result = fs__rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = fs__rotl(s[3], 45);
    return result;
}

int64_t fs_prng_range(fs_prng *p, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0)  /* the whole 64-bit range */
        return (int64_t)fs_prng_next(p);
    /* Rejection sampling keeps every value equally likely. A scenario
     * draws from a few spans over and over: the limit is kept for the last
     * one (a division saved per draw). */
    if (span != p->span) {
        p->span = span;
        p->limit = UINT64_MAX - UINT64_MAX % span;
    }
    uint64_t limit = p->limit;
    uint64_t x;
    do
        x = fs_prng_next(p);
    while (x >= limit);
    return lo + (int64_t)(x % span);
}

/* ---- counter-based draws ---------------------------------------------- */

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t fs__fmix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t fs_rand_key(uint64_t key, uint64_t part)
{
    /* not symmetric: (a, b) and (b, a) are different keys */
    return fs__fmix(key + 0x9e3779b97f4a7c15ULL) ^ fs__fmix(part ^ 0x5EED5EED5EED5EEDULL);
}

uint64_t fs_rand_bits(uint64_t seed, uint64_t key)
{
    return fs__fmix(fs__fmix(seed ^ 0x243f6a8885a308d3ULL) + key);
}

int64_t fs_rand_range(uint64_t bits, int64_t lo, int64_t hi)
{
    __extension__ typedef unsigned __int128 fs__u128;
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0) /* the whole 64-bit range */
        return (int64_t)bits;
    return lo + (int64_t)(uint64_t)(((fs__u128)bits * span) >> 64);
}

double fs_rand_unit(uint64_t bits)
{
    return (double)(bits >> 11) * 0x1.0p-53;
}

int64_t fs_rand_exp(uint64_t bits, int64_t mean)
{
    double v = -(double)mean * log1p(-fs_rand_unit(bits));
    if (v > 9.0e15)
        v = 9.0e15;
    return (int64_t)llround(v);
}
