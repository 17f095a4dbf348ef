/* order.c - the order of task lanes within each band (key o): by spawn,
 * by end time, by longest wake latency, by polls. Only task rows move:
 * devices, workers and the blocking pool's threads stay below them. A
 * group takes the place of the member of its own that sorts first (its
 * earliest spawn or end, its longest latency, its most polls), and an open
 * group lists its members in the same order. Ties keep spawn order. */
#include <stdlib.h>

#include "viewer.h"

const char *fs_viz_order_name(int order)
{
    static const char *names[FS_ORDER_N] = {"spawn", "end time", "longest wake latency", "polls"};
    return order >= 0 && order < FS_ORDER_N ? names[order] : "spawn";
}

/* The longest wait from a wake to the poll it led to (0 when never woken),
 * as the task's detail reports it. */
static int64_t fs__max_wake_latency(const fs_trace *tr, const fs_trace_task *task)
{
    int64_t most = 0;
    for (size_t j = 0; j < task->n_wakes; j++) {
        const fs_trace_wake *w = &tr->wakes[task->wakes[j]];
        if (w->stale || w->caused < 0)
            continue;
        int64_t lat = task->slices[w->caused].t - w->t;
        most = lat > most ? lat : most;
    }
    return most;
}

/* A task's key: smaller sorts first. Unfinished tasks end last. */
static int64_t fs__key(const fs_trace *tr, uint32_t k, int order)
{
    const fs_trace_task *t = &tr->tasks[k];
    switch (order) {
    case FS_ORDER_END:
        return t->complete_t >= 0 ? t->complete_t : INT64_MAX;
    case FS_ORDER_WAKE_LATENCY:
        return -fs__max_wake_latency(tr, t);
    case FS_ORDER_POLLS:
        return -t->cum[t->n_slices].polls;
    default:
        return 0;
    }
}

typedef struct fs__sorted {
    int64_t key;
    uint32_t task;   /* the task, or a group's first member in this order: the tie-break */
    fs_viz_row row;
} fs__sorted;

static int fs__cmp(const void *pa, const void *pb)
{
    const fs__sorted *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->task > b->task) - (a->task < b->task);
}

bool fs_viz_viewer_sort_lanes(fs_viz_viewer *v, int order)
{
    size_t most = 1;
    for (size_t b = 0; b < v->n_traces; b++)
        most = v->traces[b]->n_tasks + 1 > most ? v->traces[b]->n_tasks + 1 : most;
    int64_t *key = malloc(most * sizeof *key);
    fs__sorted *s = malloc(most * sizeof *s);
    if (!key || !s) {
        free(key);
        free(s);
        return false;
    }
    for (size_t b = 0; b < v->n_traces; b++) {
        const fs_trace *tr = v->traces[b];
        for (uint32_t k = 0; k < tr->n_tasks; k++)
            key[k] = fs__key(tr, k, order);
        /* each open or closed group's members, then the band's task rows */
        for (size_t g = 0; g < v->n_groups; g++) {
            fs_viz_group *gr = &v->groups[g];
            if (gr->trace != (int)b || gr->kind != FS_LANE_TASK)
                continue;
            for (size_t i = 0; i < gr->n; i++)
                s[i] = (fs__sorted){key[gr->members[i]], gr->members[i], {0}};
            qsort(s, gr->n, sizeof *s, fs__cmp);
            for (size_t i = 0; i < gr->n; i++)
                gr->order[i] = s[i].task;
        }
        fs_viz_row *rows = v->rows + v->bands[b].first_row;
        size_t n = 0;  /* task rows come first in a band */
        while (n < v->bands[b].n_rows && rows[n].kind == FS_LANE_TASK)
            n++;
        for (size_t r = 0; r < n; r++) {
            uint32_t t = rows[r].group ? v->groups[rows[r].index].order[0] : (uint32_t)rows[r].index;
            s[r] = (fs__sorted){key[t], t, rows[r]};
        }
        qsort(s, n, sizeof *s, fs__cmp);
        for (size_t r = 0; r < n; r++)
            rows[r] = s[r].row;
    }
    free(key);
    free(s);
    v->lane_order = (uint8_t)order;
    v->layout_gen++;
    v->dirty = true;
    return true;
}
