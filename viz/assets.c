/* assets.c - finding the assets folder and reading theme.json and icon.png. */
#include "assets.h"

#include <SDL2/SDL_image.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_read.h"

/* theme.json's "colors": every colour of fs_viz_theme by its field name. */
#define FS__COLORS(X)                                                                      \
    X(bg) X(lane_alt) X(band_bg) X(grid) X(text) X(text_dim) X(text_inv) X(pending)       \
    X(ready) X(spin) X(spin_stripe) X(compute) X(folded) X(folded_mark) X(worker_busy)    \
    X(parked) X(parked_stripe) X(io) X(wake) X(playhead) X(warn) X(panel_bg)              \
    X(panel_head) X(overlay_bg) X(tooltip_bg) X(border) X(driver) X(driver_edge) X(queue) \
    X(queue_edge) X(queue_bg) X(budget)

static const char *const color_names[] = {
#define FS__NAME(f) #f,
    FS__COLORS(FS__NAME)
#undef FS__NAME
};
static const size_t color_offsets[] = {
#define FS__OFF(f) offsetof(fs_viz_theme, f),
    FS__COLORS(FS__OFF)
#undef FS__OFF
};
#define FS__NCOLORS (sizeof color_names / sizeof color_names[0])
#define FS__THEME_MAX (1 << 20)

static fs_viz_color *color_at(fs_viz_theme *th, size_t i)
{
    return (fs_viz_color *)((char *)th + color_offsets[i]);
}

static fs_viz_color color_of(const fs_viz_theme *th, size_t i)
{
    return *(const fs_viz_color *)((const char *)th + color_offsets[i]);
}

/* ---- the folder ---------------------------------------------------------- */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_viz_assets_find(char *dir, size_t n)
{
    dir[0] = '\0';
    const char *env = getenv("FS_ASSETS");
    if (env && *env) {
        if (!is_dir(env))
            return false;
        snprintf(dir, n, "%s", env);
        return true;
    }
    /* the program's folder, with a trailing slash (SDL reads /proc/self/exe) */
    char *base = SDL_GetBasePath();
    if (!base)
        return false;
    static const char *const under[] = {"assets", "../share/futurescope"};
    bool found = false;
    for (size_t i = 0; i < 2 && !found; i++) {
        int len = snprintf(dir, n, "%s%s", base, under[i]);
        found = len > 0 && (size_t)len < n && is_dir(dir);
    }
    SDL_free(base);
    if (!found)
        dir[0] = '\0';
    return found;
}

/* ---- theme.json ---------------------------------------------------------- */

/* "#rrggbb" or "#rrggbbaa"; false if s is neither. */
static bool parse_color(const char *s, fs_viz_color *c)
{
    size_t len = strlen(s);
    if (s[0] != '#' || (len != 7 && len != 9) || strspn(s + 1, "0123456789abcdefABCDEF") != len - 1)
        return false;
    unsigned long v = strtoul(s + 1, NULL, 16);
    if (len == 7)
        v = v << 8 | 0xff;
    *c = (fs_viz_color){(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return true;
}

static fs_errcode read_colors(fs_json_reader *rd, const fs_json_node *obj, fs_viz_assets *a)
{
    FS_JR_TRY(fs_jr_check_object(rd, obj, "an object of colours", NULL, 0));
    const fs_json_node *m;
    FS_JSON_FOR_EACH(m, obj) {
        size_t i = 0;
        while (i < FS__NCOLORS && strcmp(color_names[i], m->string) != 0)
            i++;
        if (i == FS__NCOLORS) {
            char q[80];
            return fs_jr_fail_key(rd, m, "unknown colour %s (expected one of the names in the shipped "
                                         "theme.json: bg, pending, ready, ...)",
                                  fs_json_quote(m->string, q, sizeof q));
        }
        size_t at = fs_jr_path_key(rd, m->string);
        if (!fs_json_is_string(m) || !parse_color(m->valuestring, color_at(&a->theme, i)))
            return fs_jr_fail(rd, m, "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got %s%s%s",
                              m->valuestring ? "\"" : "",
                              m->valuestring ? m->valuestring : fs_json_type_name(m),
                              m->valuestring ? "\"" : "");
        fs_jr_path_pop(rd, at);
        a->colors_set++;
    }
    return FS_ERR_OK;
}

/* The first readable of "files" into a->font; a name without a slash is in
 * the assets folder. FS_FONT, when set, wins (render_sdl.c reads it). */
static fs_errcode read_font(fs_json_reader *rd, const fs_json_node *obj, fs_viz_assets *a)
{
    static const char *const keys[] = {"size_px", "files"};
    static const fs_json_range size = {"a font size in pixels", "font size", 6, 72, " px"};
    FS_JR_TRY(fs_jr_check_object(rd, obj, "an object {\"size_px\": 13, \"files\": [...]}", keys, 2));
    int64_t px = a->theme.font_px;
    FS_JR_TRY(fs_jr_int_member(rd, obj, "size_px", &size, &px));
    a->theme.font_px = (int)px;
    const fs_json_node *files = fs_jr_member(obj, "files");
    if (!files)
        return FS_ERR_OK;
    size_t at = fs_jr_path_key(rd, "files");
    if (!fs_json_is_array(files))
        return fs_jr_fail(rd, files, "expected an array of font files, got %s", fs_json_type_name(files));
    const char *env = getenv("FS_FONT");
    bool want = !(env && *env && access(env, R_OK) == 0);
    size_t i = 0;
    const fs_json_node *f;
    FS_JSON_FOR_EACH(f, files) {
        if (!fs_json_is_string(f)) {
            fs_jr_path_index(rd, i);
            return fs_jr_fail(rd, f, "expected a font file name, got %s", fs_json_type_name(f));
        }
        char path[FS_VIZ_ASSETS_PATH];
        int len = strchr(f->valuestring, '/')
                      ? snprintf(path, sizeof path, "%s", f->valuestring)
                      : snprintf(path, sizeof path, "%s/%s", a->dir, f->valuestring);
        if (want && len > 0 && (size_t)len < sizeof path && access(path, R_OK) == 0) {
            memcpy(a->font, path, (size_t)len + 1);  /* the first readable one */
            want = false;
        }
        i++;
    }
    fs_jr_path_pop(rd, at);
    return FS_ERR_OK;
}

static fs_errcode read_theme(fs_json_reader *rd, fs_viz_assets *a)
{
    static const char *const keys[] = {"font", "colors"};
    const fs_json_node *root = fs_json_root(rd->doc), *m;
    FS_JR_TRY(fs_jr_check_object(rd, root, "a JSON object {\"font\": ..., \"colors\": ...}", keys, 2));
    if ((m = fs_jr_member(root, "font")))
        FS_JR_AT_KEY(rd, "font", read_font(rd, m, a));
    if ((m = fs_jr_member(root, "colors")))
        FS_JR_AT_KEY(rd, "colors", read_colors(rd, m, a));
    return FS_ERR_OK;
}

/* Reads path whole (at most FS__THEME_MAX bytes); NULL with err set. */
static char *slurp(const char *path, size_t *len, fs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fs_error_set(err, FS_ERR_IO, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(FS__THEME_MAX + 1);
    *len = buf ? fread(buf, 1, FS__THEME_MAX + 1, f) : 0;
    if (!buf)
        fs_error_set(err, FS_ERR_NOMEM, "out of memory");
    else if (ferror(f))
        fs_error_set(err, FS_ERR_IO, "cannot read: %s", strerror(errno ? errno : EIO));
    else if (*len > FS__THEME_MAX)
        fs_error_set(err, FS_ERR_INPUT, "file too large: more than 1 MiB");
    fclose(f);
    if (err->code != FS_ERR_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* theme.json into a; false with a->warning set. */
static bool load_theme(fs_viz_assets *a)
{
    fs_error err = {0};
    char path[FS_VIZ_ASSETS_PATH + 16];
    snprintf(path, sizeof path, "%s/theme.json", a->dir);
    if (snprintf(err.file, sizeof err.file, "%s", path) >= (int)sizeof err.file)
        snprintf(err.file, sizeof err.file, "theme.json");  /* a long folder: the name says enough */
    size_t len = 0;
    char *text = slurp(path, &len, &err);
    fs_json_doc *doc = NULL;
    fs_arena *arena = NULL;
    if (text && fs_json_parse(text, len, &doc, &err) == FS_ERR_OK) {
        if (!(arena = fs_arena_create(0))) {
            fs_error_set(&err, FS_ERR_NOMEM, "out of memory");
        } else {
            fs_json_reader *rd = calloc(1, sizeof *rd);
            if (rd) {
                *rd = (fs_json_reader){.doc = doc, .arena = arena, .err = &err};
                read_theme(rd, a);
                free(rd);
            } else {
                fs_error_set(&err, FS_ERR_NOMEM, "out of memory");
            }
        }
    }
    fs_arena_free(arena);
    fs_json_free(doc);
    free(text);
    if (err.code == FS_ERR_OK)
        return true;
    /* the message as fs_error_print writes it, then the consequence */
    FILE *w = fmemopen(a->warning, sizeof a->warning, "w");
    if (w) {
        fs_error_print(&err, w);
        fclose(w);
    }
    a->warning[strcspn(a->warning, "\n")] = '\0';
    size_t used = strlen(a->warning);
    snprintf(a->warning + used, sizeof a->warning - used, " (using the built-in theme)");
    return false;
}

/* ---- loading ------------------------------------------------------------- */

bool fs_viz_assets_load(fs_viz_assets *a, const char *dir)
{
    memset(a, 0, sizeof *a);
    fs_viz_theme_default(&a->theme);
    if (!dir)
        fs_viz_assets_find(a->dir, sizeof a->dir);
    else if (is_dir(dir))
        snprintf(a->dir, sizeof a->dir, "%s", dir);
    if (!a->dir[0]) {
        const char *env = getenv("FS_ASSETS");
        const char *at = dir ? dir : env && *env ? env : NULL;
        if (at)
            snprintf(a->warning, sizeof a->warning,
                     "no assets folder at %s (using the built-in theme and fonts)", at);
        else
            snprintf(a->warning, sizeof a->warning,
                     "no assets folder beside the program (assets/) or under its prefix "
                     "(../share/futurescope) (using the built-in theme and fonts)");
        return false;
    }
    bool ok = load_theme(a);
    if (!ok) {
        fs_viz_theme_default(&a->theme);
        a->colors_set = 0;
        a->font[0] = '\0';
    }
    int len = snprintf(a->icon, sizeof a->icon, "%s/icon.png", a->dir);
    if (len < 0 || (size_t)len >= sizeof a->icon || access(a->icon, R_OK) != 0) {
        if (ok && snprintf(a->warning, sizeof a->warning, "%s: cannot read it: %s (no window icon)",
                           a->icon, strerror(errno)) < 0)
            a->warning[0] = '?';
        a->icon[0] = '\0';
        ok = false;
    }
    return ok;
}

void fs_viz_assets_apply(const fs_viz_assets *a, fs_viz_theme *th)
{
    for (size_t i = 0; i < FS__NCOLORS; i++)
        *color_at(th, i) = color_of(&a->theme, i);
    th->font_px = a->theme.font_px;
    th->font_file = a->font[0] ? a->font : NULL;
}

SDL_Surface *fs_viz_assets_icon(const fs_viz_assets *a)
{
    return a->icon[0] ? IMG_Load(a->icon) : NULL;
}

void fs_viz_assets_warn(const fs_viz_assets *a, FILE *err)
{
    static bool warned;
    if (a->warning[0] && !warned) {
        warned = true;
        fprintf(err, "futurescope: warning: %s\n", a->warning);
    }
}
