/* scenario_shapes.c - task entries of one shape share one tree (scenario.h,
 * fs_task_spec): the loader builds each entry's tree, and when an earlier
 * entry's is the same but for the resources its specs name (their labels,
 * the positions in the file), gives the new one back to the arena and keeps
 * only the entry's root and its uses. W3 at 100,000 tasks: two trees, not
 * 100,000 (issue 17). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "prng.h"
#include "scenario.h"

struct fs_scenario_shapes {
    int32_t *slots; /* open addressing by shape hash: an entry index, -1 free */
    uint64_t *hashes;
    size_t cap, used;
};

static uint64_t fs__str_hash(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL; /* FNV-1a */
    return h;
}

/* Specs of a tree the hash reads, in document order: enough to tell shapes
 * apart (fs__same compares the rest), and W2's one join of 100,000 sleeps is
 * not read whole for an index no other entry looks up. */
#define FS__HASH_SPECS 64

/* What a spec of the shape is, its resource and its label left out when it
 * names one (they are the entry's uses), its resource's kind kept; *budget
 * counts the specs still to read. */
static uint64_t fs__hash(const fs_scenario *sc, const fs_future_spec *f, uint64_t h, int *budget)
{
    if (--*budget < 0)
        return h;
    h = fs_rand_key(h, (uint64_t)f->kind << 32 | f->n_children);
    h = fs_rand_key(h, f->resource < 0 ? 0 : 1 + (uint64_t)sc->resources[f->resource].kind);
    h = fs_rand_key(h, (uint64_t)f->dur.kind << 60 ^ (uint64_t)f->dur.a_ms);
    h = fs_rand_key(h, (uint64_t)f->dur.b_ms ^ (uint64_t)f->repeat << 20 ^ (uint64_t)f->value);
    if (f->resource < 0)
        h = fs__str_hash(h, f->label);
    for (size_t i = 0; i < f->n_children && *budget > 0; i++)
        h = fs__hash(sc, &f->children[i], h, budget);
    return h;
}

static bool fs__same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Equal but for resources (of one kind), their specs' labels and positions
 * in the file. Spawns are never shared (their futures hold senders of their
 * own), so `sends` is only ever the roots'. */
static bool fs__same(const fs_scenario *sc, const fs_future_spec *a, const fs_future_spec *b)
{
    if (a->kind != b->kind || a->n_children != b->n_children || (a->resource < 0) != (b->resource < 0) ||
        a->dur.kind != b->dur.kind || a->dur.a_ms != b->dur.a_ms || a->dur.b_ms != b->dur.b_ms ||
        a->repeat != b->repeat || a->value != b->value || a->spawn_await != b->spawn_await ||
        a->has_value != b->has_value || a->forget_waker != b->forget_waker ||
        a->in_repeat != b->in_repeat || a->place != b->place ||
        a->spurious_wakes != b->spurious_wakes || !fs__same_str(a->spawn_name, b->spawn_name) ||
        (a->take == NULL) != (b->take == NULL) || (a->take && memcmp(a->take, b->take, sizeof *a->take)))
        return false;
    if (a->resource >= 0 ? sc->resources[a->resource].kind != sc->resources[b->resource].kind
                         : !fs__same_str(a->label, b->label))
        return false;
    for (size_t i = 0; i < a->n_children; i++)
        if (!fs__same(sc, &a->children[i], &b->children[i]))
            return false;
    return true;
}

/* The specs with a resource in f's tree (its uses), and whether it holds a
 * spawn: one walk. */
static size_t fs__count_uses(const fs_future_spec *f, bool *spawn)
{
    size_t n = f->resource >= 0;
    *spawn |= f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_JOIN_SET;
    for (size_t i = 0; i < f->n_children; i++)
        n += fs__count_uses(&f->children[i], spawn);
    return n;
}

static void fs__gather_uses(const fs_future_spec *f, fs_task_use *out, uint32_t *n)
{
    if (f->resource >= 0)
        out[(*n)++] = (fs_task_use){f->resource, f->label};
    for (size_t i = 0; i < f->n_children; i++)
        fs__gather_uses(&f->children[i], out, n);
}

static bool fs__grow(fs_scenario_shapes *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    int32_t *slots = malloc(cap * sizeof *slots);
    uint64_t *hashes = malloc(cap * sizeof *hashes);
    if (!slots || !hashes) {
        free(slots);
        free(hashes);
        return false;
    }
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t k = 0; k < ix->cap; k++) {
        if (ix->slots[k] < 0)
            continue;
        size_t j = ix->hashes[k] & (cap - 1);
        while (slots[j] >= 0)
            j = (j + 1) & (cap - 1);
        slots[j] = ix->slots[k];
        hashes[j] = ix->hashes[k];
    }
    free(ix->slots);
    free(ix->hashes);
    ix->slots = slots;
    ix->hashes = hashes;
    ix->cap = cap;
    return true;
}

/* The entry shares first's tree: its own (the root's sends, the uses and
 * their labels) is copied out, the arena rewound to the mark (its tree
 * given back), and its own copied in again. */
static fs_errcode fs__share(fs_scenario *sc, fs_task_spec *t, const fs_task_spec *first,
                            const fs_task_use *uses, const struct fs_arena_mark *mark)
{
    fs_future_spec own = t->future;
    uint32_t n = t->n_uses;
    size_t text = 0;
    for (uint32_t k = 0; k < n; k++)
        text += uses[k].label ? strlen(uses[k].label) + 1 : 0;
    size_t sends_size = own.n_sends * sizeof(int32_t), uses_size = n * sizeof(fs_task_use);
    char *keep = malloc(sends_size + uses_size + text + 1);
    if (!keep)
        return FS_ERR_NOMEM;
    fs_task_use *saved = (fs_task_use *)keep; /* uses first: aligned */
    if (n)
        memcpy(saved, uses, uses_size);
    if (own.n_sends)
        memcpy(keep + uses_size, own.sends, sends_size);
    char *at = keep + uses_size + sends_size;
    for (uint32_t k = 0; k < n; k++) {
        if (saved[k].label) {
            size_t len = strlen(saved[k].label) + 1;
            memcpy(at, saved[k].label, len);
            at += len;
        }
    }
    fs_arena_rewind(sc->arena, mark);
    fs_errcode rc = FS_ERR_NOMEM;
    int32_t *sends = own.n_sends ? fs_arena_alloc(sc->arena, sends_size) : NULL;
    fs_task_use *kept = n ? fs_arena_alloc(sc->arena, uses_size) : NULL;
    if ((own.n_sends && !sends) || (n && !kept))
        goto done;
    if (own.n_sends)
        memcpy(sends, keep + uses_size, sends_size);
    at = keep + uses_size + sends_size;
    for (uint32_t k = 0; k < n; k++) {
        kept[k].resource = saved[k].resource;
        if (saved[k].label) {
            size_t len = strlen(at);
            if (!(kept[k].label = fs_arena_strndup(sc->arena, at, len)))
                goto done;
            at += len + 1;
        }
    }
    /* the first entry's root, with what is the entry's own */
    t->future = first->future;
    t->future.pos = own.pos;
    t->future.sends = sends;
    t->future.n_sends = own.n_sends;
    if (own.resource >= 0) { /* the root names a resource: the first use */
        t->future.resource = kept[0].resource;
        t->future.label = kept[0].label;
    }
    t->uses = kept;
    t->shape = (int32_t)(first - sc->tasks);
    rc = FS_ERR_OK;
done:
    free(keep);
    return rc;
}

fs_errcode fs_scenario_share_shape(fs_scenario_shapes **ixp, fs_scenario *sc, size_t i,
                                   const struct fs_arena_mark *mark)
{
    fs_task_spec *t = &sc->tasks[i];
    t->shape = -1;
    bool spawn = false;
    size_t n = fs__count_uses(&t->future, &spawn);
    fs_task_use *uses = n ? fs_arena_alloc(sc->arena, n * sizeof *uses) : NULL;
    if (n && !uses)
        return FS_ERR_NOMEM;
    if (n)
        fs__gather_uses(&t->future, uses, &t->n_uses);
    t->uses = uses;
    if (spawn)
        return FS_ERR_OK;
    if (!*ixp && !(*ixp = calloc(1, sizeof **ixp)))
        return FS_ERR_NOMEM;
    fs_scenario_shapes *ix = *ixp;
    if (2 * (ix->used + 1) > ix->cap && !fs__grow(ix))
        return FS_ERR_NOMEM;
    int budget = FS__HASH_SPECS;
    uint64_t h = fs__hash(sc, &t->future, 0, &budget);
    size_t k = h & (ix->cap - 1);
    for (; ix->slots[k] >= 0; k = (k + 1) & (ix->cap - 1)) {
        const fs_task_spec *first = &sc->tasks[ix->slots[k]];
        if (ix->hashes[k] == h && fs__same(sc, &first->future, &t->future))
            return fs__share(sc, t, first, uses, mark);
    }
    ix->slots[k] = (int32_t)i; /* a new shape: its tree is kept */
    ix->hashes[k] = h;
    ix->used++;
    return FS_ERR_OK;
}

void fs_scenario_shapes_free(fs_scenario_shapes *ix)
{
    if (ix) {
        free(ix->slots);
        free(ix->hashes);
    }
    free(ix);
}
