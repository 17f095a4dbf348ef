/* wait_list.h - futures waiting on a device, oldest first (a socket's
 * readers, a channel's senders and receivers). Each waiter is embedded in its
 * future and holds the waker it registered; a future dropped while waiting
 * takes itself out, so a device never holds a waker of a dropped future. */
#ifndef FS_WAIT_LIST_H
#define FS_WAIT_LIST_H

#include "exec.h"

typedef struct fs_waiter {
    fs_waker waker;
    struct fs_waiter *prev, *next;
    bool queued;
    int32_t spurious;   /* its leaf's spurious wakes (see fs_node_keep_waker) */
} fs_waiter;

typedef struct fs_wait_list {
    fs_waiter *head, *tail;
} fs_wait_list;

static inline void fs_wait_list_push(fs_wait_list *l, fs_waiter *w)
{
    if (w->queued)
        return;
    w->prev = l->tail;
    w->next = NULL;
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
    w->queued = true;
}

static inline void fs_wait_list_remove(fs_wait_list *l, fs_waiter *w)
{
    if (!w->queued)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        l->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        l->tail = w->prev;
    w->prev = w->next = NULL;
    w->queued = false;
}

/* Takes the waiter out and drops its waker: the future no longer waits. */
static inline void fs_waiter_leave(fs_wait_list *l, fs_waiter *w)
{
    fs_wait_list_remove(l, w);
    if (w->waker.vt) /* (a ready send or recv: mostly none, already woken) */
        fs_waker_drop(&w->waker);
}

/* Wakes the waiter that has waited longest (source: the device, when not
 * inside a poll). False if nobody waits. */
static inline bool fs_wait_list_wake_one(fs_wait_list *l, fs_exec *ex, const char *source)
{
    fs_waiter *w = l->head;
    if (!w)
        return false;
    fs_wait_list_remove(l, w);
    fs_exec_set_wake_source(ex, source);
    fs_waker_wake(&w->waker);
    fs_exec_set_wake_source(ex, NULL);
    return true;
}

#endif
