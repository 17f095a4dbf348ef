/* explore.h - many simulations: one loaded scenario over a range of seeds
 * and several executors, run in parallel threads, each run kept as a small
 * record; then per executor the outcomes, percentiles, a histogram and the
 * runs worth replaying. What `futurescope explore` calls.
 *
 * The records are indexed by (seed, executor), never by the order the
 * threads finished in, so everything computed from them is the same
 * whatever the number of threads. */
#ifndef FS_EXPLORE_H
#define FS_EXPLORE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "run.h"

/* How a run ended. A run that stalled or hit a limit counts as that even
 * when an expectation failed too; FS_OUTCOME_EXPECT is a run that ended
 * otherwise well but missed one of its scenario's expectations. */
typedef enum {
    FS_OUTCOME_OK, FS_OUTCOME_STALLED, FS_OUTCOME_LIMIT, FS_OUTCOME_EXPECT, FS_OUTCOME__COUNT
} fs_outcome;
/* "ok", "stalled", "limit_hit", "expectation_failed" */
const char *fs_outcome_name(fs_outcome o);

/* One run, as explore keeps it (48 bytes, so a million runs fit). */
typedef struct fs_explore_rec {
    uint64_t seed;
    int64_t end_ns;
    int64_t max_wait_ns;  /* its tasks' longest wait from runnable to a poll */
    int64_t polls;
    uint32_t faults;      /* faults that fired (the summary's faults.fired; saturates) */
    uint8_t fault_kinds;  /* bit k: a fault of fs_fault_kind k fired */
    uint8_t exec;         /* index of its executor in fs_explore_desc.runs */
    uint8_t outcome;      /* fs_outcome */
    uint8_t limit;        /* fs_limit that stopped it (FS_OUTCOME_LIMIT) */
    uint8_t done;         /* 0: never ran (interrupted, or past the first failure) */
    uint8_t expect;       /* FS_OUTCOME_EXPECT: the first failed expectation (fs_expect_key) */
} fs_explore_rec;

#define FS_EXPLORE_MAX_EXEC 16

typedef struct fs_explore_desc {
    /* One per executor: everything but the seed (its trace, observer and
     * progress are ignored; runs write no trace). */
    const fs_run_desc *runs;
    int n_exec;
    uint64_t first_seed, last_seed; /* inclusive */
    /* --shard I/N: of the range, only the seeds first_seed + shard_index,
     * + shard_count, + 2 shard_count, ... (shard_index = I - 1; a count of
     * 0 or 1: every seed). fs_explore_shard_seeds says how many. */
    uint64_t shard_index, shard_count;
    int jobs;                       /* threads; 0: one per core */
    /* Stop at the first run that is not ok: the report keeps every seed up
     * to and including the lowest failing one (all its executors), and no
     * seed past it, whatever the number of threads. */
    bool until_failure;
    /* Read between runs: non-zero (set by a signal handler) means take no
     * new run. The runs under way finish. May be NULL. */
    const volatile sig_atomic_t *stop;
    /* Called from the calling thread now and then (about 5 times a second)
     * while threads run. May be NULL. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, uint64_t not_ok);
    void *progress_ctx;
} fs_explore_desc;

typedef struct fs_explore {
    const fs_explore_desc *desc;
    fs_explore_rec *recs;   /* [(the seed's place among the shard's) * n_exec + exec] */
    uint64_t n_runs;        /* runs of the whole range */
    uint64_t n_kept;        /* recs[0, n_kept) are the report's: all, or up to the first failing seed */
    uint64_t n_done;        /* runs done among those */
    bool failure_found;     /* until_failure stopped the sweep; n_kept ends at that seed */
    bool interrupted;       /* stop was set before every kept run was done */
} fs_explore;

/* The seeds of d's range in its shard (all of them without one). */
uint64_t fs_explore_shard_seeds(const fs_explore_desc *d);
/* The seed of the j-th of them. */
uint64_t fs_explore_shard_seed(const fs_explore_desc *d, uint64_t j);

/* Runs every (seed, executor) of d's shard (d.until_failure without a shard). Returns FS_ERR_USAGE with err filled
 * when the options do not fit an executor (as fs_run_simulate checks),
 * FS_ERR_NOMEM when memory ran out; x is filled on success (free it). */
fs_errcode fs_explore_run(const fs_explore_desc *d, fs_explore *x, fs_error *err);
void fs_explore_free(fs_explore *x);

/* ---- the report's figures ----------------------------------------------- */

/* Nearest-rank percentiles: pN is the smallest value with at least N% of
 * the values at or below it (sorted[ceil(N/100 * n) - 1]). */
typedef struct fs_explore_dist {
    int64_t min, p50, p90, p99, max;
} fs_explore_dist;

#define FS_EXPLORE_BINS 12     /* histogram bins at most */
#define FS_EXPLORE_FAILING 10  /* failing runs listed */
#define FS_EXPLORE_WORST 3     /* worst runs listed by each measure */

typedef struct fs_explore_summary {
    uint64_t runs;                          /* done runs of this executor */
    uint64_t outcomes[FS_OUTCOME__COUNT];
    /* Runs in which a fault fired: any, of each kind, and any among the
     * runs that were not ok. */
    uint64_t fault_runs, fault_kind_runs[FS_FAULT__COUNT], fault_not_ok;
    fs_explore_dist end_ns, max_wait_ns, polls;
    /* End times: bins[i] counts those in [bin_lo + i * bin_width, + bin_width);
     * the width is 1, 2 or 5 times a power of ten ns. */
    int n_bins;
    int64_t bin_lo, bin_width;
    uint64_t bins[FS_EXPLORE_BINS];
    /* Indexes into recs: the lowest seeds that are not ok; the latest
     * ends; the longest waits (greatest first, ties to the lower seed;
     * runs whose wait is 0 are not listed). */
    uint64_t failing[FS_EXPLORE_FAILING];
    int n_failing;
    uint64_t worst_end[FS_EXPLORE_WORST], worst_wait[FS_EXPLORE_WORST];
    int n_worst_end, n_worst_wait;
} fs_explore_summary;

/* End times of every executor's done runs in the same bins, split by
 * outcome: what `explore --plot` draws, one axis for all executors so
 * they compare by eye. Finer than the summary's (about FS_EXPLORE_PLOT_BINS
 * bins, each 1, 2 or 5 times a power of ten ns wide, from below the least
 * end to the greatest); equal end times get bins of about 1/100 of the end. */
#define FS_EXPLORE_PLOT_BINS 50
#define FS_EXPLORE_PLOT_MAX_BINS (FS_EXPLORE_PLOT_BINS + 2)
typedef struct fs_explore_hist {
    int64_t lo, width;   /* bin i: [lo + i * width, lo + (i + 1) * width) */
    int n_bins;          /* 0 when no run is done */
    uint64_t counts[FS_EXPLORE_MAX_EXEC][FS_EXPLORE_PLOT_MAX_BINS][FS_OUTCOME__COUNT];
} fs_explore_hist;
void fs_explore_histogram(const fs_explore *x, fs_explore_hist *h);

/* The figures of executor exec over the done runs of recs[0, n_kept);
 * false when out of memory. */
bool fs_explore_summarize(const fs_explore *x, int exec, fs_explore_summary *out);
/* The nearest-rank distribution of n sorted values (n > 0). */
fs_explore_dist fs_explore_dist_of(const int64_t *sorted, uint64_t n);

#endif
