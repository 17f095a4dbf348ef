/* parallel.c - see the header. */
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct fs__job {
    void (*fn)(void *item);
    void *item;
    pthread_t thread;
    bool started;
} fs__job;

static void *fs__job_run(void *arg)
{
    fs__job *j = arg;
    j->fn(j->item);
    return NULL;
}

void fs_viz_each_at_once(void *items, size_t n, size_t size, void (*fn)(void *item), bool threads)
{
    fs__job *jobs = threads && n > 1 ? calloc(n, sizeof *jobs) : NULL;
    for (size_t i = 1; jobs && i < n; i++) {
        jobs[i] = (fs__job){.fn = fn, .item = (char *)items + i * size};
        jobs[i].started = pthread_create(&jobs[i].thread, NULL, fs__job_run, &jobs[i]) == 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (jobs && jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
        else
            fn((char *)items + i * size);
    }
    free(jobs);
}
