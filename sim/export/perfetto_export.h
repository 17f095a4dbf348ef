/* perfetto_export.h - futurescope traces in Perfetto's own format: a
 * protobuf `Trace` of TracePackets (TrackDescriptors and TrackEvents), the
 * file ui.perfetto.dev and trace_processor open natively. Field numbers are
 * Perfetto's (protos/perfetto/trace/perfetto_trace.proto); the encoding is
 * done by hand (pbw.h). docs/export.md describes the mapping.
 *
 * The export streams: packets are written as the trace model is walked,
 * never gathered. Besides the model it holds one byte per string of the
 * model's pool (which interned names were defined) and, while one worker's
 * track is written, an entry per slice and park of that worker (they are
 * put in time order). */
#ifndef FS_PERFETTO_EXPORT_H
#define FS_PERFETTO_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "trace_reader.h"

typedef struct fs_perfetto_source {
    const fs_trace *trace;
    const char *name;       /* the trace's file name, for labels; may be NULL */
} fs_perfetto_source;

/* At most this many bytes are written unless the caller says otherwise. */
#define FS_PERFETTO_MAX_BYTES (1ULL << 30)

/* Writes the Trace for n traces to out, at most max_bytes of it (0:
 * FS_PERFETTO_MAX_BYTES). Each trace is one process and one packet
 * sequence (trusted_packet_sequence_id 1, 2, ...). Returns FS_ERR_OK,
 * FS_ERR_NOMEM, FS_ERR_LIMIT when the file would pass max_bytes (what was
 * written is cut off: discard it) or FS_ERR_WRITE (err filled, file left
 * unset). out is flushed, not closed. */
fs_errcode fs_perfetto_export(FILE *out, const fs_perfetto_source *src, size_t n,
                              uint64_t max_bytes, fs_error *err);

#endif
