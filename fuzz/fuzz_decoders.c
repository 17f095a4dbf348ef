/* fuzz_decoders.c - libFuzzer target: the two trace line decoders agree.
 * Each input line (as the reader would hand it on: no NUL byte, valid
 * UTF-8) goes to the fast decoder (trace_line.c) and to the careful one
 * (trace_decode.c, through cJSON). The fast one may leave any line to the
 * careful one, but a line it accepts the careful one must accept too, into
 * the same record: every field the model builder reads for that type. The
 * same for the summary line's fast path. The seed corpus is lines of real
 * traces (fuzz/corpus/decoders/). */
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_pos.h"
#include "trace_rec.h"

#define CHECK(cond, line, n, ...)                                                  \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "fuzz_decoders: " __VA_ARGS__);                        \
            fprintf(stderr, "\n  line: %.*s\n  (%s)\n", (int)(n), (line), #cond);   \
            __builtin_trap();                                                      \
        }                                                                          \
    } while (0)

/* The builder interns NULL and "" alike. */
static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The fields fs__trace_add reads for the record's type. */
static bool same_rec(const fs__rec *a, const fs__rec *b)
{
    if (a->type != b->type || a->t != b->t)
        return false;
    switch (a->type) {
    case FS__R_SPAWN:
        return a->task == b->task && same_str(a->name, b->name) && a->parent == b->parent;
    case FS__R_POLL:
    case FS__R_SPIN:
        return a->task == b->task && a->worker == b->worker && a->dur == b->dur &&
               a->end == b->end && a->count == b->count && a->value == b->value &&
               a->ready == b->ready && same_str(a->state, b->state);
    case FS__R_REGISTER:
        return a->task == b->task && same_str(a->name, b->name);
    case FS__R_WAKE:
        return a->task == b->task && same_str(a->name, b->name) && a->stale == b->stale;
    case FS__R_IO:
        return same_str(a->name, b->name) && same_str(a->what, b->what) &&
               a->has_value == b->has_value && (!a->has_value || a->value == b->value);
    case FS__R_PARK:
    case FS__R_UNPARK:
        return a->worker == b->worker;
    case FS__R_CANCEL:
    case FS__R_COMPLETE:
        return a->task == b->task;
    case FS__R_DRIVER:
    case FS__R_QUEUE:
        return a->worker == b->worker && a->n == b->n;
    case FS__R_BUDGET:
        return a->task == b->task && a->worker == b->worker;
    default:
        return true;
    }
}

static bool same_summary(const fs_trace_summary *a, const fs_trace_summary *b)
{
    return a->end_ns == b->end_ns && a->tasks_total == b->tasks_total &&
           a->completed == b->completed && a->stalled == b->stalled &&
           a->time_limit_hit == b->time_limit_hit && a->polls == b->polls &&
           a->pending_polls == b->pending_polls && a->ready_polls == b->ready_polls &&
           a->wasted_polls == b->wasted_polls && a->wakes == b->wakes &&
           a->busy_ns == b->busy_ns && a->idle_ns == b->idle_ns &&
           a->max_wake_latency_ns == b->max_wake_latency_ns && a->cpu_busy == b->cpu_busy;
}

static void one_line(const char *line, size_t n, char *scratch)
{
    if (memchr(line, '\0', n) || fs_json_utf8_check(line, n) < n)
        return; /* the reader refuses these before any decoder sees them */
    fs__rec fast;
    fs_trace_summary fast_sum;
    /* the summary's task records fill in the waker figures of tasks 0..7 */
    enum { N_TASKS = 8 };
    fs_trace_task fast_tasks[N_TASKS], careful_tasks[N_TASKS];
    memset(fast_tasks, 0, sizeof fast_tasks);
    for (int i = 0; i < N_TASKS; i++)
        fast_tasks[i].waker_clones = fast_tasks[i].waker_drops = -1;
    memcpy(careful_tasks, fast_tasks, sizeof fast_tasks);
    bool is_event = fs__trace_line_fast(line, n, &fast, scratch);
    bool is_summary = !is_event && fs__trace_summary_fast(line, n, &fast_sum, fast_tasks, N_TASKS);
    if (!is_event && !is_summary)
        return; /* left to the careful decoder: nothing to compare */

    fs_error err = {0};
    fs_trace tr = {.tasks = careful_tasks, .n_tasks = N_TASKS};
    fs__reader r = {.tr = &tr, .err = &err, .name = "fuzz", .line = 1, .text = line, .text_len = n};
    cJSON *o = cJSON_ParseWithLength(line, n);
    CHECK(o && cJSON_IsObject(o), line, n, "the fast decoder took a line cJSON does not parse");
    fs__rec careful;
    fs_errcode rc = fs__trace_decode_event(&r, o, &careful);
    CHECK(rc == FS_ERR_OK, line, n, "the careful decoder refuses what the fast one took: %s", err.msg);
    if (is_event) {
        CHECK(same_rec(&fast, &careful), line, n, "the decoders read different records");
    } else {
        fs_trace_summary s = {0};
        CHECK(careful.type == FS__R_SUMMARY, line, n, "the fast summary is not a summary");
        rc = fs__trace_decode_summary(&r, o);
        s = tr.summary;
        CHECK(rc == FS_ERR_OK, line, n, "the careful decoder refuses the fast summary: %s", err.msg);
        CHECK(same_summary(&fast_sum, &s), line, n, "the decoders read different summaries");
        for (int i = 0; i < N_TASKS; i++)
            CHECK(fast_tasks[i].waker_clones == careful_tasks[i].waker_clones &&
                      fast_tasks[i].waker_drops == careful_tasks[i].waker_drops,
                  line, n, "the decoders read different waker figures for task %d", i);
    }
    cJSON_Delete(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *scratch = malloc(size + 1);
    if (!scratch)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        one_line(p, n, scratch);
        p += n + 1;
    }
    free(scratch);
    return 0;
}
