/* search.c - type-to-search: finding the tasks whose names hold the query,
 * the keys and text of the box, and the box itself at the bottom of the
 * window (over the legend, so the lanes keep their place). */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viewer.h"

/* ---- matching ------------------------------------------------------------ */

static int fs__lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does query occur in name at byte i (without case)? */
static bool fs__at(const char *name, size_t i, const char *query)
{
    for (size_t k = 0; query[k]; k++)
        if (!name[i + k] || fs__lower((unsigned char)name[i + k]) != fs__lower((unsigned char)query[k]))
            return false;
    return true;
}

int fs_viz_search_rank(const char *name, const char *query)
{
    if (!query[0])
        return -1;
    size_t n = strlen(name), q = strlen(query);
    if (q > n)
        return -1;
    if (fs__at(name, 0, query))
        return q == n ? 0 : 1;
    for (size_t i = 1; i + q <= n; i++)
        if (fs__at(name, i, query))
            return 2;
    return -1;
}

static bool fs__push(fs_viz_search *s, int trace, uint32_t task)
{
    if (s->n_matches == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        fs_viz_match *m = realloc(s->matches, cap * sizeof *m);
        if (!m)
            return false;
        s->matches = m;
        s->cap = cap;
    }
    s->matches[s->n_matches++] = (fs_viz_match){(int16_t)trace, task};
    return true;
}

bool fs_viz_search_find(fs_viz_search *s, fs_trace *const *traces, size_t n)
{
    s->n_matches = 0;
    s->cur = 0;
    s->went = false;
    /* one pass per rank keeps the order without a sort: a few ms for
     * 200,000 names, once per key typed */
    for (int rank = 0; rank <= 2; rank++) {
        for (size_t b = 0; b < n; b++) {
            const fs_trace *tr = traces[b];
            for (uint32_t k = 0; k < tr->n_tasks; k++) {
                if (fs_viz_search_rank(fs_trace_str(tr, tr->tasks[k].name), s->query) != rank)
                    continue;
                if (!fs__push(s, (int)b, k)) {
                    s->n_matches = 0;
                    return false;
                }
            }
        }
    }
    return true;
}

void fs_viz_search_free(fs_viz_search *s)
{
    free(s->matches);
    *s = (fs_viz_search){0};
}

/* ---- keys and text ------------------------------------------------------- */

static void fs__refind(fs_viz_search *s, fs_trace *const *traces, size_t n)
{
    if (!fs_viz_search_find(s, traces, n))
        s->n_matches = 0;
}

const fs_viz_match *fs_viz_search_step(fs_viz_search *s, int dir)
{
    if (!s->n_matches)
        return NULL;
    if (!s->went)
        s->cur = dir > 0 ? 0 : s->n_matches - 1;
    else
        s->cur = (s->cur + s->n_matches + (dir > 0 ? 1 : -1)) % s->n_matches;
    s->went = true;
    return &s->matches[s->cur];
}

/* Drops the query's last character (a whole UTF-8 sequence). */
static void fs__backspace(fs_viz_search *s)
{
    size_t n = strlen(s->query);
    while (n > 0 && ((unsigned char)s->query[n - 1] & 0xC0) == 0x80)
        n--;
    if (n > 0)
        n--;
    s->query[n] = '\0';
}

static void fs__open(fs_viz_search *s, bool skip_slash)
{
    s->mode = FS_SEARCH_EDITING;
    s->skip_slash = skip_slash;
    s->query[0] = '\0';
    s->n_matches = 0;
    s->went = false;
}

int fs_viz_search_key(fs_viz_search *s, SDL_Keycode key, Uint16 mod, bool help,
                      fs_trace *const *traces, size_t n)
{
    bool shift = mod & KMOD_SHIFT;
    if (s->mode != FS_SEARCH_EDITING) {
        switch (key) {
        case SDLK_SLASH:
            if (shift)
                return FS_SEARCH_PASS;  /* '?': the help */
            fs__open(s, true);
            return FS_SEARCH_TOOK;
        case SDLK_n:
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            return shift ? FS_SEARCH_PREV : FS_SEARCH_NEXT;
        case SDLK_ESCAPE:
            /* the box closes after the help, before the detail */
            if (s->mode != FS_SEARCH_BROWSING || help)
                return FS_SEARCH_PASS;
            s->mode = FS_SEARCH_CLOSED;
            return FS_SEARCH_TOOK;
        default:
            return FS_SEARCH_PASS;
        }
    }
    s->skip_slash = false;
    switch (key) {
    case SDLK_ESCAPE:  /* cancel: no box, no query */
        s->mode = FS_SEARCH_CLOSED;
        s->query[0] = '\0';
        s->n_matches = 0;
        return FS_SEARCH_TOOK;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (!s->n_matches)
            return FS_SEARCH_TOOK;  /* the box says there is none */
        s->mode = FS_SEARCH_BROWSING;
        return shift ? FS_SEARCH_PREV : FS_SEARCH_NEXT;
    case SDLK_DOWN:
        return FS_SEARCH_NEXT;
    case SDLK_UP:
        return FS_SEARCH_PREV;
    case SDLK_BACKSPACE:
        fs__backspace(s);
        fs__refind(s, traces, n);
        return FS_SEARCH_TOOK;
    case SDLK_PAGEUP:
    case SDLK_PAGEDOWN:
        return FS_SEARCH_PASS;  /* scrolling still works */
    default:
        return FS_SEARCH_TOOK;  /* the rest is text (SDL_TEXTINPUT), not commands */
    }
}

void fs_viz_search_text(fs_viz_search *s, const char *text, fs_trace *const *traces, size_t n)
{
    if (s->mode != FS_SEARCH_EDITING) {
        /* a layout whose '/' is not the slash key still opens the box */
        if (strcmp(text, "/") == 0)
            fs__open(s, false);
        return;
    }
    bool skip = s->skip_slash;
    s->skip_slash = false;
    if (skip && strcmp(text, "/") == 0)
        return;
    size_t len = strlen(s->query), add = strlen(text);
    if (len + add >= sizeof s->query)
        return;
    memcpy(s->query + len, text, add + 1);
    fs__refind(s, traces, n);
}

/* ---- the box ------------------------------------------------------------- */

/* The box's message, the longest that fits cols (best first). */
static void fs__status(const fs_viz_viewer *v, int cols, char *out, size_t n)
{
    const fs_viz_search *s = &v->search;
    char a[200], b[200], c[120];
    if (!s->query[0]) {
        snprintf(a, sizeof a, "type a task's name or part of it; Enter: go to it, Esc: cancel");
        snprintf(b, sizeof b, "type a task's name; Enter: go, Esc: cancel");
        snprintf(c, sizeof c, "a task's name?");
    } else if (!s->n_matches) {
        snprintf(a, sizeof a, "no task named \"%s\"", s->query);
        snprintf(b, sizeof b, "no task named that");
        snprintf(c, sizeof c, "none");
    } else if (!s->went) {
        bool one = s->n_matches == 1;
        snprintf(a, sizeof a, "%zu task%s: Enter goes to %s, Esc: cancel", s->n_matches, one ? "" : "s",
                 one ? "it" : "the first");
        snprintf(b, sizeof b, "%zu task%s: Enter: go", s->n_matches, one ? "" : "s");
        snprintf(c, sizeof c, "%zu", s->n_matches);
    } else {
        const fs_viz_match *m = &s->matches[s->cur];
        const fs_trace *tr = v->traces[m->trace];
        const char *name = fs_trace_str(tr, tr->tasks[m->task].name);
        char band[64] = "";
        if (v->n_traces > 1)
            snprintf(band, sizeof band, " (band %d, %s)", m->trace, fs_trace_str(tr, tr->executor));
        snprintf(a, sizeof a, "match %zu of %zu: %.64s%s   n / Enter: next, N: previous, Esc: close",
                 s->cur + 1, s->n_matches, name, band);
        snprintf(b, sizeof b, "%zu of %zu: %.64s%s  n: next, N: previous", s->cur + 1, s->n_matches,
                 name, band);
        snprintf(c, sizeof c, "%zu of %zu", s->cur + 1, s->n_matches);
    }
    const char *pick = fs_viz_text_cols(a, strlen(a)) <= cols ? a
                     : fs_viz_text_cols(b, strlen(b)) <= cols ? b
                     : fs_viz_text_cols(c, strlen(c)) <= cols ? c : "";
    snprintf(out, n, "%s", pick);
}

void fs_viz_draw_search(fs_viz_viewer *v)
{
    const fs_viz_search *s = &v->search;
    if (s->mode == FS_SEARCH_CLOSED)
        return;
    const fs_viz_theme *th = &v->theme;
    fs_viz_drawlist *dl = &v->dl;
    int h = th->legend_h, y0 = v->view.h - h, w = v->view.w;
    fs_viz_rect(dl, 0, y0, w, h, th->tooltip_bg);
    fs_viz_line(dl, 0, y0, w, y0, th->border);
    fs_viz_clip(dl, 0, y0, w, h);
    int cw = th->char_w, ty = y0 + (h - th->line_h) / 2;
    int x = 10 + fs_viz_text(dl, 10, ty, th->text_dim, cw, "find task:") + cw;
    /* the query, its tail when long, and the cursor while typing */
    int room = (w - x) / cw / 2;
    const char *q = s->query;
    while (room > 1 && fs_viz_text_cols(q, strlen(q)) > room - 1) {
        q++;
        while (((unsigned char)*q & 0xC0) == 0x80)
            q++;
    }
    int qw = fs_viz_text(dl, x, ty, th->text, cw, q);
    fs_viz_frame(dl, x - 4, ty - 2, qw + cw + 8, th->line_h + 4, th->border);
    if (s->mode == FS_SEARCH_EDITING)
        fs_viz_rect(dl, x + qw + 1, ty + 1, 2, th->line_h - 2, th->text);
    x += qw + cw + 8 + 2 * cw;
    char msg[300];
    fs__status(v, (w - x - 10) / cw, msg, sizeof msg);
    bool none = s->query[0] && !s->n_matches;
    fs_viz_text(dl, x, ty, none ? th->warn : th->text_dim, cw, msg);
    fs_viz_clip(dl, 0, 0, 0, 0);
}
