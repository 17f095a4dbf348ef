/* cmd_export.c - `export TRACE... --chrome out.json --perfetto out.pftrace`,
 * and the conversions that `run --chrome/--perfetto` share: JSONL traces ->
 * one Chrome Trace Event file, one Perfetto protobuf trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome_export.h"
#include "cli.h"
#include "outfile.h"
#include "perfetto_export.h"
#include "trace_reader.h"

static const char fs__export_help[] =
    "usage: futurescope export TRACE.jsonl... [--chrome OUT.json] [--perfetto OUT.pftrace]\n"
    "\n"
    "Converts futurescope traces to one Chrome Trace Event file that Perfetto UI\n"
    "(ui.perfetto.dev) and chrome://tracing open, and/or one trace in Perfetto's\n"
    "own protobuf format: one process per trace, a lane per worker, task and\n"
    "device, polls as slices, wakes as flow arrows, queue lengths as counters.\n"
    "See docs/export.md (which format to use when).\n"
    "\n"
    "  --chrome FILE     write the Chrome trace to FILE ('-' for stdout)\n"
    "  --perfetto FILE   write Perfetto's own protobuf format to FILE ('-' for\n"
    "                    stdout): the same lanes, slices and flows (counters:\n"
    "                    steal:N's local queues), a fifth of the size; for big runs\n"
    "\n"
    "At least one of the two. Exit status: 0 written, 2 bad usage or a bad trace\n"
    "(nothing written), 1 an output could not be written, 3 one would pass 1 GiB\n"
    "(nothing written).\n";

/* Commits of an export that returned rc, or aborts it (no file is left);
 * prints any error and returns the exit status. */
static int fs__export_done(fs_outfile *of, const char *path, fs_errcode rc, fs_error *err)
{
    if (rc != FS_ERR_OK) {
        fs_outfile_abort(of);
        snprintf(err->file, sizeof err->file, "%s", path);
        fs_error_print(err, stderr);
        return rc == FS_ERR_LIMIT ? FS_EXIT_STALLED : FS_EXIT_INTERNAL;
    }
    if (!fs_outfile_commit(of, err)) {
        fs_error_print(err, stderr);
        return FS_EXIT_INTERNAL;
    }
    return FS_EXIT_OK;
}

int fs_chrome_write(fs_outfile *of, const char *path, const fs_chrome_source *src, size_t n,
                    uint64_t max_bytes)
{
    fs_error err = {0};
    fs_errcode rc = fs_chrome_export(of->f, src, n, max_bytes, &err);
    return fs__export_done(of, path, rc, &err);
}

int fs_perfetto_write(fs_outfile *of, const char *path, const fs_perfetto_source *src, size_t n,
                      uint64_t max_bytes)
{
    fs_error err = {0};
    fs_errcode rc = fs_perfetto_export(of->f, src, n, max_bytes, &err);
    return fs__export_done(of, path, rc, &err);
}

int fs_cmd_export(int argc, char **argv)
{
    if (fs_cli_wants_help(argc, argv)) {
        fputs(fs__export_help, stdout);
        return FS_EXIT_OK;
    }
    const char *chrome = NULL, *perfetto = NULL;
    const char **inputs = calloc((size_t)argc, sizeof *inputs);
    if (!inputs)
        return FS_EXIT_INTERNAL;
    size_t n = 0;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_files && strcmp(a, "--") == 0) {
            only_files = true;
        } else if (!only_files && (strcmp(a, "--chrome") == 0 || strcmp(a, "--perfetto") == 0)) {
            if (i + 1 >= argc) {
                free(inputs);
                return fs_cli_usage_error("export", "option %s needs a value", a);
            }
            const char *v = argv[++i];
            if (!*v) {
                free(inputs);
                return fs_cli_usage_error("export", "option %s needs a file name, got ''", a);
            }
            *(a[2] == 'c' ? &chrome : &perfetto) = v;
        } else if (!only_files && a[0] == '-' && a[1]) {
            free(inputs);
            return fs_cli_usage_error("export", "unknown option '%s'", a);
        } else {
            inputs[n++] = a;
        }
    }
    if (!n || (!chrome && !perfetto)) {
        free(inputs);
        return fs_cli_usage_error("export", !n ? "expected one or more trace files"
                                               : "expected --chrome OUT.json or --perfetto OUT.pftrace");
    }
    if (chrome && perfetto && strcmp(chrome, "-") == 0 && strcmp(perfetto, "-") == 0) {
        free(inputs);
        return fs_cli_usage_error("export", "--chrome - and --perfetto - would both write to stdout");
    }
    fs_cli_output outs[] = {{"--chrome", chrome}, {"--perfetto", perfetto}};
    int status = fs_cli_check_outputs("export", inputs, (int)n, outs, 2);
    if (status >= 0) {
        free(inputs);
        return status;
    }
    status = FS_EXIT_OK;
    fs_chrome_source *src = calloc(n, sizeof *src);
    if (!src) {
        free(inputs);
        return FS_EXIT_INTERNAL;
    }
    /* Read every trace before writing anything: a bad one leaves no file. */
    for (size_t i = 0; i < n && status == FS_EXIT_OK; i++) {
        fs_error err = {0};
        fs_trace *tr = NULL;
        fs_errcode rc = fs_trace_read_file(inputs[i], &tr, &err);
        if (rc != FS_ERR_OK) {
            fs_trace_error_print(&err, stderr);
            status = rc == FS_ERR_NOMEM ? FS_EXIT_INTERNAL : FS_EXIT_INPUT;
            break;
        }
        src[i] = (fs_chrome_source){.trace = tr, .name = inputs[i]};
    }
    fs_outfile of;
    fs_error err = {0};
    if (status == FS_EXIT_OK && chrome) {
        if (!fs_outfile_open(&of, chrome, &err)) {
            fs_error_print(&err, stderr);
            status = fs_err_exit_status(err.code);
        } else {
            status = fs_chrome_write(&of, chrome, src, n, 0);
        }
    }
    if (status == FS_EXIT_OK && perfetto) {
        fs_perfetto_source *ps = calloc(n, sizeof *ps);
        if (!ps) {
            status = FS_EXIT_INTERNAL;
        } else if (!fs_outfile_open(&of, perfetto, &err)) {
            fs_error_print(&err, stderr);
            status = fs_err_exit_status(err.code);
        } else {
            for (size_t i = 0; i < n; i++)
                ps[i] = (fs_perfetto_source){.trace = src[i].trace, .name = src[i].name};
            status = fs_perfetto_write(&of, perfetto, ps, n, 0);
        }
        free(ps);
    }
    for (size_t i = 0; i < n; i++)
        fs_trace_free((fs_trace *)src[i].trace);
    free(src);
    free(inputs);
    return status;
}
