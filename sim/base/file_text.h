/* file_text.h - a whole input file in memory: a scenario, an explore
 * report to merge. Read to the end whatever it is (a pipe has no size). */
#ifndef FS_FILE_TEXT_H
#define FS_FILE_TEXT_H

#include <stddef.h>

#include "error.h"

/* The bytes of path into a malloc'd buffer (*text, *len; one byte more is
 * allocated, a NUL). Refuses a file of more than max bytes. On failure
 * fills err's message and code (its file is left as the caller set it):
 * FS_ERR_IO (cannot open or read), FS_ERR_INPUT (too large), FS_ERR_NOMEM. */
fs_errcode fs_file_read_text(const char *path, size_t max, char **text, size_t *len, fs_error *err);

#endif
