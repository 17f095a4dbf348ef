/* jsonw.c - buffered JSON text output. */
#include "jsonw.h"

#include <string.h>

void fs_jsonw_init(fs_jsonw *w, FILE *out)
{
    w->out = out;
    w->len = 0;
    w->failed = false;
}

bool fs_jsonw_flush(fs_jsonw *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->failed = true;
    w->len = 0;
    if (fflush(w->out) != 0)
        w->failed = true;
    return !w->failed;
}

static void fs__spill(fs_jsonw *w)
{
    if (fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->failed = true;
    w->len = 0;
}

void fs_jsonw_raw(fs_jsonw *w, const char *s, size_t n)
{
    if (w->len + n > sizeof w->buf) {
        fs__spill(w);
        if (n > sizeof w->buf) {
            if (fwrite(s, 1, n, w->out) != n)
                w->failed = true;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

void fs_jsonw_lit(fs_jsonw *w, const char *s)
{
    fs_jsonw_raw(w, s, strlen(s));
}

void fs_jsonw_char(fs_jsonw *w, char c)
{
    if (w->len == sizeof w->buf)
        fs__spill(w);
    w->buf[w->len++] = c;
}

void fs_jsonw_str(fs_jsonw *w, const char *s)
{
    if (!s) {
        fs_jsonw_raw(w, "null", 4);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    fs_jsonw_char(w, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fs_jsonw_char(w, '\\');
            fs_jsonw_char(w, (char)c);
        } else if (c == '\n') {
            fs_jsonw_raw(w, "\\n", 2);
        } else if (c == '\t') {
            fs_jsonw_raw(w, "\\t", 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            fs_jsonw_raw(w, e, 6);
        } else {
            fs_jsonw_char(w, (char)c);
        }
    }
    fs_jsonw_char(w, '"');
}

void fs_jsonw_i64(fs_jsonw *w, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    char out[24];
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    fs_jsonw_raw(w, out, (size_t)n);
}

void fs_jsonw_f64(fs_jsonw *w, double v, int decimals)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    fs_jsonw_raw(w, tmp, (size_t)n);
}

void fs_jsonw_bool(fs_jsonw *w, bool v)
{
    fs_jsonw_lit(w, v ? "true" : "false");
}

void fs_jsonw_key(fs_jsonw *w, const char *key, bool first)
{
    if (!first)
        fs_jsonw_char(w, ',');
    fs_jsonw_str(w, key);
    fs_jsonw_char(w, ':');
}
