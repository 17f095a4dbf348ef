/* chrome_export.h - futurescope traces as one Chrome Trace Event Format
 * document (SPEC section 3), the JSON that Perfetto UI and chrome://tracing
 * open. docs/export.md describes the mapping.
 *
 * Each trace becomes one process (pid 1, 2, ... in the order given), so
 * several executors sit side by side. Inside a process the lanes (tids) are,
 * in this order: one per worker, one per task, one per resource (device).
 * Times are written in microseconds with three decimals (the trace's ns),
 * FS_CHROME_TS_OFFSET_NS late. */
#ifndef FS_CHROME_EXPORT_H
#define FS_CHROME_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "trace_reader.h"

typedef struct fs_chrome_source {
    const fs_trace *trace;
    const char *name;       /* the trace's file name, for labels; may be NULL */
} fs_chrome_source;

/* A Chrome trace is about 3.6 times the size of its JSONL trace: at most
 * this many bytes are written unless the caller says otherwise. */
#define FS_CHROME_MAX_BYTES (1ULL << 30)

/* Every timed event's ts is its simulated time plus this (1 us): Chrome
 * DevTools leaves events at ts 0 out of a trace's bounds. otherData's
 * "ts_offset_us" says so. Metadata ("M") events stay at 0. */
#define FS_CHROME_TS_OFFSET_NS 1000

/* Writes the document for n traces to out, at most max_bytes of it (0:
 * FS_CHROME_MAX_BYTES). Returns FS_ERR_OK, FS_ERR_NOMEM, FS_ERR_LIMIT when
 * the document would pass max_bytes (what was written is a cut-off
 * document: discard it), or FS_ERR_WRITE when writing to out failed (err
 * filled, file left unset: the caller knows the output's name). out is
 * flushed, not closed. */
fs_errcode fs_chrome_export(FILE *out, const fs_chrome_source *src, size_t n, uint64_t max_bytes,
                            fs_error *err);

#endif
