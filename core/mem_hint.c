/* mem_hint.c - see the header. */
#define _DEFAULT_SOURCE /* madvise */
#include "mem_hint.h"

#include <stdint.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

void fs_mem_hint_huge(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    enum { HUGE = 2u << 20 };
    if (!p || n < 2 * (size_t)HUGE) /* smaller arrays would gain nothing */
        return;
    uintptr_t lo = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}
