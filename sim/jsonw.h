/* jsonw.h - a small buffered JSON text writer for traces, summaries and
 * exports. Values are appended to a buffer flushed to a FILE when full; no
 * allocation per value. Write errors are remembered and reported by
 * fs_jsonw_flush / fs_jsonw_failed. */
#ifndef FS_JSONW_H
#define FS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define FS_JSONW_BUF (64 * 1024)

typedef struct fs_jsonw {
    FILE *out;
    size_t len;
    bool failed;
    char buf[FS_JSONW_BUF];
} fs_jsonw;

void fs_jsonw_init(fs_jsonw *w, FILE *out);
/* Writes what is buffered; false if any write so far failed. */
bool fs_jsonw_flush(fs_jsonw *w);
void fs_jsonw_raw(fs_jsonw *w, const char *s, size_t n);
void fs_jsonw_lit(fs_jsonw *w, const char *s);   /* raw text, NUL-terminated */
void fs_jsonw_char(fs_jsonw *w, char c);
void fs_jsonw_str(fs_jsonw *w, const char *s);   /* quoted and escaped; NULL -> null */
void fs_jsonw_i64(fs_jsonw *w, int64_t v);
void fs_jsonw_f64(fs_jsonw *w, double v, int decimals);
void fs_jsonw_bool(fs_jsonw *w, bool v);
/* ,"key": (comma unless first) */
void fs_jsonw_key(fs_jsonw *w, const char *key, bool first);

#endif
