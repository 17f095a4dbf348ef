/* support.h - small helpers shared by the cmocka test programs. */
#ifndef FS_TEST_SUPPORT_H
#define FS_TEST_SUPPORT_H

#include <stddef.h>

/* Whole file into a malloc'd NUL-terminated buffer (NULL if unreadable). */
char *fs_test_read_file(const char *path, size_t *len);
/* FS_SOURCE_DIR "/" rel, in a static buffer (valid until the next call). */
const char *fs_test_src(const char *rel);
/* Runs a shell command, capturing stdout and stderr into malloc'd strings
 * (either pointer may be NULL to discard). Returns the exit status, or -1. */
int fs_test_run(const char *cmd, char **out, char **err);

#endif
