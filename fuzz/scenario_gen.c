/* scenario_gen.c - bytes -> a random valid scenario (see the header). The
 * shapes lean small (a few tasks, short delays, loops of a few turns) with
 * now and then an extreme (a 1e9 ms delay, a 1e9 repeat, 50 tasks), since
 * the limits must hold for those too. Counts are now and then drawn
 * ({"uniform": ...}, {"exp": ...}); named futures may take parameters
 * (a duration "$d", a count "$k", a mutex "$m", a future "$w"). */
#include "scenario_gen.h"

#include <stdio.h>
#include <stdlib.h>

uint32_t fs_gen_pick(fs_gen_bytes *b, uint32_t n)
{
    if (n <= 1)
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < (n > 256 ? 4 : 1) && b->n; i++, b->p++, b->n--)
        v = v << 8 | *b->p;
    return v % n;
}

typedef struct fs__gen {
    fs_gen_bytes *b;
    FILE *f;
    int sockets, files, channels;
    bool sync;         /* mutexes m0 m1, semaphore p0, notify n0, oneshot o0, rwlock r0 */
    bool net;          /* listener l0 */
    int spawns;        /* spawned tasks so far: their names are s0, s1, ... */
    uint32_t callable; /* named futures f0 .. f(callable-1) may be called here */
    unsigned params;   /* the parameters (P_*) the body being written declares */
    unsigned declared[4], required[4]; /* of each named future: its parameters, those without default */
} fs__gen;

/* A named future's parameters: "$d" stands for a duration, "$k" for a
 * count of 1..3 (every count place it goes takes those), "$m" for a mutex,
 * "$w" for a whole future. */
enum { P_D = 1, P_K = 2, P_M = 4, P_W = 8 };

static uint32_t pick(fs__gen *g, uint32_t n)
{
    return fs_gen_pick(g->b, n);
}

/* A duration D: mostly a few ms, sometimes random, rarely the maximum. */
static void duration(fs__gen *g)
{
    switch (pick(g, 8)) {
    case 5: {
        uint32_t lo = pick(g, 20);
        fprintf(g->f, "{\"uniform\":[%u,%u]}", lo, lo + pick(g, 50));
        break;
    }
    case 6: fprintf(g->f, "{\"exp\":%u}", 1 + pick(g, 30)); break;
    case 7: fprintf(g->f, "%u", pick(g, 4) ? 1000 * pick(g, 1000) : 1000000000); break;
    default: fprintf(g->f, "%u", pick(g, 30)); break;
    }
}

/* A duration in a future: now and then the body's "$d". */
static void body_duration(fs__gen *g)
{
    if ((g->params & P_D) && pick(g, 4) == 1)
        fputs("\"$d\"", g->f);
    else
        duration(g);
}

/* A count of lo..hi, mostly v as written (lo <= v <= hi), now and then
 * drawn: uniform over ends around v, or exponential with a mean up to v;
 * where k_ok, now and then the body's "$k". */
static void count(fs__gen *g, uint32_t v, uint32_t lo, uint32_t hi, bool k_ok)
{
    uint32_t c = pick(g, 12);
    uint32_t m0 = lo ? lo : 1;
    if (c == 9 && k_ok && (g->params & P_K)) {
        fputs("\"$k\"", g->f);
    } else if (c == 10) {
        uint32_t a = lo + pick(g, v - lo + 1);
        fprintf(g->f, "{\"uniform\":[%u,%u]}", a, v + pick(g, hi - v < 20 ? hi - v + 1 : 20));
    } else if (c == 11 && hi >= m0) {
        fprintf(g->f, "{\"exp\":%u}", m0 + pick(g, (v > m0 ? v : m0) - m0 + 1));
    } else {
        fprintf(g->f, "%u", v);
    }
}

/* forget_waker and spurious_wakes, now and then. */
static void faults(fs__gen *g)
{
    if (pick(g, 16) == 1)
        fputs(",\"forget_waker\":true", g->f);
    if (pick(g, 8) == 1) {
        fputs(",\"spurious_wakes\":", g->f);
        count(g, pick(g, 4), 0, 1000000, true);
    }
}

static void future(fs__gen *g, int depth);

static void list(fs__gen *g, const char *kind, int depth)
{
    fprintf(g->f, "{\"%s\":[", kind);
    uint32_t n = 1 + pick(g, 3);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            fputc(',', g->f);
        future(g, depth + 1);
    }
    fputs("]}", g->f);
}

/* A leaf; one that names a resource of a kind the scenario lacks sleeps. */
static void leaf(fs__gen *g, uint32_t kind)
{
    int io = g->sockets + g->files;
    if (kind == 1 && io) {
        uint32_t r = pick(g, (uint32_t)io);
        fprintf(g->f, "{\"read\":\"%c%u\"", r < (uint32_t)g->sockets ? 's' : 'f',
                r < (uint32_t)g->sockets ? r : r - (uint32_t)g->sockets);
    } else if (kind == 2 && g->files) {
        fprintf(g->f, "{\"open\":\"f%u\"", pick(g, (uint32_t)g->files));
    } else if (kind == 3 && g->channels) {
        fprintf(g->f, "{\"send\":\"c%u\"", pick(g, (uint32_t)g->channels));
        if (pick(g, 2))
            fprintf(g->f, ",\"value\":%d", (int)pick(g, 2000) - 1000);
    } else if (kind == 4 && g->channels) {
        fprintf(g->f, "{\"recv\":\"c%u\"", pick(g, (uint32_t)g->channels));
    } else if (kind == 5 && pick(g, 4) == 0) {
        fputs("{\"spawn_blocking\":{", g->f);
        if (pick(g, 2))
            fputs("\"name\":\"job\",", g->f);
        fputs("\"compute_ms\":", g->f);
        body_duration(g);
        fprintf(g->f, "}%s", pick(g, 2) ? ",\"await\":true" : "");
    } else if (kind == 5) {
        fputs("{\"compute_ms\":", g->f);
        body_duration(g);
    } else if (kind == 6) {
        fputs("{\"yield\":true", g->f);
    } else {
        fputs("{\"sleep_ms\":", g->f);
        body_duration(g);
    }
    faults(g);
    fputc('}', g->f);
}

/* accept, read or write on the listener l0. */
static void net_leaf(fs__gen *g)
{
    uint32_t k = pick(g, 3);
    if (k == 0)
        fputs("{\"accept\":\"l0\"", g->f);
    else if (k == 1)
        fputs("{\"read\":\"l0\"", g->f);
    else if (pick(g, 4) == 0) {
        fputs("{\"write\":\"l0\",\"bytes\":", g->f);
        duration(g); /* a drawn size */
    } else {
        fprintf(g->f, "{\"write\":\"l0\",\"bytes\":%u", pick(g, 8) ? 1 + pick(g, 5000) : 1000000000);
    }
    faults(g);
    fputc('}', g->f);
}

/* A tokio::sync leaf (sleeps when the scenario has no sync resources), or
 * now and then a listener's. */
static void sync_leaf(fs__gen *g)
{
    if (g->net && pick(g, 3) == 0) {
        net_leaf(g);
        return;
    }
    static const char *const forms[] = {
        "{\"notify_one\":\"n0\"", "{\"notify_waiters\":\"n0\"", "{\"notified\":\"n0\"",
        "{\"close\":\"p0\"", "{\"send\":\"o0\"", "{\"recv\":\"o0\"", "{\"drop\":\"o0\""};
    if (!g->sync) {
        leaf(g, 0);
        return;
    }
    fputs(forms[pick(g, 7)], g->f);
    faults(g);
    fputc('}', g->f);
}

/* A lock of m0 or m1, an acquire of p0, or a read or write lock of r0,
 * around a body. */
static void guarded(fs__gen *g, int depth)
{
    if (!g->sync) {
        future(g, depth + 1);
        return;
    }
    uint32_t k = pick(g, 5);
    if (k < 2 && (g->params & P_M) && pick(g, 2))
        fputs("{\"lock\":\"$m\",\"do\":", g->f);
    else if (k < 2)
        fprintf(g->f, "{\"lock\":\"m%u\",\"do\":", k);
    else if (k > 2)
        fprintf(g->f, "{\"%s\":\"r0\",\"do\":", k == 3 ? "read_lock" : "write_lock");
    else {
        fputs("{\"acquire\":\"p0\",\"permits\":", g->f);
        count(g, 1 + pick(g, 3), 1, 1000000, true);
        fputs(",\"do\":", g->f);
    }
    future(g, depth + 1);
    fputc('}', g->f);
}

static void call(fs__gen *g, int depth);

/* A future nested at most 1 + 6 deep; kind 0 (no bytes left) is a leaf. */
static void future(fs__gen *g, int depth)
{
    if (g->callable && pick(g, 8) == 0) {
        call(g, depth);
        return;
    }
    if ((g->params & P_W) && pick(g, 16) == 1) {
        fputs("\"$w\"", g->f);
        return;
    }
    uint32_t kind = pick(g, depth < 7 ? 15 : 7);
    if (kind < 7) {
        leaf(g, kind);
        return;
    }
    switch (kind) {
    case 7: list(g, "seq", depth); break;
    case 8: list(g, "join", depth); break;
    case 9: list(g, "select", depth); break;
    case 11:
        if (pick(g, 2)) { /* a JoinSet: n tasks, take of them joined, the rest aborted */
            uint32_t n = 1 + pick(g, 4), take;
            fprintf(g->f, "{\"join_set\":{\"name\":\"s%d\",\"count\":", g->spawns++);
            count(g, n, 1, 8, false); /* (a fixed take must not pass its largest) */
            fputs(",\"future\":", g->f);
            future(g, depth + 1);
            fputs("},\"take\":", g->f);
            take = 1 + pick(g, n);
            count(g, take, 1, take, false);
            fputc('}', g->f);
            break;
        }
        /* fall through */
    case 10: {
        bool abort = pick(g, 4) == 0; /* then abort it: handle.abort() */
        int name = g->spawns++;
        fprintf(g->f, "%s{\"spawn\":{\"name\":\"s%d\",\"future\":", abort ? "{\"seq\":[" : "", name);
        future(g, depth + 1);
        fprintf(g->f, "}%s}", pick(g, 3) == 0 ? "" : pick(g, 2) ? ",\"await\":true" : ",\"await\":false");
        if (abort)
            fprintf(g->f, ",{\"abort\":\"s%d\"}]}", name);
        break;
    }
    case 13: guarded(g, depth); break;
    case 14: sync_leaf(g); break;
    default: {
        uint32_t r = pick(g, 16);
        if (r == 13) { /* control flow: timeout, while, retry, interval */
            uint32_t c = pick(g, 4);
            if (c == 3) {
                /* loop { select! { _ = iv.tick() => f, _ = g => break } } */
                static const char *const missed[] = {"burst", "delay", "skip"};
                fprintf(g->f, "{\"interval\":{\"period_ms\":%u,\"missed\":\"%s\"},"
                        "\"do\":{\"select\":[{\"seq\":[{\"tick\":true},", 1 + pick(g, 50), missed[pick(g, 3)]);
                future(g, depth + 1);
                fputs("]},{\"seq\":[", g->f);
                future(g, depth + 1);
                fputs(",{\"break\":true}]}]}}", g->f);
                break;
            }
            if (c == 0) {
                fputs("{\"timeout_ms\":", g->f);
                body_duration(g);
                fputs(",\"do\":", g->f);
            } else if (c == 1) {
                fputs("{\"while\":", g->f);
                future(g, depth + 1);
                fputs(",\"do\":", g->f);
            } else {
                fputs("{\"attempts\":", g->f);
                count(g, 1 + pick(g, 4), 1, 1000000000, true);
                fputs(",\"backoff\":", g->f);
                if (pick(g, 2)) {
                    fputs("{\"fixed_ms\":", g->f);
                    duration(g);
                    fputc('}', g->f);
                } else {
                    fprintf(g->f, "{\"exponential_ms\":%u,\"max_ms\":%u%s}", 1 + pick(g, 20),
                            1 + pick(g, 100), pick(g, 2) ? ",\"jitter\":true" : "");
                }
                fputs(",\"retry\":", g->f);
            }
            future(g, depth + 1);
            fputc('}', g->f);
            break;
        }
        fputs("{\"repeat\":", g->f);
        count(g, r < 14 ? r % 5 : r == 14 ? 1000 : 1000000000, 0, 1000000000, true);
        fputs(",\"do\":", g->f);
        future(g, depth + 1);
        fputc('}', g->f);
        break;
    }
    }
}

/* A value of parameter bit p: what its "$name" stands for. */
static void param_value(fs__gen *g, unsigned p, int depth)
{
    if (p == P_D)
        body_duration(g);
    else if (p == P_K)
        count(g, 1 + pick(g, 3), 1, 3, true);
    else if (p == P_M)
        fputs((g->params & P_M) && pick(g, 2) ? "\"$m\"" : pick(g, 2) ? "\"m1\"" : "\"m0\"", g->f);
    else
        future(g, depth + 1);
}

static const char param_names[] = "dkmw";

/* A call of a named future: "with" gives each parameter without a
 * default, and now and then one with. A future value calls only futures
 * defined before the one called (or it would call itself). */
static void call(fs__gen *g, int depth)
{
    uint32_t i = pick(g, g->callable), callable = g->callable;
    fprintf(g->f, "{\"call\":\"f%u\"", i);
    bool with = false;
    g->callable = i;
    for (unsigned b = 0; b < 4; b++) {
        unsigned p = 1u << b;
        if (!(g->declared[i] & p) || (!(g->required[i] & p) && pick(g, 3) != 1))
            continue;
        fprintf(g->f, "%s\"%c\":", with ? "," : ",\"with\":{", param_names[b]);
        param_value(g, p, depth);
        with = true;
    }
    g->callable = callable;
    fputs(with ? "}}" : "}", g->f);
}

/* Named future f<i>: a future, or {"params": {...}, "body": F} with some
 * of d, k, m (when there are mutexes) and w, each with a default or null. */
static void definition(fs__gen *g, uint32_t i)
{
    g->callable = i;
    g->declared[i] = g->required[i] = 0;
    if (pick(g, 3) != 1) {
        future(g, 3);
        return;
    }
    fputs("{\"params\":{", g->f);
    const char *sep = "";
    for (unsigned b = 0; b < 4; b++) {
        unsigned p = 1u << b;
        if ((p == P_M && !g->sync) || pick(g, 2))
            continue;
        g->declared[i] |= p;
        fprintf(g->f, "%s\"%c\":", sep, param_names[b]);
        sep = ",";
        if (pick(g, 3) == 1) {
            g->required[i] |= p;
            fputs("null", g->f);
        } else {
            param_value(g, p, 3); /* a default is written as is: no "$" */
        }
    }
    fputs("},\"body\":", g->f);
    g->params = g->declared[i];
    future(g, 3);
    g->params = 0;
    fputc('}', g->f);
}

/* A resource's "faults", now and then: a latency, fail, hang or (where
 * there is a connection) reset, with a probability from 0 to 1. */
static void resource_faults(fs__gen *g, bool resets)
{
    static const char *const kinds[] = {"latency", "fail", "hang", "reset"};
    if (pick(g, 4) != 1)
        return;
    uint32_t n = 1 + pick(g, 3);
    fputs(",\"faults\":[", g->f);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = pick(g, resets ? 4 : 3);
        uint32_t p = pick(g, 4);
        fprintf(g->f, "%s{\"kind\":\"%s\",\"p\":%s", i ? "," : "", kinds[k],
                p == 0 ? "0" : p == 1 ? "1" : p == 2 ? "0.5" : "0.01");
        if (k == 0) {
            fputs(",\"extra_ms\":", g->f);
            duration(g);
        }
        fputc('}', g->f);
    }
    fputc(']', g->f);
}

static void resources(fs__gen *g)
{
    g->sockets = (int)pick(g, 3);
    g->files = (int)pick(g, 3);
    g->channels = (int)pick(g, 3);
    fputs("\"resources\":{", g->f);
    const char *sep = "";
    for (int i = 0; i < g->sockets; i++, sep = ",") {
        fprintf(g->f, "%s\"s%d\":{\"type\":\"socket\",\"arrivals\":[", sep, i);
        uint32_t n = pick(g, 5);
        for (uint32_t k = 0; k < n; k++) {
            fprintf(g->f, "%s{\"%s\":", k ? "," : "", pick(g, 2) ? "at_ms" : "after_ms");
            if (pick(g, 4))
                fprintf(g->f, "%u", pick(g, 60));
            else
                duration(g);
            uint32_t v = pick(g, 3);
            if (v == 1)
                fputs(",\"value\":\"random\"", g->f);
            else if (v == 2)
                fprintf(g->f, ",\"value\":%d", (int)pick(g, 200) - 100);
            fputc('}', g->f);
        }
        fputc(']', g->f);
        resource_faults(g, true);
        fputc('}', g->f);
    }
    for (int i = 0; i < g->files; i++, sep = ",") {
        fprintf(g->f, "%s\"f%d\":{\"type\":\"file\"", sep, i);
        uint32_t lat = pick(g, 4);
        if (lat)
            fputs(",\"latency_ms\":{", g->f);
        if (lat & 1)
            fprintf(g->f, "\"open\":%u", pick(g, 30));
        if (lat & 2) {
            fprintf(g->f, "%s\"read\":", lat & 1 ? "," : "");
            duration(g);
        }
        if (lat)
            fputc('}', g->f);
        resource_faults(g, false);
        fputc('}', g->f);
    }
    for (int i = 0; i < g->channels; i++, sep = ",") {
        uint32_t cap = pick(g, 5);
        if (cap == 4)
            fprintf(g->f, "%s\"c%d\":{\"type\":\"channel\",\"capacity\":\"unbounded\"}", sep, i);
        else {
            fprintf(g->f, "%s\"c%d\":{\"type\":\"channel\",\"capacity\":", sep, i);
            count(g, 1 + cap, 1, 1000000, false);
            fputc('}', g->f);
        }
    }
    g->sync = pick(g, 2);
    if (g->sync) {
        fprintf(g->f, "%s\"m0\":{\"type\":\"mutex\"},\"m1\":{\"type\":\"mutex\"},"
                "\"p0\":{\"type\":\"semaphore\",\"permits\":", sep);
        count(g, pick(g, 4), 0, 1000000, false);
        fputs("},\"n0\":{\"type\":\"notify\"},\"o0\":{\"type\":\"oneshot\"},"
              "\"r0\":{\"type\":\"rwlock\",\"max_readers\":", g->f);
        count(g, 1 + pick(g, 3), 1, 536870911, false);
        fputc('}', g->f);
    }
    if (g->sync)
        sep = ",";
    g->net = pick(g, 2);
    if (g->net) {
        fprintf(g->f, "%s\"l0\":{\"type\":\"listener\",\"connections\":", sep);
        if (pick(g, 3) == 0) {
            fprintf(g->f, "{\"at_ms\":[%u,%u]}", pick(g, 10), 10 + pick(g, 10));
        } else {
            fputs("{\"every_ms\":", g->f);
            duration(g);
            bool n = pick(g, 2);
            fputs(n ? ",\"count\":" : ",\"until_ms\":", g->f);
            count(g, pick(g, n ? 6 : 100), 0, 1000, false);
            fputc('}', g->f);
        }
        fputs(",\"requests\":{\"count\":", g->f);
        count(g, pick(g, 4), 0, 1000000, false);
        fputs(",\"every_ms\":", g->f);
        duration(g);
        fputs("},\"send_buffer\":{\"bytes\":", g->f);
        count(g, 1 + pick(g, 4096), 1, 1000000000, false);
        fputs(",\"drain_per_ms\":", g->f);
        count(g, 1 + pick(g, 1000), 1, 1000000000, false);
        fputc('}', g->f);
        resource_faults(g, true);
        fputc('}', g->f);
    }
    fputs("},", g->f);
}

/* "expect": some of its keys, on tasks t0.. and channels c0.. that exist. */
static void expectations(fs__gen *g, uint32_t tasks)
{
    const char *sep = "";
    fputs(",\"expect\":{", g->f);
    if (pick(g, 2)) {
        fputs("\"completes\":true", g->f);
        sep = ",";
    }
    if (pick(g, 2)) {
        fprintf(g->f, "%s\"no_errors\":true", sep);
        sep = ",";
    }
    if (pick(g, 2)) {
        fprintf(g->f, "%s\"end_ms_at_most\":%u", sep, pick(g, 4) == 0 ? 1000000000u : pick(g, 200));
        sep = ",";
    }
    if (pick(g, 3) == 0) {
        fprintf(g->f, "%s\"max_wake_latency_ms_at_most\":%u", sep, pick(g, 10));
        sep = ",";
    }
    if (pick(g, 2)) {
        fprintf(g->f, "%s\"task_end_ms_at_most\":{\"t%u\":%u}", sep, pick(g, tasks), pick(g, 100));
        sep = ",";
    }
    if (g->channels && pick(g, 2))
        fprintf(g->f, "%s\"channel_max_len\":{\"c%u\":%u}", sep, pick(g, (uint32_t)g->channels), pick(g, 4));
    fputc('}', g->f);
}

/* "worker_faults": pauses with a probability from 0 to 1, of every worker
 * or of one (maybe one the executor does not have), bounded or not. */
static void worker_faults(fs__gen *g)
{
    uint32_t n = 1 + pick(g, 2);
    fputs(",\"worker_faults\":[", g->f);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p = pick(g, 4);
        fprintf(g->f, "%s{\"kind\":\"pause\",\"p\":%s,\"pause_ms\":", i ? "," : "",
                p == 0 ? "0" : p == 1 ? "1" : p == 2 ? "0.5" : "0.01");
        duration(g);
        if (pick(g, 3) == 0)
            fprintf(g->f, ",\"worker\":%u", pick(g, 4) == 3 ? 63 : pick(g, 3));
        if (pick(g, 2)) {
            fputs(",\"max_pauses\":", g->f);
            count(g, pick(g, 4), 0, 1000, false);
        }
        fputc('}', g->f);
    }
    fputc(']', g->f);
}

char *fs_gen_scenario(fs_gen_bytes *b, size_t *len, fs_gen_info *info)
{
    char *text = NULL;
    fs__gen g = {.b = b, .f = open_memstream(&text, len)};
    if (!g.f)
        return NULL;
    static const unsigned costs[] = {1000, 1, 50000, 0};
    unsigned cost = costs[pick(&g, 4)];
    info->zero_cost = cost == 0;
    fprintf(g.f, "{\"name\":\"gen\",\"seed\":%u,\"poll_cost_ns\":%u,", pick(&g, 1u << 31), cost);
    resources(&g);
    uint32_t defs = pick(&g, 4) == 0 ? 1 + pick(&g, 3) : 0;
    if (defs) { /* named futures; each may call the ones before it */
        fputs("\"futures\":{", g.f);
        for (uint32_t i = 0; i < defs; i++) {
            fprintf(g.f, "%s\"f%u\":", i ? "," : "", i);
            definition(&g, i);
        }
        fputs("},", g.f);
        g.callable = defs;
    }
    fputs("\"tasks\":[", g.f);
    uint32_t n = 1 + pick(&g, 4);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(g.f, "%s{\"name\":\"t%u\",", i ? "," : "", i);
        uint32_t c = pick(&g, 8);
        if (c) {
            fputs("\"count\":", g.f);
            count(&g, c == 7 ? 50 : c, 1, 1000000, false);
            fputc(',', g.f);
        }
        fputs("\"future\":", g.f);
        future(&g, 1);
        fputc('}', g.f);
    }
    fputc(']', g.f);
    if (pick(&g, 3) == 0)
        expectations(&g, n);
    if (pick(&g, 4) == 1) /* last, so the bytes before it make what they made before */
        worker_faults(&g);
    fputs("}\n", g.f);
    if (fclose(g.f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
