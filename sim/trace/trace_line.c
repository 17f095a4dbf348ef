/* trace_line.c - the fast path for trace event lines: a flat JSON object of
 * known keys with integer, string, null or boolean values. Anything else is
 * left to the careful (cJSON) decoder, so this file decides nothing about
 * errors; it only has to never accept what the careful decoder would refuse. */
#include "exec.h"
#include "trace_rec.h"

#include <stdlib.h>
#include <string.h>

bool fs__trace_fast_lines = true;

enum {
    K_T = 1 << 0, K_TYPE = 1 << 1, K_TASK = 1 << 2, K_WORKER = 1 << 3, K_DUR = 1 << 4,
    K_RESULT = 1 << 5, K_STATE = 1 << 6, K_VALUE = 1 << 7, K_NAME = 1 << 8,
    K_PARENT = 1 << 9, K_COUNT = 1 << 10, K_END = 1 << 11, K_RESOURCE = 1 << 12,
    K_SOURCE = 1 << 13, K_STALE = 1 << 14, K_WHAT = 1 << 15, K_FIRED = 1 << 16,
    K_DEPTH = 1 << 17,
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

/* Bytes a plain string may hold as they are: no quote, no backslash, no
 * control byte (anything else is left to the careful decoder). */
static const bool fs__plain[256] = {
#define FS__R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    FS__R16(0), FS__R16(0),
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20..0x2f: '"' */
    FS__R16(1), FS__R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x50..0x5f: '\\' */
    FS__R16(1), FS__R16(1),
    FS__R16(1), FS__R16(1), FS__R16(1), FS__R16(1),
    FS__R16(1), FS__R16(1), FS__R16(1), FS__R16(1),
#undef FS__R16
};

/* A plain string, left where it is: *s, *n its contents. */
static bool fs__span(fs__cur *c, const char **s, size_t *n)
{
    fs__ws(c);
    if (c->p >= c->end || *c->p != '"')
        return false;
    const char *b = ++c->p, *e = c->end;
    const char *q = b;
    while (q < e && fs__plain[(unsigned char)*q])
        q++;
    if (q >= e || *q != '"')
        return false;
    *s = b;
    *n = (size_t)(q - b);
    c->p = q + 1;
    return true;
}

/* A plain string, copied to scratch and NUL-terminated there. */
static bool fs__string(fs__cur *c, const char **out)
{
    const char *s;
    size_t n;
    if (!fs__span(c, &s, &n))
        return false;
    memcpy(c->out, s, n);
    c->out[n] = '\0';
    *out = c->out;
    c->out += n + 1;
    return true;
}

/* Integers as the careful decoder reads them: exactly, up to 2^62. */
#define FS__EXACT_MAX FS__TRACE_INT_MAX

/* An integer of at most 19 digits and 2^62 (no fraction, no exponent). */
__attribute__((always_inline)) static inline bool fs__int(fs__cur *c, int64_t *v)
{
    fs__ws(c);
    bool neg = c->p < c->end && *c->p == '-';
    if (neg)
        c->p++;
    const char *s = c->p;
    uint64_t x = 0; /* 19 digits fit */
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && c->p - s < 19)
        x = x * 10 + (uint64_t)(*c->p++ - '0');
    if (c->p == s || (c->p - s > 1 && *s == '0') || x > (uint64_t)FS__EXACT_MAX)
        return false;
    if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E' ||
                          (*c->p >= '0' && *c->p <= '9')))
        return false;
    *v = neg ? -(int64_t)x : (int64_t)x;
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

/* The key's bit: its length and first byte pick the one name to compare. */
static unsigned fs__key(const char *k, size_t n)
{
#define FS__IS(lit) (n == sizeof(lit) - 1 && memcmp(k, lit, n) == 0)
    switch (n ? k[0] : 0) {
    case 't': return FS__IS("t") ? K_T : FS__IS("type") ? K_TYPE : FS__IS("task") ? K_TASK : 0;
    case 'w': return FS__IS("worker") ? K_WORKER : FS__IS("what") ? K_WHAT : 0;
    case 'd': return FS__IS("dur") ? K_DUR : FS__IS("depth") ? K_DEPTH : 0;
    case 'f': return FS__IS("fired") ? K_FIRED : 0;
    case 'r': return FS__IS("result") ? K_RESULT : FS__IS("resource") ? K_RESOURCE : 0;
    case 's': return FS__IS("state") ? K_STATE : FS__IS("source") ? K_SOURCE : FS__IS("stale") ? K_STALE : 0;
    case 'v': return FS__IS("value") ? K_VALUE : 0;
    case 'n': return FS__IS("name") ? K_NAME : 0;
    case 'p': return FS__IS("parent") ? K_PARENT : 0;
    case 'c': return FS__IS("count") ? K_COUNT : 0;
    case 'e': return FS__IS("end") ? K_END : 0;
    default: return 0;
    }
#undef FS__IS
}

/* The writer's spelling of a key, `"key":` with nothing between, taken
 * in one comparison; 0 (and nothing consumed) for anything else. */
static unsigned fs__key_colon(fs__cur *c)
{
    const char *p = c->p;
    size_t room = (size_t)(c->end - p);
    if (room < 4 || p[0] != '"')
        return 0;
#define FS__K(lit, bit)                                                        \
    if (room >= sizeof("\"" lit "\":") - 1 &&                                 \
        memcmp(p, "\"" lit "\":", sizeof("\"" lit "\":") - 1) == 0) {         \
        c->p = p + sizeof("\"" lit "\":") - 1;                                 \
        return bit;                                                            \
    }
    switch (p[1]) {
    case 't': FS__K("t", K_T) FS__K("type", K_TYPE) FS__K("task", K_TASK) break;
    case 'w': FS__K("worker", K_WORKER) FS__K("what", K_WHAT) break;
    case 'd': FS__K("dur", K_DUR) FS__K("depth", K_DEPTH) break;
    case 'f': FS__K("fired", K_FIRED) break;
    case 'r': FS__K("result", K_RESULT) FS__K("resource", K_RESOURCE) break;
    case 's': FS__K("state", K_STATE) FS__K("source", K_SOURCE) FS__K("stale", K_STALE) break;
    case 'v': FS__K("value", K_VALUE) break;
    case 'n': FS__K("name", K_NAME) break;
    case 'p': FS__K("parent", K_PARENT) break;
    case 'c': FS__K("count", K_COUNT) break;
    case 'e': FS__K("end", K_END) break;
    default: break;
    }
#undef FS__K
    return 0;
}

static const struct {
    const char *name;
    size_t len;
    fs__rtype type;
    unsigned need;  /* keys the careful decoder requires */
} fs__kinds[] = {
    {"poll", 4, FS__R_POLL, K_T | K_TASK | K_DUR | K_RESULT},
    {"wake", 4, FS__R_WAKE, K_T | K_TASK | K_SOURCE},
    {"register", 8, FS__R_REGISTER, K_T | K_TASK | K_RESOURCE},
    {"park", 4, FS__R_PARK, K_T | K_WORKER},
    {"unpark", 6, FS__R_UNPARK, K_T | K_WORKER},
    {"spawn", 5, FS__R_SPAWN, K_T | K_TASK},
    {"spin", 4, FS__R_SPIN, K_T | K_TASK | K_DUR | K_COUNT | K_END},
    {"io", 2, FS__R_IO, K_T | K_RESOURCE},
    {"cancel", 6, FS__R_CANCEL, K_T | K_TASK},
    {"complete", 8, FS__R_COMPLETE, K_T | K_TASK},
    {"driver", 6, FS__R_DRIVER, K_T | K_WORKER | K_FIRED},
    {"budget", 6, FS__R_BUDGET, K_T | K_TASK | K_WORKER},
    {"queue", 5, FS__R_QUEUE, K_T | K_WORKER | K_DEPTH},
    {"preempt", 7, FS__R_PREEMPT, K_T | K_WORKER},
    {"resume", 6, FS__R_RESUME, K_T | K_WORKER},
};

/* ---- the writer's own layout ---------------------------------------------- */

/* The commonest lines exactly as the writer spells them, checked literal by
 * literal: `{"t":T,"type":"poll","task":...}`. Whatever departs from that
 * (another key order, spaces, a null, a rarer type) is left to the general
 * loop below, which gives the same record for every line accepted here. */

/* Inlined at each call so that the comparison with a literal of known
 * length is a few word compares, not a call to memcmp (the decoder's
 * calls were a third of a big trace's read). */
__attribute__((always_inline)) static inline bool fs__take(fs__cur *c, const char *lit, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
        return false;
    c->p += n;
    return true;
}

#define FS__TAKE(c, lit) fs__take((c), lit, sizeof(lit) - 1)

/* The digits at p (k of them, 1..8, known to be digits) as a number:
 * eight bytes at once (Lemire's SWAR conversion), leading zeros shifted in. */
static inline uint64_t fs__swar8(uint64_t w, int k)
{
    w -= 0x3030303030303030u;
    w <<= 8 * (8 - k);  /* the first digit is the lowest byte: zeros before it */
    w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFu;
    w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFu;
    return (w * 10000 + (w >> 32)) & 0xFFFFFFFFu;
}

/* How many of the eight bytes of w, from the first, are digits. */
static inline int fs__lead_digits(uint64_t w)
{
    uint64_t d = w - 0x3030303030303030u;  /* a borrow only reaches bytes after a non-digit */
    uint64_t bad = ((d + 0x7676767676767676u) | d) & 0x8080808080808080u;
    return bad ? __builtin_ctzll(bad) >> 3 : 8;
}

/* A non-negative integer; the general loop's fs__int and bounds. Where the
 * line has room, up to 15 digits are taken eight at a time (the writer's
 * times have up to 12), with fs__int's checks; anything else goes to it. */
__attribute__((always_inline)) static inline bool fs__uint(fs__cur *c, int64_t *v)
{
    const char *p = c->p;
    if (c->end - p >= 16) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        int na = fs__lead_digits(a), nb = na == 8 ? fs__lead_digits(b) : 0;
        int n = na + nb;
        /* at least one digit, no leading zero, and what follows is no
         * digit (16 of them), fraction or exponent */
        if (na > 0 && n < 16 && (n == 1 || *p != '0')) {
            char next = p[n];
            if (next != '.' && next != 'e' && next != 'E') {
                uint64_t x = fs__swar8(a, na);
                if (nb) {
                    static const uint64_t pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
                    x = x * pow10[nb] + fs__swar8(b, nb);
                }
                if (x > (uint64_t)FS__EXACT_MAX)
                    return false;
                *v = (int64_t)x;
                c->p = p + n;
                return true;
            }
        }
    }
    return fs__int(c, v) && *v >= 0;
}

static bool fs__exact(fs__cur *c, fs__rec *rec)
{
    if (!FS__TAKE(c, "{\"t\":") || !fs__uint(c, &rec->t) || !FS__TAKE(c, ",\"type\":\""))
        return false;
    if (FS__TAKE(c, "poll\",\"task\":")) {
        rec->type = FS__R_POLL;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"worker\":") || !fs__uint(c, &rec->worker) ||
            !FS__TAKE(c, ",\"dur\":") || !fs__uint(c, &rec->dur))
            return false;
        if (FS__TAKE(c, ",\"result\":\"pending\""))
            rec->ready = false;
        else if (FS__TAKE(c, ",\"result\":\"ready\""))
            rec->ready = true;
        else
            return false;
        if (!FS__TAKE(c, ",\"state\":") || !fs__string(c, &rec->state))
            return false;
        if (FS__TAKE(c, ",\"value\":") && !fs__int(c, &rec->value))
            return false;
        if (rec->dur > FS__EXACT_MAX - rec->t)
            return false; /* t + dur past 2^62: the careful decoder refuses it */
        rec->count = 1;
        rec->end = rec->t + rec->dur;
    } else if (FS__TAKE(c, "register\",\"task\":")) {
        rec->type = FS__R_REGISTER;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"resource\":") || !fs__string(c, &rec->name))
            return false;
    } else if (FS__TAKE(c, "wake\",\"task\":")) {
        rec->type = FS__R_WAKE;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"source\":") || !fs__string(c, &rec->name))
            return false;
        rec->stale = FS__TAKE(c, ",\"stale\":true");
    } else if (FS__TAKE(c, "park\",\"worker\":")) {
        rec->type = FS__R_PARK;
        if (!fs__uint(c, &rec->worker))
            return false;
    } else if (FS__TAKE(c, "unpark\",\"worker\":")) {
        rec->type = FS__R_UNPARK;
        if (!fs__uint(c, &rec->worker))
            return false;
    } else if (FS__TAKE(c, "spawn\",\"task\":")) {
        rec->type = FS__R_SPAWN;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"name\":") || !fs__string(c, &rec->name) ||
            !FS__TAKE(c, ",\"parent\":"))
            return false;
        if (!FS__TAKE(c, "null") && !fs__uint(c, &rec->parent))
            return false;
    } else if (FS__TAKE(c, "queue\",\"worker\":")) {
        rec->type = FS__R_QUEUE;
        if (!fs__uint(c, &rec->worker) || !FS__TAKE(c, ",\"depth\":") || !fs__uint(c, &rec->n))
            return false;
    } else if (FS__TAKE(c, "driver\",\"worker\":")) {
        rec->type = FS__R_DRIVER;
        if (!fs__uint(c, &rec->worker) || !FS__TAKE(c, ",\"fired\":") || !fs__uint(c, &rec->n))
            return false;
    } else if (FS__TAKE(c, "budget\",\"task\":")) {
        rec->type = FS__R_BUDGET;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"worker\":") || !fs__uint(c, &rec->worker))
            return false;
    } else if (FS__TAKE(c, "complete\",\"task\":")) {
        rec->type = FS__R_COMPLETE;
        if (!fs__uint(c, &rec->task) || !FS__TAKE(c, ",\"value\":") || !fs__int(c, &rec->value))
            return false;
        if (FS__TAKE(c, ",\"error\":") && !fs__string(c, &rec->name))
            return false;
    } else {
        return false;
    }
    return c->p + 1 == c->end && *c->p == '}';
}

/* ---- any flat event line --------------------------------------------------- */

bool fs__trace_line_fast(const char *text, size_t len, fs__rec *rec, char *scratch)
{
    fs__cur c = {.p = text, .end = text + len, .out = scratch};
    memset(rec, 0, sizeof *rec);
    rec->parent = -1;
    if (fs__exact(&c, rec))
        return true;
    c = (fs__cur){.p = text, .end = text + len, .out = scratch};
    memset(rec, 0, sizeof *rec);
    rec->parent = -1;
    unsigned seen = 0, nulls = 0;  /* keys present; of those, keys that were null */
    const char *type = NULL, *result = NULL;  /* in place, not NUL-terminated */
    size_t type_n = 0, result_n = 0;
    /* name, resource, source: which one becomes rec->name depends on the
     * type, as in the careful decoder (a spawn's "source" is no name) */
    const char *names[3] = {NULL, NULL, NULL};
    bool value_null = false;
    int64_t fired = 0, depth = 0;  /* a driver line's rec->n, a queue line's */
    if (!fs__lit(&c, '{'))
        return false;
    do {
        const char *key, *s;
        size_t n;
        int64_t v;
        unsigned k = fs__key_colon(&c);
        if (!k) {
            if (!fs__span(&c, &key, &n) || !fs__lit(&c, ':'))
                return false;
            k = fs__key(key, n);
        }
        switch (k) {
        case K_T:
            if (!fs__int(&c, &rec->t) || rec->t < 0)
                return false;
            break;
        case K_TYPE:
            if (!fs__span(&c, &type, &type_n))
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
        case K_FIRED:
        case K_DEPTH:
            if (!fs__int(&c, &v) || v < 0)
                return false;
            *(k == K_FIRED ? &fired : &depth) = v;
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
            if (!fs__span(&c, &result, &result_n))
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
            const char **dst = k == K_STATE ? &rec->state : k == K_WHAT ? &rec->what
                             : &names[k == K_NAME ? 0 : k == K_RESOURCE ? 1 : 2];
            if (fs__word(&c, "null"))
                nulls |= k;
            else if (fs__string(&c, &s))
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
        if (fs__kinds[i].len != type_n || memcmp(type, fs__kinds[i].name, type_n) != 0)
            continue;
        if ((seen & fs__kinds[i].need) != fs__kinds[i].need || (nulls & fs__kinds[i].need))
            return false;
        rec->type = fs__kinds[i].type;
        rec->name = rec->type == FS__R_SPAWN                             ? names[0]
                    : rec->type == FS__R_REGISTER || rec->type == FS__R_IO ? names[1]
                    : rec->type == FS__R_WAKE                            ? names[2]
                                                                         : NULL;
        /* the careful decoder's checks: a spin's polls fit in [t, end] */
        if (rec->type == FS__R_SPIN &&
            (rec->end < rec->t || rec->count > 1000000000000LL ||
             (rec->dur && rec->count > (rec->end - rec->t) / rec->dur)))
            return false;
        if (rec->type == FS__R_POLL) {
            rec->ready = result_n == 5 && memcmp(result, "ready", 5) == 0;
            if ((!rec->ready && !(result_n == 7 && memcmp(result, "pending", 7) == 0)) ||
                rec->dur > FS__EXACT_MAX - rec->t)
                return false;
            rec->count = 1;
            rec->end = rec->t + rec->dur;
        }
        if (rec->type == FS__R_IO && (seen & K_VALUE) && !value_null)
            rec->has_value = true;
        if (rec->type == FS__R_DRIVER || rec->type == FS__R_QUEUE)
            rec->n = rec->type == FS__R_DRIVER ? fired : depth;
        if (rec->type == FS__R_SPIN)
            rec->value = 0;   /* a spin's polls are pending: the careful decoder reads no value */
        return true;
    }
    return false;
}

/* ---- the summary line ------------------------------------------------------ */

/* The summary of a big run is one long line (a record per task) of which
 * the reader keeps a dozen top-level numbers. It is checked here to be
 * strict JSON, which cJSON also accepts (no escapes, no control bytes, short
 * numbers, shallow nesting: anything else goes to cJSON), and the numbers
 * are taken from it without building the tree. */

static bool fs__skip_value(fs__cur *c, int depth);

static void fs__ws_nl(fs__cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
        c->p++;
}

/* A string without escapes or control bytes; *s, *n its contents. */
static bool fs__plain_string(fs__cur *c, const char **s, size_t *n)
{
    if (c->p >= c->end || *c->p != '"')
        return false;
    const char *b = ++c->p;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '\\' || ch < 0x20)
            return false;
        c->p++;
    }
    if (c->p >= c->end)
        return false;
    *s = b;
    *n = (size_t)(c->p - b);
    c->p++;
    return true;
}

/* A JSON number, strictly; cJSON reads at most 63 characters of one. */
static bool fs__skip_number(fs__cur *c)
{
    const char *s = c->p, *e = c->end;
    const char *p = s;
    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (p < e && *p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (p < e && *p == '.') {
        const char *d = ++p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return false;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        const char *d = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return false;
    }
    if (p - s > 60)
        return false;
    c->p = p;
    return true;
}

static bool fs__skip_word(fs__cur *c, const char *w, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool fs__skip_value(fs__cur *c, int depth)
{
    const char *s;
    size_t n;
    if (depth > 64)
        return false;
    fs__ws_nl(c);
    if (c->p >= c->end)
        return false;
    switch (*c->p) {
    case '{':
    case '[': {
        bool obj = *c->p == '{';
        char close = obj ? '}' : ']';
        c->p++;
        fs__ws_nl(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return true;
        }
        for (;;) {
            if (obj) {
                fs__ws_nl(c);
                if (!fs__plain_string(c, &s, &n))
                    return false;
                fs__ws_nl(c);
                if (c->p >= c->end || *c->p++ != ':')
                    return false;
            }
            if (!fs__skip_value(c, depth + 1))
                return false;
            fs__ws_nl(c);
            if (c->p >= c->end)
                return false;
            char ch = *c->p++;
            if (ch == close)
                return true;
            if (ch != ',')
                return false;
        }
    }
    case '"':
        return fs__plain_string(c, &s, &n);
    case 't':
        return fs__skip_word(c, "true", 4);
    case 'f':
        return fs__skip_word(c, "false", 5);
    case 'n':
        return fs__skip_word(c, "null", 4);
    default:
        return fs__skip_number(c);
    }
}

/* A non-negative integer the careful decoder would read exactly (see
 * fs__int), ending where the number ends. */
static bool fs__small_uint(const char *p, const char *end, int64_t *v)
{
    uint64_t x = 0; /* 19 digits fit */
    const char *s = p;
    while (p < end && *p >= '0' && *p <= '9' && p - s < 19)
        x = x * 10 + (uint64_t)(*p++ - '0');
    if (p == s || x > (uint64_t)FS__EXACT_MAX || (p < end && (*p == '.' || *p == 'e' || *p == 'E' ||
                                                    (*p >= '0' && *p <= '9'))))
        return false;
    *v = (int64_t)x;
    return true;
}

/* The summary's "tasks" array: each record's waker figures into
 * tasks[id] (ids past n are left alone). False on anything unexpected (the
 * caller then reads the line with cJSON). */
static bool fs__summary_tasks(fs__cur *c, fs_trace_task *tasks, size_t n)
{
    fs__ws_nl(c);
    if (c->p >= c->end || *c->p++ != '[')
        return false;
    fs__ws_nl(c);
    if (c->p < c->end && *c->p == ']')
        return true;
    for (;;) {
        fs__ws_nl(c);
        if (c->p >= c->end || *c->p++ != '{')
            return false;
        int64_t id = -1, clones = -1, drops = -1;
        for (;;) {
            const char *k;
            size_t kn;
            fs__ws_nl(c);
            if (!fs__plain_string(c, &k, &kn))
                return false;
            fs__ws_nl(c);
            if (c->p >= c->end || *c->p++ != ':')
                return false;
            fs__ws_nl(c);
            int64_t *into = kn == 2 && memcmp(k, "id", 2) == 0 ? &id
                          : kn == 12 && memcmp(k, "waker_clones", 12) == 0 ? &clones
                          : kn == 11 && memcmp(k, "waker_drops", 11) == 0 ? &drops : NULL;
            if (into && !fs__small_uint(c->p, c->end, into))
                return false;
            if (!fs__skip_value(c, 3))
                return false;
            fs__ws_nl(c);
            if (c->p >= c->end)
                return false;
            char ch = *c->p++;
            if (ch == '}')
                break;
            if (ch != ',')
                return false;
        }
        if (id >= 0 && (size_t)id < n) {
            tasks[id].waker_clones = clones;
            tasks[id].waker_drops = drops;
        }
        fs__ws_nl(c);
        if (c->p >= c->end)
            return false;
        char ch = *c->p++;
        if (ch == ']')
            return true;
        if (ch != ',')
            return false;
    }
}

bool fs__trace_summary_fast(const char *text, size_t len, fs_trace_summary *out, fs_trace_task *tasks,
                            size_t n_tasks)
{
    static const char *keys[] = {
        "type", "end_ns", "tasks_total", "completed", "polls", "pending_polls", "ready_polls",
        "wasted_polls", "wakes", "busy_ns", "idle_ns", "max_wake_latency_ns", "stalled",
        "time_limit_hit", "cpu_busy", "tasks", "limit_hit",
    };
    enum { NK = sizeof keys / sizeof keys[0], K_FIRST_INT = 1, K_LAST_INT = 11, K_TASKS = 15 };
    const char *at[NK] = {0};  /* where each key's first value starts */
    fs__cur c = {.p = text, .end = text + len};
    fs__ws_nl(&c);
    if (c.p >= c.end || *c.p++ != '{')
        return false;
    fs__ws_nl(&c);
    if (c.p < c.end && *c.p == '}')
        return false; /* no type */
    for (;;) {
        const char *k;
        size_t n;
        fs__ws_nl(&c);
        if (!fs__plain_string(&c, &k, &n))
            return false;
        fs__ws_nl(&c);
        if (c.p >= c.end || *c.p++ != ':')
            return false;
        fs__ws_nl(&c);
        size_t key = NK;
        for (size_t i = 0; i < NK && key == NK; i++)
            if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
                key = i;
        bool first = key < NK && !at[key];
        if (first)
            at[key] = c.p;
        /* the first "tasks" (most of the line) is read as it is checked,
         * in one pass; its records are written again by the careful
         * decoder if the line goes to it after all */
        if (first && key == K_TASKS ? !fs__summary_tasks(&c, tasks, n_tasks) : !fs__skip_value(&c, 1))
            return false;
        fs__ws_nl(&c);
        if (c.p >= c.end)
            return false;
        char ch = *c.p++;
        if (ch == '}')
            break;
        if (ch != ',')
            return false;
    }
    fs__ws_nl(&c);
    if (c.p != c.end || !at[0] || !at[1])
        return false;
    if ((size_t)(c.end - at[0]) < 9 || memcmp(at[0], "\"summary\"", 9) != 0)
        return false;
    fs_trace_summary s = {0};
    int64_t *ints[] = {&s.end_ns, &s.tasks_total, &s.completed, &s.polls, &s.pending_polls,
                       &s.ready_polls, &s.wasted_polls, &s.wakes, &s.busy_ns, &s.idle_ns,
                       &s.max_wake_latency_ns};
    for (int i = K_FIRST_INT; i <= K_LAST_INT; i++) {
        if (!at[i] || (i > K_FIRST_INT && (size_t)(c.end - at[i]) >= 4 && memcmp(at[i], "null", 4) == 0))
            continue; /* absent, or an optional null: left as 0 */
        if (!fs__small_uint(at[i], c.end, ints[i - K_FIRST_INT]))
            return false;
    }
    s.stalled = at[12] && (size_t)(c.end - at[12]) >= 4 && memcmp(at[12], "true", 4) == 0;
    s.time_limit_hit = at[13] && (size_t)(c.end - at[13]) >= 4 && memcmp(at[13], "true", 4) == 0;
    if (at[16] && *at[16] == '"') { /* a plain name, written by us */
        const char *q = memchr(at[16] + 1, '"', (size_t)(c.end - at[16] - 1));
        s.limit_hit = q ? fs_limit_from_name(at[16] + 1, (size_t)(q - at[16] - 1)) : FS_LIMIT_NONE;
    }
    if (s.limit_hit == FS_LIMIT_NONE && s.time_limit_hit) /* traces before "limit_hit" */
        s.limit_hit = FS_LIMIT_TIME;
    if (at[14] && (*at[14] == '-' || (*at[14] >= '0' && *at[14] <= '9'))) {
        char num[64];
        fs__cur nc = {.p = at[14], .end = c.end};
        if (!fs__skip_number(&nc))
            return false;
        memcpy(num, at[14], (size_t)(nc.p - at[14]));
        num[nc.p - at[14]] = '\0';
        s.cpu_busy = strtod(num, NULL);
    }
    *out = s;
    return true;
}
