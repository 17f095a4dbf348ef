/* support.h - small helpers shared by the cmocka test programs. */
#ifndef FS_TEST_SUPPORT_H
#define FS_TEST_SUPPORT_H

#include <stddef.h>

#include "run.h"

/* Whole file into a malloc'd NUL-terminated buffer (NULL if unreadable). */
char *fs_test_read_file(const char *path, size_t *len);
/* FS_SOURCE_DIR "/" rel, in a static buffer (valid until the next call). */
const char *fs_test_src(const char *rel);
/* Runs a shell command, capturing stdout and stderr into malloc'd strings
 * (either pointer may be NULL to discard). Returns the exit status, or -1. */
int fs_test_run(const char *cmd, char **out, char **err);

/* Runs `futurescope ARGS` (the build's binary) from the source directory,
 * as fs_test_run does. */
int fs_test_futurescope(const char *args, char **out, char **err);

/* Its stdout (malloc'd), failing the test unless it exits with
 * want_status (stdout and stderr are shown then). */
char *fs_test_futurescope_out(const char *args, int want_status);

/* A scratch directory for one test program: a cmocka group setup creates it,
 * the teardown removes it with everything in it. */
int fs_test_scratch_setup(void **state);
int fs_test_scratch_teardown(void **state);
const char *fs_test_scratch_dir(void);
/* dir/name, in one of 8 rotating buffers (so a few can be used at once). */
const char *fs_test_scratch_path(const char *name);

/* A scenario (JSON text) simulated with its trace kept in memory. */
typedef struct fs_test_sim {
    fs_scenario *sc;
    fs_run *run;
    char *trace;
    size_t len;
} fs_test_sim;

/* Loads json and simulates it as d says (its scenario and trace are filled
 * in here); any error fails the test. */
void fs_test_simulate(fs_test_sim *s, const char *json, fs_run_desc d);
void fs_test_sim_free(fs_test_sim *s);

/* The executors every shipped scenario is run under by test_golden (and
 * test_program, compiled against interpreted), with their labels. */
typedef struct fs_test_exec {
    const char *label;
    fs_run_desc desc;
} fs_test_exec;
extern const fs_test_exec fs_test_execs[];
extern const size_t fs_test_n_execs;

/* Simulates the project's scenario file rel under kind (workers for steal:N)
 * and reads its trace back into the viewer's model; any error fails the test. */
struct fs_trace;
struct fs_trace *fs_test_trace_of(const char *rel, fs_exec_kind kind, int workers);

#endif
