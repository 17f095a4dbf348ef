/* test_arena.c - bump allocation: zeroed, aligned, big blocks, strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "arena.h"

static void test_alloc_is_zeroed_and_aligned(void **state)
{
    (void)state;
    fs_arena *a = fs_arena_create(128);
    for (int i = 0; i < 100; i++) {
        unsigned char *p = fs_arena_alloc(a, (size_t)i + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int k = 0; k <= i; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xab, (size_t)i + 1);
    }
    /* bigger than a block: served on its own, the arena keeps going */
    char *big = fs_arena_alloc(a, 10000);
    assert_non_null(big);
    memset(big, 1, 10000);
    assert_non_null(fs_arena_alloc(a, 8));
    assert_true(fs_arena_used(a) >= 10000 + 5050);
    fs_arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    fs_arena *a = fs_arena_create(0);
    assert_string_equal(fs_arena_strdup(a, "sock"), "sock");
    assert_string_equal(fs_arena_strndup(a, "socket:a", 6), "socket");
    assert_string_equal(fs_arena_printf(a, "%s#%d", "worker", 7), "worker#7");
    assert_null(fs_arena_alloc(a, SIZE_MAX - 8));
    /* strings pack byte by byte; aligned allocations after them stay aligned */
    char *s1 = fs_arena_strdup(a, "ab"), *s2 = fs_arena_strdup(a, "c");
    assert_ptr_equal(s2, s1 + 3);
    for (int i = 0; i < 2000; i++) {
        fs_arena_strdup(a, "xyz");
        assert_int_equal((uintptr_t)fs_arena_alloc(a, 24) % _Alignof(max_align_t), 0);
    }
    fs_arena_free(a);
    fs_arena_free(NULL);
}

/* A rewind gives back what came after the mark (small allocations in the
 * head, new blocks, big blocks put behind the head) and keeps what came
 * before; the next allocation reuses the space, zeroed. */
static void test_rewind(void **state)
{
    (void)state;
    fs_arena *a = fs_arena_create(256);
    assert_non_null(a);
    int *before = fs_arena_alloc(a, sizeof *before);
    *before = 42;
    fs_arena_mark m = fs_arena_get_mark(a);
    unsigned char *after = fs_arena_alloc(a, 16);
    memset(after, 0xab, 16);
    for (int i = 0; i < 10; i++) /* new heads */
        assert_non_null(fs_arena_alloc(a, 100));
    assert_non_null(fs_arena_alloc(a, 4096)); /* a big block behind the head */
    fs_arena_rewind(a, &m);
    assert_int_equal(fs_arena_used(a), sizeof *before);
    assert_int_equal(*before, 42);
    unsigned char *again = fs_arena_alloc(a, 16);
    assert_ptr_equal(again, after);
    for (int i = 0; i < 16; i++)
        assert_int_equal(again[i], 0);
    /* a mark on an empty arena gives everything back */
    fs_arena *e = fs_arena_create(0);
    fs_arena_mark m0 = fs_arena_get_mark(e);
    assert_non_null(fs_arena_alloc(e, 1 << 20));
    assert_non_null(fs_arena_alloc(e, 8));
    fs_arena_rewind(e, &m0);
    assert_int_equal(fs_arena_used(e), 0);
    assert_non_null(fs_arena_alloc(e, 8));
    fs_arena_free(e);
    fs_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_is_zeroed_and_aligned),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_rewind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
