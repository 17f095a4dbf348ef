/* test_trace_writer.c - the JSONL writer: exact lines, spin folding, and
 * that folding depends only on the events (bulk skips write the same bytes
 * as polls reported one by one). Expected lines written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_writer.h"

typedef struct out {
    char *buf;
    size_t len;
    FILE *f;
    fs_trace_writer *tw;
    fs_observer obs;
} out;

static void out_open(out *o)
{
    memset(o, 0, sizeof *o);
    o->f = open_memstream(&o->buf, &o->len);
    fs_trace_header h = {.scenario = "t", .executor = "busy", .workers = 1, .seed = 3,
                         .poll_cost_ns = 1000};
    o->tw = fs_trace_writer_create(o->f, &h);
    o->obs = fs_trace_writer_observer(o->tw);
}

/* Finishes with an empty executor's summary; returns the event lines only. */
static char *out_close(out *o)
{
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){.kind = FS_EXEC_BUSY});
    assert_true(fs_trace_writer_finish(o->tw, ex));
    fs_exec_free(ex);
    fs_trace_writer_free(o->tw);
    fclose(o->f);
    char *first_nl = strchr(o->buf, '\n');
    char *summary = strstr(o->buf, "{\"type\":\"summary\"");
    assert_non_null(first_nl);
    assert_non_null(summary);
    *summary = '\0';
    char *lines = strdup(first_nl + 1);
    free(o->buf);
    return lines;
}

static void ev(out *o, fs_event e)
{
    o->obs.on_event(o->obs.ctx, &e);
}

static fs_event poll_ev(int64_t t, uint32_t task, bool spinnable)
{
    return (fs_event){.type = FS_EV_POLL, .t = t, .task = task, .dur = 1000,
                      .state = "read a", .spinnable = spinnable};
}

static void test_header_line(void **state)
{
    (void)state;
    out o;
    out_open(&o);
    fs_exec *ex = fs_exec_create(&(fs_exec_desc){.kind = FS_EXEC_BUSY});
    assert_true(fs_trace_writer_finish(o.tw, ex));
    fs_exec_free(ex);
    fs_trace_writer_free(o.tw);
    fclose(o.f);
    const char *want =
        "{\"type\":\"header\",\"format\":\"futurescope-trace\",\"version\":3,"
        "\"program\":\"futurescope " FS_VERSION "\",\"scenario\":\"t\",\"executor\":\"busy\","
        "\"workers\":1,\"seed\":3,\"poll_cost_ns\":1000,\"time_unit\":\"ns\"}\n"
        "{\"type\":\"summary\",\"executor\":\"busy\",\"workers\":1,\"end_ns\":0,";
    assert_true(strncmp(o.buf, want, strlen(want)) == 0);
    free(o.buf);
}

static void test_spin_folds_identical_polls(void **state)
{
    (void)state;
    out o;
    out_open(&o);
    ev(&o, poll_ev(0, 0, false));
    ev(&o, (fs_event){.type = FS_EV_REGISTER, .t = 0, .task = 0, .name = "a"});
    for (int i = 1; i <= 3; i++)
        ev(&o, poll_ev(i * 1000, 0, true));
    ev(&o, (fs_event){.type = FS_EV_WAKE, .t = 5000, .task = 0, .source = "socket:a",
                      .source_task = -1});
    char *lines = out_close(&o);
    assert_string_equal(lines,
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read a\"}\n"
        "{\"t\":0,\"type\":\"register\",\"task\":0,\"resource\":\"a\"}\n"
        "{\"t\":1000,\"type\":\"spin\",\"task\":0,\"worker\":0,\"count\":3,\"end\":4000,\"dur\":1000,\"state\":\"read a\"}\n"
        "{\"t\":5000,\"type\":\"wake\",\"task\":0,\"source\":\"socket:a\"}\n");
    free(lines);
}

/* Two tasks spinning in turn, a device event between: all in time order. */
static void test_interleaved_spins_keep_time_order(void **state)
{
    (void)state;
    out o;
    out_open(&o);
    for (int i = 0; i < 4; i++) {
        ev(&o, poll_ev(2 * i * 1000, 0, true));
        ev(&o, poll_ev((2 * i + 1) * 1000, 1, true));
    }
    ev(&o, (fs_event){.type = FS_EV_IO, .t = 8000, .name = "a", .what = "arrival",
                      .has_value = true, .value = 9});
    ev(&o, (fs_event){.type = FS_EV_COMPLETE, .t = 9000, .task = 0, .value = 9});
    char *lines = out_close(&o);
    assert_string_equal(lines,
        "{\"t\":0,\"type\":\"spin\",\"task\":0,\"worker\":0,\"count\":4,\"end\":7000,\"dur\":1000,\"state\":\"read a\"}\n"
        "{\"t\":1000,\"type\":\"spin\",\"task\":1,\"worker\":0,\"count\":4,\"end\":8000,\"dur\":1000,\"state\":\"read a\"}\n"
        "{\"t\":8000,\"type\":\"io\",\"resource\":\"a\",\"what\":\"arrival\",\"value\":9}\n"
        "{\"t\":9000,\"type\":\"complete\",\"task\":0,\"value\":9}\n");
    free(lines);
}

/* A lone spinnable poll stays a poll line. */
static void test_single_spin_is_a_poll(void **state)
{
    (void)state;
    out o;
    out_open(&o);
    ev(&o, poll_ev(0, 0, true));
    ev(&o, (fs_event){.type = FS_EV_WAKE, .t = 1000, .task = 0, .source_task = 3});
    char *lines = out_close(&o);
    assert_string_equal(lines,
        "{\"t\":0,\"type\":\"poll\",\"task\":0,\"worker\":0,\"dur\":1000,\"result\":\"pending\",\"state\":\"read a\"}\n"
        "{\"t\":1000,\"type\":\"wake\",\"task\":0,\"source\":\"task:3\"}\n");
    free(lines);
}

/* Skipping passes in bulk writes the same bytes as polling them. */
static void test_skip_equals_polls(void **state)
{
    (void)state;
    out a, b;
    out_open(&a);
    out_open(&b);
    for (int i = 0; i < 100; i++) {
        ev(&a, poll_ev(2 * i * 1000, 0, true));
        ev(&a, poll_ev((2 * i + 1) * 1000, 1, true));
    }
    ev(&b, poll_ev(0, 0, true));
    ev(&b, poll_ev(1000, 1, true));
    ev(&b, (fs_event){.type = FS_EV_SPIN_SKIP, .t = 2000, .task = 0, .count = 99, .end = 199000});
    ev(&b, (fs_event){.type = FS_EV_SPIN_SKIP, .t = 2000, .task = 1, .count = 99, .end = 200000});
    char *la = out_close(&a), *lb = out_close(&b);
    assert_string_equal(la, lb);
    assert_non_null(strstr(la, "\"count\":100,\"end\":199000"));
    free(la);
    free(lb);
}

/* A run open for longer than the window is cut, never reordered. */
static void test_window_cuts_long_runs(void **state)
{
    (void)state;
    out o;
    out_open(&o);
    ev(&o, poll_ev(0, 0, true));
    ev(&o, poll_ev(1, 0, true));
    for (int i = 0; i < FS_FOLD_WINDOW + 10; i++)
        ev(&o, (fs_event){.type = FS_EV_IO, .t = 10 + i, .name = "a", .what = "arrival"});
    ev(&o, poll_ev(100000, 0, true));
    char *lines = out_close(&o);
    /* the spin of 2 polls was cut when the window filled */
    assert_true(strncmp(lines, "{\"t\":0,\"type\":\"spin\",\"task\":0,\"worker\":0,\"count\":2,", 50) == 0);
    int64_t last = -1;
    for (char *p = lines; (p = strstr(p, "{\"t\":")); p++) {
        int64_t t = strtoll(p + 5, NULL, 10);
        assert_true(t >= last);
        last = t;
    }
    free(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_line),
        cmocka_unit_test(test_spin_folds_identical_polls),
        cmocka_unit_test(test_interleaved_spins_keep_time_order),
        cmocka_unit_test(test_single_spin_is_a_poll),
        cmocka_unit_test(test_skip_equals_polls),
        cmocka_unit_test(test_window_cuts_long_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
