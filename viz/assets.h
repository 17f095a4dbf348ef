/* assets.h - what the viewer loads at run time from the assets folder: the
 * colour theme and the font list (theme.json) and the window icon
 * (icon.png). The folder is $FS_ASSETS when set, else the first of
 * <program's dir>/assets (the build tree) and
 * <program's dir>/../share/futurescope (an installed copy).
 *
 * Loading never fails the viewer: with no folder, or a file missing or bad,
 * the built-in theme (theme.c) and font list (render_sdl.c) are used and
 * one warning line says why. The shipped theme.json equals the built-in
 * theme, so a frame is the same bytes either way. */
#ifndef FS_VIZ_ASSETS_H
#define FS_VIZ_ASSETS_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "theme.h"

#define FS_VIZ_ASSETS_PATH 4096

typedef struct fs_viz_assets {
    char dir[FS_VIZ_ASSETS_PATH];   /* where they were found; "" if nowhere */
    fs_viz_theme theme;             /* theme.json's colours and font size over the default */
    int colors_set;                 /* colours theme.json named */
    char font[FS_VIZ_ASSETS_PATH];  /* the font to open; "" for the built-in list */
    char icon[FS_VIZ_ASSETS_PATH];  /* icon.png; "" if none */
    char warning[1024];             /* one line when something was missing or bad */
} fs_viz_assets;

/* The folder, as above, into dir; false (dir "") if there is none. */
bool fs_viz_assets_find(char *dir, size_t n);
/* Loads from dir (NULL: fs_viz_assets_find). Returns false with a->warning
 * set when anything was missing or bad; what was not loaded is the default. */
bool fs_viz_assets_load(fs_viz_assets *a, const char *dir);
/* Puts the loaded colours, font size and font into th (sizes that depend on
 * the window stay th's). a must outlive th's use of the font name. */
void fs_viz_assets_apply(const fs_viz_assets *a, fs_viz_theme *th);
/* The window icon, or NULL (SDL_image started; the caller frees it). */
SDL_Surface *fs_viz_assets_icon(const fs_viz_assets *a);
/* Prints a->warning on err, the first time only in a process. */
void fs_viz_assets_warn(const fs_viz_assets *a, FILE *err);

#endif
