/* json_read.c - reading JSON values with their path and position: every
 * check that fails says file:line:col: path: what was expected. */
#include "json_read.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- paths and errors ------------------------------------------------------ */

static size_t fs__path_push(fs_json_reader *ld, const char *key, size_t i)
{
    size_t old = ld->depth;
    if (old < FS_JSON_PATH_SEGS)
        ld->path[old] = (fs_json_seg){key, i};
    ld->depth = old + 1;
    return old;
}

size_t fs_jr_path_key(fs_json_reader *ld, const char *key)
{
    return fs__path_push(ld, key, 0);
}

size_t fs_jr_path_index(fs_json_reader *ld, size_t i)
{
    return fs__path_push(ld, NULL, i);
}

void fs_jr_path_pop(fs_json_reader *ld, size_t old)
{
    ld->depth = old;
}

/* The path as text: "tasks[1].future.seq[0]", cut at FS_JSON_PATH_CAP - 1
 * bytes. */
static void fs__path_text(const fs_json_reader *ld, char *buf)
{
    size_t len = 0, n = ld->depth < FS_JSON_PATH_SEGS ? ld->depth : FS_JSON_PATH_SEGS;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < FS_JSON_PATH_CAP - 1; i++) {
        const fs_json_seg *sg = &ld->path[i];
        int k = sg->key ? snprintf(buf + len, FS_JSON_PATH_CAP - len, "%s%s", len ? "." : "", sg->key)
                        : snprintf(buf + len, FS_JSON_PATH_CAP - len, "[%zu]", sg->index);
        len += k > 0 ? (size_t)k : 0;
    }
}

__attribute__((format(printf, 3, 0))) static fs_errcode fs__vfail(fs_json_reader *ld, size_t offset,
                                                                 const char *fmt, va_list ap)
{
    fs_error *e = ld->err;
    char path[FS_JSON_PATH_CAP];
    ld->fail_off = offset;
    fs_json_line_col(ld->doc, offset, &e->line, &e->col);
    fs__path_text(ld, path);
    fs_json_set_error_path(e, path);
    e->code = FS_ERR_INPUT;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return FS_ERR_INPUT;
}

fs_errcode fs_jr_fail(fs_json_reader *ld, const fs_json_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fs_errcode rc = fs__vfail(ld, fs_json_value_offset(ld->doc, node), fmt, ap);
    va_end(ap);
    return rc;
}
fs_errcode fs_jr_fail_key(fs_json_reader *ld, const fs_json_node *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fs_errcode rc = fs__vfail(ld, fs_json_key_offset(ld->doc, m), fmt, ap);
    va_end(ap);
    return rc;
}

fs_errcode fs_jr_nomem(fs_json_reader *ld)
{
    ld->err->line = ld->err->col = 0;
    ld->err->path[0] = '\0';
    fs_error_set(ld->err, FS_ERR_NOMEM, "out of memory");
    return FS_ERR_NOMEM;
}

const char *fs_jr_join(const char *const *list, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", list[i]);
    return buf;
}

/* ---- objects and keys ------------------------------------------------------- */

const fs_json_node *fs_jr_member(const fs_json_node *obj, const char *key)
{
    const fs_json_node *m;
    if (!fs_json_is_object(obj))
        return NULL;
    FS_JSON_FOR_EACH(m, obj)
        if (fs_jr_streq(m->string, key))
            return m;
    return NULL;
}

size_t fs_jr_count_items(const fs_json_node *container)
{
    size_t n = 0;
    const fs_json_node *it;
    FS_JSON_FOR_EACH(it, container)
        n++;
    return n;
}

bool fs_jr_in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fs_jr_streq(s, list[i]))
            return true;
    return false;
}

fs_errcode fs_jr_check_duplicates(fs_json_reader *ld, const fs_json_node *obj)
{
    int oom = 0;
    char q[80];
    const fs_json_node *dup = fs_json_duplicate_key(obj, &oom);
    if (oom)
        return fs_jr_nomem(ld);
    return dup ? fs_jr_fail_key(ld, dup, "duplicate key %s", fs_json_quote(dup->string, q, sizeof q))
               : FS_ERR_OK;
}

fs_errcode fs_jr_check_keys(fs_json_reader *ld, const fs_json_node *obj, const char *const *allowed, size_t n)
{
    const fs_json_node *m;
    char q[80], list[256];
    FS_JSON_FOR_EACH(m, obj) {
        if (!fs_jr_in_list(m->string, allowed, n))
            return fs_jr_fail_key(ld, m, "unknown key %s (expected one of: %s)",
                            fs_json_quote(m->string, q, sizeof q), fs_jr_join(allowed, n, list, sizeof list));
    }
    return FS_ERR_OK;
}

fs_errcode fs_jr_one_of(fs_json_reader *ld, const fs_json_node *obj, const char *a, const char *b,
                         const char *noun, const fs_json_node **out)
{
    const fs_json_node *ma = fs_jr_member(obj, a), *mb = fs_jr_member(obj, b);
    if (ma && mb) {
        bool b_later = fs_json_key_offset(ld->doc, mb) > fs_json_key_offset(ld->doc, ma);
        return fs_jr_fail_key(ld, b_later ? mb : ma, "%s takes one of \"%s\" and \"%s\", not both", noun, a, b);
    }
    if (!ma && !mb)
        return fs_jr_fail(ld, obj, "missing required key \"%s\" or \"%s\"", a, b);
    *out = ma ? ma : mb;
    return FS_ERR_OK;
}

fs_errcode fs_jr_check_object(fs_json_reader *ld, const fs_json_node *node, const char *what,
                               const char *const *allowed, size_t n)
{
    if (!fs_json_is_object(node))
        return fs_jr_fail(ld, node, "expected %s, got %s", what, fs_json_type_name(node));
    const fs_json_node *first = fs_json_child(node);
    if (first && first->next) /* (one member or none: no duplicates) */
        FS_JR_TRY(fs_jr_check_duplicates(ld, node));
    return allowed ? fs_jr_check_keys(ld, node, allowed, n) : FS_ERR_OK;
}

fs_errcode fs_jr_index_object(fs_json_reader *ld, const fs_json_node *node, const char *what,
                              fs_json_names *ix)
{
    const fs_json_node *m;
    size_t i = 0;
    char q[80];
    if (!fs_json_is_object(node))
        return fs_jr_fail(ld, node, "expected %s, got %s", what, fs_json_type_name(node));
    if (fs_json_names_init(ix, fs_jr_count_items(node)) != 0)
        return fs_jr_nomem(ld);
    FS_JSON_FOR_EACH(m, node) {
        if (fs_json_names_add(ix, m->string, i++) != SIZE_MAX)
            return fs_jr_fail_key(ld, m, "duplicate key %s", fs_json_quote(m->string, q, sizeof q));
    }
    return FS_ERR_OK;
}

fs_errcode fs_jr_missing(fs_json_reader *ld, const fs_json_node *obj, const char *key)
{
    return fs_jr_fail(ld, obj, "missing required key \"%s\"", key);
}

/* ---- scalars ------------------------------------------------------------------ */

fs_errcode fs_jr_read_int(fs_json_reader *ld, const fs_json_node *node, const fs_json_range *r, int64_t *out)
{
    long long v = 0;
    size_t n;
    if (!fs_json_is_number(node))
        return fs_jr_fail(ld, node, "expected %s, got %s", r->what, fs_json_type_name(node));
    fs_json_int st = fs_json_get_int(ld->doc, node, &v);
    if (st == FS_JSON_INT_FRACTION) {
        const char *text = fs_json_number_text(ld->doc, node, &n);
        return fs_jr_fail(ld, node, "expected %s, got %.*s", r->what, (int)(n > 40 ? 40 : n), text);
    }
    if (st == FS_JSON_INT_TOO_BIG || v < r->lo || v > r->hi)
        return fs_jr_fail(ld, node, "%s out of range: expected %" PRId64 "..%" PRId64 "%s", r->noun, r->lo,
                    r->hi, r->unit);
    *out = (int64_t)v;
    return FS_ERR_OK;
}

fs_errcode fs_jr_read_bool(fs_json_reader *ld, const fs_json_node *node, bool *out)
{
    if (!fs_json_is_bool(node))
        return fs_jr_fail(ld, node, "expected true or false, got %s", fs_json_type_name(node));
    *out = fs_json_is_true(node);
    return FS_ERR_OK;
}

fs_errcode fs_jr_read_string(fs_json_reader *ld, const fs_json_node *node, const char **out)
{
    if (!fs_json_is_string(node))
        return fs_jr_fail(ld, node, "expected a string, got %s", fs_json_type_name(node));
    *out = fs_arena_strdup(ld->arena, node->valuestring);
    return *out ? FS_ERR_OK : fs_jr_nomem(ld);
}

fs_errcode fs_jr_int_member(fs_json_reader *ld, const fs_json_node *obj, const char *key,
                             const fs_json_range *r, int64_t *out)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (m)
        FS_JR_AT_KEY(ld, key, fs_jr_read_int(ld, m, r, out));
    return FS_ERR_OK;
}

fs_errcode fs_jr_bool_member(fs_json_reader *ld, const fs_json_node *obj, const char *key, bool *out)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (m)
        FS_JR_AT_KEY(ld, key, fs_jr_read_bool(ld, m, out));
    return FS_ERR_OK;
}

fs_errcode fs_jr_string_member(fs_json_reader *ld, const fs_json_node *obj, const char *key, const char **out)
{
    const fs_json_node *m = fs_jr_member(obj, key);
    if (m)
        FS_JR_AT_KEY(ld, key, fs_jr_read_string(ld, m, out));
    return FS_ERR_OK;
}

