/* trace_decode.c - the careful line decoder: cJSON parses the line, and
 * each field is checked with a message naming it. It reads the header, the
 * summary and stall lines, and every event line the fast decoder
 * (trace_line.c) leaves to it; its verdict on a line is the reference. */
#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "trace_rec.h"

/* Integers up to 2^62 (sums of times stay in range), exactly: cJSON's
 * double is exact below 2^53; above, the digits are read from the line. */
#define FS__EXACT 9007199254740992.0 /* 2^53 */
#define FS__MAX_SPIN 1000000000000LL /* polls in one spin: the CLI's --max-polls cap */

static fs_errcode fs__int(fs__reader *r, const cJSON *o, const char *key, bool required,
                          int64_t lo, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || (!required && cJSON_IsNull(v))) {
        if (required)
            return fs__trace_fail(r, "expected \"%s\" (an integer) in this %s line", key,
                                  cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type")));
        return FS_ERR_OK;
    }
    double d = v->valuedouble;
    int64_t x = 0;
    bool ok = cJSON_IsNumber(v) && d == floor(d);
    if (ok && fabs(d) >= FS__EXACT)   /* (1e300 cast to int64_t would be undefined) */
        ok = fs__trace_raw_int(r->text, r->text_len, key, &x);
    else if (ok)
        x = (int64_t)d;
    if (!ok || x < lo)
        return fs__trace_fail(r, "expected \"%s\" to be an integer >= %lld (at most 2^62, "
                              "written without a fraction or exponent above 2^53)", key,
                              (long long)lo);
    *out = x;
    return FS_ERR_OK;
}

static fs_errcode fs__str(fs__reader *r, const cJSON *o, const char *key, bool required,
                          const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return fs__trace_fail(r, "expected \"%s\" (a string)", key);
        return FS_ERR_OK;
    }
    if (!cJSON_IsString(v))
        return fs__trace_fail(r, "expected \"%s\" to be a string", key);
    *out = v->valuestring;
    return FS_ERR_OK;
}

fs_errcode fs__trace_decode_header(fs__reader *r, const cJSON *o)
{
    fs_trace *tr = r->tr;
    const char *format = NULL, *s;
    if (!cJSON_IsObject(o) || fs__str(r, o, "format", false, &format) != FS_ERR_OK ||
        !format || strcmp(format, "futurescope-trace") != 0)
        return fs__trace_fail(r, "not a futurescope trace (expected a header line with "
                                 "\"format\":\"futurescope-trace\")");
    int64_t version = 0;
    FS__TRY(fs__int(r, o, "version", true, 0, &version));
    if (version < FS_TRACE_READ_MIN || version > FS_TRACE_READ_MAJOR)
        return fs__trace_fail(r, "trace format version %lld is not supported (this futurescope "
                                 "reads versions %d to %d)", (long long)version, FS_TRACE_READ_MIN,
                              FS_TRACE_READ_MAJOR);
    int64_t workers = 1, seed = 0, cost = 1000;
    FS__TRY(fs__int(r, o, "workers", false, 1, &workers));
    FS__TRY(fs__int(r, o, "seed", false, 0, &seed));
    FS__TRY(fs__int(r, o, "poll_cost_ns", false, 0, &cost));
    if (workers > 1024)
        return fs__trace_fail(r, "expected \"workers\" to be at most 1024");
    tr->workers = (int)workers;
    tr->seed = (uint64_t)seed;
    tr->poll_cost_ns = cost;
    FS__TRY(fs__str(r, o, "scenario", false, &s));
    if (!fs__trace_intern(tr, s, &tr->scenario))
        return fs__trace_nomem(r);
    FS__TRY(fs__str(r, o, "executor", false, &s));
    if (!fs__trace_intern(tr, s, &tr->executor))
        return fs__trace_nomem(r);
    FS__TRY(fs__str(r, o, "queue", false, &s));
    if (!fs__trace_intern(tr, s, &tr->queue))
        return fs__trace_nomem(r);
    tr->workers_v = calloc((size_t)workers, sizeof *tr->workers_v);
    r->cap_parks = calloc((size_t)workers, sizeof *r->cap_parks);
    r->park_open = malloc((size_t)workers * sizeof *r->park_open);
    r->cap_preempts = calloc((size_t)workers, sizeof *r->cap_preempts);
    r->cap_pauses = calloc((size_t)workers, sizeof *r->cap_pauses);
    r->preempt_open = malloc((size_t)workers * sizeof *r->preempt_open);
    r->cap_busy = calloc((size_t)workers, sizeof *r->cap_busy);
    r->busy_open = malloc((size_t)workers * sizeof *r->busy_open);
    if (!tr->workers_v || !r->cap_parks || !r->park_open || !r->cap_preempts || !r->cap_pauses ||
        !r->preempt_open || !r->cap_busy || !r->busy_open)
        return fs__trace_nomem(r);
    for (int64_t i = 0; i < workers; i++) {
        r->park_open[i] = r->preempt_open[i] = -1;
        r->busy_open[i] = (fs_trace_span){-1, -1};
    }
    /* The scenario's resources with their kinds, in file order (optional). */
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "resources"), *it;
    if (res && !cJSON_IsArray(res))
        return fs__trace_fail(r, "expected \"resources\" in the header to be an array");
    cJSON_ArrayForEach(it, res) {
        const char *rname, *rtype;
        int32_t idx;
        FS__TRY(fs__str(r, it, "name", true, &rname));
        FS__TRY(fs__str(r, it, "type", false, &rtype));
        FS__TRY(fs__trace_resource(r, rname, rtype, &idx));
    }
    return FS_ERR_OK;
}

fs_errcode fs__trace_decode_summary(fs__reader *r, const cJSON *o)
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
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(o, "limit_hit");
    s->limit_hit = cJSON_IsString(lim) ? fs_limit_from_name(lim->valuestring, strlen(lim->valuestring))
                                       : FS_LIMIT_NONE;
    if (s->limit_hit == FS_LIMIT_NONE && s->time_limit_hit) /* traces before "limit_hit" */
        s->limit_hit = FS_LIMIT_TIME;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "cpu_busy");
    s->cpu_busy = cJSON_IsNumber(c) ? c->valuedouble : 0.0;
    /* each task's waker figures, from its record (absent: left at -1) */
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(o, "tasks"), *it;
    if (cJSON_IsArray(tasks)) {
        cJSON_ArrayForEach(it, tasks) {
            int64_t id = -1, clones = -1, drops = -1;
            if (!cJSON_IsObject(it))
                continue;
            FS__TRY(fs__int(r, it, "id", false, 0, &id));
            FS__TRY(fs__int(r, it, "waker_clones", false, 0, &clones));
            FS__TRY(fs__int(r, it, "waker_drops", false, 0, &drops));
            if (id >= 0 && (size_t)id < r->tr->n_tasks) {
                r->tr->tasks[id].waker_clones = clones;
                r->tr->tasks[id].waker_drops = drops;
            }
        }
    }
    return FS_ERR_OK;
}

fs_errcode fs__trace_decode_stall(fs__reader *r, const cJSON *o)
{
    fs_trace *tr = r->tr;
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(o, "tasks");
    if (!cJSON_IsArray(tasks))
        return fs__trace_fail(r, "expected \"tasks\" (an array) in the stall line");
    const cJSON *it;
    cJSON_ArrayForEach(it, tasks) {
        fs_trace_stalled st = {0};
        int64_t task = 0;
        const char *a, *w, *why;
        if (!cJSON_IsObject(it))
            return fs__trace_fail(r, "expected objects in the stall's \"tasks\"");
        FS__TRY(fs__int(r, it, "task", true, 0, &task));
        if ((size_t)task >= tr->n_tasks)
            return fs__trace_fail(r, "the stall names task %lld, which was never spawned", (long long)task);
        FS__TRY(fs__str(r, it, "awaiting", false, &a));
        FS__TRY(fs__str(r, it, "waker", false, &w));
        FS__TRY(fs__str(r, it, "reason", false, &why));
        st.task = (uint32_t)task;
        if (!fs__trace_intern(tr, a, &st.awaiting) || !fs__trace_intern(tr, w, &st.waker) ||
            !fs__trace_intern(tr, why, &st.reason) ||
            !FS__PUSH(tr->stalled, tr->n_stalled, r->cap_stalled, st))
            return fs__trace_nomem(r);
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
    {"driver", FS__R_DRIVER}, {"budget", FS__R_BUDGET}, {"queue", FS__R_QUEUE},
    {"blocking", FS__R_BLOCKING}, {"steal", FS__R_STEAL},
    {"preempt", FS__R_PREEMPT}, {"resume", FS__R_RESUME}, {"fault", FS__R_PAUSE},
};

/* Fills rec from one event object; header and summary are handled by the caller. */
fs_errcode fs__trace_decode_event(fs__reader *r, const cJSON *o, fs__rec *rec)
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
            return fs__trace_fail(r, "a spin of %lld polls of %lld ns does not fit between \"t\" and \"end\"",
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
                return fs__trace_fail(r, "expected \"result\" to be \"pending\" or \"ready\", got \"%.40s\"", res);
            rec->ready = res[0] == 'r';
            rec->count = 1;
            if (rec->dur > FS__TRACE_INT_MAX - rec->t)   /* t + dur must not overflow */
                return fs__trace_fail(r, "expected \"t\" + \"dur\" to be at most 2^62 ns");
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
        if (v && !cJSON_IsNull(v)) { /* "value":null: no value, as the fast decoder reads it */
            FS__TRY(fs__int(r, o, "value", false, INT64_MIN, &rec->value));
            rec->has_value = true;
        }
        break;
    }
    case FS__R_PARK:
    case FS__R_UNPARK:
    case FS__R_PREEMPT:
    case FS__R_RESUME:
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        break;
    case FS__R_CANCEL:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        break;
    case FS__R_COMPLETE:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__str(r, o, "error", false, &rec->name));
        break;
    case FS__R_BLOCKING:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__int(r, o, "thread", true, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "job", true, 0, &rec->n));
        FS__TRY(fs__str(r, o, "name", false, &rec->name));
        FS__TRY(fs__int(r, o, "dur", true, 0, &rec->dur));
        FS__TRY(fs__int(r, o, "queued", false, 0, &rec->count));
        if (rec->dur > FS__TRACE_INT_MAX - rec->t)
            return fs__trace_fail(r, "expected \"t\" + \"dur\" to be at most 2^62 ns");
        rec->ready = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "new_thread"));
        break;
    case FS__R_DRIVER:
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "fired", true, 0, &rec->n));
        break;
    case FS__R_QUEUE:
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "depth", true, 0, &rec->n));
        break;
    case FS__R_STEAL:
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "victim", true, 0, &rec->n));
        FS__TRY(fs__int(r, o, "count", true, 0, &rec->count));
        break;
    case FS__R_BUDGET:
        FS__TRY(fs__int(r, o, "task", true, 0, &rec->task));
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        break;
    case FS__R_PAUSE: {
        /* a worker's fault (kind "pause"), or a resource's (on its lane) */
        const char *kind;
        FS__TRY(fs__str(r, o, "kind", true, &kind));
        if (cJSON_GetObjectItemCaseSensitive(o, "resource")) {
            rec->type = FS__R_RFAULT;
            rec->what = kind;
            FS__TRY(fs__str(r, o, "resource", true, &rec->name));
            if (cJSON_GetObjectItemCaseSensitive(o, "extra_ns")) {
                FS__TRY(fs__int(r, o, "extra_ns", true, 0, &rec->value));
                rec->has_value = true;
            }
            break;
        }
        if (strcmp(kind, "pause") != 0 || !cJSON_GetObjectItemCaseSensitive(o, "worker")) {
            rec->type = FS__R_OTHER;
            break;
        }
        FS__TRY(fs__int(r, o, "worker", true, 0, &rec->worker));
        FS__TRY(fs__int(r, o, "dur", true, 0, &rec->dur));
        if (rec->dur > FS__TRACE_INT_MAX - rec->t)
            return fs__trace_fail(r, "expected \"t\" + \"dur\" to be at most 2^62 ns");
        break;
    }
    default:
        break;
    }
    return FS_ERR_OK;
}
