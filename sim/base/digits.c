/* digits.c - integers as decimal text, without printf. */
#include "digits.h"

size_t fs_u64_digits(char *p, uint64_t v)
{
    /* two digits per division, written from the end */
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    size_t n = 1;
    for (uint64_t x = v; x >= 10; x /= 10)
        n++;
    char *o = p + n;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--o = pairs[d + 1];
        *--o = pairs[d];
    }
    if (v >= 10) {
        *--o = pairs[v * 2 + 1];
        *--o = pairs[v * 2];
    } else {
        *--o = (char)('0' + v);
    }
    return n;
}
