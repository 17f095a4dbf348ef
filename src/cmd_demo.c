/* cmd_demo.c - `demo`: the seed article's point in one screen. The scenario
 * is embedded in the program (generated from scenarios/seed at build time),
 * so the demo works from anywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_view.h"

extern const char fs_demo_scenario[];
extern const unsigned long fs_demo_scenario_len;
extern const char fs_demo_scenario_name[];

static const char fs__demo_help[] =
    "usage: futurescope demo\n"
    "\n"
    "Runs the seed article's walkthrough scenario (two socket reads, each ready\n"
    "after 2 s) under the busy-polling executor and the wake-driven one and\n"
    "opens the viewer on them, stacked on one time axis. With no display\n"
    "(DISPLAY and WAYLAND_DISPLAY unset or empty) it prints them side by side instead\n"
    "and writes a screenshot, futurescope-demo.png, in the current folder.\n";

#define FS__DEMO_PNG "futurescope-demo.png"

/* The demo's two traces in the viewer, or (no display) in a PNG. */
static int fs__demo_view(bool display)
{
    fs_run_desc runs[2];
    memset(runs, 0, sizeof runs);
    runs[0].kind = FS_EXEC_BUSY;
    runs[1].kind = FS_EXEC_WAKE;
    fs_viz_source *src = fs_viz_source_create(runs, 2);
    if (!src) {
        fprintf(stderr, "futurescope demo: out of memory\n");
        return FS_EXIT_INTERNAL;
    }
    char err[1024];
    int st = FS_EXIT_OK;
    if (fs_viz_source_add_text(src, fs_demo_scenario, fs_demo_scenario_len, fs_demo_scenario_name,
                               err, sizeof err) != FS_ERR_OK) {
        fprintf(stderr, "futurescope demo: %s\n", err);
        st = FS_EXIT_INTERNAL;
    } else {
        fs_viz_app_desc d = {0};
        fs_outfile png;
        fs_error e = {0};
        if (!display && !fs_outfile_open(&png, FS__DEMO_PNG, &e)) {
            fs_error_print(&e, stderr);
            fs_viz_source_free(src);
            return FS_EXIT_INTERNAL;
        }
        st = fs_view_open(src, &d, display ? NULL : &png, NULL, NULL);
        char cwd[4096];
        if (st == FS_EXIT_OK && !display)
            printf("\nNo display, so the viewer's picture of the two runs is in\n  %s/%s\n"
                   "(open it with any image viewer). With a display, futurescope demo opens\n"
                   "the viewer itself.\n", getcwd(cwd, sizeof cwd) ? cwd : ".", FS__DEMO_PNG);
    }
    fs_viz_source_free(src);
    return st;
}

int fs_cmd_demo(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__demo_help, stdout);
        return FS_EXIT_OK;
    }
    if (argc > 1)
        return fs_cli_usage_error("demo", "takes no arguments");
    const char *x11 = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    bool display = (x11 && *x11) || (wayland && *wayland); /* set but empty: none */
    if (display)
        return fs__demo_view(true);
    fs_scenario *sc = NULL;
    fs_error err = {0};
    if (fs_scenario_load_text(fs_demo_scenario, fs_demo_scenario_len, fs_demo_scenario_name,
                              &sc, &err) != FS_ERR_OK) {
        fs_error_print(&err, stderr);
        return FS_EXIT_INTERNAL;
    }
    fs_cli_opts o;
    memset(&o, 0, sizeof o);
    int st = fs_compare_scenario(sc, &o, "busy,wake", false, stdout);
    printf("\nThe busy loop polls both reads about a million times each while the\n"
           "sockets have nothing to give; the wake loop polls each read twice: once\n"
           "to register its waker, once when the socket wakes it.\n"
           "Try: futurescope run %s -e busy -o busy.jsonl\n", fs_demo_scenario_name);
    fs_scenario_free(sc);
    int vst = fs__demo_view(false);
    return st != FS_EXIT_OK ? st : vst;
}
