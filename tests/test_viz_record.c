/* test_viz_record.c - `view --record`: the frames' times and delays, the
 * palette, a recording of the seed walkthrough decoded back with giflib
 * (frames, size, loop, delays, the playhead's pixels), and each refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gif_lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "palette.h"
#include "record.h"
#include "support.h"
#include "viewer.h"

#define SEED "scenarios/seed/03_busy_vs_wake.json"
#define END_NS 2000002000LL  /* the seed walkthrough's end, under busy and wake */

/* ---- the plan ----------------------------------------------------------- */

/* The whole 2 s run at the play speed (10 s) and 10 fps: 100 steps, 101
 * frames, the first at 0 and the last at the end, 1/10 s each, the last 1 s. */
static void test_plan_whole_run(void **state)
{
    (void)state;
    fs_viz_record_desc d = {0};
    fs_viz_record_plan p = fs_viz_record_plan_of(&d, END_NS);
    assert_int_equal(p.frames, 101);
    assert_int_equal(p.fps, 10);
    assert_int_equal(p.from_ns, 0);
    assert_int_equal(p.to_ns, END_NS);
    assert_true(fs_viz_record_time(&p, 0) == 0.0);
    assert_true(fs_viz_record_time(&p, 50) == END_NS / 2.0);
    assert_true(fs_viz_record_time(&p, 100) == (double)END_NS);
    assert_int_equal(fs_viz_record_delay_cs(&p, 0), 10);
    assert_int_equal(fs_viz_record_delay_cs(&p, 99), 10);
    assert_int_equal(fs_viz_record_delay_cs(&p, 100), 100);
}

/* 1 s of a 2 s run at speed 4 is 1.25 s of clip: 12.5 steps at 10 fps,
 * rounded half away from zero to 13, so 14 frames; at 30 fps the delays
 * keep the clip's clock: 3, 4, 3, 3, 4, 3 (10 cs every 3 frames). */
static void test_plan_rounding(void **state)
{
    (void)state;
    fs_viz_record_desc d = {.from_ns = 500000000, .to_ns = 1500000000, .speed = 4};
    fs_viz_record_plan p = fs_viz_record_plan_of(&d, 2000000000);
    assert_int_equal(p.frames, 14);
    assert_true(fs_viz_record_time(&p, 13) == 1.5e9);
    assert_true(fabs(fs_viz_record_time(&p, 1) - (0.5e9 + 1e9 / 13)) < 1e-3);
    d.fps = 30;
    p = fs_viz_record_plan_of(&d, 2000000000);
    assert_int_equal(p.frames, 39);  /* 37.5 -> 38 steps */
    static const int want[] = {3, 4, 3, 3, 4, 3};
    for (int k = 0; k < 6; k++)
        assert_int_equal(fs_viz_record_delay_cs(&p, k), want[k]);
    /* a clip shorter than half a frame is still one step: two frames */
    d = (fs_viz_record_desc){.from_ns = 0, .to_ns = 1000, .fps = 1};
    assert_int_equal(fs_viz_record_plan_of(&d, 2000000000).frames, 2);
}

/* ---- the palette -------------------------------------------------------- */

static void test_palette_keeps_theme_colours(void **state)
{
    (void)state;
    fs_viz_theme th;
    fs_viz_theme_default(&th);
    static fs_viz_palette p;
    fs_viz_palette_init(&p, &th);
    assert_true(p.n <= FS_VIZ_PALETTE_SIZE);
    const fs_viz_color cs[] = {th.bg, th.text, th.pending, th.ready, th.playhead, th.wake,
                               fs_viz_fade(&th, th.pending, th.future_fade)};
    fs_viz_color all[sizeof cs / sizeof cs[0] + 2 * FS_VIZ_TASK_TINTS];
    size_t n = 0;
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        all[n++] = cs[i];
    for (int i = 0; i < FS_VIZ_TASK_TINTS; i++) {  /* every tint, and faded */
        all[n++] = th.task_tint[i];
        all[n++] = fs_viz_fade(&th, th.task_tint[i], th.future_fade);
    }
    for (size_t i = 0; i < n; i++) {
        const fs_viz_color *c = &all[i];
        uint8_t k = fs_viz_palette_index(&p, c->r, c->g, c->b);
        assert_int_not_equal(k, FS_VIZ_PALETTE_CLEAR);
        assert_int_equal(p.rgb[k][0], c->r);
        assert_int_equal(p.rgb[k][1], c->g);
        assert_int_equal(p.rgb[k][2], c->b);
    }
    /* a grey of anti-aliased text: the ramp's nearest grey, 4 levels off at most */
    uint8_t k = fs_viz_palette_index(&p, 130, 130, 130);
    assert_int_not_equal(k, FS_VIZ_PALETTE_CLEAR);
    assert_true(abs(p.rgb[k][0] - 130) <= 4 && p.rgb[k][0] == p.rgb[k][1] && p.rgb[k][1] == p.rgb[k][2]);
}

/* ---- a recording, decoded back ------------------------------------------ */

/* The frames of g composed as a viewer shows them, up to frame last. */
static void compose(const GifFileType *g, int last, uint8_t *canvas)
{
    for (int i = 0; i <= last; i++) {
        const SavedImage *im = &g->SavedImages[i];
        GraphicsControlBlock gcb;
        assert_int_equal(DGifSavedExtensionToGCB((GifFileType *)g, i, &gcb), GIF_OK);
        const GifImageDesc *d = &im->ImageDesc;
        for (int y = 0; y < d->Height; y++)
            for (int x = 0; x < d->Width; x++) {
                int c = im->RasterBits[y * d->Width + x];
                if (c != gcb.TransparentColor)
                    canvas[(d->Top + y) * g->SWidth + d->Left + x] = (uint8_t)c;
            }
    }
}

static bool same_rgb(const GifColorType *c, fs_viz_color want)
{
    return c->Red == want.r && c->Green == want.g && c->Blue == want.b;
}

/* busy and wake on the seed walkthrough, 800x450, the playhead from 0.5 s
 * to 1.5 s at speed 2 (the run in 5 s): a 2.5 s clip, 25 steps at 10 fps,
 * 26 frames. */
static void test_record_decodes(void **state)
{
    (void)state;
    fs_trace *tr[2] = {fs_test_trace_of(SEED, FS_EXEC_BUSY, 0), fs_test_trace_of(SEED, FS_EXEC_WAKE, 0)};
    const char *path = fs_test_scratch_path("seed.gif");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fs_viz_app_desc ad = {.w = 800, .h = 450};
    fs_viz_record_desc rd = {.from_ns = 500000000, .to_ns = 1500000000, .fps = 10, .speed = 2};
    fs_error err = {0};
    fs_errcode rc = fs_viz_record(tr, 2, &ad, &rd, f, &err);
    if (rc != FS_ERR_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(fclose(f), 0);

    int code = 0;
    GifFileType *g = DGifOpenFileName(path, &code);
    assert_non_null(g);
    assert_int_equal(DGifSlurp(g), GIF_OK);
    assert_int_equal(g->SWidth, 800);
    assert_int_equal(g->SHeight, 450);
    assert_int_equal(g->ImageCount, 26);
    assert_non_null(g->SColorMap);
    assert_int_equal(g->SColorMap->ColorCount, 256);
    /* loop forever: NETSCAPE2.0, then the sub-block {1, count 0} */
    const SavedImage *first = &g->SavedImages[0];
    bool loops = false;
    for (int i = 0; i + 1 < first->ExtensionBlockCount; i++) {
        const ExtensionBlock *a = &first->ExtensionBlocks[i], *b = a + 1;
        if (a->Function == APPLICATION_EXT_FUNC_CODE && a->ByteCount == 11 &&
            memcmp(a->Bytes, "NETSCAPE2.0", 11) == 0 && b->Function == CONTINUE_EXT_FUNC_CODE &&
            b->ByteCount == 3 && b->Bytes[0] == 1 && b->Bytes[1] == 0 && b->Bytes[2] == 0)
            loops = true;
    }
    assert_true(loops);
    /* 1/10 s a frame, the last held 1 s; the first whole, the others cut
     * to what changed (the playhead moves, the panel's figures change) */
    for (int i = 0; i < g->ImageCount; i++) {
        GraphicsControlBlock gcb;
        assert_int_equal(DGifSavedExtensionToGCB(g, i, &gcb), GIF_OK);
        assert_int_equal(gcb.DelayTime, i == g->ImageCount - 1 ? 100 : 10);
        assert_int_equal(gcb.DisposalMode, DISPOSE_DO_NOT);
        const GifImageDesc *d = &g->SavedImages[i].ImageDesc;
        if (i == 0) {
            assert_int_equal(gcb.TransparentColor, NO_TRANSPARENT_COLOR);
            assert_true(d->Left == 0 && d->Top == 0 && d->Width == 800 && d->Height == 450);
        } else {
            assert_int_equal(gcb.TransparentColor, FS_VIZ_PALETTE_CLEAR);
            assert_true(d->Width * d->Height < 800 * 450);
        }
    }
    /* the playhead's handle on the time axis, where the viewer puts it at
     * 1.5 s: the playhead's colour in the last frame, not in the first */
    fs_viz_viewer v;
    assert_true(fs_viz_viewer_init(&v, tr, 2, 800, 450));
    int px = (int)floor(fs_viz_view_x(&v.view, &v.theme, 1.5e9)) - 1;
    int py = v.theme.title_h + v.theme.axis_h - 2;
    int px0 = (int)floor(fs_viz_view_x(&v.view, &v.theme, 0.5e9)) - 1;
    fs_viz_color ph = v.theme.playhead;
    fs_viz_viewer_destroy(&v);
    assert_true(px0 < px);
    uint8_t *c0 = calloc(800 * 450, 1), *c1 = calloc(800 * 450, 1);
    compose(g, 0, c0);
    compose(g, g->ImageCount - 1, c1);
    const GifColorType *map = g->SColorMap->Colors;
    assert_true(same_rgb(&map[c1[py * 800 + px]], ph));
    assert_false(same_rgb(&map[c0[py * 800 + px]], ph));
    assert_int_not_equal(c0[py * 800 + px], c1[py * 800 + px]);
    /* and the other way round where the playhead started */
    assert_true(same_rgb(&map[c0[py * 800 + px0]], ph));
    assert_false(same_rgb(&map[c1[py * 800 + px0]], ph));
    free(c0);
    free(c1);
    DGifCloseFile(g, &code);
    fs_trace_free(tr[0]);
    fs_trace_free(tr[1]);
}

/* ---- the command -------------------------------------------------------- */

/* The program end to end: the run's first second at speed 1 (5 s of clip)
 * and 5 fps is 25 steps, 26 frames. */
static void test_view_record_command(void **state)
{
    (void)state;
    const char *path = fs_test_scratch_path("cmd.gif");
    char args[700], *out, *err;
    snprintf(args, sizeof args, "view " SEED " -e busy,wake --record '%s' --to 1s --fps 5 --size 640x360",
             path);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 0);
    char want[600];
    snprintf(want, sizeof want, "wrote %s: 26 frames at 5 fps, the playhead from 0 ns to 1.000 s\n", path);
    assert_string_equal(out, want);
    assert_string_equal(err, "");
    free(out);
    free(err);
    int code = 0;
    GifFileType *g = DGifOpenFileName(path, &code);
    assert_non_null(g);
    assert_int_equal(DGifSlurp(g), GIF_OK);
    assert_int_equal(g->ImageCount, 26);
    assert_true(g->SWidth == 640 && g->SHeight == 360);
    GraphicsControlBlock gcb;
    assert_int_equal(DGifSavedExtensionToGCB(g, 0, &gcb), GIF_OK);
    assert_int_equal(gcb.DelayTime, 20);
    DGifCloseFile(g, &code);
}

/* Past the size cap: exit 3, nothing written, no temporary file left. */
static void test_view_record_size_cap(void **state)
{
    (void)state;
    const char *path = fs_test_scratch_path("capped.gif");
    char args[700], *out, *err;
    snprintf(args, sizeof args, "view " SEED " --record '%s' --max-gif 20KB --size 640x360", path);
    assert_int_equal(fs_test_futurescope(args, &out, &err), 3);
    char want[800];
    snprintf(want, sizeof want, "%s: the GIF would pass 20000 bytes; nothing written", path);
    if (!strstr(err, want))
        fail_msg("%s", err);
    assert_int_equal(access(path, F_OK), -1);
    char cmd[700], *ls;
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c tmp-", fs_test_scratch_dir());
    fs_test_run(cmd, &ls, NULL);
    assert_string_equal(ls, "0\n");
    free(ls);
    free(out);
    free(err);
}

/* Each refusal: exit 2, the message, nothing on stdout, no file. */
static void test_view_record_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"--record R --from 1s --to 1s", "futurescope view: --from 1.000 s is not before --to 1.000 s"},
        {"--record R --from 1500ms --to 1s", "--from 1.500 s is not before --to 1.000 s"},
        {"--record R --fps 0", "--fps expects a whole number of frames per second from 1 to 60, got '0'"},
        {"--record R --fps 61", "--fps expects a whole number of frames per second from 1 to 60, got '61'"},
        {"--record R --fps 2.5", "got '2.5'"},
        {"--record R --from 1.5", "--from expects a time with its unit like 1.5s, 200ms or 50us, got '1.5'"},
        {"--record R --to 2", "--to expects a time with its unit like 1.5s, 200ms or 50us, got '2'"},
        {"--record R --to 3s", "futurescope view: --to 3.000 s is past the end of the run (2.000 s)"},
        {"--record R --from 5s", "--from 5.000 s is not before the end of the run (2.000 s)"},
        {"--record R --screenshot S", "--record writes a GIF and --screenshot a PNG: one at a time"},
        {"--record R --at 1s", "--at cannot go with --record"},
        {"--record R --watch", "--watch cannot go with --record"},
        {"--fps 10", "futurescope view: --fps belongs to --record OUT.gif"},
        {"--screenshot S --from 1s", "--from belongs to --record OUT.gif"},
        {"--record R --speed 3", "--speed expects a power of two from 1/64 to 64 like 2, 4 or 0.5"},
        {"--record R --speed 0", "--speed expects a power of two"},
        {"--record R --speed 0.015625 --fps 60", "--record would take 38401 frames, more than 10000"},
        {"--record R --max-gif 0", "--max-gif expects a size like 10MB"},
        {"--record " SEED, "--record " SEED " is the same file as the input " SEED},
        {"--record ''", "option --record needs a file name, got ''"},
    };
    const char *r = fs_test_scratch_path("refused.gif"), *png = fs_test_scratch_path("refused.png");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char opts[600], args[900], *out, *err;
        /* R and S: the scratch GIF and PNG */
        size_t k = 0;
        for (const char *c = cases[i].args; *c && k + 300 < sizeof opts; c++) {
            if ((*c == 'R' || *c == 'S') && (c[1] == ' ' || !c[1]) && c[-1] == ' ')
                k += (size_t)snprintf(opts + k, sizeof opts - k, "'%s'", *c == 'R' ? r : png);
            else
                opts[k++] = *c;
        }
        opts[k] = '\0';
        snprintf(args, sizeof args, "view " SEED " -e busy,wake %s", opts);
        int st = fs_test_futurescope(args, &out, &err);
        if (st != 2 || !strstr(err, cases[i].err))
            fail_msg("%s: exit %d, %s", args, st, err);
        assert_string_equal(out, "");
        assert_int_equal(access(r, F_OK), -1);
        assert_int_equal(access(png, F_OK), -1);
        free(out);
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_whole_run),
        cmocka_unit_test(test_plan_rounding),
        cmocka_unit_test(test_palette_keeps_theme_colours),
        cmocka_unit_test(test_record_decodes),
        cmocka_unit_test(test_view_record_command),
        cmocka_unit_test(test_view_record_size_cap),
        cmocka_unit_test(test_view_record_refusals),
    };
    return cmocka_run_group_tests(tests, fs_test_scratch_setup, fs_test_scratch_teardown);
}
