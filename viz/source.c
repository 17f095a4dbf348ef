/* source.c - inputs to traces, and reloading them when their files change. */
#define _GNU_SOURCE /* fopencookie */
#include "source.h"

#include "parallel.h"
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef struct fs__input {
    char *path;         /* a file, or the name of embedded text */
    const char *text;   /* embedded scenario text (borrowed), else NULL */
    size_t len;
    bool is_trace;
    struct timespec mtime;
    off_t size;
    bool stat_ok;
} fs__input;

typedef struct fs__gen {
    fs_trace *traces[FS_VIZ_MAX_TRACES];
    size_t n;
} fs__gen;

struct fs_viz_source {
    fs_run_desc runs[FS_VIZ_MAX_TRACES];
    size_t n_runs;
    fs__input *inputs;
    size_t n_inputs;
    fs__gen cur, prev;  /* prev: what a viewer may still show until it switches */
};

void fs_viz_keep_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    /* one heap for every thread: a thread's own arena would map its big
     * blocks (past 64 MiB) and give them back, and could not reuse what
     * another thread freed */
    mallopt(M_ARENA_MAX, 1);
#endif
}

static void fs__gen_free(fs__gen *g)
{
    for (size_t i = 0; i < g->n; i++)
        fs_trace_free(g->traces[i]);
    g->n = 0;
}

fs_viz_source *fs_viz_source_create(const fs_run_desc *runs, size_t n_runs)
{
    fs_viz_source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (n_runs > FS_VIZ_MAX_TRACES)
        n_runs = FS_VIZ_MAX_TRACES;
    memcpy(s->runs, runs, n_runs * sizeof *runs);
    s->n_runs = n_runs;
    return s;
}

void fs_viz_source_free(fs_viz_source *s)
{
    if (!s)
        return;
    fs__gen_free(&s->cur);
    fs__gen_free(&s->prev);
    for (size_t i = 0; i < s->n_inputs; i++)
        free(s->inputs[i].path);
    free(s->inputs);
    free(s);
}

fs_trace **fs_viz_source_traces(fs_viz_source *s, size_t *n)
{
    *n = s->cur.n;
    return s->cur.traces;
}

/* The error as one line: what fs_error_print writes, newline dropped. */
static void fs__err_text(const fs_error *e, bool trace, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = '\0';
    FILE *f = fmemopen(buf, n, "w");
    if (!f) {
        snprintf(buf, n, "%s", e->msg[0] ? e->msg : fs_strerror(e->code));
        return;
    }
    if (trace)
        fs_trace_error_print(e, f);
    else
        fs_error_print(e, f);
    fclose(f);
    buf[n - 1] = '\0';
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
}

static bool fs__ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The run's trace, read as the writer writes it (no copy of its text). */
static ssize_t fs__feed_write(void *cookie, const char *buf, size_t n)
{
    return fs_trace_feed_write(cookie, buf, n) ? (ssize_t)n : -1;
}

/* Simulates sc under run, its trace read line by line as it is written. */
static fs_errcode fs__simulate(const char *name, const fs_scenario *sc, const fs_run_desc *tmpl,
                               fs_trace **out, char *err, size_t errn)
{
    char label[300];
    snprintf(label, sizeof label, "%s (simulated)", name);
    fs_trace_feed *feed = fs_trace_feed_new(label);
    FILE *pipe = feed ? fopencookie(feed, "w", (cookie_io_functions_t){.write = fs__feed_write}) : NULL;
    if (!pipe) {
        if (feed)
            fs_trace_feed_end(feed, out, &(fs_error){0});
        fs_trace_free(*out);
        *out = NULL;
        snprintf(err, errn, "out of memory");
        return FS_ERR_NOMEM;
    }
    setvbuf(pipe, NULL, _IOFBF, 1 << 16);  /* the feed takes 64 KiB at a time */
    fs_run_desc d = *tmpl;
    d.scenario = sc;
    d.trace = pipe;
    fs_run *run = NULL;
    fs_error e = {0};
    fs_progress progress;
    fs_progress_init(&progress, name);
    d.progress = fs_progress_run;
    d.progress_ctx = &progress;
    fs_errcode rc = fs_run_simulate(&d, &run, &e);
    fs_progress_done(&progress);
    fclose(pipe);
    fs_run_free(run);
    fs_error fe = {0};
    fs_errcode frc = fs_trace_feed_end(feed, out, &fe);
    if (rc != FS_ERR_OK) {  /* its trace is cut short: the run's error says why */
        fs_trace_free(*out);
        *out = NULL;
        if (!e.file[0])
            snprintf(e.file, sizeof e.file, "%s", name);
        fs__err_text(&e, false, err, errn);
        return rc;
    }
    if (frc != FS_ERR_OK) {
        /* the writer and reader disagree: a bug, not bad input */
        fs__err_text(&fe, true, err, errn);
        return FS_ERR_INTERNAL;
    }
    return FS_ERR_OK;
}

/* Simulates a scenario input under each run into g (appending). On
 * failure g may hold some of its traces; the caller drops them. */
static fs_errcode fs__load_scenario(fs_viz_source *s, const fs__input *in, fs__gen *g, char *err,
                                    size_t errn)
{
    fs_error e = {0};
    if (g->n + s->n_runs > FS_VIZ_MAX_TRACES) {
        snprintf(err, errn, "at most %d traces at once", FS_VIZ_MAX_TRACES);
        return FS_ERR_USAGE;
    }
    fs_scenario *sc = NULL;
    fs_errcode rc = in->text ? fs_scenario_load_text(in->text, in->len, in->path, &sc, &e)
                             : fs_scenario_load_file(in->path, &sc, &e);
    if (rc != FS_ERR_OK) {
        fs__err_text(&e, false, err, errn);
        return rc;
    }
    for (size_t j = 0; j < s->n_runs && rc == FS_ERR_OK; j++) {
        rc = fs__simulate(in->path, sc, &s->runs[j], &g->traces[g->n], err, errn);
        if (rc == FS_ERR_OK)
            g->n++;
    }
    fs_scenario_free(sc);
    return rc;
}

/* A trace file to read. */
typedef struct fs__read_job {
    const char *path;
    bool progress;   /* the first: its progress lines shown (on the calling thread) */
    fs_trace *tr;
    fs_errcode rc;
    fs_error e;
} fs__read_job;

static void fs__read_job_run(void *arg)
{
    fs__read_job *j = arg;
    j->rc = j->progress ? fs_trace_read_file(j->path, &j->tr, &j->e)
                        : fs_trace_read_file_quiet(j->path, &j->tr, &j->e);
}

/* Loads n inputs into g (appending), in order, as loading them one after
 * another would, but reads every trace file at once first, each on a
 * thread of its own (parallel.h): reads share nothing they write, and each
 * gives the same model wherever it runs. Returns the first failing input's
 * error (*ok_inputs: how many inputs before it loaded; g holds only their
 * traces) or FS_ERR_OK with *ok_inputs = n. */
static fs_errcode fs__load_all(fs_viz_source *s, const fs__input *ins, size_t n, fs__gen *g,
                               size_t *ok_inputs, char *err, size_t errn)
{
    fs__read_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    size_t *job_of = calloc(n ? n : 1, sizeof *job_of);
    if (!jobs || !job_of) {
        free(jobs);
        free(job_of);
        snprintf(err, errn, "out of memory");
        *ok_inputs = 0;
        return FS_ERR_NOMEM;
    }
    size_t n_jobs = 0;
    for (size_t i = 0; i < n; i++)
        if (ins[i].is_trace) {
            job_of[i] = n_jobs;
            jobs[n_jobs] = (fs__read_job){.path = ins[i].path, .progress = n_jobs == 0};
            n_jobs++;
        }
    fs_viz_each_at_once(jobs, n_jobs, sizeof *jobs, fs__read_job_run, true);
    fs_errcode rc = FS_ERR_OK;
    size_t i = 0;
    for (; i < n; i++) {
        if (!ins[i].is_trace) {
            size_t mark = g->n;
            rc = fs__load_scenario(s, &ins[i], g, err, errn);
            if (rc != FS_ERR_OK) {
                for (; g->n > mark; g->n--)
                    fs_trace_free(g->traces[g->n - 1]);
                break;
            }
            continue;
        }
        if (g->n == FS_VIZ_MAX_TRACES) {
            snprintf(err, errn, "at most %d traces at once", FS_VIZ_MAX_TRACES);
            rc = FS_ERR_USAGE;
            break;
        }
        fs__read_job *j = &jobs[job_of[i]];
        if (j->rc != FS_ERR_OK) {
            fs__err_text(&j->e, true, err, errn);
            rc = j->rc;
            break;
        }
        g->traces[g->n++] = j->tr;
        j->tr = NULL;
    }
    *ok_inputs = i;
    for (size_t k = 0; k < n_jobs; k++)  /* those after a failure are dropped */
        fs_trace_free(jobs[k].tr);
    free(jobs);
    free(job_of);
    return rc;
}

static void fs__stat(fs__input *in)
{
    struct stat st;
    in->stat_ok = !in->text && stat(in->path, &st) == 0;
    if (in->stat_ok) {
        in->mtime = st.st_mtim;
        in->size = st.st_size;
    }
}

/* Adds the inputs (their paths become the source's), loaded now; see
 * fs_viz_source_add_files. */
static fs_errcode fs__add(fs_viz_source *s, fs__input *ins, size_t n, char *err, size_t errn)
{
    fs__input *p = realloc(s->inputs, (s->n_inputs + n) * sizeof *p);
    bool paths = true;
    for (size_t i = 0; i < n; i++)
        paths = paths && ins[i].path;
    if (!p || !paths) {
        for (size_t i = 0; i < n; i++)
            free(ins[i].path);
        if (p)
            s->inputs = p;
        snprintf(err, errn, "out of memory");
        return FS_ERR_NOMEM;
    }
    s->inputs = p;
    for (size_t i = 0; i < n; i++)
        fs__stat(&ins[i]);
    size_t ok = 0;
    fs_errcode rc = fs__load_all(s, ins, n, &s->cur, &ok, err, errn);
    for (size_t i = 0; i < n; i++) {
        if (i < ok)
            s->inputs[s->n_inputs++] = ins[i];
        else
            free(ins[i].path);
    }
    return rc;
}

fs_errcode fs_viz_source_add_file(fs_viz_source *s, const char *path, char *err, size_t errn)
{
    return fs_viz_source_add_files(s, &path, 1, err, errn);
}

fs_errcode fs_viz_source_add_files(fs_viz_source *s, const char *const *paths, size_t n, char *err,
                                   size_t errn)
{
    fs__input *ins = calloc(n ? n : 1, sizeof *ins);
    if (!ins) {
        snprintf(err, errn, "out of memory");
        return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        ins[i] = (fs__input){.path = strdup(paths[i]), .is_trace = fs__ends_with(paths[i], ".jsonl")};
    fs_errcode rc = fs__add(s, ins, n, err, errn);
    free(ins);
    return rc;
}

fs_errcode fs_viz_source_add_text(fs_viz_source *s, const char *text, size_t len, const char *name,
                                  char *err, size_t errn)
{
    fs__input in = {.path = strdup(name), .text = text, .len = len};
    return fs__add(s, &in, 1, err, errn);
}

int fs_viz_source_check(fs_viz_source *s, char *err, size_t errn)
{
    bool changed = false;
    for (size_t i = 0; i < s->n_inputs; i++) {
        fs__input *in = &s->inputs[i];
        if (in->text)
            continue;
        fs__input now = *in;
        fs__stat(&now);
        if (now.stat_ok != in->stat_ok || (now.stat_ok && (now.size != in->size ||
                                                           now.mtime.tv_sec != in->mtime.tv_sec ||
                                                           now.mtime.tv_nsec != in->mtime.tv_nsec)))
            changed = true;
        *in = now;  /* a failed edit is not retried until the next change */
    }
    if (!changed)
        return 0;
    fs__gen g = {0};
    for (size_t i = 0; i < s->n_inputs; i++)
        if (!s->inputs[i].stat_ok && !s->inputs[i].text) {
            snprintf(err, errn, "%s: cannot read the file (moved or being saved?)", s->inputs[i].path);
            return -1;
        }
    size_t ok;
    if (fs__load_all(s, s->inputs, s->n_inputs, &g, &ok, err, errn) != FS_ERR_OK) {
        fs__gen_free(&g);
        return -1;
    }
    fs__gen_free(&s->prev);
    s->prev = s->cur;
    s->cur = g;
    return 1;
}
