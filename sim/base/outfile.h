/* outfile.h - output files that appear whole or not at all: written to a
 * temporary file beside the target and renamed over it on success, so a
 * failed run (full disk, a crash) never leaves a half-written trace. */
#ifndef FS_OUTFILE_H
#define FS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

typedef struct fs_outfile {
    FILE *f;
    char path[4096];
    char tmp[4096 + 32];
    bool is_stdout;   /* "-" writes to stdout directly */
    bool direct;      /* not a regular file (a device, a pipe): written in place */
} fs_outfile;

/* Opens path for writing ("-": stdout); false with err filled on failure. */
bool fs_outfile_open(fs_outfile *o, const char *path, fs_error *err);
/* Flushes, closes and renames into place; false with err filled on failure
 * (the temporary file is removed). */
bool fs_outfile_commit(fs_outfile *o, fs_error *err);
/* Closes and removes the temporary file. */
void fs_outfile_abort(fs_outfile *o);

#endif
