/* error.c - the error enum's names and the one printer of input errors. */
#include "error.h"

#include <stdarg.h>
#include <string.h>

#include "humanize.h"

const char *fs_strerror(fs_errcode code)
{
    switch (code) {
#define FS__ERR_MSG(name, status, msg) \
    case FS_ERR_##name:                \
        return msg;
        FS_ERRNO_MAP(FS__ERR_MSG)
#undef FS__ERR_MSG
    }
    return "unknown error";
}

int fs_err_exit_status(fs_errcode code)
{
    switch (code) {
#define FS__ERR_STATUS(name, status, msg) \
    case FS_ERR_##name:                   \
        return status;
        FS_ERRNO_MAP(FS__ERR_STATUS)
#undef FS__ERR_STATUS
    }
    return 1;
}

void fs_error_set(fs_error *err, fs_errcode code, const char *fmt, ...)
{
    va_list ap;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void fs_error_print(const fs_error *err, FILE *out)
{
    /* Messages quote names from files: escape what a terminal would obey. */
    char buf[4 * sizeof err->msg];
    if (err->file[0]) {
        fputs(fs_format_printable(err->file, buf, sizeof buf), out);
        if (err->line > 0)
            fprintf(out, ":%d:%d", err->line, err->col);
        fputs(": ", out);
    }
    if (err->path[0])
        fprintf(out, "%s: ", fs_format_printable(err->path, buf, sizeof buf));
    fprintf(out, "%s\n", fs_format_printable(err->msg[0] ? err->msg : fs_strerror(err->code), buf,
                                              sizeof buf));
}
