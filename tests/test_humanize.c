/* test_humanize.c - times, counts, duration options and stall sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "humanize.h"
#include "stall_reason.h"

static void test_format_ns(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(fs_format_ns(0, b, sizeof b), "0 ns");
    assert_string_equal(fs_format_ns(999, b, sizeof b), "999 ns");
    assert_string_equal(fs_format_ns(1000, b, sizeof b), "1.000 us");
    assert_string_equal(fs_format_ns(25001000, b, sizeof b), "25.001 ms");
    assert_string_equal(fs_format_ns(2000002000, b, sizeof b), "2.000 s");
    assert_string_equal(fs_format_ns(3600LL * 1000000000, b, sizeof b), "60.0 min");
}

static void test_format_count(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(fs_format_count(0, b, sizeof b), "0");
    assert_string_equal(fs_format_count(999, b, sizeof b), "999");
    assert_string_equal(fs_format_count(2000002, b, sizeof b), "2,000,002");
    assert_string_equal(fs_format_count(-1234, b, sizeof b), "-1,234");
}

static void test_format_percent(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(fs_format_percent(1.0, b, sizeof b), "100.0%");
    assert_string_equal(fs_format_percent(0.125, b, sizeof b), "12.5%");
    assert_string_equal(fs_format_percent(0.0, b, sizeof b), "0.0%");
    assert_string_equal(fs_format_percent(0.000002, b, sizeof b), "0.0002%");
    /* small shares in plain decimals, two significant digits */
    assert_string_equal(fs_format_percent(0.00000075, b, sizeof b), "0.000075%");
    assert_string_equal(fs_format_percent(0.00064, b, sizeof b), "0.064%");
    assert_string_equal(fs_format_percent(0.000999, b, sizeof b), "0.1%");
    assert_string_equal(fs_format_percent(1e-13, b, sizeof b), "< 0.000000001%");
}

static void test_parse_duration(void **state)
{
    (void)state;
    int64_t ns;
    assert_true(fs_parse_duration("10s", &ns));
    assert_int_equal(ns, 10000000000LL);
    assert_true(fs_parse_duration("1.5s", &ns));
    assert_int_equal(ns, 1500000000LL);
    assert_true(fs_parse_duration("500ms", &ns));
    assert_int_equal(ns, 500000000LL);
    assert_true(fs_parse_duration("20us", &ns));
    assert_int_equal(ns, 20000);
    assert_true(fs_parse_duration("1h", &ns));
    assert_int_equal(ns, 3600000000000LL);
    assert_true(fs_parse_duration("3", &ns));
    assert_int_equal(ns, 3000000000LL);
    assert_false(fs_parse_duration("", &ns));
    assert_false(fs_parse_duration("-1s", &ns));
    assert_false(fs_parse_duration("10 parsecs", &ns));
    assert_false(fs_parse_duration("nan", &ns));
    assert_false(fs_parse_duration("1e30h", &ns));
}

static void test_stall_reasons(void **state)
{
    (void)state;
    char b[512];
    fs_stall_info lost = {.name = "t", .state = "read a"};
    assert_string_equal(fs_stall_reason(NULL, &lost, b, sizeof b),
                        "pending on read a, no waker registered anywhere (lost waker)");
    fs_stall_info held = {.name = "t", .state = "recv ch", .step = 2, .steps = 3,
                          .waker_at = "ch", .waker_refs = 1};
    assert_string_equal(fs_stall_reason(NULL, &held, b, sizeof b),
                        "pending on recv ch (await 2/3); its waker is registered with ch, "
                        "but nothing more is scheduled to happen there");
    /* with the scenario, the resource's kind gives the reason */
    fs_resource_spec res = {.name = "ch", .kind = FS_RES_CHANNEL, .capacity = 1};
    fs_scenario sc = {.resources = &res, .n_resources = 1};
    assert_string_equal(fs_stall_reason(&sc, &held, b, sizeof b),
                        "pending on recv ch (await 2/3); channel ch is empty, and every task "
                        "that holds a sender of it is stuck too");
    held.state = "send ch";
    assert_string_equal(fs_stall_reason(&sc, &held, b, sizeof b),
                        "pending on send ch (await 2/3); channel ch is full (capacity 1), and "
                        "every task that holds its receiver is stuck too");
    fs_stall_info never = {.name = "t", .never_polled = true};
    assert_string_equal(fs_stall_reason(NULL, &never, b, sizeof b),
                        "never polled: the executor did not get to it");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_ns),
        cmocka_unit_test(test_format_count),
        cmocka_unit_test(test_format_percent),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_stall_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
