/* trace_rec.h - one trace event line, decoded flat (private to the trace
 * reader: sim/trace_reader.c builds the model from these, sim/trace_line.c
 * decodes the common lines fast). */
#ifndef FS_TRACE_REC_H
#define FS_TRACE_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    FS__R_SPAWN, FS__R_POLL, FS__R_SPIN, FS__R_REGISTER, FS__R_WAKE, FS__R_IO,
    FS__R_PARK, FS__R_UNPARK, FS__R_CANCEL, FS__R_COMPLETE, FS__R_STALL,
    FS__R_OTHER, FS__R_SUMMARY,
} fs__rtype;

/* One event line, flat. Strings point into the decoder's buffers and are
 * valid until the next line. */
typedef struct fs__rec {
    fs__rtype type;
    int64_t t, task, worker, dur, count, end, value, parent;
    bool ready, has_value, stale;
    const char *name;     /* spawn: task; register/io: resource; wake: source */
    const char *state;    /* poll/spin */
    const char *what;     /* io */
} fs__rec;

/* Decodes the event lines the writer writes (spawn, poll, spin, register,
 * wake, io, park, unpark, cancel, complete) without building a JSON tree.
 * scratch must hold len + 1 bytes; the record's strings point into it.
 * Returns false for anything else or anything unusual (escapes, unknown or
 * repeated keys, missing or out-of-range fields): the caller then decodes
 * the line the careful way, which also words the error. */
bool fs__trace_line_fast(const char *text, size_t len, fs__rec *rec, char *scratch);

/* Tests set this to false to read every line the careful way, and compare. */
extern bool fs__trace_fast_lines;

#endif
