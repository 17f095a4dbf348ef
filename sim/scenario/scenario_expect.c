/* scenario_expect.c - a scenario's "expect": what every run of it must do
 * (docs/scenarios.md, "Expectations"). Read after the resources and tasks,
 * so that the names it refers to are checked here, at load time; the run's
 * figures are compared with it after the run (sim/world/expect.c). */
#include "scenario.h"

#include <string.h>

#include "arena.h"
#include "json_pos.h"
#include "json_read.h"

#define FS__COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const fs_json_range R_BOUND_MS = {"an integer number of milliseconds", "time", 0,
                                         FS_MAX_DURATION_MS, " ms"};
static const fs_json_range R_MAX_LEN = {"an integer", "length", 0, FS_MAX_INT, ""};

/* true, the only value these keys take (false would check nothing). */
static fs_errcode read_true(fs_json_reader *r, const fs_json_node *obj, const char *key, bool *out)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (!m)
        return FS_ERR_OK;
    FS_JR_AT_KEY(r, key, fs_jr_read_bool(r, m, out));
    if (!*out) {
        fs_jr_path_key(r, key);
        return fs_jr_fail(r, m, "expected true (leave the key out to not check it)");
    }
    return FS_ERR_OK;
}

/* Does `want` stand for tasks named `name`: name, or name#k (name.j ...). */
static bool name_fits(const char *name, const char *want)
{
    return fs_scenario_name_covers(want, name);
}

/* Is some spawn in f named so that `want` (its last part) stands for its
 * tasks. */
static bool spawns_name(const fs_future_spec *f, const char *want)
{
    if ((f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_JOIN_SET) && name_fits(f->spawn_name, want))
        return true;
    for (size_t i = 0; i < f->n_children; i++)
        if (spawns_name(&f->children[i], want))
            return true;
    return false;
}

/* A task's name ("worker", "worker#2"), a spawn's anywhere ("handler",
 * "handler#3"), or a spawned task's path ("conn#2/handler#0": its first
 * part names a task, its last a spawn). */
static bool names_a_task(const fs_scenario *sc, const char *want)
{
    const char *slash = strchr(want, '/'), *last = strrchr(want, '/');
    char first[FS_MAX_NAME + 24];
    if (slash)
        snprintf(first, sizeof first, "%.*s", (int)(slash - want), want);
    bool root = false, spawn = false;
    for (size_t i = 0; i < sc->n_tasks; i++) {
        root = root || name_fits(sc->tasks[i].name, slash ? first : want);
        spawn = spawn || spawns_name(&sc->tasks[i].future, last ? last + 1 : want);
    }
    return slash ? root && spawn : root || spawn;
}

/* "task_end_ms_at_most": {"name": ms, ...} */
static fs_errcode read_tasks(fs_json_reader *r, fs_scenario *sc, const fs_json_node *obj)
{
    fs_expect_spec *e = &sc->expect;
    const fs_json_node *m;
    char q[80];
    FS_JR_TRY(fs_jr_check_object(r, obj, "an object of task names and times in ms", NULL, 0));
    size_t n = fs_jr_count_items(obj);
    if (n && !(e->tasks = fs_arena_alloc(r->arena, n * sizeof *e->tasks)))
        return fs_jr_nomem(r);
    FS_JSON_FOR_EACH(m, obj) {
        fs_expect_task *t = &e->tasks[e->n_tasks];
        if (!names_a_task(sc, m->string)) {
            fs_jr_path_key(r, m->string);
            fs_json_quote(m->string, q, sizeof q);
            return fs_jr_fail_key(r, m, "no task or spawn is named %s (a task's name, or NAME#k of a "
                                  "\"count\" or a repeated spawn, or a spawned task's path PARENT/NAME)", q);
        }
        if (!(t->name = fs_arena_strdup(r->arena, m->string)))
            return fs_jr_nomem(r);
        FS_JR_AT_KEY(r, m->string, fs_jr_read_int(r, m, &R_BOUND_MS, &t->end_ns));
        t->end_ns *= 1000000;
        e->n_tasks++;
    }
    return FS_ERR_OK;
}

/* "channel_max_len": {"channel": n, ...} */
static fs_errcode read_channels(fs_json_reader *r, fs_scenario *sc, const fs_json_node *obj)
{
    fs_expect_spec *e = &sc->expect;
    const fs_json_node *m;
    char q[80];
    FS_JR_TRY(fs_jr_check_object(r, obj, "an object of channel names and lengths", NULL, 0));
    size_t n = fs_jr_count_items(obj);
    if (n && !(e->channels = fs_arena_alloc(r->arena, n * sizeof *e->channels)))
        return fs_jr_nomem(r);
    FS_JSON_FOR_EACH(m, obj) {
        fs_expect_channel *c = &e->channels[e->n_channels];
        c->resource = -1; /* (scenario_load.c's look-up calls into this file) */
        for (size_t i = 0; i < sc->n_resources && c->resource < 0; i++)
            if (strcmp(sc->resources[i].name, m->string) == 0)
                c->resource = (int)i;
        fs_json_quote(m->string, q, sizeof q);
        if (c->resource < 0 || sc->resources[c->resource].kind != FS_RES_CHANNEL)
            fs_jr_path_key(r, m->string);
        if (c->resource < 0)
            return fs_jr_fail_key(r, m, "unknown resource %s", q);
        if (sc->resources[c->resource].kind != FS_RES_CHANNEL)
            return fs_jr_fail_key(r, m, "resource %s is not a channel", q);
        FS_JR_AT_KEY(r, m->string, fs_jr_read_int(r, m, &R_MAX_LEN, &c->max_len));
        e->n_channels++;
    }
    return FS_ERR_OK;
}

fs_errcode fs_scenario_load_expect(fs_json_reader *r, fs_scenario *sc, const fs_json_node *node)
{
    static const char *const keys[] = {"completes", "no_errors", "end_ms_at_most",
                                       "max_wake_latency_ms_at_most", "task_end_ms_at_most",
                                       "channel_max_len"};
    fs_expect_spec *e = &sc->expect;
    const fs_json_node *m;
    FS_JR_TRY(fs_jr_check_object(r, node, "an object of expectations", keys, FS__COUNT(keys)));
    e->present = true;
    e->end_ns = e->max_wake_latency_ns = -1;
    FS_JR_TRY(read_true(r, node, "completes", &e->completes));
    FS_JR_TRY(read_true(r, node, "no_errors", &e->no_errors));
    if (fs_jr_member(node, "end_ms_at_most")) {
        FS_JR_TRY(fs_jr_int_member(r, node, "end_ms_at_most", &R_BOUND_MS, &e->end_ns));
        e->end_ns *= 1000000;
    }
    if (fs_jr_member(node, "max_wake_latency_ms_at_most")) {
        FS_JR_TRY(fs_jr_int_member(r, node, "max_wake_latency_ms_at_most", &R_BOUND_MS,
                                   &e->max_wake_latency_ns));
        e->max_wake_latency_ns *= 1000000;
    }
    if ((m = fs_jr_member(node, "task_end_ms_at_most")))
        FS_JR_AT_KEY(r, "task_end_ms_at_most", read_tasks(r, sc, m));
    if ((m = fs_jr_member(node, "channel_max_len")))
        FS_JR_AT_KEY(r, "channel_max_len", read_channels(r, sc, m));
    return FS_ERR_OK;
}
