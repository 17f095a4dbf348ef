/* test_exec.c - core/: tasks, wakers and the blocking, busy and wake
 * executors, driven by the seed article's FutSocket written by hand
 * (examples/fut_socket.h), with no scenario files involved.
 * Times were computed by hand: polls cost 1 us; each socket's data arrives
 * 2 s after it is created at t=0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fut_socket.h"

#define SEC 1000000000LL
#define US 1000LL

/* ---- a recording observer ------------------------------------------------ */

typedef struct rec {
    fs_event ev[64];
    int n;
    int count[FS_EV__COUNT];
    int64_t spin_polls; /* polls reported through SPIN_SKIP */
} rec;

static void rec_event(void *ctx, const fs_event *ev)
{
    rec *r = ctx;
    if (r->n < 64)
        r->ev[r->n++] = *ev;
    r->count[ev->type]++;
    if (ev->type == FS_EV_SPIN_SKIP)
        r->spin_polls += ev->count;
}

/* ---- fixture: two sockets, two tasks reading them -------------------------- */

typedef struct fixture {
    my_socket sockets[2];
    socket_world world;
    fut_socket futs[2];
    fs_exec *ex;
    rec rec;
} fixture;

/* f's n sockets as the driver of an executor described by d (observed by
 * f->rec); the caller makes the sockets and spawns. */
static fs_exec *setup_world(fixture *f, int n, fs_exec_desc d)
{
    memset(f, 0, sizeof *f);
    f->world = (socket_world){.sockets = f->sockets, .n = n};
    d.driver = (fs_driver){.ctx = &f->world, .next_event = socket_world_next_event,
                           .fire_next = socket_world_fire_next};
    d.observer = (fs_observer){.ctx = &f->rec, .on_event = rec_event};
    return fs_exec_create(&d);
}

static void setup_two(fixture *f, fs_exec_kind kind, bool no_ff)
{
    f->ex = setup_world(f, 2, (fs_exec_desc){.kind = kind, .poll_cost_ns = 1000,
                                             .no_fast_forward = no_ff});
    for (int i = 0; i < 2; i++) {
        my_socket_new(&f->sockets[i], f->ex, 7 + i);
        fut_socket_init(&f->futs[i], &f->sockets[i]);
        fs_exec_spawn(f->ex, i ? "b" : "a", &f->futs[i].base);
    }
}

/* ---- tests --------------------------------------------------------------- */

static void test_desc_defaults(void **state)
{
    (void)state;
    fs_exec_desc d = fs_exec_desc_defaults(&(fs_exec_desc){.kind = FS_EXEC_WAKE});
    assert_int_equal(d.workers, 1);
    assert_int_equal(d.max_time_ns, FS_DEFAULT_MAX_TIME_NS);
    assert_int_equal(d.poll_cost_ns, 0); /* 0 is a real value: an ideal CPU */
    assert_false(d.lifo);
    fs_exec_kind k;
    int w;
    assert_true(fs_exec_parse_kind("steal:4", &k, &w));
    assert_int_equal(k, FS_EXEC_STEAL);
    assert_int_equal(w, 4);
    assert_false(fs_exec_parse_kind("steal:0", &k, &w));
    assert_false(fs_exec_parse_kind("steal:65", &k, &w));
    assert_false(fs_exec_parse_kind("Wake", &k, &w));
}

/* run2: each task polled once to register, once when woken. */
static void test_wake_polls_four_times(void **state)
{
    (void)state;
    fixture f;
    setup_two(&f, FS_EXEC_WAKE, false);
    assert_int_equal(fs_exec_run(f.ex), FS_RUN_DONE);
    const fs_exec_stats *s = fs_exec_get_stats(f.ex);
    assert_int_equal(s->polls, 4);
    assert_int_equal(s->wasted_polls, 0);
    assert_int_equal(s->wakes, 2);
    /* a: polled 0..1us, b: 1..2us; park until 2 s; a: 2s..2s+1us; b: +1..+2us */
    assert_int_equal(s->end_ns, 2 * SEC + 2 * US);
    assert_int_equal(s->busy_ns, 4 * US);
    assert_int_equal(s->idle_ns, 2 * SEC - 2 * US);
    assert_int_equal(fs_exec_get_task(f.ex, 0)->value, 7);
    assert_int_equal(fs_exec_get_task(f.ex, 1)->value, 8);
    /* b was woken at 2 s and polled 1 us later, after a */
    assert_int_equal(fs_exec_get_task(f.ex, 1)->max_wake_latency_ns, 1 * US);
    /* runnable to polled: b waited 1 us after its spawn and after its wake,
     * a never (spawned and polled at 0, woken and polled at 2 s) */
    assert_int_equal(fs_exec_get_task(f.ex, 1)->max_runnable_wait_ns, 1 * US);
    assert_int_equal(fs_exec_get_task(f.ex, 0)->max_runnable_wait_ns, 0);
    assert_int_equal(f.rec.ev[1].t, 0); /* b spawned at 0 (its spawn event) */
    assert_int_equal(f.rec.count[FS_EV_PARK], 1);
    assert_int_equal(f.rec.count[FS_EV_UNPARK], 1);
    /* The event order of the whole run. */
    fs_event_type want[] = {FS_EV_SPAWN, FS_EV_SPAWN, FS_EV_POLL, FS_EV_POLL,
                            FS_EV_PARK, FS_EV_UNPARK, FS_EV_WAKE, FS_EV_WAKE,
                            FS_EV_POLL, FS_EV_COMPLETE, FS_EV_POLL, FS_EV_COMPLETE};
    assert_int_equal(f.rec.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < f.rec.n; i++)
        assert_int_equal(f.rec.ev[i].type, want[i]);
    assert_string_equal(f.rec.ev[6].source, "socket");
    assert_int_equal(f.rec.ev[6].t, 2 * SEC);
    fs_exec_free(f.ex);
}

/* run: about two million polls in 2 s, CPU never idle. */
static void test_busy_spins(void **state)
{
    (void)state;
    fixture f;
    setup_two(&f, FS_EXEC_BUSY, false);
    assert_int_equal(fs_exec_run(f.ex), FS_RUN_DONE);
    const fs_exec_stats *s = fs_exec_get_stats(f.ex);
    /* Polls at 0,1,2,... us; the data arrives at 2 s. The poll of a that
     * ends exactly at 2 s fires both arrivals; a's next poll (at 2 s) and
     * b's (2 s + 1 us) are ready: 2,000,002 polls, ending at 2 s + 2 us. */
    assert_int_equal(s->polls, 2000002);
    assert_int_equal(s->ready_polls, 2);
    assert_int_equal(s->wasted_polls, 2000002 - 2 - 2); /* first polls were spawns */
    assert_int_equal(s->end_ns, 2 * SEC + 2 * US);
    assert_int_equal(s->idle_ns, 0);
    assert_int_equal(s->busy_ns, s->end_ns);
    assert_true(f.rec.spin_polls > 1900000); /* skipped in bulk, not one by one */
    fs_exec_free(f.ex);
}

/* Fast-forward changes nothing but the speed. */
static void test_busy_fast_forward_is_exact(void **state)
{
    (void)state;
    fixture a, b;
    setup_two(&a, FS_EXEC_BUSY, false);
    setup_two(&b, FS_EXEC_BUSY, true);
    fs_exec_run(a.ex);
    fs_exec_run(b.ex);
    const fs_exec_stats *sa = fs_exec_get_stats(a.ex), *sb = fs_exec_get_stats(b.ex);
    assert_int_equal(sa->polls, sb->polls);
    assert_int_equal(sa->wasted_polls, sb->wasted_polls);
    assert_int_equal(sa->end_ns, sb->end_ns);
    assert_int_equal(sa->busy_ns, sb->busy_ns);
    assert_int_equal(b.rec.spin_polls, 0);
    for (uint32_t i = 0; i < 2; i++) {
        assert_int_equal(fs_exec_get_task(a.ex, i)->polls, fs_exec_get_task(b.ex, i)->polls);
        assert_int_equal(fs_exec_get_task(a.ex, i)->completed_ns,
                         fs_exec_get_task(b.ex, i)->completed_ns);
    }
    fs_exec_free(a.ex);
    fs_exec_free(b.ex);
}

/* get_num_sync twice: with sockets created together, b is ready when a is
 * done, so this is 2 s; the 4 s of the article comes from creating each
 * socket on first use, which the scenario tests cover. */
static void test_blocking_one_after_another(void **state)
{
    (void)state;
    fixture f;
    setup_two(&f, FS_EXEC_BLOCKING, false);
    assert_int_equal(fs_exec_run(f.ex), FS_RUN_DONE);
    const fs_exec_stats *s = fs_exec_get_stats(f.ex);
    /* a alone: polls at 0..2 s (2,000,001 polls, the last ready), then b
     * once, ready: 2,000,002 polls. */
    assert_int_equal(s->polls, 2000002);
    assert_int_equal(fs_exec_get_task(f.ex, 0)->polls, 2000001);
    assert_int_equal(fs_exec_get_task(f.ex, 1)->polls, 1);
    assert_int_equal(s->end_ns, 2 * SEC + 2 * US);
    /* b was never woken (its one poll is ready), so no wake latency shows
     * the 2 s it waited, runnable from its spawn, for a to finish */
    assert_int_equal(fs_exec_get_task(f.ex, 1)->max_wake_latency_ns, 0);
    assert_int_equal(fs_exec_get_task(f.ex, 1)->max_runnable_wait_ns, 2 * SEC + 1 * US);
    fs_exec_free(f.ex);
}

/* ---- lost wakers, stale wakers, limits ------------------------------------ */

/* Pending forever, never registering its waker: the lost-waker bug. */
static fs_poll forgetful_poll(fs_future *f, fs_context *cx)
{
    (void)f;
    cx->state = "forgetful";
    return FS_PENDING;
}
static const fs_future_vtable forgetful_vt = {.name = "forgetful", .poll = forgetful_poll};

static void test_wake_stalls_on_lost_waker(void **state)
{
    (void)state;
    rec r = {0};
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){
        .kind = FS_EXEC_WAKE, .poll_cost_ns = 1000,
        .observer = {.ctx = &r, .on_event = rec_event}});
    fs_future f = {.vt = &forgetful_vt};
    fs_exec_spawn(ex, "lost", &f);
    assert_int_equal(fs_exec_run(ex), FS_RUN_STALLED);
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    assert_true(s->stalled);
    assert_int_equal(s->polls, 1);
    assert_int_equal(s->end_ns, 1 * US);
    assert_int_equal(r.count[FS_EV_STALL], 1);
    fs_stall_info info;
    fs_exec_get_stall_info(ex, 0, &info);
    assert_string_equal(info.name, "lost");
    assert_string_equal(info.state, "forgetful");
    assert_null(info.waker_at);
    assert_false(info.never_polled);
    fs_exec_free(ex);
}

/* busy with nothing that could ever change: a stall, not a hang. */
static void test_busy_stalls_without_events(void **state)
{
    (void)state;
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){.kind = FS_EXEC_BUSY, .poll_cost_ns = 1000});
    fs_future f = {.vt = &forgetful_vt};
    fs_exec_spawn(ex, "lost", &f);
    assert_int_equal(fs_exec_run(ex), FS_RUN_STALLED);
    /* first poll (spawned), second (identical, nothing else) -> stall */
    assert_int_equal(fs_exec_get_stats(ex)->polls, 2);
    fs_exec_free(ex);
}

/* A waker kept after its task completed: the wake is counted, not followed. */
static fs_waker kept;
static fs_poll keeper_poll(fs_future *f, fs_context *cx)
{
    (void)f;
    if (!fs_waker_is_set(&kept)) {
        kept = fs_waker_clone(cx->waker);
        fs_waker_wake_by_ref(cx->waker); /* poll me again */
        return FS_PENDING;
    }
    return fs_ready(5);
}
static const fs_future_vtable keeper_vt = {.name = "keeper", .poll = keeper_poll};

static void test_stale_wake_is_counted(void **state)
{
    (void)state;
    rec r = {0};
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){
        .kind = FS_EXEC_WAKE, .poll_cost_ns = 1000,
        .observer = {.ctx = &r, .on_event = rec_event}});
    fs_future f = {.vt = &keeper_vt};
    kept = (fs_waker){0};
    fs_exec_spawn(ex, "keeper", &f);
    assert_int_equal(fs_exec_run(ex), FS_RUN_DONE);
    assert_int_equal(fs_exec_get_task(ex, 0)->self_wakes, 1);
    assert_int_equal(fs_exec_get_task(ex, 0)->waker_refs, 1);
    fs_waker_wake(&kept);
    assert_int_equal(fs_exec_get_stats(ex)->stale_wakes, 1);
    assert_int_equal(r.ev[r.n - 1].type, FS_EV_WAKE);
    assert_non_null(r.ev[r.n - 1].what); /* marked stale */
    assert_false(fs_waker_is_set(&kept));
    fs_exec_free(ex);
}

static void test_time_limit(void **state)
{
    (void)state;
    fixture f;
    setup_two(&f, FS_EXEC_BUSY, false);
    fs_exec_free(f.ex);
    memset(&f.rec, 0, sizeof f.rec);
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){
        .kind = FS_EXEC_WAKE, .poll_cost_ns = 1000, .max_time_ns = SEC,
        .driver = {.ctx = &f.world, .next_event = socket_world_next_event,
                   .fire_next = socket_world_fire_next}});
    for (int i = 0; i < 2; i++) {
        my_socket_new(&f.sockets[i], ex, i);
        fut_socket_init(&f.futs[i], &f.sockets[i]);
        fs_exec_spawn(ex, "t", &f.futs[i].base);
    }
    assert_int_equal(fs_exec_run(ex), FS_RUN_TIME_LIMIT);
    assert_true(fs_exec_get_stats(ex)->time_limit_hit);
    assert_int_equal(fs_exec_get_stats(ex)->end_ns, SEC);
    fs_exec_free(ex);
}

/* LIFO pops the newest woken task first. */
static void test_lifo_order(void **state)
{
    (void)state;
    fixture f;
    fs_exec *ex = setup_world(&f, 2, (fs_exec_desc){.kind = FS_EXEC_WAKE, .lifo = true,
                                                    .poll_cost_ns = 1000});
    for (int i = 0; i < 2; i++) {
        my_socket_new(&f.sockets[i], ex, i);
        fut_socket_init(&f.futs[i], &f.sockets[i]);
        fs_exec_spawn(ex, "t", &f.futs[i].base);
    }
    fs_exec_run(ex);
    /* first poll is of task 1, the last spawned */
    for (int i = 0; i < f.rec.n; i++)
        if (f.rec.ev[i].type == FS_EV_POLL) {
            assert_int_equal(f.rec.ev[i].task, 1);
            break;
        }
    fs_exec_free(ex);
}

/* ---- counts past 32 bits: the task record keeps them exact ------------------ */

/* One task spinning 5 s at 1 ns a poll under busy: 5,000,000,001 polls,
 * more than a 32-bit count holds (skipped in bulk). */
static void test_counts_past_32_bits(void **state)
{
    (void)state;
    fixture f;
    fs_exec *ex = setup_world(&f, 1, (fs_exec_desc){.kind = FS_EXEC_BUSY, .poll_cost_ns = 1,
                                                    .max_polls = 10 * SEC});
    my_socket_new(&f.sockets[0], ex, 3);
    f.sockets[0].ready_at = 5 * SEC;
    fut_socket_init(&f.futs[0], &f.sockets[0]);
    fs_exec_spawn(ex, "spin", &f.futs[0].base);
    assert_int_equal(fs_exec_run(ex), FS_RUN_DONE);
    const fs_exec_stats *s = fs_exec_get_stats(ex);
    const fs_task_info *t = fs_exec_get_task(ex, 0);
    /* polls at 0, 1, ... ns: the one ending at 5 s fires the data, the next is ready */
    assert_int_equal(s->polls, 5 * SEC + 1);
    assert_int_equal(t->polls, 5 * SEC + 1);
    assert_int_equal(t->wasted_polls, 5 * SEC - 1); /* all but the first and the last */
    assert_int_equal(t->completed_ns, 5 * SEC + 1);
    assert_int_equal(t->value, 3);
    assert_int_equal(t->waker_clones - t->waker_drops, t->waker_refs);
    assert_int_equal(t->waker_refs, 0);
    fs_exec_free(ex);
}

/* Polls of 5 s each under wake: a waits 8 s from its wake, b 5 s from its
 * spawn, both more than 2^32 ns. */
static void test_latency_past_32_bits(void **state)
{
    (void)state;
    fixture f;
    fs_exec *ex = setup_world(&f, 2, (fs_exec_desc){.kind = FS_EXEC_WAKE, .poll_cost_ns = 5 * SEC});
    for (int i = 0; i < 2; i++) {
        my_socket_new(&f.sockets[i], ex, 7 + i);
        fut_socket_init(&f.futs[i], &f.sockets[i]);
        fs_exec_spawn(ex, i ? "b" : "a", &f.futs[i].base);
    }
    assert_int_equal(fs_exec_run(ex), FS_RUN_DONE);
    /* a: polled 0..5 s (registers), its data at 2 s; b: 5..10 s, ready at
     * once; a again 10..15 s */
    const fs_task_info *a = fs_exec_get_task(ex, 0), *b = fs_exec_get_task(ex, 1);
    assert_int_equal(a->polls, 2);
    assert_int_equal(a->wakes, 1);
    assert_int_equal(a->max_wake_latency_ns, 8 * SEC);
    assert_int_equal(a->max_runnable_wait_ns, 8 * SEC);
    assert_int_equal(a->waker_clones, 1);
    assert_int_equal(a->waker_drops, 1);
    assert_int_equal(a->completed_ns, 15 * SEC);
    assert_int_equal(a->value, 7);
    assert_int_equal(b->polls, 1);
    assert_int_equal(b->max_wake_latency_ns, 0);
    assert_int_equal(b->max_runnable_wait_ns, 5 * SEC);
    assert_int_equal(b->completed_ns, 10 * SEC);
    assert_int_equal(b->value, 8);
    fs_exec_free(ex);
}

/* A task made wide at its first poll (runnable 5 s since its spawn) goes on
 * counting its wakes and its waker's clones and drops there, exactly: b's
 * data never comes, so after the run its waker is cloned, woken and
 * dropped by hand. */
static void test_wide_task_counts_on(void **state)
{
    (void)state;
    fixture f;
    fs_exec *ex = setup_world(&f, 2, (fs_exec_desc){.kind = FS_EXEC_WAKE, .poll_cost_ns = 5 * SEC,
                                                    .max_time_ns = 20 * SEC});
    for (int i = 0; i < 2; i++) {
        my_socket_new(&f.sockets[i], ex, 7 + i);
        fut_socket_init(&f.futs[i], &f.sockets[i]);
        fs_exec_spawn(ex, i ? "b" : "a", &f.futs[i].base);
    }
    f.sockets[1].ready_at = 1000 * SEC;
    /* a: 0..5 s, woken at 2 s, 10..15 s ready; b: 5..10 s, registers */
    assert_int_equal(fs_exec_run(ex), FS_RUN_TIME_LIMIT);
    const fs_task_info *b = fs_exec_get_task(ex, 1);
    assert_int_equal(b->polls, 1);
    assert_int_equal(b->max_runnable_wait_ns, 5 * SEC);
    assert_int_equal(b->wakes, 0);
    assert_int_equal(b->waker_clones, 1); /* its socket holds it */
    assert_int_equal(b->waker_refs, 1);
    fs_waker w = fs_exec_task_waker(ex, 1);
    for (int i = 0; i < 3; i++) {
        fs_waker c = fs_waker_clone(&w);
        fs_waker_wake_by_ref(&c);
        fs_waker_drop(&c);
    }
    fs_waker c = fs_waker_clone(&w);
    fs_waker_wake(&c); /* the wake takes the clone with it */
    b = fs_exec_get_task(ex, 1);
    assert_int_equal(b->wakes, 4);
    assert_int_equal(b->waker_clones, 5);
    assert_int_equal(b->waker_drops, 4);
    assert_int_equal(b->waker_refs, 1);
    assert_int_equal(b->polls, 1);
    fs_exec_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_desc_defaults),
        cmocka_unit_test(test_wake_polls_four_times),
        cmocka_unit_test(test_busy_spins),
        cmocka_unit_test(test_busy_fast_forward_is_exact),
        cmocka_unit_test(test_blocking_one_after_another),
        cmocka_unit_test(test_wake_stalls_on_lost_waker),
        cmocka_unit_test(test_busy_stalls_without_events),
        cmocka_unit_test(test_stale_wake_is_counted),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_lifo_order),
        cmocka_unit_test(test_counts_past_32_bits),
        cmocka_unit_test(test_latency_past_32_bits),
        cmocka_unit_test(test_wide_task_counts_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
