/* search.h - type-to-search over task names: the query, its matches and
 * where the box is. '/' opens the box at the bottom of the window; typed
 * text is the query; Enter goes to the first match and leaves the box
 * showing "match 1 of N" while n / N (or Enter again) go on through the
 * matches. The viewer's side (keys, text, drawing) is in search.c too.
 *
 * Matches are ordered best first, so the task a user names exactly comes
 * before the thousand whose names merely hold it: the whole name equal to
 * the query, then names starting with it, then names holding it anywhere;
 * within each, by band and then task. Letters compare without case. */
#ifndef FS_VIZ_SEARCH_H
#define FS_VIZ_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL_keyboard.h>

#include "trace_reader.h"

typedef enum {
    FS_SEARCH_CLOSED,   /* no box; n / N still use the last query */
    FS_SEARCH_EDITING,  /* the box takes typed text */
    FS_SEARCH_BROWSING, /* the box shows which match is on screen; keys work as usual */
} fs_viz_search_mode;

typedef struct fs_viz_match {
    int16_t trace;
    uint32_t task;
} fs_viz_match;

typedef struct fs_viz_search {
    uint8_t mode;          /* fs_viz_search_mode */
    bool skip_slash;       /* the '/' key that opened the box comes next as text: drop it */
    bool went;             /* matches[cur] was gone to (else the next go is the first) */
    char query[64];        /* UTF-8 */
    fs_viz_match *matches; /* best first, see above */
    size_t n_matches, cap;
    size_t cur;
} fs_viz_search;

/* Where query occurs in name, without case: 0 the whole name, 1 at its
 * start, 2 inside it, -1 not at all (an empty query is nowhere). */
int fs_viz_search_rank(const char *name, const char *query);
/* Fills s->matches for s->query over the traces' tasks and forgets where
 * the last go went. False when out of memory (then no matches). */
bool fs_viz_search_find(fs_viz_search *s, fs_trace *const *traces, size_t n);
void fs_viz_search_free(fs_viz_search *s);

/* What a key did: nothing the box wants (the viewer's own key), taken, or
 * go to the next / previous match (fs_viz_search_step says which). */
typedef enum { FS_SEARCH_PASS, FS_SEARCH_TOOK, FS_SEARCH_NEXT, FS_SEARCH_PREV } fs_viz_search_action;

/* A key. '/' opens the box; while it takes text every key but page up /
 * down is the box's (letters come as text); otherwise n / N and Enter go
 * through the matches and Esc hides the box (unless the help is open,
 * which Esc closes first). traces: to find the matches again on an edit. */
int fs_viz_search_key(fs_viz_search *s, SDL_Keycode key, Uint16 mod, bool help,
                      fs_trace *const *traces, size_t n);
/* Typed text (SDL_TEXTINPUT), UTF-8. */
void fs_viz_search_text(fs_viz_search *s, const char *text, fs_trace *const *traces, size_t n);
/* The next (dir > 0) or previous match, wrapping; the first (or the last)
 * after an edit. NULL when nothing matches. */
const fs_viz_match *fs_viz_search_step(fs_viz_search *s, int dir);

#endif
