/* humanize.h - what people read: simulated times, counts, duration options
 * ("10s", "500ms"). */
#ifndef FS_HUMANIZE_H
#define FS_HUMANIZE_H

#include <stddef.h>
#include <stdint.h>

/* "500 ns", "1.000 us", "2.002 ms", "4.000 s", "2.5 min" into buf. */
const char *fs_format_ns(int64_t ns, char *buf, size_t n);
/* A share 0..1 as a percentage: "100.0%", "12.5%", and small shares keep
 * their digits ("0.0002%", not "0.0%"). */
const char *fs_format_percent(double share, char *buf, size_t n);
/* 1234567 -> "1,234,567" */
const char *fs_format_count(int64_t v, char *buf, size_t n);
/* Text from a file (a name, a description) as it may reach a terminal:
 * control characters (C0, DEL, and C1 as UTF-8) written as \n, \r, \t,
 * \xHH or \u00HH, so a name cannot move the cursor or recolour the screen.
 * Returns s itself when there is nothing to escape, else buf (cut to fit). */
const char *fs_format_printable(const char *s, char *buf, size_t n);
/* Parses "10s", "1.5s", "500ms", "20us", "100ns", "2min", "1h" (a bare number
 * is seconds) into ns. False if malformed, negative or too large. */
int fs_parse_duration(const char *s, int64_t *ns);
/* Parses a size in bytes: "1000", "500KB", "10MB", "1GB" (powers of 1000),
 * "64KiB", "10MiB", "1GiB" (powers of 1024), "1.5GB". False if malformed,
 * zero or above 2^62. */
int fs_parse_size(const char *s, uint64_t *bytes);

#endif
