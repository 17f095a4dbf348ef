/* test_bad_scenarios.c - the hostile-input table: every tests/bad_scenarios/
 * X.json (wrong types, unknown keys and resources, out-of-range numbers,
 * truncated, empty, deeply nested, binary junk, NUL bytes...) must give
 * exit status 2, nothing on stdout, no trace file, and exactly the error line
 * in X.expected on stderr. The .expected files were read and checked by hand
 * when they were written: each names the right line, column, path and what
 * was expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_every_bad_file(void **state)
{
    (void)state;
    const char *dir = fs_test_src("tests/bad_scenarios");
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s", dir);
    DIR *d = opendir(dirpath);
    assert_non_null(d);
    char *names[512];
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            assert_true(n < 512); /* every file is checked: grow the table if this fails */
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    assert_true(n >= 30);
    char out_path[] = "/tmp/fs_test_badXXXXXX";
    assert_non_null(mkdtemp(out_path));
    for (int i = 0; i < n; i++) {
        char cmd[16384], expected_path[4200], trace[4200];
        snprintf(expected_path, sizeof expected_path, "%s/%.*s.expected", dirpath,
                 (int)(strlen(names[i]) - 5), names[i]);
        snprintf(trace, sizeof trace, "%s/out.jsonl", out_path);
        char *want = fs_test_read_file(expected_path, NULL);
        if (!want)
            fail_msg("%s has no .expected file", names[i]);
        for (int mode = 0; mode < 2; mode++) {
            if (mode == 0)
                snprintf(cmd, sizeof cmd, "cd '%s' && '%s' check '%s'", dirpath, FS_BINARY, names[i]);
            else
                snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run '%s' -e busy -o '%s'", dirpath,
                         FS_BINARY, names[i], trace);
            char *out, *err;
            int st = fs_test_run(cmd, &out, &err);
            if (st != 2 || strcmp(err, want) != 0 || out[0])
                fail_msg("%s: exit %d\nstderr: %s\nwanted: %s", names[i], st, err, want);
            assert_int_equal(access(trace, F_OK), -1);
            free(out);
            free(err);
        }
        free(want);
        free(names[i]);
    }
    rmdir(out_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_bad_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
