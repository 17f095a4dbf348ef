/* test_viz_worker_polls.c - worker lanes name and colour the task each
 * poll runs (viz/worker_polls.c): the per-worker index of polls, the poll
 * blocks of a steal:2 run in the draw list with their tasks' names, the
 * hover text, and the fixture trace's folded "busy (polling)". */
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

/* 05_several_workers under steal:2: eight requests, each 100 ms of CPU,
 * then a 50 ms sleep, on two workers. */
typedef struct wfx {
    fs_trace *tr;
    fs_viz_viewer v;
} wfx;

static int wfx_setup(void **state)
{
    wfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->tr = fs_fixture_simulate_n(fs_test_src("scenarios/seed/05_several_workers.json"), FS_EXEC_STEAL, 2);
    if (!f->tr || !fs_fixture_viewer(&f->v, &f->tr, 1))
        return -1;
    /* the whole run, the playhead at its end: nothing faded */
    f->v.view.t1 = (double)f->tr->summary.end_ns;
    fs_viz_view_set_playhead(&f->v.view, (double)f->tr->summary.end_ns);
    *state = f;
    return 0;
}

static int wfx_teardown(void **state)
{
    wfx *f = *state;
    fs_fixture_close(f->tr, &f->v);
    free(f);
    return 0;
}

static void test_index_holds_every_poll_by_worker(void **state)
{
    wfx *f = *state;
    /* not built by loading: only when a worker lane is first drawn */
    assert_null(f->v.wpolls[0].first);
    fs_viz_viewer_build(&f->v);
    const fs_viz_wpolls *wp = &f->v.wpolls[0];
    assert_non_null(wp->first);
    assert_int_equal(wp->workers, 2);
    size_t slices = 0;
    for (size_t k = 0; k < f->tr->n_tasks; k++)
        slices += f->tr->tasks[k].n_slices;
    assert_int_equal(wp->first[2], slices);
    for (int w = 0; w < 2; w++) {
        assert_true(wp->first[w + 1] > wp->first[w]);  /* both workers polled */
        for (size_t i = wp->first[w]; i < wp->first[w + 1]; i++) {
            const fs_viz_wpoll *p = &wp->polls[i];
            const fs_trace_slice *s = &f->tr->tasks[p->task].slices[p->slice];
            assert_int_equal(s->worker, w);
            assert_int_equal(p->t, s->t);
            assert_int_equal(p->end, s->end);
            if (i > wp->first[w])
                assert_true(p->t >= wp->polls[i - 1].end);  /* one poll at a time */
        }
    }
}

static void test_poll_blocks_carry_their_tasks_names(void **state)
{
    wfx *f = *state;
    fs_viz_viewer_build(&f->v);
    assert_false(f->v.dl.oom);
    const fs_viz_drawlist *dl = &f->v.dl;
    const fs_viz_wpolls *wp = fs_viz_wpolls_get(&f->v.wpolls[0], f->tr);
    bool named[8] = {false};
    int blocks = 0;
    int left_tint[2] = {-1, -1}, left_end[2] = {-100, -100};  /* per worker lane */
    for (size_t i = 0; i < dl->n; i++) {
        const fs_viz_cmd *c = &dl->cmds[i];
        if (c->hit != FS_HIT_WORKER_POLL)
            continue;
        blocks++;
        const fs_viz_wpoll *p = &wp->polls[wp->first[c->lane] + (size_t)c->item];
        assert_int_equal(c->count, p->task);
        const fs_viz_lane *ln = &f->v.lanes[f->v.bands[0].worker_lane[c->lane]];
        assert_int_equal(ln->kind, FS_LANE_WORKER);
        assert_int_equal(c->y, ln->y + 3);
        /* its task's tint, or the far one when the block touching it on
         * its left has that tint: touching blocks never share a colour */
        int w = c->lane, touching = c->x <= left_end[w] + 1;
        int tint = fs_viz_task_tint_beside(p->task, touching ? left_tint[w] : -1);
        assert_true(fs_fixture_color_eq(c->color, f->v.theme.task_tint[tint]));
        assert_true(tint == fs_viz_task_tint(p->task) || (touching && left_tint[w] == fs_viz_task_tint(p->task)));
        if (touching)
            assert_int_not_equal(tint, left_tint[w]);
        left_tint[w] = tint;
        left_end[w] = c->x + c->w;
        /* its name is the next text, inside the block */
        const char *name = fs_trace_str(f->tr, f->tr->tasks[p->task].name);
        for (size_t j = i + 1; j < dl->n; j++) {
            const fs_viz_cmd *t = &dl->cmds[j];
            if (t->type != FS_DRAW_TEXT)
                continue;
            assert_int_equal(t->len, strlen(name));
            assert_memory_equal(fs_viz_cmd_text(dl, t), name, t->len);
            assert_true(t->x >= c->x && t->x + (int)t->len * f->v.theme.char_w <= c->x + c->w);
            assert_true(t->y >= ln->y && t->y + f->v.theme.line_h <= ln->y + f->v.theme.worker_lane_h);
            break;
        }
        assert_true(p->task < 8);
        named[p->task] = true;
    }
    /* each request's 100 ms compute poll: 500 px / ~450 ms makes it about
     * 110 px wide; the short polls after the sleeps fold under the grey */
    assert_int_equal(blocks, 8);
    for (int k = 0; k < 8; k++)
        assert_true(named[k]);
}

static void test_tasks_take_different_tints(void **state)
{
    wfx *f = *state;
    const fs_viz_theme *th = &f->v.theme;
    int distinct = 0;
    for (uint32_t a = 0; a < 8; a++) {
        bool seen = false;
        for (uint32_t b = 0; b < a; b++)
            seen |= fs_fixture_color_eq(fs_viz_task_color(th, a), fs_viz_task_color(th, b));
        distinct += !seen;
        /* stable: the same task, the same colour */
        assert_true(fs_fixture_color_eq(fs_viz_task_color(th, a), fs_viz_task_color(th, a)));
    }
    assert_true(distinct >= 6);
    /* the far tint beside a block of the same one, half the palette away */
    for (uint32_t a = 0; a < 64; a++) {
        int k = fs_viz_task_tint(a);
        assert_int_equal(fs_viz_task_tint_beside(a, -1), k);
        assert_int_equal(fs_viz_task_tint_beside(a, (k + 1) % FS_VIZ_TASK_TINTS), k);
        assert_int_equal(fs_viz_task_tint_beside(a, k), (k + FS_VIZ_TASK_TINTS / 2) % FS_VIZ_TASK_TINTS);
    }
    /* the first sixteen ids take fifteen different tints (0 and 13 share one) */
    bool used[FS_VIZ_TASK_TINTS] = {false};
    for (uint32_t a = 0; a < FS_VIZ_TASK_TINTS; a++)
        used[fs_viz_task_tint(a)] = true;
    int n_used = 0;
    for (int k = 0; k < FS_VIZ_TASK_TINTS; k++)
        n_used += used[k];
    assert_int_equal(n_used, FS_VIZ_TASK_TINTS - 1);
}

static void test_hover_names_worker_task_and_span(void **state)
{
    wfx *f = *state;
    fs_viz_viewer_build(&f->v);
    const fs_viz_cmd *c = NULL;
    for (size_t i = 0; i < f->v.dl.n && !c; i++)
        if (f->v.dl.cmds[i].hit == FS_HIT_WORKER_POLL && f->v.dl.cmds[i].lane == 1)
            c = &f->v.dl.cmds[i];
    assert_non_null(c);
    const fs_viz_wpolls *wp = fs_viz_wpolls_get(&f->v.wpolls[0], f->tr);
    const fs_viz_wpoll *p = &wp->polls[wp->first[1] + (size_t)c->item];
    f->v.view.mouse_in = true;
    f->v.view.mouse_x = c->x + c->w / 2;
    f->v.view.mouse_y = c->y + 2;
    fs_viz_viewer_build(&f->v);
    char want[160], r[80];
    snprintf(want, sizeof want, "worker 1 polls #%u %s (trace id %u) %s", f->tr->tasks[p->task].sid,
             fs_trace_str(f->tr, f->tr->tasks[p->task].name), p->task,
             fs_viz_format_range(p->t, p->end, r, sizeof r));
    assert_non_null(fs_fixture_find_text(&f->v.dl, want));
    assert_non_null(fs_fixture_find_text(&f->v.dl, "pending at "));
}

static void test_range_format(void **state)
{
    (void)state;
    char b[80];
    assert_string_equal(fs_viz_format_range(12003000, 12004000, b, sizeof b), "12.003\xE2\x80\x93" "12.004 ms");
    assert_string_equal(fs_viz_format_range(999000, 1001000, b, sizeof b), "999.000 us\xE2\x80\x93" "1.001 ms");
}

/* The fixture's polls are 1 us, under a pixel: no block, and the busy
 * span keeps its grey and its label where it is wide enough. */
static void test_narrow_polls_stay_grey(void **state)
{
    fs_fx *f = *state;
    fs_fx_build_at(f, 2000000);
    assert_null(fs_fixture_find(&f->v.dl, FS_HIT_WORKER_POLL, 0, -1));
    assert_non_null(fs_fixture_find(&f->v.dl, FS_HIT_WORKER_BUSY, 0, 0));
    /* zoomed in to 10 ns a pixel, the first poll is 100 px: named */
    f->v.view.t1 = 5000;
    fs_fx_build_at(f, 2000000);
    const fs_viz_cmd *c = fs_fixture_find(&f->v.dl, FS_HIT_WORKER_POLL, 0, 0);
    assert_non_null(c);
    assert_int_equal(c->x, FX_TL_X);
    assert_int_equal(c->w, 99);
    assert_non_null(fs_fixture_find_text(&f->v.dl, "t0"));
}

static int fx_setup(void **state) { return fs_fx_setup_text(state, NULL); }

/* busy: the two tasks' spins interleave on the one worker for 2 s; no
 * block names either, the grey says "busy (polling)". */
static void test_interleaved_spins_are_not_named(void **state)
{
    (void)state;
    fs_trace *tr = fs_fixture_simulate(fs_test_src("scenarios/seed/03_busy_vs_wake.json"), FS_EXEC_BUSY);
    assert_non_null(tr);
    fs_viz_viewer v;
    assert_true(fs_fixture_viewer(&v, &tr, 1));
    const fs_viz_wpolls *wp = fs_viz_wpolls_get(&v.wpolls[0], tr);
    /* a's first poll 0..1 us, b's 1..2 us, then a's spin from 2 us and b's
     * from 3 us, both to 2 s */
    assert_int_equal(wp->first[1], 6);
    assert_false(wp->polls[0].shared || wp->polls[1].shared);
    assert_true(wp->polls[2].shared && wp->polls[3].shared);
    assert_int_equal(wp->polls[3].reach, 2000000000);
    v.view.t1 = (double)tr->summary.end_ns;
    fs_viz_view_set_playhead(&v.view, (double)tr->summary.end_ns);
    fs_viz_viewer_build(&v);
    assert_null(fs_fixture_find(&v.dl, FS_HIT_WORKER_POLL, 0, -1));
    const fs_viz_cmd *busy = fs_fixture_find_text(&v.dl, "busy (polling)");
    assert_non_null(busy);
    const fs_viz_lane *ln = &v.lanes[v.bands[0].worker_lane[0]];
    assert_true(busy->y >= ln->y && busy->y < ln->y + ln->h);
    fs_fixture_close(tr, &v);
}

static int by_start(const void *a, const void *b)
{
    const fs_viz_wpoll *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->task != y->task)
        return x->task < y->task ? -1 : 1;
    return x->slice < y->slice ? -1 : x->slice > y->slice;
}

/* The index's radix sort against a comparison sort by (start, task,
 * slice), on a steal:4 run of 300 tasks whose polls often start at the
 * same instant on one worker (zero poll cost: several polls at one time). */
static void test_index_order_equals_a_comparison_sort(void **state)
{
    (void)state;
    static const char sc[] =
        "{\"name\":\"ties\",\"seed\":3,\"poll_cost_ns\":0,\"tasks\":[{\"name\":\"t\",\"count\":300,"
        "\"future\":{\"repeat\":3,\"do\":{\"seq\":[{\"sleep_ms\":{\"uniform\":[1,5]}},{\"yield\":true},"
        "{\"compute_ms\":{\"uniform\":[0,1]}}]}}}]}";
    fs_scenario *scn = NULL;
    fs_error err;
    assert_int_equal(fs_scenario_load_text(sc, strlen(sc), "ties.json", &scn, &err), FS_ERR_OK);
    fs_trace *tr = fs_fixture_run_scenario(scn, FS_EXEC_STEAL, 4, "ties.json");
    assert_non_null(tr);
    fs_viz_wpolls wp;
    assert_true(fs_viz_wpolls_build(&wp, tr));
    assert_int_equal(wp.workers, 4);
    size_t ties = 0;
    for (int w = 0; w < 4; w++) {
        size_t n = wp.first[w + 1] - wp.first[w];
        fs_viz_wpoll *want = malloc((n ? n : 1) * sizeof *want);
        assert_non_null(want);
        size_t k = 0;
        for (size_t t = 0; t < tr->n_tasks; t++)
            for (size_t i = 0; i < tr->tasks[t].n_slices; i++)
                if (tr->tasks[t].slices[i].worker == w)
                    want[k++] = (fs_viz_wpoll){.t = tr->tasks[t].slices[i].t, .task = (uint32_t)t,
                                               .slice = (uint32_t)i};
        assert_int_equal(k, n);
        qsort(want, n, sizeof *want, by_start);
        for (size_t i = 0; i < n; i++) {
            const fs_viz_wpoll *p = &wp.polls[wp.first[w] + i];
            assert_int_equal(p->t, want[i].t);
            assert_int_equal(p->task, want[i].task);
            assert_int_equal(p->slice, want[i].slice);
            ties += i > 0 && p->t == p[-1].t;
        }
        free(want);
    }
    assert_true(ties > 0);  /* the case the order of equal starts decides */
    fs_viz_wpolls_free(&wp);
    fs_trace_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_index_holds_every_poll_by_worker, wfx_setup, wfx_teardown),
        cmocka_unit_test_setup_teardown(test_poll_blocks_carry_their_tasks_names, wfx_setup, wfx_teardown),
        cmocka_unit_test_setup_teardown(test_tasks_take_different_tints, wfx_setup, wfx_teardown),
        cmocka_unit_test_setup_teardown(test_hover_names_worker_task_and_span, wfx_setup, wfx_teardown),
        cmocka_unit_test(test_range_format),
        cmocka_unit_test_setup_teardown(test_narrow_polls_stay_grey, fx_setup, fs_fx_teardown),
        cmocka_unit_test(test_interleaved_spins_are_not_named),
        cmocka_unit_test(test_index_order_equals_a_comparison_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
