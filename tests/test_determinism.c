/* test_determinism.c - every shipped scenario under every executor, twice:
 * the traces must be byte-identical (same scenario, executor and seed, same
 * bytes), and the header must record the seed and the program version. */
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

static char *trace_of(const fs_scenario *sc, fs_exec_kind kind, int workers, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    fs_run *r = NULL;
    fs_error err = {0};
    fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .trace = f,
                     .max_polls = 5000000};
    assert_int_equal(fs_run_simulate(&d, &r, &err), FS_ERR_OK);
    fclose(f);
    fs_run_free(r);
    return buf;
}

static void test_every_scenario_twice(void **state)
{
    (void)state;
    glob_t g;
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/scenarios/*/*.json", FS_SOURCE_DIR);
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 12);
    static const struct {
        fs_exec_kind kind;
        int workers;
    } execs[] = {{FS_EXEC_BLOCKING, 1}, {FS_EXEC_BUSY, 1}, {FS_EXEC_WAKE, 1}, {FS_EXEC_STEAL, 3}};
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fs_scenario *sc;
        fs_error err = {0};
        assert_int_equal(fs_scenario_load_file(g.gl_pathv[i], &sc, &err), FS_ERR_OK);
        for (size_t e = 0; e < sizeof execs / sizeof execs[0]; e++) {
            size_t na, nb;
            char *a = trace_of(sc, execs[e].kind, execs[e].workers, &na);
            char *b = trace_of(sc, execs[e].kind, execs[e].workers, &nb);
            if (na != nb || memcmp(a, b, na) != 0)
                fail_msg("%s under executor %zu: two runs differ", g.gl_pathv[i], e);
            char want[128];
            snprintf(want, sizeof want, "\"program\":\"futurescope %s\"", FS_VERSION);
            assert_non_null(strstr(a, want));
            snprintf(want, sizeof want, "\"seed\":%llu,", (unsigned long long)sc->seed);
            assert_non_null(strstr(a, want));
            free(a);
            free(b);
        }
        fs_scenario_free(sc);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
