/* group.c - lane groups: which members share a stem, and how many of them
 * are in each state over time (a step function per group, built once when
 * the trace is loaded, so a frame only samples it). */
#include "group.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "viewer.h"

/* The stem of name[0..n). */
static size_t fs__stem_n(const char *name, size_t n)
{
    size_t k = n;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    if (k == n)
        return n;  /* no number at the end */
    if (k > 0 && strchr("# -_:.", name[k - 1]))
        k--;
    return k > 0 ? k : n;
}

size_t fs_viz_name_stem(const char *name)
{
    return fs__stem_n(name, strlen(name));
}

size_t fs_viz_path_stem(const char *name, char *out)
{
    size_t len = 0;
    for (const char *part = name;;) {
        const char *slash = strchr(part, '/');
        size_t n = slash ? (size_t)(slash - part) : strlen(part), k = fs__stem_n(part, n);
        memcpy(out + len, part, k);
        len += k;
        if (!slash)
            break;
        out[len++] = '/';
        part = slash + 1;
    }
    out[len] = '\0';
    return len;
}

/* ---- which members share a stem ------------------------------------------ */

typedef struct fs__key {
    const char *kind, *name;  /* kind: the device's kind, "" for tasks */
    size_t stem;
    uint32_t index;
} fs__key;

static int fs__key_cmp(const void *pa, const void *pb)
{
    const fs__key *a = pa, *b = pb;
    int c = strcmp(a->kind, b->kind);
    if (c)
        return c;
    size_t n = a->stem < b->stem ? a->stem : b->stem;
    c = memcmp(a->name, b->name, n);
    if (c)
        return c;
    if (a->stem != b->stem)
        return a->stem < b->stem ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* A group's rows go where its first member would have been. */
static int fs__row_cmp(const void *pa, const void *pb)
{
    const fs__key *a = pa, *b = pb;
    return (a->index > b->index) - (a->index < b->index);
}

typedef struct fs__build {
    fs_viz_group **groups;
    size_t *n_groups;
    fs_viz_row *rows;  /* this band's, appended at *n_rows */
    size_t *n_rows;
} fs__build;

static fs_viz_group *fs__new_group(fs__build *b)
{
    fs_viz_group *g = realloc(*b->groups, (*b->n_groups + 1) * sizeof **b->groups);
    if (!g)
        return NULL;
    *b->groups = g;
    g += (*b->n_groups)++;
    memset(g, 0, sizeof *g);
    return g;
}

/* Whether keys are in fs__key_cmp's order already: a run's tasks mostly
 * are (name#0, name#1, ... in spawn order), and a check is n comparisons
 * where the sort was n log n. The order is total (indices differ), so a
 * sort could not change a sorted array. */
static bool fs__keys_sorted(const fs__key *keys, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (fs__key_cmp(&keys[i - 1], &keys[i]) > 0)
            return false;
    return true;
}

/* Rows for n members described by keys (sorted here); members sharing a
 * stem with another become a group. */
static bool fs__group_kind(fs__build *b, fs__key *keys, size_t n, uint8_t kind, int trace, bool open)
{
    if (!fs__keys_sorted(keys, n))
        qsort(keys, n, sizeof *keys, fs__key_cmp);
    /* each run of equal stems: one key stands for it, index = its first member */
    fs__key *firsts = malloc((n ? n : 1) * sizeof *firsts);
    int32_t *which = malloc((n ? n : 1) * sizeof *which);  /* group index, or -1 */
    if (!firsts || !which)
        goto fail;
    size_t nf = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(keys[j].kind, keys[i].kind) == 0 && keys[j].stem == keys[i].stem &&
               memcmp(keys[j].name, keys[i].name, keys[i].stem) == 0)
            j++;
        which[nf] = -1;
        if (j - i >= 2) {
            fs_viz_group *g = fs__new_group(b);
            if (!g)
                goto fail;
            g->kind = kind;
            g->trace = (int16_t)trace;
            g->open = open;
            if (*keys[i].kind)
                snprintf(g->stem, sizeof g->stem, "%s %.*s", keys[i].kind, (int)keys[i].stem, keys[i].name);
            else
                snprintf(g->stem, sizeof g->stem, "%.*s", (int)keys[i].stem, keys[i].name);
            g->members = malloc((j - i) * sizeof *g->members);
            g->order = malloc((j - i) * sizeof *g->order);
            if (!g->members || !g->order)
                goto fail;
            for (size_t k = i; k < j; k++)
                g->members[g->n++] = keys[k].index;  /* ascending: the sort's last key */
            memcpy(g->order, g->members, g->n * sizeof *g->order);
            which[nf] = (int32_t)(*b->n_groups - 1);
        }
        firsts[nf] = keys[i];
        firsts[nf].stem = nf;  /* remembers its slot in which[] through the sort */
        nf++;
        i = j;
    }
    qsort(firsts, nf, sizeof *firsts, fs__row_cmp);
    for (size_t i = 0; i < nf; i++) {
        int32_t g = which[firsts[i].stem];
        b->rows[(*b->n_rows)++] = (fs_viz_row){kind, g >= 0, g >= 0 ? g : (int32_t)firsts[i].index};
    }
    free(firsts);
    free(which);
    return true;
fail:
    free(firsts);
    free(which);
    return false;
}

/* ---- states over time ---------------------------------------------------- */

/* The moves of members between states, as two arrays (the times, and
 * each move's state << 1 | whether it enters it), so the sort below moves
 * 9 bytes a delta, not a padded 16-byte struct. */
typedef struct fs__deltas {
    uint64_t *t;   /* a run's times are >= 0 */
    uint8_t *code;
    size_t n, cap;
    bool oom;
} fs__deltas;

static void fs__push(fs__deltas *ds, int64_t t, int state, int d)
{
    if (state < 0 || ds->oom)
        return;
    if (ds->n == ds->cap) {  /* the caller's estimate fell short */
        size_t cap = ds->cap ? ds->cap * 2 : 1024;
        uint64_t *nt = realloc(ds->t, cap * sizeof *nt);
        if (nt)
            ds->t = nt;
        uint8_t *nc = nt ? realloc(ds->code, cap) : NULL;
        if (!nc) {
            ds->oom = true;
            return;
        }
        ds->code = nc;
        ds->cap = cap;
    }
    ds->t[ds->n] = (uint64_t)t;
    ds->code[ds->n++] = (uint8_t)(state << 1 | (d > 0));
}

/* One state to another at t (-1: none). */
static void fs__move(fs__deltas *ds, int64_t t, int from, int to)
{
    fs__push(ds, t, from, -1);
    fs__push(ds, t, to, +1);
}

/* A task's states, the way state.c tells them at the playhead: queued from
 * its spawn or a wake until the poll that follows, polling during a poll,
 * waiting between a pending poll and its wake, done from a ready poll. */
static void fs__task_deltas(const fs_trace *tr, const fs_trace_task *task, fs__deltas *ds)
{
    int cur = FS_GROUP_QUEUED;
    fs__push(ds, task->spawn_t, cur, +1);
    size_t j = 0;  /* the task's wakes, in time order: causes only increase */
    for (size_t i = 0; i < task->n_slices; i++) {
        const fs_trace_slice *s = &task->slices[i];
        fs__move(ds, s->t, cur, FS_GROUP_POLLING);
        if (s->ready) {
            fs__move(ds, s->end, FS_GROUP_POLLING, FS_GROUP_DONE);
            cur = FS_GROUP_DONE;
            break;
        }
        const fs_trace_wake *w = NULL;
        while (j < task->n_wakes) {
            const fs_trace_wake *c = &tr->wakes[task->wakes[j]];
            if (c->caused >= 0 && !c->stale && (size_t)c->caused > i) {
                if ((size_t)c->caused == i + 1)
                    w = c;
                break;
            }
            j++;
        }
        if (w && w->t <= s->end) {
            fs__move(ds, s->end, FS_GROUP_POLLING, FS_GROUP_QUEUED);
            cur = FS_GROUP_QUEUED;
        } else {
            fs__move(ds, s->end, FS_GROUP_POLLING, FS_GROUP_WAITING);
            cur = FS_GROUP_WAITING;
            if (w) {
                fs__move(ds, w->t, FS_GROUP_WAITING, FS_GROUP_QUEUED);
                cur = FS_GROUP_QUEUED;
            }
        }
    }
    if (cur != FS_GROUP_DONE && task->complete_t >= 0)  /* completed without a ready poll */
        fs__move(ds, task->complete_t, cur, FS_GROUP_DONE);
}

static void fs__span_deltas(const fs_trace_span *sp, size_t n, int state, fs__deltas *ds)
{
    for (size_t i = 0; i < n; i++) {
        fs__push(ds, sp[i].t, state, +1);
        fs__push(ds, sp[i].end, state, -1);
    }
}

/* Sorts deltas by time: LSD radix, 11 bits a pass, skipping the passes
 * above the largest time. A 100,000-task group has over a million deltas,
 * where qsort took most of the load time; with 2,048 buckets a pass's
 * scattered writes stay within the caches (16 bits, 65,536 buckets, missed
 * the TLB on nearly every write). */
#define FS__RADIX_BITS 11
static bool fs__sort_deltas(fs__deltas *ds)
{
    enum { B = 1 << FS__RADIX_BITS };
    size_t n = ds->n;
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        max |= ds->t[i];
    uint64_t *tt = malloc((n ? n : 1) * sizeof *tt);
    uint8_t *tc = malloc(n ? n : 1);
    size_t *count = malloc(B * sizeof *count);
    if (!tt || !tc || !count) {
        free(tt);
        free(tc);
        free(count);
        return false;
    }
    uint64_t *st = ds->t, *dt = tt;
    uint8_t *sc = ds->code, *dc = tc;
    for (int shift = 0; shift < 64 && (max >> shift) > 0; shift += FS__RADIX_BITS) {
        memset(count, 0, B * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(st[i] >> shift) & (B - 1)]++;
        size_t sum = 0;
        for (size_t d = 0; d < B; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = count[(st[i] >> shift) & (B - 1)]++;
            dt[to] = st[i];
            dc[to] = sc[i];
        }
        uint64_t *xt = st;
        st = dt;
        dt = xt;
        uint8_t *xc = sc;
        sc = dc;
        dc = xc;
    }
    /* keep the sorted pair, free the other */
    ds->t = st;
    ds->code = sc;
    free(dt);
    free(dc);
    free(count);
    return true;
}

static int fs__time_cmp(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;
    return (*a > *b) - (*a < *b);
}

/* The group's step function (tasks, workers) or its event times (devices). */
/* The step function's block peaks (fs_viz_group.peaks); false when out of memory. */
static bool fs__group_peaks(fs_viz_group *g)
{
    size_t nb = (g->n_times + FS_VIZ_GROUP_BLOCK - 1) / FS_VIZ_GROUP_BLOCK;
    g->peaks = malloc((nb ? nb : 1) * sizeof *g->peaks);
    if (!g->peaks)
        return false;
    for (size_t b = 0; b < nb; b++) {
        int32_t p = 0, q = 0;
        size_t end = (b + 1) * FS_VIZ_GROUP_BLOCK < g->n_times ? (b + 1) * FS_VIZ_GROUP_BLOCK : g->n_times;
        for (size_t k = b * FS_VIZ_GROUP_BLOCK; k < end; k++) {
            p = g->counts[k][FS_GROUP_POLLING] > p ? g->counts[k][FS_GROUP_POLLING] : p;
            q = g->counts[k][FS_GROUP_QUEUED] > q ? g->counts[k][FS_GROUP_QUEUED] : q;
        }
        g->peaks[b][0] = p;
        g->peaks[b][1] = q;
    }
    return true;
}

static bool fs__group_steps(const fs_trace *tr, fs_viz_group *g)
{
    if (g->kind == FS_LANE_DEVICE) {
        size_t n = 0;
        for (size_t k = 0; k < g->n; k++)
            n += tr->resources[g->members[k]].n_io;
        g->times = malloc((n ? n : 1) * sizeof *g->times);
        if (!g->times)
            return false;
        for (size_t k = 0; k < g->n; k++) {
            const fs_trace_resource *r = &tr->resources[g->members[k]];
            for (size_t i = 0; i < r->n_io; i++)
                g->times[g->n_times++] = r->io[i].t;
        }
        qsort(g->times, g->n_times, sizeof *g->times, fs__time_cmp);
        return true;
    }
    /* sized up front: a task moves at most 3 times a poll (6 deltas) plus
     * its spawn and completion, a worker twice a span */
    size_t cap = 1;
    for (size_t k = 0; k < g->n; k++) {
        if (g->kind == FS_LANE_TASK) {
            cap += 6 * tr->tasks[g->members[k]].n_slices + 3;
        } else {
            const fs_trace_worker *w = &tr->workers_v[g->members[k]];
            cap += 2 * (w->n_busy + w->n_parks + w->n_preempts);
        }
    }
    fs__deltas ds = {.t = malloc(cap * sizeof(uint64_t)), .code = malloc(cap), .cap = cap};
    ds.oom = !ds.t || !ds.code;
    for (size_t k = 0; k < g->n; k++) {
        if (g->kind == FS_LANE_TASK) {
            fs__task_deltas(tr, &tr->tasks[g->members[k]], &ds);
        } else {
            const fs_trace_worker *w = &tr->workers_v[g->members[k]];
            fs__span_deltas(w->busy, w->n_busy, FS_GROUP_POLLING, &ds);
            fs__span_deltas(w->parks, w->n_parks, FS_GROUP_WAITING, &ds);
            /* a worker's unused "queued" state: preempted (--cpus) */
            fs__span_deltas(w->preempts, w->n_preempts, FS_GROUP_QUEUED, &ds);
        }
    }
    bool ok = !ds.oom && fs__sort_deltas(&ds);
    size_t steps = 0;
    for (size_t i = 0; ok && i < ds.n; i++)
        steps += i == 0 || ds.t[i] != ds.t[i - 1];
    g->times = ok ? malloc((steps ? steps : 1) * sizeof *g->times) : NULL;
    g->counts = ok ? malloc((steps ? steps : 1) * sizeof *g->counts) : NULL;
    ok = g->times && g->counts;
    int32_t now[FS_GROUP_STATES] = {0};
    for (size_t i = 0; ok && i < ds.n; i++) {
        now[ds.code[i] >> 1] += ds.code[i] & 1 ? 1 : -1;
        if (i + 1 == ds.n || ds.t[i + 1] != ds.t[i]) {
            g->times[g->n_times] = (int64_t)ds.t[i];
            memcpy(g->counts[g->n_times], now, sizeof now);
            g->n_times++;
        }
    }
    free(ds.t);
    free(ds.code);
    return ok && fs__group_peaks(g);
}

/* ---- a band's rows ------------------------------------------------------- */

bool fs_viz_groups_build(const fs_trace *tr, int trace, fs_viz_group **groups, size_t *n_groups,
                         fs_viz_row **rows, size_t *n_rows)
{
    size_t lanes = tr->n_tasks + tr->n_resources + (size_t)tr->workers;
    fs_viz_row *r = realloc(*rows, (*n_rows + lanes + tr->n_bthreads + 1) * sizeof *r);
    if (!r)
        return false;
    *rows = r;
    if (lanes <= FS_VIZ_GROUP_MIN_LANES) {  /* small: every lane as it is */
        for (size_t k = 0; k < tr->n_tasks; k++)
            r[(*n_rows)++] = (fs_viz_row){FS_LANE_TASK, false, (int32_t)k};
        for (size_t k = 0; k < tr->n_resources; k++)
            r[(*n_rows)++] = (fs_viz_row){FS_LANE_DEVICE, false, (int32_t)k};
        for (int k = 0; k < tr->workers; k++)
            r[(*n_rows)++] = (fs_viz_row){FS_LANE_WORKER, false, k};
        for (size_t k = 0; k < tr->n_bthreads; k++)
            r[(*n_rows)++] = (fs_viz_row){FS_LANE_BTHREAD, false, (int32_t)k};
        return true;
    }
    bool open = tr->n_tasks <= FS_VIZ_GROUP_COLLAPSE_TASKS;
    size_t most = tr->n_tasks > tr->n_resources ? tr->n_tasks : tr->n_resources;
    if ((size_t)tr->workers > most)
        most = (size_t)tr->workers;
    fs__key *keys = malloc((most ? most : 1) * sizeof *keys);
    if (!keys)
        return false;
    fs__build b = {groups, n_groups, r, n_rows};
    size_t first = *n_groups, room = 1;
    for (size_t k = 0; k < tr->n_tasks; k++)
        room += strlen(fs_trace_str(tr, tr->tasks[k].name)) + 1;
    char *stems = malloc(room), *at = stems;  /* the tasks' path stems, end to end */
    if (!stems) {
        free(keys);
        return false;
    }
    for (size_t k = 0; k < tr->n_tasks; k++) {
        size_t n = fs_viz_path_stem(fs_trace_str(tr, tr->tasks[k].name), at);
        keys[k] = (fs__key){"", at, n, (uint32_t)k};
        at += n + 1;
    }
    bool ok = fs__group_kind(&b, keys, tr->n_tasks, FS_LANE_TASK, trace, open);
    free(stems);
    for (size_t k = 0; ok && k < tr->n_resources; k++) {
        const fs_trace_resource *rs = &tr->resources[k];
        const char *name = fs_trace_str(tr, rs->name), *kind = fs_trace_str(tr, rs->kind);
        keys[k] = (fs__key){*kind ? kind : "device", name, fs_viz_name_stem(name), (uint32_t)k};
    }
    ok = ok && fs__group_kind(&b, keys, tr->n_resources, FS_LANE_DEVICE, trace, open);
    for (int k = 0; ok && k < tr->workers; k++)
        keys[k] = (fs__key){"", "worker", 6, (uint32_t)k};
    ok = ok && fs__group_kind(&b, keys, (size_t)tr->workers, FS_LANE_WORKER, trace, open);
    free(keys);
    /* the blocking pool's threads (at most 512), each a lane of its own */
    for (size_t k = 0; k < tr->n_bthreads; k++)
        r[(*n_rows)++] = (fs_viz_row){FS_LANE_BTHREAD, false, (int32_t)k};
    for (size_t g = first; ok && g < *n_groups; g++)
        ok = fs__group_steps(tr, &(*groups)[g]);
    return ok;
}

void fs_viz_group_clear(fs_viz_group *g)
{
    free(g->members);
    free(g->order);
    if (!g->borrowed) {
        free(g->times);
        free(g->counts);
        free(g->peaks);
    }
    memset(g, 0, sizeof *g);
}

void fs_viz_groups_free(fs_viz_group *groups, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fs_viz_group_clear(&groups[i]);
    free(groups);
}

bool fs_viz_group_all_tasks(const fs_trace *tr, int trace, const fs_viz_group *groups, size_t n,
                            fs_viz_group *g)
{
    memset(g, 0, sizeof *g);
    g->kind = FS_LANE_TASK;
    g->trace = (int16_t)trace;
    snprintf(g->stem, sizeof g->stem, "all tasks");
    g->members = malloc((tr->n_tasks ? tr->n_tasks : 1) * sizeof *g->members);
    if (!g->members) {
        fs_viz_group_clear(g);
        return false;
    }
    for (size_t k = 0; k < tr->n_tasks; k++)
        g->members[g->n++] = (uint32_t)k;
    const fs_viz_group *same = NULL;
    for (size_t i = 0; i < n && !same; i++)
        if (groups[i].trace == trace && groups[i].kind == FS_LANE_TASK && groups[i].n == tr->n_tasks)
            same = &groups[i];
    if (!same) {
        if (fs__group_steps(tr, g))
            return true;
        fs_viz_group_clear(g);
        return false;
    }
    /* the same step function: shared, not copied */
    g->times = same->times;
    g->counts = same->counts;
    g->peaks = same->peaks;
    g->n_times = same->n_times;
    g->borrowed = true;
    return true;
}

/* ---- sampling ------------------------------------------------------------ */

void fs_viz_group_column(const fs_viz_group *g, int64_t ta, int64_t tb, size_t *i,
                         int32_t out[FS_GROUP_STATES])
{
    size_t k = *i;
    if (k == 0 || g->times[k - 1] > ta) {  /* (re)start: the first step after ta */
        size_t lo = 0, hi = g->n_times;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (g->times[mid] <= ta)
                lo = mid + 1;
            else
                hi = mid;
        }
        k = lo;
    }
    while (k < g->n_times && g->times[k] <= ta)
        k++;
    int32_t zero[FS_GROUP_STATES] = {0};
    const int32_t *at = k > 0 ? g->counts[k - 1] : zero;
    memcpy(out, at, sizeof zero);
    /* the steps in [ta, tb): k .. e */
    size_t e = k, hi = g->n_times;
    while (e < hi) {
        size_t mid = e + (hi - e) / 2;
        if (g->times[mid] < tb)
            e = mid + 1;
        else
            hi = mid;
    }
    if (e > k) {  /* the last step's waiting and done; the most polling and queued */
        memcpy(out, g->counts[e - 1], sizeof zero);
        out[FS_GROUP_POLLING] = at[FS_GROUP_POLLING];
        out[FS_GROUP_QUEUED] = at[FS_GROUP_QUEUED];
    }
    while (k < e) {
        if (k % FS_VIZ_GROUP_BLOCK == 0 && k + FS_VIZ_GROUP_BLOCK <= e) {  /* a whole block */
            const int32_t *p = g->peaks[k / FS_VIZ_GROUP_BLOCK];
            out[FS_GROUP_POLLING] = p[0] > out[FS_GROUP_POLLING] ? p[0] : out[FS_GROUP_POLLING];
            out[FS_GROUP_QUEUED] = p[1] > out[FS_GROUP_QUEUED] ? p[1] : out[FS_GROUP_QUEUED];
            k += FS_VIZ_GROUP_BLOCK;
            continue;
        }
        const int32_t *c = g->counts[k++];
        out[FS_GROUP_POLLING] = c[FS_GROUP_POLLING] > out[FS_GROUP_POLLING] ? c[FS_GROUP_POLLING] : out[FS_GROUP_POLLING];
        out[FS_GROUP_QUEUED] = c[FS_GROUP_QUEUED] > out[FS_GROUP_QUEUED] ? c[FS_GROUP_QUEUED] : out[FS_GROUP_QUEUED];
    }
    *i = k;
}

size_t fs_viz_group_events(const fs_viz_group *g, int64_t ta, int64_t tb)
{
    size_t lo = 0, hi = g->n_times;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->times[mid] < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t a = lo;
    hi = g->n_times;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->times[mid] < tb)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - a;
}

/* ---- which lane shows a member ------------------------------------------ */

size_t fs_viz_first_lane_at(const fs_viz_viewer *v, size_t from, size_t to, int y)
{
    while (from < to) {
        size_t mid = from + (to - from) / 2;
        if (v->lanes[mid].y + v->lanes[mid].h < y)
            from = mid + 1;
        else
            to = mid;
    }
    return from;
}

const fs_viz_lane *fs_viz_viewer_task_lane(const fs_viz_viewer *v, int trace, uint32_t task)
{
    return &v->lanes[v->bands[trace].task_lane[task]];
}

const fs_viz_lane *fs_viz_viewer_res_lane(const fs_viz_viewer *v, int trace, uint32_t res)
{
    return &v->lanes[v->bands[trace].res_lane[res]];
}

/* ---- drawing ------------------------------------------------------------- */

/* The colours of a group's states, bottom to top of its graph. */
static const int fs__stack[FS_GROUP_STATES] = {FS_GROUP_DONE, FS_GROUP_WAITING, FS_GROUP_QUEUED,
                                               FS_GROUP_POLLING};

static fs_viz_color fs__state_color(const fs_viz_theme *th, uint8_t kind, int s)
{
    if (kind == FS_LANE_WORKER)
        return s == FS_GROUP_POLLING ? th->worker_busy : s == FS_GROUP_QUEUED ? th->warn : th->parked_stripe;
    switch (s) {
    case FS_GROUP_POLLING: return th->ready;
    case FS_GROUP_QUEUED: return th->pending;
    case FS_GROUP_WAITING: return th->folded;
    default: return th->io;
    }
}

static const char *fs__state_name(uint8_t kind, int s)
{
    static const char *task[] = {"polling", "queued", "waiting", "done"};
    static const char *worker[] = {"busy", "preempted", "parked", ""};
    return kind == FS_LANE_WORKER ? worker[s] : task[s];
}

typedef struct fs__run {
    int x, w;
    int h[FS_GROUP_STATES];
    bool past;
} fs__run;

static void fs__flush(fs_viz_viewer *v, const fs_viz_group *g, const fs__run *r, int bottom)
{
    const fs_viz_theme *th = &v->theme;
    int y = bottom;
    for (int k = 0; k < FS_GROUP_STATES; k++) {
        int s = fs__stack[k];
        if (r->h[s] <= 0)
            continue;
        y -= r->h[s];
        fs_viz_color col = fs__state_color(th, g->kind, s);
        if (!r->past)
            col = fs_viz_fade(th, col, th->future_fade);
        fs_viz_rect(&v->dl, r->x, y, r->w, r->h[s], col);
    }
}

/* Its members' states at the playhead, one line: "2 polling  0 queued ..." */
static void fs__group_now(fs_viz_viewer *v, const fs_viz_group *g, int x, int y, int right)
{
    const fs_viz_theme *th = &v->theme;
    int64_t t = fs_viz_ns(round(v->view.playhead));
    size_t cur = 0;
    int32_t n[FS_GROUP_STATES];
    fs_viz_group_column(g, t, t + 1, &cur, n);
    for (int s = 0; s < FS_GROUP_STATES; s++) {
        const char *name = fs__state_name(g->kind, s);
        if (!*name || (g->kind == FS_LANE_WORKER && s == FS_GROUP_QUEUED && !n[s]))
            continue; /* preempted workers: only with --cpus, when some are */
        char buf[64], num[32];
        snprintf(buf, sizeof buf, "%s %s", fs_format_count(n[s], num, sizeof num), name);
        int w = (fs_viz_text_cols(buf, strlen(buf)) + 3) * th->char_w;
        if (x + w > right)
            return;
        fs_viz_rect(&v->dl, x, y + 4, th->char_w, th->line_h - 8, fs__state_color(th, g->kind, s));
        fs_viz_text(&v->dl, x + th->char_w + 4, y, th->text_dim, th->char_w, buf);
        x += w;
    }
}

void fs_viz_draw_group_lane(fs_viz_viewer *v, const fs_viz_lane *ln)
{
    const fs_viz_theme *th = &v->theme;
    const fs_viz_group *g = &v->groups[ln->index];
    fs_viz_box tl = fs_viz_view_timeline(&v->view, th);
    int top = ln->y + th->line_h + 2, bottom = ln->y + ln->h - 3, gh = bottom - top;
    double phx = fs_viz_view_x(&v->view, th, v->view.playhead);
    if (g->kind == FS_LANE_DEVICE) {
        int last = -1000;
        for (int x = tl.x; x < tl.x + tl.w; x++) {
            int64_t ta = fs_viz_ns(fs_viz_view_t(&v->view, th, x)), tb = fs_viz_ns(fs_viz_view_t(&v->view, th, x + 1));
            if (x < last + 2 || fs_viz_group_events(g, ta, tb) == 0)
                continue;
            fs_viz_color col = x <= phx ? th->io : fs_viz_fade(th, th->io, th->future_fade);
            fs_viz_rect(&v->dl, x, top, 2, gh, col);
            last = x;
        }
        fs_viz_text(&v->dl, tl.x + 4, ln->y + 1, th->text_dim, th->char_w, "device events of the group");
        return;
    }
    /* the graph's ground, which hover asks about (fs_viz_describe_group) */
    fs_viz_cmd *ground = fs_viz_rect(&v->dl, tl.x, top, tl.w, gh, th->queue_bg);
    ground->hit = FS_HIT_GROUP;
    ground->trace = g->trace;
    ground->lane = ln->index;
    fs__run run = {.x = tl.x, .w = 0};
    size_t cur = 0;
    for (int x = tl.x; x < tl.x + tl.w; x++) {
        int64_t ta = fs_viz_ns(fs_viz_view_t(&v->view, th, x)), tb = fs_viz_ns(fs_viz_view_t(&v->view, th, x + 1));
        int32_t n[FS_GROUP_STATES];
        fs_viz_group_column(g, ta, tb > ta ? tb : ta + 1, &cur, n);
        fs__run col = {.x = x, .w = 1, .past = x < phx};
        int used = 0;
        for (int k = 0; k < FS_GROUP_STATES; k++) {
            int s = fs__stack[k];
            int h = n[s] > 0 ? (int)((int64_t)n[s] * gh / (int64_t)g->n) : 0;
            if (n[s] > 0 && h < 1)
                h = 1;  /* one member stays visible among thousands */
            if (h > gh - used)
                h = gh - used;
            col.h[s] = h;
            used += h;
        }
        if (run.w > 0 && run.past == col.past && memcmp(run.h, col.h, sizeof run.h) == 0) {
            run.w++;
            continue;
        }
        if (run.w > 0)
            fs__flush(v, g, &run, bottom);
        run = col;
    }
    if (run.w > 0)
        fs__flush(v, g, &run, bottom);
    fs_viz_rect(&v->dl, tl.x, ln->y, tl.w, th->line_h + 1, th->bg);
    fs__group_now(v, g, tl.x + 4, ln->y + 1, tl.x + tl.w);
}

int fs_viz_describe_group(const fs_viz_viewer *v, int group, int x, char lines[][160], int max)
{
    const fs_viz_group *g = &v->groups[group];
    if (max < 3)
        return 0;
    const fs_viz_theme *th = &v->theme;
    int64_t ta = fs_viz_ns(fs_viz_view_t(&v->view, th, x)), tb = fs_viz_ns(fs_viz_view_t(&v->view, th, x + 1));
    if (ta < 0)
        ta = 0;
    if (tb <= ta)
        tb = ta + 1;
    size_t cur = 0;
    int32_t n[FS_GROUP_STATES];
    fs_viz_group_column(g, ta, tb, &cur, n);
    char a[32], cnt[32];
    snprintf(lines[0], 160, "%s \xC3\x97%s at %s:", g->stem, fs_format_count((int64_t)g->n, cnt, sizeof cnt),
             fs_format_ns(ta, a, sizeof a));
    size_t o = 0;
    lines[1][0] = '\0';
    for (int s = 0; s < FS_GROUP_STATES; s++) {
        const char *name = fs__state_name(g->kind, s);
        if (*name && !(g->kind == FS_LANE_WORKER && s == FS_GROUP_QUEUED && !n[s]))
            o += (size_t)snprintf(lines[1] + o, 160 - o, "%s%s %s", o ? ", " : "",
                                  fs_format_count(n[s], cnt, sizeof cnt), name);
    }
    snprintf(lines[2], 160, "(%s: the most at once in this pixel; click: %s)",
             g->kind == FS_LANE_WORKER ? "busy" : "polling and queued", g->open ? "collapse" : "expand");
    return 3;
}

void fs_viz_draw_group_label(fs_viz_viewer *v, const fs_viz_lane *ln, int right)
{
    const fs_viz_theme *th = &v->theme;
    const fs_viz_group *g = &v->groups[ln->index];
    char buf[128], n[32];
    fs_format_count((int64_t)g->n, n, sizeof n);
    snprintf(buf, sizeof buf, "%s %s \xC3\x97%s", g->open ? "\xE2\x96\xBE" : "\xE2\x96\xB8", g->stem, n);
    int cols = fs_viz_text_cols(buf, strlen(buf)), fit = (right - 8) / th->char_w;
    if (cols > fit && fit > 4) {  /* cut the stem, keep the count */
        char cnt[48];
        snprintf(cnt, sizeof cnt, " \xC3\x97%s", n);
        int keep = fit - fs_viz_text_cols(cnt, strlen(cnt)) - 3;
        snprintf(buf, sizeof buf, "%s %.*s~%s", g->open ? "\xE2\x96\xBE" : "\xE2\x96\xB8",
                 keep > 0 ? keep : 0, g->stem, cnt);
    }
    fs_viz_text(&v->dl, 6, ln->y + 1, th->text, th->char_w, buf);
    fs_viz_text(&v->dl, 6 + 2 * th->char_w, ln->y + 1 + th->line_h, th->text_dim, th->char_w,
                g->open ? "click: collapse" : "click: expand");
}
