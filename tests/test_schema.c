/* test_schema.c - scenarios/schema.json (JSON Schema draft 2020-12), checked
 * with Debian's python3-jsonschema (scripts/check_schema.py): every shipped
 * scenario is valid; every file in tests/bad_scenarios is invalid, except
 * those tests/bad_scenarios/SCHEMA_LIMITS.txt lists, each with the reason a
 * schema cannot express it, which must be valid (so the list stays true);
 * and the loader accepts the "$schema" key editors use. A missing
 * jsonschema module fails the test (scripts/deps.sh installs it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Appends ' DIR/name' for every bad scenario whether or not it is listed. */
static void bad_files(char *cmd, size_t cap, bool listed)
{
    char *limits = fs_test_read_file(fs_test_src("tests/bad_scenarios/SCHEMA_LIMITS.txt"), NULL);
    assert_non_null(limits);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", fs_test_src("tests/bad_scenarios"));
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char key[300];
        snprintf(key, sizeof key, "\n%s:", e->d_name);
        if ((strstr(limits, key) != NULL) != listed)
            continue;
        size_t used = strlen(cmd);
        snprintf(cmd + used, cap - used, " '%s/%s'", dir, e->d_name);
        n++;
    }
    closedir(d);
    free(limits);
    assert_true(n >= (listed ? 9 : 25));
}

/* Runs a check_schema.py command line; it must find every verdict as expected. */
static void schema_check(const char *cmd)
{
    char *out = NULL, *err = NULL;
    int st = fs_test_run(cmd, &out, &err);
    if (st != 0)
        print_error("%s%s", out, err);
    assert_int_equal(st, 0);
    free(out);
    free(err);
}

static void test_shipped_scenarios_are_valid(void **state)
{
    (void)state;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s'/scenarios/*/*.json '%s'/tests/expect/*.json",
             fs_test_src("scripts/check_schema.py"), FS_SOURCE_DIR, FS_SOURCE_DIR);
    schema_check(cmd);
}

static void test_bad_scenarios_are_invalid_but_the_listed(void **state)
{
    (void)state;
    static char cmd[65536];
    for (int listed = 0; listed < 2; listed++) {
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s'%s",
                 fs_test_src("scripts/check_schema.py"), listed ? "" : " --expect-invalid");
        bad_files(cmd, sizeof cmd, listed);
        schema_check(cmd);
    }
}

static void test_loader_takes_the_schema_key(void **state)
{
    (void)state;
    const char *json = "{\"$schema\": \"../schema.json\", \"tasks\": [{\"name\": \"t\", "
                       "\"future\": {\"sleep_ms\": 1}}]}";
    fs_scenario *sc = NULL;
    fs_error err = {0};
    assert_int_equal(fs_scenario_load_text(json, strlen(json), "s.json", &sc, &err), FS_ERR_OK);
    fs_scenario_free(sc);
    json = "{\"$schema\": 3, \"tasks\": []}";
    assert_int_equal(fs_scenario_load_text(json, strlen(json), "s.json", &sc, &err), FS_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_scenarios_are_valid),
        cmocka_unit_test(test_bad_scenarios_are_invalid_but_the_listed),
        cmocka_unit_test(test_loader_takes_the_schema_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
