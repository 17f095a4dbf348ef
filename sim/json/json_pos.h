/* json_pos.h - a JSON text as a tree that remembers where each node was.
 *
 * General parsers such as cJSON keep no source positions and are lenient
 * where users make mistakes: control characters and NUL bytes count as
 * whitespace, "01" and "1." are numbers, strings may hold raw line breaks
 * and invalid UTF-8. So fs_json_parse scans the text strictly (RFC 8259) and
 * reports the first syntax error with its position and the JSON path around
 * it. The same scan builds the tree: every value is one fs_json_node in one
 * array, in document order, with its own offsets, and its strings are
 * unescaped into one buffer. (Building it with cJSON, a node and a string
 * allocation per value, and mapping nodes back to offsets, made big
 * scenarios slow to load and to free.)
 *
 * Line and column are computed only when asked for: lines are 1-based,
 * columns are 1-based and count UTF-8 code points, so a column points at the
 * same character in any editor that does not expand tabs. */
#ifndef FS_JSON_POS_H
#define FS_JSON_POS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Texts above this size are refused (offsets are kept in 32 bits). */
#define FS_JSON_MAX_BYTES (1024u * 1024u * 1024u)
/* Nesting deeper than this is a syntax error (cJSON's limit, kept from when
 * the tree was built with cJSON). */
#define FS_JSON_MAX_NESTING 1000

typedef struct fs_json_doc fs_json_doc;

typedef enum {
    FS_JSON_NULL, FS_JSON_FALSE, FS_JSON_TRUE, FS_JSON_NUMBER, FS_JSON_STRING, FS_JSON_ARRAY,
    FS_JSON_OBJECT
} fs_json_type;

/* One value. Nodes sit in one array in document order (pre-order), so a
 * container's first child is the node after it, and siblings are linked by
 * their distance in the array. Read them through the functions below. */
typedef struct fs_json_node {
    const char *string;      /* the key, unescaped, when an object member; else NULL */
    const char *valuestring; /* FS_JSON_STRING: the value, unescaped; else NULL */
    uint32_t val_off;        /* byte offset of the value */
    uint32_t key_off;        /* of the key's opening quote; val_off when not a member */
    uint32_t next;           /* distance to the next sibling; 0: the last one */
    uint8_t type;            /* fs_json_type */
    bool has_child;
} fs_json_node;

static inline const fs_json_node *fs_json_child(const fs_json_node *n)
{
    return n && n->has_child ? n + 1 : NULL;
}
static inline const fs_json_node *fs_json_next(const fs_json_node *n)
{
    return n->next ? n + n->next : NULL;
}
#define FS_JSON_FOR_EACH(it, container) \
    for ((it) = fs_json_child(container); (it); (it) = fs_json_next(it))

/* Type tests; all false for NULL. */
static inline bool fs_json_is(const fs_json_node *n, fs_json_type t)
{
    return n && n->type == t;
}
#define fs_json_is_object(n) fs_json_is((n), FS_JSON_OBJECT)
#define fs_json_is_array(n) fs_json_is((n), FS_JSON_ARRAY)
#define fs_json_is_string(n) fs_json_is((n), FS_JSON_STRING)
#define fs_json_is_number(n) fs_json_is((n), FS_JSON_NUMBER)
#define fs_json_is_true(n) fs_json_is((n), FS_JSON_TRUE)
static inline bool fs_json_is_bool(const fs_json_node *n)
{
    return n && (n->type == FS_JSON_TRUE || n->type == FS_JSON_FALSE);
}

/* Parses text (len bytes; it need not be NUL-terminated, and must outlive the
 * doc). On bad input fills err->line, col, path, msg and code (err->file is
 * left as the caller set it) and returns FS_ERR_INPUT with *out = NULL;
 * FS_ERR_NOMEM when memory runs out. */
fs_errcode fs_json_parse(const char *text, size_t len, fs_json_doc **out, fs_error *err);
void fs_json_free(fs_json_doc *d);

const fs_json_node *fs_json_root(const fs_json_doc *d);
/* How many values the document holds (containers, members and leaves). */
size_t fs_json_count(const fs_json_doc *d);
/* The source text given to fs_json_parse. */
const char *fs_json_text(const fs_json_doc *d);
/* Byte offset of a node's value, and of its key when it is an object member
 * (the opening quote); a node that is not a member gets its value's offset. */
size_t fs_json_value_offset(const fs_json_doc *d, const fs_json_node *node);
size_t fs_json_key_offset(const fs_json_doc *d, const fs_json_node *member);
/* 1-based line and column (in code points) of a byte offset. Cheap when the
 * offsets asked for increase, as they do in a walk in document order; in any
 * other order, a scan of at most a few KB each (a scenario's calls look back
 * at the definitions once a call). */
void fs_json_line_col(fs_json_doc *d, size_t offset, int *line, int *col);

/* ---- checks a plain parser does not make ---- */

/* Integers exactly, from the number's source text, never through a double:
 * "2.0" and "1e3" are whole, "9007199254740992.5" and "1e-400" are not.
 * node must be a number. FRACTION: not a whole number; TOO_BIG: beyond
 * +-FS_JSON_MAX_INT. */
#define FS_JSON_MAX_INT 9007199254740992LL /* 2^53 */
typedef enum { FS_JSON_INT_OK, FS_JSON_INT_FRACTION, FS_JSON_INT_TOO_BIG } fs_json_int;
fs_json_int fs_json_get_int(const fs_json_doc *d, const fs_json_node *node, long long *out);
/* The source text of a number, for messages ("2.5", "1e300"). */
const char *fs_json_number_text(const fs_json_doc *d, const fs_json_node *node, size_t *len);

/* The offset of the first byte of text that is not valid UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, cut off), or len when all of it is. */
size_t fs_json_utf8_check(const char *text, size_t len);

/* For messages: "a string", "an object", "true", ... */
const char *fs_json_type_name(const fs_json_node *node);
/* s in double quotes, with '"', '\' and control characters escaped, cut
 * after about 60 bytes with "...". Returns buf (80 bytes are enough). */
const char *fs_json_quote(const char *s, char *buf, size_t size);

/* Copies path into err->path; "(root)" for an empty path, and a path too long
 * for the field keeps its end behind "...". */
void fs_json_set_error_path(fs_error *err, const char *path);

#endif
