/* cmd_demo.c - `demo`: the seed article's point in one screen. The scenario
 * is embedded in the program (generated from scenarios/seed at build time),
 * so the demo works from anywhere. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

extern const char fs_demo_scenario[];
extern const unsigned long fs_demo_scenario_len;
extern const char fs_demo_scenario_name[];

static const char fs__demo_help[] =
    "usage: futurescope demo\n"
    "\n"
    "Runs the seed article's walkthrough scenario (two socket reads, each ready\n"
    "after 2 s) under the busy-polling executor and the wake-driven one, and\n"
    "prints them side by side.\n";

int fs_cmd_demo(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__demo_help, stdout);
        return FS_EXIT_OK;
    }
    if (argc > 1)
        return fs_cli_usage_error("demo", "takes no arguments");
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
    return st;
}
