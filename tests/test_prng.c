/* test_prng.c - random numbers: the executor's stream and the workload's
 * counter-based draws: reproducible, in range, unbiased enough. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "prng.h"
#define FIRST_OF_42 0x15780b2e0c2ec716ULL

static void test_prng_is_reproducible(void **state)
{
    (void)state;
    fs_prng a, b;
    fs_prng_seed(&a, 42);
    fs_prng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        assert_true(fs_prng_next(&a) == fs_prng_next(&b));
    /* xoshiro256** seeded by splitmix64(42): the first output is pinned, so
     * a change of generator (which changes every trace) is noticed. */
    fs_prng_seed(&a, 42);
    assert_true(fs_prng_next(&a) == FIRST_OF_42);
    for (int i = 0; i < 10000; i++) {
        int64_t v = fs_prng_range(&a, 1, 6);
        assert_true(v >= 1 && v <= 6);
    }
}

static void test_other_seed_other_sequence(void **state)
{
    (void)state;
    fs_prng a, b;
    fs_prng_seed(&a, 1);
    fs_prng_seed(&b, 2);
    assert_true(fs_prng_next(&a) != fs_prng_next(&b));
    /* the full 64-bit range does not divide by zero */
    (void)fs_prng_range(&a, INT64_MIN, INT64_MAX);
    assert_int_equal(fs_prng_range(&a, 5, 5), 5);
}

/* A draw is a pure function of (seed, key): no state, no order. */
#define BITS_42_AT_1_2 0xe5afeb2d2cc77027ULL
static void test_draws_are_pure(void **state)
{
    (void)state;
    uint64_t k12 = fs_rand_key(fs_rand_key(0, 1), 2);
    assert_true(fs_rand_bits(42, k12) == fs_rand_bits(42, fs_rand_key(fs_rand_key(0, 1), 2)));
    /* the parts' order matters, and so does the seed */
    assert_true(k12 != fs_rand_key(fs_rand_key(0, 2), 1));
    assert_true(fs_rand_bits(42, k12) != fs_rand_bits(43, k12));
    /* pinned: a change of generator changes every workload, and is noticed */
    assert_true(fs_rand_bits(42, k12) == BITS_42_AT_1_2);
}

static void test_draws_in_range_and_unbiased(void **state)
{
    (void)state;
    enum { N = 60000 };
    int64_t hist[6] = {0}, sum = 0;
    for (uint64_t i = 0; i < N; i++) {
        uint64_t bits = fs_rand_bits(7, fs_rand_key(5, i));
        int64_t v = fs_rand_range(bits, 1, 6);
        assert_true(v >= 1 && v <= 6);
        hist[v - 1]++;
        double u = fs_rand_unit(bits);
        assert_true(u >= 0.0 && u < 1.0);
        int64_t e = fs_rand_exp(bits, 100);
        assert_true(e >= 0);
        sum += e;
    }
    for (int v = 0; v < 6; v++) /* 10,000 expected each; 5 sigma is about 460 */
        assert_true(hist[v] > 9500 && hist[v] < 10500);
    assert_true(sum / N > 97 && sum / N < 103);
    /* ends of the range, a range of one, the whole 64-bit range */
    assert_int_equal(fs_rand_range(0, 3, 9), 3);
    assert_int_equal(fs_rand_range(UINT64_MAX, 3, 9), 9);
    assert_int_equal(fs_rand_range(12345, 5, 5), 5);
    assert_true(fs_rand_range(77, INT64_MIN, INT64_MAX) == 77);
    assert_int_equal(fs_rand_exp(0, 100), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prng_is_reproducible),
        cmocka_unit_test(test_other_seed_other_sequence),
        cmocka_unit_test(test_draws_are_pure),
        cmocka_unit_test(test_draws_in_range_and_unbiased),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
