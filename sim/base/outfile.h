/* outfile.h - output files that appear whole or not at all: written to a
 * temporary file beside the target and renamed over it on success, so a
 * failed run (full disk, a file-size limit, a crash) never leaves a
 * half-written file. While a temporary file exists, SIGINT, SIGTERM and
 * SIGHUP remove it and end the program with status 128 + the signal. */
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

/* Opens path for writing ("-": stdout); false with err filled on failure.
 * o must stay where it is until commit or abort (a signal handler holds
 * the address of its temporary name). */
bool fs_outfile_open(fs_outfile *o, const char *path, fs_error *err);
/* Flushes, closes and renames into place; false with err filled on failure
 * (the temporary file is removed). Every write before it is checked here:
 * a write error sticks to the FILE. */
bool fs_outfile_commit(fs_outfile *o, fs_error *err);
/* Closes and removes the temporary file. */
void fs_outfile_abort(fs_outfile *o);

/* True when writing to out would overwrite the file in (device and inode
 * compared, so "./a", a hard link or a symlink to a are a), or when both
 * are new names of one directory entry. Only regular files and names not
 * yet taken count: two writes to /dev/null are no conflict. */
bool fs_outfile_same_file(const char *in, const char *out);

#endif
