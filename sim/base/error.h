/* error.h - one error record for bad input, printed as
 *   file:line:col: json.path: message
 * Parsers fill it and return FS_ERR_*; the caller prints it and exits 2. */
#ifndef FS_ERROR_H
#define FS_ERROR_H

#include <stdio.h>

/* X-macro: name, exit status, message. */
#define FS_ERRNO_MAP(X)                                             \
    X(OK, 0, "ok")                                                  \
    X(INPUT, 2, "bad input")                                        \
    X(USAGE, 2, "bad usage")                                        \
    X(IO, 2, "cannot read or write a file")                         \
    X(WRITE, 1, "writing the output failed")                        \
    X(NOMEM, 1, "out of memory")                                    \
    X(LIMIT, 3, "an output would pass its size limit")              \
    X(INTERNAL, 1, "internal error")

typedef enum {
#define FS__ERR_ENUM(name, status, msg) FS_ERR_##name,
    FS_ERRNO_MAP(FS__ERR_ENUM)
#undef FS__ERR_ENUM
} fs_errcode;

const char *fs_strerror(fs_errcode code);
int fs_err_exit_status(fs_errcode code);

typedef struct fs_error {
    fs_errcode code;
    char file[256];  /* the input's name as the user gave it ("" if none) */
    int line, col;   /* 1-based; 0 when not known */
    char path[256];  /* JSON path of the bad value: tasks[1].future.seq[0] */
    char msg[512];
} fs_error;

/* Fills err (code, message by printf format); file/line/col/path left as set. */
void fs_error_set(fs_error *err, fs_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "file:line:col: path: msg" (parts that are unknown are left out) + newline */
void fs_error_print(const fs_error *err, FILE *out);

#endif
