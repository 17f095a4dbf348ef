/* outfile.c - write to path.tmp-XXXXXX, then rename(2) over path. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fs__fail(fs_error *err, const char *path, const char *what)
{
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%.*s", (int)sizeof err->file - 1, path);
    /* A path that cannot be opened is the user's to fix (exit 2); a write
     * that fails midway (full disk) is not (exit 1). */
    fs_error_set(err, strcmp(what, "write failed") == 0 ? FS_ERR_WRITE : FS_ERR_IO, "%s: %s",
                 what, strerror(errno));
}

bool fs_outfile_open(fs_outfile *o, const char *path, fs_error *err)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = true;
        return true;
    }
    if (strlen(path) >= sizeof o->path) {
        errno = ENAMETOOLONG;
        fs__fail(err, path, "cannot write");
        return false;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        fs__fail(err, path, "cannot write");
        return false;
    }
    strcpy(o->path, path);
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/null, /dev/full): no rename over it. */
        o->f = fopen(path, "w");
        if (!o->f) {
            fs__fail(err, path, "cannot write");
            return false;
        }
        o->direct = true;
        return true;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fs__fail(err, path, "cannot write");
        return false;
    }
    fchmod(fd, 0644);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        fs__fail(err, path, "cannot write");
        close(fd);
        unlink(o->tmp);
        return false;
    }
    return true;
}

bool fs_outfile_commit(fs_outfile *o, fs_error *err)
{
    if (o->is_stdout) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fs__fail(err, "(stdout)", "write failed");
            return false;
        }
        return true;
    }
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    if (!ok)
        fs__fail(err, o->path, "write failed");
    if (fclose(o->f) != 0 && ok) {
        fs__fail(err, o->path, "write failed");
        ok = false;
    }
    o->f = NULL;
    if (o->direct)
        return ok;
    if (ok && rename(o->tmp, o->path) != 0) {
        fs__fail(err, o->path, "cannot write");
        ok = false;
    }
    if (!ok)
        unlink(o->tmp);
    return ok;
}

void fs_outfile_abort(fs_outfile *o)
{
    if (o->is_stdout || !o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    if (!o->direct)
        unlink(o->tmp);
}
