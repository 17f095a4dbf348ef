/* trace_reader.c - JSONL trace -> fs_trace (see the header): the file read
 * in blocks and cut into lines, each line handed to a decoder (the fast one
 * in trace_line.c, else cJSON in trace_decode.c) and its record to the
 * model builder (trace_build.c); the public functions. The parts form a
 * chain: reader -> decoders -> builder -> trace_common.c. */
#include "trace_reader.h"
#include "trace_rec.h"
#include "humanize.h"
#include "json_pos.h"

#include <cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------- */

/* True if a byte of p[0..n) is above 0x7F (a whole block at a time: most
 * traces are ASCII and need no UTF-8 check). */
static bool fs__any_high(const char *p, size_t n)
{
    uint64_t acc = 0, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    return acc & 0x8080808080808080u;
}

/* Hands the waiting record to the builder, under its own line number. */
static fs_errcode fs__flush(fs__reader *r)
{
    if (!r->has_pend)
        return FS_ERR_OK;
    r->has_pend = false;
    size_t line = r->line;
    r->line = r->pend_line;
    fs_errcode rc = fs__trace_add(r, &r->pend);
    r->line = line;
    return rc;
}

/* One line, NUL-terminated at len. may_have_nul, may_have_high: a block
 * read so far held a NUL byte, or a byte above 0x7F, so the line must be
 * checked (cJSON takes both; its strings would then reach the model and
 * the exports as they are). */
static fs_errcode fs__line(fs__reader *r, const char *text, size_t len, bool last_unterminated,
                           bool may_have_nul, bool may_have_high)
{
    if (may_have_nul && memchr(text, '\0', len)) {
        FS__TRY(fs__flush(r));
        return fs__trace_fail(r, "binary data (a NUL byte) in the line: not a futurescope trace");
    }
    size_t bad;
    if (may_have_high && (bad = fs_json_utf8_check(text, len)) < len) {
        FS__TRY(fs__flush(r));
        return fs__trace_fail(r, "invalid UTF-8 at byte %zu of the line (a trace is UTF-8 text)",
                              bad + 1);
    }
    if (r->header_seen && !r->summary_seen && fs__trace_fast_lines) {
        /* Most lines are plain events: decode them without a JSON tree. */
        int k = r->cur;
        if (len + 1 > r->cap_scratch[k]) {
            char *s = realloc(r->scratch[k], len + 1);
            if (!s)
                return fs__trace_nomem(r);
            r->scratch[k] = s;
            r->cap_scratch[k] = len + 1;
        }
        fs__rec rec;
        if (fs__trace_line_fast(text, len, &rec, r->scratch[k])) {
            if (rec.task >= 0 && (size_t)rec.task < r->tr->n_tasks)
                __builtin_prefetch(&r->aux[rec.task], 1);
            FS__TRY(fs__flush(r));
            r->pend = rec;
            r->pend_line = r->line;
            r->has_pend = true;
            r->cur = !k;
            return FS_ERR_OK;
        }
        FS__TRY(fs__flush(r));
        if (fs__trace_summary_fast(text, len, &r->tr->summary, r->tr->tasks, r->tr->n_tasks)) {
            r->summary_seen = true;
            return FS_ERR_OK;
        }
    }
    FS__TRY(fs__flush(r));
    r->text = text;
    r->text_len = len;
    /* cJSON keeps the place of the last parse's error in a global that
     * every parse writes: reads on several threads parse in turn (the
     * header, the summary and the rare lines; the fast path needs no lock) */
    static pthread_mutex_t cjson_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&cjson_lock);
    cJSON *o = cJSON_ParseWithLength(text, len);
    pthread_mutex_unlock(&cjson_lock);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        if (!r->header_seen)
            return fs__trace_fail(r, "not a futurescope trace (the first line is not a JSON object)");
        if (last_unterminated)
            return fs__trace_fail(r, "truncated last line (the trace was cut off while being written)");
        return fs__trace_fail(r, "malformed JSON line (expected one JSON object per line)");
    }
    fs_errcode rc;
    if (!r->header_seen) {
        rc = fs__trace_decode_header(r, o);
        r->header_seen = true;
    } else if (r->summary_seen) {
        rc = fs__trace_fail(r, "unexpected line after the summary line");
    } else {
        fs__rec rec;
        rc = fs__trace_decode_event(r, o, &rec);
        if (rc == FS_ERR_OK && rec.type == FS__R_SUMMARY) {
            rc = fs__trace_decode_summary(r, o);
            r->summary_seen = true;
        } else if (rc == FS_ERR_OK) {
            rc = fs__trace_add(r, &rec);
            if (rc == FS_ERR_OK && rec.type == FS__R_STALL)
                rc = fs__trace_decode_stall(r, o);
        }
    }
    cJSON_Delete(o);
    return rc;
}

static void (*fs__progress)(void *ctx, const char *name, size_t lines);
static void *fs__progress_ctx;

void fs_trace_set_progress(void (*fn)(void *ctx, const char *name, size_t lines), void *ctx)
{
    fs__progress = fn;
    fs__progress_ctx = ctx;
}

/* Bytes read at once: from 64 KiB, doubled while reads fill the buffer, up
 * to 1 MiB (a small trace, or a fuzzer's input, costs no 1 MiB buffer); a
 * longer line grows the buffer past it. */
#define FS__BLOCK_MIN (1 << 16)
#define FS__BLOCK (1 << 20)

/* Cuts the stream into lines: blocks go into buf, whole lines are handed
 * on in place, the unfinished tail moved to the front before the next
 * block. Fed by fread (fs_trace_read_stream) or by a writer (fs_trace_feed). */
typedef struct fs__lines {
    char *buf;
    size_t cap, have, start, scanned;
    bool nul, high, filled;  /* a block held a NUL, a byte above 0x7F; the last filled buf */
} fs__lines;

static void fs__line_count(fs__reader *r)
{
    if ((++r->line & 0x3FFFF) == 0 && fs__progress && !r->quiet)
        fs__progress(fs__progress_ctx, r->name, r->line);
}

/* Room for the next block at the end of buf: *room bytes (NULL when out of
 * memory). */
static char *fs__lines_space(fs__lines *L, size_t *room)
{
    if (L->start > 0) {
        memmove(L->buf, L->buf + L->start, L->have - L->start);
        L->have -= L->start;
        L->start = 0;
    }
    L->scanned = L->have;
    if (!L->buf || L->have == L->cap || (L->filled && L->cap < FS__BLOCK)) {
        size_t cap = L->buf ? 2 * L->cap : FS__BLOCK_MIN;
        char *b = realloc(L->buf, cap + 1);
        if (!b)
            return NULL;
        L->buf = b;
        L->cap = cap;
    }
    *room = L->cap - L->have;
    return L->buf + L->have;
}

/* got bytes written at fs__lines_space: its whole lines handed on. */
static fs_errcode fs__lines_commit(fs__reader *r, fs__lines *L, size_t got)
{
    L->filled = got == L->cap - L->have;
    if (memchr(L->buf + L->have, '\0', got))
        L->nul = true;
    L->high = L->high || fs__any_high(L->buf + L->have, got);
    L->have += got;
    fs_errcode rc = FS_ERR_OK;
    char *nl;
    while (rc == FS_ERR_OK && (nl = memchr(L->buf + L->scanned, '\n', L->have - L->scanned))) {
        fs__line_count(r);
        *nl = '\0';
        rc = fs__line(r, L->buf + L->start, (size_t)(nl - (L->buf + L->start)), false, L->nul, L->high);
        L->start = L->scanned = (size_t)(nl + 1 - L->buf);
    }
    return rc;
}

/* The end of the stream: a last line without its newline, then the record
 * still waiting. Frees buf. */
static fs_errcode fs__lines_end(fs__reader *r, fs__lines *L, fs_errcode rc)
{
    if (rc == FS_ERR_OK && L->start < L->have) {
        fs__line_count(r);
        L->buf[L->have] = '\0';
        rc = fs__line(r, L->buf + L->start, L->have - L->start, true, L->nul, L->high);
    }
    free(L->buf);
    L->buf = NULL;
    if (rc == FS_ERR_OK)
        rc = fs__flush(r);
    return rc;
}

static fs_errcode fs__read_lines(fs__reader *r, FILE *in)
{
    fs__lines L = {0};
    fs_errcode rc = FS_ERR_OK;
    for (;;) {
        size_t room;
        char *p = fs__lines_space(&L, &room);
        if (!p) {
            rc = fs__trace_nomem(r);
            break;
        }
        size_t got = fread(p, 1, room, in);
        if (got == 0)
            break;
        rc = fs__lines_commit(r, &L, got);
        if (rc != FS_ERR_OK)
            break;
    }
    return fs__lines_end(r, &L, rc);
}

static bool fs__read_begin(fs__reader *r, fs_trace **tr, const char *name, fs_error *err)
{
    memset(err, 0, sizeof *err);
    *tr = calloc(1, sizeof **tr);
    *r = (fs__reader){.tr = *tr, .err = err, .name = name, .memo_reg_res = -1, .memo_wake_res = -1};
    if (*tr && fs__trace_pool_init(*tr))
        return true;
    fs_trace_free(*tr);
    return false;
}

/* After the last line: the checks of a whole trace, the model laid out. */
static fs_errcode fs__read_end(fs__reader *r, fs_errcode rc, fs_trace **out)
{
    fs_trace *tr = r->tr;
    if (rc == FS_ERR_OK && !r->header_seen)
        rc = fs__trace_fail(r, "empty file: not a futurescope trace");
    if (rc == FS_ERR_OK && !r->summary_seen)
        rc = fs__trace_fail(r, "truncated trace (no summary line)");
    if (rc == FS_ERR_OK)
        rc = fs__trace_finish(r);
    tr->lines = r->line;
    fs__trace_reader_free(r);
    if (rc != FS_ERR_OK) {
        fs_trace_free(tr);
        return rc;
    }
    fs__trace_pool_end(tr);
    *out = tr;
    return FS_ERR_OK;
}

static fs_errcode fs__read_stream(FILE *in, const char *name, bool quiet, fs_trace **out, fs_error *err)
{
    *out = NULL;
    fs__reader r;
    fs_trace *tr;
    if (!fs__read_begin(&r, &tr, name, err))
        return FS_ERR_NOMEM;
    r.quiet = quiet;
    fs_errcode rc = fs__read_lines(&r, in);
    if (fs__progress && !quiet)
        fs__progress(fs__progress_ctx, name, 0); /* done */
    if (rc == FS_ERR_OK && ferror(in)) {
        fs__trace_fail(&r, "read error: %s", strerror(errno));
        rc = err->code = FS_ERR_IO;
    }
    return fs__read_end(&r, rc, out);
}

fs_errcode fs_trace_read_stream(FILE *in, const char *name, fs_trace **out, fs_error *err)
{
    return fs__read_stream(in, name, false, out, err);
}

/* ---- fed by a writer ------------------------------------------------------- */

struct fs_trace_feed {
    fs__reader r;
    fs_trace *tr;
    fs__lines lines;
    fs_errcode rc;            /* the first error; later writes are refused */
    fs_error err;
    char name[300];
};

fs_trace_feed *fs_trace_feed_new(const char *name)
{
    fs_trace_feed *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->name, sizeof f->name, "%s", name);
    if (!fs__read_begin(&f->r, &f->tr, f->name, &f->err)) {
        free(f);
        return NULL;
    }
    f->r.quiet = true;
    return f;
}

bool fs_trace_feed_write(fs_trace_feed *f, const char *p, size_t n)
{
    while (n > 0 && f->rc == FS_ERR_OK) {
        size_t room;
        char *to = fs__lines_space(&f->lines, &room);
        if (!to) {
            f->rc = fs__trace_nomem(&f->r);
            break;
        }
        size_t k = n < room ? n : room;
        memcpy(to, p, k);
        f->rc = fs__lines_commit(&f->r, &f->lines, k);
        p += k;
        n -= k;
    }
    return f->rc == FS_ERR_OK;
}

fs_errcode fs_trace_feed_end(fs_trace_feed *f, fs_trace **out, fs_error *err)
{
    *out = NULL;
    fs_errcode rc = fs__lines_end(&f->r, &f->lines, f->rc);
    rc = fs__read_end(&f->r, rc, out);
    *err = f->err;
    free(f);
    return rc;
}

static fs_errcode fs__read_file(const char *path, bool quiet, fs_trace **out, fs_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        memset(err, 0, sizeof *err);
        snprintf(err->file, sizeof err->file, "%s", path);
        fs_error_set(err, FS_ERR_IO, "cannot open: %s", strerror(errno));
        *out = NULL;
        return FS_ERR_IO;
    }
    fs_errcode rc = fs__read_stream(f, path, quiet, out, err);
    fclose(f);
    return rc;
}

fs_errcode fs_trace_read_file(const char *path, fs_trace **out, fs_error *err)
{
    return fs__read_file(path, false, out, err);
}

fs_errcode fs_trace_read_file_quiet(const char *path, fs_trace **out, fs_error *err)
{
    return fs__read_file(path, true, out, err);
}

fs_errcode fs_trace_read_text(const char *text, size_t len, const char *name, fs_trace **out,
                              fs_error *err)
{
    if (len == 0) {
        /* fmemopen refuses a zero-length buffer; an empty trace is still an error. */
        memset(err, 0, sizeof *err);
        snprintf(err->file, sizeof err->file, "%s", name);
        fs_error_set(err, FS_ERR_INPUT, "empty file: not a futurescope trace");
        *out = NULL;
        return FS_ERR_INPUT;
    }
    FILE *f = fmemopen((void *)text, len, "r");
    if (!f) {
        *out = NULL;
        return FS_ERR_NOMEM;
    }
    fs_errcode rc = fs_trace_read_stream(f, name, out, err);
    fclose(f);
    return rc;
}

void fs_trace_free(fs_trace *tr)
{
    if (!tr)
        return;
    free(tr->slice_block);
    free(tr->cum_block);
    free(tr->wake_block);
    free(tr->reg_block);
    free(tr->driver_block);
    free(tr->queue_block);
    free(tr->budget_block);
    free(tr->steal_block);
    free(tr->job_block);
    free(tr->bthreads);
    for (size_t i = 0; i < tr->n_resources; i++)
        free(tr->resources[i].io);
    for (int i = 0; tr->workers_v && i < tr->workers; i++) {
        free(tr->workers_v[i].parks);
        free(tr->workers_v[i].preempts);
        free(tr->workers_v[i].pauses);
        free(tr->workers_v[i].busy);
    }
    free(tr->tasks);
    free(tr->resources);
    free(tr->workers_v);
    free(tr->wakes);
    free(tr->times);
    free(tr->stalled);
    fs__trace_pool_end(tr);
    free(tr->pool);
    free(tr);
}

void fs_trace_error_print(const fs_error *err, FILE *out)
{
    char buf[4 * sizeof err->msg]; /* messages quote the trace: escape control characters */
    if (err->file[0]) {
        fputs(fs_format_printable(err->file, buf, sizeof buf), out);
        if (err->line > 0)
            fprintf(out, ":%d", err->line);
        fputs(": ", out);
    }
    fprintf(out, "%s\n", fs_format_printable(err->msg[0] ? err->msg : fs_strerror(err->code), buf,
                                              sizeof buf));
}
