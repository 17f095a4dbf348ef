/* expect.h - a scenario's expectations ("expect", docs/scenarios.md)
 * checked against a finished run: which held, which failed and why. `run`
 * exits 3 when one failed; explore counts such runs as their own outcome;
 * the summary (summary.h) reports them as "expectations". */
#ifndef FS_EXPECT_H
#define FS_EXPECT_H

#include <stdbool.h>

#include "exec.h"
#include "scenario.h"

#define FS_EXPECT_LISTED 8 /* failures kept with their reasons */

/* The keys of "expect", in the order they are checked. */
typedef enum {
    FS_EXPECT_COMPLETES, FS_EXPECT_NO_ERRORS, FS_EXPECT_END, FS_EXPECT_WAKE_LATENCY,
    FS_EXPECT_TASK_END, FS_EXPECT_CHANNEL_LEN, FS_EXPECT__COUNT
} fs_expect_key;
/* "completes", "no_errors", "end_ms_at_most", ... (inline: the summary,
 * which expect.c uses, writes them too) */
static inline const char *fs_expect_key_name(fs_expect_key k)
{
    static const char *const names[FS_EXPECT__COUNT] = {
        "completes", "no_errors", "end_ms_at_most", "max_wake_latency_ms_at_most",
        "task_end_ms_at_most", "channel_max_len"};
    return (unsigned)k < FS_EXPECT__COUNT ? names[k] : "?";
}

typedef struct fs_expect_failure {
    fs_expect_key key;
    char why[240];    /* "the run ended at 7.002 ms, after 5 ms" */
} fs_expect_failure;

typedef struct fs_expect_result {
    bool present;     /* the scenario has expectations */
    int checked;      /* one per key, per task name, per channel */
    int failed;       /* of those */
    fs_expect_failure fail[FS_EXPECT_LISTED]; /* the first failed, in key order */
    int n_fail;
} fs_expect_result;

struct fs_world;
/* Compares the run of ex (over world w, of scenario sc) with sc->expect. */
void fs_expect_check(const fs_scenario *sc, const struct fs_world *w, const fs_exec *ex,
                     fs_expect_result *out);

#endif
