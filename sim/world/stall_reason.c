/* stall_reason.c - why a stuck task is stuck, as a sentence. */
#include "stall_reason.h"

#include "kinds.h"

#include <stdio.h>
#include <string.h>

#include "humanize.h"

/* What the task waits on, from its await point and the resource holding its
 * waker: the part of the sentence after "pending on X; ". */
static void fs__waiting_on(fs_world *w, const fs_scenario *sc, const fs_stall_info *s, char *buf,
                           size_t n)
{
    int res = sc ? fs_scenario_find_resource(sc, s->waker_at) : -1;
    const char *state = s->state ? s->state : "";
    fs_res_kind kind = res >= 0 ? sc->resources[res].kind : FS_RES__COUNT;
    int64_t hung;
    char at[32];
    if (fs_world_hung(w, res, &hung)) { /* a fault, not the scenario, stopped it */
        snprintf(buf, n, "a \"hang\" fault of %s %s fired at %s: what it waits for will never "
                 "come", fs_resource_type_name(kind), s->waker_at, fs_format_ns(hung, at, sizeof at));
        return;
    }
    if (w && (kind == FS_RES_MUTEX || kind == FS_RES_SEMAPHORE || kind == FS_RES_RWLOCK) &&
        fs_semaphore_explain(w, s->task, buf, n))
        return;
    if (strncmp(s->waker_at, "task:", 5) == 0) {
        snprintf(buf, n, "it awaits the JoinHandle of task %s, which cannot finish either",
                 s->waker_at + 5);
    } else if (res < 0) {
        snprintf(buf, n, "its waker is registered with %s, but nothing more is scheduled "
                 "to happen there", s->waker_at);
    } else if (sc->resources[res].kind == FS_RES_SOCKET) {
        snprintf(buf, n, "its waker is registered with socket %s, which has no more "
                 "arrivals scheduled", s->waker_at);
    } else if (sc->resources[res].kind == FS_RES_CHANNEL && strncmp(state, "send", 4) == 0) {
        snprintf(buf, n, "channel %s is full (capacity %lld), and every task that holds its "
                 "receiver is stuck too", s->waker_at,
                 /* as drawn, when random */
                 (long long)(w ? fs_channel_capacity(fs_world_channel(w, res)) : sc->resources[res].capacity));
    } else if (sc->resources[res].kind == FS_RES_CHANNEL) {
        snprintf(buf, n, "channel %s is empty, and every task that holds a sender of it is stuck too", s->waker_at);
    } else if (kind == FS_RES_MUTEX) {
        snprintf(buf, n, "mutex %s is held and no task left will unlock it", s->waker_at);
    } else if (kind == FS_RES_RWLOCK) {
        snprintf(buf, n, "rwlock %s is held and no task left will release it", s->waker_at);
    } else if (kind == FS_RES_SEMAPHORE) {
        snprintf(buf, n, "semaphore %s has too few permits and no task left will release any",
                 s->waker_at);
    } else if (kind == FS_RES_NOTIFY) {
        snprintf(buf, n, "notify %s holds no permit and no task left will notify it", s->waker_at);
    } else if (kind == FS_RES_ONESHOT) {
        snprintf(buf, n, "oneshot %s has no value, and every task that holds its sender is "
                 "stuck too", s->waker_at);
    } else {
        snprintf(buf, n, "its waker is registered with %s, but nothing more is scheduled "
                 "to happen there", s->waker_at);
    }
}

const char *fs_stall_reason(const fs_scenario *sc, const fs_stall_info *s, char *buf, size_t n)
{
    return fs_stall_reason_in(NULL, sc, s, buf, n);
}

const char *fs_stall_reason_in(fs_world *w, const fs_scenario *sc, const fs_stall_info *s,
                               char *buf, size_t n)
{
    char point[320] = "", why[400];
    if (s->steps > 0)
        snprintf(point, sizeof point, " (await %d/%d)", s->step, s->steps);
    if (s->never_polled) {
        snprintf(buf, n, "never polled: the executor did not get to it");
    } else if (!s->waker_at) {
        snprintf(buf, n, "pending on %s%s, no waker registered anywhere (lost waker)",
                 s->state ? s->state : "?", point);
    } else {
        fs__waiting_on(w, sc, s, why, sizeof why);
        snprintf(buf, n, "pending on %s%s; %s", s->state ? s->state : "?", point, why);
    }
    return buf;
}
