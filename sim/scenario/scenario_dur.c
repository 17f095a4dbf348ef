/* scenario_dur.c - a duration in the scenario language: milliseconds, or a
 * distribution drawn each time it is used ({"uniform": [lo, hi]},
 * {"exp": mean}). Every form that takes a D reads it here: futures in
 * scenario_load.c, fault latencies in scenario_faults.c. A count (repeat,
 * a task's count, a join_set's, a listener's) is read the same way, its
 * ends and mean in the count's own range. */
#include "scenario.h"

#include <inttypes.h>
#include <string.h>

#include "json_pos.h"
#include "json_read.h"
#include "prng.h"

#define FS__MS "an integer number of milliseconds"
static const fs_json_range R_END = {FS__MS, "duration", 0, FS_MAX_DURATION_MS, " ms"};
static const fs_json_range R_MEAN = {FS__MS, "mean", 1, FS_MAX_DURATION_MS, " ms"};

/* [lo, hi], both in `end`, lo <= hi. */
static fs_errcode read_uniform(fs_json_reader *r, const fs_json_node *u, const fs_json_range *end,
                               fs_dur *d)
{
    int64_t *ends[2] = {&d->a_ms, &d->b_ms};
    size_t i = 0;
    const fs_json_node *it = fs_json_child(u), *hi = it ? fs_json_next(it) : NULL;
    long long a, b;
    /* Most are two integers in range, in order: read at once. Anything
     * else is read again below, for the error's path and message. */
    if (fs_json_is_array(u) && fs_json_is_number(it) && fs_json_is_number(hi) && !fs_json_next(hi) &&
        fs_json_get_int(r->doc, it, &a) == FS_JSON_INT_OK &&
        fs_json_get_int(r->doc, hi, &b) == FS_JSON_INT_OK && a >= end->lo && a <= b && b <= end->hi) {
        d->a_ms = a;
        d->b_ms = b;
        return FS_ERR_OK;
    }
    if (!fs_json_is_array(u))
        return fs_jr_fail(r, u, "expected [lo, hi], got %s", fs_json_type_name(u));
    if (fs_jr_count_items(u) != 2)
        return fs_jr_fail(r, u, "expected [lo, hi], got %zu values", fs_jr_count_items(u));
    FS_JSON_FOR_EACH(it, u) {
        FS_JR_AT_INDEX(r, i, fs_jr_read_int(r, it, end, ends[i]));
        i++;
    }
    if (d->a_ms > d->b_ms)
        return fs_jr_fail(r, u, "expected lo <= hi in [lo, hi], got [%" PRId64 ", %" PRId64 "]",
                          d->a_ms, d->b_ms);
    return FS_ERR_OK;
}

/* A number in `range`, or a distribution (a `noun`, else `what`) whose ends
 * lie in `end` and whose mean in `mean`. */
static fs_errcode read_draw(fs_json_reader *r, const fs_json_node *node, const fs_json_range *range,
                            const char *what, const fs_json_range *end, const fs_json_range *mean,
                            const char *noun, fs_dur *d)
{
    static const char *const keys[] = {"uniform", "exp"};
    const fs_json_node *m;
    d->kind = FS_DUR_FIXED;
    if (fs_json_is_number(node))
        return fs_jr_read_int(r, node, range, &d->a_ms);
    /* An object of one member, "uniform" or "exp", is what the checks
     * below would find it; anything else is checked key by key */
    bool exp = false;
    m = fs_json_child(node);
    if (!fs_json_is_object(node) || !m || m->next ||
        (!(exp = fs_jr_streq(m->string, "exp")) && !fs_jr_streq(m->string, "uniform"))) {
        FS_JR_TRY(fs_jr_check_object(r, node, what, keys, 2));
        FS_JR_TRY(fs_jr_one_of(r, node, "uniform", "exp", noun, &m));
        exp = strcmp(m->string, "exp") == 0;
    }
    if (exp) {
        d->kind = FS_DUR_EXP;
        return fs_jr_int_member(r, node, "exp", mean, &d->a_ms);
    }
    d->kind = FS_DUR_UNIFORM;
    FS_JR_AT_KEY(r, "uniform", read_uniform(r, m, end, d));
    return FS_ERR_OK;
}

fs_errcode fs_scenario_read_dur(fs_json_reader *r, const fs_json_node *node,
                                const fs_json_range *range, fs_dur *d)
{
    return read_draw(r, node, range, FS__MS, &R_END, &R_MEAN, "a duration", d);
}

fs_errcode fs_scenario_read_count(fs_json_reader *r, const fs_json_node *node,
                                  const fs_json_range *range, fs_dur *d)
{
    fs_json_range mean = {range->what, "mean", range->lo > 1 ? range->lo : 1, range->hi, range->unit};
    return read_draw(r, node, range, range->what, range, &mean, "a count", d);
}

int64_t fs_count_max(const fs_dur *d, int64_t hi)
{
    if (d->kind != FS_DUR_EXP)
        return d->kind == FS_DUR_FIXED ? d->a_ms : d->b_ms;
    /* the draw grows with its bits: all ones give the largest, -ln(2^-53)
     * times the mean, which is what the limits should count, not hi (an
     * {"exp": 2} task count made the loader count 1,000,000 tasks) */
    int64_t top = fs_rand_exp(UINT64_MAX, d->a_ms);
    return top < hi ? top : hi;
}
