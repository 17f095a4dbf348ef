/* test_viz_search.c - type-to-search (viz/search.c, viz/navigate.c): the
 * matches' order, and '/', a task's name and Enter fed to the viewer as
 * the SDL events a keyboard makes (SDL_KEYDOWN, then SDL_TEXTINPUT for a
 * printable key), on a thousand sleepers under wake and steal:4 stacked at
 * the default 1600x900, groups collapsed: the task's lane is selected and
 * lies in the visible part of the timeline, below its band's pinned header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "test_viz_fixture.h"

typedef struct sfx {
    fs_trace *tr[2];
    fs_viz_viewer v;
} sfx;

static int setup(void **state)
{
    sfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *path = fs_test_src("scenarios/patterns/thousand_sleepers.json");
    f->tr[0] = fs_fixture_simulate(path, FS_EXEC_WAKE);
    f->tr[1] = fs_fixture_simulate_n(path, FS_EXEC_STEAL, 4);
    if (!f->tr[0] || !f->tr[1] || !fs_viz_viewer_init(&f->v, f->tr, 2, 1600, 900))
        return -1;
    fs_viz_viewer_build(&f->v);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    sfx *f = *state;
    fs_viz_viewer_destroy(&f->v);
    fs_trace_free(f->tr[0]);
    fs_trace_free(f->tr[1]);
    free(f);
    return 0;
}

static void key(sfx *f, SDL_Keycode k, Uint16 mod)
{
    fs_fixture_key(&f->v, k, mod);
}

static void text(sfx *f, const char *s)
{
    SDL_Event e = {0};
    e.type = SDL_TEXTINPUT;
    snprintf(e.text.text, sizeof e.text.text, "%s", s);
    fs_viz_viewer_input(&f->v, &e);
}

/* Typed as a keyboard does: each key down, then its text. */
static void type(sfx *f, const char *s)
{
    for (; *s; s++) {
        char c[2] = {*s, 0};
        key(f, (SDL_Keycode)(unsigned char)*s, 0);
        text(f, c);
    }
}

static uint32_t task_named(const fs_trace *tr, const char *name)
{
    for (uint32_t k = 0; k < tr->n_tasks; k++)
        if (strcmp(fs_trace_str(tr, tr->tasks[k].name), name) == 0)
            return k;
    fail_msg("no task %s", name);
    return 0;
}

/* The selected task's lane is its own (its group opened) and lies wholly
 * between the pinned band header and the timeline's bottom; the frame's
 * labels column names it there. */
static void assert_on_screen(sfx *f, int trace, uint32_t task)
{
    fs_viz_viewer *v = &f->v;
    assert_int_equal(v->sel_trace, trace);
    assert_int_equal(v->sel_task, (int32_t)task);
    fs_viz_viewer_build(v);
    const fs_viz_lane *ln = fs_viz_viewer_task_lane(v, trace, task);
    assert_int_equal(ln->kind, FS_LANE_TASK);
    assert_int_equal(ln->trace, trace);
    assert_int_equal(ln->index, (int32_t)task);
    fs_viz_box tl = fs_viz_view_timeline(&v->view, &v->theme);
    assert_true(ln->y >= tl.y + v->theme.band_head_h);
    assert_true(ln->y + ln->h <= tl.y + tl.h);
    const fs_trace *tr = v->traces[trace];
    const char *name = fs_trace_str(tr, tr->tasks[task].name);
    char label[160]; /* "#3 client#1": its stable id beside its name */
    snprintf(label, sizeof label, "#%u %s", tr->tasks[task].sid, name);
    bool labelled = false;
    for (size_t i = 0; i < v->dl.n; i++) {
        const fs_viz_cmd *c = &v->dl.cmds[i];
        labelled |= c->type == FS_DRAW_TEXT && strcmp(fs_viz_cmd_text(&v->dl, c), label) == 0 &&
                    c->y >= ln->y && c->y < ln->y + ln->h && c->x < v->theme.label_w;
    }
    assert_true(labelled);
    /* the detail in the panel is this task's */
    char head[200];
    snprintf(head, sizeof head, "Task #%u %s  (", tr->tasks[task].sid, name);
    assert_non_null(fs_fixture_find_text(&v->dl, head));
}

static void test_rank(void **state)
{
    (void)state;
    assert_int_equal(fs_viz_search_rank("client#42", "client#42"), 0);
    assert_int_equal(fs_viz_search_rank("client#42", "CLIENT#42"), 0);
    assert_int_equal(fs_viz_search_rank("client#420", "client#42"), 1);
    assert_int_equal(fs_viz_search_rank("client#42", "ent#4"), 2);
    assert_int_equal(fs_viz_search_rank("client#42", "client#43"), -1);
    assert_int_equal(fs_viz_search_rank("client", "client#4"), -1);
    assert_int_equal(fs_viz_search_rank("client", ""), -1);
}

/* Exact names first (both bands), then names starting with the query, in
 * band then task order. */
static void test_matches_best_first(void **state)
{
    sfx *f = *state;
    fs_viz_search s = {0};
    snprintf(s.query, sizeof s.query, "Sleeper#74");
    assert_true(fs_viz_search_find(&s, f->tr, 2));
    assert_int_equal(s.n_matches, 22);
    const char *want[] = {"sleeper#74", "sleeper#74", "sleeper#740", "sleeper#741"};
    const int band[] = {0, 1, 0, 0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(s.matches[i].trace, band[i]);
        const fs_trace *tr = f->tr[band[i]];
        assert_string_equal(fs_trace_str(tr, tr->tasks[s.matches[i].task].name), want[i]);
    }
    assert_int_equal(s.matches[11].trace, 0);   /* sleeper#749 */
    assert_int_equal(s.matches[12].trace, 1);   /* sleeper#740 */
    snprintf(s.query, sizeof s.query, "nobody");
    assert_true(fs_viz_search_find(&s, f->tr, 2));
    assert_int_equal(s.n_matches, 0);
    fs_viz_search_free(&s);
}

/* The acceptance: '/', a name and Enter through input events. */
static void test_slash_name_enter_goes_to_the_task(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    uint32_t t0 = task_named(f->tr[0], "sleeper#742"), t1 = task_named(f->tr[1], "sleeper#742");
    /* both bands open collapsed: the task is folded into its group */
    assert_int_equal(fs_viz_viewer_task_lane(v, 0, t0)->kind, FS_LANE_GROUP);
    assert_int_equal(v->sel_task, -1);
    key(f, SDLK_SLASH, 0);
    text(f, "/");                 /* the slash's own text is not the query */
    assert_int_equal(v->search.mode, FS_SEARCH_EDITING);
    assert_string_equal(v->search.query, "");
    type(f, "sleeper#742");
    assert_string_equal(v->search.query, "sleeper#742");
    assert_int_equal(v->search.n_matches, 2);
    assert_int_equal(v->sel_task, -1);  /* typing alone goes nowhere */
    key(f, SDLK_RETURN, 0);
    assert_int_equal(v->search.mode, FS_SEARCH_BROWSING);
    assert_on_screen(f, 0, t0);
    assert_non_null(fs_fixture_find_text(&v->dl, "match 1 of 2: sleeper#742 (band 0, wake)"));
    /* Enter again: the same name in the second band, 26,000 px further down */
    key(f, SDLK_RETURN, 0);
    assert_on_screen(f, 1, t1);
    assert_true(v->view.scroll_y > 1000 * v->theme.task_lane_h);
    assert_non_null(fs_fixture_find_text(&v->dl, "match 2 of 2: sleeper#742 (band 1, steal:4)"));
    /* n wraps to the first, N back to the last */
    key(f, SDLK_n, 0);
    assert_on_screen(f, 0, t0);
    key(f, SDLK_n, KMOD_SHIFT);
    assert_on_screen(f, 1, t1);
    /* Esc closes the box, then the detail; n still goes on */
    key(f, SDLK_ESCAPE, 0);
    assert_int_equal(v->search.mode, FS_SEARCH_CLOSED);
    assert_int_equal(v->sel_task, (int32_t)t1);
    key(f, SDLK_ESCAPE, 0);
    assert_int_equal(v->sel_task, -1);
    assert_false(v->view.quit);
    key(f, SDLK_n, 0);
    assert_on_screen(f, 0, t0);
}

/* A prefix goes to the best match; a name nobody has says so; Esc cancels. */
static void test_prefix_none_and_cancel(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    key(f, SDLK_SLASH, 0);
    text(f, "/");
    type(f, "eper#99");
    assert_int_equal(v->search.n_matches, 2 * 11);  /* #99, #990..#999; nothing starts with it */
    key(f, SDLK_RETURN, 0);
    assert_on_screen(f, 0, task_named(f->tr[0], "sleeper#99"));
    key(f, SDLK_SLASH, 0);       /* a new search starts empty */
    text(f, "/");
    assert_string_equal(v->search.query, "");
    type(f, "nobody");
    fs_viz_viewer_build(v);
    assert_non_null(fs_fixture_find_text(&v->dl, "no task named \"nobody\""));
    key(f, SDLK_RETURN, 0);      /* nothing to go to: the box stays */
    assert_int_equal(v->search.mode, FS_SEARCH_EDITING);
    key(f, SDLK_BACKSPACE, 0);
    key(f, SDLK_BACKSPACE, 0);
    assert_string_equal(v->search.query, "nobo");
    key(f, SDLK_ESCAPE, 0);
    assert_int_equal(v->search.mode, FS_SEARCH_CLOSED);
    assert_string_equal(v->search.query, "");
    assert_false(v->view.quit);
    fs_viz_viewer_build(v);
    assert_null(fs_fixture_find_text(&v->dl, "find task:"));
}

/* While typing, letters are the query, not commands (q quits, g groups,
 * space plays, b jumps bands otherwise); multi-byte text backspaces whole. */
static void test_typing_is_not_commands(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    key(f, SDLK_SLASH, 0);
    text(f, "/");
    int scroll = v->view.scroll_y;
    type(f, "qg b");
    assert_false(v->view.quit);
    assert_false(v->view.playing);
    assert_false(v->groups[0].open);
    assert_int_equal(v->view.scroll_y, scroll);
    assert_string_equal(v->search.query, "qg b");
    text(f, "\xC3\xA9");  /* é */
    key(f, SDLK_BACKSPACE, 0);
    assert_string_equal(v->search.query, "qg b");
    /* '/' typed in the box is part of the query */
    key(f, SDLK_SLASH, 0);
    text(f, "/");
    assert_string_equal(v->search.query, "qg b/");
}

/* The box is readable at the bottom, over the legend: its texts stay in
 * the window at the default size and at 700 px wide, and do not overlap. */
static void test_box_fits(void **state)
{
    sfx *f = *state;
    fs_viz_viewer *v = &f->v;
    const int widths[] = {1600, 700};
    for (int wi = 0; wi < 2; wi++) {
        fs_viz_viewer_resize(v, widths[wi], 900);
        key(f, SDLK_SLASH, 0);
        text(f, "/");
        type(f, "sleeper#1");
        key(f, SDLK_RETURN, 0);
        fs_viz_viewer_build(v);
        int y0 = v->view.h - v->theme.legend_h;
        const fs_viz_cmd *label = fs_fixture_find_text(&v->dl, "find task:");
        assert_non_null(label);
        /* the label, the query and the message, the box's only texts */
        const char *want[] = {"find task:", "sleeper#1", "match 1 of 222"};
        int right = 0, n = 0;
        for (size_t i = (size_t)(label - v->dl.cmds); i < v->dl.n && n < 3; i++) {
            const fs_viz_cmd *c = &v->dl.cmds[i];
            if (c->type != FS_DRAW_TEXT)
                continue;
            const char *s = fs_viz_cmd_text(&v->dl, c);
            assert_true(strncmp(s, want[n], strlen(want[n])) == 0 || (n == 2 && strstr(s, "of 222")));
            int end = c->x + fs_viz_text_cols(s, strlen(s)) * v->theme.char_w;
            assert_true(c->x >= right);  /* left to right, apart */
            assert_true(end <= v->view.w);
            assert_true(c->y >= y0 && c->y + v->theme.line_h <= v->view.h);
            right = end;
            n++;
        }
        assert_int_equal(n, 3);
        key(f, SDLK_ESCAPE, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank),
        cmocka_unit_test_setup_teardown(test_matches_best_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slash_name_enter_goes_to_the_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix_none_and_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typing_is_not_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_box_fits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
