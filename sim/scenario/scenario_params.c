/* scenario_params.c - a named future's parameters (docs/scenarios.md, Named
 * futures): a definition {"params": {...}, "body": F} is called with
 * {"call": name, "with": {...}}, and the call is built from a copy of F's
 * JSON in which every string "$p" is the value of p. The copy is plain JSON,
 * so the loader reads it as it reads any future, and the world sees plain
 * futures (a call with other values is simply another future). A copied
 * value keeps its offsets: an error in it points at the value in the call's
 * "with" (or the default), and says which parameter it is (its offsets are
 * within the value's), an error elsewhere at the definition. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

/* "a, b, c": the names a definition declares, for messages. */
static const char *param_list(const fs_params *ps, char *buf, size_t size)
{
    const char *names[FS_MAX_PARAMS];
    for (size_t i = 0; i < ps->n; i++)
        names[i] = ps->name[i];
    if (ps->n == 0)
        return snprintf(buf, size, "none"), buf;
    return fs_jr_join(names, ps->n, buf, size);
}

/* A parameter's name: what follows "$" in the body, so a word. */
static bool param_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

fs_errcode fs_scenario_read_params(fs_json_reader *r, const fs_json_node *params, fs_params *ps)
{
    const fs_json_node *m;
    ps->n = 0;
    FS_JR_TRY(fs_jr_check_object(r, params, "an object of parameters {\"name\": default, ...} "
                                            "(null: no default, the call must give it)", NULL, 0));
    FS_JSON_FOR_EACH(m, params) {
        if (!param_name_ok(m->string)) {
            fs_jr_path_key(r, m->string);
            return fs_jr_fail_key(r, m, "a parameter's name is a word of 1..64 letters, digits and \"_\", "
                                        "not starting with a digit (the body says \"$name\")");
        }
        if (ps->n == FS_MAX_PARAMS)
            return fs_jr_fail_key(r, m, "more than %d parameters", FS_MAX_PARAMS);
        ps->name[ps->n] = m->string;
        ps->value[ps->n++] = m->type == FS_JSON_NULL ? NULL : m;
    }
    return FS_ERR_OK;
}

fs_errcode fs_scenario_bind_params(fs_json_reader *r, const char *future, const fs_json_node *call,
                                   const fs_json_node *with, fs_params *ps)
{
    char q[80], p[80], list[512];
    const fs_json_node *m;
    if (with) {
        size_t at = fs_jr_path_key(r, "with");
        FS_JR_TRY(fs_jr_check_object(r, with, "an object of parameter values {\"name\": value, ...}", NULL, 0));
        FS_JSON_FOR_EACH(m, with) {
            size_t i = 0;
            while (i < ps->n && strcmp(ps->name[i], m->string) != 0)
                i++;
            if (i < ps->n) {
                ps->value[i] = m;
                continue;
            }
            fs_jr_path_key(r, m->string);
            if (ps->n == 0)
                return fs_jr_fail_key(r, m, "future %s takes no parameters", fs_json_quote(future, q, sizeof q));
            return fs_jr_fail_key(r, m, "unknown parameter %s of future %s (it takes: %s)",
                                      fs_json_quote(m->string, p, sizeof p), fs_json_quote(future, q, sizeof q),
                                      param_list(ps, list, sizeof list));
        }
        fs_jr_path_pop(r, at);
    }
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->value[i])
            continue;
        if (with)
            fs_jr_path_key(r, "with");
        return fs_jr_fail(r, with ? with : call, "missing parameter %s of future %s: it has no default, "
                          "so the call's \"with\" must give it", fs_json_quote(ps->name[i], p, sizeof p),
                          fs_json_quote(future, q, sizeof q));
    }
    return FS_ERR_OK;
}

/* The parameter a string "$p" names: its index in ps, or -1 (the error
 * filled) when ps has none of that name. */
static int param_ref(fs_json_reader *r, const fs_json_node *n, const char *future, const fs_params *ps)
{
    char q[80], fq[80], list[256];
    for (size_t i = 0; i < ps->n; i++) {
        if (strcmp(ps->name[i], n->valuestring + 1) == 0)
            return (int)i;
    }
    fs_jr_fail(r, n, "%s names no parameter of future %s (it takes: %s)",
               fs_json_quote(n->valuestring, q, sizeof q), fs_json_quote(future, fq, sizeof fq), param_list(ps, list, sizeof list));
    return -1;
}

/* Copies the subtree at n into out[*k ...] (out NULL: counts it), each string
 * "$p" of the body (subst) replaced by p's value, copied as it is. Keeps the
 * path on the way down, for an error's message. */
static fs_errcode copy_tree(fs_json_reader *r, const fs_json_node *n, const char *future, const fs_params *ps,
                            bool subst, fs_json_node *out, size_t *k)
{
    const fs_json_node *src = n, *c;
    size_t me = *k, prev = 0, i = 0;
    if (subst && n->type == FS_JSON_STRING && n->valuestring[0] == '$') {
        int p = param_ref(r, n, future, ps);
        if (p < 0)
            return FS_ERR_INPUT;
        if (ps->value[p]) { /* (unbound: a definition checked without a call) */
            src = ps->value[p];
            subst = false;
        }
    }
    if (out) {
        out[me] = *src;
        out[me].string = n->string; /* the value takes n's place */
        out[me].key_off = n->string ? n->key_off : src->val_off;
        out[me].next = 0;
    }
    (*k)++;
    FS_JSON_FOR_EACH(c, src) {
        size_t at = c->string ? fs_jr_path_key(r, c->string) : fs_jr_path_index(r, i);
        size_t idx = *k;
        FS_JR_TRY(copy_tree(r, c, future, ps, subst, out, k));
        fs_jr_path_pop(r, at);
        if (out && idx > me + 1)
            out[prev].next = (uint32_t)(idx - prev);
        prev = idx;
        i++;
    }
    return FS_ERR_OK;
}

/* The offset of the last node in v's subtree: its own and its
 * descendants' offsets (keys and values) are within [v->val_off, it]. */
static size_t last_offset(const fs_json_node *v)
{
    while (v->has_child) {
        const fs_json_node *c = fs_json_child(v);
        while (fs_json_next(c))
            c = fs_json_next(c);
        v = c;
    }
    return v->val_off;
}

void fs_scenario_note_param(fs_json_reader *r, const char *future, const fs_json_node *params,
                            const fs_params *ps, size_t *note_at)
{
    char p[80], q[80];
    fs_error *e = r->err;
    for (size_t i = 0; i < ps->n; i++) {
        const fs_json_node *v = ps->value[i];
        if (!v || r->fail_off < v->val_off || r->fail_off > last_offset(v))
            continue;
        if (*note_at == SIZE_MAX)
            *note_at = strlen(e->msg);
        bool dflt = params && fs_jr_member(params, ps->name[i]) == v;
        snprintf(e->msg + *note_at, sizeof e->msg - *note_at, " (in %sparameter %s of %s %s)",
                 dflt ? "the default of " : "", fs_json_quote(ps->name[i], p, sizeof p),
                 dflt ? "future" : "call to", fs_json_quote(future, q, sizeof q));
        return;
    }
}

fs_errcode fs_scenario_check_refs(fs_json_reader *r, const fs_json_node *body, const char *future,
                                  const fs_params *ps)
{
    size_t k = 0;
    return copy_tree(r, body, future, ps, true, NULL, &k);
}

fs_errcode fs_scenario_substitute(fs_json_reader *r, const fs_json_node *body, const char *future,
                                  const fs_params *ps, fs_json_node **out)
{
    size_t n = 0, k = 0;
    *out = NULL;
    FS_JR_TRY(copy_tree(r, body, future, ps, true, NULL, &n));
    if (!(*out = malloc(n * sizeof **out)))
        return fs_jr_nomem(r);
    return copy_tree(r, body, future, ps, true, *out, &k);
}
