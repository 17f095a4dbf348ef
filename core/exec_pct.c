/* exec_pct.c - --schedule pct:D, probabilistic concurrency testing
 * (Burckhardt, Kothari, Musuvathi and Nagarakatte, "A Randomized Scheduler
 * with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), for the
 * wake executor.
 *
 * Every task gets a random priority when it is spawned; D-1 change points
 * are drawn among the steps 1..k of the run, k being the caller's estimate
 * of how many steps (turns of the ready queue) the run takes. Each step
 * polls the ready task of highest priority; at a change point, before the
 * pick, the task that ran last drops below every other. A bug that needs
 * D orderings to line up (depth D) is then hit with probability at least
 * 1/(n k^(D-1)) per run for n tasks, where a uniform pick per turn can do
 * exponentially worse on long runs.
 *
 * The draws come from a stream of its own seeded by the run's seed, apart
 * from the workload's counter-based draws: the same seed, D and k give the
 * same schedule, and every executor the same workload.
 *
 * Priorities: a task's is its random draw in the high bits and its id in
 * the low 32, so no two tasks tie (and the order is still uniform); the
 * change points give -1, -2, ...: each lower than every priority before. */
#include "exec_common.h"

#include <stdlib.h>

struct fs__pct {
    fs_prng prng;
    int64_t *prio;          /* by task id */
    size_t cap;
    int64_t step;           /* steps taken */
    int64_t low;            /* the last priority a change point gave */
    int64_t last;           /* the task taken at the previous step, -1 before the first */
    int n_change, next;     /* change points, and the next one to come */
    int64_t change[];       /* ascending, distinct, in 1..k */
};

fs__pct *fs__pct_create(uint64_t seed, int depth, int64_t steps)
{
    int n = depth > 1 ? depth - 1 : 0;
    if (steps < 1)
        steps = 1;
    if (n > steps)
        n = (int)steps; /* more change points than steps: every step is one */
    fs__pct *p = calloc(1, sizeof *p + (size_t)n * sizeof p->change[0]);
    if (!p)
        return NULL;
    fs_prng_seed(&p->prng, seed ^ 0x504354ULL); /* "PCT" */
    p->last = -1;
    p->n_change = n;
    /* D-1 distinct steps, uniform in 1..k, kept sorted (D is small). */
    for (int i = 0; i < n; i++) {
        int64_t c;
        bool again;
        do {
            c = fs_prng_range(&p->prng, 1, steps);
            again = false;
            for (int j = 0; j < i; j++)
                again = again || p->change[j] == c;
        } while (again);
        int at = i;
        while (at > 0 && p->change[at - 1] > c) {
            p->change[at] = p->change[at - 1];
            at--;
        }
        p->change[at] = c;
    }
    return p;
}

void fs__pct_free(fs__pct *p)
{
    if (!p)
        return;
    free(p->prio);
    free(p);
}

bool fs__pct_spawn(fs__pct *p, uint32_t id)
{
    if (id >= p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        while (cap <= id)
            cap *= 2;
        int64_t *np = realloc(p->prio, cap * sizeof *np);
        if (!np)
            return false;
        p->prio = np;
        p->cap = cap;
    }
    p->prio[id] = (int64_t)(((fs_prng_next(&p->prng) >> 33) << 32) | id);
    return true;
}

size_t fs__pct_pick(fs__pct *p, const fs__ring *ready)
{
    FS_EXPECT(ready->len > 0);
    p->step++;
    while (p->next < p->n_change && p->change[p->next] <= p->step) {
        if (p->last >= 0)
            p->prio[p->last] = --p->low;
        p->next++;
    }
    size_t best = 0;
    int64_t top = p->prio[fs__ring_at(ready, 0)];
    for (size_t i = 1; i < ready->len; i++) {
        int64_t v = p->prio[fs__ring_at(ready, i)];
        if (v > top) {
            top = v;
            best = i;
        }
    }
    p->last = fs__ring_at(ready, best);
    return best;
}
