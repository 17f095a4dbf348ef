/* mem_hint.h - telling the kernel how big arrays will be used. */
#ifndef FS_MEM_HINT_H
#define FS_MEM_HINT_H

#include <stddef.h>

/* Asks for huge pages under the part of [p, p+n) that covers whole pages:
 * a million tasks' records and futures are read in random order, and with
 * 4 KiB pages nearly every one of those reads also misses the TLB. A hint
 * only: without transparent huge pages it does nothing. */
void fs_mem_hint_huge(void *p, size_t n);

#endif
