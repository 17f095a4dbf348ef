/* dev_blocking.c - tokio's blocking pool and spawn_blocking.
 *
 * spawn_blocking hands a closure (here: CPU work of a drawn duration) to
 * the pool, off the runtime's workers (tokio's runtime/blocking/pool.rs):
 * an idle thread takes it; with none idle a new thread starts, up to 512;
 * past that the job waits in the pool's FIFO queue, and a thread that
 * finishes a job takes the next one before it idles. An idle thread exits
 * after 10 s without work (keep_alive). Of several idle threads, the one
 * idle longest takes the job (a condition variable wakes in about FIFO
 * order); a new thread takes the lowest free number, so the viewer's lanes
 * stay few.
 *
 * A job ends at its own time, not at a driver tick: the thread that ran it
 * completes its JoinHandle, waking the awaiting task from outside the
 * runtime (steal:N: through the injection queue). These are the world's
 * "direct" events (fs_driver.next_direct).
 *
 * The future is the JoinHandle: without "await" it is ready at once (the
 * handle dropped, the job runs on), with it, it waits for the job's end
 * (budgeted, as tokio's JoinHandle) and its value is the job's ms. */
#include "kinds.h"

#include <stdlib.h>
#include <string.h>

#define FS__POOL_THREADS 512
#define FS__KEEP_ALIVE_NS (10LL * 1000000000LL)

typedef struct fs__job {
    int64_t dur_ns, queued_at, end_ns;
    uint32_t task;          /* the spawning task */
    int32_t thread;         /* -1 while queued */
    int32_t next;           /* the queue's next job, or the free list's */
    bool done, detached;
    const char *name;       /* the job's name in the trace */
    const char *handle;     /* "blocking:J": its JoinHandle's register/wake name */
    int64_t number;         /* J: jobs are numbered in submission order */
    fs_waker waker;         /* the awaiting task's, while it waits */
} fs__job;

typedef struct fs__thread {
    int32_t job;            /* running, or -1 */
    bool alive;
    int64_t idle_since;
} fs__thread;

struct fs_blocking_pool {
    fs_world *world;
    fs__job *jobs;          /* by index; indices are reused (free list) */
    size_t n_jobs, cap_jobs;
    int32_t free_job;       /* -1: none */
    int32_t queue_head, queue_tail; /* waiting jobs, FIFO; -1: empty */
    fs__thread *threads;    /* FS__POOL_THREADS, made on first use */
    int64_t next_end;       /* earliest running job's end, -1 if none */
    int32_t next_thread;    /* ... and its thread */
    int64_t submitted;      /* jobs numbered so far */
};

typedef struct fs_spawn_blocking {
    fs_node n;
    int32_t job;            /* -1 until submitted */
    int32_t spurious;
} fs_spawn_blocking;

struct fs_blocking_pool *fs_blocking_pool_create(fs_world *w)
{
    struct fs_blocking_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->world = w;
    p->free_job = p->queue_head = p->queue_tail = -1;
    p->next_end = -1;
    return p;
}

void fs_blocking_pool_free(struct fs_blocking_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_jobs; i++)
        fs_waker_drop(&p->jobs[i].waker);
    free(p->jobs);
    free(p->threads);
    free(p);
}

/* ---- the pool ------------------------------------------------------------ */

/* The running job that ends first (ties: the lowest thread). */
static void fs__find_next(struct fs_blocking_pool *p)
{
    p->next_end = -1;
    if (!p->threads)
        return;
    for (int32_t i = 0; i < FS__POOL_THREADS; i++) {
        int32_t j = p->threads[i].job;
        if (j >= 0 && (p->next_end < 0 || p->jobs[j].end_ns < p->next_end)) {
            p->next_end = p->jobs[j].end_ns;
            p->next_thread = i;
        }
    }
}

static void fs__start_job(struct fs_blocking_pool *p, int32_t j, int32_t th, int64_t now,
                          bool new_thread)
{
    fs__job *job = &p->jobs[j];
    job->thread = th;
    job->end_ns = now + job->dur_ns;
    p->threads[th].job = j;
    p->threads[th].alive = true;
    fs_event ev = {.type = FS_EV_BLOCKING, .t = now, .task = job->task, .worker = th,
                   .dur = job->dur_ns, .name = job->name, .count = job->number,
                   .end = now - job->queued_at, .ready = new_thread};
    fs_exec_emit(fs_world_exec(p->world), &ev);
}

/* A thread for a job submitted now: the idle one idle longest, else a new
 * one, else -1 (the job waits). *fresh: a new thread. Threads idle past
 * the keep-alive have exited. */
static int32_t fs__pick_thread(struct fs_blocking_pool *p, int64_t now, bool *fresh)
{
    int32_t idle = -1, unused = -1;
    for (int32_t i = 0; i < FS__POOL_THREADS; i++) {
        fs__thread *t = &p->threads[i];
        if (t->alive && t->job < 0 && now >= t->idle_since + FS__KEEP_ALIVE_NS)
            t->alive = false;
        if (!t->alive) {
            if (unused < 0)
                unused = i;
        } else if (t->job < 0 && (idle < 0 || t->idle_since < p->threads[idle].idle_since)) {
            idle = i;
        }
    }
    *fresh = idle < 0;
    return idle >= 0 ? idle : unused;
}

static int32_t fs__new_job(struct fs_blocking_pool *p)
{
    if (p->free_job >= 0) {
        int32_t j = p->free_job;
        p->free_job = p->jobs[j].next;
        return j;
    }
    if (p->n_jobs == p->cap_jobs) {
        size_t cap = p->cap_jobs ? 2 * p->cap_jobs : 16;
        fs__job *jobs = cap <= INT32_MAX ? realloc(p->jobs, cap * sizeof *jobs) : NULL;
        if (!jobs)
            return -1;
        p->jobs = jobs;
        p->cap_jobs = cap;
    }
    return (int32_t)p->n_jobs++;
}

static void fs__release_job(struct fs_blocking_pool *p, int32_t j)
{
    fs_waker_drop(&p->jobs[j].waker);
    p->jobs[j].next = p->free_job;
    p->free_job = j;
}

/* Submits a job of dur_ns for task at now; returns its index, -1 when out of
 * memory (the run then stops). */
static int32_t fs__submit(struct fs_blocking_pool *p, uint32_t task, const char *name,
                          int64_t dur_ns, int64_t now)
{
    fs_world *w = p->world;
    if (!p->threads) {
        p->threads = calloc(FS__POOL_THREADS, sizeof *p->threads);
        if (!p->threads)
            goto nomem;
        for (int i = 0; i < FS__POOL_THREADS; i++)
            p->threads[i].job = -1;
    }
    int32_t j = fs__new_job(p);
    if (j < 0)
        goto nomem;
    fs__job *job = &p->jobs[j];
    memset(job, 0, sizeof *job);
    job->handle = fs_world_ref(w, "blocking", p->submitted);
    if (!job->handle) {
        fs__release_job(p, j);
        goto nomem;
    }
    job->number = p->submitted++;
    job->dur_ns = dur_ns;
    job->queued_at = now;
    job->task = task;
    job->name = name;
    job->thread = job->next = -1;
    bool fresh;
    int32_t th = fs__pick_thread(p, now, &fresh);
    if (th >= 0) {
        fs__start_job(p, j, th, now, fresh);
        fs__find_next(p);
    } else if (p->queue_tail >= 0) {
        p->jobs[p->queue_tail].next = j;
        p->queue_tail = j;
    } else {
        p->queue_head = p->queue_tail = j;
    }
    return j;
nomem:
    fs_exec_out_of_memory(fs_world_exec(w));
    return -1;
}

int64_t fs_blocking_pool_next(const struct fs_blocking_pool *p)
{
    return p->next_end;
}

/* The earliest job ends: its JoinHandle completes (waking the task that
 * awaits it, from outside the runtime) and its thread takes the next job
 * waiting, or idles. */
void fs_blocking_pool_fire(struct fs_blocking_pool *p)
{
    if (p->next_end < 0)
        return;
    int64_t now = p->next_end;
    int32_t th = p->next_thread, j = p->threads[th].job;
    fs__job *job = &p->jobs[j];
    job->done = true;
    p->threads[th].job = -1;
    p->threads[th].idle_since = now;
    if (p->queue_head >= 0) {
        int32_t q = p->queue_head;
        p->queue_head = p->jobs[q].next;
        if (p->queue_head < 0)
            p->queue_tail = -1;
        fs__start_job(p, q, th, now, false);
    }
    fs__find_next(p);
    if (job->detached) {
        fs__release_job(p, j);
        return;
    }
    fs_world_wake(p->world, &job->waker, job->handle);
}

/* ---- the future: spawn_blocking's JoinHandle ------------------------------ */

static fs_poll fs__spawn_blocking_poll(fs_future *f, fs_context *cx)
{
    fs_spawn_blocking *s = (fs_spawn_blocking *)f;
    const fs_future_spec *spec = s->n.spec;
    struct fs_blocking_pool *p = fs_world_blocking_pool(s->n.world);
    cx->state = spec->label;
    if (s->job < 0) {
        int64_t ns = fs_node_draw_ns(&s->n, cx, &spec->dur);
        const char *name = spec->spawn_name ? spec->spawn_name : spec->label;
        s->job = fs__submit(p, cx->task, name, ns, fs_context_now(cx));
        if (s->job < 0)
            return FS_PENDING; /* out of memory: the run stops */
        if (!spec->spawn_await) {
            int64_t number = p->jobs[s->job].number;
            p->jobs[s->job].detached = true; /* the handle is dropped: it runs on */
            s->job = -1;
            return fs_ready(number);
        }
    }
    if (!fs_coop_proceed(cx)) /* a JoinHandle is budgeted */
        return FS_PENDING;
    fs__job *job = &p->jobs[s->job];
    if (job->done) {
        int64_t ms = job->dur_ns / 1000000;
        fs__release_job(p, s->job);
        s->job = -1;
        fs_coop_spend(cx);
        return fs_ready(ms);
    }
    fs_node_keep_waker(&s->n, &s->spurious, cx, &job->waker, job->handle);
    return FS_PENDING;
}

static void fs__spawn_blocking_drop(fs_future *f)
{
    fs_spawn_blocking *s = (fs_spawn_blocking *)f;
    if (s->job < 0)
        return;
    struct fs_blocking_pool *p = fs_world_blocking_pool(s->n.world);
    fs__job *job = &p->jobs[s->job];
    if (job->done) {
        fs__release_job(p, s->job);
    } else {
        /* Dropping a JoinHandle detaches the job: a closure cannot be stopped. */
        fs_waker_drop(&job->waker);
        job->detached = true;
    }
    s->job = -1;
}

static const fs_future_vtable fs__spawn_blocking_vt = {
    .name = "spawn_blocking", .poll = fs__spawn_blocking_poll, .drop = fs__spawn_blocking_drop};

size_t fs_spawn_blocking_size(const fs_future_spec *s)
{
    (void)s;
    return sizeof(fs_spawn_blocking);
}

void fs_spawn_blocking_init(fs_node *n)
{
    fs_spawn_blocking *s = (fs_spawn_blocking *)n;
    n->base.vt = &fs__spawn_blocking_vt;
    s->job = -1;
    s->spurious = 0;
}
