/* pen.c - wrapped lines of text down a box of the side panel (pen.h). */
#include "pen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool fs_viz_pen_room(const fs_viz_pen *p)
{
    return p->y + p->th->line_h <= p->bottom;
}

bool fs_viz_pen_shows(const fs_viz_pen *p)
{
    return fs_viz_pen_room(p) && p->y >= p->top;
}

/* The next line of s in cols columns: its length in bytes (a code point
 * boundary); the whole of s when it fits, else up to its last space that
 * fits, else cols code points. */
static size_t fs__cut(const char *s, int cols)
{
    size_t i = 0, space = 0;
    int k = 0;
    while (s[i] && k < cols) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k++;
        if (s[i] == ' ')
            space = i;
    }
    if (!s[i])
        return i;
    return space > 0 ? space : i;
}

/* Walks text's lines; draws them when draw. Returns the lines taken. */
static int fs__lines(fs_viz_pen *p, int indent, fs_viz_color c, const char *text, int max, bool draw)
{
    int n = 0, cw = p->th->char_w, lead = (int)strspn(text, " ");
    const char *s = text;
    while (n < max && (n == 0 || *s)) {
        /* lines after the first: 2 columns in from the first's text */
        int in = indent + (n ? lead + 2 : 0), cols = p->w / cw - in;
        if (cols < 4)
            cols = 4;
        size_t len = fs__cut(s, cols);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)len, s);
        const char *rest = s + len;
        while (*rest == ' ')
            rest++;
        if (n == max - 1 && *rest) {  /* the last line: what goes on is elided */
            snprintf(buf, sizeof buf, "%s", s);
            fs_viz_text_fit(buf, sizeof buf, cols);
        }
        if (draw) {
            if (!fs_viz_pen_room(p))
                return n;
            if (p->y >= p->top)
                fs_viz_text(p->dl, p->x + in * cw, p->y, c, cw, buf);
            p->y += p->th->line_h;
        }
        n++;
        s = rest;
    }
    return n;
}

int fs_viz_pen_count(const fs_viz_pen *p, int indent, const char *text, int max)
{
    fs_viz_pen q = *p;
    return fs__lines(&q, indent, (fs_viz_color){0}, text, max, false);
}

bool fs_viz_pen_text(fs_viz_pen *p, int indent, fs_viz_color c, const char *text, int max)
{
    int want = fs_viz_pen_count(p, indent, text, max);
    return fs__lines(p, indent, c, text, max, true) == want;
}

bool fs_viz_pen_line(fs_viz_pen *p, int indent, fs_viz_color c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fs_viz_pen_text(p, indent, c, buf, 3);
}
