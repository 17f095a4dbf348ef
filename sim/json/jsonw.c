/* jsonw.c - buffered JSON text output. */
#include "jsonw.h"

void fs_jsonw_init(fs_jsonw *w, FILE *out)
{
    w->out = out;
    w->len = 0;
    w->spilled = 0;
    w->max = 0;
    w->failed = false;
    w->over = false;
}

void fs_jsonw_limit(fs_jsonw *w, uint64_t max)
{
    w->max = max;
}

/* Every byte that reaches the FILE passes here. */
static void fs__jsonw_put(fs_jsonw *w, const char *s, size_t n)
{
    if (w->max && (w->over || n > w->max - w->spilled))
        w->over = w->failed = true;
    else if (n && fwrite(s, 1, n, w->out) != n)
        w->failed = true;
    w->spilled += n;
}

bool fs_jsonw_flush(fs_jsonw *w)
{
    fs__jsonw_spill(w);
    if (fflush(w->out) != 0)
        w->failed = true;
    return !w->failed;
}

void fs__jsonw_spill(fs_jsonw *w)
{
    fs__jsonw_put(w, w->buf, w->len);
    w->len = 0;
}

void fs__jsonw_raw_slow(fs_jsonw *w, const char *s, size_t n)
{
    fs__jsonw_spill(w);
    if (n > sizeof w->buf) {
        fs__jsonw_put(w, s, n);
        return;
    }
    memcpy(w->buf, s, n);
    w->len = n;
}

void fs_jsonw_lit(fs_jsonw *w, const char *s)
{
    fs_jsonw_raw(w, s, strlen(s));
}

/* Bytes that need an escape: quote, backslash, controls and DEL. */
static const bool fs__esc[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

static void fs__escaped(fs_jsonw *w, const unsigned char *p, const unsigned char *end)
{
    static const char hex[] = "0123456789abcdef";
    while (p < end) {
        /* copy the plain run up to the next byte that needs an escape */
        const unsigned char *q = p;
        while (q < end && !fs__esc[*q])
            q++;
        fs_jsonw_raw(w, (const char *)p, (size_t)(q - p));
        if (q == end)
            return;
        unsigned char c = *q;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            fs_jsonw_raw(w, e, 2);
        } else if (c == '\n') {
            fs_jsonw_raw(w, "\\n", 2);
        } else if (c == '\t') {
            fs_jsonw_raw(w, "\\t", 2);
        } else {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            fs_jsonw_raw(w, e, 6);
        }
        p = q + 1;
    }
}

void fs_jsonw_strn(fs_jsonw *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    if (n + 2 <= FS_JSONW_BUF - w->len) {
        /* the common case: a plain string that fits, copied as it is scanned */
        char *o = w->buf + w->len;
        *o++ = '"';
        while (p < end && !fs__esc[*p])
            *o++ = (char)*p++;
        if (p == end) {
            *o++ = '"';
            w->len = (size_t)(o - w->buf);
            return;
        }
        w->len = (size_t)(o - w->buf);
    } else {
        fs_jsonw_char(w, '"');
    }
    fs__escaped(w, p, end);
    fs_jsonw_char(w, '"');
}

void fs_jsonw_str(fs_jsonw *w, const char *s)
{
    if (!s) {
        fs_jsonw_raw(w, "null", 4);
        return;
    }
    fs_jsonw_strn(w, s, strlen(s));
}

void fs_jsonw_f64(fs_jsonw *w, double v, int decimals)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    fs_jsonw_raw(w, tmp, (size_t)n);
}

void fs_jsonw_bool(fs_jsonw *w, bool v)
{
    if (v)
        fs_jsonw_raw(w, "true", 4);
    else
        fs_jsonw_raw(w, "false", 5);
}

void fs_jsonw_key(fs_jsonw *w, const char *key, bool first)
{
    if (!first)
        fs_jsonw_char(w, ',');
    fs_jsonw_str(w, key);
    fs_jsonw_char(w, ':');
}
