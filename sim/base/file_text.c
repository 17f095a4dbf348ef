/* file_text.c - reading a whole input file. */
#include "file_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fs_errcode fs_file_read_text(const char *path, size_t max, char **text, size_t *len, fs_error *err)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = NULL, *grown;
    fs_errcode rc = FS_ERR_NOMEM;
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fs_error_set(err, FS_ERR_IO, "cannot open: %s", strerror(errno));
        return FS_ERR_IO;
    }
    /* One byte past the limit tells "too large" from "just fits"; one more
     * for the NUL. */
    while ((grown = realloc(buf, cap + 1)) != NULL) {
        buf = grown;
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || n > max)
            break;
        cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
    }
    if (!grown)
        fs_error_set(err, rc, "out of memory");
    else if (ferror(f))
        fs_error_set(err, rc = FS_ERR_IO, "cannot read: %s", strerror(errno ? errno : EIO));
    else if (n > max && max % (1u << 30) == 0)
        fs_error_set(err, rc = FS_ERR_INPUT, "file too large: more than %zu GiB", max >> 30);
    else if (n > max)
        fs_error_set(err, rc = FS_ERR_INPUT, "file too large: more than %zu bytes", max);
    else
        rc = FS_ERR_OK;
    fclose(f);
    if (rc != FS_ERR_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return FS_ERR_OK;
}
