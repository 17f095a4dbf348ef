/* drawlist.c - appending commands to a reused buffer. */
#include "drawlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fs_viz_drawlist_init(fs_viz_drawlist *dl)
{
    memset(dl, 0, sizeof *dl);
}

void fs_viz_drawlist_destroy(fs_viz_drawlist *dl)
{
    free(dl->cmds);
    free(dl->text);
    memset(dl, 0, sizeof *dl);
}

void fs_viz_drawlist_clear(fs_viz_drawlist *dl)
{
    dl->n = 0;
    dl->text_len = 0;
    dl->oom = false;
}

static fs_viz_cmd *fs__push(fs_viz_drawlist *dl, fs_viz_cmd_type type)
{
    static fs_viz_cmd sink;  /* absorbs writes after an allocation failure */
    if (dl->n == dl->cap) {
        size_t cap = dl->cap ? dl->cap * 2 : 1024;
        fs_viz_cmd *c = realloc(dl->cmds, cap * sizeof *c);
        if (!c) {
            dl->oom = true;
            return &sink;
        }
        dl->cmds = c;
        dl->cap = cap;
    }
    fs_viz_cmd *c = &dl->cmds[dl->n++];
    memset(c, 0, sizeof *c);
    c->type = (uint8_t)type;
    c->trace = -1;
    c->lane = -1;
    c->item = -1;
    return c;
}

static fs_viz_cmd *fs__box(fs_viz_drawlist *dl, fs_viz_cmd_type type, int x, int y, int w, int h,
                           fs_viz_color c)
{
    fs_viz_cmd *cmd = fs__push(dl, type);
    cmd->x = x;
    cmd->y = y;
    cmd->w = w;
    cmd->h = h;
    cmd->color = c;
    return cmd;
}

fs_viz_cmd *fs_viz_rect(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color c)
{
    return fs__box(dl, FS_DRAW_RECT, x, y, w, h, c);
}

fs_viz_cmd *fs_viz_frame(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color c)
{
    return fs__box(dl, FS_DRAW_FRAME, x, y, w, h, c);
}

fs_viz_cmd *fs_viz_hatch(fs_viz_drawlist *dl, int x, int y, int w, int h, fs_viz_color fill,
                         fs_viz_color stripe)
{
    fs_viz_cmd *cmd = fs__box(dl, FS_DRAW_HATCH, x, y, w, h, fill);
    cmd->color2 = stripe;
    return cmd;
}

void fs_viz_line(fs_viz_drawlist *dl, int x, int y, int x2, int y2, fs_viz_color c)
{
    fs__box(dl, FS_DRAW_LINE, x, y, x2, y2, c);
}

void fs_viz_arrow(fs_viz_drawlist *dl, int x, int y, int x2, int y2, fs_viz_color c)
{
    fs__box(dl, FS_DRAW_ARROW, x, y, x2, y2, c);
}

void fs_viz_clip(fs_viz_drawlist *dl, int x, int y, int w, int h)
{
    fs__box(dl, FS_DRAW_CLIP, x, y, w, h, (fs_viz_color){0, 0, 0, 0});
}

int fs_viz_text_cols(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int fs_viz_text_fit(char *s, size_t cap, int cols)
{
    int have = fs_viz_text_cols(s, strlen(s));
    if (have <= cols)
        return have;
    if (cols < 1 || cap < 4) {
        s[0] = '\0';
        return 0;
    }
    size_t i = 0;  /* the byte after cols - 1 code points */
    for (int k = 0; s[i] && k < cols - 1; k++) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    while (i > 0 && i + 4 > cap) {  /* room for the ellipsis and the NUL */
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
    }
    memcpy(s + i, "\xE2\x80\xA6", 4);
    return fs_viz_text_cols(s, strlen(s));
}

int fs_viz_text(fs_viz_drawlist *dl, int x, int y, fs_viz_color c, int char_w, const char *s)
{
    size_t len = strlen(s);
    if (len == 0)
        return 0;
    if (dl->text_len + len + 1 > dl->text_cap) {
        size_t cap = dl->text_cap ? dl->text_cap : 16384;
        while (cap < dl->text_len + len + 1)
            cap *= 2;
        char *t = realloc(dl->text, cap);
        if (!t) {
            dl->oom = true;
            return 0;
        }
        dl->text = t;
        dl->text_cap = cap;
    }
    fs_viz_cmd *cmd = fs__push(dl, FS_DRAW_TEXT);
    cmd->x = x;
    cmd->y = y;
    cmd->color = c;
    cmd->text = (uint32_t)dl->text_len;
    cmd->len = (uint32_t)len;
    memcpy(dl->text + dl->text_len, s, len + 1);
    dl->text_len += len + 1;
    int cols = fs_viz_text_cols(s, len);
    cmd->w = cols * char_w;
    return cmd->w;
}

int fs_viz_textf(fs_viz_drawlist *dl, int x, int y, fs_viz_color c, int char_w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fs_viz_text(dl, x, y, c, char_w, buf);
}
