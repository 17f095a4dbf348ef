/* trace_common.c - what the trace reader's parts (trace_reader.c,
 * trace_decode.c, trace_build.c) share, at the bottom of their chain:
 * growable arrays, the string pool and error reports. */
#include "mem_hint.h"
#include "str_hash.h"
#include "trace_rec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exact integers -------------------------------------------------------- */

/* Past a string (p at its opening quote); NULL if it does not end. */
static const char *fs__past_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

bool fs__trace_raw_int(const char *text, size_t len, const char *key, int64_t *out)
{
    const char *p = text, *end = text + len;
    size_t klen = strlen(key);
    int depth = 0;
    while (p < end) {
        if (*p == '{' || *p == '[') {
            depth++, p++;
        } else if (*p == '}' || *p == ']') {
            depth--, p++;
        } else if (*p != '"') {
            p++;
        } else {
            /* A string: a top-level key if a colon follows it. */
            const char *s = p, *q = fs__past_string(p, end);
            if (!q)
                return false;
            p = q;
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
                p++;
            if (depth != 1 || p == end || *p != ':' || (size_t)(q - s - 2) != klen ||
                memcmp(s + 1, key, klen) != 0)
                continue;
            for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
                ;
            bool neg = p < end && *p == '-';
            const char *d = p + neg;
            uint64_t x = 0;
            for (p = d; p < end && *p >= '0' && *p <= '9' && x <= (uint64_t)FS__TRACE_INT_MAX; p++)
                x = x * 10 + (uint64_t)(*p - '0');
            if (p == d || x > (uint64_t)FS__TRACE_INT_MAX || (p - d > 1 && *d == '0') ||
                (p < end && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9'))))
                return false;
            *out = neg ? -(int64_t)x : (int64_t)x;
            return true;
        }
    }
    return false;
}

/* ---- growable arrays ----------------------------------------------------- */

bool fs__trace_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *q;
    if (n * size < FS__TRACE_BIG) {
        q = realloc(*p, n * size);
    } else {
        /* a new block asked for huge pages before the copy touches it */
        q = fs__trace_alloc(n * size);
        if (q && *p)
            memcpy(q, *p, *cap * size);
        if (q)
            free(*p);
    }
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

void *fs__trace_alloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    fs_mem_hint_huge(p, bytes);
    return p;
}

/* ---- string pool --------------------------------------------------------- */

/* Interning keeps a million-line trace of the same await points small. */
typedef struct fs__intern {
    uint32_t *slots;   /* offset + 1, 0 = empty */
    size_t cap, used;
} fs__intern;

static bool fs__pool_add(fs_trace *tr, const char *s, uint32_t *out)
{
    size_t len = strlen(s) + 1;
    size_t cap = tr->pool_cap;
    if (tr->pool_len + len > UINT32_MAX)
        return false;
    if (!fs__trace_grow((void **)&tr->pool, &cap, tr->pool_len + len, 1))
        return false;
    tr->pool_cap = cap;
    memcpy(tr->pool + tr->pool_len, s, len);
    *out = (uint32_t)tr->pool_len;
    tr->pool_len += len;
    return true;
}

static bool fs__rehash(fs_trace *tr)
{
    fs__intern *in = tr->intern;
    size_t cap = in->cap ? in->cap * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i])
            continue;
        size_t j = fs_str_hash(tr->pool + in->slots[i] - 1) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = in->slots[i];
    }
    free(in->slots);
    in->slots = slots;
    in->cap = cap;
    return true;
}

bool fs__trace_intern(fs_trace *tr, const char *s, uint32_t *out)
{
    if (!s || !*s) {
        *out = 0;
        return true;
    }
    fs__intern *in = tr->intern;
    if ((in->used + 1) * 2 > in->cap && !fs__rehash(tr))
        return false;
    size_t j = fs_str_hash(s) & (in->cap - 1);
    while (in->slots[j]) {
        if (strcmp(tr->pool + in->slots[j] - 1, s) == 0) {
            *out = in->slots[j] - 1;
            return true;
        }
        j = (j + 1) & (in->cap - 1);
    }
    if (!fs__pool_add(tr, s, out))
        return false;
    in->slots[j] = *out + 1;
    in->used++;
    return true;
}

bool fs__trace_pool_init(fs_trace *tr)
{
    uint32_t empty;
    tr->intern = calloc(1, sizeof *tr->intern);
    return tr->intern && fs__pool_add(tr, "", &empty);
}

void fs__trace_pool_end(fs_trace *tr)
{
    if (tr->intern)
        free(tr->intern->slots);
    free(tr->intern);
    tr->intern = NULL;
}

/* ---- errors ----------------------------------------------------------------- */

fs_errcode fs__trace_fail(fs__reader *r, const char *fmt, ...)
{
    va_list ap;
    r->err->code = FS_ERR_INPUT;
    snprintf(r->err->file, sizeof r->err->file, "%s", r->name);
    r->err->line = (int)r->line;
    r->err->col = 0;
    r->err->path[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
    va_end(ap);
    return FS_ERR_INPUT;
}

fs_errcode fs__trace_nomem(fs__reader *r)
{
    fs__trace_fail(r, "out of memory");
    r->err->code = FS_ERR_NOMEM;
    return FS_ERR_NOMEM;
}
