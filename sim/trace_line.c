/* trace_line.c - the fast path for trace event lines: a flat JSON object of
 * known keys with integer, string, null or boolean values. Anything else is
 * left to the careful (cJSON) decoder, so this file decides nothing about
 * errors; it only has to never accept what the careful decoder would refuse. */
#include "trace_rec.h"

#include <string.h>

bool fs__trace_fast_lines = true;

enum {
    K_T = 1 << 0, K_TYPE = 1 << 1, K_TASK = 1 << 2, K_WORKER = 1 << 3, K_DUR = 1 << 4,
    K_RESULT = 1 << 5, K_STATE = 1 << 6, K_VALUE = 1 << 7, K_NAME = 1 << 8,
    K_PARENT = 1 << 9, K_COUNT = 1 << 10, K_END = 1 << 11, K_RESOURCE = 1 << 12,
    K_SOURCE = 1 << 13, K_STALE = 1 << 14, K_WHAT = 1 << 15,
};

typedef struct fs__cur {
    const char *p, *end;
    char *out;  /* scratch for strings */
} fs__cur;

static void fs__ws(fs__cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

static bool fs__lit(fs__cur *c, char ch)
{
    fs__ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* A string without escapes or control characters, copied to scratch. */
static bool fs__string(fs__cur *c, const char **out, size_t *n)
{
    fs__ws(c);
    if (c->p >= c->end || *c->p != '"')
        return false;
    const char *s = ++c->p;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '\\' || ch < 0x20)
            return false;
        c->p++;
    }
    if (c->p >= c->end)
        return false;
    *n = (size_t)(c->p - s);
    memcpy(c->out, s, *n);
    c->out[*n] = '\0';
    *out = c->out;
    c->out += *n + 1;
    c->p++;
    return true;
}

/* An integer of at most 18 digits (no fraction, no exponent). */
static bool fs__int(fs__cur *c, int64_t *v)
{
    fs__ws(c);
    bool neg = c->p < c->end && *c->p == '-';
    if (neg)
        c->p++;
    const char *s = c->p;
    int64_t x = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && c->p - s < 18)
        x = x * 10 + (*c->p++ - '0');
    if (c->p == s || (c->p - s > 1 && *s == '0'))
        return false;
    if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E' ||
                          (*c->p >= '0' && *c->p <= '9')))
        return false;
    *v = neg ? -x : x;
    return true;
}

static bool fs__word(fs__cur *c, const char *w)
{
    fs__ws(c);
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* The key's bit, by length and bytes: one memcmp instead of a strcmp chain. */
static unsigned fs__key(const char *k, size_t n)
{
    static const struct {
        const char *name;
        unsigned bit;
    } keys[] = {
        {"t", K_T}, {"type", K_TYPE}, {"task", K_TASK}, {"worker", K_WORKER}, {"dur", K_DUR},
        {"result", K_RESULT}, {"state", K_STATE}, {"value", K_VALUE}, {"name", K_NAME},
        {"parent", K_PARENT}, {"count", K_COUNT}, {"end", K_END}, {"resource", K_RESOURCE},
        {"source", K_SOURCE}, {"stale", K_STALE}, {"what", K_WHAT},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].name[0] == k[0] && strlen(keys[i].name) == n && memcmp(keys[i].name, k, n) == 0)
            return keys[i].bit;
    return 0;
}

static const struct {
    const char *name;
    fs__rtype type;
    unsigned need;  /* keys the careful decoder requires */
} fs__kinds[] = {
    {"spawn", FS__R_SPAWN, K_T | K_TASK},
    {"poll", FS__R_POLL, K_T | K_TASK | K_DUR | K_RESULT},
    {"spin", FS__R_SPIN, K_T | K_TASK | K_DUR | K_COUNT | K_END},
    {"register", FS__R_REGISTER, K_T | K_TASK | K_RESOURCE},
    {"wake", FS__R_WAKE, K_T | K_TASK | K_SOURCE},
    {"io", FS__R_IO, K_T | K_RESOURCE},
    {"park", FS__R_PARK, K_T | K_WORKER},
    {"unpark", FS__R_UNPARK, K_T | K_WORKER},
    {"cancel", FS__R_CANCEL, K_T | K_TASK},
    {"complete", FS__R_COMPLETE, K_T | K_TASK},
};

bool fs__trace_line_fast(const char *text, size_t len, fs__rec *rec, char *scratch)
{
    fs__cur c = {.p = text, .end = text + len, .out = scratch};
    memset(rec, 0, sizeof *rec);
    rec->parent = -1;
    unsigned seen = 0, nulls = 0;  /* keys present; of those, keys that were null */
    const char *type = NULL, *result = NULL;
    bool value_null = false;
    if (!fs__lit(&c, '{'))
        return false;
    do {
        const char *key, *s;
        size_t n;
        int64_t v;
        if (!fs__string(&c, &key, &n) || !fs__lit(&c, ':'))
            return false;
        unsigned k = fs__key(key, n);
        switch (k) {
        case K_T:
            if (!fs__int(&c, &rec->t) || rec->t < 0)
                return false;
            break;
        case K_TYPE:
            if (!fs__string(&c, &type, &n))
                return false;
            break;
        case K_TASK:
            if (!fs__int(&c, &rec->task) || rec->task < 0)
                return false;
            break;
        case K_WORKER:
            if (!fs__int(&c, &rec->worker) || rec->worker < 0)
                return false;
            break;
        case K_DUR:
            if (!fs__int(&c, &rec->dur) || rec->dur < 0)
                return false;
            break;
        case K_COUNT:
            if (!fs__int(&c, &rec->count) || rec->count < 1)
                return false;
            break;
        case K_END:
            if (!fs__int(&c, &rec->end))
                return false;
            break;
        case K_VALUE:
            if (fs__word(&c, "null"))
                value_null = true;
            else if (!fs__int(&c, &rec->value))
                return false;
            break;
        case K_PARENT:
            if (!fs__word(&c, "null")) {
                if (!fs__int(&c, &v) || v < 0)
                    return false;
                rec->parent = v;
            }
            break;
        case K_RESULT:
            if (!fs__string(&c, &result, &n))
                return false;
            break;
        case K_STALE:
            if (fs__word(&c, "true"))
                rec->stale = true;
            else if (!fs__word(&c, "false"))
                return false;
            break;
        case K_STATE:
        case K_NAME:
        case K_RESOURCE:
        case K_SOURCE:
        case K_WHAT: {
            const char **dst = k == K_STATE ? &rec->state : k == K_WHAT ? &rec->what : &rec->name;
            if (fs__word(&c, "null"))
                nulls |= k;
            else if (fs__string(&c, &s, &n))
                *dst = s;
            else
                return false;
            break;
        }
        default:
            return false; /* a key the writer does not write */
        }
        if (seen & k)
            return false; /* a repeated key: let the careful decoder judge */
        seen |= k;
    } while (fs__lit(&c, ','));
    if (!fs__lit(&c, '}'))
        return false;
    fs__ws(&c);
    if (c.p != c.end || !type)
        return false;
    for (size_t i = 0; i < sizeof fs__kinds / sizeof fs__kinds[0]; i++) {
        if (strcmp(type, fs__kinds[i].name) != 0)
            continue;
        if ((seen & fs__kinds[i].need) != fs__kinds[i].need || (nulls & fs__kinds[i].need))
            return false;
        rec->type = fs__kinds[i].type;
        /* the careful decoder's checks: a spin's polls fit in [t, end] */
        if (rec->type == FS__R_SPIN &&
            (rec->end < rec->t || rec->count > 1000000000000LL ||
             (rec->dur && rec->count > (rec->end - rec->t) / rec->dur)))
            return false;
        if (rec->type == FS__R_POLL) {
            if (strcmp(result, "ready") != 0 && strcmp(result, "pending") != 0)
                return false;
            rec->ready = result[0] == 'r';
            rec->count = 1;
            rec->end = rec->t + rec->dur;
        }
        if (rec->type == FS__R_IO && (seen & K_VALUE) && !value_null)
            rec->has_value = true;
        return true;
    }
    return false;
}
