/* scenario_load.c - scenario files (SPEC section 2) into an fs_scenario.
 *
 * A recursive descent over the tree that fs_json_parse built, one function
 * per group of forms, on the JSON reader of json_read.h: it keeps the JSON
 * path of the value being visited (FS__AT_KEY, FS__AT_INDEX), and a failed
 * check (fs_jr_fail, fs_jr_fail_key) records line:col of the offending value
 * (or key), the path and the message; every function returns an fs_errcode
 * and the first error ends the load. Each object is checked for duplicate
 * and unknown keys before its members are read.
 *
 * Everything kept is copied into the scenario's arena; the JSON tree and
 * the loader's own index are freed before returning. */
#include "scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "file_text.h"
#include "json_names.h"
#include "json_pos.h"
#include "jsonw.h"
#include "json_read.h"

#define FS__COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FS__TRY FS_JR_TRY
#define FS__AT_KEY(ld, key, call) FS_JR_AT_KEY(&(ld)->r, key, call)
#define FS__AT_INDEX(ld, i, call) FS_JR_AT_INDEX(&(ld)->r, i, call)

typedef struct fs__loader {
    fs_json_reader r;        /* the document, the path, errors */
    fs_scenario *sc;
    fs_json_names resources; /* name -> index, for the futures' look-ups */
    const fs_json_node *defs; /* "futures": named futures, or NULL */
    fs_json_names def_ix;    /* name -> its member's distance from defs */
    bool expand;             /* a call builds its future (else: checks the name) */
    const char *calls[FS_MAX_DEPTH + 1]; /* the named futures being built, outermost first */
    int n_calls;
    long long call_futures;  /* futures built inside calls so far, and how many may be */
    long long max_call_futures;
    size_t param_note;       /* where the error's parameter note starts (SIZE_MAX: none) */
    /* Where a loop's control reaches, as Rust's borrow and loop rules
     * allow: `break` inside a loop body (not across a join, a timeout, a
     * retry, a while's condition, a spawn or a call), `tick` inside an
     * interval's body (not across a spawn or a call); tick_label names the
     * innermost interval's tick ("tick 10ms"). */
    bool loop_ok, tick_ok;
    const char *tick_label;
    fs_scenario_shapes *shapes; /* the task entries' trees, by shape */
    const char *last_label;     /* the label made last (label_done), and its length */
    size_t last_label_len;
    fs_fut_kind timed_kind;     /* the last timed future (load_timed): its kind and */
    fs_dur timed_dur;           /* duration, whose label is last_label if still the last */
    const char *timed_label;
    /* The kinds by their key's first letter (kind keys are lower case):
     * kind_first[c - 'a'] is the first such kind + 1 (0: none), kind_next[k]
     * the next + 1, in enum order. A future's kind is found in a test or two. */
    uint8_t kind_first[26], kind_next[FS_FUT__COUNT];
} fs__loader;

typedef fs_json_range fs__range;

#define FS__MS "an integer number of milliseconds"
static const fs__range R_DURATION = {FS__MS, "duration", 0, FS_MAX_DURATION_MS, " ms"};
static const fs__range R_TIME = {FS__MS, "time", 0, FS_MAX_DURATION_MS, " ms"};
static const fs__range R_MEAN = {FS__MS, "mean", 1, FS_MAX_DURATION_MS, " ms"};
static const fs__range R_PERIOD = {FS__MS, "period", 1, FS_MAX_DURATION_MS, " ms"};
static const fs__range R_SEED = {"an integer", "seed", 0, FS_MAX_INT, ""};
static const fs__range R_POLL_COST = {"an integer number of nanoseconds", "poll_cost_ns", 0,
                                      FS_MAX_POLL_COST_NS, " ns"};
static const fs__range R_COUNT = {"an integer", "count", 1, FS_MAX_COUNT, ""};
static const fs__range R_REPEAT = {"an integer", "repeat count", 0, FS_MAX_REPEAT, ""};
static const fs__range R_ATTEMPTS = {"an integer", "attempts", 1, FS_MAX_REPEAT, ""};
static const fs__range R_CAPACITY = {"an integer", "capacity", 1, FS_MAX_CAPACITY, ""};
static const fs__range R_PERMITS = {"an integer", "permits", 0, FS_MAX_PERMITS, ""};
static const fs__range R_ACQUIRE = {"an integer", "permits", 1, FS_MAX_PERMITS, ""};
static const fs__range R_READERS = {"an integer", "max_readers", 1, FS_MAX_READERS, ""};
static const fs__range R_SPURIOUS = {"an integer", "spurious_wakes", 0, FS_MAX_SPURIOUS, ""};
static const fs__range R_SET_COUNT = {"an integer", "count", 1, FS_MAX_JOIN_SET, ""};
static const fs__range R_VALUE = {"an integer", "value", -FS_MAX_INT, FS_MAX_INT, ""};
static const fs__range R_CONNS = {"an integer", "count", 0, FS_MAX_ARRIVALS, ""};
static const fs__range R_BYTES = {"an integer number of bytes", "bytes", 1, FS_MAX_BYTES, ""};
static const fs__range R_RATE = {"an integer number of bytes per ms", "drain rate", 1, FS_MAX_BYTES, ""};

/* Future kinds in enum order: the key that selects each, whether it is a
 * leaf (leaves take the fault options) and the other keys it takes. */
static const struct fs__kind_info {
    const char *key;
    bool leaf;
    const char *extra, *extra2;
} KINDS[FS_FUT__COUNT] = {
    [FS_FUT_SLEEP] = {"sleep_ms", true, NULL, NULL},  [FS_FUT_READ] = {"read", true, NULL, NULL},
    [FS_FUT_OPEN] = {"open", true, NULL, NULL},       [FS_FUT_SEND] = {"send", true, "value", NULL},
    [FS_FUT_RECV] = {"recv", true, NULL, NULL},       [FS_FUT_COMPUTE] = {"compute_ms", true, NULL, NULL},
    [FS_FUT_YIELD] = {"yield", true, NULL, NULL},     [FS_FUT_SEQ] = {"seq", false, NULL, NULL},
    [FS_FUT_JOIN] = {"join", false, NULL, NULL},      [FS_FUT_SELECT] = {"select", false, NULL, NULL},
    [FS_FUT_SPAWN] = {"spawn", false, "await", NULL}, [FS_FUT_REPEAT] = {"repeat", false, "do", NULL},
    [FS_FUT_SPAWN_BLOCKING] = {"spawn_blocking", true, "await", NULL},
    /* control flow: results that fail end loops and start retries */
    [FS_FUT_TIMEOUT] = {"timeout_ms", false, "do", NULL},
    [FS_FUT_WHILE] = {"while", false, "do", NULL},
    [FS_FUT_RETRY] = {"retry", false, "attempts", "backoff"},
    /* tokio::sync: a guard's lifetime is its "do" body */
    [FS_FUT_LOCK] = {"lock", false, "do", NULL},
    [FS_FUT_ACQUIRE] = {"acquire", false, "do", "permits"},
    [FS_FUT_CLOSE] = {"close", true, NULL, NULL},
    [FS_FUT_NOTIFY_ONE] = {"notify_one", true, NULL, NULL},
    [FS_FUT_NOTIFY_WAITERS] = {"notify_waiters", true, NULL, NULL},
    [FS_FUT_NOTIFIED] = {"notified", true, NULL, NULL},
    [FS_FUT_DROP] = {"drop", true, NULL, NULL},
    [FS_FUT_JOIN_SET] = {"join_set", false, "take", NULL},
    [FS_FUT_ABORT] = {"abort", false, NULL, NULL},
    /* network: a listener's connections */
    [FS_FUT_ACCEPT] = {"accept", true, NULL, NULL},
    [FS_FUT_WRITE] = {"write", true, "bytes", NULL},
    /* tokio::time::interval in a loop; break ends the innermost loop */
    [FS_FUT_INTERVAL] = {"interval", false, "do", NULL},
    [FS_FUT_TICK] = {"tick", false, NULL, NULL},
    [FS_FUT_BREAK] = {"break", false, NULL, NULL},
    [FS_FUT_READ_LOCK] = {"read_lock", false, "do", NULL},
    [FS_FUT_WRITE_LOCK] = {"write_lock", false, "do", NULL},
};
static const char *const MISSED[] = {[FS_MISSED_BURST] = "burst", [FS_MISSED_DELAY] = "delay",
                                     [FS_MISSED_SKIP] = "skip"};
static const char *const FAULT_KEYS[] = {"forget_waker", "spurious_wakes"};
static const char *const RES_TYPES[FS_RES__COUNT] = {
    [FS_RES_SOCKET] = "socket", [FS_RES_FILE] = "file", [FS_RES_CHANNEL] = "channel",
    [FS_RES_MUTEX] = "mutex", [FS_RES_SEMAPHORE] = "semaphore", [FS_RES_NOTIFY] = "notify",
    [FS_RES_ONESHOT] = "oneshot", [FS_RES_LISTENER] = "listener", [FS_RES_RWLOCK] = "rwlock"};

const char *fs_resource_type_name(fs_res_kind kind)
{
    return (unsigned)kind < FS_RES__COUNT ? RES_TYPES[kind] : "?";
}

static fs_srcpos srcpos(fs__loader *ld, const fs_json_node *node)
{
    fs_srcpos p;
    fs_json_line_col(ld->r.doc, fs_json_value_offset(ld->r.doc, node), &p.line, &p.col);
    return p;
}
/* ---- labels ---------------------------------------------------------------------- */

/* Labels are built by hand rather than by printf: a big scenario has one
 * per future, and formatting dominated its load time. A label is at most a
 * kind key and a name (FS_MAX_NAME) or two integers, so it fits the buffer. */
typedef struct fs__label {
    char buf[FS_MAX_NAME + 64];
    size_t len;
} fs__label;

static void label_str(fs__label *l, const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof l->buf - 1 - l->len)
        n = sizeof l->buf - 1 - l->len;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void label_int(fs__label *l, int64_t v)
{
    char digits[24];
    size_t n = 0;
    if (v < 0)
        digits[n++] = '-';
    n += fs_u64_digits(digits + n, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    if (n > sizeof l->buf - 1 - l->len)
        n = sizeof l->buf - 1 - l->len;
    memcpy(l->buf + l->len, digits, n);
    l->len += n;
}

/* The label in the arena; one equal to the last one made is that one (a
 * join of 100,000 like sleeps holds one label, not 100,000). */
static const char *label_done(fs__loader *ld, const fs__label *l)
{
    if (ld->last_label && l->len == ld->last_label_len && memcmp(ld->last_label, l->buf, l->len) == 0)
        return ld->last_label;
    ld->last_label = fs_arena_strndup(ld->r.arena, l->buf, l->len);
    ld->last_label_len = l->len;
    return ld->last_label;
}

/* Task, spawn and resource names: 1..FS_MAX_NAME bytes. */
#define FS__NAME_LEN(s) (strlen(s) >= 1 && strlen(s) <= FS_MAX_NAME)
#define FS__NAME_LEN_MSG "%s must be 1..%d bytes, got %zu"

static fs_errcode read_name(fs__loader *ld, const fs_json_node *node, const char *noun, const char **out)
{
    if (!fs_json_is_string(node))
        return fs_jr_fail(&ld->r, node, "expected a %s (a string), got %s", noun, fs_json_type_name(node));
    if (!FS__NAME_LEN(node->valuestring))
        return fs_jr_fail(&ld->r, node, FS__NAME_LEN_MSG, noun, FS_MAX_NAME, strlen(node->valuestring));
    return fs_jr_read_string(&ld->r, node, out);
}

/* A task's or spawn's name: "/" joins a spawned task's name to its
 * parent's ("conn#2/handler#0"), so a name may not hold one. */
static fs_errcode read_task_name(fs__loader *ld, const fs_json_node *node, const char *noun, const char **out)
{
    FS__TRY(read_name(ld, node, noun, out));
    if (strchr(*out, '/'))
        return fs_jr_fail(&ld->r, node, "a %s may not contain \"/\" (it joins a spawned task's name to its "
                          "parent's: \"conn#2/handler#0\")", noun);
    return FS_ERR_OK;
}

/* D: milliseconds (in `range`), {"uniform": [lo, hi]} or {"exp": mean}. */
static fs_errcode read_ms_or_draw(fs__loader *ld, const fs_json_node *node, const fs__range *range,
                                  fs_dur *d)
{
    return fs_scenario_read_dur(&ld->r, node, range, d);
}

static fs_errcode read_duration(fs__loader *ld, const fs_json_node *node, fs_dur *d)
{
    return read_ms_or_draw(ld, node, &R_DURATION, d);
}

/* A count at node: an integer in `range` or a distribution (docs/scenarios.md,
 * Durations). *n is the integer, or a random count's largest value; d says
 * which (FS_DUR_FIXED: *n). */
static fs_errcode read_count(fs__loader *ld, const fs_json_node *node, const fs__range *range,
                             fs_dur *d, int64_t *n)
{
    FS__TRY(fs_scenario_read_count(&ld->r, node, range, d));
    *n = fs_count_max(d, range->hi);
    if (d->kind == FS_DUR_FIXED)
        *d = (fs_dur){.kind = FS_DUR_FIXED};
    return FS_ERR_OK;
}

/* A member that is a count, if present (else d and *n stay as they are). */
static fs_errcode read_count_member(fs__loader *ld, const fs_json_node *obj, const char *key,
                                    const fs__range *range, fs_dur *d, int64_t *n)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (m)
        FS__AT_KEY(ld, key, read_count(ld, m, range, d, n));
    return FS_ERR_OK;
}

/* A count as written: "uniform 2..5", "exp 3" or "4". */
static void label_draw(fs__label *l, const fs_dur *d, int64_t fixed)
{
    label_str(l, d->kind == FS_DUR_UNIFORM ? "uniform " : d->kind == FS_DUR_EXP ? "exp " : "");
    label_int(l, d->kind == FS_DUR_FIXED ? fixed : d->a_ms);
    if (d->kind == FS_DUR_UNIFORM) {
        label_str(l, "..");
        label_int(l, d->b_ms);
    }
}

/* A member that is a duration, if present (else d stays as it is). */
static fs_errcode read_duration_member(fs__loader *ld, const fs_json_node *obj, const char *key,
                                       const fs__range *range, fs_dur *d)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (m)
        FS__AT_KEY(ld, key, read_ms_or_draw(ld, m, range, d));
    return FS_ERR_OK;
}

/* ---- resources ---------------------------------------------------------------- */

/* {"after_ms": D} or {"at_ms": D} (D a duration: ms or a distribution),
 * and "value": an integer or "random". */
static fs_errcode load_arrival(fs__loader *ld, const fs_json_node *node, fs_arrival_spec *a)
{
    static const char *const keys[] = {"after_ms", "at_ms", "value"};
    const fs_json_node *when, *v;
    char q[80];
    FS__TRY(fs_jr_check_object(&ld->r, node, "an arrival ({\"after_ms\": ms} or {\"at_ms\": ms})", keys, 3));
    FS__TRY(fs_jr_one_of(&ld->r, node, "after_ms", "at_ms", "an arrival", &when));
    a->relative = strcmp(when->string, "after_ms") == 0;
    FS__TRY(read_duration_member(ld, node, when->string, a->relative ? &R_DURATION : &R_TIME, &a->when));
    a->random = true;
    if (!(v = fs_jr_member(node, "value")) || (fs_json_is_string(v) && strcmp(v->valuestring, "random") == 0))
        return FS_ERR_OK;
    size_t at = fs_jr_path_key(&ld->r, "value");
    if (!fs_json_is_number(v))
        return fs_jr_fail(&ld->r, v, "expected an integer or \"random\", got %s",
                    fs_json_is_string(v) ? fs_json_quote(v->valuestring, q, sizeof q)
                                      : fs_json_type_name(v));
    a->random = false;
    FS__TRY(fs_jr_read_int(&ld->r, v, &R_VALUE, &a->value));
    fs_jr_path_pop(&ld->r, at);
    return FS_ERR_OK;
}

static fs_errcode load_arrivals(fs__loader *ld, const fs_json_node *arr, fs_resource_spec *r)
{
    size_t n = fs_jr_count_items(arr), i = 0;
    const fs_json_node *it;
    if (!fs_json_is_array(arr))
        return fs_jr_fail(&ld->r, arr, "expected an array of arrivals, got %s", fs_json_type_name(arr));
    if (n > (size_t)FS_MAX_ARRIVALS)
        return fs_jr_fail(&ld->r, arr, "too many arrivals: %zu (at most %lld)", n, FS_MAX_ARRIVALS);
    if (n && !(r->arrivals = fs_arena_alloc(ld->r.arena, n * sizeof *r->arrivals)))
        return fs_jr_nomem(&ld->r);
    r->n_arrivals = n;
    FS_JSON_FOR_EACH(it, arr) {
        FS__AT_INDEX(ld, i, load_arrival(ld, it, &r->arrivals[i]));
        i++;
    }
    return FS_ERR_OK;
}

/* "latency_ms": {"open": D, "read": D} (durations: ms or distributions) */
static fs_errcode load_latency(fs__loader *ld, const fs_json_node *lat, fs_resource_spec *r)
{
    static const char *const keys[] = {"open", "read"};
    FS__TRY(fs_jr_check_object(&ld->r, lat, "an object {\"open\": ms, \"read\": ms}", keys, 2));
    FS__TRY(read_duration_member(ld, lat, "open", &R_DURATION, &r->open));
    return read_duration_member(ld, lat, "read", &R_DURATION, &r->read);
}

/* "connections": {"every_ms": D, "count": N?, "until_ms": T?} (one bound at
 * least) or {"at_ms": [t, ...]} (times in order). */
static fs_errcode load_connections(fs__loader *ld, const fs_json_node *c, fs_resource_spec *r)
{
    static const char *const keys[] = {"every_ms", "at_ms", "count", "until_ms"};
    const fs_json_node *m, *it;
    size_t i = 0;
    FS__TRY(fs_jr_check_object(&ld->r, c, "an object {\"every_ms\": D, \"count\": n} or {\"at_ms\": [t, ...]}",
                               keys, 4));
    FS__TRY(fs_jr_one_of(&ld->r, c, "every_ms", "at_ms", "a connection process", &m));
    if (strcmp(m->string, "every_ms") == 0) {
        if (!fs_jr_member(c, "count") && !fs_jr_member(c, "until_ms"))
            return fs_jr_fail(&ld->r, c, "expected \"count\" or \"until_ms\" beside \"every_ms\": "
                                         "when do connections stop?");
        FS__TRY(read_duration_member(ld, c, "every_ms", &R_DURATION, &r->conn_every));
        FS__TRY(read_count_member(ld, c, "count", &R_CONNS, &r->conn_count_draw, &r->conn_count));
        return read_count_member(ld, c, "until_ms", &R_TIME, &r->until_draw, &r->conn_until_ms);
    }
    if ((it = fs_jr_member(c, "count")) || (it = fs_jr_member(c, "until_ms")))
        return fs_jr_fail_key(&ld->r, it, "\"%s\" goes with \"every_ms\"; \"at_ms\" lists every connection",
                              it->string);
    size_t at = fs_jr_path_key(&ld->r, "at_ms");
    size_t n = fs_jr_count_items(m);
    if (!fs_json_is_array(m))
        return fs_jr_fail(&ld->r, m, "expected an array of times in ms, got %s", fs_json_type_name(m));
    if (n > (size_t)FS_MAX_ARRIVALS)
        return fs_jr_fail(&ld->r, m, "too many connections: %zu (at most %lld)", n, FS_MAX_ARRIVALS);
    if (n && !(r->conn_at_ms = fs_arena_alloc(ld->r.arena, n * sizeof *r->conn_at_ms)))
        return fs_jr_nomem(&ld->r);
    FS_JSON_FOR_EACH(it, m) {
        FS__AT_INDEX(ld, i, fs_jr_read_int(&ld->r, it, &R_TIME, &r->conn_at_ms[i]));
        if (i > 0 && r->conn_at_ms[i] < r->conn_at_ms[i - 1])
            return fs_jr_fail(&ld->r, it, "expected times in order, got %" PRId64 " after %" PRId64,
                              r->conn_at_ms[i], r->conn_at_ms[i - 1]);
        i++;
    }
    fs_jr_path_pop(&ld->r, at);
    r->n_conn_at = n;
    r->conn_count = (int64_t)n;
    return FS_ERR_OK;
}

/* "requests": {"count": n, "every_ms": D}: each connection's requests. */
static fs_errcode load_requests(fs__loader *ld, const fs_json_node *q, fs_resource_spec *r)
{
    static const char *const keys[] = {"count", "every_ms"};
    FS__TRY(fs_jr_check_object(&ld->r, q, "an object {\"count\": n, \"every_ms\": D}", keys, 2));
    FS__TRY(read_count_member(ld, q, "count", &R_CONNS, &r->req_count_draw, &r->req_count));
    return read_duration_member(ld, q, "every_ms", &R_DURATION, &r->req_every);
}

/* "send_buffer": {"bytes": n, "drain_per_ms": n} */
static fs_errcode load_send_buffer(fs__loader *ld, const fs_json_node *b, fs_resource_spec *r)
{
    static const char *const keys[] = {"bytes", "drain_per_ms"};
    FS__TRY(fs_jr_check_object(&ld->r, b, "an object {\"bytes\": n, \"drain_per_ms\": n}", keys, 2));
    FS__TRY(read_count_member(ld, b, "bytes", &R_BYTES, &r->send_buffer_draw, &r->send_buffer));
    return read_count_member(ld, b, "drain_per_ms", &R_RATE, &r->drain_draw, &r->drain_per_ms);
}

static fs_errcode load_listener(fs__loader *ld, const fs_json_node *node, fs_resource_spec *r)
{
    const fs_json_node *m;
    r->conn_count = r->conn_until_ms = -1;
    r->req_count = 1;
    r->send_buffer = 65536;
    r->drain_per_ms = 1000000;
    if (!(m = fs_jr_member(node, "connections")))
        return fs_jr_missing(&ld->r, node, "connections");
    FS__AT_KEY(ld, "connections", load_connections(ld, m, r));
    if ((m = fs_jr_member(node, "requests")))
        FS__AT_KEY(ld, "requests", load_requests(ld, m, r));
    if ((m = fs_jr_member(node, "send_buffer")))
        FS__AT_KEY(ld, "send_buffer", load_send_buffer(ld, m, r));
    return FS_ERR_OK;
}

/* {"type": "socket" | "file" | "channel" | "mutex" | "semaphore" | "notify" |
 * "oneshot" | "listener", and the keys of that type}. */
static fs_errcode load_resource(fs__loader *ld, const fs_json_node *node, fs_resource_spec *r)
{
    static const char *const keys[][5] = {
        [FS_RES_SOCKET] = {"type", "arrivals", "faults"},
        [FS_RES_FILE] = {"type", "latency_ms", "faults"},
        [FS_RES_CHANNEL] = {"type", "capacity"},
        [FS_RES_MUTEX] = {"type"},
        [FS_RES_SEMAPHORE] = {"type", "permits"},
        [FS_RES_NOTIFY] = {"type"},
        [FS_RES_ONESHOT] = {"type"},
        [FS_RES_LISTENER] = {"type", "connections", "requests", "send_buffer", "faults"},
        [FS_RES_RWLOCK] = {"type", "max_readers"},
    };
    const fs_json_node *type, *m;
    size_t k = 0;
    char q[80], list[128];
    FS__TRY(fs_jr_check_object(&ld->r, node, "a resource (an object with a \"type\")", NULL, 0));
    if (!(type = fs_jr_member(node, "type")))
        return fs_jr_missing(&ld->r, node, "type");
    if (!fs_json_is_string(type)) {
        fs_jr_path_key(&ld->r, "type");
        return fs_jr_fail(&ld->r, type, "expected a resource type (a string), got %s", fs_json_type_name(type));
    }
    while (k < FS__COUNT(RES_TYPES) && strcmp(type->valuestring, RES_TYPES[k]) != 0)
        k++;
    if (k == FS__COUNT(RES_TYPES)) {
        fs_jr_path_key(&ld->r, "type");
        return fs_jr_fail(&ld->r, type, "unknown resource type %s (expected one of: %s)",
                    fs_json_quote(type->valuestring, q, sizeof q),
                    fs_jr_join(RES_TYPES, FS__COUNT(RES_TYPES), list, sizeof list));
    }
    size_t nk = 1;
    while (nk < 5 && keys[k][nk])
        nk++;
    FS__TRY(fs_jr_check_keys(&ld->r, node, keys[k], nk));
    r->kind = (fs_res_kind)k;
    if ((m = fs_jr_member(node, "faults")))
        FS__AT_KEY(ld, "faults", fs_scenario_load_faults(&ld->r, m, r));
    if (r->kind == FS_RES_LISTENER)
        return load_listener(ld, node, r);
    r->capacity = 1;
    r->permits = 1; /* a mutex is a semaphore of one permit, as tokio's */
    if (r->kind == FS_RES_RWLOCK) { /* RwLock::with_max_readers; new(): u32::MAX >> 3 */
        r->permits = FS_MAX_READERS;
        return read_count_member(ld, node, "max_readers", &R_READERS, &r->size_draw, &r->permits);
    }
    if (r->kind == FS_RES_SEMAPHORE) {
        if (!fs_jr_member(node, "permits"))
            return fs_jr_missing(&ld->r, node, "permits");
        return read_count_member(ld, node, "permits", &R_PERMITS, &r->size_draw, &r->permits);
    }
    if (r->kind == FS_RES_SOCKET && (m = fs_jr_member(node, "arrivals")))
        FS__AT_KEY(ld, "arrivals", load_arrivals(ld, m, r));
    if (r->kind == FS_RES_FILE && (m = fs_jr_member(node, "latency_ms")))
        FS__AT_KEY(ld, "latency_ms", load_latency(ld, m, r));
    const fs_json_node *cap = fs_jr_member(node, "capacity");
    if (cap && fs_json_is_string(cap) && strcmp(cap->valuestring, "unbounded") == 0) {
        r->capacity = FS_CAPACITY_UNBOUNDED; /* tokio's unbounded_channel */
        return FS_ERR_OK;
    }
    if (cap && fs_json_is_string(cap)) {
        return fs_jr_fail(&ld->r, cap, "expected an integer or \"unbounded\", got %s",
                          fs_json_quote(cap->valuestring, q, sizeof q));
    }
    return read_count_member(ld, node, "capacity", &R_CAPACITY, &r->size_draw, &r->capacity);
}

/* "resources": {name: resource, ...}: kept in file order, and indexed by
 * name for the futures' lookups. */
static fs_errcode load_resources(fs__loader *ld, const fs_json_node *obj)
{
    fs_scenario *sc = ld->sc;
    size_t n = fs_jr_count_items(obj), i = 0;
    const fs_json_node *m;
    /* The index that finds duplicate names serves the futures' look-ups:
     * resources are kept in member order. */
    FS__TRY(fs_jr_index_object(&ld->r, obj, "an object of named resources", &ld->resources));
    if (n == 0)
        return FS_ERR_OK;
    if (!(sc->resources = fs_arena_alloc(ld->r.arena, n * sizeof *sc->resources)))
        return fs_jr_nomem(&ld->r);
    FS_JSON_FOR_EACH(m, obj) {
        fs_resource_spec *r = &sc->resources[i];
        if (!FS__NAME_LEN(m->string))
            return fs_jr_fail_key(&ld->r, m, FS__NAME_LEN_MSG, "resource name", FS_MAX_NAME, strlen(m->string));
        if (!(r->name = fs_arena_strdup(ld->r.arena, m->string)))
            return fs_jr_nomem(&ld->r);
        FS__AT_KEY(ld, m->string, load_resource(ld, m, r));
        sc->n_resources = ++i;
    }
    return FS_ERR_OK;
}

static int find_resource(const fs__loader *ld, const char *name)
{
    if (!ld->resources.slots)
        return -1;
    size_t i = fs_json_names_find(&ld->resources, name);
    return i == SIZE_MAX ? -1 : (int)i;
}

/* ---- futures -------------------------------------------------------------------- */

static fs_errcode load_future(fs__loader *ld, const fs_json_node *node, fs_future_spec *f, int depth);

static void index_kinds(fs__loader *ld)
{
    for (int k = FS_FUT__COUNT - 1; k >= 0; k--) {
        unsigned c = (unsigned char)KINDS[k].key[0] - 'a'; /* < 26: every key is lower case */
        ld->kind_next[k] = ld->kind_first[c];
        ld->kind_first[c] = (uint8_t)(k + 1);
    }
}

/* The kind whose key is `key`, or FS_FUT__COUNT. */
static int kind_of(const fs__loader *ld, const char *key)
{
    unsigned c = (unsigned char)key[0] - 'a';
    for (int k = c < 26 ? ld->kind_first[c] : 0; k; k = ld->kind_next[k - 1])
        if (strcmp(key + 1, KINDS[k - 1].key + 1) == 0)
            return k - 1;
    return FS_FUT__COUNT;
}

/* The one kind key of a future. Without one, a key that no future takes is
 * reported as unknown: most likely it is a misspelt kind. */
static fs_errcode find_kind(fs__loader *ld, const fs_json_node *obj, const fs_json_node **km, fs_fut_kind *kind)
{
    const char *names[FS_FUT__COUNT];
    const fs_json_node *m;
    char q[80], list[512];
    *km = NULL;
    FS_JSON_FOR_EACH(m, obj) {
        int k = kind_of(ld, m->string);
        if (k < FS_FUT__COUNT && *km)
            return fs_jr_fail_key(&ld->r, m, "a future has exactly one kind, got \"%s\" and \"%s\"",
                            (*km)->string, m->string);
        if (k < FS_FUT__COUNT) {
            *km = m;
            *kind = (fs_fut_kind)k;
        }
    }
    if (*km)
        return FS_ERR_OK;
    for (int k = 0; k < FS_FUT__COUNT; k++)
        names[k] = KINDS[k].key;
    fs_jr_join(names, FS_FUT__COUNT, list, sizeof list);
    FS_JSON_FOR_EACH(m, obj) {
        bool extra = fs_jr_in_list(m->string, FAULT_KEYS, FS__COUNT(FAULT_KEYS));
        for (int k = 0; k < FS_FUT__COUNT; k++) {
            extra |= KINDS[k].extra && fs_jr_streq(m->string, KINDS[k].extra);
            extra |= KINDS[k].extra2 && fs_jr_streq(m->string, KINDS[k].extra2);
        }
        if (!extra)
            return fs_jr_fail_key(&ld->r, m, "unknown key %s (expected one of: %s)",
                            fs_json_quote(m->string, q, sizeof q), list);
    }
    return fs_jr_fail(&ld->r, obj, "missing the future's kind: one of the keys %s", list);
}

/* The keys a future of this kind takes; the fault options on leaves only. */
static fs_errcode check_future_keys(fs__loader *ld, const fs_json_node *obj, fs_fut_kind kind)
{
    const char *allowed[5] = {KINDS[kind].key};
    size_t n = 1;
    const fs_json_node *m;
    if (KINDS[kind].extra)
        allowed[n++] = KINDS[kind].extra;
    if (KINDS[kind].extra2)
        allowed[n++] = KINDS[kind].extra2;
    if (KINDS[kind].leaf) {
        allowed[n++] = FAULT_KEYS[0];
        allowed[n++] = FAULT_KEYS[1];
    }
    FS_JSON_FOR_EACH(m, obj) {
        if (!KINDS[kind].leaf && fs_jr_in_list(m->string, FAULT_KEYS, FS__COUNT(FAULT_KEYS))) {
            fs_jr_path_key(&ld->r, m->string);
            return fs_jr_fail_key(&ld->r, m, "fault options apply to leaf futures only");
        }
    }
    return fs_jr_check_keys(&ld->r, obj, allowed, n);
}

/* sleep_ms, compute_ms: a duration. */
static fs_errcode load_timed(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    const char *verb = f->kind == FS_FUT_SLEEP ? "sleep"
                       : f->kind == FS_FUT_COMPUTE ? "compute" : "spawn_blocking";
    const fs_dur *d = &f->dur;
    FS__TRY(read_duration(ld, val, &f->dur));
    if (ld->timed_label && ld->timed_label == ld->last_label && ld->timed_kind == f->kind &&
        ld->timed_dur.kind == d->kind && ld->timed_dur.a_ms == d->a_ms && ld->timed_dur.b_ms == d->b_ms) {
        f->label = ld->timed_label; /* as the last one: its label, not built again */
        return FS_ERR_OK;
    }
    fs__label l = {.len = 0};
    label_str(&l, verb);
    label_str(&l, d->kind == FS_DUR_UNIFORM ? " uniform " : d->kind == FS_DUR_EXP ? " exp " : " ");
    label_int(&l, d->a_ms);
    if (d->kind == FS_DUR_UNIFORM) {
        label_str(&l, "..");
        label_int(&l, d->b_ms);
    }
    label_str(&l, "ms");
    f->label = ld->timed_label = label_done(ld, &l);
    ld->timed_kind = f->kind;
    ld->timed_dur = *d;
    return FS_ERR_OK;
}

/* The resource types each kind on a resource takes, and how to say it. */
static unsigned io_fits(fs_fut_kind kind, const char **needs)
{
    switch (kind) {
    case FS_FUT_READ:
        *needs = "a socket, a file or a listener";
        return 1u << FS_RES_SOCKET | 1u << FS_RES_FILE | 1u << FS_RES_LISTENER;
    case FS_FUT_ACCEPT:
    case FS_FUT_WRITE: *needs = "a listener"; return 1u << FS_RES_LISTENER;
    case FS_FUT_OPEN: *needs = "a file"; return 1u << FS_RES_FILE;
    case FS_FUT_SEND:
    case FS_FUT_RECV: *needs = "a channel or a oneshot"; return 1u << FS_RES_CHANNEL | 1u << FS_RES_ONESHOT;
    case FS_FUT_LOCK: *needs = "a mutex"; return 1u << FS_RES_MUTEX;
    case FS_FUT_READ_LOCK:
    case FS_FUT_WRITE_LOCK: *needs = "an rwlock"; return 1u << FS_RES_RWLOCK;
    case FS_FUT_ACQUIRE:
    case FS_FUT_CLOSE: *needs = "a semaphore or a channel"; return 1u << FS_RES_SEMAPHORE | 1u << FS_RES_CHANNEL;
    case FS_FUT_DROP: *needs = "a oneshot"; return 1u << FS_RES_ONESHOT;
    default: *needs = "a notify"; return 1u << FS_RES_NOTIFY;
    }
}

/* read, open, send, recv and the tokio::sync forms: the name of a resource
 * of a fitting type. */
static fs_errcode load_io(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    const char *needs;
    unsigned fits = io_fits(f->kind, &needs);
    char q[80];
    if (!fs_json_is_string(val))
        return fs_jr_fail(&ld->r, val, "expected a resource name (a string), got %s", fs_json_type_name(val));
    int r = find_resource(ld, val->valuestring);
    if (r < 0)
        return fs_jr_fail(&ld->r, val, "unknown resource %s", fs_json_quote(val->valuestring, q, sizeof q));
    const fs_resource_spec *res = &ld->sc->resources[r];
    if (!(fits & 1u << res->kind))
        return fs_jr_fail(&ld->r, val, "%s is a %s; %s needs %s", fs_json_quote(res->name, q, sizeof q),
                    RES_TYPES[res->kind], KINDS[f->kind].key, needs);
    f->resource = r;
    fs__label l = {.len = 0};
    label_str(&l, KINDS[f->kind].key);
    label_str(&l, " ");
    label_str(&l, res->name);
    f->label = label_done(ld, &l);
    return FS_ERR_OK;
}

/* seq, join, select: a non-empty array of futures. */
static fs_errcode load_list(fs__loader *ld, const fs_json_node *val, fs_future_spec *f, int depth)
{
    size_t n = fs_jr_count_items(val), i = 0;
    const fs_json_node *it;
    if (!fs_json_is_array(val))
        return fs_jr_fail(&ld->r, val, "expected an array of futures, got %s", fs_json_type_name(val));
    if (n == 0)
        return fs_jr_fail(&ld->r, val, "expected at least one future");
    if (!(f->children = fs_arena_alloc(ld->r.arena, n * sizeof *f->children)))
        return fs_jr_nomem(&ld->r);
    f->n_children = n;
    FS_JSON_FOR_EACH(it, val) {
        FS__AT_INDEX(ld, i, load_future(ld, it, &f->children[i], depth + 1));
        i++;
    }
    f->label = KINDS[f->kind].key;
    return FS_ERR_OK;
}

/* The one child of spawn ("future") and of repeat ("do"). */
static fs_errcode load_child(fs__loader *ld, const fs_json_node *obj, const char *key, fs_future_spec *f,
                             int depth)
{
    const fs_json_node *body = fs_jr_member(obj, key);
    if (!body)
        return fs_jr_missing(&ld->r, obj, key);
    if (!(f->children = fs_arena_alloc(ld->r.arena, sizeof *f->children)))
        return fs_jr_nomem(&ld->r);
    f->n_children = 1;
    FS__AT_KEY(ld, key, load_future(ld, body, f->children, depth + 1));
    return FS_ERR_OK;
}

/* "spawn": {"name": ..., "future": F} */
static fs_errcode load_spawn(fs__loader *ld, const fs_json_node *val, fs_future_spec *f, int depth)
{
    static const char *const keys[] = {"name", "future"};
    const fs_json_node *name;
    FS__TRY(fs_jr_check_object(&ld->r, val, "an object {\"name\": ..., \"future\": ...}", keys, 2));
    if (!(name = fs_jr_member(val, "name")))
        return fs_jr_missing(&ld->r, val, "name");
    FS__AT_KEY(ld, "name", read_task_name(ld, name, "task name", &f->spawn_name));
    FS__TRY(load_child(ld, val, "future", f, depth));
    fs__label l = {.len = 0};
    label_str(&l, "spawn ");
    label_str(&l, f->spawn_name);
    f->label = label_done(ld, &l);
    return FS_ERR_OK;
}

/* "join_set": {"name": ..., "count": N, "future": F}: N tasks name#0 ..
 * name#N-1 (counting on through a repeat's iterations) in one JoinSet. */
static fs_errcode load_join_set(fs__loader *ld, const fs_json_node *val, fs_future_spec *f, int depth)
{
    static const char *const keys[] = {"name", "count", "future"};
    const fs_json_node *name, *count;
    FS__TRY(fs_jr_check_object(&ld->r, val, "an object {\"name\": ..., \"count\": N, \"future\": ...}", keys, 3));
    if (!(name = fs_jr_member(val, "name")))
        return fs_jr_missing(&ld->r, val, "name");
    if (!(count = fs_jr_member(val, "count")))
        return fs_jr_missing(&ld->r, val, "count");
    FS__AT_KEY(ld, "name", read_task_name(ld, name, "task name", &f->spawn_name));
    FS__TRY(read_count_member(ld, val, "count", &R_SET_COUNT, &f->dur, &f->repeat));
    FS__TRY(load_child(ld, val, "future", f, depth));
    fs__label l = {.len = 0};
    label_str(&l, "join_set ");
    label_str(&l, f->spawn_name);
    f->label = label_done(ld, &l);
    return FS_ERR_OK;
}

/* Is there a {"spawn": {"name": name, ...}} or a {"join_set": {"name":
 * name, ...}} anywhere in the document below n? */
static bool names_a_spawn(const fs_json_node *n, const char *name)
{
    const fs_json_node *m;
    FS_JSON_FOR_EACH(m, n) {
        if (m->string && (strcmp(m->string, "spawn") == 0 || strcmp(m->string, "join_set") == 0) &&
            fs_json_is_object(m)) {
            const fs_json_node *nm = fs_jr_member(m, "name");
            if (fs_json_is_string(nm) && strcmp(nm->valuestring, name) == 0)
                return true;
        }
        if ((fs_json_is_object(m) || fs_json_is_array(m)) && names_a_spawn(m, name))
            return true;
    }
    return false;
}

/* "abort": "n": a task name that some spawn or join_set of the scenario
 * gives (which task it aborts is decided when it runs). */
static fs_errcode load_abort(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    char q[80];
    FS__TRY(read_name(ld, val, "spawned task's name", &f->spawn_name));
    if (!names_a_spawn(fs_json_root(ld->r.doc), f->spawn_name))
        return fs_jr_fail(&ld->r, val, "no spawn or join_set is named %s",
                          fs_json_quote(f->spawn_name, q, sizeof q));
    fs__label l = {.len = 0};
    label_str(&l, "abort ");
    label_str(&l, f->spawn_name);
    f->label = label_done(ld, &l);
    return FS_ERR_OK;
}

/* timeout_ms: D, "do": f -> children f and a sleep of D (the select that
 * fut_select.c runs), both labelled "timeout Dms". */
static fs_errcode load_timeout(fs__loader *ld, const fs_json_node *node, const fs_json_node *val,
                               fs_future_spec *f, int depth)
{
    fs_future_spec sleep = {.kind = FS_FUT_SLEEP, .resource = -1, .pos = srcpos(ld, val)};
    FS__AT_KEY(ld, "timeout_ms", read_duration(ld, val, &sleep.dur));
    const fs_json_node *body = fs_jr_member(node, "do");
    if (!body)
        return fs_jr_missing(&ld->r, node, "do");
    if (!(f->children = fs_arena_alloc(ld->r.arena, 2 * sizeof *f->children)))
        return fs_jr_nomem(&ld->r);
    f->n_children = 2;
    f->dur = sleep.dur;
    FS__AT_KEY(ld, "do", load_future(ld, body, &f->children[0], depth + 1));
    fs__label l = {.len = 0};
    label_str(&l, "timeout ");
    label_int(&l, sleep.dur.a_ms);
    label_str(&l, "ms");
    sleep.label = f->label = label_done(ld, &l);
    f->children[1] = sleep;
    return FS_ERR_OK;
}

/* "backoff": {"fixed_ms": D} or {"exponential_ms": base, "max_ms": cap}, and
 * "jitter": true for full jitter. */
static fs_errcode load_backoff(fs__loader *ld, const fs_json_node *b, fs_future_spec *f)
{
    static const char *const keys[] = {"fixed_ms", "exponential_ms", "max_ms", "jitter"};
    const fs_json_node *m;
    FS__TRY(fs_jr_check_object(&ld->r, b, "a backoff ({\"fixed_ms\": D} or {\"exponential_ms\": ms})", keys, 4));
    FS__TRY(fs_jr_one_of(&ld->r, b, "fixed_ms", "exponential_ms", "a backoff", &m));
    FS__TRY(fs_jr_bool_member(&ld->r, b, "jitter", &f->has_value));
    if (strcmp(m->string, "fixed_ms") == 0) {
        if (fs_jr_member(b, "max_ms"))
            return fs_jr_fail_key(&ld->r, fs_jr_member(b, "max_ms"), "max_ms goes with exponential_ms");
        FS__AT_KEY(ld, "fixed_ms", read_duration(ld, m, &f->dur));
        return FS_ERR_OK;
    }
    f->dur.kind = FS_DUR_FIXED;
    FS__AT_KEY(ld, "exponential_ms", fs_jr_read_int(&ld->r, m, &R_MEAN, &f->dur.a_ms));
    f->value = FS_MAX_DURATION_MS;
    return fs_jr_int_member(&ld->r, b, "max_ms", &R_MEAN, &f->value);
}

/* "spawn_blocking": {"name": ..., "compute_ms": D}: the closure's run time
 * on a pool thread; the name (optional) labels the job. */
static fs_errcode load_spawn_blocking(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    static const char *const keys[] = {"name", "compute_ms"};
    const fs_json_node *name, *ms;
    FS__TRY(fs_jr_check_object(&ld->r, val, "an object {\"compute_ms\": ...} (and an optional \"name\")",
                               keys, 2));
    if ((name = fs_jr_member(val, "name")))
        FS__AT_KEY(ld, "name", read_name(ld, name, "job name", &f->spawn_name));
    if (!(ms = fs_jr_member(val, "compute_ms")))
        return fs_jr_missing(&ld->r, val, "compute_ms");
    FS__AT_KEY(ld, "compute_ms", load_timed(ld, ms, f));
    return FS_ERR_OK;
}

/* "interval": {"period_ms": D, "missed": "burst"|"delay"|"skip"}: the
 * period (drawn once, when the interval starts) and tokio's
 * MissedTickBehavior (default burst, as tokio's). Labels "interval 10ms
 * skip" and, for its ticks, "tick 10ms". */
static fs_errcode load_interval(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    static const char *const keys[] = {"period_ms", "missed"};
    const fs_json_node *period, *missed;
    char q[80];
    FS__TRY(fs_jr_check_object(&ld->r, val, "an object {\"period_ms\": ms, \"missed\": \"burst\"}", keys, 2));
    if (!(period = fs_jr_member(val, "period_ms")))
        return fs_jr_missing(&ld->r, val, "period_ms");
    FS__AT_KEY(ld, "period_ms", read_ms_or_draw(ld, period, &R_PERIOD, &f->dur));
    f->value = FS_MISSED_BURST;
    if ((missed = fs_jr_member(val, "missed"))) {
        size_t at = fs_jr_path_key(&ld->r, "missed");
        int64_t k = 0;
        while (k < (int64_t)FS__COUNT(MISSED) &&
               !(fs_json_is_string(missed) && strcmp(missed->valuestring, MISSED[k]) == 0))
            k++;
        if (k == (int64_t)FS__COUNT(MISSED))
            return fs_jr_fail(&ld->r, missed, "expected \"burst\", \"delay\" or \"skip\", got %s",
                              fs_json_is_string(missed) ? fs_json_quote(missed->valuestring, q, sizeof q)
                                                        : fs_json_type_name(missed));
        f->value = k;
        fs_jr_path_pop(&ld->r, at);
    }
    fs__label l = {.len = 0}, t = {.len = 0};
    const fs_dur *d = &f->dur;
    label_str(&l, "interval");
    label_str(&t, "tick");
    label_str(&l, d->kind == FS_DUR_UNIFORM ? " uniform " : d->kind == FS_DUR_EXP ? " exp " : " ");
    label_str(&t, d->kind == FS_DUR_UNIFORM ? " uniform " : d->kind == FS_DUR_EXP ? " exp " : " ");
    label_int(&l, d->a_ms);
    label_int(&t, d->a_ms);
    if (d->kind == FS_DUR_UNIFORM) {
        label_str(&l, "..");
        label_str(&t, "..");
        label_int(&l, d->b_ms);
        label_int(&t, d->b_ms);
    }
    label_str(&l, "ms ");
    label_str(&t, "ms");
    label_str(&l, MISSED[f->value]);
    f->label = label_done(ld, &l);
    if (!(ld->tick_label = label_done(ld, &t)))
        return fs_jr_nomem(&ld->r);
    return FS_ERR_OK;
}

/* tick and break: true, and only where the loop they act on reaches. */
static fs_errcode load_loop_leaf(fs__loader *ld, const fs_json_node *val, fs_future_spec *f)
{
    if (!fs_json_is_true(val))
        return fs_jr_fail(&ld->r, val, "expected true, got %s", fs_json_type_name(val));
    if (f->kind == FS_FUT_TICK) {
        if (!ld->tick_ok)
            return fs_jr_fail(&ld->r, val, "tick outside an interval: it awaits the next tick of the "
                                           "interval whose \"do\" it is in (not across a spawn or a call)");
        f->label = ld->tick_label;
        return FS_ERR_OK;
    }
    if (!ld->loop_ok)
        return fs_jr_fail(&ld->r, val, "break outside a loop: it ends the innermost repeat, while or interval "
                                       "whose \"do\" it is in (through seq, select, lock and acquire; not "
                                       "across a join, a timeout, a retry, a spawn or a call)");
    f->label = "break";
    return FS_ERR_OK;
}

static fs_errcode load_future(fs__loader *ld, const fs_json_node *node, fs_future_spec *f, int depth);

/* A definition in "futures": a future, or {"params": {...}, "body": F}
 * (an async fn with parameters; load_named checked its form). */
static const fs_json_node *def_body(const fs_json_node *def, const fs_json_node **params)
{
    const fs_json_node *body = fs_jr_member(def, "body");
    *params = fs_jr_member(def, "params");
    return *params || body ? body : def;
}

/* Builds a definition's body here, its parameters bound (ps; none when
 * params is NULL): a copy with their values in place of "$p". */
static fs_errcode load_body(fs__loader *ld, const char *name, const fs_json_node *body,
                            const fs_json_node *params, const fs_params *ps, fs_future_spec *f, int depth)
{
    fs_json_node *copy = NULL;
    if (params)
        FS__TRY(fs_scenario_substitute(&ld->r, body, name, ps, &copy));
    fs_errcode e = load_future(ld, copy ? copy : body, f, depth);
    if (e == FS_ERR_INPUT && params) /* an error in a value says which parameter's */
        fs_scenario_note_param(&ld->r, name, params, ps, &ld->param_note);
    free(copy);
    return e;
}

/* {"call": "name", "with": {...}}: the named future (an async fn's body)
 * built in place, as if its definition were written here with the call's
 * values for its parameters. Definitions are checked on their own first
 * (load_named); one with a parameter that has no default is checked at
 * each call, with the call's values. */
static fs_errcode load_call(fs__loader *ld, const fs_json_node *node, const fs_json_node *name,
                            fs_future_spec *f, int depth)
{
    static const char *const keys[] = {"call", "with"};
    char q[80], list[256];
    FS__TRY(fs_jr_check_keys(&ld->r, node, keys, 2));
    size_t at = fs_jr_path_key(&ld->r, "call");
    if (!fs_json_is_string(name))
        return fs_jr_fail(&ld->r, name, "expected the name of a future defined in \"futures\" (a string), got %s",
                          fs_json_type_name(name));
    size_t at_def = ld->defs ? fs_json_names_find(&ld->def_ix, name->valuestring) : SIZE_MAX;
    const fs_json_node *def = at_def != SIZE_MAX ? ld->defs + at_def : NULL;
    if (!def && !ld->defs)
        return fs_jr_fail(&ld->r, name, "unknown future %s: no \"futures\" are defined",
                          fs_json_quote(name->valuestring, q, sizeof q));
    if (!def) {
        const char *names[16];
        size_t n = 0;
        const fs_json_node *m;
        FS_JSON_FOR_EACH(m, ld->defs) {
            if (n < 16)
                names[n++] = m->string;
        }
        fs_jr_join(names, n, list, sizeof list);
        return fs_jr_fail(&ld->r, name, "unknown future %s (\"futures\" defines: %s)",
                          fs_json_quote(name->valuestring, q, sizeof q), list);
    }
    const fs_json_node *params, *body = def_body(def, &params);
    fs_params ps = {.n = 0};
    fs_jr_path_pop(&ld->r, at);
    if (params)
        FS__TRY(fs_scenario_read_params(&ld->r, params, &ps));
    FS__TRY(fs_scenario_bind_params(&ld->r, name->valuestring, node, fs_jr_member(node, "with"), &ps));
    at = fs_jr_path_key(&ld->r, "call");
    if (!ld->expand) { /* checking a definition: its calls are built later */
        f->kind = FS_FUT_YIELD;
        f->label = "call";
        fs_jr_path_pop(&ld->r, at);
        return FS_ERR_OK;
    }
    for (int i = 0; i < ld->n_calls; i++) {
        if (strcmp(ld->calls[i], name->valuestring) != 0)
            continue;
        char cycle[512];
        size_t len = 0;
        for (int k = i; k < ld->n_calls && len < sizeof cycle - 1; k++)
            len += (size_t)snprintf(cycle + len, sizeof cycle - len, "%s -> ", ld->calls[k]);
        if (len < sizeof cycle - 1)
            snprintf(cycle + len, sizeof cycle - len, "%s", name->valuestring);
        return fs_jr_fail(&ld->r, name, "future %s calls itself: %s",
                          fs_json_quote(name->valuestring, q, sizeof q), cycle);
    }
    if (ld->call_futures > ld->max_call_futures)
        return fs_jr_fail(&ld->r, name,
                          "calling %s here makes calls build more than %lld futures in all "
                          "(each call builds its own copy of the named future, so calls "
                          "inside calls multiply)",
                          fs_json_quote(name->valuestring, q, sizeof q), ld->max_call_futures);
    if (ld->n_calls == FS_MAX_DEPTH || depth + 1 > FS_MAX_DEPTH)
        return fs_jr_fail(&ld->r, name, "calling %s here nests futures deeper than %d",
                          fs_json_quote(name->valuestring, q, sizeof q), FS_MAX_DEPTH);
    ld->calls[ld->n_calls++] = name->valuestring;
    ld->loop_ok = ld->tick_ok = false; /* an async fn cannot break its caller's loop */
    FS__TRY(load_body(ld, name->valuestring, body, params, &ps, f, depth + 1));
    ld->n_calls--;
    fs_jr_path_pop(&ld->r, at);
    return FS_ERR_OK;
}

/* acquire: "permits" (default 1; a random count in dur, drawn as each
 * acquire starts), then the body ("do"); the label says how many when more
 * than one ("acquire s (3 permits)", "acquire s (uniform 1..3 permits)"). */
static fs_errcode load_acquire(fs__loader *ld, const fs_json_node *obj, fs_future_spec *f, int depth)
{
    f->value = 1;
    FS__TRY(read_count_member(ld, obj, "permits", &R_ACQUIRE, &f->dur, &f->value));
    if (f->value > 1 || f->dur.kind != FS_DUR_FIXED) {
        fs__label l = {.len = 0};
        label_str(&l, f->label);
        label_str(&l, " (");
        label_draw(&l, &f->dur, f->value);
        label_str(&l, " permits)");
        if (!(f->label = label_done(ld, &l)))
            return fs_jr_nomem(&ld->r);
    }
    return load_child(ld, obj, "do", f, depth);
}

/* The kind's own value, then the kind's other keys, then the faults. */
static fs_errcode load_future_in(fs__loader *ld, const fs_json_node *node, fs_future_spec *f, int depth)
{
    const fs_json_node *km;
    size_t at;
    f->resource = -1;
    f->pos = srcpos(ld, node);
    if (ld->n_calls > 0)
        ld->call_futures++;
    if (depth > FS_MAX_DEPTH)
        return fs_jr_fail(&ld->r, node, "futures nested deeper than %d", FS_MAX_DEPTH);
    FS__TRY(fs_jr_check_object(&ld->r, node, "a future (an object such as {\"sleep_ms\": 10})", NULL, 0));
    if ((km = fs_jr_member(node, "call")))
        return load_call(ld, node, km, f, depth);
    FS__TRY(find_kind(ld, node, &km, &f->kind));
    /* most futures are their kind key alone: nothing else to check or read */
    bool alone = fs_json_child(node) == km && !km->next;
    if (!alone)
        FS__TRY(check_future_keys(ld, node, f->kind));

    at = fs_jr_path_key(&ld->r, km->string);
    switch (f->kind) {
    case FS_FUT_SLEEP:
    case FS_FUT_COMPUTE:
        FS__TRY(load_timed(ld, km, f));
        break;
    case FS_FUT_READ:
    case FS_FUT_OPEN:
    case FS_FUT_SEND:
    case FS_FUT_RECV:
    case FS_FUT_LOCK:
    case FS_FUT_READ_LOCK:
    case FS_FUT_WRITE_LOCK:
    case FS_FUT_ACQUIRE:
    case FS_FUT_CLOSE:
    case FS_FUT_NOTIFY_ONE:
    case FS_FUT_NOTIFY_WAITERS:
    case FS_FUT_NOTIFIED:
    case FS_FUT_DROP:
    case FS_FUT_ACCEPT:
    case FS_FUT_WRITE:
        FS__TRY(load_io(ld, km, f));
        break;
    case FS_FUT_YIELD:
        if (!fs_json_is_true(km))
            return fs_jr_fail(&ld->r, km, "expected true, got %s", fs_json_type_name(km));
        f->label = "yield";
        break;
    case FS_FUT_SEQ:
    case FS_FUT_JOIN:
    case FS_FUT_SELECT:
        if (f->kind == FS_FUT_JOIN) /* join!'s branches are async blocks of their own */
            ld->loop_ok = false;
        FS__TRY(load_list(ld, km, f, depth));
        break;
    case FS_FUT_SPAWN:
        ld->loop_ok = ld->tick_ok = false; /* a task of its own */
        FS__TRY(load_spawn(ld, km, f, depth));
        break;
    case FS_FUT_SPAWN_BLOCKING:
        FS__TRY(load_spawn_blocking(ld, km, f));
        break;
    case FS_FUT_JOIN_SET:
        ld->loop_ok = ld->tick_ok = false; /* tasks of their own */
        FS__TRY(load_join_set(ld, km, f, depth));
        break;
    case FS_FUT_ABORT:
        FS__TRY(load_abort(ld, km, f));
        break;
    case FS_FUT_INTERVAL:
        FS__TRY(load_interval(ld, km, f));
        break;
    case FS_FUT_TICK:
    case FS_FUT_BREAK:
        FS__TRY(load_loop_leaf(ld, km, f));
        break;
    case FS_FUT_TIMEOUT:
        ld->loop_ok = false;
        fs_jr_path_pop(&ld->r, at);
        FS__TRY(load_timeout(ld, node, km, f, depth));
        at = fs_jr_path_key(&ld->r, km->string);
        break;
    case FS_FUT_WHILE:
        if (!(f->children = fs_arena_alloc(ld->r.arena, 2 * sizeof *f->children)))
            return fs_jr_nomem(&ld->r);
        f->n_children = 2;
        ld->loop_ok = false; /* the condition's: `while let Ok(_) = c.await` */
        FS__TRY(load_future(ld, km, &f->children[0], depth + 1));
        f->label = "while";
        break;
    case FS_FUT_RETRY:
        ld->loop_ok = false;
        f->n_children = 1;
        if (!(f->children = fs_arena_alloc(ld->r.arena, sizeof *f->children)))
            return fs_jr_nomem(&ld->r);
        FS__TRY(load_future(ld, km, &f->children[0], depth + 1));
        f->label = "retry";
        break;
    case FS_FUT_REPEAT: {
        fs__label l = {.len = 0};
        FS__TRY(read_count(ld, km, &R_REPEAT, &f->dur, &f->repeat));
        label_str(&l, "repeat ");
        label_draw(&l, &f->dur, f->repeat);
        f->label = label_done(ld, &l);
        break;
    }
    case FS_FUT__COUNT:
        break;
    }
    fs_jr_path_pop(&ld->r, at);
    if (!f->label)
        return fs_jr_nomem(&ld->r);

    if (f->kind == FS_FUT_SEND) {
        f->has_value = fs_jr_member(node, "value") != NULL;
        FS__TRY(fs_jr_int_member(&ld->r, node, "value", &R_VALUE, &f->value));
    } else if (f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_SPAWN_BLOCKING) {
        FS__TRY(fs_jr_bool_member(&ld->r, node, "await", &f->spawn_await));
    } else if (f->kind == FS_FUT_REPEAT || f->kind == FS_FUT_LOCK || f->kind == FS_FUT_INTERVAL ||
               f->kind == FS_FUT_READ_LOCK || f->kind == FS_FUT_WRITE_LOCK) {
        if (f->kind == FS_FUT_REPEAT || f->kind == FS_FUT_INTERVAL)
            ld->loop_ok = true;
        if (f->kind == FS_FUT_INTERVAL)
            ld->tick_ok = true;
        FS__TRY(load_child(ld, node, "do", f, depth));
    } else if (f->kind == FS_FUT_WHILE) {
        const fs_json_node *body = fs_jr_member(node, "do");
        ld->loop_ok = true;
        if (!body)
            return fs_jr_missing(&ld->r, node, "do");
        FS__AT_KEY(ld, "do", load_future(ld, body, &f->children[1], depth + 1));
    } else if (f->kind == FS_FUT_RETRY) {
        const fs_json_node *b = fs_jr_member(node, "backoff");
        fs_dur *t = fs_arena_alloc(ld->r.arena, sizeof *t);
        if (!t)
            return fs_jr_nomem(&ld->r);
        *t = (fs_dur){.kind = FS_DUR_FIXED};
        f->repeat = 3;
        FS__TRY(read_count_member(ld, node, "attempts", &R_ATTEMPTS, t, &f->repeat));
        if (t->kind != FS_DUR_FIXED) /* drawn per retry, when a try first fails */
            f->take = t;
        if (b)
            FS__AT_KEY(ld, "backoff", load_backoff(ld, b, f));
    } else if (f->kind == FS_FUT_ACQUIRE) {
        FS__TRY(load_acquire(ld, node, f, depth));
    } else if (f->kind == FS_FUT_JOIN_SET) {
        const fs_json_node *take = fs_jr_member(node, "take");
        fs_dur *t = fs_arena_alloc(ld->r.arena, sizeof *t);
        if (!t)
            return fs_jr_nomem(&ld->r);
        *t = (fs_dur){.kind = FS_DUR_FIXED};
        f->value = f->repeat; /* the default: all (the count drawn, when random) */
        FS__TRY(read_count_member(ld, node, "take", &R_SET_COUNT, t, &f->value));
        if (t->kind != FS_DUR_FIXED)
            f->take = t;
        /* a random count or take: the take is clamped to the count drawn */
        if (f->value > f->repeat && !f->take) { /* (repeat: the largest count) */
            fs_jr_path_key(&ld->r, "take");
            return fs_jr_fail(&ld->r, take, "take (%lld) is more than the set's count (%lld)",
                              (long long)f->value, (long long)f->repeat);
        }
    } else if (f->kind == FS_FUT_WRITE) {
        /* bytes: fixed, or drawn as a duration is (each write draws anew) */
        if (!fs_jr_member(node, "bytes"))
            return fs_jr_missing(&ld->r, node, "bytes");
        FS__TRY(read_duration_member(ld, node, "bytes", &R_BYTES, &f->dur));
    }
    if (!KINDS[f->kind].leaf || alone)
        return FS_ERR_OK;
    FS__TRY(fs_jr_bool_member(&ld->r, node, "forget_waker", &f->forget_waker));
    /* a random count: drawn as the leaf starts (spurious_wakes holds its largest) */
    fs_dur k = {.kind = FS_DUR_FIXED};
    FS__TRY(read_count_member(ld, node, "spurious_wakes", &R_SPURIOUS, &k, &f->spurious_wakes));
    if (k.kind != FS_DUR_FIXED) {
        fs_dur *t = fs_arena_alloc(ld->r.arena, sizeof *t);
        if (!t)
            return fs_jr_nomem(&ld->r);
        *t = k;
        f->take = t;
    }
    return FS_ERR_OK;
}

/* A future, with what its children may break out of or tick restored
 * after it: they are its own. */
static fs_errcode load_future(fs__loader *ld, const fs_json_node *node, fs_future_spec *f, int depth)
{
    bool loop_ok = ld->loop_ok, tick_ok = ld->tick_ok;
    const char *tick_label = ld->tick_label;
    fs_errcode e = load_future_in(ld, node, f, depth);
    ld->loop_ok = loop_ok;
    ld->tick_ok = tick_ok;
    ld->tick_label = tick_label;
    return e;
}

/* ---- tasks and the top level ----------------------------------------------------- */

/* Numbers the futures of a task in document order and marks those inside a
 * repeat: a random draw is keyed by the place, never by a pointer. */
static void number_places(fs_future_spec *f, uint32_t *next, bool in_repeat, size_t *sends)
{
    f->place = (*next)++;
    f->in_repeat = in_repeat;
    *sends += f->kind == FS_FUT_SEND || f->kind == FS_FUT_DROP || f->kind == FS_FUT_RECV;
    bool below = in_repeat || f->kind == FS_FUT_REPEAT || f->kind == FS_FUT_WHILE ||
                 f->kind == FS_FUT_RETRY || f->kind == FS_FUT_INTERVAL;
    for (size_t i = 0; i < f->n_children; i++) {
        /* a spawned task's future starts its own count of repeats */
        number_places(&f->children[i], next,
                      f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_JOIN_SET ? false : below, sends);
    }
}

/* One definition of "futures" (the path at it): checked, or built when
 * ld->expand. The parameterised form {"params": {...}, "body": F}: every
 * "$p" in F must name a parameter; F is checked (built) with the defaults
 * when every parameter has one, else only at each call. */
static fs_errcode load_definition(fs__loader *ld, const fs_json_node *m, fs_future_spec *scratch)
{
    static const char *const keys[] = {"params", "body"};
    const fs_json_node *params, *body = def_body(m, &params);
    fs_params ps = {.n = 0};
    if (!params && body == m)
        return load_future(ld, m, scratch, 1);
    FS__TRY(fs_jr_check_object(&ld->r, m, "a future, or {\"params\": {...}, \"body\": future}", keys, 2));
    if (!params)
        return fs_jr_missing(&ld->r, m, "params");
    if (!body)
        return fs_jr_missing(&ld->r, m, "body");
    FS__AT_KEY(ld, "params", fs_scenario_read_params(&ld->r, params, &ps));
    size_t at = fs_jr_path_key(&ld->r, "body");
    FS__TRY(fs_scenario_check_refs(&ld->r, body, m->string, &ps));
    for (size_t i = 0; i < ps.n; i++) {
        if (!ps.value[i]) { /* built at each call, with its values */
            fs_jr_path_pop(&ld->r, at);
            return FS_ERR_OK;
        }
    }
    FS__TRY(load_body(ld, m->string, body, params, &ps, scratch, 1));
    fs_jr_path_pop(&ld->r, at);
    return FS_ERR_OK;
}

/* "futures": {"name": future, ...}: named futures, used with {"call":
 * "name"}. Each is checked where it is written (its calls only named),
 * then built once with its calls, which finds a future that calls itself. */
static fs_errcode load_named(fs__loader *ld, const fs_json_node *defs)
{
    const fs_json_node *m;
    if (!fs_json_is_object(defs))
        return fs_jr_fail(&ld->r, defs, "expected an object of named futures {\"name\": future, ...}, got %s",
                          fs_json_type_name(defs));
    ld->defs = defs;
    /* indexed: a search of the object at every call was n calls x n names */
    if (fs_json_names_init(&ld->def_ix, fs_jr_count_items(defs)) != 0)
        return fs_jr_nomem(&ld->r);
    FS_JSON_FOR_EACH(m, defs) {
        fs_json_names_add(&ld->def_ix, m->string, (size_t)(m - defs)); /* the first of a name */
    }
    for (int pass = 0; pass < 2; pass++) {
        ld->expand = pass == 1;
        FS_JSON_FOR_EACH(m, defs) {
            fs_future_spec scratch;
            memset(&scratch, 0, sizeof scratch);
            size_t at = fs_jr_path_key(&ld->r, m->string);
            if (!FS__NAME_LEN(m->string))
                return fs_jr_fail_key(&ld->r, m, FS__NAME_LEN_MSG, "future name", FS_MAX_NAME, strlen(m->string));
            ld->calls[0] = m->string;
            ld->n_calls = 1;
            FS__TRY(load_definition(ld, m, &scratch));
            fs_jr_path_pop(&ld->r, at);
        }
    }
    ld->n_calls = 0;
    return FS_ERR_OK;
}

/* A recv holds its channel's or oneshot's receiver. */
static bool holds_receiver(const fs_scenario *sc, const fs_future_spec *f)
{
    return f->kind == FS_FUT_RECV && (sc->resources[f->resource].kind == FS_RES_CHANNEL ||
                                      sc->resources[f->resource].kind == FS_RES_ONESHOT);
}

/* The sends, drops and recvs in f's subtree. */
static size_t count_sends(const fs_future_spec *f)
{
    size_t n = f->kind == FS_FUT_SEND || f->kind == FS_FUT_DROP || f->kind == FS_FUT_RECV;
    for (size_t i = 0; i < f->n_children; i++)
        n += count_sends(&f->children[i]);
    return n;
}

/* The channels and oneshots f's subtree sends to (or drops, a oneshot's
 * sender), and the channels it receives from (FS_HOLD_RECV | index), each
 * once, appended to out[*n]. */
static void gather_sends(const fs_scenario *sc, const fs_future_spec *f, int32_t *out, uint32_t *n)
{
    if (f->kind == FS_FUT_SEND || f->kind == FS_FUT_DROP || holds_receiver(sc, f)) {
        int32_t held = f->kind == FS_FUT_RECV ? f->resource | FS_HOLD_RECV : f->resource;
        uint32_t i = 0;
        while (i < *n && out[i] != held)
            i++;
        if (i == *n)
            out[(*n)++] = held;
    }
    for (size_t i = 0; i < f->n_children; i++)
        gather_sends(sc, &f->children[i], out, n);
}

/* Fills `sends` of the root f and of every spawn's future below it. */
static fs_errcode mark_senders(fs__loader *ld, fs_future_spec *f, bool root)
{
    size_t most = root ? count_sends(f) : 0;
    if (most) {
        int32_t *s = fs_arena_alloc(ld->r.arena, most * sizeof *s);
        uint32_t n = 0;
        if (!s)
            return fs_jr_nomem(&ld->r);
        gather_sends(ld->sc, f, s, &n);
        f->sends = s;
        f->n_sends = n;
    }
    for (size_t i = 0; i < f->n_children; i++)
        FS__TRY(mark_senders(ld, &f->children[i],
                             f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_JOIN_SET));
    return FS_ERR_OK;
}

/* *n_futures: the futures in its tree (calls expanded, spawned futures in). */
static fs_errcode load_task(fs__loader *ld, const fs_json_node *node, fs_task_spec *t,
                            uint32_t *n_futures)
{
    static const char *const keys[] = {"name", "count", "future"};
    const fs_json_node *name, *fut;
    t->pos = srcpos(ld, node);
    FS__TRY(fs_jr_check_object(&ld->r, node, "a task (an object with \"name\" and \"future\")", keys, 3));
    name = fs_jr_member(node, "name");
    fut = fs_jr_member(node, "future");
    if (!name || !fut)
        return fs_jr_missing(&ld->r, node, name ? "future" : "name");
    FS__AT_KEY(ld, "name", read_task_name(ld, name, "task name", &t->name));
    t->count = 1;
    FS__TRY(read_count_member(ld, node, "count", &R_COUNT, &t->count_draw, &t->count));
    fs_arena_mark mark = fs_arena_get_mark(ld->r.arena); /* the tree: given back if shared */
    FS__AT_KEY(ld, "future", load_future(ld, fut, &t->future, 1));
    uint32_t next = 0;
    size_t sends = 0; /* (count_sends of the root: without any, nobody holds a sender) */
    number_places(&t->future, &next, false, &sends);
    *n_futures = next;
    if (sends)
        FS__TRY(mark_senders(ld, &t->future, true));
    ld->last_label = NULL; /* sharing may give the tree's labels back to the arena */
    if (fs_scenario_share_shape(&ld->shapes, ld->sc, (size_t)(t - ld->sc->tasks), &mark) != FS_ERR_OK)
        return fs_jr_nomem(&ld->r);
    return FS_ERR_OK;
}

/* The k of a name "base#k" (k in decimal as the loader writes it: digits,
 * no leading zero), or -1. */
static long long count_suffix(const char *name, const char **hash)
{
    *hash = strrchr(name, '#');
    const char *d = *hash ? *hash + 1 : "";
    long long k = 0;
    if (!*d || (d[0] == '0' && d[1]) || strspn(d, "0123456789") != strlen(d) || strlen(d) > 12)
        return -1;
    for (; *d; d++)
        k = k * 10 + (*d - '0');
    return k;
}

/* Does the entry make tasks name#0, name#1, ...? A random count does, even
 * when it draws 1. */
static bool numbered(const fs_task_spec *t)
{
    return t->count > 1 || t->count_draw.kind != FS_DUR_FIXED;
}

/* Task names must differ: each names its lane. A task with a count above 1
 * is tasks name#0 .. name#(count-1), whose names no other task may take. */
static fs_errcode check_task_names(fs__loader *ld, const fs_json_node *tasks)
{
    fs_scenario *sc = ld->sc;
    fs_json_names ix;
    size_t bad = SIZE_MAX, other = 0;
    char q[80], base[FS_MAX_NAME + 1];
    if (fs_json_names_init(&ix, sc->n_tasks) != 0)
        return fs_jr_nomem(&ld->r);
    for (size_t i = 0; i < sc->n_tasks && bad == SIZE_MAX; i++)
        if ((other = fs_json_names_add(&ix, sc->tasks[i].name, i)) != SIZE_MAX)
            bad = i;
    bool repeat = bad != SIZE_MAX;
    for (size_t i = 0; i < sc->n_tasks && bad == SIZE_MAX; i++) {
        const char *name = sc->tasks[i].name, *hash;
        long long k = count_suffix(name, &hash);
        if (numbered(&sc->tasks[i]) || k < 0)
            continue;
        snprintf(base, sizeof base, "%.*s", (int)(hash - name), name);
        size_t j = fs_json_names_find(&ix, base);
        if (j != SIZE_MAX && numbered(&sc->tasks[j]) && k < sc->tasks[j].count) {
            bad = i;
            other = j;
        }
    }
    fs_json_names_destroy(&ix);
    if (bad == SIZE_MAX)
        return FS_ERR_OK;
    const fs_json_node *t = fs_json_child(tasks);
    for (size_t i = 0; i < bad; i++)
        t = fs_json_next(t);
    fs_jr_path_index(&ld->r, bad);
    fs_jr_path_key(&ld->r, "name");
    fs_json_quote(sc->tasks[bad].name, q, sizeof q);
    if (repeat)
        return fs_jr_fail(&ld->r, fs_jr_member(t, "name"), "duplicate task name %s (also the name of tasks[%zu])",
                          q, other);
    return fs_jr_fail(&ld->r, fs_jr_member(t, "name"),
                      "task name %s is taken by one of the %lld tasks of tasks[%zu] (a \"count\" "
                      "names its tasks NAME#0, NAME#1, ...)", q, (long long)sc->tasks[other].count, other);
}

static fs_errcode load_tasks(fs__loader *ld, const fs_json_node *arr)
{
    fs_scenario *sc = ld->sc;
    size_t n = fs_jr_count_items(arr);
    const fs_json_node *it;
    if (!fs_json_is_array(arr))
        return fs_jr_fail(&ld->r, arr, "expected an array of tasks, got %s", fs_json_type_name(arr));
    if (n == 0)
        return fs_jr_fail(&ld->r, arr, "expected at least one task");
    if (!(sc->tasks = fs_arena_alloc(ld->r.arena, n * sizeof *sc->tasks)))
        return fs_jr_nomem(&ld->r);
    long long built = 0; /* tasks and the futures of their trees */
    FS_JSON_FOR_EACH(it, arr) {
        fs_task_spec *t = &sc->tasks[sc->n_tasks];
        uint32_t n_futures = 0;
        FS__AT_INDEX(ld, sc->n_tasks, load_task(ld, it, t, &n_futures));
        sc->total_tasks += t->count;
        built += t->count * (1 + (long long)n_futures);
        if (sc->total_tasks > FS_MAX_TASKS || built > FS_MAX_TASK_FUTURES) {
            const fs_json_node *count = fs_jr_member(it, "count");
            fs_jr_path_index(&ld->r, sc->n_tasks);
            if (count)
                fs_jr_path_key(&ld->r, "count");
            if (sc->total_tasks > FS_MAX_TASKS)
                return fs_jr_fail(&ld->r, count ? count : it,
                            "too many tasks: the counts add up to more than %lld", FS_MAX_TASKS);
            return fs_jr_fail(&ld->r, count ? count : it,
                        "too many futures: the tasks (each count times 1 + the %u futures of its "
                        "future here) add up to more than %lld; each task builds its own tree",
                        (unsigned)n_futures, FS_MAX_TASK_FUTURES);
        }
        sc->n_tasks++;
    }
    fs_json_names_destroy(&ld->resources); /* every look-up is done: make room */
    FS__TRY(check_task_names(ld, arr));
    if (fs_scenario_name_spawns(sc) != FS_ERR_OK)
        return fs_jr_nomem(&ld->r);
    return FS_ERR_OK;
}

/* The file's base name without ".json". */
static const char *default_name(fs__loader *ld, const char *file)
{
    const char *base = file && *file ? file : "scenario", *slash = strrchr(base, '/');
    base = slash && slash[1] ? slash + 1 : base;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    return fs_arena_strndup(ld->r.arena, base, n);
}

static fs_errcode load_root(fs__loader *ld, const fs_json_node *root, const char *file)
{
    static const char *const keys[] = {"name",         "description", "seed",
                                       "poll_cost_ns", "resources",   "futures", "tasks", "expect",
                                       "worker_faults", "$schema"};
    fs_scenario *sc = ld->sc;
    const fs_json_node *m;
    int64_t seed = 0;
    FS__TRY(fs_jr_check_object(&ld->r, root, "a JSON object", keys, FS__COUNT(keys)));
    sc->file = fs_arena_strdup(ld->r.arena, file ? file : "");
    sc->name = default_name(ld, file);
    sc->description = "";
    sc->poll_cost_ns = 1000;
    if (!sc->file || !sc->name)
        return fs_jr_nomem(&ld->r);
    FS__TRY(fs_jr_string_member(&ld->r, root, "name", &sc->name));
    FS__TRY(fs_jr_string_member(&ld->r, root, "description", &sc->description));
    const char *schema; /* for editors (scenarios/schema.json): read, not used */
    FS__TRY(fs_jr_string_member(&ld->r, root, "$schema", &schema));
    FS__TRY(fs_jr_int_member(&ld->r, root, "seed", &R_SEED, &seed));
    sc->seed = (uint64_t)seed;
    FS__TRY(fs_jr_int_member(&ld->r, root, "poll_cost_ns", &R_POLL_COST, &sc->poll_cost_ns));
    if ((m = fs_jr_member(root, "resources")))
        FS__AT_KEY(ld, "resources", load_resources(ld, m));
    if ((m = fs_jr_member(root, "futures")))
        FS__AT_KEY(ld, "futures", load_named(ld, m));
    ld->expand = true;
    if (!(m = fs_jr_member(root, "tasks")))
        return fs_jr_missing(&ld->r, root, "tasks");
    FS__AT_KEY(ld, "tasks", load_tasks(ld, m));
    if ((m = fs_jr_member(root, "expect")))
        FS__AT_KEY(ld, "expect", fs_scenario_load_expect(&ld->r, sc, m));
    if ((m = fs_jr_member(root, "worker_faults")))
        FS__AT_KEY(ld, "worker_faults", fs_scenario_load_worker_faults(&ld->r, m, sc));
    return FS_ERR_OK;
}

/* ---- public ------------------------------------------------------------------------ */

static bool is_blank(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i == len;
}

fs_errcode fs_scenario_load_text(const char *text, size_t len, const char *file_name,
                                 fs_scenario **out, fs_error *err)
{
    fs_json_doc *doc = NULL;
    fs_errcode rc;
    *out = NULL;
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", file_name ? file_name : "");
    if (is_blank(text, len)) {
        err->line = err->col = 1;
        fs_json_set_error_path(err, "");
        fs_error_set(err, FS_ERR_INPUT, "empty file, expected a JSON object");
        return FS_ERR_INPUT;
    }
    if ((rc = fs_json_parse(text, len, &doc, err)) != FS_ERR_OK)
        return rc;
    fs_arena *arena = fs_arena_create(0);
    fs_scenario *sc = arena ? fs_arena_alloc(arena, sizeof *sc) : NULL;
    fs__loader ld = {.r = {.doc = doc, .arena = arena, .err = err}, .sc = sc, .param_note = SIZE_MAX,
                     .max_call_futures = FS_MAX_CALL_FUTURES +
                                         FS_MAX_CALL_FUTURES_PER_VALUE * (long long)fs_json_count(doc)};
    index_kinds(&ld);
    if (sc) {
        sc->arena = arena;
        rc = load_root(&ld, fs_json_root(doc), file_name);
    } else {
        rc = fs_jr_nomem(&ld.r);
    }
    fs_json_names_destroy(&ld.resources);
    fs_json_names_destroy(&ld.def_ix);
    fs_scenario_shapes_free(ld.shapes);
    fs_json_free(doc);
    if (rc != FS_ERR_OK) {
        fs_arena_free(arena);
        return rc;
    }
    *out = sc;
    return FS_ERR_OK;
}

fs_errcode fs_scenario_load_file(const char *path, fs_scenario **out, fs_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", path);
    char *buf;
    size_t len;
    fs_errcode rc = fs_file_read_text(path, FS_JSON_MAX_BYTES, &buf, &len, err);
    if (rc == FS_ERR_OK)
        rc = fs_scenario_load_text(buf, len, path, out, err);
    free(buf);
    return rc;
}

void fs_scenario_free(fs_scenario *sc)
{
    if (sc)
        fs_arena_free(sc->arena); /* sc itself lives in the arena */
}

/* A linear search: the loader keeps its own sorted index while it runs. */
int fs_scenario_find_resource(const fs_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_resources; i++)
        if (strcmp(sc->resources[i].name, name) == 0)
            return (int)i;
    return -1;
}
