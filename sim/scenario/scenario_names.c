/* scenario_names.c - the names of spawned tasks (docs/scenarios.md, Names).
 *
 * A spawned task is named by its spawn path, as its random draws are keyed:
 * its parent's name, "/", the spawn's name, and "#i" for the iteration of
 * a loop it is in (a join_set's members always): "conn#2/handler#0". The
 * parent's name is unique, so the child's is unique as long as no two
 * spawns in one task's future make the same name: the loader renames the
 * later of two such spawns "name.2" ("name.3", ...), in document order, so
 * every task has one name under every executor. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json_names.h"

/* ---- the spawns of one task's future --------------------------------------- */

static bool is_site(const fs_future_spec *f)
{
    return f->kind == FS_FUT_SPAWN || f->kind == FS_FUT_JOIN_SET;
}

/* Its names are numbered: name#i. */
static bool numbered(const fs_future_spec *f)
{
    return f->kind == FS_FUT_JOIN_SET || f->in_repeat;
}

/* The spawns of f's task (not those of the tasks they spawn), in document
 * order, into out (NULL: only counted). */
static size_t gather_sites(fs_future_spec *f, fs_future_spec **out, size_t n)
{
    if (is_site(f)) {
        if (out)
            out[n] = f;
        return n + 1;
    }
    for (size_t i = 0; i < f->n_children; i++)
        n = gather_sites(&f->children[i], out, n);
    return n;
}

/* The length of s without a trailing "#digits" (s when it has none). */
static size_t unnumbered_len(const char *s)
{
    const char *hash = strrchr(s, '#');
    if (!hash || !hash[1] || strspn(hash + 1, "0123456789") != strlen(hash + 1))
        return strlen(s);
    return (size_t)(hash - s);
}

typedef struct fs__names {
    fs_json_names plain;    /* every name given so far */
    fs_json_names counted;  /* numbered spawns: the names before "#i" */
    fs_json_names hashed;   /* spawns named "x#k" outright: their x */
    char *bases;            /* the hashed x's, NUL-separated (the index keeps pointers) */
    size_t used;
} fs__names;

/* Would a spawn named `name` (numbered or not) make a name another has made? */
static bool taken(const fs__names *ix, const char *name, bool num)
{
    if (fs_json_names_find(&ix->plain, name) != SIZE_MAX)
        return true;
    if (num) /* name#i against a spawn named name#k outright */
        return fs_json_names_find(&ix->hashed, name) != SIZE_MAX;
    size_t n = unnumbered_len(name);
    if (n == strlen(name))
        return false;
    char base[FS_MAX_NAME + 24];
    snprintf(base, sizeof base, "%.*s", (int)n, name);
    return fs_json_names_find(&ix->counted, base) != SIZE_MAX;
}

/* Names the spawns of one task's future; then the futures they spawn. */
static fs_errcode name_task(fs_future_spec *root, fs_arena *a)
{
    size_t n = gather_sites(root, NULL, 0);
    if (!n)
        return FS_ERR_OK;
    fs_future_spec **sites = malloc(n * sizeof *sites);
    fs__names ix = {0};
    char buf[FS_MAX_NAME + 24];
    fs_errcode rc = FS_ERR_NOMEM;
    if (!sites || fs_json_names_init(&ix.plain, n) || fs_json_names_init(&ix.counted, n) ||
        fs_json_names_init(&ix.hashed, n) || !(ix.bases = malloc(n * (FS_MAX_NAME + 24))))
        goto done;
    gather_sites(root, sites, 0);
    for (size_t i = 0; i < n; i++) {
        fs_future_spec *f = sites[i];
        bool num = numbered(f);
        const char *name = f->spawn_name;
        for (unsigned k = 2; taken(&ix, name, num); k++) {
            snprintf(buf, sizeof buf, "%s.%u", f->spawn_name, k);
            name = buf;
        }
        if (name != f->spawn_name && !(f->spawn_name = fs_arena_strdup(a, name)))
            goto done;
        fs_json_names_add(&ix.plain, f->spawn_name, i);
        size_t un = unnumbered_len(f->spawn_name);
        if (num) {
            fs_json_names_add(&ix.counted, f->spawn_name, i);
        } else if (un < strlen(f->spawn_name)) {
            char *x = ix.bases + ix.used;
            memcpy(x, f->spawn_name, un);
            x[un] = '\0';
            ix.used += un + 1;
            fs_json_names_add(&ix.hashed, x, i);
        }
    }
    rc = FS_ERR_OK;
    for (size_t i = 0; i < n && rc == FS_ERR_OK; i++)
        rc = name_task(&sites[i]->children[0], a);
done:
    free(sites);
    free(ix.bases);
    fs_json_names_destroy(&ix.plain);
    fs_json_names_destroy(&ix.counted);
    fs_json_names_destroy(&ix.hashed);
    return rc;
}

fs_errcode fs_scenario_name_spawns(fs_scenario *sc)
{
    for (size_t i = 0; i < sc->n_tasks; i++) {
        fs_errcode rc = name_task(&sc->tasks[i].future, sc->arena);
        if (rc != FS_ERR_OK)
            return rc;
    }
    return FS_ERR_OK;
}

/* ---- which tasks a name stands for ---------------------------------------- */

/* Does `rest` read "", ".j", "#i" or ".j#i" (digits)? */
static bool numbers_only(const char *rest)
{
    if (*rest == '.' && rest[1] >= '0' && rest[1] <= '9')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++) {
        }
    if (*rest == '#' && rest[1] >= '0' && rest[1] <= '9')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++) {
        }
    return *rest == '\0';
}

bool fs_scenario_name_covers(const char *name, const char *want)
{
    if (!strchr(want, '/')) { /* a spawn's name: wherever it was spawned */
        const char *slash = strrchr(name, '/');
        if (slash)
            name = slash + 1;
    }
    size_t n = strlen(want);
    return strncmp(name, want, n) == 0 && numbers_only(name + n);
}
