/* json_pos.h - a JSON text as a cJSON tree that remembers where each node was.
 *
 * cJSON keeps no source positions and is lenient where users make mistakes:
 * control characters and NUL bytes count as whitespace, "01" and "1." are
 * numbers, strings may hold raw line breaks and invalid UTF-8. So
 * fs_json_parse first scans the text strictly (RFC 8259), recording the byte
 * offset of every value and member key in document order, and reports the
 * first syntax error with its position and the JSON path around it. Only
 * then does cJSON build the tree, and each node is matched to its offsets
 * (cJSON's children come in document order, so a pre-order walk of the tree
 * meets the nodes in the order the scanner met their values).
 *
 * Line and column are computed only when asked for: lines are 1-based,
 * columns are 1-based and count UTF-8 code points, so a column points at the
 * same character in any editor that does not expand tabs. */
#ifndef FS_JSON_POS_H
#define FS_JSON_POS_H

#include <stddef.h>

#include <cJSON.h>

#include "error.h"

/* Texts above this size are refused (offsets are kept in 32 bits). */
#define FS_JSON_MAX_BYTES (1024u * 1024u * 1024u)

typedef struct fs_json_doc fs_json_doc;

/* Parses text (len bytes; it need not be NUL-terminated, and must outlive the
 * doc). On bad input fills err->line, col, path, msg and code (err->file is
 * left as the caller set it) and returns FS_ERR_INPUT with *out = NULL;
 * FS_ERR_NOMEM when memory runs out. Nesting deeper than cJSON's limit
 * (CJSON_NESTING_LIMIT, 1000) is a syntax error. */
fs_errcode fs_json_parse(const char *text, size_t len, fs_json_doc **out, fs_error *err);
void fs_json_free(fs_json_doc *d);

const cJSON *fs_json_root(const fs_json_doc *d);
/* The source text given to fs_json_parse. */
const char *fs_json_text(const fs_json_doc *d);
/* Byte offset of a node's value, and of its key when it is an object member
 * (the opening quote); a node that is not a member gets its value's offset. */
size_t fs_json_value_offset(const fs_json_doc *d, const cJSON *node);
size_t fs_json_key_offset(const fs_json_doc *d, const cJSON *member);
/* 1-based line and column (in code points) of a byte offset. Cheap when the
 * offsets asked for increase, as they do in a walk in document order. */
void fs_json_line_col(fs_json_doc *d, size_t offset, int *line, int *col);

/* ---- checks cJSON does not make ---- */

/* Integers exactly: plain digits are read from the source text (every
 * integer up to 2^53 is exact, and cJSON's saturating valueint is never
 * used); "2.0" or "1e3" go through the double and must be whole. node must be
 * a number. FRACTION: not a whole number; TOO_BIG: beyond +-FS_JSON_MAX_INT. */
#define FS_JSON_MAX_INT 9007199254740992LL /* 2^53 */
typedef enum { FS_JSON_INT_OK, FS_JSON_INT_FRACTION, FS_JSON_INT_TOO_BIG } fs_json_int;
fs_json_int fs_json_get_int(const fs_json_doc *d, const cJSON *node, long long *out);
/* The source text of a number, for messages ("2.5", "1e300"). */
const char *fs_json_number_text(const fs_json_doc *d, const cJSON *node, size_t *len);

/* The first member of obj, in document order, whose key repeats an earlier
 * key (cJSON keeps both and finds only the first), or NULL. Costs n log n in
 * the number of keys. *nomem is set when memory runs out. */
const cJSON *fs_json_duplicate_key(const cJSON *obj, int *nomem);
/* Index of the first of names[0..n) that equals an earlier one, with *first
 * set to the earlier one; n when all differ; SIZE_MAX when out of memory. */
size_t fs_json_first_repeat(const char *const *names, size_t n, size_t *first);

/* For messages: "a string", "an object", "true", ... */
const char *fs_json_type_name(const cJSON *node);
/* s in double quotes, with '"', '\' and control characters escaped, cut
 * after about 60 bytes with "...". Returns buf (80 bytes are enough). */
const char *fs_json_quote(const char *s, char *buf, size_t size);

/* Copies path into err->path; "(root)" for an empty path, and a path too long
 * for the field keeps its end behind "...". */
void fs_json_set_error_path(fs_error *err, const char *path);

#endif
