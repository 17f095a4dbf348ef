/* render_sdl.h - the thin layer: a draw list onto an SDL_Renderer, text via
 * SDL2_ttf with a cache of rendered strings. Nothing here decides what to
 * draw. */
#ifndef FS_VIZ_RENDER_SDL_H
#define FS_VIZ_RENDER_SDL_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdbool.h>

#include "drawlist.h"
#include "theme.h"

typedef struct fs_viz_text_entry fs_viz_text_entry;

typedef struct fs_viz_sdl {
    SDL_Renderer *r;      /* borrowed */
    TTF_Font *font;
    fs_viz_text_entry *cache;
    size_t cache_cap, cache_used;
} fs_viz_sdl;

/* The first font found of the usual places for DejaVu Sans Mono (and a few
 * other monospace fonts); FS_FONT in the environment overrides. NULL if none. */
const char *fs_viz_find_font(void);
/* Opens the font at th->font_px and sets th->char_w and th->line_h from it.
 * On failure fills err and returns false. TTF_Init must have been called. */
bool fs_viz_sdl_init(fs_viz_sdl *s, SDL_Renderer *r, fs_viz_theme *th, char *err, size_t errn);
void fs_viz_sdl_destroy(fs_viz_sdl *s);
void fs_viz_sdl_draw(fs_viz_sdl *s, const fs_viz_drawlist *dl);

#endif
