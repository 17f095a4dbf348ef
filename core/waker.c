/* waker.c - the calls through a waker's vtable. */
#include "future.h"

#include <string.h>

fs_waker fs_waker_clone(const fs_waker *w)
{
    if (!w->vt)
        return (fs_waker){0};
    return w->vt->clone(w);
}

void fs_waker_wake(fs_waker *w)
{
    if (!w->vt)
        return;
    const fs_waker_vtable *vt = w->vt;
    vt->wake(w);
    memset(w, 0, sizeof *w);
}

void fs_waker_wake_by_ref(const fs_waker *w)
{
    if (w->vt)
        w->vt->wake_by_ref(w);
}

void fs_waker_drop(fs_waker *w)
{
    if (!w->vt)
        return;
    w->vt->drop(w);
    memset(w, 0, sizeof *w);
}

bool fs_waker_will_wake(const fs_waker *a, const fs_waker *b)
{
    return a->vt == b->vt && a->data == b->data && a->id == b->id;
}
