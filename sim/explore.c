/* explore.c - a scenario over seeds and executors on worker threads, and
 * the figures of the report.
 *
 * Threads are safe here because a run shares nothing mutable: the loaded
 * scenario is read-only, and each run has its own world, executor and
 * random streams (core/ and sim/ keep no global state on the simulation's
 * path). Each thread takes the next run index from one atomic counter and
 * writes only that run's record. */
#include "explore.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "summary.h"
#include "world.h"

const char *fs_outcome_name(fs_outcome o)
{
    static const char *names[] = {[FS_OUTCOME_OK] = "ok", [FS_OUTCOME_STALLED] = "stalled",
                                  [FS_OUTCOME_LIMIT] = "limit_hit",
                                  [FS_OUTCOME_EXPECT] = "expectation_failed"};
    return o < FS_OUTCOME__COUNT ? names[o] : "?";
}

/* ---- the sweep ------------------------------------------------------------ */

typedef struct fs__sweep {
    const fs_explore_desc *d;
    fs_explore_rec *recs;
    uint64_t n_runs;
    atomic_uint_fast64_t next;     /* the next run index to take */
    atomic_uint_fast64_t cut;      /* indexes at or past it are not taken */
    atomic_uint_fast64_t done, not_ok;
    atomic_int failed;             /* a run could not be simulated: stop */
    pthread_mutex_t mu;            /* guards running, err, err_index */
    pthread_cond_t finished;
    int running;
    fs_errcode rc;
    fs_error err;                  /* of the lowest index that failed */
    uint64_t err_index;
} fs__sweep;

static fs_outcome fs__outcome_of(const fs_run *r, fs_limit *limit)
{
    const fs_exec_stats *s = fs_exec_get_stats(r->exec);
    *limit = s->limit_hit;
    if (s->stalled)
        return FS_OUTCOME_STALLED;
    if (s->limit_hit != FS_LIMIT_NONE || r->result != FS_RUN_DONE)
        return FS_OUTCOME_LIMIT;
    return r->expect.failed ? FS_OUTCOME_EXPECT : FS_OUTCOME_OK;
}

uint64_t fs_explore_shard_seeds(const fs_explore_desc *d)
{
    uint64_t all = d->last_seed - d->first_seed + 1, n = d->shard_count > 1 ? d->shard_count : 1;
    return d->shard_index >= all ? 0 : (all - d->shard_index - 1) / n + 1;
}

uint64_t fs_explore_shard_seed(const fs_explore_desc *d, uint64_t j)
{
    return d->first_seed + d->shard_index + j * (d->shard_count > 1 ? d->shard_count : 1);
}

/* Runs index i; false (the error kept if it is the lowest so far) if the
 * run could not be simulated. */
static bool fs__run_one(fs__sweep *s, uint64_t i)
{
    const fs_explore_desc *d = s->d;
    int e = (int)(i % (uint64_t)d->n_exec);
    fs_run_desc rd = d->runs[e];
    rd.has_seed = true;
    rd.seed = fs_explore_shard_seed(d, i / (uint64_t)d->n_exec);
    rd.trace = NULL;
    rd.observer = (fs_observer){0};
    rd.progress = NULL;
    rd.progress_ctx = NULL;
    fs_run *r = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_run_simulate(&rd, &r, &err);
    if (rc != FS_ERR_OK) {
        pthread_mutex_lock(&s->mu);
        if (s->rc == FS_ERR_OK || i < s->err_index) {
            s->rc = rc;
            s->err = err;
            s->err_index = i;
        }
        pthread_mutex_unlock(&s->mu);
        atomic_store(&s->failed, 1);
        return false;
    }
    const fs_exec_stats *st = fs_exec_get_stats(r->exec);
    const fs_fault_counts *fc = fs_world_fault_counts(r->world);
    uint8_t kinds = 0;
    for (int k = 0; k < FS_FAULT__COUNT; k++)
        kinds |= (uint8_t)((fc->by_kind[k] > 0) << k);
    fs_limit limit;
    fs_explore_rec rec = {
        .seed = rd.seed, .end_ns = st->end_ns,
        .max_wait_ns = fs_summary_max_runnable_wait(r->exec), .polls = st->polls,
        .exec = (uint8_t)e, .outcome = (uint8_t)fs__outcome_of(r, &limit),
        .limit = (uint8_t)limit, .done = 1,
        .expect = (uint8_t)(r->expect.n_fail ? r->expect.fail[0].key : 0),
        .faults = fc->fired < UINT32_MAX ? (uint32_t)fc->fired : UINT32_MAX,
        .fault_kinds = kinds,
    };
    fs_run_free(r);
    s->recs[i] = rec;
    atomic_fetch_add(&s->done, 1);
    if (rec.outcome != FS_OUTCOME_OK) {
        atomic_fetch_add(&s->not_ok, 1);
        if (d->until_failure) {
            /* Keep this seed's every executor and nothing past it. */
            uint64_t end = (i / (uint64_t)d->n_exec + 1) * (uint64_t)d->n_exec;
            uint_fast64_t cur = atomic_load(&s->cut);
            while (end < cur && !atomic_compare_exchange_weak(&s->cut, &cur, end)) {
            }
        }
    }
    return true;
}

static void *fs__worker(void *arg)
{
    fs__sweep *s = arg;
    for (;;) {
        if ((s->d->stop && *s->d->stop) || atomic_load(&s->failed))
            break;
        uint64_t i = atomic_fetch_add(&s->next, 1);
        /* Indexes are taken in order, so every index below the cut is
         * taken by some thread before any thread stops here. */
        if (i >= atomic_load(&s->cut) || !fs__run_one(s, i))
            break;
    }
    pthread_mutex_lock(&s->mu);
    s->running--;
    pthread_cond_signal(&s->finished);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static int fs__jobs(int asked, uint64_t n_runs)
{
    long n = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if ((uint64_t)n > n_runs)
        n = (long)n_runs;
    return (int)n;
}

fs_errcode fs_explore_run(const fs_explore_desc *d, fs_explore *x, fs_error *err)
{
    memset(x, 0, sizeof *x);
    memset(err, 0, sizeof *err);
    x->desc = d;
    FS_EXPECT(d->n_exec > 0 && d->n_exec <= FS_EXPLORE_MAX_EXEC && d->first_seed <= d->last_seed);
    FS_EXPECT(!d->until_failure || d->shard_count <= 1);
    uint64_t seeds = fs_explore_shard_seeds(d);
    FS_EXPECT(seeds > 0);
    FS_EXPECT(seeds <= UINT64_MAX / (uint64_t)d->n_exec);
    x->n_runs = seeds * (uint64_t)d->n_exec;
    if (x->n_runs > SIZE_MAX / sizeof *x->recs ||
        !(x->recs = calloc((size_t)x->n_runs, sizeof *x->recs))) {
        fs_error_set(err, FS_ERR_NOMEM, "out of memory for %llu runs",
                     (unsigned long long)x->n_runs);
        return FS_ERR_NOMEM;
    }

    static const fs__sweep zero;
    fs__sweep *s = malloc(sizeof *s);
    int jobs = fs__jobs(d->jobs, x->n_runs);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    if (!s || !threads) {
        free(s);
        free(threads);
        fs_explore_free(x);
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
        return FS_ERR_NOMEM;
    }
    *s = zero;
    s->d = d;
    s->recs = x->recs;
    s->n_runs = x->n_runs;
    atomic_init(&s->next, 0);
    atomic_init(&s->cut, x->n_runs);
    atomic_init(&s->done, 0);
    atomic_init(&s->not_ok, 0);
    atomic_init(&s->failed, 0);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->finished, NULL);

    int started = 0;
    pthread_mutex_lock(&s->mu);
    for (; started < jobs; started++) {
        s->running++;
        if (pthread_create(&threads[started], NULL, fs__worker, s) != 0) {
            s->running--;
            break;
        }
    }
    fs_errcode rc = FS_ERR_OK;
    if (started == 0) {
        rc = FS_ERR_NOMEM;
        fs_error_set(err, rc, "cannot start a thread: %s", strerror(errno));
    }
    /* Wait, reporting progress now and then (wall-clock time decides when,
     * never what is simulated). */
    while (s->running > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->finished, &s->mu, &until);
        if (d->progress && s->running > 0) {
            pthread_mutex_unlock(&s->mu);
            d->progress(d->progress_ctx, atomic_load(&s->done), atomic_load(&s->cut),
                        atomic_load(&s->not_ok));
            pthread_mutex_lock(&s->mu);
        }
    }
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);

    if (rc == FS_ERR_OK && s->rc != FS_ERR_OK) {
        rc = s->rc;
        *err = s->err;
    }
    x->n_kept = atomic_load(&s->cut);
    x->failure_found = x->n_kept < x->n_runs;
    for (uint64_t i = 0; i < x->n_kept; i++)
        x->n_done += x->recs[i].done;
    for (uint64_t i = x->n_kept; i < x->n_runs; i++)
        x->recs[i].done = 0; /* runs past the first failure: not reported */
    x->interrupted = x->n_done < x->n_kept;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->finished);
    free(s);
    if (rc != FS_ERR_OK)
        fs_explore_free(x);
    return rc;
}

void fs_explore_free(fs_explore *x)
{
    free(x->recs);
    x->recs = NULL;
}

/* ---- the figures ------------------------------------------------------------ */

static int fs__cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

fs_explore_dist fs_explore_dist_of(const int64_t *v, uint64_t n)
{
    FS_EXPECT(n > 0);
    /* The rank of pN is ceil(N * n / 100), from 1. */
#define FS__RANK(p) (v[((uint64_t)(p) * n + 99) / 100 - 1])
    return (fs_explore_dist){.min = v[0], .p50 = FS__RANK(50), .p90 = FS__RANK(90),
                             .p99 = FS__RANK(99), .max = v[n - 1]};
#undef FS__RANK
}

/* The smallest of 1, 2, 5 times a power of ten that is at least v. */
static int64_t fs__nice(int64_t v)
{
    for (int64_t p = 1;; p *= 10) {
        if (v <= p)
            return p;
        if (v <= 2 * p)
            return 2 * p;
        if (v <= 5 * p)
            return 5 * p;
        if (p > INT64_MAX / 100)
            return INT64_MAX / 2;
    }
}

/* About `about` bins of a round width over span ns from lo: sets the first
 * bin's start and the count, returns the width. */
static int64_t fs__bins(int64_t lo, int64_t span, int about, int64_t *bin_lo, int *n_bins)
{
    int64_t width = fs__nice(span / about + 1);
    *bin_lo = lo - lo % width;
    *n_bins = (int)((lo + span - *bin_lo) / width) + 1;
    return width;
}

/* Keeps list (n of at most cap, greatest first) the cap greatest by key;
 * ties keep the record met first (the lower seed: records come in order). */
static void fs__keep_worst(const fs_explore_rec *recs, uint64_t i, int64_t key,
                           uint64_t *list, int *n, int cap,
                           int64_t (*key_of)(const fs_explore_rec *))
{
    int at = *n;
    while (at > 0 && key_of(&recs[list[at - 1]]) < key)
        at--;
    if (at >= cap)
        return;
    int last = *n < cap ? *n : cap - 1;
    memmove(&list[at + 1], &list[at], (size_t)(last - at) * sizeof *list);
    list[at] = i;
    if (*n < cap)
        (*n)++;
}

static int64_t fs__end_of(const fs_explore_rec *r)
{
    return r->end_ns;
}

static int64_t fs__wait_of(const fs_explore_rec *r)
{
    return r->max_wait_ns;
}

bool fs_explore_summarize(const fs_explore *x, int exec, fs_explore_summary *out)
{
    memset(out, 0, sizeof *out);
    uint64_t n_exec = (uint64_t)x->desc->n_exec;
    uint64_t n = 0;
    for (uint64_t i = (uint64_t)exec; i < x->n_kept; i += n_exec)
        n += x->recs[i].done;
    out->runs = n;
    if (n == 0)
        return true;
    int64_t *v[3];
    for (int k = 0; k < 3; k++)
        v[k] = malloc((size_t)n * sizeof *v[k]);
    if (!v[0] || !v[1] || !v[2]) {
        for (int k = 0; k < 3; k++)
            free(v[k]);
        return false;
    }
    uint64_t m = 0;
    for (uint64_t i = (uint64_t)exec; i < x->n_kept; i += n_exec) {
        const fs_explore_rec *r = &x->recs[i];
        if (!r->done)
            continue;
        v[0][m] = r->end_ns;
        v[1][m] = r->max_wait_ns;
        v[2][m] = r->polls;
        m++;
        out->outcomes[r->outcome]++;
        if (r->fault_kinds) {
            out->fault_runs++;
            out->fault_not_ok += r->outcome != FS_OUTCOME_OK;
            for (int k = 0; k < FS_FAULT__COUNT; k++)
                out->fault_kind_runs[k] += (r->fault_kinds >> k) & 1;
        }
        if (r->outcome != FS_OUTCOME_OK && out->n_failing < FS_EXPLORE_FAILING)
            out->failing[out->n_failing++] = i;
        fs__keep_worst(x->recs, i, r->end_ns, out->worst_end, &out->n_worst_end,
                       FS_EXPLORE_WORST, fs__end_of);
        if (r->max_wait_ns > 0)
            fs__keep_worst(x->recs, i, r->max_wait_ns, out->worst_wait, &out->n_worst_wait,
                           FS_EXPLORE_WORST, fs__wait_of);
    }
    fs_explore_dist *dist[3] = {&out->end_ns, &out->max_wait_ns, &out->polls};
    for (int k = 0; k < 3; k++) {
        qsort(v[k], (size_t)n, sizeof *v[k], fs__cmp_i64);
        *dist[k] = fs_explore_dist_of(v[k], n);
        free(v[k]);
    }

    /* The histogram: about ten bins of a round width from below the least
     * end time to the greatest. */
    int64_t width = fs__bins(out->end_ns.min, out->end_ns.max - out->end_ns.min, 10,
                             &out->bin_lo, &out->n_bins);
    out->bin_width = width;
    FS_EXPECT(out->n_bins <= FS_EXPLORE_BINS);
    for (uint64_t i = (uint64_t)exec; i < x->n_kept; i += n_exec)
        if (x->recs[i].done)
            out->bins[(x->recs[i].end_ns - out->bin_lo) / width]++;
    return true;
}

void fs_explore_histogram(const fs_explore *x, fs_explore_hist *h)
{
    memset(h, 0, sizeof *h);
    uint64_t n_exec = (uint64_t)x->desc->n_exec;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (uint64_t i = 0; i < x->n_kept; i++)
        if (x->recs[i].done) {
            lo = x->recs[i].end_ns < lo ? x->recs[i].end_ns : lo;
            hi = x->recs[i].end_ns > hi ? x->recs[i].end_ns : hi;
        }
    if (lo > hi)
        return;
    /* every run ending at one time: bins of a width that reads on an axis,
     * not 1 ns */
    int64_t span = hi > lo ? hi - lo : hi / 100;
    h->width = fs__bins(lo, span, FS_EXPLORE_PLOT_BINS, &h->lo, &h->n_bins);
    FS_EXPECT(h->n_bins <= FS_EXPLORE_PLOT_MAX_BINS);
    for (uint64_t i = 0; i < x->n_kept; i++) {
        const fs_explore_rec *r = &x->recs[i];
        if (r->done)
            h->counts[i % n_exec][(r->end_ns - h->lo) / h->width][r->outcome]++;
    }
}
