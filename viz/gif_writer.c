/* gif_writer.c - animated GIFs through giflib's streaming encoder. */
#include "gif_writer.h"

#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

struct fs_viz_gif_writer {
    GifFileType *gif;
    FILE *out;
    uint64_t written, max_bytes;
    bool over;          /* a write would have passed max_bytes */
    bool discard;       /* aborting: giflib's closing bytes go nowhere */
    int w, h;
    uint64_t frames;
    uint8_t *prev;      /* the picture so far, as a viewer composes it */
    uint8_t *line;      /* one row of the frame being written */
};

/* giflib's output: counted, and refused whole rather than cut at the cap. */
static int fs__out(GifFileType *gif, const GifByteType *buf, int len)
{
    fs_viz_gif_writer *g = gif->UserData;
    if (g->discard)
        return len;
    if (g->over || g->written + (uint64_t)len > g->max_bytes) {
        g->over = true;
        return 0;
    }
    size_t n = fwrite(buf, 1, (size_t)len, g->out);
    g->written += n;
    return (int)n;
}

/* The error after a giflib call failed with code. */
static void fs__fail(fs_viz_gif_writer *g, int code, fs_error *err)
{
    if (g->over)
        fs_error_set(err, FS_ERR_LIMIT, "the GIF would pass %llu bytes; nothing written (record "
                     "less: a shorter --from/--to, a lower --fps, a higher --speed or a smaller --size)",
                     (unsigned long long)g->max_bytes);
    else if (code == E_GIF_ERR_NOT_ENOUGH_MEM)
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
    else
        fs_error_set(err, FS_ERR_WRITE, "cannot write the GIF: %s", GifErrorString(code));
}

fs_viz_gif_writer *fs_viz_gif_create(FILE *out, int w, int h, const fs_viz_palette *p,
                                     uint64_t max_bytes, fs_error *err)
{
    fs_viz_gif_writer *g = calloc(1, sizeof *g);
    if (!g || !(g->prev = malloc((size_t)w * (size_t)h)) || !(g->line = malloc((size_t)w))) {
        if (g)
            free(g->prev);
        free(g);
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    g->out = out;
    g->w = w;
    g->h = h;
    g->max_bytes = max_bytes ? max_bytes : FS_VIZ_GIF_MAX_BYTES;
    int code = 0;
    g->gif = EGifOpen(g, fs__out, &code);
    if (!g->gif) {
        fs__fail(g, code, err);
        fs_viz_gif_free(g, false, NULL);
        return NULL;
    }
    GifColorType colors[FS_VIZ_PALETTE_SIZE];
    for (int i = 0; i < FS_VIZ_PALETTE_SIZE; i++)
        colors[i] = (GifColorType){p->rgb[i][0], p->rgb[i][1], p->rgb[i][2]};
    ColorMapObject *map = GifMakeMapObject(FS_VIZ_PALETTE_SIZE, colors);
    /* GIF89a (for the extensions); screen, palette, then loop forever:
     * NETSCAPE2.0, sub-block 1, loop count 0 */
    static const GifByteType loop[3] = {1, 0, 0};
    EGifSetGifVersion(g->gif, true);
    bool ok = map && EGifPutScreenDesc(g->gif, w, h, 8, 0, map) == GIF_OK &&
              EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
              EGifPutExtensionBlock(g->gif, 11, "NETSCAPE2.0") == GIF_OK &&
              EGifPutExtensionBlock(g->gif, 3, loop) == GIF_OK &&
              EGifPutExtensionTrailer(g->gif) == GIF_OK;
    GifFreeMapObject(map);
    if (!ok) {
        fs__fail(g, map ? g->gif->Error : E_GIF_ERR_NOT_ENOUGH_MEM, err);
        fs_viz_gif_free(g, false, NULL);
        return NULL;
    }
    return g;
}

/* The smallest rectangle holding every pixel that differs from prev; false
 * when none does. */
static bool fs__changed(const fs_viz_gif_writer *g, const uint8_t *px, int *x0, int *y0, int *x1,
                        int *y1)
{
    int w = g->w, h = g->h;
    *x0 = w, *y0 = h, *x1 = -1, *y1 = -1;
    for (int y = 0; y < h; y++) {
        const uint8_t *a = px + (size_t)y * (size_t)w, *b = g->prev + (size_t)y * (size_t)w;
        if (memcmp(a, b, (size_t)w) == 0)
            continue;
        if (*y0 == h)
            *y0 = y;
        *y1 = y;
        int l = 0, r = w - 1;
        while (a[l] == b[l])
            l++;
        while (a[r] == b[r])
            r--;
        if (l < *x0)
            *x0 = l;
        if (r > *x1)
            *x1 = r;
    }
    return *y1 >= 0;
}

bool fs_viz_gif_add(fs_viz_gif_writer *g, const uint8_t *px, int delay_cs, fs_error *err)
{
    /* The first frame is whole; each later one only its changed rectangle
     * (one transparent pixel when nothing changed: the delay still counts),
     * drawn over what is there (disposal "do not dispose"). */
    int x0 = 0, y0 = 0, x1 = g->w - 1, y1 = g->h - 1;
    bool first = g->frames == 0;
    if (!first && !fs__changed(g, px, &x0, &y0, &x1, &y1))
        x0 = y0 = x1 = y1 = 0;
    GraphicsControlBlock gcb = {
        .DisposalMode = DISPOSE_DO_NOT,
        .DelayTime = delay_cs,
        .TransparentColor = first ? NO_TRANSPARENT_COLOR : FS_VIZ_PALETTE_CLEAR,
    };
    GifByteType ext[4];
    size_t n = EGifGCBToExtension(&gcb, ext);
    int rw = x1 - x0 + 1;
    if (EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, (int)n, ext) != GIF_OK ||
        EGifPutImageDesc(g->gif, x0, y0, rw, y1 - y0 + 1, false, NULL) != GIF_OK)
        goto fail;
    for (int y = y0; y <= y1; y++) {
        const uint8_t *a = px + (size_t)y * (size_t)g->w + (size_t)x0;
        uint8_t *b = g->prev + (size_t)y * (size_t)g->w + (size_t)x0;
        for (int x = 0; x < rw; x++)
            g->line[x] = !first && a[x] == b[x] ? FS_VIZ_PALETTE_CLEAR : a[x];
        memcpy(b, a, (size_t)rw);
        if (EGifPutLine(g->gif, g->line, rw) != GIF_OK)
            goto fail;
    }
    g->frames++;
    return true;
fail:
    fs__fail(g, g->gif->Error, err);
    return false;
}

bool fs_viz_gif_free(fs_viz_gif_writer *g, bool finish, fs_error *err)
{
    if (!g)
        return true;
    bool ok = true;
    if (g->gif) {
        g->discard = !finish;
        int code = 0;
        if (EGifCloseFile(g->gif, &code) != GIF_OK && finish) {
            fs__fail(g, code, err);
            ok = false;
        }
    }
    free(g->prev);
    free(g->line);
    free(g);
    return ok;
}

uint64_t fs_viz_gif_size(const fs_viz_gif_writer *g)
{
    return g->written;
}
