/* test_golden.c - every shipped scenario under every executor gives the
 * trace it gave when tests/golden/traces.txt was recorded, byte for byte
 * (length and a 64-bit FNV-1a digest per trace). A change to the engine
 * that should not change behaviour (the performance work) must keep them;
 * a change that should (a model fix, a new shipped scenario) records them
 * anew, in the same commit, with
 *     FS_GOLDEN_UPDATE=1 build/tests/test_golden
 * and says why in its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* "scenario executor bytes digest\n" for every run, in order. */
static char *record(void)
{
    glob_t g;
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s", fs_test_src("scenarios/*/*.json"));
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    size_t root = strlen(fs_test_src(""));
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *json = fs_test_read_file(g.gl_pathv[i], NULL);
        assert_non_null(json);
        for (size_t e = 0; e < fs_test_n_execs; e++) {
            fs_test_sim s;
            fs_test_simulate(&s, json, fs_test_execs[e].desc);
            fprintf(f, "%s %s %zu %016llx\n", g.gl_pathv[i] + root, fs_test_execs[e].label, s.len,
                    (unsigned long long)fnv1a(s.trace, s.len));
            fs_test_sim_free(&s);
        }
        free(json);
    }
    globfree(&g);
    fclose(f);
    return out;
}

static void test_traces_unchanged(void **state)
{
    (void)state;
    char *now = record();
    const char *path = fs_test_src("tests/golden/traces.txt");
    char keep[4096];
    snprintf(keep, sizeof keep, "%s", path);
    if (getenv("FS_GOLDEN_UPDATE")) {
        FILE *f = fopen(keep, "w");
        assert_non_null(f);
        fputs(now, f);
        assert_int_equal(fclose(f), 0);
        fprintf(stderr, "recorded %s\n", keep);
    }
    char *want = fs_test_read_file(keep, NULL);
    if (!want)
        fail_msg("%s is missing: record it with FS_GOLDEN_UPDATE=1 build/tests/test_golden", keep);
    /* the first line that differs, for the message */
    const char *a = now, *b = want;
    while (*a && *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        if (!ea || !eb || ea - a != eb - b || memcmp(a, b, (size_t)(ea - a)) != 0)
            fail_msg("trace changed:\n  now:    %.*s\n  golden: %.*s\n(if the change is meant, record "
                     "anew: FS_GOLDEN_UPDATE=1 build/tests/test_golden)",
                     (int)(ea ? ea - a : (long)strlen(a)), a, (int)(eb ? eb - b : (long)strlen(b)), b);
        a = ea + 1;
        b = eb + 1;
    }
    if (*a || *b)
        fail_msg("the list of shipped scenarios changed (%s): record anew with "
                 "FS_GOLDEN_UPDATE=1 build/tests/test_golden", *a ? a : b);
    free(want);
    free(now);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traces_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
