/* explore_merge.c - shard reports read back into one sweep's records.
 *
 * Every shard's --json holds a record per run (FS_EXPLORE_RECORD_FIELDS),
 * so the merge needs nothing else of the runs: the records of all shards,
 * sorted by (seed, executor), are what one run over the whole range keeps,
 * and every figure of the report (exact percentiles included) is computed
 * from them as it would have been. What the report prints beside them
 * (the scenario's name and path, the replay options, the executors) must
 * be the same in every shard, or the shards are not of one sweep. */
#include "explore_merge.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "file_text.h"
#include "json_pos.h"
#include "json_read.h"

/* ---- one report ----------------------------------------------------------- */

typedef struct fs__merge {
    fs_explore_merged *m;
    fs_json_reader rd;
    size_t cap;                 /* of m->x.recs */
    uint64_t shard_count;       /* 0 until the first report */
    uint8_t *seen;              /* by shard index */
} fs__merge;

static const fs_json_node *fs__need(fs__merge *g, const fs_json_node *obj, const char *key,
                                    fs_errcode *rc)
{
    const fs_json_node *n = fs_jr_member(obj, key);
    if (!n)
        *rc = fs_jr_fail(&g->rd, obj, "not an explore --json report: no \"%s\"", key);
    return n;
}

static fs_errcode fs__string(fs__merge *g, const fs_json_node *n, const char **out)
{
    if (!fs_json_is_string(n))
        return fs_jr_fail(&g->rd, n, "expected a string, got %s", fs_json_type_name(n));
    *out = n->valuestring;
    return FS_ERR_OK;
}

/* A string that must be what the first report said (kept in *kept, copied). */
static fs_errcode fs__same_string(fs__merge *g, const fs_json_node *obj, const char *key,
                                  char **kept)
{
    fs_errcode rc = FS_ERR_OK;
    const fs_json_node *n = fs__need(g, obj, key, &rc);
    const char *s = NULL;
    if (!n)
        return rc;
    size_t at = fs_jr_path_key(&g->rd, key);
    FS_JR_TRY(fs__string(g, n, &s));
    if (!*kept) {
        if (!(*kept = strdup(s)))
            return fs_jr_nomem(&g->rd);
    } else if (strcmp(*kept, s) != 0) {
        char a[80], b[80];
        return fs_jr_fail(&g->rd, n, "a shard of another sweep: %s, where the first report has %s",
                          fs_json_quote(s, a, sizeof a), fs_json_quote(*kept, b, sizeof b));
    }
    fs_jr_path_pop(&g->rd, at);
    return FS_ERR_OK;
}

static fs_errcode fs__int(fs__merge *g, const fs_json_node *n, const char *what, int64_t hi,
                          int64_t *out)
{
    fs_json_range r = {.what = what, .noun = what, .lo = 0, .hi = hi, .unit = ""};
    return fs_jr_read_int(&g->rd, n, &r, out);
}

static fs_errcode fs__same_int(fs__merge *g, const fs_json_node *obj, const char *key,
                               bool first, uint64_t *kept)
{
    fs_errcode rc = FS_ERR_OK;
    const fs_json_node *n = fs__need(g, obj, key, &rc);
    int64_t v;
    if (!n)
        return rc;
    size_t at = fs_jr_path_key(&g->rd, key);
    FS_JR_TRY(fs__int(g, n, "an integer", FS_JSON_MAX_INT, &v));
    if (first)
        *kept = (uint64_t)v;
    else if (*kept != (uint64_t)v)
        return fs_jr_fail(&g->rd, n, "a shard of another sweep: %lld, where the first report has %llu",
                          (long long)v, (unsigned long long)*kept);
    fs_jr_path_pop(&g->rd, at);
    return FS_ERR_OK;
}

/* Which of names[0..n) s is, or -1. */
static int fs__lookup(const char *s, const char *(*name)(int), int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, name(i)) == 0)
            return i;
    return -1;
}

static const char *fs__outcome_name(int i)
{
    return fs_outcome_name((fs_outcome)i);
}

static const char *fs__limit_name(int i)
{
    const char *s = fs_limit_name((fs_limit)i);
    return s ? s : "";
}

static const char *fs__expect_name(int i)
{
    return fs_expect_key_name((fs_expect_key)i);
}

/* A name among names, or the error naming what was expected. */
static fs_errcode fs__name(fs__merge *g, const fs_json_node *n, const char *what,
                           const char *(*name)(int), int count, int *out)
{
    const char *s = NULL;
    FS_JR_TRY(fs__string(g, n, &s));
    if ((*out = fs__lookup(s, name, count)) < 0) {
        char q[80];
        return fs_jr_fail(&g->rd, n, "unknown %s %s", what, fs_json_quote(s, q, sizeof q));
    }
    return FS_ERR_OK;
}

static const char *fs__fault_name(int i)
{
    return fs_fault_kind_name((fs_fault_kind)i);
}

/* The kinds of faults that fired in a run: ["latency", "fail"], as a bit
 * per fs_fault_kind. */
static fs_errcode fs__fault_kinds(fs__merge *g, const fs_json_node *n, uint8_t *out)
{
    if (!fs_json_is_array(n))
        return fs_jr_fail(&g->rd, n, "expected an array of fault kinds, got %s", fs_json_type_name(n));
    const fs_json_node *it;
    *out = 0;
    FS_JSON_FOR_EACH(it, n) {
        int k;
        FS_JR_TRY(fs__name(g, it, "fault kind", fs__fault_name, FS_FAULT__COUNT, &k));
        *out |= (uint8_t)(1u << k);
    }
    return FS_ERR_OK;
}

/* [seed, "executor", "outcome", limit_hit|null, expectation|null, end_ns,
 * max_runnable_wait_ns, polls], then, for a scenario with faults, faults
 * and fault_kinds */
static fs_errcode fs__record(fs__merge *g, const fs_json_node *n, fs_explore_rec *r)
{
    fs_explore_merged *m = g->m;
    int n_fields = FS_EXPLORE_N_RECORD_FIELDS + (m->faults ? FS_EXPLORE_N_FAULT_FIELDS : 0);
    if (!fs_json_is_array(n) || fs_jr_count_items(n) != (size_t)n_fields)
        return fs_jr_fail(&g->rd, n, "expected a record, an array of %d values", n_fields);
    const fs_json_node *v[FS_EXPLORE_N_RECORD_FIELDS + FS_EXPLORE_N_FAULT_FIELDS], *it;
    int k = 0;
    FS_JSON_FOR_EACH(it, n)
        v[k++] = it;
    int64_t seed, end, wait, polls;
    int exec, outcome, limit = FS_LIMIT_NONE, expect = 0;
    FS_JR_TRY(fs__int(g, v[0], "a seed", FS_JSON_MAX_INT, &seed));
    if ((uint64_t)seed < m->desc.first_seed || (uint64_t)seed > m->desc.last_seed)
        return fs_jr_fail(&g->rd, v[0], "seed %lld is not in the sweep's %llu..%llu",
                          (long long)seed, (unsigned long long)m->desc.first_seed,
                          (unsigned long long)m->desc.last_seed);
    const char *label = NULL;
    FS_JR_TRY(fs__string(g, v[1], &label));
    for (exec = 0; exec < m->n_exec && strcmp(label, m->label[exec]) != 0; exec++) {
    }
    if (exec == m->n_exec) {
        char q[80];
        return fs_jr_fail(&g->rd, v[1], "executor %s is not one of the report's",
                          fs_json_quote(label, q, sizeof q));
    }
    FS_JR_TRY(fs__name(g, v[2], "outcome", fs__outcome_name, FS_OUTCOME__COUNT, &outcome));
    if (outcome == FS_OUTCOME_LIMIT)
        FS_JR_TRY(fs__name(g, v[3], "limit", fs__limit_name, FS_LIMIT__COUNT, &limit));
    if (outcome == FS_OUTCOME_EXPECT)
        FS_JR_TRY(fs__name(g, v[4], "expectation", fs__expect_name, FS_EXPECT__COUNT, &expect));
    FS_JR_TRY(fs__int(g, v[5], "a time in ns", FS_JSON_MAX_INT, &end));
    FS_JR_TRY(fs__int(g, v[6], "a time in ns", FS_JSON_MAX_INT, &wait));
    FS_JR_TRY(fs__int(g, v[7], "a count of polls", FS_JSON_MAX_INT, &polls));
    int64_t faults = 0;
    uint8_t kinds = 0;
    if (m->faults) {
        FS_JR_TRY(fs__int(g, v[8], "a count of faults", UINT32_MAX, &faults));
        FS_JR_TRY(fs__fault_kinds(g, v[9], &kinds));
        if ((faults > 0) != (kinds != 0))
            return fs_jr_fail(&g->rd, v[9], "the kinds of faults that fired do not fit the "
                              "count of faults, %lld", (long long)faults);
    }
    *r = (fs_explore_rec){.seed = (uint64_t)seed, .end_ns = end, .max_wait_ns = wait,
                          .polls = polls, .exec = (uint8_t)exec, .outcome = (uint8_t)outcome,
                          .limit = (uint8_t)limit, .done = 1, .expect = (uint8_t)expect,
                          .faults = (uint32_t)faults, .fault_kinds = kinds};
    return FS_ERR_OK;
}

static fs_errcode fs__executors(fs__merge *g, const fs_json_node *root, bool first)
{
    fs_explore_merged *m = g->m;
    fs_errcode rc = FS_ERR_OK;
    const fs_json_node *list = fs__need(g, root, "executors", &rc), *e;
    if (!list)
        return rc;
    size_t at = fs_jr_path_key(&g->rd, "executors");
    size_t n = fs_jr_count_items(list);
    if (!fs_json_is_array(list) || n == 0 || n > FS_EXPLORE_MAX_EXEC)
        return fs_jr_fail(&g->rd, list, "expected an array of 1 to %d executors", FS_EXPLORE_MAX_EXEC);
    if (!first && (int)n != m->n_exec)
        return fs_jr_fail(&g->rd, list, "a shard of another sweep: %zu executors, where the "
                          "first report has %d", n, m->n_exec);
    int i = 0;
    FS_JSON_FOR_EACH(e, list) {
        size_t ai = fs_jr_path_index(&g->rd, (size_t)i);
        const fs_json_node *name = fs_json_is_object(e) ? fs_jr_member(e, "executor") : NULL;
        const char *s = NULL;
        if (!name)
            return fs_jr_fail(&g->rd, e, "expected an object with \"executor\"");
        FS_JR_TRY(fs__string(g, name, &s));
        if (first) {
            if (strlen(s) >= sizeof m->label[i])
                return fs_jr_fail(&g->rd, name, "not an executor's name");
            strcpy(m->label[i], s);
        } else if (strcmp(m->label[i], s) != 0) {
            char q[80];
            return fs_jr_fail(&g->rd, name, "a shard of another sweep: executor %s, where the "
                              "first report has %s", fs_json_quote(s, q, sizeof q), m->label[i]);
        }
        fs_jr_path_pop(&g->rd, ai);
        i++;
    }
    m->n_exec = (int)n;
    fs_jr_path_pop(&g->rd, at);
    return FS_ERR_OK;
}

/* The shard this report is: "shard": {"index": I, "count": N}, or null for
 * a whole sweep (1/1). */
static fs_errcode fs__shard(fs__merge *g, const fs_json_node *root, bool first)
{
    fs_errcode rc = FS_ERR_OK;
    const fs_json_node *s = fs__need(g, root, "shard", &rc);
    if (!s)
        return rc;
    size_t at = fs_jr_path_key(&g->rd, "shard");
    int64_t index = 1, count = 1;
    if (!fs_json_is(s, FS_JSON_NULL)) {
        static const char *const keys[] = {"index", "count"};
        FS_JR_TRY(fs_jr_check_object(&g->rd, s, "an object {\"index\": I, \"count\": N} or null", keys, 2));
        fs_json_range r = {.what = "an integer", .noun = "shard", .lo = 1, .hi = FS_JSON_MAX_INT, .unit = ""};
        FS_JR_TRY(fs_jr_int_member(&g->rd, s, "count", &r, &count));
        r.hi = count;
        FS_JR_TRY(fs_jr_int_member(&g->rd, s, "index", &r, &index));
    }
    if (first) {
        g->shard_count = (uint64_t)count;
        uint64_t seeds = g->m->desc.last_seed - g->m->desc.first_seed + 1;
        if (g->shard_count > seeds)
            return fs_jr_fail(&g->rd, s, "more shards than seeds");
        if (!(g->seen = calloc((size_t)count + 1, 1)))
            return fs_jr_nomem(&g->rd);
    } else if ((uint64_t)count != g->shard_count) {
        return fs_jr_fail(&g->rd, s, "a shard of another sweep: %lld shards, where the first "
                          "report has %llu", (long long)count, (unsigned long long)g->shard_count);
    }
    if (g->seen[index])
        return fs_jr_fail(&g->rd, s, "shard %lld/%lld is given twice", (long long)index,
                          (long long)count);
    g->seen[index] = 1;
    fs_jr_path_pop(&g->rd, at);
    return FS_ERR_OK;
}

static fs_errcode fs__report(fs__merge *g, const fs_json_node *root, bool first)
{
    fs_explore_merged *m = g->m;
    fs_errcode rc = FS_ERR_OK;
    const fs_json_node *n;
    if (!fs_json_is_object(root) || !(n = fs_jr_member(root, "type")) ||
        !fs_json_is_string(n) || strcmp(n->valuestring, "explore") != 0)
        return fs_jr_fail(&g->rd, root, "not an explore --json report");
    FS_JR_TRY(fs__same_string(g, root, "scenario", &m->scenario));
    FS_JR_TRY(fs__same_string(g, root, "file", &m->file));
    FS_JR_TRY(fs__same_string(g, root, "options", &m->options));
    FS_JR_TRY(fs__same_int(g, root, "first_seed", first, &m->desc.first_seed));
    FS_JR_TRY(fs__same_int(g, root, "last_seed", first, &m->desc.last_seed));
    if (first && m->desc.first_seed > m->desc.last_seed)
        return fs_jr_fail(&g->rd, fs_jr_member(root, "last_seed"), "below first_seed");
    if (!(n = fs__need(g, root, "expect", &rc)))
        return rc;
    bool expect;
    FS_JR_AT_KEY(&g->rd, "expect", fs_jr_read_bool(&g->rd, n, &expect));
    if (!first && expect != m->expect)
        return fs_jr_fail(&g->rd, n, "a shard of another sweep: its scenario's expectations differ");
    m->expect = expect;
    /* "faults": whether the scenario declares faults (reports from before
     * explore counted them have no such key: none). */
    bool faults = false;
    if ((n = fs_jr_member(root, "faults")))
        FS_JR_AT_KEY(&g->rd, "faults", fs_jr_read_bool(&g->rd, n, &faults));
    if (!first && faults != m->faults)
        return fs_jr_fail(&g->rd, n ? n : root, "a shard of another sweep: its scenario's faults differ");
    m->faults = faults;
    /* Only whole shards: a report cut short has not every record. */
    bool interrupted = false;
    if ((n = fs_jr_member(root, "interrupted")))
        FS_JR_AT_KEY(&g->rd, "interrupted", fs_jr_read_bool(&g->rd, n, &interrupted));
    const fs_json_node *stopped = fs_jr_member(root, "stopped_at_seed");
    if (interrupted || (stopped && !fs_json_is(stopped, FS_JSON_NULL)))
        return fs_jr_fail(&g->rd, interrupted ? n : stopped, "the report of a sweep cut short "
                          "(Ctrl-C or --until-failure) cannot be merged: its records are not all there");
    FS_JR_TRY(fs__shard(g, root, first));
    FS_JR_TRY(fs__executors(g, root, first));

    if (!(n = fs__need(g, root, "record_fields", &rc)))
        return rc;
    static const char *const fields[] = {FS_EXPLORE_RECORD_FIELDS, FS_EXPLORE_FAULT_FIELDS};
    size_t n_fields = FS_EXPLORE_N_RECORD_FIELDS + (faults ? FS_EXPLORE_N_FAULT_FIELDS : 0);
    const fs_json_node *f;
    size_t i = 0;
    bool same = fs_json_is_array(n) && fs_jr_count_items(n) == n_fields;
    FS_JSON_FOR_EACH(f, n)
        same = same && i < n_fields && fs_json_is_string(f) && strcmp(f->valuestring, fields[i++]) == 0;
    if (!same)
        return fs_jr_fail(&g->rd, n, "records of another version: expected the fields "
                          "seed, executor, outcome, limit_hit, expectation, end_ns, "
                          "max_runnable_wait_ns, polls%s", faults ? ", faults, fault_kinds" : "");

    const fs_json_node *recs = fs__need(g, root, "records", &rc), *r;
    if (!recs)
        return rc;
    size_t at = fs_jr_path_key(&g->rd, "records");
    if (!fs_json_is_array(recs))
        return fs_jr_fail(&g->rd, recs, "expected an array of records, got %s", fs_json_type_name(recs));
    size_t k = 0;
    FS_JSON_FOR_EACH(r, recs) {
        if (m->x.n_runs == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 1024;
            fs_explore_rec *grown = realloc(m->x.recs, cap * sizeof *grown);
            if (!grown)
                return fs_jr_nomem(&g->rd);
            m->x.recs = grown;
            g->cap = cap;
        }
        size_t ai = fs_jr_path_index(&g->rd, k++);
        FS_JR_TRY(fs__record(g, r, &m->x.recs[m->x.n_runs]));
        fs_jr_path_pop(&g->rd, ai);
        m->x.n_runs++;
    }
    fs_jr_path_pop(&g->rd, at);
    return FS_ERR_OK;
}

/* ---- the merge ------------------------------------------------------------ */

static int fs__cmp_rec(const void *a, const void *b)
{
    const fs_explore_rec *x = a, *y = b;
    if (x->seed != y->seed)
        return x->seed < y->seed ? -1 : 1;
    return (x->exec > y->exec) - (x->exec < y->exec);
}

fs_errcode fs_explore_merge(const char *const *paths, int n, fs_explore_merged *m, fs_error *err)
{
    memset(m, 0, sizeof *m);
    memset(err, 0, sizeof *err);
    m->x.desc = &m->desc;
    fs__merge g = {.m = m};
    fs_errcode rc = FS_ERR_OK;
    fs_arena *arena = fs_arena_create(0);
    if (!arena) {
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
        return FS_ERR_NOMEM;
    }
    for (int i = 0; i < n && rc == FS_ERR_OK; i++) {
        snprintf(err->file, sizeof err->file, "%s", paths[i]);
        char *text;
        size_t len;
        fs_json_doc *doc = NULL;
        rc = fs_file_read_text(paths[i], FS_JSON_MAX_BYTES, &text, &len, err);
        if (rc == FS_ERR_OK)
            rc = fs_json_parse(text, len, &doc, err);
        if (rc == FS_ERR_OK) {
            g.rd = (fs_json_reader){.doc = doc, .arena = arena, .err = err};
            rc = fs__report(&g, fs_json_root(doc), i == 0);
        }
        fs_json_free(doc);
        free(text);
    }
    fs_arena_free(arena);
    if (rc == FS_ERR_OK) {
        err->file[0] = '\0';
        for (uint64_t s = 1; s <= g.shard_count && rc == FS_ERR_OK; s++)
            if (!g.seen[s]) {
                fs_error_set(err, rc = FS_ERR_INPUT, "shard %llu/%llu is missing: merge the "
                             "reports of every shard of the sweep", (unsigned long long)s,
                             (unsigned long long)g.shard_count);
            }
    }
    free(g.seen);
    if (rc != FS_ERR_OK) {
        fs_explore_merged_free(m);
        return rc;
    }
    /* Every (seed, executor) of the range once: the layout of one sweep. */
    qsort(m->x.recs, (size_t)m->x.n_runs, sizeof *m->x.recs, fs__cmp_rec);
    uint64_t want = (m->desc.last_seed - m->desc.first_seed + 1) * (uint64_t)m->n_exec;
    for (uint64_t i = 0; i < m->x.n_runs || i < want; i++) {
        uint64_t seed = m->desc.first_seed + i / (uint64_t)m->n_exec;
        int e = (int)(i % (uint64_t)m->n_exec);
        if (i >= m->x.n_runs || i >= want || m->x.recs[i].seed != seed || m->x.recs[i].exec != e) {
            bool extra = i < m->x.n_runs && (i >= want || fs__cmp_rec(&m->x.recs[i],
                &(fs_explore_rec){.seed = seed, .exec = (uint8_t)e}) < 0);
            const fs_explore_rec *r = extra ? &m->x.recs[i] : NULL;
            fs_error_set(err, FS_ERR_INPUT, "seed %llu under %s %s: the reports are not the "
                         "shards of one sweep", (unsigned long long)(r ? r->seed : seed),
                         m->label[r ? r->exec : e], r ? "is there twice" : "is missing");
            fs_explore_merged_free(m);
            return FS_ERR_INPUT;
        }
    }
    m->desc.n_exec = m->n_exec;
    m->x.n_kept = m->x.n_done = m->x.n_runs;
    return FS_ERR_OK;
}

void fs_explore_merged_free(fs_explore_merged *m)
{
    fs_explore_free(&m->x);
    free(m->scenario);
    free(m->file);
    free(m->options);
    memset(m, 0, sizeof *m);
}
