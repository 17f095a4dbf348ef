/* cli.h - what the subcommands share: option parsing and usage errors. */
#ifndef FS_CLI_H
#define FS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "chrome_export.h"
#include "perfetto_export.h"
#include "run.h"

/* Exit statuses (SPEC section 4). */
enum { FS_EXIT_OK = 0, FS_EXIT_INTERNAL = 1, FS_EXIT_INPUT = 2, FS_EXIT_STALLED = 3 };

/* Options of run/compare/view, parsed from argv. */
typedef struct fs_cli_opts {
    const char *inputs[64];
    int n_inputs;
    const char *executors;     /* -e: "wake" or "busy,wake" */
    const char *trace_path;    /* -o */
    const char *chrome_path;   /* --chrome */
    const char *perfetto_path; /* --perfetto */
    bool json;
    bool lifo;
    bool has_seed;
    uint64_t seed;
    bool has_poll_cost;
    int64_t poll_cost_ns;
    int64_t max_time_ns;
    int64_t max_polls;
    int64_t max_tasks;
    uint64_t max_trace_bytes;  /* --max-trace, 0 if not given */
    uint64_t max_chrome_bytes; /* --max-chrome, 0 if not given (FS_CHROME_MAX_BYTES) */
    uint64_t max_perfetto_bytes; /* --max-perfetto, 0 if not given (FS_PERFETTO_MAX_BYTES) */
    bool no_fast_forward;
    fs_tokio_version tokio;      /* --tokio */
    int64_t tick_ns;             /* --tick */
    int64_t timer_slack_ns;      /* --timer-slack */
    int64_t wake_latency_ns;     /* --wake-latency */
    int cpus;                    /* --cpus, 0 if not given */
    int64_t turn_delay_ns;       /* --turn-delay */
    int hand_over_pm[2];         /* --hand-over P[,Q], per mille */
    int64_t idle_wake_ns;        /* --idle-wake */
    bool random_schedule;        /* --schedule random */
    int pct_depth;               /* --schedule pct:D */
    /* view */
    const char *screenshot_path; /* --screenshot */
    bool has_at;                 /* --at */
    int64_t at_ns;
    int size_w, size_h;          /* --size WxH, 0 if not given */
    bool watch;                  /* --watch */
    const char *view_flag;       /* the first of the four above given, or NULL */
} fs_cli_opts;

/* The simulation options of o (seed, poll cost, limits, queue, tokio model)
 * into d, for a run of scenario sc. */
void fs_cli_apply_run_opts(fs_run_desc *d, const fs_cli_opts *o, const fs_scenario *sc);

/* Prints "futurescope CMD: message (see futurescope CMD --help)" to stderr
 * and returns FS_EXIT_INPUT. */
int fs_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* True if argv holds -h/--help. */
bool fs_cli_wants_help(int argc, char **argv);
/* Parses the options common to run/compare; returns -1 when fine, else the
 * exit status (after printing the error). */
int fs_cli_parse(const char *cmd, int argc, char **argv, fs_cli_opts *o);
/* A point in simulated time given with its unit ("1.5s", "200ms", or "0"):
 * a bare "1.5" is refused (false), since it could mean seconds or ms. */
bool fs_cli_parse_time(const char *val, int64_t *ns);
/* An output of a command: the option that names it and its path (NULL: not
 * asked for; "-": stdout). */
typedef struct fs_cli_output {
    const char *option, *path;
} fs_cli_output;
/* Refuses (exit 2, naming both) an output that is the same file as one of
 * the inputs or as another output; returns -1 when all differ. Called before
 * anything is read or written. */
int fs_cli_check_outputs(const char *cmd, const char *const *inputs, int n_in,
                         const fs_cli_output *outs, int n_out);
/* Splits "busy,wake" into run descriptions; returns count or -1 (error
 * printed). lifo (--queue lifo) orders the wake executor's ready queue: it
 * is refused with a list that has no wake executor or has a steal:N one
 * (tokio's queues are its own), rather than silently ignored. */
int fs_cli_executors(const char *cmd, const char *list, bool lifo, fs_run_desc *out, int max);

/* Runs sc under each executor of list and prints the comparison table
 * (or a JSON array); returns the exit status. Used by compare and demo. */
int fs_compare_scenario(const fs_scenario *sc, const fs_cli_opts *o, const char *list,
                        bool json, FILE *out);

int fs_cmd_run(int argc, char **argv);
int fs_cmd_compare(int argc, char **argv);
int fs_cmd_check(int argc, char **argv);
int fs_cmd_demo(int argc, char **argv);
int fs_cmd_view(int argc, char **argv);
int fs_cmd_export(int argc, char **argv);
int fs_cmd_explore(int argc, char **argv);

/* Writes the Chrome export of n traces into of (opened on path), commits
 * it, or aborts it on failure (no file is left); prints any error and
 * returns the exit status (cmd_export.c). */
struct fs_outfile;
int fs_chrome_write(struct fs_outfile *of, const char *path, const fs_chrome_source *src, size_t n,
                    uint64_t max_bytes);
/* The same for the Perfetto export. */
int fs_perfetto_write(struct fs_outfile *of, const char *path, const fs_perfetto_source *src,
                      size_t n, uint64_t max_bytes);

#endif
