/* program.c - compiling task entries' futures into shared programs
 * (program.h): which forms the compiler takes, and interning the programs
 * by shape, so that tasks equal but for their channels share one. */
#include "program.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "prng.h"

/* One leaf into op; false if the compiler does not take it. */
static bool fs__leaf(const fs_scenario *sc, const fs_future_spec *s, fs_prog_op *op,
                     uint32_t *n_params)
{
    if (s->forget_waker || s->spurious_wakes)
        return false; /* fault options: the interpreter's waker rule */
    *op = (fs_prog_op){.param = -1, .place = s->place, .label = s->label};
    switch (s->kind) {
    case FS_FUT_SLEEP: op->kind = FS_OP_SLEEP; op->dur = s->dur; return true;
    case FS_FUT_COMPUTE: op->kind = FS_OP_COMPUTE; op->dur = s->dur; return true;
    case FS_FUT_YIELD: op->kind = FS_OP_YIELD; return true;
    case FS_FUT_SEND:
    case FS_FUT_RECV:
        if (sc->resources[s->resource].kind != FS_RES_CHANNEL)
            return false; /* a oneshot */
        op->kind = s->kind == FS_FUT_SEND ? FS_OP_SEND : FS_OP_RECV;
        op->param = (int32_t)(*n_params)++;
        op->has_value = s->kind == FS_FUT_SEND && s->has_value;
        op->value = op->has_value ? s->value : 0;
        op->label = NULL; /* the task's own: it names the channel */
        return true;
    default: return false;
    }
}

/* The program of root into g (room for FS_PROG_MAX_OPS ops); false if the
 * compiler does not take its form. */
static bool fs__compile(const fs_scenario *sc, const fs_future_spec *root, fs_program *g)
{
    const fs_future_spec *body = root;
    *g = (fs_program){0};
    if (root->kind == FS_FUT_REPEAT) {
        if (root->repeat < 1 || root->dur.kind != FS_DUR_FIXED)
            return false; /* no iteration, or a random count: interpreted */
        g->repeat = root->repeat;
        body = &root->children[0];
    }
    const fs_future_spec *leaves = body;
    g->n_ops = 1;
    if (body->kind == FS_FUT_SEQ) {
        if (body->n_children < 1 || body->n_children > FS_PROG_MAX_OPS)
            return false;
        g->seq = true;
        leaves = body->children;
        g->n_ops = (uint32_t)body->n_children;
    }
    for (uint32_t i = 0; i < g->n_ops; i++)
        if (!fs__leaf(sc, &leaves[i], &g->ops[i], &g->n_params))
            return false;
    return true;
}

static uint64_t fs__mix(uint64_t h, uint64_t v)
{
    return fs_rand_key(h, v);
}

static uint64_t fs__label_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static uint64_t fs__hash(const fs_program *g)
{
    uint64_t h = fs__mix(fs__mix((uint64_t)g->repeat, g->seq), g->n_ops);
    for (uint32_t i = 0; i < g->n_ops; i++) {
        const fs_prog_op *o = &g->ops[i];
        h = fs__mix(h, (uint64_t)o->kind << 32 | o->place);
        h = fs__mix(h, (uint64_t)o->value ^ (uint64_t)o->has_value << 63);
        h = fs__mix(h, (uint64_t)o->dur.kind << 60 ^ (uint64_t)o->dur.a_ms);
        h = fs__mix(h, (uint64_t)o->dur.b_ms);
        h = fs__mix(h, fs__label_hash(o->label));
    }
    return h;
}

static bool fs__same_op(const fs_prog_op *a, const fs_prog_op *b)
{
    return a->kind == b->kind && a->param == b->param && a->place == b->place &&
           a->has_value == b->has_value && a->value == b->value && a->dur.kind == b->dur.kind &&
           a->dur.a_ms == b->dur.a_ms && a->dur.b_ms == b->dur.b_ms &&
           (a->label == b->label || (a->label && b->label && strcmp(a->label, b->label) == 0));
}

static bool fs__same(const fs_program *a, const fs_program *b)
{
    if (a->hash != b->hash || a->repeat != b->repeat || a->seq != b->seq || a->n_ops != b->n_ops)
        return false;
    for (uint32_t i = 0; i < a->n_ops; i++)
        if (!fs__same_op(&a->ops[i], &b->ops[i]))
            return false;
    return true;
}

bool fs_programs_build(fs_programs *ps, const fs_scenario *sc, fs_arena *arena)
{
    *ps = (fs_programs){0};
    if (!sc->n_tasks)
        return true;
    ps->by_entry = calloc(sc->n_tasks, sizeof *ps->by_entry);
    /* the interning table: open addressing, at most half full */
    size_t cap = 16;
    while (cap < 2 * sc->n_tasks)
        cap *= 2;
    const fs_program **table = calloc(cap, sizeof *table);
    fs_program *g = malloc(sizeof *g + FS_PROG_MAX_OPS * sizeof g->ops[0]); /* each entry's */
    if (!ps->by_entry || !table || !g)
        goto fail;
    for (size_t i = 0; i < sc->n_tasks; i++) {
        if (!fs__compile(sc, &sc->tasks[i].future, g))
            continue;
        g->hash = fs__hash(g);
        size_t k = g->hash & (cap - 1);
        while (table[k] && !fs__same(table[k], g))
            k = (k + 1) & (cap - 1);
        if (!table[k]) { /* a new shape */
            size_t size = sizeof *g + g->n_ops * sizeof g->ops[0];
            fs_program *kept = fs_arena_alloc(arena, size);
            if (!kept)
                goto fail;
            memcpy(kept, g, size);
            table[k] = kept;
            ps->n_programs++;
        }
        ps->by_entry[i] = table[k];
    }
    free(g);
    free(table);
    return true;
fail:
    free(g);
    free(table);
    fs_programs_destroy(ps);
    return false;
}

void fs_programs_destroy(fs_programs *ps)
{
    free(ps->by_entry);
    *ps = (fs_programs){0};
}
