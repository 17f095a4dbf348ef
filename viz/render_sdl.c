/* render_sdl.c - draw-list commands as SDL2 calls. */
#include "render_sdl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fonts --------------------------------------------------------------- */

const char *fs_viz_find_font(void)
{
    static const char *paths[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
        "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono.ttf",
        "/usr/local/share/fonts/DejaVuSansMono.ttf",
        "/opt/homebrew/share/fonts/DejaVuSansMono.ttf",
        "/Library/Fonts/DejaVuSansMono.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    };
    const char *env = getenv("FS_FONT");
    if (env && *env && access(env, R_OK) == 0)
        return env;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (access(paths[i], R_OK) == 0)
            return paths[i];
    return NULL;
}

/* ---- text cache ---------------------------------------------------------- */

/* Open addressing on (text, colour); when half full it is emptied whole,
 * which is cheap next to rendering and keeps memory bounded. */
struct fs_viz_text_entry {
    char *text;          /* NULL: empty slot */
    uint32_t color;
    SDL_Texture *tex;
    int w, h;
};

static uint64_t fs__hash(const char *s, uint32_t color)
{
    uint64_t h = 1469598103934665603ULL ^ color;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void fs__cache_clear(fs_viz_sdl *s)
{
    for (size_t i = 0; i < s->cache_cap; i++) {
        if (s->cache[i].text) {
            free(s->cache[i].text);
            SDL_DestroyTexture(s->cache[i].tex);
        }
    }
    if (s->cache)
        memset(s->cache, 0, s->cache_cap * sizeof *s->cache);
    s->cache_used = 0;
}

static fs_viz_text_entry *fs__text(fs_viz_sdl *s, const char *text, fs_viz_color c)
{
    uint32_t key = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    if (s->cache_used * 2 >= s->cache_cap)
        fs__cache_clear(s);
    size_t j = fs__hash(text, key) & (s->cache_cap - 1);
    while (s->cache[j].text) {
        if (s->cache[j].color == key && strcmp(s->cache[j].text, text) == 0)
            return &s->cache[j];
        j = (j + 1) & (s->cache_cap - 1);
    }
    SDL_Surface *surf = TTF_RenderUTF8_Blended(s->font, text, (SDL_Color){c.r, c.g, c.b, c.a});
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(s->r, surf);
    fs_viz_text_entry e = {.text = strdup(text), .color = key, .tex = tex, .w = surf->w, .h = surf->h};
    SDL_FreeSurface(surf);
    if (!tex || !e.text) {
        free(e.text);
        if (tex)
            SDL_DestroyTexture(tex);
        return NULL;
    }
    s->cache[j] = e;
    s->cache_used++;
    return &s->cache[j];
}

/* ---- setup --------------------------------------------------------------- */

bool fs_viz_sdl_init(fs_viz_sdl *s, SDL_Renderer *r, fs_viz_theme *th, char *err, size_t errn)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    const char *path = th->font_file ? th->font_file : fs_viz_find_font();
    if (!path) {
        snprintf(err, errn, "no monospace font found: install DejaVu Sans Mono (Debian: "
                            "apt-get install fonts-dejavu-core) or set FS_FONT=/path/to/font.ttf");
        return false;
    }
    s->font = TTF_OpenFont(path, th->font_px);
    if (!s->font) {
        snprintf(err, errn, "cannot open font %s: %s", path, TTF_GetError());
        return false;
    }
    int adv = 0;
    if (TTF_GlyphMetrics(s->font, 'M', NULL, NULL, NULL, NULL, &adv) == 0 && adv > 0)
        th->char_w = adv;
    th->line_h = TTF_FontLineSkip(s->font);
    s->cache_cap = 8192;
    s->cache = calloc(s->cache_cap, sizeof *s->cache);
    if (!s->cache) {
        snprintf(err, errn, "out of memory");
        fs_viz_sdl_destroy(s);
        return false;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return true;
}

void fs_viz_sdl_destroy(fs_viz_sdl *s)
{
    fs__cache_clear(s);
    free(s->cache);
    if (s->font)
        TTF_CloseFont(s->font);
    memset(s, 0, sizeof *s);
}

/* ---- drawing ------------------------------------------------------------- */

/* Opaque colours are drawn without blending: the software renderer's
 * blended fill is several times slower than a plain one, and nearly every
 * rectangle is opaque. */
static void fs__color(SDL_Renderer *r, fs_viz_color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

/* Diagonal stripes "/" through the box, aligned to the screen so they do
 * not crawl when the block is panned. */
static void fs__hatch(SDL_Renderer *r, const fs_viz_cmd *c, int step)
{
    fs__color(r, c->color);
    SDL_RenderFillRect(r, &(SDL_Rect){c->x, c->y, c->w, c->h});
    fs__color(r, c->color2);
    int h = c->h - 1;
    int start = ((c->x - h) / step - 1) * step;
    for (int k = start; k < c->x + c->w; k += step) {
        int s0 = c->x - k > 0 ? c->x - k : 0;
        int s1 = c->x + c->w - 1 - k < h ? c->x + c->w - 1 - k : h;
        if (s0 <= s1)
            SDL_RenderDrawLine(r, k + s0, c->y + h - s0, k + s1, c->y + h - s1);
    }
}

static void fs__arrow(SDL_Renderer *r, const fs_viz_cmd *c)
{
    int x0 = c->x, y0 = c->y, x1 = c->w, y1 = c->h;
    fs__color(r, c->color);
    SDL_RenderDrawLine(r, x0, y0, x1, y1);
    double dx = x1 - x0, dy = y1 - y0;
    double len = dx * dx + dy * dy;
    if (len <= 0)
        return;
    len = SDL_sqrt(len);
    dx /= len;
    dy /= len;
    /* head: two strokes 7 px back, 0.45 rad either side */
    double ca = 0.90, sa = 0.43;
    for (int side = -1; side <= 1; side += 2) {
        double hx = -(dx * ca - side * dy * sa), hy = -(dy * ca + side * dx * sa);
        SDL_RenderDrawLine(r, x1, y1, x1 + (int)(hx * 7), y1 + (int)(hy * 7));
        SDL_RenderDrawLine(r, x1, y1, x1 + (int)(hx * 7) + 1, y1 + (int)(hy * 7));
    }
}

void fs_viz_sdl_draw(fs_viz_sdl *s, const fs_viz_drawlist *dl)
{
    SDL_Renderer *r = s->r;
    for (size_t i = 0; i < dl->n; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->color.a == 0 && c->type != FS_DRAW_CLIP)
            continue;  /* invisible: a hit area only */
        switch (c->type) {
        case FS_DRAW_RECT:
            fs__color(r, c->color);
            SDL_RenderFillRect(r, &(SDL_Rect){c->x, c->y, c->w, c->h});
            break;
        case FS_DRAW_FRAME:
            fs__color(r, c->color);
            SDL_RenderDrawRect(r, &(SDL_Rect){c->x, c->y, c->w, c->h});
            break;
        case FS_DRAW_HATCH:
            fs__hatch(r, c, 6);
            break;
        case FS_DRAW_LINE:
            fs__color(r, c->color);
            SDL_RenderDrawLine(r, c->x, c->y, c->w, c->h);
            break;
        case FS_DRAW_ARROW:
            fs__arrow(r, c);
            break;
        case FS_DRAW_TEXT: {
            fs_viz_text_entry *e = s->font ? fs__text(s, fs_viz_cmd_text(dl, c), c->color) : NULL;
            if (e)
                SDL_RenderCopy(r, e->tex, NULL, &(SDL_Rect){c->x, c->y, e->w, e->h});
            break;
        }
        case FS_DRAW_CLIP:
            SDL_RenderSetClipRect(r, c->w > 0 ? &(SDL_Rect){c->x, c->y, c->w, c->h} : NULL);
            break;
        default:
            break;
        }
    }
}
