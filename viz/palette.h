/* palette.h - a fixed 256-colour palette for the viewer's frames, and
 * frames mapped onto it (for GIF recording, gif_writer.h).
 *
 * A frame is mostly the theme's flat colours (and their faded versions,
 * after the playhead); what is not is anti-aliased text and lines, blends
 * of a theme colour into the background. So the palette is: index 0 kept
 * for "unchanged" (transparent), every theme colour and its faded version
 * exactly, a grey ramp for text, and a colour cube for the rest. Built
 * once, no per-frame analysis, no dithering: a theme colour always maps to
 * itself, other colours to the nearest entry. */
#ifndef FS_VIZ_PALETTE_H
#define FS_VIZ_PALETTE_H

#include <stddef.h>
#include <stdint.h>

#include "theme.h"

#define FS_VIZ_PALETTE_SIZE 256
#define FS_VIZ_PALETTE_CLEAR 0  /* the index kept for transparency */

typedef struct fs_viz_palette {
    uint8_t rgb[FS_VIZ_PALETTE_SIZE][3];
    int n;                      /* entries used (the rest are black) */
    /* exact colours (theme entries): open addressing on 0xRRGGBB + 1 */
    uint32_t exact_key[1024];
    uint8_t exact_idx[1024];
    /* every other colour by its top 5 bits per channel: nearest entry */
    uint8_t near[1 << 15];
} fs_viz_palette;

/* Fills p from the theme's colours. */
void fs_viz_palette_init(fs_viz_palette *p, const fs_viz_theme *th);
/* The entry for a colour (never FS_VIZ_PALETTE_CLEAR). */
uint8_t fs_viz_palette_index(const fs_viz_palette *p, uint8_t r, uint8_t g, uint8_t b);
/* Maps w x h pixels of 0xAARRGGBB (rows pitch bytes apart) to indices. */
void fs_viz_palette_map(const fs_viz_palette *p, const void *argb, int pitch, int w, int h,
                        uint8_t *out);

#endif
