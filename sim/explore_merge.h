/* explore_merge.h - `explore --merge`: the `--json` reports of the shards
 * of one sweep (`--shard I/N`, each I once) read back and joined into the
 * sweep's records, as if one run had done every seed, so the report made
 * from them is the one a single run prints, byte for byte. */
#ifndef FS_EXPLORE_MERGE_H
#define FS_EXPLORE_MERGE_H

#include "explore.h"

typedef struct fs_explore_merged {
    fs_explore x;                /* its desc is &desc; recs in (seed, executor) order */
    fs_explore_desc desc;        /* the range and executors (runs NULL) */
    /* What the report prints, as the shards said it. */
    char *scenario, *file, *options;
    bool expect;                 /* the scenario has expectations */
    bool faults;                 /* it declares faults: records have FS_EXPLORE_FAULT_FIELDS */
    int n_exec;
    char label[FS_EXPLORE_MAX_EXEC][32];
} fs_explore_merged;

/* Reads the n reports at paths (FS_ERR_IO: unreadable; FS_ERR_INPUT, with
 * file:line:col and JSON path: not an explore report, an interrupted or
 * stopped one, shards of different sweeps, a shard twice or missing);
 * m is filled on success (free it). */
fs_errcode fs_explore_merge(const char *const *paths, int n, fs_explore_merged *m, fs_error *err);
void fs_explore_merged_free(fs_explore_merged *m);

/* The names of the fields of a record in --json's "records" (each an array
 * in this order), as fs_explore_merge reads them. */
#define FS_EXPLORE_RECORD_FIELDS                                                      \
    "seed", "executor", "outcome", "limit_hit", "expectation", "end_ns",            \
        "max_runnable_wait_ns", "polls"
#define FS_EXPLORE_N_RECORD_FIELDS 8
/* After them, for a scenario that declares faults: the faults fired in the
 * run and the kinds that fired (["latency", "fail"]). */
#define FS_EXPLORE_FAULT_FIELDS "faults", "fault_kinds"
#define FS_EXPLORE_N_FAULT_FIELDS 2

#endif
