/* test_rwlock.c - tokio's RwLock: read guards share, the queue is served in
 * order so a waiting writer holds back later readers (write-preferring),
 * max_readers caps the readers, and a stall names holders, waiters and a
 * deadlock's cycle. Times worked out by hand; the scenarios use whole-ms
 * sleeps and a poll cost of 0, so steal:2's 1 ms timer tick changes
 * nothing and both executors give the same times. */
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

typedef fs_test_sim sim;

static void simulate(sim *s, const char *json, fs_exec_kind kind)
{
    fs_test_simulate(s, json, (fs_run_desc){.kind = kind, .workers = kind == FS_EXEC_STEAL ? 2 : 0});
}

static const fs_exec_stats *st(const sim *s) { return fs_exec_get_stats(s->run->exec); }
static const fs_task_info *task(const sim *s, uint32_t id) { return fs_exec_get_task(s->run->exec, id); }

static void expect_task(const sim *s, uint32_t id, int64_t completed_ns, int64_t polls)
{
    assert_int_equal(task(s, id)->completed_ns, completed_ns);
    assert_int_equal(task(s, id)->polls, polls);
}

static const fs_exec_kind KINDS[] = {FS_EXEC_WAKE, FS_EXEC_STEAL};

/* r1 reads (10 ms) from 0; w asks to write at 1 ms, r2 to read at 2 ms, r3
 * reads (3 ms) from 0. w takes the permits free at 1 ms and waits for the
 * two readers' (r3 gives its back at 3 ms, r1 at 10 ms); r2 queues behind
 * w though the lock is only read-held: it reads only after w's 5 ms
 * write, 15..16 ms. Polls: r1 0, 10; w 0, 1, 10, 15; r2 0, 2, 15, 16;
 * r3 0, 3. */
static const char *prefer_writer =
    "{\"poll_cost_ns\":0,\"resources\":{\"rw\":{\"type\":\"rwlock\"}},\"tasks\":["
    "{\"name\":\"r1\",\"future\":{\"read_lock\":\"rw\",\"do\":{\"sleep_ms\":10}}},"
    "{\"name\":\"w\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"write_lock\":\"rw\",\"do\":{\"sleep_ms\":5}}]}},"
    "{\"name\":\"r2\",\"future\":{\"seq\":[{\"sleep_ms\":2},{\"read_lock\":\"rw\",\"do\":{\"sleep_ms\":1}}]}},"
    "{\"name\":\"r3\",\"future\":{\"read_lock\":\"rw\",\"do\":{\"sleep_ms\":3}}}]}";

static void test_readers_share_writer_first(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, prefer_writer, KINDS[k]);
        expect_task(&s, 0, 10 * MS, 2);
        expect_task(&s, 1, 15 * MS, 4);
        expect_task(&s, 2, 16 * MS, 4);
        expect_task(&s, 3, 3 * MS, 2);
        assert_int_equal(st(&s)->end_ns, 16 * MS);
        /* the io lines of the lock's lane, in order */
        const char *at = s.trace;
        static const char *const lines[] = {
            "{\"t\":0,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read locked\",\"value\":0}",
            "{\"t\":0,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read locked\",\"value\":3}",
            "{\"t\":3000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read unlocked\",\"value\":3}",
            "{\"t\":10000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read unlocked\",\"value\":0}",
            "{\"t\":10000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"write locked\",\"value\":1}",
            "{\"t\":15000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"write unlocked\",\"value\":1}",
            "{\"t\":15000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read locked\",\"value\":2}",
            "{\"t\":16000000,\"type\":\"io\",\"resource\":\"rw\",\"what\":\"read unlocked\",\"value\":2}",
        };
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
            const char *hit = strstr(at, lines[i]);
            if (!hit)
                fail_msg("executor %d: no line %s after the ones before", k, lines[i]);
            at = hit + strlen(lines[i]);
        }
        fs_test_sim_free(&s);
    }
}

/* max_readers 2: a and b read (10 ms each) from 0, c waits for a permit
 * until a gives its back at 10 ms and reads 10..20 ms. A write takes both
 * permits: w (at 1 ms) waits behind c for a's and b's, writes at 20..21
 * once c is done. */
static const char *two_readers =
    "{\"poll_cost_ns\":0,\"resources\":{\"rw\":{\"type\":\"rwlock\",\"max_readers\":2}},\"tasks\":["
    "{\"name\":\"r\",\"count\":3,\"future\":{\"read_lock\":\"rw\",\"do\":{\"sleep_ms\":10}}},"
    "{\"name\":\"w\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"write_lock\":\"rw\",\"do\":{\"sleep_ms\":1}}]}}]}";

static void test_max_readers(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, two_readers, KINDS[k]);
        expect_task(&s, 0, 10 * MS, 2);
        expect_task(&s, 1, 10 * MS, 2);
        expect_task(&s, 2, 20 * MS, 3);
        expect_task(&s, 3, 21 * MS, 4);
        fs_test_sim_free(&s);
    }
}

/* Deadlocks an RwLock allows: upgrading a read guard (a holds a read and
 * asks to write: the write waits for a's read), and reading twice in one
 * task while a writer waits (b's second read queues behind w's write, which
 * waits for b's first read). Both stall at once (exit 3) naming the cycle. */
static const char *upgrade =
    "{\"poll_cost_ns\":0,\"resources\":{\"rw\":{\"type\":\"rwlock\"},\"rw2\":{\"type\":\"rwlock\"}},\"tasks\":["
    "{\"name\":\"a\",\"future\":{\"read_lock\":\"rw\",\"do\":{\"write_lock\":\"rw\",\"do\":{\"yield\":true}}}},"
    "{\"name\":\"b\",\"future\":{\"read_lock\":\"rw2\",\"do\":{\"seq\":[{\"sleep_ms\":2},"
    "{\"read_lock\":\"rw2\",\"do\":{\"yield\":true}}]}}},"
    "{\"name\":\"w\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"write_lock\":\"rw2\",\"do\":{\"yield\":true}}]}}]}";

static void test_deadlocks_named(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        sim s;
        simulate(&s, upgrade, KINDS[k]);
        assert_true(st(&s)->stalled);
        assert_int_equal(fs_run_exit_status(s.run), 3);
        assert_int_equal(st(&s)->end_ns, 2 * MS);
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on write_lock rw; deadlock: a waits to write rw, "
                                        "held by a (read)\""));
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on read_lock rw2 (await 2/2); deadlock: b waits to "
                                        "read rw2, queued behind w (write); w waits to write rw2, held by "
                                        "b (read)\""));
        assert_non_null(strstr(s.trace, "\"reason\":\"pending on write_lock rw2 (await 2/2); deadlock: w waits to "
                                        "write rw2, held by b (read); b waits to read rw2, queued behind "
                                        "w (write)\""));
        fs_test_sim_free(&s);
    }
}

/* Without a cycle the reason names the holders and who is queued ahead:
 * h reads for ever (a read that never comes), w waits to write, r to
 * read behind it. */
static void test_stall_names_holders(void **state)
{
    (void)state;
    sim s;
    simulate(&s,
             "{\"poll_cost_ns\":0,\"resources\":{\"rw\":{\"type\":\"rwlock\"},\"sock\":{\"type\":\"socket\","
             "\"arrivals\":[]}},\"tasks\":["
             "{\"name\":\"h\",\"future\":{\"read_lock\":\"rw\",\"do\":{\"read\":\"sock\"}}},"
             "{\"name\":\"w\",\"future\":{\"seq\":[{\"sleep_ms\":1},{\"write_lock\":\"rw\",\"do\":{\"yield\":true}}]}},"
             "{\"name\":\"r\",\"future\":{\"seq\":[{\"sleep_ms\":2},{\"read_lock\":\"rw\",\"do\":{\"yield\":true}}]}}]}",
             FS_EXEC_WAKE);
    assert_true(st(&s)->stalled);
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on write_lock rw (await 2/2); rwlock rw is held by "
                                    "h (read), and none of them can finish\""));
    assert_non_null(strstr(s.trace, "\"reason\":\"pending on read_lock rw (await 2/2); rwlock rw is held by "
                                    "h (read); w (write) is queued ahead of this read (a waiting writer holds "
                                    "back later readers), and none of them can finish\""));
    fs_test_sim_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_share_writer_first),
        cmocka_unit_test(test_max_readers),
        cmocka_unit_test(test_deadlocks_named),
        cmocka_unit_test(test_stall_names_holders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
