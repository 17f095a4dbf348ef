/* test_join_map.c - the JoinHandle map against a plain array, through many
 * random sets, clears and takes (so deletion's backward shift is exercised
 * in long probe runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "join_map.h"
#include "prng.h"

static void test_matches_an_array(void **state)
{
    (void)state;
    enum { IDS = 500 };
    static fs_waker slots[IDS];
    fs_waker *want[IDS] = {0};
    fs_join_map m = {0};
    fs_prng p;
    fs_prng_seed(&p, 11);
    for (int step = 0; step < 200000; step++) {
        uint32_t id = (uint32_t)fs_prng_range(&p, 0, IDS - 1);
        switch (fs_prng_range(&p, 0, 2)) {
        case 0:
            assert_true(fs_join_map_set(&m, id, &slots[id]));
            want[id] = &slots[id];
            break;
        case 1:
            assert_true(fs_join_map_set(&m, id, NULL));
            want[id] = NULL;
            break;
        default:
            assert_ptr_equal(fs_join_map_take(&m, id), want[id]);
            want[id] = NULL;
        }
    }
    size_t live = 0;
    for (uint32_t id = 0; id < IDS; id++)
        live += want[id] != NULL;
    assert_int_equal(m.used, live);
    for (uint32_t id = 0; id < IDS; id++)
        assert_ptr_equal(fs_join_map_take(&m, id), want[id]);
    assert_int_equal(m.used, 0);
    fs_join_map_destroy(&m);
    assert_null(fs_join_map_take(&m, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_an_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
