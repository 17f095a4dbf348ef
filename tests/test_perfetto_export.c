/* test_perfetto_export.c - the Perfetto protobuf export: traces of the
 * project's scenarios exported, decoded by `protoc --decode` against
 * tests/perfetto_min.proto (Perfetto's messages and field numbers, only
 * those the export writes) and checked for what trace_processor needs to
 * import them: a sequence id on every packet, the incremental-state flags,
 * every track described before use, every interned id defined before use,
 * every flow started and ended, slices nested per track, counters on counter
 * tracks. Then the `export --perfetto` and `run --perfetto` commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfetto_export.h"
#include "run.h"
#include "support.h"
#include "trace_reader.h"

/* ---- the decoded packets ------------------------------------------------------ */

#define MAXV 16

typedef struct pkt {
    bool has_seq, has_ts;
    uint64_t seq, flags, ts;
    /* track_descriptor */
    bool is_desc, desc_counter, desc_process;
    uint64_t uuid;
    char thread_name[128];
    /* track_event */
    bool is_event;
    int type;                 /* 1 begin, 2 end, 3 instant, 4 counter */
    uint64_t track, name_iid;
    char name[128];           /* the event's inline name, or its interned one */
    uint64_t cats[MAXV], n_cats;
    uint64_t args[MAXV], n_args;      /* debug annotation name iids */
    uint64_t flows[MAXV], n_flows;
    uint64_t ends[MAXV], n_ends;      /* terminating flow ids */
    /* interned_data defined here */
    uint64_t names[MAXV], n_names;
    char name_str[MAXV][128];
    uint64_t icats[MAXV], n_icats;
    uint64_t iargs[MAXV], n_iargs;
} pkt;

typedef struct decoded {
    pkt *p;
    size_t n;
    int unknown_fields;       /* lines protoc printed with a bare field number */
} decoded;

static void push(uint64_t *a, uint64_t *n, uint64_t v)
{
    assert_true(*n < MAXV);
    a[(*n)++] = v;
}

static const char *type_name(int t)
{
    static const char *const n[] = {"?", "TYPE_SLICE_BEGIN", "TYPE_SLICE_END", "TYPE_INSTANT", "TYPE_COUNTER"};
    return n[t];
}

/* protoc's text format, one field or brace per line, into packets. */
static decoded parse(char *text)
{
    decoded d = {0};
    size_t cap = 0;
    char path[8][48];
    int depth = 0;
    pkt *cur = NULL;
    char *iname = NULL;   /* the event_names entry being read */
    uint64_t iid = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ')
            line++;
        size_t len = strlen(line);
        if (line[0] >= '0' && line[0] <= '9') {
            d.unknown_fields++;
            if (line[len - 1] != '{')
                continue;
        }
        if (strcmp(line, "}") == 0) {
            assert_true(depth > 0);
            depth--;
            if (depth == 2 && strcmp(path[1], "interned_data") == 0) {
                if (strcmp(path[2], "event_names") == 0) {
                    push(cur->names, &cur->n_names, iid);
                    snprintf(cur->name_str[cur->n_names - 1], 128, "%s", iname ? iname : "");
                } else if (strcmp(path[2], "event_categories") == 0) {
                    push(cur->icats, &cur->n_icats, iid);
                } else if (strcmp(path[2], "debug_annotation_names") == 0) {
                    push(cur->iargs, &cur->n_iargs, iid);
                }
                iname = NULL;
            }
            continue;
        }
        if (line[len - 1] == '{') {
            assert_true(depth < 8);
            snprintf(path[depth], sizeof path[depth], "%.*s", (int)(len - 2), line);
            depth++;
            if (depth == 1) {
                assert_string_equal(path[0], "packet");
                if (d.n == cap) {
                    cap = cap ? 2 * cap : 256;
                    d.p = realloc(d.p, cap * sizeof *d.p);
                    assert_non_null(d.p);
                }
                cur = &d.p[d.n++];
                memset(cur, 0, sizeof *cur);
            } else if (depth == 2) {
                cur->is_desc |= strcmp(path[1], "track_descriptor") == 0;
                cur->is_event |= strcmp(path[1], "track_event") == 0;
            } else if (depth == 3 && cur->is_desc) {
                cur->desc_counter |= strcmp(path[2], "counter") == 0;
                cur->desc_process |= strcmp(path[2], "process") == 0;
            }
            continue;
        }
        char *colon = strstr(line, ": ");
        assert_non_null(colon);
        *colon = '\0';
        const char *key = line, *val = colon + 2;
        uint64_t v = strtoull(val, NULL, 10);
        const char *in = depth >= 2 ? path[1] : "";
        if (depth == 1) {
            if (!strcmp(key, "trusted_packet_sequence_id"))
                cur->has_seq = true, cur->seq = v;
            else if (!strcmp(key, "sequence_flags"))
                cur->flags = v;
            else if (!strcmp(key, "timestamp"))
                cur->has_ts = true, cur->ts = v;
        } else if (depth == 2 && !strcmp(in, "track_descriptor")) {
            if (!strcmp(key, "uuid"))
                cur->uuid = v;
        } else if (depth == 3 && !strcmp(in, "track_descriptor") && !strcmp(key, "thread_name")) {
            snprintf(cur->thread_name, sizeof cur->thread_name, "%.*s", (int)strlen(val) - 2, val + 1);
        } else if (depth == 2 && !strcmp(in, "track_event")) {
            if (!strcmp(key, "type")) {
                for (int t = 1; t <= 4; t++)
                    if (!strcmp(val, type_name(t)))
                        cur->type = t;
            } else if (!strcmp(key, "track_uuid")) {
                cur->track = v;
            } else if (!strcmp(key, "name_iid")) {
                cur->name_iid = v;
            } else if (!strcmp(key, "name")) {
                snprintf(cur->name, sizeof cur->name, "%.*s", (int)strlen(val) - 2, val + 1);
            } else if (!strcmp(key, "category_iids")) {
                push(cur->cats, &cur->n_cats, v);
            } else if (!strcmp(key, "flow_ids")) {
                push(cur->flows, &cur->n_flows, v);
            } else if (!strcmp(key, "terminating_flow_ids")) {
                push(cur->ends, &cur->n_ends, v);
            }
        } else if (depth == 3 && !strcmp(in, "track_event") && !strcmp(key, "name_iid")) {
            push(cur->args, &cur->n_args, v);
        } else if (depth == 3 && !strcmp(in, "interned_data")) {
            if (!strcmp(key, "iid"))
                iid = v;
            else if (!strcmp(key, "name"))
                iname = (char *)val;   /* still quoted; only the event names are kept */
        }
    }
    assert_int_equal(depth, 0);
    /* unquote the kept interned names */
    for (size_t i = 0; i < d.n; i++)
        for (size_t j = 0; j < d.p[i].n_names; j++) {
            char *s = d.p[i].name_str[j];
            size_t n = strlen(s);
            if (n >= 2 && s[0] == '"') {
                memmove(s, s + 1, n - 2);
                s[n - 2] = '\0';
            }
        }
    return d;
}

/* Exports the traces to a scratch file and decodes it with protoc. */
static decoded export_decoded(fs_trace **tr, size_t n, size_t *bytes)
{
    fs_perfetto_source src[4];
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++)
        src[i] = (fs_perfetto_source){.trace = tr[i], .name = "mem.jsonl"};
    const char *path = fs_test_scratch_path("t.pftrace");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fs_error err;
    assert_int_equal(fs_perfetto_export(f, src, n, 0, &err), FS_ERR_OK);
    if (bytes)
        *bytes = (size_t)ftell(f);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "protoc --decode=perfetto.protos.Trace -I%s %s < %s",
             fs_test_src("tests"), "perfetto_min.proto", path);
    char *out = NULL, *errs = NULL;
    int st = fs_test_run(cmd, &out, &errs);
    if (st != 0)
        fprintf(stderr, "protoc failed (%d; scripts/deps.sh installs protobuf-compiler): %s\n", st,
                errs ? errs : "");
    assert_int_equal(st, 0);
    decoded d = parse(out);
    free(out);
    free(errs);
    return d;
}

/* ---- what Perfetto needs ------------------------------------------------------ */

typedef struct seen {
    uint64_t *v;
    size_t n, cap;
} seen;

static bool seen_has(const seen *s, uint64_t v)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == v)
            return true;
    return false;
}

static void seen_add(seen *s, uint64_t v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        assert_non_null(s->v);
    }
    s->v[s->n++] = v;
}

/* Keys of (sequence, iid) so one set holds every sequence's ids. */
static uint64_t key(uint64_t seq, uint64_t iid)
{
    return seq << 48 | iid;
}

typedef struct facts {
    size_t begins, ends, instants, counters, flows;
    size_t sequences;
} facts;

/* Events of one track in file order, for the nesting check. */
typedef struct tev {
    uint64_t ts;
    size_t order;
    int type;
} tev;

static int tev_cmp(const void *a, const void *b)
{
    const tev *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static facts check(const decoded *d)
{
    facts f = {0};
    seen tracks = {0}, counter_tracks = {0}, names = {0}, cats = {0}, args = {0};
    seen flow_start = {0}, flow_end = {0}, seqs = {0};
    assert_int_equal(d->unknown_fields, 0);
    for (size_t i = 0; i < d->n; i++) {
        const pkt *p = &d->p[i];
        assert_true(p->has_seq);
        assert_true(p->seq > 0);
        if (!seen_has(&seqs, p->seq)) {
            seen_add(&seqs, p->seq);
            assert_int_equal(p->flags, 1);   /* SEQ_INCREMENTAL_STATE_CLEARED */
        } else {
            assert_int_equal(p->flags, 2);   /* SEQ_NEEDS_INCREMENTAL_STATE */
        }
        /* this packet's interned data is usable by its own event */
        for (size_t j = 0; j < p->n_names; j++) {
            assert_false(seen_has(&names, key(p->seq, p->names[j])));   /* defined once */
            seen_add(&names, key(p->seq, p->names[j]));
        }
        for (size_t j = 0; j < p->n_icats; j++)
            seen_add(&cats, key(p->seq, p->icats[j]));
        for (size_t j = 0; j < p->n_iargs; j++)
            seen_add(&args, key(p->seq, p->iargs[j]));
        if (p->is_desc) {
            assert_false(p->is_event);
            assert_false(seen_has(&tracks, p->uuid));   /* described once */
            seen_add(&tracks, p->uuid);
            if (p->desc_counter)
                seen_add(&counter_tracks, p->uuid);
            continue;
        }
        assert_true(p->is_event);
        assert_true(p->has_ts);
        assert_true(seen_has(&tracks, p->track));     /* described before use */
        assert_true(p->type >= 1 && p->type <= 4);
        if (p->name_iid)
            assert_true(seen_has(&names, key(p->seq, p->name_iid)));
        for (size_t j = 0; j < p->n_cats; j++)
            assert_true(seen_has(&cats, key(p->seq, p->cats[j])));
        for (size_t j = 0; j < p->n_args; j++)
            assert_true(seen_has(&args, key(p->seq, p->args[j])));
        /* counters only on counter tracks, and only counters there */
        assert_int_equal(p->type == 4, seen_has(&counter_tracks, p->track));
        if (p->type == 1 || p->type == 3)
            assert_true(p->name_iid || p->name[0]);
        f.begins += p->type == 1;
        f.ends += p->type == 2;
        f.instants += p->type == 3;
        f.counters += p->type == 4;
        for (size_t j = 0; j < p->n_flows; j++) {
            assert_false(seen_has(&flow_start, p->flows[j]));
            seen_add(&flow_start, p->flows[j]);
        }
        for (size_t j = 0; j < p->n_ends; j++) {
            assert_true(seen_has(&flow_start, p->ends[j]));   /* started before it ends */
            assert_false(seen_has(&flow_end, p->ends[j]));
            seen_add(&flow_end, p->ends[j]);
        }
    }
    assert_int_equal(flow_start.n, flow_end.n);   /* every flow ended */
    f.flows = flow_end.n;
    f.sequences = seqs.n;
    /* Per track, in (time, file order) as trace_processor sorts: every END
     * closes an open BEGIN and nothing stays open. */
    tev *ev = malloc((d->n + 1) * sizeof *ev);
    assert_non_null(ev);
    for (size_t t = 0; t < tracks.n; t++) {
        size_t n = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->p[i].is_event && d->p[i].track == tracks.v[t] && d->p[i].type <= 2)
                ev[n++] = (tev){d->p[i].ts, i, d->p[i].type};
        qsort(ev, n, sizeof *ev, tev_cmp);
        int open = 0;
        for (size_t i = 0; i < n; i++) {
            open += ev[i].type == 1 ? 1 : -1;
            assert_true(open >= 0);
        }
        assert_int_equal(open, 0);
    }
    free(ev);
    free(tracks.v);
    free(counter_tracks.v);
    free(names.v);
    free(cats.v);
    free(args.v);
    free(flow_start.v);
    free(flow_end.v);
    free(seqs.v);
    return f;
}

static const pkt *find_thread(const decoded *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->p[i].is_desc && strcmp(d->p[i].thread_name, name) == 0)
            return &d->p[i];
    return NULL;
}

/* The interned name of an event (its own sequence). */
static const char *event_name(const decoded *d, const pkt *e)
{
    if (e->name[0])
        return e->name;
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < d->p[i].n_names; j++)
            if (d->p[i].seq == e->seq && d->p[i].names[j] == e->name_iid)
                return d->p[i].name_str[j];
    return "";
}

/* Wakes that led to a poll and have a waking lane: the flows expected. */
static size_t wake_flows(const fs_trace *tr)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->n_wakes; i++) {
        const fs_trace_wake *w = &tr->wakes[i];
        n += w->caused >= 0 && ((w->src_res >= 0 && (size_t)w->src_res < tr->n_resources) ||
                                (w->src_task >= 0 && (size_t)w->src_task < tr->n_tasks));
    }
    return n;
}

static size_t task_slices(const fs_trace *tr)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->n_tasks; i++)
        n += tr->tasks[i].n_slices;
    return n;
}

/* Each task's track, its BEGIN/END matched as trace_processor matches them
 * (an END closes the innermost open slice, in time order, equal times in
 * file order), gives exactly the task's polls and spins. */
static void task_tracks_match(const decoded *d, const fs_trace *tr)
{
    tev *ev = malloc((d->n + 1) * sizeof *ev);
    size_t *open = malloc((d->n + 1) * sizeof *open);
    assert_true(ev && open);
    size_t tracks = 0;
    for (size_t k = 0; k < d->n; k++) {
        size_t task;
        if (!d->p[k].is_desc || sscanf(d->p[k].thread_name, "task %zu", &task) != 1)
            continue;
        assert_true(task < tr->n_tasks);
        tracks++;
        size_t n = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->p[i].is_event && d->p[i].track == d->p[k].uuid && d->p[i].type <= 2)
                ev[n++] = (tev){d->p[i].ts, i, d->p[i].type};
        qsort(ev, n, sizeof *ev, tev_cmp);
        size_t depth = 0, j = 0;
        for (size_t i = 0; i < n; i++) {
            if (ev[i].type == 1) {
                open[depth++] = i;
                continue;
            }
            assert_true(depth > 0);
            const tev *b = &ev[open[--depth]];
            assert_int_equal(depth, 0);   /* a task's polls never nest */
            assert_true(j < tr->tasks[task].n_slices);
            assert_int_equal(b->ts, tr->tasks[task].slices[j].t);
            assert_int_equal(ev[i].ts, tr->tasks[task].slices[j].end);
            j++;
        }
        assert_int_equal(j, tr->tasks[task].n_slices);
    }
    assert_int_equal(tracks, tr->n_tasks);
    free(ev);
    free(open);
}

/* Each worker's track, matched the same way: every slice is one of the
 * worker's parks, or a poll of that worker named after its task, or a
 * "spin" group; and every single poll (not a spin) of the worker is there. */
static void worker_tracks_match(const decoded *d, const fs_trace *tr)
{
    tev *ev = malloc((d->n + 1) * sizeof *ev);
    size_t *open = malloc((d->n + 1) * sizeof *open);
    assert_true(ev && open);
    for (size_t k = 0; k < d->n; k++) {
        int w;
        if (!d->p[k].is_desc || sscanf(d->p[k].thread_name, "worker %d", &w) != 1)
            continue;
        size_t n = 0, singles = 0, want = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->p[i].is_event && d->p[i].track == d->p[k].uuid && d->p[i].type <= 2)
                ev[n++] = (tev){d->p[i].ts, i, d->p[i].type};
        qsort(ev, n, sizeof *ev, tev_cmp);
        size_t depth = 0;
        for (size_t i = 0; i < n; i++) {
            if (ev[i].type == 1) {
                open[depth++] = i;
                continue;
            }
            assert_true(depth > 0);
            const tev *b = &ev[open[--depth]];
            const char *name = event_name(d, &d->p[b->order]);
            bool found = strncmp(name, "spin", 4) == 0;
            if (!found && strcmp(name, "parked") == 0) {
                for (size_t j = 0; j < tr->workers_v[w].n_parks && !found; j++)
                    found = tr->workers_v[w].parks[j].t == (int64_t)b->ts &&
                            tr->workers_v[w].parks[j].end == (int64_t)ev[i].ts;
            }
            for (size_t t = 0; t < tr->n_tasks && !found; t++)
                for (size_t j = 0; j < tr->tasks[t].n_slices && !found; j++) {
                    const fs_trace_slice *sl = &tr->tasks[t].slices[j];
                    const char *tn = fs_trace_str(tr, tr->tasks[t].name);
                    size_t tl = strlen(tn);
                    /* "name", or "name spin ×N" for a spin */
                    found = sl->worker == w && sl->t == (int64_t)b->ts &&
                            sl->end == (int64_t)ev[i].ts && strncmp(name, tn, tl) == 0 &&
                            (sl->kind == FS_SLICE_SPIN ? strncmp(name + tl, " spin ", 6) == 0
                                                       : name[tl] == '\0');
                    singles += found && sl->kind != FS_SLICE_SPIN;
                }
            if (!found)
                fprintf(stderr, "worker %d: no \"%s\" from %" PRIu64 " to %" PRIu64 " in the trace\n", w,
                        name, b->ts, ev[i].ts);
            assert_true(found);
        }
        assert_int_equal(depth, 0);
        for (size_t t = 0; t < tr->n_tasks; t++)
            for (size_t j = 0; j < tr->tasks[t].n_slices; j++)
                want += tr->tasks[t].slices[j].worker == w && tr->tasks[t].slices[j].kind != FS_SLICE_SPIN;
        assert_int_equal(singles, want);
    }
    free(ev);
    free(open);
}

/* ---- tests ------------------------------------------------------------------- */

/* The seed's two reads together under wake, packet by packet. */
static void test_known_trace(void **state)
{
    (void)state;
    fs_trace *tr = fs_test_trace_of("scenarios/seed/02_together.json", FS_EXEC_WAKE, 1);
    decoded d = export_decoded(&tr, 1, NULL);
    facts f = check(&d);
    /* 6 descriptors (process, root, worker 0, task 0, socket a, socket b);
     * 2 wake instants with flows, 2 arrivals, 2 registrations, a complete;
     * 2 polls on the task's track, 2 polls and a park on the worker's */
    assert_int_equal(d.n, 23);
    assert_int_equal(f.sequences, 1);
    assert_int_equal(f.begins, 5);
    assert_int_equal(f.ends, 5);
    assert_int_equal(f.instants, 7);
    assert_int_equal(f.counters, 0);
    assert_int_equal(f.flows, 2);
    assert_int_equal(f.flows, wake_flows(tr));
    /* the first packet is the process, the second the root track */
    assert_true(d.p[0].is_desc && d.p[0].uuid == 1);
    assert_true(d.p[1].is_desc && d.p[1].uuid == 0);
    const pkt *task = find_thread(&d, "task 0 get_2_nums");
    assert_non_null(task);
    assert_non_null(find_thread(&d, "worker 0"));
    assert_non_null(find_thread(&d, "socket a"));
    assert_non_null(find_thread(&d, "socket b"));
    /* the task's polls: pending at 0 for 1 us, ready at 2 s, ending both flows */
    const pkt *polls[2] = {NULL, NULL};
    size_t np = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.p[i].is_event && d.p[i].type == 1 && d.p[i].track == task->uuid) {
            if (np < 2)
                polls[np] = &d.p[i];
            np++;
        }
    assert_int_equal(np, 2);
    assert_int_equal(polls[0]->ts, 0);
    assert_string_equal(event_name(&d, polls[0]), "pending: read b");
    assert_int_equal(polls[0]->n_ends, 0);
    assert_int_equal(polls[1]->ts, 2000000000);
    assert_string_equal(event_name(&d, polls[1]), "ready: read b");
    assert_int_equal(polls[1]->n_ends, 2);
    /* the flows start on the sockets' tracks, at the arrivals */
    size_t starts = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.p[i].n_flows) {
            assert_int_equal(d.p[i].type, 3);
            assert_int_equal(d.p[i].ts, 2000000000);
            assert_string_equal(event_name(&d, &d.p[i]), "wake");
            assert_true(d.p[i].track == find_thread(&d, "socket a")->uuid ||
                        d.p[i].track == find_thread(&d, "socket b")->uuid);
            starts++;
        }
    assert_int_equal(starts, 2);
    free(d.p);
    fs_trace_free(tr);
}

/* Every scenario under busy (interleaved spins on one worker), wake and
 * steal:2 (queue counters): what Perfetto needs holds, slices and flows
 * match the trace. */
static void test_every_scenario(void **state)
{
    (void)state;
    static const char *const files[] = {
        "scenarios/seed/01_one_after_another.json", "scenarios/seed/03_busy_vs_wake.json",
        "scenarios/seed/05_several_workers.json", "scenarios/patterns/compute_yields.json",
        "scenarios/patterns/fan_out_fan_in.json", "scenarios/patterns/lost_waker.json",
        "scenarios/patterns/producer_consumer.json", "scenarios/patterns/spurious_wakes.json",
        "scenarios/patterns/timeout_select.json",
    };
    static const struct { fs_exec_kind kind; int workers; } execs[] = {
        {FS_EXEC_BUSY, 1}, {FS_EXEC_WAKE, 1}, {FS_EXEC_STEAL, 2}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        for (size_t e = 0; e < 3; e++) {
            fs_trace *tr = fs_test_trace_of(files[i], execs[e].kind, execs[e].workers);
            decoded d = export_decoded(&tr, 1, NULL);
            facts f = check(&d);
            task_tracks_match(&d, tr);
            worker_tracks_match(&d, tr);
            assert_int_equal(f.flows, wake_flows(tr));
            /* every poll or spin is a slice on its task's track, and again
             * on its worker's (or inside a spin group there) */
            assert_true(f.begins >= task_slices(tr) + 1);
            size_t queue = 0;
            for (int w = 0; w < tr->workers; w++)
                queue += tr->workers_v[w].n_queue;
            assert_int_equal(f.counters, queue);
            if (execs[e].kind == FS_EXEC_STEAL && strstr(files[i], "05_several"))
                assert_int_equal(f.counters, 15);   /* the trace's 15 queue lines */
            free(d.p);
            fs_trace_free(tr);
        }
}

/* spawn_blocking: the pool's thread is a track of its own, and the job a
 * slice on it from its start (0) to its end (500 ms), named after the job. */
static void test_blocking_thread_track(void **state)
{
    (void)state;
    fs_trace *tr = fs_test_trace_of("scenarios/patterns/compute_spawn_blocking.json", FS_EXEC_STEAL, 2);
    decoded d = export_decoded(&tr, 1, NULL);
    facts f = check(&d);
    (void)f;
    const pkt *t = find_thread(&d, "blocking thread 0");
    assert_non_null(t);
    int begins = 0, ends = 0;
    for (size_t i = 0; i < d.n; i++) {
        const pkt *e = &d.p[i];
        if (!e->is_event || e->track != t->uuid)
            continue;
        if (e->type == 1) {
            assert_string_equal(event_name(&d, e), "crunch");
            assert_int_equal(e->ts, 0);
            begins++;
        } else if (e->type == 2) {
            assert_int_equal(e->ts, 500000000);
            ends++;
        }
    }
    assert_int_equal(begins, 1);
    assert_int_equal(ends, 1);
    free(d.p);
    fs_trace_free(tr);
}

/* Several traces: one sequence and one process each, flows distinct. */
static void test_several_traces(void **state)
{
    (void)state;
    fs_trace *tr[2] = {fs_test_trace_of("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_BUSY, 1),
                       fs_test_trace_of("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_STEAL, 2)};
    size_t bytes = 0;
    decoded d = export_decoded(tr, 2, &bytes);
    facts f = check(&d);
    assert_int_equal(f.sequences, 2);
    assert_int_equal(f.flows, wake_flows(tr[0]) + wake_flows(tr[1]));
    size_t processes = 0;
    for (size_t i = 0; i < d.n; i++)
        processes += d.p[i].desc_process;
    assert_int_equal(processes, 2);
    free(d.p);
    fs_trace_free(tr[0]);
    fs_trace_free(tr[1]);
}

/* A size limit: FS_ERR_LIMIT, and the caller is told. */
static void test_limit(void **state)
{
    (void)state;
    fs_trace *tr = fs_test_trace_of("scenarios/seed/03_busy_vs_wake.json", FS_EXEC_WAKE, 1);
    fs_perfetto_source src = {.trace = tr};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fs_error err;
    assert_int_equal(fs_perfetto_export(f, &src, 1, 200, &err), FS_ERR_LIMIT);
    fclose(f);
    assert_true(len <= 200);
    assert_non_null(strstr(err.msg, "would pass 200 bytes"));
    free(buf);
    fs_trace_free(tr);
}

/* The commands as a user meets them. */
static void test_cli(void **state)
{
    (void)state;
    char args[2048], *out = NULL, *err = NULL;
    const char *jsonl = fs_test_scratch_path("c.jsonl");
    const char *pf = fs_test_scratch_path("c.pftrace");
    snprintf(args, sizeof args, "run scenarios/seed/02_together.json -o %s --perfetto %s", jsonl, pf);
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 0);
    size_t run_len = 0, exp_len = 0;
    char *a = fs_test_read_file(pf, &run_len);
    assert_non_null(a);
    /* export of the same trace: the same bytes (no file name label in run's) */
    const char *pf2 = fs_test_scratch_path("e.pftrace");
    snprintf(args, sizeof args, "export %s --perfetto %s", jsonl, pf2);
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 0);
    char *b = fs_test_read_file(pf2, &exp_len);
    assert_non_null(b);
    /* + process_labels (and maybe a byte more in the lengths around it) */
    assert_true(exp_len >= run_len + 2 + strlen(jsonl) && exp_len <= run_len + 5 + strlen(jsonl));
    free(a);
    free(b);
    /* both formats at once */
    const char *cj = fs_test_scratch_path("e.json");
    snprintf(args, sizeof args, "export %s --chrome %s --perfetto %s", jsonl, cj, pf2);
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 0);
    assert_int_equal(access(cj, F_OK), 0);
    /* the output is the input: refused, exit 2 */
    snprintf(args, sizeof args, "export %s --perfetto %s", jsonl, jsonl);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 2);
    assert_non_null(strstr(err, "--perfetto"));
    free(out);
    free(err);
    /* over --max-perfetto: exit 3, no file, the trace still written */
    const char *small = fs_test_scratch_path("small.pftrace");
    snprintf(args, sizeof args, "run scenarios/seed/02_together.json --perfetto %s --max-perfetto 100", small);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 3);
    assert_non_null(strstr(err, "would pass 100 bytes"));
    assert_int_equal(access(small, F_OK), -1);
    free(out);
    free(err);
    /* both on stdout, a missing value: usage, exit 2 */
    assert_int_equal(fs_test_futurescope("run scenarios/seed/02_together.json --chrome - --perfetto -", NULL, NULL), 2);
    assert_int_equal(fs_test_futurescope("run scenarios/seed/02_together.json --perfetto", NULL, NULL), 2);
    snprintf(args, sizeof args, "export %s --perfetto ''", jsonl);
    assert_int_equal(fs_test_futurescope(args, NULL, NULL), 2);
    /* a write that fails: exit 1 */
    snprintf(args, sizeof args, "export %s --perfetto /dev/full", jsonl);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 1);
    assert_non_null(strstr(err, "write failed"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_trace),
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_blocking_thread_track),
        cmocka_unit_test(test_several_traces),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
