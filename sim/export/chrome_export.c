/* chrome_export.c - fs_trace -> Chrome Trace Event JSON (see the header).
 *
 * What a viewer needs, and so what this file keeps true:
 * - Every pid and tid used is named by metadata, or lanes show as numbers.
 * - Complete slices ("X") on one lane are nested or disjoint, never partly
 *   overlapping: a viewer stacks slices by containment. A task's polls never
 *   overlap (a reader invariant). A worker's folded spins can: the busy
 *   executor alternates tasks, so two tasks' spins interleave in time. Such a
 *   run of overlapping slices is written as one enclosing "spin" slice, with
 *   the single polls inside it as children.
 * - Slices of one lane are written in (start, longer first) order, and a
 *   flow event after the slices it binds to: Perfetto binds a flow event to
 *   the slice on top of the lane's stack when it reads it, and it reads
 *   events of equal time in file order.
 * - Every wake with a following poll is one flow ("s" at the start of a
 *   slice of the waking lane, "f" with "bp":"e" at the start of the poll),
 *   unless both would be at one time (fs__wakes); no other flow event is
 *   written, so none is unpaired.
 * - Chrome DevTools' trace engine binds a flow event only to an event with
 *   the same ts, pid, tid and category, pairs "s" with "f" by category, name
 *   and id, and drops a flow whose two events share a ts: the flows and
 *   every slice they can bind to (polls, spins, device wake slices) share
 *   the category FS__FLOW_CAT, and a flow's slices start at two times.
 * - Every event has "cat" and "args" (tracium and devtools-timeline-model
 *   crash without them); instants are "I" (DevTools drops "i").
 * - DevTools leaves events at ts 0 out of the trace's bounds, so every timed
 *   event is written FS_CHROME_TS_OFFSET_NS late (stated in otherData).
 * - DevTools orders a process's lanes by their first slice or instant in the
 *   file, so lanes are first written in tid order: workers, tasks, devices. */
#include "chrome_export.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "jsonw.h"
#include "lane_names.h"
#include "worker_items.h"

#define FS__FLOW_CAT "poll"

typedef struct fs__ex {
    fs_jsonw *w;
    size_t n_events;
    int64_t next_flow;   /* flow ids are unique across the whole document */
    int64_t no_flow;     /* wakes with a poll after them but no flow (fs__wakes) */
} fs__ex;

/* The lanes of one trace's process. */
typedef struct fs__lanes {
    int pid;
    int64_t workers, tasks, resources;
} fs__lanes;

static int64_t fs__tid_worker(const fs__lanes *l, int64_t w)
{
    (void)l;
    return 1 + w;
}
static int64_t fs__tid_task(const fs__lanes *l, int64_t i)
{
    return 1 + l->workers + i;
}
static int64_t fs__tid_res(const fs__lanes *l, int64_t r)
{
    return 1 + l->workers + l->tasks + r;
}
static int64_t fs__tid_bthread(const fs__lanes *l, int64_t k)
{
    return 1 + l->workers + l->tasks + l->resources + k;
}

/* ---- writing events ------------------------------------------------------- */

/* ns as microseconds: 2000000001 -> 2000000.001, 1000 -> 1 (exact, no float). */
static void fs__us(fs_jsonw *w, int64_t ns)
{
    if (ns < 0) {
        fs_jsonw_char(w, '-');
        ns = ns == INT64_MIN ? INT64_MAX : -ns;
    }
    fs_jsonw_i64(w, ns / 1000);
    int r = (int)(ns % 1000);
    if (r) {
        char frac[4] = {'.', (char)('0' + r / 100), (char)('0' + r / 10 % 10), (char)('0' + r % 10)};
        size_t n = 4;
        while (frac[n - 1] == '0')
            n--;
        fs_jsonw_raw(w, frac, n);
    }
}

/* {"ph":"X","pid":1,"tid":3,"ts":... (the caller closes the object) */
static void fs__begin(fs__ex *x, char ph, int pid, int64_t tid, int64_t t)
{
    fs_jsonw *w = x->w;
    fs_jsonw_lit(w, x->n_events++ ? ",\n{\"ph\":\"" : "\n{\"ph\":\"");
    fs_jsonw_char(w, ph);
    fs_jsonw_lit(w, "\",\"pid\":");
    fs_jsonw_i64(w, pid);
    fs_jsonw_lit(w, ",\"tid\":");
    fs_jsonw_i64(w, tid);
    fs_jsonw_lit(w, ",\"ts\":");
    fs__us(w, ph == 'M' ? 0 : t + FS_CHROME_TS_OFFSET_NS);
}

static void fs__name(fs_jsonw *w, const char *name, const char *cat)
{
    fs_jsonw_key(w, "name", false);
    fs_jsonw_str(w, name);
    fs_jsonw_key(w, "cat", false);
    fs_jsonw_str(w, cat);
}

/* Closes an event that has no args of its own. */
static void fs__no_args(fs_jsonw *w)
{
    fs_jsonw_lit(w, ",\"args\":{}}");
}

static void fs__dur(fs_jsonw *w, int64_t dur)
{
    fs_jsonw_lit(w, ",\"dur\":");
    fs__us(w, dur);
}

static void fs__arg_i(fs_jsonw *w, const char *key, int64_t v, bool first)
{
    fs_jsonw_key(w, key, first);
    fs_jsonw_i64(w, v);
}

static void fs__arg_s(fs_jsonw *w, const char *key, const char *v, bool first)
{
    fs_jsonw_key(w, key, first);
    fs_jsonw_str(w, v);
}

/* Metadata: {"ph":"M",...,"name":"thread_name","args":{"name":...}} */
static void fs__meta_str(fs__ex *x, int pid, int64_t tid, const char *what, const char *key,
                         const char *value)
{
    fs__begin(x, 'M', pid, tid, 0);
    fs__name(x->w, what, "__metadata");
    fs_jsonw_lit(x->w, ",\"args\":{");
    fs__arg_s(x->w, key, value, true);
    fs_jsonw_lit(x->w, "}}");
}

static void fs__meta_int(fs__ex *x, int pid, int64_t tid, const char *what, int64_t v)
{
    fs__begin(x, 'M', pid, tid, 0);
    fs__name(x->w, what, "__metadata");
    fs_jsonw_lit(x->w, ",\"args\":{");
    fs__arg_i(x->w, "sort_index", v, true);
    fs_jsonw_lit(x->w, "}}");
}

/* ---- names ---------------------------------------------------------------- */

static void fs__metadata(fs__ex *x, const fs__lanes *l, const fs_trace *tr, const char *file,
                         size_t index)
{
    char buf[512];
    const char *sc = fs_trace_str(tr, tr->scenario), *ex = fs_trace_str(tr, tr->executor);
    snprintf(buf, sizeof buf, "%s%s%s", *ex ? ex : "trace", *sc ? " \xe2\x80\x94 " : "", sc);
    fs__meta_str(x, l->pid, 0, "process_name", "name", buf);
    fs__meta_int(x, l->pid, 0, "process_sort_index", (int64_t)index);
    if (file && *file)
        fs__meta_str(x, l->pid, 0, "process_labels", "labels", file);
    int64_t sort = 0;
    for (int64_t w = 0; w < l->workers; w++) {
        snprintf(buf, sizeof buf, "worker %lld", (long long)w);
        fs__meta_str(x, l->pid, fs__tid_worker(l, w), "thread_name", "name", buf);
        fs__meta_int(x, l->pid, fs__tid_worker(l, w), "thread_sort_index", sort++);
    }
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs__meta_str(x, l->pid, fs__tid_task(l, (int64_t)i), "thread_name", "name",
                     fs_lane_task_name(tr, i, buf, sizeof buf));
        fs__meta_int(x, l->pid, fs__tid_task(l, (int64_t)i), "thread_sort_index", sort++);
    }
    for (size_t r = 0; r < tr->n_resources; r++) {
        fs__meta_str(x, l->pid, fs__tid_res(l, (int64_t)r), "thread_name", "name",
                     fs_lane_res_name(tr, r, buf, sizeof buf));
        fs__meta_int(x, l->pid, fs__tid_res(l, (int64_t)r), "thread_sort_index", sort++);
    }
    for (size_t k = 0; k < tr->n_bthreads; k++) {
        snprintf(buf, sizeof buf, "blocking thread %zu", k);
        fs__meta_str(x, l->pid, fs__tid_bthread(l, (int64_t)k), "thread_name", "name", buf);
        fs__meta_int(x, l->pid, fs__tid_bthread(l, (int64_t)k), "thread_sort_index", sort++);
    }
}

/* The blocking pool's jobs (spawn_blocking), a slice each on their thread's
 * lane, after every other lane's first event: lanes are met in tid order. */
static void fs__bthreads(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    for (size_t k = 0; k < tr->n_bthreads; k++) {
        const fs_trace_bthread *bt = &tr->bthreads[k];
        for (size_t i = 0; i < bt->n_jobs; i++) {
            const fs_trace_job *j = &bt->jobs[i];
            char lane[320];
            fs__begin(x, 'X', l->pid, fs__tid_bthread(l, (int64_t)k), j->t);
            fs__dur(x->w, j->end - j->t);
            fs__name(x->w, fs_trace_str(tr, j->name), "blocking");
            fs_jsonw_lit(x->w, ",\"args\":{");
            fs__arg_i(x->w, "job", j->job, true);
            fs__arg_s(x->w, "task", fs_lane_task_name(tr, j->task, lane, sizeof lane), false);
            fs__arg_i(x->w, "queued_ns", j->queued, false);
            if (j->new_thread)
                fs_jsonw_lit(x->w, ",\"new_thread\":true");
            fs_jsonw_lit(x->w, "}}");
        }
    }
}

/* ---- polls ---------------------------------------------------------------- */

static const char *fs__spin_name(int64_t count, char *buf, size_t n)
{
    char c[32];
    snprintf(buf, n, "spin \xc3\x97%s", fs_format_count(count, c, sizeof c));
    return buf;
}

static void fs__poll_args(fs_jsonw *w, const fs_trace *tr, size_t task, const fs_trace_slice *s)
{
    fs_jsonw_lit(w, ",\"args\":{");
    fs__arg_i(w, "task", (int64_t)task, true);
    fs__arg_s(w, "task_name", fs_trace_str(tr, tr->tasks[task].name), false);
    fs__arg_i(w, "worker", s->worker, false);
    fs__arg_s(w, "result", s->ready ? "ready" : "pending", false);
    fs__arg_s(w, "await", fs_trace_str(tr, s->state), false);
    if (s->ready)
        fs__arg_i(w, "value", s->value, false);
    if (s->kind == FS_SLICE_SPIN) {
        fs__arg_i(w, "polls", s->count, false);
        fs_jsonw_key(w, "poll_dur_us", false);
        fs__us(w, s->dur);
    }
    fs__arg_i(w, "wasted_polls", s->wasted, false);
    fs_jsonw_char(w, '}');
}

/* One poll (or spin) as an X slice; on_worker names it after the task. */
static void fs__poll(fs__ex *x, const fs__lanes *l, const fs_trace *tr, size_t task,
                     const fs_trace_slice *s, bool on_worker)
{
    char name[400], spin[64];
    const char *state = fs_trace_str(tr, s->state);
    const char *result = s->ready ? "ready" : "pending";
    if (on_worker) {
        const char *tn = fs_trace_str(tr, tr->tasks[task].name);
        if (s->kind == FS_SLICE_SPIN)
            snprintf(name, sizeof name, "%s %s", *tn ? tn : "task", fs__spin_name(s->count, spin, sizeof spin));
        else
            snprintf(name, sizeof name, "%s (%s)", *tn ? tn : "task", result);
    } else if (s->kind == FS_SLICE_SPIN) {
        fs__spin_name(s->count, name, sizeof name);
    } else {
        snprintf(name, sizeof name, "%s%s%s", result, *state ? ": " : "", state);
    }
    int64_t tid = on_worker ? fs__tid_worker(l, s->worker) : fs__tid_task(l, (int64_t)task);
    fs__begin(x, 'X', l->pid, tid, s->t);
    fs__dur(x->w, s->end - s->t);
    fs__name(x->w, name, FS__FLOW_CAT);
    fs__poll_args(x->w, tr, task, s);
    fs_jsonw_char(x->w, '}');
}

static void fs__task_lanes(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    for (size_t i = 0; i < tr->n_tasks; i++) {
        const fs_trace_task *t = &tr->tasks[i];
        /* Slices are in start order and disjoint; only zero-length polls can
         * share a start with the next: write each run of equal starts longest
         * first, so the zero-length one nests inside. */
        for (size_t a = 0; a < t->n_slices;) {
            size_t b = a + 1;
            while (b < t->n_slices && t->slices[b].t == t->slices[a].t)
                b++;
            for (size_t j = b; j-- > a;)
                fs__poll(x, l, tr, i, &t->slices[j], false);
            a = b;
        }
        if (t->complete_t >= 0) {
            fs__begin(x, 'I', l->pid, fs__tid_task(l, (int64_t)i), t->complete_t);
            fs__name(x->w, "complete", "task");
            fs_jsonw_lit(x->w, ",\"s\":\"t\",\"args\":{");
            if (t->n_slices && t->slices[t->n_slices - 1].ready)
                fs__arg_i(x->w, "value", t->slices[t->n_slices - 1].value, true);
            fs_jsonw_lit(x->w, "}}");
        }
        if (t->cancel_t >= 0) {
            fs__begin(x, 'I', l->pid, fs__tid_task(l, (int64_t)i), t->cancel_t);
            fs__name(x->w, "cancel", "task");
            fs_jsonw_lit(x->w, ",\"s\":\"t\"");
            fs__no_args(x->w);
        }
    }
}

/* ---- worker lanes ---------------------------------------------------------- */

static void fs__witem_write(fs__ex *x, const fs__lanes *l, const fs_trace *tr, const fs_witem *it)
{
    if (it->task >= 0) {
        fs__poll(x, l, tr, (size_t)it->task, &tr->tasks[it->task].slices[it->index], true);
        return;
    }
    fs__begin(x, 'X', l->pid, fs__tid_worker(l, it->worker), it->t);
    fs__dur(x->w, it->end - it->t);
    fs__name(x->w, "parked", "park");
    fs__no_args(x->w);
}

/* A run of overlapping items: one enclosing slice named after its spins, the
 * items that are not spins (single polls, which never overlap one another on
 * a worker) nested inside it. */
static void fs__wgroup_write(fs__ex *x, const fs__lanes *l, const fs_trace *tr,
                             const fs_witem *g, size_t n, int64_t end)
{
    int64_t spins = 0, polls = 0, nspin = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].task < 0)
            continue;
        const fs_trace_slice *s = &tr->tasks[g[i].task].slices[g[i].index];
        polls += s->count;
        if (s->kind == FS_SLICE_SPIN) {
            spins += s->count;
            nspin++;
        }
    }
    char name[64], c[32];
    fs__spin_name(spins, name, sizeof name);
    fs__begin(x, 'X', l->pid, fs__tid_worker(l, g[0].worker), g[0].t);
    fs__dur(x->w, end - g[0].t);
    fs__name(x->w, name, FS__FLOW_CAT);
    fs_jsonw_lit(x->w, ",\"args\":{");
    fs__arg_i(x->w, "polls", polls, true);
    fs__arg_i(x->w, "spinning_tasks", nspin, false);
    for (size_t i = 0; i < n; i++) {
        if (!fs_witem_is_spin(tr, &g[i]))
            continue;
        char key[64];
        const fs_trace_slice *s = &tr->tasks[g[i].task].slices[g[i].index];
        snprintf(key, sizeof key, "task %d", g[i].task);
        char val[400];
        snprintf(val, sizeof val, "%s: %s polls of %s", fs_trace_str(tr, tr->tasks[g[i].task].name),
                 fs_format_count(s->count, c, sizeof c), fs_trace_str(tr, s->state));
        fs__arg_s(x->w, key, val, false);
    }
    fs_jsonw_lit(x->w, "}}");
    int64_t last_end = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (fs_witem_is_spin(tr, &g[i]) || g[i].t < last_end)
            continue;
        fs__witem_write(x, l, tr, &g[i]);
        last_end = g[i].end;
    }
}

static fs_errcode fs__worker_lanes(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    fs_witem *items;
    size_t n;
    fs_errcode rc = fs_witems_collect(tr, &items, &n);
    if (rc != FS_ERR_OK)
        return rc;
    for (size_t a = 0; a < n;) {
        int64_t end;
        size_t b = fs_witem_group(items, n, a, &end);
        if (b - a == 1) {
            fs__witem_write(x, l, tr, &items[a]);
        } else if (fs_witem_encloses(tr, items + a, b - a)) {
            /* e.g. a zero-length poll at a park's edge: plain nesting */
            fs__witem_write(x, l, tr, &items[a]);
            int64_t last_end = INT64_MIN;
            for (size_t i = a + 1; i < b; i++) {
                if (items[i].t < last_end)
                    continue;   /* only in a malformed trace */
                fs__witem_write(x, l, tr, &items[i]);
                last_end = items[i].end;
            }
        } else {
            fs__wgroup_write(x, l, tr, items + a, b - a, end);
        }
        a = b;
    }
    free(items);
    return FS_ERR_OK;
}

/* ---- wakes: flows and the ready queue ----------------------------------------- */

static void fs__flow_event(fs__ex *x, char ph, int pid, int64_t tid, int64_t t, int64_t id,
                           int64_t task)
{
    fs__begin(x, ph, pid, tid, t);
    fs__name(x->w, "wake", FS__FLOW_CAT);
    fs_jsonw_lit(x->w, ",\"id\":");
    fs_jsonw_i64(x->w, id);
    if (ph == 'f')
        fs_jsonw_lit(x->w, ",\"bp\":\"e\"");
    fs_jsonw_lit(x->w, ",\"args\":{");
    fs__arg_i(x->w, "task", task, true);
    fs_jsonw_lit(x->w, "}}");
}

/* The slice on the waking lane that a wake's flow leaves from, [from, the
 * wake]: on a device's lane, the time the device held the task's waker
 * (see fs__wakes); on a task's lane (a wake outside its polls), zero-length. */
static void fs__wake_slice(fs__ex *x, const fs__lanes *l, const fs_trace *tr, int64_t tid,
                           int64_t from, const fs_trace_wake *w)
{
    char name[400], lane[320];
    snprintf(name, sizeof name, "%swake \xe2\x86\x92 %s", w->stale ? "stale " : "",
             fs_lane_task_name(tr, w->task, lane, sizeof lane));
    fs__begin(x, 'X', l->pid, tid, from);
    fs__dur(x->w, w->t - from);
    fs__name(x->w, name, FS__FLOW_CAT);
    fs_jsonw_lit(x->w, ",\"args\":{");
    fs__arg_i(x->w, "task", w->task, true);
    fs__arg_s(x->w, "source", fs_trace_str(tr, w->source), false);
    fs_jsonw_lit(x->w, "}}");
}

/* The start of the waking task's slice that holds the wake (its poll, or the
 * one it ended with), or -1 when the wake came between its polls. */
static int64_t fs__waking_poll(const fs_trace *tr, const fs_trace_wake *w)
{
    const fs_trace_task *st = &tr->tasks[w->src_task];
    size_t k = fs_trace_task_first_ending_after(st, w->t);
    if (k < st->n_slices && st->slices[k].t <= w->t)
        return st->slices[k].t;
    if (k > 0 && st->slices[k - 1].end == w->t)
        return st->slices[k - 1].t;
    return -1;
}

/* Every wake with a poll after it is one flow: "s" at the start of a slice
 * of the waking lane that holds the wake, "f" (bp e) at the start of the
 * poll. Chrome DevTools files a flow's two ends under their ts, so ends at
 * one ts collapse into one and the flow is dropped: the "s" slice must start
 * before the poll. A wake and the poll it leads to are often at one time
 * (a parked worker polls at once), so a device's wake is a slice from when
 * the device got the waker (the task's registration, or the device's
 * previous wake if that is later, so a device's slices are nested or
 * disjoint) to the wake; a task's wake leaves from the start of the poll
 * that made it. A flow whose ends would still share a ts is not written
 * (x->no_flow counts them; docs/export.md says when). Each "s" follows its
 * slice at once: Perfetto binds it to the slice on top of the lane. */
static fs_errcode fs__wakes(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    /* per device: the time of its latest wake, and of the one before it */
    int64_t *cur = malloc((tr->n_resources ? tr->n_resources : 1) * 2 * sizeof *cur);
    if (!cur)
        return FS_ERR_NOMEM;
    int64_t *prev = cur + tr->n_resources;
    for (size_t r = 0; r < tr->n_resources; r++)
        cur[r] = prev[r] = INT64_MIN;
    for (size_t i = 0; i < tr->n_wakes; i++) {
        const fs_trace_wake *w = &tr->wakes[i];
        int64_t c = w->caused; /* the poll it led to, or -1 */
        int64_t src_tid, from;
        if (w->src_res >= 0 && (size_t)w->src_res < tr->n_resources) {
            size_t r = (size_t)w->src_res;
            if (w->t != cur[r]) {
                prev[r] = cur[r];
                cur[r] = w->t;
            }
            int64_t reg = fs_trace_wake_registered_at(tr, w);
            if (reg < 0 && c > 0)   /* none (a spurious wake): the poll before */
                reg = tr->tasks[w->task].slices[c - 1].t;
            from = reg < 0 ? w->t : reg > prev[r] ? reg : prev[r];
            if (from > w->t)
                from = w->t;
            src_tid = fs__tid_res(l, w->src_res);
            fs__wake_slice(x, l, tr, src_tid, from, w);
        } else if (w->src_task >= 0 && (size_t)w->src_task < tr->n_tasks) {
            if (c < 0)
                continue;
            src_tid = fs__tid_task(l, w->src_task);
            /* a task waking itself did so in its poll before */
            from = w->src_task == (int32_t)w->task && c > 0 ? tr->tasks[w->task].slices[c - 1].t
                                                           : fs__waking_poll(tr, w);
            if (from < 0) {
                from = w->t;
                fs__wake_slice(x, l, tr, src_tid, from, w);
            }
        } else {
            continue;
        }
        if (c < 0)
            continue;
        int64_t to = tr->tasks[w->task].slices[c].t;
        if (to == from) {
            x->no_flow++;
            continue;
        }
        int64_t id = ++x->next_flow;
        fs__flow_event(x, 's', l->pid, src_tid, from, id, w->task);
        fs__flow_event(x, 'f', l->pid, fs__tid_task(l, w->task), to, id, w->task);
    }
    free(cur);
    return FS_ERR_OK;
}

typedef struct fs__delta {
    int64_t t;
    int64_t d;
} fs__delta;

static int fs__delta_cmp(const void *a, const void *b)
{
    const fs__delta *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* The ready-queue length: a task counts from its spawn or wake to the poll
 * that followed (once, however many wakes came between). Every -1 is paired
 * with a +1 at or before its time, and the counter is written once per time
 * after all changes at that time, so it never goes below zero. */
static fs_errcode fs__ready_queue(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    size_t cap = 2 * (tr->n_tasks + tr->n_wakes), n = 0;
    if (!cap)
        return FS_ERR_OK;
    fs__delta *d = malloc(cap * sizeof *d);
    if (!d)
        return FS_ERR_NOMEM;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        const fs_trace_task *t = &tr->tasks[i];
        int64_t awaited = -1;
        if (t->n_slices && t->slices[0].t >= t->spawn_t) {
            d[n++] = (fs__delta){t->spawn_t, +1};
            d[n++] = (fs__delta){t->slices[0].t, -1};
            awaited = 0;
        }
        for (size_t j = 0; j < t->n_wakes; j++) {
            const fs_trace_wake *w = &tr->wakes[t->wakes[j]];
            int64_t c = w->caused; /* the poll it led to, or -1 */
            if (c <= awaited)
                continue;
            d[n++] = (fs__delta){w->t, +1};
            d[n++] = (fs__delta){t->slices[c].t, -1};
            awaited = c;
        }
    }
    qsort(d, n, sizeof *d, fs__delta_cmp);
    int64_t v = 0, written = -1;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        for (; b < n && d[b].t == d[a].t; b++)
            v += d[b].d;
        if (v != written) {
            fs__begin(x, 'C', l->pid, fs__tid_worker(l, 0), d[a].t);
            fs__name(x->w, "ready queue", "queue");
            fs_jsonw_lit(x->w, ",\"args\":{");
            fs__arg_i(x->w, "tasks", v, true);
            fs_jsonw_lit(x->w, "}}");
            written = v;
        }
        a = b;
    }
    free(d);
    return FS_ERR_OK;
}

/* ---- devices and the stall --------------------------------------------------- */

/* Every registration (the task handed its waker to a device), grouped by
 * device in one counting sort: at[first[r] .. first[r + 1]) are device r's,
 * each as task << 32 | its index in the task. NULL when out of memory. */
static uint64_t *fs__regs_by_device(const fs_trace *tr, size_t **first_out)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->n_tasks; i++)
        n += tr->tasks[i].n_regs;
    size_t *first = calloc(tr->n_resources + 1, sizeof *first);
    uint64_t *at = malloc((n ? n : 1) * sizeof *at);
    if (!first || !at) {
        free(first);
        free(at);
        return NULL;
    }
    for (size_t i = 0; i < tr->n_tasks; i++)
        for (size_t j = 0; j < tr->tasks[i].n_regs; j++)
            first[tr->tasks[i].regs[j].res + 1]++;
    for (size_t r = 0; r < tr->n_resources; r++)
        first[r + 1] += first[r];
    for (size_t i = 0; i < tr->n_tasks; i++)
        for (size_t j = 0; j < tr->tasks[i].n_regs; j++)
            at[first[tr->tasks[i].regs[j].res]++] = (uint64_t)i << 32 | j;
    for (size_t r = tr->n_resources; r > 0; r--) /* back to the starts */
        first[r] = first[r - 1];
    first[0] = 0;
    *first_out = first;
    return at;
}

/* Registrations on device r, in task order. */
static void fs__registrations(fs__ex *x, const fs__lanes *l, const fs_trace *tr, int64_t r,
                              const uint64_t *at, const size_t *first)
{
    for (size_t k = first[r]; k < first[r + 1]; k++) {
        size_t i = (size_t)(at[k] >> 32), j = (size_t)(at[k] & 0xFFFFFFFFu);
        const fs_trace_task *t = &tr->tasks[i];
        char name[400], lane[320];
        snprintf(name, sizeof name, "register %s", fs_lane_task_name(tr, i, lane, sizeof lane));
        fs__begin(x, 'I', l->pid, fs__tid_res(l, r), t->regs[j].t);
        fs__name(x->w, name, "register");
        fs_jsonw_lit(x->w, ",\"s\":\"t\"");
        fs__no_args(x->w);
    }
}

static fs_errcode fs__devices(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    size_t *first = NULL;
    uint64_t *at = fs__regs_by_device(tr, &first);
    if (!at)
        return FS_ERR_NOMEM;
    for (size_t r = 0; r < tr->n_resources; r++) {
        const fs_trace_resource *res = &tr->resources[r];
        for (size_t j = 0; j < res->n_io; j++) {
            const fs_trace_io *io = &res->io[j];
            const char *what = fs_trace_str(tr, io->what);
            fs__begin(x, 'I', l->pid, fs__tid_res(l, (int64_t)r), io->t);
            fs__name(x->w, *what ? what : "io", "io");
            fs_jsonw_lit(x->w, ",\"s\":\"t\",\"args\":{");
            if (io->has_value)
                fs__arg_i(x->w, "value", io->value, true);
            fs_jsonw_lit(x->w, "}}");
        }
        fs__registrations(x, l, tr, (int64_t)r, at, first); /* device by device: lanes met in order */
    }
    free(first);
    free(at);
    return FS_ERR_OK;
}

static void fs__stall(fs__ex *x, const fs__lanes *l, const fs_trace *tr)
{
    if (!tr->has_stall)
        return;
    fs__begin(x, 'I', l->pid, fs__tid_worker(l, 0), tr->stall_t);
    fs__name(x->w, "stall", "stall");
    fs_jsonw_lit(x->w, ",\"s\":\"g\",\"args\":{");
    fs__arg_i(x->w, "stalled_tasks", (int64_t)tr->n_stalled, true);
    for (size_t i = 0; i < tr->n_stalled; i++) {
        const fs_trace_stalled *s = &tr->stalled[i];
        char key[320];
        fs_lane_task_name(tr, s->task, key, sizeof key);
        fs__arg_s(x->w, key, fs_trace_str(tr, s->reason), false);
    }
    fs_jsonw_lit(x->w, "}}");
}

/* ---- public ------------------------------------------------------------------ */

static fs_errcode fs__one(fs__ex *x, const fs_chrome_source *src, size_t index)
{
    const fs_trace *tr = src->trace;
    fs__lanes l = {.pid = (int)index + 1, .workers = tr->workers > 0 ? tr->workers : 1,
                   .tasks = (int64_t)tr->n_tasks, .resources = (int64_t)tr->n_resources};
    fs__metadata(x, &l, tr, src->name, index);
    fs_errcode rc = fs__worker_lanes(x, &l, tr);   /* lanes first met in tid order */
    if (rc == FS_ERR_OK)
        fs__task_lanes(x, &l, tr);
    if (rc == FS_ERR_OK)
        rc = fs__ready_queue(x, &l, tr);
    if (rc != FS_ERR_OK || x->w->over)   /* past the size limit: the rest would be dropped */
        return rc;
    if ((rc = fs__devices(x, &l, tr)) != FS_ERR_OK)
        return rc;
    fs__bthreads(x, &l, tr);
    fs__stall(x, &l, tr);
    return fs__wakes(x, &l, tr);   /* last: flows bind to slices written before them */
}

fs_errcode fs_chrome_export(FILE *out, const fs_chrome_source *src, size_t n, uint64_t max_bytes,
                            fs_error *err)
{
    memset(err, 0, sizeof *err);
    fs_jsonw *w = malloc(sizeof *w);
    if (!w) {
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
        return FS_ERR_NOMEM;
    }
    fs_jsonw_init(w, out);
    fs_jsonw_limit(w, max_bytes ? max_bytes : FS_CHROME_MAX_BYTES);
    fs__ex x = {.w = w};
    fs_errcode rc = FS_ERR_OK;
    fs_jsonw_lit(w, "{\"traceEvents\":[");
    for (size_t i = 0; i < n && rc == FS_ERR_OK && !w->over; i++)
        rc = fs__one(&x, &src[i], i);
    fs_jsonw_lit(w, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{");
    fs__arg_s(w, "generator", "futurescope " FS_VERSION, true);
    fs_jsonw_key(w, "ts_offset_us", false);   /* ts = simulated time + this */
    fs__us(w, FS_CHROME_TS_OFFSET_NS);
    fs__arg_i(w, "flows", x.next_flow, false);
    fs__arg_i(w, "wakes_without_flow", x.no_flow, false);   /* fs__wakes */
    fs_jsonw_key(w, "traces", false);
    fs_jsonw_char(w, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            fs_jsonw_char(w, ',');
        fs_jsonw_str(w, src[i].name ? src[i].name : "");
    }
    fs_jsonw_lit(w, "]}}\n");
    bool ok = fs_jsonw_flush(w), over = w->over;
    uint64_t max = w->max;
    free(w);
    if (rc == FS_ERR_OK && over) {
        fs_error_set(err, FS_ERR_LIMIT, "the Chrome trace would pass %llu bytes; nothing written "
                     "(use --perfetto, or simulate less: a smaller --max-trace, --max-time or --max-polls)",
                     (unsigned long long)max);
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
