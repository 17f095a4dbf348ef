/* worker_items.c - what runs on each worker, sorted and grouped for the
 * exports (worker_items.h). */
#include "worker_items.h"

#include <stdlib.h>

static int fs__witem_cmp(const void *a, const void *b)
{
    const fs_witem *x = a, *y = b;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;   /* longer first: it encloses */
    if (x->task != y->task)
        return x->task < y->task ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

fs_errcode fs_witems_collect(const fs_trace *tr, fs_witem **items, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < tr->n_tasks; i++)
        count += tr->tasks[i].n_slices;
    for (int w = 0; w < tr->workers; w++)
        count += tr->workers_v[w].n_parks;
    *items = NULL;
    *n = 0;
    if (!count)
        return FS_ERR_OK;
    fs_witem *it = malloc(count * sizeof *it);
    if (!it)
        return FS_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < tr->n_tasks; i++)
        for (size_t j = 0; j < tr->tasks[i].n_slices; j++) {
            const fs_trace_slice *s = &tr->tasks[i].slices[j];
            it[k++] = (fs_witem){s->t, s->end, s->worker, (int32_t)i, j};
        }
    for (int w = 0; w < tr->workers; w++)
        for (size_t j = 0; j < tr->workers_v[w].n_parks; j++) {
            const fs_trace_span *p = &tr->workers_v[w].parks[j];
            it[k++] = (fs_witem){p->t, p->end, w, -1, j};
        }
    qsort(it, count, sizeof *it, fs__witem_cmp);
    *items = it;
    *n = count;
    return FS_ERR_OK;
}

bool fs_witem_is_spin(const fs_trace *tr, const fs_witem *it)
{
    return it->task >= 0 && tr->tasks[it->task].slices[it->index].kind == FS_SLICE_SPIN;
}

size_t fs_witem_group(const fs_witem *items, size_t n, size_t a, int64_t *end)
{
    int64_t e = items[a].end;
    size_t b = a + 1;
    while (b < n && items[b].worker == items[a].worker && items[b].t < e) {
        if (items[b].end > e)
            e = items[b].end;
        b++;
    }
    *end = e;
    return b;
}

bool fs_witem_encloses(const fs_trace *tr, const fs_witem *g, size_t n)
{
    bool encloses = !fs_witem_is_spin(tr, &g[0]);
    for (size_t i = 1; i < n && encloses; i++)
        encloses = g[i].end <= g[0].end && !fs_witem_is_spin(tr, &g[i]);
    return encloses;
}
