/* trace_ids.c - every task's stable id (fs_trace_task.sid), the same under
 * every executor: the id a trace gives a task is its spawn order, which
 * differs between executors as soon as tasks spawn others.
 *
 * The stable id numbers the tasks level by level of the spawn tree: first
 * the scenario's own tasks in file order (spawned at time 0 in that order,
 * so their stable ids are their trace ids), then the tasks they spawned,
 * ordered by their parent's stable id and then by name, numbers compared as
 * numbers ("h#2" before "h#10"), then the tasks those spawned, and so on.
 * Names are spawn paths, the same under every executor, so a run that
 * spawns the same tasks gives each the same stable id. */
#include <stdlib.h>
#include <string.h>

#include "trace_reader.h"

/* Compares a and b with runs of digits as numbers: "h#2" < "h#10". */
static int fs__natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = strncmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* A task of one level, for sorting: the scenario's tasks (top) by their
 * trace id, the others by their parent's stable id, then by name. */
typedef struct fs__sid_key {
    uint32_t top;              /* 0: a scenario task, 1: a spawned one */
    uint32_t parent_sid;
    const char *name;
    uint32_t id;
} fs__sid_key;

static int fs__sid_cmp(const void *pa, const void *pb)
{
    const fs__sid_key *a = pa, *b = pb;
    if (a->top != b->top)
        return a->top < b->top ? -1 : 1;
    if (a->top && a->parent_sid != b->parent_sid)
        return a->parent_sid < b->parent_sid ? -1 : 1;
    int c = a->top ? fs__natural_cmp(a->name, b->name) : 0;
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

bool fs_stable_ids(size_t n, const int64_t *parent, const char *const *name, uint32_t *sid)
{
    if (n == 0)
        return true;
    uint32_t *depth = malloc(n * sizeof *depth);
    fs__sid_key *keys = malloc(n * sizeof *keys);
    if (!depth || !keys) {
        free(depth);
        free(keys);
        return false;
    }
    /* a parent was spawned before its child, so its depth is known (a
     * parent that is not, in a damaged trace, counts as none) */
    uint32_t levels = 1;
    for (size_t i = 0; i < n; i++) {
        int64_t p = parent[i];
        depth[i] = p >= 0 && (size_t)p < i ? depth[p] + 1 : 0;
        if (depth[i] + 1 > levels)
            levels = depth[i] + 1;
    }
    /* level by level: a level's order needs its parents' stable ids */
    uint32_t next = 0;
    for (uint32_t d = 0; d < levels; d++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (depth[i] != d)
                continue;
            keys[k++] = (fs__sid_key){.top = d > 0, .parent_sid = d > 0 ? sid[parent[i]] : 0,
                                      .name = name[i], .id = (uint32_t)i};
        }
        qsort(keys, k, sizeof *keys, fs__sid_cmp);
        for (size_t i = 0; i < k; i++)
            sid[keys[i].id] = next++;
    }
    free(depth);
    free(keys);
    return true;
}

bool fs__trace_stable_ids(fs_trace *tr)
{
    size_t n = tr->n_tasks;
    if (n == 0)
        return true;
    int64_t *parent = malloc(n * sizeof *parent);
    const char **name = malloc(n * sizeof *name);
    uint32_t *sid = malloc(n * sizeof *sid);
    bool ok = parent && name && sid;
    for (size_t i = 0; ok && i < n; i++) {
        parent[i] = tr->tasks[i].parent;
        name[i] = fs_trace_str(tr, tr->tasks[i].name);
    }
    ok = ok && fs_stable_ids(n, parent, name, sid);
    for (size_t i = 0; ok && i < n; i++)
        tr->tasks[i].sid = sid[i];
    free(parent);
    free(name);
    free(sid);
    return ok;
}
