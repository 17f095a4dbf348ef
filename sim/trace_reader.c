/* trace_reader.c - JSONL trace -> fs_trace (see the header).
 *
 * Three parts: the string pool, the line decoder (the only code that knows
 * JSON: one cJSON parse per line into an fs__rec), and the model builder
 * (records -> per-lane arrays, finished by fs__finish: running sums, merged
 * worker spans, wake -> poll links). */
#include "trace_reader.h"
#include "trace_rec.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable arrays ----------------------------------------------------- */

static bool fs__grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Appends one element; arrays keep their capacity just after them. */
#define FS__PUSH(arr, n, cap, val)                                               \
    (fs__grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)) ? ((arr)[(n)++] = (val), true) \
                                                               : false)

/* ---- string pool --------------------------------------------------------- */

/* Interning keeps a million-line trace of the same await points small. */
typedef struct fs__intern {
    uint32_t *slots;   /* offset + 1, 0 = empty */
    size_t cap, used;
} fs__intern;

static uint64_t fs__hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool fs__pool_add(fs_trace *tr, const char *s, uint32_t *out)
{
    size_t len = strlen(s) + 1;
    size_t cap = tr->pool_cap;
    if (tr->pool_len + len > UINT32_MAX)
        return false;
    if (!fs__grow((void **)&tr->pool, &cap, tr->pool_len + len, 1))
        return false;
    tr->pool_cap = cap;
    memcpy(tr->pool + tr->pool_len, s, len);
    *out = (uint32_t)tr->pool_len;
    tr->pool_len += len;
    return true;
}

static bool fs__rehash(fs_trace *tr)
{
    fs__intern *in = tr->intern;
    size_t cap = in->cap ? in->cap * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i])
            continue;
        size_t j = fs__hash(tr->pool + in->slots[i] - 1) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = in->slots[i];
    }
    free(in->slots);
    in->slots = slots;
    in->cap = cap;
    return true;
}

static bool fs__intern_str(fs_trace *tr, const char *s, uint32_t *out)
{
    if (!s || !*s) {
        *out = 0;
        return true;
    }
    fs__intern *in = tr->intern;
    if ((in->used + 1) * 2 > in->cap && !fs__rehash(tr))
        return false;
    size_t j = fs__hash(s) & (in->cap - 1);
    while (in->slots[j]) {
        if (strcmp(tr->pool + in->slots[j] - 1, s) == 0) {
            *out = in->slots[j] - 1;
            return true;
        }
        j = (j + 1) & (in->cap - 1);
    }
    if (!fs__pool_add(tr, s, out))
        return false;
    in->slots[j] = *out + 1;
    in->used++;
    return true;
}

/* ---- records ------------------------------------------------------------- */

typedef struct fs__reader {
    fs_trace *tr;
    fs_error *err;
    const char *name;
    size_t line;
    bool header_seen, summary_seen;
    int64_t last_t;
    /* per task: capacities of its arrays, and whether it was woken or
     * spawned since its previous poll (for `wasted`) */
    struct fs__task_aux {
        size_t slices, wakes, regs;
        bool fresh;
    } *aux;
    size_t cap_aux;
    /* capacities of the model's arrays */
    size_t cap_tasks, cap_res, cap_wakes, cap_times, cap_stalled;
    size_t *cap_io, *cap_parks;
    size_t cap_cap_res;
    int64_t *park_open;  /* per worker: t of an open park, or -1 */
    char *scratch;       /* the fast decoder's strings */
    size_t cap_scratch;
    /* resource by name: open addressing on the interned name's offset;
     * entries are (offset + 1) << 32 | index, 0 = empty */
    uint64_t *res_map;
    size_t res_map_cap;
} fs__reader;

__attribute__((format(printf, 2, 3))) static fs_errcode fs__fail(fs__reader *r, const char *fmt, ...)
{
    va_list ap;
    r->err->code = FS_ERR_INPUT;
    snprintf(r->err->file, sizeof r->err->file, "%s", r->name);
    r->err->line = (int)r->line;
    r->err->col = 0;
    r->err->path[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
    va_end(ap);
    return FS_ERR_INPUT;
}

static fs_errcode fs__nomem(fs__reader *r)
{
    fs__fail(r, "out of memory");
    r->err->code = FS_ERR_NOMEM;
    return FS_ERR_NOMEM;
}

/* ---- the line decoder (cJSON) -------------------------------------------- */

#define FS__MAX_I 4611686018427387904.0 /* 2^62: sums of times stay in range */
#define FS__MAX_SPIN 1000000000000LL /* polls in one spin: the CLI's --max-polls cap */

static fs_errcode fs__int(fs__reader *r, const cJSON *o, const char *key, bool required,
                          int64_t lo, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || (!required && cJSON_IsNull(v))) {
        if (required)
            return fs__fail(r, "expected \"%s\" (an integer) in this %s line", key,
                            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type")));
        return FS_ERR_OK;
    }
    double d = v->valuedouble;
    if (!cJSON_IsNumber(v) || d != floor(d) || d < (double)lo || d > FS__MAX_I)
        return fs__fail(r, "expected \"%s\" to be an integer >= %lld", key, (long long)lo);
    *out = (int64_t)d;
    return FS_ERR_OK;
}

static fs_errcode fs__str(fs__reader *r, const cJSON *o, const char *key, bool required,
                          const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return fs__fail(r, "expected \"%s\" (a string)", key);
        return FS_ERR_OK;
    }
    if (!cJSON_IsString(v))
        return fs__fail(r, "expected \"%s\" to be a string", key);
    *out = v->valuestring;
    return FS_ERR_OK;
}

#define FS__TRY(x)                    \
    do {                              \
        fs_errcode rc__ = (x);        \
        if (rc__ != FS_ERR_OK)        \
            return rc__;              \
    } while (0)

static fs_errcode fs__resource(fs__reader *r, const char *name, const char *kind, int32_t *out);

static fs_errcode fs__decode_header(fs__reader *r, const cJSON *o)
{
    fs_trace *tr = r->tr;
    const char *format = NULL, *s;
    if (!cJSON_IsObject(o) || fs__str(r, o, "format", false, &format) != FS_ERR_OK ||
        !format || strcmp(format, "futurescope-trace") != 0)
        return fs__fail(r, "not a futurescope trace (expected a header line with "
                           "\"format\":\"futurescope-trace\")");
    int64_t version = 0;
    FS__TRY(fs__int(r, o, "version", true, 0, &version));
    if (version != FS_TRACE_READ_MAJOR)
        return fs__fail(r, "trace format version %lld is not supported (this futurescope "
                           "reads version %d)", (long long)version, FS_TRACE_READ_MAJOR);
    int64_t workers = 1, seed = 0, cost = 1000;
    FS__TRY(fs__int(r, o, "workers", false, 1, &workers));
    FS__TRY(fs__int(r, o, "seed", false, 0, &seed));
    FS__TRY(fs__int(r, o, "poll_cost_ns", false, 0, &cost));
    if (workers > 1024)
        return fs__fail(r, "expected \"workers\" to be at most 1024");
    tr->workers = (int)workers;
    tr->seed = (uint64_t)seed;
    tr->poll_cost_ns = cost;
    FS__TRY(fs__str(r, o, "scenario", false, &s));
    if (!fs__intern_str(tr, s, &tr->scenario))
        return fs__nomem(r);
    FS__TRY(fs__str(r, o, "executor", false, &s));
    if (!fs__intern_str(tr, s, &tr->executor))
        return fs__nomem(r);
    FS__TRY(fs__str(r, o, "queue", false, &s));
    if (!fs__intern_str(tr, s, &tr->queue))
        return fs__nomem(r);
    tr->workers_v = calloc((size_t)workers, sizeof *tr->workers_v);
    r->cap_parks = calloc((size_t)workers, sizeof *r->cap_parks);
    r->park_open = malloc((size_t)workers * sizeof *r->park_open);
    if (!tr->workers_v || !r->cap_parks || !r->park_open)
        return fs__nomem(r);
    for (int64_t i = 0; i < workers; i++)
        r->park_open[i] = -1;
    /* The scenario's resources with their kinds, in file order (optional). */
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "resources"), *it;
    if (res && !cJSON_IsArray(res))
        return fs__fail(r, "expected \"resources\" in the header to be an array");
    cJSON_ArrayForEach(it, res) {
        const char *rname, *rtype;
        int32_t idx;
        FS__TRY(fs__str(r, it, "name", true, &rname));
        FS__TRY(fs__str(r, it, "type", false, &rtype));
        FS__TRY(fs__resource(r, rname, rtype, &idx));
    }
    return FS_ERR_OK;
}

static fs_errcode fs__decode_summary(fs__reader *r, const cJSON *o)
{
    fs_trace_summary *s = &r->tr->summary;
    FS__TRY(fs__int(r, o, "end_ns", true, 0, &s->end_ns));
    FS__TRY(fs__int(r, o, "tasks_total", false, 0, &s->tasks_total));
    FS__TRY(fs__int(r, o, "completed", false, 0, &s->completed));
    FS__TRY(fs__int(r, o, "polls", false, 0, &s->polls));
    FS__TRY(fs__int(r, o, "pending_polls", false, 0, &s->pending_polls));
    FS__TRY(fs__int(r, o, "ready_polls", false, 0, &s->ready_polls));
    FS__TRY(fs__int(r, o, "wasted_polls", false, 0, &s->wasted_polls));
    FS__TRY(fs__int(r, o, "wakes", false, 0, &s->wakes));
    FS__TRY(fs__int(r, o, "busy_ns", false, 0, &s->busy_ns));
    FS__TRY(fs__int(r, o, "idle_ns", false, 0, &s->idle_ns));
    FS__TRY(fs__int(r, o, "max_wake_latency_ns", false, 0, &s->max_wake_latency_ns));
    s->stalled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "stalled"));
    s->time_limit_hit = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "time_limit_hit"));
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "cpu_busy");
    s->cpu_busy = cJSON_IsNumber(c) ? c->valuedouble : 0.0;
    return FS_ERR_OK;
}

static fs_errcode fs__decode_stall(fs__reader *r, const cJSON *o)
{
    fs_trace *tr = r->tr;
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(o, "tasks");
    if (!cJSON_IsArray(tasks))
        return fs__fail(r, "expected \"tasks\" (an array) in the stall line");
    const cJSON *it;
    cJSON_ArrayForEach(it, tasks) {
        fs_trace_stalled st = {0};
        int64_t task = 0;
        const char *a, *w, *why;
        if (!cJSON_IsObject(it))
            return fs__fail(r, "expected objects in the stall's \"tasks\"");
        FS__TRY(fs__int(r, it, "task", true, 0, &task));
        if ((size_t)task >= tr->n_tasks)
            return fs__fail(r, "the stall names task %lld, which was never spawned", (long long)task);
        FS__TRY(fs__str(r, it, "awaiting", false, &a));
        FS__TRY(fs__str(r, it, "waker", false, &w));
        FS__TRY(fs__str(r, it, "reason", false, &why));
        st.task = (uint32_t)task;
        if (!fs__intern_str(tr, a, &st.awaiting) || !fs__intern_str(tr, w, &st.waker) ||
            !fs__intern_str(tr, why, &st.reason) ||
            !FS__PUSH(tr->stalled, tr->n_stalled, r->cap_stalled, st))
            return fs__nomem(r);
    }
    return FS_ERR_OK;
}

static const struct {
    const char *name;
    fs__rtype type;
} fs__types[] = {
    {"spawn", FS__R_SPAWN}, {"poll", FS__R_POLL}, {"spin", FS__R_SPIN},
    {"register", FS__R_REGISTER}, {"wake", FS__R_WAKE}, {"io", FS__R_IO},
    {"park", FS__R_PARK}, {"unpark", FS__R_UNPARK}, {"cancel", FS__R_CANCEL},
    {"complete", FS__R_COMPLETE}, {"stall", FS__R_STALL}, {"summary", FS__R_SUMMARY},
};

/* Fills rec from one event object; header and summary are handled by the caller. */
static fs_errcode fs__decode_event(fs__reader *r, const cJSON *o, fs__rec *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->parent = -1;
    const char *type;
    FS__TRY(fs__str(r, o, "type", true, &type));
    rec->type = FS__R_OTHER;
    for (size_t i = 0; i < sizeof fs__types / sizeof fs__types[0]; i++)
        if (strcmp(type, fs__types[i].name) == 0)
            rec->type = fs__types[i].type;
    if (rec->type == FS__R_SUMMARY)
        return FS_ERR_OK;
    FS__TRY(fs__int(r, o, "t", true, 0, &rec->t));
    switch (rec->type) {
    case FS__R_SPAWN:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__str(r, o, "name", false, &rec->name));
        FS__TRY(fs__int(r, o, "parent", false, 0, &rec->parent));
        break;
    case FS__R_SPIN:
        FS__TRY(fs__int(r, o, "count", true, 1, &rec->count));
        FS__TRY(fs__int(r, o, "end", true, rec->t, &rec->end));
        FS__TRY(fs__int(r, o, "dur", true, 0, &rec->dur));
        /* count polls of dur each, one after another, fit in [t, end]; this
         * also keeps count * dur (summed into busy_ns) from overflowing */
        if (rec->count > FS__MAX_SPIN || (rec->dur && rec->count > (rec->end - rec->t) / rec->dur))
            return fs__fail(r, "a spin of %lld polls of %lld ns does not fit between \"t\" and \"end\"",
                            (long long)rec->count, (long long)rec->dur);
        /* fall through */
    case FS__R_POLL: {
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__int(r, o, "worker", false, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "dur", true, 0, &rec->dur));
        FS__TRY(fs__str(r, o, "state", false, &rec->state));
        if (rec->type == FS__R_POLL) {
            const char *res;
            FS__TRY(fs__str(r, o, "result", true, &res));
            if (strcmp(res, "ready") != 0 && strcmp(res, "pending") != 0)
                return fs__fail(r, "expected \"result\" to be \"pending\" or \"ready\", got \"%.40s\"", res);
            rec->ready = res[0] == 'r';
            rec->count = 1;
            if (rec->dur > (int64_t)FS__MAX_I - rec->t)   /* t + dur must not overflow */
                return fs__fail(r, "expected \"t\" + \"dur\" to be at most 2^62 ns");
            rec->end = rec->t + rec->dur;
            FS__TRY(fs__int(r, o, "value", false, INT64_MIN, &rec->value));
        }
        break;
    }
    case FS__R_REGISTER:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__str(r, o, "resource", true, &rec->name));
        break;
    case FS__R_WAKE:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__str(r, o, "source", true, &rec->name));
        rec->stale = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "stale"));
        break;
    case FS__R_IO: {
        FS__TRY(fs__str(r, o, "resource", true, &rec->name));
        FS__TRY(fs__str(r, o, "what", false, &rec->what));
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
        if (v) {
            FS__TRY(fs__int(r, o, "value", false, INT64_MIN, &rec->value));
            rec->has_value = true;
        }
        break;
    }
    case FS__R_PARK:
    case FS__R_UNPARK:
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        break;
    case FS__R_CANCEL:
    case FS__R_COMPLETE:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        break;
    default:
        break;
    }
    return FS_ERR_OK;
}

/* ---- the model builder ----------------------------------------------------- */

static fs_errcode fs__task(fs__reader *r, int64_t id, fs_trace_task **out)
{
    if (id < 0 || (size_t)id >= r->tr->n_tasks)
        return fs__fail(r, "task %lld was never spawned", (long long)id);
    *out = &r->tr->tasks[id];
    return FS_ERR_OK;
}

static fs_errcode fs__worker(fs__reader *r, int64_t w)
{
    if (w < 0 || w >= r->tr->workers)
        return fs__fail(r, "worker %lld is out of range (the header says %d workers)",
                        (long long)w, r->tr->workers);
    return FS_ERR_OK;
}

/* The resource named `name` (created on first sight). kind may be NULL. */
static fs_errcode fs__resource(fs__reader *r, const char *name, const char *kind, int32_t *out)
{
    fs_trace *tr = r->tr;
    uint32_t off;
    if (!fs__intern_str(tr, name, &off))
        return fs__nomem(r);
    /* Interned names are equal exactly when their offsets are: hash those. */
    if (r->res_map_cap < 2 * (tr->n_resources + 1)) {
        size_t cap = r->res_map_cap ? r->res_map_cap * 2 : 64;
        uint64_t *map = calloc(cap, sizeof *map);
        if (!map)
            return fs__nomem(r);
        for (size_t i = 0; i < tr->n_resources; i++) {
            size_t j = (tr->resources[i].name * 2654435761u) & (cap - 1);
            while (map[j])
                j = (j + 1) & (cap - 1);
            map[j] = ((uint64_t)tr->resources[i].name + 1) << 32 | i;
        }
        free(r->res_map);
        r->res_map = map;
        r->res_map_cap = cap;
    }
    size_t j = (off * 2654435761u) & (r->res_map_cap - 1);
    for (; r->res_map[j]; j = (j + 1) & (r->res_map_cap - 1)) {
        if ((r->res_map[j] >> 32) != (uint64_t)off + 1)
            continue;
        size_t i = (uint32_t)r->res_map[j];
        if (kind && !tr->resources[i].kind && !fs__intern_str(tr, kind, &tr->resources[i].kind))
            return fs__nomem(r);
        *out = (int32_t)i;
        return FS_ERR_OK;
    }
    fs_trace_resource res = {.name = off};
    if (kind && !fs__intern_str(tr, kind, &res.kind))
        return fs__nomem(r);
    size_t n = tr->n_resources;
    if (!FS__PUSH(tr->resources, tr->n_resources, r->cap_res, res) ||
        !fs__grow((void **)&r->cap_io, &r->cap_cap_res, n + 1, sizeof *r->cap_io))
        return fs__nomem(r);
    r->cap_io[n] = 0;
    r->res_map[j] = ((uint64_t)off + 1) << 32 | n;
    *out = (int32_t)n;
    return FS_ERR_OK;
}

static fs_errcode fs__add_slice(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    fs_trace_task *task = NULL;
    FS__TRY(fs__task(r, rec->task, &task));
    FS__TRY(fs__worker(r, rec->worker));
    size_t id = (size_t)rec->task;
    fs_trace_slice s = {.t = rec->t, .end = rec->end, .dur = rec->dur, .count = rec->count,
                        .value = rec->value, .worker = (int32_t)rec->worker, .ready = rec->ready};
    if (task->n_slices && rec->t < task->slices[task->n_slices - 1].end)
        return fs__fail(r, "task %zu is polled at %lld ns while its previous poll runs until %lld ns",
                        id, (long long)rec->t, (long long)task->slices[task->n_slices - 1].end);
    if (rec->type == FS__R_SPIN) {
        s.kind = FS_SLICE_SPIN;
        s.wasted = rec->count;
    } else {
        s.kind = rec->dur > tr->poll_cost_ns ? FS_SLICE_COMPUTE
                 : rec->ready                ? FS_SLICE_READY
                                             : FS_SLICE_PENDING;
        s.wasted = !rec->ready && !r->aux[id].fresh && task->n_slices > 0;
    }
    r->aux[id].fresh = false;
    if (!fs__intern_str(tr, rec->state, &s.state) ||
        !FS__PUSH(task->slices, task->n_slices, r->aux[id].slices, s))
        return fs__nomem(r);
    return FS_ERR_OK;
}

static fs_errcode fs__spawn(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    if ((size_t)rec->task != tr->n_tasks)
        return fs__fail(r, "spawn of task %lld, expected task %zu (ids count up from 0)",
                        (long long)rec->task, tr->n_tasks);
    if (rec->parent >= (int64_t)tr->n_tasks)
        return fs__fail(r, "parent %lld was never spawned", (long long)rec->parent);
    fs_trace_task t = {.parent = rec->parent, .spawn_t = rec->t, .complete_t = -1, .cancel_t = -1};
    if (!fs__intern_str(tr, rec->name, &t.name))
        return fs__nomem(r);
    size_t n = tr->n_tasks;
    if (!FS__PUSH(tr->tasks, tr->n_tasks, r->cap_tasks, t) ||
        !fs__grow((void **)&r->aux, &r->cap_aux, n + 1, sizeof *r->aux))
        return fs__nomem(r);
    r->aux[n] = (struct fs__task_aux){.fresh = true};
    return FS_ERR_OK;
}

/* "socket:a" -> kind "socket", resource "a"; "timer" -> resource "timer". */
static fs_errcode fs__wake(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    fs_trace_task *task = NULL;
    FS__TRY(fs__task(r, rec->task, &task));
    /* The poll a wake leads to is the task's next poll line in the file: a
     * wake made during a poll carries that poll's start time, so times alone
     * would link it to the poll that made it. */
    fs_trace_wake w = {.t = rec->t, .task = (uint32_t)rec->task, .src_task = -1, .src_res = -1,
                       .caused = (int32_t)task->n_slices, .stale = rec->stale,
                       .line = (uint32_t)r->line};
    const char *src = rec->name;
    const char *colon = strchr(src, ':');
    if (strncmp(src, "task:", 5) == 0) {
        char *end;
        long long id = strtoll(src + 5, &end, 10);
        if (*end || id < 0 || (size_t)id >= tr->n_tasks)
            return fs__fail(r, "wake source \"%.40s\" names no spawned task", src);
        w.src_task = (int32_t)id;
    } else if (strcmp(src, "self") == 0) {
        w.src_task = (int32_t)rec->task;
    } else if (colon) {
        char kind[64];
        snprintf(kind, sizeof kind, "%.*s", (int)(colon - src < 63 ? colon - src : 63), src);
        FS__TRY(fs__resource(r, colon + 1, kind, &w.src_res));
    } else {
        FS__TRY(fs__resource(r, src, src, &w.src_res));
    }
    if (!fs__intern_str(tr, src, &w.source))
        return fs__nomem(r);
    uint32_t idx = (uint32_t)tr->n_wakes;
    if (!FS__PUSH(tr->wakes, tr->n_wakes, r->cap_wakes, w) ||
        !FS__PUSH(task->wakes, task->n_wakes, r->aux[rec->task].wakes, idx))
        return fs__nomem(r);
    r->aux[rec->task].fresh = true;
    return FS_ERR_OK;
}

static fs_errcode fs__add(fs__reader *r, const fs__rec *rec)
{
    fs_trace *tr = r->tr;
    if (rec->t < r->last_t)
        return fs__fail(r, "time goes backwards: t=%lld ns after t=%lld ns",
                        (long long)rec->t, (long long)r->last_t);
    r->last_t = rec->t;
    if ((!tr->n_times || tr->times[tr->n_times - 1] != rec->t) &&
        !FS__PUSH(tr->times, tr->n_times, r->cap_times, rec->t))
        return fs__nomem(r);
    fs_trace_task *task = NULL;
    int32_t res;
    switch (rec->type) {
    case FS__R_SPAWN:
        return fs__spawn(r, rec);
    case FS__R_POLL:
    case FS__R_SPIN:
        return fs__add_slice(r, rec);
    case FS__R_REGISTER: {
        FS__TRY(fs__task(r, rec->task, &task));
        FS__TRY(fs__resource(r, rec->name, NULL, &res));
        fs_trace_register reg = {.t = rec->t, .res = res, .line = (uint32_t)r->line};
        if (!FS__PUSH(task->regs, task->n_regs, r->aux[rec->task].regs, reg))
            return fs__nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_WAKE:
        return fs__wake(r, rec);
    case FS__R_IO: {
        FS__TRY(fs__resource(r, rec->name, NULL, &res));
        fs_trace_resource *rs = &tr->resources[res];
        fs_trace_io io = {.t = rec->t, .has_value = rec->has_value, .value = rec->value};
        if (!fs__intern_str(tr, rec->what, &io.what) ||
            !FS__PUSH(rs->io, rs->n_io, r->cap_io[res], io))
            return fs__nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_PARK:
        FS__TRY(fs__worker(r, rec->worker));
        if (r->park_open[rec->worker] < 0)
            r->park_open[rec->worker] = rec->t;
        return FS_ERR_OK;
    case FS__R_UNPARK: {
        FS__TRY(fs__worker(r, rec->worker));
        fs_trace_worker *w = &tr->workers_v[rec->worker];
        fs_trace_span sp = {.t = r->park_open[rec->worker], .end = rec->t};
        r->park_open[rec->worker] = -1;
        if (sp.t >= 0 && !FS__PUSH(w->parks, w->n_parks, r->cap_parks[rec->worker], sp))
            return fs__nomem(r);
        return FS_ERR_OK;
    }
    case FS__R_CANCEL:
        FS__TRY(fs__task(r, rec->task, &task));
        if (task->cancel_t < 0)
            task->cancel_t = rec->t;
        return FS_ERR_OK;
    case FS__R_COMPLETE:
        FS__TRY(fs__task(r, rec->task, &task));
        task->complete_t = rec->t;
        return FS_ERR_OK;
    case FS__R_STALL:
        tr->has_stall = true;
        tr->stall_t = rec->t;
        return FS_ERR_OK;
    default:
        return FS_ERR_OK;
    }
}

/* Merges a worker's poll spans into busy runs; slices come from every task,
 * so they are gathered and sorted first. */
static int fs__span_cmp(const void *a, const void *b)
{
    const fs_trace_span *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

static bool fs__finish_workers(fs_trace *tr)
{
    for (int w = 0; w < tr->workers; w++) {
        fs_trace_worker *wk = &tr->workers_v[w];
        size_t n = 0;
        for (size_t i = 0; i < tr->n_tasks; i++)
            for (size_t j = 0; j < tr->tasks[i].n_slices; j++)
                n += tr->tasks[i].slices[j].worker == w;
        if (!n)
            continue;
        fs_trace_span *sp = malloc(n * sizeof *sp);
        if (!sp)
            return false;
        n = 0;
        for (size_t i = 0; i < tr->n_tasks; i++)
            for (size_t j = 0; j < tr->tasks[i].n_slices; j++)
                if (tr->tasks[i].slices[j].worker == w)
                    sp[n++] = (fs_trace_span){tr->tasks[i].slices[j].t, tr->tasks[i].slices[j].end};
        qsort(sp, n, sizeof *sp, fs__span_cmp);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (m && sp[i].t <= sp[m - 1].end) {
                if (sp[i].end > sp[m - 1].end)
                    sp[m - 1].end = sp[i].end;
            } else {
                sp[m++] = sp[i];
            }
        }
        wk->busy = sp;
        wk->n_busy = m;
    }
    return true;
}

static fs_errcode fs__finish(fs__reader *r)
{
    fs_trace *tr = r->tr;
    for (int w = 0; w < tr->workers; w++) {
        if (r->park_open[w] >= 0) {
            fs_trace_worker *wk = &tr->workers_v[w];
            fs_trace_span sp = {r->park_open[w], tr->summary.end_ns};
            if (sp.end < sp.t)
                sp.end = sp.t;
            if (!FS__PUSH(wk->parks, wk->n_parks, r->cap_parks[w], sp))
                return fs__nomem(r);
        }
    }
    for (size_t i = 0; i < tr->n_tasks; i++) {
        fs_trace_task *t = &tr->tasks[i];
        t->cum = malloc((t->n_slices + 1) * sizeof *t->cum);
        if (!t->cum)
            return fs__nomem(r);
        fs_trace_cum c = {0};
        for (size_t j = 0; j < t->n_slices; j++) {
            t->cum[j] = c;
            c.polls += t->slices[j].count;
            c.wasted += t->slices[j].wasted;
            c.busy_ns += t->slices[j].count * t->slices[j].dur;
        }
        t->cum[t->n_slices] = c;
    }
    for (size_t i = 0; i < tr->n_wakes; i++) {
        fs_trace_wake *w = &tr->wakes[i];
        if ((size_t)w->caused >= tr->tasks[w->task].n_slices || w->stale)
            w->caused = -1;
    }
    if (!fs__finish_workers(tr))
        return fs__nomem(r);
    return FS_ERR_OK;
}

/* ---- reading ------------------------------------------------------------- */

static fs_errcode fs__line(fs__reader *r, const char *text, size_t len, bool last_unterminated)
{
    if (strlen(text) != len)
        return fs__fail(r, "binary data (a NUL byte) in the line: not a futurescope trace");
    if (r->header_seen && !r->summary_seen && fs__trace_fast_lines) {
        /* Most lines are plain events: decode them without a JSON tree. */
        if (len + 1 > r->cap_scratch) {
            char *s = realloc(r->scratch, len + 1);
            if (!s)
                return fs__nomem(r);
            r->scratch = s;
            r->cap_scratch = len + 1;
        }
        fs__rec rec;
        if (fs__trace_line_fast(text, len, &rec, r->scratch))
            return fs__add(r, &rec);
    }
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        if (!r->header_seen)
            return fs__fail(r, "not a futurescope trace (the first line is not a JSON object)");
        if (last_unterminated)
            return fs__fail(r, "truncated last line (the trace was cut off while being written)");
        return fs__fail(r, "malformed JSON line (expected one JSON object per line)");
    }
    fs_errcode rc;
    if (!r->header_seen) {
        rc = fs__decode_header(r, o);
        r->header_seen = true;
    } else if (r->summary_seen) {
        rc = fs__fail(r, "unexpected line after the summary line");
    } else {
        fs__rec rec;
        rc = fs__decode_event(r, o, &rec);
        if (rc == FS_ERR_OK && rec.type == FS__R_SUMMARY) {
            rc = fs__decode_summary(r, o);
            r->summary_seen = true;
        } else if (rc == FS_ERR_OK) {
            rc = fs__add(r, &rec);
            if (rc == FS_ERR_OK && rec.type == FS__R_STALL)
                rc = fs__decode_stall(r, o);
        }
    }
    cJSON_Delete(o);
    return rc;
}

static void fs__reader_free(fs__reader *r)
{
    free(r->aux);
    free(r->cap_io);
    free(r->cap_parks);
    free(r->park_open);
    free(r->scratch);
    free(r->res_map);
}

static void (*fs__progress)(void *ctx, const char *name, size_t lines);
static void *fs__progress_ctx;

void fs_trace_set_progress(void (*fn)(void *ctx, const char *name, size_t lines), void *ctx)
{
    fs__progress = fn;
    fs__progress_ctx = ctx;
}

fs_errcode fs_trace_read_stream(FILE *in, const char *name, fs_trace **out, fs_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    fs_trace *tr = calloc(1, sizeof *tr);
    fs__reader r = {.tr = tr, .err = err, .name = name};
    if (!tr)
        return FS_ERR_NOMEM;
    tr->intern = calloc(1, sizeof *tr->intern);
    uint32_t empty;
    if (!tr->intern || !fs__pool_add(tr, "", &empty)) {
        fs_trace_free(tr);
        return FS_ERR_NOMEM;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    fs_errcode rc = FS_ERR_OK;
    while (rc == FS_ERR_OK && (n = getline(&line, &cap, in)) >= 0) {
        if ((++r.line & 0x3FFFF) == 0 && fs__progress)
            fs__progress(fs__progress_ctx, name, r.line);
        bool terminated = n > 0 && line[n - 1] == '\n';
        if (terminated)
            line[--n] = '\0';
        rc = fs__line(&r, line, (size_t)n, !terminated);
    }
    free(line);
    if (fs__progress)
        fs__progress(fs__progress_ctx, name, 0); /* done */
    if (rc == FS_ERR_OK && ferror(in)) {
        fs__fail(&r, "read error: %s", strerror(errno));
        rc = err->code = FS_ERR_IO;
    }
    if (rc == FS_ERR_OK && !r.header_seen)
        rc = fs__fail(&r, "empty file: not a futurescope trace");
    if (rc == FS_ERR_OK && !r.summary_seen)
        rc = fs__fail(&r, "truncated trace (no summary line)");
    if (rc == FS_ERR_OK)
        rc = fs__finish(&r);
    tr->lines = r.line;
    fs__reader_free(&r);
    if (rc != FS_ERR_OK) {
        fs_trace_free(tr);
        return rc;
    }
    free(tr->intern->slots);
    free(tr->intern);
    tr->intern = NULL;
    *out = tr;
    return FS_ERR_OK;
}

fs_errcode fs_trace_read_file(const char *path, fs_trace **out, fs_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        memset(err, 0, sizeof *err);
        snprintf(err->file, sizeof err->file, "%s", path);
        fs_error_set(err, FS_ERR_IO, "cannot open: %s", strerror(errno));
        *out = NULL;
        return FS_ERR_IO;
    }
    fs_errcode rc = fs_trace_read_stream(f, path, out, err);
    fclose(f);
    return rc;
}

fs_errcode fs_trace_read_text(const char *text, size_t len, const char *name, fs_trace **out,
                              fs_error *err)
{
    if (len == 0) {
        /* fmemopen refuses a zero-length buffer; an empty trace is still an error. */
        memset(err, 0, sizeof *err);
        snprintf(err->file, sizeof err->file, "%s", name);
        fs_error_set(err, FS_ERR_INPUT, "empty file: not a futurescope trace");
        *out = NULL;
        return FS_ERR_INPUT;
    }
    FILE *f = fmemopen((void *)text, len, "r");
    if (!f) {
        *out = NULL;
        return FS_ERR_NOMEM;
    }
    fs_errcode rc = fs_trace_read_stream(f, name, out, err);
    fclose(f);
    return rc;
}

void fs_trace_free(fs_trace *tr)
{
    if (!tr)
        return;
    for (size_t i = 0; i < tr->n_tasks; i++) {
        free(tr->tasks[i].slices);
        free(tr->tasks[i].cum);
        free(tr->tasks[i].wakes);
        free(tr->tasks[i].regs);
    }
    for (size_t i = 0; i < tr->n_resources; i++)
        free(tr->resources[i].io);
    for (int i = 0; tr->workers_v && i < tr->workers; i++) {
        free(tr->workers_v[i].parks);
        free(tr->workers_v[i].busy);
    }
    free(tr->tasks);
    free(tr->resources);
    free(tr->workers_v);
    free(tr->wakes);
    free(tr->times);
    free(tr->stalled);
    free(tr->pool);
    if (tr->intern)
        free(tr->intern->slots);
    free(tr->intern);
    free(tr);
}

void fs_trace_error_print(const fs_error *err, FILE *out)
{
    if (err->file[0]) {
        fputs(err->file, out);
        if (err->line > 0)
            fprintf(out, ":%d", err->line);
        fputs(": ", out);
    }
    fprintf(out, "%s\n", err->msg[0] ? err->msg : fs_strerror(err->code));
}
