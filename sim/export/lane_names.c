/* lane_names.c - the exports' names of lanes (see the header). */
#include "lane_names.h"

#include <stdio.h>
#include <string.h>

const char *fs_lane_task_name(const fs_trace *tr, size_t task, char *buf, size_t n)
{
    const char *name = fs_trace_str(tr, tr->tasks[task].name);
    snprintf(buf, n, "task %zu%s%s", task, *name ? " " : "", name);
    return buf;
}

const char *fs_lane_res_name(const fs_trace *tr, size_t res, char *buf, size_t n)
{
    const char *kind = fs_trace_str(tr, tr->resources[res].kind);
    const char *name = fs_trace_str(tr, tr->resources[res].name);
    if (!*kind || strcmp(kind, name) == 0)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "%s %s", kind, name);
    return buf;
}
