/* outfile.c - write to path.tmp-XXXXXX, then rename(2) over path. */
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files removed on a signal --------------------------------- */

/* The temporary names now on disk. A slot is filled only once its name is
 * complete and emptied only after the file is renamed or removed, so the
 * handler sees whole names; unlink() and _exit() are async-signal-safe.
 * The handlers are installed while a slot is in use and the previous ones
 * restored after (the viewer's SDL has its own); a signal ignored when
 * they are installed (nohup's SIGHUP) stays ignored. */
#define FS__MAX_TMP 8
static const int fs__signals[] = {SIGINT, SIGTERM, SIGHUP};
#define FS__N_SIGNALS (sizeof fs__signals / sizeof fs__signals[0])
static const char *volatile fs__tmp[FS__MAX_TMP];
static int fs__n_tmp;
static struct sigaction fs__old[FS__N_SIGNALS];

static void fs__on_signal(int sig)
{
    for (int i = 0; i < FS__MAX_TMP; i++) {
        const char *p = fs__tmp[i];
        if (p)
            unlink(p);
    }
    _exit(128 + sig);
}

static void fs__track(const char *tmp)
{
    for (int i = 0; i < FS__MAX_TMP; i++)
        if (!fs__tmp[i]) {
            fs__tmp[i] = tmp;
            break;
        }
    if (fs__n_tmp++ > 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fs__on_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < FS__N_SIGNALS; i++) {
        sigaction(fs__signals[i], NULL, &fs__old[i]);
        if (fs__old[i].sa_handler != SIG_IGN)
            sigaction(fs__signals[i], &sa, NULL);
    }
}

static void fs__untrack(const char *tmp)
{
    for (int i = 0; i < FS__MAX_TMP; i++)
        if (fs__tmp[i] == tmp)
            fs__tmp[i] = NULL;
    if (--fs__n_tmp > 0)
        return;
    for (size_t i = 0; i < FS__N_SIGNALS; i++)
        sigaction(fs__signals[i], &fs__old[i], NULL);
}

/* ---- output files ---------------------------------------------------------- */

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
        strcpy(o->path, "-");
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
    /* No signal between creating the file and noting its name. */
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < FS__N_SIGNALS; i++)
        sigaddset(&block, fs__signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(o->tmp), e = errno;
    if (fd >= 0)
        fs__track(o->tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
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
        fs__untrack(o->tmp);
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
    fs__untrack(o->tmp);
    return ok;
}

void fs_outfile_abort(fs_outfile *o)
{
    if (o->is_stdout || !o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    if (!o->direct) {
        unlink(o->tmp);
        fs__untrack(o->tmp);
    }
}

/* ---- the same file --------------------------------------------------------- */

/* A name not yet taken: its directory's device and inode, and its last part. */
static bool fs__new_name(const char *path, struct stat *dir, const char **base)
{
    char d[4096];
    const char *slash = strrchr(path, '/');
    if (strlen(path) >= sizeof d)
        return false;
    *base = slash ? slash + 1 : path;
    if (!slash)
        strcpy(d, ".");
    else if (slash == path)
        strcpy(d, "/");
    else
        snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
    return **base && stat(d, dir) == 0;
}

bool fs_outfile_same_file(const char *in, const char *out)
{
    struct stat a, b;
    bool ha = stat(in, &a) == 0, hb = stat(out, &b) == 0;
    if (ha && hb)
        return S_ISREG(a.st_mode) && S_ISREG(b.st_mode) && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
    const char *na, *nb;
    if (ha || hb || !fs__new_name(in, &a, &na) || !fs__new_name(out, &b, &nb))
        return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && strcmp(na, nb) == 0;
}
