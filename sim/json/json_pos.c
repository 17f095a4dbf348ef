/* json_pos.c - strict JSON scanning, building the tree of positioned nodes.
 *
 * The scanner is iterative (an explicit stack of open containers, at most
 * FS_JSON_MAX_NESTING), so hostile nesting costs memory that is bounded up
 * front and never C stack. It accepts exactly what RFC 8259 accepts, minus
 * two things the program refused when it parsed with cJSON, and still does:
 * "\u0000" in strings (strings are C strings) and numbers longer than 63
 * characters. Each value becomes a node as it is met; each string is
 * unescaped into one buffer, which the quotes alone make big enough. */
#include "json_pos.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FS__NO_KEY UINT32_MAX
#define FS__MAX_NUMBER 63 /* cJSON's number buffer held 64 bytes */

struct fs_json_doc {
    const unsigned char *text;
    size_t len;
    /* Values in document order (pre-order). */
    fs_json_node *nodes;
    size_t n, cap;
    /* Every string, unescaped and NUL-terminated: each is shorter than its
     * quoted text, so len bytes hold them all. */
    char *strings;
    size_t strings_used;
    /* Line/column cursor: the last offset converted, and its line and col. */
    size_t cur_off;
    int cur_line, cur_col;
    /* Where the line breaks are: the scanner meets a '\n' only between
     * tokens (inside a string it is an error), and keeps each one's offset
     * (nl_lost: memory ran out, so none are). Before ascii_end (the first
     * byte above 0x7F past a byte order mark, which only a string can hold;
     * len if none) a column is a count of bytes, so a position there is a
     * look-up in nl, not a count of the text: a big scenario asks for one
     * per future. nl_at: the line breaks before the last offset asked. */
    uint32_t *nl;
    size_t n_nl, nl_cap, nl_at, ascii_end;
    bool nl_lost;
    /* For look-ups behind the cursor (a scenario's calls look back at the
     * definitions, once a call): the line and column at every FS__LC_STEP
     * bytes, built by the first such look-up. */
    int *cp_line, *cp_col;
};

#define FS__LC_STEP 4096

/* ---- text helpers -------------------------------------------------------- */

static size_t bom_len(const unsigned char *t, size_t n)
{
    return n >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF ? 3 : 0;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Moves (line, col) from offset `from` to offset `to`, counting code points. */
static void advance(const unsigned char *t, size_t from, size_t to, int *line, int *col)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t p = from;
    while (p < to) {
        /* Eight bytes at once while none is a line break or above 0x7F: each
         * is then one column. (x - ones) & ~x has a high bit set only where
         * x has a zero byte, and x is zero where the byte is '\n'.) */
        size_t end = p + 1;
        if (to - p >= 8) {
            uint64_t w, nl;
            memcpy(&w, t + p, 8);
            nl = w ^ 0x0A0A0A0A0A0A0A0AULL;
            if ((((nl - ones) & ~nl) | w) & high) {
                end = p + 8;
            } else {
                *col += 8;
                p += 8;
                continue;
            }
        }
        for (; p < end; p++) {
            if (t[p] == '\n') {
                ++*line;
                *col = 1;
            } else if ((t[p] & 0xC0) != 0x80) {
                ++*col;
            }
        }
    }
}

/* Length of the UTF-8 sequence at s (n bytes available): 0 if it is not
 * valid UTF-8 (overlong, surrogate, beyond U+10FFFF), SIZE_MAX if the text
 * ends inside it. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t k;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        lo = c == 0xE0 ? 0xA0 : lo;
        hi = c == 0xED ? 0x9F : hi;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        lo = c == 0xF0 ? 0x90 : lo;
        hi = c == 0xF4 ? 0x8F : hi;
    } else {
        return 0;
    }
    if (n < k)
        return SIZE_MAX;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

size_t fs_json_utf8_check(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t p = 0;
    while (p < len) {
        if (t[p] < 0x80) {
            p++;
            continue;
        }
        size_t k = utf8_seq(t + p, len - p);
        if (k == 0 || k == SIZE_MAX)
            return p;
        p += k;
    }
    return len;
}

static bool is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* What stands at t[p], for "got ..." in messages: "'}'", "\"True\"",
 * "'“'" (a whole UTF-8 character) or "byte 0x01". */
static const char *describe(const unsigned char *t, size_t n, size_t p, char *buf, size_t size)
{
    unsigned char c = t[p];
    if (c == 0) {
        snprintf(buf, size, "a NUL byte");
    } else if (c == '\'') {
        snprintf(buf, size, "a single quote");
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        size_t k = 0;
        while (p + k < n && k < 24 && is_word_char(t[p + k]))
            k++;
        snprintf(buf, size, "\"%.*s%s\"", (int)k, (const char *)t + p,
                 p + k < n && is_word_char(t[p + k]) ? "..." : "");
    } else if (c >= 0x20 && c < 0x7F) {
        snprintf(buf, size, "'%c'", c);
    } else if (c >= 0x80 && utf8_seq(t + p, n - p) != 0 && utf8_seq(t + p, n - p) != SIZE_MAX) {
        snprintf(buf, size, "'%.*s'", (int)utf8_seq(t + p, n - p), (const char *)t + p);
    } else {
        snprintf(buf, size, "byte 0x%02x", c);
    }
    return buf;
}

void fs_json_set_error_path(fs_error *err, const char *path)
{
    size_t n = strlen(path), cap = sizeof err->path;
    if (n == 0)
        snprintf(err->path, cap, "(root)");
    else if (n < cap)
        memcpy(err->path, path, n + 1);
    else
        snprintf(err->path, cap, "...%s", path + n - (cap - 4));
}

/* ---- the strict scanner ---------------------------------------------------- */

typedef struct fs__frame {
    unsigned char type, close; /* '{' or '[', and '}' or ']' */
    bool in_value;             /* scanning the current member's value / element */
    uint32_t index;            /* members or elements finished */
    uint32_t key_off, key_len; /* object: the current key, inside its quotes */
    uint32_t node, last;       /* its node, and its last child's (FS__NO_KEY: none yet) */
} fs__frame;

typedef struct fs__scan {
    const unsigned char *t;
    size_t n, p;
    fs_json_doc *doc;
    fs_error *err;
    int depth;
    fs__frame stack[FS_JSON_MAX_NESTING];
} fs__scan;

/* The path of what is being scanned: each open container's current member
 * or element; the innermost one only while its value is being scanned. */
static void scan_path(const fs__scan *s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->depth && len < size; i++) {
        const fs__frame *f = &s->stack[i];
        if (!f->in_value)
            break;
        int k;
        if (f->type == '{')
            k = snprintf(buf + len, size - len, "%s%.*s", len ? "." : "", (int)f->key_len,
                         (const char *)s->t + f->key_off);
        else
            k = snprintf(buf + len, size - len, "[%u]", (unsigned)f->index);
        len += k > 0 ? (size_t)k : 0;
    }
}

static fs_errcode scan_fail(fs__scan *s, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static fs_errcode scan_fail(fs__scan *s, size_t off, const char *fmt, ...)
{
    fs_error *e = s->err;
    char path[4096];
    va_list ap;
    e->line = 1;
    e->col = 1;
    size_t start = bom_len(s->t, s->n);
    advance(s->t, start < off ? start : off, off, &e->line, &e->col);
    scan_path(s, path, sizeof path);
    /* Only deep nesting makes a long path here: keep its start. */
    if (strlen(path) >= sizeof e->path)
        memcpy(path + sizeof e->path - 4, "...", 4);
    fs_json_set_error_path(e, path);
    e->code = FS_ERR_INPUT;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return FS_ERR_INPUT;
}

static fs_errcode scan_eof(fs__scan *s)
{
    return scan_fail(s, s->n, "unexpected end of file");
}

/* A line break's offset, for fs_json_line_col. */
static void note_line_break(fs_json_doc *d, size_t off)
{
    if (d->n_nl == d->nl_cap && !d->nl_lost) {
        size_t cap = d->nl_cap ? d->nl_cap * 2 : 1024;
        uint32_t *v = realloc(d->nl, cap * sizeof *v);
        if (!v) {
            d->nl_lost = true; /* line_col counts the text instead */
            return;
        }
        d->nl = v;
        d->nl_cap = cap;
    }
    if (!d->nl_lost)
        d->nl[d->n_nl++] = (uint32_t)off;
}

/* The offset of the first byte at or after p that is not whitespace. */
static inline size_t skip_ws(fs_json_doc *d, const unsigned char *t, size_t n, size_t p)
{
    /* most tokens are followed by another at once */
    while (p < n && t[p] <= ' ' && is_ws(t[p])) {
        if (t[p] == '\n')
            note_line_break(d, p);
        p++;
    }
    return p;
}

static int hex4(const unsigned char *t, size_t n, size_t p, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        if (p + i >= n)
            return -1;
        unsigned char c = t[p + i];
        const char *digits = "0123456789abcdef", *d = NULL;
        if (c < '0' || !(d = strchr(digits, c | 0x20))) /* | 0x20: lower case */
            return 0;
        v = v * 16 + (unsigned)(d - digits);
    }
    *out = v;
    return 1;
}

/* The bytes of a string that need a look, as the high bit of each byte of
 * w (eight bytes of text, little-endian): '"', '\\', control characters
 * (x - 0x20 wraps) and bytes above 0x7F. (x - 1) & ~x has the high bit only
 * where x is zero, here where the byte is '"' or '\\'. A borrow can flag a
 * byte above a flagged one, never below, so the lowest flag is exact. */
static inline uint64_t string_stops(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    return (((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w) & high;
}

/* The first byte at or after p that ends a plain run of a string's text
 * (string_stops), found a word at a time; where fewer than eight bytes are
 * left, the first of them (it may be plain). */
static inline size_t skip_plain_words(const unsigned char *t, size_t n, size_t p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n - p >= 8) {
        uint64_t w, stops;
        memcpy(&w, t + p, 8);
        if ((stops = string_stops(w)) != 0)
            return p + ((size_t)__builtin_ctzll(stops) >> 3);
        p += 8;
    }
#else
    (void)t, (void)n;
#endif
    return p;
}

/* Where the string whose text starts at p ends (its closing quote), when
 * that text is printable ASCII without escapes, as most keys and names are;
 * else SIZE_MAX (scan_string decides). */
static inline size_t plain_string_end(const unsigned char *t, size_t n, size_t p)
{
    p = skip_plain_words(t, n, p);
    return p < n && t[p] == '"' ? p : SIZE_MAX;
}

/* s->p is on the opening quote; leaves s->p after the closing one.
 * *escaped: the string holds an escape (else its text is its value). */
static fs_errcode scan_string(fs__scan *s, bool *escaped)
{
    const unsigned char *t = s->t;
    size_t n = s->n, p = s->p + 1;
    *escaped = false;
    for (;;) {
        /* Printable ASCII is most of any string: skip it eight bytes at a
         * time, without the checks. */
        p = skip_plain_words(t, n, p);
        while (p < n && t[p] >= 0x20 && t[p] < 0x80 && t[p] != '"' && t[p] != '\\')
            p++;
        if (p >= n)
            return scan_eof(s);
        unsigned c = t[p];
        if (c == '"')
            break;
        if (c == '\\') {
            if (p + 1 >= n)
                return scan_eof(s);
            unsigned u = 0, lo = 0;
            int h;
            *escaped = true;
            switch (t[p + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                continue;
            case 'u':
                if ((h = hex4(t, n, p + 2, &u)) <= 0)
                    return h < 0 ? scan_eof(s)
                                 : scan_fail(s, p, "invalid JSON: \\u must be followed by four hex digits");
                if (u == 0)
                    return scan_fail(s, p, "strings cannot contain \\u0000");
                if (u >= 0xDC00 && u <= 0xDFFF)
                    return scan_fail(s, p, "invalid JSON: unpaired UTF-16 surrogate \\u%04X", u);
                if (u >= 0xD800 && u <= 0xDBFF) { /* needs a low surrogate next */
                    if (p + 6 >= n || (t[p + 6] == '\\' && p + 7 >= n))
                        return scan_eof(s);
                    h = t[p + 6] == '\\' && t[p + 7] == 'u' ? hex4(t, n, p + 8, &lo) : 0;
                    if (h < 0)
                        return scan_eof(s);
                    if (h == 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return scan_fail(s, p, "invalid JSON: unpaired UTF-16 surrogate \\u%04X", u);
                    p += 6;
                }
                p += 6;
                continue;
            default:
                if (t[p + 1] > 0x20 && t[p + 1] < 0x7F)
                    return scan_fail(s, p, "invalid JSON: invalid escape \\%c in a string", t[p + 1]);
                return scan_fail(s, p, "invalid JSON: invalid escape in a string");
            }
        }
        if (c == '\n' || c == '\r')
            return scan_fail(s, p, "invalid JSON: line break inside a string (missing '\"'?)");
        if (c == 0)
            return scan_fail(s, p, "invalid JSON: NUL byte inside a string");
        if (c < 0x20)
            return scan_fail(s, p, "invalid JSON: control character 0x%02x inside a string "
                                   "(write it as \\u%04x)", c, c);
        size_t k = utf8_seq(t + p, n - p);
        if (k == SIZE_MAX)
            return scan_eof(s);
        if (k == 0)
            return scan_fail(s, p, "invalid UTF-8 in a string");
        if (p < s->doc->ascii_end)
            s->doc->ascii_end = p;
        p += k;
    }
    s->p = p + 1;
    return FS_ERR_OK;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* What a number token runs over (its syntax is checked after). */
static const bool NUMBER_CHAR[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['e'] = 1, ['E'] = 1,
};

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, checked on the whole run of
 * number characters so that "01" or "1.e5" is one bad number, not two. */
/* Where the number at p ends when it is a plain integer, as most are:
 * digits, not led by a 0 unless alone, followed by something that cannot
 * continue a number; else SIZE_MAX (scan_number decides). */
static inline size_t plain_number_end(const unsigned char *t, size_t n, size_t p)
{
    size_t first = p + (t[p] == '-'), i = first + 1;
    if (first >= n || !is_digit(t[first]))
        return SIZE_MAX;
    while (i < n && is_digit(t[i]))
        i++;
    if ((t[first] != '0' || i == first + 1) && (i == n || !NUMBER_CHAR[t[i]]) &&
        i - p <= FS__MAX_NUMBER)
        return i;
    return SIZE_MAX;
}

static fs_errcode scan_number(fs__scan *s)
{
    const unsigned char *t = s->t;
    size_t start = s->p, end = plain_number_end(t, s->n, start);
    if (end != SIZE_MAX) {
        s->p = end;
        return FS_ERR_OK;
    }
    end = start;
    while (end < s->n && NUMBER_CHAR[t[end]])
        end++;
    size_t i = start;
    bool ok = true;
    if (t[i] == '-')
        i++;
    if (i < end && t[i] == '0')
        i++;
    else if (i < end && is_digit(t[i]))
        while (i < end && is_digit(t[i]))
            i++;
    else
        ok = false;
    if (ok && i < end && t[i] == '.') {
        ok = ++i < end && is_digit(t[i]);
        while (i < end && is_digit(t[i]))
            i++;
    }
    if (ok && i < end && (t[i] == 'e' || t[i] == 'E')) {
        if (++i < end && (t[i] == '+' || t[i] == '-'))
            i++;
        ok = i < end && is_digit(t[i]);
        while (i < end && is_digit(t[i]))
            i++;
    }
    if (!ok || i != end)
        return scan_fail(s, start, "invalid JSON: invalid number \"%.*s%s\"",
                         (int)(end - start > 32 ? 32 : end - start), (const char *)t + start,
                         end - start > 32 ? "..." : "");
    if (end - start > FS__MAX_NUMBER)
        return scan_fail(s, start, "number too long: more than %d characters", FS__MAX_NUMBER);
    s->p = end;
    return FS_ERR_OK;
}

/* A value that is neither string, number, object nor array: true, false or
 * null, and anything else is the error "expected <what>". */
static fs_errcode scan_literal(fs__scan *s, const char *what)
{
    static const char *const words[] = {"true", "false", "null"};
    size_t k = 0;
    while (s->p + k < s->n && is_word_char(s->t[s->p + k]))
        k++;
    for (size_t w = 0; w < 3; w++) {
        if (k == strlen(words[w]) && memcmp(s->t + s->p, words[w], k) == 0) {
            s->p += k;
            return FS_ERR_OK;
        }
    }
    char got[64];
    return scan_fail(s, s->p, "invalid JSON: expected %s, got %s", what,
                     describe(s->t, s->n, s->p, got, sizeof got));
}

/* Room for more nodes (false: out of memory). */
static bool grow_nodes(fs_json_doc *d)
{
    size_t cap = d->cap ? d->cap * 2 : 256;
    fs_json_node *v = realloc(d->nodes, cap * sizeof *v);
    if (!v)
        return false;
    d->nodes = v;
    d->cap = cap;
    return true;
}

static unsigned hex_value(unsigned char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* The string whose quotes are at t[open] and t[close], checked by
 * scan_string, unescaped into the doc's string buffer (as cJSON did: \u
 * escapes, surrogate pairs joined, as UTF-8). */
static inline const char *decode(fs__scan *s, size_t open, size_t close, bool escaped)
{
    const unsigned char *t = s->t;
    fs_json_doc *d = s->doc;
    char *out = d->strings + d->strings_used, *o = out;
    size_t p = open + 1;
    if (!escaped && close - p <= 16 && s->n - close >= 16) {
        /* a short string, the text going on past it: two words, whose
         * bytes past the string the next string or the NUL overwrites
         * (each string's value is shorter than its text with its quotes,
         * so the words written stay behind the text read: within len) */
        memcpy(o, t + p, 8);
        memcpy(o + 8, t + p + 8, 8);
        o += close - p;
        p = close;
    } else if (!escaped) { /* most strings: their text */
        memcpy(o, t + p, close - p);
        o += close - p;
        p = close;
    }
    while (p < close) {
        const unsigned char *bs = memchr(t + p, '\\', close - p);
        size_t k = bs ? (size_t)(bs - t) - p : close - p;
        memcpy(o, t + p, k);
        o += k;
        p += k;
        if (p == close)
            break;
        unsigned char e = t[p + 1];
        p += 2;
        if (e != 'u') {
            *o++ = (char)(e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'n' ? '\n' : e == 'r' ? '\r'
                          : e == 't' ? '\t' : e);
            continue;
        }
        unsigned long u = 0;
        for (int i = 0; i < 4; i++)
            u = u * 16 + hex_value(t[p++]);
        if (u >= 0xD800 && u <= 0xDBFF) { /* the scanner checked the low half follows */
            unsigned long lo = 0;
            for (int i = 0; i < 4; i++)
                lo = lo * 16 + hex_value(t[p + 2 + i]);
            p += 6;
            u = 0x10000 + ((u & 0x3FF) << 10 | (lo & 0x3FF));
        }
        if (u < 0x80) {
            *o++ = (char)u;
        } else if (u < 0x800) {
            *o++ = (char)(0xC0 | u >> 6);
            *o++ = (char)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            *o++ = (char)(0xE0 | u >> 12);
            *o++ = (char)(0x80 | (u >> 6 & 0x3F));
            *o++ = (char)(0x80 | (u & 0x3F));
        } else {
            *o++ = (char)(0xF0 | u >> 18);
            *o++ = (char)(0x80 | (u >> 12 & 0x3F));
            *o++ = (char)(0x80 | (u >> 6 & 0x3F));
            *o++ = (char)(0x80 | (u & 0x3F));
        }
    }
    *o++ = '\0';
    d->strings_used += (size_t)(o - out);
    return out;
}

static const uint8_t VALUE_TYPE[256] = {
    ['{'] = FS_JSON_OBJECT, ['['] = FS_JSON_ARRAY, ['"'] = FS_JSON_STRING, ['-'] = FS_JSON_NUMBER,
    ['0'] = FS_JSON_NUMBER, ['1'] = FS_JSON_NUMBER, ['2'] = FS_JSON_NUMBER, ['3'] = FS_JSON_NUMBER,
    ['4'] = FS_JSON_NUMBER, ['5'] = FS_JSON_NUMBER, ['6'] = FS_JSON_NUMBER, ['7'] = FS_JSON_NUMBER,
    ['8'] = FS_JSON_NUMBER, ['9'] = FS_JSON_NUMBER, ['t'] = FS_JSON_TRUE, ['f'] = FS_JSON_FALSE,
};

/* The grammar as three states: at a value, at an object member (its key),
 * and after a value (a separator, a closing bracket, or the end). The
 * position, the text and the innermost open container are locals, kept in
 * registers; s->p is set for the helpers that scan a token, and read back. */
static fs_errcode scan(fs__scan *s)
{
    enum { VALUE, MEMBER, AFTER } state = VALUE;
    const unsigned char *t = s->t;
    const size_t n = s->n;
    fs_json_doc *d = s->doc;
    fs__frame *f = NULL; /* the innermost open container; NULL outside all */
    uint32_t key = FS__NO_KEY;
    const char *key_str = NULL;
    char got[64];
    fs_errcode rc;
    bool escaped;
    size_t p = skip_ws(d, t, n, bom_len(t, n));
    for (;;) {
        if (state == VALUE) {
            /* a node for the value at p, the member of key (FS__NO_KEY: not
             * a member), linked to its parent or its previous sibling */
            if (d->n == d->cap && !grow_nodes(d))
                return FS_ERR_NOMEM;
            uint32_t i = (uint32_t)d->n++;
            fs_json_node *nd = &d->nodes[i];
            *nd = (fs_json_node){.string = key_str, .val_off = (uint32_t)p,
                                 .key_off = key != FS__NO_KEY ? key : (uint32_t)p};
            if (f) {
                if (f->last != FS__NO_KEY)
                    d->nodes[f->last].next = i - f->last;
                else
                    d->nodes[f->node].has_child = true;
                f->last = i;
            }
            key = FS__NO_KEY;
            key_str = NULL;
            if (p >= n)
                return scan_eof(s);
            unsigned char c = t[p];
            nd->type = VALUE_TYPE[c]; /* FS_JSON_NULL for anything else: null, or an error */
            if (c == '{' || c == '[') {
                if (s->depth == FS_JSON_MAX_NESTING)
                    return scan_fail(s, p, "invalid JSON: nested deeper than %d levels",
                                     FS_JSON_MAX_NESTING);
                f = &s->stack[s->depth++];
                /* (key_off and key_len are set with the key, before in_value) */
                f->type = c;
                f->close = c == '{' ? '}' : ']';
                f->in_value = false;
                f->index = 0;
                f->node = i;
                f->last = FS__NO_KEY;
                p = skip_ws(d, t, n, p + 1);
                if (p < n && t[p] == f->close) {
                    p++;
                    f = --s->depth ? &s->stack[s->depth - 1] : NULL;
                    state = AFTER;
                } else {
                    f->in_value = c == '[';
                    state = c == '{' ? MEMBER : VALUE;
                }
                continue;
            }
            s->p = p;
            if (c == '"') {
                size_t close = plain_string_end(t, n, p + 1);
                if (close != SIZE_MAX) {
                    nd->valuestring = decode(s, p, close, false);
                    p = close + 1;
                    state = AFTER;
                    continue;
                }
                if ((rc = scan_string(s, &escaped)) == FS_ERR_OK)
                    nd->valuestring = decode(s, p, s->p - 1, escaped);
            } else if (c == '-' || is_digit(c)) {
                size_t end = plain_number_end(t, n, p);
                if (end != SIZE_MAX) {
                    p = end;
                    state = AFTER;
                    continue;
                }
                rc = scan_number(s);
            } else {
                rc = scan_literal(s, "a value");
            }
            if (rc != FS_ERR_OK)
                return rc;
            p = s->p;
            state = AFTER;
        } else if (state == MEMBER) {
            if (p >= n)
                return scan_eof(s);
            if (t[p] != '"')
                return scan_fail(s, p, "invalid JSON: expected a key in double quotes, got %s",
                                 describe(t, n, p, got, sizeof got));
            key = (uint32_t)p;
            size_t close = plain_string_end(t, n, p + 1);
            if (close != SIZE_MAX) {
                p = close + 1;
                escaped = false;
            } else {
                s->p = p;
                if ((rc = scan_string(s, &escaped)) != FS_ERR_OK)
                    return rc;
                p = s->p;
            }
            key_str = decode(s, key, p - 1, escaped);
            f->key_off = key + 1;
            f->key_len = (uint32_t)(p - 1 - f->key_off);
            p = skip_ws(d, t, n, p);
            if (p >= n)
                return scan_eof(s);
            if (t[p] != ':')
                return scan_fail(s, p, "invalid JSON: expected ':' after the key, got %s",
                                 describe(t, n, p, got, sizeof got));
            p = skip_ws(d, t, n, p + 1);
            f->in_value = true;
            state = VALUE;
        } else {
            p = skip_ws(d, t, n, p);
            if (!f) {
                if (p < n)
                    return scan_fail(s, p, t[p] ? "unexpected text after the JSON value"
                                                : "unexpected NUL byte after the JSON value");
                return FS_ERR_OK;
            }
            f->in_value = false;
            f->index++;
            if (p >= n)
                return scan_eof(s);
            if (t[p] == f->close) {
                p++;
                f = --s->depth ? &s->stack[s->depth - 1] : NULL;
                continue;
            }
            if (t[p] != ',')
                return scan_fail(s, p, "invalid JSON: expected ',' or '%c' after %s, got %s", f->close,
                                 f->type == '{' ? "an object member" : "an array element",
                                 describe(t, n, p, got, sizeof got));
            size_t comma = p;
            p = skip_ws(d, t, n, p + 1);
            if (p < n && t[p] == f->close)
                return scan_fail(s, comma, "invalid JSON: trailing comma before '%c'", f->close);
            f->in_value = f->type == '[';
            state = f->type == '{' ? MEMBER : VALUE;
        }
    }
}

/* ---- public ---------------------------------------------------------------- */

void fs_json_free(fs_json_doc *d)
{
    if (!d)
        return;
    free(d->nodes);
    free(d->strings);
    free(d->cp_line);
    free(d->cp_col);
    free(d->nl);
    free(d);
}

static fs_errcode fail_plain(fs_error *err, fs_errcode code, const char *msg)
{
    err->line = err->col = 0;
    err->path[0] = '\0';
    fs_error_set(err, code, "%s", msg);
    return code;
}

fs_errcode fs_json_parse(const char *text, size_t len, fs_json_doc **out, fs_error *err)
{
    *out = NULL;
    if (len > FS_JSON_MAX_BYTES)
        return fail_plain(err, FS_ERR_INPUT, "file too large: more than 1 GiB");
    fs_json_doc *d = calloc(1, sizeof *d);
    fs__scan *s = malloc(sizeof *s);
    fs_errcode rc = FS_ERR_NOMEM;
    if (!d || !s || !(d->strings = malloc(len + 1)))
        goto fail;
    d->text = (const unsigned char *)text;
    d->len = len;
    d->cur_line = d->cur_col = 1;
    d->cur_off = bom_len(d->text, len);
    d->ascii_end = len;
    *s = (fs__scan){.t = d->text, .n = len, .doc = d, .err = err};
    if ((rc = scan(s)) != FS_ERR_OK)
        goto fail;

    free(s);
    *out = d;
    return FS_ERR_OK;
fail:
    if (rc == FS_ERR_NOMEM)
        fail_plain(err, rc, "out of memory");
    free(s);
    fs_json_free(d);
    return rc;
}

const fs_json_node *fs_json_root(const fs_json_doc *d)
{
    return &d->nodes[0];
}

size_t fs_json_count(const fs_json_doc *d)
{
    return d->n;
}

const char *fs_json_text(const fs_json_doc *d)
{
    return (const char *)d->text;
}

size_t fs_json_value_offset(const fs_json_doc *d, const fs_json_node *node)
{
    (void)d;
    return node->val_off;
}

size_t fs_json_key_offset(const fs_json_doc *d, const fs_json_node *member)
{
    (void)d;
    return member->key_off;
}

/* Checkpoint k: the offset k steps in (past a byte order mark). */
static size_t checkpoint_off(const fs_json_doc *d, size_t k)
{
    size_t bom = bom_len(d->text, d->len);
    return k * FS__LC_STEP > bom ? k * FS__LC_STEP : bom;
}

static bool build_checkpoints(fs_json_doc *d)
{
    size_t n = d->len / FS__LC_STEP + 1;
    if (!(d->cp_line = malloc(n * sizeof *d->cp_line)) ||
        !(d->cp_col = malloc(n * sizeof *d->cp_col))) {
        free(d->cp_line);
        d->cp_line = NULL;
        return false;
    }
    int line = 1, col = 1;
    for (size_t k = 0; k < n; k++) {
        if (k > 0)
            advance(d->text, checkpoint_off(d, k - 1), checkpoint_off(d, k), &line, &col);
        d->cp_line[k] = line;
        d->cp_col[k] = col;
    }
    return true;
}

/* How many line breaks come before offset: from the last answer, a few
 * steps, or a binary search. */
static size_t breaks_before(fs_json_doc *d, size_t offset)
{
    size_t k = d->nl_at, lo = 0, hi = d->n_nl;
    for (int step = 0; step < 8; step++) {
        if (k < d->n_nl && d->nl[k] < offset)
            k++;
        else if (k > 0 && d->nl[k - 1] >= offset)
            k--;
        else
            return d->nl_at = k;
    }
    while (lo < hi) { /* the first break at or after offset */
        size_t mid = lo + (hi - lo) / 2;
        if (d->nl[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return d->nl_at = lo;
}

void fs_json_line_col(fs_json_doc *d, size_t offset, int *line, int *col)
{
    if (offset > d->len)
        offset = d->len;
    if (offset <= d->ascii_end && !d->nl_lost) {
        /* every byte before offset is one column: the line breaks say it */
        size_t bom = bom_len(d->text, d->len), k;
        if (offset < bom)
            offset = bom;
        k = breaks_before(d, offset);
        *line = (int)k + 1;
        *col = (int)(k ? offset - d->nl[k - 1] : offset - bom + 1);
        return;
    }
    if (offset < d->cur_off) {
        /* back to the checkpoint before it (out of memory: the start) */
        size_t k = d->cp_line || build_checkpoints(d) ? offset / FS__LC_STEP : 0;
        d->cur_off = checkpoint_off(d, k);
        d->cur_line = d->cp_line ? d->cp_line[k] : 1;
        d->cur_col = d->cp_line ? d->cp_col[k] : 1;
        if (offset < d->cur_off)
            offset = d->cur_off;
    } else if (d->cp_line && offset / FS__LC_STEP > d->cur_off / FS__LC_STEP) {
        /* once look-ups jump about, far ahead too */
        size_t k = offset / FS__LC_STEP;
        d->cur_off = checkpoint_off(d, k);
        d->cur_line = d->cp_line[k];
        d->cur_col = d->cp_col[k];
    }
    advance(d->text, d->cur_off, offset, &d->cur_line, &d->cur_col);
    d->cur_off = offset;
    *line = d->cur_line;
    *col = d->cur_col;
}

/* ---- checks a plain parser does not make ------------------------------------------- */

const char *fs_json_number_text(const fs_json_doc *d, const fs_json_node *node, size_t *len)
{
    /* The scanner checked the token's syntax: it runs to the first character
     * that cannot be part of a number, or to the end of the text. */
    size_t off = fs_json_value_offset(d, node), n = 0;
    const unsigned char *t = d->text + off;
    while (off + n < d->len && NUMBER_CHAR[t[n]])
        n++;
    *len = n;
    return (const char *)t;
}

fs_json_int fs_json_get_int(const fs_json_doc *d, const fs_json_node *node, long long *out)
{
    size_t n, off = fs_json_value_offset(d, node), left = d->len - off;
    /* Most numbers are plain integers of a few digits: the value at once,
     * read as the token is (up to 15 digits, nothing after them that would
     * continue a number) */
    const unsigned char *u = d->text + off;
    size_t k = left && u[0] == '-', first = k;
    unsigned long long plain = 0; /* wraps past 15 digits, then unused */
    if (left > FS__MAX_NUMBER) { /* a number is shorter: no end of text to test for */
        while (is_digit(u[k]))
            plain = plain * 10 + (unsigned)(u[k++] - '0');
    } else {
        while (k < left && is_digit(u[k]))
            plain = plain * 10 + (unsigned)(u[k++] - '0');
    }
    if (k > first && k - first <= 15 && (k == left || !NUMBER_CHAR[u[k]])) {
        *out = first ? -(long long)plain : (long long)plain;
        return FS_JSON_INT_OK;
    }
    const char *t = fs_json_number_text(d, node, &n), *e = t + n;
    /* The exact decimal value, as digits * 10^scale, never through a double
     * ("9007199254740992.5" is a double's integer). The scanner checked the
     * syntax and refused numbers longer than FS__MAX_NUMBER. */
    char dig[FS__MAX_NUMBER + 1];
    size_t nd = 0, lead = 0;
    long scale = 0;
    bool neg = t < e && *t == '-';
    for (t += neg; t < e && is_digit((unsigned char)*t); t++)
        dig[nd++] = *t;
    if (t < e && *t == '.')
        for (t++; t < e && is_digit((unsigned char)*t); t++, scale--)
            dig[nd++] = *t;
    if (t < e && (*t == 'e' || *t == 'E')) {
        bool eneg = ++t < e && *t == '-';
        long x = 0;
        for (t += t < e && (*t == '-' || *t == '+'); t < e && is_digit((unsigned char)*t); t++)
            x = x < 100000 ? x * 10 + (*t - '0') : x;
        scale += eneg ? -x : x;
    }
    while (lead < nd && dig[lead] == '0')
        lead++;
    while (nd > lead && dig[nd - 1] == '0') {
        nd--;
        scale++;
    }
    long long v = 0;
    if (nd > lead && scale < 0)
        return FS_JSON_INT_FRACTION;
    if (nd > lead && (long)(nd - lead) + scale > 16) /* 2^53 has 16 digits */
        return FS_JSON_INT_TOO_BIG;
    for (size_t i = lead; i < nd; i++)
        v = v * 10 + (dig[i] - '0');
    for (long i = 0; nd > lead && i < scale; i++)
        v *= 10;
    if (v > FS_JSON_MAX_INT)
        return FS_JSON_INT_TOO_BIG;
    *out = neg ? -v : v;
    return FS_JSON_INT_OK;
}

const char *fs_json_type_name(const fs_json_node *node)
{
    switch (node->type) {
    case FS_JSON_FALSE: return "false";
    case FS_JSON_TRUE: return "true";
    case FS_JSON_NULL: return "null";
    case FS_JSON_NUMBER: return "a number";
    case FS_JSON_STRING: return "a string";
    case FS_JSON_ARRAY: return "an array";
    case FS_JSON_OBJECT: return "an object";
    default: return "an invalid value";
    }
}

const char *fs_json_quote(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    buf[o++] = '"';
    for (; *s && o + 10 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (o > 60 && (c & 0xC0) != 0x80) { /* cut between characters */
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '"' || c == '\\')
            o += (size_t)snprintf(buf + o, size - o, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", c);
        else
            buf[o++] = (char)c;
    }
    snprintf(buf + o, size - o, "\"");
    return buf;
}
