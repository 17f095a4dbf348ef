/* test_counts.c - random counts (docs/scenarios.md, Durations): a repeat's,
 * a task entry's, a join_set's count and take, a listener's connections and
 * requests, drawn as durations are. Degenerate draws ({"uniform": [n, n]})
 * give times worked out by hand (polls cost 1 us); wider ones must give
 * every executor the same counts for a seed, and other seeds other counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define MS 1000000LL
#define US 1000LL

typedef fs_test_sim sim;

static void simulate(sim *s, const char *json, fs_exec_kind kind, bool lifo, uint64_t seed)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = kind == FS_EXEC_STEAL ? 2 : 0,
                                            .lifo = lifo, .has_seed = true, .seed = seed});
}

static const fs_exec_stats *st(const sim *s)
{
    return fs_exec_get_stats(s->run->exec);
}

static const fs_task_info *task(const sim *s, uint32_t id)
{
    return fs_exec_get_task(s->run->exec, id);
}

/* ---- degenerate draws, by hand -------------------------------------------- */

/* Two tasks w#0, w#1 (a random count names its tasks even when it draws
 * 1), each three sleeps of 10 ms.
 * wake: w#0 polls at 0, 10, 20, 30 ms; w#1 1 us later each time (its timer
 * was set 1 us later): done at 30.001 and 30.002 ms, 8 polls.
 * steal:2: each worker takes one task at 0; a timer's deadline is rounded
 * up to the driver's next 1 ms tick and the parked driver wakes on its own
 * tick phase (the park began 1 us after the poll): both timers fire at
 * 10.001 ms, the next at 21.002 (deadline 20.001 -> the 21 ms tick, + the
 * phase), the last at 32.003; the polls end at 32.004 ms. */
#define SLEEPS                                                                              \
    "{\"tasks\":[{\"name\":\"w\",\"count\":{\"uniform\":[2,2]},\"future\":"                   \
    "{\"repeat\":{\"uniform\":[3,3]},\"do\":{\"sleep_ms\":10}}}]}"

static void test_repeat_and_task_count(void **state)
{
    (void)state;
    sim s;
    simulate(&s, SLEEPS, FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->tasks_total, 2);
    assert_string_equal(task(&s, 0)->name, "w#0");
    assert_string_equal(task(&s, 1)->name, "w#1");
    assert_int_equal(task(&s, 0)->completed_ns, 30 * MS + 1 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 30 * MS + 2 * US);
    assert_int_equal(task(&s, 0)->polls, 4);
    assert_int_equal(st(&s)->polls, 8);
    fs_test_sim_free(&s);

    simulate(&s, SLEEPS, FS_EXEC_STEAL, false, 0);
    assert_int_equal(st(&s)->tasks_total, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 32 * MS + 4 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 32 * MS + 4 * US);
    assert_int_equal(task(&s, 0)->polls, 4);
    assert_int_equal(st(&s)->polls, 8);
    fs_test_sim_free(&s);
}

/* A count of 1 drawn still names the task w#0; a repeat that draws 0 is
 * ready at once with 0, its body never built. */
static void test_count_one_and_repeat_zero(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"w\",\"count\":{\"uniform\":[1,1]},\"future\":"
                 "{\"repeat\":{\"uniform\":[0,0]},\"do\":{\"sleep_ms\":10}}}]}",
             FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->tasks_total, 1);
    assert_string_equal(task(&s, 0)->name, "w#0");
    assert_int_equal(task(&s, 0)->completed_ns, 1 * US);
    assert_int_equal(task(&s, 0)->value, 0);
    assert_int_equal(st(&s)->polls, 1);
    fs_test_sim_free(&s);
}

/* A channel's capacity and a semaphore's permits drawn once per run (keyed
 * by the resource), a retry's attempts drawn when its first try fails
 * (keyed as its own draws): here each range holds one value, so the counts
 * are known. wake: p sends 2 at 0 (capacity 2) and waits; c sleeps to
 * 10.001 ms; w#0 takes the 1 permit at 2 us, w#1 queues at 3 us and gets
 * it when w#0's 5 ms sleep ends (5.002; done 5.003, w#1 at 10.004); r's 3
 * tries of a 2 ms timeout: 4 us-2.004 ms, 2.005-4.005 (the retry without
 * backoff goes round a timer due at once: 2 polls between tries), 4.006 to
 * 6.006: elapsed at 6.007 ms after 6 polls. c takes the 2 values at 10.001
 * and wakes p, whose third send goes in (value 3, done 10.003); c is done
 * at 10.005. steal:2: timers on the 1 ms tick move the times (r's three
 * tries end at 3.002, 7.006 and 11.008 ms), the counts are the same: p 2
 * polls, one permit (the second acquirer runs after the first's release),
 * r 6 polls and elapsed. */
#define SIZES                                                                                      \
    "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":{\"uniform\":[2,2]}},"                   \
    "\"s\":{\"type\":\"semaphore\",\"permits\":{\"uniform\":[1,1]}},"                                  \
    "\"a\":{\"type\":\"socket\",\"arrivals\":[]}},\"tasks\":["                                         \
    "{\"name\":\"p\",\"future\":{\"repeat\":3,\"do\":{\"send\":\"ch\"}}},"                             \
    "{\"name\":\"c\",\"future\":{\"seq\":[{\"sleep_ms\":10},{\"repeat\":3,\"do\":{\"recv\":\"ch\"}}]}}," \
    "{\"name\":\"w\",\"count\":2,\"future\":{\"acquire\":\"s\",\"do\":{\"sleep_ms\":5}}},"             \
    "{\"name\":\"r\",\"future\":{\"retry\":{\"timeout_ms\":2,\"do\":{\"read\":\"a\"}},"                \
    "\"attempts\":{\"uniform\":[3,3]}}}]}"

static void test_random_sizes_and_attempts(void **state)
{
    (void)state;
    sim s;
    simulate(&s, SIZES, FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->polls, 16);
    assert_int_equal(st(&s)->end_ns, 10 * MS + 5 * US);
    assert_int_equal(task(&s, 0)->polls, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 10 * MS + 3 * US);
    assert_int_equal(task(&s, 2)->completed_ns, 5 * MS + 3 * US);
    assert_int_equal(task(&s, 3)->completed_ns, 10 * MS + 4 * US);
    assert_int_equal(task(&s, 4)->polls, 6);
    assert_int_equal(task(&s, 4)->completed_ns, 6 * MS + 7 * US);
    assert_int_equal(task(&s, 4)->fail, FS_FAIL_ELAPSED);
    fs_test_sim_free(&s);
    simulate(&s, SIZES, FS_EXEC_STEAL, false, 0);
    assert_int_equal(st(&s)->polls, 16);
    assert_int_equal(st(&s)->end_ns, 11 * MS + 11 * US);
    assert_int_equal(task(&s, 0)->polls, 2);
    assert_int_equal(task(&s, 3)->completed_ns, 5 * MS + 5 * US); /* w#1 took the permit first */
    assert_int_equal(task(&s, 2)->completed_ns, 11 * MS + 10 * US);
    assert_int_equal(task(&s, 4)->polls, 6);
    assert_int_equal(task(&s, 4)->completed_ns, 11 * MS + 9 * US);
    assert_int_equal(task(&s, 4)->fail, FS_FAIL_ELAPSED);
    fs_test_sim_free(&s);
}

/* A stall names the capacity drawn: p fills ch (3 drawn from [3, 3]) and
 * waits; c, which holds the receiver, waits on a notify nobody sends. */
static void test_stall_names_drawn_capacity(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"resources\":{\"ch\":{\"type\":\"channel\",\"capacity\":{\"uniform\":[3,3]}},"
                 "\"n\":{\"type\":\"notify\"}},\"tasks\":["
                 "{\"name\":\"p\",\"future\":{\"repeat\":4,\"do\":{\"send\":\"ch\"}}},"
                 "{\"name\":\"c\",\"future\":{\"seq\":[{\"notified\":\"n\"},{\"recv\":\"ch\"}]}}]}",
             FS_EXEC_WAKE, false, 0);
    assert_true(st(&s)->stalled);
    assert_non_null(strstr(s.trace, "channel ch is full (capacity 3), and every task that holds its receiver"));
    fs_test_sim_free(&s);
}

/* Drawn for real: the same attempts under wake and steal:2 for a seed
 * (each r#k polls twice a try), and not the same count for every task. */
#define DRAWN                                                                                       \
    "{\"resources\":{\"a\":{\"type\":\"socket\",\"arrivals\":[]}},\"tasks\":["                     \
    "{\"name\":\"r\",\"count\":4,\"future\":{\"retry\":{\"timeout_ms\":2,"                         \
    "\"do\":{\"read\":\"a\"}},\"attempts\":{\"uniform\":[1,6]}}}]}"

static void test_drawn_attempts_everywhere(void **state)
{
    (void)state;
    int64_t seen = 0; /* a bit per number of polls seen */
    for (uint64_t seed = 1; seed <= 4; seed++) {
        sim a, b;
        simulate(&a, DRAWN, FS_EXEC_WAKE, false, seed);
        simulate(&b, DRAWN, FS_EXEC_STEAL, false, seed);
        for (uint32_t id = 0; id < 4; id++) {
            assert_int_equal(task(&b, id)->polls, task(&a, id)->polls);
            seen |= 1LL << task(&a, id)->polls;
        }
        fs_test_sim_free(&a);
        fs_test_sim_free(&b);
    }
    assert_true(__builtin_popcountll((unsigned long long)seen) >= 3);
}

/* The counts drawn at run time beside them (one-value ranges, so known):
 * an acquire's permits (drawn as it starts), spurious_wakes (as the leaf
 * starts), an rwlock's max_readers (once per run).
 * wake: a takes 2 of s's 3 permits at 0; b (1 us) takes the third and
 * waits for one more; c (2 us) sleeps 3 ms and is woken at once twice
 * (K = 2), behind r#0..r#2: polled at 6 and 7 us, then at 3.002, done
 * 3.003 ms, 4 polls. r#0 (3 us) and r#1 (4 us) read-lock rw (2 readers);
 * r#2 (5 us) waits. r#0 unlocks at 4.003 (done 4.004): r#1, whose timer
 * came due during that poll, goes first (4.005), then r#2, which sleeps to
 * 8.005 (done 8.006). a's release at 5 ms hands b its second permit: b
 * polled 5.001, done 10.002 ms. 16 polls.
 * steal:2: the driver brings timers and the spurious wakes (agenda events)
 * at its 1 ms ticks, so c's wakes come at 1.003 and 2.004 ms and its timer
 * at 4.005; the same polls (16), b still acquires after a's release, at
 * 5.007, and is done at 11.009. */
#define RUNTIME                                                                                     \
    "{\"resources\":{\"s\":{\"type\":\"semaphore\",\"permits\":3},"                                \
    "\"rw\":{\"type\":\"rwlock\",\"max_readers\":{\"uniform\":[2,2]}}},\"tasks\":["                  \
    "{\"name\":\"a\",\"future\":{\"acquire\":\"s\",\"permits\":{\"uniform\":[2,2]},\"do\":{\"sleep_ms\":5}}}," \
    "{\"name\":\"b\",\"future\":{\"acquire\":\"s\",\"permits\":{\"uniform\":[2,2]},\"do\":{\"sleep_ms\":5}}}," \
    "{\"name\":\"c\",\"future\":{\"sleep_ms\":3,\"spurious_wakes\":{\"uniform\":[2,2]}}},"           \
    "{\"name\":\"r\",\"count\":3,\"future\":{\"read_lock\":\"rw\",\"do\":{\"sleep_ms\":4}}}]}"

static void test_runtime_counts(void **state)
{
    (void)state;
    sim s;
    simulate(&s, RUNTIME, FS_EXEC_WAKE, false, 0);
    static const int64_t done[6] = {5 * MS + 1 * US, 10 * MS + 2 * US, 3 * MS + 3 * US,
                                    4 * MS + 4 * US, 4 * MS + 5 * US, 8 * MS + 6 * US};
    static const uint64_t polls[6] = {2, 3, 4, 2, 2, 3};
    for (uint32_t id = 0; id < 6; id++) {
        assert_int_equal(task(&s, id)->completed_ns, done[id]);
        assert_int_equal(task(&s, id)->polls, polls[id]);
    }
    assert_int_equal(st(&s)->polls, 16);
    assert_non_null(strstr(s.trace, "\"state\":\"acquire s (uniform 2..2 permits)\""));
    fs_test_sim_free(&s);
    simulate(&s, RUNTIME, FS_EXEC_STEAL, false, 0);
    for (uint32_t id = 0; id < 6; id++)
        assert_int_equal(task(&s, id)->polls, polls[id]);
    assert_int_equal(st(&s)->polls, 16);
    assert_int_equal(task(&s, 2)->completed_ns, 4 * MS + 6 * US);
    assert_int_equal(task(&s, 1)->completed_ns, 11 * MS + 9 * US);
    assert_non_null(strstr(s.trace, "{\"t\":5007000,\"type\":\"io\",\"resource\":\"s\",\"what\":\"acquired\",\"value\":1}"));
    fs_test_sim_free(&s);
}

/* Drawn for real: each task's spurious wakes (0..5 per start, each of
 * three sleeps drawn anew) give it the same polls under wake and steal:2
 * for a seed (4 and one a wake: the sleeps are long enough for steal:2's
 * driver, which brings a spurious wake at its next 1 ms tick, to bring
 * them all), and not the same for every task. */
#define SPURIOUS                                                                                    \
    "{\"tasks\":[{\"name\":\"w\",\"count\":4,\"future\":{\"repeat\":3,\"do\":"                        \
    "{\"sleep_ms\":100,\"spurious_wakes\":{\"uniform\":[0,5]}}}}]}"

static void test_drawn_spurious_everywhere(void **state)
{
    (void)state;
    int64_t seen = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        sim a, b;
        simulate(&a, SPURIOUS, FS_EXEC_WAKE, false, seed);
        simulate(&b, SPURIOUS, FS_EXEC_STEAL, false, seed);
        for (uint32_t id = 0; id < 4; id++) {
            assert_int_equal(task(&b, id)->polls, task(&a, id)->polls);
            assert_true(task(&a, id)->polls >= 4 && task(&a, id)->polls <= 19);
            seen |= 1LL << task(&a, id)->polls;
        }
        fs_test_sim_free(&a);
        fs_test_sim_free(&b);
    }
    assert_true(__builtin_popcountll((unsigned long long)seen) >= 3);
}

/* A listener's until_ms (once per run) and each connection's send buffer
 * (bytes, drain_per_ms: per connection), drawn: 25 ms, 1000 bytes, 100
 * bytes a ms. wake: connections at 10 and 20 ms (the next, at 30, is past
 * 25); each write of 1500 puts 1000 in and waits 5 ms for room for the
 * other 500 (15 and 25 ms); at 25 ms the process is over and the next
 * accept fails closed: server done at 25.001 ms, 5 polls. steal:2: the
 * driver's ticks move the events (connection 1 at 20.002, the second
 * write's room 25.002 -> the 26 ms tick): 5 polls, done at 26.004 ms. */
#define LISTENER_SIZES                                                                              \
    "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":10,"                  \
    "\"until_ms\":{\"uniform\":[25,25]}},\"send_buffer\":{\"bytes\":{\"uniform\":[1000,1000]},"       \
    "\"drain_per_ms\":{\"uniform\":[100,100]}}}},\"tasks\":[{\"name\":\"server\",\"future\":"          \
    "{\"while\":{\"accept\":\"l\"},\"do\":{\"write\":\"l\",\"bytes\":1500}}}]}"

static void test_listener_until_and_buffer(void **state)
{
    (void)state;
    sim s;
    simulate(&s, LISTENER_SIZES, FS_EXEC_WAKE, false, 0);
    assert_int_equal(task(&s, 0)->completed_ns, 25 * MS + 1 * US);
    assert_int_equal(task(&s, 0)->polls, 5);
    assert_non_null(strstr(s.trace, "{\"t\":15000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"written\""));
    assert_non_null(strstr(s.trace, "{\"t\":25000000,\"type\":\"io\",\"resource\":\"l\",\"what\":\"closed\"}"));
    assert_null(strstr(s.trace, "\"what\":\"connect\",\"value\":2"));
    fs_test_sim_free(&s);
    simulate(&s, LISTENER_SIZES, FS_EXEC_STEAL, false, 0);
    assert_int_equal(task(&s, 0)->completed_ns, 26 * MS + 4 * US);
    assert_int_equal(task(&s, 0)->polls, 5);
    assert_null(strstr(s.trace, "\"what\":\"connect\",\"value\":2"));
    fs_test_sim_free(&s);
}

/* A join_set of 3 sleeps of 2 ms, take 2.
 * wake: m spawns j#0..j#2 at 0 (ids 1-3), polled at 1, 2, 3 us: timers at
 * 2.001, 2.002, 2.003 ms. j#0 completes at 2.002 and wakes m; j#1, woken
 * at 2.002 first, completes at 2.003; m polled 2.003 takes both and drops
 * the set: j#2 (woken at 2.003, still queued) is aborted, done at 2.004.
 * steal:2: the three timers fire together on the 3 ms tick (+ phase), all
 * three complete before m is polled (3.003-3.004), which takes two and
 * finds nothing to abort: done at 3.005 ms, 9 polls. */
#define SET                                                                                  \
    "{\"tasks\":[{\"name\":\"m\",\"future\":{\"join_set\":{\"name\":\"j\",\"count\":"           \
    "{\"uniform\":[3,3]},\"future\":{\"sleep_ms\":2}},\"take\":{\"uniform\":[2,2]}}}]}"

static void test_join_set_count_and_take(void **state)
{
    (void)state;
    sim s;
    simulate(&s, SET, FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->tasks_total, 4);
    assert_string_equal(task(&s, 3)->name, "m/j#2");
    assert_int_equal(task(&s, 0)->completed_ns, 2 * MS + 4 * US);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_int_equal(task(&s, 3)->fail, FS_FAIL_CANCELLED);
    assert_int_equal(st(&s)->aborted, 1);
    assert_int_equal(st(&s)->polls, 7);
    fs_test_sim_free(&s);

    simulate(&s, SET, FS_EXEC_STEAL, false, 0);
    assert_int_equal(st(&s)->tasks_total, 4);
    assert_int_equal(task(&s, 0)->completed_ns, 3 * MS + 5 * US);
    assert_int_equal(st(&s)->aborted, 0);
    assert_int_equal(st(&s)->polls, 9);
    fs_test_sim_free(&s);
}

/* A random take without a count is clamped to the count drawn: take
 * uniform [5, 9] of a set of 2 takes both. */
static void test_take_clamped_to_count(void **state)
{
    (void)state;
    sim s;
    simulate(&s, "{\"tasks\":[{\"name\":\"m\",\"future\":{\"join_set\":{\"name\":\"j\",\"count\":2,"
                 "\"future\":{\"sleep_ms\":2}},\"take\":{\"uniform\":[5,9]}}}]}",
             FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->tasks_total, 3);
    assert_int_equal(st(&s)->aborted, 0);
    assert_int_equal(st(&s)->completed, 3);
    fs_test_sim_free(&s);
}

/* Two connections 5 ms apart, three requests each, 1 ms apart.
 * wake: acc accepts 0 at 5 ms (spawns h#0) and 1 at 10 ms, when the
 * process ends: its next accept fails "closed", value 2, done 10.001 ms.
 * h#0 reads requests at 6, 7, 8 ms, then EOF: done 8.001 (4 polls); h#1 at
 * 11, 12, 13: done 13.001 ms. 11 polls.
 * steal:2: the same polls; the events come on driver turns, the run ends
 * at 16.008 ms. */
#define LISTENER                                                                             \
    "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":5,\"count\":"   \
    "{\"uniform\":[2,2]}},\"requests\":{\"count\":{\"uniform\":[3,3]},\"every_ms\":1}}},"       \
    "\"tasks\":[{\"name\":\"acc\",\"future\":{\"while\":{\"accept\":\"l\"},\"do\":{\"spawn\":"  \
    "{\"name\":\"h\",\"future\":{\"while\":{\"read\":\"l\"},\"do\":{\"compute_ms\":0}}}}}}]}"

static void test_listener_counts(void **state)
{
    (void)state;
    sim s;
    simulate(&s, LISTENER, FS_EXEC_WAKE, false, 0);
    assert_int_equal(st(&s)->tasks_total, 3);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_int_equal(task(&s, 0)->completed_ns, 10 * MS + 1 * US);
    assert_int_equal(task(&s, 1)->value, 3);
    assert_int_equal(task(&s, 1)->completed_ns, 8 * MS + 1 * US);
    assert_int_equal(task(&s, 2)->value, 3);
    assert_int_equal(task(&s, 2)->completed_ns, 13 * MS + 1 * US);
    assert_int_equal(st(&s)->polls, 11);
    fs_test_sim_free(&s);

    simulate(&s, LISTENER, FS_EXEC_STEAL, false, 0);
    assert_int_equal(st(&s)->tasks_total, 3);
    assert_int_equal(task(&s, 0)->value, 2);
    assert_int_equal(task(&s, 1)->value, 3);
    assert_int_equal(task(&s, 2)->value, 3);
    assert_int_equal(st(&s)->polls, 11);
    assert_int_equal(st(&s)->end_ns, 16 * MS + 8 * US);
    fs_test_sim_free(&s);
}

/* ---- wide draws: the same under every executor, other seeds other ---- */

/* Every count random: tasks w#k (1..6 of them), each a repeat of 0..20
 * yields and a join_set of 1..5 members; a listener with 1..4 connections
 * of 0..5 requests each, whose handlers count what they read. */
#define WIDE                                                                                         \
    "{\"resources\":{\"l\":{\"type\":\"listener\",\"connections\":{\"every_ms\":{\"exp\":3},"           \
    "\"count\":{\"uniform\":[1,4]}},\"requests\":{\"count\":{\"uniform\":[0,5]},\"every_ms\":1}}},"     \
    "\"tasks\":[{\"name\":\"w\",\"count\":{\"uniform\":[1,6]},\"future\":{\"seq\":["                   \
    "{\"repeat\":{\"uniform\":[0,20]},\"do\":{\"yield\":true}},"                                       \
    "{\"join_set\":{\"name\":\"j\",\"count\":{\"uniform\":[1,5]},\"future\":{\"sleep_ms\":1}}}]}},"    \
    "{\"name\":\"acc\",\"future\":{\"while\":{\"accept\":\"l\"},\"do\":{\"spawn\":{\"name\":\"h\","    \
    "\"future\":{\"while\":{\"read\":\"l\"},\"do\":{\"compute_ms\":0}}}}}}]}"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the draws decided, as text: every task's name (so the w#k, the j#i
 * each set spawned and the h#i), sorted, with the value of acc (the
 * connections) and of each h (its connection's requests). */
static void outline(const sim *s, char *out, size_t cap)
{
    const fs_exec_stats *x = st(s);
    size_t n = (size_t)x->tasks_total, len = 0;
    char **lines = calloc(n, sizeof *lines);
    assert_non_null(lines);
    for (size_t i = 0; i < n; i++) {
        const fs_task_info *t = task(s, (uint32_t)i);
        char buf[160];
        long long v = (strncmp(t->name, "h#", 2) == 0 || strcmp(t->name, "acc") == 0) ? (long long)t->value : -1;
        snprintf(buf, sizeof buf, "%s:%lld", t->name, v);
        lines[i] = strdup(buf);
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%s ", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

/* wake, wake with a LIFO queue and steal:2 make the same tasks, and the
 * handlers read the same requests, for each seed. */
static void test_same_counts_everywhere(void **state)
{
    (void)state;
    char ref[8192], got[8192];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        sim s;
        simulate(&s, WIDE, FS_EXEC_WAKE, false, seed);
        assert_false(st(&s)->stalled);
        outline(&s, ref, sizeof ref);
        int64_t total = st(&s)->tasks_total;
        fs_test_sim_free(&s);
        simulate(&s, WIDE, FS_EXEC_WAKE, true, seed);
        outline(&s, got, sizeof got);
        assert_string_equal(got, ref);
        assert_int_equal(st(&s)->tasks_total, total);
        fs_test_sim_free(&s);
        simulate(&s, WIDE, FS_EXEC_STEAL, false, seed);
        outline(&s, got, sizeof got);
        assert_string_equal(got, ref);
        fs_test_sim_free(&s);
    }
}

/* Each w#k polls its repeat's yields the same number of times under wake
 * and steal:2 (a yield is one poll at state "await 1/2: yield"): the
 * repeat drew the same count. */
static int64_t yield_polls(const sim *s, uint32_t id)
{
    char pat[64];
    int64_t n = 0;
    snprintf(pat, sizeof pat, "\"type\":\"poll\",\"task\":%u,", id);
    for (const char *p = s->trace; (p = strstr(p, pat)); p++) {
        const char *end = strchr(p, '\n');
        const char *y = strstr(p, ": yield\"");
        if (y && y < end)
            n++;
    }
    return n;
}

static void test_same_yields_everywhere(void **state)
{
    (void)state;
    int64_t yields = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        sim a, b;
        simulate(&a, WIDE, FS_EXEC_WAKE, false, seed);
        simulate(&b, WIDE, FS_EXEC_STEAL, false, seed);
        for (uint32_t id = 0; id < (uint32_t)st(&a)->tasks_total; id++) {
            if (strncmp(task(&a, id)->name, "w#", 2) != 0 || strchr(task(&a, id)->name, '/'))
                continue; /* the entries' tasks, not their spawns */
            /* same task at the same id: the entries spawn in order */
            assert_string_equal(task(&b, id)->name, task(&a, id)->name);
            assert_int_equal(yield_polls(&b, id), yield_polls(&a, id));
            yields += yield_polls(&a, id);
        }
        fs_test_sim_free(&a);
        fs_test_sim_free(&b);
    }
    assert_true(yields > 20); /* the pattern finds them */
}

static void test_seeds_differ(void **state)
{
    (void)state;
    char first[8192], other[8192];
    int differ = 0;
    sim s;
    simulate(&s, WIDE, FS_EXEC_WAKE, false, 1);
    outline(&s, first, sizeof first);
    fs_test_sim_free(&s);
    for (uint64_t seed = 2; seed <= 6; seed++) {
        simulate(&s, WIDE, FS_EXEC_WAKE, false, seed);
        outline(&s, other, sizeof other);
        differ += strcmp(first, other) != 0;
        fs_test_sim_free(&s);
    }
    assert_int_equal(differ, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeat_and_task_count),
        cmocka_unit_test(test_count_one_and_repeat_zero),
        cmocka_unit_test(test_join_set_count_and_take),
        cmocka_unit_test(test_random_sizes_and_attempts),
        cmocka_unit_test(test_drawn_attempts_everywhere),
        cmocka_unit_test(test_stall_names_drawn_capacity),
        cmocka_unit_test(test_runtime_counts),
        cmocka_unit_test(test_drawn_spurious_everywhere),
        cmocka_unit_test(test_listener_until_and_buffer),
        cmocka_unit_test(test_take_clamped_to_count),
        cmocka_unit_test(test_listener_counts),
        cmocka_unit_test(test_same_counts_everywhere),
        cmocka_unit_test(test_same_yields_everywhere),
        cmocka_unit_test(test_seeds_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
