/* perfetto_export.c - fs_trace -> Perfetto protobuf (see the header).
 *
 * What trace_processor needs to import the file, and so what this file
 * keeps true:
 * - Every packet carries trusted_packet_sequence_id (one sequence per
 *   trace). The first packet of a sequence has SEQ_INCREMENTAL_STATE_CLEARED,
 *   every later one SEQ_NEEDS_INCREMENTAL_STATE. An event name, category or
 *   annotation name is interned in the packet of its first use (its
 *   interned_data travels with that packet), so every iid is defined before
 *   or in the packet that uses it.
 * - Every track's descriptor comes before any event on it: all descriptors
 *   are written first.
 * - Slices on one track nest or are disjoint, and a track's BEGIN/END
 *   events are written in time order with an END before a BEGIN of the same
 *   time: trace_processor sorts packets by time, keeping the order of equal
 *   times, and closes the innermost open slice on END.
 * - A flow is written only for a wake that led to a poll (the reader's
 *   `caused`) and has a waking lane (a device or a task): its id starts on
 *   an instant on the waking lane and ends (terminating_flow_ids) on that
 *   poll's BEGIN. The instants are written before every slice, so at equal
 *   times the start is read first.
 *
 * Tracks of trace p (of n): uuid local * n + p + 1, local 0 the process
 * (pid p + 1), then workers, tasks, devices (thread tracks, tid = uuid,
 * ordered by sibling_order_rank = local) and the workers' local queue
 * counters. */
#include "perfetto_export.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "lane_names.h"
#include "pbw.h"
#include "worker_items.h"

/* ---- Perfetto's field numbers (perfetto_trace.proto) ---------------------- */

enum {
    TRACE_PACKET = 1,
    PKT_TIMESTAMP = 8, PKT_SEQ_ID = 10, PKT_TRACK_EVENT = 11, PKT_INTERNED = 12,
    PKT_SEQ_FLAGS = 13, PKT_TRACK_DESCRIPTOR = 60,
    SEQ_CLEARED = 1, SEQ_NEEDS = 2,
    TE_CATEGORY_IIDS = 3, TE_DEBUG = 4, TE_TYPE = 9, TE_NAME_IID = 10, TE_TRACK_UUID = 11,
    TE_NAME = 23, TE_COUNTER_VALUE = 30, TE_FLOW_IDS = 47, TE_TERMINATING_FLOW_IDS = 48,
    TYPE_SLICE_BEGIN = 1, TYPE_SLICE_END = 2, TYPE_INSTANT = 3, TYPE_COUNTER = 4,
    DA_NAME_IID = 1, DA_INT = 4, DA_STRING = 6,
    TD_UUID = 1, TD_NAME = 2, TD_PROCESS = 3, TD_THREAD = 4, TD_PARENT = 5, TD_COUNTER = 8,
    TD_CHILD_ORDERING = 11, TD_RANK = 12, TD_PROCESS_ORDERING = 19, TD_THREAD_ORDERING = 20,
    ORDER_EXPLICIT = 3, ROOT_ORDER_EXPLICIT = 1,
    PD_PID = 1, PD_NAME = 6, PD_LABELS = 8,
    THD_PID = 1, THD_TID = 2, THD_NAME = 5,
    CD_UNIT = 3, UNIT_COUNT = 2,
    ID_CATEGORIES = 1, ID_NAMES = 2, ID_ANNOTATION_NAMES = 3,
    IID = 1, IID_NAME = 2,
};

/* Categories and annotation names: interned on first use in a sequence,
 * iid = index + 1. */
enum { CAT_POLL = 1, CAT_PARK, CAT_TASK, CAT_IO, CAT_WAKE, CAT_REGISTER, CAT_STALL, CAT_BLOCKING };
static const char *const fs__cats[] = {"poll", "park", "task", "io", "wake", "register", "stall",
                                       "blocking"};
enum { ARG_VALUE = 1, ARG_POLLS, ARG_TASK, ARG_REASON };
static const char *const fs__args[] = {"value", "polls", "task", "reason"};

/* Event names, interned on first use. iid = (value << 3 | kind) + 1: value
 * is a pool offset or an index in fs__fixed, so no table is needed, and
 * defined[value] has bit `kind` set once the name went out. */
enum {
    NAME_PENDING,    /* "pending: <await point>" (pool offset) */
    NAME_READY,      /* "ready: <await point>" */
    NAME_POOL,       /* a pool string as it is ("arrival", a task's name on a worker) */
    NAME_FIXED,      /* fs__fixed[value] */
};
enum { FIXED_PARKED, FIXED_COMPLETE, FIXED_CANCEL, FIXED_STALL, FIXED_WAKE, FIXED_REGISTER };
static const char *const fs__fixed[] = {"parked", "complete", "cancel", "stall", "wake", "register"};

typedef struct fs__pf {
    FILE *out;
    uint64_t written, max;
    bool over, failed;
    fs_pbw pkt, ev, interned;
    /* the trace being written */
    const fs_trace *tr;
    size_t p, n;             /* its index, how many */
    uint32_t seq;
    bool first;              /* the next packet is the sequence's first */
    uint8_t *defined;        /* per value: which kinds of name went out */
    size_t n_defined;
    uint32_t cats_defined, args_defined;   /* bit iid: went out */
    uint64_t flow_base;      /* flow id of wake i is flow_base + i + 1 */
    int64_t workers;
} fs__pf;

/* ---- packets ---------------------------------------------------------------- */

static uint64_t fs__uuid(const fs__pf *x, uint64_t local)
{
    return local * x->n + x->p + 1;
}
static uint64_t fs__worker_track(const fs__pf *x, int64_t w)
{
    return fs__uuid(x, 1 + (uint64_t)w);
}
static uint64_t fs__task_track(const fs__pf *x, size_t i)
{
    return fs__uuid(x, 1 + (uint64_t)x->workers + i);
}
static uint64_t fs__res_track(const fs__pf *x, size_t r)
{
    return fs__uuid(x, 1 + (uint64_t)x->workers + x->tr->n_tasks + r);
}
static uint64_t fs__queue_track(const fs__pf *x, int64_t w)
{
    return fs__uuid(x, 1 + (uint64_t)x->workers + x->tr->n_tasks + x->tr->n_resources + (uint64_t)w);
}
/* the blocking pool's threads, after the queues' counters */
static uint64_t fs__bthread_local(const fs__pf *x, size_t k)
{
    const fs_trace *tr = x->tr;
    return 1 + (uint64_t)x->workers + tr->n_tasks + tr->n_resources + (uint64_t)tr->workers + k;
}

static void fs__iid_entry(fs_pbw *b, uint32_t field, uint64_t iid, const char *name)
{
    size_t at = fs_pbw_begin(b);
    fs_pbw_u64(b, IID, iid);
    fs_pbw_str(b, IID_NAME, name);
    fs_pbw_end(b, field, at);
}

/* Starts a packet (ts < 0: none). Names interned for it may already be in
 * x->interned: fs__send empties the buffers. */
static void fs__packet(fs__pf *x, int64_t ts)
{
    if (ts >= 0)
        fs_pbw_u64(&x->pkt, PKT_TIMESTAMP, (uint64_t)ts);
}

/* Ends the packet: the event (if any) in field `field`, the sequence, the
 * interned data gathered, then out it goes. */
static void fs__send(fs__pf *x, uint32_t field)
{
    fs_pbw *b = &x->pkt;
    if (x->ev.len)
        fs_pbw_sub(b, field, &x->ev);
    fs_pbw_u64(b, PKT_SEQ_ID, x->seq);
    if (x->interned.len)
        fs_pbw_sub(b, PKT_INTERNED, &x->interned);
    fs_pbw_u64(b, PKT_SEQ_FLAGS, x->first ? SEQ_CLEARED : SEQ_NEEDS);
    x->first = false;
    fs_pbw_reset(&x->ev);
    fs_pbw_reset(&x->interned);
    if (b->failed || x->ev.failed || x->interned.failed) {
        x->failed = true;
        return;
    }
    uint8_t head[12];
    size_t h = 0;
    head[h++] = TRACE_PACKET << 3 | FS_PB_LEN;
    for (uint64_t v = b->len; ; v >>= 7) {
        head[h++] = (uint8_t)(v < 0x80 ? v : (v & 0x7F) | 0x80);
        if (v < 0x80)
            break;
    }
    if (x->over || x->written + h + b->len > x->max) {
        x->over = true;
        fs_pbw_reset(b);
        return;
    }
    fwrite(head, 1, h, x->out);
    fwrite(b->p, 1, b->len, x->out);
    x->written += h + b->len;
    fs_pbw_reset(b);
}

/* ---- names ------------------------------------------------------------------ */

static const char *fs__task_name(const fs_trace *tr, size_t i)
{
    const char *n = fs_trace_str(tr, tr->tasks[i].name);
    return *n ? n : "(unnamed)";   /* as NAME_POOL names the empty string */
}

/* The iid of a name of `kind` for `value`, interned into this packet on
 * first use. */
static uint64_t fs__name(fs__pf *x, unsigned kind, size_t value)
{
    uint64_t iid = ((uint64_t)value << 3 | kind) + 1;
    if (value < x->n_defined && (x->defined[value] >> kind & 1))
        return iid;
    const fs_trace *tr = x->tr;
    char buf[600];
    const char *s = kind == NAME_FIXED ? "" : fs_trace_str(tr, (uint32_t)value);
    if (kind == NAME_PENDING || kind == NAME_READY)
        snprintf(buf, sizeof buf, "%s%s%s", kind == NAME_READY ? "ready" : "pending", *s ? ": " : "", s);
    else if (kind == NAME_POOL)
        snprintf(buf, sizeof buf, "%s", *s ? s : "(unnamed)");
    else
        snprintf(buf, sizeof buf, "%s", fs__fixed[value]);
    fs__iid_entry(&x->interned, ID_NAMES, iid, buf);
    if (value < x->n_defined)
        x->defined[value] |= (uint8_t)(1u << kind);
    return iid;
}

/* ---- events ----------------------------------------------------------------- */

/* A track event's common part; the caller adds to x->ev and sends. */
static void fs__event(fs__pf *x, int64_t ts, int type, uint64_t track, unsigned cat,
                      uint64_t name_iid)
{
    fs__packet(x, ts);
    fs_pbw_u64(&x->ev, TE_TYPE, (uint64_t)type);
    fs_pbw_u64(&x->ev, TE_TRACK_UUID, track);
    if (cat) {
        if (!(x->cats_defined >> cat & 1)) {
            fs__iid_entry(&x->interned, ID_CATEGORIES, cat, fs__cats[cat - 1]);
            x->cats_defined |= 1u << cat;
        }
        fs_pbw_u64(&x->ev, TE_CATEGORY_IIDS, cat);
    }
    if (name_iid)
        fs_pbw_u64(&x->ev, TE_NAME_IID, name_iid);
}

static void fs__arg_name(fs__pf *x, unsigned name)
{
    if (!(x->args_defined >> name & 1)) {
        fs__iid_entry(&x->interned, ID_ANNOTATION_NAMES, name, fs__args[name - 1]);
        x->args_defined |= 1u << name;
    }
}

static void fs__arg_i(fs__pf *x, unsigned name, int64_t v)
{
    fs__arg_name(x, name);
    size_t at = fs_pbw_begin(&x->ev);
    fs_pbw_u64(&x->ev, DA_NAME_IID, name);
    fs_pbw_i64(&x->ev, DA_INT, v);
    fs_pbw_end(&x->ev, TE_DEBUG, at);
}

static void fs__arg_s(fs__pf *x, unsigned name, const char *v)
{
    fs__arg_name(x, name);
    size_t at = fs_pbw_begin(&x->ev);
    fs_pbw_u64(&x->ev, DA_NAME_IID, name);
    fs_pbw_str(&x->ev, DA_STRING, v);
    fs_pbw_end(&x->ev, TE_DEBUG, at);
}

static void fs__end(fs__pf *x, int64_t ts, uint64_t track)
{
    fs__event(x, ts, TYPE_SLICE_END, track, 0, 0);
    fs__send(x, PKT_TRACK_EVENT);
}

/* ---- descriptors ------------------------------------------------------------ */

static void fs__thread_track(fs__pf *x, uint64_t local, const char *name)
{
    fs__packet(x, -1);
    fs_pbw *b = &x->ev;
    fs_pbw_u64(b, TD_UUID, fs__uuid(x, local));
    size_t at = fs_pbw_begin(b);
    fs_pbw_u64(b, THD_PID, x->p + 1);
    /* tids are unique across processes (trace_processor takes a tid met in
     * another process for a reused one) and above every pid */
    fs_pbw_u64(b, THD_TID, fs__uuid(x, local));
    fs_pbw_str(b, THD_NAME, name);
    fs_pbw_end(b, TD_THREAD, at);
    fs_pbw_u64(b, TD_RANK, local);
    fs__send(x, PKT_TRACK_DESCRIPTOR);
}

static void fs__descriptors(fs__pf *x, const char *file)
{
    const fs_trace *tr = x->tr;
    char buf[512];
    /* the process: the sequence's first packet */
    fs__packet(x, -1);
    fs_pbw *b = &x->ev;
    fs_pbw_u64(b, TD_UUID, fs__uuid(x, 0));
    const char *sc = fs_trace_str(tr, tr->scenario), *ex = fs_trace_str(tr, tr->executor);
    snprintf(buf, sizeof buf, "%s%s%s", *ex ? ex : "trace", *sc ? " \xe2\x80\x94 " : "", sc);
    size_t at = fs_pbw_begin(b);
    fs_pbw_u64(b, PD_PID, x->p + 1);
    fs_pbw_str(b, PD_NAME, buf);
    if (file && *file)
        fs_pbw_str(b, PD_LABELS, file);
    fs_pbw_end(b, TD_PROCESS, at);
    fs_pbw_u64(b, TD_CHILD_ORDERING, ORDER_EXPLICIT);
    fs_pbw_u64(b, TD_RANK, x->p);
    fs__send(x, PKT_TRACK_DESCRIPTOR);
    if (x->p == 0) {
        /* The root track (uuid 0): processes and threads in rank order. */
        fs__packet(x, -1);
        fs_pbw_u64(&x->ev, TD_UUID, 0);
        fs_pbw_u64(&x->ev, TD_PROCESS_ORDERING, ROOT_ORDER_EXPLICIT);
        fs_pbw_u64(&x->ev, TD_THREAD_ORDERING, ROOT_ORDER_EXPLICIT);
        fs__send(x, PKT_TRACK_DESCRIPTOR);
    }
    for (int64_t w = 0; w < x->workers; w++) {
        snprintf(buf, sizeof buf, "worker %lld", (long long)w);
        fs__thread_track(x, 1 + (uint64_t)w, buf);
    }
    for (size_t i = 0; i < tr->n_tasks; i++)
        fs__thread_track(x, 1 + (uint64_t)x->workers + i, fs_lane_task_name(tr, i, buf, sizeof buf));
    for (size_t r = 0; r < tr->n_resources; r++)
        fs__thread_track(x, 1 + (uint64_t)x->workers + tr->n_tasks + r,
                         fs_lane_res_name(tr, r, buf, sizeof buf));
    for (size_t k = 0; k < tr->n_bthreads; k++) {
        snprintf(buf, sizeof buf, "blocking thread %zu", k);
        fs__thread_track(x, fs__bthread_local(x, k), buf);
    }
    for (int64_t w = 0; w < tr->workers; w++) {
        if (!tr->workers_v[w].n_queue)
            continue;
        fs__packet(x, -1);
        fs_pbw_u64(b, TD_UUID, fs__queue_track(x, w));
        fs_pbw_u64(b, TD_PARENT, fs__uuid(x, 0));
        snprintf(buf, sizeof buf, "worker %lld local queue", (long long)w);
        fs_pbw_str(b, TD_NAME, buf);
        at = fs_pbw_begin(b);
        fs_pbw_u64(b, CD_UNIT, UNIT_COUNT);
        fs_pbw_end(b, TD_COUNTER, at);
        fs_pbw_u64(b, TD_RANK, (uint64_t)w);
        fs__send(x, PKT_TRACK_DESCRIPTOR);
    }
}

/* ---- wakes, devices ---------------------------------------------------------- */

static bool fs__from_res(const fs_trace *tr, const fs_trace_wake *w)
{
    return w->src_res >= 0 && (size_t)w->src_res < tr->n_resources;
}
static bool fs__from_task(const fs_trace *tr, const fs_trace_wake *w)
{
    return !fs__from_res(tr, w) && w->src_task >= 0 && (size_t)w->src_task < tr->n_tasks;
}
/* A wake gets a flow when it led to a poll and has a lane to start from. */
static bool fs__has_flow(const fs_trace *tr, const fs_trace_wake *w)
{
    return w->caused >= 0 && w->task < tr->n_tasks && (fs__from_res(tr, w) || fs__from_task(tr, w));
}

/* An instant on the waking lane for every device wake and every wake with
 * a flow, the flow starting there. */
static void fs__wakes(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    for (size_t i = 0; i < tr->n_wakes && !x->over; i++) {
        const fs_trace_wake *w = &tr->wakes[i];
        bool flow = fs__has_flow(tr, w);
        if ((!flow && !fs__from_res(tr, w)) || w->task >= tr->n_tasks)
            continue;
        uint64_t track = fs__from_res(tr, w) ? fs__res_track(x, (size_t)w->src_res)
                                            : fs__task_track(x, (size_t)w->src_task);
        fs__event(x, w->t, TYPE_INSTANT, track, CAT_WAKE, fs__name(x, NAME_FIXED, FIXED_WAKE));
        if (flow)
            fs_pbw_fixed64(&x->ev, TE_FLOW_IDS, x->flow_base + i + 1);
        fs__arg_i(x, ARG_TASK, w->task);
        fs__send(x, PKT_TRACK_EVENT);
    }
}

static void fs__devices(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    for (size_t r = 0; r < tr->n_resources && !x->over; r++) {
        const fs_trace_resource *res = &tr->resources[r];
        for (size_t j = 0; j < res->n_io; j++) {
            const fs_trace_io *io = &res->io[j];
            fs__event(x, io->t, TYPE_INSTANT, fs__res_track(x, r), CAT_IO,
                      fs__name(x, NAME_POOL, io->what));
            if (io->has_value)
                fs__arg_i(x, ARG_VALUE, io->value);
            fs__send(x, PKT_TRACK_EVENT);
        }
    }
    for (size_t i = 0; i < tr->n_tasks && !x->over; i++) {
        const fs_trace_task *t = &tr->tasks[i];
        for (size_t j = 0; j < t->n_regs; j++) {
            if (t->regs[j].res < 0 || (size_t)t->regs[j].res >= tr->n_resources)
                continue;
            fs__event(x, t->regs[j].t, TYPE_INSTANT, fs__res_track(x, (size_t)t->regs[j].res),
                      CAT_REGISTER, fs__name(x, NAME_FIXED, FIXED_REGISTER));
            fs__arg_i(x, ARG_TASK, (int64_t)i);
            fs__send(x, PKT_TRACK_EVENT);
        }
    }
}

/* ---- task tracks ------------------------------------------------------------- */

static void fs__spin_name(char *buf, size_t n, const char *prefix, int64_t count)
{
    char c[32];
    snprintf(buf, n, "%s%sspin \xc3\x97%s", prefix ? prefix : "", prefix ? " " : "",
             fs_format_count(count, c, sizeof c));
}

/* A poll's BEGIN on the task's lane or (on_worker) the worker's; on the
 * task's lane it ends the flows of the wakes that led to it. */
static void fs__poll_begin(fs__pf *x, size_t task, size_t j, bool on_worker, size_t *next_wake)
{
    const fs_trace *tr = x->tr;
    const fs_trace_task *t = &tr->tasks[task];
    const fs_trace_slice *s = &t->slices[j];
    uint64_t track = on_worker ? fs__worker_track(x, s->worker) : fs__task_track(x, task);
    char spin[400];
    if (s->kind == FS_SLICE_SPIN) {
        fs__event(x, s->t, TYPE_SLICE_BEGIN, track, CAT_POLL, 0);
        fs__spin_name(spin, sizeof spin, on_worker ? fs__task_name(tr, task) : NULL, s->count);
        fs_pbw_str(&x->ev, TE_NAME, spin);
    } else if (on_worker) {
        /* the task's name (the result shows on the task's lane) */
        fs__event(x, s->t, TYPE_SLICE_BEGIN, track, CAT_POLL, fs__name(x, NAME_POOL, t->name));
    } else {
        fs__event(x, s->t, TYPE_SLICE_BEGIN, track, CAT_POLL,
                  fs__name(x, s->ready ? NAME_READY : NAME_PENDING, s->state));
    }
    if (s->ready)
        fs__arg_i(x, ARG_VALUE, s->value);
    if (s->kind == FS_SLICE_SPIN)
        fs__arg_i(x, ARG_POLLS, s->count);
    /* The task's wakes are in time order, so the polls they led to are too. */
    while (next_wake && *next_wake < t->n_wakes) {
        const fs_trace_wake *w = &tr->wakes[t->wakes[*next_wake]];
        if (w->caused >= 0 && (size_t)w->caused > j)
            break;
        if (w->caused == (int32_t)j && fs__has_flow(tr, w))
            fs_pbw_fixed64(&x->ev, TE_TERMINATING_FLOW_IDS,
                           x->flow_base + (uint64_t)t->wakes[*next_wake] + 1);
        (*next_wake)++;
    }
    fs__send(x, PKT_TRACK_EVENT);
}

static void fs__task_tracks(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    for (size_t i = 0; i < tr->n_tasks && !x->over; i++) {
        const fs_trace_task *t = &tr->tasks[i];
        uint64_t track = fs__task_track(x, i);
        size_t next_wake = 0;
        /* Disjoint and in start order: BEGIN, END, BEGIN, ... */
        for (size_t j = 0; j < t->n_slices; j++) {
            fs__poll_begin(x, i, j, false, &next_wake);
            fs__end(x, t->slices[j].end, track);
        }
        if (t->complete_t >= 0) {
            fs__event(x, t->complete_t, TYPE_INSTANT, track, CAT_TASK,
                      fs__name(x, NAME_FIXED, FIXED_COMPLETE));
            if (t->n_slices && t->slices[t->n_slices - 1].ready)
                fs__arg_i(x, ARG_VALUE, t->slices[t->n_slices - 1].value);
            fs__send(x, PKT_TRACK_EVENT);
        }
        if (t->cancel_t >= 0) {
            fs__event(x, t->cancel_t, TYPE_INSTANT, track, CAT_TASK,
                      fs__name(x, NAME_FIXED, FIXED_CANCEL));
            fs__send(x, PKT_TRACK_EVENT);
        }
    }
}

/* ---- worker tracks ------------------------------------------------------------ */

static void fs__witem_begin(fs__pf *x, int64_t w, const fs_witem *it)
{
    if (it->task >= 0) {
        fs__poll_begin(x, (size_t)it->task, it->index, true, NULL);
    } else {
        fs__event(x, it->t, TYPE_SLICE_BEGIN, fs__worker_track(x, w), CAT_PARK,
                  fs__name(x, NAME_FIXED, FIXED_PARKED));
        fs__send(x, PKT_TRACK_EVENT);
    }
}

/* A run of items each starting before the run so far ends. Alone, or when
 * the first encloses the rest, it nests as it is; otherwise (the busy
 * executor's spins of two tasks interleave) one enclosing "spin" slice
 * holds the single polls, the spins themselves left out. */
static void fs__wgroup(fs__pf *x, int64_t w, const fs_witem *g, size_t n, int64_t end)
{
    const fs_trace *tr = x->tr;
    uint64_t track = fs__worker_track(x, w);
    if (n == 1) {
        fs__witem_begin(x, w, &g[0]);
        fs__end(x, g[0].end, track);
        return;
    }
    size_t from = 0;
    if (fs_witem_encloses(tr, g, n)) {
        fs__witem_begin(x, w, &g[0]);
        end = g[0].end;
        from = 1;
    } else {
        int64_t polls = 0;
        for (size_t i = 0; i < n; i++)
            if (g[i].task >= 0)
                polls += tr->tasks[g[i].task].slices[g[i].index].count;
        char name[64];
        fs__spin_name(name, sizeof name, NULL, polls);
        fs__event(x, g[0].t, TYPE_SLICE_BEGIN, track, CAT_POLL, 0);
        fs_pbw_str(&x->ev, TE_NAME, name);
        fs__arg_i(x, ARG_POLLS, polls);
        fs__send(x, PKT_TRACK_EVENT);
    }
    int64_t last_end = INT64_MIN;
    for (size_t i = from; i < n; i++) {
        if (fs_witem_is_spin(tr, &g[i]) || g[i].t < last_end)
            continue;   /* nested items never overlap one another */
        fs__witem_begin(x, w, &g[i]);
        fs__end(x, g[i].end, track);
        last_end = g[i].end;
    }
    fs__end(x, end, track);
}

static fs_errcode fs__worker_tracks(fs__pf *x)
{
    fs_witem *items;
    size_t n;
    fs_errcode rc = fs_witems_collect(x->tr, &items, &n);
    if (rc != FS_ERR_OK)
        return rc;
    for (size_t a = 0; a < n && !x->over;) {
        int64_t end;
        size_t b = fs_witem_group(items, n, a, &end);
        int32_t w = items[a].worker;
        if (w >= 0 && w < x->workers)
            fs__wgroup(x, w, items + a, b - a, end);
        a = b;
    }
    free(items);
    return FS_ERR_OK;
}

/* ---- counters, the stall ------------------------------------------------------- */

static void fs__queues(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    for (int64_t w = 0; w < tr->workers && !x->over; w++) {
        const fs_trace_worker *wk = &tr->workers_v[w];
        for (size_t j = 0; j < wk->n_queue; j++) {
            fs__event(x, wk->queue[j].t, TYPE_COUNTER, fs__queue_track(x, w), 0, 0);
            fs_pbw_i64(&x->ev, TE_COUNTER_VALUE, wk->queue[j].depth);
            fs__send(x, PKT_TRACK_EVENT);
        }
    }
}

/* spawn_blocking's jobs, a slice each on their pool thread's track. */
static void fs__bthreads(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    for (size_t k = 0; k < tr->n_bthreads && !x->over; k++) {
        uint64_t track = fs__uuid(x, fs__bthread_local(x, k));
        for (size_t i = 0; i < tr->bthreads[k].n_jobs; i++) {
            const fs_trace_job *j = &tr->bthreads[k].jobs[i];
            fs__event(x, j->t, TYPE_SLICE_BEGIN, track, CAT_BLOCKING, fs__name(x, NAME_POOL, j->name));
            fs__arg_s(x, ARG_TASK, fs__task_name(tr, j->task));
            fs__send(x, PKT_TRACK_EVENT);
            fs__end(x, j->end, track);
        }
    }
}

static void fs__stall(fs__pf *x)
{
    const fs_trace *tr = x->tr;
    if (!tr->has_stall)
        return;
    fs__event(x, tr->stall_t, TYPE_INSTANT, fs__uuid(x, 0), CAT_STALL,
              fs__name(x, NAME_FIXED, FIXED_STALL));
    for (size_t i = 0; i < tr->n_stalled; i++) {
        const fs_trace_stalled *s = &tr->stalled[i];
        char buf[1024], lane[320];
        snprintf(buf, sizeof buf, "%s: %s", fs_lane_task_name(tr, s->task < tr->n_tasks ? s->task : 0,
                                                                lane, sizeof lane),
                 fs_trace_str(tr, s->reason));
        fs__arg_s(x, ARG_REASON, buf);
    }
    fs__send(x, PKT_TRACK_EVENT);
}

/* ---- public ---------------------------------------------------------------------- */

static fs_errcode fs__one(fs__pf *x, const fs_perfetto_source *src)
{
    const fs_trace *tr = src->trace;
    x->tr = tr;
    x->seq = (uint32_t)x->p + 1;
    x->first = true;
    x->workers = tr->workers > 0 ? tr->workers : 1;
    size_t need = tr->pool_len > tr->n_tasks ? tr->pool_len : tr->n_tasks;
    need = (need > 4 ? need : 4) + 1;
    if (need > x->n_defined) {
        uint8_t *d = realloc(x->defined, need);
        if (!d)
            return FS_ERR_NOMEM;
        x->defined = d;
        x->n_defined = need;
    }
    memset(x->defined, 0, x->n_defined);
    x->cats_defined = x->args_defined = 0;
    fs__descriptors(x, src->name);
    fs__wakes(x);     /* first: a flow starts before it ends, at equal times too */
    fs__devices(x);
    fs__task_tracks(x);
    fs_errcode rc = fs__worker_tracks(x);
    fs__queues(x);
    fs__bthreads(x);
    fs__stall(x);
    x->flow_base += tr->n_wakes;
    return x->failed ? FS_ERR_NOMEM : rc;
}

fs_errcode fs_perfetto_export(FILE *out, const fs_perfetto_source *src, size_t n,
                              uint64_t max_bytes, fs_error *err)
{
    memset(err, 0, sizeof *err);
    fs__pf x = {.out = out, .max = max_bytes ? max_bytes : FS_PERFETTO_MAX_BYTES, .n = n};
    fs_errcode rc = FS_ERR_OK;
    for (size_t i = 0; i < n && rc == FS_ERR_OK && !x.over; i++) {
        x.p = i;
        rc = fs__one(&x, &src[i]);
    }
    fs_pbw_free(&x.pkt);
    fs_pbw_free(&x.ev);
    fs_pbw_free(&x.interned);
    free(x.defined);
    bool ok = fflush(out) == 0 && !ferror(out);
    if (rc == FS_ERR_OK && x.over) {
        fs_error_set(err, FS_ERR_LIMIT, "the Perfetto trace would pass %llu bytes; nothing written "
                     "(simulate less: a smaller --max-trace, --max-time or --max-polls)",
                     (unsigned long long)x.max);
        return FS_ERR_LIMIT;
    }
    if (rc != FS_ERR_OK) {
        fs_error_set(err, rc, "out of memory");
        return rc;
    }
    if (!ok) {
        fs_error_set(err, FS_ERR_WRITE, "write failed");
        return FS_ERR_WRITE;
    }
    return FS_ERR_OK;
}
