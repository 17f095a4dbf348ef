/* scenario_faults.c - a resource's "faults" (docs/scenarios.md, Faults):
 * [{"kind": "latency", "p": 0.01, "extra_ms": D}, {"kind": "fail", "p": P},
 * {"kind": "hang", "p": P}, {"kind": "reset", "p": P}] on a socket, file or
 * listener; and the workers' "worker_faults": [{"kind": "pause", "p": P,
 * "pause_ms": D, "worker": W}]. Checked here; drawn by the world
 * (sim/world/node.c). */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json_pos.h"
#include "json_read.h"

#define FS__COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FS_MAX_FAULTS 16 /* per resource, and worker faults in all */
#define FS_MAX_FAULT_WORKER 63 /* steal:64's last worker */

static const char *const KINDS[FS_FAULT__COUNT] = {
    [FS_FAULT_LATENCY] = "latency", [FS_FAULT_FAIL] = "fail", [FS_FAULT_HANG] = "hang",
    [FS_FAULT_RESET] = "reset", [FS_FAULT_PAUSE] = "pause"};
static const fs_json_range R_EXTRA = {"an integer number of milliseconds", "extra_ms", 0,
                                      FS_MAX_DURATION_MS, " ms"};
static const fs_json_range R_PAUSE = {"an integer number of milliseconds", "pause_ms", 0,
                                      FS_MAX_DURATION_MS, " ms"};
static const fs_json_range R_WORKER = {"a worker number", "worker", 0, FS_MAX_FAULT_WORKER, ""};
static const fs_json_range R_MAX_PAUSES = {"a count of pauses", "max_pauses", 0, FS_MAX_INT, ""};

const char *fs_fault_kind_name(fs_fault_kind kind)
{
    return (unsigned)kind < FS_FAULT__COUNT ? KINDS[kind] : "?";
}

/* "p": a probability, 0..1, from the number's text (strtod rounds the
 * decimal text correctly, so every machine reads the same double). */
static fs_errcode read_p(fs_json_reader *r, const fs_json_node *node, double *p)
{
    char buf[64];
    size_t n;
    if (!fs_json_is_number(node))
        return fs_jr_fail(r, node, "expected a probability (a number from 0 to 1), got %s",
                          fs_json_type_name(node));
    const char *text = fs_json_number_text(r->doc, node, &n);
    if (n >= sizeof buf)
        return fs_jr_fail(r, node, "expected a probability (a number from 0 to 1), got a "
                                   "number of %zu characters", n);
    memcpy(buf, text, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (!(v >= 0.0 && v <= 1.0))
        return fs_jr_fail(r, node, "probability out of range: expected 0..1, got %s", buf);
    *p = v;
    return FS_ERR_OK;
}

static fs_errcode load_fault(fs_json_reader *r, const fs_json_node *node, fs_res_kind res,
                             fs_fault_spec *f)
{
    static const char *const keys[] = {"kind", "p", "extra_ms"};
    const fs_json_node *kind, *m;
    char q[80], list[64];
    FS_JR_TRY(fs_jr_check_object(r, node, "a fault ({\"kind\": ..., \"p\": probability})", keys, 3));
    if (!(kind = fs_jr_member(node, "kind")))
        return fs_jr_missing(r, node, "kind");
    size_t at = fs_jr_path_key(r, "kind");
    if (!fs_json_is_string(kind))
        return fs_jr_fail(r, kind, "expected a fault kind (a string), got %s", fs_json_type_name(kind));
    size_t k = 0;
    while (k < FS__COUNT(KINDS) && strcmp(kind->valuestring, KINDS[k]) != 0)
        k++;
    if (k == FS_FAULT_PAUSE)
        return fs_jr_fail(r, kind, "\"pause\" is a fault of the workers, not of a resource: "
                                   "declare it in the top-level \"worker_faults\"");
    if (k == FS__COUNT(KINDS))
        return fs_jr_fail(r, kind, "unknown fault kind %s (expected one of: %s)",
                          fs_json_quote(kind->valuestring, q, sizeof q),
                          fs_jr_join(KINDS, FS_RESOURCE_FAULT_KINDS, list, sizeof list));
    if (k == FS_FAULT_RESET && res == FS_RES_FILE)
        return fs_jr_fail(r, kind, "a file has no connection to reset (\"reset\" is for sockets "
                                   "and listeners)");
    fs_jr_path_pop(r, at);
    f->kind = (fs_fault_kind)k;
    if (!(m = fs_jr_member(node, "p")))
        return fs_jr_missing(r, node, "p");
    FS_JR_AT_KEY(r, "p", read_p(r, m, &f->p));
    m = fs_jr_member(node, "extra_ms");
    if (f->kind == FS_FAULT_LATENCY && !m)
        return fs_jr_missing(r, node, "extra_ms");
    if (f->kind != FS_FAULT_LATENCY && m)
        return fs_jr_fail_key(r, m, "\"extra_ms\" goes with the kind \"latency\"");
    if (m)
        FS_JR_AT_KEY(r, "extra_ms", fs_scenario_read_dur(r, m, &R_EXTRA, &f->extra));
    return FS_ERR_OK;
}

fs_errcode fs_scenario_load_faults(fs_json_reader *r, const fs_json_node *node, fs_resource_spec *res)
{
    size_t n = fs_jr_count_items(node), i = 0;
    const fs_json_node *it;
    if (!fs_json_is_array(node))
        return fs_jr_fail(r, node, "expected an array of faults, got %s", fs_json_type_name(node));
    if (n > FS_MAX_FAULTS)
        return fs_jr_fail(r, node, "too many faults: %zu (at most %d)", n, FS_MAX_FAULTS);
    if (n && !(res->faults = fs_arena_alloc(r->arena, n * sizeof *res->faults)))
        return fs_jr_nomem(r);
    res->n_faults = n;
    FS_JSON_FOR_EACH(it, node) {
        memset(&res->faults[i], 0, sizeof res->faults[i]);
        FS_JR_AT_INDEX(r, i, load_fault(r, it, res->kind, &res->faults[i]));
        i++;
    }
    return FS_ERR_OK;
}

/* ---- the workers' faults -------------------------------------------------- */

static fs_errcode load_worker_fault(fs_json_reader *r, const fs_json_node *node,
                                    fs_worker_fault_spec *f)
{
    static const char *const keys[] = {"kind", "p", "pause_ms", "worker", "max_pauses"};
    const fs_json_node *kind, *m;
    char q[80];
    FS_JR_TRY(fs_jr_check_object(r, node, "a worker fault ({\"kind\": \"pause\", \"p\": "
                                          "probability, \"pause_ms\": D})", keys, 5));
    if (!(kind = fs_jr_member(node, "kind")))
        return fs_jr_missing(r, node, "kind");
    size_t at = fs_jr_path_key(r, "kind");
    if (!fs_json_is_string(kind))
        return fs_jr_fail(r, kind, "expected a fault kind (a string), got %s", fs_json_type_name(kind));
    if (strcmp(kind->valuestring, "pause") != 0)
        return fs_jr_fail(r, kind, "unknown worker fault kind %s (expected \"pause\"; latency, "
                                   "fail, hang and reset are a resource's \"faults\")",
                          fs_json_quote(kind->valuestring, q, sizeof q));
    fs_jr_path_pop(r, at);
    if (!(m = fs_jr_member(node, "p")))
        return fs_jr_missing(r, node, "p");
    FS_JR_AT_KEY(r, "p", read_p(r, m, &f->p));
    if (!(m = fs_jr_member(node, "pause_ms")))
        return fs_jr_missing(r, node, "pause_ms");
    FS_JR_AT_KEY(r, "pause_ms", fs_scenario_read_dur(r, m, &R_PAUSE, &f->pause));
    int64_t w = -1;
    FS_JR_TRY(fs_jr_int_member(r, node, "worker", &R_WORKER, &w));
    f->worker = (int)w;
    f->max_pauses = -1;
    f->max_pauses_draw = (fs_dur){.kind = FS_DUR_FIXED};
    if ((m = fs_jr_member(node, "max_pauses"))) { /* a count: random ones drawn per worker */
        FS_JR_AT_KEY(r, "max_pauses", fs_scenario_read_count(r, m, &R_MAX_PAUSES, &f->max_pauses_draw));
        f->max_pauses = fs_count_max(&f->max_pauses_draw, R_MAX_PAUSES.hi);
    }
    return FS_ERR_OK;
}

fs_errcode fs_scenario_load_worker_faults(fs_json_reader *r, const fs_json_node *node, fs_scenario *sc)
{
    size_t n = fs_jr_count_items(node), i = 0;
    const fs_json_node *it;
    if (!fs_json_is_array(node))
        return fs_jr_fail(r, node, "expected an array of worker faults, got %s", fs_json_type_name(node));
    if (n > FS_MAX_FAULTS)
        return fs_jr_fail(r, node, "too many worker faults: %zu (at most %d)", n, FS_MAX_FAULTS);
    if (n && !(sc->worker_faults = fs_arena_alloc(r->arena, n * sizeof *sc->worker_faults)))
        return fs_jr_nomem(r);
    sc->n_worker_faults = n;
    FS_JSON_FOR_EACH(it, node) {
        memset(&sc->worker_faults[i], 0, sizeof sc->worker_faults[i]);
        FS_JR_AT_INDEX(r, i, load_worker_fault(r, it, &sc->worker_faults[i]));
        i++;
    }
    return FS_ERR_OK;
}
