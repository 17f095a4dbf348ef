/* test_trace_line.c - the fast line decoder reads every trace exactly as
 * the careful (cJSON) decoder does: each shipped scenario under each
 * executor is read both ways and the models compared field by field; and
 * the lines it must leave to the careful decoder are left to it. A trace
 * fed in pieces as it is written (fs_trace_feed, the viewer's simulated
 * runs) reads into the same model, and a bad line into the same error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "support.h"
#include "trace_reader.h"
#include "trace_rec.h"

static fs_trace *read_both(const char *text, size_t len, bool fast)
{
    fs__trace_fast_lines = fast;
    fs_trace *tr = NULL;
    fs_error err = {0};
    assert_int_equal(fs_trace_read_text(text, len, "t.jsonl", &tr, &err), FS_ERR_OK);
    fs__trace_fast_lines = true;
    return tr;
}

/* text fed in pieces of 1, 2, ... 600 bytes, round again */
static fs_trace *read_fed(const char *text, size_t len, fs_error *err)
{
    fs_trace_feed *f = fs_trace_feed_new("t.jsonl");
    assert_non_null(f);
    for (size_t at = 0, k = 1; at < len; at += k, k = k % 600 + 1)
        if (!fs_trace_feed_write(f, text + at, at + k <= len ? k : len - at))
            break;
    fs_trace *tr = NULL;
    fs_trace_feed_end(f, &tr, err);
    return tr;
}

static void same_model(const fs_trace *a, const fs_trace *b)
{
    assert_int_equal(a->n_tasks, b->n_tasks);
    for (size_t i = 0; i < a->n_tasks; i++) {
        const fs_trace_task *x = &a->tasks[i], *y = &b->tasks[i];
        assert_string_equal(fs_trace_str(a, x->name), fs_trace_str(b, y->name));
        assert_int_equal(x->parent, y->parent);
        assert_int_equal(x->complete_t, y->complete_t);
        assert_int_equal(x->n_slices, y->n_slices);
        for (size_t k = 0; k < x->n_slices; k++) {
            const fs_trace_slice *s = &x->slices[k], *z = &y->slices[k];
            assert_int_equal(s->t, z->t);
            assert_int_equal(s->end, z->end);
            assert_int_equal(s->count, z->count);
            assert_int_equal(s->value, z->value);
            assert_int_equal(s->kind, z->kind);
            assert_int_equal(s->worker, z->worker);
            assert_string_equal(fs_trace_str(a, s->state), fs_trace_str(b, z->state));
        }
        assert_int_equal(x->n_regs, y->n_regs);
        assert_int_equal(x->n_budgets, y->n_budgets);
        for (size_t k = 0; k < x->n_budgets; k++) {
            assert_int_equal(x->budgets[k].t, y->budgets[k].t);
            assert_int_equal(x->budgets[k].worker, y->budgets[k].worker);
        }
    }
    for (int w = 0; w < a->workers; w++) {
        const fs_trace_worker *x = &a->workers_v[w], *y = &b->workers_v[w];
        assert_int_equal(x->n_drivers, y->n_drivers);
        for (size_t k = 0; k < x->n_drivers; k++) {
            assert_int_equal(x->drivers[k].t, y->drivers[k].t);
            assert_int_equal(x->drivers[k].fired, y->drivers[k].fired);
        }
        assert_int_equal(x->n_queue, y->n_queue);
        for (size_t k = 0; k < x->n_queue; k++) {
            assert_int_equal(x->queue[k].t, y->queue[k].t);
            assert_int_equal(x->queue[k].depth, y->queue[k].depth);
        }
    }
    assert_int_equal(a->n_wakes, b->n_wakes);
    for (size_t i = 0; i < a->n_wakes; i++) {
        assert_int_equal(a->wakes[i].t, b->wakes[i].t);
        assert_int_equal(a->wakes[i].task, b->wakes[i].task);
        assert_int_equal(a->wakes[i].caused, b->wakes[i].caused);
        assert_int_equal(a->wakes[i].stale, b->wakes[i].stale);
        assert_string_equal(fs_trace_str(a, a->wakes[i].source), fs_trace_str(b, b->wakes[i].source));
    }
    assert_int_equal(a->n_resources, b->n_resources);
    for (size_t i = 0; i < a->n_resources; i++) {
        const fs_trace_resource *x = &a->resources[i], *y = &b->resources[i];
        assert_string_equal(fs_trace_str(a, x->name), fs_trace_str(b, y->name));
        assert_int_equal(x->n_io, y->n_io);
        for (size_t k = 0; k < x->n_io; k++) {
            assert_int_equal(x->io[k].has_value, y->io[k].has_value);
            assert_int_equal(x->io[k].value, y->io[k].value);
            assert_string_equal(fs_trace_str(a, x->io[k].what), fs_trace_str(b, y->io[k].what));
        }
    }
    const fs_trace_summary *p = &a->summary, *q = &b->summary;
    assert_int_equal(p->end_ns, q->end_ns);
    assert_int_equal(p->tasks_total, q->tasks_total);
    assert_int_equal(p->completed, q->completed);
    assert_int_equal(p->polls, q->polls);
    assert_int_equal(p->wasted_polls, q->wasted_polls);
    assert_int_equal(p->wakes, q->wakes);
    assert_int_equal(p->busy_ns, q->busy_ns);
    assert_int_equal(p->idle_ns, q->idle_ns);
    assert_int_equal(p->max_wake_latency_ns, q->max_wake_latency_ns);
    assert_int_equal(p->stalled, q->stalled);
    assert_int_equal(p->limit_hit, q->limit_hit);
    assert_true(p->cpu_busy == q->cpu_busy);
    for (size_t i = 0; i < a->n_tasks; i++) {
        assert_int_equal(a->tasks[i].waker_clones, b->tasks[i].waker_clones);
        assert_int_equal(a->tasks[i].waker_drops, b->tasks[i].waker_drops);
    }
    assert_int_equal(a->n_times, b->n_times);
}

static void test_fast_equals_careful(void **state)
{
    (void)state;
    glob_t g;
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/scenarios/*/*.json", FS_SOURCE_DIR);
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    fs_exec_kind kinds[] = {FS_EXEC_BUSY, FS_EXEC_WAKE, FS_EXEC_STEAL};
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fs_scenario *sc;
        fs_error err = {0};
        assert_int_equal(fs_scenario_load_file(g.gl_pathv[i], &sc, &err), FS_ERR_OK);
        for (int k = 0; k < 3; k++) {
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            fs_run *r;
            fs_run_desc d = {.scenario = sc, .kind = kinds[k], .workers = 2, .trace = f};
            assert_int_equal(fs_run_simulate(&d, &r, &err), FS_ERR_OK);
            fclose(f);
            fs_trace *a = read_both(text, len, true), *b = read_both(text, len, false);
            same_model(a, b);
            fs_error fe = {0};
            fs_trace *c = read_fed(text, len, &fe);
            assert_non_null(c);
            same_model(a, c);
            assert_int_equal(a->lines, c->lines);
            fs_trace_free(a);
            fs_trace_free(b);
            fs_trace_free(c);
            fs_run_free(r);
            free(text);
        }
        fs_scenario_free(sc);
    }
    globfree(&g);
}

/* Lines the writer does not write but a reader may meet: both decoders
 * read each into the same model (a null value is no value; a key of
 * another type, such as a spawn's "source", is ignored). */
static void test_both_decoders_agree(void **state)
{
    (void)state;
    const char *lines[] = {
        "{\"t\":1,\"type\":\"io\",\"resource\":\"a\",\"what\":\"arrival\",\"value\":null}",
        "{\"t\":1,\"type\":\"io\",\"resource\":\"a\",\"value\":-5}",
        "{\"t\":1,\"type\":\"io\",\"source\":\"b\",\"resource\":\"a\",\"name\":\"c\"}",
        "{\"t\":1,\"type\":\"spawn\",\"task\":1,\"source\":\"timer\"}",
        "{\"t\":1,\"type\":\"spawn\",\"task\":1,\"name\":\"n\",\"source\":\"timer\",\"resource\":\"r\"}",
        "{\"t\":1,\"type\":\"spawn\",\"task\":1,\"resource\":\"r\",\"parent\":0}",
        "{\"t\":1,\"type\":\"wake\",\"task\":0,\"source\":\"timer\",\"name\":\"n\"}",
        "{\"t\":1,\"type\":\"register\",\"task\":0,\"name\":\"n\",\"resource\":\"a\",\"source\":\"s\"}",
        "{\"t\":1,\"type\":\"poll\",\"task\":0,\"dur\":5,\"result\":\"ready\",\"value\":null,\"name\":\"n\"}",
        "{\"t\":1,\"type\":\"complete\",\"task\":0,\"value\":null}",
        /* a spin's polls are pending: no value (the fast decoder took 7; fuzz_decoders) */
        "{\"t\":1,\"type\":\"spin\",\"task\":0,\"count\":2,\"end\":5,\"dur\":1,\"value\":7}",
        /* steal:N's lines in another order, with keys of the other types */
        "{\"worker\":0,\"t\":1,\"fired\":6,\"type\":\"driver\",\"depth\":2}",
        "{\"t\":1,\"type\":\"queue\",\"fired\":3,\"worker\":0,\"depth\":4}",
        "{\"t\":1,\"worker\":0,\"type\":\"budget\",\"task\":0,\"depth\":1}",
    };
    const char *hdr = "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1}\n"
                      "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"x\",\"parent\":null}\n";
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char text[1024];
        int len = snprintf(text, sizeof text, "%s%s\n{\"type\":\"summary\",\"end_ns\":9}\n", hdr, lines[i]);
        fs_trace *a = read_both(text, (size_t)len, true), *b = read_both(text, (size_t)len, false);
        same_model(a, b);
        fs_trace_free(a);
        fs_trace_free(b);
    }
}

/* steal:N's lines as the writer spells them, each read exactly by both. */
static void test_steal_lines_exact(void **state)
{
    (void)state;
    char scratch[128];
    static const struct {
        const char *line;
        int type;
        int64_t t, task, worker, n;
    } cases[] = {
        {"{\"t\":200002000,\"type\":\"driver\",\"worker\":3,\"fired\":6}", FS__R_DRIVER, 200002000, 0, 3, 6},
        {"{\"t\":7,\"type\":\"queue\",\"worker\":1,\"depth\":0}", FS__R_QUEUE, 7, 0, 1, 0},
        {"{\"t\":7,\"type\":\"queue\",\"worker\":0,\"depth\":255}", FS__R_QUEUE, 7, 0, 0, 255},
        {"{\"t\":2000,\"type\":\"budget\",\"task\":12,\"worker\":2}", FS__R_BUDGET, 2000, 12, 2, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fs__rec rec;
        assert_true(fs__trace_line_fast(cases[i].line, strlen(cases[i].line), &rec, scratch));
        assert_int_equal(rec.type, cases[i].type);
        assert_int_equal(rec.t, cases[i].t);
        assert_int_equal(rec.worker, cases[i].worker);
        assert_int_equal(rec.n, cases[i].n);
        if (rec.type == FS__R_BUDGET)
            assert_int_equal(rec.task, cases[i].task);
    }
    /* what the careful decoder refuses, the fast one leaves to it */
    const char *bad[] = {
        "{\"t\":1,\"type\":\"driver\",\"worker\":0}",              /* no fired */
        "{\"t\":1,\"type\":\"driver\",\"worker\":0,\"fired\":-1}", /* negative */
        "{\"t\":1,\"type\":\"queue\",\"depth\":2}",                 /* no worker */
        "{\"t\":1,\"type\":\"queue\",\"worker\":0,\"depth\":null}", /* null */
        "{\"t\":1,\"type\":\"budget\",\"task\":0}",                 /* no worker */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fs__rec rec;
        if (fs__trace_line_fast(bad[i], strlen(bad[i]), &rec, scratch))
            fail_msg("accepted: %s", bad[i]);
    }
}

static void test_unusual_lines_are_left_alone(void **state)
{
    (void)state;
    char scratch[512];
    fs__rec rec;
    const char *mine[] = {
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read a\"}",
        "{\"t\":5,\"type\":\"wake\",\"task\":1,\"source\":\"task:3\",\"stale\":true}",
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"x\",\"parent\":null}",
    };
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        assert_true(fs__trace_line_fast(mine[i], strlen(mine[i]), &rec, scratch));
    assert_true(rec.parent == -1);
    const char *theirs[] = {
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"dur\":1000,\"result\":\"maybe\"}",    /* bad result */
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"dur\":1.5,\"result\":\"pending\"}",   /* fraction */
        "{\"t\":-1,\"type\":\"complete\",\"task\":0}",                                  /* negative */
        "{\"t\":0,\"type\":\"complete\",\"task\":0,\"task\":1}",                        /* repeated key */
        "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":null}",                 /* null required */
        "{\"t\":0,\"type\":\"io\",\"resource\":\"a\\\"b\"}",                           /* escape */
        "{\"t\":0,\"type\":\"wake\",\"task\":0}",                                       /* missing source */
        "{\"t\":0,\"type\":\"stall\",\"tasks\":[]}",                                    /* nested */
        "{\"t\":0,\"type\":\"complete\",\"task\":0} x",                                 /* trailing text */
        "{\"t\":01,\"type\":\"complete\",\"task\":0}",                                  /* leading zero */
        "{\"t\":12345678901234567890,\"type\":\"complete\",\"task\":0}",                /* too big */
        "{\"t\":0,\"type\":\"spin\",\"task\":0,\"count\":5,\"end\":10,\"dur\":1000}",  /* does not fit */
        /* t + dur past 2^62, in the writer's layout and another (signed overflow
         * in the fast decoder at 2^62 + 2^62; fuzz_decoders) */
        "{\"t\":4611686018427387904,\"type\":\"poll\",\"task\":0,\"worker\":0,"
        "\"dur\":4611686018427387904,\"result\":\"pending\",\"state\":\"x\"}",
        "{\"t\":4611686018427387904,\"type\":\"poll\",\"task\":0,\"worker\":0,"
        "\"dur\":1,\"result\":\"pending\",\"state\":\"x\"}",
        "{\"type\":\"poll\",\"t\":4611686018427387903,\"task\":0,\"dur\":2,\"result\":\"ready\"}",
    };
    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
        if (fs__trace_line_fast(theirs[i], strlen(theirs[i]), &rec, scratch))
            fail_msg("accepted: %s", theirs[i]);
}

/* Integers in the writer's layout, eight digits at a time where the line
 * has room: the same numbers the digit-by-digit reading takes, and the
 * same ones left to the careful decoder. */
static void test_integers_in_the_writers_layout(void **state)
{
    (void)state;
    static const struct {
        const char *t;
        bool ok;
        int64_t v;
    } cases[] = {
        {"0", true, 0},
        {"7", true, 7},
        {"12345678", true, 12345678},
        {"123456789", true, 123456789},
        {"300400000000", true, 300400000000},
        {"999999999999999", true, 999999999999999},
        {"1000000000000000", true, 1000000000000000},      /* 16 digits: one by one */
        {"4611686018427385904", true, INT64_C(4611686018427385904)},  /* 2^62 - 2000 */
        {"4611686018427387905", false, 0},                  /* past it */
        {"01", false, 0},
        {"00000000000", false, 0},
        {"-0", true, 0},
        {"-5", false, 0},
        {"5.0", false, 0},
        {"12345678e1", false, 0},
        {"1234567812345678E1", false, 0},
        {"", false, 0},
    };
    char scratch[256], line[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* as t, and as dur (further along, with 26 bytes after it) */
        for (int at = 0; at < 2; at++) {
            snprintf(line, sizeof line,
                     "{\"t\":%s,\"type\":\"poll\",\"task\":3,\"worker\":1,\"dur\":%s,\"result\":\"pending\","
                     "\"state\":\"x\"}", at ? "5" : cases[i].t, at ? cases[i].t : "1000");
            fs__rec rec;
            bool ok = fs__trace_line_fast(line, strlen(line), &rec, scratch);
            if (ok != cases[i].ok)
                fail_msg("%s: %s", ok ? "accepted" : "refused", line);
            if (ok) {
                assert_int_equal(at ? rec.dur : rec.t, cases[i].v);
                assert_int_equal(rec.task, 3);
                assert_int_equal(rec.worker, 1);
            }
        }
    }
}

/* The fast reader takes a summary's task records as it checks them; a
 * summary it leaves to the careful decoder after them (an escape in a later
 * string) still gives every task the careful decoder's waker figures. */
static void test_summary_left_after_its_tasks(void **state)
{
    (void)state;
    const char *text =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"x\",\"parent\":null}\n"
        "{\"t\":0,\"type\":\"spawn\",\"task\":1,\"name\":\"y\",\"parent\":null}\n"
        "{\"type\":\"summary\",\"end_ns\":9,\"tasks\":[{\"id\":0,\"waker_clones\":3,\"waker_drops\":2},"
        "{\"id\":1,\"waker_clones\":5}],\"tasks\":[{\"id\":0,\"waker_clones\":7}],\"note\":\"a\\nb\"}\n";
    fs_trace *a = read_both(text, strlen(text), true), *b = read_both(text, strlen(text), false);
    same_model(a, b);
    /* the first "tasks" counts, as cJSON reads a repeated key */
    assert_int_equal(a->tasks[0].waker_clones, 3);
    assert_int_equal(a->tasks[0].waker_drops, 2);
    assert_int_equal(a->tasks[1].waker_clones, 5);
    assert_int_equal(a->tasks[1].waker_drops, -1);
    fs_trace_free(a);
    fs_trace_free(b);
    /* and without the escape, read by the fast reader alone: the same */
    const char *plain = strstr(text, ",\"note\"");
    char copy[1024];
    int len = snprintf(copy, sizeof copy, "%.*s}\n", (int)(plain - text), text);
    a = read_both(copy, (size_t)len, true);
    b = read_both(copy, (size_t)len, false);
    same_model(a, b);
    assert_int_equal(a->tasks[1].waker_clones, 5);
    fs_trace_free(a);
    fs_trace_free(b);
}

/* A feed refuses what a read refuses, with the same message and line: a
 * bad line, and a trace cut short (no summary, a last line unfinished). */
static void test_feed_fails_as_a_read_does(void **state)
{
    (void)state;
    const char *texts[] = {
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\","
        "\"workers\":1,\"time_unit\":\"ns\"}\n{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\"}\nnot json\n",
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\","
        "\"workers\":1,\"time_unit\":\"ns\"}\n{\"t\":0,\"type\":\"spawn\",\"task\":0,\"name\":\"a\"}\n",
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":1,\"executor\":\"wake\","
        "\"workers\":1,\"time_unit\":\"ns\"}\n{\"t\":0,\"type\":\"spawn\",\"ta",
        "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t len = strlen(texts[i]);
        fs_error e1 = {0}, e2 = {0};
        fs_trace *a = NULL;
        fs_errcode rc = len ? fs_trace_read_text(texts[i], len, "t.jsonl", &a, &e1) : FS_ERR_INPUT;
        if (!len)
            fs_error_set(&e1, FS_ERR_INPUT, "empty file: not a futurescope trace");
        fs_trace *b = read_fed(texts[i], len, &e2);
        assert_int_not_equal(rc, FS_ERR_OK);
        assert_null(a);
        assert_null(b);
        assert_int_equal(e2.code, rc);
        assert_int_equal(e2.line, e1.line);
        assert_string_equal(e2.msg, e1.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_equals_careful),
        cmocka_unit_test(test_summary_left_after_its_tasks),
        cmocka_unit_test(test_integers_in_the_writers_layout),
        cmocka_unit_test(test_feed_fails_as_a_read_does),
        cmocka_unit_test(test_both_decoders_agree),
        cmocka_unit_test(test_unusual_lines_are_left_alone),
        cmocka_unit_test(test_steal_lines_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
