/* humanize.c - human-readable times, counts, percentages and duration options. */
#include "humanize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fs_format_ns(int64_t ns, char *buf, size_t n)
{
    double v = (double)ns;
    double a = fabs(v);
    if (a < 1e3)
        snprintf(buf, n, "%lld ns", (long long)ns);
    else if (a < 1e6)
        snprintf(buf, n, "%.3f us", v / 1e3);
    else if (a < 1e9)
        snprintf(buf, n, "%.3f ms", v / 1e6);
    else if (a < 120e9)
        snprintf(buf, n, "%.3f s", v / 1e9);
    else
        snprintf(buf, n, "%.1f min", v / 60e9);
    return buf;
}

const char *fs_format_percent(double share, char *buf, size_t n)
{
    double p = 100.0 * share;
    if (p == 0 || p >= 0.1) {
        snprintf(buf, n, "%.1f%%", p);
    } else if (p < 1e-9) {
        snprintf(buf, n, "< 0.000000001%%");
    } else {
        /* two significant digits in plain decimals ("0.000075%", never
         * "7.5e-05%"); %g's own rounding trims a trailing zero */
        int dec = 1 - (int)floor(log10(p));
        char tmp[48];
        snprintf(tmp, sizeof tmp, "%.*f", dec, p);
        size_t len = strlen(tmp);
        while (len > 0 && tmp[len - 1] == '0')
            tmp[--len] = '\0';
        snprintf(buf, n, "%s%%", tmp);
    }
    return buf;
}

const char *fs_format_count(int64_t v, char *buf, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t o = 0;
    if (v < 0 && o + 1 < n)
        buf[o++] = '-';
    for (int i = 0; i < len && o + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
        if (o + 1 < n)
            buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

int fs_parse_duration(const char *s, int64_t *ns)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v >= 0) || !isfinite(v))
        return 0;
    double unit;
    if (*end == '\0' || strcmp(end, "s") == 0)
        unit = 1e9;
    else if (strcmp(end, "ms") == 0)
        unit = 1e6;
    else if (strcmp(end, "us") == 0)
        unit = 1e3;
    else if (strcmp(end, "ns") == 0)
        unit = 1;
    else if (strcmp(end, "min") == 0 || strcmp(end, "m") == 0)
        unit = 60e9;
    else if (strcmp(end, "h") == 0)
        unit = 3600e9;
    else
        return 0;
    double r = v * unit;
    if (r > 9.0e18)
        return 0;
    *ns = (int64_t)llround(r);
    return 1;
}

const char *fs_format_printable(const char *s, char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p && *p >= 0x20 && *p != 0x7F && !(p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
        p++;
    if (!*p || n == 0)
        return s;
    for (p = (const unsigned char *)s; *p && o + 7 < n; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            buf[o++] = '\\';
            buf[o++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
        } else if (*p < 0x20 || *p == 0x7F) {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", *p);
        } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            o += (size_t)snprintf(buf + o, n - o, "\\u%04x", *++p);
        } else {
            buf[o++] = (char)*p;
        }
    }
    buf[o] = '\0';
    return buf;
}

int fs_parse_size(const char *s, uint64_t *bytes)
{
    static const struct { const char *suffix; double unit; } units[] = {
        {"", 1}, {"B", 1}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
    };
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0) || !isfinite(v) || *s == '+')
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        double r = v * units[i].unit;
        if (strcmp(end, units[i].suffix) != 0)
            continue;
        if (r < 1 || r > 4611686018427387904.0)
            return 0;
        *bytes = (uint64_t)llround(r);
        return 1;
    }
    return 0;
}
