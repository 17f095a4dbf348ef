/* support.c - file reading and subprocess capture for the tests. */
#include "support.h"
#include "trace_reader.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *fs_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

const char *fs_test_src(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", FS_SOURCE_DIR, rel);
    return path;
}

int fs_test_run(const char *cmd, char **out, char **err)
{
    char outp[] = "/tmp/fs_test_outXXXXXX", errp[] = "/tmp/fs_test_errXXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    if (fo < 0 || fe < 0)
        return -1;
    close(fo);
    close(fe);
    size_t len = strlen(cmd) + 2 * sizeof outp + 32;
    char *full = malloc(len);
    snprintf(full, len, "%s >%s 2>%s", cmd, outp, errp);
    int st = system(full);
    free(full);
    if (out)
        *out = fs_test_read_file(outp, NULL);
    if (err)
        *err = fs_test_read_file(errp, NULL);
    unlink(outp);
    unlink(errp);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

void fs_test_simulate(fs_test_sim *s, const char *json, fs_run_desc d)
{
    memset(s, 0, sizeof *s);
    fs_error err = {0};
    if (fs_scenario_load_text(json, strlen(json), "test.json", &s->sc, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        fail();
    }
    FILE *f = open_memstream(&s->trace, &s->len);
    d.scenario = s->sc;
    d.trace = f;
    assert_int_equal(fs_run_simulate(&d, &s->run, &err), FS_ERR_OK);
    fclose(f);
}

const fs_test_exec fs_test_execs[] = {
    {"blocking", {.kind = FS_EXEC_BLOCKING}},
    {"busy", {.kind = FS_EXEC_BUSY}},
    {"wake", {.kind = FS_EXEC_WAKE}},
    {"wake-lifo", {.kind = FS_EXEC_WAKE, .lifo = true}},
    {"wake-pct:2", {.kind = FS_EXEC_WAKE, .pct_depth = 2}},
    {"steal:1", {.kind = FS_EXEC_STEAL, .workers = 1}},
    {"steal:2", {.kind = FS_EXEC_STEAL, .workers = 2}},
    {"steal:3", {.kind = FS_EXEC_STEAL, .workers = 3}},
    {"steal:4", {.kind = FS_EXEC_STEAL, .workers = 4}},
    {"steal:2-tokio1.24", {.kind = FS_EXEC_STEAL, .workers = 2, .tokio = FS_TOKIO_1_24}},
};
const size_t fs_test_n_execs = sizeof fs_test_execs / sizeof fs_test_execs[0];

void fs_test_sim_free(fs_test_sim *s)
{
    fs_run_free(s->run);
    fs_scenario_free(s->sc);
    free(s->trace);
}

int fs_test_futurescope(const char *args, char **out, char **err)
{
    size_t len = strlen(args) + strlen(FS_SOURCE_DIR) + strlen(FS_BINARY) + 32;
    char *cmd = malloc(len);
    snprintf(cmd, len, "cd '%s' && '%s' %s", FS_SOURCE_DIR, FS_BINARY, args);
    int st = fs_test_run(cmd, out, err);
    free(cmd);
    return st;
}

char *fs_test_futurescope_out(const char *args, int want_status)
{
    char *out, *err;
    int st = fs_test_futurescope(args, &out, &err);
    if (st != want_status)
        fprintf(stderr, "%s: exit %d\n%s\n%s\n", args, st, out, err);
    assert_int_equal(st, want_status);
    free(err);
    return out;
}

static char fs__scratch[] = "/tmp/fs_testXXXXXX";

int fs_test_scratch_setup(void **state)
{
    (void)state;
    return mkdtemp(fs__scratch) ? 0 : -1;
}

int fs_test_scratch_teardown(void **state)
{
    (void)state;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fs__scratch);
    return system(cmd) == 0 ? 0 : -1;
}

const char *fs_test_scratch_dir(void)
{
    return fs__scratch;
}

const char *fs_test_scratch_path(const char *name)
{
    static char path[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", fs__scratch, name);
    return path[k];
}

fs_trace *fs_test_trace_of(const char *rel, fs_exec_kind kind, int workers)
{
    fs_scenario *sc = NULL;
    fs_error err = {0};
    assert_int_equal(fs_scenario_load_file(fs_test_src(rel), &sc, &err), FS_ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fs_run_desc d = {.scenario = sc, .kind = kind, .workers = workers, .trace = f};
    fs_run *run = NULL;
    assert_int_equal(fs_run_simulate(&d, &run, &err), FS_ERR_OK);
    fclose(f);
    fs_trace *tr = NULL;
    fs_errcode rc = fs_trace_read_text(buf, len, rel, &tr, &err);
    if (rc != FS_ERR_OK)
        fs_trace_error_print(&err, stderr);
    assert_int_equal(rc, FS_ERR_OK);
    fs_run_free(run);
    fs_scenario_free(sc);
    free(buf);
    return tr;
}
