/* test_json_pos.c - line and column of byte offsets, in any order; integers
 * read from number tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_pos.h"
#include "support.h"

/* What the position of each offset must be: counted from the start. */
static void reference(const char *t, size_t len, size_t skip, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t p = skip; p < len; p++) {
        line[p] = l, col[p] = c;
        if (t[p] == '\n')
            l++, c = 1;
        else if (((unsigned char)t[p] & 0xC0) != 0x80)
            c++;
    }
    line[len] = l, col[len] = c;
}

/* A JSON array of about 50 KB: lines of different lengths, two- and
 * four-byte characters (or, ascii, only ASCII: tabs and CRLF line ends
 * instead), some long lines that cross the 4 KB checkpoints. */
static char *document_of(size_t *len, bool bom, bool ascii)
{
    size_t cap = 256 * 1024, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    if (bom)
        n += (size_t)snprintf(t + n, cap - n, "\xEF\xBB\xBF");
    n += (size_t)snprintf(t + n, cap - n, "[\n");
    for (int i = 0; i < 600; i++) {
        if (ascii) {
            n += (size_t)snprintf(t + n, cap - n, "\t\"cafe %d :-)\",", i);
            for (int k = 0; k < (i % 7 == 0 ? 40 : i % 5); k++)
                n += (size_t)snprintf(t + n, cap - n, " \"xe\",\t");
            n += (size_t)snprintf(t + n, cap - n, i % 3 ? "\r\n" : "\n");
            continue;
        }
        n += (size_t)snprintf(t + n, cap - n, "  \"caf\xC3\xA9 %d \xF0\x9F\x98\x80\",", i);
        for (int k = 0; k < (i % 7 == 0 ? 40 : i % 5); k++)
            n += (size_t)snprintf(t + n, cap - n, " \"x\xC3\xA9\",");
        n += (size_t)snprintf(t + n, cap - n, "\n");
    }
    n += (size_t)snprintf(t + n, cap - n, "  0\n]\n");
    assert_true(n < cap - 1);
    *len = n;
    return t;
}

static void check_orders_of(bool bom, bool ascii)
{
    size_t len;
    char *t = document_of(&len, bom, ascii);
    assert_true(len > 5 * 4096);
    int *line = malloc((len + 1) * sizeof *line), *col = malloc((len + 1) * sizeof *col);
    assert_non_null(line);
    assert_non_null(col);
    size_t skip = bom ? 3 : 0;
    reference(t, len, skip, line, col);
    fs_json_doc *d = NULL;
    fs_error err;
    assert_int_equal(fs_json_parse(t, len, &d, &err), FS_ERR_OK);
    int l, c;
    /* forward, backward, then jumping about (a fixed pseudo-random walk) */
    for (size_t p = skip; p <= len; p += 37) {
        fs_json_line_col(d, p, &l, &c);
        assert_int_equal(l, line[p]);
        assert_int_equal(c, col[p]);
    }
    for (size_t p = len; p > skip; p -= p - skip > 41 ? 41 : p - skip) {
        fs_json_line_col(d, p, &l, &c);
        assert_int_equal(l, line[p]);
        assert_int_equal(c, col[p]);
    }
    uint32_t x = 12345;
    for (int i = 0; i < 5000; i++) {
        x = x * 1103515245u + 12345u;
        size_t p = skip + (x >> 8) % (len - skip + 1);
        fs_json_line_col(d, p, &l, &c);
        assert_int_equal(l, line[p]);
        assert_int_equal(c, col[p]);
    }
    /* an offset inside the byte order mark is the first character */
    fs_json_line_col(d, 0, &l, &c);
    assert_int_equal(l, 1);
    assert_int_equal(c, 1);
    fs_json_free(d);
    free(line);
    free(col);
    free(t);
}

static void check_orders(bool bom)
{
    check_orders_of(bom, false);
}

static void test_any_order(void **state)
{
    (void)state;
    check_orders(false);
}

static void test_any_order_after_bom(void **state)
{
    (void)state;
    check_orders(true);
}

/* Before the first byte above 0x7F a position is found from the line
 * breaks the scanner kept, not by counting: the same answers. */
static void test_any_order_ascii(void **state)
{
    (void)state;
    check_orders_of(false, true);
    check_orders_of(true, true);
}

/* Strings are skipped eight bytes at a time: whatever stops the skip (the
 * closing quote, an escape, a byte above 0x7F, a control character) is
 * found at every place in the word, and the value is the same. */
static void test_string_stops(void **state)
{
    (void)state;
    for (int k = 0; k < 20; k++) {
        char text[64], want[64];
        fs_json_doc *doc;
        fs_error err = {0};
        memset(want, 'a', (size_t)k);
        /* an escape, then a two-byte character, after k plain bytes */
        snprintf(text, sizeof text, "[\"%.*s\\n\xC3\xA9%.*s\"]", k, want, k, want);
        assert_int_equal(fs_json_parse(text, strlen(text), &doc, &err), FS_ERR_OK);
        char expect[64];
        snprintf(expect, sizeof expect, "%.*s\n\xC3\xA9%.*s", k, want, k, want);
        assert_string_equal(fs_json_child(fs_json_root(doc))->valuestring, expect);
        fs_json_free(doc);
        /* a control character (and a raw line break) after k plain bytes */
        for (int c = 1; c < 0x20; c += 9) {
            snprintf(text, sizeof text, "[\"%.*s%c\"]", k, want, c);
            assert_int_equal(fs_json_parse(text, strlen(text), &doc, &err), FS_ERR_INPUT);
            assert_int_equal(err.line, 1);
            assert_int_equal(err.col, 3 + k);
        }
    }
}

/* Plain integers take a short path (up to 15 digits); every other form the
 * exact one: both give the value, or say why there is none. */
static void test_get_int(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        fs_json_int st;
        long long v;
    } cases[] = {
        {"0", FS_JSON_INT_OK, 0}, {"-0", FS_JSON_INT_OK, 0}, {"7", FS_JSON_INT_OK, 7},
        {"-2000", FS_JSON_INT_OK, -2000}, {"999999999999999", FS_JSON_INT_OK, 999999999999999},
        {"-999999999999999", FS_JSON_INT_OK, -999999999999999},
        {"9007199254740992", FS_JSON_INT_OK, 9007199254740992LL},
        {"9007199254740993", FS_JSON_INT_TOO_BIG, 0}, {"10.0", FS_JSON_INT_OK, 10},
        {"1e3", FS_JSON_INT_OK, 1000}, {"25E-1", FS_JSON_INT_FRACTION, 0},
        {"2.5", FS_JSON_INT_FRACTION, 0}, {"1e300", FS_JSON_INT_TOO_BIG, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "[%s]", cases[i].text);
        fs_json_doc *doc;
        fs_error err = {0};
        assert_int_equal(fs_json_parse(text, strlen(text), &doc, &err), FS_ERR_OK);
        long long v = -1;
        fs_json_int st = fs_json_get_int(doc, fs_json_child(fs_json_root(doc)), &v);
        assert_int_equal(st, cases[i].st);
        if (st == FS_JSON_INT_OK)
            assert_int_equal(v, cases[i].v);
        fs_json_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any_order),
        cmocka_unit_test(test_any_order_after_bom),
        cmocka_unit_test(test_any_order_ascii),
        cmocka_unit_test(test_string_stops),
        cmocka_unit_test(test_get_int),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
