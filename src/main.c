/* main.c - futurescope's entry point: picks the subcommand, nothing more. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "trace_reader.h"

static const char fs__help[] =
    "futurescope " FS_VERSION " - see how futures are scheduled\n"
    "\n"
    "usage: futurescope COMMAND [options]\n"
    "\n"
    "  run SCENARIO       simulate under one executor, print a summary, write a trace\n"
    "  compare SCENARIO   the same scenario under several executors, side by side\n"
    "  check SCENARIO...  validate scenario files\n"
    "  view FILE...       the timeline viewer (scenarios or .jsonl traces; --screenshot)\n"
    "  export TRACE...    traces to a Chrome trace (--chrome out.json) or Perfetto's\n"
    "                     own format (--perfetto out.pftrace)\n"
    "  demo               the seed article's two reads under busy and wake\n"
    "\n"
    "Executors: blocking, busy, wake, steal:N. 'futurescope COMMAND --help' for more.\n";

int main(int argc, char **argv)
{
    /* Big arrays (task tables, agenda buckets) grow and are freed during a
     * run: keep them in mmap'd memory that free returns, rather than letting
     * glibc raise its threshold and keep them on the heap after free. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    /* Past a file-size limit (ulimit -f) a write should fail with EFBIG,
     * which the output's commit reports, rather than SIGXFSZ killing the
     * program with its temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        fputs(fs__help, stderr);
        return FS_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(fs__help, stdout);
        return FS_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("futurescope " FS_VERSION);
        return FS_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"run", fs_cmd_run},
        {"compare", fs_cmd_compare},
        {"explore", fs_cmd_explore},
        {"check", fs_cmd_check},
        {"demo", fs_cmd_demo},
        {"view", fs_cmd_view},
        {"export", fs_cmd_export},
    };
    /* Long trace loads say how far they got (on a terminal). */
    static fs_progress reading;
    fs_progress_init(&reading, "");
    fs_trace_set_progress(fs_progress_trace_lines, &reading);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0) {
            int st = cmds[i].fn(argc - 1, argv + 1);
            fs_progress_done(&reading);
            return st;
        }
    fprintf(stderr, "futurescope: unknown command '%s' (see futurescope --help)\n", cmd);
    return FS_EXIT_INPUT;
}
