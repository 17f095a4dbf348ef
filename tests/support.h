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

#endif
