/* timer_wheel.c - the hierarchical timing wheel (see the header). */
#include "timer_wheel.h"

#include <string.h>

/* Everything but the slots, as a new wheel has it (the slots are written
 * once each, not zeroed first: see radix_heap.c). */
static void fs__reset(fs_timer_wheel *w, fs_qdead *dead, fs_qspares *spares)
{
    memset(w->occupied, 0, sizeof w->occupied);
    w->levels = 0;
    w->elapsed = 0;
    w->len = 0;
    w->dead = dead;
    w->spares = spares;
}

void fs_timer_wheel_init(fs_timer_wheel *w, fs_qdead *dead, fs_qspares *spares)
{
    fs__reset(w, dead, spares);
    for (int k = 0; k <= FS_WHEEL_FAR; k++)
        w->slot[k] = FS_QBUCKET_EMPTY;
}

void fs_timer_wheel_destroy(fs_timer_wheel *w)
{
    /* Each slot is left empty. */
    for (int k = 0; k <= FS_WHEEL_FAR; k++)
        fs_qbucket_release(&w->slot[k], 0, w->dead);
    fs__reset(w, w->dead, w->spares);
}

static void fs__mark(fs_timer_wheel *w, int k, bool occupied)
{
    int level = k / FS_WHEEL_SLOTS;
    if (k == FS_WHEEL_FAR) {
        if (occupied)
            w->levels |= 1u << FS_WHEEL_LEVELS;
        else
            w->levels &= ~(1u << FS_WHEEL_LEVELS);
        return;
    }
    uint64_t bit = 1ull << (k % FS_WHEEL_SLOTS);
    if (occupied) {
        w->occupied[level] |= bit;
        w->levels |= 1u << level;
    } else if (!(w->occupied[level] &= ~bit)) {
        w->levels &= ~(1u << level);
    }
}

bool fs_timer_wheel_append(fs_timer_wheel *w, int k, fs_qentry e)
{
    bool ok = true;
    if (fs_qbucket_append(&w->slot[k], w->spares, e, &ok))
        fs__mark(w, k, true);
    w->len += ok;
    return ok;
}

void fs_timer_wheel_count_dead(fs_timer_wheel *w, int k, fs_qentry e)
{
    fs_qbucket *b = &w->slot[k];
    b->dead++;
    if (e.time == b->min)
        b->min_stale = true;
    w->len--;
}

int fs_timer_wheel_lowest(fs_timer_wheel *w)
{
    while (w->levels) {
        int level = __builtin_ctz(w->levels);
        int k = level == FS_WHEEL_LEVELS
                    ? FS_WHEEL_FAR
                    : level * FS_WHEEL_SLOTS + __builtin_ctzll(w->occupied[level]);
        fs_qbucket *b = &w->slot[k];
        if (b->dead == b->len || b->min_stale) {
            fs_qbucket_purge(b, w->dead);
            if (!b->len) {
                fs_qbucket_empty(b, w->spares);
                fs__mark(w, k, false);
                continue;
            }
        }
        return k;
    }
    return -1;
}

int64_t fs_timer_wheel_next_time(fs_timer_wheel *w)
{
    int k = w->len ? fs_timer_wheel_lowest(w) : -1;
    return k < 0 ? -1 : w->slot[k].min;
}

void fs_timer_wheel_advance(fs_timer_wheel *w, int k, fs_qbucket *out)
{
    fs_qbucket *b = &w->slot[k];
    if (k == FS_WHEEL_FAR) {
        w->elapsed = fs_wheel_tick(b->min); /* its min is exact: it is the lowest */
    } else {
        /* elapsed's digits above the level, the slot's, zeros below */
        int level = k / FS_WHEEL_SLOTS, shift = 6 * level;
        int64_t above = w->elapsed & ~((INT64_C(1) << (shift + 6)) - 1);
        w->elapsed = above | ((int64_t)(k % FS_WHEEL_SLOTS) << shift);
    }
    w->len -= b->len - b->dead;
    *out = *b;
    *b = FS_QBUCKET_EMPTY;
    fs__mark(w, k, false);
}
