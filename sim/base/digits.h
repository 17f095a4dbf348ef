/* digits.h - integers as decimal text, without printf: a million task
 * names at start-up and every number of every trace line go through it. */
#ifndef FS_DIGITS_H
#define FS_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/* Writes v's decimal digits at p (room for 20); returns how many. Any text
 * that holds numbers uses it: trace lines, labels, task names. */
size_t fs_u64_digits(char *p, uint64_t v);

#endif
