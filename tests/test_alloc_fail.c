/* test_alloc_fail.c - running out of memory anywhere while loading a
 * scenario or simulating it gives a clean error, never a crash or a leak.
 * The N-th allocation made by futurescope's own code (and by cJSON, through
 * its hooks, where the trace side uses it) fails, for N = 1, 2, 3 ... until a
 * run needs fewer than N; each
 * time the result must be success or FS_ERR_NOMEM, and (under ASan, as CI
 * runs it) nothing may leak. Allocations are counted through the linker's
 * --wrap (see tests/CMakeLists.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "run.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);

static long countdown = -1; /* allocations left before the one that fails; -1: none fails */
static bool failed;
static long last_n;

static bool fail_now(void)
{
    if (countdown < 0)
        return false;
    if (countdown-- > 0)
        return false;
    failed = true;
    return true;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t s) { return fail_now() ? NULL : __real_calloc(n, s); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
void *__wrap_aligned_alloc(size_t a, size_t n) { return fail_now() ? NULL : __real_aligned_alloc(a, n); }

static void *hook_malloc(size_t n) { return __wrap_malloc(n); }

static const char *world =
    "{\"seed\":3,\"resources\":{"
    "\"a\":{\"type\":\"socket\",\"arrivals\":[{\"after_ms\":5},{\"at_ms\":9,\"value\":4}]},"
    "\"f\":{\"type\":\"file\",\"latency_ms\":{\"open\":1,\"read\":2}},"
    "\"ch\":{\"type\":\"channel\",\"capacity\":1}},"
    "\"tasks\":["
    "{\"name\":\"r\",\"count\":3,\"future\":{\"select\":[{\"read\":\"a\",\"spurious_wakes\":1},{\"sleep_ms\":7}]}},"
    "{\"name\":\"io\",\"future\":{\"seq\":[{\"open\":\"f\"},{\"read\":\"f\"},{\"compute_ms\":1},{\"yield\":true}]}},"
    "{\"name\":\"p\",\"future\":{\"repeat\":3,\"do\":{\"send\":\"ch\"}}},"
    "{\"name\":\"c\",\"future\":{\"join\":[{\"recv\":\"ch\"},{\"recv\":\"ch\"},{\"recv\":\"ch\"}]}},"
    "{\"name\":\"s\",\"future\":{\"spawn\":{\"name\":\"kid\",\"future\":{\"sleep_ms\":{\"uniform\":[1,9]}}},\"await\":true}}"
    "]}";

/* One attempt with the n-th allocation failing; true once n is past the end. */
static bool attempt(long n, fs_exec_kind kind, int workers)
{
    countdown = n;
    failed = false;
    fs_scenario *sc = NULL;
    fs_run *r = NULL;
    fs_error err = {0};
    char *trace = NULL;
    size_t len = 0;
    fs_errcode rc = fs_scenario_load_text(world, strlen(world), "w.json", &sc, &err);
    if (rc == FS_ERR_OK) {
        FILE *f = open_memstream(&trace, &len);
        fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .trace = f};
        rc = fs_run_simulate(&d, &r, &err);
        fclose(f);
    }
    countdown = -1;
    if (rc != FS_ERR_OK && rc != FS_ERR_NOMEM)
        fail_msg("allocation %ld: error %d: %s", n, rc, err.msg);
    if (rc == FS_ERR_OK)  /* 7 tasks and the one spawned; a failure may not go unnoticed */
        assert_int_equal(fs_exec_get_stats(r->exec)->completed, 8);
    last_n = n;
    if (rc == FS_ERR_NOMEM)
        assert_string_equal(err.msg, "out of memory");
    fs_run_free(r);
    fs_scenario_free(sc);
    free(trace);
    return !failed;
}

static void sweep(fs_exec_kind kind, int workers)
{
    long n = 0;
    while (!attempt(n, kind, workers))
        n++;
    /* it did reach deep into the run: load and run make about 45
     * allocations (the loader's tree is a few arrays, futures come from
     * slabs) */
    assert_true(n > 30);
    printf("  %ld allocations, each made to fail once\n", last_n);
}

static void test_wake(void **state) { (void)state; sweep(FS_EXEC_WAKE, 1); }
static void test_busy(void **state) { (void)state; sweep(FS_EXEC_BUSY, 1); }
static void test_steal(void **state) { (void)state; sweep(FS_EXEC_STEAL, 2); }

int main(void)
{
    cJSON_Hooks hooks = {.malloc_fn = hook_malloc, .free_fn = free};
    cJSON_InitHooks(&hooks);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wake),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_steal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
