/* palette.c - the recording palette: theme colours exact, the rest nearest. */
#include "palette.h"

#include <string.h>

#define FS__EXACT_SLOTS (sizeof ((fs_viz_palette *)0)->exact_key / sizeof(uint32_t))

static uint32_t fs__rgb(uint8_t r, uint8_t g, uint8_t b)
{
    return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}

static size_t fs__slot(uint32_t rgb)
{
    return (rgb * 2654435761u >> 16) & (FS__EXACT_SLOTS - 1);
}

/* Adds a colour unless it is there already (the cube is sized to fit, so
 * the palette never overflows; a full one keeps what it has). exact: a
 * pixel of exactly this colour maps to it without a search. */
static void fs__add(fs_viz_palette *p, uint8_t r, uint8_t g, uint8_t b, int exact)
{
    uint32_t key = fs__rgb(r, g, b) + 1;
    size_t s = fs__slot(key - 1);
    while (p->exact_key[s] && p->exact_key[s] != key)
        s = (s + 1) & (FS__EXACT_SLOTS - 1);
    if (p->exact_key[s] || p->n == FS_VIZ_PALETTE_SIZE)
        return;
    for (int i = 1; i < p->n; i++)
        if (p->rgb[i][0] == r && p->rgb[i][1] == g && p->rgb[i][2] == b)
            return;
    p->rgb[p->n][0] = r;
    p->rgb[p->n][1] = g;
    p->rgb[p->n][2] = b;
    if (exact) {
        p->exact_key[s] = key;
        p->exact_idx[s] = (uint8_t)p->n;
    }
    p->n++;
}

static int fs__nearest(const fs_viz_palette *p, int r, int g, int b)
{
    int best = 1;
    long best_d = -1;
    for (int i = 1; i < p->n; i++) {
        long dr = r - p->rgb[i][0], dg = g - p->rgb[i][1], db = b - p->rgb[i][2];
        /* green counts most, blue least, as the eye weighs them */
        long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

void fs_viz_palette_init(fs_viz_palette *p, const fs_viz_theme *th)
{
    memset(p, 0, sizeof *p);
    p->n = 1;  /* FS_VIZ_PALETTE_CLEAR: black, never chosen for a pixel */
    const fs_viz_color cs[] = {
        th->bg, th->lane_alt, th->band_bg, th->grid, th->text, th->text_dim, th->text_inv,
        th->pending, th->ready, th->spin, th->spin_stripe, th->compute, th->folded,
        th->folded_mark, th->worker_busy, th->parked, th->parked_stripe, th->io, th->wake,
        th->playhead, th->warn, th->panel_bg, th->panel_head, th->overlay_bg, th->tooltip_bg,
        th->border, th->driver, th->driver_edge, th->queue, th->queue_edge, th->queue_bg,
        th->budget,
    };
    enum { N_FLAT = sizeof cs / sizeof cs[0] };
    fs_viz_color all[N_FLAT + FS_VIZ_TASK_TINTS];
    memcpy(all, cs, sizeof cs);
    memcpy(all + N_FLAT, th->task_tint, sizeof th->task_tint);
    const size_t n = N_FLAT + FS_VIZ_TASK_TINTS;
    for (size_t i = 0; i < n; i++)
        fs__add(p, all[i].r, all[i].g, all[i].b, 1);
    /* events after the playhead are drawn faded towards the background */
    for (size_t i = 0; i < n; i++) {
        fs_viz_color f = fs_viz_fade(th, all[i], th->future_fade);
        fs__add(p, f.r, f.g, f.b, 1);
    }
    /* anti-aliased text: a grey ramp, then the largest colour cube that fits */
    for (int k = 0; k < 32; k++) {
        uint8_t v = (uint8_t)(k * 255 / 31);
        fs__add(p, v, v, v, 0);
    }
    int side = 2;
    while ((side + 1) * (side + 1) * (side + 1) <= FS_VIZ_PALETTE_SIZE - p->n)
        side++;
    for (int r = 0; r < side; r++)
        for (int g = 0; g < side; g++)
            for (int b = 0; b < side; b++)
                fs__add(p, (uint8_t)(r * 255 / (side - 1)), (uint8_t)(g * 255 / (side - 1)),
                        (uint8_t)(b * 255 / (side - 1)), 0);
    /* the nearest entry for each cell of 5 bits per channel, at its middle */
    for (int i = 0; i < (1 << 15); i++) {
        int r = (i >> 10) << 3 | 4, g = ((i >> 5) & 31) << 3 | 4, b = (i & 31) << 3 | 4;
        p->near[i] = (uint8_t)fs__nearest(p, r, g, b);
    }
}

uint8_t fs_viz_palette_index(const fs_viz_palette *p, uint8_t r, uint8_t g, uint8_t b)
{
    uint32_t key = fs__rgb(r, g, b) + 1;
    for (size_t s = fs__slot(key - 1); p->exact_key[s]; s = (s + 1) & (FS__EXACT_SLOTS - 1))
        if (p->exact_key[s] == key)
            return p->exact_idx[s];
    return p->near[(r >> 3) << 10 | (g >> 3) << 5 | b >> 3];
}

void fs_viz_palette_map(const fs_viz_palette *p, const void *argb, int pitch, int w, int h,
                        uint8_t *out)
{
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)argb + (size_t)y * (size_t)pitch);
        /* runs of one colour are the common case: look each up once */
        uint32_t last = row[0] ^ 1u;
        uint8_t idx = 0;
        for (int x = 0; x < w; x++) {
            uint32_t px = row[x] & 0xffffffu;
            if (px != last) {
                last = px;
                idx = fs_viz_palette_index(p, (uint8_t)(px >> 16), (uint8_t)(px >> 8), (uint8_t)px);
            }
            out[(size_t)y * (size_t)w + (size_t)x] = idx;
        }
    }
}
