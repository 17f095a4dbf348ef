/* jsonw.h - a small buffered JSON text writer for traces, summaries and
 * exports. Values are appended to a buffer flushed to a FILE when full; no
 * allocation per value. Write errors are remembered and reported by
 * fs_jsonw_flush / fs_jsonw_failed.
 *
 * The short appends are inline: a trace line is a dozen of them, and the
 * common case is a memcpy into a buffer that has room. */
#ifndef FS_JSONW_H
#define FS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"

#define FS_JSONW_BUF (64 * 1024)

typedef struct fs_jsonw {
    FILE *out;
    size_t len;
    uint64_t spilled;   /* bytes handed to out so far */
    uint64_t max;       /* at most this many bytes reach out (0: no limit) */
    bool failed;
    bool over;          /* a write would have passed max: it and all later ones were dropped */
    char buf[FS_JSONW_BUF];
} fs_jsonw;


void fs_jsonw_init(fs_jsonw *w, FILE *out);
/* No more than max bytes will reach the FILE: the write that would pass
 * it fails (fs_jsonw_flush returns false, w->over is set) and nothing
 * more is written. Checked only when the buffer spills. */
void fs_jsonw_limit(fs_jsonw *w, uint64_t max);
/* Bytes written so far, buffered or not. */
static inline uint64_t fs_jsonw_size(const fs_jsonw *w)
{
    return w->spilled + w->len;
}
/* Writes what is buffered; false if any write so far failed. */
bool fs_jsonw_flush(fs_jsonw *w);
void fs_jsonw_lit(fs_jsonw *w, const char *s);   /* raw text, NUL-terminated */
void fs_jsonw_str(fs_jsonw *w, const char *s);   /* quoted and escaped; NULL -> null */
/* The first n bytes of s, quoted and escaped. */
void fs_jsonw_strn(fs_jsonw *w, const char *s, size_t n);
void fs_jsonw_f64(fs_jsonw *w, double v, int decimals);
void fs_jsonw_bool(fs_jsonw *w, bool v);
/* ,"key": (comma unless first) */
void fs_jsonw_key(fs_jsonw *w, const char *key, bool first);

/* private: the slow halves of the inline functions below */
void fs__jsonw_raw_slow(fs_jsonw *w, const char *s, size_t n);
void fs__jsonw_spill(fs_jsonw *w);

static inline void fs_jsonw_raw(fs_jsonw *w, const char *s, size_t n)
{
    if (n <= FS_JSONW_BUF - w->len) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    } else {
        fs__jsonw_raw_slow(w, s, n);
    }
}

static inline void fs_jsonw_char(fs_jsonw *w, char c)
{
    if (w->len == FS_JSONW_BUF)
        fs__jsonw_spill(w);
    w->buf[w->len++] = c;
}

static inline void fs_jsonw_i64(fs_jsonw *w, int64_t v)
{
    if (FS_JSONW_BUF - w->len < 21)
        fs__jsonw_spill(w);
    char *p = w->buf + w->len;
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        *p++ = '-';
        u = 0 - u;
        w->len++;
    }
    w->len += fs_u64_digits(p, u);
}

/* A string literal, its length known at compile time. */
#define FS_JSONW_LIT(w, s) fs_jsonw_raw((w), "" s, sizeof(s) - 1)

#endif
