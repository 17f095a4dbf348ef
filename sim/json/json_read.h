/* json_read.h - reading a parsed JSON document (json_pos.h) value by value,
 * with the JSON path of the value being read kept alongside, so that every
 * check can fail with "file:line:col: path: message". The path grows on the
 * way down and is cut back on the way up (FS_JR_AT_KEY, FS_JR_AT_INDEX); it
 * is kept as a stack of keys and indices and only written out as text when
 * an error is reported, since almost every read succeeds. The
 * first failure fills the error and ends the read: every function returns an
 * fs_errcode. Strings kept are copied into the reader's arena. (jr: JSON
 * reader.) The scenario loader is built on it. */
#ifndef FS_JSON_READ_H
#define FS_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>


#include "arena.h"
#include "error.h"
#include "json_names.h"
#include "json_pos.h"

/* The path as text is cut after FS_JSON_PATH_CAP - 1 bytes; segments beyond
 * FS_JSON_PATH_SEGS deep are counted but not kept (futures nest at most 64
 * deep, a few segments each, so they never are). */
#define FS_JSON_PATH_CAP 2048
#define FS_JSON_PATH_SEGS 512

/* One step of the path: a member's key, or an array index when key is NULL.
 * Keys point into the document or are literals: they outlive the read. */
typedef struct fs_json_seg {
    const char *key;
    size_t index;
} fs_json_seg;

typedef struct fs_json_reader {
    fs_json_doc *doc;
    fs_arena *arena;
    fs_error *err;
    size_t fail_off;           /* the byte offset the error points at */
    size_t depth;
    fs_json_seg path[FS_JSON_PATH_SEGS];
} fs_json_reader;

/* An integer field: what it must be, its name in range errors, its range,
 * the unit written after the range (" ms", or ""). */
typedef struct fs_json_range {
    const char *what, *noun;
    int64_t lo, hi;
    const char *unit;
} fs_json_range;

/* FS_JR_TRY returns from the caller on error (the error has recorded the
 * path, so nothing needs unwinding); FS_JR_AT_KEY and FS_JR_AT_INDEX run
 * call with ".key" or "[i]" added to the path. */
#define FS_JR_TRY(call) do { fs_errcode rc_ = (call); if (rc_ != FS_ERR_OK) return rc_; } while (0)
#define FS_JR_AT(rd, push, call) do { size_t at_ = (push); FS_JR_TRY(call); fs_jr_path_pop((rd), at_); } while (0)
#define FS_JR_AT_KEY(rd, key, call) FS_JR_AT(rd, fs_jr_path_key((rd), (key)), call)
#define FS_JR_AT_INDEX(rd, i, call) FS_JR_AT(rd, fs_jr_path_index((rd), (i)), call)

/* ---- the path ---- */
size_t fs_jr_path_key(fs_json_reader *rd, const char *key);   /* returns the depth to pop back to */
size_t fs_jr_path_index(fs_json_reader *rd, size_t i);
void fs_jr_path_pop(fs_json_reader *rd, size_t old);

/* ---- failing ---- */
/* The error at node's value, or at member m's key, with the current path. */
fs_errcode fs_jr_fail(fs_json_reader *rd, const fs_json_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
fs_errcode fs_jr_fail_key(fs_json_reader *rd, const fs_json_node *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
fs_errcode fs_jr_nomem(fs_json_reader *rd);

/* "a, b, c" into buf (for "expected one of: ..."). */
const char *fs_jr_join(const char *const *list, size_t n, char *buf, size_t size);

/* ---- objects and keys ---- */
/* Keys are short and mostly differ in their first byte: testing it first
 * saves most of the strcmp calls of a big load. */
static inline bool fs_jr_streq(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0;
}
const fs_json_node *fs_jr_member(const fs_json_node *obj, const char *key);   /* case-sensitive */
size_t fs_jr_count_items(const fs_json_node *container);
bool fs_jr_in_list(const char *s, const char *const *list, size_t n);
fs_errcode fs_jr_check_duplicates(fs_json_reader *rd, const fs_json_node *obj);
/* Every member's key must be one of allowed[0..n). */
fs_errcode fs_jr_check_keys(fs_json_reader *rd, const fs_json_node *obj, const char *const *allowed, size_t n);
/* Exactly one of keys a and b (the error points at the later); *out is it. */
fs_errcode fs_jr_one_of(fs_json_reader *rd, const fs_json_node *obj, const char *a, const char *b,
                        const char *noun, const fs_json_node **out);
/* node must be an object ("expected <what>, got ..." if not) without
 * duplicate keys and, unless allowed is NULL, with allowed keys only. */
fs_errcode fs_jr_check_object(fs_json_reader *rd, const fs_json_node *node, const char *what,
                              const char *const *allowed, size_t n);
/* fs_jr_check_object with any keys, keeping them indexed: ix (initialised
 * here, destroyed by the caller) maps each key to its member's position. */
fs_errcode fs_jr_index_object(fs_json_reader *rd, const fs_json_node *node, const char *what,
                              fs_json_names *ix);
fs_errcode fs_jr_missing(fs_json_reader *rd, const fs_json_node *obj, const char *key);

/* ---- scalars ---- */
fs_errcode fs_jr_read_int(fs_json_reader *rd, const fs_json_node *node, const fs_json_range *r, int64_t *out);
fs_errcode fs_jr_read_bool(fs_json_reader *rd, const fs_json_node *node, bool *out);
fs_errcode fs_jr_read_string(fs_json_reader *rd, const fs_json_node *node, const char **out);
/* Optional members: *out keeps its default when the key is absent. */
fs_errcode fs_jr_int_member(fs_json_reader *rd, const fs_json_node *obj, const char *key,
                            const fs_json_range *r, int64_t *out);
fs_errcode fs_jr_bool_member(fs_json_reader *rd, const fs_json_node *obj, const char *key, bool *out);
fs_errcode fs_jr_string_member(fs_json_reader *rd, const fs_json_node *obj, const char *key, const char **out);

#endif
